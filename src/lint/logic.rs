//! Conditions as formulas over comparisons, and a small decision procedure:
//! is a conjunction of comparisons satisfiable by some input?
//!
//! The procedure is conservative: it answers "unsatisfiable" only when it can
//! prove it, so a lint built on it never reports a condition that some input
//! could make true.

use std::collections::HashMap;

use super::solve::{dnf, subject_sat};
use crate::ast::BinOp;
use crate::program::{Builtin, ConditionIr, EachIr, Ir, IrKind, Program};
use crate::source::Span;
use crate::types::{Type, Value};

/// The comparisons the procedure understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The test that holds exactly when this one fails.
    pub fn negate(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::Lt => Cmp::Ge,
            Cmp::Le => Cmp::Gt,
            Cmp::Gt => Cmp::Le,
            Cmp::Ge => Cmp::Lt,
        }
    }

    /// The same test with its operands swapped.
    pub fn flip(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            other => other,
        }
    }

    pub fn from_op(op: BinOp) -> Option<Cmp> {
        Some(match op {
            BinOp::Eq => Cmp::Eq,
            BinOp::Ne => Cmp::Ne,
            BinOp::Lt => Cmp::Lt,
            BinOp::Le => Cmp::Le,
            BinOp::Gt => Cmp::Gt,
            BinOp::Ge => Cmp::Ge,
            _ => return None,
        })
    }
}

/// The values a subject may take.
#[derive(Clone, Debug)]
pub(super) enum Domain {
    /// Exactly these (a closed enum, a bool, a decision's outcomes).
    Finite(Vec<Value>),
    /// Ordered, with no value between two consecutive ones (whole numbers).
    Discrete,
    /// Ordered, dense enough that any open interval holds a value.
    Dense,
    /// Unordered and infinite (text, open enums, sets).
    Open,
    /// Amounts of money as facts give them: whole fen, and never below ¥0
    /// when `nonnegative`.
    Fen { nonnegative: bool },
}

/// What the procedure may assume beyond the conditions themselves. Each
/// piece can be turned off, to tell which one made a condition constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Knowledge {
    /// `DECISION is OUTCOME` implies the conditions that lead to it.
    pub outcomes: bool,
    /// An amount of money in the facts is at least ¥0 (it is always
    /// counted in whole fen).
    pub money: bool,
    /// A value equals itself: `x < x` never holds, `t <= t + 6h` always.
    pub itself: bool,
}

impl Knowledge {
    pub const ALL: Knowledge = Knowledge {
        outcomes: true,
        money: true,
        itself: true,
    };
    pub const NONE: Knowledge = Knowledge {
        outcomes: false,
        money: false,
        itself: false,
    };
}

/// Something a condition tests: a fact, an expression over facts, a pair of
/// them compared with each other, or an opaque boolean. Subjects are told
/// apart by a structural key of their expression.
#[derive(Debug)]
pub(super) struct Subject {
    pub domain: Domain,
}

#[derive(Clone, Debug)]
pub(super) enum Test {
    Cmp(Cmp, Value),
    In(Vec<Value>),
    NotIn(Vec<Value>),
}

#[derive(Clone, Debug)]
pub(super) struct Lit {
    pub subject: usize,
    pub test: Test,
}

impl Lit {
    fn negate(&self) -> Lit {
        let test = match &self.test {
            Test::Cmp(c, v) => Test::Cmp(c.negate(), v.clone()),
            Test::In(s) => Test::NotIn(s.clone()),
            Test::NotIn(s) => Test::In(s.clone()),
        };
        Lit {
            subject: self.subject,
            test,
        }
    }
}

/// A condition in negation normal form.
#[derive(Clone, Debug)]
pub(super) enum Formula {
    Const(bool),
    Lit(Lit),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

impl Formula {
    pub fn and(parts: Vec<Formula>) -> Formula {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Formula::Const(true) => {}
                Formula::Const(false) => return Formula::Const(false),
                // The first part's own list is taken, not copied: a
                // chain of `and` built from the left stays linear.
                Formula::And(inner) if out.is_empty() => out = inner,
                Formula::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Formula::Const(true),
            1 => out.pop().expect("one part"),
            _ => Formula::And(out),
        }
    }

