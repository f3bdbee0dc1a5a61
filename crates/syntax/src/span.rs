//! Source positions: byte ranges in the core, line and column at the edges.
//!
//! Every node of the tree carries a [`Span`], a half-open range of UTF-8 byte
//! offsets into the text that was parsed. [`LineIndex`] turns offsets into
//! 1-based lines and columns (in characters, or in UTF-16 code units for
//! editors that count that way).

/// A half-open range of byte offsets `start..end` into the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub fn empty(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A point in the text: 1-based line and column, and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (characters).
    pub column: usize,
    /// 0-based byte offset.
    pub offset: usize,
}

/// Maps byte offsets to lines and columns.
///
/// Lines end at `\n`, as BuildKit's scanner splits them.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, line_starts }
    }

    /// Number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 1-based `line` starts (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        let i = line.saturating_sub(1).min(self.line_starts.len() - 1);
        self.line_starts[i]
    }

    /// The position of byte `offset` (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line0 = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line0];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line0 + 1,
            column,
            offset,
        }
    }

    /// The 0-based UTF-16 column of byte `offset` on its line (what
    /// JavaScript editors count).
    pub fn utf16_column(&self, offset: usize) -> usize {
        let p = self.position(offset);
        let start = self.line_starts[p.line - 1];
        self.text[start..p.offset].encode_utf16().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let idx = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(0).line, 1);
        let p = idx.position(5); // 'd' after the two-byte 'ç'
        assert_eq!((p.line, p.column), (2, 2));
        assert_eq!(idx.position(7).line, 3);
        assert_eq!(idx.position(99).line, 4);
        // inside the two-byte character: moved back to its start
        assert_eq!(idx.position(4).column, 1);
        assert_eq!(idx.utf16_column(5), 1);
    }
}
