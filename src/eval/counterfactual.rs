//! Counterfactuals: for a condition that failed, the fact values under which
//! it would have held ("fast if `order.amount` ≤ ¥300.00").
//!
//! A comparison is solved for the one fact on one of its sides, through
//! `+`, `-`, `*` and `/` by known values and through `time_of` / `date_of`;
//! `and`, `or`, `not`, `in` and `is none` compose. Every answer is then
//! checked by deciding the case again with the fact at the bound, and one
//! unit past it, and dropped unless the condition holds at the bound and
//! fails past it: better nothing than a wrong answer. Runs only when
//! explaining.

use rust_decimal::Decimal;

use crate::ast::BinOp;
use crate::program::{Builtin, Ir, IrKind};
use crate::types::{Rational, Type, Value};

use super::{evaluate, ops, Alternative, Bound, Ctx, Memo, Results};

/// Ways to make a condition hold: any one of them, each all of its bounds.
type Ways = Vec<Vec<Bound>>;

const MAX_WAYS: usize = 4;
const MAX_BOUNDS: usize = 3;

impl Ctx<'_> {
    /// The checked ways in which a failed condition would have held.
    pub(super) fn counterfactual(&mut self, cond: &Ir) -> Vec<Alternative> {
        let ways = self.solve(cond, true).unwrap_or_default();
        self.reads.clear();
        let mut out: Vec<Alternative> = Vec::new();
        for bounds in ways {
            if out.iter().any(|a| a.bounds == bounds) {
                continue;
            }
            if let Some(then) = self.verify(cond, &bounds) {
                out.push(Alternative {
                    bounds,
                    then: Some(then),
                });
            }
        }
        out
    }

    /// The decision's status with the facts at the bounds, if the condition
    /// holds there and each bound is tight: one unit (fen, second, day) past
    /// it, the condition fails.
    fn verify(&self, cond: &Ir, bounds: &[Bound]) -> Option<super::Status> {
        let (held, status) = self.decide_at(cond, bounds)?;
        if !held {
            return None;
        }
        for (i, b) in bounds.iter().enumerate() {
            if !matches!(b.op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge) {
                continue;
            }
            let mut past = bounds.to_vec();
            past[i].op = negate(b.op);
            if self.decide_at(cond, &past)?.0 {
                return None;
            }
        }
        Some(status)
    }

    /// Decide the case again with each fact at (the nearest value meeting)
    /// its bound: whether the condition holds, and the decision's status.
    fn decide_at(&self, cond: &Ir, bounds: &[Bound]) -> Option<(bool, super::Status)> {
        let program = self.program;
        let mut facts = self.facts.clone();
        for b in bounds {
            let v = self.witness(b)?;
            facts.set(&program.facts, b.fact, v);
        }
        let case = evaluate(program, &facts, false);
        let (before, rest) = case.decisions.split_at(self.decision);
        let mut ctx = Ctx {
            program,
            facts: &facts,
            results: Results {
                before,
                after: rest.get(1..)?,
            },
            lets: &mut vec![None; program.decisions[self.decision].lets.len()],
            memo: &mut Memo::default(),
            stack: &mut Vec::new(),
            vars: self.vars.clone(),
            decision: self.decision,
            explain: false,
            reads: Vec::new(),
            trace: Vec::new(),
        };
        let held = matches!(ctx.eval(cond), Ok(Value::Bool(true)));
        let status = case.decisions.get(self.decision)?.status.clone();
        Some((held, status))
    }

    /// Ways to make `ir` evaluate to `want`, or `None` when there is none we can state.
    fn solve(&mut self, ir: &Ir, want: bool) -> Option<Ways> {
        match &ir.kind {
            IrKind::Not(a) => self.solve(a, !want),
            IrKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                if (*op == BinOp::And) == want {
                    // Every part must come to `want`: change those that do not.
                    let mut ways: Ways = vec![Vec::new()];
                    for part in [a, b] {
                        match self.eval(part) {
                            Ok(Value::Bool(v)) if v == want => continue,
                            Ok(Value::Bool(_)) => {}
                            _ => return None,
                        }
                        ways = product(ways, self.solve(part, want)?)?;
                    }
                    Some(ways)
                } else {
                    // One part coming to `want` is enough.
                    let mut ways = Vec::new();
                    for part in [a, b] {
                        ways.extend(self.solve(part, want).unwrap_or_default());
                    }
                    ways.truncate(MAX_WAYS);
                    (!ways.is_empty()).then_some(ways)
                }
            }
            IrKind::Binary(op @ (BinOp::In | BinOp::NotIn), item, set) => {
                let set = self.eval(set).ok()?;
                let op = if (*op == BinOp::In) == want {
                    BinOp::In
                } else {
                    BinOp::NotIn
                };
                Some(vec![vec![self.isolate(item, op, set)?]])
            }
            IrKind::Binary(op, a, b) if is_comparison(*op) => {
                let op = if want { *op } else { negate(*op) };
                if let Ok(target) = self.eval(b) {
                    if let Some(bound) = self.isolate(a, op, target) {
                        return Some(vec![vec![bound]]);
                    }
                }
                let target = self.eval(a).ok()?;
                Some(vec![vec![self.isolate(b, flip(op), target)?]])
            }
            IrKind::IsNone(a) if want => {
                Some(vec![vec![self.isolate(a, BinOp::Eq, Value::None)?]])
            }
            IrKind::Fact(leaf) => Some(vec![vec![self.bound(
                *leaf,
                None,
                BinOp::Eq,
                Value::Bool(want),
            )?]]),
            _ => None,
        }
    }

    /// Solve `expr op target` for the one fact inside `expr`.
    fn isolate(&mut self, expr: &Ir, op: BinOp, target: Value) -> Option<Bound> {
        match &expr.kind {
            IrKind::Fact(leaf) => self.bound(*leaf, None, op, target),
            IrKind::Call(via @ (Builtin::TimeOf | Builtin::DateOf), args) => match &args[..] {
                [Ir {
                    kind: IrKind::Fact(leaf),
                    ..
                }] => self.bound(*leaf, Some(*via), op, target),
                _ => None,
            },
            IrKind::Binary(arith @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) => {
                let fact_left = has_fact(a) || !has_fact(b);
                let (x, k) = if fact_left { (a, b) } else { (b, a) };
                let k = self.eval(k).ok()?;
                let (op, target) = match (arith, fact_left) {
                    (BinOp::Add, _) => (op, ops::arith(BinOp::Sub, &target, &k).ok()?),
                    (BinOp::Sub, true) => (op, ops::arith(BinOp::Add, &target, &k).ok()?),
                    // k - x op t  ⇔  x flip(op) k - t
                    (BinOp::Sub, false) => (flip(op), ops::arith(BinOp::Sub, &k, &target).ok()?),
                    (BinOp::Mul, _) => {
                        let k = exact(&k)?;
                        let q = divide(exact(&target)?, k)?;
                        (if k.num < 0 { flip(op) } else { op }, Value::Ratio(q))
                    }
                    (BinOp::Div, true) => {
                        let k = exact(&k)?;
                        if k.num <= 0 {
                            return None;
                        }
                        (op, Value::Ratio(multiply(exact(&target)?, k)?))
                    }
                    _ => return None,
                };
                if matches!(target, Value::None) {
                    return None;
                }
                self.isolate(x, op, target)
            }
            _ => None,
        }
    }

    /// `fact op target`, with the target made exact in the fact's unit.
    fn bound(
        &mut self,
        leaf: u32,
        via: Option<Builtin>,
        op: BinOp,
        target: Value,
    ) -> Option<Bound> {
        let actual = self.fact(leaf).ok()?;
        let zone = self.program.zone;
        let actual = match (via, &actual) {
            (None, _) => actual,
            (Some(Builtin::TimeOf), Value::Instant(t)) => ops::time_of(t, zone),
            (Some(Builtin::DateOf), Value::Instant(t)) => ops::date_of(t, zone),
            _ => return None,
        };
        let ty = match via {
            None => self.program.facts.leaves[leaf as usize]
                .ty
                .unwrap_optional()
                .clone(),
            Some(Builtin::TimeOf) => Type::Time,
            Some(_) => Type::Date,
        };
        let (op, value) = snap(op, target, &ty)?;
        Some(Bound {
            fact: leaf,
            via,
            op,
            value,
            actual,
        })
    }

    /// A value of the fact that meets the bound: the bound itself, or the
    /// nearest value past it for `<` and `>`.
    fn witness(&self, b: &Bound) -> Option<Value> {
        let program = self.program;
        let ty = program.facts.leaves[b.fact as usize].ty.unwrap_optional();
        let value = match b.op {
            BinOp::Le | BinOp::Ge | BinOp::Eq => b.value.clone(),
            BinOp::Lt => nudge(&b.value, -1)?,
            BinOp::Gt => nudge(&b.value, 1)?,
            BinOp::In => match &b.value {
                Value::Set(items) => items.first()?.clone(),
                _ => return None,
            },
            BinOp::NotIn | BinOp::Ne => {
                let excluded = |v: &Value| match &b.value {
                    Value::Set(items) => items.iter().any(|i| i.same(v)),
                    other => other.same(v),
                };
                let candidates: Vec<Value> = match ty {
                    Type::Enum(e) => program.enums[*e as usize]
                        .variants
                        .iter()
                        .map(|v| Value::Variant(*v))
                        .collect(),
                    Type::Bool => vec![Value::Bool(false), Value::Bool(true)],
                    _ if b.op == BinOp::Ne => vec![nudge(&b.value, 1)?],
                    _ => return None,
                };
                candidates.into_iter().find(|v| !excluded(v))?
            }
            _ => return None,
        };
        let zone = program.zone;
        let current = self.fact(b.fact).ok()?;
        match (b.via, &value, &current) {
            (None, _, _) => Some(value),
            (Some(Builtin::TimeOf), Value::Time(secs), Value::Instant(t)) => {
                let Value::Date(d) = ops::date_of(t, zone) else {
                    return None;
                };
                ops::at(d, *secs, zone).ok()
            }
            (Some(Builtin::DateOf), Value::Date(d), Value::Instant(t)) => {
                let Value::Time(secs) = ops::time_of(t, zone) else {
                    return None;
                };
                ops::at(*d, secs, zone).ok()
            }
            _ => None,
        }
    }
}

fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
    )
}

/// The comparison that holds exactly when `op` does not.
fn negate(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        other => other,
    }
}

/// The comparison with its sides swapped: `a < b` ⇔ `b > a`.
fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

fn has_fact(ir: &Ir) -> bool {
    ir.any(&mut |e| matches!(e.kind, IrKind::Fact(_)))
}

/// Every combination of one way from each side, within the limits.
fn product(left: Ways, right: Ways) -> Option<Ways> {
    let mut out = Vec::new();
    for l in &left {
        for r in &right {
            let mut both = l.clone();
            both.extend(r.iter().cloned());
            if both.len() > MAX_BOUNDS {
                return None;
            }
            out.push(both);
        }
    }
    out.truncate(MAX_WAYS);
    Some(out)
}

/// A number as an exact fraction.
fn exact(v: &Value) -> Option<Rational> {
    match v {
        Value::Int(n) => Rational::new(*n as i128, 1),
        Value::Money(m) => Rational::from_decimal(*m),
        Value::Ratio(r) => Some(*r),
        _ => None,
    }
}

fn multiply(a: Rational, b: Rational) -> Option<Rational> {
    Rational::new(a.num.checked_mul(b.num)?, a.den.checked_mul(b.den)?)
}

fn divide(a: Rational, b: Rational) -> Option<Rational> {
    if b.num == 0 {
        return None;
    }
    Rational::new(a.num.checked_mul(b.den)?, a.den.checked_mul(b.num)?)
}

