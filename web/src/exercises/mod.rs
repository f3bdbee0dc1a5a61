//! Exercises in the playground: the built-in exercises (parsed once from
//! the engine's [`exercise::builtin`]), the project an exercise starts
//! from, the view models of its instructions and of its checks, the link
//! fragment a teacher shares (`#exercise=<id>`), and what local storage
//! keeps (the exercise open, the exercises solved).
//!
//! The checks themselves are the engine's [`exercise::evaluate`]; this
//! module only arranges its answer for the panel. Markdown stays typed
//! ([`Block`], [`Inline`]) all the way to the components, which render it
//! as elements and text, never as HTML.
//!
//! The exercises come compiled in as data (`builtin.rs`, generated from
//! the TOML files and checked against them by a test) that one small
//! reader turns into values, rather than as TOML read in the browser: the
//! page then ships no TOML reader (nor the reference solutions, which it
//! does not show), and no code per exercise.

mod builtin;
#[cfg(test)]
mod generate;
mod reader;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::OnceLock;

use layerlab_engine::exercise::markdown::{self, Block, Inline};
use layerlab_engine::exercise::{self, Check, Evaluation, Exercise, Files};
use layerlab_engine::shared_sort;
use serde::{Deserialize, Serialize};

use crate::bridge;
use crate::dom;
use crate::project::{self, Project, ProjectFile};

/// The `localStorage` key of the exercise open (its id and the hints shown).
pub const ACTIVE_KEY: &str = "layerlab.exercise";

/// The `localStorage` key of the ids of the exercises solved (a JSON array).
pub const SOLVED_KEY: &str = "layerlab.exercises.solved";

/// The key of an exercise link's fragment: `#exercise=<id>`.
pub const FRAGMENT_KEY: &str = "exercise";

/// The built-in exercises, in file-name order.
pub fn catalog() -> &'static [Exercise] {
    static CATALOG: OnceLock<Vec<Exercise>> = OnceLock::new();
    CATALOG.get_or_init(builtin::exercises)
}

/// The built-in exercise with `id`.
pub fn find(id: &str) -> Option<&'static Exercise> {
    catalog().iter().find(|e| e.id == id)
}

/// Inline Markdown as plain text, without code marks (for `<option>`s,
/// titles and tooltips).
pub fn plain(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text { text } | Inline::Code { text } => s.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => s.push_str(&plain(content)),
            Inline::Break => s.push(' '),
        }
    }
    s
}

/// One exercise in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerEntry {
    /// Its id.
    pub id: String,
    /// Its title as plain text.
    pub title: String,
    /// Its one-line summary (plain text), if any.
    pub summary: String,
}

/// A group of the picker (one per difficulty, easiest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerGroup {
    /// `Beginner`, `Intermediate`, `Advanced` or `Other`.
    pub label: &'static str,
    /// Its exercises, in file-name order.
    pub entries: Vec<PickerEntry>,
}

