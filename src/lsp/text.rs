//! Positions as the editor counts them (lines, and columns in UTF-16 code
//! units or in bytes, as negotiated) against byte offsets into the text.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::source::Span;

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of a text starts.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    encoding: Encoding,
}

impl LineIndex {
    pub fn new(text: &str, encoding: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, encoding }
    }

    /// The editor's position of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &text[self.starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of an editor's position, clamped to its line.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |e| e - 1);
        let line = &text[start..end];
        let want = pos.character as usize;
        let mut counted = 0;
        for (i, c) in line.char_indices() {
            if counted >= want {
                return start + i;
            }
            counted += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    pub fn span(&self, text: &str, range: Range) -> Span {
        Span::new(self.offset(text, range.start), self.offset(text, range.end))
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Apply the editor's changes, in order, to a text.
pub fn apply_changes(
    text: &mut String,
    changes: Vec<TextDocumentContentChangeEvent>,
    encoding: Encoding,
) {
    for change in changes {
        match change.range {
            Some(range) => {
                let index = LineIndex::new(text, encoding);
                let span = index.span(text, range);
                let end = span.end.max(span.start);
                text.replace_range(span.start..end, &change.text);
            }
            None => *text = change.text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let text = "a\n¥300 \"下单\" x\n";
        let x = text.find(" x").unwrap() + 1;
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(text, x), Position::new(1, 10));
        assert_eq!(utf16.offset(text, Position::new(1, 10)), x);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(text, x), Position::new(1, 15));
        assert_eq!(utf8.offset(text, Position::new(1, 15)), x);
        // Past the end of a line: the end of that line.
        assert_eq!(utf16.offset(text, Position::new(0, 40)), 1);
    }

    #[test]
    fn changes_apply_in_order() {
        let mut text = "param a = ¥1\n".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        apply_changes(
            &mut text,
            vec![change(0, 6, 0, 7, "limit"), change(0, 15, 0, 16, "300")],
            Encoding::Utf16,
        );
        assert_eq!(text, "param limit = ¥300\n");
    }
}
