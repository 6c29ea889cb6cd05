//! What each name in a policy is: its declarations, and every place it is
//! used, from the checker's resolution (and, where the checker stopped at
//! an error, from the names alone).

use std::collections::{HashMap, HashSet};

use crate::ast::{Expr, ExprKind, Policy, Stmt};
use crate::check::NameUse;
use crate::source::Span;

/// What a declared name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Source,
    Enum,
    Variant,
    Service,
    Fact,
    Param,
    Decision,
    Outcome,
    Field,
    Let,
    /// An item of a list: `item` in `sum(item in order.items, …)` or `any item in …`.
    Item,
    Calendar,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Source => "source",
            Kind::Enum => "enum",
            Kind::Variant => "enum value",
            Kind::Service => "service",
            Kind::Fact => "fact",
            Kind::Param => "parameter",
            Kind::Decision => "decision",
            Kind::Outcome => "outcome",
            Kind::Field => "field",
            Kind::Let => "let",
            Kind::Item => "list item",
            Kind::Calendar => "calendar",
        }
    }
}

/// A declared name.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub kind: Kind,
    pub name: String,
    /// The name in its declaration.
    pub span: Span,
    /// The decision (by position in the file) an outcome, field or `let` belongs to.
    pub decision: Option<usize>,
    /// The enum a variant belongs to.
    pub parent: Option<usize>,
}

/// A place where a symbol's name is written.
#[derive(Clone, Copy, Debug)]
pub struct Occurrence {
    pub span: Span,
    pub symbol: usize,
    pub declaration: bool,
}

/// Every symbol of a policy and every occurrence of each.
#[derive(Debug, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    /// Sorted by position.
    pub occurrences: Vec<Occurrence>,
    /// Calls of built-in functions: the name as written.
    pub calls: Vec<(Span, String)>,
}

impl Index {
    pub fn build(policy: &Policy, names: &[NameUse]) -> Index {
        let mut b = Builder::default();
        b.declarations(policy);
        for n in names {
            if let Some(&symbol) = b.by_span.get(&(n.declared.start, n.declared.end)) {
                b.occur(n.at, symbol, false);
            }
        }
        b.unresolved(policy);
        let mut index = b.index;
        index
            .occurrences
            .sort_by_key(|o| (o.span.start, o.span.end));
        index
    }

    /// The occurrence under a byte offset (touching its end counts).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let i = self.occurrences.partition_point(|o| o.span.end < offset);
        self.occurrences[i..]
            .iter()
            .take_while(|o| o.span.start <= offset)
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    pub fn occurrences_of(&self, symbol: usize) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(move |o| o.symbol == symbol)
    }

    /// A symbol by kind and name (the first declared).
    pub fn find(&self, kind: Kind, name: &str) -> Option<usize> {
        self.symbols
            .iter()
            .position(|s| s.kind == kind && s.name == name)
    }

    /// The built-in function called at an offset.
    pub fn call_at(&self, offset: usize) -> Option<(Span, &str)> {
        self.calls
            .iter()
            .find(|(s, _)| s.start <= offset && offset <= s.end)
            .map(|(s, n)| (*s, n.as_str()))
    }
}

#[derive(Default)]
struct Builder {
    index: Index,
    by_span: HashMap<(usize, usize), usize>,
    seen: HashSet<(usize, usize)>,
}

impl Builder {
    fn declare(&mut self, kind: Kind, name: &str, span: Span, decision: Option<usize>) -> usize {
        let id = self.index.symbols.len();
        self.index.symbols.push(Symbol {
            kind,
            name: name.to_string(),
            span,
            decision,
            parent: None,
        });
        self.by_span.insert((span.start, span.end), id);
        self.occur(span, id, true);
        id
    }

    fn occur(&mut self, span: Span, symbol: usize, declaration: bool) {
        if self.seen.insert((span.start, span.end)) {
            self.index.occurrences.push(Occurrence {
                span,
                symbol,
                declaration,
            });
        }
    }

