//! The bodies of LayerLab's fuzz targets, as plain functions.
//!
//! Each `fuzz_targets/NAME.rs` is one line that calls [`NAME`](self) here,
//! and `tests/tests/fuzz_regressions.rs` (stable Rust, the normal test
//! suite) includes this file and runs every saved crash input in
//! `tests/fuzz-regressions/NAME/` through the same function. So this file
//! depends only on what the `layerlab-tests` crate also has: the two
//! LayerLab crates, `serde_json`, `tar` and `flate2`.
//!
//! Every function takes arbitrary bytes, must never panic, and asserts the
//! invariants that are cheap to check (spans inside the input, lines in
//! range, paths contained in the virtual tree, JSON round trips).

use std::collections::BTreeMap;

use layerlab_engine::build::{build, BuildOptions, BuildReport, StepKind};
use layerlab_engine::context::{Context, ContextEntry};
use layerlab_engine::docker::build::{render_plain, report_json, BuildCommand};
use layerlab_engine::dockerignore::DockerIgnore;
use layerlab_engine::image::ImageConfig;
use layerlab_engine::lint::{lint_source, BaseImage, LintOptions};
use layerlab_engine::run::{
    parse_env_file, parse_exec_args, parse_expose, parse_publish, parse_run_args, plan_run,
    ContainerInput, HostInput, RunCommand,
};
use layerlab_engine::state::State;
use layerlab_syntax::words::{Env, Lexer};

/// Number of lines of `text` as the parser counts them (`\n`-separated).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The parser on arbitrary bytes: never a panic, and every span and line
/// it reports lies inside the input.
pub fn parse(data: &[u8]) {
    let (text, result) = layerlab_syntax::parse_bytes(data);
    match result {
        Ok(file) => {
            let lines = line_count(&text);
            for ins in &file.instructions {
                assert!(ins.start_line >= 1 && ins.start_line <= ins.end_line);
                assert!(ins.end_line <= lines);
                assert!(ins.span.start <= ins.span.end && ins.span.end <= text.len());
                for f in &ins.flags {
                    assert!(f.span.end <= text.len());
                }
                for a in &ins.args {
                    assert!(a.span.start <= a.span.end && a.span.end <= text.len());
                }
            }
            let _ = layerlab_syntax::dump(&file);
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1);
            assert!(e.span.end <= text.len());
        }
    }
}

/// Word expansion on arbitrary text with both escape characters and every
/// option (the first byte holds the options): never a panic.
pub fn words(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lexer = Lexer::new(if flags & 1 == 0 { '\\' } else { '`' });
    lexer.raw_quotes = flags & 2 != 0;
    lexer.raw_escapes = flags & 4 != 0;
    lexer.skip_unset_env = flags & 8 != 0;
    lexer.skip_process_quotes = flags & 16 != 0;
    let env = Env::from_slice(&["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL=", "A=a*b"]);
    let _ = lexer.process_word(&text, &env);
    let _ = lexer.process_words(&text, &env);
    let _ = lexer.process_word_with_matches(&text, &env);
}

/// Paths tried when the input has no path part.
const DEFAULT_PATHS: &str = "a/b\nlogs/x.log\nlogs/keep.txt\nREADME.md\nsrc/main.rs\n.git/HEAD";

/// `.dockerignore` reading and matching. The input is the file's text,
/// then a NUL, then context paths one per line. Checks: error and pattern
/// lines are lines of the file; `is_excluded` agrees with the deciding
/// pattern; the files a context sends are exactly the files not excluded.
pub fn dockerignore(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (patterns, paths) = text.split_once('\0').unwrap_or((&text, DEFAULT_PATHS));
    let lines = line_count(patterns);
    let _ = DockerIgnore::from_patterns(&patterns.split('\n').collect::<Vec<_>>());
    let ignore = match DockerIgnore::parse(patterns) {
        Ok(ignore) => ignore,
        Err(e) => {
            assert!(
                e.line >= 1 && e.line <= lines,
                "error line {} of {lines}",
                e.line
            );
            return;
        }
    };
    for p in &ignore.patterns {
        assert!(
            p.line >= 1 && p.line <= lines,
            "pattern line {} of {lines}",
            p.line
        );
    }
    let mut ctx = Context::new();
    for path in paths.split('\n') {
        let excluded = ignore.is_excluded(path);
        match ignore.deciding_pattern(path) {
            Some(p) => assert_eq!(
                excluded, !p.exclusion,
                "{path:?} decided by {:?}",
                p.pattern
            ),
            None => assert!(!excluded, "{path:?} excluded without a pattern"),
        }
        let _ = ctx.insert_file(path, b"x".to_vec(), 0o644);
    }
    let fs = ctx.to_fs(&ignore);
    for (path, entry) in ctx.iter() {
        if matches!(entry, ContextEntry::File { .. }) {
            assert_eq!(
                fs.get(path).is_some(),
                !ignore.is_excluded(path),
                "{path:?} sent or not against the patterns"
            );
        }
    }
}

