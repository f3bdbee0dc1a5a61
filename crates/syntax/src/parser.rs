//! Text to [`Dockerfile`], line by line, the way BuildKit's
//! `parser.Parse` reads it: directives, escape character, continuation
//! lines, comments inside continuations, heredocs, start and end lines.

use std::borrow::Cow;

use crate::ast::{Dockerfile, Heredoc, ParseError, Warning};
use crate::borrowed::{BorrowedDockerfile, HeredocRec, Node, Str, EXTRA};
use crate::directives::DirectiveParser;
use crate::instruction::{parse_instruction, trim_start, Logical, NodeError};
use crate::scan::find_byte;
use crate::span::{LineIndex, Span};
use crate::words::Lexer;

/// BuildKit's scanner refuses lines longer than this (`bufio.MaxScanTokenSize - 1`).
pub const MAX_LINE_LENGTH: usize = 64 * 1024 - 1;

/// Parses a Dockerfile. On success the tree and its warnings; on a file
/// BuildKit rejects, the error with its position.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    parse_borrowed(text).map(BorrowedDockerfile::into_owned)
}

/// Like [`parse`], but the tree borrows from `text` wherever a value is a
/// plain slice of it, and is kept flat (see [`BorrowedDockerfile`]):
/// nothing is allocated per instruction. [`BorrowedDockerfile::into_owned`]
/// gives what [`parse`] returns; [`BorrowedDockerfile::to_cow`] the same
/// tree over `Cow` strings.
pub fn parse_borrowed(text: &str) -> Result<BorrowedDockerfile<'_>, ParseError> {
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
    #[inline(always)]
    fn next_line(&mut self) -> Option<(usize, usize)> {
        if self.pos >= self.src.len() || self.too_long.is_some() {
            return None;
        }
        let (len, limit) = match find_byte(self.src.as_bytes(), self.pos, b'\n') {
            Some(i) => (i + 1 - self.pos, MAX_LINE_LENGTH + 1),
            None => (self.src.len() - self.pos, MAX_LINE_LENGTH),
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

/// The end of `b[start..end]` without its trailing `\r` and `\n` bytes.
#[inline]
fn trim_newline(b: &[u8], start: usize, mut end: usize) -> usize {
    if end > start && b[end - 1] == b'\n' {
        end -= 1;
        if end == start || b[end - 1] != b'\r' {
            return end;
        }
    }
    while end > start && matches!(b[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    end
}

fn trim_newline_str(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

/// Removes a trailing continuation escape (`\` or `` ` ``, then spaces or
/// tabs) unless the escape is itself escaped. Returns the line and whether
/// it ends the instruction.
#[inline(always)]
fn trim_continuation(s: &str, escape: char) -> (&str, bool) {
    // Most lines end with neither the escape nor white space.
    match s.as_bytes().last() {
        Some(&c) if c == b' ' || c == b'\t' || c as u32 == escape as u32 => {}
        _ => return (s, true),
    }
    let body = s.trim_end_matches([' ', '\t']);
    if let Some(before) = body.strip_suffix(escape) {
        if before.is_empty() || !before.ends_with(escape) {
            return (before, false);
        }
    }
    (s, true)
}

/// True when `s` has `<<`.
#[inline]
fn has_heredoc_marker(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(p) = find_byte(b, i, b'<') {
        if b.get(p + 1) == Some(&b'<') {
            return true;
        }
        i = p + 2;
    }
    false
}

struct Parser<'a> {
    src: &'a str,
    lines: Lines<'a>,
    escape: char,
    directives: DirectiveParser,
    current_line: usize,
    errors: Errors<'a>,
    /// Where each piece of a logical line after the first starts.
    map: PieceMap,
}

/// Where each piece of a logical line after the first starts: (offset in
/// the joined text, offset in the source). Sixteen fit without allocating.
struct PieceMap {
    inline: [(usize, usize); 16],
    len: usize,
    spilled: Vec<(usize, usize)>,
}

impl PieceMap {
    fn clear(&mut self) {
        self.len = 0;
        self.spilled.clear();
    }

    fn push(&mut self, entry: (usize, usize)) {
        if self.len < self.inline.len() {
            self.inline[self.len] = entry;
            self.len += 1;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(entry);
        }
    }

    fn as_slice(&self) -> &[(usize, usize)] {
        if self.spilled.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
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
            errors: Errors { src, index: None },
            map: PieceMap {
                inline: [(0, 0); 16],
                len: 0,
                spilled: Vec::new(),
            },
        }
    }

    fn offset(&self, sub: &str) -> usize {
        sub.as_ptr() as usize - self.src.as_ptr() as usize
    }

    fn error(&mut self, message: String, span: Span, line: usize) -> ParseError {
        self.errors.error(message, span, line)
    }
}

/// Errors with a line and column (the line index is built on the first).
struct Errors<'a> {
    src: &'a str,
    index: Option<LineIndex<'a>>,
}

impl Errors<'_> {
    fn error(&mut self, message: String, span: Span, line: usize) -> ParseError {
        let src = self.src;
        let index = self.index.get_or_insert_with(|| LineIndex::new(src));
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
}

impl<'a> Parser<'a> {
    fn run(mut self) -> Result<BorrowedDockerfile<'a>, ParseError> {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut out = BorrowedDockerfile::new(src);
        // Room for typical files (an instruction every 32 bytes, an
        // argument every 12): growing the vectors costs more.
        out.nodes.reserve(src.len() / 32 + 8);
        out.parts.items.reserve(src.len() / 12 + 16);

        while let Some((start, end)) = self.lines.next_line() {
            let mut start = start;
            if self.current_line == 0 && src[start..end].starts_with('\u{feff}') {
                start += '\u{feff}'.len_utf8();
            }
            let line = trim_start(&src[start..trim_newline(bytes, start, end)]);
            let line_off = self.offset(line);
            match self.directives.parse_line(line) {
                Ok(None) => {}
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
                    out.directives.push(crate::ast::Directive {
                        name,
                        value,
                        line: line_no,
                        span: Span::new(line_off, line_off + line.len()),
                    });
                }
                Err(message) => {
                    let line_no = self.current_line + 1;
                    return Err(self.error(
                        message,
                        Span::new(line_off, line_off + line.len()),
                        line_no,
                    ));
                }
            }
            self.current_line += 1;
            if line.starts_with('#') {
                continue;
            }
            let start_line = self.current_line;
            let (first, mut end_of_line) = trim_continuation(line, self.escape);
            if end_of_line && first.is_empty() {
                continue;
            }
            let mut last_end = line_off + line.len();
            let mut empty_continuation: Option<Span> = None;
            // A logical line of several pieces is joined at the end of the
            // side buffer, from `base`.
            let base = out.extra.len();
            let mut pieces = 1;

            while !end_of_line {
                let Some((s, e)) = self.lines.next_line() else {
                    break;
                };
                let l = &src[s..trim_newline(bytes, s, e)];
                self.current_line += 1;
                last_end = s + l.len();
                // A comment line (`#` after white space) is dropped; an
                // empty one too, with a warning.
                match trim_start(l).as_bytes().first() {
                    Some(b'#') => continue,
                    None => {
                        empty_continuation.get_or_insert(Span::new(s, s + l.len()));
                        continue;
                    }
                    Some(_) => {}
                }
                let (piece, eol) = trim_continuation(l, self.escape);
                end_of_line = eol;
                let extra = &mut out.extra;
                if pieces == 1 {
                    if extra.capacity() == 0 {
                        // Joined lines are the most of it: room for many.
                        extra.reserve((src.len() / 4).max(256));
                    }
                    extra.push_str(first);
                    self.map.clear();
                }
                self.map.push((extra.len() - base, s));
                extra.push_str(piece);
                pieces += 1;
            }

            let first_off = line_off;
            let logical = if pieces == 1 {
                Logical::single(first, first_off)
            } else {
                Logical::joined(&out.extra[base..], base, first_off, self.map.as_slice())
            };

            if let Some(span) = empty_continuation {
                out.warnings.push(Warning {
                    short: format!("Empty continuation line found in: {}", logical.text),
                    detail: "Empty continuation lines will become errors in a future release"
                        .to_string(),
                    line: self.current_line,
                    span,
                });
            }

            out.nodes.push(Node::default());
            let Some(node) = out.nodes.last_mut() else {
                continue;
            };
            out.parts.pending_base = out.extra.len();
            let may_have_heredocs =
                match parse_instruction(&logical, self.escape, &mut out.parts, node) {
                    Ok(r) => r,
                    Err(NodeError { message, span }) => {
                        return Err(self.errors.error(message, span, start_line));
                    }
                };
            node.original = logical.whole();
            let docs = if may_have_heredocs && has_heredoc_marker(logical.text) {
                match heredocs_from_line(logical.text) {
                    Ok(d) => d,
                    Err(message) => {
                        let span = Span::new(node.span.start, last_end);
                        return Err(self.errors.error(message, span, start_line));
                    }
                }
            } else {
                Vec::new()
            };
            // Text written while the line was read joins the side buffer.
            if !out.parts.pending.is_empty() {
                out.extra.push_str(&out.parts.pending);
                out.parts.pending.clear();
            }

            if !docs.is_empty() {
                let first_doc = out.parts.heredocs.len();
                for doc in docs {
                    let mut terminated = false;
                    let body_start = self.lines.pos;
                    let mut body_end = body_start;
                    while let Some((s, e)) = self.lines.next_line() {
                        self.current_line += 1;
                        let raw = &src[s..e];
                        let mut candidate = trim_newline_str(raw);
                        if doc.chomp {
                            candidate = candidate.trim_start_matches('\t');
                        }
                        last_end = s + trim_newline_str(raw).len();
                        if candidate == doc.name {
                            terminated = true;
                            break;
                        }
                        body_end = e;
                    }
                    if !terminated {
                        let span = Span::new(node.span.start, last_end);
                        return Err(self.errors.error(
                            "unterminated heredoc".to_string(),
                            span,
                            start_line,
                        ));
                    }
                    let off = out.extra.len();
                    out.extra.push_str(&doc.name);
                    out.parts.heredocs.push(HeredocRec {
                        name: Str {
                            off: EXTRA | off,
                            len: doc.name.len(),
                        },
                        file_descriptor: doc.file_descriptor,
                        expand: doc.expand,
                        chomp: doc.chomp,
                        content: Str {
                            off: body_start,
                            len: body_end - body_start,
                        },
                        span: Span::new(body_start, last_end),
                    });
                }
                node.heredocs = (first_doc, out.parts.heredocs.len());
            }

            node.start_line = start_line;
            node.end_line = self.current_line;
            node.span = Span::new(node.span.start, last_end.max(node.span.start));
        }

        if out.nodes.is_empty() {
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
        out.escape = self.escape;
        Ok(out)
    }
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
    fn spans_map_back_through_many_pieces() {
        // More pieces than the map keeps without allocating; a comment and
        // an empty line inside.
        let mut text = String::from("ENV");
        for i in 0..40 {
            text.push_str(&format!(" k{i}=v{i} \\\n"));
            if i == 7 {
                text.push_str("  # note\n");
            }
            if i == 21 {
                text.push('\n');
            }
        }
        text.push_str("  last=1\n");
        let Ok(file) = parse_borrowed(&text) else {
            panic!("parses")
        };
        let Some(env) = file.get(0) else {
            panic!("one instruction")
        };
        assert_eq!(env.args().len(), 41 * 3);
        for arg in env.args() {
            assert_eq!(&text[arg.span.start..arg.span.end], arg.value);
        }
        assert_eq!(file.warnings.len(), 1);
        assert_eq!(
            &text[env.keyword_span().start..env.keyword_span().end],
            "ENV"
        );
        assert!(text[env.span().start..env.span().end].ends_with("last=1"));
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
