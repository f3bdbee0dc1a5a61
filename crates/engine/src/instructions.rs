//! Typed instructions: the syntax tree turned into stages and commands with
//! typed flags, as BuildKit's `frontend/dockerfile/instructions` package
//! does it (same checks, same error messages), spans kept for messages.
//!
//! Variables are not expanded here: which words expand, and with which
//! variables, depends on the build (ARG values, ENV), so the build does it
//! when it dispatches each command.

use std::fmt;

use layerlab_syntax::{Dockerfile, Instruction, Span};

use crate::shared_sort;

/// An instruction BuildKit rejects before building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionError {
    /// BuildKit's message (`unknown flag: --form (did you mean from?)`).
    pub message: String,
    /// 1-based line of the instruction.
    pub line: usize,
    /// The instruction (or the flag) concerned.
    pub span: Span,
}

impl fmt::Display for InstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dockerfile parse error on line {}: {}",
            self.line, self.message
        )
    }
}

impl std::error::Error for InstructionError {}

/// A parsed Dockerfile: the global ARGs and the stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instructions {
    /// ARG instructions before the first FROM.
    pub meta_args: Vec<Command>,
    /// The stages in file order.
    pub stages: Vec<Stage>,
}

/// One stage: a FROM and the commands up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The name after `AS`, lower-cased (stage names are case-insensitive).
    pub name: Option<String>,
    /// The image or stage it starts from, as written (not yet expanded).
    pub base_name: String,
    /// `--platform`, as written.
    pub platform: Option<String>,
    /// The FROM line, trimmed.
    pub code: String,
    /// 1-based line of the FROM.
    pub line: usize,
    /// The FROM instruction.
    pub span: Span,
    /// Commands in order.
    pub commands: Vec<Command>,
}

/// One command with its source position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// What it does.
    pub kind: CommandKind,
    /// The instruction's source text (BuildKit's `String()`: the logical
    /// line, trimmed; heredoc bodies not included).
    pub code: String,
    /// The keyword in upper case.
    pub keyword: String,
    /// 1-based first line.
    pub line: usize,
    /// 1-based last line.
    pub end_line: usize,
    /// The whole instruction.
    pub span: Span,
}

/// `KEY=value` of ENV and LABEL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// Key (not yet expanded).
    pub key: String,
    /// Value (not yet expanded, quotes still in).
    pub value: String,
    /// True for the legacy `ENV KEY value` form.
    pub no_delim: bool,
}

/// One `ARG NAME[=default]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDef {
    /// The name.
    pub key: String,
    /// The default, if written.
    pub value: Option<String>,
}

/// An inline file (heredoc) of COPY/ADD or RUN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineFile {
    /// The delimiter word (`EOF`), used as the file name for COPY.
    pub name: String,
    /// The body.
    pub data: String,
    /// `<<-`: leading tabs are removed from the body.
    pub chomp: bool,
    /// False when the delimiter was quoted: no variable expansion.
    pub expand: bool,
}

/// Sources and destination of COPY and ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcesAndDest {
    /// Source paths (not yet expanded).
    pub sources: Vec<String>,
    /// Heredoc sources.
    pub contents: Vec<InlineFile>,
    /// Destination (not yet expanded).
    pub dest: String,
}

/// A command line of RUN, CMD or ENTRYPOINT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellDependent {
    /// Exec form: the argv; shell form: one string.
    pub cmd_line: Vec<String>,
    /// Heredocs.
    pub files: Vec<InlineFile>,
    /// True in shell form: the SHELL is put in front.
    pub prepend_shell: bool,
}

/// COPY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyCommand {
    /// What to copy where.
    pub paths: SourcesAndDest,
    /// `--from`.
    pub from: Option<String>,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--exclude` patterns.
    pub excludes: Vec<String>,
    /// `--parents`.
    pub parents: bool,
}

/// ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCommand {
    /// What to add where.
    pub paths: SourcesAndDest,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--keep-git-dir`.
    pub keep_git_dir: Option<bool>,
    /// `--checksum`.
    pub checksum: Option<String>,
    /// `--unpack`.
    pub unpack: Option<bool>,
    /// `--exclude` patterns.
    pub excludes: Vec<String>,
}

/// RUN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCommand {
    /// The command.
    pub cmd: ShellDependent,
    /// `--mount` values as written (parsed with variables at dispatch).
    pub mounts: Vec<String>,
    /// `--network` (`default`, `none`, `host`).
    pub network: String,
    /// `--security` (`sandbox`, `insecure`).
    pub security: String,
    /// `--device` values.
    pub devices: Vec<String>,
}

