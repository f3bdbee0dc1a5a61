//! Parser directives (`# syntax=`, `# escape=`, `# check=`), BuildKit's
//! `DirectiveParser`: recognised only on the lines before the first line
//! that is not one.

/// Directive names BuildKit knows.
const KNOWN: [&str; 3] = ["syntax", "escape", "check"];

/// The state of directive recognition while lines are read.
#[derive(Debug, Default)]
pub(crate) struct DirectiveParser {
    done: bool,
    /// Which of [`KNOWN`] were seen.
    seen: [bool; 3],
}

impl DirectiveParser {
    /// Looks at one line (newline removed). Returns the directive's name and
    /// value when the line is one; an error for a repeated directive.
    #[inline]
    pub(crate) fn parse_line<'a>(
        &mut self,
        line: &'a str,
    ) -> Result<Option<(&'static str, &'a str)>, String> {
        if self.done {
            return Ok(None);
        }
        self.parse_line_slow(line)
    }

    fn parse_line_slow<'a>(
        &mut self,
        line: &'a str,
    ) -> Result<Option<(&'static str, &'a str)>, String> {
        let Some(rest) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(None);
        };
        let rest = rest.trim_start();
        let Some((name, value)) = match_directive(rest) else {
            self.done = true;
            return Ok(None);
        };
        let Some(i) = KNOWN.iter().position(|k| k.eq_ignore_ascii_case(name)) else {
            self.done = true;
            return Ok(None);
        };
        let name = KNOWN[i];
        if self.seen[i] {
            return Err(format!("only one {name} parser directive can be used"));
        }
        self.seen[i] = true;
        Ok(Some((name, value)))
    }
}

/// RE2's `\s`: ASCII white space without `\v`.
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// BuildKit's directive regexp `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`,
/// matched by hand on one line (the text after `#` and any leading white
/// space): the name as written and the value, or `None` when the line is
/// not `name=value`. The linter also reads `check=` comments with it.
pub fn match_directive(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let name_end = b
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(b.len());
    let name = &s[..name_end];
    let rest = s[name_end..].trim_start_matches(is_re_space);
    let rest = rest.strip_prefix('=')?;
    // `.` does not match a newline.
    if rest.contains('\n') || rest.is_empty() {
        return None;
    }
    let trimmed = rest.trim_matches(is_re_space);
    if !trimmed.is_empty() {
        return Some((name, trimmed));
    }
    // Only white space after `=`: `.+?` still takes one character, the last.
    let last = rest.char_indices().last().map(|(i, _)| i)?;
    Some((name, &rest[last..]))
}

/// BuildKit's `parser.ParseDirective(key, dt)`: the value of the `key`
/// directive (lower case) at the top of `text`. A byte-order mark and a
/// first line starting with `#!` are skipped; lines are then read while
/// each is a known directive (`#` first, no leading white space), and a
/// repeated directive ends the scan.
pub fn parse_directive<'a>(key: &str, text: &'a str) -> Option<&'a str> {
    let mut text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.starts_with("#!") {
        text = text.split_once('\n').map_or("", |(_, rest)| rest);
    }
    let mut parser = DirectiveParser::default();
    for line in text.split('\n') {
        // bufio.Scanner's ScanLines drops a trailing \r.
        let line = line.strip_suffix('\r').unwrap_or(line);
        match parser.parse_line(line) {
            Ok(Some((name, value))) if name == key => return Some(value),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_directives_until_the_first_other_line() {
        let mut p = DirectiveParser::default();
        assert_eq!(p.parse_line("# escape=`"), Ok(Some(("escape", "`"))));
        assert_eq!(
            p.parse_line("#SYNTAX = docker/dockerfile:1 "),
            Ok(Some(("syntax", "docker/dockerfile:1")))
        );
        assert!(p.parse_line("# escape=\\").is_err());
        assert_eq!(p.parse_line("# hello"), Ok(None));
        assert_eq!(p.parse_line("# check=skip=all"), Ok(None));
    }

    #[test]
    fn unknown_names_end_directives() {
        let mut p = DirectiveParser::default();
        assert_eq!(p.parse_line("# foo=bar"), Ok(None));
        assert_eq!(p.parse_line("# escape=`"), Ok(None));
    }

    #[test]
    fn parse_directive_reads_the_top_of_the_file() {
        let text = "#!/bin/x\n# syntax=x\n#check=skip=all\r\nFROM a";
        assert_eq!(parse_directive("check", text), Some("skip=all"));
        assert_eq!(parse_directive("escape", text), None);
        assert_eq!(parse_directive("check", "  # check=a\n"), None);
        assert_eq!(
            parse_directive("check", "# check=a\n# check=b\n"),
            Some("a")
        );
    }

    #[test]
    fn blank_value_keeps_one_character() {
        assert_eq!(match_directive("escape=  "), Some(("escape", " ")));
        assert_eq!(match_directive("escape="), None);
    }
}
