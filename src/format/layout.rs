//! Lines, blank lines, cite columns and comments: what the printers of
//! items and decisions share.

use super::doc::{self, width, Doc, Rendered};
use crate::ast::{Cite, Policy};

/// How far a cite stands from the code before it, at the least.
const CITE_GAP: usize = 2;

/// A comment in the source: from `#` to the end of its line.
#[derive(Clone, Debug)]
pub(super) struct Comment {
    pub start: usize,
    pub text: String,
    /// Nothing but blanks before it on its line.
    pub own_line: bool,
}

/// A statement's printed lines, and the cite that follows its last line.
pub(super) struct Unit {
    pub lines: Vec<Rendered>,
    /// Where the statement starts in the source: a blank line written
    /// before it is kept.
    pub pos: Option<usize>,
    pub cite: Option<(String, usize)>,
    /// Whether its cite takes part in choosing the column cites align to.
    pub aligned: bool,
}

impl Unit {
    pub fn new(lines: Vec<Rendered>, pos: Option<usize>) -> Self {
        Unit {
            lines,
            pos,
            cite: None,
            aligned: true,
        }
    }

    pub fn with_cite(mut self, cite: Option<&Cite>) -> Self {
        self.cite = cite.map(|c| (cite_text(c), c.source.span.start));
        self
    }
}

pub(super) fn cite_text(c: &Cite) -> String {
    let Cite { source, quote } = c;
    format!("cite {} \"{}\"", source.node, quote.node)
}

/// Whether a line only closes a block.
fn closes(line: &Rendered) -> bool {
    line.text.trim() == "}"
}

/// An output line before comments are put back.
struct Line {
    text: String,
    first: Option<usize>,
    last: Option<usize>,
    /// A statement's first line: a blank line the source has before
    /// `blank_src` is kept.
    blank_src: Option<usize>,
    force_blank: bool,
}

/// What the printers of items and decisions write to.
pub(super) struct Printer<'s> {
    pub src: &'s str,
    pub width: usize,
    /// Offsets of the tokens (not comments), start and end.
    tokens: Vec<(usize, usize)>,
    comments: Vec<Comment>,
    lines: Vec<Line>,
}

impl<'s> Printer<'s> {
    fn new(src: &'s str, width: usize) -> Self {
        let (tokens, comments) = scan(src);
        Printer {
            src,
            width,
            tokens,
            comments,
            lines: Vec::new(),
        }
    }

    pub fn render(&self, d: &Doc, indent: usize) -> Vec<Rendered> {
        doc::render(d, indent, self.width)
    }

    /// The document with every group flat, whatever its width.
    pub fn render_flat(&self, d: &Doc, indent: usize) -> Vec<Rendered> {
        doc::render(d, indent, usize::MAX / 4)
    }

    /// The document on one line that fits, if it can be had.
    pub fn one_line(&self, d: &Doc, indent: usize) -> Option<Vec<Rendered>> {
        let lines = self.render(d, indent);
        (lines.len() == 1 && lines[0].width() <= self.width).then_some(lines)
    }

    /// The token that ends at or before `pos`.
    pub fn token_before(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self.tokens.partition_point(|t| t.1 <= pos);
        i.checked_sub(1).map(|i| self.tokens[i])
    }

    /// Where the next `}` after `pos` is.
    pub fn close_after(&self, pos: usize) -> Option<usize> {
        let i = self.tokens.partition_point(|t| t.0 < pos);
        self.tokens[i..]
            .iter()
            .find(|t| &self.src[t.0..t.1] == "}")
            .map(|t| t.0)
    }

    /// Whether a comment lies strictly inside the range.
    pub fn comment_within(&self, start: usize, end: usize) -> bool {
        self.comments
            .iter()
            .any(|c| c.start > start && c.start < end)
    }

    pub fn token_text(&self, t: (usize, usize)) -> &str {
        &self.src[t.0..t.1]
    }

