//! What the container's first process is: its argv (the ENTRYPOINT/CMD
//! table of the Dockerfile reference, with `docker run` arguments and
//! `--entrypoint` merged as the daemon does), its environment (the daemon's
//! `merge` and `CreateDaemonEnvironment`, plus the `HOME` runc adds), and
//! its working directory.

use serde::Serialize;

use crate::image::ImageConfig;

/// Which table cell produced the argv, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgvResolution {
    /// The process argv: ENTRYPOINT followed by CMD.
    pub argv: Vec<String>,
    /// The effective ENTRYPOINT part.
    pub entrypoint: Vec<String>,
    /// The effective CMD part.
    pub cmd: Vec<String>,
    /// Short sentences explaining where each part came from.
    pub notes: Vec<String>,
    /// True when the program actually started is a shell running a
    /// shell-form string (`/bin/sh -c "..."`).
    pub shell_form: bool,
}

/// Renders an argv the way the Dockerfile exec form writes it.
pub fn json_array(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// True when `v` is a shell-form instruction as stored in the image config
/// (the SHELL, default `/bin/sh -c`, followed by one string).
pub fn is_shell_form(v: &[String], image: &ImageConfig) -> bool {
    let shell = image.shell_or_default();
    v.len() == shell.len() + 1 && v.starts_with(&shell)
}

/// The shell-form string of `v` when it is one.
fn shell_string<'a>(v: &'a [String], image: &ImageConfig) -> Option<&'a str> {
    if is_shell_form(v, image) {
        v.last().map(String::as_str)
    } else {
        None
    }
}

fn describe(kind: &str, v: &[String], image: &ImageConfig) -> String {
    match shell_string(v, image) {
        Some(s) => format!("{kind} {s} (shell form, stored as {})", json_array(v)),
        None => format!("{kind} {} (exec form)", json_array(v)),
    }
}

/// Merges the image's ENTRYPOINT/CMD with `--entrypoint` and the arguments
/// after the image, as the daemon does. `Err` is the daemon's error text
/// (`no command specified`).
pub fn resolve_argv(
    image: &ImageConfig,
    entrypoint_flag: Option<&str>,
    run_args: &[String],
) -> Result<ArgvResolution, String> {
    let image_ep: Vec<String> = image.entrypoint.clone().unwrap_or_default();
    let image_cmd: Vec<String> = image.cmd.clone().unwrap_or_default();
    let mut notes = Vec::new();
    let (entrypoint, cmd) = match entrypoint_flag {
        None => {
            let cmd = if run_args.is_empty() {
                if !image_cmd.is_empty() {
                    notes.push(format!(
                        "{} from the image.",
                        describe("CMD", &image_cmd, image)
                    ));
                }
                image_cmd.clone()
            } else {
                if image_cmd.is_empty() {
                    notes.push(format!(
                        "The arguments after the image name, {}, are the CMD.",
                        json_array(run_args)
                    ));
                } else {
                    notes.push(format!(
                        "The arguments after the image name, {}, replace the image's CMD {}.",
                        json_array(run_args),
                        json_array(&image_cmd)
                    ));
                }
                run_args.to_vec()
            };
            if !image_ep.is_empty() {
                notes.insert(
                    0,
                    format!(
                        "{} from the image.",
                        describe("ENTRYPOINT", &image_ep, image)
                    ),
                );
            }
            (image_ep.clone(), cmd)
        }
        Some(ep) => {
            if ep.is_empty() {
                notes.push(if image_ep.is_empty() {
                    "--entrypoint \"\" resets the ENTRYPOINT (the image has none) and drops the image's CMD.".to_string()
                } else {
                    format!(
                        "--entrypoint \"\" resets the image's ENTRYPOINT {} and drops its CMD.",
                        json_array(&image_ep)
                    )
                });
            } else {
                notes.push(format!(
                    "--entrypoint {ep} replaces the image's ENTRYPOINT{} and drops its CMD{}.",
                    if image_ep.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", json_array(&image_ep))
                    },
                    if image_cmd.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", json_array(&image_cmd))
                    }
                ));
            }
            if !run_args.is_empty() {
                notes.push(format!(
                    "The arguments after the image name, {}, are the CMD.",
                    json_array(run_args)
                ));
            }
            let ep = if ep.is_empty() {
                Vec::new()
            } else {
                vec![ep.to_string()]
            };
            (ep, run_args.to_vec())
        }
    };
    if entrypoint.is_empty() && cmd.is_empty() {
        return Err("no command specified".into());
    }
    let mut argv = entrypoint.clone();
    argv.extend(cmd.iter().cloned());
    let ep_shell = entrypoint_flag.is_none() && is_shell_form(&entrypoint, image);
    let cmd_shell = is_shell_form(&cmd, image);
    if ep_shell && !cmd.is_empty() {
        notes.push(format!(
            "The ENTRYPOINT is in shell form, so the CMD {} is passed to {} as $0, $1, ... and ignored by the command string.",
            json_array(&cmd),
            entrypoint.first().map_or("the shell", String::as_str)
        ));
    } else if !entrypoint.is_empty()
        && cmd_shell
        && entrypoint_flag.is_none()
        && run_args.is_empty()
    {
        notes.push(format!(
            "The CMD is in shell form, so the ENTRYPOINT receives {} as extra arguments (use the exec form CMD [\"...\"] to pass plain arguments).",
            cmd.join(" ")
        ));
    }
    let shell_form = if entrypoint.is_empty() {
        cmd_shell || is_shell_invocation(&cmd)
    } else {
        ep_shell || is_shell_invocation(&entrypoint)
    };
    Ok(ArgvResolution {
        argv,
        entrypoint,
        cmd,
        notes,
        shell_form,
    })
}

