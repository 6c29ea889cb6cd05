//! Decisions: the header line, `let`s, rules and `require` blocks, with the
//! cites of a decision aligned in one column.

use super::doc::{at, concat, group, if_break, nest, text, Doc, Rendered};
use super::expr::expr;
use super::layout::{cite_text, Printer, Unit};
use crate::ast::{
    Arm, BinOp, Cite, Condition, Decision, Each, Expr, ExprKind, Outcome, Quantifier, Stmt,
};
use crate::source::{Name, Spanned};

/// Rules are indented this much in a decision, conditions twice as much.
const INDENT: usize = 2;

pub(super) fn decision(p: &mut Printer, d: &Decision, force: bool) {
    let Decision {
        name,
        doc,
        trigger,
        cite,
        body,
        span,
    } = d;
    let head = head(
        p,
        span.start,
        name,
        doc.as_ref(),
        trigger.as_ref(),
        cite.as_ref(),
    );
    p.push_units(vec![Unit::new(head, Some(span.start))], force);
    let mut units = Vec::new();
    for stmt in body {
        match stmt {
            Stmt::Let(name, value) => {
                let pos = p
                    .token_before(name.span.start)
                    .map_or(name.span.start, |t| t.0);
                let doc = concat(vec![
                    at("let ", pos),
                    at(&name.node, name.span.start),
                    text(" = "),
                    expr(p.src, value),
                ]);
                units.push(Unit::new(p.render(&doc, INDENT), Some(pos)));
            }
            Stmt::Arm(arm) => arm_units(p, arm, &mut units),
        }
    }
    p.place_cites(&mut units);
    p.push_units(units, false);
    p.push_line(0, "}", Some(span.end.saturating_sub(1)), false);
}

/// `decision NAME "DOC" when TRIGGER {`: a trigger of several conditions,
/// or one that does not fit, goes on a line of its own.
fn head(
    p: &Printer,
    pos: usize,
    name: &Name,
    doc: Option<&Spanned<String>>,
    trigger: Option<&Expr>,
    cite: Option<&Cite>,
) -> Vec<Rendered> {
    let mut words = format!("decision {}", name.node);
    if let Some(doc) = doc {
        words.push_str(&format!(" \"{}\"", doc.node));
    }
    let name = at(words, pos);
    let mut tail = Vec::new();
    if let Some(t) = trigger {
        tail.push(concat(vec![text("when "), expr(p.src, t)]));
    }
    if let Some(c) = cite {
        tail.push(at(cite_text(c), c.source.span.start));
    }
    if tail.is_empty() {
        return p.render(&concat(vec![name, text(" {")]), 0);
    }
    let compound =
        trigger.is_some_and(|t| matches!(t.node, ExprKind::Binary(BinOp::And | BinOp::Or, ..)));
    let mut one = vec![name.clone()];
    for t in &tail {
        one.push(text(" "));
        one.push(t.clone());
    }
    one.push(text(" {"));
    if !compound {
        if let Some(lines) = p.one_line(&concat(one), 0) {
            return lines;
        }
    }
    let mut lines = p.render(&name, 0);
    let mut rest = Vec::new();
    for (i, t) in tail.into_iter().enumerate() {
        if i > 0 {
            rest.push(text(" "));
        }
        rest.push(t);
    }
    rest.push(text(" {"));
    lines.extend(p.render(&concat(rest), INDENT));
    lines
}

