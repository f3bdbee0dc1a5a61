//! Evaluating an exercise's checks against a project: pure and
//! deterministic (every build starts from a fresh
//! [`State`](crate::state::State)), with a reason a learner understands for
//! every pass and every failure.

use serde::Serialize;

use super::check::{Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf};
use super::pattern::{image_matches, PathGlob, StepMatcher};
use super::Exercise;
use crate::build::{build, BuildOptions, BuildReport, BuiltImage, Step, StepKind};
use crate::cache::MissReason;
use crate::context::{Context, ContextEntry, DEFAULT_FILE_MODE};
use crate::lint::{self, ImageLookup, LintOptions};
use crate::run::{
    is_shell_form, parse_run_args, plan_run, resolve_user, ContainerInput, HostInput, PortStatus,
    RunCommand,
};
use crate::state::State;
use crate::tools::human_size;

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Index of the check in the exercise (0-based).
    pub index: usize,
    /// The check's kind (`cache`, `image_size`...).
    pub kind: &'static str,
    /// Its label (Markdown inline).
    pub title: String,
    /// Pass or fail.
    pub passed: bool,
    /// Why, in one or two sentences (Markdown inline).
    pub reason: String,
    /// Supporting facts (one per line, Markdown inline), e.g. the steps of
    /// the rebuild or the largest layers.
    pub details: Vec<String>,
    /// The Dockerfile line the reason is about, when there is one
    /// (1-based), for the editor to highlight.
    pub line: Option<usize>,
}

/// The outcome of all checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// One result per check, in exercise order.
    pub results: Vec<CheckResult>,
    /// How many passed.
    pub passed: usize,
    /// How many failed.
    pub failed: usize,
}

impl Evaluation {
    /// True when every check passed.
    pub fn solved(&self) -> bool {
        self.failed == 0 && !self.results.is_empty()
    }
}

/// Evaluates every check of `exercise` against `project` (the learner's
/// files: the Dockerfile at [`Exercise::dockerfile`] and its context).
pub fn evaluate(exercise: &Exercise, project: &Context) -> Evaluation {
    let mut ev = Evaluator {
        exercise,
        project,
        builds: Vec::new(),
    };
    let results: Vec<CheckResult> = exercise
        .checks
        .iter()
        .enumerate()
        .map(|(i, spec)| ev.check(i, spec))
        .collect();
    let passed = results.iter().filter(|r| r.passed).count();
    Evaluation {
        failed: results.len() - passed,
        passed,
        results,
    }
}

/// A check's verdict before it is labelled.
struct Verdict {
    passed: bool,
    reason: String,
    details: Vec<String>,
    line: Option<usize>,
}

impl Verdict {
    fn pass(reason: impl Into<String>) -> Verdict {
        Verdict {
            passed: true,
            reason: reason.into(),
            details: Vec::new(),
            line: None,
        }
    }

    fn fail(reason: impl Into<String>) -> Verdict {
        Verdict {
            passed: false,
            reason: reason.into(),
            details: Vec::new(),
            line: None,
        }
    }

    fn at(mut self, line: Option<usize>) -> Verdict {
        self.line = line;
        self
    }

    fn with(mut self, details: Vec<String>) -> Verdict {
        self.details = details;
        self
    }
}

/// A build and the state after it.
struct Built {
    report: BuildReport,
    state: State,
}

struct Evaluator<'a> {
    exercise: &'a Exercise,
    project: &'a Context,
    /// The builds made so far, by target: a few at most, so a vector
    /// searched in order (not a map type of its own in the wasm).
    builds: Vec<(Option<String>, Result<Built, Verdict>)>,
}

/// Looks base images up in the catalog (for the build checks that read
/// a base image's ENV, such as UndefinedVar).
struct Catalog;

impl ImageLookup for Catalog {
    fn lookup(&self, name: &str, normalized: &str, _platform: &str) -> Option<lint::BaseImage> {
        let img = crate::catalog::resolve(normalized)
            .or_else(|_| crate::catalog::resolve(name))
            .ok()?;
        img.known.then_some(lint::BaseImage {
            config: img.config,
            platform: None,
        })
    }
}

