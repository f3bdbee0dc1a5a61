//! Shell patterns of `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`, `${V/p/r}` and
//! `${V//p/r}`.
//!
//! BuildKit translates such a pattern into a Go regular expression and lets
//! Go's `regexp` package find it, so this module reproduces both halves:
//!
//! * the translation rules: `*` is any run of characters, `?` any single
//!   character, `\*`, `\?` and `\\` are literals, a `\` before `}` or `/` is
//!   dropped, any other escape is an error, and every other character
//!   (brackets included: there are no bracket expressions) is a literal;
//! * the search semantics: leftmost-first (Perl-like) matching where `*` and
//!   `?` never match a newline (Go's `.` without the `s` flag), with all
//!   stars greedy or all stars lazy.
//!
//! Matching runs a Pike virtual machine (threads in priority order, one
//! pass over the text), the same algorithm as Go's, in O(text × pattern)
//! time with no backtracking.

use super::chars::{is_digit, is_letter};

/// One element of a translated pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// A character matching itself.
    Literal(char),
    /// `?`: any character but a newline.
    AnyChar,
    /// `*`: any run of characters without a newline.
    Star,
}

/// One instruction of the matching program.
#[derive(Clone, Copy, Debug)]
enum Inst {
    /// Consume this exact character.
    Char(char),
    /// Consume any character but a newline.
    AnyNotNewline,
    /// Continue at both targets; the first has priority.
    Split(usize, usize),
    /// Continue at the target.
    Jump(usize),
    /// A match ends here.
    Match,
}

/// A compiled shell pattern.
#[derive(Debug)]
pub(crate) struct Pattern {
    program: Vec<Inst>,
}

/// Reads a pattern the way Go's `text/scanner` hands it to BuildKit: a byte
/// order mark at the very start is skipped.
fn pattern_chars(pattern: &str) -> std::iter::Peekable<std::str::Chars<'_>> {
    pattern
        .strip_prefix('\u{FEFF}')
        .unwrap_or(pattern)
        .chars()
        .peekable()
}

impl Pattern {
    /// Translates a shell pattern. `greedy` makes every `*` match as much as
    /// it can (`##`, `%%`, `/`), otherwise as little as it can (`#`, `%`).
    /// The error is BuildKit's text, e.g. `invalid escape '\x'`.
    pub(crate) fn compile(pattern: &str, greedy: bool) -> Result<Pattern, String> {
        let mut tokens = Vec::new();
        let mut chars = pattern_chars(pattern);
        while let Some(c) = chars.next() {
            match c {
                '*' => tokens.push(Token::Star),
                '?' => tokens.push(Token::AnyChar),
                '\\' => match chars.peek() {
                    // `\}` and `\/` are how `}` and `/` are written inside
                    // `${...}`; the backslash is not part of the pattern.
                    Some('}') | Some('/') => {}
                    _ => match chars.next() {
                        Some(e @ ('*' | '?' | '\\')) => tokens.push(Token::Literal(e)),
                        // Go prints the end of input as U+FFFD here.
                        other => {
                            return Err(format!(
                                "invalid escape '\\{}'",
                                other.unwrap_or('\u{FFFD}')
                            ))
                        }
                    },
                },
                c => tokens.push(Token::Literal(c)),
            }
        }
        let mut program = Vec::with_capacity(tokens.len() * 2 + 1);
        for token in tokens {
            match token {
                Token::Literal(c) => program.push(Inst::Char(c)),
                Token::AnyChar => program.push(Inst::AnyNotNewline),
                Token::Star => {
                    let split = program.len();
                    let (body, exit) = (split + 1, split + 3);
                    program.push(if greedy {
                        Inst::Split(body, exit)
                    } else {
                        Inst::Split(exit, body)
                    });
                    program.push(Inst::AnyNotNewline);
                    program.push(Inst::Jump(split));
                }
            }
        }
        program.push(Inst::Match);
        Ok(Pattern { program })
    }

