//! Expressions: name resolution and typing, producing [`Ir`].

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::{did_you_mean, Checker};
use crate::ast::{BinOp, Expr, ExprKind, Literal, UnOp};
use crate::program::{Builtin, Ir, IrKind};
use crate::source::Span;
use crate::types::{parse_money, parse_ratio, MoneyTextError, Type, Value};

/// What the names in an expression may refer to.
#[derive(Clone, Default)]
pub(crate) struct Scope {
    /// Parameters only: no facts, lets or decisions.
    pub constant: bool,
    pub lets: Vec<(String, Type, u32)>,
    /// Optional facts and lets known not to be none here.
    pub narrowed: Vec<NarrowKey>,
    /// Lets whose definitions were reported as wrong.
    pub poisoned: Vec<String>,
    /// Items bound by list functions and per-item `require`s, outermost first.
    pub vars: Vec<(String, Type)>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NarrowKey {
    Fact(u32),
    Let(u32),
}

impl Scope {
    pub fn constant() -> Scope {
        Scope {
            constant: true,
            ..Scope::default()
        }
    }

    fn with_narrowed(&self, keys: Vec<NarrowKey>) -> Scope {
        let mut s = self.clone();
        s.narrowed.extend(keys);
        s
    }
}

fn ir(kind: IrKind, ty: Type, e: &Expr) -> Option<Ir> {
    Some(Ir {
        kind,
        ty,
        span: e.span,
    })
}

impl Checker<'_> {
    /// Keys known to be not none when `e` evaluates to `when`.
    pub(crate) fn narrowings(&self, e: &Expr, when: bool, scope: &Scope) -> Vec<NarrowKey> {
        match &e.node {
            ExprKind::Is {
                subject,
                negated,
                what,
            } if what.node == "none" => {
                if *negated == when {
                    self.narrow_key(subject, scope).into_iter().collect()
                } else {
                    Vec::new()
                }
            }
            ExprKind::Binary(BinOp::And, a, b) if when => {
                let mut k = self.narrowings(a, true, scope);
                k.extend(self.narrowings(b, true, scope));
                k
            }
            ExprKind::Binary(BinOp::Or, a, b) if !when => {
                let mut k = self.narrowings(a, false, scope);
                k.extend(self.narrowings(b, false, scope));
                k
            }
            ExprKind::Unary(UnOp::Not, a) => self.narrowings(a, !when, scope),
            _ => Vec::new(),
        }
    }

    fn narrow_key(&self, e: &Expr, scope: &Scope) -> Option<NarrowKey> {
        let ExprKind::Path(p) = &e.node else {
            return None;
        };
        if let Some((_, _, id)) = scope.lets.iter().rev().find(|(n, _, _)| n == p) {
            return Some(NarrowKey::Let(*id));
        }
        let node = self.facts.find(p)?;
        self.facts.nodes[node as usize].leaf.map(NarrowKey::Fact)
    }

    fn mismatch(&mut self, e: &Expr, message: String, label: String) -> Option<Ir> {
        self.error("vouch::check::type_mismatch", e.span, message)
            .label(label);
        None
    }

