//! Application models: which ports the container's process listens on,
//! read from its command line and environment the way the program itself
//! reads them (ASP.NET Core/Kestrel, nginx, Apache httpd, Node.js samples,
//! Python `http.server`, Flask, Uvicorn, Gunicorn, Django, `go run`).
//!
//! A model is either *known* (the program's documented defaults and
//! configuration) or *assumed* (a convention samples follow, such as
//! `process.env.PORT || 3000`); unknown programs have no model and port
//! checks fall back to the image's EXPOSE.

use serde::Serialize;

use super::ports::Protocol;
use super::process::{basename, is_shell_program, EnvOrigin, EnvVar};

/// How sure the model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The program's own documented behaviour.
    Known,
    /// A common sample convention; the real code may differ.
    Assumed,
}

/// A socket the process listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listener {
    /// Port.
    pub port: u16,
    /// Protocol (always TCP for the modelled servers).
    pub protocol: Protocol,
    /// Bind address as configured (`+`, `0.0.0.0`, `localhost`, ...).
    pub address: String,
    /// True when reachable through a published port (all interfaces).
    pub all_interfaces: bool,
    /// URL scheme when the server speaks HTTP(S).
    pub scheme: Option<String>,
    /// Why it listens there, e.g. `ASPNETCORE_HTTP_PORTS=8080 (set by the image)`.
    pub reason: String,
}

/// What LayerLab knows about the program a container runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppModel {
    /// Program name for messages, e.g. `ASP.NET Core (Kestrel)`.
    pub name: String,
    /// How sure the listeners are.
    pub confidence: Confidence,
    /// Where it listens.
    pub listeners: Vec<Listener>,
    /// Extra facts worth telling the learner.
    pub notes: Vec<String>,
    /// Whether the program installs a SIGTERM handler (matters as PID 1,
    /// where signals without a handler are ignored); `None` if unknown.
    pub handles_sigterm: Option<bool>,
}

/// A command line after unwrapping shells, init wrappers and entrypoint
/// scripts, with inline `VAR=value` assignments found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EffectiveCommand {
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// `VAR=value` prefixes (`PORT=80 node server.js`).
    pub inline_env: Vec<(String, String)>,
}

/// Splits a shell command string into words (quotes and backslashes
/// handled, no expansion), stopping at the first `;`, `&&`, `||`, `|`,
/// `&` or newline: only the first simple command matters here.
pub(crate) fn shell_words(script: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                if !matches!(e, '"' | '\\' | '$' | '`') {
                                    cur.push('\\');
                                }
                                cur.push(e);
                            }
                        }
                        _ => cur.push(d),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    if e != '\n' {
                        cur.push(e);
                    }
                }
            }
            ';' | '|' | '&' | '\n' => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

fn is_assignment(w: &str) -> Option<(String, String)> {
    let (k, v) = w.split_once('=')?;
    let valid = !k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !k.starts_with(|c: char| c.is_ascii_digit());
    valid.then(|| (k.to_string(), v.to_string()))
}

/// Unwraps `sh -c "exec app"`, `tini --`, `docker-init --`, `env A=b`,
/// and `docker-entrypoint.sh app ...` to the program that serves.
pub(crate) fn effective_command(argv: &[String]) -> EffectiveCommand {
    let mut argv: Vec<String> = argv.to_vec();
    let mut inline_env = Vec::new();
    for _ in 0..8 {
        let Some(first) = argv.first() else { break };
        let prog = basename(first).to_string();
        if is_shell_program(&prog) && argv.get(1).is_some_and(|a| a == "-c") && argv.len() >= 3 {
            argv = shell_words(&argv[2]);
            while let Some(w) = argv.first() {
                if w == "exec" {
                    argv.remove(0);
                } else if let Some(kv) = is_assignment(w) {
                    inline_env.push(kv);
                    argv.remove(0);
                } else {
                    break;
                }
            }
            continue;
        }
        if matches!(
            prog.as_str(),
            "tini" | "tini-static" | "docker-init" | "dumb-init"
        ) {
            let rest: Vec<String> = match argv.iter().position(|a| a == "--") {
                Some(i) => argv[i + 1..].to_vec(),
                None => argv
                    .iter()
                    .skip(1)
                    .skip_while(|a| a.starts_with('-'))
                    .cloned()
                    .collect(),
            };
            argv = rest;
            continue;
        }
        if prog == "env" {
            let mut rest: Vec<String> = argv[1..].to_vec();
            while let Some(kv) = rest.first().and_then(|w| is_assignment(w)) {
                inline_env.push(kv);
                rest.remove(0);
            }
            argv = rest;
            continue;
        }
        if prog.ends_with("entrypoint.sh") && argv.len() > 1 {
            argv = argv[1..].to_vec();
            continue;
        }
        break;
    }
    EffectiveCommand { argv, inline_env }
}

