//! `docker run` / `docker create` / `docker exec` argument parsing, as
//! docker/cli v29 does it: pflag parsing with every flag the real commands
//! define (unmodelled ones are accepted and listed), the per-flag
//! validators (`-e`, `-l`, `--mount`, `--network`, `-a`, numbers, sizes),
//! cobra's argument count check, then `parse()`'s checks in Docker's order
//! (`--pull`, volumes, ports, `--expose`, `--env-file`, `--restart`,
//! `--rm` with `--restart`, ...).

use std::collections::BTreeMap;

use serde::Serialize;

use super::flags::{flag_error, min_args_error, parse_flags, FlagSpec, ParsedFlags};
use super::goutil::{csv_record, is_ip, parse_duration, parse_int, parse_uint, ram_in_bytes};
use super::ports::{parse_expose, parse_publish, Protocol, PublishSpec};
use super::DockerError;

/// Which command is being parsed (they share flags but not all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunCommand {
    /// `docker run`.
    Run,
    /// `docker create`.
    Create,
}

impl RunCommand {
    /// `run` or `create`.
    pub fn name(self) -> &'static str {
        match self {
            RunCommand::Run => "run",
            RunCommand::Create => "create",
        }
    }

    fn use_line(self) -> String {
        format!("docker {} [OPTIONS] IMAGE [COMMAND] [ARG...]", self.name())
    }

    fn path(self) -> String {
        format!("docker {}", self.name())
    }

    /// Wraps an error of the command's own checks: `docker: <err>` plus the
    /// help hint, exit status 125 (docker/cli `withHelp`).
    pub fn usage_error(self, err: &str) -> DockerError {
        DockerError::new(
            format!(
                "docker: {err}\n\nRun 'docker {} --help' for more information",
                self.name()
            ),
            125,
        )
    }

    /// Wraps an error the daemon returned (`Error response from daemon:`),
    /// as `docker run` prints it (exit status 125).
    pub fn daemon_error(self, err: &str) -> DockerError {
        self.usage_error(&format!("Error response from daemon: {err}"))
    }
}

/// What the simulated host provides to argument parsing: the CLI's own
/// environment (for `-e KEY` without a value) and files it can read
/// (`--env-file`, `--label-file`), by path as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostInput {
    /// The environment of the `docker` CLI process.
    pub env: BTreeMap<String, String>,
    /// Files readable by the CLI, by path as given on the command line.
    pub files: BTreeMap<String, String>,
}

/// `--restart`: `no`, `always`, `unless-stopped`, `on-failure[:N]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestartPolicy {
    /// Policy name (empty when not given; Docker then uses `no`).
    pub name: String,
    /// Maximum retry count (`on-failure:N`).
    pub max_retries: i64,
}

impl RestartPolicy {
    /// True for no restart policy (`no` or unset).
    pub fn is_none(&self) -> bool {
        self.name.is_empty() || self.name == "no"
    }
}

/// `--pull`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PullPolicy {
    /// Pull only if the image is not present (default).
    Missing,
    /// Always pull.
    Always,
    /// Never pull.
    Never,
}

/// What kind of storage a `-v` or `--mount` attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    /// A host path.
    Bind,
    /// A named or anonymous volume.
    Volume,
    /// A tmpfs.
    Tmpfs,
    /// An image mounted read-only.
    Image,
    /// Any other type given with `--mount type=...`.
    Other,
}

/// A `-v/--volume` or `--mount` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountSpec {
    /// The flag value as written.
    pub raw: String,
    /// Mount type.
    pub kind: MountKind,
    /// Host path or volume name (empty for an anonymous volume / tmpfs).
    pub source: String,
    /// Path in the container.
    pub target: String,
    /// Read-only.
    pub read_only: bool,
}

/// Parsed `docker run` / `docker create` options (the modelled subset is
/// typed; every other accepted flag is kept in `other_flags`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunOptions {
    /// `run` or `create`.
    pub command: RunCommand,
    /// `--help` was given: show the usage, nothing else happens.
    pub help: bool,
    /// The image reference as written.
    pub image: String,
    /// COMMAND and ARGs after the image (they replace the image's CMD).
    pub args: Vec<String>,
    /// `-i/--interactive`.
    pub interactive: bool,
    /// `-t/--tty`.
    pub tty: bool,
    /// `-d/--detach` (`docker run` only).
    pub detach: bool,
    /// `--rm`.
    pub rm: bool,
    /// `--name`.
    pub name: Option<String>,
    /// `-p/--publish`, expanded to one entry per port, in order.
    pub publish: Vec<PublishSpec>,
    /// `-P/--publish-all`.
    pub publish_all: bool,
    /// `--expose`, expanded.
    pub expose: Vec<(u16, Protocol)>,
    /// The container's own environment entries, as Docker sends them:
    /// `--env-file` entries first, then `-e` values, in order. `KEY=value`,
    /// or a bare `KEY` (not set in the CLI's environment) which unsets
    /// `KEY` from the image environment.
    pub env: Vec<String>,
    /// `-v/--volume` and `--mount`, in that order.
    pub mounts: Vec<MountSpec>,
    /// `-w/--workdir`.
    pub workdir: Option<String>,
    /// `-u/--user`.
    pub user: Option<String>,
    /// `--entrypoint`: `Some("")` resets the image's ENTRYPOINT.
    pub entrypoint: Option<String>,
    /// `--network` (last given), `None` for the default bridge.
    pub network: Option<String>,
    /// `--init` when given (`Some(false)` for `--init=false`).
    pub init: Option<bool>,
    /// `--read-only`.
    pub read_only: bool,
    /// `-h/--hostname`.
    pub hostname: Option<String>,
    /// `-l/--label` (and `--label-file`).
    pub labels: BTreeMap<String, String>,
    /// `--restart`.
    pub restart: RestartPolicy,
    /// `--platform`.
    pub platform: Option<String>,
    /// `--pull`.
    pub pull: PullPolicy,
    /// `-q/--quiet`.
    pub quiet: bool,
    /// `-a/--attach` streams (lower case).
    pub attach: Vec<String>,
    /// `--stop-signal`.
    pub stop_signal: Option<String>,
    /// `--sig-proxy` (default true, `docker run` only).
    pub sig_proxy: bool,
    /// Accepted flags LayerLab does not model, `(name, value)` in order.
    pub other_flags: Vec<(String, String)>,
    /// What the CLI printed to stderr while parsing (deprecated flags).
    pub stderr: Vec<String>,
}

