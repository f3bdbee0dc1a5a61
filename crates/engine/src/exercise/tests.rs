//! Tests: one pass and one fail per check kind (through [`check`]), the
//! exercise file's errors, and the shipped exercises (each fails on its
//! starting files and passes with its reference solution).

use std::path::{Path, PathBuf};

use super::*;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_dir_files(dir: &Path, base: &Path, out: &mut Files) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            read_dir_files(&p, base, out);
        } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(base), std::fs::read(&p)) {
            out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
}

/// The files of `static/samples/NAME`.
fn sample(name: &str) -> Files {
    let dir = root().join("static/samples").join(name);
    let mut files = Files::new();
    read_dir_files(&dir, &dir, &mut files);
    assert!(!files.is_empty(), "sample {name} is empty");
    files
}

/// The tutorial's Dockerfile.
const SEED: &str = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT [\"dotnet\", \"aspnetapp.dll\"]
";

/// The anti-pattern: everything copied before the restore, one stage.
const NAIVE: &str = "FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /source
COPY . .
RUN dotnet restore
RUN dotnet publish aspnetapp/aspnetapp.csproj -c release -o /app --no-restore
WORKDIR /app
ENTRYPOINT dotnet aspnetapp.dll
";

fn exercise_with(check_toml: &str) -> Exercise {
    let text = format!(
        "id = \"t\"\ntitle = \"t\"\ninstructions = \"t\"\n[start]\nsample = \"aspnetapp\"\n[[check]]\n{check_toml}\n"
    );
    match parse_exercise(&text) {
        Ok(e) => e,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// Evaluates one check (TOML body of a `[[check]]`) against the aspnetapp
/// sample with `dockerfile` as its Dockerfile.
fn check(dockerfile: &str, check_toml: &str) -> CheckResult {
    let ex = exercise_with(check_toml);
    let mut files = sample("aspnetapp");
    files.insert("Dockerfile".into(), dockerfile.as_bytes().to_vec());
    let ctx = match context_from_files(&files) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let ev = evaluate(&ex, &ctx);
    assert_eq!(ev.results.len(), 1);
    ev.results
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no result"))
}

fn passes(r: &CheckResult) {
    assert!(r.passed, "expected a pass: {r:#?}");
}

fn fails(r: &CheckResult, reason_part: &str) {
    assert!(!r.passed, "expected a failure: {r:#?}");
    assert!(
        r.reason.contains(reason_part),
        "reason {:?} should contain {reason_part:?}\n{r:#?}",
        r.reason
    );
}

#[test]
fn builds() {
    passes(&check(SEED, "kind = \"builds\""));
    let r = check(SEED, "kind = \"builds\"\ntarget = \"build\"");
    passes(&r);
    assert!(r.reason.contains("--target build"), "{r:?}");
    fails(
        &check(SEED, "kind = \"builds\"\ntarget = \"nope\""),
        "failed",
    );
    let broken = SEED.replace("COPY *.sln .", "COPY missing.txt .");
    let r = check(&broken, "kind = \"builds\"");
    fails(&r, "the build failed");
    assert_eq!(r.line, Some(3), "{r:#?}");
}

const EDIT_PROGRAM: &str = "edit = [{ file = \"aspnetapp/Program.cs\", append = \"// x\\n\" }]";

#[test]
fn cache_restore_stays_cached() {
    let c = format!("kind = \"cache\"\n{EDIT_PROGRAM}\ncached = [\"RUN dotnet restore\"]\nnot_cached = [\"RUN dotnet publish*\"]");
    let r = check(SEED, &c);
    passes(&r);
    assert!(r.reason.contains("`RUN dotnet restore` is CACHED"), "{r:?}");
    assert!(
        r.reason.contains("ran again because `COPY aspnetapp/. ./aspnetapp/` before it re-ran: file aspnetapp/Program.cs changed"),
        "{r:?}"
    );
    let r = check(NAIVE, &c);
    fails(
        &r,
        "`RUN dotnet restore` re-ran because `COPY . .` before it re-ran: file aspnetapp/Program.cs changed",
    );
    assert_eq!(r.line, Some(4));
}

#[test]
fn cache_not_cached_and_missing_steps() {
    let c = "kind = \"cache\"\nedit = [{ file = \"aspnetapp/aspnetapp.csproj\", append = \"\\n\" }]\nnot_cached = [\"RUN dotnet restore\"]";
    passes(&check(SEED, c));
    // Nothing changed: restore is CACHED, which this check does not want.
    let c = "kind = \"cache\"\nnot_cached = [\"RUN dotnet restore\"]";
    fails(&check(SEED, c), "`RUN dotnet restore` was CACHED");
    let c = format!("kind = \"cache\"\n{EDIT_PROGRAM}\ncached = [\"RUN npm ci\"]");
    fails(&check(SEED, &c), "no build step matches `RUN npm ci`");
    let c = "kind = \"cache\"\nedit = [{ file = \"nope.txt\", append = \"x\" }]\ncached = [\"RUN dotnet restore\"]";
    fails(&check(SEED, c), "not in the project");
    let c = "kind = \"cache\"\nedit = [{ file = \"aspnetapp/Program.cs\", replace = \"no such text\", with = \"y\" }]\ncached = [\"RUN dotnet restore\"]";
    fails(&check(SEED, c), "no longer contains");
}

#[test]
fn cache_edit_kinds() {
    // Deleting a file the final COPY reads re-runs the publish; rewriting the
    // Dockerfile with a LABEL busts nothing.
    let c = "kind = \"cache\"\nedit = [{ file = \"aspnetapp/appsettings.json\", delete = true }]\nnot_cached = [\"RUN dotnet publish*\"]\ncached = [\"RUN dotnet restore\"]";
    passes(&check(SEED, c));
    let c = format!(
        "kind = \"cache\"\nedit = [{{ file = \"Dockerfile\", content = {:?} }}]\ncached = [\"RUN dotnet publish*\", \"COPY --from=build /app ./\"]",
        format!("{SEED}LABEL org.opencontainers.image.title=aspnetapp\n")
    );
    passes(&check(SEED, &c));
    let c = "kind = \"cache\"\nedit = [{ file = \"aspnetapp/Program.cs\", prepend = \"// top\\n\" }]\ncached = [\"RUN dotnet publish*\"]";
    fails(
        &check(SEED, c),
        "`RUN dotnet publish -c release -o /app --no-restore` re-ran because",
    );
}

#[test]
fn image_size() {
    let r = check(SEED, "kind = \"image_size\"\nmax = \"250MB\"");
    passes(&r);
    assert!(r.reason.contains("at most 250MB"), "{r:?}");
    let r = check(NAIVE, "kind = \"image_size\"\nmax = \"250MB\"");
    fails(&r, "more than 250MB");
    assert!(
        r.details
            .iter()
            .any(|d| d.contains("mcr.microsoft.com/dotnet/sdk:8.0")),
        "{r:?}"
    );
    fails(
        &check(SEED, "kind = \"image_size\"\nmin = \"1GB\""),
        "less than 1GB",
    );
    passes(&check(
        SEED,
        "kind = \"image_size\"\nmin = 1000\nmax = \"1GiB\"",
    ));
}

#[test]
fn files() {
    passes(&check(SEED, "kind = \"files\"\npresent = [\"/app/*.dll\"]\nabsent = [\"/usr/share/dotnet/sdk\", \"/source\"]"));
    let r = check(
        NAIVE,
        "kind = \"files\"\nabsent = [\"/usr/share/dotnet/sdk\"]",
    );
    fails(&r, "the final image has `/usr/share/dotnet/sdk`");
    assert!(!r.reason.contains("matching"), "{r:?}");
    fails(
        &check(SEED, "kind = \"files\"\npresent = [\"/app/**/*.exe\"]"),
        "nothing in the final image matches `/app/**/*.exe`",
    );
}

#[test]
fn base_images() {
    let c = "kind = \"base_images\"\nabsent = [\"mcr.microsoft.com/dotnet/sdk:8.0\"]\npresent = [\"mcr.microsoft.com/dotnet/aspnet:*\"]";
    passes(&check(SEED, c));
    let r = check(NAIVE, c);
    fails(&r, "from `mcr.microsoft.com/dotnet/sdk:8.0`");
    assert!(
        r.reason
            .contains("no layers from `mcr.microsoft.com/dotnet/aspnet:*`"),
        "{r:?}"
    );
}

#[test]
fn non_root() {
    fails(
        &check(SEED, "kind = \"non_root\""),
        "sets no USER, so the process runs as root",
    );
    let with_user = SEED.replace("ENTRYPOINT", "USER $APP_UID\nENTRYPOINT");
    let r = check(&with_user, "kind = \"non_root\"");
    passes(&r);
    assert!(r.reason.contains("uid 1654"), "{r:?}");
    passes(&check(
        &SEED.replace("ENTRYPOINT", "USER app\nENTRYPOINT"),
        "kind = \"non_root\"",
    ));
    fails(
        &check(
            &SEED.replace("ENTRYPOINT", "USER root\nENTRYPOINT"),
            "kind = \"non_root\"",
        ),
        "is root",
    );
    fails(
        &check(
            &SEED.replace("ENTRYPOINT", "USER nobody2\nENTRYPOINT"),
            "kind = \"non_root\"",
        ),
        "unable to find user nobody2",
    );
}

#[test]
fn exec_form() {
    passes(&check(SEED, "kind = \"exec_form\""));
    fails(&check(NAIVE, "kind = \"exec_form\""), "shell form");
    fails(
        &check(SEED, "kind = \"exec_form\"\ninstruction = \"CMD\""),
        "has no CMD",
    );
    passes(&check(
        &format!("{SEED}CMD [\"--urls\", \"http://+:8080\"]\n"),
        "kind = \"exec_form\"\ninstruction = \"cmd\"",
    ));
}

#[test]
fn exposes_healthcheck_env_workdir() {
    let more =
        format!("{SEED}EXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\n");
    passes(&check(&more, "kind = \"exposes\"\nports = [8080]"));
    fails(
        &check(&more, "kind = \"exposes\"\nports = [8080, \"53/udp\"]"),
        "does not EXPOSE 53/udp (it EXPOSEs 8080/tcp)",
    );
    passes(&check(&more, "kind = \"healthcheck\""));
    fails(&check(SEED, "kind = \"healthcheck\""), "no HEALTHCHECK");
    fails(
        &check(
            &format!("{SEED}HEALTHCHECK NONE\n"),
            "kind = \"healthcheck\"",
        ),
        "NONE",
    );
    passes(&check(
        SEED,
        "kind = \"env\"\nvariable = \"ASPNETCORE_HTTP_PORTS\"\nvalue = \"8080\"",
    ));
    fails(
        &check(
            SEED,
            "kind = \"env\"\nvariable = \"ASPNETCORE_HTTP_PORTS\"\nvalue = \"80\"",
        ),
        "not `ASPNETCORE_HTTP_PORTS=80`",
    );
    fails(
        &check(SEED, "kind = \"env\"\nvariable = \"NOPE\""),
        "does not set `NOPE`",
    );
    passes(&check(SEED, "kind = \"workdir\"\npath = \"/app/\""));
    fails(
        &check(SEED, "kind = \"workdir\"\npath = \"/srv\""),
        "is `/app`, not `/srv`",
    );
}

#[test]
fn lint() {
    passes(&check(SEED, "kind = \"lint\""));
    let r = check(NAIVE, "kind = \"lint\"");
    fails(&r, "JSONArgsRecommended");
    assert_eq!(r.line, Some(7));
    passes(&check(
        NAIVE,
        "kind = \"lint\"\nignore = [\"JSONArgsRecommended\"]",
    ));
    passes(&check(
        NAIVE,
        "kind = \"lint\"\nrules = [\"StageNameCasing\"]",
    ));
    fails(&check("FROM alpine\nFROM", "kind = \"lint\""), "error");
}

#[test]
fn run() {
    let c = "kind = \"run\"\nargs = \"-it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp\"\nargv = [\"dotnet\", \"aspnetapp.dll\"]\nanswers_on = [5000]\nlistening = [8080]";
    let r = check(SEED, c);
    passes(&r);
    assert!(
        r.reason
            .contains("host port 5000 reaches container port 8080"),
        "{r:?}"
    );
    // The older tutorial's -p 5000:80: nothing listens on 80.
    let r = check(
        SEED,
        "kind = \"run\"\nargs = \"-p 5000:80 aspnetapp\"\nanswers_on = [5000]",
    );
    fails(&r, "host port 5000 goes to container port 80, but");
    fails(
        &check(
            SEED,
            "kind = \"run\"\nargs = \"aspnetapp\"\nanswers_on = [5000]",
        ),
        "publishes no host port 5000",
    );
    fails(
        &check(NAIVE, c),
        "the container runs `[\"/bin/sh\",\"-c\",\"dotnet aspnetapp.dll\"]`",
    );
    let loopback = SEED.replace(
        "ENTRYPOINT",
        "ENV ASPNETCORE_URLS=http://localhost:8080\nENTRYPOINT",
    );
    fails(
        &check(
            &loopback,
            "kind = \"run\"\nargs = \"-p 5000:8080 x\"\nlistening = [8080]",
        ),
        "only on",
    );
    fails(
        &check(
            SEED,
            "kind = \"run\"\nargs = \"--bogus x\"\nlistening = [8080]",
        ),
        "fails: unknown flag",
    );
}

#[test]
fn stage_and_layer_counts() {
    passes(&check(SEED, "kind = \"stage_count\"\nequals = 2"));
    fails(
        &check(NAIVE, "kind = \"stage_count\"\nmin = 2"),
        "the Dockerfile has 1 stage, not at least 2",
    );
    let r = check(SEED, "kind = \"layer_count\"\nown_only = true\nmax = 2");
    passes(&r);
    assert_eq!(r.details.len(), 2, "{r:?}");
    fails(
        &check(SEED, "kind = \"layer_count\"\nmax = 3"),
        "the final image has 6 layers, not at most 3",
    );
}

#[test]
fn missing_dockerfile_fails_every_check() {
    let ex = exercise_with("kind = \"builds\"");
    let ctx = context_from_files(
        &sample("aspnetapp")
            .into_iter()
            .filter(|(p, _)| p != "Dockerfile")
            .collect(),
    );
    let Ok(ctx) = ctx else { panic!("context") };
    let ev = evaluate(&ex, &ctx);
    assert_eq!((ev.passed, ev.failed), (0, 1));
    assert!(ev.results[0].reason.contains("no `Dockerfile`"), "{ev:?}");
    assert!(!ev.solved());
}

#[test]
fn evaluation_is_deterministic() {
    let ex = exercise_with(&format!(
        "kind = \"cache\"\n{EDIT_PROGRAM}\ncached = [\"RUN dotnet restore\"]"
    ));
    let mut files = sample("aspnetapp");
    files.insert("Dockerfile".into(), NAIVE.as_bytes().to_vec());
    let Ok(ctx) = context_from_files(&files) else {
        panic!("context")
    };
    assert_eq!(evaluate(&ex, &ctx), evaluate(&ex, &ctx));
}

fn parse_err(text: &str) -> ExerciseError {
    match parse_exercise(text) {
        Ok(e) => panic!("expected an error, got {e:?}"),
        Err(e) => e,
    }
}

const HEAD: &str = "id = \"x\"\ntitle = \"t\"\ninstructions = \"i\"\n";

#[test]
fn file_errors_have_positions() {
    let e = parse_err("id = \"x\"\ntitle = \n");
    assert_eq!(
        (e.line, e.message.starts_with("invalid TOML")),
        (2, true),
        "{e:?}"
    );

    let e = parse_err(&format!("{HEAD}[[check]]\nkind = \"nope\"\n"));
    assert_eq!((e.line, e.column), (5, 8), "{e:?}");
    assert!(e.message.contains("unknown check kind \"nope\""), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"image_size\"\nmax = \"250 XB\"\n"
    ));
    assert_eq!((e.line, e.column), (6, 7), "{e:?}");
    assert!(e.message.contains("invalid size"), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"builds\"\ntargte = \"x\"\n"
    ));
    assert_eq!((e.line, e.column), (6, 1), "{e:?}");
    assert!(e.message.contains("unknown key `targte`"), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"lint\"\nignore = [\"NoSuchRule\"]\n"
    ));
    assert!(e.message.contains("unknown build-check rule"), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"cache\"\nedit = [{{ file = \"a\" }}]\ncached = [\"RUN x\"]\n"
    ));
    assert!(e.message.contains("an edit needs one of"), "{e:?}");
    assert_eq!(e.line, 6);

    let e = parse_err(&format!("{HEAD}[[check]]\nkind = \"cache\"\nedit = [{{ file = \"a\", append = \"x\", delete = true }}]\ncached = [\"RUN x\"]\n"));
    assert!(e.message.contains("does one thing"), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"run\"\nargs = \"x\"\nanswers_on = [70000]\n"
    ));
    assert!(e.message.contains("port numbers"), "{e:?}");

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"stage_count\"\nmin = 3\nmax = 2\n"
    ));
    assert!(e.message.contains("greater than"), "{e:?}");

    let e = parse_err(HEAD);
    assert!(e.message.contains("no checks"), "{e:?}");

    let e = parse_err("title = \"t\"\ninstructions = \"i\"\n[[check]]\nkind = \"builds\"\n");
    assert!(e.message.contains("needs `id`"), "{e:?}");

    let e = parse_err(&format!("{HEAD}colour = 1\n[[check]]\nkind = \"builds\"\n"));
    assert!(e.message.contains("unknown key `colour`"), "{e:?}");
    assert_eq!(e.line, 4);

    let e = parse_err(&format!(
        "{HEAD}[[check]]\nkind = \"files\"\nabsent = [\"/a/[b\"]\n"
    ));
    assert!(e.message.contains("unterminated"), "{e:?}");

    let e = parse_err(&format!("{HEAD}format = 2\n[[check]]\nkind = \"builds\"\n"));
    assert!(e.message.contains("unsupported exercise format"), "{e:?}");
}