    pub fn or(parts: Vec<Formula>) -> Formula {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Formula::Const(false) => {}
                Formula::Const(true) => return Formula::Const(true),
                // The first part's own list is taken, not copied: a
                // chain of `or` built from the left stays linear.
                Formula::Or(inner) if out.is_empty() => out = inner,
                Formula::Or(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Formula::Const(false),
            1 => out.pop().expect("one part"),
            _ => Formula::Or(out),
        }
    }

    pub fn not(&self) -> Formula {
        match self {
            Formula::Const(b) => Formula::Const(!b),
            Formula::Lit(l) => Formula::Lit(l.negate()),
            Formula::And(ps) => Formula::or(ps.iter().map(Formula::not).collect()),
            Formula::Or(ps) => Formula::and(ps.iter().map(Formula::not).collect()),
        }
    }

    /// Subjects the formula tests, each once.
    pub fn subjects(&self, out: &mut Vec<usize>) {
        match self {
            Formula::Const(_) => {}
            Formula::Lit(l) => {
                if !out.contains(&l.subject) {
                    out.push(l.subject);
                }
            }
            Formula::And(ps) | Formula::Or(ps) => ps.iter().for_each(|p| p.subjects(out)),
        }
    }
}

/// Builds formulas from checked expressions of one program, sharing subjects.
pub(super) struct Logic<'p> {
    pub program: &'p Program,
    pub knowledge: Knowledge,
    pub subjects: Vec<Subject>,
    by_key: HashMap<String, usize>,
    /// What each decision's outcome implies, once worked out; `None` while
    /// being worked out.
    pub(super) implied: HashMap<(usize, Option<u32>), Option<Formula>>,
    /// How many outcomes deep `implied` is working, bounded.
    pub(super) depth: usize,
    /// Per decision: its outcomes' indices, with -1 for `not_applicable`
    /// when the decision has a trigger.
    decision_domains: Vec<Vec<Value>>,
}

