//! `ConsistentInstructionCasing`: all keywords in one case.
//!
//! ## What it does
//! Counts the instruction keywords of every stage (FROM included, global
//! ARGs before the first FROM not counted) written all lower or all upper
//! case; the case with more keywords wins (upper on a tie). Each keyword
//! that is not entirely in that case is reported, mixed-case ones (`Run`)
//! always.
//!
//! ## Why is this bad?
//! Keywords are case-insensitive, but a mix of cases reads badly.
//!
//! ## Example
//! ```text
//! FROM alpine
//! run echo hi     # warns: the majority is uppercase
//! RUN echo bye
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "ConsistentInstructionCasing",
    description: "All commands within the Dockerfile should use the same casing (either upper or lower)",
    url: "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
    how_to_fix: "Write every instruction keyword in the same case, all uppercase (RUN, COPY) or all lowercase (run, copy).",
    experimental: false,
    deprecated: false,
};

/// `Command 'run' should match the case of the command majority (uppercase)`.
pub fn message(violating_command: &str, correct_casing: &str) -> String {
    format!(
        "Command '{violating_command}' should match the case of the command majority ({correct_casing})"
    )
}
