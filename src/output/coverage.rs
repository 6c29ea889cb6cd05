//! What a set of test cases exercised in a policy: the outcomes reached, the
//! conditions seen both holding and failing, the parameters compared at
//! exactly their bound (`order.amount` = ¥300.00 against `≤ ¥300`), the
//! values of dated parameters used, and the rules of each calendar that
//! decided a day.

use std::cmp::Ordering;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::explain::step_expr;
use super::values::squash;
use crate::ast::BinOp;
use crate::eval::{Annot, CaseResult, ReadSource, Status, StepKind, StepResult};
use crate::program::{ArmIr, DayRule, Ir, IrKind, Program};
use crate::source::Span;

/// A condition of a decision: a trigger, an `if` or a `require` line.
struct Condition {
    decision: usize,
    span: Span,
    held: bool,
    failed: bool,
}

/// A comparison with a parameter on one side.
struct Threshold {
    decision: usize,
    span: Span,
    params: Vec<u32>,
    met: bool,
}

/// A parameter that changes on dates: which of its values some case used.
struct Dated {
    param: u32,
    /// The first value, then each dated one: used.
    used: Vec<bool>,
}

/// A calendar: which of its rules decided a day some case looked at.
struct CalendarRules {
    calendar: u32,
    /// Its working weekdays (if any), its rest weekdays (if any), then each
    /// `rest` and `work` date or range: used.
    rules: Vec<(DayRule, bool)>,
}

/// Coverage of one policy, accumulated over cases.
pub struct Coverage {
    cases: usize,
    /// Per decision, per outcome: reached.
    outcomes: Vec<Vec<bool>>,
    conditions: Vec<Condition>,
    thresholds: Vec<Threshold>,
    dated: Vec<Dated>,
    calendars: Vec<CalendarRules>,
}