/// HEALTHCHECK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthcheckCommand {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`.
    pub test: Vec<String>,
    /// Nanoseconds.
    pub interval: u64,
    /// Nanoseconds.
    pub timeout: u64,
    /// Nanoseconds.
    pub start_period: u64,
    /// Nanoseconds.
    pub start_interval: u64,
    /// Retries.
    pub retries: u64,
}

/// What a command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandKind {
    /// ENV.
    Env(Vec<KeyValue>),
    /// LABEL.
    Label(Vec<KeyValue>),
    /// MAINTAINER.
    Maintainer(String),
    /// ADD.
    Add(AddCommand),
    /// COPY.
    Copy(CopyCommand),
    /// ONBUILD, with the trigger as written.
    Onbuild(String),
    /// WORKDIR.
    Workdir(String),
    /// RUN.
    Run(RunCommand),
    /// CMD.
    Cmd(ShellDependent),
    /// ENTRYPOINT.
    Entrypoint(ShellDependent),
    /// HEALTHCHECK.
    Healthcheck(HealthcheckCommand),
    /// EXPOSE (sorted, as BuildKit sorts them).
    Expose(Vec<String>),
    /// USER.
    User(String),
    /// VOLUME.
    Volume(Vec<String>),
    /// STOPSIGNAL.
    StopSignal(String),
    /// ARG.
    Arg(Vec<ArgDef>),
    /// SHELL.
    Shell(Vec<String>),
}

/// Every instruction keyword BuildKit knows, lower case.
pub const INSTRUCTION_NAMES: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// BuildKit's `suggest.WrapError`: appends ` (did you mean X?)` when an
/// option is within two edits (see [`crate::suggest::search`]).
pub fn suggest(message: String, value: &str, options: &[&str], case_sensitive: bool) -> String {
    match crate::suggest::search(value, options.iter().copied(), case_sensitive) {
        Some(m) => format!("{message} (did you mean {m}?)"),
        None => message,
    }
}

/// The types BuildKit's `BFlags` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagType {
    Bool,
    Str,
    Strings,
}

/// The flags ADD accepts.
pub(crate) const ADD_FLAGS: &[(&str, FlagType)] = &[
    ("chown", FlagType::Str),
    ("chmod", FlagType::Str),
    ("link", FlagType::Bool),
    ("keep-git-dir", FlagType::Bool),
    ("checksum", FlagType::Str),
    ("unpack", FlagType::Bool),
    ("exclude", FlagType::Strings),
];

/// The flags COPY accepts.
pub(crate) const COPY_FLAGS: &[(&str, FlagType)] = &[
    ("chown", FlagType::Str),
    ("from", FlagType::Str),
    ("chmod", FlagType::Str),
    ("link", FlagType::Bool),
    ("exclude", FlagType::Strings),
    ("parents", FlagType::Bool),
];

/// The flags RUN accepts.
pub(crate) const RUN_FLAGS: &[(&str, FlagType)] = &[
    ("mount", FlagType::Strings),
    ("network", FlagType::Str),
    ("security", FlagType::Str),
    ("device", FlagType::Strings),
];

/// The flags `HEALTHCHECK CMD` accepts.
pub(crate) const HEALTHCHECK_FLAGS: &[(&str, FlagType)] = &[
    ("interval", FlagType::Str),
    ("timeout", FlagType::Str),
    ("start-period", FlagType::Str),
    ("start-interval", FlagType::Str),
    ("retries", FlagType::Str),
];

/// The flags FROM accepts.
pub(crate) const FROM_FLAGS: &[(&str, FlagType)] = &[("platform", FlagType::Str)];

/// Flag values parsed by [`parse_flags`], each with the span of its flag.
#[derive(Debug, Default)]
pub(crate) struct FlagValues {
    values: Vec<(String, Vec<(String, Span)>)>,
}

impl FlagValues {
    /// Every value given to `name`, in order, with its flag's span.
    pub(crate) fn all(&self, name: &str) -> &[(String, Span)] {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The last value given to `name`, with its flag's span.
    pub(crate) fn get(&self, name: &str) -> Option<&(String, Span)> {
        self.all(name).last()
    }

    fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(|(v, _)| v.clone())
    }

    fn strings(&self, name: &str) -> Vec<String> {
        self.all(name).iter().map(|(v, _)| v.clone()).collect()
    }

    fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).map(|(v, _)| v == "true")
    }
}