/// The picker's groups.
pub fn picker_groups() -> Vec<PickerGroup> {
    let levels: [(&str, Option<&str>); 4] = [
        ("Beginner", Some("beginner")),
        ("Intermediate", Some("intermediate")),
        ("Advanced", Some("advanced")),
        ("Other", None),
    ];
    levels
        .iter()
        .map(|(label, level)| PickerGroup {
            label,
            entries: catalog()
                .iter()
                .filter(|e| e.difficulty.as_deref() == *level)
                .map(|e| PickerEntry {
                    id: e.id.clone(),
                    title: plain(&e.title_inlines()),
                    summary: e
                        .summary
                        .as_deref()
                        .map(|s| plain(&markdown::inline(s)))
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .filter(|g| !g.entries.is_empty())
        .collect()
}

/// An exercise as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseVm {
    /// Its id.
    pub id: String,
    /// The title.
    pub title: Vec<Inline>,
    /// `beginner`, `intermediate` or `advanced`, if given.
    pub difficulty: Option<String>,
    /// The instructions.
    pub instructions: Vec<Block>,
    /// Every hint, in the order they are revealed.
    pub hints: Vec<Vec<Block>>,
    /// How many checks it has.
    pub checks: usize,
}

/// The panel's view of the exercise with `id`.
pub fn view(id: &str) -> Option<ExerciseVm> {
    let e = find(id)?;
    Some(ExerciseVm {
        id: e.id.clone(),
        title: e.title_inlines(),
        difficulty: e.difficulty.clone(),
        instructions: e.instructions_blocks(),
        hints: (0..e.hints.len())
            .filter_map(|n| e.hint_blocks(n))
            .collect(),
        checks: e.checks.len(),
    })
}

/// The exercise open in the playground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveExercise {
    /// Its id.
    pub id: String,
    /// How many hints the learner asked for.
    #[serde(default)]
    pub hints: usize,
}

/// A project to load for an exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// The exercise, no hint shown.
    pub active: ActiveExercise,
    /// Its starting files.
    pub project: Project,
    /// The Run view's line: the `docker run` of its first `run` check, or
    /// its sample's.
    pub run_line: String,
}

/// The starting project of the exercise with `id`, or why there is none.
pub fn start(id: &str) -> Result<Start, String> {
    let e = find(id).ok_or_else(|| format!("there is no exercise named {id:?}"))?;
    let sample = match &e.start.sample {
        Some(name) => Some(project::sample(name).ok_or_else(|| {
            format!("the exercise starts from the sample {name:?}, which this page does not have")
        })?),
        None => None,
    };
    let base: Files = sample
        .map(|s| {
            shared_sort::collect_by_insert(
                s.files
                    .iter()
                    .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec())),
            )
        })
        .unwrap_or_default();
    let files: BTreeMap<String, Vec<u8>> = e.starting_files(&base);
    let name = sample
        .map(|s| s.image.to_owned())
        .or_else(|| e.build.tags.first().map(|t| image_name(t)))
        .unwrap_or_else(|| "app".to_owned());
    let mut project = Project {
        name: name.clone(),
        origin: sample.map_or_else(|| "exercise".to_owned(), |s| s.id.to_owned()),
        files: files
            .into_iter()
            .map(|(p, c)| ProjectFile::from_bytes(p, c, 0o644))
            .collect(),
    };
    project.sort();
    let run_line = e
        .checks
        .iter()
        .find_map(|c| match &c.check {
            Check::Run { args, .. } => Some(args),
            _ => None,
        })
        .map(|args| {
            let words: Vec<String> = args.iter().map(|a| bridge::shell_quote(a)).collect();
            format!("docker run {}", words.join(" "))
        })
        .or_else(|| sample.map(|s| s.run.to_owned()))
        .unwrap_or_else(|| format!("docker run --rm {name}"));
    Ok(Start {
        active: ActiveExercise {
            id: e.id.clone(),
            hints: 0,
        },
        project,
        run_line,
    })
}

/// `registry/team/app:1.0` -> `app`.
fn image_name(tag: &str) -> String {
    let repo = tag.split('@').next().unwrap_or(tag);
    let last = repo.rsplit('/').next().unwrap_or(repo);
    last.split(':').next().unwrap_or(last).to_owned()
}

/// The exercise id an exercise link's fragment names (`exercise=<id>`,
/// without `#`; other `&`-separated parameters are ignored). `None` for any
/// other fragment, such as a share link's `v1:...`.
pub fn link_id(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY)?.strip_prefix('='))
        .map(str::to_owned)
}

/// The fragment of the link to the exercise `id` (without `#`).
pub fn link_fragment(id: &str) -> String {
    format!("{FRAGMENT_KEY}={id}")
}

/// One check's outcome, for the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckVm {
    /// Its label.
    pub title: Vec<Inline>,
    /// Pass or fail.
    pub passed: bool,
    /// Why.
    pub reason: Vec<Inline>,
    /// Supporting facts, one per line.
    pub details: Vec<Vec<Inline>>,
    /// The Dockerfile line the reason is about (1-based), if any.
    pub line: Option<usize>,
}

/// The outcome of an exercise's checks on one revision of the project.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecksVm {
    /// The exercise.
    pub id: String,
    /// The project revision checked.
    pub revision: u64,
    /// One per check, in the exercise's order.
    pub results: Vec<CheckVm>,
    /// How many passed.
    pub passed: usize,
    /// Every check passed.
    pub solved: bool,
    /// Engine time, milliseconds.
    pub ms: f64,
}

/// The view model of an evaluation.
pub fn checks_vm(id: &str, revision: u64, evaluation: &Evaluation) -> ChecksVm {
    ChecksVm {
        id: id.to_owned(),
        revision,
        results: evaluation
            .results
            .iter()
            .map(|r| CheckVm {
                title: markdown::inline(&r.title),
                passed: r.passed,
                reason: markdown::inline(&r.reason),
                details: r.details.iter().map(|d| markdown::inline(d)).collect(),
                line: r.line,
            })
            .collect(),
        passed: evaluation.passed,
        solved: evaluation.solved(),
        ms: 0.0,
    }
}

/// Evaluates the checks of the exercise `id` against `project` (the same
/// build context the preview builds).
pub fn evaluate(id: &str, project: &Project, revision: u64) -> Option<ChecksVm> {
    let e = find(id)?;
    let evaluation = exercise::evaluate(e, &bridge::context_of(project));
    Some(checks_vm(id, revision, &evaluation))
}

