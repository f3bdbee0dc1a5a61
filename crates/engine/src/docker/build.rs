//! `docker build`: its arguments (parsed like the docker CLI's pflag), the
//! build itself ([`run`]), and BuildKit's plain progress output
//! ([`render_plain`]) or one JSON document ([`report_json`]).

use std::fmt;

use serde_json::{json, Value};

use crate::build::{build, BuildError, BuildOptions, BuildReport, Step, StepKind};
use crate::context::Context;
use crate::digest::short_id;
use crate::shared_sort;
use crate::state::State;
use crate::tools::human_size;

/// `--progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// `auto` (plain when not a terminal, which is always the case here).
    Auto,
    /// `plain`.
    Plain,
    /// `tty`.
    Tty,
    /// `quiet` (or `-q`): only the image ID.
    Quiet,
    /// `json` / `rawjson`: one JSON document.
    Json,
}

/// A `docker build` command line that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError {
    /// The docker CLI's message.
    pub message: String,
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgsError {}

/// A parsed `docker build` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildCommand {
    /// `-t` / `--tag`.
    pub tags: Vec<String>,
    /// `-f` / `--file` (`-` for standard input).
    pub file: Option<String>,
    /// `--build-arg` in order; a name without `=` takes its value from the
    /// client's environment (`None` here: the front end fills it in).
    pub build_args: Vec<(String, Option<String>)>,
    /// `--target`.
    pub target: Option<String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--no-cache-filter` (comma lists split).
    pub no_cache_filter: Vec<String>,
    /// `--progress`.
    pub progress: Progress,
    /// `--platform`.
    pub platform: Option<String>,
    /// `--secret` values.
    pub secrets: Vec<String>,
    /// `--label` values.
    pub labels: Vec<String>,
    /// `--network`.
    pub network: Option<String>,
    /// `--iidfile`.
    pub iidfile: Option<String>,
    /// The context argument (a folder, an archive, `-`).
    pub context: String,
}

const STRING_FLAGS: &[&str] = &[
    "tag",
    "file",
    "build-arg",
    "target",
    "no-cache-filter",
    "progress",
    "platform",
    "secret",
    "label",
    "network",
    "iidfile",
    "metadata-file",
    "cache-from",
    "cache-to",
    "add-host",
    "shm-size",
    "ulimit",
    "build-context",
    "allow",
    "output",
    "provenance",
    "sbom",
    "attest",
    "builder",
    "call",
    "annotation",
    "ssh",
    "cgroup-parent",
];
const BOOL_FLAGS: &[&str] = &[
    "no-cache", "quiet", "pull", "load", "push", "check", "debug", "rm", "force-rm",
];

fn short_name(c: char) -> Option<&'static str> {
    match c {
        't' => Some("tag"),
        'f' => Some("file"),
        'q' => Some("quiet"),
        'o' => Some("output"),
        _ => None,
    }
}

impl BuildCommand {
    /// Parses the words after `docker` (`build ...`, also `buildx build`,
    /// `image build`).
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<BuildCommand, ArgsError> {
        let words: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        let rest: &[&str] = match words.as_slice() {
            ["build", rest @ ..] => rest,
            ["buildx" | "image" | "builder", "build", rest @ ..] => rest,
            rest => rest,
        };
        let mut cmd = BuildCommand {
            tags: Vec::new(),
            file: None,
            build_args: Vec::new(),
            target: None,
            no_cache: false,
            no_cache_filter: Vec::new(),
            progress: Progress::Auto,
            platform: None,
            secrets: Vec::new(),
            labels: Vec::new(),
            network: None,
            iidfile: None,
            context: String::new(),
        };
        let mut positional = Vec::new();
        let mut i = 0;
        let mut no_more_flags = false;
        while i < rest.len() {
            let a = rest[i];
            i += 1;
            if no_more_flags || a == "-" || !a.starts_with('-') {
                positional.push(a.to_string());
                continue;
            }
            if a == "--" {
                no_more_flags = true;
                continue;
            }
            let (name, inline): (String, Option<String>) = if let Some(long) = a.strip_prefix("--")
            {
                match long.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (long.to_string(), None),
                }
            } else {
                // Short flags: -t name, -tname, -t=name, -q.
                let body = &a[1..];
                let mut chars = body.chars();
                let c = chars.next().unwrap_or('-');
                let Some(n) = short_name(c) else {
                    return Err(ArgsError {
                        message: format!(
                            "unknown shorthand flag: '{c}' in {a}\nSee 'docker build --help'."
                        ),
                    });
                };
                let tail = chars.as_str();
                if BOOL_FLAGS.contains(&n) {
                    if !tail.is_empty() {
                        // -qt name: booleans combine with the next flag.
                        let next = format!("-{tail}");
                        let mut more: Vec<String> = vec![next];
                        more.extend(rest[i..].iter().map(|s| s.to_string()));
                        let mut sub = BuildCommand::parse(&more)?;
                        if n == "quiet" {
                            sub.progress = Progress::Quiet;
                        }
                        sub.merge_front(&cmd);
                        return Ok(sub);
                    }
                    (n.to_string(), None)
                } else if tail.is_empty() {
                    (n.to_string(), None)
                } else {
                    (
                        n.to_string(),
                        Some(tail.strip_prefix('=').unwrap_or(tail).to_string()),
                    )
                }
            };
            if BOOL_FLAGS.contains(&name.as_str()) {
                let on = match inline.as_deref() {
                    None => true,
                    Some(v) => match v.to_lowercase().as_str() {
                        "true" | "1" | "t" => true,
                        "false" | "0" | "f" => false,
                        _ => {
                            return Err(ArgsError {
                                message: format!("invalid argument {v:?} for \"--{name}\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax\nSee 'docker build --help'."),
                            })
                        }
                    },
                };
                match name.as_str() {
                    "no-cache" => cmd.no_cache = on,
                    "quiet" if on => cmd.progress = Progress::Quiet,
                    _ => {}
                }
                continue;
            }
            if !STRING_FLAGS.contains(&name.as_str()) {
                return Err(ArgsError {
                    message: format!("unknown flag: --{name}\nSee 'docker build --help'."),
                });
            }
            let value = match inline {
                Some(v) => v,
                None => {
                    let Some(v) = rest.get(i) else {
                        return Err(ArgsError {
                            message: format!(
                                "flag needs an argument: --{name}\nSee 'docker build --help'."
                            ),
                        });
                    };
                    i += 1;
                    v.to_string()
                }
            };
            match name.as_str() {
                "tag" => cmd.tags.push(value),
                "file" => cmd.file = Some(value),
                "build-arg" => match value.split_once('=') {
                    Some((k, v)) => cmd.build_args.push((k.to_string(), Some(v.to_string()))),
                    None => cmd.build_args.push((value, None)),
                },
                "target" => cmd.target = Some(value),
                "no-cache-filter" => cmd
                    .no_cache_filter
                    .extend(value.split(',').filter(|s| !s.is_empty()).map(String::from)),
                "progress" => {
                    cmd.progress = match value.as_str() {
                        "auto" => Progress::Auto,
                        "plain" => Progress::Plain,
                        "tty" => Progress::Tty,
                        "quiet" => Progress::Quiet,
                        "json" | "rawjson" => Progress::Json,
                        other => {
                            return Err(ArgsError {
                                message: format!("invalid progress mode {other:?}: use auto, plain, tty, quiet, rawjson or json"),
                            })
                        }
                    }
                }
                "platform" => cmd.platform = Some(value),
                "secret" => cmd.secrets.push(value),
                "label" => cmd.labels.push(value),
                "network" => cmd.network = Some(value),
                "iidfile" => cmd.iidfile = Some(value),
                _ => {}
            }
        }
        if positional.len() != 1 {
            return Err(ArgsError {
                message: "\"docker buildx build\" requires exactly 1 argument.\nSee 'docker buildx build --help'.\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build".into(),
            });
        }
        cmd.context = positional.remove(0);
        Ok(cmd)
    }

    fn merge_front(&mut self, earlier: &BuildCommand) {
        let mut tags = earlier.tags.clone();
        tags.append(&mut self.tags);
        self.tags = tags;
        let mut args = earlier.build_args.clone();
        args.append(&mut self.build_args);
        self.build_args = args;
        self.no_cache |= earlier.no_cache;
        if self.file.is_none() {
            self.file = earlier.file.clone();
        }
        if self.target.is_none() {
            self.target = earlier.target.clone();
        }
    }

    /// The Dockerfile path inside the context (`Dockerfile` by default).
    pub fn dockerfile_path(&self) -> String {
        match &self.file {
            Some(f) if f != "-" => {
                let f = f.trim_start_matches("./");
                let ctx = self.context.trim_end_matches('/');
                f.strip_prefix(&format!("{ctx}/")).unwrap_or(f).to_string()
            }
            _ => "Dockerfile".to_string(),
        }
    }

    /// The build options this command asks for.
    pub fn options(&self) -> BuildOptions {
        let mut build_args = std::collections::BTreeMap::new();
        for (k, v) in &self.build_args {
            if let Some(v) = v {
                build_args.insert(k.clone(), v.clone());
            }
        }
        BuildOptions {
            dockerfile: self.dockerfile_path(),
            target: self.target.clone(),
            build_args,
            no_cache: self.no_cache,
            no_cache_filter: self.no_cache_filter.clone(),
            tags: self.tags.clone(),
            platform: self.platform.clone(),
        }
    }
}

/// Runs the build a command line asks for over `context`. The Dockerfile
/// is `dockerfile` when given (read by the front end from `-f` or standard
/// input), else the file at [`BuildCommand::dockerfile_path`] in the
/// context.
pub fn run(
    cmd: &BuildCommand,
    context: &Context,
    dockerfile: Option<&str>,
    state: &mut State,
) -> BuildReport {
    let opts = cmd.options();
    let text = match dockerfile {
        Some(t) => t.to_string(),
        None => match context.read(&opts.dockerfile) {
            Some(b) => String::from_utf8_lossy(b).into_owned(),
            None => {
                let mut r = build("", context, &opts, state);
                r.error = Some(BuildError {
                    message: format!(
                        "failed to read dockerfile: open {}: no such file or directory",
                        opts.dockerfile
                    ),
                    line: None,
                    span: None,
                });
                return r;
            }
        },
    };
    build(&text, context, &opts, state)
}

fn secs(s: f64) -> String {
    format!("{}s", crate::numfmt::fixed(s, 1))
}

/// BuildKit's plain progress output (`--progress plain`), deterministic:
/// durations are modelled. `dockerfile` (the text) lets an error show the
/// offending lines as BuildKit does.
pub fn render_plain(report: &BuildReport, dockerfile: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str("#0 building with \"default\" instance using docker driver\n\n");
    let mut n = 1;
    out.push_str(&format!(
        "#{n} [internal] load build definition from Dockerfile\n#{n} transferring dockerfile: {} done\n#{n} DONE 0.0s\n\n",
        human_size(report.dockerfile_bytes as u64)
    ));
    n += 1;
    let mut images: Vec<&crate::build::ResolvedImage> = report.images.iter().collect();
    shared_sort::sort_by(&mut images, |a, b| a.reference.cmp(&b.reference));
    for im in &images {
        let shown = crate::catalog::Reference::parse(&im.reference)
            .map(|r| r.to_string())
            .unwrap_or_else(|_| im.reference.clone());
        out.push_str(&format!(
            "#{n} [internal] load metadata for {shown}\n#{n} DONE {}\n\n",
            if im.pulled { "0.6s" } else { "0.2s" }
        ));
        n += 1;
    }
    let ignore_bytes: usize = report.dockerignore.iter().map(|p| p.len() + 1).sum();
    out.push_str(&format!(
        "#{n} [internal] load .dockerignore\n#{n} transferring context: {} done\n#{n} DONE 0.0s\n\n",
        human_size(ignore_bytes.max(2) as u64)
    ));
    n += 1;
    if let Some((bytes, _)) = report.context_transfer {
        out.push_str(&format!(
            "#{n} [internal] load build context\n#{n} transferring context: {} done\n#{n} DONE 0.0s\n\n",
            human_size(bytes)
        ));
    }
    for s in &report.steps {
        out.push_str(&render_step(s, report));
    }
    if let Some(e) = &report.error {
        out.push_str(&render_error(report, e, dockerfile));
        return out;
    }
    if let Some(img) = &report.image {
        let v = report.steps.last().map_or(n + 1, |s| s.vertex + 1);
        out.push_str(&format!("#{v} exporting to image\n#{v} exporting layers 0.1s done\n#{v} writing image {} done\n", img.id));
        for t in &img.tags {
            out.push_str(&format!("#{v} naming to {t} done\n"));
        }
        out.push_str(&format!("#{v} DONE 0.1s\n"));
    }
    if !report.warnings.is_empty() {
        out.push_str(&format!(
            "\n {} warning{} found (use docker --debug to expand):\n",
            report.warnings.len(),
            if report.warnings.len() == 1 { "" } else { "s" }
        ));
        for w in &report.warnings {
            out.push_str(&format!(" - {}: {} (line {})\n", w.rule, w.message, w.line));
        }
    }
    out
}

fn render_step(s: &Step, report: &BuildReport) -> String {
    let v = s.vertex;
    let mut out = format!("#{v} {}\n", s.name);
    if s.kind == StepKind::From {
        let pinned = s.instruction.trim_start_matches("FROM ").to_string();
        let pulled = report.images.iter().any(|i| i.pinned == pinned && i.pulled);
        out.push_str(&format!("#{v} resolve {pinned} done\n"));
        if pulled {
            if let Some(size) = s.layer_size {
                out.push_str(&format!(
                    "#{v} sha256:{} {} / {} {} done\n",
                    &short_id(&s.key),
                    human_size(size),
                    human_size(size),
                    secs(s.duration_s)
                ));
                out.push_str(&format!(
                    "#{v} extracting sha256:{} done\n",
                    short_id(&s.key)
                ));
            }
        }
        if s.cached {
            out.push_str(&format!("#{v} CACHED\n\n"));
        } else {
            out.push_str(&format!("#{v} DONE {}\n\n", secs(s.duration_s)));
        }
        return out;
    }
    if s.cached {
        out.push_str(&format!("#{v} CACHED\n\n"));
        return out;
    }
    let lines = s.output.len().max(1) as f64;
    for (k, line) in s.output.iter().enumerate() {
        let t = 0.1 + s.duration_s * (k as f64) / lines;
        out.push_str(&format!("#{v} {} {line}\n", crate::numfmt::fixed(t, 3)));
    }
    for note in &s.notes {
        out.push_str(&format!("#{v} (layerlab) {note}\n"));
    }
    if let Some(e) = &s.error {
        out.push_str(&format!("#{v} ERROR: {e}\n\n"));
    } else {
        out.push_str(&format!("#{v} DONE {}\n\n", secs(s.duration_s)));
    }
    out
}

fn render_error(report: &BuildReport, e: &BuildError, dockerfile: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(s) = report.steps.iter().find(|s| s.error.is_some()) {
        out.push_str(&format!("------\n > {}:\n", s.name));
        for line in s.output.iter().rev().take(10).rev() {
            out.push_str(&format!("0.100 {line}\n"));
        }
        out.push_str("------\n");
    }
    if let (Some(line), Some(text)) = (e.line, dockerfile) {
        let lines: Vec<&str> = text.lines().collect();
        out.push_str(&format!("Dockerfile:{line}\n--------------------\n"));
        let from = line.saturating_sub(2).max(1);
        let to = (line + 2).min(lines.len());
        for l in from..=to {
            let marker = if l == line { ">>>" } else { "   " };
            if let Some(t) = lines.get(l - 1) {
                out.push_str(&format!("{l:>4} | {marker} {t}\n"));
            }
        }
        out.push_str("--------------------\n");
    }
    out.push_str(&format!("ERROR: failed to solve: {}\n", e.message));
    out
}

/// The build as one JSON document (`--progress json`, `--json`):
/// `{"image": {"id", "tags", "size"}, "steps": [...], "skipped_stages",
/// "warnings"}`, or `{"error": {"message", "line"}, "steps": [...]}`.
pub fn report_json(report: &BuildReport) -> Value {
    let steps: Vec<Value> = report
        .steps
        .iter()
        .map(|s| {
            json!({
                "vertex": s.vertex,
                "name": s.name,
                "stage": s.stage,
                "index": s.index,
                "total": s.total,
                "instruction": s.instruction,
                "cached": s.cached,
                "reason": s.reason,
                "duration_s": s.duration_s,
                "start_s": s.start_s,
                "layer_size": s.layer_size,
                "line": s.line,
                "notes": s.notes,
            })
        })
        .collect();
    let warnings: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| json!({"rule": w.rule, "message": w.message, "line": w.line}))
        .collect();
    match (&report.error, &report.image) {
        (Some(e), _) => json!({
            "error": {"message": e.message, "line": e.line},
            "steps": steps,
            "skipped_stages": report.skipped_stages,
            "warnings": warnings,
        }),
        (None, Some(img)) => json!({
            "image": {"id": img.id, "tags": img.tags, "size": img.size},
            "steps": steps,
            "skipped_stages": report.skipped_stages,
            "warnings": warnings,
            "duration_s": report.duration_s,
        }),
        (None, None) => {
            json!({"steps": steps, "skipped_stages": report.skipped_stages, "warnings": warnings})
        }
    }
}

