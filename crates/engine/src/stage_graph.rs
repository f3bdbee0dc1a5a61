//! The stage graph of a build, as BuildKit's `buildStageDependencyGraph`
//! sees it: which stage depends on which (`FROM <stage>`,
//! `COPY --from=<stage or index>`, `RUN --mount=...,from=<stage>`), which
//! stages the target needs and which it skips, and the layers each built
//! stage ends with. [`crate::build::build`] fills it in
//! ([`crate::build::BuildReport::stages`]); the front ends draw it.
//!
//! A `--from` or `from=` that names no stage names an image: BuildKit
//! pulls it as a source of its own, it is not a stage and is reported as
//! [`DependencySource::Image`].

use serde::Serialize;

use crate::state::LayerInfo;

/// How a stage depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencyKind {
    /// `FROM <stage>`: the stage is built on the other one.
    From,
    /// `COPY --from=<stage>`: files are copied out of it.
    CopyFrom,
    /// `RUN --mount=...,from=<stage>`: it is mounted while a command runs.
    Mount,
}

impl DependencyKind {
    /// The Dockerfile words that make the dependency (`COPY --from`).
    pub fn label(self) -> &'static str {
        match self {
            DependencyKind::From => "FROM",
            DependencyKind::CopyFrom => "COPY --from",
            DependencyKind::Mount => "RUN --mount",
        }
    }
}

/// What a dependency names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencySource {
    /// A stage of the Dockerfile, by its index in [`crate::build::BuildReport::stages`].
    Stage(usize),
    /// An image that is not a stage (`COPY --from=nginx:1.27`), as written.
    Image(String),
}

/// One edge of the stage graph: the stage that holds it depends on `source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageDependency {
    /// How.
    pub kind: DependencyKind,
    /// On what.
    pub source: DependencySource,
    /// 1-based Dockerfile line of the first instruction that makes it.
    pub line: usize,
}

/// One stage of the Dockerfile, as the build saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageReport {
    /// Its position among the stages (0-based: `COPY --from=0` names the
    /// first).
    pub index: usize,
    /// The name BuildKit shows: the `AS` name, else `stage-N`.
    pub name: String,
    /// The `AS` name, when it has one.
    pub alias: Option<String>,
    /// What its FROM names after build-arg expansion: an image reference,
    /// `scratch`, or a stage's name.
    pub base: String,
    /// 1-based line of its FROM.
    pub line: usize,
    /// Whether the target needs it (it was built).
    pub needed: bool,
    /// Why it was not built, in words (`not needed for target final`).
    pub skipped_reason: Option<String>,
    /// What it depends on: its FROM stage first, then `COPY --from` and
    /// mounts in Dockerfile order, one edge per kind and source.
    pub dependencies: Vec<StageDependency>,
    /// The layers it ends with, bottom first (empty when not built): a
    /// base image's layers carry that image in [`LayerInfo::base`].
    pub layers: Vec<LayerInfo>,
    /// How many of the bottom [`StageReport::layers`] it inherits from the
    /// stage it is built FROM.
    pub inherited_layers: usize,
}

impl StageReport {
    /// The stages this one depends on (indices), without repeats.
    pub fn stage_dependencies(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for d in &self.dependencies {
            if let DependencySource::Stage(s) = d.source {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        out
    }
}

/// What a layer does to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A new path.
    Added,
    /// A path the layer rewrites (content, type, mode or owner).
    Changed,
    /// A path the layer deletes (a whiteout).
    Deleted,
}

/// One file, link or whiteout in a layer the build made (directories are
/// left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerFileChange {
    /// Absolute path.
    pub path: String,
    /// What the layer does to it.
    pub change: ChangeKind,
    /// Size of the file; for a deletion, the bytes it hides.
    pub size: u64,
}

