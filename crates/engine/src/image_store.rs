//! The image store of the simulated Docker daemon (Docker Engine with the
//! overlay2 storage driver, whose layer store de-duplicates layers by
//! chain ID): image configs and IDs, the layer contents a build made,
//! pulls from the catalog, sizes as `docker images` and `docker system df`
//! compute them, an image's file system, and the modelled clock.
//!
//! The clock: the engine reads no real time, so "now" is
//! [`EPOCH`] (2026-08-12 10:00:00 UTC, a week after the modelled Docker
//! Engine 29.7.2 shipped) plus
//! the seconds the simulated session has lasted ([`DaemonState::clock`]).
//! Every docker command advances it by [`COMMAND_SECONDS`] (the time a
//! learner takes to type the next one), a build also by its modelled
//! duration, a pull by its modelled download time. Catalog images were
//! created [`BASE_IMAGE_AGE`] before the epoch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{self, BaseImage, Reference};
use crate::digest::sha256_digest;
use crate::filesystem::{Fs, LayerDiff};
use crate::image::{EmptyObject, Healthcheck, ImageConfig};
use crate::layer::{self, LayerEntry, StoredLayer, WasteReport};
use crate::state::{HistoryEntry, LayerInfo, State, StoredImage};

/// The modelled clock's origin: 2026-08-12T10:00:00Z, as Unix seconds.
pub const EPOCH: i64 = 1_786_528_800;
/// Seconds every docker command advances the modelled clock.
pub const COMMAND_SECONDS: i64 = 10;
/// How long before [`EPOCH`] the catalog's images were built (13 days).
pub const BASE_IMAGE_AGE: i64 = 13 * 86_400;

/// What the simulated daemon keeps besides images, layers and containers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaemonState {
    /// Seconds since [`EPOCH`] on the modelled clock.
    #[serde(default)]
    pub clock: i64,
    /// When each image (by ID) was created, Unix seconds. (Boxed, as
    /// `State`'s images: one copy of `BTreeMap`'s node code in the wasm
    /// for all.)
    #[serde(default)]
    pub created: BTreeMap<String, Box<i64>>,
    /// When each image (by ID) was last tagged, Unix seconds (boxed too).
    #[serde(default)]
    pub tagged: BTreeMap<String, Box<i64>>,
    /// Next ephemeral host port to try for `-P` and `-p 8080` (0: the
    /// start of the range).
    #[serde(default)]
    pub next_port: u16,
    /// Containers created so far (orders `docker ps`, seeds IDs).
    #[serde(default)]
    pub containers_created: u64,
    /// Repository digests of pulled images
    /// (`mcr.microsoft.com/dotnet/aspnet@sha256:...`), by image ID.
    #[serde(default)]
    pub repo_digests: BTreeMap<String, Vec<String>>,
}

/// "Now" on the modelled clock, Unix seconds.
pub fn now(state: &State) -> i64 {
    EPOCH + state.daemon.clock
}

/// Advances the modelled clock.
pub fn advance(state: &mut State, seconds: i64) {
    state.daemon.clock += seconds.max(0);
}

/// When image `id` was created (Unix seconds): recorded at build or pull
/// time; catalog images are [`BASE_IMAGE_AGE`] old.
pub fn created(state: &State, id: &str) -> i64 {
    state
        .daemon
        .created
        .get(id)
        .map_or(EPOCH - BASE_IMAGE_AGE, |t| **t)
}

/// The OCI `config` object of an image config, with BuildKit's field
/// order (`User`, `ExposedPorts`, `Env`, `Entrypoint`, `Cmd`, `Volumes`,
/// `WorkingDir`, `Labels`, `StopSignal`, `ArgsEscaped`, then Docker's
/// `Healthcheck`, `OnBuild`, `Shell`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OciConfig<'a> {
    /// USER.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub user: &'a str,
    /// EXPOSE.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exposed_ports: &'a BTreeMap<String, Box<EmptyObject>>,
    /// ENV.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub env: &'a [String],
    /// ENTRYPOINT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<&'a Vec<String>>,
    /// CMD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmd: Option<&'a Vec<String>>,
    /// VOLUME.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: &'a BTreeMap<String, Box<EmptyObject>>,
    /// WORKDIR.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub working_dir: &'a str,
    /// LABEL.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: &'a BTreeMap<String, String>,
    /// STOPSIGNAL.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub stop_signal: &'a str,
    /// Windows only.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub args_escaped: bool,
    /// HEALTHCHECK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<&'a Healthcheck>,
    /// ONBUILD.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub on_build: &'a [String],
    /// SHELL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<&'a Vec<String>>,
}

