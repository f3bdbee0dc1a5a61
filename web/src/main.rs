//! LayerLab in the browser: a Dockerfile playground.
//!
//! A thin Yew front end. [`bridge`] calls the engine and builds view
//! models ([`exercises`] those of the self-checking exercises); [`state`]
//! holds the page's state in a reducer; every component lives in its own
//! file under [`components`]; [`editor`] binds the CodeMirror bundle.
//! Docker semantics live in `layerlab-syntax` and `layerlab-engine`,
//! never here.

mod bridge;
mod components;
mod dom;
mod editor;
mod exercises;
mod persist;
mod project;
mod share;
mod state;

fn main() {
    yew::Renderer::<components::app::App>::new().render();
}