/// The environment an app sees, with where each value came from.
struct AppEnv<'a> {
    vars: &'a [EnvVar],
    inline: &'a [(String, String)],
}

impl AppEnv<'_> {
    fn get(&self, key: &str) -> Option<(String, String)> {
        if let Some((_, v)) = self.inline.iter().rev().find(|(k, _)| k == key) {
            return Some((v.clone(), "set on the command line".into()));
        }
        self.vars.iter().find(|v| v.key == key).map(|v| {
            let origin = match v.origin {
                EnvOrigin::Image => "set by the image",
                EnvOrigin::Run => "set with -e",
                EnvOrigin::Docker | EnvOrigin::Runtime => "set by Docker",
            };
            (v.value.clone(), origin.to_string())
        })
    }

    /// Case-insensitive lookup (.NET configuration keys).
    fn get_ci(&self, key: &str) -> Option<(String, String, String)> {
        let upper = key.to_ascii_uppercase();
        if let Some((k, v)) = self
            .inline
            .iter()
            .rev()
            .find(|(k, _)| k.to_ascii_uppercase() == upper)
        {
            return Some((k.clone(), v.clone(), "set on the command line".into()));
        }
        self.vars
            .iter()
            .find(|v| v.key.to_ascii_uppercase() == upper)
            .and_then(|v| self.get(&v.key).map(|(val, why)| (v.key.clone(), val, why)))
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        self.vars.iter().any(|v| v.key.starts_with(prefix))
            || self.inline.iter().any(|(k, _)| k.starts_with(prefix))
    }
}

/// Value of `--name value` / `--name=value` / `-n value` in `args`.
fn arg_value(args: &[String], names: &[&str]) -> Option<String> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        for n in names {
            if a == n {
                if let Some(v) = args.get(i + 1) {
                    found = Some(v.clone());
                }
            } else if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                found = Some(v.to_string());
            }
        }
        i += 1;
    }
    found
}

fn all_arg_values(args: &[String], names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        for n in names {
            if a == n {
                if let Some(v) = args.get(i + 1) {
                    out.push(v.clone());
                }
            } else if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                out.push(v.to_string());
            }
        }
    }
    out
}

fn all_interfaces(host: &str) -> bool {
    matches!(host, "" | "+" | "*" | "0.0.0.0" | "[::]" | "::")
}

fn tcp(port: u16, address: &str, scheme: Option<&str>, reason: String) -> Listener {
    Listener {
        port,
        protocol: Protocol::Tcp,
        address: address.to_string(),
        all_interfaces: all_interfaces(address),
        scheme: scheme.map(str::to_string),
        reason,
    }
}

