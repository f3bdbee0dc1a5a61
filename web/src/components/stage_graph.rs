//! The stage graph of the Build view, drawn as SVG: one box per stage,
//! left to right by dependency depth, an arrow from each stage to the
//! stages that need it labelled with how (`FROM`, `COPY --from`,
//! `RUN --mount`). The target is highlighted, stages the target does not
//! need are greyed with the reason, and an image a `COPY --from` names is
//! a dashed box. Stage boxes are keyboard-focusable buttons: activating
//! one shows that stage's steps.

use std::rc::Rc;

use layerlab_engine::numfmt::shortest;
use yew::prelude::*;

use crate::bridge::{GraphNodeVm, StageGraphVm};
use crate::components::el::{attr, attr_of, classes_attr, click, tag, text, txt};

/// Box width, px (SVG user units).
const NODE_W: f64 = 196.0;
/// Box height.
const NODE_H: f64 = 74.0;
/// Space between columns (room for the edge labels).
const COL_GAP: f64 = 76.0;
/// Space between rows.
const ROW_GAP: f64 = 14.0;
/// Margin around the drawing.
const PAD: f64 = 6.0;
/// Characters that fit on a box's line at the box's font size (10.5px
/// monospace).
const LINE_CHARS: usize = 28;
/// The same for the stage's name (12px bold).
const NAME_CHARS: usize = 23;

/// Properties of the stage graph.
#[derive(PartialEq)]
pub struct StageGraphProps {
    /// The graph.
    pub graph: Rc<StageGraphVm>,
    /// The stage (node name) shown as selected.
    pub selected: Option<String>,
    /// A stage box was activated: its node.
    pub on_select: Callback<GraphNodeVm>,
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// `FROM mcr.microsoft.com/dotnet/sdk:8.0` as `FROM …dotnet/sdk:8.0`:
/// an image reference keeps its end (the name and tag) when it is cut.
fn clip_base(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let (keyword, rest) = text.split_once(' ').unwrap_or(("", text));
    let room = max.saturating_sub(keyword.chars().count() + 2);
    // The longest tail that starts at a `/` and fits, else the last characters.
    let fits = |t: &str| t.chars().count() <= room;
    let tail = rest
        .match_indices('/')
        .map(|(i, _)| &rest[i..])
        .find(|t| fits(t))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let n = rest.chars().count();
            rest.chars().skip(n.saturating_sub(room)).collect()
        });
    format!("{keyword} …{tail}")
}

fn origin(node: &GraphNodeVm) -> (f64, f64) {
    (
        PAD + node.column as f64 * (NODE_W + COL_GAP),
        PAD + node.row as f64 * (NODE_H + ROW_GAP),
    )
}

fn describe(node: &GraphNodeVm) -> String {
    if node.image {
        return format!(
            "Image {}: not a stage, its files are copied or mounted",
            node.name
        );
    }
    let mut parts = vec![format!("Stage {}", node.name), node.base.clone()];
    if node.target {
        parts.push("the target".to_owned());
    }
    match &node.skipped {
        Some(reason) => parts.push(format!("skipped: {reason}")),
        None => parts.push(node.status.clone()),
    }
    if let Some(span) = &node.span {
        parts.push(format!("ran {span} (modelled)"));
    }
    parts.join(", ")
}

