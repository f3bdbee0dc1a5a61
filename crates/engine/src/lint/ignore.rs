//! `.dockerignore` patterns as `github.com/moby/patternmatcher` matches
//! them, as far as the `CopyIgnoredFile` check needs: reading the file
//! (`ignorefile.ReadAll`), `MatchesOrParentMatches`, and whether any
//! pattern is an exception.
//!
//! The matcher is kept apart from [`crate::dockerignore::DockerIgnore`]:
//! the build rejects a malformed pattern, while the lint keeps going with
//! a pattern that never matches (merging needs a lenient mode there).

use crate::paths::clean;

/// Reads a `.dockerignore` file (see [`crate::dockerignore::read_patterns`]):
/// the patterns, `!` kept in front of exceptions.
pub fn read_dockerignore(content: &str) -> Vec<String> {
    crate::dockerignore::read_patterns(content)
        .into_iter()
        .map(|(_, p)| p)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A literal character.
    Lit(char),
    /// `*`: any run of characters but `/`.
    Star,
    /// `?`: one character but `/`.
    Any,
    /// `**/` in the middle: `(.*/)?`.
    DirStar,
    /// `**` at the end after other characters: `.*`.
    AnyRun,
    /// A bracket expression: negated?, items (ranges).
    Class(bool, Vec<(char, char)>),
}

#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex(Vec<Tok>),
    Bad,
}

/// One compiled pattern.
#[derive(Debug, Clone)]
struct Pattern {
    cleaned: String,
    exclusion: bool,
    kind: Kind,
}

/// A set of `.dockerignore` patterns.
#[derive(Debug, Clone)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Compiles the patterns (as [`read_dockerignore`] returns them).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Matcher {
        let mut out = Vec::new();
        for p in patterns {
            let p = p.as_ref().trim();
            if p.is_empty() {
                continue;
            }
            let mut p = clean(p);
            let exclusion = p.starts_with('!');
            if exclusion {
                if p.len() == 1 {
                    continue;
                }
                p.remove(0);
            }
            let kind = compile(&p);
            out.push(Pattern {
                cleaned: p,
                exclusion,
                kind,
            });
        }
        Matcher { patterns: out }
    }

    /// True when a pattern is an exception (`!pattern`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// True when a pattern that is not an exception is `*`, `**` or `**/*`
    /// (every entry at the root is ignored).
    pub fn root_ignored(&self) -> bool {
        self.patterns
            .iter()
            .any(|p| !p.exclusion && matches!(p.cleaned.as_str(), "*" | "**" | "**/*"))
    }

    /// `MatchesOrParentMatches`: whether `file` or one of its parent
    /// directories is ignored, the last matching pattern winning.
    pub fn matches_or_parent(&self, file: &str) -> bool {
        let parent = match file.rfind('/') {
            Some(0) => "/".to_string(),
            Some(i) => clean(&file[..i]),
            None => ".".to_string(),
        };
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for p in &self.patterns {
            if p.exclusion != matched {
                continue;
            }
            let mut m = p.matches(file);
            if !m && parent != "." {
                for i in 0..parent_dirs.len() {
                    if p.matches(&parent_dirs[..=i].join("/")) {
                        m = true;
                        break;
                    }
                }
            }
            if m {
                matched = !p.exclusion;
            }
        }
        matched
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix => path.starts_with(&self.cleaned[..self.cleaned.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.cleaned[2..];
                path.ends_with(suffix) || (suffix.starts_with('/') && path == &suffix[1..])
            }
            Kind::Regex(toks) => {
                let chars: Vec<char> = path.chars().collect();
                match_toks(toks, &chars)
            }
            Kind::Bad => false,
        }
    }
}

