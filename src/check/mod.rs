//! AST → resolved, typed [`Program`], with every mistake reported at once.

mod blame;
mod calendar;
pub(crate) mod decision;
mod each;
mod expr;
mod ops;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::FixedOffset;

use crate::ast::{self, TypeExpr, TypeKind};
use crate::diagnostic::Finding;
use crate::program::*;
use crate::source::{SourceFile, Span};
use crate::types::{parse_zone, Type, Value};

pub(crate) use expr::Scope;

/// Check a parsed policy and build the program that evaluates it.
pub fn check(source: &SourceFile, policy: &ast::Policy) -> Result<Program, Vec<Finding>> {
    check_with_names(source, policy).0
}

/// A name written in the policy and the declaration it resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameUse {
    /// The name as written (for `refund.amount`, the part that names the thing).
    pub at: Span,
    /// The name in its declaration.
    pub declared: Span,
}

/// [`check`], and where each name the checker resolved is declared, even
/// in a policy with errors: what an editor needs to navigate it.
pub fn check_with_names(
    source: &SourceFile,
    policy: &ast::Policy,
) -> (Result<Program, Vec<Finding>>, Vec<NameUse>) {
    let mut c = Checker::new(source, policy);
    let result = c.run(policy);
    (result, c.names)
}

impl Checker<'_> {
    fn run(&mut self, policy: &ast::Policy) -> Result<Program, Vec<Finding>> {
        let source = self.source;
        let c = self;
        let (id, display_name, platform, zone) = c.header(policy);
        c.sources = policy
            .header
            .iter()
            .flat_map(|h| h.sources.iter().map(|s| s.id.node.clone()))
            .collect();
        c.enums(policy);
        c.service_enum(policy);
        c.facts(policy);
        c.as_of = c.header_as_of(policy);
        c.calendars(policy);
        c.params(policy);
        c.services(policy);
        c.decisions(policy);
        if !c.findings.is_empty() {
            let mut findings = std::mem::take(&mut c.findings);
            findings.sort_by_key(|f| (f.span.start, f.span.end));
            return Err(findings);
        }
        let order = c.order.clone();
        let decisions = std::mem::take(&mut c.decisions)
            .into_iter()
            .map(|d| d.expect("checked"))
            .collect();
        Ok(Program {
            id,
            display_name,
            platform,
            zone,
            source: source.clone(),
            enums: std::mem::take(&mut c.enums),
            variants: std::mem::take(&mut c.variants),
            facts: std::mem::take(&mut c.facts),
            params: std::mem::take(&mut c.params),
            calendars: std::mem::take(&mut c.calendars),
            services: c.services.take(),
            decisions,
            order,
        })
    }
}

pub(crate) struct Checker<'s> {
    pub source: &'s SourceFile,
    pub policy: &'s ast::Policy,
    /// Per decision: 0 unchecked, 1 being checked, 2 done.
    pub decision_state: Vec<u8>,
    pub decision_stack: Vec<usize>,
    pub deps_stack: Vec<Vec<usize>>,
    pub findings: Vec<Finding>,
    pub sources: Vec<String>,
    pub enums: Vec<EnumInfo>,
    pub variants: Vec<(u32, Arc<str>)>,
    pub enum_by_name: HashMap<String, u32>,
    pub facts: FactLayout,
    pub params: Vec<ParamInfo>,
    pub param_by_name: HashMap<String, u32>,
    pub calendars: Vec<Calendar>,
    /// The policy's `as_of` fact, for dated parameters.
    pub as_of: Option<u32>,
    pub services: Option<ServicesInfo>,
    pub decision_by_name: HashMap<String, usize>,
    /// Outcome names of each decision, known before bodies are checked.
    pub decision_outcomes: Vec<Vec<String>>,
    pub decisions: Vec<Option<DecisionIr>>,
    pub order: Vec<usize>,
    pub zone: FixedOffset,
    /// Facts and parameters whose declarations were reported as wrong: their
    /// uses are not reported again.
    pub poisoned: Vec<String>,
    /// Where each variant (by global index) is declared.
    pub variant_spans: Vec<Span>,
    /// Each name resolved, and its declaration.
    pub names: Vec<NameUse>,
}