    /// Check an expression, with the type the context expects if it knows one.
    // One piece: a match over every kind of expression, each arm short; splitting it would scatter the one place that says how each kind is typed.
    pub(crate) fn expr(&mut self, e: &Expr, expect: Option<&Type>, scope: &Scope) -> Option<Ir> {
        match &e.node {
            ExprKind::Lit(lit) => self.literal(e, lit, expect),
            ExprKind::Path(p) => self.path(e, p, expect, scope),
            ExprKind::Exists(path) => {
                if scope.constant {
                    self.error(
                        "vouch::check::not_constant",
                        e.span,
                        "a parameter cannot read facts",
                    );
                    return None;
                }
                match self.facts.find(&path.node) {
                    Some(node) => {
                        if let Some(leaf) = self.facts.nodes[node as usize].leaf {
                            self.note_name(path.span, self.facts.leaves[leaf as usize].span);
                        }
                        ir(IrKind::Exists(node), Type::Bool, e)
                    }
                    None if self.is_poisoned(&path.node, scope) => None,
                    None => {
                        let hint =
                            did_you_mean(&path.node, self.facts.nodes.iter().map(|n| &*n.path));
                        let f = self
                            .error(
                                "vouch::check::unknown_fact",
                                path.span,
                                format!("unknown fact `{}`", path.node),
                            )
                            .label("not declared in `facts`");
                        f.help = hint;
                        None
                    }
                }
            }
            ExprKind::Set(items) => {
                let elem_expect = match expect.map(Type::unwrap_optional) {
                    Some(Type::Set(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut elem = elem_expect.clone().unwrap_or(Type::Unknown);
                let mut out = Vec::new();
                for item in items {
                    let want = if elem == Type::Unknown {
                        elem_expect.as_ref()
                    } else {
                        Some(&elem)
                    };
                    let i = self.expr(item, want, scope)?;
                    if elem == Type::Unknown {
                        elem = i.ty.clone();
                    } else if !i.ty.fits(&elem) {
                        let (w, g) = (self.show(&elem), self.show(&i.ty));
                        return self.mismatch(
                            item,
                            format!("a set of {w} cannot hold {g}"),
                            format!("this is {g}"),
                        );
                    }
                    out.push(i);
                }
                ir(IrKind::Set(out), Type::set_of(elem), e)
            }
            ExprKind::Map(entries) => {
                let (kw, vw) = match expect.map(Type::unwrap_optional) {
                    Some(Type::Map(k, v)) => (Some((**k).clone()), Some((**v).clone())),
                    _ => (None, None),
                };
                let mut out = Vec::new();
                let (mut kt, mut vt) = (kw.unwrap_or(Type::Unknown), vw.unwrap_or(Type::Unknown));
                for (k, v) in entries {
                    let ki = self.expr(k, Some(&kt).filter(|t| **t != Type::Unknown), scope)?;
                    let vi = self.expr(v, Some(&vt).filter(|t| **t != Type::Unknown), scope)?;
                    if kt == Type::Unknown {
                        kt = ki.ty.clone();
                    }
                    if vt == Type::Unknown {
                        vt = vi.ty.clone();
                    }
                    if !ki.ty.fits(&kt) || !vi.ty.fits(&vt) {
                        return self.mismatch(
                            k,
                            "the entries of a table must all have the same types".into(),
                            "this entry differs".into(),
                        );
                    }
                    out.push((ki, vi));
                }
                ir(IrKind::Map(out), Type::Map(Box::new(kt), Box::new(vt)), e)
            }
            ExprKind::Call(name, args) => self.call(e, name, args, expect, scope),
            ExprKind::Each {
                func,
                var,
                list,
                body,
            } => self.each(e, func, var, list, body, scope),
            ExprKind::Unary(UnOp::Not, a) => {
                let a = self.expr(a, Some(&Type::Bool), scope)?;
                self.want_bool(&a)?;
                ir(IrKind::Not(Box::new(a)), Type::Bool, e)
            }
            ExprKind::Unary(UnOp::Neg, a) => {
                let a = self.expr(a, expect, scope)?;
                match a.ty.unwrap_optional() {
                    Type::Int | Type::Money | Type::Duration | Type::Ratio => {
                        let ty = a.ty.clone();
                        ir(IrKind::Neg(Box::new(a)), ty, e)
                    }
                    other => {
                        let g = self.show(other);
                        self.mismatch(e, format!("cannot negate {g}"), format!("this is {g}"))
                    }
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(e, *op, a, b, expect, scope),
            ExprKind::Is {
                subject,
                negated,
                what,
            } => self.is_test(e, subject, *negated, what, scope),
            ExprKind::Index(m, k) => {
                let m = self.expr(m, None, scope)?;
                let Type::Map(kt, vt) = m.ty.clone() else {
                    let g = self.show(&m.ty);
                    return self.mismatch(
                        e,
                        format!("only a table can be indexed, not {g}"),
                        format!("this is {g}"),
                    );
                };
                let k_ir = self.expr(k, Some(&kt), scope)?;
                if !k_ir.ty.fits(&kt) {
                    let (w, g) = (self.show(&kt), self.show(&k_ir.ty));
                    return self.mismatch(
                        k,
                        format!("this table is keyed by {w}, not {g}"),
                        format!("this is {g}"),
                    );
                }
                ir(IrKind::Index(Box::new(m), Box::new(k_ir)), vt.optional(), e)
            }
            ExprKind::If(c, t, f) => {
                let c_ir = self.expr(c, Some(&Type::Bool), scope)?;
                self.want_bool(&c_ir)?;
                let t_scope = scope.with_narrowed(self.narrowings(c, true, scope));
                let f_scope = scope.with_narrowed(self.narrowings(c, false, scope));
                let t_ir = self.expr(t, expect, &t_scope)?;
                let f_ir = self.expr(f, Some(expect.unwrap_or(&t_ir.ty)), &f_scope)?;
                let ty = unify(&t_ir.ty, &f_ir.ty);
                let Some(ty) = ty else {
                    let (a, b) = (self.show(&t_ir.ty), self.show(&f_ir.ty));
                    return self.mismatch(
                        e,
                        format!("the branches of this `if` differ: {a} and {b}"),
                        "branches differ".into(),
                    );
                };
                ir(
                    IrKind::If(Box::new(c_ir), Box::new(t_ir), Box::new(f_ir)),
                    ty,
                    e,
                )
            }
        }
    }

    pub(crate) fn want_bool(&mut self, i: &Ir) -> Option<()> {
        if i.ty == Type::Bool {
            return Some(());
        }
        let g = self.show(&i.ty);
        let help = if i.ty.is_optional() {
            "it may be none: test it first with `is not none`"
        } else {
            "a condition must be true or false"
        };
        self.error(
            "vouch::check::type_mismatch",
            i.span,
            format!("expected a condition, found {g}"),
        )
        .label(format!("this is {g}"))
        .help(help);
        None
    }

    fn literal(&mut self, e: &Expr, lit: &Literal, expect: Option<&Type>) -> Option<Ir> {
        let (value, ty) = match lit {
            Literal::Bool(b) => (Value::Bool(*b), Type::Bool),
            Literal::Int(n) => (Value::Int(*n), Type::Int),
            Literal::Money(text) => match parse_money(text) {
                Ok(d) => (Value::Money(d), Type::Money),
                Err(MoneyTextError::TooPrecise) => {
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`¥{text}` has more than two decimal places"),
                    )
                    .help("money is counted to the fen (0.01 yuan), as in `¥99.90`");
                    return None;
                }
                Err(_) => {
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`¥{text}` is not an amount of money"),
                    )
                    .help("an amount has at most 27 digits before the decimal point");
                    return None;
                }
            },
            Literal::Percent(text) => match parse_ratio(text, true) {
                Some(r) => (Value::Ratio(r), Type::Ratio),
                None => {
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`{text}%` is not a percentage"),
                    )
                    .help("a percentage has at most 36 significant digits");
                    return None;
                }
            },
            Literal::Duration(secs) => (Value::Duration(*secs), Type::Duration),
            Literal::Months(n) => (Value::Months(*n), Type::Months),
            Literal::Time(h, m, s) => {
                if *h > 23 || *m > 59 || *s > 59 {
                    let written = self.source.slice(e.span).to_string();
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`{written}` is not a time of day"),
                    )
                        .help("times run from `00:00` to `23:59:59`; for the end of a day use `end_of_day(…)`");
                    return None;
                }
                (Value::Time(h * 3600 + m * 60 + s), Type::Time)
            }
            Literal::Date(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => (Value::Date(d), Type::Date),
                Err(_) => {
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`{text}` is not a date"),
                    );
                    return None;
                }
            },
            Literal::Instant(text) => match DateTime::parse_from_rfc3339(text) {
                Ok(t) => (Value::Instant(t.with_timezone(&Utc)), Type::Instant),
                Err(_) => {
                    self.error(
                        "vouch::check::bad_literal",
                        e.span,
                        format!("`{text}` is not an instant"),
                    );
                    return None;
                }
            },
            Literal::Text(t) => (Value::Text(t.as_str().into()), Type::Text),
            Literal::None => {
                let ty = match expect {
                    Some(t) => t.clone().optional(),
                    None => Type::Unknown.optional(),
                };
                (Value::None, ty)
            }
        };
        ir(IrKind::Const(value), ty, e)
    }

