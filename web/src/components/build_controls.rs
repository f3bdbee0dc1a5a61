//! The Build view's controls: the `docker build` line it runs, `--target`,
//! `--build-arg`, `--no-cache`, and the Build button.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::bridge::BuildSettings;
use crate::components::el::{forward, lit};
use crate::state::Action;

/// Properties of the build controls.
#[derive(PartialEq)]
pub struct BuildControlsProps {
    /// Current settings.
    pub settings: BuildSettings,
    /// Stage names of the Dockerfile (`--target` choices).
    pub stages: Vec<String>,
    /// The command line the settings make.
    pub command: String,
    /// Settings changes go here.
    pub on_action: Callback<Action>,
    /// Build now.
    pub on_build: Callback<()>,
}

/// The controls.
pub fn build_controls(props: &BuildControlsProps) -> Html {
    let on_target = {
        let settings = props.settings.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                let mut s = settings.clone();
                s.target = el.value();
                on_action.emit(Action::SetSettings(s));
            }
        })
    };
    let on_args = {
        let settings = props.settings.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                let mut s = settings.clone();
                s.build_args = el.value();
                on_action.emit(Action::SetSettings(s));
            }
        })
    };
    let on_no_cache = {
        let settings = props.settings.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                let mut s = settings.clone();
                s.no_cache = el.checked();
                on_action.emit(Action::SetSettings(s));
            }
        })
    };
    let build = forward(&props.on_build);
    let target_known =
        props.settings.target.is_empty() || props.stages.contains(&props.settings.target);
    html! {
        <div class="build-controls">
            <div class="command-line">
                <code class="prompt" aria-label="Build command">{ format!("$ {}", props.command) }</code>
                <button class="btn primary small" onclick={build}>{ "Build" }</button>
            </div>
            <div class="control-row">
                <label class="control">
                    { lit("span", "label", "--target") }
                    <select onchange={on_target} aria-label="Target stage (--target)">
                        <option value="" selected={props.settings.target.is_empty()}>{ "last stage (default)" }</option>
                        { for props.stages.iter().map(|s| html! {
                            <option value={s.clone()} selected={*s == props.settings.target}>{ s.clone() }</option>
                        }) }
                        if !target_known {
                            <option value={props.settings.target.clone()} selected=true>{ props.settings.target.clone() }</option>
                        }
                    </select>
                </label>
                <label class="control grow">
                    { lit("span", "label", "--build-arg") }
                    <textarea
                        rows="1"
                        placeholder="NAME=value"
                        aria-label="Build arguments (--build-arg), one NAME=value per line"
                        spellcheck="false"
                        value={props.settings.build_args.clone()}
                        oninput={on_args}
                    />
                </label>
                <label class="control check">
                    <input type="checkbox" checked={props.settings.no_cache} onchange={on_no_cache} />
                    { lit("span", "", "--no-cache") }
                </label>
            </div>
        </div>
    }
}
