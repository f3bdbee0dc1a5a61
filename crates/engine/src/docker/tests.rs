//! The docker simulator end to end over the engine: command lines in,
//! the exact text docker prints out (IDs masked where they depend on the
//! build model, sizes computed from the catalog data).

use super::format::{human_size, human_size3};
use super::*;
use crate::catalog;
use crate::context::Context;
use crate::image_store as store;
use crate::state::State;

const SAMPLE: &str = "../../static/samples/aspnetapp";

fn sample_context() -> Context {
    let files = [
        "Dockerfile",
        ".dockerignore",
        "aspnetapp.sln",
        "aspnetapp/aspnetapp.csproj",
        "aspnetapp/Program.cs",
        "aspnetapp/appsettings.json",
        "aspnetapp/wwwroot/css/site.css",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE);
    let mut ctx = Context::new();
    for f in files {
        let bytes = std::fs::read(root.join(f)).unwrap_or_default();
        let _ = ctx.insert_file(f, bytes, 0o644);
    }
    ctx
}

fn sample_host() -> MemoryHost {
    let mut host = MemoryHost::default();
    host.contexts.insert(".".into(), sample_context());
    host
}

/// Runs a command line: words split at spaces, `~` standing for a space
/// inside a word.
fn run(state: &mut State, host: &mut MemoryHost, line: &str) -> Output {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| w.replace('~', " "))
        .collect();
    execute(&words, host, state)
}

