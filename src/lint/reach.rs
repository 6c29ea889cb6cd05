//! Conditions and rules: constant conditions, unreachable outcomes and
//! decisions, reasons never given, overlapping rules, and bounds that
//! disagree about their own value.

use super::registry;
use std::collections::HashMap;

use super::causes;
use super::logic::{inline_lets, key, Cmp, Formula, Logic};
use super::solve::Normal;
use super::Cx;
use crate::ast::BinOp;
use crate::program::{ArmIr, ConditionIr, DecisionIr, EachIr, Ir, IrKind, OutcomeIr};
use crate::source::Span;
use crate::types::Type;

pub(super) fn check(cx: &mut Cx) {
    let program = cx.program;
    let mut logic = Logic::new(program);
    let mut bounds = Bounds::default();
    for (index, d) in program.decisions.iter().enumerate() {
        let mut lets: Vec<Ir> = Vec::new();
        for l in &d.lets {
            let inlined = inline_lets(&l.expr, &lets);
            lets.push(inlined);
        }
        let flagged = constant_conditions(cx, &mut logic, d, &lets);
        paths(cx, &mut logic, index, &lets, &flagged);
        for e in d.exprs() {
            bounds.rule += 1;
            inline_lets(e, &lets).walk(&mut |ir| bounds.see(cx, ir));
        }
    }
}

/// Conditions found constant by themselves: their spans, and whether each
/// always holds (`true`) or never does.
type Flagged = Vec<(Span, bool)>;

fn is_flagged(flagged: &Flagged, span: Span, always: bool) -> bool {
    flagged.iter().any(|(s, a)| *s == span && *a == always)
}

/// Report every condition (or part of one) that the parameters alone decide.
fn constant_conditions(cx: &mut Cx, logic: &mut Logic, d: &DecisionIr, lets: &[Ir]) -> Flagged {
    // A trigger that never holds is an unreachable decision, reported as such.
    let mut positions: Vec<&Ir> = d
        .trigger
        .iter()
        .filter(|t| {
            let f = logic.formula(&inline_lets(t, lets));
            !logic.unsat(&f)
        })
        .collect();
    for arm in &d.arms {
        match arm {
            ArmIr::If { cond, .. } => positions.push(cond),
            ArmIr::Require { conditions, .. } => {
                positions.extend(conditions.iter().map(|c| &c.expr))
            }
            ArmIr::Else { .. } => {}
        }
    }
    // The conditions of `if … then … else …` expressions, wherever they are.
    let mut nested: Vec<&Ir> = Vec::new();
    for e in d.exprs() {
        e.walk(&mut |ir| {
            if let IrKind::If(c, _, _) = &ir.kind {
                nested.push(c);
            }
        });
    }
    let nested: Vec<Ir> = nested.into_iter().cloned().collect();
    let mut flagged = Vec::new();
    for ir in positions.into_iter().chain(nested.iter()) {
        let inlined = inline_lets(ir, lets);
        constant_condition(cx, logic, &inlined, &mut flagged);
    }
    flagged
}

fn constant_condition(cx: &mut Cx, logic: &mut Logic, ir: &Ir, flagged: &mut Flagged) {
    if ir.ty != Type::Bool {
        return;
    }
    let f = logic.formula(ir);
    let never = logic.unsat(&f);
    if never || logic.unsat(&f.not()) {
        causes::report_constant(cx, ir, never);
        flagged.push((ir.span, !never));
        return;
    }
    match &ir.kind {
        IrKind::Not(a) => constant_condition(cx, logic, a, flagged),
        IrKind::Binary(BinOp::And | BinOp::Or, a, b) => {
            constant_condition(cx, logic, a, flagged);
            constant_condition(cx, logic, b, flagged);
        }
        _ => {}
    }
}

/// Why a rule is not reached: the trigger, or an earlier rule that decides first.
#[derive(Clone)]
struct Guard {
    formula: Formula,
    span: Span,
    label: &'static str,
}

/// An `if` rule already seen, for overlap checks.
struct SeenIf {
    cond: Formula,
    before: Normal,
    outcome: String,
    span: Span,
}

