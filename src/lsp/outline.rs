//! The outline of a policy: the header and its sources, enums, facts,
//! services, parameters, calendars, and decisions with their outcomes and
//! `let`s.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::analysis::Analysis;
use crate::ast::{Decision, Stmt};
use crate::source::Span;

/// One entry of the outline, before it becomes the protocol's.
struct Entry<'a> {
    name: &'a str,
    detail: Option<String>,
    kind: SymbolKind,
    /// The whole item.
    full: Span,
    /// Its name.
    at: Span,
    children: Vec<DocumentSymbol>,
}

impl<'a> Entry<'a> {
    fn new(name: &'a str, kind: SymbolKind, full: Span, at: Span) -> Self {
        Entry {
            name,
            detail: None,
            kind,
            full,
            at,
            children: Vec::new(),
        }
    }

    fn detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail;
        self
    }

    fn children(mut self, children: Vec<DocumentSymbol>) -> Self {
        self.children = children;
        self
    }

    #[allow(deprecated)] // `deprecated` is a field the protocol still has
    fn build(self, a: &Analysis) -> DocumentSymbol {
        DocumentSymbol {
            name: self.name.to_string(),
            detail: self.detail,
            kind: self.kind,
            tags: None,
            deprecated: None,
            range: a.range(self.full.to(self.at)),
            selection_range: a.range(self.at),
            children: (!self.children.is_empty()).then_some(self.children),
        }
    }
}

pub(crate) fn outline(a: &Analysis) -> Vec<DocumentSymbol> {
    let ast = &a.ast;
    let text = a.text();
    let slice = |s: Span| text[s.start.min(text.len())..s.end.min(text.len())].to_string();
    let mut out = Vec::new();
    if let Some(h) = &ast.header {
        out.push(header(a, h));
    }
    for e in &ast.enums {
        out.push(enumeration(a, e));
    }
    if let (Some(first), Some(last)) = (ast.facts.first(), ast.facts.last()) {
        let facts = ast
            .facts
            .iter()
            .map(|f| {
                Entry::new(
                    &f.path.node,
                    SymbolKind::FIELD,
                    f.path.span.to(f.ty.span),
                    f.path.span,
                )
                .detail(Some(slice(f.ty.span)))
                .build(a)
            })
            .collect();
        let span = first.path.span.to(last.ty.span);
        let at = Span::new(span.start, span.start);
        out.push(
            Entry::new("facts", SymbolKind::NAMESPACE, span, at)
                .children(facts)
                .build(a),
        );
    }
    if let Some(b) = &ast.services {
        let services = b
            .services
            .iter()
            .map(|s| {
                Entry::new(
                    &s.name.node,
                    SymbolKind::INTERFACE,
                    s.name.span,
                    s.name.span,
                )
                .detail(s.label.as_ref().map(|l| l.node.clone()))
                .build(a)
            })
            .collect();
        let at = Span::new(b.span.start, b.span.start);
        out.push(
            Entry::new("services", SymbolKind::NAMESPACE, b.span, at)
                .children(services)
                .build(a),
        );
    }
    for p in &ast.params {
        let entry = Entry::new(&p.name.node, SymbolKind::CONSTANT, p.span, p.name.span);
        out.push(entry.detail(Some(slice(p.value.span))).build(a));
    }
    for c in &ast.calendars {
        out.push(Entry::new(&c.name.node, SymbolKind::OBJECT, c.span, c.name.span).build(a));
    }
    for d in &ast.decisions {
        out.push(decision(a, d));
    }
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    out
}

/// The header, with its sources as children.
fn header(a: &Analysis, h: &crate::ast::Header) -> DocumentSymbol {
    let sources = h
        .sources
        .iter()
        .map(|s| {
            Entry::new(
                &s.id.node,
                SymbolKind::FILE,
                s.id.span.to(s.title.span),
                s.id.span,
            )
            .detail(Some(s.title.node.clone()))
            .build(a)
        })
        .collect();
    Entry::new(&h.id.node, SymbolKind::MODULE, h.span, h.id.span)
        .detail(h.name.as_ref().map(|n| n.node.clone()))
        .children(sources)
        .build(a)
}

/// An enum, with its values as children.
fn enumeration(a: &Analysis, e: &crate::ast::EnumDecl) -> DocumentSymbol {
    let values = e
        .variants
        .iter()
        .map(|v| {
            Entry::new(
                &v.name.node,
                SymbolKind::ENUM_MEMBER,
                v.name.span,
                v.name.span,
            )
            .detail(v.label.as_ref().map(|l| l.node.clone()))
            .build(a)
        })
        .collect();
    Entry::new(&e.name.node, SymbolKind::ENUM, e.span, e.name.span)
        .children(values)
        .build(a)
}

/// A decision, with its `let`s and each outcome where first given.
fn decision(a: &Analysis, d: &Decision) -> DocumentSymbol {
    let mut children = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for stmt in &d.body {
        match stmt {
            Stmt::Let(n, e) => children.push(
                Entry::new(&n.node, SymbolKind::VARIABLE, n.span.to(e.span), n.span).build(a),
            ),
            Stmt::Arm(arm) => {
                for o in arm.outcomes() {
                    if !seen.contains(&o.name.node.as_str()) {
                        seen.push(&o.name.node);
                        children.push(
                            Entry::new(&o.name.node, SymbolKind::EVENT, o.span, o.name.span)
                                .build(a),
                        );
                    }
                }
            }
        }
    }
    Entry::new(&d.name.node, SymbolKind::FUNCTION, d.span, d.name.span)
        .detail(d.doc.as_ref().map(|x| x.node.clone()))
        .children(children)
        .build(a)
}
