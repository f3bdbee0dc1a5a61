//! Exercises that check themselves: a TOML file with a title,
//! instructions, a starting project, hints and a list of checks, and a
//! pure, deterministic evaluation of those checks against a project (the
//! learner's Dockerfile and build context) with the simulated build.
//!
//! Teachers hand these out ("make a source edit not re-run restore",
//! "final image under 250 MB", "run as non-root"); docs authors run them in
//! CI (`layerlab check`) to prove a tutorial's claims still hold.
//!
//! # The format
//!
//! ```toml
//! format = 1                       # optional: the format version
//! id = "restore-stays-cached"      # required; stable (the web app keys "solved" on it)
//! title = "Keep `dotnet restore` cached"
//! summary = "One line for the exercise picker."   # optional
//! difficulty = "beginner"          # optional: beginner, intermediate, advanced
//! tags = ["cache"]                 # optional
//! instructions = """
//! Markdown, rendered safely (see [`markdown`]).
//! """
//! hints = ["First hint (Markdown).", "Second hint."]   # optional, shown one at a time
//!
//! [start]                          # the starting project
//! sample = "aspnetapp"             # optional: a folder of static/samples/, resolved by the front end
//! dockerfile = "Dockerfile"        # optional: the Dockerfile's path in the context (default Dockerfile)
//! remove = ["README.md"]           # optional: sample files left out
//! [start.files]                    # optional: inline files, added to (or replacing) the sample's
//! "Dockerfile" = """
//! FROM mcr.microsoft.com/dotnet/sdk:8.0
//! """
//!
//! [build]                          # optional: `docker build` options for every check
//! tags = ["aspnetapp"]
//! target = "final"
//! build_args = { CONFIG = "Release" }
//!
//! [solution]                       # a reference solution: changes to the starting files
//! remove = []
//! [solution.files]
//! "Dockerfile" = """..."""
//!
//! [[check]]
//! kind = "cache"                   # see the kinds below
//! name = "A source edit keeps restore cached"   # optional: the label shown (default: generated)
//! edit = [{ file = "aspnetapp/Program.cs", append = "// edited\n" }]
//! cached = ["RUN dotnet restore*"]
//! ```
//!
//! Every check may also set `target` (the `--target` of its build, instead
//! of `[build]`'s), except `stage_count`. Every mistake in the file (TOML
//! syntax, a misspelt key, an unknown kind, a bad size or pattern) is an
//! [`ExerciseError`] with a line and column.
//!
//! # Check kinds
//!
//! | kind | fields | passes when |
//! |---|---|---|
//! | `builds` | | the build succeeds (with `target`: `docker build --target`) |
//! | `cache` | `edit`, `cached`, `not_cached` | after a build, the edits, and a rebuild on the same cache, every step matching `cached` is CACHED and every step matching `not_cached` ran |
//! | `image_size` | `max`, `min` | the final image's size is at most `max` / at least `min` (bytes, or `"250MB"`, `"1.5GB"`, `"512MiB"`) |
//! | `files` | `present`, `absent` | the final image has a file matching each `present` glob, and none matching an `absent` glob |
//! | `base_images` | `present`, `absent` | the final image has layers from each `present` image and none from an `absent` one (`mcr.microsoft.com/dotnet/sdk:8.0`, `*` allowed) |
//! | `non_root` | | the image's USER resolves (through its /etc/passwd) to a user other than root |
//! | `exec_form` | `instruction` (`ENTRYPOINT` default, or `CMD`) | the image's ENTRYPOINT (CMD) is set, in exec (JSON) form |
//! | `exposes` | `ports` (`8080`, `"53/udp"`) | the image EXPOSEs every port |
//! | `healthcheck` | | the image has a HEALTHCHECK (not `NONE`) |
//! | `env` | `variable`, `value` | the image sets the variable (to `value`) |
//! | `workdir` | `path` | the image's WORKDIR is `path` |
//! | `lint` | `ignore`, `rules` | BuildKit's build checks find nothing (but the `ignore`d rules; with `rules`, nothing from those) |
//! | `run` | `args`, `argv`, `answers_on`, `listening` | `docker run ARGS` runs exactly `argv`; each host port of `answers_on` is published to a port the process listens on; the process listens on each container port of `listening` |
//! | `stage_count` | `min`, `max`, `equals` | the Dockerfile's number of stages (FROM lines) is in range |
//! | `layer_count` | `min`, `max`, `equals`, `own_only` | the final image's number of layers (with `own_only`, only those the Dockerfile adds) is in range |
//!
//! Edits of a `cache` check: `{ file = "path", append = "text" }`, or
//! `prepend`, `content` (replace the whole file, or create it), `replace` +
//! `with` (the first occurrence), `delete = true`. A step matcher is the
//! step's instruction as the build shows it (`RUN dotnet restore`,
//! `COPY . .`), white space and keyword case ignored; `*` matches any run
//! of characters (`RUN dotnet restore*`). When several steps match, all
//! must be (or not be) CACHED.
//!
//! Path globs (`files`) are absolute paths in the final image: `*` within a
//! path component, `**` across components, `?`, `[a-z]`; a glob that
//! matches a directory matches everything under it.
//!
//! `run` arguments are those after `docker run`, as a string (split like a
//! shell would, without expansion) or an array; the image name in them is
//! only a label: the image checked is always the one the project builds.
//!
//! # Evaluation
//!
//! [`evaluate`] builds the project once per target on a fresh
//! [`State`](crate::state::State) (so results never depend on earlier
//! builds), reuses the result for every check, and rebuilds on a copy of
//! the state for each `cache` check. It does no I/O and is deterministic.
//! Each [`CheckResult`] says pass or fail and why, in words a learner
//! understands.
//!
//! # For front ends
//!
//! 1. Get the TOML ([`builtin`], a file, a URL) and [`parse_exercise`] it;
//!    show an [`ExerciseError`] at its line and column.
//! 2. Load the files of the sample `exercise.start.sample` names (if any)
//!    and call [`Exercise::starting_files`] (or [`Exercise::solution_files`]).
//! 3. On every edit: [`context_from_files`] and [`evaluate`]; render
//!    [`Exercise::instructions_blocks`], [`Exercise::hint_blocks`] and the
//!    results' Markdown inline text with [`markdown::inline`].

