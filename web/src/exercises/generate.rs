//! Writes `builtin.rs`: the built-in exercises as Rust values (without
//! their reference solutions, which the page does not show), so that the
//! page does not carry a TOML reader. The TOML files stay the source; the
//! test `builtin_rs_matches_the_toml_files` checks the two agree, and
//! `LAYERLAB_REGENERATE=1 cargo test -p layerlab-web builtin_rs` rewrites
//! the file.

use std::collections::BTreeMap;
use std::fmt::Write;

use layerlab_engine::exercise::{
    BuildSettings, Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf, Exercise, FileSet,
};

/// The text of `builtin.rs` for `exercises`.
pub fn builtin_rs(exercises: &[Exercise]) -> String {
    let mut out = String::new();
    out.push_str(
        "//! The built-in exercises (`static/exercises/*.toml`) as values.\n\
         //!\n\
         //! @generated from the TOML files by `LAYERLAB_REGENERATE=1 cargo test -p\n\
         //! layerlab-web builtin_rs`; do not edit. A test checks that these values\n\
         //! equal what the engine reads from the files (but the reference\n\
         //! solutions, which the page does not show).\n\
         \n\
         use std::collections::BTreeMap;\n\
         \n\
         #[allow(unused_imports)]\n\
         use layerlab_engine::exercise::{\n    \
         BuildSettings, Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf, Exercise, FileSet,\n\
         };\n\
         use layerlab_engine::shared_sort;\n\
         \n\
         // Not inlined: each value is then a call, not a copy loop (size).\n\
         #[inline(never)]\n\
         fn s(v: &str) -> String {\n    v.to_owned()\n}\n\
         \n\
         #[inline(never)]\n\
         fn l(v: &[&str]) -> Vec<String> {\n    v.iter().map(|x| (*x).to_owned()).collect()\n}\n\
         \n\
         #[inline(never)]\n\
         fn m(v: &[(&str, &str)]) -> BTreeMap<String, String> {\n    \
         // Inserted, not collected: see layerlab_engine::shared_sort.\n    \
         shared_sort::collect_by_insert(v.iter().map(|(k, x)| ((*k).to_owned(), (*x).to_owned())))\n\
         }\n\
         \n\
         /// The built-in exercises, in file-name order.\n\
         #[rustfmt::skip]\n\
         pub fn exercises() -> Vec<Exercise> {\n    \
         vec![\n",
    );
    for e in exercises {
        exercise(&mut out, e);
    }
    out.push_str("    ]\n}\n");
    out
}

fn exercise(out: &mut String, e: &Exercise) {
    let _ = writeln!(out, "        Exercise {{");
    let _ = writeln!(out, "            id: s({}),", lit(&e.id));
    let _ = writeln!(out, "            title: s({}),", lit(&e.title));
    let _ = writeln!(out, "            summary: {},", opt(&e.summary));
    let _ = writeln!(out, "            difficulty: {},", opt(&e.difficulty));
    let _ = writeln!(out, "            tags: {},", list(&e.tags));
    let _ = writeln!(
        out,
        "            instructions: s({}),",
        lit(&e.instructions)
    );
    let _ = writeln!(out, "            hints: {},", list(&e.hints));
    let _ = writeln!(out, "            start: {},", file_set(&e.start));
    let _ = writeln!(out, "            dockerfile: s({}),", lit(&e.dockerfile));
    let _ = writeln!(out, "            build: {},", build(&e.build));
    let _ = writeln!(out, "            checks: vec![");
    for c in &e.checks {
        let _ = writeln!(out, "                {},", check_spec(c));
    }
    let _ = writeln!(out, "            ],");
    // The page does not show reference solutions: they stay in the TOML.
    let _ = writeln!(out, "            solution: None,");
    let _ = writeln!(out, "        }},");
}

/// A string literal: raw (and multi-line) when that is possible.
fn lit(v: &str) -> String {
    if v.contains('\n') && !v.contains('\r') {
        let mut hashes = String::from("#");
        while v.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        format!("r{hashes}\"{v}\"{hashes}")
    } else {
        format!("{v:?}")
    }
}

fn opt(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("Some(s({}))", lit(v)),
        None => "None".to_owned(),
    }
}

fn list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|x| lit(x)).collect();
    format!("l(&[{}])", items.join(", "))
}

fn map(v: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|(k, x)| format!("({}, {})", lit(k), lit(x)))
        .collect();
    format!("m(&[{}])", items.join(", "))
}

