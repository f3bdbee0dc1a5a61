//! A transient message over the page (imports, copies, errors). Errors
//! stay until dismissed; information fades after a few seconds.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::components::effect::{use_effect_when, Deps};

use crate::components::el::{cls, send};
use crate::state::{Action, Notice};

/// Properties of the notice.
#[derive(PartialEq)]
pub struct NoticeBarProps {
    /// The message.
    pub notice: Option<Notice>,
    /// Dismissal goes here.
    pub on_action: Callback<Action>,
}

/// Dismisses an information notice after a few seconds (errors stay):
/// the app calls it on every render with the notice it shows.
#[hook]
pub fn use_notice_timeout(notice: Option<Notice>, on_action: Callback<Action>) {
    let transient = notice.as_ref().is_some_and(|n| !n.error);
    use_effect_when(
        Deps::of(notice),
        Box::new(move || {
            let timer =
                transient.then(|| Timeout::new(4000, move || on_action.emit(Action::Dismiss)));
            Box::new(move || drop(timer))
        }),
    );
}

/// The notice (its timeout is [`use_notice_timeout`]).
pub fn notice_bar(props: &NoticeBarProps) -> Html {
    let Some(n) = &props.notice else {
        return html! {};
    };
    let dismiss = send(&props.on_action, Action::Dismiss);
    html! {
        <div class={cls("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
            <span>{ n.text.clone() }</span>
            <button class="icon-btn" onclick={dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}
