//! The terminal: a simulated shell in the build context. Commands go up
//! to the app, which runs them through the engine; the transcript comes
//! back down. Up and Down walk the history.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::el::{cls, lit, text};
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
                { for props.entries.iter().map(|e| html! {
                    <div class={cls("term-entry", e.failed.then_some("failed"))}>
                        <div class="term-cmd"><span class="ps1" aria-hidden="true">{ "$ " }</span>{ e.command.clone() }</div>
                        if !e.output.is_empty() {
                            { text("pre", "term-out", &e.output) }
                        }
                    </div>
                }) }
                <div class="term-input-line">
                    <span class="ps1" aria-hidden="true">{ "$ " }</span>
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
