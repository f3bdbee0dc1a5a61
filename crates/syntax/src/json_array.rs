//! The exec form's JSON array, read the way Go's `encoding/json` reads it
//! into `[]any` (BuildKit's `parseJSON`).
//!
//! Three outcomes matter to BuildKit: valid JSON that is an array of
//! strings (exec form), valid JSON that holds something else (an error),
//! and anything that is not valid JSON (the line falls back to shell form).

/// Go's `encoding/json` nesting limit.
const MAX_DEPTH: usize = 10_000;

/// What reading the text as a JSON array gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// An array of strings.
    Strings,
    /// Valid JSON, but not an array of strings only.
    NotStrings,
    /// Not a JSON array at all.
    Invalid,
}

/// Reads `text` (already left-trimmed by the caller or not) as Go would.
/// `string` is called with each string token's byte range in `text`
/// (quotes included) and whether it has an escape (when not, the value is
/// the text between the quotes; else [`decode_into`] gives it); the tokens
/// are an array of strings only when [`JsonArray::Strings`] is returned.
pub(crate) fn parse(text: &str, mut string: impl FnMut(usize, usize, bool)) -> JsonArray {
    let b = text.as_bytes();
    let mut p = Parser { b, i: 0 };
    p.ws();
    if p.peek() != Some(b'[') {
        return JsonArray::Invalid;
    }
    p.i += 1;
    let mut all_strings = true;
    p.ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            if p.peek() == Some(b'"') {
                let start = p.i;
                let Some(escaped) = p.skip_string() else {
                    return JsonArray::Invalid;
                };
                string(start, p.i, escaped);
            } else {
                all_strings = false;
                if !p.value(1) {
                    return JsonArray::Invalid;
                }
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return JsonArray::Invalid,
            }
        }
    }
    p.ws();
    if p.i != b.len() {
        return JsonArray::Invalid;
    }
    if all_strings {
        JsonArray::Strings
    } else {
        JsonArray::NotStrings
    }
}

