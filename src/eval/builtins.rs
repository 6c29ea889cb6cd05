//! The built-in functions: arguments on the evaluator's stack, services.

use std::cmp::Ordering;

use super::{dates, merge_unknown, ops, Ctx, Ev, Halt, NONE};
use crate::program::{Builtin, Calendar, Ir, ServicesInfo};
use crate::source::Span;
use crate::types::Value;

impl<'a> Ctx<'a> {
    /// Push every argument's value on the stack, reporting every missing fact.
    fn push_all(&mut self, args: &[Ir]) -> Result<(), Halt> {
        let base = self.stack.len();
        let mut unknown: Option<Vec<u32>> = None;
        for a in args {
            match self.eval(a) {
                Ok(v) => self.stack.push(v),
                Err(Halt::Unknown(m)) => {
                    unknown = Some(merge_unknown(unknown.unwrap_or_default(), m))
                }
                Err(e) => {
                    self.stack.truncate(base);
                    return Err(e);
                }
            }
        }
        match unknown {
            Some(m) => {
                self.stack.truncate(base);
                Err(Halt::Unknown(m))
            }
            None => Ok(()),
        }
    }

    pub(super) fn call(&mut self, b: Builtin, args: &[Ir], span: Span) -> Ev {
        let err = |m: String| Halt::Error(m, span);
        let services = self.program.services.as_ref();
        match b {
            Builtin::MandatoryServices => {
                let s = services.ok_or_else(|| err("no services block".into()))?;
                return Ok(Value::Set(
                    s.mandatory.iter().map(|v| Value::Variant(*v)).collect(),
                ));
            }
            Builtin::RequiredServices | Builtin::MissingServices => {
                let s = services.ok_or_else(|| err("no services block".into()))?;
                let missing = b == Builtin::MissingServices;
                // The facts do not change within a case: work it out once.
                // (Not when explaining: each use reports what it read.)
                if let (true, false, Some(known)) = (missing, self.explain, &self.memo.missing) {
                    return known.clone();
                }
                let base = self.stack.len();
                let listed = self.required_services(s).and_then(|()| {
                    if missing {
                        let offered = self.fact_ref(s.offered, span)?;
                        let bits = ops::variant_bits(offered);
                        let mut kept = base;
                        for i in base..self.stack.len() {
                            let present = match &self.stack[i] {
                                Value::Variant(v) if *v < 128 => (bits >> v) & 1 == 1,
                                item => offered.set_contains(item),
                            };
                            if !present {
                                self.stack.swap(kept, i);
                                kept += 1;
                            }
                        }
                        self.stack.truncate(kept);
                    }
                    Ok(Value::Set(self.stack[base..].into()))
                });
                self.stack.truncate(base);
                if missing && !self.explain {
                    self.memo.missing = Some(listed.clone());
                }
                return listed;
            }
            _ => {}
        }
        if let (Builtin::Floor | Builtin::Ceil | Builtin::Round, [x, unit]) = (b, args) {
            if let Some(v) = self.round_product(b, x, unit, span) {
                return v;
            }
        }
        let base = self.stack.len();
        self.push_all(args)?;
        let applied = self.apply(b, base, span);
        self.stack.truncate(base);
        applied
    }

