//! `layerlab docker ARGS...`: the simulated docker CLI from a terminal.
//! The engine runs the command ([`layerlab_engine::docker::execute`]);
//! this file only provides the [`Host`] (files, the build context from a
//! folder or an archive, the environment, whether stdin is a terminal),
//! loads and saves the state file, and prints what the engine returns.
//!
//! The state file: `--state FILE`, else `$LAYERLAB_STATE`, else
//! `.layerlab/state.json` in the current directory.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use layerlab_engine::context::Context;
use layerlab_engine::docker::{execute, Host};
use layerlab_engine::dockerignore::DockerIgnore;
use layerlab_engine::limits::{Budget, FolderBudget, LimitError};
use layerlab_engine::state::State;

use crate::state_file::StateFile;

/// Arguments of `layerlab docker`.
#[derive(Args)]
#[command(disable_help_flag = true)]
pub struct DockerArgs {
    /// The state file (default: $LAYERLAB_STATE, else .layerlab/state.json).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// The docker command line, e.g. `build -t aspnetapp .`.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    args: Vec<String>,
}

/// The real machine, as the docker CLI sees it.
struct RealHost {
    stdin: Option<Vec<u8>>,
}

impl RealHost {
    fn stdin(&mut self) -> Result<Vec<u8>, String> {
        if let Some(b) = self.stdin.take() {
            return Ok(b);
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        Ok(buf)
    }
}

fn os_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    if meta.is_dir() {
        0o755
    } else {
        0o644
    }
}

/// What the docker CLI leaves out of a folder before sending it: the paths
/// `<dockerfile>.dockerignore` (else `.dockerignore`) excludes, except the
/// Dockerfile and the ignore files themselves, which are always sent.
struct FolderFilter {
    ignore: DockerIgnore,
    keep: Vec<String>,
}

impl FolderFilter {
    /// The filter for the folder `root` and the Dockerfile at `dockerfile`
    /// inside it. A `.dockerignore` that does not parse filters nothing
    /// here: the engine reports its error.
    fn read(root: &Path, dockerfile: &str) -> FolderFilter {
        let specific = format!("{dockerfile}.dockerignore");
        let text = std::fs::read(root.join(&specific))
            .or_else(|_| std::fs::read(root.join(".dockerignore")))
            .ok();
        let ignore = text
            .and_then(|t| DockerIgnore::parse(&String::from_utf8_lossy(&t)).ok())
            .unwrap_or_default();
        FolderFilter {
            ignore,
            keep: vec![dockerfile.to_string(), specific, ".dockerignore".into()],
        }
    }

    /// Whether the entry at `rel` is left out (and, for a directory, not
    /// walked: unless an exception could bring something back inside it
    /// or a kept file lies below it).
    fn skips(&self, rel: &str, is_dir: bool) -> bool {
        if self.ignore.is_empty() || !self.ignore.is_excluded(rel) {
            return false;
        }
        if is_dir {
            let below = format!("{rel}/");
            !self.ignore.has_exceptions() && !self.keep.iter().any(|k| k.starts_with(&below))
        } else {
            !self.keep.iter().any(|k| k == rel)
        }
    }
}

/// Reads a folder into a context as `docker build DIR` sends it: files
/// with their permission bits, directories, symbolic links as links,
/// without what `.dockerignore` excludes, within [`Budget::DEFAULT`].
fn read_dir_context(root: &Path, dockerfile: &str) -> Result<Context, String> {
    let filter = FolderFilter::read(root, dockerfile);
    read_dir_context_with(root, &Budget::DEFAULT, Some(&filter))
}

