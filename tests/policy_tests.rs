//! `vouch test`: the shipped policies' own test files, and the runner's
//! report of failing cases, coverage and unreadable files.

use crate::common::vouch;

#[test]
fn shipped_policies_pass_their_tests_with_full_coverage() {
    let (code, out, err) = vouch(&["test", "rules/", "--coverage-min", "100"]);
    assert_eq!(code, 0, "{out}{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn failing_cases_show_a_diff_and_the_explanation() {
    let (code, out, err) = vouch(&["test", "tests/fixtures/test/", "--coverage"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.ends_with("3 passed, 4 failed\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn coverage_lists_the_calendar_rules_no_case_used() {
    // The cases meet a working weekday, a rest weekday and the National Day
    // range, but never 2027-01-01 or either make-up working day.
    let (code, out, err) = vouch(&["test", "tests/fixtures/coverage/", "--coverage"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("calendars     3/6     50.0%"), "{out}");
    insta::assert_snapshot!(out);
    let (code, out, _) = vouch(&["test", "tests/fixtures/coverage/", "--coverage-min", "100"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn coverage_below_the_minimum_fails() {
    let file = "tests/fixtures/test/passing.test.json";
    let (code, out, _) = vouch(&["test", file, "--coverage-min", "50"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "coverage of tests/fixtures/policies/anxin-cut.vouch is 23.8%, below the minimum 50%"
        ),
        "{out}"
    );
    let (code, out, _) = vouch(&["test", file, "--coverage-min", "23.8"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
}

#[test]
fn an_unreadable_test_file_is_an_error() {
    let (code, out, err) = vouch(&["test", "tests/fixtures/test-invalid/unknown-key.test.json"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("unknown field `expected`"), "{err}");
    let (code, _, err) = vouch(&["test", "tests/fixtures/policies"]);
    assert_eq!(code, 2);
    assert!(err.contains("no `*.test.json` files"), "{err}");
    let (code, _, err) = vouch(&["test", "tests/fixtures/no-such-folder"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read `tests/fixtures/no-such-folder`"),
        "{err}"
    );
}

#[test]
fn check_reads_only_policy_files() {
    let (code, out, err) = vouch(&["check", "rules/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5 files checked"), "{out}{err}");
}

/// The same run for tools: every case with its failure, and the coverage.
#[test]
fn the_report_as_json_lists_every_case() {
    let args = [
        "test",
        "tests/fixtures/test/",
        "--coverage",
        "--format",
        "json",
    ];
    let (code, out, err) = vouch(&args);
    assert_eq!(code, 1, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["passed"], 3, "{out}");
    assert_eq!(report["failed"], 4, "{out}");
    let cases: Vec<&serde_json::Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["cases"].as_array().unwrap())
        .collect();
    assert_eq!(cases.len(), 7);
    for c in &cases {
        assert_eq!(c["passed"], c["failure"].is_null(), "{c}");
    }
    assert!(report["coverage"][0]["percent"].is_string(), "{out}");
    insta::assert_json_snapshot!(report);
}

/// JUnit XML for CI systems: a suite per file, a failure per failed case,
/// markup in names and values escaped.
#[test]
fn the_report_as_junit_xml() {
    let args = ["test", "tests/fixtures/test/", "--format", "junit"];
    let (code, out, err) = vouch(&args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{out}"
    );
    assert!(
        out.contains("<testsuites name=\"vouch test\" tests=\"7\" failures=\"4\">"),
        "{out}"
    );
    assert_eq!(out.matches("<failure message=").count(), 4, "{out}");
    assert_eq!(out.matches("<testcase ").count(), 7, "{out}");
    // Every `<` and `&` is markup: none comes from a case's text.
    for line in out.lines() {
        let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];
        let text = entities
            .iter()
            .fold(line.to_string(), |t, e| t.replace(e, ""));
        assert!(!text.contains('&'), "{line}");
    }
    insta::assert_snapshot!(out);
}

/// A reader that goes away (`vouch test rules/ | head -1`) ends the command
/// with exit 2 and no panic, for every command that writes a report.
#[test]
fn a_closed_output_ends_the_command_without_a_panic() {
    use std::process::{Command, Stdio};
    let runs: [&[&str]; 3] = [
        &["test", "rules/"],
        &["check", "rules/"],
        &["check", "--explain", "unreachable-outcome"],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vouch runs");
        // Closed before the report is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("vouch ends");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    }
}