/// Appends the value of a string token that [`parse`] accepted.
pub(crate) fn decode_into(token: &[u8], out: &mut String) {
    let mut p = Parser { b: token, i: 0 };
    let _ = p.string(Some(out));
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Validates one value of any kind at nesting `depth` (the enclosing
    /// array counts), without recursion.
    fn value(&mut self, depth: usize) -> bool {
        // Stack of open containers: true for object, false for array.
        let mut stack: Vec<bool> = Vec::new();
        loop {
            self.ws();
            // Parse one value start.
            match self.peek() {
                Some(b'{') => {
                    self.i += 1;
                    if depth + stack.len() + 1 > MAX_DEPTH {
                        return false;
                    }
                    stack.push(true);
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                        stack.pop();
                    } else {
                        if !self.key() {
                            return false;
                        }
                        continue;
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    if depth + stack.len() + 1 > MAX_DEPTH {
                        return false;
                    }
                    stack.push(false);
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        stack.pop();
                    } else {
                        continue;
                    }
                }
                Some(b'"') => {
                    if self.skip_string().is_none() {
                        return false;
                    }
                }
                Some(b't') => {
                    if !self.lit(b"true") {
                        return false;
                    }
                }
                Some(b'f') => {
                    if !self.lit(b"false") {
                        return false;
                    }
                }
                Some(b'n') => {
                    if !self.lit(b"null") {
                        return false;
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if !self.number() {
                        return false;
                    }
                }
                _ => return false,
            }
            // After a complete value: close containers or move to the next
            // element.
            loop {
                let Some(&is_obj) = stack.last() else {
                    return true;
                };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        if is_obj && !self.key() {
                            return false;
                        }
                        break;
                    }
                    Some(b'}') if is_obj => {
                        self.i += 1;
                        stack.pop();
                    }
                    Some(b']') if !is_obj => {
                        self.i += 1;
                        stack.pop();
                    }
                    _ => return false,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> bool {
        self.ws();
        if self.peek() != Some(b'"') || self.skip_string().is_none() {
            return false;
        }
        self.ws();
        if self.peek() != Some(b':') {
            return false;
        }
        self.i += 1;
        true
    }

    fn lit(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> usize {
        let s = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - s
    }

    fn number(&mut self) -> bool {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return false;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return false;
            }
        }
        true
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.i..self.i + 4)?;
        let mut v = 0u32;
        for &c in h {
            v = v * 16 + (c as char).to_digit(16)?;
        }
        self.i += 4;
        Some(v)
    }

    /// Skips a string token starting at `"`: `None` when it is not valid,
    /// else whether it has an escape.
    #[inline]
    fn skip_string(&mut self) -> Option<bool> {
        let b = self.b;
        // The common case: printable bytes up to the closing quote.
        let i = crate::scan::find_flagged(b, self.i + 1, |w| {
            crate::scan::eq(w, b'"') | crate::scan::eq(w, b'\\') | crate::scan::le(w, 0x1f)
        });
        if i < b.len() && b[i] == b'"' {
            self.i = i + 1;
            return Some(false);
        }
        self.string(None)?;
        Some(true)
    }

    /// A string token starting at `"`; its value appended to `out` when
    /// given.
    fn string(&mut self, mut out: Option<&mut String>) -> Option<()> {
        self.i += 1;
        let mut run = self.i;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(std::str::from_utf8(&self.b[run..self.i]).ok()?);
                    }
                    self.i += 1;
                    return Some(());
                }
                0..=0x1f => return None,
                b'\\' => {
                    if let Some(out) = out.as_deref_mut() {
                        out.push_str(std::str::from_utf8(&self.b[run..self.i]).ok()?);
                    }
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) {
                                // A high surrogate pairs only with an
                                // immediately following low one.
                                let save = self.i;
                                let low = if self.b[self.i..].starts_with(b"\\u") {
                                    self.i += 2;
                                    self.hex4()
                                } else {
                                    None
                                };
                                match low {
                                    Some(l) if (0xDC00..0xE000).contains(&l) => char::from_u32(
                                        0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00),
                                    )
                                    .unwrap_or('\u{FFFD}'),
                                    _ => {
                                        self.i = save;
                                        '\u{FFFD}'
                                    }
                                }
                            } else {
                                char::from_u32(u).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return None,
                    };
                    if let Some(out) = out.as_deref_mut() {
                        out.push(ch);
                    }
                    run = self.i;
                }
                _ => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> JsonArray {
        super::parse(s, |_, _, _| {})
    }

    fn strings(s: &str) -> Vec<String> {
        let mut toks = Vec::new();
        match super::parse(s, |a, b, e| toks.push((a, b, e))) {
            JsonArray::Strings => toks
                .into_iter()
                .map(|(a, b, escaped)| {
                    if escaped {
                        let mut out = String::new();
                        decode_into(&s.as_bytes()[a..b], &mut out);
                        out
                    } else {
                        s[a + 1..b - 1].to_string()
                    }
                })
                .collect(),
            other => panic!("{s:?} gave {other:?}"),
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(strings(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(strings("[ ]"), Vec::<String>::new());
        assert_eq!(strings(r#"["\u00e9\n\"\\\/"]"#), ["é\n\"\\/"]);
        assert_eq!(strings(r#"["\ud83d\ude00"]"#), ["😀"]);
        assert_eq!(strings(r#"["\ud83d x"]"#), ["\u{FFFD} x"]);
        assert_eq!(strings(" [\"a\"] \n"), ["a"]);
    }

    #[test]
    fn valid_json_that_is_not_strings() {
        for s in [
            r#"["a", 1]"#,
            r#"[["nested"]]"#,
            r#"[null]"#,
            r#"[{"a": [true, false, -1.5e3]}]"#,
        ] {
            assert_eq!(parse(s), JsonArray::NotStrings, "{s}");
        }
    }

    #[test]
    fn invalid_json_falls_back() {
        for s in [
            "",
            "[",
            r#"["a",]"#,
            r#"['a']"#,
            r#"["a"] x"#,
            r#"["a" "b"]"#,
            "[\"a\tb\"]",
            r#"[01]"#,
            r#"[1.]"#,
            r#"["\x"]"#,
            r#"{"a": 1}"#,
            r#"[{"a" 1}]"#,
        ] {
            assert_eq!(parse(s), JsonArray::Invalid, "{s}");
        }
    }

    #[test]
    fn nesting_limit_is_go_s() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(parse(&ok), JsonArray::NotStrings);
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse(&deep), JsonArray::Invalid);
    }
}
