//! Platform specifiers (`linux/amd64`, `linux/arm/v7`) as
//! `github.com/containerd/platforms` parses, normalizes and formats them.
//!
//! Not merged with the build's [`crate::args::Platform`]: this one is
//! containerd's full grammar with an OS version, and using it in the build
//! would change which `--platform` values it accepts and its error texts.
//! The predefined platform ARGs are shared
//! ([`crate::args::predefined_args`]).

use std::fmt;

/// An OS / architecture / variant triple.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Platform {
    /// `linux`, `windows`...
    pub os: String,
    /// `amd64`, `arm64`...
    pub architecture: String,
    /// `v7`, `v8`... or empty.
    pub variant: String,
    /// Windows OS version, or empty.
    pub os_version: String,
}

impl Platform {
    /// `linux/amd64`, the default when nothing else is said (the platform of
    /// the machine the recordings were made on).
    pub fn linux_amd64() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            ..Platform::default()
        }
    }

    /// containerd's `Normalize`.
    pub fn normalized(&self) -> Platform {
        let (architecture, variant) = normalize_arch(&self.architecture, &self.variant);
        Platform {
            os: normalize_os(&self.os),
            architecture,
            variant,
            os_version: self.os_version.clone(),
        }
    }
}

/// containerd's `FormatAll` (without OS features).
impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.os.is_empty() {
            return f.write_str("unknown");
        }
        f.write_str(&self.os)?;
        if !self.os_version.is_empty() {
            write!(f, "({})", self.os_version)?;
        }
        for part in [&self.architecture, &self.variant] {
            if !part.is_empty() {
                write!(f, "/{part}")?;
            }
        }
        Ok(())
    }
}

fn is_known_os(os: &str) -> bool {
    matches!(
        os,
        "aix"
            | "android"
            | "darwin"
            | "dragonfly"
            | "freebsd"
            | "hurd"
            | "illumos"
            | "ios"
            | "js"
            | "linux"
            | "nacl"
            | "netbsd"
            | "openbsd"
            | "plan9"
            | "solaris"
            | "windows"
            | "zos"
    )
}

fn is_known_arch(arch: &str) -> bool {
    matches!(
        arch,
        "386"
            | "amd64"
            | "amd64p32"
            | "arm"
            | "armbe"
            | "arm64"
            | "arm64be"
            | "ppc64"
            | "ppc64le"
            | "loong64"
            | "mips"
            | "mipsle"
            | "mips64"
            | "mips64le"
            | "mips64p32"
            | "mips64p32le"
            | "ppc"
            | "riscv"
            | "riscv64"
            | "s390"
            | "s390x"
            | "sparc"
            | "sparc64"
            | "wasm"
    )
}

fn normalize_os(os: &str) -> String {
    if os.is_empty() {
        return "linux".into();
    }
    let os = os.to_lowercase();
    if os == "macos" {
        "darwin".into()
    } else {
        os
    }
}

