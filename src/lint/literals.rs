//! Literals, time zones and citations.

use super::registry;
use std::str::FromStr;

use chrono::DateTime;
use rust_decimal::Decimal;

use super::Cx;
use crate::ast::{self, Arm, BinOp, Expr, ExprKind, Literal, Requirement, Stmt, UnOp};
use crate::source::Span;
use crate::types::{format_instant, Type, Value};

pub(super) fn check<'p>(cx: &mut Cx<'p>) {
    let mut exprs: Vec<&Expr> = Vec::new();
    let policy: &'p ast::Policy = cx.policy;
    let mut all = |e: &'p Expr| e.walk(&mut |x| exprs.push(x));
    for p in &policy.params {
        all(&p.value);
    }
    if let Some(block) = &policy.services {
        for s in &block.services {
            if let Requirement::RequiredFor(e) = &s.requirement {
                all(e);
            }
        }
    }
    for d in &policy.decisions {
        d.walk_exprs(&mut |x| exprs.push(x));
    }
    for e in &exprs {
        literal(cx, e);
    }
    duration_params(cx);
    param_ranges(cx);
    zones(cx, &exprs);
    citations(cx);
}

fn literal(cx: &mut Cx, e: &Expr) {
    match &e.node {
        ExprKind::Lit(Literal::Percent(text)) => {
            let over = Decimal::from_str(text).is_ok_and(|d| d > Decimal::ONE_HUNDRED);
            if over {
                cx.report(
                    &registry::PERCENT_OVER_100,
                    e.span,
                    format!("`{text}%` is more than 100%"),
                )
                .label("above 100%")
                .help("a share is at most 100%; for a multiple of a price write a number, as in `order.amount * 3`");
            }
        }
        // A zero duration is a fine value (`else 0s`), but not a window.
        ExprKind::Binary(BinOp::Add | BinOp::Sub, a, b) => {
            for side in [a, b] {
                if matches!(side.node, ExprKind::Lit(Literal::Duration(0))) {
                    cx.report(
                        &registry::NON_POSITIVE_DURATION,
                        side.span,
                        "adding or subtracting a zero duration changes nothing",
                    )
                    .label("zero")
                    .help("windows and deadlines are positive: `6h`, `7d`");
                }
            }
        }
        ExprKind::Unary(UnOp::Neg, inner)
            if matches!(inner.node, ExprKind::Lit(Literal::Duration(_))) =>
        {
            cx.report(
                &registry::NON_POSITIVE_DURATION,
                e.span,
                "this duration is negative",
            )
            .label("negative")
            .help("to go back in time, subtract a positive duration: `order.placed_at - 6h`");
        }
        _ => {}
    }
}

/// A duration parameter of zero or less.
fn duration_params(cx: &mut Cx) {
    let mut found = Vec::new();
    for (p, ast_p) in cx.program.params.iter().zip(&cx.policy.params) {
        let (Type::Duration, Value::Duration(secs)) = (&p.ty, &p.value) else {
            continue;
        };
        // A negated literal is reported where it is written.
        let literal = match &ast_p.value.node {
            ExprKind::Unary(UnOp::Neg, inner) => {
                matches!(inner.node, ExprKind::Lit(Literal::Duration(_)))
            }
            _ => false,
        };
        if *secs <= 0 && !literal {
            found.push((p.value_span, p.name.clone(), *secs));
        }
    }
    for (span, name, secs) in found {
        let what = if secs == 0 { "zero" } else { "negative" };
        cx.report(
            &registry::NON_POSITIVE_DURATION,
            span,
            format!("the duration `{name}` is {what}"),
        )
        .label(format!("this is {}", crate::types::format_duration(secs)))
        .help("windows and deadlines are positive: `6h`, `7d`");
    }
}

/// Why a parameter's value is outside what its type sensibly holds, if it
/// is. Durations of zero or less are `non-positive-duration`'s, and a
/// percentage literal above 100% is `percent-over-100`'s.
fn out_of_range(value: &Value, literal_percent: bool) -> Option<&'static str> {
    use chrono::Datelike;
    let year_ok = |y: i32| (2000..=2099).contains(&y);
    match value {
        Value::Money(m) if m.is_sign_negative() && !m.is_zero() => {
            Some("an amount of money is never negative")
        }
        Value::Int(n) if *n < 0 => Some("counts and multiples are never negative"),
        Value::Ratio(r) if r.num < 0 => Some("a share is never negative"),
        Value::Ratio(r) if r.num > r.den && !literal_percent => Some("a share is at most 100%"),
        Value::Duration(secs) if *secs > 3_660 * 86_400 => {
            Some("a window or delay of more than ten years")
        }
        Value::Instant(t) if !year_ok(t.year()) => {
            Some("an instant outside the years 2000 to 2099")
        }
        Value::Date(d) if !year_ok(d.year()) => Some("a date outside the years 2000 to 2099"),
        _ => None,
    }
}

