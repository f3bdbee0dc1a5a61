//! Replays every Dockerfile BuildKit's linter was recorded on
//! (`../shared/conformance/buildkit-recorded/lint/`) through our linter and
//! compares rule, message, line range and order of every warning, and the
//! error, with what BuildKit reported. Files are discovered at run time:
//! recordings added to the folder are picked up without a list to update.
//!
//! The recordings ran with no base images (every FROM got an empty image
//! config) and no `.dockerignore`, which is what `LintOptions::default()`
//! models.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use layerlab_engine::lint::{lint_source, LintOptions, LintReport};
use serde::Deserialize;

/// Recordings we knowingly do not match yet, with the reason. Each must
/// still fail (so the list shrinks when one gets fixed).
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct Warning {
    rule: String,
    message: String,
    line: usize,
    end_line: usize,
}

#[derive(Debug, Deserialize)]
struct Expected {
    warnings: Vec<Warning>,
    error: Option<String>,
}

fn lint_dir() -> PathBuf {
    layerlab_tests::conformance().join("buildkit-recorded/lint")
}

fn show_warnings(ws: &[Warning]) -> String {
    if ws.is_empty() {
        return "    (none)\n".to_string();
    }
    ws.iter().fold(String::new(), |mut s, w| {
        let _ = writeln!(
            s,
            "    {}:{}-{} {}: {}",
            w.rule, w.line, w.end_line, w.rule, w.message
        );
        s
    })
}

fn as_expected(report: &LintReport) -> (Vec<Warning>, Option<String>) {
    let ws = report
        .warnings
        .iter()
        .map(|d| Warning {
            rule: d.rule.to_string(),
            message: d.message.clone(),
            line: d.line,
            end_line: d.end_line,
        })
        .collect();
    (ws, report.error.as_ref().map(|e| e.message.clone()))
}

/// Compares one file; `Err` holds a readable explanation.
fn check(name: &str, text: &str, expected: &Expected) -> Result<usize, String> {
    let report = lint_source(text, &LintOptions::default());
    let (got, got_err) = as_expected(&report);
    if got == expected.warnings && got_err == expected.error {
        return Ok(got.len());
    }
    let mut msg = format!("{name}\n  Dockerfile:\n");
    for (i, line) in text.lines().enumerate() {
        let _ = writeln!(msg, "    {:>3} | {line}", i + 1);
    }
    let _ = write!(
        msg,
        "  BuildKit warnings:\n{}  our warnings:\n{}",
        show_warnings(&expected.warnings),
        show_warnings(&got)
    );
    if got_err != expected.error {
        let _ = write!(
            msg,
            "  BuildKit error: {:?}\n  our error:      {:?}\n",
            expected.error, got_err
        );
    }
    Err(msg)
}

#[test]
fn lint_matches_recorded_buildkit() {
    let dir = lint_dir();
    let expected_text = std::fs::read_to_string(dir.join("expected.json"))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join("expected.json").display()));
    let expected: BTreeMap<String, Expected> =
        serde_json::from_str(&expected_text).unwrap_or_else(|e| panic!("bad expected.json: {e}"));

    let files = layerlab_tests::files_with_extension(&dir, "Dockerfile");
    assert!(
        !files.is_empty(),
        "no recorded Dockerfiles in {}",
        dir.display()
    );

    let (mut run, mut passed, mut warnings) = (0, 0, 0);
    let mut failures = Vec::new();
    let mut gaps_fixed = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(exp) = expected.get(&name) else {
            failures.push(format!("{name}: no entry in expected.json"));
            continue;
        };
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let text = String::from_utf8_lossy(&bytes);
        run += 1;
        warnings += exp.warnings.len();
        let gap = KNOWN_GAPS.iter().find(|(n, _)| *n == name);
        match (check(&name, &text, exp), gap) {
            (Ok(_), None) => passed += 1,
            (Ok(_), Some(_)) => gaps_fixed.push(name),
            (Err(_), Some(_)) => {}
            (Err(e), None) => failures.push(e),
        }
    }
    println!(
        "lint files: {run} run, {passed} passed; warnings: {warnings}; known gaps: {}",
        KNOWN_GAPS.len()
    );
    assert!(
        gaps_fixed.is_empty(),
        "these known gaps now match BuildKit, remove them from KNOWN_GAPS: {gaps_fixed:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {run} recorded lint files differ from BuildKit:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