/// Detects the program and where it listens. `None` when LayerLab has no
/// model for it.
pub fn detect_app(argv: &[String], env: &[EnvVar]) -> Option<AppModel> {
    let eff = effective_command(argv);
    let app_env = AppEnv {
        vars: env,
        inline: &eff.inline_env,
    };
    let argv = &eff.argv;
    let prog = basename(argv.first()?).to_string();
    let args = &argv[1..];
    match prog.as_str() {
        "dotnet" => dotnet(args, &app_env),
        "nginx" => Some(fixed(
            "nginx",
            80,
            "nginx's default server (/etc/nginx/conf.d/default.conf) listens on port 80",
            Some(true),
        )),
        "httpd" | "httpd-foreground" | "apache2-foreground" | "apache2ctl" => Some(fixed(
            "Apache httpd",
            80,
            "Apache's default configuration (Listen 80) listens on port 80",
            Some(true),
        )),
        "node" | "nodejs" => {
            let script = args.iter().find(|a| !a.starts_with('-'))?;
            Some(node(&format!("node {script}"), &app_env))
        }
        "npm" | "yarn" | "pnpm" => {
            let what = args.first().map_or("start", String::as_str);
            Some(node(&format!("{prog} {what}"), &app_env))
        }
        "flask" => flask(args, &app_env),
        "uvicorn" => Some(uvicorn(args, &app_env)),
        "gunicorn" => Some(gunicorn(args, &app_env)),
        "go" if args.first().is_some_and(|a| a == "run") => {
            let (port, reason) = match app_env.get("PORT") {
                Some((p, why)) => (p.parse().ok()?, format!("PORT={p} ({why})")),
                None => (
                    8080,
                    "PORT is not set; Go samples usually default to 8080".to_string(),
                ),
            };
            Some(AppModel {
                name: "Go program (go run)".into(),
                confidence: Confidence::Assumed,
                listeners: vec![tcp(port, "0.0.0.0", Some("http"), reason)],
                notes: vec![],
                handles_sigterm: None,
            })
        }
        p if p.starts_with("python") => python(args, &app_env),
        _ => {
            // A self-contained ASP.NET Core app host (`./aspnetapp`) on an
            // image with the ASP.NET Core runtime.
            if app_env.get("ASPNET_VERSION").is_some() && !is_shell_program(&prog) {
                let mut model = dotnet(&[format!("{prog}.dll")], &app_env)?;
                model.confidence = Confidence::Assumed;
                model.notes.insert(
                    0,
                    format!("{prog} is assumed to be the app host of an ASP.NET Core app (the image has ASP.NET Core {}).",
                        app_env.get("ASPNET_VERSION").map(|(v, _)| v).unwrap_or_default()),
                );
                Some(model)
            } else {
                None
            }
        }
    }
}

fn fixed(name: &str, port: u16, reason: &str, sigterm: Option<bool>) -> AppModel {
    AppModel {
        name: name.into(),
        confidence: Confidence::Known,
        listeners: vec![tcp(port, "0.0.0.0", Some("http"), reason.into())],
        notes: vec![],
        handles_sigterm: sigterm,
    }
}

fn node(what: &str, env: &AppEnv<'_>) -> AppModel {
    let (port, reason) = match env
        .get("PORT")
        .and_then(|(p, why)| Some((p.parse().ok()?, p, why)))
    {
        Some((port, p, why)) => (
            port,
            format!("PORT={p} ({why}), read by the usual `process.env.PORT || 3000`"),
        ),
        None => (
            3000,
            "PORT is not set; the usual sample code (`process.env.PORT || 3000`) listens on 3000"
                .into(),
        ),
    };
    AppModel {
        name: format!("Node.js ({what})"),
        confidence: Confidence::Assumed,
        listeners: vec![tcp(port, "0.0.0.0", Some("http"), reason)],
        notes: vec![],
        handles_sigterm: Some(false),
    }
}

/// Major version from `DOTNET_VERSION` (`8.0.11` -> 8).
fn dotnet_major(env: &AppEnv<'_>) -> Option<u32> {
    env.get("DOTNET_VERSION")
        .and_then(|(v, _)| v.split('.').next().and_then(|m| m.parse().ok()))
}