/// Evaluates the checks of the exercise `id` on `project` now, timing
/// the engine, and records a solution in local storage.
pub fn check(id: &str, project: &Project, revision: u64) -> Option<ExerciseAction> {
    let start = dom::now_ms();
    let mut checks = evaluate(id, project, revision)?;
    checks.ms = dom::now_ms() - start;
    let solved = if checks.solved {
        remember_solved(id)
    } else {
        stored_solved()
    };
    Some(ExerciseAction::Checked {
        checks: Rc::new(checks),
        solved: Rc::new(solved),
    })
}

/// Everything about exercises the page keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExerciseState {
    /// The exercise open, if any.
    pub active: Option<ActiveExercise>,
    /// Its checks on the latest revision checked.
    pub checks: Option<Rc<ChecksVm>>,
    /// Ids of the exercises solved (kept in local storage).
    pub solved: Rc<BTreeSet<String>>,
}

/// What changes [`ExerciseState`].
#[derive(Debug, Clone, PartialEq)]
pub enum ExerciseAction {
    /// Reveal the next hint.
    ShowHint,
    /// Leave exercise mode (the files stay).
    Leave,
    /// Checks were evaluated.
    Checked {
        /// Their outcome.
        checks: Rc<ChecksVm>,
        /// The exercises solved, as local storage now has them.
        solved: Rc<BTreeSet<String>>,
    },
}

impl ExerciseState {
    /// The state after `action`.
    pub fn reduce(&self, action: ExerciseAction) -> ExerciseState {
        let mut s = self.clone();
        match action {
            ExerciseAction::ShowHint => {
                if let Some(a) = &mut s.active {
                    let total = find(&a.id).map_or(0, |e| e.hints.len());
                    a.hints = (a.hints + 1).min(total);
                }
            }
            ExerciseAction::Leave => {
                s.active = None;
                s.checks = None;
            }
            ExerciseAction::Checked { checks, solved } => {
                s.solved = solved;
                if s.active.as_ref().is_some_and(|a| a.id == checks.id) {
                    s.checks = Some(checks);
                }
            }
        }
        s
    }

    /// Opens `active` (its checks are not known yet).
    pub fn open(&mut self, active: ActiveExercise) {
        self.active = Some(active);
        self.checks = None;
    }

    /// The exercise whose checks are not yet known for `revision`.
    pub fn unchecked(&self, revision: u64) -> Option<String> {
        let a = self.active.as_ref()?;
        let done = self
            .checks
            .as_ref()
            .is_some_and(|c| c.id == a.id && c.revision == revision);
        (!done).then(|| a.id.clone())
    }

    /// True when the checks shown are for `revision`.
    pub fn is_current(&self, revision: u64) -> bool {
        self.checks.as_ref().is_some_and(|c| c.revision == revision)
    }
}

/// The exercise local storage says was open (if it still exists).
pub fn stored_active() -> Option<ActiveExercise> {
    let text = dom::load(ACTIVE_KEY)?;
    // `from_slice`, not `from_str`, as share links read: one copy of
    // serde_json's parser in the wasm.
    let active: ActiveExercise = serde_json::from_slice(text.as_bytes()).ok()?;
    find(&active.id).map(|e| ActiveExercise {
        hints: active.hints.min(e.hints.len()),
        ..active
    })
}

/// Keeps the exercise open in local storage (forgets it with `None`).
pub fn store_active(active: Option<&ActiveExercise>) {
    match active.and_then(|a| serde_json::to_string(a).ok()) {
        Some(json) => {
            dom::save(ACTIVE_KEY, &json);
        }
        None => dom::forget(ACTIVE_KEY),
    }
}

/// The ids of the exercises local storage says were solved.
pub fn stored_solved() -> BTreeSet<String> {
    dom::load(SOLVED_KEY)
        .and_then(|t| serde_json::from_slice::<BTreeSet<String>>(t.as_bytes()).ok())
        .unwrap_or_default()
}

