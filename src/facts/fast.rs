//! A direct decoder for well-formed cases: one pass over the bytes, reading
//! the declared paths and skipping the rest, without serde's machinery.
//!
//! It answers only where the answer is certain: a case with escapes in a key
//! or in a value it reads, a number with a fraction or exponent where a fact
//! is read, a value of the wrong type, or anything malformed returns `None`,
//! and the serde decoder then decodes the case, giving the same facts or the
//! error. What it skips it checks as strictly as serde_json does, so a case
//! it accepts is one serde_json accepts too.

use serde::de::Visitor;

use super::{items::SetItems, Decoder, Facts, Path, ValueVisitor, NULL, PRESENT};
use crate::types::{Type, Value};

/// Nesting deeper than this in skipped values goes to the serde decoder.
const MAX_DEPTH: u32 = 100;

/// Decode `json` into `facts` (cleared), or `None` to leave the case to serde.
pub(super) fn decode(decoder: &Decoder<'_>, json: &str, facts: &mut Facts) -> Option<()> {
    let mut scan = Scan {
        text: json,
        bytes: json.as_bytes(),
        at: 0,
        decoder,
        facts,
    };
    scan.space();
    scan.eat(b'{')?;
    scan.object(0)?;
    scan.space();
    (scan.at == scan.bytes.len()).then_some(())
}

struct Scan<'j, 'd> {
    text: &'j str,
    bytes: &'j [u8],
    at: usize,
    decoder: &'d Decoder<'d>,
    facts: &'d mut Facts,
}

type Visit = Result<Value, serde_json::Error>;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `x` that is zero (exact for the lowest one).
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

