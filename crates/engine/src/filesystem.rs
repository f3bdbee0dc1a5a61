//! The modelled file system of one build step: every path with its type,
//! content, permission bits and owner. Layers are the differences between
//! two of them (with OCI whiteouts for deletions), and BuildKit's
//! content-based cache keys are checksums over parts of them.
//!
//! Paths are absolute and clean (`/`, `/app`, `/app/a.txt`). Contents are
//! shared (`Arc`), so copying a file system for the next step is cheap.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::digest::FieldHasher;
use crate::paths;

/// What a path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A regular file.
    File {
        /// The bytes (for large modelled binaries, a short stand-in).
        content: Arc<[u8]>,
        /// The size the model gives it (at least the content's length):
        /// a modelled 20 MB library has a short stand-in content and
        /// `size` 20 MB.
        size: u64,
    },
    /// A directory.
    Dir,
    /// A symbolic link to `target`.
    Symlink(String),
}

/// One file, directory or link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Permission bits (`0o644`, `0o755`, `0o1777`...).
    pub mode: u32,
    /// Owner user id.
    pub uid: u32,
    /// Owner group id.
    pub gid: u32,
}

impl Node {
    /// A file with `content`, its size being the content's length.
    pub fn file(content: impl Into<Vec<u8>>, mode: u32) -> Node {
        let content: Vec<u8> = content.into();
        let size = content.len() as u64;
        Node {
            kind: NodeKind::File {
                content: content.into(),
                size,
            },
            mode,
            uid: 0,
            gid: 0,
        }
    }

    /// A modelled file of `size` bytes whose content is a short stand-in.
    pub fn sized_file(stand_in: impl Into<Vec<u8>>, size: u64, mode: u32) -> Node {
        let content: Vec<u8> = stand_in.into();
        let size = size.max(content.len() as u64);
        Node {
            kind: NodeKind::File {
                content: content.into(),
                size,
            },
            mode,
            uid: 0,
            gid: 0,
        }
    }

    /// A directory.
    pub fn dir(mode: u32) -> Node {
        Node {
            kind: NodeKind::Dir,
            mode,
            uid: 0,
            gid: 0,
        }
    }

    /// A symbolic link.
    pub fn symlink(target: &str) -> Node {
        Node {
            kind: NodeKind::Symlink(target.to_string()),
            mode: 0o777,
            uid: 0,
            gid: 0,
        }
    }

    /// The same node owned by `uid:gid`.
    pub fn owned(mut self, uid: u32, gid: u32) -> Node {
        self.uid = uid;
        self.gid = gid;
        self
    }

    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir)
    }

    /// True for a regular file.
    pub fn is_file(&self) -> bool {
        matches!(self.kind, NodeKind::File { .. })
    }

    /// The content of a file (empty for other kinds).
    pub fn content(&self) -> &[u8] {
        match &self.kind {
            NodeKind::File { content, .. } => content,
            _ => &[],
        }
    }

    /// The modelled size in bytes (0 for directories and links).
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File { size, .. } => *size,
            _ => 0,
        }
    }

    /// `ls -l`'s type-and-permissions column (`-rw-r--r--`).
    pub fn mode_string(&self) -> String {
        let t = match self.kind {
            NodeKind::File { .. } => '-',
            NodeKind::Dir => 'd',
            NodeKind::Symlink(_) => 'l',
        };
        let mut s = String::from(t);
        let bits = ['r', 'w', 'x'];
        for shift in [6, 3, 0] {
            for (i, c) in bits.iter().enumerate() {
                let on = self.mode >> (shift + 2 - i) & 1 == 1;
                s.push(if on { *c } else { '-' });
            }
        }
        s
    }

    /// Feeds what BuildKit's content checksum covers: type, permissions,
    /// owner, link target and content (never times).
    fn hash_into(&self, h: &mut FieldHasher) {
        match &self.kind {
            NodeKind::File { content, size } => {
                h.text("file").field(content).text(&size.to_string());
            }
            NodeKind::Dir => {
                h.text("dir");
            }
            NodeKind::Symlink(t) => {
                h.text("symlink").text(t);
            }
        }
        h.text(&format!("{:o}:{}:{}", self.mode, self.uid, self.gid));
    }
}

