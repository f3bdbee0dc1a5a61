//! The subset of Go's `text/template` that `docker ... --format` uses,
//! with the docker CLI's functions (`json`, `join`, `split`, `title`,
//! `lower`, `upper`, `pad`, `truncate`) and Go's builtins (`print`,
//! `println`, `printf`, `index`, `len`, `eq`, `ne`, `lt`, `le`, `gt`,
//! `ge`, `not`, `and`, `or`), over [`Value`]s that keep Go's distinction
//! between maps (sorted keys), structs (field order) and the formatter's
//! row contexts (`{{json .}}` gives sorted keys, HTML-escaped).

use std::fmt::Write as _;

use crate::shared_sort;

/// A value a template sees.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A missing map key (prints `<no value>`).
    NoValue,
    /// `nil`.
    Nil,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A slice.
    List(Vec<Value>),
    /// A Go map (printed and encoded with sorted keys).
    Map(Vec<(String, Value)>),
    /// A Go struct: type name and fields in declaration order.
    Struct(String, Vec<(String, Value)>),
    /// A formatter context (`*formatter.imageContext`): its methods as
    /// fields; `json` encodes it as the CLI's `MarshalJSON` does.
    Ctx(String, Vec<(String, Value)>),
}

impl Value {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// A list of strings.
    pub fn strs<S: AsRef<str>>(v: &[S]) -> Value {
        Value::List(v.iter().map(|s| Value::str(s.as_ref())).collect())
    }

    /// A map of strings (sorted).
    pub fn str_map<'a>(m: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
        let mut v: Vec<(String, Value)> = m
            .into_iter()
            .map(|(k, v)| (k.clone(), Value::str(v)))
            .collect();
        shared_sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        Value::Map(v)
    }

    fn truthy(&self) -> bool {
        match self {
            Value::NoValue | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Struct(..) | Value::Ctx(..) => true,
        }
    }

    /// Go's `fmt.Sprint` of the value.
    pub fn print(&self) -> String {
        match self {
            Value::NoValue => "<no value>".into(),
            Value::Nil => "<nil>".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => go_float(*f),
            Value::Str(s) => s.clone(),
            Value::List(l) => {
                let parts: Vec<String> = l.iter().map(Value::print).collect();
                format!("[{}]", parts.join(" "))
            }
            Value::Map(m) => {
                let mut m = m.clone();
                shared_sort::sort_by(&mut m, |a, b| a.0.cmp(&b.0));
                let parts: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", v.print()))
                    .collect();
                format!("map[{}]", parts.join(" "))
            }
            Value::Struct(_, f) => {
                let parts: Vec<String> = f.iter().map(|(_, v)| v.print()).collect();
                format!("{{{}}}", parts.join(" "))
            }
            Value::Ctx(_, f) => {
                let parts: Vec<String> = f.iter().map(|(_, v)| v.print()).collect();
                format!("&{{{}}}", parts.join(" "))
            }
        }
    }

    /// Go's `encoding/json` encoding (`escape_html`: json.Marshal's HTML
    /// escaping of `<`, `>`, `&`).
    pub fn to_json(&self, escape_html: bool) -> String {
        let mut out = String::new();
        self.write_json(&mut out, escape_html, None);
        out
    }

    /// Go's `json.MarshalIndent(v, "", indent)`.
    pub fn to_json_indent(&self, indent: &str) -> String {
        let mut out = String::new();
        self.write_json(&mut out, false, Some((indent, 0)));
        out
    }

    fn write_json(&self, out: &mut String, html: bool, indent: Option<(&str, usize)>) {
        let nl = |out: &mut String, level: usize| {
            if let Some((ind, _)) = indent {
                out.push('\n');
                for _ in 0..level {
                    out.push_str(ind);
                }
            }
        };
        let level = indent.map_or(0, |(_, l)| l);
        let deeper = indent.map(|(i, l)| (i, l + 1));
        match self {
            Value::NoValue | Value::Nil => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&go_float(*f)),
            Value::Str(s) => json_string(out, s, html),
            Value::List(l) => {
                if l.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, level + 1);
                    v.write_json(out, html, deeper);
                }
                nl(out, level);
                out.push(']');
            }
            Value::Map(fields) | Value::Struct(_, fields) | Value::Ctx(_, fields) => {
                let mut fields = fields.clone();
                let html = html || matches!(self, Value::Ctx(..));
                if !matches!(self, Value::Struct(..)) {
                    shared_sort::sort_by(&mut fields, |a, b| a.0.cmp(&b.0));
                }
                if fields.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, level + 1);
                    json_string(out, k, html);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    v.write_json(out, html, deeper);
                }
                nl(out, level);
                out.push('}');
            }
        }
    }

    /// A value from `serde_json` (objects become structs in the order
    /// given: serialize structs, not maps, to keep Go's field order).
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn field(&self, name: &str) -> Result<Value, String> {
        match self {
            Value::Map(m) => Ok(m
                .iter()
                .find(|(k, _)| k == name)
                .map_or(Value::NoValue, |(_, v)| v.clone())),
            Value::Struct(t, f) | Value::Ctx(t, f) => f
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| format!("can't evaluate field {name} in type {t}")),
            Value::NoValue | Value::Nil => Ok(Value::NoValue),
            other => Err(format!(
                "can't evaluate field {name} in type {}",
                other.type_name()
            )),
        }
    }

    fn type_name(&self) -> String {
        match self {
            Value::NoValue | Value::Nil => "interface {}".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Struct(t, _) | Value::Ctx(t, _) => t.clone(),
        }
    }
}

