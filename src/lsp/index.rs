//! What each name in a policy is: its declarations, and every place it is
//! used, from the checker's resolution (and, where the checker stopped at
//! an error, from the names alone).

use std::collections::{HashMap, HashSet};

use crate::ast::{BinOp, Decision, Expr, ExprKind, Policy, Stmt, TypeExpr, TypeKind};
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
    /// A field of a record type: `unit_price` in `list<{unit_price: money}>`.
    RecordField,
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
            Kind::RecordField => "record field",
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
    /// The enum a variant belongs to; the fact, parameter or record field
    /// whose type a record field is part of.
    pub parent: Option<usize>,
    /// For a name whose values are records or lists of records: the symbol
    /// whose record fields they have (the `parent` of those fields).
    pub holder: Option<usize>,
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

    /// The field `name` of the records a symbol's values are or hold.
    pub fn record_field(&self, symbol: usize, name: &str) -> Option<usize> {
        let holder = self.symbols[symbol].holder?;
        self.symbols
            .iter()
            .position(|s| s.kind == Kind::RecordField && s.parent == Some(holder) && s.name == name)
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
            holder: None,
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
            let id = self.declare(Kind::Fact, &f.path.node, f.path.span, None);
            self.record_fields(&f.ty, id);
        }
        for p in &policy.params {
            let id = self.declare(Kind::Param, &p.name.node, p.name.span, None);
            if let Some(ty) = &p.ty {
                self.record_fields(ty, id);
            }
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
            self.item_records(d, i);
        }
    }

    /// Declare the fields of the records a type holds (`list<{sku: text}>`),
    /// each with `owner` (the fact, parameter or field of that type) as parent.
    fn record_fields(&mut self, ty: &TypeExpr, owner: usize) {
        match &ty.kind {
            TypeKind::List(inner) | TypeKind::Set(inner) => self.record_fields(inner, owner),
            TypeKind::Record(fields) => {
                self.index.symbols[owner].holder = Some(owner);
                for (name, field_ty) in fields {
                    let id = self.declare(Kind::RecordField, &name.node, name.span, None);
                    self.index.symbols[id].parent = Some(owner);
                    self.record_fields(field_ty, id);
                }
            }
            TypeKind::Named(_) | TypeKind::Map(..) => {}
        }
    }

    /// Which records the items and `let`s of a decision hold, in the order
    /// they are written (a name's list may be an earlier name).
    fn item_records(&mut self, d: &Decision, decision: usize) {
        let mut bound: Vec<(Span, &Expr)> = Vec::new();
        d.walk_exprs(&mut |e| {
            if let ExprKind::Each { var, list, .. } = &e.node {
                bound.push((var.span, &**list));
            }
        });
        for stmt in &d.body {
            match stmt {
                Stmt::Let(n, e) => bound.push((n.span, e)),
                Stmt::Arm(crate::ast::Arm::Require {
                    each: Some(each), ..
                }) => {
                    bound.push((each.var.span, &each.list));
                    if let Some(keep) = &each.keep {
                        bound.push((keep.span, &each.list));
                    }
                }
                Stmt::Arm(_) => {}
            }
        }
        bound.sort_by_key(|(span, _)| span.start);
        for (span, e) in bound {
            let Some(&id) = self.by_span.get(&(span.start, span.end)) else {
                continue;
            };
            self.index.symbols[id].holder = self.holder_of(e, decision);
        }
    }

    /// The symbol whose record fields the values of an expression have.
    fn holder_of(&self, e: &Expr, decision: usize) -> Option<usize> {
        match &e.node {
            ExprKind::Path(p) => {
                let (first, rest) = p.split_once('.').unwrap_or((p, ""));
                let local = self.index.symbols.iter().rposition(|s| {
                    matches!(s.kind, Kind::Item | Kind::Let)
                        && s.decision == Some(decision)
                        && s.name == first
                        && s.span.start < e.span.start
                });
                match local {
                    Some(id) => rest
                        .split('.')
                        .filter(|seg| !seg.is_empty())
                        .try_fold(id, |at, seg| self.index.record_field(at, seg))
                        .and_then(|id| self.index.symbols[id].holder),
                    None => self
                        .global(Kind::Param, p)
                        .or_else(|| self.global(Kind::Fact, p))
                        .and_then(|id| self.index.symbols[id].holder),
                }
            }
            ExprKind::Each { func, list, .. } if func.node == "filter" => {
                self.holder_of(list, decision)
            }
            ExprKind::If(_, a, b) => self
                .holder_of(a, decision)
                .or_else(|| self.holder_of(b, decision)),
            ExprKind::Binary(BinOp::Coalesce, a, _) => self.holder_of(a, decision),
            _ => None,
        }
    }

    /// The record fields named after an item: `unit_price` in
    /// `item.unit_price`, written from `at` on.
    fn fields_after(&mut self, item: usize, fields: &str, mut at: usize) {
        let mut symbol = item;
        for seg in fields.split('.').filter(|seg| !seg.is_empty()) {
            let Some(field) = self.index.record_field(symbol, seg) else {
                return;
            };
            self.occur(Span::new(at, at + seg.len()), field, false);
            symbol = field;
            at += seg.len() + 1;
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
            self.fields_after(item, field, span.start + first.len() + 1);
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
