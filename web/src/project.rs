//! The files of a project (the Dockerfile and its build context) as the
//! editor holds them, and the sample projects embedded from
//! `static/samples/`.
//!
//! This is plain data for the UI: what the files mean to Docker is the
//! engine's business.

use std::rc::Rc;

use layerlab_engine::shared_sort;

/// One file of the project: a slash-separated path relative to the build
/// context root, its text, and its permission bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFile {
    /// Path relative to the context root, e.g. `aspnetapp/Program.cs`.
    pub path: String,
    /// The file's contents as text (empty for a binary file).
    pub contents: Rc<str>,
    /// The bytes of a file that is not UTF-8 (imported from an archive);
    /// such a file is shown, not edited.
    pub binary: Option<Rc<[u8]>>,
    /// Permission bits (`0o644`, `0o755`).
    pub mode: u32,
}

impl ProjectFile {
    /// A text file with mode 0644.
    pub fn text(path: impl Into<String>, contents: impl Into<Rc<str>>) -> Self {
        ProjectFile {
            path: path.into(),
            contents: contents.into(),
            binary: None,
            mode: 0o644,
        }
    }

    /// A file from bytes: text when they are UTF-8, else binary.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>, mode: u32) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => ProjectFile {
                path: path.into(),
                contents: text.into(),
                binary: None,
                mode,
            },
            Err(e) => ProjectFile {
                path: path.into(),
                contents: "".into(),
                binary: Some(e.into_bytes().into()),
                mode,
            },
        }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.binary {
            Some(b) => b,
            None => self.contents.as_bytes(),
        }
    }
}

/// A Dockerfile and its build context, as edited in the playground.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The image name builds tag (`aspnetapp`).
    pub name: String,
    /// The sample it started from (an id of [`SAMPLES`]), or `import`.
    pub origin: String,
    /// The files, in the order the file list shows them.
    pub files: Vec<ProjectFile>,
}

/// A sample project to pick from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Stable id (used in share links).
    pub id: &'static str,
    /// Name in the picker.
    pub title: &'static str,
    /// One line about what it shows.
    pub summary: &'static str,
    /// The image name builds tag.
    pub image: &'static str,
    /// The `docker run` line the run view starts with.
    pub run: &'static str,
    /// The files, Dockerfile first.
    pub files: &'static [(&'static str, &'static str)],
}

/// The sample files, embedded at compile time from `static/samples/`.
macro_rules! sample_files {
    ($dir:literal: $($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../../static/samples/", $dir, "/", $path)))),+]
    };
}

/// The ASP.NET Core tutorial's sample app (`aspnetapp`).
const ASPNETAPP: &[(&str, &str)] = sample_files!("aspnetapp":
    "Dockerfile",
    ".dockerignore",
    "aspnetapp.sln",
    "aspnetapp/aspnetapp.csproj",
    "aspnetapp/Program.cs",
    "aspnetapp/appsettings.json",
    "aspnetapp/wwwroot/css/site.css",
);

/// The same app with the tutorial's anti-pattern Dockerfile.
const ASPNETAPP_ANTIPATTERN: &[(&str, &str)] = &[
    (
        "Dockerfile",
        include_str!("../../static/samples/aspnetapp-antipattern/Dockerfile"),
    ),
    ASPNETAPP[1],
    ASPNETAPP[2],
    ASPNETAPP[3],
    ASPNETAPP[4],
    ASPNETAPP[5],
    ASPNETAPP[6],
];

const NODE: &[(&str, &str)] = sample_files!("node":
    "Dockerfile",
    ".dockerignore",
    "package.json",
    "package-lock.json",
    "src/index.js",
    "README.md",
);

const PYTHON: &[(&str, &str)] = sample_files!("python":
    "Dockerfile",
    ".dockerignore",
    "requirements.txt",
    "app/__init__.py",
    "app/main.py",
);

const GO: &[(&str, &str)] = sample_files!("go":
    "Dockerfile",
    ".dockerignore",
    "go.mod",
    "go.sum",
    "cmd/server/main.go",
);

/// Every sample, the default first.
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "aspnetapp",
        title: "ASP.NET Core (tutorial)",
        summary: "The tutorial's multi-stage build: restore as its own layer, SDK only in the build stage.",
        image: "aspnetapp",
        run: "docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp",
        files: ASPNETAPP,
    },
    Sample {
        id: "aspnetapp-antipattern",
        title: "ASP.NET Core: COPY . . first",
        summary: "The anti-pattern: everything is copied before restore, so every edit re-runs it.",
        image: "aspnetapp",
        run: "docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp",
        files: ASPNETAPP_ANTIPATTERN,
    },
    Sample {
        id: "node",
        title: "Node.js (Express)",
        summary: "npm ci in its own layer, a non-root user, node as PID 1.",
        image: "nodeapp",
        run: "docker run --rm -p 3000:3000 --name nodeapp nodeapp",
        files: NODE,
    },
    Sample {
        id: "python",
        title: "Python (Flask + gunicorn)",
        summary: "pip install from requirements.txt before the code is copied.",
        image: "pyapp",
        run: "docker run --rm -p 8000:8000 pyapp",
        files: PYTHON,
    },
    Sample {
        id: "go",
        title: "Go (static binary)",
        summary: "Build in golang, ship a static binary on Alpine.",
        image: "goapp",
        run: "docker run --rm -p 8080:8080 goapp",
        files: GO,
    },
];

