//! Program + facts → decisions, with an optional trace of why.

mod annotate;
mod builtins;
mod counterfactual;
pub(crate) mod dates;
mod each;
mod error;
pub(crate) mod ops;
mod trace;

pub use error::EvalError;
use std::borrow::Cow;

use chrono::FixedOffset;

use crate::ast::BinOp;
use crate::facts::Facts;
use crate::program::*;
use crate::source::Span;
use crate::types::Value;

pub use dates::{is_positive, Rounding};
pub use trace::{
    Alternative, Annot, Bound, DatedRead, Read, ReadSource, Step, StepKind, StepResult,
};

/// Why an expression has no value.
#[derive(Debug, Clone)]
pub(crate) enum Halt {
    /// Facts it needs are absent (leaf indices).
    Unknown(Vec<u32>),
    /// Overflow, division by zero, …
    Error(EvalError, Span),
}

type Ev = Result<Value, Halt>;

/// What a decision came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// An outcome of the decision, by index.
    Outcome(u32),
    /// Its trigger does not hold.
    NotApplicable,
    /// Facts it needs are absent.
    Undetermined,
    /// The policy could not be evaluated (overflow, division by zero), at
    /// the expression of this span.
    Error(EvalError, Span),
}

/// One decision's result: outcome, fields, reasons, missing facts, trace.
#[derive(Debug, Clone)]
pub struct DecisionResult {
    /// Its outcome, or why it has none.
    pub status: Status,
    /// Values aligned with the outcome's declared fields.
    pub fields: Vec<Value>,
    /// Indices into the decision's reasons, in condition order.
    pub reasons: Vec<u32>,
    /// Absent leaf facts, sorted.
    pub missing: Vec<u32>,
    /// The steps that decided it, when explaining.
    pub trace: Vec<Step>,
}

impl Default for DecisionResult {
    fn default() -> Self {
        DecisionResult {
            status: Status::NotApplicable,
            fields: Vec::new(),
            reasons: Vec::new(),
            missing: Vec::new(),
            trace: Vec::new(),
        }
    }
}

impl DecisionResult {
    /// Back to `not_applicable`, keeping the buffers.
    fn clear(&mut self) {
        self.status = Status::NotApplicable;
        self.fields.clear();
        self.reasons.clear();
        self.missing.clear();
        self.trace.clear();
    }
}

/// Every decision of a program for one case, in declaration order.
#[derive(Debug, Clone, Default)]
pub struct CaseResult {
    /// Each decision's result, in the program's order.
    pub decisions: Vec<DecisionResult>,
    /// When explaining: each calendar (by index) with a rule of it that
    /// decided a day a working-day function looked at, each pair once.
    pub calendar_days: Vec<(u32, DayRule)>,
}

/// Decide every decision of the program for one case.
pub fn evaluate(program: &Program, facts: &Facts, explain: bool) -> CaseResult {
    let mut result = CaseResult::default();
    Evaluator::new(program).evaluate_into(facts, explain, &mut result);
    result
}

/// Decides many cases of one program, reusing its buffers from case to case.
#[derive(Debug)]
pub struct Evaluator<'p> {
    program: &'p Program,
    lets: Vec<Option<Ev>>,
    memo: Memo,
    stack: Vec<Value>,
}

