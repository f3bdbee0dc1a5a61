//! The modelled shell that runs RUN steps: a small POSIX `sh` (words,
//! quotes, `$VAR`, globs, `&&`, `||`, `;`, pipes, redirections, heredocs)
//! over the [`Fs`] of the step, with the common commands built in (`echo`,
//! `printf`, `mkdir`, `touch`, `cp`, `mv`, `rm`, `ln`, `chmod`, `chown`,
//! `cat`, `ls`, `cd`, `id`...), and models of package managers and build
//! tools from [`crate::tools`].
//!
//! What the model cannot know it says: a command it does not model runs as
//! a stated estimate (its files are not modelled, its size and duration
//! are guesses) and never silently as nothing.

use std::collections::BTreeMap;

use crate::filesystem::{Fs, Node, NodeKind};
use crate::glob::GoPattern;
use crate::paths;
use crate::shared_sort;
use crate::tools;

/// Who runs the command, where, with what environment.
#[derive(Debug, Clone)]
pub struct ExecEnv {
    /// Environment (`KEY`, `value`), in order.
    pub env: Vec<(String, String)>,
    /// Working directory (absolute).
    pub cwd: String,
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
    /// User name (for `whoami`), or the id as text.
    pub user: String,
    /// `--network=none`: downloads fail.
    pub network_none: bool,
}

/// What a RUN did besides changing the file system.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecResult {
    /// Exit status of the whole command.
    pub exit_code: i32,
    /// What it printed (stdout and stderr as a terminal shows them).
    pub output: String,
    /// Modelled running time, milliseconds.
    pub duration_ms: u64,
    /// Statements about what was estimated rather than modelled.
    pub estimates: Vec<String>,
    /// Bytes the estimates add to the layer on top of the modelled files.
    pub estimated_bytes: u64,
    /// True when some command's effect on files is unknown.
    pub opaque: bool,
}

/// A file the model puts in a file system whose content it does not fully
/// know (after an unmodelled command, or in an image not in the catalog).
pub const UNMODELLED_MARKER: &str = "/.layerlab-unmodelled";

/// Commands every shell has built in.
const SHELL_BUILTINS: [&str; 24] = [
    "sh", "bash", "ash", "dash", "set", "exit", "export", "readonly", "local", "unset", "cd",
    "true", ":", "false", "echo", "printf", "test", "[", "pwd", "command", "type", "eval", "exec",
    "source",
];

/// Why an argv cannot start, in runc's words (`None` when it can).
pub fn missing_executable(fs: &Fs, argv: &[String], env: &[(String, String)]) -> Option<String> {
    let first = argv.first()?;
    if fs.get(UNMODELLED_MARKER).is_some() {
        return None;
    }
    if first.contains('/') {
        return match fs.lookup(first) {
            Some(_) => None,
            None => Some(format!(
                "runc run failed: unable to start container process: error during container init: exec: \"{first}\": stat {first}: no such file or directory"
            )),
        };
    }
    let path = env
        .iter()
        .rev()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let found = path.split(':').any(|d| {
        fs.lookup(&paths::join(&[d, first]))
            .is_some_and(|n| n.is_file())
    });
    (!found).then(|| {
        format!(
            "runc run failed: unable to start container process: error during container init: exec: \"{first}\": executable file not found in $PATH"
        )
    })
}

/// Runs `argv` (after SHELL wrapping) in `fs`.
pub fn exec(fs: &mut Fs, argv: &[String], env: &ExecEnv) -> ExecResult {
    let mut sh = Shell::new(fs, env);
    let code = sh.run_argv(argv, "");
    let mut r = sh.result;
    r.exit_code = code;
    r
}

/// The running shell.
pub(crate) struct Shell<'a> {
    pub(crate) fs: &'a mut Fs,
    pub(crate) vars: BTreeMap<String, String>,
    pub(crate) cwd: String,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) user: String,
    pub(crate) network_none: bool,
    pub(crate) result: ExecResult,
    last_status: i32,
    positional: Vec<String>,
    errexit: bool,
    exited: Option<i32>,
    depth: usize,
}

/// One piece of a word before expansion.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// Literal text; `quoted` keeps it from globbing.
    Lit(String, bool),
    /// `$NAME` / `${NAME...}`; `quoted` keeps it from splitting.
    Var {
        name: String,
        op: Option<(String, Vec<Part>)>,
        quoted: bool,
    },
    /// `$(...)` or backticks: not modelled.
    Subst,
}

type Word = Vec<Part>;

#[derive(Debug, Clone, PartialEq)]
enum RedirKind {
    Out,
    Append,
    In,
    Dup(i32),
    HereDoc(String, bool),
}

