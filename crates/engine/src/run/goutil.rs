//! Small re-implementations of the Go standard-library behaviour the docker
//! CLI's messages depend on: `%q` quoting, `strconv.ParseBool`/`ParseInt`/
//! `ParseUint`, `time.ParseDuration`, `net.ParseIP`, go-units `RAMInBytes`
//! and the `encoding/csv` reader used by `--mount` and `--network`.
//!
//! Only what the messages need: each function returns the exact error text
//! the Go function would put in its error.

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `%q` for a rune: `'x'`.
pub(crate) fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, delim: char) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == delim => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        c if c.is_control() => {
            if (c as u32) < 0x10000 {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        c => out.push(c),
    }
}

/// `strconv.ParseBool`.
pub(crate) fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing {}: invalid syntax",
            quote(s)
        )),
    }
}

/// Digits of `s` in `base` with Go's underscore rule (only with a base
/// prefix, only between digits). `None` on a syntax error.
fn parse_digits(s: &str, base: u32, underscores: bool) -> Option<u128> {
    if s.is_empty() {
        return None;
    }
    let mut value: u128 = 0;
    let mut prev_underscore = false;
    for (i, c) in s.chars().enumerate() {
        if c == '_' {
            if !underscores || prev_underscore || i == s.len() - 1 {
                return None;
            }
            prev_underscore = true;
            continue;
        }
        prev_underscore = false;
        let d = c.to_digit(base)?;
        value = value
            .saturating_mul(u128::from(base))
            .saturating_add(u128::from(d));
    }
    Some(value)
}

/// Splits a Go base-0 literal into (base, digits, underscores allowed).
fn base_prefix(s: &str) -> (u32, &str, bool) {
    let lower = s.get(..2).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("0x") => (16, &s[2..], true),
        Some("0b") => (2, &s[2..], true),
        Some("0o") => (8, &s[2..], true),
        _ if s.len() > 1 && s.starts_with('0') => (8, &s[1..], true),
        _ => (10, s, false),
    }
}

/// `strconv.ParseInt(s, 0, bits)`.
pub(crate) fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", quote(s));
    let range = || format!("strconv.ParseInt: parsing {}: value out of range", quote(s));
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (base, digits, underscores) = base_prefix(body);
    let magnitude = parse_digits(digits, base, underscores).ok_or_else(syntax)?;
    let limit: u128 = 1u128 << (bits - 1);
    if (!neg && magnitude >= limit) || (neg && magnitude > limit) {
        return Err(range());
    }
    let v = i128::try_from(magnitude).map_err(|_| range())?;
    i64::try_from(if neg { -v } else { v }).map_err(|_| range())
}

/// `strconv.ParseUint(s, 0, bits)`.
pub(crate) fn parse_uint(s: &str, bits: u32) -> Result<u64, String> {
    let (base, digits, underscores) = base_prefix(s);
    let magnitude = parse_digits(digits, base, underscores)
        .ok_or_else(|| format!("strconv.ParseUint: parsing {}: invalid syntax", quote(s)))?;
    if magnitude >= (1u128 << bits) {
        return Err(format!(
            "strconv.ParseUint: parsing {}: value out of range",
            quote(s)
        ));
    }
    u64::try_from(magnitude).map_err(|_| {
        format!(
            "strconv.ParseUint: parsing {}: value out of range",
            quote(s)
        )
    })
}

/// `strconv.Atoi`-like decimal parse (sign allowed, no prefixes).
pub(crate) fn atoi(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i64 = body.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// `strconv.ParseInt(s, 10, 0)`: the unwrapped error is "invalid syntax"
/// or "value out of range".
pub(crate) fn parse_int_decimal(s: &str) -> Result<i64, &'static str> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err("invalid syntax");
    }
    let magnitude: i128 = body
        .bytes()
        .try_fold(0i128, |acc, b| {
            acc.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })
        .ok_or("value out of range")?;
    i64::try_from(if neg { -magnitude } else { magnitude }).map_err(|_| "value out of range")
}

/// `time.ParseDuration`, in nanoseconds.
pub(crate) fn parse_duration(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(s));
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &rest[..int_len];
        rest = &rest[int_len..];
        let mut frac_part = "";
        if let Some(r) = rest.strip_prefix('.') {
            let frac_len = r.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &r[..frac_len];
            rest = &r[frac_len..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", quote(s)));
        }
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(s)
                ))
            }
        };
        let number: f64 = crate::numfmt::parse(&format!(
            "{}.{}",
            if int_part.is_empty() { "0" } else { int_part },
            if frac_part.is_empty() { "0" } else { frac_part }
        ))
        .ok_or_else(invalid)?;
        total += number * scale;
        if total > 9.223_372_036_854_776e18 {
            return Err(invalid());
        }
    }
    // Durations are bounded above, so the conversion cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let nanos = total as i64;
    Ok(if neg { -nanos } else { nanos })
}

