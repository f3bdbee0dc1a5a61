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

/// Reads a folder into a context: files with their permission bits,
/// directories, symbolic links as links.
fn read_dir_context(root: &Path) -> Result<Context, String> {
    let mut ctx = Context::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("{}: {}", dir.display(), os_reason(&e)))?;
        let mut items: Vec<_> = entries.filter_map(Result::ok).collect();
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
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("{}: {}", path.display(), os_reason(&e)))?;
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

    fn load_context(&mut self, path: &str) -> Result<Context, String> {
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
            return read_dir_context(p);
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
