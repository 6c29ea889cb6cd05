//! The trace of a decision as JSON data, stable enough to snapshot.

use serde_json::{Map, Value as Json};

use super::expr::{outcome_name_of, with_values};
use crate::eval::{
    Alternative, CaseResult, DecisionResult, ReadSource, Step, StepKind, StepResult,
};
use crate::output::values::{outcome_name, squash, value_json, value_text};
use crate::program::Program;
use crate::source::Span;
use crate::types::Value;

fn at(program: &Program, span: Span) -> String {
    let (line, col) = program.source.line_col(span.start);
    format!("{}:{line}:{col}", program.source.name)
}

/// The decisions a decision used, with their outcomes: `{"in_scope": "yes"}`.
pub fn uses_json(program: &Program, index: usize, result: &CaseResult) -> Option<Json> {
    let deps = &program.decisions[index].deps;
    if deps.is_empty() {
        return None;
    }
    let mut m = Map::new();
    for &x in deps {
        m.insert(
            program.decisions[x].name.to_string(),
            Json::String(outcome_name(program, x, &result.decisions[x]).into()),
        );
    }
    Some(Json::Object(m))
}

/// Every step of a decision, in the order it was taken.
pub fn trace_json(program: &Program, index: usize, r: &DecisionResult) -> Json {
    Json::Array(
        r.trace
            .iter()
            .map(|s| step_json(program, index, s))
            .collect(),
    )
}

// One piece: one arm per kind of step of a trace, each writing its JSON.
fn step_json(program: &Program, index: usize, s: &Step) -> Json {
    let d = &program.decisions[index];
    let mut m = Map::new();
    m.insert("step".into(), Json::Null);
    let kind = match s.kind {
        StepKind::Trigger => "trigger",
        StepKind::If => "if",
        StepKind::Condition { reason } => {
            m.insert(
                "reason".into(),
                Json::String(d.reasons[reason as usize].to_string()),
            );
            "condition"
        }
        StepKind::Else => "else",
        StepKind::Field { outcome, field } => {
            m.insert(
                "field".into(),
                Json::String(
                    d.outcomes[outcome as usize].fields[field as usize]
                        .0
                        .to_string(),
                ),
            );
            "field"
        }
    };
    m.insert("step".into(), Json::String(kind.into()));
    m.insert("at".into(), Json::String(at(program, s.span)));
    let source = squash(program.source.slice(s.span));
    m.insert("source".into(), Json::String(source.clone()));
    let result = match &s.result {
        StepResult::Held => Json::String("held".into()),
        StepResult::Failed => Json::String("failed".into()),
        StepResult::Value(v) => {
            m.insert("value".into(), value_json(program, v));
            Json::String("value".into())
        }
        StepResult::Unknown(missing) => {
            let paths = program
                .fact_paths(missing)
                .map(|p| Json::String(p.into()))
                .collect();
            m.insert("missing_facts".into(), Json::Array(paths));
            Json::String("unknown".into())
        }
        StepResult::Error(e) => {
            m.insert("error".into(), Json::String(e.to_string()));
            Json::String("error".into())
        }
    };
    m.insert("result".into(), result);
    if let (Some(ir), Some(values)) = (super::step_expr(program, index, s), &s.values) {
        let filled = with_values(program, ir, values);
        let value = values.value.as_ref().map(|v| value_text(program, v));
        if filled != source && Some(&filled) != value.as_ref() {
            m.insert("with_values".into(), Json::String(filled));
        }
        let lets = super::expr::let_lines(program, index, ir, values);
        if !lets.is_empty() {
            m.insert(
                "lets".into(),
                Json::Array(
                    lets.into_iter()
                        .map(|l| Json::String(l.trim_start_matches("where ").into()))
                        .collect(),
                ),
            );
        }
    }
    let reads: Vec<Json> = s
        .reads
        .iter()
        .map(|r| {
            let mut o = Map::new();
            match r.source {
                ReadSource::Fact(l) => {
                    o.insert(
                        "fact".into(),
                        Json::String(program.facts.leaves[l as usize].path.to_string()),
                    );
                    o.insert("value".into(), value_json(program, &r.value));
                }
                ReadSource::Item { leaf, index } => {
                    let path = &program.facts.leaves[leaf as usize].path;
                    o.insert("item".into(), Json::String(format!("{path}[{index}]")));
                    o.insert("value".into(), value_json(program, &r.value));
                }
                ReadSource::Param(p) => {
                    let info = &program.params[p as usize];
                    o.insert("param".into(), Json::String(info.name.clone()));
                    o.insert("value".into(), value_json(program, &r.value));
                    if let Some(d) = &r.dated {
                        let date = |d: Option<chrono::NaiveDate>| {
                            d.map_or(Json::Null, |d| Json::String(d.to_string()))
                        };
                        let mut w = Map::new();
                        w.insert(
                            "as_of".into(),
                            Json::String(program.facts.leaves[d.as_of as usize].path.to_string()),
                        );
                        w.insert("date_value".into(), value_json(program, &d.as_of_value));
                        w.insert("from".into(), date(d.from));
                        w.insert("until".into(), date(d.until));
                        w.insert("why".into(), Json::String(super::dated_why(program, d)));
                        o.insert("dated".into(), Json::Object(w));
                    }
                    o.insert("defined_at".into(), Json::String(at(program, info.span)));
                    o.insert(
                        "definition".into(),
                        Json::String(squash(program.source.slice(info.span.to(info.value_span)))),
                    );
                }
                ReadSource::Decision(i) => {
                    o.insert(
                        "decision".into(),
                        Json::String(program.decisions[i].name.to_string()),
                    );
                    o.insert("held".into(), Json::Bool(r.value == Value::Bool(true)));
                }
            }
            Json::Object(o)
        })
        .collect();
    if !reads.is_empty() {
        m.insert("reads".into(), Json::Array(reads));
    }
    if !s.counterfactual.is_empty() {
        let alts = s
            .counterfactual
            .iter()
            .map(|a| alternative_json(program, index, a))
            .collect();
        m.insert("counterfactual".into(), Json::Array(alts));
    }
    Json::Object(m)
}

/// `{"if": [{"fact": …, "op": "<=", "bound": …, "actual": …}], "then": …}`.
fn alternative_json(program: &Program, index: usize, a: &Alternative) -> Json {
    let bounds = a
        .bounds
        .iter()
        .map(|b| {
            let mut o = Map::new();
            o.insert(
                "fact".into(),
                Json::String(program.facts.leaves[b.fact as usize].path.to_string()),
            );
            if let Some(via) = b.via {
                o.insert("of".into(), Json::String(via.name().into()));
            }
            o.insert("op".into(), Json::String(b.op.symbol().into()));
            o.insert("bound".into(), value_json(program, &b.value));
            o.insert("actual".into(), value_json(program, &b.actual));
            Json::Object(o)
        })
        .collect();
    let mut m = Map::new();
    m.insert("if".into(), Json::Array(bounds));
    if let Some(then) = &a.then {
        m.insert(
            "then".into(),
            Json::String(outcome_name_of(program, index, then).into()),
        );
    }
    Json::Object(m)
}
