//! The syntax tree: what BuildKit's parser keeps of each instruction, with a
//! span on every part.

use crate::span::Span;

/// A parsed Dockerfile: its instructions in order, the parser directives it
/// starts with, and the warnings BuildKit emits while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dockerfile {
    /// Top-level instructions, in file order.
    pub instructions: Vec<Instruction>,
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
pub struct Instruction {
    /// The keyword exactly as written (`RUN`, `run`, `Copy`...).
    pub keyword: String,
    /// Where the keyword is.
    pub keyword_span: Span,
    /// Flags (`--from=build`) as BuildKit keeps them: quotes removed,
    /// escapes resolved.
    pub flags: Vec<Flag>,
    /// The node's values (`Node.Next` chain). Their meaning depends on the
    /// instruction: one value per JSON element in exec form, the whole rest of
    /// the line in shell form, `key value sep` triples for ENV and LABEL.
    pub args: Vec<Arg>,
    /// True when the arguments were written as a JSON array (exec form).
    pub json: bool,
    /// ONBUILD's inner instruction.
    pub sub: Option<Box<Instruction>>,
    /// The logical line: continuation lines joined, comment lines dropped,
    /// the first line's leading white space removed.
    pub original: String,
    /// Heredocs attached to this instruction, in order.
    pub heredocs: Vec<Heredoc>,
    /// 1-based line where the instruction starts (as BuildKit reports it).
    pub start_line: usize,
    /// 1-based line where it ends (heredoc terminators included).
    pub end_line: usize,
    /// From the keyword to the end of the last line of the instruction.
    pub span: Span,
}

impl Instruction {
    /// The keyword in upper case (`RUN`), the form Docker prints.
    pub fn name(&self) -> String {
        self.keyword.to_ascii_uppercase()
    }

    /// True when the keyword is `kw`, ignoring case.
    pub fn is(&self, kw: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(kw)
    }

    /// The argument values as plain strings.
    pub fn values(&self) -> Vec<&str> {
        self.args.iter().map(|a| a.value.as_str()).collect()
    }
}

/// A `--name=value` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Flag {
    /// The flag as BuildKit keeps it, e.g. `--from=build`.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

impl Flag {
    /// The flag's name without the leading `--` (`from`).
    pub fn name(&self) -> &str {
        let t = self.text.strip_prefix("--").unwrap_or(&self.text);
        t.split_once('=').map_or(t, |(n, _)| n)
    }

    /// The value after `=`, if any.
    pub fn value(&self) -> Option<&str> {
        self.text.split_once('=').map(|(_, v)| v)
    }
}

/// One argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Arg {
    /// The value (JSON strings decoded; shell-form text as written).
    pub value: String,
    /// Where it came from.
    pub span: Span,
}

/// A heredoc (`<<EOF ... EOF`) attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Heredoc {
    /// The delimiter word, quotes removed (`EOF`).
    pub name: String,
    /// The file descriptor before `<<` (`3<<EOF`), 0 when none.
    pub file_descriptor: u64,
    /// False when the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// True for `<<-`: leading tabs are removed from the body.
    pub chomp: bool,
    /// The body, raw (lines with their line endings, tabs not removed).
    pub content: String,
    /// Where the body is (from its first line to the terminator line).
    pub span: Span,
}

/// A parser directive at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Directive {
    /// `syntax`, `escape` or `check` (lower case).
    pub name: String,
    /// The value after `=`.
    pub value: String,
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

impl Instruction {
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
                .map(|a| a.value.as_str())
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
        let mut s = self.original.clone();
        if !self.heredocs.is_empty() {
            s.push('\n');
            for h in &self.heredocs {
                s.push_str(&h.content);
                s.push_str(&h.name);
                s.push('\n');
            }
        }
        s
    }
}