    fn path(&mut self, e: &Expr, p: &str, expect: Option<&Type>, scope: &Scope) -> Option<Ir> {
        // A bare word where an enum is expected is one of its variants.
        let enum_expect = match expect.map(Type::unwrap_optional) {
            Some(Type::Enum(i)) => Some(*i),
            Some(Type::Set(t)) => match t.unwrap_optional() {
                Type::Enum(i) => Some(*i),
                _ => None,
            },
            _ => None,
        };
        if let Some(en) = enum_expect {
            if let Some(&v) = self.enums[en as usize].lookup.get(p) {
                if let Some(&declared) = self.variant_spans.get(v as usize) {
                    self.note_name(e.span, declared);
                }
                return ir(IrKind::Const(Value::Variant(v)), Type::Enum(en), e);
            }
        }
        if let Some(found) = self.var_path(e, p, scope) {
            return found;
        }
        if !p.contains('.') {
            if let Some(i) = self.calendars.iter().position(|c| c.name == p) {
                if !scope.lets.iter().any(|(n, _, _)| n == p) && !self.param_by_name.contains_key(p)
                {
                    let declared = self.policy.calendars.iter().find(|c| c.name.node == p);
                    if let Some(c) = declared {
                        self.note_name(e.span, c.name.span);
                    }
                    return ir(IrKind::Const(Value::Calendar(i as u32)), Type::Calendar, e);
                }
            }
            if let Some((_, ty, id)) = scope.lets.iter().rev().find(|(n, _, _)| n == p) {
                let ty = if scope.narrowed.contains(&NarrowKey::Let(*id)) {
                    ty.unwrap_optional().clone()
                } else {
                    ty.clone()
                };
                if let Some(declared) = self.let_declaration(p, e.span) {
                    self.note_name(e.span, declared);
                }
                return ir(IrKind::Let(*id), ty, e);
            }
            if let Some(&i) = self.param_by_name.get(p) {
                self.note_name(e.span, self.params[i as usize].span);
                let ty = self.params[i as usize].ty.clone();
                return ir(IrKind::Param(i), ty, e);
            }
        }
        let first = p.split('.').next().unwrap_or(p);
        if let Some(&d) = self.decision_by_name.get(first) {
            if scope.constant {
                self.error(
                    "vouch::check::not_constant",
                    e.span,
                    "a parameter cannot use a decision",
                );
                return None;
            }
            return self.decision_field(e, d, p);
        }
        if let Some(node) = self.facts.find(p) {
            if scope.constant {
                self.error(
                    "vouch::check::not_constant",
                    e.span,
                    format!("a parameter cannot read the fact `{p}`"),
                )
                .help("parameters are constants; read facts in decisions");
                return None;
            }
            let Some(leaf) = self.facts.nodes[node as usize].leaf else {
                self.error(
                    "vouch::check::section_value",
                    e.span,
                    format!("`{p}` is a section of facts, not a value"),
                )
                .help(format!("test whether it is there with `exists {p}`"));
                return None;
            };
            self.note_name(e.span, self.facts.leaves[leaf as usize].span);
            let declared = self.facts.leaves[leaf as usize].ty.clone();
            let ty = if scope.narrowed.contains(&NarrowKey::Fact(leaf)) {
                declared.unwrap_optional().clone()
            } else {
                declared
            };
            return ir(IrKind::Fact(leaf), ty, e);
        }
        if self.is_poisoned(p, scope) {
            return None;
        }
        self.unknown_name(e, p, enum_expect, scope);
        None
    }

