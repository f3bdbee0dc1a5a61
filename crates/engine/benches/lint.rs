//! Lint (BuildKit's build checks, `lint_source`: parse + every rule) on
//! realistic files: the 121 Dockerfiles BuildKit's linter was recorded on,
//! the tutorial's Dockerfile, and a 5,000-line multi-stage file, in MB/s.

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
    let large = large_file();
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.sample_size(20);
    group.bench_function("5000-lines", |b| {
        b.iter(|| black_box(lint_source(black_box(&large), &opts)))
    });
    group.finish();
}

/// A 5,000-line Dockerfile: stages of realistic instructions, each stage
/// named, with ARGs, ENVs, COPY --from of the previous stage and RUNs.
fn large_file() -> String {
    let mut s = String::from("ARG BASE=debian:bookworm-slim\n");
    let mut stage = 0;
    while s.lines().count() < 5_000 {
        let from = if stage == 0 {
            "${BASE}".to_string()
        } else {
            format!("s{}", stage - 1)
        };
        s.push_str(&format!(
            "FROM {from} AS s{stage}\n\
             ARG VERSION=1.{stage}\n\
             ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH\n\
             WORKDIR /srv/app\n\
             RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n\
             COPY --chown=1000:1000 src/ ./src/\n\
             RUN echo \"building $VERSION in $APP_HOME\" > /srv/app/version\n\
             LABEL org.opencontainers.image.version=\"${{VERSION}}\"\n\
             EXPOSE 8080/tcp\n\
             HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost:8080/\"]\n\
             USER 1000\n\
             CMD [\"./bin/server\", \"--port\", \"8080\"]\n"
        ));
        stage += 1;
    }
    s
}

/// The benchmark group (criterion's entry point).
mod group {
    #![allow(missing_docs)]
    use super::*;
    criterion_group!(benches, bench);
}
criterion_main!(group::benches);
