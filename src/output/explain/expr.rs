//! Pieces of an explanation: an expression with its values put in, a
//! counterfactual bound in words, a parameter's definition underlined.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::ast::BinOp;
use crate::eval::Status;
use crate::eval::{Alternative, Annot, Bound};
use crate::output::values::{squash, value_text};
use crate::program::{Ir, IrKind, Program};
use crate::source::{SourceFile, Span};
use crate::types::Value;

/// An expression with each fact, parameter and `let` replaced by its value:
/// `order.amount * multiple` → `¥99.90 × 3`. Of an `if`, only
/// the branch taken.
pub fn with_values(program: &Program, ir: &Ir, annot: &Annot) -> String {
    let source = || squash(program.source.slice(ir.span));
    let value = || annot.value.as_ref().map(|v| value_text(program, v));
    let part = |i: usize| -> String {
        let p = ir.parts()[i];
        match annot.parts.get(i) {
            Some(Some(a)) => with_values(program, p, a),
            _ => squash(program.source.slice(p.span)),
        }
    };
    let operand = |i: usize, parent: BinOp| -> String {
        let text = part(i);
        match &ir.parts()[i].kind {
            IrKind::Binary(op, ..) if precedence(*op) < precedence(parent) => format!("({text})"),
            _ => text,
        }
    };
    // An item, its fields and a list function's result show as values
    // (an item's field shares its span with the item).
    if let IrKind::Var(_) | IrKind::Field(..) | IrKind::Each { .. } = ir.kind {
        return value().unwrap_or_else(source);
    }
    if ir.parts().iter().any(|p| p.span == ir.span) {
        // Sugar such as `d is not o`, written as one piece.
        return source();
    }
    match &ir.kind {
        IrKind::Fact(_) | IrKind::Param(_) | IrKind::Let(_) | IrKind::DecisionField { .. } => {
            value().unwrap_or_else(source)
        }
        IrKind::Const(_) | IrKind::Exists(_) | IrKind::DecisionIs { .. } => source(),
        IrKind::Var(_) | IrKind::Field(..) | IrKind::Each { .. } => value().unwrap_or_else(source),
        IrKind::IsNone(_) => format!("{} is none", part(0)),
        IrKind::IsEmpty(_) => format!("{} is empty", part(0)),
        IrKind::Not(_) => format!("not {}", part(0)),
        IrKind::Neg(_) => format!("-{}", part(0)),
        IrKind::Binary(op, ..) => {
            format!("{} {} {}", operand(0, *op), symbol(*op), operand(1, *op))
        }
        IrKind::Call(b, args) => {
            let args: Vec<String> = (0..args.len()).map(part).collect();
            format!("{}({})", b.name(), args.join(", "))
        }
        IrKind::Set(items) => {
            let items: Vec<String> = (0..items.len()).map(part).collect();
            format!("{{{}}}", items.join(", "))
        }
        IrKind::Map(_) | IrKind::Index(..) => source(),
        IrKind::If(..) => match annot.parts.as_slice() {
            [_, Some(_), _] => part(1),
            [_, _, Some(_)] => part(2),
            _ => source(),
        },
    }
}

/// How an operator is printed in an explanation.
pub fn symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Mul => "×",
        BinOp::Le => "≤",
        BinOp::Ge => "≥",
        BinOp::Ne => "≠",
        other => other.symbol(),
    }
}

fn precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Coalesce => 3,
        BinOp::Add | BinOp::Sub => 5,
        BinOp::Mul | BinOp::Div => 6,
        _ => 4,
    }
}

/// The `let`s an expression reads, each once, innermost first.
pub fn lets_read<'a>(ir: &Ir, annot: &'a Annot, out: &mut Vec<(u32, &'a Annot)>) {
    if let IrKind::Let(i) = ir.kind {
        if let Some(Some(def)) = annot.parts.first() {
            if !out.iter().any(|(j, _)| *j == i) {
                out.push((i, def));
            }
        }
        return;
    }
    for (p, a) in ir.parts().into_iter().zip(&annot.parts) {
        if let Some(a) = a {
            lets_read(p, a, out);
        }
    }
}

