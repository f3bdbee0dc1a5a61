//! BuildKit's own parser test data, read from `../shared/conformance/`
//! at test time: every `testfiles/NAME/Dockerfile` must dump exactly as its
//! `result`, every `testfiles-negative` file must be rejected, and the
//! line-number file must give BuildKit's start and end lines.

use std::fs;
use std::path::PathBuf;

use layerlab_syntax::{dump, parse};

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/buildkit/parser")
}

fn case_dirs(folder: &str) -> Vec<PathBuf> {
    let dir = conformance_dir().join(folder);
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn testfiles_dump_as_buildkit() {
    let cases = case_dirs("testfiles");
    let mut failures = Vec::new();
    for case in &cases {
        let input = fs::read(case.join("Dockerfile")).expect("Dockerfile");
        let expected = fs::read_to_string(case.join("result")).expect("result");
        let text = String::from_utf8(input).expect("conformance inputs are UTF-8");
        match parse(&text) {
            Ok(file) => {
                let got = dump(&file);
                if got != expected {
                    failures.push(format!(
                        "{}:\n--- expected\n{expected}--- got\n{got}",
                        case.display()
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: unexpected error {e}", case.display())),
        }
    }
    println!(
        "parser testfiles: {} run, {} passed",
        cases.len(),
        cases.len() - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 30, "conformance data missing");
}

#[test]
fn negative_testfiles_are_rejected() {
    let cases = case_dirs("testfiles-negative");
    let mut failures = Vec::new();
    for case in &cases {
        let text = fs::read_to_string(case.join("Dockerfile")).expect("Dockerfile");
        match parse(&text) {
            Ok(file) => failures.push(format!(
                "{}: accepted, dump:\n{}",
                case.display(),
                dump(&file)
            )),
            Err(e) => println!(
                "{}: {e}",
                case.file_name().unwrap_or_default().to_string_lossy()
            ),
        }
    }
    println!(
        "parser testfiles-negative: {} run, {} passed",
        cases.len(),
        cases.len() - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 4);
}

#[test]
fn line_numbers_match_buildkit() {
    let text = fs::read_to_string(conformance_dir().join("testfile-line/Dockerfile"))
        .expect("testfile-line");
    let file = parse(&text).expect("parses");
    let lines: Vec<(String, usize, usize)> = file
        .instructions
        .iter()
        .map(|i| (i.name(), i.start_line, i.end_line))
        .collect();
    assert_eq!(
        lines,
        [
            ("FROM".to_string(), 5, 5),
            ("ENV".to_string(), 11, 12),
            ("RUN".to_string(), 17, 31)
        ]
    );
    println!("parser testfile-line: 1 run, 1 passed");
}
