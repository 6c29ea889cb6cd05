//! Facts JSON → typed values in the program's slots, reading only declared paths.
//!
//! The decoder walks the JSON once with serde, matching keys against the
//! program's fact tree and skipping everything else; no JSON tree is built.

mod error;
mod fast;
mod items;
mod keys;
mod record;
mod scalar;
mod strict;

pub use error::FactsError;
use error::{path_error, REFUSED_AT, REFUSED_PATH};
pub use strict::{undeclared_keys, UndeclaredKey};

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::program::{FactLayout, Program};

use crate::types::{parse_money, parse_ratio, MoneyTextError, Rational, Type, Value};
use keys::KeyTable;

const ABSENT: u8 = 0;
const NULL: u8 = 1;
const PRESENT: u8 = 2;

/// One case's facts, in the program's slots.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Per fact-tree node: absent, null or present.
    state: Vec<u8>,
    /// Per leaf: its value when present (none when null).
    values: Vec<Value>,
}

impl Facts {
    /// No facts at all.
    pub fn empty(layout: &FactLayout) -> Facts {
        Facts {
            state: vec![ABSENT; layout.nodes.len()],
            values: vec![Value::None; layout.leaves.len()],
        }
    }

    fn clear(&mut self) {
        self.state.fill(ABSENT);
    }

    /// Whether a section or leaf is present and not null.
    pub fn exists(&self, node: u32) -> bool {
        self.state[node as usize] == PRESENT
    }

    /// A leaf's value: `None` when unknown (absent), `Value::None` when null
    /// or under a null section.
    pub fn leaf(&self, layout: &FactLayout, leaf: u32) -> Option<Value> {
        self.leaf_ref(layout, leaf)
            .map(|v| v.cloned().unwrap_or(Value::None))
    }

    /// Like [`Facts::leaf`], lending the value: `Some(None)` for none.
    pub fn leaf_ref(&self, layout: &FactLayout, leaf: u32) -> Option<Option<&Value>> {
        let node = layout.leaves[leaf as usize].node;
        match self.state[node as usize] {
            PRESENT => Some(Some(&self.values[leaf as usize])),
            NULL => Some(None),
            _ => {
                let optional = layout.leaves[leaf as usize].ty.is_optional();
                let mut n = layout.nodes[node as usize].parent;
                while let Some(p) = n {
                    if self.state[p as usize] == NULL && optional {
                        return Some(None);
                    }
                    n = layout.nodes[p as usize].parent;
                }
                None
            }
        }
    }
}

impl Facts {
    /// Set one leaf fact, and make the sections above it present: for
    /// explanations that decide a case again with a fact changed.
    pub fn set(&mut self, layout: &FactLayout, leaf: u32, value: Value) {
        let mut node = layout.leaves[leaf as usize].node;
        self.state[node as usize] = if value == Value::None { NULL } else { PRESENT };
        self.values[leaf as usize] = value;
        while let Some(parent) = layout.nodes[node as usize].parent {
            self.state[parent as usize] = PRESENT;
            node = parent;
        }
    }
}

/// Decode one case's facts.
pub fn decode(program: &Program, json: &str) -> Result<Facts, FactsError> {
    let mut facts = Facts::empty(&program.facts);
    decode_into(program, json, &mut facts)?;
    Ok(facts)
}

/// Decode one case's facts into a reused buffer. For many cases, make a
/// [`Decoder`] once and use [`Decoder::decode_into`].
pub fn decode_into(program: &Program, json: &str, facts: &mut Facts) -> Result<(), FactsError> {
    Decoder::new(program).decode_into(json, facts)
}

/// A program's fact tree and enums, prepared to decode many cases.
#[derive(Debug)]
pub struct Decoder<'p> {
    program: &'p Program,
    /// Per fact-tree node: its children's keys.
    children: Vec<KeyTable>,
    /// Per enum: its variants' names.
    variants: Vec<KeyTable>,
}

