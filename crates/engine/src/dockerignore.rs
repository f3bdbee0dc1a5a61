//! `.dockerignore`: which context files BuildKit leaves out of the build
//! context, exactly as `moby/patternmatcher` decides it.
//!
//! Reading the file (`ignorefile.ReadAll`): a line starting with `#` is a
//! comment, blank lines are skipped, each pattern is trimmed, cleaned like a
//! Go path, and a leading `/` is dropped; `!` marks an exception.
//!
//! Matching (`MatchesOrParentMatches`): patterns are tried in order and the
//! last one that matches wins, so `*.md` then `!README.md` keeps the README.
//! A pattern also matches a path when it matches one of the path's parent
//! directories (`logs` ignores `logs/x.log`). `*` and `?` never cross a
//! `/`; `**` matches any number of directories.

use std::fmt;

use crate::glob::{self, GoPattern, Tok};
use crate::paths;

/// A `.dockerignore` that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreError {
    /// What is wrong, as BuildKit words it.
    pub message: String,
    /// 1-based line of the `.dockerignore` (0 when not known).
    pub line: usize,
}

impl fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, ".dockerignore line {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for IgnoreError {}

/// How a pattern is matched (patternmatcher's `matchType`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum MatchType {
    /// The whole path equals the pattern.
    Exact,
    /// `abc**`: the path starts with `abc`.
    Prefix,
    /// `**abc` (nothing special after): the path ends with `abc`, or,
    /// for `**/abc`, is `abc`.
    Suffix,
    /// Anything else: the compiled tokens.
    Tokens(Vec<Tok>),
}

/// One pattern line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnorePattern {
    /// The cleaned pattern, without the `!`.
    pub pattern: String,
    /// True for an exception (`!pattern`): matching files are kept.
    pub exclusion: bool,
    /// 1-based line in the file (0 for patterns not read from a file).
    pub line: usize,
    match_type: MatchType,
}

impl IgnorePattern {
    fn new(raw: &str, line: usize) -> Result<Option<Self>, IgnoreError> {
        let p = raw.trim();
        if p.is_empty() {
            return Ok(None);
        }
        let p = paths::clean(p);
        let (exclusion, p) = match p.strip_prefix('!') {
            Some("") => {
                return Err(IgnoreError {
                    message: "illegal exclusion pattern: \"!\"".to_string(),
                    line,
                })
            }
            Some(rest) => (true, rest.to_string()),
            None => (false, p),
        };
        // patternmatcher checks the syntax with filepath.Match(p, ".").
        GoPattern::new(&p).map_err(|_| IgnoreError {
            message: format!("syntax error in pattern: {p}"),
            line,
        })?;
        let match_type = compile(&p).map_err(|_| IgnoreError {
            message: format!("syntax error in pattern: {p}"),
            line,
        })?;
        Ok(Some(IgnorePattern {
            pattern: p,
            exclusion,
            line,
            match_type,
        }))
    }

    /// True when the pattern matches `path` itself (slash-separated,
    /// relative to the context root).
    pub fn matches(&self, path: &str) -> bool {
        match &self.match_type {
            MatchType::Exact => path == self.pattern,
            MatchType::Prefix => path.starts_with(&self.pattern[..self.pattern.len() - 2]),
            MatchType::Suffix => {
                let suffix = &self.pattern[2..];
                path.ends_with(suffix)
                    || suffix
                        .strip_prefix('/')
                        .is_some_and(|s| !s.is_empty() && path == s)
            }
            MatchType::Tokens(toks) => glob::run(toks, path),
        }
    }

    /// True when the pattern matches `path` or one of its parent
    /// directories.
    fn matches_or_parent(&self, path: &str) -> bool {
        if self.matches(path) {
            return true;
        }
        let parent = paths::dir(path);
        if parent == "." {
            return false;
        }
        let parts: Vec<&str> = parent.split('/').collect();
        (1..=parts.len()).any(|i| self.matches(&parts[..i].join("/")))
    }
}