/// True for `sh -c "..."`-like argvs (any common shell with `-c`).
pub fn is_shell_invocation(argv: &[String]) -> bool {
    argv.len() >= 3 && is_shell_program(&argv[0]) && argv[1] == "-c"
}

/// True when `program` (a path or name) is a POSIX-like shell.
pub fn is_shell_program(program: &str) -> bool {
    matches!(
        basename(program),
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "busybox"
    )
}

/// The last path component.
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Where an environment variable came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvOrigin {
    /// Added by Docker (PATH default, HOSTNAME, TERM).
    Docker,
    /// The image's ENV.
    Image,
    /// `-e` / `--env-file`.
    Run,
    /// Added by the runtime when the process starts (HOME).
    Runtime,
}

/// One variable of the process environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    /// Name.
    pub key: String,
    /// Value.
    pub value: String,
    /// Who set it.
    pub origin: EnvOrigin,
}

impl EnvVar {
    /// `KEY=value`.
    pub fn entry(&self) -> String {
        format!("{}={}", self.key, self.value)
    }
}

fn key_of(e: &str) -> &str {
    e.split_once('=').map_or(e, |(k, _)| k)
}

/// The container config's `Env` (what `docker inspect` shows): the run
/// entries first (later `-e` of the same name wins, in place), then the
/// image's entries whose names the run entries do not mention (the
/// daemon's `merge`). Bare `KEY` entries are kept: they unset `KEY`.
pub fn config_env(image_env: &[String], run_env: &[String]) -> Vec<String> {
    let mut user: Vec<String> = Vec::new();
    for e in run_env {
        let k = key_of(e);
        match user.iter_mut().find(|u| key_of(u) == k) {
            Some(slot) => *slot = e.clone(),
            None => user.push(e.clone()),
        }
    }
    if user.is_empty() {
        return image_env.to_vec();
    }
    let mut out = user.clone();
    for e in image_env {
        if !user.iter().any(|u| key_of(u) == key_of(e)) {
            out.push(e.clone());
        }
    }
    out
}

