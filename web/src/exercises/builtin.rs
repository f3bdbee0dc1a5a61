//! The built-in exercises (`static/exercises/*.toml`) as values.
//!
//! @generated from the TOML files by `LAYERLAB_REGENERATE=1 cargo test -p
//! layerlab-web builtin_rs`; do not edit. A test checks that these values
//! equal what the engine reads from the files (but the reference
//! solutions, which the page does not show).

use std::collections::BTreeMap;

#[allow(unused_imports)]
use layerlab_engine::exercise::{
    BuildSettings, Check, CheckSpec, CountRange, Edit, EditAction, ExecFormOf, Exercise, FileSet,
};
use layerlab_engine::shared_sort;

// Not inlined: each value is then a call, not a copy loop (size).
#[inline(never)]
fn s(v: &str) -> String {
    v.to_owned()
}

#[inline(never)]
fn l(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[inline(never)]
fn m(v: &[(&str, &str)]) -> BTreeMap<String, String> {
    // Inserted, not collected: see layerlab_engine::shared_sort.
    shared_sort::collect_by_insert(v.iter().map(|(k, x)| ((*k).to_owned(), (*x).to_owned())))
}

/// The built-in exercises, in file-name order.
#[rustfmt::skip]
pub fn exercises() -> Vec<Exercise> {
    vec![
        Exercise {
            id: s("build-target"),
            title: s("Name the build stage"),
            summary: Some(s("Give the build stage a name so it can be targeted and copied from by name.")),
            difficulty: Some(s("beginner")),
            tags: l(&["multi-stage", "target"]),
            instructions: s(r#"The CI pipeline wants to run only the build stage, with
`docker build --target build .`, and fails: this Dockerfile's stages have
no names, and the final stage copies from stage `0` (a number that breaks
as soon as someone adds a stage above it).

Name the first stage `build` and copy from it by name. Both
`docker build --target build .` and the full build must succeed, and the
file must keep its two stages.
"#),
            hints: l(&["`FROM image AS name` names a stage; `COPY --from=name` copies from it."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=0 /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: Some(s("build")), check: Check::Builds, line: 45 },
                CheckSpec { name: None, target: None, check: Check::Builds, line: 49 },
                CheckSpec { name: None, target: None, check: Check::StageCount(CountRange { min: Some(2), max: Some(2) }), line: 52 },
            ],
            solution: None,
        },
        Exercise {
            id: s("dockerignore-build-output"),
            title: s("Keep local build output out of the context"),
            summary: Some(s("Write a .dockerignore so bin/ and obj/ do not bust the cache or leak into the build.")),
            difficulty: Some(s("intermediate")),
            tags: l(&["dockerignore", "cache", "context"]),
            instructions: s(r#"This project has no `.dockerignore`, and someone built it locally: the
context now contains `aspnetapp/bin/` and `aspnetapp/obj/`. Because of
`COPY aspnetapp/. ./aspnetapp/`, every local build changes the context,
re-runs the copy and the publish, and copies a stale `obj/project.assets.json`
over the one `dotnet restore` just made.

Add a `.dockerignore` so that changes in `bin/` and `obj/` leave the build
**CACHED**, while changes to the sources still rebuild the app.
"#),
            hints: l(&["A `.dockerignore` sits at the root of the context, one pattern per line.", "`**/bin/` and `**/obj/` match those folders at any depth."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#), ("aspnetapp/bin/Debug/net8.0/aspnetapp.dll", r#"MZ (a local debug build)
"#), ("aspnetapp/obj/project.assets.json", r#"{ "version": 3 }
"#)]), remove: l(&[".dockerignore"]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: Some(s("A local build (new `obj/` content) leaves the image build CACHED")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/obj/project.assets.json"), action: EditAction::Content(s(r#"{ "version": 3, "local": true }
"#)) }], cached: l(&["COPY aspnetapp/. ./aspnetapp/", "RUN dotnet publish*"]), not_cached: l(&[]) }, line: 51 },
                CheckSpec { name: Some(s("A source edit still rebuilds the app")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/Program.cs"), action: EditAction::Append(s(r#"
// a small change
"#)) }], cached: l(&[]), not_cached: l(&["RUN dotnet publish*"]) }, line: 57 },
                CheckSpec { name: Some(s("A new local debug build (`bin/`) leaves the image build CACHED")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/bin/Debug/net8.0/aspnetapp.dll"), action: EditAction::Content(s(r#"MZ (another local debug build)
"#)) }], cached: l(&["COPY aspnetapp/. ./aspnetapp/", "RUN dotnet publish*"]), not_cached: l(&[]) }, line: 63 },
            ],
            solution: None,
        },
        Exercise {
            id: s("entrypoint-exec-form"),
            title: s("Let `docker stop` reach the app"),
            summary: Some(s("Write ENTRYPOINT in exec form so the app, not a shell, is PID 1.")),
            difficulty: Some(s("beginner")),
            tags: l(&["entrypoint", "signals"]),
            instructions: s(r#"`ENTRYPOINT dotnet aspnetapp.dll` is the *shell form*: Docker stores it as
`["/bin/sh", "-c", "dotnet aspnetapp.dll"]`, so the container's PID 1 is a
shell. The shell does not pass `SIGTERM` on to the app, so `docker stop`
waits 10 seconds and then kills it.

Rewrite the `ENTRYPOINT` in *exec form* (a JSON array) so that the
container runs `dotnet aspnetapp.dll` directly.
"#),
            hints: l(&["Exec form is a JSON array: each word in double quotes, separated by commas."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT dotnet aspnetapp.dll
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::ExecForm { instruction: ExecFormOf::Entrypoint }, line: 44 },
                CheckSpec { name: None, target: None, check: Check::Run { args: l(&["--rm", "aspnetapp"]), argv: Some(l(&["dotnet", "aspnetapp.dll"])), answers_on: vec![], listening: vec![] }, line: 48 },
            ],
            solution: None,
        },
        Exercise {
            id: s("fix-copy-everything"),
            title: s("Fix the `COPY . .` anti-pattern"),
            summary: Some(s("A Dockerfile that copies everything before restoring: make source edits cheap.")),
            difficulty: Some(s("beginner")),
            tags: l(&["cache", "best-practices", "dotnet"]),
            instructions: s(r#"This Dockerfile works, but it starts with `COPY . .`: the whole build
context lands in one layer **before** `dotnet restore`. Any change to any
file (a comment in `Program.cs`, a setting in `appsettings.json`) changes
that layer, and BuildKit runs the restore and everything after it again.

Fix it so that editing the app's code or settings keeps `RUN dotnet restore`
**CACHED**, while the app is still rebuilt and published to `/app`.
"#),
            hints: l(&["A step's cache key includes the checksums of the files its COPY selects. Which files does `dotnet restore` read?", "Copy `*.sln` and `aspnetapp/*.csproj` first, restore, then copy the rest."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY . .
RUN dotnet restore
RUN dotnet publish aspnetapp/aspnetapp.csproj -c release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: Some(s("Editing `Program.cs` keeps the restore CACHED and rebuilds the app")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/Program.cs"), action: EditAction::Append(s(r#"
// a small change
"#)) }], cached: l(&["RUN dotnet restore*"]), not_cached: l(&["RUN dotnet publish*"]) }, line: 39 },
                CheckSpec { name: Some(s("Editing `appsettings.json` keeps the restore CACHED")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/appsettings.json"), action: EditAction::Replace { from: s("\"AllowedHosts\""), to: s("\"AllowedHosts\" ") } }], cached: l(&["RUN dotnet restore*"]), not_cached: l(&[]) }, line: 46 },
                CheckSpec { name: None, target: None, check: Check::Files { present: l(&["/app/aspnetapp.dll"]), absent: l(&[]) }, line: 52 },
            ],
            solution: None,
        },
        Exercise {
            id: s("healthcheck-and-expose"),
            title: s("Tell Docker how to check the app's health"),
            summary: Some(s("Add a HEALTHCHECK, and EXPOSE the port it checks.")),
            difficulty: Some(s("intermediate")),
            tags: l(&["healthcheck", "expose", "dotnet"]),
            instructions: s(r#"A running container is not necessarily a working app. A `HEALTHCHECK` tells
Docker how to test it, and `docker ps` then shows `healthy` or
`unhealthy`.

The aspnet image has no `curl`. Install it in the final stage (in **one**
`RUN`, cleaning the package lists), then add a `HEALTHCHECK` that requests
`http://localhost:8080/`, and `EXPOSE 8080` to document the port.
"#),
            hints: l(&["`RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`", "`HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/ || exit 1`"]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::Healthcheck, line: 47 },
                CheckSpec { name: None, target: None, check: Check::Exposes { ports: l(&["8080/tcp"]) }, line: 50 },
                CheckSpec { name: Some(s("`curl` is installed, and the package lists are cleaned up")), target: None, check: Check::Files { present: l(&["/usr/bin/curl"]), absent: l(&["/var/lib/apt/lists/*_Packages*"]) }, line: 54 },
            ],
            solution: None,
        },
        Exercise {
            id: s("lint-clean"),
            title: s("Pass BuildKit's build checks"),
            summary: Some(s("Fix every warning `docker build --check` reports.")),
            difficulty: Some(s("beginner")),
            tags: l(&["lint", "best-practices"]),
            instructions: s(r#"`docker build --check .` runs BuildKit's build checks without building.
This Dockerfile builds, but the checks report several warnings: mixed
keyword casing, a stage name in capitals, the legacy `ENV key value` form,
and a shell-form `ENTRYPOINT`.

Fix them all. The app must still build and start `dotnet aspnetapp.dll`.
Each warning comes with its rule name; the playground explains each rule.
"#),
            hints: l(&["Write every instruction keyword in upper case, and stage names in lower case.", "`ENV NAME=value`, and `ENTRYPOINT [\"dotnet\", \"aspnetapp.dll\"]`."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"from mcr.microsoft.com/dotnet/sdk:8.0 AS Build
WORKDIR /source

COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
ENV ASPNETCORE_HTTP_PORTS 8080
WORKDIR /app
COPY --from=Build /app ./
ENTRYPOINT dotnet aspnetapp.dll
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::Lint { ignore: l(&[]), rules: l(&[]) }, line: 44 },
                CheckSpec { name: None, target: None, check: Check::Run { args: l(&["--rm", "-p", "5000:8080", "aspnetapp"]), argv: Some(l(&["dotnet", "aspnetapp.dll"])), answers_on: vec![5000], listening: vec![] }, line: 47 },
            ],
            solution: None,
        },
        Exercise {
            id: s("non-root"),
            title: s("Run the app as a non-root user"),
            summary: Some(s("Switch the final stage to the unprivileged user the aspnet image provides.")),
            difficulty: Some(s("beginner")),
            tags: l(&["security", "user", "dotnet"]),
            instructions: s(r#"Without a `USER` instruction, the container's process runs as **root**.
If the app is ever compromised, the attacker is root inside the container.

Since .NET 8, the official `aspnet` images include an unprivileged user,
`app`, and set `APP_UID` to its numeric id. Make the final image run the
app as that user. The app must still start (`dotnet aspnetapp.dll`) and
answer on host port 5000 with `docker run --rm -p 5000:8080 aspnetapp`
(ASP.NET Core 8 listens on 8080, a port an unprivileged user may bind).
"#),
            hints: l(&["Add a `USER` instruction to the **final** stage, before `ENTRYPOINT`.", "`USER $APP_UID` uses the numeric id, which also works with Kubernetes' `runAsNonRoot`."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::NonRoot, line: 48 },
                CheckSpec { name: None, target: None, check: Check::Run { args: l(&["--rm", "-p", "5000:8080", "aspnetapp"]), argv: Some(l(&["dotnet", "aspnetapp.dll"])), answers_on: vec![5000], listening: vec![] }, line: 51 },
            ],
            solution: None,
        },
        Exercise {
            id: s("port-5000"),
            title: s("Make the app answer on host port 5000"),
            summary: Some(s("Fix the listening address so the published port reaches the app.")),
            difficulty: Some(s("intermediate")),
            tags: l(&["ports", "run", "dotnet"]),
            instructions: s(r#"The tutorial runs the app with:

```sh
docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp
```

and then opens <http://localhost:5000>. With this Dockerfile, the browser
gets no answer. Find out why (`docker run` explains where the app listens),
and fix the **Dockerfile** so that host port 5000 reaches the app. While you
are at it, document the port the app really uses with `EXPOSE`.
"#),
            hints: l(&["A published port reaches the container's network interface, not its `localhost`.", "The aspnet:8.0 image already makes the app listen on all interfaces on 8080 (`ASPNETCORE_HTTP_PORTS=8080`): the `ENV` line here overrides it."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy csproj and restore as distinct layers
COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

# copy everything else and build app
COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://localhost:8080
EXPOSE 80
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::Run { args: l(&["-it", "--rm", "-p", "5000:8080", "--name", "aspnetcore_sample", "aspnetapp"]), argv: None, answers_on: vec![5000], listening: vec![] }, line: 52 },
                CheckSpec { name: None, target: None, check: Check::Exposes { ports: l(&["8080/tcp"]) }, line: 57 },
            ],
            solution: None,
        },
        Exercise {
            id: s("restore-stays-cached"),
            title: s("Keep `dotnet restore` cached when the code changes"),
            summary: Some(s("Order the COPY steps so that a source edit does not re-run the restore.")),
            difficulty: Some(s("beginner")),
            tags: l(&["cache", "layers", "dotnet"]),
            instructions: s(r#"Every edit of `Program.cs` makes this Dockerfile download the app's NuGet
packages again: `RUN dotnet restore` comes after a `COPY` of the whole
`aspnetapp` folder, so any change to any file in it invalidates the cache
of the restore and of every step after it.

The restore only needs the solution and the project file (`*.csproj`).
Change the Dockerfile so that:

1. editing `aspnetapp/Program.cs` and rebuilding leaves `RUN dotnet restore`
   **CACHED** (the publish still runs, so the new code is built);
2. editing the project file still re-runs the restore (packages may have
   changed).

Build, edit `Program.cs`, and rebuild to watch the cache at work.
"#),
            hints: l(&["Copy only what the restore reads first: `COPY *.sln .` and `COPY aspnetapp/*.csproj ./aspnetapp/`.", "Then `RUN dotnet restore`, and only after it `COPY aspnetapp/. ./aspnetapp/` for the rest of the sources."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"# https://hub.docker.com/_/microsoft-dotnet
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source

# copy the app and restore its packages
COPY *.sln .
COPY aspnetapp/. ./aspnetapp/
RUN dotnet restore

# build the app
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

# final stage/image
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::Builds, line: 53 },
                CheckSpec { name: Some(s("A source edit keeps `RUN dotnet restore` CACHED")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/Program.cs"), action: EditAction::Append(s(r#"
// a small change
"#)) }], cached: l(&["RUN dotnet restore*"]), not_cached: l(&[]) }, line: 56 },
                CheckSpec { name: Some(s("A source edit still rebuilds the app")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/Program.cs"), action: EditAction::Append(s(r#"
// a small change
"#)) }], cached: l(&[]), not_cached: l(&["RUN dotnet publish*"]) }, line: 62 },
                CheckSpec { name: Some(s("A project file edit re-runs the restore")), target: None, check: Check::Cache { edits: vec![Edit { file: s("aspnetapp/aspnetapp.csproj"), action: EditAction::Replace { from: s("<Nullable>enable</Nullable>"), to: s("<Nullable>disable</Nullable>") } }], cached: l(&[]), not_cached: l(&["RUN dotnet restore*"]) }, line: 68 },
            ],
            solution: None,
        },
        Exercise {
            id: s("slim-final-image"),
            title: s("Ship the app, not the SDK"),
            summary: Some(s("Use a multi-stage build so the final image is the ASP.NET Core runtime plus the app.")),
            difficulty: Some(s("intermediate")),
            tags: l(&["multi-stage", "size", "dotnet"]),
            instructions: s(r#"This Dockerfile builds and runs the app in one stage, on
`mcr.microsoft.com/dotnet/sdk:8.0`. The image it produces carries the
whole .NET SDK (compilers, NuGet, MSBuild: hundreds of MB) and the
sources, none of which the app needs at run time.

Split it into two stages: build and publish in an `sdk` stage, then start a
new stage `FROM mcr.microsoft.com/dotnet/aspnet:8.0` and copy only the
published output into it. The final image must:

- have no layers from the SDK image and no `/usr/share/dotnet/sdk` or sources in `/source`;
- weigh at most **250 MB**;
- still run `dotnet aspnetapp.dll` and answer on host port 5000 with
  `docker run --rm -p 5000:8080 aspnetapp`.
"#),
            hints: l(&["Name the first stage: `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build`.", "After the publish, add `FROM mcr.microsoft.com/dotnet/aspnet:8.0`, `WORKDIR /app` and `COPY --from=build /app ./`."]),
            start: FileSet { sample: Some(s("aspnetapp")), files: m(&[("Dockerfile", r#"FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /source

COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

WORKDIR /app
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#)]), remove: l(&[]) },
            dockerfile: s("Dockerfile"),
            build: BuildSettings { tags: l(&[]), target: None, build_args: m(&[]) },
            checks: vec![
                CheckSpec { name: None, target: None, check: Check::BaseImages { present: l(&[]), absent: l(&["mcr.microsoft.com/dotnet/sdk:8.0"]) }, line: 47 },
                CheckSpec { name: None, target: None, check: Check::Files { present: l(&[]), absent: l(&["/usr/share/dotnet/sdk", "/source"]) }, line: 51 },
                CheckSpec { name: None, target: None, check: Check::ImageSize { min: None, max: Some(250000000) }, line: 55 },
                CheckSpec { name: None, target: None, check: Check::Run { args: l(&["--rm", "-p", "5000:8080", "aspnetapp"]), argv: Some(l(&["dotnet", "aspnetapp.dll"])), answers_on: vec![5000], listening: vec![] }, line: 59 },
            ],
            solution: None,
        },
    ]
}
