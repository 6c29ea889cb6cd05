//! Values and names as the contract writes them: the leaf of the output
//! module, used by the decision writers, explanations and reports.

use serde_json::{json, Map, Value as Json};

use crate::eval::{DecisionResult, Status};
use crate::program::Program;
use crate::types::{
    format_duration, format_instant, format_money, format_ratio, format_ratio_decimal, format_time,
    Value,
};

/// A value as the contract writes it.
pub fn value_json(program: &Program, v: &Value) -> Json {
    match v {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => json!(n),
        Value::Money(m) => Json::String(format_money(*m)),
        Value::Ratio(r) => Json::String(format_ratio_decimal(*r)),
        Value::Text(t) | Value::Other(t) => Json::String(t.to_string()),
        Value::Variant(i) => Json::String(program.variants[*i as usize].1.to_string()),
        Value::Instant(t) => Json::String(format_instant(*t, program.zone)),
        Value::Duration(d) => Json::String(format_duration(*d)),
        Value::Time(t) => Json::String(format_time(*t)),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Value::Set(items) | Value::List(items) => {
            Json::Array(items.iter().map(|i| value_json(program, i)).collect())
        }
        Value::Months(n) => Json::String(format!("{n}mo")),
        Value::Calendar(i) => Json::String(program.calendars[*i as usize].name.clone()),
        Value::Record(r) => {
            let mut m = Map::new();
            for (i, ((name, _), v)) in r.fields.iter().zip(r.values.iter()).enumerate() {
                if r.is_present(i) {
                    m.insert(name.to_string(), value_json(program, v));
                }
            }
            Json::Object(m)
        }
        Value::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries.iter() {
                let key = match value_json(program, k) {
                    Json::String(s) => s,
                    other => other.to_string(),
                };
                m.insert(key, value_json(program, v));
            }
            Json::Object(m)
        }
    }
}

/// A value as a person reads it: `¥129.00`, `2026-11-22T04:00:00+08:00`, `60%`.
pub fn value_text(program: &Program, v: &Value) -> String {
    match v {
        Value::None => "none".into(),
        // Text from the facts may hold anything: never a control character.
        Value::Text(t) | Value::Other(t) => super::terminal::escape(t).into_owned(),
        Value::Money(m) => format!("¥{}", format_money(*m)),
        Value::Ratio(r) => format_ratio(*r),
        Value::Set(items) => {
            let parts: Vec<String> = items.iter().map(|i| value_text(program, i)).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| value_text(program, i)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Record(r) => {
            let parts: Vec<String> = (r.fields.iter().map(|(n, _)| n))
                .zip(r.values.iter())
                .enumerate()
                .filter(|(i, _)| r.is_present(*i))
                .map(|(_, (n, v))| format!("{n}: {}", value_text(program, v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => match value_json(program, other) {
            Json::String(s) => s,
            j => j.to_string(),
        },
    }
}

/// The outcome word of a decision result.
pub fn outcome_name<'p>(program: &'p Program, index: usize, r: &DecisionResult) -> &'p str {
    match &r.status {
        Status::Outcome(o) => &program.decisions[index].outcomes[*o as usize].name,
        Status::NotApplicable => "not_applicable",
        Status::Undetermined => "undetermined",
        Status::Error(..) => "error",
    }
}

/// Source text on one line, runs of whitespace made single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `1,204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
