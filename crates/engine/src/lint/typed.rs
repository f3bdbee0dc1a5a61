//! From the syntax tree to stages of typed commands, as BuildKit's
//! `instructions.Parse` does it, with the parse-time checks
//! (`MaintainerDeprecated`, `StageNameCasing`, `FromAsCasing`,
//! `InvalidDefinitionDescription`) and BuildKit's parse errors.
//!
//! A light model kept inside `lint`: only what the checks and the errors
//! need, with spans. Flags, heredoc words, stage names and suggestions go
//! through the build's [`crate::instructions`]; the rest differs from it
//! where the linter's errors come in BuildKit's order (parse-time warnings
//! before errors) and where it keeps spans the build does not need.

use layerlab_syntax::{go_quote, Instruction, Span};

use super::config::CheckConfig;
use super::rules::{
    from_as_casing, invalid_definition_description, maintainer_deprecated, stage_name_casing,
};
use super::{mounts, Emitter, LintError};
use crate::instructions::{
    chomp_heredoc, parse_flags, parse_heredoc_word, valid_stage_name, FlagType, FlagValues,
    ADD_FLAGS, COPY_FLAGS, FROM_FLAGS, HEALTHCHECK_FLAGS, RUN_FLAGS,
};
use crate::shared_sort;

/// BuildKit's location of an instruction: its first and last lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    /// First line (1-based).
    pub start: usize,
    /// Last line.
    pub end: usize,
    /// Where it is in the source.
    pub span: Span,
}

impl Loc {
    pub(crate) fn of(ins: &Instruction) -> Loc {
        Loc {
            start: ins.start_line,
            end: ins.end_line,
            span: ins.span,
        }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The value.
    pub value: String,
    /// Where it was written.
    pub span: Span,
}

/// An ENV or LABEL pair.
#[derive(Debug, Clone)]
pub struct Kv {
    pub key: Word,
    pub value: Word,
    /// Written in the legacy `KEY value` form.
    pub no_delim: bool,
}

/// An ARG name with its optional default.
#[derive(Debug, Clone)]
pub struct ArgKv {
    pub key: String,
    pub value: Option<String>,
    pub span: Span,
}

/// A heredoc used as a COPY/ADD source.
#[derive(Debug, Clone)]
pub struct InlineSource {
    pub data: String,
    pub expand: bool,
    pub span: Span,
}

/// COPY or ADD.
#[derive(Debug, Clone, Default)]
pub struct CopyCmd {
    pub sources: Vec<Word>,
    pub inline: Vec<InlineSource>,
    pub dest: Word,
    pub from: Option<Word>,
    pub chown: Option<Word>,
    pub chmod: Option<Word>,
    pub checksum: Option<Word>,
}

impl Default for Word {
    fn default() -> Self {
        Word {
            value: String::new(),
            span: Span::empty(0),
        }
    }
}

/// A `RUN --mount` flag.
#[derive(Debug, Clone)]
pub struct MountFlag {
    pub value: String,
    pub span: Span,
    /// `from=` as read at parse time.
    pub raw_from: String,
}

/// A typed command.
#[derive(Debug, Clone)]
pub enum Kind {
    Env(Vec<Kv>),
    Label(Vec<Kv>),
    Maintainer,
    Add(CopyCmd),
    Copy(CopyCmd),
    Onbuild(String),
    Workdir(Word),
    Run { mounts: Vec<MountFlag> },
    Cmd { prepend_shell: bool },
    Entrypoint { prepend_shell: bool },
    Healthcheck,
    Expose(Vec<Word>),
    User(Word),
    Volume(Vec<Word>),
    StopSignal(Word),
    Arg(Vec<ArgKv>),
    Shell,
}

/// A command of a stage.
#[derive(Debug, Clone)]
pub struct Command {
    /// The keyword as written (`run`, `RUN`).
    pub name: String,
    pub keyword_span: Span,
    pub loc: Loc,
    /// The comment lines before it.
    pub comments: Vec<String>,
    pub kind: Kind,
    /// An ONBUILD trigger run in a child stage.
    pub is_onbuild: bool,
}

/// A `FROM` and the commands after it.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Lower-cased name, empty when unnamed.
    pub name: String,
    pub name_span: Option<Span>,
    /// The FROM keyword as written.
    pub orig_cmd: String,
    pub keyword_span: Span,
    pub base_name: Word,
    /// `--platform` value, empty when none.
    pub platform: Option<Word>,
    pub loc: Loc,
    pub comments: Vec<String>,
    pub commands: Vec<Command>,
}

