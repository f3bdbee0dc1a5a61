//! `MaintainerDeprecated`: use a label instead of `MAINTAINER`.
//!
//! ## What it does
//! Reports every `MAINTAINER` instruction.
//!
//! ## Why is this bad?
//! `MAINTAINER` is deprecated; the image author belongs in the standard
//! `org.opencontainers.image.authors` label, which tools understand.
//!
//! ## Example
//! ```text
//! MAINTAINER jane@example.com                                  # warns
//! LABEL org.opencontainers.image.authors="jane@example.com"   # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "MaintainerDeprecated",
    description:
        "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
    url: "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
    how_to_fix: "Replace it with LABEL org.opencontainers.image.authors=\"name <email>\".",
    experimental: false,
    deprecated: false,
};

/// `Maintainer instruction is deprecated in favor of using label`.
pub fn message() -> String {
    "Maintainer instruction is deprecated in favor of using label".to_string()
}