    /// Finds the leftmost-first match in `text[from..]`, as Go's
    /// `FindStringIndex` does; `anchored` only tries a match starting at
    /// `from` (a pattern translated with a leading `^`, searched from 0).
    /// Positions are character indices into `text`.
    pub(crate) fn find(
        &self,
        text: &[char],
        from: usize,
        anchored: bool,
        vm: &mut Vm,
    ) -> Option<(usize, usize)> {
        vm.reset(self.program.len());
        let mut matched = None;
        let mut pos = from;
        loop {
            if vm.current.is_empty() && (matched.is_some() || (anchored && pos != from)) {
                break;
            }
            if matched.is_none() && (!anchored || pos == from) {
                vm.add(&self.program, true, 0, pos);
            }
            let here = text.get(pos).copied();
            let mut i = 0;
            while i < vm.current.threads.len() {
                let (pc, start) = vm.current.threads[i];
                i += 1;
                let advance = match (self.program.get(pc), here) {
                    (Some(Inst::Match), _) => {
                        // First-match mode: lower-priority threads are cut.
                        matched = Some((start, pos));
                        break;
                    }
                    (Some(Inst::Char(want)), Some(c)) => *want == c,
                    (Some(Inst::AnyNotNewline), Some(c)) => c != '\n',
                    _ => false,
                };
                if advance {
                    vm.add(&self.program, false, pc + 1, start);
                }
            }
            if here.is_none() {
                break;
            }
            pos += 1;
            std::mem::swap(&mut vm.current, &mut vm.next);
            vm.next.clear();
        }
        matched
    }
}

/// Thread lists for [`Pattern::find`], reusable across searches.
#[derive(Debug, Default)]
pub(crate) struct Vm {
    current: ThreadList,
    next: ThreadList,
    stack: Vec<usize>,
}

/// Threads (program counter, start of their match) in priority order, at
/// most one per program counter. A program counter was visited in this
/// list when its stamp equals the list's generation, so clearing is O(1).
#[derive(Debug, Default)]
struct ThreadList {
    threads: Vec<(usize, usize)>,
    stamps: Vec<u64>,
    generation: u64,
}

impl ThreadList {
    fn is_empty(&self) -> bool {
        self.threads.is_empty()
    }

    fn clear(&mut self) {
        self.threads.clear();
        self.generation += 1;
    }

    fn reset(&mut self, len: usize) {
        self.threads.clear();
        self.stamps.clear();
        self.stamps.resize(len, 0);
        self.generation = 1;
    }

    /// Marks `pc` visited; false if it already was.
    fn visit(&mut self, pc: usize) -> bool {
        match self.stamps.get_mut(pc) {
            Some(stamp) if *stamp != self.generation => {
                *stamp = self.generation;
                true
            }
            _ => false,
        }
    }
}

impl Vm {
    fn reset(&mut self, len: usize) {
        self.current.reset(len);
        self.next.reset(len);
    }

    /// Adds a thread at `pc`, following jumps and splits in priority order
    /// (an explicit stack instead of recursion: patterns can be long).
    fn add(&mut self, program: &[Inst], to_current: bool, pc: usize, start: usize) {
        let list = if to_current {
            &mut self.current
        } else {
            &mut self.next
        };
        self.stack.clear();
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            if !list.visit(pc) {
                continue;
            }
            match program.get(pc) {
                Some(Inst::Jump(to)) => self.stack.push(*to),
                Some(Inst::Split(first, second)) => {
                    self.stack.push(*second);
                    self.stack.push(*first);
                }
                Some(_) => list.threads.push((pc, start)),
                None => {}
            }
        }
    }
}

/// BuildKit's `reversePattern`: reverses a pattern character by character
/// but keeps each backslash in front of the character it escapes, so that
/// `a\*c` becomes `c\*a`.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = chars.clone();
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = last - i;
        if c == '\\' && i != last {
            out[at - 1] = c;
            out[at] = chars[i + 1];
            i += 2;
        } else {
            out[at] = c;
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// The message BuildKit gives for a pattern that does not translate.
fn invalid(pattern: &str, err: &str) -> String {
    format!("invalid pattern ({pattern}) in substitution: {err}")
}

/// `${V#p}` (`greedy` false) and `${V##p}` (`greedy` true): removes the
/// shortest or longest prefix of `value` matching `pattern`.
pub(crate) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let compiled = Pattern::compile(pattern, greedy).map_err(|e| invalid(pattern, &e))?;
    let text: Vec<char> = value.chars().collect();
    Ok(match compiled.find(&text, 0, true, &mut Vm::default()) {
        Some((_, end)) => text[end..].iter().collect(),
        None => value.to_owned(),
    })
}