/// Follow each decision's rules in order, with what must hold to reach each.
fn paths(cx: &mut Cx, logic: &mut Logic, index: usize, lets: &[Ir], flagged: &Flagged) {
    let d = &cx.program.decisions[index];
    let mut guards: Vec<Guard> = Vec::new();
    // What must hold to reach the next rule: every guard so far, conjoined
    // once each (expanding them all again for every rule cost the square).
    let mut before = Normal::all();
    if let Some(t) = &d.trigger {
        let inlined = inline_lets(t, lets);
        let f = logic.formula(&inlined);
        if logic.unsat(&f) {
            causes::report_unreachable_trigger(cx, index, &inlined);
            return;
        }
        before = before.and(logic, &f);
        guards.push(Guard {
            formula: f,
            span: t.span,
            label: "the trigger excludes it",
        });
    }
    // The `if` rules seen, by the values they test (sorted).
    let mut seen_ifs: HashMap<Vec<usize>, Vec<SeenIf>> = HashMap::new();
    let mut decided_by_constant = false;
    for arm in &d.arms {
        if before.unsat() {
            if !decided_by_constant {
                report_always_decided(cx, arm, d, guards.last());
            }
            return;
        }
        let guard = match arm {
            ArmIr::If { cond, outcome, .. } => {
                let c = logic.formula(&inline_lets(cond, lets));
                let reachable = !before.and(logic, &c).unsat();
                let name = d.outcomes[outcome.outcome as usize].name.to_string();
                if !reachable && !is_flagged(flagged, cond.span, false) {
                    let inlined = inline_lets(cond, lets);
                    report_unreachable_if(cx, logic, &guards, &inlined, outcome.span, &name);
                }
                let mut subjects = Vec::new();
                c.subjects(&mut subjects);
                subjects.sort_unstable();
                let tests_values = !subjects.is_empty();
                let same = seen_ifs.entry(subjects).or_default();
                if reachable && tests_values {
                    overlaps(cx, logic, same, &c, &name, cond.span);
                }
                same.push(SeenIf {
                    cond: c.clone(),
                    before: before.clone(),
                    outcome: name,
                    span: cond.span,
                });
                decided_by_constant = is_flagged(flagged, cond.span, true);
                Guard {
                    formula: c.not(),
                    span: cond.span,
                    label: "this rule decides these inputs first",
                }
            }
            ArmIr::Require {
                each,
                conditions,
                pass,
                fail,
                span,
            } => {
                let all = require_arm(
                    cx,
                    logic,
                    (d, lets, flagged),
                    &before,
                    &guards,
                    (each.as_ref(), *span, conditions, pass.as_ref(), fail),
                );
                decided_by_constant = false;
                match pass {
                    None => Guard {
                        formula: all,
                        span: arm.span(),
                        label: "this `require` decides these inputs first",
                    },
                    Some(_) => Guard {
                        formula: Formula::Const(false),
                        span: arm.span(),
                        label: "this `require` decides every case left",
                    },
                }
            }
            ArmIr::Else { .. } => Guard {
                formula: Formula::Const(false),
                span: arm.span(),
                label: "this `else` decides every case left",
            },
        };
        before = before.and(logic, &guard.formula);
        guards.push(guard);
    }
}

/// An `if` whose condition no input that reaches it meets, with the smallest
/// set of conditions that conflict.
fn report_unreachable_if(
    cx: &mut Cx,
    logic: &mut Logic,
    guards: &[Guard],
    cond: &Ir,
    outcome_span: Span,
    name: &str,
) {
    let conflict = conflicting(
        logic,
        guards,
        &[cond],
        "no input that gets this far meets this condition",
    );
    let f = cx
        .report(
            &registry::UNREACHABLE_OUTCOME,
            outcome_span,
            format!("`{name}` is never reached here"),
        )
        .label("never reached")
        .help("the trigger or the rules above already decide every input that meets the condition; reorder the rules or fix the condition");
    for (span, label) in conflict {
        f.related(span, label);
    }
}

/// A rule no input reaches because the rules above always decide.
fn report_always_decided(cx: &mut Cx, arm: &ArmIr, d: &DecisionIr, last: Option<&Guard>) {
    let (outcome_span, name) = first_outcome(arm, d);
    let f = cx
        .report(
            &registry::UNREACHABLE_OUTCOME,
            outcome_span,
            format!("`{name}` is never reached here: the rules above always decide"),
        )
        .label("never reached")
        .help("remove this rule, or move it above the rules that decide first");
    if let Some(g) = last {
        f.related(g.span, "this rule decides every case left");
    }
}

