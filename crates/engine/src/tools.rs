//! The commands the modelled shell knows: coreutils-like built-ins that
//! change the file system exactly, and models of package managers and
//! build tools (apt-get, apk, pip, npm, go, cargo, dotnet, curl...) whose
//! files, sizes and durations come from the data tables here.
//!
//! Build-tool outputs are derived from their inputs' contents (a `dotnet
//! publish` DLL is a digest of the project's sources), so a stage that
//! re-runs with the same sources produces byte-identical files, as the
//! recorded BuildKit stand-ins do, and a `COPY --from` of them stays
//! cached.

use crate::digest::sha256_hex;
use crate::filesystem::{Node, NodeKind};
use crate::paths;
use crate::shared_sort;
use crate::shell::{Out, Shell};

const KB: u64 = 1_000;
const MB: u64 = 1_000_000;

fn s(a: &[u8]) -> String {
    String::from_utf8_lossy(a).into_owned()
}

/// The text a filter (`head`, `wc`, `grep`) reads: its file operand, or
/// stdin when it has none; a missing file fails with `code`.
fn input_text(
    sh: &Shell,
    name: &str,
    file: Option<&String>,
    stdin: &[u8],
    code: i32,
) -> Result<String, Out> {
    match file {
        Some(f) => match sh.fs.read(&sh.abs(f)) {
            Ok(b) => Ok(s(b)),
            Err(_) => Err(Out::fail(
                code,
                format!("{name}: {f}: No such file or directory"),
            )),
        },
        None => Ok(s(stdin)),
    }
}

fn flags_and_operands(args: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut ops = Vec::new();
    let mut no_more = false;
    for a in args {
        if !no_more && a == "--" {
            no_more = true;
        } else if !no_more && a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            flags.push_str(&a[1..]);
        } else if !no_more && a.starts_with("--") {
            flags.push_str(match a.as_str() {
                "--recursive" => "r",
                "--force" => "f",
                "--parents" => "p",
                "--symbolic" => "s",
                "--all" => "a",
                "--archive" => "a",
                _ => "",
            });
        } else {
            ops.push(a.clone());
        }
    }
    (flags, ops)
}

