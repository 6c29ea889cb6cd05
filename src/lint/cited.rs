//! Citations read as numbers: a parameter's value against the quantities of
//! its cite (`6d` under "6小时"), and the strictness of a comparison against
//! the words that bound them ("以内" includes its bound, "低于" excludes it).

use std::cmp::Ordering;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::logic::Cmp;
use super::quantities::{quantities, Quantity};
use super::{registry, Cx};
use crate::ast::{self, Arm, BinOp, Cite, Expr, ExprKind, Literal, Stmt};
use crate::program::ParamInfo;
use crate::source::Span;
use crate::types::{Rational, Value};

pub(super) fn check(cx: &mut Cx) {
    values(cx);
    strictness(cx);
}

/// Whether two values are of one kind and equal.
fn equal(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b) && a.compare(b) == Some(Ordering::Equal)
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A parameter whose value is none of the quantities of its kind in its cite.
fn values(cx: &mut Cx) {
    let mut found = Vec::new();
    for p in &cx.policy.params {
        let Some(cite) = &p.cite else { continue };
        let Some(info) = param(cx, &p.name.node) else {
            continue;
        };
        let said: Vec<Quantity> = quantities(&cite.quote.node)
            .into_iter()
            .filter(|q| same_kind(&q.value, &info.value))
            .collect();
        // A parameter that changes on a date agrees when any of its values does.
        let mut values = std::iter::once(&info.value).chain(info.dated.iter().map(|d| &d.value));
        if said.is_empty() || values.any(|v| said.iter().any(|q| equal(&q.value, v))) {
            continue;
        }
        found.push((info, cite, said));
    }
    for (info, cite, said) in found {
        let mut texts: Vec<String> = Vec::new();
        let mut meant: Vec<String> = Vec::new();
        for q in &said {
            if !texts.contains(&q.text) {
                texts.push(q.text.clone());
            }
            let shown = cx.show(&q.value);
            if !meant.contains(&shown) {
                meant.push(shown);
            }
        }
        let value = cx.show(&info.value);
        cx.report(
            &registry::VALUE_CONTRADICTS_CITE,
            info.value_span,
            format!(
                "`{}` is {value}, but its cite says {}",
                info.name,
                texts.join(", ")
            ),
        )
        .label(format!("{value} is not what the cite says"))
        .related(cite.quote.span, "the clause it cites")
        .help(format!(
            "the cite reads {}: write `{}`, or cite the clause that gives {value}",
            texts.join(", "),
            meant.join("` or `")
        ));
    }
}

fn param<'p>(cx: &Cx<'p>, name: &str) -> Option<&'p ParamInfo> {
    cx.program.params.iter().find(|p| p.name == name)
}

/// A comparison to check: where, how (bound on the right), the bound's
/// value, and the cites that speak for it.
struct Compared<'a> {
    span: Span,
    cmp: Cmp,
    bound: Value,
    cites: Vec<&'a Cite>,
}

