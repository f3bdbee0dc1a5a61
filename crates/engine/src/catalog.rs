//! The base images LayerLab knows: normalized references, a plausible
//! image config (Env with PATH, CMD, ENTRYPOINT, ports...), layers with
//! sizes, and a small model of the files in them.
//!
//! There is no registry: an image name is normalized the way Docker does
//! it (`alpine` -> `docker.io/library/alpine:latest`) and looked up here.
//! Digests are deterministic (sha256 over the catalog entry), so they are
//! stable across runs but are not the registry's digests. An image the
//! catalog does not list is modelled as a generic Linux image, and the
//! build says so.

use std::fmt;

use crate::digest::{sha256_digest, FieldHasher};
use crate::filesystem::{Fs, Node};
use crate::image::{EmptyObject, ImageConfig};

/// A reference that is not a valid image name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceError {
    /// Docker's message (`invalid reference format: ...`).
    pub message: String,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReferenceError {}

/// A normalized image reference (distribution's `ParseNormalizedNamed`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    /// Registry host (`docker.io`, `mcr.microsoft.com`).
    pub domain: String,
    /// Repository path (`library/alpine`, `dotnet/sdk`).
    pub path: String,
    /// Tag, if any.
    pub tag: Option<String>,
    /// Digest (`sha256:...`), if any.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses and normalizes `name`.
    pub fn parse(name: &str) -> Result<Reference, ReferenceError> {
        let bad = |why: &str| ReferenceError {
            message: format!("invalid reference format{why}"),
        };
        if name.is_empty() {
            return Err(bad(""));
        }
        let (rest, digest) = match name.split_once('@') {
            Some((r, d)) => {
                let hex = d.strip_prefix("sha256:").ok_or_else(|| bad(""))?;
                if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(bad(""));
                }
                (r, Some(d.to_string()))
            }
            None => (name, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match rest[last_slash..].find(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        if let Some(t) = &tag {
            let ok = !t.is_empty()
                && t.len() <= 128
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
                && !t.starts_with(['.', '-']);
            if !ok {
                return Err(bad(""));
            }
        }
        let (domain, path) = match repo.split_once('/') {
            Some((first, remainder))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), remainder.to_string())
            }
            Some(_) => ("docker.io".to_string(), repo.to_string()),
            None => ("docker.io".to_string(), format!("library/{repo}")),
        };
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad(": repository name must be lowercase"));
        }
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && c.as_bytes()[0].is_ascii_alphanumeric()
                && c.as_bytes()[c.len() - 1].is_ascii_alphanumeric()
        };
        if !path.split('/').all(component_ok) {
            return Err(bad(""));
        }
        Ok(Reference {
            domain,
            path,
            tag,
            digest,
        })
    }

    /// `domain/path` without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The reference with `:latest` added when it has neither tag nor
    /// digest (distribution's `TagNameOnly`).
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".to_string());
        }
        self
    }

    /// The short form Docker prints (`alpine:3.20`, `user/app:1`,
    /// `mcr.microsoft.com/dotnet/sdk:8.0`).
    pub fn familiar(&self) -> String {
        let mut s = if self.domain == "docker.io" {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_string()
        } else {
            self.name()
        };
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// One layer of a base image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseLayer {
    /// `sha256:...` of the layer.
    pub digest: String,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// What the layer holds, for the image view.
    pub created_by: String,
}

/// A base image as the catalog models it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    /// The normalized reference with tag, without digest
    /// (`docker.io/library/alpine:3.20`).
    pub reference: String,
    /// The image digest (`sha256:...`), deterministic.
    pub digest: String,
    /// The runtime config.
    pub config: ImageConfig,
    /// `linux`.
    pub os: String,
    /// `amd64`.
    pub architecture: String,
    /// Its layers, bottom first.
    pub layers: Vec<BaseLayer>,
    /// True when the catalog lists this image; false for a generic model
    /// of an image LayerLab does not know.
    pub known: bool,
    /// One line about the image.
    pub description: String,
    family: Family,
    version: String,
}

impl BaseImage {
    /// `reference@digest`, the form BuildKit names FROM steps with.
    pub fn pinned(&self) -> String {
        format!("{}@{}", self.reference, self.digest)
    }

