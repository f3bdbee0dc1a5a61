//! Hostile build contexts and oversized inputs: tar entries with `..`,
//! absolute names, symbolic links pointing outside, hard links, gzip bombs,
//! huge entry counts, deep paths. The context import must keep everything
//! inside the virtual tree or refuse the archive with a clear error; it
//! must never panic.
//!
//! These tests assert what the import does today. Where a limit from
//! `layerlab_engine::limits` is not wired into the import yet, the test
//! accepts either today's behaviour (the archive loads, contained) or the
//! limit's error, and checks the limit function itself, so wiring a limit
//! in does not break the test.

use std::io::Write as _;

use layerlab_engine::context::{Context, ContextEntry};
use layerlab_engine::dockerignore::DockerIgnore;
use layerlab_engine::filesystem::LOOP;
use layerlab_engine::limits::{self, ArchiveBudget, Limit};

/// One entry of a test archive.
enum E<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
}

/// Appends one raw GNU header (names written byte for byte, as a hostile
/// archive would: `tar::Header::set_path` refuses `..`), with a GNU
/// long-name entry first when the name does not fit in 100 bytes.
fn raw(b: &mut tar::Builder<Vec<u8>>, kind: tar::EntryType, name: &str, link: &str, data: &[u8]) {
    if name.len() > 100 {
        raw(
            b,
            tar::EntryType::GNULongName,
            "././@LongLink",
            "",
            name.as_bytes(),
        );
    }
    if link.len() > 100 {
        raw(
            b,
            tar::EntryType::GNULongLink,
            "././@LongLink",
            "",
            link.as_bytes(),
        );
    }
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(kind);
    let old = h.as_old_mut();
    let n = name.len().min(100);
    old.name[..n].copy_from_slice(&name.as_bytes()[..n]);
    let n = link.len().min(100);
    old.linkname[..n].copy_from_slice(&link.as_bytes()[..n]);
    h.set_cksum();
    let appended = b.append(&h, data);
    assert!(appended.is_ok(), "{appended:?}");
}

fn tar_of(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        match e {
            E::File(n, d) => raw(&mut b, tar::EntryType::Regular, n, "", d),
            E::Dir(n) => raw(&mut b, tar::EntryType::Directory, n, "", b""),
            E::Symlink(n, t) => raw(&mut b, tar::EntryType::Symlink, n, t, b""),
            E::Hardlink(n, t) => raw(&mut b, tar::EntryType::Link, n, t, b""),
        }
    }
    b.into_inner().unwrap_or_default()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    assert!(gz.write_all(bytes).is_ok());
    gz.finish().unwrap_or_default()
}

/// Every entry's path is relative and clean, every parent a directory.
fn assert_contained(ctx: &Context) {
    for (path, _) in ctx.iter() {
        assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
        assert!(
            path.split('/').all(|p| !matches!(p, "" | "." | "..")),
            "{path:?} is not a clean relative path"
        );
        if let Some((parent, _)) = path.rsplit_once('/') {
            assert!(
                matches!(ctx.get(parent), Some(ContextEntry::Dir { .. })),
                "{path:?}: parent is not a directory"
            );
        }
    }
}

/// Loads `tar` both plain and gzipped; both must agree.
fn load(tar: &[u8]) -> Result<Context, String> {
    let plain = Context::from_archive(tar).map_err(|e| e.message);
    let zipped = Context::from_archive(&gzip(tar)).map_err(|e| e.message);
    assert_eq!(plain, zipped, "tar and tar.gz disagree");
    if let Ok(ctx) = &plain {
        assert_contained(ctx);
    }
    plain
}

#[test]
fn entries_climbing_out_with_dotdot_are_refused() {
    for name in [
        "../escape",
        "../../../../etc/passwd",
        "a/../../escape",
        "a/b/../../../escape",
        "./../x",
        "a\\..\\..\\x",
        "..",
    ] {
        let r = load(&tar_of(&[E::File("ok.txt", b"ok"), E::File(name, b"x")]));
        let e = r.err().unwrap_or_default();
        assert!(
            e.contains("outside the build context"),
            "{name:?}: expected a clear error, got {e:?}"
        );
    }
    // `..` that stays inside is just cleaned.
    let ctx = load(&tar_of(&[E::File("a/../b/./c.txt", b"c")])).unwrap_or_default();
    assert_eq!(ctx.read("b/c.txt"), Some(&b"c"[..]));
    assert!(ctx.get("a").is_none());
}

