//! COPY and ADD: which source files a step selects, the checksum BuildKit
//! keys the step on, and what lands where in the image.
//!
//! The rules (BuildKit's file op with the Dockerfile's copy options):
//! * sources may contain `*`, `?` and `[...]` (Go `filepath.Match`, per path
//!   element); a wildcard that matches nothing copies nothing;
//! * a directory source copies its *contents*, not the directory itself;
//! * a destination ending in `/`, or an existing directory, receives files
//!   under their own name; otherwise a single file is copied *to* that path;
//! * missing destination directories are created (0755);
//! * files from the build context are owned by root unless `--chown`;
//!   from another stage they keep their owner;
//! * `--chmod` sets the permission bits of what is copied;
//! * the cache checksum covers names, types, permission bits, owners and
//!   contents of what is selected, never modification times.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::context::{read_archive, ArchiveErrorKind, ArchiveItem};
use crate::digest::sha256_hex;
use crate::dockerignore::DockerIgnore;
use crate::filesystem::{Fs, Node, NodeKind};
use crate::glob::{has_wildcards, GoPattern};
use crate::limits::Budget;
use crate::paths;
use crate::shared_sort;

/// A COPY or ADD that cannot be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyError {
    /// BuildKit's wording where it has one.
    pub message: String,
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CopyError {}

fn cerr(message: impl Into<String>) -> CopyError {
    CopyError {
        message: message.into(),
    }
}

/// One side of `--chown=user:group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    /// A numeric id.
    Id(u32),
    /// A name to look up in the image's `/etc/passwd` or `/etc/group`.
    Name(String),
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Id(n) => write!(f, "{n}"),
            Owner::Name(s) => f.write_str(s),
        }
    }
}

/// `--chown` as BuildKit keys it: user, and group only when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chown {
    /// The user.
    pub user: Owner,
    /// The group, when given after `:`.
    pub group: Option<Owner>,
}

impl Chown {
    /// Parses `user[:group]`.
    pub fn parse(s: &str) -> Chown {
        let owner = |p: &str| match p.parse::<u32>() {
            Ok(n) => Owner::Id(n),
            Err(_) => Owner::Name(p.to_string()),
        };
        match s.split_once(':') {
            Some((u, g)) => Chown {
                user: owner(u),
                group: Some(owner(g)),
            },
            None => Chown {
                user: owner(s),
                group: None,
            },
        }
    }
}

/// `--chmod`: octal bits, or a symbolic mode (`u+x`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chmod {
    /// `755`, `0644`...
    Octal(u32),
    /// `u+rwx,g=rx`...
    Symbolic(String),
}

impl Chmod {
    /// Parses `--chmod`, with BuildKit's error for bad values.
    pub fn parse(s: &str) -> Result<Chmod, String> {
        let non_octal = format!(
            "invalid chmod parameter: '{s}'. it should be octal string and between 0 and 07777"
        );
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return match u32::from_str_radix(s, 8) {
                Ok(n) if n <= 0o7777 => Ok(Chmod::Octal(n)),
                _ => Err(non_octal),
            };
        }
        if apply_symbolic(0o644, s, false).is_some() {
            Ok(Chmod::Symbolic(s.to_string()))
        } else {
            Err(non_octal)
        }
    }

    /// The bits for an entry that had `mode` (`is_dir` for `X`).
    pub fn apply(&self, mode: u32, is_dir: bool) -> u32 {
        match self {
            Chmod::Octal(n) => *n,
            Chmod::Symbolic(s) => apply_symbolic(mode, s, is_dir).unwrap_or(mode),
        }
    }
}

