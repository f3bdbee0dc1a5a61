//! Image commands: `docker images` / `image ls` (the collapsed tree view
//! docker 29 shows by default, and the classic table with `--format`,
//! `-q`, `--no-trunc`, `--digests`), `history`, `image inspect`, `pull`,
//! `rmi`, `tag`, `image prune`, `builder prune` and `system df`, with the
//! docker CLI's columns, formats and error texts, over the engine's image
//! store.

use std::collections::BTreeMap;

use crate::catalog::Reference;
use crate::image_store as store;
use crate::shared_sort;
use crate::state::{State, StoredImage};

use super::cli::{header, render, usage, Ctx, Res};
use super::flags::{self, b, v, CliError, Command};
use super::format::{ago, go_time_string, human_size, human_size3, rfc3339, table, truncate_id};
use super::template::Value;

/// An image as the daemon's list API returns it.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub id: String,
    /// Familiar tags (`aspnetapp:latest`).
    pub repo_tags: Vec<String>,
    /// Familiar digests (`mcr.microsoft.com/dotnet/aspnet@sha256:...`).
    pub repo_digests: Vec<String>,
    pub created: i64,
    pub size: u64,
    /// `None` when not computed (`N/A`).
    pub shared: Option<u64>,
    pub containers: i64,
    pub labels: BTreeMap<String, String>,
}

fn familiar(key: &str) -> String {
    Reference::parse(key).map_or_else(|_| key.to_string(), |r| r.familiar())
}

/// Every image, newest first (the daemon's order), with shared sizes
/// when `shared`.
pub(crate) fn summaries(state: &State, shared: bool) -> Vec<Summary> {
    let mut out: Vec<Summary> = state
        .images
        .values()
        .map(|img| Summary {
            id: img.id.clone(),
            repo_tags: store::tags_of(state, &img.id)
                .iter()
                .map(|t| familiar(t))
                .collect(),
            repo_digests: state
                .daemon
                .repo_digests
                .get(&img.id)
                .map(|d| d.iter().map(|x| familiar(x)).collect())
                .unwrap_or_default(),
            created: store::created(state, &img.id),
            size: img.size(),
            shared: shared.then(|| store::shared_size(state, img)),
            containers: i64::try_from(
                state
                    .containers
                    .values()
                    .filter(|c| c.image_id == img.id)
                    .count(),
            )
            .unwrap_or(0),
            labels: img.config.labels.clone(),
        })
        .collect();
    shared_sort::sort_by(&mut out, |a, b| {
        b.created.cmp(&a.created).then(a.id.cmp(&b.id))
    });
    out
}

/// The daemon's "No such image" text for a name.
pub(crate) fn no_such_image(name: &str) -> String {
    match Reference::parse(name) {
        Ok(r) => format!("No such image: {}", r.with_default_tag().familiar()),
        Err(_) => format!("No such image: {name}"),
    }
}

/// Finds an image or fails with the daemon's error.
pub(crate) fn find(state: &State, name: &str) -> Result<StoredImage, CliError> {
    store::lookup(state, name)
        .and_then(|id| state.images.get(&id).map(|i| (**i).clone()))
        .ok_or_else(|| CliError::daemon(no_such_image(name)))
}

fn image_row(s: &Summary, repo: &str, tag: &str, digest: &str, trunc: bool, now: i64) -> Value {
    let na = |o: Option<String>| Value::str(o.unwrap_or_else(|| "N/A".into()));
    Value::Ctx(
        "*formatter.imageContext".into(),
        vec![
            ("Containers".into(), Value::str(s.containers.to_string())),
            ("CreatedAt".into(), Value::str(go_time_string(s.created))),
            ("CreatedSince".into(), Value::str(ago(now, s.created))),
            ("Digest".into(), Value::str(digest)),
            (
                "ID".into(),
                Value::str(if trunc {
                    truncate_id(&s.id)
                } else {
                    s.id.clone()
                }),
            ),
            ("Repository".into(), Value::str(repo)),
            ("SharedSize".into(), na(s.shared.map(human_size))),
            ("Size".into(), Value::str(human_size3(s.size))),
            ("Tag".into(), Value::str(tag)),
            (
                "UniqueSize".into(),
                na(s.shared.map(|sh| human_size(s.size.saturating_sub(sh)))),
            ),
        ],
    )
}

fn image_header() -> Value {
    header(&[
        ("ID", "IMAGE ID"),
        ("Repository", "REPOSITORY"),
        ("Tag", "TAG"),
        ("Digest", "DIGEST"),
        ("CreatedSince", "CREATED"),
        ("CreatedAt", "CREATED AT"),
        ("Size", "SIZE"),
        ("Containers", "CONTAINERS"),
        ("SharedSize", "SHARED SIZE"),
        ("UniqueSize", "UNIQUE SIZE"),
    ])
}

fn split_repo_tag(familiar_ref: &str) -> (String, String) {
    match Reference::parse(familiar_ref) {
        Ok(r) => {
            let name = Reference {
                tag: None,
                digest: None,
                ..r.clone()
            }
            .familiar();
            (name, r.tag.clone().unwrap_or_default())
        }
        Err(_) => (familiar_ref.to_string(), String::new()),
    }
}

