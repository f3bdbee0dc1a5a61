//! Parses a file N times with one parser, for instruction-count comparisons
//! under `valgrind --tool=callgrind` (repeatable on a loaded machine):
//! `cargo run --release --example parse_n -- layerlab|layerlab-owned|parse-dockerfile FILE N`.
//!
//! `FILE` may be a folder of BuildKit test cases (`NAME/Dockerfile`): each
//! file `parse-dockerfile` accepts is parsed once per round, as the
//! benchmark's corpus group does. `parse_n gen-large OUT` writes the
//! benchmark's generated 50,000-line file.

use std::hint::black_box;

#[path = "../benches/support/large_file.rs"]
mod large_file;
use large_file::large_file;

/// The texts to parse: one file, or every accepted `NAME/Dockerfile` of a
/// folder (sorted by name, as the benchmark reads them).
fn inputs(path: &str) -> Vec<String> {
    let p = std::path::Path::new(path);
    if !p.is_dir() {
        return match std::fs::read_to_string(p) {
            Ok(t) => vec![t],
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
    }
    let mut files: Vec<(String, String)> = std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let t = std::fs::read_to_string(e.path().join("Dockerfile")).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), t))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let total = files.len();
    let accepted: Vec<String> = files
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| parse_dockerfile::parse(t).is_ok())
        .collect();
    eprintln!(
        "{} of {total} files, {} bytes",
        accepted.len(),
        accepted.iter().map(String::len).sum::<usize>()
    );
    accepted
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: parse_n layerlab|layerlab-owned|parse-dockerfile FILE|DIR [N]");
        eprintln!("       parse_n gen-large OUT");
        std::process::exit(2);
    };
    if which == "gen-large" {
        if let Err(e) = std::fs::write(path, large_file()) {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
        return;
    }
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let texts = inputs(path);
    for _ in 0..n {
        for text in &texts {
            match which.as_str() {
                "layerlab" => {
                    let _ = black_box(layerlab_syntax::parse_borrowed(black_box(text)));
                }
                "layerlab-owned" => {
                    let _ = black_box(layerlab_syntax::parse(black_box(text)));
                }
                _ => {
                    let _ = black_box(parse_dockerfile::parse(black_box(text)));
                }
            }
        }
    }
}
