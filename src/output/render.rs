//! Decisions as JSON and text; diagnostics as text.

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use serde_json::{json, Map, Value as Json};

pub use super::values::{outcome_name, squash, thousands, value_json, value_text};
use crate::eval::{CaseResult, DecisionResult, Status};
use crate::program::Program;

/// A diagnostic rendered for a person, with the source line underlined.
pub fn diagnostic(d: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, d).is_err() {
        out = d.to_string();
    }
    // The source lines and file names shown come from the input.
    super::terminal::escape_text(&out, color).into_owned()
}

/// One decision as the contract's JSON object.
pub fn decision_json(program: &Program, index: usize, r: &DecisionResult, explain: bool) -> Json {
    let d = &program.decisions[index];
    let mut m = Map::new();
    m.insert(
        "outcome".into(),
        Json::String(outcome_name(program, index, r).into()),
    );
    match &r.status {
        Status::Outcome(o) => {
            for ((name, _), v) in d.outcomes[*o as usize].fields.iter().zip(&r.fields) {
                m.insert(name.to_string(), value_json(program, v));
            }
            if !r.reasons.is_empty() {
                let reasons = r
                    .reasons
                    .iter()
                    .map(|i| Json::String(d.reasons[*i as usize].to_string()))
                    .collect();
                m.insert("reasons".into(), Json::Array(reasons));
            }
        }
        Status::Undetermined => {
            let missing = program
                .fact_paths(&r.missing)
                .map(|p| Json::String(p.into()))
                .collect();
            m.insert("missing_facts".into(), Json::Array(missing));
        }
        Status::Error(msg, span) => {
            let (line, col) = program.source.line_col(span.start);
            m.insert(
                "error".into(),
                Json::String(format!("{msg} ({}:{line}:{col})", program.source.name)),
            );
        }
        Status::NotApplicable => {}
    }
    if explain {
        m.insert(
            "trace".into(),
            super::explain::trace_json(program, index, r),
        );
    }
    Json::Object(m)
}

/// A whole case: `{"policy": …, "decisions": {…}}`.
pub fn case_json(program: &Program, result: &CaseResult, explain: bool) -> Json {
    let mut decisions = Map::new();
    for (i, r) in result.decisions.iter().enumerate() {
        let mut decision = decision_json(program, i, r, explain);
        if explain {
            if let (Json::Object(o), Some(uses)) =
                (&mut decision, super::explain::uses_json(program, i, result))
            {
                o.insert("uses".into(), uses);
            }
        }
        decisions.insert(program.decisions[i].name.to_string(), decision);
    }
    json!({ "policy": &*program.id, "decisions": decisions })
}

fn at(program: &Program, span: crate::source::Span) -> String {
    let (line, col) = program.source.line_col(span.start);
    format!("{}:{line}:{col}", program.source.name)
}

/// A case as a table for people.
pub fn case_text(program: &Program, result: &CaseResult) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (i, r) in result.decisions.iter().enumerate() {
        let d = &program.decisions[i];
        let outcome = outcome_name(program, i, r).to_string();
        let mut details = Vec::new();
        match &r.status {
            Status::Outcome(o) => {
                for ((name, _), v) in d.outcomes[*o as usize].fields.iter().zip(&r.fields) {
                    details.push(format!("{name} = {}", value_text(program, v)));
                }
                if !r.reasons.is_empty() {
                    let reasons: Vec<&str> =
                        r.reasons.iter().map(|x| &*d.reasons[*x as usize]).collect();
                    details.push(format!("reasons = {}", reasons.join(", ")));
                }
            }
            Status::Undetermined => {
                let missing: Vec<std::borrow::Cow<str>> = program.fact_paths(&r.missing).collect();
                details.push(format!("missing facts: {}", missing.join(", ")));
            }
            Status::Error(msg, span) => details.push(format!("{msg} at {}", at(program, *span))),
            Status::NotApplicable => {}
        }
        rows.push((d.name.to_string(), outcome, details.join("; ")));
    }
    let w0 = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0)
        .max("decision".len());
    let w1 = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .max("outcome".len());
    let mut out = String::new();
    let _ = writeln!(out, "policy {}", program.id);
    let _ = writeln!(out, "{:w0$}  {:w1$}  details", "decision", "outcome");
    let _ = writeln!(
        out,
        "{}  {}  {}",
        "─".repeat(w0),
        "─".repeat(w1),
        "─".repeat(7)
    );
    for (a, b, c) in rows {
        let _ = writeln!(out, "{a:w0$}  {b:w1$}  {c}");
    }
    out
}
