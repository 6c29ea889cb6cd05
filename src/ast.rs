//! The spanned syntax tree of a policy file, as written.

use crate::source::{Name, Span, Spanned};

/// A parsed policy file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// The `policy` header: id, name, platform, zone, sources.
    pub header: Option<Header>,
    /// The `enum` declarations, in the order written.
    pub enums: Vec<EnumDecl>,
    /// The fact paths of the `facts` block, with their types.
    pub facts: Vec<FactDecl>,
    /// The `services` block, if any.
    pub services: Option<ServicesBlock>,
    /// The `param` declarations.
    pub params: Vec<ParamDecl>,
    /// The `calendar` items: working weeks and their exceptions.
    pub calendars: Vec<CalendarDecl>,
    /// The decisions, in the order written.
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

/// `policy ID { name … platform … zone … source … }`: who the policy is.
#[derive(Clone, Debug)]
pub struct Header {
    /// The program id, as decisions are reported under (`price_guard`).
    pub id: Name,
    /// A name for people.
    pub name: Option<Spanned<String>>,
    /// The platform that publishes the program.
    pub platform: Option<Spanned<String>>,
    /// The fixed offset every calendar rule uses (`"+08:00"`).
    pub zone: Option<Spanned<String>>,
    /// The texts that rules cite.
    pub sources: Vec<Source>,
    /// `as_of order.placed_at`: the fact whose date picks the value of every
    /// dated parameter that names none of its own.
    pub as_of: Option<Name>,
    /// The whole header.
    pub span: Span,
}

/// `source s001 "title" file "001_….txt"`: a text that rules cite, and the
/// file that holds it (`vouch check --sources DIR` reads it from `DIR`).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The name cites use (`s001`).
    pub id: Name,
    /// The title of the text, for people.
    pub title: Spanned<String>,
    /// The file that holds the text, if named.
    pub file: Option<Spanned<String>>,
}

/// `enum NAME [open] { variant "label", … }`.
#[derive(Clone, Debug)]
pub struct EnumDecl {
    /// The enum's name, usable as a type.
    pub name: Name,
    /// Whether facts may carry values the enum does not declare.
    pub open: bool,
    /// The declared values.
    pub variants: Vec<Variant>,
    /// The whole declaration.
    pub span: Span,
}

/// One value of an enum, with an optional label for people.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The value as facts and policies write it.
    pub name: Name,
    /// A label for people (`"跨境"`).
    pub label: Option<Spanned<String>>,
}

/// `order.amount: money` in the `facts` block.
#[derive(Clone, Debug, PartialEq)]
pub struct FactDecl {
    /// The dotted JSON path of the fact.
    pub path: Name,
    /// Its declared type.
    pub ty: TypeExpr,
}

/// The shape of a written type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A built-in type or a declared enum, by name.
    Named(Name),
    /// `set<T>`.
    Set(Box<TypeExpr>),
    /// `list<T>`, usually of records.
    List(Box<TypeExpr>),
    /// `map<K, V>`.
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `{sku: text, unit_price: money}`: a record's fields, in order.
    Record(Vec<(Name, TypeExpr)>),
}

/// A type as written: `money`, `instant?`, `set<service>`.
#[derive(Clone, Debug)]
pub struct TypeExpr {
    /// The type without the `?`.
    pub kind: TypeKind,
    /// Whether it ends in `?` (may be none).
    pub optional: bool,
    /// Where it is written.
    pub span: Span,
}

/// The services block: which fact lists the offered services, which fact
/// gives the category, and each service with its requirement.
#[derive(Clone, Debug)]
pub struct ServicesBlock {
    /// The fact that lists the services a merchant offers.
    pub offered: Name,
    /// The fact that gives the product's category, for add-ons.
    pub category: Option<Name>,
    /// Each service with its requirement.
    pub services: Vec<ServiceDecl>,
    /// The whole block.
    pub span: Span,
}

/// One service of the `services` block.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDecl {
    /// The service id.
    pub name: Name,
    /// A label for people.
    pub label: Option<Spanned<String>>,
    /// Whether it is required, required for some categories, or optional.
    pub requirement: Requirement,
    /// The clause that requires it.
    pub cite: Option<Cite>,
}

/// How a service is required.
#[derive(Clone, Debug, PartialEq)]
pub enum Requirement {
    /// Required of every product.
    Required,
    /// Required for products whose category is in the set.
    RequiredFor(Expr),
    /// Offered at the merchant's choice.
    Optional,
}