impl<'p> Decoder<'p> {
    /// Prepare a program's key tables once, to decode many cases.
    pub fn new(program: &'p Program) -> Decoder<'p> {
        Decoder {
            program,
            children: (program.facts.nodes.iter())
                .map(|n| KeyTable::new(n.children.iter().map(|(k, id)| (&**k, *id))))
                .collect(),
            variants: (program.enums.iter())
                .map(|e| KeyTable::new(e.lookup.iter().map(|(k, id)| (&**k, *id))))
                .collect(),
        }
    }

    /// The program whose facts this decodes.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Decode one case's facts into a reused buffer.
    pub fn decode_into(&self, json: &str, facts: &mut Facts) -> Result<(), FactsError> {
        // A byte-order mark, as some editors save, is not part of the JSON.
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        facts.clear();
        if fast::decode(self, json, facts).is_some() {
            return Ok(());
        }
        facts.clear();
        self.decode_with_serde(json, facts)
    }

    /// For the differential fuzz target and property tests: the direct
    /// decoder's facts where it answers, and the general decoder's result.
    /// Wherever the first is `Some`, the two must agree.
    #[doc(hidden)]
    pub fn decode_both_ways(&self, json: &str) -> (Option<Facts>, Result<Facts, FactsError>) {
        let layout = &self.program.facts;
        let mut fast = Facts::empty(layout);
        let fast = fast::decode(self, json, &mut fast).map(|()| fast);
        let mut slow = Facts::empty(layout);
        let slow = self.decode_with_serde(json, &mut slow).map(|()| slow);
        (fast, slow)
    }

    /// The general decoder: any JSON, and the error for a bad case.
    fn decode_with_serde(&self, json: &str, facts: &mut Facts) -> Result<(), FactsError> {
        if json.trim().is_empty() {
            return Err(FactsError {
                path: None,
                message: "the facts are empty; expected a JSON object".into(),
                line: 1,
                column: 1,
            });
        }
        REFUSED_PATH.with(|p| p.borrow_mut().take());
        REFUSED_AT.with(|a| a.take());
        let mut de = serde_json::Deserializer::from_str(json);
        let seed = NodeSeed {
            decoder: self,
            node: 0,
            facts,
            root: true,
        };
        let located = |e| FactsError::from_json(e, json);
        seed.deserialize(&mut de).map_err(located)?;
        de.end().map_err(located)?;
        Ok(())
    }
}

struct NodeSeed<'a> {
    decoder: &'a Decoder<'a>,
    node: u32,
    facts: &'a mut Facts,
    root: bool,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let layout = &self.decoder.program.facts;
        let n = &layout.nodes[self.node as usize];
        if let Some(leaf) = n.leaf {
            let info = &layout.leaves[leaf as usize];
            let value = ElementSeed(ValueVisitor {
                ty: &info.ty,
                path: Path::Leaf(&info.path),
                decoder: self.decoder,
                leaf,
            })
            .deserialize(d)?;
            let state = if matches!(value, Value::None) {
                NULL
            } else {
                PRESENT
            };
            self.facts.state[self.node as usize] = state;
            self.facts.values[leaf as usize] = value;
            return Ok(());
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if self.root {
            return Err(E::custom("the facts must be a JSON object, not null"));
        }
        self.facts.state[self.node as usize] = NULL;
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.facts.state[self.node as usize] = PRESENT;
        let keys = &self.decoder.children[self.node as usize];
        while let Some(key) = map.next_key_seed(KeySeed { keys })? {
            match key {
                Key::Child(c) => {
                    if self.facts.state[c as usize] != ABSENT {
                        let path = &self.decoder.program.facts.nodes[c as usize].path;
                        return Err(path_error(path, "the key appears twice in its object"));
                    }
                    map.next_value_seed(NodeSeed {
                        decoder: self.decoder,
                        node: c,
                        facts: self.facts,
                        root: false,
                    })?
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.not_object("true or false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.not_object("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.not_object("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.not_object("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.not_object("a string"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.not_object("a list"))
    }
}

impl NodeSeed<'_> {
    fn not_object<E: de::Error>(&self, found: &str) -> E {
        if self.root {
            return E::custom(format_args!(
                "the facts must be a JSON object, found {found}"
            ));
        }
        let path = &self.decoder.program.facts.nodes[self.node as usize].path;
        path_error(path, format_args!("expected an object, found {found}"))
    }
}

/// A key of an object: a declared child or another key.
enum Key {
    Child(u32),
    Other,
}

/// Matches a key against a node's children without allocating.
struct KeySeed<'a> {
    keys: &'a KeyTable,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.keys.get(key) {
            Some(c) => Key::Child(c),
            None => Key::Other,
        })
    }
}

