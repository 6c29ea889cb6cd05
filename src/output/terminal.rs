//! Text from the input on its way to a terminal or a plain-text log:
//! control characters are written as escapes, so that a fact, a file name
//! or a line of a policy cannot move the cursor, set the title, or start a
//! line of its own (`\n::error …` in a CI log).

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every control character (C0, DEL, C1) and the bidirectional
/// overrides written as `\n`, `\r`, `\t` or `\u{1b}`.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A text of many lines, already laid out for a terminal, with each
/// control character escaped as [`escape`] does, but its line breaks kept
/// and, with `keep_colour`, its colour sequences (`ESC [ … m`, which set
/// only colours and styles): for reports whose parts come from the input
/// (a source line, a file name, a test's name) and were not escaped one by
/// one.
pub fn escape_text(s: &str, keep_colour: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\n' || !needs_escape(c) {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if keep_colour && c == '\u{1b}' {
            if let Some(len) = colour_sequence(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        out.push_str(&escape(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of the colour sequence `ESC [ digits and ; m` that `s` starts with.
fn colour_sequence(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn reports_keep_their_lines_and_colours_only() {
        let report = "\u{1b}[31merror\u{1b}[0m: in a\u{1b}]0;title\u{7}b\r\nnext\tline\n";
        assert_eq!(
            escape_text(report, true),
            "\u{1b}[31merror\u{1b}[0m: in a\\u{1b}]0;title\\u{7}b\\r\nnext\\tline\n"
        );
        assert_eq!(
            escape_text(report, false),
            "\\u{1b}[31merror\\u{1b}[0m: in a\\u{1b}]0;title\\u{7}b\\r\nnext\\tline\n"
        );
        assert_eq!(escape_text("plain\nlines\n", true), "plain\nlines\n");
        // A cursor move is not a colour.
        assert_eq!(escape_text("\u{1b}[2J", true), "\\u{1b}[2J");
    }

    #[test]
    fn controls_become_escapes_and_the_rest_stays() {
        assert_eq!(escape("正品 ok"), "正品 ok");
        assert_eq!(escape("a\u{1b}]0;title\u{7}b"), "a\\u{1b}]0;title\\u{7}b");
        assert_eq!(escape("x\r\n::error y"), "x\\r\\n::error y");
        assert_eq!(escape("\u{9b}\u{202e}"), "\\u{9b}\\u{202e}");
    }
}
