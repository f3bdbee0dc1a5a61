//! `layerlab lint`: BuildKit's build checks (`docker build --check`), with
//! BuildKit's rule names and messages, reported the way a compiler reports
//! problems (`FILE:LINE:COLUMN: Rule: message`) or as JSON.
//!
//! Exit status: 0 when there are only warnings (as `docker build --check`
//! treats them), 1 when BuildKit would fail (a parse error, an unresolvable
//! reference, or any warning under `# check=error=true`), 2 when the input
//! cannot be read.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use layerlab_engine::lint::{lint_source, read_dockerignore, LintOptions, LintReport};
use layerlab_syntax::{parse_bytes, LineIndex, Span};
use serde_json::{json, Value};

use crate::input::read_or_exit;

/// Arguments of `layerlab lint`.
#[derive(Args)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// A `.dockerignore` file to check COPY/ADD sources against.
    #[arg(long, value_name = "FILE")]
    dockerignore: Option<String>,
    /// A build argument, `KEY=VALUE` (repeatable).
    #[arg(long = "build-arg", value_name = "KEY=VALUE")]
    build_args: Vec<String>,
    /// The stage to build (default: the last one).
    #[arg(long)]
    target: Option<String>,
    /// The target platform, e.g. `linux/arm64` (default: linux/amd64).
    #[arg(long)]
    platform: Option<String>,
    /// The Dockerfile to check (`-` for standard input).
    file: String,
}

/// Output formats of `layerlab lint`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// `FILE:LINE:COLUMN: Rule: message` lines and a summary.
    Text,
    /// One JSON object with `warnings` and `error`.
    Json,
}

/// Runs the command.
pub fn run(args: &LintArgs) -> ExitCode {
    let bytes = match read_or_exit(&args.file) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let dockerignore = match &args.dockerignore {
        None => None,
        Some(p) => match std::fs::read(p) {
            Ok(b) => Some(read_dockerignore(&String::from_utf8_lossy(&b))),
            Err(e) => {
                eprintln!("error: {p}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut build_args = BTreeMap::new();
    for a in &args.build_args {
        match a.split_once('=') {
            Some((k, v)) => build_args.insert(k.to_string(), v.to_string()),
            None => build_args.insert(a.clone(), std::env::var(a).unwrap_or_default()),
        };
    }
    let options = LintOptions {
        dockerignore,
        build_args,
        target: args.target.clone(),
        platform: args.platform.clone(),
        ..LintOptions::default()
    };
    let (text, _) = parse_bytes(&bytes);
    let report = lint_source(&text, &options);
    let name = if args.file == "-" {
        "<stdin>"
    } else {
        args.file.as_str()
    };
    let output = match args.format {
        Format::Text => render_text(name, &text, &report),
        Format::Json => format!("{:#}\n", render_json(name, &text, &report)),
    };
    if let Err(e) = std::io::stdout().lock().write_all(output.as_bytes()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if report.error.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// 1-based line and column where `span` starts.
fn position(index: &LineIndex<'_>, span: Span) -> (usize, usize) {
    let p = index.position(span.start);
    (p.line, p.column)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The text report: one line per warning, the error, then a summary.
fn render_text(name: &str, text: &str, report: &LintReport) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for w in &report.warnings {
        let (line, col) = position(&index, w.span);
        out.push_str(&format!("{name}:{line}:{col}: {}: {}\n", w.rule, w.message));
    }
    if let Some(e) = &report.error {
        match e.span {
            Some(span) => {
                let (line, col) = position(&index, span);
                out.push_str(&format!("{name}:{line}:{col}: error: {}\n", e.message));
            }
            None => out.push_str(&format!("{name}: error: {}\n", e.message)),
        }
    }
    let mut summary = plural(report.warnings.len(), "warning");
    if report.error.is_some() {
        summary.push_str(", 1 error");
    }
    out.push_str(&format!("{name}: {summary}\n"));
    out
}

/// The JSON report: warnings with BuildKit's line range, the column and
/// byte span of the fault, and the rule's texts; the error or `null`.
fn render_json(name: &str, text: &str, report: &LintReport) -> Value {
    let index = LineIndex::new(text);
    let warnings: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| {
            let (line, col) = position(&index, w.span);
            json!({
                "rule": w.rule,
                "message": w.message,
                "line": w.line,
                "end_line": w.end_line,
                "span": {"start": w.span.start, "end": w.span.end, "line": line, "column": col},
                "description": w.description,
                "how_to_fix": w.how_to_fix,
                "url": w.url,
            })
        })
        .collect();
    let error = report.error.as_ref().map(|e| {
        let span = e.span.map(|s| {
            let (line, col) = position(&index, s);
            json!({"start": s.start, "end": s.end, "line": line, "column": col})
        });
        json!({
            "message": e.message,
            "line": e.line,
            "end_line": e.end_line,
            "span": span,
        })
    });
    json!({"file": name, "warnings": warnings, "error": error})
}
