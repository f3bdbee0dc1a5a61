//! Text to [`Dockerfile`], line by line, the way BuildKit's
//! `parser.Parse` reads it: directives, escape character, continuation
//! lines, comments inside continuations, heredocs, start and end lines.

use std::borrow::Cow;

use crate::ast::{Dockerfile, Heredoc, Instruction, ParseError, Warning};
use crate::directives::DirectiveParser;
use crate::instruction::{node_from_line, trim_start, Logical, NodeError};
use crate::span::{LineIndex, Span};
use crate::words::Lexer;

/// BuildKit's scanner refuses lines longer than this (`bufio.MaxScanTokenSize - 1`).
pub const MAX_LINE_LENGTH: usize = 64 * 1024 - 1;

/// Parses a Dockerfile. On success the tree and its warnings; on a file
/// BuildKit rejects, the error with its position.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    parse_borrowed(text).map(Dockerfile::into_owned)
}

/// Like [`parse`], but the tree borrows from `text` wherever a value is a
/// plain slice of it: no allocation for most keywords, values and lines.
pub fn parse_borrowed(text: &str) -> Result<Dockerfile<Cow<'_, str>>, ParseError> {
    Parser::new(text).run()
}

/// Reads physical lines as Go's `bufio.Scanner` with BuildKit's
/// `scanLines` does: each line keeps its `\n`; a line over the size limit
/// stops the scan.
struct Lines<'a> {
    src: &'a str,
    pos: usize,
    too_long: Option<usize>,
}

impl<'a> Lines<'a> {
    /// The next line as `(start, end)` byte offsets, newline included.
    fn next_line(&mut self) -> Option<(usize, usize)> {
        if self.pos >= self.src.len() || self.too_long.is_some() {
            return None;
        }
        let rest = &self.src[self.pos..];
        let (len, limit) = match rest.find('\n') {
            Some(i) => (i + 1, MAX_LINE_LENGTH + 1),
            None => (rest.len(), MAX_LINE_LENGTH),
        };
        if len > limit {
            self.too_long = Some(self.pos);
            self.pos = self.src.len();
            return None;
        }
        let start = self.pos;
        self.pos += len;
        Some((start, self.pos))
    }
}