impl<'a> OciConfig<'a> {
    /// The config object of `c`.
    pub fn of(c: &'a ImageConfig) -> OciConfig<'a> {
        OciConfig {
            user: &c.user,
            exposed_ports: &c.exposed_ports,
            env: &c.env,
            entrypoint: c.entrypoint.as_ref(),
            cmd: c.cmd.as_ref(),
            volumes: &c.volumes,
            working_dir: &c.working_dir,
            labels: &c.labels,
            stop_signal: &c.stop_signal,
            args_escaped: c.args_escaped,
            healthcheck: c.healthcheck.as_ref(),
            on_build: &c.on_build,
            shell: c.shell.as_ref(),
        }
    }
}

#[derive(Serialize)]
struct OciHistory<'a> {
    created_by: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    comment: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    empty_layer: bool,
}

#[derive(Serialize)]
struct RootFs<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    diff_ids: Vec<&'a str>,
}

/// The image config blob (top-level keys sorted, as BuildKit's exporter
/// writes them): `architecture`, `author`, `config`, `history`, `os`,
/// `rootfs`. There is no `created`: the engine has no clock, and leaving
/// it out makes the ID depend on content only.
#[derive(Serialize)]
struct ConfigBlob<'a> {
    architecture: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    config: OciConfig<'a>,
    history: Vec<OciHistory<'a>>,
    os: &'a str,
    rootfs: RootFs<'a>,
}

/// The image config JSON (the blob whose sha256 is the image ID).
pub fn config_json(
    config: &ImageConfig,
    layers: &[LayerInfo],
    history: &[HistoryEntry],
    architecture: &str,
    author: Option<&str>,
) -> String {
    let blob = ConfigBlob {
        architecture,
        author,
        config: OciConfig::of(config),
        history: history
            .iter()
            .map(|h| OciHistory {
                created_by: &h.created_by,
                comment: &h.comment,
                empty_layer: h.empty_layer,
            })
            .collect(),
        os: "linux",
        rootfs: RootFs {
            kind: "layers",
            diff_ids: layers.iter().map(|l| l.digest.as_str()).collect(),
        },
    };
    serde_json::to_string(&blob).unwrap_or_default()
}

/// The image ID: `sha256:` of the config JSON, as Docker computes it.
pub fn image_id(
    config: &ImageConfig,
    layers: &[LayerInfo],
    history: &[HistoryEntry],
    architecture: &str,
    author: Option<&str>,
) -> String {
    sha256_digest(config_json(config, layers, history, architecture, author).as_bytes())
}

/// Keeps the contents of a build's own layers (the build's hook): every
/// layer of `layers` made by the build whose diff is known. A layer
/// already stored keeps its first creation time.
pub fn record_layers(
    state: &mut State,
    layers: &[LayerInfo],
    diffs: &BTreeMap<String, Box<(LayerDiff, u64)>>,
) {
    let at = now(state);
    for l in layers.iter().filter(|l| l.base.is_none()) {
        if state.layers.contains_key(&l.digest) {
            continue;
        }
        if let Some((diff, estimated)) = diffs.get(&l.digest).map(|d| &**d) {
            state.layers.insert(
                l.digest.clone(),
                Box::new(StoredLayer {
                    entries: layer::entries(diff),
                    estimated_bytes: *estimated,
                    created: at,
                }),
            );
        }
    }
}

/// The catalog reference of the base image an image's bottom layers
/// come from.
pub fn base_reference(img: &StoredImage) -> Option<&str> {
    img.layers.first().and_then(|l| l.base.as_deref())
}

/// The number of bottom layers that come from the base image.
pub fn base_layer_count(img: &StoredImage) -> usize {
    img.layers.iter().take_while(|l| l.base.is_some()).count()
}

/// The chain IDs of an image's layers.
pub fn chain_ids(img: &StoredImage) -> Vec<String> {
    let diff_ids: Vec<String> = img.layers.iter().map(|l| l.digest.clone()).collect();
    layer::chain_ids(&diff_ids)
}

