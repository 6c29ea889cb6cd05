//! Every decision of every shipped policy over the corpora, kept as insta
//! snapshots: a policy edit that changes any decision fails this test, and
//! `cargo insta review` shows each changed decision, case by case.
//!
//! Policies: every `rules/**/*.vouch`. Corpora: every `tests/corpus/*.jsonl`,
//! and `examples/corpus.jsonl` when it exists. One line per case and
//! decision, `not_applicable` left out; lists sorted, so that reordering a
//! set in a policy changes nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vouch::source::SourceFile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn corpora() -> Vec<PathBuf> {
    let root = Path::new(ROOT);
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("tests/corpus"))
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    out.sort();
    let examples = root.join("examples/corpus.jsonl");
    if examples.exists() {
        out.push(examples);
    }
    out
}

/// A field's value on one line: strings bare, lists sorted.
fn short(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(items) => {
            let mut items: Vec<String> = items.iter().map(short).collect();
            items.sort();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// The decisions of a policy over a corpus, one line per case and decision.
fn decisions(policy: &Path, corpus: &Path) -> String {
    let rel = |p: &Path| {
        p.strip_prefix(ROOT)
            .unwrap_or(p)
            .display()
            .to_string()
            .replace('\\', "/")
    };
    let text = std::fs::read_to_string(policy).expect("the policy reads");
    let program = vouch::load(&SourceFile::new(rel(policy), text)).expect("the policy loads");
    let lines = std::fs::read_to_string(corpus).expect("the corpus reads");
    let mut out = format!("{} over {}\n", rel(policy), rel(corpus));
    for (n, line) in lines.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        if line.trim().is_empty() {
            continue;
        }
        let facts = match vouch::facts::decode(&program, line) {
            Ok(f) => f,
            Err(e) => {
                let _ = writeln!(out, "{n} error: {e}");
                continue;
            }
        };
        let result = vouch::eval::evaluate(&program, &facts, false);
        for (i, r) in result.decisions.iter().enumerate() {
            let json = vouch::output::render::decision_json(&program, i, r, false);
            let Some(fields) = json.as_object() else {
                continue;
            };
            let outcome = fields.get("outcome").map(short).unwrap_or_default();
            if outcome == "not_applicable" {
                continue;
            }
            let _ = write!(out, "{n} {}: {outcome}", program.decisions[i].name);
            for (k, v) in fields.iter().filter(|(k, _)| *k != "outcome") {
                let _ = write!(out, " {k}={}", short(v));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn decisions_over_the_corpora() {
    let corpora = corpora();
    insta::glob!("../rules", "**/*.vouch", |policy| {
        for corpus in &corpora {
            let name = corpus
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("corpus names are UTF-8");
            insta::assert_snapshot!(name, decisions(policy, corpus));
        }
    });
}
