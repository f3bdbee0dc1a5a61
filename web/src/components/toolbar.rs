//! The top bar: the product name, the sample picker (and the pickers the
//! app adds after it), and the Build, Share, Download and Import actions.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::el::{
    attr, attr_if, attr_of, button, change, el, forward, lit, lit_text, tag,
};
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

    let play = || {
        tag(
            "span",
            &["aria-hidden"],
            vec![attr("true")],
            Vec::new(),
            vec![lit_text("▶ ")],
        )
    };
    let logo = || {
        tag(
            "span",
            &["aria-hidden", "class"],
            vec![attr("true"), attr("logo")],
            Vec::new(),
            vec![],
        )
    };

    if props.embed {
        let full = format!("{}#{}", crate::dom::page_base(), crate::dom::fragment());
        return el(
            "header",
            "topbar compact",
            vec![
                el(
                    "div",
                    "brand",
                    vec![logo(), lit("span", "brand-name", "LayerLab")],
                ),
                el(
                    "div",
                    "actions",
                    vec![
                        button(
                            "btn primary",
                            "Build now (Ctrl+Enter)",
                            build,
                            vec![play(), lit_text("Build")],
                        ),
                        tag(
                            "a",
                            &["href", "target", "rel", "class"],
                            vec![attr_of(full), attr("_blank"), attr("noopener"), attr("btn")],
                            Vec::new(),
                            vec![lit_text("Open in LayerLab ↗")],
                        ),
                    ],
                ),
            ],
        );
    }

    let imported_option = if imported {
        tag(
            "option",
            &["value", "selected", "disabled"],
            vec![attr(""), attr("selected"), attr("disabled")],
            Vec::new(),
            vec![lit_text("Imported project")],
        )
    } else {
        Html::default()
    };
    let mut options = vec![imported_option];
    options.extend(SAMPLES.iter().map(|s| {
        tag(
            "option",
            &["title", "value", "selected"],
            vec![
                attr(s.summary),
                attr(s.id),
                attr_if(s.id == props.origin, "selected"),
            ],
            Vec::new(),
            vec![lit_text(s.title)],
        )
    }));
    let sample_picker = el(
        "label",
        "sample-picker",
        vec![
            lit("span", "label", "Sample"),
            tag(
                "select",
                &["aria-label"],
                vec![attr("Sample project")],
                vec![change(on_change_sample)],
                options,
            ),
        ],
    );
    let input = html! {
        <input
            ref={file_input}
            type="file"
            class="visually-hidden"
            tabindex="-1"
            aria-label="Import a .tar or .tar.gz build context"
            accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
            onchange={on_file}
        />
    };
    el(
        "header",
        "topbar",
        vec![
            el(
                "div",
                "brand",
                vec![
                    logo(),
                    lit("h1", "", "LayerLab"),
                    lit("span", "tagline", "Dockerfile playground"),
                ],
            ),
            tag(
                "div",
                &["role", "aria-label", "class"],
                vec![attr("toolbar"), attr("Project"), attr("actions")],
                Vec::new(),
                vec![
                    sample_picker,
                    props.children.clone(),
                    button(
                        "btn primary",
                        "Build now and update the cache (Ctrl+Enter)",
                        build,
                        vec![play(), lit_text("Build")],
                    ),
                    tag(
                        "span",
                        &["aria-hidden", "class"],
                        vec![attr("true"), attr("sep")],
                        Vec::new(),
                        vec![],
                    ),
                    button(
                        "btn",
                        "A link to this project",
                        share,
                        vec![lit_text("Share")],
                    ),
                    button(
                        "btn",
                        "Download the project as a .tar.gz",
                        download,
                        vec![lit_text("Download")],
                    ),
                    button(
                        "btn",
                        "Open a .tar or .tar.gz build context",
                        on_pick_file,
                        vec![lit_text("Import…")],
                    ),
                    input,
                ],
            ),
        ],
    )
}
