//! The checked, resolved program: what the checker builds and the evaluator runs.
//!
//! Every name is an index here; evaluation does no string look-ups.

pub use crate::builtins::Builtin;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate};

use crate::ast::BinOp;
use crate::source::{SourceFile, Span};
use crate::types::{Type, Value};

/// A policy, ready to evaluate many cases.
#[derive(Debug)]
pub struct Program {
    /// The program id (`price_guard`), as the output names the policy.
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
    /// Every calendar, by index.
    pub calendars: Vec<Calendar>,
    /// The services block, resolved.
    pub services: Option<ServicesInfo>,
    /// Every decision, in the order written.
    pub decisions: Vec<DecisionIr>,
    /// Decision indices in an order where each comes after those it uses.
    pub order: Vec<usize>,
}

impl Program {
    /// The JSON paths of missing facts (see [`MissingFact`]), by id.
    pub fn fact_paths<'a>(&'a self, ids: &'a [u32]) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        ids.iter().map(|id| self.fact_path(*id))
    }

    /// The JSON path of a missing fact: a leaf, or a field of a list's item
    /// (`order.items[2].current_price`).
    pub fn fact_path(&self, id: u32) -> Cow<'_, str> {
        match MissingFact::decode(id) {
            MissingFact::Leaf(l) => Cow::Borrowed(&*self.facts.leaves[l as usize].path),
            MissingFact::Item { leaf, index, field } => {
                let l = &self.facts.leaves[leaf as usize];
                let name = match l.ty.unwrap_optional() {
                    Type::List(item) => match item.unwrap_optional() {
                        Type::Record(fields) => fields.get(field as usize).map(|(n, _)| n.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                match name {
                    Some(n) => Cow::Owned(format!("{}[{index}].{n}", l.path)),
                    None => Cow::Borrowed(&*l.path),
                }
            }
        }
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

/// A missing fact, packed in a `u32` so that results stay small: a leaf
/// fact by index, or one field of one item of a list fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingFact {
    /// A fact, by leaf index.
    Leaf(u32),
    /// A field of one item of a list fact: the list's leaf, the item's index, the field's index.
    Item {
        /// The list fact, by leaf index.
        leaf: u32,
        /// The item's index in the list.
        index: u32,
        /// The field's index in the record.
        field: u32,
    },
}

const ITEM_FLAG: u32 = 1 << 31;

impl MissingFact {
    /// The id; an item past the 65,536th, a field past the 64th or a list
    /// past the 512th leaf is named by the list itself.
    pub fn encode(self) -> u32 {
        match self {
            MissingFact::Leaf(l) => l,
            MissingFact::Item { leaf, index, field } => {
                if leaf >= 512 || index >= 65_536 || field >= 64 {
                    leaf
                } else {
                    ITEM_FLAG | leaf << 22 | field << 16 | index
                }
            }
        }
    }

    /// The missing fact an id names.
    pub fn decode(id: u32) -> MissingFact {
        if id & ITEM_FLAG == 0 {
            return MissingFact::Leaf(id);
        }
        MissingFact::Item {
            leaf: (id >> 22) & 0x1ff,
            field: (id >> 16) & 0x3f,
            index: id & 0xffff,
        }
    }

    /// The leaf fact it is in.
    pub fn leaf(id: u32) -> u32 {
        match MissingFact::decode(id) {
            MissingFact::Leaf(l) | MissingFact::Item { leaf: l, .. } => l,
        }
    }
}

/// A parameter, resolved and computed.
#[derive(Debug)]
pub struct ParamInfo {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// The value before the first dated one (the only one if undated).
    pub value: Value,
    /// Its declaration.
    pub span: Span,
    /// The expression of its value.
    pub value_span: Span,
    /// Values that take effect on dates, in date order.
    pub dated: Vec<DatedValue>,
    /// The leaf fact whose local date picks among the dated values.
    pub as_of: Option<u32>,
}

/// A parameter's value from a date on.
#[derive(Debug, Clone)]
pub struct DatedValue {
    /// The first day it is in force.
    pub from: NaiveDate,
    /// The value from then on.
    pub value: Value,
    /// Where it is written.
    pub span: Span,
}

impl ParamInfo {
    /// The value in force on `date`, and the index of the dated value that
    /// gave it (`None`: the first value).
    pub fn value_on(&self, date: NaiveDate) -> (&Value, Option<usize>) {
        match self.dated.iter().rposition(|d| d.from <= date) {
            Some(i) => (&self.dated[i].value, Some(i)),
            None => (&self.value, None),
        }
    }
}

/// A working-day calendar: the working weekdays and the exceptions.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Its name.
    pub name: String,
    /// Bit `i` set when weekday `i` (Monday = 0) is a working day.
    pub week: u8,
    /// Extra rest days, sorted, each with the index of the part that lists it.
    pub rest: Vec<(NaiveDate, u32)>,
    /// Extra working days, sorted, each with the index of the part that lists it.
    pub work: Vec<(NaiveDate, u32)>,
    /// Each date or range of its `rest` and `work` lines, in the order written.
    pub parts: Vec<CalendarPart>,
    /// Its declaration.
    pub span: Span,
}

/// One date or range of a calendar's `rest` or `work` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarPart {
    /// `true` on a `rest` line, `false` on a `work` line.
    pub rest: bool,
    /// Where the date or range is written.
    pub span: Span,
}

