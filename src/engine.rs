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
//! let text = r#"
//!     policy small_refund { zone "+08:00" }
//!     facts { order.amount: money }
//!     decision instant {
//!       if order.amount < ¥300 => yes
//!       else => no
//!     }
//! "#;
//! let policy = Policy::load(SourceFile::new("small-refund.vouch", text)).unwrap();
//! let decision = policy.decide(r#"{"order": {"amount": "120.00"}}"#, false).unwrap();
//! assert_eq!(decision.json()["policy"], "small_refund");
//! assert_eq!(decision.json()["decisions"]["instant"]["outcome"], "yes");
//! ```

use std::io::{Read, Write};

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::eval::{CaseResult, Evaluator};
use crate::facts::{Decoder, Facts, FactsError};
use crate::output::jsonl::CaseWriter;
use crate::output::{explain, render};
use crate::program::Program;
use crate::source::SourceFile;
use crate::stream::{self, StreamError, StreamOptions, StreamSummary};
use crate::LoadError;

/// What deciding a case needs besides the program, made once per policy:
/// the facts decoder's key tables and the JSON writer's escaped names.
struct Tools<'p> {
    decoder: Decoder<'p>,
    writer: CaseWriter<'p>,
}

self_cell::self_cell!(
    /// A program and the tools that borrow it.
    struct Prepared {
        owner: Program,
        #[covariant]
        dependent: Tools,
    }
);

/// A checked policy, ready to decide cases on any number of threads.
pub struct Policy {
    prepared: Prepared,
    hash: String,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("id", &self.id())
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// Parse and check a policy's text.
    pub fn load(source: SourceFile) -> Result<Policy, LoadError> {
        crate::load(&source).map(Policy::new)
    }

    /// Wrap a program that is already checked.
    pub fn new(program: Program) -> Policy {
        let hash = text_hash(&program.source.text);
        let prepared = Prepared::new(program, |program| Tools {
            decoder: Decoder::new(program),
            writer: CaseWriter::new(program),
        });
        Policy { prepared, hash }
    }

    /// The policy id declared in the file (`policy price_guard { … }`).
    pub fn id(&self) -> &str {
        &self.program().id
    }

    /// The SHA-256 of the policy text, in lowercase hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The checked program.
    pub fn program(&self) -> &Program {
        self.prepared.borrow_owner()
    }

    /// Decide one case from its facts (one JSON object). With `explain`,
    /// each decision carries the trace of how it was reached.
    pub fn decide(&self, facts: &str, explain: bool) -> Result<Decision<'_>, FactsError> {
        let program = self.program();
        let mut decided = Facts::empty(&program.facts);
        (self.prepared.borrow_dependent().decoder).decode_into(facts, &mut decided)?;
        let mut result = CaseResult::default();
        Evaluator::new(program).evaluate_into(&decided, explain, &mut result);
        Ok(Decision {
            policy: self,
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
        stream::decide_stream(self.program(), input, output, options, &|_, _| {})
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
    policy: &'p Policy,
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
        render::case_json(self.policy.program(), &self.result, self.explain)
    }

    /// The case as one compact JSON line with its newline: the line
    /// `vouch eval --facts-jsonl` writes for it.
    pub fn to_line(&self) -> Vec<u8> {
        let mut line = Vec::with_capacity(512);
        if self.explain {
            // Writing a JSON tree into memory cannot fail.
            let _ = serde_json::to_writer(&mut line, &self.json());
            line.push(b'\n');
        } else {
            let writer = &self.policy.prepared.borrow_dependent().writer;
            writer.case(&self.result, &mut line);
        }
        line
    }

    /// The bytes `vouch eval --facts FILE --format json` writes (pretty, with
    /// a final newline); `policy_hash`, when given, follows `policy`.
    pub fn to_json(&self, policy_hash: Option<&str>) -> Vec<u8> {
        line_to_json(&self.to_line(), policy_hash)
    }

    /// The explanation for people, as `--explain --format text` prints it.
    pub fn explanation(&self) -> String {
        explain::case(self.policy.program(), &self.result)
    }

    /// How many decisions ended in an evaluation error (overflow, division by zero).
    pub fn errors(&self) -> usize {
        let error =
            |d: &&crate::eval::DecisionResult| matches!(d.status, crate::eval::Status::Error(..));
        self.result.decisions.iter().filter(error).count()
    }
}

/// A case's JSON tree as pretty bytes with a final newline, as `serde_json`
/// writes them; `policy_hash`, when given, goes right after `policy`.
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

/// A case's compact JSON line as the pretty JSON of `--facts`, with
/// `policy_hash` after `policy` when given.
pub fn line_to_json(line: &[u8], policy_hash: Option<&str>) -> Vec<u8> {
    const DECISIONS: &[u8] = b",\"decisions\":";
    let mut out = Vec::with_capacity(line.len() * 2);
    let split = policy_hash.and_then(|hash| {
        let at = memchr::memmem::find(line, DECISIONS)?;
        Some((at, hash))
    });
    match split {
        Some((at, hash)) => {
            let mut with_hash = Vec::with_capacity(line.len() + 96);
            with_hash.extend_from_slice(&line[..at]);
            with_hash.extend_from_slice(b",\"policy_hash\":");
            crate::output::jsonl::string(&mut with_hash, hash);
            with_hash.extend_from_slice(&line[at..]);
            pretty(&with_hash, &mut out);
        }
        None => pretty(line, &mut out),
    }
    out.push(b'\n');
    out
}

/// Compact JSON re-indented the way `serde_json`'s pretty printer writes
/// it: two spaces a level, `": "` after a key, `{}` and `[]` when empty.
/// Cheaper than building the tree again; a test holds the two byte-equal.
fn pretty(compact: &[u8], out: &mut Vec<u8>) {
    let mut depth = 0usize;
    let mut i = 0;
    while i < compact.len() {
        let b = compact[i];
        match b {
            b'"' => {
                // Copy the whole string, escapes included.
                let mut end = i + 1;
                while end < compact.len() {
                    match compact[end] {
                        b'\\' => end += 2,
                        b'"' => break,
                        _ => end += 1,
                    }
                }
                let end = (end + 1).min(compact.len());
                out.extend_from_slice(&compact[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                out.push(b);
                if compact.get(i + 1) == Some(&close) {
                    out.push(close);
                    i += 2;
                    continue;
                }
                depth += 1;
                newline(out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b'\n' => {}
            _ => out.push(b),
        }
        i += 1;
    }
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
    }
}
