//! The LayerLab engine: what Docker does with a parsed Dockerfile.
//!
//! Invariants: no I/O, no clock, no randomness. Every function is a pure
//! function over plain data, so the CLI and the browser show the same build.

pub mod image;
pub mod args;
pub mod catalog;
pub mod context;
pub mod copy;
pub mod digest;
pub mod dockerignore;
pub mod filesystem;
pub mod glob;
pub mod instructions;
pub mod paths;
pub mod shell;
pub mod tools;
pub mod lint;
pub mod run;
