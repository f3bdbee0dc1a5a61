//! `docker exec`: the exec process (user, working directory, environment,
//! as the daemon and runc set them up) and a few simple commands run
//! against a model of the container's file system: `ls` (`-l -a -A -1 -d
//! -h`), `cat`, `env`, `pwd`, `whoami`, `id`, `echo`, `hostname`, `ps`,
//! and `sh -c` with one simple command.
//!
//! Output follows the tools the image ships: BusyBox (Alpine, busybox
//! images) or GNU coreutils (Debian/Ubuntu based images such as
//! mcr.microsoft.com/dotnet/aspnet:8.0). Error texts differ between them
//! (`cat: can't open 'x': No such file or directory` vs
//! `cat: x: No such file or directory`), and so do exit codes. Commands
//! not modelled here are reported as "would run", never faked; a program
//! that does not exist gives runc's "executable file not found" error.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::shared_sort;

use super::apps::shell_words;
use super::args::ExecOptions;
use super::process::{basename, clean_path, process_env, EnvVar};
use super::user::{group_name, resolve_user, user_name, ProcessUser};

/// Which implementation of the basic commands the image has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolFamily {
    /// BusyBox (Alpine, busybox).
    Busybox,
    /// GNU coreutils (Debian, Ubuntu; `ps` only when procps is installed).
    Coreutils,
    /// No shell and no tools (distroless, chiseled, scratch): only files
    /// present in the view can run.
    None,
}

impl ToolFamily {
    /// Guesses the family from the file system: `/etc/alpine-release` or
    /// `/bin/busybox` mean BusyBox, `/etc/debian_version` or an
    /// os-release of Debian/Ubuntu mean coreutils, else none.
    pub fn detect(files: &BTreeMap<String, Box<FsEntry>>) -> ToolFamily {
        if files.contains_key("/etc/alpine-release") || files.contains_key("/bin/busybox") {
            return ToolFamily::Busybox;
        }
        if files.contains_key("/etc/debian_version") {
            return ToolFamily::Coreutils;
        }
        let os_release = files
            .get("/etc/os-release")
            .or_else(|| files.get("/usr/lib/os-release"))
            .and_then(|e| e.content.as_deref())
            .unwrap_or("");
        for line in os_release.lines() {
            if let Some(id) = line.strip_prefix("ID=") {
                return match id.trim_matches('"') {
                    "alpine" => ToolFamily::Busybox,
                    "debian" | "ubuntu" | "fedora" | "centos" | "rhel" | "rocky" | "almalinux"
                    | "amzn" | "opensuse-leap" | "ol" => ToolFamily::Coreutils,
                    _ => ToolFamily::None,
                };
            }
        }
        ToolFamily::None
    }

    fn tools(self) -> &'static [&'static str] {
        match self {
            ToolFamily::Busybox => &[
                "ls", "cat", "env", "pwd", "whoami", "id", "echo", "hostname", "ps", "sh", "ash",
                "true", "false", "sleep",
            ],
            ToolFamily::Coreutils => &[
                "ls", "cat", "env", "pwd", "whoami", "id", "echo", "hostname", "sh", "dash",
                "bash", "true", "false", "sleep",
            ],
            ToolFamily::None => &[],
        }
    }

    fn tool_dir(self) -> &'static str {
        match self {
            ToolFamily::Busybox => "/bin",
            _ => "/usr/bin",
        }
    }
}

/// The type of a file-system entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "target")]
pub enum FsKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link to the given target.
    Symlink(String),
}

/// One entry of the container's file system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FsEntry {
    /// Type.
    pub kind: FsKind,
    /// Permission bits (e.g. `0o644`).
    pub mode: u32,
    /// Owner UID.
    pub uid: u32,
    /// Owner GID.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Text content when modelled (`None` for binaries and unmodelled files).
    pub content: Option<String>,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: i64,
}

impl FsEntry {
    /// A root-owned 0644 file with text content.
    pub fn file(content: &str) -> Self {
        FsEntry {
            kind: FsKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: content.len() as u64,
            content: Some(content.to_string()),
            mtime: 0,
        }
    }

    /// A root-owned 0755 directory.
    pub fn dir() -> Self {
        FsEntry {
            kind: FsKind::Dir,
            mode: 0o755,
            uid: 0,
            gid: 0,
            size: 4096,
            content: None,
            mtime: 0,
        }
    }
}

/// A process shown by `ps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessInfo {
    /// PID.
    pub pid: u32,
    /// Parent PID.
    pub ppid: u32,
    /// User name (or UID).
    pub user: String,
    /// argv.
    pub argv: Vec<String>,
}

/// The running container as `docker exec` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerView {
    /// Absolute paths (no trailing slash) to entries; parent directories
    /// that are not listed exist implicitly (root-owned, 0755). (Boxed, as
    /// a file system's nodes: one copy of `BTreeMap`'s node code in the
    /// wasm for both.)
    pub files: BTreeMap<String, Box<FsEntry>>,
    /// Tool implementation.
    pub family: ToolFamily,
    /// Container hostname.
    pub hostname: String,
    /// The container config's `Env` ([`super::RunPlan::config_env`]).
    pub config_env: Vec<String>,
    /// The container's working directory ([`super::RunPlan::cwd`]).
    pub working_dir: String,
    /// The container's user spec (image USER or `-u`), empty for root.
    pub user: String,
    /// Running processes (PID 1 first).
    pub processes: Vec<ProcessInfo>,
    /// PID the exec'd process gets.
    pub next_pid: u32,
    /// "Now", seconds since the epoch (for `ls -l` dates).
    pub now: i64,
}

