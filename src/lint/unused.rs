//! Declarations inside the rules that nothing uses: a `let`, an enum, an
//! enum value.

use super::{registry, Cx};
use crate::ast::Stmt;
use crate::program::{IrKind, Program};
use crate::source::Span;
use crate::types::{Type, Value};

pub(super) fn check(cx: &mut Cx) {
    unused_lets(cx);
    unused_enums(cx);
}

/// A `let` that no rule, field or later `let` of its decision reads.
fn unused_lets(cx: &mut Cx) {
    let mut found: Vec<(Span, String)> = Vec::new();
    for (d, ast_d) in cx.program.decisions.iter().zip(&cx.policy.decisions) {
        let mut read = vec![false; d.lets.len()];
        for e in d.exprs() {
            e.walk(&mut |ir| {
                if let IrKind::Let(i) = ir.kind {
                    if let Some(r) = read.get_mut(i as usize) {
                        *r = true;
                    }
                }
            });
        }
        let names = ast_d.body.iter().filter_map(|s| match s {
            Stmt::Let(name, _) => Some(name),
            Stmt::Arm(_) => None,
        });
        for (l, name) in d.lets.iter().zip(names) {
            let i = d.lets.iter().position(|x| x.name == l.name).unwrap_or(0);
            if !read[i] {
                found.push((name.span, l.name.clone()));
            }
        }
    }
    for (span, name) in found {
        cx.report(
            &registry::UNUSED_LET,
            span,
            format!("`{name}` is never used"),
        )
        .label("never used")
        .help("remove the `let`, or use it in the rule that was meant to read it");
    }
}

/// Every enum a type names, inside sets, tables and optionals too.
fn enums_in(ty: &Type, out: &mut Vec<u32>) {
    match ty {
        Type::Enum(i) => out.push(*i),
        Type::Set(t) | Type::List(t) | Type::Optional(t) => enums_in(t, out),
        Type::Record(fields) => fields.iter().for_each(|(_, t)| enums_in(t, out)),
        Type::Map(k, v) => {
            enums_in(k, out);
            enums_in(v, out);
        }
        _ => {}
    }
}

/// Every variant a value holds.
fn variants_in(v: &Value, out: &mut Vec<u32>) {
    match v {
        Value::Variant(i) => out.push(*i),
        Value::Set(items) | Value::List(items) => items.iter().for_each(|x| variants_in(x, out)),
        Value::Record(r) => r.values.iter().for_each(|x| variants_in(x, out)),
        Value::Map(entries) => entries.iter().for_each(|(k, x)| {
            variants_in(k, out);
            variants_in(x, out);
        }),
        _ => {}
    }
}

/// The enums that facts are read as, the enums any value has, and the
/// variants that any rule, parameter or service names.
fn uses(program: &Program) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let mut fact_enums = Vec::new();
    for leaf in &program.facts.leaves {
        enums_in(&leaf.ty, &mut fact_enums);
    }
    let mut typed = fact_enums.clone();
    let mut variants = Vec::new();
    for p in &program.params {
        enums_in(&p.ty, &mut typed);
        variants_in(&p.value, &mut variants);
    }
    for d in &program.decisions {
        for o in &d.outcomes {
            o.fields.iter().for_each(|(_, t)| enums_in(t, &mut typed));
        }
        for e in d.exprs() {
            e.walk(&mut |ir| {
                enums_in(&ir.ty, &mut typed);
                if let IrKind::Const(v) = &ir.kind {
                    variants_in(v, &mut variants);
                }
            });
        }
    }
    if let Some(s) = &program.services {
        typed.push(s.service_enum);
        s.addons
            .iter()
            .for_each(|(_, v)| variants_in(v, &mut variants));
    }
    (fact_enums, typed, variants)
}

/// An enum that no fact, parameter or rule uses, and a value of an enum
/// that facts are not read as which nothing names.
fn unused_enums(cx: &mut Cx) {
    let program = cx.program;
    let (fact_enums, typed, variants) = uses(program);
    let mut found: Vec<(Span, String, bool)> = Vec::new();
    for e in &cx.policy.enums {
        let Some(index) = program.enums.iter().position(|x| x.name == e.name.node) else {
            continue;
        };
        let index = index as u32;
        let info = &program.enums[index as usize];
        let named = |v: &u32| variants.contains(v);
        if !typed.contains(&index) && !info.variants.iter().any(named) {
            found.push((e.name.span, e.name.node.clone(), true));
            continue;
        }
        // A value of an enum that facts are read as is a value a fact may
        // have, whether or not a rule names it.
        if fact_enums.contains(&index) {
            continue;
        }
        for (v, ast_v) in info.variants.iter().zip(&e.variants) {
            if !named(v) {
                found.push((
                    ast_v.name.span,
                    format!("{}.{}", e.name.node, ast_v.name.node),
                    false,
                ));
            }
        }
    }
    for (span, name, whole) in found {
        if whole {
            cx.report(
                &registry::UNUSED_ENUM,
                span,
                format!("the enum `{name}` is never used"),
            )
            .label("no fact, parameter or rule uses it")
            .help("remove it, or declare the fact or parameter that was meant to have this type");
        } else {
            let (enum_name, value) = name.split_once('.').unwrap_or((&name, ""));
            cx.report(
                &registry::UNUSED_VARIANT,
                span,
                format!("`{value}` of `{enum_name}` is never used"),
            )
            .label("no parameter or rule names it")
            .help("no fact is read as this enum, so only the policy's own values can have it: remove it, or name it where it was meant to be used");
        }
    }
}
