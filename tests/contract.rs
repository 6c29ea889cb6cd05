//! The integration contract's example cases, run through the binary: each
//! file in `fixtures/contract` is `{"policy", "facts", "expect"}` (or
//! `{"policy", "facts_raw", "expect_error": true}`), and `expect` names
//! only the fields it checks. Lists compare as sets, money as decimals,
//! instants as moments that must be written in +08:00.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::str::FromStr;

use chrono::DateTime;
use rust_decimal::Decimal;
use serde_json::Value as Json;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `(exit status, stdout, stderr)` of `vouch eval POLICY --facts -`.
fn eval(policy: &str, facts: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["eval", policy, "--facts", "-", "--format", "json"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vouch starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // vouch may exit before it reads its input (a policy it cannot read).
    if let Err(e) = stdin.write_all(facts.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "stdin: {e}");
    }
    drop(stdin);
    let o = child.wait_with_output().expect("vouch finishes");
    (
        o.status.code().expect("an exit status"),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn is_money(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// Why `got` does not match `want`, if it does not.
fn mismatch(want: &Json, got: &Json) -> Option<String> {
    let differ = || Some(format!("want {want}, got {got}"));
    match (want, got) {
        (Json::Array(w), Json::Array(g)) => {
            let mut w: Vec<String> = w.iter().map(Json::to_string).collect();
            let mut g: Vec<String> = g.iter().map(Json::to_string).collect();
            w.sort();
            g.sort();
            (w != g).then(|| format!("want {want} (as a set), got {got}"))
        }
        (Json::String(w), Json::String(g)) if is_money(w) => {
            let same = Decimal::from_str(w).ok() == Decimal::from_str(g).ok();
            if same {
                None
            } else {
                differ()
            }
        }
        (Json::String(w), Json::String(g)) if DateTime::parse_from_rfc3339(w).is_ok() => {
            match DateTime::parse_from_rfc3339(g) {
                Ok(t) if t == DateTime::parse_from_rfc3339(w).ok()? && g.ends_with("+08:00") => {
                    None
                }
                _ => differ(),
            }
        }
        _ if want == got => None,
        _ => differ(),
    }
}

#[test]
fn contract_examples() {
    let dir = root().join("tests/fixtures/contract");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the contract examples")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "found only {} examples", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().expect("a name").to_string_lossy();
        let text = std::fs::read_to_string(path).expect("readable");
        let case: Json = serde_json::from_str(&text).expect("an example is JSON");
        let policy = case["policy"].as_str().expect("a policy path");
        let facts = match case.get("facts_raw") {
            Some(raw) => raw.as_str().expect("raw facts are text").to_string(),
            None => case["facts"].to_string(),
        };
        let (status, stdout, stderr) = eval(policy, &facts);
        if case["expect_error"] == Json::Bool(true) {
            if status != 2 || stderr.trim().is_empty() {
                failures.push(format!("{name}: want exit 2 and a message, got {status}"));
            }
            continue;
        }
        if status != 0 {
            failures.push(format!("{name}: exit {status}: {stderr}"));
            continue;
        }
        let out: Json = serde_json::from_str(&stdout).expect("stdout is JSON");
        for (decision, fields) in case["expect"].as_object().expect("expectations") {
            let got = &out["decisions"][decision];
            for (field, want) in fields.as_object().expect("fields") {
                if let Some(why) = mismatch(want, &got[field]) {
                    failures.push(format!("{name}: {decision}.{field}: {why}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