/// One configuration value of an ASP.NET Core app, with Microsoft.Extensions
/// .Configuration precedence (later sources win): `DOTNET_` variables,
/// `ASPNETCORE_` variables, unprefixed variables (read by
/// `WebApplication.CreateBuilder`), then command-line arguments.
fn aspnet_setting(args: &[String], env: &AppEnv<'_>, key: &str) -> Option<(String, String)> {
    let lower = key.to_ascii_lowercase();
    if let Some(v) = arg_value(args, &[&format!("--{lower}"), &format!("/{lower}")]) {
        return Some((v.clone(), format!("--{lower} {v} on the command line")));
    }
    for name in [
        key.to_string(),
        format!("ASPNETCORE_{key}"),
        format!("DOTNET_{key}"),
    ] {
        if let Some((k, v, why)) = env.get_ci(&name) {
            return Some((v.clone(), format!("{k}={v} ({why})")));
        }
    }
    None
}

fn parse_url(url: &str) -> Result<(String, String, u16), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("invalid URL '{url}'"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(format!("unsupported scheme in '{url}'")),
    };
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = if let Some(r) = authority.strip_prefix('[') {
        let (h, after) = r
            .split_once(']')
            .ok_or_else(|| format!("invalid URL '{url}'"))?;
        (format!("[{h}]"), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| format!("invalid port in '{url}'"))?,
        None => default_port,
    };
    if host.is_empty() {
        return Err(format!("invalid URL '{url}'"));
    }
    Ok((scheme, host, port))
}

fn dotnet(args: &[String], env: &AppEnv<'_>) -> Option<AppModel> {
    let first = args.first()?;
    let dll = if first.ends_with(".dll") {
        first.clone()
    } else if first == "run" || first == "watch" {
        format!("dotnet {first}")
    } else {
        return None;
    };
    let is_aspnet = env.get("ASPNET_VERSION").is_some()
        || env.has_prefix("ASPNETCORE_")
        || arg_value(args, &["--urls"]).is_some();
    if !is_aspnet {
        return Some(AppModel {
            name: format!(".NET app ({dll})"),
            confidence: Confidence::Assumed,
            listeners: vec![],
            notes: vec![format!(
                "The image has the .NET runtime but not ASP.NET Core (no ASPNET_VERSION or ASPNETCORE_* variables), so {dll} is assumed not to be a web server."
            )],
            handles_sigterm: Some(true),
        });
    }
    let major = dotnet_major(env);
    let mut notes = Vec::new();
    let mut listeners = Vec::new();
    let urls = aspnet_setting(args, env, "URLS").filter(|(v, _)| !v.trim().is_empty());
    let ports_supported = major.is_none_or(|m| m >= 8);
    let http_ports = aspnet_setting(args, env, "HTTP_PORTS").filter(|(v, _)| !v.is_empty());
    let https_ports = aspnet_setting(args, env, "HTTPS_PORTS").filter(|(v, _)| !v.is_empty());
    if !ports_supported && (http_ports.is_some() || https_ports.is_some()) {
        notes.push(format!(
            "HTTP_PORTS/HTTPS_PORTS are ignored: they exist since .NET 8 and this is .NET {}.",
            major.unwrap_or(0)
        ));
    }
    if let Some((urls, why)) = &urls {
        if ports_supported && (http_ports.is_some() || https_ports.is_some()) {
            notes.push(format!(
                "Kestrel logs: Overriding HTTP_PORTS '{}' and HTTPS_PORTS '{}'. Binding to values defined by URLS instead '{}'.",
                http_ports.as_ref().map(|(v, _)| v.as_str()).unwrap_or(""),
                https_ports.as_ref().map(|(v, _)| v.as_str()).unwrap_or(""),
                urls
            ));
        }
        for url in urls.split(';').map(str::trim).filter(|u| !u.is_empty()) {
            match parse_url(url) {
                Ok((scheme, host, port)) => {
                    listeners.push(tcp(port, &host, Some(&scheme), format!("{url} from {why}")));
                }
                Err(e) => notes.push(format!("Kestrel fails to start: {e}.")),
            }
        }
    } else if ports_supported && (http_ports.is_some() || https_ports.is_some()) {
        for (set, scheme) in [(&http_ports, "http"), (&https_ports, "https")] {
            if let Some((ports, why)) = set {
                for p in ports.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    match p.parse::<u16>() {
                        Ok(port) => listeners.push(tcp(port, "+", Some(scheme), why.clone())),
                        Err(_) => {
                            notes.push(format!("Kestrel fails to start: invalid port '{p}'."))
                        }
                    }
                }
            }
        }
    } else {
        listeners.push(tcp(
            5000,
            "localhost",
            Some("http"),
            "nothing configures the URLs, so Kestrel uses its default http://localhost:5000".into(),
        ));
    }
    if listeners
        .iter()
        .any(|l| l.scheme.as_deref() == Some("https"))
    {
        notes.push("An https endpoint needs a certificate (e.g. ASPNETCORE_Kestrel__Certificates__Default__Path); without one Kestrel fails to start.".into());
    }
    let from_image_ports = http_ports.as_ref().is_some_and(|(_, why)| {
        why.contains("ASPNETCORE_HTTP_PORTS") && why.contains("set by the image")
    });
    if urls.is_none() && from_image_ports {
        notes.push("Since .NET 8 the official aspnet images set ASPNETCORE_HTTP_PORTS=8080 (earlier images set ASPNETCORE_URLS=http://+:80), so the app listens on 8080, not 80.".into());
    }
    notes.push("Kestrel endpoints configured in code or in appsettings.json (Kestrel:Endpoints) would take precedence over these settings.".into());
    Some(AppModel {
        name: format!("ASP.NET Core ({dll})"),
        confidence: Confidence::Known,
        listeners,
        notes,
        handles_sigterm: Some(true),
    })
}

