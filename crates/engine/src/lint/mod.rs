//! BuildKit's build checks (`docker build --check`), exactly as BuildKit at
//! 73ed6825 reports them: the 22 rules of `frontend/dockerfile/linter`,
//! the `# check=skip=...;error=...;experimental=...` directive, and the
//! error BuildKit's lint returns (parse errors, unresolvable references,
//! `lint violation found for rules: ...`).
//!
//! The checks run the way BuildKit runs them, inside its conversion of
//! the Dockerfile: parse-time checks while instructions are typed, stage
//! checks, then a walk over every stage with ARG/ENV scoping in which the
//! remaining checks fire; an error stops the walk, keeping the warnings
//! found so far. The warnings are then ordered by line (then rule name and
//! message), the order the recorded BuildKit reports show.
//!
//! Pure: no I/O. Rules that need the outside world take it from
//! [`LintOptions`]: the base images' configuration ([`ImageLookup`]) and the
//! context's `.dockerignore` patterns. Without them every base image is
//! treated as empty, as the recorded BuildKit runs were.

mod comments;
mod config;
mod dispatch;
mod ignore;
mod mounts;
mod platform;
mod ports;
mod reference;
pub mod rules;
mod typed;

use std::collections::BTreeMap;

use layerlab_syntax::{Dockerfile, Span};
use serde::Serialize;

use crate::image::ImageConfig;
use crate::shared_sort;

pub use config::CheckConfig;
pub use ignore::read_dockerignore;
pub use platform::Platform;
pub use reference::parse_normalized_named;
pub use rules::Rule;

/// One warning, as BuildKit reports it, with a span for editors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// BuildKit's rule name (`JSONArgsRecommended`).
    pub rule: &'static str,
    /// BuildKit's message, exactly.
    pub message: String,
    /// First line of BuildKit's location (1-based).
    pub line: usize,
    /// Last line of BuildKit's location.
    pub end_line: usize,
    /// The most precise place in the source: the word, flag or keyword at
    /// fault when there is one, else the instruction.
    pub span: Span,
    /// The rule's description.
    pub description: &'static str,
    /// How to fix it, readable offline.
    pub how_to_fix: &'static str,
    /// BuildKit's documentation address (may be empty).
    pub url: &'static str,
}

/// The error BuildKit's lint returned besides the warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintError {
    /// BuildKit's message, exactly.
    pub message: String,
    /// First line of its location, when it has one.
    pub line: Option<usize>,
    /// Last line of its location.
    pub end_line: Option<usize>,
    /// Where it is, when it has a location.
    pub span: Option<Span>,
}

impl LintError {
    /// An error without a location.
    pub(crate) fn plain(message: impl Into<String>) -> LintError {
        LintError {
            message: message.into(),
            line: None,
            end_line: None,
            span: None,
        }
    }

    /// An error at an instruction.
    pub(crate) fn at(message: impl Into<String>, loc: typed::Loc) -> LintError {
        LintError {
            message: message.into(),
            line: Some(loc.start),
            end_line: Some(loc.end),
            span: Some(loc.span),
        }
    }
}

/// Everything the lint found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// The warnings, in BuildKit's order.
    pub warnings: Vec<Diagnostic>,
    /// The error, if BuildKit would have failed.
    pub error: Option<LintError>,
}

/// What a base image brings to a stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseImage {
    /// Its configuration (ENV, SHELL, WORKDIR, ONBUILD...).
    pub config: ImageConfig,
    /// The platform its configuration declares (`linux/arm64`), if known.
    pub platform: Option<String>,
}

/// Looks base images up (the image catalog, for instance).
pub trait ImageLookup {
    /// The image `name` as written in `FROM` (variables expanded), also
    /// given normalized (`docker.io/library/alpine:3.20`), for `platform`
    /// (`linux/amd64`). `None` when unknown: the image is then treated as
    /// an empty image.
    fn lookup(&self, name: &str, normalized: &str, platform: &str) -> Option<BaseImage>;
}

/// A map from image name (as written, or normalized) to image.
impl ImageLookup for BTreeMap<String, BaseImage> {
    fn lookup(&self, name: &str, normalized: &str, _platform: &str) -> Option<BaseImage> {
        self.get(name).or_else(|| self.get(normalized)).cloned()
    }
}

