//! The Build view: what `docker build` does with the current files, step
//! by step and stage by stage: CACHED or RUN, why a step missed the cache
//! (in the engine's words), modelled duration and layer size. A click on a
//! step highlights its Dockerfile lines.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{BuildSettings, BuildVm, GraphNodeVm, StepVm};
use crate::components::build_controls::{build_controls, BuildControlsProps};
use crate::components::el::{
    attr, attr_of, class_of, classes_attr, click, el, lit, lit_text, send, tag, text, txt,
};
use crate::components::stage_graph::{stage_graph, StageGraphProps};
use crate::components::tab_view::ViewState;
use crate::components::timeline::{timeline, TimelineProps};
use crate::state::Action;

/// Properties of the Build view.
#[derive(PartialEq)]
pub struct BuildViewProps {
    /// The latest build.
    pub build: Option<Rc<BuildVm>>,
    /// Whether it is for the current files.
    pub current: bool,
    /// Build settings.
    pub settings: BuildSettings,
    /// The image name builds tag.
    pub image: String,
    /// Stage names (for `--target`).
    pub stages: Vec<String>,
    /// Selected step's vertex.
    pub selected: Option<usize>,
    /// Actions go here.
    pub on_action: Callback<Action>,
    /// Build now.
    pub on_build: Callback<()>,
}

pub(crate) fn step_row(step: &StepVm, selected: bool, on_action: &Callback<Action>) -> Html {
    let onclick = send(
        on_action,
        Action::SelectStep {
            vertex: step.vertex,
            line: step.line,
            end_line: step.end_line,
        },
    );
    let status = if step.error.is_some() {
        "error"
    } else if step.cached {
        "cached"
    } else {
        "run"
    };
    let meta = vec![
        match &step.size {
            Some(size) if !step.cached => tag(
                "span",
                &["title", "class"],
                vec![attr("Layer size"), attr("size")],
                Vec::new(),
                vec![txt(size)],
            ),
            _ => Html::default(),
        },
        tag(
            "span",
            &["title", "class"],
            vec![attr("Modelled duration"), attr("dur")],
            Vec::new(),
            vec![if step.cached {
                lit_text("—")
            } else {
                txt(&step.duration)
            }],
        ),
    ];
    let main = tag(
        "button",
        &["aria-pressed", "title", "class"],
        vec![
            attr(if selected { "true" } else { "false" }),
            attr_of(format!(
                "#{} {} (line {})",
                step.vertex, step.name, step.line
            )),
            attr("step-main"),
        ],
        vec![click(onclick)],
        vec![
            tag(
                "span",
                &["class"],
                vec![class_of("badge", Some(status))],
                Vec::new(),
                vec![lit_text(match status {
                    "error" => "ERROR",
                    "cached" => "CACHED",
                    _ => "RUN",
                })],
            ),
            text("span", "pos", &step.position),
            text("code", "instr", &step.instruction),
            el("span", "meta", meta),
        ],
    );
    let reason = match &step.reason {
        Some(reason) if !step.cached => tag(
            "p",
            &["class"],
            vec![class_of("reason", Some(step.reason_kind))],
            Vec::new(),
            vec![
                lit(
                    "span",
                    "why",
                    match step.reason_kind {
                        "cause" => "Cache miss: ",
                        "chain" => "↳ ",
                        _ => "",
                    },
                ),
                txt(reason),
            ],
        ),
        _ => Html::default(),
    };
    let error = match &step.error {
        Some(err) => text("p", "reason error-text", err),
        None => Html::default(),
    };
    let output = if selected && (!step.output.is_empty() || !step.notes.is_empty()) {
        let notes = if step.notes.is_empty() {
            Html::default()
        } else {
            let notes = step.notes.iter().map(|n| format!("(layerlab) {n}"));
            Html::from_iter([
                lit_text(if step.output.is_empty() { "" } else { "\n" }),
                txt(&notes.collect::<Vec<_>>().join("\n")),
            ])
        };
        el(
            "pre",
            "step-output",
            vec![txt(&step.output.join("\n")), notes],
        )
    } else {
        Html::default()
    };
    tag(
        "li",
        &[
            "data-vertex",
            "data-name",
            "data-cached",
            "data-reason",
            "class",
        ],
        vec![
            attr_of(step.vertex.to_string()),
            attr_of(step.name.clone()),
            attr_of(step.cached.to_string()),
            attr_of(step.reason.clone().unwrap_or_default()),
            classes_attr(classes!("step", status, selected.then_some("selected"))),
        ],
        Vec::new(),
        vec![main, reason, error, output],
    )
}