/// The result of one exec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecResult {
    /// Standard output.
    pub stdout: String,
    /// Standard error (with `-t`, Docker merges it into stdout).
    pub stderr: String,
    /// Exit status of `docker exec`.
    pub exit_code: i32,
    /// Set when LayerLab did not simulate the command's output.
    pub note: Option<String>,
    /// The exec process argv.
    pub argv: Vec<String>,
    /// The exec process environment.
    pub env: Vec<String>,
    /// Its working directory.
    pub cwd: String,
    /// Its user.
    pub user: Option<ProcessUser>,
}

/// Command-level output.
struct Out {
    stdout: String,
    stderr: String,
    code: i32,
    note: Option<String>,
}

impl Out {
    fn ok(stdout: String) -> Out {
        Out {
            stdout,
            stderr: String::new(),
            code: 0,
            note: None,
        }
    }
}

/// A resolved node (explicit entry or implicit directory).
#[derive(Debug, Clone)]
struct Node {
    path: String,
    entry: FsEntry,
}

struct Ctx<'a> {
    view: &'a ContainerView,
    user: &'a ProcessUser,
    cwd: &'a str,
    env: &'a [EnvVar],
    tty: bool,
    passwd: Option<&'a str>,
    group: Option<&'a str>,
}

fn file_content<'a>(view: &'a ContainerView, path: &str) -> Option<&'a str> {
    view.files.get(path).and_then(|e| e.content.as_deref())
}

fn is_implicit_dir(view: &ContainerView, path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let prefix = format!("{path}/");
    view.files
        .range(prefix.clone()..)
        .next()
        .is_some_and(|(k, _)| k.starts_with(&prefix))
}

impl Ctx<'_> {
    fn absolute(&self, p: &str) -> String {
        if p.starts_with('/') {
            clean_path(p)
        } else {
            clean_path(&format!("{}/{p}", self.cwd))
        }
    }

    /// Resolves symlinks in every component (the last one too when
    /// `follow_last`).
    fn resolve(&self, path: &str, follow_last: bool) -> Option<Node> {
        let mut current = String::from("/");
        let mut parts: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        parts.reverse();
        let mut hops = 0;
        while let Some(part) = parts.pop() {
            let candidate = if part == ".." {
                clean_path(&format!("{current}/.."))
            } else if part == "." {
                current.clone()
            } else if current == "/" {
                format!("/{part}")
            } else {
                format!("{current}/{part}")
            };
            let last = parts.is_empty();
            match self.view.files.get(&candidate).map(|e| &e.kind) {
                Some(FsKind::Symlink(target)) if !last || follow_last => {
                    hops += 1;
                    if hops > 40 {
                        return None;
                    }
                    let target_abs = if target.starts_with('/') {
                        target.clone()
                    } else {
                        format!("{current}/{target}")
                    };
                    let mut new_parts: Vec<String> = target_abs
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    new_parts.reverse();
                    parts.extend(new_parts);
                    current = String::from("/");
                }
                Some(_) => current = candidate,
                None if is_implicit_dir(self.view, &candidate) => current = candidate,
                None => return None,
            }
        }
        let entry = match self.view.files.get(&current) {
            Some(e) => FsEntry::clone(e),
            None if is_implicit_dir(self.view, &current) => FsEntry::dir(),
            None => return None,
        };
        Some(Node {
            path: current,
            entry,
        })
    }

    fn children(&self, dir: &str) -> Vec<(String, Node)> {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        // Sorted by name, as a `BTreeMap` would keep them (a vector: one
        // map type less in the wasm). The paths come in order, so a new
        // name almost always goes at the end.
        let mut names: Vec<(String, Node)> = Vec::new();
        for (k, e) in self.view.files.range(prefix.clone()..) {
            let Some(rest) = k.strip_prefix(&prefix) else {
                break;
            };
            if rest.is_empty() {
                continue;
            }
            let (name, deeper) = match rest.split_once('/') {
                Some((n, _)) => (n, true),
                None => (rest, false),
            };
            let path = format!("{prefix}{name}");
            let at = names.binary_search_by(|(n, _)| n.as_str().cmp(name));
            let node = match (at, deeper) {
                // A directory seen before keeps its entry.
                (Ok(_), true) => continue,
                (_, true) => Node {
                    entry: self
                        .view
                        .files
                        .get(&path)
                        .map_or_else(FsEntry::dir, |e| FsEntry::clone(e)),
                    path,
                },
                (_, false) => Node {
                    path,
                    entry: FsEntry::clone(e),
                },
            };
            match at {
                Ok(i) => names[i].1 = node,
                Err(i) => names.insert(i, (name.to_string(), node)),
            }
        }
        names
    }

    fn can(&self, e: &FsEntry, bit: u32) -> bool {
        if self.user.uid == 0 {
            return true;
        }
        if e.uid == self.user.uid {
            return e.mode & (bit << 6) != 0;
        }
        if e.gid == self.user.gid || self.user.supplementary_gids.contains(&e.gid) {
            return e.mode & (bit << 3) != 0;
        }
        e.mode & bit != 0
    }

    fn busybox(&self) -> bool {
        self.view.family == ToolFamily::Busybox
    }

    fn env_get(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|v| v.key == key)
            .map(|v| v.value.as_str())
    }
}