/// BuildKit's `BFlags.Parse`: the `--name=value` words of an instruction
/// against the flags it accepts. A bool flag's value is `"true"` or
/// `"false"`. Used by both the build and the linter.
pub(crate) fn parse_flags(
    args: &[layerlab_syntax::Flag],
    defs: &[(&str, FlagType)],
) -> Result<FlagValues, (String, Span)> {
    let mut out = FlagValues::default();
    for flag in args {
        let a = flag.text.as_str();
        if a == "--" {
            break;
        }
        let Some(body) = a.strip_prefix("--") else {
            return Err((format!("arg should start with -- : {a}"), flag.span));
        };
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let flag_name = format!("--{name}");
        let Some(&(_, ty)) = defs.iter().find(|(n, _)| *n == name) else {
            // BuildKit suggests from a map's keys (no set order); sorting
            // makes ties deterministic.
            let mut names: Vec<&str> = defs.iter().map(|(n, _)| *n).collect();
            shared_sort::sort(&mut names);
            return Err((
                suggest(format!("unknown flag: {flag_name}"), name, &names, true),
                flag.span,
            ));
        };
        let seen = out.values.iter().position(|(n, _)| n == name);
        if seen.is_some() && ty != FlagType::Strings {
            return Err((format!("duplicate flag specified: {flag_name}"), flag.span));
        }
        let v = match ty {
            FlagType::Bool => match value {
                Some("") => {
                    return Err((format!("missing a value on flag: {flag_name}"), flag.span))
                }
                None => "true".to_string(),
                Some(v) => match v.to_ascii_lowercase().as_str() {
                    "true" => "true".to_string(),
                    "false" => "false".to_string(),
                    _ => {
                        return Err((
                            format!("expecting boolean value for flag {flag_name}, not: {v}"),
                            flag.span,
                        ))
                    }
                },
            },
            FlagType::Str | FlagType::Strings => match value {
                Some(v) => v.to_string(),
                None => return Err((format!("missing a value on flag: {flag_name}"), flag.span)),
            },
        };
        match seen {
            Some(i) => out.values[i].1.push((v, flag.span)),
            None => out.values.push((name.to_string(), vec![(v, flag.span)])),
        }
    }
    Ok(out)
}

/// `^(\d*)<<(-?)\s*([^<]*)$` plus BuildKit's checks: the heredoc a word
/// opens, if it is exactly one (`<<EOF`, `<<-"EOF"`).
pub fn parse_heredoc_word(word: &str) -> Option<InlineFile> {
    let h = layerlab_syntax::parse_heredoc(word).ok()??;
    Some(InlineFile {
        name: h.name.into_owned(),
        data: String::new(),
        chomp: h.chomp,
        expand: h.expand,
    })
}

/// BuildKit's `ChompHeredocContent`: leading tabs removed from each line.
pub fn chomp_heredoc(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}

fn values(ins: &Instruction) -> Vec<String> {
    ins.args.iter().map(|a| a.value.clone()).collect()
}

fn inline_files(ins: &Instruction) -> Vec<InlineFile> {
    ins.heredocs
        .iter()
        .map(|h| InlineFile {
            name: h.name.clone(),
            data: h.content.clone(),
            chomp: h.chomp,
            expand: h.expand,
        })
        .collect()
}

fn shell_dependent(ins: &Instruction) -> ShellDependent {
    let args = values(ins);
    let cmd_line = if args.is_empty() {
        // BuildKit gives CMD an empty list and ENTRYPOINT nil; both mean
        // "no command" in the image config.
        Vec::new()
    } else if ins.json {
        args
    } else {
        vec![args.join(" ")]
    };
    ShellDependent {
        cmd_line,
        files: inline_files(ins),
        prepend_shell: !ins.json,
    }
}

fn sources_and_dest(ins: &Instruction, command: &str) -> Result<SourcesAndDest, String> {
    let args = values(ins);
    let Some((dest, srcs)) = args.split_last() else {
        return Err(format!(
            "{command} requires at least two arguments, but only one was provided. Destination could not be determined"
        ));
    };
    if parse_heredoc_word(dest).is_some() {
        return Err(format!(
            "{command} cannot accept a heredoc as a destination"
        ));
    }
    let mut sources = Vec::new();
    let mut contents = Vec::new();
    for src in srcs {
        match parse_heredoc_word(src) {
            Some(h) => {
                let body = ins
                    .heredocs
                    .iter()
                    .find(|d| d.name == h.name)
                    .map(|d| d.content.clone())
                    .unwrap_or_default();
                let data = if h.chomp { chomp_heredoc(&body) } else { body };
                contents.push(InlineFile { data, ..h });
            }
            None => sources.push(src.clone()),
        }
    }
    Ok(SourcesAndDest {
        sources,
        contents,
        dest: dest.clone(),
    })
}

