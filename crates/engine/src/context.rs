//! The build context: the folder (or archive) `docker build` sends to
//! BuildKit, as an in-memory tree of files with content and mode.
//!
//! The engine never reads the disk: the CLI walks a folder and calls
//! [`Context::insert_file`]; both front ends can load a `.tar` or
//! `.tar.gz` with [`Context::from_archive`]. Entries that would land
//! outside the context (`../x`) are rejected; absolute names are made
//! relative; symbolic links are kept and, when followed, stay inside the
//! context (`/` is the context root, as in BuildKit).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

use crate::dockerignore::{DockerIgnore, IgnoreError};
use crate::filesystem::{Fs, Node};
use crate::paths;

/// One context entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextEntry {
    /// A regular file.
    File {
        /// Its bytes.
        content: Vec<u8>,
        /// Permission bits (`0o644`, `0o755`...).
        mode: u32,
    },
    /// A directory.
    Dir {
        /// Permission bits.
        mode: u32,
    },
    /// A symbolic link.
    Symlink {
        /// Where it points, as written.
        target: String,
    },
}

/// A context that cannot be loaded or changed as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextError {
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ContextError {}

fn err(message: impl Into<String>) -> ContextError {
    ContextError {
        message: message.into(),
    }
}

/// The build context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Entries by path relative to the context root (`src/a.txt`),
    /// directories included.
    entries: BTreeMap<String, ContextEntry>,
}

