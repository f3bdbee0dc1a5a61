//! The bridge between the page and the engine: every Docker answer the
//! playground shows comes from here, and here only from
//! `layerlab-syntax` and `layerlab-engine`. It turns the engine's results
//! into view models (plain data the components render) and holds the
//! engine state that outlives one build (the cache and the image store).
//!
//! Nothing here decides what Docker would do; it asks the engine and
//! arranges the answer for the eye (grouping steps by stage, sizes as
//! text, percentages for bars, UTF-16 columns for the editor).

use layerlab_engine::build::{self, BuildReport, BuiltImage, Step};
use layerlab_engine::cache::MissReason;
use layerlab_engine::catalog;
use layerlab_engine::context::Context;
use layerlab_engine::digest::sha256_hex;
use layerlab_engine::docker::build::{render_plain, BuildCommand};
use layerlab_engine::docker::{execute, execute_with_build, MemoryHost};
use layerlab_engine::image::ImageConfig;
use layerlab_engine::image_store;
use layerlab_engine::layer::{self, EntryKind};
use layerlab_engine::lint::{self, ImageLookup, LintOptions};
use layerlab_engine::run::{
    parse_run_args, plan_run, ContainerInput, EnvOrigin, HostInput, PortStatus, RunCommand,
};
use layerlab_engine::shared_sort;
use layerlab_engine::stage_graph::{ChangeKind, DependencySource, LayerFileChange, StageReport};
use layerlab_engine::state::LayerInfo;
use layerlab_engine::state::State;
use layerlab_engine::tools::human_size;
use layerlab_syntax::LineIndex;
use std::collections::{BTreeMap, BTreeSet};

use crate::editor::{editor_range, EditorDiagnostic};
use crate::project::Project;
use crate::state::TermEntry;

/// How a problem is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build cannot run.
    Error,
    /// BuildKit would warn.
    Warning,
}

impl Severity {
    /// The CSS and editor name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One entry of the Problems list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// 0-based UTF-16 column, for the editor's cursor.
    pub utf16_column: usize,
    /// The message, as BuildKit words it.
    pub message: String,
    /// The rule (`JSONArgsRecommended`), for warnings.
    pub rule: Option<String>,
    /// Documentation address of the rule (may be empty).
    pub url: String,
}

/// What the parser and the build checks say about the Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// For the Problems list, by line.
    pub problems: Vec<Problem>,
    /// The same for the editor's underlines.
    pub editor: Vec<EditorDiagnostic>,
    /// Stage names, for the `--target` picker.
    pub stages: Vec<String>,
}

/// The playground treats base images as the catalog models them, so
/// checks that look at a base image's ENV or SHELL see what the build
/// uses.
struct CatalogImages;

impl ImageLookup for CatalogImages {
    fn lookup(&self, _name: &str, normalized: &str, _platform: &str) -> Option<lint::BaseImage> {
        let image = catalog::resolve(normalized).ok()?;
        image.known.then_some(lint::BaseImage {
            config: image.config,
            platform: None,
        })
    }
}

/// Parses and lints the project's Dockerfile.
pub fn analyze(project: &Project) -> Analysis {
    let text = project.dockerfile();
    let index = LineIndex::new(text);
    let mut out = Analysis::default();
    let mut push = |severity: Severity,
                    span: layerlab_syntax::Span,
                    message: String,
                    rule: Option<String>,
                    url: &str| {
        let (line, col, end_line, end_col) = editor_range(&index, span);
        let column = index.position(span.start).column;
        let source = match &rule {
            Some(r) => format!("BuildKit check {r}"),
            None => "Dockerfile parser".to_owned(),
        };
        out.editor.push(EditorDiagnostic {
            line,
            col,
            end_line,
            end_col,
            severity: severity.as_str(),
            message: message.clone(),
            source,
        });
        out.problems.push(Problem {
            severity,
            line,
            column,
            utf16_column: col,
            message,
            rule,
            url: url.to_owned(),
        });
    };
    if text.is_empty() {
        return out;
    }
    let dockerignore = project
        .file(".dockerignore")
        .map(|f| lint::read_dockerignore(&f.contents));
    let options = LintOptions {
        images: Some(&CatalogImages),
        dockerignore,
        ..LintOptions::default()
    };
    match layerlab_syntax::parse(text) {
        Err(e) => push(Severity::Error, e.span, e.message, None, ""),
        Ok(file) => {
            if let Ok(parsed) = layerlab_engine::instructions::parse(&file) {
                out.stages = parsed
                    .stages
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s.name.clone().unwrap_or_else(|| i.to_string()))
                    .collect();
            }
            let report = lint::lint(&file, text, &options);
            // The parser's empty-continuation warning is also a build check
            // (NoEmptyContinuation): show it once, as the check when there is one.
            for w in &file.warnings {
                if !report.warnings.iter().any(|d| d.line == w.line) {
                    push(Severity::Warning, w.span, w.short.clone(), None, "");
                }
            }
            for d in report.warnings {
                push(
                    Severity::Warning,
                    d.span,
                    d.message,
                    Some(d.rule.to_owned()),
                    d.url,
                );
            }
            if let Some(e) = report.error {
                let span = e
                    .span
                    .unwrap_or_else(|| layerlab_syntax::Span::empty(index.line_start(1)));
                push(Severity::Error, span, e.message, None, "");
            }
        }
    }
    shared_sort::sort_by_key(&mut out.problems, |p| (p.line, p.column));
    out
}

/// The build controls of the Build view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSettings {
    /// `--target` (empty: the last stage).
    pub target: String,
    /// `--build-arg`s, one `NAME=value` per line.
    pub build_args: String,
    /// `--no-cache`.
    pub no_cache: bool,
}

impl BuildSettings {
    /// The `docker build` arguments (after `docker`) for image `tag`.
    pub fn args(&self, tag: &str) -> Vec<String> {
        let mut args = vec!["build".to_owned(), "-t".to_owned(), tag.to_owned()];
        if !self.target.is_empty() {
            args.push("--target".to_owned());
            args.push(self.target.clone());
        }
        for line in self.build_args.lines() {
            let line = line.trim();
            if !line.is_empty() {
                args.push("--build-arg".to_owned());
                args.push(line.to_owned());
            }
        }
        if self.no_cache {
            args.push("--no-cache".to_owned());
        }
        args.push(".".to_owned());
        args
    }

    /// The command line as a learner would type it.
    pub fn command_line(&self, tag: &str) -> String {
        let words: Vec<String> = self.args(tag).iter().map(|a| shell_quote(a)).collect();
        format!("docker {}", words.join(" "))
    }
}