impl<'p> Logic<'p> {
    pub fn new(program: &'p Program) -> Logic<'p> {
        Logic::knowing(program, Knowledge::ALL)
    }

    pub fn knowing(program: &'p Program, knowledge: Knowledge) -> Logic<'p> {
        let decision_domains = program
            .decisions
            .iter()
            .map(|d| {
                let mut values: Vec<Value> = (0..d.outcomes.len() as i64).map(Value::Int).collect();
                if d.trigger.is_some() {
                    values.push(Value::Int(-1));
                }
                values
            })
            .collect();
        Logic {
            program,
            knowledge,
            subjects: Vec::new(),
            by_key: HashMap::new(),
            implied: HashMap::new(),
            depth: 0,
            decision_domains,
        }
    }

    pub(super) fn subject(&mut self, key: String, domain: Domain) -> usize {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let i = self.subjects.len();
        self.by_key.insert(key, i);
        self.subjects.push(Subject { domain });
        i
    }

    fn domain(&self, ty: &Type) -> Domain {
        match ty {
            Type::Bool => Domain::Finite(vec![Value::Bool(true), Value::Bool(false)]),
            Type::Int => Domain::Discrete,
            Type::Money
            | Type::Ratio
            | Type::Instant
            | Type::Duration
            | Type::Time
            | Type::Date => Domain::Dense,
            Type::Enum(i) => {
                let e = &self.program.enums[*i as usize];
                if e.open {
                    Domain::Open
                } else {
                    Domain::Finite(e.variants.iter().map(|v| Value::Variant(*v)).collect())
                }
            }
            Type::Optional(inner) => match self.domain(inner) {
                Domain::Finite(mut vs) => {
                    vs.push(Value::None);
                    Domain::Finite(vs)
                }
                other => other,
            },
            Type::Set(_)
            | Type::List(_)
            | Type::Record(_)
            | Type::Months
            | Type::Calendar
            | Type::Map(_, _)
            | Type::Text
            | Type::Unknown => Domain::Open,
        }
    }

    /// The value of an expression that reads no facts, lets or decisions.
    pub fn constant(&self, ir: &Ir) -> Option<Value> {
        if !is_constant(ir) || reads_dated_param(self.program, ir) {
            return None;
        }
        if let IrKind::Const(v) = &ir.kind {
            return Some(v.clone());
        }
        if let IrKind::Param(i) = &ir.kind {
            return Some(self.program.params[*i as usize].value.clone());
        }
        crate::eval::eval_const(ir, &self.program.params, None, self.program.zone).ok()
    }

    /// A condition as a formula. `ir` must have its lets inlined.
    pub fn formula(&mut self, ir: &Ir) -> Formula {
        match &ir.kind {
            IrKind::Not(a) => self.formula(a).not(),
            IrKind::Binary(BinOp::And, a, b) => {
                Formula::and(vec![self.formula(a), self.formula(b)])
            }
            IrKind::Binary(BinOp::Or, a, b) => Formula::or(vec![self.formula(a), self.formula(b)]),
            IrKind::If(c, t, e) if ir.ty == Type::Bool => {
                let c = self.formula(c);
                let not_c = c.not();
                Formula::or(vec![
                    Formula::and(vec![c, self.formula(t)]),
                    Formula::and(vec![not_c, self.formula(e)]),
                ])
            }
            _ => {
                if let Some(Value::Bool(b)) = self.constant(ir) {
                    return Formula::Const(b);
                }
                self.atom(ir)
            }
        }
    }

    fn atom(&mut self, ir: &Ir) -> Formula {
        match &ir.kind {
            IrKind::Binary(op, a, b) => {
                if let Some(cmp) = Cmp::from_op(*op) {
                    return self.comparison(cmp, a, b);
                }
                if matches!(op, BinOp::In | BinOp::NotIn) {
                    if let Some(set) = self.constant(b) {
                        let items = match set {
                            Value::Set(items) => items.to_vec(),
                            Value::Map(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
                            _ => return self.opaque(ir),
                        };
                        let s = self.subject_of(a);
                        let test = if *op == BinOp::In {
                            Test::In(items)
                        } else {
                            Test::NotIn(items)
                        };
                        return Formula::Lit(Lit { subject: s, test });
                    }
                    if *op == BinOp::NotIn {
                        let key = format!("in({},{})", key(a), key(b));
                        return self.opaque_key(key).not();
                    }
                }
                self.opaque(ir)
            }
            IrKind::IsNone(a) => {
                let s = self.subject_of(a);
                Formula::Lit(Lit {
                    subject: s,
                    test: Test::Cmp(Cmp::Eq, Value::None),
                })
            }
            IrKind::DecisionIs { decision, outcome } => {
                let domain = Domain::Finite(self.decision_domains[*decision].clone());
                let s = self.subject(format!("decision#{decision}"), domain);
                let v = Value::Int(outcome.map_or(-1, i64::from));
                let is = Formula::Lit(Lit {
                    subject: s,
                    test: Test::Cmp(Cmp::Eq, v),
                });
                if !self.knowledge.outcomes {
                    return is;
                }
                let implied = self.implied_by(*decision, *outcome);
                Formula::and(vec![is, implied])
            }
            _ => self.opaque(ir),
        }
    }

    fn comparison(&mut self, cmp: Cmp, a: &Ir, b: &Ir) -> Formula {
        match (self.constant(a), self.constant(b)) {
            (_, Some(v)) => {
                let s = self.subject_of(a);
                Formula::Lit(Lit {
                    subject: s,
                    test: Test::Cmp(cmp, v),
                })
            }
            (Some(v), None) => {
                let s = self.subject_of(b);
                Formula::Lit(Lit {
                    subject: s,
                    test: Test::Cmp(cmp.flip(), v),
                })
            }
            (None, None) => self.difference(cmp, a, b),
        }
    }

    /// Two values compared with each other, `x + c CMP y + d` with `c` and
    /// `d` constants: a test of the difference `x - y` against `d - c`.
    /// The same `x` on both sides makes the test constant.
    fn difference(&mut self, cmp: Cmp, a: &Ir, b: &Ir) -> Formula {
        let (base_a, off_a) = self.offset(a);
        let (base_b, off_b) = self.offset(b);
        let gap = match (&off_a, &off_b) {
            (None, None) => zero_like(&base_a.ty),
            (a_off, b_off) => sub_values(b_off.as_ref(), a_off.as_ref()),
        };
        let (ka, kb) = (key(base_a), key(base_b));
        if let (Some(gap), true) = (&gap, ka == kb) {
            if self.knowledge.itself {
                let zero = zero_like(&base_a.ty);
                if let Some(o) = zero.as_ref().and_then(|z| z.compare(gap)) {
                    return Formula::Const(holds(cmp, o));
                }
            }
        }
        // Without a constant gap, compare the whole expressions.
        let (ka, kb, gap) = match gap {
            Some(g) if ka != kb => (ka, kb, g),
            _ => (key(a), key(b), Value::Int(0)),
        };
        let (pair, cmp, gap) = if ka <= kb {
            (format!("pair({ka},{kb})"), cmp, gap)
        } else {
            (
                format!("pair({kb},{ka})"),
                cmp.flip(),
                negate_value(&gap).unwrap_or(Value::Int(0)),
            )
        };
        let s = self.subject(pair, Domain::Dense);
        Formula::Lit(Lit {
            subject: s,
            test: Test::Cmp(cmp, gap),
        })
    }

    /// An expression as a base plus a constant offset, when it is one.
    fn offset<'i>(&self, ir: &'i Ir) -> (&'i Ir, Option<Value>) {
        if let IrKind::Binary(op @ (BinOp::Add | BinOp::Sub), x, y) = &ir.kind {
            if let Some(c) = self.constant(y) {
                let c = if *op == BinOp::Sub {
                    negate_value(&c)
                } else {
                    Some(c)
                };
                if let Some(c) = c {
                    return (x, Some(c));
                }
            }
            if *op == BinOp::Add {
                if let Some(c) = self.constant(x) {
                    return (y, Some(c));
                }
            }
        }
        (ir, None)
    }

    /// The subject for a value that a condition compares.
    pub fn subject_of(&mut self, ir: &Ir) -> usize {
        // Facts give amounts in whole fen, never below ¥0.
        let domain = match (&ir.kind, &ir.ty) {
            (IrKind::Fact(_), Type::Money) => Domain::Fen {
                nonnegative: self.knowledge.money,
            },
            _ => self.domain(&ir.ty),
        };
        self.subject(key(ir), domain)
    }

    fn opaque(&mut self, ir: &Ir) -> Formula {
        self.opaque_key(key(ir))
    }

    /// What a per-item `require` (the rule at `span`) says of every item,
    /// or of some: a proposition of its own. Its conditions speak of one
    /// item at a time, and a formula over one item cannot say "all the
    /// items" or "some item" (an empty list passes `every` and fails `any`).
    pub(super) fn per_item(&mut self, span: Span) -> Formula {
        self.opaque_key(format!("each@{}..{}", span.start, span.end))
    }

    /// What a `require` (the rule at `span`) demands to pass: all its
    /// conditions (the decision's `lets` inlined), or for a per-item rule
    /// the proposition `per_item` stands for.
    pub(super) fn require(
        &mut self,
        each: Option<&EachIr>,
        conditions: &[ConditionIr],
        span: Span,
        lets: &[Ir],
    ) -> Formula {
        match each {
            Some(_) => self.per_item(span),
            None => Formula::and(
                conditions
                    .iter()
                    .map(|c| self.formula(&inline_lets(&c.expr, lets)))
                    .collect(),
            ),
        }
    }

    fn opaque_key(&mut self, key: String) -> Formula {
        let s = self.subject(
            key,
            Domain::Finite(vec![Value::Bool(true), Value::Bool(false)]),
        );
        Formula::Lit(Lit {
            subject: s,
            test: Test::Cmp(Cmp::Eq, Value::Bool(true)),
        })
    }

    /// Whether no input satisfies the formula; `false` when unsure.
    pub fn unsat(&self, f: &Formula) -> bool {
        match dnf(f) {
            Some(terms) => terms.iter().all(|t| !self.term_sat(t)),
            None => false,
        }
    }

    /// Whether some input meets every test of a conjunction: each subject
    /// on its own (sorted by subject, so that a term of many subjects
    /// costs no more than sorting it).
    pub(super) fn term_sat(&self, term: &[Lit]) -> bool {
        let mut lits: Vec<&Lit> = term.iter().collect();
        lits.sort_by_key(|l| l.subject);
        lits.chunk_by(|a, b| a.subject == b.subject).all(|same| {
            let tests: Vec<&Test> = same.iter().map(|l| &l.test).collect();
            subject_sat(&self.subjects[same[0].subject].domain, &tests)
        })
    }
}

/// Whether an expression reads a parameter whose value changes on a date
/// (and so varies between cases).
pub(super) fn reads_dated_param(program: &crate::program::Program, ir: &Ir) -> bool {
    ir.any(
        &mut |e| matches!(e.kind, IrKind::Param(i) if !program.params[i as usize].dated.is_empty()),
    )
}

/// The zero of the difference of two values of a type.
fn zero_like(ty: &Type) -> Option<Value> {
    Some(match ty.unwrap_optional() {
        Type::Instant | Type::Date | Type::Duration | Type::Time => Value::Duration(0),
        Type::Money => Value::Money(rust_decimal::Decimal::ZERO),
        Type::Int => Value::Int(0),
        Type::Ratio => Value::Ratio(crate::types::Rational::new(0, 1)?),
        _ => return None,
    })
}

/// `b - a` for two constant offsets of one kind, a missing one being zero.
fn sub_values(b: Option<&Value>, a: Option<&Value>) -> Option<Value> {
    match (b, a) {
        (Some(b), None) => Some(b.clone()),
        (None, Some(a)) => negate_value(a),
        (Some(Value::Duration(x)), Some(Value::Duration(y))) => {
            x.checked_sub(*y).map(Value::Duration)
        }
        (Some(Value::Int(x)), Some(Value::Int(y))) => x.checked_sub(*y).map(Value::Int),
        (Some(Value::Money(x)), Some(Value::Money(y))) => x.checked_sub(*y).map(Value::Money),
        _ => None,
    }
}

fn negate_value(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Duration(x) => Value::Duration(x.checked_neg()?),
        Value::Int(x) => Value::Int(x.checked_neg()?),
        Value::Money(x) => Value::Money(-*x),
        Value::Ratio(r) => Value::Ratio(crate::types::Rational::new(r.num.checked_neg()?, r.den)?),
        _ => return None,
    })
}

