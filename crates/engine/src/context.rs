//! The build context: the folder (or archive) `docker build` sends to
//! BuildKit, as an in-memory tree of files with content and mode.
//!
//! The engine never reads the disk: the CLI walks a folder and calls
//! [`Context::insert_file`]; both front ends can load a `.tar` or
//! `.tar.gz` with [`Context::from_archive`]. Entries that would land
//! outside the context (`../x`) are rejected; absolute names are made
//! relative; symbolic links are kept and, when followed, stay inside the
//! context (`/` is the context root, as in BuildKit).
//!
//! [`read_archive`] is the one tar reader: context import and ADD's
//! extraction of a local archive (`copy::untar`) both go through it, so
//! both get the same limits ([`crate::limits::Budget`]) and read a broken
//! archive the way Go's `archive/tar` (under BuildKit and moby) does.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, Read};

use crate::dockerignore::{DockerIgnore, IgnoreError};
use crate::filesystem::{Fs, Node};
use crate::limits::{ArchiveBudget, Budget, Limit, LimitError};
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
    /// directories included. (Boxed, as a file system's nodes: one copy
    /// of `BTreeMap`'s node code in the wasm for both.)
    entries: BTreeMap<String, Box<ContextEntry>>,
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

    /// The entry at exactly the map key `path`.
    fn at(&self, path: &str) -> Option<&ContextEntry> {
        self.entries.get(path).map(|e| &**e)
    }

    /// Inserts (or replaces) the entry at exactly `path`, nothing else.
    fn set(&mut self, path: String, entry: ContextEntry) {
        self.entries.insert(path, Box::new(entry));
    }

    fn ensure_dirs(&mut self, path: &str) -> Result<(), ContextError> {
        let mut cur = String::new();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(part);
            match self.at(&cur) {
                Some(ContextEntry::Dir { .. }) => {}
                Some(_) => {
                    return Err(err(format!(
                        "cannot create {path:?}: {cur:?} is a file, not a directory"
                    )))
                }
                None => {
                    self.set(
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
        if matches!(self.at(&p), Some(ContextEntry::Dir { .. })) {
            return Err(err(format!("{p:?} is a directory")));
        }
        self.ensure_dirs(&p)?;
        self.set(
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
        match self.at(&p) {
            Some(ContextEntry::Dir { .. }) | None => {
                self.set(
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
        if matches!(self.at(&p), Some(ContextEntry::Dir { .. }))
            || self
                .entries
                .range(under.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&under))
        {
            return Err(err(format!("{p:?} is a directory")));
        }
        self.ensure_dirs(&p)?;
        self.set(
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
        self.at(&p)
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
        self.entries.iter().map(|(p, e)| (p, &**e))
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
        self.iter()
            .map(|(_, e)| match e {
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
        for (path, entry) in self.iter() {
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
                    let mode = match self.at(&cur) {
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

    /// A context from a `.tar` archive, within [`Budget::DEFAULT`].
    pub fn from_tar(bytes: &[u8]) -> Result<Context, ContextError> {
        Context::load(bytes, false, &Budget::DEFAULT)
    }

    /// A context from a gzip-compressed tar archive, within
    /// [`Budget::DEFAULT`] (decompression stops one byte past
    /// [`Budget::max_decompressed_bytes`], so a gzip bomb stops early).
    pub fn from_tar_gz(bytes: &[u8]) -> Result<Context, ContextError> {
        Context::load(bytes, true, &Budget::DEFAULT)
    }

    /// A context from a `.tar` or `.tar.gz`, told apart by the gzip magic
    /// number, within [`Budget::DEFAULT`].
    pub fn from_archive(bytes: &[u8]) -> Result<Context, ContextError> {
        Context::from_archive_with(bytes, &Budget::DEFAULT)
    }

    /// [`Context::from_archive`] within `budget`.
    pub fn from_archive_with(bytes: &[u8], budget: &Budget) -> Result<Context, ContextError> {
        Context::load(bytes, is_gzip(bytes), budget)
    }

    fn load(bytes: &[u8], gzip: bool, budget: &Budget) -> Result<Context, ContextError> {
        let mut ctx = Context::new();
        walk(bytes, gzip, budget, &mut |e| ctx.insert_archive_entry(e))
            .map_err(|e| err(e.message))?;
        Ok(ctx)
    }

    fn insert_archive_entry(&mut self, e: ArchiveEntry) -> Result<(), String> {
        let name = e.name;
        let r = match e.item {
            ArchiveItem::Dir => self.insert_dir(&name, e.mode),
            ArchiveItem::Symlink(target) => self.insert_symlink(&name, &target),
            ArchiveItem::HardLink(target) => match self.read(&target).map(<[u8]>::to_vec) {
                Some(content) => self.insert_file(&name, content, e.mode),
                None => {
                    return Err(format!(
                        "tar entry {name:?} is a hard link to {target:?}, which is not in the archive before it"
                    ))
                }
            },
            ArchiveItem::File(content) => self.insert_file(&name, content, e.mode),
            // Devices, FIFOs, sparse files and PAX global headers carry no
            // context content.
            ArchiveItem::Other => Ok(()),
        };
        r.map_err(|e| e.message)
    }
}

/// gzip's magic number and deflate method, as moby's `DetectCompression`
/// tests them.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// What one archive entry holds, as [`read_archive`] hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveItem {
    /// A regular file and its bytes.
    File(Vec<u8>),
    /// A directory.
    Dir,
    /// A symbolic link and its target, as written.
    Symlink(String),
    /// A hard link to an earlier entry, named as written.
    HardLink(String),
    /// What a tree does not keep: devices, FIFOs, sparse files, PAX global
    /// headers.
    Other,
}

/// One archive entry, as [`read_archive`] hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// The name as written (a GNU long name or a PAX `path` applied).
    pub name: String,
    /// What it holds.
    pub item: ArchiveItem,
    /// Permission bits.
    pub mode: u32,
    /// Owner uid from the header (0 when unreadable).
    pub uid: u32,
    /// Owner gid from the header (0 when unreadable).
    pub gid: u32,
}

/// Why [`read_archive`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveErrorKind {
    /// Not a tar archive, plain or gzip-compressed: its first header does
    /// not read (BuildKit's `isArchivePath`: ADD copies such a file as it
    /// is).
    NotAnArchive,
    /// The archive, or its gzip stream, is cut short.
    Truncated,
    /// A header after the first is not a tar header, or the gzip stream is
    /// corrupt.
    Invalid,
    /// Over a limit of the [`Budget`].
    Limit(Limit),
    /// The consumer refused an entry (with its own message).
    Refused,
}

/// An archive [`read_archive`] cannot read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveError {
    /// Why.
    pub kind: ArchiveErrorKind,
    /// What to show.
    pub message: String,
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArchiveError {}

fn archive_err(kind: ArchiveErrorKind, message: impl Into<String>) -> ArchiveError {
    ArchiveError {
        kind,
        message: message.into(),
    }
}

impl From<LimitError> for ArchiveError {
    fn from(e: LimitError) -> ArchiveError {
        archive_err(ArchiveErrorKind::Limit(e.limit), e.message)
    }
}

/// Reads a tar archive, gzip-compressed or not (told apart by the gzip
/// magic number), handing every entry to `visit` in archive order, within
/// `budget`: the entry count, each path's shape, the content bytes the
/// headers declare and the files the tree holds (parents only implied
/// included) are checked before an entry's data is read; decompression
/// stops one byte past the budget. Returns the number of entries read
/// (0 for an empty archive).
///
/// A broken archive is read the way Go's `archive/tar` reads it under
/// BuildKit and moby (`Reader.Next`, `regFileReader.Read`):
/// * an entry whose data is cut short is an error naming it ("truncated
///   archive"), and so is a gzip stream that ends before the tar does,
///   or a header cut short;
/// * an archive that ends right after an entry's data, without the
///   padding to 512 bytes or the two zero blocks that mark the end, is
///   accepted: Go's reader takes an end of input there (`tryReadFull`,
///   `readHeader`'s "EOF is okay here") for a clean end;
/// * one zero block followed by a non-zero block is an invalid header,
///   one followed by a partial block a truncated archive (Go's
///   `ErrHeader`, `ErrUnexpectedEOF`);
/// * nothing is read past the end marker (Go does not either), so bytes
///   after it, or a gzip trailer missing after it, go unnoticed;
/// * when the first header does not read, the error is
///   [`ArchiveErrorKind::NotAnArchive`] (BuildKit's `isArchivePath`).
pub fn read_archive(
    bytes: &[u8],
    budget: &Budget,
    visit: &mut dyn FnMut(ArchiveEntry) -> Result<(), String>,
) -> Result<usize, ArchiveError> {
    walk(bytes, is_gzip(bytes), budget, visit)
}

/// What the reader under the tar parser saw.
#[derive(Default)]
struct Tracker {
    /// (Decompressed) bytes handed to the tar parser.
    pos: Cell<u64>,
    /// The input ended (a read returned 0 bytes).
    eof: Cell<bool>,
    /// Decompression went past the budget.
    over: Cell<bool>,
    /// The gzip decoder failed: its error kind and text.
    failure: RefCell<Option<(io::ErrorKind, String)>>,
}

/// The archive's bytes, decompressed or not, counted in a [`Tracker`] and
/// capped at `cap` bytes (plus one, to tell "at the limit" from "past it").
struct Tracked<'t, R> {
    inner: R,
    tracker: &'t Tracker,
    cap: Option<u64>,
}

impl<R: Read> Read for Tracked<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let pos = self.tracker.pos.get();
        let want = match self.cap {
            Some(cap) => {
                let room = cap.saturating_sub(pos).saturating_add(1);
                buf.len().min(usize::try_from(room).unwrap_or(usize::MAX))
            }
            None => buf.len(),
        };
        match self.inner.read(&mut buf[..want]) {
            Ok(0) => {
                self.tracker.eof.set(true);
                Ok(0)
            }
            Ok(n) => {
                let pos = pos.saturating_add(n as u64);
                self.tracker.pos.set(pos);
                if self.cap.is_some_and(|cap| pos > cap) {
                    self.tracker.over.set(true);
                    return Err(io::Error::other("decompression budget exceeded"));
                }
                Ok(n)
            }
            Err(e) => {
                self.tracker
                    .failure
                    .replace(Some((e.kind(), e.to_string())));
                Err(e)
            }
        }
    }
}

/// Where the previous entry's data ended.
struct Prev {
    name: String,
    /// Tracker position after its data.
    end: u64,
    /// Its declared size.
    size: u64,
    /// Whether its data was read whole.
    consumed: bool,
}

const BLOCK: u64 = 512;

/// The error for a read that failed in or after `what` ("inside entry
/// \"a\"", "after entry \"a\""): the decompression limit, a gzip stream
/// cut short or corrupt, else `fallback`.
fn source_error(
    tracker: &Tracker,
    counts: &ArchiveBudget,
    what: &str,
    fallback: impl FnOnce() -> ArchiveError,
) -> ArchiveError {
    if tracker.over.get() {
        return match counts.clone().decompressed(tracker.pos.get()) {
            Err(e) => e.into(),
            Ok(()) => fallback(),
        };
    }
    match &*tracker.failure.borrow() {
        Some((io::ErrorKind::UnexpectedEof, _)) => archive_err(
            ArchiveErrorKind::Truncated,
            format!("truncated archive: the gzip stream ends {what}"),
        ),
        Some((_, m)) => archive_err(
            ArchiveErrorKind::Invalid,
            format!("corrupt gzip stream {what}: {m}"),
        ),
        None => fallback(),
    }
}

fn walk(
    bytes: &[u8],
    gzip: bool,
    budget: &Budget,
    visit: &mut dyn FnMut(ArchiveEntry) -> Result<(), String>,
) -> Result<usize, ArchiveError> {
    use ArchiveErrorKind::{Invalid, NotAnArchive, Truncated};
    let tracker = Tracker::default();
    let inner: Box<dyn Read + '_> = if gzip {
        // Go's gzip reader reads concatenated members as one stream.
        Box::new(crate::gzip::GzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    };
    let mut archive = tar::Archive::new(Tracked {
        inner,
        tracker: &tracker,
        cap: gzip.then_some(budget.max_decompressed_bytes),
    });
    let not_archive = |e: &dyn fmt::Display| {
        let what = if gzip {
            "not a gzip-compressed tar archive"
        } else {
            "not a tar archive"
        };
        archive_err(NotAnArchive, format!("{what}: {e}"))
    };
    let mut counts = ArchiveBudget::with(*budget);
    let mut tree: BTreeSet<String> = BTreeSet::new();
    let mut prev: Option<Prev> = None;
    let entries = archive.entries().map_err(|e| not_archive(&e))?;
    for next in entries {
        let mut entry = match next {
            Ok(entry) => entry,
            Err(e) => {
                let Some(p) = &prev else {
                    if tracker.over.get() {
                        return Err(source_error(&tracker, &counts, "", || not_archive(&e)));
                    }
                    return Err(not_archive(&e));
                };
                let after = format!("after entry {:?}", p.name);
                let fallback = || {
                    if !tracker.eof.get() {
                        return archive_err(Invalid, format!("invalid tar header {after}: {e}"));
                    }
                    if !p.consumed {
                        return archive_err(
                            Truncated,
                            format!("truncated archive: entry {:?} is cut short", p.name),
                        );
                    }
                    archive_err(
                        Truncated,
                        format!("truncated archive: it ends inside the header {after}"),
                    )
                };
                // The input ended while skipping the padding after data
                // read whole: Go's reader takes that for a clean end.
                let padding = (BLOCK - p.size % BLOCK) % BLOCK;
                if tracker.eof.get()
                    && tracker.failure.borrow().is_none()
                    && p.consumed
                    && tracker.pos.get() <= p.end.saturating_add(padding)
                {
                    break;
                }
                return Err(source_error(&tracker, &counts, &after, fallback));
            }
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size();
        counts.entry(&name, size)?;
        let header = entry.header();
        let kind = header.entry_type();
        let mode = header.mode().unwrap_or(DEFAULT_FILE_MODE) & 0o7777;
        let uid = header
            .uid()
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        let gid = header
            .gid()
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
        let is_file = kind.is_file() || kind == tar::EntryType::Continuous;
        let kept = is_file || kind.is_dir() || kind.is_symlink() || kind.is_hard_link();
        if kept {
            let rel = paths::relative(&name);
            let mut p = rel.as_str();
            while !p.is_empty() && tree.insert(p.to_string()) {
                p = p.rsplit_once('/').map_or("", |(parent, _)| parent);
            }
            counts.files(&name, tree.len())?;
        }
        let link = if kind.is_symlink() || kind.is_hard_link() {
            entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        } else {
            String::new()
        };
        // Every entry's data is read (a file's kept, the rest dropped), so
        // that one cut short is found here and named. A sparse file's
        // holes would be zeros made up by the parser, not read: its data
        // is left to the parser to skip.
        let mut content = Vec::new();
        let read = if kind.is_gnu_sparse() {
            None
        } else if is_file {
            Some(entry.read_to_end(&mut content).map(|n| n as u64))
        } else {
            Some(io::copy(&mut entry, &mut io::sink()))
        };
        let consumed = match read {
            None => false,
            Some(Ok(n)) if n >= size => true,
            Some(Ok(n)) => {
                return Err(archive_err(
                    Truncated,
                    format!("truncated archive: entry {name:?} is cut short ({n} of {size} bytes)"),
                ))
            }
            Some(Err(e)) => {
                let inside = format!("inside entry {name:?}");
                return Err(source_error(&tracker, &counts, &inside, || {
                    archive_err(Invalid, format!("cannot read entry {name:?}: {e}"))
                }));
            }
        };
        prev = Some(Prev {
            name: name.clone(),
            end: tracker.pos.get(),
            size,
            consumed,
        });
        let item = if kind.is_dir() {
            ArchiveItem::Dir
        } else if kind.is_symlink() {
            ArchiveItem::Symlink(link)
        } else if kind.is_hard_link() {
            ArchiveItem::HardLink(link)
        } else if is_file {
            ArchiveItem::File(content)
        } else {
            ArchiveItem::Other
        };
        visit(ArchiveEntry {
            name,
            item,
            mode,
            uid,
            gid,
        })
        .map_err(|m| archive_err(ArchiveErrorKind::Refused, m))?;
    }
    let seen = counts.entries;
    if tracker.eof.get() {
        return Ok(seen);
    }
    // The parser stopped at a zero block; Go's reader reads one more:
    // zeros or nothing end the archive, anything else is an error (and
    // for a first header, not an archive at all).
    let after = match &prev {
        Some(p) => format!("after entry {:?}", p.name),
        None => "at the start".to_string(),
    };
    let mut source = archive.into_inner();
    let mut block = [0u8; BLOCK as usize];
    let mut got = 0;
    while got < block.len() {
        match source.read(&mut block[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => {
                let what = format!("in the end-of-archive marker {after}");
                let e = source_error(&tracker, &counts, &what, || {
                    archive_err(Invalid, format!("{e}"))
                });
                return Err(match e.kind {
                    ArchiveErrorKind::Limit(_) => e,
                    _ if seen == 0 => not_archive(&e),
                    _ => e,
                });
            }
        }
    }
    if got == 0 || (got == block.len() && block.iter().all(|b| *b == 0)) {
        return Ok(seen);
    }
    let e = if got < block.len() {
        archive_err(
            Truncated,
            format!("truncated archive: the end-of-archive marker {after} is cut short"),
        )
    } else {
        archive_err(
            Invalid,
            format!("invalid tar header {after}: a zero block followed by data"),
        )
    };
    Err(if seen == 0 { not_archive(&e) } else { e })
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