/// The weekdays as a calendar's `week` names them, Monday first.
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Coverage {
    /// Nothing covered yet: every outcome, condition and threshold of the policy.
    pub fn new(program: &Program) -> Coverage {
        let mut conditions = Vec::new();
        let mut thresholds = Vec::new();
        for (i, d) in program.decisions.iter().enumerate() {
            let mut exprs: Vec<&Ir> = d.trigger.iter().collect();
            for arm in &d.arms {
                match arm {
                    ArmIr::If { cond, .. } => exprs.push(cond),
                    ArmIr::Require { conditions, .. } => {
                        exprs.extend(conditions.iter().map(|c| &c.expr))
                    }
                    ArmIr::Else { .. } => {}
                }
            }
            for e in exprs {
                conditions.push(Condition {
                    decision: i,
                    span: e.span,
                    held: false,
                    failed: false,
                });
                find_thresholds(e, &mut |ir, params| {
                    thresholds.push(Threshold {
                        decision: i,
                        span: ir.span,
                        params,
                        met: false,
                    })
                });
            }
        }
        Coverage {
            cases: 0,
            outcomes: program
                .decisions
                .iter()
                .map(|d| vec![false; d.outcomes.len()])
                .collect(),
            conditions,
            thresholds,
            dated: (program.params.iter().enumerate())
                .filter(|(_, p)| !p.dated.is_empty())
                .map(|(i, p)| Dated {
                    param: i as u32,
                    used: vec![false; p.dated.len() + 1],
                })
                .collect(),
            calendars: (program.calendars.iter().enumerate())
                .map(|(i, c)| {
                    let mut rules = Vec::new();
                    if c.week != 0 {
                        rules.push((DayRule::WorkingWeekday, false));
                    }
                    if c.week & 0x7f != 0x7f {
                        rules.push((DayRule::RestWeekday, false));
                    }
                    rules.extend((0..c.parts.len() as u32).map(|p| (DayRule::Part(p), false)));
                    CalendarRules {
                        calendar: i as u32,
                        rules,
                    }
                })
                .collect(),
        }
    }

    /// Count one decided case (evaluated with its trace).
    pub fn record(&mut self, program: &Program, result: &CaseResult) {
        self.cases += 1;
        for (c, rule) in &result.calendar_days {
            let cal = self.calendars.iter_mut().find(|k| k.calendar == *c);
            for (r, used) in cal.into_iter().flat_map(|k| k.rules.iter_mut()) {
                *used |= r == rule;
            }
        }
        for (i, r) in result.decisions.iter().enumerate() {
            if let Status::Outcome(o) = r.status {
                self.outcomes[i][o as usize] = true;
            }
            for s in &r.trace {
                for read in &s.reads {
                    let (ReadSource::Param(p), Some(d)) = (read.source, &read.dated) else {
                        continue;
                    };
                    let info = &program.params[p as usize];
                    let at = d
                        .from
                        .and_then(|f| info.dated.iter().position(|v| v.from == f))
                        .map_or(0, |k| k + 1);
                    if let Some(u) = self.dated.iter_mut().find(|u| u.param == p) {
                        u.used[at] = true;
                    }
                }
                if !matches!(
                    s.kind,
                    StepKind::Trigger | StepKind::If | StepKind::Condition { .. }
                ) {
                    continue;
                }
                if let Some(c) = self
                    .conditions
                    .iter_mut()
                    .find(|c| c.decision == i && c.span == s.span)
                {
                    match s.result {
                        StepResult::Held => c.held = true,
                        StepResult::Failed => c.failed = true,
                        _ => {}
                    }
                }
                let (Some(ir), Some(values)) = (step_expr(program, i, s), &s.values) else {
                    continue;
                };
                let thresholds = &mut self.thresholds;
                at_bound(ir, values, &mut |span| {
                    for t in thresholds.iter_mut() {
                        if t.decision == i && t.span == span {
                            t.met = true;
                        }
                    }
                });
            }
        }
    }

    fn counts(&self) -> [(usize, usize); 5] {
        let outcomes = self.outcomes.iter().flatten();
        let dated = self.dated.iter().flat_map(|d| &d.used);
        let days = self
            .calendars
            .iter()
            .flat_map(|c| c.rules.iter().map(|r| r.1));
        [
            (outcomes.clone().filter(|r| **r).count(), outcomes.count()),
            (
                self.conditions
                    .iter()
                    .filter(|c| c.held && c.failed)
                    .count(),
                self.conditions.len(),
            ),
            (
                self.thresholds.iter().filter(|t| t.met).count(),
                self.thresholds.len(),
            ),
            (dated.clone().filter(|u| **u).count(), dated.count()),
            (days.clone().filter(|u| *u).count(), days.count()),
        ]
    }

    /// Covered items of every kind, as a percentage of all of them.
    pub fn total_percent(&self) -> Decimal {
        let counts = self.counts();
        let covered: usize = counts.iter().map(|c| c.0).sum();
        let total: usize = counts.iter().map(|c| c.1).sum();
        percent(covered, total)
    }

    /// The report for people: a table, then every item not covered.
    pub fn report(&self, program: &Program, name: &str) -> String {
        let mut out = format!("coverage of {name} ({} cases)\n", self.cases);
        let [o, c, t, v, k] = self.counts();
        let mut rows = vec![
            ("outcomes", o, "reached"),
            ("conditions", c, "seen both holding and failing"),
            ("bounds", t, "parameters compared at exactly their bound"),
        ];
        // Only a policy with dated parameters has the row.
        if !self.dated.is_empty() {
            rows.push((
                "dated",
                v,
                "values of dated parameters in force in some case",
            ));
        }
        // Only a policy with calendars has the row.
        if !self.calendars.is_empty() {
            rows.push((
                "calendars",
                k,
                "calendar rules that decided a day some case looked at",
            ));
        }
        for (label, (covered, total), what) in rows {
            let _ = writeln!(
                out,
                "  {label:<11}{:>4}/{total:<4}{:>6.1}%  {what}",
                covered,
                percent(covered, total)
            );
        }
        let covered: usize = [o, c, t, v, k].iter().map(|x| x.0).sum();
        let total: usize = [o, c, t, v, k].iter().map(|x| x.1).sum();
        let _ = writeln!(
            out,
            "  {:<11}{covered:>4}/{total:<4}{:>6.1}%",
            "total",
            self.total_percent()
        );
        let missing = self.not_covered(program);
        if !missing.is_empty() {
            out.push_str("  not covered:\n");
            for m in missing {
                let _ = writeln!(out, "    {m}");
            }
        }
        out
    }

    /// The report for tools: the counts of each kind, the total percentage
    /// and every item not covered, in words.
    pub fn json(&self, program: &Program, name: &str) -> serde_json::Value {
        let [o, c, t, v, k] = self.counts();
        let kind = |(covered, total): (usize, usize)| serde_json::json!({"covered": covered, "total": total});
        serde_json::json!({
            "policy": name,
            "cases": self.cases,
            "outcomes": kind(o),
            "conditions": kind(c),
            "bounds": kind(t),
            "dated": kind(v),
            "calendars": kind(k),
            "percent": format!("{:.1}", self.total_percent()),
            "not_covered": self.not_covered(program),
        })
    }

    /// Every item not covered, in words, kind by kind.
    fn not_covered(&self, program: &Program) -> Vec<String> {
        let mut missing = Vec::new();
        for (i, reached) in self.outcomes.iter().enumerate() {
            let d = &program.decisions[i];
            for (o, r) in reached.iter().enumerate() {
                if !r {
                    missing.push(format!(
                        "{}: outcome `{}` never reached",
                        d.name, d.outcomes[o].name
                    ));
                }
            }
        }
        for c in &self.conditions {
            let never = match (c.held, c.failed) {
                (true, true) => continue,
                (true, false) => "never failed",
                (false, true) => "never held",
                (false, false) => "never evaluated",
            };
            missing.push(format!(
                "{}: `{}` (line {}) {never}",
                program.decisions[c.decision].name,
                squash(program.source.slice(c.span)),
                program.source.line_col(c.span.start).0
            ));
        }
        for t in self.thresholds.iter().filter(|t| !t.met) {
            let params: Vec<&str> = t
                .params
                .iter()
                .map(|p| program.params[*p as usize].name.as_str())
                .collect();
            missing.push(format!(
                "{}: `{}` (line {}) never compared at exactly {}",
                program.decisions[t.decision].name,
                squash(program.source.slice(t.span)),
                program.source.line_col(t.span.start).0,
                params.join(", ")
            ));
        }
        self.dated_not_used(program, &mut missing);
        self.calendar_rules_not_used(program, &mut missing);
        missing
    }

    fn dated_not_used(&self, program: &Program, missing: &mut Vec<String>) {
        for d in &self.dated {
            let info = &program.params[d.param as usize];
            for (k, used) in d.used.iter().enumerate() {
                if *used {
                    continue;
                }
                let when = match k {
                    0 => format!("before {}", info.dated[0].from),
                    k => format!("from {}", info.dated[k - 1].from),
                };
                missing.push(format!(
                    "`{}`: the value in force {when} never used",
                    info.name
                ));
            }
        }
    }

    fn calendar_rules_not_used(&self, program: &Program, missing: &mut Vec<String>) {
        for c in &self.calendars {
            let cal = &program.calendars[c.calendar as usize];
            for (rule, used) in &c.rules {
                if *used {
                    continue;
                }
                let days = |working: bool| {
                    let names: Vec<&str> = (0..7)
                        .filter(|i| (cal.week >> i & 1 == 1) == working)
                        .map(|i| WEEKDAYS[i])
                        .collect();
                    names.join(", ")
                };
                let what = match rule {
                    DayRule::WorkingWeekday => format!("a working weekday ({})", days(true)),
                    DayRule::RestWeekday => format!("a rest weekday ({})", days(false)),
                    DayRule::Part(p) => {
                        let part = &cal.parts[*p as usize];
                        format!(
                            "`{} {}` (line {})",
                            if part.rest { "rest" } else { "work" },
                            program.source.slice(part.span),
                            program.source.line_col(part.span.start).0
                        )
                    }
                };
                missing.push(format!(
                    "calendar `{}`: {what} never decided a day",
                    cal.name
                ));
            }
        }
    }
}

