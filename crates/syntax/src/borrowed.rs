//! The borrowed tree that [`crate::parse_borrowed`] returns: the same facts
//! as [`Dockerfile`], kept flat. One vector holds every instruction, one
//! every flag and argument, one every heredoc; each instruction refers to
//! its parts by index range, and each string is a byte range of the parsed
//! text, or of one side buffer for the few values that are not a slice of
//! it (joined continuation lines, decoded JSON escapes, flags with quotes).
//! Parsing so allocates nothing per instruction, and reading a value is a
//! slice.
//!
//! [`InstructionRef`] reads one instruction; [`BorrowedDockerfile::into_owned`]
//! gives the owned [`Dockerfile`] that [`crate::parse`] returns.

use std::borrow::Cow;

use crate::ast::{Arg, Directive, Dockerfile, Flag, Heredoc, Instruction, Warning};
use crate::span::Span;

/// Tag bit of [`Str::off`]: the range is in the side buffer, not the text.
/// Offsets never reach it (no allocation exceeds `isize::MAX` bytes).
pub(crate) const EXTRA: usize = !(usize::MAX >> 1);

/// A string of the tree: `len` bytes at `off` in the parsed text, or in the
/// side buffer when `off` has the [`EXTRA`] bit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Str {
    pub(crate) off: usize,
    pub(crate) len: usize,
}

/// An argument or a flag: its value and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) val: Str,
    pub(crate) span: Span,
}

/// A heredoc as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeredocRec {
    pub(crate) name: Str,
    pub(crate) file_descriptor: u64,
    pub(crate) expand: bool,
    pub(crate) chomp: bool,
    pub(crate) content: Str,
    pub(crate) span: Span,
}

/// An instruction as stored: its strings, and index ranges into the
/// vectors of items (flags, then arguments) and heredocs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) keyword: Str,
    pub(crate) keyword_span: Span,
    pub(crate) original: Str,
    pub(crate) span: Span,
    /// Its flags are `items[0]..items[1]` of [`Parts::items`], its
    /// arguments `items[1]..items[2]`.
    pub(crate) items: [usize; 3],
    pub(crate) heredocs: (usize, usize),
    /// ONBUILD's inner instruction: its index in `subs` plus one (0: none).
    pub(crate) sub: usize,
    pub(crate) start_line: usize,
    pub(crate) end_line: usize,
    pub(crate) json: bool,
}

/// What instructions refer to, besides the side buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parts {
    /// Text written while an instruction is parsed (its logical line may be
    /// in the side buffer, read meanwhile), appended to the side buffer
    /// after it.
    pub(crate) pending: String,
    /// Length of the side buffer when `pending` started.
    pub(crate) pending_base: usize,
    /// ONBUILD's inner instructions.
    pub(crate) subs: Vec<Node>,
    /// Flags and arguments, each instruction's flags followed by its
    /// arguments.
    pub(crate) items: Vec<Item>,
    pub(crate) heredocs: Vec<HeredocRec>,
}

/// A parsed Dockerfile that borrows from its text (see the module
/// documentation). Read it with [`instructions`](Self::instructions), or
/// convert it with [`into_owned`](Self::into_owned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BorrowedDockerfile<'a> {
    pub(crate) src: &'a str,
    /// The top-level instructions.
    pub(crate) nodes: Vec<Node>,
    /// Text that is not a slice of the parsed text.
    pub(crate) extra: String,
    pub(crate) parts: Parts,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive<&'a str>>,
    /// Warnings found while parsing (e.g. empty continuation lines).
    pub warnings: Vec<Warning>,
    /// The escape character in force (`\` unless `# escape=` changed it).
    pub escape: char,
}

impl Parts {
    /// Writes `s` (to `pending`) and returns where it will be in the side
    /// buffer.
    #[inline]
    pub(crate) fn push_text(&mut self, s: &str) -> Str {
        let off = self.pending_base + self.pending.len();
        self.pending.push_str(s);
        Str {
            off: EXTRA | off,
            len: s.len(),
        }
    }
}

