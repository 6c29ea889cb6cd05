//! Decisions: outcomes, arms, the order they are evaluated in.

use std::collections::HashMap;
use std::sync::Arc;

use super::expr::Scope;
use super::Checker;
use crate::ast::{self, Arm, ExprKind, Stmt};
use crate::program::*;
use crate::source::Span;
use crate::types::Type;

/// Outcome names every decision may have without declaring them.
pub(crate) const BUILT_IN_OUTCOMES: [&str; 2] = ["not_applicable", "undetermined"];
/// Field names the output reserves.
const RESERVED_FIELDS: [&str; 4] = ["outcome", "reasons", "missing_facts", "error"];

impl Checker<'_> {
    pub(crate) fn decisions(&mut self, policy: &ast::Policy) {
        // Names and outcomes first, so decisions may use those declared later.
        for (i, d) in policy.decisions.iter().enumerate() {
            if let Some(&prev) = self.decision_by_name.get(&d.name.node) {
                let first = policy.decisions[prev].name.span;
                self.declared_twice("decision", &d.name.node, d.name.span, first);
            } else if self.facts.find(&d.name.node).is_some()
                || self.param_by_name.contains_key(&d.name.node)
            {
                self.error(
                    "vouch::check::duplicate_name",
                    d.name.span,
                    format!("`{}` already names a fact or parameter", d.name.node),
                )
                .help("give the decision a name of its own");
            } else {
                self.decision_by_name.insert(d.name.node.clone(), i);
            }
            let mut names: Vec<String> = Vec::new();
            for stmt in &d.body {
                if let Stmt::Arm(arm) = stmt {
                    for o in arm.outcomes() {
                        if !names.contains(&o.name.node) {
                            names.push(o.name.node.clone());
                        }
                    }
                }
            }
            self.decision_outcomes.push(names);
            self.decisions.push(None);
        }
        self.decision_state = vec![0; policy.decisions.len()];
        // Those a decision uses are checked first, in an order found without
        // recursion: a chain of thousands of decisions must not nest the
        // checker thousands deep.
        for i in self.dependency_order(policy) {
            self.ensure_decision(i, None);
        }
    }

    /// Every decision after those it names; with a circle, the order of the
    /// file, so that the check reports the circle where it starts.
    fn dependency_order(&self, policy: &ast::Policy) -> Vec<usize> {
        let uses: Vec<Vec<usize>> = (policy.decisions.iter())
            .map(|d| {
                let mut used = Vec::new();
                d.walk_exprs(&mut |e| {
                    if let ExprKind::Path(p) = &e.node {
                        let head = p.split('.').next().unwrap_or(p);
                        if let Some(&u) = self.decision_by_name.get(head) {
                            used.push(u);
                        }
                    }
                });
                used
            })
            .collect();
        let mut order = Vec::with_capacity(uses.len());
        let mut seen = vec![false; uses.len()];
        let mut open = vec![false; uses.len()];
        for root in 0..uses.len() {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            open[root] = true;
            let mut stack = vec![(root, 0usize)];
            while let Some((d, next)) = stack.last_mut() {
                match uses[*d].get(*next) {
                    Some(&u) => {
                        *next += 1;
                        if open[u] {
                            return (0..uses.len()).collect();
                        }
                        if !seen[u] {
                            seen[u] = true;
                            open[u] = true;
                            stack.push((u, 0));
                        }
                    }
                    None => {
                        open[*d] = false;
                        order.push(*d);
                        stack.pop();
                    }
                }
            }
        }
        order
    }

    /// Check decision `i` (and, first, those it uses), unless done already;
    /// `used_at` is the use that asks for it, if a decision being checked
    /// reads it.
    pub(crate) fn ensure_decision(&mut self, i: usize, used_at: Option<Span>) {
        let policy = self.policy;
        match self.decision_state[i] {
            2 => return,
            1 => {
                let at = self
                    .decision_stack
                    .iter()
                    .position(|&s| s == i)
                    .unwrap_or(0);
                let cycle: Vec<usize> = self.decision_stack[at..].to_vec();
                let names: Vec<&str> = cycle
                    .iter()
                    .map(|&c| policy.decisions[c].name.node.as_str())
                    .collect();
                let first = &policy.decisions[i];
                let message = format!(
                    "decisions depend on each other in a circle: {} → {}",
                    names.join(" → "),
                    names[0]
                );
                // Point at the use that closes the circle: that is where
                // it can be cut.
                let user = self.decision_stack.last().map(|&u| &policy.decisions[u]);
                let at = used_at.unwrap_or(first.name.span);
                let f = self.error("vouch::check::cycle", at, message);
                if let (Some(user), Some(_)) = (user, used_at) {
                    f.label(format!(
                        "`{}` uses `{}` here, closing the circle",
                        user.name.node, first.name.node
                    ))
                    .related(
                        first.name.span,
                        format!("`{}` is declared here", first.name.node),
                    );
                }
                f.help("a decision may only use decisions that do not use it back");
                return;
            }
            _ => {}
        }
        let d = &policy.decisions[i];
        if self.decision_by_name.get(&d.name.node) != Some(&i) {
            self.decision_state[i] = 2;
            return;
        }
        if self.decision_stack.len() >= crate::syntax::nesting::MAX_NESTING {
            // Only a circle through this many decisions gets here: the
            // order above checks what a decision uses before it.
            if !self
                .findings
                .iter()
                .any(|f| f.code == "vouch::check::cycle")
            {
                self.error(
                    "vouch::check::cycle",
                    d.name.span,
                    "decisions depend on each other in a circle too long to show",
                )
                .help("a decision may only use decisions that do not use it back");
            }
            return;
        }
        self.decision_state[i] = 1;
        self.decision_stack.push(i);
        self.deps_stack.push(Vec::new());
        let ir = self.decision(d);
        let deps = self.deps_stack.pop().unwrap_or_default();
        self.decision_stack.pop();
        self.decision_state[i] = 2;
        self.decisions[i] = ir.map(|mut ir| {
            ir.deps = deps;
            ir
        });
        self.order.push(i);
    }

    /// Record that the decision being checked uses decision `d`.
    pub(crate) fn note_dependency(&mut self, d: usize, at: Span) {
        self.ensure_decision(d, Some(at));
        if let Some(deps) = self.deps_stack.last_mut() {
            if !deps.contains(&d) {
                deps.push(d);
            }
        }
    }

    fn decision(&mut self, d: &ast::Decision) -> Option<DecisionIr> {
        let errors_before = self.findings.len();
        let mut scope = Scope::default();
        self.cite(d.cite.as_ref());
        let trigger = d.trigger.as_ref().and_then(|t| self.trigger(t, &mut scope));
        let mut lets: Vec<LetIr> = Vec::new();
        let mut arms = Vec::new();
        let mut outcomes: Vec<OutcomeInfo> = Vec::new();
        let mut reasons: Vec<Arc<str>> = Vec::new();
        let mut total_at: Option<Span> = None;
        for stmt in &d.body {
            if let Some(prev) = total_at {
                self.after_last_rule(stmt, prev);
                break;
            }
            match stmt {
                Stmt::Let(name, e) => self.let_stmt(name, e, &mut scope, &mut lets),
                Stmt::Arm(Arm::If {
                    cond,
                    outcome,
                    cite,
                    span,
                }) => {
                    self.cite(cite.as_ref());
                    let c_ir = self.expr(cond, Some(&Type::Bool), &scope);
                    if let Some(ref i) = c_ir {
                        self.want_bool(i);
                    }
                    let mut inner = scope.clone();
                    inner.narrowed.extend(self.narrowings(cond, true, &scope));
                    let o = self.outcome(outcome, &inner, &mut outcomes);
                    scope.narrowed.extend(self.narrowings(cond, false, &scope));
                    if let (Some(cond), Some(outcome)) = (c_ir, o) {
                        arms.push(ArmIr::If {
                            cond,
                            outcome,
                            span: *span,
                        });
                    }
                }
                Stmt::Arm(Arm::Require {
                    each,
                    conditions,
                    pass,
                    fail,
                    cite,
                    span,
                }) => {
                    let parts = (&mut lets, &mut arms, &mut outcomes, &mut reasons);
                    let arm = (each.as_deref(), &conditions[..], pass.as_ref(), fail, *span);
                    if self.require(arm, cite.as_ref(), &mut scope, parts) {
                        total_at = Some(*span);
                    }
                }
                Stmt::Arm(Arm::Else {
                    outcome,
                    cite,
                    span,
                }) => {
                    self.cite(cite.as_ref());
                    total_at = Some(*span);
                    if let Some(outcome) = self.outcome(outcome, &scope, &mut outcomes) {
                        arms.push(ArmIr::Else {
                            outcome,
                            span: *span,
                        });
                    }
                }
            }
        }
        if total_at.is_none() {
            self.no_fallback(d);
        }
        if self.findings.len() > errors_before {
            return None;
        }
        Some(DecisionIr {
            name: d.name.node.as_str().into(),
            span: d.name.span,
            trigger,
            lets,
            arms,
            outcomes,
            reasons,
            deps: Vec::new(),
        })
    }

    /// A decision whose rules may all fail: no outcome for some inputs.
    fn no_fallback(&mut self, d: &ast::Decision) {
        let end = Span::new(d.span.end.saturating_sub(1), d.span.end);
        self.error(
            "vouch::check::no_fallback",
            end,
            format!("the decision `{}` may reach no outcome", d.name.node),
        )
        .label("no rule always decides before here")
        .help("end it with `else => OUTCOME`, or give the last `require` a `=> OUTCOME`");
    }

    /// A statement after the rule that always decides: an error, with a fix
    /// that removes an `else` there.
    fn after_last_rule(&mut self, stmt: &Stmt, prev: Span) {
        let span = match stmt {
            Stmt::Let(n, _) => n.span,
            Stmt::Arm(a) => a.span(),
        };
        self.error(
            "vouch::check::unreachable",
            span,
            "nothing after this decision's last rule can be reached",
        )
        .related(prev, "this rule always decides")
        .help("remove it, or move it above the rule that always decides");
        if let Stmt::Arm(Arm::Else { span, .. }) = stmt {
            let lines = whole_lines(&self.source.text, *span);
            let f = self.findings.last_mut().expect("just reported");
            f.fix("remove the `else` that cannot be reached", lines, "", true);
        }
    }

    /// `let NAME = EXPR`: a new name in scope for what follows.
    fn let_stmt(
        &mut self,
        name: &crate::source::Name,
        e: &crate::ast::Expr,
        scope: &mut Scope,
        lets: &mut Vec<LetIr>,
    ) {
        if scope.lets.iter().any(|(n, _, _)| *n == name.node)
            || self.param_by_name.contains_key(&name.node)
        {
            self.error(
                "vouch::check::duplicate_name",
                name.span,
                format!("`{}` is already defined", name.node),
            )
            .help("give the `let` a name of its own");
            return;
        }
        let Some(ir) = self.expr(e, None, scope) else {
            scope.poisoned.push(name.node.clone());
            return;
        };
        let id = lets.len() as u32;
        scope.lets.push((name.node.clone(), ir.ty.clone(), id));
        lets.push(LetIr {
            name: name.node.clone(),
            expr: ir,
        });
    }

    /// Check a `require` rule, adding its lets, arm, outcomes and reasons;
    /// `scope` becomes what holds after it. Whether it always decides.
    #[allow(clippy::type_complexity)]
    fn require(
        &mut self,
        (each, conditions, pass, fail, span): (
            Option<&ast::Each>,
            &[ast::Condition],
            Option<&ast::Outcome>,
            &ast::Outcome,
            Span,
        ),
        cite: Option<&ast::Cite>,
        scope: &mut Scope,
        (lets, arms, outcomes, reasons): (
            &mut Vec<LetIr>,
            &mut Vec<ArmIr>,
            &mut Vec<OutcomeInfo>,
            &mut Vec<Arc<str>>,
        ),
    ) -> bool {
        let mut always = false;
        self.cite(cite);
        let mut irs = Vec::new();
        let mut pass_scope = scope.clone();
        // Per item, the conditions see the item; nothing they
        // learn about it holds after the `require`.
        let (mut each_ir, cond_scope) = match each {
            Some(ea) => match self.item_list(&ea.list, scope) {
                Some((list, item)) => {
                    let mut inner = scope.clone();
                    let var = inner.vars.len() as u32;
                    inner.vars.push((ea.var.node.clone(), item));
                    let any = ea.quantifier == ast::Quantifier::Any;
                    (Some(EachIr::new(any, var, list)), inner)
                }
                None => return false,
            },
            None => (None, scope.clone()),
        };
        for c in conditions {
            self.cite(c.cite.as_ref());
            let Some(ir) = self.expr(&c.expr, Some(&Type::Bool), &cond_scope) else {
                continue;
            };
            if self.want_bool(&ir).is_none() {
                continue;
            }
            if each_ir.is_none() {
                pass_scope
                    .narrowed
                    .extend(self.narrowings(&c.expr, true, scope));
            }
            let reason = match reasons.iter().position(|r| **r == c.reason.node) {
                Some(i) => i as u32,
                None => {
                    reasons.push(c.reason.node.as_str().into());
                    (reasons.len() - 1) as u32
                }
            };
            irs.push(ConditionIr {
                expr: ir,
                reason,
                reason_span: c.reason.span,
                span: c.span,
            });
        }
        // `as NAME`: the items meeting every condition, as a `let`.
        if let (Some(ea), Some(ei)) = (each, &mut each_ir) {
            if let Some(keep) = &ea.keep {
                let expr = kept_items(ei, &irs, keep.span);
                let id = lets.len() as u32;
                ei.keep = Some(id);
                pass_scope
                    .lets
                    .push((keep.node.clone(), expr.ty.clone(), id));
                lets.push(LetIr {
                    name: keep.node.clone(),
                    expr,
                });
            }
        }
        // Pass before fail: outcomes are numbered in the order they are written.
        let pass_ir = match pass {
            Some(p) => {
                always = true;
                Some(self.outcome(p, &pass_scope, outcomes))
            }
            None => None,
        };
        let fail_ir = self.outcome(fail, scope, outcomes);
        *scope = pass_scope;
        if let (Some(fail), Some(pass)) = (fail_ir, pass_ir.map_or(Some(None), |p| p.map(Some))) {
            arms.push(ArmIr::Require {
                each: each_ir,
                conditions: irs,
                pass,
                fail,
                span,
            });
        }
        always
    }

    /// A decision's trigger: checked as a condition; what it proves narrows
    /// the decision's scope.
    fn trigger(&mut self, t: &crate::ast::Expr, scope: &mut Scope) -> Option<Ir> {
        let ir = self.expr(t, Some(&Type::Bool), scope)?;
        self.want_bool(&ir);
        let narrowed = self.narrowings(t, true, scope);
        scope.narrowed.extend(narrowed);
        Some(ir)
    }

    /// An outcome field's name: not one vouch gives itself, not given twice.
    fn field_name_ok<'n>(
        &mut self,
        name: &'n crate::source::Name,
        seen: &mut HashMap<&'n str, Span>,
    ) -> bool {
        if RESERVED_FIELDS.contains(&name.node.as_str()) {
            let help = if name.node == "reasons" {
                "`reasons` is filled in by `require … else OUTCOME` from the conditions that failed"
            } else {
                "choose another field name"
            };
            self.error(
                "vouch::check::reserved_name",
                name.span,
                format!("the field `{}` is given by vouch itself", name.node),
            )
            .help(help);
            return false;
        }
        if let Some(first) = seen.insert(&name.node, name.span) {
            self.error(
                "vouch::check::duplicate_name",
                name.span,
                format!("the field `{}` is given twice", name.node),
            )
            .related(first, "first given here");
            return false;
        }
        true
    }

    /// An outcome reached again gives the same fields as where it was
    /// first reached; otherwise an error and `None`.
    fn same_fields(&mut self, o: &ast::Outcome, info: &OutcomeInfo, mine: &[&str]) -> Option<()> {
        let theirs: Vec<&str> = info.fields.iter().map(|(n, _)| &**n).collect();
        let extra = mine
            .iter()
            .find(|n| !theirs.contains(n))
            .or(theirs.iter().find(|n| !mine.contains(n)));
        let Some(extra) = extra else {
            return Some(());
        };
        self.error(
            "vouch::check::field_mismatch",
            o.span,
            format!(
                "`{}` has the field `{extra}` in one rule but not in another",
                o.name.node
            ),
        )
        .related(info.span, "defined differently here")
        .help("give an outcome the same fields wherever it is reached");
        None
    }

    fn outcome(
        &mut self,
        o: &ast::Outcome,
        scope: &Scope,
        outcomes: &mut Vec<OutcomeInfo>,
    ) -> Option<OutcomeIr> {
        if BUILT_IN_OUTCOMES.contains(&o.name.node.as_str()) {
            self.error("vouch::check::reserved_name", o.name.span, format!("`{}` is given by vouch itself", o.name.node))
                .help("`not_applicable` comes from the trigger and `undetermined` from missing facts; choose another outcome name");
            return None;
        }
        let mut fields = Vec::new();
        let mut typed: Vec<(Arc<str>, Type, Span)> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let known = outcomes.iter().position(|x| *x.name == o.name.node);
        // A field already reported as wrong is not reported again as missing.
        let mut failed = false;
        for (name, e) in &o.fields {
            if !self.field_name_ok(name, &mut seen) {
                failed = true;
                continue;
            }
            let want = known.and_then(|k| {
                outcomes[k]
                    .fields
                    .iter()
                    .find(|(n, _)| **n == name.node)
                    .map(|(_, t)| t.clone())
            });
            let Some(ir) = self.expr(e, want.as_ref(), scope) else {
                failed = true;
                continue;
            };
            if let Some(w) = &want {
                if !ir.ty.fits(w) {
                    failed = true;
                    let (x, y) = (self.show(w), self.show(&ir.ty));
                    let first = outcomes[known.unwrap_or(0)].span;
                    self.error(
                        "vouch::check::field_type",
                        e.span,
                        format!(
                            "the field `{}` of `{}` is {x} elsewhere but {y} here",
                            name.node, o.name.node
                        ),
                    )
                    .label(format!("this is {y}"))
                    .related(first, format!("`{}` first defined here", o.name.node));
                    continue;
                }
            }
            typed.push((name.node.as_str().into(), ir.ty.clone(), name.span));
            fields.push((name.node.clone(), ir));
        }
        if failed {
            return None;
        }
        let index = match known {
            Some(k) => {
                let mine: Vec<&str> = typed.iter().map(|(n, _, _)| &**n).collect();
                self.same_fields(o, &outcomes[k], &mine)?;
                k
            }
            None => {
                outcomes.push(OutcomeInfo {
                    name: o.name.node.as_str().into(),
                    fields: typed
                        .iter()
                        .map(|(n, t, _)| (n.clone(), t.clone()))
                        .collect(),
                    span: o.span,
                });
                outcomes.len() - 1
            }
        };
        let info = &outcomes[index];
        let fields = fields
            .into_iter()
            .map(|(n, ir)| {
                (
                    info.fields.iter().position(|(f, _)| **f == n).unwrap_or(0) as u32,
                    ir,
                )
            })
            .collect();
        Some(OutcomeIr {
            outcome: index as u32,
            fields,
            span: o.span,
        })
    }
}