/// A little reader over the fuzz input.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// A length-prefixed run of bytes (length one byte; shorter at the end).
    fn chunk(&mut self) -> Option<&'a [u8]> {
        let n = usize::from(self.byte()?).min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
}

/// A GNU tar header with a raw name and link name (any bytes, even `..`
/// or absolute, the way a hostile archive writes them; names longer than
/// the 100-byte field get a GNU long-name entry first).
fn append_entry(
    b: &mut tar::Builder<Vec<u8>>,
    kind: tar::EntryType,
    name: &[u8],
    link: &[u8],
    mode: u32,
    data: &[u8],
) -> std::io::Result<()> {
    if name.len() > 100 {
        append_raw(
            b,
            tar::EntryType::GNULongName,
            b"././@LongLink",
            b"",
            0o644,
            name,
        )?;
    }
    if link.len() > 100 {
        append_raw(
            b,
            tar::EntryType::GNULongLink,
            b"././@LongLink",
            b"",
            0o644,
            link,
        )?;
    }
    append_raw(b, kind, name, link, mode, data)
}

fn append_raw(
    b: &mut tar::Builder<Vec<u8>>,
    kind: tar::EntryType,
    name: &[u8],
    link: &[u8],
    mode: u32,
    data: &[u8],
) -> std::io::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(mode);
    h.set_entry_type(kind);
    let old = h.as_old_mut();
    let n = name.len().min(old.name.len());
    old.name[..n].copy_from_slice(&name[..n]);
    let n = link.len().min(old.linkname.len());
    old.linkname[..n].copy_from_slice(&link[..n]);
    h.set_cksum();
    b.append(&h, data)
}

/// Builds a well-formed tar archive (valid checksums) from the input, so
/// the fuzzer explores the context import rather than the checksum check:
/// entries of (kind, name, link, mode, data), with hostile names allowed.
pub fn tar_from_bytes(data: &[u8]) -> Vec<u8> {
    let mut input = Bytes(data);
    let mut b = tar::Builder::new(Vec::new());
    while let Some(k) = input.byte() {
        let kind = match k % 9 {
            0 | 1 => tar::EntryType::Regular,
            2 => tar::EntryType::Directory,
            3 => tar::EntryType::Symlink,
            4 => tar::EntryType::Link,
            5 => tar::EntryType::Fifo,
            6 => tar::EntryType::Continuous,
            7 => tar::EntryType::XHeader,
            _ => tar::EntryType::Char,
        };
        let name = input.chunk().unwrap_or_default();
        let link = input.chunk().unwrap_or_default();
        let mode = (u32::from(input.byte().unwrap_or(0)) << 4) | u32::from(k >> 4);
        let mut body = input.chunk().unwrap_or_default().to_vec();
        if kind == tar::EntryType::XHeader {
            // A PAX header naming the next entry.
            body = pax_record("path", &String::from_utf8_lossy(name)).into_bytes();
        }
        if append_entry(&mut b, kind, name, link, mode, &body).is_err() {
            break;
        }
    }
    b.into_inner().unwrap_or_default()
}

/// One PAX extended-header record, `"LEN key=value\n"`, where LEN counts
/// the whole record, its own digits included.
pub fn pax_record(key: &str, value: &str) -> String {
    let rest = format!(" {key}={value}\n");
    let mut len = rest.len() + rest.len().to_string().len();
    if len.to_string().len() + rest.len() != len {
        len += 1;
    }
    format!("{len}{rest}")
}

/// Gzip of `bytes` (for the `.tar.gz` path).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if gz.write_all(bytes).is_err() {
        return Vec::new();
    }
    gz.finish().unwrap_or_default()
}

