//! The exercise beside the editor: its title and instructions, its checks
//! (pass or fail, and why each failure fails), hints revealed one at a
//! time, the solved state, and the ways out (reset the files to the
//! exercise's start, copy a link to it, leave the exercise).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::el::{
    attr, attr_of, class_of, classes_attr, click, el, el_class, lit, lit_text, send, tag, text, txt,
};
use crate::components::markdown::{blocks, inlines};
use crate::exercises::{CheckVm, ChecksVm, ExerciseAction, ExerciseVm};
use crate::state::Action;

/// Properties of the exercise panel.
#[derive(PartialEq)]
pub struct ExercisePanelProps {
    /// The exercise.
    pub exercise: Rc<ExerciseVm>,
    /// How many hints are shown.
    pub hints: usize,
    /// The latest checks, if any ran yet.
    pub checks: Option<Rc<ChecksVm>>,
    /// The checks are for the files as they are now.
    pub current: bool,
    /// Local storage says this exercise was solved.
    pub solved_before: bool,
    /// Hints, leaving, jumps to a Dockerfile line.
    pub on_action: Callback<Action>,
    /// Load the exercise's starting files again (its id).
    pub on_reset: Callback<String>,
    /// Copy the link to this exercise (its id).
    pub on_copy_link: Callback<String>,
}

/// The exercise panel.
pub fn exercise_panel(props: &ExercisePanelProps) -> Html {
    let ex = &props.exercise;
    let solved_now = props.current && props.checks.as_ref().is_some_and(|c| c.solved);
    let leave = send(&props.on_action, Action::Exercise(ExerciseAction::Leave));
    let reset = {
        let on_reset = props.on_reset.clone();
        let id = ex.id.clone();
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(
                        "Reset the files to the exercise's start? Your changes will be lost.",
                    )
                    .ok()
                })
                .unwrap_or(true);
            if ok {
                on_reset.emit(id.clone());
            }
        })
    };
    let copy_link = {
        let cb = props.on_copy_link.clone();
        let id = ex.id.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let show_hint = send(&props.on_action, Action::Exercise(ExerciseAction::ShowHint));
    let shown = props.hints.min(ex.hints.len());

    let (pill, pill_text) = match &props.checks {
        Some(c) if props.current && c.solved => ("solved", "✓ Solved".to_owned()),
        Some(c) if props.current => ("failing", format!("{}/{} pass", c.passed, c.results.len())),
        _ => ("pending", "Checking…".to_owned()),
    };
    let status = match &props.checks {
        None => "Checking…".to_owned(),
        Some(_) if !props.current => "Checking…".to_owned(),
        Some(c) if c.solved => format!(
            "Solved: all {} check{} pass.",
            c.results.len(),
            plural(c.results.len())
        ),
        Some(c) => format!(
            "{} of {} check{} pass.",
            c.passed,
            c.results.len(),
            plural(c.results.len())
        ),
    };

    let title_bar = el(
        "div",
        "pane-title",
        vec![
            el(
                "span",
                "exercise-heading",
                vec![
                    lit_text("Exercise"),
                    match &ex.difficulty {
                        Some(d) => text("span", "difficulty", d),
                        None => Html::default(),
                    },
                    tag(
                        "span",
                        &["role", "aria-live", "class"],
                        vec![
                            attr("status"),
                            attr("polite"),
                            class_of("check-pill", Some(pill)),
                        ],
                        Vec::new(),
                        vec![txt(&pill_text)],
                    ),
                ],
            ),
            tag(
                "button",
                &["aria-label", "title", "class"],
                vec![
                    attr("Leave the exercise"),
                    attr("Leave the exercise (the files stay)"),
                    attr("btn small"),
                ],
                vec![click(leave)],
                vec![lit_text("Leave")],
            ),
        ],
    );
    let solved_before = if props.solved_before && !solved_now {
        el(
            "p",
            "solved-mark",
            vec![
                tag(
                    "span",
                    &["aria-hidden"],
                    vec![attr("true")],
                    Vec::new(),
                    vec![lit_text("✓ ")],
                ),
                lit_text("You solved this exercise before."),
            ],
        )
    } else {
        Html::default()
    };
    let checks_status = el_class(
        "p",
        class_of("checks-status", solved_now.then_some("solved")),
        vec![
            if solved_now {
                tag(
                    "span",
                    &["aria-hidden", "class"],
                    vec![attr("true"), attr("solved-icon")],
                    Vec::new(),
                    vec![lit_text("✓ ")],
                )
            } else {
                Html::default()
            },
            txt(&status),
            match props.checks.as_ref().filter(|_| props.current) {
                Some(c) => text(
                    "span",
                    "muted small",
                    &format!(
                        " Checked in {} ms.",
                        layerlab_engine::numfmt::fixed(c.ms, 0)
                    ),
                ),
                None => Html::default(),
            },
        ],
    );
    let check_list = match &props.checks {
        Some(c) => el_class(
            "ul",
            class_of("check-list", (!props.current).then_some("stale")),
            c.results
                .iter()
                .map(|r| check_row(r, &props.on_action))
                .collect(),
        ),
        None => Html::default(),
    };
    let checks = tag(
        "section",
        &["aria-labelledby", "class"],
        vec![attr("checks-title"), attr("checks")],
        Vec::new(),
        vec![
            tag(
                "h3",
                &["id"],
                vec![attr("checks-title")],
                Vec::new(),
                vec![lit_text("Checks")],
            ),
            checks_status,
            check_list,
        ],
    );
    let hints = if ex.hints.is_empty() {
        Html::default()
    } else {
        let more = if shown < ex.hints.len() {
            tag(
                "button",
                &["class"],
                vec![attr("btn small")],
                vec![click(show_hint)],
                vec![
                    lit_text(if shown == 0 {
                        "Show hint"
                    } else {
                        "Show another hint"
                    }),
                    text(
                        "span",
                        "muted",
                        &format!(" ({} of {})", shown + 1, ex.hints.len()),
                    ),
                ],
            )
        } else {
            lit("p", "muted small", "No more hints.")
        };
        tag(
            "section",
            &["aria-labelledby", "class"],
            vec![attr("hints-title"), attr("hints")],
            Vec::new(),
            vec![
                tag(
                    "h3",
                    &["id"],
                    vec![attr("hints-title")],
                    Vec::new(),
                    vec![lit_text("Hints")],
                ),
                if shown > 0 {
                    el(
                        "ol",
                        "hint-list",
                        ex.hints
                            .iter()
                            .take(shown)
                            .map(|h| el("li", "hint md", vec![blocks(h, 4)]))
                            .collect(),
                    )
                } else {
                    Html::default()
                },
                more,
            ],
        )
    };
    let actions = el(
        "div",
        "exercise-actions",
        vec![
            tag(
                "button",
                &["title", "class"],
                vec![
                    attr("Load the exercise's starting files again"),
                    attr("btn small"),
                ],
                vec![click(reset)],
                vec![lit_text("Reset to start")],
            ),
            tag(
                "button",
                &["title", "class"],
                vec![
                    attr("Copy a link that opens this exercise"),
                    attr("btn small"),
                ],
                vec![click(copy_link)],
                vec![lit_text("Copy link")],
            ),
        ],
    );
    tag(
        "section",
        &["aria-labelledby", "class"],
        vec![
            attr("exercise-title"),
            classes_attr(classes!(
                "pane",
                "exercise-panel",
                solved_now.then_some("solved")
            )),
        ],
        Vec::new(),
        vec![
            title_bar,
            el(
                "div",
                "exercise-body",
                vec![
                    tag(
                        "h2",
                        &["id", "class"],
                        vec![attr("exercise-title"), attr("exercise-title")],
                        Vec::new(),
                        vec![inlines(&ex.title)],
                    ),
                    solved_before,
                    el("div", "md instructions", vec![blocks(&ex.instructions, 3)]),
                    checks,
                    hints,
                    actions,
                ],
            ),
        ],
    )
}

