//! `InvalidDefinitionDescription` (experimental): description comments
//! should start with the name they describe.
//!
//! ## What it does
//! Off unless `# check=experimental=InvalidDefinitionDescription` (or
//! `experimental=all`). Reports a named `FROM` or an `ARG` directly preceded
//! by comment lines whose last line does not start with the stage or
//! argument name (`# base the base stage`).
//!
//! ## Why is this bad?
//! `docker build --call=outline` and `--call=targets` show such comments as
//! descriptions; a comment that is not meant as one ends up in the output.
//!
//! ## Example
//! ```text
//! # a note about the build
//! FROM alpine AS base        # warns
//!
//! # base is the stage for compiling
//! FROM alpine AS base        # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "InvalidDefinitionDescription",
    description: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
    url: "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
    how_to_fix: "Start the comment with the stage or argument name (# base builds the sources), or separate an unrelated comment from the instruction with an empty line.",
    experimental: true,
    deprecated: false,
};

/// ``Comment for ARG should follow the format: `# foo <description>` ``.
pub fn message(instruction: &str, def_name: &str) -> String {
    format!("Comment for {instruction} should follow the format: `# {def_name} <description>`")
}
