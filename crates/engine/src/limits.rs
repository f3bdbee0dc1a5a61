//! Limits on untrusted input, with clear errors instead of crashes, hangs
//! or unbounded memory: the Dockerfile, the `.dockerignore`, the build
//! context and the archives it is loaded from.
//!
//! Where BuildKit (or the kernel, or Go's standard library under it) has a
//! limit, the constant is that limit and its error message is BuildKit's.
//! Where BuildKit has none (it runs on a server with a disk), the constant
//! is LayerLab's own budget for a playground that rebuilds on every
//! keystroke inside a browser tab; each says so.
//!
//! Everything here is pure: constants, check functions, a [`Budget`]
//! (the maxima one load is held to: the constants by default, smaller
//! ones in tests) and the running budgets [`ArchiveBudget`] (a context
//! archive, an archive ADD extracts) and [`FolderBudget`] (a folder read
//! into a context). The callers (parser front ends, context import, ADD,
//! the CLI's folder reader) decide where to call them.

use std::fmt;

/// Dockerfile and `.dockerignore` maximum size: BuildKit's Dockerfile
/// frontend refuses to load larger files (`frontend/dockerui/readfile.go`,
/// `maxFileSize = defaults.DefaultMaxRecvMsgSize`, containerd's default
/// gRPC message size, 16 MiB).
pub const MAX_DOCKERFILE_BYTES: usize = 16 << 20;

/// Longest Dockerfile line, newline excluded: BuildKit's parser reads lines
/// with a `bufio.Scanner` (`bufio.MaxScanTokenSize - 1`); the same value as
/// `layerlab_syntax::MAX_LINE_LENGTH`, which the parser enforces with
/// BuildKit's message.
pub const MAX_LINE_BYTES: usize = 64 * 1024 - 1;

/// Longest `.dockerignore` line: `ignorefile.ReadAll` also scans lines with
/// a default `bufio.Scanner` (`bufio.Scanner: token too long` beyond it).
pub const MAX_DOCKERIGNORE_LINE_BYTES: usize = 64 * 1024 - 1;

/// Most instructions in one Dockerfile. BuildKit has no such limit; this is
/// LayerLab's budget, well above any real file (the benchmark's 50,000-line
/// file has about 33,000) and low enough that a build plan stays
/// interactive.
pub const MAX_INSTRUCTIONS: usize = 50_000;

/// Most bytes of file content in a build context. LayerLab's budget (a
/// browser tab holds the whole context in memory; BuildKit streams it).
pub const MAX_CONTEXT_BYTES: u64 = 256 << 20;

/// Most files (and directories and links) in a build context. LayerLab's
/// budget.
pub const MAX_CONTEXT_FILES: usize = 100_000;

/// Most entries in a context archive (or one ADD extracts), as the tar
/// reader yields them: a GNU long name or a PAX header travels with the
/// entry after it (the reader refuses two of a kind for one entry), PAX
/// global headers, devices and FIFOs count. LayerLab's budget: twice
/// [`MAX_CONTEXT_FILES`], so that entries the tree does not keep cannot
/// hide a huge archive.
pub const MAX_TAR_ENTRIES: usize = 2 * MAX_CONTEXT_FILES;

/// Most bytes a `.tar.gz` context may decompress to (against gzip bombs:
/// deflate reaches about 1:1000). LayerLab's budget: the context budget
/// plus room for tar headers and padding.
pub const MAX_DECOMPRESSED_BYTES: u64 = MAX_CONTEXT_BYTES + (64 << 20);

/// Most components in one context path (`a/b/c` has 3). LayerLab's budget;
/// Linux's `PATH_MAX` ([`MAX_PATH_BYTES`]) bounds it at 2,048 anyway.
pub const MAX_PATH_DEPTH: usize = 256;

/// Longest path in bytes: Linux's `PATH_MAX` (4096, the terminating NUL
/// included, so 4095 usable bytes).
pub const MAX_PATH_BYTES: usize = 4095;

/// Longest single path component in bytes: Linux's `NAME_MAX`.
pub const MAX_NAME_BYTES: usize = 255;

