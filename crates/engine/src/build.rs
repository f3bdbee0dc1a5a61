//! `docker build` as BuildKit runs a Dockerfile: stages and their
//! dependencies, ARG/ENV scoping, each instruction turned into a build
//! vertex with its cache key, the modelled file system of every step, and
//! which vertices BuildKit would show as CACHED, with a reason for every
//! one it would not.
//!
//! The BuildKit behaviours modelled here, each where it happens:
//! * vertex names (`[build 5/8] RUN dotnet restore`): the keyword upper
//!   cased, build args and ENV expanded, a heredoc summarized, the index
//!   padded to the width of the total (`prefixCommand`);
//! * `stage-N` names for unnamed stages, and no stage name at all when the
//!   build has a single stage state (`buildStageDependencyGraph`); a
//!   `COPY --from=<image>` or any `RUN --mount` adds a state, so even a
//!   one-stage file then shows `stage-0`;
//! * identical vertices are one vertex (LLB de-duplicates by digest): a
//!   second stage FROM the same image has no FROM row of its own, and the
//!   name shown is the one marshalled last (`mergeMetadata`);
//! * a FROM row is CACHED only when the image is already in the cache and
//!   a step built directly on it runs (the image is then loaded, not
//!   pulled);
//! * `COPY --link` is a copy onto an empty layer plus a merge (`LINK`),
//!   both with the step's index;
//! * `--no-cache` / `--no-cache-filter` make RUN, COPY and ADD run again
//!   (not WORKDIR, not FROM), and everything built on them.

use std::collections::BTreeMap;

use layerlab_syntax::words::{EnvGetter, Lexer};
use layerlab_syntax::{Dockerfile, Span};
use serde::Serialize;

use crate::args::{default_args, proxy_env, EnvList, Platform};
use crate::cache::{
    compute_key, explain, CacheKey, CacheRecord, CopyInputs, ExecInputs, KeyInputs, MissReason,
    MountInputs, SourceInputs,
};
use crate::catalog::{self, BaseImage};
use crate::context::Context;
use crate::copy::{self, Chmod, Chown, CopyOptions, EntrySum, Selection};
use crate::digest::{digest_of, sha256_digest};
use crate::dockerignore::DockerIgnore;
use crate::filesystem::{Fs, LayerDiff, Node};
use crate::image::{EmptyObject, Healthcheck, ImageConfig};
use crate::instructions::{
    self, chomp_heredoc, parse_heredoc_word, ArgDef, Command, CommandKind, InlineFile,
};
use crate::paths;
use crate::shared_sort;
use crate::shell::{self, ExecEnv};
use crate::stage_graph::{
    file_changes, DependencyKind, DependencySource, LayerFileChange, StageDependency, StageReport,
};
use crate::state::{HistoryEntry, LayerInfo, State, StoredImage};

/// How to build (the `docker build` flags that matter to the build).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildOptions {
    /// The Dockerfile's path inside the context (`Dockerfile`), used for
    /// messages and `<Dockerfile>.dockerignore`.
    pub dockerfile: String,
    /// `--target`.
    pub target: Option<String>,
    /// `--build-arg`s (the last value of a name wins).
    pub build_args: BTreeMap<String, String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--no-cache-filter` stage names.
    pub no_cache_filter: Vec<String>,
    /// `-t` tags, as written.
    pub tags: Vec<String>,
    /// `--platform`, when given.
    pub platform: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            dockerfile: "Dockerfile".to_string(),
            target: None,
            build_args: BTreeMap::new(),
            no_cache: false,
            no_cache_filter: Vec::new(),
            tags: Vec::new(),
            platform: None,
        }
    }
}

/// What kind of vertex a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// FROM an image.
    From,
    /// RUN.
    Run,
    /// COPY (or the copy half of `COPY --link`).
    Copy,
    /// ADD.
    Add,
    /// WORKDIR creating its directory.
    Workdir,
    /// The `LINK` merge of `COPY --link`.
    Link,
}

/// One build step as BuildKit shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Its number in the plain progress output (`#7`).
    pub vertex: usize,
    /// The vertex name (`[build 5/8] RUN dotnet restore`).
    pub name: String,
    /// The stage name as shown (`build`, `stage-1`); `None` for a
    /// single-stage build.
    pub stage: Option<String>,
    /// Index in the stage (`5` of `[build 5/8]`).
    pub index: usize,
    /// Total of the stage (`8`).
    pub total: usize,
    /// The text after `] `.
    pub instruction: String,
    /// What it is.
    pub kind: StepKind,
    /// True when BuildKit shows it CACHED.
    pub cached: bool,
    /// Why it is not CACHED, in words.
    pub reason: Option<String>,
    /// The same, structured.
    pub miss: Option<MissReason>,
    /// Modelled duration, seconds (0 when cached).
    pub duration_s: f64,
    /// Modelled start time from the beginning of the build, seconds
    /// (independent stages run in parallel).
    pub start_s: f64,
    /// Size of the layer it makes, bytes (`None` when it makes none).
    pub layer_size: Option<u64>,
    /// 1-based Dockerfile line.
    pub line: usize,
    /// What the step printed (RUN), when it ran.
    pub output: Vec<String>,
    /// What the model estimated instead of simulating.
    pub notes: Vec<String>,
    /// The cache key.
    pub key: String,
    /// What the key was computed from.
    pub inputs: KeyInputs,
    /// The error that stopped the build at this step.
    pub error: Option<String>,
}

/// A base image the build resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedImage {
    /// Normalized reference (`docker.io/library/alpine:3.20`).
    pub reference: String,
    /// With digest.
    pub pinned: String,
    /// True when the catalog knows it.
    pub known: bool,
    /// One line about it.
    pub description: String,
    /// True when this build pulled it (first use in this cache).
    pub pulled: bool,
    /// Its size.
    pub size: u64,
}

/// The image a build produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltImage {
    /// `sha256:...`.
    pub id: String,
    /// Normalized tags.
    pub tags: Vec<String>,
    /// Total size of its layers.
    pub size: u64,
    /// Config.
    pub config: ImageConfig,
    /// History.
    pub history: Vec<HistoryEntry>,
    /// Layers, bottom first.
    pub layers: Vec<LayerInfo>,
    /// The modelled file system of the image (what `docker run` sees).
    #[serde(skip)]
    pub filesystem: Fs,
}

/// Why a build failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildError {
    /// BuildKit's message (shown after `ERROR: failed to solve: `).
    pub message: String,
    /// 1-based Dockerfile line, when it concerns one.
    pub line: Option<usize>,
    /// The source span, when known.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// A warning the build reports (`N warnings found`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildWarning {
    /// Rule or kind.
    pub rule: String,
    /// Text.
    pub message: String,
    /// 1-based line.
    pub line: usize,
}

/// Everything a build did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildReport {
    /// The Dockerfile's steps in Dockerfile order (stage by stage as the
    /// stages appear, index ascending; the copy half of `COPY --link`
    /// before its `LINK`).
    pub steps: Vec<Step>,
    /// Stages the target does not need (not built).
    pub skipped_stages: Vec<String>,
    /// The stage built.
    pub target: String,
    /// Base images used.
    pub images: Vec<ResolvedImage>,
    /// Bytes of the Dockerfile.
    pub dockerfile_bytes: usize,
    /// Bytes and files of the context sent (after `.dockerignore`), when
    /// a step reads the context.
    pub context_transfer: Option<(u64, usize)>,
    /// Patterns of the `.dockerignore` in force.
    pub dockerignore: Vec<String>,
    /// The result, when the build succeeded.
    pub image: Option<BuiltImage>,
    /// Warnings.
    pub warnings: Vec<BuildWarning>,
    /// The failure, if any.
    pub error: Option<BuildError>,
    /// Modelled total duration, seconds.
    pub duration_s: f64,
    /// The Dockerfile's stages in order, with their dependencies, whether
    /// the target needs them, and the layers each built stage ends with
    /// (empty when the build failed before planning its stages).
    pub stages: Vec<StageReport>,
    /// The file changes of every layer this build made, any stage's, by
    /// layer digest ([`LayerInfo::digest`]).
    pub layer_files: BTreeMap<String, Vec<LayerFileChange>>,
}

impl BuildReport {
    fn failed(error: BuildError, dockerfile_bytes: usize) -> BuildReport {
        BuildReport {
            steps: Vec::new(),
            skipped_stages: Vec::new(),
            target: String::new(),
            images: Vec::new(),
            dockerfile_bytes,
            context_transfer: None,
            dockerignore: Vec::new(),
            image: None,
            warnings: Vec::new(),
            error: Some(error),
            duration_s: 0.0,
            stages: Vec::new(),
            layer_files: BTreeMap::new(),
        }
    }
}

fn err_at(message: impl Into<String>, line: usize, span: Span) -> BuildError {
    BuildError {
        message: message.into(),
        line: Some(line),
        span: Some(span),
    }
}

/// A dispatch state (BuildKit's `dispatchState`): one stage, or an image
/// only named by `COPY --from` / `RUN --mount`.
#[derive(Clone)]
struct Ds {
    stage_idx: Option<usize>,
    name: Option<String>,
    stage_name: String,
    base_name: String,
    base: Option<usize>,
    unregistered: bool,
    commands: Vec<(Command, bool)>,
    deps: Vec<usize>,
    /// The `COPY --from` / mount dependencies as the stage graph reports
    /// them: kind, state, line.
    edges: Vec<(DependencyKind, usize, usize)>,
    cmd_total: usize,
    cmd_index: usize,
    ignore_cache: Option<MissReason>,
    line: usize,
    span: Span,
    image: Option<BaseImage>,
    image_vertex: Option<usize>,
    dispatched: bool,
    config: ImageConfig,
    author: Option<String>,
    env: EnvList,
    dir: String,
    user: String,
    fs: Fs,
    last: Option<usize>,
    build_args: Vec<(String, Option<String>)>,
    cmd_set: bool,
    history: Vec<HistoryEntry>,
    layers: Vec<LayerInfo>,
}

/// One vertex of the build graph.
struct V {
    ds: usize,
    kind: StepKind,
    name: String,
    is_step: bool,
    stage_name: String,
    index: usize,
    total: usize,
    instruction: String,
    line: usize,
    chain: Vec<usize>,
    llb_inputs: Vec<usize>,
    inputs: KeyInputs,
    key: CacheKey,
    def: String,
    forced: Option<MissReason>,
    arg_names: Vec<String>,
    layer: Option<LayerDiff>,
    output: String,
    duration_ms: u64,
    notes: Vec<String>,
    estimated_bytes: u64,
    error: Option<String>,
    image: Option<BaseImage>,
}

/// BuildKit's `uppercaseCmd`: the first word upper-cased.
fn uppercase_cmd(s: &str) -> String {
    match s.split_once(' ') {
        Some((a, b)) => format!("{} {b}", a.to_uppercase()),
        None => s.to_uppercase(),
    }
}

/// BuildKit's `summarizeHeredoc`: the first line, `...` when more follow.
fn summarize_heredoc(doc: &str) -> String {
    let doc = doc.trim();
    let doc = doc.replace("\r\n", "\n");
    let mut lines = doc.split('\n');
    let first = lines.next().unwrap_or("").to_string();
    if lines.next().is_some() {
        format!("{first}...")
    } else {
        first
    }
}

/// BuildKit's `prefixCommand`: `[stage i/n] ` in front (nothing when the
/// stage makes no vertex), the index padded to the width of the total.
fn prefix_command(ds: &mut Ds, s: &str, onbuild: bool) -> (String, usize, bool) {
    if ds.cmd_total == 0 {
        return (s.to_string(), 0, false);
    }
    let mut out = String::from("[");
    if !ds.stage_name.is_empty() {
        out.push_str(&ds.stage_name);
        out.push(' ');
    }
    ds.cmd_index += 1;
    let width = ds.cmd_total.to_string().len();
    out.push_str(&format!("{:>width$}/{}] ", ds.cmd_index, ds.cmd_total));
    if onbuild {
        out.push_str("ONBUILD ");
    }
    out.push_str(s);
    (out, ds.cmd_index, true)
}

