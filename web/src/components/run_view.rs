//! The Run view: a `docker run` line and what it would do, as the engine
//! plans it: the process (argv, PID 1, user, working directory), each
//! published port and whether anything listens behind it, what the flags
//! mean, the environment, and warnings such as the old tutorial's
//! `-p 5000:80`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::RunVm;
use crate::state::Action;

/// Properties of the Run view.
#[derive(Properties, PartialEq)]
pub struct RunViewProps {
    /// The command line.
    pub line: String,
    /// Its plan.
    pub plan: Rc<RunVm>,
    /// Line changes go here.
    pub on_action: Callback<Action>,
}

/// The Run view.
#[function_component(RunView)]
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
        RunVm::Empty => html! { <p class="placeholder">{ "Type a docker run command." }</p> },
        RunVm::Error(e) => html! { <div class="error-box" role="alert">{ e.clone() }</div> },
        RunVm::Plan(p) => html! {
            <>
                if !p.warnings.is_empty() {
                    <div class="warning-box" role="alert">
                        <strong>{ "Warning" }</strong>
                        <ul>{ for p.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    </div>
                }
                <section class="card">
                    <h3>{ "Process" }</h3>
                    <dl class="facts">
                        <dt>{ "Command (argv)" }</dt><dd><code>{ p.argv.clone() }</code></dd>
                        <dt>{ "PID 1" }</dt><dd>{ p.pid1.clone() }</dd>
                        <dt>{ "Signals" }</dt><dd>{ p.signals.clone() }</dd>
                        <dt>{ "User" }</dt><dd><code>{ p.user.clone() }</code></dd>
                        <dt>{ "Working directory" }</dt><dd><code>{ p.cwd.clone() }</code></dd>
                        <dt>{ "Container" }</dt>
                        <dd>
                            <code>{ p.name.clone() }</code>
                            { if p.named { " (from --name)" } else { " (generated: no --name)" } }
                            { " from image " }<code>{ p.image.clone() }</code>
                            <span class="muted">{ format!(" — {}", p.image_source) }</span>
                        </dd>
                    </dl>
                </section>
                <section class="card">
                    <h3>{ "Ports" }</h3>
                    if p.ports.is_empty() {
                        <p class="muted">{ "No port is published: nothing on the host reaches the container (add -p HOST:CONTAINER)." }</p>
                    } else {
                        <ul class="ports">
                            { for p.ports.iter().map(|port| html! {
                                <li class={classes!("port", port.status)}>
                                    <code>{ port.display.clone() }</code>
                                    <span class={classes!("badge", port.status)}>{ port.label }</span>
                                    <span class="port-msg">{ port.message.clone() }</span>
                                </li>
                            }) }
                        </ul>
                    }
                    if !p.listening.is_empty() {
                        <p class="muted small">{ format!("The process listens: {}", p.listening.join("; ")) }</p>
                    }
                </section>
                <section class="card">
                    <h3>{ "What happens" }</h3>
                    <ul class="explain">
                        { for p.explanation.iter().map(|s| html! { <li>{ s.clone() }</li> }) }
                    </ul>
                    <p class="flags">
                        { for p.flags.iter().map(|(flag, on)| html! {
                            <span class={classes!("flag", on.then_some("on"))}>{ *flag }</span>
                        }) }
                    </p>
                    if !p.stderr.is_empty() {
                        <pre class="terminal-text small">{ p.stderr.join("\n") }</pre>
                    }
                </section>
                <details class="card env">
                    <summary>{ format!("Environment ({} variables)", p.env.len()) }</summary>
                    <table>
                        <tbody>
                            { for p.env.iter().map(|v| html! {
                                <tr><td><code>{ v.key.clone() }</code></td><td><code>{ v.value.clone() }</code></td><td class="muted">{ v.origin }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            </>
        },
    };
    let preset = |label: &'static str, line: String| {
        let on_action = props.on_action.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| on_action.emit(Action::SetRunLine(line.clone())));
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
        <div class="view run-view">
            <label class="run-line">
                <span class="label">{ "Command" }</span>
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
                    <span class="muted">{ "Try: " }</span>
                    { preset("-p 5000:8080 (ASP.NET Core 8)", with_port("5000:8080")) }
                    { preset("-p 5000:80 (older tutorial)", with_port("5000:80")) }
                </p>
            }
            { body }
        </div>
    }
}
