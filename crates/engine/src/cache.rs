//! BuildKit's build cache: what a step's cache key is made of, the store
//! of keys earlier builds produced, and, for every step that is not
//! CACHED, the reason in words (BuildKit itself cannot say why a step
//! missed; moby/buildkit issue 2567).
//!
//! A key is the digest of the step's parent key(s) and the instruction as
//! executed:
//! * RUN: the argv after SHELL wrapping, the environment (ENV and the ARGs
//!   in scope, in order), user, working directory, mounts (bind mounts by
//!   the content they select, cache mounts by target), network, platform;
//!   never the proxy build args;
//! * COPY / ADD: the checksum of the selected source files (names, types,
//!   permission bits, owners, contents: never times), the destination, and
//!   `--chown` / `--chmod` / `--exclude`...;
//! * WORKDIR: the directory to create and its owner;
//! * FROM: the image reference and digest.
//!
//! A COPY's source side is content-based: files copied from a stage that
//! re-ran are still a hit when byte-identical. Everything else chains: when
//! a step re-runs, every later step of its stage re-runs too.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::copy::{Chmod, Chown, Selection};
use crate::digest::digest_of;
use crate::shared_sort;

/// A cache key (`sha256:...`).
pub type CacheKey = String;

/// What a COPY/ADD source or a bind mount selects, by content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInputs {
    /// Where the files come from: `context`, `stage build`,
    /// `image docker.io/library/alpine:3.19`, `heredoc EOF`, `url ...`.
    pub origin: String,
    /// The source path as the step names it.
    pub path: String,
    /// Every selected entry with its checksum inputs.
    pub files: Selection,
}

/// One copy action of a COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyInputs {
    /// The source selection.
    pub source: SourceInputs,
    /// The absolute destination (a trailing `/` kept).
    pub dest: String,
    /// `--chown`.
    pub chown: Option<Chown>,
    /// `--chmod`.
    pub chmod: Option<Chmod>,
    /// `--exclude` patterns.
    pub excludes: Vec<String>,
    /// `--parents` include pattern.
    pub parents: Option<String>,
    /// ADD: archives are extracted.
    pub unpack: bool,
}

/// A RUN mount as it enters the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountInputs {
    /// `bind`, `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    /// Absolute target.
    pub target: String,
    /// Read-only.
    pub readonly: bool,
    /// The content a bind mount selects.
    pub source: Option<SourceInputs>,
    /// A cache mount's sharing mode (its `id` does not enter the key).
    pub sharing: String,
}

/// The inputs of a RUN's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecInputs {
    /// The argv (SHELL + command in shell form).
    pub args: Vec<String>,
    /// `KEY=value` in order: ENV and the ARGs in scope.
    pub env: Vec<String>,
    /// Working directory.
    pub cwd: String,
    /// USER (empty for root).
    pub user: String,
    /// `default`, `none`, `host`.
    pub network: String,
    /// `sandbox`, `insecure`.
    pub security: String,
    /// `linux/amd64`.
    pub platform: String,
    /// Extra mounts.
    pub mounts: Vec<MountInputs>,
}

/// What a step's cache key is computed from (besides its parents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum KeyInputs {
    /// FROM an image.
    Image {
        /// Normalized reference.
        reference: String,
        /// Image digest.
        digest: String,
        /// Platform.
        platform: String,
    },
    /// RUN.
    Exec(ExecInputs),
    /// WORKDIR's directory creation.
    Mkdir {
        /// The directory (clean).
        path: String,
        /// Its owner (the USER in force), when set.
        owner: Option<String>,
    },
    /// COPY / ADD.
    Copy {
        /// The copy actions, one per source.
        actions: Vec<CopyInputs>,
        /// `--link`: copied onto an empty layer (no parent).
        link: bool,
    },
    /// The merge of a `COPY --link` layer onto the previous state.
    Merge,
}

impl KeyInputs {
    fn kind(&self) -> &'static str {
        match self {
            KeyInputs::Image { .. } => "image",
            KeyInputs::Exec(_) => "exec",
            KeyInputs::Mkdir { .. } => "mkdir",
            KeyInputs::Copy { .. } => "copy",
            KeyInputs::Merge => "merge",
        }
    }
}

