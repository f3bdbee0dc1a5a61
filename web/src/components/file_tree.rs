//! The build context as a file tree: open, add, rename and delete files;
//! files `.dockerignore` excludes are greyed (the engine decides which).

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};

use crate::components::el::{cls, lit, send, text};
use crate::components::tab_view::ViewState;
use crate::project::{tree_rows, Project, ProjectFile};
use crate::state::{Action, Notice};

/// Properties of the file tree.
#[derive(PartialEq)]
pub struct FileTreeProps {
    /// The files.
    pub project: Rc<Project>,
    /// The open file.
    pub selected: String,
    /// Excluded files and the pattern that excludes each.
    pub ignored: Rc<BTreeMap<String, String>>,
    /// Where actions go.
    pub on_action: Callback<Action>,
    /// A `.tar` / `.tar.gz` was dropped on the tree.
    pub on_import: Callback<web_sys::File>,
}

/// What the file tree is editing.
#[derive(Clone, Default, PartialEq)]
pub enum Editing {
    /// Nothing.
    #[default]
    None,
    /// A new file's name.
    New,
    /// Renaming this path (file or folder).
    Rename(String),
}

/// Sets what the tree is editing, keeping the rest of the state.
fn set_editing(state: &UseStateHandle<ViewState>, editing: Editing) {
    state.set(ViewState {
        editing,
        ..(**state).clone()
    });
}

/// Sets whether a file is dragged over the tree, keeping the rest of the
/// state.
fn set_dragging(state: &UseStateHandle<ViewState>, dragging: bool) {
    state.set(ViewState {
        dragging,
        ..(**state).clone()
    });
}

/// Checks a path typed by the learner; the engine's context rules decide.
fn clean(path: &str) -> Result<String, String> {
    let trimmed = path.trim();
    if trimmed.is_empty() || trimmed.ends_with('/') {
        return Err("a file needs a name".to_owned());
    }
    layerlab_engine::context::Context::clean_path(trimmed).map_err(|e| e.message)
}

