//! Writes `builtin.rs`: the built-in exercises (without their reference
//! solutions, which the page does not show) as data that
//! [`super::reader`] turns back into values, so that the page carries
//! neither a TOML reader nor code per exercise. The TOML files stay the
//! source; the test `builtin_rs_matches_the_toml_files` checks the two
//! agree, and `LAYERLAB_REGENERATE=1 cargo test -p layerlab-web builtin_rs`
//! rewrites the file.
//!
//! The encoding is the reader's, step by step: every string (numbers in
//! decimal) goes to one text, each followed by a NUL; every count (a
//! list's length, 0 or 1 for an option, a variant's number, a flag) is
//! one byte of the shape. A string repeated is written again (gzip makes
//! the copy cheap; back references made the gzipped wasm larger).

use std::collections::BTreeMap;
use std::fmt::Write;

use layerlab_engine::exercise::{
    BuildSettings, Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf, Exercise, FileSet,
};

/// The exercises encoded: their strings, in reading order, and the shape.
#[derive(Debug, Default)]
pub struct Encoded {
    /// Every string, in the order the reader takes them.
    pub strings: Vec<String>,
    /// Every count, in the order the reader takes them.
    pub shape: Vec<u8>,
}

impl Encoded {
    /// The strings as the reader takes them: each followed by a NUL.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.strings {
            out.push_str(s);
            out.push('\0');
        }
        out
    }

    fn count(&mut self, n: usize) {
        self.shape
            .push(u8::try_from(n).expect("a count of at most 255 (the shape is bytes)"));
    }

    fn s(&mut self, v: &str) {
        assert!(!v.contains('\0'), "no NUL in an exercise's text: {v:?}");
        self.strings.push(v.to_owned());
    }

    fn num(&mut self, v: u64) {
        self.s(&v.to_string());
    }

    fn opt(&mut self, v: &Option<String>) {
        self.count(usize::from(v.is_some()));
        if let Some(v) = v {
            self.s(v);
        }
    }

    fn opt_num(&mut self, v: Option<u64>) {
        self.count(usize::from(v.is_some()));
        if let Some(v) = v {
            self.num(v);
        }
    }

    fn list(&mut self, v: &[String]) {
        self.count(v.len());
        for x in v {
            self.s(x);
        }
    }

    fn ports(&mut self, v: &[u16]) {
        self.count(v.len());
        for x in v {
            self.num(u64::from(*x));
        }
    }

    fn map(&mut self, v: &BTreeMap<String, String>) {
        self.count(v.len());
        for (k, x) in v {
            self.s(k);
            self.s(x);
        }
    }

    fn file_set(&mut self, f: &FileSet) {
        self.opt(&f.sample);
        self.map(&f.files);
        self.list(&f.remove);
    }

    fn build(&mut self, b: &BuildSettings) {
        self.list(&b.tags);
        self.opt(&b.target);
        self.map(&b.build_args);
    }

    fn range(&mut self, r: &CountRange) {
        self.opt_num(r.min);
        self.opt_num(r.max);
    }

    fn edit(&mut self, e: &Edit) {
        self.s(&e.file);
        match &e.action {
            EditAction::Append(t) => {
                self.count(0);
                self.s(t);
            }
            EditAction::Prepend(t) => {
                self.count(1);
                self.s(t);
            }
            EditAction::Content(t) => {
                self.count(2);
                self.s(t);
            }
            EditAction::Replace { from, to } => {
                self.count(3);
                self.s(from);
                self.s(to);
            }
            EditAction::Delete => self.count(4),
        }
    }

    fn check(&mut self, c: &Check) {
        match c {
            Check::Builds => self.count(0),
            Check::Cache {
                edits,
                cached,
                not_cached,
            } => {
                self.count(1);
                self.count(edits.len());
                for e in edits {
                    self.edit(e);
                }
                self.list(cached);
                self.list(not_cached);
            }
            Check::ImageSize { min, max } => {
                self.count(2);
                self.opt_num(*min);
                self.opt_num(*max);
            }
            Check::Files { present, absent } => {
                self.count(3);
                self.list(present);
                self.list(absent);
            }
            Check::BaseImages { present, absent } => {
                self.count(4);
                self.list(present);
                self.list(absent);
            }
            Check::NonRoot => self.count(5),
            Check::ExecForm { instruction } => {
                self.count(6);
                self.count(match instruction {
                    ExecFormOf::Entrypoint => 0,
                    ExecFormOf::Cmd => 1,
                });
            }
            Check::Exposes { ports } => {
                self.count(7);
                self.list(ports);
            }
            Check::Healthcheck => self.count(8),
            Check::Env { name, value } => {
                self.count(9);
                self.s(name);
                self.opt(value);
            }
            Check::Workdir { path } => {
                self.count(10);
                self.s(path);
            }
            Check::Lint { ignore, rules } => {
                self.count(11);
                self.list(ignore);
                self.list(rules);
            }
            Check::Run {
                args,
                argv,
                answers_on,
                listening,
            } => {
                self.count(12);
                self.list(args);
                self.count(usize::from(argv.is_some()));
                if let Some(argv) = argv {
                    self.list(argv);
                }
                self.ports(answers_on);
                self.ports(listening);
            }
            Check::StageCount(r) => {
                self.count(13);
                self.range(r);
            }
            Check::LayerCount { range, own_only } => {
                self.count(14);
                self.range(range);
                self.count(usize::from(*own_only));
            }
        }
    }

    fn check_spec(&mut self, c: &CheckSpec) {
        self.opt(&c.name);
        self.opt(&c.target);
        self.check(&c.check);
        self.num(c.line as u64);
    }

    /// Adds one exercise (its reference solution left out).
    pub fn exercise(&mut self, e: &Exercise) {
        self.s(&e.id);
        self.s(&e.title);
        self.opt(&e.summary);
        self.opt(&e.difficulty);
        self.list(&e.tags);
        self.s(&e.instructions);
        self.list(&e.hints);
        self.file_set(&e.start);
        self.s(&e.dockerfile);
        self.build(&e.build);
        self.count(e.checks.len());
        for c in &e.checks {
            self.check_spec(c);
        }
    }
}

