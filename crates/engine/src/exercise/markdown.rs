//! A small, safe Markdown reader for exercise instructions and hints.
//!
//! It produces typed blocks and inlines ([`Block`], [`Inline`]) that a
//! front end renders as elements with text nodes, never as HTML: HTML in
//! the source stays literal text, and links keep only `http:`, `https:`,
//! `mailto:` and relative addresses (any other scheme, such as
//! `javascript:`, turns the link into plain text).
//!
//! Supported: ATX headings (`#` to `######`), paragraphs (a line ending in
//! two spaces or `\` breaks the line), `-`/`*`/`+` and `1.` lists (one
//! level; indented lines continue an item), `>` quotes, fenced code blocks
//! (```` ``` ```` or `~~~`, with a language), thematic breaks (`---`),
//! and inline `code`, `*emphasis*`, `**strong**`, `[links](url)`,
//! `<https://autolinks>` and backslash escapes.

use serde::Serialize;

/// A block of rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// `# Title` (level 1 to 6).
    Heading {
        /// 1 to 6.
        level: u8,
        /// Its text.
        content: Vec<Inline>,
    },
    /// A paragraph.
    Paragraph {
        /// Its text.
        content: Vec<Inline>,
    },
    /// A list.
    List {
        /// True for `1.` lists.
        ordered: bool,
        /// The first number of an ordered list.
        start: u64,
        /// The items.
        items: Vec<Vec<Inline>>,
    },
    /// A fenced code block.
    Code {
        /// The info string's first word (`dockerfile`), may be empty.
        language: String,
        /// The code, lines joined with `\n`.
        text: String,
    },
    /// A `>` quote.
    Quote {
        /// Its text.
        content: Vec<Inline>,
    },
    /// `---`.
    Rule,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// `` `code` ``.
    Code {
        /// The code.
        text: String,
    },
    /// `*emphasis*`.
    Emphasis {
        /// What is emphasized.
        content: Vec<Inline>,
    },
    /// `**strong**`.
    Strong {
        /// What is strong.
        content: Vec<Inline>,
    },
    /// `[text](url)` with a safe address.
    Link {
        /// The address (`http:`, `https:`, `mailto:` or relative).
        url: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

/// Parses Markdown into blocks.
pub fn render(source: &str) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph {
                content: inline_lines(para),
            });
            para.clear();
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            flush(&mut para, &mut blocks);
            i += 1;
            continue;
        }
        if let Some((fence, language)) = fence_start(trimmed).filter(|_| indent < 4) {
            flush(&mut para, &mut blocks);
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() {
                let t = lines[i].trim_start();
                if t.starts_with(fence.as_str())
                    && t.trim_end().chars().all(|c| c == fence_char(&fence))
                {
                    i += 1;
                    break;
                }
                code.push(strip_indent(lines[i], indent));
                i += 1;
            }
            blocks.push(Block::Code {
                language,
                text: code.join("\n"),
            });
            continue;
        }
        if indent < 4 {
            if let Some((level, text)) = heading(trimmed) {
                flush(&mut para, &mut blocks);
                blocks.push(Block::Heading {
                    level,
                    content: inline(text),
                });
                i += 1;
                continue;
            }
            if is_rule(trimmed) {
                flush(&mut para, &mut blocks);
                blocks.push(Block::Rule);
                i += 1;
                continue;
            }
            if trimmed.starts_with('>') {
                flush(&mut para, &mut blocks);
                let mut quoted = Vec::new();
                while i < lines.len() {
                    let t = lines[i].trim_start();
                    match t.strip_prefix('>') {
                        Some(rest) => quoted.push(rest.strip_prefix(' ').unwrap_or(rest)),
                        None => break,
                    }
                    i += 1;
                }
                blocks.push(Block::Quote {
                    content: inline_lines(&quoted),
                });
                continue;
            }
            if let Some((ordered, start, _)) = list_marker(trimmed) {
                flush(&mut para, &mut blocks);
                let mut items: Vec<Vec<&str>> = Vec::new();
                while i < lines.len() {
                    let l = lines[i];
                    let t = l.trim_start();
                    let ind = l.len() - t.len();
                    if t.is_empty() {
                        // A blank line ends the list unless an item follows.
                        let next = lines.get(i + 1).map(|n| n.trim_start());
                        match next.and_then(list_marker) {
                            Some((o, _, _)) if o == ordered => {
                                i += 1;
                                continue;
                            }
                            _ => break,
                        }
                    }
                    match list_marker(t) {
                        Some((o, _, rest)) if o == ordered && ind < 4 => items.push(vec![rest]),
                        _ if ind >= 2 && !items.is_empty() => {
                            if let Some(last) = items.last_mut() {
                                last.push(t);
                            }
                        }
                        _ => break,
                    }
                    i += 1;
                }
                blocks.push(Block::List {
                    ordered,
                    start,
                    items: items.iter().map(|it| inline_lines(it)).collect(),
                });
                continue;
            }
        }
        para.push(line.trim());
        if line.ends_with("  ") || line.ends_with('\\') {
            para.push("\u{0}break");
        }
        i += 1;
    }
    flush(&mut para, &mut blocks);
    blocks
}

