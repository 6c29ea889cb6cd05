//! Decision tests for the shipped policies.
//!
//! Each file under `tests/cases/<program>/` is one case, in the shape of the
//! integration contract's examples:
//!
//! ```json
//! {"about": "what it shows", "policy": "rules/…", "facts": {…},
//!  "expect": {"<decision>": {"<field>": value}}}
//! ```
//!
//! The test decides every decision of the policy, checks each expected field
//! (lists as sets, money as decimals, instants as instants written in
//! `+08:00`), and snapshots the whole decision JSON beside the case
//! (`<case>.snap`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::DateTime;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use vouch::program::Program;
use vouch::source::SourceFile;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_policy(relative: &str) -> Program {
    let path = root().join(relative);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read policy {}: {e}", path.display()));
    match vouch::load(&SourceFile::new(relative, text)) {
        Ok(program) => program,
        Err(e) => {
            let shown: Vec<String> = e
                .diagnostics()
                .into_iter()
                .map(|d| vouch::output::render::diagnostic(d, false))
                .collect();
            panic!("policy {relative} does not load:\n{}", shown.join("\n"))
        }
    }
}

/// One case file, read.
struct Case {
    about: String,
    policy: String,
    facts: Json,
    expect: serde_json::Map<String, Json>,
}

fn read_case(path: &Path) -> Case {
    let text = fs::read_to_string(path).expect("case file is readable");
    let json: Json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let field = |name: &str| {
        json.get(name)
            .unwrap_or_else(|| panic!("{}: no `{name}`", path.display()))
            .clone()
    };
    let text_field = |name: &str| match field(name) {
        Json::String(s) => s,
        other => panic!("{}: `{name}` must be a string, not {other}", path.display()),
    };
    let Json::Object(expect) = field("expect") else {
        panic!("{}: `expect` must be an object", path.display())
    };
    assert!(!expect.is_empty(), "{}: `expect` is empty", path.display());
    Case {
        about: text_field("about"),
        policy: text_field("policy"),
        facts: field("facts"),
        expect,
    }
}

/// Every decision of the case's policy, as `vouch eval --format json` prints them.
fn decide(program: &Program, facts: &Json) -> Json {
    let text = serde_json::to_string(facts).expect("facts serialize");
    let facts =
        vouch::facts::decode(program, &text).unwrap_or_else(|e| panic!("facts are refused: {e}"));
    let result = vouch::eval::evaluate(program, &facts, false);
    vouch::output::render::case_json(program, &result, false)
}

fn is_money(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Why `got` does not match `want`, if it does not.
fn mismatch(field: &str, want: &Json, got: &Json) -> Option<String> {
    match want {
        Json::Array(items) => {
            let Json::Array(got_items) = got else {
                return Some(format!("{field}: want a list {want}, got {got}"));
            };
            let want_set: BTreeSet<String> = items.iter().map(Json::to_string).collect();
            let got_set: BTreeSet<String> = got_items.iter().map(Json::to_string).collect();
            if got_set.len() != got_items.len() {
                return Some(format!("{field}: the list {got} repeats an item"));
            }
            (want_set != got_set).then(|| format!("{field}: want {want} (as a set), got {got}"))
        }
        Json::String(w) if is_money(w) => {
            let Json::String(g) = got else {
                return Some(format!("{field}: want money {w} as a string, got {got}"));
            };
            let two_places = g.split_once('.').is_some_and(|(_, f)| f.len() == 2);
            if !is_money(g) || !two_places {
                return Some(format!("{field}: want money with two places, got {got}"));
            }
            let same = Decimal::from_str(w).ok() == Decimal::from_str(g).ok();
            (!same).then(|| format!("{field}: want {w}, got {g}"))
        }
        Json::String(w) if DateTime::parse_from_rfc3339(w).is_ok() => {
            let want_at = DateTime::parse_from_rfc3339(w).expect("checked above");
            let got_at = got
                .as_str()
                .and_then(|g| DateTime::parse_from_rfc3339(g).ok());
            match got_at {
                None => Some(format!("{field}: want the instant {w}, got {got}")),
                Some(g) if g != want_at => Some(format!("{field}: want {w}, got {got}")),
                Some(_) if !got.as_str().is_some_and(|g| g.ends_with("+08:00")) => Some(format!(
                    "{field}: want the instant written in +08:00, got {got}"
                )),
                Some(_) => None,
            }
        }
        _ => (want != got).then(|| format!("{field}: want {want}, got {got}")),
    }
}

/// Every way the decisions differ from what the case expects.
fn problems(expect: &serde_json::Map<String, Json>, decisions: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for (name, fields) in expect {
        let Some(got) = decisions.get(name) else {
            out.push(format!("decision `{name}` is not in the output"));
            continue;
        };
        let Json::Object(fields) = fields else {
            out.push(format!("expect.{name} must be an object"));
            continue;
        };
        for (field, want) in fields {
            match got.get(field) {
                None => out.push(format!("{name}.{field}: missing (want {want})")),
                Some(g) => out.extend(mismatch(&format!("{name}.{field}"), want, g)),
            }
        }
    }
    out
}

/// Each case's decisions as a snapshot beside the cases, after its expected
/// fields are checked.
#[test]
fn decisions() {
    insta::glob!("cases/**/*.json", |path| {
        let case = read_case(path);
        let program = load_policy(&case.policy);
        let output = decide(&program, &case.facts);
        let found = problems(&case.expect, &output["decisions"]);
        assert!(
            found.is_empty(),
            "{}: {}\n  {}",
            path.display(),
            case.about,
            found.join("\n  ")
        );
        let pretty = serde_json::to_string_pretty(&output).expect("output serializes");
        let name = path.file_stem().expect("a case file has a name");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(path.parent().expect("a case is in a folder"));
        settings.set_prepend_module_to_snapshot(false);
        settings.remove_snapshot_suffix();
        settings.set_description(case.about);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(name.to_string_lossy().as_ref(), pretty));
    });
}

