//! BuildKit's dump format (`Node.Dump()`), the format of the conformance
//! `result` files, and Go's `strconv.Quote`, which it uses.

use crate::ast::{Dockerfile, Instruction};

/// Prints the file in BuildKit's dump format: one `(...)` line per
/// instruction.
pub fn dump<S: AsRef<str>>(file: &Dockerfile<S>) -> String {
    let mut out = String::new();
    for ins in &file.instructions {
        out.push('(');
        out.push_str(&dump_instruction(ins));
        out.push_str(")\n");
    }
    out
}

/// One instruction in dump format, without the outer parentheses.
pub fn dump_instruction<S: AsRef<str>>(ins: &Instruction<S>) -> String {
    let mut s = ins.keyword.as_ref().to_lowercase();
    if !ins.flags.is_empty() {
        s.push_str(" [");
        for (i, f) in ins.flags.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&go_quote(f.text.as_ref()));
        }
        s.push(']');
    }
    if let Some(sub) = &ins.sub {
        s.push_str(" (");
        s.push_str(&dump_instruction(sub));
        s.push(')');
    }
    for a in &ins.args {
        s.push(' ');
        s.push_str(&go_quote(a.value.as_ref()));
    }
    s.trim().to_string()
}

/// Go's `strconv.Quote`: a double-quoted string with Go escapes.
///
/// Printability follows Go's `unicode.IsPrint` for every category this
/// crate can tell without tables: controls, format characters, separators
/// other than the ASCII space, surrogates, private use and noncharacters are
/// escaped; other characters (including unassigned ones, which Go would
/// escape) are printed as they are.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_print(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn is_go_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if u < 0xa0 || c.is_whitespace() {
        return false;
    }
    let format_chars: &[(u32, u32)] = &[
        (0xad, 0xad),
        (0x600, 0x605),
        (0x61c, 0x61c),
        (0x6dd, 0x6dd),
        (0x70f, 0x70f),
        (0x890, 0x891),
        (0x8e2, 0x8e2),
        (0x180e, 0x180e),
        (0x200b, 0x200f),
        (0x202a, 0x202e),
        (0x2060, 0x206f),
        (0xd800, 0xf8ff),
        (0xfdd0, 0xfdef),
        (0xfeff, 0xfeff),
        (0xfff0, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0000, 0xe0fff),
        (0xf0000, 0x10ffff),
    ];
    if format_chars.iter().any(|&(a, b)| (a..=b).contains(&u)) {
        return false;
    }
    // Noncharacters U+nFFFE and U+nFFFF.
    (u & 0xfffe) != 0xfffe
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\t\n\u{1}\u{7f}"), r#""\t\n\x01\x7f""#);
        assert_eq!(go_quote("é한국어"), "\"é한국어\"");
        assert_eq!(go_quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(go_quote("\u{10ffff}"), r#""\U0010ffff""#);
    }
}
