//! Differential tests of the views that are plain functions: each is
//! rendered next to the `html!` it replaced (kept here as the oracle) for
//! the view models the bridge makes from every sample project, the run
//! lines and the broken Dockerfiles below, and both must make the same
//! markup (tags, attributes in order, text, nesting).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{
    analyze, size_text, BuildSettings, FileChangeVm, LayerVm, RunVm, Session, Severity,
};
use crate::bridge::{GraphNodeVm, StepVm};
use crate::components::build_controls::{build_controls, BuildControlsProps};
use crate::components::build_view::{
    build_view_of, familiar, stage_section_id, step_row, BuildViewProps,
};
use crate::components::el::tests::markup;
use crate::components::el::{cls, el, lit, send, text, txt};
use crate::components::images_view::{images_view, ImagesViewProps};
use crate::components::layers_view::{layer_list, layer_source, stack, summary};
use crate::components::markdown::{blocks, inlines};
use crate::components::problems::{plural, problems, ProblemsProps};
use crate::components::run_view::{run_view, RunViewProps};
use crate::components::stage_graph::{stage_graph, StageGraphProps};
use crate::components::status_bar::{status_bar, StatusBarProps};
use crate::components::terminal::entry;
use crate::components::timeline::{timeline, TimelineProps};
use crate::project::{Project, ProjectFile, SAMPLES};
use crate::state::Action;
use crate::state::TermEntry;
use layerlab_engine::docker::versions;
use layerlab_engine::exercise::markdown::{Block, Inline};