#[test]
fn absolute_names_land_inside_the_context() {
    let ctx = load(&tar_of(&[
        E::File("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
        E::Dir("/abs/dir/"),
        E::File("//double//slash", b"d"),
        E::File("/./x/../y", b"y"),
    ]))
    .unwrap_or_default();
    assert_eq!(
        ctx.read("etc/passwd"),
        Some(&b"root:x:0:0::/root:/bin/sh\n"[..])
    );
    assert!(matches!(ctx.get("abs/dir"), Some(ContextEntry::Dir { .. })));
    assert_eq!(ctx.read("double/slash"), Some(&b"d"[..]));
    assert_eq!(ctx.read("y"), Some(&b"y"[..]));
    assert_eq!(
        ctx.len(),
        7,
        "{:?}",
        ctx.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
}

#[test]
fn symlinks_pointing_outside_resolve_inside_the_virtual_root() {
    let ctx = load(&tar_of(&[
        E::File("app/a.txt", b"a"),
        E::Symlink("up", "../../../etc"),
        E::Symlink("abs", "/etc/shadow"),
        E::Symlink("app/sibling", "../app/a.txt"),
    ]))
    .unwrap_or_default();
    // Links are kept as written...
    assert_eq!(
        ctx.get("up"),
        Some(&ContextEntry::Symlink {
            target: "../../../etc".into()
        })
    );
    // ...and following them never leaves the context's root: `..` stops
    // at `/`, an absolute target starts again from the context root.
    let fs = ctx.to_fs(&DockerIgnore::default());
    assert_eq!(
        fs.resolve("/up/passwd", true).ok().as_deref(),
        Some("/etc/passwd")
    );
    assert_eq!(
        fs.resolve("/abs", true).ok().as_deref(),
        Some("/etc/shadow")
    );
    assert!(fs.lookup("/up/passwd").is_none(), "nothing outside exists");
    assert!(fs.lookup("/abs").is_none());
    assert_eq!(
        fs.lookup("/app/sibling").map(|n| n.content().to_vec()),
        Some(b"a".to_vec())
    );
}

#[test]
fn nothing_is_written_through_a_symlink() {
    // `link -> /etc` then `link/passwd`: a naive extractor would write
    // /etc/passwd. The import refuses the archive instead.
    for target in ["/etc", "../outside", "."] {
        let r = load(&tar_of(&[
            E::Symlink("link", target),
            E::File("link/passwd", b"x"),
        ]));
        let e = r.err().unwrap_or_default();
        assert!(e.contains("not a directory"), "{target}: {e:?}");
    }
}

#[test]
fn symlink_loops_end_with_eloop_at_the_kernel_limit() {
    let ctx = load(&tar_of(&[
        E::Symlink("a", "b"),
        E::Symlink("b", "a"),
        E::Symlink("self", "self/x"),
    ]))
    .unwrap_or_default();
    let fs = ctx.to_fs(&DockerIgnore::default());
    for p in ["/a", "/b", "/self", "/a/x"] {
        let e = fs.resolve(p, true).err().map(|e| e.reason);
        assert_eq!(e, Some(LOOP), "{p}");
    }
    // A chain of exactly MAX_SYMLINK_HOPS links resolves; one more fails.
    let n = limits::MAX_SYMLINK_HOPS;
    let names: Vec<String> = (0..=n + 1).map(|i| format!("l{i}")).collect();
    let mut entries = vec![E::File("end", b"end")];
    for i in 0..=n {
        let target = if i == n { "end" } else { names[i + 1].as_str() };
        entries.push(E::Symlink(names[i].as_str(), target));
    }
    let ctx = load(&tar_of(&entries)).unwrap_or_default();
    let fs = ctx.to_fs(&DockerIgnore::default());
    assert_eq!(
        fs.resolve("/l1", true).ok().as_deref(),
        Some("/end"),
        "{n} hops"
    );
    assert_eq!(
        fs.resolve("/l0", true).err().map(|e| e.reason),
        Some(LOOP),
        "{} hops",
        n + 1
    );
    assert!(limits::check_symlink_hops("/l0", n, n).is_ok());
    assert!(limits::check_symlink_hops("/l0", n + 1, n).is_err());
}

#[test]
fn hard_links_copy_earlier_entries_only() {
    let ctx = load(&tar_of(&[
        E::File("app/a.txt", b"hello"),
        E::Hardlink("app/b.txt", "app/a.txt"),
        E::Hardlink("c.txt", "/app/a.txt"),
    ]))
    .unwrap_or_default();
    assert_eq!(ctx.read("app/b.txt"), Some(&b"hello"[..]));
    assert_eq!(ctx.read("c.txt"), Some(&b"hello"[..]));
    for (name, target) in [
        ("x", "../../etc/passwd"),
        ("x", "/etc/passwd"),
        ("x", "later.txt"),
        ("x", "dir"),
        ("x", ""),
    ] {
        let r = load(&tar_of(&[
            E::Dir("dir"),
            E::Hardlink(name, target),
            E::File("later.txt", b"l"),
        ]));
        let e = r.err().unwrap_or_default();
        assert!(e.contains("hard link"), "{target:?}: {e:?}");
    }
    // A hard link named outside is refused like any entry.
    let r = load(&tar_of(&[E::File("a", b"a"), E::Hardlink("../x", "a")]));
    assert!(r.is_err_and(|e| e.contains("outside the build context")));
}

#[test]
fn a_gzip_bomb_is_contained_or_refused() {
    // 1,000:1 — an 8 MiB file of zeros in a few KiB of gzip. Today the
    // import inflates it whole (no decompression limit is wired in yet);
    // with limits::MAX_DECOMPRESSED_BYTES wired in, a big enough bomb is
    // refused. Either way: no panic, and what loads is contained.
    let size = 8 << 20;
    let zeros = vec![0u8; size];
    let tar = tar_of(&[E::File("bomb.bin", &zeros)]);
    let gz = gzip(&tar);
    assert!(gz.len() * 500 < tar.len(), "{} -> {}", gz.len(), tar.len());
    match Context::from_archive(&gz) {
        Ok(ctx) => {
            assert_contained(&ctx);
            assert_eq!(ctx.size(), size as u64);
        }
        Err(e) => assert!(e.message.contains("decompress"), "{}", e.message),
    }
    // Plain gzip of zeros (not a tar at all) never panics.
    let r = Context::from_archive(&gzip(&vec![0u8; 1 << 20]));
    assert!(r.as_ref().map_or(true, Context::is_empty), "{r:?}");
    // The limit itself: what a real bomb (past the budget) gets.
    let mut budget = ArchiveBudget::new();
    assert!(budget.decompressed(limits::MAX_DECOMPRESSED_BYTES).is_ok());
    let e = budget.decompressed(1).err();
    assert_eq!(e.as_ref().map(|e| e.limit), Some(Limit::DecompressedBytes));
    assert!(e.is_some_and(|e| e.message.contains("gzip bomb")));
}

#[test]
fn huge_entry_counts_load_or_are_refused() {
    // 20,000 entries (10 MB of headers) load today; the budget refuses
    // more than MAX_TAR_ENTRIES.
    let names: Vec<String> = (0..20_000).map(|i| format!("d{}/f{i}", i % 100)).collect();
    let entries: Vec<E<'_>> = names.iter().map(|n| E::File(n, b"")).collect();
    let tar = tar_of(&entries);
    match Context::from_archive(&tar) {
        Ok(ctx) => {
            assert_eq!(ctx.len(), 20_000 + 100);
            assert_contained(&ctx);
        }
        Err(e) => assert!(e.message.contains("entries"), "{}", e.message),
    }
    let mut budget = ArchiveBudget::new();
    for i in 0..limits::MAX_TAR_ENTRIES {
        assert!(budget.entry("f", 0).is_ok(), "entry {i}");
    }
    let e = budget.entry("f", 0).err();
    assert_eq!(e.map(|e| e.limit), Some(Limit::TarEntries));
    assert!(limits::check_context(limits::MAX_CONTEXT_FILES, limits::MAX_CONTEXT_BYTES).is_ok());
    assert!(limits::check_context(limits::MAX_CONTEXT_FILES + 1, 0).is_err());
    assert!(limits::check_context(1, limits::MAX_CONTEXT_BYTES + 1).is_err());
    let mut budget = ArchiveBudget::new();
    assert!(budget.entry("big", limits::MAX_CONTEXT_BYTES).is_ok());
    assert_eq!(
        budget.entry("more", 1).err().map(|e| e.limit),
        Some(Limit::ContextBytes)
    );
}

#[test]
fn deep_paths_load_contained_or_are_refused() {
    // 1,000 directories deep (a 2 KB name, through a GNU long-name entry).
    let deep = format!("{}f.txt", "d/".repeat(1000));
    match load(&tar_of(&[E::File(&deep, b"deep")])) {
        Ok(ctx) => {
            assert_eq!(ctx.read(&deep), Some(&b"deep"[..]));
            assert_eq!(ctx.len(), 1001);
        }
        Err(e) => assert!(e.contains("deep"), "{e}"),
    }
    // A deep link target resolves (or loops) without trouble.
    let target = "../".repeat(2000) + "etc/passwd";
    let ctx = load(&tar_of(&[E::Symlink("l", &target)])).unwrap_or_default();
    let fs = ctx.to_fs(&DockerIgnore::default());
    assert_eq!(fs.resolve("/l", true).ok().as_deref(), Some("/etc/passwd"));
    // The limits.
    assert!(limits::check_path(&"d/".repeat(limits::MAX_PATH_DEPTH)).is_ok());
    let e = limits::check_path(&deep).err();
    assert_eq!(e.as_ref().map(|e| e.limit), Some(Limit::PathDepth));
    assert!(e.is_some_and(|e| e.message.contains("1001 directories deep")));
    let long = "x/".repeat(2100);
    assert_eq!(
        limits::check_path(&long).err().map(|e| e.limit),
        Some(Limit::PathBytes)
    );
    let name = "n".repeat(limits::MAX_NAME_BYTES + 1);
    assert_eq!(
        limits::check_path(&name).err().map(|e| e.limit),
        Some(Limit::NameBytes)
    );
}

#[test]
fn garbage_archives_give_errors_not_panics() {
    let good = tar_of(&[E::File("a.txt", b"a")]);
    let mut cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"not an archive at all".to_vec(),
        vec![0x1f, 0x8b],
        vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff],
        good[..good.len() / 2].to_vec(),
        good[..100].to_vec(),
    ];
    let gz = gzip(&good);
    cases.push(gz[..gz.len() - 4].to_vec());
    let mut corrupt = good.clone();
    corrupt[148] ^= 0x55; // checksum field
    cases.push(corrupt);
    // A header that claims 8 GiB of content, followed by 3 bytes.
    let mut h = tar::Header::new_gnu();
    h.set_size(8 << 30);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    assert!(h.set_path("big.bin").is_ok());
    h.set_cksum();
    let mut huge_size = h.as_bytes().to_vec();
    huge_size.extend_from_slice(b"abc");
    cases.push(huge_size);
    for (i, c) in cases.iter().enumerate() {
        if let Ok(ctx) = Context::from_archive(c) {
            assert_contained(&ctx);
        }
        println!(
            "garbage case {i}: {:?}",
            Context::from_archive(c).map(|c| c.len())
        );
    }
}