/// The bound in the fact's own unit. A fraction between two units becomes
/// the last unit that passes: `≤ 33⅓ yuan` is `≤ ¥33.33`, `≥ 120.6` is `≥ 121`.
fn snap(op: BinOp, target: Value, ty: &Type) -> Option<(BinOp, Value)> {
    let Value::Ratio(q) = target else {
        return Some((op, target));
    };
    let per_unit: i128 = match ty {
        Type::Ratio => return Some((op, Value::Ratio(q))),
        Type::Int => 1,
        Type::Money => 100,
        _ => return None,
    };
    let scaled = multiply(q, Rational::new(per_unit, 1)?)?;
    let (op, units) = if scaled.den == 1 {
        (op, scaled.num)
    } else {
        let floor = scaled.num.div_euclid(scaled.den);
        match op {
            BinOp::Le | BinOp::Lt => (BinOp::Le, floor),
            BinOp::Ge | BinOp::Gt => (BinOp::Ge, floor.checked_add(1)?),
            _ => return None,
        }
    };
    let value = match ty {
        Type::Int => Value::Int(i64::try_from(units).ok()?),
        _ => Value::Money(Decimal::try_from_i128_with_scale(units, 2).ok()?),
    };
    Some((op, value))
}

/// The value one unit (fen, second, day) up or down.
fn nudge(v: &Value, dir: i64) -> Option<Value> {
    Some(match v {
        Value::Int(n) => Value::Int(n.checked_add(dir)?),
        Value::Money(m) => Value::Money(m.checked_add(Decimal::new(dir, 2))?),
        Value::Duration(s) => Value::Duration(s.checked_add(dir)?),
        Value::Instant(t) => Value::Instant(ops::shift(*t, dir).ok()?),
        Value::Time(s) => Value::Time(
            u32::try_from(i64::from(*s) + dir)
                .ok()
                .filter(|s| *s < 86_400)?,
        ),
        Value::Date(d) => Value::Date(ops::shift_date(*d, dir).ok()?),
        _ => return None,
    })
}
