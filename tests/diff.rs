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

/// A corpus of many chunks, with unreadable lines among them, gives the
/// same report on one thread and on several: the examples are the first
/// cases in line order, whichever thread decided them.
#[test]
fn threads_do_not_change_the_report() {
    let mixed = std::fs::read_to_string(CORPUS).expect("the corpus");
    let mut corpus = String::new();
    for round in 0..12 {
        corpus.push_str(&mixed);
        corpus.push_str(if round % 2 == 0 { "\n" } else { "not json\n" });
    }
    let file = crate::hardening::scratch("diff-threads").join("many.jsonl");
    std::fs::write(&file, &corpus).expect("the corpus is written");
    let file = file.to_str().expect("a UTF-8 path");
    let report = |jobs: &str| {
        let args = [
            "diff",
            OLD,
            NEW,
            "--facts-jsonl",
            file,
            "--format",
            "json",
            "--jobs",
            jobs,
        ];
        let (code, out, err) = vouch(&args);
        assert_eq!(code, 1, "{out}{err}");
        serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON")
    };
    let one = report("1");
    // One line of the corpus neither version reads, and one added a round.
    assert_eq!(one["cases"], 12 * 159);
    assert_eq!(one["unreadable_lines"], 12 * 2);
    assert_eq!(one, report("3"));
}

/// `--case-id` names the examples by any key of the line; a line without
/// that key is named by the first section with an `id`.
#[test]
fn examples_are_named_by_the_case_id_key() {
    let names = |key: &str| {
        let args = ["diff", OLD, NEW, "--facts-jsonl", CORPUS, "--case-id", key];
        let (code, out, err) = vouch(&args);
        assert_eq!(code, 1, "{out}{err}");
        out
    };
    let by_order = names("order.id");
    assert!(by_order.contains("line 5 (order o-5)"), "{by_order}");
    let by_merchant = names("merchant.id");
    assert!(
        by_merchant.contains("line 5 (merchant m-5)"),
        "{by_merchant}"
    );
    let by_amount = names("order.amount");
    assert!(by_amount.contains("line 5 (order 347.88)"), "{by_amount}");
    // No line has it: the first section of the line with an `id`.
    let fallback = names("claim.number");
    assert!(fallback.contains("line 5 (merchant m-5)"), "{fallback}");
}