/// Applies a symbolic mode like `chmod` does (`u+x`, `go-w`, `a=r,u+w`,
/// `+x`); `None` when it does not parse.
pub fn apply_symbolic(mode: u32, spec: &str, is_dir: bool) -> Option<u32> {
    let mut m = mode;
    for clause in spec.split(',') {
        let who_len = clause
            .find(|c: char| !"ugoa".contains(c))
            .unwrap_or(clause.len());
        let who = &clause[..who_len];
        let mut rest = &clause[who_len..];
        if rest.is_empty() {
            return None;
        }
        let mask = if who.is_empty() || who.contains('a') {
            0o7777
        } else {
            let mut k = 0;
            if who.contains('u') {
                k |= 0o4700;
            }
            if who.contains('g') {
                k |= 0o2070;
            }
            if who.contains('o') {
                k |= 0o1007;
            }
            k
        };
        while !rest.is_empty() {
            let op = rest.chars().next()?;
            if !"+-=".contains(op) {
                return None;
            }
            rest = &rest[1..];
            let perm_len = rest.find(['+', '-', '=']).unwrap_or(rest.len());
            let perms = &rest[..perm_len];
            rest = &rest[perm_len..];
            let mut bits = 0;
            for p in perms.chars() {
                bits |= match p {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' => {
                        if is_dir || m & 0o111 != 0 {
                            0o111
                        } else {
                            0
                        }
                    }
                    's' => 0o6000,
                    't' => 0o1000,
                    _ => return None,
                };
            }
            let bits = bits & mask;
            m = match op {
                '+' => m | bits,
                '-' => m & !bits,
                _ => (m & !mask) | bits,
            };
        }
    }
    Some(m)
}

/// Resolves a USER or `--chown` spec (`name`, `uid`, `name:group`,
/// `uid:gid`) against the image's `/etc/passwd` and `/etc/group`:
/// `(uid, gid)`. A numeric user without a group gets the group from
/// passwd when listed, else the same number.
pub fn resolve_user(fs: &Fs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    if user.is_empty() {
        return Ok((0, 0));
    }
    let passwd = String::from_utf8_lossy(fs.read("/etc/passwd").unwrap_or_default()).into_owned();
    let entry = passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() < 4 {
            return None;
        }
        let uid: u32 = f[2].parse().ok()?;
        let gid: u32 = f[3].parse().ok()?;
        (f[0] == user || user.parse::<u32>().ok() == Some(uid)).then_some((uid, gid))
    });
    let (uid, primary) = match (user.parse::<u32>(), entry) {
        (Ok(n), Some((_, g))) => (n, g),
        (Ok(n), None) => (n, n),
        (Err(_), Some(e)) => e,
        (Err(_), None) => {
            return Err(format!(
                "unable to find user {user}: no matching entries in passwd file"
            ))
        }
    };
    let gid = match group {
        None => primary,
        Some(g) => match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                let groups =
                    String::from_utf8_lossy(fs.read("/etc/group").unwrap_or_default()).into_owned();
                groups
                    .lines()
                    .find_map(|l| {
                        let f: Vec<&str> = l.split(':').collect();
                        (f.len() >= 3 && f[0] == g)
                            .then(|| f[2].parse().ok())
                            .flatten()
                    })
                    .ok_or_else(|| {
                        format!("unable to find group {g}: no matching entries in group file")
                    })?
            }
        },
    };
    Ok((uid, gid))
}

/// What the cache key covers of one selected entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySum {
    /// `file`, `dir` or `symlink`.
    pub kind: String,
    /// sha256 of the content (or link target); empty for directories.
    pub digest: String,
    /// Permission bits.
    pub mode: u32,
    /// Owner uid.
    pub uid: u32,
    /// Owner gid.
    pub gid: u32,
}

impl EntrySum {
    /// A regular file with `content` and permission bits `mode`, owned by
    /// root (what a heredoc or a modelled download gives).
    pub fn root_file(content: &[u8], mode: u32) -> Box<EntrySum> {
        Box::new(EntrySum {
            kind: "file".into(),
            digest: sha256_hex(content),
            mode,
            uid: 0,
            gid: 0,
        })
    }

    fn of(node: &Node) -> Box<EntrySum> {
        let (kind, digest) = match &node.kind {
            NodeKind::File { content, size } => (
                "file",
                if *size as usize == content.len() {
                    sha256_hex(content)
                } else {
                    sha256_hex(format!("{}:{size}", sha256_hex(content)).as_bytes())
                },
            ),
            NodeKind::Dir => ("dir", String::new()),
            NodeKind::Symlink(t) => ("symlink", sha256_hex(t.as_bytes())),
        };
        Box::new(EntrySum {
            kind: kind.to_string(),
            digest,
            mode: node.mode,
            uid: node.uid,
            gid: node.gid,
        })
    }
}

