//! The run plan: everything `docker run` / `docker create` decides for a
//! container, as plain data (argv, environment, working directory, user,
//! PID 1 and signals, port mappings checked against what the process
//! listens on), plus learner-facing explanations and a text rendering.
//!
//! Errors follow the order the daemon checks things in: the CLI's TTY
//! check, container creation (port specs, restart policy, working
//! directory, command, name), then start (user lookup, host ports).

use std::collections::BTreeMap;

use serde::Serialize;

use super::apps::{detect_app, AppModel, Confidence, Listener};
use super::args::{MountKind, MountSpec, RunCommand, RunOptions};
use super::ports::{parse_exposed_key, Protocol};
use super::process::{
    basename, config_env, json_array, process_env, resolve_argv, working_dir, EnvOrigin, EnvVar,
};
use super::user::{resolve_user, ProcessUser};
use super::DockerError;
use crate::image::ImageConfig;

/// First port of the ephemeral range Docker allocates from (Linux
/// `ip_local_port_range` default 32768-60999).
pub const EPHEMERAL_PORT_START: u16 = 32768;
/// Last port of the ephemeral range.
pub const EPHEMERAL_PORT_END: u16 = 60999;

/// A host port already bound by another container.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UsedHostPort {
    /// Host IP (empty for all interfaces).
    pub host_ip: String,
    /// Host port.
    pub port: u16,
    /// Protocol.
    pub protocol: Protocol,
}

/// What the plan needs besides the options and the image config: the
/// state of the simulated host and the image's user database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInput {
    /// The new container's full ID (64 hex digits); its first 12 are the
    /// default hostname.
    pub container_id: String,
    /// Name used when `--name` is not given (see [`generate_name`]).
    pub generated_name: String,
    /// The image's /etc/passwd content (`None`: no such file).
    pub passwd: Option<String>,
    /// The image's /etc/group content (`None`: no such file).
    pub group: Option<String>,
    /// Host ports other containers hold.
    pub used_host_ports: Vec<UsedHostPort>,
    /// Next ephemeral host port to try (Docker starts at 32768).
    pub next_ephemeral_port: u16,
    /// Whether the CLI's stdin is a terminal (`-it` needs one).
    pub stdin_is_terminal: bool,
    /// The host's hostname (the container's with `--network host`).
    pub host_hostname: String,
}

impl ContainerInput {
    /// An input with a given container ID and defaults elsewhere: no
    /// passwd/group files, no used ports, a terminal on stdin.
    pub fn new(container_id: &str) -> Self {
        ContainerInput {
            container_id: container_id.to_string(),
            generated_name: generate_name(container_id),
            passwd: None,
            group: None,
            used_host_ports: Vec::new(),
            next_ephemeral_port: EPHEMERAL_PORT_START,
            stdin_is_terminal: true,
            host_hostname: "docker-desktop".into(),
        }
    }
}

/// What runs as PID 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pid1Kind {
    /// The application itself (exec form).
    App,
    /// A shell running a shell-form command string.
    Shell,
    /// docker-init (`--init`), with the application as its child.
    Init,
}

/// PID 1 and what it means for signals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pid1 {
    /// The argv of PID 1 (with `--init`: `/sbin/docker-init -- ...`).
    pub argv: Vec<String>,
    /// What PID 1 is.
    pub kind: Pid1Kind,
    /// One sentence: who is PID 1.
    pub description: String,
    /// One or two sentences: what `docker stop` / Ctrl+C do.
    pub signals: String,
    /// The signal `docker stop` sends (STOPSIGNAL / `--stop-signal`, default SIGTERM).
    pub stop_signal: String,
}

/// Whether something answers on a published port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortStatus {
    /// The process listens there on all interfaces.
    Listening,
    /// The process is known, and nothing listens on this port.
    NothingListening,
    /// The process listens on this port but only on localhost inside the
    /// container, which a published port cannot reach.
    LoopbackOnly,
    /// No model of the process; the image EXPOSEs this port.
    Exposed,
    /// No model of the process, and the image does not EXPOSE this port.
    NotExposed,
}

/// Which flag published a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortSource {
    /// `-p/--publish`.
    Publish,
    /// `-P/--publish-all`.
    PublishAll,
}

/// One published port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortMapping {
    /// Host IP as given (empty: all interfaces, shown as 0.0.0.0).
    pub host_ip: String,
    /// Host port (allocated when ephemeral).
    pub host_port: u16,
    /// Container port.
    pub container_port: u16,
    /// Protocol.
    pub protocol: Protocol,
    /// Which flag asked for it.
    pub source: PortSource,
    /// Check result.
    pub status: PortStatus,
    /// `Some(true)` listening, `Some(false)` not reachable, `None` unknown.
    pub listening: Option<bool>,
    /// The check explained in one sentence.
    pub message: String,
}

impl PortMapping {
    /// `0.0.0.0:5000->8080/tcp`, as `docker ps` shows it.
    pub fn display(&self) -> String {
        format!(
            "{}:{}->{}/{}",
            display_ip(&self.host_ip),
            self.host_port,
            self.container_port,
            self.protocol
        )
    }
}

fn display_ip(ip: &str) -> String {
    if ip.is_empty() {
        "0.0.0.0".into()
    } else if ip.contains(':') {
        format!("[{ip}]")
    } else {
        ip.into()
    }
}

/// Everything `docker run` decides, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunPlan {
    /// `run` or `create`.
    pub command: RunCommand,
    /// Full container ID.
    pub container_id: String,
    /// Container name (`--name` or the generated one).
    pub name: String,
    /// True when the name came from `--name`.
    pub named: bool,
    /// Image reference as given.
    pub image: String,
    /// Container hostname.
    pub hostname: String,
    /// The process argv (ENTRYPOINT + CMD).
    pub argv: Vec<String>,
    /// The effective ENTRYPOINT part of argv.
    pub entrypoint: Vec<String>,
    /// The effective CMD part of argv.
    pub cmd: Vec<String>,
    /// `Config.Env` as `docker inspect` shows it.
    pub config_env: Vec<String>,
    /// The process environment, `KEY=value`, in order.
    pub env: Vec<String>,
    /// The process environment with origins.
    pub env_vars: Vec<EnvVar>,
    /// Working directory.
    pub cwd: String,
    /// The user the process runs as.
    pub user: ProcessUser,
    /// PID 1 and signals.
    pub pid1: Pid1,
    /// What LayerLab knows about the program, if anything.
    pub app: Option<AppModel>,
    /// Published ports, checked.
    pub ports: Vec<PortMapping>,
    /// Where the process listens (from the app model).
    pub listening: Vec<Listener>,
    /// Ports the container exposes (image EXPOSE, `--expose`, `-p`), `8080/tcp`.
    pub exposed: Vec<String>,
    /// Volumes and mounts.
    pub mounts: Vec<MountSpec>,
    /// `-i`.
    pub interactive: bool,
    /// `-t`.
    pub tty: bool,
    /// `-d`.
    pub detach: bool,
    /// `--rm`.
    pub remove_on_exit: bool,
    /// `--init`.
    pub init: bool,
    /// `--read-only`.
    pub read_only: bool,
    /// Network mode (`bridge` by default).
    pub network: String,
    /// Restart policy name (`no` by default).
    pub restart: String,
    /// Labels (image labels, then `--label`).
    pub labels: BTreeMap<String, String>,
    /// The next ephemeral port after this plan's allocations (keep it in
    /// the host state).
    pub next_ephemeral_port: u16,
    /// Lines the docker CLI prints on stderr for this command (flag
    /// deprecations, the daemon's `WARNING: ...`), in order.
    pub stderr: Vec<String>,
    /// Problems a learner should fix (the port nobody listens on, ...).
    pub warnings: Vec<String>,
    /// Short sentences explaining what happens.
    pub explanation: Vec<String>,
}

