//! A case's decisions as one compact JSON line, written straight into bytes.
//!
//! The same JSON as serialising [`render::case_json`] without a trace, byte
//! for byte, without building a JSON tree: every name a policy can print
//! (decision, outcome, field, reason, variant, fact path) is escaped once,
//! when the writer is made, and values are formatted in place.

use chrono::{Datelike, FixedOffset, Timelike, Utc};
use rust_decimal::Decimal;

use super::render;
use crate::eval::{CaseResult, DecisionResult, Status};
use crate::program::Program;
use crate::types::Value;

/// Writes cases of one program as JSON lines.
pub struct CaseWriter<'p> {
    program: &'p Program,
    /// `{"policy":"…","decisions":{`
    head: Vec<u8>,
    decisions: Vec<DecisionNames>,
    /// Every variant as a JSON string.
    variants: Vec<Box<[u8]>>,
    /// Every leaf fact's path as a JSON string.
    leaves: Vec<Box<[u8]>>,
    /// A policy whose names would collide in a JSON object goes the slow way.
    tree_only: bool,
}

/// JSON text, ready to copy.
type Text = Box<[u8]>;

struct DecisionNames {
    /// `"name":{"outcome":`
    key: Text,
    /// Per outcome: its name as a JSON string, and `,"field":` per field.
    outcomes: Vec<(Text, Vec<Text>)>,
    reasons: Vec<Text>,
}

const KEYS_OF_A_DECISION: [&str; 5] = ["outcome", "reasons", "missing_facts", "error", "trace"];

impl<'p> CaseWriter<'p> {
    /// A writer for a program: its names escaped once.
    pub fn new(program: &'p Program) -> CaseWriter<'p> {
        let mut head = b"{\"policy\":".to_vec();
        string(&mut head, &program.id);
        head.extend_from_slice(b",\"decisions\":{");
        let mut tree_only = false;
        let mut names: Vec<&str> = Vec::new();
        let decisions = program
            .decisions
            .iter()
            .map(|d| {
                tree_only |= names.contains(&&*d.name);
                names.push(&d.name);
                let mut key = Vec::new();
                string(&mut key, &d.name);
                key.extend_from_slice(b":{\"outcome\":");
                let outcomes = d
                    .outcomes
                    .iter()
                    .map(|o| {
                        let mut fields_seen: Vec<&str> = KEYS_OF_A_DECISION.to_vec();
                        let fields = o
                            .fields
                            .iter()
                            .map(|(f, _)| {
                                tree_only |= fields_seen.contains(&&**f);
                                fields_seen.push(f);
                                let mut k = b",".to_vec();
                                string(&mut k, f);
                                k.push(b':');
                                k.into_boxed_slice()
                            })
                            .collect();
                        (quoted(&o.name), fields)
                    })
                    .collect();
                DecisionNames {
                    key: key.into_boxed_slice(),
                    outcomes,
                    reasons: d.reasons.iter().map(|r| quoted(r)).collect(),
                }
            })
            .collect();
        CaseWriter {
            program,
            head,
            decisions,
            variants: program.variants.iter().map(|(_, n)| quoted(n)).collect(),
            leaves: program
                .facts
                .leaves
                .iter()
                .map(|l| quoted(&l.path))
                .collect(),
            tree_only,
        }
    }

    /// Append the case's JSON line, newline included.
    pub fn case(&self, result: &CaseResult, out: &mut Vec<u8>) {
        if self.tree_only {
            let json = render::case_json(self.program, result, false);
            // Writing a JSON tree into memory cannot fail.
            let _ = serde_json::to_writer(&mut *out, &json);
            out.push(b'\n');
            return;
        }
        out.extend_from_slice(&self.head);
        for (i, (names, r)) in self.decisions.iter().zip(&result.decisions).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&names.key);
            self.decision(names, r, out);
        }
        out.extend_from_slice(b"}}\n");
    }

    fn decision(&self, names: &DecisionNames, r: &DecisionResult, out: &mut Vec<u8>) {
        match &r.status {
            Status::Outcome(o) => {
                let (name, fields) = &names.outcomes[*o as usize];
                out.extend_from_slice(name);
                for (key, v) in fields.iter().zip(&r.fields) {
                    out.extend_from_slice(key);
                    self.value(v, out);
                }
                if !r.reasons.is_empty() {
                    out.extend_from_slice(b",\"reasons\":");
                    list(out, r.reasons.iter().map(|i| &*names.reasons[*i as usize]));
                }
            }
            Status::NotApplicable => out.extend_from_slice(b"\"not_applicable\""),
            Status::Undetermined => {
                out.extend_from_slice(b"\"undetermined\",\"missing_facts\":");
                out.push(b'[');
                for (i, id) in r.missing.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    match self.leaves.get(*id as usize) {
                        Some(leaf) => out.extend_from_slice(leaf),
                        // A field of a list's item: its path has the index.
                        None => string(out, &self.program.fact_path(*id)),
                    }
                }
                out.push(b']');
            }
            Status::Error(msg, span) => {
                let source = &self.program.source;
                let (line, col) = source.line_col(span.start);
                out.extend_from_slice(b"\"error\",\"error\":");
                string(out, &format!("{msg} ({}:{line}:{col})", source.name));
            }
        }
        out.push(b'}');
    }

    fn value(&self, v: &Value, out: &mut Vec<u8>) {
        match v {
            Value::None => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Int(n) => out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
            Value::Money(m) => money(out, *m),
            Value::Text(t) | Value::Other(t) => string(out, t),
            Value::Variant(i) => out.extend_from_slice(&self.variants[*i as usize]),
            Value::Instant(t) => instant(out, t, self.program.zone),
            Value::Set(items) | Value::List(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.value(item, out);
                }
                out.push(b']');
            }
            other => {
                let json = render::value_json(self.program, other);
                let _ = serde_json::to_writer(&mut *out, &json);
            }
        }
    }
}

