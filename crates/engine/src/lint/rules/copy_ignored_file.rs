//! `CopyIgnoredFile`: do not copy what `.dockerignore` excludes.
//!
//! ## What it does
//! Reports a local `COPY` or `ADD` source (not `--from`, not a URL) that a
//! `.dockerignore` pattern excludes, or whose parent directory it excludes.
//! Needs the context's `.dockerignore`; skipped when it has `!` exceptions
//! (too hard to decide statically), as BuildKit does.
//!
//! ## Why is this bad?
//! Ignored files are not sent to the builder: the copy fails, or silently
//! copies less than intended with a wildcard.
//!
//! ## Example
//! ```text
//! # .dockerignore: *.md
//! COPY README.md /docs/     # warns
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "CopyIgnoredFile",
    description: "Attempting to Copy file that is excluded by .dockerignore",
    url: "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
    how_to_fix: "Remove the file from the COPY/ADD sources, or remove (or add a `!` exception for) the .dockerignore pattern that excludes it.",
    experimental: false,
    deprecated: false,
};

/// `Attempting to Copy file "tmp/a" that is excluded by .dockerignore`.
pub fn message(cmd: &str, file: &str) -> String {
    format!(
        "Attempting to {cmd} file {} that is excluded by .dockerignore",
        go_quote(file)
    )
}