/// A comparison whose strictness contradicts the words its cite bounds the
/// same number with.
fn strictness(cx: &mut Cx) {
    let policy: &ast::Policy = cx.policy;
    let mut found: Vec<Compared> = Vec::new();
    for d in &policy.decisions {
        let mut rules: Vec<(&Expr, Option<&Cite>)> = Vec::new();
        if let Some(t) = &d.trigger {
            rules.push((t, d.cite.as_ref()));
        }
        for stmt in &d.body {
            match stmt {
                Stmt::Arm(Arm::If { cond, cite, .. }) => {
                    rules.push((cond, cite.as_ref().or(d.cite.as_ref())))
                }
                Stmt::Arm(Arm::Require { conditions, .. }) => rules.extend(
                    conditions
                        .iter()
                        .map(|c| (&c.expr, c.cite.as_ref().or(d.cite.as_ref()))),
                ),
                _ => {}
            }
        }
        for (expr, cite) in rules {
            expr.walk(&mut |e| {
                if let Some(c) = compared(cx, e, cite) {
                    found.push(c);
                }
            });
        }
    }
    for c in found {
        let Some((region, word, quote)) = c.cites.iter().find_map(|cite| {
            quantities(&cite.quote.node)
                .into_iter()
                .find(|q| equal(&q.value, &c.bound) && q.bound.is_some())
                .and_then(|q| q.bound)
                .map(|(region, word)| (region, word, cite.quote.span))
        }) else {
            continue;
        };
        if c.cmp == region || c.cmp == region.negate() {
            continue;
        }
        let upper = |x: Cmp| matches!(x, Cmp::Lt | Cmp::Le);
        let want = if upper(c.cmp) == upper(region) {
            region
        } else {
            region.negate()
        };
        let includes = matches!(region, Cmp::Le | Cmp::Ge);
        let (said, did) = if includes {
            ("includes", "leaves it out")
        } else {
            ("excludes", "counts it in")
        };
        let bound = cx.show(&c.bound);
        cx.report(
            &registry::BOUND_CONTRADICTS_CITE,
            c.span,
            format!(
                "the cite's `{word}` {said} {bound}, but `{}` {did}",
                symbol(c.cmp)
            ),
        )
        .label(format!("`{}` here", symbol(c.cmp)))
        .related(quote, format!("`{word}` {said} the bound"))
        .help(format!(
            "write `{}` to read the cite as it is written, or cite the words that bound it the other way",
            symbol(want)
        ));
    }
}

/// An ordering comparison with a constant bound: a parameter, `x ± parameter`
/// or a literal, with the cites that may speak for it.
fn compared<'a>(cx: &Cx<'a>, e: &Expr, cite: Option<&'a Cite>) -> Option<Compared<'a>> {
    let ExprKind::Binary(op, a, b) = &e.node else {
        return None;
    };
    let cmp = match op {
        BinOp::Lt => Cmp::Lt,
        BinOp::Le => Cmp::Le,
        BinOp::Gt => Cmp::Gt,
        BinOp::Ge => Cmp::Ge,
        _ => return None,
    };
    let (side, cmp) = match (bound_of(cx, b), bound_of(cx, a)) {
        (Some(s), None) => (s, cmp),
        (None, Some(s)) => (s, cmp.flip()),
        _ => return None,
    };
    let (bound, param_name) = side;
    let mut cites: Vec<&'a Cite> = cite.into_iter().collect();
    if let Some(name) = param_name {
        let p = cx.policy.params.iter().find(|p| p.name.node == name);
        cites.extend(p.and_then(|p| p.cite.as_ref()));
    }
    Some(Compared {
        span: e.span,
        cmp,
        bound,
        cites,
    })
}

/// The constant a side of a comparison sets as a bound, and the parameter
/// that gives it.
fn bound_of(cx: &Cx, e: &Expr) -> Option<(Value, Option<String>)> {
    match &e.node {
        ExprKind::Path(name) => param(cx, name).map(|p| (p.value.clone(), Some(name.clone()))),
        ExprKind::Binary(BinOp::Add | BinOp::Sub, x, y) => {
            match (bound_of(cx, x), bound_of(cx, y)) {
                (None, Some(b)) => Some(b),
                (Some(b), None) if matches!(y.node, ExprKind::Path(_) | ExprKind::Call(..)) => {
                    Some(b)
                }
                _ => None,
            }
        }
        ExprKind::Lit(l) => literal(l).map(|v| (v, None)),
        _ => None,
    }
}

fn literal(l: &Literal) -> Option<Value> {
    Some(match l {
        Literal::Int(n) => Value::Int(*n),
        Literal::Money(t) => Value::Money(Decimal::from_str(t).ok()?),
        Literal::Percent(t) => Value::Ratio(Rational::from_decimal(
            Decimal::from_str(t)
                .ok()?
                .checked_div(Decimal::ONE_HUNDRED)?,
        )?),
        Literal::Duration(s) => Value::Duration(*s),
        Literal::Time(h, m, s) => Value::Time(h * 3_600 + m * 60 + s),
        _ => return None,
    })
}

fn symbol(c: Cmp) -> &'static str {
    match c {
        Cmp::Eq => "==",
        Cmp::Ne => "!=",
        Cmp::Lt => "<",
        Cmp::Le => "<=",
        Cmp::Gt => ">",
        Cmp::Ge => ">=",
    }
}
