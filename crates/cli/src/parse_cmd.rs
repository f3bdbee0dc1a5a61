//! `layerlab parse`: the syntax tree in BuildKit's dump format or as JSON,
//! or `--check` over many files for hooks and CI.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use layerlab_syntax::{dump, parse_bytes, Dockerfile, Instruction, LineIndex, ParseError, Span};
use serde_json::{json, Value};

use crate::input::{read_input, read_or_exit};

/// Arguments of `layerlab parse`.
#[derive(Args)]
pub struct ParseArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dump)]
    format: Format,
    /// Only report errors, as `FILE:LINE:COLUMN: message`; exit 1 if any
    /// file fails. Takes any number of files.
    #[arg(long)]
    check: bool,
    /// Dockerfiles to read (`-` for standard input).
    #[arg(required = true)]
    files: Vec<String>,
}

/// Output formats of `layerlab parse`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// BuildKit's `Node.Dump()` format.
    Dump,
    /// One JSON object with `instructions` and `warnings`.
    Json,
}

/// Runs the command.
pub fn run(args: &ParseArgs) -> ExitCode {
    if args.check {
        return check(&args.files);
    }
    if args.files.len() != 1 {
        eprintln!("error: parse takes one file (use --check for several)");
        return ExitCode::from(2);
    }
    let path = &args.files[0];
    let bytes = match read_or_exit(path) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (text, result) = parse_bytes(&bytes);
    let mut out = std::io::stdout().lock();
    let written = match (&result, args.format) {
        (Ok(file), Format::Dump) => out.write_all(dump(file).as_bytes()),
        (Ok(file), Format::Json) => writeln!(out, "{}", to_json(file, &text)),
        (Err(e), Format::Json) => writeln!(
            out,
            "{}",
            json!({"error": {"message": e.message, "line": e.line, "column": e.column}})
        ),
        (Err(_), Format::Dump) => Ok(()),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {path}:{}:{}: {}", e.line, e.column, e.message);
            ExitCode::FAILURE
        }
    }
}

fn check(files: &[String]) -> ExitCode {
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for path in files {
        let line = match read_input(path) {
            Ok(bytes) => match parse_bytes(&bytes).1 {
                Ok(_) => continue,
                Err(ParseError {
                    message,
                    line,
                    column,
                    ..
                }) => format!("{path}:{line}:{column}: {message}"),
            },
            Err(e) => format!("{path}:0:0: cannot read: {e}"),
        };
        failed = true;
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn span_json(index: &LineIndex<'_>, span: Span) -> Value {
    let s = index.position(span.start);
    let e = index.position(span.end);
    json!({
        "start": {"line": s.line, "column": s.column, "offset": s.offset},
        "end": {"line": e.line, "column": e.column, "offset": e.offset},
    })
}

fn instruction_json(ins: &Instruction, index: &LineIndex<'_>) -> Value {
    json!({
        "cmd": ins.keyword,
        "sub_cmd": ins.sub.as_ref().map_or("", |s| s.keyword.as_str()),
        "json": ins.is_json(),
        "original": ins.original_with_heredocs(),
        "start_line": ins.start_line,
        "end_line": ins.end_line,
        "flags": ins.flags.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(),
        "value": ins.flat_values(),
        "heredocs": ins.heredocs.iter().map(|h| json!({
            "name": h.name,
            "file_descriptor": h.file_descriptor,
            "content": h.content,
        })).collect::<Vec<_>>(),
        "span": span_json(index, ins.span),
    })
}

/// The JSON form of a parsed file.
pub fn to_json(file: &Dockerfile, text: &str) -> Value {
    let index = LineIndex::new(text);
    json!({
        "instructions": file.instructions.iter().map(|i| instruction_json(i, &index)).collect::<Vec<_>>(),
        "warnings": file.warnings.iter().map(|w| json!({
            "short": w.short,
            "detail": w.detail,
            "line": w.line,
            "span": span_json(&index, w.span),
        })).collect::<Vec<_>>(),
    })
}
