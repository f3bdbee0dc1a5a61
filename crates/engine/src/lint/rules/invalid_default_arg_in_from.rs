//! `InvalidDefaultArgInFrom`: `FROM` must work with the ARG defaults.
//!
//! ## What it does
//! Expands each `FROM` image name with the global ARGs' default values (no
//! `--build-arg`) and reports it when the result is not a valid image
//! reference (empty, `alpine:`, upper case...).
//!
//! ## Why is this bad?
//! The build then only works when the right `--build-arg` is passed.
//!
//! ## Example
//! ```text
//! ARG TAG
//! FROM busybox:${TAG}            # warns: busybox: is invalid
//! FROM busybox:${TAG:-1.36}      # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "InvalidDefaultArgInFrom",
    description: "Default value for global ARG results in an empty or invalid base image name",
    url: "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
    how_to_fix: "Give the global ARG a default value (ARG TAG=latest) or use a fallback in FROM (${TAG:-latest}).",
    experimental: false,
    deprecated: false,
};

/// `Default value for ARG alpine:${TAG} results in empty or invalid base image name`.
pub fn message(base_name: &str) -> String {
    format!("Default value for ARG {base_name} results in empty or invalid base image name")
}