fn trim_newline(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

fn is_comment(s: &str) -> bool {
    trim_start(s).starts_with('#')
}

/// Removes a trailing continuation escape (`\` or `` ` ``, then spaces or
/// tabs) unless the escape is itself escaped. Returns the line and whether
/// it ends the instruction.
fn trim_continuation(s: &str, escape: char) -> (&str, bool) {
    let body = s.trim_end_matches([' ', '\t']);
    if let Some(before) = body.strip_suffix(escape) {
        if before.is_empty() || !before.ends_with(escape) {
            return (before, false);
        }
    }
    (s, true)
}

struct Parser<'a> {
    src: &'a str,
    lines: Lines<'a>,
    escape: char,
    directives: DirectiveParser,
    current_line: usize,
    index: Option<LineIndex<'a>>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            lines: Lines {
                src,
                pos: 0,
                too_long: None,
            },
            escape: '\\',
            directives: DirectiveParser::default(),
            current_line: 0,
            index: None,
        }
    }

    fn offset(&self, sub: &str) -> usize {
        sub.as_ptr() as usize - self.src.as_ptr() as usize
    }

    fn error(&mut self, message: String, span: Span, line: usize) -> ParseError {
        let index = self.index.get_or_insert_with(|| LineIndex::new(self.src));
        let pos = index.position(span.start);
        // The column is only meaningful when the span lies on the line
        // reported.
        let column = if pos.line == line { pos.column } else { 1 };
        ParseError {
            message,
            line: line.max(1),
            column,
            span,
        }
    }

    fn run(mut self) -> Result<Dockerfile<Cow<'a, str>>, ParseError> {
        // Most lines are instructions in real files; growing the
        // vector (and copying it) costs more than the spare capacity.
        let lines = self.src.bytes().filter(|&b| b == b'\n').count();
        let mut instructions = Vec::with_capacity(lines * 3 / 4 + 1);
        let mut directives = Vec::new();
        let mut warnings = Vec::new();

        while let Some((start, end)) = self.lines.next_line() {
            let mut raw = &self.src[start..end];
            if self.current_line == 0 {
                raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
            }
            let line = trim_start(trim_newline(raw));
            match self.directives.parse_line(line) {
                Ok(Some((name, value))) => {
                    let line_no = self.current_line + 1;
                    if name == "escape" {
                        match value {
                            "\\" => self.escape = '\\',
                            "`" => self.escape = '`',
                            _ => {
                                let off = self.offset(value);
                                return Err(self.error(
                                    format!(
                                        "invalid escape token '{value}' does not match ` or \\"
                                    ),
                                    Span::new(off, off + value.len()),
                                    line_no,
                                ));
                            }
                        }
                    }
                    let off = self.offset(line);
                    directives.push(crate::ast::Directive {
                        name,
                        value: value.to_string(),
                        line: line_no,
                        span: Span::new(off, off + line.len()),
                    });
                }
                Ok(None) => {}
                Err(message) => {
                    let off = self.offset(line);
                    let line_no = self.current_line + 1;
                    return Err(self.error(message, Span::new(off, off + line.len()), line_no));
                }
            }
            let line = if is_comment(line) { "" } else { line };
            self.current_line += 1;
            let start_line = self.current_line;
            let (first, mut end_of_line) = trim_continuation(line, self.escape);
            if end_of_line && first.is_empty() {
                continue;
            }
            let mut logical = Logical::default();
            logical.push(first, self.offset(first));
            let mut last_end = self.offset(line) + line.len();
            let mut empty_continuation: Option<Span> = None;

            while !end_of_line {
                let Some((s, e)) = self.lines.next_line() else {
                    break;
                };
                let raw = &self.src[s..e];
                let l = trim_newline(raw);
                self.current_line += 1;
                last_end = s + l.len();
                if is_comment(raw) {
                    continue;
                }
                if trim_start(l).is_empty() {
                    empty_continuation.get_or_insert(Span::new(s, s + l.len()));
                    continue;
                }
                let (piece, eol) = trim_continuation(l, self.escape);
                end_of_line = eol;
                logical.push(piece, s);
            }

            if let Some(span) = empty_continuation {
                warnings.push(Warning {
                    short: format!("Empty continuation line found in: {}", logical.text),
                    detail: "Empty continuation lines will become errors in a future release"
                        .to_string(),
                    line: self.current_line,
                    span,
                });
            }

            let mut ins = match node_from_line(&logical, 0, logical.text.len(), self.escape) {
                Ok(ins) => ins,
                Err(NodeError { message, span }) => {
                    return Err(self.error(message, span, start_line));
                }
            };

            if can_contain_heredoc(&ins) && logical.text.contains("<<") {
                let docs = match heredocs_from_line(&logical.text) {
                    Ok(d) => d,
                    Err(message) => {
                        let span = Span::new(ins.span.start, last_end);
                        return Err(self.error(message, span, start_line));
                    }
                };
                for mut doc in docs {
                    let mut terminated = false;
                    let body_start = self.lines.pos;
                    let mut body_end = body_start;
                    while let Some((s, e)) = self.lines.next_line() {
                        self.current_line += 1;
                        let raw = &self.src[s..e];
                        let mut candidate = trim_newline(raw);
                        if doc.chomp {
                            candidate = candidate.trim_start_matches('\t');
                        }
                        last_end = s + trim_newline(raw).len();
                        if candidate == doc.name {
                            terminated = true;
                            break;
                        }
                        body_end = e;
                    }
                    if !terminated {
                        let span = Span::new(ins.span.start, last_end);
                        return Err(self.error(
                            "unterminated heredoc".to_string(),
                            span,
                            start_line,
                        ));
                    }
                    doc.content = Cow::Borrowed(&self.src[body_start..body_end]);
                    doc.span = Span::new(body_start, last_end);
                    ins.heredocs.push(doc);
                }
            }

            if ins.original.is_empty() {
                ins.original = std::mem::take(&mut logical.text);
            }
            ins.start_line = start_line;
            ins.end_line = self.current_line;
            ins.span = Span::new(ins.span.start, last_end.max(ins.span.start));
            instructions.push(ins);
        }

        if instructions.is_empty() {
            let line = self.current_line;
            let end = self.src.len();
            return Err(self.error(
                "file with no instructions".to_string(),
                Span::empty(end),
                line,
            ));
        }
        if let Some(off) = self.lines.too_long {
            let line = self.current_line + 1;
            return Err(self.error(
                format!("dockerfile line greater than max allowed size of {MAX_LINE_LENGTH}"),
                Span::new(off, self.src.len()),
                line,
            ));
        }
        Ok(Dockerfile {
            instructions,
            directives,
            warnings,
            escape: self.escape,
        })
    }
}