impl<'s> Checker<'s> {
    fn new(source: &'s SourceFile, policy: &'s ast::Policy) -> Self {
        Checker {
            source,
            policy,
            decision_state: Vec::new(),
            decision_stack: Vec::new(),
            deps_stack: Vec::new(),
            findings: Vec::new(),
            sources: Vec::new(),
            enums: Vec::new(),
            variants: Vec::new(),
            enum_by_name: HashMap::new(),
            facts: FactLayout::default(),
            params: Vec::new(),
            param_by_name: HashMap::new(),
            calendars: Vec::new(),
            as_of: None,
            services: None,
            decision_by_name: HashMap::new(),
            decision_outcomes: Vec::new(),
            decisions: Vec::new(),
            order: Vec::new(),
            zone: FixedOffset::east_opt(0).expect("zero offset"),
            poisoned: Vec::new(),
            variant_spans: Vec::new(),
            names: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings
            .push(Finding::new(self.source, code, span, message));
        self.findings.last_mut().expect("just pushed")
    }

    /// Note that the name at `at` resolves to the declaration at `declared`.
    pub fn note_name(&mut self, at: Span, declared: Span) {
        self.names.push(NameUse { at, declared });
    }

    pub fn enum_names(&self) -> Vec<String> {
        self.enums.iter().map(|e| e.name.clone()).collect()
    }

    pub fn show(&self, ty: &Type) -> String {
        ty.display(&self.enum_names()).to_string()
    }

    fn header(
        &mut self,
        policy: &ast::Policy,
    ) -> (Arc<str>, Option<String>, Option<String>, FixedOffset) {
        let Some(h) = &policy.header else {
            self.error(
                "vouch::check::missing_header",
                Span::new(0, 0),
                "the policy has no `policy` header",
            )
            .help("start the file with `policy my_program { zone \"+08:00\" }`");
            return ("".into(), None, None, self.zone);
        };
        if let Some(z) = &h.zone {
            match parse_zone(&z.node) {
                Some(zone) => self.zone = zone,
                None => {
                    self.error(
                        "vouch::check::bad_zone",
                        z.span,
                        format!("`{}` is not a time zone", z.node),
                    )
                    .help("write a fixed offset such as `\"+08:00\"` (China Standard Time)");
                }
            }
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for s in &h.sources {
            if let Some(first) = seen.insert(&s.id.node, s.id.span) {
                self.declared_twice("source", &s.id.node, s.id.span, first);
            }
        }
        (
            h.id.node.as_str().into(),
            h.name.as_ref().map(|n| n.node.clone()),
            h.platform.as_ref().map(|n| n.node.clone()),
            self.zone,
        )
    }

    fn add_enum(&mut self, name: &str, open: bool, variants: &[(String, Span)], span: Span) {
        let index = self.enums.len() as u32;
        let mut lookup = HashMap::new();
        let mut ids = Vec::new();
        let mut first: HashMap<&str, Span> = HashMap::new();
        for (v, vspan) in variants {
            if let Some(f) = first.insert(v, *vspan) {
                self.error(
                    "vouch::check::duplicate_name",
                    *vspan,
                    format!("`{v}` is listed twice in `{name}`"),
                )
                .related(f, "first listed here");
                continue;
            }
            let id = self.variants.len() as u32;
            self.variants.push((index, v.as_str().into()));
            self.variant_spans.push(*vspan);
            lookup.insert(Arc::from(v.as_str()), id);
            ids.push(id);
        }
        self.enum_by_name.insert(name.to_string(), index);
        self.enums.push(EnumInfo {
            name: name.to_string(),
            open,
            lookup,
            variants: ids,
            span,
        });
    }

    fn enums(&mut self, policy: &ast::Policy) {
        for e in &policy.enums {
            if BASE_TYPES.iter().any(|(n, _)| *n == e.name.node) || e.name.node == "service" {
                self.error(
                    "vouch::check::duplicate_name",
                    e.name.span,
                    format!("`{}` is already a type", e.name.node),
                )
                .help("choose another name for the enum");
                continue;
            }
            if let Some(&prev) = self.enum_by_name.get(&e.name.node) {
                let first = self.enums[prev as usize].span;
                self.declared_twice("enum", &e.name.node, e.name.span, first);
                continue;
            }
            let variants: Vec<(String, Span)> = e
                .variants
                .iter()
                .map(|v| (v.name.node.clone(), v.name.span))
                .collect();
            self.add_enum(&e.name.node, e.open, &variants, e.name.span);
        }
    }

    /// The services block declares the open enum `service`.
    fn service_enum(&mut self, policy: &ast::Policy) {
        if let Some(block) = &policy.services {
            let variants: Vec<(String, Span)> = block
                .services
                .iter()
                .map(|s| (s.name.node.clone(), s.name.span))
                .collect();
            self.add_enum("service", true, &variants, block.span);
        }
    }

    pub fn resolve_type(&mut self, t: &TypeExpr) -> Option<Type> {
        let base = match &t.kind {
            TypeKind::Named(n) => {
                if let Some((_, ty)) = BASE_TYPES.iter().find(|(name, _)| *name == n.node) {
                    ty.clone()
                } else if let Some(&i) = self.enum_by_name.get(&n.node) {
                    if n.node != "service" {
                        self.note_name(n.span, self.enums[i as usize].span);
                    }
                    Type::Enum(i)
                } else {
                    let mut names: Vec<String> =
                        BASE_TYPES.iter().map(|(n, _)| n.to_string()).collect();
                    names.extend(self.enum_by_name.keys().cloned());
                    let f = self
                        .error(
                            "vouch::check::unknown_type",
                            n.span,
                            format!("unknown type `{}`", n.node),
                        )
                        .label("not a type");
                    let hint = did_you_mean(&n.node, names.iter().map(String::as_str));
                    f.help = Some(hint.unwrap_or_else(|| {
                        "types are money, int, ratio, bool, text, instant, duration, months, time, date, set<…>, list<…>, map<…, …>, {field: type, …} and declared enums".into()
                    }));
                    return None;
                }
            }
            TypeKind::Set(inner) => Type::set_of(self.resolve_type(inner)?),
            TypeKind::List(inner) => Type::List(Box::new(self.resolve_type(inner)?)),
            TypeKind::Record(fields) => self.record_type(fields, t.span)?,
            TypeKind::Map(k, v) => Type::Map(
                Box::new(self.resolve_type(k)?),
                Box::new(self.resolve_type(v)?),
            ),
        };
        Some(if t.optional { base.optional() } else { base })
    }

    fn facts(&mut self, policy: &ast::Policy) {
        self.facts.nodes.push(FactNode {
            path: "".into(),
            children: Vec::new(),
            leaf: None,
            parent: None,
        });
        for decl in &policy.facts {
            let Some(ty) = self.resolve_type(&decl.ty) else {
                self.poisoned.push(decl.path.node.clone());
                continue;
            };
            let path = &decl.path.node;
            let mut node = 0u32;
            let mut conflict = false;
            for (i, seg) in path.split('.').enumerate() {
                if self.facts.nodes[node as usize].leaf.is_some() {
                    conflict = true;
                    break;
                }
                node = match self.facts.child(node, seg) {
                    Some(n) => n,
                    None => {
                        let id = self.facts.nodes.len() as u32;
                        let prefix = path.split('.').take(i + 1).collect::<Vec<_>>().join(".");
                        self.facts.nodes.push(FactNode {
                            path: prefix.into(),
                            children: Vec::new(),
                            leaf: None,
                            parent: Some(node),
                        });
                        self.facts.nodes[node as usize]
                            .children
                            .push((seg.into(), id));
                        id
                    }
                };
            }
            let n = &self.facts.nodes[node as usize];
            if conflict || !n.children.is_empty() {
                let both = n.path.clone();
                let value_at = n.leaf.map(|l| self.facts.leaves[l as usize].span);
                let f = self
                    .error(
                        "vouch::check::fact_conflict",
                        decl.path.span,
                        format!(
                            "`{both}` is declared both as a value and as a section holding other facts"
                        ),
                    )
                    .help("a fact is either a value or an object of facts, not both");
                if let Some(at) = value_at {
                    f.related(at, "declared as a value here");
                }
                continue;
            }
            if let Some(prev) = n.leaf {
                let first = self.facts.leaves[prev as usize].span;
                self.declared_twice("fact", path, decl.path.span, first);
                continue;
            }
            let leaf = self.facts.leaves.len() as u32;
            self.facts.leaves.push(Leaf {
                path: path.as_str().into(),
                node,
                ty,
                span: decl.path.span,
            });
            self.facts.nodes[node as usize].leaf = Some(leaf);
        }
    }

    fn params(&mut self, policy: &ast::Policy) {
        for p in &policy.params {
            if let Some(&prev) = self.param_by_name.get(&p.name.node) {
                let first = self.params[prev as usize].span;
                self.declared_twice("parameter", &p.name.node, p.name.span, first);
                continue;
            }
            if let Some(c) = self.calendars.iter().find(|c| c.name == p.name.node) {
                let first = c.span;
                self.error(
                    "vouch::check::duplicate_name",
                    p.name.span,
                    format!("`{}` already names a calendar", p.name.node),
                )
                .related(first, "the calendar")
                .help("give the parameter a name of its own");
                continue;
            }
            // Until the parameter is known good, its uses are not reported.
            self.poisoned.push(p.name.node.clone());
            let declared = match &p.ty {
                Some(t) => match self.resolve_type(t) {
                    Some(t) => Some(t),
                    None => continue,
                },
                None => None,
            };
            let scope = Scope::constant();
            let Some(ir) = self.expr(&p.value, declared.as_ref(), &scope) else {
                continue;
            };
            if let Some(want) = &declared {
                if !ir.ty.fits(want) {
                    let (w, g) = (self.show(want), self.show(&ir.ty));
                    let f = self
                        .error(
                            "vouch::check::type_mismatch",
                            p.value.span,
                            format!("`{}` is declared {w} but its value is {g}", p.name.node),
                        )
                        .label(format!("this is {g}"));
                    if *want == Type::Money && ir.ty == Type::Int {
                        f.help("write an amount of money with `¥`, as in `¥300`");
                    }
                    continue;
                }
            }
            self.cite(p.cite.as_ref());
            let value = match self.const_value(&ir) {
                Some(v) => v,
                None => continue,
            };
            let ty = declared.unwrap_or(ir.ty);
            let Some((dated, as_of)) = self.dated_values(p, &ty) else {
                continue;
            };
            self.poisoned.pop();
            self.param_by_name
                .insert(p.name.node.clone(), self.params.len() as u32);
            self.params.push(ParamInfo {
                name: p.name.node.clone(),
                ty,
                value,
                span: p.name.span,
                value_span: p.value.span,
                dated,
                as_of,
            });
        }
    }

    /// A name declared a second time: an error at `span`, pointing at the
    /// first declaration.
    fn declared_twice(&mut self, what: &str, name: &str, span: Span, first: Span) {
        self.error(
            "vouch::check::duplicate_name",
            span,
            format!("the {what} `{name}` is declared twice"),
        )
        .related(first, "first declared here");
    }

    /// Evaluate a constant expression at check time.
    pub fn const_value(&mut self, ir: &Ir) -> Option<Value> {
        let mandatory = self.enum_by_name.get("service").map(|&service| {
            let info = &self.enums[service as usize];
            let required = self.policy.services.iter().flat_map(|b| &b.services);
            let ids = required
                .filter(|s| matches!(s.requirement, ast::Requirement::Required))
                .filter_map(|s| info.lookup.get(s.name.node.as_str()).copied())
                .collect();
            (service, ids)
        });
        match crate::eval::eval_const(ir, &self.params, mandatory, self.zone) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error("vouch::check::bad_constant", ir.span, message.to_string());
                None
            }
        }
    }