/// Runs `docker exec` against the container view.
pub fn exec_in_container(view: &ContainerView, opts: &ExecOptions) -> ExecResult {
    let passwd = file_content(view, "/etc/passwd");
    let group = file_content(view, "/etc/group");
    let user_spec = opts.user.clone().unwrap_or_else(|| view.user.clone());
    let mut result = ExecResult {
        stdout: String::new(),
        stderr: String::new(),
        exit_code: 0,
        note: None,
        argv: opts.command.clone(),
        env: Vec::new(),
        cwd: String::new(),
        user: None,
    };
    let user = match resolve_user(&user_spec, passwd, group) {
        Ok(u) => u,
        Err(e) => {
            result.stderr = format!("Error response from daemon: {e}\n");
            result.exit_code = 126;
            return result;
        }
    };
    let cwd = opts.workdir.as_deref().map(clean_path).unwrap_or_else(|| {
        if view.working_dir.is_empty() {
            "/".into()
        } else {
            view.working_dir.clone()
        }
    });
    let mut config_env = view.config_env.clone();
    for e in &opts.env {
        let key = e.split_once('=').map_or(e.as_str(), |(k, _)| k);
        config_env.retain(|c| c.split_once('=').map_or(c.as_str(), |(k, _)| k) != key);
        config_env.push(e.clone());
    }
    let env = process_env(
        &config_env,
        &view.config_env,
        &view.hostname,
        opts.tty,
        &user.home,
    );
    result.env = env.iter().map(EnvVar::entry).collect();
    result.cwd = cwd.clone();
    result.user = Some(user.clone());
    let ctx = Ctx {
        view,
        user: &user,
        cwd: &cwd,
        env: &env,
        tty: opts.tty,
        passwd,
        group,
    };
    let oci = |msg: String| {
        format!("OCI runtime exec failed: exec failed: unable to start container process: {msg}: unknown\n")
    };
    match ctx.resolve(&cwd, true) {
        Some(n) if n.entry.kind == FsKind::Dir => {}
        _ => {
            result.stderr = oci(format!(
                "chdir to cwd (\"{cwd}\") set in config.json failed: no such file or directory"
            ));
            result.exit_code = 127;
            return result;
        }
    }
    let out = run_command(&ctx, &opts.command, 0);
    match out {
        Err(msg) => {
            result.stderr = oci(msg);
            result.exit_code = 127;
        }
        Ok(out) => {
            result.stdout = out.stdout;
            result.stderr = out.stderr;
            result.exit_code = out.code;
            result.note = out.note;
        }
    }
    result
}

/// Finds the program; `Err` is runc's exec error.
fn lookup_program(ctx: &Ctx<'_>, prog: &str) -> Result<(String, bool), String> {
    let builtin = ctx.view.family.tools().contains(&basename(prog));
    if prog.contains('/') {
        let abs = ctx.absolute(prog);
        if let Some(n) = ctx.resolve(&abs, true) {
            return Ok((n.path, n.entry.kind == FsKind::File));
        }
        let in_tool_dir = builtin
            && (abs == format!("/bin/{}", basename(prog))
                || abs == format!("/usr/bin/{}", basename(prog)));
        if in_tool_dir {
            return Ok((abs, true));
        }
        return Err(format!(
            "exec: \"{prog}\": stat {prog}: no such file or directory"
        ));
    }
    let path = ctx.env_get("PATH").unwrap_or(super::process::DEFAULT_PATH);
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let candidate = format!("{}/{prog}", dir.trim_end_matches('/'));
        if let Some(n) = ctx.resolve(&candidate, true) {
            if n.entry.kind == FsKind::File {
                return Ok((candidate, true));
            }
        }
    }
    if builtin && path.split(':').any(|d| d == "/bin" || d == "/usr/bin") {
        return Ok((format!("{}/{prog}", ctx.view.family.tool_dir()), true));
    }
    Err(format!(
        "exec: \"{prog}\": executable file not found in $PATH"
    ))
}

fn run_command(ctx: &Ctx<'_>, argv: &[String], depth: u32) -> Result<Out, String> {
    let Some(prog) = argv.first() else {
        return Err("exec: \"\": executable file not found in $PATH".into());
    };
    let (path, _) = lookup_program(ctx, prog)?;
    let name = basename(prog);
    let args = &argv[1..];
    let modelled = ctx.view.family.tools().contains(&name) || ctx.view.files.contains_key(&path);
    let out = match name {
        "ls" if modelled => ls(ctx, args),
        "cat" if modelled => cat(ctx, args),
        "env" if modelled && args.is_empty() => {
            Out::ok(ctx.env.iter().map(|v| format!("{}\n", v.entry())).collect())
        }
        "printenv" if args.is_empty() => {
            Out::ok(ctx.env.iter().map(|v| format!("{}\n", v.entry())).collect())
        }
        "pwd" if modelled => Out::ok(format!("{}\n", ctx.cwd)),
        "whoami" if modelled => whoami(ctx),
        "id" if modelled => id(ctx, args),
        "echo" if modelled => echo(args),
        "hostname" if modelled && args.is_empty() => Out::ok(format!("{}\n", ctx.view.hostname)),
        "true" => Out::ok(String::new()),
        "false" => Out {
            code: 1,
            ..Out::ok(String::new())
        },
        "ps" => ps(ctx, args, &path),
        "sh" | "ash" | "dash" | "bash"
            if depth == 0 && args.first().is_some_and(|a| a == "-c") && args.len() >= 2 =>
        {
            let script = &args[1];
            let words = shell_words(script);
            let simple = !script.contains(['|', ';', '&', '>', '<', '$', '`', '\n', '*', '?']);
            if simple && !words.is_empty() {
                let words: Vec<String> = if words[0] == "exec" {
                    words[1..].to_vec()
                } else {
                    words
                };
                return match run_command(ctx, &words, depth + 1) {
                    Ok(o) => Ok(o),
                    Err(_) => Ok(Out {
                        stdout: String::new(),
                        stderr: if ctx.busybox() {
                            format!(
                                "{name}: {}: not found\n",
                                words.first().map_or("", String::as_str)
                            )
                        } else {
                            format!(
                                "{name}: 1: {}: not found\n",
                                words.first().map_or("", String::as_str)
                            )
                        },
                        code: 127,
                        note: None,
                    }),
                };
            }
            would_run(ctx, argv, &path)
        }
        _ => would_run(ctx, argv, &path),
    };
    Ok(out)
}

fn would_run(ctx: &Ctx<'_>, argv: &[String], path: &str) -> Out {
    Out {
        stdout: String::new(),
        stderr: String::new(),
        code: 0,
        note: Some(format!(
            "LayerLab does not simulate this command: it would run {path} with arguments {} as {} in {}.",
            super::process::json_array(&argv[1..]),
            ctx.user.display_name(),
            ctx.cwd
        )),
    }
}

