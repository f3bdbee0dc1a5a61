//! Small element builders shared by the views. Each `html!` element
//! expands to its own inline construction of a virtual node, and a text
//! child to a `to_string` copy of its value; these non-generic functions
//! build the same nodes (tag, `class`, text; [`tag`]: any attributes and
//! listeners) once, so a view that calls them carries a call instead of
//! the construction. The DOM they make is the DOM the equivalent `html!`
//! makes: a tests module compares both.
//!
//! Measured on the gzipped wasm, [`tag`] pays in the Build, Layers and
//! Terminal views; in the toolbar, the exercise panel, the Images view
//! and the build controls it made the wasm bigger, so they keep `html!`.

use std::rc::Rc;

use yew::html::IntoPropValue;
use yew::prelude::*;
use yew::virtual_dom::{ApplyAttributeAs, Attributes, Listener, VText};

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

/// A literal text node (as `{ "text" }` in `html!` makes it).
#[inline(never)]
pub fn lit_text(text: &'static str) -> Html {
    Html::VText(VText::new(text))
}

/// A literal attribute value, for [`tag`].
pub fn attr(value: &'static str) -> Option<AttrValue> {
    Some(AttrValue::Static(value))
}

/// An attribute value made at run time, for [`tag`].
#[inline(never)]
pub fn attr_of(value: String) -> Option<AttrValue> {
    Some(AttrValue::from(value))
}

/// The `class` attribute `classes` make (none if empty), for [`tag`].
#[inline(never)]
pub fn classes_attr(classes: Classes) -> Option<AttrValue> {
    classes.into_prop_value()
}

/// The `class` attribute `classes!(base, extra)` makes, for [`tag`].
#[inline(never)]
pub fn class_of(base: &'static str, extra: Option<&'static str>) -> Option<AttrValue> {
    classes_attr(cls(base, extra))
}

/// The `onclick` listener of `cb`, for [`tag`].
#[inline(never)]
pub fn click(cb: Callback<MouseEvent>) -> Option<Rc<dyn Listener>> {
    Some(Rc::new(yew::html::onclick::Wrapper::new(cb)))
}

/// `<tag k={v}… on…={…}>{ children }</tag>`: the attributes named
/// `keys` with the `values` in the same order (`None` sets no attribute,
/// as an `html!` value of `None` does), the `listeners`, and the children
/// as [`el`] makes them. `html!` orders an element's attributes so: the
/// others as written, then `value`, then the boolean ones (`selected`,
/// `disabled`, …), then `class`; `keys` must follow that order.
#[inline(never)]
pub fn tag(
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<Option<AttrValue>>,
    listeners: Vec<Option<Rc<dyn Listener>>>,
    children: Vec<Html>,
) -> Html {
    debug_assert_eq!(keys.len(), values.len(), "{tag}: one value per key");
    let mut node = html! { <@{tag}>{ for children }</@> };
    if let Html::VTag(t) = &mut node {
        if !keys.is_empty() {
            t.attributes = Attributes::Dynamic {
                keys,
                values: values
                    .into_iter()
                    .map(|v| v.map(|v| (v, ApplyAttributeAs::Attribute)))
                    .collect(),
            };
        }
        if !listeners.is_empty() {
            t.set_listeners(listeners.into_boxed_slice());
        }
    }
    node
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
        same(&lit_text("x"), &html! { { "x" } });
        for t in texts {
            for on in [false, true] {
                let owned = || t.to_owned();
                let cb = Callback::from(|_: MouseEvent| ());
                same(
                    &tag(
                        "button",
                        &["aria-pressed", "title", "class"],
                        vec![
                            attr(if on { "true" } else { "false" }),
                            attr_of(owned()),
                            attr("btn"),
                        ],
                        vec![click(cb.clone())],
                        vec![lit_text("Go")],
                    ),
                    &html! {
                        <button class="btn" onclick={cb.clone()} aria-pressed={if on { "true" } else { "false" }} title={owned()}>{ "Go" }</button>
                    },
                );
                same(
                    &tag(
                        "option",
                        &["title", "value", "selected", "disabled", "class"],
                        vec![
                            attr_of(owned()),
                            attr_of(owned()),
                            on.then_some(AttrValue::Static("selected")),
                            (!on).then_some(AttrValue::Static("disabled")),
                            class_of("opt", on.then_some("on")),
                        ],
                        Vec::new(),
                        vec![txt(t)],
                    ),
                    &html! {
                        <option value={owned()} class={classes!("opt", on.then_some("on"))} selected={on} title={owned()} disabled={!on}>{ owned() }</option>
                    },
                );
                same(
                    &tag(
                        "li",
                        &["data-x", "aria-current", "class"],
                        vec![
                            attr_of(owned()),
                            on.then_some(AttrValue::Static("true")),
                            classes_attr(classes!("a", t)),
                        ],
                        Vec::new(),
                        vec![el("span", "", vec![]), Html::default(), txt(t)],
                    ),
                    &html! {
                        <li class={classes!("a", t)} data-x={owned()} aria-current={on.then_some("true")}>
                            <span></span>
                            if false { { "never" } }
                            { owned() }
                        </li>
                    },
                );
                same(
                    &tag("p", &[], Vec::new(), Vec::new(), vec![]),
                    &html! { <p></p> },
                );
                cases += 4;
            }
        }
        println!("{cases} builder cases");
    }
}
