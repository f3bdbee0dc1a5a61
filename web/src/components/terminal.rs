//! The terminal: a simulated shell in the build context. Commands go up
//! to the app, which runs them through the engine; the transcript comes
//! back down. Up and Down walk the history.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::el::{attr, class_of, el, lit, lit_text, tag, text, txt};
use crate::components::tab_view::ViewState;
use crate::state::TermEntry;

/// Properties of the terminal.
#[derive(PartialEq)]
pub struct TerminalProps {
    /// The transcript.
    pub entries: Rc<Vec<TermEntry>>,
    /// Commands typed, oldest first.
    pub history: Rc<Vec<String>>,
    /// The project's image name (for the hint).
    pub image: String,
    /// A command was entered.
    pub on_command: Callback<String>,
}

/// The prompt: `<span class="ps1" aria-hidden="true">$ </span>`.
fn prompt() -> Html {
    tag(
        "span",
        &["aria-hidden", "class"],
        vec![attr("true"), attr("ps1")],
        Vec::new(),
        vec![lit_text("$ ")],
    )
}

/// One command of the transcript and its output.
pub(crate) fn entry(e: &TermEntry) -> Html {
    let output = if e.output.is_empty() {
        Html::default()
    } else {
        text("pre", "term-out", &e.output)
    };
    tag(
        "div",
        &["class"],
        vec![class_of("term-entry", e.failed.then_some("failed"))],
        Vec::new(),
        vec![
            el("div", "term-cmd", vec![prompt(), txt(&e.command)]),
            output,
        ],
    )
}

/// The terminal; `state.input` is the line being typed and
/// `state.cursor` the position in the history while walking it (`None`:
/// the new line), state of the [`TabView`] that shows it (which also
/// keeps the transcript scrolled to its end).
///
/// [`TabView`]: crate::components::tab_view::TabView
pub fn terminal(props: &TerminalProps, state: UseStateHandle<ViewState>) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                state.set(ViewState {
                    input: el.value(),
                    ..(*state).clone()
                });
            }
        })
    };
    let onkeydown = {
        let state = state.clone();
        let history = props.history.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                let line = state.input.clone();
                state.set(ViewState {
                    input: String::new(),
                    cursor: None,
                    ..(*state).clone()
                });
                on_command.emit(line);
            }
            "ArrowUp" => {
                e.prevent_default();
                if history.is_empty() {
                    return;
                }
                let i = match state.cursor {
                    None => history.len() - 1,
                    Some(i) => i.saturating_sub(1),
                };
                state.set(ViewState {
                    input: history[i].clone(),
                    cursor: Some(i),
                    ..(*state).clone()
                });
            }
            "ArrowDown" => {
                e.prevent_default();
                let (input, cursor) = match state.cursor {
                    Some(i) if i + 1 < history.len() => (history[i + 1].clone(), Some(i + 1)),
                    _ => (String::new(), None),
                };
                state.set(ViewState {
                    input,
                    cursor,
                    ..(*state).clone()
                });
            }
            "l" if e.ctrl_key() => {
                e.prevent_default();
                on_command.emit("clear".to_owned());
            }
            _ => {}
        })
    };
    let focus = Callback::from(|_: MouseEvent| crate::dom::focus("terminal-input"));
    html! {
        <div class="view terminal-view">
            <div id="terminal-screen" class="terminal" onclick={focus} role="log" aria-live="polite" aria-label="Terminal output">
                if props.entries.is_empty() {
                    <p class="term-hint">
                        { "A simulated shell in your build context. Try " }
                        { text("code", "", &format!("docker build -t {} .", props.image)) }
                        { ", " }{ lit("code", "", "ls") }{ " or " }{ lit("code", "", "help") }{ "." }
                    </p>
                }
                { for props.entries.iter().map(entry) }
                <div class="term-input-line">
                    { prompt() }
                    <input
                        id="terminal-input"
                        class="term-input"
                        type="text"
                        value={state.input.clone()}
                        {oninput}
                        {onkeydown}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        aria-label="Terminal command"
                    />
                </div>
            </div>
        </div>
    }
}
