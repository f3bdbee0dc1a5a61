//! The exercise beside the editor: its title and instructions, its checks
//! (pass or fail, and why each failure fails), hints revealed one at a
//! time, the solved state, and the ways out (reset the files to the
//! exercise's start, copy a link to it, leave the exercise).

use std::rc::Rc;

use yew::prelude::*;

use crate::components::el::{cls, el, lit, send, text};
use crate::components::markdown::{blocks, inlines};
use crate::exercises::{ChecksVm, ExerciseAction, ExerciseVm};
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

    html! {
        <section
            class={classes!("pane", "exercise-panel", solved_now.then_some("solved"))}
            aria-labelledby="exercise-title"
        >
            <div class="pane-title">
                <span class="exercise-heading">
                    { "Exercise" }
                    if let Some(d) = &ex.difficulty {
                        { text("span", "difficulty", d) }
                    }
                    <span class={cls("check-pill", Some(pill))} role="status" aria-live="polite">
                        { pill_text }
                    </span>
                </span>
                <button class="btn small" onclick={leave} aria-label="Leave the exercise"
                        title="Leave the exercise (the files stay)">{ "Leave" }</button>
            </div>
            <div class="exercise-body">
                <h2 id="exercise-title" class="exercise-title">{ inlines(&ex.title) }</h2>
                if props.solved_before && !solved_now {
                    <p class="solved-mark">
                        <span aria-hidden="true">{ "✓ " }</span>
                        { "You solved this exercise before." }
                    </p>
                }
                { el("div", "md instructions", vec![blocks(&ex.instructions, 3)]) }

                <section class="checks" aria-labelledby="checks-title">
                    <h3 id="checks-title">{ "Checks" }</h3>
                    <p class={cls("checks-status", solved_now.then_some("solved"))}>
                        if solved_now {
                            <span class="solved-icon" aria-hidden="true">{ "✓ " }</span>
                        }
                        { status }
                        if let Some(c) = props.checks.as_ref().filter(|_| props.current) {
                            { text("span", "muted small", &format!(" Checked in {} ms.", layerlab_engine::numfmt::fixed(c.ms, 0))) }
                        }
                    </p>
                    if let Some(c) = &props.checks {
                        <ul class={cls("check-list", (!props.current).then_some("stale"))}>
                            { for c.results.iter().map(|r| {
                                let jump = r.line.map(|line| send(&props.on_action, Action::JumpTo { line, column: 0 }));
                                html! {
                                    <li class={cls("check", Some(if r.passed { "pass" } else { "fail" }))}>
                                        <span class="check-mark" role="img"
                                              aria-label={if r.passed { "passed" } else { "failed" }}>
                                            { if r.passed { "✓" } else { "✕" } }
                                        </span>
                                        <div class="check-text">
                                            { el("div", "check-title", vec![inlines(&r.title)]) }
                                            if !r.passed {
                                                <div class="check-reason">
                                                    { inlines(&r.reason) }
                                                    if let (Some(line), Some(onclick)) = (r.line, jump) {
                                                        { " " }
                                                        <button class="link" {onclick}
                                                                title={format!("Go to line {line} of the Dockerfile")}>
                                                            { format!("Line {line}") }
                                                        </button>
                                                    }
                                                </div>
                                                if !r.details.is_empty() {
                                                    <details class="check-details">
                                                        { lit("summary", "", "Details") }
                                                        { el("ul", "", r.details.iter().map(|d| el("li", "", vec![inlines(d)])).collect()) }
                                                    </details>
                                                }
                                            }
                                        </div>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                </section>

                if !ex.hints.is_empty() {
                    <section class="hints" aria-labelledby="hints-title">
                        <h3 id="hints-title">{ "Hints" }</h3>
                        if shown > 0 {
                            { el("ol", "hint-list", ex.hints.iter().take(shown).map(|h| el("li", "hint md", vec![blocks(h, 4)])).collect()) }
                        }
                        if shown < ex.hints.len() {
                            <button class="btn small" onclick={show_hint}>
                                { if shown == 0 { "Show hint" } else { "Show another hint" } }
                                { text("span", "muted", &format!(" ({} of {})", shown + 1, ex.hints.len())) }
                            </button>
                        } else {
                            { lit("p", "muted small", "No more hints.") }
                        }
                    </section>
                }

                <div class="exercise-actions">
                    <button class="btn small" onclick={reset}
                            title="Load the exercise's starting files again">{ "Reset to start" }</button>
                    <button class="btn small" onclick={copy_link}
                            title="Copy a link that opens this exercise">{ "Copy link" }</button>
                </div>
            </div>
        </section>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
