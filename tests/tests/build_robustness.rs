//! Any Dockerfile, any bytes: a build never panics and always returns a
//! report (an image or an error). Runs every recorded Dockerfile (the lint
//! files and the cache scenarios, with their contexts) and deterministic
//! mutations of each (bytes dropped, duplicated, swapped for Dockerfile
//! punctuation) through `layerlab docker build`'s code path.

use layerlab_engine::context::Context;
use layerlab_engine::docker::build::{render_plain, report_json, run, BuildCommand};
use layerlab_engine::state::State;
use layerlab_tests::{conformance, files_with_extension, Rng};
use serde_json::Value;

fn mutate(text: &str, rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "$",
        "${",
        "}",
        "\\",
        "\n",
        "\"",
        "'",
        "<<EOF\n",
        "EOF\n",
        "--from=",
        "--mount=type=bind,target=/x ",
        " AS ",
        "*",
        "[",
        "]",
        "..",
        "/",
        "=",
        " ",
        "\t",
        "é",
        "FROM scratch\n",
        "RUN ",
        "COPY . .\n",
        "ARG A=${B:-x}\n",
        "WORKDIR ",
        "USER nobody\n",
        "--link ",
        "--chmod=",
        "--chown=",
    ];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(3) {
            0 if !chars.is_empty() && at < chars.len() => {
                let n = 1 + rng.below(8).min(chars.len() - at);
                chars.drain(at..(at + n).min(chars.len()));
            }
            1 => {
                let piece: Vec<char> = rng.pick(PIECES).chars().collect();
                chars.splice(at..at, piece);
            }
            _ => {
                if !chars.is_empty() {
                    let from = rng.below(chars.len());
                    let to = (from + 1 + rng.below(20)).min(chars.len());
                    let dup: Vec<char> = chars[from..to].to_vec();
                    chars.splice(at..at, dup);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn check(dockerfile: &str, ctx: &Context, args: &[&str], state: &mut State) {
    let cmd = match BuildCommand::parse(args) {
        Ok(c) => c,
        Err(_) => return,
    };
    let report = run(&cmd, ctx, Some(dockerfile), state);
    assert!(
        report.error.is_some() || report.image.is_some(),
        "a build ends with an image or an error:\n{dockerfile}"
    );
    let _ = render_plain(&report, Some(dockerfile));
    let _ = report_json(&report);
}

#[test]
fn builds_never_panic() {
    let mut rng = Rng::new(0x1a7e_b0a7);
    let mut cases = 0;
    // The lint recordings: Dockerfiles without a context.
    let lint = conformance().join("buildkit-recorded/lint");
    let mut state = State::new();
    let empty = Context::new();
    for f in files_with_extension(&lint, "Dockerfile") {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        check(&text, &empty, &["build", "."], &mut state);
        for _ in 0..8 {
            check(
                &mutate(&text, &mut rng),
                &empty,
                &["build", "."],
                &mut state,
            );
            cases += 1;
        }
    }
    // The cache scenarios, with their contexts and arguments.
    let cache = conformance().join("buildkit-recorded/cache");
    for f in files_with_extension(&cache, "json") {
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap_or_default())
            .unwrap_or(Value::Null);
        let mut ctx = Context::new();
        let mut dockerfile = String::new();
        if let Some(files) = scenario.get("files").and_then(Value::as_object) {
            for (p, v) in files {
                let content = v
                    .as_str()
                    .or_else(|| v.get("content").and_then(Value::as_str))
                    .unwrap_or_default();
                if p == "Dockerfile" {
                    dockerfile = content.to_string();
                }
                let _ = ctx.insert_file(p, content, 0o644);
            }
        }
        let args: Vec<String> = scenario["builds"][0]["args"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut state = State::new();
        for _ in 0..6 {
            check(&mutate(&dockerfile, &mut rng), &ctx, &args, &mut state);
            cases += 1;
        }
    }
    println!("build robustness: {cases} mutated Dockerfiles built without a panic");
}
