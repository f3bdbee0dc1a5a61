//! The tabbed results pane: a tab list (arrow keys move between tabs, as
//! the ARIA tabs pattern has it) and the active view as its panel.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::el::{cls, send};
use crate::state::{Action, Tab};

/// Properties of the results pane.
#[derive(PartialEq)]
pub struct ResultsProps {
    /// The active tab.
    pub tab: Tab,
    /// Embedded: the tab list is kept, compact.
    pub embed: bool,
    /// Tab changes go here.
    pub on_action: Callback<Action>,
    /// The active view.
    pub children: Html,
}

/// The results pane.
pub fn results(props: &ResultsProps) -> Html {
    let onkeydown = {
        let on_action = props.on_action.clone();
        let tab = props.tab;
        Callback::from(move |e: KeyboardEvent| {
            let i = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let n = Tab::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            on_action.emit(Action::SetTab(Tab::ALL[next]));
            let id = format!("tab-{}", Tab::ALL[next].id());
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        })
    };
    html! {
        <section class={cls("pane", Some("results"))} aria-label="Results">
            <div class="tabs" role="tablist" aria-label="Results views" {onkeydown}>
                { for Tab::ALL.iter().map(|t| {
                    let active = *t == props.tab;
                    html! {
                        <button
                            id={format!("tab-{}", t.id())}
                            class={cls("tab", active.then_some("active"))}
                            role="tab"
                            aria-selected={if active { "true" } else { "false" }}
                            aria-controls="results-panel"
                            tabindex={if active { "0" } else { "-1" }}
                            onclick={send(&props.on_action, Action::SetTab(*t))}
                        >
                            { t.title() }
                        </button>
                    }
                }) }
            </div>
            <div
                id="results-panel"
                class={classes!("panel", format!("panel-{}", props.tab.id()))}
                role="tabpanel"
                aria-labelledby={format!("tab-{}", props.tab.id())}
            >
                { props.children.clone() }
            </div>
        </section>
    }
}
