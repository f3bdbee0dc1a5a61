//! LayerLab's per-keystroke pipeline as a wasm module, for benchmarks: the
//! same engine calls the playground makes, each exported to JavaScript.
//! `benches/wasm/run.mjs` times them in Node on the same inputs as the
//! native benchmarks. Every call takes and returns plain values, so the
//! time includes passing the Dockerfile text into wasm, as in the browser.

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerlab_engine::build::{build, BuildOptions};
use layerlab_engine::context::Context;
use layerlab_engine::lint::{lint_source, LintOptions};
use layerlab_engine::state::State;
use wasm_bindgen::prelude::*;

/// A loaded project: its context, the context after a one-file edit, and
/// the state after a first build.
struct Project {
    dockerfile: String,
    context: Context,
    edited: Context,
    warm: State,
    opts: BuildOptions,
}

thread_local! {
    static PROJECT: RefCell<Option<Project>> = const { RefCell::new(None) };
}

/// Parses `text` (zero-copy `parse_borrowed`); the number of instructions,
/// or -1 on a parse error.
#[wasm_bindgen]
pub fn parse(text: &str) -> i32 {
    layerlab_syntax::parse_borrowed(text).map_or(-1, |f| f.instructions.len() as i32)
}

/// Parses `text` into the owned tree (`parse`).
#[wasm_bindgen]
pub fn parse_owned(text: &str) -> i32 {
    layerlab_syntax::parse(text).map_or(-1, |f| f.instructions.len() as i32)
}

/// Lints `text` (parse + every build check); the number of warnings.
#[wasm_bindgen]
pub fn lint(text: &str) -> i32 {
    lint_source(text, &LintOptions::default()).warnings.len() as i32
}

/// Loads a project: `files_json` is `{"path": "content", ...}`; `edit` is
/// the path of the file the rebuild benchmark changes. Runs the first build
/// and returns a one-line summary.
#[wasm_bindgen]
pub fn load_project(dockerfile: &str, files_json: &str, edit: &str) -> String {
    let files: BTreeMap<String, String> = serde_json::from_str(files_json).unwrap_or_default();
    let context = Context::from_files(files).unwrap_or_default();
    let mut edited = context.clone();
    let mut changed = edited.read(edit).map(<[u8]>::to_vec).unwrap_or_default();
    changed.extend_from_slice(b"\n// edited\n");
    let _ = edited.insert_file(edit, changed, 0o644);
    let opts = BuildOptions {
        tags: vec!["aspnetapp".to_string()],
        ..BuildOptions::default()
    };
    let mut warm = State::new();
    let first = build(dockerfile, &context, &opts, &mut warm);
    let rebuilt = build(dockerfile, &edited, &opts, &mut warm.clone());
    let summary = format!(
        "{} files; first build: {} steps, error: {:?}; rebuild after editing {edit}: {} of {} steps CACHED",
        context.len(),
        first.steps.len(),
        first.error.map(|e| e.message),
        rebuilt.steps.iter().filter(|s| s.cached).count(),
        rebuilt.steps.len()
    );
    PROJECT.with(|p| {
        *p.borrow_mut() = Some(Project {
            dockerfile: dockerfile.to_string(),
            context,
            edited,
            warm,
            opts,
        })
    });
    summary
}

/// Clones the warm state (the part the native benchmark leaves out of
/// its timing); call it alone to subtract it.
#[wasm_bindgen]
pub fn clone_state() -> i32 {
    PROJECT.with(|p| {
        p.borrow()
            .as_ref()
            .map_or(-1, |p| p.warm.clone().cache.records.len() as i32)
    })
}

/// Rebuilds the loaded project after its one-file edit, on a copy of the
/// warm state; the number of CACHED steps.
#[wasm_bindgen]
pub fn rebuild_after_edit() -> i32 {
    PROJECT.with(|p| {
        let p = p.borrow();
        let Some(p) = p.as_ref() else { return -1 };
        let mut state = p.warm.clone();
        let r = build(&p.dockerfile, &p.edited, &p.opts, &mut state);
        r.steps.iter().filter(|s| s.cached).count() as i32
    })
}

/// One keystroke in the editor: lint and build `text` (the edited
/// Dockerfile) in the loaded project's context, on a copy of the warm
/// state; the number of steps.
#[wasm_bindgen]
pub fn keystroke(text: &str) -> i32 {
    PROJECT.with(|p| {
        let p = p.borrow();
        let Some(p) = p.as_ref() else { return -1 };
        let lint = lint_source(text, &LintOptions::default());
        let mut state = p.warm.clone();
        let r = build(text, &p.context, &p.opts, &mut state);
        (lint.warnings.len() + r.steps.len()) as i32
    })
}
