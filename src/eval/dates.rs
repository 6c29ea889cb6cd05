//! Rounding to a unit, working days and calendar months: exact, and every
//! overflow an error.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::program::Calendar;
use crate::types::{Rational, Value};

use super::ops::{self, OpResult};
use super::EvalError;

/// How a value is rounded to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Towards minus infinity.
    Floor,
    /// Towards plus infinity.
    Ceil,
    /// To the nearest multiple, halves away from zero.
    HalfAwayFromZero,
}

/// The furthest a working-day count looks, in days, before it gives up.
const MAX_SEARCH_DAYS: i64 = 3_660;

fn overflow() -> EvalError {
    EvalError::Overflow
}

/// Whether a value is more than zero (a rounding unit must be).
pub fn is_positive(v: &Value) -> bool {
    match v {
        Value::Money(m) => m.is_sign_positive() && !m.is_zero(),
        Value::Duration(d) => *d > 0,
        Value::Int(n) => *n > 0,
        Value::Ratio(r) => r.num > 0,
        _ => false,
    }
}

/// `x / unit` rounded to a whole number by the rule of `how`: `floor`
/// towards minus infinity, `ceil` towards plus infinity, `round` to the
/// nearest with halves away from zero.
fn steps(num: i128, den: i128, how: Rounding) -> Option<i128> {
    let (q, r) = (num.div_euclid(den), num.rem_euclid(den));
    Some(match how {
        Rounding::Floor => q,
        Rounding::Ceil => q + i128::from(r != 0),
        Rounding::HalfAwayFromZero => {
            // Halves away from zero: compare twice the remainder with the unit.
            let twice = r.checked_mul(2)?;
            if twice > den || (twice == den && num >= 0) {
                q + 1
            } else {
                q
            }
        }
    })
}

/// `floor(x, unit)`, `ceil(x, unit)`, `round(x, unit)`.
pub(crate) fn round_to(how: Rounding, x: &Value, unit: &Value) -> OpResult {
    if !is_positive(unit) {
        return Err(EvalError::BadUnit);
    }
    match (x, unit) {
        (Value::None, _) => Ok(Value::None),
        (Value::Money(x), Value::Money(u)) => {
            // Both as whole fen-or-finer units of the same scale.
            let scale = x.scale().max(u.scale());
            let (mut a, mut b) = (*x, *u);
            a.rescale(scale);
            b.rescale(scale);
            let n = steps(a.mantissa(), b.mantissa(), how).ok_or_else(overflow)?;
            let n = Decimal::try_from_i128_with_scale(n, 0).map_err(|_| overflow())?;
            n.checked_mul(*u).map(Value::Money).ok_or_else(overflow)
        }
        (Value::Duration(x), Value::Duration(u)) => {
            let n = steps(i128::from(*x), i128::from(*u), how).ok_or_else(overflow)?;
            let d = n.checked_mul(i128::from(*u)).ok_or_else(overflow)?;
            i64::try_from(d)
                .map(Value::Duration)
                .map_err(|_| overflow())
        }
        (Value::Int(x), Value::Int(u)) => {
            let n = steps(i128::from(*x), i128::from(*u), how).ok_or_else(overflow)?;
            let d = n.checked_mul(i128::from(*u)).ok_or_else(overflow)?;
            i64::try_from(d).map(Value::Int).map_err(|_| overflow())
        }
        (Value::Ratio(x), Value::Ratio(u)) => {
            // x / u = (x.num · u.den) / (x.den · u.num)
            let num = x.num.checked_mul(u.den).ok_or_else(overflow)?;
            let den = x.den.checked_mul(u.num).ok_or_else(overflow)?;
            let n = steps(num, den, how).ok_or_else(overflow)?;
            Rational::new(n.checked_mul(u.num).ok_or_else(overflow)?, u.den)
                .map(Value::Ratio)
                .ok_or_else(overflow)
        }
        _ => Err(EvalError::BadArguments { function: "round" }),
    }
}