/// The sample with `id`, if any.
pub fn sample(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}

impl Project {
    /// The project that loads by default: the ASP.NET Core tutorial's
    /// multi-stage Dockerfile and its `aspnetapp` context.
    pub fn sample() -> Self {
        Project::from_sample(&SAMPLES[0])
    }

    /// A fresh copy of a sample.
    pub fn from_sample(sample: &Sample) -> Self {
        Project {
            name: sample.image.to_owned(),
            origin: sample.id.to_owned(),
            files: sample
                .files
                .iter()
                .map(|(path, contents)| ProjectFile::text(*path, *contents))
                .collect(),
        }
    }

    /// The index of the file at `path`.
    pub fn index_of(&self, path: &str) -> Option<usize> {
        self.files.iter().position(|f| f.path == path)
    }

    /// The file at `path`.
    pub fn file(&self, path: &str) -> Option<&ProjectFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// The Dockerfile's text (empty when there is none).
    pub fn dockerfile(&self) -> &str {
        self.file("Dockerfile").map_or("", |f| &f.contents)
    }

    /// Returns a copy of the project with the file at `index` replaced by
    /// `contents` (unchanged if there is no such file).
    pub fn with_contents(&self, index: usize, contents: &str) -> Self {
        let mut next = self.clone();
        if let Some(file) = next.files.get_mut(index) {
            if file.binary.is_none() {
                file.contents = contents.into();
            }
        }
        next
    }

    /// Adds a file (or replaces the one at the same path); keeps the list
    /// sorted the way the tree shows it.
    pub fn with_file(&self, file: ProjectFile) -> Self {
        let mut next = self.clone();
        match next.index_of(&file.path) {
            Some(i) => next.files[i] = file,
            None => next.files.push(file),
        }
        next.sort();
        next
    }

    /// Renames the file at `from` (and every file below it, for a folder).
    pub fn renamed(&self, from: &str, to: &str) -> Self {
        let mut next = self.clone();
        let prefix = format!("{from}/");
        for file in &mut next.files {
            if file.path == from {
                file.path = to.to_owned();
            } else if let Some(rest) = file.path.strip_prefix(&prefix) {
                file.path = format!("{to}/{rest}");
            }
        }
        next.sort();
        next
    }

    /// Removes the file at `path`.
    pub fn without(&self, path: &str) -> Self {
        let mut next = self.clone();
        next.files.retain(|f| f.path != path);
        next
    }

    /// Orders files as the tree shows them: the Dockerfile first, then
    /// root files, then folders, each level by name (dot files first).
    pub fn sort(&mut self) {
        shared_sort::sort_by_key(&mut self.files, |f| tree_key(&f.path));
    }
}

/// The sort key of a path in the tree: `Dockerfile` first; at each level,
/// files before folders.
fn tree_key(path: &str) -> (bool, Vec<(bool, String)>) {
    let parts: Vec<&str> = path.split('/').collect();
    let key = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1 < parts.len(), p.to_ascii_lowercase()))
        .collect();
    (path != "Dockerfile", key)
}

/// One row of the file tree the UI shows: a directory or a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    /// Nesting depth (0 for entries at the context root).
    pub depth: usize,
    /// The last path component (directories end with `/`).
    pub label: String,
    /// The path (a directory's without the final `/`).
    pub path: String,
    /// For a file, its index in [`Project::files`]; `None` for a directory.
    pub file: Option<usize>,
}

