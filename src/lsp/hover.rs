//! Hover: what a name is, from its declaration and, when the policy checks,
//! the program (types, values).

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::analysis::Analysis;
use super::index::{Kind, Symbol};
use super::Server;
use crate::ast::{self, ExprKind, Requirement, Stmt};
use crate::output::values::{squash, value_text};
use crate::program::Builtin;
use crate::source::Span;

impl Server {
    pub(crate) fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let (a, offset) = self.at(&p.text_document_position_params)?;
        if let Some(o) = a.index.at(offset) {
            return Some(markdown(
                &a,
                o.span,
                describe(&a, &a.index.symbols[o.symbol]),
            ));
        }
        let (span, name) = a.index.call_at(offset)?;
        let d = Builtin::from_name(name)?.def();
        let takes = match d.arguments {
            "" => "no arguments".to_string(),
            args => args.to_string(),
        };
        let text = format!(
            "```vouch\n{}({})\n```\n\nbuilt-in function: {takes} → {}\n\nfor example `{}`",
            d.name, d.params, d.result, d.example
        );
        Some(markdown(&a, span, text))
    }
}

fn markdown(a: &Analysis, span: crate::source::Span, value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(a.range(span)),
    }
}

/// A symbol as Markdown: a code line, then what vouch knows of it.
// One piece: one arm per kind of symbol the cursor can be on, each writing its hover text.
pub(crate) fn describe(a: &Analysis, s: &Symbol) -> String {
    let mut out = String::new();
    match s.kind {
        Kind::Param => param(&mut out, a, s),
        Kind::Fact => fact(&mut out, a, s),
        Kind::Decision => decision(&mut out, a, s),
        Kind::Outcome | Kind::Field => outcome_or_field(&mut out, a, s),
        Kind::Variant | Kind::Service => {
            let (label, owner) = variant_label(a, s);
            let label = label.map(|l| format!(" \"{l}\"")).unwrap_or_default();
            let _ = writeln!(out, "```vouch\n{}{label}\n```", s.name);
            match owner {
                Some(e) => {
                    let _ = writeln!(out, "\nvalue of the enum `{e}`");
                }
                None => service(&mut out, a, s),
            }
        }
        Kind::Enum => enumeration(&mut out, a, s),
        Kind::Let => binding(&mut out, a, s),
        Kind::Item => item(&mut out, a, s),
        Kind::RecordField => record_field(&mut out, a, s),
        Kind::Calendar => {
            if let Some(c) = a.ast.calendars.iter().find(|c| c.name.span == s.span) {
                let text = &a.text()[c.span.start..c.span.end.min(a.text().len())];
                let _ = writeln!(
                    out,
                    "```vouch\n{text}\n```\n\ncalendar: which days are working days"
                );
            }
        }
        Kind::Source => {
            let title = a
                .ast
                .header
                .iter()
                .flat_map(|h| &h.sources)
                .find(|src| src.id.span == s.span)
                .map(|src| match &src.file {
                    Some(f) => format!("\"{}\" file \"{}\"", src.title.node, f.node),
                    None => format!("\"{}\"", src.title.node),
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "```vouch\nsource {} {title}\n```\n\nthe text that `cite {}` quotes",
                s.name, s.name
            );
        }
    }
    out
}

/// The text of a span on one line.
fn slice(a: &Analysis, span: Span) -> String {
    let text = a.text();
    squash(&text[span.start.min(text.len())..span.end.min(text.len())])
}

fn enum_names(a: &Analysis) -> Vec<String> {
    a.program
        .as_ref()
        .map(|p| p.enum_names())
        .unwrap_or_default()
}

fn param(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(d) = a.ast.params.iter().find(|p| p.name.span == s.span) else {
        return;
    };
    let _ = writeln!(
        out,
        "```vouch\nparam {} = {}\n```",
        s.name,
        slice(a, d.value.span)
    );
    for dated in &d.dated {
        let _ = writeln!(
            out,
            "\nfrom {}: `{}`",
            dated.from.node,
            slice(a, dated.value.span)
        );
    }
    let info = a
        .program
        .as_ref()
        .and_then(|p| p.params.iter().find(|i| i.name == s.name).map(|i| (p, i)));
    match info {
        Some((p, i)) => {
            let _ = writeln!(
                out,
                "\nparameter of type `{}`, value `{}`",
                i.ty.display(&enum_names(a)),
                value_text(p, &i.value)
            );
        }
        None => {
            let ty = d.ty.as_ref().map(|t| slice(a, t.span));
            let ty = ty.map(|t| format!(" of type `{t}`")).unwrap_or_default();
            let _ = writeln!(out, "\nparameter{ty}");
        }
    }
    cite(out, a, d.cite.as_ref());
}

fn fact(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(d) = a.ast.facts.iter().find(|f| f.path.span == s.span) else {
        return;
    };
    let _ = writeln!(out, "```vouch\n{}: {}\n```", s.name, slice(a, d.ty.span));
    let _ = if d.ty.optional {
        writeln!(out, "\nfact, optional: `null` in the facts means none")
    } else {
        writeln!(
            out,
            "\nfact, not optional: never `null` (absent means unknown)"
        )
    };
}

fn outcome_or_field(out: &mut String, a: &Analysis, s: &Symbol) {
    let owner = s.decision.and_then(|d| a.ast.decisions.get(d));
    let owner_name = owner.map_or("", |d| d.name.node.as_str());
    if s.kind == Kind::Outcome {
        let fields = outcome_fields(a, s.decision, &s.name).unwrap_or_default();
        let _ = writeln!(
            out,
            "```vouch\n{owner_name} is {}\n```\n\noutcome of `{owner_name}`{}",
            s.name,
            fields.replacen(':', ",", 1)
        );
    } else {
        let ty = field_type(a, s.decision, &s.name);
        let _ = writeln!(
            out,
            "```vouch\n{owner_name}.{}{}\n```\n\nfield of an outcome of `{owner_name}`",
            s.name,
            ty.map(|t| format!(": {t}")).unwrap_or_default()
        );
    }
}

fn enumeration(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(e) = a.ast.enums.iter().find(|e| e.name.span == s.span) else {
        return;
    };
    let values: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.label {
            Some(l) => format!("{} \"{}\"", v.name.node, l.node),
            None => v.name.node.clone(),
        })
        .collect();
    let open = if e.open { " open" } else { "" };
    let _ = writeln!(
        out,
        "```vouch\nenum {}{open} {{ {} }}\n```",
        s.name,
        values.join(", ")
    );
    let _ = if e.open {
        writeln!(
            out,
            "\nopen enum: values not listed are accepted and equal only themselves"
        )
    } else {
        writeln!(
            out,
            "\nclosed enum: a value not listed is an error in the facts"
        )
    };
}