fn node_view(node: &GraphNodeVm, selected: bool, on_select: &Callback<GraphNodeVm>) -> Html {
    let (x, y) = origin(node);
    let class = classes!(
        "graph-node",
        if node.image {
            "image-node"
        } else {
            "stage-node"
        },
        node.target.then_some("target"),
        node.skipped.is_some().then_some("skipped"),
        selected.then_some("selected"),
    );
    let label = describe(node);
    let title = if node.target {
        format!("{} · target", node.name)
    } else {
        node.name.clone()
    };
    let third = node.skipped.clone().unwrap_or_else(|| node.status.clone());
    let fourth = match (&node.skipped, &node.span) {
        (None, Some(span)) => format!("ran {span}"),
        _ => String::new(),
    };
    let line = |class: &'static str, y: &'static str, content: String| {
        tag(
            "text",
            &["x", "y", "class"],
            vec![attr("9"), attr(y), attr(class)],
            Vec::new(),
            vec![txt(&content)],
        )
    };
    let body = vec![
        text("title", "", &label),
        tag(
            "rect",
            &["width", "height", "rx", "class"],
            vec![
                attr_of(shortest(NODE_W)),
                attr_of(shortest(NODE_H)),
                attr("6"),
                attr("node-box"),
            ],
            Vec::new(),
            vec![],
        ),
        line("node-name", "18", clip(&title, NAME_CHARS)),
        line("node-base", "35", clip_base(&node.base, LINE_CHARS)),
        line("node-status", "51", clip(&third, LINE_CHARS)),
        line("node-span", "66", clip(&fourth, LINE_CHARS)),
    ];
    let transform = attr_of(format!("translate({} {})", shortest(x), shortest(y)));
    if node.image {
        return tag(
            "g",
            &["transform", "role", "aria-label", "class"],
            vec![transform, attr("img"), attr_of(label), classes_attr(class)],
            Vec::new(),
            body,
        );
    }
    let onclick = {
        let on_select = on_select.clone();
        let node = node.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(node.clone()))
    };
    let onkeydown = {
        let on_select = on_select.clone();
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_select.emit(node.clone());
            }
        })
    };
    tag(
        "g",
        &[
            "transform",
            "tabindex",
            "role",
            "aria-label",
            "aria-pressed",
            "data-stage",
            "class",
        ],
        vec![
            transform,
            attr("0"),
            attr("button"),
            attr_of(label),
            attr(if selected { "true" } else { "false" }),
            attr_of(node.name.clone()),
            classes_attr(class),
        ],
        vec![
            click(onclick),
            Some(Rc::new(yew::html::onkeydown::Wrapper::new(onkeydown))),
        ],
        body,
    )
}