/// The file changes of a layer diff, directories left out.
pub fn file_changes(diff: &crate::filesystem::LayerDiff) -> Vec<LayerFileChange> {
    use crate::filesystem::Change;
    diff.changes
        .iter()
        .filter_map(|c| match c {
            Change::Added(_, n) | Change::Modified(_, n) if n.is_dir() => None,
            Change::Added(p, n) => Some(LayerFileChange {
                path: p.clone(),
                change: ChangeKind::Added,
                size: n.size(),
            }),
            Change::Modified(p, n) => Some(LayerFileChange {
                path: p.clone(),
                change: ChangeKind::Changed,
                size: n.size(),
            }),
            Change::Deleted(p, hidden) => Some(LayerFileChange {
                path: p.clone(),
                change: ChangeKind::Deleted,
                size: *hidden,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{build, BuildOptions, BuildReport};
    use crate::context::Context;
    use crate::state::State;

    /// The tutorial's Dockerfile, as the playground ships it.
    const ASPNETAPP: &str = include_str!("../../../static/samples/aspnetapp/Dockerfile");

    fn run(dockerfile: &str, files: &[(&str, &str)], target: Option<&str>) -> BuildReport {
        let mut all = vec![("Dockerfile", dockerfile)];
        all.extend_from_slice(files);
        let ctx = Context::from_files(all).unwrap_or_default();
        let opts = BuildOptions {
            target: target.map(String::from),
            ..BuildOptions::default()
        };
        build(dockerfile, &ctx, &opts, &mut State::new())
    }

    fn dep(kind: DependencyKind, source: DependencySource, line: usize) -> StageDependency {
        StageDependency { kind, source, line }
    }

    fn aspnet_files() -> Vec<(&'static str, &'static str)> {
        vec![
            (
                "aspnetapp.sln",
                "Microsoft Visual Studio Solution File, Format Version 12.00\nProject(\"{9A19103F}\") = \"aspnetapp\", \"aspnetapp\\aspnetapp.csproj\", \"{3D2C}\"\nEndProject\n",
            ),
            (
                "aspnetapp/aspnetapp.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n",
            ),
            (
                "aspnetapp/Program.cs",
                "var app = WebApplication.Create(args);\napp.MapGet(\"/\", () => \"Hello\");\napp.Run();\n",
            ),
        ]
    }

    #[test]
    fn aspnetapp_final_stage_copies_from_build() {
        let r = run(ASPNETAPP, &aspnet_files(), None);
        assert_eq!(r.error, None);
        assert_eq!(r.stages.len(), 2);
        let (b, f) = (&r.stages[0], &r.stages[1]);
        assert_eq!(
            (b.index, b.name.as_str(), b.alias.as_deref(), b.line),
            (0, "build", Some("build"), 2)
        );
        assert_eq!(b.base, "mcr.microsoft.com/dotnet/sdk:8.0");
        assert!(b.dependencies.is_empty());
        assert_eq!((f.name.as_str(), f.alias.as_deref()), ("stage-1", None));
        assert_eq!(
            f.dependencies,
            [dep(
                DependencyKind::CopyFrom,
                DependencySource::Stage(0),
                18
            )]
        );
        assert!(b.needed && f.needed);
        assert_eq!(b.skipped_reason, None);

        // The build stage's layers: the sdk's, then its own.
        let sdk = b.layers.iter().take_while(|l| l.base.is_some()).count();
        assert!(sdk >= 2, "{:?}", b.layers);
        assert!(b.layers[..sdk]
            .iter()
            .all(|l| l.base.as_deref() == Some("mcr.microsoft.com/dotnet/sdk:8.0")));
        assert!(b.layers.len() > sdk);
        assert_eq!(b.inherited_layers, 0);
        // The final stage ends with the image's layers.
        let image = r.image.as_ref().map(|i| i.layers.clone());
        assert_eq!(Some(f.layers.clone()), image);
        // Every own layer of every stage has its file changes.
        for l in b
            .layers
            .iter()
            .chain(&f.layers)
            .filter(|l| l.base.is_none())
        {
            assert!(r.layer_files.contains_key(&l.digest), "{}", l.created_by);
        }
        let restore = b
            .layers
            .iter()
            .find(|l| l.created_by.contains("COPY *.sln"));
        let files = restore.and_then(|l| r.layer_files.get(&l.digest));
        assert_eq!(
            files.map(|f| f
                .iter()
                .map(|c| (c.path.as_str(), c.change))
                .collect::<Vec<_>>()),
            Some(vec![("/source/aspnetapp.sln", ChangeKind::Added)])
        );
    }

    #[test]
    fn a_target_skips_stages_it_does_not_need() {
        let df = "FROM alpine:3.20 AS base\nRUN echo base > /b\n\
                  FROM base AS test\nRUN echo test\n\
                  FROM alpine:3.20 AS docs\nRUN echo docs > /d\n\
                  FROM base AS final\nCOPY --from=base /b /c\n";
        let r = run(df, &[], Some("test"));
        assert_eq!(r.error, None);
        let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["base", "test", "docs", "final"]);
        let needed: Vec<bool> = r.stages.iter().map(|s| s.needed).collect();
        assert_eq!(needed, [true, true, false, false]);
        assert_eq!(
            r.stages[2].skipped_reason.as_deref(),
            Some("not needed for target test")
        );
        assert!(r.stages[2].layers.is_empty());
        assert_eq!(
            r.stages[1].dependencies,
            [dep(DependencyKind::From, DependencySource::Stage(0), 3)]
        );
        // FROM and COPY --from on the same stage are two edges.
        assert_eq!(
            r.stages[3].dependencies,
            [
                dep(DependencyKind::From, DependencySource::Stage(0), 7),
                dep(DependencyKind::CopyFrom, DependencySource::Stage(0), 8),
            ]
        );
        assert_eq!(r.stages[3].stage_dependencies(), [0]);
        // The test stage inherits base's layers.
        let base_layers = r.stages[0].layers.len();
        assert_eq!(r.stages[1].inherited_layers, base_layers);
        assert_eq!(
            r.stages[1].layers[..base_layers],
            r.stages[0].layers[..base_layers]
        );
    }

    #[test]
    fn copy_from_an_index_and_mounts_from_a_stage() {
        let df = "FROM alpine:3.20\nRUN echo one > /one\n\
                  FROM alpine:3.20 AS tools\nRUN echo two > /two\n\
                  FROM alpine:3.20\n\
                  COPY --from=0 /one /one\n\
                  RUN --mount=type=bind,from=tools,target=/t echo mounted\n\
                  RUN --mount=type=cache,target=/cache echo no source\n";
        let r = run(df, &[], None);
        assert_eq!(r.error, None);
        assert_eq!(r.stages.len(), 3);
        assert_eq!(r.stages[0].name, "stage-0");
        assert_eq!(
            r.stages[2].dependencies,
            [
                dep(DependencyKind::CopyFrom, DependencySource::Stage(0), 6),
                dep(DependencyKind::Mount, DependencySource::Stage(1), 7),
            ]
        );
        assert!(r.stages.iter().all(|s| s.needed));
    }

    #[test]
    fn an_image_in_copy_from_is_not_a_stage() {
        let df = "FROM alpine:3.20 AS build\nRUN echo hi > /hi\n\
                  FROM alpine:3.20\n\
                  COPY --from=busybox:1.36 /bin/busybox /busybox\n\
                  COPY --from=build /hi /hi\n";
        let r = run(df, &[], None);
        assert_eq!(r.error, None);
        // Two stages: the image named by --from is no stage of its own.
        assert_eq!(r.stages.len(), 2);
        assert_eq!(
            r.stages[1].dependencies,
            [
                dep(
                    DependencyKind::CopyFrom,
                    DependencySource::Image("busybox:1.36".into()),
                    4
                ),
                dep(DependencyKind::CopyFrom, DependencySource::Stage(0), 5),
            ]
        );
        assert_eq!(r.stages[1].stage_dependencies(), [0]);
        assert!(r.skipped_stages.is_empty());
    }

    #[test]
    fn a_failed_parse_has_no_stages() {
        let r = run("FROM alpine\nFOO bar\n", &[], None);
        assert!(r.error.is_some());
        assert!(r.stages.is_empty());
    }
}
