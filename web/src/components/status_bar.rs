//! The status bar: the latest build in one line, how long the engine took,
//! and what LayerLab models.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::BuildVm;
use crate::components::el::{cls, el, txt};
use yew::virtual_dom::VText;

use layerlab_engine::docker::versions;

/// Properties of the status bar.
#[derive(PartialEq)]
pub struct StatusBarProps {
    /// The latest build.
    pub build: Option<Rc<BuildVm>>,
    /// Whether it is for the current files.
    pub current: bool,
    /// Engine time of the latest build, ms.
    pub engine_ms: f64,
    /// Number of problems.
    pub problems: usize,
}

/// The status bar.
pub fn status_bar(props: &StatusBarProps) -> Html {
    let status = match &props.build {
        None => "Building…".to_owned(),
        Some(b) => {
            let what = if b.error.is_some() {
                "Build failed".to_owned()
            } else {
                format!("{} run, {} cached", b.ran, b.cached)
            };
            format!("{}: {what}", if b.committed { "Built" } else { "Preview" },)
        }
    };
    html! {
        <footer class="statusbar">
            <span class="status" aria-live="polite">
                <span class={cls("dot", Some(if props.current { "ok" } else { "busy" }))} aria-hidden="true"></span>
                { status }
                if props.engine_ms > 0.0 {
                    <span class="muted" id="engine-time">{ txt(&format!(" · engine {} ms", layerlab_engine::numfmt::fixed(props.engine_ms, 1))) }</span>
                }
            </span>
            { el("span", "muted", vec![
                Html::VText(VText::new("Runs entirely in your browser: no Docker, no server, no network. ")),
                txt(&format!("Models the docker CLI {} and BuildKit {}.", versions::CLI, versions::BUILDKIT)),
            ]) }
        </footer>
    }
}
