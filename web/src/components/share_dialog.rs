//! The share dialog: the link that reproduces the project (or why there
//! is none), and an `<iframe>` snippet to embed it in a docs page.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};

use crate::components::el::{lit, send, text};
use crate::state::{Action, Notice, ShareInfo};

/// Properties of the share dialog.
#[derive(PartialEq)]
pub struct ShareDialogProps {
    /// The link and snippet.
    pub info: ShareInfo,
    /// Close and notices go here.
    pub on_action: Callback<Action>,
}

/// Focuses the dialog's first field when it opens: the app calls it on
/// every render with whether the dialog shows.
#[hook]
pub fn use_share_focus(open: bool) {
    use_effect_when(
        Deps::of(open),
        Box::new(move || {
            if open {
                crate::dom::focus("share-link");
            }
            no_cleanup()
        }),
    );
}

/// The share dialog.
pub fn share_dialog(props: &ShareDialogProps) -> Html {
    let close = send(&props.on_action, Action::CloseShare);
    let onkeydown = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_action.emit(Action::CloseShare);
            }
        })
    };
    let copy = |text: String, what: &'static str| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            crate::dom::copy_text(&text);
            on_action.emit(Action::Notify(Notice {
                error: false,
                text: format!("{what} copied to the clipboard."),
            }));
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            el.select();
        } else if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            el.select();
        }
    });
    html! {
        <div class="dialog-backdrop" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" {onkeydown}
                 onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="share-title">{ "Share this project" }</h2>
                { match &props.info.url {
                    Ok(url) => html! {
                        <>
                            { text("p", "muted", &format!("The link holds every file, the run line and the open view ({} characters, format v{}). Nothing is uploaded.", url.len(), crate::share::VERSION)) }
                            <div class="copy-row">
                                <input id="share-link" class="code-input" readonly=true value={url.clone()} aria-label="Share link" onfocus={select_all.clone()} />
                                <button class="btn primary" onclick={copy(url.clone(), "Link")}>{ "Copy link" }</button>
                            </div>
                            if let Some(snippet) = &props.info.embed {
                                { lit("h3", "", "Embed in a page") }
                                { lit("p", "muted", "Shows the editor and the current view, sized for an iframe.") }
                                <div class="copy-row">
                                    <textarea class="code-input" readonly=true rows="3" value={snippet.clone()} aria-label="Embed snippet" onfocus={select_all} />
                                    <button class="btn" onclick={copy(snippet.clone(), "Snippet")}>{ "Copy" }</button>
                                </div>
                            }
                        </>
                    },
                    Err(e) => html! { <div id="share-link" tabindex="-1" class="error-box" role="alert">{ e.clone() }</div> },
                } }
                <div class="dialog-actions">
                    <button class="btn" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}
