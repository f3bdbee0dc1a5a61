//! One logical line to one [`Instruction`]: the keyword, BuildKit's builder
//! flags, and the arguments as each instruction's line parser reads them
//! (BuildKit's `splitCommand`, `extractBuilderFlags` and `line_parsers.go`).

use std::borrow::Cow;

use crate::ast::{Arg, Flag, Instruction};
use crate::json_array::{self, JsonArray};
use crate::span::Span;

/// A logical line: the physical pieces joined, with a map back to the
/// source offsets of each piece.
#[derive(Debug, Default)]
pub(crate) struct Logical {
    /// The joined text.
    pub(crate) text: String,
    /// Source offset of the first piece.
    first: usize,
    /// `(offset in text, offset in source)` where each later piece starts
    /// (empty for the common one-line instruction: no allocation).
    map: Vec<(usize, usize)>,
}

impl Logical {
    /// Appends a piece that starts at `source_offset` in the source.
    pub(crate) fn push(&mut self, piece: &str, source_offset: usize) {
        if self.text.is_empty() && self.map.is_empty() {
            self.first = source_offset;
        } else {
            self.map.push((self.text.len(), source_offset));
        }
        self.text.push_str(piece);
    }

    /// The source offset of text offset `off`.
    fn source(&self, off: usize) -> usize {
        let i = self.map.partition_point(|&(l, _)| l <= off);
        if i == 0 {
            return self.first + off;
        }
        let (l, s) = self.map[i - 1];
        s + (off - l)
    }

    /// The source span of the text range `a..b`.
    pub(crate) fn span(&self, a: usize, b: usize) -> Span {
        let start = self.source(a);
        if b <= a {
            return Span::empty(start);
        }
        let end = match self.text.get(a..b).and_then(|t| t.char_indices().last()) {
            Some((i, c)) => self.source(a + i) + c.len_utf8(),
            None => self.source(b - 1) + 1,
        };
        Span::new(start, end.max(start))
    }
}

