//! The code editor: hosts the CodeMirror view (see `crate::editor`) and
//! keeps it in step with the state: the open file, diagnostics, the
//! highlighted build step, and cursor jumps from the Problems list.
//!
//! The editor owns the text while the learner types: it reports every
//! change up, and the state's text is pushed back into it only when the
//! file or the whole project changes, so a late re-render can never undo
//! a keystroke.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};
use crate::components::tab_view::use_node;

use crate::editor::{self, JsEditor};
use crate::state::Jump;

/// Properties of the editor.
#[derive(PartialEq)]
pub struct CodeEditorProps {
    /// The open file.
    pub path: String,
    /// Its text.
    pub text: Rc<str>,
    /// For a binary file, its size (the editor is then hidden).
    pub binary: Option<usize>,
    /// Changes when a new project is loaded.
    pub epoch: u64,
    /// Diagnostics as JSON for the editor.
    pub diagnostics: Rc<str>,
    /// Lines to highlight (the selected build step).
    pub highlight: Option<(usize, usize)>,
    /// A requested cursor move.
    pub jump: Option<Jump>,
    /// `(path, text)` after every edit.
    pub on_change: Callback<(String, String)>,
}

/// The open path and the change callback, as the change handler reads them.
type Current = (String, Callback<(String, String)>);

/// The editor pane's body. A hook: the app calls it on every render (the
/// editor's state and effects live in the app's hooks) and shows what it
/// returns.
#[hook]
pub fn use_code_editor(props: &CodeEditorProps) -> Html {
    let host = use_node();
    let view: Rc<RefCell<Option<JsEditor>>> = use_mut_ref(|| None);
    // What the change handler needs, always the latest.
    let current: Rc<RefCell<Current>> =
        use_mut_ref(|| (props.path.clone(), props.on_change.clone()));
    *current.borrow_mut() = (props.path.clone(), props.on_change.clone());
    let available = editor::available();

    // Create the view once; destroy it with the app.
    {
        let host = host.clone();
        let view = view.clone();
        let current = current.clone();
        use_effect_when(
            Deps::of(()),
            Box::new(move || {
                let closure = Closure::<dyn FnMut(String)>::new(move |text: String| {
                    let (path, cb) = current.borrow().clone();
                    cb.emit((path, text));
                });
                if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                    if editor::available() {
                        *view.borrow_mut() =
                            Some(JsEditor::new(&el, closure.as_ref().unchecked_ref()));
                    }
                }
                Box::new(move || {
                    if let Some(v) = view.borrow_mut().take() {
                        v.destroy();
                    }
                    drop(closure);
                })
            }),
        );
    }

    // Open the file (and forget old undo histories on a new project).
    {
        let view = view.clone();
        let text = props.text.clone();
        let last_epoch = use_mut_ref(|| 0_u64);
        let (path, epoch) = (props.path.clone(), props.epoch);
        use_effect_when(
            Deps::of((path.clone(), epoch)),
            Box::new(move || {
                if let Some(v) = view.borrow().as_ref() {
                    if *last_epoch.borrow() != epoch {
                        v.reset();
                        *last_epoch.borrow_mut() = epoch;
                    }
                    v.open(
                        &path,
                        &text,
                        editor::language_for(&path),
                        &format!("Contents of {path}"),
                    );
                }
                no_cleanup()
            }),
        );
    }

    {
        let view = view.clone();
        let json = props.diagnostics.clone();
        use_effect_when(
            Deps::of((json.clone(), props.path.clone(), props.epoch)),
            Box::new(move || {
                if let Some(v) = view.borrow().as_ref() {
                    v.set_diagnostics(&json);
                }
                no_cleanup()
            }),
        );
    }

    {
        let view = view.clone();
        let h = props.highlight;
        use_effect_when(
            Deps::of((h, props.path.clone())),
            Box::new(move || {
                if let Some(v) = view.borrow().as_ref() {
                    let (a, b) = h.unwrap_or((0, 0));
                    v.highlight_lines(a as u32, b as u32);
                }
                no_cleanup()
            }),
        );
    }

    {
        let view = view.clone();
        let jump = props.jump;
        use_effect_when(
            Deps::of(jump),
            Box::new(move || {
                if let (Some(v), Some(j)) = (view.borrow().as_ref(), jump) {
                    v.goto_line(j.line as u32, j.column as u32);
                }
                no_cleanup()
            }),
        );
    }

    html! {
        <div class="editor-body">
            if !available {
                <p class="editor-missing">
                    { "The code editor did not load (web/editor/dist/editor.js). Rebuild with ./x build." }
                </p>
            }
            if let Some(size) = props.binary {
                <p class="binary-file">
                    { format!("{} is a binary file ({size} bytes): it is part of the build context but cannot be edited here.", props.path) }
                </p>
            }
            <div ref={host} class="cm-host" hidden={props.binary.is_some()} data-path={props.path.clone()}></div>
        </div>
    }
}
