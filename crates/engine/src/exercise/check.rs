//! The checks an exercise lists: their typed form and how each `[[check]]`
//! table is read.

use serde::Serialize;
use toml::de::DeValue;
use toml::Spanned;

use super::pattern::{parse_size, PathGlob};
use super::read::{integer_value, line_column, string_value, ExerciseError, Table};
use crate::context::Context;

/// One check as the exercise file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckSpec {
    /// The label the exercise gives it, if any.
    pub name: Option<String>,
    /// `--target` for this check's build (overrides `[build]`).
    pub target: Option<String>,
    /// What is checked.
    pub check: Check,
    /// 1-based line of the check in the exercise file.
    pub line: usize,
}

/// ENTRYPOINT or CMD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ExecFormOf {
    /// ENTRYPOINT.
    Entrypoint,
    /// CMD.
    Cmd,
}

impl ExecFormOf {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            ExecFormOf::Entrypoint => "ENTRYPOINT",
            ExecFormOf::Cmd => "CMD",
        }
    }
}

/// A range of counts (all bounds inclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CountRange {
    /// At least.
    pub min: Option<u64>,
    /// At most.
    pub max: Option<u64>,
}

impl CountRange {
    /// True when `n` is in range.
    pub fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    /// `exactly 2`, `at most 3`, `between 2 and 4`, `at least 1`.
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => format!("exactly {a}"),
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "any number of".to_string(),
        }
    }
}

/// A change to a project file, made between two builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The file, relative to the context root.
    pub file: String,
    /// What to do to it.
    pub action: EditAction,
}

/// What an edit does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditAction {
    /// Add text at the end.
    Append(String),
    /// Add text at the start.
    Prepend(String),
    /// Replace the whole content (creating the file when missing).
    Content(String),
    /// Replace the first occurrence of `from` with `to`.
    Replace {
        /// Text to find.
        from: String,
        /// Replacement.
        to: String,
    },
    /// Delete the file.
    Delete,
}

impl Edit {
    /// `editing aspnetapp/Program.cs`, `deleting x`, `creating x`.
    pub fn describe(&self) -> String {
        match self.action {
            EditAction::Delete => format!("deleting {}", self.file),
            EditAction::Content(_) => format!("rewriting {}", self.file),
            _ => format!("editing {}", self.file),
        }
    }
}

/// What a check verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// The build succeeds.
    Builds,
    /// Edit, rebuild, and compare which steps were CACHED.
    Cache {
        /// The edits made between the two builds.
        edits: Vec<Edit>,
        /// Matchers of steps that must be CACHED in the rebuild.
        cached: Vec<String>,
        /// Matchers of steps that must run again.
        not_cached: Vec<String>,
    },
    /// The final image's size.
    ImageSize {
        /// At least this many bytes.
        min: Option<u64>,
        /// At most this many bytes.
        max: Option<u64>,
    },
    /// Files in the final image.
    Files {
        /// Globs that must each match something.
        present: Vec<String>,
        /// Globs that must match nothing.
        absent: Vec<String>,
    },
    /// Base images whose layers are in the final image.
    BaseImages {
        /// Images that must contribute layers.
        present: Vec<String>,
        /// Images that must not.
        absent: Vec<String>,
    },
    /// The image's user is not root.
    NonRoot,
    /// ENTRYPOINT or CMD in exec form.
    ExecForm {
        /// Which.
        instruction: ExecFormOf,
    },
    /// EXPOSEd ports.
    Exposes {
        /// `8080/tcp`, `53/udp`.
        ports: Vec<String>,
    },
    /// A HEALTHCHECK is set.
    Healthcheck,
    /// An environment variable of the image.
    Env {
        /// Its name.
        name: String,
        /// Its required value, if any.
        value: Option<String>,
    },
    /// The image's WORKDIR.
    Workdir {
        /// The required path.
        path: String,
    },
    /// BuildKit's build checks.
    Lint {
        /// Rules whose warnings do not count.
        ignore: Vec<String>,
        /// When not empty: only these rules count.
        rules: Vec<String>,
    },
    /// `docker run ARGS`.
    Run {
        /// The arguments after `docker run`.
        args: Vec<String>,
        /// The exact process argv expected.
        argv: Option<Vec<String>>,
        /// Host ports that must reach a listening process.
        answers_on: Vec<u16>,
        /// Container ports the process must listen on.
        listening: Vec<u16>,
    },
    /// Number of stages in the Dockerfile.
    StageCount(CountRange),
    /// Number of layers in the final image.
    LayerCount {
        /// The allowed range.
        range: CountRange,
        /// Count only the layers the Dockerfile adds.
        own_only: bool,
    },
}

