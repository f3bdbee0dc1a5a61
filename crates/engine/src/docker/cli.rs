//! The one entry point both front ends call: [`execute`] runs a `docker`
//! command line over a [`State`] and returns what the real CLI would
//! print ([`Output`]). The front end provides a [`Host`] for what the
//! CLI reads from the machine (files, the build context, environment
//! variables, whether standard input is a terminal): the engine does no
//! I/O itself.
//!
//! Modelled: the docker CLI 29.7.2 talking to Docker Engine 29.7.2
//! (API 1.55) with the overlay2 storage driver and BuildKit v0.32.2; see
//! [`crate::image_store`] for the modelled clock.

use std::collections::BTreeMap;

use crate::context::Context;
use crate::state::State;

use super::flags::{self, b, v, CliError, Command, Flag};
use super::template::{Template, Value};
use super::{containers, format, images, system};

/// What the docker CLI reads from the machine it runs on. The native CLI
/// implements it with real files and its environment; the web app with
/// the files of the playground.
pub trait Host {
    /// Reads a file the CLI would read (`-f FILE`, `--env-file FILE`,
    /// `--label-file FILE`), relative to the working directory; `-` is
    /// standard input. The error is the OS's reason (`no such file or
    /// directory`).
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String>;
    /// Loads the build context at `path` as `docker build PATH` would
    /// send it: a folder, a `.tar` / `.tar.gz` archive, or `-` (a tar on
    /// standard input). `dockerfile` is the Dockerfile's path inside the
    /// context: like the docker CLI, a host reading a folder may leave out
    /// what `<dockerfile>.dockerignore` (else `.dockerignore`) excludes,
    /// keeping the Dockerfile and the ignore files themselves. The engine
    /// applies `.dockerignore` again either way.
    fn load_context(&mut self, path: &str, dockerfile: &str) -> Result<Context, String>;
    /// The CLI's environment variables (`-e NAME`, `--build-arg NAME`).
    fn env(&self) -> BTreeMap<String, String>;
    /// Whether standard input is a terminal (`docker run -it` needs one).
    fn stdin_is_terminal(&self) -> bool;
}

/// A [`Host`] over data in memory: for tests and the web playground.
#[derive(Debug, Clone, Default)]
pub struct MemoryHost {
    /// Files by path as given on the command line.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Build contexts by path (`.`).
    pub contexts: BTreeMap<String, Context>,
    /// Environment variables.
    pub env: BTreeMap<String, String>,
    /// Standard input, if any.
    pub stdin: Option<Vec<u8>>,
    /// Whether standard input is a terminal.
    pub tty: bool,
}

impl Host for MemoryHost {
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        if path == "-" {
            return Ok(self.stdin.take().unwrap_or_default());
        }
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file or directory".to_string())
    }

    fn load_context(&mut self, path: &str, _dockerfile: &str) -> Result<Context, String> {
        if path == "-" {
            let bytes = self.stdin.take().unwrap_or_default();
            return Context::from_archive(&bytes).map_err(|e| e.to_string());
        }
        let key = path.trim_end_matches('/');
        let key = if key.is_empty() { "/" } else { key };
        self.contexts
            .get(key)
            .or_else(|| self.contexts.get(path))
            .cloned()
            .ok_or_else(|| format!("path {path:?} not found"))
    }

    fn env(&self) -> BTreeMap<String, String> {
        self.env.clone()
    }

    fn stdin_is_terminal(&self) -> bool {
        self.tty
    }
}

/// What a docker command printed, and its exit status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit status.
    pub exit_code: i32,
}

/// The state of one command while it runs.
pub(crate) struct Ctx<'a> {
    pub host: &'a mut dyn Host,
    pub state: &'a mut State,
    /// LayerLab's global `--json`: one JSON document on stdout.
    pub json: bool,
    pub out: String,
    pub err: String,
    /// The report of the build a `docker build` ran, for
    /// [`execute_with_build`].
    pub build: Option<crate::build::BuildReport>,
}

/// A command's result.
pub(crate) type Res = Result<(), CliError>;

