//! The spanned syntax tree of a policy file, as written.

use crate::source::{Name, Span, Spanned};

/// A parsed policy file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub header: Option<Header>,
    pub enums: Vec<EnumDecl>,
    pub facts: Vec<FactDecl>,
    pub services: Option<ServicesBlock>,
    pub params: Vec<ParamDecl>,
    pub calendars: Vec<CalendarDecl>,
    pub decisions: Vec<Decision>,
}

impl Policy {
    /// Every `cite` of the policy, in the order written.
    pub fn cites(&self) -> Vec<&Cite> {
        let mut out: Vec<&Cite> = self.params.iter().filter_map(|p| p.cite.as_ref()).collect();
        if let Some(block) = &self.services {
            out.extend(block.services.iter().filter_map(|s| s.cite.as_ref()));
        }
        for d in &self.decisions {
            out.extend(d.cite.as_ref());
            for stmt in &d.body {
                match stmt {
                    Stmt::Arm(Arm::If { cite, .. } | Arm::Else { cite, .. }) => {
                        out.extend(cite.as_ref())
                    }
                    Stmt::Arm(Arm::Require {
                        conditions, cite, ..
                    }) => {
                        out.extend(conditions.iter().filter_map(|c| c.cite.as_ref()));
                        out.extend(cite.as_ref());
                    }
                    Stmt::Let(..) => {}
                }
            }
        }
        out.sort_by_key(|c| c.quote.span.start);
        out
    }
}

#[derive(Clone, Debug)]
pub struct Header {
    pub id: Name,
    pub name: Option<Spanned<String>>,
    pub platform: Option<Spanned<String>>,
    pub zone: Option<Spanned<String>>,
    pub sources: Vec<Source>,
    /// `as_of order.placed_at`: the fact whose date picks the value of every
    /// dated parameter that names none of its own.
    pub as_of: Option<Name>,
    pub span: Span,
}

/// `source s001 "title" file "001_….txt"`: a text that rules cite, and the
/// file that holds it (`vouch check --sources DIR` reads it from `DIR`).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: Name,
    pub title: Spanned<String>,
    pub file: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct EnumDecl {
    pub name: Name,
    pub open: bool,
    pub variants: Vec<Variant>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: Name,
    pub label: Option<Spanned<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FactDecl {
    pub path: Name,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Named(Name),
    Set(Box<TypeExpr>),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `{sku: text, unit_price: money}`: a record's fields, in order.
    Record(Vec<(Name, TypeExpr)>),
}

#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub optional: bool,
    pub span: Span,
}

