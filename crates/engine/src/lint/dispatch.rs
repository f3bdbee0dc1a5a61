//! The walk BuildKit's `toDispatchState` makes over a Dockerfile (in
//! `dockerfile2llb/convert.go`), reduced to what decides its checks and
//! errors: global ARGs and the predefined platform ARGs, the stage graph
//! (`FROM stage`, `COPY --from`, `RUN --mount from=`), base image
//! resolution, ONBUILD triggers, and each stage's commands with ARG/ENV
//! scoping, `SHELL`, `WORKDIR` and the CMD/ENTRYPOINT/HEALTHCHECK trackers.
//!
//! Steps run in BuildKit's order and stop at the first error, as BuildKit
//! does; the warnings emitted before it are kept.

use std::collections::BTreeSet;

use layerlab_syntax::words::{EnvGetter, Lexer};
use layerlab_syntax::{go_quote, Dockerfile, Span};

use super::config::{check_directive, CheckConfig};
use super::ignore::Matcher;
use super::platform::{self, Platform};
use super::reference::parse_normalized_named;
use super::rules::{
    consistent_instruction_casing, copy_ignored_file, duplicate_stage_name, expose_invalid_format,
    expose_proto_casing, from_platform_flag_const_disallowed, invalid_base_image_platform,
    invalid_default_arg_in_from, json_args_recommended, legacy_key_value_format,
    multiple_instructions_disallowed, no_empty_continuation, redundant_target_platform,
    reserved_stage_name, secrets_used_in_arg_or_env, undefined_arg_in_from, undefined_var,
    workdir_relative_path, Rule,
};
use super::typed::{self, Command, CopyCmd, Kind, Loc, Parsed1, Stage};
use super::{comments, mounts, ports, Emitter, LintError, LintOptions};
use crate::args::EnvList;
use crate::paths::clean;
use crate::suggest;

/// The default `PATH` BuildKit gives a Linux stage without one.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// ARGs that never become environment variables.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// The parts of an image configuration the checks look at.
#[derive(Debug, Clone, Default)]
struct Img {
    /// `KEY=value` in order, a later ENV replacing in place.
    env: Vec<(String, String)>,
    shell: Vec<String>,
    on_build: Vec<String>,
    os: String,
}

impl Img {
    fn add_env(&mut self, k: &str, v: &str) {
        match self.env.iter_mut().find(|(key, _)| key == k) {
            Some(e) => e.1 = v.to_string(),
            None => self.env.push((k.to_string(), v.to_string())),
        }
    }

    /// BuildKit's `emptyImage`: what `FROM scratch` starts from.
    fn empty(platform: &Platform) -> Img {
        let mut img = Img {
            os: platform.os.clone(),
            ..Img::default()
        };
        if platform.os != "windows" {
            img.env.push(("PATH".into(), DEFAULT_PATH.into()));
        }
        img
    }
}

/// One of BuildKit's `dispatchState`s: a stage, or an image or `scratch`
/// that a `COPY --from` / `RUN --mount from=` reads ("unregistered").
#[derive(Debug, Clone, Default)]
struct DState {
    stage: Option<usize>,
    /// The FROM's base (variables expanded), or the `--from` value.
    base_name: String,
    /// Lower-cased stage name, empty when unnamed.
    name: String,
    /// `build`, `stage-2`, or empty when the file has a single stage.
    stage_name: String,
    loc: Option<Loc>,
    base: Option<usize>,
    unregistered: bool,
    dispatched: bool,
    resolved: bool,
    onbuild_init: bool,
    platform: Option<Platform>,
    image: Img,
    env: EnvList,
    build_args: Vec<String>,
    workdir_set: bool,
    cmd: Option<Loc>,
    entrypoint: Option<Loc>,
    healthcheck: Option<Loc>,
    commands: Vec<Command>,
    /// For each command, the states it reads (`COPY --from`, mounts).
    sources: Vec<Vec<usize>>,
    deps: Vec<(usize, Loc)>,
}

/// The `# check=` configuration: `options.check` or the directive.
pub(crate) fn check_config(
    source: &str,
    options: &LintOptions<'_>,
) -> Result<CheckConfig, LintError> {
    let s = options
        .check
        .clone()
        .or_else(|| check_directive(source))
        .unwrap_or_default();
    CheckConfig::parse(&s)
        .map_err(|e| LintError::plain(format!("failed to parse check options: {e}")))
}

/// Runs every check; `Err` is the error BuildKit stops with.
pub(crate) fn run(
    file: &Dockerfile,
    source: &str,
    options: &LintOptions<'_>,
    out: &mut Emitter,
) -> Result<(), LintError> {
    if source.is_empty() {
        return Err(LintError::plain("the Dockerfile cannot be empty"));
    }
    let cfg = check_config(source, options)?;
    out.error_on_warning = cfg.error;

    for w in &file.warnings {
        let loc = Loc {
            start: w.line,
            end: w.line,
            span: w.span,
        };
        out.run(
            &cfg,
            &no_empty_continuation::RULE,
            loc,
            w.span,
            no_empty_continuation::message(),
        );
    }

    let comments = comments::previous_comments(file, source);
    let parsed = typed::parse(&file.instructions, &comments, &cfg, out)?;
    if parsed.stages.is_empty() {
        return Err(LintError::plain("dockerfile contains no stages to build"));
    }
    validate_stage_names(&parsed.stages, &cfg, out);
    validate_command_casing(&parsed.stages, &cfg, out);

    let target_platform = match &options.platform {
        Some(p) => platform::parse(p)
            .map_err(|e| LintError::plain(format!("failed to parse target platform {p}: {e}")))?,
        None => Platform::linux_amd64(),
    };
    let build_platform = Platform::linux_amd64();
    let target_name = options.target.clone().unwrap_or_else(|| {
        parsed
            .stages
            .last()
            .map(|s| s.name.clone())
            .unwrap_or_default()
    });
    let defaults = default_args(&build_platform, &target_platform, options, &target_name);
    let lexer = Lexer::new(file.escape);

    validate_base_images_with_default_args(
        &parsed.stages,
        &lexer,
        &defaults,
        &parsed.meta_args,
        &cfg,
        out,
    );
    let (global_args, all_args) =
        build_meta_args(defaults, &lexer, &parsed.meta_args, options, true)?;

    let mut cx = Cx {
        source,
        options,
        cfg,
        lexer,
        out,
        target_platform,
        global_args,
        all_args,
        states: Vec::new(),
        stages: parsed.stages,
        all_stages: options.target.is_none(),
        dockerignore: options.dockerignore.as_ref().map(|p| Matcher::new(p)),
    };
    cx.build_dispatch_states()?;
    let target = cx.resolve_target()?;
    cx.build_dependency_graph()?;
    cx.resolve_stages(target)?;
    cx.dispatch_stages(target)?;
    Ok(())
}