/// The modelled versions.
pub mod versions {
    /// docker CLI version.
    pub const CLI: &str = "29.7.2";
    /// docker CLI git commit.
    pub const CLI_COMMIT: &str = "9f4be4f";
    /// Docker Engine version.
    pub const ENGINE: &str = "29.7.2";
    /// Docker Engine git commit.
    pub const ENGINE_COMMIT: &str = "d681cda";
    /// API version.
    pub const API: &str = "1.55";
    /// Minimum API version.
    pub const MIN_API: &str = "1.40";
    /// Go version both are built with.
    pub const GO: &str = "go1.26.5";
    /// Build time of both (the tag's commit time).
    pub const BUILT: &str = "Wed Aug  5 17:34:15 2026";
    /// BuildKit version in the engine.
    pub const BUILDKIT: &str = "v0.32.2";
    /// containerd version.
    pub const CONTAINERD: &str = "v2.3.3";
    /// runc version.
    pub const RUNC: &str = "1.4.3";
}

const GLOBAL_FLAGS: &[Flag] = &[
    v("config", None),
    v("context", Some('c')),
    b("debug", Some('D')),
    v("host", Some('H')),
    v("log-level", Some('l')),
    b("tls", None),
    v("tlscacert", None),
    v("tlscert", None),
    v("tlskey", None),
    b("tlsverify", None),
    b("version", Some('v')),
    b("json", None),
];

/// Runs one `docker` command line (the words after `docker`; a leading
/// `docker` is skipped) over `state`.
pub fn execute(argv: &[String], host: &mut dyn Host, state: &mut State) -> Output {
    execute_with_build(argv, host, state).0
}

/// Runs one `docker` command line as [`execute`] does and, when it ran a
/// build (`docker build ...`, also one that failed), also returns that
/// build's report: the output and the report come from one and the same
/// build, so a front end can show its steps next to the CLI's output
/// without building twice.
pub fn execute_with_build(
    argv: &[String],
    host: &mut dyn Host,
    state: &mut State,
) -> (Output, Option<crate::build::BuildReport>) {
    let argv: &[String] = match argv.first() {
        Some(d) if d == "docker" => &argv[1..],
        _ => argv,
    };
    crate::image_store::advance(state, crate::image_store::COMMAND_SECONDS);
    let mut ctx = Ctx {
        host,
        state,
        json: false,
        out: String::new(),
        err: String::new(),
        build: None,
    };
    let code = match run(&mut ctx, argv) {
        Ok(()) => 0,
        Err(e) => {
            if !e.message.is_empty() {
                ctx.err.push_str(&e.message);
                ctx.err.push('\n');
            }
            e.code
        }
    };
    let output = Output {
        stdout: ctx.out,
        stderr: ctx.err,
        exit_code: code,
    };
    (output, ctx.build)
}

/// The same, with `&str` words.
pub fn execute_str(argv: &[&str], host: &mut dyn Host, state: &mut State) -> Output {
    let v: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    execute(&v, host, state)
}

fn root() -> Command {
    Command::new("docker", "[OPTIONS] COMMAND [ARG...]")
}

fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let p = flags::parse(&root(), GLOBAL_FLAGS, argv, false)?;
    for line in &p.stderr {
        ctx.err.push_str(line);
        ctx.err.push('\n');
    }
    ctx.json = p.on("json");
    if p.on("version") {
        ctx.out.push_str(&format!(
            "Docker version {}, build {}\n",
            versions::CLI,
            versions::CLI_COMMIT
        ));
        return Ok(());
    }
    let args = &p.args;
    let Some(cmd) = args.first() else {
        if p.on("help") {
            ctx.out.push_str(&help_text());
        } else {
            ctx.err.push_str(&help_text());
        }
        return Ok(());
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "build" => cmd_build(ctx, args),
        "buildx" | "builder" => match rest.first().map(String::as_str) {
            Some("build" | "b") => cmd_build(ctx, rest),
            Some("prune") if cmd == "builder" => images::builder_prune(ctx, &rest[1..]),
            _ => group(ctx, cmd, rest, &["build", "prune"]),
        },
        "images" => images::list(
            ctx,
            &const { Command::new("docker images", "[OPTIONS] [REPOSITORY[:TAG]]") },
            rest,
            true,
        ),
        "history" => images::history(
            ctx,
            &const { Command::new("docker history", "[OPTIONS] IMAGE") },
            rest,
        ),
        "pull" => images::pull(
            ctx,
            &const { Command::new("docker pull", "[OPTIONS] NAME[:TAG|@DIGEST]") },
            rest,
        ),
        "rmi" => images::rmi(
            ctx,
            &const { Command::new("docker rmi", "[OPTIONS] IMAGE [IMAGE...]") },
            rest,
        ),
        "tag" => images::tag(
            ctx,
            &const { Command::new("docker tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]") },
            rest,
        ),
        "inspect" => system::inspect(ctx, rest),
        "run" => containers::run(ctx, crate::run::RunCommand::Run, rest),
        "create" => containers::run(ctx, crate::run::RunCommand::Create, rest),
        "start" => containers::start(
            ctx,
            &const { Command::new("docker start", "[OPTIONS] CONTAINER [CONTAINER...]") },
            rest,
        ),
        "ps" => containers::ps(ctx, &const { Command::new("docker ps", "[OPTIONS]") }, rest),
        "exec" => containers::exec(ctx, rest),
        "stop" => containers::stop(
            ctx,
            &const { Command::new("docker stop", "[OPTIONS] CONTAINER [CONTAINER...]") },
            rest,
            false,
        ),
        "kill" => containers::stop(
            ctx,
            &const { Command::new("docker kill", "[OPTIONS] CONTAINER [CONTAINER...]") },
            rest,
            true,
        ),
        "rm" => containers::rm(
            ctx,
            &const { Command::new("docker rm", "[OPTIONS] CONTAINER [CONTAINER...]") },
            rest,
        ),
        "logs" => containers::logs(
            ctx,
            &const { Command::new("docker logs", "[OPTIONS] CONTAINER") },
            rest,
        ),
        "port" => containers::port(
            ctx,
            &const { Command::new("docker port", "CONTAINER [PRIVATE_PORT[/PROTO]]") },
            rest,
        ),
        "version" => system::version(ctx, rest),
        "info" => system::info(
            ctx,
            &const { Command::new("docker info", "[OPTIONS]") },
            rest,
        ),
        "image" => {
            let Some(sub) = rest.first() else {
                return group(ctx, cmd, rest, &[]);
            };
            let more = &rest[1..];
            match sub.as_str() {
                "ls" | "list" => images::list(
                    ctx,
                    &const { Command::new("docker image ls", "[OPTIONS] [REPOSITORY[:TAG]]") },
                    more,
                    false,
                ),
                "history" => images::history(
                    ctx,
                    &const { Command::new("docker image history", "[OPTIONS] IMAGE") },
                    more,
                ),
                "inspect" => images::inspect(
                    ctx,
                    &const { Command::new("docker image inspect", "[OPTIONS] IMAGE [IMAGE...]") },
                    more,
                ),
                "pull" => images::pull(
                    ctx,
                    &const { Command::new("docker image pull", "[OPTIONS] NAME[:TAG|@DIGEST]") },
                    more,
                ),
                "rm" | "remove" | "rmi" => images::rmi(
                    ctx,
                    &const { Command::new("docker image rm", "[OPTIONS] IMAGE [IMAGE...]") },
                    more,
                ),
                "tag" => images::tag(
                    ctx,
                    &const { Command::new("docker image tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]") },
                    more,
                ),
                "prune" => images::image_prune(ctx, more),
                "build" => cmd_build(ctx, rest),
                _ => group(ctx, cmd, rest, &[]),
            }
        }
        "container" => {
            let Some(sub) = rest.first() else {
                return group(ctx, cmd, rest, &[]);
            };
            let more = &rest[1..];
            match sub.as_str() {
                "ls" | "list" | "ps" => containers::ps(
                    ctx,
                    &const { Command::new("docker container ls", "[OPTIONS]") },
                    more,
                ),
                "run" => containers::run(ctx, crate::run::RunCommand::Run, more),
                "create" => containers::run(ctx, crate::run::RunCommand::Create, more),
                "start" => containers::start(
                    ctx,
                    &const {
                        Command::new(
                            "docker container start",
                            "[OPTIONS] CONTAINER [CONTAINER...]",
                        )
                    },
                    more,
                ),
                "exec" => containers::exec(ctx, more),
                "stop" => containers::stop(
                    ctx,
                    &const {
                        Command::new(
                            "docker container stop",
                            "[OPTIONS] CONTAINER [CONTAINER...]",
                        )
                    },
                    more,
                    false,
                ),
                "kill" => containers::stop(
                    ctx,
                    &const {
                        Command::new(
                            "docker container kill",
                            "[OPTIONS] CONTAINER [CONTAINER...]",
                        )
                    },
                    more,
                    true,
                ),
                "rm" | "remove" => containers::rm(
                    ctx,
                    &const { Command::new("docker container rm", "[OPTIONS] CONTAINER [CONTAINER...]") },
                    more,
                ),
                "logs" => containers::logs(
                    ctx,
                    &const { Command::new("docker container logs", "[OPTIONS] CONTAINER") },
                    more,
                ),
                "port" => containers::port(
                    ctx,
                    &const { Command::new("docker container port", "CONTAINER [PRIVATE_PORT[/PROTO]]") },
                    more,
                ),
                "inspect" => containers::inspect_cmd(
                    ctx,
                    &const {
                        Command::new(
                            "docker container inspect",
                            "[OPTIONS] CONTAINER [CONTAINER...]",
                        )
                    },
                    more,
                ),
                "prune" => containers::prune(ctx, more),
                _ => group(ctx, cmd, rest, &[]),
            }
        }
        "system" => match rest.first().map(String::as_str) {
            Some("df") => images::system_df(ctx, &rest[1..]),
            Some("info") => system::info(
                ctx,
                &const { Command::new("docker system info", "[OPTIONS]") },
                &rest[1..],
            ),
            _ => group(ctx, cmd, rest, &[]),
        },
        other => {
            if p.on("help") {
                ctx.out.push_str(&help_text());
                return Ok(());
            }
            Err(CliError::new(format!(
                "docker: unknown command: docker {other}\n\nRun 'docker --help' for more information"
            )))
        }
    }
}