#[derive(Debug, Clone, PartialEq)]
struct Redir {
    fd: i32,
    kind: RedirKind,
    target: Word,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Simple {
    assigns: Vec<(String, Word)>,
    words: Vec<Word>,
    redirs: Vec<Redir>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Conn {
    And,
    Or,
    Seq,
}

/// A list: pipelines joined by `&&`, `||`, `;`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Script {
    items: Vec<(Vec<Simple>, Conn)>,
    /// Shell syntax the model does not run (`if`, `for`, `(`...).
    unsupported: Option<String>,
}

const RESERVED: [&str; 13] = [
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function",
];

struct Lexer<'s> {
    chars: Vec<char>,
    pos: usize,
    src: &'s str,
    pending_heredocs: Vec<(usize, usize, String, bool, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word, String),
    Op(&'static str),
    Redir(i32, RedirKind, Option<Word>),
    Newline,
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str) -> Self {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
            src,
            pending_heredocs: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.pos + 1).copied()
    }

    /// Tokens, with heredoc bodies attached after their line.
    fn tokens(&mut self) -> Result<Vec<Tok>, String> {
        let mut toks: Vec<Tok> = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek2() == Some('\n') => self.pos += 2,
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '\n' => {
                    self.pos += 1;
                    self.read_heredoc_bodies(&mut toks)?;
                    toks.push(Tok::Newline);
                }
                ';' => {
                    self.pos += 1;
                    if self.peek() == Some(';') {
                        return Err("case".into());
                    }
                    toks.push(Tok::Op(";"));
                }
                '&' => {
                    self.pos += 1;
                    if self.peek() == Some('&') {
                        self.pos += 1;
                        toks.push(Tok::Op("&&"));
                    } else if self.peek() == Some('>') {
                        self.pos += 1;
                        let append = self.peek() == Some('>');
                        if append {
                            self.pos += 1;
                        }
                        let w = self.word()?;
                        let k = if append {
                            RedirKind::Append
                        } else {
                            RedirKind::Out
                        };
                        toks.push(Tok::Redir(1, k, Some(w.clone())));
                        toks.push(Tok::Redir(2, RedirKind::Dup(1), None));
                    } else {
                        toks.push(Tok::Op(";"));
                    }
                }
                '|' => {
                    self.pos += 1;
                    if self.peek() == Some('|') {
                        self.pos += 1;
                        toks.push(Tok::Op("||"));
                    } else {
                        toks.push(Tok::Op("|"));
                    }
                }
                '(' | ')' | '{' | '}' if self.word_boundary_char(c) => {
                    return Err(format!("`{c}`"));
                }
                '<' | '>' => self.redir(&mut toks, 1)?,
                d if d.is_ascii_digit()
                    && matches!(self.peek2(), Some('<') | Some('>'))
                    && self.at_word_start() =>
                {
                    self.pos += 1;
                    let fd = d.to_digit(10).map_or(1, |n| n as i32);
                    self.redir(&mut toks, fd)?;
                }
                _ => {
                    let start = self.pos;
                    let w = self.word()?;
                    let raw: String = self.chars[start..self.pos].iter().collect();
                    toks.push(Tok::Word(w, raw));
                }
            }
        }
        self.read_heredoc_bodies(&mut toks)?;
        Ok(toks)
    }

    fn at_word_start(&self) -> bool {
        self.pos == 0
            || matches!(
                self.chars.get(self.pos - 1),
                Some(' ' | '\t' | '\n' | ';' | '&' | '|')
            )
    }

    fn word_boundary_char(&self, c: char) -> bool {
        match c {
            '(' | ')' => true,
            // `{` and `}` are only special as whole words.
            _ => {
                let before = self.pos == 0
                    || matches!(self.chars.get(self.pos - 1), Some(' ' | '\t' | '\n' | ';'));
                let after = matches!(self.peek2(), None | Some(' ' | '\t' | '\n' | ';'));
                before && after
            }
        }
    }

    fn redir(&mut self, toks: &mut Vec<Tok>, default_fd: i32) -> Result<(), String> {
        let c = self.peek().unwrap_or('>');
        self.pos += 1;
        if c == '<' {
            if self.peek() == Some('<') {
                self.pos += 1;
                let chomp = self.peek() == Some('-');
                if chomp {
                    self.pos += 1;
                }
                while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
                    self.pos += 1;
                }
                let start = self.pos;
                let w = self.word()?;
                let raw: String = self.chars[start..self.pos].iter().collect();
                let quoted = raw.contains(['\'', '"', '\\']);
                let delim = literal_text(&w);
                let idx = toks.len();
                toks.push(Tok::Redir(
                    0,
                    RedirKind::HereDoc(String::new(), !quoted),
                    None,
                ));
                self.pending_heredocs.push((idx, 0, delim, chomp, !quoted));
                return Ok(());
            }
            let w = self.word()?;
            toks.push(Tok::Redir(
                if default_fd == 1 { 0 } else { default_fd },
                RedirKind::In,
                Some(w),
            ));
            return Ok(());
        }
        let append = self.peek() == Some('>');
        if append {
            self.pos += 1;
        }
        if self.peek() == Some('&') {
            self.pos += 1;
            let start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '-') {
                self.pos += 1;
            }
            let n: String = self.chars[start..self.pos].iter().collect();
            let to = n.parse().unwrap_or(1);
            toks.push(Tok::Redir(default_fd, RedirKind::Dup(to), None));
            return Ok(());
        }
        if self.peek() == Some('|') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
        }
        let w = self.word()?;
        if w.is_empty() {
            return Err("syntax error: unexpected redirection".into());
        }
        let k = if append {
            RedirKind::Append
        } else {
            RedirKind::Out
        };
        toks.push(Tok::Redir(default_fd, k, Some(w)));
        Ok(())
    }

    fn read_heredoc_bodies(&mut self, toks: &mut [Tok]) -> Result<(), String> {
        let pending = std::mem::take(&mut self.pending_heredocs);
        for (idx, _, delim, chomp, expand) in pending {
            let mut body = String::new();
            loop {
                if self.pos >= self.chars.len() {
                    break;
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self.chars[start..self.pos].iter().collect();
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
                let check = if chomp {
                    line.trim_start_matches('\t')
                } else {
                    &line
                };
                if check == delim {
                    break;
                }
                body.push_str(check);
                body.push('\n');
            }
            if let Some(t) = toks.get_mut(idx) {
                *t = Tok::Redir(0, RedirKind::HereDoc(body, expand), None);
            }
        }
        let _ = self.src;
        Ok(())
    }

    /// One word: quotes, escapes and `$` parts, up to an unquoted
    /// separator or operator.
    fn word(&mut self) -> Result<Word, String> {
        let mut parts: Word = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Word, quoted: bool| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit), quoted));
            }
        };
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '\r' => break,
                '(' | ')' => break,
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n) => {
                            flush(&mut lit, &mut parts, false);
                            parts.push(Part::Lit(n.to_string(), true));
                            self.pos += 1;
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' => {
                    flush(&mut lit, &mut parts, false);
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err("unterminated quoted string".into()),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    parts.push(Part::Lit(s, true));
                }
                '"' => {
                    flush(&mut lit, &mut parts, false);
                    self.pos += 1;
                    let mut s = String::new();
                    // An empty "" still makes a (quoted, empty) word.
                    parts.push(Part::Lit(String::new(), true));
                    loop {
                        match self.peek() {
                            None => return Err("unterminated quoted string".into()),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\') => {
                                self.pos += 1;
                                match self.peek() {
                                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                                        s.push(n);
                                        self.pos += 1;
                                    }
                                    Some('\n') => self.pos += 1,
                                    _ => s.push('\\'),
                                }
                            }
                            Some('$') => {
                                if !s.is_empty() {
                                    parts.push(Part::Lit(std::mem::take(&mut s), true));
                                }
                                let p = self.dollar(true)?;
                                parts.push(p);
                            }
                            Some('`') => {
                                self.skip_backticks()?;
                                parts.push(Part::Subst);
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    if !s.is_empty() {
                        parts.push(Part::Lit(s, true));
                    }
                }
                '$' => {
                    flush(&mut lit, &mut parts, false);
                    let p = self.dollar(false)?;
                    parts.push(p);
                }
                '`' => {
                    flush(&mut lit, &mut parts, false);
                    self.skip_backticks()?;
                    parts.push(Part::Subst);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts, false);
        Ok(parts)
    }

    fn skip_backticks(&mut self) -> Result<(), String> {
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '`' {
                return Ok(());
            }
        }
        Err("unterminated `".into())
    }

    fn dollar(&mut self, quoted: bool) -> Result<Part, String> {
        self.pos += 1;
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                while let Some(c) = self.peek() {
                    if c == '{' {
                        depth += 1;
                    }
                    if c == '}' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    self.pos += 1;
                }
                if self.peek() != Some('}') {
                    return Err("missing }".into());
                }
                let inner: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                let name_len = inner
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || c == '_' || "?#@*$!".contains(c))
                    })
                    .unwrap_or(inner.len());
                let name = inner[..name_len].to_string();
                let rest = &inner[name_len..];
                let op = if rest.is_empty() {
                    None
                } else {
                    let op_len = if rest.starts_with(":-")
                        || rest.starts_with(":+")
                        || rest.starts_with(":=")
                        || rest.starts_with(":?")
                        || rest.starts_with("##")
                        || rest.starts_with("%%")
                    {
                        2
                    } else {
                        rest.chars().next().map_or(1, char::len_utf8)
                    };
                    let opname = rest[..op_len].to_string();
                    let mut sub = Lexer::new(&rest[op_len..]);
                    let w = sub.word_all()?;
                    Some((opname, w))
                };
                Ok(Part::Var { name, op, quoted })
            }
            Some('(') => {
                // $( ... ) or $(( ... )): skip balanced.
                let mut depth = 0;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '(' {
                        depth += 1;
                    } else if c == ')' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
                Ok(Part::Subst)
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                Ok(Part::Var {
                    name,
                    op: None,
                    quoted,
                })
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.pos += 1;
                Ok(Part::Var {
                    name: c.to_string(),
                    op: None,
                    quoted,
                })
            }
            _ => Ok(Part::Lit("$".into(), quoted)),
        }
    }

    /// The whole remaining input as one word (for `${V:-word}`).
    fn word_all(&mut self) -> Result<Word, String> {
        let mut out = Vec::new();
        while self.pos < self.chars.len() {
            let w = self.word()?;
            out.extend(w);
            if let Some(c) = self.peek() {
                out.push(Part::Lit(c.to_string(), false));
                self.pos += 1;
            }
        }
        Ok(out)
    }
}