/// The rows of a file tree for `files`, in their order: each directory is
/// shown once, just before the first file below it.
pub fn tree_rows(files: &[ProjectFile]) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut parts: Vec<&str> = file.path.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        let shared = open.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        open.truncate(shared);
        for dir in &parts[shared..] {
            open.push(dir);
            rows.push(TreeRow {
                depth: open.len() - 1,
                label: format!("{dir}/"),
                path: open.join("/"),
                file: None,
            });
        }
        rows.push(TreeRow {
            depth: open.len(),
            label: name.to_owned(),
            path: file.path.clone(),
            file: Some(index),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_starts_with_the_tutorial_dockerfile() {
        let project = Project::sample();
        let first = &project.files[0];
        assert_eq!(first.path, "Dockerfile");
        assert!(first
            .contents
            .starts_with("# https://hub.docker.com/_/microsoft-dotnet\n"));
        assert!(first.contents.contains("\nRUN dotnet restore\n"));
        assert!(first
            .contents
            .ends_with("ENTRYPOINT [\"dotnet\", \"aspnetapp.dll\"]\n"));
    }

    #[test]
    fn sample_paths_are_unique_and_relative() {
        for sample in SAMPLES {
            let project = Project::from_sample(sample);
            assert_eq!(project.files[0].path, "Dockerfile", "{}", sample.id);
            let mut paths: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
            assert!(paths
                .iter()
                .all(|p| !p.starts_with('/') && !p.contains('\\')));
            shared_sort::sort(&mut paths);
            paths.dedup();
            assert_eq!(paths.len(), project.files.len());
        }
    }

    #[test]
    fn the_antipattern_copies_everything_before_restore() {
        let project = Project::from_sample(&SAMPLES[1]);
        let df = project.dockerfile();
        let copy = df.find("COPY . .").unwrap_or(usize::MAX);
        let restore = df.find("RUN dotnet restore").unwrap_or(0);
        assert!(copy < restore);
    }

    #[test]
    fn editing_replaces_only_one_file() {
        let project = Project::sample();
        let edited = project.with_contents(4, "// new");
        assert_eq!(&*edited.files[4].contents, "// new");
        assert_eq!(edited.files[0], project.files[0]);
        assert_eq!(project.with_contents(99, ""), project);
    }

    #[test]
    fn files_are_added_renamed_and_removed_in_tree_order() {
        let project = Project::sample()
            .with_file(ProjectFile::text("README.md", "# hi\n"))
            .with_file(ProjectFile::text(
                "aspnetapp/Models/Todo.cs",
                "class Todo {}\n",
            ));
        let paths: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Dockerfile",
                ".dockerignore",
                "aspnetapp.sln",
                "README.md",
                "aspnetapp/appsettings.json",
                "aspnetapp/aspnetapp.csproj",
                "aspnetapp/Program.cs",
                "aspnetapp/Models/Todo.cs",
                "aspnetapp/wwwroot/css/site.css",
            ]
        );
        let renamed = project.renamed("aspnetapp/wwwroot", "aspnetapp/public");
        assert!(renamed.file("aspnetapp/public/css/site.css").is_some());
        let removed = renamed.without("README.md");
        assert!(removed.file("README.md").is_none());
        assert_eq!(removed.files.len(), project.files.len() - 1);
    }

    #[test]
    fn tree_shows_each_directory_once() {
        let rows = tree_rows(&Project::sample().files);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| format!("{}{}", "  ".repeat(r.depth), r.label))
            .collect();
        assert_eq!(
            shown,
            [
                "Dockerfile",
                ".dockerignore",
                "aspnetapp.sln",
                "aspnetapp/",
                "  aspnetapp.csproj",
                "  Program.cs",
                "  appsettings.json",
                "  wwwroot/",
                "    css/",
                "      site.css",
            ]
        );
        assert_eq!(rows[0].file, Some(0));
        assert_eq!(rows[3].file, None);
        assert_eq!(rows[3].path, "aspnetapp");
        assert_eq!(rows[8].path, "aspnetapp/wwwroot/css");
        assert_eq!(rows[9].file, Some(6));
    }

    #[test]
    fn tree_leaves_a_directory_and_reopens_another() {
        let file = |path: &str| ProjectFile::text(path, "");
        let rows = tree_rows(&[file("a/b/x"), file("a/c/y"), file("z")]);
        let shown: Vec<(usize, &str)> = rows.iter().map(|r| (r.depth, r.label.as_str())).collect();
        assert_eq!(
            shown,
            [
                (0, "a/"),
                (1, "b/"),
                (2, "x"),
                (1, "c/"),
                (2, "y"),
                (0, "z")
            ]
        );
    }

    #[test]
    fn binary_files_keep_their_bytes() {
        let f = ProjectFile::from_bytes("logo.png", vec![0x89, b'P', b'N', b'G', 0xff], 0o644);
        assert!(f.binary.is_some());
        assert_eq!(f.bytes(), &[0x89, b'P', b'N', b'G', 0xff]);
        let t = ProjectFile::from_bytes("a.txt", b"hi".to_vec(), 0o755);
        assert_eq!((&*t.contents, t.mode), ("hi", 0o755));
    }
}