/// The key of a step from its parents' keys and its inputs.
pub fn compute_key(parents: &[CacheKey], inputs: &KeyInputs) -> CacheKey {
    digest_of(&(parents, inputs))
}

/// One cache entry: a step result BuildKit keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheRecord {
    /// Its key.
    pub key: CacheKey,
    /// Parent keys (chain inputs).
    pub parents: Vec<CacheKey>,
    /// What the key was computed from.
    pub inputs: KeyInputs,
    /// The vertex name the step had (`[build 5/8] RUN dotnet restore`).
    pub name: String,
    /// Names of the build args in the step's environment.
    #[serde(default)]
    pub arg_names: Vec<String>,
    /// Serial of the build that last used it.
    pub last_used: u64,
}

/// All cache records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStore {
    /// Records by key. (Boxed, as `State`'s images, containers and
    /// layers: one copy of `BTreeMap`'s node code in the wasm for all.)
    pub records: BTreeMap<CacheKey, Box<CacheRecord>>,
}

impl CacheStore {
    /// True when a result for `key` is in the cache.
    pub fn contains(&self, key: &str) -> bool {
        self.records.contains_key(key)
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Adds or refreshes a record.
    pub fn insert(&mut self, record: CacheRecord) {
        self.records.insert(record.key.clone(), Box::new(record));
    }

    /// Records with exactly these parents (the results earlier builds
    /// produced after the same previous step).
    pub fn children_of(&self, parents: &[CacheKey]) -> Vec<&CacheRecord> {
        self.records
            .values()
            .filter(|r| r.parents == parents)
            .map(|r| &**r)
            .collect()
    }

    /// Drops the least recently used records beyond `max` (BuildKit's
    /// garbage collection, simplified).
    pub fn prune(&mut self, max: usize) {
        if self.records.len() <= max {
            return;
        }
        let mut by_age: Vec<(u64, CacheKey)> = self
            .records
            .values()
            .map(|r| (r.last_used, r.key.clone()))
            .collect();
        shared_sort::sort(&mut by_age);
        let drop = self.records.len() - max;
        for (_, k) in by_age.into_iter().take(drop) {
            self.records.remove(&k);
        }
    }

    /// Clears everything (`docker builder prune -a`).
    pub fn clear(&mut self) {
        self.records.clear();
    }
}

/// A permission change of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeChange {
    /// The file.
    pub path: String,
    /// Mode before.
    pub before: u32,
    /// Mode now.
    pub after: u32,
}

/// Why a step was not CACHED (or, for a FROM row, why it does not show
/// CACHED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissReason {
    /// The cache was empty when the build started.
    EmptyCache,
    /// `--no-cache`.
    NoCache,
    /// `--no-cache-filter` named the stage.
    NoCacheFilter {
        /// The stage.
        stage: String,
    },
    /// A step this one builds on re-ran.
    PreviousStepRan {
        /// That step's name.
        step: String,
    },
    /// The base image is not the one earlier builds used.
    BaseImageChanged {
        /// The image now.
        image: String,
    },
    /// Source files differ.
    FilesChanged {
        /// `the build context`, `stage build`, `image ...`, `bind mount ...`.
        origin: String,
        /// Files whose content changed.
        changed: Vec<String>,
        /// Files now selected that were not.
        added: Vec<String>,
        /// Files no longer selected.
        removed: Vec<String>,
        /// Permission changes.
        modes: Vec<ModeChange>,
        /// Owner or type changes.
        other: Vec<String>,
    },
    /// COPY/ADD now selects other source paths.
    SourcesChanged {
        /// Before.
        before: Vec<String>,
        /// Now.
        after: Vec<String>,
    },
    /// The destination changed.
    DestinationChanged {
        /// Before.
        before: String,
        /// Now.
        after: String,
    },
    /// A COPY flag changed.
    FlagChanged {
        /// `--chown`, `--chmod`, `--exclude`...
        flag: String,
        /// Before (`none` when unset).
        before: String,
        /// Now.
        after: String,
    },
    /// The RUN command text changed.
    CommandChanged {
        /// The instruction before.
        before: String,
        /// Now.
        after: String,
    },
    /// SHELL changed (the argv's shell part).
    ShellChanged {
        /// Before.
        before: Vec<String>,
        /// Now.
        after: Vec<String>,
    },
    /// A build arg's value changed.
    BuildArgChanged {
        /// The ARG.
        name: String,
        /// Before (`None`: unset).
        before: Option<String>,
        /// Now.
        after: Option<String>,
    },
    /// An environment variable changed.
    EnvChanged {
        /// The variable.
        name: String,
        /// Before.
        before: Option<String>,
        /// Now.
        after: Option<String>,
    },
    /// Same variables, other order.
    EnvOrderChanged,
    /// USER changed.
    UserChanged {
        /// Before.
        before: String,
        /// Now.
        after: String,
    },
    /// WORKDIR changed.
    WorkdirChanged {
        /// Before.
        before: String,
        /// Now.
        after: String,
    },
    /// RUN mounts changed.
    MountsChanged {
        /// What changed.
        detail: String,
    },
    /// `--network` / `--security` changed.
    RunOptionChanged {
        /// What changed.
        detail: String,
    },
    /// Another instruction now sits at this place.
    InstructionChanged {
        /// The cached step's name.
        before: String,
        /// Now.
        after: String,
    },
    /// Nothing in the cache follows the same previous step.
    NewStep {
        /// The step it follows, when there is one.
        after: Option<String>,
    },
    /// FROM: first use of the image in this cache: pulled.
    FirstPull {
        /// The image.
        image: String,
    },
    /// FROM: in the cache, but no step built on it re-ran, so BuildKit did
    /// not load it (and does not show CACHED).
    NotLoaded,
}

