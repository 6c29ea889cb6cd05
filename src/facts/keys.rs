//! Small string tables for the decoder: object keys and enum variant names.
//!
//! A table holds a handful of names. A key's length and its first and last
//! bytes pick a slot, and the length and first eight bytes, compared as one
//! integer, almost always settle it: no hashing of the whole key, no call.

/// Names → ids.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    entries: Vec<Entry>,
    /// Open addressing over `entries`: an index, or `EMPTY`.
    slots: Vec<u16>,
}

const EMPTY: u16 = u16::MAX;

#[derive(Debug)]
struct Entry {
    len: usize,
    head: u64,
    /// The last eight bytes, for names longer than eight.
    tail: u64,
    name: Box<str>,
    id: u32,
}

/// The first eight bytes of a name, zero-padded, as one integer.
fn head(name: &[u8]) -> u64 {
    if let Some(b) = name.first_chunk::<8>() {
        return u64::from_le_bytes(*b);
    }
    let mut h = 0u64;
    for (i, &c) in name.iter().enumerate() {
        h |= u64::from(c) << (8 * i);
    }
    h
}

/// The last eight bytes of a name longer than eight, else 0.
fn tail(name: &[u8]) -> u64 {
    name.last_chunk::<8>()
        .filter(|_| name.len() > 8)
        .map_or(0, |b| u64::from_le_bytes(*b))
}

/// The first slot to look in for a key.
fn slot(name: &[u8], mask: usize) -> usize {
    let ends = u32::from(name.first().copied().unwrap_or(0)) << 8
        | u32::from(name.last().copied().unwrap_or(0));
    let h = (name.len() as u32).wrapping_mul(0x9e37_79b9) ^ ends.wrapping_mul(0x85eb_ca6b);
    (h >> 16) as usize & mask
}

impl KeyTable {
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, u32)>) -> KeyTable {
        let entries: Vec<Entry> = names
            .into_iter()
            .map(|(name, id)| Entry {
                len: name.len(),
                head: head(name.as_bytes()),
                tail: tail(name.as_bytes()),
                name: name.into(),
                id,
            })
            .collect();
        assert!(
            entries.len() < usize::from(EMPTY),
            "too many names for a key table"
        );
        // At most a quarter full: a key is nearly always in its first slot.
        let size = (entries.len() * 4).next_power_of_two().max(4);
        let mut slots = vec![EMPTY; size];
        for (i, e) in entries.iter().enumerate() {
            let mut at = slot(e.name.as_bytes(), size - 1);
            while slots[at] != EMPTY {
                at = (at + 1) & (size - 1);
            }
            slots[at] = i as u16;
        }
        KeyTable { entries, slots }
    }

    pub fn get(&self, key: &str) -> Option<u32> {
        let key = key.as_bytes();
        let mask = self.slots.len().checked_sub(1)?;
        let h = head(key);
        let mut at = slot(key, mask);
        loop {
            let e = self.entries.get(usize::from(self.slots[at]))?;
            // Up to sixteen bytes, head and tail cover the whole name.
            if e.len == key.len()
                && e.head == h
                && (key.len() <= 8
                    || (e.tail == tail(key) && (key.len() <= 16 || e.name.as_bytes() == key)))
            {
                return Some(e.id);
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KeyTable;

    #[test]
    fn finds_exactly_the_names_it_holds() {
        let mut names = vec![
            "kind",
            "services",
            "enrolment",
            "enrolmen",
            "enrolment_x",
            "",
            "服务",
            "termination_requested_at",
            "termination_requested_on",
            "terminatiox_requested_at",
            "received_at",
            "received_on",
        ];
        // Names that share a length and both ends, to fill neighbouring slots.
        let similar: Vec<String> = (0..40).map(|i| format!("a{i:02}z")).collect();
        names.extend(similar.iter().map(String::as_str));
        let table = KeyTable::new(names.iter().enumerate().map(|(i, n)| (*n, i as u32)));
        for (i, n) in names.iter().enumerate() {
            assert_eq!(table.get(n), Some(i as u32), "{n}");
        }
        for n in [
            "Kind",
            "kind ",
            "enrolmenx",
            "enrolme",
            "服",
            "services\0",
            "a40z",
            "a0z",
            "received_ax",
            "termination_requested_ax",
            "tXrmination_requested_at",
        ] {
            assert_eq!(table.get(n), None, "{n:?}");
        }
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        assert_eq!(KeyTable::default().get("kind"), None);
        assert_eq!(KeyTable::new([]).get(""), None);
    }
}
