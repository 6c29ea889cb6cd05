//! Why a condition is constant, or a trigger never holds, and the lint that
//! says so best: the parameters alone (`constant-condition`), a value
//! compared with itself (`self-comparison`), money that cannot be negative
//! (`money-never-negative`), or what another decision's outcome implies
//! (`and-for-or`, `trigger-contradicts-outcome`).

use super::logic::{inline_lets, Formula, Knowledge, Logic};
use super::{registry, Cx};
use crate::ast::BinOp;
use crate::program::{ArmIr, Ir, IrKind, Program};
use crate::source::Span;

/// The one piece of knowledge that makes a condition constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cause {
    /// The constants and parameters alone, or several pieces together.
    Plain,
    Itself,
    Money,
    Outcomes,
}

/// Whether `ir` is constant (`never`: never holds; else always) knowing
/// only `k`.
fn constant_knowing(program: &Program, k: Knowledge, ir: &Ir, never: bool) -> bool {
    let mut logic = Logic::knowing(program, k);
    let f = logic.formula(ir);
    if never {
        logic.unsat(&f)
    } else {
        logic.unsat(&f.not())
    }
}

/// Which piece of knowledge makes `ir` constant.
pub(super) fn cause(program: &Program, ir: &Ir, never: bool) -> Cause {
    let none = Knowledge::NONE;
    if constant_knowing(program, none, ir, never) {
        return Cause::Plain;
    }
    let pieces = [
        (
            Knowledge {
                itself: true,
                ..none
            },
            Cause::Itself,
        ),
        (
            Knowledge {
                money: true,
                ..none
            },
            Cause::Money,
        ),
        (
            Knowledge {
                outcomes: true,
                ..none
            },
            Cause::Outcomes,
        ),
    ];
    pieces
        .into_iter()
        .find(|(k, _)| constant_knowing(program, *k, ir, never))
        .map_or(Cause::Plain, |(_, c)| c)
}

/// Report a condition that is constant, with the lint its cause calls for.
pub(super) fn report_constant(cx: &mut Cx, ir: &Ir, never: bool) {
    let holds = if never { "never holds" } else { "always holds" };
    let mut tests = outcome_tests(cx.program, ir);
    match cause(cx.program, ir, never) {
        Cause::Itself => {
            cx.report(
                &registry::SELF_COMPARISON,
                ir.span,
                format!("this compares a value with itself, so it {holds}"),
            )
            .label("the same value on both sides")
            .help("a value equals itself: one side was meant to read another fact (`order.placed_at`, not `after_sale.requested_at`)");
        }
        Cause::Money => {
            cx.report(
                &registry::MONEY_NEVER_NEGATIVE,
                ir.span,
                format!("an amount in the facts is never below ¥0, so this {holds}"),
            )
            .label("tests for a negative amount")
            .help("facts refuse negative money: test `> ¥0` for a positive amount, or remove the test");
        }
        Cause::Outcomes if never && is_and(ir) && !or_is_constant(cx.program, ir) => {
            tests.extend(guaranteed(cx.program, ir));
            let f = cx
                .report(
                    &registry::AND_FOR_OR,
                    ir.span,
                    "this can never hold: one side rules out what the other's decision outcome requires",
                )
                .label("never true")
                .help("did you mean `or`? an outcome of a decision holds only on the inputs its rules give it");
            for (span, text) in tests {
                f.related(span, text);
            }
        }
        cause => {
            let (message, label, help) = if never {
                ("this condition can never hold", "never true", "no input makes it true, so what it guards never happens; check its bounds and the parameters it reads")
            } else {
                ("this condition always holds", "always true", "no input makes it false, so it decides nothing, and rules after it may never be reached; check its bounds and the parameters it reads")
            };
            let f = cx
                .report(&registry::CONSTANT_CONDITION, ir.span, message)
                .label(label)
                .help(help);
            if cause == Cause::Outcomes {
                for (span, text) in tests {
                    f.related(span, text);
                }
            }
            cx.note_params(ir);
        }
    }
}

fn is_and(ir: &Ir) -> bool {
    matches!(ir.kind, IrKind::Binary(BinOp::And, ..))
}

/// Whether `a or b` would be constant too: then `or` is no fix.
fn or_is_constant(program: &Program, ir: &Ir) -> bool {
    let IrKind::Binary(BinOp::And, a, b) = &ir.kind else {
        return true;
    };
    let mut logic = Logic::new(program);
    let f = Formula::or(vec![logic.formula(a), logic.formula(b)]);
    logic.unsat(&f) || logic.unsat(&f.not())
}

