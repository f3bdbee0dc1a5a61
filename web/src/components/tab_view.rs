//! The views of the results pane that keep state of their own (Build,
//! Layers, Terminal) under one component type. The app keys it by its
//! tab, so another tab makes a new one (with fresh state), as a component
//! type per view would; the pane's other views are plain functions.

use yew::prelude::*;

use crate::components::effect::{no_cleanup, use_effect_when, Deps};

use crate::components::build_view::{build_view, BuildViewProps};
use crate::components::file_tree::Editing;
use crate::components::layers_view::{layers_view, LayersViewProps};
use crate::components::terminal::{terminal, TerminalProps};

/// A view with state of its own, and its properties.
#[derive(PartialEq)]
pub enum StatefulView {
    /// The Build view.
    Build(BuildViewProps),
    /// The Layers view.
    Layers(LayersViewProps),
    /// The terminal.
    Terminal(TerminalProps),
}

/// The state of a stateful view, of the file tree, and the references
/// to elements the app keeps: each uses its own fields. One state type
/// for all of them means one copy of Yew's state hook code in the wasm.
#[derive(Clone, Default)]
pub struct ViewState {
    /// The Build view's stage picked in the stage graph, or the Layers
    /// view's stage picked (`None`: the image built).
    pub picked: Option<String>,
    /// The terminal's line being typed.
    pub input: String,
    /// The terminal's position in the history while walking it (`None`:
    /// the new line).
    pub cursor: Option<usize>,
    /// What the file tree is editing.
    pub editing: Editing,
    /// A file is dragged over the file tree.
    pub dragging: bool,
    /// An element of the page ([`use_node`]).
    pub node: NodeRef,
}

/// A reference to an element, the same on every render (as Yew's
/// `use_node_ref`, kept in the views' one state type: one copy of Yew's
/// state hook code for both).
#[hook]
pub fn use_node() -> NodeRef {
    use_state(ViewState::default).node.clone()
}

/// Properties of the stateful view.
#[derive(Properties, PartialEq)]
pub struct TabViewProps {
    /// The view shown, for the whole life of the component (the app keys
    /// the component by its tab).
    pub view: StatefulView,
}

/// One stateful view. Every instance has the state of each view (hooks
/// run unconditionally); the view shown uses its own.
#[function_component(TabView)]
pub fn tab_view(props: &TabViewProps) -> Html {
    let state = use_state(ViewState::default);
    // The terminal's transcript stays scrolled to its end.
    let entries = match &props.view {
        StatefulView::Terminal(p) => Some(p.entries.len()),
        _ => None,
    };
    use_effect_when(
        Deps::of(entries),
        Box::new(move || {
            if entries.is_some() {
                crate::dom::scroll_to_end("terminal-screen");
            }
            no_cleanup()
        }),
    );
    match &props.view {
        StatefulView::Build(p) => build_view(p, state),
        StatefulView::Layers(p) => layers_view(p, state),
        StatefulView::Terminal(p) => terminal(p, state),
    }
}
