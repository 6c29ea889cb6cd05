//! The checked, resolved program: what the checker builds and the evaluator runs.
//!
//! Every name is an index here; evaluation does no string look-ups.

pub use crate::builtins::Builtin;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::FixedOffset;

use crate::ast::BinOp;
use crate::source::{SourceFile, Span};
use crate::types::{Type, Value};

/// A policy, ready to evaluate many cases.
#[derive(Debug)]
pub struct Program {
    /// The program id (`anxin_gou`), as the output names the policy.
    pub id: Arc<str>,
    /// The header's name for people.
    pub display_name: Option<String>,
    /// The header's platform.
    pub platform: Option<String>,
    /// The zone of every calendar rule.
    pub zone: FixedOffset,
    /// The policy text, for explanations and diagnostics.
    pub source: SourceFile,
    /// Every enum, by index.
    pub enums: Vec<EnumInfo>,
    /// Global variant index → (enum index, name).
    pub variants: Vec<(u32, Arc<str>)>,
    /// The declared facts as a tree.
    pub facts: FactLayout,
    /// Every parameter with its value, by index.
    pub params: Vec<ParamInfo>,
    /// The services block, resolved.
    pub services: Option<ServicesInfo>,
    /// Every decision, in the order written.
    pub decisions: Vec<DecisionIr>,
    /// Decision indices in an order where each comes after those it uses.
    pub order: Vec<usize>,
}

impl Program {
    /// The JSON paths of leaf facts, by index.
    pub fn fact_paths<'a>(&'a self, leaves: &'a [u32]) -> impl Iterator<Item = &'a str> + 'a {
        leaves.iter().map(|l| &*self.facts.leaves[*l as usize].path)
    }

    /// The enums' names, by index.
    pub fn enum_names(&self) -> Vec<String> {
        self.enums.iter().map(|e| e.name.clone()).collect()
    }
}

/// An enum, resolved.
#[derive(Debug)]
pub struct EnumInfo {
    /// Its name.
    pub name: String,
    /// Whether facts may carry undeclared values.
    pub open: bool,
    /// Variant name → global variant index.
    pub lookup: HashMap<Arc<str>, u32>,
    /// Its variants' global indices, in the order declared.
    pub variants: Vec<u32>,
    /// Its declaration.
    pub span: Span,
}

/// The declared fact paths as a tree: sections and leaves.
#[derive(Debug, Default)]
pub struct FactLayout {
    /// Node 0 is the root object.
    pub nodes: Vec<FactNode>,
    /// The declared facts (leaves of the tree), by index.
    pub leaves: Vec<Leaf>,
}

/// A section or fact of the tree.
#[derive(Debug)]
pub struct FactNode {
    /// Its dotted path.
    pub path: Arc<str>,
    /// Its children by key, in the order declared.
    pub children: Vec<(Box<str>, u32)>,
    /// The fact it is, if it is one.
    pub leaf: Option<u32>,
    /// Its parent; none for the root.
    pub parent: Option<u32>,
}

/// A declared fact.
#[derive(Debug)]
pub struct Leaf {
    /// Its dotted path.
    pub path: Arc<str>,
    /// Its node in the tree.
    pub node: u32,
    /// Its declared type.
    pub ty: Type,
    /// Its declaration.
    pub span: Span,
}

impl FactLayout {
    /// A node's child by key.
    pub fn child(&self, node: u32, name: &str) -> Option<u32> {
        self.nodes[node as usize]
            .children
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, id)| *id)
    }

    /// The node for a dotted path.
    pub fn find(&self, path: &str) -> Option<u32> {
        path.split('.')
            .try_fold(0u32, |node, seg| self.child(node, seg))
    }
}

/// A parameter, resolved and computed.
#[derive(Debug)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Its value, computed when checked.
    pub value: Value,
    /// Its declaration.
    pub span: Span,
    /// The expression of its value.
    pub value_span: Span,
}

/// The services block, resolved.
#[derive(Debug)]
pub struct ServicesInfo {
    /// The `service` enum the block declares.
    pub service_enum: u32,
    /// The fact that lists the offered services.
    pub offered: u32,
    /// The fact that gives the category, if add-ons need one.
    pub category: Option<u32>,
    /// Required for every product.
    pub mandatory: Vec<u32>,
    /// (service variant, categories it is required for).
    pub addons: Vec<(u32, Value)>,
}

/// A decision, resolved.
#[derive(Debug)]
pub struct DecisionIr {
    /// Its name in the output.
    pub name: Arc<str>,
    /// Its declaration.
    pub span: Span,
    /// When it applies; none means always.
    pub trigger: Option<Ir>,
    /// Its `let`s, by index.
    pub lets: Vec<LetIr>,
    /// Its rules, in order.
    pub arms: Vec<ArmIr>,
    /// Its outcomes and their fields.
    pub outcomes: Vec<OutcomeInfo>,
    /// Its reason codes, by index.
    pub reasons: Vec<Arc<str>>,
    /// Decisions this one reads.
    pub deps: Vec<usize>,
}