/// patternmatcher's `compile`, producing tokens instead of a regexp.
fn compile(p: &str) -> Kind {
    let chars: Vec<char> = p.chars().collect();
    let mut toks = Vec::new();
    let mut kind: Option<&str> = None; // "prefix" | "suffix" | "regex"
    let mut i = 0;
    let mut n = 0; // the scanner's iteration count
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if ch == '*' {
            if chars.get(i) == Some(&'*') {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if kind.is_none() {
                        kind = Some("prefix");
                    } else {
                        toks.push(Tok::AnyRun);
                        kind = Some("regex");
                    }
                } else {
                    toks.push(Tok::DirStar);
                    kind = Some("regex");
                }
                if n == 0 {
                    kind = Some("suffix");
                }
            } else {
                toks.push(Tok::Star);
                kind = Some("regex");
            }
        } else if ch == '?' {
            toks.push(Tok::Any);
            kind = Some("regex");
        } else if ch == '\\' {
            match chars.get(i) {
                Some(&c) => {
                    i += 1;
                    toks.push(Tok::Lit(c));
                    kind = Some("regex");
                }
                None => toks.push(Tok::Lit('\\')),
            }
        } else if ch == '[' {
            // A bracket expression, passed through to Go's regexp.
            let mut j = i;
            let negated = chars.get(j) == Some(&'^');
            if negated {
                j += 1;
            }
            let mut items = Vec::new();
            let mut first = true;
            let mut closed = false;
            while j < chars.len() {
                let c = chars[j];
                if c == ']' && !first {
                    closed = true;
                    j += 1;
                    break;
                }
                first = false;
                let (lo, next) = if c == '\\' && j + 1 < chars.len() {
                    (chars[j + 1], j + 2)
                } else {
                    (c, j + 1)
                };
                if chars.get(next) == Some(&'-') && next + 1 < chars.len() && chars[next + 1] != ']'
                {
                    let hi = chars[next + 1];
                    items.push((lo, hi));
                    j = next + 2;
                } else {
                    items.push((lo, lo));
                    j = next;
                }
            }
            if !closed {
                return Kind::Bad;
            }
            toks.push(Tok::Class(negated, items));
            i = j;
            kind = Some("regex");
        } else if ch == ']' {
            return Kind::Bad;
        } else {
            toks.push(Tok::Lit(ch));
        }
        n += 1;
    }
    match kind {
        None => Kind::Exact,
        Some("prefix") => Kind::Prefix,
        Some("suffix") => Kind::Suffix,
        _ => Kind::Regex(toks),
    }
}

fn match_toks(toks: &[Tok], s: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..]),
        Tok::Any => s.first().is_some_and(|&c| c != '/') && match_toks(rest, &s[1..]),
        Tok::Class(neg, items) => {
            s.first().is_some_and(|&c| {
                let inside = items.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                inside != *neg
            }) && match_toks(rest, &s[1..])
        }
        Tok::Star => {
            let mut k = 0;
            loop {
                if match_toks(rest, &s[k..]) {
                    return true;
                }
                if k >= s.len() || s[k] == '/' {
                    return false;
                }
                k += 1;
            }
        }
        Tok::AnyRun => {
            let mut k = 0;
            loop {
                if match_toks(rest, &s[k..]) {
                    return true;
                }
                if k >= s.len() || s[k] == '\n' {
                    return false;
                }
                k += 1;
            }
        }
        Tok::DirStar => {
            // (.*/)? : nothing, or any text ending with '/'.
            if match_toks(rest, s) {
                return true;
            }
            (0..s.len())
                .any(|k| s[k] == '/' && !s[..k].contains(&'\n') && match_toks(rest, &s[k + 1..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_matches() {
        let pats = read_dockerignore("# c\n/tmp\n*.md\n!keep.md\n\n**/node_modules\ndocs/**\n");
        assert_eq!(
            pats,
            ["tmp", "*.md", "!keep.md", "**/node_modules", "docs/**"]
        );
        let m = Matcher::new(&pats);
        assert!(m.has_exclusions());
        let m = Matcher::new(&["tmp", "*.md", "**/node_modules", "docs/**", "a?c", "[xy]z"]);
        assert!(m.matches_or_parent("tmp/a/b"));
        assert!(m.matches_or_parent("README.md"));
        assert!(!m.matches_or_parent("sub/README.md"));
        assert!(m.matches_or_parent("x/y/node_modules/z"));
        assert!(m.matches_or_parent("docs/a"));
        assert!(m.matches_or_parent("abc"));
        assert!(m.matches_or_parent("yz"));
        assert!(!m.matches_or_parent("src/main.rs"));
        assert!(Matcher::new(&["*"]).root_ignored());
    }
}