#[test]
fn dockerfile_limits_match_buildkit() {
    // The line limit is BuildKit's and the parser applies it.
    assert_eq!(limits::MAX_LINE_BYTES, layerlab_syntax::MAX_LINE_LENGTH);
    let long = format!(
        "FROM alpine\nLABEL a={}\n",
        "x".repeat(limits::MAX_LINE_BYTES)
    );
    let e = layerlab_syntax::parse(&long).err().map(|e| e.message);
    assert_eq!(
        e.as_deref(),
        Some("dockerfile line greater than max allowed size of 65535")
    );
    assert_eq!(
        limits::check_line_length(&long)
            .err()
            .map(|e| e.message)
            .as_deref(),
        Some("dockerfile line greater than max allowed size of 65535")
    );
    let ok = format!(
        "FROM alpine\nLABEL a={}\n",
        "x".repeat(limits::MAX_LINE_BYTES - 8)
    );
    assert!(layerlab_syntax::parse(&ok).is_ok());
    assert!(limits::check_line_length(&ok).is_ok());
    // Size: BuildKit's 16 MiB, its message.
    assert!(limits::check_file_size("Dockerfile", limits::MAX_DOCKERFILE_BYTES).is_ok());
    assert_eq!(
        limits::check_file_size("Dockerfile", limits::MAX_DOCKERFILE_BYTES + 1)
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("Dockerfile exceeds maximum allowed size of 16777216 bytes")
    );
    assert!(limits::check_dockerignore_lines(".dockerignore", &"a".repeat(70_000)).is_err());
    assert!(limits::check_instruction_count(limits::MAX_INSTRUCTIONS).is_ok());
    assert!(limits::check_instruction_count(limits::MAX_INSTRUCTIONS + 1).is_err());
}

#[test]
fn an_oversized_dockerfile_is_refused_by_build_and_lint() {
    use layerlab_engine::build::{build, BuildOptions};
    use layerlab_engine::lint::{lint_source, LintOptions};
    use layerlab_engine::state::State;
    let text = format!("FROM alpine:3.20\n{}", "# padding\n".repeat(2 << 20));
    assert!(text.len() > limits::MAX_DOCKERFILE_BYTES);
    let report = build(
        &text,
        &Context::new(),
        &BuildOptions::default(),
        &mut State::new(),
    );
    let message = report.error.map(|e| e.message).unwrap_or_default();
    assert_eq!(
        message,
        "Dockerfile exceeds maximum allowed size of 16777216 bytes"
    );
    let lint = lint_source(&text, &LintOptions::default());
    let message = lint.error.map(|e| e.message).unwrap_or_default();
    assert_eq!(
        message,
        "Dockerfile exceeds maximum allowed size of 16777216 bytes"
    );
}
