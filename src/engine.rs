//! A loaded policy, for a service that embeds the engine: load it once, then
//! decide one case, decide a stream of cases, or explain, from any thread.
//!
//! [`Policy`] owns its checked program and the SHA-256 of its text, so a
//! caller can say which version of a policy decided. Its answers are the bytes
//! `vouch eval` writes: [`Decision::to_json`] those of `--facts --format json`
//! (with `--explain` when asked), [`Policy::decide_stream`] those of
//! `--facts-jsonl`. `vouch serve` answers through this type.
//!
//! ```
//! use vouch::engine::Policy;
//! use vouch::source::SourceFile;
//!
//! let text = std::fs::read_to_string("rules/douyin/refund-after-rejection.vouch").unwrap();
//! let policy = Policy::load(SourceFile::new("refund-after-rejection.vouch", text)).unwrap();
//! let decision = policy.decide(r#"{"now": "2026-11-20T10:30:00+08:00"}"#, false).unwrap();
//! assert_eq!(decision.json()["policy"], "reject_refund");
//! ```

use std::io::{Read, Write};

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::eval::{CaseResult, Evaluator};
use crate::facts::{Decoder, Facts, FactsError};
use crate::output::{explain, render};
use crate::program::Program;
use crate::source::SourceFile;
use crate::stream::{self, StreamError, StreamOptions, StreamSummary};
use crate::LoadError;

/// A checked policy, ready to decide cases on any number of threads.
#[derive(Debug)]
pub struct Policy {
    program: Program,
    hash: String,
}

impl Policy {
    /// Parse and check a policy's text.
    pub fn load(source: SourceFile) -> Result<Policy, LoadError> {
        crate::load(&source).map(Policy::new)
    }

    /// Wrap a program that is already checked.
    pub fn new(program: Program) -> Policy {
        let hash = text_hash(&program.source.text);
        Policy { program, hash }
    }

    /// The policy id declared in the file (`policy anxin_gou { … }`).
    pub fn id(&self) -> &str {
        &self.program.id
    }

    /// The SHA-256 of the policy text, in lowercase hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The checked program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Decide one case from its facts (one JSON object). With `explain`,
    /// each decision carries the trace of how it was reached.
    pub fn decide(&self, facts: &str, explain: bool) -> Result<Decision<'_>, FactsError> {
        let mut decided = Facts::empty(&self.program.facts);
        Decoder::new(&self.program).decode_into(facts, &mut decided)?;
        let mut result = CaseResult::default();
        Evaluator::new(&self.program).evaluate_into(&decided, explain, &mut result);
        Ok(Decision {
            program: &self.program,
            result,
            explain,
        })
    }

    /// Decide every line of `input` (one facts object a line) into `output`,
    /// one JSON line each, in input order, in bounded memory: the bytes of
    /// `vouch eval --facts-jsonl`. A bad line gets `{"line": N, "error": …}`.
    pub fn decide_stream<R: Read + Send, W: Write + Send>(
        &self,
        input: R,
        output: W,
        options: &StreamOptions,
    ) -> Result<StreamSummary, StreamError> {
        stream::decide_stream(&self.program, input, output, options, &|_, _| {})
    }
}

/// The SHA-256 of a text, in lowercase hex.
pub fn text_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    hex
}

/// Every decision of a policy for one case.
#[derive(Debug)]
pub struct Decision<'p> {
    program: &'p Program,
    result: CaseResult,
    explain: bool,
}

impl Decision<'_> {
    /// The decisions as values: outcome, fields, reasons, missing facts, trace.
    pub fn result(&self) -> &CaseResult {
        &self.result
    }

    /// The contract's JSON tree: `{"policy": …, "decisions": {…}}`, with each
    /// decision's trace when explained.
    pub fn json(&self) -> Json {
        render::case_json(self.program, &self.result, self.explain)
    }

    /// The bytes `vouch eval --facts FILE --format json` writes (pretty, with
    /// a final newline); `policy_hash`, when given, follows `policy`.
    pub fn to_json(&self, policy_hash: Option<&str>) -> Vec<u8> {
        json_bytes(&self.json(), policy_hash)
    }

    /// The explanation for people, as `--explain --format text` prints it.
    pub fn explanation(&self) -> String {
        explain::case(self.program, &self.result)
    }

    /// How many decisions ended in an evaluation error (overflow, division by zero).
    pub fn errors(&self) -> usize {
        let error =
            |d: &&crate::eval::DecisionResult| matches!(d.status, crate::eval::Status::Error(..));
        self.result.decisions.iter().filter(error).count()
    }
}

/// A case's JSON tree as pretty bytes with a final newline; `policy_hash`,
/// when given, goes right after `policy`.
pub fn json_bytes(case: &Json, policy_hash: Option<&str>) -> Vec<u8> {
    /// The case with its hash, in the contract's key order.
    #[derive(serde::Serialize)]
    struct WithHash<'a> {
        policy: &'a Json,
        policy_hash: &'a str,
        decisions: &'a Json,
    }
    let mut out = Vec::with_capacity(1024);
    // Writing a JSON tree into memory cannot fail.
    let _ = match (policy_hash, case.get("policy"), case.get("decisions")) {
        (Some(policy_hash), Some(policy), Some(decisions)) => {
            let with_hash = WithHash {
                policy,
                policy_hash,
                decisions,
            };
            serde_json::to_writer_pretty(&mut out, &with_hash)
        }
        _ => serde_json::to_writer_pretty(&mut out, case),
    };
    out.push(b'\n');
    out
}