/// Inputs beyond the Dockerfile.
#[derive(Default)]
pub struct LintOptions<'a> {
    /// Base images' configuration; `None`: every base image is empty.
    pub images: Option<&'a dyn ImageLookup>,
    /// The context's `.dockerignore` patterns (see [`read_dockerignore`]);
    /// `None`: no `.dockerignore`.
    pub dockerignore: Option<Vec<String>>,
    /// `--build-arg` values.
    pub build_args: BTreeMap<String, String>,
    /// `--target`; `None`: the last stage.
    pub target: Option<String>,
    /// `--platform` (`linux/arm64`); `None`: linux/amd64, implicitly.
    pub platform: Option<String>,
    /// The `BUILDKIT_DOCKERFILE_CHECK` build argument, which replaces the
    /// file's `# check=` directive.
    pub check: Option<String>,
}

impl std::fmt::Debug for LintOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LintOptions")
            .field("images", &self.images.is_some())
            .field("dockerignore", &self.dockerignore)
            .field("build_args", &self.build_args)
            .field("target", &self.target)
            .field("platform", &self.platform)
            .field("check", &self.check)
            .finish()
    }
}

/// Every rule, for documentation and UIs.
pub fn rules() -> &'static [&'static Rule] {
    &rules::ALL
}

/// Lints a parsed Dockerfile; `source` is the text it was parsed from.
pub fn lint(file: &Dockerfile, source: &str, options: &LintOptions<'_>) -> LintReport {
    let mut out = Emitter::default();
    let error = dispatch::run(file, source, options, &mut out).err();
    out.finish(error)
}

/// Parses and lints `source`: a parse error is reported the way BuildKit's
/// lint reports it.
pub fn lint_source(source: &str, options: &LintOptions<'_>) -> LintReport {
    if source.is_empty() {
        return LintReport {
            warnings: Vec::new(),
            error: Some(LintError::plain("the Dockerfile cannot be empty")),
        };
    }
    if let Err(e) = crate::limits::check_file_size("Dockerfile", source.len()) {
        return LintReport {
            warnings: Vec::new(),
            error: Some(LintError::plain(&e.message)),
        };
    }
    if let Err(e) = dispatch::check_config(source, options) {
        return LintReport {
            warnings: Vec::new(),
            error: Some(e),
        };
    }
    match layerlab_syntax::parse(source) {
        Ok(file) => lint(&file, source, options),
        Err(e) => LintReport {
            warnings: Vec::new(),
            error: Some(LintError {
                message: e.message,
                line: Some(e.line),
                end_line: Some(e.line),
                span: Some(e.span),
            }),
        },
    }
}

/// Collects warnings as BuildKit's linter does: a rule that is skipped
/// (or experimental and not enabled) says nothing; the rules that spoke are
/// remembered for `error=true`.
#[derive(Debug, Default)]
pub(crate) struct Emitter {
    warnings: Vec<Diagnostic>,
    called: Vec<&'static str>,
    error_on_warning: bool,
}

impl Emitter {
    /// `Linter.Run`.
    pub(crate) fn run(
        &mut self,
        cfg: &CheckConfig,
        rule: &'static Rule,
        loc: typed::Loc,
        span: Span,
        message: String,
    ) {
        if !cfg.enabled(rule) {
            return;
        }
        if !self.called.contains(&rule.name) {
            self.called.push(rule.name);
        }
        self.warnings.push(Diagnostic {
            rule: rule.name,
            message,
            line: loc.start,
            end_line: loc.end,
            span,
            description: rule.description,
            how_to_fix: rule.how_to_fix,
            url: rule.url,
        });
    }

    /// `Linter.Error`: with `error=true`, any warning fails the build.
    fn violation(&self) -> Option<LintError> {
        if !self.error_on_warning || self.called.is_empty() {
            return None;
        }
        // BuildKit lists the rules from a Go map (in no fixed order); sorted
        // here.
        let mut names = self.called.clone();
        shared_sort::sort(&mut names);
        Some(LintError::plain(format!(
            "lint violation found for rules: {}",
            names.join(", ")
        )))
    }

    fn finish(mut self, error: Option<LintError>) -> LintReport {
        let error = match error {
            Some(e) => Some(e),
            None => self.violation(),
        };
        // The recorded reports list warnings by line, then rule name, then
        // message (how BuildKit's own tests order its progress output);
        // BuildKit emits them in another order.
        shared_sort::sort_by(&mut self.warnings, |a, b| {
            (a.line, a.rule, &a.message).cmp(&(b.line, b.rule, &b.message))
        });
        LintReport {
            warnings: self.warnings,
            error,
        }
    }
}

#[cfg(test)]
mod tests;