/// What `instructions.Parse` returns.
pub struct Parsed {
    pub stages: Vec<Stage>,
    /// Global ARGs (before the first FROM).
    pub meta_args: Vec<Command>,
}

/// `instructions.Parse`: stages and global ARGs, running the parse-time
/// checks on the way. Errors carry `dockerfile parse error on line N`.
pub fn parse(
    instructions: &[Instruction],
    comments: &[Vec<String>],
    cfg: &CheckConfig,
    out: &mut Emitter,
) -> Result<Parsed, LintError> {
    let mut stages: Vec<Stage> = Vec::new();
    let mut meta_args = Vec::new();
    let empty = Vec::new();
    for (i, ins) in instructions.iter().enumerate() {
        let c = comments.get(i).unwrap_or(&empty);
        let parsed = parse_instruction(ins, c, Some((cfg, &mut *out))).map_err(|e| {
            LintError::at(
                format!("dockerfile parse error on line {}: {e}", ins.start_line),
                Loc::of(ins),
            )
        })?;
        match parsed {
            Parsed1::Stage(s) => stages.push(s),
            Parsed1::Command(cmd) => match stages.last_mut() {
                Some(st) => st.commands.push(cmd),
                None if matches!(cmd.kind, Kind::Arg(_)) => meta_args.push(cmd),
                None => {
                    return Err(LintError::at(
                        "no build stage in current context".to_string(),
                        Loc::of(ins),
                    ))
                }
            },
        }
    }
    Ok(Parsed { stages, meta_args })
}

/// One parsed instruction.
pub enum Parsed1 {
    Stage(Stage),
    Command(Command),
}