/// The selected source entries by absolute source path: what a COPY's
/// cache key is computed from. (Boxed, as `State`'s images: one copy of
/// `BTreeMap`'s node code in the wasm for all.)
pub type Selection = BTreeMap<String, Box<EntrySum>>;

/// The paths `src` names in `fs`: itself when it has no wildcard,
/// otherwise every match (Go `filepath.Match` per path element), sorted.
pub fn resolve_wildcards(fs: &Fs, src: &str) -> Result<Vec<String>, CopyError> {
    let clean = paths::clean(&format!("/{}", src.trim_start_matches('/')));
    if !has_wildcards(&clean) {
        return Ok(if fs.lookup(&clean).is_some() {
            vec![clean]
        } else {
            Vec::new()
        });
    }
    let mut current = vec!["/".to_string()];
    for part in clean.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        if has_wildcards(part) {
            let pat = GoPattern::new(part).map_err(|e| cerr(e.to_string()))?;
            for dir in &current {
                let real = fs.resolve(dir, true).unwrap_or_else(|_| dir.clone());
                if !fs.is_dir(&real) {
                    continue;
                }
                for (name, _) in fs.children(&real) {
                    if pat.matches(&name) {
                        next.push(paths::join(&[dir, &name]));
                    }
                }
            }
        } else {
            let lit = part.replace('\\', "");
            for dir in &current {
                let p = paths::join(&[dir, &lit]);
                if fs.lookup(&p).is_some() {
                    next.push(p);
                }
            }
        }
        current = next;
    }
    shared_sort::sort(&mut current);
    Ok(current)
}

fn excluded(excludes: &DockerIgnore, rel: &str) -> bool {
    !excludes.is_empty() && !rel.is_empty() && excludes.is_excluded(rel)
}

/// The entries a source path selects (links at the top followed), with
/// `--exclude` patterns applied relative to each match. `Err` when a path
/// without wildcards does not exist.
pub fn select(fs: &Fs, src: &str, excludes: &DockerIgnore) -> Result<Selection, CopyError> {
    let matches = resolve_wildcards(fs, src)?;
    if matches.is_empty() && !has_wildcards(src) {
        return Err(cerr(format!(
            "{:?}: not found",
            paths::clean(&format!("/{}", src.trim_start_matches('/')))
        )));
    }
    let mut out = Selection::new();
    for m in matches {
        let Some(node) = fs.lookup(&m) else {
            continue;
        };
        if excluded(excludes, &paths::base(&m)) && !node.is_dir() {
            continue;
        }
        out.insert(m.clone(), EntrySum::of(node));
        if node.is_dir() {
            let real = fs.resolve(&m, true).unwrap_or_else(|_| m.clone());
            for (rel, n) in fs.descendants(&real) {
                if excluded(excludes, &rel) {
                    continue;
                }
                out.insert(paths::join(&[&m, &rel]), EntrySum::of(n));
            }
        }
    }
    Ok(out)
}

/// The entries `--parents` selects: everything under `pivot` whose path
/// relative to it matches `pattern` (or lies under a match).
pub fn select_parents(
    fs: &Fs,
    pivot: &str,
    pattern: &str,
    excludes: &DockerIgnore,
) -> Result<Selection, CopyError> {
    let include = DockerIgnore::from_patterns(&[pattern]).map_err(|e| cerr(e.message))?;
    let mut out = Selection::new();
    let real = fs
        .resolve(pivot, true)
        .unwrap_or_else(|_| pivot.to_string());
    for (rel, n) in fs.descendants(&real) {
        if include.is_excluded(&rel) && !excluded(excludes, &rel) {
            out.insert(paths::join(&[pivot, &rel]), EntrySum::of(n));
        }
    }
    if out.is_empty() && !has_wildcards(pattern) {
        return Err(cerr(format!(
            "{:?}: not found",
            paths::join(&[pivot, pattern])
        )));
    }
    Ok(out)
}