fn fence_char(fence: &str) -> char {
    fence.chars().next().unwrap_or('`')
}

fn fence_start(t: &str) -> Option<(String, String)> {
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|&x| x == c).count();
    if n < 3 {
        return None;
    }
    let info = t[n..].trim();
    if c == '`' && info.contains('`') {
        return None;
    }
    let language = info.split_whitespace().next().unwrap_or("").to_string();
    Some((std::iter::repeat_n(c, n).collect(), language))
}

fn strip_indent(line: &str, n: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(n)..]
}

fn heading(t: &str) -> Option<(u8, &str)> {
    let n = t.chars().take_while(|&c| c == '#').count();
    if n == 0 || n > 6 {
        return None;
    }
    let rest = &t[n..];
    if !rest.is_empty() && !rest.starts_with(' ') && !rest.starts_with('\t') {
        return None;
    }
    let text = rest.trim();
    // A closing run of `#` is not part of the text.
    let text = text.trim_end_matches('#').trim_end();
    Some((n as u8, text))
}

fn is_rule(t: &str) -> bool {
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    s.len() >= 3
        && (s.chars().all(|c| c == '-')
            || s.chars().all(|c| c == '*')
            || s.chars().all(|c| c == '_'))
}

/// `- item` / `1. item`: (ordered, start, rest).
fn list_marker(t: &str) -> Option<(bool, u64, &str)> {
    for &m in &["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some((false, 1, rest.trim_start()));
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &t[digits..];
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    let start = t[..digits].parse().ok()?;
    Some((true, start, rest.trim_start()))
}

/// Inline content of several source lines: soft breaks become spaces,
/// the break marker a [`Inline::Break`].
fn inline_lines(lines: &[&str]) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut first = true;
    for l in lines {
        if *l == "\u{0}break" {
            out.push(Inline::Break);
            first = true;
            continue;
        }
        let text = l.trim().trim_end_matches('\\');
        if !first {
            push_text(&mut out, " ");
        }
        first = false;
        for i in inline(text) {
            match i {
                Inline::Text { text } => push_text(&mut out, &text),
                other => out.push(other),
            }
        }
    }
    out
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(s);
    } else {
        out.push(Inline::Text {
            text: s.to_string(),
        });
    }
}

/// True when `url` may become a link.
pub(crate) fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    // Relative addresses: no scheme before the first `/`, `?` or `#`.
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':') && !lower.starts_with("//") && !lower.chars().any(|c| c.is_control())
}

/// Parses one line of inline Markdown.
pub fn inline(s: &str) -> Vec<Inline> {
    let chars: Vec<char> = s.chars().collect();
    parse_inline(&chars, 0)
}

