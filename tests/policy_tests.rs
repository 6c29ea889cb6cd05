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
