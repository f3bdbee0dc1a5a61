//! `StageNameCasing`: stage names should be lowercase.
//!
//! ## What it does
//! Reports a `FROM ... AS name` whose stage name has upper-case letters.
//!
//! ## Why is this bad?
//! Stage names are case-insensitive (BuildKit lower-cases them), so an
//! upper-case name only looks like an instruction keyword and makes the
//! file harder to read; referring to it in upper case elsewhere (`FROM
//! BUILDER`) is read as an image name, not the stage.
//!
//! ## Example
//! ```text
//! FROM alpine AS BuilderBase    # warns
//! FROM alpine AS builder-base   # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "StageNameCasing",
    description: "Stage names should be lowercase",
    url: "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
    how_to_fix: "Write the stage name in lowercase letters, and use the same lowercase name wherever the stage is referenced (FROM, COPY --from, RUN --mount from=).",
    experimental: false,
    deprecated: false,
};

/// `Stage name 'Build' should be lowercase`.
pub fn message(stage_name: &str) -> String {
    format!("Stage name '{stage_name}' should be lowercase")
}