/// Where a value sits: a leaf fact, or an item of a leaf's list.
#[derive(Clone, Copy)]
enum Path<'a> {
    Leaf(&'a str),
    Item(&'a str, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Leaf(p) => f.write_str(p),
            Path::Item(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

/// Reads one value of a declared type.
struct ValueVisitor<'a> {
    ty: &'a Type,
    path: Path<'a>,
    decoder: &'a Decoder<'a>,
    /// The leaf fact the value is in (records remember it, to name a
    /// missing field).
    leaf: u32,
}

impl ValueVisitor<'_> {
    fn describe(&self) -> String {
        let base = match self.ty.unwrap_optional() {
            Type::Bool => "true or false".to_string(),
            Type::Int => "a whole number".into(),
            Type::Money => "money as a decimal string such as \"129.00\"".into(),
            Type::Ratio => "a ratio such as \"60%\" or 0.6".into(),
            Type::Text => "a string".into(),
            Type::Instant => {
                "a timestamp with an offset such as \"2026-11-20T10:30:00+08:00\"".into()
            }
            Type::Duration => "a duration such as \"6h\"".into(),
            Type::Time => "a time of day such as \"16:00\"".into(),
            Type::Date => "a date such as \"2026-11-20\"".into(),
            Type::Enum(i) => {
                let e = &self.decoder.program.enums[*i as usize];
                let names: Vec<&str> = e
                    .variants
                    .iter()
                    .filter_map(|v| e.lookup.iter().find(|(_, id)| *id == v).map(|(n, _)| &**n))
                    .collect();
                format!("one of {}", names.join(", "))
            }
            Type::Set(_) | Type::List(_) => "a list".into(),
            Type::Map(..) | Type::Record(_) => "an object".into(),
            Type::Months => "a number of months such as \"3mo\"".into(),
            Type::Optional(_) | Type::Unknown | Type::Calendar => "a value".into(),
        };
        if self.ty.is_optional() {
            format!("{base}, or null")
        } else {
            base
        }
    }

    fn wrong<E: de::Error>(&self, found: impl fmt::Display) -> E {
        path_error(
            self.path,
            format_args!("expected {}, found {found}", self.describe()),
        )
    }

    fn money<E: de::Error>(&self, d: Decimal, shown: impl fmt::Display) -> Result<Value, E> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(path_error(
                self.path,
                format_args!("money cannot be negative, found {shown}"),
            ));
        }
        if d.normalize().scale() > 2 {
            return Err(path_error(
                self.path,
                format_args!("money has at most two decimal places (fen), found {shown}"),
            ));
        }
        Ok(Value::Money(d))
    }

    fn number<E: de::Error>(
        &self,
        d: Decimal,
        shown: impl fmt::Display + Copy,
    ) -> Result<Value, E> {
        match self.ty.unwrap_optional() {
            Type::Money => self.money(d, shown),
            Type::Ratio => Rational::from_decimal(d)
                .map(Value::Ratio)
                .ok_or_else(|| self.wrong(shown)),
            Type::Int => {
                if d.fract().is_zero() {
                    i64::try_from(d)
                        .map(Value::Int)
                        .map_err(|_| self.wrong(shown))
                } else {
                    Err(self.wrong(format_args!("the fraction {shown}")))
                }
            }
            Type::Duration if d.fract().is_zero() => i64::try_from(d)
                .map(Value::Duration)
                .map_err(|_| self.wrong(shown)),
            _ => Err(self.wrong(format_args!("the number {shown}"))),
        }
    }
}

