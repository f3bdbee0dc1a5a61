//! Image layers as content: the file changes one step made, serialized
//! the way a layer tar holds them (OCI whiteouts for deletions), their
//! digests (`diff_id`, sha256 of that tar), chain IDs, applying layers to
//! rebuild a file system, and the wasted-space analysis `dive` does.
//!
//! The tar is a real POSIX (ustar + PAX) archive, deterministic: entries
//! sorted by path, every time field 0, no user or group names. A modelled
//! file whose size is larger than its stand-in content carries a
//! `LAYERLAB.size` PAX record, so the size is part of the digest.

use serde::{Deserialize, Serialize};

use crate::digest::{sha256_digest, sha256_hex};
use crate::filesystem::{Change, Fs, LayerDiff, Node, NodeKind};
use crate::paths;
use crate::shared_sort;

/// What one layer entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// An OCI whiteout (`.wh.<name>`): the path is deleted.
    Whiteout,
}

/// One entry of a layer, as stored in the state (serializable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerEntry {
    /// Absolute path (`/app/aspnetapp.dll`); for a whiteout, the deleted path.
    pub path: String,
    /// What it is.
    pub kind: EntryKind,
    /// Permission bits.
    #[serde(default)]
    pub mode: u32,
    /// Owner user id.
    #[serde(default)]
    pub uid: u32,
    /// Owner group id.
    #[serde(default)]
    pub gid: u32,
    /// Modelled size of a file; for a whiteout, the bytes it hides.
    #[serde(default)]
    pub size: u64,
    /// A file's content when it is UTF-8 text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A file's content in hex when it is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
    /// A link's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

impl LayerEntry {
    /// The content bytes of a file entry (empty for other kinds).
    pub fn content(&self) -> Vec<u8> {
        if let Some(t) = &self.text {
            return t.as_bytes().to_vec();
        }
        match &self.hex {
            Some(h) => from_hex(h),
            None => Vec::new(),
        }
    }

    /// The entry as a file-system node (`None` for a whiteout).
    pub fn node(&self) -> Option<Node> {
        let node = match self.kind {
            EntryKind::File => Node::sized_file(self.content(), self.size, self.mode),
            EntryKind::Dir => Node::dir(self.mode),
            EntryKind::Symlink => {
                let mut n = Node::symlink(self.target.as_deref().unwrap_or(""));
                n.mode = self.mode;
                n
            }
            EntryKind::Whiteout => return None,
        };
        Some(node.owned(self.uid, self.gid))
    }

    fn from_node(path: &str, node: &Node) -> LayerEntry {
        let mut e = LayerEntry {
            path: path.to_string(),
            kind: EntryKind::File,
            mode: node.mode,
            uid: node.uid,
            gid: node.gid,
            size: 0,
            text: None,
            hex: None,
            target: None,
        };
        match &node.kind {
            NodeKind::File { content, size } => {
                e.size = *size;
                match std::str::from_utf8(content) {
                    Ok(t) => e.text = Some(t.to_string()),
                    Err(_) => e.hex = Some(to_hex(content)),
                }
            }
            NodeKind::Dir => e.kind = EntryKind::Dir,
            NodeKind::Symlink(t) => {
                e.kind = EntryKind::Symlink;
                e.target = Some(t.clone());
            }
        }
        e
    }
}

/// A layer's content as the state keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLayer {
    /// Entries sorted by path.
    pub entries: Vec<LayerEntry>,
    /// Bytes the build model estimated without simulating files (an
    /// unmodelled command); part of the layer's size.
    #[serde(default)]
    pub estimated_bytes: u64,
    /// When the layer was first made, seconds on the modelled clock
    /// (Unix time).
    #[serde(default)]
    pub created: i64,
}

impl StoredLayer {
    /// The layer's size: its files plus the estimated bytes.
    pub fn size(&self) -> u64 {
        entries_size(&self.entries) + self.estimated_bytes
    }
}