/// `net.ParseIP`: an IPv4 or IPv6 address without zone, normalized the way
/// Go prints it is not needed here, only validity.
pub(crate) fn is_ip(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

/// A dotted-quad IPv4 address (no leading zeros, as Go since 1.17).
pub(crate) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// An IPv6 address (with `::` compression and an optional trailing IPv4).
pub(crate) fn is_ipv6(s: &str) -> bool {
    if !s.contains(':') {
        return false;
    }
    let (head, tail, compressed) = match s.split_once("::") {
        Some((h, t)) => {
            if t.contains("::") {
                return false;
            }
            (h, t, true)
        }
        None => (s, "", false),
    };
    let mut groups = 0usize;
    let mut check = |part: &str, last: bool| -> bool {
        if part.is_empty() {
            return true;
        }
        let pieces: Vec<&str> = part.split(':').collect();
        for (i, p) in pieces.iter().enumerate() {
            if last && i == pieces.len() - 1 && p.contains('.') {
                if !is_ipv4(p) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                return false;
            }
            groups += 1;
        }
        true
    };
    if compressed {
        if !check(head, false) || !check(tail, true) {
            return false;
        }
        groups < 8
    } else {
        check(head, true) && groups == 8
    }
}

/// go-units `RAMInBytes`: `512m`, `1g`, `1.5GiB`, `100` (bytes).
pub(crate) fn ram_in_bytes(s: &str) -> Result<i64, String> {
    let invalid = || format!("invalid size: '{s}'");
    let num_len = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(s.len(), |(i, _)| i);
    let (num, suffix) = s.split_at(num_len);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.contains("..") {
        return Err(invalid());
    }
    let value: f64 = crate::numfmt::parse(&num.split('.').take(2).collect::<Vec<_>>().join("."))
        .ok_or_else(invalid)?;
    let suffix = suffix.strip_prefix(' ').unwrap_or(suffix);
    let lower = suffix.to_ascii_lowercase();
    let lower = lower.strip_suffix('b').unwrap_or(&lower);
    let lower = lower.strip_suffix('i').unwrap_or(lower);
    let mult: f64 = match lower {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return Err(invalid()),
    };
    #[allow(clippy::cast_possible_truncation)]
    Ok((value * mult) as i64)
}

/// One record of Go's `encoding/csv` reader (comma separator, `"` quotes).
pub(crate) fn csv_record(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0usize;
    loop {
        let mut field = String::new();
        if bytes.get(i) == Some(&'"') {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            line.len() + 1
                        ))
                    }
                    Some('"') if bytes.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        match bytes.get(i) {
                            None | Some(',') => break,
                            Some(_) => {
                                return Err(format!(
                                    "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                                    i + 1
                                ))
                            }
                        }
                    }
                    Some(c) => {
                        field.push(*c);
                        i += 1;
                    }
                }
            }
        } else {
            while let Some(c) = bytes.get(i) {
                if *c == ',' {
                    break;
                }
                if *c == '"' {
                    return Err(format!(
                        "parse error on line 1, column {}: bare \" in non-quoted-field",
                        i + 1
                    ));
                }
                field.push(*c);
                i += 1;
            }
        }
        fields.push(field);
        if bytes.get(i) == Some(&',') {
            i += 1;
            continue;
        }
        break;
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_go() {
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(quote("é"), "\"é\"");
        assert_eq!(quote_rune('x'), "'x'");
        assert_eq!(quote_rune('\''), "'\\''");
    }

    #[test]
    fn bools_and_ints() {
        assert_eq!(parse_bool("T"), Ok(true));
        assert_eq!(parse_bool("False"), Ok(false));
        assert_eq!(
            parse_bool("yes"),
            Err("strconv.ParseBool: parsing \"yes\": invalid syntax".into())
        );
        assert_eq!(parse_int("0x10", 64), Ok(16));
        assert_eq!(parse_int("-010", 64), Ok(-8));
        assert!(parse_int("1_000", 64).is_err());
        assert_eq!(parse_int("0x1_0", 64), Ok(16));
        assert_eq!(
            parse_int("abc", 64),
            Err("strconv.ParseInt: parsing \"abc\": invalid syntax".into())
        );
        assert_eq!(
            parse_int("9223372036854775808", 64),
            Err("strconv.ParseInt: parsing \"9223372036854775808\": value out of range".into())
        );
        assert_eq!(parse_uint("65535", 16), Ok(65535));
        assert_eq!(
            parse_uint("65536", 16),
            Err("strconv.ParseUint: parsing \"65536\": value out of range".into())
        );
        assert_eq!(atoi("-3"), Some(-3));
        assert_eq!(atoi("3x"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(
            parse_duration("10"),
            Err("time: missing unit in duration \"10\"".into())
        );
        assert_eq!(
            parse_duration("10x"),
            Err("time: unknown unit \"x\" in duration \"10x\"".into())
        );
        assert_eq!(
            parse_duration("x"),
            Err("time: invalid duration \"x\"".into())
        );
    }

    #[test]
    fn ips() {
        assert!(is_ip("127.0.0.1"));
        assert!(is_ip("::1"));
        assert!(is_ip("::"));
        assert!(is_ip("2001:db8::33"));
        assert!(is_ip("::ffff:1.2.3.4"));
        assert!(is_ip("1:2:3:4:5:6:7:8"));
        assert!(!is_ip("1:2:3:4:5:6:7:8:9"));
        assert!(!is_ip("1.2.3"));
        assert!(!is_ip("01.2.3.4"));
        assert!(!is_ip("256.1.1.1"));
        assert!(!is_ip("localhost"));
        assert!(!is_ip("1::2::3"));
    }

    #[test]
    fn ram_and_csv() {
        assert_eq!(ram_in_bytes("512m"), Ok(512 * 1024 * 1024));
        assert_eq!(ram_in_bytes("1GiB"), Ok(1024 * 1024 * 1024));
        assert_eq!(ram_in_bytes("100"), Ok(100));
        assert_eq!(ram_in_bytes("lots"), Err("invalid size: 'lots'".into()));
        assert_eq!(
            csv_record("type=bind,\"source=/a,b\",target=/x"),
            Ok(vec![
                "type=bind".to_string(),
                "source=/a,b".to_string(),
                "target=/x".to_string()
            ])
        );
        assert!(csv_record("a\"b").is_err());
    }
}