/// [`read_dir_context`] within `budget`: at most `max_files` entries and
/// `max_bytes` bytes of content, paths at most `max_path_depth` deep;
/// what `filter` skips is neither read nor counted.
/// A symbolic link is read, never followed (Docker sends the link), so a
/// link loop or a link to outside the folder is just an entry. A file's
/// size is checked before it is read, so a huge file is refused unread.
fn read_dir_context_with(
    root: &Path,
    budget: &Budget,
    filter: Option<&FolderFilter>,
) -> Result<Context, String> {
    let mut ctx = Context::new();
    let mut counts = FolderBudget::with(*budget);
    let over = |e: LimitError| e.message;
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("{}: {}", dir.display(), os_reason(&e)))?;
        // A folder with more entries than the budget has room for fails
        // below; its listing is not held whole first.
        let room = budget.max_files.saturating_sub(counts.entries);
        let mut items: Vec<_> = entries
            .filter_map(Result::ok)
            .take(room.saturating_add(1))
            .collect();
        items.sort_by_key(|e| e.file_name());
        for entry in items {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let rel_path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let meta = std::fs::symlink_metadata(&path)
                .map_err(|e| format!("{}: {}", path.display(), os_reason(&e)))?;
            let ft = meta.file_type();
            if filter.is_some_and(|f| f.skips(&rel_path, ft.is_dir())) {
                continue;
            }
            counts.entry(&rel_path).map_err(over)?;
            if ft.is_symlink() {
                let target = std::fs::read_link(&path)
                    .map_err(|e| format!("{}: {}", path.display(), os_reason(&e)))?;
                ctx.insert_symlink(&rel_path, &target.to_string_lossy())
                    .map_err(|e| e.to_string())?;
            } else if ft.is_dir() {
                ctx.insert_dir(&rel_path, mode_of(&meta))
                    .map_err(|e| e.to_string())?;
                stack.push((path, rel_path));
            } else if ft.is_file() {
                let left = counts.bytes_left();
                if meta.len() > left {
                    counts.content(&rel_path, meta.len()).map_err(over)?;
                }
                // At most one byte past the budget, should the file grow
                // while it is read.
                let mut bytes = Vec::new();
                std::fs::File::open(&path)
                    .and_then(|f| f.take(left.saturating_add(1)).read_to_end(&mut bytes))
                    .map_err(|e| format!("{}: {}", path.display(), os_reason(&e)))?;
                counts
                    .content(&rel_path, bytes.len() as u64)
                    .map_err(over)?;
                ctx.insert_file(&rel_path, bytes, mode_of(&meta))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(ctx)
}

impl Host for RealHost {
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        if path == "-" {
            return self.stdin();
        }
        std::fs::read(path).map_err(|e| os_reason(&e))
    }

    fn load_context(&mut self, path: &str, dockerfile: &str) -> Result<Context, String> {
        if path == "-" {
            let bytes = self.stdin()?;
            return Context::from_archive(&bytes).map_err(|e| e.to_string());
        }
        if path.contains("://") || path.starts_with("git@") {
            return Err(format!(
                "{path}: remote build contexts are not simulated (no network); clone it and build the folder"
            ));
        }
        let p = Path::new(path);
        let meta = std::fs::metadata(p).map_err(|_| format!("path {path:?} not found"))?;
        if meta.is_dir() {
            return read_dir_context(p, dockerfile);
        }
        let bytes = std::fs::read(p).map_err(|e| format!("{path}: {}", os_reason(&e)))?;
        Context::from_archive(&bytes).map_err(|e| format!("{path}: {e}"))
    }

    fn env(&self) -> BTreeMap<String, String> {
        std::env::vars().collect()
    }

    fn stdin_is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }
}

fn state_path(flag: Option<PathBuf>) -> PathBuf {
    if let Some(p) = flag {
        return p;
    }
    match std::env::var_os("LAYERLAB_STATE") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(".layerlab").join("state.json"),
    }
}