/// The formatter's rows for one image (`imageFormatTaggedAndDigest`).
fn rows_of(s: &Summary, digests_shown: bool, trunc: bool, now: i64) -> Vec<Value> {
    if s.repo_tags.is_empty() && s.repo_digests.is_empty() {
        return vec![image_row(s, "<none>", "<none>", "<none>", trunc, now)];
    }
    let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &s.repo_tags {
        let (repo, tag) = split_repo_tag(t);
        match tags.get_mut(&repo) {
            Some(ts) => ts.push(tag),
            None => {
                tags.insert(repo, vec![tag]);
            }
        }
    }
    let mut digests: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &s.repo_digests {
        if let Some((repo, dg)) = d.split_once('@') {
            match digests.get_mut(repo) {
                Some(ds) => ds.push(dg.to_string()),
                None => {
                    digests.insert(repo.to_string(), vec![dg.to_string()]);
                }
            }
        }
    }
    let mut rows = Vec::new();
    for (repo, ts) in &tags {
        let ds = digests.remove(repo).unwrap_or_default();
        let ds = if digests_shown { ds } else { Vec::new() };
        for t in ts {
            if ds.is_empty() {
                rows.push(image_row(s, repo, t, "<none>", trunc, now));
            } else {
                for d in &ds {
                    rows.push(image_row(s, repo, t, d, trunc, now));
                }
            }
        }
    }
    for (repo, ds) in &digests {
        if digests_shown {
            for d in ds {
                rows.push(image_row(s, repo, "<none>", d, trunc, now));
            }
        } else {
            rows.push(image_row(s, repo, "<none>", "", trunc, now));
        }
    }
    rows
}

/// Go's `path.Match` (the reference filter).
fn path_match(pattern: &str, name: &str) -> bool {
    crate::glob::go_match(pattern, name).unwrap_or(false)
}

fn parse_filters(values: &[String], cmd: &Command) -> Result<Vec<(String, String)>, CliError> {
    let mut out = Vec::new();
    for f in values {
        let Some((k, v)) = f.split_once('=') else {
            return Err(CliError {
                message: format!(
                    "invalid argument {} for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  {}\n\nRun '{} --help' for more information",
                    super::format::go_quote(f),
                    cmd.use_line(),
                    cmd.path
                ),
                code: 125,
            });
        };
        out.push((k.trim().to_lowercase(), v.trim().to_string()));
    }
    Ok(out)
}

