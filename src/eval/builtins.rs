//! The built-in functions: arguments on the evaluator's stack, services.

use super::{dates, merge_unknown, ops, Ctx, Ev, EvalError, Halt, Rounding};
use crate::builtins::{Env, Kind};
use crate::program::{Builtin, Ir, ServicesInfo};
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
        let err = |m: EvalError| Halt::Error(m, span);
        let services = self.program.services.as_ref();
        match b {
            Builtin::MandatoryServices => {
                let s = services.ok_or_else(|| err(EvalError::NoServices))?;
                return Ok(Value::Set(
                    s.mandatory.iter().map(|v| Value::Variant(*v)).collect(),
                ));
            }
            Builtin::RequiredServices | Builtin::MissingServices => {
                let s = services.ok_or_else(|| err(EvalError::NoServices))?;
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
        if let (true, Ok(v)) = (self.explain, &applied) {
            self.note_calendar_days(b, base, v);
        }
        self.stack.truncate(base);
        applied
    }

    /// When explaining: which rules of a calendar decided the days a
    /// working-day function looked at (for coverage). `working_day_after`
    /// looks at each day after its date up to the answer, and
    /// `working_days_between` at each day it counts.
    fn note_calendar_days(&mut self, b: Builtin, base: usize, result: &Value) {
        let (c, from, to) = match (b, &self.stack[base..], result) {
            (Builtin::IsWorkingDay, [Value::Date(d), Value::Calendar(c)], _) => (*c, *d, *d),
            (Builtin::WorkingDayAfter, [Value::Date(d), _, Value::Calendar(c)], Value::Date(r)) => {
                let Some(next) = d.succ_opt() else { return };
                (*c, next, *r)
            }
            (
                Builtin::WorkingDaysBetween,
                [Value::Date(a), Value::Date(b), Value::Calendar(c)],
                _,
            ) => {
                let Some(next) = a.min(b).succ_opt() else {
                    return;
                };
                (*c, next, *a.max(b))
            }
            _ => return,
        };
        let Some(cal) = self.program.calendars.get(c as usize) else {
            return;
        };
        let seen = &mut self.memo.calendar_days;
        cal.rules_between(from, to, &mut |rule| {
            if !seen.contains(&(c, rule)) {
                seen.push((c, rule));
            }
        });
    }

    /// A built-in applied to the arguments on the stack from `base`.
    fn apply(&self, b: Builtin, base: usize, span: Span) -> Ev {
        let vals = &self.stack[base..];
        match &b.def().kind {
            Kind::Pure {
                apply,
                none_in_none_out,
                ..
            } => {
                if *none_in_none_out && matches!(vals.first(), Some(Value::None)) {
                    return Ok(Value::None);
                }
                let env = Env {
                    zone: self.program.zone,
                    calendars: &self.program.calendars,
                };
                apply(vals, &env).map_err(|m| Halt::Error(m, span))
            }
            Kind::Services => Err(Halt::Error(
                EvalError::BadArguments { function: b.name() },
                span,
            )),
        }
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
        let how = match b {
            Builtin::Floor => Rounding::Floor,
            Builtin::Ceil => Rounding::Ceil,
            _ => Rounding::HalfAwayFromZero,
        };
        let err = |m: EvalError| Halt::Error(m, span);
        let operands = self
            .both(l, r)
            .map(|(a, c)| (a.into_owned(), c.into_owned()));
        let unit = self.eval(unit);
        Some(match super::join(operands, unit) {
            Err(h) => Err(h),
            Ok(((Value::None, _), _)) | Ok(((_, Value::None), _)) => Ok(Value::None),
            Ok(((a, c), Value::Money(u))) => match dates::exact_money(*op, &a, &c) {
                Some(exact) => dates::round_exact(how, exact, u).map_err(err),
                None => Err(err(EvalError::Overflow)),
            },
            Ok(_) => Err(err(EvalError::BadArguments { function: b.name() })),
        })
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
