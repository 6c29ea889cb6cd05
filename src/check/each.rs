//! Lists and records: the item a list function binds, its fields, and the
//! functions over a list's items.

use super::expr::Scope;
use super::{did_you_mean, Checker};
use crate::ast::Expr;
use crate::program::{EachFunc, Ir, IrKind};
use crate::source::Name;
use crate::types::{Type, Value};

impl Checker<'_> {
    /// A path that starts with a bound item (`item` or `item.unit_price`):
    /// `None` when it does not, `Some(None)` when it does and is wrong.
    pub(super) fn var_path(&mut self, e: &Expr, p: &str, scope: &Scope) -> Option<Option<Ir>> {
        let mut segs = p.split('.');
        let first = segs.next()?;
        let depth = scope.vars.iter().rposition(|(n, _)| n == first)?;
        let mut ir = Ir {
            kind: IrKind::Var(depth as u32),
            ty: scope.vars[depth].1.clone(),
            span: e.span,
        };
        for seg in segs {
            let Type::Record(fields) = ir.ty.unwrap_optional().clone() else {
                let g = self.show(&ir.ty);
                self.error(
                    "vouch::check::unknown_field",
                    e.span,
                    format!("`{seg}` is not a field: the value before it is {g}"),
                );
                return Some(None);
            };
            let optional = ir.ty.is_optional();
            let Some(i) = fields.iter().position(|(n, _)| &**n == seg) else {
                let hint = did_you_mean(seg, fields.iter().map(|(n, _)| &**n));
                let names: Vec<String> = fields.iter().map(|(n, _)| format!("`{n}`")).collect();
                let f = self
                    .error(
                        "vouch::check::unknown_field",
                        e.span,
                        format!("the item has no field `{seg}`"),
                    )
                    .label("not a declared field");
                f.help =
                    Some(hint.unwrap_or_else(|| format!("its fields are {}", names.join(", "))));
                return Some(None);
            };
            let ty = fields[i].1.clone();
            ir = Ir {
                kind: IrKind::Field(Box::new(ir), i as u32),
                ty: if optional { ty.optional() } else { ty },
                span: e.span,
            };
        }
        Some(Some(ir))
    }

    /// The list a per-item rule or a list function runs over, and its item type.
    pub(crate) fn item_list(&mut self, list: &Expr, scope: &Scope) -> Option<(Ir, Type)> {
        let l = self.expr(list, None, scope)?;
        match &l.ty {
            Type::List(t) | Type::Set(t) => {
                let t = (**t).clone();
                Some((l, t))
            }
            other => {
                let g = self.show(other);
                let help = if other.is_optional() {
                    "it may be none: give a default with `?? {}` or test it first"
                } else {
                    "name a list fact such as `order.items`"
                };
                self.error(
                    "vouch::check::type_mismatch",
                    list.span,
                    format!("expected a list or a set to go through, found {g}"),
                )
                .label(format!("this is {g}"))
                .help(help);
                None
            }
        }
    }

    /// `sum(item in order.items, item.unit_price)` and its kin.
    pub(super) fn each(
        &mut self,
        e: &Expr,
        func: &Name,
        var: &Name,
        list: &Expr,
        body: &Expr,
        scope: &Scope,
    ) -> Option<Ir> {
        let Some(f) = EachFunc::from_name(&func.node) else {
            let hint = did_you_mean(&func.node, EachFunc::ALL.iter().map(|(n, _)| *n));
            let all: Vec<&str> = EachFunc::ALL.iter().map(|(n, _)| *n).collect();
            let f = self
                .error(
                    "vouch::check::unknown_function",
                    func.span,
                    format!("`{}` does not go through a list", func.node),
                )
                .label("not a list function");
            f.help = Some(hint.unwrap_or_else(|| {
                format!("the functions over a list's items are {}", all.join(", "))
            }));
            return None;
        };
        let (list_ir, item) = self.item_list(list, scope)?;
        let mut inner = scope.clone();
        inner.vars.push((var.node.clone(), item.clone()));
        let want_bool = matches!(
            f,
            EachFunc::Any | EachFunc::All | EachFunc::Count | EachFunc::Filter
        );
        let body_ir = self.expr(body, want_bool.then_some(&Type::Bool), &inner)?;
        let ty = match f {
            EachFunc::Any | EachFunc::All | EachFunc::Count | EachFunc::Filter => {
                self.want_bool(&body_ir)?;
                match f {
                    EachFunc::Count => Type::Int,
                    EachFunc::Filter => list_ir.ty.clone(),
                    _ => Type::Bool,
                }
            }
            EachFunc::Sum => {
                let t = body_ir.ty.unwrap_optional().clone();
                if !matches!(t, Type::Int | Type::Money | Type::Duration | Type::Ratio) {
                    let g = self.show(&body_ir.ty);
                    self.error(
                        "vouch::check::type_mismatch",
                        body.span,
                        format!("`sum` adds numbers, amounts, durations or ratios, not {g}"),
                    )
                    .label(format!("this is {g}"));
                    return None;
                }
                body_ir.ty.clone()
            }
            EachFunc::Collect => {
                if body_ir.ty.is_optional() {
                    let g = self.show(&body_ir.ty);
                    self.error(
                        "vouch::check::maybe_none",
                        body.span,
                        format!("this is {g} and may be none; a set cannot hold none"),
                    )
                    .help("give a default with `??`");
                    return None;
                }
                Type::set_of(body_ir.ty.clone())
            }
        };
        Some(Ir {
            kind: IrKind::Each {
                func: f,
                var: scope.vars.len() as u32,
                list: Box::new(list_ir),
                body: Box::new(body_ir),
            },
            ty,
            span: e.span,
        })
    }

    /// A rounding unit known at check time must be above zero.
    pub(super) fn rounding_unit(&mut self, unit: &Ir) -> Option<()> {
        let Some(v) = self.constant_of(unit) else {
            return Some(());
        };
        if crate::eval::is_positive(&v) {
            return Some(());
        }
        self.error(
            "vouch::check::bad_unit",
            unit.span,
            "a rounding unit must be more than zero",
        )
        .label("not a unit")
        .help("round to a positive step, such as `¥1`, `¥0.10` or `1d`");
        None
    }

    /// The value of a constant expression or an undated parameter.
    pub(super) fn constant_of(&self, ir: &Ir) -> Option<Value> {
        match &ir.kind {
            IrKind::Const(v) => Some(v.clone()),
            IrKind::Param(p) => {
                let info = self.params.get(*p as usize)?;
                info.dated.is_empty().then(|| info.value.clone())
            }
            _ => None,
        }
    }
}
