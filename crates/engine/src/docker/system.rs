//! `docker version`, `docker info` (the modelled Docker and BuildKit
//! versions) and the generic `docker inspect`.

use super::cli::{usage, versions, Ctx, Res};
use super::flags::{self, b, v, CliError, Command};
use super::format::tabwrite;
use super::template::{Template, Value};

fn version_value() -> Value {
    let s = |x: &str| Value::str(x);
    let component = |name: &str, version: &str, details: Vec<(&str, &str)>| {
        Value::Struct(
            "system.ComponentVersion".into(),
            vec![
                ("Name".into(), s(name)),
                ("Version".into(), s(version)),
                (
                    "Details".into(),
                    Value::Map(
                        details
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), s(v)))
                            .collect(),
                    ),
                ),
            ],
        )
    };
    Value::Struct(
        "system.versionInfo".into(),
        vec![
            (
                "Client".into(),
                Value::Struct(
                    "system.clientVersion".into(),
                    vec![
                        ("Version".into(), s(versions::CLI)),
                        ("ApiVersion".into(), s(versions::API)),
                        ("DefaultAPIVersion".into(), s(versions::API)),
                        ("GitCommit".into(), s(versions::CLI_COMMIT)),
                        ("GoVersion".into(), s(versions::GO)),
                        ("Os".into(), s("linux")),
                        ("Arch".into(), s("amd64")),
                        ("BuildTime".into(), s(versions::BUILT)),
                        ("Context".into(), s("default")),
                    ],
                ),
            ),
            (
                "Server".into(),
                Value::Struct(
                    "system.serverVersion".into(),
                    vec![
                        (
                            "Platform".into(),
                            Value::Struct(
                                "PlatformInfo".into(),
                                vec![("Name".into(), s("Docker Engine - Community"))],
                            ),
                        ),
                        (
                            "Components".into(),
                            Value::List(vec![
                                component(
                                    "Engine",
                                    versions::ENGINE,
                                    vec![
                                        ("ApiVersion", versions::API),
                                        ("Arch", "amd64"),
                                        ("BuildTime", versions::BUILT),
                                        ("Experimental", "false"),
                                        ("GitCommit", versions::ENGINE_COMMIT),
                                        ("GoVersion", versions::GO),
                                        ("KernelVersion", "6.8.0-79-generic"),
                                        ("MinAPIVersion", versions::MIN_API),
                                        ("Os", "linux"),
                                    ],
                                ),
                                component(
                                    "containerd",
                                    versions::CONTAINERD,
                                    vec![("GitCommit", "modelled")],
                                ),
                                component(
                                    "runc",
                                    versions::RUNC,
                                    vec![("GitCommit", "v1.4.3-0-g")],
                                ),
                                component("docker-init", "0.19.0", vec![("GitCommit", "de40ad0")]),
                                component(
                                    "buildkit",
                                    versions::BUILDKIT,
                                    vec![("GitCommit", "modelled")],
                                ),
                            ]),
                        ),
                        ("Version".into(), s(versions::ENGINE)),
                        ("ApiVersion".into(), s(versions::API)),
                        ("MinAPIVersion".into(), s(versions::MIN_API)),
                        ("GitCommit".into(), s(versions::ENGINE_COMMIT)),
                        ("GoVersion".into(), s(versions::GO)),
                        ("Os".into(), s("linux")),
                        ("Arch".into(), s("amd64")),
                        ("KernelVersion".into(), s("6.8.0-79-generic")),
                        ("BuildTime".into(), s(versions::BUILT)),
                    ],
                ),
            ),
        ],
    )
}

/// `docker version`.
pub(crate) fn version(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker version", "[OPTIONS]") };
    let p = flags::parse(cmd, &const { [v("format", Some('f'))] }, args, true)?;
    if p.on("help") {
        return usage(ctx, cmd, "Show the Docker version information");
    }
    flags::none(cmd, &p.args)?;
    let value = version_value();
    let format = p.last("format").unwrap_or("");
    if ctx.json || format == "json" {
        ctx.out.push_str(&value.to_json(false));
        ctx.out.push('\n');
        return Ok(());
    }
    if !format.is_empty() {
        let t = Template::parse(&super::cli::template_string(format))
            .map_err(|e| CliError::new(format!("template parsing error: template: {}", e.0)))?;
        let s = t
            .execute(&value, false)
            .map_err(|e| CliError::new(format!("template: :1: executing \"\": {}", e.0)))?;
        ctx.out.push_str(&s);
        ctx.out.push('\n');
        return Ok(());
    }
    let text = format!(
        "Client: Docker Engine - Community\n Version:\t{cli}\n API version:\t{api}\n Go version:\t{go}\n Git commit:\t{cc}\n Built:\t{built}\n OS/Arch:\tlinux/amd64\n Context:\tdefault\n\n\
Server: Docker Engine - Community\n Engine:\n  Version:\t{eng}\n  API version:\t{api} (minimum version {min})\n  Go version:\t{go}\n  Git commit:\t{ec}\n  Built:\t{built}\n  OS/Arch:\tlinux/amd64\n  Experimental:\tfalse\n containerd:\n  Version:\t{ctrd}\n  GitCommit:\tmodelled\n runc:\n  Version:\t{runc}\n  GitCommit:\tv{runc}-0-g\n docker-init:\n  Version:\t0.19.0\n  GitCommit:\tde40ad0\n buildkit:\n  Version:\t{bk}\n",
        cli = versions::CLI,
        api = versions::API,
        go = versions::GO,
        cc = versions::CLI_COMMIT,
        built = versions::BUILT,
        eng = versions::ENGINE,
        min = versions::MIN_API,
        ec = versions::ENGINE_COMMIT,
        ctrd = versions::CONTAINERD,
        runc = versions::RUNC,
        bk = versions::BUILDKIT,
    );
    ctx.out.push_str(&tabwrite(&text, 20, 1));
    ctx.out.push_str(
        "\n(layerlab) simulated: no Docker engine runs; these are the versions LayerLab models.\n",
    );
    Ok(())
}

