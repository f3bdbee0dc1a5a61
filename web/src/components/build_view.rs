//! The Build view: what `docker build` does with the current files, step
//! by step and stage by stage: CACHED or RUN, why a step missed the cache
//! (in the engine's words), modelled duration and layer size. A click on a
//! step highlights its Dockerfile lines.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge::{BuildSettings, BuildVm, GraphNodeVm, StepVm};
use crate::components::build_controls::{build_controls, BuildControlsProps};
use crate::components::el::{cls, el, lit, send, text, txt};
use crate::components::stage_graph::{stage_graph, StageGraphProps};
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

fn step_row(step: &StepVm, selected: bool, on_action: &Callback<Action>) -> Html {
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
    html! {
        <li class={classes!("step", status, selected.then_some("selected"))}
            data-vertex={step.vertex.to_string()} data-name={step.name.clone()}
            data-cached={step.cached.to_string()} data-reason={step.reason.clone().unwrap_or_default()}>
            <button class="step-main" {onclick} aria-pressed={if selected { "true" } else { "false" }}
                    title={format!("#{} {} (line {})", step.vertex, step.name, step.line)}>
                <span class={cls("badge", Some(status))}>
                    { match status { "error" => "ERROR", "cached" => "CACHED", _ => "RUN" } }
                </span>
                { text("span", "pos", &step.position) }
                { text("code", "instr", &step.instruction) }
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
                    <p class={cls("reason", Some(step.reason_kind))}>
                        <span class="why">
                            { match step.reason_kind { "cause" => "Cache miss: ", "chain" => "↳ ", _ => "" } }
                        </span>
                        { txt(reason) }
                    </p>
                }
            }
            if let Some(err) = &step.error {
                { text("p", "reason error-text", err) }
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

/// The Build view; `picked` is the stage picked in the stage graph (its
/// steps are highlighted), state of the [`TabView`] that shows it.
///
/// [`TabView`]: crate::components::tab_view::TabView
pub fn build_view(props: &BuildViewProps, picked: UseStateHandle<Option<String>>) -> Html {
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
        { build_controls(&BuildControlsProps {
            settings: props.settings.clone(),
            stages: props.stages.clone(),
            command: props.settings.command_line(&props.image),
            on_action: props.on_action.clone(),
            on_build: props.on_build.clone(),
        }) }
    };
    let Some(b) = props.build.clone() else {
        return html! {
            <div class="view build-view">
                { controls }
                { lit("p", "placeholder", "Building…") }
            </div>
        };
    };
    let on_line = |line: usize| send(&props.on_action, Action::JumpTo { line, column: 0 });
    html! {
        <div class="view build-view">
            { controls }
            <div class={cls("summary", Some(if b.error.is_some() { "failed" } else { "ok" }))} aria-live="polite">
                <span class={cls("mode", Some(if b.committed { "committed" } else { "preview" }))}
                      title={if b.committed {
                          "This build updated the cache and the image store."
                      } else {
                          "Live preview: what `docker build` would do now, given the cache of your last build. Build to update the cache."
                      }}>
                    { if b.committed { "Built" } else { "Preview" } }
                </span>
                if !props.current {
                    { lit("span", "stale", "updating…") }
                }
                <span class="counts">
                    { text("span", "n-run", &format!("{} run", b.ran)) }
                    { " · " }
                    { text("span", "n-cached", &format!("{} cached", b.cached)) }
                    { txt(&format!(" · {}s modelled", layerlab_engine::numfmt::fixed(b.duration_s, 1))) }
                </span>
                if let Some((id, size)) = &b.image {
                    <span class="image-id" title="Image ID and size">
                        { format!("{} · sha256:{id} · {size}", b.tags.first().map(|t| familiar(t)).unwrap_or_else(|| "<none>".to_owned())) }
                    </span>
                }
            </div>
            if let Some((message, line)) = &b.error {
                <div class="error-box" role="alert">
                    { lit("strong", "", "ERROR: failed to solve: ") }{ txt(message) }
                    if let Some(line) = line {
                        { " " }
                        <button class="link" onclick={on_line(*line)}>{ format!("(line {line})") }</button>
                    }
                </div>
            }
            if b.graph.nodes.len() > 1 {
                { stage_graph(&StageGraphProps { graph: Rc::new(b.graph.clone()), selected: (*picked).clone(), on_select: on_pick }) }
            }
            if !b.stages.is_empty() {
                { timeline(&TimelineProps { build: b.clone(), selected: props.selected }) }
            }
            { for b.stages.iter().map(|stage| {
                let highlighted = picked.as_deref().is_some_and(|p| {
                    b.graph.nodes.iter().any(|n| n.name == p && n.section.as_deref() == Some(stage.name.as_str()))
                });
                html! {
                <section id={stage_section_id(&stage.name)}
                         class={cls("stage", highlighted.then_some("highlighted"))}
                         aria-label={format!("Stage {}", stage.name)}>
                    { el("h3", "stage-title", vec![
                        text("span", "stage-name", if stage.name.is_empty() { "(single stage)" } else { &stage.name }),
                        text("span", "stage-counts muted", &format!("{} run · {} cached", stage.ran, stage.cached)),
                    ]) }
                    { el("ol", "steps", stage.steps.iter().map(|s| step_row(s, props.selected == Some(s.vertex), &props.on_action)).collect()) }
                </section>
            }}) }
            if !b.skipped.is_empty() {
                <p id="skipped-stages" class="skipped muted">
                    { txt(&format!("Not built (the target {} does not need them): {}", if b.target.is_empty() { "stage".to_owned() } else { format!("\u{201c}{}\u{201d}", b.target) }, b.skipped.join(", "))) }
                </p>
            }
            if !b.warnings.is_empty() {
                <section class="warnings" aria-label="Build warnings">
                    { text("h3", "", &format!("{} warning{} found", b.warnings.len(), if b.warnings.len() == 1 { "" } else { "s" })) }
                    <ul>
                        { for b.warnings.iter().map(|(rule, message, line)| html! {
                            <li>
                                <button class="link" onclick={on_line(*line)}>{ format!("line {line}") }</button>
                                { txt(&format!(" {rule}: {message}")) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <details class="progress">
                { lit("summary", "", "BuildKit progress output (--progress=plain)") }
                { text("pre", "terminal-text", &b.progress) }
            </details>
        </div>
    }
}