/// Replaces IDs (64 and 12 hex digits) with placeholders.
fn mask(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run_len = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        let boundary_before = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let boundary_after = chars
            .get(i + run_len)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let has_letter = chars[i..i + run_len]
            .iter()
            .any(|c| c.is_ascii_alphabetic());
        if boundary_before && boundary_after && (run_len == 64 || (run_len == 12 && has_letter)) {
            out.push_str(if run_len == 64 { "<ID64>" } else { "<ID12>" });
            i += run_len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Runs `line` and compares its output (IDs masked) with `expected`:
/// stdout, then `--- stderr` and stderr when any, then `--- exit N` when
/// not 0.
fn check(state: &mut State, host: &mut MemoryHost, line: &str, expected: &str) {
    let o = run(state, host, line);
    let mut got = mask(&o.stdout);
    if !o.stderr.is_empty() {
        got.push_str("--- stderr\n");
        got.push_str(&mask(&o.stderr));
    }
    if o.exit_code != 0 {
        got.push_str(&format!("--- exit {}\n", o.exit_code));
    }
    assert_eq!(got, expected, "for `{line}`");
}

fn size_of(reference: &str) -> u64 {
    catalog::resolve(reference).map(|b| b.size()).unwrap_or(0)
}

#[test]
fn seed_story_build_images_history_run_exec_stop() {
    let mut state = State::new();
    let mut host = sample_host();
    let o = run(&mut state, &mut host, "docker build -t aspnetapp .");
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("#10 [build 5/8] RUN dotnet restore\n"));

    // Edit Program.cs: restore stays cached.
    let mut ctx = sample_context();
    let prog = ctx
        .read("aspnetapp/Program.cs")
        .unwrap_or_default()
        .to_vec();
    let mut edited = prog.clone();
    edited.extend_from_slice(b"// edited\n");
    let _ = ctx.insert_file("aspnetapp/Program.cs", edited, 0o644);
    host.contexts.insert(".".into(), ctx);
    let o = run(&mut state, &mut host, "docker build -t aspnetapp .");
    assert!(
        o.stderr
            .contains("#10 [build 5/8] RUN dotnet restore\n#10 CACHED\n"),
        "{}",
        o.stderr
    );

    let img = state
        .image("aspnetapp")
        .cloned()
        .unwrap_or_else(|| panic!("built"));
    let aspnet = size_of("mcr.microsoft.com/dotnet/aspnet:8.0");
    assert_eq!(store::base_layer_count(&img), 4);
    let size = img.size();
    assert!(size > aspnet && size < aspnet + 1_000_000);
    let width = "aspnetapp:latest".len();
    check(
        &mut state,
        &mut host,
        "docker images",
        &format!(
            "IMAGE{}   ID             DISK USAGE   CONTENT SIZE   EXTRA\naspnetapp:latest   <ID12>   {:>10}   {:>12}        \n",
            " ".repeat(width - 5),
            human_size3(size),
            "0B"
        ),
    );
    check(
        &mut state,
        &mut host,
        "docker image ls --format table",
        &format!(
            "REPOSITORY   TAG       IMAGE ID       CREATED          SIZE\naspnetapp    latest    <ID12>   20 seconds ago   {}\n",
            human_size3(size)
        ),
    );
    // History: the app's own rows, newest first, then aspnet:8.0's.
    let o = run(&mut state, &mut host, "docker history --no-trunc aspnetapp");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + img.history.len());
    assert!(lines[0].starts_with("IMAGE "));
    fn own(l: &str) -> Vec<String> {
        l.split("   ")
            .filter(|c| !c.is_empty())
            .map(|c| c.trim().to_string())
            .collect()
    }
    assert_eq!(
        own(&mask(lines[1])),
        [
            "sha256:<ID64>",
            "30 seconds ago",
            "ENTRYPOINT [\"dotnet\" \"aspnetapp.dll\"]",
            "0B",
            "buildkit.dockerfile.v0"
        ]
    );
    assert_eq!(own(lines[2])[2], "COPY /app ./ # buildkit");
    assert_eq!(own(lines[3])[2], "WORKDIR /app");
    assert!(lines[4..]
        .iter()
        .all(|l| l.starts_with("<missing>") && l.contains("13 days ago")));

    check(
        &mut state,
        &mut host,
        "docker run -d --rm -p 5000:8080 --name aspnetcore_sample aspnetapp",
        "<ID64>\n",
    );
    check(
        &mut state,
        &mut host,
        "docker ps",
        "CONTAINER ID   IMAGE       COMMAND                  CREATED          STATUS          PORTS                                         NAMES\n\
<ID12>   aspnetapp   \"dotnet aspnetapp.dll\"   10 seconds ago   Up 10 seconds   0.0.0.0:5000->8080/tcp, [::]:5000->8080/tcp   aspnetcore_sample\n",
    );
    let o = run(
        &mut state,
        &mut host,
        "docker exec aspnetcore_sample ls /app",
    );
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert!(
        o.stdout.lines().any(|l| l == "aspnetapp.dll"),
        "{}",
        o.stdout
    );
    check(
        &mut state,
        &mut host,
        "docker exec aspnetcore_sample pwd",
        "/app\n",
    );
    check(
        &mut state,
        &mut host,
        "docker exec aspnetcore_sample whoami",
        "root\n",
    );
    check(
        &mut state,
        &mut host,
        "docker port aspnetcore_sample",
        "8080/tcp -> 0.0.0.0:5000\n8080/tcp -> [::]:5000\n",
    );
    check(
        &mut state,
        &mut host,
        "docker logs aspnetcore_sample",
        "info: Microsoft.Hosting.Lifetime[14]\n      Now listening on: http://[::]:8080\n\
info: Microsoft.Hosting.Lifetime[0]\n      Application started. Press Ctrl+C to shut down.\n\
info: Microsoft.Hosting.Lifetime[0]\n      Hosting environment: Production\n\
info: Microsoft.Hosting.Lifetime[0]\n      Content root path: /app\n",
    );
    check(
        &mut state,
        &mut host,
        "docker run -d --rm -p 5000:8080 --name aspnetcore_sample aspnetapp",
        "--- stderr\ndocker: Error response from daemon: Conflict. The container name \"/aspnetcore_sample\" is already in use by container \"<ID64>\". You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n--- exit 125\n",
    );
    check(
        &mut state,
        &mut host,
        "docker stop aspnetcore_sample",
        "aspnetcore_sample\n",
    );
    check(
        &mut state,
        &mut host,
        "docker ps -a",
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
    );
    check(
        &mut state,
        &mut host,
        "docker exec aspnetcore_sample ls",
        "--- stderr\nError response from daemon: No such container: aspnetcore_sample\n--- exit 1\n",
    );
}

