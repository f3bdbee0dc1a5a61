//! The built-in exercises (`static/exercises/*.toml`) as data, read by
//! `super::reader` (the reference solutions, which the page does not
//! show, are left out).
//!
//! @generated from the TOML files by `LAYERLAB_REGENERATE=1 cargo test -p
//! layerlab-web builtin_rs`; do not edit. A test checks that the values
//! read equal what the engine reads from the files.

use layerlab_engine::exercise::Exercise;

/// Every string of the exercises (numbers in decimal) in reading
/// order, each followed by a NUL.
#[rustfmt::skip]
static STRINGS: &str = concat!(
    "build-target", "\0",
    "Name the build stage", "\0",
    "Give the build stage a name so it can be targeted and copied from by name.", "\0",
    "beginner", "\0",
    "multi-stage", "\0",
    "target", "\0",
    r#"The CI pipeline wants to run only the build stage, with
`docker build --target build .`, and fails: this Dockerfile's stages have
no names, and the final stage copies from stage `0` (a number that breaks
as soon as someone adds a stage above it).

Name the first stage `build` and copy from it by name. Both
`docker build --target build .` and the full build must succeed, and the
file must keep its two stages.
"#, "\0",
    "`FROM image AS name` names a stage; `COPY --from=name` copies from it.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "build", "\0",
    "45", "\0",
    "49", "\0",
    "2", "\0",
    "2", "\0",
    "52", "\0",
    "dockerignore-build-output", "\0",
    "Keep local build output out of the context", "\0",
    "Write a .dockerignore so bin/ and obj/ do not bust the cache or leak into the build.", "\0",
    "intermediate", "\0",
    "dockerignore", "\0",
    "cache", "\0",
    "context", "\0",
    r#"This project has no `.dockerignore`, and someone built it locally: the
context now contains `aspnetapp/bin/` and `aspnetapp/obj/`. Because of
`COPY aspnetapp/. ./aspnetapp/`, every local build changes the context,
re-runs the copy and the publish, and copies a stale `obj/project.assets.json`
over the one `dotnet restore` just made.

Add a `.dockerignore` so that changes in `bin/` and `obj/` leave the build
**CACHED**, while changes to the sources still rebuild the app.
"#, "\0",
    "A `.dockerignore` sits at the root of the context, one pattern per line.", "\0",
    "`**/bin/` and `**/obj/` match those folders at any depth.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "aspnetapp/bin/Debug/net8.0/aspnetapp.dll", "\0",
    r#"MZ (a local debug build)
"#, "\0",
    "aspnetapp/obj/project.assets.json", "\0",
    r#"{ "version": 3 }
"#, "\0",
    ".dockerignore", "\0",
    "Dockerfile", "\0",
    "A local build (new `obj/` content) leaves the image build CACHED", "\0",
    "aspnetapp/obj/project.assets.json", "\0",
    r#"{ "version": 3, "local": true }
"#, "\0",
    "COPY aspnetapp/. ./aspnetapp/", "\0",
    "RUN dotnet publish*", "\0",
    "51", "\0",
    "A source edit still rebuilds the app", "\0",
    "aspnetapp/Program.cs", "\0",
    r#"
// a small change
"#, "\0",
    "RUN dotnet publish*", "\0",
    "57", "\0",
    "A new local debug build (`bin/`) leaves the image build CACHED", "\0",
    "aspnetapp/bin/Debug/net8.0/aspnetapp.dll", "\0",
    r#"MZ (another local debug build)
"#, "\0",
    "COPY aspnetapp/. ./aspnetapp/", "\0",
    "RUN dotnet publish*", "\0",
    "63", "\0",
    "entrypoint-exec-form", "\0",
    "Let `docker stop` reach the app", "\0",
    "Write ENTRYPOINT in exec form so the app, not a shell, is PID 1.", "\0",
    "beginner", "\0",
    "entrypoint", "\0",
    "signals", "\0",
    r#"`ENTRYPOINT dotnet aspnetapp.dll` is the *shell form*: Docker stores it as
`["/bin/sh", "-c", "dotnet aspnetapp.dll"]`, so the container's PID 1 is a
shell. The shell does not pass `SIGTERM` on to the app, so `docker stop`
waits 10 seconds and then kills it.

Rewrite the `ENTRYPOINT` in *exec form* (a JSON array) so that the
container runs `dotnet aspnetapp.dll` directly.
"#, "\0",
    "Exec form is a JSON array: each word in double quotes, separated by commas.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "44", "\0",
    "--rm", "\0",
    "aspnetapp", "\0",
    "dotnet", "\0",
    "aspnetapp.dll", "\0",
    "48", "\0",
    "fix-copy-everything", "\0",
    "Fix the `COPY . .` anti-pattern", "\0",
    "A Dockerfile that copies everything before restoring: make source edits cheap.", "\0",
    "beginner", "\0",
    "cache", "\0",
    "best-practices", "\0",
    "dotnet", "\0",
    r#"This Dockerfile works, but it starts with `COPY . .`: the whole build
context lands in one layer **before** `dotnet restore`. Any change to any
file (a comment in `Program.cs`, a setting in `appsettings.json`) changes
that layer, and BuildKit runs the restore and everything after it again.

Fix it so that editing the app's code or settings keeps `RUN dotnet restore`
**CACHED**, while the app is still rebuilt and published to `/app`.
"#, "\0",
    "A step's cache key includes the checksums of the files its COPY selects. Which files does `dotnet restore` read?", "\0",
    "Copy `*.sln` and `aspnetapp/*.csproj` first, restore, then copy the rest.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY . .
RUN dotnet restore
RUN dotnet publish aspnetapp/aspnetapp.csproj -c release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#, "\0",
    "Dockerfile", "\0",
    "Editing `Program.cs` keeps the restore CACHED and rebuilds the app", "\0",
    "aspnetapp/Program.cs", "\0",
    r#"
// a small change
"#, "\0",
    "RUN dotnet restore*", "\0",
    "RUN dotnet publish*", "\0",
    "39", "\0",
    "Editing `appsettings.json` keeps the restore CACHED", "\0",
    "aspnetapp/appsettings.json", "\0",
    "\"AllowedHosts\"", "\0",
    "\"AllowedHosts\" ", "\0",
    "RUN dotnet restore*", "\0",
    "46", "\0",
    "/app/aspnetapp.dll", "\0",
    "52", "\0",
    "healthcheck-and-expose", "\0",
    "Tell Docker how to check the app's health", "\0",
    "Add a HEALTHCHECK, and EXPOSE the port it checks.", "\0",
    "intermediate", "\0",
    "healthcheck", "\0",
    "expose", "\0",
    "dotnet", "\0",
    r#"A running container is not necessarily a working app. A `HEALTHCHECK` tells
Docker how to test it, and `docker ps` then shows `healthy` or
`unhealthy`.

The aspnet image has no `curl`. Install it in the final stage (in **one**
`RUN`, cleaning the package lists), then add a `HEALTHCHECK` that requests
`http://localhost:8080/`, and `EXPOSE 8080` to document the port.
"#, "\0",
    "`RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`", "\0",
    "`HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/ || exit 1`", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "47", "\0",
    "8080/tcp", "\0",
    "50", "\0",
    "`curl` is installed, and the package lists are cleaned up", "\0",
    "/usr/bin/curl", "\0",
    "/var/lib/apt/lists/*_Packages*", "\0",
    "54", "\0",
    "lint-clean", "\0",
    "Pass BuildKit's build checks", "\0",
    "Fix every warning `docker build --check` reports.", "\0",
    "beginner", "\0",
    "lint", "\0",
    "best-practices", "\0",
    r#"`docker build --check .` runs BuildKit's build checks without building.
This Dockerfile builds, but the checks report several warnings: mixed
keyword casing, a stage name in capitals, the legacy `ENV key value` form,
and a shell-form `ENTRYPOINT`.

Fix them all. The app must still build and start `dotnet aspnetapp.dll`.
Each warning comes with its rule name; the playground explains each rule.
"#, "\0",
    "Write every instruction keyword in upper case, and stage names in lower case.", "\0",
    "`ENV NAME=value`, and `ENTRYPOINT [\"dotnet\", \"aspnetapp.dll\"]`.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"from mcr.microsoft.com/dotnet/sdk:8.0 AS Build
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
"#, "\0",
    "Dockerfile", "\0",
    "44", "\0",
    "--rm", "\0",
    "-p", "\0",
    "5000:8080", "\0",
    "aspnetapp", "\0",
    "dotnet", "\0",
    "aspnetapp.dll", "\0",
    "5000", "\0",
    "47", "\0",
    "non-root", "\0",
    "Run the app as a non-root user", "\0",
    "Switch the final stage to the unprivileged user the aspnet image provides.", "\0",
    "beginner", "\0",
    "security", "\0",
    "user", "\0",
    "dotnet", "\0",
    r#"Without a `USER` instruction, the container's process runs as **root**.
If the app is ever compromised, the attacker is root inside the container.

Since .NET 8, the official `aspnet` images include an unprivileged user,
`app`, and set `APP_UID` to its numeric id. Make the final image run the
app as that user. The app must still start (`dotnet aspnetapp.dll`) and
answer on host port 5000 with `docker run --rm -p 5000:8080 aspnetapp`
(ASP.NET Core 8 listens on 8080, a port an unprivileged user may bind).
"#, "\0",
    "Add a `USER` instruction to the **final** stage, before `ENTRYPOINT`.", "\0",
    "`USER $APP_UID` uses the numeric id, which also works with Kubernetes' `runAsNonRoot`.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "48", "\0",
    "--rm", "\0",
    "-p", "\0",
    "5000:8080", "\0",
    "aspnetapp", "\0",
    "dotnet", "\0",
    "aspnetapp.dll", "\0",
    "5000", "\0",
    "51", "\0",
    "port-5000", "\0",
    "Make the app answer on host port 5000", "\0",
    "Fix the listening address so the published port reaches the app.", "\0",
    "intermediate", "\0",
    "ports", "\0",
    "run", "\0",
    "dotnet", "\0",
    r#"The tutorial runs the app with:

```sh
docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp
```

and then opens <http://localhost:5000>. With this Dockerfile, the browser
gets no answer. Find out why (`docker run` explains where the app listens),
and fix the **Dockerfile** so that host port 5000 reaches the app. While you
are at it, document the port the app really uses with `EXPOSE`.
"#, "\0",
    "A published port reaches the container's network interface, not its `localhost`.", "\0",
    "The aspnet:8.0 image already makes the app listen on all interfaces on 8080 (`ASPNETCORE_HTTP_PORTS=8080`): the `ENV` line here overrides it.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "-it", "\0",
    "--rm", "\0",
    "-p", "\0",
    "5000:8080", "\0",
    "--name", "\0",
    "aspnetcore_sample", "\0",
    "aspnetapp", "\0",
    "5000", "\0",
    "52", "\0",
    "8080/tcp", "\0",
    "57", "\0",
    "restore-stays-cached", "\0",
    "Keep `dotnet restore` cached when the code changes", "\0",
    "Order the COPY steps so that a source edit does not re-run the restore.", "\0",
    "beginner", "\0",
    "cache", "\0",
    "layers", "\0",
    "dotnet", "\0",
    r#"Every edit of `Program.cs` makes this Dockerfile download the app's NuGet
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
"#, "\0",
    "Copy only what the restore reads first: `COPY *.sln .` and `COPY aspnetapp/*.csproj ./aspnetapp/`.", "\0",
    "Then `RUN dotnet restore`, and only after it `COPY aspnetapp/. ./aspnetapp/` for the rest of the sources.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"# https://hub.docker.com/_/microsoft-dotnet
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
"#, "\0",
    "Dockerfile", "\0",
    "53", "\0",
    "A source edit keeps `RUN dotnet restore` CACHED", "\0",
    "aspnetapp/Program.cs", "\0",
    r#"
// a small change
"#, "\0",
    "RUN dotnet restore*", "\0",
    "56", "\0",
    "A source edit still rebuilds the app", "\0",
    "aspnetapp/Program.cs", "\0",
    r#"
// a small change
"#, "\0",
    "RUN dotnet publish*", "\0",
    "62", "\0",
    "A project file edit re-runs the restore", "\0",
    "aspnetapp/aspnetapp.csproj", "\0",
    "<Nullable>enable</Nullable>", "\0",
    "<Nullable>disable</Nullable>", "\0",
    "RUN dotnet restore*", "\0",
    "68", "\0",
    "slim-final-image", "\0",
    "Ship the app, not the SDK", "\0",
    "Use a multi-stage build so the final image is the ASP.NET Core runtime plus the app.", "\0",
    "intermediate", "\0",
    "multi-stage", "\0",
    "size", "\0",
    "dotnet", "\0",
    r#"This Dockerfile builds and runs the app in one stage, on
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
"#, "\0",
    "Name the first stage: `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build`.", "\0",
    "After the publish, add `FROM mcr.microsoft.com/dotnet/aspnet:8.0`, `WORKDIR /app` and `COPY --from=build /app ./`.", "\0",
    "aspnetapp", "\0",
    "Dockerfile", "\0",
    r#"FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /source

COPY *.sln .
COPY aspnetapp/*.csproj ./aspnetapp/
RUN dotnet restore

COPY aspnetapp/. ./aspnetapp/
WORKDIR /source/aspnetapp
RUN dotnet publish -c release -o /app --no-restore

WORKDIR /app
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
"#, "\0",
    "Dockerfile", "\0",
    "mcr.microsoft.com/dotnet/sdk:8.0", "\0",
    "47", "\0",
    "/usr/share/dotnet/sdk", "\0",
    "/source", "\0",
    "51", "\0",
    "250000000", "\0",
    "55", "\0",
    "--rm", "\0",
    "-p", "\0",
    "5000:8080", "\0",
    "aspnetapp", "\0",
    "dotnet", "\0",
    "aspnetapp.dll", "\0",
    "5000", "\0",
    "59", "\0",
);

/// Every count (a length, 0 or 1 for an option, a variant, a flag) in
/// reading order.
#[rustfmt::skip]
static SHAPE: &[u8] = &[
    10, 1, 1, 2, 1, 1, 1, 0, 0, 0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 0, 13, 1, 1, 1,
    1, 3, 2, 1, 3, 1, 0, 0, 0, 3, 1, 0, 1, 1, 2, 2, 0, 1, 0, 1, 1, 0, 0, 1,
    1, 0, 1, 1, 2, 2, 0, 1, 1, 2, 1, 1, 1, 0, 0, 0, 0, 2, 0, 0, 6, 0, 0, 0,
    12, 2, 1, 2, 0, 0, 1, 1, 3, 2, 1, 1, 0, 0, 0, 0, 3, 1, 0, 1, 1, 0, 1, 1,
    1, 0, 1, 1, 3, 1, 0, 0, 0, 3, 1, 0, 1, 1, 3, 2, 1, 1, 0, 0, 0, 0, 3, 0,
    0, 8, 0, 0, 7, 1, 1, 0, 3, 1, 1, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 2, 0, 0,
    11, 0, 0, 0, 0, 12, 4, 1, 2, 1, 0, 1, 1, 3, 2, 1, 1, 0, 0, 0, 0, 2, 0, 0,
    5, 0, 0, 12, 4, 1, 2, 1, 0, 1, 1, 3, 2, 1, 1, 0, 0, 0, 0, 2, 0, 0, 12, 7,
    0, 1, 0, 0, 0, 7, 1, 1, 1, 3, 2, 1, 1, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 1,
    1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 3, 0, 1, 1, 1, 3, 2, 1, 1,
    0, 0, 0, 0, 4, 0, 0, 4, 0, 1, 0, 0, 3, 0, 2, 0, 0, 2, 0, 1, 0, 0, 12, 4,
    1, 2, 1, 0,
];

/// The built-in exercises, in file-name order.
pub fn exercises() -> Vec<Exercise> {
    super::reader::read(STRINGS, SHAPE)
}
