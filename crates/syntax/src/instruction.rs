//! One logical line to one [`Instruction`]: the keyword, BuildKit's builder
//! flags, and the arguments as each instruction's line parser reads them
//! (BuildKit's `splitCommand`, `extractBuilderFlags` and `line_parsers.go`).

use std::borrow::Cow;

use crate::ast::{Arg, Flag, Instruction};
use crate::json_array::{self, JsonArray};
use crate::span::Span;

/// The owned-or-borrowed string type of the borrowed tree.
type Str<'a> = Cow<'a, str>;

/// A logical line: the physical pieces joined, with a map back to the
/// source offsets of each piece. A one-piece line borrows from the source.
#[derive(Debug, Default)]
pub(crate) struct Logical<'a> {
    /// The joined text.
    pub(crate) text: Str<'a>,
    /// Number of pieces pushed.
    pieces: usize,
    /// Source offset of the first piece.
    first: usize,
    /// `(offset in text, offset in source)` where each later piece starts
    /// (empty for the common one-line instruction: no allocation).
    map: Vec<(usize, usize)>,
}

impl<'a> Logical<'a> {
    /// Appends a piece that starts at `source_offset` in the source.
    pub(crate) fn push(&mut self, piece: &'a str, source_offset: usize) {
        if self.pieces == 0 {
            self.first = source_offset;
            self.text = Cow::Borrowed(piece);
        } else {
            let text = self.text.to_mut();
            self.map.push((text.len(), source_offset));
            text.push_str(piece);
        }
        self.pieces += 1;
    }

    /// `text[a..b]`, borrowed from the source when the line is.
    fn slice(&self, a: usize, b: usize) -> Str<'a> {
        match &self.text {
            Cow::Borrowed(s) => {
                let s: &'a str = s;
                match s.get(a..b) {
                    Some(t) => Cow::Borrowed(t),
                    None => String::from_utf8_lossy(&s.as_bytes()[a..b])
                        .into_owned()
                        .into(),
                }
            }
            Cow::Owned(s) => Cow::Owned(match s.get(a..b) {
                Some(t) => t.to_string(),
                None => String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned(),
            }),
        }
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
        let end = match self
            .text
            .get(a..b)
            .and_then(|t| t.char_indices().next_back())
        {
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

/// Go's `unicode.IsSpace(rune(b))` for a single byte, which BuildKit
/// applies byte by byte in places (so 0x85 and 0xA0, also UTF-8
/// continuation bytes, count as space there).
fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x85 | 0xa0)
}

/// Go's `TrimLeftFunc(s, unicode.IsSpace)`, with an ASCII fast path.
pub(crate) fn trim_start(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b'\t'..=b'\r' | b' ') {
        i += 1;
    }
    if b.get(i).is_some_and(|&c| c >= 0x80) {
        s[i..].trim_start()
    } else {
        &s[i..]
    }
}

/// Go's `TrimRightFunc(s, unicode.IsSpace)`, with an ASCII fast path.
pub(crate) fn trim_end(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 && matches!(b[i - 1], b'\t'..=b'\r' | b' ') {
        i -= 1;
    }
    if i > 0 && b[i - 1] >= 0x80 {
        s[..i].trim_end()
    } else {
        &s[..i]
    }
}

/// The first byte of BuildKit's `reWhitespace` (`[\t\v\f\r ]`, all
/// ASCII) in `s`.
fn find_re_ws(s: &str) -> Option<usize> {
    s.bytes()
        .position(|b| matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' '))
}

/// Length of the run of `reWhitespace` bytes at the start of `s`.
fn re_ws_run(s: &str) -> usize {
    s.bytes()
        .take_while(|b| matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' '))
        .count()
}