/// Default mode of files written without one (what the recordings and
/// `git checkout` give).
pub const DEFAULT_FILE_MODE: u32 = 0o644;
/// Mode of directories created implicitly.
pub const DEFAULT_DIR_MODE: u32 = 0o755;

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// A context from `(path, content)` pairs, each file mode 0644.
    pub fn from_files<P: AsRef<str>, C: AsRef<[u8]>>(
        files: impl IntoIterator<Item = (P, C)>,
    ) -> Result<Context, ContextError> {
        let mut ctx = Context::new();
        for (p, c) in files {
            ctx.insert_file(p.as_ref(), c.as_ref().to_vec(), DEFAULT_FILE_MODE)?;
        }
        Ok(ctx)
    }

    /// A context from `(path, content, mode)` triples.
    pub fn from_files_with_modes<P: AsRef<str>, C: AsRef<[u8]>>(
        files: impl IntoIterator<Item = (P, C, u32)>,
    ) -> Result<Context, ContextError> {
        let mut ctx = Context::new();
        for (p, c, m) in files {
            ctx.insert_file(p.as_ref(), c.as_ref().to_vec(), m)?;
        }
        Ok(ctx)
    }

    /// The path inside the context for `path` as written in an archive or
    /// an edit: separators normalized, a leading `/` or `./` dropped;
    /// an error when it climbs out with `..`.
    pub fn clean_path(path: &str) -> Result<String, ContextError> {
        let p = path.replace('\\', "/");
        let trimmed = p.trim_start_matches('/');
        let c = paths::clean(trimmed);
        if c == ".." || c.starts_with("../") {
            return Err(err(format!(
                "{path:?} points outside the build context; entries must stay inside it"
            )));
        }
        if c == "." {
            return Ok(String::new());
        }
        Ok(c)
    }

    fn ensure_dirs(&mut self, path: &str) -> Result<(), ContextError> {
        let mut cur = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(part);
            match self.entries.get(&cur) {
                Some(ContextEntry::Dir { .. }) => {}
                Some(_) => {
                    return Err(err(format!(
                        "cannot create {path:?}: {cur:?} is a file, not a directory"
                    )))
                }
                None => {
                    self.entries.insert(
                        cur.clone(),
                        ContextEntry::Dir {
                            mode: DEFAULT_DIR_MODE,
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// Adds or replaces a file (missing parent directories are created,
    /// mode 0755).
    pub fn insert_file(
        &mut self,
        path: &str,
        content: impl Into<Vec<u8>>,
        mode: u32,
    ) -> Result<(), ContextError> {
        let p = Context::clean_path(path)?;
        if p.is_empty() {
            return Err(err("a file needs a name"));
        }
        if matches!(self.entries.get(&p), Some(ContextEntry::Dir { .. })) {
            return Err(err(format!("{p:?} is a directory")));
        }
        self.ensure_dirs(&p)?;
        self.entries.insert(
            p,
            ContextEntry::File {
                content: content.into(),
                mode: mode & 0o7777,
            },
        );
        Ok(())
    }

    /// Adds a directory (and missing parents).
    pub fn insert_dir(&mut self, path: &str, mode: u32) -> Result<(), ContextError> {
        let p = Context::clean_path(path)?;
        if p.is_empty() {
            return Ok(());
        }
        self.ensure_dirs(&p)?;
        match self.entries.get(&p) {
            Some(ContextEntry::Dir { .. }) | None => {
                self.entries.insert(
                    p,
                    ContextEntry::Dir {
                        mode: mode & 0o7777,
                    },
                );
                Ok(())
            }
            Some(_) => Err(err(format!("{p:?} exists and is not a directory"))),
        }
    }

    /// Adds a symbolic link.
    pub fn insert_symlink(&mut self, path: &str, target: &str) -> Result<(), ContextError> {
        let p = Context::clean_path(path)?;
        if p.is_empty() {
            return Err(err("a link needs a name"));
        }
        // A link may not replace a directory: what is under the directory
        // would stay in the context beneath a link (found by fuzzing).
        let under = format!("{p}/");
        if matches!(self.entries.get(&p), Some(ContextEntry::Dir { .. }))
            || self
                .entries
                .range(under.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&under))
        {
            return Err(err(format!("{p:?} is a directory")));
        }
        self.ensure_dirs(&p)?;
        self.entries.insert(
            p,
            ContextEntry::Symlink {
                target: target.to_string(),
            },
        );
        Ok(())
    }

    /// Deletes a file or link (a directory with everything under it). The
    /// parent directories stay, as after `rm` on a disk. Returns whether
    /// something was removed.
    pub fn remove(&mut self, path: &str) -> bool {
        let Ok(p) = Context::clean_path(path) else {
            return false;
        };
        if p.is_empty() {
            let had = !self.entries.is_empty();
            self.entries.clear();
            return had;
        }
        let prefix = format!("{p}/");
        let under: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in under {
            self.entries.remove(&k);
        }
        self.entries.remove(&p).is_some()
    }

    /// The entry at `path`.
    pub fn get(&self, path: &str) -> Option<&ContextEntry> {
        let p = Context::clean_path(path).ok()?;
        self.entries.get(&p)
    }

    /// The content of the file at `path`.
    pub fn read(&self, path: &str) -> Option<&[u8]> {
        match self.get(path)? {
            ContextEntry::File { content, .. } => Some(content),
            _ => None,
        }
    }

    /// Every entry, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &ContextEntry)> {
        self.entries.iter()
    }

    /// Number of entries (directories included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the context holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Total bytes of all files.
    pub fn size(&self) -> u64 {
        self.entries
            .values()
            .map(|e| match e {
                ContextEntry::File { content, .. } => content.len() as u64,
                _ => 0,
            })
            .sum()
    }

    /// The `.dockerignore` that applies to a build with the Dockerfile at
    /// `dockerfile` (context-relative): `<Dockerfile>.dockerignore` next
    /// to it when present (BuildKit prefers it), else `.dockerignore` at
    /// the root; empty when there is neither.
    pub fn dockerignore(&self, dockerfile: &str) -> Result<DockerIgnore, IgnoreError> {
        let specific = format!("{dockerfile}.dockerignore");
        let text = self.read(&specific).or_else(|| self.read(".dockerignore"));
        match text {
            Some(bytes) => DockerIgnore::parse(&String::from_utf8_lossy(bytes)),
            None => Ok(DockerIgnore::default()),
        }
    }

    /// The files BuildKit receives: the context minus what `ignore`
    /// excludes, as a file system rooted at `/` (files owned by root).
    /// A directory that is itself ignored is still sent when an exception
    /// brings back something inside it.
    pub fn to_fs(&self, ignore: &DockerIgnore) -> Fs {
        let mut fs = Fs::new();
        for (path, entry) in &self.entries {
            if ignore.is_excluded(path) {
                continue;
            }
            let node = match entry {
                ContextEntry::File { content, mode } => Node::file(content.clone(), *mode),
                ContextEntry::Dir { mode } => Node::dir(*mode),
                ContextEntry::Symlink { target } => Node::symlink(target),
            };
            // Parents that are ignored but needed come from the context
            // with their own modes.
            let mut cur = String::new();
            let parts: Vec<&str> = path.split('/').collect();
            for part in &parts[..parts.len() - 1] {
                if !cur.is_empty() {
                    cur.push('/');
                }
                cur.push_str(part);
                if fs.get(&cur).is_none() {
                    let mode = match self.entries.get(&cur) {
                        Some(ContextEntry::Dir { mode }) => *mode,
                        _ => DEFAULT_DIR_MODE,
                    };
                    fs.put(&cur, Node::dir(mode));
                }
            }
            fs.put(path, node);
        }
        fs
    }

    /// A context from a `.tar` archive.
    pub fn from_tar(bytes: &[u8]) -> Result<Context, ContextError> {
        let mut ctx = Context::new();
        let mut budget = crate::limits::ArchiveBudget::new();
        let mut archive = tar::Archive::new(bytes);
        let entries = archive
            .entries()
            .map_err(|e| err(format!("not a tar archive: {e}")))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| err(format!("broken tar archive: {e}")))?;
            let path = entry
                .path()
                .map_err(|e| err(format!("bad entry name in tar archive: {e}")))?
                .to_string_lossy()
                .into_owned();
            // Entry count, path shape and total size are bounded before
            // anything is read or inserted (see `limits`).
            budget
                .entry(&path, entry.header().size().unwrap_or(0))
                .map_err(|e| err(e.message))?;
            let mode = entry.header().mode().unwrap_or(DEFAULT_FILE_MODE) & 0o7777;
            let kind = entry.header().entry_type();
            if kind.is_dir() {
                ctx.insert_dir(&path, mode)?;
            } else if kind.is_symlink() {
                let target = entry
                    .link_name()
                    .ok()
                    .flatten()
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ctx.insert_symlink(&path, &target)?;
            } else if kind.is_hard_link() {
                let target = entry
                    .link_name()
                    .ok()
                    .flatten()
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let content = ctx.read(&target).map(<[u8]>::to_vec).ok_or_else(|| {
                    err(format!(
                        "tar entry {path:?} is a hard link to {target:?}, which is not in the archive before it"
                    ))
                })?;
                ctx.insert_file(&path, content, mode)?;
            } else if kind.is_file() || kind == tar::EntryType::Continuous {
                let mut content = Vec::new();
                entry
                    .read_to_end(&mut content)
                    .map_err(|e| err(format!("broken tar archive at {path:?}: {e}")))?;
                ctx.insert_file(&path, content, mode)?;
            }
            // Devices, FIFOs and PAX/GNU bookkeeping entries carry no
            // context content.
        }
        Ok(ctx)
    }

    /// A context from a gzip-compressed tar archive.
    pub fn from_tar_gz(bytes: &[u8]) -> Result<Context, ContextError> {
        // Read at most one byte past the limit, so a gzip bomb stops early.
        let cap = crate::limits::MAX_DECOMPRESSED_BYTES + 1;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(cap)
            .read_to_end(&mut out)
            .map_err(|e| err(format!("not a gzip file: {e}")))?;
        crate::limits::ArchiveBudget::new()
            .decompressed(out.len() as u64)
            .map_err(|e| err(e.message))?;
        Context::from_tar(&out)
    }

    /// A context from a `.tar` or `.tar.gz`, told apart by the gzip magic
    /// number.
    pub fn from_archive(bytes: &[u8]) -> Result<Context, ContextError> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            Context::from_tar_gz(bytes)
        } else {
            Context::from_tar(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            // set_path refuses `..`; write the raw name like a hostile
            // archive would.
            let raw = &mut h.as_old_mut().name;
            raw[..name.len()].copy_from_slice(name.as_bytes());
            h.set_cksum();
            b.append(&h, *data).unwrap_or_default();
        }
        b.into_inner().unwrap_or_default()
    }

    #[test]
    fn files_dirs_and_removal_keeps_parents() {
        let mut c =
            Context::from_files([("src/deep/n.txt", "n\n"), ("a.txt", "a\n")]).unwrap_or_default();
        assert!(matches!(c.get("src/deep"), Some(ContextEntry::Dir { .. })));
        assert!(c.remove("src/deep/n.txt"));
        assert!(matches!(c.get("src/deep"), Some(ContextEntry::Dir { .. })));
        assert_eq!(c.read("./a.txt"), Some(&b"a\n"[..]));
        assert!(c.insert_file("../x", "x", 0o644).is_err());
        assert!(c.insert_file("/abs/y", "y", 0o644).is_ok());
        assert!(c.read("abs/y").is_some());
    }

    #[test]
    fn tar_and_tar_gz_import() {
        let tar = tar_of(&[("app/a.txt", b"hi"), ("/etc/b", b"b")]);
        let c = Context::from_archive(&tar).unwrap_or_default();
        assert_eq!(c.read("app/a.txt"), Some(&b"hi"[..]));
        assert_eq!(c.read("etc/b"), Some(&b"b"[..]));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &tar).unwrap_or_default();
        let gz = gz.finish().unwrap_or_default();
        assert_eq!(Context::from_archive(&gz), Ok(c));
        let bad = tar_of(&[("../escape", b"x")]);
        let e = Context::from_archive(&bad);
        assert!(e.is_err(), "{e:?}");
        assert!(
            Context::from_archive(b"not an archive at all").is_ok_and(|c| c.is_empty())
                || Context::from_archive(b"not an archive at all").is_err()
        );
    }

    #[test]
    fn ignored_files_are_not_sent() {
        let c = Context::from_files([
            ("app.txt", "a"),
            ("logs/x.log", "x"),
            ("logs/keep.txt", "k"),
            (".dockerignore", "logs\n!logs/keep.txt\n"),
        ])
        .unwrap_or_default();
        let ig = c.dockerignore("Dockerfile").unwrap_or_default();
        let fs = c.to_fs(&ig);
        assert!(fs.exists("/app.txt"));
        assert!(!fs.exists("/logs/x.log"));
        assert!(fs.exists("/logs/keep.txt"));
    }
}
