//! The build timeline: one lane per stage, each step a bar placed at its
//! modelled start and sized by its duration, so independent stages that
//! BuildKit runs in parallel are seen side by side; CACHED steps are thin
//! marks.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::BuildVm;
use crate::components::el::{el, lit, text};

/// Properties of the timeline.
#[derive(PartialEq)]
pub struct TimelineProps {
    /// The build.
    pub build: Rc<BuildVm>,
    /// The selected step's vertex.
    pub selected: Option<usize>,
}

/// The timeline.
pub fn timeline(props: &TimelineProps) -> Html {
    let b = &props.build;
    let total = b
        .stages
        .iter()
        .map(|s| s.end_s)
        .fold(b.duration_s, f64::max)
        .max(0.1);
    let pct = |s: f64| (s / total * 100.0).clamp(0.0, 100.0);
    html! {
        <figure class="timeline" aria-label="Build timeline">
            { for b.stages.iter().map(|stage| html! {
                <div class="lane">
                    { text("span", "lane-name", if stage.name.is_empty() { "stage" } else { &stage.name }) }
                    <div class="lane-track">
                        { for stage.steps.iter().map(|step| {
                            let width = if step.cached { 0.0 } else { pct(step.duration_s) };
                            let style = format!("left: {}%; width: max({}%, 3px)", layerlab_engine::numfmt::fixed(pct(step.start_s), 2), layerlab_engine::numfmt::fixed(width, 2));
                            let class = classes!(
                                "bar",
                                if step.cached { "cached" } else { "ran" },
                                step.kind,
                                (props.selected == Some(step.vertex)).then_some("selected")
                            );
                            let title = format!(
                                "{} — {}",
                                step.name,
                                if step.cached { "CACHED".to_owned() } else { step.duration.clone() }
                            );
                            html! { <span {class} {style} {title}></span> }
                        }) }
                    </div>
                </div>
            }) }
            { for b.skipped.iter().map(|name| el("div", "lane skipped", vec![
                text("span", "lane-name", name),
                el("div", "lane-track", vec![lit("span", "skipped-label", "skipped: the target does not need it")]),
            ])) }
            { el("figcaption", "axis", vec![lit("span", "", "0s"), text("span", "", &format!("{}s modelled", layerlab_engine::numfmt::fixed(total, 1)))]) }
        </figure>
    }
}