/// `validateStageNames`: reserved names, then duplicates.
fn validate_stage_names(stages: &[Stage], cfg: &CheckConfig, out: &mut Emitter) {
    let mut seen: Vec<&str> = Vec::new();
    for st in stages {
        if st.name.is_empty() {
            continue;
        }
        let span = st.name_span.unwrap_or(st.loc.span);
        if st.name == "context" || st.name == "scratch" {
            out.run(
                cfg,
                &reserved_stage_name::RULE,
                st.loc,
                span,
                reserved_stage_name::message(&st.name),
            );
        }
        if seen.contains(&st.name.as_str()) {
            out.run(
                cfg,
                &duplicate_stage_name::RULE,
                st.loc,
                span,
                duplicate_stage_name::message(&st.name),
            );
        }
        seen.push(&st.name);
    }
}

fn is_self_consistent(s: &str) -> bool {
    s == s.to_lowercase() || s == s.to_uppercase()
}

/// `validateCommandCasing`: the majority case over every stage's keywords.
fn validate_command_casing(stages: &[Stage], cfg: &CheckConfig, out: &mut Emitter) {
    let (mut lower, mut upper) = (0, 0);
    let names = stages
        .iter()
        .flat_map(|s| std::iter::once(&s.orig_cmd).chain(s.commands.iter().map(|c| &c.name)));
    for n in names {
        if is_self_consistent(n) {
            if *n == n.to_lowercase() {
                lower += 1;
            } else {
                upper += 1;
            }
        }
    }
    let majority_lower = lower > upper;
    let mut check = |name: &str, loc: Loc, span: Span| {
        let casing = if majority_lower && name.to_lowercase() != name {
            "lowercase"
        } else if !majority_lower && name.to_uppercase() != name {
            "uppercase"
        } else {
            return;
        };
        out.run(
            cfg,
            &consistent_instruction_casing::RULE,
            loc,
            span,
            consistent_instruction_casing::message(name, casing),
        );
    };
    for st in stages {
        check(&st.orig_cmd, st.loc, st.keyword_span);
        for c in &st.commands {
            check(&c.name, c.loc, c.keyword_span);
        }
    }
}

/// `defaultArgs`: the predefined platform ARGs and TARGETSTAGE
/// ([`crate::args::predefined_args`], with the OS version this platform
/// model has).
fn default_args(
    build: &Platform,
    target: &Platform,
    options: &LintOptions<'_>,
    target_name: &str,
) -> EnvList {
    let short = |p: &Platform| {
        let mut s = format!("{}/{}", p.os, p.architecture);
        if !p.variant.is_empty() {
            s.push('/');
            s.push_str(&p.variant);
        }
        s
    };
    let values = |p: &Platform, platform: String| {
        [
            platform,
            p.os.clone(),
            p.os_version.clone(),
            p.architecture.clone(),
            p.variant.clone(),
        ]
    };
    crate::args::predefined_args(
        values(build, short(build)),
        values(target, target.to_string()),
        &options.build_args,
        target_name,
    )
}

/// `buildMetaArgs`: the global ARGs' values (build args win over defaults,
/// defaults are expanded with the ARGs before them) and every global ARG
/// name.
fn build_meta_args(
    mut args: EnvList,
    lexer: &Lexer,
    meta: &[Command],
    options: &LintOptions<'_>,
    use_build_args: bool,
) -> Result<(EnvList, BTreeSet<String>), LintError> {
    let mut all = BTreeSet::new();
    for cmd in meta {
        let Kind::Arg(kvs) = &cmd.kind else {
            continue;
        };
        for kv in kvs {
            let given = if use_build_args {
                options.build_args.get(&kv.key).cloned()
            } else {
                None
            };
            let value = match (given, &kv.value) {
                (Some(v), _) => Some(v),
                (None, Some(def)) => Some(
                    lexer
                        .process_word_with_matches(def, &args)
                        .map_err(|e| LintError::at(e.message, cmd.loc))?
                        .result,
                ),
                (None, None) => None,
            };
            if let Some(v) = value {
                args.add_or_replace(&kv.key, &v);
            }
            all.insert(kv.key.clone());
        }
    }
    Ok((args, all))
}

