//! `RUN --mount=...` values as BuildKit's `parseMount` reads them: CSV
//! fields, each value expanded (which is where `UndefinedVar` looks), and
//! the validation errors.
//!
//! Not merged with the build's [`crate::instructions::parse_mount`]: this
//! one is stricter (Go's CSV errors, secret, `size`, `uid`/`gid`/`mode`
//! and sharing checks), and using it in the build would turn builds that
//! succeed today into errors. The key list and the suggestions are shared.

/// What the lint needs of a mount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mount {
    /// `bind`, `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    /// `from=` (a stage, an image or empty).
    pub from: String,
    /// `target=`.
    pub target: String,
}

/// Splits one CSV record like `encoding/csv` (quotes, `""` escapes).
pub fn csv_fields(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("extraneous or missing \" in quoted-field".into()),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        field.push(c);
                        i += 1;
                    }
                }
            }
            match chars.get(i) {
                None => {
                    out.push(field);
                    return Ok(out);
                }
                Some(',') => {
                    i += 1;
                    out.push(field);
                }
                Some(_) => return Err("extraneous or missing \" in quoted-field".into()),
            }
        } else {
            while let Some(&c) = chars.get(i) {
                if c == ',' {
                    break;
                }
                if c == '"' {
                    return Err("bare \" in non-quoted-field".into());
                }
                field.push(c);
                i += 1;
            }
            out.push(field);
            if i >= chars.len() {
                return Ok(out);
            }
            i += 1;
        }
    }
}

const MOUNT_TYPES: [&str; 5] = ["bind", "cache", "tmpfs", "secret", "ssh"];
const SHARE_MODES: [&str; 3] = ["shared", "private", "locked"];

/// `parseMount` with an expander: every `key=value` value goes through
/// `expand` first, then the value is checked.
pub fn parse_mount(
    val: &str,
    expand: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Mount, String> {
    let fields = csv_fields(val).map_err(|e| format!("failed to parse csv mounts: {e}"))?;
    let mut m = Mount {
        kind: "bind".into(),
        ..Mount::default()
    };
    let mut file_info = [false; 3]; // mode, uid, gid
    let (mut secret_source, mut secret_id, mut sharing) =
        (String::new(), String::new(), String::new());
    for field in &fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v)),
            None => (field.to_lowercase(), None),
        };
        let Some(value) = value else {
            match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => continue,
                "required" if m.kind == "secret" || m.kind == "ssh" => continue,
                "required" => {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ))
                }
                _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
            }
        };
        let value = expand(value)?;
        let bad = || format!("invalid value for {key}: {value}");
        match key.as_str() {
            "type" => {
                let v = value.to_lowercase();
                if !MOUNT_TYPES.contains(&v.as_str()) {
                    return Err(crate::instructions::suggest(
                        format!(
                            "unsupported mount type {}",
                            layerlab_syntax::go_quote(&value)
                        ),
                        &value,
                        &MOUNT_TYPES,
                        true,
                    ));
                }
                m.kind = v;
            }
            "from" => m.from = value,
            "source" | "src" => secret_source = value,
            "target" | "dst" | "destination" => m.target = value,
            "readonly" | "ro" | "readwrite" | "rw" => {
                if crate::run::goutil::parse_bool(&value).is_err() {
                    return Err(bad());
                }
            }
            "required" => {
                if m.kind != "secret" && m.kind != "ssh" {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ));
                }
                if crate::run::goutil::parse_bool(&value).is_err() {
                    return Err(bad());
                }
            }
            "size" => {
                if m.kind != "tmpfs" {
                    return Err(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        m.kind
                    ));
                }
                if !is_ram_size(&value) {
                    return Err(bad());
                }
            }
            "id" => secret_id = value,
            "sharing" => {
                let v = value.to_lowercase();
                if !SHARE_MODES.contains(&v.as_str()) {
                    return Err(crate::instructions::suggest(
                        format!(
                            "unsupported sharing value {}",
                            layerlab_syntax::go_quote(&value)
                        ),
                        &value,
                        &SHARE_MODES,
                        true,
                    ));
                }
                sharing = v;
            }
            "mode" => {
                if u32::from_str_radix(&value, 8).is_err() {
                    return Err(format!("invalid value {value} for mode"));
                }
                file_info[0] = true;
            }
            "uid" | "gid" => {
                if value.parse::<u32>().is_err() {
                    return Err(format!("invalid value {value} for {key}"));
                }
                file_info[if key == "uid" { 1 } else { 2 }] = true;
            }
            "env" => {}
            _ => {
                return Err(crate::instructions::suggest(
                    format!("unexpected key '{key}' in '{field}'"),
                    &key,
                    &crate::instructions::MOUNT_KEYS,
                    true,
                ));
            }
        }
    }
    let file_info_allowed = matches!(m.kind.as_str(), "secret" | "ssh" | "cache");
    if !file_info_allowed {
        if let Some(i) = file_info.iter().position(|&b| b) {
            return Err(format!(
                "{} not allowed for {} type mounts",
                ["mode", "uid", "gid"][i],
                layerlab_syntax::go_quote(&m.kind)
            ));
        }
    }
    if m.kind == "secret" {
        if !m.from.is_empty() {
            return Err("secret mount should not have a from".into());
        }
        if !sharing.is_empty() {
            return Err("secret mount should not define sharing".into());
        }
        if secret_source.is_empty() && m.target.is_empty() && secret_id.is_empty() {
            return Err("invalid secret mount. one of source, target required".into());
        }
        if !secret_source.is_empty() && !secret_id.is_empty() {
            return Err("both source and id can't be set".into());
        }
    }
    if !sharing.is_empty() && m.kind != "cache" {
        return Err(format!("invalid cache sharing set for {} mount", m.kind));
    }
    Ok(m)
}