/// The built-in commands; `None` when `name` is not one.
pub(crate) fn builtin(sh: &mut Shell, name: &str, args: &[String], stdin: &[u8]) -> Option<Out> {
    let out = match name {
        "echo" => {
            let mut i = 0;
            let mut newline = true;
            let mut escapes = false;
            while let Some(a) = args.get(i) {
                match a.as_str() {
                    "-n" => newline = false,
                    "-e" => escapes = true,
                    "-E" => escapes = false,
                    "-ne" | "-en" => {
                        newline = false;
                        escapes = true;
                    }
                    _ => break,
                }
                i += 1;
            }
            let mut text = args[i..].join(" ");
            if escapes {
                text = unescape(&text);
            }
            if newline {
                text.push('\n');
            }
            Out::ok(text)
        }
        "printf" => {
            let Some(fmt) = args.first() else {
                return Some(Out::fail(1, "printf: usage: printf FORMAT [ARGUMENT]..."));
            };
            Out::ok(printf(fmt, &args[1..]))
        }
        "cat" => {
            let files: Vec<&String> = args
                .iter()
                .filter(|a| !a.starts_with('-') || *a == "-")
                .collect();
            if files.is_empty() {
                return Some(Out::ok(stdin.to_vec()));
            }
            let mut buf = Vec::new();
            let mut err = String::new();
            for f in files {
                if f == "-" {
                    buf.extend_from_slice(stdin);
                    continue;
                }
                match sh.fs.read(&sh.abs(f)) {
                    Ok(b) => buf.extend_from_slice(b),
                    Err(e) if e.reason == crate::filesystem::IS_DIR => {
                        err.push_str("cat: read error: Is a directory\n");
                    }
                    Err(_) => err.push_str(&format!(
                        "cat: can't open '{f}': No such file or directory\n"
                    )),
                }
            }
            Out {
                stdout: buf,
                code: i32::from(!err.is_empty()),
                stderr: err.into_bytes(),
            }
        }
        "touch" => {
            let (_, ops) = flags_and_operands(args);
            for f in ops {
                let p = sh.abs(&f);
                if sh.fs.lookup(&p).is_none() {
                    if let Err(e) = sh.write(&p, b"", true) {
                        return Some(Out::fail(1, format!("touch: {f}: {e}")));
                    }
                }
            }
            Out::ok(Vec::new())
        }
        "mkdir" => {
            let mut parents = false;
            let mut mode = 0o755;
            let mut ops = Vec::new();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "-p" | "--parents" => parents = true,
                    "-m" => {
                        if let Some(m) = it.next() {
                            mode = u32::from_str_radix(m, 8).unwrap_or(0o755);
                        }
                    }
                    x if x.starts_with("-m") => {
                        mode = u32::from_str_radix(&x[2..], 8).unwrap_or(0o755)
                    }
                    x if x.starts_with('-') && x.contains('p') => parents = true,
                    x => ops.push(x.to_string()),
                }
            }
            if ops.is_empty() {
                return Some(Out::fail(1, "mkdir: missing operand"));
            }
            let (u, g) = (sh.uid, sh.gid);
            for d in ops {
                let p = sh.abs(&d);
                let r = if parents {
                    sh.fs.mkdir_all(&p, mode, u, g)
                } else {
                    sh.fs.mkdir(&p, mode, u, g)
                };
                if let Err(e) = r {
                    return Some(Out::fail(
                        1,
                        format!("mkdir: can't create directory '{d}': {}", e.reason),
                    ));
                }
            }
            Out::ok(Vec::new())
        }
        "rm" => {
            let (flags, ops) = flags_and_operands(args);
            let recursive = flags.contains('r') || flags.contains('R');
            let force = flags.contains('f');
            let mut code = 0;
            let mut err = String::new();
            for f in ops {
                let p = sh.abs(&f);
                if let Err(e) = sh.fs.remove(&p, recursive) {
                    if force && e.reason == crate::filesystem::NOT_FOUND {
                        continue;
                    }
                    code = 1;
                    let why = if e.reason == crate::filesystem::NOT_EMPTY
                        || (e.reason == crate::filesystem::IS_DIR)
                    {
                        "Is a directory"
                    } else {
                        e.reason
                    };
                    err.push_str(&format!("rm: can't remove '{f}': {why}\n"));
                }
            }
            Out {
                stdout: Vec::new(),
                stderr: err.into_bytes(),
                code,
            }
        }
        "cp" | "mv" => {
            let (flags, ops) = flags_and_operands(args);
            let recursive =
                name == "mv" || flags.contains('r') || flags.contains('R') || flags.contains('a');
            let keep = flags.contains('a') || flags.contains('p') || name == "mv";
            if ops.len() < 2 {
                return Some(Out::fail(1, format!("{name}: missing file operand")));
            }
            let (srcs, dst) = ops.split_at(ops.len() - 1);
            let dst = sh.abs(&dst[0]);
            let dst_is_dir = sh.fs.is_dir(&dst);
            if srcs.len() > 1 && !dst_is_dir {
                return Some(Out::fail(
                    1,
                    format!("{name}: target '{dst}' is not a directory"),
                ));
            }
            for src in srcs {
                let sp = sh.abs(src);
                let Some(node) = sh.fs.lookup(&sp).cloned() else {
                    return Some(Out::fail(
                        1,
                        format!("{name}: can't stat '{src}': No such file or directory"),
                    ));
                };
                if node.is_dir() && !recursive {
                    return Some(Out::fail(1, format!("cp: omitting directory '{src}'")));
                }
                let target = if dst_is_dir {
                    paths::join(&[&dst, &paths::base(&sp)])
                } else {
                    dst.clone()
                };
                if name == "mv" {
                    if let Err(e) = sh.fs.rename(&sp, &target) {
                        return Some(Out::fail(
                            1,
                            format!("mv: can't rename '{src}': {}", e.reason),
                        ));
                    }
                    continue;
                }
                let snapshot = sh.fs.clone();
                let real = snapshot.resolve(&sp, true).unwrap_or(sp.clone());
                if sh.fs.get(&target).is_some_and(Node::is_dir) && node.is_dir() {
                    // cp -r a b where b exists: copies into b/a (handled by dst_is_dir).
                }
                if sh.fs.lookup(&paths::dir(&target)).is_none() {
                    return Some(Out::fail(
                        1,
                        format!("cp: can't create '{target}': No such file or directory"),
                    ));
                }
                sh.fs.copy_tree(&snapshot, &real, &target);
                if !keep {
                    let (u, g) = (sh.uid, sh.gid);
                    let _ = sh.fs.chown(&target, u, g);
                    if node.is_dir() {
                        for (rel, _) in snapshot.descendants(&real) {
                            let _ = sh.fs.chown(&paths::join(&[&target, &rel]), u, g);
                        }
                    }
                }
            }
            Out::ok(Vec::new())
        }
        "ln" => {
            let (flags, ops) = flags_and_operands(args);
            if ops.len() < 2 {
                return Some(Out::fail(1, "ln: missing file operand"));
            }
            let target = ops[0].clone();
            let mut link = sh.abs(&ops[1]);
            if sh.fs.is_dir(&link) {
                link = paths::join(&[&link, &paths::base(&target)]);
            }
            if sh.fs.get(&link).is_some() {
                if flags.contains('f') {
                    let _ = sh.fs.remove(&link, false);
                } else {
                    return Some(Out::fail(1, format!("ln: {}: File exists", ops[1])));
                }
            }
            if flags.contains('s') {
                sh.fs
                    .put(&link, Node::symlink(&target).owned(sh.uid, sh.gid));
            } else {
                let Some(n) = sh.fs.lookup(&sh.abs(&target)).cloned() else {
                    return Some(Out::fail(
                        1,
                        format!("ln: {target}: No such file or directory"),
                    ));
                };
                sh.fs.put(&link, n);
            }
            Out::ok(Vec::new())
        }
        "chmod" => {
            let (flags, ops) = flags_and_operands(
                &args
                    .iter()
                    .filter(|a| {
                        !(a.starts_with('-')
                            && a[1..].chars().any(|c| "rwxXst".contains(c))
                            && !a.contains('R'))
                    })
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            let recursive = flags.contains('R');
            let mut ops = ops;
            // A symbolic mode like `-x` was filtered; put it back.
            if let Some(m) = args.iter().find(|a| {
                a.starts_with('-') && a[1..].chars().all(|c| "rwxXst".contains(c)) && a.len() > 1
            }) {
                ops.insert(0, m.clone());
            }
            if ops.len() < 2 {
                return Some(Out::fail(1, "chmod: missing operand"));
            }
            let spec = ops[0].clone();
            for f in &ops[1..] {
                let p = sh.abs(f);
                let mut targets = vec![p.clone()];
                if recursive {
                    let real = sh.fs.resolve(&p, true).unwrap_or(p.clone());
                    targets.extend(
                        sh.fs
                            .descendants(&real)
                            .into_iter()
                            .map(|(r, _)| paths::join(&[&real, &r])),
                    );
                }
                for t in targets {
                    let Some(node) = sh.fs.lookup(&t).cloned() else {
                        return Some(Out::fail(
                            1,
                            format!("chmod: {f}: No such file or directory"),
                        ));
                    };
                    let mode = if spec.bytes().all(|b| b.is_ascii_digit()) {
                        u32::from_str_radix(&spec, 8).unwrap_or(node.mode)
                    } else {
                        crate::copy::apply_symbolic(node.mode, &spec, node.is_dir())
                            .unwrap_or(node.mode)
                    };
                    let _ = sh.fs.chmod(&t, mode);
                }
            }
            Out::ok(Vec::new())
        }
        "chown" | "chgrp" => {
            let (flags, ops) = flags_and_operands(args);
            if ops.len() < 2 {
                return Some(Out::fail(1, format!("{name}: missing operand")));
            }
            let spec = if name == "chgrp" {
                format!("0:{}", ops[0])
            } else {
                ops[0].clone()
            };
            let (uid, gid) = match crate::copy::resolve_user(sh.fs, &spec) {
                Ok(x) => x,
                Err(e) => return Some(Out::fail(1, format!("{name}: {e}"))),
            };
            for f in &ops[1..] {
                let p = sh.abs(f);
                let mut targets = vec![p.clone()];
                if flags.contains('R') {
                    let real = sh.fs.resolve(&p, true).unwrap_or(p.clone());
                    targets.extend(
                        sh.fs
                            .descendants(&real)
                            .into_iter()
                            .map(|(r, _)| paths::join(&[&real, &r])),
                    );
                }
                for t in targets {
                    if sh.fs.chown(&t, uid, gid).is_err() {
                        return Some(Out::fail(
                            1,
                            format!("{name}: {f}: No such file or directory"),
                        ));
                    }
                }
            }
            Out::ok(Vec::new())
        }
        "ls" => ls(sh, args),
        "pwd" => Out::ok(format!("{}\n", sh.cwd)),
        "id" => {
            let uname = user_name(sh, sh.uid).unwrap_or_default();
            let gname = group_name(sh, sh.gid).unwrap_or_default();
            let u = if uname.is_empty() {
                format!("{}", sh.uid)
            } else {
                format!("{}({uname})", sh.uid)
            };
            let g = if gname.is_empty() {
                format!("{}", sh.gid)
            } else {
                format!("{}({gname})", sh.gid)
            };
            Out::ok(format!("uid={u} gid={g} groups={g}\n"))
        }
        "whoami" => match user_name(sh, sh.uid) {
            Some(n) => Out::ok(format!("{n}\n")),
            None if !sh.user.is_empty() && sh.user.parse::<u32>().is_err() => {
                Out::ok(format!("{}\n", sh.user))
            }
            None => Out::fail(1, format!("whoami: unknown uid {}", sh.uid)),
        },
        "env" | "printenv" if args.is_empty() => {
            let mut t = String::new();
            for (k, v) in &sh.vars {
                t.push_str(&format!("{k}={v}\n"));
            }
            Out::ok(t)
        }
        "printenv" => Out::ok(
            args.iter()
                .filter_map(|a| sh.vars.get(a).map(|v| format!("{v}\n")))
                .collect::<String>(),
        ),
        "sleep" => {
            let secs: f64 = args
                .first()
                .and_then(|a| crate::numfmt::parse(a.trim_end_matches('s')))
                .unwrap_or(0.0);
            sh.time((secs * 1000.0) as u64);
            Out::ok(Vec::new())
        }
        "test" | "[" => {
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            if name == "[" && a.last() == Some(&"]") {
                a.pop();
            }
            let ok = test(sh, &a);
            Out {
                stdout: Vec::new(),
                stderr: Vec::new(),
                code: i32::from(!ok),
            }
        }
        "basename" => Out::ok(format!(
            "{}\n",
            args.first().map(|a| paths::base(a)).unwrap_or_default()
        )),
        "dirname" => Out::ok(format!(
            "{}\n",
            args.first().map(|a| paths::dir(a)).unwrap_or_default()
        )),
        "uname" => Out::ok(if args.iter().any(|a| a.contains('m')) {
            "x86_64\n"
        } else {
            "Linux\n"
        }),
        "hostname" => Out::ok("buildkitsandbox\n"),
        "nproc" => Out::ok("2\n"),
        "date" => Out::ok("Thu Jan  1 00:00:00 UTC 1970\n"),
        "which" | "command" => {
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let mut out = String::new();
            let mut code = 0;
            for n in names {
                match which(sh, n) {
                    Some(p) => out.push_str(&format!("{p}\n")),
                    None => code = 1,
                }
            }
            Out {
                stdout: out.into_bytes(),
                stderr: Vec::new(),
                code,
            }
        }
        "tee" => {
            let (flags, ops) = flags_and_operands(args);
            for f in ops {
                if let Err(e) = sh.write(&f, stdin, flags.contains('a')) {
                    return Some(Out::fail(1, format!("tee: {f}: {e}")));
                }
            }
            Out::ok(stdin.to_vec())
        }
        "head" | "tail" => {
            let mut n = 10usize;
            let mut files = Vec::new();
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "-n" {
                    n = it.next().and_then(|v| v.parse().ok()).unwrap_or(10);
                } else if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix('-')) {
                    n = v.parse().unwrap_or(n);
                } else {
                    files.push(a.clone());
                }
            }
            let text = match input_text(sh, name, files.first(), stdin, 1) {
                Ok(t) => t,
                Err(out) => return Some(out),
            };
            let lines: Vec<&str> = text.lines().collect();
            let pick: Vec<&str> = if name == "head" {
                lines.iter().take(n).copied().collect()
            } else {
                lines[lines.len().saturating_sub(n)..].to_vec()
            };
            Out::ok(pick.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "wc" => {
            let file = args.iter().find(|a| !a.starts_with('-'));
            let text = match input_text(sh, name, file, stdin, 1) {
                Ok(t) => t,
                Err(out) => return Some(out),
            };
            if args.iter().any(|a| a == "-l") {
                Out::ok(format!("{}\n", text.matches('\n').count()))
            } else if args.iter().any(|a| a == "-c") {
                Out::ok(format!("{}\n", text.len()))
            } else {
                Out::ok(format!(
                    "{} {} {}\n",
                    text.matches('\n').count(),
                    text.split_whitespace().count(),
                    text.len()
                ))
            }
        }
        "grep" => {
            let (flags, ops) = flags_and_operands(args);
            let Some(pat) = ops.first() else {
                return Some(Out::fail(2, "grep: missing pattern"));
            };
            let text = match input_text(sh, name, ops.get(1), stdin, 2) {
                Ok(t) => t,
                Err(out) => return Some(out),
            };
            let invert = flags.contains('v');
            let quiet = flags.contains('q');
            let matched: Vec<&str> = text
                .lines()
                .filter(|l| l.contains(pat.as_str()) != invert)
                .collect();
            let code = i32::from(matched.is_empty());
            Out {
                stdout: if quiet {
                    Vec::new()
                } else {
                    matched
                        .iter()
                        .map(|l| format!("{l}\n"))
                        .collect::<String>()
                        .into_bytes()
                },
                stderr: Vec::new(),
                code,
            }
        }
        "sort" => {
            let mut lines: Vec<String> = s(stdin).lines().map(String::from).collect();
            shared_sort::sort(&mut lines);
            Out::ok(lines.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "adduser" | "useradd" | "addgroup" | "groupadd" => accounts(sh, name, args),
        _ => return None,
    };
    Some(out)
}

fn unescape(t: &str) -> String {
    let mut out = String::new();
    let mut it = t.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn printf(fmt: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut ai = 0;
    loop {
        let mut it = fmt.chars().peekable();
        let mut consumed = false;
        while let Some(c) = it.next() {
            match c {
                '\\' => match it.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('\\') => out.push('\\'),
                    Some(o) => {
                        out.push('\\');
                        out.push(o);
                    }
                    None => out.push('\\'),
                },
                '%' => {
                    let mut spec = String::new();
                    while let Some(&n) = it.peek() {
                        it.next();
                        if n.is_ascii_alphabetic() || n == '%' {
                            spec.push(n);
                            break;
                        }
                        spec.push(n);
                    }
                    let conv = spec.chars().last().unwrap_or('s');
                    if conv == '%' {
                        out.push('%');
                        continue;
                    }
                    let a = args.get(ai).cloned().unwrap_or_default();
                    ai += 1;
                    consumed = true;
                    match conv {
                        'd' | 'i' => out.push_str(&a.parse::<i64>().unwrap_or(0).to_string()),
                        _ => out.push_str(&a),
                    }
                }
                c => out.push(c),
            }
        }
        if !consumed || ai >= args.len() {
            break;
        }
    }
    out
}

fn passwd_entries(sh: &Shell) -> Vec<Vec<String>> {
    s(sh.fs.read("/etc/passwd").unwrap_or_default())
        .lines()
        .map(|l| l.split(':').map(String::from).collect())
        .collect()
}

fn user_name(sh: &Shell, uid: u32) -> Option<String> {
    passwd_entries(sh)
        .into_iter()
        .find(|f| f.len() > 2 && f[2] == uid.to_string())
        .map(|f| f[0].clone())
}

fn group_name(sh: &Shell, gid: u32) -> Option<String> {
    s(sh.fs.read("/etc/group").unwrap_or_default())
        .lines()
        .map(|l| l.split(':').map(String::from).collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[2] == gid.to_string())
        .map(|f| f[0].clone())
}

/// Where `name` is found through `PATH` (or itself, when it has a `/`).
pub(crate) fn which(sh: &Shell, name: &str) -> Option<String> {
    if name.contains('/') {
        return sh.fs.exists(&sh.abs(name)).then(|| name.to_string());
    }
    let path = sh.vars.get("PATH").cloned().unwrap_or_default();
    path.split(':').map(|d| paths::join(&[d, name])).find(|p| {
        sh.fs
            .lookup(p)
            .is_some_and(|n| n.is_file() && n.mode & 0o111 != 0)
    })
}

fn test(sh: &Shell, a: &[&str]) -> bool {
    match a {
        [] => false,
        ["!", rest @ ..] => !test(sh, rest),
        [x] => !x.is_empty(),
        ["-n", x] => !x.is_empty(),
        ["-z", x] => x.is_empty(),
        ["-e", p] => sh.fs.exists(&sh.abs(p)),
        ["-f", p] => sh.fs.lookup(&sh.abs(p)).is_some_and(Node::is_file),
        ["-d", p] => sh.fs.is_dir(&sh.abs(p)),
        ["-x", p] => sh
            .fs
            .lookup(&sh.abs(p))
            .is_some_and(|n| n.mode & 0o111 != 0),
        ["-s", p] => sh.fs.lookup(&sh.abs(p)).is_some_and(|n| n.size() > 0),
        ["-L" | "-h", p] => matches!(
            sh.fs.get(&sh.abs(p)).map(|n| &n.kind),
            Some(NodeKind::Symlink(_))
        ),
        [x, "=" | "==", y] => x == y,
        [x, "!=", y] => x != y,
        [x, op, y] => {
            let (x, y) = (x.parse::<i64>().unwrap_or(0), y.parse::<i64>().unwrap_or(0));
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => false,
            }
        }
        _ => false,
    }
}

