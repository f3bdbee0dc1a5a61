//! Command lines the way the docker CLI reads them: spf13/pflag flags
//! (combined shorthands `-aq`, `--flag=value`, `--flag value`, `-fvalue`,
//! booleans with an optional `=false`, `--` ending the flags), cobra's
//! interspersed positional arguments, and the CLI's error texts: flag
//! errors wrapped by `FlagErrorFunc` (exit status 125), argument-count
//! errors from `cli.ExactArgs` and friends (exit status 1).

use super::format::go_quote;

/// A flag of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// Long name.
    pub name: &'static str,
    /// Shorthand.
    pub short: Option<char>,
    /// True for a boolean flag.
    pub boolean: bool,
}

/// A boolean flag.
pub const fn b(name: &'static str, short: Option<char>) -> Flag {
    Flag {
        name,
        short,
        boolean: true,
    }
}

/// A flag with a value.
pub const fn v(name: &'static str, short: Option<char>) -> Flag {
    Flag {
        name,
        short,
        boolean: false,
    }
}

/// A command's identity for messages: its path (`docker image ls`) and
/// its use line (`docker image ls [OPTIONS] [REPOSITORY[:TAG]]`).
#[derive(Debug, Clone)]
pub struct Command {
    /// `docker images`.
    pub path: &'static str,
    /// The part of cobra's `Use` after the name.
    pub usage: &'static str,
}

impl Command {
    /// A command.
    pub const fn new(path: &'static str, usage: &'static str) -> Command {
        Command { path, usage }
    }

    /// cobra's `UseLine`.
    pub fn use_line(&self) -> String {
        if self.usage.is_empty() {
            self.path.to_string()
        } else {
            format!("{} {}", self.path, self.usage)
        }
    }
}

/// An error the docker CLI prints, with its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The message (no final newline).
    pub message: String,
    /// Exit status.
    pub code: i32,
}

impl CliError {
    /// An error with status 1 (a plain error of a command).
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 1,
        }
    }

    /// An error the daemon returned (`Error response from daemon: ...`).
    pub fn daemon(message: impl AsRef<str>) -> CliError {
        CliError::new(format!("Error response from daemon: {}", message.as_ref()))
    }
}

/// Parsed flags and arguments.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// `(name, value)` in order (booleans as `true`/`false`).
    pub values: Vec<(&'static str, String)>,
    /// Positional arguments.
    pub args: Vec<String>,
    /// pflag's deprecation lines for stderr.
    pub stderr: Vec<String>,
}