/// Whether `x CMP y` holds, given how `x` orders against `y`.
pub(super) fn holds(cmp: Cmp, o: std::cmp::Ordering) -> bool {
    match cmp {
        Cmp::Eq => o.is_eq(),
        Cmp::Ne => !o.is_eq(),
        Cmp::Lt => o.is_lt(),
        Cmp::Le => o.is_le(),
        Cmp::Gt => o.is_gt(),
        Cmp::Ge => o.is_ge(),
    }
}

/// Whether an expression reads nothing that varies between cases.
fn is_constant(ir: &Ir) -> bool {
    match &ir.kind {
        IrKind::Const(_) | IrKind::Param(_) => true,
        IrKind::Var(_) | IrKind::Field(..) | IrKind::Each { .. } => false,
        IrKind::Fact(_)
        | IrKind::Exists(_)
        | IrKind::Let(_)
        | IrKind::DecisionIs { .. }
        | IrKind::DecisionField { .. } => false,
        IrKind::Call(b, args) => {
            !matches!(
                b,
                Builtin::MissingServices | Builtin::RequiredServices | Builtin::MandatoryServices
            ) && args.iter().all(is_constant)
        }
        IrKind::IsNone(a) | IrKind::IsEmpty(a) | IrKind::Not(a) | IrKind::Neg(a) => is_constant(a),
        IrKind::Binary(_, a, b) | IrKind::Index(a, b) => is_constant(a) && is_constant(b),
        IrKind::Set(items) => items.iter().all(is_constant),
        IrKind::Map(entries) => entries
            .iter()
            .all(|(k, v)| is_constant(k) && is_constant(v)),
        IrKind::If(c, t, e) => is_constant(c) && is_constant(t) && is_constant(e),
    }
}

