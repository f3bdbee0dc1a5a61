//! The small languages checks are written in: sizes with units
//! (`250MB`), build-step matchers (`RUN dotnet restore*`), path globs
//! (`/usr/share/dotnet/sdk/**`) and image references (`mcr.microsoft.com/dotnet/sdk:8.0`).

use crate::catalog::Reference;

/// Parses a size: a number of bytes, or a number with a unit. Units are
/// those `docker images` prints, decimal (`kB`/`KB` = 1000, `MB` = 10^6,
/// `GB` = 10^9, `TB`), and binary ones (`KiB` = 1024, `MiB`, `GiB`,
/// `TiB`); case does not matter, `B` may be left out (`250M`), a space may
/// separate the number and the unit, and the number may have a fraction
/// (`1.5GB`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number = number.replace('_', "");
    let unit = unit.trim().to_ascii_lowercase();
    let bad = || {
        format!(
            "invalid size {text:?}: expected a number of bytes or a number with a unit \
             (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. \"250MB\""
        )
    };
    if number.is_empty() || number.matches('.').count() > 1 || number == "." {
        return Err(bad());
    }
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "t" | "tb" => 1_000_000_000_000,
        "ki" | "kib" => 1 << 10,
        "mi" | "mib" => 1 << 20,
        "gi" | "gib" => 1 << 30,
        "ti" | "tib" => 1 << 40,
        _ => return Err(bad()),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((&number, ""));
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let mut bytes = whole.checked_mul(factor).ok_or_else(bad)?;
    if !frac.is_empty() {
        // Exact decimal arithmetic: frac digits times factor, divided by
        // 10^digits, rounded down.
        let digits = frac.len().min(18);
        let frac_value: u128 = frac[..digits].parse().map_err(|_| bad())?;
        let scaled = frac_value * u128::from(factor) / 10u128.pow(digits as u32);
        let scaled = u64::try_from(scaled).map_err(|_| bad())?;
        bytes = bytes.checked_add(scaled).ok_or_else(bad)?;
    }
    Ok(bytes)
}

/// Collapses runs of white space to one space and trims.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Matches `text` against `pattern` where `*` stands for any run of
/// characters (including none) and every other character for itself.
pub(crate) fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic greedy matching with one backtrack point (linear-ish).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A matcher for build steps, written as the step's instruction
/// (`RUN dotnet restore`), compared with white space collapsed and the
/// keyword in any case; `*` matches any run of characters. A FROM step
/// also matches without its `@sha256:...` digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepMatcher {
    pattern: String,
}

impl StepMatcher {
    /// A matcher for `text`.
    pub(crate) fn new(text: &str) -> StepMatcher {
        let s = squash(text);
        let (kw, rest) = s.split_once(' ').unwrap_or((&s, ""));
        let pattern = if kw.contains('*') {
            s.clone()
        } else if rest.is_empty() {
            kw.to_ascii_uppercase()
        } else {
            format!("{} {rest}", kw.to_ascii_uppercase())
        };
        StepMatcher { pattern }
    }

    /// True when the step instruction `instruction` matches.
    pub(crate) fn matches(&self, instruction: &str) -> bool {
        let i = squash(instruction);
        if wildcard(&self.pattern, &i) {
            return true;
        }
        if i.starts_with("FROM ") {
            if let Some(at) = i.find("@sha256:") {
                let end = i[at..].find(' ').map_or(i.len(), |e| at + e);
                let without = format!("{}{}", &i[..at], &i[end..]);
                return wildcard(&self.pattern, &without);
            }
        }
        false
    }
}

/// A glob over absolute paths of the image's file system: `*` matches
/// within one path component, `**` across components, `?` one character
/// (not `/`), `[abc]`/`[a-z]`/`[!a]` a character class. A pattern that
/// matches a directory also matches everything under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathGlob {
    pattern: Vec<char>,
}