    /// Whether a name's declaration was already reported as wrong, so its
    /// uses should not be reported again.
    pub(crate) fn is_poisoned(&self, p: &str, scope: &Scope) -> bool {
        let under =
            |name: &String| name == p || (name.starts_with(p) && name[p.len()..].starts_with('.'));
        self.poisoned.iter().any(under) || scope.poisoned.iter().any(|n| n == p)
    }

    fn unknown_name(&mut self, e: &Expr, p: &str, enum_expect: Option<u32>, scope: &Scope) {
        let mut candidates: Vec<String> = Vec::new();
        if let Some(en) = enum_expect {
            candidates.extend(self.enums[en as usize].lookup.keys().map(|k| k.to_string()));
        }
        candidates.extend(scope.lets.iter().map(|(n, _, _)| n.clone()));
        candidates.extend(self.params.iter().map(|p| p.name.clone()));
        if !scope.constant {
            candidates.extend(self.facts.nodes.iter().map(|n| n.path.to_string()));
            candidates.extend(self.decision_by_name.keys().cloned());
        }
        let hint = did_you_mean(p, candidates.iter().map(String::as_str));
        let only = super::only_close(p, candidates.iter().map(String::as_str)).map(String::from);
        let expected_enum = enum_expect.map(|en| self.enums[en as usize].name.clone());
        if let (Some(en), false) = (&expected_enum, p.contains('.')) {
            let f = self.error(
                "vouch::check::unknown_variant",
                e.span,
                format!("`{p}` is not a variant of `{en}`"),
            );
            f.label = "no such variant".into();
            f.help =
                Some(hint.unwrap_or_else(|| {
                    format!("add `{p}` to the enum `{en}`, or fix the spelling")
                }));
            if let Some(c) = only {
                f.fix(format!("write `{c}`"), e.span, c, true);
            }
            return;
        }
        let (code, what) = if p.contains('.') {
            ("vouch::check::unknown_fact", "fact")
        } else {
            ("vouch::check::unknown_name", "name")
        };
        let f = self.error(code, e.span, format!("unknown {what} `{p}`"));
        f.label = "not declared".into();
        f.help = hint.or_else(|| {
            p.contains('.')
                .then(|| format!("declare it in `facts`: `{p}: TYPE`"))
        });
        if let Some(c) = only {
            f.fix(format!("write `{c}`"), e.span, c, true);
        }
    }

