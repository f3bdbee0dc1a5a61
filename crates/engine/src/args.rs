//! Build arguments and environment scoping, as BuildKit's Dockerfile
//! frontend does it.
//!
//! * ARGs before the first FROM (global, "meta" ARGs) are visible only to
//!   FROM lines, unless a stage re-declares them with `ARG NAME`.
//! * `--build-arg NAME=value` overrides an ARG's default; a build arg that
//!   no ARG declares changes nothing (BuildKit ignores it).
//! * An ARG with a value is part of the environment of later RUN steps in
//!   its stage, and so part of their cache key.
//! * The predefined platform ARGs (`TARGETPLATFORM`, `BUILDPLATFORM`,
//!   `TARGETOS`...) are global ARGs with values from the modelled platform
//!   (linux/amd64).
//! * The proxy ARGs (`HTTP_PROXY`, `https_proxy`, `NO_PROXY`, `ALL_PROXY`...)
//!   reach RUN without being declared, and are left out of the cache key;
//!   declared with `ARG`, they are ordinary ARGs.

use std::collections::BTreeMap;

use layerlab_syntax::words::EnvGetter;

/// An ordered variable list with BuildKit's `llb.EnvList` semantics:
/// setting a variable again moves it to the end (the order is part of a
/// RUN's cache key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvList {
    entries: Vec<(String, String)>,
}

impl EnvList {
    /// An empty list.
    pub fn new() -> Self {
        EnvList::default()
    }

    /// Sets `key=value`, moving `key` to the end.
    pub fn add_or_replace(&mut self, key: &str, value: &str) {
        self.entries.retain(|(k, _)| k != key);
        self.entries.push((key.to_string(), value.to_string()));
    }

    /// Removes `key`.
    pub fn delete(&mut self, key: &str) {
        self.entries.retain(|(k, _)| k != key);
    }

    /// The value of `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `KEY=value` strings in order.
    pub fn to_vec(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    /// The pairs in order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl EnvGetter for EnvList {
    fn get(&self, key: &str) -> Option<&str> {
        self.value(key)
    }

    fn keys(&self) -> Vec<&str> {
        self.entries.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// A platform (`linux/amd64`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Platform {
    /// `linux`.
    pub os: String,
    /// `amd64`, `arm64`...
    pub architecture: String,
    /// `v7`, `v8`... or empty.
    pub variant: String,
}

impl Default for Platform {
    fn default() -> Self {
        Platform::linux_amd64()
    }
}

impl Platform {
    /// The platform LayerLab models builds on and for.
    pub fn linux_amd64() -> Platform {
        Platform {
            os: "linux".to_string(),
            architecture: "amd64".to_string(),
            variant: String::new(),
        }
    }

    /// Parses `os/arch[/variant]` (containerd's `platforms.Parse`, for the
    /// common forms).
    pub fn parse(s: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = s.split('/').collect();
        let norm_arch = |a: &str| match a {
            "x86_64" | "x86-64" => "amd64".to_string(),
            "aarch64" => "arm64".to_string(),
            "i386" => "386".to_string(),
            other => other.to_lowercase(),
        };
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: os.to_lowercase(),
                architecture: norm_arch(arch),
                variant: String::new(),
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: os.to_lowercase(),
                architecture: norm_arch(arch),
                variant: variant.to_string(),
            }),
            [os] if ["linux", "windows", "darwin"].contains(os) => Ok(Platform {
                os: os.to_string(),
                architecture: "amd64".to_string(),
                variant: String::new(),
            }),
            _ => Err(format!(
                "\"{s}\": unknown operating system or architecture: invalid argument"
            )),
        }
    }

    /// `linux/amd64` (with `/variant` when there is one).
    pub fn format(&self) -> String {
        if self.variant.is_empty() {
            format!("{}/{}", self.os, self.architecture)
        } else {
            format!("{}/{}/{}", self.os, self.architecture, self.variant)
        }
    }
}

