//! Lists, records and dated parameters at evaluation time.

use super::{merge_unknown, ops, Ctx, Ev, Halt};
use crate::program::{ConditionIr, EachFunc, EachIr, Ir, MissingFact, Program};
use crate::source::Span;
use crate::types::{Rational, Type, Value};

use super::trace::{DatedRead, Read, ReadSource, StepKind};

/// An unknown that joins those seen before.
fn add_unknown(seen: &mut Option<Vec<u32>>, m: Vec<u32>) {
    *seen = Some(match seen.take() {
        Some(prev) => merge_unknown(prev, m),
        None => m,
    });
}

impl<'a> Ctx<'a> {
    /// A parameter's value; a dated one's is picked by its `as_of` fact.
    pub(super) fn param(&mut self, i: u32, span: Span) -> Result<&'a Value, Halt> {
        let program: &'a Program = self.program;
        let info = &program.params[i as usize];
        let Some(as_of) = info.as_of.filter(|_| !info.dated.is_empty()) else {
            if self.explain {
                self.read(ReadSource::Param(i), span, &Ok(info.value.clone()));
            }
            return Ok(&info.value);
        };
        let when = self.fact_ref(as_of, span)?;
        let date = match when {
            Value::Instant(t) => ops::local(t, program.zone).date_naive(),
            Value::Date(d) => *d,
            _ => {
                let fact = program.facts.leaves[as_of as usize].path.clone();
                let param = info.name.clone();
                return Err(Halt::Error(
                    super::EvalError::NoAsOfDate { fact, param },
                    span,
                ));
            }
        };
        let (value, at) = info.value_on(date);
        if self.explain && !self.reads.iter().any(|r| r.source == ReadSource::Param(i)) {
            let next = at.map_or(0, |k| k + 1);
            self.reads.push(Read {
                source: ReadSource::Param(i),
                span,
                value: value.clone(),
                dated: Some(DatedRead {
                    as_of,
                    as_of_value: when.clone(),
                    from: at.map(|k| info.dated[k].from),
                    until: info.dated.get(next).map(|d| d.from),
                }),
            });
        }
        Ok(value)
    }

    /// A field of a record; absent from the facts, it is unknown by its path.
    pub(super) fn field(&mut self, record: &Ir, field: u32) -> Ev {
        match self.eval(record)? {
            Value::Record(r) => {
                let i = field as usize;
                if r.is_present(i) {
                    return Ok(r.values[i].clone());
                }
                let id = match r.origin {
                    Some((leaf, index)) => MissingFact::Item { leaf, index, field }.encode(),
                    None => {
                        // The record carries its fields' names.
                        let field = r.fields.get(i).map_or_else(|| "?".into(), |f| f.0.clone());
                        let absent = super::EvalError::AbsentField { field };
                        return Err(Halt::Error(absent, record.span));
                    }
                };
                Err(Halt::Unknown(vec![id]))
            }
            _ => Ok(Value::None),
        }
    }

    /// The items of a list or set.
    fn items(&mut self, list: &Ir) -> Result<std::sync::Arc<[Value]>, Halt> {
        match self.eval(list)? {
            Value::List(items) | Value::Set(items) => Ok(items),
            _ => Ok(Vec::new().into()),
        }
    }

    /// Bind `item` at `depth`.
    fn bind(&mut self, depth: u32, item: Value) {
        self.vars.truncate(depth as usize);
        self.vars.push(item);
    }

    /// `any`, `all`, `count`, `sum`, `filter`, `collect` over a list.
    pub(super) fn each(&mut self, func: EachFunc, var: u32, list: &Ir, body: &Ir) -> Ev {
        let items = self.items(list)?;
        let mut unknown: Option<Vec<u32>> = None;
        let mut count = 0i64;
        let mut kept: Vec<Value> = Vec::new();
        let mut total = match body.ty.unwrap_optional() {
            Type::Money => Value::Money(rust_decimal::Decimal::ZERO),
            Type::Duration => Value::Duration(0),
            Type::Ratio => Value::Ratio(Rational { num: 0, den: 1 }),
            _ => Value::Int(0),
        };
        for item in items.iter() {
            self.bind(var, item.clone());
            let v = match func {
                EachFunc::Sum | EachFunc::Collect => self.eval(body),
                _ => self.bool(body).map(Value::Bool),
            };
            let v = match v {
                Ok(v) => v,
                Err(Halt::Unknown(m)) => {
                    add_unknown(&mut unknown, m);
                    continue;
                }
                Err(e) => return Err(e),
            };
            match (func, v) {
                // A known answer wins over an unknown one.
                (EachFunc::Any, Value::Bool(true)) => return Ok(Value::Bool(true)),
                (EachFunc::All, Value::Bool(false)) => return Ok(Value::Bool(false)),
                (EachFunc::Count, Value::Bool(true)) => count += 1,
                (EachFunc::Filter, Value::Bool(true)) => kept.push(item.clone()),
                (EachFunc::Sum, v) => {
                    total = ops::arith(crate::ast::BinOp::Add, &total, &v)
                        .map_err(|m| Halt::Error(m, body.span))?
                }
                (EachFunc::Collect, v) if !kept.iter().any(|k| k.same(&v)) => kept.push(v),
                _ => {}
            }
        }
        if let Some(m) = unknown {
            return Err(Halt::Unknown(m));
        }
        Ok(match func {
            EachFunc::Any => Value::Bool(false),
            EachFunc::All => Value::Bool(true),
            EachFunc::Count => Value::Int(count),
            EachFunc::Sum => total,
            EachFunc::Filter if matches!(list.ty, Type::Set(_)) => Value::Set(kept.into()),
            EachFunc::Filter => Value::List(kept.into()),
            EachFunc::Collect => Value::Set(kept.into()),
        })
    }

    /// A per-item `require`: every failing reason of every item goes in
    /// `reasons`; whether it passes.
    pub(super) fn require_each(
        &mut self,
        each: &EachIr,
        conditions: &[ConditionIr],
        reasons: &mut Vec<u32>,
    ) -> Result<bool, Halt> {
        let items = self.items(&each.list)?;
        let mut unknown: Option<Vec<u32>> = None;
        let mut passed = 0usize;
        // The items that pass are those `as NAME` keeps: remember them, so
        // that the `let` does not judge every item again. (Not when
        // explaining: the `let` then shows what it read.)
        let keep = each.keep.filter(|_| !self.explain);
        let mut kept: Vec<Value> = Vec::new();
        // Each item's steps show what they read of the item, not the list.
        self.reads.clear();
        for item in items.iter() {
            self.bind(each.var, item.clone());
            if let (true, Value::Record(r)) = (self.explain, item) {
                if let Some((leaf, index)) = r.origin {
                    let source = ReadSource::Item { leaf, index };
                    self.read(source, each.list.span, &Ok(item.clone()));
                }
            }
            let mut ok = true;
            for c in conditions {
                let held = self.eval(&c.expr);
                self.step_on(StepKind::Condition { reason: c.reason }, &c.expr, &held);
                match held {
                    Ok(Value::Bool(true)) => {}
                    Ok(_) => {
                        ok = false;
                        if !reasons.contains(&c.reason) {
                            reasons.push(c.reason);
                        }
                    }
                    Err(Halt::Unknown(m)) => {
                        ok = false;
                        add_unknown(&mut unknown, m);
                    }
                    Err(e) => return Err(e),
                }
            }
            passed += usize::from(ok);
            if ok && keep.is_some() {
                kept.push(item.clone());
            }
        }
        if let Some(m) = unknown {
            return Err(Halt::Unknown(m));
        }
        if let Some(k) = keep {
            let kept = match each.list.ty {
                Type::Set(_) => Value::Set(kept.into()),
                _ => Value::List(kept.into()),
            };
            self.lets[k as usize] = Some(Ok(kept));
        }
        Ok(if each.any {
            passed > 0
        } else {
            passed == items.len()
        })
    }
}