/// Docker's container name pattern check (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
fn valid_container_name(name: &str) -> bool {
    let name = name.strip_prefix('/').unwrap_or(name);
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    first_ok
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The daemon's error for a taken container name (`docker run --name x`
/// while `x` exists), as `docker run` prints it (exit status 125).
pub fn name_conflict_error(command: RunCommand, name: &str, existing_id: &str) -> DockerError {
    command.daemon_error(&format!(
        "Conflict. The container name \"/{name}\" is already in use by container \"{existing_id}\". You have to remove (or rename) that container to be able to reuse that name."
    ))
}

const ADJECTIVES: &[&str] = &[
    "admiring",
    "brave",
    "clever",
    "dazzling",
    "eager",
    "festive",
    "gallant",
    "happy",
    "jolly",
    "keen",
    "loving",
    "modest",
    "nifty",
    "optimistic",
    "peaceful",
    "quirky",
    "relaxed",
    "serene",
    "tender",
    "upbeat",
    "vibrant",
    "wizardly",
    "youthful",
    "zealous",
];
const SURNAMES: &[&str] = &[
    "babbage", "curie", "darwin", "einstein", "fermi", "galileo", "hopper", "johnson", "kepler",
    "lovelace", "meitner", "newton", "noether", "pasteur", "ritchie", "shannon", "thompson",
    "turing", "volta", "wu",
];

/// A Docker-style `adjective_surname` name, derived from the container ID
/// (deterministic stand-in for the daemon's random name).
pub fn generate_name(container_id: &str) -> String {
    let n = container_id.bytes().fold(0u64, |acc, b| {
        acc.wrapping_mul(131).wrapping_add(u64::from(b))
    });
    let a = ADJECTIVES[usize::try_from(n % ADJECTIVES.len() as u64).unwrap_or(0)];
    let s = SURNAMES[usize::try_from((n / 97) % SURNAMES.len() as u64).unwrap_or(0)];
    format!("{a}_{s}")
}

fn ports_conflict(a_ip: &str, b_ip: &str) -> bool {
    a_ip.is_empty() || b_ip.is_empty() || a_ip == b_ip
}

struct Allocator {
    used: Vec<UsedHostPort>,
    /// Indexes into `used` by port, so a lookup does not scan every port
    /// taken (a `-p 1-30000` range would otherwise take minutes).
    by_port: std::collections::BTreeMap<u16, Vec<usize>>,
    /// `(host IP, protocol)` pairs whose ephemeral range is used up.
    full: Vec<(String, Protocol)>,
    next: u16,
}

impl Allocator {
    fn new(used: Vec<UsedHostPort>, next: u16) -> Allocator {
        let mut by_port: std::collections::BTreeMap<u16, Vec<usize>> = Default::default();
        for (i, u) in used.iter().enumerate() {
            by_port.entry(u.port).or_default().push(i);
        }
        Allocator {
            used,
            by_port,
            full: Vec::new(),
            next,
        }
    }

    fn taken(&self, ip: &str, port: u16, proto: Protocol) -> bool {
        self.by_port.get(&port).is_some_and(|ids| {
            ids.iter().any(|&i| {
                let u = &self.used[i];
                u.protocol == proto && ports_conflict(&u.host_ip, ip)
            })
        })
    }

    fn take(&mut self, ip: &str, port: u16, proto: Protocol) {
        self.by_port.entry(port).or_default().push(self.used.len());
        self.used.push(UsedHostPort {
            host_ip: ip.to_string(),
            port,
            protocol: proto,
        });
    }

    fn ephemeral(&mut self, ip: &str, proto: Protocol) -> Option<u16> {
        if self.full.iter().any(|(i, p)| i == ip && *p == proto) {
            return None;
        }
        let span = u32::from(EPHEMERAL_PORT_END - EPHEMERAL_PORT_START) + 1;
        let mut port = self.next.clamp(EPHEMERAL_PORT_START, EPHEMERAL_PORT_END);
        for _ in 0..span {
            if !self.taken(ip, port, proto) {
                self.take(ip, port, proto);
                self.next = if port == EPHEMERAL_PORT_END {
                    EPHEMERAL_PORT_START
                } else {
                    port + 1
                };
                return Some(port);
            }
            port = if port == EPHEMERAL_PORT_END {
                EPHEMERAL_PORT_START
            } else {
                port + 1
            };
        }
        self.full.push((ip.to_string(), proto));
        None
    }
}

fn port_already_allocated(
    command: RunCommand,
    name: &str,
    id: &str,
    ip: &str,
    port: u16,
) -> DockerError {
    command.daemon_error(&format!(
        "failed to set up container networking: driver failed programming external connectivity on endpoint {name} ({id}): Bind for {}:{port} failed: port is already allocated",
        display_ip(ip)
    ))
}

/// Builds the run plan for parsed options and an image config.
pub fn plan_run(
    opts: &RunOptions,
    image: &ImageConfig,
    input: &ContainerInput,
) -> Result<RunPlan, DockerError> {
    let command = opts.command;
    // docker/cli runContainer: attach/detach conflict and the TTY check.
    if command == RunCommand::Run {
        if opts.detach && !opts.attach.is_empty() {
            return Err(DockerError::new(
                "conflicting options: cannot specify both --attach and --detach",
                1,
            ));
        }
        if !opts.detach && opts.tty && opts.interactive && !input.stdin_is_terminal {
            return Err(DockerError::new(
                "cannot attach stdin to a TTY-enabled container because stdin is not a terminal",
                1,
            ));
        }
    }

    // Daemon, container create: host config, then config.
    for p in &opts.publish {
        if p.container_port == 0 {
            return Err(
                command.daemon_error(&format!("invalid port specification: \"0/{}\"", p.protocol))
            );
        }
    }
    validate_container_network(command, opts)?;
    validate_restart(command, opts)?;
    for m in &opts.mounts {
        validate_mount(command, m)?;
    }
    let cwd = working_dir(image, opts.workdir.as_deref()).map_err(|e| command.daemon_error(&e))?;
    let resolution = resolve_argv(image, opts.entrypoint.as_deref(), &opts.args)
        .map_err(|e| command.daemon_error(&e))?;
    if let Some(name) = &opts.name {
        if !valid_container_name(name) {
            return Err(command.daemon_error(&format!(
                "Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            )));
        }
    }
    let name = opts
        .name
        .clone()
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_else(|| input.generated_name.clone());

    // Daemon, container start: user, then networking.
    let user_spec = opts.user.clone().unwrap_or_else(|| image.user.clone());
    let user = resolve_user(&user_spec, input.passwd.as_deref(), input.group.as_deref())
        .map_err(|e| command.daemon_error(&e))?;

    let network = opts.network.clone().unwrap_or_else(|| "bridge".into());
    let short_id: String = input.container_id.chars().take(12).collect();
    let hostname = match (&opts.hostname, network.as_str()) {
        (Some(h), _) => h.clone(),
        (None, "host") => input.host_hostname.clone(),
        (None, _) => short_id.clone(),
    };
    let cfg_env = config_env(&image.env, &opts.env);
    let env_vars = process_env(&cfg_env, &image.env, &hostname, opts.tty, &user.home);
    let env: Vec<String> = env_vars.iter().map(EnvVar::entry).collect();
    let app = detect_app(&resolution.argv, &env_vars);

    // Exposed ports: image EXPOSE, --expose, and every -p container port.
    let mut exposed: Vec<(u16, Protocol)> = Vec::new();
    for k in image.exposed_ports.keys() {
        if let Some(p) = parse_exposed_key(k) {
            add_port(&mut exposed, p);
        }
    }
    let image_exposed = exposed.clone();
    for &p in &opts.expose {
        add_port(&mut exposed, p);
    }
    let declared = exposed.clone();
    for p in &opts.publish {
        add_port(&mut exposed, (p.container_port, p.protocol));
    }

    let mut warnings = Vec::new();
    let mut docker_stderr = opts.stderr.clone();
    let mut ports = Vec::new();
    let mut alloc = Allocator::new(input.used_host_ports.clone(), input.next_ephemeral_port);
    let publish_network =
        !matches!(network.as_str(), "host" | "none") && !network.starts_with("container:");
    if publish_network {
        for p in &opts.publish {
            let host_port = match p.host_ports {
                Some((start, end)) => {
                    let free =
                        (start..=end).find(|port| !alloc.taken(&p.host_ip, *port, p.protocol));
                    match free {
                        Some(port) => {
                            alloc.take(&p.host_ip, port, p.protocol);
                            port
                        }
                        None => {
                            return Err(port_already_allocated(
                                command,
                                &name,
                                &input.container_id,
                                &p.host_ip,
                                start,
                            ))
                        }
                    }
                }
                None => alloc.ephemeral(&p.host_ip, p.protocol).unwrap_or(0),
            };
            ports.push((
                p.host_ip.clone(),
                host_port,
                p.container_port,
                p.protocol,
                PortSource::Publish,
            ));
        }
        if opts.publish_all {
            for (port, proto) in &exposed {
                if opts
                    .publish
                    .iter()
                    .any(|p| p.container_port == *port && p.protocol == *proto)
                {
                    continue;
                }
                let host_port = alloc.ephemeral("", *proto).unwrap_or(0);
                ports.push((
                    String::new(),
                    host_port,
                    *port,
                    *proto,
                    PortSource::PublishAll,
                ));
            }
        }
    } else if !opts.publish.is_empty() || opts.publish_all {
        if network == "host" && !opts.publish.is_empty() {
            docker_stderr.push(
                "WARNING: Published ports are discarded when using host network mode".to_string(),
            );
        }
        warnings.push(format!(
            "With --network {network}, published ports are discarded{}.",
            if network == "host" {
                ": the process uses the host's network directly"
            } else {
                ""
            }
        ));
    }

    let listening: Vec<Listener> = app
        .as_ref()
        .map(|a| a.listeners.clone())
        .unwrap_or_default();
    let mappings: Vec<PortMapping> = ports
        .into_iter()
        .map(|(host_ip, host_port, container_port, protocol, source)| {
            let (status, listening_flag, message) = check_port(
                host_port,
                container_port,
                protocol,
                app.as_ref(),
                &declared,
                &image_exposed,
            );
            PortMapping {
                host_ip,
                host_port,
                container_port,
                protocol,
                source,
                status,
                listening: listening_flag,
                message,
            }
        })
        .collect();
    for m in &mappings {
        match m.status {
            PortStatus::NothingListening | PortStatus::LoopbackOnly => {
                warnings.push(format!("-p {}: {}", mapping_flag(m), m.message));
            }
            _ => {}
        }
    }

    let init = opts.init.unwrap_or(false);
    let stop_signal = opts
        .stop_signal
        .clone()
        .or_else(|| (!image.stop_signal.is_empty()).then(|| image.stop_signal.clone()))
        .unwrap_or_else(|| "SIGTERM".into());
    let pid1 = describe_pid1(
        &resolution.argv,
        resolution.shell_form,
        init,
        app.as_ref(),
        &stop_signal,
        opts,
    );

    let mut labels = image.labels.clone();
    labels.extend(opts.labels.clone());

    let mut plan = RunPlan {
        command,
        container_id: input.container_id.clone(),
        name,
        named: opts.name.is_some(),
        image: opts.image.clone(),
        hostname,
        argv: resolution.argv.clone(),
        entrypoint: resolution.entrypoint.clone(),
        cmd: resolution.cmd.clone(),
        config_env: cfg_env,
        env,
        env_vars,
        cwd,
        user,
        pid1,
        app,
        ports: mappings,
        listening,
        exposed: exposed
            .iter()
            .map(|(p, proto)| format!("{p}/{proto}"))
            .collect(),
        mounts: opts.mounts.clone(),
        interactive: opts.interactive,
        tty: opts.tty,
        detach: opts.detach,
        remove_on_exit: opts.rm,
        init,
        read_only: opts.read_only,
        network,
        restart: if opts.restart.name.is_empty() {
            "no".into()
        } else {
            opts.restart.name.clone()
        },
        labels,
        next_ephemeral_port: alloc.next,
        stderr: docker_stderr,
        warnings,
        explanation: Vec::new(),
    };
    plan.explanation = explain(&plan, opts, image, &resolution.notes);
    if let Some(app) = &plan.app {
        if plan.ports.is_empty() && publish_network {
            if let Some(l) = app.listeners.iter().find(|l| l.all_interfaces) {
                plan.explanation.push(format!(
                    "No port is published: {} listens on {}/{} inside the container only; add -p 8000:{} (or -P) to reach it from the host.",
                    app.name, l.port, l.protocol, l.port
                ));
            }
        }
    } else if plan.ports.is_empty() && !image_exposed.is_empty() && publish_network {
        plan.explanation.push(format!(
            "The image EXPOSEs {}, but EXPOSE only documents ports: nothing is published without -p or -P.",
            image_exposed
                .iter()
                .map(|(p, proto)| format!("{p}/{proto}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(plan)
}

fn mapping_flag(m: &PortMapping) -> String {
    let ip = if m.host_ip.is_empty() {
        String::new()
    } else {
        format!("{}:", display_ip(&m.host_ip))
    };
    let proto = if m.protocol == Protocol::Tcp {
        String::new()
    } else {
        format!("/{}", m.protocol)
    };
    format!("{ip}{}:{}{proto}", m.host_port, m.container_port)
}

/// The daemon's `validateNetContainerMode` (`--network container:<id>`).
fn validate_container_network(command: RunCommand, opts: &RunOptions) -> Result<(), DockerError> {
    let Some(network) = opts.network.as_deref() else {
        return Ok(());
    };
    let target = match network.strip_prefix("container:") {
        Some(t) => t,
        None if network == "container" => "",
        None => return Ok(()),
    };
    let err = |m: &str| Err(command.daemon_error(m));
    if target.is_empty() {
        return err("invalid network mode: invalid container format container:<name|id>");
    }
    if opts.hostname.is_some() {
        return err("conflicting options: hostname and the network mode");
    }
    if !opts.publish.is_empty() || opts.publish_all {
        return err("conflicting options: port publishing and the container type network mode");
    }
    if !opts.expose.is_empty() {
        return err("conflicting options: port exposing and the container type network mode");
    }
    Ok(())
}

fn validate_restart(command: RunCommand, opts: &RunOptions) -> Result<(), DockerError> {
    let r = &opts.restart;
    let err = |m: &str| Err(command.daemon_error(m));
    match r.name.as_str() {
        "always" | "unless-stopped" | "no" => {
            if r.max_retries != 0 {
                let mut msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'".to_string();
                if r.max_retries < 0 {
                    msg.push_str(" and cannot be negative");
                }
                return err(&msg);
            }
            Ok(())
        }
        "on-failure" => {
            if r.max_retries < 0 {
                return err("invalid restart policy: maximum retry count cannot be negative");
            }
            Ok(())
        }
        "" => Ok(()),
        other => err(&format!(
            "invalid restart policy: unknown policy '{other}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
        )),
    }
}

fn validate_mount(command: RunCommand, m: &MountSpec) -> Result<(), DockerError> {
    let kind = match m.kind {
        MountKind::Bind => "bind",
        MountKind::Volume => "volume",
        MountKind::Tmpfs => "tmpfs",
        MountKind::Image => "image",
        MountKind::Other => "",
    };
    let from_volume_flag = !m.raw.contains('=') || m.raw.starts_with('/') || m.raw.starts_with('.');
    let wrap = |why: String| {
        let cfg = format!("invalid mount config for type \"{kind}\": {why}");
        if from_volume_flag && m.kind != MountKind::Other {
            command.daemon_error(&format!("invalid volume specification: '{}': {cfg}", m.raw))
        } else {
            command.daemon_error(&cfg)
        }
    };
    if m.kind == MountKind::Other {
        let t = m
            .raw
            .split(',')
            .find_map(|f| f.strip_prefix("type="))
            .unwrap_or("");
        return Err(command.daemon_error(&format!(
            "invalid mount config for type \"{t}\": mount type unknown"
        )));
    }
    if m.target.is_empty() {
        return Err(wrap("field Target must not be empty".into()));
    }
    if super::process::clean_path(&m.target.replace('\\', "/")) == "/" && m.target.starts_with('/')
    {
        return Err(wrap(
            "invalid specification: destination can't be '/'".into(),
        ));
    }
    if !m.target.starts_with('/') {
        return Err(wrap(format!(
            "invalid mount path: '{}' mount path must be absolute",
            m.target
        )));
    }
    match m.kind {
        MountKind::Bind if m.source.is_empty() => {
            Err(wrap("field Source must not be empty".into()))
        }
        MountKind::Image if m.source.is_empty() => {
            Err(wrap("field Source must not be empty".into()))
        }
        MountKind::Tmpfs if !m.source.is_empty() => {
            Err(wrap("field Source must not be specified".into()))
        }
        _ => Ok(()),
    }
}

/// Adds a port to a sorted list of ports, once. (A sorted vector, not a
/// `BTreeSet`: one set type less in the wasm.)
fn add_port(ports: &mut Vec<(u16, Protocol)>, port: (u16, Protocol)) {
    if let Err(at) = ports.binary_search(&port) {
        ports.insert(at, port);
    }
}

/// Checks one container port against the app model and EXPOSE.
fn check_port(
    host_port: u16,
    port: u16,
    proto: Protocol,
    app: Option<&AppModel>,
    declared: &[(u16, Protocol)],
    image_exposed: &[(u16, Protocol)],
) -> (PortStatus, Option<bool>, String) {
    if let Some(app) = app.filter(|a| !a.listeners.is_empty() || a.confidence == Confidence::Known)
    {
        let probably = if app.confidence == Confidence::Assumed {
            "probably "
        } else {
            ""
        };
        if let Some(l) = app
            .listeners
            .iter()
            .find(|l| l.port == port && l.protocol == proto)
        {
            if l.all_interfaces {
                return (
                    PortStatus::Listening,
                    Some(true),
                    format!(
                        "{} {probably}listens on {port}/{proto}, from {}.",
                        app.name, l.reason
                    ),
                );
            }
            return (
                PortStatus::LoopbackOnly,
                Some(false),
                format!(
                    "{} {probably}listens on {port}/{proto} only on {} inside the container (from {}), which a published port cannot reach.",
                    app.name, l.address, l.reason
                ),
            );
        }
        let what = if app.listeners.is_empty() {
            format!("{} does not listen on any port", app.name)
        } else {
            format!(
                "{} {probably}listens on {}",
                app.name,
                app.listeners
                    .iter()
                    .map(|l| {
                        let scope = if l.all_interfaces {
                            ""
                        } else {
                            " (localhost only)"
                        };
                        format!("{}/{}{scope}, from {}", l.port, l.protocol, l.reason)
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        let mut message =
            format!("nothing in the container {probably}listens on {port}/{proto}: {what}.");
        let reachable: Vec<&Listener> = app
            .listeners
            .iter()
            .filter(|l| l.all_interfaces && l.protocol == proto)
            .collect();
        if app.name.starts_with("ASP.NET Core")
            && reachable.iter().any(|l| {
                l.port == 8080
                    && l.reason
                        .contains("ASPNETCORE_HTTP_PORTS=8080 (set by the image)")
            })
        {
            message.push_str(
                " Since .NET 8 the aspnet images listen on 8080 (before .NET 8 they used 80).",
            );
        }
        if let [only] = reachable.as_slice() {
            message.push_str(&format!(" Use -p {host_port}:{} instead.", only.port));
        }
        return (PortStatus::NothingListening, Some(false), message);
    }
    if declared.contains(&(port, proto)) {
        return (
            PortStatus::Exposed,
            None,
            format!("the image EXPOSEs {port}/{proto}; LayerLab has no model of what the process listens on."),
        );
    }
    let hint = if image_exposed.is_empty() {
        "the image EXPOSEs no ports".to_string()
    } else {
        format!(
            "the image EXPOSEs {}",
            image_exposed
                .iter()
                .map(|(p, pr)| format!("{p}/{pr}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    (
        PortStatus::NotExposed,
        None,
        format!("{port}/{proto} is not EXPOSEd ({hint}) and LayerLab has no model of what the process listens on."),
    )
}

fn command_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if a.is_empty() || a.contains([' ', '"', '\'', '$', '&', ';', '|']) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe_pid1(
    argv: &[String],
    shell_form: bool,
    init: bool,
    app: Option<&AppModel>,
    stop_signal: &str,
    opts: &RunOptions,
) -> Pid1 {
    let shown = command_line(argv);
    let program = argv.first().map_or("", |p| basename(p)).to_string();
    let sigterm = stop_signal == "SIGTERM" || stop_signal == "TERM" || stop_signal == "15";
    let app_name = app.map_or_else(|| format!("`{program}`"), |a| a.name.clone());
    let script_execs = shell_form
        && argv
            .get(2)
            .is_some_and(|s| s.trim_start().starts_with("exec "));
    if init {
        let mut full = vec!["/sbin/docker-init".to_string(), "--".to_string()];
        full.extend(argv.iter().cloned());
        return Pid1 {
            argv: full,
            kind: Pid1Kind::Init,
            description: format!(
                "PID 1 is docker-init (tini, added by --init); it starts `{shown}` as its child."
            ),
            signals: format!(
                "docker stop sends {stop_signal} to docker-init, which forwards it to the child and reaps zombie processes."
            ),
            stop_signal: stop_signal.to_string(),
        };
    }
    if shell_form && !script_execs {
        let shell = argv.first().cloned().unwrap_or_default();
        return Pid1 {
            argv: argv.to_vec(),
            kind: Pid1Kind::Shell,
            description: format!(
                "PID 1 is {shell} (shell form): it runs the command string `{}` as its child process.",
                argv.get(2).map_or("", String::as_str)
            ),
            signals: format!(
                "docker stop sends {stop_signal} to {shell}, which does not forward it to the app: after 10 seconds Docker kills everything with SIGKILL, with no graceful shutdown. Use the exec form (JSON array), `exec` in the script, or --init."
            ),
            stop_signal: stop_signal.to_string(),
        };
    }
    let handles = app.and_then(|a| a.handles_sigterm);
    let signals = match (sigterm, handles) {
        (true, Some(true)) => format!(
            "docker stop sends SIGTERM straight to {app_name}, which handles it and shuts down gracefully{}.",
            if opts.tty && opts.interactive { "; Ctrl+C in the attached terminal sends SIGINT the same way" } else { "" }
        ),
        (true, Some(false)) => format!(
            "docker stop sends SIGTERM to {app_name}; as PID 1 a signal without a handler is ignored, and this program installs none by default, so Docker kills it with SIGKILL after 10 seconds (add a handler or use --init)."
        ),
        _ => format!(
            "docker stop sends {stop_signal} straight to {app_name}; as PID 1 it must handle the signal itself (signals without a handler are ignored for PID 1), else Docker kills it with SIGKILL after 10 seconds."
        ),
    };
    Pid1 {
        argv: argv.to_vec(),
        kind: Pid1Kind::App,
        description: if script_execs {
            format!("PID 1 starts as a shell, which `exec`s the app: `{program}` then runs as PID 1 itself.")
        } else {
            format!("PID 1 is `{shown}` itself (exec form): no shell in between.")
        },
        signals,
        stop_signal: stop_signal.to_string(),
    }
}

fn user_sentence(plan: &RunPlan, opts: &RunOptions, image: &ImageConfig) -> String {
    let u = &plan.user;
    let who = match &u.name {
        Some(n) => format!("{n} (uid {}, gid {})", u.uid, u.gid),
        None => format!("uid {} (no /etc/passwd entry; gid {})", u.uid, u.gid),
    };
    let source = if let Some(spec) = &opts.user {
        format!("from -u {spec}")
    } else if !image.user.is_empty() {
        format!("from the image's USER {}", image.user)
    } else {
        "the image sets no USER".to_string()
    };
    let mut s = format!("It runs as {who}: {source}.");
    if u.uid == 0 {
        if let Some(app_uid) = image.env_value("APP_UID") {
            s.push_str(&format!(
                " The image defines APP_UID={app_uid} for those who opt in to its non-root user (USER $APP_UID in the Dockerfile, or -u {app_uid})."
            ));
        }
    }
    s
}

fn explain(
    plan: &RunPlan,
    opts: &RunOptions,
    image: &ImageConfig,
    argv_notes: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    match plan.command {
        RunCommand::Run => out.push(format!(
            "docker run creates a container from the image {} and starts it.",
            plan.image
        )),
        RunCommand::Create => out.push(format!(
            "docker create only creates the container from the image {} (status Created); `docker start {}` starts the process below.",
            plan.image, plan.name
        )),
    }
    out.extend(argv_notes.iter().cloned());
    let cwd_source = if opts.workdir.is_some() {
        "set with -w"
    } else if image.working_dir.is_empty() {
        "the image sets no WORKDIR"
    } else {
        "the image's WORKDIR"
    };
    out.push(format!(
        "The process `{}` starts in {} ({cwd_source}).",
        command_line(&plan.argv),
        plan.cwd
    ));
    out.push(user_sentence(plan, opts, image));
    out.push(plan.pid1.description.clone());
    out.push(plan.pid1.signals.clone());
    for m in &plan.ports {
        let host = if m.host_ip.is_empty() {
            format!("port {} of every host interface", m.host_port)
        } else {
            format!("{}:{}", display_ip(&m.host_ip), m.host_port)
        };
        let flag = match m.source {
            PortSource::Publish => format!("-p {}", mapping_flag(m)),
            PortSource::PublishAll => "-P".to_string(),
        };
        let browse = if m.protocol == Protocol::Tcp && m.status == PortStatus::Listening {
            let host_for_url = if m.host_ip.is_empty() || m.host_ip == "0.0.0.0" {
                "localhost".to_string()
            } else {
                display_ip(&m.host_ip)
            };
            let scheme = plan
                .listening
                .iter()
                .find(|l| l.port == m.container_port)
                .and_then(|l| l.scheme.clone())
                .unwrap_or_else(|| "http".into());
            format!(": browse {scheme}://{host_for_url}:{}", m.host_port)
        } else {
            String::new()
        };
        out.push(format!(
            "{flag} publishes container port {}/{} on {host}{browse}.",
            m.container_port, m.protocol
        ));
    }
    if let Some(app) = &plan.app {
        out.extend(app.notes.iter().cloned());
    }
    if opts.interactive && opts.tty {
        out.push(if opts.detach {
            "-it with -d: the container gets a terminal and open STDIN, but nothing is attached; `docker attach` connects to it later.".into()
        } else {
            "-i keeps STDIN open and -t allocates a terminal: together (-it) your terminal is connected to the process, Ctrl+C reaches it as SIGINT, and Ctrl+P Ctrl+Q detaches without stopping it.".into()
        });
    } else if opts.interactive {
        out.push("-i keeps STDIN open so you can pipe input to the process (no terminal: add -t for an interactive shell).".into());
    } else if opts.tty {
        out.push(
            "-t allocates a terminal but without -i your keystrokes are not sent to the process."
                .into(),
        );
    }
    if plan.command == RunCommand::Run {
        out.push(if opts.detach {
            format!(
                "-d runs the container in the background: docker prints its ID and returns; see the output with `docker logs {}`.",
                plan.name
            )
        } else if !opts.interactive && !opts.tty {
            "Without -d, docker run stays attached and shows the process output until it exits.".into()
        } else {
            format!(
                "Without -d, docker run stays attached and shows the app's output until it exits (Ctrl+C, or `docker stop {}` from another terminal).",
                plan.name
            )
        });
    }
    if plan.remove_on_exit {
        out.push("--rm removes the container (and its anonymous volumes) as soon as it stops: it will not show in `docker ps -a` afterwards.".into());
    }
    if plan.named {
        out.push(format!(
            "--name {0} names the container: use {0} instead of the ID with docker exec, logs, stop; the name stays taken until the container is removed.",
            plan.name
        ));
    } else {
        out.push(format!(
            "Without --name, Docker picks a random name ({}).",
            plan.name
        ));
    }
    if opts.hostname.is_none() && plan.network != "host" {
        out.push(format!(
            "The hostname is the container's short ID, {}.",
            plan.hostname
        ));
    }
    for m in &plan.mounts {
        let what = match m.kind {
            MountKind::Bind => format!("the host path {}", m.source),
            MountKind::Volume if m.source.is_empty() => "a new anonymous volume".into(),
            MountKind::Volume => format!("the volume {}", m.source),
            MountKind::Tmpfs => "a tmpfs (memory)".into(),
            MountKind::Image => format!("the image {}", m.source),
            MountKind::Other => "a mount".into(),
        };
        out.push(format!(
            "{} is mounted at {}{}.",
            capitalize(&what),
            m.target,
            if m.read_only { " (read-only)" } else { "" }
        ));
    }
    if plan.read_only {
        out.push("--read-only mounts the container's root file system read-only: writes fail except in volumes and tmpfs mounts.".into());
    }
    if plan.restart != "no" {
        out.push(format!(
            "--restart {} restarts the container when it exits{}.",
            plan.restart,
            if plan.restart == "on-failure" {
                " with a non-zero status"
            } else {
                ""
            }
        ));
    }
    if plan.network != "bridge" {
        out.push(format!("The container uses the {} network.", plan.network));
    }
    let run_env: Vec<&EnvVar> = plan
        .env_vars
        .iter()
        .filter(|v| v.origin == EnvOrigin::Run)
        .collect();
    if !run_env.is_empty() {
        out.push(format!(
            "-e/--env-file set {}.",
            run_env
                .iter()
                .map(|v| v.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl RunPlan {
    /// The plan as text, for the terminal and the docs.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "docker {}: container {} ({}) from image {}\n",
            self.command.name(),
            self.name,
            self.container_id.chars().take(12).collect::<String>(),
            self.image
        ));
        s.push_str("\nProcess\n");
        s.push_str(&format!("  argv      {}\n", json_array(&self.argv)));
        s.push_str(&format!("  PID 1     {}\n", json_array(&self.pid1.argv)));
        s.push_str(&format!("  cwd       {}\n", self.cwd));
        let user = match &self.user.name {
            Some(n) => format!("{n} (uid={}, gid={})", self.user.uid, self.user.gid),
            None => format!("uid={}, gid={}", self.user.uid, self.user.gid),
        };
        s.push_str(&format!("  user      {user}\n"));
        s.push_str(&format!("  hostname  {}\n", self.hostname));
        s.push_str("\nEnvironment\n");
        for v in &self.env_vars {
            let origin = match v.origin {
                EnvOrigin::Docker => "docker",
                EnvOrigin::Image => "image",
                EnvOrigin::Run => "run",
                EnvOrigin::Runtime => "runtime",
            };
            s.push_str(&format!("  {} [{origin}]\n", v.entry()));
        }
        s.push_str("\nPorts\n");
        if self.ports.is_empty() {
            s.push_str("  (none published)\n");
        }
        for p in &self.ports {
            let status = match p.status {
                PortStatus::Listening => "ok",
                PortStatus::NothingListening => "NOTHING LISTENING",
                PortStatus::LoopbackOnly => "LOCALHOST ONLY",
                PortStatus::Exposed => "exposed",
                PortStatus::NotExposed => "not exposed",
            };
            s.push_str(&format!("  {}  {status}: {}\n", p.display(), p.message));
        }
        if !self.listening.is_empty() {
            s.push_str("\nListening in the container\n");
            for l in &self.listening {
                let scope = if l.all_interfaces {
                    "all interfaces"
                } else {
                    "localhost only"
                };
                s.push_str(&format!(
                    "  {}/{}  {scope} ({}): from {}\n",
                    l.port, l.protocol, l.address, l.reason
                ));
            }
        }
        if !self.warnings.is_empty() {
            s.push_str("\nWarnings\n");
            for w in &self.warnings {
                s.push_str(&format!("  ! {w}\n"));
            }
        }
        s.push_str("\nWhat happens\n");
        for e in &self.explanation {
            s.push_str(&format!("  - {e}\n"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::super::args::{parse_run_args, HostInput};
    use super::*;
    use crate::image::EmptyObject;

    const ID: &str = "4f3c2b1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";
    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
app:x:1654:1654::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\ndaemon:x:1:\napp:x:1654:\n";

    /// An aspnet:8.0-like final image with the tutorial's app.
    fn aspnetapp() -> ImageConfig {
        let mut c = ImageConfig {
            env: vec![
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                "APP_UID=1654".into(),
                "ASPNETCORE_HTTP_PORTS=8080".into(),
                "DOTNET_RUNNING_IN_CONTAINER=true".into(),
                "DOTNET_VERSION=8.0.11".into(),
                "ASPNET_VERSION=8.0.11".into(),
            ],
            entrypoint: Some(vec!["dotnet".into(), "aspnetapp.dll".into()]),
            working_dir: "/app".into(),
            ..Default::default()
        };
        c.exposed_ports
            .insert("8080/tcp".into(), Box::new(EmptyObject {}));
        c
    }

    fn input() -> ContainerInput {
        ContainerInput {
            passwd: Some(PASSWD.into()),
            group: Some(GROUP.into()),
            ..ContainerInput::new(ID)
        }
    }

    fn plan(
        args: &[&str],
        image: &ImageConfig,
        input: &ContainerInput,
    ) -> Result<RunPlan, DockerError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let opts = parse_run_args(RunCommand::Run, &args, &HostInput::default())?;
        plan_run(&opts, image, input)
    }

    /// A one-line summary of a plan (argv, cwd, user, ports) or the error.
    fn summary(args: &[&str], image: &ImageConfig) -> String {
        match plan(args, image, &input()) {
            Ok(p) => {
                let ports: Vec<String> = p
                    .ports
                    .iter()
                    .map(|m| format!("{} {:?}", m.display(), m.status))
                    .collect();
                format!(
                    "argv={} cwd={} user={}:{} pid1={:?} ports=[{}]",
                    json_array(&p.argv),
                    p.cwd,
                    p.user.uid,
                    p.user.gid,
                    p.pid1.kind,
                    ports.join(", ")
                )
            }
            Err(e) => format!("error({}): {}", e.exit_code, e.message),
        }
    }

    fn check(args: &[&str], image: &ImageConfig, expected: &str) {
        assert_eq!(summary(args, image), expected, "for {args:?}");
    }

    const HELP: &str = "\n\nRun 'docker run --help' for more information";

    #[test]
    fn tutorial_run() {
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
            &aspnetapp(),
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:5000->8080/tcp Listening]"#,
        );
        let p = plan(
            &[
                "-it",
                "--rm",
                "-p",
                "5000:8080",
                "--name",
                "aspnetcore_sample",
                "aspnetapp",
            ],
            &aspnetapp(),
            &input(),
        );
        let Ok(p) = p else {
            panic!("plan failed: {p:?}");
        };
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.ports[0].listening, Some(true));
        assert_eq!(p.hostname, "4f3c2b1a0d9e");
        assert!(p.remove_on_exit && p.interactive && p.tty && !p.detach);
        assert_eq!(p.name, "aspnetcore_sample");
        assert_eq!(
            p.env,
            [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=4f3c2b1a0d9e",
                "TERM=xterm",
                "APP_UID=1654",
                "ASPNETCORE_HTTP_PORTS=8080",
                "DOTNET_RUNNING_IN_CONTAINER=true",
                "DOTNET_VERSION=8.0.11",
                "ASPNET_VERSION=8.0.11",
                "HOME=/root",
            ]
        );
    }

    #[test]
    fn older_tutorial_port_80_warns() {
        let p = plan(
            &[
                "-it",
                "--rm",
                "-p",
                "5000:80",
                "--name",
                "aspnetcore_sample",
                "aspnetapp",
            ],
            &aspnetapp(),
            &input(),
        );
        let Ok(p) = p else {
            panic!("plan failed: {p:?}");
        };
        assert_eq!(p.ports[0].status, PortStatus::NothingListening);
        assert_eq!(p.ports[0].listening, Some(false));
        assert_eq!(
            p.warnings,
            ["-p 5000:80: nothing in the container listens on 80/tcp: ASP.NET Core (aspnetapp.dll) listens on 8080/tcp, from ASPNETCORE_HTTP_PORTS=8080 (set by the image). Since .NET 8 the aspnet images listen on 8080 (before .NET 8 they used 80). Use -p 5000:8080 instead."]
        );
        // Setting the port back to 80 with -e makes -p 5000:80 right.
        check(
            &[
                "-e",
                "ASPNETCORE_HTTP_PORTS=80",
                "-p",
                "5000:80",
                "aspnetapp",
            ],
            &aspnetapp(),
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:5000->80/tcp Listening]"#,
        );
        check(
            &[
                "-e",
                "ASPNETCORE_URLS=http://+:80;https://+:443",
                "-p",
                "5000:80",
                "-p",
                "5001:443",
                "aspnetapp",
            ],
            &aspnetapp(),
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:5000->80/tcp Listening, 0.0.0.0:5001->443/tcp Listening]"#,
        );
        check(
            &[
                "-e",
                "ASPNETCORE_URLS=http://localhost:8080",
                "-p",
                "5000:8080",
                "aspnetapp",
            ],
            &aspnetapp(),
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:5000->8080/tcp LoopbackOnly]"#,
        );
    }

    #[test]
    fn publish_all_and_ephemeral_ports() {
        let mut img = aspnetapp();
        img.exposed_ports
            .insert("8443/tcp".into(), Box::new(EmptyObject {}));
        check(
            &["-P", "aspnetapp"],
            &img,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:32768->8080/tcp Listening, 0.0.0.0:32769->8443/tcp NothingListening]"#,
        );
        check(
            &["-P", "-p", "5000:8080", "--expose", "9000", "aspnetapp"],
            &img,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:5000->8080/tcp Listening, 0.0.0.0:32768->8443/tcp NothingListening, 0.0.0.0:32769->9000/tcp NothingListening]"#,
        );
        check(
            &["-p", "8080", "-p", "127.0.0.1::8080", "aspnetapp"],
            &img,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=0:0 pid1=App ports=[0.0.0.0:32768->8080/tcp Listening, 127.0.0.1:32769->8080/tcp Listening]"#,
        );
        let mut busy = input();
        busy.used_host_ports.push(UsedHostPort {
            host_ip: String::new(),
            port: 5000,
            protocol: Protocol::Tcp,
        });
        busy.used_host_ports.push(UsedHostPort {
            host_ip: String::new(),
            port: 32768,
            protocol: Protocol::Tcp,
        });
        let p = plan(&["-p", "5000-5010:8080", "-P", "aspnetapp"], &img, &busy);
        let ports: Vec<String> = p
            .as_ref()
            .map(|p| p.ports.iter().map(PortMapping::display).collect())
            .unwrap_or_default();
        assert_eq!(ports, ["0.0.0.0:5001->8080/tcp", "0.0.0.0:32769->8443/tcp"]);
        assert_eq!(p.map(|p| p.next_ephemeral_port), Ok(32770));
        let err = plan(
            &["--name", "web", "-p", "5000:8080", "aspnetapp"],
            &img,
            &busy,
        );
        assert_eq!(
            err.map_err(|e| e.message),
            Err(format!("docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint web ({ID}): Bind for 0.0.0.0:5000 failed: port is already allocated{HELP}"))
        );
        // Another IP on the same port is free.
        let ok = plan(&["-p", "127.0.0.2:5000:8080", "aspnetapp"], &img, &busy);
        assert!(ok.is_err(), "0.0.0.0:5000 is taken, so every address is");
    }

    fn img(ep: Option<&[&str]>, cmd: Option<&[&str]>) -> ImageConfig {
        let sv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ImageConfig {
            entrypoint: ep.map(sv),
            cmd: cmd.map(sv),
            ..Default::default()
        }
    }

    #[test]
    fn entrypoint_cmd_table_through_docker_run() {
        let sh_ep: &[&str] = &["/bin/sh", "-c", "exec_entry p1_entry"];
        let ex_ep: &[&str] = &["exec_entry", "p1_entry"];
        let sh_cmd: &[&str] = &["/bin/sh", "-c", "exec_cmd p1_cmd"];
        let ex_cmd: &[&str] = &["exec_cmd", "p1_cmd"];
        // Row "No CMD".
        check(
            &["i"],
            &img(None, None),
            &format!("error(125): docker: Error response from daemon: no command specified{HELP}"),
        );
        check(
            &["i"],
            &img(Some(sh_ep), None),
            r#"argv=["/bin/sh","-c","exec_entry p1_entry"] cwd=/ user=0:0 pid1=Shell ports=[]"#,
        );
        check(
            &["i"],
            &img(Some(ex_ep), None),
            r#"argv=["exec_entry","p1_entry"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        // Row CMD ["exec_cmd", "p1_cmd"].
        check(
            &["i"],
            &img(None, Some(ex_cmd)),
            r#"argv=["exec_cmd","p1_cmd"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        check(
            &["i"],
            &img(Some(sh_ep), Some(ex_cmd)),
            r#"argv=["/bin/sh","-c","exec_entry p1_entry","exec_cmd","p1_cmd"] cwd=/ user=0:0 pid1=Shell ports=[]"#,
        );
        check(
            &["i"],
            &img(Some(ex_ep), Some(ex_cmd)),
            r#"argv=["exec_entry","p1_entry","exec_cmd","p1_cmd"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        // Row CMD exec_cmd p1_cmd (shell form).
        check(
            &["i"],
            &img(None, Some(sh_cmd)),
            r#"argv=["/bin/sh","-c","exec_cmd p1_cmd"] cwd=/ user=0:0 pid1=Shell ports=[]"#,
        );
        check(
            &["i"],
            &img(Some(sh_ep), Some(sh_cmd)),
            r#"argv=["/bin/sh","-c","exec_entry p1_entry","/bin/sh","-c","exec_cmd p1_cmd"] cwd=/ user=0:0 pid1=Shell ports=[]"#,
        );
        check(
            &["i"],
            &img(Some(ex_ep), Some(sh_cmd)),
            r#"argv=["exec_entry","p1_entry","/bin/sh","-c","exec_cmd p1_cmd"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        // docker run IMAGE ARGS replaces CMD; --entrypoint clears it.
        check(
            &["i", "x"],
            &img(Some(ex_ep), Some(ex_cmd)),
            r#"argv=["exec_entry","p1_entry","x"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        check(
            &["--entrypoint", "top", "i"],
            &img(Some(ex_ep), Some(ex_cmd)),
            r#"argv=["top"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        check(
            &["--entrypoint", "", "i", "ls"],
            &img(Some(ex_ep), Some(ex_cmd)),
            r#"argv=["ls"] cwd=/ user=0:0 pid1=App ports=[]"#,
        );
        check(
            &["--entrypoint=", "i"],
            &img(Some(ex_ep), Some(ex_cmd)),
            &format!("error(125): docker: Error response from daemon: no command specified{HELP}"),
        );
        check(
            &["--init", "i"],
            &img(Some(ex_ep), None),
            r#"argv=["exec_entry","p1_entry"] cwd=/ user=0:0 pid1=Init ports=[]"#,
        );
    }

    #[test]
    fn users() {
        let mut image = aspnetapp();
        check(
            &["-u", "app", "aspnetapp"],
            &image,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=1654:1654 pid1=App ports=[]"#,
        );
        check(
            &["-u", "4242", "aspnetapp"],
            &image,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/app user=4242:0 pid1=App ports=[]"#,
        );
        check(
            &["-u", "1000:1000", "-w", "/srv", "aspnetapp"],
            &image,
            r#"argv=["dotnet","aspnetapp.dll"] cwd=/srv user=1000:1000 pid1=App ports=[]"#,
        );
        image.user = "$APP_UID".into();
        check(&["aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: unable to find user $APP_UID: no matching entries in passwd file{HELP}"));
        image.user = "1654".into();
        let p = plan(&["aspnetapp"], &image, &input());
        assert_eq!(
            p.as_ref().map(|p| p.user.name.clone()),
            Ok(Some("app".into()))
        );
        assert!(p.is_ok_and(|p| p.env.last().map(String::as_str) == Some("HOME=/home/app")));
        check(&["-u", "nobody", "aspnetapp"], &aspnetapp(), &format!("error(125): docker: Error response from daemon: unable to find user nobody: no matching entries in passwd file{HELP}"));
    }

    #[test]
    fn daemon_errors() {
        let image = aspnetapp();
        check(&["--name", "bad name", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: Invalid container name (bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed{HELP}"));
        check(&["--name", "a", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed{HELP}"));
        check(&["-w", "app", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: the working directory 'app' is invalid, it needs to be an absolute path{HELP}"));
        check(&["--restart", "sometimes", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'{HELP}"));
        check(&["--restart", "always:3", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'{HELP}"));
        check(&["-p", "0", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: invalid port specification: \"0/tcp\"{HELP}"));
        check(&["-v", "/tmp:tmp", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: invalid volume specification: '/tmp:tmp': invalid mount config for type \"bind\": invalid mount path: 'tmp' mount path must be absolute{HELP}"));
        check(&["--mount", "type=volume,src=x", "aspnetapp"], &image, &format!("error(125): docker: Error response from daemon: invalid mount config for type \"volume\": field Target must not be empty{HELP}"));
        let e = name_conflict_error(RunCommand::Run, "aspnetcore_sample", ID);
        assert_eq!(e.message, format!("docker: Error response from daemon: Conflict. The container name \"/aspnetcore_sample\" is already in use by container \"{ID}\". You have to remove (or rename) that container to be able to reuse that name.{HELP}"));
        let mut no_tty = input();
        no_tty.stdin_is_terminal = false;
        let e = plan(&["-it", "aspnetapp"], &image, &no_tty);
        assert_eq!(
            e.map_err(|e| (e.exit_code, e.message)),
            Err((
                1,
                "cannot attach stdin to a TTY-enabled container because stdin is not a terminal"
                    .into()
            ))
        );
        assert!(plan(&["-itd", "aspnetapp"], &image, &no_tty).is_ok());
        let e = plan(&["-d", "-a", "stdout", "aspnetapp"], &image, &input());
        assert_eq!(
            e.map_err(|e| e.message),
            Err("conflicting options: cannot specify both --attach and --detach".into())
        );
    }

    #[test]
    fn apps_and_expose() {
        let nginx = {
            let mut c = img(
                Some(&["/docker-entrypoint.sh"]),
                Some(&["nginx", "-g", "daemon off;"]),
            );
            c.exposed_ports
                .insert("80/tcp".into(), Box::new(EmptyObject {}));
            c.stop_signal = "SIGQUIT".into();
            c
        };
        check(
            &["-p", "8080:80", "nginx"],
            &nginx,
            r#"argv=["/docker-entrypoint.sh","nginx","-g","daemon off;"] cwd=/ user=0:0 pid1=App ports=[0.0.0.0:8080->80/tcp Listening]"#,
        );
        check(
            &["-p", "8080:8080", "nginx"],
            &nginx,
            r#"argv=["/docker-entrypoint.sh","nginx","-g","daemon off;"] cwd=/ user=0:0 pid1=App ports=[0.0.0.0:8080->8080/tcp NothingListening]"#,
        );
        let unknown = {
            let mut c = img(None, Some(&["/usr/local/bin/myserver"]));
            c.exposed_ports
                .insert("9000/tcp".into(), Box::new(EmptyObject {}));
            c
        };
        check(
            &["-p", "9000:9000", "-p", "9001:9001", "x"],
            &unknown,
            r#"argv=["/usr/local/bin/myserver"] cwd=/ user=0:0 pid1=App ports=[0.0.0.0:9000->9000/tcp Exposed, 0.0.0.0:9001->9001/tcp NotExposed]"#,
        );
        let node = img(None, Some(&["/bin/sh", "-c", "node server.js"]));
        check(
            &["-p", "3000:3000", "-e", "PORT=3000", "n"],
            &node,
            r#"argv=["/bin/sh","-c","node server.js"] cwd=/ user=0:0 pid1=Shell ports=[0.0.0.0:3000->3000/tcp Listening]"#,
        );
        let flask = img(None, Some(&["flask", "run"]));
        check(
            &["-p", "5000:5000", "f"],
            &flask,
            r#"argv=["flask","run"] cwd=/ user=0:0 pid1=App ports=[0.0.0.0:5000->5000/tcp LoopbackOnly]"#,
        );
        let p = plan(
            &["--network", "host", "-p", "80:80", "nginx"],
            &nginx,
            &input(),
        );
        assert!(p
            .as_ref()
            .is_ok_and(|p| p.ports.is_empty() && p.hostname == "docker-desktop"));
        assert!(p
            .as_ref()
            .is_ok_and(|p| p.warnings[0].contains("published ports are discarded")));
        assert_eq!(
            p.map(|p| p.stderr),
            Ok(vec![
                "WARNING: Published ports are discarded when using host network mode".to_string()
            ])
        );
        check(
            &["--network", "container:web", "-p", "80:80", "nginx"],
            &nginx,
            &format!("error(125): docker: Error response from daemon: conflicting options: port publishing and the container type network mode{HELP}"),
        );
        check(
            &["--network", "container:", "nginx"],
            &nginx,
            &format!("error(125): docker: Error response from daemon: invalid network mode: invalid container format container:<name|id>{HELP}"),
        );
    }

    #[test]
    fn pid1_signals() {
        let p = plan(
            &["i"],
            &img(None, Some(&["/bin/sh", "-c", "node server.js"])),
            &input(),
        );
        assert!(p.is_ok_and(|p| p.pid1.signals.contains("does not forward it")));
        let p = plan(
            &["i"],
            &img(None, Some(&["/bin/sh", "-c", "exec node server.js"])),
            &input(),
        );
        assert!(p.as_ref().is_ok_and(|p| p.pid1.kind == Pid1Kind::App));
        assert!(p.is_ok_and(|p| p.pid1.signals.contains("installs none by default")));
        let p = plan(
            &["--init", "i"],
            &img(None, Some(&["node", "server.js"])),
            &input(),
        );
        assert_eq!(
            p.map(|p| p.pid1.argv),
            Ok(vec![
                "/sbin/docker-init".to_string(),
                "--".into(),
                "node".into(),
                "server.js".into()
            ])
        );
    }

    #[test]
    fn generated_names_are_stable() {
        assert_eq!(generate_name(ID), generate_name(ID));
        assert!(generate_name(ID).contains('_'));
        let p = plan(&["aspnetapp"], &aspnetapp(), &input());
        assert_eq!(p.map(|p| (p.name, p.named)), Ok((generate_name(ID), false)));
    }

    #[test]
    fn render_tutorial_text() {
        let p = plan(
            &[
                "-it",
                "--rm",
                "-p",
                "5000:8080",
                "--name",
                "aspnetcore_sample",
                "aspnetapp",
            ],
            &aspnetapp(),
            &input(),
        );
        let text = p.map(|p| p.render_text()).unwrap_or_default();
        assert_eq!(text, TUTORIAL_TEXT, "got:\n{text}");
    }

    #[test]
    fn render_port_80_text() {
        let p = plan(
            &["-d", "-p", "5000:80", "aspnetapp"],
            &aspnetapp(),
            &input(),
        );
        let text = p.map(|p| p.render_text()).unwrap_or_default();
        assert_eq!(text, PORT_80_TEXT, "got:\n{text}");
    }

    const TUTORIAL_TEXT: &str = r#"docker run: container aspnetcore_sample (4f3c2b1a0d9e) from image aspnetapp

Process
  argv      ["dotnet","aspnetapp.dll"]
  PID 1     ["dotnet","aspnetapp.dll"]
  cwd       /app
  user      root (uid=0, gid=0)
  hostname  4f3c2b1a0d9e

Environment
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin [image]
  HOSTNAME=4f3c2b1a0d9e [docker]
  TERM=xterm [docker]
  APP_UID=1654 [image]
  ASPNETCORE_HTTP_PORTS=8080 [image]
  DOTNET_RUNNING_IN_CONTAINER=true [image]
  DOTNET_VERSION=8.0.11 [image]
  ASPNET_VERSION=8.0.11 [image]
  HOME=/root [runtime]

Ports
  0.0.0.0:5000->8080/tcp  ok: ASP.NET Core (aspnetapp.dll) listens on 8080/tcp, from ASPNETCORE_HTTP_PORTS=8080 (set by the image).

Listening in the container
  8080/tcp  all interfaces (+): from ASPNETCORE_HTTP_PORTS=8080 (set by the image)

What happens
  - docker run creates a container from the image aspnetapp and starts it.
  - ENTRYPOINT ["dotnet","aspnetapp.dll"] (exec form) from the image.
  - The process `dotnet aspnetapp.dll` starts in /app (the image's WORKDIR).
  - It runs as root (uid 0, gid 0): the image sets no USER. The image defines APP_UID=1654 for those who opt in to its non-root user (USER $APP_UID in the Dockerfile, or -u 1654).
  - PID 1 is `dotnet aspnetapp.dll` itself (exec form): no shell in between.
  - docker stop sends SIGTERM straight to ASP.NET Core (aspnetapp.dll), which handles it and shuts down gracefully; Ctrl+C in the attached terminal sends SIGINT the same way.
  - -p 5000:8080 publishes container port 8080/tcp on port 5000 of every host interface: browse http://localhost:5000.
  - Since .NET 8 the official aspnet images set ASPNETCORE_HTTP_PORTS=8080 (earlier images set ASPNETCORE_URLS=http://+:80), so the app listens on 8080, not 80.
  - Kestrel endpoints configured in code or in appsettings.json (Kestrel:Endpoints) would take precedence over these settings.
  - -i keeps STDIN open and -t allocates a terminal: together (-it) your terminal is connected to the process, Ctrl+C reaches it as SIGINT, and Ctrl+P Ctrl+Q detaches without stopping it.
  - Without -d, docker run stays attached and shows the app's output until it exits (Ctrl+C, or `docker stop aspnetcore_sample` from another terminal).
  - --rm removes the container (and its anonymous volumes) as soon as it stops: it will not show in `docker ps -a` afterwards.
  - --name aspnetcore_sample names the container: use aspnetcore_sample instead of the ID with docker exec, logs, stop; the name stays taken until the container is removed.
  - The hostname is the container's short ID, 4f3c2b1a0d9e.
"#;
    const PORT_80_TEXT: &str = r#"docker run: container clever_newton (4f3c2b1a0d9e) from image aspnetapp

Process
  argv      ["dotnet","aspnetapp.dll"]
  PID 1     ["dotnet","aspnetapp.dll"]
  cwd       /app
  user      root (uid=0, gid=0)
  hostname  4f3c2b1a0d9e

Environment
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin [image]
  HOSTNAME=4f3c2b1a0d9e [docker]
  APP_UID=1654 [image]
  ASPNETCORE_HTTP_PORTS=8080 [image]
  DOTNET_RUNNING_IN_CONTAINER=true [image]
  DOTNET_VERSION=8.0.11 [image]
  ASPNET_VERSION=8.0.11 [image]
  HOME=/root [runtime]

Ports
  0.0.0.0:5000->80/tcp  NOTHING LISTENING: nothing in the container listens on 80/tcp: ASP.NET Core (aspnetapp.dll) listens on 8080/tcp, from ASPNETCORE_HTTP_PORTS=8080 (set by the image). Since .NET 8 the aspnet images listen on 8080 (before .NET 8 they used 80). Use -p 5000:8080 instead.

Listening in the container
  8080/tcp  all interfaces (+): from ASPNETCORE_HTTP_PORTS=8080 (set by the image)

Warnings
  ! -p 5000:80: nothing in the container listens on 80/tcp: ASP.NET Core (aspnetapp.dll) listens on 8080/tcp, from ASPNETCORE_HTTP_PORTS=8080 (set by the image). Since .NET 8 the aspnet images listen on 8080 (before .NET 8 they used 80). Use -p 5000:8080 instead.

What happens
  - docker run creates a container from the image aspnetapp and starts it.
  - ENTRYPOINT ["dotnet","aspnetapp.dll"] (exec form) from the image.
  - The process `dotnet aspnetapp.dll` starts in /app (the image's WORKDIR).
  - It runs as root (uid 0, gid 0): the image sets no USER. The image defines APP_UID=1654 for those who opt in to its non-root user (USER $APP_UID in the Dockerfile, or -u 1654).
  - PID 1 is `dotnet aspnetapp.dll` itself (exec form): no shell in between.
  - docker stop sends SIGTERM straight to ASP.NET Core (aspnetapp.dll), which handles it and shuts down gracefully.
  - -p 5000:80 publishes container port 80/tcp on port 5000 of every host interface.
  - Since .NET 8 the official aspnet images set ASPNETCORE_HTTP_PORTS=8080 (earlier images set ASPNETCORE_URLS=http://+:80), so the app listens on 8080, not 80.
  - Kestrel endpoints configured in code or in appsettings.json (Kestrel:Endpoints) would take precedence over these settings.
  - -d runs the container in the background: docker prints its ID and returns; see the output with `docker logs clever_newton`.
  - Without --name, Docker picks a random name (clever_newton).
  - The hostname is the container's short ID, 4f3c2b1a0d9e.
"#;
}