#[test]
fn starting_and_solution_files() {
    let text = format!(
        "{HEAD}[start]\nsample = \"s\"\nremove = [\"dir\"]\n[start.files]\n\"a.txt\" = \"A\"\n[solution]\nremove = [\"b.txt\"]\n[solution.files]\n\"a.txt\" = \"B\"\n[[check]]\nkind = \"builds\"\n"
    );
    let Ok(ex) = parse_exercise(&text) else {
        panic!("parse")
    };
    let mut s = Files::new();
    s.insert("b.txt".into(), b"b".to_vec());
    s.insert("dir/c.txt".into(), b"c".to_vec());
    s.insert("dirx".into(), b"d".to_vec());
    let start = ex.starting_files(&s);
    assert_eq!(start.keys().collect::<Vec<_>>(), ["a.txt", "b.txt", "dirx"]);
    let Some(sol) = ex.solution_files(&s) else {
        panic!("solution")
    };
    assert_eq!(sol.keys().collect::<Vec<_>>(), ["a.txt", "dirx"]);
    assert_eq!(sol.get("a.txt").map(Vec::as_slice), Some(&b"B"[..]));
    assert_eq!(ex.start.sample.as_deref(), Some("s"));
}

#[test]
fn titles_are_generated() {
    let ex = exercise_with(&format!(
        "kind = \"cache\"\n{EDIT_PROGRAM}\ncached = [\"RUN dotnet restore\"]"
    ));
    assert_eq!(
        ex.checks[0].title(),
        "After editing aspnetapp/Program.cs, `RUN dotnet restore` is CACHED"
    );
    let ex = exercise_with("kind = \"image_size\"\nmax = \"250MB\"\ntarget = \"final\"");
    assert_eq!(
        ex.checks[0].title(),
        "The final image is at most 250MB (with `--target final`)"
    );
}