/// `param NAME[: TYPE] = VALUE [cite …]`: a named constant.
#[derive(Clone, Debug)]
pub struct ParamDecl {
    /// The parameter's name.
    pub name: Name,
    /// Its declared type, if written.
    pub ty: Option<TypeExpr>,
    /// Its value (the first, if dated), computed when the policy is checked.
    pub value: Expr,
    /// `; 10d from 2026-07-01`: later values and the dates they take effect.
    pub dated: Vec<DatedValue>,
    /// `as_of order.placed_at`: the fact whose date picks the value.
    pub as_of: Option<Name>,
    /// The clause that sets it.
    pub cite: Option<Cite>,
    /// The whole declaration.
    pub span: Span,
}

/// `10d from 2026-07-01`: a parameter's value from a date on.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedValue {
    /// The value in force from that date.
    pub value: Expr,
    /// The date, as written (`YYYY-MM-DD`).
    pub from: Spanned<String>,
}

/// `calendar NAME { week …  rest …  work … }`: which days are working days.
#[derive(Clone, Debug)]
pub struct CalendarDecl {
    /// The calendar's name, as functions take it.
    pub name: Name,
    /// Its week and exceptions, in the order written.
    pub entries: Vec<CalendarEntry>,
    /// The whole item.
    pub span: Span,
}

#[derive(Clone, Debug)]
/// One line of a calendar.
pub struct CalendarEntry {
    /// What the line says.
    pub kind: CalendarEntryKind,
    /// The clause it encodes.
    pub cite: Option<Cite>,
    /// The whole line.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
/// What a calendar line says.
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
    /// The first day, as written.
    pub from: Spanned<String>,
    /// The last day, if a range.
    pub to: Option<Spanned<String>>,
    /// Where it is written.
    pub span: Span,
}

/// `cite s001 "300元以内的商品"`: the clause of a source a rule encodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    /// The source's id.
    pub source: Name,
    /// The quoted clause, verbatim.
    pub quote: Spanned<String>,
}

/// `decision NAME ["doc"] [when TRIGGER] { … }`.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The decision's name in the output.
    pub name: Name,
    /// A title for people.
    pub doc: Option<Spanned<String>>,
    /// When the decision applies; without one, always.
    pub trigger: Option<Expr>,
    /// The clause the whole decision encodes.
    pub cite: Option<Cite>,
    /// `let`s and rules, in order.
    pub body: Vec<Stmt>,
    /// The whole decision.
    pub span: Span,
}

/// One statement of a decision's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `let NAME = EXPR`.
    Let(Name, Expr),
    /// A rule.
    Arm(Arm),
}

/// A rule of a decision; the first that decides gives the outcome.
#[derive(Clone, Debug)]
pub enum Arm {
    /// `if COND => OUTCOME`
    If {
        /// The condition.
        cond: Expr,
        /// The outcome when it holds.
        outcome: Outcome,
        /// The clause the rule encodes.
        cite: Option<Cite>,
        /// The whole rule.
        span: Span,
    },
    /// `require { COND else REASON … } [=> PASS] else FAIL`; without a
    /// pass outcome, the rules after it decide when every condition holds.
    Require {
        /// `any ITEM in LIST` / `every ITEM in LIST`: the conditions hold per item.
        each: Option<Box<Each>>,
        /// Every condition, each with its reason.
        conditions: Vec<Condition>,
        /// The outcome when all hold.
        pass: Option<Outcome>,
        /// The outcome when any fails, with every failing reason.
        fail: Outcome,
        /// The clause the pass outcome encodes.
        cite: Option<Cite>,
        /// The whole rule.
        span: Span,
    },
    /// `else => OUTCOME`
    Else {
        /// The outcome.
        outcome: Outcome,
        /// The clause the rule encodes.
        cite: Option<Cite>,
        /// The whole rule.
        span: Span,
    },
}

/// `any item in order.items as qualifying`.
#[derive(Clone, Debug, PartialEq)]
pub struct Each {
    /// `any` or `every`.
    pub quantifier: Quantifier,
    /// The name of the item in the conditions.
    pub var: Name,
    /// The list of items.
    pub list: Expr,
    /// A name for the items that meet every condition.
    pub keep: Option<Name>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// Whether one item or every item must meet the conditions.
pub enum Quantifier {
    /// Passes when at least one item meets every condition.
    Any,
    /// Passes when every item meets every condition.
    Every,
}

/// `COND else REASON [cite …]` in a `require`.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The condition.
    pub expr: Expr,
    /// The reason code reported when it fails.
    pub reason: Name,
    /// The clause it encodes.
    pub cite: Option<Cite>,
    /// The whole condition.
    pub span: Span,
}

