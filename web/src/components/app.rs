//! The whole page: toolbar, build context, editor with its problems, and
//! the tabbed results. The app owns the reducer and the engine session;
//! it runs builds (debounced after edits, at once on the Build button),
//! persists the project, and hands view models down to the components.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};
use crate::components::el::cls;

use crate::bridge::{self, Session};
use crate::components::build_view::BuildViewProps;
use crate::components::code_editor::{use_code_editor, CodeEditorProps};
use crate::components::exercise_panel::{exercise_panel, ExercisePanelProps};
use crate::components::exercise_picker::{exercise_picker, use_picker_sync, ExercisePickerProps};
use crate::components::file_tree::{use_file_tree, FileTreeProps};
use crate::components::images_view::{images_view, ImagesViewProps};
use crate::components::layers_view::LayersViewProps;
use crate::components::notice_bar::{notice_bar, use_notice_timeout, NoticeBarProps};
use crate::components::problems::ProblemsProps;
use crate::components::results::{results, ResultsProps};
use crate::components::run_view::{run_view, RunViewProps};
use crate::components::share_dialog::{share_dialog, use_share_focus, ShareDialogProps};
use crate::components::status_bar::{status_bar, StatusBarProps};
use crate::components::tab_view::{use_node, StatefulView, TabView};
use crate::components::terminal::TerminalProps;
use crate::components::toolbar::{toolbar, ToolbarProps};
use crate::dom;
use crate::exercises::{self, ExerciseAction};
use crate::persist;
use crate::project::{self, Project, SAMPLES};
use crate::share::{self, Snapshot};
use crate::state::{Action, AppState, Notice, ShareInfo, Tab};

/// Milliseconds an edit waits for the next keystroke before the rebuild,
/// once a build has taken longer than a frame (a large project); while
/// builds fit in [`FRAME_MS`], every edit is rebuilt in the next task.
/// Exercise checks always wait this long.
const DEBOUNCE_MS: u32 = 120;
/// One frame at 60 Hz: the engine's budget for one edit.
const FRAME_MS: f64 = 16.0;
/// Milliseconds before the project is written to local storage.
const SAVE_MS: u32 = 500;

/// The state the page opens with: an exercise link (`#exercise=<id>`) or
/// a share link in the fragment, else what local storage kept (with the
/// exercise open), else the default sample.
fn initial_state() -> AppState {
    let embed = dom::query_param("embed").is_some_and(|v| v == "1" || v == "true");
    let view = dom::query_param("view").and_then(|v| Tab::from_id(&v));
    let fragment = dom::fragment();
    let mut notice = None;
    let mut snapshot = None;
    let mut exercise = None;
    // The project comes from local storage (and so may the exercise open).
    let mut stored = false;
    if let Some(id) = exercises::link_id(&fragment) {
        match exercises::start(&id) {
            Ok(start) => exercise = Some(start),
            Err(e) => {
                notice = Some(Notice {
                    error: true,
                    text: format!("The exercise link could not be opened: {e}."),
                });
                if !embed {
                    snapshot = persist::stored_snapshot();
                    stored = true;
                }
            }
        }
        if !embed {
            dom::replace_fragment("");
        }
    } else if !fragment.is_empty() {
        match Snapshot::decode(&fragment) {
            Ok(s) => snapshot = Some(s),
            Err(e) => {
                notice = Some(Notice {
                    error: true,
                    text: format!(
                        "The link could not be opened: {e}. The default sample is shown instead."
                    ),
                })
            }
        }
        if !embed {
            // From now on local storage keeps the edits; a reload must not
            // bring the link's original back.
            dom::replace_fragment("");
        }
    } else if !embed {
        snapshot = persist::stored_snapshot();
        stored = true;
    }
    let mut state = match &snapshot {
        Some(s) => state_of_snapshot(s),
        None => AppState::new(Project::sample(), SAMPLES[0].run.to_owned()),
    };
    if let Some(start) = exercise {
        state = AppState::new(start.project, start.run_line);
        state.exercise.open(start.active);
    } else if stored && snapshot.is_some() {
        // The exercise open when the page was left, on the files kept.
        if let Some(active) = exercises::stored_active() {
            state.exercise.open(active);
        }
    }
    state.exercise.solved = Rc::new(exercises::stored_solved());
    state.notice = notice;
    if stored && snapshot.is_none() && persist::in_indexed_db() {
        // Too large for local storage, the project is in IndexedDB: an
        // effect reads it back; nothing is built or saved meanwhile.
        let solved = state.exercise.solved.clone();
        state = AppState::new(
            Project {
                name: SAMPLES[0].image.to_owned(),
                origin: String::new(),
                files: Vec::new(),
            },
            String::new(),
        );
        state.exercise.solved = solved;
        state.restoring = true;
        state.notice = Some(Notice {
            error: false,
            text: "Restoring your project from the browser's storage…".to_owned(),
        });
    }
    if embed {
        state.embed = true;
        if let Some(tab) = view {
            state.tab = tab;
        }
    }
    state
}