/// Moves `i` forward to a character boundary of `s`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Parses `lg.text[start..end]` as one instruction (BuildKit's
/// `newNodeFromLine`).
pub(crate) fn node_from_line<'a>(
    lg: &Logical<'a>,
    start: usize,
    end: usize,
    escape: char,
) -> Result<Instruction<Str<'a>>, NodeError> {
    let line = &lg.text[start..end];
    let trimmed = trim_start(line);
    let t0 = start + (line.len() - trimmed.len());
    let trimmed = trim_end(trimmed);
    let t_end = t0 + trimmed.len();
    let (cmd_len, rest_at) = match find_re_ws(trimmed) {
        Some(i) => (i, Some(t0 + i + re_ws_run(&trimmed[i..]))),
        None => (trimmed.len(), None),
    };
    let mut flags = Vec::new();
    // The argument text: `lg.text[a0..a1]`, or a repaired copy when
    // BuildKit's byte-wise flag scanner stopped inside a character.
    let (mut a0, mut a1, mut repaired) = (t_end, t_end, None);
    if let Some(r) = rest_at {
        let rest = &lg.text[r..t_end];
        let (args_from, found) = extract_builder_flags(rest, escape);
        for (text, a, b) in found {
            let raw = lg.slice(r + a, r + b);
            let text = if raw == text { raw } else { Cow::Owned(text) };
            flags.push(Flag {
                text,
                span: lg.span(r + a, ceil_boundary(&lg.text, r + b)),
            });
        }
        if rest.is_char_boundary(args_from) {
            let raw = &rest[args_from..];
            let t = trim_start(raw);
            a0 = r + args_from + (raw.len() - t.len());
            a1 = a0 + trim_end(t).len();
        } else {
            let raw = String::from_utf8_lossy(&rest.as_bytes()[args_from..]).into_owned();
            a0 = ceil_boundary(&lg.text, r + args_from);
            repaired = Some(raw.trim().to_string());
        }
    }
    let mut ins = Instruction {
        keyword: lg.slice(t0, t0 + cmd_len),
        keyword_span: lg.span(t0, t0 + cmd_len),
        flags,
        args: Vec::new(),
        json: false,
        sub: None,
        // The parser moves the logical line in for top-level instructions.
        original: if start == 0 && end == lg.text.len() {
            Cow::Borrowed("")
        } else {
            lg.slice(start, end)
        },
        heredocs: Vec::new(),
        start_line: 0,
        end_line: 0,
        span: lg.span(t0, t_end),
    };
    let ctx = match &repaired {
        None => ArgCtx {
            lg,
            at: a0,
            text: &lg.text[a0..a1],
            exact: true,
            escape,
        },
        Some(text) => ArgCtx {
            lg,
            at: a0,
            text,
            exact: false,
            escape,
        },
    };
    // Lower-case the keyword without allocating (the longest is 11 bytes).
    let cmd = &lg.text[t0..t0 + cmd_len];
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
        "run" | "cmd" | "entrypoint" | "shell" => ctx.maybe_json(&mut ins, 0)?,
        "arg" => ins.args = ctx.words(),
        "env" => ctx.name_val(&mut ins, "ENV")?,
        "label" => ctx.name_val(&mut ins, "LABEL")?,
        "expose" | "from" => ins.args = ctx.whitespace_delimited(),
        "healthcheck" => ctx.health_config(&mut ins)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !ctx.text.is_empty() {
                ins.args.push(ctx.arg(0, ctx.text.len()));
            }
        }
        "onbuild" => {
            if !ctx.text.is_empty() {
                // The sub-instruction is parsed from the rest of the line.
                let sub = if ctx.exact {
                    node_from_line(lg, a0, a1, escape)?
                } else {
                    let mut own = Logical::default();
                    own.push(ctx.text, lg.source(a0));
                    let sub = node_from_line(&own, 0, ctx.text.len(), escape)?;
                    to_cow(sub.into_owned())
                };
                ins.sub = Some(Box::new(sub));
            }
        }
        // Unknown instructions keep one empty value (BuildKit's parseIgnore).
        _ => ins.args.push(Arg {
            value: Cow::Borrowed(""),
            span: Span::empty(lg.source(a0)),
        }),
    }
    Ok(ins)
}

/// Detaches an owned instruction into the borrowed tree's type.
fn to_cow(o: Instruction) -> Instruction<Str<'static>> {
    Instruction {
        keyword: Cow::Owned(o.keyword),
        keyword_span: o.keyword_span,
        flags: o
            .flags
            .into_iter()
            .map(|f| Flag {
                text: Cow::Owned(f.text),
                span: f.span,
            })
            .collect(),
        args: o
            .args
            .into_iter()
            .map(|a| Arg {
                value: Cow::Owned(a.value),
                span: a.span,
            })
            .collect(),
        json: o.json,
        sub: o.sub.map(|s| Box::new(to_cow(*s))),
        original: Cow::Owned(o.original),
        heredocs: Vec::new(),
        start_line: o.start_line,
        end_line: o.end_line,
        span: o.span,
    }
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
struct ArgCtx<'l, 'a, 't> {
    lg: &'l Logical<'a>,
    /// Text offset of `text` in the logical line.
    at: usize,
    text: &'t str,
    /// True when `text` is exactly `lg.text[at..at + text.len()]` (values
    /// can then borrow from the source).
    exact: bool,
    escape: char,
}