impl<'p> Evaluator<'p> {
    /// An evaluator for a program, with empty buffers.
    pub fn new(program: &'p Program) -> Evaluator<'p> {
        Evaluator {
            program,
            lets: Vec::new(),
            memo: Memo::default(),
            stack: Vec::new(),
        }
    }

    /// Decide every decision for one case into `out`, reusing its buffers.
    pub fn evaluate_into(&mut self, facts: &Facts, explain: bool, out: &mut CaseResult) {
        let program = self.program;
        out.decisions
            .resize_with(program.decisions.len(), DecisionResult::default);
        self.memo = Memo::default();
        for &i in &program.order {
            // The decision's own slot, apart from those of the others.
            let (before, rest) = out.decisions.split_at_mut(i);
            let (result, after) = rest.split_first_mut().expect("a slot per decision");
            result.clear();
            self.lets.clear();
            self.lets
                .resize_with(program.decisions[i].lets.len(), || None);
            let mut ctx = Ctx {
                program,
                facts,
                results: Results { before, after },
                lets: &mut self.lets,
                memo: &mut self.memo,
                stack: &mut self.stack,
                vars: Vec::new(),
                decision: i,
                explain,
                reads: Vec::new(),
                trace: std::mem::take(&mut result.trace),
            };
            ctx.decide(result);
        }
        out.calendar_days = std::mem::take(&mut self.memo.calendar_days);
    }
}

/// Evaluate a constant expression (a parameter's value) at check time.
/// `mandatory` is the service enum and its `required` variants, the only
/// part of a services block a constant may read.
pub(crate) fn eval_const(
    ir: &Ir,
    params: &[ParamInfo],
    mandatory: Option<(u32, Vec<u32>)>,
    zone: FixedOffset,
) -> Result<Value, EvalError> {
    let program = Program {
        id: "".into(),
        display_name: None,
        platform: None,
        zone,
        source: crate::source::SourceFile::new("", ""),
        enums: Vec::new(),
        variants: Vec::new(),
        facts: FactLayout::default(),
        params: params
            .iter()
            .map(|p| ParamInfo {
                name: p.name.clone(),
                ty: p.ty.clone(),
                value: p.value.clone(),
                span: p.span,
                value_span: p.value_span,
                dated: p.dated.clone(),
                as_of: p.as_of,
            })
            .collect(),
        calendars: Vec::new(),
        services: mandatory.map(|(service_enum, mandatory)| ServicesInfo {
            service_enum,
            // Never read: constants cannot call `missing_services()`.
            offered: 0,
            category: None,
            mandatory,
            addons: Vec::new(),
        }),
        decisions: Vec::new(),
        order: Vec::new(),
    };
    let facts = Facts::empty(&program.facts);
    let mut ctx = Ctx {
        program: &program,
        facts: &facts,
        results: Results {
            before: &[],
            after: &[],
        },
        lets: &mut Vec::new(),
        memo: &mut Memo::default(),
        stack: &mut Vec::new(),
        vars: Vec::new(),
        decision: 0,
        explain: false,
        reads: Vec::new(),
        trace: Vec::new(),
    };
    ctx.eval(ir).map_err(|h| match h {
        Halt::Error(m, _) => m,
        Halt::Unknown(_) => EvalError::NotConstant,
    })
}

struct Ctx<'a> {
    program: &'a Program,
    facts: &'a Facts,
    /// Results of this case; those of the decisions this one uses are decided.
    results: Results<'a>,
    lets: &'a mut Vec<Option<Ev>>,
    /// Built-ins' results that hold for the whole case.
    memo: &'a mut Memo,
    /// Built-ins' arguments and working lists, used as a stack.
    stack: &'a mut Vec<Value>,
    /// The items bound by list functions and per-item `require`s, by depth.
    vars: Vec<Value>,
    decision: usize,
    explain: bool,
    /// Values read by the condition being traced.
    reads: Vec<Read>,
    trace: Vec<Step>,
}

/// Built-ins' results for the case being decided.
#[derive(Debug, Default)]
struct Memo {
    missing: Option<Ev>,
    /// When explaining: the calendar rules that decided a day looked at.
    calendar_days: Vec<(u32, DayRule)>,
}

/// The results of a case's other decisions, around the one being decided.
struct Results<'a> {
    before: &'a [DecisionResult],
    after: &'a [DecisionResult],
}

impl std::ops::Index<usize> for Results<'_> {
    type Output = DecisionResult;

    /// The result of decision `i`, which must not be the one being decided.
    fn index(&self, i: usize) -> &DecisionResult {
        match i.checked_sub(self.before.len()) {
            None => &self.before[i],
            Some(j) => &self.after[j - 1],
        }
    }
}

/// Both values, or why not: every missing fact of either, else the first error.
fn join<A, B>(a: Result<A, Halt>, b: Result<B, Halt>) -> Result<(A, B), Halt> {
    match (a, b) {
        (Ok(x), Ok(y)) => Ok((x, y)),
        (Err(Halt::Unknown(x)), Err(Halt::Unknown(y))) => Err(Halt::Unknown(merge_unknown(x, y))),
        (Err(h), _) | (_, Err(h)) => Err(h),
    }
}

