//! `vouch test`: run the test files that a policy team keeps next to its
//! policies, and report what differs, with the explanation of why.
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

use super::Exit;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::eval::CaseResult;
use crate::output::coverage::Coverage;
use crate::output::{explain, render};
use crate::program::Program;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Test files (`*.test.json`), or folders to search for them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report, per policy, which outcomes the cases reached, which conditions
    /// they saw both holding and failing, and which parameters they compared
    /// at exactly their bound.
    #[arg(long)]
    pub coverage: bool,
    /// Fail when a policy's total coverage is below PCT percent (implies `--coverage`).
    #[arg(long, value_name = "PCT")]
    pub coverage_min: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    policy: String,
    #[serde(default)]
    defaults: Map<String, Json>,
    cases: Vec<TestCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestCase {
    name: String,
    #[serde(default)]
    facts: Map<String, Json>,
    #[serde(default)]
    unset: Vec<String>,
    expect: Map<String, Json>,
}

pub fn run(args: TestArgs) -> Exit {
    let mut files = Vec::new();
    for p in &args.paths {
        let errors = super::files_under(p, &|name| name.ends_with(".test.json"), &mut files);
        for (path, e) in &errors {
            eprintln!("error: cannot read `{}`: {e}", path.display());
        }
        if !errors.is_empty() {
            return Exit::Unreadable;
        }
    }
    if files.is_empty() {
        // A CI job pointed at the wrong folder must not pass with nothing run.
        eprintln!("error: no `*.test.json` files under the paths given");
        return Exit::Unreadable;
    }
    let show_coverage = args.coverage || args.coverage_min.is_some();
    let mut programs: Vec<(PathBuf, Program, Coverage)> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = String::new();
    for file in &files {
        let spec = match read_test_file(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Unreadable;
            }
        };
        let policy_path = tidy(&file.parent().unwrap_or(Path::new("")).join(&spec.policy));
        let key = std::fs::canonicalize(&policy_path).unwrap_or_else(|_| policy_path.clone());
        let slot = match index.get(&key) {
            Some(i) => *i,
            None => {
                let program = match super::eval::load_policy(&policy_path) {
                    Ok(p) => p,
                    Err(code) => return code,
                };
                let coverage = Coverage::new(&program);
                programs.push((policy_path.clone(), program, coverage));
                index.insert(key, programs.len() - 1);
                programs.len() - 1
            }
        };
        let (_, program, coverage) = &mut programs[slot];
        let mut report = String::new();
        let (mut file_passed, mut file_failed) = (0usize, 0usize);
        if spec.cases.is_empty() {
            // A file that tests nothing must not pass.
            file_failed += 1;
            let _ = writeln!(report, "  ✗ the file has no cases");
        }
        for case in &spec.cases {
            match run_case(program, &spec.defaults, case) {
                Ok((result, failures)) => {
                    coverage.record(program, &result);
                    if failures.is_empty() {
                        file_passed += 1;
                    } else {
                        file_failed += 1;
                        let _ = writeln!(report, "  ✗ {}", case.name);
                        for (decision, lines) in failures {
                            report.push_str(&lines);
                            if let Some(i) = decision {
                                let _ = writeln!(report, "      why:");
                                let mut why = String::new();
                                explain::decision(&mut why, program, i, &result);
                                for l in why.lines() {
                                    let _ = writeln!(report, "        {l}");
                                }
                            }
                        }
                    }
                }
                Err(message) => {
                    file_failed += 1;
                    let _ = writeln!(report, "  ✗ {}\n      {message}", case.name);
                }
            }
        }
        let _ = write!(out, "{}: {file_passed} passed", file.display());
        if file_failed > 0 {
            let _ = write!(out, ", {file_failed} failed");
        }
        out.push('\n');
        out.push_str(&report);
        passed += file_passed;
        failed += file_failed;
    }
    let mut below = Vec::new();
    if show_coverage {
        for (path, program, coverage) in &programs {
            out.push('\n');
            out.push_str(&coverage.report(program, &path.display().to_string()));
            if let Some(min) = args.coverage_min {
                let total = coverage.total_percent();
                if total < min {
                    below.push(format!(
                        "coverage of {} is {total:.1}%, below the minimum {min}%",
                        path.display()
                    ));
                }
            }
        }
    }
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    for b in &below {
        let _ = writeln!(out, "{b}");
    }
    print!("{out}");
    if failed > 0 || !below.is_empty() {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// A path with `.` and `dir/..` taken out, as a person would write it.
fn tidy(path: &Path) -> PathBuf {
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

fn read_test_file(path: &Path) -> Result<TestFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the test file `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("in the test file `{}`: {e}", path.display()))
}

/// The differences of one decision: `(decision index, diff lines)`.
type Failure = (Option<usize>, String);

/// Decide a case and compare; the failures, each with its diff lines.
fn run_case(
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
    // shape (ids the policy never reads), so they are not held to this.
    let undeclared = crate::facts::undeclared_keys(program, &Json::Object(case.facts.clone()));
    if !undeclared.is_empty() {
        let shown: Vec<String> = undeclared.iter().map(ToString::to_string).collect();
        return Err(format!("cannot read the facts: {}", shown.join("; ")));
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
pub(crate) fn same(want: &Json, got: &Json) -> bool {
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