impl Parsed {
    /// The last value of `name`.
    pub fn last(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A boolean's value (false when unset).
    pub fn on(&self, name: &str) -> bool {
        self.last(name) == Some("true")
    }

    /// A boolean with a default.
    pub fn on_or(&self, name: &str, default: bool) -> bool {
        match self.last(name) {
            Some(v) => v == "true",
            None => default,
        }
    }

    /// Whether the flag was given.
    pub fn changed(&self, name: &str) -> bool {
        self.values.iter().any(|(n, _)| *n == name)
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses `args` for `cmd` with `flags` (plus cobra's `--help`, `-h`),
/// pflag's way. `interspersed`: positional arguments may come between
/// flags (most commands); otherwise the first one ends the flags.
pub fn parse(
    cmd: &Command,
    flags: &[Flag],
    args: &[String],
    interspersed: bool,
) -> Result<Parsed, CliError> {
    let wrap = |m: String| CliError {
        message: format!(
            "{m}\n\nUsage:  {}\n\nRun '{} --help' for more information",
            cmd.use_line(),
            cmd.path
        ),
        code: 125,
    };
    let help = b("help", Some('h'));
    let find_long = |n: &str| {
        flags
            .iter()
            .chain(std::iter::once(&help))
            .find(|f| f.name == n)
            .copied()
    };
    let find_short = |c: char| {
        flags
            .iter()
            .chain(std::iter::once(&help))
            .find(|f| f.short == Some(c))
            .copied()
    };
    let mut out = Parsed::default();
    let mut i = 0;
    let set = |out: &mut Parsed, f: Flag, value: String| -> Result<(), String> {
        if f.boolean {
            let Some(on) = parse_bool(&value) else {
                let shown = match f.short {
                    Some(c) => format!("-{c}, --{}", f.name),
                    None => format!("--{}", f.name),
                };
                return Err(format!(
                    "invalid argument {} for {} flag: strconv.ParseBool: parsing {}: invalid syntax",
                    go_quote(&value),
                    go_quote(&shown),
                    go_quote(&value)
                ));
            };
            out.values.push((f.name, on.to_string()));
        } else {
            out.values.push((f.name, value));
        }
        Ok(())
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a.len() < 2 || !a.starts_with('-') {
            out.args.push(a.clone());
            if !interspersed {
                out.args.extend(args[i..].iter().cloned());
                return Ok(out);
            }
            continue;
        }
        if a == "--" {
            out.args.extend(args[i..].iter().cloned());
            return Ok(out);
        }
        if let Some(long) = a.strip_prefix("--") {
            if long.starts_with('-') || long.starts_with('=') {
                return Err(wrap(format!("bad flag syntax: {a}")));
            }
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(f) = find_long(name) else {
                return Err(wrap(format!("unknown flag: --{name}")));
            };
            let value = match inline {
                Some(v) => v,
                None if f.boolean => "true".into(),
                None => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(wrap(format!("flag needs an argument: --{name}"))),
                },
            };
            set(&mut out, f, value).map_err(wrap)?;
            continue;
        }
        // Shorthands.
        let body: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < body.len() {
            let c = body[k];
            let rest: String = body[k..].iter().collect();
            let Some(f) = find_short(c) else {
                return Err(wrap(format!(
                    "unknown shorthand flag: {} in -{rest}",
                    quote_rune(c)
                )));
            };
            if f.name == "help" && c == 'h' {
                out.stderr
                    .push("Flag shorthand -h has been deprecated, use --help".into());
            }
            if body.get(k + 1) == Some(&'=') {
                let value: String = body[k + 2..].iter().collect();
                set(&mut out, f, value).map_err(wrap)?;
                break;
            }
            if f.boolean {
                set(&mut out, f, "true".into()).map_err(wrap)?;
                k += 1;
                continue;
            }
            if k + 1 < body.len() {
                let value: String = body[k + 1..].iter().collect();
                set(&mut out, f, value).map_err(wrap)?;
                break;
            }
            match args.get(i) {
                Some(v) => {
                    i += 1;
                    set(&mut out, f, v.clone()).map_err(wrap)?;
                }
                None => {
                    return Err(wrap(format!(
                        "flag needs an argument: {} in -{rest}",
                        quote_rune(c)
                    )))
                }
            }
            break;
        }
    }
    Ok(out)
}

fn quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '\\' => "'\\\\'".into(),
        c => format!("'{c}'"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "argument"
    } else {
        "arguments"
    }
}

/// cobra's `cli.ExactArgs(n)` check.
pub fn exact(cmd: &Command, args: &[String], n: usize) -> Result<(), CliError> {
    if args.len() == n {
        return Ok(());
    }
    Err(CliError::new(format!(
        "docker: '{}' requires {n} {}\n\nUsage:  {}\n\nRun '{} --help' for more information",
        cmd.path,
        plural(n),
        cmd.use_line(),
        cmd.path
    )))
}

/// cobra's `cli.RequiresMinArgs(n)` check.
pub fn at_least(cmd: &Command, args: &[String], n: usize) -> Result<(), CliError> {
    if args.len() >= n {
        return Ok(());
    }
    Err(CliError::new(format!(
        "docker: '{}' requires at least {n} {}\n\nUsage:  {}\n\nSee '{} --help' for more information",
        cmd.path,
        plural(n),
        cmd.use_line(),
        cmd.path
    )))
}

/// cobra's `cli.RequiresMaxArgs(n)` check.
pub fn at_most(cmd: &Command, args: &[String], n: usize) -> Result<(), CliError> {
    if args.len() <= n {
        return Ok(());
    }
    Err(CliError::new(format!(
        "docker: '{}' requires at most {n} {}\n\nUsage:  {}\n\nRun '{} --help' for more information",
        cmd.path,
        plural(n),
        cmd.use_line(),
        cmd.path
    )))
}

/// cobra's `cli.RequiresRangeArgs(min, max)` check.
pub fn range(cmd: &Command, args: &[String], min: usize, max: usize) -> Result<(), CliError> {
    if args.len() >= min && args.len() <= max {
        return Ok(());
    }
    Err(CliError::new(format!(
        "docker: '{}' requires at least {min} and at most {max} {}\n\nUsage:  {}\n\nRun '{} --help' for more information",
        cmd.path,
        plural(max),
        cmd.use_line(),
        cmd.path
    )))
}

/// cobra's `cli.NoArgs` check.
pub fn none(cmd: &Command, args: &[String]) -> Result<(), CliError> {
    if args.is_empty() {
        return Ok(());
    }
    Err(CliError::new(format!(
        "docker: '{}' accepts no arguments\n\nUsage:  {}\n\nRun '{} --help' for more information",
        cmd.path,
        cmd.use_line(),
        cmd.path
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        b("all", Some('a')),
        b("quiet", Some('q')),
        v("format", None),
        v("filter", Some('f')),
    ];

    fn check(args: &[&str], interspersed: bool, expected: &str) {
        let cmd = Command::new("docker images", "[OPTIONS] [REPOSITORY[:TAG]]");
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let got = match parse(&cmd, FLAGS, &args, interspersed) {
            Ok(p) => {
                let mut parts: Vec<String> =
                    p.values.iter().map(|(n, v)| format!("{n}={v}")).collect();
                parts.push(format!("args={:?}", p.args));
                parts.join(" ")
            }
            Err(e) => format!("{} {}", e.code, e.message.lines().next().unwrap_or("")),
        };
        assert_eq!(got, expected, "{args:?}");
    }

    #[test]
    fn pflag_forms() {
        check(&["-aq"], true, r#"all=true quiet=true args=[]"#);
        check(&["x", "-a"], true, r#"all=true args=["x"]"#);
        check(&["x", "-a"], false, r#"args=["x", "-a"]"#);
        check(&["--format={{.ID}}"], true, r#"format={{.ID}} args=[]"#);
        check(&["--format", "json"], true, r#"format=json args=[]"#);
        check(
            &["-fdangling=true"],
            true,
            r#"filter=dangling=true args=[]"#,
        );
        check(&["-af", "x"], true, r#"all=true filter=x args=[]"#);
        check(&["--all=false"], true, r#"all=false args=[]"#);
        check(&["--", "-a"], true, r#"args=["-a"]"#);
        check(&["-"], true, r#"args=["-"]"#);
    }

    #[test]
    fn pflag_errors() {
        check(&["--nope"], true, "125 unknown flag: --nope");
        check(&["-x"], true, "125 unknown shorthand flag: 'x' in -x");
        check(&["-ax"], true, "125 unknown shorthand flag: 'x' in -x");
        check(&["--format"], true, "125 flag needs an argument: --format");
        check(&["-f"], true, "125 flag needs an argument: 'f' in -f");
        check(
            &["--all=maybe"],
            true,
            "125 invalid argument \"maybe\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
        );
        let cmd = Command::new("docker history", "[OPTIONS] IMAGE");
        let e = exact(&cmd, &[], 1).err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("docker: 'docker history' requires 1 argument\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information")
        );
    }
}
