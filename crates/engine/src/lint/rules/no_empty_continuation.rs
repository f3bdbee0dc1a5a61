//! `NoEmptyContinuation`: no empty lines inside a continued instruction.
//!
//! ## What it does
//! Reports an instruction continued with `\` over an empty (or blank) line.
//! BuildKit reports it on the last line of the instruction.
//!
//! ## Why is this bad?
//! Empty continuation lines are deprecated and will become errors in a
//! future release; they also make it easy to miss where an instruction ends.
//!
//! ## Example
//! ```text
//! RUN apk add \
//!
//!     curl                     # warns
//! RUN apk add \
//! # curl for health checks
//!     curl                     # fine: a comment line is not empty
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "NoEmptyContinuation",
    description: "Empty continuation lines will become errors in a future release",
    url: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
    how_to_fix: "Remove the empty line inside the continued instruction, or put a comment on it.",
    experimental: false,
    deprecated: false,
};

/// `Empty continuation line`.
pub fn message() -> String {
    "Empty continuation line".to_string()
}
