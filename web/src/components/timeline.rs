//! The build timeline: one lane per stage, each step a bar placed at its
//! modelled start and sized by its duration, so independent stages that
//! BuildKit runs in parallel are seen side by side; CACHED steps are thin
//! marks.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::BuildVm;
use crate::components::el::{attr, attr_of, classes_attr, el, lit, tag, text};

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
    let lanes = b.stages.iter().map(|stage| {
        let bars = stage.steps.iter().map(|step| {
            let width = if step.cached {
                0.0
            } else {
                pct(step.duration_s)
            };
            let style = format!(
                "left: {}%; width: max({}%, 3px)",
                layerlab_engine::numfmt::fixed(pct(step.start_s), 2),
                layerlab_engine::numfmt::fixed(width, 2)
            );
            let class = classes!(
                "bar",
                if step.cached { "cached" } else { "ran" },
                step.kind,
                (props.selected == Some(step.vertex)).then_some("selected")
            );
            let title = format!(
                "{} — {}",
                step.name,
                if step.cached {
                    "CACHED".to_owned()
                } else {
                    step.duration.clone()
                }
            );
            tag(
                "span",
                &["style", "title", "class"],
                vec![attr_of(style), attr_of(title), classes_attr(class)],
                Vec::new(),
                vec![],
            )
        });
        el(
            "div",
            "lane",
            vec![
                text(
                    "span",
                    "lane-name",
                    if stage.name.is_empty() {
                        "stage"
                    } else {
                        &stage.name
                    },
                ),
                el("div", "lane-track", bars.collect()),
            ],
        )
    });
    let skipped = b.skipped.iter().map(|name| {
        el(
            "div",
            "lane skipped",
            vec![
                text("span", "lane-name", name),
                el(
                    "div",
                    "lane-track",
                    vec![lit(
                        "span",
                        "skipped-label",
                        "skipped: the target does not need it",
                    )],
                ),
            ],
        )
    });
    let mut children: Vec<Html> = lanes.collect();
    children.extend(skipped);
    children.push(el(
        "figcaption",
        "axis",
        vec![
            lit("span", "", "0s"),
            text(
                "span",
                "",
                &format!("{}s modelled", layerlab_engine::numfmt::fixed(total, 1)),
            ),
        ],
    ));
    tag(
        "figure",
        &["aria-label", "class"],
        vec![attr("Build timeline"), attr("timeline")],
        Vec::new(),
        children,
    )
}