/// A `let`, or the items a `require any … as NAME` keeps.
fn binding(out: &mut String, a: &Analysis, s: &Symbol) {
    let owner = s.decision.and_then(|d| a.ast.decisions.get(d));
    let expr = owner.and_then(|d| {
        d.body.iter().find_map(|st| match st {
            Stmt::Let(n, e) if n.span == s.span => Some(e),
            _ => None,
        })
    });
    match expr {
        Some(e) => {
            let _ = writeln!(out, "```vouch\nlet {} = {}\n```", s.name, slice(a, e.span));
        }
        None => {
            let _ = writeln!(
                out,
                "```vouch\nas {}\n```\n\nthe items that meet every condition",
                s.name
            );
        }
    }
    let ty = a.program.as_ref().and_then(|p| {
        let d = p
            .decisions
            .iter()
            .find(|d| Some(&*d.name) == owner.map(|o| o.name.node.as_str()))?;
        d.lets
            .iter()
            .find(|l| l.name == s.name)
            .map(|l| l.expr.ty.display(&enum_names(a)).to_string())
    });
    let _ = writeln!(
        out,
        "\nlet of `{}`{}",
        owner.map_or("", |d| d.name.node.as_str()),
        ty.map(|t| format!(", of type `{t}`")).unwrap_or_default()
    );
}

/// A field of a record: its type, and whose records have it.
fn record_field(out: &mut String, a: &Analysis, s: &Symbol) {
    fn find(ty: &ast::TypeExpr, at: Span) -> Option<&ast::TypeExpr> {
        match &ty.kind {
            ast::TypeKind::List(inner) | ast::TypeKind::Set(inner) => find(inner, at),
            ast::TypeKind::Record(fields) => {
                fields
                    .iter()
                    .find_map(|(n, t)| if n.span == at { Some(t) } else { find(t, at) })
            }
            ast::TypeKind::Named(_) | ast::TypeKind::Map(..) => None,
        }
    }
    let declared = a
        .ast
        .facts
        .iter()
        .map(|f| &f.ty)
        .chain(a.ast.params.iter().filter_map(|p| p.ty.as_ref()))
        .find_map(|t| find(t, s.span));
    let Some(ty) = declared else {
        return;
    };
    let _ = writeln!(out, "```vouch\n{}: {}\n```", s.name, slice(a, ty.span));
    let owner = s.parent.map(|p| &a.index.symbols[p]);
    if let Some(o) = owner {
        let optional = if ty.optional {
            ", optional: `null` means none"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\nfield of the records of the {} `{}`{optional}",
            o.kind.word(),
            o.name
        );
    }
}

/// A name for each item of a list.
fn item(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(d) = s.decision.and_then(|d| a.ast.decisions.get(d)) else {
        return;
    };
    let mut list = None;
    d.walk_exprs(&mut |e| {
        if let ExprKind::Each { var, list: l, .. } = &e.node {
            if var.span == s.span {
                list = Some(l.span);
            }
        }
    });
    for stmt in &d.body {
        if let Stmt::Arm(ast::Arm::Require {
            each: Some(each), ..
        }) = stmt
        {
            if each.var.span == s.span {
                list = Some(each.list.span);
            }
        }
    }
    if let Some(l) = list {
        let _ = writeln!(
            out,
            "```vouch\n{} in {}\n```\n\neach item of the list, in turn",
            s.name,
            slice(a, l)
        );
    }
}

