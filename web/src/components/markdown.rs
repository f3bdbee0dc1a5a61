//! Exercise Markdown as elements: the engine's typed blocks and inlines
//! ([`Block`], [`Inline`]) become Yew elements whose text is always a text
//! node. Nothing here builds HTML from a string, so text that looks like
//! HTML stays text.

use layerlab_engine::exercise::markdown::{Block, Inline};
use yew::prelude::*;

use crate::components::el::{el, text as text_el, txt};

/// Renders blocks. Headings start at `<h{heading_base}>` for `#` (capped
/// at `<h6>`), so they fit under the heading of the part showing them.
pub fn blocks(content: &[Block], heading_base: u8) -> Html {
    html! { for content.iter().map(|b| block(b, heading_base)) }
}

fn block(b: &Block, heading_base: u8) -> Html {
    match b {
        Block::Heading { level, content } => {
            let level = (heading_base + level.saturating_sub(1)).clamp(1, 6);
            html! { <@{format!("h{level}")} class="md-heading">{ inlines(content) }</@> }
        }
        Block::Paragraph { content } => el("p", "", vec![inlines(content)]),
        Block::List {
            ordered,
            start,
            items,
        } => {
            let items = items
                .iter()
                .map(|i| el("li", "", vec![inlines(i)]))
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
        Block::Quote { content } => el("blockquote", "", vec![inlines(content)]),
        Block::Rule => html! { <hr /> },
    }
}

/// Renders inline content.
pub fn inlines(content: &[Inline]) -> Html {
    html! { for content.iter().map(inline) }
}

fn inline(i: &Inline) -> Html {
    match i {
        Inline::Text { text } => txt(text),
        Inline::Code { text } => text_el("code", "", text),
        Inline::Emphasis { content } => el("em", "", vec![inlines(content)]),
        Inline::Strong { content } => el("strong", "", vec![inlines(content)]),
        // The engine keeps only http:, https:, mailto: and relative
        // addresses; anything else arrives as plain text.
        Inline::Link { url, content } => html! {
            <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ inlines(content) }</a>
        },
        Inline::Break => html! { <br /> },
    }
}