/// Quotes a word for display when the shell would split it.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Splits a command line into words as a POSIX shell would (quotes and
/// backslashes; no expansion). `None` when a quote is left open.
pub fn split_command_line(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            '\n' => {}
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => word.push(c),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// One step of the Build view.
#[derive(Debug, Clone, PartialEq)]
pub struct StepVm {
    /// Vertex number (`#7`).
    pub vertex: usize,
    /// BuildKit's vertex name (`[build 5/8] RUN dotnet restore`).
    pub name: String,
    /// `5/8`.
    pub position: String,
    /// The instruction as BuildKit shows it.
    pub instruction: String,
    /// `from`, `run`, `copy`...
    pub kind: &'static str,
    /// Shown CACHED.
    pub cached: bool,
    /// Why it ran, in words.
    pub reason: Option<String>,
    /// What kind of reason: `cause` (this step's own inputs changed),
    /// `chain` (a step it builds on ran) or `first` (nothing cached yet).
    pub reason_kind: &'static str,
    /// Modelled duration as text (`12.3s`).
    pub duration: String,
    /// Modelled start and duration, seconds (for the timeline).
    pub start_s: f64,
    /// Duration, seconds.
    pub duration_s: f64,
    /// Layer size as text.
    pub size: Option<String>,
    /// Dockerfile lines of the instruction.
    pub line: usize,
    /// Last line.
    pub end_line: usize,
    /// What the step printed.
    pub output: Vec<String>,
    /// What the model estimated.
    pub notes: Vec<String>,
    /// The error that stopped the build here.
    pub error: Option<String>,
}

/// One stage of the Build view.
#[derive(Debug, Clone, PartialEq)]
pub struct StageVm {
    /// `build`, `stage-1`, or empty for a one-stage build.
    pub name: String,
    /// Its steps.
    pub steps: Vec<StepVm>,
    /// Steps that ran.
    pub ran: usize,
    /// Steps shown CACHED.
    pub cached: usize,
    /// First start and last end, seconds.
    pub start_s: f64,
    /// End, seconds.
    pub end_s: f64,
}

/// One layer of the built image.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerVm {
    /// Short digest.
    pub digest: String,
    /// Size, bytes.
    pub size: u64,
    /// Size as text.
    pub size_text: String,
    /// What made it.
    pub created_by: String,
    /// The base image it comes from, if not the build's own.
    pub base: Option<String>,
    /// The stage that made it, when it is another stage's layer (inherited
    /// through `FROM <stage>`).
    pub stage: Option<String>,
}

/// A base image the build used.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseImageVm {
    /// Familiar reference (`mcr.microsoft.com/dotnet/sdk:8.0`).
    pub reference: String,
    /// Size as text.
    pub size: String,
    /// One line about it.
    pub description: String,
    /// Whether this build pulled it.
    pub pulled: bool,
    /// Whether the final image is built on it.
    pub in_final_image: bool,
}

/// The result of one build, for the Build and Layers views.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildVm {
    /// `docker build -t aspnetapp .`.
    pub command: String,
    /// True for a build that updated the cache and the image store (the
    /// Build button, the terminal); false for the live preview.
    pub committed: bool,
    /// The failure, with its line.
    pub error: Option<(String, Option<usize>)>,
    /// Steps grouped by stage, in Dockerfile order.
    pub stages: Vec<StageVm>,
    /// Stages the target does not need.
    pub skipped: Vec<String>,
    /// The stage built.
    pub target: String,
    /// BuildKit's plain progress output.
    pub progress: String,
    /// Warnings (`rule`, message, line).
    pub warnings: Vec<(String, String, usize)>,
    /// Steps that ran / were CACHED.
    pub ran: usize,
    /// CACHED steps.
    pub cached: usize,
    /// Modelled total duration.
    pub duration_s: f64,
    /// The image, when the build succeeded: short ID and size.
    pub image: Option<(String, String)>,
    /// Tags of the image.
    pub tags: Vec<String>,
    /// The image's layers, bottom first.
    pub layers: Vec<LayerVm>,
    /// Total of the image's layers.
    pub image_size: u64,
    /// Base images used.
    pub base_images: Vec<BaseImageVm>,
    /// The stage dependency graph, laid out in columns.
    pub graph: StageGraphVm,
    /// Every stage's layers and the files each own layer changes (the
    /// Layers view's stage picker).
    pub stage_layers: Vec<StageLayersVm>,
}

/// One box of the stage graph: a stage, or an image a `COPY --from` /
/// mount names that is no stage.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNodeVm {
    /// The stage's name (`build`, `stage-1`), or the image as written.
    pub name: String,
    /// `FROM mcr.microsoft.com/dotnet/sdk:8.0`, or `image` for an image node.
    pub base: String,
    /// Line of its FROM (0 for an image node).
    pub line: usize,
    /// An image, not a stage.
    pub image: bool,
    /// The stage built (`--target`, else the last).
    pub target: bool,
    /// Why the target does not need it.
    pub skipped: Option<String>,
    /// The Build view's stage section its steps are in (a [`StageVm`]
    /// name), when it has steps.
    pub section: Option<String>,
    /// Its steps in a few words (`8 steps · 6 run · 2 cached`).
    pub status: String,
    /// When it ran, modelled (`0.0s → 14.2s`), when it has steps.
    pub span: Option<String>,
    /// Column, left to right by dependency depth.
    pub column: usize,
    /// Row in its column.
    pub row: usize,
}

/// One arrow of the stage graph: `to` depends on `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphEdgeVm {
    /// Source node (index in [`StageGraphVm::nodes`]).
    pub from: usize,
    /// Dependent node.
    pub to: usize,
    /// `FROM`, `COPY --from`, `RUN --mount`, joined when several.
    pub label: String,
    /// CSS classes of the kinds (`from`, `copy-from`, `mount`).
    pub kinds: Vec<&'static str>,
    /// Line of the first instruction that makes it.
    pub line: usize,
    /// False when the dependent stage is not built.
    pub active: bool,
}

/// The stage graph of a build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageGraphVm {
    /// Stages in Dockerfile order, then image nodes.
    pub nodes: Vec<GraphNodeVm>,
    /// Dependencies.
    pub edges: Vec<GraphEdgeVm>,
    /// Number of columns.
    pub columns: usize,
    /// Most nodes in one column.
    pub rows: usize,
}

/// One stage's layers, for the Layers view's stage picker.
#[derive(Debug, Clone, PartialEq)]
pub struct StageLayersVm {
    /// The stage's name.
    pub name: String,
    /// `FROM ...` as its Dockerfile line names it.
    pub base: String,
    /// The stage built.
    pub target: bool,
    /// Whether the target needs it (a skipped stage has no layers).
    pub needed: bool,
    /// Its layers, bottom first.
    pub layers: Vec<LayerVm>,
    /// For each layer, the files it changes (its own layers; `None` for a
    /// base image's).
    pub files: Vec<Option<Vec<FileChangeVm>>>,
    /// Total of its layers.
    pub size: u64,
}

fn secs(s: f64) -> String {
    if s < 0.05 {
        "0.0s".to_owned()
    } else if s < 60.0 {
        format!("{}s", layerlab_engine::numfmt::fixed(s, 1))
    } else {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    }
}

fn short_digest(d: &str) -> String {
    d.trim_start_matches("sha256:").chars().take(12).collect()
}

