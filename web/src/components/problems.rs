//! The Problems list under the editor: parser errors and BuildKit's build
//! checks for the Dockerfile; a click puts the cursor on the line.

use yew::prelude::*;

use crate::bridge::{Problem, Severity};
use crate::components::el::{cls, lit, send, text};
use crate::state::Action;

/// Properties of the Problems list.
#[derive(PartialEq)]
pub struct ProblemsProps {
    /// What the parser and the checks found.
    pub problems: Vec<Problem>,
    /// Where clicks go.
    pub on_action: Callback<Action>,
}

/// The Problems list.
pub fn problems(props: &ProblemsProps) -> Html {
    let errors = props
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = props.problems.len() - errors;
    html! {
        <section class="problems" aria-label="Problems">
            <div class="problems-title">
                { lit("span", "", "Problems") }
                <span class={cls("count", (errors > 0).then_some("has-errors"))}>
                    { format!("{errors} error{} · {warnings} warning{}", plural(errors), plural(warnings)) }
                </span>
            </div>
            if props.problems.is_empty() {
                { lit("p", "problems-empty muted", "No problems: BuildKit's parser and build checks are happy.") }
            } else {
                <ul class="problem-list">
                    { for props.problems.iter().map(|p| {
                        let onclick = send(&props.on_action, Action::JumpTo { line: p.line, column: p.utf16_column });
                        html! {
                            <li>
                                <button class={cls("problem", Some(p.severity.as_str()))} {onclick}
                                        title={format!("Go to line {}", p.line)}>
                                    <span class="sev" aria-label={p.severity.as_str()}>
                                        { if p.severity == Severity::Error { "✕" } else { "!" } }
                                    </span>
                                    { text("span", "msg", &p.message) }
                                    if let Some(rule) = &p.rule {
                                        { text("span", "rule", rule) }
                                    }
                                    { text("span", "loc", &format!("Ln {}, Col {}", p.line, p.column)) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