fn mode(m: u32) -> String {
    format!("{m:04o}")
}

fn list(items: &[String]) -> String {
    const MAX: usize = 3;
    let mut s = items
        .iter()
        .take(MAX)
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX {
        s.push_str(&format!(" and {} more", items.len() - MAX));
    }
    s
}

fn opt(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "unset".to_string(),
    }
}

impl fmt::Display for MissReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MissReason::*;
        match self {
            EmptyCache => f.write_str("first build: the cache is empty"),
            NoCache => f.write_str("--no-cache: every step runs again"),
            NoCacheFilter { stage } => write!(f, "--no-cache-filter {stage}: the steps of stage {stage} run again"),
            PreviousStepRan { step } => write!(
                f,
                "a step it builds on re-ran ({step}), so this step runs again too"
            ),
            BaseImageChanged { image } => write!(
                f,
                "the base image changed: {image} was not used by an earlier build in this cache"
            ),
            FilesChanged {
                origin,
                changed,
                added,
                removed,
                modes,
                other,
            } => {
                if let Some(name) = origin.strip_prefix("heredoc ") {
                    return write!(f, "the content of heredoc {name} changed");
                }
                let mut parts = Vec::new();
                if changed.len() == 1 {
                    parts.push(format!("file {} changed", changed[0]));
                } else if !changed.is_empty() {
                    parts.push(format!("files {} changed", list(changed)));
                }
                if !added.is_empty() {
                    parts.push(format!("{} added", list(added)));
                }
                if !removed.is_empty() {
                    parts.push(format!("{} removed", list(removed)));
                }
                for m in modes.iter().take(3) {
                    parts.push(format!(
                        "mode of {} changed from {} to {}",
                        m.path,
                        mode(m.before),
                        mode(m.after)
                    ));
                }
                if !other.is_empty() {
                    parts.push(format!("owner or type of {} changed", list(other)));
                }
                if parts.is_empty() {
                    parts.push("the copied files changed".to_string());
                }
                write!(f, "{} (in {origin})", parts.join("; "))
            }
            SourcesChanged { before, after } => write!(
                f,
                "the sources changed: now {}, before {}",
                list(after),
                list(before)
            ),
            DestinationChanged { before, after } => {
                write!(f, "the destination changed from {before} to {after}")
            }
            FlagChanged {
                flag,
                before,
                after,
            } => write!(f, "{flag} changed from {before} to {after}"),
            CommandChanged { before, after } if before == after => write!(
                f,
                "the RUN command changed: {after} reads the same, so what differs is in its heredoc body or further lines"
            ),
            CommandChanged { before, after } => write!(
                f,
                "the RUN command text changed (before: {before}; now: {after})"
            ),
            ShellChanged { before, after } => write!(
                f,
                "the SHELL changed from {before:?} to {after:?}"
            ),
            BuildArgChanged {
                name,
                before,
                after,
            } => write!(
                f,
                "build arg {name} changed from {} to {}",
                opt(before),
                opt(after)
            ),
            EnvChanged {
                name,
                before,
                after,
            } => match (before, after) {
                (None, Some(v)) => write!(f, "ENV {name}={v} was added before this step"),
                (Some(_), None) => write!(f, "ENV {name} is no longer set"),
                _ => write!(f, "ENV {name} changed from {} to {}", opt(before), opt(after)),
            },
            EnvOrderChanged => f.write_str(
                "the environment is the same but in another order (ENV/ARG lines were reordered)",
            ),
            UserChanged { before, after } => write!(
                f,
                "USER changed from {} to {}",
                if before.is_empty() { "root" } else { before },
                if after.is_empty() { "root" } else { after }
            ),
            WorkdirChanged { before, after } => {
                write!(f, "WORKDIR changed from {before} to {after}")
            }
            MountsChanged { detail } => write!(f, "the RUN mounts changed: {detail}"),
            RunOptionChanged { detail } => write!(f, "{detail}"),
            InstructionChanged { before, after } => write!(
                f,
                "a different instruction now follows the same previous step (before: {before}; now: {after})"
            ),
            NewStep { after: Some(prev) } => write!(
                f,
                "new step: no earlier build ran this instruction after {prev}"
            ),
            NewStep { after: None } => {
                f.write_str("new step: no earlier build ran this instruction")
            }
            FirstPull { image } => write!(
                f,
                "first use of {image} in this cache: the image is pulled"
            ),
            NotLoaded => f.write_str(
                "the image is already in the cache; BuildKit shows CACHED on FROM only when a step built directly on it re-runs",
            ),
        }
    }
}