/// Every case's expected fields, all differences at once.
#[test]
fn expected_fields() {
    let mut failures = Vec::new();
    for (path, case) in all_cases() {
        let program = load_policy(&case.policy);
        let output = decide(&program, &case.facts);
        let found = problems(&case.expect, &output["decisions"]);
        if !found.is_empty() {
            failures.push(format!(
                "{}: {}\n    {}",
                path.display(),
                case.about,
                found.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases differ from what they expect:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

fn all_cases() -> Vec<(PathBuf, Case)> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join("tests/cases")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("cases folder is readable") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let case = read_case(&path);
                out.push((path, case));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn expected_reasons(fields: &Json) -> Option<BTreeSet<&str>> {
    Some(
        fields
            .get("reasons")?
            .as_array()?
            .iter()
            .filter_map(Json::as_str)
            .collect(),
    )
}

/// The cases must show every outcome of every decision, every reason code on
/// its own and several together, `undetermined`, and `not_applicable` for
/// every decision with a trigger: a new outcome or reason needs a new case.
#[test]
fn cases_cover_every_outcome_and_reason() {
    let cases = all_cases();
    let policies: BTreeSet<&str> = cases.iter().map(|(_, c)| c.policy.as_str()).collect();
    let mut gaps = Vec::new();
    for policy in policies {
        let program = load_policy(policy);
        let expects: Vec<&serde_json::Map<String, Json>> = cases
            .iter()
            .filter(|(_, c)| c.policy == policy)
            .map(|(_, c)| &c.expect)
            .collect();
        for d in &program.decisions {
            let seen: Vec<&Json> = expects.iter().filter_map(|e| e.get(&*d.name)).collect();
            let outcome_seen = |o: &str| seen.iter().any(|f| f["outcome"] == o);
            let mut wanted: Vec<&str> = d.outcomes.iter().map(|o| o.name.as_ref()).collect();
            wanted.push("undetermined");
            if d.trigger.is_some() {
                wanted.push("not_applicable");
            }
            for o in wanted {
                if !outcome_seen(o) {
                    gaps.push(format!("{policy}: {} = {o} has no case", d.name));
                }
            }
            let reason_sets: Vec<BTreeSet<&str>> =
                seen.iter().filter_map(|f| expected_reasons(f)).collect();
            for r in &d.reasons {
                if !reason_sets.iter().any(|s| s.len() == 1 && s.contains(&**r)) {
                    gaps.push(format!(
                        "{policy}: {} has no case with reason {r} alone",
                        d.name
                    ));
                }
            }
            if d.reasons.len() > 1 && !reason_sets.iter().any(|s| s.len() > 1) {
                gaps.push(format!(
                    "{policy}: {} has no case with several reasons",
                    d.name
                ));
            }
        }
    }
    assert!(gaps.is_empty(), "missing cases:\n  {}", gaps.join("\n  "));
}

/// The facts files under `examples/` decode, and every decision of their
/// policy comes to an outcome: an example that ends `undetermined` shows
/// nothing.
#[test]
fn examples_decide_everything() {
    let folders = [
        ("anxin-gou", "rules/douyin/anxin-gou.vouch"),
        ("reject-refund", "rules/douyin/refund-after-rejection.vouch"),
        ("xinren-gou", "rules/kuaishou/xinren-gou.vouch"),
        ("price-protect", "rules/jd/price-protection.vouch"),
        ("late-ship", "rules/pdd/late-shipment.vouch"),
    ];
    let mut seen = 0;
    let mut failures = Vec::new();
    for (folder, policy) in folders {
        let program = load_policy(policy);
        let dir = root().join("examples").join(folder);
        for entry in fs::read_dir(&dir).expect("examples folder is readable") {
            let path = entry.expect("folder entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            seen += 1;
            let text = fs::read_to_string(&path).expect("example is readable");
            let facts: Json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            let output = decide(&program, &facts);
            for (name, d) in output["decisions"].as_object().expect("decisions") {
                if d["outcome"] == "undetermined" || d["outcome"] == "error" {
                    failures.push(format!("{}: {name} is {}", path.display(), d));
                }
            }
        }
    }
    assert!(seen >= 3 * folders.len(), "only {seen} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
