//! Keys the policy does not declare. The decoder skips them, as a platform
//! sends more than a policy reads; but in a test file, or under
//! `vouch eval --strict`, `{"order": {"amonut": …}}` is a typo that would
//! test nothing, so each such key is named, with the declared key it
//! probably meant.

use serde_json::Value as Json;

use crate::program::Program;

/// A key of the facts that names no declared section or fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndeclaredKey {
    /// Its JSON path, `order.amonut`.
    pub path: String,
    /// The declared key beside it with the nearest spelling, if one is near.
    pub did_you_mean: Option<String>,
}

impl std::fmt::Display for UndeclaredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a fact the policy declares", self.path)?;
        if let Some(m) = &self.did_you_mean {
            write!(f, " ({m})")?;
        }
        Ok(())
    }
}

/// Every key of `facts` that the policy does not declare, in document order.
/// Under a declared fact, nothing is looked at: its value is the fact's.
pub fn undeclared_keys(program: &Program, facts: &Json) -> Vec<UndeclaredKey> {
    let nodes = &program.facts.nodes;
    let mut out = Vec::new();
    let mut pending = vec![(0u32, facts)];
    while let Some((node, value)) = pending.pop() {
        let Json::Object(members) = value else {
            continue;
        };
        let n = &nodes[node as usize];
        if n.leaf.is_some() {
            continue;
        }
        for (key, child) in members.iter().rev() {
            match n.children.iter().find(|(k, _)| &**k == key) {
                Some((_, id)) => pending.push((*id, child)),
                None => {
                    let path = if n.path.is_empty() {
                        key.clone()
                    } else {
                        format!("{}.{key}", n.path)
                    };
                    let names = n.children.iter().map(|(k, _)| &**k);
                    out.push(UndeclaredKey {
                        path,
                        did_you_mean: crate::check::did_you_mean(key, names),
                    });
                }
            }
        }
    }
    out
}
