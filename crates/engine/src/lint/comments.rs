//! The comment lines BuildKit's parser attaches to each instruction
//! (`Node.PrevComment`): the comment lines since the previous instruction,
//! each with its first character (normally `#`) removed and then trimmed;
//! an empty comment (`#` alone) drops the ones before it, blank lines do
//! not; parser directives are not comments.

use layerlab_syntax::{Dockerfile, LineIndex};

/// For each top-level instruction, its preceding comments.
pub fn previous_comments(file: &Dockerfile, source: &str) -> Vec<Vec<String>> {
    let index = LineIndex::new(source);
    let directive_lines: Vec<usize> = file.directives.iter().map(|d| d.line).collect();
    let mut out = Vec::with_capacity(file.instructions.len());
    let mut next_line = 1;
    for ins in &file.instructions {
        let mut comments: Vec<String> = Vec::new();
        for line in next_line..ins.start_line {
            let text = line_text(source, &index, line);
            let text = if line == 1 {
                text.strip_prefix('\u{FEFF}').unwrap_or(text)
            } else {
                text
            };
            if !text.trim_start().starts_with('#') {
                continue;
            }
            if directive_lines.contains(&line) {
                continue;
            }
            // BuildKit drops the line's first byte, whatever it is, then
            // trims: "  # x" gives "# x".
            let rest = text.get(1..).unwrap_or_else(|| {
                let mut chars = text.chars();
                chars.next();
                chars.as_str()
            });
            let comment = rest.trim();
            if comment.is_empty() {
                comments.clear();
            } else {
                comments.push(comment.to_string());
            }
        }
        out.push(comments);
        next_line = ins.end_line + 1;
    }
    out
}

/// The text of 1-based `line`, without its line ending.
fn line_text<'a>(source: &'a str, index: &LineIndex<'_>, line: usize) -> &'a str {
    if line == 0 || line > index.line_count() {
        return "";
    }
    let start = index.line_start(line);
    let rest = source.get(start..).unwrap_or("");
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end].trim_end_matches(['\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_comments() {
        let src =
            "# check=skip=all\n# one\n\n# two\nFROM a\n#\n# three\nRUN x\nRUN y\n  # four\nRUN z\n";
        let Ok(file) = layerlab_syntax::parse(src) else {
            panic!("parse failed")
        };
        let c = previous_comments(&file, src);
        assert_eq!(c[0], ["one", "two"]);
        assert_eq!(c[1], ["three"]);
        assert!(c[2].is_empty());
        assert_eq!(c[3], ["# four"]);
    }
}
