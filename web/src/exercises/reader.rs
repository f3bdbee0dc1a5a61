//! Builds the built-in exercises from the data `builtin.rs` holds: one
//! text of strings, each followed by a NUL (numbers in decimal), and a
//! shape of counts (a list's length, 0 or 1 for an option, a variant's
//! number, a flag), both in reading order. One reader for every exercise,
//! instead of code per value. The data is generated (`generate.rs`) and
//! checked by a test; a reader past its end gets empty strings and zero
//! counts rather than a panic.

use std::collections::BTreeMap;

use layerlab_engine::exercise::{
    BuildSettings, Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf, Exercise, FileSet,
};

/// The exercises `strings` and `shape` encode (see the module's doc).
pub fn read(strings: &'static str, shape: &'static [u8]) -> Vec<Exercise> {
    let mut r = Reader {
        strings: strings.split('\0'),
        shape: shape.iter(),
    };
    (0..r.count()).map(|_| r.exercise()).collect()
}

struct Reader {
    strings: std::str::Split<'static, char>,
    shape: std::slice::Iter<'static, u8>,
}

impl Reader {
    fn count(&mut self) -> u8 {
        self.shape.next().copied().unwrap_or(0)
    }

    fn s(&mut self) -> String {
        self.strings.next().unwrap_or_default().to_owned()
    }