fn normalize_arch(arch: &str, variant: &str) -> (String, String) {
    let arch = arch.to_lowercase();
    let variant = variant.to_lowercase();
    match arch.as_str() {
        "i386" => ("386".into(), String::new()),
        "x86_64" | "x86-64" | "amd64" => {
            let v = if variant == "v1" {
                String::new()
            } else {
                variant
            };
            ("amd64".into(), v)
        }
        "aarch64" | "arm64" => {
            let v = match variant.as_str() {
                "8" | "v8" | "v8.0" => String::new(),
                "9" | "9.0" | "v9.0" => "v9".into(),
                _ => variant,
            };
            ("arm64".into(), v)
        }
        "armhf" => ("arm".into(), "v7".into()),
        "armel" => ("arm".into(), "v6".into()),
        "arm" => {
            let v = match variant.as_str() {
                "" | "7" => "v7".into(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            };
            ("arm".into(), v)
        }
        _ => (arch, variant),
    }
}

fn is_specifier_component(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$`:
/// the OS and its optional version.
fn split_os(part: &str) -> Option<(&str, &str)> {
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
    };
    let opt_ok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'%' | b'-');
    match part.find('(') {
        None => name_ok(part).then_some((part, "")),
        Some(i) => {
            let inner = part[i + 1..].strip_suffix(')')?;
            if !name_ok(&part[..i]) {
                return None;
            }
            let (version, features) = inner.split_once('+').unwrap_or((inner, ""));
            if !version.bytes().all(opt_ok) {
                return None;
            }
            if !features.is_empty()
                && !features
                    .split('+')
                    .all(|f| !f.is_empty() && f.bytes().all(opt_ok))
            {
                return None;
            }
            Some((&part[..i], version))
        }
    }
}

/// containerd's `Parse`, with its error messages. The host is taken to be
/// linux/amd64 for a lone OS or architecture.
pub fn parse(spec: &str) -> Result<Platform, String> {
    let q = layerlab_syntax::go_quote;
    if spec.contains('*') {
        return Err(format!(
            "{}: wildcards not yet supported: invalid argument",
            q(spec)
        ));
    }
    let parts: Vec<&str> = spec.splitn(4, '/').collect();
    let mut p = Platform::default();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some((os, version)) = split_os(part) else {
                return Err(format!(
                    "{} is an invalid OS component of {}: OSAndVersion specifier component must match {}: invalid argument",
                    q(part),
                    q(spec),
                    q(r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$")
                ));
            };
            p.os = normalize_os(os);
            p.os_version = version.to_string();
        } else if !is_specifier_component(part) {
            return Err(format!(
                "{} is an invalid component of {}: platform specifier component must match {}: invalid argument",
                q(part),
                q(spec),
                q("^[A-Za-z0-9_.-]+$")
            ));
        }
    }
    match parts.len() {
        1 => {
            if is_known_os(&p.os) {
                p.architecture = "amd64".into();
                return Ok(p);
            }
            let (a, mut v) = normalize_arch(parts[0], "");
            if a == "arm" && v == "v7" {
                v.clear();
            }
            if is_known_arch(&a) {
                return Ok(Platform {
                    os: "linux".into(),
                    architecture: a,
                    variant: v,
                    os_version: String::new(),
                });
            }
            Err(format!(
                "{}: unknown operating system or architecture: invalid argument",
                q(spec)
            ))
        }
        2 => {
            let (a, mut v) = normalize_arch(parts[1], "");
            if a == "arm" && v == "v7" {
                v.clear();
            }
            p.architecture = a;
            p.variant = v;
            Ok(p)
        }
        3 => {
            let (a, mut v) = normalize_arch(parts[1], parts[2]);
            if a == "arm64" && v.is_empty() {
                v = "v8".into();
            }
            p.architecture = a;
            p.variant = v;
            Ok(p)
        }
        _ => Err(format!(
            "{}: cannot parse platform specifier: invalid argument",
            q(spec)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specifiers() {
        assert_eq!(
            parse("linux/amd64").map(|p| p.to_string()),
            Ok("linux/amd64".into())
        );
        assert_eq!(
            parse("linux/arm64").map(|p| p.architecture),
            Ok("arm64".into())
        );
        assert_eq!(parse("linux/arm/v7").map(|p| p.variant), Ok("v7".into()));
        assert_eq!(parse("windows/amd64").map(|p| p.os), Ok("windows".into()));
        assert_eq!(
            parse("arm64").map(|p| p.to_string()),
            Ok("linux/arm64".into())
        );
        assert!(parse("foo").is_err());
        assert!(parse("linux/*").is_err());
        assert!(parse("").is_err());
        assert_eq!(
            parse("a/b/c/d").err(),
            Some("\"a/b/c/d\": cannot parse platform specifier: invalid argument".into())
        );
    }
}
