//! Hostile input at the command line: folders, exit statuses, streams,
//! test files and what reaches a terminal.

use std::path::Path;

use crate::common::vouch;
use crate::hardening::scratch;

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).expect("written");
    path.to_str().expect("a UTF-8 path").to_string()
}

const POLICY: &str = "policy p { zone \"+08:00\" }\n\
    enum kind open { a, b }\n\
    facts { n: int\n k: kind\n t: text\n at: instant }\n\
    decision half { else => r { v: 10 / n } }\n\
    decision later { else => r { v: at + 3000000d } }\n\
    decision echo { else => r { k: k, t: t } }\n";

#[test]
fn check_survives_link_loops_and_names_a_dangling_link() {
    let dir = scratch("walk");
    std::fs::create_dir_all(dir.join("sub")).expect("a folder");
    write(&dir.join("sub/p.vouch"), POLICY);
    std::os::unix::fs::symlink("..", dir.join("sub/loop")).expect("a link");
    std::os::unix::fs::symlink("/nonexistent/x", dir.join("gone.vouch")).expect("a link");
    let (code, out, err) = vouch(&["check", "--format", "plain", dir.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("gone.vouch"), "{err}");
    assert!(
        out.contains("1 file checked") || out.contains("in 1 file"),
        "{out}"
    );
    let (code, _, err) = vouch(&["test", dir.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no `*.test.json` files") || err.contains("gone"),
        "{err}"
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_checked_not_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("names");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.vouch");
    std::fs::write(dir.join(name), POLICY).expect("written");
    let (_, out, _) = vouch(&["check", "--format", "plain", dir.to_str().expect("UTF-8")]);
    assert!(
        out.contains("1 file checked") || out.contains("in 1 file"),
        "{out}"
    );
}

#[test]
fn check_of_a_folder_with_no_policy_fails() {
    let dir = scratch("empty");
    let (code, _, err) = vouch(&["check", dir.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no `.vouch` files"), "{err}");
}

#[test]
fn facts_and_facts_jsonl_agree_on_an_error_outcome() {
    let dir = scratch("errors");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let case = r#"{"n": 0, "k": "a", "t": "x", "at": "2026-11-20T10:00:00+08:00"}"#;
    let one = write(&dir.join("one.json"), case);
    let many = write(&dir.join("many.jsonl"), &format!("{case}\n{case}\n"));
    let (single, out, _) = vouch(&["eval", &policy, "--facts", &one, "--format", "json"]);
    assert!(out.contains("\"error\""), "{out}");
    let (stream, out, err) = vouch(&["eval", &policy, "--facts-jsonl", &many]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert_eq!((single, stream), (1, 1), "{err}");
    assert!(err.contains("2 case(s)"), "{err}");
}

#[test]
fn format_text_with_facts_jsonl_is_refused() {
    let dir = scratch("format");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let many = write(&dir.join("many.jsonl"), "{}\n");
    let (code, out, err) = vouch(&["eval", &policy, "--facts-jsonl", &many, "--format", "text"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("--format text"), "{err}");
}

#[test]
fn a_byte_order_mark_is_accepted_in_policies_and_facts() {
    let dir = scratch("bom");
    let policy = write(&dir.join("p.vouch"), &format!("\u{feff}{POLICY}"));
    let one = write(&dir.join("one.json"), "\u{feff}{\"n\": 5}");
    let many = write(&dir.join("many.jsonl"), "\u{feff}{\"n\": 5}\n{\"n\": 2}\n");
    let (code, _, err) = vouch(&["check", &policy]);
    assert_ne!(code, 2, "{err}");
    let (_, out, err) = vouch(&["eval", &policy, "--facts", &one, "--format", "json"]);
    assert!(out.contains("\"v\": \"2\""), "{out}{err}");
    let (_, out, _) = vouch(&["eval", &policy, "--facts-jsonl", &many]);
    assert!(!out.contains("\"line\""), "{out}");
}

#[test]
fn control_characters_from_the_facts_never_reach_the_terminal() {
    let dir = scratch("escape");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let one = write(
        &dir.join("one.json"),
        r#"{"n": 5, "k": "x\u001b]0;owned\u0007", "t": "line\r\n  ✓ forged"}"#,
    );
    let (_, out, _) = vouch(&[
        "eval",
        &policy,
        "--facts",
        &one,
        "--format",
        "text",
        "--explain",
    ]);
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
    assert!(!out.contains("\n  ✓ forged"), "{out}");
    assert!(out.contains("\\u{1b}"), "{out}");
}

#[test]
fn a_file_name_cannot_start_a_line_of_its_own() {
    let dir = scratch("filename");
    let path = write(
        &dir.join("x\n::error title=forged::y.vouch"),
        "policy p { zone 1 }\n",
    );
    let (_, out, _) = vouch(&["check", "--format", "plain", &path]);
    assert!(!out.lines().any(|l| l.starts_with("::error")), "{out}");
}

#[test]
fn diff_reads_past_a_line_that_is_not_utf8_and_counts_blank_lines() {
    let dir = scratch("diff");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let lines = dir.join("cases.jsonl");
    let mut bytes = b"{\"n\": 5}\n\n".to_vec();
    bytes.extend_from_slice(b"{\"t\": \"\xff\"}\n{\"n\": 2}\n");
    std::fs::write(&lines, bytes).expect("written");
    let (code, out, err) = vouch(&[
        "diff",
        &policy,
        &policy,
        "--facts-jsonl",
        lines.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["cases"], 2, "{report}");
    assert_eq!(report["unreadable_lines"], 2, "{report}");
}

#[test]
fn test_files_refuse_undeclared_keys_and_empty_cases() {
    let dir = scratch("tests");
    write(&dir.join("p.vouch"), POLICY);
    write(
        &dir.join("typo.test.json"),
        r#"{"policy": "p.vouch", "cases": [{"name": "typo", "facts": {"nn": 5}, "expect": {"half": {"outcome": "r"}}}]}"#,
    );
    let (code, out, err) = vouch(&["test", dir.join("typo.test.json").to_str().expect("UTF-8")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("`nn` is not a fact the policy declares (did you mean `n`?)"),
        "{out}"
    );
    // In the shared defaults, a key with no declared key near it is the
    // contract's shape and passes; one spelt like a declared key is a typo.
    write(
        &dir.join("defaults.test.json"),
        r#"{"policy": "p.vouch", "defaults": {"id": "c-1", "nn": 5}, "cases": [{"name": "d", "facts": {"n": 4}, "expect": {"half": {"outcome": "r"}}}]}"#,
    );
    let (code, out, err) = vouch(&[
        "test",
        dir.join("defaults.test.json").to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "cannot read the defaults: `nn` is not a fact the policy declares (did you mean `n`?)"
        ),
        "{out}"
    );
    assert!(!out.contains("`id`"), "{out}");
    write(
        &dir.join("none.test.json"),
        r#"{"policy": "p.vouch", "cases": []}"#,
    );
    let (code, out, err) = vouch(&["test", dir.join("none.test.json").to_str().expect("UTF-8")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("no cases"), "{out}");
}

#[test]
fn eval_strict_refuses_undeclared_keys() {
    let dir = scratch("strict");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let one = write(&dir.join("one.json"), r#"{"nn": 5, "n": 5}"#);
    let (code, _, _) = vouch(&["eval", &policy, "--facts", &one, "--format", "json"]);
    assert_eq!(code, 0);
    let (code, _, err) = vouch(&[
        "eval", &policy, "--facts", &one, "--strict", "--format", "json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`nn` is not a fact the policy declares (did you mean `n`?)"),
        "{err}"
    );
}

#[test]
fn eval_strict_refuses_undeclared_keys_line_by_line() {
    let dir = scratch("strict-jsonl");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let lines = write(
        &dir.join("lines.jsonl"),
        "{\"n\": 5}\n{\"nn\": 5, \"n\": 5}\n{\"n\": 6, \"x\": {\"y\": 1}}\n",
    );
    let (code, out, _) = vouch(&["eval", &policy, "--facts-jsonl", &lines]);
    assert_eq!((code, out.lines().count()), (0, 3), "{out}");
    assert!(!out.contains("\"error\""), "{out}");
    let (code, out, err) = vouch(&["eval", &policy, "--facts-jsonl", &lines, "--strict"]);
    assert_eq!(code, 1, "{err}");
    let out: Vec<&str> = out.lines().collect();
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(!out[0].contains("\"error\""), "{}", out[0]);
    assert_eq!(
        out[1],
        r#"{"line":2,"error":"`nn` is not a fact the policy declares (did you mean `n`?)"}"#
    );
    assert_eq!(
        out[2],
        r#"{"line":3,"error":"`x` is not a fact the policy declares"}"#
    );
    assert!(err.contains("2 line(s) could not be decided"), "{err}");
}

#[test]
fn huge_jobs_are_capped() {
    let dir = scratch("jobs");
    let policy = write(&dir.join("p.vouch"), POLICY);
    let many = write(&dir.join("many.jsonl"), &"{\"n\": 5}\n".repeat(10));
    let (code, out, err) = vouch(&[
        "eval",
        &policy,
        "--facts-jsonl",
        &many,
        "--jobs",
        "18446744073709551615",
    ]);
    assert_eq!((code, out.lines().count()), (0, 10), "{err}");
}

#[test]
fn every_command_help_ends_with_the_one_exit_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    assert!(readme.contains("### Exit status"), "README");
    for command in ["eval", "check", "test", "diff", "fmt"] {
        let (code, out, _) = vouch(&[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        assert!(
            out.contains("Exit status, the same for every command:"),
            "{command}: {out}"
        );
    }
}

/// Text from the input reaches the terminal escaped in every command's
/// messages: a broken policy's source line under `eval` and `fmt`, a test
/// case's name and an unreadable test file under `test`.
#[test]
fn input_text_is_escaped_in_every_report() {
    let dir = scratch("escapes");
    let broken = write(
        &dir.join("broken.vouch"),
        "policy p { zone \"+08:00\" }\nfacts { a: bool }\ndecision d { when a \u{1b}]0;title\u{7} then x }\n",
    );
    let facts = write(&dir.join("f.json"), "{}");
    for args in [
        vec!["eval", broken.as_str(), "--facts", facts.as_str()],
        vec!["fmt", "--check", broken.as_str()],
        vec!["check", broken.as_str(), "--format", "plain"],
    ] {
        let (_, out, err) = vouch(&args);
        assert!(
            !out.contains('\u{1b}') && !err.contains('\u{1b}'),
            "{args:?}: {out}{err}"
        );
        assert!(
            err.contains("\\u{1b}]0;title") || out.contains("\\u{1b}]0;title"),
            "{args:?}: {out}{err}"
        );
    }
    write(&dir.join("p.vouch"), POLICY);
    let tests = write(
        &dir.join("evil.test.json"),
        r#"{"policy": "p.vouch", "cases": [{"name": "a\u001b[2Jb\r", "facts": {"n": 5}, "expect": {"half": {"outcome": "s"}}}]}"#,
    );
    let (code, out, err) = vouch(&["test", &tests]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out}");
    assert!(out.contains("a\\u{1b}[2Jb\\r"), "{out}");
}