/// Records in local storage that `id` was solved (read again first, so
/// that another tab's solutions are kept); returns every id solved.
pub fn remember_solved(id: &str) -> BTreeSet<String> {
    let mut solved = stored_solved();
    if solved.insert(id.to_owned()) {
        if let Ok(json) = serde_json::to_string(&solved) {
            dom::save(SOLVED_KEY, &json);
        }
    }
    solved
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercises as the engine reads them from the TOML files.
    fn parsed() -> Vec<Exercise> {
        exercise::builtin()
            .iter()
            .map(|(name, text)| {
                exercise::parse_exercise(text).unwrap_or_else(|e| panic!("{name}: {e}"))
            })
            .collect()
    }

    #[test]
    fn builtin_rs_matches_the_toml_files() {
        let parsed = parsed();
        let text = generate::builtin_rs(&parsed);
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/exercises/builtin.rs");
        if std::env::var_os("LAYERLAB_REGENERATE").is_some() {
            std::fs::write(&path, &text).expect("writes builtin.rs");
            return;
        }
        let hint = "web/src/exercises/builtin.rs is out of date: run `LAYERLAB_REGENERATE=1 cargo test -p layerlab-web builtin_rs`";
        let without_solutions: Vec<Exercise> = parsed
            .iter()
            .map(|e| Exercise {
                solution: None,
                ..e.clone()
            })
            .collect();
        assert_eq!(builtin::exercises(), without_solutions, "{hint}");
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(text.as_str()),
            "{hint}"
        );
    }

    #[test]
    fn every_builtin_exercise_starts() {
        assert_eq!(catalog().len(), exercise::builtin().len());
        for e in catalog() {
            let start = start(&e.id).expect("starts");
            assert_eq!(start.active.id, e.id);
            assert!(start.project.file(&e.dockerfile).is_some(), "{}", e.id);
            assert!(start.run_line.starts_with("docker run "), "{}", e.id);
            assert!(view(&e.id).is_some());
        }
        let groups = picker_groups();
        let n: usize = groups.iter().map(|g| g.entries.len()).sum();
        assert_eq!(n, catalog().len());
        assert_eq!(groups[0].label, "Beginner");
    }

    #[test]
    fn starting_files_fail_and_the_solution_passes() {
        let id = "non-root";
        let s = start(id).expect("starts");
        let checks = evaluate(id, &s.project, 1).expect("checks");
        assert!(!checks.solved);
        assert!(checks
            .results
            .iter()
            .any(|r| !r.passed && !r.reason.is_empty()));
        let toml = parsed().into_iter().find(|e| e.id == id).expect("exists");
        let solution = toml.solution.as_ref().expect("a solution");
        let mut project = s.project.clone();
        for (path, text) in &solution.files {
            let i = project.index_of(path).expect("the file exists");
            project = project.with_contents(i, text);
        }
        let checks = evaluate(id, &project, 2).expect("checks");
        assert!(checks.solved, "{:?}", checks.results);
        assert_eq!(checks.passed, checks.results.len());
    }

    #[test]
    fn exercise_links_and_share_links_are_told_apart() {
        assert_eq!(link_id("exercise=non-root").as_deref(), Some("non-root"));
        assert_eq!(link_id("#exercise=non-root").as_deref(), Some("non-root"));
        assert_eq!(
            link_id("view=run&exercise=lint-clean").as_deref(),
            Some("lint-clean")
        );
        assert_eq!(link_id("v1:abc"), None);
        assert_eq!(link_id("exercises=x"), None);
        assert_eq!(link_id(""), None);
        assert_eq!(
            link_id(&link_fragment("port-5000")).as_deref(),
            Some("port-5000")
        );
        assert!(start("no-such-exercise").is_err());
    }

    #[test]
    fn hints_are_revealed_one_at_a_time_up_to_the_last() {
        let mut s = ExerciseState::default();
        s.open(ActiveExercise {
            id: "fix-copy-everything".into(),
            hints: 0,
        });
        let total = find("fix-copy-everything").map_or(0, |e| e.hints.len());
        assert!(total >= 2);
        for _ in 0..total + 3 {
            s = s.reduce(ExerciseAction::ShowHint);
        }
        assert_eq!(s.active.as_ref().map(|a| a.hints), Some(total));
        assert_eq!(s.unchecked(4).as_deref(), Some("fix-copy-everything"));
        let checks = Rc::new(ChecksVm {
            id: "fix-copy-everything".into(),
            revision: 4,
            results: Vec::new(),
            passed: 0,
            solved: false,
            ms: 0.0,
        });
        s = s.reduce(ExerciseAction::Checked {
            checks,
            solved: Rc::default(),
        });
        assert_eq!(s.unchecked(4), None);
        assert!(s.is_current(4));
        assert_eq!(s.unchecked(5).as_deref(), Some("fix-copy-everything"));
        s = s.reduce(ExerciseAction::Leave);
        assert_eq!(s.active, None);
        assert_eq!(s.unchecked(5), None);
    }

    #[test]
    fn plain_titles_drop_code_marks() {
        assert_eq!(
            plain(&markdown::inline("Fix the `COPY . .` **anti**-pattern")),
            "Fix the COPY . . anti-pattern"
        );
        assert_eq!(image_name("registry.example/team/app:1.0"), "app");
    }
}