/// The predefined ARGs BuildKit puts in the global scope, in its order.
pub fn default_args(
    build: &Platform,
    target: &Platform,
    overrides: &BTreeMap<String, String>,
    target_stage: &str,
) -> EnvList {
    // LayerLab's platforms have no OS version.
    let values = |p: &Platform| {
        [
            p.format(),
            p.os.clone(),
            String::new(),
            p.architecture.clone(),
            p.variant.clone(),
        ]
    };
    predefined_args(values(build), values(target), overrides, target_stage)
}

/// BuildKit's `defaultArgs`: `BUILD*` from `build` and `TARGET*` from
/// `target` (each `[PLATFORM, OS, OSVERSION, ARCH, VARIANT]`), then
/// `TARGETSTAGE`, a build arg of the same name winning over each value.
/// Shared by the build and the linter, whose platforms differ.
pub(crate) fn predefined_args(
    build: [String; 5],
    target: [String; 5],
    overrides: &BTreeMap<String, String>,
    target_stage: &str,
) -> EnvList {
    const SUFFIXES: [&str; 5] = ["PLATFORM", "OS", "OSVERSION", "ARCH", "VARIANT"];
    let stage = if target_stage.is_empty() {
        "default"
    } else {
        target_stage
    };
    let mut env = EnvList::new();
    let mut set = |k: &str, v: String| {
        let v = overrides.get(k).cloned().unwrap_or(v);
        env.add_or_replace(k, &v);
    };
    for (prefix, values) in [("BUILD", build), ("TARGET", target)] {
        for (suffix, v) in SUFFIXES.iter().zip(values) {
            set(&format!("{prefix}{suffix}"), v);
        }
    }
    set("TARGETSTAGE", stage.to_string());
    env
}

/// The proxy variables Docker passes to RUN without an ARG.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// True for a proxy build arg (any case of `http_proxy`, `https_proxy`,
/// `ftp_proxy`, `no_proxy`, `all_proxy`).
pub fn is_proxy_arg(key: &str) -> bool {
    [
        "http_proxy",
        "https_proxy",
        "ftp_proxy",
        "no_proxy",
        "all_proxy",
    ]
    .iter()
    .any(|p| p.eq_ignore_ascii_case(key))
}

/// The proxy settings a build's `--build-arg`s carry (BuildKit's
/// `proxyEnvFromBuildArgs`): given to every RUN at run time, never part of
/// a cache key.
pub fn proxy_env(build_args: &BTreeMap<String, String>) -> Vec<(String, String)> {
    build_args
        .iter()
        .filter(|(k, _)| is_proxy_arg(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_list_moves_replaced_keys_to_the_end() {
        let mut e = EnvList::new();
        e.add_or_replace("PATH", "/bin");
        e.add_or_replace("A", "1");
        e.add_or_replace("B", "2");
        e.add_or_replace("A", "3");
        assert_eq!(e.to_vec(), ["PATH=/bin", "B=2", "A=3"]);
        assert_eq!(EnvGetter::get(&e, "A"), Some("3"));
    }

    #[test]
    fn platform_args() {
        let p = Platform::linux_amd64();
        let a = default_args(&p, &p, &BTreeMap::new(), "");
        assert_eq!(a.value("TARGETPLATFORM"), Some("linux/amd64"));
        assert_eq!(a.value("TARGETARCH"), Some("amd64"));
        assert_eq!(a.value("TARGETSTAGE"), Some("default"));
        assert_eq!(
            Platform::parse("linux/arm64/v8")
                .map(|p| p.format())
                .as_deref(),
            Ok("linux/arm64/v8")
        );
        assert!(Platform::parse("nonsense").is_err());
    }

    #[test]
    fn proxy_args_any_case() {
        assert!(is_proxy_arg("HTTP_PROXY"));
        assert!(is_proxy_arg("no_proxy"));
        assert!(is_proxy_arg("All_Proxy"));
        assert!(!is_proxy_arg("PROXY"));
        assert_eq!(PROXY_ARGS.len(), 10);
    }
}
