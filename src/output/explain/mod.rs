//! `--explain`: how each decision was reached, for people (text) and tools (JSON).

mod expr;
mod json;

use std::fmt::Write as _;

pub use expr::{alternative_text, bound_text, outcome_name_of, snippet, with_values};
pub use json::{trace_json, uses_json};

use crate::eval::{CaseResult, ReadSource, Status, Step, StepKind, StepResult};
use crate::output::values::{outcome_name, squash, value_text};
use crate::program::{ArmIr, Ir, Program};

/// The explanation of every decision of a case, in evaluation order.
pub fn case(program: &Program, result: &CaseResult) -> String {
    let mut out = String::new();
    for &i in &program.order {
        decision(&mut out, program, i, result);
    }
    out
}

/// The explanation of one decision: its outcome, the decisions it used, and
/// each step with the values it read.
pub fn decision(out: &mut String, program: &Program, i: usize, result: &CaseResult) {
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
            let missing: Vec<std::borrow::Cow<str>> = program.fact_paths(&r.missing).collect();
            head += &format!(": missing {}", missing.join(", "));
        }
        Status::Error(m, _) => head += &format!(": {m}"),
        Status::NotApplicable => {}
    }
    let _ = writeln!(out, "{head}");
    if !d.deps.is_empty() {
        let uses: Vec<String> = d
            .deps
            .iter()
            .map(|&x| {
                format!(
                    "{} → {}",
                    program.decisions[x].name,
                    outcome_name(program, x, &result.decisions[x])
                )
            })
            .collect();
        let _ = writeln!(out, "  uses {}", uses.join(", "));
    }
    for s in &r.trace {
        step(out, program, i, s, result);
    }
}

// One piece: one arm per kind of step of a trace, each writing its lines.
fn step(out: &mut String, program: &Program, i: usize, s: &Step, result: &CaseResult) {
    let d = &program.decisions[i];
    let (line, _) = program.source.line_col(s.span.start);
    let mark = match &s.result {
        StepResult::Held => "✓",
        StepResult::Failed => "✗",
        StepResult::Unknown(_) => "?",
        StepResult::Error(_) => "!",
        StepResult::Value(_) => "=",
    };
    let text = squash(program.source.slice(s.span));
    let ir = step_expr(program, i, s);
    let what = match s.kind {
        StepKind::Trigger => format!("when {text}"),
        StepKind::If => {
            let outcome = d.arms.iter().find_map(|a| match a {
                ArmIr::If { cond, outcome, .. } if cond.span == s.span => {
                    Some(&*d.outcomes[outcome.outcome as usize].name)
                }
                _ => None,
            });
            match outcome {
                Some(o) => format!("if {text} => {o}"),
                None => format!("if {text}"),
            }
        }
        StepKind::Condition { reason } => {
            format!("{text}  else {}", d.reasons[reason as usize])
        }
        StepKind::Else => "else".to_string(),
        StepKind::Field { outcome, field } => {
            let name = &d.outcomes[outcome as usize].fields[field as usize].0;
            match (ir, &s.values) {
                (Some(ir), Some(values)) => expr::computation(program, name, ir, values),
                _ => {
                    let value = match &s.result {
                        StepResult::Value(v) => value_text(program, v),
                        _ => "?".into(),
                    };
                    format!("{name} = {text} = {value}")
                }
            }
        }
    };
    let _ = writeln!(out, "  {mark} {what}  [line {line}]");
    let pad = "      ";
    match &s.result {
        StepResult::Unknown(m) => {
            let missing: Vec<std::borrow::Cow<str>> = program.fact_paths(m).collect();
            let _ = writeln!(out, "{pad}missing: {}", missing.join(", "));
        }
        StepResult::Error(e) => {
            let _ = writeln!(out, "{pad}error: {e}");
        }
        _ => {}
    }
    if let (Some(ir), Some(values)) = (ir, &s.values) {
        for l in expr::let_lines(program, i, ir, values) {
            let _ = writeln!(out, "{pad}{l}");
        }
    }
    for read in &s.reads {
        match read.source {
            ReadSource::Fact(l) => {
                let _ = writeln!(
                    out,
                    "{pad}{} = {}",
                    program.facts.leaves[l as usize].path,
                    value_text(program, &read.value)
                );
            }
            ReadSource::Item { leaf, index } => {
                let _ = writeln!(
                    out,
                    "{pad}{}[{index}] = {}",
                    program.facts.leaves[leaf as usize].path,
                    value_text(program, &read.value)
                );
            }
            ReadSource::Param(p) => {
                let info = &program.params[p as usize];
                let (pl, pc) = program.source.line_col(info.span.start);
                let why = read
                    .dated
                    .as_ref()
                    .map(|d| format!(" ({})", dated_why(program, d)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{pad}{} = {}{why}, defined at {}:{pl}:{pc}",
                    info.name,
                    value_text(program, &read.value),
                    program.source.name
                );
                out.push_str(&snippet(
                    &program.source,
                    &[info.span, info.value_span],
                    "        ",
                ));
            }
            ReadSource::Decision(x) => {
                let o = outcome_name(program, x, &result.decisions[x]);
                let _ = writeln!(out, "{pad}{} → {o}", program.decisions[x].name);
            }
        }
    }
    for alt in &s.counterfactual {
        let _ = writeln!(out, "{pad}⇒ {}", alternative_text(program, i, alt));
    }
}

/// Why a dated parameter had its value: `in force from 2026-07-01, as
/// order.placed_at = 2026-11-10T10:00:00+08:00`.
pub(crate) fn dated_why(program: &Program, d: &crate::eval::DatedRead) -> String {
    let when = match (d.from, d.until) {
        (Some(f), Some(u)) => format!("in force from {f} until {u}"),
        (Some(f), None) => format!("in force from {f}"),
        (None, Some(u)) => format!("in force before {u}"),
        (None, None) => "the only value".to_string(),
    };
    format!(
        "{when}, as {} = {}",
        program.facts.leaves[d.as_of as usize].path,
        value_text(program, &d.as_of_value)
    )
}

/// The expression a step evaluated.
pub(crate) fn step_expr<'p>(program: &'p Program, i: usize, s: &Step) -> Option<&'p Ir> {
    let d = &program.decisions[i];
    let matches = |ir: &&Ir| ir.span == s.span;
    match s.kind {
        StepKind::Trigger => d.trigger.as_ref().filter(matches),
        StepKind::If => d.arms.iter().find_map(|a| match a {
            ArmIr::If { cond, .. } => Some(cond).filter(matches),
            _ => None,
        }),
        StepKind::Condition { .. } => d.arms.iter().find_map(|a| match a {
            ArmIr::Require { conditions, .. } => {
                conditions.iter().map(|c| &c.expr).find(|e| matches(e))
            }
            _ => None,
        }),
        StepKind::Else => None,
        StepKind::Field { outcome, field } => d.arms.iter().find_map(|a| {
            let outcomes = match a {
                ArmIr::If { outcome, .. } | ArmIr::Else { outcome, .. } => vec![outcome],
                ArmIr::Require { pass, fail, .. } => pass.iter().chain([fail]).collect(),
            };
            outcomes
                .into_iter()
                .filter(|o| o.outcome == outcome)
                .flat_map(|o| &o.fields)
                .find(|(f, e)| *f == field && matches(&e))
                .map(|(_, e)| e)
        }),
    }
}
