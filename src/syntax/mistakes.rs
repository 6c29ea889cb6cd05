//! The common mistakes of people new to vouch, each with a message of its
//! own in place of the grammar's "expected …": full-width punctuation, units
//! written as words or in Chinese, a bare decimal, `else if`, a `require`
//! condition without its reason.
//!
//! They are looked for only in an item that does not parse, outside quoted
//! text and comments, so a valid file never meets them.

use rust_decimal::Decimal;

use super::errors::ParseError;
use crate::diagnostic::Fix;
use crate::source::{SourceFile, Span};

/// Full-width punctuation a Chinese keyboard types, and the ASCII meant.
const FULL_WIDTH: [(char, &str); 20] = [
    ('：', ":"),
    ('，', ","),
    ('、', ","),
    ('（', "("),
    ('）', ")"),
    ('“', "\""),
    ('”', "\""),
    ('；', ";"),
    ('＝', "="),
    ('＞', ">"),
    ('＜', "<"),
    ('！', "!"),
    ('［', "["),
    ('］', "]"),
    ('｛', "{"),
    ('｝', "}"),
    ('％', "%"),
    ('＋', "+"),
    ('－', "-"),
    ('／', "/"),
];

/// Units written after a number, and how vouch writes the value.
const UNITS: [(&str, Unit); 24] = [
    ("个小时", Unit::Suffix("h")),
    ("小时", Unit::Suffix("h")),
    ("分钟", Unit::Suffix("m")),
    ("个月", Unit::Suffix("mo")),
    ("天", Unit::Suffix("d")),
    ("日", Unit::Suffix("d")),
    ("秒", Unit::Suffix("s")),
    ("月", Unit::Suffix("mo")),
    ("元", Unit::Money),
    ("块", Unit::Money),
    ("%", Unit::Suffix("%")),
    ("days", Unit::Suffix("d")),
    ("day", Unit::Suffix("d")),
    ("hours", Unit::Suffix("h")),
    ("hour", Unit::Suffix("h")),
    ("hrs", Unit::Suffix("h")),
    ("minutes", Unit::Suffix("m")),
    ("minute", Unit::Suffix("m")),
    ("mins", Unit::Suffix("m")),
    ("min", Unit::Suffix("m")),
    ("seconds", Unit::Suffix("s")),
    ("second", Unit::Suffix("s")),
    ("months", Unit::Suffix("mo")),
    ("month", Unit::Suffix("mo")),
];