fn literal_text(w: &Word) -> String {
    w.iter()
        .map(|p| match p {
            Part::Lit(s, _) => s.clone(),
            Part::Var { name, .. } => format!("${name}"),
            Part::Subst => String::new(),
        })
        .collect()
}

fn parse_script(src: &str) -> Script {
    let mut script = Script::default();
    let toks = match Lexer::new(src).tokens() {
        Ok(t) => t,
        Err(e) => {
            script.unsupported = Some(e);
            return script;
        }
    };
    let mut pipeline: Vec<Simple> = Vec::new();
    let mut cur = Simple::default();
    let finish_simple = |cur: &mut Simple, pipeline: &mut Vec<Simple>| {
        if !cur.words.is_empty() || !cur.assigns.is_empty() || !cur.redirs.is_empty() {
            pipeline.push(std::mem::take(cur));
        }
    };
    for t in toks {
        match t {
            Tok::Word(w, raw) => {
                if cur.words.is_empty() {
                    if RESERVED.contains(&raw.as_str()) {
                        script.unsupported = Some(format!("`{raw}`"));
                        return script;
                    }
                    if let Some((name, _)) = raw.split_once('=') {
                        if !name.is_empty()
                            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                            && !name.starts_with(|c: char| c.is_ascii_digit())
                        {
                            // Split the word's parts at the first `=`.
                            let mut value = Vec::new();
                            let mut seen = false;
                            for p in w {
                                if seen {
                                    value.push(p);
                                    continue;
                                }
                                if let Part::Lit(s, q) = &p {
                                    if let Some((_, v)) = s.split_once('=') {
                                        seen = true;
                                        if !v.is_empty() {
                                            value.push(Part::Lit(v.to_string(), *q));
                                        }
                                    }
                                }
                            }
                            cur.assigns.push((name.to_string(), value));
                            continue;
                        }
                    }
                }
                cur.words.push(w);
            }
            Tok::Redir(fd, kind, target) => cur.redirs.push(Redir {
                fd,
                kind,
                target: target.unwrap_or_default(),
            }),
            Tok::Op("|") => finish_simple(&mut cur, &mut pipeline),
            Tok::Op(op) => {
                finish_simple(&mut cur, &mut pipeline);
                let conn = match op {
                    "&&" => Conn::And,
                    "||" => Conn::Or,
                    _ => Conn::Seq,
                };
                if !pipeline.is_empty() {
                    script.items.push((std::mem::take(&mut pipeline), conn));
                }
            }
            Tok::Newline => {
                finish_simple(&mut cur, &mut pipeline);
                if !pipeline.is_empty() {
                    script
                        .items
                        .push((std::mem::take(&mut pipeline), Conn::Seq));
                }
            }
        }
    }
    finish_simple(&mut cur, &mut pipeline);
    if !pipeline.is_empty() {
        script.items.push((pipeline, Conn::Seq));
    }
    script
}