fn file_set(f: &FileSet) -> String {
    format!(
        "FileSet {{ sample: {}, files: {}, remove: {} }}",
        opt(&f.sample),
        map(&f.files),
        list(&f.remove)
    )
}

fn build(b: &BuildSettings) -> String {
    format!(
        "BuildSettings {{ tags: {}, target: {}, build_args: {} }}",
        list(&b.tags),
        opt(&b.target),
        map(&b.build_args)
    )
}

fn check_spec(c: &CheckSpec) -> String {
    format!(
        "CheckSpec {{ name: {}, target: {}, check: {}, line: {} }}",
        opt(&c.name),
        opt(&c.target),
        check(&c.check),
        c.line
    )
}

fn range(r: &CountRange) -> String {
    let n = |v: Option<u64>| v.map_or("None".to_owned(), |v| format!("Some({v})"));
    format!("CountRange {{ min: {}, max: {} }}", n(r.min), n(r.max))
}

fn numbers<T: std::fmt::Display>(v: &[T]) -> String {
    let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("vec![{}]", items.join(", "))
}

fn edit(e: &Edit) -> String {
    let action = match &e.action {
        EditAction::Append(t) => format!("EditAction::Append(s({}))", lit(t)),
        EditAction::Prepend(t) => format!("EditAction::Prepend(s({}))", lit(t)),
        EditAction::Content(t) => format!("EditAction::Content(s({}))", lit(t)),
        EditAction::Replace { from, to } => format!(
            "EditAction::Replace {{ from: s({}), to: s({}) }}",
            lit(from),
            lit(to)
        ),
        EditAction::Delete => "EditAction::Delete".to_owned(),
    };
    format!("Edit {{ file: s({}), action: {action} }}", lit(&e.file))
}

fn check(c: &Check) -> String {
    match c {
        Check::Builds => "Check::Builds".to_owned(),
        Check::Cache {
            edits,
            cached,
            not_cached,
        } => {
            let edits: Vec<String> = edits.iter().map(edit).collect();
            format!(
                "Check::Cache {{ edits: vec![{}], cached: {}, not_cached: {} }}",
                edits.join(", "),
                list(cached),
                list(not_cached)
            )
        }
        Check::ImageSize { min, max } => {
            let n = |v: &Option<u64>| v.map_or("None".to_owned(), |v| format!("Some({v})"));
            format!("Check::ImageSize {{ min: {}, max: {} }}", n(min), n(max))
        }
        Check::Files { present, absent } => format!(
            "Check::Files {{ present: {}, absent: {} }}",
            list(present),
            list(absent)
        ),
        Check::BaseImages { present, absent } => format!(
            "Check::BaseImages {{ present: {}, absent: {} }}",
            list(present),
            list(absent)
        ),
        Check::NonRoot => "Check::NonRoot".to_owned(),
        Check::ExecForm { instruction } => {
            let i = match instruction {
                ExecFormOf::Entrypoint => "ExecFormOf::Entrypoint",
                ExecFormOf::Cmd => "ExecFormOf::Cmd",
            };
            format!("Check::ExecForm {{ instruction: {i} }}")
        }
        Check::Exposes { ports } => format!("Check::Exposes {{ ports: {} }}", list(ports)),
        Check::Healthcheck => "Check::Healthcheck".to_owned(),
        Check::Env { name, value } => format!(
            "Check::Env {{ name: s({}), value: {} }}",
            lit(name),
            opt(value)
        ),
        Check::Workdir { path } => format!("Check::Workdir {{ path: s({}) }}", lit(path)),
        Check::Lint { ignore, rules } => format!(
            "Check::Lint {{ ignore: {}, rules: {} }}",
            list(ignore),
            list(rules)
        ),
        Check::Run {
            args,
            argv,
            answers_on,
            listening,
        } => {
            let argv = argv
                .as_ref()
                .map_or("None".to_owned(), |a| format!("Some({})", list(a)));
            format!(
                "Check::Run {{ args: {}, argv: {argv}, answers_on: {}, listening: {} }}",
                list(args),
                numbers(answers_on),
                numbers(listening)
            )
        }
        Check::StageCount(r) => format!("Check::StageCount({})", range(r)),
        Check::LayerCount { range: r, own_only } => format!(
            "Check::LayerCount {{ range: {}, own_only: {own_only} }}",
            range(r)
        ),
    }
}