fn matches_filters(s: &Summary, filters: &[(String, String)]) -> Result<bool, CliError> {
    for (k, v) in filters {
        let ok = match k.as_str() {
            "dangling" => match v.as_str() {
                "true" | "1" => s.repo_tags.is_empty(),
                "false" | "0" => !s.repo_tags.is_empty(),
                _ => return Err(CliError::daemon(format!("Invalid filter 'dangling={v}'"))),
            },
            "reference" => s.repo_tags.iter().any(|t| {
                let (repo, _) = split_repo_tag(t);
                let full = Reference::parse(t)
                    .map(|r| r.with_default_tag().to_string())
                    .unwrap_or_default();
                let name = Reference::parse(t).map(|r| r.name()).unwrap_or_default();
                [t.as_str(), repo.as_str(), full.as_str(), name.as_str()]
                    .iter()
                    .any(|target| path_match(v, target))
            }),
            "label" => match v.split_once('=') {
                Some((lk, lv)) => s.labels.get(lk).is_some_and(|x| x == lv),
                None => s.labels.contains_key(v.as_str()),
            },
            "before" | "since" | "until" => true,
            other => return Err(CliError::daemon(format!("invalid filter '{other}'"))),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `docker images` / `docker image ls`.
pub(crate) fn list(
    ctx: &mut Ctx<'_>,
    cmd: &Command,
    args: &[String],
    called_as_images: bool,
) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("quiet", Some('q')),
                b("all", Some('a')),
                b("no-trunc", None),
                b("digests", None),
                v("format", None),
                v("filter", Some('f')),
                b("tree", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "List images");
    }
    flags::at_most(cmd, &p.args, 1)?;
    let (quiet, all, no_trunc, digests) = (
        p.on("quiet"),
        p.on("all"),
        p.on("no-trunc"),
        p.on("digests"),
    );
    let tree = p.on("tree");
    let format_flag = p.last("format").unwrap_or("").to_string();
    let mut filters = parse_filters(&p.all("filter"), cmd)?;
    let match_name = p.args.first().cloned();
    if let Some(m) = &match_name {
        filters.push(("reference".into(), m.clone()));
    }
    // shouldUseTree
    let checks = [
        (quiet, "--quiet is not yet supported with --tree"),
        (no_trunc, "--no-trunc is not yet supported with --tree"),
        (digests, "--show-digest is not yet supported with --tree"),
        (
            !format_flag.is_empty(),
            "--format is not yet supported with --tree",
        ),
    ];
    let mut use_tree = true;
    for (set, msg) in checks {
        if set {
            if tree {
                return Err(CliError::new(msg));
            }
            use_tree = false;
        }
    }
    let mut images = Vec::new();
    for s in summaries(ctx.state, false) {
        if matches_filters(&s, &filters)? {
            images.push(s);
        }
    }
    if !all {
        let keep_dangling = filters
            .iter()
            .any(|(k, v)| k == "dangling" && (v == "true" || v == "1"));
        if !keep_dangling {
            images.retain(|s| !s.repo_tags.is_empty());
        }
    }
    let now = store::now(ctx.state);
    if ctx.json {
        let rows: Vec<Value> = images
            .iter()
            .flat_map(|s| rows_of(s, digests, !no_trunc, now))
            .collect();
        ctx.out.push_str(&Value::List(rows).to_json(true));
        ctx.out.push('\n');
        return Ok(());
    }
    let count = images.len();
    if use_tree {
        ctx.out.push_str(&tree_view(&images, tree));
    } else {
        let format = if format_flag.is_empty() || format_flag == "table" {
            if quiet {
                "{{.ID}}".to_string()
            } else if digests {
                "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}".to_string()
            } else {
                "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}".to_string()
            }
        } else if format_flag == "raw" {
            "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n".to_string()
        } else if quiet {
            "{{.ID}}".to_string()
        } else {
            let mut f = format_flag.clone();
            if f.starts_with("table") && digests && !f.contains("{{.Digest}}") {
                f.push_str("\t{{.Digest}}");
            }
            f
        };
        let needs_digest = digests || format.contains("{{.Digest}}");
        let rows: Vec<Value> = images
            .iter()
            .flat_map(|s| rows_of(s, needs_digest, !no_trunc, now))
            .collect();
        ctx.out.push_str(&render(&format, &image_header(), &rows)?);
    }
    if count == 0 && called_as_images {
        if let Some(m) = &match_name {
            if [
                "build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull",
                "push", "rm", "save", "tag",
            ]
            .contains(&m.as_str())
            {
                ctx.err.push_str(&format!(
                    "No images found matching \"{m}\": did you mean \"docker image {m}\"?\n"
                ));
            }
        }
    }
    Ok(())
}

/// docker 29's default `docker images` view (`runTree`, collapsed, or
/// expanded with `--tree`), as printed when stdout is not a terminal: no
/// legend, no colours. The graphdriver store has no per-platform
/// manifests, so CONTENT SIZE is 0B and there are no platform rows.
fn tree_view(images: &[Summary], expanded: bool) -> String {
    struct Top {
        names: Vec<String>,
        id: String,
        disk: String,
        content: String,
        in_use: bool,
    }
    let mut tops: Vec<Top> = Vec::new();
    for s in images {
        let mut tags = s.repo_tags.clone();
        shared_sort::sort(&mut tags);
        let mk = |names: Vec<String>| Top {
            names,
            id: truncate_id(&s.id),
            disk: human_size3(s.size),
            content: human_size3(0),
            in_use: s.containers > 0,
        };
        if expanded || tags.is_empty() {
            tops.push(mk(tags));
        } else {
            for t in tags {
                tops.push(mk(vec![t]));
            }
        }
    }
    shared_sort::sort_by(&mut tops, |a, b| {
        let na = a.names.first().map(String::as_str).unwrap_or("");
        let nb = b.names.first().map(String::as_str).unwrap_or("");
        match (na.is_empty(), nb.is_empty()) {
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            _ => na.cmp(nb),
        }
    });
    let any_in_use = tops.iter().any(|t| t.in_use);
    let extra_width = if any_in_use {
        "Extra".len().max(1)
    } else {
        "Extra".len()
    };
    let mut name_width = "Image".len();
    for t in &tops {
        if t.names.is_empty() {
            name_width = name_width.max("<untagged>".len());
        }
        for n in &t.names {
            name_width = name_width.max(n.len());
        }
    }
    let left =
        |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let right =
        |s: &str, w: usize| format!("{}{s}", " ".repeat(w.saturating_sub(s.chars().count())));
    let mut out = String::new();
    out.push_str(&left("IMAGE", name_width));
    out.push_str("   ");
    out.push_str(&left("ID", 12));
    out.push_str("   ");
    out.push_str(&right("DISK USAGE", 10));
    out.push_str("   ");
    out.push_str(&right("CONTENT SIZE", 12));
    out.push_str("   ");
    out.push_str(&left("EXTRA", extra_width));
    out.push('\n');
    for t in &tops {
        if t.names.is_empty() {
            out.push_str(&left("<untagged>", name_width));
        }
        for (i, n) in t.names.iter().enumerate() {
            let last = i + 1 == t.names.len();
            out.push_str(&left(n, name_width));
            if !last {
                out.push('\n');
            }
        }
        let chips = if any_in_use {
            if t.in_use {
                "U"
            } else {
                " "
            }
        } else {
            ""
        };
        out.push_str("   ");
        out.push_str(&left(&t.id, 12));
        out.push_str("   ");
        out.push_str(&right(&t.disk, 10));
        out.push_str("   ");
        out.push_str(&right(&t.content, 12));
        out.push_str("   ");
        out.push_str(&left(chips, extra_width));
        out.push('\n');
    }
    out
}

/// One `docker history` row.
struct HistoryItem {
    id: String,
    created: i64,
    created_by: String,
    size: u64,
    comment: String,
}

fn history_items(state: &State, img: &StoredImage) -> Vec<HistoryItem> {
    let image_created = store::created(state, &img.id);
    let base_created = store::EPOCH - store::BASE_IMAGE_AGE;
    let mut layer = 0usize;
    let mut items = Vec::new();
    for h in &img.history {
        let mut size = 0;
        let mut created = image_created;
        if !h.empty_layer {
            if let Some(l) = img.layers.get(layer) {
                size = l.size;
                created = if l.base.is_some() {
                    base_created
                } else {
                    state
                        .layers
                        .get(&l.digest)
                        .map_or(image_created, |s| s.created.min(image_created))
                };
            }
            layer += 1;
        } else if layer < store::base_layer_count(img) {
            created = base_created;
        }
        items.push(HistoryItem {
            id: "<missing>".into(),
            created,
            created_by: h.created_by.clone(),
            size,
            comment: h.comment.clone(),
        });
    }
    items.reverse();
    if let Some(first) = items.first_mut() {
        first.id = img.id.clone();
    }
    items
}

/// `docker history` / `docker image history`.
pub(crate) fn history(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("human", Some('H')),
                b("quiet", Some('q')),
                b("no-trunc", None),
                v("format", None),
                v("platform", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Show the history of an image");
    }
    flags::exact(cmd, &p.args, 1)?;
    let img = find(ctx.state, &p.args[0])?;
    let human = p.on_or("human", true);
    let trunc = !p.on("no-trunc");
    let now = store::now(ctx.state);
    let rows: Vec<Value> = history_items(ctx.state, &img)
        .into_iter()
        .map(|h| {
            let created_at = rfc3339(h.created);
            let created_by = h.created_by.replace('\t', " ");
            Value::Ctx(
                "*image.historyContext".into(),
                vec![
                    ("Comment".into(), Value::str(&h.comment)),
                    ("CreatedAt".into(), Value::str(&created_at)),
                    (
                        "CreatedBy".into(),
                        Value::str(if trunc {
                            super::format::ellipsis(&created_by, 45)
                        } else {
                            created_by
                        }),
                    ),
                    (
                        "CreatedSince".into(),
                        Value::str(if human {
                            ago(now, h.created)
                        } else {
                            created_at
                        }),
                    ),
                    (
                        "ID".into(),
                        Value::str(if trunc {
                            truncate_id(&h.id)
                        } else {
                            h.id.clone()
                        }),
                    ),
                    (
                        "Size".into(),
                        Value::str(if human {
                            human_size3(h.size)
                        } else {
                            h.size.to_string()
                        }),
                    ),
                ],
            )
        })
        .collect();
    if ctx.json {
        let waste = store::analyze(ctx.state, &img, false);
        let doc = serde_json::json!({
            "history": serde_json::from_slice::<serde_json::Value>(Value::List(rows).to_json(false).as_bytes()).unwrap_or_default(),
            "waste": waste,
        });
        ctx.out
            .push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        ctx.out.push('\n');
        return Ok(());
    }
    let format_flag = p.last("format").unwrap_or("");
    let format = if format_flag.is_empty() || format_flag == "table" {
        if p.on("quiet") {
            "{{.ID}}"
        } else if !human {
            "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
        } else {
            "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
        }
    } else {
        format_flag
    };
    let h = header(&[
        ("ID", "IMAGE"),
        ("CreatedSince", "CREATED"),
        ("CreatedAt", "CREATED AT"),
        ("CreatedBy", "CREATED BY"),
        ("Size", "SIZE"),
        ("Comment", "COMMENT"),
    ]);
    ctx.out.push_str(&render(format, &h, &rows)?);
    Ok(())
}

/// A JSON text to a template value with Go's distinction: objects under
/// `map_keys` are maps, other objects structs (field order kept).
pub(crate) fn ordered(text: &str, map_keys: &[&str]) -> Value {
    struct P<'a> {
        s: &'a [u8],
        i: usize,
    }
    impl P<'_> {
        fn ws(&mut self) {
            while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
        }
        fn string(&mut self) -> String {
            // The text comes from serde_json: valid JSON.
            let start = self.i;
            self.i += 1;
            while self.i < self.s.len() && self.s[self.i] != b'"' {
                if self.s[self.i] == b'\\' {
                    self.i += 1;
                }
                self.i += 1;
            }
            self.i += 1;
            let raw =
                std::str::from_utf8(&self.s[start..self.i.min(self.s.len())]).unwrap_or("\"\"");
            // `from_slice`, as everywhere: one copy of serde_json's parser.
            serde_json::from_slice(raw.as_bytes()).unwrap_or_default()
        }
        fn value(&mut self, key: &str, map_keys: &[&str]) -> Value {
            self.ws();
            match self.s.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut fields = Vec::new();
                    loop {
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b'}') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => {
                                self.i += 1;
                                continue;
                            }
                            _ => {}
                        }
                        let k = self.string();
                        self.ws();
                        self.i += 1; // ':'
                        let v = self.value(&k, map_keys);
                        fields.push((k, v));
                    }
                    if map_keys.contains(&key) {
                        Value::Map(fields)
                    } else {
                        Value::Struct(key.to_string(), fields)
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    loop {
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b']') | None => {
                                self.i += 1;
                                break;
                            }
                            Some(b',') => {
                                self.i += 1;
                                continue;
                            }
                            _ => {}
                        }
                        items.push(self.value(key, map_keys));
                    }
                    Value::List(items)
                }
                Some(b'"') => Value::Str(self.string()),
                _ => {
                    let start = self.i;
                    while self.i < self.s.len() && !b",]} \n\t\r".contains(&self.s[self.i]) {
                        self.i += 1;
                    }
                    let word = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                    match word {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        "null" => Value::Nil,
                        w => match w.parse::<i64>() {
                            Ok(n) => Value::Int(n),
                            Err(_) => Value::Float(crate::numfmt::parse(w).unwrap_or(0.0)),
                        },
                    }
                }
            }
        }
    }
    let mut p = P {
        s: text.as_bytes(),
        i: 0,
    };
    p.value("", map_keys)
}