/// Picks the earlier result to compare with: same parents, same kind of
/// step, preferably the same step name, most recently used first.
fn best_candidate<'a>(
    candidates: &[&'a CacheRecord],
    inputs: &KeyInputs,
    name: &str,
) -> Option<&'a CacheRecord> {
    let slot = name.split("] ").next().unwrap_or(name);
    candidates.iter().copied().min_by(|a, b| {
        let rank = |r: &CacheRecord| {
            (
                r.inputs.kind() != inputs.kind(),
                !r.name.starts_with(slot),
                std::cmp::Reverse(r.last_used),
            )
        };
        rank(a).cmp(&rank(b)).then_with(|| a.key.cmp(&b.key))
    })
}

fn instruction_of(name: &str) -> &str {
    name.split_once("] ").map_or(name, |(_, i)| i)
}

/// Explains a miss by comparing the step's inputs with the most similar
/// earlier result that had the same parents.
pub fn explain(
    store: &CacheStore,
    parents: &[CacheKey],
    inputs: &KeyInputs,
    name: &str,
    arg_names: &[String],
    previous_step: Option<&str>,
) -> MissReason {
    let candidates = store.children_of(parents);
    let Some(old) = best_candidate(&candidates, inputs, name) else {
        return MissReason::NewStep {
            after: previous_step.map(String::from),
        };
    };
    diff(old, inputs, name, arg_names)
}