/// `${V%p}` and `${V%%p}`: removes the shortest or longest suffix of `value`
/// matching `pattern`, by reversing both and trimming a prefix (so an error
/// shows the reversed pattern, as BuildKit's does).
pub(crate) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// `${V/p/r}` (`all` false) and `${V//p/r}` (`all` true). The first form
/// inserts `replacement` literally; the second goes through Go's
/// `Regexp.ReplaceAllString`, which expands `$` templates in it.
pub(crate) fn replace(
    pattern: &str,
    value: &str,
    replacement: &str,
    all: bool,
) -> Result<String, String> {
    let compiled = Pattern::compile(pattern, true).map_err(|e| invalid(pattern, &e))?;
    let text: Vec<char> = value.chars().collect();
    let mut vm = Vm::default();
    if !all {
        return Ok(match compiled.find(&text, 0, false, &mut vm) {
            Some((start, end)) => {
                let mut out: String = text[..start].iter().collect();
                out.push_str(replacement);
                out.extend(&text[end..]);
                out
            }
            None => value.to_owned(),
        });
    }
    // Go's `replaceAll` loop: an empty match right after a previous match
    // is not replaced, and the search always moves on by one character.
    let mut out = String::with_capacity(value.len());
    let mut last_end = 0;
    let mut search = 0;
    while search <= text.len() {
        let Some((start, end)) = compiled.find(&text, search, false, &mut vm) else {
            break;
        };
        out.extend(&text[last_end..start]);
        if end > last_end || start == 0 {
            expand_template(&mut out, replacement, &text[start..end]);
        }
        last_end = end;
        let width = usize::from(search < text.len());
        if search + width > end {
            search += width;
        } else if search + 1 > end {
            search += 1;
        } else {
            search = end;
        }
    }
    out.extend(&text[last_end..]);
    Ok(out)
}

/// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0` and
/// `${0}` are the whole match, any other `$name`/`${name}` (letters, digits,
/// `_`) is empty, and a `$` not followed by a valid name stays as it is.
fn expand_template(out: &mut String, template: &str, matched: &[char]) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.extend(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// Go's `extract`: a leading `name` or `{name}` of `s`, and what follows.
fn template_name(s: &str) -> Option<(&str, &str)> {
    let (body, braced) = match s.strip_prefix('{') {
        Some(body) => (body, true),
        None => (s, false),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(is_letter(c) || is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    if braced {
        return after.strip_prefix('}').map(|after| (name, after));
    }
    Some((name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(p: &str, v: &str, greedy: bool) -> String {
        trim_prefix(p, v, greedy).unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn suffix(p: &str, v: &str, greedy: bool) -> String {
        trim_suffix(p, v, greedy).unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn repl(p: &str, v: &str, r: &str, all: bool) -> String {
        replace(p, v, r, all).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn reverse_pattern_like_buildkit() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("\\\\\\ab"), "b\\a\\\\");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
        assert_eq!(reverse_pattern("\\\\b"), "b\\\\");
        assert_eq!(reverse_pattern(""), "");
        assert_eq!(reverse_pattern("\\"), "\\");
    }

    #[test]
    fn translation_errors() {
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(Pattern::compile(bad, true).is_err(), "{bad}");
        }
        assert_eq!(
            prefix("a\\x", "ax", false),
            "ERR invalid pattern (a\\x) in substitution: invalid escape '\\x'"
        );
        assert_eq!(
            prefix("a\\", "a", false),
            "ERR invalid pattern (a\\) in substitution: invalid escape '\\\u{FFFD}'"
        );
        // The suffix forms report the reversed pattern, as BuildKit does.
        assert_eq!(
            suffix("ab\\", "ab", false),
            "ERR invalid pattern (\\ba) in substitution: invalid escape '\\b'"
        );
        assert!(Pattern::compile("()[]{\\}^$.\\*\\?|\\\\", true).is_ok());
    }

    #[test]
    fn prefix_and_suffix() {
        assert_eq!(
            prefix("()[]{\\}^$.\\*\\?|\\\\", "()[]{}^$.*?|\\x", true),
            "x"
        );
        assert_eq!(prefix("*x*y", "xxyy", false), "y");
        assert_eq!(prefix("*", "xxyy", false), "xxyy");
        assert_eq!(prefix("*", "xxyy", true), "");
        assert_eq!(prefix("*x", "xxyy", true), "yy");
        assert_eq!(prefix("*x", "xxyy", false), "xyy");
        assert_eq!(prefix("?\\?", "???y", false), "?y");
        assert_eq!(prefix("", "abc", false), "abc");
        assert_eq!(prefix("b", "abc", false), "abc");
        assert_eq!(suffix("\\**", "xx**", true), "xx");
        assert_eq!(suffix("\\**\\*", "a***yy*", true), "a");
        assert_eq!(suffix("x", "xxyy", false), "xxyy");
        assert_eq!(suffix("y*", "xxyy", false), "xxy");
        assert_eq!(suffix("y*", "xxyy", true), "xx");
        assert_eq!(suffix(".*", "file.tar.gz", false), "file.tar");
        assert_eq!(suffix(".*", "file.tar.gz", true), "file");
        // No bracket expressions: `[` and `]` are literal characters.
        assert_eq!(prefix("[ab]", "abc", false), "abc");
        assert_eq!(prefix("[ab]", "[ab]c", false), "c");
        assert_eq!(prefix("[!a]*", "[!a]bc", true), "");
        // `*` and `?` never match a newline.
        assert_eq!(prefix("*", "ab\ncd", true), "\ncd");
        assert_eq!(prefix("a?c", "a\nc", true), "a\nc");
        assert_eq!(prefix("*\n", "ab\ncd\n", true), "cd\n");
        assert_eq!(suffix("\n*", "ab\ncd\nef", true), "ab\ncd");
        // Unicode, a character at a time.
        assert_eq!(prefix("?", "한국어", false), "국어");
        assert_eq!(suffix("?", "한국어", false), "한국");
        assert_eq!(prefix("*국", "한국어국", true), "");
        // A byte order mark that opens a pattern is skipped by Go's scanner.
        assert_eq!(prefix("\u{FEFF}a", "ab", false), "b");
        assert_eq!(suffix("b\u{FEFF}", "ab", false), "a");
    }

    #[test]
    fn replacements() {
        assert_eq!(repl("\\*/", "/foo*/*/*.txt", ".", false), "/foo.*/*.txt");
        assert_eq!(repl("\\*/", "/foo*/*/*.txt", ".", true), "/foo..*.txt");
        assert_eq!(repl("/?/", "/a/foo/b/c.txt", "/", false), "/foo/b/c.txt");
        assert_eq!(repl("/?/", "/a/foo/b/c.txt", "/", true), "/foo/c.txt");
        assert_eq!(repl("", "xxyy", "ww", false), "wwxxyy");
        assert_eq!(repl("", "xxyy", "", true), "xxyy");
        assert_eq!(repl("", "ab", "-", true), "-a-b-");
        assert_eq!(repl("x*", "axxb", "-", true), "a-");
        assert_eq!(repl("b*", "abc\nbd", "-", true), "a-\n-");
        // Go's templates in the replace-all form only.
        assert_eq!(repl("b", "abc", "[$0]", true), "a[b]c");
        assert_eq!(
            repl("b", "abc", "[${0}|$1|$x|$$|$|${0]", true),
            "a[b|||$|$|${0]c"
        );
        assert_eq!(repl("b", "abc", "[$0]", false), "a[$0]c");
        assert_eq!(repl("b", "abc", "$00${00}$0x$9", true), "ac");
        assert_eq!(repl("?", "한국", "<$0>", true), "<한><국>");
    }

    #[test]
    fn adversarial_patterns_are_fast() {
        // Exponential backtracking would never finish these.
        let stars = "*a".repeat(300);
        let text = "a".repeat(1000);
        assert_eq!(prefix(&stars, &text, true), "");
        assert_eq!(prefix(&format!("{stars}b"), &text, false), text);
        assert_eq!(suffix(&format!("b{stars}"), &text, true), text);
        let long = "*".repeat(2000);
        assert_eq!(repl(&long, &text, "x", true), "x");
        assert_eq!(repl(&format!("{stars}b"), &text, "x", true), text);
    }
}
