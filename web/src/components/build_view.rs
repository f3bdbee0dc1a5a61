//! The Build view: what `docker build` does with the current files, step
//! by step and stage by stage: CACHED or RUN, why a step missed the cache
//! (in the engine's words), modelled duration and layer size. A click on a
//! step highlights its Dockerfile lines.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{BuildSettings, BuildVm, GraphNodeVm, StepVm};
use crate::components::build_controls::BuildControls;
use crate::components::stage_graph::StageGraph;
use crate::components::timeline::Timeline;
use crate::state::Action;

/// Properties of the Build view.
#[derive(Properties, PartialEq)]
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

fn step_row(step: &StepVm, selected: bool, on_action: &Callback<Action>) -> Html {
    let onclick = {
        let on_action = on_action.clone();
        let (vertex, line, end_line) = (step.vertex, step.line, step.end_line);
        Callback::from(move |_: MouseEvent| {
            on_action.emit(Action::SelectStep {
                vertex,
                line,
                end_line,
            })
        })
    };
    let status = if step.error.is_some() {
        "error"
    } else if step.cached {
        "cached"
    } else {
        "run"
    };
    html! {
        <li class={classes!("step", status, selected.then_some("selected"))}
            data-vertex={step.vertex.to_string()} data-name={step.name.clone()}
            data-cached={step.cached.to_string()} data-reason={step.reason.clone().unwrap_or_default()}>
            <button class="step-main" {onclick} aria-pressed={if selected { "true" } else { "false" }}
                    title={format!("#{} {} (line {})", step.vertex, step.name, step.line)}>
                <span class={classes!("badge", status)}>
                    { match status { "error" => "ERROR", "cached" => "CACHED", _ => "RUN" } }
                </span>
                <span class="pos">{ step.position.clone() }</span>
                <code class="instr">{ step.instruction.clone() }</code>
                <span class="meta">
                    if let Some(size) = &step.size {
                        if !step.cached {
                            <span class="size" title="Layer size">{ size.clone() }</span>
                        }
                    }
                    <span class="dur" title="Modelled duration">{ if step.cached { "—".to_owned() } else { step.duration.clone() } }</span>
                </span>
            </button>
            if let Some(reason) = &step.reason {
                if !step.cached {
                    <p class={classes!("reason", step.reason_kind)}>
                        <span class="why">
                            { match step.reason_kind { "cause" => "Cache miss: ", "chain" => "↳ ", _ => "" } }
                        </span>
                        { reason.clone() }
                    </p>
                }
            }
            if let Some(err) = &step.error {
                <p class="reason error-text">{ err.clone() }</p>
            }
            if selected && (!step.output.is_empty() || !step.notes.is_empty()) {
                <pre class="step-output">
                    { step.output.join("\n") }
                    if !step.notes.is_empty() {
                        { if step.output.is_empty() { "" } else { "\n" } }
                        { step.notes.iter().map(|n| format!("(layerlab) {n}")).collect::<Vec<_>>().join("\n") }
                    }
                </pre>
            }
        </li>
    }
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

/// The Build view.
#[function_component(BuildView)]
pub fn build_view(props: &BuildViewProps) -> Html {
    // The stage picked in the stage graph: its steps are highlighted.
    let picked = use_state(|| None::<String>);
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |node: GraphNodeVm| {
            let id = match &node.section {
                Some(section) => stage_section_id(section),
                None => "skipped-stages".to_owned(),
            };
            crate::dom::scroll_into_view(&id);
            picked.set(Some(node.name));
        })
    };
    let controls = html! {
        <BuildControls
            settings={props.settings.clone()}
            stages={props.stages.clone()}
            command={props.settings.command_line(&props.image)}
            on_action={props.on_action.clone()}
            on_build={props.on_build.clone()}
        />
    };
    let Some(b) = props.build.clone() else {
        return html! {
            <div class="view build-view">
                { controls }
                <p class="placeholder">{ "Building…" }</p>
            </div>
        };
    };
    let on_line = {
        let on_action = props.on_action.clone();
        move |line: usize| {
            let on_action = on_action.clone();
            Callback::from(move |_: MouseEvent| on_action.emit(Action::JumpTo { line, column: 0 }))
        }
    };
    html! {
        <div class="view build-view">
            { controls }
            <div class={classes!("summary", if b.error.is_some() { "failed" } else { "ok" })} aria-live="polite">
                <span class={classes!("mode", if b.committed { "committed" } else { "preview" })}
                      title={if b.committed {
                          "This build updated the cache and the image store."
                      } else {
                          "Live preview: what `docker build` would do now, given the cache of your last build. Build to update the cache."
                      }}>
                    { if b.committed { "Built" } else { "Preview" } }
                </span>
                if !props.current {
                    <span class="stale">{ "updating…" }</span>
                }
                <span class="counts">
                    <span class="n-run">{ format!("{} run", b.ran) }</span>
                    { " · " }
                    <span class="n-cached">{ format!("{} cached", b.cached) }</span>
                    { format!(" · {}s modelled", layerlab_engine::numfmt::fixed(b.duration_s, 1)) }
                </span>
                if let Some((id, size)) = &b.image {
                    <span class="image-id" title="Image ID and size">
                        { format!("{} · sha256:{id} · {size}", b.tags.first().map(|t| familiar(t)).unwrap_or_else(|| "<none>".to_owned())) }
                    </span>
                }
            </div>
            if let Some((message, line)) = &b.error {
                <div class="error-box" role="alert">
                    <strong>{ "ERROR: failed to solve: " }</strong>{ message.clone() }
                    if let Some(line) = line {
                        { " " }
                        <button class="link" onclick={on_line(*line)}>{ format!("(line {line})") }</button>
                    }
                </div>
            }
            if b.graph.nodes.len() > 1 {
                <StageGraph graph={Rc::new(b.graph.clone())} selected={(*picked).clone()} on_select={on_pick} />
            }
            if !b.stages.is_empty() {
                <Timeline build={b.clone()} selected={props.selected} />
            }
            { for b.stages.iter().map(|stage| {
                let highlighted = picked.as_deref().is_some_and(|p| {
                    b.graph.nodes.iter().any(|n| n.name == p && n.section.as_deref() == Some(stage.name.as_str()))
                });
                html! {
                <section id={stage_section_id(&stage.name)}
                         class={classes!("stage", highlighted.then_some("highlighted"))}
                         aria-label={format!("Stage {}", stage.name)}>
                    <h3 class="stage-title">
                        <span class="stage-name">{ if stage.name.is_empty() { "(single stage)".to_owned() } else { stage.name.clone() } }</span>
                        <span class="stage-counts muted">{ format!("{} run · {} cached", stage.ran, stage.cached) }</span>
                    </h3>
                    <ol class="steps">
                        { for stage.steps.iter().map(|s| step_row(s, props.selected == Some(s.vertex), &props.on_action)) }
                    </ol>
                </section>
            }}) }
            if !b.skipped.is_empty() {
                <p id="skipped-stages" class="skipped muted">
                    { format!("Not built (the target {} does not need them): {}", if b.target.is_empty() { "stage".to_owned() } else { format!("\u{201c}{}\u{201d}", b.target) }, b.skipped.join(", ")) }
                </p>
            }
            if !b.warnings.is_empty() {
                <section class="warnings" aria-label="Build warnings">
                    <h3>{ format!("{} warning{} found", b.warnings.len(), if b.warnings.len() == 1 { "" } else { "s" }) }</h3>
                    <ul>
                        { for b.warnings.iter().map(|(rule, message, line)| html! {
                            <li>
                                <button class="link" onclick={on_line(*line)}>{ format!("line {line}") }</button>
                                { format!(" {rule}: {message}") }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <details class="progress">
                <summary>{ "BuildKit progress output (--progress=plain)" }</summary>
                <pre class="terminal-text">{ b.progress.clone() }</pre>
            </details>
        </div>
    }
}