/// `validateBaseImagesWithDefaultArgs`: each FROM must name a valid image
/// with the global ARGs' defaults alone.
fn validate_base_images_with_default_args(
    stages: &[Stage],
    lexer: &Lexer,
    defaults: &EnvList,
    meta: &[Command],
    cfg: &CheckConfig,
    out: &mut Emitter,
) {
    let no_options = LintOptions::default();
    let Ok((args, _)) = build_meta_args(defaults.clone(), lexer, meta, &no_options, false) else {
        return;
    };
    for st in stages {
        let Ok(m) = lexer.process_word_with_matches(&st.base_name.value, &args) else {
            return;
        };
        if parse_normalized_named(&m.result).is_err() {
            out.run(
                cfg,
                &invalid_default_arg_in_from::RULE,
                st.loc,
                st.base_name.span,
                invalid_default_arg_in_from::message(&st.base_name.value),
            );
        }
    }
}

/// `(?i)(?:_|^)(?:apikey|auth|...)(?:_|$)` and not `public|file|version`.
fn is_secret_key(key: &str) -> bool {
    const DENY: [&str; 10] = [
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    ];
    const ALLOW: [&str; 3] = ["public", "file", "version"];
    let parts: Vec<String> = key.split('_').map(str::to_lowercase).collect();
    parts.iter().any(|p| DENY.contains(&p.as_str()))
        && !parts.iter().any(|p| ALLOW.contains(&p.as_str()))
}

/// moby's `signal.ParseSignal` on Linux.
fn valid_signal(s: &str) -> bool {
    if let Some(n) = go_atoi(s) {
        return n != 0;
    }
    let upper = s.to_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if crate::build::SIGNALS.contains(&name) {
        return true;
    }
    if let Some(n) = name.strip_prefix("RTMIN+") {
        return (1..=15).any(|i: u32| i.to_string() == n);
    }
    if let Some(n) = name.strip_prefix("RTMAX-") {
        return (1..=14).any(|i: u32| i.to_string() == n);
    }
    false
}

/// Go's `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// `system.IsAbs`.
fn is_abs(path: &str, os: &str) -> bool {
    if os != "windows" {
        return path.starts_with('/');
    }
    let p = path.replace('\\', "/");
    let p = match p.split_once(':') {
        Some((drive, rest)) if drive.len() == 1 => rest.to_string(),
        _ => p,
    };
    p.starts_with('/')
}

fn is_http_source(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://")
}

/// A source BuildKit reads as a Git repository (approximately
/// `dfgitutil.ParseGitRef`).
fn is_git_source(src: &str) -> bool {
    if src.starts_with("git://") || src.starts_with("ssh://") || src.starts_with("git@") {
        return true;
    }
    if is_http_source(src) {
        let path = src.split(['#', '?']).next().unwrap_or(src);
        return path.ends_with(".git");
    }
    false
}

struct Cx<'a, 'o> {
    source: &'a str,
    options: &'a LintOptions<'o>,
    cfg: CheckConfig,
    lexer: Lexer,
    out: &'a mut Emitter,
    target_platform: Platform,
    global_args: EnvList,
    all_args: BTreeSet<String>,
    states: Vec<DState>,
    stages: Vec<Stage>,
    /// No `--target`: BuildKit's lint then checks every stage.
    all_stages: bool,
    dockerignore: Option<Matcher>,
}

impl Cx<'_, '_> {
    fn emit(&mut self, cfg: &CheckConfig, rule: &'static Rule, loc: Loc, span: Span, msg: String) {
        self.out.run(cfg, rule, loc, span, msg);
    }

    /// `addState`: a state whose base is exactly the (lower-case) name of
    /// an earlier stage builds on it (the last stage of that name).
    fn add_state(&mut self, mut ds: DState) -> usize {
        let idx = self.states.len();
        ds.base = self
            .states
            .iter()
            .rposition(|s| s.stage.is_some() && !s.name.is_empty() && s.name == ds.base_name);
        self.states.push(ds);
        idx
    }

    /// `findStateByName` (case-insensitive; the last stage of that name).
    fn find_by_name(&self, name: &str) -> Option<usize> {
        let lower = name.to_lowercase();
        self.states
            .iter()
            .rposition(|s| s.stage.is_some() && !s.name.is_empty() && s.name == lower)
    }

    /// `reportUnusedFromArgs` for `UndefinedArgInFrom`.
    fn report_unused_from_args(
        &mut self,
        cfg: &CheckConfig,
        unmatched: &BTreeSet<String>,
        loc: Loc,
        span: Span,
    ) {
        let mut keys: BTreeSet<String> = self.all_args.clone();
        keys.extend(self.global_args.keys().into_iter().map(String::from));
        for arg in unmatched {
            if keys.contains(arg) {
                continue;
            }
            let s = suggest::search(arg, keys.iter().map(String::as_str), true).unwrap_or_default();
            let span = var_span(self.source, span, arg);
            self.emit(
                cfg,
                &undefined_arg_in_from::RULE,
                loc,
                span,
                undefined_arg_in_from::message(arg, &s),
            );
        }
    }

    /// `buildDispatchStates`.
    fn build_dispatch_states(&mut self) -> Result<(), LintError> {
        let stages = std::mem::take(&mut self.stages);
        let result = self.build_dispatch_states_of(&stages);
        self.stages = stages;
        result
    }