fn go_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        crate::numfmt::fixed(f, 0)
    } else {
        crate::numfmt::shortest(f)
    }
}

fn json_string(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Dot,
    Field(String),
    Var(String),
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    Pipe,
    Declare,
    Comma,
}

#[derive(Debug, Clone)]
enum Arg {
    Dot(Vec<String>),
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Func(String),
    Sub(Box<Pipeline>, Vec<String>),
}

#[derive(Debug, Clone)]
struct Pipeline {
    decl: Vec<String>,
    cmds: Vec<Vec<Arg>>,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Pipeline),
    If(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<Node>,
}

/// Why a template failed (the message after `template: `).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

fn lex(src: &str, line: usize) -> Result<Vec<Tok>, TemplateError> {
    let err = |m: String| TemplateError(format!(":{line}: {m}"));
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '.' => {
                let mut j = i + 1;
                while j < chars.len() && ident(chars[j]) {
                    j += 1;
                }
                if j == i + 1 {
                    toks.push(Tok::Dot);
                } else {
                    toks.push(Tok::Field(chars[i + 1..j].iter().collect()));
                }
                i = j;
            }
            '$' => {
                let mut j = i + 1;
                while j < chars.len() && ident(chars[j]) {
                    j += 1;
                }
                toks.push(Tok::Var(chars[i..j].iter().collect()));
                i = j;
            }
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            '|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                toks.push(Tok::Declare);
                i += 2;
            }
            '=' => {
                toks.push(Tok::Declare);
                i += 1;
            }
            '"' => {
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    let Some(&d) = chars.get(j) else {
                        return Err(err("unterminated quoted string".into()));
                    };
                    j += 1;
                    match d {
                        '"' => break,
                        '\\' => {
                            let e = chars.get(j).copied().unwrap_or('\\');
                            j += 1;
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '0' => '\0',
                                other => other,
                            });
                        }
                        d => s.push(d),
                    }
                }
                toks.push(Tok::Str(s));
                i = j;
            }
            '`' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '`' {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(err("unterminated raw quoted string".into()));
                }
                toks.push(Tok::Str(chars[i + 1..j].iter().collect()));
                i = j + 1;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let s: String = chars[i..j].iter().collect();
                if s.contains('.') {
                    toks.push(Tok::Float(
                        crate::numfmt::parse(&s)
                            .ok_or_else(|| err(format!("bad number syntax: {s:?}")))?,
                    ));
                } else {
                    toks.push(Tok::Int(
                        s.parse()
                            .map_err(|_| err(format!("bad number syntax: {s:?}")))?,
                    ));
                }
                i = j;
            }
            c if ident(c) => {
                let mut j = i;
                while j < chars.len() && ident(chars[j]) {
                    j += 1;
                }
                let w: String = chars[i..j].iter().collect();
                // `.Field` chains after an identifier are not supported;
                // fields after `)` are (handled by the parser).
                toks.push(Tok::Ident(w));
                i = j;
            }
            other => return Err(err(format!("unexpected {other:?} in command"))),
        }
    }
    Ok(toks)
}

