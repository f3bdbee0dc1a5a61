//! Every input a fuzz target ever crashed on, replayed through the same
//! function the target calls (`fuzz/src/lib.rs`, included here), so a
//! fixed crash stays fixed without a nightly toolchain.
//!
//! Inputs are data: `tests/fuzz-regressions/TARGET/NAME`, raw bytes, read
//! at run time (a new file is picked up without a list to update). Each
//! must run without a panic, within [`BUDGET`] (libFuzzer reports a run
//! over 10 s as a crash: a hang). Inputs that still panic because the fix
//! belongs to a module not fixed yet are listed in [`KNOWN_PANICS`]; each
//! of those must still panic, so the list shrinks when one is fixed.
//! Inputs that still hang are listed in [`KNOWN_HANGS`] and not run (a
//! hang would stall the suite); remove an entry once its module is fixed.

use std::panic;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[allow(dead_code, missing_docs, clippy::unwrap_used)]
#[path = "../../fuzz/src/lib.rs"]
mod harness;

/// `(target, input name, the module that panics)` for crashes whose fix
/// is still to come.
const KNOWN_PANICS: &[(&str, &str, &str)] = &[];

/// `(target, input name, the module that hangs)` for inputs that still
/// run for minutes; they are not run.
const KNOWN_HANGS: &[(&str, &str, &str)] = &[];

/// Longest time one input may take (a debug build; libFuzzer's limit on
/// an optimized build is 10 s).
const BUDGET: Duration = Duration::from_secs(20);

/// The function a target's fuzz binary calls.
fn target_fn(target: &str) -> Option<fn(&[u8])> {
    Some(match target {
        "parse" => harness::parse,
        "words" => harness::words,
        "dockerignore" => harness::dockerignore,
        "context" => harness::context,
        "run_args" => harness::run_args,
        "lint" => harness::lint,
        "state" => harness::state,
        "pipeline" => harness::pipeline,
        _ => return None,
    })
}

fn dir() -> PathBuf {
    layerlab_tests::root().join("tests/fuzz-regressions")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_saved_crash_input_runs_without_a_panic() {
    let mut ran = 0;
    let mut failures = Vec::new();
    let mut still_known = Vec::new();
    for target_dir in inputs(&dir()).into_iter().filter(|p| p.is_dir()) {
        let target = target_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(run) = target_fn(&target) else {
            failures.push(format!(
                "{target}: no such fuzz target (see fuzz/src/lib.rs)"
            ));
            continue;
        };
        for input in inputs(&target_dir).into_iter().filter(|p| p.is_file()) {
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') || name.ends_with(".md") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&input) else {
                failures.push(format!("{target}/{name}: unreadable"));
                continue;
            };
            if let Some((_, _, module)) = KNOWN_HANGS
                .iter()
                .find(|(t, n, _)| *t == target && *n == name)
            {
                still_known.push(format!("{target}/{name} (hangs, not run: {module})"));
                continue;
            }
            ran += 1;
            let known = KNOWN_PANICS
                .iter()
                .find(|(t, n, _)| *t == target && *n == name);
            let start = Instant::now();
            let outcome = panic::catch_unwind(|| run(&bytes));
            let took = start.elapsed();
            if took > BUDGET {
                failures.push(format!("{target}/{name}: took {took:?} (a hang?)"));
            }
            match (outcome.is_ok(), known) {
                (true, None) => {}
                (false, None) => failures.push(format!("{target}/{name}: panics")),
                (true, Some(_)) => failures.push(format!(
                    "{target}/{name}: fixed, remove it from KNOWN_PANICS"
                )),
                (false, Some((_, _, module))) => {
                    still_known.push(format!("{target}/{name} ({module})"))
                }
            }
        }
    }
    println!(
        "fuzz regressions: {ran} inputs replayed, {} known crashes left: {still_known:?}",
        still_known.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every fuzz target has a function here, and the generated-archive format
/// the context target uses gives archives the context import reads.
#[test]
fn the_harness_covers_every_target_and_builds_valid_archives() {
    let targets =
        std::fs::read_to_string(layerlab_tests::root().join("fuzz/Cargo.toml")).unwrap_or_default();
    let names: Vec<&str> = targets
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "layerlab-fuzz" && *n != "layerlab_fuzz")
        .collect();
    assert!(names.len() >= 7, "{names:?}");
    for n in &names {
        assert!(
            target_fn(n).is_some(),
            "fuzz target {n} has no function in the test"
        );
    }
    // kind 0 (file) "a.txt" -> "hi"; kind 3 (symlink) "l" -> "a.txt".
    let input = [
        0, 5, b'a', b'.', b't', b'x', b't', 0, 0x1a, 2, b'h', b'i', 3, 1, b'l', 5, b'a', b'.',
        b't', b'x', b't', 0, 0,
    ];
    let tar = harness::tar_from_bytes(&input);
    let ctx = layerlab_engine::context::Context::from_archive(&tar);
    let ctx = ctx.unwrap_or_default();
    assert_eq!(ctx.read("a.txt"), Some(&b"hi"[..]));
    assert!(ctx.get("l").is_some());
    harness::check_context(&ctx);
    assert_eq!(harness::pax_record("path", "x"), "9 path=x\n");
    assert_eq!(harness::pax_record("path", "abcd"), "13 path=abcd\n");
}