/// The stage graph.
pub fn stage_graph(props: &StageGraphProps) -> Html {
    let g = &props.graph;
    let columns = g.columns.max(1) as f64;
    let rows = g.rows.max(1) as f64;
    let width = 2.0 * PAD + columns * NODE_W + (columns - 1.0) * COL_GAP;
    let height = 2.0 * PAD + rows * NODE_H + (rows - 1.0) * ROW_GAP;
    let [width, height] = [width, height].map(shortest);
    let edges = g.edges.iter().filter_map(|e| {
        let (from, to) = (g.nodes.get(e.from)?, g.nodes.get(e.to)?);
        let (fx, fy) = origin(from);
        let (tx, ty) = origin(to);
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2.0);
        let (x2, y2) = (tx - 2.0, ty + NODE_H / 2.0);
        let mid = (x1 + x2) / 2.0;
        // The label sits on the curve's midpoint, just after the source
        // column, where edges from one box have not met others yet.
        let (lx, ly) = (x1 + COL_GAP / 2.0, (y1 + y2) / 2.0 - 4.0);
        let [x1, y1, x2, y2, mid] = [x1, y1, x2, y2, mid].map(shortest);
        let d = format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}");
        let class = classes!(
            "graph-edge",
            e.kinds.clone(),
            (!e.active).then_some("inactive"),
        );
        Some(tag(
            "g",
            &["data-from", "data-to", "class"],
            vec![
                attr_of(from.name.clone()),
                attr_of(to.name.clone()),
                classes_attr(class),
            ],
            Vec::new(),
            vec![
                text(
                    "title",
                    "",
                    &format!("{} {} {} (line {})", to.name, e.label, from.name, e.line),
                ),
                tag(
                    "path",
                    &["d", "marker-end"],
                    vec![attr_of(d), attr("url(#stage-graph-arrow)")],
                    Vec::new(),
                    vec![],
                ),
                tag(
                    "text",
                    &["x", "y", "text-anchor", "class"],
                    vec![
                        attr_of(shortest(lx)),
                        attr_of(shortest(ly)),
                        attr("middle"),
                        attr("edge-label"),
                    ],
                    Vec::new(),
                    vec![txt(&e.label)],
                ),
            ],
        ))
    });
    html! {
        <figure class="stage-graph" aria-label="Stage graph">
            <svg class="stage-graph-svg" viewBox={format!("0 0 {width} {height}")}
                 width={width.clone()} height={height.clone()}
                 style={format!("max-width: {width}px")} role="group"
                 aria-label="Stages and their dependencies">
                <defs>
                    <marker id="stage-graph-arrow" viewBox="0 0 10 10" refX="9" refY="5"
                            markerWidth="7" markerHeight="7" orient="auto">
                        <path class="arrow-head" d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for edges }
                { for g.nodes.iter().map(|n| node_view(n, props.selected.as_deref() == Some(n.name.as_str()) && !n.image, &props.on_select)) }
            </svg>
            <figcaption class="muted">
                { "Stages left to right by dependency; an arrow goes from a stage to the stage that needs it. Select a stage to see its steps." }
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::{BuildSettings, Session};
    use crate::components::el::tests::markup;
    use crate::project::{Project, SAMPLES};

    fn old_node_view(
        node: &GraphNodeVm,
        selected: bool,
        on_select: &Callback<GraphNodeVm>,
    ) -> Html {
        let (x, y) = origin(node);
        let class = classes!(
            "graph-node",
            if node.image {
                "image-node"
            } else {
                "stage-node"
            },
            node.target.then_some("target"),
            node.skipped.is_some().then_some("skipped"),
            selected.then_some("selected"),
        );
        let label = describe(node);
        let title = if node.target {
            format!("{} · target", node.name)
        } else {
            node.name.clone()
        };
        let third = node.skipped.clone().unwrap_or_else(|| node.status.clone());
        let fourth = match (&node.skipped, &node.span) {
            (None, Some(span)) => format!("ran {span}"),
            _ => String::new(),
        };
        let body = html! {
            <>
                <title>{ label.clone() }</title>
                <rect class="node-box" width={shortest(NODE_W)} height={shortest(NODE_H)} rx="6" />
                <text class="node-name" x="9" y="18">{ clip(&title, NAME_CHARS) }</text>
                <text class="node-base" x="9" y="35">{ clip_base(&node.base, LINE_CHARS) }</text>
                <text class="node-status" x="9" y="51">{ clip(&third, LINE_CHARS) }</text>
                <text class="node-span" x="9" y="66">{ clip(&fourth, LINE_CHARS) }</text>
            </>
        };
        if node.image {
            return html! {
                <g {class} transform={format!("translate({} {})", shortest(x), shortest(y))} role="img" aria-label={label}>
                    { body }
                </g>
            };
        }
        let onclick = {
            let on_select = on_select.clone();
            let node = node.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(node.clone()))
        };
        let onkeydown = {
            let on_select = on_select.clone();
            let node = node.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_select.emit(node.clone());
                }
            })
        };
        html! {
            <g {class} transform={format!("translate({} {})", shortest(x), shortest(y))} tabindex="0" role="button"
               aria-label={label} aria-pressed={if selected { "true" } else { "false" }}
               data-stage={node.name.clone()} {onclick} {onkeydown}>
                { body }
            </g>
        }
    }

    fn old_stage_graph(props: &StageGraphProps) -> Html {
        let g = &props.graph;
        let columns = g.columns.max(1) as f64;
        let rows = g.rows.max(1) as f64;
        let width = 2.0 * PAD + columns * NODE_W + (columns - 1.0) * COL_GAP;
        let height = 2.0 * PAD + rows * NODE_H + (rows - 1.0) * ROW_GAP;
        let [width, height] = [width, height].map(shortest);
        let edges = g.edges.iter().filter_map(|e| {
        let (from, to) = (g.nodes.get(e.from)?, g.nodes.get(e.to)?);
        let (fx, fy) = origin(from);
        let (tx, ty) = origin(to);
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2.0);
        let (x2, y2) = (tx - 2.0, ty + NODE_H / 2.0);
        let mid = (x1 + x2) / 2.0;
        // The label sits on the curve's midpoint, just after the source
        // column, where edges from one box have not met others yet.
        let (lx, ly) = (x1 + COL_GAP / 2.0, (y1 + y2) / 2.0 - 4.0);
        let [x1, y1, x2, y2, mid] = [x1, y1, x2, y2, mid].map(shortest);
        let d = format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}");
        let class = classes!(
            "graph-edge",
            e.kinds.clone(),
            (!e.active).then_some("inactive"),
        );
        Some(html! {
            <g {class} data-from={from.name.clone()} data-to={to.name.clone()}>
                <title>{ format!("{} {} {} (line {})", to.name, e.label, from.name, e.line) }</title>
                <path d={d} marker-end="url(#stage-graph-arrow)" />
                <text class="edge-label" x={shortest(lx)} y={shortest(ly)} text-anchor="middle">
                    { e.label.clone() }
                </text>
            </g>
        })
    });
        html! {
            <figure class="stage-graph" aria-label="Stage graph">
                <svg class="stage-graph-svg" viewBox={format!("0 0 {width} {height}")}
                     width={width.clone()} height={height.clone()}
                     style={format!("max-width: {width}px")} role="group"
                     aria-label="Stages and their dependencies">
                    <defs>
                        <marker id="stage-graph-arrow" viewBox="0 0 10 10" refX="9" refY="5"
                                markerWidth="7" markerHeight="7" orient="auto">
                            <path class="arrow-head" d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    { for edges }
                    { for g.nodes.iter().map(|n| old_node_view(n, props.selected.as_deref() == Some(n.name.as_str()) && !n.image, &props.on_select)) }
                </svg>
                <figcaption class="muted">
                    { "Stages left to right by dependency; an arrow goes from a stage to the stage that needs it. Select a stage to see its steps." }
                </figcaption>
            </figure>
        }
    }

    #[test]
    fn stage_graph_makes_the_markup_of_the_html_it_replaced() {
        let on_select = Callback::from(|_: GraphNodeVm| ());
        let mut cases = 0;
        for sample in SAMPLES {
            let project = Project::from_sample(sample);
            let mut session = Session::new();
            for target in ["", "build", "base"] {
                let settings = BuildSettings {
                    target: target.to_owned(),
                    ..BuildSettings::default()
                };
                let build = session.build(&project, &settings, true);
                let graph = Rc::new(build.graph.clone());
                let mut picks = vec![None];
                picks.extend(graph.nodes.iter().map(|n| Some(n.name.clone())));
                for selected in picks {
                    let props = StageGraphProps {
                        graph: graph.clone(),
                        selected,
                        on_select: on_select.clone(),
                    };
                    assert_eq!(
                        markup(&stage_graph(&props)),
                        markup(&old_stage_graph(&props))
                    );
                    cases += 1;
                }
            }
        }
        assert!(cases > 0);
    }

    #[test]
    fn long_base_images_keep_their_name_and_tag() {
        assert_eq!(
            clip_base("FROM mcr.microsoft.com/dotnet/sdk:8.0", LINE_CHARS),
            "FROM …/dotnet/sdk:8.0"
        );
        assert_eq!(
            clip_base("FROM alpine:3.20", LINE_CHARS),
            "FROM alpine:3.20"
        );
        assert_eq!(
            clip_base("FROM registry.example.com:5000/a-very-long-name:tag", 20),
            "FROM …-long-name:tag"
        );
        assert_eq!(clip("stage-with-a-long-name", 10), "stage-wit…");
    }
}
