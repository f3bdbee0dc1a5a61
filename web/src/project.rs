//! The files of a project (the Dockerfile and its build context) as the
//! editor holds them, and the sample project that loads by default.
//!
//! This is plain data for the UI: what the files mean to Docker is the
//! engine's business.

/// One file of the project: a slash-separated path relative to the build
/// context root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFile {
    /// Path relative to the context root, e.g. `aspnetapp/Program.cs`.
    pub path: String,
    /// The file's contents.
    pub contents: String,
}

/// A Dockerfile and its build context, as edited in the playground.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// A short human name for the project.
    pub name: String,
    /// The files, Dockerfile first, in the order the file list shows them.
    pub files: Vec<ProjectFile>,
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

impl Project {
    /// The project that loads by default: the ASP.NET Core tutorial's
    /// multi-stage Dockerfile and its `aspnetapp` context.
    pub fn sample() -> Self {
        Project {
            name: "aspnetapp".to_owned(),
            files: ASPNETAPP
                .iter()
                .map(|(path, contents)| ProjectFile {
                    path: (*path).to_owned(),
                    contents: (*contents).to_owned(),
                })
                .collect(),
        }
    }

    /// Returns a copy of the project with the file at `index` replaced by
    /// `contents` (unchanged if there is no such file).
    pub fn with_contents(&self, index: usize, contents: String) -> Self {
        let mut next = self.clone();
        if let Some(file) = next.files.get_mut(index) {
            file.contents = contents;
        }
        next
    }
}

/// One row of the file tree the UI shows: a directory or a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    /// Nesting depth (0 for entries at the context root).
    pub depth: usize,
    /// The last path component (directories end with `/`).
    pub label: String,
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
            rows.push(TreeRow {
                depth: open.len(),
                label: format!("{dir}/"),
                file: None,
            });
            open.push(dir);
        }
        rows.push(TreeRow {
            depth: open.len(),
            label: name.to_owned(),
            file: Some(index),
        });
    }
    rows
}

/// The number of lines the editor shows for `text` (at least one; a final
/// newline starts a new, empty line, as in any text editor).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
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
        let project = Project::sample();
        let mut paths: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths
            .iter()
            .all(|p| !p.starts_with('/') && !p.contains('\\')));
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), project.files.len());
    }

    #[test]
    fn editing_replaces_only_one_file() {
        let project = Project::sample();
        let edited = project.with_contents(4, "// new".to_owned());
        assert_eq!(edited.files[4].contents, "// new");
        assert_eq!(edited.files[0], project.files[0]);
        assert_eq!(project.with_contents(99, String::new()), project);
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
        assert_eq!(rows[9].file, Some(6));
    }

    #[test]
    fn tree_leaves_a_directory_and_reopens_another() {
        let file = |path: &str| ProjectFile {
            path: path.to_owned(),
            contents: String::new(),
        };
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
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("FROM a"), 1);
        assert_eq!(line_count("FROM a\n"), 2);
        assert_eq!(line_count("FROM a\nRUN b"), 2);
    }
}