    fn build_dispatch_states_of(&mut self, stages: &[Stage]) -> Result<(), LintError> {
        for (i, st) in stages.iter().enumerate() {
            let cfg = self.cfg.with_comments(&st.comments);
            let m = self
                .lexer
                .process_word_with_matches(&st.base_name.value, &self.global_args);
            let m = match m {
                Ok(m) => m,
                Err(e) => return Err(LintError::at(e.message, st.loc)),
            };
            self.report_unused_from_args(&cfg, &m.unmatched, st.loc, st.base_name.span);
            if m.result.is_empty() {
                return Err(LintError::at(
                    format!("base name ({}) should not be blank", st.base_name.value),
                    st.loc,
                ));
            }
            let mut ds = DState {
                stage: Some(i),
                base_name: m.result,
                name: st.name.clone(),
                stage_name: if st.name.is_empty() {
                    format!("stage-{i}")
                } else {
                    st.name.clone()
                },
                loc: Some(st.loc),
                commands: st.commands.clone(),
                ..DState::default()
            };
            if let Some(p) = st.platform.as_ref().filter(|p| !p.value.is_empty()) {
                let pm = match self
                    .lexer
                    .process_word_with_matches(&p.value, &self.global_args)
                {
                    Ok(pm) => pm,
                    Err(e) => {
                        return Err(LintError::at(
                            format!(
                                "failed to process arguments for platform {}: {}",
                                p.value, e.message
                            ),
                            st.loc,
                        ))
                    }
                };
                self.report_unused_from_args(&cfg, &pm.unmatched, st.loc, p.span);
                // RedundantTargetPlatform: the value was only $TARGETPLATFORM.
                if pm.matched.len() == 1
                    && pm.unmatched.is_empty()
                    && pm.matched.contains("TARGETPLATFORM")
                    && self.global_args.value("TARGETPLATFORM") == Some(pm.result.as_str())
                {
                    self.emit(
                        &cfg,
                        &redundant_target_platform::RULE,
                        st.loc,
                        p.span,
                        redundant_target_platform::message(&p.value),
                    );
                }
                // FromPlatformFlagConstDisallowed: no variable at all.
                if pm.matched.is_empty() && pm.unmatched.is_empty() {
                    if let Ok(pl) = platform::parse(&pm.result) {
                        if !st.name.contains(&pl.os) && !st.name.contains(&pl.architecture) {
                            self.emit(
                                &cfg,
                                &from_platform_flag_const_disallowed::RULE,
                                st.loc,
                                p.span,
                                from_platform_flag_const_disallowed::message(&pm.result),
                            );
                        }
                    }
                }
                let keys: Vec<String> = self
                    .global_args
                    .keys()
                    .into_iter()
                    .map(String::from)
                    .collect();
                let suggestion = || {
                    pm.unmatched
                        .iter()
                        .find_map(|k| suggest::search(k, keys.iter().map(String::as_str), true))
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default()
                };
                if pm.result.is_empty() {
                    return Err(LintError::at(
                        format!(
                            "empty platform value from expression {}{}",
                            p.value,
                            suggestion()
                        ),
                        st.loc,
                    ));
                }
                match platform::parse(&pm.result) {
                    Ok(pl) => ds.platform = Some(pl),
                    Err(e) => {
                        return Err(LintError::at(
                            format!("failed to parse platform {}: {e}{}", p.value, suggestion()),
                            st.loc,
                        ))
                    }
                }
            }
            self.add_state(ds);
        }
        Ok(())
    }

    /// `resolveTarget`.
    fn resolve_target(&self) -> Result<usize, LintError> {
        match &self.options.target {
            None => Ok(self.states.len() - 1),
            Some(t) => self.find_by_name(t).ok_or_else(|| {
                let names: Vec<&str> = self
                    .states
                    .iter()
                    .filter(|s| !s.stage_name.is_empty())
                    .map(|s| s.stage_name.as_str())
                    .collect();
                let mut msg = format!("target stage {} could not be found", go_quote(t));
                if let Some(s) = suggest::search(t, names, true) {
                    msg.push_str(&format!(" (did you mean {s}?)"));
                }
                LintError::plain(msg)
            }),
        }
    }

