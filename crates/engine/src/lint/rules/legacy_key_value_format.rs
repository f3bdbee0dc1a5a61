//! `LegacyKeyValueFormat`: `ENV key=value`, not `ENV key value`.
//!
//! ## What it does
//! Reports `ENV` and `LABEL` instructions written in the legacy form with a
//! space between the key and the value.
//!
//! ## Why is this bad?
//! The legacy form is deprecated, takes the whole rest of the line as one
//! value (spaces included), and cannot set several keys at once.
//!
//! ## Example
//! ```text
//! ENV GREETING hello world        # warns
//! ENV GREETING="hello world"      # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "LegacyKeyValueFormat",
    description: "Legacy key/value format with whitespace separator should not be used",
    url: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
    how_to_fix: "Write key=value, quoting a value with spaces: ENV GREETING=\"hello world\".",
    experimental: false,
    deprecated: false,
};

/// `"ENV key=value" should be used instead of legacy "ENV key value" format`.
pub fn message(cmd_name: &str) -> String {
    format!(
        "\"{cmd_name} key=value\" should be used instead of legacy \"{cmd_name} key value\" format"
    )
}