/// A management command (`docker image`) without a known subcommand.
fn group(ctx: &mut Ctx<'_>, cmd: &str, rest: &[String], _known: &[&str]) -> Res {
    match rest.first() {
        None => {
            ctx.err.push_str(&format!(
                "\nUsage:  docker {cmd} COMMAND\n\nRun 'docker {cmd} --help' for more information\n"
            ));
            Ok(())
        }
        Some(h) if h == "--help" || h == "-h" => {
            ctx.out.push_str(&format!("\nUsage:  docker {cmd} COMMAND\n"));
            Ok(())
        }
        Some(sub) if sub.starts_with('-') => Err(CliError {
            message: format!(
                "unknown flag: {sub}\n\nUsage:  docker {cmd} COMMAND\n\nRun 'docker {cmd} --help' for more information"
            ),
            code: 125,
        }),
        Some(sub) => Err(CliError::new(format!(
            "docker: unknown command: docker {cmd} {sub}\n\nUsage:  docker {cmd} COMMAND\n\nRun 'docker {cmd} --help' for more information"
        ))),
    }
}

fn help_text() -> String {
    "\nUsage:  docker [OPTIONS] COMMAND\n\n\
A self-sufficient runtime for containers (simulated by LayerLab: no Docker engine runs)\n\n\
Common Commands:\n  run         Create and run a new container from an image\n  exec        Execute a command in a running container\n  ps          List containers\n  build       Build an image from a Dockerfile\n  pull        Download an image from a registry\n  images      List images\n  version     Show the Docker version information\n  info        Display system-wide information\n\n\
Management Commands:\n  builder     Manage builds\n  container   Manage containers\n  image       Manage images\n  system      Manage Docker\n\n\
Commands:\n  create      Create a new container\n  history     Show the history of an image\n  inspect     Return low-level information on Docker objects\n  kill        Kill one or more running containers\n  logs        Fetch the logs of a container\n  port        List port mappings or a specific mapping for the container\n  rm          Remove one or more containers\n  rmi         Remove one or more images\n  start       Start one or more stopped containers\n  stop        Stop one or more running containers\n  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n\n\
Global Options:\n      --json     LayerLab: print one JSON document\n  -v, --version  Print version information and quit\n\n\
Run 'docker COMMAND --help' for more information on a command.\n"
        .to_string()
}

/// A short usage text for `--help` of a command.
pub(crate) fn usage(ctx: &mut Ctx<'_>, cmd: &Command, short: &str) -> Res {
    ctx.out
        .push_str(&format!("\nUsage:  {}\n\n{short}\n", cmd.use_line()));
    Ok(())
}

/// Renders rows with a `--format` value the way the CLI's formatter
/// does: `table ...` (header, tab-aligned), `json`, or a custom template.
pub(crate) fn render(format_str: &str, header: &Value, rows: &[Value]) -> Result<String, CliError> {
    let is_table = format_str.starts_with("table");
    let src = template_string(format_str);
    let tmpl = Template::parse(&src)
        .map_err(|e| CliError::new(format!("template parsing error: template: {}", e.0)))?;
    let mut body = String::new();
    for r in rows {
        let s = tmpl.execute(r, false).map_err(|e| {
            CliError::new(format!(
                "template parsing error: template: :1: executing \"\": {}",
                e.0
            ))
        })?;
        body.push_str(&s);
        body.push('\n');
    }
    if !is_table {
        return Ok(body);
    }
    let mut text = tmpl
        .execute(header, true)
        .map_err(|e| CliError::new(format!("template parsing error: template: {}", e.0)))?;
    text.push('\n');
    text.push_str(&body);
    Ok(format::table(&text))
}

