//! The docker CLI's text helpers, ported: go-units' `HumanSize` and
//! `HumanDuration`, Go's `%g` and time formats, `stringid.TruncateID`,
//! the formatter's `Ellipsis`, `strconv.Quote`, and the CLI's fork of
//! `text/tabwriter` that lays out every table.

/// go-units `HumanSizeWithPrecision`: decimal units (`kB`, `MB`...),
/// `%.{precision}g`.
pub fn human_size_precision(size: f64, precision: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut s = size;
    let mut i = 0;
    while s >= 1000.0 && i < UNITS.len() - 1 {
        s /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(s, precision), UNITS[i])
}

/// go-units `HumanSize` (4 significant digits).
pub fn human_size(size: u64) -> String {
    human_size_precision(size as f64, 4)
}

/// go-units `HumanSizeWithPrecision(size, 3)`, as `docker images` prints
/// sizes.
pub fn human_size3(size: u64) -> String {
    human_size_precision(size as f64, 3)
}

/// Go's `fmt.Sprintf("%.*g", precision, x)`.
pub fn go_g(x: f64, precision: usize) -> String {
    let p = precision.max(1);
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let e_form = crate::numfmt::exp(x, p - 1);
    let (mantissa, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
    // (Parsed as i64 and narrowed: no parser of its own for i32 in the wasm.)
    let exp = exp
        .parse::<i64>()
        .ok()
        .and_then(|e| i32::try_from(e).ok())
        .unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let m = trim_fraction(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", exp.abs());
    }
    let decimals = usize::try_from(p as i32 - 1 - exp).unwrap_or(0);
    trim_fraction(&crate::numfmt::fixed(x, decimals))
}

fn trim_fraction(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// go-units `HumanDuration` of `seconds` (`Less than a second`,
/// `2 minutes`, `About an hour`, `13 days`...).
pub fn human_duration(seconds: i64) -> String {
    let s = seconds;
    if s < 1 {
        return "Less than a second".into();
    }
    if s == 1 {
        return "1 second".into();
    }
    if s < 60 {
        return format!("{s} seconds");
    }
    let minutes = s / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // d.Round(time.Hour).Hours(): half away from zero.
    let hours = (s + 1800) / 3600;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", s / 3600 / 24 / 365)
}

/// `HumanDuration(now - then) + " ago"`.
pub fn ago(now: i64, then: i64) -> String {
    format!("{} ago", human_duration(now - then))
}

/// Year, month, day, hour, minute, second of Unix time `t` (UTC).
pub fn civil(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let u = |v: i64| u32::try_from(v).unwrap_or(0);
    (
        y,
        u(m),
        u(d),
        u(secs / 3600),
        u(secs % 3600 / 60),
        u(secs % 60),
    )
}

/// Go's `time.Time.String()` in UTC: `2024-11-12 10:00:40 +0000 UTC`.
pub fn go_time_string(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} +0000 UTC")
}

/// RFC 3339 in UTC: `2024-11-12T10:00:40Z` (also Go's RFC3339Nano for
/// whole seconds).
pub fn rfc3339(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `stringid.TruncateID`: the hex after `sha256:`, 12 characters.
pub fn truncate_id(id: &str) -> String {
    let hex = match id.find(':') {
        Some(i) => &id[i + 1..],
        None => id,
    };
    hex.chars().take(12).collect()
}

/// The formatter's `Ellipsis`: at most `max` display columns, the last
/// one `…` when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let rs: Vec<char> = s.chars().collect();
    if max == 1 {
        return rs.first().map(|c| c.to_string()).unwrap_or_default();
    }
    let widths: Vec<usize> = rs.iter().map(|&c| char_width(c)).collect();
    let total: usize = widths.iter().sum();
    if total <= max {
        return s.to_string();
    }
    let mut acc = 0;
    let mut out = String::new();
    for (c, w) in rs.iter().zip(&widths) {
        if acc + w > max - 1 {
            break;
        }
        acc += w;
        out.push(*c);
    }
    out.push('…');
    out
}

/// Display width of a character: 2 for East Asian wide and full-width
/// characters, else 1.
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// Display width of a string.
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                let u = c as u32;
                if u <= 0xffff {
                    out.push_str(&format!("\\u{u:04x}"));
                } else {
                    out.push_str(&format!("\\U{u:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The docker CLI's tabwriter (Go's `text/tabwriter` with a rune-width
/// cell measure): cells end at `\t`, lines at `\n`; the last cell of a
/// line is not part of a column; a line without tabs ends a block. The
/// CLI's tables use `minwidth 10, tabwidth 1, padding 3, ' '`.
pub fn tabwrite(text: &str, minwidth: usize, padding: usize) -> String {
    #[derive(Clone, Copy)]
    struct Cell {
        start: usize,
        end: usize,
        width: usize,
        htab: bool,
    }
    let bytes = text;
    let mut out = String::new();
    let mut lines: Vec<Vec<Cell>> = vec![Vec::new()];
    let mut cell_start = 0usize;

    #[allow(clippy::too_many_arguments)]
    fn format(
        out: &mut String,
        text: &str,
        lines: &[Vec<Cell>],
        widths: &mut Vec<usize>,
        line0: usize,
        line1: usize,
        minwidth: usize,
        padding: usize,
    ) {
        let column = widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            let line = &lines[this];
            if column + 1 >= line.len() {
                this += 1;
                continue;
            }
            write_lines(out, text, lines, widths, line0, this);
            line0 = this;
            let mut width = minwidth;
            while this < line1 {
                let line = &lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                let w = line[column].width + padding;
                if w > width {
                    width = w;
                }
                this += 1;
            }
            widths.push(width);
            format(out, text, lines, widths, line0, this, minwidth, padding);
            widths.pop();
            line0 = this;
        }
        write_lines(out, text, lines, widths, line0, line1);
    }

    fn write_lines(
        out: &mut String,
        text: &str,
        lines: &[Vec<Cell>],
        widths: &[usize],
        line0: usize,
        line1: usize,
    ) {
        for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
            for (j, c) in line.iter().enumerate() {
                out.push_str(&text[c.start..c.end]);
                if j < widths.len() {
                    let pad = widths[j].saturating_sub(c.width);
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < lines.len() {
                out.push('\n');
            }
        }
    }

    let flush = |out: &mut String, lines: &mut Vec<Vec<Cell>>| {
        let mut widths = Vec::new();
        let n = lines.len();
        format(out, bytes, lines, &mut widths, 0, n, minwidth, padding);
        lines.clear();
        lines.push(Vec::new());
    };

    for (i, ch) in text.char_indices() {
        if ch == '\t' || ch == '\n' {
            let cell = Cell {
                start: cell_start,
                end: i,
                width: str_width(&text[cell_start..i]),
                htab: ch == '\t',
            };
            let _ = cell.htab;
            if let Some(line) = lines.last_mut() {
                line.push(cell);
            }
            cell_start = i + 1;
            if ch == '\n' {
                let ncells = lines.last().map_or(0, Vec::len);
                lines.push(Vec::new());
                if ncells == 1 {
                    flush(&mut out, &mut lines);
                }
            }
        }
    }
    // The trailing (unterminated) text is the last line's last cell.
    if cell_start < text.len() {
        let cell = Cell {
            start: cell_start,
            end: text.len(),
            width: str_width(&text[cell_start..]),
            htab: false,
        };
        if let Some(line) = lines.last_mut() {
            line.push(cell);
        }
    }
    if lines.len() > 1 || lines.last().is_some_and(|l| !l.is_empty()) {
        flush(&mut out, &mut lines);
    }
    out
}

/// The CLI's table layout: `tabwrite(text, 10, 3)`.
pub fn table(text: &str) -> String {
    tabwrite(text, 10, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `go_g` as it was written over the standard library's float
    /// formatting: the oracle for the one over `numfmt`.
    fn go_g_std(x: f64, precision: usize) -> String {
        let p = precision.max(1);
        if x == 0.0 {
            return "0".into();
        }
        if !x.is_finite() {
            return go_g(x, precision);
        }
        let e_form = format!("{:.*e}", p - 1, x);
        let (mantissa, exp) = e_form.split_once('e').unwrap_or((&e_form, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        if exp < -4 || exp >= p as i32 {
            let m = trim_fraction(mantissa);
            let sign = if exp < 0 { '-' } else { '+' };
            return format!("{m}e{sign}{:02}", exp.abs());
        }
        let decimals = usize::try_from(p as i32 - 1 - exp).unwrap_or(0);
        trim_fraction(&format!("{x:.decimals$}"))
    }

    /// Sizes around every place where the text changes: each unit, and
    /// each halfway point after 3 or 4 significant digits (`999.95kB`,
    /// `1.0005MB`), one byte either side.
    fn size_boundaries() -> Vec<u64> {
        let mut sizes: Vec<u64> = (0..20_000).collect();
        for k in 0..7u32 {
            let unit = 1000u64.pow(k);
            for n in (0..20_000u64).filter(|n| n % 97 == 0 || n % 1000 >= 990 || n % 100 >= 98) {
                for j in 0..4u32 {
                    // (n + 1/2) * unit / 10^j
                    let t = u128::from(2 * n + 1) * u128::from(unit) / (2 * 10u128.pow(j));
                    let t = u64::try_from(t).unwrap_or(u64::MAX);
                    sizes.extend([t.saturating_sub(1), t, t.saturating_add(1)]);
                }
            }
        }
        let mut r = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            sizes.push(r >> (r % 64));
        }
        sizes.push(u64::MAX);
        sizes
    }

    /// `human_size_precision` over [`go_g_std`].
    fn human_size_std(size: f64, precision: usize) -> String {
        const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        let mut s = size;
        let mut i = 0;
        while s >= 1000.0 && i < UNITS.len() - 1 {
            s /= 1000.0;
            i += 1;
        }
        format!("{}{}", go_g_std(s, precision), UNITS[i])
    }

    #[test]
    fn human_sizes_match_std_formatting() {
        for size in size_boundaries() {
            for p in [3, 4] {
                let x = size as f64;
                assert_eq!(
                    human_size_precision(x, p),
                    human_size_std(x, p),
                    "{size} .{p}"
                );
            }
        }
        for x in [
            1e-5,
            1.234e-5,
            0.000123456,
            123456789.0,
            1e21,
            -2.5,
            0.5,
            99.995,
        ] {
            for p in 1..8 {
                assert_eq!(go_g(x, p), go_g_std(x, p), "{x} .{p}");
            }
        }
    }

    #[test]
    fn sizes_like_go_units() {
        let cases: &[(u64, &str, &str)] = &[
            (0, "0B", "0B"),
            (500, "500B", "500B"),
            (1234, "1.23kB", "1.234kB"),
            (8_800_000, "8.8MB", "8.8MB"),
            (217_345_678, "217MB", "217.3MB"),
            (1_234_567_890, "1.23GB", "1.235GB"),
            (999_950, "1e+03kB", "1000kB"),
            (100_000_000, "100MB", "100MB"),
        ];
        for (n, three, four) in cases {
            assert_eq!(human_size3(*n), *three, "{n}");
            assert_eq!(human_size(*n), *four, "{n}");
        }
        assert_eq!(go_g(0.0001234, 3), "0.000123");
        assert_eq!(go_g(0.00001234, 3), "1.23e-05");
    }

    #[test]
    fn durations_like_go_units() {
        for (s, want) in [
            (0, "Less than a second"),
            (1, "1 second"),
            (10, "10 seconds"),
            (60, "About a minute"),
            (150, "2 minutes"),
            (3599, "59 minutes"),
            (3600, "About an hour"),
            (5400, "2 hours"),
            (47 * 3600, "47 hours"),
            (13 * 86_400, "13 days"),
            (20 * 86_400, "2 weeks"),
            (90 * 86_400, "3 months"),
            (800 * 86_400, "2 years"),
        ] {
            assert_eq!(human_duration(s), want, "{s}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(
            go_time_string(1_731_405_600),
            "2024-11-12 10:00:00 +0000 UTC"
        );
        assert_eq!(rfc3339(1_731_405_640), "2024-11-12T10:00:40Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn ids_quotes_ellipsis() {
        assert_eq!(truncate_id("sha256:0123456789abcdef"), "0123456789ab");
        assert_eq!(ellipsis("dotnet aspnetapp.dll", 20), "dotnet aspnetapp.dll");
        assert_eq!(
            ellipsis("/bin/sh -c 'nginx -g daemon'", 20),
            "/bin/sh -c 'nginx -…"
        );
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn tabwriter_like_go() {
        let t = "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\naspnetapp\tlatest\t0123456789ab\t10 seconds ago\t217MB\n";
        assert_eq!(
            table(t),
            "REPOSITORY   TAG       IMAGE ID       CREATED          SIZE\n\
             aspnetapp    latest    0123456789ab   10 seconds ago   217MB\n"
        );
        // A line without tabs ends the block: columns restart after it.
        let t = "a\tb\nlonger-cell\tc\nplain line\nx\ty\n";
        assert_eq!(
            table(t),
            "a             b\nlonger-cell   c\nplain line\nx         y\n"
        );
        // The last cell of a shorter line is padded to the column.
        assert_eq!(tabwrite("a\tb\tc\nd\te\n", 1, 1), "a b c\nd e\n");
    }
}