/// The parts of a `require`: per item or not, its span, its conditions, its
/// pass and fail outcomes.
type RequireParts<'a> = (
    Option<&'a EachIr>,
    Span,
    &'a [ConditionIr],
    Option<&'a OutcomeIr>,
    &'a OutcomeIr,
);

/// Report what a `require` can never give, on the inputs that reach it
/// (`before`): a pass outcome whose conditions cannot all hold, a fail
/// outcome no input gets, a reason never given. Gives what holds after it
/// passes: its conditions, or for a per-item `require` a proposition of
/// its own.
///
/// Per item, the conditions speak of one item, which nothing before the
/// rule mentions: `any` cannot pass when no item can meet them all, and
/// `every` cannot fail when every item always does. An empty list passes
/// `every` and fails `any`, so the other two claims are not made.
fn require_arm(
    cx: &mut Cx,
    logic: &mut Logic,
    (d, lets, flagged): (&DecisionIr, &[Ir], &Flagged),
    before: &Normal,
    guards: &[Guard],
    (each, span, conditions, pass, fail): RequireParts,
) -> Formula {
    let cs: Vec<Formula> = conditions
        .iter()
        .map(|c| logic.formula(&inline_lets(&c.expr, lets)))
        .collect();
    let all = Formula::and(cs.clone());
    let (claim_pass, claim_fail) = match each {
        None => (true, true),
        Some(e) => (e.any, !e.any),
    };
    let any_never = conditions
        .iter()
        .any(|c| is_flagged(flagged, c.expr.span, false));
    let all_always = conditions
        .iter()
        .all(|c| is_flagged(flagged, c.expr.span, true));
    if let (Some(p), true) = (pass, claim_pass) {
        if !any_never && before.and(logic, &all).unsat() {
            let name = &d.outcomes[p.outcome as usize].name;
            let f = cx
                .report(
                    &registry::UNREACHABLE_OUTCOME,
                    p.span,
                    format!("`{name}` is never reached: its conditions cannot all hold together"),
                )
                .label("never reached")
                .help("check the bounds of the conditions against each other, the trigger and the rules above");
            let inlined: Vec<Ir> = conditions
                .iter()
                .map(|c| inline_lets(&c.expr, lets))
                .collect();
            let refs: Vec<&Ir> = inlined.iter().collect();
            for (span, label) in
                conflicting(logic, guards, &refs, "cannot hold with the others marked")
            {
                f.related(span, label);
            }
        }
    }
    let fail_never = before.and(logic, &all.not()).unsat();
    if fail_never && claim_fail {
        if !all_always {
            let name = &d.outcomes[fail.outcome as usize].name;
            cx.report(
                &registry::UNREACHABLE_OUTCOME,
                fail.span,
                format!("`{name}` is never reached: every condition always holds here"),
            )
            .label("never reached")
            .help("the trigger or the rules above already guarantee these conditions; remove them or fix their bounds");
        }
    } else {
        for (c, f) in conditions.iter().zip(&cs) {
            if is_flagged(flagged, c.expr.span, true) {
                continue;
            }
            if before.and(logic, &f.not()).unsat() {
                let culprits = culprits(logic, guards, &f.not());
                let fnd = cx
                    .report(
                        &registry::UNUSED_REASON,
                        c.reason_span,
                        format!(
                            "the reason `{}` is never given",
                            d.reasons[c.reason as usize]
                        ),
                    )
                    .label("never given")
                    .related(c.expr.span, "this condition always holds here")
                    .help("the trigger or the rules above already guarantee the condition; remove it, or fix what it tests");
                for g in culprits {
                    fnd.related(g.span, g.label);
                }
            }
        }
    }
    match each {
        None => all,
        Some(_) => logic.per_item(span),
    }
}

/// The outcome a rule gives first (for a `require`, its pass outcome).
fn first_outcome(arm: &ArmIr, d: &DecisionIr) -> (Span, String) {
    let o = match arm {
        ArmIr::If { outcome, .. } | ArmIr::Else { outcome, .. } => outcome,
        ArmIr::Require { pass, fail, .. } => pass.as_ref().unwrap_or(fail),
    };
    (o.span, d.outcomes[o.outcome as usize].name.to_string())
}