/// The layer trees of an image, bottom first, for the analysis: the base
/// image's file system as one tree (the catalog models it whole), then
/// each of the image's own layers. Also returns how many trees are the
/// base's (0 or 1) and the layers whose content is not known.
pub fn layer_trees(state: &State, img: &StoredImage) -> (Vec<Vec<LayerEntry>>, usize, Vec<String>) {
    let mut trees = Vec::new();
    let mut base = 0;
    if let Some(r) = base_reference(img) {
        if let Ok(b) = catalog::resolve(r) {
            trees.push(layer::fs_entries(&b.filesystem()));
            base = 1;
        }
    }
    let mut missing = Vec::new();
    for l in img.layers.iter().filter(|l| l.base.is_none()) {
        match state.layers.get(&l.digest) {
            Some(s) => trees.push(s.entries.clone()),
            None => missing.push(l.digest.clone()),
        }
    }
    (trees, base, missing)
}

/// The file system a container of this image starts with: the base
/// image's modelled file system, then every own layer applied in order.
pub fn filesystem(state: &State, img: &StoredImage) -> Fs {
    let (trees, _, _) = layer_trees(state, img);
    let mut fs = Fs::new();
    for t in &trees {
        layer::apply(&mut fs, t);
    }
    fs
}

/// The wasted-space analysis of an image (dive's efficiency and wasted
/// bytes). With `exclude_base`, the base image's layers are left out of
/// the score and the waste (dive's CI option), though still applied.
/// Sizes are the image's layer sizes.
pub fn analyze(state: &State, img: &StoredImage, exclude_base: bool) -> WasteReport {
    let (trees, base, _) = layer_trees(state, img);
    let mut r = layer::analyze(&trees, if exclude_base { base } else { 0 });
    let own: u64 = img
        .layers
        .iter()
        .filter(|l| l.base.is_none())
        .map(|l| l.size)
        .sum();
    if exclude_base {
        r.size_bytes = own;
        r.user_size_bytes = own;
    } else {
        r.size_bytes = img.size();
        r.user_size_bytes = img.size() - img.layers.first().map_or(0, |l| l.size);
    }
    r
}

/// Sizes of every layer in the store, by chain ID, with how many images
/// use each. (Boxed, as `State`'s layers: one copy of `BTreeMap`'s node
/// code in the wasm for both.)
pub fn layer_usage(state: &State) -> BTreeMap<String, Box<(u64, usize)>> {
    let mut usage: BTreeMap<String, Box<(u64, usize)>> = BTreeMap::new();
    for img in state.images.values() {
        for (chain, l) in chain_ids(img).into_iter().zip(&img.layers) {
            match usage.get_mut(&chain) {
                Some(e) => e.1 += 1,
                None => {
                    usage.insert(chain, Box::new((l.size, 1)));
                }
            }
        }
    }
    usage
}

/// The total size of the layer store (every layer once).
pub fn layers_size(state: &State) -> u64 {
    layer_usage(state).values().map(|u| u.0).sum()
}

/// An image's shared size: its layers that another image uses too.
pub fn shared_size(state: &State, img: &StoredImage) -> u64 {
    let usage = layer_usage(state);
    chain_ids(img)
        .iter()
        .zip(&img.layers)
        .filter(|(c, _)| usage.get(*c).is_some_and(|u| u.1 > 1))
        .map(|(_, l)| l.size)
        .sum()
}

/// The tags (normalized, `docker.io/library/aspnetapp:latest`) pointing
/// at image `id`, sorted.
pub fn tags_of(state: &State, id: &str) -> Vec<String> {
    state
        .tags
        .iter()
        .filter(|(_, v)| v.as_str() == id)
        .map(|(k, _)| k.clone())
        .collect()
}

/// The image a catalog entry stands for, as `docker pull` stores it.
pub fn stored_catalog_image(base: &BaseImage) -> StoredImage {
    let layers: Vec<LayerInfo> = base
        .layers
        .iter()
        .map(|l| LayerInfo {
            digest: l.digest.clone(),
            size: l.size,
            created_by: l.created_by.clone(),
            base: Some(base.reference.clone()),
        })
        .collect();
    let history: Vec<HistoryEntry> = base
        .layers
        .iter()
        .map(|l| HistoryEntry {
            created_by: l.created_by.clone(),
            empty_layer: false,
            comment: String::new(),
        })
        .collect();
    let id = image_id(&base.config, &layers, &history, &base.architecture, None);
    StoredImage {
        id,
        config: base.config.clone(),
        history,
        layers,
        os: base.os.clone(),
        architecture: base.architecture.clone(),
        author: None,
        build: 0,
    }
}

