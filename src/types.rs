//! The types of the language and the exact values they hold.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

/// A static type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`
    Bool,
    /// `int`: a whole number
    Int,
    /// `money`: yuan, to the fen
    Money,
    /// `ratio`: an exact fraction, written as a percent
    Ratio,
    /// `text`
    Text,
    /// `instant`: a moment, with its offset
    Instant,
    /// `duration`: whole seconds
    Duration,
    /// `time`: a time of day in the zone
    Time,
    /// `date`: a calendar day
    Date,
    /// An enumeration, by index into the program's enums.
    Enum(u32),
    /// `set<T>`
    Set(Box<Type>),
    /// Items in order; a fact's list of records.
    List(Box<Type>),
    /// `map<K, V>`
    Map(Box<Type>, Box<Type>),
    /// Named fields, in declaration order.
    Record(Arc<[(Arc<str>, Type)]>),
    /// A number of calendar months.
    Months,
    /// A declared calendar (its name is its only value).
    Calendar,
    /// `T?`: may be none
    Optional(Box<Type>),
    /// The element type of `{}` and the type of `none`, before context fixes it.
    Unknown,
}

impl Type {
    /// `set<t>`.
    pub fn set_of(t: Type) -> Type {
        Type::Set(Box::new(t))
    }

    /// `t?` (unchanged if already optional).
    pub fn optional(self) -> Type {
        match self {
            Type::Optional(_) => self,
            other => Type::Optional(Box::new(other)),
        }
    }

    /// The type without its optional marker.
    pub fn unwrap_optional(&self) -> &Type {
        match self {
            Type::Optional(inner) => inner,
            other => other,
        }
    }

    /// Whether it may be none.
    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    /// Whether a value of `self` may stand where `want` is expected.
    pub fn fits(&self, want: &Type) -> bool {
        match (self, want) {
            (Type::Unknown, _) | (_, Type::Unknown) => true,
            (a, Type::Optional(w)) => a.unwrap_optional().fits(w),
            (Type::Set(a), Type::Set(b)) | (Type::List(a), Type::List(b)) => a.fits(b),
            (Type::Map(ak, av), Type::Map(bk, bv)) => ak.fits(bk) && av.fits(bv),
            (a, b) => a == b,
        }
    }

    /// Whether `<`, `<=`, … apply.
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Type::Int
                | Type::Money
                | Type::Ratio
                | Type::Instant
                | Type::Duration
                | Type::Time
                | Type::Date
        )
    }

    /// How a type is written in a policy, given the program's enum names.
    pub fn display<'a>(&'a self, enum_names: &'a [String]) -> TypeDisplay<'a> {
        TypeDisplay {
            ty: self,
            enum_names,
        }
    }
}

/// A type as policies write it, with enum names.
pub struct TypeDisplay<'a> {
    ty: &'a Type,
    enum_names: &'a [String],
}

impl fmt::Display for TypeDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.enum_names;
        match self.ty {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Money => f.write_str("money"),
            Type::Ratio => f.write_str("ratio"),
            Type::Text => f.write_str("text"),
            Type::Instant => f.write_str("instant"),
            Type::Duration => f.write_str("duration"),
            Type::Time => f.write_str("time"),
            Type::Date => f.write_str("date"),
            Type::Enum(i) => f.write_str(names.get(*i as usize).map_or("enum", String::as_str)),
            Type::Set(t) => write!(f, "set<{}>", t.display(names)),
            Type::List(t) => write!(f, "list<{}>", t.display(names)),
            Type::Record(fields) => {
                f.write_str("{")?;
                for (i, (n, t)) in fields.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{n}: {}", t.display(names))?;
                }
                f.write_str("}")
            }
            Type::Months => f.write_str("months"),
            Type::Calendar => f.write_str("calendar"),
            Type::Map(k, v) => write!(f, "map<{}, {}>", k.display(names), v.display(names)),
            Type::Optional(t) => write!(f, "{}?", t.display(names)),
            Type::Unknown => f.write_str("anything"),
        }
    }
}

/// An exact fraction, always in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    /// The numerator.
    pub num: i128,
    /// The denominator, positive.
    pub den: i128,
}