/// `aspnetapp:latest` for `docker.io/library/aspnetapp:latest`.
pub fn familiar(tag: &str) -> String {
    tag.strip_prefix("docker.io/library/")
        .or_else(|| tag.strip_prefix("docker.io/"))
        .unwrap_or(tag)
        .to_owned()
}

/// The element id of a stage's section of steps (`name` as the steps
/// carry it; empty for a one-stage build).
pub fn stage_section_id(name: &str) -> String {
    if name.is_empty() {
        return "stage-steps".to_owned();
    }
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("stage-steps-{safe}")
}

/// The Build view; `state.picked` is the stage picked in the stage graph
/// (its steps are highlighted), state of the [`TabView`] that shows it.
///
/// [`TabView`]: crate::components::tab_view::TabView
pub fn build_view(props: &BuildViewProps, state: UseStateHandle<ViewState>) -> Html {
    let on_pick = {
        let state = state.clone();
        Callback::from(move |node: GraphNodeVm| {
            let id = match &node.section {
                Some(section) => stage_section_id(section),
                None => "skipped-stages".to_owned(),
            };
            crate::dom::scroll_into_view(&id);
            state.set(ViewState {
                picked: Some(node.name),
                ..(*state).clone()
            });
        })
    };
    build_view_of(props, state.picked.as_deref(), on_pick)
}