#[test]
fn old_tutorial_port_warns_and_stopped_containers_stay() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    let o = run(
        &mut state,
        &mut host,
        "docker run -p 5000:80 --name web aspnetapp",
    );
    assert_eq!(o.exit_code, 0);
    assert!(o.stdout.contains("Now listening on: http://[::]:8080"));
    assert!(
        o.stderr
            .contains("(layerlab) warning: -p 5000:80: nothing in the container listens on 80/tcp"),
        "{}",
        o.stderr
    );
    check(&mut state, &mut host, "docker stop web", "web\n");
    check(
        &mut state,
        &mut host,
        "docker ps -a --format {{.Names}}\\t{{.Status}}",
        "web\tExited (0) 10 seconds ago\n",
    );
    check(
        &mut state,
        &mut host,
        "docker rmi aspnetapp",
        "--- stderr\nError response from daemon: conflict: unable to remove repository reference \"aspnetapp\" (must force) - container <ID12> is using its referenced image <ID12>\n--- exit 1\n",
    );
    check(&mut state, &mut host, "docker rm web", "web\n");
    check(
        &mut state,
        &mut host,
        "docker tag aspnetapp aspnetapp:v1",
        "",
    );
    check(
        &mut state,
        &mut host,
        "docker rmi aspnetapp:v1",
        "Untagged: aspnetapp:v1\n",
    );
    let o = run(&mut state, &mut host, "docker rmi aspnetapp");
    let lines: Vec<String> = mask(&o.stdout).lines().map(String::from).collect();
    assert_eq!(lines[0], "Untagged: aspnetapp:latest");
    assert_eq!(lines[1], "Deleted: sha256:<ID64>");
    // The image's six layers went with it (no other image used them).
    assert_eq!(lines.len(), 2 + 6, "{}", o.stdout);
    check(
        &mut state,
        &mut host,
        "docker history aspnetapp",
        "--- stderr\nError response from daemon: No such image: aspnetapp:latest\n--- exit 1\n",
    );
    assert!(state.layers.is_empty());
}

#[test]
fn system_df_shares_aspnet_layers_and_keeps_the_sdk_out() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    // A second app built on aspnet:8.0.
    let second = Context::from_files([(
        "Dockerfile",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY site /srv\nENTRYPOINT [\"dotnet\", \"site.dll\"]\n",
    ), ("site/site.dll", "second app\n")])
    .unwrap_or_default();
    host.contexts.insert("second".into(), second);
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t second second").exit_code,
        0
    );

    let aspnet =
        catalog::resolve("mcr.microsoft.com/dotnet/aspnet:8.0").unwrap_or_else(|e| panic!("{e}"));
    let sdk =
        catalog::resolve("mcr.microsoft.com/dotnet/sdk:8.0").unwrap_or_else(|e| panic!("{e}"));
    let app = state
        .image("aspnetapp")
        .cloned()
        .unwrap_or_else(|| panic!("app"));
    let snd = state
        .image("second")
        .cloned()
        .unwrap_or_else(|| panic!("second"));
    // The final image is aspnet:8.0's layers plus the app's: no SDK layer.
    let sdk_only: Vec<&String> = sdk
        .layers
        .iter()
        .map(|l| &l.digest)
        .filter(|d| !aspnet.layers.iter().any(|a| &a.digest == *d))
        .collect();
    assert_eq!(sdk_only.len(), sdk.layers.len() - aspnet.layers.len());
    assert!(app.layers.iter().all(|l| !sdk_only.contains(&&l.digest)));
    for (a, b) in app.layers.iter().zip(&aspnet.layers) {
        assert_eq!((&a.digest, a.size), (&b.digest, b.size));
    }
    // Shared: exactly aspnet:8.0's layers, in both.
    assert_eq!(store::shared_size(&state, &app), aspnet.size());
    assert_eq!(store::shared_size(&state, &snd), aspnet.size());
    let o = run(&mut state, &mut host, "docker system df -v");
    let text = mask(&o.stdout);
    let row = |name: &str, img: &crate::state::StoredImage| {
        let shared = aspnet.size();
        format!(
            "{name}<ID12>   {:<16} {:<9} {:<13} {:<13} 0\n",
            "10 seconds ago",
            human_size3(img.size()),
            human_size(shared),
            human_size(img.size() - shared),
        )
    };
    assert!(text.starts_with("Images space usage:\n\nREPOSITORY   TAG       IMAGE ID       CREATED          SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS\n"), "{text}");
    assert!(
        text.contains(&row("second       latest    ", &snd)),
        "{text}"
    );
    assert!(text.contains("\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES\n"), "{text}");
    assert!(text.contains("\nBuild cache usage: 0B\n\n"), "{text}");
    // The summary counts every layer once.
    let total = aspnet.size()
        + app
            .layers
            .iter()
            .filter(|l| l.base.is_none())
            .map(|l| l.size)
            .sum::<u64>()
        + snd
            .layers
            .iter()
            .filter(|l| l.base.is_none())
            .map(|l| l.size)
            .sum::<u64>();
    assert_eq!(store::layers_size(&state), total);
    let reclaimable = app.size() + snd.size() - 2 * aspnet.size();
    let records = state.cache.records.len();
    check(
        &mut state,
        &mut host,
        "docker system df",
        &format!(
            "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n\
Images          2         0         {:<9} {} ({}%)\n\
Containers      0         0         0B        0B\n\
Local Volumes   0         0         0B        0B\n\
Build Cache     {:<9} 0         0B        0B\n",
            human_size(total),
            human_size(reclaimable),
            reclaimable * 100 / total,
            records,
        ),
    );
}

