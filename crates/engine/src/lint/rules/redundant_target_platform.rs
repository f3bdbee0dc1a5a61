//! `RedundantTargetPlatform`: `--platform=$TARGETPLATFORM` is the default.
//!
//! ## What it does
//! Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`): a
//! value made of that single variable and nothing else.
//!
//! ## Why is this bad?
//! Stages are built for the target platform anyway; the flag adds noise and
//! suggests it changes something.
//!
//! ## Example
//! ```text
//! FROM --platform=$TARGETPLATFORM alpine    # warns
//! FROM --platform=$BUILDPLATFORM alpine     # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "RedundantTargetPlatform",
    description: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    url: "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
    how_to_fix: "Remove the --platform flag from FROM.",
    experimental: false,
    deprecated: false,
};

/// `Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior`.
pub fn message(platform_var: &str) -> String {
    format!("Setting platform to predefined {platform_var} in FROM is redundant as this is the default behavior")
}
