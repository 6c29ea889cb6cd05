//! A set's items as they are read: duplicates dropped, in time linear in
//! their number. A list fact of a million values must not compare each
//! value with every one before it.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::types::{Rational, Value};

/// Below this many items a scan is cheaper than hashing.
const SCAN: usize = 16;

/// A scalar value as a hash key, equal exactly when the values are the same.
#[derive(Hash, PartialEq, Eq)]
enum Key {
    None,
    Bool(bool),
    Int(i64),
    /// Normalized: `1.0` and `1.00` are the same money.
    Money(Decimal),
    Ratio(Rational),
    Text(Arc<str>),
    Variant(u32),
    Other(Arc<str>),
    Instant(DateTime<Utc>),
    Duration(i64),
    Time(u32),
    Date(NaiveDate),
    Months(i64),
    Calendar(u32),
}

fn key(v: &Value) -> Option<Key> {
    Some(match v {
        Value::None => Key::None,
        Value::Bool(b) => Key::Bool(*b),
        Value::Int(n) => Key::Int(*n),
        Value::Money(m) => Key::Money(m.normalize()),
        Value::Ratio(r) => Key::Ratio(*r),
        Value::Text(t) => Key::Text(t.clone()),
        Value::Variant(i) => Key::Variant(*i),
        Value::Other(t) => Key::Other(t.clone()),
        Value::Instant(t) => Key::Instant(*t),
        Value::Duration(d) => Key::Duration(*d),
        Value::Time(t) => Key::Time(*t),
        Value::Date(d) => Key::Date(*d),
        Value::Months(m) => Key::Months(*m),
        Value::Calendar(c) => Key::Calendar(*c),
        Value::Set(_) | Value::Map(_) | Value::List(_) | Value::Record(_) => return None,
    })
}

/// The items of a set being read.
#[derive(Default)]
pub(super) struct SetItems {
    items: Vec<Value>,
    /// The keys of the items, once there are more than [`SCAN`].
    seen: Option<HashSet<Key>>,
}

impl SetItems {
    /// Add an item unless the set has it already.
    pub(super) fn add(&mut self, v: Value) {
        let Some(k) = key(&v) else {
            // A set of sets or records: rare, and compared as sets are.
            if !self.items.iter().any(|o| o.same(&v)) {
                self.items.push(v);
            }
            return;
        };
        if self.seen.is_none() && self.items.len() >= SCAN {
            self.seen = Some(self.items.iter().filter_map(key).collect());
        }
        let new = match &mut self.seen {
            Some(seen) => seen.insert(k),
            None => !self.items.iter().any(|o| o.same(&v)),
        };
        if new {
            self.items.push(v);
        }
    }

    /// The set.
    pub(super) fn into_set(self) -> Value {
        Value::Set(self.items.into())
    }
}