    /// Where the `let` a use names is declared: the last one above the use
    /// in the decision being checked.
    fn let_declaration(&self, name: &str, used: Span) -> Option<Span> {
        let d = &self.policy.decisions[*self.decision_stack.last()?];
        d.body
            .iter()
            .filter_map(|s| match s {
                crate::ast::Stmt::Let(n, _) if n.node == name && n.span.start < used.start => {
                    Some(n.span)
                }
                _ => None,
            })
            .next_back()
    }

    fn decision_field(&mut self, e: &Expr, d: usize, p: &str) -> Option<Ir> {
        let decision = &self.policy.decisions[d];
        let first = p.split('.').next().unwrap_or(p);
        let first_span = Span::new(e.span.start, e.span.start + first.len());
        self.note_name(first_span, decision.name.span);
        if let Some((_, field)) = p.split_once('.') {
            if let Some(declared) = super::decision::field_declaration(decision, field) {
                let at = Span::new(e.span.end - field.len(), e.span.end);
                self.note_name(at, declared);
            }
        }
        let Some((_, field)) = p.split_once('.') else {
            self.error(
                "vouch::check::decision_value",
                e.span,
                format!("`{p}` is a decision, not a value"),
            )
            .help(format!("test its outcome with `{p} is OUTCOME`"));
            return None;
        };
        self.note_dependency(d, e.span);
        let info = self.decisions.get(d).and_then(Option::as_ref)?;
        let ty = info
            .outcomes
            .iter()
            .flat_map(|o| o.fields.iter())
            .find(|(n, _)| &**n == field)
            .map(|(_, t)| t.clone());
        let Some(ty) = ty else {
            let names: Vec<String> = info
                .outcomes
                .iter()
                .flat_map(|o| o.fields.iter().map(|(n, _)| n.to_string()))
                .collect();
            let hint = did_you_mean(field, names.iter().map(String::as_str));
            let f = self.error(
                "vouch::check::unknown_field",
                e.span,
                format!(
                    "no outcome of `{}` has the field `{field}`",
                    &p[..p.len() - field.len() - 1]
                ),
            );
            f.help = hint;
            return None;
        };
        ir(
            IrKind::DecisionField {
                decision: d,
                field: Arc::from(field),
            },
            ty.optional(),
            e,
        )
    }

