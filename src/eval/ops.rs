//! Runtime arithmetic, comparisons and built-ins, exact and overflow-checked.

use std::cmp::Ordering;

use chrono::{
    DateTime, Datelike, Duration as TimeDelta, FixedOffset, NaiveDate, NaiveTime, TimeZone,
    Timelike, Utc,
};
use rust_decimal::{Decimal, RoundingStrategy};

use super::EvalError;
use crate::ast::BinOp;
use crate::types::{Rational, Value};

pub(crate) type OpResult = Result<Value, EvalError>;

fn overflow() -> EvalError {
    EvalError::Overflow
}

/// Money rounded to the fen, halves away from zero.
pub(crate) fn to_fen(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn money_times_ratio(m: Decimal, r: Rational) -> OpResult {
    let num = Decimal::try_from_i128_with_scale(r.num, 0).map_err(|_| overflow())?;
    let den = Decimal::try_from_i128_with_scale(r.den, 0).map_err(|_| overflow())?;
    let product = m.checked_mul(num).ok_or_else(overflow)?;
    Ok(Value::Money(to_fen(
        product.checked_div(den).ok_or_else(overflow)?,
    )))
}

fn rational(op: BinOp, a: Rational, b: Rational) -> OpResult {
    let r = match op {
        BinOp::Add | BinOp::Sub => {
            let l = a.num.checked_mul(b.den).ok_or_else(overflow)?;
            let r = b.num.checked_mul(a.den).ok_or_else(overflow)?;
            let n = if op == BinOp::Add {
                l.checked_add(r)
            } else {
                l.checked_sub(r)
            }
            .ok_or_else(overflow)?;
            Rational::new(n, a.den.checked_mul(b.den).ok_or_else(overflow)?)
        }
        BinOp::Mul => Rational::new(
            a.num.checked_mul(b.num).ok_or_else(overflow)?,
            a.den.checked_mul(b.den).ok_or_else(overflow)?,
        ),
        BinOp::Div => {
            if b.num == 0 {
                return Err(EvalError::DivisionByZero);
            }
            Rational::new(
                a.num.checked_mul(b.den).ok_or_else(overflow)?,
                a.den.checked_mul(b.num).ok_or_else(overflow)?,
            )
        }
        _ => None,
    };
    r.map(Value::Ratio).ok_or_else(overflow)
}

fn int_ratio(n: i64) -> Rational {
    Rational {
        num: n as i128,
        den: 1,
    }
}

fn decimal_ratio(d: Decimal) -> Result<Rational, EvalError> {
    Rational::from_decimal(d).ok_or_else(overflow)
}

/// Arithmetic; none in, none out.
pub(crate) fn arith(op: BinOp, a: &Value, b: &Value) -> OpResult {
    use Value::*;
    if matches!(a, None) || matches!(b, None) {
        return Ok(None);
    }
    let v = match (op, a, b) {
        (BinOp::Add, Int(x), Int(y)) => Int(x.checked_add(*y).ok_or_else(overflow)?),
        (BinOp::Sub, Int(x), Int(y)) => Int(x.checked_sub(*y).ok_or_else(overflow)?),
        (BinOp::Mul, Int(x), Int(y)) => Int(x.checked_mul(*y).ok_or_else(overflow)?),
        (BinOp::Div, Int(x), Int(y)) => {
            if *y == 0 {
                return Err(EvalError::DivisionByZero);
            }
            return rational(BinOp::Div, int_ratio(*x), int_ratio(*y));
        }
        (BinOp::Add, Money(x), Money(y)) => Money(x.checked_add(*y).ok_or_else(overflow)?),
        (BinOp::Sub, Money(x), Money(y)) => Money(x.checked_sub(*y).ok_or_else(overflow)?),
        (BinOp::Mul, Money(m), Int(n)) | (BinOp::Mul, Int(n), Money(m)) => {
            Money(m.checked_mul(Decimal::from(*n)).ok_or_else(overflow)?)
        }
        (BinOp::Mul, Money(m), Ratio(r)) | (BinOp::Mul, Ratio(r), Money(m)) => {
            return money_times_ratio(*m, *r)
        }
        (BinOp::Div, Money(m), Int(n)) => {
            if *n == 0 {
                return Err(EvalError::DivisionByZero);
            }
            Money(to_fen(
                m.checked_div(Decimal::from(*n)).ok_or_else(overflow)?,
            ))
        }
        (BinOp::Div, Money(x), Money(y)) => {
            if y.is_zero() {
                return Err(EvalError::DivisionByZero);
            }
            return rational(BinOp::Div, decimal_ratio(*x)?, decimal_ratio(*y)?);
        }
        (_, Ratio(x), Ratio(y)) => return rational(op, *x, *y),
        (BinOp::Mul | BinOp::Div, Ratio(x), Int(n)) => return rational(op, *x, int_ratio(*n)),
        (BinOp::Mul, Int(n), Ratio(x)) => return rational(op, int_ratio(*n), *x),
        (BinOp::Add, Duration(x), Duration(y)) => Duration(x.checked_add(*y).ok_or_else(overflow)?),
        (BinOp::Sub, Duration(x), Duration(y)) => Duration(x.checked_sub(*y).ok_or_else(overflow)?),
        (BinOp::Mul, Duration(d), Int(n)) | (BinOp::Mul, Int(n), Duration(d)) => {
            Duration(d.checked_mul(*n).ok_or_else(overflow)?)
        }
        (BinOp::Div, Duration(x), Duration(y)) => {
            if *y == 0 {
                return Err(EvalError::DivisionByZero);
            }
            return rational(BinOp::Div, int_ratio(*x), int_ratio(*y));
        }
        (BinOp::Add, Instant(t), Duration(d)) | (BinOp::Add, Duration(d), Instant(t)) => {
            Instant(shift(*t, *d)?)
        }
        (BinOp::Sub, Instant(t), Duration(d)) => {
            Instant(shift(*t, d.checked_neg().ok_or_else(overflow)?)?)
        }
        (BinOp::Sub, Instant(x), Instant(y)) => Duration((*x - *y).num_seconds()),
        (BinOp::Add | BinOp::Sub, Date(d), Duration(secs)) => {
            if secs % 86_400 != 0 {
                return Err(EvalError::PartialDays {
                    by: crate::types::format_duration(*secs),
                });
            }
            let days = secs / 86_400;
            let days = if op == BinOp::Sub { -days } else { days };
            Date(shift_date(*d, days)?)
        }
        (BinOp::Sub, Date(x), Date(y)) => Duration((*x - *y).num_days() * 86_400),
        (BinOp::Add | BinOp::Sub, Date(d), Months(n)) => {
            let n = if op == BinOp::Sub {
                n.checked_neg().ok_or_else(overflow)?
            } else {
                *n
            };
            Date(super::dates::add_months(*d, n)?)
        }
        (BinOp::Add, Months(x), Months(y)) => Months(x.checked_add(*y).ok_or_else(overflow)?),
        (BinOp::Sub, Months(x), Months(y)) => Months(x.checked_sub(*y).ok_or_else(overflow)?),
        (BinOp::Mul, Months(m), Int(n)) | (BinOp::Mul, Int(n), Months(m)) => {
            Months(m.checked_mul(*n).ok_or_else(overflow)?)
        }
        (BinOp::Add, Set(x), Set(y)) => {
            let mut out: Vec<Value> = x.to_vec();
            for v in y.iter() {
                if !out.iter().any(|o| o.same(v)) {
                    out.push(v.clone());
                }
            }
            Set(out.into())
        }
        (BinOp::Sub, Set(x), Set(y)) => Set(x
            .iter()
            .filter(|v| !y.iter().any(|o| o.same(v)))
            .cloned()
            .collect()),
        _ => return Err(EvalError::BadOperands { op: op.symbol() }),
    };
    Ok(v)
}

/// The last year RFC 3339 can write: instants and dates stay within 0000–9999.
const YEARS: std::ops::RangeInclusive<i32> = 0..=9999;

fn out_of_range() -> EvalError {
    EvalError::OutOfCalendar
}

/// An instant moved by some seconds, within the years RFC 3339 can write.
pub(crate) fn shift(t: DateTime<Utc>, secs: i64) -> Result<DateTime<Utc>, EvalError> {
    let d = TimeDelta::try_seconds(secs).ok_or_else(out_of_range)?;
    let moved = t.checked_add_signed(d).ok_or_else(out_of_range)?;
    if YEARS.contains(&moved.year()) {
        Ok(moved)
    } else {
        Err(out_of_range())
    }
}

/// A date moved by some days, within the years RFC 3339 can write.
pub(crate) fn shift_date(d: NaiveDate, days: i64) -> Result<NaiveDate, EvalError> {
    let moved = TimeDelta::try_days(days)
        .and_then(|delta| d.checked_add_signed(delta))
        .ok_or_else(out_of_range)?;
    if YEARS.contains(&moved.year()) {
        Ok(moved)
    } else {
        Err(out_of_range())
    }
}

/// A comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`.
pub(crate) fn test(op: BinOp, a: &Value, b: &Value) -> Result<bool, EvalError> {
    let r = match op {
        BinOp::Eq => a.same(b),
        BinOp::Ne => !a.same(b),
        _ => {
            let ord = a.compare(b).ok_or(EvalError::Unordered)?;
            match op {
                BinOp::Lt => ord == Ordering::Less,
                BinOp::Le => ord != Ordering::Greater,
                BinOp::Gt => ord == Ordering::Greater,
                BinOp::Ge => ord != Ordering::Less,
                _ => return Err(EvalError::NotAComparison { op: op.symbol() }),
            }
        }
    };
    Ok(r)
}

pub(crate) fn contains(container: &Value, item: &Value) -> bool {
    match container {
        Value::Set(_) => container.set_contains(item),
        Value::Map(entries) => entries.iter().any(|(k, _)| k.same(item)),
        _ => false,
    }
}

pub(crate) fn index(map: &Value, key: &Value) -> Value {
    match map {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.same(key))
            .map_or(Value::None, |(_, v)| v.clone()),
        _ => Value::None,
    }
}

