//! The exercise picker in the toolbar: the built-in exercises grouped by
//! difficulty, a ✓ before each one solved. Picking one loads its starting
//! files; picking "None" leaves the exercise (the files stay).

use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};

use crate::components::el::lit;
use crate::exercises;

/// Properties of the exercise picker.
#[derive(PartialEq)]
pub struct ExercisePickerProps {
    /// The exercise open, if any.
    pub active: Option<String>,
    /// Ids of the exercises solved.
    pub solved: Rc<BTreeSet<String>>,
    /// An exercise was picked (its id), or `""` for none.
    pub on_pick: Callback<String>,
    /// The picker's groups ([`exercises::picker_groups`], made once).
    pub groups: Rc<Vec<exercises::PickerGroup>>,
    /// The select element ([`use_picker_sync`] keeps its value).
    pub select: NodeRef,
}

/// Keeps the select on the exercise open even after the learner changed
/// it (the `selected` attributes alone do not move a used select): the
/// app calls it on every render with the exercise open (`""`: none).
#[hook]
pub fn use_picker_sync(select: NodeRef, active: String) {
    use_effect_when(
        Deps::of(active.clone()),
        Box::new(move || {
            if let Some(el) = select.cast::<HtmlSelectElement>() {
                el.set_value(&active);
            }
            no_cleanup()
        }),
    );
}

/// The exercise picker.
pub fn exercise_picker(props: &ExercisePickerProps) -> Html {
    let groups = &props.groups;
    let onchange = {
        let cb = props.on_pick.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                cb.emit(select.value());
            }
        })
    };
    let active = props.active.clone().unwrap_or_default();
    let select = props.select.clone();
    html! {
        <label class="sample-picker exercise-picker">
            { lit("span", "label", "Exercise") }
            <select ref={select} aria-label="Exercise" {onchange}>
                <option value="" selected={active.is_empty()}>{ "None" }</option>
                { for groups.iter().map(|g| html! {
                    <optgroup label={g.label}>
                        { for g.entries.iter().map(|e| {
                            let solved = props.solved.contains(&e.id);
                            let text = if solved { format!("✓ {}", e.title) } else { e.title.clone() };
                            let title = if solved { format!("{} (solved)", e.summary) } else { e.summary.clone() };
                            html! {
                                <option value={e.id.clone()} selected={e.id == active} {title}>{ text }</option>
                            }
                        }) }
                    </optgroup>
                }) }
            </select>
        </label>
    }
}