/// Symbolic links followed while resolving one path inside a container
/// (`RUN`, `docker exec`): Linux's limit (`MAXSYMLINKS`, `ELOOP`, "Too many
/// levels of symbolic links"), which `filesystem::Fs::resolve` applies.
pub const MAX_SYMLINK_HOPS: usize = 40;

/// Symbolic links followed while resolving a COPY/ADD source or
/// destination inside a root: BuildKit resolves those with containerd's
/// `continuity/fs.RootPath`, which gives up after 255 links ("too many
/// links").
pub const MAX_SYMLINK_HOPS_SCOPED: usize = 255;

/// The maxima one load of untrusted input is held to: a context archive,
/// an archive ADD extracts, a folder read into a context.
/// [`Budget::DEFAULT`] holds this module's constants; tests pass smaller
/// ones instead of building giant fixtures. Path length and name length
/// are the kernel's and stay fixed ([`MAX_PATH_BYTES`], [`MAX_NAME_BYTES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Most archive entries ([`MAX_TAR_ENTRIES`]).
    pub max_entries: usize,
    /// Most files, directories and links the loaded tree holds, parent
    /// directories an archive only implies included ([`MAX_CONTEXT_FILES`]).
    pub max_files: usize,
    /// Most bytes of content ([`MAX_CONTEXT_BYTES`]).
    pub max_bytes: u64,
    /// Most bytes a compressed archive decompresses to
    /// ([`MAX_DECOMPRESSED_BYTES`]).
    pub max_decompressed_bytes: u64,
    /// Most components in one path ([`MAX_PATH_DEPTH`]).
    pub max_path_depth: usize,
}

impl Budget {
    /// The module's constants.
    pub const DEFAULT: Budget = Budget {
        max_entries: MAX_TAR_ENTRIES,
        max_files: MAX_CONTEXT_FILES,
        max_bytes: MAX_CONTEXT_BYTES,
        max_decompressed_bytes: MAX_DECOMPRESSED_BYTES,
        max_path_depth: MAX_PATH_DEPTH,
    };
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::DEFAULT
    }
}

/// Which limit an input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_DOCKERFILE_BYTES`].
    DockerfileBytes,
    /// [`MAX_LINE_BYTES`].
    LineBytes,
    /// [`MAX_DOCKERIGNORE_LINE_BYTES`].
    DockerignoreLineBytes,
    /// [`MAX_INSTRUCTIONS`].
    Instructions,
    /// [`MAX_CONTEXT_BYTES`].
    ContextBytes,
    /// [`MAX_CONTEXT_FILES`].
    ContextFiles,
    /// [`MAX_TAR_ENTRIES`].
    TarEntries,
    /// [`MAX_DECOMPRESSED_BYTES`].
    DecompressedBytes,
    /// [`MAX_PATH_DEPTH`].
    PathDepth,
    /// [`MAX_PATH_BYTES`].
    PathBytes,
    /// [`MAX_NAME_BYTES`].
    NameBytes,
    /// [`MAX_SYMLINK_HOPS`] or [`MAX_SYMLINK_HOPS_SCOPED`].
    SymlinkHops,
}

impl Limit {
    /// The limit's value.
    pub fn max(self) -> u64 {
        match self {
            Limit::DockerfileBytes => MAX_DOCKERFILE_BYTES as u64,
            Limit::LineBytes => MAX_LINE_BYTES as u64,
            Limit::DockerignoreLineBytes => MAX_DOCKERIGNORE_LINE_BYTES as u64,
            Limit::Instructions => MAX_INSTRUCTIONS as u64,
            Limit::ContextBytes => MAX_CONTEXT_BYTES,
            Limit::ContextFiles => MAX_CONTEXT_FILES as u64,
            Limit::TarEntries => MAX_TAR_ENTRIES as u64,
            Limit::DecompressedBytes => MAX_DECOMPRESSED_BYTES,
            Limit::PathDepth => MAX_PATH_DEPTH as u64,
            Limit::PathBytes => MAX_PATH_BYTES as u64,
            Limit::NameBytes => MAX_NAME_BYTES as u64,
            Limit::SymlinkHops => MAX_SYMLINK_HOPS_SCOPED as u64,
        }
    }
}

