//! Hostile build contexts and oversized inputs: tar entries with `..`,
//! absolute names, symbolic links pointing outside, hard links, gzip bombs,
//! huge entry counts, deep paths, archives cut short. The context import
//! and ADD's extraction of a local archive must keep everything inside
//! the virtual tree or refuse the archive with a clear error; they must
//! never panic.
//!
//! Limits are tested at their real values where that is cheap, and with
//! a smaller `limits::Budget` passed in where the real value would need a
//! giant fixture.

use std::io::Write as _;

use layerlab_engine::build::{build, BuildOptions};
use layerlab_engine::context::{read_archive, ArchiveErrorKind, Context, ContextEntry};
use layerlab_engine::copy::{self, CopyOptions};
use layerlab_engine::dockerignore::DockerIgnore;
use layerlab_engine::filesystem::{Fs, Node, LOOP};
use layerlab_engine::limits::{self, ArchiveBudget, Budget, Limit};
use layerlab_engine::state::State;

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
fn a_gzip_bomb_is_refused_past_the_decompression_budget() {
    // 1,000:1 — an 8 MiB file of zeros in a few KiB of gzip: within the
    // real budget it loads; with a 1 MiB budget it is refused, having
    // inflated at most one byte more than the budget.
    let size = 8 << 20;
    let zeros = vec![0u8; size];
    let tar = tar_of(&[E::File("bomb.bin", &zeros)]);
    let gz = gzip(&tar);
    assert!(gz.len() * 500 < tar.len(), "{} -> {}", gz.len(), tar.len());
    let ctx = Context::from_archive(&gz).unwrap_or_default();
    assert_contained(&ctx);
    assert_eq!(ctx.size(), size as u64);
    let small = Budget {
        max_decompressed_bytes: 1 << 20,
        ..Budget::DEFAULT
    };
    assert_eq!(
        Context::from_archive_with(&gz, &small).map_err(|e| e.message),
        Err("the archive decompresses to more than 1048576 bytes (a gzip bomb?)".to_string())
    );
    // The same archive uncompressed is not held to the decompression
    // budget (its bytes are already in memory).
    assert!(Context::from_archive_with(&tar, &small).is_ok());
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
fn huge_entry_counts_load_within_the_budget_and_are_refused_past_it() {
    // 20,000 entries (10 MB of headers) in 100 implied directories load;
    // a budget of 19,999 entries, or of 20,099 files and directories,
    // refuses them.
    let names: Vec<String> = (0..20_000).map(|i| format!("d{}/f{i}", i % 100)).collect();
    let entries: Vec<E<'_>> = names.iter().map(|n| E::File(n, b"")).collect();
    let tar = tar_of(&entries);
    let ctx = Context::from_archive(&tar).unwrap_or_default();
    assert_eq!(ctx.len(), 20_000 + 100);
    assert_contained(&ctx);
    let budget = |max_entries, max_files| Budget {
        max_entries,
        max_files,
        ..Budget::DEFAULT
    };
    assert!(Context::from_archive_with(&tar, &budget(20_000, 20_100)).is_ok());
    assert_eq!(
        Context::from_archive_with(&tar, &budget(19_999, 20_100)).map_err(|e| e.message),
        Err("the archive has more than 19999 entries".to_string())
    );
    assert_eq!(
        Context::from_archive_with(&tar, &budget(20_000, 20_099)).map_err(|e| e.message),
        Err(
            "the archive unpacks to more than 20099 files and directories (at \"d99/f19999\")"
                .to_string()
        )
    );
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
fn deep_paths_are_refused_past_the_depth_limit() {
    // 1,000 directories deep (a 2 KB name, through a GNU long-name entry).
    let deep = format!("{}f.txt", "d/".repeat(1000));
    let e = load(&tar_of(&[E::File(&deep, b"deep")])).err();
    assert_eq!(
        e.as_deref(),
        Some(
            "path \"d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/\"... is 1001 directories deep; \
             at most 256 are allowed"
        )
    );
    // 256 deep loads.
    let ok = format!("{}f.txt", "d/".repeat(limits::MAX_PATH_DEPTH - 1));
    let ctx = load(&tar_of(&[E::File(&ok, b"ok")])).unwrap_or_default();
    assert_eq!(ctx.read(&ok), Some(&b"ok"[..]));
    assert_eq!(ctx.len(), limits::MAX_PATH_DEPTH);
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
    let gz = gzip(&good);
    let mut corrupt = good.clone();
    corrupt[148] ^= 0x55; // checksum field
                          // A header that claims 8 GiB of content, followed by 3 bytes.
    let mut h = tar::Header::new_gnu();
    h.set_size(8 << 30);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    assert!(h.set_path("big.bin").is_ok());
    h.set_cksum();
    let mut huge_size = h.as_bytes().to_vec();
    huge_size.extend_from_slice(b"abc");
    // (input, Ok(entries) or the start of the error)
    let cases: Vec<(Vec<u8>, Result<usize, &str>)> = vec![
        (Vec::new(), Ok(0)),
        (b"not an archive at all".to_vec(), Err("not a tar archive: ")),
        (vec![0x1f, 0x8b], Err("not a tar archive: ")),
        (
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff],
            Err("not a gzip-compressed tar archive: "),
        ),
        // Header and data, no end blocks: a clean end for Go's reader.
        (good[..good.len() / 2].to_vec(), Ok(1)),
        (good[..100].to_vec(), Err("not a tar archive: ")),
        // The gzip trailer cut: nothing is read past the end marker.
        (gz[..gz.len() - 4].to_vec(), Ok(1)),
        (corrupt, Err("not a tar archive: ")),
        (
            huge_size,
            Err("the archive's files hold more than 268435456 bytes (at \"big.bin\", 8589934592 bytes)"),
        ),
    ];
    for (i, (c, want)) in cases.iter().enumerate() {
        let got = Context::from_archive(c);
        if let Ok(ctx) = &got {
            assert_contained(ctx);
        }
        println!("garbage case {i}: {:?}", got.as_ref().map(Context::len));
        match (want, got) {
            (Ok(n), Ok(ctx)) => assert_eq!(ctx.len(), *n, "case {i}"),
            (Err(start), Err(e)) => assert!(e.message.starts_with(start), "case {i}: {e}"),
            (want, got) => panic!("case {i}: want {want:?}, got {got:?}"),
        }
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

/// Bytes that do not compress, so that a cut in a gzip stream lands in
/// the tar about where the same cut in the plain tar would.
fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_be_bytes()[0]
        })
        .collect()
}

