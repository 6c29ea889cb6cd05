//! Small string tables for the decoder: object keys and enum variant names.
//!
//! A table holds a handful of names, so a scan that compares the length and
//! the first eight bytes as one integer beats hashing the key.

/// Names → ids.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    len: usize,
    head: u64,
    name: Box<str>,
    id: u32,
}

/// The first eight bytes of a name, zero-padded, as one integer.
fn head(name: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = name.len().min(8);
    b[..n].copy_from_slice(&name[..n]);
    u64::from_le_bytes(b)
}

impl KeyTable {
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, u32)>) -> KeyTable {
        KeyTable {
            entries: names
                .into_iter()
                .map(|(name, id)| Entry {
                    len: name.len(),
                    head: head(name.as_bytes()),
                    name: name.into(),
                    id,
                })
                .collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<u32> {
        let (len, h) = (key.len(), head(key.as_bytes()));
        self.entries
            .iter()
            .find(|e| e.len == len && e.head == h && (len <= 8 || e.name[8..] == key[8..]))
            .map(|e| e.id)
    }
}

#[cfg(test)]
mod tests {
    use super::KeyTable;

    #[test]
    fn finds_exactly_the_names_it_holds() {
        let names = [
            "kind",
            "services",
            "anxin_gou",
            "anxin_go",
            "anxin_gou_x",
            "",
            "服务",
        ];
        let table = KeyTable::new(names.iter().enumerate().map(|(i, n)| (*n, i as u32)));
        for (i, n) in names.iter().enumerate() {
            assert_eq!(table.get(n), Some(i as u32), "{n}");
        }
        for n in ["Kind", "kind ", "anxin_gox", "anxin_g", "服", "services\0"] {
            assert_eq!(table.get(n), None, "{n:?}");
        }
    }
}