/// Keys whose objects are Go maps in Docker's inspect types.
pub(crate) const MAP_KEYS: &[&str] = &[
    "ExposedPorts",
    "Volumes",
    "Labels",
    "Data",
    "Ports",
    "PortBindings",
    "Networks",
    "Options",
    "DriverOpts",
];

/// `docker image inspect` data for one image.
pub(crate) fn inspect_value(state: &State, img: &StoredImage) -> Value {
    use serde::Serialize;
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct GraphDriver {
        data: BTreeMap<String, String>,
        name: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct RootFs<'a> {
        #[serde(rename = "Type")]
        kind: &'a str,
        layers: Vec<&'a str>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Metadata {
        last_tag_time: String,
    }
    #[derive(Serialize)]
    struct Inspect<'a> {
        #[serde(rename = "Id")]
        id: &'a str,
        #[serde(rename = "RepoTags")]
        repo_tags: Vec<String>,
        #[serde(rename = "RepoDigests")]
        repo_digests: Vec<String>,
        #[serde(rename = "Comment", skip_serializing_if = "str::is_empty")]
        comment: &'a str,
        #[serde(rename = "Created")]
        created: String,
        #[serde(rename = "Author", skip_serializing_if = "Option::is_none")]
        author: Option<&'a str>,
        #[serde(rename = "Config")]
        config: store::OciConfig<'a>,
        #[serde(rename = "Architecture")]
        architecture: &'a str,
        #[serde(rename = "Os")]
        os: &'a str,
        #[serde(rename = "Size")]
        size: u64,
        #[serde(rename = "GraphDriver")]
        graph_driver: GraphDriver,
        #[serde(rename = "RootFS")]
        root_fs: RootFs<'a>,
        #[serde(rename = "Metadata")]
        metadata: Metadata,
    }
    let chains = store::chain_ids(img);
    let dir = |chain: &str| {
        format!(
            "/var/lib/docker/overlay2/{}",
            crate::digest::sha256_hex(format!("cache-id {chain}").as_bytes())
        )
    };
    let mut data = BTreeMap::new();
    if let Some(top) = chains.last() {
        let lower: Vec<String> = chains
            .iter()
            .rev()
            .skip(1)
            .map(|c| format!("{}/diff", dir(c)))
            .collect();
        if !lower.is_empty() {
            data.insert("LowerDir".to_string(), lower.join(":"));
        }
        data.insert("MergedDir".to_string(), format!("{}/merged", dir(top)));
        data.insert("UpperDir".to_string(), format!("{}/diff", dir(top)));
        data.insert("WorkDir".to_string(), format!("{}/work", dir(top)));
    }
    let doc = Inspect {
        id: &img.id,
        repo_tags: store::tags_of(state, &img.id)
            .iter()
            .map(|t| familiar(t))
            .collect(),
        repo_digests: state
            .daemon
            .repo_digests
            .get(&img.id)
            .map(|d| d.iter().map(|x| familiar(x)).collect())
            .unwrap_or_default(),
        comment: img.history.last().map_or("", |h| h.comment.as_str()),
        created: rfc3339(store::created(state, &img.id)),
        author: img.author.as_deref(),
        config: store::OciConfig::of(&img.config),
        architecture: &img.architecture,
        os: &img.os,
        size: img.size(),
        graph_driver: GraphDriver {
            data,
            name: "overlay2",
        },
        root_fs: RootFs {
            kind: "layers",
            layers: img.layers.iter().map(|l| l.digest.as_str()).collect(),
        },
        metadata: Metadata {
            last_tag_time: state
                .daemon
                .tagged
                .get(&img.id)
                .map_or_else(|| "0001-01-01T00:00:00Z".to_string(), |t| rfc3339(**t)),
        },
    };
    let text = serde_json::to_string(&doc).unwrap_or_default();
    match ordered(&text, MAP_KEYS) {
        Value::Struct(_, f) => Value::Struct("image.InspectResponse".into(), f),
        other => other,
    }
}