fn ls(sh: &mut Shell, args: &[String]) -> Out {
    let (flags, mut ops) = flags_and_operands(args);
    let long = flags.contains('l') || flags.contains('n');
    let numeric = flags.contains('n');
    let all = flags.contains('a');
    let recursive = flags.contains('R');
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut out = String::new();
    let mut err = String::new();
    let multi = ops.len() > 1 || recursive;
    let line = |sh: &Shell, name: &str, n: &Node| -> String {
        if !long {
            return format!("{name}\n");
        }
        let owner = if numeric {
            n.uid.to_string()
        } else {
            user_name(sh, n.uid).unwrap_or_else(|| n.uid.to_string())
        };
        let group = if numeric {
            n.gid.to_string()
        } else {
            group_name(sh, n.gid).unwrap_or_else(|| n.gid.to_string())
        };
        let suffix = match &n.kind {
            NodeKind::Symlink(t) => format!(" -> {t}"),
            _ => String::new(),
        };
        format!(
            "{} {:>4} {:<8} {:<8} {:>9} Jan  1 00:00 {name}{suffix}\n",
            n.mode_string(),
            1,
            owner,
            group,
            n.size()
        )
    };
    let mut first = true;
    let mut queue: Vec<String> = ops.clone();
    while let Some(op) = queue.first().cloned() {
        queue.remove(0);
        let p = sh.abs(&op);
        let Some(node) = sh.fs.lookup(&p).cloned() else {
            err.push_str(&format!("ls: {op}: No such file or directory\n"));
            continue;
        };
        if !node.is_dir() {
            out.push_str(&line(sh, &op, &node));
            continue;
        }
        if multi {
            if !first {
                out.push('\n');
            }
            out.push_str(&format!("{op}:\n"));
        }
        first = false;
        let real = sh.fs.resolve(&p, true).unwrap_or(p.clone());
        let children: Vec<(String, Node)> = sh
            .fs
            .children(&real)
            .into_iter()
            .map(|(n, node)| (n, node.clone()))
            .collect();
        if long {
            out.push_str(&format!(
                "total {}\n",
                children
                    .iter()
                    .map(|(_, n)| n.size().div_ceil(1024))
                    .sum::<u64>()
            ));
        }
        let mut subdirs = Vec::new();
        for (name, n) in &children {
            if name.starts_with('.') && !all {
                continue;
            }
            out.push_str(&line(sh, name, n));
            if recursive && n.is_dir() {
                subdirs.push(if op.ends_with('/') {
                    format!("{op}{name}")
                } else {
                    format!("{op}/{name}")
                });
            }
        }
        for (i, d) in subdirs.into_iter().enumerate() {
            queue.insert(i, d);
        }
    }
    Out {
        stdout: out.into_bytes(),
        code: i32::from(!err.is_empty()),
        stderr: err.into_bytes(),
    }
}

