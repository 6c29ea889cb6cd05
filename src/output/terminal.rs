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

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn controls_become_escapes_and_the_rest_stays() {
        assert_eq!(escape("正品 ok"), "正品 ok");
        assert_eq!(escape("a\u{1b}]0;title\u{7}b"), "a\\u{1b}]0;title\\u{7}b");
        assert_eq!(escape("x\r\n::error y"), "x\\r\\n::error y");
        assert_eq!(escape("\u{9b}\u{202e}"), "\\u{9b}\\u{202e}");
    }
}
