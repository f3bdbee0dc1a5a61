//! Containers as state: `docker run` / `create` / `start` / `ps` /
//! `exec` / `stop` / `kill` / `rm` / `logs` / `port` / `container
//! inspect` / `container prune`, over the run semantics of
//! [`crate::run`] (argument parsing, the run plan, exec against the
//! container's file system).
//!
//! A container started in the foreground is shown as attached (its
//! modelled output is printed), and keeps running after the command
//! returns, as the tutorial's second terminal sees it, until `docker
//! stop`. A process that ends by itself (`echo hi`, a shell without
//! `-i`) runs to completion: the container is then exited (and removed
//! with `--rm`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::digest::sha256_hex;
use crate::image_store as store;
use crate::run::{
    self, exec_in_container, parse_exec_args, parse_run_args, plan_run, ContainerInput,
    ContainerView, ExecOptions, FsEntry, FsKind, HostInput, Pid1Kind, ProcessInfo, RunCommand,
    RunPlan, ToolFamily, UsedHostPort,
};
use crate::shared_sort;
use crate::state::{State, StoredImage};

use super::cli::{header, render, usage, Ctx, Res};
use super::flags::{self, b, v, CliError, Command};
use super::format::{ago, ellipsis, go_quote, go_time_string, human_size3, rfc3339, truncate_id};
use super::images::{pull_lines, MAP_KEYS};
use super::template::Value;

/// A published port of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    /// Host IP as given (empty: all interfaces, IPv4 and IPv6).
    pub host_ip: String,
    /// Host port.
    pub host_port: u16,
    /// Container port.
    pub container_port: u16,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

/// A container of the simulated daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// Full ID (64 hex digits).
    pub id: String,
    /// Name without the leading `/`.
    pub name: String,
    /// The image as given on the command line.
    pub image: String,
    /// The image's ID.
    pub image_id: String,
    /// Creation order.
    pub serial: u64,
    /// Creation time (modelled clock, Unix seconds).
    pub created: i64,
    /// Last start (0: never started).
    #[serde(default)]
    pub started_at: i64,
    /// Last exit (0: never exited).
    #[serde(default)]
    pub finished_at: i64,
    /// Whether the process runs.
    #[serde(default)]
    pub running: bool,
    /// Exit status of the last run.
    #[serde(default)]
    pub exit_code: i32,
    /// `--rm`.
    #[serde(default)]
    pub auto_remove: bool,
    /// The process's program.
    pub path: String,
    /// Its arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// The effective ENTRYPOINT.
    #[serde(default)]
    pub entrypoint: Vec<String>,
    /// The effective CMD.
    #[serde(default)]
    pub cmd: Vec<String>,
    /// `Config.Env`.
    #[serde(default)]
    pub config_env: Vec<String>,
    /// The process environment.
    #[serde(default)]
    pub env: Vec<String>,
    /// Working directory.
    #[serde(default)]
    pub working_dir: String,
    /// The user spec (image USER or `-u`), empty for root.
    #[serde(default)]
    pub user: String,
    /// Hostname.
    #[serde(default)]
    pub hostname: String,
    /// Published ports.
    #[serde(default)]
    pub ports: Vec<PortBinding>,
    /// Exposed ports (`8080/tcp`).
    #[serde(default)]
    pub exposed: Vec<String>,
    /// `-t`.
    #[serde(default)]
    pub tty: bool,
    /// `-i`.
    #[serde(default)]
    pub interactive: bool,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Network mode.
    #[serde(default)]
    pub network: String,
    /// Restart policy name.
    #[serde(default)]
    pub restart: String,
    /// `--init`.
    #[serde(default)]
    pub init: bool,
    /// `--read-only`.
    #[serde(default)]
    pub read_only: bool,
    /// The signal `docker stop` sends.
    #[serde(default)]
    pub stop_signal: String,
    /// PID 1's argv.
    #[serde(default)]
    pub pid1: Vec<String>,
    /// Whether PID 1 ends on the stop signal (false: killed after the
    /// timeout).
    #[serde(default)]
    pub stops_on_signal: bool,
    /// What the program is, if LayerLab knows it.
    #[serde(default)]
    pub app: Option<String>,
    /// Modelled output, one line each.
    #[serde(default)]
    pub logs: Vec<String>,
    /// What the process prints each time it starts, one line each.
    #[serde(default)]
    pub run_output: Vec<String>,
    /// Its exit status when it ends by itself (`None`: it keeps running
    /// until stopped).
    #[serde(default)]
    pub run_exit: Option<i32>,
}

impl Container {
    /// Starts (or restarts) the process at `now`.
    fn begin(&mut self, now: i64) {
        self.started_at = now;
        self.finished_at = 0;
        self.logs.extend(self.run_output.iter().cloned());
        match self.run_exit {
            None => self.running = true,
            Some(code) => {
                self.running = false;
                self.finished_at = now;
                self.exit_code = code;
            }
        }
    }
}

impl Container {
    /// The daemon's `Command` column (`dotnet aspnetapp.dll`; arguments
    /// with spaces single-quoted).
    pub fn command(&self) -> String {
        if self.args.is_empty() {
            return self.path.clone();
        }
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("'{a}'")
                } else {
                    a.clone()
                }
            })
            .collect();
        format!("{} {}", self.path, args.join(" "))
    }

    /// The daemon's status text (`Up 10 seconds`, `Exited (0) 5 seconds
    /// ago`, `Created`).
    pub fn status(&self, now: i64) -> String {
        if self.running {
            return format!(
                "Up {}",
                super::format::human_duration(now - self.started_at)
            );
        }
        if self.started_at == 0 {
            return "Created".into();
        }
        format!("Exited ({}) {}", self.exit_code, ago(now, self.finished_at))
    }

    /// `running`, `exited` or `created`.
    pub fn state(&self) -> &'static str {
        if self.running {
            "running"
        } else if self.started_at == 0 {
            "created"
        } else {
            "exited"
        }
    }

    fn bindings(&self) -> Vec<(String, u16, u16, String)> {
        let mut out = Vec::new();
        for p in &self.ports {
            if p.host_ip.is_empty() {
                out.push((
                    "0.0.0.0".to_string(),
                    p.host_port,
                    p.container_port,
                    p.protocol.clone(),
                ));
                out.push((
                    "::".to_string(),
                    p.host_port,
                    p.container_port,
                    p.protocol.clone(),
                ));
            } else {
                out.push((
                    p.host_ip.clone(),
                    p.host_port,
                    p.container_port,
                    p.protocol.clone(),
                ));
            }
        }
        out
    }
}

