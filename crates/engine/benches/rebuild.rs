//! The tutorial's story as the playground runs it: the seed project
//! (`static/samples/aspnetapp`) rebuilt after a one-file edit
//! (`aspnetapp/Program.cs`: restore stays CACHED, publish re-runs) on a warm
//! cache, and the per-keystroke pipeline (parse + lint + build of the
//! edited Dockerfile on a warm cache). The state is cloned outside the
//! timed part.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use layerlab_engine::build::{build, BuildOptions};
use layerlab_engine::lint::{lint_source, LintOptions};
use layerlab_engine::state::State;

mod common;

fn bench(c: &mut Criterion) {
    let dockerfile = common::tutorial_dockerfile();
    let ctx = common::tutorial_context();
    let opts = BuildOptions {
        tags: vec!["aspnetapp".to_string()],
        ..BuildOptions::default()
    };
    let mut warm = State::new();
    let first = build(&dockerfile, &ctx, &opts, &mut warm);
    let mut edited = ctx.clone();
    let program = edited
        .read("aspnetapp/Program.cs")
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let mut changed = program.clone();
    changed.extend_from_slice(b"\n// edited\n");
    let _ = edited.insert_file("aspnetapp/Program.cs", changed, 0o644);
    let check = build(&dockerfile, &edited, &opts, &mut warm.clone());
    eprintln!(
        "seed project: {} files, first build {} steps ({}), rebuild after the edit: {} of {} steps CACHED",
        ctx.len(),
        first.steps.len(),
        first.error.as_ref().map_or("ok".to_string(), |e| e.message.clone()),
        check.steps.iter().filter(|s| s.cached).count(),
        check.steps.len()
    );
    let typed = format!("{dockerfile}LABEL edited=\"1\"\n");

    let mut group = c.benchmark_group("seed");
    group.bench_function("rebuild-after-one-file-edit", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut s| black_box(build(black_box(&dockerfile), &edited, &opts, &mut s)),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("keystroke-parse-lint-build", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut s| {
                let lint = lint_source(black_box(&typed), &LintOptions::default());
                black_box((lint, build(black_box(&typed), &ctx, &opts, &mut s)))
            },
            BatchSize::SmallInput,
        )
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
