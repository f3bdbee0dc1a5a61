//! Character classes and string quoting exactly as Go (the language BuildKit
//! is written in) defines them, since they decide where a variable name ends,
//! where words split and how an error message shows the input.

use super::tables::{DIGIT, GRAPHIC, LETTER};

/// Whether `c` lies in one of the sorted, disjoint, inclusive `ranges`.
fn in_table(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsLetter`: general category L, Unicode 15.0.
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(LETTER, c)
}

/// Go's `unicode.IsDigit`: general category Nd, Unicode 15.0.
pub(crate) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(DIGIT, c)
}

/// Go's `unicode.IsSpace`: the Unicode `White_Space` property, which is
/// tab, line feed, vertical tab, form feed, carriage return, space, U+0085,
/// U+00A0 and a handful of spaces and separators beyond Latin-1.
pub(crate) fn is_space(c: char) -> bool {
    const WHITE_SPACE: &[(char, char)] = &[
        ('\t', '\r'),
        (' ', ' '),
        ('\u{85}', '\u{85}'),
        ('\u{A0}', '\u{A0}'),
        ('\u{1680}', '\u{1680}'),
        ('\u{2000}', '\u{200A}'),
        ('\u{2028}', '\u{2029}'),
        ('\u{202F}', '\u{202F}'),
        ('\u{205F}', '\u{205F}'),
        ('\u{3000}', '\u{3000}'),
    ];
    WHITE_SPACE.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// Go's `strconv.IsPrint`: categories L, M, N, P, S and the ASCII space.
fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    in_table(GRAPHIC, c)
}

/// Quotes `s` as Go's `%q` verb (`strconv.Quote`) does: double quotes,
/// backslash escapes for `"` and `\`, C-style escapes for the usual control
/// characters, `\xNN`, `\uNNNN` or `\UNNNNNNNN` for other unprintable
/// characters (lower-case hex).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_print(c) => out.push(c),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if c < ' ' || c == '\u{7F}' => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c if u32::from(c) < 0x10000 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [LETTER, DIGIT, GRAPHIC] {
            for pair in table.windows(2) {
                assert!(pair[0].0 <= pair[0].1);
                assert!(pair[0].1 < pair[1].0);
            }
        }
    }

    #[test]
    fn classes_follow_go_and_unicode_15() {
        assert!(is_letter('a') && is_letter('Z') && is_letter('한') && is_letter('ß'));
        assert!(!is_letter('_') && !is_letter('1') && !is_letter('$'));
        // Letter numbers and combining marks are alphabetic for Rust, not letters for Go.
        assert!('Ⅻ'.is_alphabetic() && !is_letter('Ⅻ'));
        assert!(!is_letter('\u{0301}'));
        // U+1C89 (CYRILLIC CAPITAL LETTER TJE) only exists from Unicode 16.0.
        assert!(!is_letter('\u{1C89}'));
        // Unicode 15.0 additions are in (CJK extension H).
        assert!(is_letter('\u{31350}'));
        assert!(is_digit('7') && is_digit('٣') && is_digit('７'));
        assert!(!is_digit('²') && !is_digit('Ⅻ') && !is_digit('a'));
        assert!(is_space(' ') && is_space('\u{A0}') && is_space('\u{3000}'));
        assert!(!is_space('\u{200B}') && !is_space('x'));
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(is_space(c), c.is_whitespace(), "{c:?}");
            if is_letter(c) {
                assert!(c.is_alphabetic(), "{c:?}");
            }
            if is_digit(c) {
                assert!(c.is_numeric(), "{c:?}");
            }
        }
    }

    #[test]
    fn quote_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            go_quote("\n\t\r\u{7}\u{8}\u{b}\u{c}"),
            r#""\n\t\r\a\b\v\f""#
        );
        assert_eq!(go_quote("\u{0}\u{1b}\u{7f}"), r#""\x00\x1b\x7f""#);
        assert_eq!(go_quote("한국어 é \u{301}"), "\"한국어 é \u{301}\"");
        assert_eq!(
            go_quote("\u{a0}\u{feff}\u{e000}"),
            r#""\u00a0\ufeff\ue000""#
        );
        assert_eq!(go_quote("\u{f0000}\u{1F600}"), "\"\\U000f0000\u{1F600}\"");
        assert_eq!(go_quote("\u{fffd}"), "\"\u{fffd}\"");
    }
}