impl ValueVisitor<'_> {
    /// A JSON number read from its text, exactly: money beyond the fen, or
    /// a number no value of the fact's type holds, is refused, not rounded.
    fn number_text<E: de::Error>(&self, text: &str) -> Result<Value, E> {
        let whole = || {
            parse_ratio(text, false)
                .filter(|r| r.den == 1)
                .and_then(|r| i64::try_from(r.num).ok())
        };
        match self.ty.unwrap_optional() {
            Type::Money => match parse_money(text) {
                Ok(d) => self.money(d, text),
                Err(MoneyTextError::TooPrecise) => Err(path_error(
                    self.path,
                    format_args!("money has at most two decimal places (fen), found {text}"),
                )),
                Err(_) => Err(path_error(
                    self.path,
                    format_args!("the amount {text} is too large to hold exactly"),
                )),
            },
            Type::Ratio => parse_ratio(text, false)
                .map(Value::Ratio)
                .ok_or_else(|| self.wrong(format_args!("the number {text}"))),
            Type::Int if parse_ratio(text, false).is_some_and(|r| r.den != 1) => {
                Err(self.wrong(format_args!("the fraction {text}")))
            }
            Type::Int => whole()
                .map(Value::Int)
                .ok_or_else(|| self.wrong(format_args!("the number {text}"))),
            Type::Duration => whole()
                .map(Value::Duration)
                .ok_or_else(|| self.wrong(format_args!("the number {text}"))),
            _ => Err(self.wrong(format_args!("the number {text}"))),
        }
    }
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.describe())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        if self.ty.is_optional() {
            Ok(Value::None)
        } else {
            Err(path_error(
                self.path,
                format_args!(
                    "expected {}, found null (only an optional fact may be null)",
                    self.describe()
                ),
            ))
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self.ty.unwrap_optional() {
            Type::Bool => Ok(Value::Bool(b)),
            _ => Err(self.wrong(b)),
        }
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        match self.ty.unwrap_optional() {
            Type::Int => Ok(Value::Int(n)),
            _ => self.number(Decimal::from(n), n),
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        match (self.ty.unwrap_optional(), i64::try_from(n)) {
            (Type::Int, Ok(n)) => Ok(Value::Int(n)),
            _ => self.number(Decimal::from(n), n),
        }
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        // The shortest text that reads back as the same number is the JSON
        // text for every amount a person writes (up to 15 digits).
        let shown = n.to_string();
        match Decimal::from_str(&shown) {
            Ok(d) if n.is_finite() => self.number(d, &shown),
            _ => Err(self.wrong(format_args!("the number {shown}"))),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        let shown = || format!("\"{s}\"");
        match self.ty.unwrap_optional() {
            Type::Text => Ok(Value::Text(Arc::from(s))),
            Type::Money => match scalar::money(s)
                .ok_or(())
                .or_else(|()| parse_money(s.trim()))
            {
                Ok(d) => self.money(d, shown()),
                Err(MoneyTextError::TooPrecise) => Err(path_error(
                    self.path,
                    format_args!(
                        "money has at most two decimal places (fen), found {}",
                        shown()
                    ),
                )),
                Err(MoneyTextError::TooLarge) => Err(path_error(
                    self.path,
                    format_args!("the amount {} is too large to hold exactly", shown()),
                )),
                Err(MoneyTextError::NotANumber) => Err(self.wrong(shown())),
            },
            Type::Ratio => {
                let parsed = match s.trim().strip_suffix('%') {
                    Some(p) => parse_ratio(p.trim(), true),
                    None => parse_ratio(s.trim(), false),
                };
                parsed.map(Value::Ratio).ok_or_else(|| self.wrong(shown()))
            }
            Type::Int => s
                .trim()
                .parse::<i64>()
                .map(Value::Int)
                .map_err(|_| self.wrong(shown())),
            Type::Instant => match scalar::instant(s).map_or_else(
                || DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)),
                Ok,
            ) {
                // Written back in the policy's zone, it must stay an RFC 3339 year.
                Ok(t) if !(0..=9999).contains(&t.with_timezone(&self.decoder.program.zone).year()) => {
                    Err(path_error(
                        self.path,
                        format_args!(
                            "the timestamp {} is outside the years 0000 to 9999 in the policy's zone",
                            shown()
                        ),
                    ))
                }
                Ok(t) => Ok(Value::Instant(t)),
                Err(_) => {
                    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"));
                    if local.is_ok() {
                        Err(path_error(
                            self.path,
                            format_args!(
                                "the timestamp {} has no offset; write it like \"{s}+08:00\"",
                                shown()
                            ),
                        ))
                    } else {
                        Err(self.wrong(shown()))
                    }
                }
            },
            Type::Date => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|d| (0..=9999).contains(&d.year()))
                .map(Value::Date)
                .ok_or_else(|| self.wrong(shown())),
            Type::Time => scalar::time_of_day(s)
                .map(Value::Time)
                .ok_or_else(|| self.wrong(shown())),
            Type::Duration => scalar::duration(s)
                .map(Value::Duration)
                .ok_or_else(|| self.wrong(shown())),
            Type::Months => s
                .trim()
                .strip_suffix("mo")
                .and_then(|n| n.parse::<i64>().ok())
                .map(Value::Months)
                .ok_or_else(|| self.wrong(shown())),
            Type::Enum(i) => match self.decoder.variants[*i as usize].get(s) {
                Some(v) => Ok(Value::Variant(v)),
                None if self.decoder.program.enums[*i as usize].open => {
                    Ok(Value::Other(Arc::from(s)))
                }
                None => Err(self.wrong(shown())),
            },
            _ => Err(self.wrong(format_args!("the string {}", shown()))),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let (elem, is_list) = match self.ty.unwrap_optional() {
            Type::Set(elem) => (elem, false),
            Type::List(elem) => (elem, true),
            _ => return Err(self.wrong("a list")),
        };
        // A list in a list names its items by the whole path.
        let nested;
        let path = match self.path {
            Path::Leaf(p) => p,
            item => {
                nested = item.to_string();
                &nested
            }
        };
        // Only the items of the list fact itself are told their index: a
        // list inside an item has other indexes.
        let leaf = self.decoder.program.facts.leaves.get(self.leaf as usize);
        let items_of_fact =
            is_list && matches!((self.path, leaf), (Path::Leaf(p), Some(l)) if p == &*l.path);
        let mut out: Vec<Value> = Vec::new();
        let mut set = items::SetItems::default();
        let mut i = 0usize;
        while let Some(v) = seq.next_element_seed(ElementSeed(ValueVisitor {
            ty: elem,
            path: Path::Item(path, i),
            decoder: self.decoder,
            leaf: self.leaf,
        }))? {
            if items_of_fact {
                out.push(record::with_origin(v, self.leaf, i));
            } else if is_list {
                out.push(v);
            } else {
                set.add(v);
            }
            i += 1;
        }
        Ok(if is_list {
            Value::List(out.into())
        } else {
            set.into_set()
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if let Type::Record(fields) = self.ty.unwrap_optional() {
            return record::visit(&self, fields, map);
        }
        let Type::Map(key_ty, value_ty) = self.ty.unwrap_optional() else {
            return Err(self.wrong("an object"));
        };
        let mut out: Vec<(Value, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}.{key}", self.path);
            let visitor = |ty| ValueVisitor {
                ty,
                path: Path::Leaf(&path),
                decoder: self.decoder,
                leaf: self.leaf,
            };
            let k = visitor(key_ty).visit_str::<A::Error>(&key)?;
            let v = map.next_value_seed(ElementSeed(visitor(value_ty)))?;
            if out.iter().any(|(seen, _)| seen.same(&k)) {
                return Err(path_error(&path, "the key appears twice in its object"));
            }
            out.push((k, v));
        }
        Ok(Value::Map(out.into()))
    }
}

/// Reads a value from its exact JSON text: serde_json reads a number with
/// a fraction as an `f64`, which would round `300.0000000000000001` to
/// `300`, so a number is read from its digits instead.
struct ElementSeed<'a>(ValueVisitor<'a>);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let raw = <&'de serde_json::value::RawValue as serde::Deserialize>::deserialize(d)?;
        let text = raw.get();
        let read = match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => self.0.number_text(text),
            _ => {
                let mut inner = serde_json::Deserializer::from_str(text);
                de::Deserializer::deserialize_any(&mut inner, self.0)
            }
        };
        // The path stays where the seed left it; the innermost value read
        // notes where it starts (every value is a slice of one facts text).
        read.map_err(|e: serde_json::Error| {
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => &message[..i],
                None => &message,
            };
            REFUSED_AT.with(|a| {
                if a.get().is_none() {
                    a.set(Some(text.as_ptr() as usize));
                }
            });
            D::Error::custom(message)
        })
    }
}