    /// A built-in applied to the arguments on the stack from `base`.
    fn apply(&self, b: Builtin, base: usize, span: Span) -> Ev {
        let zone = self.program.zone;
        let err = |m: String| Halt::Error(m, span);
        let vals = &self.stack[base..];
        let first = vals.first().unwrap_or(&NONE);
        Ok(match (b, first) {
            (Builtin::Min | Builtin::Earliest, _) => ops::pick(vals, |o| o == Ordering::Less),
            (Builtin::Max | Builtin::Latest, _) => ops::pick(vals, |o| o == Ordering::Greater),
            (_, Value::None) => Value::None,
            (Builtin::DateOf, Value::Instant(t)) => ops::date_of(t, zone),
            (Builtin::TimeOf, Value::Instant(t)) => ops::time_of(t, zone),
            (Builtin::EndOfDay, Value::Instant(t)) => {
                let Value::Date(d) = ops::date_of(t, zone) else {
                    unreachable!()
                };
                ops::at(d, 86_399, zone).map_err(err)?
            }
            (Builtin::StartOfDay, Value::Instant(t)) => {
                let Value::Date(d) = ops::date_of(t, zone) else {
                    unreachable!()
                };
                ops::at(d, 0, zone).map_err(err)?
            }
            (Builtin::EndOfDay, Value::Date(d)) => ops::at(*d, 86_399, zone).map_err(err)?,
            (Builtin::StartOfDay, Value::Date(d)) => ops::at(*d, 0, zone).map_err(err)?,
            (Builtin::Weekday, Value::Date(d)) => dates::weekday(*d),
            (Builtin::Floor | Builtin::Ceil | Builtin::Round, x) => {
                dates::round_to(b, x, vals.get(1).unwrap_or(&NONE)).map_err(err)?
            }
            (Builtin::IsWorkingDay, Value::Date(d)) => {
                Value::Bool(self.calendar(vals.get(1))?.is_working_day(*d))
            }
            (Builtin::WorkingDayAfter, Value::Date(d)) => match vals.get(1) {
                Some(Value::Int(n)) => {
                    dates::working_day_after(self.calendar(vals.get(2))?, *d, *n).map_err(err)?
                }
                _ => return Err(err("`working_day_after` needs a number of days".into())),
            },
            (Builtin::WorkingDaysBetween, Value::Date(a)) => match vals.get(1) {
                Some(Value::Date(b)) => {
                    dates::working_days_between(self.calendar(vals.get(2))?, *a, *b).map_err(err)?
                }
                _ => Value::None,
            },
            (Builtin::At, Value::Date(d)) => match vals.get(1) {
                Some(Value::Time(secs)) => ops::at(*d, *secs, zone).map_err(err)?,
                _ => return Err(err("`at` needs a time of day".into())),
            },
            (Builtin::Size, Value::List(items)) => Value::Int(items.len() as i64),
            (Builtin::Size, v) => Value::Int(ops::set_len(v)),
            _ => return Err(err(format!("`{}` got values it cannot use", b.name()))),
        })
    }

    /// Rounding money times a ratio (or a number), or money divided by a
    /// number: the exact product is rounded, not the amount already rounded
    /// to the fen. `None` for any other argument.
    fn round_product(&mut self, b: Builtin, x: &Ir, unit: &Ir, span: Span) -> Option<Ev> {
        let crate::program::IrKind::Binary(op, l, r) = &x.kind else {
            return None;
        };
        if !matches!(op, crate::ast::BinOp::Mul | crate::ast::BinOp::Div)
            || x.ty.unwrap_optional() != &crate::types::Type::Money
        {
            return None;
        }
        let err = |m: String| Halt::Error(m, span);
        let operands = self
            .both(l, r)
            .map(|(a, c)| (a.into_owned(), c.into_owned()));
        let unit = self.eval(unit);
        Some(match super::join(operands, unit) {
            Err(h) => Err(h),
            Ok(((Value::None, _), _)) | Ok(((_, Value::None), _)) => Ok(Value::None),
            Ok(((a, c), Value::Money(u))) => match dates::exact_money(*op, &a, &c) {
                Some(exact) => dates::round_exact(b, exact, u).map_err(err),
                None => Err(err("the result is too large".into())),
            },
            Ok(_) => Err(err("cannot round these values".into())),
        })
    }

    /// The calendar a built-in was given.
    fn calendar(&self, v: Option<&Value>) -> Result<&'a Calendar, Halt> {
        let program: &'a crate::program::Program = self.program;
        match v {
            Some(Value::Calendar(i)) => Ok(&program.calendars[*i as usize]),
            _ => Err(Halt::Error("expected a calendar".into(), Span::default())),
        }
    }

    /// Push the services the product requires on the stack.
    fn required_services(&mut self, s: &ServicesInfo) -> Result<(), Halt> {
        self.stack
            .extend(s.mandatory.iter().map(|v| Value::Variant(*v)));
        if s.addons.is_empty() {
            return Ok(());
        }
        let Some(cat) = s.category else {
            return Ok(());
        };
        let category = self.fact_ref(cat, Span::default())?;
        for (service, categories) in &s.addons {
            if categories.set_contains(category) {
                self.stack.push(Value::Variant(*service));
            }
        }
        Ok(())
    }
}