/// A structural key: equal for expressions that compute the same thing.
pub(super) fn key(ir: &Ir) -> String {
    let mut s = String::new();
    write_key(ir, &mut s);
    s
}

// One piece: a match over every kind of expression, one short arm each.
fn write_key(ir: &Ir, out: &mut String) {
    use std::fmt::Write as _;
    let list = |items: &[&Ir], out: &mut String| {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_key(item, out);
        }
    };
    match &ir.kind {
        IrKind::Const(v) => {
            let _ = write!(out, "{v:?}");
        }
        IrKind::Fact(l) => {
            let _ = write!(out, "fact#{l}");
        }
        IrKind::Exists(n) => {
            let _ = write!(out, "exists#{n}");
        }
        IrKind::Param(p) => {
            let _ = write!(out, "param#{p}");
        }
        IrKind::Var(d) => {
            let _ = write!(out, "var#{d}");
        }
        IrKind::Field(r, f) => {
            let _ = write!(out, "(");
            write_key(r, out);
            let _ = write!(out, ").{f}");
        }
        IrKind::Each {
            func,
            var,
            list,
            body,
        } => {
            let _ = write!(out, "{}#{var}(", func.name());
            write_key(list, out);
            let _ = write!(out, ", ");
            write_key(body, out);
            let _ = write!(out, ")");
        }
        IrKind::Let(l) => {
            let _ = write!(out, "let#{l}");
        }
        IrKind::DecisionIs { decision, outcome } => {
            let _ = write!(out, "is#{decision}:{outcome:?}");
        }
        IrKind::DecisionField { decision, field } => {
            let _ = write!(out, "field#{decision}.{field}");
        }
        IrKind::IsNone(a) => {
            out.push_str("isnone(");
            write_key(a, out);
            out.push(')');
        }
        IrKind::IsEmpty(a) => {
            out.push_str("isempty(");
            write_key(a, out);
            out.push(')');
        }
        IrKind::Not(a) => {
            out.push_str("not(");
            write_key(a, out);
            out.push(')');
        }
        IrKind::Neg(a) => {
            out.push_str("neg(");
            write_key(a, out);
            out.push(')');
        }
        IrKind::Binary(op, a, b) => {
            let _ = write!(out, "{}(", op.symbol());
            list(&[a, b], out);
            out.push(')');
        }
        IrKind::Call(b, args) => {
            let _ = write!(out, "{}(", b.name());
            list(&args.iter().collect::<Vec<_>>(), out);
            out.push(')');
        }
        IrKind::Set(items) => {
            out.push('{');
            list(&items.iter().collect::<Vec<_>>(), out);
            out.push('}');
        }
        IrKind::Map(entries) => {
            out.push('[');
            for (k, v) in entries {
                list(&[k, v], out);
                out.push(';');
            }
            out.push(']');
        }
        IrKind::Index(a, b) => {
            out.push_str("index(");
            list(&[a, b], out);
            out.push(')');
        }
        IrKind::If(c, t, e) => {
            out.push_str("if(");
            list(&[c, t, e], out);
            out.push(')');
        }
    }
}