/// patternmatcher's `compile`: the match type and, for regexp patterns, the
/// tokens of the regular expression it builds.
fn compile(p: &str) -> Result<MatchType, ()> {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = p.chars().collect();
    let mut kind = Kind::Exact;
    let mut toks = Vec::new();
    let mut i = 0;
    let mut step = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        toks.push(Tok::AnyTail);
                        kind = Kind::Regexp;
                    }
                } else {
                    toks.push(Tok::DirsPrefix);
                    kind = Kind::Regexp;
                }
                if step == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                kind = Kind::Regexp;
            }
            '?' => {
                toks.push(Tok::Quest);
                kind = Kind::Regexp;
            }
            '\\' => {
                if let Some(&c) = chars.get(i) {
                    i += 1;
                    toks.push(Tok::Lit(c));
                    kind = Kind::Regexp;
                } else {
                    toks.push(Tok::Lit('\\'));
                }
            }
            '[' => {
                // A regular-expression character class.
                let mut negated = false;
                if chars.get(i) == Some(&'^') {
                    negated = true;
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let c = *chars.get(i).ok_or(())?;
                    if c == ']' && !first {
                        i += 1;
                        break;
                    }
                    first = false;
                    let (lo, ni) = if c == '\\' {
                        (*chars.get(i + 1).ok_or(())?, i + 2)
                    } else {
                        (c, i + 1)
                    };
                    i = ni;
                    let mut hi = lo;
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
                        hi = chars[i + 1];
                        i += 2;
                    }
                    ranges.push((lo, hi));
                }
                toks.push(Tok::Class { negated, ranges });
                kind = Kind::Regexp;
            }
            c => toks.push(Tok::Lit(c)),
        }
        step += 1;
    }
    Ok(match kind {
        Kind::Exact => MatchType::Exact,
        Kind::Prefix => MatchType::Prefix,
        Kind::Suffix => MatchType::Suffix,
        Kind::Regexp => MatchType::Tokens(toks),
    })
}

/// `ignorefile.ReadAll`: the patterns of a `.dockerignore` file with their
/// 1-based lines. Comment lines (`#` first) and blank lines are dropped,
/// each pattern is trimmed and cleaned, a leading `/` removed, and `!` kept
/// in front of exceptions.
pub fn read_patterns(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with('#') {
            continue;
        }
        let mut p = line.trim().to_string();
        if p.is_empty() {
            continue;
        }
        let invert = p.starts_with('!');
        if invert {
            p = p[1..].trim().to_string();
        }
        if !p.is_empty() {
            p = paths::clean(&p);
            if p.len() > 1 && p.starts_with('/') {
                p = p[1..].to_string();
            }
        }
        if invert {
            p = format!("!{p}");
        }
        out.push((n + 1, p));
    }
    out
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    /// The patterns, in file order.
    pub patterns: Vec<IgnorePattern>,
}

impl DockerIgnore {
    /// Reads a `.dockerignore` file the way `ignorefile.ReadAll` does.
    pub fn parse(text: &str) -> Result<Self, IgnoreError> {
        let mut patterns = Vec::new();
        for (line, p) in read_patterns(text) {
            if let Some(pat) = IgnorePattern::new(&p, line)? {
                patterns.push(pat);
            }
        }
        Ok(DockerIgnore { patterns })
    }

    /// Patterns given as strings (the form `--exclude` flags use).
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> Result<Self, IgnoreError> {
        let mut out = Vec::new();
        for p in patterns {
            if let Some(pat) = IgnorePattern::new(p.as_ref(), 0)? {
                out.push(pat);
            }
        }
        Ok(DockerIgnore { patterns: out })
    }

