//! The syntax tree: what BuildKit's parser keeps of each instruction, with a
//! span on every part.
//!
//! The tree is generic over its string type `S`. [`crate::parse`] returns
//! the owned tree (`S = String`, the default, which every type name means
//! when written without a parameter). [`crate::parse_borrowed`] returns the
//! same facts kept flat ([`crate::BorrowedDockerfile`], zero-copy), which
//! reads its parts as these types over `&str` and converts to the owned
//! tree with `into_owned`, or to `S = Cow<'a, str>` with `to_cow`.

use std::borrow::Cow;

use crate::span::Span;

/// A parsed Dockerfile: its instructions in order, the parser directives it
/// starts with, and the warnings BuildKit emits while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dockerfile<S = String> {
    /// Top-level instructions, in file order.
    pub instructions: Vec<Instruction<S>>,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// Warnings found while parsing (e.g. empty continuation lines).
    pub warnings: Vec<Warning>,
    /// The escape character in force (`\` unless `# escape=` changed it).
    pub escape: char,
}

/// One instruction, as BuildKit's `parser.Node` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Instruction<S = String> {
    /// The keyword exactly as written (`RUN`, `run`, `Copy`...).
    pub keyword: S,
    /// Where the keyword is.
    pub keyword_span: Span,
    /// Flags (`--from=build`) as BuildKit keeps them: quotes removed,
    /// escapes resolved.
    pub flags: Vec<Flag<S>>,
    /// The node's values (`Node.Next` chain). Their meaning depends on the
    /// instruction: one value per JSON element in exec form, the whole rest of
    /// the line in shell form, `key value sep` triples for ENV and LABEL.
    pub args: Vec<Arg<S>>,
    /// True when the arguments were written as a JSON array (exec form).
    pub json: bool,
    /// ONBUILD's inner instruction.
    pub sub: Option<Box<Instruction<S>>>,
    /// The logical line: continuation lines joined, comment lines dropped,
    /// the first line's leading white space removed.
    pub original: S,
    /// Heredocs attached to this instruction, in order.
    pub heredocs: Vec<Heredoc<S>>,
    /// 1-based line where the instruction starts (as BuildKit reports it).
    pub start_line: usize,
    /// 1-based line where it ends (heredoc terminators included).
    pub end_line: usize,
    /// From the keyword to the end of the last line of the instruction.
    pub span: Span,
}

impl<S: AsRef<str>> Instruction<S> {
    /// The keyword in upper case (`RUN`), the form Docker prints.
    pub fn name(&self) -> String {
        self.keyword.as_ref().to_ascii_uppercase()
    }

    /// True when the keyword is `kw`, ignoring case.
    pub fn is(&self, kw: &str) -> bool {
        self.keyword.as_ref().eq_ignore_ascii_case(kw)
    }

    /// The argument values as plain strings.
    pub fn values(&self) -> Vec<&str> {
        self.args.iter().map(|a| a.value.as_ref()).collect()
    }
}

/// A `--name=value` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Flag<S = String> {
    /// The flag as BuildKit keeps it, e.g. `--from=build`.
    pub text: S,
    /// Where it was written.
    pub span: Span,
}

impl<S: AsRef<str>> Flag<S> {
    /// The flag's name without the leading `--` (`from`).
    pub fn name(&self) -> &str {
        let text = self.text.as_ref();
        let t = text.strip_prefix("--").unwrap_or(text);
        t.split_once('=').map_or(t, |(n, _)| n)
    }

    /// The value after `=`, if any.
    pub fn value(&self) -> Option<&str> {
        self.text.as_ref().split_once('=').map(|(_, v)| v)
    }
}

/// One argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Arg<S = String> {
    /// The value (JSON strings decoded; shell-form text as written).
    pub value: S,
    /// Where it came from.
    pub span: Span,
}

/// A heredoc (`<<EOF ... EOF`) attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Heredoc<S = String> {
    /// The delimiter word, quotes removed (`EOF`).
    pub name: S,
    /// The file descriptor before `<<` (`3<<EOF`), 0 when none.
    pub file_descriptor: u64,
    /// False when the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// True for `<<-`: leading tabs are removed from the body.
    pub chomp: bool,
    /// The body, raw (lines with their line endings, tabs not removed).
    pub content: S,
    /// Where the body is (from its first line to the terminator line).
    pub span: Span,
}

