//! Small element builders shared by the views. Each `html!` element
//! expands to its own inline construction of a virtual node, and a text
//! child to a `to_string` copy of its value; these non-generic functions
//! build the same nodes (tag, `class`, text) once, so a view that calls
//! them carries a call instead of the construction. The DOM they make is
//! the DOM the equivalent `html!` makes: a tests module compares both.

use yew::prelude::*;
use yew::virtual_dom::VText;

use crate::state::Action;

/// A text node of `text` (as `{ text }` in `html!` makes it).
#[inline(never)]
pub fn txt(text: &str) -> Html {
    Html::VText(VText::new(AttrValue::from(text.to_owned())))
}

/// `<tag class={class}>{ children }</tag>`; an empty `class` sets no
/// attribute, one child is the element's only node and several are a list,
/// as `html!` builds them.
#[inline(never)]
pub fn el(tag: &'static str, class: &'static str, children: Vec<Html>) -> Html {
    html! { <@{tag} class={class}>{ for children }</@> }
}

/// `<tag class={class}>{ text }</tag>` for a text that is not `'static`.
#[inline(never)]
pub fn text(tag: &'static str, class: &'static str, text: &str) -> Html {
    el(tag, class, vec![txt(text)])
}

/// `<tag class={class}>{ "text" }</tag>` for a literal text.
#[inline(never)]
pub fn lit(tag: &'static str, class: &'static str, text: &'static str) -> Html {
    el(tag, class, vec![Html::VText(VText::new(text))])
}

/// `classes!(base, extra)`: the class `base`, then `extra` if any.
#[inline(never)]
pub fn cls(base: &'static str, extra: Option<&'static str>) -> Classes {
    classes!(base, extra)
}

/// A click handler that sends `action` to `on_action` (one closure type
/// for every such button).
#[inline(never)]
pub fn send(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    let on_action = on_action.clone();
    Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
}

/// A click handler that calls `cb`.
#[inline(never)]
pub fn forward(cb: &Callback<()>) -> Callback<MouseEvent> {
    let cb = cb.clone();
    Callback::from(move |_: MouseEvent| cb.emit(()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The markup a virtual node makes, as HTML-like text: tags with their
    /// attributes in order, text, and the nesting (lists are flattened, as
    /// in the DOM).
    pub(crate) fn markup(node: &Html) -> String {
        let mut out = String::new();
        write(node, &mut out);
        out
    }

    fn write(node: &Html, out: &mut String) {
        match node {
            Html::VTag(tag) => {
                out.push('<');
                out.push_str(tag.tag());
                for (k, v) in tag.attributes.iter() {
                    out.push_str(&format!(" {k}={v:?}"));
                }
                out.push('>');
                if let Some(children) = tag.children() {
                    write(children, out);
                }
                out.push_str(&format!("</{}>", tag.tag()));
            }
            Html::VText(t) => out.push_str(&format!("[{}]", t.text)),
            Html::VList(list) => {
                for child in list.iter() {
                    write(child, out);
                }
            }
            _ => out.push_str("<?>"),
        }
    }

    /// The variants the builders can make: the node `html!` makes for
    /// the same input, in the same shape (a text node, one child, a list).
    fn same(a: &Html, b: &Html) {
        assert_eq!(markup(a), markup(b));
        let shape = |n: &Html| match n {
            Html::VTag(t) => match t.children() {
                Some(Html::VList(l)) => format!("list {}", l.len()),
                Some(Html::VText(_)) => "text".to_owned(),
                Some(Html::VTag(_)) => "tag".to_owned(),
                Some(_) => "other".to_owned(),
                None => "none".to_owned(),
            },
            _ => "not a tag".to_owned(),
        };
        assert_eq!(shape(a), shape(b), "{}", markup(a));
    }

    #[test]
    fn builders_make_what_html_makes() {
        let texts = ["", "x", "a < b & \"c\"", "· — ✓", "  two  spaces "];
        let mut cases = 0;
        for t in texts {
            same(&txt(t), &html! { { t.to_owned() } });
            same(
                &text("span", "muted", t),
                &html! { <span class="muted">{ t.to_owned() }</span> },
            );
            same(
                &text("code", "", t),
                &html! { <code>{ t.to_owned() }</code> },
            );
            same(
                &text("p", "a b", t),
                &html! { <p class="a b">{ t.to_owned() }</p> },
            );
            same(
                &el("li", "row", vec![txt(t), lit("span", "muted", "lit")]),
                &html! { <li class="row">{ t.to_owned() }<span class="muted">{ "lit" }</span></li> },
            );
            same(
                &el("div", "one", vec![text("code", "", t)]),
                &html! { <div class="one"><code>{ t.to_owned() }</code></div> },
            );
            cases += 5;
        }
        same(&el("ul", "", vec![]), &html! { <ul></ul> });
        for extra in [None, Some("on"), Some(""), Some("a b"), Some("step")] {
            assert_eq!(cls("step", extra), classes!("step", extra));
            same(
                &html! { <p class={cls("x", extra)}></p> },
                &html! { <p class={classes!("x", extra)}></p> },
            );
        }
        same(&lit("h3", "", "Ports"), &html! { <h3>{ "Ports" }</h3> });
        println!("{cases} builder cases");
    }
}