/// The value of `none`, to lend.
static NONE: Value = Value::None;

/// Whether a binary operator answers true or false.
fn is_test(op: BinOp) -> bool {
    !matches!(
        op,
        BinOp::Coalesce | BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div
    )
}

/// Whether an expression is the empty set literal `{}`.
fn is_empty_set(ir: &Ir) -> bool {
    matches!(&ir.kind, IrKind::Set(items) if items.is_empty())
}

fn merge_unknown(a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    let mut m = a;
    for x in b {
        if !m.contains(&x) {
            m.push(x);
        }
    }
    m
}

impl<'a> Ctx<'a> {
    /// Decide into `result`, a cleared `not_applicable` result.
    fn decide(&mut self, result: &mut DecisionResult) {
        let d = &self.program.decisions[self.decision];
        if let Some(trigger) = &d.trigger {
            let held = self.eval(trigger);
            self.step_on(StepKind::Trigger, trigger, &held);
            match held {
                Ok(Value::Bool(true)) => {}
                Ok(_) => return self.finish(result),
                Err(h) => return self.halted(result, h),
            }
        }
        for arm in &d.arms {
            match arm {
                ArmIr::If { cond, outcome, .. } => {
                    let held = self.eval(cond);
                    self.step_on(StepKind::If, cond, &held);
                    match held {
                        Ok(Value::Bool(true)) => return self.reach(result, outcome),
                        Ok(_) => {}
                        Err(h) => return self.halted(result, h),
                    }
                }
                ArmIr::Require {
                    each: Some(each),
                    conditions,
                    pass,
                    fail,
                    ..
                } => match self.require_each(each, conditions, &mut result.reasons) {
                    Err(h) => return self.halted(result, h),
                    Ok(false) => return self.reach(result, fail),
                    Ok(true) => {
                        result.reasons.clear();
                        if let Some(p) = pass {
                            return self.reach(result, p);
                        }
                    }
                },
                ArmIr::Require {
                    each: None,
                    conditions,
                    pass,
                    fail,
                    ..
                } => {
                    let failed = &mut result.reasons;
                    let mut unknown: Option<Halt> = None;
                    for c in conditions {
                        let held = self.eval(&c.expr);
                        self.step_on(StepKind::Condition { reason: c.reason }, &c.expr, &held);
                        match held {
                            Ok(Value::Bool(true)) => {}
                            Ok(_) => failed.push(c.reason),
                            Err(Halt::Unknown(m)) => {
                                unknown = Some(match unknown {
                                    Some(Halt::Unknown(prev)) => {
                                        Halt::Unknown(merge_unknown(prev, m))
                                    }
                                    Some(other) => other,
                                    None => Halt::Unknown(m),
                                })
                            }
                            Err(e) => {
                                unknown = Some(e);
                                break;
                            }
                        }
                    }
                    if let Some(h) = unknown {
                        return self.halted(result, h);
                    }
                    if !result.reasons.is_empty() {
                        return self.reach(result, fail);
                    }
                    if let Some(p) = pass {
                        return self.reach(result, p);
                    }
                }
                ArmIr::Else { outcome, span } => {
                    self.step(StepKind::Else, *span, &Ok(Value::Bool(true)));
                    return self.reach(result, outcome);
                }
            }
        }
        // The checker guarantees a total last arm.
        let span = d.span;
        self.halted(result, Halt::Error(EvalError::NoRuleDecided, span))
    }

    /// The outcome reached, with its fields; `result` holds its reasons.
    fn reach(&mut self, result: &mut DecisionResult, o: &OutcomeIr) {
        let info = &self.program.decisions[self.decision].outcomes[o.outcome as usize];
        result.fields.resize(info.fields.len(), Value::None);
        // Every field is computed, so that `missing_facts` lists the facts
        // all of them need, not only the first field's.
        let mut unknown: Option<Vec<u32>> = None;
        for (i, e) in &o.fields {
            let v = self.eval(e);
            if self.explain {
                self.step_on(
                    StepKind::Field {
                        field: *i,
                        outcome: o.outcome,
                    },
                    e,
                    &v,
                );
            }
            match v {
                Ok(v) => result.fields[*i as usize] = v,
                Err(Halt::Unknown(m)) => {
                    unknown = Some(merge_unknown(unknown.unwrap_or_default(), m));
                }
                Err(h) => return self.halted(result, h),
            }
        }
        if let Some(m) = unknown {
            return self.halted(result, Halt::Unknown(m));
        }
        result.status = Status::Outcome(o.outcome);
        self.finish(result)
    }