/// The first and last line of each instruction, in file order.
fn end_lines(text: &str) -> Vec<(usize, usize)> {
    match layerlab_syntax::parse(text) {
        Ok(df) => df
            .instructions
            .iter()
            .map(|i| (i.start_line, i.end_line))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The last line of the instruction that starts on `line` (the last one
/// listed, if several did), or `line`.
fn end_line(ends: &[(usize, usize)], line: usize) -> usize {
    ends.iter()
        .rev()
        .find(|e| e.0 == line)
        .map_or(line, |e| e.1)
}

fn step_vm(step: &Step, ends: &[(usize, usize)]) -> StepVm {
    StepVm {
        vertex: step.vertex,
        name: step.name.clone(),
        position: if step.total > 0 {
            format!("{}/{}", step.index, step.total)
        } else {
            String::new()
        },
        instruction: step.instruction.clone(),
        kind: match step.kind {
            build::StepKind::From => "from",
            build::StepKind::Run => "run",
            build::StepKind::Copy => "copy",
            build::StepKind::Add => "add",
            build::StepKind::Workdir => "workdir",
            build::StepKind::Link => "link",
        },
        cached: step.cached,
        reason: step.reason.clone(),
        reason_kind: match &step.miss {
            Some(MissReason::PreviousStepRan { .. }) => "chain",
            Some(MissReason::EmptyCache | MissReason::FirstPull { .. } | MissReason::NotLoaded) => {
                "first"
            }
            _ => "cause",
        },
        duration: secs(step.duration_s),
        start_s: step.start_s,
        duration_s: step.duration_s,
        size: step.layer_size.map(human_size),
        line: step.line,
        end_line: end_line(ends, step.line),
        output: step.output.clone(),
        notes: step.notes.clone(),
        error: step.error.clone(),
    }
}

/// Arranges a build report for the Build and Layers views.
pub fn build_vm(
    report: &BuildReport,
    dockerfile: &str,
    command: String,
    committed: bool,
) -> BuildVm {
    let ends = end_lines(dockerfile);
    let mut stages: Vec<StageVm> = Vec::new();
    for step in &report.steps {
        let name = step.stage.clone().unwrap_or_default();
        let vm = step_vm(step, &ends);
        let stage = match stages.iter_mut().find(|s| s.name == name) {
            Some(s) => s,
            None => {
                stages.push(StageVm {
                    name,
                    steps: Vec::new(),
                    ran: 0,
                    cached: 0,
                    start_s: f64::MAX,
                    end_s: 0.0,
                });
                let last = stages.len() - 1;
                &mut stages[last]
            }
        };
        if vm.cached {
            stage.cached += 1;
        } else {
            stage.ran += 1;
        }
        stage.start_s = stage.start_s.min(vm.start_s);
        stage.end_s = stage.end_s.max(vm.start_s + vm.duration_s);
        stage.steps.push(vm);
    }
    for s in &mut stages {
        if s.start_s == f64::MAX {
            s.start_s = 0.0;
        }
    }
    let ran = report.steps.iter().filter(|s| !s.cached).count();
    let final_bases: BTreeSet<String> = shared_sort::collect_by_insert(
        report
            .image
            .iter()
            .flat_map(|i| i.layers.iter().filter_map(|l| l.base.clone())),
    );
    let base_images = report
        .images
        .iter()
        .map(|i| {
            let familiar = familiar(&i.reference);
            BaseImageVm {
                in_final_image: final_bases.contains(&i.reference)
                    || final_bases.contains(&familiar),
                reference: familiar,
                size: human_size(i.size),
                description: i.description.clone(),
                pulled: i.pulled,
            }
        })
        .collect();
    let origins = layer_origins(&report.stages);
    let target_stage = report
        .stages
        .iter()
        .find(|s| s.needed && s.name == report.target)
        .map(|s| s.name.clone());
    let (layers, image_size) = match &report.image {
        Some(img) => (
            img.layers
                .iter()
                .map(|l| layer_vm(l, &origins, target_stage.as_deref()))
                .collect(),
            img.size,
        ),
        None => (Vec::new(), 0),
    };
    let stage_layers = report
        .stages
        .iter()
        .map(|st| stage_layers_vm(st, report, &origins))
        .collect();
    let graph = stage_graph_vm(report, &stages);
    BuildVm {
        command,
        committed,
        error: report.error.as_ref().map(|e| (e.message.clone(), e.line)),
        stages,
        skipped: report.skipped_stages.clone(),
        target: report.target.clone(),
        progress: render_plain(report, Some(dockerfile)),
        warnings: report
            .warnings
            .iter()
            .map(|w| (w.rule.clone(), w.message.clone(), w.line))
            .collect(),
        ran,
        cached: report.steps.len() - ran,
        duration_s: report.duration_s,
        image: report
            .image
            .as_ref()
            .map(|i| (short_digest(&i.id), human_size(i.size))),
        tags: report
            .image
            .as_ref()
            .map(|i| i.tags.clone())
            .unwrap_or_default(),
        layers,
        image_size,
        base_images,
        graph,
        stage_layers,
    }
}

/// `reference` as Docker shows it (`nginx:latest`), or as written when it
/// does not parse. One copy, not inlined into its callers.
#[inline(never)]
fn familiar(reference: &str) -> String {
    catalog::Reference::parse(reference)
        .map(|r| r.familiar())
        .unwrap_or_else(|_| reference.to_owned())
}

/// The stage whose own layer each layer digest is (the first that made it).
fn layer_origins(stages: &[StageReport]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for st in stages {
        for l in st.layers.iter().skip(st.inherited_layers) {
            if l.base.is_none() {
                out.entry(l.digest.clone())
                    .or_insert_with(|| st.name.clone());
            }
        }
    }
    out
}

fn layer_vm(l: &LayerInfo, origins: &BTreeMap<String, String>, stage: Option<&str>) -> LayerVm {
    LayerVm {
        digest: short_digest(&l.digest),
        size: l.size,
        size_text: human_size(l.size),
        created_by: l.created_by.clone(),
        base: l.base.as_deref().map(familiar),
        stage: origins
            .get(&l.digest)
            .filter(|o| Some(o.as_str()) != stage)
            .cloned(),
    }
}

fn file_change_vm(c: &LayerFileChange) -> FileChangeVm {
    FileChangeVm {
        change: match c.change {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Deleted => "deleted",
        },
        path: c.path.clone(),
        size: human_size(c.size),
    }
}

fn stage_layers_vm(
    st: &StageReport,
    report: &BuildReport,
    origins: &BTreeMap<String, String>,
) -> StageLayersVm {
    StageLayersVm {
        name: st.name.clone(),
        base: format!("FROM {}", st.base),
        target: st.needed && st.name == report.target,
        needed: st.needed,
        layers: st
            .layers
            .iter()
            .map(|l| layer_vm(l, origins, Some(&st.name)))
            .collect(),
        files: st
            .layers
            .iter()
            .map(|l| {
                if l.base.is_some() {
                    return None;
                }
                report
                    .layer_files
                    .get(&l.digest)
                    .map(|files| files.iter().map(file_change_vm).collect())
            })
            .collect(),
        size: st.layers.iter().map(|l| l.size).sum(),
    }
}

/// The stage graph laid out: a node's column is one more than the deepest
/// node it depends on; an image named by `--from` sits in column 0.
fn stage_graph_vm(report: &BuildReport, sections: &[StageVm]) -> StageGraphVm {
    let mut nodes: Vec<GraphNodeVm> = Vec::new();
    // The image nodes made so far: name and node index (a few at most).
    let mut images: Vec<(&str, usize)> = Vec::new();
    let n = report.stages.len();
    for st in &report.stages {
        let section = sections
            .iter()
            .find(|s| s.name == st.name)
            .or_else(|| (n == 1 && sections.len() == 1).then(|| &sections[0]))
            .filter(|_| st.needed);
        let (status, span) = match section {
            Some(s) => (
                format!(
                    "{} step{} · {} run · {} cached",
                    s.steps.len(),
                    if s.steps.len() == 1 { "" } else { "s" },
                    s.ran,
                    s.cached
                ),
                Some(format!("{} → {}", secs(s.start_s), secs(s.end_s))),
            ),
            None if st.needed => ("not built".to_owned(), None),
            None => ("skipped".to_owned(), None),
        };
        nodes.push(GraphNodeVm {
            name: st.name.clone(),
            base: format!("FROM {}", familiar(&st.base)),
            line: st.line,
            image: false,
            target: st.needed && st.name == report.target,
            skipped: st.skipped_reason.clone(),
            section: section.map(|s| s.name.clone()),
            status,
            span,
            column: 0,
            row: 0,
        });
    }
    // Edges, one per pair of nodes.
    let mut edges: Vec<GraphEdgeVm> = Vec::new();
    for (to, st) in report.stages.iter().enumerate() {
        for d in &st.dependencies {
            let from = match &d.source {
                DependencySource::Stage(s) if *s < n => *s,
                DependencySource::Stage(_) => continue,
                DependencySource::Image(name) => match images.iter().find(|i| i.0 == name) {
                    Some(i) => i.1,
                    None => {
                        nodes.push(GraphNodeVm {
                            name: name.clone(),
                            base: "image".to_owned(),
                            line: 0,
                            image: true,
                            target: false,
                            skipped: None,
                            section: None,
                            status: "an image, not a stage".to_owned(),
                            span: None,
                            column: 0,
                            row: 0,
                        });
                        images.push((name, nodes.len() - 1));
                        nodes.len() - 1
                    }
                },
            };
            let kind = match d.kind {
                layerlab_engine::stage_graph::DependencyKind::From => "from",
                layerlab_engine::stage_graph::DependencyKind::CopyFrom => "copy-from",
                layerlab_engine::stage_graph::DependencyKind::Mount => "mount",
            };
            match edges.iter_mut().find(|e| e.from == from && e.to == to) {
                Some(e) => {
                    if !e.kinds.contains(&kind) {
                        e.kinds.push(kind);
                        e.label = format!("{}, {}", e.label, d.kind.label());
                    }
                }
                None => edges.push(GraphEdgeVm {
                    from,
                    to,
                    label: d.kind.label().to_owned(),
                    kinds: vec![kind],
                    line: d.line,
                    active: st.needed,
                }),
            }
        }
    }
    // Columns by depth (dependencies point to earlier stages; a guard
    // bounds the passes should they not).
    let mut depth = vec![0usize; nodes.len()];
    for _ in 0..nodes.len() {
        let mut changed = false;
        for e in &edges {
            if depth[e.to] <= depth[e.from] && depth[e.from] < nodes.len() {
                depth[e.to] = depth[e.from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let columns = depth.iter().copied().max().map_or(0, |m| m + 1);
    let mut filled = vec![0usize; columns];
    for (i, node) in nodes.iter_mut().enumerate() {
        node.column = depth[i];
        node.row = filled[depth[i]];
        filled[depth[i]] += 1;
    }
    StageGraphVm {
        nodes,
        edges,
        columns,
        rows: filled.iter().copied().max().unwrap_or(0),
    }
}

/// The project's files as a build context.
pub fn context_of(project: &Project) -> Context {
    let mut ctx = Context::new();
    for f in &project.files {
        // A path the engine refuses is left out; the file tree shows it.
        let _ = ctx.insert_file(&f.path, f.bytes().to_vec(), f.mode);
    }
    ctx
}

/// Whether each file is excluded by `.dockerignore`, and by which pattern.
pub fn ignored_files(project: &Project) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(ignore) = project.file(".dockerignore") else {
        return out;
    };
    let Ok(rules) = layerlab_engine::dockerignore::DockerIgnore::parse(&ignore.contents) else {
        return out;
    };
    for f in &project.files {
        if rules.is_excluded(&f.path) {
            let pattern = rules
                .deciding_pattern(&f.path)
                .map(|p| {
                    let bang = if p.exclusion { "!" } else { "" };
                    format!("{bang}{} (line {})", p.pattern, p.line)
                })
                .unwrap_or_default();
            out.insert(f.path.clone(), pattern);
        }
    }
    out
}

/// One published port in the Run view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortVm {
    /// `0.0.0.0:5000->8080/tcp`.
    pub display: String,
    /// `ok`, `bad` or `unknown` (for the colour).
    pub status: &'static str,
    /// Short status label.
    pub label: &'static str,
    /// The check in one sentence.
    pub message: String,
}

/// One variable of the process environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVm {
    /// Name.
    pub key: String,
    /// Value.
    pub value: String,
    /// Who set it.
    pub origin: &'static str,
}

/// What `docker run` would do, for the Run view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVm {
    /// Container name.
    pub name: String,
    /// Whether the name came from `--name`.
    pub named: bool,
    /// The image as given.
    pub image: String,
    /// Where the image's configuration came from.
    pub image_source: String,
    /// argv as a JSON array.
    pub argv: String,
    /// ENTRYPOINT part.
    pub entrypoint: String,
    /// CMD part.
    pub cmd: String,
    /// PID 1 in one sentence.
    pub pid1: String,
    /// Signals.
    pub signals: String,
    /// The user, as `name (uid 0, gid 0)`.
    pub user: String,
    /// Working directory.
    pub cwd: String,
    /// Environment.
    pub env: Vec<EnvVm>,
    /// Published ports, checked.
    pub ports: Vec<PortVm>,
    /// Where the process listens.
    pub listening: Vec<String>,
    /// Problems a learner should fix.
    pub warnings: Vec<String>,
    /// What the CLI prints on stderr.
    pub stderr: Vec<String>,
    /// Short sentences explaining what happens.
    pub explanation: Vec<String>,
    /// `--rm`, `-i`, `-t`, `-d`.
    pub flags: Vec<(&'static str, bool)>,
}

/// The Run view's content: the plan, or the CLI's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunVm {
    /// Nothing typed.
    Empty,
    /// The command does not parse or cannot run.
    Error(String),
    /// The plan.
    Plan(Box<PlanVm>),
}

/// The image a run line names, as the run view resolves it: the latest
/// build when its tags match, else an image of the store, else the catalog.
fn image_for_run(
    name: &str,
    latest: Option<&BuiltImage>,
    state: &State,
) -> Option<(ImageConfig, Option<String>, Option<String>, String)> {
    let wanted = catalog::Reference::parse(name)
        .map(|r| r.with_default_tag().to_string())
        .unwrap_or_else(|_| name.to_owned());
    if let Some(img) = latest.filter(|i| i.tags.contains(&wanted)) {
        let read = |p: &str| {
            img.filesystem
                .read(p)
                .ok()
                .map(|b| String::from_utf8_lossy(b).into_owned())
        };
        return Some((
            img.config.clone(),
            read("/etc/passwd"),
            read("/etc/group"),
            "the image built from this Dockerfile".to_owned(),
        ));
    }
    if let Some(img) = state.image(name) {
        return Some((
            img.config.clone(),
            None,
            None,
            "an image in the simulated store".to_owned(),
        ));
    }
    let base = catalog::resolve(name).ok()?;
    let fs = base.filesystem();
    let read = |p: &str| {
        fs.read(p)
            .ok()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let source = if base.known {
        format!("{} from LayerLab's image catalog", base.reference)
    } else {
        base.description.clone()
    };
    Some((
        base.config.clone(),
        read("/etc/passwd"),
        read("/etc/group"),
        source,
    ))
}

fn origin(o: EnvOrigin) -> &'static str {
    match o {
        EnvOrigin::Docker => "docker",
        EnvOrigin::Image => "image ENV",
        EnvOrigin::Run => "-e",
        EnvOrigin::Runtime => "runtime",
    }
}

/// The engine state that outlives a build: the simulated Docker's state
/// (BuildKit's cache, the image store, containers, the modelled clock),
/// the same value the native CLI keeps in its state file; and the result
/// of the latest build shown (for the Layers view and `docker run`).
#[derive(Debug, Default)]
pub struct Session {
    state: State,
    /// The state right after the latest build shown (a preview builds on
    /// a copy of `state`): its image store holds that build's layers.
    shown: State,
    latest: Option<BuiltImage>,
    /// Base images committed builds used (for the Images view).
    bases: BTreeSet<String>,
}

/// What a terminal command did.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalOutput {
    /// The transcript entry.
    pub entry: TermEntry,
    /// A build it ran (shown in the Build view).
    pub build: Option<BuildVm>,
    /// Whether the image store changed.
    pub images_changed: bool,
}

/// What the docker CLI reads from the machine: the project is the build
/// context `.`, and its files can be named (`-f`, `--env-file`).
fn host_of(project: &Project) -> MemoryHost {
    let mut host = MemoryHost {
        tty: true,
        ..MemoryHost::default()
    };
    host.contexts.insert(".".to_owned(), context_of(project));
    for f in &project.files {
        host.files.insert(f.path.clone(), f.bytes().to_vec());
        host.files
            .insert(format!("./{}", f.path), f.bytes().to_vec());
    }
    host
}

impl Session {
    /// A fresh session: empty cache, no images.
    pub fn new() -> Self {
        Session {
            state: State::new(),
            shown: State::new(),
            latest: None,
            bases: BTreeSet::new(),
        }
    }

    /// Builds the project, once. A preview builds on a copy of the state,
    /// showing what `docker build` would do now. A committed build is
    /// `docker build` itself, run by the docker CLI simulator over the
    /// session's state exactly as the native CLI runs it: the steps shown
    /// and the progress output are that one build's.
    pub fn build(&mut self, project: &Project, settings: &BuildSettings, commit: bool) -> BuildVm {
        let tag = project.name.as_str();
        let args = settings.args(tag);
        let command = settings.command_line(tag);
        let text = project.dockerfile();
        let argument_error = |message: String| {
            let ctx = Context::new();
            let mut r = build::build("", &ctx, &build::BuildOptions::default(), &mut State::new());
            r.error = Some(build::BuildError {
                message,
                line: None,
                span: None,
            });
            r
        };
        if commit {
            let (out, report) = crate::dom::measure("layerlab:build", || {
                execute_with_build(&args, &mut host_of(project), &mut self.state)
            });
            let report = report.unwrap_or_else(|| argument_error(out.stderr.trim_end().to_owned()));
            let mut vm = build_vm(&report, text, command, true);
            vm.progress = format!("{}{}", out.stderr, out.stdout);
            self.bases
                .extend(report.images.iter().map(|i| i.reference.clone()));
            self.latest = report.image;
            self.shown = self.state.clone();
            return vm;
        }
        let ctx = context_of(project);
        let mut scratch = self.state.clone();
        let report = match BuildCommand::parse(&args[..]) {
            Ok(cmd) => crate::dom::measure("layerlab:build", || {
                layerlab_engine::docker::build::run(&cmd, &ctx, Some(text), &mut scratch)
            }),
            Err(e) => argument_error(e.message),
        };
        let vm = build_vm(&report, text, command, false);
        self.latest = report.image;
        self.shown = scratch;
        vm
    }

    /// The Images view of the committed store.
    pub fn images(&self) -> ImagesVm {
        let bases: Vec<String> = self.bases.iter().cloned().collect();
        images_vm(&self.state, &bases)
    }

    /// Runs one terminal line: `docker ...` through the docker CLI
    /// simulator (the native CLI's code, over the session's state, with
    /// the project as the build context `.`); a few shell commands read
    /// the context.
    pub fn terminal(
        &mut self,
        line: &str,
        project: &Project,
        settings: &BuildSettings,
    ) -> TerminalOutput {
        let mut out = TerminalOutput {
            entry: TermEntry {
                command: line.to_owned(),
                output: String::new(),
                failed: false,
            },
            build: None,
            images_changed: false,
        };
        let fail = |mut out: TerminalOutput, text: String| {
            out.entry.output = text;
            out.entry.failed = true;
            out
        };
        let Some(words) = split_command_line(line) else {
            return fail(
                out,
                "sh: syntax error: unterminated quoted string\n".to_owned(),
            );
        };
        let Some(program) = words.first() else {
            return out;
        };
        match program.as_str() {
            "docker" => {}
            "help" => {
                out.entry.output = TERMINAL_HELP.to_owned();
                return out;
            }
            "ls" => {
                let mut names: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
                shared_sort::sort(&mut names);
                out.entry.output = names.join("\n") + "\n";
                return out;
            }
            "pwd" => {
                out.entry.output = format!("/home/learner/{}\n", project.name);
                return out;
            }
            "cat" => {
                let mut text = String::new();
                for name in &words[1..] {
                    match project.file(name.trim_start_matches("./")) {
                        Some(f) => text.push_str(&String::from_utf8_lossy(f.bytes())),
                        None => {
                            return fail(out, format!("cat: {name}: No such file or directory\n"))
                        }
                    }
                }
                out.entry.output = text;
                return out;
            }
            other => return fail(out, format!("sh: {other}: not found (type `help`)\n")),
        }
        let result = crate::dom::measure("layerlab:command", || {
            execute(&words, &mut host_of(project), &mut self.state)
        });
        out.entry.output = format!("{}{}", result.stderr, result.stdout);
        out.entry.failed = result.exit_code != 0;
        out.images_changed = true;
        let sub: Vec<&str> = words.iter().skip(1).map(String::as_str).take(2).collect();
        if matches!(
            sub[..],
            ["build", ..] | ["buildx", "build"] | ["image", "build"]
        ) {
            // The Build view now shows what the next build would do.
            out.build = Some(self.build(project, settings, false));
        }
        out
    }

    /// Explains a `docker run` line against the latest build (or the store,
    /// or the catalog).
    pub fn plan(&self, line: &str) -> RunVm {
        let Some(words) = split_command_line(line) else {
            return RunVm::Error("unterminated quote in the command line".to_owned());
        };
        if words.is_empty() {
            return RunVm::Empty;
        }
        let rest: &[String] = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["docker", "run", ..] | ["docker", "container", "run", ..] => {
                let skip = if words[1] == "container" { 3 } else { 2 };
                &words[skip..]
            }
            _ => {
                return RunVm::Error(
                    "The Run view explains `docker run ...` lines; use the Terminal for other commands."
                        .to_owned(),
                )
            }
        };
        let opts = match parse_run_args(RunCommand::Run, rest, &HostInput::default()) {
            Ok(o) => o,
            Err(e) => return RunVm::Error(e.message),
        };
        let Some((config, passwd, group, source)) =
            image_for_run(&opts.image, self.latest.as_ref(), &self.state)
        else {
            return RunVm::Error(format!(
                "Unable to find image '{}' locally, and the playground cannot pull it",
                opts.image
            ));
        };
        let id = sha256_hex(line.as_bytes());
        let mut input = ContainerInput::new(&id);
        input.passwd = passwd;
        input.group = group;
        match plan_run(&opts, &config, &input) {
            Err(e) => RunVm::Error(e.message),
            Ok(plan) => RunVm::Plan(Box::new(plan_vm(plan, source))),
        }
    }

    /// The Layers view of the latest build: each own layer's files
    /// (added, changed, deleted) and the image's wasted space.
    pub fn layers(&self) -> Option<LayerFilesVm> {
        let built = self.latest.as_ref()?;
        let img = self.shown.images.get(&built.id)?;
        let (trees, base, _missing) = image_store::layer_trees(&self.shown, img);
        let mut fs = layerlab_engine::filesystem::Fs::new();
        let mut layers = Vec::new();
        for (i, tree) in trees.iter().enumerate() {
            if i >= base {
                let mut files = Vec::new();
                for e in tree {
                    let change = match e.kind {
                        EntryKind::Whiteout => "deleted",
                        EntryKind::Dir => continue,
                        _ if fs.exists(&e.path) => "changed",
                        _ => "added",
                    };
                    files.push(FileChangeVm {
                        change,
                        path: e.path.clone(),
                        size: human_size(e.size),
                    });
                }
                layers.push(files);
            }
            layer::apply(&mut fs, tree);
        }
        let waste = image_store::analyze(&self.shown, img, true);
        Some(LayerFilesVm {
            layers,
            efficiency: format!(
                "{}%",
                layerlab_engine::numfmt::fixed(waste.efficiency * 100.0, 1)
            ),
            wasted: human_size(waste.wasted_bytes),
            wasted_bytes: waste.wasted_bytes,
            inefficiencies: waste
                .inefficiencies
                .iter()
                .take(8)
                .map(|i| (i.path.clone(), i.count, human_size(i.wasted)))
                .collect(),
        })
    }

    /// The committed engine state.
    #[cfg(test)]
    pub fn state(&self) -> &State {
        &self.state
    }
}

/// One file a layer adds, changes or deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChangeVm {
    /// `added`, `changed` or `deleted` (a whiteout).
    pub change: &'static str,
    /// Absolute path.
    pub path: String,
    /// Size (for a deletion, the bytes it hides).
    pub size: String,
}