/// Output of one command.
pub(crate) struct Out {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) code: i32,
}

impl Out {
    pub(crate) fn ok(stdout: impl Into<Vec<u8>>) -> Out {
        Out {
            stdout: stdout.into(),
            stderr: Vec::new(),
            code: 0,
        }
    }

    pub(crate) fn fail(code: i32, msg: impl Into<String>) -> Out {
        let mut m: String = msg.into();
        if !m.ends_with('\n') {
            m.push('\n');
        }
        Out {
            stdout: Vec::new(),
            stderr: m.into_bytes(),
            code,
        }
    }
}

impl<'a> Shell<'a> {
    fn new(fs: &'a mut Fs, env: &ExecEnv) -> Self {
        let mut vars: BTreeMap<String, String> =
            shared_sort::collect_by_insert(env.env.iter().cloned());
        vars.entry("HOME".into()).or_insert_with(|| {
            if env.uid == 0 {
                "/root".into()
            } else {
                "/".into()
            }
        });
        vars.insert("PWD".into(), env.cwd.clone());
        Shell {
            fs,
            vars,
            cwd: paths::clean(&env.cwd),
            uid: env.uid,
            gid: env.gid,
            user: env.user.clone(),
            network_none: env.network_none,
            result: ExecResult::default(),
            last_status: 0,
            positional: Vec::new(),
            errexit: false,
            exited: None,
            depth: 0,
        }
    }

    /// True when the file system holds effects the model does not know
    /// (an unmodelled command ran, or the base image is not in the
    /// catalog): then any command may exist.
    pub(crate) fn lenient(&self) -> bool {
        self.fs.get(UNMODELLED_MARKER).is_some()
    }

    /// Absolute path of `p` from the working directory.
    pub(crate) fn abs(&self, p: &str) -> String {
        if p.starts_with('/') {
            paths::clean(p)
        } else {
            paths::join(&[&self.cwd, p])
        }
    }

    pub(crate) fn time(&mut self, ms: u64) {
        self.result.duration_ms = self.result.duration_ms.saturating_add(ms);
    }

    pub(crate) fn estimate(&mut self, note: String, bytes: u64) {
        self.result.estimates.push(note);
        self.result.estimated_bytes = self.result.estimated_bytes.saturating_add(bytes);
    }

    fn shells() -> [&'static str; 8] {
        [
            "sh",
            "/bin/sh",
            "bash",
            "/bin/bash",
            "ash",
            "/bin/ash",
            "dash",
            "/bin/dash",
        ]
    }

    /// Runs an argv: a shell with `-c` interprets its script; anything
    /// else is one command.
    fn run_argv(&mut self, argv: &[String], stdin: &str) -> i32 {
        let Some(first) = argv.first() else {
            return 0;
        };
        if Self::shells().contains(&first.as_str())
            || first.ends_with("/sh")
            || first.ends_with("/bash")
        {
            let mut i = 1;
            let mut script = None;
            while i < argv.len() {
                let a = &argv[i];
                if a == "-c" {
                    script = argv.get(i + 1).cloned();
                    self.positional = argv
                        .get(i + 2..)
                        .map(<[String]>::to_vec)
                        .unwrap_or_default();
                    break;
                }
                if a.starts_with('-') && a.contains('e') && !a.starts_with("--") {
                    self.errexit = true;
                }
                if !a.starts_with('-') {
                    // sh FILE
                    let path = self.abs(a);
                    match self.fs.read(&path) {
                        Ok(b) => script = Some(String::from_utf8_lossy(b).into_owned()),
                        Err(_) => {
                            self.emit_err(&format!(
                                "{first}: can't open '{a}': No such file or directory"
                            ));
                            return 2;
                        }
                    }
                    break;
                }
                i += 1;
            }
            return match script {
                Some(s) => self.run_script(&s),
                None => self.run_script(stdin),
            };
        }
        let out = self.command(argv, stdin.as_bytes());
        self.result
            .output
            .push_str(&String::from_utf8_lossy(&out.stdout));
        self.result
            .output
            .push_str(&String::from_utf8_lossy(&out.stderr));
        out.code
    }

