//! Top-level items in source order: the header, enums, facts blocks, the
//! services block and parameters. Decisions are in [`super::decision`].

use super::doc::{at, concat, group, if_break, nest, text, width, Doc};
use super::expr::expr;
use super::layout::{Printer, Unit};
use crate::ast::{
    CalendarDecl, CalendarEntry, CalendarEntryKind, DateRange, DatedValue, Decision, EnumDecl,
    FactDecl, Header, ParamDecl, Policy, Requirement, ServiceDecl, ServicesBlock, Source, TypeExpr,
    TypeKind, Variant,
};

/// A top-level item, borrowed from the policy.
enum Item<'p> {
    Header(&'p Header),
    Enum(&'p EnumDecl),
    Facts(&'p [FactDecl]),
    Services(&'p ServicesBlock),
    Param(&'p ParamDecl),
    Calendar(&'p CalendarDecl),
    Decision(&'p Decision),
}

impl Item<'_> {
    /// Items of one kind may follow each other without a blank line.
    fn kind(&self) -> u8 {
        match self {
            Item::Header(_) => 0,
            Item::Enum(_) => 1,
            Item::Facts(_) => 2,
            Item::Services(_) => 3,
            Item::Param(_) => 4,
            Item::Calendar(_) => 5,
            Item::Decision(_) => 6,
        }
    }

    /// Whether two of these always have a blank line between them.
    fn is_block(&self) -> bool {
        !matches!(self, Item::Enum(_) | Item::Param(_))
    }
}

/// The items of a policy, in the order the file has them.
fn items<'p>(p: &Printer, policy: &'p Policy) -> Vec<(usize, Item<'p>)> {
    let Policy {
        header,
        enums,
        facts,
        services,
        params,
        calendars,
        decisions,
    } = policy;
    let mut out: Vec<(usize, Item<'p>)> = Vec::new();
    if let Some(h) = header {
        out.push((h.span.start, Item::Header(h)));
    }
    out.extend(enums.iter().map(|e| (e.span.start, Item::Enum(e))));
    for block in facts_blocks(p, facts) {
        out.push((facts_keyword(p, &block[0]), Item::Facts(block)));
    }
    if let Some(s) = services {
        out.push((s.span.start, Item::Services(s)));
    }
    out.extend(params.iter().map(|d| (d.span.start, Item::Param(d))));
    out.extend(calendars.iter().map(|c| (c.span.start, Item::Calendar(c))));
    out.extend(decisions.iter().map(|d| (d.span.start, Item::Decision(d))));
    out.sort_by_key(|(pos, _)| *pos);
    out
}

/// The facts of each `facts { … }` block: the tree keeps them in one list.
fn facts_blocks<'p>(p: &Printer, facts: &'p [FactDecl]) -> Vec<&'p [FactDecl]> {
    let mut blocks = Vec::new();
    let mut start = 0;
    for i in 1..=facts.len() {
        let split = i == facts.len()
            || p.close_after(facts[i - 1].ty.span.end)
                .is_some_and(|c| c < facts[i].path.span.start);
        if split {
            blocks.push(&facts[start..i]);
            start = i;
        }
    }
    blocks
}

/// Where the `facts` keyword of the block holding `first` is.
fn facts_keyword(p: &Printer, first: &FactDecl) -> usize {
    let brace = p.token_before(first.path.span.start);
    brace
        .and_then(|b| p.token_before(b.0))
        .filter(|k| p.token_text(*k) == "facts")
        .map_or(first.path.span.start, |k| k.0)
}

pub(super) fn policy(p: &mut Printer, policy: &Policy) {
    let items = items(p, policy);
    let mut i = 0;
    let mut previous: Option<&Item> = None;
    while i < items.len() {
        let (pos, item) = &items[i];
        let force = previous
            .is_some_and(|prev| prev.kind() != item.kind() || item.is_block() || prev.is_block());
        match item {
            Item::Header(h) => header(p, h, force),
            Item::Enum(e) => enum_decl(p, e, force),
            Item::Facts(f) => facts(p, *pos, f, force),
            Item::Services(s) => services(p, s, force),
            Item::Param(_) => {
                let run: Vec<&ParamDecl> = items[i..]
                    .iter()
                    .map_while(|(_, it)| match it {
                        Item::Param(d) => Some(*d),
                        _ => None,
                    })
                    .collect();
                i += run.len() - 1;
                params(p, &run, force);
            }
            Item::Calendar(c) => calendar(p, c, force),
            Item::Decision(d) => super::decision::decision(p, d, force),
        }
        previous = Some(&items[i].1);
        i += 1;
    }
}

fn header(p: &mut Printer, h: &Header, force: bool) {
    let Header {
        id,
        name,
        platform,
        zone,
        sources,
        as_of,
        span,
    } = h;
    let first = vec![Unit::new(
        p.render(&at(format!("policy {} {{", id.node), span.start), 0),
        Some(span.start),
    )];
    p.push_units(first, force);
    let keyed = [("name", name), ("platform", platform), ("zone", zone)];
    let key_width = keyed
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    let mut entries: Vec<(usize, String)> = keyed
        .iter()
        .filter_map(|(k, v)| {
            let v = v.as_ref()?;
            Some((v.span.start, format!("{k:key_width$} \"{}\"", v.node)))
        })
        .collect();
    // The `file` of each source in one column.
    let title_width = sources
        .iter()
        .filter(|s| s.file.is_some())
        .map(|s| width(&format!("source {} \"{}\"", s.id.node, s.title.node)))
        .max()
        .unwrap_or(0);
    entries.extend(sources.iter().map(|s| source(s, title_width)));
    if let Some(a) = as_of {
        entries.push((a.span.start, format!("as_of {}", a.node)));
    }
    entries.sort_by_key(|(pos, _)| *pos);
    for (pos, line) in entries {
        p.push_line(2, &line, Some(pos), true);
    }
    p.push_line(0, "}", Some(span.end.saturating_sub(1)), false);
}

/// `source ID "TITLE" [file "NAME"]`, the title padded to `title_width`
/// before a file, and where it starts.
fn source(s: &Source, title_width: usize) -> (usize, String) {
    let Source { id, title, file } = s;
    let mut line = format!("source {} \"{}\"", id.node, title.node);
    if let Some(f) = file {
        line.push_str(&" ".repeat(title_width.saturating_sub(width(&line))));
        line.push_str(&format!(" file \"{}\"", f.node));
    }
    (id.span.start, line)
}

fn enum_decl(p: &mut Printer, e: &EnumDecl, force: bool) {
    let EnumDecl {
        name,
        open,
        variants,
        span,
    } = e;
    let open = if *open { " open" } else { "" };
    let head = format!("enum {}{open} {{", name.node);
    let flat: Vec<String> = variants.iter().map(|v| variant(v, 0)).collect();
    let one = format!("{head} {} }}", flat.join(", "));
    let close = span.end.saturating_sub(1);
    let commented = p.comment_within(span.start, span.end);
    if width(&one) <= p.width && !commented {
        let mut line = p.render(&at(one, span.start), 0);
        line[0].last = Some(close);
        p.push_units(vec![Unit::new(line, Some(span.start))], force);
        return;
    }
    let head = p.render(&at(head, span.start), 0);
    p.push_units(vec![Unit::new(head, Some(span.start))], force);
    let one = format!("{},", flat.join(", "));
    if width(&one) + 2 <= p.width && !commented {
        p.push_line(2, &one, Some(variants[0].name.span.start), true);
        p.push_line(0, "}", Some(close), false);
        return;
    }
    let labelled = variants.iter().any(|v| v.label.is_some());
    let name_width = if labelled {
        variants
            .iter()
            .map(|v| v.name.node.len())
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    for v in variants {
        let line = format!("{},", variant(v, name_width));
        p.push_line(2, &line, Some(v.name.span.start), true);
    }
    p.push_line(0, "}", Some(close), false);
}

/// `NAME "LABEL"`, the name padded to `name_width` when labelled.
fn variant(v: &Variant, name_width: usize) -> String {
    let Variant { name, label } = v;
    match label {
        Some(l) => format!("{:name_width$} \"{}\"", name.node, l.node),
        None => name.node.clone(),
    }
}

/// A type that may break: a record's fields one a line, aligned.
fn type_doc(t: &TypeExpr) -> Doc {
    let TypeExpr {
        kind,
        optional,
        span: _,
    } = t;
    let base = match kind {
        TypeKind::List(inner) => concat(vec![text("list<"), type_doc(inner), text(">")]),
        TypeKind::Set(inner) => concat(vec![text("set<"), type_doc(inner), text(">")]),
        TypeKind::Record(fields) => {
            let key_width = fields.iter().map(|(n, _)| n.node.len() + 1).max();
            let mut inner = Vec::new();
            for (i, (name, ty)) in fields.iter().enumerate() {
                if i > 0 {
                    inner.push(text(","));
                    inner.push(Doc::Line);
                }
                let key = format!("{}:", name.node);
                let w = key_width.unwrap_or(0);
                inner.push(if_break(
                    at(format!("{key:w$} "), name.span.start),
                    at(format!("{key} "), name.span.start),
                ));
                inner.push(type_doc(ty));
            }
            inner.push(if_break(text(","), text("")));
            group(concat(vec![
                text("{"),
                nest(2, concat(vec![Doc::SoftLine, concat(inner)])),
                Doc::SoftLine,
                text("}"),
            ]))
        }
        TypeKind::Named(_) | TypeKind::Map(..) => text(type_expr(t).trim_end_matches('?')),
    };
    if *optional {
        concat(vec![base, text("?")])
    } else {
        base
    }
}

pub(super) fn type_expr(t: &TypeExpr) -> String {
    let TypeExpr {
        kind,
        optional,
        span: _,
    } = t;
    let base = match kind {
        TypeKind::Named(n) => n.node.clone(),
        TypeKind::Set(inner) => format!("set<{}>", type_expr(inner)),
        TypeKind::List(inner) => format!("list<{}>", type_expr(inner)),
        TypeKind::Record(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(n, t)| format!("{}: {}", n.node, type_expr(t)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        TypeKind::Map(k, v) => format!("map<{}, {}>", type_expr(k), type_expr(v)),
    };
    if *optional {
        format!("{base}?")
    } else {
        base
    }
}

fn facts(p: &mut Printer, pos: usize, facts: &[FactDecl], force: bool) {
    p.push_units(
        vec![Unit::new(p.render(&at("facts {", pos), 0), Some(pos))],
        force,
    );
    let path_width = facts
        .iter()
        .map(|f| f.path.node.len() + 1)
        .max()
        .unwrap_or(0);
    let mut units = Vec::new();
    for FactDecl { path, ty } in facts {
        let key = format!("{}:", path.node);
        let doc = concat(vec![
            at(format!("{key:path_width$} "), path.span.start),
            type_doc(ty),
        ]);
        units.push(Unit::new(p.render(&doc, 2), Some(path.span.start)));
    }
    p.push_units(units, false);
    let last = &facts[facts.len() - 1];
    let close = p.close_after(last.ty.span.end);
    p.push_line(0, "}", close, false);
}

fn services(p: &mut Printer, block: &ServicesBlock, force: bool) {
    let ServicesBlock {
        offered,
        category,
        services,
        span,
    } = block;
    let open = p.render(&at("services {", span.start), 0);
    p.push_units(vec![Unit::new(open, Some(span.start))], force);
    let key = if category.is_some() {
        "offered "
    } else {
        "offered"
    };
    p.push_line(
        2,
        &format!("{key} {}", offered.node),
        Some(offered.span.start),
        true,
    );
    if let Some(c) = category {
        p.push_line(2, &format!("category {}", c.node), Some(c.span.start), true);
    }
    let columns = Columns {
        name: services
            .iter()
            .map(|d| d.name.node.len())
            .max()
            .unwrap_or(0),
        label: services
            .iter()
            .filter_map(|d| d.label.as_ref().map(|l| width(&l.node) + 2))
            .max(),
        any_plain: services
            .iter()
            .any(|d| !matches!(d.requirement, Requirement::RequiredFor(_))),
    };
    let mut units: Vec<Unit> = services.iter().map(|d| service(p, d, &columns)).collect();
    p.place_cites(&mut units);
    p.push_units(units, false);
    p.push_line(0, "}", Some(span.end.saturating_sub(1)), false);
}

/// The columns of a services block: the widest name and label, and whether
/// any service is required for all products or optional.
struct Columns {
    name: usize,
    label: Option<usize>,
    any_plain: bool,
}

/// `NAME "LABEL" REQUIREMENT`, in the block's columns, and its cite.
fn service(p: &Printer, d: &ServiceDecl, columns: &Columns) -> Unit {
    let ServiceDecl {
        name,
        label,
        requirement,
        cite,
    } = d;
    let mut head = format!("{:w$} ", name.node, w = columns.name);
    if let Some(lw) = columns.label {
        let label = label
            .as_ref()
            .map_or(String::new(), |l| format!("\"{}\"", l.node));
        head.push_str(&label);
        head.push_str(&" ".repeat(lw + 1 - width(&label)));
    }
    let (requirement, long) = match requirement {
        Requirement::Required => (text("required"), false),
        Requirement::Optional => (text("optional"), false),
        Requirement::RequiredFor(e) => (concat(vec![text("required for "), expr(p.src, e)]), true),
    };
    let doc = concat(vec![at(head, name.span.start), requirement]);
    let mut unit = Unit::new(p.render(&doc, 2), Some(name.span.start));
    // `required for …` is long: the cites of the others align without it.
    unit.aligned = !long || !columns.any_plain;
    unit.with_cite(cite.as_ref())
}

/// A run of parameters: names, values and cites aligned in columns, a long
/// value on a line of its own under its name.
fn params(p: &mut Printer, run: &[&ParamDecl], force: bool) {
    let name_width = run
        .iter()
        .filter(|d| d.ty.is_none())
        .map(|d| d.name.node.len())
        .max();
    let mut units = Vec::new();
    for d in run {
        let ParamDecl {
            name,
            ty,
            value,
            dated,
            as_of,
            cite,
            span,
        } = d;
        let head = match ty {
            Some(t) => format!("param {}: {}", name.node, type_expr(t)),
            None => format!("param {:w$}", name.node, w = name_width.unwrap_or(0)),
        };
        let mut values = vec![Doc::Line, expr(p.src, value)];
        for DatedValue { value, from } in dated {
            values.push(text(";"));
            values.push(Doc::Line);
            values.push(expr(p.src, value));
            values.push(at(format!(" from {}", from.node), from.span.start));
        }
        if let Some(a) = as_of {
            values.push(Doc::Line);
            values.push(at(format!("as_of {}", a.node), a.span.start));
        }
        let doc: Doc = group(concat(vec![
            at(head, span.start),
            text(" ="),
            nest(2, concat(values)),
        ]));
        let mut unit = Unit::new(p.render(&doc, 0), Some(span.start)).with_cite(cite.as_ref());
        unit.aligned = ty.is_none() || name_width.is_none();
        units.push(unit);
    }
    p.place_cites(&mut units);
    p.push_units(units, force);
}

/// `calendar NAME { week …  rest …  work … }`, the cites aligned.
fn calendar(p: &mut Printer, c: &CalendarDecl, force: bool) {
    let CalendarDecl {
        name,
        entries,
        span,
    } = c;
    let open = p.render(&at(format!("calendar {} {{", name.node), span.start), 0);
    p.push_units(vec![Unit::new(open, Some(span.start))], force);
    let mut units = Vec::new();
    for CalendarEntry { kind, cite, span } in entries {
        let (word, items): (&str, Vec<Doc>) = match kind {
            CalendarEntryKind::Week(days) => (
                "week",
                days.iter().map(|d| at(&d.node, d.span.start)).collect(),
            ),
            CalendarEntryKind::Rest(ranges) => ("rest", ranges.iter().map(date_range).collect()),
            CalendarEntryKind::Work(ranges) => ("work", ranges.iter().map(date_range).collect()),
        };
        let mut parts = vec![at(format!("{word} "), span.start)];
        let mut list = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                list.push(text(","));
                list.push(Doc::Line);
            }
            list.push(item);
        }
        parts.push(group(super::doc::align(concat(list))));
        let lines = p.render(&concat(parts), 2);
        units.push(Unit::new(lines, Some(span.start)).with_cite(cite.as_ref()));
    }
    p.place_cites(&mut units);
    p.push_units(units, false);
    p.push_line(0, "}", Some(span.end.saturating_sub(1)), false);
}

/// `2026-10-01` or `2026-10-01..2026-10-07`.
fn date_range(r: &DateRange) -> Doc {
    let DateRange { from, to, span } = r;
    match to {
        Some(to) => at(format!("{}..{}", from.node, to.node), span.start),
        None => at(&from.node, span.start),
    }
}