/// `ParseInstructionWithLinter`. `lint` is `None` for ONBUILD triggers,
/// which BuildKit parses without the linter.
pub fn parse_instruction(
    ins: &Instruction,
    comments: &[String],
    lint: Option<(&CheckConfig, &mut Emitter)>,
) -> Result<Parsed1, String> {
    let mut lint = lint.map(|(cfg, out)| (cfg.with_comments(comments), out));
    let loc = Loc::of(ins);
    let lower = ins.keyword.to_ascii_lowercase();
    let args: Vec<&str> = ins.values();
    let flags = Flags(ins);
    let cmd = |kind: Kind| {
        Parsed1::Command(Command {
            name: ins.keyword.clone(),
            keyword_span: ins.keyword_span,
            loc,
            comments: comments.to_vec(),
            kind,
            is_onbuild: false,
        })
    };
    let word = |i: usize| Word {
        value: ins.args[i].value.clone(),
        span: ins.args[i].span,
    };
    match lower.as_str() {
        "env" | "label" => {
            flags.parse(&[])?;
            let upper = lower.to_ascii_uppercase();
            if ins.args.is_empty() {
                return Err(format!("{upper} requires at least one argument"));
            }
            if ins.args.len() % 3 != 0 {
                return Err(format!("Bad input to {upper}, too many arguments"));
            }
            let mut kvs = Vec::new();
            for c in ins.args.chunks(3) {
                if c[0].value.is_empty() {
                    return Err(format!("{upper} names can not be blank"));
                }
                kvs.push(Kv {
                    key: Word {
                        value: c[0].value.clone(),
                        span: c[0].span,
                    },
                    value: Word {
                        value: c[1].value.clone(),
                        span: c[1].span,
                    },
                    no_delim: c[2].value.is_empty(),
                });
            }
            Ok(cmd(if lower == "env" {
                Kind::Env(kvs)
            } else {
                Kind::Label(kvs)
            }))
        }
        "maintainer" => {
            if let Some((cfg, out)) = lint.as_mut() {
                out.run(
                    cfg,
                    &maintainer_deprecated::RULE,
                    loc,
                    ins.keyword_span,
                    maintainer_deprecated::message(),
                );
            }
            if args.len() != 1 {
                return Err("MAINTAINER requires exactly one argument".into());
            }
            flags.parse(&[])?;
            Ok(cmd(Kind::Maintainer))
        }
        "add" | "copy" => {
            let upper = lower.to_ascii_uppercase();
            if args.len() < 2 {
                return Err(format!("{upper} requires at least two arguments, but only one was provided. Destination could not be determined"));
            }
            let defs = if lower == "add" {
                ADD_FLAGS
            } else {
                COPY_FLAGS
            };
            let values = flags.parse(defs)?;
            let last = ins.args.len() - 1;
            if parse_heredoc_word(&ins.args[last].value).is_some() {
                return Err(format!("{upper} cannot accept a heredoc as a destination"));
            }
            let mut c = CopyCmd {
                dest: word(last),
                from: values.word("from"),
                chown: values.word("chown"),
                chmod: values.word("chmod"),
                checksum: values.word("checksum"),
                ..CopyCmd::default()
            };
            for i in 0..last {
                match parse_heredoc_word(&ins.args[i].value) {
                    Some(heredoc) => {
                        let doc = ins.heredocs.iter().find(|h| h.name == heredoc.name);
                        let (data, expand, span) = match doc {
                            Some(h) => {
                                let data = if h.chomp {
                                    chomp_heredoc(&h.content)
                                } else {
                                    h.content.clone()
                                };
                                (data, h.expand, h.span)
                            }
                            None => (String::new(), true, ins.args[i].span),
                        };
                        c.inline.push(InlineSource { data, expand, span });
                    }
                    None => c.sources.push(word(i)),
                }
            }
            Ok(cmd(if lower == "add" {
                Kind::Add(c)
            } else {
                Kind::Copy(c)
            }))
        }
        "from" => {
            if args.len() == 3 && args[2] != args[2].to_lowercase() {
                if let Some((cfg, out)) = lint.as_mut() {
                    out.run(
                        cfg,
                        &stage_name_casing::RULE,
                        loc,
                        ins.args[2].span,
                        stage_name_casing::message(args[2]),
                    );
                }
            }
            if !from_as_case_matches(&ins.keyword, &args) {
                if let Some((cfg, out)) = lint.as_mut() {
                    out.run(
                        cfg,
                        &from_as_casing::RULE,
                        loc,
                        ins.args[1].span,
                        from_as_casing::message(&ins.keyword, args[1]),
                    );
                }
            }
            let name = match args.len() {
                3 if args[1].eq_ignore_ascii_case("as") => {
                    let name = args[2].to_lowercase();
                    if !valid_stage_name(&name) {
                        return Err(format!(
                            "invalid name for build stage: {}, name can't start with a number or contain symbols",
                            go_quote(args[2])
                        ));
                    }
                    name
                }
                1 => String::new(),
                _ => return Err("FROM requires either one or three arguments".into()),
            };
            let values = flags.parse(FROM_FLAGS)?;
            if !name.is_empty() {
                if let Some((cfg, out)) = lint.as_mut() {
                    definition_description(
                        cfg,
                        out,
                        "FROM",
                        std::slice::from_ref(&name),
                        comments,
                        loc,
                        ins.keyword_span,
                    );
                }
            }
            Ok(Parsed1::Stage(Stage {
                name_span: (args.len() == 3).then(|| ins.args[2].span),
                name,
                orig_cmd: ins.keyword.clone(),
                keyword_span: ins.keyword_span,
                base_name: word(0),
                platform: values.word("platform"),
                loc,
                comments: comments.to_vec(),
                commands: Vec::new(),
            }))
        }
        "onbuild" => {
            let Some(sub) = ins.sub.as_deref() else {
                return Err("ONBUILD requires at least one argument".into());
            };
            flags.parse(&[])?;
            let trigger = sub.keyword.trim().to_ascii_uppercase();
            match trigger.as_str() {
                "ONBUILD" => {
                    return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into())
                }
                "MAINTAINER" | "FROM" => {
                    return Err(format!("{trigger} isn't allowed as an ONBUILD trigger"))
                }
                _ => {}
            }
            let mut expr = strip_onbuild(&ins.original).to_string();
            for h in &ins.heredocs {
                expr.push('\n');
                expr.push_str(&h.content);
                expr.push_str(&h.name);
            }
            Ok(cmd(Kind::Onbuild(expr)))
        }
        "workdir" => {
            if args.len() != 1 {
                return Err("WORKDIR requires exactly one argument".into());
            }
            flags.parse(&[])?;
            Ok(cmd(Kind::Workdir(word(0))))
        }
        "run" => {
            let values = flags.parse(RUN_FLAGS)?;
            let mut mounts = Vec::new();
            for (value, span) in values.all("mount") {
                let raw_from = mounts::raw_from(value)?;
                mounts.push(MountFlag {
                    value: value.clone(),
                    span: *span,
                    raw_from,
                });
            }
            if let Some(n) = values.word("network") {
                if !matches!(n.value.as_str(), "default" | "none" | "host") {
                    return Err(format!("invalid network mode {}", go_quote(&n.value)));
                }
            }
            if let Some(s) = values.word("security") {
                if !matches!(s.value.as_str(), "insecure" | "sandbox") {
                    return Err(format!("security {} is not valid", go_quote(&s.value)));
                }
            }
            Ok(cmd(Kind::Run { mounts }))
        }
        "cmd" | "entrypoint" => {
            flags.parse(&[])?;
            let prepend_shell = !ins.json;
            Ok(cmd(if lower == "cmd" {
                Kind::Cmd { prepend_shell }
            } else {
                Kind::Entrypoint { prepend_shell }
            }))
        }
        "healthcheck" => {
            if args.is_empty() {
                return Err("HEALTHCHECK requires at least one argument".into());
            }
            let typ = args[0].to_uppercase();
            let rest = &args[1..];
            if typ == "NONE" {
                if !rest.is_empty() {
                    return Err("HEALTHCHECK NONE takes no arguments".into());
                }
                return Ok(cmd(Kind::Healthcheck));
            }
            let values = flags.parse(HEALTHCHECK_FLAGS)?;
            if typ != "CMD" {
                return Err(format!(
                    "Unknown type {} in HEALTHCHECK (try CMD)",
                    go_quote(&typ)
                ));
            }
            if rest.is_empty() {
                return Err("Missing command after HEALTHCHECK CMD".into());
            }
            for &name in &["interval", "timeout", "start-period", "start-interval"] {
                if let Some(v) = values.word(name) {
                    check_interval(name, &v.value)?;
                }
            }
            if let Some(r) = values.word("retries") {
                match go_parse_int(&r.value) {
                    Some(n) if n < 0 => return Err(format!("--retries cannot be negative ({n})")),
                    Some(_) => {}
                    None => {
                        return Err(format!(
                            "strconv.ParseInt: parsing {}: {}",
                            go_quote(&r.value),
                            if is_int_syntax(&r.value) {
                                "value out of range"
                            } else {
                                "invalid syntax"
                            }
                        ))
                    }
                }
            }
            Ok(cmd(Kind::Healthcheck))
        }
        "expose" => {
            if args.is_empty() {
                return Err("EXPOSE requires at least one argument".into());
            }
            flags.parse(&[])?;
            let mut ports: Vec<Word> = (0..ins.args.len()).map(word).collect();
            shared_sort::sort_by(&mut ports, |a, b| a.value.cmp(&b.value));
            Ok(cmd(Kind::Expose(ports)))
        }
        "user" => {
            if args.len() != 1 {
                return Err("USER requires exactly one argument".into());
            }
            flags.parse(&[])?;
            Ok(cmd(Kind::User(word(0))))
        }
        "volume" => {
            if args.is_empty() {
                return Err("VOLUME requires at least one argument".into());
            }
            flags.parse(&[])?;
            let mut vols = Vec::new();
            for i in 0..ins.args.len() {
                let mut w = word(i);
                w.value = w.value.trim().to_string();
                if w.value.is_empty() {
                    return Err("VOLUME specified can not be an empty string".into());
                }
                vols.push(w);
            }
            Ok(cmd(Kind::Volume(vols)))
        }
        "stopsignal" => {
            if args.len() != 1 {
                return Err("STOPSIGNAL requires exactly one argument".into());
            }
            Ok(cmd(Kind::StopSignal(word(0))))
        }
        "arg" => {
            if args.is_empty() {
                return Err("ARG requires at least one argument".into());
            }
            let mut kvs = Vec::new();
            for a in &ins.args {
                match a.value.split_once('=') {
                    Some((k, v)) => {
                        if k.is_empty() {
                            return Err("ARG names can not be blank".into());
                        }
                        kvs.push(ArgKv {
                            key: k.to_string(),
                            value: Some(v.to_string()),
                            span: a.span,
                        });
                    }
                    None => kvs.push(ArgKv {
                        key: a.value.clone(),
                        value: None,
                        span: a.span,
                    }),
                }
            }
            if let Some((cfg, out)) = lint.as_mut() {
                let keys: Vec<String> = kvs.iter().map(|k| k.key.clone()).collect();
                definition_description(cfg, out, "ARG", &keys, comments, loc, ins.keyword_span);
            }
            Ok(cmd(Kind::Arg(kvs)))
        }
        "shell" => {
            flags.parse(&[])?;
            if args.is_empty() {
                return Err("SHELL requires at least one argument".into());
            }
            if !ins.json {
                return Err("SHELL requires the arguments to be in JSON form".into());
            }
            Ok(cmd(Kind::Shell))
        }
        _ => Err(crate::instructions::suggest(
            format!("unknown instruction: {}", ins.keyword),
            &ins.keyword,
            &crate::instructions::INSTRUCTION_NAMES,
            false,
        )),
    }
}

