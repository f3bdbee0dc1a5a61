//! One logical line to one instruction: the keyword, BuildKit's builder
//! flags, and the arguments as each instruction's line parser reads them
//! (BuildKit's `splitCommand`, `extractBuilderFlags` and `line_parsers.go`).
//!
//! The instruction is written into the flat [`crate::BorrowedDockerfile`]: values
//! are byte ranges of the logical line wherever they are a slice of it, and
//! nothing is allocated per instruction.

use crate::borrowed::{Item, Node, Parts, Str, EXTRA};
use crate::json_array::{self, JsonArray};
use crate::scan::{eq, find_flagged, high, le};
use crate::span::Span;

/// A logical line: the physical pieces joined, with a map back to the
/// source offsets of each piece. A one-piece line is a slice of the source.
#[derive(Debug)]
pub(crate) struct Logical<'x> {
    /// The joined text.
    pub(crate) text: &'x str,
    /// Where `text` is kept, as a [`Str`] offset: the source offset of a
    /// one-piece line, else the side buffer's copy.
    store: usize,
    /// Source offset of the first piece.
    first: usize,
    /// `(offset in text, offset in source)` where each later piece starts
    /// (empty for a one-piece line).
    map: &'x [(usize, usize)],
}

/// Writes `bytes`, decoded with replacement characters, to the side
/// buffer.
fn lossy(out: &mut Parts, bytes: &[u8]) -> Str {
    out.push_text(&String::from_utf8_lossy(bytes))
}

impl<'x> Logical<'x> {
    /// A one-piece line: `text` is the source at `offset`.
    pub(crate) fn single(text: &'x str, offset: usize) -> Self {
        Logical {
            text,
            store: offset,
            first: offset,
            map: &[],
        }
    }

    /// Joined pieces: `text`, kept in the side buffer at `base`; the first
    /// piece is at source offset `first`, the others as `map` says.
    pub(crate) fn joined(
        text: &'x str,
        base: usize,
        first: usize,
        map: &'x [(usize, usize)],
    ) -> Self {
        Logical {
            text,
            store: EXTRA | base,
            first,
            map,
        }
    }

    /// The whole line.
    pub(crate) fn whole(&self) -> Str {
        Str {
            off: self.store,
            len: self.text.len(),
        }
    }

    /// `text[a..b]`: a range of the stored line, or a copy in the side
    /// buffer (with replacement characters) when `a` or `b` falls inside a
    /// character.
    #[inline]
    fn slice(&self, a: usize, b: usize, out: &mut Parts) -> Str {
        let t = self.text;
        if a <= b && t.is_char_boundary(a) && t.is_char_boundary(b) {
            Str {
                off: self.store + a,
                len: b - a,
            }
        } else {
            lossy(out, &t.as_bytes()[a..b])
        }
    }

    /// The source offset of text offset `off`.
    #[inline]
    fn source(&self, off: usize) -> usize {
        // The last piece starting at or before `off` (pieces may be empty:
        // the last of equal starts).
        let i = if self.map.len() <= 8 {
            self.map.iter().take_while(|&&(l, _)| l <= off).count()
        } else {
            self.map.partition_point(|&(l, _)| l <= off)
        };
        match i.checked_sub(1) {
            Some(i) => {
                let (l, s) = self.map[i];
                s + (off - l)
            }
            None => self.first + off,
        }
    }

    /// The source span of the text range `a..b`.
    #[inline]
    pub(crate) fn span(&self, a: usize, b: usize) -> Span {
        if self.map.is_empty() {
            // One piece: text offsets are source offsets.
            let start = self.first + a;
            return if b <= a {
                Span::empty(start)
            } else {
                Span::new(start, self.first + b)
            };
        }
        if a < b && self.text.is_char_boundary(a) && self.text.is_char_boundary(b) {
            return self.span_of_chars(a, b);
        }
        let start = self.source(a);
        if b <= a {
            return Span::empty(start);
        }
        Span::new(start, (self.source(b - 1) + 1).max(start))
    }

