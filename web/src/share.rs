//! Share links, local storage and the project download: the project and
//! the view settings as a versioned snapshot, compressed (deflate) and
//! base64url-encoded into the URL fragment (`#v1:...`), kept in
//! `localStorage`, or packed as a `.tar.gz`.

use std::io::Read;

use layerlab_engine::gzip::{self, DeflateDecoder};
use serde::{Deserialize, Serialize};

use crate::bridge::BuildSettings;
use crate::project::{Project, ProjectFile};
use crate::state::{AppState, Tab};

/// The snapshot format version written in links (`#v1:`).
pub const VERSION: u32 = 1;

/// Links longer than this are refused: many chat tools and browsers cut
/// long URLs.
pub const MAX_LINK_CHARS: usize = 16 * 1024;

/// The deflate level of links (flate2's `Compression::best()`, which made
/// the links out there: the same level gives the same links).
const LINK_LEVEL: u8 = 9;

/// The gzip level of the project download (flate2's
/// `Compression::default()`).
const DOWNLOAD_LEVEL: u8 = 6;

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "layerlab.project";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SnapFile {
    /// Path.
    p: String,
    /// Text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    t: String,
    /// Bytes of a binary file, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
    /// Mode, when not 0644.
    #[serde(default = "default_mode", skip_serializing_if = "is_default_mode")]
    m: u32,
}

fn default_mode() -> u32 {
    0o644
}

fn is_default_mode(m: &u32) -> bool {
    *m == 0o644
}

/// Everything a link restores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version.
    v: u32,
    /// Image name.
    name: String,
    /// Sample id or `import`.
    #[serde(default)]
    origin: String,
    /// Files.
    files: Vec<SnapFile>,
    /// Result view id.
    #[serde(default)]
    tab: String,
    /// `docker run` line.
    #[serde(default)]
    run: String,
    /// `--target`.
    #[serde(default)]
    target: String,
    /// `--build-arg` lines.
    #[serde(default)]
    args: String,
    /// File open in the editor.
    #[serde(default)]
    sel: String,
}

impl Snapshot {
    /// The snapshot of the page's state.
    pub fn of(state: &AppState) -> Snapshot {
        Snapshot {
            v: VERSION,
            name: state.project.name.clone(),
            origin: state.project.origin.clone(),
            files: state
                .project
                .files
                .iter()
                .map(|f| SnapFile {
                    p: f.path.clone(),
                    t: f.contents.to_string(),
                    b: f.binary.as_ref().map(|b| base64url_encode(b)),
                    m: f.mode,
                })
                .collect(),
            tab: state.tab.id().to_owned(),
            run: state.run_line.clone(),
            target: state.settings.target.clone(),
            args: state.settings.build_args.clone(),
            sel: state.selected.clone(),
        }
    }

    /// The project it holds.
    pub fn project(&self) -> Project {
        let mut files = Vec::new();
        for f in &self.files {
            let file = match f.b.as_deref().and_then(base64url_decode) {
                Some(bytes) => ProjectFile::from_bytes(f.p.clone(), bytes, f.m),
                None => {
                    let mut file = ProjectFile::text(f.p.clone(), f.t.as_str());
                    file.mode = f.m;
                    file
                }
            };
            files.push(file);
        }
        Project {
            name: self.name.clone(),
            origin: self.origin.clone(),
            files,
        }
    }

    /// The `docker run` line.
    pub fn run_line(&self) -> String {
        self.run.clone()
    }

    /// The tab.
    pub fn tab(&self) -> Tab {
        Tab::from_id(&self.tab).unwrap_or(Tab::Build)
    }

    /// The build settings.
    pub fn settings(&self) -> BuildSettings {
        BuildSettings {
            target: self.target.clone(),
            build_args: self.args.clone(),
            no_cache: false,
        }
    }

    /// The file open in the editor.
    pub fn selected(&self) -> String {
        self.sel.clone()
    }