/// `docker info` / `docker system info`.
pub(crate) fn info(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(cmd, &const { [v("format", Some('f'))] }, args, true)?;
    if p.on("help") {
        return usage(ctx, cmd, "Display system-wide information");
    }
    flags::none(cmd, &p.args)?;
    let st = &*ctx.state;
    let total = st.containers.len();
    let running = st.containers.values().filter(|c| c.running).count();
    if ctx.json || p.last("format") == Some("json") {
        let doc = serde_json::json!({
            "Containers": total, "ContainersRunning": running, "ContainersPaused": 0,
            "ContainersStopped": total - running, "Images": st.images.len(),
            "Driver": "overlay2", "ServerVersion": versions::ENGINE,
            "BuildKitVersion": versions::BUILDKIT, "OSType": "linux", "Architecture": "x86_64",
        });
        ctx.out
            .push_str(&serde_json::to_string(&doc).unwrap_or_default());
        ctx.out.push('\n');
        return Ok(());
    }
    let mut s = String::new();
    s.push_str("Client: Docker Engine - Community\n");
    s.push_str(&format!(" Version:    {}\n", versions::CLI));
    s.push_str(" Context:    default\n");
    s.push_str(" Debug Mode: false\n");
    s.push_str(" Plugins:\n");
    s.push_str("  buildx: Docker Buildx (Docker Inc.)\n    Version:  v0.33.0\n    Path:     /usr/libexec/docker/cli-plugins/docker-buildx\n");
    s.push('\n');
    s.push_str("Server:\n");
    s.push_str(&format!(" Containers: {total}\n"));
    s.push_str(&format!("  Running: {running}\n"));
    s.push_str("  Paused: 0\n");
    s.push_str(&format!("  Stopped: {}\n", total - running));
    s.push_str(&format!(" Images: {}\n", st.images.len()));
    s.push_str(&format!(" Server Version: {}\n", versions::ENGINE));
    s.push_str(" Storage Driver: overlay2\n  Backing Filesystem: extfs\n  Supports d_type: true\n  Using metacopy: false\n  Native Overlay Diff: true\n  userxattr: false\n");
    s.push_str(" Logging Driver: json-file\n Cgroup Driver: systemd\n Cgroup Version: 2\n");
    s.push_str(" Plugins:\n  Volume: local\n  Network: bridge host ipvlan macvlan null overlay\n  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog\n");
    s.push_str(" Swarm: inactive\n Runtimes: io.containerd.runc.v2 runc\n Default Runtime: runc\n Init Binary: docker-init\n");
    s.push_str(&format!(
        " containerd version: {}\n runc version: v{}\n init version: de40ad0\n",
        versions::CONTAINERD,
        versions::RUNC
    ));
    s.push_str(" Security Options:\n  apparmor\n  seccomp\n   Profile: builtin\n  cgroupns\n");
    s.push_str(" Kernel Version: 6.8.0-79-generic\n Operating System: LayerLab (simulated Docker Engine, no daemon runs)\n OSType: linux\n Architecture: x86_64\n CPUs: 4\n Total Memory: 7.5GiB\n Name: layerlab\n");
    s.push_str(&format!(" Docker Root Dir: /var/lib/docker\n Debug Mode: false\n Experimental: false\n Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n Live Restore Enabled: false\n\n(layerlab) builds are simulated as BuildKit {} would run them.\n", versions::BUILDKIT));
    ctx.out.push_str(&s);
    Ok(())
}

/// `docker inspect`: containers first, then images.
pub(crate) fn inspect(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker inspect", "[OPTIONS] NAME|ID [NAME|ID...]") };
    let p = flags::parse(
        cmd,
        &const {
            [
                v("format", Some('f')),
                b("size", Some('s')),
                v("type", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Return low-level information on Docker objects");
    }
    flags::at_least(cmd, &p.args, 1)?;
    let kind = p.last("type").unwrap_or("");
    if !matches!(kind, "" | "container" | "image") {
        return Err(CliError::new(format!(
            "\"{kind}\" is not a valid value for --type"
        )));
    }
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.args {
        if kind != "image" {
            if let Ok(id) = super::containers::find_container(ctx.state, name) {
                if let Some(c) = ctx.state.containers.get(&id) {
                    found.push(super::containers::inspect_value(c));
                    continue;
                }
            }
        }
        if kind != "container" {
            if let Ok(img) = super::images::find(ctx.state, name) {
                found.push(super::images::inspect_value(ctx.state, &img));
                continue;
            }
        }
        errors.push(match kind {
            "image" => format!(
                "Error response from daemon: {}",
                super::images::no_such_image(name)
            ),
            "container" => format!("Error response from daemon: No such container: {name}"),
            _ => format!("error: no such object: {name}"),
        });
    }
    super::images::print_inspect(ctx, p.last("format").unwrap_or(""), found, errors)
}
