//! `FromPlatformFlagConstDisallowed`: `FROM --platform` should not be a
//! constant.
//!
//! ## What it does
//! Reports `FROM --platform=linux/amd64` (a value without variables) unless
//! the stage's name contains the OS or the architecture (`AS build-arm64`).
//!
//! ## Why is this bad?
//! A constant platform pins the stage to one platform: the Dockerfile can no
//! longer build a multi-platform image.
//!
//! ## Example
//! ```text
//! FROM --platform=linux/amd64 alpine AS base           # warns
//! FROM --platform=$BUILDPLATFORM alpine AS base        # fine
//! FROM --platform=linux/arm64 alpine AS build-arm64    # fine
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "FromPlatformFlagConstDisallowed",
    description: "FROM --platform flag should not use a constant value",
    url: "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
    how_to_fix: "Drop --platform and pass `docker build --platform`, use a variable ($BUILDPLATFORM), or name the stage after the platform (AS build-amd64).",
    experimental: false,
    deprecated: false,
};

/// `FROM --platform flag should not use constant value "linux/amd64"`.
pub fn message(platform: &str) -> String {
    format!(
        "FROM --platform flag should not use constant value {}",
        go_quote(platform)
    )
}