const FUNCS: &[&str] = &[
    "json", "split", "join", "title", "lower", "upper", "pad", "truncate", "print", "println",
    "printf", "index", "len", "eq", "ne", "lt", "le", "gt", "ge", "not", "and", "or", "slice",
];

fn parse_pipeline(toks: &[Tok], line: usize) -> Result<Pipeline, TemplateError> {
    let err = |m: String| TemplateError(format!(":{line}: {m}"));
    let mut pos = 0;
    let mut decl = Vec::new();
    // `$x :=` or `$i, $e :=`
    {
        let mut j = 0;
        let mut vars = Vec::new();
        while let Some(Tok::Var(v)) = toks.get(j) {
            vars.push(v.clone());
            j += 1;
            if toks.get(j) == Some(&Tok::Comma) {
                j += 1;
                continue;
            }
            break;
        }
        if !vars.is_empty() && toks.get(j) == Some(&Tok::Declare) {
            decl = vars;
            pos = j + 1;
        }
    }
    let (p, end) = parse_cmds(toks, pos, line)?;
    if end != toks.len() {
        return Err(err("unexpected \")\" in command".into()));
    }
    Ok(Pipeline { decl, cmds: p })
}

fn parse_cmds(
    toks: &[Tok],
    mut pos: usize,
    line: usize,
) -> Result<(Vec<Vec<Arg>>, usize), TemplateError> {
    let err = |m: String| TemplateError(format!(":{line}: {m}"));
    let mut cmds = Vec::new();
    let mut cur: Vec<Arg> = Vec::new();
    while pos < toks.len() {
        let t = &toks[pos];
        pos += 1;
        match t {
            Tok::Pipe => {
                if cur.is_empty() {
                    return Err(err("missing command".into()));
                }
                cmds.push(std::mem::take(&mut cur));
            }
            Tok::RParen => {
                pos -= 1;
                break;
            }
            Tok::LParen => {
                let (sub, end) = parse_cmds(toks, pos, line)?;
                if toks.get(end) != Some(&Tok::RParen) {
                    return Err(err("unclosed left paren".into()));
                }
                pos = end + 1;
                let mut fields = Vec::new();
                while let Some(Tok::Field(f)) = toks.get(pos) {
                    fields.push(f.clone());
                    pos += 1;
                }
                cur.push(Arg::Sub(
                    Box::new(Pipeline {
                        decl: Vec::new(),
                        cmds: sub,
                    }),
                    fields,
                ));
            }
            Tok::Dot => cur.push(Arg::Dot(Vec::new())),
            Tok::Field(f) => {
                let mut fields = vec![f.clone()];
                while let Some(Tok::Field(g)) = toks.get(pos) {
                    fields.push(g.clone());
                    pos += 1;
                }
                cur.push(Arg::Dot(fields));
            }
            Tok::Var(v) => {
                let mut fields = Vec::new();
                while let Some(Tok::Field(g)) = toks.get(pos) {
                    fields.push(g.clone());
                    pos += 1;
                }
                cur.push(Arg::Var(v.clone(), fields));
            }
            Tok::Str(s) => cur.push(Arg::Str(s.clone())),
            Tok::Int(i) => cur.push(Arg::Int(*i)),
            Tok::Float(f) => cur.push(Arg::Float(*f)),
            Tok::Ident(w) => match w.as_str() {
                "true" => cur.push(Arg::Bool(true)),
                "false" => cur.push(Arg::Bool(false)),
                "nil" => cur.push(Arg::Nil),
                w if FUNCS.contains(&w) => cur.push(Arg::Func(w.to_string())),
                w => return Err(err(format!("function {w:?} not defined"))),
            },
            Tok::Declare | Tok::Comma => return Err(err("unexpected token in command".into())),
        }
    }
    if cur.is_empty() {
        return Err(err("missing value for command".into()));
    }
    cmds.push(cur);
    Ok((cmds, pos))
}

enum Item {
    Text(String),
    Action(String, usize),
}