#[test]
fn pulls_say_already_exists_for_shared_layers() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    let o = run(
        &mut state,
        &mut host,
        "docker pull mcr.microsoft.com/dotnet/sdk:8.0",
    );
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    let lines: Vec<String> = mask(&o.stdout).lines().map(String::from).collect();
    assert_eq!(lines[0], "8.0: Pulling from dotnet/sdk");
    // aspnet:8.0's four layers are in the store (under aspnetapp).
    assert!(
        lines[1..5].iter().all(|l| l.ends_with(": Already exists")),
        "{lines:?}"
    );
    assert!(
        lines[5..9]
            .iter()
            .all(|l| l.ends_with(": Pulling fs layer")),
        "{lines:?}"
    );
    assert_eq!(lines[9], "<ID12>: Waiting");
    assert!(o.stdout.ends_with(
        "Status: Downloaded newer image for mcr.microsoft.com/dotnet/sdk:8.0\nmcr.microsoft.com/dotnet/sdk:8.0\n"
    ));
    let sdk = size_of("mcr.microsoft.com/dotnet/sdk:8.0");
    let o = run(
        &mut state,
        &mut host,
        "docker images --format {{.Repository}}:{{.Tag}}\\t{{.Size}}",
    );
    assert!(
        o.stdout.contains(&format!(
            "mcr.microsoft.com/dotnet/sdk:8.0\t{}\n",
            human_size3(sdk)
        )),
        "{}",
        o.stdout
    );
    let again = run(
        &mut state,
        &mut host,
        "docker pull -q mcr.microsoft.com/dotnet/sdk:8.0",
    );
    assert_eq!(again.stdout, "mcr.microsoft.com/dotnet/sdk:8.0\n");
    let o = run(&mut state, &mut host, "docker pull alpine");
    assert!(o
        .stdout
        .starts_with("Using default tag: latest\nlatest: Pulling from library/alpine\n"));
    assert!(o.stdout.ends_with(
        "Status: Downloaded newer image for alpine:latest\ndocker.io/library/alpine:latest\n"
    ));
}