/// The formatter's `templateString`.
pub(crate) fn template_string(f: &str) -> String {
    match f {
        "table" => return String::new(),
        "json" => return "{{json .}}".into(),
        _ => {}
    }
    let f = f.strip_prefix("table").unwrap_or(f);
    f.trim_matches(' ')
        .replace("\\t", "\t")
        .replace("\\n", "\n")
}

/// A header map for tables.
pub(crate) fn header(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Value::str(*v)))
            .collect(),
    )
}

fn build_flag_code(message: &str) -> i32 {
    if message.starts_with("unknown flag")
        || message.starts_with("unknown shorthand")
        || message.starts_with("flag needs")
        || message.starts_with("invalid argument")
    {
        125
    } else {
        1
    }
}

/// `docker build` (and `docker buildx build`, `docker image build`,
/// `docker builder build`): `args` starts with `build`.
fn cmd_build(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    use super::build::{
        render_plain, render_quiet, report_json, run as run_build, BuildCommand, Progress,
    };
    if args.iter().any(|a| a == "--help") {
        return usage(
            ctx,
            &const { Command::new("docker buildx build", "[OPTIONS] PATH | URL | -") },
            "Start a build",
        );
    }
    let mut cmd = BuildCommand::parse(args).map_err(|e| CliError {
        code: build_flag_code(&e.message),
        message: if e.message.starts_with('"') {
            e.message
        } else {
            format!("ERROR: {}", e.message)
        },
    })?;
    let env = ctx.host.env();
    for (k, v) in &mut cmd.build_args {
        if v.is_none() {
            if let Some(val) = env.get(k.as_str()) {
                *v = Some(val.clone());
            }
        }
    }
    let context = ctx
        .host
        .load_context(&cmd.context, &cmd.dockerfile_path())
        .map_err(|e| CliError::new(format!("ERROR: unable to prepare context: {e}")))?;
    let dockerfile: Option<String> = match &cmd.file {
        Some(f) if f == "-" => {
            Some(String::from_utf8_lossy(&ctx.host.read_file("-").unwrap_or_default()).into_owned())
        }
        Some(f) => ctx
            .host
            .read_file(f)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
        None => None,
    };
    let started = crate::image_store::now(ctx.state);
    let report = run_build(&cmd, &context, dockerfile.as_deref(), ctx.state);
    let shown_text = dockerfile.clone().or_else(|| {
        context
            .read(&cmd.dockerfile_path())
            .map(|b| String::from_utf8_lossy(b).into_owned())
    });
    let seconds = report.duration_s.ceil() as i64;
    crate::image_store::advance(ctx.state, seconds);
    // Layers made by this build were made when it finished.
    let finished = crate::image_store::now(ctx.state);
    for l in ctx.state.layers.values_mut() {
        if l.created == started {
            l.created = finished;
        }
    }
    if let Some(img) = &report.image {
        crate::image_store::record_built(ctx.state, &img.id, !img.tags.is_empty());
    }
    if ctx.json || cmd.progress == Progress::Json {
        let v = report_json(&report);
        ctx.out
            .push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
        ctx.out.push('\n');
    } else if cmd.progress == Progress::Quiet {
        ctx.out.push_str(&render_quiet(&report));
    } else {
        ctx.err
            .push_str(&render_plain(&report, shown_text.as_deref()));
    }
    let failed = report.error.is_some();
    ctx.build = Some(report);
    if failed {
        return Err(CliError {
            message: String::new(),
            code: 1,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_string_like_the_formatter() {
        assert_eq!(template_string("json"), "{{json .}}");
        assert_eq!(
            template_string("table {{.ID}}\\t{{.Size}}"),
            "{{.ID}}\t{{.Size}}"
        );
        let rows = [Value::Ctx(
            "*x".into(),
            vec![
                ("ID".into(), Value::str("abc")),
                ("Size".into(), Value::str("1MB")),
            ],
        )];
        let h = header(&[("ID", "IMAGE ID"), ("Size", "SIZE")]);
        assert_eq!(
            render("table {{.ID}}\\t{{.Size}}", &h, &rows)
                .ok()
                .as_deref(),
            Some("IMAGE ID   SIZE\nabc        1MB\n")
        );
        assert_eq!(render("{{.ID}}", &h, &rows).ok().as_deref(), Some("abc\n"));
    }
}
