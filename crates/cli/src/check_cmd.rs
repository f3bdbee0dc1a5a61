//! `layerlab check`: runs an exercise's checks (see
//! `layerlab_engine::exercise`) against a project folder, or against the
//! exercise's own starting files or reference solution, and reports each
//! check like a test runner (`✓`/`✗` with the reason, then
//! `N passed, N failed`), or as JSON.
//!
//! Exit status: 0 when every check passes, 1 when one fails, 2 when the
//! exercise file or the project cannot be read (a mistake in the exercise
//! file is reported as `FILE:LINE:COLUMN: error: message`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use layerlab_engine::context::Context;
use layerlab_engine::exercise::{
    context_from_files, evaluate, markdown, parse_exercise, Evaluation, Exercise, Files,
};
use serde_json::json;

/// Arguments of `layerlab check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check the exercise's reference solution instead of its starting
    /// files (ignored when CONTEXT_DIR is given).
    #[arg(long)]
    solution: bool,
    /// Where the exercise's `sample` folders are (default: `../samples`
    /// next to the exercise file, as in `static/`).
    #[arg(long, value_name = "DIR")]
    samples: Option<PathBuf>,
    /// Also show the supporting details of passing checks.
    #[arg(long, short)]
    verbose: bool,
    /// The exercise file (TOML).
    exercise: PathBuf,
    /// The project to check: a folder with the Dockerfile and its build
    /// context (default: the exercise's starting files).
    context_dir: Option<PathBuf>,
}

/// Output formats of `layerlab check`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One line per check (`✓`/`✗` and the title), the reason below, and a
    /// summary line.
    Text,
    /// One JSON object with every result.
    Json,
}

/// Reads a folder into a build context: files with their modes, folders,
/// symbolic links (kept as links).
fn read_folder(root: &Path) -> Result<Context, String> {
    let mut ctx = Context::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .to_string_lossy()
                .replace('\\', "/");
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let result = if meta.file_type().is_symlink() {
                let target =
                    std::fs::read_link(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                ctx.insert_symlink(&rel, &target.to_string_lossy())
            } else if meta.is_dir() {
                stack.push(path.clone());
                ctx.insert_dir(&rel, mode(&meta, 0o755))
            } else {
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                ctx.insert_file(&rel, bytes, mode(&meta, 0o644))
            };
            result.map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(ctx)
}

#[cfg(unix)]
fn mode(meta: &std::fs::Metadata, _default: u32) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode(_meta: &std::fs::Metadata, default: u32) -> u32 {
    default
}

/// The files of a sample folder (for the exercise's starting files).
fn read_sample(dir: &Path) -> Result<Files, String> {
    let ctx = read_folder(dir)?;
    let mut files = Files::new();
    for (path, entry) in ctx.iter() {
        if let layerlab_engine::context::ContextEntry::File { content, .. } = entry {
            files.insert(path.clone(), content.clone());
        }
    }
    Ok(files)
}

/// The project to check and how to name it.
fn project(args: &CheckArgs, exercise: &Exercise) -> Result<(Context, String), String> {
    if let Some(dir) = &args.context_dir {
        if !dir.is_dir() {
            return Err(format!("{}: not a folder", dir.display()));
        }
        return Ok((read_folder(dir)?, dir.display().to_string()));
    }
    let sample = match &exercise.start.sample {
        None => Files::new(),
        Some(name) => {
            let base = match &args.samples {
                Some(d) => d.clone(),
                None => args
                    .exercise
                    .parent()
                    .unwrap_or(Path::new("."))
                    .join("..")
                    .join("samples"),
            };
            let dir = base.join(name);
            if !dir.is_dir() {
                return Err(format!(
                    "the exercise's sample {name:?} is not at {} (use --samples DIR)",
                    dir.display()
                ));
            }
            read_sample(&dir)?
        }
    };
    let (files, label) = if args.solution {
        match exercise.solution_files(&sample) {
            Some(f) => (f, "the reference solution"),
            None => return Err("the exercise has no [solution]".to_string()),
        }
    } else {
        (exercise.starting_files(&sample), "the starting files")
    };
    let ctx = context_from_files(&files).map_err(|e| e.to_string())?;
    Ok((ctx, label.to_string()))
}

/// Markdown inline as terminal text.
fn plain(s: &str) -> String {
    markdown::plain_text(&markdown::inline(s))
}

fn render_text(exercise: &Exercise, source: &str, ev: &Evaluation, verbose: bool) -> String {
    let mut out = format!(
        "{} ({}) on {source}\n\n",
        plain(&exercise.title),
        exercise.id
    );
    for r in &ev.results {
        let mark = if r.passed { "✓" } else { "✗" };
        out.push_str(&format!("{mark} {}\n", plain(&r.title)));
        out.push_str(&format!("    {}\n", plain(&r.reason)));
        if let Some(line) = r.line.filter(|_| !r.passed) {
            out.push_str(&format!("    (Dockerfile line {line})\n"));
        }
        if verbose || !r.passed {
            for d in &r.details {
                out.push_str(&format!("      · {}\n", plain(d)));
            }
        }
    }
    out.push_str(&format!("\n{} passed, {} failed\n", ev.passed, ev.failed));
    out
}

fn render_json(exercise: &Exercise, source: &str, ev: &Evaluation) -> String {
    let v = json!({
        "exercise": { "id": exercise.id, "title": exercise.title },
        "project": source,
        "results": ev.results,
        "passed": ev.passed,
        "failed": ev.failed,
        "solved": ev.solved(),
    });
    format!("{v:#}\n")
}

/// Runs the command.
pub fn run(args: &CheckArgs) -> ExitCode {
    let name = args.exercise.display().to_string();
    let text = match std::fs::read(&args.exercise) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let exercise = match parse_exercise(&text) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{name}:{}:{}: error: {}", e.line, e.column, e.message);
            return ExitCode::from(2);
        }
    };
    let (ctx, source) = match project(args, &exercise) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let ev = evaluate(&exercise, &ctx);
    let output = match args.format {
        Format::Text => render_text(&exercise, &source, &ev, args.verbose),
        Format::Json => render_json(&exercise, &source, &ev),
    };
    if let Err(e) = std::io::stdout().lock().write_all(output.as_bytes()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if ev.solved() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