/// The Build view with the stage `picked` in the stage graph, whose
/// boxes report to `on_pick`.
pub(crate) fn build_view_of(
    props: &BuildViewProps,
    picked: Option<&str>,
    on_pick: Callback<GraphNodeVm>,
) -> Html {
    let controls = build_controls(&BuildControlsProps {
        settings: props.settings.clone(),
        stages: props.stages.clone(),
        command: props.settings.command_line(&props.image),
        on_action: props.on_action.clone(),
        on_build: props.on_build.clone(),
    });
    let Some(b) = props.build.clone() else {
        return el(
            "div",
            "view build-view",
            vec![controls, lit("p", "placeholder", "Building…")],
        );
    };
    let on_line = |line: usize| send(&props.on_action, Action::JumpTo { line, column: 0 });
    let line_button = |line: usize, label: String| {
        tag(
            "button",
            &["class"],
            vec![attr("link")],
            vec![click(on_line(line))],
            vec![txt(&label)],
        )
    };
    let image = match &b.image {
        Some((id, size)) => {
            let name = b
                .tags
                .first()
                .map(|t| familiar(t))
                .unwrap_or_else(|| "<none>".to_owned());
            tag(
                "span",
                &["title", "class"],
                vec![attr("Image ID and size"), attr("image-id")],
                Vec::new(),
                vec![txt(&format!("{name} · sha256:{id} · {size}"))],
            )
        }
        None => Html::default(),
    };
    let summary = tag(
        "div",
        &["aria-live", "class"],
        vec![
            attr("polite"),
            class_of(
                "summary",
                Some(if b.error.is_some() { "failed" } else { "ok" }),
            ),
        ],
        Vec::new(),
        vec![
            tag(
                "span",
                &["title", "class"],
                vec![
                    attr(if b.committed {
                        "This build updated the cache and the image store."
                    } else {
                        "Live preview: what `docker build` would do now, given the cache of your last build. Build to update the cache."
                    }),
                    class_of(
                        "mode",
                        Some(if b.committed { "committed" } else { "preview" }),
                    ),
                ],
                Vec::new(),
                vec![lit_text(if b.committed { "Built" } else { "Preview" })],
            ),
            if props.current {
                Html::default()
            } else {
                lit("span", "stale", "updating…")
            },
            el(
                "span",
                "counts",
                vec![
                    text("span", "n-run", &format!("{} run", b.ran)),
                    lit_text(" · "),
                    text("span", "n-cached", &format!("{} cached", b.cached)),
                    txt(&format!(
                        " · {}s modelled",
                        layerlab_engine::numfmt::fixed(b.duration_s, 1)
                    )),
                ],
            ),
            image,
        ],
    );
    let error = match &b.error {
        Some((message, line)) => tag(
            "div",
            &["role", "class"],
            vec![attr("alert"), attr("error-box")],
            Vec::new(),
            vec![
                lit("strong", "", "ERROR: failed to solve: "),
                txt(message),
                match line {
                    Some(line) => Html::from_iter([
                        lit_text(" "),
                        line_button(*line, format!("(line {line})")),
                    ]),
                    None => Html::default(),
                },
            ],
        ),
        None => Html::default(),
    };
    let graph = if b.graph.nodes.len() > 1 {
        stage_graph(&StageGraphProps {
            graph: Rc::new(b.graph.clone()),
            selected: picked.map(str::to_owned),
            on_select: on_pick,
        })
    } else {
        Html::default()
    };
    let timeline = if b.stages.is_empty() {
        Html::default()
    } else {
        timeline(&TimelineProps {
            build: b.clone(),
            selected: props.selected,
        })
    };
    let stages = b.stages.iter().map(|stage| {
        let highlighted = picked.is_some_and(|p| {
            b.graph
                .nodes
                .iter()
                .any(|n| n.name == p && n.section.as_deref() == Some(stage.name.as_str()))
        });
        let steps = stage
            .steps
            .iter()
            .map(|s| step_row(s, props.selected == Some(s.vertex), &props.on_action));
        tag(
            "section",
            &["id", "aria-label", "class"],
            vec![
                attr_of(stage_section_id(&stage.name)),
                attr_of(format!("Stage {}", stage.name)),
                class_of("stage", highlighted.then_some("highlighted")),
            ],
            Vec::new(),
            vec![
                el(
                    "h3",
                    "stage-title",
                    vec![
                        text(
                            "span",
                            "stage-name",
                            if stage.name.is_empty() {
                                "(single stage)"
                            } else {
                                &stage.name
                            },
                        ),
                        text(
                            "span",
                            "stage-counts muted",
                            &format!("{} run · {} cached", stage.ran, stage.cached),
                        ),
                    ],
                ),
                el("ol", "steps", steps.collect()),
            ],
        )
    });
    let skipped = if b.skipped.is_empty() {
        Html::default()
    } else {
        let target = if b.target.is_empty() {
            "stage".to_owned()
        } else {
            format!("\u{201c}{}\u{201d}", b.target)
        };
        tag(
            "p",
            &["id", "class"],
            vec![attr("skipped-stages"), attr("skipped muted")],
            Vec::new(),
            vec![txt(&format!(
                "Not built (the target {target} does not need them): {}",
                b.skipped.join(", ")
            ))],
        )
    };
    let warnings = if b.warnings.is_empty() {
        Html::default()
    } else {
        let n = b.warnings.len();
        let rows = b.warnings.iter().map(|(rule, message, line)| {
            el(
                "li",
                "",
                vec![
                    line_button(*line, format!("line {line}")),
                    txt(&format!(" {rule}: {message}")),
                ],
            )
        });
        tag(
            "section",
            &["aria-label", "class"],
            vec![attr("Build warnings"), attr("warnings")],
            Vec::new(),
            vec![
                text(
                    "h3",
                    "",
                    &format!("{n} warning{} found", if n == 1 { "" } else { "s" }),
                ),
                el("ul", "", rows.collect()),
            ],
        )
    };
    let mut children = vec![controls, summary, error, graph, timeline];
    children.extend(stages);
    children.extend([
        skipped,
        warnings,
        el(
            "details",
            "progress",
            vec![
                lit("summary", "", "BuildKit progress output (--progress=plain)"),
                text("pre", "terminal-text", &b.progress),
            ],
        ),
    ]);
    el("div", "view build-view", children)
}