/// One layer of a pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PulledLayer {
    /// The layer digest.
    pub digest: String,
    /// Its size.
    pub size: u64,
    /// True when the store already had it (`Already exists`).
    pub already_exists: bool,
}

/// What `docker pull` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PullOutcome {
    /// The normalized reference with tag (`docker.io/library/alpine:3.20`).
    pub reference: String,
    /// The short form (`alpine:3.20`).
    pub familiar: String,
    /// The repository path (`library/alpine`, `dotnet/aspnet`).
    pub path: String,
    /// The tag.
    pub tag: String,
    /// The manifest digest (`RepoDigests`).
    pub digest: String,
    /// The image ID.
    pub id: String,
    /// Its layers.
    pub layers: Vec<PulledLayer>,
    /// True when the tag already pointed at this image.
    pub up_to_date: bool,
    /// False when the catalog does not know the image (a generic model).
    pub known: bool,
    /// One line about the image.
    pub description: String,
    /// Modelled download time, seconds.
    pub seconds: i64,
}

/// Pulls `name` from the catalog into the store (`docker pull`): tags it,
/// records which layers the store already had.
pub fn pull(state: &mut State, name: &str) -> Result<PullOutcome, String> {
    let r = Reference::parse(name)
        .map_err(|e| e.message)?
        .with_default_tag();
    let base = catalog::resolve(&r.to_string()).map_err(|e| e.message)?;
    let img = stored_catalog_image(&base);
    let existing = layer_usage(state);
    let chains = chain_ids(&img);
    let layers: Vec<PulledLayer> = img
        .layers
        .iter()
        .zip(&chains)
        .map(|(l, c)| PulledLayer {
            digest: l.digest.clone(),
            size: l.size,
            already_exists: existing.contains_key(c),
        })
        .collect();
    let tag_key = r.to_string();
    let up_to_date = state.tags.get(&tag_key) == Some(&img.id);
    let downloaded: u64 = layers
        .iter()
        .filter(|l| !l.already_exists)
        .map(|l| l.size)
        .sum();
    let seconds = if downloaded == 0 {
        1
    } else {
        1 + i64::try_from(downloaded / 40_000_000).unwrap_or(0)
    };
    let id = img.id.clone();
    if !state.images.contains_key(&id) {
        state.images.insert(id.clone(), Box::new(img));
    }
    if !state.daemon.created.contains_key(&id) {
        state
            .daemon
            .created
            .insert(id.clone(), Box::new(EPOCH - BASE_IMAGE_AGE));
    }
    if !up_to_date {
        state.tags.insert(tag_key.clone(), id.clone());
    }
    let digest = match &r.digest {
        Some(d) => d.clone(),
        None => base.digest.clone(),
    };
    let repo_digest = format!("{}@{digest}", r.name());
    match state.daemon.repo_digests.get_mut(&id) {
        Some(digests) => {
            if !digests.contains(&repo_digest) {
                digests.push(repo_digest);
            }
        }
        None => {
            state
                .daemon
                .repo_digests
                .insert(id.clone(), vec![repo_digest]);
        }
    }
    Ok(PullOutcome {
        reference: tag_key,
        familiar: r.familiar(),
        path: r.path.clone(),
        tag: r.tag.clone().unwrap_or_else(|| "latest".into()),
        digest,
        id,
        layers,
        up_to_date,
        known: base.known,
        description: base.description,
        seconds,
    })
}

/// Records a built image's creation and tag times (the first build of an
/// ID keeps its time, as a fully cached rebuild gives the same image).
pub fn record_built(state: &mut State, id: &str, tagged: bool) {
    let at = now(state);
    if !state.daemon.created.contains_key(id) {
        state.daemon.created.insert(id.to_string(), Box::new(at));
    }
    if tagged {
        state.daemon.tagged.insert(id.to_string(), Box::new(at));
    }
}

/// Normalizes an image name as a tag key (`aspnetapp` ->
/// `docker.io/library/aspnetapp:latest`).
pub fn tag_key(name: &str) -> Result<String, String> {
    Reference::parse(name)
        .map(|r| r.with_default_tag().to_string())
        .map_err(|e| e.message)
}