/// The outcome tests in a condition, each with what it stands for.
fn outcome_tests(program: &Program, ir: &Ir) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    ir.walk(&mut |e| {
        if let IrKind::DecisionIs { decision, outcome } = e.kind {
            let d = &program.decisions[decision];
            let name = outcome.map_or("not_applicable".into(), |o| {
                d.outcomes[o as usize].name.to_string()
            });
            out.push((
                e.span,
                format!(
                    "`{}` is `{name}` only on the inputs its rules give it",
                    d.name
                ),
            ));
        }
    });
    out
}

/// Report a trigger that never holds: `trigger-contradicts-outcome` when
/// only the outcome it asks for rules it out, else `unreachable-decision`.
pub(super) fn report_unreachable_trigger(cx: &mut Cx, d: usize, trigger: &Ir) {
    let program = cx.program;
    let decision = &program.decisions[d];
    if cause(program, trigger, true) != Cause::Outcomes {
        cx.report(
            &registry::UNREACHABLE_DECISION,
            decision.span,
            format!("the decision `{}` never applies", decision.name),
        )
        .label("its trigger never holds")
        .related(trigger.span, "no input meets this trigger")
        .help("every case gets `not_applicable`; check the trigger's conditions and the outcomes of the decisions it reads");
        cx.note_params(trigger);
        return;
    }
    let needs = guaranteed(program, trigger);
    let f = cx
        .report(
            &registry::TRIGGER_CONTRADICTS_OUTCOME,
            trigger.span,
            format!(
                "the decision `{}` never applies: its trigger asks for an outcome together with what that outcome rules out",
                decision.name
            ),
        )
        .label("never holds")
        .help("an outcome holds only on the inputs its rules give it; drop the test it already guarantees the opposite of, or test another outcome");
    for (span, text) in outcome_tests(program, trigger) {
        f.related(span, text);
    }
    for (span, text) in needs {
        f.related(span, text);
    }
}

/// The conditions of the decisions a condition tests the outcomes of that
/// the rest of it contradicts: what the outcome guarantees, and the
/// condition denies.
fn guaranteed(program: &Program, condition: &Ir) -> Vec<(Span, String)> {
    let mut plain = Logic::knowing(program, Knowledge::NONE);
    let rest = plain.formula(condition);
    let mut out = Vec::new();
    let mut tests = Vec::new();
    condition.walk(&mut |e| {
        if let IrKind::DecisionIs {
            decision,
            outcome: Some(o),
        } = e.kind
        {
            tests.push((decision, o));
        }
    });
    for (decision, o) in tests {
        let d = &program.decisions[decision];
        let name = &d.outcomes[o as usize].name;
        let mut lets: Vec<Ir> = Vec::new();
        for l in &d.lets {
            let inlined = inline_lets(&l.expr, &lets);
            lets.push(inlined);
        }
        // (condition, whether the outcome needs it to hold or to fail)
        let mut conditions: Vec<(&Ir, bool)> = Vec::new();
        for arm in &d.arms {
            match arm {
                ArmIr::If { cond, outcome, .. } if outcome.outcome == o => {
                    conditions.push((cond, true));
                    break;
                }
                // Rules above that decide otherwise must not apply.
                ArmIr::If { cond, .. } => conditions.push((cond, false)),
                // Per item, the conditions speak of one item, not of the
                // decision's inputs: the outcome guarantees none of them.
                ArmIr::Require {
                    each: None,
                    conditions: cs,
                    pass: Some(p),
                    ..
                } if p.outcome == o => {
                    conditions.extend(cs.iter().map(|c| (&c.expr, true)));
                    break;
                }
                _ => break,
            }
        }
        for (c, holds) in conditions {
            let f = plain.formula(&inline_lets(c, &lets));
            let f = if holds { f } else { f.not() };
            if plain.unsat(&Formula::and(vec![rest.clone(), f])) {
                let when = if holds { "holds" } else { "fails" };
                out.push((
                    c.span,
                    format!("`{}` is `{name}` only when this {when}", d.name),
                ));
            }
        }
    }
    out
}

/// The fewest of `parts` that no input meets together with `fixed`:
/// deletion-based, so each part kept is needed for the contradiction.
pub(super) fn core<T: Clone>(logic: &Logic, fixed: &Formula, parts: &[(Formula, T)]) -> Vec<T> {
    let mut kept: Vec<(Formula, T)> = parts.to_vec();
    let mut i = 0;
    while i < kept.len() {
        let mut without = kept.clone();
        without.remove(i);
        let rest = without.iter().map(|(f, _)| f.clone());
        let f = Formula::and(std::iter::once(fixed.clone()).chain(rest).collect());
        if logic.unsat(&f) {
            kept = without;
        } else {
            i += 1;
        }
    }
    kept.into_iter().map(|(_, t)| t).collect()
}