/// Flags shared by run and create (docker/cli `addFlags`).
const CONTAINER_FLAGS: &[FlagSpec] = &[
    FlagSpec::value("attach", Some(b'a')),
    FlagSpec::value("device-cgroup-rule", None),
    FlagSpec::value("device", None),
    FlagSpec::value("gpus", None),
    FlagSpec::value("env", Some(b'e')),
    FlagSpec::value("env-file", None),
    FlagSpec::value("entrypoint", None),
    FlagSpec::value("group-add", None),
    FlagSpec::value("hostname", Some(b'h')),
    FlagSpec::value("domainname", None),
    FlagSpec::boolean("interactive", Some(b'i')),
    FlagSpec::value("label", Some(b'l')),
    FlagSpec::value("label-file", None),
    FlagSpec::boolean("read-only", None),
    FlagSpec::value("restart", None),
    FlagSpec::value("stop-signal", None),
    FlagSpec::value("stop-timeout", None),
    FlagSpec::value("sysctl", None),
    FlagSpec::boolean("tty", Some(b't')),
    FlagSpec::value("ulimit", None),
    FlagSpec::value("user", Some(b'u')),
    FlagSpec::value("workdir", Some(b'w')),
    FlagSpec::boolean("rm", None),
    FlagSpec::value("cap-add", None),
    FlagSpec::value("cap-drop", None),
    FlagSpec::boolean("privileged", None),
    FlagSpec::value("security-opt", None),
    FlagSpec::value("userns", None),
    FlagSpec::value("cgroupns", None),
    FlagSpec::value("add-host", None),
    FlagSpec::value("dns", None),
    FlagSpec::value("dns-opt", None),
    FlagSpec::value("dns-option", None),
    FlagSpec::value("dns-search", None),
    FlagSpec::value("expose", None),
    FlagSpec::value("ip", None),
    FlagSpec::value("ip6", None),
    FlagSpec::value("link", None),
    FlagSpec::value("link-local-ip", None),
    FlagSpec::value("mac-address", None),
    FlagSpec::value("publish", Some(b'p')),
    FlagSpec::boolean("publish-all", Some(b'P')),
    FlagSpec::value("net", None),
    FlagSpec::value("network", None),
    FlagSpec::value("net-alias", None),
    FlagSpec::value("network-alias", None),
    FlagSpec::value("log-driver", None),
    FlagSpec::value("volume-driver", None),
    FlagSpec::value("log-opt", None),
    FlagSpec::value("storage-opt", None),
    FlagSpec::value("tmpfs", None),
    FlagSpec::value("volumes-from", None),
    FlagSpec::value("volume", Some(b'v')),
    FlagSpec::value("mount", None),
    FlagSpec::value("health-cmd", None),
    FlagSpec::value("health-interval", None),
    FlagSpec::value("health-retries", None),
    FlagSpec::value("health-timeout", None),
    FlagSpec::value("health-start-period", None),
    FlagSpec::value("health-start-interval", None),
    FlagSpec::boolean("no-healthcheck", None),
    FlagSpec::value("blkio-weight", None),
    FlagSpec::value("blkio-weight-device", None),
    FlagSpec::value("cidfile", None),
    FlagSpec::value("cpuset-cpus", None),
    FlagSpec::value("cpuset-mems", None),
    FlagSpec::value("cpu-count", None),
    FlagSpec::value("cpu-percent", None),
    FlagSpec::value("cpu-period", None),
    FlagSpec::value("cpu-quota", None),
    FlagSpec::value("cpu-rt-period", None),
    FlagSpec::value("cpu-rt-runtime", None),
    FlagSpec::value("cpu-shares", Some(b'c')),
    FlagSpec::value("cpus", None),
    FlagSpec::value("device-read-bps", None),
    FlagSpec::value("device-read-iops", None),
    FlagSpec::value("device-write-bps", None),
    FlagSpec::value("device-write-iops", None),
    FlagSpec::value("io-maxbandwidth", None),
    FlagSpec::value("io-maxiops", None),
    FlagSpec::value("memory", Some(b'm')),
    FlagSpec::value("memory-reservation", None),
    FlagSpec::value("memory-swap", None),
    FlagSpec::value("memory-swappiness", None),
    FlagSpec::boolean("oom-kill-disable", None),
    FlagSpec::value("oom-score-adj", None),
    FlagSpec::value("pids-limit", None),
    FlagSpec::value("cgroup-parent", None),
    FlagSpec::value("ipc", None),
    FlagSpec::value("isolation", None),
    FlagSpec::value("pid", None),
    FlagSpec::value("shm-size", None),
    FlagSpec::value("uts", None),
    FlagSpec::value("runtime", None),
    FlagSpec::boolean("init", None),
    FlagSpec::value("annotation", None),
    FlagSpec::value("kernel-memory", None).deprecated("and no longer supported by the kernel"),
];

/// Flags of `docker run` on top of the container flags.
const RUN_ONLY_FLAGS: &[FlagSpec] = &[
    FlagSpec::boolean("detach", Some(b'd')),
    FlagSpec::boolean("sig-proxy", None),
    FlagSpec::value("detach-keys", None),
];

/// Flags of both run and create on top of the container flags.
const RUN_CREATE_FLAGS: &[FlagSpec] = &[
    FlagSpec::value("name", None),
    FlagSpec::value("pull", None),
    FlagSpec::boolean("quiet", Some(b'q')),
    FlagSpec::boolean("use-api-socket", None),
    FlagSpec::boolean("help", None),
    FlagSpec::value("platform", None),
    FlagSpec::boolean("disable-content-trust", None)
        .deprecated("support for docker content trust was removed"),
];

/// Flags LayerLab models (typed in `RunOptions`); the rest go to
/// `other_flags`.
const MODELLED: &[&str] = &[
    "attach",
    "env",
    "env-file",
    "entrypoint",
    "hostname",
    "interactive",
    "label",
    "label-file",
    "read-only",
    "restart",
    "stop-signal",
    "tty",
    "user",
    "workdir",
    "rm",
    "expose",
    "publish",
    "publish-all",
    "net",
    "network",
    "volume",
    "mount",
    "init",
    "detach",
    "sig-proxy",
    "name",
    "pull",
    "quiet",
    "help",
    "platform",
    "disable-content-trust",
    "kernel-memory",
];

fn specs_for(command: RunCommand) -> Vec<FlagSpec> {
    let mut specs: Vec<FlagSpec> = Vec::new();
    if command == RunCommand::Run {
        specs.extend_from_slice(RUN_ONLY_FLAGS);
    }
    specs.extend_from_slice(RUN_CREATE_FLAGS);
    specs.extend_from_slice(CONTAINER_FLAGS);
    specs
}

/// The per-flag `Value.Set` validation, with the host environment for
/// `-e KEY`.
fn validate_value(host: &HostInput, spec: &FlagSpec, value: &str) -> Result<String, String> {
    match spec.name {
        "env" => validate_env(host, value),
        "label" => validate_label(value),
        "attach" => {
            let lower = value.to_lowercase();
            if ["stdin", "stdout", "stderr"].contains(&lower.as_str()) {
                Ok(lower)
            } else {
                Err("valid streams are STDIN, STDOUT and STDERR".into())
            }
        }
        "mount" => parse_mount(value).map(|_| value.to_string()),
        "net" | "network" => validate_network(value).map(|()| value.to_string()),
        "dns" => {
            if is_ip(value.trim()) {
                Ok(value.to_string())
            } else {
                Err(format!("IP address is not correctly formatted: {value}"))
            }
        }
        "ip" | "ip6" => {
            if value.is_empty() || is_ip(value.trim()) {
                Ok(value.to_string())
            } else {
                Err(format!(
                    "failed to parse IP: {}",
                    super::goutil::quote(value)
                ))
            }
        }
        "stop-timeout" | "health-retries" | "oom-score-adj" => {
            parse_int(value, 64).map(|_| value.to_string())
        }
        "cpu-count" | "cpu-percent" | "cpu-period" | "cpu-quota" | "cpu-rt-period"
        | "cpu-rt-runtime" | "cpu-shares" | "memory-swappiness" | "pids-limit" => {
            parse_int(value, 64).map(|_| value.to_string())
        }
        "blkio-weight" => parse_uint(value, 16).map(|_| value.to_string()),
        "io-maxiops" => parse_uint(value, 64).map(|_| value.to_string()),
        "health-interval" | "health-timeout" | "health-start-period" | "health-start-interval" => {
            parse_duration(value).map(|_| value.to_string())
        }
        "memory" | "memory-reservation" | "shm-size" | "io-maxbandwidth" | "kernel-memory" => {
            ram_in_bytes(value).map(|_| value.to_string())
        }
        "memory-swap" => {
            if value == "-1" {
                Ok(value.to_string())
            } else {
                ram_in_bytes(value).map(|_| value.to_string())
            }
        }
        "cpus" => validate_cpus(value).map(|()| value.to_string()),
        _ => Ok(value.to_string()),
    }
}