    /// True when there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when `path` (relative to the context root, `/`-separated) is
    /// left out of the context.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.deciding_pattern(path).is_some_and(|p| !p.exclusion)
    }

    /// The last pattern that decided `path`'s fate (an ignore pattern or
    /// an exception), for explanations; `None` when no pattern matched.
    pub fn deciding_pattern(&self, path: &str) -> Option<&IgnorePattern> {
        let path = paths::relative(path);
        if path.is_empty() {
            return None;
        }
        let mut matched = false;
        let mut decided = None;
        for pat in &self.patterns {
            // An ignore pattern matters only while the path is kept, an
            // exception only once it is ignored.
            if pat.exclusion != matched {
                continue;
            }
            if pat.matches_or_parent(&path) {
                matched = !pat.exclusion;
                decided = Some(pat);
            }
        }
        decided
    }

    /// True when some exception could bring back files under the ignored
    /// directory `dir` (so the directory must still be walked).
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap_or_default()
    }

    #[test]
    fn star_is_one_level_doublestar_any() {
        let d = ig("*.log\n");
        assert!(d.is_excluded("debug.log"));
        assert!(!d.is_excluded("sub/deep.log"));
        let d = ig("**/*.log\n");
        assert!(d.is_excluded("debug.log"));
        assert!(d.is_excluded("sub/deep.log"));
        assert!(d.is_excluded("a/b/c.log"));
        assert!(!d.is_excluded("a/b/c.txt"));
    }

    #[test]
    fn directories_and_parents() {
        let d = ig("logs\n");
        assert!(d.is_excluded("logs"));
        assert!(d.is_excluded("logs/x.log"));
        assert!(!d.is_excluded("logsx"));
        let d = ig("src/tmp\n");
        assert!(d.is_excluded("src/tmp/t.txt"));
        assert!(!d.is_excluded("src/a.txt"));
        let d = ig("**/bin/\n**/obj\n");
        assert!(d.is_excluded("aspnetapp/obj/project.assets.json"));
        assert!(d.is_excluded("bin/x.dll"));
    }

    #[test]
    fn exceptions_last_match_wins() {
        let d = ig("*.md\n!README.md\n");
        assert!(d.is_excluded("NOTES.md"));
        assert!(!d.is_excluded("README.md"));
        let d = ig("!README.md\n*.md\n");
        assert!(d.is_excluded("README.md"));
        let d = ig("**/*.log\n!sub/deep.log\n");
        assert!(!d.is_excluded("sub/deep.log"));
        assert!(d.is_excluded("logs/x.log"));
        assert_eq!(d.deciding_pattern("sub/deep.log").map(|p| p.line), Some(2));
    }

    #[test]
    fn cleaning_comments_and_slashes() {
        let d = ig("# debug.log\n\n  /debug.log  \n./x/../y\n");
        assert_eq!(d.patterns.len(), 2);
        assert_eq!(d.patterns[0].pattern, "debug.log");
        assert_eq!(d.patterns[1].pattern, "y");
        assert!(d.is_excluded("debug.log"));
        assert!(d.is_excluded("y"));
        // A comment only counts at the very start of the line.
        let d = ig(" # not a comment\n");
        assert_eq!(d.patterns.len(), 1);
    }

    #[test]
    fn special_forms() {
        assert!(ig("**\n").is_excluded("anything/at/all"));
        assert!(ig("abc**\n").is_excluded("abcdef/g"));
        assert!(ig("**/foo\n").is_excluded("foo"));
        assert!(ig("**/foo\n").is_excluded("a/b/foo"));
        assert!(ig("[ab].txt\n").is_excluded("a.txt"));
        assert!(!ig("[ab].txt\n").is_excluded("c.txt"));
        assert!(ig("a?c\n").is_excluded("abc"));
        assert!(ig("Dockerfile*\n").is_excluded("Dockerfile.dev"));
        assert!(DockerIgnore::parse("[\n").is_err());
        assert!(DockerIgnore::parse("!\n").is_err());
    }
}