/// `validateDefinitionDescription`.
fn definition_description(
    cfg: &CheckConfig,
    out: &mut Emitter,
    instruction: &str,
    keys: &[String],
    comments: &[String],
    loc: Loc,
    span: Span,
) {
    let Some(last) = comments.last() else {
        return;
    };
    if keys.is_empty() {
        return;
    }
    let first = last.split(' ').next().unwrap_or_default();
    if keys.iter().any(|k| k == first) {
        return;
    }
    let example = if keys.len() > 1 {
        "<arg_key>"
    } else {
        &keys[0]
    };
    out.run(
        cfg,
        &invalid_definition_description::RULE,
        loc,
        span,
        invalid_definition_description::message(instruction, example),
    );
}

/// `doesFromCaseMatchAsCase`.
fn from_as_case_matches(from: &str, args: &[&str]) -> bool {
    if args.len() < 3 {
        return true;
    }
    let lower = from == from.to_lowercase();
    let upper = from == from.to_uppercase();
    if !lower && !upper {
        return true;
    }
    if lower {
        args[1] == args[1].to_lowercase()
    } else {
        args[1] == args[1].to_uppercase()
    }
}

/// `(?i)^\s*ONBUILD\s*` removed. (The build's `onbuild_expression`
/// trims Unicode white space instead of RE2's `\s`; kept apart so that
/// neither changes.)
fn strip_onbuild(original: &str) -> &str {
    let s = original.trim_start_matches(is_re_space);
    match s.get(..7) {
        Some(kw) if kw.eq_ignore_ascii_case("onbuild") => s[7..].trim_start_matches(is_re_space),
        _ => original,
    }
}

fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The interval flags: a Go duration (`time.ParseDuration`) of at least
/// 1ms, or 0.
fn check_interval(name: &str, v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Ok(());
    }
    let nanos = go_duration(v)?;
    if nanos != 0.0 && nanos < 1e6 {
        return Err(format!(
            "Interval {} cannot be less than 1ms",
            go_quote(name)
        ));
    }
    Ok(())
}

/// A Go duration string in nanoseconds (`1h30m`, `1.5s`, `-2ms`), with Go's
/// error messages. Not merged with [`crate::instructions::parse_duration`]
/// (which rejects negative values and quotes with Rust's `{:?}`) nor with
/// the docker CLI's `run::goutil::parse_duration`: their edge cases and
/// messages differ, so merging would change one of the three outputs.
fn go_duration(s: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(s));
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        let n: f64 = crate::numfmt::parse(num).ok_or_else(invalid)?;
        rest = &rest[num_len..];
        let unit_len = rest
            .bytes()
            .take_while(|c| !c.is_ascii_digit() && *c != b'.')
            .count();
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {}", go_quote(s))),
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(unit),
                    go_quote(s)
                ))
            }
        };
        total += n * scale;
    }
    Ok(if neg { -total } else { total })
}

fn is_int_syntax(s: &str) -> bool {
    let d = s.strip_prefix(['+', '-']).unwrap_or(s);
    !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())
}

fn go_parse_int(s: &str) -> Option<i64> {
    if !is_int_syntax(s) {
        return None;
    }
    // An i32, parsed as i64 and checked (no parser of its own for i32 in
    // the wasm).
    s.parse::<i64>().ok().filter(|n| i32::try_from(*n).is_ok())
}

/// An instruction's flags, parsed with the build's [`parse_flags`]; the
/// lint's errors carry no span of their own.
struct Flags<'a>(&'a Instruction);

impl Flags<'_> {
    /// `BFlags.Parse`.
    fn parse(&self, defs: &[(&str, FlagType)]) -> Result<FlagValues, String> {
        parse_flags(&self.0.flags, defs).map_err(|(message, _)| message)
    }
}

impl FlagValues {
    /// The last value given to `name`, as a [`Word`].
    fn word(&self, name: &str) -> Option<Word> {
        self.get(name).map(|(value, span)| Word {
            value: value.clone(),
            span: *span,
        })
    }
}
