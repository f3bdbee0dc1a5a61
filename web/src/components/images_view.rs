//! The Images view: every image in the simulated store and the base images
//! builds pulled, each drawn as its layers sized by bytes; a layer held by
//! several images has the same colour everywhere and is marked shared, so
//! aspnet:8.0's layers are visibly the same under aspnetapp.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{size_text, ImagesVm};

/// Properties of the Images view.
#[derive(Properties, PartialEq)]
pub struct ImagesViewProps {
    /// The images.
    pub images: Rc<ImagesVm>,
}

/// The Images view.
#[function_component(ImagesView)]
pub fn images_view(props: &ImagesViewProps) -> Html {
    let vm = &props.images;
    if vm.images.is_empty() {
        return html! {
            <div class="view"><p class="placeholder">{ "No images yet: press Build, or run docker build in the Terminal." }</p></div>
        };
    }
    let largest = vm.images.iter().map(|i| i.size).max().unwrap_or(1).max(1);
    html! {
        <div class="view images-view">
            <table class="images-table">
                <caption class="muted">
                    { "As " }<code>{ "docker images" }</code>{ " and " }<code>{ "docker system df -v" }</code>
                    { " count them. Base images a build uses stay in the build cache: they are drawn below, not listed." }
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{ "IMAGE" }</th>
                        <th scope="col">{ "ID" }</th>
                        <th scope="col" class="num">{ "SIZE" }</th>
                        <th scope="col" class="num">{ "SHARED" }</th>
                        <th scope="col" class="num">{ "UNIQUE" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for vm.images.iter().filter(|i| !i.base).map(|i| html! {
                        <tr>
                            <td><code>{ i.name.clone() }</code></td>
                            <td><code class="muted">{ i.id.clone() }</code></td>
                            <td class="num">{ size_text(i.size) }</td>
                            <td class="num">{ size_text(i.shared) }</td>
                            <td class="num">{ size_text(i.size - i.shared) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="image-stacks">
                { for vm.images.iter().map(|i| {
                    let width = i.size as f64 / largest as f64 * 100.0;
                    html! {
                        <div class="image-row">
                            <div class="image-label">
                                <code>{ i.name.clone() }</code>
                                if i.base {
                                    <span class="tag-base">{ "base image" }</span>
                                }
                                <span class="muted">{ size_text(i.size) }</span>
                            </div>
                            <div class="stack small" style={format!("width: {}%", layerlab_engine::numfmt::fixed(width, 2))}
                                 role="img" aria-label={format!("{}: {} layers, {} shared with other images", i.name, i.layers.len(), size_text(i.shared))}>
                                { for i.layers.iter().map(|l| {
                                    let pct = l.size as f64 / i.size.max(1) as f64 * 100.0;
                                    let style = format!("width: max({}%, 2px); --hue: {}", layerlab_engine::numfmt::fixed(pct, 2), l.hue);
                                    let class = classes!("segment", if l.shared_by > 1 { "shared" } else { "unique" });
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
                { format!("Layers drawn: {} on disk, each shared layer counted once. ", size_text(vm.total)) }
                <span class="swatch shared"></span>{ " shared layer (same colour in every image that holds it) " }
                <span class="swatch unique"></span>{ " layer of one image only" }
            </p>
        </div>
    }
}