fn join_host_port(ip: &str, port: &str) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The formatter's `DisplayablePorts` (`0.0.0.0:5000->8080/tcp,
/// [::]:5000->8080/tcp`).
pub fn displayable_ports(c: &Container) -> String {
    // (private, ip, public, type)
    let mut ports: Vec<(u16, Option<String>, u16, String)> = Vec::new();
    if c.running {
        for (ip, host, cport, proto) in c.bindings() {
            ports.push((cport, Some(ip), host, proto));
        }
        for e in &c.exposed {
            let (port, proto) = e.split_once('/').unwrap_or((e.as_str(), "tcp"));
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            if !ports
                .iter()
                .any(|p| p.0 == port && p.3 == proto && p.1.is_some())
            {
                ports.push((port, None, 0, proto.to_string()));
            }
        }
    }
    let ip_key = |ip: &Option<String>| match ip {
        None => (0u8, String::new()),
        Some(i) if i.contains(':') => (2, i.clone()),
        Some(i) => (1, i.clone()),
    };
    shared_sort::sort_by(&mut ports, |a, b| {
        a.0.cmp(&b.0)
            .then(ip_key(&a.1).cmp(&ip_key(&b.1)))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result: Vec<String> = Vec::new();
    let mut host_mappings = Vec::new();
    let form = |key: &str, first: u16, last: u16| {
        let parts: Vec<&str> = key.split('/').collect();
        let (ip, kind) = if parts.len() > 1 {
            (Some(parts[0]), parts[1])
        } else {
            (None, parts[0])
        };
        let mut g = first.to_string();
        if first != last {
            g = format!("{g}-{last}");
        }
        if let Some(ip) = ip {
            g = format!("{}->{g}", join_host_port(ip, &g));
        }
        format!("{g}/{kind}")
    };
    for (private, ip, public, kind) in &ports {
        let mut key = kind.clone();
        if let Some(ip) = ip {
            if public != private {
                host_mappings.push(format!(
                    "{}->{private}/{kind}",
                    join_host_port(ip, &public.to_string())
                ));
                continue;
            }
            key = format!("{ip}/{kind}");
        }
        match groups.iter_mut().find(|g| g.0 == key) {
            None => groups.push((key, *private, *private)),
            Some(g) => {
                if *private == g.2 + 1 {
                    g.2 = *private;
                } else {
                    result.push(form(&g.0, g.1, g.2));
                    g.1 = *private;
                    g.2 = *private;
                }
            }
        }
    }
    for g in &groups {
        result.push(form(&g.0, g.1, g.2));
    }
    result.extend(host_mappings);
    result.join(", ")
}

/// The IMAGE column of `docker ps`: the name given, or the image ID
/// when that name now refers to another image (the daemon's list).
pub fn image_column(state: &State, c: &Container, trunc: bool) -> String {
    let image = match store::lookup(state, &c.image) {
        Some(id) if id == c.image_id => c.image.clone(),
        _ => c.image_id.clone(),
    };
    if image.is_empty() {
        return "<no image>".into();
    }
    if !trunc {
        return image;
    }
    if truncate_id(&c.image_id) == truncate_id(&image) {
        return truncate_id(&image);
    }
    match crate::catalog::Reference::parse(&image) {
        Ok(r) => crate::catalog::Reference { digest: None, ..r }.familiar(),
        Err(_) => image,
    }
}

/// Finds a container by full ID, name (with or without `/`) or ID
/// prefix, as the daemon does.
pub(crate) fn find_container(state: &State, name: &str) -> Result<String, CliError> {
    if name.is_empty() {
        return Err(CliError::daemon("No such container: "));
    }
    if state.containers.contains_key(name) {
        return Ok(name.to_string());
    }
    let n = name.trim_start_matches('/');
    if let Some(c) = state.containers.values().find(|c| c.name == n) {
        return Ok(c.id.clone());
    }
    let matches: Vec<&String> = state
        .containers
        .keys()
        .filter(|id| id.starts_with(name))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(CliError::daemon(format!("No such container: {name}"))),
        _ => Err(CliError::daemon(format!(
            "Multiple IDs found with provided prefix: {name}"
        ))),
    }
}

fn host_input(ctx: &mut Ctx<'_>, args: &[String]) -> HostInput {
    let mut h = HostInput {
        env: ctx.host.env(),
        files: BTreeMap::new(),
    };
    let mut want = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        for &flag in &["--env-file", "--label-file"] {
            if a == flag {
                if let Some(f) = args.get(i + 1) {
                    want.push(f.clone());
                }
            } else if let Some(f) = a.strip_prefix(&format!("{flag}=")) {
                want.push(f.to_string());
            }
        }
        i += 1;
    }
    for f in want {
        if let Ok(bytes) = ctx.host.read_file(&f) {
            h.files
                .insert(f, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    h
}

/// The container's file system as `docker exec` sees it.
fn view(state: &State, c: &Container, img: Option<&StoredImage>) -> ContainerView {
    let fs = img.map(|i| store::filesystem(state, i)).unwrap_or_default();
    let mtime = img.map_or(store::EPOCH, |i| store::created(state, &i.id));
    let mut files = BTreeMap::new();
    for (path, node) in fs.iter() {
        if path == "/" {
            continue;
        }
        let (kind, size, content) = match &node.kind {
            crate::filesystem::NodeKind::File { content, size } => {
                let text = std::str::from_utf8(content)
                    .ok()
                    .filter(|_| content.len() as u64 == *size)
                    .map(str::to_string);
                (FsKind::File, *size, text)
            }
            crate::filesystem::NodeKind::Dir => (FsKind::Dir, 4096, None),
            crate::filesystem::NodeKind::Symlink(t) => {
                (FsKind::Symlink(t.clone()), t.len() as u64, None)
            }
        };
        files.insert(
            path.clone(),
            Box::new(FsEntry {
                kind,
                mode: node.mode,
                uid: node.uid,
                gid: node.gid,
                size,
                content,
                mtime,
            }),
        );
    }
    ContainerView {
        family: ToolFamily::detect(&files),
        files,
        hostname: c.hostname.clone(),
        config_env: c.config_env.clone(),
        working_dir: c.working_dir.clone(),
        user: c.user.clone(),
        processes: vec![ProcessInfo {
            pid: 1,
            ppid: 0,
            user: if c.user.is_empty() {
                "root".into()
            } else {
                c.user.clone()
            },
            argv: c.pid1.clone(),
        }],
        next_pid: 7 + u32::try_from(c.serial % 50).unwrap_or(0),
        now: store::now(state),
    }
}

/// Modelled startup output of known programs.
fn startup_logs(plan: &RunPlan) -> Vec<String> {
    let Some(app) = &plan.app else {
        return Vec::new();
    };
    if !app.name.starts_with("ASP.NET Core") {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for l in &app.listeners {
        let host = match l.address.as_str() {
            "+" | "*" | "" | "[::]" | "::" => "[::]".to_string(),
            a => a.to_string(),
        };
        let scheme = l.scheme.clone().unwrap_or_else(|| "http".into());
        lines.push("info: Microsoft.Hosting.Lifetime[14]".to_string());
        lines.push(format!(
            "      Now listening on: {scheme}://{host}:{}",
            l.port
        ));
    }
    lines.extend([
        "info: Microsoft.Hosting.Lifetime[0]".to_string(),
        "      Application started. Press Ctrl+C to shut down.".to_string(),
        "info: Microsoft.Hosting.Lifetime[0]".to_string(),
        "      Hosting environment: Production".to_string(),
        "info: Microsoft.Hosting.Lifetime[0]".to_string(),
        format!("      Content root path: {}", plan.cwd),
    ]);
    lines
}

fn shutdown_logs(c: &Container) -> Vec<String> {
    match &c.app {
        Some(a) if a.starts_with("ASP.NET Core") => vec![
            "info: Microsoft.Hosting.Lifetime[0]".into(),
            "      Application is shutting down...".into(),
        ],
        _ => Vec::new(),
    }
}

fn text_of_lines(lines: &[String], tty: bool) -> String {
    let eol = if tty { "\r\n" } else { "\n" };
    lines.iter().map(|l| format!("{l}{eol}")).collect()
}

fn is_shell(p: &str) -> bool {
    matches!(
        p.rsplit('/').next().unwrap_or(p),
        "sh" | "bash" | "ash" | "dash" | "zsh"
    )
}

/// `docker run` / `docker create`.
pub(crate) fn run(ctx: &mut Ctx<'_>, command: RunCommand, args: &[String]) -> Res {
    let host = host_input(ctx, args);
    let opts = parse_run_args(command, args, &host).map_err(|e| CliError {
        message: e.message,
        code: e.exit_code,
    })?;
    if opts.help {
        let path = if command == RunCommand::Run {
            "docker run"
        } else {
            "docker create"
        };
        let cmd = Command::new(path, "[OPTIONS] IMAGE [COMMAND] [ARG...]");
        let short = if command == RunCommand::Run {
            "Create and run a new container from an image"
        } else {
            "Create a new container"
        };
        return usage(ctx, &cmd, short);
    }
    let fail = |m: String| CliError {
        message: command.usage_error(&m).message,
        code: 125,
    };
    // The image: pulled when missing (`--pull missing`).
    let image_id = match store::lookup(ctx.state, &opts.image) {
        Some(id) if opts.pull != run::PullPolicy::Always => id,
        found => {
            let r = crate::catalog::Reference::parse(&opts.image).map_err(|e| fail(e.message))?;
            if opts.pull == run::PullPolicy::Never && found.is_none() {
                return Err(fail(format!(
                    "Error response from daemon: {}",
                    super::images::no_such_image(&opts.image)
                )));
            }
            let familiar = r.clone().with_default_tag().familiar();
            if found.is_none() {
                ctx.err
                    .push_str(&format!("Unable to find image '{familiar}' locally\n"));
            }
            let o = store::pull(ctx.state, &r.with_default_tag().to_string()).map_err(fail)?;
            store::advance(ctx.state, o.seconds);
            if !opts.quiet {
                ctx.err.push_str(&pull_lines(&o));
            }
            if !o.known {
                ctx.err.push_str(&format!("(layerlab) {}\n", o.description));
            }
            o.id
        }
    };
    let img = ctx.state.images.get(&image_id).cloned().ok_or_else(|| {
        fail(format!(
            "Error response from daemon: {}",
            super::images::no_such_image(&opts.image)
        ))
    })?;
    if let Some(name) = &opts.name {
        let n = name.trim_start_matches('/');
        if let Some(existing) = ctx.state.containers.values().find(|c| c.name == n) {
            let e = run::name_conflict_error(command, n, &existing.id);
            return Err(CliError {
                message: e.message,
                code: e.exit_code,
            });
        }
    }
    let serial = ctx.state.daemon.containers_created + 1;
    let id = sha256_hex(
        format!(
            "layerlab container {serial} {} {} {}",
            image_id,
            store::now(ctx.state),
            args.join("\u{0}")
        )
        .as_bytes(),
    );
    let fs = store::filesystem(ctx.state, &img);
    let read = |p: &str| {
        fs.read(p)
            .ok()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let mut generated = run::generate_name(&id);
    let mut k = 0u8;
    while ctx.state.containers.values().any(|c| c.name == generated) {
        generated = format!("{}{}", run::generate_name(&id), k % 10);
        k = k.wrapping_add(1);
        if k > 100 {
            generated = format!("{}_{}", run::generate_name(&id), &id[..6]);
            break;
        }
    }
    let used: Vec<UsedHostPort> = ctx
        .state
        .containers
        .values()
        .filter(|c| c.running)
        .flat_map(|c| {
            c.ports.iter().filter_map(|p| {
                run::parse_expose(&format!("{}/{}", p.container_port, p.protocol))
                    .ok()
                    .and_then(|v| v.first().map(|x| x.1))
                    .map(|protocol| UsedHostPort {
                        host_ip: p.host_ip.clone(),
                        port: p.host_port,
                        protocol,
                    })
            })
        })
        .collect();
    let input = ContainerInput {
        container_id: id.clone(),
        generated_name: generated,
        passwd: read("/etc/passwd"),
        group: read("/etc/group"),
        used_host_ports: used,
        next_ephemeral_port: if ctx.state.daemon.next_port == 0 {
            run::EPHEMERAL_PORT_START
        } else {
            ctx.state.daemon.next_port
        },
        stdin_is_terminal: ctx.host.stdin_is_terminal(),
        host_hostname: "docker-desktop".into(),
    };
    let plan = plan_run(&opts, &img.config, &input).map_err(|e| CliError {
        message: e.message,
        code: e.exit_code,
    })?;
    ctx.state.daemon.containers_created = serial;
    ctx.state.daemon.next_port = plan.next_ephemeral_port;
    let now = store::now(ctx.state);
    let (path, rest) = match plan.argv.split_first() {
        Some((p, r)) => (p.clone(), r.to_vec()),
        None => (String::new(), Vec::new()),
    };
    let stops_on_signal = match plan.pid1.kind {
        Pid1Kind::Shell => false,
        _ => plan
            .app
            .as_ref()
            .and_then(|a| a.handles_sigterm)
            .unwrap_or(false),
    };
    let mut c = Container {
        id: id.clone(),
        name: plan.name.clone(),
        image: opts.image.clone(),
        image_id: image_id.clone(),
        serial,
        created: now,
        started_at: 0,
        finished_at: 0,
        running: false,
        exit_code: 0,
        auto_remove: plan.remove_on_exit,
        path,
        args: rest,
        entrypoint: plan.entrypoint.clone(),
        cmd: plan.cmd.clone(),
        config_env: plan.config_env.clone(),
        env: plan.env.clone(),
        working_dir: plan.cwd.clone(),
        user: opts.user.clone().unwrap_or_else(|| img.config.user.clone()),
        hostname: plan.hostname.clone(),
        ports: plan
            .ports
            .iter()
            .map(|p| PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: p.host_port,
                container_port: p.container_port,
                protocol: p.protocol.as_str().to_string(),
            })
            .collect(),
        exposed: plan.exposed.clone(),
        tty: plan.tty,
        interactive: plan.interactive,
        labels: plan.labels.clone(),
        network: plan.network.clone(),
        restart: plan.restart.clone(),
        init: plan.init,
        read_only: plan.read_only,
        stop_signal: plan.pid1.stop_signal.clone(),
        pid1: plan.pid1.argv.clone(),
        stops_on_signal: stops_on_signal || plan.init,
        app: plan.app.as_ref().map(|a| a.name.clone()),
        logs: Vec::new(),
        run_output: Vec::new(),
        run_exit: None,
    };
    for line in &plan.stderr {
        ctx.err.push_str(line);
        ctx.err.push('\n');
    }
    let mut output = String::new();
    let mut process_stderr = String::new();
    let mut process_exit = None;
    let started = probe_process(ctx.state, &c, &img, &plan);
    let mut all = started.stdout.clone();
    all.push_str(&started.stderr);
    c.run_output = all.lines().map(str::to_string).collect();
    c.run_exit = started.exit;
    if command == RunCommand::Run {
        c.begin(now);
        output = started.stdout;
        process_stderr = started.stderr;
        process_exit = started.exit;
        if let Some(n) = started.note {
            if !ctx.json {
                ctx.err.push_str(&format!("(layerlab) {n}\n"));
            }
        }
    }
    let removed = process_exit.is_some() && c.auto_remove;
    if !removed {
        ctx.state.containers.insert(id.clone(), Box::new(c.clone()));
    }
    if ctx.json {
        let doc = run_json(&plan, &c, process_exit, &output, removed);
        ctx.out
            .push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        ctx.out.push('\n');
        return Ok(());
    }
    if command == RunCommand::Create || opts.detach {
        ctx.out.push_str(&id);
        ctx.out.push('\n');
    } else {
        ctx.out.push_str(&output);
        ctx.err.push_str(&process_stderr);
    }
    for w in &plan.warnings {
        ctx.err.push_str(&format!("(layerlab) warning: {w}\n"));
    }
    if command == RunCommand::Run && c.running && !opts.detach {
        ctx.err.push_str(&format!(
            "(layerlab) attached to {}: the container keeps running; stop it with `docker stop {}`{}\n",
            c.name,
            c.name,
            if c.auto_remove {
                " (--rm removes it then)"
            } else {
                ""
            }
        ));
    }
    match process_exit {
        Some(code) if !opts.detach && code != 0 => Err(CliError {
            message: String::new(),
            code,
        }),
        _ => Ok(()),
    }
}

/// What a started process printed.
struct Started {
    stdout: String,
    stderr: String,
    exit: Option<i32>,
    note: Option<String>,
}

/// What the container's process does when it starts: a long-running
/// program keeps running; a process that ends by itself is simulated to
/// its end.
fn probe_process(state: &State, c: &Container, img: &StoredImage, plan: &RunPlan) -> Started {
    let keep = |stdout: String, note: Option<String>| Started {
        stdout,
        stderr: String::new(),
        exit: None,
        note,
    };
    if plan.app.is_some() || plan.argv.is_empty() {
        return keep(text_of_lines(&startup_logs(plan), c.tty), None);
    }
    let argv = &plan.argv;
    let program = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    let waits = match program {
        "sleep" => argv.get(1).is_some_and(|a| a != "0"),
        "tail" => argv
            .iter()
            .any(|a| a == "-f" || a == "-F" || a == "--follow"),
        "cat" => argv.len() == 1 && c.interactive,
        _ => false,
    };
    if waits {
        return keep(String::new(), None);
    }
    if argv.len() == 1 && is_shell(&argv[0]) {
        if c.interactive {
            return keep(
                String::new(),
                Some(format!(
                    "{} is an interactive shell: type commands with `docker exec {} ...`",
                    argv[0], c.name
                )),
            );
        }
        // A shell with no input to read exits at once.
        return Started {
            stdout: String::new(),
            stderr: String::new(),
            exit: Some(0),
            note: None,
        };
    }
    let v = view(state, c, Some(img));
    let exec = ExecOptions {
        help: false,
        container: c.name.clone(),
        command: argv.clone(),
        interactive: c.interactive,
        tty: c.tty,
        detach: false,
        user: None,
        privileged: false,
        env: Vec::new(),
        workdir: None,
    };
    let r = exec_in_container(&v, &exec);
    if r.note.is_some() && r.exit_code == 0 && r.stdout.is_empty() {
        // Not simulated: assume a long-running program.
        return keep(String::new(), r.note);
    }
    Started {
        stdout: r.stdout,
        stderr: r.stderr,
        exit: Some(r.exit_code),
        note: r.note,
    }
}

fn run_json(
    plan: &RunPlan,
    c: &Container,
    exit: Option<i32>,
    output: &str,
    removed: bool,
) -> serde_json::Value {
    let notes = plan.explanation.clone();
    serde_json::json!({
        "container": {"id": c.id, "name": c.name, "image": c.image},
        "process": {
            "argv": plan.argv,
            "env": plan.env,
            "cwd": plan.cwd,
            "user": plan.user.display_name(),
            "uid": plan.user.uid,
            "pid": 1,
            "pid1": plan.pid1.argv,
        },
        "ports": plan.ports.iter().map(|p| serde_json::json!({
            "host_ip": if p.host_ip.is_empty() { "0.0.0.0" } else { p.host_ip.as_str() },
            "host_port": p.host_port,
            "container_port": p.container_port,
            "protocol": p.protocol.as_str(),
            "listening": p.listening.unwrap_or(false),
            "message": p.message,
        })).collect::<Vec<_>>(),
        "removed_on_exit": plan.remove_on_exit,
        "running": c.running,
        "exit_code": exit,
        "removed": removed,
        "output": output,
        "notes": notes,
        "warnings": plan.warnings,
    })
}

fn container_row(state: &State, c: &Container, trunc: bool, now: i64) -> Value {
    Value::Ctx(
        "*formatter.ContainerContext".into(),
        vec![
            (
                "Command".into(),
                Value::str(go_quote(&if trunc {
                    ellipsis(&c.command(), 20)
                } else {
                    c.command()
                })),
            ),
            ("CreatedAt".into(), Value::str(go_time_string(c.created))),
            ("HealthStatus".into(), Value::str("")),
            (
                "ID".into(),
                Value::str(if trunc {
                    truncate_id(&c.id)
                } else {
                    c.id.clone()
                }),
            ),
            ("Image".into(), Value::str(image_column(state, c, trunc))),
            (
                "Labels".into(),
                Value::str(
                    c.labels
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
            ("LocalVolumes".into(), Value::str("0")),
            ("Mounts".into(), Value::str("")),
            ("Names".into(), Value::str(&c.name)),
            ("Networks".into(), Value::str(&c.network)),
            ("Platform".into(), Value::Nil),
            ("Ports".into(), Value::str(displayable_ports(c))),
            ("RunningFor".into(), Value::str(ago(now, c.created))),
            ("Size".into(), Value::str(human_size3(0))),
            ("State".into(), Value::str(c.state())),
            ("Status".into(), Value::str(c.status(now))),
        ],
    )
}

/// `docker ps` / `docker container ls`.
pub(crate) fn ps(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("all", Some('a')),
                v("filter", Some('f')),
                v("format", None),
                v("last", Some('n')),
                b("latest", Some('l')),
                b("no-trunc", None),
                b("quiet", Some('q')),
                b("size", Some('s')),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "List containers");
    }
    flags::none(cmd, &p.args)?;
    let now = store::now(ctx.state);
    let mut list: Vec<&Container> = ctx.state.containers.values().map(|c| &**c).collect();
    shared_sort::sort_by_key(&mut list, |c| std::cmp::Reverse(c.serial));
    let last: i64 = match p.last("last") {
        Some(n) => n.parse().map_err(|_| CliError {
            message: format!(
                "invalid argument {} for \"-n, --last\" flag: strconv.ParseInt: parsing {}: invalid syntax\n\nUsage:  {}\n\nRun '{} --help' for more information",
                go_quote(n),
                go_quote(n),
                cmd.use_line(),
                cmd.path
            ),
            code: 125,
        })?,
        None => -1,
    };
    let last = if p.on("latest") { 1 } else { last };
    let all = p.on("all") || last > 0;
    let mut filters = Vec::new();
    for f in p.all("filter") {
        match f.split_once('=') {
            Some((k, v)) => filters.push((k.to_string(), v.to_string())),
            None => {
                return Err(CliError {
                    message: format!(
                        "invalid argument {} for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  {}\n\nRun '{} --help' for more information",
                        go_quote(&f),
                        cmd.use_line(),
                        cmd.path
                    ),
                    code: 125,
                })
            }
        }
    }
    let mut rows_src: Vec<&Container> = Vec::new();
    for c in list {
        if !all && !c.running {
            continue;
        }
        let mut ok = true;
        for (k, v) in &filters {
            ok &= match k.as_str() {
                "status" => c.state() == v,
                "name" => c.name.contains(v.as_str()),
                "id" => c.id.starts_with(v.as_str()),
                "ancestor" => {
                    c.image == *v || store::lookup(ctx.state, v).is_some_and(|id| id == c.image_id)
                }
                "label" => match v.split_once('=') {
                    Some((lk, lv)) => c.labels.get(lk).is_some_and(|x| x == lv),
                    None => c.labels.contains_key(v.as_str()),
                },
                "exited" => !c.running && c.started_at > 0 && c.exit_code.to_string() == *v,
                other => return Err(CliError::daemon(format!("invalid filter '{other}'"))),
            };
        }
        if ok {
            rows_src.push(c);
        }
    }
    if last > 0 {
        rows_src.truncate(usize::try_from(last).unwrap_or(0));
    }
    let trunc = !p.on("no-trunc");
    let rows: Vec<Value> = rows_src
        .iter()
        .map(|c| container_row(ctx.state, c, trunc, now))
        .collect();
    if ctx.json {
        ctx.out.push_str(&Value::List(rows).to_json(true));
        ctx.out.push('\n');
        return Ok(());
    }
    let quiet = p.on("quiet");
    let size = p.on("size");
    let format_flag = p.last("format").unwrap_or("");
    let format = match format_flag {
        "" | "table" => {
            if quiet {
                "{{.ID}}".to_string()
            } else if size {
                "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}\t{{.Size}}".to_string()
            } else {
                "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}".to_string()
            }
        }
        f if quiet => {
            let _ = f;
            "{{.ID}}".to_string()
        }
        f => f.to_string(),
    };
    let h = header(&[
        ("ID", "CONTAINER ID"),
        ("Names", "NAMES"),
        ("Image", "IMAGE"),
        ("Command", "COMMAND"),
        ("CreatedAt", "CREATED AT"),
        ("RunningFor", "CREATED"),
        ("Ports", "PORTS"),
        ("State", "STATE"),
        ("Status", "STATUS"),
        ("Size", "SIZE"),
        ("Labels", "LABELS"),
        ("Mounts", "MOUNTS"),
        ("LocalVolumes", "LOCAL VOLUMES"),
        ("Networks", "NETWORKS"),
        ("Platform", "PLATFORM"),
        ("HealthStatus", "HEALTH STATUS"),
    ]);
    ctx.out.push_str(&render(&format, &h, &rows)?);
    Ok(())
}

/// `docker exec`.
pub(crate) fn exec(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let host = host_input(ctx, args);
    let opts = parse_exec_args(args, &host).map_err(|e| CliError {
        message: e.message,
        code: e.exit_code,
    })?;
    if opts.help {
        return usage(
            ctx,
            &const { Command::new("docker exec", "[OPTIONS] CONTAINER COMMAND [ARG...]") },
            "Execute a command in a running container",
        );
    }
    let id = find_container(ctx.state, &opts.container)?;
    let Some(c) = ctx.state.containers.get(&id).cloned() else {
        return Err(CliError::daemon(format!(
            "No such container: {}",
            opts.container
        )));
    };
    if !c.running {
        return Err(CliError::daemon(format!(
            "container {} is not running",
            c.id
        )));
    }
    if opts.detach {
        return Ok(());
    }
    let img = ctx.state.images.get(&c.image_id).map(|i| (**i).clone());
    let v = view(ctx.state, &c, img.as_ref());
    let r = exec_in_container(&v, &opts);
    if ctx.json {
        ctx.out
            .push_str(&serde_json::to_string_pretty(&r).unwrap_or_default());
        ctx.out.push('\n');
    } else {
        ctx.out.push_str(&r.stdout);
        ctx.err.push_str(&r.stderr);
        if let Some(n) = &r.note {
            ctx.err.push_str(&format!("(layerlab) {n}\n"));
        }
    }
    if r.exit_code != 0 {
        return Err(CliError {
            message: String::new(),
            code: r.exit_code,
        });
    }
    Ok(())
}

/// `docker start`.
pub(crate) fn start(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("attach", Some('a')),
                b("interactive", Some('i')),
                v("detach-keys", None),
                v("checkpoint", None),
                v("checkpoint-dir", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Start one or more stopped containers");
    }
    flags::at_least(cmd, &p.args, 1)?;
    let mut failed = Vec::new();
    for name in &p.args {
        let id = match find_container(ctx.state, name) {
            Ok(id) => id,
            Err(e) => {
                ctx.err.push_str(&e.message);
                ctx.err.push('\n');
                failed.push(name.clone());
                continue;
            }
        };
        let Some(mut c) = ctx.state.containers.get(&id).cloned() else {
            continue;
        };
        if !c.running {
            let now = store::now(ctx.state);
            c.begin(now);
            if !c.running && c.auto_remove {
                ctx.state.containers.remove(&id);
            } else {
                ctx.state.containers.insert(id, c);
            }
        }
        if !p.on("attach") {
            ctx.out.push_str(name);
            ctx.out.push('\n');
        }
    }
    if !failed.is_empty() {
        return Err(CliError::new(format!(
            "Error: failed to start containers: {}",
            failed.join(", ")
        )));
    }
    Ok(())
}

/// `docker stop` and `docker kill`.
pub(crate) fn stop(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String], kill: bool) -> Res {
    let specs: &[flags::Flag] = if kill {
        &const { [v("signal", Some('s'))] }
    } else {
        &const {
            [
                v("signal", Some('s')),
                v("timeout", Some('t')),
                v("time", None),
            ]
        }
    };
    let p = flags::parse(cmd, specs, args, true)?;
    if p.on("help") {
        return usage(
            ctx,
            cmd,
            if kill {
                "Kill one or more running containers"
            } else {
                "Stop one or more running containers"
            },
        );
    }
    flags::at_least(cmd, &p.args, 1)?;
    let timeout: i64 = p
        .last("timeout")
        .or(p.last("time"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(10);
    let mut errs = Vec::new();
    let mut waited = 0i64;
    for name in &p.args {
        let id = match find_container(ctx.state, name) {
            Ok(id) => id,
            Err(e) => {
                errs.push(if kill {
                    format!(
                        "Error response from daemon: cannot kill container: {name}: {}",
                        e.message.trim_start_matches("Error response from daemon: ")
                    )
                } else {
                    e.message
                });
                continue;
            }
        };
        let Some(mut c) = ctx.state.containers.get(&id).cloned() else {
            continue;
        };
        if !c.running {
            if kill {
                errs.push(format!(
                    "Error response from daemon: cannot kill container: {name}: container {} is not running",
                    c.id
                ));
                continue;
            }
            ctx.out.push_str(name);
            ctx.out.push('\n');
            continue;
        }
        let signal = p
            .last("signal")
            .unwrap_or(if kill { "KILL" } else { "" })
            .to_uppercase();
        let signal = signal.trim_start_matches("SIG").to_string();
        let now = store::now(ctx.state);
        c.exit_code = if kill {
            match signal.as_str() {
                "KILL" | "9" => 137,
                "TERM" | "15" if c.stops_on_signal => 0,
                "INT" | "2" if c.stops_on_signal => 130,
                _ => 137,
            }
        } else if c.stops_on_signal {
            0
        } else {
            waited = waited.max(timeout);
            137
        };
        c.logs.extend(shutdown_logs(&c));
        c.running = false;
        c.finished_at = if c.exit_code == 137 && !kill {
            now + timeout
        } else {
            now
        };
        if c.auto_remove {
            ctx.state.containers.remove(&id);
        } else {
            ctx.state.containers.insert(id, c);
        }
        ctx.out.push_str(name);
        ctx.out.push('\n');
    }
    store::advance(ctx.state, waited);
    if !errs.is_empty() {
        return Err(CliError::new(errs.join("\n")));
    }
    Ok(())
}

/// `docker rm`.
pub(crate) fn rm(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("force", Some('f')),
                b("link", Some('l')),
                b("volumes", Some('v')),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Remove one or more containers");
    }
    flags::at_least(cmd, &p.args, 1)?;
    let mut errs = Vec::new();
    for name in &p.args {
        let id = match find_container(ctx.state, name) {
            Ok(id) => id,
            Err(e) => {
                errs.push(e.message);
                continue;
            }
        };
        let running = ctx.state.containers.get(&id).is_some_and(|c| c.running);
        if running && !p.on("force") {
            errs.push(format!(
                "Error response from daemon: cannot remove container \"{name}\": container is running: stop the container before removing or force remove"
            ));
            continue;
        }
        ctx.state.containers.remove(&id);
        ctx.out.push_str(name);
        ctx.out.push('\n');
    }
    if !errs.is_empty() {
        return Err(CliError::new(errs.join("\n")));
    }
    Ok(())
}

/// `docker logs`.
pub(crate) fn logs(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("details", None),
                b("follow", Some('f')),
                v("since", None),
                v("tail", Some('n')),
                b("timestamps", Some('t')),
                v("until", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Fetch the logs of a container");
    }
    flags::exact(cmd, &p.args, 1)?;
    let id = find_container(ctx.state, &p.args[0])?;
    let Some(c) = ctx.state.containers.get(&id) else {
        return Ok(());
    };
    let mut lines: Vec<String> = c.logs.clone();
    if let Some(t) = p.last("tail") {
        if t != "all" {
            let n: usize = t.parse().unwrap_or(lines.len());
            let skip = lines.len().saturating_sub(n);
            lines.drain(..skip);
        }
    }
    if p.on("timestamps") {
        let stamp = rfc3339(c.started_at.max(c.created));
        let stamp = stamp.replace('Z', ".000000000Z");
        lines = lines.into_iter().map(|l| format!("{stamp} {l}")).collect();
    }
    ctx.out.push_str(&text_of_lines(&lines, c.tty));
    Ok(())
}

/// Go's `sortorder.NaturalLess`, enough for port lines.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<(bool, u64, String)> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut digits = false;
        for ch in s.chars() {
            let d = ch.is_ascii_digit();
            if !cur.is_empty() && d != digits {
                out.push((digits, cur.parse().unwrap_or(0), cur.clone()));
                cur.clear();
            }
            digits = d;
            cur.push(ch);
        }
        if !cur.is_empty() {
            out.push((digits, cur.parse().unwrap_or(0), cur));
        }
        out
    };
    let (ka, kb) = (key(a), key(b));
    for (x, y) in ka.iter().zip(&kb) {
        let o = if x.0 && y.0 {
            x.1.cmp(&y.1).then(x.2.cmp(&y.2))
        } else {
            x.2.cmp(&y.2)
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    ka.len().cmp(&kb.len())
}

/// `docker port`.
pub(crate) fn port(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(cmd, &[], args, true)?;
    if p.on("help") {
        return usage(
            ctx,
            cmd,
            "List port mappings or a specific mapping for the container",
        );
    }
    flags::range(cmd, &p.args, 1, 2)?;
    let id = find_container(ctx.state, &p.args[0])?;
    let Some(c) = ctx.state.containers.get(&id) else {
        return Ok(());
    };
    let bindings = if c.running { c.bindings() } else { Vec::new() };
    let mut out: Vec<String> = Vec::new();
    if let Some(want) = p.args.get(1) {
        let (port, proto) = want.split_once('/').unwrap_or((want.as_str(), "tcp"));
        let found: Vec<String> = bindings
            .iter()
            .filter(|(_, _, cp, pr)| cp.to_string() == port && pr == proto)
            .map(|(ip, hp, _, _)| join_host_port(ip, &hp.to_string()))
            .collect();
        if found.is_empty() {
            return Err(CliError::new(format!(
                "no public port '{want}' published for {}",
                p.args[0]
            )));
        }
        out = found;
    } else {
        for (ip, hp, cp, pr) in &bindings {
            out.push(format!(
                "{cp}/{pr} -> {}",
                join_host_port(ip, &hp.to_string())
            ));
        }
    }
    shared_sort::sort_by(&mut out, |a, b| natural_cmp(a, b));
    if !out.is_empty() {
        ctx.out.push_str(&out.join("\n"));
        ctx.out.push('\n');
    }
    Ok(())
}

/// `docker container inspect` data for one container.
pub(crate) fn inspect_value(c: &Container) -> Value {
    let zero = "0001-01-01T00:00:00Z".to_string();
    let t = |x: i64| if x == 0 { zero.clone() } else { rfc3339(x) };
    let mut port_map = serde_json::Map::new();
    for e in &c.exposed {
        port_map.insert(e.clone(), serde_json::Value::Null);
    }
    let mut bindings_cfg = serde_json::Map::new();
    for p in &c.ports {
        let key = format!("{}/{}", p.container_port, p.protocol);
        let entry = serde_json::json!({"HostIp": p.host_ip, "HostPort": p.host_port.to_string()});
        match bindings_cfg.get_mut(&key) {
            Some(serde_json::Value::Array(a)) => a.push(entry),
            _ => {
                bindings_cfg.insert(key, serde_json::Value::Array(vec![entry]));
            }
        }
    }
    if c.running {
        for (ip, hp, cp, pr) in c.bindings() {
            let key = format!("{cp}/{pr}");
            let entry = serde_json::json!({"HostIp": ip, "HostPort": hp.to_string()});
            match port_map.get_mut(&key) {
                Some(serde_json::Value::Array(a)) => a.push(entry),
                _ => {
                    port_map.insert(key, serde_json::Value::Array(vec![entry]));
                }
            }
        }
    }
    let exposed: serde_json::Map<String, serde_json::Value> = shared_sort::collect_by_insert(
        c.exposed.iter().map(|e| (e.clone(), serde_json::json!({}))),
    );
    // Field order as Docker's `container.InspectResponse`.
    let fields: Vec<(&str, serde_json::Value)> = vec![
        ("Id", serde_json::json!(c.id)),
        ("Created", serde_json::json!(rfc3339(c.created))),
        ("Path", serde_json::json!(c.path)),
        ("Args", serde_json::json!(c.args)),
        ("State", serde_json::Value::Null),
        ("Image", serde_json::json!(c.image_id)),
        (
            "ResolvConfPath",
            serde_json::json!(format!("/var/lib/docker/containers/{}/resolv.conf", c.id)),
        ),
        (
            "HostnamePath",
            serde_json::json!(format!("/var/lib/docker/containers/{}/hostname", c.id)),
        ),
        (
            "HostsPath",
            serde_json::json!(format!("/var/lib/docker/containers/{}/hosts", c.id)),
        ),
        (
            "LogPath",
            serde_json::json!(format!("/var/lib/docker/containers/{0}/{0}-json.log", c.id)),
        ),
        ("Name", serde_json::json!(format!("/{}", c.name))),
        ("RestartCount", serde_json::json!(0)),
        ("Driver", serde_json::json!("overlay2")),
        ("Platform", serde_json::json!("linux")),
        ("MountLabel", serde_json::json!("")),
        ("ProcessLabel", serde_json::json!("")),
        ("AppArmorProfile", serde_json::json!("")),
        ("ExecIDs", serde_json::Value::Null),
        ("HostConfig", serde_json::Value::Null),
        ("Mounts", serde_json::json!([])),
        ("Config", serde_json::Value::Null),
        ("NetworkSettings", serde_json::Value::Null),
    ];
    let mut out = Vec::new();
    for (k, val) in fields {
        let v = match k {
            "State" => Value::Struct(
                "container.State".into(),
                vec![
                    ("Status".into(), Value::str(c.state())),
                    ("Running".into(), Value::Bool(c.running)),
                    ("Paused".into(), Value::Bool(false)),
                    ("Restarting".into(), Value::Bool(false)),
                    ("OOMKilled".into(), Value::Bool(false)),
                    ("Dead".into(), Value::Bool(false)),
                    (
                        "Pid".into(),
                        Value::Int(if c.running {
                            i64::try_from(1000 + c.serial * 37).unwrap_or(0)
                        } else {
                            0
                        }),
                    ),
                    ("ExitCode".into(), Value::Int(i64::from(c.exit_code))),
                    ("Error".into(), Value::str("")),
                    ("StartedAt".into(), Value::str(t(c.started_at))),
                    ("FinishedAt".into(), Value::str(t(c.finished_at))),
                ],
            ),
            "HostConfig" => Value::Struct(
                "container.HostConfig".into(),
                vec![
                    ("NetworkMode".into(), Value::str(&c.network)),
                    (
                        "PortBindings".into(),
                        Value::from_json(&serde_json::Value::Object(bindings_cfg.clone())),
                    ),
                    (
                        "RestartPolicy".into(),
                        Value::Struct(
                            "container.RestartPolicy".into(),
                            vec![
                                ("Name".into(), Value::str(&c.restart)),
                                ("MaximumRetryCount".into(), Value::Int(0)),
                            ],
                        ),
                    ),
                    ("AutoRemove".into(), Value::Bool(c.auto_remove)),
                    (
                        "Init".into(),
                        if c.init {
                            Value::Bool(true)
                        } else {
                            Value::Nil
                        },
                    ),
                    ("ReadonlyRootfs".into(), Value::Bool(c.read_only)),
                ],
            ),
            "Config" => {
                let mut f: Vec<(String, Value)> = vec![
                    ("Hostname".into(), Value::str(&c.hostname)),
                    ("Domainname".into(), Value::str("")),
                    ("User".into(), Value::str(&c.user)),
                    ("AttachStdin".into(), Value::Bool(c.interactive)),
                    ("AttachStdout".into(), Value::Bool(true)),
                    ("AttachStderr".into(), Value::Bool(true)),
                ];
                if !exposed.is_empty() {
                    f.push((
                        "ExposedPorts".into(),
                        Value::from_json(&serde_json::Value::Object(exposed.clone())),
                    ));
                }
                f.extend([
                    ("Tty".into(), Value::Bool(c.tty)),
                    ("OpenStdin".into(), Value::Bool(c.interactive)),
                    ("StdinOnce".into(), Value::Bool(c.interactive)),
                    ("Env".into(), Value::strs(&c.config_env)),
                    (
                        "Cmd".into(),
                        if c.cmd.is_empty() {
                            Value::Nil
                        } else {
                            Value::strs(&c.cmd)
                        },
                    ),
                    ("Image".into(), Value::str(&c.image)),
                    ("Volumes".into(), Value::Nil),
                    ("WorkingDir".into(), Value::str(&c.working_dir)),
                    (
                        "Entrypoint".into(),
                        if c.entrypoint.is_empty() {
                            Value::Nil
                        } else {
                            Value::strs(&c.entrypoint)
                        },
                    ),
                    ("Labels".into(), Value::str_map(&c.labels)),
                ]);
                if !c.stop_signal.is_empty() && c.stop_signal != "SIGTERM" {
                    f.push(("StopSignal".into(), Value::str(&c.stop_signal)));
                }
                Value::Struct("container.Config".into(), f)
            }
            "NetworkSettings" => Value::Struct(
                "container.NetworkSettings".into(),
                vec![
                    (
                        "SandboxID".into(),
                        Value::str(if c.running {
                            sha256_hex(format!("sandbox {}", c.id).as_bytes())
                        } else {
                            String::new()
                        }),
                    ),
                    (
                        "SandboxKey".into(),
                        Value::str(if c.running {
                            format!("/var/run/docker/netns/{}", &c.id[..12.min(c.id.len())])
                        } else {
                            String::new()
                        }),
                    ),
                    (
                        "Ports".into(),
                        Value::from_json(&serde_json::Value::Object(port_map.clone())),
                    ),
                ],
            ),
            _ => Value::from_json(&val),
        };
        out.push((k.to_string(), v));
    }
    let _ = MAP_KEYS;
    Value::Struct("container.InspectResponse".into(), out)
}

/// `docker container inspect`.
pub(crate) fn inspect_cmd(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const { [v("format", Some('f')), b("size", Some('s'))] },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(
            ctx,
            cmd,
            "Display detailed information on one or more containers",
        );
    }
    flags::at_least(cmd, &p.args, 1)?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.args {
        match find_container(ctx.state, name) {
            Ok(id) => {
                if let Some(c) = ctx.state.containers.get(&id) {
                    found.push(inspect_value(c));
                }
            }
            Err(e) => errors.push(e.message),
        }
    }
    super::images::print_inspect(ctx, p.last("format").unwrap_or(""), found, errors)
}

/// `docker container prune`.
pub(crate) fn prune(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker container prune", "[OPTIONS]") };
    let p = flags::parse(
        cmd,
        &const { [b("force", Some('f')), v("filter", None)] },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Remove all stopped containers");
    }
    flags::none(cmd, &p.args)?;
    if !p.on("force") {
        ctx.out.push_str("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
        let answer = ctx.host.read_file("-").unwrap_or_default();
        let first = String::from_utf8_lossy(&answer)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_lowercase();
        ctx.out.push('\n');
        if first != "y" && first != "yes" {
            return Ok(());
        }
    }
    let mut stopped: Vec<Container> = ctx
        .state
        .containers
        .values()
        .filter(|c| !c.running)
        .map(|c| (**c).clone())
        .collect();
    shared_sort::sort_by_key(&mut stopped, |c| c.serial);
    if !stopped.is_empty() {
        ctx.out.push_str("Deleted Containers:\n");
        for c in &stopped {
            ctx.state.containers.remove(&c.id);
            ctx.out.push_str(&c.id);
            ctx.out.push('\n');
        }
        ctx.out.push('\n');
    }
    ctx.out.push_str("Total reclaimed space: 0B\n");
    Ok(())
}
