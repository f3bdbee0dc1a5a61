//! The Images view: every image in the simulated store and the base images
//! builds pulled, each drawn as its layers sized by bytes; a layer held by
//! several images has the same colour everywhere and is marked shared, so
//! aspnet:8.0's layers are visibly the same under aspnetapp.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{size_text, ImagesVm};
use crate::components::el::{cls, el, lit, text, txt};

/// Properties of the Images view.
#[derive(PartialEq)]
pub struct ImagesViewProps {
    /// The images.
    pub images: Rc<ImagesVm>,
}

/// The Images view. Its root carries a key, so a switch from another
/// tab's view replaces the element, as it replaces a component.
pub fn images_view(props: &ImagesViewProps) -> Html {
    let vm = &props.images;
    if vm.images.is_empty() {
        return html! {
            <div key="images" class="view">
                { lit("p", "placeholder", "No images yet: press Build, or run docker build in the Terminal.") }
            </div>
        };
    }
    let largest = vm.images.iter().map(|i| i.size).max().unwrap_or(1).max(1);
    let head = ["IMAGE", "ID", "SIZE", "SHARED", "UNIQUE"]
        .into_iter()
        .enumerate()
        .map(|(n, name)| {
            let class = if n < 2 { "" } else { "num" };
            html! { <th scope="col" {class}>{ name }</th> }
        })
        .collect::<Vec<_>>();
    html! {
        <div key="images" class="view images-view">
            <table class="images-table">
                <caption class="muted">
                    { "As " }<code>{ "docker images" }</code>{ " and " }<code>{ "docker system df -v" }</code>
                    { " count them. Base images a build uses stay in the build cache: they are drawn below, not listed." }
                </caption>
                <thead>
                    { el("tr", "", head) }
                </thead>
                <tbody>
                    { for vm.images.iter().filter(|i| !i.base).map(|i| el("tr", "", vec![
                        el("td", "", vec![text("code", "", &i.name)]),
                        el("td", "", vec![text("code", "muted", &i.id)]),
                        text("td", "num", &size_text(i.size)),
                        text("td", "num", &size_text(i.shared)),
                        text("td", "num", &size_text(i.size - i.shared)),
                    ])) }
                </tbody>
            </table>
            <div class="image-stacks">
                { for vm.images.iter().map(|i| {
                    let width = i.size as f64 / largest as f64 * 100.0;
                    let mut label = vec![text("code", "", &i.name)];
                    if i.base {
                        label.push(lit("span", "tag-base", "base image"));
                    }
                    label.push(text("span", "muted", &size_text(i.size)));
                    html! {
                        <div class="image-row">
                            { el("div", "image-label", label) }
                            <div class="stack small" style={format!("width: {}%", layerlab_engine::numfmt::fixed(width, 2))}
                                 role="img" aria-label={format!("{}: {} layers, {} shared with other images", i.name, i.layers.len(), size_text(i.shared))}>
                                { for i.layers.iter().map(|l| {
                                    let pct = l.size as f64 / i.size.max(1) as f64 * 100.0;
                                    let style = format!("width: max({}%, 2px); --hue: {}", layerlab_engine::numfmt::fixed(pct, 2), l.hue);
                                    let class = cls("segment", Some(if l.shared_by > 1 { "shared" } else { "unique" }));
                                    let title = format!(
                                        "{} · {} · {}{}",
                                        l.digest,
                                        size_text(l.size),
                                        l.created_by,
                                        if l.shared_by > 1 { format!(" · shared by {} images", l.shared_by) } else { String::new() }
                                    );
                                    html! { <span {class} {style} {title}></span> }
                                }) }
                            </div>
                        </div>
                    }
                }) }
            </div>
            <p class="legend muted">
                { txt(&format!("Layers drawn: {} on disk, each shared layer counted once. ", size_text(vm.total))) }
                <span class="swatch shared"></span>{ " shared layer (same colour in every image that holds it) " }
                <span class="swatch unique"></span>{ " layer of one image only" }
            </p>
        </div>
    }
}
