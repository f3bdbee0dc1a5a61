//! `ReservedStageName`: `scratch` and `context` are not stage names.
//!
//! ## What it does
//! Reports a stage named `scratch` or `context` (in any case).
//!
//! ## Why is this bad?
//! `scratch` means the empty image and `context` the build context; a
//! stage with such a name shadows them and makes references ambiguous.
//!
//! ## Example
//! ```text
//! FROM alpine AS scratch   # warns
//! FROM alpine AS builder   # fine
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "ReservedStageName",
    description: "Reserved words should not be used as stage names",
    url: "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
    how_to_fix: "Rename the stage: `scratch` and `context` are reserved words.",
    experimental: false,
    deprecated: false,
};

/// `Stage name should not use the same name as reserved stage "scratch"`.
pub fn message(reserved_stage_name: &str) -> String {
    format!(
        "Stage name should not use the same name as reserved stage {}",
        go_quote(reserved_stage_name)
    )
}
