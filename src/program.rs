//! The checked, resolved program: what the checker builds and the evaluator runs.
//!
//! Every name is an index here; evaluation does no string look-ups.

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

/// The built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Min,
    Max,
    Earliest,
    Latest,
    DateOf,
    TimeOf,
    At,
    EndOfDay,
    StartOfDay,
    Size,
    MissingServices,
    RequiredServices,
    MandatoryServices,
}

impl Builtin {
    pub const ALL: [(&'static str, Builtin); 13] = [
        ("min", Builtin::Min),
        ("max", Builtin::Max),
        ("earliest", Builtin::Earliest),
        ("latest", Builtin::Latest),
        ("date_of", Builtin::DateOf),
        ("time_of", Builtin::TimeOf),
        ("at", Builtin::At),
        ("end_of_day", Builtin::EndOfDay),
        ("start_of_day", Builtin::StartOfDay),
        ("size", Builtin::Size),
        ("missing_services", Builtin::MissingServices),
        ("required_services", Builtin::RequiredServices),
        ("mandatory_services", Builtin::MandatoryServices),
    ];

    pub fn from_name(name: &str) -> Option<Builtin> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }

    /// The signature and what the function gives, as the language reference says.
    pub fn doc(self) -> (&'static str, &'static str) {
        match self {
            Builtin::Min => ("min(a, b, …)", "The least of two or more values of one ordered type, none optional."),
            Builtin::Max => ("max(a, b, …)", "The greatest of two or more values of one ordered type, none optional."),
            Builtin::Earliest => ("earliest(t, …) → instant", "The earliest of one or more `instant` or `instant?`; nones are skipped. Optional when every argument is, none when all are none."),
            Builtin::Latest => ("latest(t, …) → instant", "The latest of one or more `instant` or `instant?`; nones are skipped. Optional when every argument is, none when all are none."),
            Builtin::DateOf => ("date_of(t: instant) → date", "The calendar day of an instant in the policy's zone (none for none)."),
            Builtin::TimeOf => ("time_of(t: instant) → time", "The time of day of an instant in the policy's zone (none for none)."),
            Builtin::At => ("at(d: date, h: time) → instant", "That time of that day in the policy's zone: `at(date_of(t) + 2d, 04:00)`."),
            Builtin::EndOfDay => ("end_of_day(t: instant) → instant", "23:59:59 of the day of an instant in the policy's zone (none for none)."),
            Builtin::StartOfDay => ("start_of_day(t: instant) → instant", "00:00:00 of the day of an instant in the policy's zone (none for none)."),
            Builtin::Size => ("size(s: set<T>) → int", "The number of elements of a set."),
            Builtin::MissingServices => ("missing_services() → set<service>", "The services the product requires (mandatory and category add-ons) that the merchant does not offer."),
            Builtin::RequiredServices => ("required_services() → set<service>", "The services the product requires: the mandatory ones and the add-ons of its category."),
            Builtin::MandatoryServices => ("mandatory_services() → set<service>", "The services the `services` block marks `required` for every product."),
        }
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("?", |(n, _)| n)
    }
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