/// `first.txt` (600 bytes) then `second.txt` (1,000 bytes): headers at 0
/// and 1536, data at 512..1112 and 2048..3048, end blocks at 3072..4096.
fn two_files() -> Vec<u8> {
    let tar = tar_of(&[
        E::File("first.txt", &noise(600, 1)),
        E::File("second.txt", &noise(1000, 2)),
    ]);
    assert_eq!(tar.len(), 4096);
    tar
}

#[test]
fn a_tar_cut_short_is_a_truncated_archive_naming_the_entry() {
    let tar = two_files();
    let msg = |r: Result<Context, layerlab_engine::context::ContextError>| r.map_err(|e| e.message);
    for (cut, want) in [
        (
            2048 + 300,
            "truncated archive: entry \"second.txt\" is cut short (300 of 1000 bytes)",
        ),
        (
            512 + 10,
            "truncated archive: entry \"first.txt\" is cut short (10 of 600 bytes)",
        ),
        (
            1536 + 100,
            "truncated archive: it ends inside the header after entry \"first.txt\"",
        ),
    ] {
        let cut = &tar[..cut];
        assert_eq!(msg(Context::from_archive(cut)), Err(want.to_string()));
        // The same bytes in a whole gzip stream.
        assert_eq!(
            msg(Context::from_archive(&gzip(cut))),
            Err(want.to_string())
        );
    }
    // A gzip stream cut short (past its 3-byte magic number): every cut is
    // an error (the first header not there yet: not an archive), up to the
    // end marker's bytes.
    const GZIP_MAGIC_LEN: usize = 3;
    let gz = gzip(&tar);
    let mut truncated = 0;
    for cut in GZIP_MAGIC_LEN..gz.len() - 16 {
        match Context::from_archive(&gz[..cut]) {
            Ok(_) => panic!("cut at {cut} of {} loads", gz.len()),
            Err(e)
                if e.message
                    .starts_with("truncated archive: the gzip stream ends ") =>
            {
                truncated += 1
            }
            Err(e) => assert!(
                e.message.starts_with("not a gzip-compressed tar archive: "),
                "cut at {cut}: {}",
                e.message
            ),
        }
    }
    assert!(truncated > gz.len() / 2, "{truncated} of {}", gz.len());
    let half = Context::from_archive(&gz[..gz.len() / 2]).err();
    let half = half.map(|e| e.message).unwrap_or_default();
    assert!(
        half.starts_with("truncated archive: the gzip stream ends inside entry \""),
        "{half}"
    );
}