/// Money rounded to `unit` from an exact fraction of yuan.
pub(super) fn round_exact(how: Rounding, x: Rational, unit: Decimal) -> OpResult {
    if unit.is_sign_negative() || unit.is_zero() {
        return Err(EvalError::BadUnit);
    }
    let u = Rational::from_decimal(unit).ok_or_else(overflow)?;
    let num = x.num.checked_mul(u.den).ok_or_else(overflow)?;
    let den = x.den.checked_mul(u.num).ok_or_else(overflow)?;
    let n = steps(num, den, how).ok_or_else(overflow)?;
    let n = Decimal::try_from_i128_with_scale(n, 0).map_err(|_| overflow())?;
    n.checked_mul(unit).map(Value::Money).ok_or_else(overflow)
}

/// The exact value of money times a ratio or a number, or divided by a
/// number, before any rounding to the fen.
pub(super) fn exact_money(op: crate::ast::BinOp, a: &Value, b: &Value) -> Option<Rational> {
    use crate::ast::BinOp;
    let r = |v: &Value| match v {
        Value::Money(m) => Rational::from_decimal(*m),
        Value::Ratio(r) => Some(*r),
        Value::Int(n) => Rational::new(i128::from(*n), 1),
        _ => None,
    };
    let (x, y) = (r(a)?, r(b)?);
    match (op, a, b) {
        (BinOp::Mul, Value::Money(_), _) | (BinOp::Mul, _, Value::Money(_)) => {
            Rational::new(x.num.checked_mul(y.num)?, x.den.checked_mul(y.den)?)
        }
        (BinOp::Div, Value::Money(_), Value::Int(_)) => {
            Rational::new(x.num.checked_mul(y.den)?, x.den.checked_mul(y.num)?)
        }
        _ => None,
    }
}

/// ISO weekday: Monday 1 … Sunday 7.
pub(crate) fn weekday(d: NaiveDate) -> Value {
    Value::Int(i64::from(d.weekday().number_from_monday()))
}

/// The `n`th working day after `d` (`d` itself never counts); `n` = 0 is `d`.
pub(crate) fn working_day_after(cal: &Calendar, d: NaiveDate, n: i64) -> OpResult {
    if n < 0 {
        return Err(EvalError::NegativeCount { count: n });
    }
    // Further than a working day a day for the whole search is unreachable.
    if n > MAX_SEARCH_DAYS * 10 {
        return Err(EvalError::NoWorkingDay {
            calendar: cal.name.clone(),
            count: n,
        });
    }
    let mut day = d;
    let mut left = n;
    let mut looked = 0i64;
    while left > 0 {
        day = day.succ_opt().ok_or_else(overflow)?;
        looked += 1;
        if looked > MAX_SEARCH_DAYS + n * 7 {
            return Err(EvalError::NoWorkingDay {
                calendar: cal.name.clone(),
                count: n,
            });
        }
        if cal.is_working_day(day) {
            left -= 1;
        }
    }
    Ok(Value::Date(day))
}

/// The working days after `a` up to and including `b`; negative when `b`
/// comes before `a`.
pub(crate) fn working_days_between(cal: &Calendar, a: NaiveDate, b: NaiveDate) -> OpResult {
    let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    if (to - from).num_days() > MAX_SEARCH_DAYS * 10 {
        return Err(EvalError::TooFarApart { from, to });
    }
    let count = from
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| cal.is_working_day(*d))
        .count() as i64;
    Ok(Value::Int(sign * count))
}

/// A date moved by calendar months; a day the month lacks becomes its last
/// day (31 January + 1 month is 28 or 29 February).
pub(super) fn add_months(d: NaiveDate, months: i64) -> Result<NaiveDate, EvalError> {
    let m = u32::try_from(months.unsigned_abs()).map_err(|_| overflow())?;
    if months >= 0 {
        d.checked_add_months(Months::new(m))
    } else {
        d.checked_sub_months(Months::new(m))
    }
    .ok_or_else(overflow)
}

/// An instant moved by calendar months in the policy's zone, keeping its
/// local time of day.
pub(super) fn instant_add_months(
    t: &DateTime<Utc>,
    months: i64,
    zone: chrono::FixedOffset,
) -> OpResult {
    let local = ops::local(t, zone);
    let date = add_months(local.date_naive(), months)?;
    let secs = chrono::Timelike::num_seconds_from_midnight(&local);
    ops::at(date, secs, zone)
}