    /// The source span of `a..b`, whole characters (`a < b`) of a line of
    /// several pieces: from the first character's start to the last one's
    /// end.
    fn span_of_chars(&self, a: usize, b: usize) -> Span {
        let start = self.source(a);
        let t = self.text.as_bytes();
        let mut last = b - 1;
        while last > a && (t[last] as i8) < -0x40 {
            last -= 1;
        }
        Span::new(start, (self.source(last) + (b - last)).max(start))
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

/// Byte classes for the scanners: white space (`\t` to `\r`, space),
/// quotes, bytes above ASCII, and the escape character. Bytes of none of
/// these need no attention inside a word.
const SPACE: u8 = 1;
const QUOTE: u8 = 2;
const HIGH: u8 = 4;
const ESC: u8 = 8;

const fn class_table(esc: u8) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if matches!(b, b'\t'..=b'\r' | b' ') {
            SPACE
        } else if b == b'\'' || b == b'"' {
            QUOTE
        } else if b >= 0x80 {
            HIGH
        } else if b == esc {
            ESC
        } else {
            0
        };
        i += 1;
    }
    t
}

/// The classes with each escape character BuildKit allows.
static CLASS_BACKSLASH: [u8; 256] = class_table(b'\\');
static CLASS_BACKTICK: [u8; 256] = class_table(b'`');

/// Flags the bytes of `w` that may end a run of plain bytes in a word:
/// white space or a control character, a quote, a byte above ASCII, or the
/// escape character (a superset of the bytes of a non-zero class).
#[inline(always)]
fn special(w: u64, esc: u8) -> u64 {
    le(w, b' ') | high(w) | eq(w, b'"') | eq(w, b'\'') | eq(w, esc)
}

/// The first byte at or after `pos` of a non-zero class, or `b.len()`.
#[inline(always)]
fn plain_run(b: &[u8], mut pos: usize, esc: u8, class: &[u8; 256]) -> usize {
    loop {
        pos = find_flagged(b, pos, |w| special(w, esc));
        match b.get(pos) {
            // A control character: plain after all.
            Some(&c) if class[c as usize] == 0 => pos += 1,
            _ => return pos,
        }
    }
}

/// The class table for escape character `esc` (`\` or `` ` ``, the only
/// ones the parser accepts).
fn classes(esc: u8) -> &'static [u8; 256] {
    debug_assert!(esc == b'\\' || esc == b'`');
    if esc == b'`' {
        &CLASS_BACKTICK
    } else {
        &CLASS_BACKSLASH
    }
}

/// Go's `TrimLeftFunc(s, unicode.IsSpace)`, with an ASCII fast path.
#[inline(always)]
pub(crate) fn trim_start(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(&c) if c <= b' ' || c >= 0x80 => trim_start_slow(s),
        _ => s,
    }
}