fn python(args: &[String], env: &AppEnv<'_>) -> Option<AppModel> {
    let mut args = args.to_vec();
    // Skip interpreter options such as -u.
    while args
        .first()
        .is_some_and(|a| a.starts_with('-') && a != "-m")
    {
        args.remove(0);
    }
    match args.first().map(String::as_str) {
        Some("-m") => {
            let module = args.get(1)?.clone();
            let rest = &args[2..];
            match module.as_str() {
                "http.server" => {
                    let port = rest
                        .iter()
                        .enumerate()
                        .find(|(i, a)| {
                            let after_option = *i > 0
                                && matches!(
                                    rest[i - 1].as_str(),
                                    "-b" | "--bind" | "-d" | "--directory" | "-p" | "--protocol"
                                );
                            !a.starts_with('-') && !after_option
                        })
                        .and_then(|(_, a)| a.parse::<u16>().ok());
                    let bind =
                        arg_value(rest, &["-b", "--bind"]).unwrap_or_else(|| "0.0.0.0".into());
                    let reason = match port {
                        Some(p) => format!("python -m http.server {p}"),
                        None => "python -m http.server listens on 8000 by default".into(),
                    };
                    Some(AppModel {
                        name: "Python http.server".into(),
                        confidence: Confidence::Known,
                        listeners: vec![tcp(port.unwrap_or(8000), &bind, Some("http"), reason)],
                        notes: vec![],
                        handles_sigterm: Some(false),
                    })
                }
                "flask" => flask(rest, env),
                "uvicorn" => Some(uvicorn(rest, env)),
                "gunicorn" => Some(gunicorn(rest, env)),
                _ => None,
            }
        }
        Some(script)
            if basename(script) == "manage.py" && args.get(1).is_some_and(|a| a == "runserver") =>
        {
            let addr = args[2..].iter().find(|a| !a.starts_with('-')).cloned();
            let (host, port) = match &addr {
                None => ("127.0.0.1".to_string(), 8000),
                Some(a) => match a.rsplit_once(':') {
                    Some((h, p)) => (h.to_string(), p.parse().ok()?),
                    None => match a.parse() {
                        Ok(p) => ("127.0.0.1".to_string(), p),
                        Err(_) => (a.clone(), 8000),
                    },
                },
            };
            let reason = match &addr {
                Some(a) => format!("manage.py runserver {a}"),
                None => "manage.py runserver listens on 127.0.0.1:8000 by default".into(),
            };
            Some(AppModel {
                name: "Django development server".into(),
                confidence: Confidence::Known,
                listeners: vec![tcp(port, &host, Some("http"), reason)],
                notes: vec![],
                handles_sigterm: Some(false),
            })
        }
        _ => None,
    }
}