/// The entries of a layer diff, sorted by path.
pub fn entries(diff: &LayerDiff) -> Vec<LayerEntry> {
    diff.changes
        .iter()
        .map(|c| match c {
            Change::Added(p, n) | Change::Modified(p, n) => LayerEntry::from_node(p, n),
            Change::Deleted(p, hidden) => LayerEntry {
                path: p.clone(),
                kind: EntryKind::Whiteout,
                mode: 0,
                uid: 0,
                gid: 0,
                size: *hidden,
                text: None,
                hex: None,
                target: None,
            },
        })
        .collect()
}

/// The bytes of the files the entries add (whiteouts and directories are
/// empty), as a layer's size counts them.
pub fn entries_size(entries: &[LayerEntry]) -> u64 {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .map(|e| e.size)
        .sum()
}

/// The entries of a whole file system, as one layer holding all of it.
pub fn fs_entries(fs: &Fs) -> Vec<LayerEntry> {
    fs.iter()
        .filter(|(p, _)| p.as_str() != "/")
        .map(|(p, n)| LayerEntry::from_node(p, n))
        .collect()
}

/// The layer tar of `entries` (ustar with PAX records; deterministic).
pub fn tar(entries: &[LayerEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let rel = e.path.trim_start_matches('/');
        let (name, typeflag, mode, data, link) = match e.kind {
            EntryKind::File => (rel.to_string(), b'0', e.mode, e.content(), String::new()),
            EntryKind::Dir => (format!("{rel}/"), b'5', e.mode, Vec::new(), String::new()),
            EntryKind::Symlink => (
                rel.to_string(),
                b'2',
                e.mode,
                Vec::new(),
                e.target.clone().unwrap_or_default(),
            ),
            EntryKind::Whiteout => {
                let dir = paths::dir(&e.path);
                let dir = dir.trim_start_matches('/');
                let wh = format!(".wh.{}", paths::base(&e.path));
                let name = if dir.is_empty() {
                    wh
                } else {
                    format!("{dir}/{wh}")
                };
                (name, b'0', 0, Vec::new(), String::new())
            }
        };
        let mut pax: Vec<(&str, String)> = Vec::new();
        if name.len() > 100 {
            pax.push(("path", name.clone()));
        }
        if link.len() > 100 {
            pax.push(("linkpath", link.clone()));
        }
        if e.kind == EntryKind::File && e.size != data.len() as u64 {
            pax.push(("LAYERLAB.size", e.size.to_string()));
        }
        if !pax.is_empty() {
            let mut body = String::new();
            for (k, v) in &pax {
                body.push_str(&pax_record(k, v));
            }
            let pax_name = format!("PaxHeaders/{}", truncate(&name, 80));
            write_header(
                &mut out,
                &pax_name,
                b'x',
                0o644,
                0,
                0,
                body.len() as u64,
                "",
            );
            write_data(&mut out, body.as_bytes());
        }
        write_header(
            &mut out,
            &name,
            typeflag,
            mode,
            e.uid,
            e.gid,
            data.len() as u64,
            &link,
        );
        write_data(&mut out, &data);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// The layer's `diff_id`: `sha256:` of its tar.
pub fn diff_id_of_entries(entries: &[LayerEntry]) -> String {
    sha256_digest(&tar(entries))
}

/// The `diff_id` of a layer diff.
pub fn diff_id(diff: &LayerDiff) -> String {
    diff_id_of_entries(&entries(diff))
}

/// The chain IDs of a stack of layers (OCI: `ChainID(L0) = DiffID(L0)`,
/// `ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))`). The store
/// de-duplicates layers by chain ID, as Docker's layer store does.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => format!("sha256:{}", sha256_hex(format!("{prev} {d}").as_bytes())),
        };
        out.push(next);
    }
    out
}