fn tick(s: &str) -> String {
    format!("`{s}`")
}

/// `["dotnet", "aspnetapp.dll"]`.
fn argv_text(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn dockerfile_text(exercise: &Exercise, ctx: &Context) -> Result<String, Verdict> {
    match ctx.read(&exercise.dockerfile) {
        Some(b) => Ok(String::from_utf8_lossy(b).into_owned()),
        None => Err(Verdict::fail(format!(
            "the project has no `{}`",
            exercise.dockerfile
        ))),
    }
}

fn build_options(exercise: &Exercise, target: Option<String>) -> BuildOptions {
    BuildOptions {
        dockerfile: exercise.dockerfile.clone(),
        target,
        build_args: exercise.build.build_args.clone(),
        tags: exercise.build.tags.clone(),
        ..BuildOptions::default()
    }
}

/// The failure of a build, for a learner.
fn build_failure(report: &BuildReport, what: &str) -> Verdict {
    let (message, line) = match &report.error {
        Some(e) => (e.message.clone(), e.line),
        None => ("it produced no image".to_string(), None),
    };
    let mut v = Verdict::fail(format!("{what} failed: {message}"));
    if let Some(l) = line {
        v.reason.push_str(&format!(" (Dockerfile line {l})"));
    }
    let failed: Vec<String> = report
        .steps
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| format!("{}: {e}", s.name)))
        .collect();
    v.at(line).with(failed)
}

/// Builds the learner's project for `target`.
fn build_for(
    exercise: &Exercise,
    project: &Context,
    target: Option<String>,
) -> Result<Built, Verdict> {
    let text = dockerfile_text(exercise, project)?;
    let mut state = State::new();
    let report = build(&text, project, &build_options(exercise, target), &mut state);
    if report.image.is_some() && report.error.is_none() {
        Ok(Built { report, state })
    } else {
        Err(build_failure(&report, "the build"))
    }
}