/// One check of the list: passed or failed, and why it failed.
fn check_row(r: &CheckVm, on_action: &Callback<Action>) -> Html {
    let mark = tag(
        "span",
        &["role", "aria-label", "class"],
        vec![
            attr("img"),
            attr(if r.passed { "passed" } else { "failed" }),
            attr("check-mark"),
        ],
        Vec::new(),
        vec![lit_text(if r.passed { "✓" } else { "✕" })],
    );
    let mut body = vec![el("div", "check-title", vec![inlines(&r.title)])];
    if r.passed {
        body.push(Html::default());
    } else {
        let jump = match r.line {
            Some(line) => Html::from_iter([
                lit_text(" "),
                tag(
                    "button",
                    &["title", "class"],
                    vec![
                        attr_of(format!("Go to line {line} of the Dockerfile")),
                        attr("link"),
                    ],
                    vec![click(send(on_action, Action::JumpTo { line, column: 0 }))],
                    vec![txt(&format!("Line {line}"))],
                ),
            ]),
            None => Html::default(),
        };
        let details = if r.details.is_empty() {
            Html::default()
        } else {
            el(
                "details",
                "check-details",
                vec![
                    lit("summary", "", "Details"),
                    el(
                        "ul",
                        "",
                        r.details
                            .iter()
                            .map(|d| el("li", "", vec![inlines(d)]))
                            .collect(),
                    ),
                ],
            )
        };
        body.push(Html::from_iter([
            el("div", "check-reason", vec![inlines(&r.reason), jump]),
            details,
        ]));
    }
    el_class(
        "li",
        class_of("check", Some(if r.passed { "pass" } else { "fail" })),
        vec![mark, el("div", "check-text", body)],
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
