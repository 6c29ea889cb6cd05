//! The example corpus: generated deterministically, and mixed enough to reach
//! every outcome of every shipped decision.

#[path = "../examples/generate/cases.rs"]
mod cases;

use std::collections::BTreeSet;

use vouch::source::SourceFile;

const POLICIES: [&str; 3] = [
    "rules/douyin/anxin-gou.vouch",
    "rules/douyin/refund-after-rejection.vouch",
    "rules/kuaishou/xinren-gou.vouch",
];

fn corpus() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/corpus.jsonl");
    std::fs::read_to_string(path).expect("examples/corpus.jsonl is readable")
}

#[test]
fn corpus_is_what_the_generator_writes() {
    let committed = corpus();
    let generated = cases::corpus(300, 8);
    assert!(
        committed == generated,
        "examples/corpus.jsonl differs from `generate --cases 300 --seed 8`; \
         regenerate it if the generator changed on purpose"
    );
}

#[test]
fn generator_is_deterministic_and_seeded() {
    assert_eq!(cases::corpus(50, 3), cases::corpus(50, 3));
    assert_ne!(cases::corpus(50, 3), cases::corpus(50, 4));
}

#[test]
fn corpus_reaches_every_outcome_of_every_decision() {
    let corpus = corpus();
    for path in POLICIES {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + path;
        let text = std::fs::read_to_string(&file).expect("policy is readable");
        let program = vouch::load(&SourceFile::new(path, text)).expect("policy loads");
        let mut seen: BTreeSet<(usize, String)> = BTreeSet::new();
        for (n, line) in corpus.lines().enumerate() {
            let facts = vouch::facts::decode(&program, line)
                .unwrap_or_else(|e| panic!("{path}: line {}: {e}", n + 1));
            let result = vouch::eval::evaluate(&program, &facts, false);
            for (i, r) in result.decisions.iter().enumerate() {
                let outcome = vouch::output::render::outcome_name(&program, i, r);
                seen.insert((i, outcome.to_string()));
            }
        }
        let mut unseen = Vec::new();
        for (i, d) in program.decisions.iter().enumerate() {
            let mut want: Vec<&str> = d.outcomes.iter().map(|o| &*o.name).collect();
            want.push("undetermined");
            if d.trigger.is_some() {
                want.push("not_applicable");
            }
            for o in want {
                if !seen.contains(&(i, o.to_string())) {
                    unseen.push(format!("{}.{o}", d.name));
                }
            }
        }
        assert!(unseen.is_empty(), "{path}: never reached: {unseen:?}");
        assert!(
            !seen.iter().any(|(_, o)| o == "error"),
            "{path}: a decision could not be evaluated"
        );
    }
}