fn arm_units(p: &Printer, arm: &Arm, units: &mut Vec<Unit>) {
    match arm {
        Arm::If {
            cond,
            outcome,
            cite,
            span,
        } => {
            let lines = if_arm(p, span.start, cond, outcome);
            units.push(Unit::new(lines, Some(span.start)).with_cite(cite.as_ref()));
        }
        Arm::Else {
            outcome: o,
            cite,
            span,
        } => {
            let doc = concat(vec![at("else => ", span.start), outcome(p, o)]);
            units
                .push(Unit::new(p.render(&doc, INDENT), Some(span.start)).with_cite(cite.as_ref()));
        }
        Arm::Require {
            each,
            conditions,
            pass,
            fail,
            cite,
            span,
        } => {
            let mut open = vec![at("require", span.start)];
            if let Some(each) = each {
                let Each {
                    quantifier,
                    var,
                    list,
                    keep,
                } = each.as_ref();
                let word = match quantifier {
                    Quantifier::Any => " any ",
                    Quantifier::Every => " every ",
                };
                open.push(text(word));
                open.push(at(format!("{} in ", var.node), var.span.start));
                open.push(expr(p.src, list));
                if let Some(k) = keep {
                    open.push(at(format!(" as {}", k.node), k.span.start));
                }
            }
            open.push(text(" {"));
            let open = p.render(&concat(open), INDENT);
            units.push(Unit::new(open, Some(span.start)));
            for c in conditions {
                units.push(condition(p, c));
            }
            let after = conditions.last().map_or(span.start, |c| c.span.end);
            let close = p.close_after(after).unwrap_or(after);
            let lines = match pass {
                Some(pass) => {
                    let mut parts = vec![at("} => ", close), outcome(p, pass)];
                    if let Some(c) = cite {
                        parts.push(text(" "));
                        parts.push(at(cite_text(c), c.source.span.start));
                    }
                    // Fields broken only when that makes the lines fit.
                    let doc = concat(parts);
                    let broken = p.render(&doc, INDENT);
                    let mut lines = if broken.iter().all(|l| l.width() <= p.width) {
                        broken
                    } else {
                        p.render_flat(&doc, INDENT)
                    };
                    let otherwise = concat(vec![text("else "), outcome(p, fail)]);
                    lines.extend(p.render(&otherwise, 2 * INDENT));
                    lines
                }
                None => p.render(
                    &concat(vec![at("} else ", close), outcome(p, fail)]),
                    INDENT,
                ),
            };
            units.push(Unit::new(lines, None));
        }
    }
}

/// `if COND => OUTCOME`: on one line if it fits; else the outcome under the
/// condition, unless only breaking its fields makes it fit.
fn if_arm(p: &Printer, pos: usize, cond: &Expr, o: &Outcome) -> Vec<Rendered> {
    let cond_doc = || concat(vec![at("if ", pos), expr(p.src, cond)]);
    let flat = concat(vec![cond_doc(), text(" => "), outcome(p, o)]);
    if let Some(lines) = p.one_line(&flat, INDENT) {
        return lines;
    }
    let arrow = || concat(vec![text("=> "), outcome(p, o)]);
    let under = p.one_line(&arrow(), 2 * INDENT);
    if under.is_none() || o.fields.len() > 1 {
        let head = concat(vec![cond_doc(), text(format!(" => {} {{", o.name.node))]);
        if !o.fields.is_empty() && p.one_line(&head, INDENT).is_some() {
            return p.render(
                &concat(vec![cond_doc(), text(" => "), outcome(p, o)]),
                INDENT,
            );
        }
    }
    let mut lines = p.render(&cond_doc(), INDENT);
    lines.extend(under.unwrap_or_else(|| p.render(&arrow(), 2 * INDENT)));
    lines
}

/// `EXPR else REASON`, the reason under the condition when it does not fit.
fn condition(p: &Printer, c: &Condition) -> Unit {
    let Condition {
        expr: e,
        reason,
        cite,
        span,
    } = c;
    let doc = group(concat(vec![
        expr(p.src, e),
        nest(
            INDENT,
            concat(vec![
                Doc::Line,
                text("else "),
                at(&reason.node, reason.span.start),
            ]),
        ),
    ]));
    Unit::new(p.render(&doc, 2 * INDENT), Some(span.start)).with_cite(cite.as_ref())
}

/// `name` or `name { field: value, … }`, broken one field a line (values
/// aligned) when it does not fit.
fn outcome(p: &Printer, o: &Outcome) -> Doc {
    let Outcome { name, fields, span } = o;
    let name = at(&name.node, name.span.start);
    if fields.is_empty() {
        return name;
    }
    let key_width = fields
        .iter()
        .map(|(n, _)| n.node.len() + 1)
        .max()
        .unwrap_or(0);
    let mut inner = Vec::new();
    let n = fields.len();
    for (i, (field, value)) in fields.iter().enumerate() {
        let key = format!("{}:", field.node);
        inner.push(Doc::Line);
        inner.push(if_break(
            at(format!("{key:key_width$} "), field.span.start),
            at(format!("{key} "), field.span.start),
        ));
        inner.push(expr(p.src, value));
        inner.push(if i + 1 < n {
            text(",")
        } else {
            if_break(text(","), text(""))
        });
    }
    group(concat(vec![
        name,
        text(" {"),
        nest(INDENT, concat(inner)),
        Doc::Line,
        at("}", span.end.saturating_sub(1)),
    ]))
}