fn old_images_view(props: &ImagesViewProps) -> Html {
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
                            <div class="stack small" style={format!("width: {width:.2}%")}
                                 role="img" aria-label={format!("{}: {} layers, {} shared with other images", i.name, i.layers.len(), size_text(i.shared))}>
                                { for i.layers.iter().map(|l| {
                                    let pct = l.size as f64 / i.size.max(1) as f64 * 100.0;
                                    let style = format!("width: max({pct:.2}%, 2px); --hue: {}", l.hue);
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

fn old_run_view(props: &RunViewProps) -> Html {
    let oninput = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                on_action.emit(Action::SetRunLine(el.value()));
            }
        })
    };
    let body = match &*props.plan {
        RunVm::Empty => html! { <p class="placeholder">{ "Type a docker run command." }</p> },
        RunVm::Error(e) => html! { <div class="error-box" role="alert">{ e.clone() }</div> },
        RunVm::Plan(p) => html! {
            <>
                if !p.warnings.is_empty() {
                    <div class="warning-box" role="alert">
                        <strong>{ "Warning" }</strong>
                        <ul>{ for p.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    </div>
                }
                <section class="card">
                    <h3>{ "Process" }</h3>
                    <dl class="facts">
                        <dt>{ "Command (argv)" }</dt><dd><code>{ p.argv.clone() }</code></dd>
                        <dt>{ "PID 1" }</dt><dd>{ p.pid1.clone() }</dd>
                        <dt>{ "Signals" }</dt><dd>{ p.signals.clone() }</dd>
                        <dt>{ "User" }</dt><dd><code>{ p.user.clone() }</code></dd>
                        <dt>{ "Working directory" }</dt><dd><code>{ p.cwd.clone() }</code></dd>
                        <dt>{ "Container" }</dt>
                        <dd>
                            <code>{ p.name.clone() }</code>
                            { if p.named { " (from --name)" } else { " (generated: no --name)" } }
                            { " from image " }<code>{ p.image.clone() }</code>
                            <span class="muted">{ format!(" — {}", p.image_source) }</span>
                        </dd>
                    </dl>
                </section>
                <section class="card">
                    <h3>{ "Ports" }</h3>
                    if p.ports.is_empty() {
                        <p class="muted">{ "No port is published: nothing on the host reaches the container (add -p HOST:CONTAINER)." }</p>
                    } else {
                        <ul class="ports">
                            { for p.ports.iter().map(|port| html! {
                                <li class={classes!("port", port.status)}>
                                    <code>{ port.display.clone() }</code>
                                    <span class={classes!("badge", port.status)}>{ port.label }</span>
                                    <span class="port-msg">{ port.message.clone() }</span>
                                </li>
                            }) }
                        </ul>
                    }
                    if !p.listening.is_empty() {
                        <p class="muted small">{ format!("The process listens: {}", p.listening.join("; ")) }</p>
                    }
                </section>
                <section class="card">
                    <h3>{ "What happens" }</h3>
                    <ul class="explain">
                        { for p.explanation.iter().map(|s| html! { <li>{ s.clone() }</li> }) }
                    </ul>
                    <p class="flags">
                        { for p.flags.iter().map(|(flag, on)| html! {
                            <span class={classes!("flag", on.then_some("on"))}>{ *flag }</span>
                        }) }
                    </p>
                    if !p.stderr.is_empty() {
                        <pre class="terminal-text small">{ p.stderr.join("\n") }</pre>
                    }
                </section>
                <details class="card env">
                    <summary>{ format!("Environment ({} variables)", p.env.len()) }</summary>
                    <table>
                        <tbody>
                            { for p.env.iter().map(|v| html! {
                                <tr><td><code>{ v.key.clone() }</code></td><td><code>{ v.value.clone() }</code></td><td class="muted">{ v.origin }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            </>
        },
    };
    let preset = |label: &'static str, line: String| {
        let on_action = props.on_action.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| on_action.emit(Action::SetRunLine(line.clone())));
        html! { <button class="chip" {onclick}>{ label }</button> }
    };
    let with_port = |port: &str| -> String {
        let words: Vec<&str> = props.line.split_whitespace().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if words[i] == "-p" && i + 1 < words.len() {
                out.push("-p".to_owned());
                out.push(port.to_owned());
                i += 2;
                continue;
            }
            out.push(words[i].to_owned());
            i += 1;
        }
        out.join(" ")
    };
    html! {
        <div class="view run-view">
            <label class="run-line">
                <span class="label">{ "Command" }</span>
                <input
                    class="code-input"
                    type="text"
                    value={props.line.clone()}
                    {oninput}
                    spellcheck="false"
                    autocomplete="off"
                    aria-label="docker run command line"
                />
            </label>
            if props.line.contains(" -p ") {
                <p class="presets">
                    <span class="muted">{ "Try: " }</span>
                    { preset("-p 5000:8080 (ASP.NET Core 8)", with_port("5000:8080")) }
                    { preset("-p 5000:80 (older tutorial)", with_port("5000:80")) }
                </p>
            }
            { body }
        </div>
    }
}

fn old_timeline(props: &TimelineProps) -> Html {
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
                    <span class="lane-name">{ if stage.name.is_empty() { "stage".to_owned() } else { stage.name.clone() } }</span>
                    <div class="lane-track">
                        { for stage.steps.iter().map(|step| {
                            let width = if step.cached { 0.0 } else { pct(step.duration_s) };
                            let style = format!("left: {:.2}%; width: max({:.2}%, 3px)", pct(step.start_s), width);
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
            { for b.skipped.iter().map(|name| html! {
                <div class="lane skipped">
                    <span class="lane-name">{ name.clone() }</span>
                    <div class="lane-track"><span class="skipped-label">{ "skipped: the target does not need it" }</span></div>
                </div>
            }) }
            <figcaption class="axis">
                <span>{ "0s" }</span>
                <span>{ format!("{total:.1}s modelled") }</span>
            </figcaption>
        </figure>
    }
}

fn old_status_bar(props: &StatusBarProps) -> Html {
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
                <span class={classes!("dot", if props.current { "ok" } else { "busy" })} aria-hidden="true"></span>
                { status }
                if props.engine_ms > 0.0 {
                    <span class="muted" id="engine-time">{ format!(" · engine {:.1} ms", props.engine_ms) }</span>
                }
            </span>
            <span class="muted">
                { "Runs entirely in your browser: no Docker, no server, no network. " }
                { format!("Models the docker CLI {} and BuildKit {}.", versions::CLI, versions::BUILDKIT) }
            </span>
        </footer>
    }
}

fn old_problems(props: &ProblemsProps) -> Html {
    let errors = props
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = props.problems.len() - errors;
    html! {
        <section class="problems" aria-label="Problems">
            <div class="problems-title">
                <span>{ "Problems" }</span>
                <span class={classes!("count", (errors > 0).then_some("has-errors"))}>
                    { format!("{errors} error{} · {warnings} warning{}", plural(errors), plural(warnings)) }
                </span>
            </div>
            if props.problems.is_empty() {
                <p class="problems-empty muted">{ "No problems: BuildKit's parser and build checks are happy." }</p>
            } else {
                <ul class="problem-list">
                    { for props.problems.iter().map(|p| {
                        let on_action = props.on_action.clone();
                        let (line, column) = (p.line, p.utf16_column);
                        let onclick = Callback::from(move |_: MouseEvent| on_action.emit(Action::JumpTo { line, column }));
                        html! {
                            <li>
                                <button class={classes!("problem", p.severity.as_str())} {onclick}
                                        title={format!("Go to line {}", p.line)}>
                                    <span class="sev" aria-label={p.severity.as_str()}>
                                        { if p.severity == Severity::Error { "✕" } else { "!" } }
                                    </span>
                                    <span class="msg">{ p.message.clone() }</span>
                                    if let Some(rule) = &p.rule {
                                        <span class="rule">{ rule.clone() }</span>
                                    }
                                    <span class="loc">{ format!("Ln {}, Col {}", p.line, p.column) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

fn old_layer_list(
    layers: &[LayerVm],
    own: &str,
    files: &dyn Fn(usize) -> Option<Vec<FileChangeVm>>,
) -> Html {
    html! {
        <ol class="layer-list" reversed=true>
            { for layers.iter().enumerate().rev().map(|(i, l)| {
                let changes = if l.base.is_none() { files(i) } else { None };
                let kind = match (&l.base, &l.stage) {
                    (Some(_), _) => "base",
                    (None, Some(_)) => "inherited",
                    (None, None) => "own",
                };
                html! {
                    <li class={classes!("layer", kind)}>
                        <span class="layer-size">{ l.size_text.clone() }</span>
                        <code class="layer-cmd" title={l.created_by.clone()}>{ l.created_by.clone() }</code>
                        <span class="layer-meta">
                            <span class="layer-src">{ layer_source(l, own) }</span>
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
    }
}

fn old_blocks(content: &[Block], heading_base: u8) -> Html {
    html! { for content.iter().map(|b| old_block(b, heading_base)) }
}

fn old_block(b: &Block, heading_base: u8) -> Html {
    match b {
        Block::Heading { level, content } => {
            let level = (heading_base + level.saturating_sub(1)).clamp(1, 6);
            html! { <@{format!("h{level}")} class="md-heading">{ old_inlines(content) }</@> }
        }
        Block::Paragraph { content } => html! { <p>{ old_inlines(content) }</p> },
        Block::List {
            ordered,
            start,
            items,
        } => {
            let items = items
                .iter()
                .map(|i| html! { <li>{ old_inlines(i) }</li> })
                .collect::<Html>();
            if *ordered {
                html! { <ol start={start.to_string()}>{ items }</ol> }
            } else {
                html! { <ul>{ items }</ul> }
            }
        }
        Block::Code { language, text } => html! {
            <pre class="md-code" data-language={(!language.is_empty()).then(|| language.clone())}>
                <code>{ text.clone() }</code>
            </pre>
        },
        Block::Quote { content } => html! { <blockquote>{ old_inlines(content) }</blockquote> },
        Block::Rule => html! { <hr /> },
    }
}

/// Renders inline content.
fn old_inlines(content: &[Inline]) -> Html {
    html! { for content.iter().map(old_inline) }
}

fn old_inline(i: &Inline) -> Html {
    match i {
        Inline::Text { text } => html! { { text.clone() } },
        Inline::Code { text } => html! { <code>{ text.clone() }</code> },
        Inline::Emphasis { content } => html! { <em>{ old_inlines(content) }</em> },
        Inline::Strong { content } => html! { <strong>{ old_inlines(content) }</strong> },
        // The engine keeps only http:, https:, mailto: and relative
        // addresses; anything else arrives as plain text.
        Inline::Link { url, content } => html! {
            <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ old_inlines(content) }</a>
        },
        Inline::Break => html! { <br /> },
    }
}

#[test]
fn markdown_makes_the_markup_of_the_html_it_replaced() {
    let mut cases = 0;
    for group in crate::exercises::picker_groups() {
        for entry in &group.entries {
            let ex = crate::exercises::view(&entry.id).expect("a listed exercise");
            assert_eq!(markup(&inlines(&ex.title)), markup(&old_inlines(&ex.title)));
            for base in [1, 3, 4, 6] {
                assert_eq!(
                    markup(&blocks(&ex.instructions, base)),
                    markup(&old_blocks(&ex.instructions, base))
                );
                for hint in &ex.hints {
                    assert_eq!(markup(&blocks(hint, base)), markup(&old_blocks(hint, base)));
                    cases += 1;
                }
                cases += 1;
            }
        }
    }
    assert!(cases > 20, "{cases}");
    println!("{cases} markdown cases");
}

/// Projects: every sample, and the default one with a Dockerfile that
/// fails to parse, one that fails to build, and one with warnings.
fn old_step_row(step: &StepVm, selected: bool, on_action: &Callback<Action>) -> Html {
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

fn old_build_view(
    props: &BuildViewProps,
    picked: Option<&str>,
    on_pick: Callback<GraphNodeVm>,
) -> Html {
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
                { stage_graph(&StageGraphProps { graph: Rc::new(b.graph.clone()), selected: picked.map(str::to_owned), on_select: on_pick }) }
            }
            if !b.stages.is_empty() {
                { timeline(&TimelineProps { build: b.clone(), selected: props.selected }) }
            }
            { for b.stages.iter().map(|stage| {
                let highlighted = picked.is_some_and(|p| {
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
                    { el("ol", "steps", stage.steps.iter().map(|s| old_step_row(s, props.selected == Some(s.vertex), &props.on_action)).collect()) }
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

fn old_stack(layers: &[LayerVm], label: String) -> Html {
    let total = layers.iter().map(|l| l.size).sum::<u64>().max(1);
    html! {
        <div class="stack" role="img" aria-label={label}>
            { for layers.iter().map(|l| {
                let pct = l.size as f64 / total as f64 * 100.0;
                let class = cls("segment", Some(if l.base.is_some() { "base" } else { "own" }));
                html! {
                    <span {class} style={format!("width: max({}%, 2px)", layerlab_engine::numfmt::fixed(pct, 2))}
                          title={format!("{} · {}", l.size_text, l.created_by)}></span>
                }
            }) }
        </div>
    }
}

fn projects() -> Vec<Project> {
    let mut out: Vec<Project> = SAMPLES.iter().map(Project::from_sample).collect();
    for dockerfile in [
        "FROM alpine:3.19\nRUN --bogus true\n",
        "FROM alpine:3.19\nCOPY missing.txt /x\nRUN echo hi\n",
        "from alpine:3.19 as Build\nRUN apk add curl\nmaintainer me\nFROM build\nCMD echo hi\n",
        "",
    ] {
        let mut p = Project::sample();
        p.files.retain(|f| f.path != "Dockerfile");
        p.files.push(ProjectFile::text("Dockerfile", dockerfile));
        out.push(p);
    }
    out
}

#[test]
fn plain_function_views_make_the_markup_of_the_html_they_replaced() {
    let on_action = Callback::from(|_: Action| ());
    let mut cases = 0;
    for project in projects() {
        let mut session = Session::new();
        let mut builds = Vec::new();
        for commit in [false, true, false] {
            builds.push(Rc::new(session.build(
                &project,
                &BuildSettings::default(),
                commit,
            )));
        }
        let images = Rc::new(session.images());
        let props = ImagesViewProps { images };
        assert_eq!(
            markup(&images_view(&props)),
            markup(&old_images_view(&props))
        );
        let empty = ImagesViewProps {
            images: Rc::new(Default::default()),
        };
        assert_eq!(
            markup(&images_view(&empty)),
            markup(&old_images_view(&empty))
        );
        cases += 2;
        for line in [
            SAMPLES[0].run,
            "",
            "docker run",
            "docker run --rm -p 5000:80 aspnetapp",
            "docker run -p 8080 -p 9000:9000 -e A=1 --name x -u 1000 -w /tmp aspnetapp sh -c 'echo hi'",
            "docker run --bogus aspnetapp",
            "docker run -d nginx",
            "ls",
        ] {
            let props = RunViewProps {
                line: line.to_owned(),
                plan: Rc::new(session.plan(line)),
                on_action: on_action.clone(),
            };
            assert_eq!(markup(&run_view(&props)), markup(&old_run_view(&props)), "{line}");
            cases += 1;
        }
        let analysis = analyze(&project);
        for problems_shown in [analysis.problems.clone(), Vec::new()] {
            let props = ProblemsProps {
                problems: problems_shown,
                on_action: on_action.clone(),
            };
            assert_eq!(markup(&problems(&props)), markup(&old_problems(&props)));
            cases += 1;
        }
        for build in &builds {
            for selected in [None, Some(1), Some(3)] {
                let props = TimelineProps {
                    build: build.clone(),
                    selected,
                };
                assert_eq!(markup(&timeline(&props)), markup(&old_timeline(&props)));
                cases += 1;
            }
            for (current, engine_ms) in [(true, 0.0), (false, 12.345)] {
                let props = StatusBarProps {
                    build: Some(build.clone()),
                    current,
                    engine_ms,
                    problems: analysis.problems.len(),
                };
                assert_eq!(markup(&status_bar(&props)), markup(&old_status_bar(&props)));
                cases += 1;
            }
            let files = session.layers();
            let own_files = |i: usize| {
                let own_index = build.layers[..i]
                    .iter()
                    .filter(|x| x.base.is_none())
                    .count();
                files
                    .as_ref()
                    .and_then(|f| f.layers.get(own_index).cloned())
            };
            assert_eq!(
                markup(&stack(&build.layers, "label".to_owned())),
                markup(&old_stack(&build.layers, "label".to_owned()))
            );
            assert_eq!(
                markup(&layer_list(&build.layers, "this build", &own_files)),
                markup(&old_layer_list(&build.layers, "this build", &own_files))
            );
            cases += 1;
        }
        let props = StatusBarProps {
            build: None,
            current: false,
            engine_ms: 0.0,
            problems: 0,
        };
        assert_eq!(markup(&status_bar(&props)), markup(&old_status_bar(&props)));
        cases += 1;
    }
    println!("{cases} view cases");
}

#[test]
fn build_view_makes_the_markup_of_the_html_it_replaced() {
    let on_action = Callback::from(|_: Action| ());
    let on_pick = Callback::from(|_: GraphNodeVm| ());
    let mut cases = 0;
    for project in projects() {
        let mut session = Session::new();
        let analysis = analyze(&project);
        let mut builds = vec![None];
        for (commit, target) in [(false, ""), (true, ""), (false, ""), (true, "build")] {
            let settings = BuildSettings {
                target: target.to_owned(),
                ..BuildSettings::default()
            };
            builds.push(Some(Rc::new(session.build(&project, &settings, commit))));
        }
        for build in builds {
            let steps: Vec<StepVm> = build
                .iter()
                .flat_map(|b| b.stages.iter().flat_map(|s| s.steps.clone()))
                .collect();
            for step in &steps {
                for selected in [false, true] {
                    assert_eq!(
                        markup(&step_row(step, selected, &on_action)),
                        markup(&old_step_row(step, selected, &on_action))
                    );
                    cases += 1;
                }
            }
            let mut picks = vec![None, Some("nothing".to_owned())];
            if let Some(b) = &build {
                picks.extend(b.graph.nodes.iter().map(|n| Some(n.name.clone())));
            }
            for current in [true, false] {
                for selected in [None, steps.first().map(|s| s.vertex), Some(3)] {
                    for picked in &picks {
                        let props = BuildViewProps {
                            build: build.clone(),
                            current,
                            settings: BuildSettings::default(),
                            image: project.name.clone(),
                            stages: analysis.stages.clone(),
                            selected,
                            on_action: on_action.clone(),
                            on_build: Callback::from(|_: ()| ()),
                        };
                        assert_eq!(
                            markup(&build_view_of(&props, picked.as_deref(), on_pick.clone())),
                            markup(&old_build_view(&props, picked.as_deref(), on_pick.clone()))
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    println!("{cases} build view cases");
}

#[test]
fn terminal_entries_make_the_markup_of_the_html_they_replaced() {
    for failed in [false, true] {
        for output in ["", "line\nline 2", "<b>"] {
            let e = TermEntry {
                command: "docker build -t x .".to_owned(),
                output: output.to_owned(),
                failed,
            };
            let old = html! {
                <div class={cls("term-entry", e.failed.then_some("failed"))}>
                    <div class="term-cmd"><span class="ps1" aria-hidden="true">{ "$ " }</span>{ e.command.clone() }</div>
                    if !e.output.is_empty() {
                        { text("pre", "term-out", &e.output) }
                    }
                </div>
            };
            assert_eq!(markup(&entry(&e)), markup(&old));
        }
    }
}