/// An input over a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// Which limit.
    pub limit: Limit,
    /// The limit's value.
    pub max: u64,
    /// What the input has (for streams: the first value past the limit).
    pub actual: u64,
    /// The message to show, BuildKit's where BuildKit has the limit.
    pub message: String,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LimitError {}

/// `Err` when `actual` is past `max`; the message is only built then.
fn over(
    limit: Limit,
    max: u64,
    actual: u64,
    message: impl FnOnce() -> String,
) -> Result<(), LimitError> {
    if actual > max {
        Err(LimitError {
            limit,
            max,
            actual,
            message: message(),
        })
    } else {
        Ok(())
    }
}

/// A Dockerfile (or `.dockerignore`) named `name` of `len` bytes, with
/// BuildKit's message: `Dockerfile exceeds maximum allowed size of
/// 16777216 bytes`.
pub fn check_file_size(name: &str, len: usize) -> Result<(), LimitError> {
    over(
        Limit::DockerfileBytes,
        MAX_DOCKERFILE_BYTES as u64,
        len as u64,
        || format!("{name} exceeds maximum allowed size of {MAX_DOCKERFILE_BYTES} bytes"),
    )
}

/// The longest line of `text` (newline and a `\r` before it excluded), with
/// its 1-based number; `(0, 0)` for empty text.
pub fn longest_line(text: &str) -> (usize, usize) {
    let mut best = (0, 0);
    for (i, line) in text.split('\n').enumerate() {
        let len = line.strip_suffix('\r').unwrap_or(line).len();
        if len > best.0 {
            best = (len, i + 1);
        }
    }
    best
}

/// Every Dockerfile line within [`MAX_LINE_BYTES`], with BuildKit's
/// message (`dockerfile line greater than max allowed size of 65535`).
/// The parser already applies it; this is for front ends that want to
/// refuse a file before parsing it.
pub fn check_line_length(text: &str) -> Result<(), LimitError> {
    let (len, _) = longest_line(text);
    over(Limit::LineBytes, MAX_LINE_BYTES as u64, len as u64, || {
        format!("dockerfile line greater than max allowed size of {MAX_LINE_BYTES}")
    })
}

/// Every `.dockerignore` line within [`MAX_DOCKERIGNORE_LINE_BYTES`], with
/// the message BuildKit gives (`failed parsing .dockerignore:
/// bufio.Scanner: token too long`).
pub fn check_dockerignore_lines(name: &str, text: &str) -> Result<(), LimitError> {
    let (len, _) = longest_line(text);
    over(
        Limit::DockerignoreLineBytes,
        MAX_DOCKERIGNORE_LINE_BYTES as u64,
        len as u64,
        || format!("failed parsing {name}: bufio.Scanner: token too long"),
    )
}

/// A parsed Dockerfile's instruction count within [`MAX_INSTRUCTIONS`].
pub fn check_instruction_count(count: usize) -> Result<(), LimitError> {
    over(
        Limit::Instructions,
        MAX_INSTRUCTIONS as u64,
        count as u64,
        || {
            format!(
            "the Dockerfile has {count} instructions; the playground builds at most {MAX_INSTRUCTIONS}"
        )
        },
    )
}

/// A build context of `files` entries and `bytes` bytes of content within
/// [`MAX_CONTEXT_FILES`] and [`MAX_CONTEXT_BYTES`].
pub fn check_context(files: usize, bytes: u64) -> Result<(), LimitError> {
    over(
        Limit::ContextFiles,
        MAX_CONTEXT_FILES as u64,
        files as u64,
        || {
            format!(
            "the build context has {files} entries; the playground loads at most {MAX_CONTEXT_FILES}"
        )
        },
    )?;
    over(Limit::ContextBytes, MAX_CONTEXT_BYTES, bytes, || {
        format!(
            "the build context holds {bytes} bytes; the playground loads at most {MAX_CONTEXT_BYTES}"
        )
    })
}

/// A path (as written in an archive or an edit, `/`-separated; empty, `.`
/// parts ignored) within [`MAX_PATH_BYTES`], [`MAX_NAME_BYTES`] per
/// component and [`MAX_PATH_DEPTH`] components.
pub fn check_path(path: &str) -> Result<(), LimitError> {
    check_path_with(path, MAX_PATH_DEPTH)
}