    fn halted(&mut self, result: &mut DecisionResult, h: Halt) {
        result.fields.clear();
        match h {
            Halt::Unknown(mut m) => {
                m.sort_unstable();
                m.dedup();
                result.status = Status::Undetermined;
                result.reasons.clear();
                result.missing = m;
            }
            Halt::Error(msg, span) => result.status = Status::Error(msg, span),
        }
        self.finish(result)
    }

    fn finish(&mut self, result: &mut DecisionResult) {
        result.trace = std::mem::take(&mut self.trace);
        if self.explain {
            // A counterfactual names the outcome it leads to only when that differs.
            for step in &mut result.trace {
                for alt in &mut step.counterfactual {
                    if alt.then.as_ref() == Some(&result.status) {
                        alt.then = None;
                    }
                }
            }
        }
    }

    /// Record a step on an expression, with its parts' values and, when a
    /// condition failed, what would have made it hold.
    #[inline]
    fn step_on(&mut self, kind: StepKind, ir: &Ir, r: &Ev) {
        if !self.explain {
            return;
        }
        self.step(kind, ir.span, r);
        let values = self.annotate(ir);
        self.reads.clear();
        let failed = matches!(r, Ok(Value::Bool(false)))
            && matches!(kind, StepKind::If | StepKind::Condition { .. });
        let counterfactual = if failed {
            self.counterfactual(ir)
        } else {
            Vec::new()
        };
        if let Some(step) = self.trace.last_mut() {
            step.values = Some(Box::new(values));
            step.counterfactual = counterfactual;
        }
    }

    // Inlined so that deciding without a trace costs one test per step.
    #[inline]
    fn step(&mut self, kind: StepKind, span: Span, r: &Ev) {
        if !self.explain {
            return;
        }
        let result = match r {
            Ok(Value::Bool(true)) if !matches!(kind, StepKind::Field { .. }) => StepResult::Held,
            Ok(Value::Bool(false)) if !matches!(kind, StepKind::Field { .. }) => StepResult::Failed,
            Ok(v) => StepResult::Value(v.clone()),
            Err(Halt::Unknown(m)) => StepResult::Unknown(m.clone()),
            Err(Halt::Error(msg, _)) => StepResult::Error(msg.clone()),
        };
        let reads = std::mem::take(&mut self.reads);
        self.trace.push(Step {
            kind,
            span,
            result,
            reads,
            values: None,
            counterfactual: Vec::new(),
        });
    }

    #[inline]
    fn read(&mut self, source: ReadSource, span: Span, value: &Ev) {
        if self.explain {
            if let Ok(v) = value {
                if !self.reads.iter().any(|r| r.source == source) {
                    self.reads.push(Read {
                        source,
                        span,
                        value: v.clone(),
                        dated: None,
                    });
                }
            }
        }
    }

    fn fact(&self, leaf: u32) -> Ev {
        self.facts
            .leaf(&self.program.facts, leaf)
            .ok_or_else(|| Halt::Unknown(vec![leaf]))
    }