#[derive(Clone, Copy)]
enum Unit {
    /// `7d`, `10%`.
    Suffix(&'static str),
    /// `¥5`.
    Money,
}

/// The first common mistake in the item `[start, end)` of a file that does
/// not parse, preferring one at `at`, where the parser stopped.
pub(super) fn find(source: &SourceFile, start: usize, end: usize, at: usize) -> Option<ParseError> {
    let found = scan(source, start, end);
    found
        .iter()
        .position(|m| m.span.start <= at && at <= m.span.end.max(m.span.start + 1))
        .or_else(|| (!found.is_empty()).then_some(0))
        .map(|i| {
            found
                .into_iter()
                .nth(i)
                .expect("the index is in range")
                .error(source)
        })
}

/// A mistake found, before it becomes a diagnostic.
struct Mistake {
    span: Span,
    message: String,
    label: &'static str,
    help: String,
    fixes: Vec<Fix>,
}

impl Mistake {
    fn error(self, source: &SourceFile) -> ParseError {
        let mut e =
            ParseError::new(source, self.span, self.message, self.label).with_help(self.help);
        e.fixes = self.fixes;
        e
    }
}

fn replace(title: String, span: Span, with: &str, applicable: bool) -> Fix {
    Fix {
        title,
        edits: vec![(span, with.to_string())],
        applicable,
    }
}

/// Every mistake in the range, in order, outside quoted text and comments.
fn scan(source: &SourceFile, start: usize, end: usize) -> Vec<Mistake> {
    let text = &source.text[..end];
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let rest = &text[i..];
        let c = rest.chars().next().expect("in range");
        match c {
            '"' => {
                let close = rest[1..].find(['"', '\n']).map_or(rest.len(), |j| j + 2);
                i += close;
                continue;
            }
            '#' => {
                i += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            _ => {}
        }
        if let Some((_, ascii)) = FULL_WIDTH.iter().find(|(f, _)| *f == c) {
            let span = Span::new(i, i + c.len_utf8());
            out.push(Mistake {
                span,
                message: format!("full-width `{c}` where vouch reads `{ascii}`"),
                label: "full-width",
                help: format!(
                    "write the ASCII `{ascii}`: vouch reads punctuation typed in half-width"
                ),
                fixes: vec![replace(format!("write `{ascii}`"), span, ascii, true)],
            });
        } else if c.is_ascii_digit() && !continues_token(text, i) {
            if let Some(m) = number(text, i, end) {
                let next = m.span.end;
                out.push(m);
                i = next;
                continue;
            }
        } else if rest.starts_with("else") && line_starts_at(text, i) {
            let after = &rest[4..];
            let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
            if gap > 0
                && after[gap..].starts_with("if")
                && !is_word(after[gap + 2..].chars().next())
            {
                let span = Span::new(i, i + 4 + gap + 2);
                out.push(Mistake {
                    span,
                    message: "`else if` is not a rule of vouch".into(),
                    label: "rules are tried one after another",
                    help: "write `if …` on a line of its own: the first rule whose condition \
                           holds decides, and `else => OUTCOME` comes last"
                        .into(),
                    fixes: vec![replace(
                        "remove `else`".into(),
                        Span::new(i, i + 4 + gap),
                        "",
                        true,
                    )],
                });
            }
        }
        i += c.len_utf8();
    }
    out
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether the character at `i` continues a word or a number (`a1`, `1.5`).
fn continues_token(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == ':' || c == '-')
}

/// Whether only blanks come before `i` on its line.
fn line_starts_at(text: &str, i: usize) -> bool {
    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..i].trim().is_empty()
}

/// `0.6` written bare: money (`¥0.60`) or a ratio (`60%`)? A number too
/// large to be a hundred times over is offered as money only.
fn bare_decimal(written: &str, span: Span) -> Option<Mistake> {
    let value: Decimal = written.parse().ok()?;
    let amount = if value.scale() <= 2 {
        format!("¥{:.2}", value)
    } else {
        format!("¥{written}")
    };
    let money_fix = replace(format!("money: `{amount}`"), span, &amount, false);
    let Some(hundredfold) = value.checked_mul(Decimal::from(100)) else {
        return Some(Mistake {
            span,
            message: format!("a bare decimal `{written}`: money?"),
            label: "money?",
            help: format!("write money as `{amount}`"),
            fixes: vec![money_fix],
        });
    };
    let percent = format!("{}%", hundredfold.normalize());
    Some(Mistake {
        span,
        message: format!("a bare decimal `{written}`: money or a ratio?"),
        label: "money or a ratio?",
        help: format!("write money as `{amount}`, or a ratio as `{percent}`"),
        fixes: vec![
            money_fix,
            replace(format!("a ratio: `{percent}`"), span, &percent, false),
        ],
    })
}