/// Applies a layer on top of `fs`: whiteouts delete, other entries are
/// put in place (a directory entry keeps what is under it).
pub fn apply(fs: &mut Fs, entries: &[LayerEntry]) {
    for e in entries {
        match e.node() {
            None => {
                let _ = fs.remove(&e.path, true);
            }
            Some(n) => fs.put(&e.path, n),
        }
    }
}

fn pax_record(key: &str, value: &str) -> String {
    // "%d %s=%s\n" where %d counts the whole record, itself included.
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    loop {
        let total = len.to_string().len() + body.len();
        if total == len {
            return format!("{len}{body}");
        }
        len = total;
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn octal(field: &mut [u8], value: u64) {
    // Zero-padded octal, NUL-terminated, filling the field.
    let digits = field.len() - 1;
    let s = format!("{value:0digits$o}");
    let bytes = s.as_bytes();
    let start = bytes.len().saturating_sub(digits);
    field[..digits].copy_from_slice(&bytes[start..]);
    field[digits] = 0;
}

fn put_str(field: &mut [u8], s: &str) {
    let b = truncate(s, field.len()).as_bytes();
    field[..b.len()].copy_from_slice(b);
}

#[allow(clippy::too_many_arguments)]
fn write_header(
    out: &mut Vec<u8>,
    name: &str,
    typeflag: u8,
    mode: u32,
    uid: u32,
    gid: u32,
    size: u64,
    link: &str,
) {
    let mut h = [0u8; 512];
    put_str(&mut h[0..100], name);
    octal(&mut h[100..108], u64::from(mode & 0o7777));
    octal(&mut h[108..116], u64::from(uid));
    octal(&mut h[116..124], u64::from(gid));
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], 0);
    h[148..156].copy_from_slice(b"        ");
    h[156] = typeflag;
    put_str(&mut h[157..257], link);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    octal(&mut h[329..337], 0);
    octal(&mut h[337..345], 0);
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let s = format!("{sum:06o}");
    h[148..154].copy_from_slice(&s.as_bytes()[s.len() - 6..]);
    h[154] = 0;
    h[155] = b' ';
    out.extend_from_slice(&h);
}

fn write_data(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(data);
    let pad = (512 - data.len() % 512) % 512;
    out.extend(std::iter::repeat_n(0u8, pad));
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn from_hex(s: &str) -> Vec<u8> {
    let v = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| (v(p[0]) << 4) | p.get(1).map_or(0, |&c| v(c)))
        .collect()
}

/// One path that costs space without being visible, or is stored more
/// than once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inefficiency {
    /// The path.
    pub path: String,
    /// In how many layers it appears (a whiteout counts).
    pub count: usize,
    /// The bytes of all its copies (dive's "Total Space").
    pub total_size: u64,
    /// The bytes of its copies that are not visible in the image.
    pub wasted: u64,
}

/// The wasted-space analysis of an image, as `dive` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WasteReport {
    /// dive's efficiency score: for every path, the smallest copy over
    /// the sum of all copies (1.0 when nothing is duplicated).
    pub efficiency: f64,
    /// Bytes shipped but not visible: every copy of a file but the one
    /// the image shows (a file in N layers wastes N-1 copies), and every
    /// copy of a deleted file (a whiteout does not shrink the image).
    pub wasted_bytes: u64,
    /// What dive itself prints as "wastedBytes": the total size of every
    /// path stored more than once, all copies included (dive counts the
    /// visible copy too, and a deleted directory's content not at all).
    pub dive_wasted_bytes: u64,
    /// The size of the layers analysed.
    pub size_bytes: u64,
    /// The size of the layers analysed except the first (dive's "user"
    /// size, base excluded).
    pub user_size_bytes: u64,
    /// Paths with more than one copy or hidden by a whiteout, largest
    /// total first.
    pub inefficiencies: Vec<Inefficiency>,
}

