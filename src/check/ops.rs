//! Operators and built-in functions: their typing rules.

use super::expr::{builtin_ir, unify, Scope};
use super::{did_you_mean, Checker};
use crate::ast::{BinOp, Expr, ExprKind};
use crate::builtins::{self, Kind};
use crate::program::{Builtin, Ir, IrKind};
use crate::source::Name;
use crate::types::Type;

/// The result type of arithmetic on two non-optional types.
pub(crate) fn arith_type(op: BinOp, a: &Type, b: &Type) -> Option<Type> {
    use Type::*;
    Some(match (op, a, b) {
        (BinOp::Add | BinOp::Sub, Int, Int) => Int,
        (BinOp::Add | BinOp::Sub, Money, Money) => Money,
        (BinOp::Add | BinOp::Sub, Ratio, Ratio) => Ratio,
        (BinOp::Add | BinOp::Sub, Duration, Duration) => Duration,
        (BinOp::Add | BinOp::Sub, Instant, Duration) => Instant,
        (BinOp::Add, Duration, Instant) => Instant,
        (BinOp::Sub, Instant, Instant) => Duration,
        (BinOp::Add | BinOp::Sub, Date, Duration) => Date,
        (BinOp::Sub, Date, Date) => Duration,
        (BinOp::Add | BinOp::Sub, Date, Months) => Date,
        (BinOp::Add | BinOp::Sub, Instant, Months) => Instant,
        (BinOp::Add | BinOp::Sub, Months, Months) => Months,
        (BinOp::Mul, Months, Int) | (BinOp::Mul, Int, Months) => Months,
        (BinOp::Add | BinOp::Sub, Set(x), Set(y)) => Set(Box::new(unify(x, y)?)),
        (BinOp::Mul, Int, Int) => Int,
        (BinOp::Mul, Money, Int) | (BinOp::Mul, Int, Money) => Money,
        (BinOp::Mul, Money, Ratio) | (BinOp::Mul, Ratio, Money) => Money,
        (BinOp::Mul, Duration, Int) | (BinOp::Mul, Int, Duration) => Duration,
        (BinOp::Mul, Ratio, Ratio) | (BinOp::Mul, Ratio, Int) | (BinOp::Mul, Int, Ratio) => Ratio,
        (BinOp::Div, Int, Int) | (BinOp::Div, Money, Money) | (BinOp::Div, Duration, Duration) => {
            Ratio
        }
        (BinOp::Div, Ratio, Ratio) | (BinOp::Div, Ratio, Int) => Ratio,
        (BinOp::Div, Money, Int) => Money,
        _ => return None,
    })
}

