//! The record of how a decision was reached, for explanations.

use crate::ast::BinOp;
use crate::program::Builtin;
use crate::source::Span;
use crate::types::Value;

use super::Status;

/// One thing the evaluator looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What was evaluated.
    pub kind: StepKind,
    /// The expression evaluated.
    pub span: Span,
    /// What it came to.
    pub result: StepResult,
    /// Facts, parameters and decisions it read, with their values.
    pub reads: Vec<Read>,
    /// The value of every part of the expression that was evaluated.
    pub values: Option<Box<Annot>>,
    /// For a failed condition: changes of fact values under which it would hold.
    pub counterfactual: Vec<Alternative>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// What a step of a trace evaluated.
pub enum StepKind {
    /// The decision's `when`.
    Trigger,
    /// An `if` rule's condition.
    If,
    /// A `require` condition and the reason it reports when it fails.
    Condition {
        /// The condition's reason code, by index.
        reason: u32,
    },
    /// An `else` rule.
    Else,
    /// A field of the outcome reached.
    Field {
        /// The outcome, by index.
        outcome: u32,
        /// The field, by index in the outcome.
        field: u32,
    },
}

#[derive(Debug, Clone, PartialEq)]
/// What a step came to.
pub enum StepResult {
    /// A condition that held.
    Held,
    /// A condition that failed.
    Failed,
    /// A value (an outcome field).
    Value(Value),
    /// Absent facts (leaf indices).
    Unknown(Vec<u32>),
    /// The expression had no value.
    Error(super::EvalError),
}

#[derive(Debug, Clone, PartialEq)]
/// A fact, parameter or decision a step read.
pub struct Read {
    /// What was read.
    pub source: ReadSource,
    /// Where the policy read it.
    pub span: Span,
    /// The value read.
    pub value: Value,
    /// For a parameter that changes on dates: which value applied and why.
    pub dated: Option<DatedRead>,
}

/// Why a dated parameter had the value it had.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedRead {
    /// The leaf fact whose date picked the value, and its value.
    pub as_of: u32,
    /// The value of the fact that picked the dated value.
    pub as_of_value: Value,
    /// The date the value took effect on; `None` for the first value.
    pub from: Option<chrono::NaiveDate>,
    /// The date the next value takes effect on, if any.
    pub until: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Where a read value comes from.
pub enum ReadSource {
    /// A fact, by leaf index.
    Fact(u32),
    /// A parameter, by index.
    Param(u32),
    /// Another decision's result.
    Decision(usize),
    /// The item a per-item `require` is judging: a list fact's item by index.
    Item {
        /// The list fact, by leaf index.
        leaf: u32,
        /// The item's index in the list.
        index: u32,
    },
}

/// An expression's value and those of its parts, aligned with the parts of
/// its [`crate::program::Ir`] (see [`crate::program::Ir::parts`]). A `let`
/// has one part: its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Annot {
    /// `None` when unknown or an error.
    pub value: Option<Value>,
    /// `None` for a part that was not evaluated (`and`, `or`, `??` and `if`
    /// stop early).
    pub parts: Vec<Option<Annot>>,
}

/// One way a failed condition would have held: every bound at once, every
/// other fact unchanged. Checked by evaluating the case again.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The bounds of the alternative, each a fact and the value it must reach.
    pub bounds: Vec<Bound>,
    /// What the decision would then come to, when that differs.
    pub then: Option<Status>,
}

/// A fact (or its local time or date) compared with a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The leaf fact.
    pub fact: u32,
    /// `time_of` or `date_of` when the bound is on the fact's local time or date.
    pub via: Option<Builtin>,
    /// `<=`, `<`, `>=`, `>`, `==`, `!=`, `in` or `not in`.
    pub op: BinOp,
    /// The bound, exact to the unit of the fact (fen, second, day).
    pub value: Value,
    /// What the fact (or its local time or date) is in this case.
    pub actual: Value,
}
