//! Differential test against BuildKit's real Go parser, through the PyPI
//! package `dockerfile` (installed in `.venv` by `./x test`).
//!
//! A generator writes random but plausible Dockerfiles (continuations,
//! comments inside them, heredocs, JSON and broken JSON, flags,
//! directives, odd white space, CRLF, Unicode); both parsers read each, and
//! every field must agree: cmd, sub_cmd, json, original, start and end
//! lines, flags, values, heredocs, and the error message on rejection.
//!
//! The fixed seed makes CI reproducible. `LAYERLAB_DIFF_SEED` and
//! `LAYERLAB_DIFF_CASES` run another seed or more cases (see `./x diff`).
//!
//! The package wraps BuildKit v0.12.5 (2023). Where it and current BuildKit
//! (moby/buildkit 73ed6825, our conformance reference) differ, current
//! BuildKit wins. Each known difference is listed in [`KNOWN_DIFFERENCES`],
//! detected so that such cases are counted but not compared, and has a test
//! of its own below proving both sides of the difference.

use std::io::Write;
use std::process::{Command, Stdio};

use layerlab_syntax::{parse, Dockerfile};
use layerlab_tests::{root, Rng};
use serde_json::{json, Value};

/// Differences between BuildKit v0.12.5 (the PyPI package) and current
/// BuildKit, with the predicate that recognises a generated case hitting it.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "heredoc-space",
        "`<< EOF` (white space after <<) opens a heredoc only since BuildKit 0.21",
    ),
    (
        "check-directive",
        "`# check=` is a parser directive only since BuildKit 0.14",
    ),
    (
        "backtick-flags",
        "with `# escape=`\\`` flags honour the backtick since 0.13; 0.12 always used \\",
    ),
    (
        "json-trailing",
        "0.12 read exec form with json.Decoder, accepting text after the array",
    ),
    (
        "onbuild-heredoc",
        "the PyPI wrapper reads ONBUILD's heredocs from the inner node, which has none",
    ),
    (
        "nul",
        "the PyPI wrapper passes text as a C string, cut at NUL",
    ),
];

fn python() -> String {
    std::env::var("LAYERLAB_PYTHON")
        .unwrap_or_else(|_| root().join(".venv/bin/python").display().to_string())
}

/// Runs BuildKit's parser on every text.
fn buildkit_parse(texts: &[String]) -> Vec<Value> {
    let script = root().join("tests/differential/pypi_parse.py");
    let mut child = Command::new(python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (set up with ./x test, which installs the PyPI package \
                 `dockerfile` in .venv): {e}",
                python()
            )
        });
    let input = serde_json::to_vec(texts).expect("json");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("python output");
    writer
        .join()
        .expect("writer thread")
        .expect("write to python");
    assert!(out.status.success(), "pypi_parse.py failed");
    serde_json::from_slice(&out.stdout).expect("python JSON")
}

/// Our parse, in the same shape.
fn ours(text: &str) -> Value {
    match parse(text) {
        Ok(file) => json!({"instructions": instructions(&file)}),
        Err(e) => json!({"error": e.message}),
    }
}