/// The ID of the image `name` refers to, Docker's way: a reference
/// (`aspnetapp`, `aspnetapp:latest`, `docker.io/library/aspnetapp`) first,
/// then a full or short ID (`sha256:` optional).
pub fn lookup(state: &State, name: &str) -> Option<String> {
    if let Ok(key) = tag_key(name) {
        if let Some(id) = state.tags.get(&key) {
            return Some(id.clone());
        }
    }
    let hex = name.strip_prefix("sha256:").unwrap_or(name);
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let matches: Vec<&String> = state
        .images
        .keys()
        .filter(|id| id.trim_start_matches("sha256:").starts_with(hex))
        .collect();
    match matches.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_json_has_buildkit_shape() {
        let mut c = ImageConfig {
            env: vec!["PATH=/bin".into()],
            entrypoint: Some(vec!["dotnet".into(), "aspnetapp.dll".into()]),
            working_dir: "/app".into(),
            ..Default::default()
        };
        c.exposed_ports
            .insert("8080/tcp".into(), Box::new(EmptyObject {}));
        let layers = vec![LayerInfo {
            digest: "sha256:aa".into(),
            size: 1,
            created_by: "WORKDIR /app".into(),
            base: None,
        }];
        let history = vec![
            HistoryEntry {
                created_by: "WORKDIR /app".into(),
                empty_layer: false,
                comment: "buildkit.dockerfile.v0".into(),
            },
            HistoryEntry {
                created_by: "ENTRYPOINT [\"dotnet\" \"aspnetapp.dll\"]".into(),
                empty_layer: true,
                comment: "buildkit.dockerfile.v0".into(),
            },
        ];
        let json = config_json(&c, &layers, &history, "amd64", None);
        assert_eq!(
            json,
            r#"{"architecture":"amd64","config":{"ExposedPorts":{"8080/tcp":{}},"Env":["PATH=/bin"],"Entrypoint":["dotnet","aspnetapp.dll"],"WorkingDir":"/app"},"history":[{"created_by":"WORKDIR /app","comment":"buildkit.dockerfile.v0"},{"created_by":"ENTRYPOINT [\"dotnet\" \"aspnetapp.dll\"]","comment":"buildkit.dockerfile.v0","empty_layer":true}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:aa"]}}"#
        );
        assert_eq!(
            image_id(&c, &layers, &history, "amd64", None),
            sha256_digest(json.as_bytes())
        );
    }

    #[test]
    fn pulls_share_layers_and_say_already_exists() {
        let mut state = State::new();
        let a = pull(&mut state, "mcr.microsoft.com/dotnet/aspnet:8.0");
        let Ok(a) = a else {
            panic!("{a:?}");
        };
        assert!(a.layers.iter().all(|l| !l.already_exists));
        assert_eq!(a.familiar, "mcr.microsoft.com/dotnet/aspnet:8.0");
        // The SDK is built on the ASP.NET Core image: its first four
        // layers are already there.
        let s = pull(&mut state, "mcr.microsoft.com/dotnet/sdk:8.0");
        let Ok(s) = s else {
            panic!("{s:?}");
        };
        let exists: Vec<bool> = s.layers.iter().map(|l| l.already_exists).collect();
        assert_eq!(exists, [true, true, true, true, false, false, false, false]);
        let again = pull(&mut state, "mcr.microsoft.com/dotnet/sdk:8.0");
        assert!(again.is_ok_and(|p| p.up_to_date));
        let aspnet = state
            .images
            .get(&a.id)
            .cloned()
            .unwrap_or_else(|| panic!("stored"));
        let sdk = state
            .images
            .get(&s.id)
            .cloned()
            .unwrap_or_else(|| panic!("stored"));
        // Shared: the four aspnet layers, in both images.
        let four: u64 = aspnet.layers.iter().map(|l| l.size).sum();
        assert_eq!(shared_size(&state, &aspnet), four);
        assert_eq!(shared_size(&state, &sdk), four);
        assert_eq!(layers_size(&state), sdk.size());
        assert_eq!(
            lookup(&state, "mcr.microsoft.com/dotnet/sdk:8.0"),
            Some(s.id.clone())
        );
        assert_eq!(lookup(&state, &s.id[7..14]), Some(s.id.clone()));
        assert_eq!(lookup(&state, "nosuch"), None);
    }
}