/// Go's `time.ParseDuration` for the units Docker accepts, in nanoseconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let bad = || format!("time: invalid duration {s:?}");
    if s == "0" {
        return Ok(0);
    }
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if rest.starts_with('-') {
        return Err(bad());
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let n: f64 = crate::numfmt::parse(&rest[..num_len]).ok_or_else(bad)?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let mult = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total += n * mult;
    }
    Ok(total as u64)
}

fn onbuild_expression(ins: &Instruction) -> String {
    // `(?i)^\s*ONBUILD\s*` removed from the original line.
    let o = ins.original.trim_start();
    let rest = if o
        .get(..7)
        .is_some_and(|k| k.eq_ignore_ascii_case("onbuild"))
    {
        o.get(7..).unwrap_or("").trim_start()
    } else {
        o
    };
    let mut s = rest.to_string();
    for h in &ins.heredocs {
        s.push('\n');
        s.push_str(&h.content);
        s.push_str(&h.name);
    }
    s
}

/// Parses one instruction other than FROM into a command.
pub fn parse_command(ins: &Instruction) -> Result<Command, InstructionError> {
    let err = |message: String| InstructionError {
        message,
        line: ins.start_line,
        span: ins.span,
    };
    let flag_err = |(message, span): (String, Span)| InstructionError {
        message,
        line: ins.start_line,
        span,
    };
    let args = values(ins);
    let kw = ins.keyword.to_ascii_lowercase();
    let no_flags = |ins: &Instruction| -> Result<(), InstructionError> {
        parse_flags(&ins.flags, &[]).map(drop).map_err(flag_err)
    };
    let kind = match kw.as_str() {
        "env" | "label" => {
            no_flags(ins)?;
            let name = kw.to_uppercase();
            if ins.args.is_empty() {
                return Err(err(format!("{name} requires at least one argument")));
            }
            if ins.args.len() % 3 != 0 {
                return Err(err(format!("Bad input to {name}, too many arguments")));
            }
            let mut kvs = Vec::new();
            for c in ins.args.chunks(3) {
                if c[0].value.is_empty() {
                    return Err(err(format!("{name} names can not be blank")));
                }
                kvs.push(KeyValue {
                    key: c[0].value.clone(),
                    value: c[1].value.clone(),
                    no_delim: c[2].value.is_empty(),
                });
            }
            if kw == "env" {
                CommandKind::Env(kvs)
            } else {
                CommandKind::Label(kvs)
            }
        }
        "maintainer" => {
            if args.len() != 1 {
                return Err(err("MAINTAINER requires exactly one argument".into()));
            }
            no_flags(ins)?;
            CommandKind::Maintainer(args[0].clone())
        }
        "add" => {
            if args.len() < 2 && ins.heredocs.is_empty() {
                return Err(err("ADD requires at least two arguments, but only one was provided. Destination could not be determined".into()));
            }
            let f = parse_flags(&ins.flags, ADD_FLAGS).map_err(flag_err)?;
            let paths = sources_and_dest(ins, "ADD").map_err(err)?;
            CommandKind::Add(AddCommand {
                paths,
                chown: f.string("chown").filter(|s| !s.is_empty()),
                chmod: f.string("chmod").filter(|s| !s.is_empty()),
                link: f.bool("link").unwrap_or(false),
                keep_git_dir: f.bool("keep-git-dir"),
                checksum: f.string("checksum").filter(|s| !s.is_empty()),
                unpack: f.bool("unpack"),
                excludes: f.strings("exclude"),
            })
        }
        "copy" => {
            if args.len() < 2 {
                return Err(err("COPY requires at least two arguments, but only one was provided. Destination could not be determined".into()));
            }
            let f = parse_flags(&ins.flags, COPY_FLAGS).map_err(flag_err)?;
            let paths = sources_and_dest(ins, "COPY").map_err(err)?;
            CommandKind::Copy(CopyCommand {
                paths,
                from: f.string("from").filter(|s| !s.is_empty()),
                chown: f.string("chown").filter(|s| !s.is_empty()),
                chmod: f.string("chmod").filter(|s| !s.is_empty()),
                link: f.bool("link").unwrap_or(false),
                excludes: f.strings("exclude"),
                parents: f.bool("parents").unwrap_or(false),
            })
        }
        "onbuild" => {
            let Some(sub) = &ins.sub else {
                return Err(err("ONBUILD requires at least one argument".into()));
            };
            no_flags(ins)?;
            let trigger = sub.keyword.to_ascii_uppercase();
            match trigger.as_str() {
                "ONBUILD" => {
                    return Err(err(
                        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into()
                    ))
                }
                "MAINTAINER" | "FROM" => {
                    return Err(err(format!(
                        "{trigger} isn't allowed as an ONBUILD trigger"
                    )))
                }
                _ => {}
            }
            CommandKind::Onbuild(onbuild_expression(ins))
        }
        "workdir" => {
            if args.len() != 1 {
                return Err(err("WORKDIR requires exactly one argument".into()));
            }
            no_flags(ins)?;
            CommandKind::Workdir(args[0].clone())
        }
        "run" => {
            let f = parse_flags(&ins.flags, RUN_FLAGS).map_err(flag_err)?;
            let network = f.string("network").unwrap_or_else(|| "default".into());
            if !["default", "none", "host"].contains(&network.as_str()) {
                return Err(err(format!("invalid network mode {network:?}")));
            }
            let security = f.string("security").unwrap_or_else(|| "sandbox".into());
            if !["sandbox", "insecure"].contains(&security.as_str()) {
                return Err(err(format!("security {security:?} is not valid")));
            }
            let mounts = f.strings("mount");
            for m in &mounts {
                // Syntax is checked now; values are expanded at dispatch.
                parse_mount(m, None).map_err(err)?;
            }
            CommandKind::Run(RunCommand {
                cmd: shell_dependent(ins),
                mounts,
                network,
                security,
                devices: f.strings("device"),
            })
        }
        "cmd" => {
            no_flags(ins)?;
            CommandKind::Cmd(shell_dependent(ins))
        }
        "entrypoint" => {
            no_flags(ins)?;
            CommandKind::Entrypoint(shell_dependent(ins))
        }
        "healthcheck" => {
            if args.is_empty() {
                return Err(err("HEALTHCHECK requires at least one argument".into()));
            }
            let typ = args[0].to_uppercase();
            let rest = &args[1..];
            if typ == "NONE" {
                if !rest.is_empty() {
                    return Err(err("HEALTHCHECK NONE takes no arguments".into()));
                }
                CommandKind::Healthcheck(HealthcheckCommand {
                    test: vec![typ],
                    interval: 0,
                    timeout: 0,
                    start_period: 0,
                    start_interval: 0,
                    retries: 0,
                })
            } else {
                let f = parse_flags(&ins.flags, HEALTHCHECK_FLAGS).map_err(flag_err)?;
                if typ != "CMD" {
                    return Err(err(format!(
                        "Unknown type \"{typ}\" in HEALTHCHECK (try CMD)"
                    )));
                }
                let cmd: Vec<String> = if ins.json {
                    rest.to_vec()
                } else if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![rest.join(" ")]
                };
                if cmd.is_empty() {
                    return Err(err("Missing command after HEALTHCHECK CMD".into()));
                }
                let kind = if ins.json { "CMD" } else { "CMD-SHELL" };
                let mut test = vec![kind.to_string()];
                test.extend(cmd);
                let dur = |name: &str| -> Result<u64, InstructionError> {
                    match f.string(name) {
                        None => Ok(0),
                        Some(v) if v.is_empty() => Ok(0),
                        Some(v) => {
                            let d = parse_duration(&v).map_err(err)?;
                            if d != 0 && d < 1_000_000 {
                                return Err(err(format!(
                                    "Interval \"{name}\" cannot be less than 1ms"
                                )));
                            }
                            Ok(d)
                        }
                    }
                };
                let retries = match f.string("retries") {
                    Some(v) if !v.is_empty() => {
                        let n: i64 = v.parse().map_err(|_| {
                            err(format!("strconv.ParseInt: parsing {v:?}: invalid syntax"))
                        })?;
                        if n < 0 {
                            return Err(err(format!("--retries cannot be negative ({n})")));
                        }
                        n as u64
                    }
                    _ => 0,
                };
                CommandKind::Healthcheck(HealthcheckCommand {
                    test,
                    interval: dur("interval")?,
                    timeout: dur("timeout")?,
                    start_period: dur("start-period")?,
                    start_interval: dur("start-interval")?,
                    retries,
                })
            }
        }
        "expose" => {
            if args.is_empty() {
                return Err(err("EXPOSE requires at least one argument".into()));
            }
            no_flags(ins)?;
            let mut ports = args.clone();
            shared_sort::sort(&mut ports);
            CommandKind::Expose(ports)
        }
        "user" => {
            if args.len() != 1 {
                return Err(err("USER requires exactly one argument".into()));
            }
            no_flags(ins)?;
            CommandKind::User(args[0].clone())
        }
        "volume" => {
            if args.is_empty() {
                return Err(err("VOLUME requires at least one argument".into()));
            }
            no_flags(ins)?;
            let mut vols = Vec::new();
            for v in &args {
                let v = v.trim();
                if v.is_empty() {
                    return Err(err("VOLUME specified can not be an empty string".into()));
                }
                vols.push(v.to_string());
            }
            CommandKind::Volume(vols)
        }
        "stopsignal" => {
            if args.len() != 1 {
                return Err(err("STOPSIGNAL requires exactly one argument".into()));
            }
            CommandKind::StopSignal(args[0].clone())
        }
        "arg" => {
            if args.is_empty() {
                return Err(err("ARG requires at least one argument".into()));
            }
            let mut defs = Vec::new();
            for a in &args {
                match a.split_once('=') {
                    Some(("", _)) => return Err(err("ARG names can not be blank".into())),
                    Some((k, v)) => defs.push(ArgDef {
                        key: k.to_string(),
                        value: Some(v.to_string()),
                    }),
                    None => defs.push(ArgDef {
                        key: a.clone(),
                        value: None,
                    }),
                }
            }
            CommandKind::Arg(defs)
        }
        "shell" => {
            no_flags(ins)?;
            if args.is_empty() {
                return Err(err("SHELL requires at least one argument".into()));
            }
            if !ins.json {
                return Err(err("SHELL requires the arguments to be in JSON form".into()));
            }
            CommandKind::Shell(args)
        }
        _ => {
            return Err(err(suggest(
                format!("unknown instruction: {}", ins.keyword),
                &ins.keyword,
                &INSTRUCTION_NAMES,
                false,
            )))
        }
    };
    Ok(Command {
        kind,
        code: ins.original.trim().to_string(),
        keyword: ins.keyword.to_ascii_uppercase(),
        line: ins.start_line,
        end_line: ins.end_line,
        span: ins.span,
    })
}

