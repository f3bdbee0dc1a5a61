//! What persists between builds: BuildKit's cache and the image store
//! (built images by ID, tags pointing at them). The CLI saves it as JSON
//! between invocations; the web app keeps it in memory (or local storage).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cache::CacheStore;
use crate::image::ImageConfig;

/// The current state format version.
pub const STATE_VERSION: u32 = 1;

/// One history entry of an image (`docker history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// What made it (`RUN /bin/sh -c dotnet restore # buildkit`).
    pub created_by: String,
    /// True when it added no layer (ENV, CMD...).
    #[serde(default)]
    pub empty_layer: bool,
    /// `buildkit.dockerfile.v0` for Dockerfile steps.
    #[serde(default)]
    pub comment: String,
}

/// One layer of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// `sha256:...`.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
    /// The instruction that made it.
    pub created_by: String,
    /// The base image it comes from, for layers that are not the build's
    /// own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

/// A built image in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredImage {
    /// `sha256:...` of the config.
    pub id: String,
    /// The runtime config.
    pub config: ImageConfig,
    /// History, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Layers, bottom first.
    pub layers: Vec<LayerInfo>,
    /// `linux`.
    pub os: String,
    /// `amd64`.
    pub architecture: String,
    /// MAINTAINER, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Serial of the build that made it (there is no clock).
    pub build: u64,
}

impl StoredImage {
    /// The sum of the layer sizes.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }
}

/// Everything that outlives one command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Format version ([`STATE_VERSION`]).
    #[serde(default)]
    pub version: u32,
    /// Number of builds run so far (orders cache records; no clock).
    #[serde(default)]
    pub builds: u64,
    /// BuildKit's cache.
    #[serde(default)]
    pub cache: CacheStore,
    /// Built images by ID. (Boxed, as `containers`, `layers` and the
    /// cache's records: maps whose values are all one pointer share one
    /// copy of `BTreeMap`'s insertion and removal code in the wasm. A
    /// `Box` serializes as its content.)
    #[serde(default)]
    pub images: BTreeMap<String, Box<StoredImage>>,
    /// Tags (`docker.io/library/aspnetapp:latest`) to image IDs.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Containers of the simulated docker daemon, by full ID.
    #[serde(default)]
    pub containers: BTreeMap<String, Box<crate::docker::containers::Container>>,
    /// Contents of the layers builds made, by `diff_id` (for `docker
    /// exec` and the wasted-space analysis).
    #[serde(default)]
    pub layers: BTreeMap<String, Box<crate::layer::StoredLayer>>,
    /// The simulated daemon's clock and bookkeeping.
    #[serde(default)]
    pub daemon: crate::image_store::DaemonState,
}

impl State {
    /// An empty state (empty cache, no images).
    pub fn new() -> State {
        State {
            version: STATE_VERSION,
            ..State::default()
        }
    }

    /// The image a tag or ID (full or short) names.
    pub fn image(&self, name: &str) -> Option<&StoredImage> {
        if let Some(id) = self.tags.get(name) {
            return self.images.get(id).map(|i| &**i);
        }
        if let Ok(r) = crate::catalog::Reference::parse(name) {
            let full = r.with_default_tag().to_string();
            if let Some(id) = self.tags.get(&full) {
                return self.images.get(id).map(|i| &**i);
            }
        }
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        if hex.len() >= 4 {
            return self
                .images
                .values()
                .find(|i| i.id.trim_start_matches("sha256:").starts_with(hex))
                .map(|i| &**i);
        }
        None
    }
}