impl<'a> ArgCtx<'_, 'a, '_> {
    /// The value `text[a..b]`.
    fn val(&self, a: usize, b: usize) -> Str<'a> {
        if self.exact {
            self.lg.slice(self.at + a, self.at + b)
        } else {
            Cow::Owned(String::from_utf8_lossy(&self.text.as_bytes()[a..b]).into_owned())
        }
    }

    fn span(&self, a: usize, b: usize) -> Span {
        let len = self.lg.text.len();
        let (a, b) = ((self.at + a).min(len), (self.at + b).min(len));
        let (a, b) = (
            ceil_boundary(&self.lg.text, a),
            ceil_boundary(&self.lg.text, b),
        );
        self.lg.span(a, b.max(a))
    }

    /// The argument `text[a..b]` with its span.
    fn arg(&self, a: usize, b: usize) -> Arg<Str<'a>> {
        Arg {
            value: self.val(a, b),
            span: self.span(a, b),
        }
    }

    fn arg_with(&self, a: usize, b: usize, value: Str<'a>) -> Arg<Str<'a>> {
        Arg {
            value,
            span: self.span(a, b),
        }
    }

    fn err(&self, message: String, a: usize, b: usize) -> NodeError {
        NodeError {
            message,
            span: self.span(a, b),
        }
    }

    /// `parseMaybeJSON` on `text[off..]`: exec form when it is a JSON
    /// array of strings, else the whole text as one value.
    fn maybe_json(&self, ins: &mut Instruction<Str<'a>>, off: usize) -> Result<(), NodeError> {
        if off >= self.text.len() {
            return Ok(());
        }
        match self.json(off)? {
            Some(args) => {
                if ins.args.is_empty() {
                    ins.args = args;
                } else {
                    ins.args.extend(args);
                }
                ins.json = true;
            }
            None => ins.args.push(self.arg(off, self.text.len())),
        }
        Ok(())
    }

    /// `parseJSON` on `text[off..]`: the values, `None` when not JSON, an
    /// error when JSON but not all strings.
    fn json(&self, off: usize) -> Result<Option<Vec<Arg<Str<'a>>>>, NodeError> {
        let text = &self.text[off..];
        let t = trim_start(text);
        let lead = off + text.len() - t.len();
        if !t.starts_with('[') {
            return Ok(None);
        }
        match json_array::parse(t) {
            JsonArray::Strings(items) => Ok(Some(
                items
                    .into_iter()
                    .map(|(decoded, a, b)| {
                        let (a, b) = (lead + a, lead + b);
                        match decoded {
                            Some(v) => self.arg_with(a, b, Cow::Owned(v)),
                            // No escapes: the value is the token between its quotes.
                            None => self.arg_with(a, b, self.val(a + 1, b - 1)),
                        }
                    })
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
    fn maybe_json_to_list(&self, ins: &mut Instruction<Str<'a>>) -> Result<(), NodeError> {
        match self.json(0)? {
            Some(args) => {
                ins.args = args;
                ins.json = true;
            }
            None => ins.args = self.whitespace_delimited(),
        }
        Ok(())
    }

    /// `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`.
    fn whitespace_delimited(&self) -> Vec<Arg<Str<'a>>> {
        let mut out = Vec::new();
        let mut i = 0;
        let text = self.text;
        while i < text.len() {
            i += re_ws_run(&text[i..]);
            if i >= text.len() {
                break;
            }
            let len = find_re_ws(&text[i..]).unwrap_or(text.len() - i);
            out.push(self.arg(i, i + len));
            i += len;
        }
        out
    }

    /// `parseWords`: words separated by white space, quotes and escapes
    /// kept in the words.
    fn words(&self) -> Vec<Arg<Str<'a>>> {
        parse_words(self.text, self.escape)
            .into_iter()
            .map(|(a, b)| self.arg(a, b))
            .collect()
    }

    /// `parseNameVal` for ENV and LABEL: `key value sep` triples.
    fn name_val(&self, ins: &mut Instruction<Str<'a>>, key: &str) -> Result<(), NodeError> {
        let words = parse_words(self.text, self.escape);
        let Some(&(a, b)) = words.first() else {
            return Ok(());
        };
        let first = &self.text[a..b];
        if !first.contains('=') {
            // Legacy form `KEY name value`: the rest of the line is the value.
            let Some(i) = find_re_ws(self.text) else {
                return Err(self.err(format!("{key} must have two arguments"), 0, self.text.len()));
            };
            let after = &self.text[i..];
            let j = i + re_ws_run(after);
            ins.args.push(self.arg(0, i));
            ins.args.push(self.arg(j, self.text.len()));
            ins.args.push(self.arg_with(i, i, Cow::Borrowed("")));
            return Ok(());
        }
        ins.args.reserve_exact(words.len() * 3);
        for (a, b) in words {
            let word = &self.text[a..b];
            let Some(eq) = word.find('=') else {
                return Err(self.err(
                    format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        crate::dump::go_quote(word)
                    ),
                    a,
                    b,
                ));
            };
            let k_end = a + eq;
            ins.args.push(self.arg(a, k_end));
            ins.args.push(self.arg(k_end + 1, b));
            ins.args
                .push(self.arg_with(k_end, (k_end + 1).min(b), Cow::Borrowed("=")));
        }
        Ok(())
    }

    /// `parseHealthConfig`: the type word, then the command as
    /// `parseMaybeJSON` reads it.
    fn health_config(&self, ins: &mut Instruction<Str<'a>>) -> Result<(), NodeError> {
        let b = self.text.as_bytes();
        let sep = b.iter().position(|&c| is_space_byte(c)).unwrap_or(b.len());
        let next = b[sep..]
            .iter()
            .position(|&c| !is_space_byte(c))
            .map_or(b.len(), |i| sep + i);
        if sep == 0 {
            return Ok(());
        }
        ins.args.push(self.arg(0, sep));
        if self.text.is_char_boundary(next) {
            self.maybe_json(ins, next)
        } else {
            // The byte-wise scan stopped inside a character: BuildKit's
            // string then starts with a broken one.
            let rest = String::from_utf8_lossy(&b[next..]).into_owned();
            let ctx = ArgCtx {
                lg: self.lg,
                at: ceil_boundary(self.text, next) + self.at,
                text: &rest,
                exact: false,
                escape: self.escape,
            };
            ctx.maybe_json(ins, 0)
        }
    }
}

