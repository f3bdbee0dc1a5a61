//! The page's components, one per file. Each takes plain view models as
//! props (deriving `PartialEq`, so it re-renders only when they change)
//! and reports events up through callbacks, mostly as [`Action`]s.
//!
//! The parts that keep no state of their own and always sit at the same
//! place in their parent (the status bar, the problems list, the results
//! tabs, the exercise panel, the build controls, the stage graph and the
//! timeline) are plain functions of their props rather than components:
//! the markup is the same, and each component type would bring its own
//! copy of Yew's generic lifecycle code into the wasm. So are the Images
//! and Run views, whose root element carries a key: another tab's view in
//! their place replaces the element, as it replaces a component; and the
//! toolbar, the exercise picker, the notice and the share dialog, whose
//! few hooks (a node ref, an effect) the app calls for them.
//!
//! [`Action`]: crate::state::Action

pub mod app;
pub mod build_controls;
pub mod build_view;
pub mod code_editor;
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
pub mod terminal;
pub mod timeline;
pub mod toolbar;
