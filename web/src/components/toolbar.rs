//! The top bar: the product name, the sample picker (and the pickers the
//! app adds after it), and the Build, Share, Download and Import actions.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::el::{forward, lit};
use crate::project::SAMPLES;

/// Properties of the toolbar.
#[derive(PartialEq)]
pub struct ToolbarProps {
    /// The sample the project came from (`import` for an archive).
    pub origin: String,
    /// Embedded: only the Build button and a link to the full playground.
    pub embed: bool,
    /// A sample was picked (its id).
    pub on_sample: Callback<String>,
    /// Build now.
    pub on_build: Callback<()>,
    /// Open the share dialog.
    pub on_share: Callback<()>,
    /// Download the project.
    pub on_download: Callback<()>,
    /// Import an archive.
    pub on_import: Callback<web_sys::File>,
    /// More pickers, shown after the sample picker (the exercise picker).
    pub children: Html,
    /// The hidden file field the Import button opens (the app holds it).
    pub file_input: NodeRef,
}

/// The top bar.
pub fn toolbar(props: &ToolbarProps) -> Html {
    let file_input = props.file_input.clone();
    let on_change_sample = {
        let cb = props.on_sample.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                cb.emit(select.value());
            }
        })
    };
    let on_pick_file = {
        let input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    let on_file = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                cb.emit(file);
            }
            input.set_value("");
        })
    };
    let build = forward(&props.on_build);
    let share = forward(&props.on_share);
    let download = forward(&props.on_download);
    let imported = !SAMPLES.iter().any(|s| s.id == props.origin);

    if props.embed {
        let full = format!("{}#{}", crate::dom::page_base(), crate::dom::fragment());
        return html! {
            <header class="topbar compact">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    { lit("span", "brand-name", "LayerLab") }
                </div>
                <div class="actions">
                    <button class="btn primary" onclick={build} title="Build now (Ctrl+Enter)">
                        <span aria-hidden="true">{ "▶ " }</span>{ "Build" }
                    </button>
                    <a class="btn" href={full} target="_blank" rel="noopener">{ "Open in LayerLab ↗" }</a>
                </div>
            </header>
        };
    }

    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true"></span>
                { lit("h1", "", "LayerLab") }
                { lit("span", "tagline", "Dockerfile playground") }
            </div>
            <div class="actions" role="toolbar" aria-label="Project">
                <label class="sample-picker">
                    { lit("span", "label", "Sample") }
                    <select aria-label="Sample project" onchange={on_change_sample}>
                        if imported {
                            <option value="" selected=true disabled=true>{ "Imported project" }</option>
                        }
                        { for SAMPLES.iter().map(|s| html! {
                            <option value={s.id} selected={s.id == props.origin} title={s.summary}>{ s.title }</option>
                        }) }
                    </select>
                </label>
                { props.children.clone() }
                <button class="btn primary" onclick={build} title="Build now and update the cache (Ctrl+Enter)">
                    <span aria-hidden="true">{ "▶ " }</span>{ "Build" }
                </button>
                <span class="sep" aria-hidden="true"></span>
                <button class="btn" onclick={share} title="A link to this project">{ "Share" }</button>
                <button class="btn" onclick={download} title="Download the project as a .tar.gz">{ "Download" }</button>
                <button class="btn" onclick={on_pick_file} title="Open a .tar or .tar.gz build context">{ "Import…" }</button>
                <input
                    ref={file_input}
                    type="file"
                    class="visually-hidden"
                    tabindex="-1"
                    aria-label="Import a .tar or .tar.gz build context"
                    accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
                    onchange={on_file}
                />
            </div>
        </header>
    }
}