/// The parts of `conditions` (split at `and`) and the guards that no input
/// meets together, as few as can be: where the contradiction is. Each part
/// of a condition is marked with `label`.
fn conflicting(
    logic: &mut Logic,
    guards: &[Guard],
    conditions: &[&Ir],
    label: &str,
) -> Vec<(Span, String)> {
    let mut parts: Vec<(Formula, (Span, String))> = Vec::new();
    for c in conditions {
        for part in conjuncts(c) {
            let f = logic.formula(part);
            parts.push((f, (part.span, label.to_string())));
        }
    }
    let all = Formula::and(parts.iter().map(|(f, _)| f.clone()).collect());
    let from = search_from(logic, guards, &all);
    parts.extend(
        from.iter()
            .map(|g| (g.formula.clone(), (g.span, g.label.to_string()))),
    );
    causes::core(logic, &Formula::Const(true), &parts)
}

/// The guards to look for the fewest among: the nearest that, with
/// `rest`, exclude every input (else all of them), found by conjoining
/// guards from the nearest back. The search drops the farthest guards
/// first, as long as the rest still exclude every input, so with
/// `rest` of one part it keeps the same guards either way (with more, it
/// may keep another part of `rest`); but it costs the square of the
/// guards it starts from, once per finding.
fn search_from<'g>(logic: &Logic, guards: &'g [Guard], rest: &Formula) -> &'g [Guard] {
    let mut nearest = Normal::all().and(logic, rest);
    for (i, g) in guards.iter().enumerate().rev() {
        nearest = nearest.and(logic, &g.formula);
        if nearest.unsat() {
            return &guards[i..];
        }
    }
    guards
}

/// The parts of a condition joined by `and`.
fn conjuncts(ir: &Ir) -> Vec<&Ir> {
    match &ir.kind {
        IrKind::Binary(BinOp::And, a, b) => {
            let mut out = conjuncts(a);
            out.extend(conjuncts(b));
            out
        }
        _ => vec![ir],
    }
}

/// The fewest guards that, with `cond`, no input meets.
fn culprits<'g>(logic: &Logic, guards: &'g [Guard], cond: &Formula) -> Vec<&'g Guard> {
    let from: Vec<(Formula, &Guard)> = search_from(logic, guards, cond)
        .iter()
        .map(|g| (g.formula.clone(), g))
        .collect();
    causes::core(logic, cond, &from)
}

/// How many of the nearest earlier rules about the same values a rule is
/// compared with for overlaps (`OVERLAPPING_RULES` in the registry says how
/// many; a test keeps the two equal).
const OVERLAP_WINDOW: usize = 32;

/// Report a rule that partly overlaps an earlier one about the same values.
fn overlaps(
    cx: &mut Cx,
    logic: &Logic,
    same: &[SeenIf],
    cond: &Formula,
    outcome: &str,
    span: Span,
) {
    // Only the nearest OVERLAP_WINDOW earlier rules about the same values,
    // first to last: comparing every pair cost the square of the rules.
    for s in &same[same.len().saturating_sub(OVERLAP_WINDOW)..] {
        if s.outcome == outcome {
            continue;
        }
        let earlier = s.before.and(logic, &s.cond);
        let both = earlier.and(logic, cond);
        // Inputs that meet only the later rule exist: it is reachable (the
        // caller checks it).
        if !both.unsat() && !earlier.and(logic, &cond.not()).unsat() {
            let (line, _) = cx.source.line_col(s.span.start);
            cx.report(
                &registry::OVERLAPPING_RULES,
                span,
                format!(
                    "this rule overlaps the rule at line {line}: inputs that meet both get `{}`, not `{outcome}`",
                    s.outcome
                ),
            )
            .label("overlaps an earlier rule")
            .related(s.span, format!("this rule decides the overlap: `{}`", s.outcome))
            .help("make the bounds meet without overlapping (`<` in one rule, `>=` in the other), or say in one rule which outcome the overlap gets");
            return;
        }
    }
}