/// The raw `from=` values of a mount flag, as BuildKit reads them at parse
/// time (no expansion); an error for a variable in `from`.
pub fn raw_from(val: &str) -> Result<String, String> {
    let fields = csv_fields(val).map_err(|e| format!("failed to parse csv mounts: {e}"))?;
    let mut from = String::new();
    for field in &fields {
        if let Some((k, v)) = field.split_once('=') {
            if k.eq_ignore_ascii_case("from") {
                if let Some(idx) = v.find('$') {
                    if idx != v.len() - 1 {
                        return Err(
                            "'from' doesn't support variable expansion, define alias stage instead"
                                .into(),
                        );
                    }
                }
                from = v.to_string();
            }
        }
    }
    Ok(from)
}

/// `go-units.RAMInBytes`: a number, an optional unit letter, optional `i`
/// and `b`.
fn is_ram_size(s: &str) -> bool {
    let s = s.trim_end_matches(['b', 'B']);
    let s = s.trim_end_matches(['i', 'I']);
    let s = s
        .strip_suffix(|c: char| "kKmMgGtTpP".contains(c))
        .unwrap_or(s);
    let s = s.strip_suffix(' ').unwrap_or(s);
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mounts() {
        let mut id = |s: &str| Ok::<String, String>(s.to_string());
        assert_eq!(
            csv_fields("a,\"b,c\",d"),
            Ok(vec!["a".into(), "b,c".into(), "d".into()])
        );
        let m = parse_mount("type=cache,target=/c", &mut id);
        assert_eq!(m.map(|m| m.kind), Ok("cache".into()));
        assert!(parse_mount("type=foo", &mut id).is_err());
        assert!(parse_mount("type=bind,mode=0700", &mut id).is_err());
        assert!(parse_mount("type=secret", &mut id).is_err());
        assert!(parse_mount("bogus=1", &mut id).is_err());
        assert_eq!(raw_from("from=build,target=/x"), Ok("build".into()));
        assert!(raw_from("from=$X").is_err());
    }
}
