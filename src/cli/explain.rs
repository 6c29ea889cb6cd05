//! `--explain` for people: each decision, the rules it looked at, the values they read.

use std::fmt::Write as _;

use super::render::{outcome_name, squash, value_text};
use crate::eval::{CaseResult, ReadSource, Status, StepKind, StepResult};
use crate::program::Program;
use crate::types::Value;

/// The explanation of every decision of a case.
pub fn case(program: &Program, result: &CaseResult) -> String {
    let mut out = String::new();
    for &i in &program.order {
        decision(&mut out, program, i, result);
    }
    out
}

fn decision(out: &mut String, program: &Program, i: usize, result: &CaseResult) {
    let d = &program.decisions[i];
    let r = &result.decisions[i];
    let mut head = format!("{} → {}", d.name, outcome_name(program, i, r));
    match &r.status {
        Status::Outcome(o) => {
            let fields: Vec<String> = d.outcomes[*o as usize]
                .fields
                .iter()
                .zip(&r.fields)
                .map(|((n, _), v)| format!("{n} = {}", value_text(program, v)))
                .collect();
            if !fields.is_empty() {
                head += &format!(" ({})", fields.join(", "));
            }
            if !r.reasons.is_empty() {
                let reasons: Vec<&str> =
                    r.reasons.iter().map(|x| &*d.reasons[*x as usize]).collect();
                head += &format!(" because {}", reasons.join(", "));
            }
        }
        Status::Undetermined => {
            let missing: Vec<&str> = r
                .missing
                .iter()
                .map(|l| &*program.facts.leaves[*l as usize].path)
                .collect();
            head += &format!(": missing {}", missing.join(", "));
        }
        Status::Error(m, _) => head += &format!(": {m}"),
        Status::NotApplicable => {}
    }
    let _ = writeln!(out, "{head}");
    for s in &r.trace {
        let (line, _) = program.source.line_col(s.span.start);
        let mark = match &s.result {
            StepResult::Held => "✓",
            StepResult::Failed => "✗",
            StepResult::Unknown(_) => "?",
            StepResult::Error(_) => "!",
            StepResult::Value(_) => "=",
        };
        let text = squash(program.source.slice(s.span));
        let what = match s.kind {
            StepKind::Trigger => format!("when {text}"),
            StepKind::If => format!("if {text}"),
            StepKind::Condition { reason } => {
                format!("{text}  (else {})", d.reasons[reason as usize])
            }
            StepKind::Else => "else".to_string(),
            StepKind::Field { outcome, field } => {
                let name = &d.outcomes[outcome as usize].fields[field as usize].0;
                let value = match &s.result {
                    StepResult::Value(v) => value_text(program, v),
                    _ => "?".into(),
                };
                format!("{name} = {text} = {value}")
            }
        };
        let _ = writeln!(out, "  {mark} {what}  [line {line}]");
        if let StepResult::Unknown(m) = &s.result {
            let missing: Vec<&str> = m
                .iter()
                .map(|l| &*program.facts.leaves[*l as usize].path)
                .collect();
            let _ = writeln!(out, "      missing: {}", missing.join(", "));
        }
        for read in &s.reads {
            let line = match read.source {
                ReadSource::Fact(l) => format!(
                    "{} = {}",
                    program.facts.leaves[l as usize].path,
                    value_text(program, &read.value)
                ),
                ReadSource::Param(p) => {
                    let info = &program.params[p as usize];
                    let (pl, _) = program.source.line_col(info.span.start);
                    format!(
                        "{} = {}  (defined at {}:{pl})",
                        info.name,
                        value_text(program, &read.value),
                        program.source.name
                    )
                }
                ReadSource::Decision(x) => {
                    let o = outcome_name(program, x, &result.decisions[x]);
                    let held = if read.value == Value::Bool(true) {
                        ""
                    } else {
                        ", not that"
                    };
                    format!("decision {} → {o}{held}", program.decisions[x].name)
                }
            };
            let _ = writeln!(out, "      {line}");
        }
    }
}