/// Replace every `let` by the expression it names; `lets` are inlined already.
pub(super) fn inline_lets(ir: &Ir, lets: &[Ir]) -> Ir {
    let mut out = ir.clone();
    inline_in_place(&mut out, lets);
    out
}

fn inline_in_place(ir: &mut Ir, lets: &[Ir]) {
    if let IrKind::Let(i) = ir.kind {
        if let Some(l) = lets.get(i as usize) {
            ir.kind = l.kind.clone();
        }
        return;
    }
    match &mut ir.kind {
        IrKind::IsNone(a) | IrKind::IsEmpty(a) | IrKind::Not(a) | IrKind::Neg(a) => {
            inline_in_place(a, lets)
        }
        IrKind::Binary(_, a, b) | IrKind::Index(a, b) => {
            inline_in_place(a, lets);
            inline_in_place(b, lets);
        }
        IrKind::Call(_, items) | IrKind::Set(items) => {
            items.iter_mut().for_each(|i| inline_in_place(i, lets))
        }
        IrKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            inline_in_place(k, lets);
            inline_in_place(v, lets);
        }),
        IrKind::If(c, t, e) => {
            inline_in_place(c, lets);
            inline_in_place(t, lets);
            inline_in_place(e, lets);
        }
        _ => {}
    }
}
