//! The page's parts, one per file. Each takes plain view models as props
//! and reports events up through callbacks, mostly as [`Action`]s.
//!
//! Most parts are plain functions of their props, not components: the
//! markup is the same, and each component type would bring its own copy
//! of Yew's generic lifecycle code into the wasm. The app calls the hooks
//! of the parts at a fixed place in it (the toolbar's file field, the exercise
//! picker's select, the notice's timeout, the share dialog's focus, the
//! file tree, the editor). The results pane's views that keep state (Build,
//! Layers, Terminal) are one component type, [`TabView`], keyed by its tab;
//! the Images and Run views are functions whose root element carries a
//! key. Either way another tab's view in their place replaces the
//! elements, as it replaces a component. Every effect goes through
//! [`effect::use_effect_when`], which shares one copy of Yew's effect
//! code among them.
//!
//! [`Action`]: crate::state::Action
//! [`TabView`]: tab_view::TabView

pub mod app;
pub mod build_controls;
pub mod build_view;
pub mod code_editor;
pub mod effect;
pub mod el;
pub mod exercise_panel;
pub mod exercise_picker;
pub mod file_tree;
pub mod images_view;
pub mod layers_view;
pub mod markdown;
pub mod notice_bar;
pub mod problems;
pub mod results;
pub mod run_view;
pub mod share_dialog;
pub mod stage_graph;
pub mod status_bar;
pub mod tab_view;
pub mod terminal;
pub mod timeline;
pub mod toolbar;
#[cfg(test)]
mod view_tests;
