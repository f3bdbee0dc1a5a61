//! `WorkdirRelativePath`: the first `WORKDIR` should be absolute.
//!
//! ## What it does
//! Reports a relative `WORKDIR` (after variable expansion) when no earlier
//! `WORKDIR` of the stage, or of the stage it builds on, set one. A working
//! directory inherited from the base image does not count.
//!
//! ## Why is this bad?
//! A relative path is resolved against the base image's working directory,
//! which can change with any new version of the base image.
//!
//! ## Example
//! ```text
//! FROM alpine
//! WORKDIR app        # warns
//! WORKDIR /app       # fine
//! WORKDIR src        # fine: relative to /app, set in this file
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "WorkdirRelativePath",
    description: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    url: "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
    how_to_fix: "Use an absolute path (WORKDIR /app), or set an absolute WORKDIR earlier in the stage.",
    experimental: false,
    deprecated: false,
};

/// `Relative workdir "app" can have unexpected results if the base image changes`.
pub fn message(workdir: &str) -> String {
    format!(
        "Relative workdir {} can have unexpected results if the base image changes",
        go_quote(workdir)
    )
}
