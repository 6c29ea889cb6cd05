//! Divisions whose divisor can be zero on inputs that reach them.

use super::logic::{inline_lets, Cmp, Formula, Lit, Logic, Test};
use super::solve::Normal;
use super::{registry, Cx};
use crate::ast::BinOp;
use crate::program::{ArmIr, Ir, IrKind};
use crate::source::Span;
use crate::types::{Rational, Type, Value};

pub(super) fn check(cx: &mut Cx) {
    let program = cx.program;
    let mut logic = Logic::new(program);
    let mut found: Vec<Span> = Vec::new();
    for d in &program.decisions {
        let mut lets: Vec<Ir> = Vec::new();
        for l in &d.lets {
            let inlined = inline_lets(&l.expr, &lets);
            lets.push(inlined);
        }
        let mut walk = |ir: &Ir, ctx: &Normal, logic: &mut Logic| {
            let ctx = Context {
                rules: ctx,
                within: Vec::new(),
            };
            visit(logic, &inline_lets(ir, &lets), &ctx, &mut found);
        };
        // The inputs that reach the next rule, grown one rule at a time.
        let mut here = Normal::all();
        if let Some(t) = &d.trigger {
            walk(t, &here, &mut logic);
            let f = logic.formula(&inline_lets(t, &lets));
            here = here.and(&logic, &f);
        }
        for arm in &d.arms {
            match arm {
                ArmIr::If { cond, outcome, .. } => {
                    walk(cond, &here, &mut logic);
                    let c = logic.formula(&inline_lets(cond, &lets));
                    let taken = here.and(&logic, &c);
                    for (_, e) in &outcome.fields {
                        walk(e, &taken, &mut logic);
                    }
                    here = here.and(&logic, &c.not());
                }
                ArmIr::Require {
                    each,
                    conditions,
                    pass,
                    fail,
                    span,
                } => {
                    // Every condition of a `require` is evaluated.
                    for c in conditions {
                        walk(&c.expr, &here, &mut logic);
                    }
                    let all = logic.require(each.as_ref(), conditions, *span, &lets);
                    let passed = here.and(&logic, &all);
                    for (_, e) in pass.iter().flat_map(|p| &p.fields) {
                        walk(e, &passed, &mut logic);
                    }
                    let failed = here.and(&logic, &all.not());
                    for (_, e) in &fail.fields {
                        walk(e, &failed, &mut logic);
                    }
                    if pass.is_some() {
                        break;
                    }
                    here = here.and(&logic, &all);
                }
                ArmIr::Else { outcome, .. } => {
                    for (_, e) in &outcome.fields {
                        walk(e, &here, &mut logic);
                    }
                    break;
                }
            }
        }
    }
    found.sort_by_key(|s| (s.start, s.end));
    found.dedup();
    for span in found {
        cx.report(
            &registry::DIVISION_BY_ZERO,
            span,
            "the divisor can be zero here",
        )
        .label("may be zero")
        .help("a case whose divisor is zero gets an `error` outcome; keep the divisor away from zero first (`n > 0 and x / n …`, `n <= 0 or x / n …`), or decide that case in a rule above");
    }
}

/// The inputs on which an expression is evaluated: those that reach its
/// rule, and what must hold within the expression to get to it. The second
/// is joined to the first only at a division, as most expressions have none.
struct Context<'a> {
    rules: &'a Normal,
    within: Vec<Formula>,
}

impl Context<'_> {
    fn and(&self, f: Formula) -> Self {
        let mut within = self.within.clone();
        within.push(f);
        Context {
            rules: self.rules,
            within,
        }
    }
}

/// Look for divisions in `ir`, which is evaluated on inputs meeting `ctx`.
fn visit(logic: &mut Logic, ir: &Ir, ctx: &Context, found: &mut Vec<Span>) {
    match &ir.kind {
        IrKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
            visit(logic, a, ctx, found);
            let left = logic.formula(a);
            // The right side is evaluated only when the left does not decide.
            let left = if *op == BinOp::And { left } else { left.not() };
            visit(logic, b, &ctx.and(left), found);
        }
        IrKind::If(c, t, e) => {
            visit(logic, c, ctx, found);
            let cond = logic.formula(c);
            visit(logic, t, &ctx.and(cond.clone()), found);
            visit(logic, e, &ctx.and(cond.not()), found);
        }
        IrKind::Binary(BinOp::Div, a, b) => {
            visit(logic, a, ctx, found);
            visit(logic, b, ctx, found);
            if may_be_zero(logic, b, ctx) {
                found.push(b.span);
            }
        }
        _ => {
            for p in ir.parts() {
                visit(logic, p, ctx, found);
            }
        }
    }
}

/// Whether `divisor` can be zero on some input meeting `ctx`.
fn may_be_zero(logic: &mut Logic, divisor: &Ir, ctx: &Context) -> bool {
    let Some(zero) = zero_of(&divisor.ty) else {
        return false;
    };
    if let Some(v) = logic.constant(divisor) {
        return v.same(&zero);
    }
    let subject = logic.subject_of(divisor);
    let is_zero = Formula::Lit(Lit {
        subject,
        test: Test::Cmp(Cmp::Eq, zero),
    });
    let here = Formula::and(ctx.within.iter().cloned().chain([is_zero]).collect());
    !ctx.rules.and(logic, &here).unsat()
}

fn zero_of(ty: &Type) -> Option<Value> {
    Some(match ty.unwrap_optional() {
        Type::Int => Value::Int(0),
        Type::Money => Value::Money(rust_decimal::Decimal::ZERO),
        Type::Duration => Value::Duration(0),
        Type::Ratio => Value::Ratio(Rational::new(0, 1)?),
        _ => return None,
    })
}
