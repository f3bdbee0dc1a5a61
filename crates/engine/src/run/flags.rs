//! A flag parser with spf13/pflag's semantics (v1.0.10, as vendored by the
//! docker CLI), so that every accepted and rejected command line matches
//! the real `docker`: combined shorthands (`-it`, `-itd`), attached values
//! (`-p5000:8080`, `-e=K=V`, `--name=x`), booleans with an optional value
//! (`--rm=false`, `-i=false`), `--` ending the flags, and "not interspersed"
//! parsing (the first positional argument, the image, ends the flags).
//!
//! Error texts are pflag's, wrapped the way cobra's `FlagErrorFunc` in
//! docker/cli does (usage line, "Run '... --help'", exit status 125).

use super::goutil::{parse_bool, quote_rune};
use super::DockerError;

/// How a flag takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagKind {
    /// A boolean: no value needed (`NoOptDefVal` is "true"), `=false` works.
    Bool,
    /// Any other flag: a value is required (`--f v`, `--f=v`, `-fv`, `-f v`).
    Value,
}

/// One flag definition.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlagSpec {
    /// Long name, without dashes.
    pub name: &'static str,
    /// Shorthand letter, if any.
    pub short: Option<u8>,
    /// Value kind.
    pub kind: FlagKind,
    /// Deprecation message pflag prints when the flag is used.
    pub deprecated: Option<&'static str>,
}

impl FlagSpec {
    /// A value flag.
    pub(crate) const fn value(name: &'static str, short: Option<u8>) -> Self {
        FlagSpec {
            name,
            short,
            kind: FlagKind::Value,
            deprecated: None,
        }
    }

    /// A boolean flag.
    pub(crate) const fn boolean(name: &'static str, short: Option<u8>) -> Self {
        FlagSpec {
            name,
            short,
            kind: FlagKind::Bool,
            deprecated: None,
        }
    }

    /// Marks the flag deprecated with pflag's message.
    pub(crate) const fn deprecated(mut self, message: &'static str) -> Self {
        self.deprecated = Some(message);
        self
    }

    /// The flag's name as pflag shows it in "invalid argument" errors.
    pub(crate) fn display_name(&self) -> String {
        match self.short {
            Some(c) => format!("-{}, --{}", char::from(c), self.name),
            None => format!("--{}", self.name),
        }
    }
}