#[test]
fn same_input_same_image_id() {
    let build = || {
        let mut state = State::new();
        let mut host = sample_host();
        let o = run(&mut state, &mut host, "docker build -q -t aspnetapp .");
        (o.stdout, state)
    };
    let (a, sa) = build();
    let (b, sb) = build();
    assert!(a.starts_with("sha256:"));
    assert_eq!(a, b);
    assert_eq!(sa.layers, sb.layers);
    // The ID is the sha256 of the image config JSON.
    let img = sa
        .image("aspnetapp")
        .cloned()
        .unwrap_or_else(|| panic!("built"));
    let json = store::config_json(
        &img.config,
        &img.layers,
        &img.history,
        &img.architecture,
        None,
    );
    assert_eq!(
        format!("{}\n", crate::digest::sha256_digest(json.as_bytes())),
        a
    );
    // Layer digests are the sha256 of the stored layer's tar.
    for l in img.layers.iter().filter(|l| l.base.is_none()) {
        let stored = sa.layers.get(&l.digest).unwrap_or_else(|| panic!("stored"));
        assert_eq!(crate::layer::diff_id_of_entries(&stored.entries), l.digest);
    }
}

#[test]
fn deleting_a_file_later_is_wasted_space() {
    let mut state = State::new();
    let mut host = MemoryHost::default();
    let ctx = Context::from_files([
        (
            "Dockerfile",
            "FROM alpine:3.20\nCOPY data.bin /tmp/data.bin\nRUN rm /tmp/data.bin\n",
        ),
        ("data.bin", "0123456789".repeat(100).as_str()),
    ])
    .unwrap_or_default();
    host.contexts.insert(".".into(), ctx);
    let o = run(&mut state, &mut host, "docker build -t waste .");
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    let img = state
        .image("waste")
        .cloned()
        .unwrap_or_else(|| panic!("built"));
    let own: Vec<u64> = img
        .layers
        .iter()
        .filter(|l| l.base.is_none())
        .map(|l| l.size)
        .collect();
    // The deletion is a whiteout: the image does not shrink.
    assert_eq!(own, [1000, 0]);
    let r = store::analyze(&state, &img, false);
    assert_eq!(r.wasted_bytes, 1000);
    assert_eq!(r.dive_wasted_bytes, 1000);
    assert_eq!(r.inefficiencies[0].path, "/tmp/data.bin");
    let r = store::analyze(&state, &img, true);
    assert_eq!((r.wasted_bytes, r.size_bytes), (1000, 1000));
    assert!(r.efficiency < 1.0);
    // The container does not see the file.
    let fs = store::filesystem(&state, &img);
    assert!(fs.get("/tmp/data.bin").is_none());
    assert!(fs.get("/etc/alpine-release").is_some());
}

#[test]
fn short_commands_run_to_completion() {
    let mut state = State::new();
    let mut host = MemoryHost::default();
    let o = run(&mut state, &mut host, "docker run --rm alpine echo hello");
    assert_eq!(o.stdout, "hello\n");
    assert!(o.stderr.starts_with(
        "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\n"
    ));
    check(&mut state, &mut host, "docker ps -aq", "");
    check(
        &mut state,
        &mut host,
        "docker run alpine cat /nope",
        "--- stderr\ncat: can't open '/nope': No such file or directory\n--- exit 1\n",
    );
    let o = run(
        &mut state,
        &mut host,
        "docker ps -a --format {{.Status}}|{{.Command}}",
    );
    assert_eq!(o.stdout, "Exited (1) 10 seconds ago|\"cat /nope\"\n");
    // `docker create` makes the container; `start` runs the process.
    check(
        &mut state,
        &mut host,
        "docker create --name c2 alpine echo hi",
        "<ID64>\n",
    );
    check(
        &mut state,
        &mut host,
        "docker ps -a --filter name=c2 --format {{.Status}}",
        "Created\n",
    );
    check(&mut state, &mut host, "docker logs c2", "");
    check(&mut state, &mut host, "docker start c2", "c2\n");
    check(&mut state, &mut host, "docker logs c2", "hi\n");
    check(&mut state, &mut host, "docker rm c2", "c2\n");
    // A program that waits keeps running; PID 1 ignores SIGTERM, so
    // `docker stop` kills it after 10 seconds.
    let o = run(
        &mut state,
        &mut host,
        "docker run -d --name sleeper alpine sleep 1000",
    );
    assert_eq!(o.exit_code, 0);
    check(&mut state, &mut host, "docker stop sleeper", "sleeper\n");
    check(
        &mut state,
        &mut host,
        "docker ps -a --filter name=sleeper --format {{.Status}}",
        "Exited (137) 10 seconds ago\n",
    );
    check(
        &mut state,
        &mut host,
        "docker kill sleeper",
        "--- stderr\nError response from daemon: cannot kill container: sleeper: container <ID64> is not running\n--- exit 1\n",
    );
}