impl Evaluator<'_> {
    fn target_of(&self, spec: &CheckSpec) -> Option<String> {
        spec.target
            .clone()
            .or_else(|| self.exercise.build.target.clone())
    }

    /// The build for `target`, made once.
    fn built(&mut self, target: Option<String>) -> Result<&Built, &Verdict> {
        let at = match self.builds.iter().position(|(t, _)| *t == target) {
            Some(at) => at,
            None => {
                let made = build_for(self.exercise, self.project, target.clone());
                self.builds.push((target, made));
                self.builds.len() - 1
            }
        };
        self.builds[at].1.as_ref()
    }

    fn image(&mut self, spec: &CheckSpec) -> Result<BuiltImage, Verdict> {
        let target = self.target_of(spec);
        match self.built(target) {
            Ok(b) => b
                .report
                .image
                .clone()
                .ok_or_else(|| Verdict::fail("the build produced no image")),
            Err(v) => Err(copy_verdict(v)),
        }
    }

    fn check(&mut self, index: usize, spec: &CheckSpec) -> CheckResult {
        let v = match self.verdict(spec) {
            Ok(v) | Err(v) => v,
        };
        CheckResult {
            index,
            kind: spec.check.kind(),
            title: spec.title(),
            passed: v.passed,
            reason: v.reason,
            details: v.details,
            line: v.line,
        }
    }

    fn verdict(&mut self, spec: &CheckSpec) -> Result<Verdict, Verdict> {
        Ok(match &spec.check {
            Check::Builds => {
                let target = self.target_of(spec);
                let b = self.built(target.clone()).map_err(copy_verdict)?;
                let img = b.report.image.as_ref();
                let steps = b.report.steps.len();
                let size = img.map_or(0, |i| i.size);
                let what = match &target {
                    Some(t) => format!("`docker build --target {t}`"),
                    None => "the build".to_string(),
                };
                Verdict::pass(format!(
                    "{what} succeeded: {} and an image of {}",
                    plural(steps, "step", "steps"),
                    human_size(size)
                ))
            }
            Check::Cache {
                edits,
                cached,
                not_cached,
            } => self.cache(spec, edits, cached, not_cached)?,
            Check::ImageSize { min, max } => {
                let img = self.image(spec)?;
                size_verdict(&img, *min, *max)
            }
            Check::Files { present, absent } => {
                let img = self.image(spec)?;
                files_verdict(&img, present, absent)
            }
            Check::BaseImages { present, absent } => {
                let img = self.image(spec)?;
                base_images_verdict(&img, present, absent)
            }
            Check::NonRoot => {
                let img = self.image(spec)?;
                non_root_verdict(&img)
            }
            Check::ExecForm { instruction } => {
                let img = self.image(spec)?;
                exec_form_verdict(&img, *instruction)
            }
            Check::Exposes { ports } => {
                let img = self.image(spec)?;
                let have: Vec<String> = img.config.exposed_ports.keys().cloned().collect();
                let missing: Vec<String> = ports
                    .iter()
                    .filter(|p| !have.contains(p))
                    .cloned()
                    .collect();
                let have_text = if have.is_empty() {
                    "nothing".to_string()
                } else {
                    have.join(", ")
                };
                if missing.is_empty() {
                    Verdict::pass(format!("the image EXPOSEs {have_text}"))
                } else {
                    Verdict::fail(format!(
                        "the image does not EXPOSE {} (it EXPOSEs {have_text})",
                        missing.join(", ")
                    ))
                }
            }
            Check::Healthcheck => {
                let img = self.image(spec)?;
                match &img.config.healthcheck {
                    None => Verdict::fail("the image has no HEALTHCHECK"),
                    Some(h) if h.test.first().is_none_or(|t| t == "NONE") => Verdict::fail(
                        "the image's HEALTHCHECK is NONE, which turns health checks off",
                    ),
                    Some(h) => {
                        let cmd = match h.test.split_first() {
                            Some((kind, rest)) if kind == "CMD-SHELL" => rest.join(" "),
                            Some((_, rest)) => argv_text(rest),
                            None => String::new(),
                        };
                        Verdict::pass(format!("the image has a HEALTHCHECK: `{cmd}`"))
                    }
                }
            }
            Check::Env { name, value } => {
                let img = self.image(spec)?;
                match (img.config.env_value(name), value) {
                    (None, _) => Verdict::fail(format!("the image does not set `{name}`")),
                    (Some(v), Some(want)) if v != want => {
                        Verdict::fail(format!("the image sets `{name}={v}`, not `{name}={want}`"))
                    }
                    (Some(v), _) => Verdict::pass(format!("the image sets `{name}={v}`")),
                }
            }
            Check::Workdir { path } => {
                let img = self.image(spec)?;
                let have = img.config.working_dir.trim_end_matches('/');
                let want = path.trim_end_matches('/');
                let have_text = if have.is_empty() { "/" } else { have };
                let want_text = if want.is_empty() { "/" } else { want };
                if have_text == want_text {
                    Verdict::pass(format!("the process starts in `{have_text}`"))
                } else {
                    Verdict::fail(format!(
                        "the image's WORKDIR is `{have_text}`, not `{want_text}`"
                    ))
                }
            }
            Check::Lint { ignore, rules } => self.lint(spec, ignore, rules)?,
            Check::Run {
                args,
                argv,
                answers_on,
                listening,
            } => {
                let img = self.image(spec)?;
                run_verdict(&img, args, argv.as_deref(), answers_on, listening)
            }
            Check::StageCount(range) => {
                let text = dockerfile_text(self.exercise, self.project)?;
                match layerlab_syntax::parse(&text) {
                    Err(e) => Verdict::fail(format!(
                        "the Dockerfile does not parse: {} (line {})",
                        e.message, e.line
                    ))
                    .at(Some(e.line)),
                    Ok(df) => {
                        let n = df.instructions.iter().filter(|i| i.is("FROM")).count();
                        count_verdict(n as u64, *range, "the Dockerfile has", "stage", "stages")
                    }
                }
            }
            Check::LayerCount { range, own_only } => {
                let img = self.image(spec)?;
                let n = img
                    .layers
                    .iter()
                    .filter(|l| !own_only || l.base.is_none())
                    .count();
                let what = if *own_only {
                    "the Dockerfile adds"
                } else {
                    "the final image has"
                };
                let v = count_verdict(n as u64, *range, what, "layer", "layers");
                let details = img
                    .layers
                    .iter()
                    .filter(|l| !own_only || l.base.is_none())
                    .map(|l| format!("{} `{}`", human_size(l.size), l.created_by))
                    .collect();
                v.with(details)
            }
        })
    }

    fn lint(
        &mut self,
        spec: &CheckSpec,
        ignore: &[String],
        rules: &[String],
    ) -> Result<Verdict, Verdict> {
        let text = dockerfile_text(self.exercise, self.project)?;
        let ignore_file = self
            .project
            .read(&format!("{}.dockerignore", self.exercise.dockerfile))
            .or_else(|| self.project.read(".dockerignore"));
        let options = LintOptions {
            images: Some(&Catalog),
            dockerignore: ignore_file.map(|b| lint::read_dockerignore(&String::from_utf8_lossy(b))),
            build_args: self.exercise.build.build_args.clone(),
            target: self.target_of(spec),
            ..LintOptions::default()
        };
        let report = lint::lint_source(&text, &options);
        if let Some(e) = &report.error {
            let mut v = Verdict::fail(format!(
                "the build checks stop with an error: {}",
                e.message
            ));
            if let Some(l) = e.line {
                v.reason.push_str(&format!(" (line {l})"));
            }
            return Ok(v.at(e.line));
        }
        let counted: Vec<&lint::Diagnostic> = report
            .warnings
            .iter()
            .filter(|w| !ignore.iter().any(|r| r == w.rule))
            .filter(|w| rules.is_empty() || rules.iter().any(|r| r == w.rule))
            .collect();
        if counted.is_empty() {
            let others = report.warnings.len();
            let mut reason = "BuildKit's build checks find nothing to warn about".to_string();
            if others > 0 {
                reason.push_str(&format!(
                    " (besides {} this check does not count)",
                    plural(others, "warning", "warnings")
                ));
            }
            return Ok(Verdict::pass(reason));
        }
        let details = counted
            .iter()
            .map(|w| {
                format!(
                    "line {}: {}: {} ({})",
                    w.line, w.rule, w.message, w.how_to_fix
                )
            })
            .collect();
        let first = counted.first().map(|w| w.line);
        let reason = match counted.as_slice() {
            [w] => format!("line {}: {}: {}", w.line, w.rule, w.message),
            ws => format!(
                "{} remain, the first on line {}: {}: {}",
                plural(ws.len(), "warning", "warnings"),
                ws[0].line,
                ws[0].rule,
                ws[0].message
            ),
        };
        Ok(Verdict::fail(reason).at(first).with(details))
    }

    fn cache(
        &mut self,
        spec: &CheckSpec,
        edits: &[Edit],
        cached: &[String],
        not_cached: &[String],
    ) -> Result<Verdict, Verdict> {
        let target = self.target_of(spec);
        let exercise = self.exercise;
        let edited = apply_edits(self.project, edits)?;
        let first = self.built(target.clone()).map_err(|v| {
            let mut v = copy_verdict(v);
            v.reason = format!("before any edit, {}", v.reason);
            v
        })?;
        let mut state = first.state.clone();
        let text = dockerfile_text(exercise, &edited)?;
        let report = build(&text, &edited, &build_options(exercise, target), &mut state);
        let after = describe_edits(edits);
        if report.error.is_some() {
            return Err(build_failure(
                &report,
                &format!("the rebuild after {after}"),
            ));
        }
        let mut problems: Vec<(String, Option<usize>)> = Vec::new();
        let mut good: Vec<String> = Vec::new();
        for (matchers, want_cached) in [(cached, true), (not_cached, false)] {
            for m in matchers {
                let matcher = StepMatcher::new(m);
                let steps: Vec<&Step> = report
                    .steps
                    .iter()
                    .filter(|s| matcher.matches(&s.instruction))
                    .collect();
                if steps.is_empty() {
                    problems.push((format!("no build step matches {}", tick(m)), None));
                    continue;
                }
                for s in steps {
                    let label = tick(&s.instruction);
                    match (want_cached, s.cached) {
                        (true, true) => good.push(format!("{label} is CACHED")),
                        (false, false) => {
                            good.push(format!("{label} ran again because {}", cause(&report, s)))
                        }
                        (true, false) => problems.push((
                            format!("{label} re-ran because {}", cause(&report, s)),
                            Some(s.line),
                        )),
                        (false, true) => problems.push((
                            format!("{label} was CACHED, but it should run again after {after}"),
                            Some(s.line),
                        )),
                    }
                }
            }
        }
        let details = report.steps.iter().map(step_line).collect();
        if problems.is_empty() {
            Ok(Verdict::pass(format!("after {after}, {}", good.join("; "))).with(details))
        } else {
            let line = problems.iter().find_map(|(_, l)| *l);
            let reason = problems
                .into_iter()
                .map(|(p, _)| p)
                .collect::<Vec<_>>()
                .join("; ");
            Ok(Verdict::fail(format!("after {after}, {reason}"))
                .at(line)
                .with(details))
        }
    }
}