/// How a copy writes.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// Owner for everything written (`--chown`, resolved); `None` keeps
    /// the source's owner.
    pub owner: Option<(u32, u32)>,
    /// `--chmod`.
    pub chmod: Option<Chmod>,
    /// `--exclude` patterns.
    pub excludes: DockerIgnore,
    /// ADD: extract local tar archives into the destination.
    pub unpack: bool,
}

fn node_for(n: &Node, opts: &CopyOptions) -> Node {
    let mut n = n.clone();
    if let Some((u, g)) = opts.owner {
        n.uid = u;
        n.gid = g;
    }
    if let Some(c) = &opts.chmod {
        if !matches!(n.kind, NodeKind::Symlink(_)) {
            n.mode = c.apply(n.mode, n.is_dir());
        }
    }
    n
}

fn ensure_dir(dest: &mut Fs, dir: &str, opts: &CopyOptions) -> Result<(), CopyError> {
    let (u, g) = opts.owner.unwrap_or((0, 0));
    dest.mkdir_all(dir, 0o755, u, g)
        .map_err(|e| cerr(format!("failed to copy files: {e}")))
}

/// Copies what `src` names in `from` to `dest` (absolute; a trailing `/`
/// marks a directory) in `to`. Returns the number of entries written.
pub fn copy(
    to: &mut Fs,
    from: &Fs,
    src: &str,
    dest: &str,
    opts: &CopyOptions,
) -> Result<usize, CopyError> {
    let matches = resolve_wildcards(from, src)?;
    if matches.is_empty() {
        if has_wildcards(src) {
            return Ok(0);
        }
        return Err(cerr(format!(
            "{:?}: not found",
            paths::clean(&format!("/{}", src.trim_start_matches('/')))
        )));
    }
    let dest_is_dir_hint = dest.ends_with('/') || dest.ends_with("/.");
    let dest_clean = paths::clean(dest);
    let mut written = 0;
    for m in matches {
        let Some(node) = from.lookup(&m) else {
            continue;
        };
        if node.is_dir() {
            ensure_dir(to, &dest_clean, opts)?;
            let real = from.resolve(&m, true).unwrap_or_else(|_| m.clone());
            for (rel, n) in from.descendants(&real) {
                if excluded(&opts.excludes, &rel) {
                    continue;
                }
                let target = paths::join(&[&dest_clean, &rel]);
                if n.is_dir() && to.lookup(&target).is_some_and(Node::is_dir) {
                    let real_t = to.resolve(&target, true).unwrap_or(target.clone());
                    let new = node_for(n, opts);
                    let _ = to.chmod(&real_t, new.mode);
                    let _ = to.chown(&real_t, new.uid, new.gid);
                    continue;
                }
                let real_t = to.resolve(&target, false).unwrap_or(target);
                to.put(&real_t, node_for(n, opts));
                written += 1;
            }
        } else {
            if excluded(&opts.excludes, &paths::base(&m)) {
                continue;
            }
            if opts.unpack {
                // A file that is not an archive is copied as it is; an
                // archive that is broken or over a limit fails the step.
                let unpacked = untar(node.content())
                    .map_err(|e| cerr(format!("failed to unpack {m}: {}", e.message)))?;
                if let Some(entries) = unpacked {
                    ensure_dir(to, &dest_clean, opts)?;
                    for (rel, n) in entries {
                        let target = paths::join(&[&dest_clean, &rel]);
                        to.put(&target, node_for(&n, opts));
                        written += 1;
                    }
                    continue;
                }
            }
            let into_dir = dest_is_dir_hint || to.is_dir(&dest_clean);
            let target = if into_dir {
                ensure_dir(to, &dest_clean, opts)?;
                paths::join(&[&dest_clean, &paths::base(&m)])
            } else {
                ensure_dir(to, &paths::dir(&dest_clean), opts)?;
                dest_clean.clone()
            };
            let real_t = to.resolve(&target, false).unwrap_or(target);
            if to.get(&real_t).is_some_and(Node::is_dir) {
                return Err(cerr(format!(
                    "failed to copy files: cannot replace directory {real_t} with a file"
                )));
            }
            to.put(&real_t, node_for(node, opts));
            written += 1;
        }
    }
    Ok(written)
}