fn instructions(file: &Dockerfile) -> Vec<Value> {
    file.instructions
        .iter()
        .map(|i| {
            json!({
                "cmd": i.keyword,
                "sub_cmd": i.sub.as_ref().map_or("", |s| s.keyword.as_str()),
                "json": i.is_json(),
                "original": i.original_with_heredocs(),
                "start_line": i.start_line,
                "end_line": i.end_line,
                "flags": i.flags.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(),
                "value": i.flat_values(),
                "heredocs": i.heredocs.iter().map(|h| json!({
                    "name": h.name,
                    "file_descriptor": h.file_descriptor,
                    "content": h.content,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Which known difference, if any, a case may hit.
fn known_difference(text: &str) -> Option<&'static str> {
    let nul_value = parse(text).is_ok_and(|f| {
        f.instructions
            .iter()
            .any(|i| i.flat_values().iter().any(|v| v.contains('\0')))
    });
    if text.contains('\0') || nul_value {
        return Some("nul");
    }
    let lower = text.to_ascii_lowercase();
    let check_directive = lower.lines().any(|l| {
        l.trim_start()
            .strip_prefix('#')
            .and_then(|r| r.trim_start().strip_prefix("check"))
            .is_some_and(|r| r.trim_start().starts_with('='))
    });
    if check_directive {
        return Some("check-directive");
    }
    let bytes = text.as_bytes();
    let heredoc_space = bytes
        .windows(3)
        .any(|w| w[0] == b'<' && w[1] == b'<' && matches!(w[2], b' ' | b'\t' | b'\r'))
        || bytes
            .windows(4)
            .any(|w| &w[..3] == b"<<-" && matches!(w[3], b' ' | b'\t' | b'\r'));
    if heredoc_space {
        return Some("heredoc-space");
    }
    if lower.contains("escape") && text.contains('`') && text.contains("--") {
        return Some("backtick-flags");
    }
    if lower.contains("onbuild") && text.contains("<<") {
        return Some("onbuild-heredoc");
    }
    if json_then_text(text) {
        return Some("json-trailing");
    }
    None
}

/// Whether some instruction's shell-form text starts with a JSON value
/// followed by more text, which BuildKit 0.12's `json.Decoder` read as the
/// exec form (or as an error when the array held something else).
fn json_then_text(text: &str) -> bool {
    let Ok(file) = parse(text) else {
        // Errors may come from such a line too: look at every line.
        let escape = escape_of(text);
        let mut joined = String::new();
        for line in text.split('\n') {
            let t = line.trim_end_matches([' ', '\t', '\r']);
            match t.strip_suffix(escape) {
                Some(t) => joined.push_str(t),
                None if line.trim_start().starts_with('#') || line.trim().is_empty() => {}
                None => {
                    joined.push_str(line);
                    joined.push('\n');
                }
            }
        }
        return joined.split('\n').any(|l| {
            l.find('[')
                .is_some_and(|at| starts_with_json_value(&l[at..]))
        });
    };
    file.instructions.iter().any(|i| {
        let node = i.sub.as_deref().unwrap_or(i);
        !node.json
            && node
                .original
                .find('[')
                .is_some_and(|at| starts_with_json_value(&node.original[at..]))
    })
}

/// The file's escape character: `` ` `` after an `# escape=`` directive
/// among the leading comment lines, else `\\` (only the real escape
/// continues a line).
fn escape_of(text: &str) -> char {
    for line in text.trim_start_matches('\u{feff}').split('\n') {
        let Some(rest) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("escape") && value.trim() == "`" {
            return '`';
        }
    }
    '\\'
}

fn starts_with_json_value(s: &str) -> bool {
    let t = s.trim_start();
    let t = t.split_once(char::is_whitespace).map_or(t, |_| t);
    let Some(i) = t.find('[') else {
        return false;
    };
    let mut it = serde_json::Deserializer::from_str(&t[i..]).into_iter::<Value>();
    matches!(it.next(), Some(Ok(Value::Array(_))))
}

/// Generates one random Dockerfile.
fn generate(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.one_in(20) {
        out.push('\u{feff}');
    }
    let backtick = rng.one_in(8);
    if rng.one_in(4) {
        out.push_str(rng.pick(&[
            "# syntax=docker/dockerfile:1\n",
            "#syntax = docker/dockerfile:1.7 \n",
            "# SYNTAX=foo\n",
            "  # syntax=x\n",
        ]));
    }
    if backtick {
        out.push_str(rng.pick(&["# escape=`\n", "#escape = `\n", "# ESCAPE=`\n"]));
    } else if rng.one_in(15) {
        out.push_str(rng.pick(&["# escape=\\\n", "# escape=x\n", "# escape=\n"]));
    }
    let esc = if backtick { '`' } else { '\\' };
    let n = 1 + rng.below(8);
    for _ in 0..n {
        if rng.one_in(10) {
            out.push_str(rng.pick(&["\n", "# a comment\n", "   \n", "  # indented\n", "#\n"]));
        }
        let line = instruction(rng, esc);
        out.push_str(&line);
    }
    if rng.one_in(6) {
        out = out.replace('\n', "\r\n");
    } else if rng.one_in(10) {
        // CRLF on some lines only.
        let lines: Vec<&str> = out.split('\n').collect();
        let mut s = String::new();
        for (i, l) in lines.iter().enumerate() {
            s.push_str(l);
            if i + 1 < lines.len() {
                s.push_str(if rng.one_in(2) { "\r\n" } else { "\n" });
            }
        }
        out = s;
    }
    if rng.one_in(8) {
        // No final newline.
        while out.ends_with('\n') || out.ends_with('\r') {
            out.pop();
        }
    }
    if rng.one_in(10) {
        out.push_str(rng.pick(&[" \\", "\\\n", "  ", "\n\n"]));
    }
    out
}

fn keyword(rng: &mut Rng, kw: &str) -> String {
    match rng.below(6) {
        0 => kw.to_lowercase(),
        1 => {
            let mut s = String::new();
            for (i, c) in kw.chars().enumerate() {
                s.push(if i % 2 == 1 {
                    c.to_ascii_lowercase()
                } else {
                    c
                });
            }
            s
        }
        _ => kw.to_string(),
    }
}

const WORDS: &[&str] = &[
    "echo",
    "hello",
    "$HOME",
    "${VAR:-x}",
    "\"quoted words\"",
    "'single q'",
    "a=b",
    "é",
    "한국어",
    "😀",
    "&&",
    "||",
    "/app",
    "./src/",
    "*.csproj",
    "--no-cache",
    "-x",
    "\"a\\\"b\"",
    "x\\ y",
    "[",
    "]",
    "\"",
    "'",
    "=",
    "a\u{a0}b",
    "\t",
    "{}",
    ",",
];

fn shell_words(rng: &mut Rng, esc: char) -> String {
    let n = rng.below(6);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str(rng.pick(&[" ", " ", "  ", "\t"]));
        }
        let w = rng.pick(WORDS).replace('\\', &esc.to_string());
        s.push_str(&w);
    }
    s
}

fn json_array(rng: &mut Rng) -> String {
    let valid = [
        r#"["echo", "hello"]"#,
        r#"[ "a" , "b c" ]"#,
        r#"[]"#,
        r#"["\u00e9", "\n", "\"q\""]"#,
        r#"["dotnet","aspnetapp.dll"]"#,
        r#"["sh", "-c", "echo $HOME"]"#,
    ];
    let broken = [
        r#"["echo", 'hello']"#,
        r#"["a",]"#,
        r#"["unterminated]"#,
        r#"["a" "b"]"#,
        r#"[echo]"#,
        r#"["a", ["nested"]]"#,
        r#"["a", 1]"#,
        r#"[null]"#,
        r#"["a", {"k": "v"}]"#,
        r#"[ "a""#,
    ];
    if rng.one_in(3) {
        rng.pick(&broken).to_string()
    } else {
        rng.pick(&valid).to_string()
    }
}

fn flags(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(3) {
        s.push_str(rng.pick(&[
            "--from=build ",
            "--chown=1000:1000 ",
            "--chmod=755 ",
            "--link ",
            "--mount=type=cache,target=/root/.cache ",
            "--network=none ",
            "--chown=\"a b\" ",
            "--platform=$BUILDPLATFORM ",
            "-- ",
            "--x=é ",
            "--empty= ",
        ]));
    }
    s
}

fn args_for(rng: &mut Rng, kw: &str, esc: char) -> String {
    match kw {
        "FROM" => rng
            .pick(&[
                "alpine:3.19",
                "mcr.microsoft.com/dotnet/sdk:8.0 AS build",
                "scratch",
                "build as final",
                "$BASE",
                "",
                "--platform=linux/amd64 node:20",
            ])
            .to_string(),
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" => {
            if rng.one_in(3) {
                json_array(rng)
            } else {
                shell_words(rng, esc)
            }
        }
        "COPY" | "ADD" | "VOLUME" => {
            if rng.one_in(4) {
                json_array(rng)
            } else {
                format!("{}{}", flags(rng), shell_words(rng, esc))
            }
        }
        "ENV" | "LABEL" => rng
            .pick(&[
                "A=1",
                "A=1 B=2",
                "name value with spaces",
                "A=\"quoted value\" B='x y'",
                "A=a\\ b",
                "A",
                "",
                "A=",
                "=x",
                "A=1 B",
                "\"k\"=v",
                "A=\"unterminated",
                "KEY\u{a0}value",
            ])
            .replace('\\', &esc.to_string()),
        "ARG" => rng
            .pick(&["VERSION", "VERSION=1.0", "A B=2", "\"q\"", "", "A=\"x y\""])
            .to_string(),
        "HEALTHCHECK" => rng
            .pick(&[
                "NONE",
                "CMD curl -f http://localhost/",
                "--interval=5s CMD [\"curl\", \"x\"]",
                "CMD",
                "",
                "CMD [\"a\", 1]",
            ])
            .to_string(),
        "ONBUILD" => {
            let inner = rng.pick(&[
                "RUN echo hi",
                "COPY . /app",
                "run [\"a\"]",
                "",
                "ONBUILD RUN x",
            ]);
            inner.to_string()
        }
        "EXPOSE" => rng.pick(&["80", "80/tcp 443", "8080/UDP", ""]).to_string(),
        _ => shell_words(rng, esc),
    }
}

fn instruction(rng: &mut Rng, esc: char) -> String {
    const KWS: &[&str] = &[
        "FROM",
        "RUN",
        "CMD",
        "ENTRYPOINT",
        "SHELL",
        "COPY",
        "ADD",
        "VOLUME",
        "ENV",
        "LABEL",
        "ARG",
        "HEALTHCHECK",
        "ONBUILD",
        "EXPOSE",
        "WORKDIR",
        "USER",
        "STOPSIGNAL",
        "MAINTAINER",
        "FOO",
    ];
    let kw = rng.pick(KWS);
    let mut line = String::new();
    if rng.one_in(6) {
        line.push_str(rng.pick(&["  ", "\t", " \u{a0}"]));
    }
    line.push_str(&keyword(rng, kw));
    let args = args_for(rng, kw, esc);
    if !args.is_empty() || rng.one_in(2) {
        line.push_str(rng.pick(&[" ", " ", "  ", "\t"]));
    }
    line.push_str(&args);
    // Heredocs on RUN/COPY/ADD.
    let mut bodies = Vec::new();
    if matches!(kw, "RUN" | "COPY" | "ADD") && rng.one_in(3) {
        for _ in 0..1 + rng.below(2) {
            let (open, name, chomp) = rng.pick(&[
                ("<<EOF", "EOF", false),
                ("<<-EOT", "EOT", true),
                ("<<\"END\"", "END", false),
                ("<<'X'", "X", false),
                ("3<<EOF", "EOF", false),
                ("<<E\"O\"F", "EOF", false),
            ]);
            line.push(' ');
            line.push_str(open);
            let mut body = String::new();
            for _ in 0..rng.below(3) {
                body.push_str(rng.pick(&[
                    "echo hi\n",
                    "\tindented\n",
                    "$HOME\n",
                    "\n",
                    "  x \\\n",
                ]));
            }
            if rng.one_in(15) {
                // Never terminated: an error.
                bodies.push(body);
                continue;
            }
            body.push_str(if chomp && rng.one_in(2) { "\t\t" } else { "" });
            body.push_str(name);
            body.push('\n');
            bodies.push(body);
        }
    }
    // Split into continuation lines.
    let mut text = String::new();
    let parts: Vec<&str> = line.split(' ').collect();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if rng.one_in(5) {
                text.push(' ');
                text.push(esc);
                text.push_str(rng.pick(&["", " ", "\t"]));
                text.push('\n');
                if rng.one_in(4) {
                    text.push_str(rng.pick(&[
                        "# inside\n",
                        "  # indented comment\n",
                        "\n",
                        "   \n",
                    ]));
                }
                text.push_str(rng.pick(&["", "  ", "\t"]));
            } else {
                text.push(' ');
            }
        }
        text.push_str(p);
    }
    if rng.one_in(10) {
        text.push_str(rng.pick(&["   ", "\t", " ", " \\"]));
    }
    text.push('\n');
    for b in bodies {
        text.push_str(&b);
    }
    text
}

fn compare(
    texts: &[String],
) -> (
    usize,
    usize,
    Vec<String>,
    std::collections::BTreeMap<&'static str, usize>,
) {
    let theirs = buildkit_parse(texts);
    let mut compared = 0;
    let mut skipped = 0;
    let mut failures = Vec::new();
    let mut by_difference = std::collections::BTreeMap::new();
    for (text, theirs) in texts.iter().zip(theirs) {
        if let Some(d) = known_difference(text) {
            skipped += 1;
            *by_difference.entry(d).or_insert(0) += 1;
            continue;
        }
        compared += 1;
        let ours = ours(text);
        if ours != theirs {
            failures.push(format!(
                "input {:?}\n  buildkit: {}\n  ours:     {}",
                text, theirs, ours
            ));
        }
    }
    (compared, skipped, failures, by_difference)
}

#[test]
fn generated_dockerfiles_parse_as_buildkit() {
    let seed: u64 = std::env::var("LAYERLAB_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_123);
    let cases: usize = std::env::var("LAYERLAB_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng::new(seed);
    let texts: Vec<String> = (0..cases).map(|_| generate(&mut rng)).collect();
    let (compared, skipped, failures, diffs) = compare(&texts);
    println!(
        "differential (seed {seed}): {} generated, {compared} compared, {skipped} hit a known \
         difference {diffs:?}, {} disagreements",
        texts.len(),
        failures.len()
    );
    let shown: Vec<&String> = failures.iter().take(15).collect();
    assert!(
        failures.is_empty(),
        "{} of {compared} cases disagree with BuildKit (seed {seed}); first ones:\n{}",
        failures.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(compared > cases / 2, "too few cases compared: {compared}");
}

#[test]
fn conformance_files_parse_as_buildkit() {
    // BuildKit's own test Dockerfiles, through both parsers.
    let dir = layerlab_tests::conformance().join("buildkit/parser");
    let mut texts = Vec::new();
    for sub in ["testfiles", "testfiles-negative"] {
        let entries = layerlab_tests::sorted_entries(&dir.join(sub));
        assert!(!entries.is_empty(), "no conformance files in {sub}");
        for e in entries {
            texts.push(std::fs::read_to_string(e.join("Dockerfile")).expect("Dockerfile"));
        }
    }
    let (compared, skipped, failures, _) = compare(&texts);
    println!("differential on conformance files: {compared} compared, {skipped} skipped");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs one text through both parsers.
fn both(text: &str) -> (Value, Value) {
    let theirs = buildkit_parse(&[text.to_string()]).remove(0);
    (ours(text), theirs)
}

#[test]
fn known_difference_heredoc_with_space() {
    let text = "FROM a\nRUN << EOF\nhi\nEOF\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"][1]["heredocs"][0]["name"], "EOF");
    assert_eq!(ours["instructions"][1]["end_line"], 4);
    assert_eq!(old["instructions"][1]["heredocs"], json!([]));
}

#[test]
fn known_difference_check_directive() {
    // In 0.12 `# check=` ended the directives, so the escape below was a
    // plain comment and the backslash continued the line.
    let text = "# check=skip=all\n# escape=`\nFROM a \\\nRUN x\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"].as_array().map(Vec::len), Some(2));
    assert_eq!(old["instructions"].as_array().map(Vec::len), Some(1));
}

#[test]
fn known_difference_backtick_flags() {
    let text = "# escape=`\nFROM a\nCOPY --chown=a`b x y\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"][1]["flags"], json!(["--chown=ab"]));
    assert_eq!(old["instructions"][1]["flags"], json!(["--chown=a`b"]));
}