fn accounts(sh: &mut Shell, name: &str, args: &[String]) -> Out {
    let mut uid: Option<u32> = None;
    let mut gid_name: Option<String> = None;
    let mut system = false;
    let mut home: Option<String> = None;
    let mut create_home = name == "adduser";
    let mut ops = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-u" | "--uid" => uid = it.next().and_then(|v| v.parse().ok()),
            "-g" | "-G" | "--gid" | "--ingroup" => gid_name = it.next().cloned(),
            "-h" | "-d" | "--home" => home = it.next().cloned(),
            "-S" | "-r" | "--system" => system = true,
            "-m" | "--create-home" => create_home = true,
            "-H" | "-M" | "--no-create-home" => create_home = false,
            "-s" | "--shell" | "-c" | "--gecos" | "-k" => {
                it.next();
            }
            x if x.starts_with('-') => {}
            x => ops.push(x.to_string()),
        }
    }
    let Some(acct) = ops.first().cloned() else {
        return Out::fail(1, format!("{name}: missing name"));
    };
    let group_text = s(sh.fs.read("/etc/group").unwrap_or_default());
    let passwd_text = s(sh.fs.read("/etc/passwd").unwrap_or_default());
    let used: Vec<u32> = passwd_text
        .lines()
        .chain(group_text.lines())
        .filter_map(|l| l.split(':').nth(2).and_then(|v| v.parse().ok()))
        .collect();
    let next_id = |start: u32| (start..60000).find(|n| !used.contains(n)).unwrap_or(start);
    if name == "addgroup" || name == "groupadd" {
        if ops.len() == 2 && name == "addgroup" {
            // addgroup USER GROUP: add a user to a group.
            return Out::ok(Vec::new());
        }
        if group_text
            .lines()
            .any(|l| l.split(':').next() == Some(acct.as_str()))
        {
            return Out::fail(1, format!("{name}: group '{acct}' in use"));
        }
        let id = uid
            .or_else(|| gid_name.as_ref().and_then(|g| g.parse().ok()))
            .unwrap_or_else(|| next_id(if system { 100 } else { 1000 }));
        let _ = sh.write("/etc/group", format!("{acct}:x:{id}:\n").as_bytes(), true);
        return Out::ok(Vec::new());
    }
    if passwd_text
        .lines()
        .any(|l| l.split(':').next() == Some(acct.as_str()))
    {
        return Out::fail(1, format!("{name}: user '{acct}' in use"));
    }
    let id = uid.unwrap_or_else(|| next_id(if system { 100 } else { 1000 }));
    let gid = match &gid_name {
        Some(g) => g.parse().ok().or_else(|| {
            group_text.lines().find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.first() == Some(&g.as_str()))
                    .then(|| f.get(2).and_then(|v| v.parse().ok()))
                    .flatten()
            })
        }),
        None => None,
    };
    let gid = match gid {
        Some(g) => g,
        None => {
            let _ = sh.write("/etc/group", format!("{acct}:x:{id}:\n").as_bytes(), true);
            id
        }
    };
    let home = home.unwrap_or_else(|| format!("/home/{acct}"));
    let _ = sh.write(
        "/etc/passwd",
        format!("{acct}:x:{id}:{gid}::{home}:/bin/sh\n").as_bytes(),
        true,
    );
    if create_home && !system {
        let _ = sh.fs.mkdir_all(&home, 0o755, id, gid);
    }
    Out::ok(Vec::new())
}

/// A tool model, or a stated estimate for a command the model does not
/// know.
pub(crate) fn run_tool(sh: &mut Shell, name: &str, args: &[String], stdin: &[u8]) -> Out {
    match name {
        "dotnet" => dotnet(sh, args),
        "apt-get" | "apt" => apt(sh, args),
        "apk" => apk(sh, args),
        "pip" | "pip3" => pip(sh, args),
        "python" | "python3"
            if args.first().map(String::as_str) == Some("-m")
                && args.get(1).is_some_and(|a| a == "pip") =>
        {
            pip(sh, &args[2..])
        }
        "npm" | "yarn" | "pnpm" => npm(sh, name, args),
        "go" => go(sh, args),
        "cargo" => cargo(sh, args),
        "curl" | "wget" => download(sh, name, args),
        _ => {
            let _ = stdin;
            unknown(sh, name)
        }
    }
}

/// Commands the model knows by name but does not simulate: estimated
/// duration (ms) and layer bytes.
const ESTIMATES: &[(&str, u64, u64, &str)] = &[
    ("make", 15_000, 5 * MB, "a make build"),
    ("gcc", 3_000, MB, "a C compilation"),
    ("g++", 5_000, 2 * MB, "a C++ compilation"),
    ("cmake", 10_000, 3 * MB, "a CMake build"),
    (
        "mvn",
        90_000,
        150 * MB,
        "a Maven build (dependencies in ~/.m2)",
    ),
    ("gradle", 90_000, 200 * MB, "a Gradle build"),
    ("./gradlew", 90_000, 200 * MB, "a Gradle build"),
    ("javac", 5_000, MB, "a Java compilation"),
    ("composer", 20_000, 30 * MB, "a Composer install"),
    ("bundle", 30_000, 40 * MB, "a Bundler install"),
    ("gem", 15_000, 10 * MB, "a gem install"),
    ("yum", 30_000, 60 * MB, "a yum install"),
    ("dnf", 30_000, 60 * MB, "a dnf install"),
    ("git", 3_000, 2 * MB, "a git operation"),
    ("rustc", 5_000, 3 * MB, "a Rust compilation"),
    ("tar", 1_000, 5 * MB, "an archive extraction"),
    ("unzip", 1_000, 5 * MB, "an archive extraction"),
];

fn unknown(sh: &mut Shell, name: &str) -> Out {
    let (ms, bytes, what) = ESTIMATES.iter().find(|(n, ..)| *n == name).map_or(
        (2_000, MB, "a command LayerLab does not model"),
        |&(_, ms, b, w)| (ms, b, w),
    );
    sh.time(ms);
    sh.result.opaque = true;
    sh.estimate(
        format!(
            "`{name}` is not modelled ({what}): the files it writes are unknown; its layer is estimated at {} and {}s",
            human_size(bytes),
            crate::numfmt::fixed(ms as f64 / 1000.0, 1)
        ),
        bytes,
    );
    Out::ok(Vec::new())
}