/// `where NAME = …` for each `let` an expression reads, and the `let`s those read.
pub fn let_lines(program: &Program, decision: usize, ir: &Ir, annot: &Annot) -> Vec<String> {
    let mut lets = Vec::new();
    lets_read(ir, annot, &mut lets);
    let mut out = Vec::new();
    let mut next = 0;
    while let Some(&(i, def)) = lets.get(next) {
        next += 1;
        let l = &program.decisions[decision].lets[i as usize];
        out.push(format!(
            "where {}",
            computation(program, &l.name, &l.expr, def)
        ));
        let mut inner = Vec::new();
        lets_read(&l.expr, def, &mut inner);
        for (j, a) in inner {
            if !lets.iter().any(|(k, _)| *k == j) {
                lets.push((j, a));
            }
        }
    }
    out
}

/// `name = source = with values = value`, leaving out repeats.
pub fn computation(program: &Program, name: &str, ir: &Ir, annot: &Annot) -> String {
    let source = squash(program.source.slice(ir.span));
    let mut out = if source == name {
        name.to_string()
    } else {
        format!("{name} = {source}")
    };
    let value = annot
        .value
        .as_ref()
        .map_or_else(|| "?".to_string(), |v| value_text(program, v));
    let filled = with_values(program, ir, annot);
    if filled != source && filled != value {
        let _ = write!(out, " = {filled}");
    }
    if value != source {
        let _ = write!(out, " = {value}");
    }
    out
}

/// A bound as a person writes it: `order.amount ≤ ¥300.00`.
pub fn bound_text(program: &Program, b: &Bound) -> String {
    let path = &program.facts.leaves[b.fact as usize].path;
    let subject = match b.via {
        Some(via) => format!("{}({path})", via.name()),
        None => path.to_string(),
    };
    match (b.op, &b.value) {
        (BinOp::Eq, Value::None) => format!("{subject} is none"),
        (BinOp::Eq, v) => format!("{subject} = {}", value_text(program, v)),
        (op, v) => format!("{subject} {} {}", symbol(op), value_text(program, v)),
    }
}

/// One way a failed condition would have held, in words:
/// `fast if order.amount ≤ ¥300.00; it is ¥329.00`.
pub fn alternative_text(program: &Program, decision: usize, alt: &Alternative) -> String {
    let then = match &alt.then {
        Some(status) => outcome_name_of(program, decision, status).to_string(),
        None => "would pass".to_string(),
    };
    let actual = |b: &Bound| value_text(program, &b.actual);
    match alt.bounds.as_slice() {
        [b] => format!("{then} if {}; it is {}", bound_text(program, b), actual(b)),
        bounds => {
            let parts: Vec<String> = bounds
                .iter()
                .map(|b| format!("{} (it is {})", bound_text(program, b), actual(b)))
                .collect();
            format!("{then} if {}", parts.join(" and "))
        }
    }
}

/// The source lines the spans start on, with the spans underlined:
///
/// ```text
/// 66 │ param amount_limit = ¥300   cite s001 "300元以内"
///    │       ^^^^^^^^^^^^   ^^^^
/// ```
pub fn snippet(source: &SourceFile, spans: &[Span], indent: &str) -> String {
    let text = &*source.text;
    let mut lines: Vec<(usize, usize)> = Vec::new(); // (line number, line start)
    for s in spans {
        let (line, _) = source.line_col(s.start);
        let start = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
        if !lines.iter().any(|(l, _)| *l == line) {
            lines.push((line, start));
        }
    }
    lines.sort_unstable();
    let width = lines.last().map_or(1, |(l, _)| l.to_string().len());
    let mut out = String::new();
    for (line, start) in lines {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let content = text[start..end].trim_end();
        let mut marks = String::new();
        for s in spans.iter().filter(|s| s.start >= start && s.start <= end) {
            let from = UnicodeWidthStr::width(&text[start..s.start]);
            let to = UnicodeWidthStr::width(&text[start..s.end.min(end)]);
            while UnicodeWidthStr::width(marks.as_str()) < from {
                marks.push(' ');
            }
            marks.push_str(&"^".repeat(to.saturating_sub(from).max(1)));
        }
        let content = crate::output::terminal::escape(content);
        let _ = writeln!(out, "{indent}{line:>width$} │ {content}");
        let _ = writeln!(out, "{indent}{:>width$} │ {marks}", "");
    }
    out
}

/// The outcome word of a status.
pub fn outcome_name_of<'p>(program: &'p Program, decision: usize, status: &Status) -> &'p str {
    match status {
        Status::Outcome(o) => &program.decisions[decision].outcomes[*o as usize].name,
        Status::NotApplicable => "not_applicable",
        Status::Undetermined => "undetermined",
        Status::Error(..) => "error",
    }
}