impl PathGlob {
    /// A glob; relative patterns are taken from `/`; an error for an
    /// unterminated character class.
    pub(crate) fn new(text: &str) -> Result<PathGlob, String> {
        let mut t = text.trim().to_string();
        if !t.starts_with('/') {
            t.insert(0, '/');
        }
        while t.len() > 1 && t.ends_with('/') {
            t.pop();
        }
        let pattern: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < pattern.len() {
            if pattern[i] == '[' {
                match class_end(&pattern, i) {
                    Some(end) => i = end,
                    None => return Err(format!("invalid path pattern {text:?}: unterminated [")),
                }
            }
            i += 1;
        }
        Ok(PathGlob { pattern })
    }

    /// True when `path` or one of its parent directories matches.
    pub(crate) fn matches(&self, path: &str) -> bool {
        let chars: Vec<char> = path.chars().collect();
        if glob_match(&self.pattern, &chars) {
            return true;
        }
        chars
            .iter()
            .enumerate()
            .filter(|(i, c)| **c == '/' && *i > 0)
            .any(|(i, _)| glob_match(&self.pattern, &chars[..i]))
    }
}

/// The index of the `]` closing the class opened at `start`.
fn class_end(p: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if i < p.len() && (p[i] == '!' || p[i] == '^') {
        i += 1;
    }
    if i < p.len() && p[i] == ']' {
        i += 1;
    }
    while i < p.len() {
        if p[i] == ']' {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn class_matches(class: &[char], c: char) -> bool {
    let (negate, body) = match class.first() {
        Some('!') | Some('^') => (true, &class[1..]),
        _ => (false, class),
    };
    let mut found = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == '-' {
            if body[i] <= c && c <= body[i + 2] {
                found = true;
            }
            i += 3;
        } else {
            if body[i] == c {
                found = true;
            }
            i += 1;
        }
    }
    found != negate
}

/// Glob matching with memoization (no exponential blow-up on `**`).
fn glob_match(p: &[char], t: &[char]) -> bool {
    let mut memo = vec![None; (p.len() + 1) * (t.len() + 1)];
    glob_at(p, t, 0, 0, &mut memo)
}

fn glob_at(p: &[char], t: &[char], pi: usize, ti: usize, memo: &mut [Option<bool>]) -> bool {
    let idx = pi * (t.len() + 1) + ti;
    if let Some(r) = memo[idx] {
        return r;
    }
    let r = if pi == p.len() {
        ti == t.len()
    } else if p[pi] == '*' {
        if pi + 1 < p.len() && p[pi + 1] == '*' {
            // `**`: any run, slashes included; `/**/` may also match `/`.
            let next = pi + 2;
            let skip_slash = next < p.len() && p[next] == '/';
            (ti..=t.len()).any(|k| glob_at(p, t, next, k, memo))
                || (skip_slash && (ti..=t.len()).any(|k| glob_at(p, t, next + 1, k, memo)))
        } else {
            let mut k = ti;
            loop {
                if glob_at(p, t, pi + 1, k, memo) {
                    break true;
                }
                if k == t.len() || t[k] == '/' {
                    break false;
                }
                k += 1;
            }
        }
    } else if ti == t.len() {
        false
    } else if p[pi] == '?' {
        t[ti] != '/' && glob_at(p, t, pi + 1, ti + 1, memo)
    } else if p[pi] == '[' {
        match class_end(p, pi) {
            Some(end) => {
                t[ti] != '/'
                    && class_matches(&p[pi + 1..end], t[ti])
                    && glob_at(p, t, end + 1, ti + 1, memo)
            }
            None => false,
        }
    } else {
        p[pi] == t[ti] && glob_at(p, t, pi + 1, ti + 1, memo)
    };
    memo[idx] = Some(r);
    r
}

/// An image reference normalized as Docker does (`alpine` ->
/// `docker.io/library/alpine:latest`); text that is not a reference (a
/// pattern with `*`) is kept as written.
pub(crate) fn normalize_image(name: &str) -> String {
    match Reference::parse(name.trim()) {
        Ok(r) => r.with_default_tag().to_string(),
        Err(_) => name.trim().to_string(),
    }
}

/// True when image `name` (as a layer records it) is the one `pattern`
/// names; `*` in the pattern matches any run of characters.
pub(crate) fn image_matches(pattern: &str, name: &str) -> bool {
    let n = normalize_image(name);
    if pattern.contains('*') {
        let familiar = Reference::parse(name.trim())
            .map(|r| r.familiar())
            .unwrap_or_else(|_| name.to_string());
        wildcard(pattern.trim(), &n) || wildcard(pattern.trim(), &familiar)
    } else {
        normalize_image(pattern) == n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("250MB"), Ok(250_000_000));
        assert_eq!(parse_size("250 mb"), Ok(250_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("512KiB"), Ok(524_288));
        assert_eq!(parse_size("10MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("100kB"), Ok(100_000));
        assert_eq!(parse_size("42"), Ok(42));
        assert_eq!(parse_size("7B"), Ok(7));
        assert_eq!(parse_size("250M"), Ok(250_000_000));
        for bad in [
            "",
            "MB",
            "12XB",
            "1.2.3MB",
            "-5MB",
            ".",
            "99999999999999999999TB",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn step_matchers() {
        let m = StepMatcher::new("run  dotnet restore");
        assert!(m.matches("RUN dotnet restore"));
        assert!(!m.matches("RUN dotnet restore -r linux-x64"));
        let m = StepMatcher::new("RUN dotnet restore*");
        assert!(m.matches("RUN dotnet restore -r linux-x64"));
        assert!(!m.matches("RUN dotnet publish"));
        let m = StepMatcher::new("FROM mcr.microsoft.com/dotnet/sdk:8.0");
        assert!(m.matches("FROM mcr.microsoft.com/dotnet/sdk:8.0@sha256:2a27"));
        assert!(StepMatcher::new("COPY . .").matches("COPY . ."));
        assert!(StepMatcher::new("*publish*").matches("RUN dotnet publish -c release"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("a*c", "abbbc"));
        assert!(wildcard("*", ""));
        assert!(!wildcard("a*c", "abcd"));
        assert!(wildcard("a**", "a"));
    }

    #[test]
    fn path_globs() {
        let g = |p: &str| PathGlob::new(p).unwrap_or_else(|e| panic!("{e}"));
        assert!(g("/usr/share/dotnet/sdk").matches("/usr/share/dotnet/sdk/8.0.404/dotnet.dll"));
        assert!(g("/usr/share/dotnet/sdk/").matches("/usr/share/dotnet/sdk"));
        assert!(!g("/usr/share/dotnet/sdk").matches("/usr/share/dotnet/sdkx"));
        assert!(g("/app/*.dll").matches("/app/aspnetapp.dll"));
        assert!(!g("/app/*.dll").matches("/app/sub/x.dll"));
        assert!(g("/app/**/*.dll").matches("/app/sub/deep/x.dll"));
        assert!(g("/app/**/*.dll").matches("/app/x.dll"));
        assert!(g("**/obj").matches("/source/aspnetapp/obj/project.assets.json"));
        assert!(g("app/?.txt").matches("/app/a.txt"));
        assert!(g("/app/[ab].txt").matches("/app/b.txt"));
        assert!(!g("/app/[!ab].txt").matches("/app/b.txt"));
        assert!(PathGlob::new("/app/[ab").is_err());
    }

    #[test]
    fn images() {
        assert!(image_matches("alpine", "docker.io/library/alpine:latest"));
        assert!(image_matches(
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "mcr.microsoft.com/dotnet/sdk:8.0"
        ));
        assert!(!image_matches(
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "mcr.microsoft.com/dotnet/aspnet:8.0"
        ));
        assert!(image_matches(
            "mcr.microsoft.com/dotnet/sdk:*",
            "mcr.microsoft.com/dotnet/sdk:8.0"
        ));
    }
}