/// Docker's default `PATH` for Linux containers.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The environment the process starts with: `PATH`, `HOSTNAME` (and
/// `TERM=xterm` with a TTY), replaced or extended by the config env (the
/// daemon's `CreateDaemonEnvironment`), then `HOME` from the user's
/// passwd entry when nothing set it (runc).
pub fn process_env(
    config_env: &[String],
    image_env: &[String],
    hostname: &str,
    tty: bool,
    home: &str,
) -> Vec<EnvVar> {
    let mut vars = vec![
        EnvVar {
            key: "PATH".into(),
            value: DEFAULT_PATH.into(),
            origin: EnvOrigin::Docker,
        },
        EnvVar {
            key: "HOSTNAME".into(),
            value: hostname.into(),
            origin: EnvOrigin::Docker,
        },
    ];
    if tty {
        vars.push(EnvVar {
            key: "TERM".into(),
            value: "xterm".into(),
            origin: EnvOrigin::Docker,
        });
    }
    let defaults = vars.len();
    let mut removed = vec![false; defaults];
    for e in config_env {
        let Some((k, v)) = e.split_once('=') else {
            if let Some(i) = vars[..defaults].iter().position(|d| d.key == *e) {
                removed[i] = true;
            }
            continue;
        };
        let origin = if image_env.iter().any(|i| i == e) {
            EnvOrigin::Image
        } else {
            EnvOrigin::Run
        };
        let var = EnvVar {
            key: k.to_string(),
            value: v.to_string(),
            origin,
        };
        match vars[..defaults].iter().position(|d| d.key == k) {
            Some(i) => {
                vars[i] = var;
                removed[i] = false;
            }
            None => vars.push(var),
        }
    }
    let mut out: Vec<EnvVar> = vars
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !removed.get(*i).copied().unwrap_or(false))
        .map(|(_, v)| v)
        .collect();
    if !out.iter().any(|v| v.key == "HOME") {
        out.push(EnvVar {
            key: "HOME".into(),
            value: home.into(),
            origin: EnvOrigin::Runtime,
        });
    }
    out
}