/// Checks that a loaded context is a contained, consistent tree: every
/// path relative and clean (no `..`, no `.`, no empty part, no leading
/// `/`), every parent a directory, and every symbolic link, followed in
/// the file system BuildKit receives, resolves to a path inside it.
pub fn check_context(ctx: &Context) {
    for (path, entry) in ctx.iter() {
        assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
        assert!(!path.contains('\\'), "{path:?}");
        for part in path.split('/') {
            assert!(!matches!(part, "" | "." | ".."), "{path:?} is not clean");
        }
        if let Some((parent, _)) = path.rsplit_once('/') {
            let up = ctx.get(parent);
            assert!(
                matches!(up, Some(ContextEntry::Dir { .. })),
                "parent of {path:?} is not a directory: {up:?}"
            );
        }
        if let ContextEntry::File { mode, .. } | ContextEntry::Dir { mode } = entry {
            assert!(*mode <= 0o7777);
        }
    }
    let fs = ctx.to_fs(&DockerIgnore::default());
    for (path, entry) in ctx.iter() {
        if let ContextEntry::Symlink { .. } = entry {
            if let Ok(r) = fs.resolve(path, true) {
                assert!(r.starts_with('/'), "{path:?} resolves to {r:?}");
                assert!(
                    !r.split('/').any(|p| p == ".." || p == "."),
                    "{path:?} -> {r:?}"
                );
            }
            let _ = fs.lookup(&format!("{path}/x/../y"));
        }
    }
    let _ = ctx.dockerignore("Dockerfile");
}

/// Context import (and ADD's archive extraction, `copy::untar`): the first
/// byte chooses raw archive bytes or an archive built from the input
/// ([`tar_from_bytes`]), gzipped or not. Checks [`check_context`] on every
/// archive that loads.
pub fn context(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let archive = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        tar_from_bytes(rest)
    };
    let archive = if mode & 2 != 0 {
        gzip(&archive)
    } else {
        archive
    };
    if let Ok(ctx) = Context::from_archive(&archive) {
        check_context(&ctx);
    }
    // ADD's extraction of a local archive into the image.
    let _ = layerlab_engine::copy::untar(&archive);
    if mode & 3 == 0 {
        let _ = Context::from_tar(rest);
        let _ = Context::from_tar_gz(rest);
    }
}

/// An `/etc/passwd` for the run plans.
const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/bin/sh\n";

/// `docker run` / `create` / `exec` / `build` argument parsing, and the run
/// plan for what parses. The first byte picks the command and the image; the rest is
/// NUL-separated arguments; an argument `env.list` names a host file whose
/// content is the last argument.
pub fn run_args(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let args: Vec<String> = text.split('\0').map(str::to_string).collect();
    let mut host = HostInput::default();
    host.env.insert("HOME".into(), "/root".into());
    host.env.insert("FOO".into(), "bar".into());
    if let Some(last) = args.last() {
        host.files.insert("env.list".into(), last.clone());
        let _ = parse_env_file("env.list", last, &host.env);
    }
    for a in &args {
        let _ = parse_publish(a);
        let _ = parse_expose(a);
    }
    if which & 3 == 2 {
        let _ = parse_exec_args(&args, &host);
        return;
    }
    if which & 3 == 3 {
        if let Ok(cmd) = BuildCommand::parse(&args) {
            let _ = cmd.dockerfile_path();
            let _ = cmd.options();
        }
        return;
    }
    let command = if which & 1 == 0 {
        RunCommand::Run
    } else {
        RunCommand::Create
    };
    let Ok(opts) = parse_run_args(command, &args, &host) else {
        return;
    };
    let mut image = ImageConfig::default();
    if which & 4 != 0 {
        image.entrypoint = Some(vec!["dotnet".into(), "aspnetapp.dll".into()]);
        image.env = vec![
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            "ASPNETCORE_HTTP_PORTS=8080".into(),
        ];
        image.working_dir = "/app".into();
        image.user = "app".into();
        image
            .exposed_ports
            .insert("8080/tcp".into(), Default::default());
    } else if which & 8 != 0 {
        image.cmd = Some(vec![
            "/bin/sh".into(),
            "-c".into(),
            "nginx -g 'daemon off;'".into(),
        ]);
        image
            .exposed_ports
            .insert("80/tcp".into(), Default::default());
    }
    let mut input = ContainerInput::new(&"0123456789ab".repeat(6)[..64]);
    if which & 16 != 0 {
        input.passwd = Some(PASSWD.into());
        input.group = Some("root:x:0:\napp:x:1654:\n".into());
    }
    input.stdin_is_terminal = which & 32 == 0;
    let _ = plan_run(&opts, &image, &input);
}

