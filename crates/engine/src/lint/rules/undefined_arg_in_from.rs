//! `UndefinedArgInFrom`: `FROM` may only use declared global ARGs.
//!
//! ## What it does
//! Reports a variable in a `FROM` image name or `--platform` value that is
//! neither a global `ARG` (declared before the first `FROM`) nor a
//! predefined platform argument (`BUILDPLATFORM`, `TARGETARCH`...), with a
//! suggestion when a declared name is close.
//!
//! ## Why is this bad?
//! An undeclared variable expands to nothing, so the stage silently uses a
//! different image (`alpine:` or `alpine`) than intended; often it is a typo.
//!
//! ## Example
//! ```text
//! FROM node:22${VARIANT}        # warns: VARIANT is not declared
//! ARG VARIANT=-alpine
//! FROM node:22${VARIANT}        # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "UndefinedArgInFrom",
    description: "FROM command must use declared ARGs",
    url: "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
    how_to_fix: "Declare the variable with ARG before the first FROM (global scope), with a default value, or fix its spelling.",
    experimental: false,
    deprecated: false,
};

/// `FROM argument 'TAG' is not declared` with an optional ` (did you mean TAG?)`.
pub fn message(base_arg: &str, suggest: &str) -> String {
    let mut out = format!("FROM argument '{base_arg}' is not declared");
    if !suggest.is_empty() {
        out.push_str(&format!(" (did you mean {suggest}?)"));
    }
    out
}