/// Go's `filepath.Clean` for absolute Unix paths.
pub fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The working directory: `-w`, else the image's WORKDIR, else `/`.
/// `Err` is the daemon's message for a relative `-w`.
pub fn working_dir(image: &ImageConfig, workdir_flag: Option<&str>) -> Result<String, String> {
    match workdir_flag {
        Some(w) => {
            if !w.starts_with('/') {
                return Err(format!(
                    "the working directory '{w}' is invalid, it needs to be an absolute path"
                ));
            }
            Ok(clean_path(w))
        }
        None if image.working_dir.is_empty() => Ok("/".into()),
        None => Ok(image.working_dir.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn image(ep: Option<&[&str]>, cmd: Option<&[&str]>) -> ImageConfig {
        ImageConfig {
            entrypoint: ep.map(sv),
            cmd: cmd.map(sv),
            ..Default::default()
        }
    }

    /// Checks the argv for an image config, `--entrypoint` and run args.
    fn check(img: &ImageConfig, ep_flag: Option<&str>, args: &[&str], expected: &str) {
        let got = match resolve_argv(img, ep_flag, &sv(args)) {
            Ok(r) => json_array(&r.argv),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expected);
    }

    const SH_EP: &[&str] = &["/bin/sh", "-c", "exec_entry p1_entry"];
    const EXEC_EP: &[&str] = &["exec_entry", "p1_entry"];
    const EXEC_CMD: &[&str] = &["exec_cmd", "p1_cmd"];
    const SH_CMD: &[&str] = &["/bin/sh", "-c", "exec_cmd p1_cmd"];

    #[test]
    fn table_row_no_cmd() {
        check(&image(None, None), None, &[], "error: no command specified");
        check(
            &image(Some(SH_EP), None),
            None,
            &[],
            r#"["/bin/sh","-c","exec_entry p1_entry"]"#,
        );
        check(
            &image(Some(EXEC_EP), None),
            None,
            &[],
            r#"["exec_entry","p1_entry"]"#,
        );
    }

    #[test]
    fn table_row_exec_cmd() {
        check(
            &image(None, Some(EXEC_CMD)),
            None,
            &[],
            r#"["exec_cmd","p1_cmd"]"#,
        );
        // Shell-form ENTRYPOINT: the CMD is passed to sh and ignored.
        check(
            &image(Some(SH_EP), Some(EXEC_CMD)),
            None,
            &[],
            r#"["/bin/sh","-c","exec_entry p1_entry","exec_cmd","p1_cmd"]"#,
        );
        check(
            &image(Some(EXEC_EP), Some(EXEC_CMD)),
            None,
            &[],
            r#"["exec_entry","p1_entry","exec_cmd","p1_cmd"]"#,
        );
    }

    #[test]
    fn table_row_shell_cmd() {
        check(
            &image(None, Some(SH_CMD)),
            None,
            &[],
            r#"["/bin/sh","-c","exec_cmd p1_cmd"]"#,
        );
        check(
            &image(Some(SH_EP), Some(SH_CMD)),
            None,
            &[],
            r#"["/bin/sh","-c","exec_entry p1_entry","/bin/sh","-c","exec_cmd p1_cmd"]"#,
        );
        check(
            &image(Some(EXEC_EP), Some(SH_CMD)),
            None,
            &[],
            r#"["exec_entry","p1_entry","/bin/sh","-c","exec_cmd p1_cmd"]"#,
        );
    }

    #[test]
    fn run_args_and_entrypoint_flag() {
        let img = image(Some(EXEC_EP), Some(EXEC_CMD));
        // Arguments replace CMD only.
        check(
            &img,
            None,
            &["x", "y"],
            r#"["exec_entry","p1_entry","x","y"]"#,
        );
        check(
            &image(None, Some(EXEC_CMD)),
            None,
            &["ls", "/"],
            r#"["ls","/"]"#,
        );
        // --entrypoint clears the image CMD.
        check(&img, Some("/bin/sh"), &[], r#"["/bin/sh"]"#);
        check(
            &img,
            Some("/bin/sh"),
            &["-c", "ls"],
            r#"["/bin/sh","-c","ls"]"#,
        );
        // --entrypoint "" resets: only the run args remain.
        check(&img, Some(""), &["ls"], r#"["ls"]"#);
        check(&img, Some(""), &[], "error: no command specified");
        check(&image(None, None), None, &["ls"], r#"["ls"]"#);
        // An empty CMD (CMD []) counts as no CMD.
        check(
            &image(None, Some(&[])),
            None,
            &[],
            "error: no command specified",
        );
    }

    #[test]
    fn custom_shell_is_recognised() {
        let img = ImageConfig {
            shell: Some(sv(&["/bin/bash", "-o", "pipefail", "-c"])),
            cmd: Some(sv(&["/bin/bash", "-o", "pipefail", "-c", "echo hi"])),
            ..Default::default()
        };
        let r = resolve_argv(&img, None, &[]);
        assert_eq!(r.as_ref().map(|r| r.shell_form), Ok(true));
        assert!(r.is_ok_and(|r| r.notes[0].contains("shell form")));
    }

    #[test]
    fn env_merge_like_the_daemon() {
        let image_env = sv(&[
            "PATH=/usr/bin:/bin",
            "APP_UID=1654",
            "ASPNETCORE_HTTP_PORTS=8080",
        ]);
        let cfg = config_env(&image_env, &sv(&["A=1", "ASPNETCORE_HTTP_PORTS=80", "A=2"]));
        assert_eq!(
            cfg,
            sv(&[
                "A=2",
                "ASPNETCORE_HTTP_PORTS=80",
                "PATH=/usr/bin:/bin",
                "APP_UID=1654"
            ])
        );
        let env = process_env(&cfg, &image_env, "abc", true, "/root");
        let entries: Vec<String> = env.iter().map(EnvVar::entry).collect();
        assert_eq!(
            entries,
            sv(&[
                "PATH=/usr/bin:/bin",
                "HOSTNAME=abc",
                "TERM=xterm",
                "A=2",
                "ASPNETCORE_HTTP_PORTS=80",
                "APP_UID=1654",
                "HOME=/root"
            ])
        );
        // A bare name unsets an image variable.
        let cfg = config_env(&image_env, &sv(&["APP_UID"]));
        let env = process_env(&cfg, &image_env, "h", false, "/");
        assert!(!env.iter().any(|v| v.key == "APP_UID"));
        assert_eq!(env.len(), 4);
    }

    #[test]
    fn workdir() {
        let img = ImageConfig {
            working_dir: "/app".into(),
            ..Default::default()
        };
        assert_eq!(working_dir(&img, None), Ok("/app".into()));
        assert_eq!(working_dir(&ImageConfig::default(), None), Ok("/".into()));
        assert_eq!(working_dir(&img, Some("/tmp/../srv/")), Ok("/srv".into()));
        assert_eq!(
            working_dir(&img, Some("src")),
            Err("the working directory 'src' is invalid, it needs to be an absolute path".into())
        );
    }
}