impl Rational {
    /// `None` when the denominator is zero or a value overflows.
    pub fn new(num: i128, den: i128) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        let g = gcd(num.checked_abs()?, den.checked_abs()?).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Rational { num, den })
    }

    /// A decimal as an exact fraction.
    pub fn from_decimal(d: Decimal) -> Option<Rational> {
        let scale = d.scale();
        let den = 10i128.checked_pow(scale)?;
        Rational::new(d.mantissa(), den)
    }

    /// The nearest decimal (28 significant digits), for display; `None`
    /// when the numerator or denominator is beyond a decimal's 96 bits.
    pub fn to_decimal(self) -> Option<Decimal> {
        let n = Decimal::try_from_i128_with_scale(self.num, 0).ok()?;
        let d = Decimal::try_from_i128_with_scale(self.den, 0).ok()?;
        n.checked_div(d)
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    /// Exact for every pair: whole parts first, then the reciprocals of the
    /// remainders (a continued fraction), so no product can overflow.
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut an, mut ad, mut bn, mut bd) = (self.num, self.den, other.num, other.den);
        let mut flipped = false;
        loop {
            let (aq, ar) = (an.div_euclid(ad), an.rem_euclid(ad));
            let (bq, br) = (bn.div_euclid(bd), bn.rem_euclid(bd));
            let o = match (aq.cmp(&bq), ar == 0, br == 0) {
                (Ordering::Equal, true, true) => Ordering::Equal,
                (Ordering::Equal, true, false) => Ordering::Less,
                (Ordering::Equal, false, true) => Ordering::Greater,
                (Ordering::Equal, false, false) => {
                    // ar/ad against br/bd: the larger has the smaller reciprocal.
                    (an, ad, bn, bd) = (ad, ar, bd, br);
                    flipped = !flipped;
                    continue;
                }
                (o, _, _) => o,
            };
            return if flipped { o.reverse() } else { o };
        }
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A runtime value. The checker guarantees each operation sees the types it expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// none: null in the facts, or nothing
    None,
    /// A truth value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An amount in yuan.
    Money(Decimal),
    /// An exact ratio.
    Ratio(Rational),
    /// A text.
    Text(Arc<str>),
    /// A declared enum variant, by global variant index.
    Variant(u32),
    /// A value of an open enum that the policy does not declare.
    Other(Arc<str>),
    /// A moment.
    Instant(DateTime<Utc>),
    /// Whole seconds.
    Duration(i64),
    /// Seconds since local midnight.
    Time(u32),
    /// A calendar day.
    Date(NaiveDate),
    /// A set, in order of first appearance.
    Set(Arc<[Value]>),
    /// A map.
    Map(Arc<[(Value, Value)]>),
    /// Items in order, duplicates kept.
    List(Arc<[Value]>),
    /// An item of a list of records.
    Record(Arc<Record>),
    /// Calendar months.
    Months(i64),
    /// A calendar, by index into the program's calendars.
    Calendar(u32),
}

/// One record: its fields' values in declaration order, which of them the
/// facts gave, its declared fields (for showing it), and where it came from
/// (for naming a missing field).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Its field values, in the declared order.
    pub values: Box<[Value]>,
    /// Bit `i` set when field `i` was given (null included).
    pub present: u64,
    /// Its fields' names and types, as the record type declares them.
    pub fields: Arc<[(Arc<str>, Type)]>,
    /// The list fact and the index the record was read from, for an item
    /// of a list fact; `None` for a record anywhere else (in a set, inside
    /// another record, in a list inside an item), which has no index of
    /// its own to name a missing field by.
    pub origin: Option<(u32, u32)>,
}

impl Record {
    /// Whether a field was given (not absent).
    pub fn is_present(&self, field: usize) -> bool {
        field < 64 && (self.present >> field) & 1 == 1
    }
}

impl Value {
    /// Ordering of two values of the same ordered type.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Money(a), Value::Money(b)) => Some(a.cmp(b)),
            (Value::Ratio(a), Value::Ratio(b)) => a.partial_cmp(b),
            (Value::Instant(a), Value::Instant(b)) => Some(a.cmp(b)),
            (Value::Duration(a), Value::Duration(b)) => Some(a.cmp(b)),
            (Value::Time(a), Value::Time(b)) => Some(a.cmp(b)),
            (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Equality as the language sees it: sets compare as sets.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Variant(a), Value::Variant(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| x.same(y)))
            }
            (Value::Ratio(a), Value::Ratio(b)) => a == b,
            (Value::Money(a), Value::Money(b)) => a == b,
            _ => self == other,
        }
    }

    /// Whether a set holds an item.
    pub fn set_contains(&self, item: &Value) -> bool {
        match (self, item) {
            // Enum sets are the common case: compare indices, not values.
            (Value::Set(items), Value::Variant(v)) => items
                .iter()
                .any(|x| matches!(x, Value::Variant(w) if w == v)),
            (Value::Set(items) | Value::List(items), _) => items.iter().any(|x| x.same(item)),
            _ => false,
        }
    }
}

/// Money with exactly two decimal places, as the contract writes it.
pub fn format_money(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r.to_string()
}