fn copy_verdict(v: &Verdict) -> Verdict {
    Verdict {
        passed: v.passed,
        reason: v.reason.clone(),
        details: v.details.clone(),
        line: v.line,
    }
}

/// `[build 5/8] RUN dotnet restore: CACHED` / `...: ran (reason)`.
fn step_line(s: &Step) -> String {
    if s.cached {
        format!("{}: CACHED", s.name)
    } else {
        match (&s.kind, &s.miss) {
            (StepKind::From, Some(MissReason::NotLoaded)) => format!("{}: not loaded", s.name),
            _ => format!(
                "{}: ran ({})",
                s.name,
                s.reason
                    .clone()
                    .unwrap_or_else(|| "not in the cache".into())
            ),
        }
    }
}

/// Why a step ran, followed to the step that started it: `file X changed`
/// or `` `COPY . .` before it re-ran: file X changed ``.
fn cause(report: &BuildReport, step: &Step) -> String {
    let mut cur = step;
    for _ in 0..report.steps.len() {
        let Some(MissReason::PreviousStepRan { step: name }) = &cur.miss else {
            break;
        };
        match report.steps.iter().find(|s| &s.name == name) {
            Some(prev) if !std::ptr::eq(prev, cur) => cur = prev,
            _ => break,
        }
    }
    let reason = cur
        .reason
        .clone()
        .or_else(|| cur.miss.as_ref().map(|m| m.to_string()))
        .unwrap_or_else(|| "it was not in the cache".to_string());
    if std::ptr::eq(cur, step) {
        reason
    } else {
        format!("{} before it re-ran: {reason}", tick(&cur.instruction))
    }
}