/// What a bound is compared against: a parameter, or a literal value
/// compared with one particular expression.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Threshold {
    Param(u32),
    Literal(String, String),
}

/// A comparison with a threshold: where, how, and in which rule.
type Seen = (Span, Cmp, usize);

/// Where each threshold was seen counting its own value as above the bound
/// (`x < T`, `x >= T`) and as below it (`x <= T`, `x > T`), and in which
/// rule: within one condition, `x > T or x < T` is deliberate.
#[derive(Default)]
struct Bounds {
    seen: HashMap<Threshold, [Vec<Seen>; 2]>,
    reported: Vec<Threshold>,
    /// The top-level expression (trigger, condition, field) being walked.
    rule: usize,
}

impl Bounds {
    fn see(&mut self, cx: &mut Cx, ir: &Ir) {
        let IrKind::Binary(op, a, b) = &ir.kind else {
            return;
        };
        let Some(cmp) = Cmp::from_op(*op) else {
            return;
        };
        if matches!(cmp, Cmp::Eq | Cmp::Ne) {
            return;
        }
        let (threshold, cmp, bound) = match (threshold(b, a), threshold(a, b)) {
            (Some(t), _) => (t, cmp, b),
            (None, Some(t)) => (t, cmp.flip(), a),
            (None, None) => return,
        };
        let side = usize::from(matches!(cmp, Cmp::Le | Cmp::Gt));
        let rule = self.rule;
        let entry = self.seen.entry(threshold.clone()).or_default();
        entry[side].push((ir.span, cmp, rule));
        let Some(&(other_span, other_cmp, _)) = entry[1 - side].iter().find(|o| o.2 != rule) else {
            return;
        };
        if self.reported.contains(&threshold) {
            return;
        }
        self.reported.push(threshold.clone());
        let name = match (&threshold, &bound.kind) {
            (Threshold::Param(p), _) => format!("`{}`", cx.program.params[*p as usize].name),
            (Threshold::Literal(..), IrKind::Const(v)) => format!("`{}`", cx.show(v)),
            (Threshold::Literal(..), _) => "the bound".to_string(),
        };
        let (line, _) = cx.source.line_col(other_span.start);
        cx.report(
            &registry::SUSPICIOUS_BOUNDS,
            ir.span,
            format!(
                "{name} is compared with `{}` here but with `{}` at line {line}",
                symbol(cmp),
                symbol(other_cmp)
            ),
        )
        .label(if side == 1 {
            "a value equal to the bound counts as below it"
        } else {
            "a value equal to the bound counts as above it"
        })
        .related(other_span, "here it counts on the other side")
        .help("a value exactly at the bound is treated differently by the two rules; use `<` with `>=`, or `<=` with `>`, for the same bound");
    }
}

fn symbol(c: Cmp) -> &'static str {
    match c {
        Cmp::Eq => "==",
        Cmp::Ne => "!=",
        Cmp::Lt => "<",
        Cmp::Le => "<=",
        Cmp::Gt => ">",
        Cmp::Ge => ">=",
    }
}

/// `side` as a threshold compared with `other`: a parameter, `x ± parameter`,
/// or a literal.
fn threshold(side: &Ir, other: &Ir) -> Option<Threshold> {
    match &side.kind {
        IrKind::Param(p) => Some(Threshold::Param(*p)),
        IrKind::Binary(BinOp::Add | BinOp::Sub, x, y) => match (&x.kind, &y.kind) {
            (_, IrKind::Param(p)) if !matches!(x.kind, IrKind::Param(_) | IrKind::Const(_)) => {
                Some(Threshold::Param(*p))
            }
            (IrKind::Param(p), _) if !matches!(y.kind, IrKind::Param(_) | IrKind::Const(_)) => {
                Some(Threshold::Param(*p))
            }
            _ => None,
        },
        IrKind::Const(v) if !matches!(other.kind, IrKind::Const(_) | IrKind::Param(_)) => {
            Some(Threshold::Literal(key(other), format!("{v:?}")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lint_entry_says_how_many_earlier_rules_are_compared() {
        let what = super::registry::OVERLAPPING_RULES.what;
        let said = format!("the {} nearest", super::OVERLAP_WINDOW);
        assert!(what.contains(&said), "{what}");
    }
}