fn split_actions(src: &str) -> Result<Vec<Item>, TemplateError> {
    let mut items = Vec::new();
    let mut rest = src;
    let mut line = 1;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = &rest[..start];
        if trim_next {
            text = text.trim_start();
        }
        let after = &rest[start + 2..];
        let trim_left =
            after.starts_with("- ") || after.starts_with("-\t") || after.starts_with("-\n");
        if trim_left {
            text = text.trim_end();
        }
        if !text.is_empty() {
            items.push(Item::Text(text.to_string()));
        }
        line += rest[..start].matches('\n').count();
        let body_start = if trim_left { &after[1..] } else { after };
        let Some(end) = body_start.find("}}") else {
            return Err(TemplateError(format!(":{line}: unclosed action")));
        };
        let mut body = &body_start[..end];
        trim_next = false;
        if body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-") {
            body = &body[..body.len() - 1];
            trim_next = true;
        }
        items.push(Item::Action(body.trim().to_string(), line));
        line += body.matches('\n').count();
        rest = &body_start[end + 2..];
    }
    let mut text = rest;
    if trim_next {
        text = text.trim_start();
    }
    if !text.is_empty() {
        items.push(Item::Text(text.to_string()));
    }
    Ok(items)
}

impl Template {
    /// Parses a template.
    pub fn parse(src: &str) -> Result<Template, TemplateError> {
        let items = split_actions(src)?;
        let mut pos = 0;
        let (nodes, end) = parse_nodes(&items, &mut pos)?;
        if let Some((word, line)) = end {
            return Err(TemplateError(format!(":{line}: unexpected {{{{{word}}}}}")));
        }
        Ok(Template { nodes })
    }

    /// Runs the template with `dot` as data. `header` makes the
    /// formatting functions return their argument unchanged (the CLI's
    /// `HeaderFunctions`, for table headers).
    pub fn execute(&self, dot: &Value, header: bool) -> Result<String, TemplateError> {
        let mut out = String::new();
        let mut vars = vec![("$".to_string(), dot.clone())];
        exec_nodes(&self.nodes, dot, &mut vars, header, &mut out)?;
        Ok(out)
    }
}

type End = Option<(String, usize)>;

fn parse_nodes(items: &[Item], pos: &mut usize) -> Result<(Vec<Node>, End), TemplateError> {
    let mut nodes = Vec::new();
    while *pos < items.len() {
        let item = &items[*pos];
        *pos += 1;
        match item {
            Item::Text(t) => nodes.push(Node::Text(t.clone())),
            Item::Action(body, line) => {
                let line = *line;
                if body.starts_with("/*") && body.ends_with("*/") {
                    continue;
                }
                let (word, rest) = match body.split_once(char::is_whitespace) {
                    Some((w, r)) => (w, r.trim()),
                    None => (body.as_str(), ""),
                };
                match word {
                    "end" => return Ok((nodes, Some(("end".into(), line)))),
                    "else" => {
                        return Ok((
                            nodes,
                            Some((format!("else {rest}").trim().to_string(), line)),
                        ))
                    }
                    "if" | "range" | "with" => {
                        let p = parse_pipeline(&lex(rest, line)?, line)?;
                        let node = parse_block(word, p, items, pos, line)?;
                        nodes.push(node);
                    }
                    _ => {
                        let p = parse_pipeline(&lex(body, line)?, line)?;
                        nodes.push(Node::Action(p));
                    }
                }
            }
        }
    }
    Ok((nodes, None))
}

fn parse_block(
    word: &str,
    p: Pipeline,
    items: &[Item],
    pos: &mut usize,
    line: usize,
) -> Result<Node, TemplateError> {
    let (body, end) = parse_nodes(items, pos)?;
    let mut else_nodes = Vec::new();
    match end {
        Some((e, _)) if e == "end" => {}
        Some((e, l)) if e == "else" => {
            let (nodes, end2) = parse_nodes(items, pos)?;
            if !matches!(&end2, Some((e, _)) if e == "end") {
                return Err(TemplateError(format!(":{l}: expected end; found {end2:?}")));
            }
            else_nodes = nodes;
        }
        Some((e, l)) if e.starts_with("else if ") => {
            // `{{else if X}}` is `{{else}}{{if X}}...{{end}}` sharing the end.
            let cond = e.trim_start_matches("else if ").to_string();
            let p2 = parse_pipeline(&lex(&cond, l)?, l)?;
            else_nodes.push(parse_block("if", p2, items, pos, l)?);
        }
        Some((e, l)) => return Err(TemplateError(format!(":{l}: unexpected {{{{{e}}}}}"))),
        None => {
            return Err(TemplateError(format!(
                ":{line}: unexpected EOF in {word} action"
            )))
        }
    }
    Ok(match word {
        "if" => Node::If(p, body, else_nodes),
        "range" => Node::Range(p, body, else_nodes),
        _ => Node::With(p, body, else_nodes),
    })
}