/// Lint on arbitrary Dockerfile bytes (the first byte holds the options:
/// target, platform, `.dockerignore`, build args, check directive, base
/// images). Checks that every warning's lines and span are in the input.
pub fn lint(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut images = BTreeMap::new();
    let config = ImageConfig {
        env: vec!["PATH=/usr/bin:/bin".into(), "HOME=/root".into()],
        on_build: vec!["RUN echo onbuild".into()],
        ..ImageConfig::default()
    };
    images.insert(
        "alpine:3.20".to_string(),
        BaseImage {
            config,
            platform: Some("linux/arm64".into()),
        },
    );
    let mut opts = LintOptions::default();
    if flags & 1 != 0 {
        opts.target = Some("build".into());
    }
    if flags & 2 != 0 {
        opts.platform = Some("linux/arm64".into());
    }
    if flags & 4 != 0 {
        opts.dockerignore = Some(vec!["*.md".into(), "!README.md".into(), "bin".into()]);
    }
    if flags & 8 != 0 {
        opts.build_args.insert("VERSION".into(), "1.0".into());
        opts.build_args.insert("BASE".into(), "alpine:3.20".into());
    }
    if flags & 16 != 0 {
        opts.check = Some("skip=JSONArgsRecommended;error=true".into());
    }
    if flags & 32 != 0 {
        opts.images = Some(&images);
    }
    check_lint(&text, &opts);
}

/// Lints `text` and checks that every warning's lines and span, and the
/// error's, are in the input.
fn check_lint(text: &str, opts: &LintOptions<'_>) {
    let report = lint_source(text, opts);
    let lines = line_count(text);
    for w in &report.warnings {
        assert!(
            w.line >= 1 && w.line <= w.end_line && w.end_line <= lines,
            "{}: lines {}-{} of {lines}",
            w.rule,
            w.line,
            w.end_line
        );
        assert!(
            w.span.start <= w.span.end && w.span.end <= text.len(),
            "{}: {:?}",
            w.rule,
            w.span
        );
    }
    if let Some(e) = &report.error {
        if let (Some(l), Some(end)) = (e.line, e.end_line) {
            assert!(
                l >= 1 && l <= end && end <= lines,
                "error lines {l}-{end} of {lines}"
            );
        }
        if let Some(s) = e.span {
            assert!(s.start <= s.end && s.end <= text.len(), "error span {s:?}");
        }
    }
}

/// The state file loader (`serde_json::from_slice::<State>`): never a
/// panic, and what loads saves and loads back to the same state.
pub fn state(data: &[u8]) {
    let Ok(state) = serde_json::from_slice::<State>(data) else {
        return;
    };
    let saved = serde_json::to_vec(&state);
    assert!(
        saved.is_ok(),
        "a loaded state does not serialize: {saved:?}"
    );
    if let Ok(saved) = saved {
        let again = serde_json::from_slice::<State>(&saved);
        assert!(
            again.as_ref().is_ok_and(|s| *s == state),
            "round trip: {again:?}"
        );
    }
    for name in [
        "aspnetapp",
        "aspnetapp:latest",
        "sha256:abcd",
        "abcd",
        "",
        "docker.io/library/alpine",
    ] {
        let _ = state.image(name);
    }
    for tag in state.tags.keys() {
        let _ = state.image(tag);
    }
}

/// The small fixed context the pipeline target builds in: the tutorial's
/// aspnetapp, a `.dockerignore`, a script, a tar archive (for ADD), a
/// symbolic link.
pub fn pipeline_context() -> Context {
    let mut ctx = Context::from_files([
        ("aspnetapp.sln", "Microsoft Visual Studio Solution File\n"),
        (
            "aspnetapp/aspnetapp.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n",
        ),
        ("aspnetapp/Program.cs", "var app = WebApplication.Create(args);\napp.Run();\n"),
        ("aspnetapp/appsettings.json", "{}\n"),
        ("aspnetapp/wwwroot/css/site.css", "body {}\n"),
        (".dockerignore", "**/bin\n**/obj\n*.md\n!README.md\n"),
        ("README.md", "# app\n"),
        ("NOTES.md", "ignored\n"),
        ("package.json", "{\"name\": \"app\", \"dependencies\": {\"express\": \"4\"}}\n"),
        ("requirements.txt", "flask==3.0\n"),
        ("go.mod", "module app\n"),
        ("main.go", "package main\nfunc main() {}\n"),
        ("src/index.js", "console.log('hi')\n"),
    ])
    .unwrap_or_default();
    let _ = ctx.insert_file("run.sh", b"#!/bin/sh\necho run\n".to_vec(), 0o755);
    let _ = ctx.insert_symlink("link", "src");
    let mut b = tar::Builder::new(Vec::new());
    let _ = append_raw(
        &mut b,
        tar::EntryType::Regular,
        b"inner/a.txt",
        b"",
        0o644,
        b"a\n",
    );
    let _ = ctx.insert_file("app.tar", b.into_inner().unwrap_or_default(), 0o644);
    ctx
}