fn mode_string(e: &FsEntry) -> String {
    let t = match e.kind {
        FsKind::Dir => 'd',
        FsKind::Symlink(_) => 'l',
        FsKind::File => '-',
    };
    let mut s = String::from(t);
    let mode = if matches!(e.kind, FsKind::Symlink(_)) {
        0o777
    } else {
        e.mode
    };
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1-12, day, hour, minute) of a Unix time, UTC.
fn civil(t: i64) -> (i64, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let to_u32 = |v: i64| u32::try_from(v).unwrap_or(0);
    (
        y,
        to_u32(m),
        to_u32(d),
        to_u32(secs / 3600),
        to_u32((secs % 3600) / 60),
    )
}

fn ls_date(ctx: &Ctx<'_>, mtime: i64) -> String {
    let (y, m, d, hh, mm) = civil(mtime);
    let month = MONTHS[(m.max(1) - 1) as usize % 12];
    let six_months = if ctx.busybox() {
        6 * 30 * 24 * 3600
    } else {
        31_556_952 / 2
    };
    let recent = mtime <= ctx.view.now && ctx.view.now.saturating_sub(mtime) < six_months;
    if recent {
        format!("{month} {d:>2} {hh:02}:{mm:02}")
    } else {
        format!("{month} {d:>2}  {y}")
    }
}

fn human_size(size: u64) -> String {
    if size < 1024 {
        return size.to_string();
    }
    let units: &[&str] = &["K", "M", "G", "T", "P"];
    let mut value = size as f64;
    let mut unit = 0;
    value /= 1024.0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        // Coreutils rounds up to one decimal.
        let v = (value * 10.0).ceil() / 10.0;
        if v >= 10.0 {
            format!("{}{}", crate::numfmt::fixed(v, 0), units[unit])
        } else {
            format!("{}{}", crate::numfmt::fixed(v, 1), units[unit])
        }
    } else {
        format!("{}{}", crate::numfmt::fixed(value.ceil(), 0), units[unit])
    }
}

fn blocks_1k(e: &FsEntry) -> u64 {
    match e.kind {
        FsKind::Dir => 4,
        FsKind::Symlink(_) => 0,
        FsKind::File => e.size.div_ceil(4096).saturating_mul(4),
    }
}

#[derive(Default)]
struct LsFlags {
    long: bool,
    all: bool,
    almost_all: bool,
    one: bool,
    dir: bool,
    human: bool,
}

fn ls(ctx: &Ctx<'_>, args: &[String]) -> Out {
    let mut flags = LsFlags::default();
    let mut operands = Vec::new();
    let mut options_done = false;
    for a in args {
        if options_done || !a.starts_with('-') || a == "-" {
            operands.push(a.clone());
            continue;
        }
        if a == "--" {
            options_done = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "all" => flags.all = true,
                "almost-all" => flags.almost_all = true,
                "directory" => flags.dir = true,
                "human-readable" => flags.human = true,
                _ => {
                    return Out {
                        stdout: String::new(),
                        stderr: if ctx.busybox() {
                            format!("ls: unrecognized option: {long}\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n")
                        } else {
                            format!("ls: unrecognized option '{a}'\nTry 'ls --help' for more information.\n")
                        },
                        code: if ctx.busybox() { 1 } else { 2 },
                        note: None,
                    }
                }
            }
            continue;
        }
        for c in a.chars().skip(1) {
            match c {
                'l' => flags.long = true,
                'a' => flags.all = true,
                'A' => flags.almost_all = true,
                '1' => flags.one = true,
                'd' => flags.dir = true,
                'h' => flags.human = true,
                _ => {
                    return Out {
                        stdout: String::new(),
                        stderr: if ctx.busybox() {
                            format!("ls: unrecognized option: {c}\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n")
                        } else {
                            format!("ls: invalid option -- '{c}'\nTry 'ls --help' for more information.\n")
                        },
                        code: if ctx.busybox() { 1 } else { 2 },
                        note: None,
                    }
                }
            }
        }
    }
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut stderr = String::new();
    let mut code = 0;
    let fail_code = if ctx.busybox() { 1 } else { 2 };
    let mut files: Vec<(String, Node)> = Vec::new();
    let mut dirs: Vec<(String, Node)> = Vec::new();
    for op in &operands {
        let abs = ctx.absolute(op);
        // ls follows a symlink operand to a directory unless -l/-d.
        let node = ctx
            .resolve(&abs, !(flags.long || flags.dir))
            .or_else(|| ctx.resolve(&abs, false));
        match node {
            None => {
                stderr.push_str(&if ctx.busybox() {
                    format!("ls: {op}: No such file or directory\n")
                } else {
                    format!("ls: cannot access '{op}': No such file or directory\n")
                });
                code = fail_code;
            }
            Some(n) if n.entry.kind == FsKind::Dir && !flags.dir => dirs.push((op.clone(), n)),
            Some(n) => files.push((op.clone(), n)),
        }
    }
    shared_sort::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    shared_sort::sort_by(&mut dirs, |a, b| a.0.cmp(&b.0));
    let mut stdout = String::new();
    let show_headers = operands.len() > 1;
    if !files.is_empty() {
        stdout.push_str(&format_entries(ctx, &files, &flags, false));
    }
    for (i, (op, dir)) in dirs.iter().enumerate() {
        if !stdout.is_empty() || i > 0 {
            stdout.push('\n');
        }
        if show_headers {
            stdout.push_str(&format!("{op}:\n"));
        }
        if !ctx.can(&dir.entry, 4) {
            stderr.push_str(&if ctx.busybox() {
                format!("ls: can't open '{op}': Permission denied\n")
            } else {
                format!("ls: cannot open directory '{op}': Permission denied\n")
            });
            code = fail_code;
            continue;
        }
        let mut entries: Vec<(String, Node)> = Vec::new();
        if flags.all {
            entries.push((".".into(), dir.clone()));
            let parent = clean_path(&format!("{}/..", dir.path));
            let parent_node = ctx.resolve(&parent, true).unwrap_or_else(|| dir.clone());
            entries.push(("..".into(), parent_node));
        }
        for (name, node) in ctx.children(&dir.path) {
            if name.starts_with('.') && !(flags.all || flags.almost_all) {
                continue;
            }
            entries.push((name, node));
        }
        shared_sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        stdout.push_str(&format_entries(ctx, &entries, &flags, true));
    }
    Out {
        stdout,
        stderr,
        code,
        note: None,
    }
}

