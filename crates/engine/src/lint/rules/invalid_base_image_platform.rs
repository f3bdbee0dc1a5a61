//! `InvalidBaseImagePlatform`: the base image's platform should match the
//! build's.
//!
//! ## What it does
//! Reports a base image whose configuration says it is for another OS or
//! architecture than the one the stage is built for. Needs the base
//! image's configuration (LayerLab's image catalog); without it the image
//! is treated as empty and nothing is reported, as BuildKit does for an
//! image without layers.
//!
//! ## Why is this bad?
//! Programs in the image will not run natively (they need emulation or
//! fail with `exec format error`).
//!
//! ## Example
//! ```text
//! FROM arm64v8/alpine      # warns when building for linux/amd64
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "InvalidBaseImagePlatform",
    description: "Base image platform does not match expected target platform",
    url: "",
    how_to_fix: "Use an image (or a tag of a multi-platform image) built for the target platform, or build for the image's platform with --platform.",
    experimental: false,
    deprecated: false,
};

/// `Base image alpine was pulled with platform "linux/arm64", expected "linux/amd64" for current build`.
pub fn message(image: &str, expected: &str, actual: &str) -> String {
    format!(
        "Base image {image} was pulled with platform {}, expected {} for current build",
        go_quote(actual),
        go_quote(expected)
    )
}
