//! The Run view: a `docker run` line and what it would do, as the engine
//! plans it: the process (argv, PID 1, user, working directory), each
//! published port and whether anything listens behind it, what the flags
//! mean, the environment, and warnings such as the old tutorial's
//! `-p 5000:80`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew::virtual_dom::VText;

use crate::bridge::RunVm;
use crate::components::el::{cls, el, lit, send, text, txt};
use crate::state::Action;

/// Properties of the Run view.
#[derive(PartialEq)]
pub struct RunViewProps {
    /// The command line.
    pub line: String,
    /// Its plan.
    pub plan: Rc<RunVm>,
    /// Line changes go here.
    pub on_action: Callback<Action>,
}

/// The Run view. Its root carries a key, so a switch from another tab's
/// view replaces the element, as it replaces a component.
pub fn run_view(props: &RunViewProps) -> Html {
    let oninput = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_action.emit(Action::SetRunLine(el.value()));
            }
        })
    };
    let body = match &*props.plan {
        RunVm::Empty => lit("p", "placeholder", "Type a docker run command."),
        RunVm::Error(e) => html! { <div class="error-box" role="alert">{ txt(e) }</div> },
        RunVm::Plan(p) => {
            let mut facts = Vec::with_capacity(12);
            for (name, value, code) in [
                ("Command (argv)", &p.argv, true),
                ("PID 1", &p.pid1, false),
                ("Signals", &p.signals, false),
                ("User", &p.user, true),
                ("Working directory", &p.cwd, true),
            ] {
                facts.push(lit("dt", "", name));
                facts.push(if code {
                    el("dd", "", vec![text("code", "", value)])
                } else {
                    text("dd", "", value)
                });
            }
            facts.push(lit("dt", "", "Container"));
            facts.push(el(
                "dd",
                "",
                vec![
                    text("code", "", &p.name),
                    txt(if p.named {
                        " (from --name)"
                    } else {
                        " (generated: no --name)"
                    }),
                    Html::VText(VText::new(" from image ")),
                    text("code", "", &p.image),
                    text("span", "muted", &format!(" — {}", p.image_source)),
                ],
            ));
            html! {
            <>
                if !p.warnings.is_empty() {
                    <div class="warning-box" role="alert">
                        { lit("strong", "", "Warning") }
                        { el("ul", "", p.warnings.iter().map(|w| text("li", "", w)).collect()) }
                    </div>
                }
                { el("section", "card", vec![lit("h3", "", "Process"), el("dl", "facts", facts)]) }
                <section class="card">
                    { lit("h3", "", "Ports") }
                    if p.ports.is_empty() {
                        { lit("p", "muted", "No port is published: nothing on the host reaches the container (add -p HOST:CONTAINER).") }
                    } else {
                        <ul class="ports">
                            { for p.ports.iter().map(|port| html! {
                                <li class={cls("port", Some(port.status))}>
                                    { text("code", "", &port.display) }
                                    <span class={cls("badge", Some(port.status))}>{ port.label }</span>
                                    { text("span", "port-msg", &port.message) }
                                </li>
                            }) }
                        </ul>
                    }
                    if !p.listening.is_empty() {
                        { text("p", "muted small", &format!("The process listens: {}", p.listening.join("; "))) }
                    }
                </section>
                <section class="card">
                    { lit("h3", "", "What happens") }
                    { el("ul", "explain", p.explanation.iter().map(|s| text("li", "", s)).collect()) }
                    <p class="flags">
                        { for p.flags.iter().map(|(flag, on)| html! {
                            <span class={cls("flag", on.then_some("on"))}>{ *flag }</span>
                        }) }
                    </p>
                    if !p.stderr.is_empty() {
                        { text("pre", "terminal-text small", &p.stderr.join("\n")) }
                    }
                </section>
                <details class="card env">
                    { text("summary", "", &format!("Environment ({} variables)", p.env.len())) }
                    <table>
                        <tbody>
                            { for p.env.iter().map(|v| el("tr", "", vec![
                                el("td", "", vec![text("code", "", &v.key)]),
                                el("td", "", vec![text("code", "", &v.value)]),
                                text("td", "muted", v.origin),
                            ])) }
                        </tbody>
                    </table>
                </details>
            </>
            }
        }
    };
    let preset = |label: &'static str, line: String| {
        let onclick = send(&props.on_action, Action::SetRunLine(line));
        html! { <button class="chip" {onclick}>{ label }</button> }
    };
    let with_port = |port: &str| -> String {
        let words: Vec<&str> = props.line.split_whitespace().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if words[i] == "-p" && i + 1 < words.len() {
                out.push("-p".to_owned());
                out.push(port.to_owned());
                i += 2;
                continue;
            }
            out.push(words[i].to_owned());
            i += 1;
        }
        out.join(" ")
    };
    html! {
        <div key="run" class="view run-view">
            <label class="run-line">
                { lit("span", "label", "Command") }
                <input
                    class="code-input"
                    type="text"
                    value={props.line.clone()}
                    {oninput}
                    spellcheck="false"
                    autocomplete="off"
                    aria-label="docker run command line"
                />
            </label>
            if props.line.contains(" -p ") {
                <p class="presets">
                    { lit("span", "muted", "Try: ") }
                    { preset("-p 5000:8080 (ASP.NET Core 8)", with_port("5000:8080")) }
                    { preset("-p 5000:80 (older tutorial)", with_port("5000:80")) }
                </p>
            }
            { body }
        </div>
    }
}
