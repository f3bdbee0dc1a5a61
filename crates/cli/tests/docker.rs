//! `layerlab docker` end to end: the built binary, a temporary copy of
//! the tutorial's sample, and the state file carried from one process to
//! the next (the seed story, steps 2-7).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("layerlab-cli-docker-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dst = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), &dst).expect("copy");
        }
    }
}

fn sample(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/samples/aspnetapp");
    copy_dir(&src, &dir.join("app"));
    dir
}

/// Runs `layerlab docker --state STATE ARGS` in `cwd`.
fn docker(cwd: &Path, state: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerlab"));
    cmd.arg("docker").arg("--state").arg(state).args(args);
    run(cmd, cwd, stdin)
}

fn run(mut cmd: Command, cwd: &Path, stdin: &[u8]) -> Output {
    let mut child = cmd
        .current_dir(cwd)
        .env_remove("LAYERLAB_STATE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run layerlab");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(o: &Output) -> (String, String) {
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    (out, err)
}

#[test]
fn seed_story_through_the_cli() {
    let dir = sample("story");
    let app = dir.join("app");
    let state = dir.join("state.json");

    // Step 2: build.
    let (out, err) = ok(&docker(
        &app,
        &state,
        &["build", "-t", "aspnetapp", "."],
        b"",
    ));
    assert_eq!(out, "");
    assert!(
        err.contains("#10 [build 5/8] RUN dotnet restore\n"),
        "{err}"
    );
    assert!(
        err.contains("naming to docker.io/library/aspnetapp:latest done"),
        "{err}"
    );
    assert!(state.exists());

    // Step 3: edit Program.cs, rebuild: restore is CACHED, publish runs.
    let prog = app.join("aspnetapp/Program.cs");
    let mut source = std::fs::read_to_string(&prog).expect("Program.cs");
    source.push_str("// a change\n");
    std::fs::write(&prog, source).expect("edit");
    let (_, err) = ok(&docker(
        &app,
        &state,
        &["build", "-t", "aspnetapp", "."],
        b"",
    ));
    assert!(
        err.contains("#10 [build 5/8] RUN dotnet restore\n#10 CACHED\n"),
        "{err}"
    );
    assert!(!err.contains("#13 CACHED"), "{err}");

    // Step 5: images and sharing.
    let (out, _) = ok(&docker(&app, &state, &["images"], b""));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("IMAGE              ID             DISK USAGE"),
        "{out}"
    );
    assert!(lines[1].starts_with("aspnetapp:latest   "), "{out}");
    let aspnet = layerlab_engine::catalog::resolve("mcr.microsoft.com/dotnet/aspnet:8.0")
        .map(|b| b.size())
        .unwrap_or(0);
    let size = layerlab_engine::docker::format::human_size3(aspnet);
    assert!(lines[1].contains(&format!(" {size} ")), "{out}");
    let (out, _) = ok(&docker(
        &app,
        &state,
        &["images", "--format", "{{.Repository}}:{{.Tag}}"],
        b"",
    ));
    assert_eq!(out, "aspnetapp:latest\n");
    let (out, _) = ok(&docker(
        &app,
        &state,
        &["pull", "mcr.microsoft.com/dotnet/aspnet:8.0"],
        b"",
    ));
    assert_eq!(out.matches(": Already exists\n").count(), 4, "{out}");
    let (out, _) = ok(&docker(&app, &state, &["system", "df", "-v"], b""));
    assert!(out.starts_with("Images space usage:\n\nREPOSITORY                        TAG       IMAGE ID       CREATED"), "{out}");
    let aspnet_row = out
        .lines()
        .find(|l| l.starts_with("mcr.microsoft.com/dotnet/aspnet   8.0"))
        .unwrap_or_else(|| panic!("{out}"));
    let app_row = out
        .lines()
        .find(|l| l.starts_with("aspnetapp "))
        .unwrap_or_else(|| panic!("{out}"));
    // aspnet:8.0 is all shared; aspnetapp shares the same bytes.
    let cols = |l: &str| -> Vec<String> {
        l.split("   ")
            .filter(|c| !c.trim().is_empty())
            .map(|c| c.trim().to_string())
            .collect()
    };
    let (a, b) = (cols(aspnet_row), cols(app_row));
    assert_eq!(a[6], "0B", "{aspnet_row}");
    assert_eq!(a[5], b[5], "shared sizes: {aspnet_row} / {app_row}");

    // Step 7: history.
    let (out, _) = ok(&docker(&app, &state, &["history", "aspnetapp"], b""));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("IMAGE          CREATED "), "{out}");
    assert!(lines[0].contains(" CREATED BY "), "{out}");
    assert!(
        lines[1].contains("ENTRYPOINT [\"dotnet\" \"aspnetapp.dll\"]"),
        "{out}"
    );
    assert!(lines[2].contains("COPY /app ./ # buildkit"), "{out}");
    assert!(lines[3].contains("WORKDIR /app"), "{out}");

    // Step 6: run, detached.
    let (id, err) = ok(&docker(
        &app,
        &state,
        &[
            "run",
            "-d",
            "--rm",
            "-p",
            "5000:8080",
            "--name",
            "aspnetcore_sample",
            "aspnetapp",
        ],
        b"",
    ));
    assert_eq!(id.trim().len(), 64, "{id}");
    assert_eq!(err, "");
    let (out, _) = ok(&docker(&app, &state, &["ps"], b""));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("CONTAINER ID   IMAGE       COMMAND                  CREATED"),
        "{out}"
    );
    assert!(lines[1].starts_with(&id[..12]), "{out}");
    assert!(lines[1].contains("\"dotnet aspnetapp.dll\""), "{out}");
    assert!(lines[1].contains("0.0.0.0:5000->8080/tcp"), "{out}");
    assert!(lines[1].ends_with("aspnetcore_sample"), "{out}");

    // Step 7: exec, stop, and --rm removes it.
    let (out, _) = ok(&docker(
        &app,
        &state,
        &["exec", "aspnetcore_sample", "ls", "/app"],
        b"",
    ));
    assert!(out.lines().any(|l| l == "aspnetapp.dll"), "{out}");
    let (out, _) = ok(&docker(&app, &state, &["stop", "aspnetcore_sample"], b""));
    assert_eq!(out, "aspnetcore_sample\n");
    let (out, _) = ok(&docker(&app, &state, &["ps", "-a"], b""));
    assert_eq!(
        out,
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
    );
}