/// Analyses a stack of layers (bottom first). `first_analysed` layers at
/// the bottom (the base image's) are applied but left out of the score
/// and the waste, as dive's CI option to ignore the base image does; 0
/// analyses everything.
pub fn analyze(layers: &[Vec<LayerEntry>], first_analysed: usize) -> WasteReport {
    use std::collections::BTreeMap;
    let first = first_analysed.min(layers.len());
    // The file system below each layer (for whiteout sizes) and at the end.
    let mut below: Vec<Fs> = Vec::with_capacity(layers.len());
    let mut fs = Fs::new();
    for l in layers {
        below.push(fs.clone());
        apply(&mut fs, l);
    }
    let final_fs = fs;

    // dive: visit the leaves of every analysed layer's tree.
    struct Data {
        count: usize,
        cumulative: u64,
        min: Option<u64>,
    }
    // (Boxed, as `State`'s images: one copy of `BTreeMap`'s node code in
    // the wasm for all.)
    let mut dive: BTreeMap<String, Box<Data>> = BTreeMap::new();
    for (idx, l) in layers.iter().enumerate().skip(first) {
        for (k, e) in l.iter().enumerate() {
            let is_leaf = !l
                .get(k + 1)
                .is_some_and(|n| paths::is_within(&n.path, &e.path) && n.path != e.path);
            if !is_leaf {
                continue;
            }
            let size = match e.kind {
                EntryKind::Whiteout => match below[idx].get(&e.path) {
                    Some(n) if n.is_dir() => below[idx]
                        .descendants(&e.path)
                        .iter()
                        .map(|(_, n)| n.size())
                        .sum(),
                    _ => 0,
                },
                EntryKind::File => e.size,
                _ => 0,
            };
            if !dive.contains_key(&e.path) {
                let first = Data {
                    count: 0,
                    cumulative: 0,
                    min: None,
                };
                dive.insert(e.path.clone(), Box::new(first));
            }
            if let Some(d) = dive.get_mut(&e.path) {
                d.count += 1;
                d.cumulative += size;
                d.min = Some(d.min.map_or(size, |m| m.min(size)));
            }
        }
    }
    let (mut min_sum, mut cum_sum, mut dive_wasted) = (0u64, 0u64, 0u64);
    for d in dive.values() {
        min_sum += d.min.unwrap_or(0);
        cum_sum += d.cumulative;
        if d.count >= 2 {
            dive_wasted += d.cumulative;
        }
    }
    let efficiency = if cum_sum == 0 {
        1.0
    } else {
        min_sum as f64 / cum_sum as f64
    };

    // LayerLab: every stored copy that the image does not show.
    let mut copies: BTreeMap<String, Vec<(usize, u64, bool)>> = BTreeMap::new();
    for (idx, l) in layers.iter().enumerate() {
        for e in l {
            match e.kind {
                EntryKind::File => push_copy(&mut copies, e.path.clone(), (idx, e.size, false)),
                EntryKind::Whiteout if idx >= first => {
                    push_copy(&mut copies, e.path.clone(), (idx, 0, true));
                    // A deleted directory hides what is under it.
                    for (rel, n) in below[idx].descendants(&e.path) {
                        if n.is_file() {
                            let p = paths::join(&[&e.path, &rel]);
                            push_copy(&mut copies, p, (idx, 0, true));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut wasted_total = 0u64;
    let mut inefficiencies = Vec::new();
    for (path, list) in &copies {
        let top_file = list.iter().rev().find(|(_, _, wh)| !wh).map(|(i, _, _)| *i);
        let visible_idx = match final_fs.get(path) {
            Some(n) if n.is_file() => top_file,
            _ => None,
        };
        let mut wasted = 0u64;
        let mut total = 0u64;
        let mut count = 0usize;
        for &(idx, size, wh) in list {
            if idx < first {
                continue;
            }
            count += 1;
            total += size;
            if !wh && Some(idx) != visible_idx {
                wasted += size;
            }
        }
        let hidden_only = count > 0 && list.iter().any(|(i, _, wh)| *wh && *i >= first);
        if count >= 2 || (hidden_only && wasted > 0) {
            inefficiencies.push(Inefficiency {
                path: path.clone(),
                count,
                total_size: total,
                wasted,
            });
        }
        wasted_total += wasted;
    }
    shared_sort::sort_by(&mut inefficiencies, |a, b| {
        b.total_size.cmp(&a.total_size).then(a.path.cmp(&b.path))
    });
    let sizes: Vec<u64> = layers.iter().skip(first).map(|l| entries_size(l)).collect();
    WasteReport {
        efficiency,
        wasted_bytes: wasted_total,
        dive_wasted_bytes: dive_wasted,
        size_bytes: sizes.iter().sum(),
        user_size_bytes: sizes.iter().skip(1).sum(),
        inefficiencies,
    }
}

/// Adds one stored copy (layer index, size, whether a whiteout hides it)
/// to `path`'s list. (`get_mut` and `insert`, not the entry API: that is
/// one copy of `BTreeMap`'s insertion code less in the wasm.)
fn push_copy(
    copies: &mut std::collections::BTreeMap<String, Vec<(usize, u64, bool)>>,
    path: String,
    copy: (usize, u64, bool),
) {
    match copies.get_mut(&path) {
        Some(list) => list.push(copy),
        None => {
            copies.insert(path, vec![copy]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer_of(before: &Fs, after: &Fs) -> Vec<LayerEntry> {
        entries(&after.diff(before))
    }

    #[test]
    fn tar_is_a_real_deterministic_archive() {
        let mut fs = Fs::new();
        fs.put("/app/a.txt", Node::file("hello\n", 0o644));
        fs.put("/app/big.dll", Node::sized_file("stand-in", 20_000, 0o644));
        fs.put("/app/link", Node::symlink("a.txt"));
        let e = layer_of(&Fs::new(), &fs);
        let t = tar(&e);
        assert_eq!(t.len() % 512, 0);
        // Header of the first entry: "app/" directory, type '5'.
        assert_eq!(&t[0..4], b"app/");
        assert_eq!(t[156], b'5');
        assert_eq!(&t[257..263], b"ustar\0");
        // The checksum field verifies.
        let mut h = [0u8; 512];
        h.copy_from_slice(&t[..512]);
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
        let field = std::str::from_utf8(&t[148..154]).unwrap_or("");
        assert_eq!(u64::from_str_radix(field, 8).ok(), Some(sum));
        // The modelled size is a PAX record.
        assert!(t.windows(20).any(|w| w == b"LAYERLAB.size=20000\n"));
        assert_eq!(diff_id_of_entries(&e), diff_id_of_entries(&e.clone()));
        assert!(diff_id_of_entries(&e).starts_with("sha256:"));
        // Content changes the digest; so does the modelled size.
        let mut fs2 = fs.clone();
        fs2.put("/app/big.dll", Node::sized_file("stand-in", 20_001, 0o644));
        assert_ne!(
            diff_id(&fs.diff(&Fs::new())),
            diff_id(&fs2.diff(&Fs::new()))
        );
    }

    #[test]
    fn whiteouts_and_round_trip() {
        let mut a = Fs::new();
        a.put("/x/big", Node::sized_file("b", 1000, 0o644));
        a.put("/keep", Node::file("k", 0o644));
        let mut b = a.clone();
        let _ = b.remove("/x", true);
        let e = layer_of(&a, &b);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].kind.clone(), e[0].size), (EntryKind::Whiteout, 1000));
        let t = tar(&e);
        assert_eq!(&t[0..5], b".wh.x");
        let mut c = a.clone();
        apply(&mut c, &e);
        assert_eq!(c, b);
        // JSON round trip keeps everything.
        let json = serde_json::to_string(&e).unwrap_or_default();
        let back: Vec<LayerEntry> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, e);
        let bin = LayerEntry::from_node("/bin", &Node::file(vec![0xff, 0, 1], 0o755));
        assert_eq!(bin.hex.as_deref(), Some("ff0001"));
        assert_eq!(bin.content(), vec![0xff, 0, 1]);
    }

    #[test]
    fn chain_ids_follow_oci() {
        let d = ["sha256:aa".to_string(), "sha256:bb".to_string()];
        let c = chain_ids(&d);
        assert_eq!(c[0], "sha256:aa");
        assert_eq!(
            c[1],
            format!("sha256:{}", sha256_hex(b"sha256:aa sha256:bb"))
        );
    }

    /// `check(layers, expected)`: the analysis summarized as text.
    fn check(layers: &[Vec<LayerEntry>], first: usize, expected: &str) {
        let r = analyze(layers, first);
        let mut s = format!(
            "efficiency={:.4} wasted={} dive_wasted={} size={} user={}\n",
            r.efficiency, r.wasted_bytes, r.dive_wasted_bytes, r.size_bytes, r.user_size_bytes
        );
        for i in &r.inefficiencies {
            s.push_str(&format!(
                "{} count={} total={} wasted={}\n",
                i.path, i.count, i.total_size, i.wasted
            ));
        }
        assert_eq!(s, expected);
    }

    fn stack(steps: &[&dyn Fn(&mut Fs)]) -> Vec<Vec<LayerEntry>> {
        let mut fs = Fs::new();
        let mut out = Vec::new();
        for step in steps {
            let before = fs.clone();
            step(&mut fs);
            out.push(layer_of(&before, &fs));
        }
        out
    }

    #[test]
    fn deleted_file_is_wasted() {
        let layers = stack(&[
            &|fs| fs.put("/base/os", Node::sized_file("os", 5000, 0o644)),
            &|fs| fs.put("/tmp/cache.tar", Node::sized_file("c", 3000, 0o644)),
            &|fs| {
                let _ = fs.remove("/tmp/cache.tar", false);
            },
        ]);
        check(
            &layers,
            0,
            "efficiency=0.6250 wasted=3000 dive_wasted=3000 size=8000 user=3000\n\
             /tmp/cache.tar count=2 total=3000 wasted=3000\n",
        );
    }

    #[test]
    fn file_in_three_layers_wastes_two_copies() {
        let layers = stack(&[
            &|fs| fs.put("/app/a", Node::sized_file("1", 100, 0o644)),
            &|fs| fs.put("/app/a", Node::sized_file("2", 100, 0o644)),
            &|fs| fs.put("/app/a", Node::sized_file("3", 100, 0o644)),
        ]);
        check(
            &layers,
            0,
            "efficiency=0.3333 wasted=200 dive_wasted=300 size=300 user=200\n\
             /app/a count=3 total=300 wasted=200\n",
        );
    }

    #[test]
    fn deleted_directory_and_excluding_the_base() {
        let layers = stack(&[
            &|fs| {
                fs.put("/var/lib/apt/lists/a", Node::sized_file("a", 700, 0o644));
                fs.put("/var/lib/apt/lists/b", Node::sized_file("b", 300, 0o644));
            },
            &|fs| fs.put("/app/x", Node::sized_file("x", 10, 0o644)),
            &|fs| {
                let _ = fs.remove("/var/lib/apt/lists", true);
            },
        ]);
        // dive does not count a deleted directory as waste (its content
        // is seen once); the bytes are still shipped, so LayerLab does.
        check(
            &layers,
            0,
            "efficiency=1.0000 wasted=1000 dive_wasted=0 size=1010 user=10\n\
             /var/lib/apt/lists/a count=2 total=700 wasted=700\n\
             /var/lib/apt/lists/b count=2 total=300 wasted=300\n",
        );
        // With the base layer left out, the whiteout still counts what it
        // hides below.
        let r = analyze(&layers, 1);
        assert_eq!((r.size_bytes, r.wasted_bytes), (10, 0));
    }
}