fn parse_inline(c: &[char], depth: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let flush = |text: &mut String, out: &mut Vec<Inline>| {
        if !text.is_empty() {
            push_text(out, text);
            text.clear();
        }
    };
    while i < c.len() {
        let ch = c[i];
        if ch == '\\' && i + 1 < c.len() && c[i + 1].is_ascii_punctuation() {
            text.push(c[i + 1]);
            i += 2;
            continue;
        }
        if ch == '`' {
            let n = run_len(c, i, '`');
            if let Some(end) = find_run(c, i + n, '`', n) {
                flush(&mut text, &mut out);
                let code: String = c[i + n..end].iter().collect();
                let code = if code.starts_with(' ') && code.ends_with(' ') && code.trim() != "" {
                    code[1..code.len() - 1].to_string()
                } else {
                    code
                };
                out.push(Inline::Code { text: code });
                i = end + n;
                continue;
            }
            text.extend(&c[i..i + n]);
            i += n;
            continue;
        }
        if (ch == '*' || ch == '_') && depth < 8 {
            let n = run_len(c, i, ch).min(2);
            let opens = i + n < c.len()
                && !c[i + n].is_whitespace()
                && (ch == '*' || i == 0 || !c[i - 1].is_alphanumeric());
            if opens {
                if let Some(end) = find_closing(c, i + n, ch, n) {
                    flush(&mut text, &mut out);
                    let content = parse_inline(&c[i + n..end], depth + 1);
                    out.push(if n == 2 {
                        Inline::Strong { content }
                    } else {
                        Inline::Emphasis { content }
                    });
                    i = end + n;
                    continue;
                }
            }
            text.extend(&c[i..i + n]);
            i += n;
            continue;
        }
        if ch == '[' && depth < 8 {
            if let Some((label_end, url, next)) = link_at(c, i) {
                flush(&mut text, &mut out);
                let content = parse_inline(&c[i + 1..label_end], depth + 1);
                if safe_url(&url) {
                    out.push(Inline::Link { url, content });
                } else {
                    for inl in content {
                        match inl {
                            Inline::Text { text } => push_text(&mut out, &text),
                            other => out.push(other),
                        }
                    }
                }
                i = next;
                continue;
            }
        }
        if ch == '!' && i + 1 < c.len() && c[i + 1] == '[' {
            // Images are shown as their alt text (no remote content).
            if let Some((label_end, _, next)) = link_at(c, i + 1) {
                text.extend(&c[i + 2..label_end]);
                i = next;
                continue;
            }
        }
        if ch == '<' {
            if let Some(end) = c[i + 1..]
                .iter()
                .position(|&x| x == '>' || x == ' ' || x == '<')
            {
                let end = i + 1 + end;
                if c[end] == '>' {
                    let url: String = c[i + 1..end].iter().collect();
                    let lower = url.to_ascii_lowercase();
                    if lower.starts_with("http://") || lower.starts_with("https://") {
                        flush(&mut text, &mut out);
                        out.push(Inline::Link {
                            content: vec![Inline::Text { text: url.clone() }],
                            url,
                        });
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        text.push(ch);
        i += 1;
    }
    flush(&mut text, &mut out);
    out
}

fn run_len(c: &[char], i: usize, ch: char) -> usize {
    c[i..].iter().take_while(|&&x| x == ch).count()
}

/// The start of the next run of exactly `n` `ch` at or after `from`.
fn find_run(c: &[char], from: usize, ch: char, n: usize) -> Option<usize> {
    let mut j = from;
    while j < c.len() {
        if c[j] == ch {
            let len = run_len(c, j, ch);
            if len == n {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

/// The closing delimiter of an emphasis opened with `n` `ch`.
fn find_closing(c: &[char], from: usize, ch: char, n: usize) -> Option<usize> {
    let mut j = from;
    while j < c.len() {
        if c[j] == '`' {
            let len = run_len(c, j, '`');
            match find_run(c, j + len, '`', len) {
                Some(end) => j = end + len,
                None => j += len,
            }
            continue;
        }
        if c[j] == '\\' {
            j += 2;
            continue;
        }
        if c[j] == ch {
            let len = run_len(c, j, ch);
            let closes = j > from
                && !c[j - 1].is_whitespace()
                && (ch == '*' || j + len >= c.len() || !c[j + len].is_alphanumeric());
            if closes && len >= n {
                return Some(j);
            }
            j += len;
            continue;
        }
        j += 1;
    }
    None
}

/// `[label](url)` at `i`: (index of `]`, url, index after `)`).
fn link_at(c: &[char], i: usize) -> Option<(usize, String, usize)> {
    let mut depth = 0;
    let mut j = i;
    let close = loop {
        if j >= c.len() {
            return None;
        }
        match c[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break j;
                }
            }
            _ => {}
        }
        j += 1;
    };
    if c.get(close + 1) != Some(&'(') {
        return None;
    }
    // The address may hold balanced parentheses (`javascript:alert(1)`).
    let mut parens = 0usize;
    let mut end = None;
    for (k, &x) in c.iter().enumerate().skip(close + 2) {
        match x {
            '(' => parens += 1,
            ')' if parens == 0 => {
                end = Some(k);
                break;
            }
            ')' => parens -= 1,
            _ => {}
        }
    }
    let end = end?;
    let inside: String = c[close + 2..end].iter().collect();
    // An optional "title" after the address is dropped.
    let url = inside.split_whitespace().next().unwrap_or("").to_string();
    let url = url
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .map(str::to_string)
        .unwrap_or(url);
    Some((close, url, end + 1))
}

/// The plain text of inline content (for terminals and titles).
pub fn plain_text(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text { text } => s.push_str(text),
            Inline::Code { text } => {
                s.push('`');
                s.push_str(text);
                s.push('`');
            }
            Inline::Emphasis { content } | Inline::Strong { content } => {
                s.push_str(&plain_text(content))
            }
            Inline::Link { url, content } => {
                let t = plain_text(content);
                s.push_str(&t);
                if &t != url {
                    s.push_str(&format!(" ({url})"));
                }
            }
            Inline::Break => s.push('\n'),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    #[test]
    fn blocks() {
        let md = "# Title\n\nSome *text* and `code`\ncontinued.\n\n- one\n- two\n  more\n\n1. a\n2. b\n\n```dockerfile\nFROM x\n```\n\n> quoted\n\n---\n";
        let b = render(md);
        assert_eq!(
            b,
            vec![
                Block::Heading {
                    level: 1,
                    content: vec![t("Title")]
                },
                Block::Paragraph {
                    content: vec![
                        t("Some "),
                        Inline::Emphasis {
                            content: vec![t("text")]
                        },
                        t(" and "),
                        Inline::Code {
                            text: "code".into()
                        },
                        t(" continued.")
                    ]
                },
                Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![vec![t("one")], vec![t("two more")]]
                },
                Block::List {
                    ordered: true,
                    start: 1,
                    items: vec![vec![t("a")], vec![t("b")]]
                },
                Block::Code {
                    language: "dockerfile".into(),
                    text: "FROM x".into()
                },
                Block::Quote {
                    content: vec![t("quoted")]
                },
                Block::Rule,
            ]
        );
    }

    #[test]
    fn html_stays_text_and_unsafe_links_are_dropped() {
        let b = inline(
            "<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://docs.docker.com)",
        );
        assert_eq!(
            b,
            vec![
                t("<script>alert(1)</script> x "),
                Inline::Link {
                    url: "https://docs.docker.com".into(),
                    content: vec![t("ok")]
                }
            ]
        );
        assert!(safe_url("../samples/x"));
        assert!(safe_url("#part"));
        assert!(!safe_url("JavaScript:alert(1)"));
        assert!(!safe_url("data:text/html,x"));
        assert!(!safe_url("//evil.example"));
    }

    #[test]
    fn strong_links_escapes_and_breaks() {
        assert_eq!(
            inline("**bold** \\*not\\* snake_case_word"),
            vec![
                Inline::Strong {
                    content: vec![t("bold")]
                },
                t(" *not* snake_case_word")
            ]
        );
        assert_eq!(
            render("a  \nb"),
            vec![Block::Paragraph {
                content: vec![t("a"), Inline::Break, t("b")]
            }]
        );
        assert_eq!(
            plain_text(&inline("see [docs](https://x.y)")),
            "see docs (https://x.y)"
        );
    }

    #[test]
    fn never_panics_on_odd_input_combinations() {
        let tokens = [
            "*",
            "**",
            "_",
            "`",
            "``",
            "[",
            "]",
            "(",
            ")",
            "![",
            "<",
            ">",
            "\\",
            "#",
            "- ",
            "1. ",
            "> ",
            "```",
            "~~~",
            "\n",
            "  \n",
            "é",
            "a",
            " ",
            "http://x",
            "javascript:",
        ];
        for a in tokens {
            for b in tokens {
                for c in tokens {
                    let s = format!("{a}{b}{c}{a}");
                    let _ = render(&s);
                    let _ = plain_text(&inline(&s));
                }
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "*",
            "**",
            "`",
            "[",
            "[a](",
            "![",
            "<",
            "<a",
            "1.",
            "#",
            "####### x",
            "```",
            "> ",
            "- ",
            "\\",
            "_a_",
            "a_b_",
            "[[a]](b)",
            "é*é*",
            "`` a ` b ``",
        ] {
            let _ = render(s);
            let _ = inline(s);
        }
    }
}