/// opts.ValidateEnv: the name must not be empty; `KEY` alone takes the
/// CLI's environment value when there is one.
fn validate_env(host: &HostInput, value: &str) -> Result<String, String> {
    let (key, has_value) = match value.split_once('=') {
        Some((k, _)) => (k, true),
        None => (value, false),
    };
    if key.is_empty() {
        return Err(format!("invalid environment variable: {value}"));
    }
    if has_value {
        return Ok(value.to_string());
    }
    Ok(match host.env.get(key) {
        Some(v) => format!("{key}={v}"),
        None => value.to_string(),
    })
}

/// opts.ValidateLabel.
fn validate_label(value: &str) -> Result<String, String> {
    let key = value.split_once('=').map_or(value, |(k, _)| k);
    let key = key.trim_start_matches([' ', '\t']);
    if key.is_empty() {
        return Err(format!("invalid label '{value}': empty name"));
    }
    if key.contains([' ', '\t']) {
        return Err(format!("label '{key}' contains whitespaces"));
    }
    Ok(value.to_string())
}

/// opts.NanoCPUs: a rational number with at most 9 decimals.
fn validate_cpus(value: &str) -> Result<(), String> {
    let ok = {
        let (int, frac) = value.split_once('.').unwrap_or((value, ""));
        let int = int.strip_prefix('-').unwrap_or(int);
        !(int.is_empty() && frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    if !ok {
        return Err(format!("failed to parse {value} as a rational number"));
    }
    let frac = value.split_once('.').map_or("", |(_, f)| f);
    if frac.trim_end_matches('0').len() > 9 {
        return Err("value is too precise".into());
    }
    Ok(())
}

/// opts.NetworkOpt.Set: a name, or `name=...,alias=...` (long syntax is
/// detected by the regexp `\w+=\w+(,\w+=\w+)*` matching anywhere).
fn validate_network(value: &str) -> Result<(), String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = value.chars().collect();
    let long = chars.iter().enumerate().any(|(i, c)| {
        *c == '=' && i > 0 && word(chars[i - 1]) && chars.get(i + 1).is_some_and(|n| word(*n))
    });
    if !long {
        return Ok(());
    }
    let fields = csv_record(value)?;
    let mut target = String::new();
    for field in fields {
        let lower = field.to_lowercase();
        let Some((key, val)) = lower.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!("invalid field {field}"));
        };
        let (key, val) = (key.trim(), val.trim());
        match key {
            "name" => target = val.to_string(),
            "alias" | "mac-address" | "driver-opt" => {}
            "ip" | "ip6" | "link-local-ip" => {
                if !is_ip(val) {
                    return Err(format!(
                        "ParseAddr({}): unable to parse IP",
                        super::goutil::quote(val)
                    ));
                }
            }
            "gw-priority" => {
                if super::goutil::atoi(val).is_none() {
                    return Err(format!("invalid gw-priority ({val}): invalid syntax"));
                }
            }
            _ => return Err(format!("invalid field key {key}")),
        }
    }
    if target.is_empty() {
        return Err("network name/id is not specified".into());
    }
    Ok(())
}

/// opts.MountOpt.Set (the `--mount` CSV syntax).
pub(crate) fn parse_mount(value: &str) -> Result<MountSpec, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("value is empty".into());
    }
    let fields = csv_record(trimmed)?;
    let mut kind = "volume".to_string();
    let mut source = String::new();
    let mut target = String::new();
    let mut read_only = false;
    let mut bind_opts = false;
    let mut volume_opts = false;
    let mut tmpfs_opts = false;
    let mut image_opts = false;
    for field in &fields {
        let (key, val, has_value) = match field.split_once('=') {
            Some((k, v)) => (k, v, true),
            None => (field.as_str(), "", false),
        };
        if key.trim() != key {
            return Err(format!(
                "invalid option '{}' in '{field}': option should not have whitespace",
                key.trim()
            ));
        }
        if has_value {
            if val.trim().is_empty() {
                return Err(format!("invalid value for '{key}': value is empty"));
            }
            if val.trim() != val {
                return Err(format!(
                    "invalid value for '{key}' in '{field}': value should not have whitespace"
                ));
            }
        }
        let key = key.to_lowercase();
        if !has_value
            && !matches!(
                key.as_str(),
                "readonly" | "ro" | "volume-nocopy" | "bind-nonrecursive" | "bind-create-src"
            )
        {
            return Err(format!("invalid field '{field}' must be a key=value pair"));
        }
        let parse_bool = |key: &str| -> Result<bool, String> {
            if !has_value {
                return Ok(true);
            }
            match val {
                "1" | "true" => Ok(true),
                "0" | "false" => Ok(false),
                _ => Err(format!(
                    "invalid value for '{key}': invalid boolean value (\"{val}\"): must be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\")"
                )),
            }
        };
        match key.as_str() {
            "type" => kind = val.to_lowercase(),
            "source" | "src" => source = val.to_string(),
            "target" | "dst" | "destination" => target = val.to_string(),
            "readonly" | "ro" => read_only = parse_bool(&key)?,
            "consistency" => {}
            "bind-propagation" => bind_opts = true,
            "bind-nonrecursive" => {
                return Err(
                    "bind-nonrecursive is deprecated, use bind-recursive=disabled instead".into(),
                )
            }
            "bind-recursive" => {
                if !matches!(val, "enabled" | "disabled" | "writable" | "readonly") {
                    return Err(format!(
                        "invalid value for {key}: {val} (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")"
                    ));
                }
                if val != "enabled" {
                    bind_opts = true;
                }
            }
            "bind-create-src" => {
                parse_bool(&key)?;
                bind_opts = true;
            }
            "volume-subpath" | "volume-label" | "volume-driver" | "volume-opt" => {
                volume_opts = true
            }
            "volume-nocopy" => {
                parse_bool(&key)?;
                volume_opts = true;
            }
            "image-subpath" => image_opts = true,
            "tmpfs-size" => {
                ram_in_bytes(val).map_err(|_| format!("invalid value for {key}: {val}"))?;
                tmpfs_opts = true;
            }
            "tmpfs-mode" => {
                if !val.bytes().all(|b| (b'0'..=b'7').contains(&b)) || val.len() > 11 {
                    return Err(format!("invalid value for {key}: {val}"));
                }
                tmpfs_opts = true;
            }
            _ => return Err(format!("unknown option '{key}' in '{field}'")),
        }
    }
    if kind.is_empty() {
        return Err("type is required".into());
    }
    for (used, prefix, is_type) in [
        (bind_opts, "bind", "bind"),
        (volume_opts, "volume", "volume"),
        (image_opts, "image", "image"),
        (tmpfs_opts, "tmpfs", "tmpfs"),
    ] {
        if used && kind != is_type {
            return Err(format!(
                "cannot mix '{prefix}-*' options with mount type '{kind}'"
            ));
        }
    }
    let kind = match kind.as_str() {
        "bind" => MountKind::Bind,
        "volume" => MountKind::Volume,
        "tmpfs" => MountKind::Tmpfs,
        "image" => MountKind::Image,
        _ => MountKind::Other,
    };
    Ok(MountSpec {
        raw: value.to_string(),
        kind,
        source,
        target,
        read_only,
    })
}