/// A number at `i` followed by a mistake: a decimal that is neither money
/// nor a ratio, a unit in words, or a thousands separator after `¥`.
fn number(text: &str, i: usize, end: usize) -> Option<Mistake> {
    let digits = |from: usize| {
        text[from..end]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(end, |n| from + n)
    };
    let int_end = digits(i);
    let money = text[..i].ends_with('¥') || text[..i].ends_with('￥');
    let sign = if money {
        text[..i].chars().next_back()?.len_utf8()
    } else {
        0
    };
    // `¥3,000`: a thousands separator.
    if money && text[int_end..].starts_with(',') {
        let mut j = int_end;
        while text[j..].starts_with(',') && digits(j + 1) == j + 4 {
            j += 4;
        }
        if j > int_end {
            let written = &text[i - sign..j];
            let plain: String = written.chars().filter(|c| *c != ',').collect();
            let plain = plain.replace('￥', "¥");
            let span = Span::new(i - sign, j);
            return Some(Mistake {
                span,
                message: format!("`{written}` is not an amount vouch reads"),
                label: "thousands separator",
                help: format!("write `{plain}`, without separators"),
                fixes: vec![replace(format!("write `{plain}`"), span, &plain, true)],
            });
        }
    }
    // `0.6`: a bare decimal.
    if !money && text[int_end..].starts_with('.') && digits(int_end + 1) > int_end + 1 {
        let frac_end = digits(int_end + 1);
        if !text[frac_end..].starts_with('%') && !is_word(text[frac_end..].chars().next()) {
            return bare_decimal(&text[i..frac_end], Span::new(i, frac_end));
        }
    }
    // `7 days`, `5元`, `10 %`, `6小时`.
    let after = &text[int_end..end];
    let gap = after.len() - after.trim_start_matches([' ', '\t', '\u{3000}']).len();
    let word_at = int_end + gap;
    let (word, unit) = UNITS.iter().find(|(w, _)| {
        text[word_at..end].starts_with(w)
            && (!w.is_ascii() || *w == "%" || !is_word(text[word_at + w.len()..].chars().next()))
    })?;
    if money {
        return None;
    }
    let number = &text[i..int_end];
    let written = &text[i..word_at + word.len()];
    let (canonical, what) = match unit {
        Unit::Suffix("%") => (format!("{number}%"), "a ratio"),
        Unit::Suffix(s) => (format!("{number}{s}"), "a duration"),
        Unit::Money => (format!("¥{number}"), "an amount"),
    };
    let span = Span::new(i, word_at + word.len());
    let help = match unit {
        Unit::Suffix("%") => format!("write `{canonical}`, without a space"),
        Unit::Suffix(_) => format!(
            "write `{canonical}`: a number and a unit, `d` days, `h` hours, `m` minutes, \
             `s` seconds, `mo` months"
        ),
        Unit::Money => format!("write `{canonical}`: amounts are in yuan, after `¥`"),
    };
    Some(Mistake {
        span,
        message: format!("`{written}` is not {what} vouch reads"),
        label: "written in words",
        help,
        fixes: vec![replace(
            format!("write `{canonical}`"),
            span,
            &canonical,
            true,
        )],
    })
}

/// A `require` condition without `else REASON`: the parser stops at the
/// start of the next line ("expected an operator"), the mistake is the line
/// before.
pub(super) fn missing_reason(source: &SourceFile, start: usize, at: usize) -> Option<ParseError> {
    let text = &source.text;
    // Before `}`, the condition is the last: the grammar's message says what is missing.
    if at <= start || !line_starts_at(text, at) || text[at..].starts_with('}') {
        return None;
    }
    let before = &text[start..at];
    let require = before.rfind("require")?;
    if before[require..].contains('}') {
        return None;
    }
    let line_end = before.trim_end().len();
    let line_start = before[..line_end].rfind('\n').map_or(0, |n| n + 1);
    let line = &before[line_start..line_end];
    let code = line.trim_start();
    if line_start <= require || code.starts_with('#') || code.contains(" else ") {
        return None;
    }
    let indent = line.len() - code.len();
    let span = Span::new(start + line_start + indent, start + line_end);
    Some(
        ParseError::new(
            source,
            span,
            "this condition has no `else REASON`".into(),
            "no reason",
        )
        .with_help(
            "each condition of a `require` names the reason it fails, on its line: \
             `order.amount <= limit else over_limit`",
        ),
    )
}
