//! The terminal: a simulated shell in the build context. Commands go up
//! to the app, which runs them through the engine; the transcript comes
//! back down. Up and Down walk the history.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::el::{cls, lit, text};
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

/// The terminal; `input` is the line being typed and `cursor` the
/// position in the history while walking it (`None`: the new line), state
/// of the [`TabView`] that shows it (which also keeps the transcript
/// scrolled to its end).
///
/// [`TabView`]: crate::components::tab_view::TabView
pub fn terminal(
    props: &TerminalProps,
    input: UseStateHandle<String>,
    cursor: UseStateHandle<Option<usize>>,
) -> Html {
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                input.set(el.value());
            }
        })
    };
    let onkeydown = {
        let input = input.clone();
        let cursor = cursor.clone();
        let history = props.history.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                let line = (*input).clone();
                input.set(String::new());
                cursor.set(None);
                on_command.emit(line);
            }
            "ArrowUp" => {
                e.prevent_default();
                if history.is_empty() {
                    return;
                }
                let i = match *cursor {
                    None => history.len() - 1,
                    Some(i) => i.saturating_sub(1),
                };
                cursor.set(Some(i));
                input.set(history[i].clone());
            }
            "ArrowDown" => {
                e.prevent_default();
                match *cursor {
                    Some(i) if i + 1 < history.len() => {
                        cursor.set(Some(i + 1));
                        input.set(history[i + 1].clone());
                    }
                    _ => {
                        cursor.set(None);
                        input.set(String::new());
                    }
                }
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
                        value={(*input).clone()}
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
