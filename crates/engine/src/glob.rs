//! Go's `path/filepath.Match` (the wildcard language of COPY and ADD
//! sources and of `.dockerignore` lines): `*` matches any run of characters
//! but `/`, `?` one character but `/`, `[a-z]` / `[^a-z]` a character
//! class, and `\` escapes the next character.
//!
//! The matcher works on a small token list with a dynamic-programming
//! table, so no pattern can make it take exponential time.

use std::fmt;

/// A malformed pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The pattern as written.
    pub pattern: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "syntax error in pattern {:?}", self.pattern)
    }
}

impl std::error::Error for PatternError {}

/// One matching step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// This character.
    Lit(char),
    /// Any run of characters except `/` (`*`).
    Star,
    /// One character except `/` (`?`).
    Quest,
    /// One character in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// Any run of characters except a newline (regexp `.*`).
    AnyTail,
    /// Nothing, or any run of characters ending with `/` (regexp `(.*/)?`,
    /// what `**/` means in `.dockerignore`).
    DirsPrefix,
}

impl Tok {
    fn class_matches(negated: bool, ranges: &[(char, char)], c: char) -> bool {
        let inside = ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
        inside != negated
    }
}

/// Full-match of `toks` against `s`.
pub(crate) fn run(toks: &[Tok], s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let width = n + 1;
    // dp[t * width + i]: toks[t..] matches chars[i..].
    let mut dp = vec![false; (toks.len() + 1) * width];
    dp[toks.len() * width + n] = true;
    for t in (0..toks.len()).rev() {
        for i in (0..=n).rev() {
            let next = |j: usize| dp[(t + 1) * width + j];
            let here = |j: usize| dp[t * width + j];
            let c = chars.get(i).copied();
            let v = match &toks[t] {
                Tok::Lit(l) => c == Some(*l) && next(i + 1),
                Tok::Quest => c.is_some_and(|c| c != '/') && next(i + 1),
                Tok::Class { negated, ranges } => {
                    c.is_some_and(|c| Tok::class_matches(*negated, ranges, c)) && next(i + 1)
                }
                Tok::Star => next(i) || (c.is_some_and(|c| c != '/') && here(i + 1)),
                Tok::AnyTail => next(i) || (c.is_some_and(|c| c != '\n') && here(i + 1)),
                Tok::DirsPrefix => {
                    next(i)
                        || (i..n)
                            .take_while(|&k| chars[k] != '\n')
                            .any(|k| chars[k] == '/' && next(k + 1))
                }
            };
            dp[t * width + i] = v;
        }
    }
    dp[0]
}

/// A compiled `filepath.Match` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoPattern {
    toks: Vec<Tok>,
}

impl GoPattern {
    /// Compiles `pattern`, rejecting malformed ones as Go does (an
    /// unclosed or empty `[...]`, a bad range, a trailing `\`).
    pub fn new(pattern: &str) -> Result<Self, PatternError> {
        let err = || PatternError {
            pattern: pattern.to_string(),
        };
        let chars: Vec<char> = pattern.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' => {
                    if toks.last() != Some(&Tok::Star) {
                        toks.push(Tok::Star);
                    }
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::Quest);
                    i += 1;
                }
                '\\' => {
                    let c = *chars.get(i + 1).ok_or_else(err)?;
                    toks.push(Tok::Lit(c));
                    i += 2;
                }
                '[' => {
                    i += 1;
                    let mut negated = false;
                    if chars.get(i) == Some(&'^') {
                        negated = true;
                        i += 1;
                    }
                    let mut ranges = Vec::new();
                    loop {
                        if chars.get(i) == Some(&']') && !ranges.is_empty() {
                            i += 1;
                            break;
                        }
                        let (lo, ni) = class_char(&chars, i).ok_or_else(err)?;
                        i = ni;
                        let mut hi = lo;
                        if chars.get(i) == Some(&'-') {
                            let (h, ni) = class_char(&chars, i + 1).ok_or_else(err)?;
                            hi = h;
                            i = ni;
                        }
                        ranges.push((lo, hi));
                    }
                    toks.push(Tok::Class { negated, ranges });
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Ok(GoPattern { toks })
    }

    /// True when `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        run(&self.toks, name)
    }
}

/// Go's `getEsc`: one class character (escapes resolved), or `None` when
/// the class is malformed there.
fn class_char(chars: &[char], i: usize) -> Option<(char, usize)> {
    match chars.get(i)? {
        '-' | ']' => None,
        '\\' => {
            let c = *chars.get(i + 1)?;
            // The class must go on after the character.
            chars.get(i + 2)?;
            Some((c, i + 2))
        }
        c => {
            chars.get(i + 1)?;
            Some((*c, i + 1))
        }
    }
}

/// `filepath.Match(pattern, name)`.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, PatternError> {
    Ok(GoPattern::new(pattern)?.matches(name))
}

/// BuildKit's `containsWildcards`: an unescaped `*`, `?` or `[`.
pub fn has_wildcards(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'*' | b'?' | b'[' => return true,
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        go_match(p, s).unwrap_or(false)
    }

    #[test]
    fn go_match_cases() {
        assert!(m("*.txt", "a.txt"));
        assert!(!m("*.txt", "sub/a.txt"));
        assert!(m("?.txt", "a.txt"));
        assert!(!m("?.txt", "ab.txt"));
        assert!(m("[ab].txt", "b.txt"));
        assert!(!m("[ab].txt", "c.txt"));
        assert!(m("[^ab].txt", "c.txt"));
        assert!(m("[a-c]*", "bcd"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("*", ""));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*", "a/b"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        for p in ["[", "[]", "[a", "a\\", "[a-]", "[]a]"] {
            assert!(GoPattern::new(p).is_err(), "{p}");
        }
        assert!(has_wildcards("src/*.txt"));
        assert!(!has_wildcards("src/a\\*.txt"));
    }
}
