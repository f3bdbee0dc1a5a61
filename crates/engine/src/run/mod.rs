//! `docker run` semantics: what actually runs in a container, as whom,
//! where, and on which port.
//!
//! The pipeline, all pure functions over plain data:
//!
//! 1. [`parse_run_args`] parses `docker run` / `docker create` arguments
//!    exactly as the docker CLI (v29, spf13/pflag) does, into
//!    [`RunOptions`], or fails with the CLI's own [`DockerError`].
//! 2. [`plan_run`] combines the options with the image's
//!    [`ImageConfig`](crate::image::ImageConfig) and the simulated host
//!    ([`ContainerInput`]) into a [`RunPlan`]: argv from the
//!    ENTRYPOINT/CMD table, environment, working directory, user (resolved
//!    against the image's /etc/passwd), PID 1 and signals, port mappings
//!    checked against what the process listens on ([`detect_app`]), and
//!    explanations. [`RunPlan::render_text`] renders it.
//! 3. [`parse_exec_args`] and [`exec_in_container`] run simple commands
//!    (`ls`, `cat`, `env`, ...) in a [`ContainerView`] of the running
//!    container, with BusyBox or coreutils output.
//!
//! Architecture invariant: no I/O, no clock, no randomness. Files the CLI
//! would read (`--env-file`) and its environment come in [`HostInput`];
//! the container ID, "now" and used host ports come from the caller.

mod apps;
mod args;
mod exec;
mod flags;
pub(crate) mod goutil;
mod plan;
mod ports;
mod process;
mod user;

use serde::Serialize;

pub use apps::{detect_app, AppModel, Confidence, Listener};
pub use args::{
    parse_env_file, parse_exec_args, parse_run_args, ExecOptions, HostInput, MountKind, MountSpec,
    PullPolicy, RestartPolicy, RunCommand, RunOptions,
};
pub use exec::{
    exec_in_container, ContainerView, ExecResult, FsEntry, FsKind, ProcessInfo, ToolFamily,
};
pub use plan::{
    generate_name, name_conflict_error, plan_run, ContainerInput, Pid1, Pid1Kind, PortMapping,
    PortSource, PortStatus, RunPlan, UsedHostPort, EPHEMERAL_PORT_END, EPHEMERAL_PORT_START,
};
pub use ports::{parse_expose, parse_exposed_key, parse_publish, Protocol, PublishSpec};
pub use process::{
    config_env, is_shell_form, process_env, resolve_argv, working_dir, ArgvResolution, EnvOrigin,
    EnvVar, DEFAULT_PATH,
};
pub use user::{parse_group, parse_passwd, resolve_user, GroupEntry, PasswdEntry, ProcessUser};

/// An error as the docker CLI reports it: the text it prints on stderr
/// and its exit status (125 for errors of docker itself, 1 for cobra's
/// argument-count errors and other plain errors, as the real CLI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockerError {
    /// The message, possibly several lines, without the final newline.
    pub message: String,
    /// The exit status of the `docker` command.
    pub exit_code: i32,
}

impl DockerError {
    /// A new error.
    pub fn new(message: impl Into<String>, exit_code: i32) -> Self {
        DockerError {
            message: message.into(),
            exit_code,
        }
    }
}

impl std::fmt::Display for DockerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DockerError {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::image::ImageConfig;

