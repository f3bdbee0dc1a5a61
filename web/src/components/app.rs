//! The whole page: toolbar, build context, editor with its problems, and
//! the tabbed results. The app owns the reducer and the engine session;
//! it runs builds (debounced after edits, at once on the Build button),
//! persists the project, and hands view models down to the components.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::bridge::{self, Session};
use crate::components::build_view::BuildView;
use crate::components::code_editor::CodeEditor;
use crate::components::file_tree::FileTree;
use crate::components::images_view::ImagesView;
use crate::components::layers_view::LayersView;
use crate::components::notice_bar::NoticeBar;
use crate::components::problems::Problems;
use crate::components::results::Results;
use crate::components::run_view::RunView;
use crate::components::share_dialog::ShareDialog;
use crate::components::status_bar::StatusBar;
use crate::components::terminal::Terminal;
use crate::components::toolbar::Toolbar;
use crate::dom;
use crate::project::{self, Project, SAMPLES};
use crate::share::{self, Snapshot};
use crate::state::{Action, AppState, Notice, ShareInfo, Tab};

/// Milliseconds an edit waits for the next keystroke before the rebuild.
const DEBOUNCE_MS: u32 = 120;
/// Milliseconds before the project is written to local storage.
const SAVE_MS: u32 = 500;

/// The state the page opens with: a share link in the fragment, else
/// what local storage kept, else the default sample.
fn initial_state() -> AppState {
    let embed = dom::query_param("embed").is_some_and(|v| v == "1" || v == "true");
    let view = dom::query_param("view").and_then(|v| Tab::from_id(&v));
    let fragment = dom::fragment();
    let mut notice = None;
    let mut snapshot = None;
    if !fragment.is_empty() {
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
        snapshot = dom::load(share::STORAGE_KEY).and_then(|s| Snapshot::decode(&s).ok());
    }
    let mut state = match &snapshot {
        Some(s) => {
            let mut st = AppState::new(s.project(), s.run_line());
            st.tab = s.tab();
            st.settings = s.settings();
            if st.project.file(&s.selected()).is_some() {
                st.selected = s.selected();
            }
            st
        }
        None => AppState::new(Project::sample(), SAMPLES[0].run.to_owned()),
    };
    state.notice = notice;
    if embed {
        state.embed = true;
        if let Some(tab) = view {
            state.tab = tab;
        }
    }
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
    let dispatch: Callback<Action> = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };

    // Rebuild (and re-check) after edits, coalescing keystrokes. A loaded
    // project is built at once and committed, as a first `docker build`.
    {
        let project = state.project.clone();
        let settings = state.settings.clone();
        let commit = state.commit_next;
        let revision = state.revision;
        let session = session.clone();
        let dispatch = dispatch.clone();
        let delay = if commit { 0 } else { DEBOUNCE_MS };
        let built = built.clone();
        // `commit` is read when the effect runs, not a dependency: the
        // committed build must not be followed by a preview of the same files.
        use_effect_with((revision, settings.clone()), move |_| {
            let timer = Timeout::new(delay, move || {
                if !commit && *built.borrow() == Some((revision, settings.clone())) {
                    return;
                }
                let start = dom::now_ms();
                let analysis = Rc::new(bridge::analyze(&project));
                let build = session.borrow_mut().build(&project, &settings, commit);
                let ms = dom::now_ms() - start;
                dispatch.emit(Action::Built {
                    build: Rc::new(build),
                    revision,
                    analysis,
                    ms,
                });
                if commit {
                    dispatch.emit(Action::Images(Rc::new(session.borrow().images())));
                }
            });
            move || drop(timer)
        });
    }

    // Keep the project in local storage (not when embedded: a docs page
    // must not overwrite the learner's own work).
    {
        let snapshot_state = (*state).clone();
        let embed = state.embed;
        let dispatch = dispatch.clone();
        use_effect_with(
            (
                state.revision,
                state.tab,
                state.run_line.clone(),
                state.settings.clone(),
                state.selected.clone(),
            ),
            move |_| {
                let timer = (!embed).then(|| {
                    Timeout::new(SAVE_MS, move || {
                        let encoded = Snapshot::of(&snapshot_state).encode();
                        if !dom::save(share::STORAGE_KEY, &encoded) {
                            dom::forget(share::STORAGE_KEY);
                            dispatch.emit(Action::Notify(Notice {
                                error: true,
                                text: "This project is too large for the browser's local storage: a reload will not bring it back. Download it as a .tar.gz to keep it.".to_owned(),
                            }));
                        }
                    })
                });
                move || drop(timer)
            },
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
            let start = dom::now_ms();
            let analysis = Rc::new(bridge::analyze(&state.project));
            let build = session
                .borrow_mut()
                .build(&state.project, &state.settings, true);
            let ms = dom::now_ms() - start;
            dispatch.emit(Action::Built {
                build: Rc::new(build),
                revision: state.revision,
                analysis,
                ms,
            });
            dispatch.emit(Action::Images(Rc::new(session.borrow().images())));
            if state.tab != Tab::Build && state.tab != Tab::Layers {
                dispatch.emit(Action::SetTab(Tab::Build));
            }
        })
    };
    // Ctrl+Enter (Cmd+Enter) builds from anywhere on the page.
    {
        let latest = use_mut_ref(|| on_build.clone());
        *latest.borrow_mut() = on_build.clone();
        use_effect_with((), move |_| {
            let handler = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(
                move |e: web_sys::KeyboardEvent| {
                    if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                        e.prevent_default();
                        latest.borrow().emit(());
                    }
                },
            );
            let document = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &document {
                let _ =
                    d.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = &document {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        handler.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let on_sample = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| {
            if let Some(sample) = project::sample(&id) {
                dispatch.emit(Action::LoadSample(sample));
            }
        })
    };
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

    let view = match state.tab {
        Tab::Build => html! {
            <BuildView
                build={state.build.clone()}
                current={state.build_is_current()}
                settings={state.settings.clone()}
                image={state.project.name.clone()}
                stages={state.analysis.stages.clone()}
                selected={state.selected_step.map(|s| s.0)}
                on_action={on_action.clone()}
                on_build={on_build.clone()}
            />
        },
        Tab::Layers => {
            html! { <LayersView build={state.build.clone()} files={layer_files.clone()} /> }
        }
        Tab::Images => html! { <ImagesView images={state.images.clone()} /> },
        Tab::Run => html! {
            <RunView line={state.run_line.clone()} plan={run.clone()} on_action={on_action.clone()} />
        },
        Tab::Terminal => html! {
            <Terminal
                entries={state.terminal.clone()}
                history={state.history.clone()}
                image={state.project.name.clone()}
                on_command={on_terminal.clone()}
            />
        },
    };

    let problems = state.analysis.problems.clone();
    html! {
        <div class={classes!("app", state.embed.then_some("embed"))}>
            <Toolbar
                origin={state.project.origin.clone()}
                embed={state.embed}
                on_sample={on_sample}
                on_build={on_build.clone()}
                on_share={on_share}
                on_download={on_download}
                on_import={on_import.clone()}
            />
            <main class="workspace">
                if !state.embed {
                    <FileTree
                        project={state.project.clone()}
                        selected={state.selected.clone()}
                        ignored={ignored}
                        on_action={on_action.clone()}
                        on_import={on_import.clone()}
                    />
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
                    <CodeEditor
                        path={state.selected.clone()}
                        text={file.as_ref().map(|f| f.contents.clone()).unwrap_or_else(|| "".into())}
                        binary={file.as_ref().and_then(|f| f.binary.as_ref().map(|b| b.len()))}
                        epoch={state.epoch}
                        diagnostics={diagnostics}
                        highlight={highlight}
                        jump={state.jump}
                        on_change={on_edit}
                    />
                    if is_dockerfile {
                        <Problems problems={problems} on_action={on_action.clone()} />
                    }
                </section>
                <Results tab={state.tab} embed={state.embed} on_action={on_action.clone()}>
                    { view }
                </Results>
            </main>
            if !state.embed {
                <StatusBar
                    build={state.build.clone()}
                    current={state.build_is_current()}
                    engine_ms={state.engine_ms}
                    problems={state.analysis.problems.len()}
                />
            }
            <NoticeBar notice={state.notice.clone()} on_action={on_action.clone()} />
            if let Some(info) = state.share.clone() {
                <ShareDialog info={info} on_action={on_action} />
            }
        </div>
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