/// The services block: which fact lists the offered services, which fact
/// gives the category, and each service with its requirement.
#[derive(Clone, Debug)]
pub struct ServicesBlock {
    pub offered: Name,
    pub category: Option<Name>,
    pub services: Vec<ServiceDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDecl {
    pub name: Name,
    pub label: Option<Spanned<String>>,
    pub requirement: Requirement,
    pub cite: Option<Cite>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Requirement {
    Required,
    /// Required for products whose category is in the set.
    RequiredFor(Expr),
    Optional,
}

#[derive(Clone, Debug)]
pub struct ParamDecl {
    pub name: Name,
    pub ty: Option<TypeExpr>,
    pub value: Expr,
    /// `; 10d from 2026-07-01`: later values and the dates they take effect.
    pub dated: Vec<DatedValue>,
    /// `as_of order.placed_at`: the fact whose date picks the value.
    pub as_of: Option<Name>,
    pub cite: Option<Cite>,
    pub span: Span,
}

/// `10d from 2026-07-01`: a parameter's value from a date on.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedValue {
    pub value: Expr,
    /// The date, as written (`YYYY-MM-DD`).
    pub from: Spanned<String>,
}

/// `calendar NAME { week …  rest …  work … }`: which days are working days.
#[derive(Clone, Debug)]
pub struct CalendarDecl {
    pub name: Name,
    pub entries: Vec<CalendarEntry>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CalendarEntry {
    pub kind: CalendarEntryKind,
    pub cite: Option<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CalendarEntryKind {
    /// The weekdays that are working days (`mon` … `sun`).
    Week(Vec<Name>),
    /// Extra rest days.
    Rest(Vec<DateRange>),
    /// Extra working days.
    Work(Vec<DateRange>),
}

/// `2026-10-01` or `2026-10-01..2026-10-07` (both ends included).
#[derive(Clone, Debug)]
pub struct DateRange {
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub span: Span,
}

/// `cite s001 "300元以内的商品"`: the clause of a source a rule encodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    pub source: Name,
    pub quote: Spanned<String>,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub name: Name,
    pub doc: Option<Spanned<String>>,
    pub trigger: Option<Expr>,
    pub cite: Option<Cite>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Let(Name, Expr),
    Arm(Arm),
}

#[derive(Clone, Debug)]
pub enum Arm {
    /// `if COND => OUTCOME`
    If {
        cond: Expr,
        outcome: Outcome,
        cite: Option<Cite>,
        span: Span,
    },
    /// `require { COND else REASON … } [=> PASS] else FAIL`; without a
    /// pass outcome, the rules after it decide when every condition holds.
    Require {
        /// `any ITEM in LIST` / `every ITEM in LIST`: the conditions hold per item.
        each: Option<Box<Each>>,
        conditions: Vec<Condition>,
        pass: Option<Outcome>,
        fail: Outcome,
        /// The clause the pass outcome encodes.
        cite: Option<Cite>,
        span: Span,
    },
    /// `else => OUTCOME`
    Else {
        outcome: Outcome,
        cite: Option<Cite>,
        span: Span,
    },
}

/// `any item in order.items as qualifying`.
#[derive(Clone, Debug, PartialEq)]
pub struct Each {
    pub quantifier: Quantifier,
    pub var: Name,
    pub list: Expr,
    /// A name for the items that meet every condition.
    pub keep: Option<Name>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// Passes when at least one item meets every condition.
    Any,
    /// Passes when every item meets every condition.
    Every,
}

#[derive(Clone, Debug)]
pub struct Condition {
    pub expr: Expr,
    pub reason: Name,
    pub cite: Option<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: Name,
    pub fields: Vec<(Name, Expr)>,
    pub span: Span,
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Lit(Literal),
    /// A dotted name: a fact path, parameter, let, decision, decision field or variant.
    Path(String),
    Exists(Name),
    Set(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    Call(Name, Vec<Expr>),
    /// `sum(item in order.items, item.unit_price)`: a function over a
    /// list's items, with a name for the item.
    Each {
        func: Name,
        var: Name,
        list: Box<Expr>,
        body: Box<Expr>,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `x is [not] name`; name is `none`, an outcome or `empty`.
    Is {
        subject: Box<Expr>,
        negated: bool,
        what: Name,
    },
    Index(Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    /// Exact decimal text, validated by the checker.
    Money(String),
    /// Percent text without the `%`.
    Percent(String),
    /// Seconds.
    Duration(i64),
    /// Calendar months.
    Months(i64),
    /// Seconds since midnight; `None` when out of range (a lint reports it).
    Time(u32, u32, u32),
    Date(String),
    Instant(String),
    Text(String),
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Coalesce,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Coalesce => "??",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// `PartialEq` for nodes that carry a span: every field but the span.
macro_rules! eq_without_span {
    ($($node:ident { $($field:ident),* })*) => {$(
        impl PartialEq for $node {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)*
            }
        }
    )*};
}

eq_without_span! {
    Header { id, name, platform, zone, sources, as_of }
    EnumDecl { name, open, variants }
    TypeExpr { kind, optional }
    ServicesBlock { offered, category, services }
    ParamDecl { name, ty, value, dated, as_of, cite }
    CalendarDecl { name, entries }
    CalendarEntry { kind, cite }
    DateRange { from, to }
    Decision { name, doc, trigger, cite, body }
    Condition { expr, reason, cite }
    Outcome { name, fields }
}

impl PartialEq for Arm {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Arm::If {
                    cond: a,
                    outcome: b,
                    cite: c,
                    ..
                },
                Arm::If {
                    cond: x,
                    outcome: y,
                    cite: z,
                    ..
                },
            ) => a == x && b == y && c == z,
            (
                Arm::Require {
                    each: e,
                    conditions: a,
                    pass: b,
                    fail: c,
                    cite: d,
                    ..
                },
                Arm::Require {
                    each: v,
                    conditions: x,
                    pass: y,
                    fail: z,
                    cite: w,
                    ..
                },
            ) => e == v && a == x && b == y && c == z && d == w,
            (
                Arm::Else {
                    outcome: a,
                    cite: b,
                    ..
                },
                Arm::Else {
                    outcome: x,
                    cite: y,
                    ..
                },
            ) => a == x && b == y,
            _ => false,
        }
    }
}