fn split_env(env: &[String]) -> Vec<(String, String)> {
    env.iter()
        .map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn diff_files(origin: &str, old: &Selection, new: &Selection) -> Option<MissReason> {
    if old == new {
        return None;
    }
    let show = |p: &str| -> String {
        if origin.starts_with("the build context") {
            p.trim_start_matches('/').to_string()
        } else {
            p.to_string()
        }
    };
    let mut changed = Vec::new();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut modes = Vec::new();
    let mut other = Vec::new();
    for (p, n) in new {
        match old.get(p) {
            None => added.push(show(p)),
            Some(o) if o == n => {}
            Some(o) => {
                if o.kind != n.kind || o.uid != n.uid || o.gid != n.gid {
                    other.push(show(p));
                } else if o.digest != n.digest {
                    changed.push(show(p));
                } else if o.mode != n.mode {
                    modes.push(ModeChange {
                        path: show(p),
                        before: o.mode,
                        after: n.mode,
                    });
                }
            }
        }
    }
    for p in old.keys() {
        if !new.contains_key(p) {
            removed.push(show(p));
        }
    }
    // Directories listed as changed only because of their content are
    // noise: keep files when there are any.
    Some(MissReason::FilesChanged {
        origin: origin.to_string(),
        changed,
        added,
        removed,
        modes,
        other,
    })
}

fn origin_label(origin: &str) -> String {
    if origin == "context" {
        "the build context".to_string()
    } else {
        origin.to_string()
    }
}

fn show_opt<T: fmt::Debug>(v: &Option<T>, f: impl Fn(&T) -> String) -> String {
    match v {
        Some(x) => f(x),
        None => "none".to_string(),
    }
}

fn diff(old: &CacheRecord, inputs: &KeyInputs, name: &str, arg_names: &[String]) -> MissReason {
    match (&old.inputs, inputs) {
        (KeyInputs::Exec(a), KeyInputs::Exec(b)) => {
            if a.args != b.args {
                let shell_a = &a.args[..a.args.len().saturating_sub(1)];
                let shell_b = &b.args[..b.args.len().saturating_sub(1)];
                if a.args.last() == b.args.last() && shell_a != shell_b {
                    return MissReason::ShellChanged {
                        before: shell_a.to_vec(),
                        after: shell_b.to_vec(),
                    };
                }
                return MissReason::CommandChanged {
                    before: instruction_of(&old.name).to_string(),
                    after: instruction_of(name).to_string(),
                };
            }
            if a.env != b.env {
                let ea = split_env(&a.env);
                let eb = split_env(&b.env);
                let get = |e: &[(String, String)], k: &str| {
                    e.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone())
                };
                let mut keys: Vec<String> = eb.iter().map(|(k, _)| k.clone()).collect();
                for (k, _) in &ea {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
                for k in keys {
                    let (before, after) = (get(&ea, &k), get(&eb, &k));
                    if before != after {
                        let is_arg = arg_names.contains(&k) || old.arg_names.contains(&k);
                        return if is_arg {
                            MissReason::BuildArgChanged {
                                name: k,
                                before,
                                after,
                            }
                        } else {
                            MissReason::EnvChanged {
                                name: k,
                                before,
                                after,
                            }
                        };
                    }
                }
                return MissReason::EnvOrderChanged;
            }
            if a.user != b.user {
                return MissReason::UserChanged {
                    before: a.user.clone(),
                    after: b.user.clone(),
                };
            }
            if a.cwd != b.cwd {
                return MissReason::WorkdirChanged {
                    before: a.cwd.clone(),
                    after: b.cwd.clone(),
                };
            }
            if a.mounts != b.mounts {
                if a.mounts.len() == b.mounts.len() {
                    for (ma, mb) in a.mounts.iter().zip(&b.mounts) {
                        if let (Some(sa), Some(sb)) = (&ma.source, &mb.source) {
                            if ma.target == mb.target
                                && sa.path == sb.path
                                && sa.origin == sb.origin
                            {
                                if let Some(r) = diff_files(
                                    &format!(
                                        "{} mounted at {}",
                                        origin_label(&sb.origin),
                                        mb.target
                                    ),
                                    &sa.files,
                                    &sb.files,
                                ) {
                                    return r;
                                }
                            }
                        }
                        if ma.target != mb.target {
                            return MissReason::MountsChanged {
                                detail: format!(
                                    "{} mount target changed from {} to {}",
                                    mb.kind, ma.target, mb.target
                                ),
                            };
                        }
                    }
                }
                return MissReason::MountsChanged {
                    detail: format!("{} mount(s) before, {} now", a.mounts.len(), b.mounts.len()),
                };
            }
            if a.network != b.network || a.security != b.security {
                return MissReason::RunOptionChanged {
                    detail: format!(
                        "RUN options changed (--network={} --security={}, before --network={} --security={})",
                        b.network, b.security, a.network, a.security
                    ),
                };
            }
            MissReason::InstructionChanged {
                before: instruction_of(&old.name).to_string(),
                after: instruction_of(name).to_string(),
            }
        }
        (
            KeyInputs::Copy {
                actions: a,
                link: la,
            },
            KeyInputs::Copy {
                actions: b,
                link: lb,
            },
        ) => {
            let paths_a: Vec<String> = a.iter().map(|x| x.source.path.clone()).collect();
            let paths_b: Vec<String> = b.iter().map(|x| x.source.path.clone()).collect();
            let origins_a: Vec<&String> = a.iter().map(|x| &x.source.origin).collect();
            let origins_b: Vec<&String> = b.iter().map(|x| &x.source.origin).collect();
            if paths_a != paths_b || origins_a != origins_b {
                return MissReason::SourcesChanged {
                    before: a
                        .iter()
                        .map(|x| {
                            format!("{} from {}", x.source.path, origin_label(&x.source.origin))
                        })
                        .collect(),
                    after: b
                        .iter()
                        .map(|x| {
                            format!("{} from {}", x.source.path, origin_label(&x.source.origin))
                        })
                        .collect(),
                };
            }
            for (x, y) in a.iter().zip(b) {
                if x.dest != y.dest {
                    return MissReason::DestinationChanged {
                        before: x.dest.clone(),
                        after: y.dest.clone(),
                    };
                }
                if x.chown != y.chown {
                    let show = |c: &Chown| match &c.group {
                        Some(g) => format!("{}:{g}", c.user),
                        None => c.user.to_string(),
                    };
                    return MissReason::FlagChanged {
                        flag: "--chown".into(),
                        before: show_opt(&x.chown, show),
                        after: show_opt(&y.chown, show),
                    };
                }
                if x.chmod != y.chmod {
                    let show = |c: &Chmod| match c {
                        Chmod::Octal(n) => format!("{n:o}"),
                        Chmod::Symbolic(s) => s.clone(),
                    };
                    return MissReason::FlagChanged {
                        flag: "--chmod".into(),
                        before: show_opt(&x.chmod, show),
                        after: show_opt(&y.chmod, show),
                    };
                }
                if x.excludes != y.excludes {
                    return MissReason::FlagChanged {
                        flag: "--exclude".into(),
                        before: format!("{:?}", x.excludes),
                        after: format!("{:?}", y.excludes),
                    };
                }
                if x.parents != y.parents || x.unpack != y.unpack {
                    return MissReason::FlagChanged {
                        flag: "--parents/--unpack".into(),
                        before: format!("{:?}/{}", x.parents, x.unpack),
                        after: format!("{:?}/{}", y.parents, y.unpack),
                    };
                }
                if let Some(r) = diff_files(
                    &origin_label(&y.source.origin),
                    &x.source.files,
                    &y.source.files,
                ) {
                    return r;
                }
            }
            if la != lb {
                return MissReason::FlagChanged {
                    flag: "--link".into(),
                    before: la.to_string(),
                    after: lb.to_string(),
                };
            }
            MissReason::InstructionChanged {
                before: instruction_of(&old.name).to_string(),
                after: instruction_of(name).to_string(),
            }
        }
        (
            KeyInputs::Mkdir {
                path: pa,
                owner: oa,
            },
            KeyInputs::Mkdir {
                path: pb,
                owner: ob,
            },
        ) => {
            if pa != pb {
                MissReason::WorkdirChanged {
                    before: pa.clone(),
                    after: pb.clone(),
                }
            } else {
                MissReason::UserChanged {
                    before: oa.clone().unwrap_or_default(),
                    after: ob.clone().unwrap_or_default(),
                }
            }
        }
        _ => MissReason::InstructionChanged {
            before: instruction_of(&old.name).to_string(),
            after: instruction_of(name).to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::EntrySum;

    fn exec(args: &[&str], env: &[&str]) -> KeyInputs {
        KeyInputs::Exec(ExecInputs {
            args: args.iter().map(|s| s.to_string()).collect(),
            env: env.iter().map(|s| s.to_string()).collect(),
            cwd: "/".into(),
            user: String::new(),
            network: "default".into(),
            security: "sandbox".into(),
            platform: "linux/amd64".into(),
            mounts: vec![],
        })
    }

    fn record(parents: &[&str], inputs: KeyInputs, name: &str, args: &[&str]) -> CacheRecord {
        let parents: Vec<String> = parents.iter().map(|s| s.to_string()).collect();
        CacheRecord {
            key: compute_key(&parents, &inputs),
            parents,
            inputs,
            name: name.into(),
            arg_names: args.iter().map(|s| s.to_string()).collect(),
            last_used: 1,
        }
    }

    #[test]
    fn keys_depend_on_parents_and_inputs() {
        let a = exec(&["/bin/sh", "-c", "echo"], &["PATH=/bin"]);
        let k1 = compute_key(&["p".into()], &a);
        assert_eq!(k1, compute_key(&["p".into()], &a));
        assert_ne!(k1, compute_key(&["q".into()], &a));
    }

    #[test]
    fn reasons_name_the_cause() {
        let mut store = CacheStore::default();
        store.insert(record(
            &["p"],
            exec(&["/bin/sh", "-c", "echo $V"], &["PATH=/bin", "V=1"]),
            "[2/3] RUN echo 1",
            &["V"],
        ));
        let r = explain(
            &store,
            &["p".into()],
            &exec(&["/bin/sh", "-c", "echo $V"], &["PATH=/bin", "V=2"]),
            "[2/3] RUN echo 2",
            &["V".into()],
            None,
        );
        assert_eq!(r.to_string(), "build arg V changed from \"1\" to \"2\"");
        let r = explain(
            &store,
            &["p".into()],
            &exec(&["/bin/sh", "-c", "echo  $V"], &["PATH=/bin", "V=1"]),
            "[2/3] RUN echo  1",
            &["V".into()],
            None,
        );
        assert!(r.to_string().starts_with("the RUN command text changed"));
        let r = explain(
            &store,
            &["p".into()],
            &exec(&["/bin/ash", "-c", "echo $V"], &["PATH=/bin", "V=1"]),
            "[2/3] RUN echo 1",
            &["V".into()],
            None,
        );
        assert!(matches!(r, MissReason::ShellChanged { .. }));
        let r = explain(
            &store,
            &["p".into()],
            &exec(&["/bin/sh", "-c", "echo $V"], &["V=1", "PATH=/bin"]),
            "[2/3] RUN echo 1",
            &["V".into()],
            None,
        );
        assert_eq!(r, MissReason::EnvOrderChanged);
        let r = explain(
            &store,
            &["other".into()],
            &exec(&["x"], &[]),
            "[2/3] RUN x",
            &[],
            Some("[1/3] FROM a"),
        );
        assert_eq!(
            r.to_string(),
            "new step: no earlier build ran this instruction after [1/3] FROM a"
        );
    }

    #[test]
    fn file_reasons() {
        let sel = |content: &str, mode: u32| {
            let mut s = Selection::new();
            s.insert(
                "/aspnetapp/Program.cs".into(),
                Box::new(EntrySum {
                    kind: "file".into(),
                    digest: content.into(),
                    mode,
                    uid: 0,
                    gid: 0,
                }),
            );
            s
        };
        let copy = |files: Selection| KeyInputs::Copy {
            actions: vec![CopyInputs {
                source: SourceInputs {
                    origin: "context".into(),
                    path: "aspnetapp/.".into(),
                    files,
                },
                dest: "/source/aspnetapp/".into(),
                chown: None,
                chmod: None,
                excludes: vec![],
                parents: None,
                unpack: false,
            }],
            link: false,
        };
        let mut store = CacheStore::default();
        store.insert(record(
            &["p"],
            copy(sel("a", 0o644)),
            "[build 5/8] COPY aspnetapp/. aspnetapp/",
            &[],
        ));
        let r = explain(
            &store,
            &["p".into()],
            &copy(sel("b", 0o644)),
            "[build 5/8] COPY aspnetapp/. aspnetapp/",
            &[],
            None,
        );
        assert_eq!(
            r.to_string(),
            "file aspnetapp/Program.cs changed (in the build context)"
        );
        let r = explain(
            &store,
            &["p".into()],
            &copy(sel("a", 0o755)),
            "[build 5/8] COPY aspnetapp/. aspnetapp/",
            &[],
            None,
        );
        assert_eq!(
            r.to_string(),
            "mode of aspnetapp/Program.cs changed from 0644 to 0755 (in the build context)"
        );
    }
}