/// What made a day a working day or a rest day in a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRule {
    /// A weekday of the calendar's `week`.
    WorkingWeekday,
    /// A weekday the calendar's `week` leaves out.
    RestWeekday,
    /// A `rest` or `work` date or range, by index in [`Calendar::parts`].
    Part(u32),
}

/// The part listing `d`, if `days` (sorted) holds it.
fn listed(days: &[(NaiveDate, u32)], d: NaiveDate) -> Option<u32> {
    days.binary_search_by_key(&d, |(day, _)| *day)
        .ok()
        .map(|i| days[i].1)
}

impl Calendar {
    /// Whether a day is a working day: its weekday, unless an exception says otherwise.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        if listed(&self.rest, d).is_some() {
            return false;
        }
        if listed(&self.work, d).is_some() {
            return true;
        }
        (self.week >> d.weekday().num_days_from_monday()) & 1 == 1
    }

    /// The rule that makes `d` a working day or a rest day.
    pub fn rule(&self, d: NaiveDate) -> DayRule {
        use chrono::Datelike;
        if let Some(p) = listed(&self.rest, d).or_else(|| listed(&self.work, d)) {
            return DayRule::Part(p);
        }
        if (self.week >> d.weekday().num_days_from_monday()) & 1 == 1 {
            DayRule::WorkingWeekday
        } else {
            DayRule::RestWeekday
        }
    }

    /// The rule of each day from `from` to `to`, both included.
    pub fn rules_between(&self, from: NaiveDate, to: NaiveDate, f: &mut dyn FnMut(DayRule)) {
        for d in from.iter_days().take_while(|d| *d <= to) {
            f(self.rule(d));
        }
    }
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
        /// Per item: the conditions hold for each item of a list.
        each: Option<EachIr>,
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

/// `require any item in order.items as qualifying { … }`.
#[derive(Debug)]
pub struct EachIr {
    /// `true` for `any` (one item meeting every condition passes), `false`
    /// for `every`.
    pub any: bool,
    /// The depth the item is bound at.
    pub var: u32,
    /// The list of items.
    pub list: Ir,
    /// The `let` that `as NAME` declares: the items meeting every condition.
    pub keep: Option<u32>,
}

impl EachIr {
    /// A per-item rule over `list`, its item bound at depth `var`; the
    /// `let` of `as NAME`, if any, is set once declared.
    pub fn new(any: bool, var: u32, list: Ir) -> EachIr {
        EachIr {
            any,
            var,
            list,
            keep: None,
        }
    }
}