    fn sv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Story steps 6-7: run the tutorial's image, then `docker exec
    /// aspnetcore_sample ls /app` in the container the plan describes.
    #[test]
    fn story_run_then_exec_ls() {
        let image = ImageConfig {
            env: sv(&[
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "APP_UID=1654",
                "ASPNETCORE_HTTP_PORTS=8080",
                "DOTNET_VERSION=8.0.11",
                "ASPNET_VERSION=8.0.11",
            ]),
            entrypoint: Some(sv(&["dotnet", "aspnetapp.dll"])),
            working_dir: "/app".into(),
            ..Default::default()
        };
        let args = sv(&[
            "-it",
            "--rm",
            "-p",
            "5000:8080",
            "--name",
            "aspnetcore_sample",
            "aspnetapp",
        ]);
        let opts = parse_run_args(RunCommand::Run, &args, &HostInput::default());
        let Ok(opts) = opts else {
            panic!("{opts:?}");
        };
        let passwd = "root:x:0:0:root:/root:/bin/bash\napp:x:1654:1654::/home/app:/bin/sh\n";
        let input = ContainerInput {
            passwd: Some(passwd.into()),
            ..ContainerInput::new(&"ab".repeat(32))
        };
        let plan = plan_run(&opts, &image, &input);
        let Ok(plan) = plan else {
            panic!("{plan:?}");
        };
        assert_eq!(plan.argv, ["dotnet", "aspnetapp.dll"]);
        assert_eq!(plan.pid1.kind, Pid1Kind::App);
        assert_eq!((plan.cwd.as_str(), plan.user.uid), ("/app", 0));
        assert_eq!(plan.ports[0].display(), "0.0.0.0:5000->8080/tcp");
        assert_eq!(plan.ports[0].status, PortStatus::Listening);

        let mut files = BTreeMap::new();
        files.insert("/etc/passwd".to_string(), FsEntry::file(passwd));
        files.insert("/etc/debian_version".to_string(), FsEntry::file("12.8\n"));
        for f in [
            "aspnetapp.dll",
            "aspnetapp.deps.json",
            "appsettings.json",
            "wwwroot/favicon.ico",
        ] {
            files.insert(format!("/app/{f}"), FsEntry::file(""));
        }
        let files = files.into_iter().map(|(k, e)| (k, Box::new(e))).collect();
        let view = ContainerView {
            family: ToolFamily::detect(&files),
            files,
            hostname: plan.hostname.clone(),
            config_env: plan.config_env.clone(),
            working_dir: plan.cwd.clone(),
            user: plan.user.spec.clone(),
            processes: vec![ProcessInfo {
                pid: 1,
                ppid: 0,
                user: plan.user.display_name(),
                argv: plan.argv.clone(),
            }],
            next_pid: 20,
            now: 0,
        };
        let exec = parse_exec_args(
            &sv(&["aspnetcore_sample", "ls", "/app"]),
            &HostInput::default(),
        );
        let Ok(exec) = exec else {
            panic!("{exec:?}");
        };
        let r = exec_in_container(&view, &exec);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str(), r.exit_code),
            (
                "appsettings.json\naspnetapp.deps.json\naspnetapp.dll\nwwwroot\n",
                "",
                0
            )
        );
        assert_eq!(
            r.env,
            plan.env
                .iter()
                .filter(|e| !e.starts_with("TERM="))
                .cloned()
                .collect::<Vec<_>>()
        );
    }

    /// Malformed arguments never panic: every short combination of tricky
    /// tokens parses to options or a Docker error, and plans or fails.
    #[test]
    fn no_panics_on_odd_arguments() {
        let tokens = [
            "-",
            "--",
            "---",
            "-=",
            "--=",
            "-p",
            "-p=",
            "-p:",
            "-p[",
            "-p[::1]:80",
            "-p]:1:1",
            "-p65536",
            "-p0-0",
            "-p1-0",
            "-p::::",
            "-p/tcp",
            "-e",
            "-e=",
            "-é",
            "-ié",
            "--é",
            "--name=",
            "--mount=",
            "--mount=\"",
            "--mount=type=",
            "-v",
            "-v::",
            "-va:b:c:d",
            "--network=a=b",
            "--restart=:",
            "--restart=x:-1",
            "-u",
            "-u:",
            "-u99999999999",
            "-w",
            "-wrel",
            "--entrypoint",
            "--init=maybe",
            "--expose=-",
            "--cpus=.",
            "-m=1.5.5g",
            "--health-interval=1.h",
            "img",
            "",
        ];
        let image = ImageConfig {
            cmd: Some(sv(&["/bin/sh", "-c", "'unterminated \"quote \\"])),
            ..Default::default()
        };
        let host = HostInput::default();
        for a in tokens {
            for b in tokens {
                for c in ["img", "--rm", "-itdP"] {
                    let args = sv(&[a, b, c]);
                    for command in [RunCommand::Run, RunCommand::Create] {
                        if let Ok(opts) = parse_run_args(command, &args, &host) {
                            let _ = plan_run(&opts, &image, &ContainerInput::new("x"));
                        }
                    }
                }
            }
        }
    }
}
