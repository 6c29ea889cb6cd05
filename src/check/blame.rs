//! Mistakes a parameter causes where it is used, reported at the parameter:
//! that is where the fix goes.

use super::Checker;
use crate::ast::{BinOp, Expr, ExprKind, Literal};
use crate::program::{Ir, IrKind};
use crate::types::{format_duration, Type, Value};

impl Checker<'_> {
    /// A parameter written as a bare number used as money, a share or a
    /// duration (`param limit = 300` compared with an amount): report it at
    /// the parameter, with the value it meant. `true` when reported.
    pub(super) fn blame_param_type(&mut self, e: &Expr, op: BinOp, a: &Ir, b: &Ir) -> bool {
        for (side, other) in [(a, b), (b, a)] {
            let IrKind::Param(i) = side.kind else {
                continue;
            };
            let p = &self.params[i as usize];
            let (Type::Int, Value::Int(n)) = (&p.ty, &p.value) else {
                continue;
            };
            let (meant, fixes) = match other.ty.unwrap_optional() {
                Type::Money => (format!("¥{n}"), vec![format!("¥{n}")]),
                Type::Ratio => (format!("{n}%"), vec![format!("{n}%")]),
                Type::Duration => (
                    format!("{n}h` or `{n}d"),
                    vec![format!("{n}h"), format!("{n}d")],
                ),
                _ => continue,
            };
            // Only a parameter written as a plain number: an `int` computed
            // from others, or declared `: int`, is meant as a number.
            let ast = self.policy.params.iter().find(|q| q.name.node == p.name);
            let bare = ast.is_some_and(|q| {
                q.ty.is_none() && matches!(q.value.node, ExprKind::Lit(Literal::Int(_)))
            });
            if !bare {
                continue;
            }
            let (name, value_span) = (p.name.clone(), p.value_span);
            let other_ty = self.show(&other.ty);
            self.error(
                "vouch::check::type_mismatch",
                value_span,
                format!("`{name}` is a whole number, but it is used as {other_ty}"),
            )
            .label("this is int")
            .related(
                e.span,
                format!("used with {other_ty} here (`{}`)", op.symbol()),
            )
            .help(format!("write `{meant}`"));
            // One meaning is a fix to apply; two are for a person to choose.
            let applicable = fixes.len() == 1;
            let f = self.findings.last_mut().expect("just reported");
            for with in fixes {
                f.fix(format!("write `{with}`"), value_span, with, applicable);
            }
            return true;
        }
        false
    }

    /// A date moves by whole days: a constant duration that is not a whole
    /// number of days is an error where it is written (at the parameter, for
    /// a parameter), not an `error` outcome on every case.
    pub(super) fn whole_days(&mut self, e: &Expr, duration: &Ir) {
        // (seconds, where written, the parameter's name): a parameter's
        // value and each of its dated values.
        let values: Vec<(i64, crate::source::Span, Option<String>)> = match &duration.kind {
            IrKind::Const(Value::Duration(s)) => vec![(*s, duration.span, None)],
            IrKind::Param(i) => {
                let p = &self.params[*i as usize];
                // A dated value is reported where the value, not its date, is.
                let ast = self.policy.params.iter().find(|q| q.name.node == p.name);
                let spans = ast.map(|q| q.dated.iter().map(|d| d.value.span).collect::<Vec<_>>());
                let base = std::iter::once((&p.value, p.value_span));
                let dated = p.dated.iter().enumerate().map(|(k, d)| {
                    let span = spans.as_ref().and_then(|s| s.get(k).copied());
                    (&d.value, span.unwrap_or(d.span))
                });
                base.chain(dated)
                    .filter_map(|(v, span)| match v {
                        Value::Duration(s) => Some((*s, span, Some(p.name.clone()))),
                        _ => None,
                    })
                    .collect()
            }
            _ => return,
        };
        for (secs, span, name) in values {
            self.partial_day(e, secs, span, name);
        }
    }

    fn partial_day(
        &mut self,
        e: &Expr,
        secs: i64,
        span: crate::source::Span,
        name: Option<String>,
    ) {
        if secs % 86_400 == 0 {
            return;
        }
        let code = "vouch::check::partial_day";
        if self
            .findings
            .iter()
            .any(|f| f.code == code && f.span == span)
        {
            return;
        }
        let what = match &name {
            Some(n) => format!(
                "`{n}` moves a date but is {}, not a whole number of days",
                format_duration(secs)
            ),
            None => format!(
                "`{}` moves a date but is not a whole number of days",
                format_duration(secs)
            ),
        };
        let (floor, ceil) = (secs.abs() / 86_400, secs.abs() / 86_400 + 1);
        let whole = if floor == 0 {
            format!("`{ceil}d`")
        } else {
            format!("`{floor}d` or `{ceil}d`")
        };
        self.error(code, span, what)
        .label("not a whole number of days")
        .related(e.span, "a date moved here")
        .help(format!(
            "a date moves by whole days: write {whole}, or move an instant instead (`at(DATE, TIME) + {}`)",
            format_duration(secs)
        ));
    }
}