    /// `DECISION is OUTCOME` (or `is not_applicable`): the decision `d`,
    /// named `p` in `subject`.
    fn decision_is(
        &mut self,
        e: &Expr,
        subject: &Expr,
        (d, p): (usize, &str),
        what: &crate::source::Name,
        negated: bool,
        scope: &Scope,
    ) -> Option<Ir> {
        if scope.constant {
            self.error(
                "vouch::check::not_constant",
                e.span,
                "a parameter cannot use a decision",
            );
            return None;
        }
        let outcome = if what.node == "not_applicable" {
            None
        } else {
            match self.decision_outcomes[d]
                .iter()
                .position(|o| *o == what.node)
            {
                Some(i) => Some(i as u32),
                None => {
                    let names = self.decision_outcomes[d].clone();
                    let hint = did_you_mean(&what.node, names.iter().map(String::as_str));
                    let f = self
                        .error(
                            "vouch::check::unknown_outcome",
                            what.span,
                            format!("`{p}` has no outcome `{}`", what.node),
                        )
                        .label("not an outcome of this decision");
                    f.help = Some(hint.unwrap_or_else(|| {
                        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                        format!("its outcomes are {}", quoted.join(", "))
                    }));
                    return None;
                }
            }
        };
        let decision = &self.policy.decisions[d];
        self.note_name(subject.span, decision.name.span);
        if let Some(o) = super::decision::outcome_declaration(decision, &what.node) {
            self.note_name(what.span, o);
        }
        self.note_dependency(d, e.span);
        let test = Ir {
            kind: IrKind::DecisionIs {
                decision: d,
                outcome,
            },
            ty: Type::Bool,
            span: e.span,
        };
        Some(negate(test, negated, e))
    }

    fn is_test(
        &mut self,
        e: &Expr,
        subject: &Expr,
        negated: bool,
        what: &crate::source::Name,
        scope: &Scope,
    ) -> Option<Ir> {
        // `decision is outcome`
        if let ExprKind::Path(p) = &subject.node {
            if let Some(&d) = self.decision_by_name.get(p.as_str()) {
                return self.decision_is(e, subject, (d, p), what, negated, scope);
            }
        }
        let s = self.expr(subject, None, scope)?;
        let kind = match what.node.as_str() {
            "none" => {
                if !s.ty.is_optional() {
                    let g = self.show(&s.ty);
                    self.error(
                        "vouch::check::never_none",
                        e.span,
                        format!("this is {g}, which is never none"),
                    )
                    .help("declare the fact with `?` if it may be null");
                    return None;
                }
                IrKind::IsNone(Box::new(s))
            }
            "empty" => {
                if !matches!(s.ty, Type::Set(_) | Type::List(_)) {
                    let g = self.show(&s.ty);
                    return self.mismatch(
                        subject,
                        format!("only a set or a list can be empty, not {g}"),
                        format!("this is {g}"),
                    );
                }
                IrKind::IsEmpty(Box::new(s))
            }
            other => {
                self.error(
                    "vouch::check::bad_is",
                    what.span,
                    format!("`is {other}` tests nothing"),
                )
                .help("write `is none`, `is empty`, or `DECISION is OUTCOME`");
                return None;
            }
        };
        let test = Ir {
            kind,
            ty: Type::Bool,
            span: e.span,
        };
        Some(negate(test, negated, e))
    }
}

fn negate(test: Ir, negated: bool, e: &Expr) -> Ir {
    if negated {
        Ir {
            kind: IrKind::Not(Box::new(test)),
            ty: Type::Bool,
            span: e.span,
        }
    } else {
        test
    }
}

/// The common type of two branches, if they have one.
pub(crate) fn unify(a: &Type, b: &Type) -> Option<Type> {
    if a.fits(b) && b.fits(a) {
        // Prefer the one that says more.
        return Some(
            if *a == Type::Unknown || matches!(a, Type::Set(t) if **t == Type::Unknown) {
                b.clone()
            } else if a.is_optional() || !b.is_optional() {
                a.clone()
            } else {
                b.clone()
            },
        );
    }
    if a.fits(b) {
        return Some(b.clone());
    }
    if b.fits(a) {
        return Some(a.clone());
    }
    None
}

pub(crate) fn builtin_ir(b: Builtin, args: Vec<Ir>, ty: Type, e: &Expr) -> Option<Ir> {
    ir(IrKind::Call(b, args), ty, e)
}