/// Prints inspect results the way `inspect.Inspect` does.
pub(crate) fn print_inspect(
    ctx: &mut Ctx<'_>,
    format: &str,
    found: Vec<Value>,
    errors: Vec<String>,
) -> Res {
    if format.is_empty() || ctx.json {
        if found.is_empty() {
            ctx.out.push_str("[]\n");
        } else {
            ctx.out.push_str(&Value::List(found).to_json_indent("    "));
            ctx.out.push('\n');
        }
    } else if format == "json" {
        if found.is_empty() {
            ctx.out.push_str("[]\n");
        } else {
            ctx.out.push_str(&Value::List(found).to_json(false));
            ctx.out.push('\n');
        }
    } else {
        let src = super::cli::template_string(format);
        let t = super::template::Template::parse(&src).map_err(|e| CliError {
            message: format!("template parsing error: template: {}", e.0),
            code: 64,
        })?;
        let mut buf = String::new();
        let mut errs = errors.clone();
        for f in &found {
            match t.execute(f, false) {
                Ok(s) => {
                    buf.push_str(&s);
                    buf.push('\n');
                }
                Err(e) => errs.push(format!(
                    "template parsing error: template: :1: executing \"\": {}",
                    e.0
                )),
            }
        }
        if buf.is_empty() {
            buf.push('\n');
        }
        ctx.out.push_str(&buf);
        if !errs.is_empty() {
            return Err(CliError::new(errs.join("\n")));
        }
        return Ok(());
    }
    if !errors.is_empty() {
        return Err(CliError::new(errors.join("\n")));
    }
    Ok(())
}

/// `docker image inspect`.
pub(crate) fn inspect(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const { [v("format", Some('f')), v("platform", None)] },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(
            ctx,
            cmd,
            "Display detailed information on one or more images",
        );
    }
    flags::at_least(cmd, &p.args, 1)?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for name in &p.args {
        match find(ctx.state, name) {
            Ok(img) => found.push(inspect_value(ctx.state, &img)),
            Err(e) => errors.push(e.message),
        }
    }
    print_inspect(ctx, p.last("format").unwrap_or(""), found, errors)
}