/// A parser directive at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Directive<S = String> {
    /// `syntax`, `escape` or `check` (lower case).
    pub name: S,
    /// The value after `=`.
    pub value: S,
    /// 1-based line.
    pub line: usize,
    /// The whole directive line.
    pub span: Span,
}

/// A warning emitted while parsing, as BuildKit reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Warning {
    /// Short text, as BuildKit words it.
    pub short: String,
    /// Longer explanation.
    pub detail: String,
    /// The line BuildKit attaches (for empty continuation lines, the last
    /// line of the instruction).
    pub line: usize,
    /// Where the problem is (the empty line itself).
    pub span: Span,
}

/// Why a file was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ParseError {
    /// BuildKit's message.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the offending token, 1 when unknown.
    pub column: usize,
    /// Where the problem is.
    pub span: Span,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

impl<S: AsRef<str>> Directive<S> {
    /// The owned directive.
    pub fn to_owned_directive(&self) -> Directive {
        Directive {
            name: self.name.as_ref().to_string(),
            value: self.value.as_ref().to_string(),
            line: self.line,
            span: self.span,
        }
    }
}

impl<S: AsRef<str>> Instruction<S> {
    /// The values the way the PyPI `dockerfile` package reports them:
    /// ENV and LABEL flattened to `key, value, key, value...` (the
    /// separators left out), ONBUILD's values taken from its inner
    /// instruction.
    pub fn flat_values(&self) -> Vec<&str> {
        let node = self.sub.as_deref().unwrap_or(self);
        if node.sub.is_some() {
            // A node holding a nested instruction has one empty value.
            return vec![""];
        }
        if node.is("env") || node.is("label") {
            node.args
                .chunks(3)
                .flat_map(|c| c.iter().take(2))
                .map(|a| a.value.as_ref())
                .collect()
        } else {
            node.values()
        }
    }

    /// Whether the values are in exec (JSON) form, looking through ONBUILD.
    pub fn is_json(&self) -> bool {
        self.sub.as_deref().map_or(self.json, |s| s.json)
    }

    /// The logical line followed by each heredoc's body and terminator, as
    /// the PyPI `dockerfile` package reports `original`.
    pub fn original_with_heredocs(&self) -> String {
        let mut s = self.original.as_ref().to_string();
        if !self.heredocs.is_empty() {
            s.push('\n');
            for h in &self.heredocs {
                s.push_str(h.content.as_ref());
                s.push_str(h.name.as_ref());
                s.push('\n');
            }
        }
        s
    }
}

fn own(s: Cow<'_, str>) -> String {
    s.into_owned()
}

impl Dockerfile<Cow<'_, str>> {
    /// The owned tree (copies what was borrowed from the input).
    pub fn into_owned(self) -> Dockerfile {
        Dockerfile {
            instructions: self
                .instructions
                .into_iter()
                .map(Instruction::into_owned)
                .collect(),
            directives: self.directives,
            warnings: self.warnings,
            escape: self.escape,
        }
    }
}

impl Instruction<Cow<'_, str>> {
    /// The owned instruction (copies what was borrowed from the input).
    pub fn into_owned(self) -> Instruction {
        Instruction {
            keyword: own(self.keyword),
            keyword_span: self.keyword_span,
            flags: self
                .flags
                .into_iter()
                .map(|f| Flag {
                    text: own(f.text),
                    span: f.span,
                })
                .collect(),
            args: self
                .args
                .into_iter()
                .map(|a| Arg {
                    value: own(a.value),
                    span: a.span,
                })
                .collect(),
            json: self.json,
            sub: self.sub.map(|s| Box::new(s.into_owned())),
            original: own(self.original),
            heredocs: self
                .heredocs
                .into_iter()
                .map(|h| Heredoc {
                    name: own(h.name),
                    file_descriptor: h.file_descriptor,
                    expand: h.expand,
                    chomp: h.chomp,
                    content: own(h.content),
                    span: h.span,
                })
                .collect(),
            start_line: self.start_line,
            end_line: self.end_line,
            span: self.span,
        }
    }
}