fn nlink(ctx: &Ctx<'_>, n: &Node) -> usize {
    match n.entry.kind {
        FsKind::Dir => {
            2 + ctx
                .children(&n.path)
                .iter()
                .filter(|(_, c)| c.entry.kind == FsKind::Dir)
                .count()
        }
        _ => 1,
    }
}

fn format_entries(
    ctx: &Ctx<'_>,
    entries: &[(String, Node)],
    flags: &LsFlags,
    with_total: bool,
) -> String {
    if flags.long {
        let owner = |e: &FsEntry| user_name(ctx.passwd, e.uid).unwrap_or_else(|| e.uid.to_string());
        let group = |e: &FsEntry| group_name(ctx.group, e.gid).unwrap_or_else(|| e.gid.to_string());
        let size = |e: &FsEntry| {
            let bytes = match &e.kind {
                FsKind::Symlink(t) => t.len() as u64,
                _ => e.size,
            };
            if flags.human {
                human_size(bytes)
            } else {
                bytes.to_string()
            }
        };
        let name = |n: &str, e: &FsEntry| match &e.kind {
            FsKind::Symlink(t) => format!("{n} -> {t}"),
            _ => n.to_string(),
        };
        let mut s = String::new();
        if with_total {
            let total: u64 = entries
                .iter()
                .fold(0u64, |acc, (_, n)| acc.saturating_add(blocks_1k(&n.entry)));
            s.push_str(&format!("total {total}\n"));
        }
        if ctx.busybox() {
            for (n, node) in entries {
                let e = &node.entry;
                s.push_str(&format!(
                    "{:<10} {:>4} {:<8} {:<8} {:>9} {} {}\n",
                    mode_string(e),
                    nlink(ctx, node),
                    truncate8(&owner(e)),
                    truncate8(&group(e)),
                    size(e),
                    ls_date(ctx, e.mtime),
                    name(n, e)
                ));
            }
        } else {
            let w_link = entries
                .iter()
                .map(|(_, n)| nlink(ctx, n).to_string().len())
                .max()
                .unwrap_or(1);
            let w_owner = entries
                .iter()
                .map(|(_, n)| owner(&n.entry).len())
                .max()
                .unwrap_or(1);
            let w_group = entries
                .iter()
                .map(|(_, n)| group(&n.entry).len())
                .max()
                .unwrap_or(1);
            let w_size = entries
                .iter()
                .map(|(_, n)| size(&n.entry).len())
                .max()
                .unwrap_or(1);
            for (n, node) in entries {
                let e = &node.entry;
                s.push_str(&format!(
                    "{} {:>w_link$} {:<w_owner$} {:<w_group$} {:>w_size$} {} {}\n",
                    mode_string(e),
                    nlink(ctx, node),
                    owner(e),
                    group(e),
                    size(e),
                    ls_date(ctx, e.mtime),
                    name(n, e)
                ));
            }
        }
        return s;
    }
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    if !ctx.tty || flags.one {
        return names.iter().map(|n| format!("{n}\n")).collect();
    }
    columns(&names, 80, ctx.busybox())
}

fn truncate8(s: &str) -> String {
    s.chars().take(8).collect()
}

