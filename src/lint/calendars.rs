//! Calendars, rounding and dated parameters: mistakes that load but are
//! likely not what the policy team meant.

use chrono::{Datelike, NaiveDate};

use super::{registry, Cx};
use crate::ast::{self, CalendarEntryKind, Expr, ExprKind, Literal};

pub(super) fn check(cx: &mut Cx) {
    let policy = cx.policy;
    for c in &policy.calendars {
        unsorted(cx, c);
        redundant(cx, c);
    }
    let mut exprs: Vec<&Expr> = Vec::new();
    for p in &policy.params {
        p.value.walk(&mut |x| exprs.push(x));
    }
    for d in &policy.decisions {
        d.walk_exprs(&mut |x| exprs.push(x));
    }
    for e in exprs {
        rounding(cx, e);
    }
    for p in &policy.params {
        dated_same_value(cx, p);
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A `rest` or `work` list whose dates go backwards, or that lists a day twice.
fn unsorted(cx: &mut Cx, c: &ast::CalendarDecl) {
    for entry in &c.entries {
        let (CalendarEntryKind::Rest(ranges) | CalendarEntryKind::Work(ranges)) = &entry.kind
        else {
            continue;
        };
        let mut last: Option<(NaiveDate, crate::source::Span)> = None;
        for r in ranges {
            let (Some(from), to) = (date(&r.from.node), r.to.as_ref().map(|t| date(&t.node)))
            else {
                continue;
            };
            let to = to.flatten().unwrap_or(from);
            if let Some((prev, prev_span)) = last {
                if from <= prev {
                    let what = if from == prev || (from < prev && to >= prev) {
                        "overlaps the one before it"
                    } else {
                        "comes before the one listed ahead of it"
                    };
                    cx.report(
                        &registry::UNSORTED_CALENDAR,
                        r.span,
                        format!("this date {what} in the list"),
                    )
                    .label("out of order")
                    .related(prev_span, "listed before")
                    .help("list a calendar's days from the earliest to the latest, each once: a date out of order is often a typo in the year or month");
                }
            }
            if last.is_none_or(|(p, _)| to > p) {
                last = Some((to, r.span));
            }
        }
    }
}

/// A rest day the week already rests on, or a working day it already works.
fn redundant(cx: &mut Cx, c: &ast::CalendarDecl) {
    let Some(cal) = cx.program.calendars.iter().find(|k| k.name == c.name.node) else {
        return;
    };
    let week = cal.week;
    for entry in &c.entries {
        let (ranges, rest) = match &entry.kind {
            CalendarEntryKind::Rest(r) => (r, true),
            CalendarEntryKind::Work(r) => (r, false),
            CalendarEntryKind::Week(_) => continue,
        };
        for r in ranges {
            // A range of holidays may span a weekend: only single days count.
            if r.to.is_some() {
                continue;
            }
            let Some(d) = date(&r.from.node) else {
                continue;
            };
            let works = (week >> d.weekday().num_days_from_monday()) & 1 == 1;
            if works != rest {
                let (kind, already) = if rest {
                    ("rest day", "a rest day of the week")
                } else {
                    ("working day", "a working day of the week")
                };
                cx.report(
                    &registry::REDUNDANT_CALENDAR_DAY,
                    r.span,
                    format!("{d} is a {}, already {already}", d.format("%A"),),
                )
                .label(format!("listed as an extra {kind}"))
                .help("an extra day changes the week; check the date, or remove it");
            }
        }
    }
}

/// Rounding to the finest step a value already has: it changes nothing.
fn rounding(cx: &mut Cx, e: &Expr) {
    let ExprKind::Call(name, args) = &e.node else {
        return;
    };
    if !matches!(name.node.as_str(), "floor" | "ceil" | "round") {
        return;
    }
    let [x, unit] = args.as_slice() else {
        return;
    };
    // Money times a ratio is rounded exactly, so a fen unit does something.
    if matches!(
        x.node,
        ExprKind::Binary(crate::ast::BinOp::Mul | crate::ast::BinOp::Div, ..)
    ) {
        return;
    }
    let finest = match &unit.node {
        ExprKind::Lit(Literal::Money(m)) => {
            m.parse::<rust_decimal::Decimal>().ok() == Some(rust_decimal::Decimal::new(1, 2))
        }
        ExprKind::Lit(Literal::Duration(1)) | ExprKind::Lit(Literal::Int(1)) => true,
        _ => false,
    };
    if finest {
        let written = cx.source.slice(unit.span).to_string();
        cx.report(
            &registry::ROUNDING_NO_OP,
            unit.span,
            format!("every value is already a whole multiple of `{written}`"),
        )
        .label("rounds nothing")
        .help("money is counted in fen, durations in seconds: round to a coarser unit such as `¥1` or `1d`");
    }
}

/// A dated value equal to the value before it: a change that changes nothing.
fn dated_same_value(cx: &mut Cx, p: &ast::ParamDecl) {
    let mut prev = &p.value;
    for d in &p.dated {
        if d.value == *prev {
            let written = cx.source.slice(d.value.span).to_string();
            cx.report(
                &registry::DATED_NO_CHANGE,
                d.value.span,
                format!(
                    "`{}` is `{written}` both before and from {}",
                    p.name.node, d.from.node
                ),
            )
            .label("the same value")
            .help("a dated value should change the parameter: check the value, or remove the date");
        }
        prev = &d.value;
    }
}
