//! Embedding the engine in a Rust service, without `vouch serve`: load a
//! policy once, then decide one case, explain it, and decide a stream.
//!
//! ```sh
//! cargo run --example embed
//! ```

use std::sync::Arc;

use vouch::engine::Policy;
use vouch::source::SourceFile;
use vouch::stream::StreamOptions;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Load: parse and check once. A policy with errors gives its diagnostics.
    let path = "rules/douyin/anxin-gou.vouch";
    let text = std::fs::read_to_string(path)?;
    let policy = match Policy::load(SourceFile::new(path, text)) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            for d in e.diagnostics() {
                eprintln!("{}", vouch::output::render::diagnostic(d, false));
            }
            return Err("the policy does not load".into());
        }
    };
    println!("loaded `{}`, version {}", policy.id(), &policy.hash()[..12]);

    // Decide one case: the JSON `vouch eval --facts` prints, with the hash of
    // the policy version that decided.
    let facts = std::fs::read_to_string("examples/anxin-gou/fast-refund-instant.json")?;
    let decision = policy.decide(&facts, false)?;
    let json = decision.json();
    println!(
        "fast_refund: {}",
        json["decisions"]["fast_refund"]["outcome"]
    );
    let bytes = decision.to_json(Some(policy.hash()));
    println!("the answer is {} bytes of JSON", bytes.len());

    // Bad facts are a typed error with a stable code and the JSON path.
    if let Err(e) = policy.decide(r#"{"order": {"amount": "a lot"}}"#, false) {
        println!("refused: {} at {:?}: {e}", e.code(), e.path);
    }

    // Explain: the trace of every decision, for people or as JSON.
    let explained = policy.decide(&facts, true)?;
    let why = explained.explanation();
    println!("{}", why.lines().take(3).collect::<Vec<_>>().join("\n"));

    // Decide a stream of cases on every core, in bounded memory; the policy
    // is shared across threads through its `Arc`.
    let cases = std::fs::File::open("examples/corpus.jsonl")?;
    let mut out = Vec::new();
    let options = StreamOptions {
        jobs: 2,
        explain: false,
        strict: false,
    };
    let summary = policy.decide_stream(cases, &mut out, &options)?;
    println!(
        "decided {} lines ({} bad) into {} bytes of JSONL",
        summary.lines,
        summary.bad,
        out.len()
    );
    Ok(())
}