/// Runs `layerlab docker ...`.
pub fn run(args: DockerArgs) -> ExitCode {
    let path = state_path(args.state);
    let file = match StateFile::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("layerlab: {e}");
            return ExitCode::from(2);
        }
    };
    let mut state: State = match file.load::<State>() {
        Ok(Some(s)) => s,
        Ok(None) => State::new(),
        Err(e) => {
            eprintln!("layerlab: {e}");
            return ExitCode::from(2);
        }
    };
    let mut host = RealHost { stdin: None };
    let out = execute(&args.args, &mut host, &mut state);
    let saved = file.save(&state);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.stdout.as_bytes());
    let _ = stdout.flush();
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(out.stderr.as_bytes());
    if let Err(e) = saved {
        let _ = writeln!(stderr, "layerlab: {e}");
        return ExitCode::from(2);
    }
    ExitCode::from(u8::try_from(out.exit_code.clamp(0, 255)).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlab_engine::context::ContextEntry;

    /// A fresh folder under the system's temporary directory.
    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("layerlab-cli-folder-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, bytes).expect("write");
    }

    fn small(max_files: usize, max_bytes: u64, max_path_depth: usize) -> Budget {
        Budget {
            max_files,
            max_bytes,
            max_path_depth,
            ..Budget::DEFAULT
        }
    }

    #[test]
    fn dockerignored_paths_are_neither_read_nor_counted() {
        let dir = temp_dir("ignored");
        write(&dir, "Dockerfile", b"FROM scratch\n");
        write(&dir, ".dockerignore", b"node_modules\nDockerfile\n*.log\n");
        for i in 0..50 {
            write(&dir, &format!("node_modules/m{i}/index.js"), b"x");
        }
        write(&dir, "app.js", b"y");
        write(&dir, "debug.log", b"z");
        let filter = FolderFilter::read(&dir, "Dockerfile");
        // Dockerfile, .dockerignore and app.js: node_modules is not walked,
        // so 3 entries fit a budget of 3; the ignored Dockerfile is sent.
        let ctx = read_dir_context_with(&dir, &small(3, 100, 8), Some(&filter));
        let ctx = ctx.expect("fits once ignored paths are skipped");
        assert_eq!(ctx.len(), 3);
        assert!(ctx.read("Dockerfile").is_some());
        assert!(ctx.read("debug.log").is_none());
        // Without the filter the same folder is over budget.
        assert!(read_dir_context_with(&dir, &small(3, 100, 8), None).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_exception_keeps_an_ignored_directory_walked() {
        let dir = temp_dir("exception");
        write(&dir, "Dockerfile", b"FROM scratch\n");
        write(&dir, "docs/a.md", b"a");
        write(&dir, "docs/keep.md", b"k");
        write(&dir, "build/Dockerfile", b"FROM scratch\n");
        write(&dir, "build/other", b"o");
        write(&dir, ".dockerignore", b"docs\n!docs/keep.md\nbuild\n");
        let filter = FolderFilter::read(&dir, "Dockerfile");
        let ctx = read_dir_context_with(&dir, &small(100, 100, 8), Some(&filter)).expect("ctx");
        assert!(ctx.read("docs/keep.md").is_some());
        assert!(ctx.read("docs/a.md").is_none());
        assert!(ctx.read("build/other").is_none());
        // `-f build/Dockerfile`: the Dockerfile under an ignored folder is
        // still sent.
        let filter = FolderFilter::read(&dir, "build/Dockerfile");
        let ctx = read_dir_context_with(&dir, &small(100, 100, 8), Some(&filter)).expect("ctx");
        assert!(ctx.read("build/Dockerfile").is_some());
        assert!(ctx.read("build/other").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_dockerfile_specific_ignore_file_wins() {
        let dir = temp_dir("specific");
        write(&dir, "Dockerfile", b"FROM scratch\n");
        write(&dir, ".dockerignore", b"a.txt\n");
        write(&dir, "Dockerfile.dockerignore", b"b.txt\n");
        write(&dir, "a.txt", b"a");
        write(&dir, "b.txt", b"b");
        let filter = FolderFilter::read(&dir, "Dockerfile");
        let ctx = read_dir_context_with(&dir, &small(100, 100, 8), Some(&filter)).expect("ctx");
        assert!(ctx.read("a.txt").is_some());
        assert!(ctx.read("b.txt").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_file_count_limit_names_the_path_and_counts_directories() {
        let dir = temp_dir("count");
        for i in 0..4 {
            write(&dir, &format!("d/f{i}"), b"x");
        }
        // d and its 4 files: 5 entries.
        let ok = read_dir_context_with(&dir, &small(5, 100, 8), None);
        assert_eq!(ok.map(|c| c.len()), Ok(5));
        let e = read_dir_context_with(&dir, &small(4, 100, 8), None).err();
        assert_eq!(
            e.as_deref(),
            Some(
                "the build context has more than 4 files and directories (at \"d/f3\"); \
                 the playground loads at most 4"
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_byte_limit_refuses_a_big_file_unread() {
        let dir = temp_dir("bytes");
        write(&dir, "a.txt", b"12345");
        write(&dir, "b.txt", b"123456");
        assert!(read_dir_context_with(&dir, &small(10, 11, 8), None).is_ok_and(|c| c.size() == 11));
        let e = read_dir_context_with(&dir, &small(10, 10, 8), None).err();
        assert_eq!(
            e.as_deref(),
            Some(
                "the build context holds more than 10 bytes (at \"b.txt\", 6 bytes); \
                 the playground loads at most 10"
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_depth_limit_names_the_path() {
        let dir = temp_dir("depth");
        write(&dir, "a/b/c/d.txt", b"d");
        assert!(read_dir_context_with(&dir, &small(10, 10, 4), None).is_ok());
        let e = read_dir_context_with(&dir, &small(10, 10, 3), None).err();
        assert_eq!(
            e.as_deref(),
            Some("path \"a/b/c/d.txt\"... is 4 directories deep; at most 3 are allowed")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_kept_as_links_and_never_followed() {
        use std::os::unix::fs::symlink;
        let dir = temp_dir("links");
        write(&dir, "a.txt", b"a");
        write(&dir, "sub/s.txt", b"s");
        let links = [
            ("loop", "loop"),
            ("x", "y"),
            ("y", "x"),
            ("self", "."),
            ("up", ".."),
            ("out", "/etc"),
            ("sub/back", "../sub"),
        ];
        for (name, target) in links {
            symlink(target, dir.join(name)).expect("symlink");
        }
        // A tight budget: following `self`, `up` or `sub/back` even once
        // would go past it.
        let ctx = read_dir_context_with(&dir, &small(11, 2, 3), None);
        let ctx = ctx.unwrap_or_default();
        for (name, target) in links {
            assert_eq!(
                ctx.get(name),
                Some(&ContextEntry::Symlink {
                    target: target.to_string()
                }),
                "{name}"
            );
        }
        let paths: Vec<&String> = ctx.iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "a.txt",
                "loop",
                "out",
                "self",
                "sub",
                "sub/back",
                "sub/s.txt",
                "up",
                "x",
                "y"
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
