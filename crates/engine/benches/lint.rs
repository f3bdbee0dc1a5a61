//! Lint (BuildKit's build checks, `lint_source`: parse + every rule) on
//! realistic files: the 121 Dockerfiles BuildKit's linter was recorded on,
//! and the tutorial's Dockerfile, in MB/s and files per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use layerlab_engine::lint::{lint_source, LintOptions};

mod common;

fn bench(c: &mut Criterion) {
    let files = common::lint_files();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    eprintln!("lint: {} recorded files, {bytes} bytes", files.len());
    let tutorial = common::tutorial_dockerfile();
    let opts = LintOptions::default();

    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("recorded-files", |b| {
        b.iter(|| {
            for (_, t) in &files {
                black_box(lint_source(black_box(t), &opts));
            }
        })
    });
    group.throughput(Throughput::Bytes(tutorial.len() as u64));
    group.bench_function("tutorial", |b| {
        b.iter(|| black_box(lint_source(black_box(&tutorial), &opts)))
    });
    group.finish();
}

/// The benchmark group (criterion's entry point).
mod group {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, bench);
}
criterion_main!(group::benches);