/// `NAME { field: EXPR, … }`: an outcome and its fields.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The outcome word.
    pub name: Name,
    /// Its fields, in order.
    pub fields: Vec<(Name, Expr)>,
    /// Where it is written.
    pub span: Span,
}

/// An expression with its span.
pub type Expr = Spanned<ExprKind>;

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Lit(Literal),
    /// A dotted name: a fact path, parameter, let, decision, decision field or variant.
    Path(String),
    /// `exists PATH`: the fact or section is present.
    Exists(Name),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{k: v, …}`.
    Map(Vec<(Expr, Expr)>),
    /// A built-in function call.
    Call(Name, Vec<Expr>),
    /// `sum(item in order.items, item.unit_price)`: a function over a
    /// list's items, with a name for the item.
    Each {
        /// `sum`, `count`, `any`, `all`, `filter` or `collect`.
        func: Name,
        /// The name of the item in the body.
        var: Name,
        /// The list.
        list: Box<Expr>,
        /// The expression per item.
        body: Box<Expr>,
    },
    /// `not x`, `-x`.
    Unary(UnOp, Box<Expr>),
    /// `a OP b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `x is [not] name`; name is `none`, an outcome or `empty`.
    Is {
        /// What is tested.
        subject: Box<Expr>,
        /// `is not`.
        negated: bool,
        /// `none`, `empty` or an outcome.
        what: Name,
    },
    /// `map[key]`.
    Index(Box<Expr>, Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// A literal as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `true`, `false`.
    Bool(bool),
    /// A whole number.
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
    /// `16:00`: hours, minutes, seconds.
    Time(u32, u32, u32),
    /// `2026-07-01`, as written.
    Date(String),
    /// An RFC 3339 instant, as written.
    Instant(String),
    /// A quoted string.
    Text(String),
    /// `none`.
    None,
}

/// A prefix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// An infix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `??`: the left value, or the right when it is none
    Coalesce,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=` (also `≤`)
    Le,
    /// `>`
    Gt,
    /// `>=` (also `≥`)
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*` (also `×`)
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The operator as policies write it.
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

impl Spanned<ExprKind> {
    /// The expressions directly inside this one, in the order written.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.node {
            ExprKind::Lit(_) | ExprKind::Path(_) | ExprKind::Exists(_) => Vec::new(),
            ExprKind::Set(items) | ExprKind::Call(_, items) => items.iter().collect(),
            ExprKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            ExprKind::Unary(_, a) | ExprKind::Is { subject: a, .. } => vec![a],
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => vec![a, b],
            ExprKind::Each { list, body, .. } => vec![list, body],
            ExprKind::If(c, t, e) => vec![c, t, e],
        }
    }

    /// Call `f` on this expression and every expression inside it, in the
    /// order written: the one walk over written expressions.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        for c in self.children() {
            c.walk(f);
        }
    }
}

impl Arm {
    /// The outcomes the rule can give: one, or a `require`'s pass and fail.
    pub fn outcomes(&self) -> Vec<&Outcome> {
        match self {
            Arm::If { outcome, .. } | Arm::Else { outcome, .. } => vec![outcome],
            Arm::Require { pass, fail, .. } => pass.iter().chain(std::iter::once(fail)).collect(),
        }
    }

    /// The whole rule, as written.
    pub fn span(&self) -> Span {
        match self {
            Arm::If { span, .. } | Arm::Else { span, .. } | Arm::Require { span, .. } => *span,
        }
    }
}

impl Decision {
    /// Call `f` on every expression of the decision, nested ones included:
    /// trigger, lets, conditions (and a per-item list), outcome fields.
    pub fn walk_exprs<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        if let Some(t) = &self.trigger {
            t.walk(f);
        }
        for stmt in &self.body {
            match stmt {
                Stmt::Let(_, e) => e.walk(f),
                Stmt::Arm(arm) => {
                    if let Arm::If { cond, .. } = arm {
                        cond.walk(f);
                    }
                    if let Arm::Require {
                        each, conditions, ..
                    } = arm
                    {
                        if let Some(each) = each {
                            each.list.walk(f);
                        }
                        for c in conditions {
                            c.expr.walk(f);
                        }
                    }
                    for o in arm.outcomes() {
                        for (_, e) in &o.fields {
                            e.walk(f);
                        }
                    }
                }
            }
        }
    }
}
