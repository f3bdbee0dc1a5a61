//! The Layers view: the built image's layers as a stack sized by bytes,
//! base-image layers marked with their source image, the build's own
//! layers with the instruction that made them; and which base images the
//! build used but left out of the final image.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{size_text, BuildVm, LayerFilesVm};

/// Properties of the Layers view.
#[derive(Properties, PartialEq)]
pub struct LayersViewProps {
    /// The latest build.
    pub build: Option<Rc<BuildVm>>,
    /// The files of its own layers, and its wasted space.
    pub files: Rc<Option<LayerFilesVm>>,
}

fn summary(changes: &[crate::bridge::FileChangeVm]) -> String {
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

/// The Layers view.
#[function_component(LayersView)]
pub fn layers_view(props: &LayersViewProps) -> Html {
    let Some(b) = props.build.clone() else {
        return html! { <div class="view"><p class="placeholder">{ "Building…" }</p></div> };
    };
    if b.layers.is_empty() {
        return html! {
            <div class="view">
                <p class="placeholder">{ "No image: the build did not finish. See the Build view." }</p>
            </div>
        };
    }
    let total = b.image_size.max(1);
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
            <div class="summary ok">
                <span class="image-name">{ name }</span>
                <span class="counts">
                    { format!("{} layers · {}", b.layers.len(), size_text(b.image_size)) }
                    { format!(" · base {} · this build {}", size_text(base), size_text(own)) }
                </span>
            </div>
            <div class="stack" role="img" aria-label={format!("Layers sized by bytes: base image {}, this build {}", size_text(base), size_text(own))}>
                { for b.layers.iter().map(|l| {
                    let pct = l.size as f64 / total as f64 * 100.0;
                    let class = classes!("segment", if l.base.is_some() { "base" } else { "own" });
                    html! {
                        <span {class} style={format!("width: max({pct:.2}%, 2px)")}
                              title={format!("{} · {}", l.size_text, l.created_by)}></span>
                    }
                }) }
            </div>
            if let Some(files) = &*props.files {
                <p class={classes!("waste", (files.wasted_bytes > 0).then_some("has-waste"))}>
                    { format!("Efficiency {} · wasted space {}", files.efficiency, files.wasted) }
                    <span class="muted">
                        { if files.wasted_bytes > 0 {
                            " — files stored in a layer and hidden or deleted by a later one still ship with the image."
                        } else {
                            " — no layer of this build hides or deletes files of another (as dive reports it)."
                        } }
                    </span>
                </p>
                if !files.inefficiencies.is_empty() {
                    <ul class="inefficiencies">
                        { for files.inefficiencies.iter().map(|(path, count, wasted)| html! {
                            <li><code>{ path.clone() }</code>{ format!(" · in {count} layers · {wasted} wasted") }</li>
                        }) }
                    </ul>
                }
            }
            <ol class="layer-list" reversed=true>
                { for b.layers.iter().enumerate().rev().map(|(i, l)| {
                    let own_index = b.layers[..i].iter().filter(|x| x.base.is_none()).count();
                    let changes = if l.base.is_none() {
                        props.files.as_ref().as_ref().and_then(|f| f.layers.get(own_index).cloned())
                    } else {
                        None
                    };
                    html! {
                        <li class={classes!("layer", if l.base.is_some() { "base" } else { "own" })}>
                            <span class="layer-size">{ l.size_text.clone() }</span>
                            <code class="layer-cmd" title={l.created_by.clone()}>{ l.created_by.clone() }</code>
                            <span class="layer-meta">
                                <span class="layer-src">
                                    { match &l.base {
                                        Some(image) => format!("from {image}"),
                                        None => "this build".to_owned(),
                                    } }
                                </span>
                                <span class="digest muted">{ format!(" · {}", l.digest) }</span>
                            </span>
                            if let Some(changes) = changes {
                                if !changes.is_empty() {
                                    <details class="layer-files">
                                        <summary>{ summary(&changes) }</summary>
                                        <ul>
                                            { for changes.iter().take(200).map(|c| html! {
                                                <li class={classes!("change", c.change)}>
                                                    <span class="mark" aria-label={c.change}>
                                                        { match c.change { "added" => "+", "deleted" => "−", _ => "~" } }
                                                    </span>
                                                    <code>{ c.path.clone() }</code>
                                                    <span class="muted">{ c.size.clone() }</span>
                                                </li>
                                            }) }
                                        </ul>
                                        if changes.len() > 200 {
                                            <p class="muted">{ format!("… and {} more", changes.len() - 200) }</p>
                                        }
                                    </details>
                                }
                            }
                        </li>
                    }
                }) }
            </ol>
            if !b.base_images.is_empty() {
                <section class="bases">
                    <h3>{ "Base images this build used" }</h3>
                    <ul>
                        { for b.base_images.iter().map(|i| html! {
                            <li class={classes!(if i.in_final_image { "in" } else { "out" })}>
                                <code>{ i.reference.clone() }</code>
                                { format!(" · {}", i.size) }
                                <span class="verdict">
                                    { if i.in_final_image { " · the final image is built on it" } else { " · not in the final image (used by an earlier stage only)" } }
                                </span>
                                <span class="muted desc">{ format!(" — {}", i.description) }</span>
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
