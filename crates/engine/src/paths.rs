//! Slash-separated path helpers with Go's `path` package semantics
//! (`Clean`, `Join`, `Dir`, `Base`), which BuildKit uses for every path in
//! a Dockerfile, plus BuildKit's `NormalizePath` for COPY destinations and
//! WORKDIR.

/// Go's `path.Clean`: the shortest equivalent path (`.` and `..` resolved
/// lexically, repeated and trailing slashes removed); `""` becomes `"."`.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    if is_clean(p) {
        return p.to_string();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// True when `p` is already what [`clean`] would return.
pub fn is_clean(p: &str) -> bool {
    if p == "/" || p == "." {
        return true;
    }
    if p.is_empty() || p.ends_with('/') {
        return false;
    }
    let body = p.strip_prefix('/').unwrap_or(p);
    body.split('/')
        .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// Go's `path.Join`: the non-empty elements joined with `/`, then cleaned
/// (`""` when every element is empty).
pub fn join(parts: &[&str]) -> String {
    let kept: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if kept.is_empty() {
        return String::new();
    }
    clean(&kept.join("/"))
}

/// Go's `path.Dir`: everything but the last element, cleaned.
pub fn dir(p: &str) -> String {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..i])
}

/// Go's `path.Base`: the last element (trailing slashes ignored); `"."` for
/// an empty path and `"/"` for a path of slashes.
pub fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".to_string();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// True for an absolute path.
pub fn is_abs(p: &str) -> bool {
    p.starts_with('/')
}

/// BuildKit's `system.NormalizePath` on Linux: a relative `new` is joined
/// to `parent` (and cleaned); an absolute one is kept as written. With
/// `keep_slash`, a trailing `/` (or `/.`) of `new` is kept, which marks a
/// directory destination.
pub fn normalize(parent: &str, new: &str, keep_slash: bool) -> String {
    let parent = if parent.is_empty() { "/" } else { parent };
    let parent = if is_abs(parent) {
        parent.to_string()
    } else {
        join(&["/", parent])
    };
    let orig = new;
    let mut out = if new.is_empty() {
        parent.clone()
    } else {
        new.to_string()
    };
    if !is_abs(&out) {
        out = join(&[&parent, &out]);
    }
    if keep_slash {
        if orig.ends_with('/') && !out.ends_with('/') {
            out.push('/');
        } else if orig.ends_with("/.") {
            if out != "/" {
                out.push('/');
            }
            out.push('.');
        }
    }
    out
}

/// The path relative to `/` without a leading slash (`/a/b` -> `a/b`,
/// `/` -> `""`), cleaned.
pub fn relative(p: &str) -> String {
    let c = clean(&format!("/{p}"));
    c.trim_start_matches('/').to_string()
}

/// True when `path` is `prefix` or lies under it (both clean, absolute).
pub fn is_within(path: &str, prefix: &str) -> bool {
    if prefix == "/" {
        return true;
    }
    path == prefix || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        for (i, o) in [
            ("", "."),
            ("/", "/"),
            ("a/b/", "a/b"),
            ("a//b", "a/b"),
            ("./a", "a"),
            ("a/../..", ".."),
            ("/../a", "/a"),
            ("/a/./b/../c/", "/a/c"),
            ("src/.", "src"),
        ] {
            assert_eq!(clean(i), o, "{i}");
        }
        assert_eq!(join(&["/", "a", "", "b/"]), "/a/b");
        assert!(is_clean("/a/b") && is_clean("a") && is_clean("/"));
        assert!(!is_clean("/a/") && !is_clean("a//b") && !is_clean("/a/../b") && !is_clean(""));
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(dir("a"), ".");
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("///"), "/");
    }

    #[test]
    fn normalize_keeps_directory_slashes() {
        assert_eq!(
            normalize("/source", "aspnetapp/", true),
            "/source/aspnetapp/"
        );
        assert_eq!(normalize("/app", "./", true), "/app/");
        assert_eq!(normalize("/app", "x", true), "/app/x");
        assert_eq!(normalize("/", "/w/", false), "/w/");
        assert_eq!(normalize("/a", "b/.", true), "/a/b/.");
        assert_eq!(normalize("/", "src/.", false), "/src");
        assert_eq!(relative("/a/b/"), "a/b");
        assert!(is_within("/a/b", "/a"));
        assert!(!is_within("/ab", "/a"));
    }
}