/// `covered / total` in percent, to a tenth; 100 when there is nothing to cover.
fn percent(covered: usize, total: usize) -> Decimal {
    if total == 0 {
        return Decimal::ONE_HUNDRED;
    }
    (Decimal::from(covered) * Decimal::ONE_HUNDRED / Decimal::from(total)).round_dp(1)
}

fn is_ordering(op: BinOp) -> bool {
    matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
}

fn params_in(ir: &Ir, out: &mut Vec<u32>) {
    ir.walk(&mut |e| {
        if let IrKind::Param(p) = e.kind {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    });
}

/// Each `<`, `<=`, `>`, `>=` with a parameter on one side, with those parameters.
fn find_thresholds(ir: &Ir, f: &mut dyn FnMut(&Ir, Vec<u32>)) {
    if let IrKind::Binary(op, a, b) = &ir.kind {
        if is_ordering(*op) {
            let mut params = Vec::new();
            params_in(a, &mut params);
            params_in(b, &mut params);
            if !params.is_empty() {
                f(ir, params);
            }
        }
    }
    for p in ir.parts() {
        find_thresholds(p, f);
    }
}

/// The spans of the ordering comparisons whose two sides were equal.
fn at_bound(ir: &Ir, annot: &Annot, f: &mut dyn FnMut(Span)) {
    if let (IrKind::Binary(op, ..), [Some(a), Some(b)]) = (&ir.kind, annot.parts.as_slice()) {
        if is_ordering(*op) {
            if let (Some(x), Some(y)) = (&a.value, &b.value) {
                if x.compare(y) == Some(Ordering::Equal) {
                    f(ir.span);
                }
            }
        }
    }
    for (p, a) in ir.parts().into_iter().zip(&annot.parts) {
        if let Some(a) = a {
            at_bound(p, a, f);
        }
    }
}