/// The lines `docker pull` prints (non-terminal), without the final
/// reference line.
pub(crate) fn pull_lines(o: &store::PullOutcome) -> String {
    let mut s = format!("{}: Pulling from {}\n", o.tag, o.path);
    let short = |d: &str| truncate_id(d);
    let new: Vec<&store::PulledLayer> = o.layers.iter().filter(|l| !l.already_exists).collect();
    for (i, l) in o.layers.iter().enumerate() {
        if l.already_exists {
            s.push_str(&format!("{}: Already exists\n", short(&l.digest)));
        } else {
            s.push_str(&format!("{}: Pulling fs layer\n", short(&l.digest)));
            let _ = i;
        }
    }
    // Three downloads at a time: the others wait.
    for l in new.iter().skip(3) {
        s.push_str(&format!("{}: Waiting\n", short(&l.digest)));
    }
    for l in &new {
        s.push_str(&format!("{}: Verifying Checksum\n", short(&l.digest)));
        s.push_str(&format!("{}: Download complete\n", short(&l.digest)));
    }
    for l in &new {
        s.push_str(&format!("{}: Pull complete\n", short(&l.digest)));
    }
    s.push_str(&format!("Digest: {}\n", o.digest));
    if o.up_to_date {
        s.push_str(&format!("Status: Image is up to date for {}\n", o.familiar));
    } else {
        s.push_str(&format!(
            "Status: Downloaded newer image for {}\n",
            o.familiar
        ));
    }
    s
}

/// `docker pull`.
pub(crate) fn pull(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("all-tags", Some('a')),
                b("disable-content-trust", None),
                v("platform", None),
                b("quiet", Some('q')),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Download an image from a registry");
    }
    flags::exact(cmd, &p.args, 1)?;
    let name = &p.args[0];
    let r = Reference::parse(name).map_err(|e| CliError::new(e.message))?;
    if p.on("all-tags") && r.tag.is_some() {
        return Err(CliError::new("tag can't be used with --all-tags/-a"));
    }
    let quiet = p.on("quiet");
    if r.tag.is_none() && r.digest.is_none() && !quiet && !ctx.json {
        ctx.out.push_str("Using default tag: latest\n");
    }
    let full = r.clone().with_default_tag().to_string();
    let o = store::pull(ctx.state, &full).map_err(CliError::new)?;
    store::advance(ctx.state, o.seconds);
    if ctx.json {
        ctx.out
            .push_str(&serde_json::to_string_pretty(&o).unwrap_or_default());
        ctx.out.push('\n');
        return Ok(());
    }
    if !quiet {
        ctx.out.push_str(&pull_lines(&o));
    }
    ctx.out.push_str(&o.reference);
    ctx.out.push('\n');
    if !o.known {
        ctx.err.push_str(&format!("(layerlab) {}\n", o.description));
    }
    Ok(())
}

/// Removes an image the way the daemon's `ImageDelete` does (no parent
/// chains: BuildKit images have none). Returns the records.
fn delete_image(
    state: &mut State,
    name: &str,
    force: bool,
) -> Result<Vec<(bool, String)>, CliError> {
    let Some(id) = store::lookup(state, name) else {
        return Err(CliError::daemon(no_such_image(name)));
    };
    let mut records: Vec<(bool, String)> = Vec::new();
    let refs = store::tags_of(state, &id);
    let hex = id.trim_start_matches("sha256:");
    // The daemon's `isImageIDPrefix`.
    let by_id = id.starts_with(name) || hex.starts_with(name);
    let using = |state: &State| {
        state
            .containers
            .values()
            .filter(|c| c.image_id == id)
            .min_by_key(|c| c.serial)
            .cloned()
    };
    if !by_id {
        if !force && refs.len() == 1 {
            if let Some(c) = using(state) {
                return Err(CliError::daemon(format!(
                    "conflict: unable to remove repository reference \"{name}\" (must force) - container {} is using its referenced image {}",
                    truncate_id(&c.id),
                    truncate_id(&id)
                )));
            }
        }
        let key = store::tag_key(name).map_err(CliError::new)?;
        state.tags.remove(&key);
        records.push((false, familiar(&key)));
        if !store::tags_of(state, &id).is_empty() {
            return Ok(records);
        }
        // The last tag went: the image goes too, if nothing uses it.
        if using(state).is_some() {
            return Ok(records);
        }
    } else {
        if let Some(c) = using(state).filter(|c| c.running) {
            return Err(CliError::daemon(format!(
                "conflict: unable to delete {} (cannot be forced) - image is being used by running container {}",
                truncate_id(&id),
                truncate_id(&c.id)
            )));
        }
        if refs.len() > 1 && !force {
            return Err(CliError::daemon(format!(
                "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
                truncate_id(&id)
            )));
        }
        if !force {
            if let Some(c) = using(state) {
                return Err(CliError::daemon(format!(
                    "conflict: unable to delete {} (must be forced) - image is being used by stopped container {}",
                    truncate_id(&id),
                    truncate_id(&c.id)
                )));
            }
        }
        for r in &refs {
            state.tags.remove(r);
            records.push((false, familiar(r)));
        }
    }
    // Delete the image and the layers only it used.
    let before = store::layer_usage(state);
    let chains = state
        .images
        .get(&id)
        .map(|i| store::chain_ids(i))
        .unwrap_or_default();
    let img = state.images.remove(&id);
    state.daemon.repo_digests.remove(&id);
    state.daemon.tagged.remove(&id);
    records.push((true, id.clone()));
    for c in chains.iter().rev() {
        if before.get(c).is_some_and(|u| u.1 == 1) {
            records.push((true, c.clone()));
        }
    }
    if let Some(img) = img {
        let still: std::collections::BTreeSet<String> = shared_sort::collect_by_insert(
            state
                .images
                .values()
                .flat_map(|i| i.layers.iter().map(|l| l.digest.clone())),
        );
        for l in &img.layers {
            if !still.contains(&l.digest) {
                state.layers.remove(&l.digest);
            }
        }
    }
    Ok(records)
}

