//! Parse throughput on the exact files `scripts/bench.sh` also times
//! BuildKit's own Go parser on (through the PyPI package `dockerfile`), so
//! the two figures compare the same bytes in the same run.
//!
//! The sets are `LAYERLAB_BENCH_SETS/NAME.list` files (one Dockerfile path
//! a line), which the script writes: `buildkit-testfiles` (every file of
//! BuildKit's parser tests that BuildKit parses), `tutorial`, `50k-lines`.
//! Without the variable the first two are built from the repository.
//! `layerlab` is `parse_borrowed` (zero-copy); `layerlab-owned` is `parse`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use layerlab_engine::shared_sort;

mod common;

fn read_list(path: &PathBuf) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| std::fs::read_to_string(l.trim()).ok())
        .collect()
}

fn sets() -> Vec<(String, Vec<String>)> {
    if let Ok(dir) = std::env::var("LAYERLAB_BENCH_SETS") {
        let mut lists: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        lists.retain(|p| p.extension().is_some_and(|e| e == "list"));
        shared_sort::sort(&mut lists);
        return lists
            .iter()
            .map(|p| {
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, read_list(p))
            })
            .collect();
    }
    let dir = common::conformance().join("buildkit/parser/testfiles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path().join("Dockerfile")).collect())
        .unwrap_or_default();
    shared_sort::sort(&mut files);
    let corpus = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    vec![
        ("buildkit-testfiles".to_string(), corpus),
        ("tutorial".to_string(), vec![common::tutorial_dockerfile()]),
    ]
}

fn bench(c: &mut Criterion) {
    for (name, texts) in sets() {
        let bytes: usize = texts.iter().map(String::len).sum();
        eprintln!("parse-compare {name}: {} files, {bytes} bytes", texts.len());
        if texts.is_empty() {
            continue;
        }
        let mut group = c.benchmark_group(format!("parse-compare/{name}"));
        group.throughput(Throughput::Bytes(bytes as u64));
        if bytes > 100_000 {
            group.sample_size(20);
        }
        group.bench_function("layerlab", |b| {
            b.iter(|| {
                for t in &texts {
                    let _ = black_box(layerlab_syntax::parse_borrowed(black_box(t)));
                }
            })
        });
        group.bench_function("layerlab-owned", |b| {
            b.iter(|| {
                for t in &texts {
                    let _ = black_box(layerlab_syntax::parse(black_box(t)));
                }
            })
        });
        group.finish();
    }
}

/// The benchmark group (criterion's entry point).
mod group {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, bench);
}
criterion_main!(group::benches);