    fn declarations(&mut self, policy: &Policy) {
        for s in policy.header.iter().flat_map(|h| &h.sources) {
            self.declare(Kind::Source, &s.id.node, s.id.span, None);
        }
        for e in &policy.enums {
            let parent = self.declare(Kind::Enum, &e.name.node, e.name.span, None);
            for v in &e.variants {
                let id = self.declare(Kind::Variant, &v.name.node, v.name.span, None);
                self.index.symbols[id].parent = Some(parent);
            }
        }
        for s in policy.services.iter().flat_map(|b| &b.services) {
            self.declare(Kind::Service, &s.name.node, s.name.span, None);
        }
        for f in &policy.facts {
            self.declare(Kind::Fact, &f.path.node, f.path.span, None);
        }
        for p in &policy.params {
            self.declare(Kind::Param, &p.name.node, p.name.span, None);
        }
        for c in &policy.calendars {
            self.declare(Kind::Calendar, &c.name.node, c.name.span, None);
        }
        for (i, d) in policy.decisions.iter().enumerate() {
            self.declare(Kind::Decision, &d.name.node, d.name.span, None);
            // Names bound to a list's items, and to the items kept.
            let mut items: Vec<&crate::source::Name> = Vec::new();
            d.walk_exprs(&mut |e| {
                if let ExprKind::Each { var, .. } = &e.node {
                    items.push(var);
                }
            });
            for stmt in &d.body {
                if let Stmt::Arm(crate::ast::Arm::Require {
                    each: Some(each), ..
                }) = stmt
                {
                    items.push(&each.var);
                    if let Some(keep) = &each.keep {
                        self.declare(Kind::Let, &keep.node, keep.span, Some(i));
                    }
                }
            }
            for var in items {
                self.declare(Kind::Item, &var.node, var.span, Some(i));
            }
            let mut outcomes: HashMap<&str, usize> = HashMap::new();
            let mut fields: HashMap<&str, usize> = HashMap::new();
            for stmt in &d.body {
                match stmt {
                    Stmt::Let(n, _) => {
                        self.declare(Kind::Let, &n.node, n.span, Some(i));
                    }
                    Stmt::Arm(arm) => {
                        for o in arm.outcomes() {
                            match outcomes.get(o.name.node.as_str()) {
                                Some(&id) => self.occur(o.name.span, id, false),
                                None => {
                                    let id = self.declare(
                                        Kind::Outcome,
                                        &o.name.node,
                                        o.name.span,
                                        Some(i),
                                    );
                                    outcomes.insert(&o.name.node, id);
                                }
                            }
                            for (f, _) in &o.fields {
                                match fields.get(f.node.as_str()) {
                                    Some(&id) => self.occur(f.span, id, false),
                                    None => {
                                        let id =
                                            self.declare(Kind::Field, &f.node, f.span, Some(i));
                                        fields.insert(&f.node, id);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Names the checker did not resolve (it stops at the first error in an
    /// expression): resolved by name, in the checker's order.
    fn unresolved(&mut self, policy: &Policy) {
        let mut found: Vec<(Option<usize>, &Expr)> = Vec::new();
        for p in &policy.params {
            p.value.walk(&mut |e| found.push((None, e)));
            for d in &p.dated {
                d.value.walk(&mut |e| found.push((None, e)));
            }
        }
        for s in policy.services.iter().flat_map(|b| &b.services) {
            if let crate::ast::Requirement::RequiredFor(e) = &s.requirement {
                e.walk(&mut |e| found.push((None, e)));
            }
        }
        for (i, d) in policy.decisions.iter().enumerate() {
            d.walk_exprs(&mut |e| found.push((Some(i), e)));
        }
        for (decision, e) in found {
            match &e.node {
                ExprKind::Path(p) => self.resolve_path(p, e.span, decision),
                ExprKind::Exists(n) => {
                    if let Some(id) = self.global(Kind::Fact, &n.node) {
                        self.occur(n.span, id, false);
                    }
                }
                ExprKind::Is { subject, what, .. } => {
                    if let ExprKind::Path(p) = &subject.node {
                        if let Some(d) = self.global(Kind::Decision, p) {
                            let di = self.decision_index(d);
                            if let Some(o) = self.local(Kind::Outcome, &what.node, di) {
                                self.occur(what.span, o, false);
                            }
                        }
                    }
                }
                ExprKind::Call(name, _) => self.index.calls.push((name.span, name.node.clone())),
                _ => {}
            }
        }
    }

    fn resolve_path(&mut self, p: &str, span: Span, decision: Option<usize>) {
        if self.seen.contains(&(span.start, span.end)) {
            return;
        }
        let (first, field) = p.split_once('.').unwrap_or((p, ""));
        // A list's item comes first: `item.unit_price`.
        let item = decision.and_then(|d| {
            self.index.symbols.iter().rposition(|s| {
                s.kind == Kind::Item
                    && s.decision == Some(d)
                    && s.name == first
                    && s.span.start < span.start
            })
        });
        if let Some(item) = item {
            self.occur(Span::new(span.start, span.start + first.len()), item, false);
            return;
        }
        if !p.contains('.') {
            let target = decision
                .and_then(|d| {
                    self.index.symbols.iter().rposition(|s| {
                        s.kind == Kind::Let
                            && s.decision == Some(d)
                            && s.name == p
                            && s.span.start < span.start
                    })
                })
                .or_else(|| self.global(Kind::Calendar, p))
                .or_else(|| self.global(Kind::Param, p))
                .or_else(|| self.global(Kind::Decision, p))
                .or_else(|| self.global(Kind::Fact, p))
                .or_else(|| self.unique(Kind::Variant, p))
                .or_else(|| self.global(Kind::Service, p));
            if let Some(t) = target {
                self.occur(span, t, false);
            }
            return;
        }
        if let Some(d) = self.global(Kind::Decision, first) {
            if self.seen.contains(&(span.start, span.start + first.len())) {
                return;
            }
            self.occur(Span::new(span.start, span.start + first.len()), d, false);
            let di = self.decision_index(d);
            if let Some(f) = self.local(Kind::Field, field, di) {
                self.occur(Span::new(span.end - field.len(), span.end), f, false);
            }
        } else if let Some(f) = self.global(Kind::Fact, p) {
            self.occur(span, f, false);
        }
    }

    fn global(&self, kind: Kind, name: &str) -> Option<usize> {
        self.index.find(kind, name)
    }

    fn unique(&self, kind: Kind, name: &str) -> Option<usize> {
        let mut it = self
            .index
            .symbols
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == kind && s.name == name);
        let first = it.next()?.0;
        it.next().is_none().then_some(first)
    }

    fn local(&self, kind: Kind, name: &str, decision: Option<usize>) -> Option<usize> {
        self.index
            .symbols
            .iter()
            .position(|s| s.kind == kind && s.name == name && s.decision == decision)
    }

    /// The position in the file of the decision a symbol declares.
    fn decision_index(&self, symbol: usize) -> Option<usize> {
        let decisions = self.index.symbols[..=symbol]
            .iter()
            .filter(|s| s.kind == Kind::Decision)
            .count();
        Some(decisions - 1)
    }
}