/// Copies a `--parents` selection, keeping each path relative to `pivot`
/// under `dest`.
pub fn copy_selection_with_parents(
    to: &mut Fs,
    from: &Fs,
    pivot: &str,
    selection: &Selection,
    dest: &str,
    opts: &CopyOptions,
) -> Result<usize, CopyError> {
    let dest_clean = paths::clean(dest);
    ensure_dir(to, &dest_clean, opts)?;
    let mut n = 0;
    for p in selection.keys() {
        let Some(node) = from.lookup(p) else {
            continue;
        };
        let rel = p
            .strip_prefix(pivot)
            .unwrap_or(p)
            .trim_start_matches('/')
            .to_string();
        let target = paths::join(&[&dest_clean, &rel]);
        if node.is_dir() && to.is_dir(&target) {
            continue;
        }
        to.put(&target, node_for(node, opts));
        n += 1;
    }
    Ok(n)
}

/// The entries of a tar or tar.gz archive for ADD to extract, within
/// [`Budget::DEFAULT`]; `Ok(None)` when `data` is not one (then ADD
/// copies the file as it is). See [`untar_with`].
pub fn untar(data: &[u8]) -> Result<Option<Vec<(String, Node)>>, CopyError> {
    untar_with(data, &Budget::DEFAULT)
}