    fn emit_err(&mut self, msg: &str) {
        self.result.output.push_str(msg);
        if !msg.ends_with('\n') {
            self.result.output.push('\n');
        }
    }

    pub(crate) fn run_script(&mut self, src: &str) -> i32 {
        self.depth += 1;
        if self.depth > 20 {
            return 2;
        }
        let script = parse_script(src);
        if let Some(why) = &script.unsupported {
            let note = format!(
                "shell syntax {why} is not modelled: this RUN's files are not modelled; its layer size and duration are estimates"
            );
            self.result.opaque = true;
            self.estimate(note, 1_000_000);
            self.time(1500);
            return 0;
        }
        let mut status = 0;
        let mut skip_until_or = false;
        let mut skip_until_and = false;
        for (pipeline, conn) in &script.items {
            if self.exited.is_some() {
                break;
            }
            let run = !(skip_until_or || skip_until_and);
            if run {
                status = self.pipeline(pipeline);
                self.last_status = status;
            }
            skip_until_or = false;
            skip_until_and = false;
            match conn {
                Conn::And if status != 0 => skip_until_or = true,
                Conn::Or if status == 0 => skip_until_and = true,
                Conn::Seq if run && status != 0 && self.errexit => {
                    self.exited = Some(status);
                }
                _ => {}
            }
            if !run {
                // A skipped `a && b` keeps a's failure for what follows.
                if *conn == Conn::And && status != 0 {
                    skip_until_or = true;
                }
                if *conn == Conn::Or && status == 0 {
                    skip_until_and = true;
                }
                if *conn == Conn::Seq && status != 0 && self.errexit {
                    self.exited = Some(status);
                }
            }
        }
        self.depth -= 1;
        self.exited.unwrap_or(status)
    }

    fn pipeline(&mut self, cmds: &[Simple]) -> i32 {
        let mut input: Vec<u8> = Vec::new();
        let mut code = 0;
        let n = cmds.len();
        for (i, c) in cmds.iter().enumerate() {
            let last = i + 1 == n;
            let (out, c2) = self.simple(c, &input, !last);
            code = c2;
            input = out;
            if self.exited.is_some() {
                break;
            }
        }
        if !input.is_empty() {
            self.result
                .output
                .push_str(&String::from_utf8_lossy(&input));
        }
        code
    }

    /// Runs one simple command; returns what goes down the pipe (or to the
    /// terminal when `piped` is false it is returned too, and printed by
    /// the caller) and the status.
    fn simple(&mut self, c: &Simple, stdin: &[u8], piped: bool) -> (Vec<u8>, i32) {
        let mut words = Vec::new();
        for w in &c.words {
            match self.expand(w, true) {
                Ok(ws) => words.extend(ws),
                Err(()) => {
                    self.result.opaque = true;
                    self.estimate(
                        "command substitution ($(...) or `...`) is not modelled: its result is unknown, so this RUN's files are estimates".into(),
                        0,
                    );
                    return (Vec::new(), 0);
                }
            }
        }
        let mut assigned = Vec::new();
        for (k, v) in &c.assigns {
            let val = self
                .expand(v, false)
                .map(|v| v.join(" "))
                .unwrap_or_default();
            assigned.push((k.clone(), val));
        }
        if words.is_empty() {
            for (k, v) in &assigned {
                self.vars.insert(k.clone(), v.clone());
            }
        }
        // Input redirections.
        let mut input = stdin.to_vec();
        let mut stdout_to: Option<(String, bool)> = None;
        let mut stderr_to: Option<(String, bool)> = None;
        let mut stderr_to_stdout = false;
        let mut stdout_to_stderr = false;
        for r in &c.redirs {
            let target = self
                .expand(&r.target, false)
                .map(|v| v.join(" "))
                .unwrap_or_default();
            match &r.kind {
                RedirKind::HereDoc(body, expand) => {
                    input = if *expand {
                        self.expand_heredoc(body).into_bytes()
                    } else {
                        body.clone().into_bytes()
                    };
                }
                RedirKind::In => match self.fs.read(&self.abs(&target)) {
                    Ok(b) => input = b.to_vec(),
                    Err(_) => {
                        self.emit_err(&format!("sh: can't open {target}: no such file"));
                        return (Vec::new(), 1);
                    }
                },
                RedirKind::Out | RedirKind::Append => {
                    let append = r.kind == RedirKind::Append;
                    if r.fd == 2 {
                        stderr_to = Some((target, append));
                    } else {
                        stdout_to = Some((target, append));
                    }
                }
                RedirKind::Dup(to) => {
                    if r.fd == 2 && *to == 1 {
                        stderr_to_stdout = true;
                    } else if r.fd == 1 && *to == 2 {
                        stdout_to_stderr = true;
                    }
                }
            }
        }
        // Create redirect targets first, as the shell does.
        for (target, append) in [&stdout_to, &stderr_to].into_iter().flatten() {
            if target == "/dev/null" || target == "/dev/stdout" || target == "/dev/stderr" {
                continue;
            }
            let p = self.abs(target);
            let (uid, gid) = (self.uid, self.gid);
            if let Err(e) = self.fs.write_file(&p, b"", true, 0o644, uid, gid) {
                let why = if e.reason == crate::filesystem::IS_DIR {
                    "Is a directory"
                } else {
                    "nonexistent directory"
                };
                self.emit_err(&format!("sh: can't create {target}: {why}"));
                return (Vec::new(), 2);
            }
            if !append {
                let _ = self.fs.write_file(&p, b"", false, 0o644, uid, gid);
            }
        }
        let out = if words.is_empty() {
            Out::ok(Vec::new())
        } else {
            let saved: Vec<(String, Option<String>)> = assigned
                .iter()
                .map(|(k, _)| (k.clone(), self.vars.get(k).cloned()))
                .collect();
            for (k, v) in &assigned {
                self.vars.insert(k.clone(), v.clone());
            }
            let o = self.command(&words, &input);
            for (k, old) in saved {
                match old {
                    Some(v) => self.vars.insert(k, v),
                    None => self.vars.remove(&k),
                };
            }
            o
        };
        let (mut stdout, mut stderr) = (out.stdout, out.stderr);
        if stderr_to_stdout {
            stdout.append(&mut stderr);
        }
        if stdout_to_stderr {
            stderr.append(&mut stdout);
        }
        if let Some((t, _)) = &stdout_to {
            if t != "/dev/null" && t != "/dev/stdout" {
                let p = self.abs(t);
                let (uid, gid) = (self.uid, self.gid);
                let _ = self.fs.write_file(&p, &stdout, true, 0o644, uid, gid);
            }
            if t != "/dev/stdout" {
                stdout.clear();
            }
        }
        if let Some((t, _)) = &stderr_to {
            if t != "/dev/null" {
                let p = self.abs(t);
                let (uid, gid) = (self.uid, self.gid);
                let _ = self.fs.write_file(&p, &stderr, true, 0o644, uid, gid);
            }
            stderr.clear();
        }
        self.result
            .output
            .push_str(&String::from_utf8_lossy(&stderr));
        if !piped {
            self.result
                .output
                .push_str(&String::from_utf8_lossy(&stdout));
            stdout.clear();
        }
        (stdout, out.code)
    }