/// The files of the latest image's own layers, and its wasted space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerFilesVm {
    /// For each own layer, bottom first, its file changes.
    pub layers: Vec<Vec<FileChangeVm>>,
    /// dive's efficiency score, as a percentage.
    pub efficiency: String,
    /// Bytes shipped but not visible.
    pub wasted: String,
    /// The same, in bytes.
    pub wasted_bytes: u64,
    /// The worst paths: (path, copies, wasted).
    pub inefficiencies: Vec<(String, usize, String)>,
}

fn plan_vm(plan: layerlab_engine::run::RunPlan, source: String) -> PlanVm {
    PlanVm {
        name: plan.name.clone(),
        named: plan.named,
        image: plan.image.clone(),
        image_source: source,
        argv: json_words(&plan.argv),
        entrypoint: json_words(&plan.entrypoint),
        cmd: json_words(&plan.cmd),
        pid1: plan.pid1.description.clone(),
        signals: plan.pid1.signals.clone(),
        user: plan.user.display_name(),
        cwd: plan.cwd.clone(),
        env: plan
            .env_vars
            .iter()
            .map(|v| EnvVm {
                key: v.key.clone(),
                value: v.value.clone(),
                origin: origin(v.origin),
            })
            .collect(),
        ports: plan
            .ports
            .iter()
            .map(|p| {
                let (status, label) = match p.status {
                    PortStatus::Listening => ("ok", "listening"),
                    PortStatus::NothingListening => ("bad", "nothing listens"),
                    PortStatus::LoopbackOnly => ("bad", "localhost only"),
                    PortStatus::Exposed => ("unknown", "exposed"),
                    PortStatus::NotExposed => ("unknown", "not exposed"),
                };
                PortVm {
                    display: p.display(),
                    status,
                    label,
                    message: p.message.clone(),
                }
            })
            .collect(),
        listening: plan
            .listening
            .iter()
            .map(|l| {
                let scheme = l.scheme.as_deref().unwrap_or("tcp");
                format!("{scheme} on {}:{}: {}", l.address, l.port, l.reason)
            })
            .collect(),
        warnings: plan.warnings.clone(),
        stderr: plan.stderr.clone(),
        explanation: plan.explanation.clone(),
        flags: vec![
            ("--rm", plan.remove_on_exit),
            ("-i", plan.interactive),
            ("-t", plan.tty),
            ("-d", plan.detach),
        ],
    }
}