    /// Check that a rule's citation, if it has one, names a declared source.
    pub fn cite(&mut self, c: Option<&ast::Cite>) {
        let Some(c) = c else { return };
        let declared = self
            .policy
            .header
            .iter()
            .flat_map(|h| &h.sources)
            .find(|s| s.id.node == c.source.node);
        if let Some(s) = declared {
            self.note_name(c.source.span, s.id.span);
        }
        if !self.sources.contains(&c.source.node) {
            let hint = did_you_mean(&c.source.node, self.sources.iter().map(String::as_str));
            let f = self
                .error(
                    "vouch::check::unknown_source",
                    c.source.span,
                    format!("unknown source `{}`", c.source.node),
                )
                .label("not declared in the header");
            f.help = Some(
                hint.unwrap_or_else(|| "declare it in the header: `source s001 \"title\"`".into()),
            );
        }
    }

    fn services(&mut self, policy: &ast::Policy) {
        let Some(block) = &policy.services else {
            return;
        };
        let service_enum = self.enum_by_name["service"];
        let offered = self.fact_leaf(
            &block.offered,
            &Type::set_of(Type::Enum(service_enum)),
            "set<service>",
        );
        let category = match &block.category {
            Some(c) => {
                let leaf = self.fact_leaf(c, &Type::Unknown, "an enum");
                if let Some(l) = leaf {
                    if !matches!(self.facts.leaves[l as usize].ty, Type::Enum(_)) {
                        let got = self.show(&self.facts.leaves[l as usize].ty.clone());
                        self.error(
                            "vouch::check::type_mismatch",
                            c.span,
                            format!(
                                "the category fact must be an enum, but `{}` is {got}",
                                c.node
                            ),
                        );
                    }
                }
                leaf
            }
            None => None,
        };
        let category_ty = category.map(|l| self.facts.leaves[l as usize].ty.clone());
        let mut mandatory = Vec::new();
        let mut addons = Vec::new();
        for (i, s) in block.services.iter().enumerate() {
            let Some(&variant) = self.enums[service_enum as usize].variants.get(i) else {
                continue;
            };
            self.cite(s.cite.as_ref());
            match &s.requirement {
                ast::Requirement::Required => mandatory.push(variant),
                ast::Requirement::Optional => {}
                ast::Requirement::RequiredFor(e) => {
                    let Some(cat_ty) = category_ty.clone() else {
                        self.error(
                            "vouch::check::missing_category",
                            e.span,
                            "`required for` needs the block's `category` fact",
                        )
                        .help("add `category product.category` at the top of the services block");
                        continue;
                    };
                    let want = Type::set_of(cat_ty);
                    let Some(ir) = self.expr(e, Some(&want), &Scope::constant()) else {
                        continue;
                    };
                    if !ir.ty.fits(&want) {
                        let (w, g) = (self.show(&want), self.show(&ir.ty));
                        self.error(
                            "vouch::check::type_mismatch",
                            e.span,
                            format!("expected {w}, found {g}"),
                        );
                        continue;
                    }
                    if let Some(v) = self.const_value(&ir) {
                        addons.push((variant, v));
                    }
                }
            }
        }
        if let Some(offered) = offered {
            self.services = Some(ServicesInfo {
                service_enum,
                offered,
                category,
                mandatory,
                addons,
            });
        }
    }