/// docker/cli `volumespec.Parse` for `-v`.
fn parse_volume(spec: &str) -> Result<MountSpec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let anon = |target: &str| MountSpec {
        raw: spec.to_string(),
        kind: MountKind::Volume,
        source: String::new(),
        target: target.to_string(),
        read_only: false,
    };
    match chars.len() {
        0 => return Err("invalid empty volume spec".into()),
        1 | 2 => return Ok(anon(spec)),
        _ => {}
    }
    let mut source = String::new();
    let mut target = String::new();
    let mut read_only = false;
    let mut buffer = String::new();
    let mut have_source = false;
    let mut have_target = false;
    let end = chars.len();
    for i in 0..=end {
        let c = chars.get(i).copied();
        let is_drive = c == Some(':')
            && buffer.chars().count() == 1
            && buffer.chars().all(char::is_alphabetic);
        if is_drive {
            buffer.push(':');
            continue;
        }
        if c == Some(':') || c.is_none() {
            let at_end = c.is_none();
            if buffer.is_empty() {
                return Err(format!(
                    "invalid spec: {spec}: empty section between colons"
                ));
            }
            if !have_source && at_end {
                target = buffer.clone();
                have_target = true;
            } else if !have_source {
                source = buffer.clone();
                have_source = true;
            } else if !have_target {
                target = buffer.clone();
                have_target = true;
            } else if !at_end {
                return Err(format!("invalid spec: {spec}: too many colons"));
            } else {
                for option in buffer.split(',') {
                    match option {
                        "ro" => read_only = true,
                        "rw" => read_only = false,
                        _ => {}
                    }
                }
            }
            buffer.clear();
        } else if let Some(c) = c {
            buffer.push(c);
        }
    }
    let kind = if source.is_empty() {
        MountKind::Volume
    } else if source.starts_with(['.', '/', '~']) {
        MountKind::Bind
    } else {
        MountKind::Volume
    };
    Ok(MountSpec {
        raw: spec.to_string(),
        kind,
        source,
        target,
        read_only,
    })
}

/// Parses an env file's content (docker/cli `kvfile`): `#` comments and
/// blank lines skipped, leading whitespace trimmed, `KEY` alone takes the
/// CLI's environment value or is dropped.
pub fn parse_env_file(
    name: &str,
    content: &str,
    host_env: &BTreeMap<String, String>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for (n, raw_line) in content.split('\n').enumerate() {
        let mut line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if n == 0 {
            line = line.strip_prefix('\u{feff}').unwrap_or(line);
        }
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, has_value) = match line.split_once('=') {
            Some((k, _)) => (k, true),
            None => (line, false),
        };
        if key.is_empty() {
            return Err(format!(
                "invalid env file ({name}): no variable name on line '{line}'"
            ));
        }
        if key.contains([' ', '\t']) {
            return Err(format!(
                "invalid env file ({name}): variable '{key}' contains whitespaces"
            ));
        }
        if has_value {
            out.push(line.to_string());
        } else if let Some(v) = host_env.get(line) {
            out.push(format!("{key}={v}"));
        }
    }
    Ok(out)
}

fn read_host_file<'a>(host: &'a HostInput, name: &str) -> Result<&'a str, String> {
    host.files
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("open {name}: no such file or directory"))
}

/// docker/cli `opts.ParseRestartPolicy`.
fn parse_restart(policy: &str) -> Result<RestartPolicy, String> {
    if policy.is_empty() {
        return Ok(RestartPolicy {
            name: String::new(),
            max_retries: 0,
        });
    }
    let (name, count) = match policy.split_once(':') {
        Some((n, c)) => {
            if n.is_empty() {
                return Err(
                    "invalid restart policy format: no policy provided before colon".into(),
                );
            }
            (n, c)
        }
        None => (policy, ""),
    };
    let mut max_retries = 0;
    if !count.is_empty() {
        max_retries = super::goutil::atoi(count).ok_or_else(|| {
            "invalid restart policy format: maximum retry count must be an integer".to_string()
        })?;
    }
    Ok(RestartPolicy {
        name: name.to_string(),
        max_retries,
    })
}

/// Parses the arguments after `docker run` (or `docker create`).
///
/// Errors are exactly what the docker CLI prints: flag errors with the
/// usage line (exit 125), a missing image (`docker: 'docker run' requires
/// at least 1 argument`, exit 1, as cobra's argument check is a plain
/// error), and option errors wrapped as `docker: ...` (exit 125).
pub fn parse_run_args(
    command: RunCommand,
    args: &[String],
    host: &HostInput,
) -> Result<RunOptions, DockerError> {
    let specs = specs_for(command);
    let parsed = parse_flags(&specs, args, &mut |spec, value| {
        validate_value(host, spec, value)
    })
    .map_err(|e| flag_error(e, &command.use_line(), &command.path()))?;
    let help = parsed.bool("help");
    if !help && parsed.args.is_empty() {
        return Err(min_args_error(1, &command.use_line(), &command.path()));
    }
    build_options(command, &parsed, host, help)
}