const TERMINAL_HELP: &str = "LayerLab terminal: a simulated shell in your build context (the\n\
same docker CLI simulator as the `layerlab docker` command).\n\
  docker build -t NAME .      build the project (updates the Build and Images views)\n\
  docker run, ps, exec, logs, stop, rm, images, history, system df -v, pull, ...\n\
  ls, cat FILE, pwd           look at the build context\n\
  clear                       clear the screen (also Ctrl+L)\n\
Up and Down arrows walk the command history.\n";

fn json_words(words: &[String]) -> String {
    serde_json::to_string(words).unwrap_or_default()
}

/// One layer in the Images view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLayerVm {
    /// Short digest.
    pub digest: String,
    /// Size, bytes.
    pub size: u64,
    /// What made it.
    pub created_by: String,
    /// How many listed images hold it.
    pub shared_by: usize,
    /// A stable colour index for this digest (shared layers look alike).
    pub hue: u32,
}

/// One image in the Images view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageVm {
    /// `aspnetapp:latest`, or `<none>`.
    pub name: String,
    /// Short ID.
    pub id: String,
    /// Total size.
    pub size: u64,
    /// Size in layers other images also hold (for a stored image, as
    /// `docker system df -v` counts it; for a base image, shared with the
    /// images shown).
    pub shared: u64,
    /// True for a base image (pulled for a build), false for a built one.
    pub base: bool,
    /// Layers, bottom first.
    pub layers: Vec<ImageLayerVm>,
}