/// `^[a-z][a-z0-9-_.]*$`: a valid (lower-cased) stage name.
pub(crate) fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn parse_from(ins: &Instruction) -> Result<Stage, InstructionError> {
    let err = |message: String| InstructionError {
        message,
        line: ins.start_line,
        span: ins.span,
    };
    let args = values(ins);
    let name = match args.len() {
        3 if args[1].eq_ignore_ascii_case("as") => {
            let n = args[2].to_lowercase();
            if !valid_stage_name(&n) {
                return Err(err(format!(
                    "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                    args[2]
                )));
            }
            Some(n)
        }
        1 => None,
        _ => return Err(err("FROM requires either one or three arguments".into())),
    };
    let f = parse_flags(&ins.flags, FROM_FLAGS).map_err(|(message, span)| InstructionError {
        message,
        line: ins.start_line,
        span,
    })?;
    Ok(Stage {
        name,
        base_name: args[0].clone(),
        platform: f.string("platform").filter(|p| !p.is_empty()),
        code: ins.original.trim().to_string(),
        line: ins.start_line,
        span: ins.span,
        commands: Vec::new(),
    })
}

/// Parses the whole file into global ARGs and stages.
pub fn parse(df: &Dockerfile) -> Result<Instructions, InstructionError> {
    let mut meta_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for ins in &df.instructions {
        if ins.is("from") {
            stages.push(parse_from(ins)?);
            continue;
        }
        let cmd = parse_command(ins)?;
        match stages.last_mut() {
            Some(stage) => stage.commands.push(cmd),
            None if matches!(cmd.kind, CommandKind::Arg(_)) => meta_args.push(cmd),
            None => {
                return Err(InstructionError {
                    message: "no build stage in current context".into(),
                    line: ins.start_line,
                    span: ins.span,
                })
            }
        }
    }
    Ok(Instructions { meta_args, stages })
}