fn flask(args: &[String], env: &AppEnv<'_>) -> Option<AppModel> {
    if args.first().map(String::as_str) != Some("run") {
        return None;
    }
    let rest = &args[1..];
    let (host, host_why) = match arg_value(rest, &["--host", "-h"]) {
        Some(h) => (h.clone(), format!("--host {h}")),
        None => match env.get("FLASK_RUN_HOST") {
            Some((h, why)) => (h.clone(), format!("FLASK_RUN_HOST={h} ({why})")),
            None => (
                "127.0.0.1".into(),
                "flask run binds 127.0.0.1 by default".into(),
            ),
        },
    };
    let (port, port_why) = match arg_value(rest, &["--port", "-p"]) {
        Some(p) => (p.parse().ok()?, format!("--port {p}")),
        None => match env.get("FLASK_RUN_PORT") {
            Some((p, why)) => (p.parse().ok()?, format!("FLASK_RUN_PORT={p} ({why})")),
            None => (5000, "port 5000 by default".into()),
        },
    };
    let mut notes = vec![];
    if !all_interfaces(&host) {
        notes
            .push("Add --host=0.0.0.0 so the server is reachable through a published port.".into());
    }
    Some(AppModel {
        name: "Flask development server".into(),
        confidence: Confidence::Known,
        listeners: vec![tcp(
            port,
            &host,
            Some("http"),
            format!("{host_why}, {port_why}"),
        )],
        notes,
        handles_sigterm: Some(false),
    })
}

fn uvicorn(args: &[String], env: &AppEnv<'_>) -> AppModel {
    let host = arg_value(args, &["--host"])
        .map(|h| (h.clone(), format!("--host {h}")))
        .or_else(|| {
            env.get("UVICORN_HOST")
                .map(|(h, why)| (h.clone(), format!("UVICORN_HOST={h} ({why})")))
        })
        .unwrap_or_else(|| {
            (
                "127.0.0.1".into(),
                "uvicorn binds 127.0.0.1 by default".into(),
            )
        });
    let port = arg_value(args, &["--port"])
        .and_then(|p| Some((p.parse().ok()?, format!("--port {p}"))))
        .or_else(|| {
            env.get("UVICORN_PORT")
                .and_then(|(p, why)| Some((p.parse().ok()?, format!("UVICORN_PORT={p} ({why})"))))
        })
        .unwrap_or((8000, "port 8000 by default".into()));
    let mut notes = vec![];
    if !all_interfaces(&host.0) {
        notes
            .push("Add --host 0.0.0.0 so the server is reachable through a published port.".into());
    }
    AppModel {
        name: "Uvicorn".into(),
        confidence: Confidence::Known,
        listeners: vec![tcp(
            port.0,
            &host.0,
            Some("http"),
            format!("{}, {}", host.1, port.1),
        )],
        notes,
        handles_sigterm: Some(true),
    }
}

