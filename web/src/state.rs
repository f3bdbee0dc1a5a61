//! The playground's state: one plain struct, changed only by [`Action`]s
//! through a pure [`Reducible::reduce`]. Engine work (builds, run plans,
//! terminal commands) happens in the app's callbacks and effects, which
//! dispatch its results here as view models.

use std::rc::Rc;

use yew::Reducible;

use crate::bridge::{Analysis, BuildSettings, BuildVm, ImagesVm};
use crate::exercises::{ActiveExercise, ExerciseAction, ExerciseState};
use crate::project::{Project, ProjectFile, Sample};

/// The result views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Steps per stage, CACHED or why not, progress output.
    Build,
    /// The built image's layers.
    Layers,
    /// Every image and the layers they share.
    Images,
    /// `docker run` explained.
    Run,
    /// The simulated shell.
    Terminal,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [
        Tab::Build,
        Tab::Layers,
        Tab::Images,
        Tab::Run,
        Tab::Terminal,
    ];

    /// Stable id (URLs, element ids).
    pub fn id(self) -> &'static str {
        match self {
            Tab::Build => "build",
            Tab::Layers => "layers",
            Tab::Images => "images",
            Tab::Run => "run",
            Tab::Terminal => "terminal",
        }
    }

    /// Name on the tab.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Build => "Build",
            Tab::Layers => "Layers",
            Tab::Images => "Images",
            Tab::Run => "Run",
            Tab::Terminal => "Terminal",
        }
    }

    /// The tab with `id`.
    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// One command and its output in the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermEntry {
    /// What was typed.
    pub command: String,
    /// What it printed (stdout and stderr, in order).
    pub output: String,
    /// True when it failed (non-zero exit).
    pub failed: bool,
}

/// A message shown over the page for a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// True for a problem, false for information.
    pub error: bool,
    /// The text.
    pub text: String,
}

/// The share dialog's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareInfo {
    /// The link, when the project fits in one.
    pub url: Result<String, String>,
    /// `<iframe>` snippet for docs pages.
    pub embed: Option<String>,
}

/// Where the editor should put its cursor (a new `seq` each time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    /// Increases with each request.
    pub seq: u64,
    /// 1-based line.
    pub line: usize,
    /// 0-based UTF-16 column.
    pub column: usize,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The files.
    pub project: Rc<Project>,
    /// Increases with every change of the files.
    pub revision: u64,
    /// Increases when a whole new project is loaded (the editor forgets
    /// its per-file undo histories).
    pub epoch: u64,
    /// The path of the file in the editor.
    pub selected: String,
    /// The result view shown.
    pub tab: Tab,
    /// `--target`, `--build-arg`, `--no-cache`.
    pub settings: BuildSettings,
    /// The Run view's command line.
    pub run_line: String,
    /// The latest build (preview or committed).
    pub build: Option<Rc<BuildVm>>,
    /// The project revision that build is for.
    pub built_revision: u64,
    /// Engine time of the latest build and analysis, milliseconds.
    pub engine_ms: f64,
    /// The next automatic build updates the cache (a project was loaded).
    pub commit_next: bool,
    /// The project is being read back from IndexedDB (too large for local
    /// storage): nothing is built or saved until [`Action::Restored`].
    pub restoring: bool,
    /// Parser and lint diagnostics of the Dockerfile.
    pub analysis: Rc<Analysis>,
    /// The Images view.
    pub images: Rc<ImagesVm>,
    /// The build step selected (vertex) and its lines.
    pub selected_step: Option<(usize, usize, usize)>,
    /// A cursor move requested from outside the editor.
    pub jump: Option<Jump>,
    /// Terminal transcript.
    pub terminal: Rc<Vec<TermEntry>>,
    /// Commands typed, oldest first (arrow keys walk them).
    pub history: Rc<Vec<String>>,
    /// A transient message.
    pub notice: Option<Notice>,
    /// The share dialog, when open.
    pub share: Option<ShareInfo>,
    /// Embedded in another page (`?embed=1`): editor and one view only.
    pub embed: bool,
    /// The exercise open, its checks, and the exercises solved.
    pub exercise: ExerciseState,
}

