//! The `docker` command-line simulator: argument parsing exactly like the
//! real CLI, and the commands' text and JSON output, shared by the native
//! CLI and the web terminal.

pub mod build;
mod cli;
pub mod containers;
pub mod flags;
pub mod format;
pub mod images;
mod system;
pub mod template;
#[cfg(test)]
mod tests;

pub use cli::{execute, execute_str, execute_with_build, versions, Host, MemoryHost, Output};