/// Checks one build report against the Dockerfile text it came from:
/// lines, indexes, spans in range; durations finite; every step BuildKit
/// would run has a reason.
fn check_report(text: &str, r: &BuildReport) {
    let lines = line_count(text);
    for s in &r.steps {
        assert!(
            s.line >= 1 && s.line <= lines,
            "{}: line {} of {lines}",
            s.name,
            s.line
        );
        assert!(
            s.index >= 1 && s.index <= s.total,
            "{}: {}/{}",
            s.name,
            s.index,
            s.total
        );
        assert!(
            s.duration_s.is_finite() && s.duration_s >= 0.0,
            "{}: {}",
            s.name,
            s.duration_s
        );
        assert!(
            s.start_s.is_finite() && s.start_s >= 0.0,
            "{}: {}",
            s.name,
            s.start_s
        );
        if !s.cached && s.kind != StepKind::From && s.error.is_none() {
            assert!(s.reason.is_some(), "{} runs without a reason", s.name);
        }
    }
    assert!(r.duration_s.is_finite() && r.duration_s >= 0.0);
    if let Some(e) = &r.error {
        if let Some(l) = e.line {
            assert!(
                l >= 1 && l <= lines,
                "error line {l} of {lines}: {}",
                e.message
            );
        }
        if let Some(sp) = e.span {
            assert!(
                sp.start <= sp.end && sp.end <= text.len(),
                "error span {sp:?}"
            );
        }
    }
    for w in &r.warnings {
        assert!(w.line <= lines, "warning line {} of {lines}", w.line);
    }
    let _ = render_plain(r, Some(text));
    let _ = report_json(r);
}

/// The whole pipeline on arbitrary Dockerfile bytes (the first byte holds
/// the build options): parse, lint, build in [`pipeline_context`], rebuild
/// (everything but FROM is then CACHED), edit a source file and rebuild,
/// save and load the state. Checks [`check_report`] on every build, that
/// a build is deterministic, and that the state round-trips through JSON.
pub fn pipeline(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    check_lint(&text, &LintOptions::default());
    let mut opts = BuildOptions::default();
    if flags & 1 != 0 {
        opts.target = Some("build".into());
    }
    if flags & 2 != 0 {
        opts.build_args.insert("VERSION".into(), "1.0".into());
        opts.build_args
            .insert("HTTP_PROXY".into(), "http://proxy:3128".into());
    }
    if flags & 4 != 0 {
        opts.tags = vec!["aspnetapp".into(), "app:1.0".into()];
    }
    if flags & 8 != 0 {
        opts.platform = Some("linux/arm64".into());
    }
    if flags & 16 != 0 {
        opts.no_cache_filter = vec!["build".into()];
    }
    let mut ctx = pipeline_context();
    let mut state = State::new();
    let first = build(&text, &ctx, &opts, &mut state);
    check_report(&text, &first);
    let again = build(&text, &ctx, &opts, &mut State::new());
    assert!(again == first, "the same build on a fresh state differs");
    let second = build(&text, &ctx, &opts, &mut state);
    check_report(&text, &second);
    if first.error.is_none() && opts.no_cache_filter.is_empty() {
        for s in &second.steps {
            assert!(
                s.cached || s.kind == StepKind::From || s.error.is_some(),
                "{} re-runs on an unchanged rebuild: {:?}",
                s.name,
                s.reason
            );
        }
    }
    let _ = ctx.insert_file("aspnetapp/Program.cs", b"// edited\n".to_vec(), 0o644);
    let third = build(&text, &ctx, &opts, &mut state);
    check_report(&text, &third);
    let saved = serde_json::to_vec(&state);
    assert!(saved.is_ok(), "the state does not serialize: {saved:?}");
    if let Ok(saved) = saved {
        let loaded = serde_json::from_slice::<State>(&saved);
        assert!(
            loaded.is_ok_and(|l| l == state),
            "the state does not round-trip"
        );
    }
}