/// A file-system operation that failed, worded like coreutils.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsError {
    /// The path concerned.
    pub path: String,
    /// `No such file or directory`, `Not a directory`...
    pub reason: &'static str,
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for FsError {}

/// Text of `ENOENT`.
pub const NOT_FOUND: &str = "No such file or directory";
/// Text of `ENOTDIR`.
pub const NOT_DIR: &str = "Not a directory";
/// Text of `EISDIR`.
pub const IS_DIR: &str = "Is a directory";
/// Text of `EEXIST`.
pub const EXISTS: &str = "File exists";
/// Text of `ENOTEMPTY`.
pub const NOT_EMPTY: &str = "Directory not empty";
/// Text of `ELOOP`.
pub const LOOP: &str = "Too many levels of symbolic links";

/// A whole file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fs {
    /// Nodes by path. (Boxed, as `State`'s images and the build context's
    /// entries: one copy of `BTreeMap`'s node code in the wasm for all.)
    nodes: Arc<BTreeMap<String, Box<Node>>>,
}

impl Default for Fs {
    fn default() -> Self {
        Fs::new()
    }
}

impl Fs {
    /// An empty file system (just `/`, mode 0755), like `scratch`.
    pub fn new() -> Fs {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), Box::new(Node::dir(0o755)));
        Fs {
            nodes: Arc::new(nodes),
        }
    }

    /// The entries for writing (copied first when shared with a clone).
    fn map(&mut self) -> &mut BTreeMap<String, Box<Node>> {
        Arc::make_mut(&mut self.nodes)
    }

    /// Inserts (or replaces) the node at exactly `path`, nothing else.
    fn set(&mut self, path: String, node: Node) {
        self.map().insert(path, Box::new(node));
    }

    /// The node at exactly the map key `path`.
    fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path).map(|n| &**n)
    }

    /// Number of entries, `/` included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when only `/` exists.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Every entry, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter().map(|(p, n)| (p, &**n))
    }

    /// The node at exactly `path` (links not followed).
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.node(key(path).as_ref())
    }

    /// Inserts (or replaces) a node, creating missing parent directories
    /// (0755, root). Replacing a directory with a non-directory drops what
    /// was under it.
    pub fn put(&mut self, path: &str, node: Node) {
        let p = paths::clean(&abs(path));
        if p == "/" {
            if node.is_dir() {
                self.set(p, node);
            }
            return;
        }
        self.ensure_parents(&p);
        if !node.is_dir() && self.node(&p).is_some_and(Node::is_dir) {
            self.remove_under(&p);
        }
        self.set(p, node);
    }

    fn ensure_parents(&mut self, p: &str) {
        let parent = paths::dir(p);
        if parent == "/" || parent == "." {
            return;
        }
        match self.node(&parent) {
            Some(n) if n.is_dir() => {}
            _ => {
                self.ensure_parents(&parent);
                self.set(parent, Node::dir(0o755));
            }
        }
    }

    fn remove_under(&mut self, p: &str) {
        let prefix = if p == "/" {
            "/".to_string()
        } else {
            format!("{p}/")
        };
        let keys: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            if k != "/" {
                self.map().remove(&k);
            }
        }
    }

    /// Resolves symbolic links along `path` (and at its end when
    /// `follow_last`), the way the kernel does inside a container: an
    /// absolute link target starts again from `/`. The result may not exist.
    pub fn resolve(&self, path: &str, follow_last: bool) -> Result<String, FsError> {
        // Fast path: no link on the way, nothing to resolve.
        let k = key(path);
        let kp: &str = k.as_ref();
        let mut simple = true;
        for (i, b) in kp.bytes().enumerate().skip(1) {
            if b == b'/' {
                match self.node(&kp[..i]) {
                    Some(n) if n.is_dir() => {}
                    None => break,
                    Some(_) => {
                        simple = false;
                        break;
                    }
                }
            }
        }
        if simple {
            let last_is_link = matches!(self.node(kp).map(|n| &n.kind), Some(NodeKind::Symlink(_)));
            if !(follow_last && last_is_link) {
                return Ok(k.into_owned());
            }
        }
        let mut pending: Vec<String> = paths::clean(&abs(path))
            .split('/')
            .filter(|s| !s.is_empty())
            .rev()
            .map(String::from)
            .collect();
        let mut cur = "/".to_string();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            if comp == ".." {
                cur = paths::dir(&cur);
                continue;
            }
            if comp == "." {
                continue;
            }
            let next = paths::join(&[&cur, &comp]);
            match self.node(&next) {
                Some(Node {
                    kind: NodeKind::Symlink(target),
                    ..
                }) if follow_last || !pending.is_empty() => {
                    hops += 1;
                    if hops > 40 {
                        return Err(FsError {
                            path: path.to_string(),
                            reason: LOOP,
                        });
                    }
                    if target.starts_with('/') {
                        cur = "/".to_string();
                    }
                    for part in target.split('/').filter(|s| !s.is_empty()).rev() {
                        pending.push(part.to_string());
                    }
                }
                Some(n) if !n.is_dir() && !pending.is_empty() => {
                    return Err(FsError {
                        path: path.to_string(),
                        reason: NOT_DIR,
                    })
                }
                _ => cur = next,
            }
        }
        Ok(cur)
    }

    /// The node at `path`, following links.
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        let p = self.resolve(path, true).ok()?;
        self.node(&p)
    }

    /// True when `path` exists (following links).
    pub fn exists(&self, path: &str) -> bool {
        self.lookup(path).is_some()
    }

    /// True when `path` is a directory (following links).
    pub fn is_dir(&self, path: &str) -> bool {
        self.lookup(path).is_some_and(Node::is_dir)
    }

    /// The content of the file at `path` (following links).
    pub fn read(&self, path: &str) -> Result<&[u8], FsError> {
        match self.lookup(path) {
            Some(n) if n.is_file() => Ok(n.content()),
            Some(_) => Err(FsError {
                path: path.to_string(),
                reason: IS_DIR,
            }),
            None => Err(FsError {
                path: path.to_string(),
                reason: NOT_FOUND,
            }),
        }
    }

    /// `mkdir -p`: creates `path` and missing parents with `mode`, owned
    /// by `uid:gid`.
    pub fn mkdir_all(&mut self, path: &str, mode: u32, uid: u32, gid: u32) -> Result<(), FsError> {
        let target = self.resolve(path, true)?;
        let mut cur = String::from("/");
        for comp in target.split('/').filter(|s| !s.is_empty()) {
            cur = paths::join(&[&cur, comp]);
            match self.node(&cur) {
                Some(n) if n.is_dir() => {}
                Some(_) => {
                    return Err(FsError {
                        path: path.to_string(),
                        reason: EXISTS,
                    })
                }
                None => {
                    self.set(cur.clone(), Node::dir(mode).owned(uid, gid));
                }
            }
        }
        Ok(())
    }

    /// `mkdir` without `-p`: the parent must exist.
    pub fn mkdir(&mut self, path: &str, mode: u32, uid: u32, gid: u32) -> Result<(), FsError> {
        let target = self.resolve(path, false)?;
        if self.nodes.contains_key(&target) {
            return Err(FsError {
                path: path.to_string(),
                reason: EXISTS,
            });
        }
        self.check_parent(path, &target)?;
        self.set(target, Node::dir(mode).owned(uid, gid));
        Ok(())
    }

    fn check_parent(&self, shown: &str, target: &str) -> Result<(), FsError> {
        match self.node(&paths::dir(target)) {
            Some(n) if n.is_dir() => Ok(()),
            Some(_) => Err(FsError {
                path: shown.to_string(),
                reason: NOT_DIR,
            }),
            None => Err(FsError {
                path: shown.to_string(),
                reason: NOT_FOUND,
            }),
        }
    }

    /// Writes a file the way a shell redirection does: an existing file
    /// keeps its mode and owner, a new one gets `mode` and `uid:gid`; the
    /// parent directory must exist. With `append`, adds to the end.
    pub fn write_file(
        &mut self,
        path: &str,
        data: &[u8],
        append: bool,
        mode: u32,
        uid: u32,
        gid: u32,
    ) -> Result<(), FsError> {
        let target = self.resolve(path, true)?;
        match self.node(&target) {
            Some(n) if n.is_dir() => Err(FsError {
                path: path.to_string(),
                reason: IS_DIR,
            }),
            Some(n) => {
                let mut content = if append {
                    n.content().to_vec()
                } else {
                    Vec::new()
                };
                content.extend_from_slice(data);
                let node = Node {
                    mode: n.mode,
                    uid: n.uid,
                    gid: n.gid,
                    ..Node::file(content, 0)
                };
                self.set(target, node);
                Ok(())
            }
            None => {
                self.check_parent(path, &target)?;
                self.set(target, Node::file(data.to_vec(), mode).owned(uid, gid));
                Ok(())
            }
        }
    }

    /// Removes `path` (a link itself, not its target). A non-empty
    /// directory needs `recursive`.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let target = self.resolve(path, false)?;
        if target == "/" {
            // rm -rf / keeps the root itself.
            if recursive {
                self.remove_under("/");
                return Ok(());
            }
            return Err(FsError {
                path: path.to_string(),
                reason: IS_DIR,
            });
        }
        let Some(node) = self.node(&target) else {
            return Err(FsError {
                path: path.to_string(),
                reason: NOT_FOUND,
            });
        };
        if node.is_dir() {
            if !recursive && !self.children(&target).is_empty() {
                return Err(FsError {
                    path: path.to_string(),
                    reason: NOT_EMPTY,
                });
            }
            self.remove_under(&target);
        }
        self.map().remove(&target);
        Ok(())
    }

    /// The direct children of directory `dir` (exact path), sorted.
    pub fn children(&self, dir: &str) -> Vec<(String, &Node)> {
        let d = paths::clean(&abs(dir));
        let prefix = if d == "/" {
            "/".to_string()
        } else {
            format!("{d}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| {
                let rest = &k[prefix.len()..];
                !rest.is_empty() && !rest.contains('/')
            })
            .map(|(k, n)| (k[prefix.len()..].to_string(), &**n))
            .collect()
    }

    /// Every entry strictly under directory `dir`, with its path relative
    /// to `dir`, sorted.
    pub fn descendants(&self, dir: &str) -> Vec<(String, &Node)> {
        let d = paths::clean(&abs(dir));
        let prefix = if d == "/" {
            "/".to_string()
        } else {
            format!("{d}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| k.len() > prefix.len())
            .map(|(k, n)| (k[prefix.len()..].to_string(), &**n))
            .collect()
    }

    /// Copies the entry at `src` of `from` (with everything under it) to
    /// `dst` here, replacing what is there. Links inside are copied as
    /// links.
    pub fn copy_tree(&mut self, from: &Fs, src: &str, dst: &str) {
        let src = paths::clean(&abs(src));
        let dst = paths::clean(&abs(dst));
        let Some(node) = from.node(&src) else {
            return;
        };
        self.put(&dst, node.clone());
        if node.is_dir() {
            for (rel, n) in from.descendants(&src) {
                let p = paths::join(&[&dst, &rel]);
                self.set(p, n.clone());
            }
        }
    }

    /// Moves `src` to `dst` (both exact paths).
    pub fn rename(&mut self, src: &str, dst: &str) -> Result<(), FsError> {
        let s = self.resolve(src, false)?;
        if !self.nodes.contains_key(&s) {
            return Err(FsError {
                path: src.to_string(),
                reason: NOT_FOUND,
            });
        }
        let d = self.resolve(dst, false)?;
        self.check_parent(dst, &d)?;
        let snapshot = self.clone();
        self.remove(&s, true)?;
        if self.node(&d).is_some_and(Node::is_dir) && !snapshot.get(&s).is_some_and(Node::is_dir) {
            return Err(FsError {
                path: dst.to_string(),
                reason: IS_DIR,
            });
        }
        if self.nodes.contains_key(&d) {
            self.remove(&d, true)?;
        }
        self.copy_tree(&snapshot, &s, &d);
        Ok(())
    }

    /// Sets permission bits at `path` (following links).
    pub fn chmod(&mut self, path: &str, mode: u32) -> Result<(), FsError> {
        let p = self.resolve(path, true)?;
        match self.map().get_mut(&p) {
            Some(n) => {
                n.mode = mode;
                Ok(())
            }
            None => Err(FsError {
                path: path.to_string(),
                reason: NOT_FOUND,
            }),
        }
    }

    /// Sets the owner at `path` (following links).
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32) -> Result<(), FsError> {
        let p = self.resolve(path, true)?;
        match self.map().get_mut(&p) {
            Some(n) => {
                n.uid = uid;
                n.gid = gid;
                Ok(())
            }
            None => Err(FsError {
                path: path.to_string(),
                reason: NOT_FOUND,
            }),
        }
    }

    /// BuildKit's content checksum of the entry at `path` and everything
    /// under it: names, types, permission bits, owners, link targets and
    /// contents (never times). `None` when `path` does not exist.
    pub fn checksum(&self, path: &str) -> Option<String> {
        let p = self.resolve(path, true).ok()?;
        let node = self.node(&p)?;
        let mut h = FieldHasher::new();
        node.hash_into(&mut h);
        if node.is_dir() {
            for (rel, n) in self.descendants(&p) {
                h.text(&rel);
                n.hash_into(&mut h);
            }
        }
        Some(h.finish())
    }

    /// The sum of the modelled sizes of all files.
    pub fn total_size(&self) -> u64 {
        self.iter().map(|(_, n)| n.size()).sum()
    }

    /// What changed from `base` to `self`, as a layer holds it.
    pub fn diff(&self, base: &Fs) -> LayerDiff {
        if Arc::ptr_eq(&self.nodes, &base.nodes) {
            return LayerDiff::default();
        }
        let mut changes = Vec::new();
        let mut old = base.iter().peekable();
        let mut new = self.iter().peekable();
        let mut deleted_dirs: Vec<String> = Vec::new();
        loop {
            match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some((op, _)), Some((np, _))) if op == np => {
                    let (p, o) = old
                        .next()
                        .map_or((String::new(), None), |(p, n)| (p.clone(), Some(n)));
                    let n = new.next().map(|(_, n)| n);
                    if let (Some(o), Some(n)) = (o, n) {
                        if o != n && p != "/" {
                            changes.push(Change::Modified(p, n.clone()));
                        }
                    }
                }
                (Some((op, _)), Some((np, _))) if op < np => {
                    if let Some((p, o)) = old.next() {
                        push_deletion(&mut changes, &mut deleted_dirs, p, o);
                    }
                }
                (Some(_), None) => {
                    if let Some((p, o)) = old.next() {
                        push_deletion(&mut changes, &mut deleted_dirs, p, o);
                    }
                }
                _ => {
                    if let Some((p, n)) = new.next() {
                        changes.push(Change::Added(p.clone(), n.clone()));
                    }
                }
            }
        }
        LayerDiff { changes }
    }
}

