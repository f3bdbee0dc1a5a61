//! The Layers view: the built image's layers as a stack sized by bytes,
//! base-image layers marked with their source image, the build's own
//! layers with the instruction that made them; and which base images the
//! build used but left out of the final image. A stage picker shows the
//! layers and files of an intermediate stage instead (the `build` stage
//! on the sdk image, say), which the final image only takes files from.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{size_text, BuildVm, FileChangeVm, LayerFilesVm, LayerVm, StageLayersVm};
use crate::components::el::{attr, attr_of, class_of, cls, el, lit, lit_text, tag, text, txt};
use crate::components::tab_view::ViewState;

/// Properties of the Layers view.
#[derive(PartialEq)]
pub struct LayersViewProps {
    /// The latest build.
    pub build: Option<Rc<BuildVm>>,
    /// The files of its own layers, and its wasted space.
    pub files: Rc<Option<LayerFilesVm>>,
}

pub(crate) fn summary(changes: &[crate::bridge::FileChangeVm]) -> String {
    let count = |k: &str| changes.iter().filter(|c| c.change == k).count();
    let mut parts = Vec::new();
    for (k, label) in [
        ("added", "added"),
        ("changed", "changed"),
        ("deleted", "deleted"),
    ] {
        let n = count(k);
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    format!("Files: {}", parts.join(", "))
}

pub(crate) fn layer_source(l: &LayerVm, own: &str) -> String {
    match (&l.base, &l.stage) {
        (Some(image), _) => format!("from {image}"),
        (None, Some(stage)) => format!("from stage {stage}"),
        (None, None) => own.to_owned(),
    }
}

/// The layers, top first, with the files of each (`files(i)` for layer
/// `i`, bottom first); `own` names where the build's own layers come from.
pub(crate) fn layer_list(
    layers: &[LayerVm],
    own: &str,
    files: &dyn Fn(usize) -> Option<Vec<FileChangeVm>>,
) -> Html {
    let rows = layers.iter().enumerate().rev().map(|(i, l)| {
        let changes = if l.base.is_none() { files(i) } else { None };
        let kind = match (&l.base, &l.stage) {
            (Some(_), _) => "base",
            (None, Some(_)) => "inherited",
            (None, None) => "own",
        };
        let files = match changes {
            Some(changes) if !changes.is_empty() => {
                let rows = changes.iter().take(200).map(|c| {
                    let mark = tag(
                        "span",
                        &["aria-label", "class"],
                        vec![attr(c.change), attr("mark")],
                        Vec::new(),
                        vec![lit_text(match c.change {
                            "added" => "+",
                            "deleted" => "−",
                            _ => "~",
                        })],
                    );
                    tag(
                        "li",
                        &["class"],
                        vec![class_of("change", Some(c.change))],
                        Vec::new(),
                        vec![
                            mark,
                            text("code", "", &c.path),
                            text("span", "muted", &c.size),
                        ],
                    )
                });
                let more = if changes.len() > 200 {
                    text("p", "muted", &format!("… and {} more", changes.len() - 200))
                } else {
                    Html::default()
                };
                el(
                    "details",
                    "layer-files",
                    vec![
                        text("summary", "", &summary(&changes)),
                        el("ul", "", rows.collect()),
                        more,
                    ],
                )
            }
            _ => Html::default(),
        };
        tag(
            "li",
            &["class"],
            vec![class_of("layer", Some(kind))],
            Vec::new(),
            vec![
                text("span", "layer-size", &l.size_text),
                tag(
                    "code",
                    &["title", "class"],
                    vec![attr_of(l.created_by.clone()), attr("layer-cmd")],
                    Vec::new(),
                    vec![txt(&l.created_by)],
                ),
                el(
                    "span",
                    "layer-meta",
                    vec![
                        text("span", "layer-src", &layer_source(l, own)),
                        text("span", "digest muted", &format!(" · {}", l.digest)),
                    ],
                ),
                files,
            ],
        )
    });
    tag(
        "ol",
        &["reversed", "class"],
        vec![attr("reversed"), attr("layer-list")],
        Vec::new(),
        rows.collect(),
    )
}

/// The stage picker: the final image, or another stage's layers.
fn stage_picker(stages: &[StageLayersVm], shown: &str, on_pick: Callback<Event>) -> Html {
    html! {
        <label class="stage-picker control">
            { lit("span", "label", "Stage") }
            <select aria-label="Stage whose layers are shown" onchange={on_pick}>
                { for stages.iter().map(|s| {
                    let text = if s.target {
                        format!("{} (the image built)", s.name)
                    } else if s.needed {
                        format!("{} · {}", s.name, s.base)
                    } else {
                        format!("{} (skipped: not needed for the target)", s.name)
                    };
                    html! {
                        <option value={s.name.clone()} selected={s.name == shown} disabled={!s.needed}>{ text }</option>
                    }
                }) }
            </select>
        </label>
    }
}

/// The stack of layers sized by bytes, bottom first.
pub(crate) fn stack(layers: &[LayerVm], label: String) -> Html {
    let total = layers.iter().map(|l| l.size).sum::<u64>().max(1);
    let segments = layers.iter().map(|l| {
        let pct = l.size as f64 / total as f64 * 100.0;
        tag(
            "span",
            &["style", "title", "class"],
            vec![
                attr_of(format!(
                    "width: max({}%, 2px)",
                    layerlab_engine::numfmt::fixed(pct, 2)
                )),
                attr_of(format!("{} · {}", l.size_text, l.created_by)),
                class_of(
                    "segment",
                    Some(if l.base.is_some() { "base" } else { "own" }),
                ),
            ],
            Vec::new(),
            vec![],
        )
    });
    tag(
        "div",
        &["role", "aria-label", "class"],
        vec![attr("img"), attr_of(label), attr("stack")],
        Vec::new(),
        segments.collect(),
    )
}

/// The Layers view; `state.picked` is the stage picked (`None`: the
/// image built), state of the [`TabView`] that shows it.
///
/// [`TabView`]: crate::components::tab_view::TabView
pub fn layers_view(props: &LayersViewProps, state: UseStateHandle<ViewState>) -> Html {
    let Some(b) = props.build.clone() else {
        return el("div", "view", vec![lit("p", "placeholder", "Building…")]);
    };
    let target = b
        .stage_layers
        .iter()
        .find(|s| s.target)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let on_pick = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value());
            state.set(ViewState {
                picked: value,
                ..(*state).clone()
            });
        })
    };
    let shown = state
        .picked
        .as_deref()
        .filter(|p| b.stage_layers.iter().any(|s| s.needed && s.name == *p))
        .unwrap_or(target.as_str())
        .to_owned();
    let picker = if b.stage_layers.len() > 1 {
        stage_picker(&b.stage_layers, &shown, on_pick)
    } else {
        Html::default()
    };
    // An intermediate stage: its layers, with the files of its own.
    let stage = b.stage_layers.iter().find(|s| s.name == shown && !s.target);
    if let Some(stage) = stage {
        let base: u64 = stage
            .layers
            .iter()
            .filter(|l| l.base.is_some())
            .map(|l| l.size)
            .sum();
        let own = stage.size - base;
        return html! {
            <div class="view layers-view stage-layers" data-stage={stage.name.clone()}>
                { picker }
                { el("div", "summary ok", vec![
                    text("span", "image-name", &format!("stage {}", stage.name)),
                    text("span", "counts", &format!("{} layers · {} · base {} · this stage {}", stage.layers.len(), size_text(stage.size), size_text(base), size_text(own))),
                ]) }
                { text("p", "muted stage-note", &format!("{}: an intermediate stage, not an image of its own; the final image keeps none of its layers, only what COPY --from takes out of it.", stage.base)) }
                { stack(&stage.layers, format!("Layers of stage {} sized by bytes: base image {}, this stage {}", stage.name, size_text(base), size_text(own))) }
                { layer_list(&stage.layers, "this stage", &|i| stage.files.get(i).cloned().flatten()) }
            </div>
        };
    }
    if b.layers.is_empty() {
        return html! {
            <div class="view">
                { picker }
                { lit("p", "placeholder", "No image: the build did not finish. See the Build view.") }
            </div>
        };
    }
    let base: u64 = b
        .layers
        .iter()
        .filter(|l| l.base.is_some())
        .map(|l| l.size)
        .sum();
    let own = b.image_size - base;
    let name = b
        .tags
        .first()
        .map(|t| crate::components::build_view::familiar(t))
        .unwrap_or_else(|| "<none>".to_owned());
    html! {
        <div class="view layers-view">
            { picker }
            { el("div", "summary ok", vec![
                text("span", "image-name", &name),
                el("span", "counts", vec![
                    txt(&format!("{} layers · {}", b.layers.len(), size_text(b.image_size))),
                    txt(&format!(" · base {} · this build {}", size_text(base), size_text(own))),
                ]),
            ]) }
            { stack(&b.layers, format!("Layers sized by bytes: base image {}, this build {}", size_text(base), size_text(own))) }
            if let Some(files) = &*props.files {
                <p class={cls("waste", (files.wasted_bytes > 0).then_some("has-waste"))}>
                    { txt(&format!("Efficiency {} · wasted space {}", files.efficiency, files.wasted)) }
                    { text("span", "muted", if files.wasted_bytes > 0 {
                        " — files stored in a layer and hidden or deleted by a later one still ship with the image."
                    } else {
                        " — no layer of this build hides or deletes files of another (as dive reports it)."
                    }) }
                </p>
                if !files.inefficiencies.is_empty() {
                    { el("ul", "inefficiencies", files.inefficiencies.iter().map(|(path, count, wasted)| el("li", "", vec![
                        text("code", "", path),
                        txt(&format!(" · in {count} layers · {wasted} wasted")),
                    ])).collect()) }
                }
            }
            { layer_list(&b.layers, "this build", &|i| {
                let own_index = b.layers[..i].iter().filter(|x| x.base.is_none()).count();
                props.files.as_ref().as_ref().and_then(|f| f.layers.get(own_index).cloned())
            }) }
            if !b.base_images.is_empty() {
                <section class="bases">
                    { lit("h3", "", "Base images this build used") }
                    <ul>
                        { for b.base_images.iter().map(|i| el("li", if i.in_final_image { "in" } else { "out" }, vec![
                            text("code", "", &i.reference),
                            txt(&format!(" · {}", i.size)),
                            text("span", "verdict", if i.in_final_image { " · the final image is built on it" } else { " · not in the final image (used by an earlier stage only)" }),
                            text("span", "muted desc", &format!(" — {}", i.description)),
                        ])) }
                    </ul>
                </section>
            }
        </div>
    }
}