impl<'j> Scan<'j, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// Move to the next `"`, `\` or control character in a string.
    fn find_string_stop(&mut self) -> Option<u8> {
        while let Some(chunk) = self.bytes.get(self.at..).and_then(<[u8]>::first_chunk::<8>) {
            let x = u64::from_le_bytes(*chunk);
            let stops = zero_bytes(x ^ (ONES * u64::from(b'"')))
                | zero_bytes(x ^ (ONES * u64::from(b'\\')))
                | (x.wrapping_sub(ONES * 0x20) & !x & HIGHS);
            if stops != 0 {
                self.at += (stops.trailing_zeros() / 8) as usize;
                return self.peek();
            }
            self.at += 8;
        }
        while let Some(b) = self.peek() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// A string without escapes, after its opening quote.
    fn plain_string(&mut self) -> Option<&'j str> {
        let start = self.at;
        match self.find_string_stop()? {
            b'"' => {
                let s = self.text.get(start..self.at)?;
                self.at += 1;
                Some(s)
            }
            _ => None,
        }
    }

    /// Skip a string after its opening quote, checking its escapes.
    fn skip_string(&mut self) -> Option<()> {
        loop {
            match self.find_string_stop()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            let hex = self.bytes.get(self.at + 1..self.at + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.at += 5;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// Skip a number with JSON's grammar.
    fn skip_number(&mut self) -> Option<()> {
        if self.peek()? == b'-' {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return None;
                }
            }
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// A non-negative number without exponent: a whole number as serde_json
    /// reads it, a `u64`; with a fraction, from its text, exactly.
    fn number(&mut self, visitor: ValueVisitor<'_>) -> Option<Visit> {
        let start = self.at;
        let whole = self.digits();
        if whole == 0 || (whole > 1 && self.bytes[start] == b'0') {
            return None;
        }
        let fraction = match self.peek() {
            Some(b'.') => {
                self.at += 1;
                match self.digits() {
                    0 => return None,
                    n => n,
                }
            }
            _ => 0,
        };
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        if fraction > 0 {
            return Some(visitor.number_text(self.text.get(start..self.at)?));
        }
        if whole > 18 {
            return None;
        }
        let mut n = 0u64;
        for &c in &self.bytes[start..self.at] {
            n = n * 10 + u64::from(c - b'0');
        }
        Some(visitor.visit_u64(n))
    }

    /// Skip any value, checking it.
    fn skip_value(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.skip_string()
            }
            b'{' => {
                self.at += 1;
                self.items(b'}', |s| {
                    s.eat(b'"')?;
                    s.skip_string()?;
                    s.colon()?;
                    s.skip_value(depth + 1)
                })
            }
            b'[' => {
                self.at += 1;
                self.items(b']', |s| s.skip_value(depth + 1))
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    /// The items of an object or a list, after its opening bracket and up
    /// to `close`: `item` reads one, the commas between are checked here.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.space();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.space();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.space();
                }
                c if c == close => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The `:` after an object's key.
    fn colon(&mut self) -> Option<()> {
        self.space();
        self.eat(b':')?;
        self.space();
        Some(())
    }

    /// The members of a section's object, after its `{`.
    fn object(&mut self, node: u32) -> Option<()> {
        self.facts.state[node as usize] = PRESENT;
        let decoder = self.decoder;
        let keys = &decoder.children[node as usize];
        self.items(b'}', |s| {
            s.eat(b'"')?;
            let key = s.plain_string()?;
            s.colon()?;
            match keys.get(key) {
                // A key seen twice is an error: the serde decoder reports it.
                Some(child) if s.facts.state[child as usize] != super::ABSENT => None,
                Some(child) => s.member(child),
                None => s.skip_value(0),
            }
        })
    }

    /// The value of a declared key: a section or a leaf.
    fn member(&mut self, node: u32) -> Option<()> {
        let decoder = self.decoder;
        let layout = &decoder.program.facts;
        let Some(leaf) = layout.nodes[node as usize].leaf else {
            return match self.peek()? {
                b'{' => {
                    self.at += 1;
                    self.object(node)
                }
                b'n' => {
                    self.literal(b"null")?;
                    self.facts.state[node as usize] = NULL;
                    Some(())
                }
                _ => None,
            };
        };
        let info = &layout.leaves[leaf as usize];
        let value = match self.peek()? {
            b'[' => {
                self.at += 1;
                self.set(&info.ty, &info.path, leaf)?
            }
            _ => self.scalar(ValueVisitor {
                ty: &info.ty,
                path: Path::Leaf(&info.path),
                decoder,
                leaf,
            })?,
        };
        self.facts.state[node as usize] = if matches!(value, Value::None) {
            NULL
        } else {
            PRESENT
        };
        self.facts.values[leaf as usize] = value;
        Some(())
    }

    /// A string, boolean, null or whole number, read as the visitor's type.
    fn scalar(&mut self, visitor: ValueVisitor<'_>) -> Option<Value> {
        let v: Visit = match self.peek()? {
            b'"' => {
                self.at += 1;
                visitor.visit_str(self.plain_string()?)
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b'0'..=b'9' => self.number(visitor)?,
            _ => return None,
        };
        v.ok()
    }

    /// A list read as a set, or as a list of records, after its `[`.
    fn set(&mut self, ty: &Type, path: &str, leaf: u32) -> Option<Value> {
        let elem = match ty.unwrap_optional() {
            Type::Set(elem) => elem,
            Type::List(elem) => return self.list(elem, path, leaf),
            _ => return None,
        };
        if matches!(elem.unwrap_optional(), Type::Set(_)) {
            return None;
        }
        let decoder = self.decoder;
        let mut items = SetItems::default();
        let mut i = 0;
        self.items(b']', |s| {
            let visitor = ValueVisitor {
                ty: elem,
                path: Path::Item(path, i),
                decoder,
                leaf,
            };
            i += 1;
            items.add(s.scalar(visitor)?);
            Some(())
        })?;
        Some(items.into_set())
    }

    /// A list fact's items, after its `[`: records of scalar fields, or
    /// scalars; anything else goes to the serde decoder.
    fn list(&mut self, elem: &Type, path: &str, leaf: u32) -> Option<Value> {
        let decoder = self.decoder;
        let mut items: Vec<Value> = Vec::with_capacity(8);
        let mut i = 0u32;
        self.items(b']', |s| {
            let item = match elem.unwrap_optional() {
                Type::Record(fields) => match s.peek()? {
                    b'{' => {
                        s.at += 1;
                        s.record(fields, path, leaf, i)?
                    }
                    b'n' if elem.is_optional() => {
                        s.literal(b"null")?;
                        Value::None
                    }
                    _ => return None,
                },
                Type::Set(_) | Type::List(_) | Type::Map(..) => return None,
                _ => s.scalar(ValueVisitor {
                    ty: elem,
                    path: Path::Item(path, i as usize),
                    decoder,
                    leaf,
                })?,
            };
            items.push(item);
            i += 1;
            Some(())
        })?;
        Some(Value::List(items.into()))
    }

    /// One record's fields, after its `{`: unknown keys are skipped.
    fn record(
        &mut self,
        fields: &std::sync::Arc<[(std::sync::Arc<str>, Type)]>,
        path: &str,
        leaf: u32,
        index: u32,
    ) -> Option<Value> {
        let decoder = self.decoder;
        let mut values: Vec<Value> = vec![Value::None; fields.len()];
        let mut present = 0u64;
        self.items(b'}', |s| {
            s.eat(b'"')?;
            let key = s.plain_string()?;
            s.colon()?;
            let Some(f) = fields.iter().position(|(n, _)| &**n == key) else {
                return s.skip_value(0);
            };
            let ty = &fields[f].1;
            if matches!(
                ty.unwrap_optional(),
                Type::Set(_) | Type::List(_) | Type::Map(..) | Type::Record(_)
            ) {
                return None;
            }
            // A scalar's error path is only for the serde decoder: any
            // wrong value sends the case there.
            values[f] = s.scalar(ValueVisitor {
                ty,
                path: Path::Item(path, index as usize),
                decoder,
                leaf,
            })?;
            present |= 1 << f;
            Some(())
        })?;
        Some(Value::Record(std::sync::Arc::new(crate::types::Record {
            values: values.into(),
            present,
            fields: fields.clone(),
            origin: Some((leaf, index)),
        })))
    }
}

#[cfg(test)]
mod tests;