/// A size the way Docker prints it (go-units `HumanSize`: powers of 1000,
/// four significant digits: `7.8MB`, `2.823kB`, `913MB`).
pub fn human_size(b: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if v == 0.0 {
        return "0B".to_string();
    }
    let digits = v.abs().log10().floor() as i32;
    let decimals = (3 - digits).max(0) as usize;
    let mut t = crate::numfmt::fixed(v, decimals);
    if t.contains('.') {
        t = t.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{t}{}", UNITS[u])
}

fn operands(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect()
}

fn opt_value(args: &[String], names: &[&str]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        for n in names {
            if a == n {
                return it.next().cloned();
            }
            if let Some(v) = a.strip_prefix(&format!("{n}=")) {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// Operands that are not values of options taking one.
fn operands_skipping(args: &[String], with_value: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if with_value.contains(&a.as_str()) {
            it.next();
            continue;
        }
        if !a.starts_with('-') {
            out.push(a.clone());
        }
    }
    out
}

fn dotnet_projects(sh: &Shell, target: Option<&str>) -> Result<Vec<String>, String> {
    let list = |dir: &str, ext: &[&str]| -> Vec<String> {
        sh.fs
            .children(dir)
            .into_iter()
            .filter(|(n, node)| node.is_file() && ext.iter().any(|e| n.ends_with(e)))
            .map(|(n, _)| paths::join(&[dir, &n]))
            .collect()
    };
    let from_sln = |sln: &str| -> Vec<String> {
        let dir = paths::dir(sln);
        s(sh.fs.read(sln).unwrap_or_default())
            .lines()
            .filter(|l| l.starts_with("Project("))
            .filter_map(|l| l.split('"').nth(5).map(|p| p.replace('\\', "/")))
            .filter(|p| p.ends_with("proj"))
            .map(|p| paths::join(&[&dir, &p]))
            .filter(|p| sh.fs.exists(p))
            .collect()
    };
    match target {
        Some(t) => {
            let p = sh.abs(t);
            if p.ends_with(".sln") {
                Ok(from_sln(&p))
            } else if sh.fs.is_dir(&p) {
                let projs = list(&p, &[".csproj", ".fsproj", ".vbproj"]);
                if projs.is_empty() {
                    let slns = list(&p, &[".sln"]);
                    return slns.first().map(|s| from_sln(s)).ok_or_else(|| "MSB1003: Specify a project or solution file. The current working directory does not contain a project or solution file.".to_string());
                }
                Ok(projs)
            } else if sh.fs.exists(&p) {
                Ok(vec![p])
            } else {
                Err(format!(
                    "MSB1009: Project file does not exist.\nSwitch: {t}"
                ))
            }
        }
        None => {
            let cwd = sh.cwd.clone();
            let projs = list(&cwd, &[".csproj", ".fsproj", ".vbproj"]);
            let slns = list(&cwd, &[".sln"]);
            match (projs.len(), slns.len()) {
                (0, 0) => Err("MSB1003: Specify a project or solution file. The current working directory does not contain a project or solution file.".into()),
                (1, 0) => Ok(projs),
                (0, 1) => Ok(from_sln(&slns[0])),
                _ => Err("MSB1011: Specify which project or solution file to use because this folder contains more than one project or solution file.".into()),
            }
        }
    }
}

fn project_name(proj: &str) -> String {
    let b = paths::base(proj);
    b.rsplit_once('.').map_or(b.clone(), |(n, _)| n.to_string())
}

fn restore_project(sh: &mut Shell, proj: &str) {
    let dir = paths::dir(proj);
    let csproj = s(sh.fs.read(proj).unwrap_or_default());
    let refs = csproj.matches("<PackageReference").count() as u64;
    let assets = format!(
        "{{\n  \"version\": 3,\n  \"targets\": {{ \"net8.0\": {{}} }},\n  \"project\": {{ \"restore\": {{ \"projectPath\": \"{proj}\" }}, \"sha256\": \"{}\" }}\n}}\n",
        sha256_hex(csproj.as_bytes())
    );
    let _ = sh.mkdirs(&paths::join(&[&dir, "obj"]));
    let _ = sh.write(
        &paths::join(&[&dir, "obj/project.assets.json"]),
        assets.as_bytes(),
        false,
    );
    let name = project_name(proj);
    let _ = sh.write(
        &paths::join(&[&dir, &format!("obj/{name}.csproj.nuget.g.props")]),
        b"<Project />\n",
        false,
    );
    if refs > 0 {
        let home = sh
            .vars
            .get("HOME")
            .cloned()
            .unwrap_or_else(|| "/root".into());
        sh.put_sized(
            &paths::join(&[&home, ".nuget/packages/.modelled-packages"]),
            &format!("{refs} NuGet packages for {name} (modelled)\n"),
            refs * 4 * MB,
            0o644,
        );
    }
    sh.time(2_500 + refs * 800);
    sh.result.output.push_str(&format!(
        "  Restored {proj} (in {} sec).\n",
        crate::numfmt::fixed(1.2 + refs as f64 * 0.8, 1)
    ));
}

fn dotnet(sh: &mut Shell, args: &[String]) -> Out {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let rest = &args[args.len().min(1)..];
    let with_value: &[&str] = &[
        "-c",
        "--configuration",
        "-o",
        "--output",
        "-r",
        "--runtime",
        "-f",
        "--framework",
        "-p",
        "--property",
        "-v",
        "--verbosity",
        "-a",
        "--arch",
        "--os",
        "-s",
        "--source",
    ];
    match sub {
        "--version" => Out::ok("8.0.404\n"),
        "--info" | "--list-sdks" => {
            Out::ok(".NET SDKs installed:\n  8.0.404 [/usr/share/dotnet/sdk]\n")
        }
        "restore" => {
            sh.result
                .output
                .push_str("  Determining projects to restore...\n");
            let target = operands_skipping(rest, with_value).into_iter().next();
            let projs = match dotnet_projects(sh, target.as_deref()) {
                Ok(p) => p,
                Err(e) => return Out::fail(1, format!("MSBUILD : error {e}")),
            };
            for p in &projs {
                restore_project(sh, p);
            }
            Out::ok(Vec::new())
        }
        "build" | "publish" => {
            let target = operands_skipping(rest, with_value).into_iter().next();
            let projs = match dotnet_projects(sh, target.as_deref()) {
                Ok(p) => p,
                Err(e) => return Out::fail(1, format!("MSBUILD : error {e}")),
            };
            let config =
                opt_value(rest, &["-c", "--configuration"]).unwrap_or_else(|| "Release".into());
            let no_restore = rest.iter().any(|a| a == "--no-restore");
            let output = opt_value(rest, &["-o", "--output"]);
            if !no_restore {
                sh.result
                    .output
                    .push_str("  Determining projects to restore...\n");
                for p in &projs {
                    restore_project(sh, p);
                }
            }
            for proj in &projs {
                let dir = paths::dir(proj);
                let name = project_name(proj);
                let assets = paths::join(&[&dir, "obj/project.assets.json"]);
                if !sh.fs.exists(&assets) {
                    return Out::fail(1, format!(
                        "/usr/share/dotnet/sdk/8.0.404/Sdks/Microsoft.NET.Sdk/targets/Microsoft.PackageDependencyResolution.targets(266,5): error NETSDK1004: Assets file '{assets}' not found. Run a NuGet package restore to generate this file. [{proj}]"
                    ));
                }
                // The compiled output is a digest of the sources: same
                // sources, byte-identical output (the configuration does
                // not enter it, as with the recorded stand-in).
                let mut sources: Vec<(String, Vec<u8>)> = sh
                    .files_under(&dir)
                    .into_iter()
                    .filter(|(rel, _)| {
                        !rel.starts_with("bin/")
                            && !rel.starts_with("obj/")
                            && (rel.ends_with(".cs") || rel.ends_with("proj"))
                    })
                    .collect();
                shared_sort::sort(&mut sources);
                let mut all = Vec::new();
                for (rel, c) in &sources {
                    all.extend_from_slice(rel.as_bytes());
                    all.push(0);
                    all.extend_from_slice(c);
                }
                let digest = sha256_hex(&all);
                let src_bytes: u64 = sources.iter().map(|(_, c)| c.len() as u64).sum();
                let dll =
                    format!("MZ modelled .NET assembly {name}.dll\nsources sha256:{digest}\n");
                let dll_size = 8 * KB + 3 * src_bytes;
                let bin = paths::join(&[&dir, &format!("bin/{config}/net8.0")]);
                sh.put_sized(
                    &paths::join(&[&bin, &format!("{name}.dll")]),
                    &dll,
                    dll_size,
                    0o644,
                );
                let _ = sh.mkdirs(&paths::join(&[&dir, "obj", &config]));
                sh.result
                    .output
                    .push_str(&format!("  {name} -> {bin}/{name}.dll\n"));
                sh.time(6_000 + src_bytes / 50);
                if sub == "publish" {
                    let out = output
                        .as_ref()
                        .map(|o| sh.abs(o))
                        .unwrap_or_else(|| paths::join(&[&bin, "publish"]));
                    if let Err(e) = sh.mkdirs(&out) {
                        return Out::fail(
                            1,
                            format!("error MSB3191: Unable to create directory \"{out}\". {e}"),
                        );
                    }
                    let csproj = sh.fs.read(proj).map(<[u8]>::to_vec).unwrap_or_default();
                    let pdb =
                        format!("modelled portable PDB for {name}\nsources sha256:{digest}\n");
                    sh.put_sized(
                        &paths::join(&[&out, &format!("{name}.dll")]),
                        &dll,
                        dll_size,
                        0o644,
                    );
                    sh.put_sized(
                        &paths::join(&[&out, &format!("{name}.pdb")]),
                        &pdb,
                        4 * KB + src_bytes,
                        0o644,
                    );
                    sh.put_sized(
                        &paths::join(&[&out, &name]),
                        &format!("apphost for {name}\n"),
                        72 * KB,
                        0o755,
                    );
                    let deps = format!("{{\n  \"runtimeTarget\": {{ \"name\": \".NETCoreApp,Version=v8.0\" }},\n  \"project\": \"sha256:{}\"\n}}\n", sha256_hex(&csproj));
                    let _ = sh.write(
                        &paths::join(&[&out, &format!("{name}.deps.json")]),
                        deps.as_bytes(),
                        false,
                    );
                    let rc = "{\n  \"runtimeOptions\": {\n    \"tfm\": \"net8.0\",\n    \"frameworks\": [\n      { \"name\": \"Microsoft.NETCore.App\", \"version\": \"8.0.0\" },\n      { \"name\": \"Microsoft.AspNetCore.App\", \"version\": \"8.0.0\" }\n    ]\n  }\n}\n";
                    let _ = sh.write(
                        &paths::join(&[&out, &format!("{name}.runtimeconfig.json")]),
                        rc.as_bytes(),
                        false,
                    );
                    // Content files: appsettings*.json and wwwroot/**.
                    let content: Vec<(String, Vec<u8>)> = sh
                        .files_under(&dir)
                        .into_iter()
                        .filter(|(rel, _)| {
                            (!rel.contains('/')
                                && rel.starts_with("appsettings")
                                && rel.ends_with(".json"))
                                || rel.starts_with("wwwroot/")
                        })
                        .collect();
                    for (rel, c) in content {
                        let target = paths::join(&[&out, &rel]);
                        let _ = sh.mkdirs(&paths::dir(&target));
                        let _ = sh.write(&target, &c, false);
                    }
                    sh.time(2_000);
                    sh.result.output.push_str(&format!("  {name} -> {out}/\n"));
                }
            }
            Out::ok(Vec::new())
        }
        _ => unknown(sh, &format!("dotnet {sub}")),
    }
}

/// Package sizes (installed bytes) for the package managers; others get
/// the default.
const PACKAGE_SIZES: &[(&str, u64)] = &[
    ("curl", 6 * MB),
    ("wget", 4 * MB),
    ("git", 40 * MB),
    ("ca-certificates", MB),
    ("build-essential", 200 * MB),
    ("build-base", 200 * MB),
    ("python3", 30 * MB),
    ("vim", 35 * MB),
    ("nginx", 3 * MB),
    ("jq", MB),
    ("unzip", 500 * KB),
    ("bash", 2 * MB),
    ("openssl", 5 * MB),
    ("tzdata", 3 * MB),
    ("nodejs", 80 * MB),
    ("npm", 15 * MB),
    ("gcc", 100 * MB),
    ("make", MB),
    ("flask", 2 * MB),
    ("django", 30 * MB),
    ("numpy", 60 * MB),
    ("pandas", 70 * MB),
    ("requests", MB),
    ("fastapi", 3 * MB),
    ("uvicorn", 2 * MB),
    ("gunicorn", MB),
    ("react", 300 * KB),
    ("react-dom", 5 * MB),
    ("express", 2 * MB),
    ("typescript", 22 * MB),
    ("next", 100 * MB),
    ("vite", 10 * MB),
    ("lodash", 5 * MB),
];

fn package_size(name: &str, default: u64) -> u64 {
    let base = name
        .split(['=', '<', '>', '~', '!', '[', '@'])
        .next()
        .unwrap_or(name)
        .to_lowercase();
    PACKAGE_SIZES
        .iter()
        .find(|(n, _)| *n == base)
        .map_or(default, |(_, s)| *s)
}

fn no_network(sh: &Shell, tool: &str, host: &str) -> Option<Out> {
    sh.network_none.then(|| {
        Out::fail(
            if tool == "curl" { 6 } else { 1 },
            format!("{tool}: could not resolve host {host}: the step runs with --network=none"),
        )
    })
}

fn apt(sh: &mut Shell, args: &[String]) -> Out {
    let ops = operands(args);
    let sub = ops.first().map(String::as_str).unwrap_or("");
    let lists = "/var/lib/apt/lists";
    match sub {
        "update" => {
            if let Some(o) = no_network(sh, "apt-get", "deb.debian.org") {
                return o;
            }
            sh.put_sized(
                &format!(
                    "{lists}/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"
                ),
                "Debian package index (modelled)\n",
                18 * MB,
                0o644,
            );
            sh.time(4_000);
            sh.result.output.push_str("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 8943 kB in 2s (4471 kB/s)\nReading package lists...\n");
            Out::ok(Vec::new())
        }
        "install" => {
            if let Some(o) = no_network(sh, "apt-get", "deb.debian.org") {
                return o;
            }
            let pkgs: Vec<String> = ops[1..].to_vec();
            let has_lists = !sh
                .fs
                .children(lists)
                .iter()
                .all(|(n, _)| n == "partial" || n == "lock");
            if !has_lists {
                let p = pkgs.first().cloned().unwrap_or_default();
                return Out::fail(100, format!("Reading package lists...\nBuilding dependency tree...\nE: Unable to locate package {p}\n(the package index is empty: run apt-get update in the same RUN first)"));
            }
            sh.result
                .output
                .push_str("Reading package lists...\nBuilding dependency tree...\n");
            for p in &pkgs {
                let size = package_size(p, 10 * MB);
                sh.put_sized(
                    &format!("/usr/share/{p}/.modelled-package"),
                    &format!("Debian package {p} (modelled)\n"),
                    size,
                    0o644,
                );
                let _ = sh.write(
                    "/var/lib/dpkg/status",
                    format!("Package: {p}\nStatus: install ok installed\n\n").as_bytes(),
                    true,
                );
                sh.put_sized(
                    &format!("/usr/bin/{p}"),
                    &format!("{p} (modelled binary)\n"),
                    100 * KB,
                    0o755,
                );
                sh.time(1_500 + size / (5 * MB) * 500);
            }
            sh.result
                .output
                .push_str(&format!("{} newly installed.\n", pkgs.len()));
            Out::ok(Vec::new())
        }
        "clean" | "autoclean" | "autoremove" => Out::ok(Vec::new()),
        "upgrade" | "dist-upgrade" => {
            sh.time(10_000);
            sh.estimate(
                "apt-get upgrade is estimated: upgraded files are not modelled (~20 MB)".into(),
                20 * MB,
            );
            Out::ok(Vec::new())
        }
        _ => unknown(sh, "apt-get"),
    }
}

fn apk(sh: &mut Shell, args: &[String]) -> Out {
    let ops = operands(args);
    let sub = ops.first().map(String::as_str).unwrap_or("");
    let no_cache = args.iter().any(|a| a == "--no-cache");
    let update = args.iter().any(|a| a == "--update" || a == "-U");
    let index = |sh: &mut Shell| {
        sh.put_sized(
            "/var/cache/apk/APKINDEX.main.tar.gz",
            "Alpine package index (modelled)\n",
            1_300 * KB,
            0o644,
        );
        sh.put_sized(
            "/var/cache/apk/APKINDEX.community.tar.gz",
            "Alpine package index (modelled)\n",
            900 * KB,
            0o644,
        );
    };
    match sub {
        "update" => {
            if let Some(o) = no_network(sh, "apk", "dl-cdn.alpinelinux.org") {
                return o;
            }
            index(sh);
            sh.time(1_500);
            sh.result.output.push_str("fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz\nOK: 24174 distinct packages available\n");
            Out::ok(Vec::new())
        }
        "add" => {
            if let Some(o) = no_network(sh, "apk", "dl-cdn.alpinelinux.org") {
                return o;
            }
            if !no_cache || update {
                index(sh);
            }
            let pkgs: Vec<String> = ops[1..].to_vec();
            for (i, p) in pkgs.iter().enumerate() {
                let size = package_size(p, 3 * MB);
                sh.put_sized(
                    &format!("/usr/share/{p}/.modelled-package"),
                    &format!("Alpine package {p} (modelled)\n"),
                    size,
                    0o644,
                );
                sh.put_sized(
                    &format!("/usr/bin/{p}"),
                    &format!("{p} (modelled binary)\n"),
                    100 * KB,
                    0o755,
                );
                let _ = sh.write("/lib/apk/db/installed", format!("P:{p}\n").as_bytes(), true);
                sh.result
                    .output
                    .push_str(&format!("({}/{}) Installing {p}\n", i + 1, pkgs.len()));
                sh.time(700 + size / (5 * MB) * 300);
            }
            sh.result.output.push_str("OK: modelled\n");
            Out::ok(Vec::new())
        }
        "del" => {
            for p in &ops[1..] {
                let _ = sh.fs.remove(&format!("/usr/share/{p}"), true);
                let _ = sh.fs.remove(&format!("/usr/bin/{p}"), false);
            }
            Out::ok(Vec::new())
        }
        _ => unknown(sh, "apk"),
    }
}

fn pip(sh: &mut Shell, args: &[String]) -> Out {
    let ops = operands_skipping(
        args,
        &[
            "-r",
            "--requirement",
            "-c",
            "--constraint",
            "-t",
            "--target",
            "-i",
            "--index-url",
        ],
    );
    if ops.first().map(String::as_str) != Some("install") {
        return unknown(sh, "pip");
    }
    if let Some(o) = no_network(sh, "pip", "pypi.org") {
        return o;
    }
    let mut pkgs: Vec<String> = ops[1..].iter().filter(|p| *p != ".").cloned().collect();
    if let Some(req) = opt_value(args, &["-r", "--requirement"]) {
        match sh.fs.read(&sh.abs(&req)) {
            Ok(b) => pkgs.extend(
                s(b).lines()
                    .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
                    .filter(|l| !l.is_empty() && !l.starts_with('-')),
            ),
            Err(_) => {
                return Out::fail(1, format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{req}'"))
            }
        }
    }
    let site = "/usr/local/lib/python3.12/site-packages";
    let mut total = 0;
    for p in &pkgs {
        let name = p
            .split(['=', '<', '>', '~', '!', '['])
            .next()
            .unwrap_or(p)
            .to_lowercase();
        let size = package_size(&name, 5 * MB);
        total += size;
        sh.put_sized(
            &format!("{site}/{name}/__init__.py"),
            &format!("# {p} (modelled)\n"),
            size,
            0o644,
        );
        sh.time(800 + size / MB * 50);
    }
    if !args.iter().any(|a| a == "--no-cache-dir") && total > 0 {
        let home = sh
            .vars
            .get("HOME")
            .cloned()
            .unwrap_or_else(|| "/root".into());
        sh.put_sized(
            &format!("{home}/.cache/pip/.modelled-wheels"),
            "pip wheel cache (modelled)\n",
            total / 2,
            0o644,
        );
    }
    sh.result
        .output
        .push_str(&format!("Successfully installed {}\n", pkgs.join(" ")));
    Out::ok(Vec::new())
}

fn json_deps(text: &str, section: &str) -> Vec<String> {
    // `from_slice`, not `from_str`: the wasm then holds one copy of
    // serde_json's parser (the share links read bytes).
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(text.as_bytes()) else {
        return Vec::new();
    };
    v.get(section)
        .and_then(|d| d.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn npm(sh: &mut Shell, tool: &str, args: &[String]) -> Out {
    let ops = operands(args);
    let sub = ops
        .first()
        .map(String::as_str)
        .unwrap_or(if tool == "yarn" { "install" } else { "" });
    let pkg_json = s(sh.fs.read(&sh.abs("package.json")).unwrap_or_default());
    match sub {
        "install" | "i" | "ci" | "add" => {
            if let Some(o) = no_network(sh, tool, "registry.npmjs.org") {
                return o;
            }
            if pkg_json.is_empty() && ops.len() <= 1 {
                return Out::fail(254, format!("npm error code ENOENT\nnpm error path {}/package.json\nnpm error enoent Could not read package.json", sh.cwd));
            }
            let mut deps = json_deps(&pkg_json, "dependencies");
            let prod = args
                .iter()
                .any(|a| a == "--production" || a == "--omit=dev" || a == "--only=production");
            if !prod {
                deps.extend(json_deps(&pkg_json, "devDependencies"));
            }
            deps.extend(ops.iter().skip(1).cloned());
            for d in &deps {
                let size = package_size(d, 3 * MB);
                sh.put_sized(
                    &format!("node_modules/{d}/index.js"),
                    &format!("// {d} (modelled)\n"),
                    size,
                    0o644,
                );
                sh.time(300 + size / MB * 30);
            }
            if sub != "ci" && !sh.fs.exists(&sh.abs("package-lock.json")) && tool == "npm" {
                let _ = sh.write(
                    "package-lock.json",
                    b"{\n  \"lockfileVersion\": 3\n}\n",
                    false,
                );
            }
            let home = sh
                .vars
                .get("HOME")
                .cloned()
                .unwrap_or_else(|| "/root".into());
            if !deps.is_empty() {
                sh.put_sized(
                    &format!("{home}/.npm/_cacache/.modelled"),
                    "npm cache (modelled)\n",
                    deps.len() as u64 * MB,
                    0o644,
                );
            }
            sh.time(2_000);
            sh.result.output.push_str(&format!(
                "\nadded {} packages in {}s\n",
                deps.len(),
                2 + deps.len() / 10
            ));
            Out::ok(Vec::new())
        }
        "run" | "build" => {
            let script = if sub == "build" {
                "build"
            } else {
                ops.get(1).map(String::as_str).unwrap_or("")
            };
            if script != "build" {
                return unknown(sh, &format!("{tool} run {script}"));
            }
            // A bundle that is a digest of the sources.
            let mut src: Vec<(String, Vec<u8>)> = sh
                .files_under(".")
                .into_iter()
                .filter(|(r, _)| {
                    !r.starts_with("node_modules/")
                        && !r.starts_with("dist/")
                        && !r.starts_with("build/")
                })
                .collect();
            shared_sort::sort(&mut src);
            let mut all = Vec::new();
            let mut bytes = 0u64;
            for (r, c) in &src {
                all.extend_from_slice(r.as_bytes());
                all.extend_from_slice(c);
                bytes += c.len() as u64;
            }
            let digest = sha256_hex(&all);
            sh.put_sized(
                "dist/assets/index.js",
                &format!("// bundle of sources sha256:{digest}\n"),
                50 * KB + bytes,
                0o644,
            );
            let _ = sh.write(
                "dist/index.html",
                format!(
                    "<!doctype html><script src=\"/assets/index.js?v={}\"></script>\n",
                    &digest[..8]
                )
                .as_bytes(),
                false,
            );
            sh.time(8_000);
            sh.result
                .output
                .push_str("\n> build\n\nbuilt dist/ (modelled)\n");
            Out::ok(Vec::new())
        }
        _ => unknown(sh, &format!("{tool} {sub}")),
    }
}

fn go(sh: &mut Shell, args: &[String]) -> Out {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let gomod = s(sh.fs.read(&sh.abs("go.mod")).unwrap_or_default());
    let requires = gomod
        .lines()
        .filter(|l| {
            l.trim_start()
                .starts_with(|c: char| c.is_ascii_alphabetic())
                && l.contains(" v")
        })
        .count() as u64;
    match sub {
        "mod" if args.get(1).is_some_and(|a| a == "download") => {
            if let Some(o) = no_network(sh, "go", "proxy.golang.org") {
                return o;
            }
            sh.put_sized(
                "/go/pkg/mod/cache/download/.modelled",
                "Go module cache (modelled)\n",
                requires.max(1) * 6 * MB,
                0o644,
            );
            sh.time(2_000 + requires * 400);
            Out::ok(Vec::new())
        }
        "build" | "install" => {
            let mut files: Vec<(String, Vec<u8>)> = sh
                .files_under(".")
                .into_iter()
                .filter(|(r, _)| r.ends_with(".go") || r == "go.mod" || r == "go.sum")
                .collect();
            if files.is_empty() {
                return Out::fail(1, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'");
            }
            shared_sort::sort(&mut files);
            let mut all = Vec::new();
            for (r, c) in &files {
                all.extend_from_slice(r.as_bytes());
                all.extend_from_slice(c);
            }
            let module = gomod
                .lines()
                .find_map(|l| l.strip_prefix("module "))
                .map(|m| m.trim().rsplit('/').next().unwrap_or("app").to_string())
                .unwrap_or_else(|| paths::base(&sh.cwd));
            let out = opt_value(args, &["-o"]).unwrap_or_else(|| {
                if sub == "install" {
                    format!("/go/bin/{module}")
                } else {
                    module.clone()
                }
            });
            let out = if sh.fs.is_dir(&sh.abs(&out)) {
                paths::join(&[&out, &module])
            } else {
                out
            };
            sh.put_sized(
                &out,
                &format!(
                    "\x7fELF modelled Go binary\nsources sha256:{}\n",
                    sha256_hex(&all)
                ),
                7 * MB,
                0o755,
            );
            let home = sh
                .vars
                .get("HOME")
                .cloned()
                .unwrap_or_else(|| "/root".into());
            sh.put_sized(
                &format!("{home}/.cache/go-build/.modelled"),
                "Go build cache (modelled)\n",
                30 * MB,
                0o644,
            );
            sh.time(8_000 + files.len() as u64 * 100);
            Out::ok(Vec::new())
        }
        "version" => Out::ok("go version go1.22.10 linux/amd64\n"),
        _ => unknown(sh, &format!("go {sub}")),
    }
}

fn cargo(sh: &mut Shell, args: &[String]) -> Out {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let manifest = s(sh.fs.read(&sh.abs("Cargo.toml")).unwrap_or_default());
    if manifest.is_empty() && sub != "--version" {
        return Out::fail(
            101,
            format!(
                "error: could not find `Cargo.toml` in `{}` or any parent directory",
                sh.cwd
            ),
        );
    }
    let name = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("name"))
        .and_then(|r| r.split('"').nth(1))
        .unwrap_or("app")
        .to_string();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .map(|d| {
            d.lines()
                .take_while(|l| !l.starts_with('['))
                .filter(|l| l.contains('='))
                .count() as u64
        })
        .unwrap_or(0);
    match sub {
        "build" | "install" => {
            let release = args.iter().any(|a| a == "--release" || a == "-r") || sub == "install";
            let mut files: Vec<(String, Vec<u8>)> = sh
                .files_under(".")
                .into_iter()
                .filter(|(r, _)| {
                    !r.starts_with("target/") && (r.ends_with(".rs") || r.starts_with("Cargo."))
                })
                .collect();
            shared_sort::sort(&mut files);
            let mut all = Vec::new();
            for (r, c) in &files {
                all.extend_from_slice(r.as_bytes());
                all.extend_from_slice(c);
            }
            let profile = if release { "release" } else { "debug" };
            sh.put_sized(
                &format!("target/{profile}/{name}"),
                &format!(
                    "\x7fELF modelled Rust binary\nsources sha256:{}\n",
                    sha256_hex(&all)
                ),
                if release { 4 * MB } else { 20 * MB },
                0o755,
            );
            sh.put_sized(
                &format!("target/{profile}/deps/.modelled"),
                "compiled dependencies (modelled)\n",
                deps * 8 * MB + 2 * MB,
                0o644,
            );
            if deps > 0 {
                sh.put_sized(
                    "/usr/local/cargo/registry/.modelled",
                    "crates.io registry cache (modelled)\n",
                    deps * 2 * MB,
                    0o644,
                );
            }
            sh.time(20_000 + deps * 4_000);
            sh.result.output.push_str(&format!(
                "   Compiling {name} v0.1.0 ({})\n    Finished `{profile}` profile target(s)\n",
                sh.cwd
            ));
            Out::ok(Vec::new())
        }
        "fetch" => {
            sh.put_sized(
                "/usr/local/cargo/registry/.modelled",
                "crates.io registry cache (modelled)\n",
                deps.max(1) * 2 * MB,
                0o644,
            );
            sh.time(3_000);
            Out::ok(Vec::new())
        }
        _ => unknown(sh, &format!("cargo {sub}")),
    }
}

fn download(sh: &mut Shell, tool: &str, args: &[String]) -> Out {
    let url = args
        .iter()
        .find(|a| a.starts_with("http://") || a.starts_with("https://") || a.starts_with("ftp://"))
        .cloned()
        .unwrap_or_default();
    let host = url.split('/').nth(2).unwrap_or("host").to_string();
    if let Some(o) = no_network(sh, tool, &host) {
        return o;
    }
    let out = if tool == "curl" {
        opt_value(args, &["-o", "--output"]).or_else(|| {
            args.iter()
                .any(|a| {
                    a == "-O"
                        || a == "--remote-name"
                        || (a.starts_with('-') && !a.starts_with("--") && a.contains('O'))
                })
                .then(|| paths::base(&url))
        })
    } else {
        opt_value(args, &["-O", "--output-document"]).or_else(|| Some(paths::base(&url)))
    };
    let content = format!("modelled download of {url}\n");
    sh.time(1_500);
    sh.estimate(
        format!(
            "{tool} {url}: the download is modelled (no network); its size (~1 MB) is an estimate"
        ),
        0,
    );
    match out {
        Some(o) if o != "-" => {
            sh.put_sized(&o, &content, MB, 0o644);
            Out::ok(Vec::new())
        }
        _ => Out::ok(content),
    }
}

#[cfg(test)]
mod tests {
    use crate::filesystem::{Fs, Node};
    use crate::shell::{exec, ExecEnv};

    /// `human_size` as written over `format!`: the oracle for the one
    /// over `numfmt`.
    fn human_size_std(b: u64) -> String {
        const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        let mut v = b as f64;
        let mut u = 0;
        while v >= 1000.0 && u + 1 < UNITS.len() {
            v /= 1000.0;
            u += 1;
        }
        if v == 0.0 {
            return "0B".to_string();
        }
        let digits = v.abs().log10().floor() as i32;
        let decimals = (3 - digits).max(0) as usize;
        let mut t = format!("{v:.decimals$}");
        if t.contains('.') {
            t = t.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        format!("{t}{}", UNITS[u])
    }

    #[test]
    fn human_size_matches_std_formatting() {
        let mut sizes: Vec<u64> = (0..20_000).collect();
        // One byte around each halfway point after 1 to 4 significant
        // digits in every unit (`999.95kB`, `1.0005MB`).
        for k in 0..7u32 {
            let unit = 1000u128.pow(k);
            for n in (0..20_000u128).filter(|n| n % 89 == 0 || n % 1000 >= 990 || n % 100 >= 98) {
                for j in 0..4u32 {
                    let t = (2 * n + 1) * unit / (2 * 10u128.pow(j));
                    let t = u64::try_from(t).unwrap_or(u64::MAX);
                    sizes.extend([t.saturating_sub(1), t, t.saturating_add(1)]);
                }
            }
        }
        let mut r = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            sizes.push(r >> (r % 64));
        }
        sizes.push(u64::MAX);
        for b in sizes {
            assert_eq!(super::human_size(b), human_size_std(b), "{b}");
        }
    }

    fn run(fs: &mut Fs, cwd: &str, script: &str) -> crate::shell::ExecResult {
        let env = ExecEnv {
            env: vec![(
                "PATH".into(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            )],
            cwd: cwd.into(),
            uid: 0,
            gid: 0,
            user: "root".into(),
            network_none: false,
        };
        exec(fs, &["/bin/sh".into(), "-c".into(), script.into()], &env)
    }

    fn image(name: &str) -> Fs {
        crate::catalog::resolve(name)
            .map(|i| i.filesystem())
            .unwrap_or_default()
    }

    fn project() -> Fs {
        let mut fs = image("mcr.microsoft.com/dotnet/sdk:8.0");
        fs.put("/source/aspnetapp.sln", Node::file("Project(\"{FAE04EC0}\") = \"aspnetapp\", \"aspnetapp\\aspnetapp.csproj\", \"{1}\"\nEndProject\n", 0o644));
        fs.put(
            "/source/aspnetapp/aspnetapp.csproj",
            Node::file("<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n", 0o644),
        );
        fs.put(
            "/source/aspnetapp/Program.cs",
            Node::file("app.Run();\n", 0o644),
        );
        fs.put(
            "/source/aspnetapp/appsettings.json",
            Node::file("{}\n", 0o644),
        );
        fs
    }

    #[test]
    fn dotnet_restore_then_publish() {
        let mut fs = project();
        let r = run(
            &mut fs,
            "/source",
            "dotnet restore aspnetapp/aspnetapp.csproj",
        );
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert!(fs.exists("/source/aspnetapp/obj/project.assets.json"));
        let r = run(
            &mut fs,
            "/source/aspnetapp",
            "dotnet publish -c Release -o /app --no-restore",
        );
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert!(fs.exists("/app/aspnetapp.dll") && fs.exists("/app/appsettings.json"));
        // Same sources, other configuration: identical /app.
        let before = fs.checksum("/app");
        let r = run(
            &mut fs,
            "/source/aspnetapp",
            "dotnet publish -c Debug -o /app --no-restore",
        );
        assert_eq!(r.exit_code, 0);
        assert_eq!(before, fs.checksum("/app"));
        // A source edit changes the DLL.
        fs.put(
            "/source/aspnetapp/Program.cs",
            Node::file("app.Run(); // v2\n", 0o644),
        );
        run(
            &mut fs,
            "/source/aspnetapp",
            "dotnet publish -c Release -o /app --no-restore",
        );
        assert_ne!(before, fs.checksum("/app"));
    }

    #[test]
    fn dotnet_restore_from_the_solution_and_missing_assets() {
        let mut fs = project();
        let r = run(&mut fs, "/source", "dotnet restore");
        assert_eq!(r.exit_code, 0, "{r:?}");
        let mut fs = project();
        let r = run(
            &mut fs,
            "/source/aspnetapp",
            "dotnet publish -o /app --no-restore",
        );
        assert_eq!(r.exit_code, 1);
        assert!(r.output.contains("NETSDK1004"));
    }

    #[test]
    fn coreutils() {
        let mut fs = image("alpine:3.20");
        let r = run(&mut fs, "/", "mkdir -p /a/b && touch /a/b/c && cp -r /a /d && mv /d/b/c /d/x && ln -s /d/x /l && chmod 755 /d/x && ls /d");
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert_eq!(r.output, "b\nx\n");
        assert_eq!(fs.get("/d/x").map(|n| n.mode), Some(0o755));
        let r = run(&mut fs, "/", "ls -R /a");
        assert_eq!(r.output, "/a:\nb\n\n/a/b:\nc\n");
        let r = run(&mut fs, "/", "rm -rf /a && test -e /a || echo gone");
        assert_eq!(r.output, "gone\n");
        let r = run(&mut fs, "/", "printf '%s-%s\\n' a b c d");
        assert_eq!(r.output, "a-b\nc-d\n");
    }

    #[test]
    fn sizes_like_docker() {
        use super::human_size;
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(507), "507B");
        assert_eq!(human_size(2823), "2.823kB");
        assert_eq!(human_size(7_800_000), "7.8MB");
        assert_eq!(human_size(913_000_000), "913MB");
        assert_eq!(human_size(185_085_896), "185.1MB");
        assert_eq!(human_size(1_000), "1kB");
    }

    #[test]
    fn unknown_commands_are_estimates() {
        let mut fs = image("alpine:3.20");
        let r = run(&mut fs, "/", "make all");
        assert_eq!(r.exit_code, 127, "not installed: {r:?}");
        let r = run(&mut fs, "/", "apk add make && make all");
        assert_eq!(r.exit_code, 0);
        assert!(r.opaque && r.estimated_bytes > 0 && r.estimates[0].contains("make"));
    }

    #[test]
    fn accounts_and_apt() {
        let mut fs = image("debian:bookworm-slim");
        let r = run(
            &mut fs,
            "/",
            "addgroup -S app && adduser -S -G app app && id",
        );
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert!(crate::copy::resolve_user(&fs, "app").is_ok());
        let r = run(&mut fs, "/", "apt-get install -y curl");
        assert_eq!(r.exit_code, 100);
        let r = run(
            &mut fs,
            "/",
            "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        );
        assert_eq!(r.exit_code, 0, "{r:?}");
        assert!(fs.exists("/usr/bin/curl"));
    }
}