pub mod markdown;

mod check;
mod eval;
mod pattern;
mod read;

use std::collections::BTreeMap;

use serde::Serialize;
use toml::de::DeValue;

pub use check::{Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf};
pub use eval::{evaluate, CheckResult, Evaluation};
pub use pattern::parse_size;
pub use read::ExerciseError;

use crate::context::{Context, ContextError};
use read::{error_at, parse_document, Table};

/// A project's files by path (relative to the context root).
pub type Files = BTreeMap<String, Vec<u8>>;

/// The current format version.
pub const FORMAT_VERSION: u64 = 1;

/// Files to start from, or to change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileSet {
    /// A sample project (a folder of `static/samples/`), resolved by the
    /// front end; `None` in a solution.
    pub sample: Option<String>,
    /// Inline files, added to or replacing the sample's.
    pub files: BTreeMap<String, String>,
    /// Paths removed (a directory removes what is under it).
    pub remove: Vec<String>,
}

impl FileSet {
    /// `base` with this set's removals and files applied.
    pub fn apply(&self, base: &Files) -> Files {
        let mut out = base.clone();
        for r in &self.remove {
            let r = r.trim_matches('/');
            out.retain(|p, _| p != r && !p.starts_with(&format!("{r}/")));
        }
        for (p, c) in &self.files {
            out.insert(p.clone(), c.as_bytes().to_vec());
        }
        out
    }
}

/// `docker build` options the checks build with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildSettings {
    /// `-t` tags.
    pub tags: Vec<String>,
    /// `--target`.
    pub target: Option<String>,
    /// `--build-arg`s.
    pub build_args: BTreeMap<String, String>,
}

