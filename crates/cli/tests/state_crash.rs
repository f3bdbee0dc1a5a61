//! The docker state file survives a writer killed mid-way: the old state is
//! kept whole, and the next command reads it and works.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn docker(state: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .arg("docker")
        .arg("--state")
        .arg(state)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run layerlab")
}

#[test]
fn a_writer_killed_before_rename_leaves_the_old_state() {
    let dir = std::env::temp_dir().join(format!("layerlab-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("state.json");

    let first = docker(&state, &["pull", "alpine:3.20"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = std::fs::read(&state).expect("state written");

    // A second writer pauses between writing its temporary file and the
    // rename (test hook), and is killed there.
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .arg("docker")
        .arg("--state")
        .arg(&state)
        .args(["pull", "busybox:1.36"])
        .env("LAYERLAB_TEST_PAUSE_BEFORE_RENAME_MS", "20000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    let tmp = dir.join(format!("state.json.tmp.{}", child.id()));
    let start = Instant::now();
    while !tmp.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the writer never wrote its temporary file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill writer");
    let _ = child.wait();

    assert_eq!(std::fs::read(&state).expect("state still there"), before);
    // The lock died with the writer: the next command runs and sees the
    // old state (alpine pulled, busybox not).
    let images = docker(&state, &["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(
        images.status.success(),
        "{}",
        String::from_utf8_lossy(&images.stderr)
    );
    let out = String::from_utf8_lossy(&images.stdout);
    assert!(out.contains("alpine:3.20"), "{out}");
    assert!(!out.contains("busybox"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