/// `[a,b,c]` from JSON texts.
fn list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a [u8]>) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.push(b']');
}

fn quoted(s: &str) -> Box<[u8]> {
    let mut v = Vec::with_capacity(s.len() + 2);
    string(&mut v, s);
    v.into_boxed_slice()
}

/// A JSON string, escaped by serde_json itself.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    // Serialising a string into a Vec<u8> has no way to fail.
    let _ = serde_json::to_writer(out, s);
}

/// Money as a string with two decimal places, as [`crate::types::format_money`] writes it.
pub(crate) fn money(out: &mut Vec<u8>, m: Decimal) {
    let scale = m.scale();
    if m.is_sign_negative() || scale > 2 {
        string(out, &crate::types::format_money(m));
        return;
    }
    // At most 96 bits times 100: no overflow in u128.
    let fen = m.mantissa().unsigned_abs() * 10u128.pow(2 - scale);
    if fen > Decimal::MAX.mantissa().unsigned_abs() {
        // Too many digits to show the fen: `format_money` keeps fewer places.
        string(out, &crate::types::format_money(m));
        return;
    }
    out.push(b'"');
    out.extend_from_slice(itoa::Buffer::new().format(fen / 100).as_bytes());
    let cents = (fen % 100) as u8;
    out.extend_from_slice(&[b'.', b'0' + cents / 10, b'0' + cents % 10, b'"']);
}

/// An instant in the zone, to the second, as [`crate::types::format_instant`] writes it.
pub(crate) fn instant(out: &mut Vec<u8>, t: &chrono::DateTime<Utc>, zone: FixedOffset) {
    let offset = zone.local_minus_utc();
    let local = t
        .naive_utc()
        .checked_add_signed(chrono::TimeDelta::seconds(i64::from(offset)));
    let Some(local) = local.filter(|l| {
        (0..=9999).contains(&l.year()) && offset % 60 == 0 && t.nanosecond() < 1_000_000_000
    }) else {
        string(out, &crate::types::format_instant(*t, zone));
        return;
    };
    let year = local.year();
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let year = year as u32;
    let mut text = [0u8; 27];
    text[0] = b'"';
    text[1..3].copy_from_slice(&two(year / 100));
    text[3..5].copy_from_slice(&two(year % 100));
    text[5] = b'-';
    text[6..8].copy_from_slice(&two(local.month()));
    text[8] = b'-';
    text[9..11].copy_from_slice(&two(local.day()));
    text[11] = b'T';
    text[12..14].copy_from_slice(&two(local.hour()));
    text[14] = b':';
    text[15..17].copy_from_slice(&two(local.minute()));
    text[17] = b':';
    text[18..20].copy_from_slice(&two(local.second()));
    text[20] = if offset < 0 { b'-' } else { b'+' };
    let minutes = offset.unsigned_abs() / 60;
    text[21..23].copy_from_slice(&two(minutes / 60));
    text[23] = b':';
    text[24..26].copy_from_slice(&two(minutes % 60));
    text[26] = b'"';
    out.extend_from_slice(&text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn json_string(s: &str) -> String {
        let mut v = Vec::new();
        string(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        for s in [
            "plain",
            "引号\"和\\反斜杠",
            "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "/ü€😀",
            "",
        ] {
            assert_eq!(json_string(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn money_matches_format_money() {
        for text in [
            "0",
            "0.5",
            "1.25",
            "129.00",
            "129",
            "300.005",
            "0.001",
            "-0.00",
            "-12.5",
            "79228162514264337593543950335",
            "7922816251426433759354395033.5",
            "1e-28",
        ] {
            let Ok(m) = Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text)) else {
                panic!("{text} parses");
            };
            let mut out = Vec::new();
            money(&mut out, m);
            let want = format!("\"{}\"", crate::types::format_money(m));
            assert_eq!(String::from_utf8(out).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn instants_match_format_instant() {
        let zones = [
            8 * 3600,
            0,
            -5 * 3600 - 30 * 60,
            14 * 3600,
            -12 * 3600,
            3600 + 7,
        ];
        let times = [
            0i64,
            1_790_784_000,
            1_790_784_000 + 86_399,
            -62_135_596_800,
            253_402_300_799,
            951_782_400,
            -1,
        ];
        for z in zones {
            let zone = FixedOffset::east_opt(z).unwrap();
            for secs in times {
                for nanos in [0, 999_999_999, 1_500_000_000] {
                    let Some(t) = Utc.timestamp_opt(secs, nanos).single() else {
                        continue;
                    };
                    let mut out = Vec::new();
                    instant(&mut out, &t, zone);
                    let want = format!("\"{}\"", crate::types::format_instant(t, zone));
                    assert_eq!(String::from_utf8(out).unwrap(), want, "{secs} {nanos} {z}");
                }
            }
        }
    }
}