#[test]
fn cli_errors_like_docker() {
    let mut state = State::new();
    let mut host = MemoryHost::default();
    check(
        &mut state,
        &mut host,
        "docker nope",
        "--- stderr\ndocker: unknown command: docker nope\n\nRun 'docker --help' for more information\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker images --nope",
        "--- stderr\nunknown flag: --nope\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n--- exit 125\n",
    );
    check(
        &mut state,
        &mut host,
        "docker image ls -x",
        "--- stderr\nunknown shorthand flag: 'x' in -x\n\nUsage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker image ls --help' for more information\n--- exit 125\n",
    );
    check(
        &mut state,
        &mut host,
        "docker history",
        "--- stderr\ndocker: 'docker history' requires 1 argument\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker rmi",
        "--- stderr\ndocker: 'docker rmi' requires at least 1 argument\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker rmi --help' for more information\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker image nope",
        "--- stderr\ndocker: unknown command: docker image nope\n\nUsage:  docker image COMMAND\n\nRun 'docker image --help' for more information\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker image inspect nosuch",
        "[]\n--- stderr\nError response from daemon: No such image: nosuch:latest\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker inspect nosuch",
        "[]\n--- stderr\nerror: no such object: nosuch\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker stop nosuch",
        "--- stderr\nError response from daemon: No such container: nosuch\n--- exit 1\n",
    );
    check(
        &mut state,
        &mut host,
        "docker images ls",
        "IMAGE   ID             DISK USAGE   CONTENT SIZE   EXTRA\n--- stderr\nNo images found matching \"ls\": did you mean \"docker image ls\"?\n--- exit 0\n"
            .replace("--- exit 0\n", "")
            .as_str(),
    );
    check(
        &mut state,
        &mut host,
        "docker --version",
        "Docker version 29.7.2, build 9f4be4f\n",
    );
    let o = run(&mut state, &mut host, "docker run");
    assert_eq!(o.exit_code, 1);
    assert!(o
        .stderr
        .starts_with("docker: 'docker run' requires at least 1 argument"));
}

#[test]
fn inspect_and_formats() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    check(
        &mut state,
        &mut host,
        "docker image inspect --format {{.Config.Entrypoint}}|{{.Config.WorkingDir}}|{{json~.RepoTags}} aspnetapp",
        "[dotnet aspnetapp.dll]|/app|[\"aspnetapp:latest\"]\n",
    );
    check(
        &mut state,
        &mut host,
        "docker inspect -f {{.Comment}}|{{len~.RootFS.Layers}}|{{index~.Config.Env~2}} aspnetapp",
        "buildkit.dockerfile.v0|6|ASPNETCORE_HTTP_PORTS=8080\n",
    );
    let o = run(&mut state, &mut host, "docker image inspect aspnetapp");
    assert!(
        o.stdout.starts_with("[\n    {\n        \"Id\": \"sha256:"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\n        \"RepoTags\": [\n            \"aspnetapp:latest\"\n        ],\n        \"RepoDigests\": [],\n        \"Comment\": \"buildkit.dockerfile.v0\",\n"));
    assert!(o.stdout.ends_with("    }\n]\n"));
    let o = run(&mut state, &mut host, "docker images --format json");
    assert!(
        o.stdout
            .starts_with("{\"Containers\":\"0\",\"CreatedAt\":\"2026-08-12 10:00:"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\"Digest\":\"\\u003cnone\\u003e\""));
    check(
        &mut state,
        &mut host,
        "docker images --format {{.Nope}}",
        "--- stderr\ntemplate parsing error: template: :1: executing \"\": can't evaluate field Nope in type *formatter.imageContext\n--- exit 1\n",
    );
    let o = run(
        &mut state,
        &mut host,
        "docker version --format {{.Server.Version}}",
    );
    assert_eq!(o.stdout, "29.7.2\n");
}