/// [`check_path`] with at most `max_depth` components
/// ([`Budget::max_path_depth`]).
pub fn check_path_with(path: &str, max_depth: usize) -> Result<(), LimitError> {
    over(
        Limit::PathBytes,
        MAX_PATH_BYTES as u64,
        path.len() as u64,
        || {
            format!(
                "path {:?}... is {} bytes long; at most {MAX_PATH_BYTES} are allowed",
                prefix(path),
                path.len()
            )
        },
    )?;
    let mut depth = 0usize;
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        over(
            Limit::NameBytes,
            MAX_NAME_BYTES as u64,
            part.len() as u64,
            || {
                format!(
                    "path {:?}... has a {}-byte name; at most {MAX_NAME_BYTES} are allowed",
                    prefix(path),
                    part.len()
                )
            },
        )?;
        depth += 1;
    }
    over(Limit::PathDepth, max_depth as u64, depth as u64, || {
        format!(
            "path {:?}... is {depth} directories deep; at most {max_depth} are allowed",
            prefix(path)
        )
    })
}

/// The first 40 bytes of `path` (on a character boundary), for messages.
fn prefix(path: &str) -> &str {
    let mut end = path.len().min(40);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    &path[..end]
}

/// `hops` symbolic links followed so far within `max` (use
/// [`MAX_SYMLINK_HOPS`] inside a container, [`MAX_SYMLINK_HOPS_SCOPED`] for
/// BuildKit's COPY path resolution), with the kernel's message.
pub fn check_symlink_hops(path: &str, hops: usize, max: usize) -> Result<(), LimitError> {
    over(Limit::SymlinkHops, max as u64, hops as u64, || {
        format!("{path}: Too many levels of symbolic links")
    })
}

/// A running budget for one archive (a context import, or an archive ADD
/// extracts): call [`ArchiveBudget::entry`] for every tar entry before
/// acting on it, [`ArchiveBudget::files`] with the size of the tree it
/// builds, and [`ArchiveBudget::decompressed`] as decompressed bytes
/// arrive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveBudget {
    /// The maxima.
    pub budget: Budget,
    /// Entries seen.
    pub entries: usize,
    /// Content bytes the entries declare.
    pub content_bytes: u64,
    /// Decompressed bytes seen.
    pub decompressed_bytes: u64,
}

impl ArchiveBudget {
    /// An empty budget with the module's constants.
    pub fn new() -> ArchiveBudget {
        ArchiveBudget::default()
    }

    /// An empty budget with other maxima.
    pub fn with(budget: Budget) -> ArchiveBudget {
        ArchiveBudget {
            budget,
            ..ArchiveBudget::default()
        }
    }

    /// One more entry named `path` carrying `size` content bytes: checks
    /// the entry count, the path and the content byte budget.
    pub fn entry(&mut self, path: &str, size: u64) -> Result<(), LimitError> {
        let b = self.budget;
        self.entries += 1;
        over(
            Limit::TarEntries,
            b.max_entries as u64,
            self.entries as u64,
            || format!("the archive has more than {} entries", b.max_entries),
        )?;
        check_path_with(path, b.max_path_depth)?;
        self.content_bytes = self.content_bytes.saturating_add(size);
        over(Limit::ContextBytes, b.max_bytes, self.content_bytes, || {
            format!(
                "the archive's files hold more than {} bytes (at {:?}, {size} bytes)",
                b.max_bytes, path
            )
        })
    }

    /// The tree the archive unpacks to holds `count` files, directories
    /// and links (parents it only implies included) after the entry named
    /// `path`.
    pub fn files(&self, path: &str, count: usize) -> Result<(), LimitError> {
        let max = self.budget.max_files;
        over(Limit::ContextFiles, max as u64, count as u64, || {
            format!(
                "the archive unpacks to more than {max} files and directories (at {:?})",
                path
            )
        })
    }

    /// `n` more decompressed bytes.
    pub fn decompressed(&mut self, n: u64) -> Result<(), LimitError> {
        let max = self.budget.max_decompressed_bytes;
        self.decompressed_bytes = self.decompressed_bytes.saturating_add(n);
        over(
            Limit::DecompressedBytes,
            max,
            self.decompressed_bytes,
            || format!("the archive decompresses to more than {max} bytes (a gzip bomb?)"),
        )
    }
}