fn push_deletion(changes: &mut Vec<Change>, deleted_dirs: &mut Vec<String>, p: &str, o: &Node) {
    if deleted_dirs.iter().any(|d| paths::is_within(p, d)) {
        // Hidden by the directory's whiteout: count its bytes there.
        if let Some(Change::Deleted(_, hidden)) = changes
            .iter_mut()
            .rev()
            .find(|c| matches!(c, Change::Deleted(d, _) if paths::is_within(p, d)))
        {
            *hidden += o.size();
        }
        return;
    }
    if o.is_dir() {
        deleted_dirs.push(p.to_string());
    }
    changes.push(Change::Deleted(p.to_string(), o.size()));
}

fn abs(p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

/// The map key of `p`: absolute and clean, borrowed when it already is.
fn key(p: &str) -> std::borrow::Cow<'_, str> {
    if p.starts_with('/') && paths::is_clean(p) {
        std::borrow::Cow::Borrowed(p)
    } else {
        std::borrow::Cow::Owned(paths::clean(&abs(p)))
    }
}

/// One entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new path.
    Added(String, Node),
    /// A path whose content, type, mode or owner changed.
    Modified(String, Node),
    /// A deleted path (an OCI whiteout `.wh.<name>`), with the size of
    /// what it hides.
    Deleted(String, u64),
}

