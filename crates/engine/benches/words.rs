//! Word expansion (BuildKit's `ProcessWord` / `ProcessWords`): every word
//! of BuildKit's own shell tests (`wordsTest`, `envVarTest`), and
//! realistic Dockerfile words (paths, versions, `${V:-default}`, pattern
//! removal), in words per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use layerlab_syntax::words::{Env, Lexer};

mod common;

/// The input column of a BuildKit shell test file (`input | expected`, or
/// `platform|input|expected`), ENV lines and comments left out.
fn test_words(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(common::conformance().join("buildkit/shell").join(name))
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("ENV "))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            match f.len() {
                2 => Some(f[0].trim().to_string()),
                n if n >= 3 => Some(f[1].trim().to_string()),
                _ => None,
            }
        })
        .collect()
}

const REALISTIC: &[&str] = &[
    "/usr/local/bin:$PATH",
    "${APP_HOME:-/app}/bin",
    "/opt/${NAME}-${VERSION}.tar.gz",
    "https://dl.example.com/v${VERSION%%-*}/tool_${VERSION}_${TARGETOS}_${TARGETARCH}.tar.gz",
    "${FILE##*/}",
    "${VERSION/./_}",
    "\"quoted $NAME and ${VERSION}\"",
    "'single $NOT_EXPANDED'",
    "app:app",
    "--chown=${UID}:${GID}",
    "${DOTNET_VERSION:?need a version}",
    "C.UTF-8",
    "org.opencontainers.image.version=${VERSION}",
    "8080/tcp",
    "${HOME}/.cache/pip",
];

fn bench(c: &mut Criterion) {
    let env = Env::from_slice(&[
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "NAME=node",
        "VERSION=20.11.1-bookworm",
        "TARGETOS=linux",
        "TARGETARCH=amd64",
        "FILE=/src/app/main.go",
        "UID=1000",
        "GID=1000",
        "DOTNET_VERSION=8.0.2",
        "HOME=/root",
        "PWD=/home",
        "SHELL=bash",
    ]);
    let lexer = Lexer::new('\\');
    let mut tests = test_words("wordsTest");
    tests.extend(test_words("envVarTest"));
    eprintln!(
        "word expansion: {} BuildKit test words, {} realistic words",
        tests.len(),
        REALISTIC.len()
    );

    let mut group = c.benchmark_group("words");
    group.throughput(Throughput::Elements(tests.len() as u64));
    group.bench_function("buildkit-tests/process_word", |b| {
        b.iter(|| {
            for w in &tests {
                let _ = black_box(lexer.process_word(black_box(w), &env));
            }
        })
    });
    group.bench_function("buildkit-tests/process_words", |b| {
        b.iter(|| {
            for w in &tests {
                let _ = black_box(lexer.process_words(black_box(w), &env));
            }
        })
    });
    group.throughput(Throughput::Elements(REALISTIC.len() as u64));
    group.bench_function("realistic/process_word", |b| {
        b.iter(|| {
            for w in REALISTIC {
                let _ = black_box(lexer.process_word(black_box(w), &env));
            }
        })
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
