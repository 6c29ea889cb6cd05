//! The `vouch` binary end to end: commands, output formats, exit statuses
//! and the messages a person sees.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value as Json};

const ANXIN: &str = "rules/douyin/anxin-gou.vouch";
const REJECT: &str = "rules/douyin/refund-after-rejection.vouch";

/// A 安心购 order: 129 yuan, refund asked two hours after ordering.
const FAST_REFUND: &str = r#"{
  "now": "2026-11-20T10:30:00+08:00",
  "merchant": {
    "id": "m-1001", "kind": "domestic",
    "services": ["authenticity", "seven_day_return", "fast_refund", "shipping_insurance", "door_pickup"],
    "anxin_gou": { "enrolled_at": "2026-01-05T09:00:00+08:00", "termination_requested_at": null }
  },
  "product": { "id": "p-1", "category": "apparel", "source": "native", "flash_buy": false },
  "order": { "id": "o-1", "amount": "129.00", "placed_at": "2026-11-20T08:00:00+08:00",
             "shipped_at": null, "received_at": null },
  "after_sale": { "kind": "refund_only", "reason": "no_reason", "amount": "129.00",
                  "requested_at": "2026-11-20T10:00:00+08:00" }
}"#;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `vouch ARGS` in the repository root, with `stdin` as input.
fn vouch(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vouch starts");
    let written = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes());
    // vouch may exit before it reads its input (a policy it cannot read).
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "stdin: {e}");
    }
    child.wait_with_output().expect("vouch finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn status(o: &Output) -> i32 {
    o.status.code().expect("vouch exits with a status")
}

/// A file under the system's temporary folder, unique to this test.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("a temporary file");
    path
}

fn decisions(o: &Output) -> Json {
    let out: Json = serde_json::from_str(&stdout(o)).expect("stdout is one JSON object");
    assert_eq!(out["policy"], "anxin_gou");
    out["decisions"].clone()
}