/// The Images view: built images and the base images builds used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImagesVm {
    /// Built images first, then base images.
    pub images: Vec<ImageVm>,
    /// Sum of the distinct layers.
    pub total: u64,
}

fn hue_of(digest: &str) -> u32 {
    digest
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 360
}

/// One layer of the Images view (not yet counted among the images).
#[inline(never)]
fn image_layer_vm(digest: &str, size: u64, created_by: &str) -> ImageLayerVm {
    ImageLayerVm {
        digest: short_digest(digest),
        size,
        created_by: created_by.to_owned(),
        shared_by: 0,
        hue: hue_of(digest),
    }
}

/// The images of the store, and the base images named in `bases`, with
/// the layers they share.
pub fn images_vm(state: &State, bases: &[String]) -> ImagesVm {
    let mut images = Vec::new();
    // Each image's names, in the order of the tags (a small list: the
    // store's images).
    let mut names: Vec<(&str, Vec<String>)> = Vec::new();
    for (tag, id) in &state.tags {
        match names.iter_mut().find(|n| n.0 == id) {
            Some(n) => n.1.push(familiar(tag)),
            None => names.push((id, vec![familiar(tag)])),
        }
    }
    for (id, img) in &state.images {
        let Some((_, tags)) = names.iter().find(|n| n.0 == id) else {
            continue; // dangling images are left out of the picture
        };
        images.push(ImageVm {
            name: tags.join(", "),
            id: short_digest(id),
            size: img.size(),
            // As `docker system df -v` counts it (images in the store only).
            shared: image_store::shared_size(state, img),
            base: false,
            layers: img
                .layers
                .iter()
                .map(|l| image_layer_vm(&l.digest, l.size, &l.created_by))
                .collect(),
        });
    }
    for reference in bases {
        let Ok(base) = catalog::resolve(reference) else {
            continue;
        };
        let familiar = familiar(&base.reference);
        if images.iter().any(|i: &ImageVm| i.name == familiar) {
            continue;
        }
        images.push(ImageVm {
            name: familiar,
            id: short_digest(&base.digest),
            size: base.size(),
            shared: 0,
            base: true,
            layers: base
                .layers
                .iter()
                .map(|l| image_layer_vm(&l.digest, l.size, &l.created_by))
                .collect(),
        });
    }
    // Each distinct layer: its digest, how many images hold it, and its
    // size (where first seen).
    let mut count: Vec<(String, usize, u64)> = Vec::new();
    for img in &images {
        for (i, l) in img.layers.iter().enumerate() {
            // Once per image: the layer's first place in it.
            if img.layers[..i].iter().any(|m| m.digest == l.digest) {
                continue;
            }
            match count.iter_mut().find(|c| c.0 == l.digest) {
                Some(c) => c.1 += 1,
                None => count.push((l.digest.clone(), 1, l.size)),
            }
        }
    }
    for img in &mut images {
        for l in &mut img.layers {
            l.shared_by = count.iter().find(|c| c.0 == l.digest).map_or(1, |c| c.1);
        }
        if img.base {
            img.shared = img
                .layers
                .iter()
                .filter(|l| l.shared_by > 1)
                .map(|l| l.size)
                .sum();
        }
    }
    ImagesVm {
        total: count.iter().map(|c| c.2).sum(),
        images,
    }
}

