//! Parse throughput (MB/s): LayerLab's parser beside the `parse-dockerfile`
//! crate on the same inputs in the same run, so the ratio is measured on one
//! machine. `layerlab` is `parse_borrowed`: the full parse into the flat,
//! zero-copy tree (every value a slice of the input where it can be, like
//! `parse-dockerfile`'s); `layerlab-owned` is `parse`, which also copies the
//! tree into owned strings. Inputs: BuildKit's own parser test files
//! (concatenated into one corpus of real-world Dockerfiles; files
//! `parse-dockerfile` rejects are left out of both sides and counted), the
//! tutorial's Dockerfile, and one generated 50,000-line file
//! (`cargo run --release --example parse_n -- gen-large FILE` writes it, for
//! instruction counts under callgrind).

#[path = "support/large_file.rs"]
mod large_file;
use large_file::large_file;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn conformance_files() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/buildkit/parser/testfiles");
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path().join("Dockerfile")) {
                out.push((e.file_name().to_string_lossy().into_owned(), text));
            }
        }
    }
    out.sort();
    out
}

const TUTORIAL: &str = "# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT [\"dotnet\", \"aspnetapp.dll\"]
";

fn bench(c: &mut Criterion) {
    let files = conformance_files();
    let accepted: Vec<&String> = files
        .iter()
        .map(|(_, t)| t)
        .filter(|t| parse_dockerfile::parse(t).is_ok())
        .collect();
    eprintln!(
        "parse-dockerfile accepts {} of {} BuildKit test files (the rest are left out of both sides of the corpus comparison)",
        accepted.len(),
        files.len()
    );
    let corpus_bytes: usize = accepted.iter().map(|t| t.len()).sum();
    let large = large_file();

    let mut group = c.benchmark_group("buildkit-testfiles");
    group.throughput(Throughput::Bytes(corpus_bytes as u64));
    group.bench_function("layerlab", |b| {
        b.iter(|| {
            for t in &accepted {
                let _ = black_box(layerlab_syntax::parse_borrowed(black_box(t)));
            }
        })
    });
    group.bench_function("layerlab-owned", |b| {
        b.iter(|| {
            for t in &accepted {
                let _ = black_box(layerlab_syntax::parse(black_box(t)));
            }
        })
    });
    group.bench_function("parse-dockerfile", |b| {
        b.iter(|| {
            for t in &accepted {
                let _ = black_box(parse_dockerfile::parse(black_box(t)));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("tutorial");
    group.throughput(Throughput::Bytes(TUTORIAL.len() as u64));
    group.bench_function("layerlab", |b| {
        b.iter(|| black_box(layerlab_syntax::parse_borrowed(black_box(TUTORIAL))))
    });
    group.bench_function("parse-dockerfile", |b| {
        b.iter(|| black_box(parse_dockerfile::parse(black_box(TUTORIAL))))
    });
    group.finish();

    let mut group = c.benchmark_group("50k-lines");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.bench_function("layerlab", |b| {
        b.iter(|| black_box(layerlab_syntax::parse_borrowed(black_box(&large))))
    });
    group.bench_function("layerlab-owned", |b| {
        b.iter(|| black_box(layerlab_syntax::parse(black_box(&large))))
    });
    group.bench_function("parse-dockerfile", |b| {
        b.iter(|| black_box(parse_dockerfile::parse(black_box(&large))))
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
