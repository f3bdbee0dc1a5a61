//! `layerlab docker build DIR` on hostile folders: symbolic link loops and
//! links to outside the folder (kept as links, never followed), a folder
//! deeper than the path depth limit, a file bigger than the context byte
//! limit (refused unread: it is a sparse file). Each error names the
//! limit and the path. Smaller budgets (file counts) are tested on the
//! folder reader itself, in `src/docker_cmd.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use layerlab_engine::limits;

/// A fresh folder under the system's temporary directory, with a
/// Dockerfile.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "layerlab-cli-folder-context-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3.20\nCOPY . /app\n").expect("Dockerfile");
    dir
}

/// `layerlab docker --state DIR/../STATE build .` in `dir`.
fn build(dir: &Path) -> Output {
    let state = dir.with_extension("state.json");
    Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .arg("docker")
        .arg("--state")
        .arg(&state)
        .args(["build", "--progress=plain", "."])
        .current_dir(dir)
        .env_remove("LAYERLAB_STATE")
        .stdin(Stdio::null())
        .output()
        .expect("run layerlab")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn clean(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_file(dir.with_extension("state.json"));
    let _ = std::fs::remove_file(dir.with_extension("state.json.lock"));
}

#[cfg(unix)]
#[test]
fn a_folder_with_symlink_loops_builds_with_the_links_kept() {
    use std::os::unix::fs::symlink;
    let dir = project("loops");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("sub/a.txt"), "a\n").expect("write");
    for (name, target) in [
        ("loop", "loop"),
        ("x", "y"),
        ("y", "x"),
        ("self", "."),
        ("up", ".."),
        ("out", "/etc"),
        ("sub/back", "../sub"),
    ] {
        symlink(target, dir.join(name)).expect("symlink");
    }
    let out = build(&dir);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("COPY . /app"), "{err}");
    clean(&dir);
}

#[test]
fn a_folder_deeper_than_the_limit_is_refused_naming_the_path() {
    let dir = project("deep");
    let deep: PathBuf = std::iter::repeat_n("d", limits::MAX_PATH_DEPTH + 1).collect();
    std::fs::create_dir_all(dir.join(&deep)).expect("deep dirs");
    let out = build(&dir);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let want = format!(
        "ERROR: unable to prepare context: path {:?}... is 257 directories deep; at most 256 are allowed",
        "d/".repeat(20)
    );
    assert!(err.contains(&want), "{err}");
    // One level less builds.
    std::fs::remove_dir(dir.join(&deep)).expect("rmdir");
    let out = build(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    clean(&dir);
}

#[test]
fn a_file_over_the_context_byte_limit_is_refused_unread() {
    let dir = project("big");
    let file = std::fs::File::create(dir.join("big.bin")).expect("create");
    // Sparse: no disk space, and reading it would take seconds.
    file.set_len(limits::MAX_CONTEXT_BYTES + 1)
        .expect("set_len");
    let out = build(&dir);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let want = format!(
        "ERROR: unable to prepare context: the build context holds more than {max} bytes \
         (at \"big.bin\", {} bytes); the playground loads at most {max}",
        limits::MAX_CONTEXT_BYTES + 1,
        max = limits::MAX_CONTEXT_BYTES
    );
    assert!(err.contains(&want), "{err}");
    clean(&dir);
}