/// The shipped exercises: the list matches the folder, ids match file
/// names, and each exercise fails at the start and passes when solved.
#[test]
fn builtin_exercises_are_solvable() {
    let dir = root().join("static/exercises");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    crate::shared_sort::sort(&mut on_disk);
    let listed: Vec<String> = builtin().iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        listed, on_disk,
        "exercise::BUILTIN must list static/exercises/*.toml"
    );
    assert!(listed.len() >= 10, "{listed:?}");

    let mut checks = 0;
    for (name, text) in builtin() {
        let ex = match parse_exercise(text) {
            Ok(e) => e,
            Err(e) => panic!("{name}:{e}"),
        };
        assert_eq!(format!("{}.toml", ex.id), *name);
        assert!(!ex.hints.is_empty(), "{name}: no hints");
        let blocks = ex.instructions_blocks();
        assert!(blocks.len() >= 2, "{name}: {blocks:?}");
        let json = serde_json::to_string(&blocks).unwrap_or_default();
        assert!(!json.contains("```"), "{name}: an unclosed fence: {json}");
        let samples = match &ex.start.sample {
            Some(s) => sample(s),
            None => Files::new(),
        };
        let start = ex.starting_files(&samples);
        let Some(solution) = ex.solution_files(&samples) else {
            panic!("{name}: no [solution]");
        };
        let (Ok(start_ctx), Ok(solution_ctx)) =
            (context_from_files(&start), context_from_files(&solution))
        else {
            panic!("{name}: bad files");
        };
        let at_start = evaluate(&ex, &start_ctx);
        assert!(
            at_start.failed > 0,
            "{name}: the starting files pass every check: {at_start:#?}"
        );
        let solved = evaluate(&ex, &solution_ctx);
        assert!(
            solved.solved(),
            "{name}: the solution fails: {:#?}",
            solved
                .results
                .iter()
                .filter(|r| !r.passed)
                .collect::<Vec<_>>()
        );
        checks += ex.checks.len();
        println!(
            "{name}: {} checks, {} fail at the start",
            ex.checks.len(),
            at_start.failed
        );
    }
    println!("{} exercises, {checks} checks", builtin().len());
}