    fn num(&mut self) -> u64 {
        self.strings
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    fn opt(&mut self) -> Option<String> {
        (self.count() != 0).then(|| self.s())
    }

    fn opt_num(&mut self) -> Option<u64> {
        (self.count() != 0).then(|| self.num())
    }

    fn list(&mut self) -> Vec<String> {
        (0..self.count()).map(|_| self.s()).collect()
    }

    fn ports(&mut self) -> Vec<u16> {
        (0..self.count())
            .map(|_| u16::try_from(self.num()).unwrap_or(0))
            .collect()
    }

    fn map(&mut self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for _ in 0..self.count() {
            let k = self.s();
            map.insert(k, self.s());
        }
        map
    }

    fn range(&mut self) -> CountRange {
        CountRange {
            min: self.opt_num(),
            max: self.opt_num(),
        }
    }

    fn edit(&mut self) -> Edit {
        let file = self.s();
        let action = match self.count() {
            0 => EditAction::Append(self.s()),
            1 => EditAction::Prepend(self.s()),
            2 => EditAction::Content(self.s()),
            3 => EditAction::Replace {
                from: self.s(),
                to: self.s(),
            },
            _ => EditAction::Delete,
        };
        Edit { file, action }
    }

    fn check(&mut self) -> Check {
        match self.count() {
            1 => Check::Cache {
                edits: (0..self.count()).map(|_| self.edit()).collect(),
                cached: self.list(),
                not_cached: self.list(),
            },
            2 => Check::ImageSize {
                min: self.opt_num(),
                max: self.opt_num(),
            },
            3 => Check::Files {
                present: self.list(),
                absent: self.list(),
            },
            4 => Check::BaseImages {
                present: self.list(),
                absent: self.list(),
            },
            5 => Check::NonRoot,
            6 => Check::ExecForm {
                instruction: if self.count() == 0 {
                    ExecFormOf::Entrypoint
                } else {
                    ExecFormOf::Cmd
                },
            },
            7 => Check::Exposes { ports: self.list() },
            8 => Check::Healthcheck,
            9 => Check::Env {
                name: self.s(),
                value: self.opt(),
            },
            10 => Check::Workdir { path: self.s() },
            11 => Check::Lint {
                ignore: self.list(),
                rules: self.list(),
            },
            12 => Check::Run {
                args: self.list(),
                argv: (self.count() != 0).then(|| self.list()),
                answers_on: self.ports(),
                listening: self.ports(),
            },
            13 => Check::StageCount(self.range()),
            14 => Check::LayerCount {
                range: self.range(),
                own_only: self.count() != 0,
            },
            _ => Check::Builds,
        }
    }

    fn check_spec(&mut self) -> CheckSpec {
        CheckSpec {
            name: self.opt(),
            target: self.opt(),
            check: self.check(),
            line: usize::try_from(self.num()).unwrap_or(0),
        }
    }

    fn exercise(&mut self) -> Exercise {
        Exercise {
            id: self.s(),
            title: self.s(),
            summary: self.opt(),
            difficulty: self.opt(),
            tags: self.list(),
            instructions: self.s(),
            hints: self.list(),
            start: FileSet {
                sample: self.opt(),
                files: self.map(),
                remove: self.list(),
            },
            dockerfile: self.s(),
            build: BuildSettings {
                tags: self.list(),
                target: self.opt(),
                build_args: self.map(),
            },
            checks: (0..self.count()).map(|_| self.check_spec()).collect(),
            solution: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::generate::encode;

    /// Every variant and every optional part, present and absent, read
    /// back as written.
    #[test]
    fn every_variant_reads_back_as_encoded() {
        let strs = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let range = |min, max| CountRange { min, max };
        let checks = vec![
            Check::Builds,
            Check::Cache {
                edits: vec![
                    Edit {
                        file: "a".into(),
                        action: EditAction::Append("x\n".into()),
                    },
                    Edit {
                        file: "b".into(),
                        action: EditAction::Prepend(String::new()),
                    },
                    Edit {
                        file: "c".into(),
                        action: EditAction::Content("é \"q\"".into()),
                    },
                    Edit {
                        file: "d".into(),
                        action: EditAction::Replace {
                            from: "1".into(),
                            to: "2".into(),
                        },
                    },
                    Edit {
                        file: "e".into(),
                        action: EditAction::Delete,
                    },
                ],
                cached: strs(&["RUN a*"]),
                not_cached: strs(&["RUN b*", "COPY . ."]),
            },
            Check::ImageSize {
                min: Some(u64::MAX),
                max: None,
            },
            Check::Files {
                present: strs(&["/app"]),
                absent: Vec::new(),
            },
            Check::BaseImages {
                present: Vec::new(),
                absent: strs(&["alpine:3"]),
            },
            Check::NonRoot,
            Check::ExecForm {
                instruction: ExecFormOf::Cmd,
            },
            Check::ExecForm {
                instruction: ExecFormOf::Entrypoint,
            },
            Check::Exposes {
                ports: strs(&["53/udp"]),
            },
            Check::Healthcheck,
            Check::Env {
                name: "A".into(),
                value: Some(String::new()),
            },
            Check::Env {
                name: "B".into(),
                value: None,
            },
            Check::Workdir { path: "/w".into() },
            Check::Lint {
                ignore: strs(&["JSONArgsRecommended"]),
                rules: strs(&["StageNameCasing"]),
            },
            Check::Run {
                args: strs(&["--rm", "x"]),
                argv: None,
                answers_on: vec![0, 65535],
                listening: vec![8080],
            },
            Check::Run {
                args: Vec::new(),
                argv: Some(Vec::new()),
                answers_on: Vec::new(),
                listening: Vec::new(),
            },
            Check::StageCount(range(Some(0), Some(3))),
            Check::LayerCount {
                range: range(None, Some(7)),
                own_only: true,
            },
            Check::LayerCount {
                range: range(Some(1), None),
                own_only: false,
            },
        ];
        let first = Exercise {
            id: "one".into(),
            title: "First `one`".into(),
            summary: None,
            difficulty: Some("advanced".into()),
            tags: strs(&["a", "", "b"]),
            instructions: "Line\n\nmore\r\n".into(),
            hints: Vec::new(),
            start: FileSet {
                sample: None,
                files: [("b".to_owned(), "2".to_owned()), ("a".into(), "".into())]
                    .into_iter()
                    .collect(),
                remove: strs(&["x/"]),
            },
            dockerfile: "build/Dockerfile".into(),
            build: BuildSettings {
                tags: strs(&["app:1", "app:latest"]),
                target: Some("final".into()),
                build_args: [("V".to_owned(), "1".to_owned())].into_iter().collect(),
            },
            checks: checks
                .into_iter()
                .enumerate()
                .map(|(i, check)| CheckSpec {
                    name: (i % 2 == 0).then(|| format!("check {i}")),
                    target: (i % 3 == 0).then(|| "build".to_owned()),
                    check,
                    line: 1000 + i,
                })
                .collect(),
            solution: None,
        };
        let second = Exercise {
            id: String::new(),
            title: String::new(),
            summary: Some(String::new()),
            difficulty: None,
            tags: Vec::new(),
            instructions: "Line\n\nmore\r\n".into(),
            hints: strs(&["h", "build/Dockerfile"]),
            start: FileSet::default(),
            dockerfile: "Dockerfile".into(),
            build: BuildSettings::default(),
            checks: Vec::new(),
            solution: None,
        };
        let exercises = vec![first, second];
        let enc = encode(&exercises);
        let text: &'static str = Box::leak(enc.text().into_boxed_str());
        let shape: &'static [u8] = Box::leak(enc.shape.clone().into_boxed_slice());
        assert_eq!(read(text, shape), exercises);
        // Cut short, the data reads as empty values, without a panic.
        let cut = (0..=text.len() / 2)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let short = read(&text[..cut], &shape[..shape.len() / 2]);
        assert_eq!(short.len(), 2);
        assert_eq!(read("", &[]), Vec::new());
        println!("{} strings, {} counts", enc.strings.len(), enc.shape.len());
    }
}
