//! The LayerLab engine: what Docker does with a parsed Dockerfile.
//!
//! Invariants: no I/O, no clock, no randomness. Every function is a pure
//! function over plain data, so the CLI and the browser show the same build.

pub mod args;
pub mod build;
pub mod cache;
pub mod catalog;
pub mod context;
pub mod copy;
pub mod digest;
pub mod docker;
pub mod dockerignore;
pub mod exercise;
pub mod filesystem;
pub mod glob;
pub mod gzip;
pub mod image;
pub mod image_store;
pub mod instructions;
pub mod layer;
pub mod limits;
pub mod lint;
pub mod numfmt;
pub mod paths;
pub mod run;
pub mod shared_sort;
pub mod shell;
pub mod stage_graph;
pub mod state;
pub mod suggest;
pub mod tools;