    /// `toCommand`: the states a command reads; new unregistered states
    /// are returned to be added.
    fn command_sources(&self, cmd: &Command) -> Result<Vec<SourceRef>, String> {
        match &cmd.kind {
            Kind::Copy(CopyCmd {
                from: Some(from), ..
            }) if !from.value.is_empty() => {
                let no_env: Vec<(String, String)> = Vec::new();
                let res = self
                    .lexer
                    .process_word_with_matches(&from.value, &no_env)
                    .map_err(|e| e.message)?;
                if res.result != from.value {
                    return Err("variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround".into());
                }
                match go_atoi(&from.value) {
                    Some(i) => {
                        if i < 0 || i as usize >= self.states.len() {
                            return Err(format!("invalid stage index {i}"));
                        }
                        Ok(vec![SourceRef::State(i as usize)])
                    }
                    None => Ok(vec![match self.find_by_name(&from.value) {
                        Some(s) => SourceRef::State(s),
                        None => SourceRef::New(from.value.clone(), Some(cmd.loc)),
                    }]),
                }
            }
            Kind::Run { mounts } => Ok(mounts
                .iter()
                .map(|m| {
                    let from = if m.raw_from.is_empty() {
                        "scratch"
                    } else {
                        m.raw_from.as_str()
                    };
                    match self.find_by_name(from) {
                        Some(s) => SourceRef::State(s),
                        None => SourceRef::New(from.to_string(), None),
                    }
                })
                .collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// Adds the states `refs` name, returning their indices.
    fn register_sources(&mut self, refs: Vec<SourceRef>) -> Vec<usize> {
        refs.into_iter()
            .map(|r| match r {
                SourceRef::State(i) => i,
                SourceRef::New(base, loc) => self.add_state(DState {
                    base_name: base,
                    loc,
                    unregistered: true,
                    ..DState::default()
                }),
            })
            .collect()
    }

    /// `buildStageDependencyGraph` and `validateCircularDependency`.
    fn build_dependency_graph(&mut self) -> Result<(), LintError> {
        let n = self.states.len();
        for d in 0..n {
            let mut all_sources = Vec::new();
            for ci in 0..self.states[d].commands.len() {
                let cmd = self.states[d].commands[ci].clone();
                let refs = self.command_sources(&cmd).map_err(LintError::plain)?;
                let srcs = self.register_sources(refs);
                for &s in &srcs {
                    add_dep(&mut self.states[d].deps, s, cmd.loc);
                }
                all_sources.push(srcs);
            }
            self.states[d].sources = all_sources;
        }
        // A cycle through COPY --from / mounts.
        let mut visited = vec![false; self.states.len()];
        let mut path = vec![false; self.states.len()];
        for s in 0..self.states.len() {
            if let Some(loc) = self.visit(s, &mut visited, &mut path) {
                return Err(LintError::at(
                    format!(
                        "circular dependency detected on stage: {}",
                        self.states[s].stage_name
                    ),
                    loc,
                ));
            }
        }
        if self.states.len() == 1 {
            self.states[0].stage_name.clear();
        }
        Ok(())
    }

    fn visit(&self, s: usize, visited: &mut [bool], path: &mut [bool]) -> Option<Loc> {
        if visited[s] {
            return None;
        }
        visited[s] = true;
        path[s] = true;
        for &(dep, loc) in &self.states[s].deps {
            if path[dep] {
                return Some(loc);
            }
            if let Some(l) = self.visit(dep, visited, path) {
                return Some(l);
            }
        }
        path[s] = false;
        None
    }

    /// `allReachableStages`.
    fn reachable(&self, target: usize) -> Vec<usize> {
        let mut seen = vec![false; self.states.len()];
        let mut stack = vec![target];
        while let Some(s) = stack.pop() {
            if seen[s] {
                continue;
            }
            seen[s] = true;
            if let Some(b) = self.states[s].base {
                stack.push(b);
            }
            stack.extend(self.states[s].deps.iter().map(|(d, _)| *d));
        }
        (0..self.states.len()).filter(|&i| seen[i]).collect()
    }

    /// `dispatchState.init`: a stage built on another stage starts from it.
    fn init(&mut self, d: usize) {
        let Some(b) = self.states[d].base else {
            return;
        };
        let base = self.states[b].clone();
        let ds = &mut self.states[d];
        ds.env = base.env;
        ds.platform = base.platform;
        ds.image = base.image;
        ds.image.on_build.clear();
        ds.workdir_set = base.workdir_set;
        ds.build_args.extend(base.build_args);
    }

    /// `resolveStages`: base images, then ONBUILD triggers (repeated while
    /// triggers add dependencies).
    fn resolve_stages(&mut self, target: usize) -> Result<(), LintError> {
        loop {
            let reachable = self.reachable(target);
            for d in 0..self.states.len() {
                let s = &self.states[d];
                if s.base.is_some() || s.dispatched || s.resolved {
                    continue;
                }
                // Without --target every stage is checked; with one, only
                // what the target needs has its base image resolved.
                let is_reachable = self.all_stages || reachable.contains(&d);
                self.states[d].resolved = is_reachable;
                if self.states[d].base_name == "scratch" {
                    let tp = self.target_platform.clone();
                    let ds = &mut self.states[d];
                    ds.image = Img::empty(&tp);
                    ds.platform = Some(tp);
                    if ds.unregistered {
                        ds.dispatched = true;
                    }
                    continue;
                }
                self.resolve_base_image(d, is_reachable)?;
            }
            let mut new_deps = false;
            for d in self.reachable(target) {
                self.init(d);
                let mut onbuilds = self.states[d].image.on_build.clone();
                if let Some(b) = self.states[d].base {
                    if !self.states[d].onbuild_init {
                        for c in &self.states[b].commands {
                            if let Kind::Onbuild(expr) = &c.kind {
                                onbuilds.push(expr.clone());
                            }
                        }
                        self.states[d].onbuild_init = true;
                    }
                }
                if !onbuilds.is_empty() {
                    let loc = self.states[d].loc;
                    new_deps |=
                        self.init_onbuild_triggers(d, &onbuilds)
                            .map_err(|e| match loc {
                                Some(l) => LintError::at(e, l),
                                None => LintError::plain(e),
                            })?;
                    self.states[d].image.on_build.clear();
                }
            }
            if !new_deps {
                return Ok(());
            }
        }
    }

    /// `initOnBuildTriggers`: the triggers become the first commands.
    fn init_onbuild_triggers(&mut self, d: usize, triggers: &[String]) -> Result<bool, String> {
        let Some(loc) = self.states[d].loc else {
            return Ok(false);
        };
        let mut cmds = Vec::new();
        let mut srcs = Vec::new();
        let mut has_new = false;
        for t in triggers {
            let file = layerlab_syntax::parse(t).map_err(|e| e.message)?;
            if file.instructions.len() != 1 {
                return Err("onbuild trigger should be a single expression".into());
            }
            let mut node = file.instructions[0].clone();
            node.start_line = loc.start;
            node.end_line = loc.end;
            node.span = loc.span;
            let mut cmd = match typed::parse_instruction(&node, &[], None)? {
                Parsed1::Command(c) => c,
                Parsed1::Stage(_) => return Err("*instructions.Stage is not a command type".into()),
            };
            cmd.is_onbuild = true;
            cmd.keyword_span = loc.span;
            let refs = self.command_sources(&cmd)?;
            if !refs.is_empty() {
                has_new = true;
            }
            let s = self.register_sources(refs);
            for &x in &s {
                add_dep(&mut self.states[d].deps, x, loc);
            }
            cmds.push(cmd);
            srcs.push(s);
        }
        let ds = &mut self.states[d];
        cmds.append(&mut ds.commands);
        ds.commands = cmds;
        srcs.append(&mut ds.sources);
        ds.sources = srcs;
        Ok(has_new)
    }

    /// `resolveBaseImage`.
    fn resolve_base_image(&mut self, d: usize, reachable: bool) -> Result<(), LintError> {
        let orig = self.states[d].base_name.clone();
        let loc = self.states[d].loc;
        let err = |msg: String| match loc {
            Some(l) => LintError::at(msg, l),
            None => LintError::plain(msg),
        };
        let normalized = parse_normalized_named(&orig).map_err(|e| {
            err(format!(
                "failed to parse stage name {}: {e}",
                go_quote(&orig)
            ))
        })?;
        let platform = self.states[d]
            .platform
            .clone()
            .unwrap_or_else(|| self.target_platform.clone());
        let found = self
            .options
            .images
            .filter(|_| reachable)
            .and_then(|l| l.lookup(&orig, &normalized, &platform.to_string()));
        let mut img = Img::default();
        if let Some(b) = found {
            img.env = b
                .config
                .env
                .iter()
                .map(|e| match e.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (e.clone(), String::new()),
                })
                .collect();
            img.shell = b.config.shell.clone().unwrap_or_default();
            img.on_build = b.config.on_build.clone();
            if let Some(actual) = b.platform.as_deref().and_then(|p| platform::parse(p).ok()) {
                img.os = actual.os.clone();
                let (e, a) = (platform.normalized(), actual.normalized());
                if e.os != a.os || e.architecture != a.architecture {
                    if let Some(l) = loc {
                        let cfg = self.cfg.clone();
                        self.emit(
                            &cfg,
                            &invalid_base_image_platform::RULE,
                            l,
                            l.span,
                            invalid_base_image_platform::message(
                                &orig,
                                &e.to_string(),
                                &a.to_string(),
                            ),
                        );
                    }
                }
            }
        }
        let ds = &mut self.states[d];
        ds.image = img;
        ds.platform = Some(platform);
        if ds.unregistered {
            ds.dispatched = true;
        }
        Ok(())
    }

    /// `dispatchStages`: every stage's commands, in file order.
    fn dispatch_stages(&mut self, target: usize) -> Result<(), LintError> {
        let reachable = self.reachable(target);
        for d in 0..self.states.len() {
            if !self.all_stages && (!reachable.contains(&d) || self.states[d].dispatched) {
                continue;
            }
            self.init(d);
            let tp = self.target_platform.clone();
            let ds = &mut self.states[d];
            ds.dispatched = true;
            if ds.platform.is_none() {
                ds.platform = Some(tp);
            }
            let os = ds
                .platform
                .as_ref()
                .map(|p| p.os.clone())
                .unwrap_or_default();
            if !ds.image.env.iter().any(|(k, _)| k == "PATH") && os != "windows" {
                ds.image.env.push(("PATH".into(), DEFAULT_PATH.into()));
            }
            for (k, v) in ds.image.env.clone() {
                ds.env.add_or_replace(&k, &v);
            }
            if ds.unregistered {
                continue;
            }
            for ci in 0..self.states[d].commands.len() {
                let cmd = self.states[d].commands[ci].clone();
                self.dispatch(d, ci, &cmd)
                    .map_err(|e| LintError::at(e, cmd.loc))?;
            }
        }
        Ok(())
    }

    /// Expands one word of `cmd` with the stage's environment and reports
    /// the variables that are not set (`reportUnmatchedVariables`).
    fn expand(
        &mut self,
        d: usize,
        cmd: &Command,
        cfg: &CheckConfig,
        lexer: &Lexer,
        word: &str,
        span: Span,
    ) -> Result<String, String> {
        let env = self.states[d].env.clone();
        let res = lexer
            .process_word_with_matches(word, &env)
            .map_err(|e| e.message)?;
        for var in &res.unmatched {
            if self.states[d].build_args.iter().any(|a| a == var) {
                continue;
            }
            if NON_ENV_ARGS.contains(&var.as_str()) {
                continue;
            }
            let s = suggest::search(var, env.keys(), true).unwrap_or_default();
            let span = if cmd.is_onbuild {
                cmd.loc.span
            } else {
                var_span(self.source, span, var)
            };
            self.emit(
                cfg,
                &undefined_var::RULE,
                cmd.loc,
                span,
                undefined_var::message(var, &s),
            );
        }
        Ok(res.result)
    }

    /// `dispatch` for one command.
    fn dispatch(&mut self, d: usize, ci: usize, cmd: &Command) -> Result<(), String> {
        let cfg = self.cfg.with_comments(&cmd.comments);
        let lexer = self.lexer;
        let sp = |s: Span| if cmd.is_onbuild { cmd.loc.span } else { s };
        match &cmd.kind {
            Kind::Maintainer | Kind::Onbuild(_) => {}
            Kind::Env(kvs) | Kind::Label(kvs) => {
                let is_env = matches!(cmd.kind, Kind::Env(_));
                let mut pairs = Vec::new();
                for kv in kvs {
                    let k = self.expand(d, cmd, &cfg, &lexer, &kv.key.value, kv.key.span)?;
                    let v = self.expand(d, cmd, &cfg, &lexer, &kv.value.value, kv.value.span)?;
                    pairs.push((k, v, kv));
                }
                for (k, v, kv) in pairs {
                    if kv.no_delim {
                        self.emit(
                            &cfg,
                            &legacy_key_value_format::RULE,
                            cmd.loc,
                            sp(kv.key.span.cover(kv.value.span)),
                            legacy_key_value_format::message(&cmd.name),
                        );
                    }
                    if is_env {
                        if is_secret_key(&k) {
                            self.emit(
                                &cfg,
                                &secrets_used_in_arg_or_env::RULE,
                                cmd.loc,
                                sp(kv.key.span),
                                secrets_used_in_arg_or_env::message("ENV", &k),
                            );
                        }
                        let ds = &mut self.states[d];
                        ds.env.add_or_replace(&k, &v);
                        ds.image.add_env(&k, &v);
                    }
                }
            }
            Kind::Run { mounts: flags } => {
                let mut parsed = Vec::new();
                for m in flags {
                    let span = m.span;
                    let r = {
                        let mut expander = |w: &str| self.expand(d, cmd, &cfg, &lexer, w, span);
                        mounts::parse_mount(&m.value, &mut expander)
                    };
                    parsed.push(r?);
                }
                let sources = self.states[d].sources.get(ci).cloned().unwrap_or_default();
                for (i, m) in parsed.iter().enumerate() {
                    let from = if m.from.is_empty() && m.kind == "cache" {
                        "scratch"
                    } else {
                        m.from.as_str()
                    };
                    if !from.is_empty() {
                        if let Some(&src) = sources.get(i) {
                            if !self.states[src].dispatched {
                                return Err(format!(
                                    "cannot mount from stage {} to {}, stage needs to be defined before current command",
                                    go_quote(from),
                                    go_quote(&m.target)
                                ));
                            }
                        }
                    }
                }
            }
            Kind::Workdir(w) => {
                let path = self.expand(d, cmd, &cfg, &lexer, &w.value, w.span)?;
                let ds = &self.states[d];
                let os = ds
                    .platform
                    .as_ref()
                    .map(|p| p.os.clone())
                    .unwrap_or_default();
                if !ds.workdir_set && !is_abs(&path, &os) {
                    self.emit(
                        &cfg,
                        &workdir_relative_path::RULE,
                        cmd.loc,
                        sp(w.span),
                        workdir_relative_path::message(&path),
                    );
                }
                self.states[d].workdir_set = true;
            }
            Kind::Copy(c) | Kind::Add(c) => {
                let is_add = matches!(cmd.kind, Kind::Add(_));
                self.expand(
                    d,
                    cmd,
                    &cfg,
                    &lexer,
                    opt_value(&c.chown),
                    opt_span(&c.chown, cmd),
                )?;
                let chmod = self.expand(
                    d,
                    cmd,
                    &cfg,
                    &lexer,
                    opt_value(&c.chmod),
                    opt_span(&c.chmod, cmd),
                )?;
                let checksum = if is_add {
                    self.expand(
                        d,
                        cmd,
                        &cfg,
                        &lexer,
                        opt_value(&c.checksum),
                        opt_span(&c.checksum, cmd),
                    )?
                } else {
                    String::new()
                };
                let mut sources = Vec::new();
                for s in &c.sources {
                    sources.push((self.expand(d, cmd, &cfg, &lexer, &s.value, s.span)?, s.span));
                }
                self.expand(d, cmd, &cfg, &lexer, &c.dest.value, c.dest.span)?;
                let raw = Lexer {
                    skip_process_quotes: true,
                    ..Lexer::new('\\')
                };
                for inline in c.inline.iter().filter(|i| i.expand) {
                    self.expand(d, cmd, &cfg, &raw, &inline.data, inline.span)?;
                }
                let has_from = c.from.as_ref().is_some_and(|f| !f.value.is_empty());
                if has_from {
                    let src = self.states[d]
                        .sources
                        .get(ci)
                        .and_then(|s| s.first())
                        .copied();
                    if let Some(src) = src {
                        if !self.states[src].dispatched {
                            return Err(format!(
                                "cannot copy from stage {}, it needs to be defined before current stage {}",
                                go_quote(opt_value(&c.from)),
                                go_quote(&self.states[d].stage_name)
                            ));
                        }
                    }
                }
                self.dispatch_copy(cmd, &cfg, is_add, has_from, &chmod, &checksum, &sources)?;
            }
            Kind::Cmd { prepend_shell } | Kind::Entrypoint { prepend_shell } => {
                let is_cmd = matches!(cmd.kind, Kind::Cmd { .. });
                let prev = if is_cmd {
                    self.states[d].cmd.replace(cmd.loc)
                } else {
                    self.states[d].entrypoint.replace(cmd.loc)
                };
                if let Some(p) = prev {
                    self.emit(
                        &cfg,
                        &multiple_instructions_disallowed::RULE,
                        p,
                        p.span,
                        multiple_instructions_disallowed::message(&cmd.name),
                    );
                }
                if *prepend_shell && self.states[d].image.shell.is_empty() {
                    self.emit(
                        &cfg,
                        &json_args_recommended::RULE,
                        cmd.loc,
                        cmd.loc.span,
                        json_args_recommended::message(&cmd.name),
                    );
                }
            }
            Kind::Healthcheck => {
                if let Some(p) = self.states[d].healthcheck.replace(cmd.loc) {
                    self.emit(
                        &cfg,
                        &multiple_instructions_disallowed::RULE,
                        p,
                        p.span,
                        multiple_instructions_disallowed::message(&cmd.name),
                    );
                }
            }
            Kind::Expose(ports_in) => {
                let env = self.states[d].env.clone();
                let mut all = Vec::new();
                for p in ports_in {
                    let words = lexer.process_words(&p.value, &env).map_err(|e| e.message)?;
                    all.extend(words.into_iter().map(|w| (w, p.span)));
                }
                for (raw, span) in all {
                    let (spec, ip, host, port) = ports::split(&raw)?;
                    if spec.proto != spec.proto.to_lowercase() {
                        self.emit(
                            &cfg,
                            &expose_proto_casing::RULE,
                            cmd.loc,
                            sp(span),
                            expose_proto_casing::message(&raw),
                        );
                    }
                    if spec.has_ip || spec.has_host_port {
                        self.emit(
                            &cfg,
                            &expose_invalid_format::RULE,
                            cmd.loc,
                            sp(span),
                            expose_invalid_format::message(&raw),
                        );
                    }
                    ports::validate(&ip, &host, &port)?;
                }
            }
            Kind::User(w) => {
                self.expand(d, cmd, &cfg, &lexer, &w.value, w.span)?;
            }
            Kind::Volume(vols) => {
                let mut out = Vec::new();
                for v in vols {
                    out.push(self.expand(d, cmd, &cfg, &lexer, &v.value, v.span)?);
                }
                if out.iter().any(String::is_empty) {
                    return Err("VOLUME specified can not be an empty string".into());
                }
            }
            Kind::StopSignal(w) => {
                let sig = self.expand(d, cmd, &cfg, &lexer, &w.value, w.span)?;
                if !valid_signal(&sig) {
                    return Err(format!("Invalid signal: {sig}"));
                }
            }
            Kind::Shell => {
                // Only whether a SHELL is set matters to the checks.
                self.states[d].image.shell = vec![cmd.name.clone()];
            }
            Kind::Arg(kvs) => {
                for kv in kvs {
                    if is_secret_key(&kv.key) {
                        self.emit(
                            &cfg,
                            &secrets_used_in_arg_or_env::RULE,
                            cmd.loc,
                            sp(kv.span),
                            secrets_used_in_arg_or_env::message("ARG", &kv.key),
                        );
                    }
                    let given = self.options.build_args.get(&kv.key).cloned();
                    let mut value = kv.value.clone();
                    if value.is_none() && given.is_none() {
                        if let Some(g) = self.global_args.value(&kv.key) {
                            value = Some(g.to_string());
                        }
                    }
                    if let Some(g) = given {
                        value = Some(g);
                    } else if let Some(def) = kv.value.as_ref() {
                        value = Some(self.expand(d, cmd, &cfg, &lexer, def, kv.span)?);
                    }
                    let ds = &mut self.states[d];
                    if let Some(v) = &value {
                        if !NON_ENV_ARGS.contains(&kv.key.as_str()) {
                            ds.env.add_or_replace(&kv.key, v);
                        }
                    }
                    ds.build_args.push(kv.key.clone());
                }
            }
        }
        Ok(())
    }

    /// `dispatchCopy`, as far as its checks and errors go.
    #[allow(clippy::too_many_arguments)]
    fn dispatch_copy(
        &mut self,
        cmd: &Command,
        cfg: &CheckConfig,
        is_add: bool,
        has_from: bool,
        chmod: &str,
        checksum: &str,
        sources: &[(String, Span)],
    ) -> Result<(), String> {
        if !chmod.is_empty() && chmod.bytes().all(|c| c.is_ascii_digit()) {
            let ok = u32::from_str_radix(chmod, 8).is_ok_and(|m| m <= 0o7777);
            if !ok {
                return Err(format!(
                    "invalid chmod parameter: '{chmod}'. it should be octal string and between 0 and 07777"
                ));
            }
        }
        if !checksum.is_empty() {
            if sources.len() != 1 {
                return Err("checksum can't be specified for multiple sources".into());
            }
            if !is_http_source(&sources[0].0) && !is_git_source(&sources[0].0) {
                return Err("checksum requires HTTP(S) or Git sources".into());
            }
        }
        // COPY --from reads another state, where .dockerignore does not apply.
        let matcher = if is_add || !has_from {
            self.dockerignore.clone()
        } else {
            None
        };
        for (src, span) in sources {
            if is_git_source(src) {
                if !is_add {
                    return Err("source can't be a git ref for COPY".into());
                }
                continue;
            }
            if is_http_source(src) {
                if !is_add {
                    return Err("source can't be a URL for COPY".into());
                }
                continue;
            }
            let Some(m) = matcher.as_ref() else {
                continue;
            };
            if m.has_exclusions() {
                continue;
            }
            let cleaned = clean(src);
            if (cleaned == "." || cleaned == "/") && !m.root_ignored() {
                continue;
            }
            if m.matches_or_parent(&cleaned) {
                let verb = if is_add { "Add" } else { "Copy" };
                let span = if cmd.is_onbuild { cmd.loc.span } else { *span };
                self.emit(
                    cfg,
                    &copy_ignored_file::RULE,
                    cmd.loc,
                    span,
                    copy_ignored_file::message(verb, &cleaned),
                );
            }
        }
        Ok(())
    }
}

fn opt_value(w: &Option<typed::Word>) -> &str {
    w.as_ref().map_or("", |w| w.value.as_str())
}

fn opt_span(w: &Option<typed::Word>, cmd: &Command) -> Span {
    w.as_ref().map_or(cmd.loc.span, |w| w.span)
}

fn add_dep(deps: &mut Vec<(usize, Loc)>, s: usize, loc: Loc) {
    match deps.iter_mut().find(|(d, _)| *d == s) {
        Some(e) => e.1 = loc,
        None => deps.push((s, loc)),
    }
}

/// A state a command reads: an existing one, or a new unregistered one
/// (image or scratch).
enum SourceRef {
    State(usize),
    New(String, Option<Loc>),
}

/// Narrows `span` to where `$name` or `${name` is written in `source`
/// inside it (the whole span when it cannot be found).
fn var_span(source: &str, span: Span, name: &str) -> Span {
    let Some(text) = source.get(span.start..span.end) else {
        return span;
    };
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_';
    for pat in [format!("${{{name}"), format!("${name}")] {
        let mut from = 0;
        while let Some(i) = text[from..].find(&pat) {
            let at = from + i;
            let end = at + pat.len();
            if !text[end..].starts_with(is_name_char) {
                return Span::new(span.start + at, span.start + end);
            }
            from = end;
        }
    }
    span
}