fn describe_edits(edits: &[Edit]) -> String {
    if edits.is_empty() {
        return "a rebuild with no change".to_string();
    }
    let parts: Vec<String> = edits.iter().map(Edit::describe).collect();
    match parts.as_slice() {
        [a] => a.clone(),
        _ => {
            let (last, rest) = parts
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("{} and {last}", rest.join(", "))
        }
    }
}

/// The project with the edits made.
fn apply_edits(project: &Context, edits: &[Edit]) -> Result<Context, Verdict> {
    let mut ctx = project.clone();
    for e in edits {
        let (old, mode) = match ctx.get(&e.file) {
            Some(ContextEntry::File { content, mode }) => (Some(content.clone()), *mode),
            _ => (None, DEFAULT_FILE_MODE),
        };
        let missing = || {
            Verdict::fail(format!(
                "the check edits `{}`, which is not in the project",
                e.file
            ))
        };
        let new = match &e.action {
            EditAction::Delete => {
                if old.is_none() {
                    return Err(missing());
                }
                ctx.remove(&e.file);
                continue;
            }
            EditAction::Content(c) => c.as_bytes().to_vec(),
            EditAction::Append(t) => {
                let mut b = old.ok_or_else(missing)?;
                b.extend_from_slice(t.as_bytes());
                b
            }
            EditAction::Prepend(t) => {
                let mut b = t.as_bytes().to_vec();
                b.extend_from_slice(&old.ok_or_else(missing)?);
                b
            }
            EditAction::Replace { from, to } => {
                let b = old.ok_or_else(missing)?;
                let s = String::from_utf8_lossy(&b);
                if !s.contains(from.as_str()) {
                    return Err(Verdict::fail(format!(
                        "the check edits `{}`, but it no longer contains {from:?}",
                        e.file
                    )));
                }
                s.replacen(from.as_str(), to, 1).into_bytes()
            }
        };
        ctx.insert_file(&e.file, new, mode)
            .map_err(|err| Verdict::fail(format!("cannot edit `{}`: {err}", e.file)))?;
    }
    Ok(ctx)
}