// -------------------------------------------------------------- execution

type Vars = Vec<(String, Value)>;

fn exec_nodes(
    nodes: &[Node],
    dot: &Value,
    vars: &mut Vars,
    header: bool,
    out: &mut String,
) -> Result<(), TemplateError> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(p) => {
                let v = eval_pipeline(p, dot, vars, header)?;
                if p.decl.is_empty() {
                    out.push_str(&v.print());
                }
            }
            Node::If(p, a, b) => {
                let mark = vars.len();
                let v = eval_pipeline(p, dot, vars, header)?;
                if v.truthy() {
                    exec_nodes(a, dot, vars, header, out)?;
                } else {
                    exec_nodes(b, dot, vars, header, out)?;
                }
                vars.truncate(mark);
            }
            Node::With(p, a, b) => {
                let mark = vars.len();
                let v = eval_pipeline(p, dot, vars, header)?;
                if v.truthy() {
                    exec_nodes(a, &v, vars, header, out)?;
                } else {
                    exec_nodes(b, dot, vars, header, out)?;
                }
                vars.truncate(mark);
            }
            Node::Range(p, a, b) => {
                let mark = vars.len();
                let mut p2 = p.clone();
                let decl = std::mem::take(&mut p2.decl);
                let v = eval_pipeline(&p2, dot, vars, header)?;
                let items: Vec<(Value, Value)> = match v {
                    Value::List(l) => l
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::Int(i64::try_from(i).unwrap_or(0)), v))
                        .collect(),
                    Value::Map(mut m) => {
                        shared_sort::sort_by(&mut m, |a, b| a.0.cmp(&b.0));
                        m.into_iter().map(|(k, v)| (Value::Str(k), v)).collect()
                    }
                    Value::NoValue | Value::Nil => Vec::new(),
                    Value::Int(n) => (0..n).map(|i| (Value::Int(i), Value::Int(i))).collect(),
                    other => {
                        return Err(TemplateError(format!(
                            "range can't iterate over {}",
                            other.print()
                        )))
                    }
                };
                if items.is_empty() {
                    exec_nodes(b, dot, vars, header, out)?;
                }
                for (k, e) in items {
                    let inner = vars.len();
                    match decl.as_slice() {
                        [one] => vars.push((one.clone(), e.clone())),
                        [i, x] => {
                            vars.push((i.clone(), k));
                            vars.push((x.clone(), e.clone()));
                        }
                        _ => {}
                    }
                    exec_nodes(a, &e, vars, header, out)?;
                    vars.truncate(inner);
                }
                vars.truncate(mark);
            }
        }
    }
    Ok(())
}

fn eval_pipeline(
    p: &Pipeline,
    dot: &Value,
    vars: &mut Vars,
    header: bool,
) -> Result<Value, TemplateError> {
    let mut prev: Option<Value> = None;
    for cmd in &p.cmds {
        prev = Some(eval_cmd(cmd, dot, vars, header, prev)?);
    }
    let v = prev.unwrap_or(Value::NoValue);
    for d in &p.decl {
        vars.push((d.clone(), v.clone()));
    }
    Ok(v)
}

fn walk(mut v: Value, fields: &[String]) -> Result<Value, TemplateError> {
    for f in fields {
        v = v.field(f).map_err(TemplateError)?;
    }
    Ok(v)
}

fn eval_arg(a: &Arg, dot: &Value, vars: &mut Vars, header: bool) -> Result<Value, TemplateError> {
    Ok(match a {
        Arg::Dot(fields) => walk(dot.clone(), fields)?,
        Arg::Var(name, fields) => {
            let v = vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| TemplateError(format!("undefined variable: {name}")))?;
            walk(v, fields)?
        }
        Arg::Str(s) => Value::Str(s.clone()),
        Arg::Int(i) => Value::Int(*i),
        Arg::Float(f) => Value::Float(*f),
        Arg::Bool(b) => Value::Bool(*b),
        Arg::Nil => Value::Nil,
        Arg::Func(f) => call(f, &[], header)?,
        Arg::Sub(p, fields) => walk(eval_pipeline(p, dot, vars, header)?, fields)?,
    })
}

