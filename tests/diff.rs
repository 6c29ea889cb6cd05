//! `vouch diff`: what an edit of a policy changes over a corpus.

use crate::common::vouch;

const OLD: &str = "tests/fixtures/policies/anxin-cut.vouch";
const NEW: &str = "tests/fixtures/policies/anxin-cut-edited.vouch";
const CORPUS: &str = "tests/corpus/mixed.jsonl";

#[test]
fn an_edit_reports_each_transition_with_examples() {
    let (code, out, err) = vouch(&["diff", OLD, NEW, "--facts-jsonl", CORPUS]);
    assert_eq!(code, 1, "{out}{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn the_report_as_json() {
    let (code, out, err) = vouch(&[
        "diff",
        OLD,
        NEW,
        "--facts-jsonl",
        CORPUS,
        "--format",
        "json",
        "--examples",
        "1",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    insta::assert_json_snapshot!(json);
}

#[test]
fn no_change_exits_zero() {
    let (code, out, _) = vouch(&["diff", OLD, OLD, "--facts-jsonl", CORPUS]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("no decision changed\n"), "{out}");
}

#[test]
fn reversing_an_edit_reverses_the_transitions() {
    let (_, forward, _) = vouch(&[
        "diff",
        OLD,
        NEW,
        "--facts-jsonl",
        CORPUS,
        "--format",
        "json",
    ]);
    let (_, back, _) = vouch(&[
        "diff",
        NEW,
        OLD,
        "--facts-jsonl",
        CORPUS,
        "--format",
        "json",
    ]);
    let counts = |text: &str, reverse: bool| {
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        let mut out: Vec<(String, String, String, u64)> = v["changes"]
            .as_array()
            .expect("a list of changes")
            .iter()
            .map(|c| {
                let (from, to) = (c["from"].to_string(), c["to"].to_string());
                let (from, to) = if reverse { (to, from) } else { (from, to) };
                (
                    c["decision"].to_string(),
                    from,
                    to,
                    c["cases"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(counts(&forward, false), counts(&back, true));
}

#[test]
fn an_unreadable_corpus_is_an_error() {
    let (code, _, err) = vouch(&["diff", OLD, NEW, "--facts-jsonl", "tests/corpus/none.jsonl"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the facts `tests/corpus/none.jsonl`"),
        "{err}"
    );
}