/// A parameter whose value is outside its type's sensible range: negative
/// money, a negative count, a share above 100%, a date in another century.
fn param_ranges(cx: &mut Cx) {
    let mut found = Vec::new();
    for (p, ast_p) in cx.program.params.iter().zip(&cx.policy.params) {
        let literal_percent = matches!(ast_p.value.node, ExprKind::Lit(Literal::Percent(_)));
        if let Some(why) = out_of_range(&p.value, literal_percent) {
            found.push((p.value_span, p.name.clone(), p.value.clone(), why));
        }
        for (k, d) in p.dated.iter().enumerate() {
            if let Some(why) = out_of_range(&d.value, false) {
                let span = ast_p.dated.get(k).map_or(d.span, |a| a.value.span);
                found.push((span, p.name.clone(), d.value.clone(), why));
            }
        }
    }
    for (span, name, value, why) in found {
        let shown = cx.show(&value);
        cx.report(
            &registry::PARAM_OUT_OF_RANGE,
            span,
            format!("`{name}` is {shown}: {why}"),
        )
        .label("out of range")
        .help("check the value for a sign or a digit too many; limits, shares and windows are positive and within their type's range");
    }
}

fn zones(cx: &mut Cx, exprs: &[&Expr]) {
    let Some(header) = &cx.policy.header else {
        return;
    };
    if header.zone.is_none() {
        let (at, entry) = zone_entry(&cx.source.text, header);
        cx.report(
            &registry::MISSING_ZONE,
            header.id.span,
            format!("the policy `{}` has no time zone", header.id.node),
        )
        .label("no `zone` in this header")
        .help("add `zone \"+08:00\"` (China Standard Time); without it, dates and times of day are read in UTC")
        .fix("add `zone \"+08:00\"`", at, entry, true);
    }
    let zone = cx.program.zone;
    let mut reference: Option<i32> = header.zone.as_ref().map(|_| zone.local_minus_utc());
    let mut found = Vec::new();
    for e in exprs {
        let ExprKind::Lit(Literal::Instant(text)) = &e.node else {
            continue;
        };
        let Ok(t) = DateTime::parse_from_rfc3339(text) else {
            continue;
        };
        let offset = t.offset().local_minus_utc();
        match reference {
            None => reference = Some(offset),
            Some(r) if r != offset => found.push((e.span, text.clone(), t)),
            Some(_) => {}
        }
    }
    for (span, text, t) in found {
        let same = format_instant(t.to_utc(), zone);
        let whose = if header.zone.is_some() {
            "the policy's zone"
        } else {
            "the zone of the first instant"
        };
        cx.report(
            &registry::MIXED_ZONES,
            span,
            format!("`{text}` is written in another zone than {whose}"),
        )
        .label(format!("offset {}", t.offset()))
        .help(format!(
            "it is the same moment as `{same}`; write every instant of a policy in its zone"
        ));
    }
}

fn citations(cx: &mut Cx) {
    let policy = cx.policy;
    let Some(header) = &policy.header else {
        return;
    };
    let mut uncited: Vec<Span> = Vec::new();
    for d in &policy.decisions {
        if d.cite.is_some() {
            continue;
        }
        for stmt in &d.body {
            match stmt {
                Stmt::Arm(Arm::If {
                    cond, cite: None, ..
                }) => uncited.push(cond.span),
                Stmt::Arm(Arm::Require { conditions, .. }) => uncited.extend(
                    conditions
                        .iter()
                        .filter(|c| c.cite.is_none())
                        .map(|c| c.expr.span),
                ),
                _ => {}
            }
        }
    }
    if uncited.is_empty() {
        return;
    }
    if header.sources.is_empty() {
        cx.report(
            &registry::MISSING_CITATION,
            header.id.span,
            format!("the policy `{}` declares no sources, so its rules cite none", header.id.node),
        )
        .label("no `source` in this header")
        .help("declare the texts the policy encodes (`source s001 \"title\"`) and cite the clause each rule encodes");
        return;
    }
    for span in uncited {
        cx.report(&registry::MISSING_CITATION, span, "this rule cites no source")
            .label("no `cite`")
            .help("add `cite ID \"quoted clause\"` after the rule, or cite the decision; a rule that is a reading rather than a quote can say so and be suppressed");
    }
}

/// Where `zone "+08:00"` goes, and how: right after the header's `{`, on a
/// line of its own when the header spans lines.
fn zone_entry(text: &str, header: &crate::ast::Header) -> (crate::source::Span, String) {
    let from = header.id.span.end;
    let body = &text[from..header.span.end.min(text.len())];
    let at = from + body.find('{').map_or(0, |b| b + 1);
    let entry = if body.contains('\n') {
        "\n  zone \"+08:00\""
    } else {
        " zone \"+08:00\""
    };
    (crate::source::Span::new(at, at), entry.to_string())
}