/// An error in one instruction, with the source span to point at.
#[derive(Debug)]
pub(crate) struct NodeError {
    pub(crate) message: String,
    pub(crate) span: Span,
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]`.
fn is_re_ws(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Go's `unicode.IsSpace(rune(b))` for a single byte, which BuildKit
/// applies byte by byte in places (so 0x85 and 0xA0, also UTF-8
/// continuation bytes, count as space there).
fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x85 | 0xa0)
}

/// `s[a..b]` of the bytes, repaired when BuildKit's byte-wise scanning
/// cuts inside a character.
fn byte_slice(s: &str, a: usize, b: usize) -> Cow<'_, str> {
    match s.get(a..b) {
        Some(t) => Cow::Borrowed(t),
        None => String::from_utf8_lossy(&s.as_bytes()[a..b]),
    }
}

/// Parses `lg.text[start..end]` as one instruction (BuildKit's
/// `newNodeFromLine`).
pub(crate) fn node_from_line(
    lg: &Logical,
    start: usize,
    end: usize,
    escape: char,
) -> Result<Instruction, NodeError> {
    let line = &lg.text[start..end];
    let trimmed = line.trim_start();
    let t0 = start + (line.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    let (cmd, rest_at) = match trimmed.find(is_re_ws) {
        Some(i) => {
            let after = &trimmed[i..];
            let skipped = after.len() - after.trim_start_matches(is_re_ws).len();
            (&trimmed[..i], Some(i + skipped))
        }
        None => (trimmed, None),
    };
    let mut flags = Vec::new();
    let mut args_text: Cow<'_, str> = Cow::Borrowed("");
    let mut args_at = t0 + trimmed.len();
    if let Some(r) = rest_at {
        let rest = &trimmed[r..];
        let (args_from, found) = extract_builder_flags(rest, escape);
        for (text, a, b) in found {
            flags.push(Flag {
                text,
                span: lg.span(t0 + r + a, t0 + r + b),
            });
        }
        let raw = byte_slice(rest, args_from, rest.len());
        let lead = raw.len() - raw.trim_start().len();
        args_at = t0 + r + args_from + lead;
        args_text = match raw {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
        };
    }
    let keyword_span = lg.span(t0, t0 + cmd.len());
    let mut ins = Instruction {
        keyword: cmd.to_string(),
        keyword_span,
        flags,
        args: Vec::new(),
        json: false,
        sub: None,
        // The parser moves the logical line in for top-level instructions.
        original: if start == 0 && end == lg.text.len() { String::new() } else { line.to_string() },
        heredocs: Vec::new(),
        start_line: 0,
        end_line: 0,
        span: lg.span(t0, t0 + trimmed.len()),
    };
    let ctx = ArgCtx {
        lg,
        at: args_at,
        text: &args_text,
        escape,
    };
    // Lower-case the keyword without allocating (the longest is 11 bytes).
    let mut buf = [0u8; 11];
    let lower = match buf.get_mut(..cmd.len()) {
        Some(b) => {
            b.copy_from_slice(cmd.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or("")
        }
        None => "",
    };
    match lower {
        "add" | "copy" | "volume" => ctx.maybe_json_to_list(&mut ins)?,
        "run" | "cmd" | "entrypoint" | "shell" => ctx.maybe_json(&mut ins, args_text.as_ref(), 0)?,
        "arg" => ins.args = ctx.words(),
        "env" => ctx.name_val(&mut ins, "ENV")?,
        "label" => ctx.name_val(&mut ins, "LABEL")?,
        "expose" | "from" => ins.args = ctx.whitespace_delimited(args_text.as_ref(), 0),
        "healthcheck" => ctx.health_config(&mut ins)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !args_text.is_empty() {
                ins.args.push(ctx.arg(0, args_text.len(), args_text.to_string()));
            }
        }
        "onbuild" => {
            if !args_text.is_empty() {
                // The sub-instruction is parsed from the rest of the line.
                let sub = match &args_text {
                    Cow::Borrowed(s) => {
                        let off = s.as_ptr() as usize - lg.text.as_ptr() as usize;
                        node_from_line(lg, off, off + s.len(), escape)?
                    }
                    Cow::Owned(s) => {
                        let mut own = Logical::default();
                        own.push(s, lg.source(args_at));
                        node_from_line(&own, 0, s.len(), escape)?
                    }
                };
                ins.sub = Some(Box::new(sub));
            }
        }
        // Unknown instructions keep one empty value (BuildKit's parseIgnore).
        _ => ins.args.push(Arg {
            value: String::new(),
            span: Span::empty(lg.source(args_at)),
        }),
    }
    Ok(ins)
}

/// Splits leading `--flag` words off `line`; returns where the arguments
/// start and each flag with its byte range. Byte-wise, as BuildKit does
/// (bytes above 0x7f become the Latin-1 character of the same number).
fn extract_builder_flags(line: &str, escape: char) -> (usize, Vec<(String, usize, usize)>) {
    let b = line.as_bytes();
    let esc = escape as u32 as u8;
    let mut words = Vec::new();
    let mut word = String::new();
    let mut word_start = 0;
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut phase = Phase::Spaces;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= b.len() {
        let mut ch = if pos < b.len() { b[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == b.len() {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == b.len() || b[pos + 1] != b'-' {
                return (pos, words);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == b.len() {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push((std::mem::take(&mut word), word_start, pos));
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (pos, words);
                }
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), word_start, pos));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == esc {
                if pos + 1 == b.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = b[pos];
            }
            word.push(ch as char);
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == esc {
            if pos + 1 == b.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = b[pos];
        }
        word.push(ch as char);
        pos += 1;
    }
    (b.len(), words)
}

/// The argument text of one instruction and where it is.
struct ArgCtx<'a> {
    lg: &'a Logical,
    /// Text offset of `text` in the logical line (when `text` is borrowed
    /// from it; otherwise an approximation).
    at: usize,
    text: &'a str,
    escape: char,
}

impl ArgCtx<'_> {
    fn arg(&self, a: usize, b: usize, value: String) -> Arg {
        let len = self.lg.text.len();
        let (a, b) = ((self.at + a).min(len), (self.at + b).min(len));
        Arg {
            value,
            span: self.lg.span(a, b.max(a)),
        }
    }

    fn err(&self, message: String, a: usize, b: usize) -> NodeError {
        NodeError {
            message,
            span: self.arg(a, b, String::new()).span,
        }
    }

    /// `parseMaybeJSON`: exec form when the text is a JSON array of
    /// strings, else the whole text as one value. `off` is where `text`
    /// starts within `self.text`.
    fn maybe_json(&self, ins: &mut Instruction, text: &str, off: usize) -> Result<(), NodeError> {
        if text.is_empty() {
            return Ok(());
        }
        match self.json(text, off)? {
            Some(args) => {
                ins.args.extend(args);
                ins.json = true;
            }
            None => ins.args.push(self.arg(off, off + text.len(), text.to_string())),
        }
        Ok(())
    }

    /// `parseJSON`: the values, `None` when not JSON, an error when JSON
    /// but not all strings.
    fn json(&self, text: &str, off: usize) -> Result<Option<Vec<Arg>>, NodeError> {
        let t = text.trim_start();
        let lead = off + text.len() - t.len();
        if !t.starts_with('[') {
            return Ok(None);
        }
        match json_array::parse(t) {
            JsonArray::Strings(items) => Ok(Some(
                items
                    .into_iter()
                    .map(|(v, a, b)| self.arg(lead + a, lead + b, v))
                    .collect(),
            )),
            JsonArray::NotStrings => Err(self.err(
                "when using JSON array syntax, arrays must be comprised of strings only"
                    .to_string(),
                lead,
                lead + t.len(),
            )),
            JsonArray::Invalid => Ok(None),
        }
    }

    /// `parseMaybeJSONToList`: exec form, or whitespace-separated words.
    fn maybe_json_to_list(&self, ins: &mut Instruction) -> Result<(), NodeError> {
        match self.json(self.text, 0)? {
            Some(args) => {
                ins.args = args;
                ins.json = true;
            }
            None => ins.args = self.whitespace_delimited(self.text, 0),
        }
        Ok(())
    }

    /// `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`.
    fn whitespace_delimited(&self, text: &str, off: usize) -> Vec<Arg> {
        let mut out = Vec::new();
        let mut i = off;
        for piece in text.split(is_re_ws) {
            if !piece.is_empty() {
                out.push(self.arg(i, i + piece.len(), piece.to_string()));
            }
            i += piece.len() + 1;
        }
        out
    }

    /// `parseWords`: words separated by white space, quotes and escapes
    /// kept in the words.
    fn words(&self) -> Vec<Arg> {
        parse_words(self.text, self.escape)
            .into_iter()
            .map(|(w, a, b)| self.arg(a, b, w))
            .collect()
    }

    /// `parseNameVal` for ENV and LABEL: `key value sep` triples.
    fn name_val(&self, ins: &mut Instruction, key: &str) -> Result<(), NodeError> {
        let words = parse_words(self.text, self.escape);
        let Some(first) = words.first() else {
            return Ok(());
        };
        if !first.0.contains('=') {
            // Legacy form `KEY name value`: the rest of the line is the value.
            let Some(i) = self.text.find(is_re_ws) else {
                return Err(self.err(
                    format!("{key} must have two arguments"),
                    0,
                    self.text.len(),
                ));
            };
            let after = &self.text[i..];
            let j = i + (after.len() - after.trim_start_matches(is_re_ws).len());
            ins.args.push(self.arg(0, i, self.text[..i].to_string()));
            ins.args
                .push(self.arg(j, self.text.len(), self.text[j..].to_string()));
            ins.args.push(self.arg(i, i, String::new()));
            return Ok(());
        }
        for (w, a, b) in words {
            let Some(eq) = w.find('=') else {
                return Err(self.err(
                    format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        crate::dump::go_quote(&w)
                    ),
                    a,
                    b,
                ));
            };
            // Word text and source text agree up to the `=` (the key has
            // no quotes that were... kept: parseWords keeps every char).
            let k_end = (a + eq).min(b);
            let mut key = w;
            let value = key.split_off(eq + 1);
            key.truncate(eq);
            ins.args.push(self.arg(a, k_end, key));
            ins.args.push(self.arg((k_end + 1).min(b), b, value));
            ins.args.push(self.arg(k_end, (k_end + 1).min(b), "=".to_string()));
        }
        Ok(())
    }

    /// `parseHealthConfig`: the type word, then the command as
    /// `parseMaybeJSON` reads it.
    fn health_config(&self, ins: &mut Instruction) -> Result<(), NodeError> {
        let b = self.text.as_bytes();
        let sep = b.iter().position(|&c| is_space_byte(c)).unwrap_or(b.len());
        let next = b[sep..]
            .iter()
            .position(|&c| !is_space_byte(c))
            .map_or(b.len(), |i| sep + i);
        if sep == 0 {
            return Ok(());
        }
        let typ = byte_slice(self.text, 0, sep).into_owned();
        ins.args.push(self.arg(0, sep, typ));
        let rest = byte_slice(self.text, next, b.len());
        self.maybe_json(ins, &rest, next)
    }
}

/// BuildKit's `parseWords`: white-space separated words; quotes and escape
/// characters are kept, a quoted part may hold spaces, `""` is a word.
/// Returns each word with its byte range in `rest`.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<(String, usize, usize)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut start = 0;
    let mut chars = rest.char_indices().peekable();
    loop {
        let Some((pos, mut ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                words.push((word, start, rest.len()));
            }
            break;
        };
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            // Fast path: a word with no quote or escape is a plain slice.
            let tail = &rest[pos..];
            let len = tail.find(char::is_whitespace).unwrap_or(tail.len());
            let word = &tail[..len];
            if !word.contains(['\'', '"', escape]) {
                words.push((word.to_string(), pos, pos + len));
                while chars.peek().is_some_and(|&(p, _)| p < pos + len) {
                    chars.next();
                }
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), start, pos));
                }
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                match chars.next() {
                    None => continue,
                    Some((_, next)) => {
                        word.push(ch);
                        ch = next;
                    }
                }
            }
            word.push(ch);
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            match chars.next() {
                None => {
                    phase = Phase::Word;
                    continue;
                }
                Some((_, next)) => {
                    word.push(ch);
                    ch = next;
                }
            }
        }
        word.push(ch);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(s: &str) -> (String, Vec<String>) {
        let (at, f) = extract_builder_flags(s, '\\');
        (
            s[at..].to_string(),
            f.into_iter().map(|(t, _, _)| t).collect(),
        )
    }

    #[test]
    fn builder_flags() {
        assert_eq!(
            flags("--from=a --chown=\"1 2\" x y"),
            ("x y".to_string(), vec!["--from=a".into(), "--chown=1 2".into()])
        );
        assert_eq!(flags("-- x"), (" x".to_string(), vec![]));
        assert_eq!(flags("--a"), (String::new(), vec!["--a".into()]));
        assert_eq!(flags("-x"), ("-x".to_string(), vec![]));
        // Byte-wise: é becomes two Latin-1 characters, as in BuildKit.
        assert_eq!(flags("--x=é").1, vec!["--x=Ã©".to_string()]);
    }

    #[test]
    fn words_keep_quotes() {
        let w: Vec<String> = parse_words(r#"a="b c" d\ e '' f"#, '\\')
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(w, [r#"a="b c""#, r"d\ e", "''", "f"]);
    }
}