    fn expand_heredoc(&mut self, body: &str) -> String {
        // Only `$VAR`, `${VAR}` and `\$` expand in an unquoted heredoc.
        let mut out = String::new();
        let mut lx = Lexer::new(body);
        let mut lit = String::new();
        while let Some(c) = lx.peek() {
            match c {
                '\\' if matches!(lx.peek2(), Some('$' | '\\' | '`')) => {
                    lit.push(lx.peek2().unwrap_or('\\'));
                    lx.pos += 2;
                }
                '$' => {
                    out.push_str(&lit);
                    lit.clear();
                    match lx.dollar(true) {
                        Ok(p) => {
                            if let Ok(v) = self.expand(&vec![p], false) {
                                out.push_str(&v.join(" "));
                            }
                        }
                        Err(_) => out.push('$'),
                    }
                }
                _ => {
                    lit.push(c);
                    lx.pos += 1;
                }
            }
        }
        out.push_str(&lit);
        out
    }

    fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some("1".into()),
            "#" => Some(self.positional.len().saturating_sub(1).to_string()),
            "@" | "*" => Some(
                self.positional
                    .iter()
                    .skip(1)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "PWD" => Some(self.cwd.clone()),
            n if n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().unwrap_or(0);
                if i == 0 {
                    Some(
                        self.positional
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "sh".into()),
                    )
                } else {
                    self.positional.get(i).cloned()
                }
            }
            n => self.vars.get(n).cloned(),
        }
    }

    /// Expands a word into fields (split and globbed when `split`).
    fn expand(&mut self, w: &Word, split: bool) -> Result<Vec<String>, ()> {
        // (char, may split here, may glob)
        let mut chars: Vec<(char, bool, bool)> = Vec::new();
        let mut any_quoted = false;
        for p in w {
            match p {
                Part::Lit(s, q) => {
                    any_quoted |= *q;
                    chars.extend(s.chars().map(|c| (c, false, !q)));
                }
                Part::Var { name, op, quoted } => {
                    any_quoted |= *quoted;
                    let val = self.var(name);
                    let v = match op {
                        None => val.unwrap_or_default(),
                        Some((o, word)) => {
                            let alt = || -> Result<String, ()> { Ok(String::new()) };
                            let _ = alt;
                            let wv = |s: &mut Self| -> Result<String, ()> {
                                Ok(s.expand(word, false)?.join(" "))
                            };
                            match o.as_str() {
                                ":-" => match val {
                                    Some(v) if !v.is_empty() => v,
                                    _ => wv(self)?,
                                },
                                "-" => match val {
                                    Some(v) => v,
                                    None => wv(self)?,
                                },
                                ":=" => match val {
                                    Some(v) if !v.is_empty() => v,
                                    _ => {
                                        let d = wv(self)?;
                                        self.vars.insert(name.clone(), d.clone());
                                        d
                                    }
                                },
                                ":+" => match val {
                                    Some(v) if !v.is_empty() => wv(self)?,
                                    _ => String::new(),
                                },
                                "+" => match val {
                                    Some(_) => wv(self)?,
                                    None => String::new(),
                                },
                                "#" | "##" | "%" | "%%" => {
                                    let v = val.unwrap_or_default();
                                    let pat = wv(self)?;
                                    trim_pattern(&v, &pat, o)
                                }
                                _ => val.unwrap_or_default(),
                            }
                        }
                    };
                    chars.extend(v.chars().map(|c| (c, !quoted, false)));
                }
                Part::Subst => return Err(()),
            }
        }
        if !split {
            return Ok(vec![chars.iter().map(|c| c.0).collect()]);
        }
        // Field splitting on unquoted expansion whitespace.
        let mut fields: Vec<Vec<(char, bool, bool)>> = vec![Vec::new()];
        for ch in chars {
            if ch.1 && ch.0.is_whitespace() {
                if fields.last().is_some_and(|f| !f.is_empty()) {
                    fields.push(Vec::new());
                }
                continue;
            }
            if let Some(f) = fields.last_mut() {
                f.push(ch);
            }
        }
        if fields.last().is_some_and(Vec::is_empty) {
            fields.pop();
        }
        if fields.is_empty() && any_quoted {
            return Ok(vec![String::new()]);
        }
        let mut out = Vec::new();
        for f in fields {
            let text: String = f.iter().map(|c| c.0).collect();
            let globbable = f.iter().any(|c| c.2 && "*?[".contains(c.0));
            if globbable {
                let matches = self.glob(&text);
                if matches.is_empty() {
                    out.push(text);
                } else {
                    out.extend(matches);
                }
            } else {
                out.push(text);
            }
        }
        Ok(out)
    }

    /// Pathname expansion relative to the working directory.
    pub(crate) fn glob(&self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let mut current = vec![if absolute {
            "/".to_string()
        } else {
            String::new()
        }];
        for part in pattern.split('/').filter(|p| !p.is_empty()) {
            let mut next = Vec::new();
            let has_meta = part.contains(['*', '?', '[']);
            for base in &current {
                let dir = if base.is_empty() {
                    self.cwd.clone()
                } else {
                    self.abs(base)
                };
                if has_meta {
                    let Ok(pat) = GoPattern::new(part) else {
                        return Vec::new();
                    };
                    let real = self.fs.resolve(&dir, true).unwrap_or(dir.clone());
                    for (name, _) in self.fs.children(&real) {
                        if name.starts_with('.') && !part.starts_with('.') {
                            continue;
                        }
                        if pat.matches(&name) {
                            next.push(join_rel(base, &name));
                        }
                    }
                } else {
                    let cand = join_rel(base, part);
                    if self.fs.lookup(&self.abs(&cand)).is_some() {
                        next.push(cand);
                    }
                }
            }
            current = next;
        }
        shared_sort::sort(&mut current);
        current
    }

    fn user_owner(&self) -> (u32, u32) {
        (self.uid, self.gid)
    }

    /// Runs one command (argv already expanded).
    pub(crate) fn command(&mut self, argv: &[String], stdin: &[u8]) -> Out {
        let name = argv[0].as_str();
        let base = name.rsplit('/').next().unwrap_or(name);
        let args = &argv[1..];
        self.time(2);
        // A command that is neither a shell builtin nor in the image is
        // "not found", as in a real shell (unless something unmodelled ran
        // before and may have installed it).
        if !SHELL_BUILTINS.contains(&base)
            && !self.lenient()
            && crate::tools::which(self, name).is_none()
        {
            return Out::fail(127, format!("sh: {name}: not found"));
        }
        match base {
            "sh" | "bash" | "ash" | "dash" => {
                // A child shell: its variables, directory and exit stay its own.
                let saved = (
                    self.vars.clone(),
                    self.cwd.clone(),
                    std::mem::take(&mut self.positional),
                    self.errexit,
                    self.exited.take(),
                );
                let mut sub_out = std::mem::take(&mut self.result.output);
                self.errexit = false;
                let code = self.run_argv(argv, &String::from_utf8_lossy(stdin));
                std::mem::swap(&mut sub_out, &mut self.result.output);
                (
                    self.vars,
                    self.cwd,
                    self.positional,
                    self.errexit,
                    self.exited,
                ) = saved;
                Out {
                    stdout: sub_out.into_bytes(),
                    stderr: Vec::new(),
                    code,
                }
            }
            "set" => {
                for a in args {
                    if a.starts_with('-') && a.contains('e') {
                        self.errexit = true;
                    }
                    if a.starts_with('+') && a.contains('e') {
                        self.errexit = false;
                    }
                }
                Out::ok(Vec::new())
            }
            "exit" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.last_status);
                self.exited = Some(code);
                Out {
                    stdout: Vec::new(),
                    stderr: Vec::new(),
                    code,
                }
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.insert(k.to_string(), v.to_string());
                    }
                }
                Out::ok(Vec::new())
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
                Out::ok(Vec::new())
            }
            "cd" => {
                let target = args.first().cloned().unwrap_or_else(|| {
                    self.vars.get("HOME").cloned().unwrap_or_else(|| "/".into())
                });
                let p = self.abs(&target);
                if self.fs.is_dir(&p) {
                    self.cwd = p.clone();
                    self.vars.insert("PWD".into(), p);
                    Out::ok(Vec::new())
                } else {
                    Out::fail(
                        2,
                        format!("sh: cd: can't cd to {target}: No such file or directory"),
                    )
                }
            }
            "true" | ":" => Out::ok(Vec::new()),
            "false" => Out {
                stdout: Vec::new(),
                stderr: Vec::new(),
                code: 1,
            },
            _ => match crate::tools::builtin(self, base, args, stdin) {
                Some(out) => out,
                None => tools::run_tool(self, base, args, stdin),
            },
        }
    }

    /// Creates or replaces a file as the current user.
    pub(crate) fn write(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), String> {
        let (u, g) = self.user_owner();
        let p = self.abs(path);
        self.fs
            .write_file(&p, data, append, 0o644, u, g)
            .map_err(|e| e.reason.to_string())
    }

    /// Creates directories (`mkdir -p`) as the current user.
    pub(crate) fn mkdirs(&mut self, path: &str) -> Result<(), String> {
        let (u, g) = self.user_owner();
        let p = self.abs(path);
        self.fs
            .mkdir_all(&p, 0o755, u, g)
            .map_err(|e| e.reason.to_string())
    }

    /// Puts a modelled file (`size` bytes, a short stand-in content).
    pub(crate) fn put_sized(&mut self, path: &str, stand_in: &str, size: u64, mode: u32) {
        let (u, g) = self.user_owner();
        let p = self.abs(path);
        let _ = self.fs.mkdir_all(&paths::dir(&p), 0o755, u, g);
        self.fs.put(
            &p,
            Node::sized_file(stand_in.as_bytes().to_vec(), size, mode).owned(u, g),
        );
    }

    /// Every file under `dir` (relative paths), for tools that read a
    /// project.
    pub(crate) fn files_under(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let d = self.abs(dir);
        self.fs
            .descendants(&d)
            .into_iter()
            .filter_map(|(rel, n)| match &n.kind {
                NodeKind::File { content, .. } => Some((rel, content.to_vec())),
                _ => None,
            })
            .collect()
    }
}

