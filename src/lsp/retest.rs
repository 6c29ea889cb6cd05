//! A rename in a policy, carried into the `*.test.json` files beside it that
//! name it: the decisions their cases expect, those decisions' outcomes and
//! fields, and the facts the cases set or unset.
//!
//! A fact renamed within its section (`order.received_at` to
//! `order.signed_at`) renames the key in every case's facts; one moved to
//! another section or depth changes only the paths in `unset`, since its
//! values would have to move between objects. Enum values, services and the
//! fields of record facts are not carried into the tests.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{TextEdit, Uri};

use super::analysis::Analysis;
use super::index::Kind;
use super::json::{self, Node};
use super::text::LineIndex;
use super::{uri, Server};
use crate::source::Span;
use crate::testing;

/// What a rename changes in a test file, and the new name.
enum Renamed<'a> {
    Decision { old: &'a str },
    Outcome { decision: &'a str, old: &'a str },
    Field { decision: &'a str, old: &'a str },
    Fact { old: &'a str },
}

impl Server {
    /// The edits that renaming `symbol` of the policy `a` to `new_name` makes
    /// in the test files of the policy's folder that name it, by file.
    // lsp-types keys the changes by `Uri`, which clippy deems mutable; it is
    // not hashed mutably here.
    #[allow(clippy::mutable_key_type)]
    pub(crate) fn rename_in_tests(
        &self,
        a: &Analysis,
        symbol: usize,
        new_name: &str,
    ) -> HashMap<Uri, Vec<TextEdit>> {
        let mut out = HashMap::new();
        let Some(what) = renamed(a, symbol) else {
            return out;
        };
        let policy = testing::tidy(Path::new(&*a.source.name));
        let Some(dir) = policy.parent() else {
            return out;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return out;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".test.json"))
            .collect();
        files.sort();
        for path in files {
            let Some(file_uri) = uri::from_path(&path) else {
                continue;
            };
            // The editor's text when the file is open, else the disk's.
            let open = self.docs.values().find(|d| d.uri == file_uri);
            let text = match open {
                Some(d) => d.text.clone(),
                None => match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(_) => continue,
                },
            };
            let Ok(root) = json::parse(&text) else {
                continue;
            };
            let names_policy = root
                .get("policy")
                .and_then(|m| m.value.as_str())
                .is_some_and(|rel| testing::tidy(&dir.join(rel)) == policy);
            if !names_policy {
                continue;
            }
            let lines = LineIndex::new(&text, self.encoding);
            let edits: Vec<TextEdit> = spans(&root, &what, new_name)
                .into_iter()
                .map(|(span, new)| TextEdit::new(lines.range(&text, span), new))
                .collect();
            if !edits.is_empty() {
                out.insert(file_uri, edits);
            }
        }
        out
    }
}

/// What renaming `symbol` means for a test file; `None` for names tests do
/// not write (parameters, `let`s, ...).
fn renamed(a: &Analysis, symbol: usize) -> Option<Renamed<'_>> {
    let s = &a.index.symbols[symbol];
    // The decision an outcome or field belongs to, by its position.
    let decision = || {
        let mut decisions = a.index.symbols.iter().filter(|o| o.kind == Kind::Decision);
        decisions.nth(s.decision?).map(|o| o.name.as_str())
    };
    let old = s.name.as_str();
    Some(match s.kind {
        Kind::Decision => Renamed::Decision { old },
        Kind::Outcome => Renamed::Outcome {
            decision: decision()?,
            old,
        },
        Kind::Field => Renamed::Field {
            decision: decision()?,
            old,
        },
        Kind::Fact => Renamed::Fact { old },
        _ => return None,
    })
}

/// The places in a test file to rewrite, with their new text (a JSON string).
fn spans(root: &Node, what: &Renamed, new: &str) -> Vec<(Span, String)> {
    let quoted = |name: &str| serde_json::Value::from(name).to_string();
    let cases = root
        .get("cases")
        .map(|c| c.value.items())
        .unwrap_or_default();
    // Each case's expectation of the decision `decision`.
    let expects = |decision: &str| {
        cases
            .iter()
            .flat_map(|c| {
                c.get("expect")
                    .map(|e| e.value.members())
                    .unwrap_or_default()
            })
            .filter(|m| m.key == decision)
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    match *what {
        Renamed::Decision { old } => {
            for m in expects(old) {
                out.push((m.key_span, quoted(new)));
            }
        }
        Renamed::Outcome { decision, old } => {
            for m in expects(decision) {
                let outcome = match &m.value {
                    Node::String(..) => Some(&m.value),
                    other => other.get("outcome").map(|o| &o.value),
                };
                if let Some(o) = outcome.filter(|o| o.as_str() == Some(old)) {
                    out.push((o.span(), quoted(new)));
                }
            }
        }
        Renamed::Field { decision, old } => {
            for m in expects(decision) {
                for f in m.value.members().iter().filter(|f| f.key == old) {
                    out.push((f.key_span, quoted(new)));
                }
            }
        }
        Renamed::Fact { old } => {
            let (old_section, old_key) = old.rsplit_once('.').unwrap_or(("", old));
            let (new_section, new_key) = new.rsplit_once('.').unwrap_or(("", new));
            if old_section == new_section {
                let defaults = root.get("defaults").map(|d| &d.value);
                let facts = cases
                    .iter()
                    .filter_map(|c| c.get("facts").map(|f| &f.value));
                for node in defaults.into_iter().chain(facts) {
                    if let Some(key) = key_at(node, old_section, old_key) {
                        out.push((key, quoted(new_key)));
                    }
                }
            }
            for case in cases {
                let unset = case
                    .get("unset")
                    .map(|u| u.value.items())
                    .unwrap_or_default();
                for u in unset.iter().filter(|u| u.as_str() == Some(old)) {
                    out.push((u.span(), quoted(new)));
                }
            }
        }
    }
    out
}

/// Where the key `key` of the object at the dotted path `section` (empty:
/// `facts` itself) is written, if it is.
fn key_at(facts: &Node, section: &str, key: &str) -> Option<Span> {
    let mut node = facts;
    for part in section.split('.').filter(|p| !p.is_empty()) {
        node = &node.get(part)?.value;
    }
    node.get(key).map(|m| m.key_span)
}