/// The changes one step made: the content of its layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerDiff {
    /// Changes sorted by path.
    pub changes: Vec<Change>,
}

impl LayerDiff {
    /// The layer's size: the bytes of every file it adds or rewrites
    /// (whiteouts are empty).
    pub fn size(&self) -> u64 {
        self.changes
            .iter()
            .map(|c| match c {
                Change::Added(_, n) | Change::Modified(_, n) => n.size(),
                Change::Deleted(..) => 0,
            })
            .sum()
    }

    /// Bytes hidden by whiteouts: still shipped in lower layers, no longer
    /// visible (what `dive` calls wasted space).
    pub fn hidden_bytes(&self) -> u64 {
        self.changes
            .iter()
            .map(|c| match c {
                Change::Deleted(_, s) => *s,
                _ => 0,
            })
            .sum()
    }

    /// True when the step changed nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The layer digest: sha256 over the changes (paths, headers, contents).
    pub fn digest(&self) -> String {
        let mut h = FieldHasher::new();
        for c in &self.changes {
            match c {
                Change::Added(p, n) | Change::Modified(p, n) => {
                    h.text(p);
                    n.hash_into(&mut h);
                }
                Change::Deleted(p, _) => {
                    h.text(&format!("{}/.wh.{}", paths::dir(p), paths::base(p)));
                }
            }
        }
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_read_and_errors() {
        let mut fs = Fs::new();
        assert!(fs.write_file("/out/a", b"x", false, 0o644, 0, 0).is_err());
        fs.mkdir_all("/out", 0o755, 0, 0).unwrap_or_default();
        fs.write_file("/out/a", b"hello\n", false, 0o644, 0, 0)
            .unwrap_or_default();
        assert_eq!(fs.read("/out/a").unwrap_or_default(), b"hello\n");
        fs.write_file("/out/a", b"more\n", true, 0o600, 0, 0)
            .unwrap_or_default();
        assert_eq!(fs.read("/out/a").unwrap_or_default(), b"hello\nmore\n");
        assert_eq!(fs.get("/out/a").map(|n| n.mode), Some(0o644));
        assert!(fs.remove("/out", false).is_err());
        assert!(fs.remove("/out", true).is_ok());
        assert!(!fs.exists("/out/a"));
    }

    #[test]
    fn symlinks_resolve_inside() {
        let mut fs = Fs::new();
        fs.put("/bin/busybox", Node::file("bb", 0o755));
        fs.put("/bin/sh", Node::symlink("busybox"));
        fs.put("/usr/bin/env", Node::symlink("/bin/busybox"));
        assert_eq!(
            fs.resolve("/bin/sh", true).unwrap_or_default(),
            "/bin/busybox"
        );
        assert_eq!(fs.read("/usr/bin/env").unwrap_or_default(), b"bb");
    }

    #[test]
    fn checksum_ignores_nothing_but_time() {
        let mut a = Fs::new();
        a.put("/out/a", Node::file("hello\n", 0o644));
        let mut b = a.clone();
        assert_eq!(a.checksum("/out"), b.checksum("/out"));
        b.chmod("/out/a", 0o664).unwrap_or_default();
        assert_ne!(a.checksum("/out"), b.checksum("/out"));
        assert_eq!(a.checksum("/nope"), None);
    }

    #[test]
    fn diff_and_whiteouts() {
        let mut a = Fs::new();
        a.put("/x/big", Node::sized_file("b", 1000, 0o644));
        a.put("/keep", Node::file("k", 0o644));
        let mut b = a.clone();
        b.remove("/x", true).unwrap_or_default();
        b.put("/new", Node::file("12345", 0o644));
        let d = b.diff(&a);
        assert_eq!(d.size(), 5);
        assert_eq!(d.hidden_bytes(), 1000);
        assert_eq!(
            d.changes
                .iter()
                .filter(|c| matches!(c, Change::Deleted(..)))
                .count(),
            1
        );
        assert_eq!(Node::file("", 0o755).mode_string(), "-rwxr-xr-x");
    }
}