/// `ls -C` output for a terminal `width` columns wide: names sorted down
/// the columns; coreutils sizes each column to its longest name + 2,
/// BusyBox uses one width for all.
fn columns(names: &[&str], width: usize, uniform: bool) -> String {
    if names.is_empty() {
        return String::new();
    }
    let n = names.len();
    let lens: Vec<usize> = names.iter().map(|s| s.chars().count()).collect();
    let mut best: Option<(usize, Vec<usize>)> = None;
    for cols in (1..=n).rev() {
        let rows = n.div_ceil(cols);
        let cols_used = n.div_ceil(rows);
        let mut widths = Vec::new();
        for c in 0..cols_used {
            let col_max = (c * rows..((c + 1) * rows).min(n))
                .map(|i| lens[i])
                .max()
                .unwrap_or(0);
            widths.push(col_max);
        }
        if uniform {
            let w = lens.iter().max().copied().unwrap_or(0);
            widths = vec![w; cols_used];
        }
        let total: usize = widths.iter().map(|w| w + 2).sum::<usize>() - 2;
        if total < width || cols_used == 1 {
            best = Some((rows, widths));
            break;
        }
    }
    let Some((rows, widths)) = best else {
        return String::new();
    };
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for (c, w) in widths.iter().enumerate() {
            let i = c * rows + r;
            if i >= n {
                break;
            }
            let last_in_row = (c + 1) * rows + r >= n;
            if last_in_row {
                line.push_str(names[i]);
            } else {
                line.push_str(&format!("{:<width$}  ", names[i], width = w));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn cat(ctx: &Ctx<'_>, args: &[String]) -> Out {
    let mut stdout = String::new();
    let mut stderr = String::new();
    let mut code = 0;
    let mut note = None;
    for a in args.iter().filter(|a| *a != "--") {
        if a == "-" {
            continue;
        }
        let abs = ctx.absolute(a);
        match ctx.resolve(&abs, true) {
            None => {
                stderr.push_str(&if ctx.busybox() {
                    format!("cat: can't open '{a}': No such file or directory\n")
                } else {
                    format!("cat: {a}: No such file or directory\n")
                });
                code = 1;
            }
            Some(n) if n.entry.kind == FsKind::Dir => {
                stderr.push_str(&if ctx.busybox() {
                    "cat: read error: Is a directory\n".to_string()
                } else {
                    format!("cat: {a}: Is a directory\n")
                });
                code = 1;
            }
            Some(n) if !ctx.can(&n.entry, 4) => {
                stderr.push_str(&if ctx.busybox() {
                    format!("cat: can't open '{a}': Permission denied\n")
                } else {
                    format!("cat: {a}: Permission denied\n")
                });
                code = 1;
            }
            Some(n) => match &n.entry.content {
                Some(c) => stdout.push_str(c),
                None => {
                    note = Some(format!(
                        "{} is a {}-byte file whose content LayerLab does not model (binary).",
                        n.path, n.entry.size
                    ));
                }
            },
        }
    }
    Out {
        stdout,
        stderr,
        code,
        note,
    }
}

fn whoami(ctx: &Ctx<'_>) -> Out {
    match &ctx.user.name {
        Some(n) => Out::ok(format!("{n}\n")),
        None => Out {
            stdout: String::new(),
            stderr: if ctx.busybox() {
                format!("whoami: unknown uid {}\n", ctx.user.uid)
            } else {
                format!("whoami: cannot find name for user ID {}\n", ctx.user.uid)
            },
            code: 1,
            note: None,
        },
    }
}

fn id(ctx: &Ctx<'_>, args: &[String]) -> Out {
    let u = ctx.user;
    let named = |id: u32, name: Option<String>| match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    };
    let gname = |g: u32| group_name(ctx.group, g);
    let mut groups = vec![u.gid];
    for g in &u.supplementary_gids {
        if !groups.contains(g) {
            groups.push(*g);
        }
    }
    let flags: String = args
        .iter()
        .filter_map(|a| a.strip_prefix('-'))
        .collect::<Vec<_>>()
        .concat();
    let name_only = flags.contains('n');
    if flags.contains('u') {
        return Out::ok(if name_only {
            format!("{}\n", u.display_name())
        } else {
            format!("{}\n", u.uid)
        });
    }
    if flags.contains('g') && !flags.contains('G') {
        return Out::ok(if name_only {
            format!("{}\n", gname(u.gid).unwrap_or_else(|| u.gid.to_string()))
        } else {
            format!("{}\n", u.gid)
        });
    }
    if flags.contains('G') {
        let list: Vec<String> = groups
            .iter()
            .map(|g| {
                if name_only {
                    gname(*g).unwrap_or_else(|| g.to_string())
                } else {
                    g.to_string()
                }
            })
            .collect();
        return Out::ok(format!("{}\n", list.join(" ")));
    }
    let groups_str: Vec<String> = groups.iter().map(|g| named(*g, gname(*g))).collect();
    Out::ok(format!(
        "uid={} gid={} groups={}\n",
        named(u.uid, u.name.clone()),
        named(u.gid, gname(u.gid)),
        groups_str.join(",")
    ))
}

fn echo(args: &[String]) -> Out {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let Some(opts) = a.strip_prefix('-') else {
            break;
        };
        if opts.is_empty() || !opts.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in opts.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut text = args[i..].join(" ");
    if escapes {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('c') => {
                    newline = false;
                    break;
                }
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        }
        text = out;
    }
    if newline {
        text.push('\n');
    }
    Out::ok(text)
}

fn ps(ctx: &Ctx<'_>, args: &[String], path: &str) -> Out {
    let mut procs = ctx.view.processes.clone();
    procs.push(ProcessInfo {
        pid: ctx.view.next_pid,
        ppid: 0,
        user: ctx.user.display_name(),
        argv: std::iter::once("ps".to_string())
            .chain(args.iter().cloned())
            .collect(),
    });
    if ctx.busybox() {
        let mut s = String::from("PID   USER     TIME  COMMAND\n");
        for p in &procs {
            s.push_str(&format!(
                "{:>5} {:<8} {:>5} {}\n",
                p.pid,
                truncate8(&p.user),
                "0:00",
                p.argv.join(" ")
            ));
        }
        return Out::ok(s);
    }
    if !ctx.view.files.contains_key(path) {
        // Not reached: lookup_program already failed for coreutils images
        // without procps, but keep the would-run note for safety.
        return would_run(ctx, &[String::from("ps")], path);
    }
    let full = args
        .iter()
        .any(|a| a == "-ef" || a == "-e" || a == "-f" || a == "aux");
    if full {
        let mut s = String::from("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        let (_, _, _, hh, mm) = civil(ctx.view.now);
        for p in &procs {
            s.push_str(&format!(
                "{:<8} {:>7} {:>7}  0 {hh:02}:{mm:02} ?        00:00:00 {}\n",
                truncate8(&p.user),
                p.pid,
                p.ppid,
                p.argv.join(" ")
            ));
        }
        return Out::ok(s);
    }
    let mut s = String::from("    PID TTY          TIME CMD\n");
    for p in &procs {
        let comm: String = p
            .argv
            .first()
            .map(|a| basename(a).chars().take(15).collect())
            .unwrap_or_default();
        s.push_str(&format!("{:>7} ?        00:00:00 {comm}\n", p.pid));
    }
    Out::ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\napp:x:1654:1654::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\napp:x:1654:\n";
    // 2024-05-01 12:00 UTC
    const NOW: i64 = 1_714_564_800;

    fn view(family: ToolFamily) -> ContainerView {
        let mut files = BTreeMap::new();
        files.insert("/etc/passwd".to_string(), FsEntry::file(PASSWD));
        files.insert("/etc/group".to_string(), FsEntry::file(GROUP));
        let mut dll = FsEntry::file("");
        dll.content = None;
        dll.size = 12_800;
        dll.mtime = NOW - 3600;
        files.insert("/app/aspnetapp.dll".to_string(), dll);
        let mut json = FsEntry::file("{\n  \"AllowedHosts\": \"*\"\n}\n");
        json.mtime = NOW - 3600;
        files.insert("/app/appsettings.json".to_string(), json);
        let mut css = FsEntry::file("body{}");
        css.mtime = NOW - 3600;
        files.insert("/app/wwwroot/css/site.css".to_string(), css);
        let mut secret = FsEntry::file("s3cret");
        secret.mode = 0o600;
        files.insert("/root/secret".to_string(), secret);
        let mut root_dir = FsEntry::dir();
        root_dir.mode = 0o700;
        files.insert("/root".to_string(), root_dir);
        files.insert("/app/.hidden".to_string(), FsEntry::file(""));
        ContainerView {
            files: files.into_iter().map(|(k, e)| (k, Box::new(e))).collect(),
            family,
            hostname: "0123456789ab".into(),
            config_env: sv(&["ASPNETCORE_HTTP_PORTS=8080", "APP_UID=1654"]),
            working_dir: "/app".into(),
            user: String::new(),
            processes: vec![ProcessInfo {
                pid: 1,
                ppid: 0,
                user: "root".into(),
                argv: sv(&["dotnet", "aspnetapp.dll"]),
            }],
            next_pid: 21,
            now: NOW,
        }
    }

    fn exec(v: &ContainerView, args: &[&str]) -> ExecResult {
        let opts = super::super::args::parse_exec_args(&sv(args), &Default::default());
        match opts {
            Ok(o) => exec_in_container(v, &o),
            Err(e) => ExecResult {
                stdout: String::new(),
                stderr: e.message,
                exit_code: e.exit_code,
                note: None,
                argv: vec![],
                env: vec![],
                cwd: String::new(),
                user: None,
            },
        }
    }

    /// Runs `docker exec ARGS` and compares "stdout|stderr|code".
    fn check(family: ToolFamily, args: &[&str], expected: &str) {
        let r = exec(&view(family), args);
        let got = format!("{}|{}|{}", r.stdout, r.stderr, r.exit_code);
        assert_eq!(got, expected, "for {args:?}");
    }

    const GNU: ToolFamily = ToolFamily::Coreutils;
    const BB: ToolFamily = ToolFamily::Busybox;

    #[test]
    fn ls_plain_and_errors() {
        check(
            GNU,
            &["c", "ls", "/app"],
            "appsettings.json\naspnetapp.dll\nwwwroot\n||0",
        );
        check(
            GNU,
            &["c", "ls"],
            "appsettings.json\naspnetapp.dll\nwwwroot\n||0",
        );
        check(
            GNU,
            &["c", "ls", "-a"],
            ".\n..\n.hidden\nappsettings.json\naspnetapp.dll\nwwwroot\n||0",
        );
        check(
            GNU,
            &["c", "ls", "-A", "/app"],
            ".hidden\nappsettings.json\naspnetapp.dll\nwwwroot\n||0",
        );
        check(
            GNU,
            &["c", "ls", "/nope"],
            "|ls: cannot access '/nope': No such file or directory\n|2",
        );
        check(
            BB,
            &["c", "ls", "/nope"],
            "|ls: /nope: No such file or directory\n|1",
        );
        check(
            GNU,
            &["c", "ls", "/app/wwwroot", "/app/appsettings.json"],
            "/app/appsettings.json\n\n/app/wwwroot:\ncss\n||0",
        );
        check(
            GNU,
            &["c", "ls", "-z"],
            "|ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n|2",
        );
        check(
            GNU,
            &["-u", "app", "c", "ls", "/root"],
            "|ls: cannot open directory '/root': Permission denied\n|2",
        );
        check(
            BB,
            &["-u", "app", "c", "ls", "/root"],
            "|ls: can't open '/root': Permission denied\n|1",
        );
    }

    #[test]
    fn ls_long() {
        check(
            GNU,
            &["c", "ls", "-l", "/app"],
            "total 24\n\
-rw-r--r-- 1 root root    26 May  1 11:00 appsettings.json\n\
-rw-r--r-- 1 root root 12800 May  1 11:00 aspnetapp.dll\n\
drwxr-xr-x 3 root root  4096 Jan  1  1970 wwwroot\n||0",
        );
        check(
            BB,
            &["c", "ls", "-l", "/app"],
            "total 24\n\
-rw-r--r--    1 root     root            26 May  1 11:00 appsettings.json\n\
-rw-r--r--    1 root     root         12800 May  1 11:00 aspnetapp.dll\n\
drwxr-xr-x    3 root     root          4096 Jan  1  1970 wwwroot\n||0",
        );
        check(
            GNU,
            &["c", "ls", "-lh", "/app/aspnetapp.dll"],
            "-rw-r--r-- 1 root root 13K May  1 11:00 /app/aspnetapp.dll\n||0",
        );
    }

    #[test]
    fn ls_tty_columns() {
        check(
            GNU,
            &["-t", "c", "ls", "/app"],
            "appsettings.json  aspnetapp.dll  wwwroot\n||0",
        );
        let names: Vec<String> = (0..30).map(|i| format!("file{i:02}.txt")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let out = columns(&refs, 80, false);
        assert_eq!(out.lines().count(), 5);
        assert!(out.starts_with("file00.txt  file05.txt  file10.txt"));
    }

    #[test]
    fn cat_per_family() {
        check(
            GNU,
            &["c", "cat", "appsettings.json"],
            "{\n  \"AllowedHosts\": \"*\"\n}\n||0",
        );
        check(
            GNU,
            &["c", "cat", "x"],
            "|cat: x: No such file or directory\n|1",
        );
        check(
            BB,
            &["c", "cat", "x"],
            "|cat: can't open 'x': No such file or directory\n|1",
        );
        check(GNU, &["c", "cat", "/app"], "|cat: /app: Is a directory\n|1");
        check(
            BB,
            &["c", "cat", "/app"],
            "|cat: read error: Is a directory\n|1",
        );
        check(
            GNU,
            &["-u", "app", "c", "cat", "/root/secret"],
            "|cat: /root/secret: Permission denied\n|1",
        );
        let r = exec(&view(GNU), &["c", "cat", "aspnetapp.dll"]);
        assert_eq!(r.exit_code, 0);
        assert!(r.note.is_some_and(|n| n.contains("12800-byte")));
    }

    #[test]
    fn identity_commands() {
        check(GNU, &["c", "pwd"], "/app\n||0");
        check(GNU, &["-w", "/tmp/..", "c", "pwd"], "/\n||0");
        check(GNU, &["c", "whoami"], "root\n||0");
        check(
            GNU,
            &["-u", "1000", "c", "whoami"],
            "|whoami: cannot find name for user ID 1000\n|1",
        );
        check(
            BB,
            &["-u", "1000", "c", "whoami"],
            "|whoami: unknown uid 1000\n|1",
        );
        check(
            GNU,
            &["c", "id"],
            "uid=0(root) gid=0(root) groups=0(root)\n||0",
        );
        check(
            GNU,
            &["-u", "app", "c", "id"],
            "uid=1654(app) gid=1654(app) groups=1654(app)\n||0",
        );
        check(
            GNU,
            &["-u", "1000:1000", "c", "id"],
            "uid=1000 gid=1000 groups=1000\n||0",
        );
        check(GNU, &["c", "id", "-un"], "root\n||0");
        check(GNU, &["c", "hostname"], "0123456789ab\n||0");
        check(GNU, &["c", "echo", "hello", "world"], "hello world\n||0");
        check(GNU, &["c", "echo", "-n", "x"], "x||0");
        check(GNU, &["c", "echo", "-e", "a\\tb"], "a\tb\n||0");
        check(GNU, &["c", "sh", "-c", "echo hi there"], "hi there\n||0");
        check(
            GNU,
            &["c", "sh", "-c", "nope"],
            "|sh: 1: nope: not found\n|127",
        );
    }

    #[test]
    fn env_of_the_exec_process() {
        check(
            GNU,
            &["-e", "A=1", "c", "env"],
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=0123456789ab\nASPNETCORE_HTTP_PORTS=8080\nAPP_UID=1654\nA=1\nHOME=/root\n||0",
        );
        let r = exec(&view(GNU), &["-t", "-u", "app", "c", "env"]);
        assert!(r.stdout.contains("TERM=xterm\n"));
        assert!(r.stdout.ends_with("HOME=/home/app\n"));
    }

    #[test]
    fn missing_and_unmodelled_programs() {
        check(
            GNU,
            &["c", "ipconfig"],
            "|OCI runtime exec failed: exec failed: unable to start container process: exec: \"ipconfig\": executable file not found in $PATH: unknown\n|127",
        );
        check(
            GNU,
            &["c", "/x/y"],
            "|OCI runtime exec failed: exec failed: unable to start container process: exec: \"/x/y\": stat /x/y: no such file or directory: unknown\n|127",
        );
        // Debian slim images have no procps.
        check(
            GNU,
            &["c", "ps"],
            "|OCI runtime exec failed: exec failed: unable to start container process: exec: \"ps\": executable file not found in $PATH: unknown\n|127",
        );
        check(
            BB,
            &["c", "ps"],
            "PID   USER     TIME  COMMAND\n    1 root      0:00 dotnet aspnetapp.dll\n   21 root      0:00 ps\n||0",
        );
        check(
            ToolFamily::None,
            &["c", "ls"],
            "|OCI runtime exec failed: exec failed: unable to start container process: exec: \"ls\": executable file not found in $PATH: unknown\n|127",
        );
        check(
            GNU,
            &["-w", "/nope", "c", "pwd"],
            "|OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd (\"/nope\") set in config.json failed: no such file or directory: unknown\n|127",
        );
        let mut v = view(GNU);
        v.files.insert(
            "/usr/bin/dotnet".into(),
            Box::new(FsEntry {
                mode: 0o755,
                ..FsEntry::file("")
            }),
        );
        let r = exec(&v, &["c", "dotnet", "--info"]);
        assert_eq!(r.exit_code, 0);
        assert_eq!(
            r.note.as_deref(),
            Some("LayerLab does not simulate this command: it would run /usr/bin/dotnet with arguments [\"--info\"] as root in /app.")
        );
    }

    #[test]
    fn exec_argument_errors() {
        check(
            GNU,
            &["c"],
            "|docker: 'docker exec' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help' for more information|1",
        );
        check(
            GNU,
            &["--bogus", "c", "ls"],
            "|unknown flag: --bogus\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nRun 'docker exec --help' for more information|125",
        );
    }

    #[test]
    fn family_detection() {
        let mut files = BTreeMap::new();
        assert_eq!(ToolFamily::detect(&files), ToolFamily::None);
        files.insert(
            "/etc/os-release".into(),
            Box::new(FsEntry::file("NAME=\"Alpine Linux\"\nID=alpine\n")),
        );
        assert_eq!(ToolFamily::detect(&files), ToolFamily::Busybox);
        files.insert(
            "/etc/os-release".into(),
            Box::new(FsEntry::file("ID=debian\n")),
        );
        assert_eq!(ToolFamily::detect(&files), ToolFamily::Coreutils);
        assert_eq!(civil(0), (1970, 1, 1, 0, 0));
        assert_eq!(civil(NOW), (2024, 5, 1, 12, 0));
        assert_eq!(human_size(12_800), "13K");
        assert_eq!(human_size(4096), "4.0K");
        assert_eq!(human_size(1_500_000), "1.5M");
    }
}
