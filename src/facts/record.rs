//! Records in the facts: the items of a list fact.

use std::sync::Arc;

use serde::de::{IgnoredAny, MapAccess};

use super::{path_error, ElementSeed, Path, ValueVisitor};
use crate::types::{Record, Type, Value};

/// A record read by the serde decoder, keyed by its declared fields;
/// other keys are skipped.
pub(super) fn visit<'de, A: MapAccess<'de>>(
    visitor: &ValueVisitor<'_>,
    fields: &Arc<[(Arc<str>, Type)]>,
    mut map: A,
) -> Result<Value, A::Error> {
    let mut values: Vec<Value> = vec![Value::None; fields.len()];
    let mut present = 0u64;
    while let Some(key) = map.next_key::<String>()? {
        let Some(f) = fields.iter().position(|(n, _)| **n == *key) else {
            map.next_value::<IgnoredAny>()?;
            continue;
        };
        let path = format!("{}.{key}", visitor.path);
        values[f] = map.next_value_seed(ElementSeed(ValueVisitor {
            ty: &fields[f].1,
            path: Path::Leaf(&path),
            decoder: visitor.decoder,
            leaf: visitor.leaf,
        }))?;
        if f >= 64 {
            return Err(path_error(path, "a record has at most 64 fields"));
        }
        present |= 1 << f;
    }
    Ok(Value::Record(Arc::new(Record {
        values: values.into(),
        present,
        fields: fields.clone(),
        origin: None,
    })))
}

/// An item of a list fact, told where it came from.
pub(super) fn with_origin(v: Value, leaf: u32, index: usize) -> Value {
    match v {
        Value::Record(mut r) => {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            Arc::make_mut(&mut r).origin = Some((leaf, index));
            Value::Record(r)
        }
        other => other,
    }
}