/// A condition of a `require`, resolved.
#[derive(Debug)]
pub struct ConditionIr {
    /// The condition.
    pub expr: Ir,
    /// Its reason code, by index in the decision's reasons.
    pub reason: u32,
    /// Where the reason code is written (`else amount_limit`).
    pub reason_span: Span,
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
    /// The item bound by a list function or a per-item `require`, by depth.
    Var(u32),
    /// A field of a record, by index.
    Field(Box<Ir>, u32),
    /// A function over a list's items: the item is bound to `var`.
    Each {
        /// Which list function.
        func: EachFunc,
        /// The depth the item is bound at.
        var: u32,
        /// The list.
        list: Box<Ir>,
        /// The expression per item.
        body: Box<Ir>,
    },
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

/// The functions over a list's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EachFunc {
    /// Whether any item meets the condition.
    Any,
    /// Whether every item meets the condition.
    All,
    /// How many items meet the condition.
    Count,
    /// The sum of the expression over the items.
    Sum,
    /// The items that meet the condition, as a list.
    Filter,
    /// The set of the expression's values over the items.
    Collect,
}

impl EachFunc {
    /// Every list function and its name.
    pub const ALL: [(&'static str, EachFunc); 6] = [
        ("any", EachFunc::Any),
        ("all", EachFunc::All),
        ("count", EachFunc::Count),
        ("sum", EachFunc::Sum),
        ("filter", EachFunc::Filter),
        ("collect", EachFunc::Collect),
    ];

    /// The list function called `name`.
    pub fn from_name(name: &str) -> Option<EachFunc> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// Its name in policies.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }
}

impl ArmIr {
    /// The whole rule, as written.
    pub fn span(&self) -> Span {
        match self {
            ArmIr::If { span, .. } | ArmIr::Require { span, .. } | ArmIr::Else { span, .. } => {
                *span
            }
        }
    }
}

impl DecisionIr {
    /// Its top-level expressions, in the order written: trigger, lets, the
    /// list of a per-item `require`, conditions and outcome fields.
    pub fn exprs(&self) -> Vec<&Ir> {
        let mut out: Vec<&Ir> = self.trigger.iter().collect();
        out.extend(self.lets.iter().map(|l| &l.expr));
        for arm in &self.arms {
            match arm {
                ArmIr::If { cond, outcome, .. } => {
                    out.push(cond);
                    out.extend(outcome.fields.iter().map(|(_, e)| e));
                }
                ArmIr::Require {
                    each,
                    conditions,
                    pass,
                    fail,
                    ..
                } => {
                    out.extend(each.iter().map(|e| &e.list));
                    out.extend(conditions.iter().map(|c| &c.expr));
                    for o in pass.iter().chain(std::iter::once(fail)) {
                        out.extend(o.fields.iter().map(|(_, e)| e));
                    }
                }
                ArmIr::Else { outcome, .. } => out.extend(outcome.fields.iter().map(|(_, e)| e)),
            }
        }
        out
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
            | IrKind::Var(_)
            | IrKind::Let(_)
            | IrKind::DecisionIs { .. }
            | IrKind::DecisionField { .. } => Vec::new(),
            IrKind::IsNone(a)
            | IrKind::IsEmpty(a)
            | IrKind::Not(a)
            | IrKind::Neg(a)
            | IrKind::Field(a, _) => vec![a],
            IrKind::Each { list, body, .. } => vec![list, body],
            IrKind::Binary(_, a, b) | IrKind::Index(a, b) => vec![a, b],
            IrKind::Call(_, args) | IrKind::Set(args) => args.iter().collect(),
            IrKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            IrKind::If(c, t, f) => vec![c, t, f],
        }
    }

    /// Call `f` on this expression and every expression inside it, in the
    /// order written: the one walk over resolved expressions.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Ir)) {
        f(self);
        for p in self.parts() {
            p.walk(f);
        }
    }

    /// Whether this expression or one inside it meets `pred`.
    pub fn any(&self, pred: &mut dyn FnMut(&Ir) -> bool) -> bool {
        pred(self) || self.parts().into_iter().any(|p| p.any(pred))
    }
}