#[test]
fn state_round_trips_through_json() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    assert_eq!(
        run(&mut state, &mut host, "docker run -d --name app aspnetapp").exit_code,
        0
    );
    let json = serde_json::to_string(&state).unwrap_or_default();
    let back: State = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, state);
    // An old state file without the daemon's fields still loads.
    let old = r#"{"version":1,"builds":0,"cache":{"records":{}},"images":{},"tags":{}}"#;
    let s: Result<State, _> = serde_json::from_str(old);
    assert!(s.is_ok_and(|s| s.containers.is_empty() && s.daemon.clock == 0));
}

#[test]
fn rebuilt_tag_shows_the_old_image_id() {
    let mut state = State::new();
    let mut host = sample_host();
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    assert_eq!(
        run(&mut state, &mut host, "docker run -d --name web aspnetapp").exit_code,
        0
    );
    check(
        &mut state,
        &mut host,
        "docker ps --format {{.Image}}",
        "aspnetapp\n",
    );
    // A rebuild moves the tag: the container now shows its image's ID,
    // and the old image stays (untagged) while the container uses it.
    let mut ctx = sample_context();
    let _ = ctx.insert_file("aspnetapp/Program.cs", "// new\n", 0o644);
    host.contexts.insert(".".into(), ctx);
    assert_eq!(
        run(&mut state, &mut host, "docker build -q -t aspnetapp .").exit_code,
        0
    );
    check(
        &mut state,
        &mut host,
        "docker ps --format {{.Image}}",
        "<ID12>\n",
    );
    check(
        &mut state,
        &mut host,
        "docker images -a -q",
        "<ID12>\n<ID12>\n",
    );
}

#[test]
fn execute_with_build_hands_back_the_build_it_ran() {
    let mut state = State::new();
    let mut host = sample_host();
    let words = |line: &str| -> Vec<String> { line.split(' ').map(String::from).collect() };
    let (out, report) = execute_with_build(
        &words("docker build --progress json -t aspnetapp ."),
        &mut host,
        &mut state,
    );
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let Some(report) = report else {
        panic!("a build returns its report");
    };
    // One build: the state counted one, and the image it stored is the report's.
    assert_eq!(state.builds, 1);
    let id = report.image.as_ref().map(|i| i.id.clone());
    assert_eq!(
        state.tags.get("docker.io/library/aspnetapp:latest"),
        id.as_ref()
    );
    // The CLI's output is this very report.
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    assert_eq!(printed, build::report_json(&report));
    assert_eq!(report.stages.len(), 2);

    // Plain progress is the report rendered; a second build is CACHED.
    let (out, again) =
        execute_with_build(&words("docker build -t aspnetapp ."), &mut host, &mut state);
    let Some(again) = again else {
        panic!("a build returns its report");
    };
    assert_eq!(state.builds, 2);
    assert!(again
        .steps
        .iter()
        .all(|s| s.cached || s.kind == crate::build::StepKind::From));
    let dockerfile =
        String::from_utf8_lossy(sample_context().read("Dockerfile").unwrap_or_default())
            .into_owned();
    assert_eq!(out.stderr, build::render_plain(&again, Some(&dockerfile)));

    // A failed build hands back its report too; other commands none.
    let (out, failed) = execute_with_build(
        &words("docker build --target nope ."),
        &mut host,
        &mut state,
    );
    assert_eq!(out.exit_code, 1);
    assert!(failed.is_some_and(|r| r.error.is_some()));
    let (_, none) = execute_with_build(&words("docker images"), &mut host, &mut state);
    assert!(none.is_none());
}