impl<'a> BorrowedDockerfile<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        BorrowedDockerfile {
            src,
            nodes: Vec::new(),
            extra: String::new(),
            parts: Parts::default(),
            directives: Vec::new(),
            warnings: Vec::new(),
            escape: '\\',
        }
    }

    /// The text a [`Str`] names.
    #[inline]
    pub(crate) fn str(&self, s: Str) -> &str {
        let (buf, off) = if s.off & EXTRA == 0 {
            (self.src, s.off)
        } else {
            (self.extra.as_str(), s.off & !EXTRA)
        };
        buf.get(off..off + s.len).unwrap_or("")
    }

    /// Number of top-level instructions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when there is no instruction (never for a successful parse).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The `i`-th top-level instruction.
    pub fn get(&self, i: usize) -> Option<InstructionRef<'_>> {
        self.nodes
            .get(i)
            .map(|node| InstructionRef { file: self, node })
    }

    /// The top-level instructions, in file order.
    pub fn instructions(&self) -> impl ExactSizeIterator<Item = InstructionRef<'_>> + '_ {
        self.nodes
            .iter()
            .map(|node| InstructionRef { file: self, node })
    }

    /// The owned tree, as [`crate::parse`] returns it.
    pub fn into_owned(self) -> Dockerfile {
        Dockerfile {
            instructions: self.instructions().map(|i| i.to_instruction()).collect(),
            directives: self
                .directives
                .iter()
                .map(Directive::to_owned_directive)
                .collect(),
            warnings: self.warnings,
            escape: self.escape,
        }
    }

    /// The tree as [`Dockerfile`] over `Cow` strings, borrowing from the
    /// text wherever a value is a slice of it.
    pub fn to_cow(&self) -> Dockerfile<Cow<'a, str>> {
        Dockerfile {
            instructions: self.nodes.iter().map(|n| self.cow_node(n)).collect(),
            directives: self
                .directives
                .iter()
                .map(Directive::to_owned_directive)
                .collect(),
            warnings: self.warnings.clone(),
            escape: self.escape,
        }
    }

    fn cow(&self, s: Str) -> Cow<'a, str> {
        if s.off & EXTRA == 0 {
            Cow::Borrowed(self.src.get(s.off..s.off + s.len).unwrap_or(""))
        } else {
            Cow::Owned(self.str(s).to_string())
        }
    }

    fn cow_node(&self, n: &Node) -> Instruction<Cow<'a, str>> {
        // ONBUILD nests: build from the innermost out (no recursion).
        let mut chain = vec![n];
        while let Some(sub) = chain.last().and_then(|n| self.sub_node(n)) {
            chain.push(sub);
        }
        let mut inner: Option<Box<Instruction<Cow<'a, str>>>> = None;
        while let Some(n) = chain.pop() {
            let mut ins = self.cow_node_alone(n);
            ins.sub = inner.take();
            if chain.is_empty() {
                return ins;
            }
            inner = Some(Box::new(ins));
        }
        self.cow_node_alone(n)
    }

    fn cow_node_alone(&self, n: &Node) -> Instruction<Cow<'a, str>> {
        let item = |i: &Item| (self.cow(i.val), i.span);
        Instruction {
            keyword: self.cow(n.keyword),
            keyword_span: n.keyword_span,
            flags: self.parts.items[n.items[0]..n.items[1]]
                .iter()
                .map(item)
                .map(|(text, span)| Flag { text, span })
                .collect(),
            args: self.parts.items[n.items[1]..n.items[2]]
                .iter()
                .map(item)
                .map(|(value, span)| Arg { value, span })
                .collect(),
            json: n.json,
            sub: None,
            original: self.cow(n.original),
            heredocs: self.parts.heredocs[n.heredocs.0..n.heredocs.1]
                .iter()
                .map(|h| Heredoc {
                    name: self.cow(h.name),
                    file_descriptor: h.file_descriptor,
                    expand: h.expand,
                    chomp: h.chomp,
                    content: self.cow(h.content),
                    span: h.span,
                })
                .collect(),
            start_line: n.start_line,
            end_line: n.end_line,
            span: n.span,
        }
    }

    fn sub_node(&self, n: &Node) -> Option<&Node> {
        n.sub.checked_sub(1).and_then(|i| self.parts.subs.get(i))
    }
}