/// Sizes as Docker prints them.
pub fn size_text(bytes: u64) -> String {
    human_size(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{ProjectFile, SAMPLES};

    fn step<'a>(vm: &'a BuildVm, name: &str) -> &'a StepVm {
        vm.stages
            .iter()
            .flat_map(|s| &s.steps)
            .find(|s| s.name.starts_with(name))
            .unwrap_or_else(|| panic!("no step {name}"))
    }

    #[test]
    fn every_sample_builds_without_errors_or_problems() {
        for sample in SAMPLES {
            let project = Project::from_sample(sample);
            let mut session = Session::new();
            let vm = session.build(&project, &BuildSettings::default(), true);
            assert_eq!(vm.error, None, "{}", sample.id);
            assert!(vm.image.is_some(), "{}", sample.id);
            let analysis = analyze(&project);
            let errors: Vec<_> = analysis
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", sample.id);
            match session.plan(sample.run) {
                RunVm::Plan(plan) => assert!(
                    plan.warnings.is_empty(),
                    "{}: {:?}",
                    sample.id,
                    plan.warnings
                ),
                other => panic!("{}: {other:?}", sample.id),
            }
        }
    }

    #[test]
    fn the_seed_story_in_view_models() {
        let project = Project::sample();
        let mut session = Session::new();
        let first = session.build(&project, &BuildSettings::default(), true);
        assert_eq!(first.command, "docker build -t aspnetapp .");
        assert_eq!(first.stages.len(), 2);
        assert_eq!(first.stages[0].name, "build");
        assert_eq!(
            step(&first, "[build 5/8]").instruction,
            "RUN dotnet restore"
        );
        assert_eq!(step(&first, "[build 5/8]").line, 8);
        assert!(first.progress.contains("#"));

        let i = project.index_of("aspnetapp/Program.cs").unwrap_or(0);
        let edited = project.with_contents(i, "// edited\n");
        let preview = session.build(&edited, &BuildSettings::default(), false);
        assert!(step(&preview, "[build 5/8]").cached);
        assert_eq!(
            step(&preview, "[build 6/8]").reason.as_deref(),
            Some("file aspnetapp/Program.cs changed (in the build context)")
        );
        // A preview leaves the cache alone: the same preview again.
        let again = session.build(&edited, &BuildSettings::default(), false);
        assert!(!step(&again, "[build 6/8]").cached);

        match session.plan("docker run -it --rm -p 5000:80 --name aspnetcore_sample aspnetapp") {
            RunVm::Plan(plan) => {
                assert_eq!(plan.ports[0].status, "bad");
                assert!(!plan.warnings.is_empty());
                assert_eq!(plan.cwd, "/app");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn images_share_base_layers() {
        let project = Project::sample();
        let mut session = Session::new();
        session.build(&project, &BuildSettings::default(), true);
        let bases = vec![
            "mcr.microsoft.com/dotnet/sdk:8.0".to_owned(),
            "mcr.microsoft.com/dotnet/aspnet:8.0".to_owned(),
        ];
        let vm = images_vm(session.state(), &bases);
        let app = vm.images.iter().find(|i| i.name == "aspnetapp:latest");
        let aspnet = vm.images.iter().find(|i| i.name.contains("aspnet:8.0"));
        let (Some(app), Some(aspnet)) = (app, aspnet) else {
            panic!(
                "{:?}",
                vm.images.iter().map(|i| &i.name).collect::<Vec<_>>()
            );
        };
        assert!(aspnet.layers.iter().all(|l| l.shared_by >= 2));
        let drawn_shared: u64 = app
            .layers
            .iter()
            .filter(|l| l.shared_by >= 2)
            .map(|l| l.size)
            .sum();
        assert!(drawn_shared >= aspnet.size);
        // The table counts as `docker system df -v`: nothing else is in the store.
        assert_eq!(app.shared, 0);
    }

    #[test]
    fn analysis_underlines_lint_warnings_and_parse_errors() {
        let project = Project::sample().with_file(ProjectFile::text(
            "Dockerfile",
            "FROM alpine:3.20 as base\nCMD echo hi\n",
        ));
        let a = analyze(&project);
        let rules: Vec<_> = a
            .problems
            .iter()
            .filter_map(|p| p.rule.as_deref())
            .collect();
        assert!(rules.contains(&"FromAsCasing"), "{rules:?}");
        assert!(rules.contains(&"JSONArgsRecommended"), "{rules:?}");
        assert_eq!(a.stages, ["base"]);
        let bad =
            Project::sample().with_file(ProjectFile::text("Dockerfile", "FROM alpine\nFOO bar\n"));
        let a = analyze(&bad);
        assert_eq!(a.problems.len(), 1);
        assert_eq!(a.problems[0].severity, Severity::Error);
        assert_eq!(a.problems[0].line, 2);
    }

    #[test]
    fn build_settings_become_a_command_line() {
        let s = BuildSettings {
            target: "build".into(),
            build_args: "A=1\n\nB=two words\n".into(),
            no_cache: false,
        };
        assert_eq!(
            s.command_line("aspnetapp"),
            "docker build -t aspnetapp --target build --build-arg A=1 --build-arg 'B=two words' ."
        );
    }

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(
            split_command_line(r#"docker run -e "A=b c" 'x y' z\ w"#),
            Some(vec![
                "docker".into(),
                "run".into(),
                "-e".into(),
                "A=b c".into(),
                "x y".into(),
                "z w".into()
            ])
        );
        assert_eq!(split_command_line("echo 'open"), None);
        assert_eq!(split_command_line("  "), Some(vec![]));
        assert_eq!(
            split_command_line("a ''"),
            Some(vec!["a".into(), "".into()])
        );
    }

    #[test]
    fn the_build_button_builds_once_and_shows_that_build() {
        let project = Project::sample();
        let mut session = Session::new();
        let vm = session.build(&project, &BuildSettings::default(), true);
        // One build ran on the committed state, and the page shows it.
        assert_eq!(session.state().builds, 1);
        let Some((id, _)) = &vm.image else {
            panic!("{:?}", vm.error);
        };
        assert!(vm.progress.contains(&format!("writing image sha256:{id}")));
        assert!(vm.progress.contains("[build 5/8] RUN dotnet restore"));
        let again = session.build(&project, &BuildSettings::default(), true);
        assert_eq!(session.state().builds, 2);
        assert!(step(&again, "[build 5/8]").cached);
        // An argument the CLI refuses is shown as the build's error.
        let bad = BuildSettings {
            target: "nope".into(),
            ..BuildSettings::default()
        };
        let failed = session.build(&project, &bad, true);
        assert!(failed
            .error
            .as_ref()
            .is_some_and(|(m, _)| m.contains("target stage \"nope\" could not be found")));
    }

    #[test]
    fn the_sample_stage_graph_goes_from_build_to_the_final_stage() {
        let project = Project::sample();
        let vm = Session::new().build(&project, &BuildSettings::default(), false);
        let g = &vm.graph;
        let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["build", "stage-1"]);
        assert_eq!((g.columns, g.rows), (2, 1));
        assert_eq!((g.nodes[0].column, g.nodes[1].column), (0, 1));
        assert!(!g.nodes[0].target && g.nodes[1].target);
        assert_eq!(g.nodes[0].base, "FROM mcr.microsoft.com/dotnet/sdk:8.0");
        assert_eq!(g.nodes[0].section.as_deref(), Some("build"));
        assert!(
            g.nodes[0].status.starts_with("8 steps"),
            "{}",
            g.nodes[0].status
        );
        assert_eq!(g.edges.len(), 1);
        assert_eq!((g.edges[0].from, g.edges[0].to), (0, 1));
        assert_eq!(g.edges[0].label, "COPY --from");
        assert!(g.edges[0].active);

        // --target build: the final stage is greyed, with the reason.
        let settings = BuildSettings {
            target: "build".into(),
            ..BuildSettings::default()
        };
        let vm = Session::new().build(&project, &settings, false);
        let last = &vm.graph.nodes[1];
        assert_eq!(last.skipped.as_deref(), Some("not needed for target build"));
        assert_eq!(last.section, None);
        assert!(vm.graph.nodes[0].target);
        assert!(!vm.graph.edges[0].active);
    }

    #[test]
    fn images_named_by_copy_from_are_nodes_of_their_own() {
        let project = Project::sample().with_file(ProjectFile::text(
            "Dockerfile",
            "FROM alpine:3.20 AS base\nRUN echo hi > /hi\n\
             FROM base AS test\nRUN echo test\n\
             FROM alpine:3.20\nCOPY --from=busybox:1.36 /bin/busybox /busybox\n\
             COPY --from=base /hi /hi\nCOPY --from=base /hi /again\n",
        ));
        let vm = Session::new().build(&project, &BuildSettings::default(), false);
        assert_eq!(vm.error, None);
        let g = &vm.graph;
        let names: Vec<(&str, bool, usize)> = g
            .nodes
            .iter()
            .map(|n| (n.name.as_str(), n.image, n.column))
            .collect();
        assert_eq!(
            names,
            [
                ("base", false, 0),
                ("test", false, 1),
                ("stage-2", false, 1),
                ("busybox:1.36", true, 0)
            ]
        );
        let labels: Vec<(usize, usize, &str)> = g
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.label.as_str()))
            .collect();
        assert_eq!(
            labels,
            [(0, 1, "FROM"), (3, 2, "COPY --from"), (0, 2, "COPY --from")]
        );
        assert_eq!(
            g.nodes[1].skipped.as_deref(),
            Some("not needed for target stage-2")
        );
        // The test stage inherits base's layer: marked as base's.
        let test = &vm.stage_layers[1];
        assert!(!test.needed && test.layers.is_empty());
        let base = &vm.stage_layers[0];
        assert!(base
            .layers
            .iter()
            .any(|l| l.base.is_none() && l.stage.is_none()));
    }

    #[test]
    fn the_build_stage_layers_are_the_sdk_s_and_its_own() {
        let project = Project::sample();
        let vm = Session::new().build(&project, &BuildSettings::default(), false);
        let names: Vec<&str> = vm.stage_layers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["build", "stage-1"]);
        let build = &vm.stage_layers[0];
        assert!(!build.target && build.needed);
        let sdk = build.layers.iter().take_while(|l| l.base.is_some()).count();
        assert!(sdk >= 2);
        assert!(build.layers[..sdk]
            .iter()
            .all(|l| l.base.as_deref() == Some("mcr.microsoft.com/dotnet/sdk:8.0")));
        assert!(build.files[..sdk].iter().all(Option::is_none));
        let sln = build
            .layers
            .iter()
            .position(|l| l.created_by.contains("COPY *.sln"))
            .and_then(|i| build.files[i].clone());
        assert_eq!(
            sln.map(|f| f
                .iter()
                .map(|c| (c.change, c.path.clone()))
                .collect::<Vec<_>>()),
            Some(vec![("added", "/source/aspnetapp.sln".to_owned())])
        );
        let last = &vm.stage_layers[1];
        assert!(last.target);
        assert_eq!(last.layers, vm.layers);
    }

    /// The Images view as it was computed with maps (sorted sets and
    /// counts), to compare with.
    fn images_vm_by_maps(state: &State, bases: &[String]) -> ImagesVm {
        let mut images = Vec::new();
        let mut names: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (tag, id) in &state.tags {
            names
                .entry(id.as_str())
                .or_default()
                .push(super::familiar(tag));
        }
        for (id, img) in &state.images {
            let Some(tags) = names.get(id.as_str()) else {
                continue; // dangling images are left out of the picture
            };
            images.push(ImageVm {
                name: tags.join(", "),
                id: short_digest(id),
                size: img.size(),
                // As `docker system df -v` counts it (images in the store only).
                shared: image_store::shared_size(state, img),
                base: false,
                layers: img
                    .layers
                    .iter()
                    .map(|l| super::image_layer_vm(&l.digest, l.size, &l.created_by))
                    .collect(),
            });
        }
        for reference in bases {
            let Ok(base) = catalog::resolve(reference) else {
                continue;
            };
            let familiar = super::familiar(&base.reference);
            if images.iter().any(|i: &ImageVm| i.name == familiar) {
                continue;
            }
            images.push(ImageVm {
                name: familiar,
                id: short_digest(&base.digest),
                size: base.size(),
                shared: 0,
                base: true,
                layers: base
                    .layers
                    .iter()
                    .map(|l| super::image_layer_vm(&l.digest, l.size, &l.created_by))
                    .collect(),
            });
        }
        let mut count: BTreeMap<String, (usize, u64)> = BTreeMap::new();
        for img in &images {
            let distinct: BTreeSet<&String> =
                shared_sort::collect_by_insert(img.layers.iter().map(|l| &l.digest));
            for (d, size) in distinct.into_iter().map(|d| {
                (
                    d,
                    img.layers
                        .iter()
                        .find(|l| &l.digest == d)
                        .map_or(0, |l| l.size),
                )
            }) {
                let e = count.entry(d.clone()).or_insert((0, size));
                e.0 += 1;
            }
        }
        for img in &mut images {
            for l in &mut img.layers {
                l.shared_by = count.get(&l.digest).map_or(1, |c| c.0);
            }
            if img.base {
                img.shared = img
                    .layers
                    .iter()
                    .filter(|l| l.shared_by > 1)
                    .map(|l| l.size)
                    .sum();
            }
        }
        ImagesVm {
            total: count.values().map(|(_, s)| *s).sum(),
            images,
        }
    }

    #[test]
    fn images_view_counts_as_with_maps() {
        let mut session = Session::new();
        let settings = BuildSettings::default();
        let mut bases = Vec::new();
        let mut cases = 0;
        for sample in SAMPLES {
            let project = Project::from_sample(sample);
            session.build(&project, &settings, true);
            bases.extend(session.bases.iter().cloned());
            bases.push("no-such-image:0".to_owned());
            bases.push("alpine:3.20".to_owned());
            for line in [
                format!("docker tag {} second-name:1", sample.image),
                format!("docker tag {} {}:v2", sample.image, sample.image),
            ] {
                session.terminal(&line, &project, &settings);
                let vm = images_vm(session.state(), &bases);
                assert_eq!(vm, images_vm_by_maps(session.state(), &bases));
                assert!(vm.images.iter().any(|i| i.name.contains(", ")));
                cases += 1;
            }
        }
        println!("{cases} stores compared");
    }

    #[test]
    fn end_lines_follow_continuations_and_heredocs() {
        let text = "FROM alpine\nRUN a \\\n  b \\\n  c\nRUN <<EOF\necho\nEOF\nCMD x\n";
        let ends = end_lines(text);
        assert_eq!(ends, vec![(1, 1), (2, 4), (5, 7), (8, 8)]);
        assert_eq!(end_line(&ends, 2), 4);
        assert_eq!(end_line(&ends, 5), 7);
        assert_eq!(end_line(&ends, 3), 3);
        // As a map built by insertion would: the last entry for a line wins.
        assert_eq!(end_line(&[(2, 3), (2, 9)], 2), 9);
    }

    #[test]
    fn dockerignore_greys_files() {
        let project = Project::sample().with_file(ProjectFile::text("README.md", "x"));
        let ignored = ignored_files(&project);
        assert!(ignored.contains_key("README.md"));
        assert!(ignored.contains_key("Dockerfile"));
        assert!(!ignored.contains_key("aspnetapp/Program.cs"));
    }
}
