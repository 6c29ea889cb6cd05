//! The record of how a decision was reached, for explanations.

use crate::source::Span;
use crate::types::Value;

/// One thing the evaluator looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    /// The expression evaluated.
    pub span: Span,
    pub result: StepResult,
    /// Facts, parameters and decisions it read, with their values.
    pub reads: Vec<Read>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Trigger,
    If,
    /// A `require` condition and the reason it reports when it fails.
    Condition {
        reason: u32,
    },
    Else,
    /// A field of the outcome reached.
    Field {
        outcome: u32,
        field: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepResult {
    Held,
    Failed,
    Value(Value),
    /// Absent facts (leaf indices).
    Unknown(Vec<u32>),
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub source: ReadSource,
    /// Where the policy read it.
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadSource {
    Fact(u32),
    Param(u32),
    Decision(usize),
}
