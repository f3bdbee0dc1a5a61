//! `layerlab check` end to end: the built binary on the shipped exercises
//! (starting files fail, reference solutions pass), on a project folder,
//! its text and JSON output, its exit status, and errors in exercise
//! files.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::text;

/// `layerlab` with `args` and nothing on its standard input.
fn layerlab(args: &[&str]) -> Output {
    common::layerlab(args, "")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn exercise(name: &str) -> String {
    root()
        .join("static/exercises")
        .join(format!("{name}.toml"))
        .display()
        .to_string()
}

fn exercises() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("static/exercises"))
        .expect("static/exercises")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// A fresh temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("layerlab-cli-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// The summary line (`N passed, N failed`) of a text report.
fn summary(out: &str) -> (usize, usize) {
    let line = out.lines().last().unwrap_or("");
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        line.ends_with(" failed") && nums.len() == 2,
        "no summary line in:\n{out}"
    );
    (nums[0], nums[1])
}

#[test]
fn every_exercise_fails_at_the_start_and_passes_when_solved() {
    let all = exercises();
    assert!(all.len() >= 10, "{all:?}");
    for path in &all {
        let p = path.display().to_string();
        let start = layerlab(&["check", &p]);
        let out = text(&start.stdout);
        assert_eq!(
            start.status.code(),
            Some(1),
            "{p}\n{out}{}",
            text(&start.stderr)
        );
        let (_, failed) = summary(&out);
        assert!(failed > 0, "{p}\n{out}");
        assert!(out.contains("✗ "), "{p}\n{out}");

        let solved = layerlab(&["check", "--solution", &p]);
        let out = text(&solved.stdout);
        assert_eq!(
            solved.status.code(),
            Some(0),
            "{p}\n{out}{}",
            text(&solved.stderr)
        );
        let (passed, failed) = summary(&out);
        assert_eq!(failed, 0, "{p}\n{out}");
        assert!(passed > 0);
        assert!(!out.contains("✗ "), "{p}\n{out}");
    }
    println!("{} exercises checked end to end", all.len());
}

#[test]
fn text_report_explains_each_check() {
    let out = layerlab(&["check", &exercise("restore-stays-cached")]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "Keep `dotnet restore` cached when the code changes (restore-stays-cached) on the starting files\n\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("✓ The image builds\n"), "{stdout}");
    assert!(
        stdout.contains(
            "✗ A source edit keeps `RUN dotnet restore` CACHED\n    after editing aspnetapp/Program.cs, `RUN dotnet restore` re-ran because `COPY aspnetapp/. ./aspnetapp/` before it re-ran: file aspnetapp/Program.cs changed (in the build context)\n    (Dockerfile line 8)\n"
        ),
        "{stdout}"
    );
    // Details of a failure: the rebuild's steps.
    assert!(
        stdout.contains("      · [build 5/7] RUN dotnet restore: ran ("),
        "{stdout}"
    );
    assert!(stdout.ends_with("\n3 passed, 1 failed\n"), "{stdout}");
}

#[test]
fn json_report() {
    let out = layerlab(&["check", "--format", "json", &exercise("non-root")]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["exercise"]["id"], "non-root");
    assert_eq!(v["project"], "the starting files");
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["solved"], false);
    let r0 = &v["results"][0];
    assert_eq!(r0["kind"], "non_root");
    assert_eq!(r0["passed"], false);
    assert_eq!(
        r0["reason"],
        "the image sets no USER, so the process runs as root (uid 0)"
    );
    assert_eq!(v["results"][1]["passed"], true);

    let out = layerlab(&[
        "check",
        "--format=json",
        "--solution",
        &exercise("non-root"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["solved"], true);
    assert_eq!(v["project"], "the reference solution");
}

#[test]
fn checks_a_project_folder() {
    let dir = temp_dir("project");
    copy_dir(&root().join("static/samples/aspnetapp"), &dir);
    let d = dir.display().to_string();
    // The sample's own Dockerfile is the tutorial's: restore stays cached.
    let out = layerlab(&["check", &exercise("restore-stays-cached"), &d]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains(&format!(") on {d}\n")), "{stdout}");
    assert!(stdout.ends_with("\n4 passed, 0 failed\n"), "{stdout}");

    // It runs as root, though.
    let out = layerlab(&["check", &exercise("non-root"), &d]);
    assert_eq!(out.status.code(), Some(1));

    // Fix it in the folder, as a learner would.
    let df = dir.join("Dockerfile");
    let fixed = std::fs::read_to_string(&df)
        .expect("Dockerfile")
        .replace("ENTRYPOINT", "USER $APP_UID\nENTRYPOINT");
    std::fs::write(&df, fixed).expect("write");
    let out = layerlab(&["check", &exercise("non-root"), &d]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("✓ The container runs as a user other than root\n    the process runs as app (uid 1654, from `USER 1654`)\n"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exercise_file_errors_have_line_and_column() {
    let dir = temp_dir("errors");
    let p = dir.join("bad.toml");
    std::fs::write(
        &p,
        "id = \"bad\"\ntitle = \"t\"\ninstructions = \"i\"\n\n[[check]]\nkind = \"image_size\"\nmax = \"lots\"\n",
    )
    .expect("write");
    let ps = p.display().to_string();
    let out = layerlab(&["check", &ps, &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("{ps}:7:7: error: invalid size \"lots\"")),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    std::fs::write(&p, "id = \"bad\"\n[[check]\n").expect("write");
    let out = layerlab(&["check", &ps]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!("{ps}:2:")),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(
        &p,
        "id = \"bad\"\ntitle = \"t\"\ninstructions = \"i\"\n[[check]]\nkind = \"teleport\"\n",
    )
    .expect("write");
    let out = layerlab(&["check", &ps]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!("{ps}:5:8: error: unknown check kind \"teleport\"")),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_files_and_samples() {
    let out = layerlab(&["check", "/nonexistent/exercise.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: /nonexistent/exercise.toml:"));

    let dir = temp_dir("samples");
    let out = layerlab(&[
        "check",
        "--samples",
        &dir.display().to_string(),
        &exercise("non-root"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the exercise's sample \"aspnetapp\" is not at"),
        "{}",
        text(&out.stderr)
    );
    let out = layerlab(&["check", &exercise("non-root"), "/nonexistent/project"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a folder"));
    let _ = std::fs::remove_dir_all(&dir);
}
