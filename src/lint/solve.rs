//! Satisfiability of a conjunction of tests: each subject on its own, over
//! its domain (finite, whole numbers, fen, dense or open).

use super::logic::{Cmp, Domain, Formula, Lit, Logic, Test};
use crate::types::Value;
use std::cmp::Ordering;

/// Past this many terms in a disjunctive normal form, give up.
const MAX_TERMS: usize = 256;

/// The formula as a disjunction of conjunctions; `None` past [`MAX_TERMS`].
pub(super) fn dnf(f: &Formula) -> Option<Vec<Vec<Lit>>> {
    match f {
        Formula::Const(true) => Some(vec![Vec::new()]),
        Formula::Const(false) => Some(Vec::new()),
        Formula::Lit(l) => Some(vec![vec![l.clone()]]),
        Formula::Or(ps) => {
            let mut out = Vec::new();
            for p in ps {
                out.extend(dnf(p)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            Some(out)
        }
        Formula::And(ps) => {
            let mut acc: Vec<Vec<Lit>> = vec![Vec::new()];
            for p in ps {
                let terms = dnf(p)?;
                if acc.len() * terms.len() > MAX_TERMS {
                    return None;
                }
                if let [t] = terms.as_slice() {
                    // One term: every conjunction grows in place (copying
                    // each one per part made a long `and` quadratic).
                    for a in &mut acc {
                        a.extend(t.iter().cloned());
                    }
                    continue;
                }
                let mut next = Vec::with_capacity(acc.len() * terms.len());
                for a in &acc {
                    for t in &terms {
                        let mut c = a.clone();
                        c.extend(t.iter().cloned());
                        next.push(c);
                    }
                }
                acc = next;
            }
            Some(acc)
        }
    }
}

/// A formula kept in disjunctive normal form while it grows one part at a
/// time: the terms no input meets are dropped as they appear, and a term
/// keeps, of the bounds it sets on a subject, only the tightest. So the
/// rules above a rule are conjoined once, not expanded again for every
/// rule below them. `None` when past [`MAX_TERMS`]: unknown.
#[derive(Clone, Debug)]
pub(super) struct Normal(Option<Vec<Vec<Lit>>>);

impl Normal {
    /// What every input meets.
    pub fn all() -> Normal {
        Normal(Some(vec![Vec::new()]))
    }

    /// This and `f`.
    pub fn and(&self, logic: &Logic, f: &Formula) -> Normal {
        let parts = dnf(f);
        let (Some(terms), Some(parts)) = (&self.0, &parts) else {
            // Either side may still be known to hold for no input.
            let never = self.unsat() || parts.is_some_and(|p| p.is_empty());
            return Normal(never.then(Vec::new));
        };
        if terms.len() * parts.len() > MAX_TERMS {
            return Normal(None);
        }
        let mut out = Vec::new();
        for t in terms {
            for p in parts {
                let mut c = t.clone();
                for l in p {
                    conjoin(&mut c, l);
                }
                if logic.term_sat(&c) {
                    out.push(c);
                }
            }
        }
        Normal(Some(out))
    }

    /// Whether no input meets it; `false` when unsure.
    pub fn unsat(&self) -> bool {
        matches!(&self.0, Some(terms) if terms.is_empty())
    }
}

/// Add `lit` to a conjunction, unless it already has it or a tighter bound
/// on the same side of the same subject (then a looser one gives way).
fn conjoin(term: &mut Vec<Lit>, lit: &Lit) {
    for l in term.iter_mut().filter(|l| l.subject == lit.subject) {
        if same_test(&l.test, &lit.test) {
            return;
        }
        if let Some(replace) = tighter_than(&lit.test, &l.test) {
            if replace {
                *l = lit.clone();
            }
            return;
        }
    }
    term.push(lit.clone());
}

fn same_test(a: &Test, b: &Test) -> bool {
    matches!((a, b), (Test::Cmp(x, v), Test::Cmp(y, w)) if x == y && v.same(w))
}

/// Whether bound `new` is tighter than bound `old`; `None` unless both
/// bound the same side with values that compare.
fn tighter_than(new: &Test, old: &Test) -> Option<bool> {
    let (Test::Cmp(n, nv), Test::Cmp(o, ov)) = (new, old) else {
        return None;
    };
    let lower = |c: &Cmp| matches!(c, Cmp::Gt | Cmp::Ge);
    let upper = |c: &Cmp| matches!(c, Cmp::Lt | Cmp::Le);
    if !(lower(n) && lower(o) || upper(n) && upper(o)) {
        return None;
    }
    let inclusive = |c: &Cmp| matches!(c, Cmp::Ge | Cmp::Le);
    keeps_new((nv, inclusive(n)), (ov, inclusive(o)), lower(n))
}

/// Whether a value passes a test; `None` when the values cannot be compared.
fn passes(test: &Test, v: &Value) -> Option<bool> {
    match test {
        Test::Cmp(Cmp::Eq, c) => Some(v.same(c)),
        Test::Cmp(Cmp::Ne, c) => Some(!v.same(c)),
        Test::Cmp(cmp, c) => {
            let o = v.compare(c)?;
            Some(match cmp {
                Cmp::Lt => o.is_lt(),
                Cmp::Le => o.is_le(),
                Cmp::Gt => o.is_gt(),
                Cmp::Ge => o.is_ge(),
                Cmp::Eq | Cmp::Ne => unreachable!("handled above"),
            })
        }
        Test::In(set) => Some(set.iter().any(|x| x.same(v))),
        Test::NotIn(set) => Some(!set.iter().any(|x| x.same(v))),
    }
}

/// Whether one subject can pass every test at once; `true` when unsure.
pub(super) fn subject_sat(domain: &Domain, tests: &[&Test]) -> bool {
    if let Domain::Fen { nonnegative } = domain {
        return fen_sat(*nonnegative, tests);
    }
    // A finite set of candidates, when the domain or a test gives one.
    let mut candidates: Option<Vec<Value>> = match domain {
        Domain::Finite(vs) => Some(vs.clone()),
        _ => None,
    };
    for t in tests {
        let narrowed: Option<Vec<Value>> = match t {
            Test::Cmp(Cmp::Eq, v) => Some(vec![v.clone()]),
            Test::In(set) => Some(set.clone()),
            _ => None,
        };
        if let Some(n) = narrowed {
            candidates = Some(match candidates {
                None => n,
                Some(c) => c
                    .into_iter()
                    .filter(|x| n.iter().any(|y| y.same(x)))
                    .collect(),
            });
        }
    }
    if let Some(c) = candidates {
        return c
            .iter()
            .any(|v| tests.iter().all(|t| passes(t, v) != Some(false)));
    }
    if matches!(domain, Domain::Open) {
        return true;
    }
    interval_sat(matches!(domain, Domain::Discrete), tests).unwrap_or(true)
}

/// An amount in whole fen (and at least ¥0 when `nonnegative`): each
/// test on yuan becomes a test on a whole number of fen.
fn fen_sat(nonnegative: bool, tests: &[&Test]) -> bool {
    match fen_tests(nonnegative, tests) {
        Some(Some(out)) => {
            let refs: Vec<&Test> = out.iter().collect();
            subject_sat(&Domain::Discrete, &refs)
        }
        Some(None) => false,
        None => true,
    }
}

/// The tests in fen: `Some(None)` when one can never pass (`== ¥0.005`),
/// `None` when a value is not an amount.
fn fen_tests(nonnegative: bool, tests: &[&Test]) -> Option<Option<Vec<Test>>> {
    use rust_decimal::prelude::ToPrimitive;
    let fen = |v: &Value| match v {
        Value::Money(m) => m.checked_mul(rust_decimal::Decimal::ONE_HUNDRED),
        _ => None,
    };
    let int = |d: rust_decimal::Decimal| d.to_i64().map(Value::Int);
    let mut out: Vec<Test> = Vec::new();
    if nonnegative {
        out.push(Test::Cmp(Cmp::Ge, Value::Int(0)));
    }
    for t in tests {
        match t {
            Test::Cmp(cmp, v) => {
                let f = fen(v)?;
                let exact = f.fract().is_zero();
                let test = match cmp {
                    Cmp::Eq if !exact => return Some(None),
                    Cmp::Ne if !exact => continue,
                    Cmp::Eq | Cmp::Ne => Test::Cmp(*cmp, int(f)?),
                    Cmp::Gt | Cmp::Le => Test::Cmp(*cmp, int(f.floor())?),
                    Cmp::Lt | Cmp::Ge => Test::Cmp(*cmp, int(f.ceil())?),
                };
                out.push(test);
            }
            Test::In(set) | Test::NotIn(set) => {
                let mut items = Vec::new();
                for v in set {
                    let f = fen(v)?;
                    if f.fract().is_zero() {
                        items.push(int(f)?);
                    }
                }
                out.push(match t {
                    Test::In(_) => Test::In(items),
                    _ => Test::NotIn(items),
                });
            }
        }
    }
    Some(Some(out))
}

/// Bounds of an ordered subject; `None` when values cannot be compared.
fn interval_sat(discrete: bool, tests: &[&Test]) -> Option<bool> {
    let mut lo: Option<(Value, bool)> = None;
    let mut hi: Option<(Value, bool)> = None;
    let mut excluded: Vec<&Value> = Vec::new();
    for t in tests {
        match t {
            Test::Cmp(Cmp::Gt, v) => lo = tighter(lo, (v.clone(), false), true)?,
            Test::Cmp(Cmp::Ge, v) => lo = tighter(lo, (v.clone(), true), true)?,
            Test::Cmp(Cmp::Lt, v) => hi = tighter(hi, (v.clone(), false), false)?,
            Test::Cmp(Cmp::Le, v) => hi = tighter(hi, (v.clone(), true), false)?,
            Test::Cmp(Cmp::Ne, v) => excluded.push(v),
            Test::NotIn(set) => excluded.extend(set.iter()),
            Test::Cmp(Cmp::Eq, _) | Test::In(_) => unreachable!("handled as candidates"),
        }
    }
    let (Some((lv, li)), Some((hv, hi_inc))) = (lo, hi) else {
        return Some(true);
    };
    if discrete {
        if let (Value::Int(l), Value::Int(h)) = (&lv, &hv) {
            let l = if li { *l } else { l.checked_add(1)? };
            let h = if hi_inc { *h } else { h.checked_sub(1)? };
            if l > h {
                return Some(false);
            }
            let count = i128::from(h) - i128::from(l) + 1;
            if count <= excluded.len() as i128 {
                return Some((l..=h).any(|n| !excluded.iter().any(|x| x.same(&Value::Int(n)))));
            }
            return Some(true);
        }
    }
    Some(match lv.compare(&hv)? {
        Ordering::Greater => false,
        Ordering::Equal => li && hi_inc && !excluded.iter().any(|x| x.same(&lv)),
        Ordering::Less => true,
    })
}

/// The tighter of two bounds: the larger lower bound, or the smaller upper.
fn tighter(
    current: Option<(Value, bool)>,
    new: (Value, bool),
    lower: bool,
) -> Option<Option<(Value, bool)>> {
    let Some(cur) = current else {
        return Some(Some(new));
    };
    let keep_new = keeps_new((&new.0, new.1), (&cur.0, cur.1), lower)?;
    Some(Some(if keep_new { new } else { cur }))
}

/// Whether bound `new` (a value, and whether it is inclusive) is tighter
/// than `cur` on the same side: the larger lower bound, the smaller upper,
/// the exclusive one at the same value. `None` when the values do not
/// compare.
fn keeps_new(new: (&Value, bool), cur: (&Value, bool), lower: bool) -> Option<bool> {
    Some(match new.0.compare(cur.0)? {
        Ordering::Equal => !new.1,
        Ordering::Greater => lower,
        Ordering::Less => !lower,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(cmp: Cmp, n: i64) -> Lit {
        Lit {
            subject: 0,
            test: Test::Cmp(cmp, Value::Int(n)),
        }
    }

    fn shown(term: &[Lit]) -> Vec<String> {
        term.iter().map(|l| format!("{:?}", l.test)).collect()
    }

    #[test]
    fn a_term_keeps_the_tightest_bound_on_each_side() {
        let mut term = Vec::new();
        for l in [
            lit(Cmp::Gt, 1),
            lit(Cmp::Lt, 9),
            lit(Cmp::Ge, 3),
            lit(Cmp::Gt, 2),
            lit(Cmp::Le, 9),
            lit(Cmp::Lt, 9),
            lit(Cmp::Ne, 5),
            lit(Cmp::Ne, 5),
        ] {
            conjoin(&mut term, &l);
        }
        assert_eq!(
            shown(&term),
            ["Cmp(Ge, Int(3))", "Cmp(Lt, Int(9))", "Cmp(Ne, Int(5))"]
        );
    }

    #[test]
    fn an_exclusive_bound_is_tighter_than_an_inclusive_one_at_the_same_value() {
        let t = |c, n| Test::Cmp(c, Value::Int(n));
        assert_eq!(tighter_than(&t(Cmp::Gt, 3), &t(Cmp::Ge, 3)), Some(true));
        assert_eq!(tighter_than(&t(Cmp::Ge, 3), &t(Cmp::Gt, 3)), Some(false));
        assert_eq!(tighter_than(&t(Cmp::Le, 2), &t(Cmp::Lt, 3)), Some(true));
        assert_eq!(tighter_than(&t(Cmp::Le, 2), &t(Cmp::Ge, 3)), None);
    }
}