fn build_options(
    command: RunCommand,
    parsed: &ParsedFlags,
    host: &HostInput,
    help: bool,
) -> Result<RunOptions, DockerError> {
    let err = |e: String| command.usage_error(&e);
    let image = parsed.args.first().cloned().unwrap_or_default();
    let mut options = RunOptions {
        command,
        help,
        image,
        args: parsed.args.iter().skip(1).cloned().collect(),
        interactive: parsed.bool("interactive"),
        tty: parsed.bool("tty"),
        detach: parsed.bool("detach"),
        rm: parsed.bool("rm"),
        name: parsed
            .last("name")
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        publish: Vec::new(),
        publish_all: parsed.bool("publish-all"),
        expose: Vec::new(),
        env: Vec::new(),
        mounts: Vec::new(),
        workdir: parsed
            .last("workdir")
            .filter(|w| !w.is_empty())
            .map(str::to_string),
        user: parsed
            .last("user")
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        entrypoint: parsed.last("entrypoint").map(str::to_string),
        network: parsed
            .values
            .iter()
            .rev()
            .find(|(n, _)| *n == "network" || *n == "net")
            .map(|(_, v)| v.clone()),
        init: parsed.last("init").map(|v| v == "true"),
        read_only: parsed.bool("read-only"),
        hostname: parsed
            .last("hostname")
            .filter(|h| !h.is_empty())
            .map(str::to_string),
        labels: BTreeMap::new(),
        restart: RestartPolicy {
            name: "no".into(),
            max_retries: 0,
        },
        platform: parsed
            .last("platform")
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        pull: PullPolicy::Missing,
        quiet: parsed.bool("quiet"),
        attach: parsed.all("attach"),
        stop_signal: parsed
            .last("stop-signal")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        sig_proxy: parsed.last("sig-proxy").is_none_or(|v| v == "true"),
        other_flags: parsed
            .values
            .iter()
            .filter(|(n, _)| !MODELLED.contains(n))
            .map(|(n, v)| ((*n).to_string(), v.clone()))
            .collect(),
        stderr: parsed.stderr.clone(),
    };
    if help {
        return Ok(options);
    }

    // runRun / runCreate: --pull first.
    options.pull = match parsed.last("pull").unwrap_or("missing") {
        "missing" | "" => PullPolicy::Missing,
        "always" => PullPolicy::Always,
        "never" => PullPolicy::Never,
        other => {
            return Err(err(format!(
            "invalid pull option: '{other}': must be one of \"always\", \"missing\" or \"never\""
        )))
        }
    };

    // parse(): MAC address, swappiness, volumes, ports, expose, env files...
    if let Some(mac) = parsed.last("mac-address").filter(|m| !m.is_empty()) {
        if !is_mac(mac.trim()) {
            return Err(err(format!("{mac} is not a valid mac address")));
        }
    }
    if let Some(s) = parsed.last("memory-swappiness") {
        let v = parse_int(s, 64).unwrap_or(-1);
        if v != -1 && !(0..=100).contains(&v) {
            return Err(err(format!(
                "invalid value: {v}. Valid memory swappiness range is 0-100"
            )));
        }
    }
    for v in parsed.all("volume") {
        let spec = parse_volume(&v).map_err(&err)?;
        options.mounts.push(spec);
    }
    for p in parsed.all("publish") {
        let specs = parse_publish(&p).map_err(&err)?;
        options.publish.extend(specs);
    }
    for e in parsed.all("expose") {
        let ports = parse_expose(&e).map_err(&err)?;
        options.expose.extend(ports);
    }
    for f in parsed.all("env-file") {
        let content = read_host_file(host, &f).map_err(|e| err(format!("--env-file: {e}")))?;
        let vars =
            parse_env_file(&f, content, &host.env).map_err(|e| err(format!("--env-file: {e}")))?;
        options.env.extend(vars);
    }
    options.env.extend(parsed.all("env"));
    let mut label_lines = Vec::new();
    for f in parsed.all("label-file") {
        let content = read_host_file(host, &f).map_err(|e| err(format!("--label-file: {e}")))?;
        let vars = parse_env_file(&f, content, &BTreeMap::new())
            .map_err(|e| err(format!("--label-file: {e}")))?;
        label_lines.extend(vars);
    }
    label_lines.extend(parsed.all("label"));
    for l in label_lines {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        options.labels.insert(k.to_string(), v.to_string());
    }
    if let Some(pid) = parsed.last("pid") {
        let valid = match pid.split_once(':') {
            Some(("container", id)) => !id.is_empty(),
            Some(_) => false,
            None => pid.is_empty() || pid == "host",
        };
        if !valid {
            return Err(err("--pid: invalid PID mode".into()));
        }
    }
    if let Some(uts) = parsed.last("uts") {
        if !(uts.is_empty() || uts == "host") {
            return Err(err("--uts: invalid UTS mode".into()));
        }
    }
    if let Some(ns) = parsed.last("cgroupns") {
        if !(ns.is_empty() || ns == "host" || ns == "private") {
            return Err(err("--cgroupns: invalid CGROUP mode".into()));
        }
    }
    options.restart = parse_restart(parsed.last("restart").unwrap_or("no")).map_err(&err)?;
    if parsed.last("log-driver") == Some("none") && parsed.changed("log-opt") {
        return Err(err("invalid logging opts for driver none".into()));
    }
    for opt in parsed.all("security-opt") {
        let ok = match opt.split_once('=').or_else(|| opt.split_once(':')) {
            Some((k, v)) => k == "no-new-privileges" || !v.is_empty(),
            None => opt == "no-new-privileges",
        };
        if !ok {
            return Err(err(format!(
                "invalid --security-opt: {}",
                super::goutil::quote(&opt)
            )));
        }
    }
    if parsed.all("storage-opt").iter().any(|o| !o.contains('=')) {
        return Err(err("invalid storage option".into()));
    }
    let health_flags: &[&str] = &[
        "health-cmd",
        "health-interval",
        "health-timeout",
        "health-start-period",
        "health-retries",
        "health-start-interval",
    ];
    let have_health = health_flags.iter().any(|f| {
        parsed.last(f).is_some_and(|v| match *f {
            "health-cmd" => !v.is_empty(),
            "health-retries" => parse_int(v, 64).is_ok_and(|n| n != 0),
            _ => parse_duration(v).is_ok_and(|d| d != 0),
        })
    });
    if parsed.bool("no-healthcheck") && have_health {
        return Err(err(
            "--no-healthcheck conflicts with --health-* options".into()
        ));
    }
    for &f in &[
        "health-interval",
        "health-timeout",
        "health-start-period",
        "health-start-interval",
    ] {
        if parsed
            .last(f)
            .and_then(|v| parse_duration(v).ok())
            .is_some_and(|d| d < 0)
        {
            return Err(err(format!("--{f} cannot be negative")));
        }
    }
    if parsed
        .last("health-retries")
        .and_then(|v| parse_int(v, 64).ok())
        .is_some_and(|r| r < 0)
    {
        return Err(err("--health-retries cannot be negative".into()));
    }
    for m in parsed.all("mount") {
        // Validated when the flag was set; parse again for the typed value.
        let spec = parse_mount(&m).map_err(&err)?;
        options.mounts.push(spec);
    }
    if options.rm && !options.restart.is_none() {
        return Err(err(
            "conflicting options: cannot specify both --restart and --rm".into(),
        ));
    }
    Ok(options)
}

fn is_mac(s: &str) -> bool {
    // net.ParseMAC: 6, 8 or 20 groups of two hex digits separated by ':'
    // or '-', or groups of four separated by '.'.
    let hex2 = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit());
    let hex4 = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_hexdigit());
    for sep in [':', '-'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if [6, 8, 20].contains(&parts.len()) && parts.iter().all(|p| hex2(p)) {
            return true;
        }
    }
    let parts: Vec<&str> = s.split('.').collect();
    [3, 4, 10].contains(&parts.len()) && parts.iter().all(|p| hex4(p))
}

/// Parsed `docker exec` options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecOptions {
    /// `--help` was given.
    pub help: bool,
    /// Container name or ID.
    pub container: String,
    /// The command and its arguments (exec form, no shell).
    pub command: Vec<String>,
    /// `-i`.
    pub interactive: bool,
    /// `-t`.
    pub tty: bool,
    /// `-d`.
    pub detach: bool,
    /// `-u`.
    pub user: Option<String>,
    /// `--privileged`.
    pub privileged: bool,
    /// `--env-file` entries then `-e` values, in order.
    pub env: Vec<String>,
    /// `-w`.
    pub workdir: Option<String>,
}

const EXEC_FLAGS: &[FlagSpec] = &[
    FlagSpec::value("detach-keys", None),
    FlagSpec::boolean("interactive", Some(b'i')),
    FlagSpec::boolean("tty", Some(b't')),
    FlagSpec::boolean("detach", Some(b'd')),
    FlagSpec::value("user", Some(b'u')),
    FlagSpec::boolean("privileged", None),
    FlagSpec::value("env", Some(b'e')),
    FlagSpec::value("env-file", None),
    FlagSpec::value("workdir", Some(b'w')),
    FlagSpec::boolean("help", None),
];