/// RUN, COPY and ADD in shell form (also under ONBUILD) may have heredocs.
fn can_contain_heredoc(ins: &Instruction<Cow<'_, str>>) -> bool {
    let node = match &ins.sub {
        Some(sub) if ins.is("onbuild") => sub,
        _ => ins,
    };
    (node.is("run") || node.is("copy") || node.is("add")) && !node.json
}

/// The heredocs a line opens, in order (BuildKit's `heredocsFromLine`):
/// the line is split into words with quotes and escapes kept, and each word
/// of the form `[n]<<[-]WORD` names one.
fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc<Cow<'static, str>>>, String> {
    let lexer = Lexer {
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let env: Vec<(String, String)> = Vec::new();
    let words = lexer.process_words(line, &env).unwrap_or_default();
    let mut docs = Vec::new();
    for word in words {
        if let Some(doc) = parse_heredoc(&word)? {
            docs.push(doc);
        }
    }
    Ok(docs)
}

/// Reads one word as a heredoc opener (BuildKit's `ParseHeredoc`):
/// `^(\d*)<<(-?)\s*([^<]*)$` and the checks BuildKit makes on the word.
/// `Ok(None)` when the word opens no heredoc; the heredoc returned has an
/// empty body and span.
pub fn parse_heredoc(word: &str) -> Result<Option<Heredoc<Cow<'static, str>>>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // Go's ParseUint: an overflow gives the largest value.
    let fd = if digits == 0 {
        0
    } else {
        word[..digits].parse::<u64>().unwrap_or(u64::MAX)
    };
    let env: Vec<(String, String)> = Vec::new();
    let mut lexer = Lexer {
        skip_unset_env: true,
        ..Lexer::new('\\')
    };
    let words = lexer
        .process_words(rest, &env)
        .map_err(|e| e.message.clone())?;
    if words.len() != 1 {
        return Ok(None);
    }
    lexer.raw_quotes = true;
    let raw = lexer
        .process_words(rest, &env)
        .map_err(|e| e.message.clone())?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    let expand = quotes(&words[0]) == quotes(&raw[0]);
    Ok(Some(Heredoc {
        name: Cow::Owned(words[0].clone()),
        file_descriptor: fd,
        expand,
        chomp,
        content: Cow::Borrowed(""),
        span: Span::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_needs_an_unescaped_escape() {
        assert_eq!(trim_continuation("a \\", '\\'), ("a ", false));
        assert_eq!(trim_continuation("a\\ \t", '\\'), ("a", false));
        assert_eq!(trim_continuation("\\", '\\'), ("", false));
        assert_eq!(trim_continuation("a\\\\", '\\'), ("a\\\\", true));
        assert_eq!(trim_continuation("a `", '`'), ("a ", false));
        assert_eq!(trim_continuation("a \\", '`'), ("a \\", true));
    }

    #[test]
    fn heredoc_words() {
        let h = parse_heredoc("<<EOF")
            .ok()
            .flatten()
            .map(|h| (h.name.into_owned(), h.expand));
        assert_eq!(h, Some(("EOF".to_string(), true)));
        let h = parse_heredoc("3<<-\"EOT\"").ok().flatten();
        let h = h.map(|h| (h.name.into_owned(), h.file_descriptor, h.chomp, h.expand));
        assert_eq!(h, Some(("EOT".to_string(), 3, true, false)));
        assert!(matches!(parse_heredoc("<<"), Ok(None)));
        assert!(matches!(parse_heredoc("a<<EOF"), Ok(None)));
    }
}