/// One instruction of a [`BorrowedDockerfile`]: the fields of
/// [`Instruction`], read as methods.
#[derive(Debug, Clone, Copy)]
pub struct InstructionRef<'t> {
    file: &'t BorrowedDockerfile<'t>,
    node: &'t Node,
}

impl<'t> InstructionRef<'t> {
    /// The keyword exactly as written (`RUN`, `run`, `Copy`...).
    pub fn keyword(&self) -> &'t str {
        self.file.str(self.node.keyword)
    }

    /// Where the keyword is.
    pub fn keyword_span(&self) -> Span {
        self.node.keyword_span
    }

    /// The keyword in upper case (`RUN`), the form Docker prints.
    pub fn name(&self) -> String {
        self.keyword().to_ascii_uppercase()
    }

    /// True when the keyword is `kw`, ignoring case.
    pub fn is(&self, kw: &str) -> bool {
        self.keyword().eq_ignore_ascii_case(kw)
    }

    /// Flags (`--from=build`), quotes removed and escapes resolved.
    pub fn flags(&self) -> impl ExactSizeIterator<Item = Flag<&'t str>> + 't {
        let file = self.file;
        let [a, b, _] = self.node.items;
        file.parts.items[a..b].iter().map(move |i| Flag {
            text: file.str(i.val),
            span: i.span,
        })
    }

    /// The node's values (see [`Instruction::args`]).
    pub fn args(&self) -> impl ExactSizeIterator<Item = Arg<&'t str>> + 't {
        let file = self.file;
        let [_, a, b] = self.node.items;
        file.parts.items[a..b].iter().map(move |i| Arg {
            value: file.str(i.val),
            span: i.span,
        })
    }

    /// True when the arguments were written as a JSON array (exec form).
    pub fn json(&self) -> bool {
        self.node.json
    }

    /// ONBUILD's inner instruction.
    pub fn sub(&self) -> Option<InstructionRef<'t>> {
        let file = self.file;
        file.sub_node(self.node)
            .map(|node| InstructionRef { file, node })
    }

    /// The logical line (see [`Instruction::original`]).
    pub fn original(&self) -> &'t str {
        self.file.str(self.node.original)
    }

    /// Heredocs attached to this instruction, in order.
    pub fn heredocs(&self) -> impl ExactSizeIterator<Item = Heredoc<&'t str>> + 't {
        let file = self.file;
        let (a, b) = self.node.heredocs;
        file.parts.heredocs[a..b].iter().map(move |h| Heredoc {
            name: file.str(h.name),
            file_descriptor: h.file_descriptor,
            expand: h.expand,
            chomp: h.chomp,
            content: file.str(h.content),
            span: h.span,
        })
    }

    /// 1-based line where the instruction starts (as BuildKit reports it).
    pub fn start_line(&self) -> usize {
        self.node.start_line
    }

    /// 1-based line where it ends (heredoc terminators included).
    pub fn end_line(&self) -> usize {
        self.node.end_line
    }

    /// From the keyword to the end of the last line of the instruction.
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// The owned instruction.
    pub fn to_instruction(self) -> Instruction {
        if self.sub().is_none() {
            return self.to_instruction_alone();
        }
        // ONBUILD nests: build from the innermost out (no recursion).
        let mut chain = vec![self];
        while let Some(sub) = chain.last().and_then(InstructionRef::sub) {
            chain.push(sub);
        }
        let mut inner: Option<Box<Instruction>> = None;
        while let Some(i) = chain.pop() {
            let mut ins = i.to_instruction_alone();
            ins.sub = inner.take();
            if chain.is_empty() {
                return ins;
            }
            inner = Some(Box::new(ins));
        }
        self.to_instruction_alone()
    }

    /// The owned instruction without its inner one.
    fn to_instruction_alone(self) -> Instruction {
        Instruction {
            keyword: self.keyword().to_string(),
            keyword_span: self.node.keyword_span,
            flags: self
                .flags()
                .map(|f| Flag {
                    text: f.text.to_string(),
                    span: f.span,
                })
                .collect(),
            args: self
                .args()
                .map(|a| Arg {
                    value: a.value.to_string(),
                    span: a.span,
                })
                .collect(),
            json: self.node.json,
            sub: None,
            original: self.original().to_string(),
            heredocs: self
                .heredocs()
                .map(|h| Heredoc {
                    name: h.name.to_string(),
                    file_descriptor: h.file_descriptor,
                    expand: h.expand,
                    chomp: h.chomp,
                    content: h.content.to_string(),
                    span: h.span,
                })
                .collect(),
            start_line: self.node.start_line,
            end_line: self.node.end_line,
            span: self.node.span,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse, parse_borrowed};

    const TEXT: &str = "# syntax=docker/dockerfile:1\n\
FROM alpine AS base\n\
COPY --chown=\"a b\" --from=base ./x /y\n\
ENV A=1 \\\n  B=\"two words\"\n\
ONBUILD ONBUILD RUN [\"echo\", \"\\u00e9\"]\n\
RUN <<EOF\necho hi\nEOF\n\
LABEL k=v\n";

    #[test]
    fn borrowed_tree_reads_as_the_owned_one() {
        let Ok(file) = parse_borrowed(TEXT) else {
            panic!("parses")
        };
        let Ok(owned) = parse(TEXT) else {
            panic!("parses")
        };
        assert_eq!(file.clone().into_owned(), owned);
        assert_eq!(file.to_cow().into_owned(), owned);
        assert_eq!(file.len(), owned.instructions.len());
        for (i, o) in file.instructions().zip(&owned.instructions) {
            assert_eq!(i.keyword(), o.keyword);
            assert_eq!(i.keyword_span(), o.keyword_span);
            assert_eq!(i.original(), o.original);
            assert_eq!(i.span(), o.span);
            assert_eq!((i.start_line(), i.end_line()), (o.start_line, o.end_line));
            assert_eq!(i.json(), o.json);
            let args: Vec<_> = i.args().map(|a| (a.value, a.span)).collect();
            let want: Vec<_> = o.args.iter().map(|a| (a.value.as_str(), a.span)).collect();
            assert_eq!(args, want);
            let flags: Vec<_> = i.flags().map(|f| f.text).collect();
            let want: Vec<_> = o.flags.iter().map(|f| f.text.as_str()).collect();
            assert_eq!(flags, want);
            assert_eq!(i.heredocs().len(), o.heredocs.len());
            assert_eq!(i.to_instruction(), *o);
        }
        let copy = file
            .get(1)
            .map(|i| i.flags().map(|f| f.text).collect::<Vec<_>>());
        assert_eq!(copy, Some(vec!["--chown=a b", "--from=base"]));
        let inner = file.get(3).and_then(|i| i.sub()).and_then(|i| i.sub());
        let values = inner.map(|i| i.args().map(|a| a.value).collect::<Vec<_>>());
        assert_eq!(values, Some(vec!["echo", "é"]));
        let doc = file.get(4).and_then(|i| i.heredocs().next());
        assert_eq!(doc.map(|h| (h.name, h.content)), Some(("EOF", "echo hi\n")));
        assert_eq!(file.directives.len(), 1);
        assert_eq!(file.directives[0].value, "docker/dockerfile:1");
    }

    #[test]
    fn deep_onbuild_nesting_is_no_recursion() {
        // Each level is a continuation piece, so no physical line is long.
        let text = format!("{}RUN x\n", "ONBUILD \\\n".repeat(50_000));
        let Ok(file) = parse_borrowed(&text) else {
            panic!("parses")
        };
        let mut depth = 0;
        let mut node = file.get(0);
        while let Some(i) = node {
            depth += 1;
            node = i.sub();
        }
        assert_eq!(depth, 50_001);
        // The owned tree copies each level's line: keep it small.
        let text = format!("{}RUN x\n", "ONBUILD \\\n".repeat(2_000));
        assert!(parse(&text).is_ok());
    }
}
