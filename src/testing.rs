//! Test files: what a policy team keeps next to its policies, and how one
//! case runs (`vouch test` and the language server both run them).
//!
//! A test file (`*.test.json`) names a policy relative to itself, facts
//! shared by its cases, and cases of facts with the decisions expected:
//!
//! ```json
//! {
//!   "policy": "program.vouch",
//!   "defaults": { "now": "2026-11-20T10:30:00+08:00", "order": { "amount": "129.00" } },
//!   "cases": [
//!     { "name": "over the limit",
//!       "facts": { "order": { "amount": "329.00" } },
//!       "expect": { "refund_speed": { "outcome": "standard", "reasons": ["amount_over_limit"] },
//!                   "badge": "shown" } }
//!   ]
//! }
//! ```
//!
//! A case's facts are merged into the defaults (objects key by key); `unset`
//! removes dotted paths from the result, to make a fact unknown. An
//! expectation names only what it checks: a decision as an outcome word, or
//! as the fields of the contract's JSON it checks. Lists compare as sets,
//! money as amounts and instants as instants.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::eval::CaseResult;
use crate::output::render;
use crate::program::Program;

/// A test file: the policy (relative to the file), shared facts, cases.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The policy file, relative to the test file.
    pub policy: String,
    #[serde(default)]
    /// Facts every case starts from.
    pub defaults: Map<String, Json>,
    /// The cases.
    pub cases: Vec<TestCase>,
}

/// One case: facts over the defaults, paths to unset, decisions expected.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// What the case shows.
    pub name: String,
    #[serde(default)]
    /// Facts merged over the defaults.
    pub facts: Map<String, Json>,
    #[serde(default)]
    /// Paths removed from the defaults.
    pub unset: Vec<String>,
    /// The decisions expected, each an outcome or the fields checked.
    pub expect: Map<String, Json>,
}

/// A test file from its text.
pub fn parse_test_file(text: &str) -> Result<TestFile, serde_json::Error> {
    serde_json::from_str(text)
}

/// A path with `.` and `dir/..` taken out, as a person would write it.
pub fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Read a test file, with a message naming it when it cannot be read.
pub fn read_test_file(path: &Path) -> Result<TestFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the test file `{}`: {e}", path.display()))?;
    parse_test_file(&text).map_err(|e| format!("in the test file `{}`: {e}", path.display()))
}

/// The differences of one decision: `(decision index, diff lines)`.
pub type Failure = (Option<usize>, String);

/// Decide a case and compare; the failures, each with its diff lines.
pub fn run_case(
    program: &Program,
    defaults: &Map<String, Json>,
    case: &TestCase,
) -> Result<(CaseResult, Vec<Failure>), String> {
    let mut facts = Json::Object(defaults.clone());
    merge(&mut facts, &Json::Object(case.facts.clone()));
    for path in &case.unset {
        unset(&mut facts, path);
    }
    // A key the case writes that the policy does not declare is a typo that
    // would test nothing. The shared defaults may carry the whole contract's
    // shape (ids the policy never reads), so there only a key spelt like a
    // declared one is refused: that one is a typo.
    let undeclared = crate::facts::undeclared_keys(program, &Json::Object(case.facts.clone()));
    if !undeclared.is_empty() {
        let shown: Vec<String> = undeclared.iter().map(ToString::to_string).collect();
        return Err(format!("cannot read the facts: {}", shown.join("; ")));
    }
    let misspelt: Vec<String> =
        crate::facts::undeclared_keys(program, &Json::Object(defaults.clone()))
            .iter()
            .filter(|k| k.did_you_mean.is_some())
            .map(ToString::to_string)
            .collect();
    if !misspelt.is_empty() {
        return Err(format!("cannot read the defaults: {}", misspelt.join("; ")));
    }
    let text = facts.to_string();
    // The merged facts are not the text the author wrote: name the JSON
    // path, not a line and column.
    let decoded = crate::facts::decode(program, &text).map_err(|e| match &e.path {
        Some(path) => format!("cannot read the facts: `{path}`: {}", e.message),
        None => format!("cannot read the facts: {}", e.message),
    })?;
    let result = crate::eval::evaluate(program, &decoded, true);
    let mut failures = Vec::new();
    for (name, want) in &case.expect {
        let Some(i) = program.decisions.iter().position(|d| &*d.name == name) else {
            failures.push((None, format!("      the policy has no decision `{name}`\n")));
            continue;
        };
        let want = match want {
            Json::String(o) => {
                let mut m = Map::new();
                m.insert("outcome".into(), Json::String(o.clone()));
                m
            }
            Json::Object(m) => m.clone(),
            other => {
                failures.push((
                    None,
                    format!("      expected `{name}` to be an outcome word or an object, found {other}\n"),
                ));
                continue;
            }
        };
        let got = render::decision_json(program, i, &result.decisions[i], false);
        if let Some(lines) = diff(name, &want, &got) {
            failures.push((Some(i), lines));
        }
    }
    Ok((result, failures))
}

/// Merge `over` into `base`: objects key by key, anything else replaces.
fn merge(base: &mut Json, over: &Json) {
    match (base, over) {
        (Json::Object(b), Json::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Remove a dotted path, making that fact (or section) unknown.
fn unset(facts: &mut Json, path: &str) {
    let mut node = facts;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        let Json::Object(m) = node else { return };
        if segments.peek().is_none() {
            m.shift_remove(seg);
            return;
        }
        match m.get_mut(seg) {
            Some(next) => node = next,
            None => return,
        }
    }
}

/// Expected against actual for one decision: `None` when every expected key matches.
fn diff(name: &str, want: &Map<String, Json>, got: &Json) -> Option<String> {
    let got = got.as_object()?;
    let mismatched = want
        .iter()
        .any(|(k, v)| !got.get(k).is_some_and(|g| same(v, g)));
    if !mismatched {
        return None;
    }
    let mut out = format!("      {name}:\n");
    for (k, v) in want {
        match got.get(k) {
            Some(g) if same(v, g) => {
                let _ = writeln!(out, "          {k}: {g}");
            }
            Some(g) => {
                let _ = writeln!(out, "        - {k}: {v}");
                let _ = writeln!(out, "        + {k}: {g}");
            }
            None => {
                let _ = writeln!(out, "        - {k}: {v}");
                let _ = writeln!(out, "        + {k}: (absent)");
            }
        }
    }
    for (k, g) in got {
        if !want.contains_key(k) {
            let _ = writeln!(out, "          {k}: {g}");
        }
    }
    Some(out)
}

/// Whether an expected value matches: lists as sets, money as amounts,
/// instants as instants.
pub fn same(want: &Json, got: &Json) -> bool {
    match (want, got) {
        (Json::Array(w), Json::Array(g)) => {
            w.iter().all(|x| g.iter().any(|y| same(x, y)))
                && g.iter().all(|y| w.iter().any(|x| same(x, y)))
        }
        (Json::String(_) | Json::Number(_), Json::String(g)) => {
            let w = match want {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            if w == *g {
                return true;
            }
            if let (Ok(a), Ok(b)) = (w.parse::<Decimal>(), g.parse::<Decimal>()) {
                return a == b;
            }
            matches!(
                (
                    chrono::DateTime::parse_from_rfc3339(&w),
                    chrono::DateTime::parse_from_rfc3339(g),
                ),
                (Ok(a), Ok(b)) if a == b
            )
        }
        _ => want == got,
    }
}
