//! A small pretty-printing document (Wadler and Oppen's, as prettier has
//! it): text, line breaks that a group takes flat or broken, and indents.
//! Text remembers the source offset it was printed from, so comments can be
//! put back on the line that holds their neighbours.

use unicode_width::UnicodeWidthStr;

/// A layout with choices: each group is printed flat if it fits the width,
/// else broken.
#[derive(Clone, Debug)]
pub(super) enum Doc {
    /// Text without newlines, and the source offset it stands for.
    Text(String, Option<usize>),
    /// A space when flat, a newline when broken.
    Line,
    /// Nothing when flat, a newline when broken.
    SoftLine,
    Concat(Vec<Doc>),
    /// Flat if it fits.
    Group(Box<Doc>),
    /// Broken lines inside are indented this much more.
    Nest(usize, Box<Doc>),
    /// Broken lines inside are indented to the column where it starts.
    Align(Box<Doc>),
    /// The first when the enclosing group is broken, the second when flat.
    IfBreak(Box<Doc>, Box<Doc>),
}

pub(super) fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into(), None)
}

/// Text printed from the source at `pos`.
pub(super) fn at(s: impl Into<String>, pos: usize) -> Doc {
    Doc::Text(s.into(), Some(pos))
}

pub(super) fn concat(parts: Vec<Doc>) -> Doc {
    Doc::Concat(parts)
}

pub(super) fn group(d: Doc) -> Doc {
    Doc::Group(Box::new(d))
}

pub(super) fn nest(n: usize, d: Doc) -> Doc {
    Doc::Nest(n, Box::new(d))
}

pub(super) fn align(d: Doc) -> Doc {
    Doc::Align(Box::new(d))
}

pub(super) fn if_break(broken: Doc, flat: Doc) -> Doc {
    Doc::IfBreak(Box::new(broken), Box::new(flat))
}

/// Display width of text (a Chinese character takes two columns).
pub(super) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// One printed line: its text with indentation, and the source offsets of
/// the text on it.
#[derive(Clone, Debug, Default)]
pub(super) struct Rendered {
    pub text: String,
    pub first: Option<usize>,
    pub last: Option<usize>,
}

impl Rendered {
    pub fn width(&self) -> usize {
        width(&self.text)
    }

    fn mark(&mut self, pos: usize) {
        self.first = Some(self.first.map_or(pos, |f| f.min(pos)));
        self.last = Some(self.last.map_or(pos, |l| l.max(pos)));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

type Cmd<'d> = (usize, Mode, &'d Doc);

/// Print a document whose first line starts at column `indent`, fitting
/// `max_width` columns where it can.
pub(super) fn render(doc: &Doc, indent: usize, max_width: usize) -> Vec<Rendered> {
    let mut lines = vec![Rendered {
        text: " ".repeat(indent),
        ..Rendered::default()
    }];
    let mut col = indent;
    let mut stack: Vec<Cmd> = vec![(indent, Mode::Break, doc)];
    while let Some((ind, mode, d)) = stack.pop() {
        match d {
            Doc::Text(s, pos) => {
                let line = lines.last_mut().expect("a line is open");
                line.text.push_str(s);
                col += width(s);
                if let Some(p) = pos {
                    line.mark(*p);
                }
            }
            Doc::Line if mode == Mode::Flat => {
                lines.last_mut().expect("a line is open").text.push(' ');
                col += 1;
            }
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine => {
                let line = lines.last_mut().expect("a line is open");
                line.text.truncate(line.text.trim_end().len());
                lines.push(Rendered {
                    text: " ".repeat(ind),
                    ..Rendered::default()
                });
                col = ind;
            }
            Doc::Concat(parts) => {
                for p in parts.iter().rev() {
                    stack.push((ind, mode, p));
                }
            }
            Doc::Group(inner) => {
                let flat = mode == Mode::Flat
                    || fits(
                        max_width as isize - col as isize,
                        (ind, Mode::Flat, inner),
                        &stack,
                    );
                stack.push((ind, if flat { Mode::Flat } else { Mode::Break }, inner));
            }
            Doc::Nest(n, inner) => stack.push((ind + n, mode, inner)),
            Doc::Align(inner) => stack.push((col, mode, inner)),
            Doc::IfBreak(broken, flat) => {
                stack.push((ind, mode, if mode == Mode::Break { broken } else { flat }))
            }
        }
    }
    lines
}

/// Whether `next`, and what follows it up to the next line break, fits in
/// `room` columns.
fn fits(mut room: isize, next: Cmd, rest: &[Cmd]) -> bool {
    let mut rest_at = rest.len();
    let mut todo = vec![next];
    loop {
        let (ind, mode, d) = match todo.pop() {
            Some(c) => c,
            None if rest_at == 0 => return true,
            None => {
                rest_at -= 1;
                rest[rest_at]
            }
        };
        match d {
            Doc::Text(s, _) => {
                room -= width(s) as isize;
                if room < 0 {
                    return false;
                }
            }
            Doc::Line if mode == Mode::Flat => room -= 1,
            Doc::SoftLine if mode == Mode::Flat => {}
            Doc::Line | Doc::SoftLine => return true,
            Doc::Concat(parts) => {
                for p in parts.iter().rev() {
                    todo.push((ind, mode, p));
                }
            }
            Doc::Group(inner) => todo.push((ind, mode, inner)),
            Doc::Nest(_, inner) | Doc::Align(inner) => todo.push((ind, mode, inner)),
            Doc::IfBreak(broken, flat) => {
                todo.push((ind, mode, if mode == Mode::Break { broken } else { flat }))
            }
        }
        if room < 0 {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(d: &Doc, w: usize) -> String {
        render(d, 0, w)
            .into_iter()
            .map(|l| l.text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_group_breaks_only_when_it_does_not_fit() {
        let d = group(concat(vec![
            text("aaa"),
            nest(2, concat(vec![Doc::Line, text("or bbb")])),
        ]));
        assert_eq!(show(&d, 20), "aaa or bbb");
        assert_eq!(show(&d, 8), "aaa\n  or bbb");
    }

    #[test]
    fn align_indents_to_the_column() {
        let d = concat(vec![
            text("f("),
            group(align(concat(vec![text("aaaa,"), Doc::Line, text("bbbb")]))),
            text(")"),
        ]);
        assert_eq!(show(&d, 8), "f(aaaa,\n  bbbb)");
    }
}