/// The page's state for a snapshot (a link, or what storage kept).
fn state_of_snapshot(s: &Snapshot) -> AppState {
    let mut st = AppState::new(s.project(), s.run_line());
    st.tab = s.tab();
    st.settings = s.settings();
    if st.project.file(&s.selected()).is_some() {
        st.selected = s.selected();
    }
    st
}

/// The page's state once the project kept in IndexedDB is read (with the
/// exercise that was open), or the default sample and why, when it could
/// not be read.
fn restored_state(result: Result<Snapshot, String>) -> AppState {
    let mut state = match result {
        Ok(snapshot) => {
            let mut st = state_of_snapshot(&snapshot);
            if let Some(active) = exercises::stored_active() {
                st.exercise.open(active);
            }
            st
        }
        Err(e) => {
            let mut st = AppState::new(Project::sample(), SAMPLES[0].run.to_owned());
            st.notice = Some(Notice {
                error: true,
                text: format!(
                    "Your project could not be read back from the browser's storage ({e}). The default sample is shown instead."
                ),
            });
            st
        }
    };
    state.exercise.solved = Rc::new(exercises::stored_solved());
    state
}

/// The playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let session: Rc<RefCell<Session>> = use_mut_ref(Session::new);
    // The files and settings of the last build the Build button ran: the
    // preview that an edit just before the click scheduled has nothing
    // to add and must not replace it.
    let built: Rc<RefCell<Option<(u64, crate::bridge::BuildSettings)>>> = use_mut_ref(|| None);
    // How long the last build took (engine work), to choose the delay.
    let last_build_ms: Rc<RefCell<f64>> = use_mut_ref(|| 0.0);
    let dispatch: Callback<Action> = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };

    // A project too large for local storage is read back from IndexedDB.
    {
        let dispatch = dispatch.clone();
        let restoring = state.restoring;
        use_effect_when(
            Deps::of(restoring),
            Box::new(move || {
                if restoring {
                    persist::load_large(move |result| {
                        dispatch.emit(Action::Restored(Box::new(restored_state(result))));
                    });
                }
                no_cleanup()
            }),
        );
    }

    // Rebuild (and re-check) after edits, coalescing keystrokes. A loaded
    // project is built at once and committed, as a first `docker build`.
    {
        let restoring = state.restoring;
        let project = state.project.clone();
        let settings = state.settings.clone();
        let commit = state.commit_next;
        let revision = state.revision;
        let session = session.clone();
        let dispatch = dispatch.clone();
        let fits_a_frame = *last_build_ms.borrow() < FRAME_MS;
        let delay = if commit || fits_a_frame {
            0
        } else {
            DEBOUNCE_MS
        };
        let last_build_ms = last_build_ms.clone();
        let built = built.clone();
        // The open exercise's checks run once typing pauses, once per
        // revision.
        let checks = {
            let exercise = state.exercise.unchecked(revision);
            let project = project.clone();
            let dispatch = dispatch.clone();
            move || {
                if let Some(action) = exercise
                    .as_deref()
                    .and_then(|id| exercises::check(id, &project, revision))
                {
                    dispatch.emit(Action::Exercise(action));
                }
            }
        };
        // `commit` is read when the effect runs, not a dependency: the
        // committed build must not be followed by a preview of the same files.
        use_effect_when(
            Deps::of((revision, settings.clone())),
            Box::new(move || {
                let check_timer = (!restoring).then(|| Timeout::new(DEBOUNCE_MS, checks));
                let run = move || {
                    if restoring {
                        return;
                    }
                    if !commit && *built.borrow() == Some((revision, settings.clone())) {
                        return;
                    }
                    // Previews choose the delay; a committed build also runs
                    // `docker build` (and the first one pulls the base images).
                    build_now(
                        &session,
                        &project,
                        &settings,
                        commit,
                        revision,
                        (!commit).then_some(&*last_build_ms),
                        &dispatch,
                    );
                };
                // A preview that fits in a frame runs right after this render, in
                // the same task: the edit and its build are painted together. A
                // committed build (a loaded project, the Build button) waits for
                // the next task, so the page paints first.
                let timer = if delay == 0 && !commit {
                    run();
                    None
                } else {
                    Some(Timeout::new(delay, run))
                };
                Box::new(move || {
                    drop(timer);
                    drop(check_timer);
                })
            }),
        );
    }

    // Keep the project in local storage, or in IndexedDB when too large
    // (not when embedded: a docs page must not overwrite the learner's own
    // work; not while it is being read back).
    {
        let snapshot_state = (*state).clone();
        let embed = state.embed;
        let dispatch = dispatch.clone();
        use_effect_when(
            Deps::of((
                state.revision,
                state.tab,
                state.run_line.clone(),
                state.settings.clone(),
                state.selected.clone(),
            )),
            Box::new(move || {
                let timer = (!embed && !snapshot_state.restoring).then(|| {
                    Timeout::new(SAVE_MS, move || {
                        let encoded = Snapshot::of(&snapshot_state).encode();
                        persist::save(encoded, move |reason| {
                            dispatch.emit(Action::Notify(Notice {
                                error: true,
                                text: format!("This project could not be saved in the browser ({reason}): a reload will not bring it back. Download it as a .tar.gz to keep it."),
                            }));
                        });
                    })
                });
                Box::new(move || drop(timer))
            }),
        );
    }

    // Keep the exercise open (and the hints shown) across reloads (not
    // while the project is read back: the exercise comes back with it).
    {
        let active = state.exercise.active.clone();
        let keep = !state.embed && !state.restoring;
        use_effect_when(
            Deps::of(active.clone()),
            Box::new(move || {
                if keep {
                    exercises::store_active(active.as_ref());
                }
                no_cleanup()
            }),
        );
    }

    let on_edit = {
        let dispatch = dispatch.clone();
        Callback::from(move |(path, text): (String, String)| {
            dispatch.emit(Action::Edit { path, text })
        })
    };
    let on_build = {
        let state = state.clone();
        let session = session.clone();
        let dispatch = dispatch.clone();
        let built = built.clone();
        Callback::from(move |_: ()| {
            *built.borrow_mut() = Some((state.revision, state.settings.clone()));
            build_now(
                &session,
                &state.project,
                &state.settings,
                true,
                state.revision,
                None,
                &dispatch,
            );
            if state.tab != Tab::Build && state.tab != Tab::Layers {
                dispatch.emit(Action::SetTab(Tab::Build));
            }
        })
    };
    // Ctrl+Enter (Cmd+Enter) builds from anywhere on the page.
    {
        let latest = use_mut_ref(|| on_build.clone());
        *latest.borrow_mut() = on_build.clone();
        use_effect_when(
            Deps::of(()),
            Box::new(move || {
                let handler =
                    wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(
                        move |e: web_sys::KeyboardEvent| {
                            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                                e.prevent_default();
                                latest.borrow().emit(());
                            }
                        },
                    );
                let document = web_sys::window().and_then(|w| w.document());
                if let Some(d) = &document {
                    let _ = d.add_event_listener_with_callback(
                        "keydown",
                        handler.as_ref().unchecked_ref(),
                    );
                }
                Box::new(move || {
                    if let Some(d) = &document {
                        let _ = d.remove_event_listener_with_callback(
                            "keydown",
                            handler.as_ref().unchecked_ref(),
                        );
                    }
                })
            }),
        );
    }
    let on_sample = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| {
            if let Some(sample) = project::sample(&id) {
                dispatch.emit(Action::LoadSample(sample));
            }
        })
    };
    // An exercise picked (or reset): its starting files; `""`: leave it.
    let on_exercise = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| {
            if id.is_empty() {
                dispatch.emit(Action::Exercise(ExerciseAction::Leave));
            } else {
                dispatch.emit(open_exercise(&id, "The exercise could not be opened"));
            }
        })
    };
    // An exercise link or a share link opened in a tab already showing the
    // playground: only the fragment changes, so the page does not load
    // again.
    {
        let dispatch = dispatch.clone();
        let embed = state.embed;
        use_effect_when(
            Deps::of(()),
            Box::new(move || {
                let handler = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    let fragment = dom::fragment();
                    if let Some(id) = exercises::link_id(&fragment) {
                        dom::replace_fragment("");
                        dispatch.emit(open_exercise(&id, "The exercise link could not be opened"));
                    } else if !fragment.is_empty() && !embed {
                        dom::replace_fragment("");
                        match Snapshot::decode(&fragment) {
                            Ok(snapshot) => {
                                let mut next = state_of_snapshot(&snapshot);
                                next.exercise.solved = Rc::new(exercises::stored_solved());
                                dispatch.emit(Action::Restored(Box::new(next)));
                            }
                            Err(e) => dispatch.emit(Action::Notify(Notice {
                                error: true,
                                text: format!(
                                    "The link could not be opened: {e}. Your project is unchanged."
                                ),
                            })),
                        }
                    }
                });
                let window = web_sys::window();
                if let Some(w) = &window {
                    let _ = w.add_event_listener_with_callback(
                        "hashchange",
                        handler.as_ref().unchecked_ref(),
                    );
                }
                Box::new(move || {
                    if let Some(w) = &window {
                        let _ = w.remove_event_listener_with_callback(
                            "hashchange",
                            handler.as_ref().unchecked_ref(),
                        );
                    }
                })
            }),
        );
    }
    let on_copy_exercise_link = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| {
            let url = format!("{}#{}", dom::page_base(), exercises::link_fragment(&id));
            let text = if dom::copy_text(&url) {
                format!("Copied the link to this exercise: {url}")
            } else {
                format!("The link to this exercise: {url}")
            };
            dispatch.emit(Action::Notify(Notice { error: false, text }));
        })
    };
    let exercise_vm = use_memo(state.exercise.active.as_ref().map(|a| a.id.clone()), |id| {
        id.as_deref().and_then(exercises::view).map(Rc::new)
    });
    let on_share = {
        let state = state.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_: ()| {
            let base = dom::page_base();
            let url = share::link_fragment(&state).map(|f| format!("{base}#{f}"));
            let embed = url.as_ref().ok().map(|u| {
                let frag = u.split_once('#').map_or("", |(_, f)| f);
                format!(
                    "<iframe src=\"{base}?embed=1&view={}#{frag}\" title=\"LayerLab: Dockerfile playground\" width=\"100%\" height=\"480\" style=\"border:1px solid #ddd;border-radius:8px\" loading=\"lazy\"></iframe>",
                    state.tab.id()
                )
            });
            dispatch.emit(Action::Share(ShareInfo { url, embed }));
        })
    };
    let on_download = {
        let project = state.project.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_: ()| match share::project_tar_gz(&project) {
            Ok(bytes) => {
                let name = format!("{}.tar.gz", project.name);
                if !dom::download(&name, &bytes, "application/gzip") {
                    dispatch.emit(Action::Notify(Notice {
                        error: true,
                        text: "The browser refused the download.".to_owned(),
                    }));
                }
            }
            Err(e) => dispatch.emit(Action::Notify(Notice {
                error: true,
                text: format!("Cannot pack the project: {e}"),
            })),
        })
    };
    let reader = use_mut_ref(|| None::<gloo_file::callbacks::FileReader>);
    let on_import = {
        let dispatch = dispatch.clone();
        let reader = reader.clone();
        let run_line = state.run_line.clone();
        Callback::from(move |file: web_sys::File| {
            let name = file.name();
            let dispatch = dispatch.clone();
            let run_line = run_line.clone();
            let blob = gloo_file::Blob::from(file);
            let task = gloo_file::callbacks::read_as_bytes(&blob, move |result| match result {
                Ok(bytes) => match share::project_from_archive(&name, &bytes) {
                    Ok(project) => {
                        let files = project.files.len();
                        let image = project.name.clone();
                        let line = adapt_run_line(&run_line, &image);
                        dispatch.emit(Action::Load {
                            project,
                            run_line: line,
                        });
                        dispatch.emit(Action::Notify(Notice {
                            error: false,
                            text: format!(
                                "Imported {name}: {files} files, built as image {image}."
                            ),
                        }));
                    }
                    Err(e) => dispatch.emit(Action::Notify(Notice {
                        error: true,
                        text: format!("Cannot import {name}: {e}"),
                    })),
                },
                Err(e) => dispatch.emit(Action::Notify(Notice {
                    error: true,
                    text: format!("Cannot read {name}: {e}"),
                })),
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let on_terminal = {
        let state = state.clone();
        let session = session.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |line: String| {
            if line.trim() == "clear" {
                dispatch.emit(Action::ClearTerminal);
                return;
            }
            let start = dom::now_ms();
            let out = session
                .borrow_mut()
                .terminal(&line, &state.project, &state.settings);
            let ms = dom::now_ms() - start;
            dispatch.emit(Action::Terminal(out.entry));
            if let Some(build) = out.build {
                dispatch.emit(Action::Built {
                    build: Rc::new(build),
                    revision: state.revision,
                    analysis: state.analysis.clone(),
                    ms,
                });
            }
            if out.images_changed {
                dispatch.emit(Action::Images(Rc::new(session.borrow().images())));
            }
        })
    };

    let run = {
        let session = session.clone();
        use_memo(
            (state.run_line.clone(), state.build.clone()),
            move |(line, _)| session.borrow().plan(line),
        )
    };
    let ignored = use_memo(state.project.clone(), |p| bridge::ignored_files(p));
    // The layers' files are worked out only while the Layers view shows.
    let layer_files = {
        let session = session.clone();
        use_memo(
            (state.build.clone(), state.tab == Tab::Layers),
            move |(_, shown)| {
                if *shown {
                    session.borrow().layers()
                } else {
                    None
                }
            },
        )
    };

    let file = state.project.file(&state.selected).cloned();
    let is_dockerfile = state.selected == "Dockerfile";
    let diagnostics: Rc<str> = if is_dockerfile {
        crate::editor::diagnostics_json(&state.analysis.editor).into()
    } else {
        "[]".into()
    };
    let highlight = if is_dockerfile {
        state.selected_step.map(|(_, a, b)| (a, b))
    } else {
        None
    };
    let on_action = dispatch.clone();

    let stateful = |view: StatefulView| html! { <TabView key={state.tab.id()} {view} /> };
    let view = match state.tab {
        Tab::Build => stateful(StatefulView::Build(BuildViewProps {
            build: state.build.clone(),
            current: state.build_is_current(),
            settings: state.settings.clone(),
            image: state.project.name.clone(),
            stages: state.analysis.stages.clone(),
            selected: state.selected_step.map(|s| s.0),
            on_action: on_action.clone(),
            on_build: on_build.clone(),
        })),
        Tab::Layers => stateful(StatefulView::Layers(LayersViewProps {
            build: state.build.clone(),
            files: layer_files.clone(),
        })),
        Tab::Images => images_view(&ImagesViewProps {
            images: state.images.clone(),
        }),
        Tab::Run => run_view(&RunViewProps {
            line: state.run_line.clone(),
            plan: run.clone(),
            on_action: on_action.clone(),
        }),
        Tab::Terminal => stateful(StatefulView::Terminal(TerminalProps {
            entries: state.terminal.clone(),
            history: state.history.clone(),
            image: state.project.name.clone(),
            on_command: on_terminal.clone(),
        })),
    };

    let problems = state.analysis.problems.clone();
    // The state of the toolbar, the exercise picker, the notice and the
    // share dialog, which are functions of the app's render.
    let file_input = use_node();
    let picker_groups = use_memo((), |_| exercises::picker_groups());
    let picker_select = use_node();
    use_picker_sync(
        picker_select.clone(),
        state
            .exercise
            .active
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_default(),
    );
    use_notice_timeout(state.notice.clone(), on_action.clone());
    use_share_focus(state.share.is_some());
    // Made also when embedded (not shown then): hooks run on every render.
    let file_tree = use_file_tree(&FileTreeProps {
        project: state.project.clone(),
        selected: state.selected.clone(),
        ignored,
        on_action: on_action.clone(),
        on_import: on_import.clone(),
    });
    let code_editor = use_code_editor(&CodeEditorProps {
        path: state.selected.clone(),
        text: file
            .as_ref()
            .map(|f| f.contents.clone())
            .unwrap_or_else(|| "".into()),
        binary: file
            .as_ref()
            .and_then(|f| f.binary.as_ref().map(|b| b.len())),
        epoch: state.epoch,
        diagnostics,
        highlight,
        jump: state.jump,
        on_change: on_edit,
    });
    html! {
        <div class={cls("app", state.embed.then_some("embed"))}>
            { toolbar(&ToolbarProps {
                origin: state.project.origin.clone(),
                embed: state.embed,
                on_sample,
                on_build: on_build.clone(),
                on_share,
                on_download,
                on_import: on_import.clone(),
                children: exercise_picker(&ExercisePickerProps {
                    active: state.exercise.active.as_ref().map(|a| a.id.clone()),
                    solved: state.exercise.solved.clone(),
                    on_pick: on_exercise.clone(),
                    groups: picker_groups,
                    select: picker_select,
                }),
                file_input,
            }) }
            <main class={cls("workspace", exercise_vm.is_some().then_some("with-exercise"))}>
                if let (Some(vm), Some(active)) = ((*exercise_vm).clone(), state.exercise.active.as_ref()) {
                    { exercise_panel(&ExercisePanelProps {
                        exercise: vm,
                        hints: active.hints,
                        checks: state.exercise.checks.clone(),
                        current: state.exercise.is_current(state.revision),
                        solved_before: state.exercise.solved.contains(&active.id),
                        on_action: on_action.clone(),
                        on_reset: on_exercise.clone(),
                        on_copy_link: on_copy_exercise_link,
                    }) }
                }
                if !state.embed {
                    { file_tree }
                }
                <section class="pane editor-pane" aria-label="Editor">
                    <div class="pane-title">
                        <span class="path">{ state.selected.clone() }</span>
                        if let Some(f) = &file {
                            if f.binary.is_some() {
                                <span class="muted">{ format!("binary, {} bytes", f.bytes().len()) }</span>
                            } else {
                                <span class="muted">{ crate::editor::language_label(&f.path) }</span>
                            }
                        }
                    </div>
                    { code_editor }
                    if is_dockerfile {
                        { crate::components::problems::problems(&ProblemsProps { problems, on_action: on_action.clone() }) }
                    }
                </section>
                { results(&ResultsProps { tab: state.tab, embed: state.embed, on_action: on_action.clone(), children: view }) }
            </main>
            if !state.embed {
                { status_bar(&StatusBarProps {
                    build: state.build.clone(),
                    current: state.build_is_current(),
                    engine_ms: state.engine_ms,
                    problems: state.analysis.problems.len(),
                }) }
            }
            { notice_bar(&NoticeBarProps { notice: state.notice.clone(), on_action: on_action.clone() }) }
            if let Some(info) = state.share.clone() {
                { share_dialog(&ShareDialogProps { info, on_action }) }
            }
        </div>
    }
}

/// Analyses and builds `project` (a committed build when `commit`), keeps
/// the engine's milliseconds in `record` if any, then sends the build and,
/// for a committed build, the images to `dispatch`.
#[inline(never)]
fn build_now(
    session: &RefCell<Session>,
    project: &Project,
    settings: &bridge::BuildSettings,
    commit: bool,
    revision: u64,
    record: Option<&RefCell<f64>>,
    dispatch: &Callback<Action>,
) {
    let start = dom::now_ms();
    let analysis = Rc::new(bridge::analyze(project));
    let build = session.borrow_mut().build(project, settings, commit);
    let ms = dom::now_ms() - start;
    if let Some(record) = record {
        *record.borrow_mut() = ms;
    }
    dispatch.emit(Action::Built {
        build: Rc::new(build),
        revision,
        analysis,
        ms,
    });
    if commit {
        dispatch.emit(Action::Images(Rc::new(session.borrow().images())));
    }
}

/// The action that opens the exercise `id` with its starting files, or a
/// notice starting with `what` that says why it cannot be opened.
fn open_exercise(id: &str, what: &str) -> Action {
    match exercises::start(id) {
        Ok(start) => Action::StartExercise {
            active: start.active,
            project: start.project,
            run_line: start.run_line,
        },
        Err(e) => Action::Notify(Notice {
            error: true,
            text: format!("{what}: {e}."),
        }),
    }
}

/// The run line with its image replaced by `image` when it named the
/// previous project's image (the last word that is not a flag value is
/// not parsed here: only a trailing image name is swapped).
fn adapt_run_line(line: &str, image: &str) -> String {
    let known = SAMPLES
        .iter()
        .any(|s| line.trim_end().ends_with(&format!(" {}", s.image)));
    if known {
        let trimmed = line.trim_end();
        let cut = trimmed.rfind(' ').map_or(0, |i| i + 1);
        format!("{}{image}", &trimmed[..cut])
    } else {
        format!("docker run --rm {image}")
    }
}
