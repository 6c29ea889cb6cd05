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
    pub id: Arc<str>,
    pub display_name: Option<String>,
    pub platform: Option<String>,
    pub zone: FixedOffset,
    pub source: SourceFile,
    pub enums: Vec<EnumInfo>,
    /// Global variant index → (enum index, name).
    pub variants: Vec<(u32, Arc<str>)>,
    pub facts: FactLayout,
    pub params: Vec<ParamInfo>,
    pub services: Option<ServicesInfo>,
    pub decisions: Vec<DecisionIr>,
    /// Decision indices in an order where each comes after those it uses.
    pub order: Vec<usize>,
}

impl Program {
    /// The JSON paths of leaf facts, by index.
    pub fn fact_paths<'a>(&'a self, leaves: &'a [u32]) -> impl Iterator<Item = &'a str> + 'a {
        leaves.iter().map(|l| &*self.facts.leaves[*l as usize].path)
    }

    pub fn enum_names(&self) -> Vec<String> {
        self.enums.iter().map(|e| e.name.clone()).collect()
    }
}

#[derive(Debug)]
pub struct EnumInfo {
    pub name: String,
    pub open: bool,
    /// Variant name → global variant index.
    pub lookup: HashMap<Arc<str>, u32>,
    pub variants: Vec<u32>,
    pub span: Span,
}

/// The declared fact paths as a tree: sections and leaves.
#[derive(Debug, Default)]
pub struct FactLayout {
    /// Node 0 is the root object.
    pub nodes: Vec<FactNode>,
    pub leaves: Vec<Leaf>,
}

#[derive(Debug)]
pub struct FactNode {
    pub path: Arc<str>,
    pub children: Vec<(Box<str>, u32)>,
    pub leaf: Option<u32>,
    pub parent: Option<u32>,
}

#[derive(Debug)]
pub struct Leaf {
    pub path: Arc<str>,
    pub node: u32,
    pub ty: Type,
    pub span: Span,
}

impl FactLayout {
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

#[derive(Debug)]
pub struct ParamInfo {
    pub name: String,
    pub ty: Type,
    pub value: Value,
    pub span: Span,
    pub value_span: Span,
}

/// The services block, resolved.
#[derive(Debug)]
pub struct ServicesInfo {
    pub service_enum: u32,
    pub offered: u32,
    pub category: Option<u32>,
    /// Required for every product.
    pub mandatory: Vec<u32>,
    /// (service variant, categories it is required for).
    pub addons: Vec<(u32, Value)>,
}

#[derive(Debug)]
pub struct DecisionIr {
    pub name: Arc<str>,
    pub span: Span,
    pub trigger: Option<Ir>,
    pub lets: Vec<LetIr>,
    pub arms: Vec<ArmIr>,
    pub outcomes: Vec<OutcomeInfo>,
    pub reasons: Vec<Arc<str>>,
    /// Decisions this one reads.
    pub deps: Vec<usize>,
}

#[derive(Debug)]
pub struct LetIr {
    pub name: String,
    pub expr: Ir,
}

#[derive(Debug)]
pub struct OutcomeInfo {
    pub name: Arc<str>,
    pub fields: Vec<(Arc<str>, Type)>,
    pub span: Span,
}

#[derive(Debug)]
pub enum ArmIr {
    If {
        cond: Ir,
        outcome: OutcomeIr,
        span: Span,
    },
    Require {
        conditions: Vec<ConditionIr>,
        pass: Option<OutcomeIr>,
        fail: OutcomeIr,
        span: Span,
    },
    Else {
        outcome: OutcomeIr,
        span: Span,
    },
}

#[derive(Debug)]
pub struct ConditionIr {
    pub expr: Ir,
    pub reason: u32,
    pub span: Span,
}

#[derive(Debug)]
pub struct OutcomeIr {
    pub outcome: u32,
    /// Field index in the outcome's info, and its expression.
    pub fields: Vec<(u32, Ir)>,
    pub span: Span,
}

/// A typed, resolved expression.
#[derive(Debug, Clone)]
pub struct Ir {
    pub kind: IrKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum IrKind {
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
        decision: usize,
        outcome: Option<u32>,
    },
    /// A field of another decision's outcome: none when that outcome lacks it.
    DecisionField {
        decision: usize,
        field: Arc<str>,
    },
    IsNone(Box<Ir>),
    IsEmpty(Box<Ir>),
    Not(Box<Ir>),
    Neg(Box<Ir>),
    Binary(BinOp, Box<Ir>, Box<Ir>),
    Call(Builtin, Vec<Ir>),
    Set(Vec<Ir>),
    Map(Vec<(Ir, Ir)>),
    Index(Box<Ir>, Box<Ir>),
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