fn join_rel(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}

fn trim_pattern(v: &str, pat: &str, op: &str) -> String {
    let Ok(p) = GoPattern::new(pat) else {
        return v.to_string();
    };
    let idx: Vec<usize> = v
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(v.len()))
        .collect();
    match op {
        "#" => idx
            .iter()
            .find(|&&i| p.matches(&v[..i]))
            .map_or(v.to_string(), |&i| v[i..].to_string()),
        "##" => idx
            .iter()
            .rev()
            .find(|&&i| p.matches(&v[..i]))
            .map_or(v.to_string(), |&i| v[i..].to_string()),
        "%" => idx
            .iter()
            .rev()
            .find(|&&i| p.matches(&v[i..]))
            .map_or(v.to_string(), |&i| v[..i].to_string()),
        _ => idx
            .iter()
            .find(|&&i| p.matches(&v[i..]))
            .map_or(v.to_string(), |&i| v[..i].to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> ExecEnv {
        ExecEnv {
            env: vec![("PATH".into(), "/bin".into())],
            cwd: "/".into(),
            uid: 0,
            gid: 0,
            user: "root".into(),
            network_none: false,
        }
    }

    fn alpine() -> Fs {
        crate::catalog::resolve("alpine:3.20")
            .map(|i| i.filesystem())
            .unwrap_or_default()
    }

    fn sh(fs: &mut Fs, script: &str) -> ExecResult {
        exec(fs, &["/bin/sh".into(), "-c".into(), script.into()], &env())
    }

    #[test]
    fn mkdir_echo_redirect() {
        let mut fs = alpine();
        let r = sh(&mut fs, "mkdir /out && echo hello > /out/a");
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert_eq!(fs.read("/out/a").unwrap_or_default(), b"hello\n");
        assert_eq!(fs.get("/out/a").map(|n| n.mode), Some(0o644));
        let r = sh(&mut fs, "echo more >> /out/a; cat /out/a");
        assert_eq!(r.output, "hello\nmore\n");
    }

    #[test]
    fn and_or_and_failures() {
        let mut fs = alpine();
        let r = sh(&mut fs, "cat /nope && echo no || echo yes");
        assert!(r.output.ends_with("yes\n"), "{r:?}");
        assert_eq!(r.exit_code, 0);
        let r = sh(&mut fs, "false");
        assert_eq!(r.exit_code, 1);
        let r = sh(&mut fs, "set -e; false; echo after");
        assert_eq!(r.exit_code, 1);
        assert!(!r.output.contains("after"));
    }

    #[test]
    fn variables_quotes_globs() {
        let mut fs = alpine();
        fs.put("/src/a.cs", Node::file("a", 0o644));
        fs.put("/src/b.cs", Node::file("b", 0o644));
        let mut e = env();
        e.env.push(("V".into(), "x y".into()));
        e.cwd = "/src".into();
        let r = exec(
            &mut fs,
            &[
                "/bin/sh".into(),
                "-c".into(),
                "echo [$V] \"$V\" '$V' *.cs ${U:-def}".into(),
            ],
            &e,
        );
        assert_eq!(r.output, "[x y] x y $V a.cs b.cs def\n");
        let r = exec(
            &mut fs,
            &[
                "/bin/sh".into(),
                "-c".into(),
                "A=1; echo $A; cd /; pwd".into(),
            ],
            &e,
        );
        assert_eq!(r.output, "1\n/\n");
    }

    #[test]
    fn heredoc_in_script_and_unsupported_syntax() {
        let mut fs = alpine();
        let r = sh(&mut fs, "cat <<EOF > /cfg\nk=$HOME\nEOF\n");
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert_eq!(fs.read("/cfg").unwrap_or_default(), b"k=/root\n");
        let r = sh(&mut fs, "nosuchtool --version");
        assert_eq!(
            (r.exit_code, r.output.as_str()),
            (127, "sh: nosuchtool: not found\n")
        );
        let r = sh(&mut fs, "if true; then echo x; fi");
        assert!(r.opaque && !r.estimates.is_empty());
    }
}