    /// Add statements: each one's first line keeps a blank line written
    /// before it; `force_blank` puts one before the first.
    pub fn push_units(&mut self, units: Vec<Unit>, mut force_blank: bool) {
        for u in units {
            for (i, r) in u.lines.into_iter().enumerate() {
                self.lines.push(Line {
                    text: r.text,
                    first: r.first,
                    last: r.last,
                    blank_src: if i == 0 { u.pos } else { None },
                    force_blank: i == 0 && force_blank,
                });
            }
            force_blank = false;
        }
    }

    /// Add one line of text at `indent`, standing for the source at `pos`.
    pub fn push_line(&mut self, indent: usize, s: &str, pos: Option<usize>, stmt: bool) {
        self.lines.push(Line {
            text: format!("{}{s}", " ".repeat(indent)),
            first: pos,
            last: pos,
            blank_src: if stmt { pos } else { None },
            force_blank: false,
        });
    }

    /// Put each unit's cite after its last line, aligned in one column
    /// where the width allows.
    pub fn place_cites(&self, units: &mut [Unit]) {
        let with_cite: Vec<(usize, usize, bool)> = units
            .iter()
            .filter_map(|u| {
                let (c, _) = u.cite.as_ref()?;
                let last = u.lines.last()?;
                Some((last.width(), width(c), u.aligned && !closes(last)))
            })
            .collect();
        let fitting = with_cite
            .iter()
            .filter(|(w, c, a)| *a && w + CITE_GAP + c <= self.width)
            .map(|(w, _, _)| w + CITE_GAP)
            .max();
        for u in units.iter_mut() {
            let Some((cite, pos)) = u.cite.clone() else {
                continue;
            };
            let last = u.lines.last_mut().expect("a unit has a line");
            let w = last.width();
            match fitting {
                // `}` closing an outcome's fields: the cite follows it, as
                // it follows `} => OUTCOME` in a `require`.
                _ if closes(last) => last.text.push(' '),
                Some(column) if w + CITE_GAP <= column => {
                    last.text.push_str(&" ".repeat(column - w))
                }
                _ if w + CITE_GAP + width(&cite) <= self.width => {
                    last.text.push_str(&" ".repeat(CITE_GAP))
                }
                _ => {
                    // Under the line, in the column, or indented under the statement.
                    let first = &u.lines[0].text;
                    let indent = first.len() - first.trim_start().len() + 2 * CITE_GAP;
                    u.lines.push(Rendered {
                        text: " ".repeat(fitting.unwrap_or(indent)),
                        ..Rendered::default()
                    });
                }
            }
            let last = u.lines.last_mut().expect("a unit has a line");
            last.text.push_str(&cite);
            last.first = Some(last.first.map_or(pos, |f| f.min(pos)));
            last.last = Some(last.last.map_or(pos, |l| l.max(pos)));
        }
    }