fn gunicorn(args: &[String], env: &AppEnv<'_>) -> AppModel {
    let mut binds = all_arg_values(args, &["-b", "--bind"]);
    let mut why = "-b/--bind".to_string();
    if binds.is_empty() {
        if let Some((cmd_args, _)) = env.get("GUNICORN_CMD_ARGS") {
            let words = shell_words(&cmd_args);
            binds = all_arg_values(&words, &["-b", "--bind"]);
            why = "GUNICORN_CMD_ARGS".into();
        }
    }
    if binds.is_empty() {
        match env.get("PORT") {
            Some((p, origin)) => {
                binds.push(format!("0.0.0.0:{p}"));
                why = format!("PORT={p} ({origin}): gunicorn then binds 0.0.0.0:$PORT");
            }
            None => {
                binds.push("127.0.0.1:8000".into());
                why = "gunicorn binds 127.0.0.1:8000 by default".into();
            }
        }
    }
    let mut listeners = Vec::new();
    for b in &binds {
        if b.starts_with("unix:") || b.starts_with("fd://") {
            continue;
        }
        let (host, port) = match b.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(':') || h.starts_with('[') => (
                if h.is_empty() {
                    "0.0.0.0".to_string()
                } else {
                    h.to_string()
                },
                p.parse().unwrap_or(8000),
            ),
            _ => (b.clone(), 8000),
        };
        listeners.push(tcp(port, &host, Some("http"), format!("{b} ({why})")));
    }
    let mut notes = vec![];
    if listeners.iter().any(|l| !l.all_interfaces) {
        notes.push("Bind 0.0.0.0 (e.g. -b 0.0.0.0:8000) so the server is reachable through a published port.".into());
    }
    AppModel {
        name: "Gunicorn".into(),
        confidence: Confidence::Known,
        listeners,
        notes,
        handles_sigterm: Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sv(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn env(entries: &[(&str, &str, EnvOrigin)]) -> Vec<EnvVar> {
        entries
            .iter()
            .map(|(k, v, o)| EnvVar {
                key: k.to_string(),
                value: v.to_string(),
                origin: *o,
            })
            .collect()
    }

    /// Renders the listeners of the detected app: `port@address` list.
    fn check(argv: &[&str], vars: &[(&str, &str, EnvOrigin)], expected: &str) {
        let got = match detect_app(&sv(argv), &env(vars)) {
            Some(m) => format!(
                "{}: {}",
                m.name,
                m.listeners
                    .iter()
                    .map(|l| format!("{}@{}", l.port, l.address))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => "unknown".into(),
        };
        assert_eq!(got, expected, "for {argv:?}");
    }

    const IMG: EnvOrigin = EnvOrigin::Image;
    const RUN: EnvOrigin = EnvOrigin::Run;

    #[test]
    fn aspnet_core_ports() {
        let aspnet8 = [
            ("ASPNET_VERSION", "8.0.11", IMG),
            ("DOTNET_VERSION", "8.0.11", IMG),
            ("ASPNETCORE_HTTP_PORTS", "8080", IMG),
        ];
        check(
            &["dotnet", "aspnetapp.dll"],
            &aspnet8,
            "ASP.NET Core (aspnetapp.dll): 8080@+",
        );
        check(
            &["dotnet", "aspnetapp.dll"],
            &[
                ("ASPNET_VERSION", "8.0.11", IMG),
                ("ASPNETCORE_HTTP_PORTS", "8080", IMG),
                ("ASPNETCORE_URLS", "http://+:80;https://+:443", RUN),
            ],
            "ASP.NET Core (aspnetapp.dll): 80@+ 443@+",
        );
        check(
            &["dotnet", "app.dll"],
            &[
                ("ASPNET_VERSION", "7.0.5", IMG),
                ("DOTNET_VERSION", "7.0.5", IMG),
                ("ASPNETCORE_URLS", "http://+:80", IMG),
            ],
            "ASP.NET Core (app.dll): 80@+",
        );
        check(
            &["dotnet", "app.dll"],
            &[
                ("ASPNET_VERSION", "7.0.5", IMG),
                ("DOTNET_VERSION", "7.0.5", IMG),
                ("HTTP_PORTS", "9000", RUN),
            ],
            "ASP.NET Core (app.dll): 5000@localhost",
        );
        check(
            &["dotnet", "app.dll"],
            &[
                ("ASPNET_VERSION", "8.0.0", IMG),
                ("HTTP_PORTS", "9000;9001", RUN),
            ],
            "ASP.NET Core (app.dll): 9000@+ 9001@+",
        );
        check(
            &["dotnet", "app.dll", "--urls", "http://0.0.0.0:7000"],
            &aspnet8,
            "ASP.NET Core (app.dll): 7000@0.0.0.0",
        );
        check(
            &["dotnet", "app.dll"],
            &[
                ("ASPNET_VERSION", "8.0.0", IMG),
                ("DOTNET_URLS", "http://localhost:6000", RUN),
            ],
            "ASP.NET Core (app.dll): 6000@localhost",
        );
        check(
            &["dotnet", "app.dll"],
            &[("ASPNET_VERSION", "8.0.0", IMG)],
            "ASP.NET Core (app.dll): 5000@localhost",
        );
        check(
            &["dotnet", "tool.dll"],
            &[("DOTNET_VERSION", "8.0.0", IMG)],
            ".NET app (tool.dll): ",
        );
        check(
            &["./aspnetapp"],
            &aspnet8,
            "ASP.NET Core (aspnetapp.dll): 8080@+",
        );
        check(
            &["/bin/sh", "-c", "exec dotnet aspnetapp.dll"],
            &aspnet8,
            "ASP.NET Core (aspnetapp.dll): 8080@+",
        );
        check(
            &["/bin/sh", "-c", "ASPNETCORE_HTTP_PORTS=9090 dotnet a.dll"],
            &aspnet8,
            "ASP.NET Core (a.dll): 9090@+",
        );
    }

    #[test]
    fn other_servers() {
        check(
            &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
            &[],
            "nginx: 80@0.0.0.0",
        );
        check(&["httpd-foreground"], &[], "Apache httpd: 80@0.0.0.0");
        check(
            &["node", "server.js"],
            &[],
            "Node.js (node server.js): 3000@0.0.0.0",
        );
        check(
            &["node", "server.js"],
            &[("PORT", "8080", RUN)],
            "Node.js (node server.js): 8080@0.0.0.0",
        );
        check(&["npm", "start"], &[], "Node.js (npm start): 3000@0.0.0.0");
        check(
            &["python", "-m", "http.server"],
            &[],
            "Python http.server: 8000@0.0.0.0",
        );
        check(
            &["python3", "-m", "http.server", "9000"],
            &[],
            "Python http.server: 9000@0.0.0.0",
        );
        check(
            &[
                "python3",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "9000",
            ],
            &[],
            "Python http.server: 9000@127.0.0.1",
        );
        check(
            &["flask", "run"],
            &[],
            "Flask development server: 5000@127.0.0.1",
        );
        check(
            &["flask", "run", "--host=0.0.0.0", "--port", "8000"],
            &[],
            "Flask development server: 8000@0.0.0.0",
        );
        check(
            &["python", "-m", "flask", "run", "-h", "0.0.0.0"],
            &[],
            "Flask development server: 5000@0.0.0.0",
        );
        check(
            &["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"],
            &[],
            "Uvicorn: 80@0.0.0.0",
        );
        check(&["uvicorn", "main:app"], &[], "Uvicorn: 8000@127.0.0.1");
        check(
            &["gunicorn", "-b", "0.0.0.0:8000", "app:app"],
            &[],
            "Gunicorn: 8000@0.0.0.0",
        );
        check(
            &["gunicorn", "--bind=:5000", "app:app"],
            &[],
            "Gunicorn: 5000@0.0.0.0",
        );
        check(&["gunicorn", "app:app"], &[], "Gunicorn: 8000@127.0.0.1");
        check(
            &["gunicorn", "app:app"],
            &[("PORT", "9000", RUN)],
            "Gunicorn: 9000@0.0.0.0",
        );
        check(
            &["python", "manage.py", "runserver", "0.0.0.0:8000"],
            &[],
            "Django development server: 8000@0.0.0.0",
        );
        check(
            &["go", "run", "."],
            &[],
            "Go program (go run): 8080@0.0.0.0",
        );
        check(
            &["/sbin/docker-init", "--", "node", "app.js"],
            &[],
            "Node.js (node app.js): 3000@0.0.0.0",
        );
        check(&["python", "app.py"], &[], "unknown");
        check(&["/bin/sh", "-c", "sleep 1000"], &[], "unknown");
    }

    #[test]
    fn shell_word_splitting() {
        assert_eq!(
            shell_words(r#"exec "a b" 'c d' e\ f && g"#),
            sv(&["exec", "a b", "c d", "e f"])
        );
    }
}
