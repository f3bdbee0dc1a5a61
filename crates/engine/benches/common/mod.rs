//! Inputs shared by the engine's benchmarks: the tutorial's sample project
//! (`static/samples/aspnetapp`), the recorded lint files
//! (`../shared/conformance/buildkit-recorded/lint`) and BuildKit's word
//! expansion tests, all read from disk when the benchmark starts.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use layerlab_engine::context::Context;
use layerlab_engine::shared_sort;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The conformance data beside the repository.
pub fn conformance() -> PathBuf {
    root().join("../shared/conformance")
}

/// The tutorial's Dockerfile.
pub fn tutorial_dockerfile() -> String {
    std::fs::read_to_string(root().join("static/samples/aspnetapp/Dockerfile")).unwrap_or_default()
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, base, out);
        } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(base), std::fs::read(&p)) {
            out.push((rel.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
}

/// The tutorial's build context (every file of the sample, Dockerfile
/// included).
pub fn tutorial_context() -> Context {
    let base = root().join("static/samples/aspnetapp");
    let mut files = Vec::new();
    walk(&base, &base, &mut files);
    shared_sort::sort(&mut files);
    Context::from_files(files).unwrap_or_default()
}

/// The recorded lint files, `(name, text)`, sorted by name.
pub fn lint_files() -> Vec<(String, String)> {
    let dir = conformance().join("buildkit-recorded/lint");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".Dockerfile"))
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), text))
                })
                .collect()
        })
        .unwrap_or_default();
    shared_sort::sort(&mut out);
    out
}