/// `docker rmi` / `docker image rm`.
pub(crate) fn rmi(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(
        cmd,
        &const {
            [
                b("force", Some('f')),
                b("no-prune", None),
                v("platform", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Remove one or more images");
    }
    flags::at_least(cmd, &p.args, 1)?;
    let force = p.on("force");
    let mut errs = Vec::new();
    let mut fatal = false;
    for name in &p.args {
        match delete_image(ctx.state, name, force) {
            Ok(records) => {
                for (deleted, what) in records {
                    if deleted {
                        ctx.out.push_str(&format!("Deleted: {what}\n"));
                    } else {
                        ctx.out.push_str(&format!("Untagged: {what}\n"));
                    }
                }
            }
            Err(e) => {
                if !e.message.contains("No such image") {
                    fatal = true;
                }
                errs.push(e.message);
            }
        }
    }
    if !errs.is_empty() {
        if !force || fatal {
            return Err(CliError::new(errs.join("\n")));
        }
        ctx.err.push_str(&errs.join("\n"));
        ctx.err.push('\n');
    }
    Ok(())
}

/// `docker tag`.
pub(crate) fn tag(ctx: &mut Ctx<'_>, cmd: &Command, args: &[String]) -> Res {
    let p = flags::parse(cmd, &[], args, false)?;
    if p.on("help") {
        return usage(
            ctx,
            cmd,
            "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        );
    }
    flags::exact(cmd, &p.args, 2)?;
    let (src, target) = (&p.args[0], &p.args[1]);
    let r = Reference::parse(target).map_err(|e| {
        CliError::new(format!(
            "Error parsing reference: {target:?} is not a valid repository/tag: {}",
            e.message
        ))
    })?;
    if r.digest.is_some() {
        return Err(CliError::new(
            "refusing to create a tag with a digest reference",
        ));
    }
    let img = find(ctx.state, src)?;
    let key = r.with_default_tag().to_string();
    ctx.state.tags.insert(key, img.id.clone());
    let at = store::now(ctx.state);
    ctx.state.daemon.tagged.insert(img.id, Box::new(at));
    Ok(())
}

fn confirm(ctx: &mut Ctx<'_>, warning: &str) -> bool {
    ctx.out.push_str(&format!("{warning} [y/N] "));
    let answer = ctx.host.read_file("-").unwrap_or_default();
    let line = String::from_utf8_lossy(&answer);
    let first = line.lines().next().unwrap_or("").trim().to_lowercase();
    ctx.out.push('\n');
    first == "y" || first == "yes"
}

/// `docker image prune`.
pub(crate) fn image_prune(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker image prune", "[OPTIONS]") };
    let p = flags::parse(
        cmd,
        &const {
            [
                b("all", Some('a')),
                b("force", Some('f')),
                v("filter", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Remove unused images");
    }
    flags::none(cmd, &p.args)?;
    let all = p.on("all");
    let warning = if all {
        "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
    } else {
        "WARNING! This will remove all dangling images.\nAre you sure you want to continue?"
    };
    if !p.on("force") && !confirm(ctx, warning) {
        return Ok(());
    }
    let before = store::layers_size(ctx.state);
    let victims: Vec<String> = summaries(ctx.state, false)
        .into_iter()
        .filter(|s| s.containers == 0 && (all || s.repo_tags.is_empty()))
        .map(|s| s.id)
        .collect();
    let mut lines = String::new();
    for id in victims {
        let tags = store::tags_of(ctx.state, &id);
        for t in &tags {
            ctx.state.tags.remove(t);
        }
        if let Ok(records) = delete_image(ctx.state, &id, true) {
            for t in &tags {
                lines.push_str(&format!("untagged: {}\n", familiar(t)));
            }
            for (deleted, what) in records {
                if deleted {
                    lines.push_str(&format!("deleted: {what}\n"));
                }
            }
        }
    }
    if !lines.is_empty() {
        ctx.out.push_str("Deleted Images:\n");
        ctx.out.push_str(&lines);
        ctx.out.push('\n');
    }
    let reclaimed = before - store::layers_size(ctx.state);
    ctx.out.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size(reclaimed)
    ));
    Ok(())
}

/// `docker builder prune`: empties BuildKit's cache (whose sizes are not
/// modelled).
pub(crate) fn builder_prune(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker builder prune", "") };
    let p = flags::parse(
        cmd,
        &const {
            [
                b("all", Some('a')),
                b("force", Some('f')),
                v("filter", None),
                v("keep-storage", None),
                v("reserved-space", None),
                v("max-used-space", None),
                v("min-free-space", None),
            ]
        },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Remove build cache");
    }
    flags::none(cmd, &p.args)?;
    let warning = if p.on("all") {
        "WARNING! This will remove all build cache.\nAre you sure you want to continue?"
    } else {
        "WARNING! This will remove all dangling build cache.\nAre you sure you want to continue?"
    };
    if !p.on("force") && !confirm(ctx, warning) {
        return Ok(());
    }
    let keys: Vec<String> = ctx.state.cache.records.keys().cloned().collect();
    ctx.state.cache = Default::default();
    if !keys.is_empty() {
        ctx.out.push_str("Deleted build cache objects:\n");
        for k in &keys {
            let hex = k.trim_start_matches("sha256:");
            ctx.out.push_str(hex.get(..25).unwrap_or(hex));
            ctx.out.push('\n');
        }
        ctx.out.push('\n');
    }
    ctx.out.push_str("Total reclaimed space: 0B\n");
    Ok(())
}

/// `docker system df`.
pub(crate) fn system_df(ctx: &mut Ctx<'_>, args: &[String]) -> Res {
    let cmd = &const { Command::new("docker system df", "[OPTIONS]") };
    let p = flags::parse(
        cmd,
        &const { [b("verbose", Some('v')), v("format", None)] },
        args,
        true,
    )?;
    if p.on("help") {
        return usage(ctx, cmd, "Show docker disk usage");
    }
    flags::none(cmd, &p.args)?;
    let state = &*ctx.state;
    let now = store::now(state);
    let images = summaries(state, true);
    let total = store::layers_size(state);
    let active = images.iter().filter(|s| s.containers > 0).count();
    let reclaimable: u64 = images
        .iter()
        .filter(|s| s.containers == 0)
        .map(|s| s.size.saturating_sub(s.shared.unwrap_or(0)))
        .sum();
    let mut containers: Vec<&super::containers::Container> =
        state.containers.values().map(|c| &**c).collect();
    shared_sort::sort_by_key(&mut containers, |c| std::cmp::Reverse(c.serial));
    let running = containers.iter().filter(|c| c.running).count();
    let cache_records = state.cache.records.len();
    let pct = |r: u64, t: u64| match (r * 100).checked_div(t) {
        Some(p) => format!("{} ({p}%)", human_size(r)),
        None => human_size(r),
    };
    let verbose = p.on("verbose");
    let format_flag = p.last("format").unwrap_or("");
    if ctx.json {
        let doc = serde_json::json!({
            "Images": images.iter().map(|s| serde_json::json!({
                "Id": s.id, "RepoTags": s.repo_tags, "Created": s.created,
                "Size": s.size, "SharedSize": s.shared, "UniqueSize": s.size.saturating_sub(s.shared.unwrap_or(0)),
                "Containers": s.containers,
            })).collect::<Vec<_>>(),
            "LayersSize": total,
            "Reclaimable": reclaimable,
            "Containers": containers.len(),
            "BuildCacheRecords": cache_records,
        });
        ctx.out
            .push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        ctx.out.push('\n');
        return Ok(());
    }
    if !verbose {
        let rows = vec![
            df_row(
                "Images",
                images.len(),
                active,
                human_size(total),
                pct(reclaimable, total),
            ),
            df_row(
                "Containers",
                containers.len(),
                running,
                human_size(0),
                human_size(0),
            ),
            df_row("Local Volumes", 0, 0, human_size(0), human_size(0)),
            df_row(
                "Build Cache",
                cache_records,
                0,
                human_size(0),
                human_size(0),
            ),
        ];
        let format = if format_flag.is_empty() || format_flag == "table" {
            "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}"
        } else {
            format_flag
        };
        let h = header(&[
            ("Type", "TYPE"),
            ("TotalCount", "TOTAL"),
            ("Active", "ACTIVE"),
            ("Size", "SIZE"),
            ("Reclaimable", "RECLAIMABLE"),
        ]);
        ctx.out.push_str(&render(format, &h, &rows)?);
        return Ok(());
    }
    // Verbose: one table per kind.
    let mut text = String::from("Images space usage:\n\n");
    let mut body = String::from(
        "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS\n",
    );
    for s in &images {
        let (repo, tag) = match s.repo_tags.first() {
            Some(t) => split_repo_tag(t),
            None => ("<none>".into(), "<none>".into()),
        };
        let shared = s.shared.unwrap_or(0);
        body.push_str(&format!(
            "{repo}\t{tag}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            truncate_id(&s.id),
            ago(now, s.created),
            human_size3(s.size),
            human_size(shared),
            human_size(s.size.saturating_sub(shared)),
            s.containers
        ));
    }
    text.push_str(&table(&body));
    text.push_str("\nContainers space usage:\n\n");
    let mut body =
        String::from("CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES\n");
    for c in &containers {
        body.push_str(&format!(
            "{}\t{}\t{}\t0\t0B\t{}\t{}\t{}\n",
            truncate_id(&c.id),
            super::containers::image_column(state, c, true),
            super::format::go_quote(&super::format::ellipsis(&c.command(), 20)),
            ago(now, c.created),
            c.status(now),
            c.name
        ));
    }
    text.push_str(&table(&body));
    text.push_str("\nLocal Volumes space usage:\n\n");
    text.push_str(&table("VOLUME NAME\tLINKS\tSIZE\n"));
    text.push_str(&format!("\nBuild cache usage: {}\n\n", human_size(0)));
    text.push_str(&table(
        "CACHE ID\tCACHE TYPE\tSIZE\tCREATED\tLAST USED\tUSAGE\tSHARED\n",
    ));
    ctx.out.push_str(&text);
    Ok(())
}

fn df_row(kind: &str, total: usize, active: usize, size: String, reclaimable: String) -> Value {
    Value::Ctx(
        "*formatter.diskUsageContext".into(),
        vec![
            ("Active".into(), Value::str(active.to_string())),
            ("Reclaimable".into(), Value::str(reclaimable)),
            ("Size".into(), Value::str(size)),
            ("TotalCount".into(), Value::str(total.to_string())),
            ("Type".into(), Value::str(kind)),
        ],
    )
}
