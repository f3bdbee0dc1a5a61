//! Replays every recorded BuildKit cache scenario
//! (`../shared/conformance/buildkit-recorded/cache/*.json`, discovered at run
//! time) through the same code path as `layerlab docker build`: the
//! recorded `docker build` arguments are parsed by
//! `layerlab_engine::docker::build::BuildCommand`, the build runs with
//! `layerlab_engine::docker::build::run` on a state that persists across
//! the scenario's builds, and every step is compared with what BuildKit
//! showed: vertex name, stage, index, total, instruction and CACHED flag.
//!
//! FROM rows are compared by image reference, not digest: the recordings'
//! digests are those of the stand-in images (see the recordings' README).
//!
//! A scenario that cannot match must be listed in [`KNOWN_GAPS`] with the
//! reason; the test checks that each listed scenario still fails, so fixing
//! one forces removing it from the list.

use std::collections::BTreeMap;
use std::path::Path;

use layerlab_engine::context::Context;
use layerlab_engine::docker::build::{run, BuildCommand};
use layerlab_engine::state::State;
use layerlab_tests::conformance;
use serde_json::Value;

/// Scenarios known not to match, with why. Empty: every recording matches.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// A recorded file: plain content (mode 0644) or `{content, mode}`.
fn file_entry(v: &Value) -> Option<(Vec<u8>, u32)> {
    match v {
        Value::String(s) => Some((s.as_bytes().to_vec(), 0o644)),
        Value::Object(o) => {
            let content = o.get("content")?.as_str()?.as_bytes().to_vec();
            let mode = o
                .get("mode")
                .and_then(Value::as_str)
                .and_then(|m| u32::from_str_radix(m, 8).ok())
                .unwrap_or(0o644);
            Some((content, mode))
        }
        _ => None,
    }
}

/// `FROM docker.io/library/alpine:3.20@sha256:...` -> without the digest.
fn comparable(name: &str) -> String {
    match name
        .find("] FROM ")
        .or_else(|| name.starts_with("FROM ").then_some(0))
    {
        Some(_) => match name.find("@sha256:") {
            Some(i) => name[..i].to_string(),
            None => name.to_string(),
        },
        None => name.to_string(),
    }
}

#[derive(Debug)]
struct Row {
    name: String,
    stage: Option<String>,
    index: u64,
    total: u64,
    instruction: String,
    cached: bool,
}

impl Row {
    fn same(&self, other: &Row) -> bool {
        comparable(&self.name) == comparable(&other.name)
            && self.stage == other.stage
            && self.index == other.index
            && self.total == other.total
            && comparable(&self.instruction) == comparable(&other.instruction)
            && self.cached == other.cached
    }

    fn show(&self) -> String {
        format!(
            "{} {} (stage {:?}, {}/{})",
            if self.cached { "CACHED" } else { "ran   " },
            comparable(&self.name),
            self.stage,
            self.index,
            self.total
        )
    }
}

struct Outcome {
    builds: usize,
    steps: usize,
    failures: Vec<String>,
}