/// A `let`, resolved.
#[derive(Debug)]
pub struct LetIr {
    /// Its name.
    pub name: String,
    /// Its definition.
    pub expr: Ir,
}

/// An outcome a decision can give.
#[derive(Debug)]
pub struct OutcomeInfo {
    /// The outcome word.
    pub name: Arc<str>,
    /// Its fields and their types.
    pub fields: Vec<(Arc<str>, Type)>,
    /// Where it is first written.
    pub span: Span,
}

/// A rule, resolved.
#[derive(Debug)]
pub enum ArmIr {
    /// `if COND => OUTCOME`.
    If {
        /// The condition.
        cond: Ir,
        /// The outcome when it holds.
        outcome: OutcomeIr,
        /// The whole rule.
        span: Span,
    },
    /// `require { … } [=> PASS] else FAIL`.
    Require {
        /// The conditions with their reasons.
        conditions: Vec<ConditionIr>,
        /// The outcome when all hold; none lets the next rules decide.
        pass: Option<OutcomeIr>,
        /// The outcome when any fails.
        fail: OutcomeIr,
        /// The whole rule.
        span: Span,
    },
    /// `else => OUTCOME`.
    Else {
        /// The outcome.
        outcome: OutcomeIr,
        /// The whole rule.
        span: Span,
    },
}

/// A condition of a `require`, resolved.
#[derive(Debug)]
pub struct ConditionIr {
    /// The condition.
    pub expr: Ir,
    /// Its reason code, by index in the decision's reasons.
    pub reason: u32,
    /// The whole condition.
    pub span: Span,
}

/// An outcome with its field expressions.
#[derive(Debug)]
pub struct OutcomeIr {
    /// The outcome, by index in the decision's outcomes.
    pub outcome: u32,
    /// Field index in the outcome's info, and its expression.
    pub fields: Vec<(u32, Ir)>,
    /// Where it is written.
    pub span: Span,
}

/// A typed, resolved expression.
#[derive(Debug, Clone)]
pub struct Ir {
    /// What it computes.
    pub kind: IrKind,
    /// Its type.
    pub ty: Type,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of resolved expression.
#[derive(Debug, Clone)]
pub enum IrKind {
    /// A literal value.
    Const(Value),
    /// A leaf fact; absent means unknown.
    Fact(u32),
    /// Whether a section or leaf is present and not null.
    Exists(u32),
    /// A parameter's value, by index (kept apart from constants for explanations).
    Param(u32),
    /// A `let` of the current decision.
    Let(u32),
    /// `decision is outcome`; `None` tests for `not_applicable`.
    DecisionIs {
        /// The decision used.
        decision: usize,
        /// The outcome tested for.
        outcome: Option<u32>,
    },
    /// A field of another decision's outcome: none when that outcome lacks it.
    DecisionField {
        /// The decision used.
        decision: usize,
        /// The field's name.
        field: Arc<str>,
    },
    /// `x is none`.
    IsNone(Box<Ir>),
    /// `x is empty`.
    IsEmpty(Box<Ir>),
    /// `not x`.
    Not(Box<Ir>),
    /// `-x`.
    Neg(Box<Ir>),
    /// `a OP b`.
    Binary(BinOp, Box<Ir>, Box<Ir>),
    /// A built-in call.
    Call(Builtin, Vec<Ir>),
    /// A set of values.
    Set(Vec<Ir>),
    /// A map of values.
    Map(Vec<(Ir, Ir)>),
    /// `map[key]`.
    Index(Box<Ir>, Box<Ir>),
    /// `if c then a else b`.
    If(Box<Ir>, Box<Ir>, Box<Ir>),
}

impl Ir {
    /// The sub-expressions, in the order they are written (a `let` has none
    /// here: its definition is in the decision's `lets`).
    pub fn parts(&self) -> Vec<&Ir> {
        match &self.kind {
            IrKind::Const(_)
            | IrKind::Fact(_)
            | IrKind::Exists(_)
            | IrKind::Param(_)
            | IrKind::Let(_)
            | IrKind::DecisionIs { .. }
            | IrKind::DecisionField { .. } => Vec::new(),
            IrKind::IsNone(a) | IrKind::IsEmpty(a) | IrKind::Not(a) | IrKind::Neg(a) => vec![a],
            IrKind::Binary(_, a, b) | IrKind::Index(a, b) => vec![a, b],
            IrKind::Call(_, args) | IrKind::Set(args) => args.iter().collect(),
            IrKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            IrKind::If(c, t, f) => vec![c, t, f],
        }
    }
}