    /// A leaf fact, lent rather than copied.
    fn fact_ref(&mut self, leaf: u32, span: Span) -> Result<&'a Value, Halt> {
        let facts: &'a Facts = self.facts;
        let v = facts
            .leaf_ref(&self.program.facts, leaf)
            .map(|v| v.unwrap_or(&NONE))
            .ok_or_else(|| Halt::Unknown(vec![leaf]));
        if self.explain {
            self.read(ReadSource::Fact(leaf), span, &v.clone().cloned());
        }
        v
    }

    /// A fact, parameter or constant, lent rather than copied; `None` for
    /// any other expression.
    fn peek<'i>(&mut self, ir: &'i Ir) -> Option<Result<&'i Value, Halt>>
    where
        'a: 'i,
    {
        match &ir.kind {
            IrKind::Const(v) => Some(Ok(v)),
            IrKind::Fact(leaf) => Some(self.fact_ref(*leaf, ir.span)),
            IrKind::Param(i) => Some(self.param(*i, ir.span)),
            _ => None,
        }
    }

    fn bool(&mut self, ir: &Ir) -> Result<bool, Halt> {
        // Conditions are answered as conditions, without making values.
        match &ir.kind {
            IrKind::Binary(op, a, b) if is_test(*op) => self.test(*op, a, b, ir.span),
            IrKind::Not(a) => Ok(!self.bool(a)?),
            IrKind::Exists(node) => Ok(self.facts.exists(*node)),
            _ => match self.eval(ir)? {
                Value::Bool(b) => Ok(b),
                _ => Err(Halt::Error(EvalError::NotACondition, ir.span)),
            },
        }
    }

    // One piece: the evaluator's dispatch over every kind of expression, kept together so the hot path is one match.
    pub(crate) fn eval(&mut self, ir: &Ir) -> Ev {
        let err = |m: EvalError| Halt::Error(m, ir.span);
        match &ir.kind {
            IrKind::Const(v) => Ok(v.clone()),
            IrKind::Fact(leaf) => {
                let v = self.fact(*leaf);
                self.read(ReadSource::Fact(*leaf), ir.span, &v);
                v
            }
            IrKind::Exists(node) => Ok(Value::Bool(self.facts.exists(*node))),
            IrKind::Param(i) => self.param(*i, ir.span).cloned(),
            IrKind::Var(depth) => Ok(self.vars[*depth as usize].clone()),
            IrKind::Field(record, field) => self.field(record, *field),
            IrKind::Each {
                func,
                var,
                list,
                body,
            } => self.each(*func, *var, list, body),
            IrKind::Let(i) => {
                let i = *i as usize;
                if let Some(v) = &self.lets[i] {
                    return v.clone();
                }
                let expr = &self.program.decisions[self.decision].lets[i].expr;
                let v = self.eval(expr);
                self.lets[i] = Some(v.clone());
                v
            }
            IrKind::DecisionIs { decision, outcome } => {
                let r = &self.results[*decision];
                let v = match (&r.status, outcome) {
                    (Status::Undetermined, _) => return Err(Halt::Unknown(r.missing.clone())),
                    (Status::Error(m, s), _) => return Err(Halt::Error(m.clone(), *s)),
                    (Status::NotApplicable, None) => true,
                    (Status::Outcome(o), Some(want)) => o == want,
                    _ => false,
                };
                let v = Ok(Value::Bool(v));
                self.read(ReadSource::Decision(*decision), ir.span, &v);
                v
            }
            IrKind::DecisionField { decision, field } => {
                let r = &self.results[*decision];
                match &r.status {
                    Status::Undetermined => Err(Halt::Unknown(r.missing.clone())),
                    Status::Error(m, s) => Err(Halt::Error(m.clone(), *s)),
                    Status::NotApplicable => Ok(Value::None),
                    Status::Outcome(o) => {
                        let info = &self.program.decisions[*decision].outcomes[*o as usize];
                        Ok(info
                            .fields
                            .iter()
                            .position(|(n, _)| n == field)
                            .map_or(Value::None, |i| r.fields[i].clone()))
                    }
                }
            }
            IrKind::IsNone(a) => Ok(Value::Bool(matches!(self.eval(a)?, Value::None))),
            IrKind::IsEmpty(a) => Ok(Value::Bool(ops::set_len(&self.eval(a)?) == 0)),
            IrKind::Not(a) => Ok(Value::Bool(!self.bool(a)?)),
            IrKind::Neg(a) => match self.eval(a)? {
                Value::Int(n) => n
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or_else(|| err(EvalError::Overflow)),
                Value::Money(m) => Ok(Value::Money(-m)),
                Value::Duration(d) => d
                    .checked_neg()
                    .map(Value::Duration)
                    .ok_or_else(|| err(EvalError::Overflow)),
                Value::Ratio(r) => Ok(Value::Ratio(crate::types::Rational {
                    num: -r.num,
                    den: r.den,
                })),
                Value::None => Ok(Value::None),
                _ => Err(err(EvalError::CannotNegate)),
            },
            IrKind::Binary(op, a, b) => self.binary(*op, a, b, ir.span),
            IrKind::Call(b, args) => self.call(*b, args, ir.span),
            IrKind::Set(items) => {
                let mut out: Vec<Value> = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.eval(i)?;
                    if !out.iter().any(|o| o.same(&v)) {
                        out.push(v);
                    }
                }
                Ok(Value::Set(out.into()))
            }
            IrKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    out.push((self.eval(k)?, self.eval(v)?));
                }
                Ok(Value::Map(out.into()))
            }
            IrKind::Index(m, k) => {
                let m = self.eval(m)?;
                let k = self.eval(k)?;
                Ok(ops::index(&m, &k))
            }
            IrKind::If(c, t, f) => {
                if self.bool(c)? {
                    self.eval(t)
                } else {
                    self.eval(f)
                }
            }
        }
    }

    fn binary(&mut self, op: BinOp, a: &Ir, b: &Ir, span: Span) -> Ev {
        let err = |m: EvalError| Halt::Error(m, span);
        match op {
            _ if is_test(op) => self.test(op, a, b, span).map(Value::Bool),
            BinOp::Coalesce => match self.eval(a)? {
                Value::None => self.eval(b),
                v => Ok(v),
            },
            _ => {
                let (x, y) = self.both(a, b)?;
                // Months move an instant in the policy's zone.
                if let (Value::Instant(t), Value::Months(n)) = (&*x, &*y) {
                    let n = if op == BinOp::Sub { -*n } else { *n };
                    return dates::instant_add_months(t, n, self.program.zone).map_err(err);
                }
                ops::arith(op, &x, &y).map_err(err)
            }
        }
    }

    /// A binary operator that answers true or false.
    fn test(&mut self, op: BinOp, a: &Ir, b: &Ir, span: Span) -> Result<bool, Halt> {
        match op {
            // Kleene logic: a known answer wins over an unknown one.
            BinOp::And | BinOp::Or => {
                let short = op == BinOp::Or;
                let left = self.bool(a);
                if let Ok(l) = left {
                    if l == short {
                        return Ok(short);
                    }
                }
                let right = self.bool(b);
                match (left, right) {
                    (_, Ok(r)) if r == short => Ok(short),
                    (Ok(_), Ok(r)) => Ok(r),
                    (Err(Halt::Unknown(x)), Err(Halt::Unknown(y))) => {
                        Err(Halt::Unknown(merge_unknown(x, y)))
                    }
                    (Err(h), _) | (_, Err(h)) => Err(h),
                }
            }
            BinOp::In | BinOp::NotIn => {
                let (x, y) = self.both(a, b)?;
                let found = ops::contains(&y, &x);
                Ok(found == (op == BinOp::In))
            }
            BinOp::Eq | BinOp::Ne if is_empty_set(b) => {
                let empty = matches!(self.eval(a)?, Value::Set(items) if items.is_empty());
                Ok(empty == (op == BinOp::Eq))
            }
            _ => {
                let (x, y) = self.both(a, b)?;
                ops::test(op, &x, &y).map_err(|m| Halt::Error(m, span))
            }
        }
    }

    /// Evaluate both operands, reporting every missing fact of either.
    fn both<'i>(&mut self, a: &'i Ir, b: &'i Ir) -> Result<(Cow<'i, Value>, Cow<'i, Value>), Halt>
    where
        'a: 'i,
    {
        let x = self.operand(a);
        join(x, self.operand(b))
    }

    /// An operand: a fact, parameter or constant is read where it is (a set
    /// is not copied), anything else is computed.
    fn operand<'i>(&mut self, ir: &'i Ir) -> Result<Cow<'i, Value>, Halt>
    where
        'a: 'i,
    {
        match self.peek(ir) {
            Some(v) => v.map(Cow::Borrowed),
            None => self.eval(ir).map(Cow::Owned),
        }
    }
}