fn cite(out: &mut String, a: &Analysis, c: Option<&ast::Cite>) {
    let Some(c) = c else { return };
    let title = a
        .ast
        .header
        .iter()
        .flat_map(|h| &h.sources)
        .find(|s| s.id.node == c.source.node)
        .map(|s| match &s.file {
            Some(f) => format!(" ({}, file `{}`)", s.title.node, f.node),
            None => format!(" ({})", s.title.node),
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\ncites `{}`{title}:\n\n> {}",
        c.source.node, c.quote.node
    );
}

fn decision(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(d) = a.ast.decisions.iter().find(|d| d.name.span == s.span) else {
        return;
    };
    let doc = d
        .doc
        .as_ref()
        .map(|d| format!(" \"{}\"", d.node))
        .unwrap_or_default();
    let _ = writeln!(out, "```vouch\ndecision {}{doc}\n```", s.name);
    if let Some(t) = &d.trigger {
        let text = &a.text()[t.span.start..t.span.end];
        let _ = writeln!(out, "\nwhen `{}`", squash(text));
    }
    let _ = writeln!(out, "\noutcomes:");
    let index = a.ast.decisions.iter().position(|x| std::ptr::eq(x, d));
    let mut seen: Vec<&str> = Vec::new();
    for stmt in &d.body {
        let Stmt::Arm(arm) = stmt else { continue };
        for o in arm.outcomes() {
            if seen.contains(&o.name.node.as_str()) {
                continue;
            }
            seen.push(&o.name.node);
            let fields = outcome_fields(a, index, &o.name.node).unwrap_or_default();
            let _ = writeln!(out, "- `{}`{}", o.name.node, fields.trim_start_matches(':'));
        }
    }
    if let Some(c) = &d.cite {
        cite(out, a, Some(c));
    }
}

/// `: with refund (money), …` for an outcome, from the program when it checks.
fn outcome_fields(a: &Analysis, decision: Option<usize>, outcome: &str) -> Option<String> {
    let d = a.ast.decisions.get(decision?)?;
    let typed = a.program.as_ref().and_then(|p| {
        let ir = p.decisions.iter().find(|x| *x.name == d.name.node)?;
        let o = ir.outcomes.iter().find(|o| &*o.name == outcome)?;
        let names = p.enum_names();
        Some(
            o.fields
                .iter()
                .map(|(n, t)| format!("`{n}`: {}", t.display(&names)))
                .collect::<Vec<_>>(),
        )
    });
    let fields = typed.unwrap_or_else(|| {
        let mut names: Vec<String> = Vec::new();
        for stmt in &d.body {
            if let Stmt::Arm(arm) = stmt {
                for o in arm
                    .outcomes()
                    .into_iter()
                    .filter(|o| o.name.node == outcome)
                {
                    for (f, _) in &o.fields {
                        let f = format!("`{}`", f.node);
                        if !names.contains(&f) {
                            names.push(f);
                        }
                    }
                }
            }
        }
        names
    });
    let reasons = d.body.iter().any(
        |st| matches!(st, Stmt::Arm(ast::Arm::Require { fail, .. }) if fail.name.node == outcome),
    );
    let mut parts = fields;
    if reasons {
        parts.push("`reasons`".into());
    }
    Some(if parts.is_empty() {
        String::new()
    } else {
        format!(": with {}", parts.join(", "))
    })
}

fn field_type(a: &Analysis, decision: Option<usize>, field: &str) -> Option<String> {
    let d = a.ast.decisions.get(decision?)?;
    let p = a.program.as_ref()?;
    let ir = p.decisions.iter().find(|x| *x.name == d.name.node)?;
    let names = p.enum_names();
    ir.outcomes
        .iter()
        .flat_map(|o| &o.fields)
        .find(|(n, _)| &**n == field)
        .map(|(_, t)| t.display(&names).to_string())
}

/// A variant's label and the enum it belongs to (none for a service).
fn variant_label(a: &Analysis, s: &Symbol) -> (Option<String>, Option<String>) {
    for e in &a.ast.enums {
        if let Some(v) = e.variants.iter().find(|v| v.name.span == s.span) {
            return (
                v.label.as_ref().map(|l| l.node.clone()),
                Some(e.name.node.clone()),
            );
        }
    }
    let label = a
        .ast
        .services
        .iter()
        .flat_map(|b| &b.services)
        .find(|x| x.name.span == s.span)
        .and_then(|x| x.label.as_ref().map(|l| l.node.clone()));
    (label, None)
}

fn service(out: &mut String, a: &Analysis, s: &Symbol) {
    let Some(d) = a
        .ast
        .services
        .iter()
        .flat_map(|b| &b.services)
        .find(|x| x.name.span == s.span)
    else {
        return;
    };
    let text = a.text();
    let requirement = match &d.requirement {
        Requirement::Required => "required for every product".to_string(),
        Requirement::Optional => "optional".to_string(),
        Requirement::RequiredFor(e) => {
            format!("required for `{}`", squash(&text[e.span.start..e.span.end]))
        }
    };
    let _ = writeln!(out, "\nservice, {requirement}");
    cite(out, a, d.cite.as_ref());
}