/// A running budget for a folder read into a build context (`layerlab
/// docker build DIR`): call [`FolderBudget::entry`] for every file,
/// directory and link, and [`FolderBudget::content`] for a file's bytes
/// (with the size its metadata gives before reading it, so that a huge
/// file is refused unread, and with what was read after).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderBudget {
    /// The maxima.
    pub budget: Budget,
    /// Entries seen.
    pub entries: usize,
    /// Content bytes seen.
    pub bytes: u64,
}

impl FolderBudget {
    /// An empty budget with the module's constants.
    pub fn new() -> FolderBudget {
        FolderBudget::default()
    }

    /// An empty budget with other maxima.
    pub fn with(budget: Budget) -> FolderBudget {
        FolderBudget {
            budget,
            ..FolderBudget::default()
        }
    }

    /// One more entry at `path` (relative to the context root): checks
    /// the entry count and the path.
    pub fn entry(&mut self, path: &str) -> Result<(), LimitError> {
        let b = self.budget;
        self.entries += 1;
        over(
            Limit::ContextFiles,
            b.max_files as u64,
            self.entries as u64,
            || {
                format!(
                    "the build context has more than {} files and directories (at {:?}); \
                     the playground loads at most {}",
                    b.max_files, path, b.max_files
                )
            },
        )?;
        check_path_with(path, b.max_path_depth)
    }

    /// `size` more content bytes, from the file at `path`.
    pub fn content(&mut self, path: &str, size: u64) -> Result<(), LimitError> {
        let max = self.budget.max_bytes;
        self.bytes = self.bytes.saturating_add(size);
        over(Limit::ContextBytes, max, self.bytes, || {
            format!(
                "the build context holds more than {max} bytes (at {:?}, {size} bytes); \
                 the playground loads at most {max}",
                path
            )
        })
    }

    /// How many more content bytes fit.
    pub fn bytes_left(&self) -> u64 {
        self.budget.max_bytes.saturating_sub(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_bounds() {
        assert!(check_file_size("Dockerfile", MAX_DOCKERFILE_BYTES).is_ok());
        assert_eq!(
            check_file_size("Dockerfile", MAX_DOCKERFILE_BYTES + 1).map_err(|e| e.message),
            Err("Dockerfile exceeds maximum allowed size of 16777216 bytes".to_string())
        );
        assert_eq!(longest_line("a\nbbb\r\ncc"), (3, 2));
        assert!(check_line_length(&"x".repeat(MAX_LINE_BYTES)).is_ok());
        assert!(check_line_length(&"x".repeat(MAX_LINE_BYTES + 1)).is_err());
        assert!(check_path("a/./b//c").is_ok());
        assert!(check_path(&"a/".repeat(MAX_PATH_DEPTH + 1)).is_err());
        assert!(check_path(&"é".repeat(200)).is_err());
        let mut b = ArchiveBudget::new();
        assert!(b.entry("a", 10).is_ok());
        assert!(b.decompressed(MAX_DECOMPRESSED_BYTES).is_ok());
        assert!(b.decompressed(1).is_err());
    }

    #[test]
    fn folder_budget_counts_entries_and_bytes() {
        let mut b = FolderBudget::with(Budget {
            max_files: 2,
            max_bytes: 10,
            max_path_depth: 2,
            ..Budget::DEFAULT
        });
        assert!(b.entry("a").is_ok() && b.entry("a/b").is_ok());
        assert_eq!(
            b.entry("c").err().map(|e| e.limit),
            Some(Limit::ContextFiles)
        );
        let mut b = FolderBudget::with(Budget {
            max_bytes: 10,
            max_path_depth: 2,
            ..Budget::DEFAULT
        });
        assert_eq!(
            b.entry("a/b/c").err().map(|e| e.limit),
            Some(Limit::PathDepth)
        );
        assert!(b.content("f", 10).is_ok());
        assert_eq!(b.bytes_left(), 0);
        assert_eq!(
            b.content("g", 1).map_err(|e| e.message),
            Err(
                "the build context holds more than 10 bytes (at \"g\", 1 bytes); \
                 the playground loads at most 10"
                    .to_string()
            )
        );
    }
}