#[test]
fn a_tar_missing_its_end_blocks_or_last_padding_loads_as_go_reads_it() {
    // a.txt (5 bytes) then b.txt (6 bytes): b's data at 1536..1542, its
    // padding to 2048, end blocks at 2048..3072.
    let tar = tar_of(&[E::File("a.txt", b"hello"), E::File("b.txt", b"world!")]);
    assert_eq!(tar.len(), 3072);
    let full = Context::from_archive(&tar).unwrap_or_default();
    assert_eq!(full.read("b.txt"), Some(&b"world!"[..]));
    for (what, end) in [
        ("no end blocks", 2048),
        ("one end block", 2560),
        ("half the padding", 1848),
        ("no padding", 1542),
    ] {
        let bytes = &tar[..end];
        assert_eq!(Context::from_archive(bytes).as_ref(), Ok(&full), "{what}");
        let gz = gzip(bytes);
        assert_eq!(
            Context::from_archive(&gz).as_ref(),
            Ok(&full),
            "{what}, gzip"
        );
    }
    // Cut one byte into b's data: that is a truncated archive.
    assert_eq!(
        Context::from_archive(&tar[..1541]).map_err(|e| e.message),
        Err("truncated archive: entry \"b.txt\" is cut short (5 of 6 bytes)".to_string())
    );
    // One zero block, then part of a block, or a block of data: Go's
    // reader fails (ErrUnexpectedEOF, ErrHeader).
    let mut partial = tar[..2560].to_vec();
    partial.extend_from_slice(&[0; 100]);
    assert_eq!(
        Context::from_archive(&partial).map_err(|e| e.message),
        Err(
            "truncated archive: the end-of-archive marker after entry \"b.txt\" is cut short"
                .to_string()
        )
    );
    let mut data = tar[..2560].to_vec();
    data.extend_from_slice(&[b'x'; 512]);
    assert_eq!(
        Context::from_archive(&data).map_err(|e| e.message),
        Err("invalid tar header after entry \"b.txt\": a zero block followed by data".to_string())
    );
    // Bytes after the two end blocks are not read.
    let mut trailing = tar.clone();
    trailing.extend_from_slice(b"trailing garbage");
    assert_eq!(Context::from_archive(&trailing).as_ref(), Ok(&full));
}

/// ADD of `archive` (named `name` in the context) to `/dst/`: the result
/// and the image's file system.
fn add(archive: &[u8], name: &str) -> (Result<usize, String>, Fs) {
    let mut from = Fs::new();
    from.put(&format!("/{name}"), Node::file(archive.to_vec(), 0o644));
    let mut to = Fs::new();
    let opts = CopyOptions {
        unpack: true,
        ..CopyOptions::default()
    };
    let r = copy::copy(&mut to, &from, name, "/dst/", &opts).map_err(|e| e.message);
    (r, to)
}