/// The result of parsing: flag values in command-line order, positional
/// arguments, and lines pflag printed to stderr (deprecations).
#[derive(Debug, Clone, Default)]
pub(crate) struct ParsedFlags {
    /// `(long name, value)` in order of appearance (booleans as "true"/"false").
    pub values: Vec<(&'static str, String)>,
    /// Positional arguments (everything from the first non-flag on).
    pub args: Vec<String>,
    /// Messages pflag writes to stderr while parsing.
    pub stderr: Vec<String>,
}

impl ParsedFlags {
    /// The last value given for `name`.
    pub(crate) fn last(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All values given for `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether `name` was set at all (pflag's `Changed`).
    pub(crate) fn changed(&self, name: &str) -> bool {
        self.values.iter().any(|(n, _)| *n == name)
    }

    /// The boolean value of `name` (false when unset).
    pub(crate) fn bool(&self, name: &str) -> bool {
        self.last(name) == Some("true")
    }
}

/// A value validator: called for every flag occurrence, in order, as
/// pflag's `Value.Set` is. Returns the (possibly rewritten) value or the
/// cause of an "invalid argument" error.
pub(crate) type Validator<'a> = dyn FnMut(&FlagSpec, &str) -> Result<String, String> + 'a;

/// Why pflag stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FlagError {
    /// A pflag error message.
    Message(String),
}

/// Parses `args` with pflag's algorithm, interspersed = false.
pub(crate) fn parse_flags(
    specs: &[FlagSpec],
    args: &[String],
    validate: &mut Validator<'_>,
) -> Result<ParsedFlags, FlagError> {
    let mut out = ParsedFlags::default();
    let mut i = 0usize;
    while i < args.len() {
        let s = &args[i];
        i += 1;
        let bytes = s.as_bytes();
        if bytes.len() < 2 || bytes[0] != b'-' {
            // Not interspersed: the first positional ends flag parsing.
            out.args.push(s.clone());
            out.args.extend(args[i..].iter().cloned());
            return Ok(out);
        }
        if bytes[1] == b'-' {
            if bytes.len() == 2 {
                out.args.extend(args[i..].iter().cloned());
                return Ok(out);
            }
            i = parse_long(specs, s, args, i, &mut out, validate)?;
        } else {
            i = parse_short(specs, s, args, i, &mut out, validate)?;
        }
    }
    Ok(out)
}

fn set(
    spec: &FlagSpec,
    value: &str,
    out: &mut ParsedFlags,
    validate: &mut Validator<'_>,
) -> Result<(), FlagError> {
    let invalid = |cause: String| {
        FlagError::Message(format!(
            "invalid argument {} for {} flag: {}",
            super::goutil::quote(value),
            super::goutil::quote(&spec.display_name()),
            cause
        ))
    };
    let stored = match spec.kind {
        FlagKind::Bool => parse_bool(value).map_err(invalid)?.to_string(),
        FlagKind::Value => validate(spec, value).map_err(invalid)?,
    };
    if let Some(msg) = spec.deprecated {
        out.stderr
            .push(format!("Flag --{} has been deprecated, {}", spec.name, msg));
    }
    out.values.push((spec.name, stored));
    Ok(())
}

fn parse_long(
    specs: &[FlagSpec],
    s: &str,
    args: &[String],
    mut i: usize,
    out: &mut ParsedFlags,
    validate: &mut Validator<'_>,
) -> Result<usize, FlagError> {
    let name = &s[2..];
    if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
        return Err(FlagError::Message(format!("bad flag syntax: {s}")));
    }
    let (name, inline) = match name.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (name, None),
    };
    let Some(spec) = specs.iter().find(|f| f.name == name) else {
        return Err(FlagError::Message(format!("unknown flag: --{name}")));
    };
    let value = if let Some(v) = inline {
        v.to_string()
    } else if spec.kind == FlagKind::Bool {
        "true".to_string()
    } else if i < args.len() {
        i += 1;
        args[i - 1].clone()
    } else {
        return Err(FlagError::Message(format!(
            "flag needs an argument: --{name}"
        )));
    };
    set(spec, &value, out, validate)?;
    Ok(i)
}

fn parse_short(
    specs: &[FlagSpec],
    s: &str,
    args: &[String],
    mut i: usize,
    out: &mut ParsedFlags,
    validate: &mut Validator<'_>,
) -> Result<usize, FlagError> {
    let all = &s.as_bytes()[1..];
    let mut rest: &[u8] = all;
    while let Some(&c) = rest.first() {
        let Some(spec) = specs.iter().find(|f| f.short == Some(c)) else {
            return Err(FlagError::Message(format!(
                "unknown shorthand flag: {} in -{}",
                quote_rune(char::from(c)),
                String::from_utf8_lossy(rest)
            )));
        };
        let value;
        if rest.len() > 2 && rest[1] == b'=' {
            value = String::from_utf8_lossy(&rest[2..]).into_owned();
            rest = &[];
        } else if spec.kind == FlagKind::Bool {
            value = "true".to_string();
            rest = &rest[1..];
        } else if rest.len() > 1 {
            value = String::from_utf8_lossy(&rest[1..]).into_owned();
            rest = &[];
        } else if i < args.len() {
            value = args[i].clone();
            i += 1;
            rest = &[];
        } else {
            return Err(FlagError::Message(format!(
                "flag needs an argument: {} in -{}",
                quote_rune(char::from(c)),
                String::from_utf8_lossy(rest)
            )));
        }
        set(spec, &value, out, validate)?;
    }
    Ok(i)
}

/// Wraps a flag error the way docker/cli's `FlagErrorFunc` does.
pub(crate) fn flag_error(err: FlagError, use_line: &str, command_path: &str) -> DockerError {
    let FlagError::Message(msg) = err;
    DockerError::new(
        format!("{msg}\n\nUsage:  {use_line}\n\nRun '{command_path} --help' for more information"),
        125,
    )
}

/// cobra's `RequiresMinArgs` error (a plain error: exit status 1).
pub(crate) fn min_args_error(min: usize, use_line: &str, command_path: &str) -> DockerError {
    let plural = if min == 1 { "argument" } else { "arguments" };
    DockerError::new(
        format!(
            "docker: '{command_path}' requires at least {min} {plural}\n\nUsage:  {use_line}\n\nSee '{command_path} --help' for more information"
        ),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[FlagSpec] = &[
        FlagSpec::boolean("interactive", Some(b'i')),
        FlagSpec::boolean("tty", Some(b't')),
        FlagSpec::boolean("detach", Some(b'd')),
        FlagSpec::value("publish", Some(b'p')),
        FlagSpec::value("env", Some(b'e')),
        FlagSpec::value("name", None),
        FlagSpec::boolean("old", None).deprecated("use --new"),
    ];

    fn run(args: &[&str]) -> Result<ParsedFlags, FlagError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_flags(SPECS, &args, &mut |_, v| Ok(v.to_string()))
    }

    fn check(args: &[&str], expected: &str) {
        let got = match run(args) {
            Ok(p) => {
                let mut parts: Vec<String> =
                    p.values.iter().map(|(n, v)| format!("{n}={v}")).collect();
                parts.push(format!("args={:?}", p.args));
                for e in &p.stderr {
                    parts.push(format!("stderr={e}"));
                }
                parts.join(" ")
            }
            Err(FlagError::Message(m)) => format!("error: {m}"),
        };
        assert_eq!(got, expected, "for {args:?}");
    }

    #[test]
    fn combined_and_attached_forms() {
        check(&["-it", "img"], r#"interactive=true tty=true args=["img"]"#);
        check(
            &["-itd", "img", "-x"],
            r#"interactive=true tty=true detach=true args=["img", "-x"]"#,
        );
        check(&["-p5000:8080", "img"], r#"publish=5000:8080 args=["img"]"#);
        check(
            &["-p", "5000:8080", "img"],
            r#"publish=5000:8080 args=["img"]"#,
        );
        check(
            &["-p=5000:8080", "img"],
            r#"publish=5000:8080 args=["img"]"#,
        );
        check(
            &["-itp", "80", "img"],
            r#"interactive=true tty=true publish=80 args=["img"]"#,
        );
        check(&["-e=A=B", "img"], r#"env=A=B args=["img"]"#);
        check(&["--name=x", "img"], r#"name=x args=["img"]"#);
        check(&["--name", "x", "img"], r#"name=x args=["img"]"#);
        check(&["-i=false", "img"], r#"interactive=false args=["img"]"#);
        check(
            &["-it=false", "img"],
            r#"interactive=true tty=false args=["img"]"#,
        );
        check(&["--tty=0", "img"], r#"tty=false args=["img"]"#);
        check(&["--", "-img", "x"], r#"args=["-img", "x"]"#);
        check(&["img", "--", "x"], r#"args=["img", "--", "x"]"#);
        check(&["-", "x"], r#"args=["-", "x"]"#);
        check(
            &["--old", "img"],
            r#"old=true args=["img"] stderr=Flag --old has been deprecated, use --new"#,
        );
        // `--flag value` never takes a value for a boolean.
        check(&["--tty", "false"], r#"tty=true args=["false"]"#);
    }

    #[test]
    fn errors() {
        check(&["--foo"], "error: unknown flag: --foo");
        check(&["--foo=1"], "error: unknown flag: --foo");
        check(&["-x"], "error: unknown shorthand flag: 'x' in -x");
        check(&["-itx"], "error: unknown shorthand flag: 'x' in -x");
        check(&["-p"], "error: flag needs an argument: 'p' in -p");
        check(&["-ip"], "error: flag needs an argument: 'p' in -p");
        check(&["--name"], "error: flag needs an argument: --name");
        check(&["---x"], "error: bad flag syntax: ---x");
        check(&["--=x"], "error: bad flag syntax: --=x");
        check(
            &["--tty=maybe"],
            "error: invalid argument \"maybe\" for \"-t, --tty\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
        );
        check(
            &["--old="],
            "error: invalid argument \"\" for \"--old\" flag: strconv.ParseBool: parsing \"\": invalid syntax",
        );
    }
}