fn eval_cmd(
    cmd: &[Arg],
    dot: &Value,
    vars: &mut Vars,
    header: bool,
    piped: Option<Value>,
) -> Result<Value, TemplateError> {
    let Some(first) = cmd.first() else {
        return Ok(Value::NoValue);
    };
    if let Arg::Func(f) = first {
        let mut args = Vec::new();
        for a in &cmd[1..] {
            args.push(eval_arg(a, dot, vars, header)?);
        }
        if let Some(p) = piped {
            args.push(p);
        }
        return call(f, &args, header);
    }
    if cmd.len() > 1 || piped.is_some() {
        return Err(TemplateError(format!(
            "can't give argument to non-function {}",
            match first {
                Arg::Dot(f) if f.is_empty() => ".".to_string(),
                Arg::Dot(f) => format!(".{}", f.join(".")),
                _ => "value".to_string(),
            }
        )));
    }
    eval_arg(first, dot, vars, header)
}

fn as_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        other => other.print(),
    }
}

fn as_int(v: &Value) -> Result<i64, TemplateError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Float(f) => Ok(*f as i64),
        other => Err(TemplateError(format!(
            "expected integer; found {}",
            other.print()
        ))),
    }
}

fn sprint(args: &[Value]) -> String {
    // fmt.Sprint: a space between operands when neither is a string.
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            let prev_str = matches!(args[i - 1], Value::Str(_));
            let this_str = matches!(a, Value::Str(_));
            if !prev_str && !this_str {
                out.push(' ');
            }
        }
        out.push_str(&a.print());
    }
    out
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::NoValue | Value::Nil, Value::NoValue | Value::Nil) => true,
        _ => compare(a, b).map_or(a == b, |o| o == std::cmp::Ordering::Equal),
    }
}