#[test]
fn state_persists_across_processes_and_paths() {
    let dir = sample("persist");
    let app = dir.join("app");
    // Default: .layerlab/state.json in the working directory.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerlab"));
    cmd.args(["docker", "build", "-q", "-t", "aspnetapp", "."]);
    let o = run(cmd, &app, b"");
    let (id, _) = ok(&o);
    assert!(id.starts_with("sha256:"), "{id}");
    assert!(app.join(".layerlab/state.json").exists());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerlab"));
    cmd.args(["docker", "images", "-q", "--no-trunc"]);
    let (out, _) = ok(&run(cmd, &app, b""));
    assert_eq!(out, id);
    // $LAYERLAB_STATE.
    let env_state = dir.join("env-state.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerlab"));
    cmd.args(["docker", "pull", "-q", "alpine:3.20"]);
    let o = {
        let mut c = cmd;
        c.current_dir(&app)
            .env("LAYERLAB_STATE", &env_state)
            .stdin(Stdio::null())
            .output()
            .expect("run")
    };
    let (out, _) = ok(&o);
    assert_eq!(out, "docker.io/library/alpine:3.20\n");
    let saved = std::fs::read_to_string(&env_state).expect("state written");
    assert!(saved.contains("\"version\": 1"), "{saved}");
    // A second process sees the first one's image and the clock moved on.
    let (out, _) = ok(&docker(
        &app,
        &env_state,
        &[
            "images",
            "--format",
            "{{.Repository}}:{{.Tag}} {{.CreatedSince}}",
        ],
        b"",
    ));
    assert_eq!(out, "alpine:3.20 13 days ago\n");
    let (out, _) = ok(&docker(
        &app,
        &env_state,
        &["run", "-d", "--name", "box", "alpine:3.20", "sleep", "600"],
        b"",
    ));
    assert_eq!(out.trim().len(), 64);
    let (out, _) = ok(&docker(
        &app,
        &env_state,
        &["ps", "--format", "{{.Names}} {{.Status}}"],
        b"",
    ));
    assert_eq!(out, "box Up 10 seconds\n");
    let (out, _) = ok(&docker(
        &app,
        &env_state,
        &["ps", "--format", "{{.Names}} {{.Status}}"],
        b"",
    ));
    assert_eq!(out, "box Up 20 seconds\n");
}