    /// The lines with the comments put back, blank lines kept or added.
    fn finish(self) -> String {
        let n = self.lines.len();
        let mut before: Vec<Vec<&Comment>> = vec![Vec::new(); n];
        let mut after: Vec<Vec<&Comment>> = vec![Vec::new(); n];
        let mut at_end = Vec::new();
        for c in &self.comments {
            if !c.own_line {
                let holder = self
                    .lines
                    .iter()
                    .rposition(|l| l.first.is_some_and(|f| f < c.start));
                if let Some(i) = holder {
                    after[i].push(c);
                    continue;
                }
            }
            match self
                .lines
                .iter()
                .position(|l| l.last.is_some_and(|p| p > c.start))
            {
                Some(i) => before[i].push(c),
                None => at_end.push(c),
            }
        }
        // A comment on a line of its own that was written after a line's
        // end-of-line comment (`l # e`, then `#`, then `else p`, printed as
        // one line) cannot go before the line while the other stays at its
        // end: the end-of-line comments written before it go before the
        // line with it, in their order.
        for (ends, heads) in after.iter_mut().zip(before.iter_mut()) {
            let Some(last_head) = heads.iter().map(|c| c.start).max() else {
                continue;
            };
            let earlier = ends.partition_point(|c| c.start < last_head);
            if earlier > 0 {
                heads.extend(ends.drain(..earlier));
                heads.sort_by_key(|c| c.start);
            }
        }
        // A line ends with one comment at most: two would read as one
        // (`w,  # c  # d`). Any more go on their own lines before the next,
        // and so does one written after a comment that goes there (comments
        // keep their order).
        for (i, ends) in after.iter_mut().enumerate() {
            let next = before.get_mut(i + 1).unwrap_or(&mut at_end);
            let first_next = next.first().map(|c| c.start);
            let behind = ends
                .first()
                .zip(first_next)
                .is_some_and(|(c, f)| f < c.start);
            let keep = usize::from(!behind);
            if ends.len() > keep {
                next.extend(ends.drain(keep..));
                next.sort_by_key(|c| c.start);
            }
        }
        let mut out = Output::default();
        for (i, line) in self.lines.iter().enumerate() {
            let indent = line.text.len() - line.text.trim_start().len();
            let closes = line.text.trim_start().starts_with('}');
            let comment_indent = if closes { indent + 2 } else { indent };
            let mut force = line.force_blank;
            for c in &before[i] {
                let blank = force || blank_before(self.src, c.start);
                out.push(
                    &format!("{}{}", " ".repeat(comment_indent), c.text),
                    blank,
                    false,
                );
                force = false;
            }
            let blank = force || line.blank_src.is_some_and(|p| blank_before(self.src, p));
            let mut text = line.text.clone();
            for c in &after[i] {
                text.push_str("  ");
                text.push_str(&c.text);
            }
            out.push(&text, blank && !closes, line.text.trim_end().ends_with('{'));
        }
        for c in at_end {
            out.push(&c.text, blank_before(self.src, c.start), false);
        }
        out.text
    }
}

/// The text being written, and whether the last line opened a block.
#[derive(Default)]
struct Output {
    text: String,
    opened: bool,
}

impl Output {
    fn push(&mut self, line: &str, blank: bool, opens: bool) {
        if blank && !self.text.is_empty() && !self.opened {
            self.text.push('\n');
        }
        self.text.push_str(line.trim_end());
        self.text.push('\n');
        self.opened = opens;
    }
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{feff}')
}

/// Whether an empty line comes right before `pos` in the source.
fn blank_before(src: &str, pos: usize) -> bool {
    let newlines = src[..pos]
        .chars()
        .rev()
        .take_while(|c| is_blank(*c))
        .filter(|c| *c == '\n')
        .count();
    newlines >= 2
}

/// The tokens and comments of a source text.
fn scan(src: &str) -> (Vec<(usize, usize)>, Vec<Comment>) {
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let mut code_on_line = false;
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            code_on_line = false;
        } else if is_blank(c) {
        } else if c == '#' {
            let end = src[i..].find('\n').map_or(src.len(), |e| i + e);
            comments.push(Comment {
                start: i,
                text: src[i..end].trim_end().to_string(),
                own_line: !code_on_line,
            });
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
        } else {
            code_on_line = true;
            let mut end = i + c.len_utf8();
            if c == '"' {
                while let Some((j, d)) = chars.peek().copied() {
                    if d == '\n' {
                        break;
                    }
                    chars.next();
                    end = j + d.len_utf8();
                    if d == '"' {
                        break;
                    }
                }
            } else if c.is_ascii_alphanumeric() || c == '_' {
                while let Some((j, d)) = chars.peek().copied() {
                    if !(d.is_ascii_alphanumeric() || d == '_') {
                        break;
                    }
                    chars.next();
                    end = j + d.len_utf8();
                }
            }
            tokens.push((i, end));
        }
    }
    (tokens, comments)
}

/// The comments of a text, in order: formatting must keep every one.
pub(super) fn comment_texts(src: &str) -> Vec<String> {
    scan(src).1.into_iter().map(|c| c.text).collect()
}

/// The whole file in its canonical layout.
pub(super) fn print(src: &str, policy: &Policy, width: usize) -> String {
    let mut p = Printer::new(src, width.max(20));
    super::items::policy(&mut p, policy);
    p.finish()
}
