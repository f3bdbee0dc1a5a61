//! `ExposeProtoCasing`: `EXPOSE` protocols in lowercase.
//!
//! ## What it does
//! Reports an `EXPOSE` port whose protocol is not all lowercase
//! (`80/TCP`).
//!
//! ## Why is this bad?
//! Docker lower-cases it anyway; the mixed spelling only hurts consistency.
//!
//! ## Example
//! ```text
//! EXPOSE 80/TCP     # warns
//! EXPOSE 80/tcp     # fine
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "ExposeProtoCasing",
    description: "Protocol in EXPOSE instruction should be lowercase",
    url: "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
    how_to_fix: "Write the protocol in lowercase: 80/tcp, 53/udp.",
    experimental: false,
    deprecated: false,
};

/// `Defined protocol '80/TCP' in EXPOSE instruction should be lowercase`.
pub fn message(port: &str) -> String {
    format!("Defined protocol '{port}' in EXPOSE instruction should be lowercase")
}