impl Checker<'_> {
    /// Whether an expression needs the other operand's type to be understood:
    /// a bare variant name, `{…}`, `none`.
    fn needs_context(&self, e: &Expr, scope: &Scope) -> bool {
        match &e.node {
            ExprKind::Path(p) => {
                !p.contains('.')
                    && !scope.lets.iter().any(|(n, _, _)| n == p)
                    && !scope.vars.iter().any(|(n, _)| n == p)
                    && !self.calendars.iter().any(|c| c.name == *p)
                    && !self.param_by_name.contains_key(p)
                    && !self.decision_by_name.contains_key(p)
                    && self.facts.find(p).is_none()
            }
            ExprKind::Set(_) | ExprKind::Map(_) => true,
            ExprKind::Lit(crate::ast::Literal::None) => true,
            _ => false,
        }
    }

    // One piece: the table of what each operator does with each pair of types; split, the table could no longer be read at once.
    pub(crate) fn binary(
        &mut self,
        e: &Expr,
        op: BinOp,
        a: &Expr,
        b: &Expr,
        expect: Option<&Type>,
        scope: &Scope,
    ) -> Option<Ir> {
        let mk = |kind, ty| {
            Some(Ir {
                kind,
                ty,
                span: e.span,
            })
        };
        match op {
            BinOp::And | BinOp::Or => {
                let a_ir = self.expr(a, Some(&Type::Bool), scope);
                let keys = self.narrowings(a, op == BinOp::And, scope);
                let mut b_scope = scope.clone();
                b_scope.narrowed.extend(keys);
                let b_ir = self.expr(b, Some(&Type::Bool), &b_scope);
                let (a_ir, b_ir) = (a_ir?, b_ir?);
                self.want_bool(&a_ir)?;
                self.want_bool(&b_ir)?;
                mk(
                    IrKind::Binary(op, Box::new(a_ir), Box::new(b_ir)),
                    Type::Bool,
                )
            }
            BinOp::Coalesce => {
                let a_ir = self.expr(a, expect.map(|t| t.clone().optional()).as_ref(), scope)?;
                if !a_ir.ty.is_optional() {
                    let g = self.show(&a_ir.ty);
                    self.error(
                        "vouch::check::never_none",
                        a.span,
                        format!("this is {g}, which is never none"),
                    )
                    .help("`??` gives a value for none; remove it");
                    return None;
                }
                let inner = a_ir.ty.unwrap_optional().clone();
                let b_ir = self.expr(b, Some(&inner), scope)?;
                let Some(ty) = unify(&inner, &b_ir.ty) else {
                    let (x, y) = (self.show(&inner), self.show(&b_ir.ty));
                    return self.type_error(e, format!("`??` joins {x} with {y}"));
                };
                mk(IrKind::Binary(op, Box::new(a_ir), Box::new(b_ir)), ty)
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (a_ir, b_ir) = self.pair(a, b, scope)?;
                let (ta, tb) = (&a_ir.ty, &b_ir.ty);
                if !(ta.fits(tb) || tb.fits(ta))
                    || (ta.unwrap_optional() != tb.unwrap_optional() && !ta.fits(tb))
                {
                    if self.blame_param_type(e, op, &a_ir, &b_ir) {
                        return None;
                    }
                    let (x, y) = (self.show(ta), self.show(tb));
                    self.error(
                        "vouch::check::type_mismatch",
                        e.span,
                        format!("cannot compare {x} with {y}"),
                    )
                    .label(format!("{x} {} {y}", op.symbol()));
                    return None;
                }
                if !matches!(op, BinOp::Eq | BinOp::Ne) {
                    for side in [&a_ir, &b_ir] {
                        if side.ty.is_optional() {
                            let g = self.show(&side.ty);
                            self.error(
                                "vouch::check::maybe_none",
                                side.span,
                                format!("this is {g} and may be none"),
                            )
                            .label("may be none")
                            .help("guard it: `x is none or x > …`, or give a default with `??`");
                            return None;
                        }
                    }
                    if !ta.is_ordered() {
                        let x = self.show(ta);
                        return self
                            .type_error(e, format!("{x} values have no order; use `==` or `!=`"));
                    }
                }
                mk(
                    IrKind::Binary(op, Box::new(a_ir), Box::new(b_ir)),
                    Type::Bool,
                )
            }
            BinOp::In | BinOp::NotIn => {
                let (a_ir, b_ir) =
                    if matches!(b.node, ExprKind::Set(_)) || self.needs_context(b, scope) {
                        let a_ir = self.expr(a, None, scope)?;
                        let want = Type::set_of(a_ir.ty.clone());
                        (a_ir, self.expr(b, Some(&want), scope)?)
                    } else {
                        let b_ir = self.expr(b, None, scope)?;
                        let elem = self.member_type(op, b, &b_ir)?;
                        (self.expr(a, Some(&elem), scope)?, b_ir)
                    };
                let elem = self.member_type(op, b, &b_ir)?;
                if a_ir.ty.is_optional() || !a_ir.ty.fits(&elem) {
                    let (x, y) = (self.show(&a_ir.ty), self.show(&b_ir.ty));
                    return self.type_error(e, format!("cannot look for {x} in {y}"));
                }
                mk(
                    IrKind::Binary(op, Box::new(a_ir), Box::new(b_ir)),
                    Type::Bool,
                )
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let (a_ir, b_ir) = self.pair(a, b, scope)?;
                let lifted = a_ir.ty.is_optional() || b_ir.ty.is_optional();
                let Some(ty) = arith_type(op, a_ir.ty.unwrap_optional(), b_ir.ty.unwrap_optional())
                else {
                    if self.blame_param_type(e, op, &a_ir, &b_ir) {
                        return None;
                    }
                    let (x, y) = (self.show(&a_ir.ty), self.show(&b_ir.ty));
                    self.error(
                        "vouch::check::type_mismatch",
                        e.span,
                        format!("cannot apply `{}` to {x} and {y}", op.symbol()),
                    )
                    .label(format!("{x} {} {y}", op.symbol()));
                    return None;
                };
                if ty == Type::Date && b_ir.ty.unwrap_optional() == &Type::Duration {
                    self.whole_days(e, &b_ir);
                }
                let ty = if lifted { ty.optional() } else { ty };
                mk(IrKind::Binary(op, Box::new(a_ir), Box::new(b_ir)), ty)
            }
        }
    }

    /// The type of what `in` looks for in `b`: a set's items or a table's keys.
    fn member_type(&mut self, op: BinOp, b: &Expr, b_ir: &Ir) -> Option<Type> {
        match &b_ir.ty {
            Type::Set(t) | Type::List(t) => Some((**t).clone()),
            Type::Map(k, _) => Some((**k).clone()),
            other => {
                let g = self.show(other);
                self.type_error(
                    b,
                    format!(
                        "`{}` needs a set or a list on its right, found {g}",
                        op.symbol()
                    ),
                );
                None
            }
        }
    }

    fn type_error(&mut self, e: &Expr, message: String) -> Option<Ir> {
        self.error("vouch::check::type_mismatch", e.span, message);
        None
    }

    /// Check two operands, giving the one that needs context the other's type.
    fn pair(&mut self, a: &Expr, b: &Expr, scope: &Scope) -> Option<(Ir, Ir)> {
        if self.needs_context(a, scope) && !self.needs_context(b, scope) {
            let b_ir = self.expr(b, None, scope)?;
            let a_ir = self.expr(a, Some(&b_ir.ty), scope)?;
            Some((a_ir, b_ir))
        } else {
            let a_ir = self.expr(a, None, scope);
            // A bare name beside a side that failed may be a variant of the
            // enum that side would have had: one mistake, one error.
            let bare = matches!(&b.node, crate::ast::ExprKind::Path(p) if !p.contains('.'));
            if a_ir.is_none() && bare {
                return None;
            }
            let want = a_ir.as_ref().map(|i| i.ty.clone());
            let b_ir = self.expr(b, want.as_ref(), scope);
            Some((a_ir?, b_ir?))
        }
    }

    pub(crate) fn call(
        &mut self,
        e: &Expr,
        name: &Name,
        args: &[Expr],
        _expect: Option<&Type>,
        scope: &Scope,
    ) -> Option<Ir> {
        let Some(b) = Builtin::from_name(&name.node) else {
            let hint = did_you_mean(&name.node, builtins::names());
            let f = self
                .error(
                    "vouch::check::unknown_function",
                    name.span,
                    format!("unknown function `{}`", name.node),
                )
                .label("not a built-in function");
            f.help = Some(hint.unwrap_or_else(|| {
                let all: Vec<&str> = builtins::names().collect();
                format!("the functions are {}", all.join(", "))
            }));
            if let Some(c) = super::only_close(&name.node, builtins::names()) {
                f.fix(format!("write `{c}`"), name.span, c, true);
            }
            return None;
        };
        let mut irs = Vec::new();
        for a in args {
            irs.push(self.expr(a, None, scope));
        }
        let irs: Vec<Ir> = irs.into_iter().collect::<Option<_>>()?;
        let def = b.def();
        let types: Vec<Type> = irs.iter().map(|i| i.ty.clone()).collect();
        let ty = match &def.kind {
            Kind::Pure { typing, .. } => typing(&types),
            Kind::Services => self.services_call(e, b, &types, scope)?,
        };
        let Some(ty) = ty else {
            let given = match types.as_slice() {
                [] => "nothing".to_string(),
                types => {
                    let shown: Vec<String> = types.iter().map(|t| self.show(t)).collect();
                    match shown.split_last() {
                        Some((last, init)) if !init.is_empty() => {
                            format!("{} and {last}", init.join(", "))
                        }
                        _ => shown.join(""),
                    }
                }
            };
            self.error(
                "vouch::check::bad_arguments",
                e.span,
                format!("`{}` takes {}, not {given}", name.node, def.takes),
            )
            .help(format!("for example `{}`", def.example));
            return None;
        };
        if matches!(b, Builtin::Floor | Builtin::Ceil | Builtin::Round) {
            self.rounding_unit(&irs[1])?;
        }
        builtin_ir(b, irs, ty, e)
    }

    /// The type of a call that reads the services block: `Some(None)` for
    /// arguments that do not fit, `None` when an error is already reported.
    fn services_call(
        &mut self,
        e: &Expr,
        b: Builtin,
        types: &[Type],
        scope: &Scope,
    ) -> Option<Option<Type>> {
        if !types.is_empty() {
            return Some(None);
        }
        if scope.constant && b != Builtin::MandatoryServices {
            self.error(
                "vouch::check::not_constant",
                e.span,
                "a parameter cannot read facts",
            );
            return None;
        }
        let Some(&service) = self.enum_by_name.get("service") else {
            self.error(
                "vouch::check::no_services",
                e.span,
                format!("`{}` needs a `services` block", b.name()),
            )
            .help("declare the program's services in a `services { … }` block");
            return None;
        };
        Some(Some(Type::set_of(Type::Enum(service))))
    }
}
