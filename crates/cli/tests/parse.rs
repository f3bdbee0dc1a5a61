//! `layerlab parse` end to end: the built binary on files and stdin.

mod common;

use common::{layerlab, temp_file, text};

#[test]
fn dump_format_from_stdin() {
    let out = layerlab(
        &["parse", "-"],
        "FROM alpine AS build\nCOPY --from=x a b\nENV A B \"2\"\nONBUILD RUN echo hi\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "(from \"alpine\" \"AS\" \"build\")\n\
         (copy [\"--from=x\"] \"a\" \"b\")\n\
         (env \"A\" \"B \\\"2\\\"\" \"\")\n\
         (onbuild (run \"echo hi\"))\n"
    );
}

#[test]
fn json_format_has_every_field() {
    let out = layerlab(
        &["parse", "--format", "json", "-"],
        "FROM a\nRUN <<EOF\nhi\nEOF\nENV k=v\n",
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let run = &v["instructions"][1];
    assert_eq!(run["cmd"], "RUN");
    assert_eq!(run["sub_cmd"], "");
    assert_eq!(run["json"], false);
    assert_eq!(run["original"], "RUN <<EOF\nhi\nEOF\n");
    assert_eq!(run["start_line"], 2);
    assert_eq!(run["end_line"], 4);
    assert_eq!(run["value"], serde_json::json!(["<<EOF"]));
    assert_eq!(run["heredocs"][0]["name"], "EOF");
    assert_eq!(run["heredocs"][0]["content"], "hi\n");
    assert_eq!(run["span"]["start"]["line"], 2);
    assert_eq!(run["span"]["start"]["column"], 1);
    assert_eq!(run["span"]["end"]["line"], 4);
    assert_eq!(v["instructions"][2]["value"], serde_json::json!(["k", "v"]));
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn rejected_file_reports_position() {
    let path = temp_file("bad.Dockerfile", "FROM a\n\nENV PATH\n");
    let out = layerlab(&["parse", &path], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("error: {path}:3:5: ENV must have two arguments\n")
    );
    let out = layerlab(&["parse", "--format", "json", &path], "");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v,
        serde_json::json!({"error": {"message": "ENV must have two arguments", "line": 3, "column": 5}})
    );
}

#[test]
fn check_mode_prints_only_failures() {
    let good = temp_file("good.Dockerfile", "FROM a\nRUN x\n");
    let bad = temp_file("nested.Dockerfile", "FROM a\nCMD [\"a\", [\"b\"]]\n");
    let empty = temp_file("empty.Dockerfile", "# only a comment\n");
    let out = layerlab(&["parse", "--check", &good, &bad, &empty], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{bad}:2:5: when using JSON array syntax, arrays must be comprised of strings only\n\
             {empty}:1:1: file with no instructions\n"
        )
    );
    let out = layerlab(&["parse", "--check", &good, &good], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn warnings_are_reported_in_json() {
    let out = layerlab(
        &["parse", "--format", "json", "-"],
        "FROM a\nRUN echo \\\n\n  hi\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["warnings"][0]["line"], 4);
    assert_eq!(v["warnings"][0]["span"]["start"]["line"], 3);
    assert_eq!(
        v["warnings"][0]["short"],
        "Empty continuation line found in: RUN echo   hi"
    );
}

#[test]
fn invalid_utf8_is_read_not_rejected() {
    let path = std::env::temp_dir().join(format!("layerlab-bin-{}", std::process::id()));
    std::fs::write(&path, b"FROM a\nRUN echo \xff\n").expect("write");
    let out = layerlab(&["parse", &path.display().to_string()], "");
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "(from \"a\")\n(run \"echo \u{fffd}\")\n");
}
