//! `layerlab lint` end to end: the built binary on files and stdin, its
//! text and JSON output and its exit status.

mod common;

use common::{layerlab, temp_file, text};

const SEVERAL: &str =
    "from alpine:3.20 as Build\nMAINTAINER x\nENV A 1\nWORKDIR rel\nCMD echo hi\nEXPOSE 80/TCP\n";

#[test]
fn text_output_is_compiler_style_and_exits_zero_on_warnings() {
    let path = temp_file("Dockerfile.several", SEVERAL);
    let out = layerlab(&["lint", &path], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let expected = format!(
        "{p}:1:1: ConsistentInstructionCasing: Command 'from' should match the case of the command majority (uppercase)\n\
         {p}:1:21: StageNameCasing: Stage name 'Build' should be lowercase\n\
         {p}:2:1: MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label\n\
         {p}:3:5: LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format\n\
         {p}:4:9: WorkdirRelativePath: Relative workdir \"rel\" can have unexpected results if the base image changes\n\
         {p}:5:1: JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals\n\
         {p}:6:8: ExposeProtoCasing: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase\n\
         {p}: 7 warnings\n",
        p = path
    );
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn clean_file_from_stdin() {
    let out = layerlab(
        &["lint", "-"],
        "FROM alpine:3.20\nRUN echo hi\nCMD [\"sh\"]\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "<stdin>: 0 warnings\n");
}

#[test]
fn check_error_true_fails() {
    let out = layerlab(
        &["lint", "-"],
        "# check=error=true\nFROM alpine:3.20 as build\nCMD echo hi\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.ends_with(
            "<stdin>: error: lint violation found for rules: FromAsCasing, JSONArgsRecommended\n\
             <stdin>: 2 warnings, 1 error\n"
        ),
        "{stdout}"
    );
}

#[test]
fn errors_carry_a_position_and_fail() {
    let out = layerlab(&["lint", "-"], "FROM alpine\nBADCMD x\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "<stdin>:2:1: error: dockerfile parse error on line 2: unknown instruction: BADCMD\n\
         <stdin>: 0 warnings, 1 error\n"
    );
}

#[test]
fn json_output_has_warnings_and_error() {
    let out = layerlab(&["lint", "--format", "json", "-"], "ARG IMG\nFROM ${IMG}\n");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["file"], "<stdin>");
    let w = &v["warnings"][0];
    assert_eq!(w["rule"], "InvalidDefaultArgInFrom");
    assert_eq!(
        w["message"],
        "Default value for ARG ${IMG} results in empty or invalid base image name"
    );
    assert_eq!(w["line"], 2);
    assert_eq!(w["end_line"], 2);
    assert_eq!(w["span"]["column"], 6);
    assert_eq!(w["span"]["start"], 13);
    assert_eq!(w["span"]["end"], 19);
    assert!(w["how_to_fix"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(
        w["url"],
        "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/"
    );
    assert_eq!(
        v["error"]["message"],
        "base name (${IMG}) should not be blank"
    );
    assert_eq!(v["error"]["line"], 2);

    let out = layerlab(&["lint", "--format", "json", "-"], "FROM alpine\n");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert!(v["error"].is_null());
}

#[test]
fn dockerignore_and_build_args_are_used() {
    let ignore = temp_file("dockerignore", "secrets/\n");
    let out = layerlab(
        &["lint", "--dockerignore", &ignore, "-"],
        "FROM alpine\nCOPY secrets/key.pem /k\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "<stdin>:2:6: CopyIgnoredFile: Attempting to Copy file \"secrets/key.pem\" that is excluded by .dockerignore\n\
         <stdin>: 1 warning\n"
    );
    // With the build argument the image name is valid: only the warning.
    let out = layerlab(
        &["lint", "--build-arg", "TAG=3.20", "-"],
        "ARG TAG\nFROM alpine:${TAG}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn unreadable_input_is_exit_two() {
    let out = layerlab(&["lint", "/nonexistent/Dockerfile"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/Dockerfile"));
}