#[test]
fn add_copies_a_file_that_is_not_an_archive_as_it_is() {
    let tar = tar_of(&[E::File("a.txt", b"a")]);
    let mut bad_first_header = tar.clone();
    bad_first_header[148] ^= 0x55;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("notes.tar", b"just some text".to_vec()),
        ("empty.tar", Vec::new()),
        ("zeros.tar", vec![0; 4096]),
        ("end-blocks-only.tar", vec![0; 1024]),
        ("text.gz", gzip(b"hello, not a tar")),
        ("zeros.gz", gzip(&vec![0; 1 << 20])),
        ("bad-first-header.tar", bad_first_header),
        (
            "bad-deflate.tgz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff],
        ),
        ("short.tar", tar[..300].to_vec()),
    ];
    for (name, bytes) in &cases {
        assert_eq!(copy::untar(bytes), Ok(None), "{name}");
        let (r, to) = add(bytes, name);
        assert_eq!(r, Ok(1), "{name}");
        let dest = format!("/dst/{name}");
        assert_eq!(to.read(&dest).ok(), Some(&bytes[..]), "{name}");
    }
}

#[test]
fn add_extracts_an_archive_inside_the_destination() {
    let tar = tar_of(&[
        E::File("app/a.txt", b"a"),
        E::File("../../etc/passwd", b"x"),
        E::File("/abs/b", b"b"),
        E::Hardlink("app/c.txt", "app/a.txt"),
        E::Symlink("up", "../../.."),
    ]);
    for bytes in [tar.clone(), gzip(&tar)] {
        let (r, to) = add(&bytes, "app.tar");
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(to.read("/dst/app/a.txt").ok(), Some(&b"a"[..]));
        assert_eq!(to.read("/dst/etc/passwd").ok(), Some(&b"x"[..]));
        assert_eq!(to.read("/dst/abs/b").ok(), Some(&b"b"[..]));
        assert_eq!(to.read("/dst/app/c.txt").ok(), Some(&b"a"[..]));
        assert!(to.get("/dst/app.tar").is_none());
        for (path, _) in to.descendants("/") {
            assert!(path == "dst" || path.starts_with("dst/"), "{path}");
        }
    }
    // A hard link to nothing before it fails the step.
    let (r, to) = add(
        &tar_of(&[E::Hardlink("b", "a"), E::File("a", b"a")]),
        "l.tar",
    );
    assert_eq!(
        r,
        Err("failed to unpack /l.tar: archive entry \"b\" is a hard link to \"a\", which is not a file before it".to_string())
    );
    assert!(to.get("/dst").is_none());
    // So does one to a path a directory replaced: the file is gone.
    let (r, _) = add(
        &tar_of(&[E::File("a", b"a"), E::Dir("a"), E::Hardlink("b", "a")]),
        "l.tar",
    );
    assert_eq!(
        r,
        Err("failed to unpack /l.tar: archive entry \"b\" is a hard link to \"a\", which is not a file before it".to_string())
    );
}