/// The build context. A hook: the app calls it on every render (its
/// state lives in the app's hooks) and shows what it returns.
#[hook]
pub fn use_file_tree(props: &FileTreeProps) -> Html {
    let state = use_state(ViewState::default);
    let editing = &state.editing;
    let rows = tree_rows(&props.project.files);

    // What is being edited, read when the edit ends: Enter, Escape and the
    // blur that follows the field's removal all end it, only the first counts.
    let pending = use_mut_ref(|| Editing::None);
    if *editing != Editing::None && *pending.borrow() == Editing::None {
        *pending.borrow_mut() = editing.clone();
    }
    let commit = {
        let state = state.clone();
        let pending = pending.clone();
        let on_action = props.on_action.clone();
        let project = props.project.clone();
        Callback::from(move |value: String| {
            let mode = std::mem::replace(&mut *pending.borrow_mut(), Editing::None);
            if mode == Editing::None {
                return;
            }
            set_editing(&state, Editing::None);
            let path = match clean(&value) {
                Ok(p) => p,
                Err(e) => {
                    if !value.trim().is_empty() {
                        on_action.emit(Action::Notify(Notice {
                            error: true,
                            text: format!("{value}: {e}"),
                        }));
                    }
                    return;
                }
            };
            match mode {
                Editing::New => {
                    if project.file(&path).is_some() {
                        on_action.emit(Action::Select(path));
                    } else {
                        on_action.emit(Action::AddFile(ProjectFile::text(path, "")));
                    }
                }
                Editing::Rename(from) => {
                    if project.file(&path).is_some() && path != from {
                        on_action.emit(Action::Notify(Notice {
                            error: true,
                            text: format!("{path} already exists"),
                        }));
                    } else {
                        on_action.emit(Action::Rename { from, to: path });
                    }
                }
                Editing::None => {}
            }
        })
    };
    let input = |initial: String, label: String| {
        let commit = commit.clone();
        let cancel = state.clone();
        let pending = pending.clone();
        let onkeydown = {
            let commit = commit.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" {
                    e.prevent_default();
                    if let Some(el) = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    {
                        commit.emit(el.value());
                    }
                } else if e.key() == "Escape" {
                    *pending.borrow_mut() = Editing::None;
                    set_editing(&cancel, Editing::None);
                }
            })
        };
        let onblur = Callback::from(move |e: FocusEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                commit.emit(el.value());
            }
        });
        html! {
            <input
                class="tree-input"
                data-initial={initial}
                aria-label={label}
                spellcheck="false"
                {onkeydown}
                {onblur}
            />
        }
    };

    // Fill and focus the name field when it appears.
    let now_editing = *editing != Editing::None;
    use_effect_when(
        Deps::of(editing.clone()),
        Box::new(move || {
            if now_editing {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector(".tree-input").ok().flatten())
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                {
                    // The field is not a controlled input (Yew would put its
                    // `value` back on every render): it starts with the path.
                    el.set_value(&el.get_attribute("data-initial").unwrap_or_default());
                    let _ = el.focus();
                    el.select();
                }
            }
            no_cleanup()
        }),
    );

    let add = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| set_editing(&state, Editing::New))
    };
    let excluded = props.ignored.len();

    let dragging = state.dragging;
    let ondragover = {
        let state = state.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !state.dragging {
                set_dragging(&state, true);
            }
        })
    };
    let ondragleave = {
        let state = state.clone();
        Callback::from(move |_: DragEvent| set_dragging(&state, false))
    };
    let ondrop = {
        let state = state.clone();
        let on_import = props.on_import.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            set_dragging(&state, false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                on_import.emit(file);
            }
        })
    };

    html! {
        <nav class={classes!("pane", "files", dragging.then_some("drop-target"))} aria-label="Build context"
             {ondragover} {ondragleave} {ondrop}>
            <div class="pane-title">
                { lit("span", "", "Build context") }
                <button class="icon-btn" onclick={add} title="New file" aria-label="New file">{ "+" }</button>
            </div>
            <ul class="tree" role="list">
                if *editing == Editing::New {
                    <li class="row editing">{ input(String::new(), "New file path".to_owned()) }</li>
                }
                { for rows.into_iter().map(|row| {
                    let style = format!("--depth: {}", row.depth);
                    if *editing == Editing::Rename(row.path.clone()) {
                        return html! {
                            <li class="row editing" {style}>{ input(row.path.clone(), format!("New path for {}", row.path)) }</li>
                        };
                    }
                    let rename = {
                        let state = state.clone();
                        let path = row.path.clone();
                        Callback::from(move |_: MouseEvent| set_editing(&state, Editing::Rename(path.clone())))
                    };
                    match row.file {
                        None => html! {
                            <li class="row dir" {style}>
                                { text("span", "dir-name", &row.label) }
                                <span class="row-actions">
                                    <button class="icon-btn" onclick={rename} title={format!("Rename folder {}", row.path)} aria-label={format!("Rename folder {}", row.path)}>{ "✎" }</button>
                                </span>
                            </li>
                        },
                        Some(_) => {
                            let path = row.path.clone();
                            let selected = path == props.selected;
                            let ignored = props.ignored.get(&path);
                            let select = send(&props.on_action, Action::Select(path.clone()));
                            let delete = {
                                let on_action = props.on_action.clone();
                                let path = path.clone();
                                Callback::from(move |_: MouseEvent| {
                                    let ok = web_sys::window()
                                        .and_then(|w| w.confirm_with_message(&format!("Delete {path}?")).ok())
                                        .unwrap_or(true);
                                    if ok {
                                        on_action.emit(Action::Delete(path.clone()));
                                    }
                                })
                            };
                            let title = match ignored {
                                Some(pattern) => format!("{path}: not sent to the build (.dockerignore {pattern})"),
                                None => path.clone(),
                            };
                            html! {
                                <li class={cls("row", ignored.is_some().then_some("ignored"))} {style}>
                                    <button
                                        class={cls("file", selected.then_some("selected"))}
                                        {title}
                                        aria-current={selected.then_some("true")}
                                        onclick={select}
                                    >
                                        { row.label.clone() }
                                    </button>
                                    <span class="row-actions">
                                        <button class="icon-btn" onclick={rename} title={format!("Rename {path}")} aria-label={format!("Rename {path}")}>{ "✎" }</button>
                                        <button class="icon-btn" onclick={delete} title={format!("Delete {path}")} aria-label={format!("Delete {path}")}>{ "×" }</button>
                                    </span>
                                </li>
                            }
                        }
                    }
                }) }
            </ul>
            <p class="tree-foot muted">
                { format!("{} files", props.project.files.len()) }
                if excluded > 0 {
                    { format!(" · {excluded} excluded by .dockerignore (greyed)") }
                }
                <br />
                { "Drop a .tar or .tar.gz here to import it." }
            </p>
        </nav>
    }
}