fn call(f: &str, args: &[Value], header: bool) -> Result<Value, TemplateError> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::NoValue);
    let need = |n: usize| {
        if args.len() < n {
            Err(TemplateError(format!(
                "wrong number of args for {f}: want {n} got {}",
                args.len()
            )))
        } else {
            Ok(())
        }
    };
    if header
        && matches!(
            f,
            "json" | "split" | "join" | "title" | "lower" | "upper" | "truncate"
        )
    {
        need(1)?;
        return Ok(Value::Str(as_str(&arg(0))));
    }
    Ok(match f {
        "json" => {
            need(1)?;
            Value::Str(arg(0).to_json(false))
        }
        "split" => {
            need(2)?;
            let s = as_str(&arg(0));
            let sep = as_str(&arg(1));
            if sep.is_empty() {
                Value::List(s.chars().map(|c| Value::Str(c.to_string())).collect())
            } else {
                Value::List(s.split(sep.as_str()).map(Value::str).collect())
            }
        }
        "join" => {
            need(2)?;
            let sep = as_str(&arg(1));
            match arg(0) {
                Value::List(l) => Value::Str(l.iter().map(as_str).collect::<Vec<_>>().join(&sep)),
                Value::Map(m) => {
                    let mut vals: Vec<String> = m.iter().map(|(_, v)| as_str(v)).collect();
                    shared_sort::sort(&mut vals);
                    Value::Str(vals.join(&sep))
                }
                Value::NoValue | Value::Nil => Value::Str(String::new()),
                other => {
                    return Err(TemplateError(format!(
                        "error calling join: expected slice, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "title" => {
            need(1)?;
            let s = as_str(&arg(0));
            let mut out = String::new();
            let mut start = true;
            for c in s.chars() {
                if start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = !c.is_alphanumeric() && c != '_' && c != '\'';
            }
            Value::Str(out)
        }
        "lower" => {
            need(1)?;
            Value::Str(as_str(&arg(0)).to_lowercase())
        }
        "upper" => {
            need(1)?;
            Value::Str(as_str(&arg(0)).to_uppercase())
        }
        "pad" => {
            need(3)?;
            let s = as_str(&arg(0));
            if s.is_empty() {
                Value::Str(s)
            } else {
                let pre = usize::try_from(as_int(&arg(1))?).unwrap_or(0);
                let post = usize::try_from(as_int(&arg(2))?).unwrap_or(0);
                Value::Str(format!("{}{s}{}", " ".repeat(pre), " ".repeat(post)))
            }
        }
        "truncate" => {
            need(2)?;
            let s = as_str(&arg(0));
            let n = usize::try_from(as_int(&arg(1))?).unwrap_or(0);
            if s.len() < n {
                Value::Str(s)
            } else {
                let mut end = n;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                Value::Str(s[..end].to_string())
            }
        }
        "print" => Value::Str(sprint(args)),
        "println" => {
            let parts: Vec<String> = args.iter().map(Value::print).collect();
            Value::Str(format!("{}\n", parts.join(" ")))
        }
        "printf" => {
            need(1)?;
            Value::Str(printf(&as_str(&arg(0)), &args[1..]))
        }
        "index" => {
            need(1)?;
            let mut v = arg(0);
            for k in &args[1..] {
                v = match (&v, k) {
                    (Value::Map(m), key) => {
                        let key = as_str(key);
                        m.iter()
                            .find(|(kk, _)| *kk == key)
                            .map_or(Value::NoValue, |(_, v)| v.clone())
                    }
                    (Value::List(l), Value::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| l.get(i).cloned())
                        .ok_or_else(|| {
                            TemplateError(format!("error calling index: index out of range: {i}"))
                        })?,
                    (Value::NoValue | Value::Nil, _) => Value::NoValue,
                    (other, _) => {
                        return Err(TemplateError(format!(
                            "error calling index: can't index item of type {}",
                            other.type_name()
                        )))
                    }
                };
            }
            v
        }
        "len" => {
            need(1)?;
            Value::Int(match arg(0) {
                Value::Str(s) => i64::try_from(s.len()).unwrap_or(0),
                Value::List(l) => i64::try_from(l.len()).unwrap_or(0),
                Value::Map(m) => i64::try_from(m.len()).unwrap_or(0),
                other => {
                    return Err(TemplateError(format!(
                        "error calling len: len of type {}",
                        other.type_name()
                    )))
                }
            })
        }
        "eq" => {
            need(2)?;
            let a = arg(0);
            Value::Bool(args[1..].iter().any(|b| equal(&a, b)))
        }
        "ne" => {
            need(2)?;
            Value::Bool(!equal(&arg(0), &arg(1)))
        }
        "lt" | "le" | "gt" | "ge" => {
            need(2)?;
            let o = compare(&arg(0), &arg(1)).ok_or_else(|| {
                TemplateError(format!(
                    "error calling {f}: incompatible types for comparison"
                ))
            })?;
            use std::cmp::Ordering::*;
            Value::Bool(match f {
                "lt" => o == Less,
                "le" => o != Greater,
                "gt" => o == Greater,
                _ => o != Less,
            })
        }
        "not" => {
            need(1)?;
            Value::Bool(!arg(0).truthy())
        }
        "and" => {
            need(1)?;
            args.iter()
                .find(|a| !a.truthy())
                .cloned()
                .unwrap_or_else(|| arg(args.len() - 1))
        }
        "or" => {
            need(1)?;
            args.iter()
                .find(|a| a.truthy())
                .cloned()
                .unwrap_or_else(|| arg(args.len() - 1))
        }
        "slice" => {
            need(1)?;
            let v = arg(0);
            let from = args.get(1).map(as_int).transpose()?.unwrap_or(0);
            match v {
                Value::Str(s) => {
                    let to = args
                        .get(2)
                        .map(as_int)
                        .transpose()?
                        .unwrap_or(i64::try_from(s.len()).unwrap_or(0));
                    let (a, b) = (
                        usize::try_from(from).unwrap_or(0),
                        usize::try_from(to).unwrap_or(0),
                    );
                    Value::Str(s.get(a..b).unwrap_or("").to_string())
                }
                Value::List(l) => {
                    let to = args
                        .get(2)
                        .map(as_int)
                        .transpose()?
                        .unwrap_or(i64::try_from(l.len()).unwrap_or(0));
                    let (a, b) = (
                        usize::try_from(from).unwrap_or(0),
                        usize::try_from(to).unwrap_or(0),
                    );
                    Value::List(l.get(a..b).map(<[Value]>::to_vec).unwrap_or_default())
                }
                other => other,
            }
        }
        other => return Err(TemplateError(format!("function {other:?} not defined"))),
    })
}

fn printf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb) => {
                let v = it.next().cloned().unwrap_or(Value::NoValue);
                match verb {
                    'q' => out.push_str(&super::format::go_quote(&as_str(&v))),
                    _ => out.push_str(&v.print()),
                }
            }
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Value {
        Value::Ctx(
            "*formatter.imageContext".into(),
            vec![
                ("Repository".into(), Value::str("aspnetapp")),
                ("Tag".into(), Value::str("latest")),
                ("Digest".into(), Value::str("<none>")),
            ],
        )
    }

    fn check(src: &str, dot: &Value, expected: &str) {
        let got = match Template::parse(src) {
            Ok(t) => match t.execute(dot, false) {
                Ok(s) => s,
                Err(e) => format!("exec error: {}", e.0),
            },
            Err(e) => format!("parse error: {}", e.0),
        };
        assert_eq!(got, expected, "{src}");
    }

    #[test]
    fn fields_json_and_functions() {
        let r = row();
        check("{{.Repository}}:{{.Tag}}", &r, "aspnetapp:latest");
        check(
            "{{json .}}",
            &r,
            r#"{"Digest":"\u003cnone\u003e","Repository":"aspnetapp","Tag":"latest"}"#,
        );
        check("{{json .Digest}}", &r, "\"<none>\"");
        check("{{upper .Tag}} {{.Tag | upper}}", &r, "LATEST LATEST");
        check("{{if .Tag}}t{{else}}f{{end}}", &r, "t");
        check(
            "{{if eq .Tag \"x\"}}x{{else if eq .Tag \"latest\"}}L{{end}}",
            &r,
            "L",
        );
        check(
            "{{.Nope}}",
            &r,
            "exec error: can't evaluate field Nope in type *formatter.imageContext",
        );
        check(
            "{{nope .}}",
            &r,
            "parse error: :1: function \"nope\" not defined",
        );
        let s = Value::Struct(
            "image.InspectResponse".into(),
            vec![
                ("Id".into(), Value::str("sha256:ab")),
                (
                    "Config".into(),
                    Value::Struct(
                        "Config".into(),
                        vec![
                            ("Env".into(), Value::strs(&["A=1", "B=2"])),
                            (
                                "Labels".into(),
                                Value::Map(vec![
                                    ("z".into(), Value::str("1")),
                                    ("a".into(), Value::str("2")),
                                ]),
                            ),
                        ],
                    ),
                ),
            ],
        );
        check("{{.Config.Env}}", &s, "[A=1 B=2]");
        check("{{join .Config.Env \",\"}}", &s, "A=1,B=2");
        check(
            "{{range .Config.Env}}{{println .}}{{end}}",
            &s,
            "A=1\nB=2\n",
        );
        check(
            "{{range $i, $e := .Config.Env}}{{$i}}={{$e}};{{end}}",
            &s,
            "0=A=1;1=B=2;",
        );
        check("{{.Config.Labels}}", &s, "map[a:2 z:1]");
        check("{{index .Config.Labels \"z\"}}", &s, "1");
        check(
            "{{json .Config}}",
            &s,
            r#"{"Env":["A=1","B=2"],"Labels":{"a":"2","z":"1"}}"#,
        );
        check("{{with .Config}}{{len .Env}}{{end}}", &s, "2");
        check("{{- .Id -}}  x", &s, "sha256:abx");
        check(
            "{{.Config.Nope}}",
            &s,
            "exec error: can't evaluate field Nope in type Config",
        );
        check("{{index .Config.Labels \"q\"}}", &s, "<no value>");
    }

    #[test]
    fn header_pass_keeps_names() {
        let h = Value::Map(vec![
            ("Repository".into(), Value::str("REPOSITORY")),
            ("Size".into(), Value::str("SIZE")),
        ]);
        let t = Template::parse("{{.Repository | lower}}\t{{json .Size}}");
        let out = t.and_then(|t| t.execute(&h, true));
        assert_eq!(out, Ok("REPOSITORY\tSIZE".to_string()));
    }

    #[test]
    fn indented_json_like_go() {
        let v = Value::List(vec![Value::Struct(
            "T".into(),
            vec![
                ("Id".into(), Value::str("x")),
                ("Tags".into(), Value::List(vec![])),
                ("M".into(), Value::Map(vec![])),
                ("N".into(), Value::Nil),
            ],
        )]);
        assert_eq!(
            v.to_json_indent("    "),
            "[\n    {\n        \"Id\": \"x\",\n        \"Tags\": [],\n        \"M\": {},\n        \"N\": null\n    }\n]"
        );
    }
}
