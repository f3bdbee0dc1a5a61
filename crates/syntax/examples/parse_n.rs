//! Parses a file N times with one parser, for instruction-count comparisons
//! under `valgrind --tool=callgrind` (repeatable on a loaded machine):
//! `cargo run --release --example parse_n -- layerlab|layerlab-owned|parse-dockerfile FILE N`.

use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: parse_n layerlab|layerlab-owned|parse-dockerfile FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    for _ in 0..n {
        match which.as_str() {
            "layerlab" => {
                let _ = black_box(layerlab_syntax::parse_borrowed(black_box(&text)));
            }
            "layerlab-owned" => {
                let _ = black_box(layerlab_syntax::parse(black_box(&text)));
            }
            _ => {
                let _ = black_box(parse_dockerfile::parse(black_box(&text)));
            }
        }
    }
}
