//! BuildKit's own word-expansion test data (`frontend/dockerfile/shell/
//! envVarTest` and `wordsTest` at commit 73ed6825), read from the shared
//! conformance folder and run the way BuildKit's `lex_test.go` runs them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use layerlab_syntax::words::{Env, Lexer};

const SHELL_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/buildkit/shell"
);

fn read(name: &str) -> String {
    let path = format!("{SHELL_DIR}/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Prints the counts and every failure, then fails if there was any.
fn report(name: &str, run: usize, failures: &[String]) {
    let passed = run - failures.len();
    println!("{name}: {run} run, {passed} passed");
    for failure in failures {
        println!("  FAIL {failure}");
    }
    assert!(run > 0, "{name}: no case ran");
    assert!(
        failures.is_empty(),
        "{name}: {} of {run} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `TestShellParser4EnvVars`: `PLATFORM|INPUT|EXPECTED`, `ProcessWord`.
#[test]
fn env_var_test() {
    let env = Env::from_slice(&["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
    let lexer = Lexer::new('\\');
    let (mut run, mut windows_only) = (0, 0);
    let mut failures = Vec::new();
    for (index, line) in read("envVarTest").lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') {
            continue;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(
            fields.len(),
            3,
            "line {line_no}: not PLATFORM|INPUT|EXPECTED"
        );
        let (platform, input, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
        match platform {
            "A" | "U" => {}
            "W" => {
                windows_only += 1;
                continue;
            }
            other => panic!("line {line_no}: invalid platform {other:?}, must be W, A or U"),
        }
        run += 1;
        let got = lexer.process_word(input, &env);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(word), expected) => expected != "error" && word == expected,
            (Err(_), _) => false,
        };
        if !ok {
            failures.push(format!(
                "line {line_no}: input {input:?}, expected {expected:?}, got {got:?}"
            ));
        }
    }
    println!("envVarTest: {windows_only} Windows-only cases skipped");
    report("envVarTest", run, &failures);
}

/// `TestShellParser4Words`: `ENV name=value` lines and `INPUT|W1,W2,...`,
/// `ProcessWords`.
#[test]
fn words_test() {
    let lexer = Lexer::new('\\');
    let mut env_lines: Vec<String> = Vec::new();
    let mut run = 0;
    let mut failures = Vec::new();
    for (index, line) in read("wordsTest").lines().enumerate() {
        let line_no = index + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            env_lines.push(rest.trim_start_matches(' ').to_owned());
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(
            fields.len(),
            2,
            "line {line_no}: should be exactly one | in {line:?}"
        );
        let input = fields[0].trim();
        let expected: Vec<&str> = fields[1].trim_start_matches(' ').split(',').collect();
        run += 1;
        let env = Env::from_slice(&env_lines);
        let got = lexer.process_words(input, &env);
        let got_words: Vec<String> = match &got {
            Ok(words) => words.clone(),
            Err(_) => vec!["error".to_owned()],
        };
        if got_words != expected {
            failures.push(format!(
                "line {line_no}: input {input:?}, expected {expected:?}, got {got:?}"
            ));
        }
    }
    report("wordsTest", run, &failures);
}