    /// `v1:` and the compressed snapshot.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let bytes = gzip::deflate(&json, LINK_LEVEL);
        format!("v{VERSION}:{}", base64url_encode(&bytes))
    }

    /// Reads what [`Snapshot::encode`] wrote.
    pub fn decode(text: &str) -> Result<Snapshot, String> {
        let text = text.trim_start_matches('#');
        let (version, data) = text
            .split_once(':')
            .ok_or_else(|| "this link does not hold a LayerLab project".to_owned())?;
        let version: u32 = version
            .strip_prefix('v')
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| "this link does not hold a LayerLab project".to_owned())?;
        if version != VERSION {
            return Err(format!(
                "this link was made by another version of LayerLab (format {version}; this page reads format {VERSION})"
            ));
        }
        let bytes = base64url_decode(data)
            .ok_or_else(|| "this link is damaged (it is not valid base64url)".to_owned())?;
        let mut json = Vec::new();
        DeflateDecoder::new(&bytes[..])
            .take(64 << 20)
            .read_to_end(&mut json)
            .map_err(|_| "this link is damaged (it does not decompress)".to_owned())?;
        let snap: Snapshot =
            serde_json::from_slice(&json).map_err(|e| format!("this link is damaged ({e})"))?;
        if snap.files.is_empty() {
            return Err("this link holds no files".to_owned());
        }
        Ok(snap)
    }
}

/// The fragment for a share link, or why there is none.
pub fn link_fragment(state: &AppState) -> Result<String, String> {
    let encoded = Snapshot::of(state).encode();
    if encoded.len() > MAX_LINK_CHARS {
        return Err(format!(
            "This project is too large for a share link: {} KB compressed, and links are limited to {} KB. Download it as a .tar.gz instead (the Download button), and share that file.",
            layerlab_engine::numfmt::fixed(encoded.len() as f64 / 1024.0, 1),
            MAX_LINK_CHARS / 1024
        ));
    }
    Ok(encoded)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(ALPHABET[idx as usize] as char);
        }
    }
    out
}

/// Reads base64url (with or without padding; `+` and `/` accepted too).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The project as a `.tar.gz` (what `docker build` would be sent).
pub fn project_tar_gz(project: &Project) -> Result<Vec<u8>, String> {
    let mut tar = tar::Builder::new(Vec::new());
    for f in &project.files {
        let bytes = f.bytes();
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(f.mode);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, &f.path, bytes)
            .map_err(|e| format!("cannot pack {}: {e}", f.path))?;
    }
    let tar = tar.into_inner().map_err(|e| e.to_string())?;
    Ok(gzip::gzip(&tar, DOWNLOAD_LEVEL))
}

