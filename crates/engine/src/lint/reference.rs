//! Image references as `github.com/distribution/reference` reads them
//! (`ParseNormalizedNamed`), far enough to know whether a `FROM` name is
//! valid and BuildKit's error text when it is not, plus the normalized
//! name (`docker.io/library/alpine:3.20`).
//!
//! Not merged with [`crate::catalog::Reference`], which the build, the
//! docker CLI and the exercises use: this one follows distribution's
//! grammar to the letter (digest algorithms, domain rules, its error
//! texts), and swapping it in would change their accepted names and
//! messages.

/// The normalized reference (`docker.io/library/alpine:latest`), or the
/// error `ParseNormalizedNamed` gives.
pub fn parse_normalized_named(s: &str) -> Result<String, String> {
    if s.len() == 64 && s.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err(format!(
            "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
        ));
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = remainder.split(':').next().unwrap_or_default();
    if remote.to_lowercase() != remote {
        return Err(format!(
            "invalid reference format: repository name ({remote}) must be lowercase"
        ));
    }
    let full = format!("{domain}/{remainder}");
    let parts = match split_reference(&full) {
        Some(p) => p,
        None => {
            if split_reference(&full.to_lowercase()).is_some() {
                return Err("repository name must be lowercase".to_string());
            }
            return Err("invalid reference format".to_string());
        }
    };
    // The path (name without the domain) is at most 255 characters.
    let path_len = parts.name.split_once('/').map_or(0, |(_, p)| p.len());
    if path_len > 255 {
        return Err("repository name must not be more than 255 characters".to_string());
    }
    if let Some(d) = parts.digest {
        validate_digest(d)?;
    }
    let mut out = parts.name.to_string();
    match (parts.tag, parts.digest) {
        (Some(t), _) => {
            out.push(':');
            out.push_str(t);
        }
        (None, None) => out.push_str(":latest"),
        (None, Some(_)) => {}
    }
    if let Some(d) = parts.digest {
        out.push('@');
        out.push_str(d);
    }
    Ok(out)
}

fn split_docker_domain(name: &str) -> (String, String) {
    let Some((maybe_domain, maybe_remote)) = name.split_once('/') else {
        return ("docker.io".into(), format!("library/{name}"));
    };
    let (domain, mut remote) = if maybe_domain == "localhost" {
        (maybe_domain.to_string(), maybe_remote.to_string())
    } else if maybe_domain == "index.docker.io" {
        ("docker.io".to_string(), maybe_remote.to_string())
    } else if maybe_domain.contains(['.', ':']) || maybe_domain.to_lowercase() != maybe_domain {
        (maybe_domain.to_string(), maybe_remote.to_string())
    } else {
        ("docker.io".to_string(), name.to_string())
    };
    if domain == "docker.io" && !remote.contains('/') {
        remote = format!("library/{remote}");
    }
    (domain, remote)
}

struct Parts<'a> {
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// `^(name)(?::(tag))?(?:@(digest))?$`.
fn split_reference(s: &str) -> Option<Parts<'_>> {
    let (before, digest) = match s.split_once('@') {
        Some((b, d)) => {
            if !is_digest_pat(d) {
                return None;
            }
            (b, Some(d))
        }
        None => (s, None),
    };
    // A tag follows the last ':' when no '/' comes after it.
    if let Some(i) = before.rfind(':') {
        let (name, tag) = (&before[..i], &before[i + 1..]);
        if !tag.contains('/') && is_tag(tag) && is_name(name) {
            return Some(Parts {
                name,
                tag: Some(tag),
                digest,
            });
        }
    }
    if is_name(before) {
        return Some(Parts {
            name: before,
            tag: None,
            digest,
        });
    }
    None
}

/// `(?:domainAndPort/)?remoteName`.
fn is_name(s: &str) -> bool {
    if is_remote_name(s) {
        return true;
    }
    s.match_indices('/')
        .any(|(i, _)| is_domain_and_port(&s[..i]) && is_remote_name(&s[i + 1..]))
}

/// `pathComponent(?:/pathComponent)*`, pathComponent =
/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_remote_name(s: &str) -> bool {
    !s.is_empty() && s.split('/').all(is_path_component)
}

fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or one or more `-`.
        let start = i;
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || i >= b.len() || !alnum(b[i]) {
            return false;
        }
    }
    true
}

/// `host(?::[0-9]+)?` with host a domain name or a bracketed IPv6 address.
fn is_domain_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let inner = &rest[..end];
        if inner.is_empty() || !inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        (None, &rest[end + 1..])
    } else {
        match s.split_once(':') {
            Some((h, _)) => (Some(h), &s[h.len()..]),
            None => (Some(s), ""),
        }
    };
    if let Some(h) = host {
        if h.is_empty() || !h.split('.').all(is_domain_component) {
            return false;
        }
    }
    if port.is_empty() {
        return true;
    }
    let Some(digits) = port.strip_prefix(':') else {
        return false;
    };
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
}

fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`.
fn is_digest_pat(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else {
        return false;
    };
    if hex.len() < 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    alg.split(['-', '_', '+', '.']).all(|comp| {
        let b = comp.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(|c| c.is_ascii_alphanumeric())
    })
}

/// `go-digest`'s `Parse`: a known algorithm and an encoded part of the
/// right length and alphabet.
fn validate_digest(d: &str) -> Result<(), String> {
    let Some(i) = d.find(':').filter(|&i| i > 0 && i + 1 < d.len()) else {
        return Err("invalid checksum digest format".into());
    };
    let (alg, enc) = (&d[..i], &d[i + 1..]);
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".into()),
    };
    if enc.len() != len {
        return Err("invalid checksum digest length".into());
    }
    if !enc.bytes().all(|c| matches!(c, b'a'..=b'f' | b'0'..=b'9')) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_rejects() {
        assert_eq!(
            parse_normalized_named("alpine:3.20"),
            Ok("docker.io/library/alpine:3.20".into())
        );
        assert_eq!(
            parse_normalized_named("mcr.microsoft.com/dotnet/sdk:8.0"),
            Ok("mcr.microsoft.com/dotnet/sdk:8.0".into())
        );
        assert_eq!(
            parse_normalized_named("localhost:5000/x"),
            Ok("localhost:5000/x:latest".into())
        );
        assert_eq!(
            parse_normalized_named("alpine:"),
            Err("invalid reference format".into())
        );
        assert_eq!(
            parse_normalized_named(""),
            Err("invalid reference format".into())
        );
        assert_eq!(
            parse_normalized_named("BUILDER"),
            Err(
                "invalid reference format: repository name (library/BUILDER) must be lowercase"
                    .into()
            )
        );
        assert_eq!(
            parse_normalized_named("Foo/bar"),
            Ok("Foo/bar:latest".into())
        );
        assert_eq!(
            parse_normalized_named("foo/Bar"),
            Err("invalid reference format: repository name (foo/Bar) must be lowercase".into())
        );
        assert!(parse_normalized_named(&format!("alpine@sha256:{}", "a".repeat(64))).is_ok());
        assert_eq!(
            parse_normalized_named(&format!("alpine@sha256:{}", "a".repeat(32))),
            Err("invalid checksum digest length".into())
        );
        assert!(parse_normalized_named("a--b__c.d").is_ok());
        assert!(parse_normalized_named("a___b").is_err());
        assert!(parse_normalized_named("[::1]:5000/x:1").is_ok());
    }
}