/// `-q` output: the image ID.
pub fn render_quiet(report: &BuildReport) -> String {
    match &report.image {
        Some(img) => format!("{}\n", img.id),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<BuildCommand, ArgsError> {
        BuildCommand::parse(args)
    }

    #[test]
    fn parses_docker_build_flags() {
        let c = p(&[
            "build",
            "-t",
            "aspnetapp",
            "--build-arg",
            "V=1",
            "--build-arg=W=2",
            "--no-cache-filter",
            "build,final",
            "--target=build",
            "-f",
            "Dockerfile.dev",
            ".",
        ]);
        let Ok(c) = c else {
            panic!("{c:?}");
        };
        assert_eq!(c.tags, ["aspnetapp"]);
        assert_eq!(
            c.build_args,
            [
                ("V".into(), Some("1".into())),
                ("W".into(), Some("2".into()))
            ]
        );
        assert_eq!(c.no_cache_filter, ["build", "final"]);
        assert_eq!(c.target.as_deref(), Some("build"));
        assert_eq!(c.dockerfile_path(), "Dockerfile.dev");
        assert_eq!(c.context, ".");
        let c = p(&["build", "--no-cache", "-taspnetapp", "."]);
        assert!(c.is_ok_and(|c| c.no_cache && c.tags == ["aspnetapp"]));
        let c = p(&["build", "-qt", "x", "."]);
        assert!(c.is_ok_and(|c| c.progress == Progress::Quiet && c.tags == ["x"]));
    }

    #[test]
    fn argument_errors_like_docker() {
        assert!(p(&["build"]).is_err_and(|e| e.message.contains("requires exactly 1 argument")));
        assert!(p(&["build", "--nope", "."])
            .is_err_and(|e| e.message.starts_with("unknown flag: --nope")));
        assert!(p(&["build", "-x", "."])
            .is_err_and(|e| e.message.starts_with("unknown shorthand flag: 'x' in -x")));
        assert!(p(&["build", ".", "--tag"])
            .is_err_and(|e| e.message.starts_with("flag needs an argument: --tag")));
        assert!(p(&["build", "--progress", "fancy", "."]).is_err());
    }
}