/// Size of the layers by origin: each base image, then the Dockerfile's.
fn size_by_origin(img: &BuiltImage) -> Vec<String> {
    let mut by: Vec<(String, u64, usize)> = Vec::new();
    for l in &img.layers {
        let origin = match &l.base {
            Some(b) => format!("layers from `{b}`"),
            None => "layers the Dockerfile adds".to_string(),
        };
        match by.iter_mut().find(|(o, _, _)| *o == origin) {
            Some(e) => {
                e.1 += l.size;
                e.2 += 1;
            }
            None => by.push((origin, l.size, 1)),
        }
    }
    by.into_iter()
        .map(|(o, s, n)| format!("{} ({n}): {}", o, human_size(s)))
        .collect()
}

fn size_verdict(img: &BuiltImage, min: Option<u64>, max: Option<u64>) -> Verdict {
    let size = img.size;
    let h = human_size;
    let details = size_by_origin(img);
    if let Some(m) = max {
        if size > m {
            return Verdict::fail(format!(
                "the final image is {} ({size} bytes), more than {}",
                h(size),
                h(m)
            ))
            .with(details);
        }
    }
    if let Some(m) = min {
        if size < m {
            return Verdict::fail(format!(
                "the final image is {} ({size} bytes), less than {}",
                h(size),
                h(m)
            ))
            .with(details);
        }
    }
    let bound = match (min, max) {
        (_, Some(m)) => format!("at most {}", h(m)),
        (Some(m), None) => format!("at least {}", h(m)),
        (None, None) => String::new(),
    };
    Verdict::pass(format!("the final image is {} ({bound})", h(size))).with(details)
}

fn files_verdict(img: &BuiltImage, present: &[String], absent: &[String]) -> Verdict {
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for p in present {
        let Ok(g) = PathGlob::new(p) else { continue };
        match img.filesystem.iter().find(|(path, _)| g.matches(path)) {
            Some((path, _)) => good.push(format!("{} is there ({path})", tick(p))),
            None => problems.push(format!("nothing in the final image matches {}", tick(p))),
        }
    }
    for p in absent {
        let Ok(g) = PathGlob::new(p) else { continue };
        let found: Vec<&String> = img
            .filesystem
            .iter()
            .map(|(path, _)| path)
            .filter(|path| g.matches(path))
            .collect();
        // Show the top-most matches (not every file under a matched folder).
        let top: Vec<&String> = found
            .iter()
            .filter(|path| {
                !found
                    .iter()
                    .any(|other| other.len() < path.len() && path.starts_with(&format!("{other}/")))
            })
            .copied()
            .collect();
        if top.is_empty() {
            good.push(format!("nothing matches {}", tick(p)));
        } else {
            let mut shown: Vec<String> = top.iter().take(3).map(|s| tick(s)).collect();
            if top.len() > 3 {
                shown.push(format!("{} more", top.len() - 3));
            }
            let only_itself = top.len() == 1 && *top[0] == normalized_glob(p);
            if only_itself {
                problems.push(format!("the final image has {}", shown.join(", ")));
            } else {
                problems.push(format!(
                    "the final image has {} (matching {})",
                    shown.join(", "),
                    tick(p)
                ));
            }
        }
    }
    if problems.is_empty() {
        Verdict::pass(good.join("; "))
    } else {
        Verdict::fail(problems.join("; "))
    }
}

