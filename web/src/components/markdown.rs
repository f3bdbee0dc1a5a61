//! Exercise Markdown as elements: the engine's typed blocks and inlines
//! ([`Block`], [`Inline`]) become Yew elements whose text is always a text
//! node. Nothing here builds HTML from a string, so text that looks like
//! HTML stays text.

use layerlab_engine::exercise::markdown::{Block, Inline};
use yew::prelude::*;

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
        Block::Paragraph { content } => html! { <p>{ inlines(content) }</p> },
        Block::List {
            ordered,
            start,
            items,
        } => {
            let items = items
                .iter()
                .map(|i| html! { <li>{ inlines(i) }</li> })
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
        Block::Quote { content } => html! { <blockquote>{ inlines(content) }</blockquote> },
        Block::Rule => html! { <hr /> },
    }
}

/// Renders inline content.
pub fn inlines(content: &[Inline]) -> Html {
    html! { for content.iter().map(inline) }
}

fn inline(i: &Inline) -> Html {
    match i {
        Inline::Text { text } => html! { { text.clone() } },
        Inline::Code { text } => html! { <code>{ text.clone() }</code> },
        Inline::Emphasis { content } => html! { <em>{ inlines(content) }</em> },
        Inline::Strong { content } => html! { <strong>{ inlines(content) }</strong> },
        // The engine keeps only http:, https:, mailto: and relative
        // addresses; anything else arrives as plain text.
        Inline::Link { url, content } => html! {
            <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ inlines(content) }</a>
        },
        Inline::Break => html! { <br /> },
    }
}