#[test]
fn known_difference_json_with_trailing_text() {
    let text = "FROM a\nCMD [\"a\"] b\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"][1]["json"], false);
    assert_eq!(ours["instructions"][1]["value"], json!(["[\"a\"] b"]));
    assert_eq!(old["instructions"][1]["json"], true);
}

#[test]
fn known_difference_onbuild_heredoc() {
    let text = "FROM a\nONBUILD RUN <<EOF\nhi\nEOF\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"][1]["heredocs"][0]["content"], "hi\n");
    assert_eq!(old["instructions"][1]["heredocs"], json!([]));
    assert_eq!(
        ours["instructions"][1]["end_line"],
        old["instructions"][1]["end_line"]
    );
}

#[test]
fn known_difference_nul_byte() {
    let text = "FROM a\u{0}b\nRUN c\n";
    let (ours, old) = both(text);
    assert_eq!(ours["instructions"].as_array().map(Vec::len), Some(2));
    assert_eq!(old["instructions"].as_array().map(Vec::len), Some(1));
}

#[test]
fn every_known_difference_has_a_detector() {
    let samples = [
        ("heredoc-space", "RUN << EOF\n"),
        ("check-directive", "# check=skip=all\n"),
        ("backtick-flags", "# escape=`\nCOPY --a=b x\n"),
        ("json-trailing", "CMD [\"a\"] b\n"),
        ("onbuild-heredoc", "ONBUILD RUN <<EOF\n"),
        ("nul", "\0"),
    ];
    for (name, text) in samples {
        assert_eq!(known_difference(text), Some(name), "{text:?}");
        assert!(KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name));
    }
    assert_eq!(samples.len(), KNOWN_DIFFERENCES.len());
}