pub(crate) fn local(t: &DateTime<Utc>, zone: FixedOffset) -> DateTime<FixedOffset> {
    t.with_timezone(&zone)
}

pub(crate) fn at(date: chrono::NaiveDate, secs: u32, zone: FixedOffset) -> OpResult {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).ok_or_else(overflow)?;
    zone.from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| Value::Instant(t.with_timezone(&Utc)))
        .ok_or(EvalError::NoSuchLocalTime)
}

pub(crate) fn date_of(t: &DateTime<Utc>, zone: FixedOffset) -> Value {
    Value::Date(local(t, zone).date_naive())
}

pub(crate) fn time_of(t: &DateTime<Utc>, zone: FixedOffset) -> Value {
    Value::Time(local(t, zone).num_seconds_from_midnight())
}

/// The pick of several values: `pick(a, b)` is true when `a` should replace `b`.
pub(crate) fn pick(values: &[Value], later_wins: impl Fn(Ordering) -> bool) -> Value {
    let mut best = Value::None;
    for v in values {
        if matches!(v, Value::None) {
            continue;
        }
        if matches!(best, Value::None) || v.compare(&best).is_some_and(&later_wins) {
            best = v.clone();
        }
    }
    best
}

/// The enum variants below 128 in a set, as bits; other items are left out.
pub(crate) fn variant_bits(set: &Value) -> u128 {
    match set {
        Value::Set(items) => items.iter().fold(0, |bits, item| match item {
            Value::Variant(v) if *v < 128 => bits | 1 << v,
            _ => bits,
        }),
        _ => 0,
    }
}

pub(crate) fn set_len(v: &Value) -> i64 {
    match v {
        Value::Set(s) => s.len() as i64,
        _ => 0,
    }
}