/// `exercises` encoded, their number first.
pub fn encode(exercises: &[Exercise]) -> Encoded {
    let mut enc = Encoded::default();
    enc.count(exercises.len());
    for e in exercises {
        enc.exercise(e);
    }
    enc
}

/// The text of `builtin.rs` for `exercises`.
pub fn builtin_rs(exercises: &[Exercise]) -> String {
    let enc = encode(exercises);
    let mut out = String::new();
    out.push_str(
        "//! The built-in exercises (`static/exercises/*.toml`) as data, read by\n\
         //! `super::reader` (the reference solutions, which the page does not\n\
         //! show, are left out).\n\
         //!\n\
         //! @generated from the TOML files by `LAYERLAB_REGENERATE=1 cargo test -p\n\
         //! layerlab-web builtin_rs`; do not edit. A test checks that the values\n\
         //! read equal what the engine reads from the files.\n\
         \n\
         use layerlab_engine::exercise::Exercise;\n\
         \n\
         /// Every string of the exercises (numbers in decimal) in reading\n\
         /// order, each followed by a NUL.\n\
         #[rustfmt::skip]\n\
         static STRINGS: &str = concat!(\n",
    );
    for s in &enc.strings {
        let _ = writeln!(out, "    {}, \"\\0\",", lit(s));
    }
    out.push_str(
        ");\n\
         \n\
         /// Every count (a length, 0 or 1 for an option, a variant, a flag) in\n\
         /// reading order.\n\
         #[rustfmt::skip]\n\
         static SHAPE: &[u8] = &[\n",
    );
    for chunk in enc.shape.chunks(24) {
        let items: Vec<String> = chunk.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(out, "    {},", items.join(", "));
    }
    out.push_str(
        "];\n\
         \n\
         /// The built-in exercises, in file-name order.\n\
         pub fn exercises() -> Vec<Exercise> {\n    \
         super::reader::read(STRINGS, SHAPE)\n\
         }\n",
    );
    out
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