/// The build.
struct Builder<'a> {
    opts: &'a BuildOptions,
    lexer: Lexer,
    platform: Platform,
    ds: Vec<Ds>,
    vertices: Vec<V>,
    global_args: EnvList,
    context: &'a Context,
    context_fs: Option<Fs>,
    ignore: DockerIgnore,
    context_used: bool,
    runtime_error: Option<(BuildError, Option<usize>)>,
    /// The file changes of every layer made, by layer digest, with the
    /// bytes estimated beyond them (kept in the image store). (Boxed, as
    /// `State`'s layers: one copy of `BTreeMap`'s node code for both.)
    layer_diffs: BTreeMap<String, Box<(LayerDiff, u64)>>,
}

fn name_of(ds: &Ds) -> String {
    ds.name.clone().unwrap_or_default()
}

impl<'a> Builder<'a> {
    fn find_by_name(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.ds
            .iter()
            .position(|d| !d.unregistered && d.name.as_deref() == Some(lower.as_str()))
    }

    fn expand(&self, word: &str, env: &dyn EnvGetter) -> Result<String, String> {
        self.lexer.process_word(word, env).map_err(|e| e.message)
    }

    fn new_ds(&self, base_name: &str, unregistered: bool, line: usize, span: Span) -> Ds {
        Ds {
            stage_idx: None,
            name: None,
            stage_name: String::new(),
            base_name: base_name.to_string(),
            base: None,
            unregistered,
            commands: Vec::new(),
            deps: Vec::new(),
            edges: Vec::new(),
            cmd_total: 0,
            cmd_index: 0,
            ignore_cache: None,
            line,
            span,
            image: None,
            image_vertex: None,
            dispatched: false,
            config: ImageConfig::default(),
            author: None,
            env: EnvList::new(),
            dir: "/".to_string(),
            user: String::new(),
            fs: Fs::new(),
            last: None,
            build_args: Vec::new(),
            cmd_set: false,
            history: Vec::new(),
            layers: Vec::new(),
        }
    }

    /// `addState`: a later state whose base name is an earlier stage's
    /// name builds on it.
    fn add_state(&mut self, mut ds: Ds) -> usize {
        if let Some(b) = self
            .ds
            .iter()
            .position(|d| !d.unregistered && d.name.as_deref() == Some(ds.base_name.as_str()))
        {
            ds.base = Some(b);
        }
        self.ds.push(ds);
        self.ds.len() - 1
    }

    /// The state a `--from` or mount `from=` names: a stage (by name or
    /// index) or an image (a new unregistered state).
    fn source_state(&mut self, from: &str, line: usize, span: Span) -> Result<usize, BuildError> {
        if let Ok(i) = from.parse::<i64>() {
            if i < 0 || i as usize >= self.ds.len() {
                return Err(err_at(format!("invalid stage index {i}"), line, span));
            }
            return Ok(i as usize);
        }
        if let Some(i) = self.find_by_name(from) {
            return Ok(i);
        }
        // The image state `buildStageDependencyGraph` added for this name.
        if let Some(i) = self
            .ds
            .iter()
            .position(|d| d.unregistered && d.base_name == from)
        {
            return Ok(i);
        }
        let ds = self.new_ds(from, true, line, span);
        Ok(self.add_state(ds))
    }

    fn push_vertex(&mut self, mut v: V) -> usize {
        let parents: Vec<CacheKey> = v
            .chain
            .iter()
            .map(|&c| self.vertices[c].key.clone())
            .collect();
        v.key = compute_key(&parents, &v.inputs);
        let input_defs: Vec<&str> = v
            .llb_inputs
            .iter()
            .map(|&c| self.vertices[c].def.as_str())
            .collect();
        v.def = digest_of(&("def", input_defs, def_view(&v.inputs)));
        self.vertices.push(v);
        self.vertices.len() - 1
    }

    fn context_fs(&mut self) -> Fs {
        self.context_used = true;
        if self.context_fs.is_none() {
            self.context_fs = Some(self.context.to_fs(&self.ignore));
        }
        self.context_fs.clone().unwrap_or_default()
    }
}

/// The key inputs with source contents left out: what the LLB definition
/// digest (which de-duplicates vertices) depends on.
fn def_view(inputs: &KeyInputs) -> KeyInputs {
    let mut i = inputs.clone();
    match &mut i {
        KeyInputs::Copy { actions, .. } => {
            for a in actions {
                a.source.files = Selection::new();
            }
        }
        KeyInputs::Exec(e) => {
            for m in &mut e.mounts {
                if let Some(s) = &mut m.source {
                    s.files = Selection::new();
                }
            }
        }
        _ => {}
    }
    i
}

fn go_quote_list(args: &[String]) -> String {
    let inner: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
    format!("[{}]", inner.join(" "))
}

fn with_shell(config: &ImageConfig, args: &[String]) -> Vec<String> {
    let mut s = config.shell_or_default();
    s.push(args.join(" "));
    s
}