/// A `RUN --mount` after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// `bind`, `cache`, `tmpfs`, `secret` or `ssh`.
    pub kind: String,
    /// `from=` (stage, index or image).
    pub from: Option<String>,
    /// `source=`.
    pub source: String,
    /// `target=`.
    pub target: String,
    /// Read-only (binds and secrets by default).
    pub readonly: bool,
    /// `id=` of a cache mount.
    pub id: String,
    /// `sharing=` of a cache mount.
    pub sharing: String,
    /// `mode=`, `uid=`, `gid=` when set.
    pub mode: Option<u32>,
    /// `uid=`.
    pub uid: Option<u32>,
    /// `gid=`.
    pub gid: Option<u32>,
    /// `required` (secrets).
    pub required: bool,
    /// `env=` (secrets).
    pub env: Option<String>,
}

/// Expands one word with the stage's variables (an error message when it
/// cannot).
pub type Expander<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

/// Every key a `--mount` value may use, in the order BuildKit suggests
/// from.
pub(crate) const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// Parses a `--mount` value (BuildKit's `parseMount`), expanding values
/// with `expand` when given.
pub fn parse_mount(value: &str, expand: Option<&Expander<'_>>) -> Result<Mount, String> {
    let mut m = Mount {
        kind: "bind".into(),
        from: None,
        source: String::new(),
        target: String::new(),
        readonly: false,
        id: String::new(),
        sharing: String::new(),
        mode: None,
        uid: None,
        gid: None,
        required: false,
        env: None,
    };
    let mut ro_auto = true;
    for field in csv_fields(value)? {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
            None => (field.to_lowercase(), None),
        };
        let Some(val) = val else {
            if expand.is_none() {
                continue;
            }
            match key.as_str() {
                "readonly" | "ro" => {
                    m.readonly = true;
                    ro_auto = false;
                }
                "readwrite" | "rw" => {
                    m.readonly = false;
                    ro_auto = false;
                }
                "required" if m.kind == "secret" || m.kind == "ssh" => m.required = true,
                "required" => {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ))
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        let val = match expand {
            Some(f) => f(&val)?,
            None => val,
        };
        let parse_bool = |v: &str| match v.to_lowercase().as_str() {
            "1" | "t" | "true" => Ok(true),
            "0" | "f" | "false" => Ok(false),
            _ => Err(format!("invalid value for {key}: {v}")),
        };
        match key.as_str() {
            "type" => {
                let t = val.to_lowercase();
                if !["bind", "cache", "tmpfs", "secret", "ssh"].contains(&t.as_str()) {
                    return Err(suggest(
                        format!("unsupported mount type {val:?}"),
                        &val,
                        &["bind", "cache", "secret", "ssh", "tmpfs"],
                        true,
                    ));
                }
                m.kind = t;
            }
            "from" => m.from = Some(val),
            "source" | "src" => m.source = val,
            "target" | "dst" | "destination" => m.target = val,
            "readonly" | "ro" => {
                m.readonly = parse_bool(&val)?;
                ro_auto = false;
            }
            "readwrite" | "rw" => {
                m.readonly = !parse_bool(&val)?;
                ro_auto = false;
            }
            "required" => {
                if m.kind == "secret" || m.kind == "ssh" {
                    m.required = parse_bool(&val)?;
                } else {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ));
                }
            }
            "size" => {
                if m.kind != "tmpfs" {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ));
                }
            }
            "id" => m.id = val,
            "sharing" => {
                let s = val.to_lowercase();
                if !["shared", "private", "locked"].contains(&s.as_str()) {
                    return Err(format!("unsupported sharing value {val:?}"));
                }
                m.sharing = s;
            }
            "mode" => {
                m.mode = Some(
                    u32::from_str_radix(&val, 8)
                        .map_err(|_| format!("invalid value {val} for mode"))?,
                )
            }
            "uid" => {
                m.uid = Some(
                    val.parse()
                        .map_err(|_| format!("invalid value {val} for uid"))?,
                )
            }
            "gid" => {
                m.gid = Some(
                    val.parse()
                        .map_err(|_| format!("invalid value {val} for gid"))?,
                )
            }
            "env" => m.env = Some(val),
            _ => {
                return Err(suggest(
                    format!("unexpected key '{key}' in '{field}'"),
                    &key,
                    &MOUNT_KEYS,
                    true,
                ))
            }
        }
    }
    let file_info_allowed = ["secret", "ssh", "cache"].contains(&m.kind.as_str());
    if !file_info_allowed {
        if m.mode.is_some() {
            return Err(format!("mode not allowed for {:?} type mounts", m.kind));
        }
        if m.uid.is_some() {
            return Err(format!("uid not allowed for {:?} type mounts", m.kind));
        }
        if m.gid.is_some() {
            return Err(format!("gid not allowed for {:?} type mounts", m.kind));
        }
    }
    if ro_auto {
        m.readonly = !(m.kind == "cache" || m.kind == "tmpfs");
    }
    if !m.sharing.is_empty() && m.kind != "cache" {
        return Err("sharing option is allowed only with cache mount".into());
    }
    if m.kind == "secret" {
        if m.from.is_some() {
            return Err("secret mount should not have a from".into());
        }
        if m.source.is_empty() && m.target.is_empty() && m.id.is_empty() {
            return Err("invalid secret mount. one of source, target required".into());
        }
    }
    if expand.is_some() && m.target.is_empty() && m.kind != "secret" && m.kind != "ssh" {
        return Err("mount destination (target) is required".into());
    }
    Ok(m)
}