impl Check {
    /// The kind's name as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Builds => "builds",
            Check::Cache { .. } => "cache",
            Check::ImageSize { .. } => "image_size",
            Check::Files { .. } => "files",
            Check::BaseImages { .. } => "base_images",
            Check::NonRoot => "non_root",
            Check::ExecForm { .. } => "exec_form",
            Check::Exposes { .. } => "exposes",
            Check::Healthcheck => "healthcheck",
            Check::Env { .. } => "env",
            Check::Workdir { .. } => "workdir",
            Check::Lint { .. } => "lint",
            Check::Run { .. } => "run",
            Check::StageCount(_) => "stage_count",
            Check::LayerCount { .. } => "layer_count",
        }
    }
}

/// Every kind, for messages.
pub(crate) const KINDS: &[&str] = &[
    "builds",
    "cache",
    "image_size",
    "files",
    "base_images",
    "non_root",
    "exec_form",
    "exposes",
    "healthcheck",
    "env",
    "workdir",
    "lint",
    "run",
    "stage_count",
    "layer_count",
];

fn tick(s: &str) -> String {
    format!("`{s}`")
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        _ => {
            let (last, rest) = items
                .split_last()
                .map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("{}, and {last}", rest.join(", "))
        }
    }
}

impl CheckSpec {
    /// The label shown for the check: its `name`, or one generated from
    /// what it checks (Markdown inline).
    pub fn title(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        let mut t = match &self.check {
            Check::Builds => "The image builds".to_string(),
            Check::Cache {
                edits,
                cached,
                not_cached,
            } => {
                let after = if edits.is_empty() {
                    "After a rebuild with no change".to_string()
                } else {
                    format!(
                        "After {}",
                        join_and(&edits.iter().map(Edit::describe).collect::<Vec<_>>())
                    )
                };
                let mut parts = Vec::new();
                if !cached.is_empty() {
                    let names: Vec<String> = cached.iter().map(|c| tick(c)).collect();
                    parts.push(format!(
                        "{} {} CACHED",
                        join_and(&names),
                        if cached.len() == 1 { "is" } else { "are" }
                    ));
                }
                if !not_cached.is_empty() {
                    let names: Vec<String> = not_cached.iter().map(|c| tick(c)).collect();
                    parts.push(format!(
                        "{} {} again",
                        join_and(&names),
                        if not_cached.len() == 1 { "runs" } else { "run" }
                    ));
                }
                format!("{after}, {}", parts.join(" and "))
            }
            Check::ImageSize { min, max } => {
                let h = |b: &u64| crate::tools::human_size(*b);
                match (min, max) {
                    (Some(a), Some(b)) => {
                        format!("The final image is between {} and {}", h(a), h(b))
                    }
                    (None, Some(b)) => format!("The final image is at most {}", h(b)),
                    (Some(a), None) => format!("The final image is at least {}", h(a)),
                    (None, None) => "The final image has a size".to_string(),
                }
            }
            Check::Files { present, absent } => {
                let mut parts = Vec::new();
                if !present.is_empty() {
                    parts.push(format!(
                        "contains {}",
                        join_and(&present.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    ));
                }
                if !absent.is_empty() {
                    parts.push(format!(
                        "has nothing at {}",
                        join_and(&absent.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    ));
                }
                format!("The final image {}", parts.join(" and "))
            }
            Check::BaseImages { present, absent } => {
                let mut parts = Vec::new();
                if !present.is_empty() {
                    parts.push(format!(
                        "is built on {}",
                        join_and(&present.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    ));
                }
                if !absent.is_empty() {
                    parts.push(format!(
                        "has no layers from {}",
                        join_and(&absent.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    ));
                }
                format!("The final image {}", parts.join(" and "))
            }
            Check::NonRoot => "The container runs as a user other than root".to_string(),
            Check::ExecForm { instruction } => {
                format!("{} is in exec (JSON) form", instruction.keyword())
            }
            Check::Exposes { ports } => format!(
                "The image EXPOSEs {}",
                join_and(&ports.iter().map(|p| tick(p)).collect::<Vec<_>>())
            ),
            Check::Healthcheck => "The image has a HEALTHCHECK".to_string(),
            Check::Env { name, value } => match value {
                Some(v) => format!("The image sets `{name}={v}`"),
                None => format!("The image sets `{name}`"),
            },
            Check::Workdir { path } => format!("The image's WORKDIR is `{path}`"),
            Check::Lint { ignore, rules } => {
                if !rules.is_empty() {
                    format!(
                        "No {} warnings",
                        join_and(&rules.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    )
                } else if !ignore.is_empty() {
                    format!(
                        "No build-check warnings (besides {})",
                        join_and(&ignore.iter().map(|p| tick(p)).collect::<Vec<_>>())
                    )
                } else {
                    "No build-check (lint) warnings".to_string()
                }
            }
            Check::Run {
                args,
                argv,
                answers_on,
                listening,
            } => {
                let mut parts = Vec::new();
                if let Some(a) = argv {
                    parts.push(format!("runs `{}`", a.join(" ")));
                }
                if !answers_on.is_empty() {
                    let ports: Vec<String> = answers_on
                        .iter()
                        .map(|p| format!("host port {p}"))
                        .collect();
                    parts.push(format!("answers on {}", join_and(&ports)));
                }
                if !listening.is_empty() {
                    let ports: Vec<String> = listening.iter().map(|p| p.to_string()).collect();
                    parts.push(format!("listens on container port {}", join_and(&ports)));
                }
                format!("`docker run {}` {}", args.join(" "), parts.join(" and "))
            }
            Check::StageCount(r) => format!("The Dockerfile has {} stage(s)", r.describe()),
            Check::LayerCount { range, own_only } => {
                if *own_only {
                    format!("The Dockerfile adds {} layer(s)", range.describe())
                } else {
                    format!("The final image has {} layer(s)", range.describe())
                }
            }
        };
        if let Some(target) = &self.target {
            t.push_str(&format!(" (with `--target {target}`)"));
        }
        t
    }
}

/// Splits `docker run` arguments like a shell (quotes and backslashes,
/// no expansion).
pub(crate) fn split_args(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(d) => cur.push(d),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e) => {
                                if !matches!(e, '"' | '\\' | '$' | '`') {
                                    cur.push('\\');
                                }
                                cur.push(e);
                            }
                            None => return Err("unterminated \" quote".into()),
                        },
                        Some(d) => cur.push(d),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
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
    Ok(words)
}

fn count_range(t: &mut Table<'_, '_>) -> Result<CountRange, ExerciseError> {
    let min = t.integer("min")?;
    let max = t.integer("max")?;
    let equals = t.integer("equals")?;
    if let Some(e) = &equals {
        if min.is_some() || max.is_some() {
            return Err(t.error(e.span(), "use either `equals` or `min`/`max`, not both"));
        }
        return Ok(CountRange {
            min: Some(*e.get_ref()),
            max: Some(*e.get_ref()),
        });
    }
    let range = CountRange {
        min: min.as_ref().map(|v| *v.get_ref()),
        max: max.as_ref().map(|v| *v.get_ref()),
    };
    match (&min, &max) {
        (None, None) => Err(t.error(
            t.span(),
            format!("{} needs `min`, `max` or `equals`", t.what),
        )),
        (Some(a), Some(b)) if a.get_ref() > b.get_ref() => {
            Err(t.error(a.span(), "`min` is greater than `max`"))
        }
        _ => Ok(range),
    }
}

fn size(t: &mut Table<'_, '_>, key: &str) -> Result<Option<u64>, ExerciseError> {
    let Some(v) = t.get(key) else {
        return Ok(None);
    };
    if let Some(n) = integer_value(v) {
        return Ok(Some(n));
    }
    match string_value(v) {
        Some(s) => parse_size(&s).map(Some).map_err(|e| t.error(v.span(), e)),
        None => Err(t.error(
            v.span(),
            format!("`{key}` must be a size: a number of bytes or a string like \"250MB\""),
        )),
    }
}

fn port(t: &Table<'_, '_>, v: &super::read::Value<'_>, key: &str) -> Result<u16, ExerciseError> {
    let n = integer_value(v).or_else(|| string_value(v).and_then(|s| s.trim().parse().ok()));
    match n.and_then(|n| u16::try_from(n).ok()).filter(|&n| n > 0) {
        Some(p) => Ok(p),
        None => Err(t.error(
            v.span(),
            format!("`{key}` must list port numbers (1-65535)"),
        )),
    }
}

fn globs(t: &mut Table<'_, '_>, key: &str) -> Result<Vec<String>, ExerciseError> {
    let mut out = Vec::new();
    for g in t.strings(key)? {
        if let Err(e) = PathGlob::new(g.get_ref()) {
            return Err(t.error(g.span(), e));
        }
        out.push(g.into_inner());
    }
    Ok(out)
}

fn images(t: &mut Table<'_, '_>, key: &str) -> Result<Vec<String>, ExerciseError> {
    let mut out = Vec::new();
    for g in t.strings(key)? {
        if !g.get_ref().contains('*') {
            if let Err(e) = crate::catalog::Reference::parse(g.get_ref().trim()) {
                return Err(t.error(g.span(), format!("invalid image {:?}: {e}", g.get_ref())));
            }
        }
        out.push(g.into_inner());
    }
    Ok(out)
}

fn edits(src: &str, t: &mut Table<'_, '_>) -> Result<Vec<Edit>, ExerciseError> {
    let mut out = Vec::new();
    for v in t.values("edit") {
        let DeValue::Table(et) = v.get_ref() else {
            return Err(t.error(
                v.span(),
                "each `edit` must be a table like { file = \"aspnetapp/Program.cs\", append = \"// edited\\n\" }",
            ));
        };
        let mut e = Table::new(src, et, v.span(), "an edit");
        let file = e.required_string("file")?;
        let path = Context::clean_path(file.get_ref())
            .ok()
            .filter(|p| !p.is_empty() && p != ".")
            .ok_or_else(|| e.error(file.span(), format!("invalid path {:?}", file.get_ref())))?;
        let mut actions = Vec::new();
        if let Some(s) = e.string("append")? {
            actions.push((s.span(), EditAction::Append(s.into_inner())));
        }
        if let Some(s) = e.string("prepend")? {
            actions.push((s.span(), EditAction::Prepend(s.into_inner())));
        }
        if let Some(s) = e.string("content")? {
            actions.push((s.span(), EditAction::Content(s.into_inner())));
        }
        let with = e.string("with")?;
        if let Some(s) = e.string("replace")? {
            if s.get_ref().is_empty() {
                return Err(e.error(s.span(), "`replace` needs the text to find"));
            }
            let Some(w) = with.clone() else {
                return Err(e.error(s.span(), "`replace` needs `with` (the new text)"));
            };
            actions.push((
                s.span(),
                EditAction::Replace {
                    from: s.into_inner(),
                    to: w.into_inner(),
                },
            ));
        } else if let Some(w) = &with {
            return Err(e.error(w.span(), "`with` goes with `replace`"));
        }
        if e.boolean("delete")? == Some(true) {
            actions.push((e.span(), EditAction::Delete));
        }
        let span = e.span();
        e.finish(&[
            "file", "append", "prepend", "content", "replace", "with", "delete",
        ])?;
        match actions.len() {
            1 => {
                if let Some((_, action)) = actions.pop() {
                    out.push(Edit { file: path, action });
                }
            }
            0 => {
                return Err(super::read::error_at(
                    src,
                    span,
                    "an edit needs one of `append`, `prepend`, `content`, `replace` + `with`, `delete = true`",
                ))
            }
            _ => {
                return Err(super::read::error_at(
                    src,
                    actions[1].0.clone(),
                    "an edit does one thing: use several edits for several changes",
                ))
            }
        }
    }
    Ok(out)
}

fn lint_rules(t: &mut Table<'_, '_>, key: &str) -> Result<Vec<String>, ExerciseError> {
    let known: Vec<&str> = crate::lint::rules().iter().map(|r| r.name).collect();
    let mut out = Vec::new();
    for r in t.strings(key)? {
        if !known.contains(&r.get_ref().as_str()) {
            return Err(t.error(
                r.span(),
                format!("unknown build-check rule {:?}", r.get_ref()),
            ));
        }
        out.push(r.into_inner());
    }
    Ok(out)
}

/// Reads one `[[check]]` table.
pub(crate) fn parse_check(src: &str, mut t: Table<'_, '_>) -> Result<CheckSpec, ExerciseError> {
    let (line, _) = line_column(src, t.span().start);
    let kind: Spanned<String> = t.required_string("kind")?;
    let name = t.string("name")?.map(|s| s.into_inner());
    let target = if kind.get_ref() == "stage_count" {
        None
    } else {
        t.string("target")?.map(|s| s.into_inner())
    };
    t.what = format!("{} ({})", t.what, kind.get_ref());
    let mut keys: Vec<&str> = vec!["kind", "name", "target"];
    let check = match kind.get_ref().as_str() {
        "builds" => Check::Builds,
        "cache" => {
            keys.extend(["edit", "cached", "not_cached"]);
            let edits = edits(src, &mut t)?;
            let cached = plain(t.strings("cached")?);
            let not_cached = plain(t.strings("not_cached")?);
            if cached.is_empty() && not_cached.is_empty() {
                return Err(t.error(
                    t.span(),
                    "a cache check needs `cached` or `not_cached` steps",
                ));
            }
            if let Some(m) = cached
                .iter()
                .chain(&not_cached)
                .find(|m| m.trim().is_empty())
            {
                return Err(t.error(t.span(), format!("empty step matcher {m:?}")));
            }
            Check::Cache {
                edits,
                cached,
                not_cached,
            }
        }
        "image_size" => {
            keys.extend(["min", "max"]);
            let min = size(&mut t, "min")?;
            let max = size(&mut t, "max")?;
            if min.is_none() && max.is_none() {
                return Err(t.error(t.span(), "an image_size check needs `max` or `min`"));
            }
            Check::ImageSize { min, max }
        }
        "files" => {
            keys.extend(["present", "absent"]);
            let present = globs(&mut t, "present")?;
            let absent = globs(&mut t, "absent")?;
            if present.is_empty() && absent.is_empty() {
                return Err(t.error(t.span(), "a files check needs `present` or `absent` paths"));
            }
            Check::Files { present, absent }
        }
        "base_images" => {
            keys.extend(["present", "absent"]);
            let present = images(&mut t, "present")?;
            let absent = images(&mut t, "absent")?;
            if present.is_empty() && absent.is_empty() {
                return Err(t.error(
                    t.span(),
                    "a base_images check needs `present` or `absent` images",
                ));
            }
            Check::BaseImages { present, absent }
        }
        "non_root" => Check::NonRoot,
        "exec_form" => {
            keys.push("instruction");
            let instruction = match t.string("instruction")? {
                None => ExecFormOf::Entrypoint,
                Some(s) => match s.get_ref().to_ascii_uppercase().as_str() {
                    "ENTRYPOINT" => ExecFormOf::Entrypoint,
                    "CMD" => ExecFormOf::Cmd,
                    _ => {
                        return Err(t.error(
                            s.span(),
                            format!(
                                "`instruction` must be ENTRYPOINT or CMD, not {:?}",
                                s.get_ref()
                            ),
                        ))
                    }
                },
            };
            Check::ExecForm { instruction }
        }
        "exposes" => {
            keys.push("ports");
            let mut ports = Vec::new();
            for v in t.values("ports") {
                let text = integer_value(v)
                    .map(|n| n.to_string())
                    .or_else(|| string_value(v))
                    .unwrap_or_default();
                let (num, proto) = text.split_once('/').unwrap_or((&text, "tcp"));
                let proto = proto.to_ascii_lowercase();
                let ok = num.trim().parse::<u16>().ok().filter(|&n| n > 0);
                match ok {
                    Some(n) if ["tcp", "udp", "sctp"].contains(&proto.as_str()) => {
                        ports.push(format!("{n}/{proto}"))
                    }
                    _ => {
                        return Err(
                            t.error(v.span(), "`ports` must list ports like 8080 or \"53/udp\"")
                        )
                    }
                }
            }
            if ports.is_empty() {
                return Err(t.error(t.span(), "an exposes check needs `ports`"));
            }
            Check::Exposes { ports }
        }
        "healthcheck" => Check::Healthcheck,
        // `name` is the check's label, so the variable is `variable`.
        "env" => return env_check(t, name, target, line),
        "workdir" => {
            keys.push("path");
            let path = t.required_string("path")?.into_inner();
            Check::Workdir { path }
        }
        "lint" => {
            keys.extend(["ignore", "rules"]);
            let ignore = lint_rules(&mut t, "ignore")?;
            let rules = lint_rules(&mut t, "rules")?;
            Check::Lint { ignore, rules }
        }
        "run" => {
            keys.extend(["args", "argv", "answers_on", "listening"]);
            let args = match t.get("args") {
                None => {
                    return Err(t.error(
                        t.span(),
                        "a run check needs `args` (what follows `docker run`)",
                    ))
                }
                Some(v) => match v.get_ref() {
                    DeValue::String(s) => split_args(s).map_err(|e| t.error(v.span(), e))?,
                    DeValue::Array(_) => plain(t.strings("args")?),
                    _ => {
                        return Err(
                            t.error(v.span(), "`args` must be a string or a list of strings")
                        )
                    }
                },
            };
            if args.is_empty() {
                return Err(t.error(t.span(), "`args` must name at least the image"));
            }
            let argv = match t.get("argv") {
                None => None,
                Some(_) => Some(plain(t.strings("argv")?)),
            };
            let mut answers_on = Vec::new();
            for v in t.values("answers_on") {
                answers_on.push(port(&t, v, "answers_on")?);
            }
            let mut listening = Vec::new();
            for v in t.values("listening") {
                listening.push(port(&t, v, "listening")?);
            }
            if argv.is_none() && answers_on.is_empty() && listening.is_empty() {
                return Err(t.error(
                    t.span(),
                    "a run check needs `argv`, `answers_on` or `listening`",
                ));
            }
            Check::Run {
                args,
                argv,
                answers_on,
                listening,
            }
        }
        "stage_count" => {
            keys.extend(["min", "max", "equals"]);
            Check::StageCount(count_range(&mut t)?)
        }
        "layer_count" => {
            keys.extend(["min", "max", "equals", "own_only"]);
            let range = count_range(&mut t)?;
            let own_only = t.boolean("own_only")?.unwrap_or(false);
            Check::LayerCount { range, own_only }
        }
        other => {
            return Err(t.error(
                kind.span(),
                format!(
                    "unknown check kind {other:?}; expected one of: {}",
                    KINDS.join(", ")
                ),
            ))
        }
    };
    t.finish(&keys)?;
    Ok(CheckSpec {
        name,
        target,
        check,
        line,
    })
}

fn env_check(
    mut t: Table<'_, '_>,
    name: Option<String>,
    target: Option<String>,
    line: usize,
) -> Result<CheckSpec, ExerciseError> {
    let variable = t.required_string("variable")?;
    if variable.get_ref().is_empty() || variable.get_ref().contains('=') {
        return Err(t.error(variable.span(), "`variable` must be a variable name"));
    }
    let value = t.string("value")?.map(|s| s.into_inner());
    t.finish(&["kind", "name", "target", "variable", "value"])?;
    Ok(CheckSpec {
        name,
        target,
        check: Check::Env {
            name: variable.into_inner(),
            value,
        },
        line,
    })
}

fn plain(v: Vec<Spanned<String>>) -> Vec<String> {
    v.into_iter().map(|s| s.into_inner()).collect()
}