/// BuildKit's `parseWords`: white-space separated words; quotes and escape
/// characters are kept, a quoted part may hold spaces, `""` is a word.
///
/// BuildKit writes every character it reads into the word except a lone
/// escape character at the very end of the input, so each word is a slice
/// of `rest`: this returns the byte range of each, and allocates nothing
/// but the list.
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<(usize, usize)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = rest.as_bytes();
    let esc = escape as u8; // `\` or `` ` ``: ASCII
                            // The character at `i`: (is white space, is the escape, quote byte, width).
    let at = |i: usize| -> (bool, bool, u8, usize) {
        let c = b[i];
        if c < 0x80 {
            (
                matches!(c, b'\t'..=b'\r' | b' '),
                c == esc,
                if c == b'\'' || c == b'"' { c } else { 0 },
                1,
            )
        } else {
            let ch = rest[i..].chars().next().unwrap_or('\u{fffd}');
            (ch.is_whitespace(), false, 0, ch.len_utf8())
        }
    };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut start = 0;
    let mut pos = 0;
    while pos < b.len() {
        let (space, is_esc, q, w) = at(pos);
        if phase == Phase::Spaces {
            if space {
                pos += w;
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if phase == Phase::Word {
            if space {
                phase = Phase::Spaces;
                if blank_ok || pos > start {
                    words.push((start, pos));
                }
                blank_ok = false;
                pos += w;
                continue;
            }
            if q != 0 {
                quote = q;
                blank_ok = true;
                phase = Phase::Quote;
                pos += w;
                continue;
            }
            if is_esc {
                if pos + w == b.len() {
                    // A lone escape at the very end is dropped.
                    if blank_ok || pos > start {
                        words.push((start, pos));
                    }
                    return words;
                }
                pos += w;
                pos += at(pos).3;
                continue;
            }
            pos += w;
            continue;
        }
        // In quotes.
        if q != 0 && q == quote {
            phase = Phase::Word;
            pos += w;
            continue;
        }
        if is_esc && quote != b'\'' {
            if pos + w == b.len() {
                words.push((start, pos));
                return words;
            }
            pos += w;
            pos += at(pos).3;
            continue;
        }
        pos += w;
    }
    if phase != Phase::Spaces && (blank_ok || pos > start) {
        words.push((start, b.len()));
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
            (
                "x y".to_string(),
                vec!["--from=a".into(), "--chown=1 2".into()]
            )
        );
        assert_eq!(flags("-- x"), (" x".to_string(), vec![]));
        assert_eq!(flags("--a"), (String::new(), vec!["--a".into()]));
        assert_eq!(flags("-x"), ("-x".to_string(), vec![]));
        // Byte-wise: é becomes two Latin-1 characters, as in BuildKit.
        assert_eq!(flags("--x=é").1, vec!["--x=Ã©".to_string()]);
    }

    #[test]
    fn words_keep_quotes() {
        let words = |text: &str, esc| -> Vec<String> {
            parse_words(text, esc)
                .into_iter()
                .map(|(a, b)| text[a..b].to_string())
                .collect()
        };
        assert_eq!(
            words(r#"a="b c" d\ e '' f"#, '\\'),
            [r#"a="b c""#, r"d\ e", "''", "f"]
        );
        assert_eq!(words("a\\", '\\'), ["a"]);
        assert_eq!(words("a= \\", '\\'), ["a="]);
        assert_eq!(words("\"a \\", '\\'), ["\"a "]);
        assert_eq!(words("x\u{a0}y\u{3000}z", '\\'), ["x", "y", "z"]);
        assert_eq!(words("a`\" c", '`'), ["a`\"", "c"]);
        assert_eq!(words("a`\"b\" c", '`'), ["a`\"b\" c"]);
    }
}