#[test]
fn eval_reads_facts_from_standard_input() {
    let o = vouch(
        &["eval", ANXIN, "--facts", "-", "--format", "json"],
        FAST_REFUND,
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let d = decisions(&o);
    assert_eq!(
        d["fast_refund"],
        json!({"outcome": "instant_refund", "refund": "129.00"})
    );
    assert_eq!(d["eligible"]["outcome"], "yes");
    assert_eq!(d["termination"]["outcome"], "none");
    assert_eq!(d["counterfeit"]["outcome"], "not_applicable");
    assert_eq!(d["ship_deadline"]["outcome"], "platform_default");
    // Every decision of the policy appears, in declaration order.
    let names: Vec<&String> = d.as_object().expect("an object").keys().collect();
    assert_eq!(
        names,
        [
            "eligible",
            "termination",
            "label",
            "cancel_service",
            "fast_refund",
            "counterfeit",
            "return_shipping",
            "fresh_rot",
            "allergy",
            "ship_deadline"
        ]
    );
}

#[test]
fn eval_reads_facts_from_a_file_and_prints_json_when_piped() {
    let facts = temp_file("fast-refund.json", FAST_REFUND);
    let o = vouch(
        &["eval", ANXIN, "--facts", facts.to_str().expect("a path")],
        "",
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    assert_eq!(decisions(&o)["fast_refund"]["refund"], "129.00");
}

#[test]
fn eval_prints_a_table_with_format_text() {
    let o = vouch(
        &["eval", ANXIN, "--facts", "-", "--format", "text"],
        FAST_REFUND,
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("policy anxin_gou\n"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("fast_refund "))
        .expect("a row for fast_refund");
    assert!(row.contains("instant_refund"), "{row}");
    assert!(row.contains("refund = ¥129.00"), "{row}");
    assert!(text
        .lines()
        .any(|l| l.starts_with("counterfeit ") && l.contains("not_applicable")));
}

#[test]
fn eval_explains_with_explain() {
    let o = vouch(
        &[
            "eval",
            ANXIN,
            "--facts",
            "-",
            "--format",
            "json",
            "--explain",
        ],
        FAST_REFUND,
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let d = decisions(&o);
    let trace = d["fast_refund"]["trace"].as_array().expect("a trace");
    assert!(!trace.is_empty());
    let text = serde_json::to_string(trace).expect("JSON");
    for part in ["fast_refund_limit", "order.amount", "anxin-gou.vouch:"] {
        assert!(text.contains(part), "the trace names `{part}`: {text}");
    }
    let plain = vouch(
        &["eval", ANXIN, "--facts", "-", "--format", "text"],
        FAST_REFUND,
    );
    let explained = vouch(
        &[
            "eval",
            ANXIN,
            "--facts",
            "-",
            "--format",
            "text",
            "--explain",
        ],
        FAST_REFUND,
    );
    assert_eq!(status(&explained), 0);
    let (plain, explained) = (stdout(&plain), stdout(&explained));
    assert!(explained.starts_with(&plain), "the table comes first");
    assert!(explained.len() > plain.len() && explained.contains("fast_refund_limit"));
}

#[test]
fn a_bad_policy_exits_2_naming_file_line_and_column() {
    let policy = "tests/fixtures/check/invalid/missing-arrow.vouch";
    let o = vouch(&["eval", policy, "--facts", "-"], "{}");
    assert_eq!(status(&o), 2);
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains(&format!("{policy}:9:26")), "{err}");
    assert!(
        err.contains("expected `=>` or an operator, found `yes`"),
        "{err}"
    );
    assert!(err.contains("vouch::parse::syntax"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no colour when NO_COLOR is set: {err}"
    );
}

#[test]
fn a_missing_policy_exits_2() {
    let o = vouch(&["eval", "rules/nowhere.vouch", "--facts", "-"], "{}");
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("cannot read the policy `rules/nowhere.vouch`"));
}

#[test]
fn bad_facts_exit_2_naming_the_json_path() {
    let cases = [
        (
            r#"{"order": {"amount": "-5.00"}}"#,
            "`order.amount`: money cannot be negative",
        ),
        (
            r#"{"order": {"placed_at": "2026-11-20T08:00:00"}}"#,
            "`order.placed_at`: the timestamp \"2026-11-20T08:00:00\" has no offset",
        ),
        (
            r#"{"merchant": {"services": "fast_refund"}}"#,
            "`merchant.services`: expected a list",
        ),
        (
            r#"{"merchant": {"kind": "domestic","#,
            "the JSON ends too early",
        ),
    ];
    for (facts, message) in cases {
        let o = vouch(&["eval", ANXIN, "--facts", "-"], facts);
        assert_eq!(status(&o), 2, "{facts}");
        assert!(stdout(&o).is_empty(), "{facts}");
        let err = stderr(&o);
        assert!(err.contains("cannot read the facts in <stdin>"), "{err}");
        assert!(err.contains(message), "{facts}: {err}");
    }
}

#[test]
fn jsonl_decides_every_good_line_and_marks_the_bad_one() {
    let good = FAST_REFUND.replace('\n', " ");
    let input = format!("{good}\n{{\"order\": {{\"amount\": \"abc\"}}}}\n{good}\n{{}}\n");
    let o = vouch(
        &["eval", ANXIN, "--facts-jsonl", "-", "--jobs", "2"],
        &input,
    );
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    let lines: Vec<Json> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    for i in [0, 2] {
        assert_eq!(
            lines[i]["decisions"]["fast_refund"]["outcome"],
            "instant_refund"
        );
    }
    assert_eq!(lines[1]["line"], 2);
    let error = lines[1]["error"].as_str().expect("an error message");
    assert!(error.contains("`order.amount`"), "{error}");
    // An empty case is not an error: it is decided, mostly undetermined.
    assert_eq!(lines[3]["decisions"]["eligible"]["outcome"], "undetermined");
    assert!(stderr(&o).contains("1 line(s) could not be decided"));
}

#[test]
fn jsonl_keeps_input_order_and_exits_0_when_every_line_is_good() {
    let lines: Vec<String> = (0..50)
        .map(|i| format!(r#"{{"after_sale": {{"amount": "{i}.00", "kind": "refund_only", "reason": "not_received", "requested_at": "2026-11-20T10:00:00+08:00", "logistics_status": "in_transit"}}, "merchant": {{"kind": "domestic"}}, "order": {{"shipped_at": "2026-11-19T10:00:00+08:00"}}, "logistics": {{"courier": "sf", "status": "in_transit", "intercepted_at": null, "rejected_at": null, "signed_at": null}}}}"#))
        .collect();
    let path = temp_file("cases.jsonl", &(lines.join("\n") + "\n"));
    let o = vouch(
        &[
            "eval",
            REJECT,
            "--facts-jsonl",
            path.to_str().expect("a path"),
        ],
        "",
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let deadlines: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            let out: Json = serde_json::from_str(l).expect("JSON");
            assert_eq!(out["decisions"]["auto_agree"]["outcome"], "agree", "{l}");
            out["decisions"]["merchant_deadline"]["deadline"].to_string()
        })
        .collect();
    assert_eq!(deadlines.len(), 50);
    assert!(deadlines
        .iter()
        .all(|d| d == "\"2026-11-27T10:00:00+08:00\""));
}

#[test]
fn check_exits_0_for_clean_policies() {
    // Valid fixtures exercise the language, so lints warn about them; only
    // errors fail the check at the `error` level.
    let o = vouch(
        &[
            "check",
            "rules",
            "tests/fixtures/check/valid",
            "--fail-level",
            "error",
        ],
        "",
    );
    assert_eq!(status(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains(": error["), "{out}");
    assert!(out.contains(" in 12 files"), "{out}");
    let o = vouch(&["check", "rules"], "");
    assert!(stdout(&o).contains("5 files checked, no findings"));
}

#[test]
fn check_exits_1_with_findings() {
    let o = vouch(
        &[
            "check",
            "rules/douyin/anxin-gou.vouch",
            "tests/fixtures/check/invalid/unknown-fact.vouch",
            "tests/fixtures/check/invalid/missing-arrow.vouch",
        ],
        "",
    );
    assert_eq!(status(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("unknown-fact.vouch:9:6"), "{out}");
    assert!(out.contains("did you mean `order.amount`?"), "{out}");
    assert!(out.contains("missing-arrow.vouch:9:26"), "{out}");
    assert!(out.contains("2 errors in 3 files"), "{out}");
}

#[test]
fn check_exits_2_for_an_unreadable_path() {
    let o = vouch(&["check", "rules", "no/such/folder"], "");
    assert_eq!(status(&o), 2);
    assert!(stderr(&o).contains("cannot read `no/such/folder`"));
}

#[test]
fn help_mentions_each_command() {
    let o = vouch(&["--help"], "");
    assert_eq!(status(&o), 0);
    let help = stdout(&o);
    for word in ["eval", "check"] {
        assert!(help.contains(word), "{help}");
    }
    let o = vouch(&["eval", "--help"], "");
    let help = stdout(&o);
    for word in [
        "--facts",
        "--facts-jsonl",
        "--format",
        "--explain",
        "--jobs",
    ] {
        assert!(help.contains(word), "{help}");
    }
    let o = vouch(&["check", "--help"], "");
    assert!(stdout(&o).contains("Exit status"));
}

#[test]
fn usage_mistakes_are_refused() {
    // Facts from nowhere, or from two places.
    assert_eq!(status(&vouch(&["eval", ANXIN], "")), 2);
    assert_eq!(
        status(&vouch(
            &["eval", ANXIN, "--facts", "-", "--facts-jsonl", "-"],
            ""
        )),
        2
    );
}