/// Files of an imported archive as a project: the context root is the
/// archive's root, or its single top folder when that holds the
/// Dockerfile (`tar czf app.tgz app/`).
pub fn project_from_archive(name: &str, bytes: &[u8]) -> Result<Project, String> {
    use layerlab_engine::context::{Context, ContextEntry};
    let ctx = Context::from_archive(bytes).map_err(|e| e.message)?;
    let mut files: Vec<ProjectFile> = ctx
        .iter()
        .filter_map(|(path, entry)| match entry {
            ContextEntry::File { content, mode } => Some(ProjectFile::from_bytes(
                path.clone(),
                content.clone(),
                *mode,
            )),
            _ => None,
        })
        .collect();
    if files.is_empty() {
        return Err("the archive holds no files".to_owned());
    }
    if !files.iter().any(|f| f.path == "Dockerfile") {
        let top: Option<&str> = files[0].path.split_once('/').map(|(t, _)| t);
        if let Some(top) = top.map(str::to_owned) {
            let prefix = format!("{top}/");
            if files.iter().all(|f| f.path.starts_with(&prefix))
                && files.iter().any(|f| f.path == format!("{top}/Dockerfile"))
            {
                for f in &mut files {
                    f.path = f.path[prefix.len()..].to_owned();
                }
            }
        }
    }
    let stem = name
        .trim_end_matches(".gz")
        .trim_end_matches(".tgz")
        .trim_end_matches(".tar");
    let image: String = stem
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned();
    let mut project = Project {
        name: if image.is_empty() {
            "app".to_owned()
        } else {
            image
        },
        origin: "import".to_owned(),
        files,
    };
    project.sort();
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::SAMPLES;

    fn state() -> AppState {
        AppState::new(Project::sample(), SAMPLES[0].run.to_owned())
    }

    #[test]
    fn base64url_round_trips() {
        for n in 0..20 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text), Some(bytes));
        }
        assert_eq!(base64url_encode(b"Man"), "TWFu");
        assert_eq!(base64url_decode("TWE="), Some(b"Ma".to_vec()));
        assert_eq!(base64url_decode("T*"), None);
    }

    #[test]
    fn links_round_trip_the_project_and_view() {
        let mut s = state();
        s.tab = Tab::Run;
        s.run_line = "docker run -p 5000:80 aspnetapp".into();
        s.settings.target = "build".into();
        s.selected = "aspnetapp/Program.cs".into();
        let link = link_fragment(&s).unwrap_or_default();
        assert!(link.starts_with("v1:"));
        assert!(link.len() < 6000, "{}", link.len());
        let back = Snapshot::decode(&format!("#{link}")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.project(), *s.project);
        assert_eq!(back.tab(), Tab::Run);
        assert_eq!(back.run_line(), s.run_line);
        assert_eq!(back.settings().target, "build");
        assert_eq!(back.selected(), "aspnetapp/Program.cs");
    }

    fn small_snapshot() -> Snapshot {
        Snapshot {
            v: 1,
            name: "app".into(),
            origin: "import".into(),
            files: vec![
                SnapFile {
                    p: "Dockerfile".into(),
                    t: "FROM alpine\nCOPY run.sh /\nCMD [\"/run.sh\"]\n".into(),
                    b: None,
                    m: 0o644,
                },
                SnapFile {
                    p: "run.sh".into(),
                    t: String::new(),
                    b: Some(base64url_encode(b"#!/bin/sh\necho hi\n\x00\xff")),
                    m: 0o755,
                },
            ],
            tab: "run".into(),
            run: "docker run --rm app".into(),
            target: String::new(),
            args: "A=1".into(),
            sel: "run.sh".into(),
        }
    }

    /// The link flate2 (`Compression::best()`) made for [`small_snapshot`].
    const FLATE2_LINK: &str = "v1:RY_NDoIwEIRfpdkzaowetIkHI0qMIsSDCQEORStWaGnKT2II7-5iD16ana-7O7M9dEDnDigmOVBgWoMDlRG5UCiF1JVpkDxFyWugcQ8asVvdC25Ghl8NgsM18AkrtVA8UbsgjIhp1bR-kRlK3yVxAjNLEkgTBYNjF1mGSzIUx8--i2TZnheXaidvb-atcuYVp224wg4JdLleDCkassyOIh1fCo9fntGTTCZGEntFw0zOx3RYY4nxYbuZo6h5-fcevg";

    #[test]
    fn a_link_made_with_flate2_still_reads_and_is_made_again() {
        assert_eq!(
            Snapshot::decode(&format!("#{FLATE2_LINK}")),
            Ok(small_snapshot())
        );
        assert_eq!(small_snapshot().encode(), FLATE2_LINK);
    }

    #[test]
    fn bad_links_say_why() {
        assert!(Snapshot::decode("#hello").is_err());
        assert!(Snapshot::decode("#v9:AAAA").is_err_and(|e| e.contains("another version")));
        assert!(Snapshot::decode("#v1:!!!").is_err_and(|e| e.contains("base64url")));
        assert!(Snapshot::decode("#v1:AAAA").is_err_and(|e| e.contains("damaged")));
    }

    #[test]
    fn too_large_projects_get_a_clear_message() {
        let mut s = state();
        // Incompressible text: a pseudo-random sequence.
        let mut x: u64 = 1;
        let big: String = (0..40_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (b'a' + ((x >> 33) % 26) as u8) as char
            })
            .collect();
        s.project = std::rc::Rc::new(s.project.with_file(ProjectFile::text("big.txt", big)));
        let err = link_fragment(&s).err().unwrap_or_default();
        assert!(err.contains("too large for a share link"), "{err}");
    }

    #[test]
    fn tar_gz_download_imports_back() {
        let mut project = Project::sample();
        project.files.push(ProjectFile::from_bytes(
            "run.sh",
            b"#!/bin/sh\n".to_vec(),
            0o755,
        ));
        project.files.push(ProjectFile::from_bytes(
            "logo.bin",
            vec![0, 159, 146, 150],
            0o644,
        ));
        let bytes = project_tar_gz(&project).unwrap_or_default();
        let back =
            project_from_archive("aspnetapp.tar.gz", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.name, "aspnetapp");
        assert_eq!(back.files.len(), project.files.len());
        assert_eq!(back.file("run.sh").map(|f| f.mode), Some(0o755));
        assert_eq!(
            back.file("logo.bin").map(|f| f.bytes().to_vec()),
            Some(vec![0, 159, 146, 150])
        );
        assert_eq!(back.files[0].path, "Dockerfile");
    }

    /// The link encoding before the engine's `gzip` module: flate2.
    fn flate2_encode(snap: &Snapshot) -> String {
        use std::io::Write;
        let json = serde_json::to_vec(snap).unwrap_or_default();
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = enc.write_all(&json);
        let bytes = enc.finish().unwrap_or_default();
        format!("v{VERSION}:{}", base64url_encode(&bytes))
    }

    /// The decompression of a link's bytes before: flate2.
    fn flate2_inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .take(64 << 20)
            .read_to_end(&mut json)
            .map(|_| json)
            .map_err(|e| e.to_string())
    }

    fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
        let mut json = Vec::new();
        DeflateDecoder::new(bytes)
            .take(64 << 20)
            .read_to_end(&mut json)
            .map(|_| json)
            .map_err(|e| e.to_string())
    }

    /// The download before: tar into flate2's gzip writer.
    fn flate2_tar_gz(project: &Project) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for f in &project.files {
            let bytes = f.bytes();
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(f.mode);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            assert!(tar.append_data(&mut header, &f.path, bytes).is_ok());
        }
        let gz = tar.into_inner().ok();
        gz.and_then(|gz| gz.finish().ok()).unwrap_or_default()
    }

    /// Every sample, and the default one with generated files added:
    /// text of many shapes and sizes, binary files, other modes.
    fn projects() -> Vec<Project> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut out: Vec<Project> = SAMPLES.iter().map(Project::from_sample).collect();
        for round in 0..12u64 {
            let mut p = Project::sample();
            for i in 0..(round % 5 + 1) {
                let n = (next() % 30_000) as usize >> (round % 4 * 3);
                let text: String = match (round + i) % 4 {
                    0 => (0..n)
                        .map(|_| (b' ' + (next() % 95) as u8) as char)
                        .collect(),
                    1 => "RUN apt-get install -y curl \u{e9}\u{1f600}\n".repeat(n / 30 + 1),
                    2 => (0..n / 8).map(|k| format!("{k:x}\n")).collect(),
                    _ => String::new(),
                };
                p = p.with_file(ProjectFile::text(format!("gen/{round}/{i}.txt"), text));
                let bytes: Vec<u8> = (0..n / 3).map(|_| next() as u8).collect();
                p = p.with_file(ProjectFile::from_bytes(
                    format!("bin/{round}-{i}.bin"),
                    bytes,
                    if i % 2 == 0 { 0o644 } else { 0o755 },
                ));
            }
            out.push(p);
        }
        out
    }

    #[test]
    fn links_and_downloads_are_the_bytes_flate2_made() {
        let mut links = 0;
        for (i, project) in projects().into_iter().enumerate() {
            let mut s = AppState::new(project.clone(), SAMPLES[0].run.to_owned());
            s.tab = if i % 2 == 0 { Tab::Run } else { Tab::Build };
            s.settings.build_args = format!("N={i}");
            s.project = std::rc::Rc::new(project.clone());
            let snap = Snapshot::of(&s);
            let link = snap.encode();
            assert_eq!(link, flate2_encode(&snap), "project {i}");
            let back = Snapshot::decode(&format!("#{link}"));
            assert_eq!(back.as_ref().map(Snapshot::project), Ok(project.clone()));
            assert_eq!(
                project_tar_gz(&project).ok(),
                Some(flate2_tar_gz(&project)),
                "download {i}"
            );
            // The link's bytes, whole, cut short and damaged, decompress
            // (or fail) as flate2 decompressed them.
            let bytes = base64url_decode(&link[3..]).unwrap_or_default();
            let mut variants = vec![bytes.clone()];
            for cut in [
                0,
                1,
                bytes.len() / 3,
                bytes.len() / 2,
                bytes.len().saturating_sub(1),
            ] {
                variants.push(bytes[..cut.min(bytes.len())].to_vec());
            }
            for k in 0..8 {
                let mut d = bytes.clone();
                if let Some(b) = d.get_mut((k * 7919 + i * 31) % bytes.len().max(1)) {
                    *b ^= 1 << (k % 8);
                }
                variants.push(d);
            }
            for v in &variants {
                assert_eq!(inflate(v), flate2_inflate(v), "project {i}");
                let text = format!("#v1:{}", base64url_encode(v));
                let want = flate2_inflate(v);
                let got = Snapshot::decode(&text);
                if want.is_err() {
                    assert_eq!(
                        got.err().as_deref(),
                        Some("this link is damaged (it does not decompress)")
                    );
                }
                links += 1;
            }
        }
        println!("share links and downloads: {links} links agree with flate2");
    }

    #[test]
    fn a_single_top_folder_becomes_the_context_root() {
        let mut inner = Project::sample();
        for f in &mut inner.files {
            f.path = format!("myapp/{}", f.path);
        }
        let bytes = project_tar_gz(&inner).unwrap_or_default();
        let back = project_from_archive("My App.tgz", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.file("Dockerfile").is_some());
        assert_eq!(back.name, "my-app");
    }
}