/// A parsed exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exercise {
    /// Stable identifier (`restore-stays-cached`).
    pub id: String,
    /// Title (Markdown inline).
    pub title: String,
    /// One line for a picker.
    pub summary: Option<String>,
    /// `beginner`, `intermediate` or `advanced`.
    pub difficulty: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The instructions, Markdown (render with [`Exercise::instructions_blocks`]).
    pub instructions: String,
    /// Hints, Markdown, in the order to reveal them.
    pub hints: Vec<String>,
    /// The starting project.
    pub start: FileSet,
    /// The Dockerfile's path in the context.
    pub dockerfile: String,
    /// Build options.
    pub build: BuildSettings,
    /// The checks, in file order.
    pub checks: Vec<CheckSpec>,
    /// The reference solution, as changes to the starting files.
    pub solution: Option<FileSet>,
}

impl Exercise {
    /// The starting project: the sample's files (`sample`, as the front end
    /// loaded the folder [`FileSet::sample`] names; empty when there is
    /// none) with the exercise's removals and inline files applied.
    pub fn starting_files(&self, sample: &Files) -> Files {
        self.start.apply(sample)
    }

    /// The reference solution's project, if the exercise has one.
    pub fn solution_files(&self, sample: &Files) -> Option<Files> {
        let start = self.starting_files(sample);
        self.solution.as_ref().map(|s| s.apply(&start))
    }

    /// The instructions as safe Markdown blocks.
    pub fn instructions_blocks(&self) -> Vec<markdown::Block> {
        markdown::render(&self.instructions)
    }

    /// Hint `n` (0-based) as safe Markdown blocks.
    pub fn hint_blocks(&self, n: usize) -> Option<Vec<markdown::Block>> {
        self.hints.get(n).map(|h| markdown::render(h))
    }

    /// The title as safe inline Markdown.
    pub fn title_inlines(&self) -> Vec<markdown::Inline> {
        markdown::inline(&self.title)
    }
}

/// A build context from project files (each file mode 0644).
pub fn context_from_files(files: &Files) -> Result<Context, ContextError> {
    Context::from_files(files.iter().map(|(p, c)| (p.as_str(), c.as_slice())))
}

const TOP_KEYS: &[&str] = &[
    "format",
    "id",
    "title",
    "summary",
    "difficulty",
    "tags",
    "instructions",
    "hints",
    "start",
    "build",
    "solution",
    "check",
];

/// Parses an exercise file.
pub fn parse_exercise(text: &str) -> Result<Exercise, ExerciseError> {
    let doc = parse_document(text)?;
    let span = doc.span();
    let mut top = Table::new(text, doc.get_ref(), span.clone(), "the exercise");
    if let Some(v) = top.integer("format")? {
        if *v.get_ref() != FORMAT_VERSION {
            return Err(top.error(
                v.span(),
                format!(
                    "unsupported exercise format {}; this LayerLab reads format {FORMAT_VERSION}",
                    v.get_ref()
                ),
            ));
        }
    }
    let id = top.required_string("id")?;
    check_id(text, &id)?;
    let title = top.required_string("title")?.into_inner();
    let summary = top.string("summary")?.map(|s| s.into_inner());
    let difficulty = match top.string("difficulty")? {
        None => None,
        Some(d) => {
            if !["beginner", "intermediate", "advanced"].contains(&d.get_ref().as_str()) {
                return Err(top.error(
                    d.span(),
                    format!(
                        "unknown difficulty {:?}; expected beginner, intermediate or advanced",
                        d.get_ref()
                    ),
                ));
            }
            Some(d.into_inner())
        }
    };
    let tags = plain(top.strings("tags")?);
    let instructions = top.required_string("instructions")?.into_inner();
    let hints = plain(top.strings("hints")?);

    let (start, dockerfile) = match top.table("start")? {
        None => (FileSet::default(), "Dockerfile".to_string()),
        Some(mut t) => {
            let sample = t.string("sample")?.map(|s| s.into_inner());
            let dockerfile = match t.string("dockerfile")? {
                None => "Dockerfile".to_string(),
                Some(d) => clean_path(text, &d)?,
            };
            let set = file_set(text, &mut t, sample)?;
            t.finish(&["sample", "dockerfile", "files", "remove"])?;
            (set, dockerfile)
        }
    };
    let build = match top.table("build")? {
        None => BuildSettings::default(),
        Some(mut t) => {
            let b = build_settings(&mut t)?;
            t.finish(&["tags", "target", "build_args"])?;
            b
        }
    };
    let solution = match top.table("solution")? {
        None => None,
        Some(mut t) => {
            let set = file_set(text, &mut t, None)?;
            t.finish(&["files", "remove"])?;
            Some(set)
        }
    };
    let mut checks = Vec::new();
    for (n, v) in top.values("check").into_iter().enumerate() {
        let what = format!("check {}", n + 1);
        let DeValue::Table(t) = v.get_ref() else {
            return Err(error_at(
                text,
                v.span(),
                format!("{what} must be a table ([[check]])"),
            ));
        };
        let table = Table::new(text, t, v.span(), what);
        checks.push(check::parse_check(text, table)?);
    }
    if checks.is_empty() {
        return Err(error_at(
            text,
            span,
            "the exercise has no checks: add at least one [[check]]",
        ));
    }
    top.finish(TOP_KEYS)?;
    Ok(Exercise {
        id: id.into_inner(),
        title,
        summary,
        difficulty,
        tags,
        instructions,
        hints,
        start,
        dockerfile,
        build,
        checks,
        solution,
    })
}