/// `runCommandString`: the RUN history text with the build args in front.
fn run_command_string(
    args: &[String],
    build_args: &[(String, Option<String>)],
    env: &EnvList,
) -> String {
    let mut tmp: Vec<(String, String)> = Vec::new();
    for (k, v) in build_args {
        let val = env
            .value(k)
            .map(String::from)
            .unwrap_or_else(|| v.clone().unwrap_or_default());
        match tmp.iter_mut().find(|(x, _)| x == k) {
            Some(e) => e.1 = val,
            None => tmp.push((k.clone(), val)),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !tmp.is_empty() {
        parts.push(format!("|{}", tmp.len()));
        parts.extend(tmp.iter().map(|(k, v)| format!("{k}={v}")));
    }
    parts.extend(args.iter().cloned());
    parts.join(" ")
}

/// Parses EXPOSE values into `port/proto` entries.
fn parse_ports(ports: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for p in ports {
        let (rest, proto) = match p.rsplit_once('/') {
            Some((r, pr)) => (r, pr.to_lowercase()),
            None => (p.as_str(), "tcp".to_string()),
        };
        let port = rest.rsplit(':').next().unwrap_or(rest);
        let (lo, hi) = match port.split_once('-') {
            Some((a, b)) => (a, b),
            None => (port, port),
        };
        let lo: u32 = lo
            .parse()
            .map_err(|_| format!("invalid containerPort: {port}"))?;
        let hi: u32 = hi
            .parse()
            .map_err(|_| format!("invalid containerPort: {port}"))?;
        if lo > 65535 || hi > 65535 || hi < lo {
            return Err(format!("invalid range specified for containerPort: {port}"));
        }
        for n in lo..=hi {
            out.push(format!("{n}/{proto}"));
        }
    }
    Ok(out)
}

/// The signal names moby's `signal.SignalMap` knows on Linux, without `SIG`.
pub(crate) const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

/// A STOPSIGNAL the build accepts: a number from 1 to 64 or a name with
/// any `+`/`-` suffix. (The linter's check is moby's `ParseSignal` to the
/// letter; merging would change which signals the build accepts.)
fn valid_signal(s: &str) -> bool {
    if let Ok(n) = s.parse::<u32>() {
        return n > 0 && n < 65;
    }
    let up = s.to_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    let base = name.split(['+', '-']).next().unwrap_or(name);
    SIGNALS.contains(&base)
}

/// Runs a build: parse, plan, model every step, decide what is CACHED,
/// update `state` (cache and image store).
pub fn build(
    dockerfile_text: &str,
    context: &Context,
    opts: &BuildOptions,
    state: &mut State,
) -> BuildReport {
    let bytes = dockerfile_text.len();
    if dockerfile_text.is_empty() {
        return BuildReport::failed(
            BuildError {
                message: "the Dockerfile cannot be empty".into(),
                line: None,
                span: None,
            },
            bytes,
        );
    }
    if let Err(e) = crate::limits::check_file_size("Dockerfile", bytes) {
        return BuildReport::failed(
            BuildError {
                message: e.message,
                line: None,
                span: None,
            },
            bytes,
        );
    }
    for tag in &opts.tags {
        if let Err(e) = catalog::Reference::parse(tag) {
            return BuildReport::failed(
                BuildError {
                    message: format!("invalid tag {tag:?}: {}", e.message),
                    line: None,
                    span: None,
                },
                bytes,
            );
        }
    }
    let df = match layerlab_syntax::parse(dockerfile_text) {
        Ok(df) => df,
        Err(e) => {
            return BuildReport::failed(
                BuildError {
                    message: format!("dockerfile parse error on line {}: {}", e.line, e.message),
                    line: Some(e.line),
                    span: Some(e.span),
                },
                bytes,
            )
        }
    };
    if let Err(e) = crate::limits::check_instruction_count(df.instructions.len()) {
        return BuildReport::failed(
            BuildError {
                message: e.message,
                line: None,
                span: None,
            },
            bytes,
        );
    }
    let ignore = match context.dockerignore(&opts.dockerfile) {
        Ok(i) => i,
        Err(e) => {
            return BuildReport::failed(
                BuildError {
                    message: format!("failed to parse dockerignore: {e}"),
                    line: None,
                    span: None,
                },
                bytes,
            )
        }
    };
    match run_build(&df, context, ignore, opts, state, bytes) {
        Ok(r) => r,
        Err(e) => BuildReport::failed(e, bytes),
    }
}

fn run_build(
    df: &Dockerfile,
    context: &Context,
    ignore: DockerIgnore,
    opts: &BuildOptions,
    state: &mut State,
    dockerfile_bytes: usize,
) -> Result<BuildReport, BuildError> {
    let parsed = instructions::parse(df).map_err(|e| BuildError {
        message: e.to_string(),
        line: Some(e.line),
        span: Some(e.span),
    })?;
    if parsed.stages.is_empty() {
        return Err(BuildError {
            message: "dockerfile contains no stages to build".into(),
            line: None,
            span: None,
        });
    }
    let platform = match &opts.platform {
        Some(p) => Platform::parse(p).map_err(|e| BuildError {
            message: format!("failed to parse target platform {p}: {e}"),
            line: None,
            span: None,
        })?,
        None => Platform::linux_amd64(),
    };
    let mut b = Builder {
        opts,
        lexer: Lexer::new(df.escape),
        platform: platform.clone(),
        ds: Vec::new(),
        vertices: Vec::new(),
        global_args: EnvList::new(),
        context,
        context_fs: None,
        ignore,
        context_used: false,
        runtime_error: None,
        layer_diffs: BTreeMap::new(),
    };
    let warnings: Vec<BuildWarning> = df
        .warnings
        .iter()
        .map(|w| BuildWarning {
            rule: "NoEmptyContinuation".into(),
            message: w.short.clone(),
            line: w.line,
        })
        .collect();

    // Global scope: the platform ARGs, then the ARGs before the first FROM.
    let target_name = opts
        .target
        .clone()
        .or_else(|| parsed.stages.last().and_then(|s| s.name.clone()))
        .unwrap_or_default();
    let mut global = default_args(
        &Platform::linux_amd64(),
        &platform,
        &opts.build_args,
        &target_name,
    );
    for cmd in &parsed.meta_args {
        let CommandKind::Arg(defs) = &cmd.kind else {
            continue;
        };
        for ArgDef { key, value } in defs {
            let v = match opts.build_args.get(key) {
                Some(v) => Some(v.clone()),
                None => match value {
                    Some(d) => Some(
                        b.lexer
                            .process_word(d, &global)
                            .map_err(|e| err_at(e.message, cmd.line, cmd.span))?,
                    ),
                    None => None,
                },
            };
            if let Some(v) = v {
                global.add_or_replace(key, &v);
            }
        }
    }
    b.global_args = global;

    // Stages.
    for (i, st) in parsed.stages.iter().enumerate() {
        let base = b
            .lexer
            .process_word(&st.base_name, &b.global_args)
            .map_err(|e| err_at(e.message, st.line, st.span))?;
        if base.is_empty() {
            return Err(err_at(
                format!("base name ({}) should not be blank", st.base_name),
                st.line,
                st.span,
            ));
        }
        if let Some(p) = &st.platform {
            let pv = b
                .lexer
                .process_word(p, &b.global_args)
                .map_err(|e| err_at(e.message, st.line, st.span))?;
            if pv.is_empty() {
                return Err(err_at(
                    format!("empty platform value from expression {p}"),
                    st.line,
                    st.span,
                ));
            }
            Platform::parse(&pv).map_err(|e| {
                err_at(
                    format!("failed to parse platform {p}: {e}"),
                    st.line,
                    st.span,
                )
            })?;
        }
        let mut ds = b.new_ds(&base, false, st.line, st.span);
        ds.stage_idx = Some(i);
        ds.name = st.name.clone();
        ds.stage_name = st.name.clone().unwrap_or_else(|| format!("stage-{i}"));
        ds.commands = st.commands.iter().map(|c| (c.clone(), false)).collect();
        let idx = b.add_state(ds);
        let d = &mut b.ds[idx];
        let mut total = usize::from(d.base_name != "scratch" && d.base.is_none());
        total += st
            .commands
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    CommandKind::Add(_)
                        | CommandKind::Copy(_)
                        | CommandKind::Run(_)
                        | CommandKind::Workdir(_)
                )
            })
            .count();
        d.cmd_total = total;
        if opts.no_cache {
            d.ignore_cache = Some(MissReason::NoCache);
        } else if let Some(n) = &st.name {
            if opts
                .no_cache_filter
                .iter()
                .any(|f| f.eq_ignore_ascii_case(n))
            {
                d.ignore_cache = Some(MissReason::NoCacheFilter { stage: n.clone() });
            }
        }
    }

    // Target.
    let target = match &opts.target {
        Some(t) => b.find_by_name(t).ok_or_else(|| {
            let names: Vec<String> = b.ds.iter().filter_map(|d| d.name.clone()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            BuildError {
                message: instructions::suggest(
                    format!("target stage {t:?} could not be found"),
                    t,
                    &names,
                    true,
                ),
                line: None,
                span: None,
            }
        })?,
        None => b.ds.len() - 1,
    };

    // Dependencies (`COPY --from`, `RUN --mount from=`), ONBUILD triggers.
    let n_stages = b.ds.len();
    for i in 0..n_stages {
        // ONBUILD triggers of a base stage run first in the stage built on it.
        if let Some(base) = b.ds[i].base {
            let triggers: Vec<String> = b.ds[base]
                .commands
                .iter()
                .filter_map(|(c, _)| match &c.kind {
                    CommandKind::Onbuild(e) => Some(e.clone()),
                    _ => None,
                })
                .collect();
            let (line, span) = (b.ds[i].line, b.ds[i].span);
            let mut cmds = Vec::new();
            for t in triggers {
                let parsed =
                    layerlab_syntax::parse(&t).map_err(|e| err_at(e.message, line, span))?;
                let Some(ins) = parsed.instructions.first() else {
                    continue;
                };
                let mut c =
                    instructions::parse_command(ins).map_err(|e| err_at(e.message, line, span))?;
                c.line = line;
                c.span = span;
                cmds.push((c, true));
            }
            let n = cmds.len();
            if n > 0 {
                cmds.extend(std::mem::take(&mut b.ds[i].commands));
                b.ds[i].commands = cmds;
                b.ds[i].cmd_total += n;
            }
        }
        let cmds: Vec<Command> = b.ds[i].commands.iter().map(|(c, _)| c.clone()).collect();
        for c in &cmds {
            match &c.kind {
                CommandKind::Copy(cc) => {
                    if let Some(from) = &cc.from {
                        let res = b
                            .lexer
                            .process_word(from, &Vec::<(String, String)>::new())
                            .ok();
                        if res.as_deref() != Some(from.as_str()) {
                            return Err(err_at(
                                "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
                                c.line,
                                c.span,
                            ));
                        }
                        let s = b.source_state(from, c.line, c.span)?;
                        b.ds[i].deps.push(s);
                        b.ds[i].edges.push((DependencyKind::CopyFrom, s, c.line));
                    }
                }
                CommandKind::Run(r) => {
                    for m in &r.mounts {
                        let parsed = instructions::parse_mount(m, None)
                            .map_err(|e| err_at(e, c.line, c.span))?;
                        let from = parsed.from.clone().unwrap_or_else(|| "scratch".into());
                        let s = match b.find_by_name(&from) {
                            Some(s) => s,
                            None => {
                                let ds = b.new_ds(&from, true, c.line, c.span);
                                b.add_state(ds)
                            }
                        };
                        if parsed.from.is_some() {
                            b.ds[i].deps.push(s);
                            b.ds[i].edges.push((DependencyKind::Mount, s, c.line));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if b.ds.len() == 1 {
        b.ds[0].stage_name = String::new();
    }
    // Unregistered states are named by BuildKit too (never shown).
    for d in &mut b.ds {
        if d.unregistered {
            d.stage_name = String::new();
        }
    }

    // Cycles and reachability from the target. (Flags by stage index, not
    // a `BTreeSet<usize>`: one set type less in the wasm.)
    let mut reachable = vec![false; b.ds.len()];
    let mut stack = vec![target];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut reachable[s], true) {
            continue;
        }
        if let Some(base) = b.ds[s].base {
            stack.push(base);
        }
        stack.extend(b.ds[s].deps.iter().copied());
    }
    for s in (0..b.ds.len()).filter(|&s| reachable[s]) {
        let mut seen = vec![false; b.ds.len()];
        let mut st = vec![s];
        while let Some(x) = st.pop() {
            let mut next: Vec<usize> = b.ds[x].deps.clone();
            next.extend(b.ds[x].base);
            for n in next {
                if n == s {
                    return Err(err_at(
                        format!(
                            "circular dependency detected on stage: {}",
                            b.ds[s].stage_name
                        ),
                        b.ds[s].line,
                        b.ds[s].span,
                    ));
                }
                if !std::mem::replace(&mut seen[n], true) {
                    st.push(n);
                }
            }
        }
    }

    // Base images (resolved for every state built on an image).
    let mut resolved: Vec<ResolvedImage> = Vec::new();
    for (i, &wanted) in reachable.iter().enumerate() {
        if b.ds[i].base.is_some() || b.ds[i].base_name == "scratch" {
            continue;
        }
        if !wanted {
            continue;
        }
        let name = b.ds[i].base_name.clone();
        let img = catalog::resolve(&name).map_err(|e| {
            err_at(
                format!("failed to parse stage name {name:?}: {}", e.message),
                b.ds[i].line,
                b.ds[i].span,
            )
        })?;
        let inputs = KeyInputs::Image {
            reference: img.reference.clone(),
            digest: img.digest.clone(),
            platform: b.platform.format(),
        };
        let ds = &mut b.ds[i];
        let (vname, index, is_step) = prefix_command(ds, &format!("FROM {}", img.pinned()), false);
        let stage_name = ds.stage_name.clone();
        let (total, line) = (ds.cmd_total, ds.line);
        let v = V {
            ds: i,
            kind: StepKind::From,
            instruction: vname
                .split_once("] ")
                .map_or(vname.clone(), |(_, r)| r.to_string()),
            name: vname,
            is_step,
            stage_name,
            index,
            total,
            line,
            chain: Vec::new(),
            llb_inputs: Vec::new(),
            inputs,
            key: String::new(),
            def: String::new(),
            forced: None,
            arg_names: Vec::new(),
            layer: None,
            output: String::new(),
            duration_ms: 0,
            notes: if img.known {
                Vec::new()
            } else {
                vec![img.description.clone()]
            },
            estimated_bytes: 0,
            error: None,
            image: Some(img.clone()),
        };
        let vid = b.push_vertex(v);
        let ds = &mut b.ds[i];
        ds.image_vertex = Some(vid);
        ds.fs = img.filesystem();
        ds.config = img.config.clone();
        ds.last = Some(vid);
        ds.layers = img
            .layers
            .iter()
            .map(|l| LayerInfo {
                digest: l.digest.clone(),
                size: l.size,
                created_by: l.created_by.clone(),
                base: Some(img.reference.clone()),
            })
            .collect();
        ds.history = img
            .layers
            .iter()
            .map(|l| HistoryEntry {
                created_by: l.created_by.clone(),
                empty_layer: false,
                comment: String::new(),
            })
            .collect();
        if ds.unregistered {
            ds.dispatched = true;
        }
        if !resolved.iter().any(|r| r.pinned == img.pinned()) {
            resolved.push(ResolvedImage {
                reference: img.reference.clone(),
                pinned: img.pinned(),
                known: img.known,
                description: img.description.clone(),
                pulled: false,
                size: img.size(),
            });
        }
    }
    for d in &mut b.ds {
        if d.unregistered && d.base_name == "scratch" {
            d.dispatched = true;
        }
    }

    // Dispatch every reachable stage, in file order.
    for (i, &wanted) in reachable.iter().enumerate() {
        if !wanted || b.ds[i].dispatched {
            continue;
        }
        if b.runtime_error.is_some() {
            break;
        }
        b.dispatch_stage(i)?;
    }

    let skipped_stages: Vec<String> =
        b.ds.iter()
            .enumerate()
            .filter(|&(i, d)| !d.unregistered && !reachable[i])
            .map(|(_, d)| {
                if d.stage_name.is_empty() {
                    name_of(d)
                } else {
                    d.stage_name.clone()
                }
            })
            .collect();

    let stages = b.stage_reports(target, &reachable);
    let mut report = b.finish(
        state,
        target,
        resolved,
        skipped_stages,
        warnings,
        dockerfile_bytes,
    );
    report.stages = stages.0;
    report.layer_files = stages.1;
    Ok(report)
}

impl<'a> Builder<'a> {
    /// The stage graph (BuildKit's `buildStageDependencyGraph`, as drawn):
    /// every stage with its dependencies, whether `target` needs it, and
    /// its layers; and the file changes of every layer made.
    fn stage_reports(
        &self,
        target: usize,
        reachable: &[bool],
    ) -> (Vec<StageReport>, BTreeMap<String, Vec<LayerFileChange>>) {
        let target_name = {
            let t = &self.ds[target];
            if t.stage_name.is_empty() {
                name_of(t)
            } else {
                t.stage_name.clone()
            }
        };
        let source = |s: usize| match self.ds[s].stage_idx {
            Some(idx) => DependencySource::Stage(idx),
            None => DependencySource::Image(self.ds[s].base_name.clone()),
        };
        let mut stages = Vec::new();
        let mut files = BTreeMap::new();
        for (i, d) in self.ds.iter().enumerate() {
            let Some(index) = d.stage_idx else {
                continue;
            };
            let mut dependencies: Vec<StageDependency> = Vec::new();
            let edges = d
                .base
                .map(|b| (DependencyKind::From, b, d.line))
                .into_iter()
                .chain(d.edges.iter().copied());
            for (kind, s, line) in edges {
                let source = source(s);
                if !dependencies
                    .iter()
                    .any(|e| e.kind == kind && e.source == source)
                {
                    dependencies.push(StageDependency { kind, source, line });
                }
            }
            let needed = reachable[i];
            let layers = if d.dispatched {
                d.layers.clone()
            } else {
                Vec::new()
            };
            for l in layers.iter().filter(|l| l.base.is_none()) {
                if let Some((diff, _)) = self.layer_diffs.get(&l.digest).map(|d| &**d) {
                    files
                        .entry(l.digest.clone())
                        .or_insert_with(|| file_changes(diff));
                }
            }
            let inherited_layers = match d.base {
                Some(b) if d.dispatched => self.ds[b].layers.len().min(layers.len()),
                _ => 0,
            };
            stages.push(StageReport {
                index,
                name: d.name.clone().unwrap_or_else(|| format!("stage-{index}")),
                alias: d.name.clone(),
                base: d.base_name.clone(),
                line: d.line,
                needed,
                skipped_reason: (!needed).then(|| format!("not needed for target {target_name}")),
                dependencies,
                layers,
                inherited_layers,
            });
        }
        (stages, files)
    }

    fn dispatch_stage(&mut self, i: usize) -> Result<(), BuildError> {
        // Inherit from the base stage.
        if let Some(base) = self.ds[i].base {
            if !self.ds[base].dispatched {
                return Err(err_at(
                    format!("base stage {:?} was not built", self.ds[base].stage_name),
                    self.ds[i].line,
                    self.ds[i].span,
                ));
            }
            let bd = self.ds[base].clone();
            let d = &mut self.ds[i];
            d.env = bd.env;
            d.dir = bd.dir;
            d.user = bd.user;
            d.fs = bd.fs;
            d.last = bd.last;
            d.config = bd.config;
            d.config.on_build.clear();
            d.history = bd.history;
            d.layers = bd.layers;
            let mut args = d.build_args.clone();
            args.extend(bd.build_args);
            d.build_args = args;
            d.author = bd.author;
        }
        self.ds[i].dispatched = true;
        // PATH is always set.
        if self.ds[i].config.env_value("PATH").is_none() {
            self.ds[i]
                .config
                .env
                .push("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        }
        // The image's Env, WORKDIR and USER initialize the state.
        let d = &mut self.ds[i];
        for e in d.config.env.clone() {
            let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
            d.env.add_or_replace(k, v);
        }
        if !d.config.working_dir.is_empty() {
            let wd = paths::normalize(&d.config.working_dir, &d.config.working_dir.clone(), false);
            d.config.working_dir = wd.clone();
            d.dir = wd;
        }
        if !d.config.user.is_empty() {
            d.user = d.config.user.clone();
        }
        let commands = d.commands.clone();
        for (c, onbuild) in &commands {
            if self.runtime_error.is_some() {
                break;
            }
            self.dispatch(i, c, *onbuild)?;
        }
        Ok(())
    }

    fn history(&mut self, i: usize, created_by: String, layer: bool) {
        self.ds[i].history.push(HistoryEntry {
            created_by,
            empty_layer: !layer,
            comment: "buildkit.dockerfile.v0".into(),
        });
    }

    fn expand_word(&self, i: usize, c: &Command, w: &str) -> Result<String, BuildError> {
        self.expand(w, &self.ds[i].env)
            .map_err(|m| err_at(m, c.line, c.span))
    }

    fn runtime_fail(&mut self, message: String, c: &Command, vertex: Option<usize>) {
        if self.runtime_error.is_none() {
            self.runtime_error = Some((err_at(message, c.line, c.span), vertex));
        }
    }

    fn dispatch(&mut self, i: usize, c: &Command, onbuild: bool) -> Result<(), BuildError> {
        match &c.kind {
            CommandKind::Env(kvs) => {
                let mut msg = String::from("ENV");
                for kv in kvs {
                    let k = self.expand_word(i, c, &kv.key)?;
                    let v = self.expand_word(i, c, &kv.value)?;
                    msg.push_str(&format!(" {k}={v}"));
                    let d = &mut self.ds[i];
                    d.env.add_or_replace(&k, &v);
                    d.config.set_env(&k, &v);
                }
                self.history(i, msg, false);
            }
            CommandKind::Label(kvs) => {
                let mut msg = String::from("LABEL");
                for kv in kvs {
                    let k = self.expand_word(i, c, &kv.key)?;
                    let v = self.expand_word(i, c, &kv.value)?;
                    msg.push_str(&format!(" {k}={v}"));
                    self.ds[i].config.labels.insert(k, v);
                }
                self.history(i, msg, false);
            }
            CommandKind::Maintainer(m) => {
                self.ds[i].author = Some(m.clone());
                self.history(i, format!("MAINTAINER {m}"), false);
            }
            CommandKind::Onbuild(expr) => {
                self.ds[i].config.on_build.push(expr.clone());
            }
            CommandKind::User(u) => {
                let u = self.expand_word(i, c, u)?;
                self.ds[i].user = u.clone();
                self.ds[i].config.user = u.clone();
                self.history(i, format!("USER {u}"), false);
            }
            CommandKind::Volume(vols) => {
                let mut out = Vec::new();
                for v in vols {
                    let v = self.expand_word(i, c, v)?;
                    if v.is_empty() {
                        return Err(err_at(
                            "VOLUME specified can not be an empty string",
                            c.line,
                            c.span,
                        ));
                    }
                    self.ds[i]
                        .config
                        .volumes
                        .insert(v.clone(), Box::new(EmptyObject {}));
                    out.push(v);
                }
                self.history(i, format!("VOLUME [{}]", out.join(" ")), false);
            }
            CommandKind::StopSignal(sig) => {
                let sig = self.expand_word(i, c, sig)?;
                if !valid_signal(&sig) {
                    return Err(err_at(format!("Invalid signal: {sig}"), c.line, c.span));
                }
                self.ds[i].config.stop_signal = sig.clone();
                self.history(i, format!("STOPSIGNAL {sig}"), false);
            }
            CommandKind::Shell(sh) => {
                self.ds[i].config.shell = Some(sh.clone());
                self.history(i, format!("SHELL [{}]", sh.join(" ")), false);
            }
            CommandKind::Cmd(cmd) => {
                let args = if cmd.prepend_shell {
                    with_shell(&self.ds[i].config, &cmd.cmd_line)
                } else {
                    cmd.cmd_line.clone()
                };
                self.ds[i].config.cmd = Some(args.clone());
                self.ds[i].cmd_set = true;
                self.history(i, format!("CMD {}", go_quote_list(&args)), false);
            }
            CommandKind::Entrypoint(cmd) => {
                let args = if cmd.prepend_shell {
                    with_shell(&self.ds[i].config, &cmd.cmd_line)
                } else {
                    cmd.cmd_line.clone()
                };
                let d = &mut self.ds[i];
                d.config.entrypoint = if args.is_empty() {
                    None
                } else {
                    Some(args.clone())
                };
                // ENTRYPOINT resets a CMD inherited from the base.
                if !d.cmd_set {
                    d.config.cmd = None;
                }
                self.history(i, format!("ENTRYPOINT {}", go_quote_list(&args)), false);
            }
            CommandKind::Healthcheck(h) => {
                self.ds[i].config.healthcheck = Some(Healthcheck {
                    test: h.test.clone(),
                    interval: h.interval,
                    timeout: h.timeout,
                    start_period: h.start_period,
                    start_interval: h.start_interval,
                    retries: h.retries,
                });
                self.history(i, format!("HEALTHCHECK {:?}", h.test), false);
            }
            CommandKind::Expose(ports) => {
                let mut words = Vec::new();
                for p in ports {
                    let ws = self
                        .lexer
                        .process_words(p, &self.ds[i].env)
                        .map_err(|e| err_at(e.message, c.line, c.span))?;
                    words.extend(ws);
                }
                let parsed = parse_ports(&words).map_err(|e| err_at(e, c.line, c.span))?;
                for p in &parsed {
                    self.ds[i]
                        .config
                        .exposed_ports
                        .insert(p.clone(), Box::new(EmptyObject {}));
                }
                let shown: Vec<String> = parsed.iter().map(|p| format!("{p}:{{}}")).collect();
                self.history(i, format!("EXPOSE map[{}]", shown.join(" ")), false);
            }
            CommandKind::Arg(defs) => self.dispatch_arg(i, c, defs)?,
            CommandKind::Workdir(p) => self.dispatch_workdir(i, c, p, onbuild)?,
            CommandKind::Run(r) => self.dispatch_run(i, c, r, onbuild)?,
            CommandKind::Copy(cc) => {
                let chown = match &cc.chown {
                    Some(x) => Some(self.expand_word(i, c, x)?),
                    None => None,
                };
                let chmod = match &cc.chmod {
                    Some(x) => Some(self.expand_word(i, c, x)?),
                    None => None,
                };
                let spec = CopySpec {
                    paths: cc.paths.clone(),
                    from: cc.from.clone(),
                    chown,
                    chmod,
                    link: cc.link,
                    excludes: cc.excludes.clone(),
                    parents: cc.parents,
                    is_add: false,
                    unpack: false,
                };
                self.dispatch_copy(i, c, spec, onbuild)?;
            }
            CommandKind::Add(ac) => {
                let chown = match &ac.chown {
                    Some(x) => Some(self.expand_word(i, c, x)?),
                    None => None,
                };
                let chmod = match &ac.chmod {
                    Some(x) => Some(self.expand_word(i, c, x)?),
                    None => None,
                };
                let spec = CopySpec {
                    paths: ac.paths.clone(),
                    from: None,
                    chown,
                    chmod,
                    link: ac.link,
                    excludes: ac.excludes.clone(),
                    parents: false,
                    is_add: true,
                    unpack: ac.unpack.unwrap_or(true),
                };
                self.dispatch_copy(i, c, spec, onbuild)?;
            }
        }
        Ok(())
    }

    fn dispatch_arg(&mut self, i: usize, c: &Command, defs: &[ArgDef]) -> Result<(), BuildError> {
        let mut commit = Vec::new();
        for ArgDef { key, value } in defs {
            let has_value = self.opts.build_args.contains_key(key);
            let mut v = value.clone();
            if value.is_none() && !has_value {
                if let Some(g) = self.global_args.value(key) {
                    v = Some(g.to_string());
                }
            }
            if has_value {
                v = self.opts.build_args.get(key).cloned();
            } else if let Some(d) = value {
                v = Some(self.expand_word(i, c, d)?);
            }
            let d = &mut self.ds[i];
            if let Some(val) = &v {
                if key != "BUILDKIT_SBOM_SCAN_CONTEXT" && key != "BUILDKIT_SBOM_SCAN_STAGE" {
                    d.env.add_or_replace(key, val);
                }
            }
            d.build_args.push((key.clone(), v.clone()));
            commit.push(match &v {
                Some(val) => format!("{key}={val}"),
                None => key.clone(),
            });
        }
        self.history(i, format!("ARG {}", commit.join(" ")), false);
        Ok(())
    }

    fn arg_names(&self, i: usize) -> Vec<String> {
        let mut names: Vec<String> = self.ds[i]
            .build_args
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.clone())
            .collect();
        shared_sort::sort(&mut names);
        names.dedup();
        names
    }

    #[allow(clippy::too_many_arguments)]
    fn new_vertex(
        &mut self,
        i: usize,
        kind: StepKind,
        name: (String, usize, bool),
        line: usize,
        chain: Vec<usize>,
        llb_inputs: Vec<usize>,
        inputs: KeyInputs,
    ) -> V {
        let d = &self.ds[i];
        let (name, index, is_step) = name;
        V {
            ds: i,
            kind,
            instruction: name
                .split_once("] ")
                .map_or(name.clone(), |(_, r)| r.to_string()),
            name,
            is_step,
            stage_name: d.stage_name.clone(),
            index,
            total: d.cmd_total,
            line,
            chain,
            llb_inputs,
            inputs,
            key: String::new(),
            def: String::new(),
            forced: d.ignore_cache.clone(),
            arg_names: self.arg_names(i),
            layer: None,
            output: String::new(),
            duration_ms: 0,
            notes: Vec::new(),
            estimated_bytes: 0,
            error: None,
            image: None,
        }
    }

    fn dispatch_workdir(
        &mut self,
        i: usize,
        c: &Command,
        p: &str,
        onbuild: bool,
    ) -> Result<(), BuildError> {
        let p = self.expand_word(i, c, p)?;
        let current = if self.ds[i].config.working_dir.is_empty() {
            "/".to_string()
        } else {
            self.ds[i].config.working_dir.clone()
        };
        let wd = paths::normalize(&current, &p, false);
        self.ds[i].config.working_dir = wd.clone();
        self.ds[i].dir = wd.clone();
        if wd == "/" {
            self.history(i, format!("WORKDIR {wd}"), false);
            return Ok(());
        }
        let raw = Lexer::new(self.lexer.escape);
        let shown = raw
            .process_word(&c.code, &self.ds[i].env)
            .unwrap_or_else(|_| c.code.clone());
        let name = prefix_command(&mut self.ds[i], &uppercase_cmd(&shown), onbuild);
        let user = self.ds[i].config.user.clone();
        let clean = paths::clean(&wd);
        let inputs = KeyInputs::Mkdir {
            path: clean.clone(),
            owner: (!user.is_empty()).then(|| user.clone()),
        };
        let prev = self.ds[i].last;
        let chain: Vec<usize> = prev.into_iter().collect();
        let mut v = self.new_vertex(
            i,
            StepKind::Workdir,
            name,
            c.line,
            chain.clone(),
            chain,
            inputs,
        );
        v.forced = None; // WORKDIR is a file op BuildKit never forces.
        let before = self.ds[i].fs.clone();
        let (uid, gid) = if user.is_empty() {
            (0, 0)
        } else {
            match copy::resolve_user(&before, &user) {
                Ok(x) => x,
                Err(e) => {
                    v.error = Some(e.clone());
                    let id = self.push_vertex(v);
                    self.runtime_fail(e, c, Some(id));
                    return Ok(());
                }
            }
        };
        let mut fs = before.clone();
        if let Err(e) = fs.mkdir_all(&clean, 0o755, uid, gid) {
            v.error = Some(format!("failed to create {clean}: {e}"));
            let id = self.push_vertex(v);
            self.runtime_fail(format!("failed to create {clean}: {e}"), c, Some(id));
            return Ok(());
        }
        let diff = fs.diff(&before);
        v.duration_ms = 40;
        v.layer = Some(diff);
        let id = self.push_vertex(v);
        let d = &mut self.ds[i];
        d.fs = fs;
        d.last = Some(id);
        self.record_layer(i, id, format!("WORKDIR {wd}"));
        Ok(())
    }

    fn record_layer(&mut self, i: usize, vid: usize, created_by: String) {
        let (size, digest, empty) = match &self.vertices[vid].layer {
            Some(l) => (l.size(), crate::layer::diff_id(l), l.is_empty()),
            None => (0, String::new(), true),
        };
        let size = size.saturating_add(self.vertices[vid].estimated_bytes);
        if !empty || size > 0 {
            let digest = if digest.is_empty() {
                sha256_digest(self.vertices[vid].key.as_bytes())
            } else if self.vertices[vid].estimated_bytes > 0 {
                sha256_digest(format!("{digest}{}", self.vertices[vid].key).as_bytes())
            } else {
                digest
            };
            if let Some(l) = &self.vertices[vid].layer {
                let estimated = self.vertices[vid].estimated_bytes;
                self.layer_diffs
                    .insert(digest.clone(), Box::new((l.clone(), estimated)));
            }
            self.ds[i].layers.push(LayerInfo {
                digest,
                size,
                created_by: created_by.clone(),
                base: None,
            });
        }
        self.history(i, created_by, !empty || size > 0);
    }

    /// The file system and vertex of a `--from` / `from=` source.
    fn source_of(
        &mut self,
        cur: usize,
        from: &str,
        mount_target: Option<&str>,
        c: &Command,
    ) -> Result<(Fs, Option<usize>, String), BuildError> {
        let s = self.source_state(from, c.line, c.span)?;
        let d = &self.ds[s];
        if !d.dispatched {
            let message = match mount_target {
                Some(t) => format!(
                    "cannot mount from stage {from:?} to {t:?}, stage needs to be defined before current command"
                ),
                None => format!(
                    "cannot copy from stage {from:?}, it needs to be defined before current stage {:?}",
                    self.ds[cur].stage_name
                ),
            };
            return Err(err_at(message, c.line, c.span));
        }
        let origin = if d.unregistered {
            format!(
                "image {}",
                d.image
                    .as_ref()
                    .map_or(d.base_name.clone(), |im| im.reference.clone())
            )
        } else {
            format!(
                "stage {}",
                if d.stage_name.is_empty() {
                    name_of(d)
                } else {
                    d.stage_name.clone()
                }
            )
        };
        let origin = if origin == "stage " {
            "stage 0".to_string()
        } else {
            origin
        };
        Ok((d.fs.clone(), d.last, origin))
    }

    fn dispatch_run(
        &mut self,
        i: usize,
        c: &Command,
        r: &instructions::RunCommand,
        onbuild: bool,
    ) -> Result<(), BuildError> {
        let env_now = self.ds[i].env.clone();
        let expander = |w: &str| -> Result<String, String> {
            self.lexer.process_word(w, &env_now).map_err(|e| e.message)
        };
        let mut mounts = Vec::new();
        for m in &r.mounts {
            mounts.push(
                instructions::parse_mount(m, Some(&expander))
                    .map_err(|e| err_at(e, c.line, c.span))?,
            );
        }
        let mut custom = c.code.clone();
        let mut args = r.cmd.cmd_line.clone();
        let mut heredoc_mount: Option<(String, String)> = None;
        if !r.cmd.files.is_empty() {
            if args.len() != 1 || !r.cmd.prepend_shell {
                return Err(err_at(
                    format!("parsing produced an invalid run command: {args:?}"),
                    c.line,
                    c.span,
                ));
            }
            if parse_heredoc_word(&args[0]).is_some() {
                let f: &InlineFile = &r.cmd.files[0];
                let data = if f.chomp {
                    chomp_heredoc(&f.data)
                } else {
                    f.data.clone()
                };
                if data.starts_with("#!") {
                    args = vec![format!("/dev/pipes/{}", f.name)];
                    heredoc_mount = Some((f.name.clone(), data));
                } else {
                    args = vec![data];
                }
                custom.push_str(&format!(" ({})", summarize_heredoc(&f.data)));
            } else {
                let mut s = args[0].clone();
                for f in &r.cmd.files {
                    s.push('\n');
                    s.push_str(&f.data);
                    s.push_str(&f.name);
                }
                args = vec![s];
            }
        }
        let config = self.ds[i].config.clone();
        let argv = if r.cmd.prepend_shell {
            with_shell(&config, &args)
        } else {
            args.clone()
        };
        // The name: build args and ENV expanded, quotes kept, unset
        // variables left as written.
        let raw = Lexer {
            raw_quotes: true,
            skip_unset_env: true,
            ..Lexer::new(self.lexer.escape)
        };
        let shown = raw
            .process_word(&custom, &self.ds[i].env)
            .unwrap_or_else(|_| custom.clone());
        let name = prefix_command(&mut self.ds[i], &uppercase_cmd(&shown), onbuild);

        // Mounts: inputs, key parts, and what the command sees.
        let mut mount_inputs = Vec::new();
        let mut llb_inputs: Vec<usize> = self.ds[i].last.into_iter().collect();
        let mut overlays: Vec<(String, Fs, String, bool)> = Vec::new();
        let dir = self.ds[i].dir.clone();
        for m in &mounts {
            let target = if m.target.starts_with('/') {
                m.target.clone()
            } else {
                paths::join(&["/", &dir, &m.target])
            };
            if paths::clean(&target) == "/" {
                return Err(err_at(
                    format!("invalid mount target {:?}", target),
                    c.line,
                    c.span,
                ));
            }
            match m.kind.as_str() {
                "bind" => {
                    let (src_fs, src_vertex, origin) = match &m.from {
                        Some(from) => self.source_of(i, from, Some(&m.target), c)?,
                        None => (self.context_fs(), None, "context".to_string()),
                    };
                    let sel_path = paths::join(&["/", &m.source]);
                    let files = copy::select(&src_fs, &sel_path, &DockerIgnore::default()).map_err(|e| {
                        err_at(format!("failed to compute cache key: failed to calculate checksum of ref: {e}"), c.line, c.span)
                    })?;
                    if let Some(v) = src_vertex {
                        llb_inputs.push(v);
                    }
                    mount_inputs.push(MountInputs {
                        kind: "bind".into(),
                        target: target.clone(),
                        readonly: m.readonly,
                        source: Some(SourceInputs {
                            origin,
                            path: sel_path.clone(),
                            files,
                        }),
                        sharing: String::new(),
                    });
                    overlays.push((target, src_fs, sel_path, true));
                }
                "cache" => {
                    let mut src_vertex = None;
                    if let Some(from) = &m.from {
                        let (_, v, _) = self.source_of(i, from, Some(&m.target), c)?;
                        src_vertex = v;
                    }
                    if let Some(v) = src_vertex {
                        llb_inputs.push(v);
                    }
                    // BuildKit leaves an explicit cache id out of the key.
                    let sharing = if m.id.is_empty() {
                        m.sharing.clone()
                    } else {
                        String::new()
                    };
                    mount_inputs.push(MountInputs {
                        kind: "cache".into(),
                        target: target.clone(),
                        readonly: m.readonly,
                        source: None,
                        sharing,
                    });
                    overlays.push((target, Fs::new(), "/".into(), false));
                }
                "tmpfs" => {
                    mount_inputs.push(MountInputs {
                        kind: "tmpfs".into(),
                        target: target.clone(),
                        readonly: false,
                        source: None,
                        sharing: String::new(),
                    });
                    overlays.push((target, Fs::new(), "/".into(), false));
                }
                other => {
                    // secret and ssh mounts do not enter the key; their
                    // content is not modelled.
                    let t = if m.target.is_empty() {
                        format!(
                            "/run/secrets/{}",
                            if m.id.is_empty() {
                                paths::base(&m.source)
                            } else {
                                m.id.clone()
                            }
                        )
                    } else {
                        target.clone()
                    };
                    let _ = other;
                    let _ = t;
                }
            }
        }
        if let Some((name, data)) = &heredoc_mount {
            let mut sel = Selection::new();
            sel.insert(
                format!("/{name}"),
                EntrySum::root_file(data.as_bytes(), 0o755),
            );
            mount_inputs.push(MountInputs {
                kind: "bind".into(),
                target: "/dev/pipes/".into(),
                readonly: true,
                source: Some(SourceInputs {
                    origin: format!("heredoc {name}"),
                    path: "/".into(),
                    files: sel,
                }),
                sharing: String::new(),
            });
        }
        let d = &self.ds[i];
        let inputs = KeyInputs::Exec(ExecInputs {
            args: argv.clone(),
            env: d.env.to_vec(),
            cwd: d.dir.clone(),
            user: d.user.clone(),
            network: r.network.clone(),
            security: r.security.clone(),
            platform: self.platform.format(),
            mounts: mount_inputs,
        });
        let chain: Vec<usize> = d.last.into_iter().collect();
        let mut v = self.new_vertex(i, StepKind::Run, name, c.line, chain, llb_inputs, inputs);

        // Run the model.
        let before = self.ds[i].fs.clone();
        let mut fs = before.clone();
        let user = self.ds[i].user.clone();
        let (uid, gid) = match copy::resolve_user(&before, &user) {
            Ok(x) => x,
            Err(e) => {
                let msg = format!(
                    "unable to find user {}: no matching entries in passwd file",
                    user.split(':').next().unwrap_or(&user)
                );
                let _ = e;
                v.error = Some(msg.clone());
                let id = self.push_vertex(v);
                self.runtime_fail(msg, c, Some(id));
                return Ok(());
            }
        };
        let mut saved: Vec<(String, Option<Fs>)> = Vec::new();
        for (target, src_fs, sel, _) in &overlays {
            let t = paths::clean(target);
            let had = fs.get(&t).is_some();
            let mut snapshot = Fs::new();
            if had {
                snapshot.copy_tree(&fs, &t, &t);
            }
            saved.push((t.clone(), had.then_some(snapshot)));
            let _ = fs.remove(&t, true);
            match src_fs.lookup(sel) {
                Some(n) if !n.is_dir() => fs.put(&t, n.clone()),
                Some(_) => {
                    fs.put(&t, Node::dir(0o755));
                    let real = src_fs.resolve(sel, true).unwrap_or(sel.clone());
                    for (rel, n) in src_fs.descendants(&real) {
                        fs.put(&paths::join(&[&t, &rel]), n.clone());
                    }
                }
                None => fs.put(&t, Node::dir(0o755)),
            }
        }
        let mut env: Vec<(String, String)> = self.ds[i].env.entries().to_vec();
        for (k, val) in proxy_env(&self.opts.build_args) {
            if !env.iter().any(|(x, _)| *x == k) {
                env.push((k, val));
            }
        }
        let exec_env = ExecEnv {
            env,
            cwd: self.ds[i].dir.clone(),
            uid,
            gid,
            user: user.clone(),
            network_none: r.network == "none",
        };
        let run_argv = match &heredoc_mount {
            Some((_, data)) => {
                let first = data.lines().next().unwrap_or("");
                let interp = first.trim_start_matches("#!").trim();
                let mut parts: Vec<String> = interp.split_whitespace().map(String::from).collect();
                if parts.first().is_some_and(|p| p.ends_with("/env")) {
                    parts.remove(0);
                }
                let mut a = parts;
                if a.first()
                    .is_some_and(|p| p.ends_with("sh") || p.ends_with("bash"))
                {
                    a.truncate(1);
                    a.push("-c".into());
                    a.push(data.clone());
                }
                a
            }
            None => argv.clone(),
        };
        if heredoc_mount.is_none() {
            if let Some(msg) = shell::missing_executable(&fs, &argv, &exec_env.env) {
                v.error = Some(msg.clone());
                let id = self.push_vertex(v);
                self.runtime_fail(msg, c, Some(id));
                return Ok(());
            }
        }
        let result = shell::exec(&mut fs, &run_argv, &exec_env);
        // Mounts are not part of the layer.
        for (t, snapshot) in saved {
            let _ = fs.remove(&t, true);
            match snapshot {
                Some(s) => fs.copy_tree(&s, &t, &t),
                None => fs.put(&t, Node::dir(0o755)),
            }
        }
        if result.opaque {
            // What the command wrote is unknown: mark the file system so
            // content checksums of anything it could have touched change
            // with this step.
            fs.put(
                shell::UNMODELLED_MARKER,
                Node::file(v.key.clone().into_bytes(), 0o600),
            );
        }
        v.output = result.output.clone();
        v.duration_ms = result.duration_ms.saturating_add(200);
        v.notes = result.estimates.clone();
        v.estimated_bytes = result.estimated_bytes;
        let diff = fs.diff(&before);
        v.layer = Some(diff);
        if result.exit_code != 0 {
            let msg = format!(
                "process {:?} did not complete successfully: exit code: {}",
                argv.join(" "),
                result.exit_code
            );
            v.error = Some(msg.clone());
            let id = self.push_vertex(v);
            self.runtime_fail(msg, c, Some(id));
            return Ok(());
        }
        let hist = format!(
            "RUN {} # buildkit",
            run_command_string(&argv, &self.ds[i].build_args, &self.ds[i].env)
        );
        let id = self.push_vertex(v);
        if result.opaque {
            // The marker holds the step's own key, known only now.
            let key = self.vertices[id].key.clone();
            fs.put(
                shell::UNMODELLED_MARKER,
                Node::file(key.into_bytes(), 0o600),
            );
            self.vertices[id].layer = Some(fs.diff(&before));
        }
        let d = &mut self.ds[i];
        d.fs = fs;
        d.last = Some(id);
        self.record_layer(i, id, hist);
        Ok(())
    }

    fn dispatch_copy(
        &mut self,
        i: usize,
        c: &Command,
        spec: CopySpec,
        onbuild: bool,
    ) -> Result<(), BuildError> {
        let cmd = if spec.is_add { "ADD" } else { "COPY" };
        // Sources and destination expand with the stage's variables.
        let mut sources = Vec::new();
        for s in &spec.paths.sources {
            sources.push(self.expand_word(i, c, s)?);
        }
        let dest_raw = self.expand_word(i, c, &spec.paths.dest)?;
        let dir = self.ds[i].dir.clone();
        let dest = if paths::is_abs(&dest_raw) {
            paths::normalize("/", &dest_raw, true)
        } else {
            let p = if dest_raw == "." || dest_raw.is_empty() {
                "./".to_string()
            } else {
                dest_raw.clone()
            };
            paths::normalize(&dir, &p, true)
        };
        let chmod = match &spec.chmod {
            Some(m) => Some(Chmod::parse(m).map_err(|e| err_at(e, c.line, c.span))?),
            None => None,
        };
        let chown = spec.chown.as_deref().map(Chown::parse);
        let excludes = DockerIgnore::from_patterns(&spec.excludes)
            .map_err(|e| err_at(e.message, c.line, c.span))?;

        // Where the files come from.
        let (src_fs, src_vertex, origin) = match &spec.from {
            Some(from) => self.source_of(i, from, None, c)?,
            None => (Fs::new(), None, "context".to_string()),
        };
        let needs_context = spec.from.is_none() && !sources.is_empty();
        let src_fs = if needs_context {
            self.context_fs()
        } else {
            src_fs
        };

        let mut actions = Vec::new();
        let mut plan: Vec<CopyPlan> = Vec::new();
        let mut select_error: Option<String> = None;
        for src in &sources {
            if src.starts_with("http://") || src.starts_with("https://") {
                if !spec.is_add {
                    return Err(err_at("source can't be a URL for COPY", c.line, c.span));
                }
                let base = src
                    .split('?')
                    .next()
                    .map(paths::base)
                    .filter(|b| b != "." && b != "/" && !b.contains(':'))
                    .unwrap_or_else(|| "__unnamed__".to_string());
                let content = format!("modelled download of {src}\n");
                let mut ufs = Fs::new();
                ufs.put(&format!("/{base}"), Node::file(content.clone(), 0o600));
                let mut files = Selection::new();
                files.insert(
                    format!("/{base}"),
                    EntrySum::root_file(content.as_bytes(), 0o600),
                );
                actions.push(CopyInputs {
                    source: SourceInputs {
                        origin: format!("url {src}"),
                        path: base.clone(),
                        files,
                    },
                    dest: dest.clone(),
                    chown: chown.clone(),
                    chmod: chmod.clone(),
                    excludes: spec.excludes.clone(),
                    parents: None,
                    unpack: false,
                });
                plan.push((ufs, format!("/{base}"), None));
                continue;
            }
            let (sel_root, pattern) = if spec.parents {
                match src.split_once("/./") {
                    Some((p, pat)) => (paths::normalize("/", p, false), Some(pat.to_string())),
                    None => ("/".to_string(), Some(src.clone())),
                }
            } else {
                (paths::normalize("/", src, false), None)
            };
            let selected = match &pattern {
                Some(pat) => {
                    copy::select_parents(&src_fs, &sel_root, &paths::relative(pat), &excludes)
                }
                None => copy::select(&src_fs, &sel_root, &excludes),
            };
            let files = match selected {
                Ok(f) => f,
                Err(e) => {
                    select_error.get_or_insert(format!(
                        "failed to compute cache key: failed to calculate checksum of ref: {e}"
                    ));
                    Selection::new()
                }
            };
            actions.push(CopyInputs {
                source: SourceInputs {
                    origin: origin.clone(),
                    path: src.clone(),
                    files,
                },
                dest: dest.clone(),
                chown: chown.clone(),
                chmod: chmod.clone(),
                excludes: spec.excludes.clone(),
                parents: pattern.clone(),
                unpack: spec.is_add && spec.unpack,
            });
            plan.push((Fs::new(), sel_root.clone(), pattern.map(|p| (sel_root, p))));
        }
        for content in &spec.paths.contents {
            let data = if content.expand {
                let raw = Lexer {
                    skip_process_quotes: true,
                    ..Lexer::new('\\')
                };
                raw.process_word(&content.data, &self.ds[i].env)
                    .map_err(|e| err_at(e.message, c.line, c.span))?
            } else {
                content.data.clone()
            };
            let mut hfs = Fs::new();
            let path = format!("/{}", content.name);
            hfs.put(&path, Node::file(data.clone(), 0o644));
            let mut files = Selection::new();
            files.insert(path.clone(), EntrySum::root_file(data.as_bytes(), 0o644));
            actions.push(CopyInputs {
                source: SourceInputs {
                    origin: format!("heredoc {}", content.name),
                    path: content.name.clone(),
                    files,
                },
                dest: dest.clone(),
                chown: chown.clone(),
                chmod: chmod.clone(),
                excludes: Vec::new(),
                parents: None,
                unpack: false,
            });
            plan.push((hfs, path, None));
        }

        // The name, and the vertices (two for --link without --chmod).
        let shown = self
            .lexer
            .process_word(&c.code, &self.ds[i].env)
            .unwrap_or_else(|_| c.code.clone());
        let shown = uppercase_cmd(&shown);
        let name = prefix_command(&mut self.ds[i], &shown, onbuild);
        let link = spec.link && chmod.is_none();
        let kind = if spec.is_add {
            StepKind::Add
        } else {
            StepKind::Copy
        };
        let prev = self.ds[i].last;
        let src_inputs: Vec<usize> = src_vertex.into_iter().collect();
        let inputs = KeyInputs::Copy { actions, link };

        // Model the copy.
        let before = self.ds[i].fs.clone();
        let base_for_copy = if link { Fs::new() } else { before.clone() };
        let mut out = base_for_copy.clone();
        let owner = match &spec.chown {
            Some(ch) => match copy::resolve_user(&before, ch) {
                Ok(x) => Some(x),
                Err(e) => {
                    let mut v = self.new_vertex(
                        i,
                        kind,
                        name,
                        c.line,
                        prev.into_iter().collect(),
                        prev.into_iter().chain(src_inputs).collect(),
                        inputs,
                    );
                    v.error = Some(e.clone());
                    let id = self.push_vertex(v);
                    self.runtime_fail(e, c, Some(id));
                    return Ok(());
                }
            },
            None if spec.from.is_none() => Some((0, 0)),
            None => None,
        };
        let opts = CopyOptions {
            owner,
            chmod: chmod.clone(),
            excludes: excludes.clone(),
            unpack: spec.is_add && spec.unpack,
        };
        let mut copy_error = select_error;
        if copy_error.is_none() {
            for (pfs, src, parents) in &plan {
                let from_fs = if pfs.is_empty() { &src_fs } else { pfs };
                let r = match parents {
                    Some((root, pat)) => {
                        copy::select_parents(from_fs, root, &paths::relative(pat), &excludes)
                            .and_then(|sel| {
                                copy::copy_selection_with_parents(
                                    &mut out, from_fs, root, &sel, &dest, &opts,
                                )
                            })
                    }
                    None => copy::copy(&mut out, from_fs, src, &dest, &opts),
                };
                if let Err(e) = r {
                    copy_error = Some(e.message);
                    break;
                }
            }
        }
        let diff = out.diff(&base_for_copy);
        let copied = diff.size();
        let hist = {
            let mut m = String::from(cmd);
            if spec.parents {
                m.push_str(" --parents");
            }
            if let Some(ch) = &spec.chown {
                m.push_str(&format!(" --chown={ch}"));
            }
            if let Some(cm) = &spec.chmod {
                m.push_str(&format!(" --chmod={cm}"));
            }
            for s in &spec.paths.sources {
                m.push_str(&format!(" {s}"));
            }
            for s in &spec.paths.contents {
                m.push_str(&format!(" <<{}", s.name));
            }
            m.push_str(&format!(" {} # buildkit", spec.paths.dest));
            m
        };
        if link {
            let mut cv = self.new_vertex(
                i,
                kind,
                name.clone(),
                c.line,
                Vec::new(),
                src_inputs,
                inputs,
            );
            cv.duration_ms = 50 + copied / 200_000;
            cv.layer = Some(diff);
            if let Some(e) = &copy_error {
                cv.error = Some(e.clone());
            }
            let cid = self.push_vertex(cv);
            if let Some(e) = copy_error {
                self.runtime_fail(e, c, Some(cid));
                return Ok(());
            }
            // `LINK`: the same index again (BuildKit decrements and
            // re-prefixes).
            self.ds[i].cmd_index -= 1;
            let lname = prefix_command(&mut self.ds[i], &format!("LINK {shown}"), onbuild);
            let chain: Vec<usize> = prev.into_iter().chain(std::iter::once(cid)).collect();
            let mut mv = self.new_vertex(
                i,
                StepKind::Link,
                lname,
                c.line,
                chain.clone(),
                chain,
                KeyInputs::Merge,
            );
            mv.duration_ms = 30;
            let mid = self.push_vertex(mv);
            // The merged result: the copied files over the previous state.
            let mut merged = before.clone();
            for (p, n) in out.iter() {
                if p != "/" {
                    merged.put(p, n.clone());
                }
            }
            let d = &mut self.ds[i];
            d.fs = merged;
            d.last = Some(mid);
            self.record_layer(i, cid, hist);
            return Ok(());
        }
        let chain: Vec<usize> = prev.into_iter().collect();
        let llb: Vec<usize> = prev.into_iter().chain(src_inputs).collect();
        let mut v = self.new_vertex(i, kind, name, c.line, chain, llb, inputs);
        v.duration_ms = 50 + copied / 200_000;
        v.layer = Some(diff);
        if let Some(e) = copy_error {
            v.error = Some(e.clone());
            let id = self.push_vertex(v);
            self.runtime_fail(e, c, Some(id));
            return Ok(());
        }
        let id = self.push_vertex(v);
        let d = &mut self.ds[i];
        d.fs = out;
        d.last = Some(id);
        self.record_layer(i, id, hist);
        Ok(())
    }

    /// Decides what is CACHED, explains the rest, updates the state and
    /// writes the report.
    fn finish(
        mut self,
        state: &mut State,
        target: usize,
        mut resolved: Vec<ResolvedImage>,
        skipped_stages: Vec<String>,
        warnings: Vec<BuildWarning>,
        dockerfile_bytes: usize,
    ) -> BuildReport {
        let n = self.vertices.len();
        // De-duplicate identical vertices (same LLB digest).
        let mut group_of = vec![0usize; n];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut by_def: BTreeMap<String, usize> = BTreeMap::new();
        for (id, v) in self.vertices.iter().enumerate() {
            let g = match by_def.get(&v.def) {
                Some(&g) => g,
                None => {
                    groups.push(Vec::new());
                    by_def.insert(v.def.clone(), groups.len() - 1);
                    groups.len() - 1
                }
            };
            groups[g].push(id);
            group_of[id] = g;
        }
        // Marshal order (depth-first, inputs first): the member marshalled
        // last gives the vertex its name.
        let mut order = vec![usize::MAX; n];
        let mut counter = 0usize;
        let final_vertex = self.ds[target].last;
        if let Some(f) = final_vertex {
            let mut stack: Vec<(usize, usize)> = vec![(f, 0)];
            let mut visited = vec![false; n];
            visited[f] = true;
            while let Some((v, k)) = stack.pop() {
                if k < self.vertices[v].llb_inputs.len() {
                    stack.push((v, k + 1));
                    let inp = self.vertices[v].llb_inputs[k];
                    if !visited[inp] {
                        visited[inp] = true;
                        stack.push((inp, 0));
                    }
                } else {
                    order[v] = counter;
                    counter += 1;
                }
            }
        }
        let winner: Vec<usize> = groups
            .iter()
            .map(|members| {
                members
                    .iter()
                    .copied()
                    .max_by_key(|&m| (order[m] != usize::MAX, order[m].wrapping_add(1)))
                    .unwrap_or(members[0])
            })
            .collect();

        let store_empty = state.cache.is_empty();
        let g_count = groups.len();
        let mut cached = vec![false; g_count];
        let mut known = vec![false; g_count];
        let mut reason: Vec<Option<MissReason>> = vec![None; g_count];
        let is_image = |g: usize, s: &Self| s.vertices[groups[g][0]].kind == StepKind::From;
        // Groups in order of their first member: dependencies first.
        for g in 0..g_count {
            let first = groups[g][0];
            let v = &self.vertices[first];
            known[g] = state.cache.contains(&v.key);
            if v.kind == StepKind::From {
                continue;
            }
            let forced = groups[g]
                .iter()
                .find_map(|&m| self.vertices[m].forced.clone());
            let mut deps_ok = true;
            let mut dep_reason = None;
            for &c in &v.chain {
                let dg = group_of[c];
                if is_image(dg, &self) {
                    if !known[dg] {
                        deps_ok = false;
                        dep_reason.get_or_insert(MissReason::BaseImageChanged {
                            image: self.vertices[c]
                                .image
                                .as_ref()
                                .map_or(String::new(), |i| i.reference.clone()),
                        });
                    }
                } else if !cached[dg] {
                    deps_ok = false;
                    dep_reason.get_or_insert(MissReason::PreviousStepRan {
                        step: self.vertices[winner[dg]].name.clone(),
                    });
                }
            }
            cached[g] = forced.is_none() && known[g] && deps_ok && v.error.is_none();
            if !cached[g] {
                reason[g] = Some(if store_empty {
                    MissReason::EmptyCache
                } else if let Some(f) = forced {
                    f
                } else if let Some(r) = dep_reason {
                    r
                } else {
                    let parents: Vec<CacheKey> = v
                        .chain
                        .iter()
                        .map(|&c| self.vertices[c].key.clone())
                        .collect();
                    let prev = v
                        .chain
                        .first()
                        .map(|&c| self.vertices[winner[group_of[c]]].name.clone());
                    let w = &self.vertices[winner[g]];
                    explain(
                        &state.cache,
                        &parents,
                        &v.inputs,
                        &w.name,
                        &v.arg_names,
                        prev.as_deref(),
                    )
                });
            }
        }
        // FROM rows: CACHED only when loaded for a step that runs.
        let mut consumers: Vec<Vec<usize>> = vec![Vec::new(); g_count];
        for v in &self.vertices {
            let _ = v;
        }
        for (id, v) in self.vertices.iter().enumerate() {
            for &inp in &v.llb_inputs {
                consumers[group_of[inp]].push(group_of[id]);
            }
        }
        let final_group = final_vertex.map(|f| group_of[f]);
        for g in 0..g_count {
            if !is_image(g, &self) {
                continue;
            }
            let loaded = consumers[g].iter().any(|&c| !cached[c]) || final_group == Some(g);
            cached[g] = known[g] && loaded;
            if !cached[g] {
                let w = &self.vertices[winner[g]];
                reason[g] = Some(if known[g] {
                    MissReason::NotLoaded
                } else {
                    MissReason::FirstPull {
                        image: w
                            .image
                            .as_ref()
                            .map_or(String::new(), |i| i.reference.clone()),
                    }
                });
            }
        }
        for r in &mut resolved {
            r.pulled = self.vertices.iter().enumerate().any(|(id, v)| {
                v.image.as_ref().is_some_and(|i| i.pinned() == r.pinned) && !known[group_of[id]]
            });
        }

        // Timeline: a vertex starts when its inputs are done.
        let mut finish_at = vec![0.0f64; g_count];
        let mut start_at = vec![0.0f64; g_count];
        let mut dur = vec![0.0f64; g_count];
        for g in 0..g_count {
            let v = &self.vertices[groups[g][0]];
            let start = v
                .llb_inputs
                .iter()
                .map(|&c| finish_at[group_of[c]])
                .fold(0.0, f64::max);
            let d = if v.kind == StepKind::From {
                if known[g] {
                    0.0
                } else {
                    let size = v.image.as_ref().map_or(0, BaseImage::size);
                    0.3 + size as f64 / 80_000_000.0
                }
            } else if cached[g] {
                0.0
            } else {
                v.duration_ms as f64 / 1000.0
            };
            start_at[g] = start;
            dur[g] = d;
            finish_at[g] = start + d;
        }
        let total_time = finish_at.iter().copied().fold(0.0, f64::max);

        // Rows, in Dockerfile order.
        let ds_order: Vec<usize> = {
            let mut idx: Vec<usize> = (0..self.ds.len()).collect();
            shared_sort::sort_by_key(&mut idx, |&d| self.ds[d].stage_idx.unwrap_or(usize::MAX));
            let mut pos = vec![0; self.ds.len()];
            for (p, &d) in idx.iter().enumerate() {
                pos[d] = p;
            }
            pos
        };
        let mut rows: Vec<usize> = (0..g_count)
            .filter(|&g| self.vertices[winner[g]].is_step)
            .collect();
        shared_sort::sort_by_key(&mut rows, |&g| {
            let w = &self.vertices[winner[g]];
            (ds_order[w.ds], w.index, w.kind == StepKind::Link, winner[g])
        });
        // #1 the Dockerfile, then one metadata load per image, the
        // .dockerignore, the context (when read), then the steps.
        let first_vertex = 2 + resolved.len() + 1 + usize::from(self.context_used);
        let mut steps = Vec::new();
        for (n, &g) in rows.iter().enumerate() {
            let w = &self.vertices[winner[g]];
            let layer_size = match w.kind {
                StepKind::Link => None,
                StepKind::From => w.image.as_ref().map(BaseImage::size),
                _ => w
                    .layer
                    .as_ref()
                    .map(|l| l.size().saturating_add(w.estimated_bytes)),
            };
            let ran = !cached[g] && w.kind != StepKind::From;
            steps.push(Step {
                vertex: first_vertex + n,
                name: w.name.clone(),
                stage: (!w.stage_name.is_empty()).then(|| w.stage_name.clone()),
                index: w.index,
                total: w.total,
                instruction: w.instruction.clone(),
                kind: w.kind,
                cached: cached[g],
                reason: reason[g].as_ref().map(|r| r.to_string()),
                miss: reason[g].clone(),
                duration_s: (dur[g] * 10.0).round() / 10.0,
                start_s: (start_at[g] * 10.0).round() / 10.0,
                layer_size,
                line: w.line,
                output: if ran {
                    w.output.lines().map(String::from).collect()
                } else {
                    Vec::new()
                },
                notes: w.notes.clone(),
                key: w.key.clone(),
                inputs: w.inputs.clone(),
                error: w.error.clone(),
            });
        }

        // Update the cache with every vertex that completed.
        state.builds += 1;
        let serial = state.builds;
        for &wid in &winner {
            let w = &self.vertices[wid];
            if w.error.is_some() {
                continue;
            }
            let parents: Vec<CacheKey> = w
                .chain
                .iter()
                .map(|&c| self.vertices[c].key.clone())
                .collect();
            state.cache.insert(CacheRecord {
                key: w.key.clone(),
                parents,
                inputs: w.inputs.clone(),
                name: w.name.clone(),
                arg_names: w.arg_names.clone(),
                last_used: serial,
            });
        }
        state.cache.prune(5000);

        let error = self.runtime_error.take().map(|(e, _)| e);
        let image = if error.is_none() {
            let t = &self.ds[target];
            let config = t.config.clone();
            let layers = t.layers.clone();
            let history = t.history.clone();
            let id = crate::image_store::image_id(
                &config,
                &layers,
                &history,
                &self.platform.architecture,
                t.author.as_deref(),
            );
            let tags: Vec<String> = self
                .opts
                .tags
                .iter()
                .filter_map(|tag| {
                    catalog::Reference::parse(tag)
                        .ok()
                        .map(|r| r.with_default_tag().to_string())
                })
                .collect();
            let stored = StoredImage {
                id: id.clone(),
                config: config.clone(),
                history: history.clone(),
                layers: layers.clone(),
                os: "linux".into(),
                architecture: self.platform.architecture.clone(),
                author: t.author.clone(),
                build: serial,
            };
            let size = stored.size();
            state.images.insert(id.clone(), Box::new(stored));
            crate::image_store::record_layers(state, &layers, &self.layer_diffs);
            for tag in &tags {
                state.tags.insert(tag.clone(), id.clone());
            }
            Some(BuiltImage {
                id,
                tags,
                size,
                config,
                history,
                layers,
                filesystem: t.fs.clone(),
            })
        } else {
            None
        };
        let context_transfer = if self.context_used {
            self.context_fs.as_ref().map(|f| {
                let files = f.iter().filter(|(_, n)| n.is_file()).count();
                (f.total_size(), files)
            })
        } else {
            None
        };
        BuildReport {
            steps,
            skipped_stages,
            target: {
                let t = &self.ds[target];
                if t.stage_name.is_empty() {
                    name_of(t)
                } else {
                    t.stage_name.clone()
                }
            },
            images: resolved,
            dockerfile_bytes,
            context_transfer,
            dockerignore: self
                .ignore
                .patterns
                .iter()
                .map(|p| {
                    if p.exclusion {
                        format!("!{}", p.pattern)
                    } else {
                        p.pattern.clone()
                    }
                })
                .collect(),
            image,
            warnings,
            error,
            duration_s: (total_time * 10.0).round() / 10.0,
            stages: Vec::new(),
            layer_files: BTreeMap::new(),
        }
    }
}

/// One source to copy: its own file system (URL and heredoc sources) or
/// the step's source (empty), the path, and a `--parents` pivot and
/// pattern.
type CopyPlan = (Fs, String, Option<(String, String)>);

/// A COPY or ADD after flag expansion.
struct CopySpec {
    paths: instructions::SourcesAndDest,
    from: Option<String>,
    chown: Option<String>,
    chmod: Option<String>,
    link: bool,
    excludes: Vec<String>,
    parents: bool,
    is_add: bool,
    unpack: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_DOCKERFILE: &str = "# https://hub.docker.com/_/microsoft-dotnet
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

    fn sample(dockerfile: &str) -> Context {
        Context::from_files([
            ("Dockerfile", dockerfile),
            (
                "aspnetapp.sln",
                "Microsoft Visual Studio Solution File, Format Version 12.00\nProject(\"{9A19103F}\") = \"aspnetapp\", \"aspnetapp\\aspnetapp.csproj\", \"{3D2C}\"\nEndProject\n",
            ),
            (
                "aspnetapp/aspnetapp.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n",
            ),
            ("aspnetapp/Program.cs", "var app = WebApplication.Create(args);\napp.MapGet(\"/\", () => \"Hello\");\napp.Run();\n"),
            ("aspnetapp/appsettings.json", "{ \"Logging\": {} }\n"),
            ("aspnetapp/wwwroot/css/site.css", "body { margin: 0; }\n"),
            ("README.md", "# sample\n"),
        ])
        .unwrap_or_default()
    }

    fn build_ctx(ctx: &Context, opts: &BuildOptions, state: &mut State) -> BuildReport {
        let text = String::from_utf8_lossy(ctx.read("Dockerfile").unwrap_or_default()).into_owned();
        build(&text, ctx, opts, state)
    }

    fn step<'r>(r: &'r BuildReport, name: &str) -> &'r Step {
        r.steps
            .iter()
            .find(|s| s.name.starts_with(name))
            .unwrap_or_else(|| {
                panic!(
                    "no step {name} in {:#?}",
                    r.steps.iter().map(|s| &s.name).collect::<Vec<_>>()
                )
            })
    }

    fn tagged(tag: &str) -> BuildOptions {
        BuildOptions {
            tags: vec![tag.to_string()],
            ..BuildOptions::default()
        }
    }

    #[test]
    fn seed_tutorial_story() {
        let mut ctx = sample(SEED_DOCKERFILE);
        let mut state = State::new();
        let opts = tagged("aspnetapp");
        let r1 = build_ctx(&ctx, &opts, &mut state);
        assert!(r1.error.is_none(), "{:?}", r1.error);
        assert_eq!(r1.steps.len(), 11);
        assert_eq!(step(&r1, "[build 5/8]").instruction, "RUN dotnet restore");
        assert!(r1.steps.iter().all(|s| !s.cached));
        let img = r1
            .image
            .as_ref()
            .map(|i| (i.tags.clone(), i.config.clone()));
        let Some((tags, config)) = img else {
            panic!("no image");
        };
        assert_eq!(tags, ["docker.io/library/aspnetapp:latest"]);
        assert_eq!(
            config.entrypoint,
            Some(vec!["dotnet".to_string(), "aspnetapp.dll".to_string()])
        );
        assert_eq!(config.cmd, None, "ENTRYPOINT resets the inherited CMD");
        assert_eq!(config.env_value("ASPNETCORE_HTTP_PORTS"), Some("8080"));
        assert_eq!(config.working_dir, "/app");
        let final_fs = r1
            .image
            .as_ref()
            .map(|i| i.filesystem.clone())
            .unwrap_or_default();
        assert!(final_fs.exists("/app/aspnetapp.dll"));
        assert!(final_fs.exists("/app/wwwroot/css/site.css"));
        assert!(
            !final_fs.exists("/usr/share/dotnet/sdk"),
            "the SDK is not in the final image"
        );

        // Edit Program.cs: restore stays cached, the rest runs.
        let _ = ctx.insert_file("aspnetapp/Program.cs", "var app = WebApplication.Create(args);\napp.MapGet(\"/\", () => \"Hello, world\");\napp.Run();\n", 0o644);
        let r2 = build_ctx(&ctx, &opts, &mut state);
        for n in [
            "[build 2/8]",
            "[build 3/8]",
            "[build 4/8]",
            "[build 5/8]",
            "[stage-1 2/3]",
        ] {
            assert!(step(&r2, n).cached, "{n} should be CACHED");
        }
        let copy = step(&r2, "[build 6/8]");
        assert!(!copy.cached);
        assert_eq!(
            copy.reason.as_deref(),
            Some("file aspnetapp/Program.cs changed (in the build context)")
        );
        assert!(!step(&r2, "[build 8/8]").cached);
        assert!(!step(&r2, "[stage-1 3/3]").cached);
        assert!(
            !step(&r2, "[build 1/8]").cached,
            "FROM shows CACHED only when loaded"
        );

        // Edit the csproj: restore re-runs too.
        let _ = ctx.insert_file("aspnetapp/aspnetapp.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n</Project>\n", 0o644);
        let r3 = build_ctx(&ctx, &opts, &mut state);
        assert!(step(&r3, "[build 3/8]").cached);
        let csproj = step(&r3, "[build 4/8]");
        assert_eq!(
            csproj.reason.as_deref(),
            Some("file aspnetapp/aspnetapp.csproj changed (in the build context)")
        );
        let restore = step(&r3, "[build 5/8]");
        assert!(!restore.cached);
        assert!(restore
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("[build 4/8] COPY aspnetapp/*.csproj ./aspnetapp/")));
        assert!(
            !step(&r3, "[build 1/8]").cached,
            "WORKDIR after FROM is cached: the image is not loaded"
        );
    }

    #[test]
    fn copy_everything_first_reruns_restore_on_every_edit() {
        let df = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\nRUN dotnet restore\nWORKDIR /source/aspnetapp\nRUN dotnet publish -c release -o /app --no-restore\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY --from=build /app ./\n";
        let mut ctx = sample(df);
        let mut state = State::new();
        let opts = BuildOptions::default();
        build_ctx(&ctx, &opts, &mut state);
        let _ = ctx.insert_file("aspnetapp/Program.cs", "// edited\n", 0o644);
        let r = build_ctx(&ctx, &opts, &mut state);
        assert!(!step(&r, "[build 4/6] RUN dotnet restore").cached);
        // A README edit changes no published file: the final COPY stays.
        let _ = ctx.insert_file("README.md", "# changed\n", 0o644);
        let r = build_ctx(&ctx, &opts, &mut state);
        assert!(!step(&r, "[build 4/6]").cached);
        assert!(step(&r, "[stage-1 3/3]").cached);
    }

    fn one_file(df: &str) -> Context {
        Context::from_files([("Dockerfile", df), ("a.txt", "a\n")]).unwrap_or_default()
    }

    fn args(pairs: &[(&str, &str)]) -> BuildOptions {
        BuildOptions {
            build_args: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..BuildOptions::default()
        }
    }

    #[test]
    fn arg_scoping() {
        // A global ARG is seen by FROM only, unless re-declared.
        let ctx = one_file(
            "ARG TAG=3.20\nARG X=1\nFROM alpine:${TAG}\nRUN echo $X\nARG X\nRUN echo $X\n",
        );
        let mut state = State::new();
        let r = build_ctx(&ctx, &BuildOptions::default(), &mut state);
        assert_eq!(
            r.steps[0].instruction.split('@').next(),
            Some("FROM docker.io/library/alpine:3.20")
        );
        assert_eq!(r.steps[1].instruction, "RUN echo $X");
        assert_eq!(r.steps[2].instruction, "RUN echo 1");
        // Overriding X re-runs only the step after the re-declaration.
        let r = build_ctx(&ctx, &args(&[("X", "2")]), &mut state);
        assert!(r.steps[1].cached);
        assert_eq!(
            r.steps[2].reason.as_deref(),
            Some("build arg X changed from \"1\" to \"2\"")
        );
        // Undeclared build args and undeclared proxy args change nothing.
        let r = build_ctx(
            &ctx,
            &args(&[("FOO", "bar"), ("HTTP_PROXY", "http://p:3128")]),
            &mut state,
        );
        assert!(r.steps[1].cached && r.steps[2].cached);
        // The platform ARGs are predefined.
        let ctx = one_file("FROM alpine:3.20\nARG TARGETPLATFORM\nRUN echo $TARGETPLATFORM\n");
        let r = build_ctx(&ctx, &BuildOptions::default(), &mut state);
        assert_eq!(r.steps[1].instruction, "RUN echo linux/amd64");
    }

    #[test]
    fn names_quirks() {
        let mut state = State::new();
        // Heredoc summary; a RUN --mount makes the single stage `stage-0`.
        let ctx = one_file("FROM alpine:3.20\nrun <<EOF\necho one\necho two\nEOF\nRUN --mount=type=cache,target=/c echo hi\n");
        let r = build_ctx(&ctx, &BuildOptions::default(), &mut state);
        assert_eq!(r.steps[1].name, "[stage-0 2/3] RUN <<EOF (echo one...)");
        // Same image twice: one FROM row; COPY --link: two rows.
        let ctx = one_file("FROM alpine:3.20 AS one\nRUN echo 1 > /1\nFROM alpine:3.20 AS two\nCOPY --link --from=one /1 /1\n");
        let r = build_ctx(&ctx, &BuildOptions::default(), &mut state);
        let names: Vec<&str> = r.steps.iter().map(|s| s.instruction.as_str()).collect();
        assert_eq!(
            names.iter().filter(|n| n.starts_with("FROM")).count(),
            1,
            "{names:?}"
        );
        assert_eq!(r.steps[2].name, "[two 2/2] COPY --link --from=one /1 /1");
        assert_eq!(
            r.steps[3].name,
            "[two 2/2] LINK COPY --link --from=one /1 /1"
        );
        // Ten steps: the index is padded.
        let mut df = String::from("FROM alpine:3.20\n");
        for k in 0..9 {
            df.push_str(&format!("RUN echo {k}\n"));
        }
        let r = build_ctx(&one_file(&df), &BuildOptions::default(), &mut state);
        assert!(r.steps[0].name.starts_with("[ 1/10] FROM"));
        assert_eq!(r.steps[9].name, "[10/10] RUN echo 8");
    }

    #[test]
    fn failures_are_reported_with_lines() {
        let mut state = State::new();
        let r = build_ctx(
            &one_file("FROM alpine:3.20\nCOPY nosuch.txt /x\n"),
            &BuildOptions::default(),
            &mut state,
        );
        let e = r.error.as_ref().map(|e| (e.message.clone(), e.line));
        assert_eq!(
            e,
            Some(("failed to compute cache key: failed to calculate checksum of ref: \"/nosuch.txt\": not found".to_string(), Some(2)))
        );
        let r = build_ctx(
            &one_file("FROM alpine:3.20\nRUN cat /nope\nRUN echo never\n"),
            &BuildOptions::default(),
            &mut state,
        );
        assert_eq!(
            r.error.as_ref().map(|e| e.message.as_str()),
            Some("process \"/bin/sh -c cat /nope\" did not complete successfully: exit code: 1")
        );
        assert_eq!(r.steps.len(), 2, "the step after the failure does not run");
        let r = build_ctx(
            &one_file("FROM alpine:3.20\n"),
            &BuildOptions {
                target: Some("nope".into()),
                ..BuildOptions::default()
            },
            &mut state,
        );
        assert!(r.error.is_some_and(|e| e
            .message
            .starts_with("target stage \"nope\" could not be found")));
        let r = build_ctx(
            &one_file(
                "FROM alpine:3.20 AS first\nCOPY --from=later /x /x\nFROM busybox:1.36 AS later\n",
            ),
            &BuildOptions {
                target: Some("first".into()),
                ..BuildOptions::default()
            },
            &mut state,
        );
        assert!(r
            .error
            .is_some_and(|e| e.message.starts_with("cannot copy from stage \"later\"")));
        let r = build_ctx(
            &one_file("FROM alpine:3.20\nUSER ghost\nRUN id\n"),
            &BuildOptions::default(),
            &mut state,
        );
        assert!(r
            .error
            .is_some_and(|e| e.message.contains("unable to find user ghost")));
    }

    #[test]
    fn no_cache_and_metadata_instructions() {
        let mut state = State::new();
        let ctx =
            one_file("FROM alpine:3.20\nWORKDIR /w\nCOPY a.txt .\nLABEL v=1\nRUN cat a.txt\n");
        build_ctx(&ctx, &BuildOptions::default(), &mut state);
        let r = build_ctx(
            &ctx,
            &BuildOptions {
                no_cache: true,
                ..BuildOptions::default()
            },
            &mut state,
        );
        assert!(step(&r, "[2/4] WORKDIR").cached, "WORKDIR is never forced");
        assert_eq!(
            step(&r, "[3/4]").reason.as_deref(),
            Some("--no-cache: every step runs again")
        );
        let ctx =
            one_file("FROM alpine:3.20\nWORKDIR /w\nCOPY a.txt .\nLABEL v=2\nRUN cat a.txt\n");
        let r = build_ctx(&ctx, &BuildOptions::default(), &mut state);
        assert!(
            r.steps.iter().skip(1).all(|s| s.cached),
            "LABEL changes only the config"
        );
        assert_eq!(
            r.image.map(|i| i.config.labels.get("v").cloned()),
            Some(Some("2".to_string()))
        );
    }

    #[test]
    fn plain_progress_shape() {
        let ctx = sample(SEED_DOCKERFILE);
        let mut state = State::new();
        let opts = tagged("aspnetapp");
        build_ctx(&ctx, &opts, &mut state);
        let r = build_ctx(&ctx, &opts, &mut state);
        let out = crate::docker::build::render_plain(&r, Some(SEED_DOCKERFILE));
        assert!(out.contains("[internal] load build definition from Dockerfile"));
        let restore = step(&r, "[build 5/8]");
        assert!(
            out.contains(&format!(
                "#{} [build 5/8] RUN dotnet restore\n#{} CACHED",
                restore.vertex, restore.vertex
            )),
            "{out}"
        );
        assert!(out.contains("naming to docker.io/library/aspnetapp:latest done"));
        // Deterministic.
        let again = build_ctx(&ctx, &opts, &mut state);
        assert_eq!(
            crate::docker::build::render_plain(&again, None),
            crate::docker::build::render_plain(&r, None)
        );
    }
}