/// A glob as an absolute path without a trailing `/` (what it names when
/// it has no wildcard).
fn normalized_glob(p: &str) -> String {
    let t = p.trim().trim_end_matches('/');
    if t.starts_with('/') {
        t.to_string()
    } else {
        format!("/{t}")
    }
}

fn base_images_verdict(img: &BuiltImage, present: &[String], absent: &[String]) -> Verdict {
    let mut bases: Vec<(String, u64, usize)> = Vec::new();
    for l in &img.layers {
        if let Some(b) = &l.base {
            match bases.iter_mut().find(|(n, _, _)| n == b) {
                Some(e) => {
                    e.1 += l.size;
                    e.2 += 1;
                }
                None => bases.push((b.clone(), l.size, 1)),
            }
        }
    }
    let built_on = if bases.is_empty() {
        "no base image (scratch)".to_string()
    } else {
        bases
            .iter()
            .map(|(n, _, _)| tick(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut problems = Vec::new();
    let mut good = Vec::new();
    for p in absent {
        for (name, size, n) in bases.iter().filter(|(n, _, _)| image_matches(p, n)) {
            problems.push(format!(
                "the final image has {} ({}) from {}",
                plural(*n, "layer", "layers"),
                human_size(*size),
                tick(name)
            ));
        }
        if !bases.iter().any(|(n, _, _)| image_matches(p, n)) {
            good.push(format!("no layers from {}", tick(p)));
        }
    }
    for p in present {
        if bases.iter().any(|(n, _, _)| image_matches(p, n)) {
            good.push(format!("it is built on {}", tick(p)));
        } else {
            problems.push(format!("the final image has no layers from {}", tick(p)));
        }
    }
    let details = vec![format!("the final image is built on {built_on}")];
    if problems.is_empty() {
        Verdict::pass(format!("{} (built on {built_on})", good.join("; "))).with(details)
    } else {
        Verdict::fail(problems.join("; ")).with(details)
    }
}

fn read_text(img: &BuiltImage, path: &str) -> Option<String> {
    img.filesystem
        .read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(b).into_owned())
}

fn non_root_verdict(img: &BuiltImage) -> Verdict {
    let spec = img.config.user.as_str();
    let passwd = read_text(img, "/etc/passwd");
    let group = read_text(img, "/etc/group");
    match resolve_user(spec, passwd.as_deref(), group.as_deref()) {
        Err(e) => Verdict::fail(format!(
            "`USER {spec}` does not resolve, so `docker run` would fail: {e}"
        )),
        Ok(u) if u.uid == 0 => {
            if spec.is_empty() {
                Verdict::fail("the image sets no USER, so the process runs as root (uid 0)")
            } else {
                Verdict::fail(format!("`USER {spec}` is root (uid 0)"))
            }
        }
        Ok(u) => Verdict::pass(format!(
            "the process runs as {} (uid {}, from `USER {spec}`)",
            u.display_name(),
            u.uid
        )),
    }
}

fn exec_form_verdict(img: &BuiltImage, of: ExecFormOf) -> Verdict {
    let kw = of.keyword();
    let value = match of {
        ExecFormOf::Entrypoint => &img.config.entrypoint,
        ExecFormOf::Cmd => &img.config.cmd,
    };
    match value {
        None => Verdict::fail(format!("the image has no {kw}")),
        Some(v) if is_shell_form(v, &img.config) => Verdict::fail(format!(
            "{kw} is in shell form (stored as `{}`): a shell is PID 1, so `docker stop`'s SIGTERM never reaches the app; write {kw} [\"program\", \"arg\"]",
            argv_text(v)
        )),
        Some(v) if v.is_empty() => Verdict::fail(format!("the image's {kw} is empty")),
        Some(v) => Verdict::pass(format!("{kw} is `{}`", argv_text(v))),
    }
}

fn count_verdict(n: u64, range: CountRange, what: &str, one: &str, many: &str) -> Verdict {
    let have = format!("{what} {}", plural(n as usize, one, many));
    if range.contains(n) {
        Verdict::pass(format!("{have} ({} expected)", range.describe()))
    } else {
        Verdict::fail(format!("{have}, not {}", range.describe()))
    }
}

fn run_verdict(
    img: &BuiltImage,
    args: &[String],
    argv: Option<&[String]>,
    answers_on: &[u16],
    listening: &[u16],
) -> Verdict {
    let command = format!("`docker run {}`", args.join(" "));
    let opts = match parse_run_args(RunCommand::Run, args, &HostInput::default()) {
        Ok(o) => o,
        Err(e) => return Verdict::fail(format!("{command} fails: {}", e.message)),
    };
    let id = img.id.trim_start_matches("sha256:");
    let input = ContainerInput {
        passwd: read_text(img, "/etc/passwd"),
        group: read_text(img, "/etc/group"),
        ..ContainerInput::new(id)
    };
    let plan = match plan_run(&opts, &img.config, &input) {
        Ok(p) => p,
        Err(e) => return Verdict::fail(format!("{command} fails: {}", e.message)),
    };
    let mut problems = Vec::new();
    let mut good = Vec::new();
    if let Some(want) = argv {
        if plan.argv == want {
            good.push(format!("runs `{}`", argv_text(&plan.argv)));
        } else {
            problems.push(format!(
                "the container runs `{}`, not `{}`",
                argv_text(&plan.argv),
                argv_text(want)
            ));
        }
    }
    let published: Vec<String> = plan.ports.iter().map(|p| p.display()).collect();
    for port in answers_on {
        match plan.ports.iter().find(|p| p.host_port == *port) {
            None => problems.push(format!(
                "it publishes no host port {port} (it publishes {})",
                if published.is_empty() {
                    "nothing".to_string()
                } else {
                    published.join(", ")
                }
            )),
            Some(m) if m.status == PortStatus::Listening => good.push(format!(
                "host port {port} reaches container port {}: {}",
                m.container_port, m.message
            )),
            Some(m) => problems.push(format!(
                "host port {port} goes to container port {}, but {}",
                m.container_port,
                lower_first(&m.message)
            )),
        }
    }
    for port in listening {
        match plan.listening.iter().find(|l| l.port == *port) {
            Some(l) if l.all_interfaces => good.push(format!("the process listens on {port} ({})", l.reason)),
            Some(l) => problems.push(format!(
                "the process listens on {port} only on {} inside the container, which a published port cannot reach",
                l.address
            )),
            None => {
                let on: Vec<String> = plan.listening.iter().map(|l| l.port.to_string()).collect();
                problems.push(if on.is_empty() {
                    format!("nothing is known to listen on port {port}")
                } else {
                    format!("the process listens on {}, not {port}", on.join(", "))
                });
            }
        }
    }
    let mut details = vec![format!(
        "process: `{}` as {}",
        argv_text(&plan.argv),
        plan.user.display_name()
    )];
    details.extend(
        plan.ports
            .iter()
            .map(|p| format!("{}: {}", p.display(), p.message)),
    );
    // Warnings that repeat a port's message are left out.
    details.extend(
        plan.warnings
            .iter()
            .filter(|w| !plan.ports.iter().any(|p| w.contains(&p.message)))
            .cloned(),
    );
    if problems.is_empty() {
        Verdict::pass(format!("{command} {}", good.join("; "))).with(details)
    } else {
        Verdict::fail(format!("with {command}, {}", problems.join("; "))).with(details)
    }
}

/// `The app...` -> `the app...`, leaving names (`ASP.NET`) alone.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(g)) if f.is_uppercase() && g.is_lowercase() => {
            f.to_lowercase().collect::<String>() + &s[f.len_utf8()..]
        }
        _ => s.to_string(),
    }
}
