//! Source files and byte spans into them.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// A policy file's name and text, shared by every diagnostic that points into it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The file name diagnostics show.
    pub name: Arc<str>,
    /// The whole text.
    pub text: Arc<str>,
    /// Where each line starts, found once when a position is first asked
    /// for: ten thousand findings must not count the lines ten thousand times.
    lines: Arc<OnceLock<Vec<usize>>>,
}

impl SourceFile {
    /// A source from its name and text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        // A byte-order mark, as some editors save, is not part of the policy.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => Arc::from(rest),
            None => text,
        };
        SourceFile {
            name: name.into(),
            text,
            lines: Arc::default(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        line_starts(&self.lines, &self.text)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end.min(self.text.len())]
    }

    /// A miette source for rendering diagnostics.
    pub fn named_source(&self) -> NamedText {
        NamedText {
            name: self.name.clone(),
            text: self.text.clone(),
            lines: self.lines.clone(),
        }
    }
}

fn line_starts<'a>(lines: &'a OnceLock<Vec<usize>>, text: &str) -> &'a [usize] {
    lines.get_or_init(|| {
        std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect()
    })
}

/// The largest char boundary at or before `offset`.
fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A policy's text for miette, which names the file and counts columns in
/// characters (miette's own sources count bytes, and a line of Chinese
/// would put the column far to the right).
#[derive(Clone, Debug)]
pub struct NamedText {
    name: Arc<str>,
    text: Arc<str>,
    lines: Arc<OnceLock<Vec<usize>>>,
}

impl NamedText {
    /// The whole text of the policy.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The source file again, under a name, sharing its line index.
    pub fn source_file(&self, name: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: self.text.clone(),
            lines: self.lines.clone(),
        }
    }
}

impl miette::SourceCode for NamedText {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // miette reads a `str` from its start for every label: read only the
        // lines around the span, found through the line index, and count
        // the lines before them back in.
        let text: &str = &self.text;
        let start = span.offset().min(text.len());
        let starts = line_starts(&self.lines, text);
        let first = starts.partition_point(|&s| s <= start) - 1;
        let end = start.saturating_add(span.len()).min(text.len());
        let last = starts.partition_point(|&s| s <= end).max(first + 1) - 1;
        let from_line = first.saturating_sub(context_lines_before);
        let window_start = starts[from_line];
        let window_end = starts
            .get(last + context_lines_after + 2)
            .copied()
            .unwrap_or(text.len());
        let window = &text[window_start..window_end];
        let relative = miette::SourceSpan::new((start - window_start).into(), span.len());
        let inner = window.read_span(&relative, context_lines_before, context_lines_after)?;
        // A column other than 0 is measured from the line start to the span.
        let column = if inner.column() == 0 {
            0
        } else {
            text.get(starts[first]..start)
                .map_or(inner.column(), |before| before.chars().count())
        };
        let data_span = miette::SourceSpan::new(
            (inner.span().offset() + window_start).into(),
            inner.span().len(),
        );
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            data_span,
            inner.line() + from_line,
            column,
            inner.line_count() + from_line,
        )))
    }
}

/// A byte range in a source file.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.end.saturating_sub(s.start)).into()
    }
}

/// A value with the span it was written at. Equality ignores the span.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The node.
    pub node: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// A node and its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// Names are short strings written in the policy.
pub type Name = Spanned<String>;