#[test]
fn add_and_context_import_share_the_archive_limits() {
    // 3 entries; 5 files and directories (a, a/b implied); 10 bytes;
    // 3 directories deep.
    let tar = tar_of(&[
        E::File("a/b/c.txt", b"0123456789"),
        E::Dir("d"),
        E::File("e", b""),
    ]);
    let exact = Budget {
        max_entries: 3,
        max_files: 5,
        max_bytes: 10,
        max_path_depth: 3,
        ..Budget::DEFAULT
    };
    for bytes in [tar.clone(), gzip(&tar)] {
        let entries = copy::untar_with(&bytes, &exact).map(|o| o.map(|v| v.len()));
        assert_eq!(entries, Ok(Some(3)));
        assert_eq!(
            Context::from_archive_with(&bytes, &exact).map(|c| c.len()),
            Ok(5)
        );
        for (budget, want) in [
            (
                Budget {
                    max_entries: 2,
                    ..exact
                },
                "the archive has more than 2 entries",
            ),
            (
                Budget {
                    max_files: 4,
                    ..exact
                },
                "the archive unpacks to more than 4 files and directories (at \"e\")",
            ),
            (
                Budget {
                    max_bytes: 9,
                    ..exact
                },
                "the archive's files hold more than 9 bytes (at \"a/b/c.txt\", 10 bytes)",
            ),
            (
                Budget {
                    max_path_depth: 2,
                    ..exact
                },
                "path \"a/b/c.txt\"... is 3 directories deep; at most 2 are allowed",
            ),
        ] {
            let add = copy::untar_with(&bytes, &budget).map(|_| ());
            assert_eq!(add.map_err(|e| e.message), Err(want.to_string()));
            let ctx = Context::from_archive_with(&bytes, &budget).map(|_| ());
            assert_eq!(ctx.map_err(|e| e.message), Err(want.to_string()));
            let mut n = 0;
            let read = read_archive(&bytes, &budget, &mut |_| {
                n += 1;
                Ok(())
            });
            assert!(
                matches!(read.map_err(|e| e.kind), Err(ArchiveErrorKind::Limit(_))),
                "{want}"
            );
            assert!(n < 3, "entries over the limit reach the consumer");
        }
    }
    // A gzip bomb: 8 MiB of zeros in one entry, a 1 MiB budget.
    let bomb = gzip(&tar_of(&[E::File("bomb.bin", &vec![0u8; 8 << 20])]));
    let small = Budget {
        max_decompressed_bytes: 1 << 20,
        ..Budget::DEFAULT
    };
    assert_eq!(
        copy::untar_with(&bomb, &small)
            .map(|_| ())
            .map_err(|e| e.message),
        Err("the archive decompresses to more than 1048576 bytes (a gzip bomb?)".to_string())
    );
    assert!(copy::untar(&bomb).is_ok_and(|o| o.is_some()));
}

#[test]
fn add_refuses_a_name_past_path_max_instead_of_unpacking_it() {
    // 20,000 directories in a 40 KB GNU long name.
    let deep = "a/".repeat(20_000) + "f";
    let (r, to) = add(&tar_of(&[E::File(&deep, b"x")]), "deep.tar");
    let want = format!(
        "failed to unpack /deep.tar: path {:?}... is 40001 bytes long; at most 4095 are allowed",
        "a/".repeat(20)
    );
    assert_eq!(r, Err(want));
    assert!(to.get("/dst").is_none());
}

#[test]
fn a_broken_or_oversized_archive_fails_its_add_step_at_its_line() {
    let tar = two_files();
    let deep = format!("{}f", "d/".repeat(300));
    let ctx = Context::from_files([
        ("cut.tar", tar[..2048 + 300].to_vec()),
        ("cut.tar.gz", gzip(&tar)[..900].to_vec()),
        ("deep.tgz", gzip(&tar_of(&[E::File(&deep, b"x")]))),
        ("notes.tar", b"not an archive".to_vec()),
        ("ok.tar", tar.clone()),
    ])
    .unwrap_or_default();
    let run = |dockerfile: &str| {
        let report = build(
            dockerfile,
            &ctx,
            &BuildOptions::default(),
            &mut State::new(),
        );
        report.error.map(|e| (e.message, e.line))
    };
    assert_eq!(run("FROM alpine:3.20\nADD notes.tar ok.tar /x/\n"), None);
    assert_eq!(
        run("FROM alpine:3.20\nWORKDIR /w\nADD cut.tar /x/\n"),
        Some((
            "failed to unpack /cut.tar: truncated archive: entry \"second.txt\" is cut short (300 of 1000 bytes)".to_string(),
            Some(3)
        ))
    );
    let (message, line) = run("FROM alpine:3.20\nADD cut.tar.gz /x/\n").unwrap_or_default();
    assert!(
        message.starts_with(
            "failed to unpack /cut.tar.gz: truncated archive: the gzip stream ends inside entry "
        ),
        "{message}"
    );
    assert_eq!(line, Some(2));
    assert_eq!(
        run("FROM alpine:3.20\nADD deep.tgz /x/\n"),
        Some((
            format!(
                "failed to unpack /deep.tgz: path {:?}... is 301 directories deep; at most 256 are allowed",
                "d/".repeat(20)
            ),
            Some(2)
        ))
    );
}