    /// Total size of the layers.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// The modelled file system of the image (built once per image and
    /// shared: cloning an [`Fs`] is cheap).
    pub fn filesystem(&self) -> Fs {
        // By family and version: a few dozen at most, so a vector searched
        // in order (not a map type of its own in the wasm).
        thread_local! {
            static FILESYSTEMS: std::cell::RefCell<Vec<(Family, String, Fs)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        FILESYSTEMS.with(|cache| {
            if let Some((_, _, fs)) = cache
                .borrow()
                .iter()
                .find(|(f, v, _)| *f == self.family && *v == self.version)
            {
                return fs.clone();
            }
            let fs = build_fs(self.family, &self.version);
            cache
                .borrow_mut()
                .push((self.family, self.version.clone(), fs.clone()));
            fs
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Alpine,
    Busybox,
    Debian,
    Nginx,
    DotnetSdk,
    DotnetAspnet,
    DotnetRuntime,
    NodeJs,
    Python,
    Golang,
    Generic,
}

const PATH_DEFAULT: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct Entry {
    repo: &'static str,
    tags: &'static [&'static str],
    family: Family,
    version: &'static str,
    layer_sizes: &'static [u64],
    description: &'static str,
}

const MB: u64 = 1_000_000;

/// The images the catalog lists (tags not listed for a known repository
/// are modelled from the nearest family).
const CATALOG: &[Entry] = &[
    Entry {
        repo: "docker.io/library/alpine",
        tags: &["3.20", "latest", "3"],
        family: Family::Alpine,
        version: "3.20.3",
        layer_sizes: &[7_800_000],
        description: "Alpine Linux 3.20: musl libc and busybox, a tiny base",
    },
    Entry {
        repo: "docker.io/library/alpine",
        tags: &["3.19"],
        family: Family::Alpine,
        version: "3.19.4",
        layer_sizes: &[7_400_000],
        description: "Alpine Linux 3.19",
    },
    Entry {
        repo: "docker.io/library/alpine",
        tags: &["3.21"],
        family: Family::Alpine,
        version: "3.21.0",
        layer_sizes: &[7_800_000],
        description: "Alpine Linux 3.21",
    },
    Entry {
        repo: "docker.io/library/busybox",
        tags: &["1.36", "latest", "1"],
        family: Family::Busybox,
        version: "1.36.1",
        layer_sizes: &[4_300_000],
        description: "BusyBox 1.36: a single static binary with the usual commands",
    },
    Entry {
        repo: "docker.io/library/debian",
        tags: &["bookworm-slim", "12-slim", "bookworm", "12", "latest"],
        family: Family::Debian,
        version: "12",
        layer_sizes: &[74 * MB],
        description: "Debian 12 (bookworm)",
    },
    Entry {
        repo: "docker.io/library/ubuntu",
        tags: &["24.04", "noble", "latest", "22.04"],
        family: Family::Debian,
        version: "24.04",
        layer_sizes: &[78 * MB],
        description: "Ubuntu",
    },
    Entry {
        repo: "docker.io/library/nginx",
        tags: &["1.27", "latest", "1", "mainline"],
        family: Family::Nginx,
        version: "1.27.3",
        layer_sizes: &[74 * MB, 92 * MB, 1_200, 600, 900, 1_300, 1_400],
        description: "nginx 1.27 on Debian 12: serves /usr/share/nginx/html on port 80",
    },
    Entry {
        repo: "mcr.microsoft.com/dotnet/sdk",
        tags: &["8.0", "8.0-bookworm-slim", "8"],
        family: Family::DotnetSdk,
        version: "8.0",
        layer_sizes: &[
            74 * MB,
            19 * MB,
            70 * MB,
            22 * MB,
            27 * MB,
            194 * MB,
            470 * MB,
            37 * MB,
        ],
        description: ".NET 8 SDK on Debian 12: builds, restores and publishes .NET apps",
    },
    Entry {
        repo: "mcr.microsoft.com/dotnet/aspnet",
        tags: &["8.0", "8.0-bookworm-slim", "8"],
        family: Family::DotnetAspnet,
        version: "8.0",
        layer_sizes: &[74 * MB, 19 * MB, 70 * MB, 22 * MB],
        description: "ASP.NET Core 8 runtime on Debian 12: runs published apps, listens on 8080",
    },
    Entry {
        repo: "mcr.microsoft.com/dotnet/runtime",
        tags: &["8.0", "8"],
        family: Family::DotnetRuntime,
        version: "8.0",
        layer_sizes: &[74 * MB, 19 * MB, 70 * MB],
        description: ".NET 8 runtime on Debian 12",
    },
    Entry {
        repo: "docker.io/library/node",
        tags: &["20", "20-bookworm", "lts", "22", "latest"],
        family: Family::NodeJs,
        version: "20.18.1",
        layer_sizes: &[
            117 * MB,
            48 * MB,
            175 * MB,
            600 * MB,
            4 * MB,
            200 * MB,
            5 * MB,
        ],
        description: "Node.js on Debian 12 (full image with build tools)",
    },
    Entry {
        repo: "docker.io/library/node",
        tags: &["20-alpine", "lts-alpine", "22-alpine", "alpine"],
        family: Family::NodeJs,
        version: "20.18.1",
        layer_sizes: &[7_800_000, 124 * MB, 5 * MB],
        description: "Node.js on Alpine",
    },
    Entry {
        repo: "docker.io/library/python",
        tags: &["3.12", "3", "latest", "3.13"],
        family: Family::Python,
        version: "3.12.8",
        layer_sizes: &[117 * MB, 48 * MB, 175 * MB, 600 * MB, 20 * MB, 60 * MB],
        description: "Python on Debian 12 (full image with build tools)",
    },
    Entry {
        repo: "docker.io/library/python",
        tags: &["3.12-slim", "3-slim", "slim", "3.13-slim"],
        family: Family::Python,
        version: "3.12.8",
        layer_sizes: &[74 * MB, 4 * MB, 46 * MB],
        description: "Python on Debian 12 slim",
    },
    Entry {
        repo: "docker.io/library/golang",
        tags: &["1.22", "1.23", "1", "latest"],
        family: Family::Golang,
        version: "1.22.10",
        layer_sizes: &[117 * MB, 48 * MB, 175 * MB, 90 * MB, 250 * MB],
        description: "Go toolchain on Debian 12",
    },
];

/// Looks `name` up (after normalization). Unknown images get a generic
/// Linux model (`known: false`).
pub fn resolve(name: &str) -> Result<BaseImage, ReferenceError> {
    let r = Reference::parse(name)?.with_default_tag();
    let repo = r.name();
    let tag = r.tag.clone().unwrap_or_else(|| "latest".to_string());
    let exact = CATALOG
        .iter()
        .find(|e| e.repo == repo && e.tags.contains(&tag.as_str()));
    let same_repo = CATALOG.iter().find(|e| e.repo == repo);
    let (family, version, sizes, description, known) = match (exact, same_repo) {
        (Some(e), _) => (
            e.family,
            e.version.to_string(),
            e.layer_sizes.to_vec(),
            e.description.to_string(),
            true,
        ),
        (None, Some(e)) => (
            e.family,
            tag.clone(),
            e.layer_sizes.to_vec(),
            format!("{} (tag {tag} modelled like {})", e.description, e.tags[0]),
            false,
        ),
        (None, None) => (
            Family::Generic,
            tag.clone(),
            vec![80 * MB],
            format!(
                "{} is not in LayerLab's catalog: modelled as a generic Linux image",
                r.familiar()
            ),
            false,
        ),
    };
    let mut reference = r.clone();
    reference.digest = None;
    let reference = reference.to_string();
    let config = config_for(family, &version);
    // Layers of the same family and position are shared (the SDK is built
    // on the ASP.NET image, which is built on Debian): give them digests
    // that depend on what is below them, not on the image name.
    let mut layers = Vec::new();
    let mut below = String::new();
    for (i, size) in sizes.iter().enumerate() {
        let mut h = FieldHasher::new();
        h.text("layerlab base layer")
            .text(&below)
            .text(&layer_family_key(family, &version, i))
            .text(&size.to_string());
        let digest = h.finish();
        below = digest.clone();
        layers.push(BaseLayer {
            digest,
            size: *size,
            created_by: layer_description(family, i),
        });
    }
    let mut h = FieldHasher::new();
    h.text("layerlab catalog image").text(&reference);
    for l in &layers {
        h.text(&l.digest);
    }
    h.text(&serde_json::to_string(&config).unwrap_or_default());
    let digest = h.finish();
    let digest = match &r.digest {
        Some(d) => d.clone(),
        None => digest,
    };
    Ok(BaseImage {
        reference,
        digest,
        config,
        os: "linux".to_string(),
        architecture: "amd64".to_string(),
        layers,
        known,
        description,
        family,
        version,
    })
}

/// A key making equal layers of related images equal.
fn layer_family_key(family: Family, version: &str, i: usize) -> String {
    use Family::*;
    match family {
        // Debian-slim based images share the bottom layer.
        DotnetSdk | DotnetAspnet | DotnetRuntime | Nginx | Debian if i == 0 => {
            "debian-12-slim".to_string()
        }
        // sdk, aspnet and runtime 8.0 share their next layers.
        DotnetSdk | DotnetAspnet | DotnetRuntime => format!("dotnet-8.0-layer-{i}"),
        _ => format!("{family:?}-{version}-layer-{i}"),
    }
}

fn layer_description(family: Family, i: usize) -> String {
    use Family::*;
    let what = match (family, i) {
        (Alpine, _) => "ADD alpine-minirootfs.tar.gz / # alpine base",
        (Busybox, _) => "ADD busybox.tar.xz / # busybox base",
        (DotnetSdk | DotnetAspnet | DotnetRuntime | Nginx | Debian, 0) => "ADD rootfs.tar.xz / # debian:bookworm-slim",
        (DotnetSdk | DotnetAspnet | DotnetRuntime, 1) => "RUN apt-get install ca-certificates libc6 libgcc-s1 libicu72 libssl3 libstdc++6 tzdata zlib1g",
        (DotnetSdk | DotnetAspnet | DotnetRuntime, 2) => "RUN install .NET runtime # /usr/share/dotnet/shared/Microsoft.NETCore.App",
        (DotnetSdk | DotnetAspnet, 3) => "RUN install ASP.NET Core runtime # /usr/share/dotnet/shared/Microsoft.AspNetCore.App",
        (DotnetSdk, 4) => "RUN apt-get install curl git wget # SDK tools",
        (DotnetSdk, 5) => "RUN install .NET SDK # /usr/share/dotnet/sdk",
        (DotnetSdk, 6) => "RUN dotnet help # first-run NuGet and workload caches",
        (DotnetSdk, _) => "RUN install PowerShell global tool",
        (Nginx, 1) => "RUN install nginx and njs packages",
        (Nginx, _) => "COPY docker-entrypoint.d scripts",
        (NodeJs, _) => "node toolchain layer",
        (Python, _) => "python toolchain layer",
        (Golang, _) => "go toolchain layer",
        _ => "base layer",
    };
    what.to_string()
}

fn env(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn config_for(family: Family, version: &str) -> ImageConfig {
    use Family::*;
    let dotnet_base: &[&str] = &[
        PATH_DEFAULT,
        "APP_UID=1654",
        "ASPNETCORE_HTTP_PORTS=8080",
        "DOTNET_RUNNING_IN_CONTAINER=true",
        "DOTNET_VERSION=8.0.11",
    ];
    let mut c = ImageConfig::default();
    match family {
        Alpine => {
            c.env = env(&[PATH_DEFAULT]);
            c.cmd = Some(vec!["/bin/sh".into()]);
        }
        Busybox => {
            c.env = env(&[PATH_DEFAULT]);
            c.cmd = Some(vec!["sh".into()]);
        }
        Debian | Generic => {
            c.env = env(&[PATH_DEFAULT]);
            c.cmd = Some(vec!["bash".into()]);
        }
        Nginx => {
            c.env = env(&[
                PATH_DEFAULT,
                "NGINX_VERSION=1.27.3",
                "NJS_VERSION=0.8.7",
                "NJS_RELEASE=1~bookworm",
                "PKG_RELEASE=1~bookworm",
                "DYNPKG_RELEASE=1~bookworm",
            ]);
            c.entrypoint = Some(vec!["/docker-entrypoint.sh".into()]);
            c.cmd = Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()]);
            c.exposed_ports
                .insert("80/tcp".into(), Box::new(EmptyObject {}));
            c.stop_signal = "SIGQUIT".into();
            c.labels.insert(
                "maintainer".into(),
                "NGINX Docker Maintainers <docker-maint@nginx.com>".into(),
            );
        }
        DotnetRuntime => {
            c.env = env(dotnet_base);
            c.cmd = Some(vec!["bash".into()]);
        }
        DotnetAspnet => {
            let mut e = env(dotnet_base);
            e.push("ASPNET_VERSION=8.0.11".into());
            c.env = e;
            c.cmd = Some(vec!["bash".into()]);
        }
        DotnetSdk => {
            let mut e = env(dotnet_base);
            e.extend(env(&[
                "ASPNET_VERSION=8.0.11",
                "DOTNET_GENERATE_ASPNET_CERTIFICATE=false",
                "DOTNET_NOLOGO=true",
                "DOTNET_SDK_VERSION=8.0.404",
                "DOTNET_USE_POLLING_FILE_WATCHER=true",
                "NUGET_XMLDOC_MODE=skip",
                "POWERSHELL_DISTRIBUTION_CHANNEL=PSDocker-DotnetSDK-Debian-12",
            ]));
            c.env = e;
            c.cmd = Some(vec!["bash".into()]);
        }
        NodeJs => {
            c.env = env(&[PATH_DEFAULT, "YARN_VERSION=1.22.22"]);
            c.set_env("NODE_VERSION", version);
            c.entrypoint = Some(vec!["docker-entrypoint.sh".into()]);
            c.cmd = Some(vec!["node".into()]);
        }
        Python => {
            c.env = env(&[
                "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LANG=C.UTF-8",
            ]);
            c.set_env("PYTHON_VERSION", version);
            c.cmd = Some(vec!["python3".into()]);
        }
        Golang => {
            c.env = env(&[
                "PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "GOLANG_VERSION=1.22.10",
                "GOTOOLCHAIN=local",
                "GOPATH=/go",
            ]);
            c.working_dir = "/go".into();
        }
    }
    c
}

const PASSWD_BUSYBOX: &str = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const GROUP_BUSYBOX: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nmail:x:12:\nwww-data:x:33:\nusers:x:100:\nnogroup:x:65534:\n";
const PASSWD_ALPINE: &str = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nlp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\nsync:x:5:0:sync:/sbin:/bin/sync\nshutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\nhalt:x:7:0:halt:/sbin:/sbin/halt\nmail:x:8:12:mail:/var/mail:/sbin/nologin\nnews:x:9:13:news:/usr/lib/news:/sbin/nologin\noperator:x:11:0:operator:/root:/sbin/nologin\nftp:x:21:21::/var/lib/ftp:/sbin/nologin\nsshd:x:22:22:sshd:/dev/null:/sbin/nologin\nguest:x:405:100:guest:/dev/null:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n";
const GROUP_ALPINE: &str = "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nsys:x:3:root,bin\nadm:x:4:root,daemon\ntty:x:5:\ndisk:x:6:root\nlp:x:7:lp\nkmem:x:9:\nwheel:x:10:root\nfloppy:x:11:root\nmail:x:12:mail\nnews:x:13:news\nwww-data:x:82:\nusers:x:100:games\nnogroup:x:65533:\nnobody:x:65534:\n";
const PASSWD_DEBIAN: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const GROUP_DEBIAN: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwww-data:x:33:\nstaff:x:50:\nusers:x:100:\nnogroup:x:65534:\n";

fn base_dirs(fs: &mut Fs, dirs: &[&str]) {
    for d in dirs {
        fs.put(d, Node::dir(0o755));
    }
    fs.put("/tmp", Node::dir(0o1777));
    fs.put("/root", Node::dir(0o700));
}

fn build_fs(family: Family, version: &str) -> Fs {
    use Family::*;
    let mut fs = Fs::new();
    match family {
        Alpine | Busybox => {
            base_dirs(
                &mut fs,
                &[
                    "/bin",
                    "/dev",
                    "/etc",
                    "/home",
                    "/lib",
                    "/media",
                    "/mnt",
                    "/opt",
                    "/proc",
                    "/run",
                    "/sbin",
                    "/srv",
                    "/sys",
                    "/usr",
                    "/usr/bin",
                    "/usr/sbin",
                    "/usr/local",
                    "/usr/local/bin",
                    "/usr/lib",
                    "/usr/share",
                    "/var",
                    "/var/cache",
                    "/var/log",
                    "/var/tmp",
                    "/var/spool",
                ],
            );
            fs.put(
                "/bin/busybox",
                Node::sized_file(
                    format!("BusyBox v{version} (modelled binary)\n"),
                    900_000,
                    0o755,
                ),
            );
            for tool in BUSYBOX_TOOLS {
                fs.put(&format!("/bin/{tool}"), Node::symlink("/bin/busybox"));
            }
            if family == Alpine {
                fs.put(
                    "/etc/alpine-release",
                    Node::file(format!("{version}\n"), 0o644),
                );
                fs.put(
                    "/etc/os-release",
                    Node::file(
                        format!("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={version}\nPRETTY_NAME=\"Alpine Linux v{version}\"\n"),
                        0o644,
                    ),
                );
                fs.put(
                    "/lib/ld-musl-x86_64.so.1",
                    Node::sized_file("musl (modelled)", 650_000, 0o755),
                );
                fs.put(
                    "/sbin/apk",
                    Node::sized_file("apk-tools (modelled)", 90_000, 0o755),
                );
                fs.put(
                    "/lib/apk/db/installed",
                    Node::file(
                        "P:alpine-baselayout\nP:busybox\nP:musl\nP:apk-tools\n",
                        0o644,
                    ),
                );
                fs.put("/etc/passwd", Node::file(PASSWD_ALPINE, 0o644));
                fs.put("/etc/group", Node::file(GROUP_ALPINE, 0o644));
            } else {
                fs.put("/etc/passwd", Node::file(PASSWD_BUSYBOX, 0o644));
                fs.put("/etc/group", Node::file(GROUP_BUSYBOX, 0o644));
            }
        }
        _ => {
            base_dirs(
                &mut fs,
                &[
                    "/bin",
                    "/boot",
                    "/dev",
                    "/etc",
                    "/home",
                    "/lib",
                    "/lib64",
                    "/media",
                    "/mnt",
                    "/opt",
                    "/proc",
                    "/run",
                    "/sbin",
                    "/srv",
                    "/sys",
                    "/usr",
                    "/usr/bin",
                    "/usr/sbin",
                    "/usr/local",
                    "/usr/local/bin",
                    "/usr/lib",
                    "/usr/share",
                    "/var",
                    "/var/cache",
                    "/var/lib",
                    "/var/log",
                    "/var/tmp",
                ],
            );
            fs.put(
                "/bin/bash",
                Node::sized_file("GNU bash (modelled binary)\n", 1_300_000, 0o755),
            );
            fs.put(
                "/bin/dash",
                Node::sized_file("dash (modelled binary)\n", 125_000, 0o755),
            );
            fs.put("/bin/sh", Node::symlink("dash"));
            fs.put("/etc/debian_version", Node::file("12.8\n", 0o644));
            fs.put(
                "/etc/os-release",
                Node::file("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n", 0o644),
            );
            fs.put(
                "/usr/lib/x86_64-linux-gnu/libc.so.6",
                Node::sized_file("glibc (modelled)", 2_000_000, 0o755),
            );
            let mut passwd = PASSWD_DEBIAN.to_string();
            let mut group = GROUP_DEBIAN.to_string();
            match family {
                DotnetSdk | DotnetAspnet | DotnetRuntime => {
                    passwd.push_str("app:x:1654:1654::/home/app:/bin/sh\n");
                    group.push_str("app:x:1654:\n");
                    fs.put("/home/app", Node::dir(0o750).owned(1654, 1654));
                    fs.put(
                        "/usr/share/dotnet/dotnet",
                        Node::sized_file("dotnet host (modelled)", 70_000, 0o755),
                    );
                    fs.put("/usr/bin/dotnet", Node::symlink("/usr/share/dotnet/dotnet"));
                    fs.put(
                        "/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.11/System.Private.CoreLib.dll",
                        Node::sized_file(".NET runtime (modelled)", 70 * MB, 0o644),
                    );
                    if family != DotnetRuntime {
                        fs.put(
                            "/usr/share/dotnet/shared/Microsoft.AspNetCore.App/8.0.11/Microsoft.AspNetCore.dll",
                            Node::sized_file("ASP.NET Core runtime (modelled)", 22 * MB, 0o644),
                        );
                    }
                    if family == DotnetSdk {
                        fs.put(
                            "/usr/share/dotnet/sdk/8.0.404/dotnet.dll",
                            Node::sized_file(".NET SDK 8.0.404 (modelled)", 190 * MB, 0o644),
                        );
                        fs.put(
                            "/usr/bin/git",
                            Node::sized_file("git (modelled)", 4 * MB, 0o755),
                        );
                        fs.put(
                            "/usr/bin/curl",
                            Node::sized_file("curl (modelled)", 300_000, 0o755),
                        );
                    }
                }
                Nginx => {
                    passwd.push_str("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n");
                    group.push_str("nginx:x:101:\n");
                    fs.put(
                        "/usr/sbin/nginx",
                        Node::sized_file("nginx 1.27 (modelled)", 1_500_000, 0o755),
                    );
                    fs.put("/etc/nginx/nginx.conf", Node::file("user  nginx;\nworker_processes  auto;\nevents { worker_connections  1024; }\nhttp { include /etc/nginx/conf.d/*.conf; }\n", 0o644));
                    fs.put("/etc/nginx/conf.d/default.conf", Node::file("server {\n    listen       80;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n", 0o644));
                    fs.put("/usr/share/nginx/html/index.html", Node::file("<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n", 0o644));
                    fs.put(
                        "/docker-entrypoint.sh",
                        Node::file("#!/bin/sh\nexec \"$@\"\n", 0o775),
                    );
                    fs.put("/docker-entrypoint.d", Node::dir(0o755));
                }
                NodeJs => {
                    fs.put(
                        "/usr/local/bin/node",
                        Node::sized_file("node (modelled)", 95 * MB, 0o755),
                    );
                    fs.put(
                        "/usr/local/bin/npm",
                        Node::symlink("../lib/node_modules/npm/bin/npm-cli.js"),
                    );
                    fs.put(
                        "/usr/local/lib/node_modules/npm/bin/npm-cli.js",
                        Node::sized_file("npm (modelled)", 10 * MB, 0o755),
                    );
                    fs.put(
                        "/usr/local/bin/docker-entrypoint.sh",
                        Node::file("#!/bin/sh\nexec \"$@\"\n", 0o755),
                    );
                    passwd.push_str("node:x:1000:1000::/home/node:/bin/bash\n");
                    group.push_str("node:x:1000:\n");
                    fs.put("/home/node", Node::dir(0o755).owned(1000, 1000));
                }
                Python => {
                    fs.put(
                        "/usr/local/bin/python3",
                        Node::sized_file("python (modelled)", 20 * MB, 0o755),
                    );
                    fs.put("/usr/local/bin/python", Node::symlink("python3"));
                    fs.put(
                        "/usr/local/bin/pip",
                        Node::sized_file("pip (modelled)", 200_000, 0o755),
                    );
                    fs.put("/usr/local/bin/pip3", Node::symlink("pip"));
                }
                Golang => {
                    fs.put(
                        "/usr/local/go/bin/go",
                        Node::sized_file("go toolchain (modelled)", 200 * MB, 0o755),
                    );
                    fs.put("/go/bin", Node::dir(0o777));
                    fs.put("/go/src", Node::dir(0o777));
                }
                _ => {}
            }
            fs.put("/etc/passwd", Node::file(passwd, 0o644));
            fs.put("/etc/group", Node::file(group, 0o644));
            for tool in DEBIAN_TOOLS {
                let p = format!("/usr/bin/{tool}");
                if fs.get(&p).is_none() {
                    fs.put(
                        &p,
                        Node::sized_file(format!("{tool} (modelled binary)\n"), 40_000, 0o755),
                    );
                }
            }
            if family == Generic {
                // What is in an unknown image is unknown: any command may
                // exist.
                fs.put(
                    crate::shell::UNMODELLED_MARKER,
                    Node::file(
                        format!("generic model of an unknown image, tag {version}\n"),
                        0o600,
                    ),
                );
            }
        }
    }
    fs
}

/// Commands a Debian-based image has (coreutils, apt, adduser...).
const DEBIAN_TOOLS: &[&str] = &[
    "cat", "cp", "echo", "ls", "mkdir", "mv", "rm", "ln", "chmod", "chown", "chgrp", "touch",
    "pwd", "sleep", "true", "false", "id", "env", "printenv", "printf", "grep", "sed", "tar",
    "gzip", "head", "tail", "wc", "sort", "tee", "basename", "dirname", "uname", "hostname",
    "date", "which", "test", "[", "whoami", "stat", "find", "xargs", "apt-get", "apt", "dpkg",
    "useradd", "groupadd", "adduser", "addgroup", "nproc",
];

/// Commands BusyBox provides (as links to `/bin/busybox`).
const BUSYBOX_TOOLS: &[&str] = &[
    "sh", "ash", "cat", "cp", "echo", "ls", "mkdir", "mv", "rm", "ln", "chmod", "chown", "chgrp",
    "touch", "pwd", "sleep", "true", "false", "id", "env", "printenv", "printf", "grep", "sed",
    "tar", "gzip", "head", "tail", "wc", "sort", "tee", "basename", "dirname", "uname", "hostname",
    "date", "which", "test", "[", "whoami", "stat", "find", "xargs", "adduser", "addgroup", "wget",
    "nproc", "vi", "unzip",
];

/// The digest BuildKit would show for an image with this config
/// (deterministic stand-in).
pub fn config_digest(config: &ImageConfig) -> String {
    sha256_digest(serde_json::to_string(config).unwrap_or_default().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_docker() {
        let r = |s: &str| Reference::parse(s).map(|r| r.with_default_tag().to_string());
        assert_eq!(
            r("alpine").as_deref(),
            Ok("docker.io/library/alpine:latest")
        );
        assert_eq!(
            r("alpine:3.20").as_deref(),
            Ok("docker.io/library/alpine:3.20")
        );
        assert_eq!(r("user/app:1").as_deref(), Ok("docker.io/user/app:1"));
        assert_eq!(
            r("mcr.microsoft.com/dotnet/sdk:8.0").as_deref(),
            Ok("mcr.microsoft.com/dotnet/sdk:8.0")
        );
        assert_eq!(
            r("localhost:5000/x").as_deref(),
            Ok("localhost:5000/x:latest")
        );
        assert!(Reference::parse("Alpine").is_err());
        assert!(Reference::parse("a b").is_err());
        assert_eq!(
            Reference::parse("docker.io/library/alpine:3.20").map(|r| r.familiar()),
            Ok("alpine:3.20".to_string())
        );
    }

    #[test]
    fn catalog_images_are_deterministic_and_plausible() {
        let a = resolve("alpine:3.20").ok();
        let b = resolve("docker.io/library/alpine:3.20").ok();
        assert!(a.is_some());
        assert_eq!(a, b);
        let aspnet = resolve("mcr.microsoft.com/dotnet/aspnet:8.0").ok();
        assert_eq!(
            aspnet
                .as_ref()
                .and_then(|i| i.config.env_value("ASPNETCORE_HTTP_PORTS")),
            Some("8080")
        );
        let sdk = resolve("mcr.microsoft.com/dotnet/sdk:8.0").ok();
        // The SDK image is built on the ASP.NET image: shared bottom layers.
        let (Some(sdk), Some(aspnet)) = (sdk, aspnet) else {
            return;
        };
        assert_eq!(sdk.layers[..4], aspnet.layers[..4]);
        assert!(sdk.size() > 3 * aspnet.size());
        assert!(sdk.filesystem().exists("/usr/bin/dotnet"));
        let unknown = resolve("example.com/team/tool:9");
        assert!(unknown.is_ok_and(|u| !u.known));
    }
}
