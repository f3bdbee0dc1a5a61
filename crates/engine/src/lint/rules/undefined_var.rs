//! `UndefinedVar`: variables should be defined before their use.
//!
//! ## What it does
//! Reports a `$VAR` in an instruction BuildKit expands (ENV, LABEL, ARG
//! defaults, COPY, ADD, WORKDIR, USER, VOLUME, STOPSIGNAL, RUN `--mount`
//! options, expanding COPY/ADD heredocs) that is neither an ENV or ARG in
//! scope nor set by the base image. Shell-form `RUN`, `CMD` and
//! `ENTRYPOINT` are not checked (the shell expands those). A close name in
//! scope is suggested.
//!
//! ## Why is this bad?
//! An undefined variable expands to an empty string, so a path, a user or a
//! value silently changes; often it is a typo, or a global ARG used in a
//! stage without being re-declared there.
//!
//! ## Example
//! ```text
//! ARG VERSION=1
//! FROM alpine
//! ENV V=$VERSION      # warns: the global ARG is not in the stage's scope
//! ARG VERSION
//! ENV V=$VERSION      # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "UndefinedVar",
    description: "Variables should be defined before their use",
    url: "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
    how_to_fix: "Declare the variable with ARG or ENV earlier in the stage (a global ARG must be re-declared with `ARG NAME` inside the stage), or fix its spelling.",
    experimental: false,
    deprecated: false,
};

/// `Usage of undefined variable '$foo'` with an optional ` (did you mean $FOO?)`.
pub fn message(arg: &str, suggest: &str) -> String {
    let mut out = format!("Usage of undefined variable '${arg}'");
    if !suggest.is_empty() {
        out.push_str(&format!(" (did you mean ${suggest}?)"));
    }
    out
}
