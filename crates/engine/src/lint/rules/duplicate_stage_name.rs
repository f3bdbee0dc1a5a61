//! `DuplicateStageName`: stage names should be unique.
//!
//! ## What it does
//! Reports a stage whose name (compared in lower case) was already used by
//! an earlier stage.
//!
//! ## Why is this bad?
//! A reference to the name (`FROM name`, `COPY --from=name`) can only mean
//! one stage, so the duplicate is confusing at best and an error in
//! recent BuildKit versions.
//!
//! ## Example
//! ```text
//! FROM debian AS builder
//! FROM golang AS builder   # warns
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "DuplicateStageName",
    description: "Stage names should be unique",
    url: "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
    how_to_fix: "Give each stage its own name, e.g. `deb-builder` and `go-builder`.",
    experimental: false,
    deprecated: false,
};

/// `Duplicate stage name "base", stage names should be unique`.
pub fn message(stage_name: &str) -> String {
    format!(
        "Duplicate stage name {}, stage names should be unique",
        go_quote(stage_name)
    )
}
