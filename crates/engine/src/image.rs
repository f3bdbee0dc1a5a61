//! Image configuration: what an image carries besides its layers (the OCI
//! image config's `config` object and the history), as Docker shows it in
//! `docker inspect`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The runtime configuration of an image (OCI `config`), in Docker's field
/// names. Every field is plain data; order-sensitive maps are `BTreeMap`
/// so serialization (and so digests) are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageConfig {
    /// `KEY=value` entries, in order (later ENV replaces earlier keys in place).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// CMD, `None` when unset (an empty list is a set, empty CMD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    /// ENTRYPOINT, `None` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    /// WORKDIR (absolute), empty when unset (the process then starts in `/`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// USER as written (`app`, `1000`, `1000:1000`), empty for root.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    /// EXPOSEd ports as `8080/tcp`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: BTreeMap<String, Box<EmptyObject>>,
    /// VOLUME paths.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Box<EmptyObject>>,
    /// LABELs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// HEALTHCHECK, `None` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    /// STOPSIGNAL, empty when unset (Docker then sends SIGTERM).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    /// ONBUILD triggers, as written after the keyword.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    /// SHELL, `None` for the default `["/bin/sh", "-c"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
    /// True when CMD/ENTRYPOINT came from the shell form on Windows images;
    /// kept for fidelity with Docker's config (always false here).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub args_escaped: bool,
}

/// The `{}` Docker uses as the value of set-like maps. The maps hold it
/// boxed (a box of nothing allocates nothing): as `State`'s boxed images,
/// they then share one copy of `BTreeMap`'s node code in the wasm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyObject {}

/// A HEALTHCHECK.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`.
    pub test: Vec<String>,
    /// Nanoseconds, 0 when unset.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub interval: u64,
    /// Nanoseconds, 0 when unset.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub timeout: u64,
    /// Nanoseconds, 0 when unset.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_period: u64,
    /// Nanoseconds, 0 when unset.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub start_interval: u64,
    /// 0 when unset.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ImageConfig {
    /// The value of environment variable `key`, if set.
    pub fn env_value(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find_map(|e| e.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
    }

    /// Sets `key=value`, replacing an earlier entry in place as Docker does.
    pub fn set_env(&mut self, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        match self
            .env
            .iter_mut()
            .find(|e| e.split_once('=').map_or(e.as_str(), |(k, _)| k) == key)
        {
            Some(e) => *e = entry,
            None => self.env.push(entry),
        }
    }

    /// The shell used for shell-form instructions.
    pub fn shell_or_default(&self) -> Vec<String> {
        self.shell
            .clone()
            .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_replaces_in_place() {
        let mut c = ImageConfig::default();
        c.set_env("PATH", "/bin");
        c.set_env("A", "1");
        c.set_env("PATH", "/usr/bin:/bin");
        assert_eq!(c.env, ["PATH=/usr/bin:/bin", "A=1"]);
        assert_eq!(c.env_value("A"), Some("1"));
        assert_eq!(c.env_value("B"), None);
    }

    #[test]
    fn serializes_with_docker_field_names() {
        let mut c = ImageConfig {
            cmd: Some(vec!["dotnet".into(), "app.dll".into()]),
            ..Default::default()
        };
        c.exposed_ports
            .insert("8080/tcp".into(), Box::new(EmptyObject {}));
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"Cmd":["dotnet","app.dll"],"ExposedPorts":{"8080/tcp":{}}}"#
        );
    }
}