/// Parses the arguments after `docker exec`.
pub fn parse_exec_args(args: &[String], host: &HostInput) -> Result<ExecOptions, DockerError> {
    let use_line = "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]";
    let path = "docker exec";
    let parsed = parse_flags(EXEC_FLAGS, args, &mut |spec, value| match spec.name {
        "env" => validate_env(host, value),
        _ => Ok(value.to_string()),
    })
    .map_err(|e| flag_error(e, use_line, path))?;
    let help = parsed.bool("help");
    if !help && parsed.args.len() < 2 {
        return Err(min_args_error(2, use_line, path));
    }
    let mut env = Vec::new();
    for f in parsed.all("env-file") {
        let content = read_host_file(host, &f).map_err(|e| DockerError::new(e, 1))?;
        env.extend(parse_env_file(&f, content, &host.env).map_err(|e| DockerError::new(e, 1))?);
    }
    env.extend(parsed.all("env"));
    Ok(ExecOptions {
        help,
        container: parsed.args.first().cloned().unwrap_or_default(),
        command: parsed.args.iter().skip(1).cloned().collect(),
        interactive: parsed.bool("interactive"),
        tty: parsed.bool("tty"),
        detach: parsed.bool("detach"),
        user: parsed
            .last("user")
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        privileged: parsed.bool("privileged"),
        env,
        workdir: parsed
            .last("workdir")
            .filter(|w| !w.is_empty())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> HostInput {
        let mut h = HostInput::default();
        h.env.insert("FROM_HOST".into(), "hostvalue".into());
        h.files.insert(
            "app.env".into(),
            "# comment\n\n  A=1\nB= spaced \r\nFROM_HOST\nMISSING\n".into(),
        );
        h.files
            .insert("bad.env".into(), "GOOD=1\nBAD KEY=2\n".into());
        h.files.insert("empty.env".into(), "=x\n".into());
        h.files.insert("labels.txt".into(), "team=web\n".into());
        h
    }

    /// A compact rendering of the non-default options, or the error.
    fn render(command: RunCommand, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let o = match parse_run_args(command, &args, &host()) {
            Ok(o) => o,
            Err(e) => return format!("error({}): {}", e.exit_code, e.message),
        };
        let mut parts = vec![format!("image={}", o.image)];
        if !o.args.is_empty() {
            parts.push(format!("args={:?}", o.args));
        }
        for (flag, on) in [
            ("help", o.help),
            ("i", o.interactive),
            ("t", o.tty),
            ("d", o.detach),
            ("rm", o.rm),
            ("P", o.publish_all),
            ("read-only", o.read_only),
            ("q", o.quiet),
        ] {
            if on {
                parts.push(flag.to_string());
            }
        }
        if let Some(n) = &o.name {
            parts.push(format!("name={n}"));
        }
        for p in &o.publish {
            let host = match p.host_ports {
                None => "*".to_string(),
                Some((a, b)) if a == b => a.to_string(),
                Some((a, b)) => format!("{a}-{b}"),
            };
            parts.push(format!(
                "p=[{}]:{host}->{}/{}",
                p.host_ip, p.container_port, p.protocol
            ));
        }
        for (port, proto) in &o.expose {
            parts.push(format!("expose={port}/{proto}"));
        }
        if !o.env.is_empty() {
            parts.push(format!("env={:?}", o.env));
        }
        for m in &o.mounts {
            parts.push(format!(
                "mount={:?}:{}:{}{}",
                m.kind,
                m.source,
                m.target,
                if m.read_only { ":ro" } else { "" }
            ));
        }
        for (k, v) in [
            ("w", &o.workdir),
            ("u", &o.user),
            ("entrypoint", &o.entrypoint),
            ("network", &o.network),
            ("h", &o.hostname),
            ("platform", &o.platform),
            ("stop-signal", &o.stop_signal),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}={v:?}"));
            }
        }
        if let Some(init) = o.init {
            parts.push(format!("init={init}"));
        }
        if !o.labels.is_empty() {
            parts.push(format!("labels={:?}", o.labels));
        }
        if o.restart.name != "no" {
            parts.push(format!(
                "restart={}:{}",
                o.restart.name, o.restart.max_retries
            ));
        }
        if o.pull != PullPolicy::Missing {
            parts.push(format!("pull={:?}", o.pull));
        }
        if !o.attach.is_empty() {
            parts.push(format!("attach={:?}", o.attach));
        }
        if !o.sig_proxy {
            parts.push("no-sig-proxy".into());
        }
        for (n, v) in &o.other_flags {
            parts.push(format!("other:{n}={v}"));
        }
        for e in &o.stderr {
            parts.push(format!("stderr:{e}"));
        }
        parts.join(" ")
    }

    fn check(args: &[&str], expected: &str) {
        assert_eq!(render(RunCommand::Run, args), expected, "for {args:?}");
    }

    fn check_create(args: &[&str], expected: &str) {
        assert_eq!(render(RunCommand::Create, args), expected, "for {args:?}");
    }

    const USAGE: &str = "\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information";
    const HELP: &str = "\n\nRun 'docker run --help' for more information";

    #[test]
    fn the_tutorial_command() {
        check(
            &[
                "-it",
                "--rm",
                "-p",
                "5000:8080",
                "--name",
                "aspnetcore_sample",
                "aspnetapp",
            ],
            "image=aspnetapp i t rm name=aspnetcore_sample p=[]:5000->8080/tcp",
        );
    }

    #[test]
    fn boolean_flag_forms() {
        check(&["-itd", "img"], "image=img i t d");
        check(&["-i", "-t", "-d", "img"], "image=img i t d");
        check(
            &["--interactive", "--tty", "--detach", "img"],
            "image=img i t d",
        );
        check(&["--rm=false", "img"], "image=img");
        check(&["--rm=true", "img"], "image=img rm");
        check(&["-i=false", "-t", "img"], "image=img t");
        check(&["--tty=1", "--interactive=T", "img"], "image=img i t");
        check(&["--rm", "--rm=false", "img"], "image=img");
        check(&["-P", "img"], "image=img P");
        check(&["--publish-all", "img"], "image=img P");
        check(&["--read-only", "img"], "image=img read-only");
        check(&["--init", "img"], "image=img init=true");
        check(&["--init=false", "img"], "image=img init=false");
        check(&["--sig-proxy=false", "img"], "image=img no-sig-proxy");
        check(&["-q", "img"], "image=img q");
        // A boolean never consumes the next argument: "false" is the image.
        check(&["--rm", "false"], "image=false rm");
    }

    #[test]
    fn value_flag_forms() {
        check(&["--name=web", "img"], "image=img name=web");
        check(&["--name", "web", "img"], "image=img name=web");
        check(&["--name", "a", "--name", "b", "img"], "image=img name=b");
        check(&["-p5000:8080", "img"], "image=img p=[]:5000->8080/tcp");
        check(&["-p=5000:8080", "img"], "image=img p=[]:5000->8080/tcp");
        check(
            &["--publish=5000:8080", "img"],
            "image=img p=[]:5000->8080/tcp",
        );
        check(
            &["-itp", "5000:8080", "img"],
            "image=img i t p=[]:5000->8080/tcp",
        );
        check(
            &["-p", "80:80", "-p", "443:443", "img"],
            "image=img p=[]:80->80/tcp p=[]:443->443/tcp",
        );
        check(&["-ePORT=80", "img"], "image=img env=[\"PORT=80\"]");
        check(&["-e=PORT=80", "img"], "image=img env=[\"PORT=80\"]");
        check(&["-w/app", "img"], "image=img w=\"/app\"");
        check(&["--workdir", "/srv", "img"], "image=img w=\"/srv\"");
        check(&["-u", "1000:1000", "img"], "image=img u=\"1000:1000\"");
        check(&["--user=app", "img"], "image=img u=\"app\"");
        check(&["-h", "web01", "img"], "image=img h=\"web01\"");
        check(&["--hostname=web01", "img"], "image=img h=\"web01\"");
        check(&["--network", "host", "img"], "image=img network=\"host\"");
        check(&["--net=none", "img"], "image=img network=\"none\"");
        check(
            &["--network", "name=mynet,alias=web", "img"],
            "image=img network=\"name=mynet,alias=web\"",
        );
        check(
            &["--platform", "linux/arm64", "img"],
            "image=img platform=\"linux/arm64\"",
        );
        check(&["--pull", "always", "img"], "image=img pull=Always");
        check(&["--pull=never", "img"], "image=img pull=Never");
        check(
            &["--restart", "always", "img"],
            "image=img restart=always:0",
        );
        check(
            &["--restart=on-failure:3", "img"],
            "image=img restart=on-failure:3",
        );
        check(
            &["--stop-signal", "SIGQUIT", "img"],
            "image=img stop-signal=\"SIGQUIT\"",
        );
        check(&["-a", "STDOUT", "img"], "image=img attach=[\"stdout\"]");
        check(
            &["--expose", "7000-7001", "img"],
            "image=img expose=7000/tcp expose=7001/tcp",
        );
    }

    #[test]
    fn command_after_the_image() {
        check(
            &["img", "ls", "-l", "/app"],
            "image=img args=[\"ls\", \"-l\", \"/app\"]",
        );
        // Flags after the image belong to the command.
        check(&["img", "--rm"], "image=img args=[\"--rm\"]");
        check(&["--", "img", "ls"], "image=img args=[\"ls\"]");
        // `--` after the image is passed on, as the real CLI does.
        check(&["img", "--", "ls"], "image=img args=[\"--\", \"ls\"]");
        check(
            &["--entrypoint", "/bin/sh", "img", "-c", "ls"],
            "image=img args=[\"-c\", \"ls\"] entrypoint=\"/bin/sh\"",
        );
        check(&["--entrypoint=", "img"], "image=img entrypoint=\"\"");
        check(
            &["--entrypoint", "", "img", "ls"],
            "image=img args=[\"ls\"] entrypoint=\"\"",
        );
    }

    #[test]
    fn environment() {
        check(
            &["-e", "A=1", "--env", "B=", "img"],
            "image=img env=[\"A=1\", \"B=\"]",
        );
        check(
            &["-e", "FROM_HOST", "img"],
            "image=img env=[\"FROM_HOST=hostvalue\"]",
        );
        check(
            &["-e", "NOT_ON_HOST", "img"],
            "image=img env=[\"NOT_ON_HOST\"]",
        );
        check(
            &["-e", "Z=9", "--env-file", "app.env", "img"],
            "image=img env=[\"A=1\", \"B= spaced \", \"FROM_HOST=hostvalue\", \"Z=9\"]",
        );
        check(
            &["-e", "=x", "img"],
            &format!("error(125): invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x{USAGE}"),
        );
        check(
            &["--env-file", "nope.env", "img"],
            &format!(
                "error(125): docker: --env-file: open nope.env: no such file or directory{HELP}"
            ),
        );
        check(
            &["--env-file", "bad.env", "img"],
            &format!("error(125): docker: --env-file: invalid env file (bad.env): variable 'BAD KEY' contains whitespaces{HELP}"),
        );
        check(
            &["--env-file", "empty.env", "img"],
            &format!("error(125): docker: --env-file: invalid env file (empty.env): no variable name on line '=x'{HELP}"),
        );
    }

    #[test]
    fn labels() {
        check(
            &[
                "-l",
                "a=1",
                "--label",
                "b",
                "--label-file",
                "labels.txt",
                "img",
            ],
            "image=img labels={\"a\": \"1\", \"b\": \"\", \"team\": \"web\"}",
        );
        check(
            &["-l", "=x", "img"],
            &format!("error(125): invalid argument \"=x\" for \"-l, --label\" flag: invalid label '=x': empty name{USAGE}"),
        );
        check(
            &["-l", "a b=1", "img"],
            &format!("error(125): invalid argument \"a b=1\" for \"-l, --label\" flag: label 'a b' contains whitespaces{USAGE}"),
        );
    }

    #[test]
    fn volumes_and_mounts() {
        check(
            &["-v", "/srv/data:/data", "img"],
            "image=img mount=Bind:/srv/data:/data",
        );
        check(
            &["-v", "./data:/data:ro", "img"],
            "image=img mount=Bind:./data:/data:ro",
        );
        check(
            &["-v", "cache:/cache", "img"],
            "image=img mount=Volume:cache:/cache",
        );
        check(&["-v", "/anon", "img"], "image=img mount=Volume::/anon");
        check(
            &["--volume=/a:/b:rw,z", "img"],
            "image=img mount=Bind:/a:/b",
        );
        check(
            &[
                "--mount",
                "type=bind,source=/src,target=/app,readonly",
                "img",
            ],
            "image=img mount=Bind:/src:/app:ro",
        );
        check(
            &["--mount", "type=tmpfs,dst=/tmp", "img"],
            "image=img mount=Tmpfs::/tmp",
        );
        check(
            &["--mount", "src=vol,dst=/data", "img"],
            "image=img mount=Volume:vol:/data",
        );
        check(
            &["-v", "/a::/b", "img"],
            &format!(
                "error(125): docker: invalid spec: /a::/b: empty section between colons{HELP}"
            ),
        );
        check(
            &["-v", "/a:/b:ro:x", "img"],
            &format!("error(125): docker: invalid spec: /a:/b:ro:x: too many colons{HELP}"),
        );
        check(
            &["--mount", "type=bind,foo=bar", "img"],
            &format!("error(125): invalid argument \"type=bind,foo=bar\" for \"--mount\" flag: unknown option 'foo' in 'foo=bar'{USAGE}"),
        );
        check(
            &["--mount", "type=volume,bind-propagation=shared", "img"],
            &format!("error(125): invalid argument \"type=volume,bind-propagation=shared\" for \"--mount\" flag: cannot mix 'bind-*' options with mount type 'volume'{USAGE}"),
        );
        check(
            &["--mount", "target", "img"],
            &format!("error(125): invalid argument \"target\" for \"--mount\" flag: invalid field 'target' must be a key=value pair{USAGE}"),
        );
        check(
            &["--mount", "type=bind,ro=maybe", "img"],
            &format!("error(125): invalid argument \"type=bind,ro=maybe\" for \"--mount\" flag: invalid value for 'ro': invalid boolean value (\"maybe\"): must be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\"){USAGE}"),
        );
    }

    #[test]
    fn ports() {
        check(
            &["-p", "127.0.0.1:5000:8080/tcp", "img"],
            "image=img p=[127.0.0.1]:5000->8080/tcp",
        );
        check(&["-p", "8080", "img"], "image=img p=[]:*->8080/tcp");
        check(
            &["-p", "5000-5001:8080-8081", "img"],
            "image=img p=[]:5000->8080/tcp p=[]:5001->8081/tcp",
        );
        check(
            &["-p", "[::1]:80:80", "img"],
            "image=img p=[::1]:80->80/tcp",
        );
        check(
            &["-p", "53:53/udp", "-p", "9:9/sctp", "img"],
            "image=img p=[]:53->53/udp p=[]:9->9/sctp",
        );
        check(
            &["-p", "5000:abc", "img"],
            &format!("error(125): docker: invalid containerPort: abc{HELP}"),
        );
        check(
            &["-p", "99999:80", "img"],
            &format!("error(125): docker: invalid hostPort: 99999{HELP}"),
        );
        check(
            &["-p", "80:80/http", "img"],
            &format!("error(125): docker: invalid proto: http{HELP}"),
        );
        check(
            &["-p", "localhost:80:80", "img"],
            &format!("error(125): docker: invalid IP address: localhost{HELP}"),
        );
        check(
            &["-p", "5000:", "img"],
            &format!("error(125): docker: no port specified: 5000:<empty>{HELP}"),
        );
        check(
            &["-p", "1-3:1-2", "img"],
            &format!("error(125): docker: invalid ranges specified for container and host Ports: 1-2 and 1-3{HELP}"),
        );
        check(
            &["--expose", "abc", "img"],
            &format!("error(125): docker: invalid range format for --expose: invalid start port 'abc': invalid syntax{HELP}"),
        );
    }

    #[test]
    fn flag_errors() {
        check(
            &["--bogus", "img"],
            &format!("error(125): unknown flag: --bogus{USAGE}"),
        );
        check(
            &["-x", "img"],
            &format!("error(125): unknown shorthand flag: 'x' in -x{USAGE}"),
        );
        check(
            &["-itx", "img"],
            &format!("error(125): unknown shorthand flag: 'x' in -x{USAGE}"),
        );
        check(
            &["-p"],
            &format!("error(125): flag needs an argument: 'p' in -p{USAGE}"),
        );
        check(
            &["--name"],
            &format!("error(125): flag needs an argument: --name{USAGE}"),
        );
        check(
            &["--rm=yes", "img"],
            &format!("error(125): invalid argument \"yes\" for \"--rm\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax{USAGE}"),
        );
        check(
            &["-i=2", "img"],
            &format!("error(125): invalid argument \"2\" for \"-i, --interactive\" flag: strconv.ParseBool: parsing \"2\": invalid syntax{USAGE}"),
        );
        check(
            &["--stop-timeout", "ten", "img"],
            &format!("error(125): invalid argument \"ten\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"ten\": invalid syntax{USAGE}"),
        );
        check(
            &["-m", "lots", "img"],
            &format!("error(125): invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'{USAGE}"),
        );
        check(
            &["--health-interval", "5", "img"],
            &format!("error(125): invalid argument \"5\" for \"--health-interval\" flag: time: missing unit in duration \"5\"{USAGE}"),
        );
        check(
            &["-a", "stdweird", "img"],
            &format!("error(125): invalid argument \"stdweird\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR{USAGE}"),
        );
        check(
            &["--ip", "1.2.3", "img"],
            &format!("error(125): invalid argument \"1.2.3\" for \"--ip\" flag: failed to parse IP: \"1.2.3\"{USAGE}"),
        );
        check(
            &["--network", "name=,alias=x", "img"],
            &format!("error(125): invalid argument \"name=,alias=x\" for \"--network\" flag: network name/id is not specified{USAGE}"),
        );
        check(
            &["---rm", "img"],
            &format!("error(125): bad flag syntax: ---rm{USAGE}"),
        );
    }

    #[test]
    fn missing_image() {
        let msg = "error(1): docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information";
        check(&[], msg);
        check(&["-it", "--rm"], msg);
        check(&["--"], msg);
        check_create(
            &["--name", "x"],
            "error(1): docker: 'docker create' requires at least 1 argument\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker create --help' for more information",
        );
        check(&["--help"], "image= help");
    }

    #[test]
    fn option_errors() {
        check(
            &["--rm", "--restart", "always", "img"],
            &format!("error(125): docker: conflicting options: cannot specify both --restart and --rm{HELP}"),
        );
        check(&["--rm", "--restart", "no", "img"], "image=img rm");
        check(
            &["--restart", ":3", "img"],
            &format!("error(125): docker: invalid restart policy format: no policy provided before colon{HELP}"),
        );
        check(
            &["--restart", "on-failure:x", "img"],
            &format!("error(125): docker: invalid restart policy format: maximum retry count must be an integer{HELP}"),
        );
        check(
            &["--pull", "sometimes", "img"],
            &format!("error(125): docker: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"{HELP}"),
        );
        check(
            &["--mac-address", "zz", "img"],
            &format!("error(125): docker: zz is not a valid mac address{HELP}"),
        );
        check(
            &["--memory-swappiness", "200", "img"],
            &format!("error(125): docker: invalid value: 200. Valid memory swappiness range is 0-100{HELP}"),
        );
        check(
            &["--pid", "weird", "img"],
            &format!("error(125): docker: --pid: invalid PID mode{HELP}"),
        );
        check(
            &["--no-healthcheck", "--health-cmd", "true", "img"],
            &format!(
                "error(125): docker: --no-healthcheck conflicts with --health-* options{HELP}"
            ),
        );
        check(
            &["--security-opt", "label", "img"],
            &format!("error(125): docker: invalid --security-opt: \"label\"{HELP}"),
        );
    }

    #[test]
    fn unmodelled_and_deprecated_flags() {
        check(
            &[
                "--cpus",
                "1.5",
                "-m",
                "512m",
                "--cap-add",
                "NET_ADMIN",
                "img",
            ],
            "image=img other:cpus=1.5 other:memory=512m other:cap-add=NET_ADMIN",
        );
        check(
            &["--disable-content-trust", "img"],
            "image=img stderr:Flag --disable-content-trust has been deprecated, support for docker content trust was removed",
        );
        check(
            &["--cpus", "abc", "img"],
            &format!("error(125): invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number{USAGE}"),
        );
    }

    #[test]
    fn create_has_no_detach() {
        check_create(&["--name", "web", "img"], "image=img name=web");
        check_create(
            &["-d", "img"],
            "error(125): unknown shorthand flag: 'd' in -d\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker create --help' for more information",
        );
        check_create(
            &["--rm", "--restart=always", "img"],
            "error(125): docker: conflicting options: cannot specify both --restart and --rm\n\nRun 'docker create --help' for more information",
        );
    }

    #[test]
    fn exec_arguments() {
        let args: Vec<String> = [
            "-it", "-u", "app", "-w", "/app", "-e", "A=1", "web", "ls", "-l",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let o = parse_exec_args(&args, &host());
        assert_eq!(
            o.map(|o| (
                o.container,
                o.command,
                o.interactive,
                o.tty,
                o.user,
                o.workdir,
                o.env
            )),
            Ok((
                "web".to_string(),
                vec!["ls".to_string(), "-l".to_string()],
                true,
                true,
                Some("app".to_string()),
                Some("/app".to_string()),
                vec!["A=1".to_string()]
            ))
        );
    }
}
