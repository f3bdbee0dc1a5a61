//! `JSONArgsRecommended`: exec form for `CMD` and `ENTRYPOINT`.
//!
//! ## What it does
//! Reports a shell-form `CMD` or `ENTRYPOINT` (including one whose JSON is
//! invalid and so falls back to shell form), unless the image has a
//! `SHELL` set (by a `SHELL` instruction, an earlier stage it builds on, or
//! its base image). `RUN` and `HEALTHCHECK` are not checked.
//!
//! ## Why is this bad?
//! In shell form the program runs as a child of `/bin/sh -c`, which does not
//! forward signals: `docker stop` waits for its timeout and then kills the
//! container instead of letting the program shut down cleanly.
//!
//! ## Example
//! ```text
//! ENTRYPOINT my-app start           # warns
//! ENTRYPOINT ["my-app", "start"]    # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "JSONArgsRecommended",
    description: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
    how_to_fix: "Use the exec form, a JSON array of double-quoted strings: CMD [\"my-app\", \"start\"]. If you need a shell, put the commands in a script and run the script in exec form, or set SHELL explicitly.",
    experimental: false,
    deprecated: false,
};

/// `JSON arguments recommended for CMD to prevent unintended behavior related to OS signals`.
pub fn message(instruction_name: &str) -> String {
    format!(
        "JSON arguments recommended for {instruction_name} to prevent unintended behavior related to OS signals"
    )
}