    /// Resolve a fact path that must be a declared leaf of a given type.
    fn fact_leaf(
        &mut self,
        name: &crate::source::Name,
        want: &Type,
        want_text: &str,
    ) -> Option<u32> {
        let leaf = self
            .facts
            .find(&name.node)
            .and_then(|n| self.facts.nodes[n as usize].leaf);
        let Some(leaf) = leaf else {
            if self.is_poisoned(&name.node, &Scope::default()) {
                return None;
            }
            let hint = did_you_mean(&name.node, self.facts.leaves.iter().map(|l| &*l.path));
            let f = self
                .error(
                    "vouch::check::unknown_fact",
                    name.span,
                    format!("unknown fact `{}`", name.node),
                )
                .label("not declared in `facts`");
            f.help =
                Some(hint.unwrap_or_else(|| format!("declare it: `{}: {want_text}`", name.node)));
            return None;
        };
        self.note_name(name.span, self.facts.leaves[leaf as usize].span);
        let ty = self.facts.leaves[leaf as usize].ty.clone();
        if !ty.fits(want) {
            let got = self.show(&ty);
            self.error(
                "vouch::check::type_mismatch",
                name.span,
                format!(
                    "`{}` must be {want_text}, but it is declared {got}",
                    name.node
                ),
            );
            return None;
        }
        Some(leaf)
    }
}

/// Built-in type names.
pub(crate) const BASE_TYPES: [(&str, Type); 10] = [
    ("months", Type::Months),
    ("bool", Type::Bool),
    ("int", Type::Int),
    ("money", Type::Money),
    ("ratio", Type::Ratio),
    ("text", Type::Text),
    ("instant", Type::Instant),
    ("duration", Type::Duration),
    ("time", Type::Time),
    ("date", Type::Date),
];

/// "did you mean `x`?" for the closest candidate, if close enough.
/// The one candidate close to `name`, when there is exactly one: a change
/// safe to make for the writer.
pub fn only_close<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // A path is misspelt at its own depth: `order.amont` is `order.amount`,
    // not the section `order`.
    let depth = name.matches('.').count();
    let mut close = candidates.filter(|c| {
        *c != name && c.matches('.').count() == depth && strsim::jaro_winkler(name, c) > 0.8
    });
    let first = close.next()?;
    close.all(|c| c == first).then_some(first)
}

/// "did you mean `x`?" for the closest candidate, if one is close enough.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}