/// An instant in the policy's zone, to the second.
pub fn format_instant(t: DateTime<Utc>, zone: FixedOffset) -> String {
    t.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `6h`, `7d`, `1h30m`.
pub fn format_duration(secs: i64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    if secs < 0 {
        out.push('-');
    }
    let mut rest = secs.unsigned_abs();
    for (unit, size) in [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{}", rest / size, unit));
            rest %= size;
        }
    }
    out
}

/// A time of day as `16:00` or `23:59:59`.
pub fn format_time(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// A ratio as a percentage, exact where it terminates; a ratio too large
/// or too fine for a decimal is written as its fraction, `1/3000000000000000000000000000000`.
pub fn format_ratio(r: Rational) -> String {
    match r
        .to_decimal()
        .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
    {
        Some(pct) => format!("{}%", pct.round_dp(4).normalize()),
        None if r.den == 1 && r.num != 0 => format!("{}00%", r.num),
        None => format!("{}/{}", r.num, r.den),
    }
}

/// A ratio as the contract writes it: a decimal (`0.6`), or its fraction
/// when no decimal holds it.
pub fn format_ratio_decimal(r: Rational) -> String {
    match r.to_decimal() {
        Some(d) => d.normalize().to_string(),
        None if r.den == 1 => r.num.to_string(),
        None => format!("{}/{}", r.num, r.den),
    }
}

/// Parse a zone written `+08:00`, `UTC+08:00`, `UTC` or `Z`.
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    let t = t.strip_prefix("UTC").unwrap_or(t);
    if t.is_empty() || t == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// A decimal number read from text exactly: its sign, its significant
/// digits (no leading or trailing zeros; empty for zero) and the power of
/// ten they are scaled by. `None` for text that is not a number; `12`,
/// `-0.50`, `1.5e3` are numbers.
fn exact_decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(i) => {
            let e = &rest[i + 1..];
            let e = e.strip_prefix('+').unwrap_or(e);
            let digits = e.strip_prefix('-').unwrap_or(e);
            if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&rest[..i], e.parse::<i64>().ok()?)
        }
        None => (rest, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() || (number.contains('.') && fraction.is_empty()) {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some((negative, String::new(), 0));
    }
    let exponent = exponent - fraction.len() as i64 + (significant.len() - trimmed.len()) as i64;
    Some((negative, trimmed.to_string(), exponent))
}

/// Why a text is not an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyTextError {
    /// Not a decimal number.
    NotANumber,
    /// Beyond the fen: a third significant decimal place, however far out.
    TooPrecise,
    /// Too large to hold exactly.
    TooLarge,
}

/// Money read exactly from its decimal text (`129`, `129.5`, `129.000`,
/// `1.2e2`): zeros past the fen are allowed, any other digit there is
/// refused however many places out it sits, and nothing is ever rounded.
pub fn parse_money(text: &str) -> Result<Decimal, MoneyTextError> {
    let (negative, digits, exponent) = exact_decimal(text).ok_or(MoneyTextError::NotANumber)?;
    if exponent < -2 {
        return Err(MoneyTextError::TooPrecise);
    }
    if digits.is_empty() {
        return Ok(Decimal::ZERO);
    }
    // At most 29 digits fit a decimal's 96 bits.
    let (zeros, scale) = match u32::try_from(-exponent) {
        Ok(scale) => (0, scale),
        Err(_) => (
            usize::try_from(exponent).map_err(|_| MoneyTextError::TooLarge)?,
            0,
        ),
    };
    if digits.len() + zeros > 29 {
        return Err(MoneyTextError::TooLarge);
    }
    let mantissa: i128 = format!("{digits}{}", "0".repeat(zeros))
        .parse()
        .map_err(|_| MoneyTextError::TooLarge)?;
    let mantissa = if negative { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| MoneyTextError::TooLarge)
}

/// A ratio read exactly from a decimal text (`0.6`; `60` with `percent`):
/// `None` when it is not a number or no fraction of 128-bit integers holds it.
pub fn parse_ratio(text: &str, percent: bool) -> Option<Rational> {
    let (negative, digits, mut exponent) = exact_decimal(text)?;
    if digits.is_empty() {
        return Rational::new(0, 1);
    }
    if percent {
        exponent -= 2;
    }
    if digits.len() > 38 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let mantissa = if negative { -mantissa } else { mantissa };
    let power = 10i128.checked_pow(u32::try_from(exponent.unsigned_abs()).ok()?)?;
    if exponent >= 0 {
        Rational::new(mantissa.checked_mul(power)?, 1)
    } else {
        Rational::new(mantissa, power)
    }
}