/// Splits a CSV line (Go's `encoding/csv` rules for one record).
fn csv_fields(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut at_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            ',' => {
                out.push(std::mem::take(&mut cur));
                at_start = true;
                continue;
            }
            '"' if at_start => quoted = true,
            c => cur.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err("failed to parse csv mounts: extraneous or missing \" in quoted-field".into());
    }
    out.push(cur);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Instructions, InstructionError> {
        let df = layerlab_syntax::parse(text).map_err(|e| InstructionError {
            message: e.message,
            line: e.line,
            span: e.span,
        })?;
        parse(&df)
    }

    #[test]
    fn stages_commands_and_meta_args() {
        let i = parse_text("ARG TAG=3.20\nFROM alpine:${TAG} AS Build\nRUN echo hi\nFROM build\nCOPY --from=build /a /b\n");
        let Ok(i) = i else {
            panic!("{i:?}");
        };
        assert_eq!(i.meta_args.len(), 1);
        assert_eq!(i.stages.len(), 2);
        assert_eq!(i.stages[0].name.as_deref(), Some("build"));
        assert_eq!(i.stages[0].base_name, "alpine:${TAG}");
        assert!(
            matches!(&i.stages[1].commands[0].kind, CommandKind::Copy(c) if c.from.as_deref() == Some("build"))
        );
    }

    #[test]
    fn buildkit_errors() {
        let e = |t: &str| parse_text(t).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(
            e("FROM a\nCOPY --form=x a b\n"),
            "unknown flag: --form (did you mean from?)"
        );
        assert_eq!(
            e("FROM a\nFORM b\n"),
            "unknown instruction: FORM (did you mean FROM?)"
        );
        assert_eq!(e("RUN x\n"), "no build stage in current context");
        assert_eq!(
            e("FROM a b\n"),
            "FROM requires either one or three arguments"
        );
        assert_eq!(e("FROM a\nCOPY x\n"), "COPY requires at least two arguments, but only one was provided. Destination could not be determined");
        assert_eq!(
            e("FROM a\nRUN --network=foo x\n"),
            "invalid network mode \"foo\""
        );
        assert_eq!(
            e("FROM a\nSHELL sh -c\n"),
            "SHELL requires the arguments to be in JSON form"
        );
        assert_eq!(e("FROM a AS 1x\n"), "invalid name for build stage: \"1x\", name can't start with a number or contain symbols");
        assert_eq!(
            e("FROM a\nCOPY --link --link a b\n"),
            "duplicate flag specified: --link"
        );
    }

    #[test]
    fn heredocs_and_mounts() {
        let i = parse_text(
            "FROM a\nCOPY <<EOF /cfg\nk=1\nEOF\nRUN --mount=type=cache,target=/c echo\n",
        );
        let Ok(i) = i else {
            panic!("{i:?}");
        };
        let CommandKind::Copy(c) = &i.stages[0].commands[0].kind else {
            panic!("not a copy");
        };
        assert_eq!(c.paths.contents[0].data, "k=1\n");
        assert_eq!(c.paths.dest, "/cfg");
        let m = parse_mount(
            "type=cache,target=/c,id=one",
            Some(&|s: &str| Ok(s.to_string())),
        );
        assert!(
            m.as_ref()
                .is_ok_and(|m| m.kind == "cache" && !m.readonly && m.id == "one"),
            "{m:?}"
        );
        let m = parse_mount(
            "type=bind,source=cfg.txt,target=/cfg",
            Some(&|s: &str| Ok(s.to_string())),
        );
        assert!(m.is_ok_and(|m| m.readonly));
        assert_eq!(chomp_heredoc("\t\ta\n\tb\n"), "a\nb\n");
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert!(parse_heredoc_word("<<'EOF'").is_some_and(|h| !h.expand && h.name == "EOF"));
        assert!(parse_heredoc_word("<<EOF").is_some_and(|h| h.expand));
        assert!(parse_heredoc_word("a<<EOF").is_none());
    }
}
