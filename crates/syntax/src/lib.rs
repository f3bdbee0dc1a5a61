//! Dockerfile syntax: bytes to a tree with spans, exactly as BuildKit's
//! `frontend/dockerfile/parser` reads them, and BuildKit's word expansion
//! (`frontend/dockerfile/shell`).
//!
//! No I/O, no dependencies beyond `std` (serde behind the `serde` feature).
//! Offsets are UTF-8 byte ranges ([`Span`]); lines and columns are computed
//! at the edges with [`LineIndex`].

pub mod ast;
mod borrowed;
mod directives;
pub mod dump;
mod instruction;
mod json_array;
pub mod parser;
mod scan;
pub mod span;
pub mod words;

pub use ast::{Arg, Directive, Dockerfile, Flag, Heredoc, Instruction, ParseError, Warning};
pub use borrowed::{BorrowedDockerfile, InstructionRef};
pub use directives::{match_directive, parse_directive};
pub use dump::{dump, go_quote};
pub use parser::{parse, parse_borrowed, parse_heredoc, MAX_LINE_LENGTH};
pub use span::{LineIndex, Position, Span};

/// Parses raw bytes. Text that is not valid UTF-8 is decoded with each
/// invalid sequence replaced by U+FFFD (spans then refer to the decoded
/// text, which is returned alongside).
pub fn parse_bytes(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Result<Dockerfile, ParseError>) {
    let text = String::from_utf8_lossy(bytes);
    let result = parse(&text);
    (text, result)
}