fn trim_start_slow(s: &str) -> &str {
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
fn trim_end_slow(s: &str) -> &str {
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

/// `start..end` of `text` without Go's leading and trailing white space
/// (`strings.TrimSpace` as two `TrimFunc`s).
#[inline(always)]
fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let mut s = start;
    if s < end && (b[s] <= b' ' || b[s] >= 0x80) {
        let line = &text[start..end];
        s = start + (line.len() - trim_start_slow(line).len());
    }
    let mut e = end;
    if e > s && (b[e - 1] <= b' ' || b[e - 1] >= 0x80) {
        e = s + trim_end_slow(&text[s..end]).len();
    }
    (s, e)
}

/// A byte of BuildKit's `reWhitespace` (`[\t\v\f\r ]`, all ASCII).
#[inline(always)]
fn is_re_ws(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The first byte of `reWhitespace` at or after `from` in `b`, or
/// `b.len()`.
#[inline]
fn find_re_ws_from(b: &[u8], mut from: usize) -> usize {
    loop {
        from = find_flagged(b, from, |w| le(w, b' '));
        match b.get(from) {
            Some(&c) if !is_re_ws(c) => from += 1,
            _ => return from,
        }
    }
}

/// The first byte of `reWhitespace` in `s`.
fn find_re_ws(s: &str) -> Option<usize> {
    let i = find_re_ws_from(s.as_bytes(), 0);
    (i < s.len()).then_some(i)
}

/// Length of the run of `reWhitespace` bytes at the start of `s`.
fn re_ws_run(s: &str) -> usize {
    s.bytes().take_while(|&b| is_re_ws(b)).count()
}

/// Moves `i` forward to a character boundary of `s`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The instructions BuildKit's parser reads in a way of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Add,
    Copy,
    Volume,
    Run,
    Cmd,
    Entrypoint,
    Shell,
    Arg,
    Env,
    Label,
    Expose,
    From,
    Healthcheck,
    Maintainer,
    Stopsignal,
    User,
    Workdir,
    Onbuild,
    Other,
}

/// The first (up to) eight bytes of a keyword as a number
/// (little-endian, zero padded).
const fn key(kw: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < kw.len() && i < 8 {
        k |= (kw[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// The kind of the keyword `b[from..to]`, ignoring ASCII case.
#[inline]
fn kind(b: &[u8], from: usize, to: usize) -> Kind {
    let len = to - from;
    if !(3..=11).contains(&len) {
        return Kind::Other;
    }
    // The first eight bytes (fewer when the keyword is shorter).
    let head = match b.get(from..from + 8) {
        Some(w) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            u64::from_le_bytes(a)
        }
        None => {
            let mut a = [0u8; 8];
            for (d, s) in a.iter_mut().zip(&b[from..to]) {
                *d = *s;
            }
            u64::from_le_bytes(a)
        }
    };
    // Setting bit 5 lower-cases a letter and turns no other byte into a
    // letter: the keywords are all letters, so the comparison is exact.
    let n = len.min(8);
    let keep = u64::MAX >> (64 - 8 * n);
    let k = (head & keep) | (0x2020_2020_2020_2020 & keep);
    // The bytes after the eighth, lower-cased the same way.
    let tail = |want: &[u8]| {
        b[from + 8..to]
            .iter()
            .zip(want)
            .all(|(&c, &w)| c | 0x20 == w)
    };
    const RUN: u64 = key(b"run");
    const ENV: u64 = key(b"env");
    const ARG: u64 = key(b"arg");
    const CMD: u64 = key(b"cmd");
    const ADD: u64 = key(b"add");
    const COPY: u64 = key(b"copy");
    const FROM: u64 = key(b"from");
    const USER: u64 = key(b"user");
    const LABEL: u64 = key(b"label");
    const SHELL: u64 = key(b"shell");
    const EXPOSE: u64 = key(b"expose");
    const VOLUME: u64 = key(b"volume");
    const WORKDIR: u64 = key(b"workdir");
    const ONBUILD: u64 = key(b"onbuild");
    const ENTRYPOI: u64 = key(b"entrypoint");
    const MAINTAIN: u64 = key(b"maintainer");
    const STOPSIGN: u64 = key(b"stopsignal");
    const HEALTHCH: u64 = key(b"healthcheck");
    match (len, k) {
        (3, RUN) => Kind::Run,
        (3, ENV) => Kind::Env,
        (3, ARG) => Kind::Arg,
        (3, CMD) => Kind::Cmd,
        (3, ADD) => Kind::Add,
        (4, COPY) => Kind::Copy,
        (4, FROM) => Kind::From,
        (4, USER) => Kind::User,
        (5, LABEL) => Kind::Label,
        (5, SHELL) => Kind::Shell,
        (6, EXPOSE) => Kind::Expose,
        (6, VOLUME) => Kind::Volume,
        (7, WORKDIR) => Kind::Workdir,
        (7, ONBUILD) => Kind::Onbuild,
        (10, ENTRYPOI) if tail(b"nt") => Kind::Entrypoint,
        (10, MAINTAIN) if tail(b"er") => Kind::Maintainer,
        (10, STOPSIGN) if tail(b"al") => Kind::Stopsignal,
        (11, HEALTHCH) if tail(b"eck") => Kind::Healthcheck,
        _ => Kind::Other,
    }
}

/// ONBUILD's inner instruction, still to be parsed.
enum Sub {
    /// From this range of the same logical line.
    Exact(usize, usize),
    /// From this text (BuildKit's byte-wise flag scanner stopped inside a
    /// character), which starts at this source offset.
    Repaired(String, usize),
}

/// Parses a whole logical line as one top-level instruction (BuildKit's
/// `newNodeFromLine`) into `node`, ONBUILD's inner instructions included
/// (its `original` is left empty). Returns whether it may have heredocs
/// (RUN, COPY and ADD in shell form, also under ONBUILD).
#[inline]
pub(crate) fn parse_instruction(
    lg: &Logical<'_>,
    escape: char,
    out: &mut Parts,
    top: &mut Node,
) -> Result<bool, NodeError> {
    let (kind, pending) = node_from_line(lg, 0, lg.text.len(), escape, out, top)?;
    match pending {
        None => Ok(heredoc_kind(kind) && !top.json),
        Some(sub) => parse_inner(lg, escape, out, top, sub),
    }
}

/// ONBUILD's inner instructions (they nest), parsed in a loop rather than
/// by recursion. Returns whether the first may have heredocs.
#[cold]
fn parse_inner(
    lg: &Logical<'_>,
    escape: char,
    out: &mut Parts,
    top: &mut Node,
    sub: Sub,
) -> Result<bool, NodeError> {
    let mut heredocs = false;
    let mut pending = Some(sub);
    let mut parent: Option<usize> = None;
    // A repaired inner line: its text, source offset and stored copy.
    let mut own: Option<(String, usize, usize)> = None;
    while let Some(sub) = pending.take() {
        let (a, b) = match sub {
            Sub::Exact(a, b) => (a, b),
            Sub::Repaired(text, first) => {
                let base = out.push_text(&text).off & !EXTRA;
                let len = text.len();
                own = Some((text, first, base));
                (0, len)
            }
        };
        let own_lg;
        let l = match &own {
            Some((text, first, base)) => {
                own_lg = Logical {
                    text,
                    store: EXTRA | base,
                    first: *first,
                    map: &[],
                };
                &own_lg
            }
            None => lg,
        };
        let mut node = Node::default();
        let (sub_kind, next) = node_from_line(l, a, b, escape, out, &mut node)?;
        let index = out.subs.len();
        match parent {
            None => {
                heredocs = heredoc_kind(sub_kind) && !node.json;
                top.sub = index + 1;
            }
            Some(p) => out.subs[p].sub = index + 1,
        }
        out.subs.push(node);
        parent = Some(index);
        pending = next;
    }
    Ok(heredocs)
}

fn heredoc_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Run | Kind::Copy | Kind::Add)
}

/// Parses `lg.text[start..end]` as one instruction (BuildKit's
/// `newNodeFromLine`) into `node` (a default one), without ONBUILD's inner
/// instruction, which is returned to be parsed next.
fn node_from_line(
    lg: &Logical<'_>,
    start: usize,
    end: usize,
    escape: char,
    out: &mut Parts,
    node: &mut Node,
) -> Result<(Kind, Option<Sub>), NodeError> {
    let text = lg.text;
    let tb = text.as_bytes();
    let (t0, t_end) = trim_range(text, start, end);
    // The keyword ends at the first `reWhitespace` byte.
    let kw_end = find_re_ws_from(&tb[..t_end], t0);
    let cmd_len = kw_end - t0;
    let flags_start = out.items.len();
    // The argument text: `text[a0..a1]`, or a repaired copy when
    // BuildKit's byte-wise flag scanner stopped inside a character.
    let (mut a0, mut a1, mut repaired) = (t_end, t_end, None);
    if kw_end < t_end {
        let mut r = kw_end;
        while r < t_end && is_re_ws(tb[r]) {
            r += 1;
        }
        let rest = &tb[r..t_end];
        let args_from = if rest.starts_with(b"--") {
            extract_builder_flags(rest, escape, |a, b, processed| {
                let val = match processed {
                    // Nothing quoted, escaped or above ASCII: the flag is
                    // its text.
                    None => lg.slice(r + a, r + b, out),
                    Some(s) => out.push_text(&s),
                };
                out.items.push(Item {
                    val,
                    span: lg.span(r + a, ceil_boundary(text, r + b)),
                });
            })
        } else {
            0
        };
        if text.is_char_boundary(r + args_from) {
            (a0, a1) = trim_range(text, r + args_from, t_end);
        } else {
            let raw = String::from_utf8_lossy(&rest[args_from..]).into_owned();
            a0 = ceil_boundary(text, r + args_from);
            repaired = Some(raw.trim().to_string());
        }
    }
    // `t0..kw_end` is whole characters: no copy is ever needed.
    node.keyword = Str {
        off: lg.store + t0,
        len: cmd_len,
    };
    node.keyword_span = lg.span(t0, kw_end);
    // The parser sets the logical line for top-level instructions.
    if !(start == 0 && end == text.len()) {
        node.original = lg.slice(start, end, out);
    }
    node.span = lg.span(t0, t_end);
    let args_start = out.items.len();
    let ctx = match &repaired {
        None => ArgCtx::new(lg, a0, &text[a0..a1], true, escape),
        Some(text) => ArgCtx::new(lg, a0, text, false, escape),
    };
    let kind = kind(tb, t0, kw_end);
    let mut sub = None;
    match kind {
        Kind::Add | Kind::Copy | Kind::Volume => {
            node.json = ctx.maybe_json_to_list(out)?;
        }
        Kind::Run | Kind::Cmd | Kind::Entrypoint | Kind::Shell => {
            node.json = ctx.maybe_json(out, 0)?;
        }
        Kind::Arg => ctx.words(out),
        Kind::Env => ctx.name_val(out, "ENV")?,
        Kind::Label => ctx.name_val(out, "LABEL")?,
        Kind::Expose | Kind::From => ctx.whitespace_delimited(out),
        Kind::Healthcheck => node.json = ctx.health_config(out)?,
        Kind::Maintainer | Kind::Stopsignal | Kind::User | Kind::Workdir => {
            if !ctx.text.is_empty() {
                ctx.arg(out, 0, ctx.text.len());
            }
        }
        Kind::Onbuild => {
            if !ctx.text.is_empty() {
                // The inner instruction is parsed from the rest of the line.
                sub = Some(if ctx.exact {
                    Sub::Exact(a0, a1)
                } else {
                    Sub::Repaired(ctx.text.to_string(), lg.source(a0))
                });
            }
        }
        // Unknown instructions keep one empty value (BuildKit's parseIgnore).
        Kind::Other => out.items.push(Item {
            val: Str::default(),
            span: Span::empty(lg.source(a0)),
        }),
    }
    node.items = [flags_start, args_start, out.items.len()];
    Ok((kind, sub))
}

/// Splits leading `--flag` words off `line`: calls `emit` with each flag's
/// byte range and, unless it is exactly its text, the flag as BuildKit
/// keeps it; returns where the arguments start. Byte-wise, as BuildKit
/// does (bytes above 0x7f become the Latin-1 character of the same
/// number).
fn extract_builder_flags(
    line: &[u8],
    escape: char,
    mut emit: impl FnMut(usize, usize, Option<String>),
) -> usize {
    let b = line;
    let esc = escape as u32 as u8;
    let class = classes(esc);
    // The word so far: `line[word_start..pos]` while `plain`, else `word`.
    let mut word = String::new();
    let mut is_plain = true;
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
    // Leaves plain mode: the word so far (ASCII) becomes `word`.
    let unplain = |word: &mut String, is_plain: &mut bool, from: usize, to: usize| {
        if *is_plain {
            *is_plain = false;
            word.clear();
            word.extend(b[from..to].iter().map(|&c| c as char));
        }
    };
    while pos <= b.len() {
        if phase == Phase::Word && is_plain {
            pos = plain_run(b, pos, esc, class);
        }
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
                return pos;
            }
            phase = Phase::Word;
            word_start = pos;
            word.clear();
            is_plain = true;
            continue;
        }
        let is_dashes = |word: &String, is_plain: bool| {
            if is_plain {
                &b[word_start..pos] == b"--"
            } else {
                word == "--"
            }
        };
        let is_blank = |word: &String, is_plain: bool| {
            if is_plain {
                pos == word_start
            } else {
                word.is_empty()
            }
        };
        if pos == b.len() {
            if !is_dashes(&word, is_plain) && (blank_ok || !is_blank(&word, is_plain)) {
                emit(
                    word_start,
                    pos,
                    (!is_plain).then(|| std::mem::take(&mut word)),
                );
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if is_dashes(&word, is_plain) {
                    return pos;
                }
                if blank_ok || !is_blank(&word, is_plain) {
                    emit(
                        word_start,
                        pos,
                        (!is_plain).then(|| std::mem::take(&mut word)),
                    );
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            unplain(&mut word, &mut is_plain, word_start, pos);
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
    b.len()
}

/// The argument text of one instruction and where it is.
struct ArgCtx<'l, 'x, 't> {
    lg: &'l Logical<'x>,
    /// Text offset of `text` in the logical line.
    at: usize,
    text: &'t str,
    /// True when `text` is exactly `lg.text[at..at + text.len()]` (values
    /// can then be ranges of the line).
    exact: bool,
    /// True when also the line is one piece: text offsets then map to
    /// stored and source offsets by addition.
    direct: bool,
    escape: char,
}

impl<'l, 'x, 't> ArgCtx<'l, 'x, 't> {
    fn new(lg: &'l Logical<'x>, at: usize, text: &'t str, exact: bool, escape: char) -> Self {
        ArgCtx {
            lg,
            at,
            text,
            exact,
            direct: exact && lg.map.is_empty(),
            escape,
        }
    }

    /// True when `a..b` is a range of whole characters of a direct text.
    #[inline(always)]
    fn is_direct(&self, a: usize, b: usize) -> bool {
        self.direct && a <= b && self.text.is_char_boundary(a) && self.text.is_char_boundary(b)
    }

    /// The argument `text[a..b]` of a direct text.
    #[inline(always)]
    fn direct_item(&self, a: usize, b: usize) -> Item {
        let (sa, sb) = (self.at + a, self.at + b);
        Item {
            val: Str {
                off: self.lg.store + sa,
                len: b - a,
            },
            span: if b > a {
                Span::new(self.lg.first + sa, self.lg.first + sb)
            } else {
                Span::empty(self.lg.first + sa)
            },
        }
    }

    /// The value `text[a..b]`.
    #[inline]
    fn val(&self, out: &mut Parts, a: usize, b: usize) -> Str {
        if self.is_direct(a, b) {
            return Str {
                off: self.lg.store + self.at + a,
                len: b - a,
            };
        }
        if self.exact {
            self.lg.slice(self.at + a, self.at + b, out)
        } else {
            lossy(out, &self.text.as_bytes()[a..b])
        }
    }

    #[inline]
    fn span(&self, a: usize, b: usize) -> Span {
        if self.is_direct(a, b) {
            return self.direct_item(a, b).span;
        }
        let text = self.lg.text;
        let len = text.len();
        let (a, b) = ((self.at + a).min(len), (self.at + b).min(len));
        let (a, b) = (ceil_boundary(text, a), ceil_boundary(text, b));
        self.lg.span(a, b.max(a))
    }

    /// Adds the argument `text[a..b]`, where `a <= b` are character
    /// boundaries (a word's or token's ends).
    #[inline(always)]
    fn word(&self, out: &mut Parts, a: usize, b: usize) {
        debug_assert!(a <= b && self.text.is_char_boundary(a) && self.text.is_char_boundary(b));
        if self.direct {
            out.items.push(self.direct_item(a, b));
        } else if self.exact {
            // Joined pieces: the value is a range of the stored line.
            let (sa, sb) = (self.at + a, self.at + b);
            out.items.push(Item {
                val: Str {
                    off: self.lg.store + sa,
                    len: b - a,
                },
                span: if a < b {
                    self.lg.span_of_chars(sa, sb)
                } else {
                    Span::empty(self.lg.source(sa))
                },
            });
        } else {
            self.arg_slow(out, a, b);
        }
    }

    /// Adds the argument `text[a..b]`.
    #[inline]
    fn arg(&self, out: &mut Parts, a: usize, b: usize) {
        if self.exact && a <= b && self.text.is_char_boundary(a) && self.text.is_char_boundary(b) {
            self.word(out, a, b);
            return;
        }
        self.arg_slow(out, a, b);
    }

    /// Adds the argument `text[a..b]`, in general.
    fn arg_slow(&self, out: &mut Parts, a: usize, b: usize) {
        let val = self.val(out, a, b);
        self.arg_with(out, a, b, val);
    }

    /// Adds an argument of value `val` written at `text[a..b]`.
    #[inline]
    fn arg_with(&self, out: &mut Parts, a: usize, b: usize, val: Str) {
        out.items.push(Item {
            val,
            span: self.span(a, b),
        });
    }

    fn err(&self, message: String, a: usize, b: usize) -> NodeError {
        NodeError {
            message,
            span: self.span(a, b),
        }
    }

    /// `parseMaybeJSON` on `text[off..]`: exec form when it is a JSON
    /// array of strings, else the whole text as one value. True for exec
    /// form.
    fn maybe_json(&self, out: &mut Parts, off: usize) -> Result<bool, NodeError> {
        if off >= self.text.len() {
            return Ok(false);
        }
        if self.json(out, off)? {
            return Ok(true);
        }
        self.arg(out, off, self.text.len());
        Ok(false)
    }

    /// `parseJSON` on `text[off..]`: adds the values and returns true, or
    /// false when not JSON; an error when JSON but not all strings.
    fn json(&self, out: &mut Parts, off: usize) -> Result<bool, NodeError> {
        let text = &self.text[off..];
        let t = trim_start(text);
        let lead = off + text.len() - t.len();
        if !t.starts_with('[') {
            return Ok(false);
        }
        let (items, pending) = (out.items.len(), out.pending.len());
        let outcome = json_array::parse(t, |a, b, escaped| {
            let val = if escaped {
                let at = out.pending.len();
                json_array::decode_into(&t.as_bytes()[a..b], &mut out.pending);
                Str {
                    off: EXTRA | (out.pending_base + at),
                    len: out.pending.len() - at,
                }
            } else {
                // No escapes: the value is the token between its quotes.
                self.val(out, lead + a + 1, lead + b - 1)
            };
            self.arg_with(out, lead + a, lead + b, val);
        });
        if outcome != JsonArray::Strings {
            out.items.truncate(items);
            out.pending.truncate(pending);
        }
        match outcome {
            JsonArray::Strings => Ok(true),
            JsonArray::NotStrings => Err(self.err(
                "when using JSON array syntax, arrays must be comprised of strings only"
                    .to_string(),
                lead,
                lead + t.len(),
            )),
            JsonArray::Invalid => Ok(false),
        }
    }

    /// `parseMaybeJSONToList`: exec form, or whitespace-separated words.
    /// True for exec form.
    fn maybe_json_to_list(&self, out: &mut Parts) -> Result<bool, NodeError> {
        if self.json(out, 0)? {
            return Ok(true);
        }
        self.whitespace_delimited(out);
        Ok(false)
    }

    /// `parseStringsWhitespaceDelimited`: split on `[\t\v\f\r ]+`.
    fn whitespace_delimited(&self, out: &mut Parts) {
        let b = self.text.as_bytes();
        let mut i = 0;
        loop {
            while i < b.len() && is_re_ws(b[i]) {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            let s = i;
            i = find_re_ws_from(b, i);
            self.word(out, s, i);
        }
    }

    /// `parseWords`: words separated by white space, quotes and escapes
    /// kept in the words.
    fn words(&self, out: &mut Parts) {
        for (a, b) in Words::new(self.text, self.escape) {
            self.word(out, a, b);
        }
    }

    /// `parseNameVal` for ENV and LABEL: `key value sep` triples.
    fn name_val(&self, out: &mut Parts, key: &str) -> Result<(), NodeError> {
        let mut words = Words::new(self.text, self.escape);
        let Some((a, b)) = words.next() else {
            return Ok(());
        };
        let eq_at = |a: usize, b: usize| {
            let i = find_flagged(&self.text.as_bytes()[..b], a, |w| eq(w, b'='));
            (i < b).then_some(i - a)
        };
        let first_eq = eq_at(a, b);
        if first_eq.is_none() {
            // Legacy form `KEY name value`: the rest of the line is the value.
            let Some(i) = find_re_ws(self.text) else {
                return Err(self.err(format!("{key} must have two arguments"), 0, self.text.len()));
            };
            let j = i + re_ws_run(&self.text[i..]);
            self.arg(out, 0, i);
            self.arg(out, j, self.text.len());
            self.arg_with(out, i, i, Str::default());
            return Ok(());
        }
        let mut next = Some((a, b, first_eq));
        while let Some((a, b, eq)) = next {
            let Some(eq) = eq else {
                let word = &self.text[a..b];
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
            self.word(out, a, k_end);
            self.word(out, k_end + 1, b);
            // The separator: `=`, the byte at `k_end`.
            self.word(out, k_end, k_end + 1);
            next = words.next().map(|(a, b)| (a, b, eq_at(a, b)));
        }
        Ok(())
    }

    /// `parseHealthConfig`: the type word, then the command as
    /// `parseMaybeJSON` reads it. True for exec form.
    fn health_config(&self, out: &mut Parts) -> Result<bool, NodeError> {
        let b = self.text.as_bytes();
        let sep = b.iter().position(|&c| is_space_byte(c)).unwrap_or(b.len());
        let next = b[sep..]
            .iter()
            .position(|&c| !is_space_byte(c))
            .map_or(b.len(), |i| sep + i);
        if sep == 0 {
            return Ok(false);
        }
        self.arg(out, 0, sep);
        if self.text.is_char_boundary(next) {
            self.maybe_json(out, next)
        } else {
            // The byte-wise scan stopped inside a character: BuildKit's
            // string then starts with a broken one.
            let rest = String::from_utf8_lossy(&b[next..]).into_owned();
            let at = ceil_boundary(self.text, next) + self.at;
            let ctx = ArgCtx::new(self.lg, at, &rest, false, self.escape);
            ctx.maybe_json(out, 0)
        }
    }
}

/// BuildKit's `parseWords`: white-space separated words; quotes and escape
/// characters are kept, a quoted part may hold spaces, `""` is a word.
///
/// BuildKit writes every character it reads into the word except a lone
/// escape character at the very end of the input, so each word is a slice
/// of the text: this yields the byte range of each.
pub(crate) struct Words<'s> {
    text: &'s str,
    esc: u8,
    class: &'static [u8; 256],
    pos: usize,
}

impl<'s> Words<'s> {
    pub(crate) fn new(text: &'s str, escape: char) -> Self {
        let esc = escape as u8; // `\` or `` ` ``: ASCII
        Words {
            text,
            esc,
            class: classes(esc),
            pos: 0,
        }
    }

    /// The character at `i`: (is white space, is the escape, quote byte,
    /// width).
    #[inline(always)]
    fn at(&self, i: usize) -> (bool, bool, u8, usize) {
        let c = self.text.as_bytes()[i];
        if c < 0x80 {
            let k = self.class[c as usize];
            (k == SPACE, k == ESC, if k == QUOTE { c } else { 0 }, 1)
        } else {
            let ch = self.text[i..].chars().next().unwrap_or('\u{fffd}');
            (ch.is_whitespace(), false, 0, ch.len_utf8())
        }
    }
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.text.as_bytes();
        let n = b.len();
        let esc = self.esc;
        let class = self.class;
        let mut pos = self.pos;
        'spaces: loop {
            // Between words.
            loop {
                if pos >= n {
                    self.pos = n;
                    return None;
                }
                let (space, _, _, w) = self.at(pos);
                if !space {
                    break;
                }
                pos += w;
            }
            let start = pos;
            let mut blank_ok = false;
            // In a word.
            'word: loop {
                pos = plain_run(b, pos, esc, class);
                if pos >= n {
                    self.pos = n;
                    return (blank_ok || pos > start).then_some((start, n));
                }
                let (space, is_esc, q, w) = self.at(pos);
                if space {
                    if blank_ok || pos > start {
                        self.pos = pos + w;
                        return Some((start, pos));
                    }
                    pos += w;
                    continue 'spaces;
                }
                if q != 0 {
                    blank_ok = true;
                    pos += w;
                    // In quotes.
                    loop {
                        pos = find_flagged(b, pos, |w| high(w) | eq(w, q) | eq(w, esc));
                        if pos >= n {
                            self.pos = n;
                            return Some((start, n));
                        }
                        let (_, is_esc, q2, w) = self.at(pos);
                        if q2 == q {
                            pos += w;
                            continue 'word;
                        }
                        if is_esc && q != b'\'' {
                            if pos + w == n {
                                self.pos = n;
                                return Some((start, pos));
                            }
                            pos += w;
                            pos += self.at(pos).3;
                            continue;
                        }
                        pos += w;
                    }
                }
                if is_esc {
                    if pos + w == n {
                        // A lone escape at the very end is dropped.
                        self.pos = n;
                        return (blank_ok || pos > start).then_some((start, pos));
                    }
                    pos += w;
                    pos += self.at(pos).3;
                    continue;
                }
                pos += w;
            }
        }
    }
}

/// Every word of [`Words`] at once.
#[cfg(test)]
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<(usize, usize)> {
    Words::new(rest, escape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(s: &str) -> (String, Vec<String>) {
        let mut f = Vec::new();
        let at = extract_builder_flags(s.as_bytes(), '\\', |a, b, t| {
            f.push(t.unwrap_or_else(|| s[a..b].to_string()))
        });
        (s[at..].to_string(), f)
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
        assert_eq!(words("a`\" c", '`'), ["a`\"", "c"]);
        assert_eq!(words("a`\"b\" c", '`'), ["a`\"b\" c"]);
    }
}