/// The entries of a tar or tar.gz archive for ADD to extract, within
/// `budget`, names relative (`..` stops at the destination, as it does at
/// a chroot's root).
///
/// What counts as an archive is BuildKit's `isArchivePath`: the file
/// decompresses (gzip here; bzip2, xz and zstd are not modelled) and its
/// first tar header reads. Anything else, an empty archive included, is
/// `Ok(None)` and copied as it is. A recognised archive that is broken
/// after its first header (an entry cut short, a bad header, a gzip
/// stream that stops) is an error, as BuildKit's extraction fails on it;
/// so is one over a limit of `budget` (entries, path shape and depth,
/// content bytes, files, decompressed bytes): the same limits and the
/// same reader as context import ([`crate::context::read_archive`]).
/// A hard link becomes a copy of the file it names, which must come
/// before it in the archive.
pub fn untar_with(data: &[u8], budget: &Budget) -> Result<Option<Vec<(String, Node)>>, CopyError> {
    let mut out: Vec<(String, Node)> = Vec::new();
    // The index in `out` of each path's file (`usize::MAX` once a
    // directory replaced it).
    let mut files: BTreeMap<String, usize> = BTreeMap::new();
    let read = read_archive(data, budget, &mut |e| {
        let rel = paths::relative(&e.name);
        if rel.is_empty() {
            return Ok(());
        }
        let node = match e.item {
            ArchiveItem::Dir => Node::dir(e.mode),
            ArchiveItem::Symlink(target) => Node::symlink(&target),
            ArchiveItem::File(content) => Node::file(content, e.mode),
            ArchiveItem::HardLink(target) => {
                let target = paths::relative(&target);
                match files.get(&target).and_then(|&i| out.get(i)) {
                    Some((_, n)) => {
                        let mut n = n.clone();
                        n.mode = e.mode;
                        n
                    }
                    None => {
                        return Err(format!(
                            "archive entry {:?} is a hard link to {target:?}, which is not a file before it",
                            e.name
                        ))
                    }
                }
            }
            ArchiveItem::Other => return Ok(()),
        };
        if node.is_dir() {
            // No entry index: a hard link to it finds no file. (Not
            // `remove`: that would be one more copy of the map's removal
            // code in the wasm, for this map type alone.)
            files.insert(rel.clone(), usize::MAX);
        } else {
            files.insert(rel.clone(), out.len());
        }
        out.push((rel, node.owned(e.uid, e.gid)));
        Ok(())
    });
    match read {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(out)),
        Err(e) if e.kind == ArchiveErrorKind::NotAnArchive => Ok(None),
        Err(e) => Err(cerr(e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> Fs {
        let mut fs = Fs::new();
        for (p, c) in [
            ("/src/a.txt", "a\n"),
            ("/src/b.txt", "b\n"),
            ("/src/c.md", "c\n"),
            ("/src/sub/d.txt", "d\n"),
            ("/other.txt", "o\n"),
        ] {
            fs.put(p, Node::file(c, 0o644));
        }
        fs
    }

    #[test]
    fn wildcards_per_element() {
        let fs = src();
        let r = |p: &str| resolve_wildcards(&fs, p).unwrap_or_default();
        assert_eq!(r("src/*.txt"), ["/src/a.txt", "/src/b.txt"]);
        assert_eq!(r("src/[ab].txt"), ["/src/a.txt", "/src/b.txt"]);
        assert_eq!(r("src/?.txt"), ["/src/a.txt", "/src/b.txt"]);
        assert_eq!(r("*/d.txt"), Vec::<String>::new());
        assert_eq!(r("src/*/d.txt"), ["/src/sub/d.txt"]);
        assert!(r("nope/*").is_empty());
    }

    #[test]
    fn selection_changes_only_with_selected_files() {
        let fs = src();
        let none = DockerIgnore::default();
        let a = select(&fs, "src/*.txt", &none).unwrap_or_default();
        let mut fs2 = fs.clone();
        fs2.put("/src/c.md", Node::file("changed", 0o644));
        fs2.put("/other.txt", Node::file("changed", 0o644));
        assert_eq!(a, select(&fs2, "src/*.txt", &none).unwrap_or_default());
        fs2.put("/src/a.txt", Node::file("changed", 0o644));
        assert_ne!(a, select(&fs2, "src/*.txt", &none).unwrap_or_default());
        assert!(select(&fs, "nosuch.txt", &none).is_err());
        assert!(select(&fs, "nosuch*.txt", &none).is_ok_and(|s| s.is_empty()));
    }

    #[test]
    fn destination_rules() {
        let from = src();
        let mut to = Fs::new();
        let o = CopyOptions::default();
        copy(&mut to, &from, "src/", "/app/", &o).unwrap_or_default();
        assert!(to.exists("/app/a.txt") && to.exists("/app/sub/d.txt") && !to.exists("/app/src"));
        copy(&mut to, &from, "other.txt", "/x/renamed", &o).unwrap_or_default();
        assert!(to.exists("/x/renamed"));
        copy(&mut to, &from, "other.txt", "/app", &o).unwrap_or_default();
        assert!(to.exists("/app/other.txt"));
        copy(
            &mut to,
            &from,
            "src/*.txt",
            "/t/",
            &CopyOptions {
                chmod: Some(Chmod::Octal(0o755)),
                owner: Some((1000, 1000)),
                ..CopyOptions::default()
            },
        )
        .unwrap_or_default();
        assert_eq!(
            to.get("/t/a.txt").map(|n| (n.mode, n.uid)),
            Some((0o755, 1000))
        );
    }

    #[test]
    fn chown_chmod_parsing() {
        assert_eq!(Chmod::parse("755"), Chmod::parse("0755"));
        assert!(Chmod::parse("999").is_err());
        assert_eq!(
            Chmod::parse("u+x").map(|c| c.apply(0o644, false)),
            Ok(0o744)
        );
        assert_eq!(
            Chown::parse("1000"),
            Chown {
                user: Owner::Id(1000),
                group: None
            }
        );
        assert_ne!(Chown::parse("1000"), Chown::parse("1000:1000"));
        let mut fs = Fs::new();
        fs.put(
            "/etc/passwd",
            Node::file(
                "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n",
                0o644,
            ),
        );
        fs.put("/etc/group", Node::file("root:x:0:\nstaff:x:50:\n", 0o644));
        assert_eq!(resolve_user(&fs, "nobody"), Ok((65534, 65534)));
        assert_eq!(resolve_user(&fs, "1000"), Ok((1000, 1000)));
        assert_eq!(resolve_user(&fs, "nobody:staff"), Ok((65534, 50)));
        assert!(resolve_user(&fs, "ghost").is_err());
    }
}