/// `filter(item in LIST, C1 and C2 and …)`: the items meeting every condition.
fn kept_items(each: &EachIr, conditions: &[ConditionIr], span: Span) -> Ir {
    let all = conditions
        .iter()
        .map(|c| c.expr.clone())
        .reduce(|a, b| Ir {
            span: a.span.to(b.span),
            kind: IrKind::Binary(crate::ast::BinOp::And, Box::new(a), Box::new(b)),
            ty: Type::Bool,
        })
        .unwrap_or(Ir {
            kind: IrKind::Const(crate::types::Value::Bool(true)),
            ty: Type::Bool,
            span,
        });
    Ir {
        ty: each.list.ty.clone(),
        kind: IrKind::Each {
            func: EachFunc::Filter,
            var: each.var,
            list: Box::new(each.list.clone()),
            body: Box::new(all),
        },
        span,
    }
}

/// Where a decision first names an outcome.
pub(crate) fn outcome_declaration(d: &ast::Decision, outcome: &str) -> Option<Span> {
    d.body
        .iter()
        .filter_map(|s| match s {
            Stmt::Arm(arm) => Some(arm.outcomes()),
            Stmt::Let(..) => None,
        })
        .flatten()
        .find(|o| o.name.node == outcome)
        .map(|o| o.name.span)
}

/// Where a decision first gives a field of an outcome.
pub(crate) fn field_declaration(d: &ast::Decision, field: &str) -> Option<Span> {
    d.body
        .iter()
        .filter_map(|s| match s {
            Stmt::Arm(arm) => Some(arm.outcomes()),
            Stmt::Let(..) => None,
        })
        .flatten()
        .flat_map(|o| &o.fields)
        .find(|(n, _)| n.node == field)
        .map(|(n, _)| n.span)
}

/// The lines a span covers, with the end of the last: what removing a
/// statement written on lines of its own removes.
fn whole_lines(text: &str, span: Span) -> Span {
    let start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
    let start = if text[start..span.start].trim().is_empty() {
        start
    } else {
        span.start
    };
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |n| span.end + n + 1);
    let end = if text[span.end..end].trim().is_empty() {
        end
    } else {
        span.end
    };
    Span::new(start, end)
}
