//! Expressions as documents: chains of one operator break before each
//! operator, argument lists and sets align after their opening bracket.
//! Parentheses are put back where precedence needs them (the tree does not
//! keep the ones written).

use super::doc::{align, at, concat, group, nest, text, Doc};
use crate::ast::{BinOp, Expr, ExprKind, Literal, UnOp};

/// How tightly an expression binds, as the parser's precedence table has it.
fn level(e: &ExprKind) -> u8 {
    match e {
        ExprKind::If(..) => 0,
        ExprKind::Binary(op, ..) => match op {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq
            | BinOp::Ne
            | BinOp::Lt
            | BinOp::Le
            | BinOp::Gt
            | BinOp::Ge
            | BinOp::In
            | BinOp::NotIn => 4,
            BinOp::Coalesce => 5,
            BinOp::Add | BinOp::Sub => 6,
            BinOp::Mul | BinOp::Div => 7,
        },
        ExprKind::Unary(UnOp::Not, _) => 3,
        ExprKind::Unary(UnOp::Neg, _) => 8,
        ExprKind::Is { .. } | ExprKind::Index(..) => 9,
        ExprKind::Lit(_)
        | ExprKind::Path(_)
        | ExprKind::Exists(_)
        | ExprKind::Set(_)
        | ExprKind::Map(_)
        | ExprKind::Call(..)
        | ExprKind::Each { .. } => 10,
    }
}

/// An expression where any expression may stand.
pub(super) fn expr(src: &str, e: &Expr) -> Doc {
    operand(src, e, 0)
}

/// An expression where one binding at least `min` may stand: in
/// parentheses when it binds less.
fn operand(src: &str, e: &Expr, min: u8) -> Doc {
    let d = bare(src, e);
    if level(&e.node) < min {
        concat(vec![at("(", e.span.start), align(d), text(")")])
    } else {
        d
    }
}

fn bare(src: &str, e: &Expr) -> Doc {
    let pos = e.span.start;
    let end = e.span.end.saturating_sub(1);
    match &e.node {
        ExprKind::Lit(l) => at(literal(src, l, e), pos),
        ExprKind::Path(p) => at(p.clone(), pos),
        ExprKind::Exists(name) => concat(vec![at("exists ", pos), at(&name.node, name.span.start)]),
        ExprKind::Set(items) => list(
            at("{", pos),
            items.iter().map(|i| expr(src, i)).collect(),
            at("}", end),
        ),
        ExprKind::Map(entries) => list(
            at("[", pos),
            entries
                .iter()
                .map(|(k, v)| concat(vec![expr(src, k), text(" => "), expr(src, v)]))
                .collect(),
            at("]", end),
        ),
        ExprKind::Call(name, args) => list(
            at(format!("{}(", name.node), pos),
            args.iter().map(|a| expr(src, a)).collect(),
            at(")", end),
        ),
        ExprKind::Each {
            func,
            var,
            list,
            body,
        } => group(concat(vec![
            at(format!("{}(", func.node), pos),
            at(format!("{} in ", var.node), var.span.start),
            align(concat(vec![
                expr(src, list),
                text(","),
                Doc::Line,
                expr(src, body),
                at(")", end),
            ])),
        ])),
        ExprKind::Unary(UnOp::Not, x) => {
            // `not (a == b)` reads better than `not a == b`, which means the same.
            let min = if matches!(x.node, ExprKind::Binary(..)) {
                u8::MAX
            } else {
                3
            };
            concat(vec![at("not ", pos), operand(src, x, min)])
        }
        ExprKind::Unary(UnOp::Neg, x) => concat(vec![at("-", pos), operand(src, x, 8)]),
        ExprKind::Binary(..) => chain(src, e),
        ExprKind::Is {
            subject,
            negated,
            what,
        } => concat(vec![
            operand(src, subject, 9),
            text(if *negated { " is not " } else { " is " }),
            at(&what.node, what.span.start),
        ]),
        ExprKind::Index(base, index) => concat(vec![
            operand(src, base, 9),
            text("["),
            expr(src, index),
            text("]"),
        ]),
        ExprKind::If(cond, then, otherwise) => group(concat(vec![
            at("if ", pos),
            operand(src, cond, 1),
            nest(
                2,
                concat(vec![
                    Doc::Line,
                    text("then "),
                    operand(src, then, 1),
                    Doc::Line,
                    text("else "),
                    expr(src, otherwise),
                ]),
            ),
        ])),
    }
}

/// `a or b or c`: every operator of one level, broken all together, each
/// on its own line.
fn chain(src: &str, e: &Expr) -> Doc {
    let lv = level(&e.node);
    let mut operands = Vec::new();
    flatten(e, lv, &mut operands);
    let mut rest = Vec::new();
    let mut first = None;
    for (op, x) in operands {
        match op {
            None => first = Some(operand(src, x, lv)),
            Some(op) => {
                rest.push(Doc::Line);
                rest.push(text(format!("{} ", op.symbol())));
                rest.push(operand(src, x, lv + 1));
            }
        }
    }
    let first = first.expect("a chain has a first operand");
    group(concat(vec![first, nest(2, concat(rest))]))
}

fn flatten<'e>(e: &'e Expr, lv: u8, out: &mut Vec<(Option<BinOp>, &'e Expr)>) {
    match &e.node {
        ExprKind::Binary(op, l, r) if level(&e.node) == lv => {
            flatten(l, lv, out);
            out.push((Some(*op), r));
        }
        _ => out.push((None, e)),
    }
}

/// `open a, b, c close`, broken one item a line under the first.
fn list(open: Doc, items: Vec<Doc>, close: Doc) -> Doc {
    if items.is_empty() {
        return concat(vec![open, close]);
    }
    let mut inner = Vec::new();
    let n = items.len();
    for (i, item) in items.into_iter().enumerate() {
        inner.push(item);
        if i + 1 < n {
            inner.push(text(","));
            inner.push(Doc::Line);
        }
    }
    group(concat(vec![open, align(concat(inner)), close]))
}

/// A literal as written: durations and times keep their spelling, money
/// takes the ASCII-width `¥`.
fn literal(src: &str, l: &Literal, e: &Expr) -> String {
    match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Int(n) => n.to_string(),
        Literal::Money(digits) => format!("¥{digits}"),
        Literal::Percent(p) => format!("{p}%"),
        Literal::Duration(_) | Literal::Months(_) | Literal::Time(..) => src
            .get(e.span.start..e.span.end)
            .unwrap_or_default()
            .to_string(),
        Literal::Date(d) | Literal::Instant(d) => d.clone(),
        Literal::Text(t) => format!("\"{t}\""),
        Literal::None => "none".to_string(),
    }
}