fn replay(path: &Path) -> Outcome {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let scenario: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut failures = Vec::new();
    let mut ctx = Context::new();
    if let Some(files) = scenario.get("files").and_then(Value::as_object) {
        for (p, v) in files {
            if let Some((content, mode)) = file_entry(v) {
                if let Err(e) = ctx.insert_file(p, content, mode) {
                    failures.push(format!("{name}: cannot load {p}: {e}"));
                }
            }
        }
    }
    let mut state = State::new();
    let mut builds = 0;
    let mut steps = 0;
    let empty = Vec::new();
    for (b, build) in scenario
        .get("builds")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .enumerate()
    {
        builds += 1;
        if let Some(edit) = build.get("edit").and_then(Value::as_object) {
            for (p, v) in edit {
                if v.is_null() {
                    ctx.remove(p);
                } else if let Some((content, mode)) = file_entry(v) {
                    if let Err(e) = ctx.insert_file(p, content, mode) {
                        failures.push(format!("{name} build {}: cannot edit {p}: {e}", b + 1));
                    }
                }
            }
        }
        let args: Vec<String> = build
            .get("args")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
            .iter()
            .filter_map(|a| a.as_str().map(String::from))
            .collect();
        let cmd = match BuildCommand::parse(&args) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name} build {}: arguments {args:?}: {e}", b + 1));
                continue;
            }
        };
        let report = run(&cmd, &ctx, None, &mut state);
        if let Some(e) = &report.error {
            failures.push(format!(
                "{name} build {}: build failed: {}",
                b + 1,
                e.message
            ));
            continue;
        }
        let expected: Vec<Row> = build
            .get("steps")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
            .iter()
            .map(|s| Row {
                name: s["name"].as_str().unwrap_or_default().to_string(),
                stage: s["stage"].as_str().map(String::from),
                index: s["index"].as_u64().unwrap_or(0),
                total: s["total"].as_u64().unwrap_or(0),
                instruction: s["instruction"].as_str().unwrap_or_default().to_string(),
                cached: s["cached"].as_bool().unwrap_or(false),
            })
            .collect();
        let ours: Vec<(Row, Option<String>)> = report
            .steps
            .iter()
            .map(|s| {
                (
                    Row {
                        name: s.name.clone(),
                        stage: s.stage.clone(),
                        index: s.index as u64,
                        total: s.total as u64,
                        instruction: s.instruction.clone(),
                        cached: s.cached,
                    },
                    s.reason.clone(),
                )
            })
            .collect();
        steps += expected.len();
        // `LAYERLAB_SHOW=<part of a scenario name>` prints our steps.
        if std::env::var("LAYERLAB_SHOW").is_ok_and(|f| !f.is_empty() && name.contains(&f)) {
            println!("{name} build {}: {}", b + 1, args.join(" "));
            for s in &report.steps {
                println!(
                    "  {} {}{}",
                    if s.cached { "CACHED" } else { "ran   " },
                    s.name,
                    s.reason
                        .as_ref()
                        .map(|r| format!("\n           why: {r}"))
                        .unwrap_or_default()
                );
            }
        }
        let n = expected.len().max(ours.len());
        for k in 0..n {
            match (expected.get(k), ours.get(k)) {
                (Some(e), Some((o, reason))) if e.same(o) => {
                    // Every step that ran must say why.
                    if !o.cached && reason.is_none() {
                        failures.push(format!(
                            "{name} build {} step {}: {} has no miss reason",
                            b + 1,
                            k + 1,
                            o.show()
                        ));
                    }
                }
                (e, o) => failures.push(format!(
                    "{name} build {} step {}:\n    buildkit: {}\n    ours:     {}\n    our reason: {}",
                    b + 1,
                    k + 1,
                    e.map_or("(no step)".to_string(), Row::show),
                    o.map_or("(no step)".to_string(), |(r, _)| r.show()),
                    o.and_then(|(_, r)| r.clone()).unwrap_or_else(|| "-".into()),
                )),
            }
        }
    }
    Outcome {
        builds,
        steps,
        failures,
    }
}

#[test]
fn cache_scenarios_match_buildkit() {
    let dir = conformance().join("buildkit-recorded/cache");
    let files = layerlab_tests::files_with_extension(&dir, "json");
    assert!(!files.is_empty(), "no recordings in {}", dir.display());

    let gaps: BTreeMap<&str, &str> = KNOWN_GAPS.iter().copied().collect();
    let (mut run_count, mut passed, mut builds, mut steps) = (0, 0, 0, 0);
    let mut report = Vec::new();
    let mut gap_now_passing = Vec::new();
    for f in &files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = replay(f);
        run_count += 1;
        builds += out.builds;
        steps += out.steps;
        let ok = out.failures.is_empty();
        if ok {
            passed += 1;
        }
        match (gaps.get(stem.as_str()), ok) {
            (Some(_), true) => gap_now_passing.push(stem),
            (Some(why), false) => println!("known gap {stem}: {why}"),
            (None, false) => report.extend(out.failures),
            (None, true) => {}
        }
    }
    println!(
        "cache scenarios: {run_count} run, {passed} passed ({} known gaps); builds: {builds}; steps: {steps}",
        gaps.len()
    );
    for line in &report {
        println!("{line}");
    }
    assert!(
        gap_now_passing.is_empty(),
        "these KNOWN_GAPS scenarios now pass; remove them from the list: {gap_now_passing:?}"
    );
    assert!(
        report.is_empty(),
        "{} mismatches against the BuildKit recordings (see above)",
        report.len()
    );
}