fn plain(v: Vec<toml::Spanned<String>>) -> Vec<String> {
    v.into_iter().map(|s| s.into_inner()).collect()
}

fn check_id(text: &str, id: &toml::Spanned<String>) -> Result<(), ExerciseError> {
    let s = id.get_ref();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(error_at(
            text,
            id.span(),
            format!("invalid id {s:?}: use lower-case letters, digits, `-` and `_`"),
        ))
    }
}

fn clean_path(text: &str, p: &toml::Spanned<String>) -> Result<String, ExerciseError> {
    Context::clean_path(p.get_ref())
        .map_err(|e| {
            error_at(
                text,
                p.span(),
                format!("invalid path {:?}: {e}", p.get_ref()),
            )
        })
        .and_then(|c| {
            if c.is_empty() || c == "." {
                Err(error_at(text, p.span(), "a file path cannot be empty"))
            } else {
                Ok(c)
            }
        })
}

fn file_set(
    text: &str,
    t: &mut Table<'_, '_>,
    sample: Option<String>,
) -> Result<FileSet, ExerciseError> {
    let mut files = BTreeMap::new();
    for (k, v) in t.string_map("files")? {
        files.insert(clean_path(text, &k)?, v.into_inner());
    }
    let mut remove = Vec::new();
    for r in t.strings("remove")? {
        remove.push(clean_path(text, &r)?);
    }
    Ok(FileSet {
        sample,
        files,
        remove,
    })
}

fn build_settings(t: &mut Table<'_, '_>) -> Result<BuildSettings, ExerciseError> {
    let tags = plain(t.strings("tags")?);
    for tag in t.strings("tags")? {
        if let Err(e) = crate::catalog::Reference::parse(tag.get_ref()) {
            return Err(t.error(
                tag.span(),
                format!("invalid tag {:?}: {}", tag.get_ref(), e),
            ));
        }
    }
    let target = t.string("target")?.map(|s| s.into_inner());
    let build_args = t
        .string_map("build_args")?
        .into_iter()
        .map(|(k, v)| (k.into_inner(), v.into_inner()))
        .collect();
    Ok(BuildSettings {
        tags,
        target,
        build_args,
    })
}

/// The exercises shipped with LayerLab (`static/exercises/*.toml`), as
/// `(file name, TOML text)`, in file-name order.
pub fn builtin() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

macro_rules! builtin_exercises {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../static/exercises/", $name)))),+]
    };
}

const BUILTIN: &[(&str, &str)] = builtin_exercises!(
    "build-target.toml",
    "dockerignore-build-output.toml",
    "entrypoint-exec-form.toml",
    "fix-copy-everything.toml",
    "healthcheck-and-expose.toml",
    "lint-clean.toml",
    "non-root.toml",
    "port-5000.toml",
    "restore-stays-cached.toml",
    "slim-final-image.toml",
);

#[cfg(test)]
mod tests;