#[test]
fn corrupt_state_is_an_error_and_left_untouched() {
    let dir = temp_dir("corrupt");
    let state = dir.join("state.json");
    let damaged = "{\"version\": 1, \"state\": {\"images\": ";
    std::fs::write(&state, damaged).expect("write");
    let o = docker(&dir, &state, &["images"], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("is damaged"), "{err}");
    assert!(err.contains(&state.display().to_string()), "{err}");
    assert!(err.contains("left untouched"), "{err}");
    assert_eq!(text(&o.stdout), "");
    assert_eq!(std::fs::read_to_string(&state).expect("read"), damaged);
    // A state from a newer layerlab is refused too.
    std::fs::write(&state, "{\"version\": 99, \"state\": {}}").expect("write");
    let o = docker(&dir, &state, &["ps"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("newer layerlab"));
}

#[test]
fn docker_errors_and_exit_codes_pass_through() {
    let dir = temp_dir("errors");
    let state = dir.join("state.json");
    let o = docker(&dir, &state, &["nope"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "docker: unknown command: docker nope\n\nRun 'docker --help' for more information\n"
    );
    let o = docker(&dir, &state, &["ps", "--nope"], b"");
    assert_eq!(o.status.code(), Some(125));
    let o = docker(&dir, &state, &["--version"], b"");
    assert_eq!(text(&o.stdout), "Docker version 29.7.2, build 9f4be4f\n");
    let o = docker(&dir, &state, &["build", "-t", "x", "missing-dir"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "ERROR: unable to prepare context: path \"missing-dir\" not found\n"
    );
}

/// A minimal ustar archive of `(path, content)` files.
fn tar_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, content) in files {
        let mut h = [0u8; 512];
        h[..path.len()].copy_from_slice(path.as_bytes());
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", content.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[148..156].copy_from_slice(b"        ");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[test]
fn dockerfile_on_stdin_and_tar_contexts() {
    let dir = temp_dir("stdin");
    let state = dir.join("state.json");
    std::fs::create_dir_all(dir.join("ctx")).expect("mkdir");
    std::fs::write(dir.join("ctx/hello.txt"), "hello\n").expect("write");
    let dockerfile =
        b"FROM alpine:3.20\nCOPY hello.txt /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n";
    let o = docker(
        &dir,
        &state,
        &["build", "-q", "-t", "hello", "-f", "-", "ctx"],
        dockerfile,
    );
    let (out, _) = ok(&o);
    assert!(out.starts_with("sha256:"), "{out}");
    let (out, _) = ok(&docker(&dir, &state, &["run", "--rm", "hello"], b""));
    assert_eq!(out, "hello\n");
    // A tar archive as the context.
    let tar = tar_of(&[
        ("Dockerfile", "FROM busybox\nCOPY a.txt /a.txt\n"),
        ("a.txt", "from the tar\n"),
    ]);
    std::fs::write(dir.join("ctx.tar"), &tar).expect("write tar");
    let (_, err) = ok(&docker(
        &dir,
        &state,
        &["build", "-t", "fromtar", "ctx.tar"],
        b"",
    ));
    assert!(err.contains("COPY a.txt /a.txt"), "{err}");
    let (out, _) = ok(&docker(
        &dir,
        &state,
        &["run", "--rm", "fromtar", "cat", "/a.txt"],
        b"",
    ));
    assert_eq!(out, "from the tar\n");
    // And a tar on standard input.
    let (_, err) = ok(&docker(
        &dir,
        &state,
        &["build", "-t", "stdintar", "-"],
        &tar,
    ));
    assert!(
        err.contains("naming to docker.io/library/stdintar:latest done"),
        "{err}"
    );
}
