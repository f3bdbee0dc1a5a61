//! `FromAsCasing`: the `AS` keyword should match the case of `FROM`.
//!
//! ## What it does
//! Reports `FROM image as name` (upper-case `FROM`, lower-case `as`) and the
//! reverse. A `FROM` keyword in mixed case is left to
//! `ConsistentInstructionCasing`.
//!
//! ## Why is this bad?
//! Keywords are case-insensitive; mixing cases within one instruction only
//! hurts readability.
//!
//! ## Example
//! ```text
//! FROM debian:12 as builder    # warns
//! FROM debian:12 AS builder    # fine
//! from debian:12 as builder    # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "FromAsCasing",
    description: "The 'as' keyword should match the case of the 'from' keyword",
    url: "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
    how_to_fix: "Write AS in the same case as FROM: `FROM image AS name` or `from image as name`.",
    experimental: false,
    deprecated: false,
};

/// `'as' and 'FROM' keywords' casing do not match`.
pub fn message(from: &str, as_kw: &str) -> String {
    format!("'{as_kw}' and '{from}' keywords' casing do not match")
}