impl AppState {
    /// The state for a project.
    pub fn new(project: Project, run_line: String) -> Self {
        let selected = first_file(&project);
        AppState {
            project: Rc::new(project),
            revision: 1,
            epoch: 1,
            selected,
            tab: Tab::Build,
            settings: BuildSettings::default(),
            run_line,
            build: None,
            built_revision: 0,
            engine_ms: 0.0,
            commit_next: true,
            restoring: false,
            analysis: Rc::default(),
            images: Rc::default(),
            selected_step: None,
            jump: None,
            terminal: Rc::default(),
            history: Rc::default(),
            notice: None,
            share: None,
            embed: false,
            exercise: ExerciseState::default(),
        }
    }

    /// True when the build shown is for the current files.
    pub fn build_is_current(&self) -> bool {
        self.built_revision == self.revision
    }
}

fn first_file(project: &Project) -> String {
    if project.file("Dockerfile").is_some() {
        "Dockerfile".to_owned()
    } else {
        project
            .files
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default()
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The editor changed a file.
    Edit {
        /// Which file.
        path: String,
        /// Its new text.
        text: String,
    },
    /// Open a file in the editor.
    Select(String),
    /// Add a file (opened at once).
    AddFile(ProjectFile),
    /// Rename a file or a folder.
    Rename {
        /// Old path.
        from: String,
        /// New path.
        to: String,
    },
    /// Delete a file.
    Delete(String),
    /// Replace the whole project (sample, import, share link, storage).
    Load {
        /// The files.
        project: Project,
        /// The Run view's line.
        run_line: String,
    },
    /// Load a sample.
    LoadSample(&'static Sample),
    /// The page's state as the project kept in IndexedDB gives it (read
    /// after the page opened), or the default one when it could not be read.
    Restored(Box<AppState>),
    /// Show another result view.
    SetTab(Tab),
    /// Change the build settings.
    SetSettings(BuildSettings),
    /// Change the `docker run` line.
    SetRunLine(String),
    /// A build finished.
    Built {
        /// Its view model.
        build: Rc<BuildVm>,
        /// The project revision it is for.
        revision: u64,
        /// The Dockerfile's diagnostics for that revision.
        analysis: Rc<Analysis>,
        /// Engine time, milliseconds.
        ms: f64,
    },
    /// The image store changed.
    Images(Rc<ImagesVm>),
    /// A build step was clicked: highlight its lines.
    SelectStep {
        /// Vertex.
        vertex: usize,
        /// First line.
        line: usize,
        /// Last line.
        end_line: usize,
    },
    /// Put the editor's cursor somewhere in the Dockerfile.
    JumpTo {
        /// 1-based line.
        line: usize,
        /// 0-based UTF-16 column.
        column: usize,
    },
    /// A terminal command ran.
    Terminal(TermEntry),
    /// `clear` in the terminal.
    ClearTerminal,
    /// Show a message.
    Notify(Notice),
    /// Hide the message.
    Dismiss,
    /// Open the share dialog.
    Share(ShareInfo),
    /// Close the share dialog.
    CloseShare,
    /// Load an exercise's starting files and open it.
    StartExercise {
        /// The exercise.
        active: ActiveExercise,
        /// Its starting files.
        project: Project,
        /// The Run view's line.
        run_line: String,
    },
    /// Hints, leaving, checks of the exercise open.
    Exercise(ExerciseAction),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit { path, text } => {
                let Some(i) = s.project.index_of(&path) else {
                    return self;
                };
                if *s.project.files[i].contents == *text {
                    return self;
                }
                s.project = Rc::new(s.project.with_contents(i, &text));
                s.revision += 1;
            }
            Action::Select(path) => {
                if s.project.file(&path).is_none() || s.selected == path {
                    return self;
                }
                s.selected = path;
            }
            Action::AddFile(file) => {
                s.selected = file.path.clone();
                s.project = Rc::new(s.project.with_file(file));
                s.revision += 1;
            }
            Action::Rename { from, to } => {
                if from == to || s.project.file(&to).is_some() {
                    return self;
                }
                s.project = Rc::new(s.project.renamed(&from, &to));
                if s.selected == from {
                    s.selected = to;
                } else if let Some(rest) = s.selected.strip_prefix(&format!("{from}/")) {
                    s.selected = format!("{to}/{rest}");
                }
                s.revision += 1;
            }
            Action::Delete(path) => {
                s.project = Rc::new(s.project.without(&path));
                if s.selected == path {
                    s.selected = first_file(&s.project);
                }
                s.revision += 1;
            }
            Action::Load { project, run_line } => {
                s.selected = first_file(&project);
                s.project = Rc::new(project);
                s.run_line = run_line;
                s.revision += 1;
                s.epoch += 1;
                s.commit_next = true;
                s.selected_step = None;
                s.settings = BuildSettings::default();
                // Another project: no exercise is open any more.
                s.exercise = s.exercise.reduce(ExerciseAction::Leave);
            }
            Action::LoadSample(sample) => {
                return self.reduce(Action::Load {
                    project: Project::from_sample(sample),
                    run_line: sample.run.to_owned(),
                });
            }
            Action::Restored(next) => {
                let mut next = *next;
                // A new revision and epoch: built, and the editor reloads.
                next.revision = s.revision + 1;
                next.epoch = s.epoch + 1;
                next.commit_next = true;
                next.restoring = false;
                next.embed = s.embed;
                return Rc::new(next);
            }
            Action::SetTab(tab) => s.tab = tab,
            Action::SetSettings(settings) => {
                if s.settings == settings {
                    return self;
                }
                s.settings = settings;
            }
            Action::SetRunLine(line) => s.run_line = line,
            Action::Built {
                build,
                revision,
                analysis,
                ms,
            } => {
                if build.committed {
                    s.commit_next = false;
                }
                s.build = Some(build);
                s.built_revision = revision;
                s.analysis = analysis;
                s.engine_ms = ms;
            }
            Action::Images(images) => s.images = images,
            Action::SelectStep {
                vertex,
                line,
                end_line,
            } => {
                s.selected_step = Some((vertex, line, end_line));
                if s.selected != "Dockerfile" && s.project.file("Dockerfile").is_some() {
                    s.selected = "Dockerfile".to_owned();
                }
            }
            Action::JumpTo { line, column } => {
                let seq = s.jump.map_or(1, |j| j.seq + 1);
                s.jump = Some(Jump { seq, line, column });
                if s.project.file("Dockerfile").is_some() {
                    s.selected = "Dockerfile".to_owned();
                }
            }
            Action::Terminal(entry) => {
                let mut history = (*s.history).clone();
                if history.last() != Some(&entry.command) && !entry.command.trim().is_empty() {
                    history.push(entry.command.clone());
                }
                s.history = Rc::new(history);
                let mut terminal = (*s.terminal).clone();
                terminal.push(entry);
                // Keep the transcript bounded.
                if terminal.len() > 200 {
                    terminal.drain(..terminal.len() - 200);
                }
                s.terminal = Rc::new(terminal);
            }
            Action::ClearTerminal => {
                let mut history = (*s.history).clone();
                history.push("clear".to_owned());
                s.history = Rc::new(history);
                s.terminal = Rc::default();
            }
            Action::Notify(notice) => s.notice = Some(notice),
            Action::Dismiss => s.notice = None,
            Action::Share(info) => s.share = Some(info),
            Action::CloseShare => s.share = None,
            Action::StartExercise {
                active,
                project,
                run_line,
            } => {
                let mut s = (*self.reduce(Action::Load { project, run_line })).clone();
                s.exercise.open(active);
                return Rc::new(s);
            }
            Action::Exercise(action) => s.exercise = s.exercise.reduce(action),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::SAMPLES;

    fn start() -> Rc<AppState> {
        Rc::new(AppState::new(Project::sample(), SAMPLES[0].run.to_owned()))
    }

    #[test]
    fn edits_bump_the_revision_only_when_text_changes() {
        let s = start();
        let same = s.clone().reduce(Action::Edit {
            path: "Dockerfile".into(),
            text: s.project.dockerfile().to_owned(),
        });
        assert_eq!(same.revision, s.revision);
        let edited = s.clone().reduce(Action::Edit {
            path: "Dockerfile".into(),
            text: "FROM alpine\n".into(),
        });
        assert_eq!(edited.revision, s.revision + 1);
        assert_eq!(edited.project.dockerfile(), "FROM alpine\n");
    }

    #[test]
    fn loading_a_sample_resets_the_editor_and_commits_the_next_build() {
        let s = start().reduce(Action::Built {
            build: Rc::new(crate::bridge::Session::new().build(
                &Project::sample(),
                &BuildSettings::default(),
                true,
            )),
            revision: 1,
            analysis: Rc::default(),
            ms: 1.0,
        });
        assert!(!s.commit_next);
        let s = s.reduce(Action::LoadSample(&SAMPLES[2]));
        assert!(s.commit_next);
        assert_eq!(s.epoch, 2);
        assert_eq!(s.project.name, "nodeapp");
        assert_eq!(s.selected, "Dockerfile");
        assert!(!s.build_is_current());
    }

    #[test]
    fn renaming_and_deleting_follow_the_selection() {
        let s = start().reduce(Action::Select("aspnetapp/Program.cs".into()));
        let s = s.reduce(Action::Rename {
            from: "aspnetapp".into(),
            to: "src".into(),
        });
        assert_eq!(s.selected, "src/Program.cs");
        let s = s.reduce(Action::Delete("src/Program.cs".into()));
        assert_eq!(s.selected, "Dockerfile");
        assert!(s.project.file("src/Program.cs").is_none());
    }

    #[test]
    fn an_exercise_opens_on_its_files_and_another_project_closes_it() {
        let ex = crate::exercises::start("non-root").expect("a built-in exercise");
        let s = start().reduce(Action::StartExercise {
            active: ex.active,
            project: ex.project,
            run_line: ex.run_line,
        });
        assert_eq!(
            s.exercise.active.as_ref().map(|a| a.id.as_str()),
            Some("non-root")
        );
        assert!(s.commit_next);
        assert_eq!(
            s.exercise.unchecked(s.revision).as_deref(),
            Some("non-root")
        );
        let s = s.reduce(Action::Exercise(ExerciseAction::ShowHint));
        assert_eq!(s.exercise.active.as_ref().map(|a| a.hints), Some(1));
        let s = s.reduce(Action::LoadSample(&SAMPLES[2]));
        assert_eq!(s.exercise.active, None);
        assert_eq!(s.exercise.unchecked(s.revision), None);
    }

    #[test]
    fn terminal_history_skips_repeats() {
        let entry = |c: &str| TermEntry {
            command: c.into(),
            output: String::new(),
            failed: false,
        };
        let s = start()
            .reduce(Action::Terminal(entry("docker ps")))
            .reduce(Action::Terminal(entry("docker ps")))
            .reduce(Action::Terminal(entry("docker images")));
        assert_eq!(*s.history, ["docker ps", "docker images"]);
        assert_eq!(s.terminal.len(), 3);
    }

    #[test]
    fn a_project_read_back_from_indexeddb_replaces_the_placeholder() {
        let placeholder = Project {
            name: "aspnetapp".into(),
            origin: String::new(),
            files: Vec::new(),
        };
        let mut waiting = AppState::new(placeholder, String::new());
        waiting.restoring = true;
        let waiting = Rc::new(waiting);
        let mut kept = AppState::new(
            Project::from_sample(&SAMPLES[2]),
            "docker run nodeapp".into(),
        );
        kept.tab = Tab::Layers;
        let s = waiting.clone().reduce(Action::Restored(Box::new(kept)));
        assert!(!s.restoring);
        assert!(s.commit_next, "the restored project is built at once");
        assert_eq!(
            (s.revision, s.epoch),
            (waiting.revision + 1, waiting.epoch + 1)
        );
        assert_eq!(s.tab, Tab::Layers);
        assert_eq!(s.project.name, "nodeapp");
    }
}
