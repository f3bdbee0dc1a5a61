//! `MultipleInstructionsDisallowed`: one `CMD`, `ENTRYPOINT` and
//! `HEALTHCHECK` per stage.
//!
//! ## What it does
//! Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the
//! same kind in the same stage overrides. The warning points at the earlier
//! instruction, the one that has no effect.
//!
//! ## Why is this bad?
//! Only the last one is used; the earlier ones are dead code that suggests
//! behaviour the image does not have.
//!
//! ## Example
//! ```text
//! ENTRYPOINT ["echo", "Hello, Norway!"]   # warns: ignored
//! ENTRYPOINT ["echo", "Hello, Sweden!"]
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "MultipleInstructionsDisallowed",
    description: "Multiple instructions of the same type should not be used in the same stage",
    url: "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
    how_to_fix: "Keep only the last one (the one that takes effect) and delete the others.",
    experimental: false,
    deprecated: false,
};

/// `Multiple CMD instructions should not be used in the same stage because only the last one will be used`.
pub fn message(instruction_name: &str) -> String {
    format!(
        "Multiple {instruction_name} instructions should not be used in the same stage because only the last one will be used"
    )
}
