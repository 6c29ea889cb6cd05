//! Calendars, dated parameters and record types.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::expr::Scope;
use super::{did_you_mean, Checker};
use crate::ast::{self, CalendarEntryKind, DateRange, TypeExpr};
use crate::program::{Calendar, CalendarPart, DatedValue};
use crate::source::{Name, Span};
use crate::types::Type;

/// The weekdays as a calendar's `week` names them, Monday first.
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The longest date range a calendar may list, in days.
const MAX_RANGE_DAYS: i64 = 366;

/// A record has at most this many fields.
const MAX_FIELDS: usize = 64;

impl Checker<'_> {
    /// The policy's `as_of` fact, if the header names one.
    pub(super) fn header_as_of(&mut self, policy: &ast::Policy) -> Option<u32> {
        let name = policy.header.as_ref()?.as_of.as_ref()?;
        self.as_of_leaf(name)
    }

    /// A fact that picks a dated parameter's value: an instant or a date.
    fn as_of_leaf(&mut self, name: &Name) -> Option<u32> {
        let leaf = self
            .facts
            .find(&name.node)
            .and_then(|n| self.facts.nodes[n as usize].leaf);
        let Some(leaf) = leaf else {
            let hint = did_you_mean(&name.node, self.facts.leaves.iter().map(|l| &*l.path));
            let f = self
                .error(
                    "vouch::check::unknown_fact",
                    name.span,
                    format!("unknown fact `{}`", name.node),
                )
                .label("not declared in `facts`");
            f.help = Some(hint.unwrap_or_else(|| format!("declare it: `{}: instant`", name.node)));
            return None;
        };
        self.note_name(name.span, self.facts.leaves[leaf as usize].span);
        let ty = self.facts.leaves[leaf as usize].ty.clone();
        if !matches!(ty, Type::Instant | Type::Date) {
            let g = self.show(&ty);
            self.error(
                "vouch::check::bad_as_of",
                name.span,
                format!(
                    "`{}` is {g}; the date that picks a value must be an instant or a date",
                    name.node
                ),
            )
            .help("name a fact declared `instant` or `date`, such as `order.placed_at`");
            return None;
        }
        Some(leaf)
    }

    /// A parameter's dated values, checked against its type, and the fact
    /// that picks among them. `None` when something is wrong (reported).
    pub(super) fn dated_values(
        &mut self,
        p: &ast::ParamDecl,
        ty: &Type,
    ) -> Option<(Vec<DatedValue>, Option<u32>)> {
        if p.dated.is_empty() {
            if let Some(a) = &p.as_of {
                self.error(
                    "vouch::check::bad_as_of",
                    a.span,
                    format!(
                        "`{}` has one value; `as_of` picks among dated values",
                        p.name.node
                    ),
                )
                .help(
                    "add a value that takes effect on a date: `param x = 7d; 10d from 2026-07-01`",
                );
                return None;
            }
            return Some((Vec::new(), None));
        }
        let as_of = match &p.as_of {
            Some(a) => Some(self.as_of_leaf(a)?),
            None => self.as_of,
        };
        let Some(as_of) = as_of else {
            self.error(
                "vouch::check::no_as_of",
                p.name.span,
                format!("`{}` changes on a date, but no fact says which date a case is on", p.name.node),
            )
            .help("add `as_of order.placed_at` to the parameter, or to the `policy` header for every dated parameter");
            return None;
        };
        let mut out: Vec<DatedValue> = Vec::new();
        let mut ok = true;
        for d in &p.dated {
            let Some(from) = self.date(&d.from) else {
                ok = false;
                continue;
            };
            let Some(ir) = self.expr(&d.value, Some(ty), &Scope::constant()) else {
                ok = false;
                continue;
            };
            if !ir.ty.fits(ty) {
                let (w, g) = (self.show(ty), self.show(&ir.ty));
                self.error(
                    "vouch::check::type_mismatch",
                    d.value.span,
                    format!("`{}` is {w} but this value is {g}", p.name.node),
                )
                .label(format!("this is {g}"))
                .help("every dated value of a parameter has the type of the first");
                ok = false;
                continue;
            }
            let Some(value) = self.const_value(&ir) else {
                ok = false;
                continue;
            };
            if let Some(prev) = out.last() {
                if from <= prev.from {
                    let (a, b) = (d.from.node.clone(), prev.from);
                    self.error(
                        "vouch::check::dated_order",
                        d.from.span,
                        format!("`{a}` does not come after `{b}`, the date before it"),
                    )
                    .related(prev.span, "the date before")
                    .help("list a parameter's dates from the earliest to the latest, each once");
                    ok = false;
                    continue;
                }
            }
            out.push(DatedValue {
                from,
                value,
                span: d.from.span,
            });
        }
        ok.then_some((out, Some(as_of)))
    }

    fn date(&mut self, text: &crate::source::Spanned<String>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(&text.node, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    "vouch::check::bad_literal",
                    text.span,
                    format!("`{}` is not a date", text.node),
                );
                None
            }
        }
    }

    /// `{sku: text, unit_price: money}`.
    pub(super) fn record_type(&mut self, fields: &[(Name, TypeExpr)], span: Span) -> Option<Type> {
        if fields.len() > MAX_FIELDS {
            self.error(
                "vouch::check::bad_type",
                span,
                format!("a record has at most {MAX_FIELDS} fields"),
            );
            return None;
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for (name, t) in fields {
            if let Some(first) = seen.insert(&name.node, name.span) {
                self.declared_twice("field", &name.node, name.span, first);
                return None;
            }
            out.push((Arc::from(name.node.as_str()), self.resolve_type(t)?));
        }
        Some(Type::Record(out.into()))
    }

    pub(super) fn calendars(&mut self, policy: &ast::Policy) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for c in &policy.calendars {
            if let Some(first) = seen.insert(&c.name.node, c.name.span) {
                self.declared_twice("calendar", &c.name.node, c.name.span, first);
                continue;
            }
            if let Some(cal) = self.calendar(c) {
                self.calendars.push(cal);
            } else {
                self.poisoned.push(c.name.node.clone());
            }
        }
    }

    fn calendar(&mut self, c: &ast::CalendarDecl) -> Option<Calendar> {
        let mut week: Option<u8> = None;
        let mut rest: Vec<(NaiveDate, u32)> = Vec::new();
        let mut work: Vec<(NaiveDate, u32)> = Vec::new();
        let mut parts: Vec<CalendarPart> = Vec::new();
        let mut ok = true;
        for entry in &c.entries {
            self.cite(entry.cite.as_ref());
            match &entry.kind {
                CalendarEntryKind::Week(days) => {
                    if week.is_some() {
                        self.error(
                            "vouch::check::duplicate_name",
                            entry.span,
                            "the calendar's `week` is given twice",
                        )
                        .help("list every working weekday in one `week` line");
                        ok = false;
                        continue;
                    }
                    let mut bits = 0u8;
                    for d in days {
                        let i = WEEKDAYS.iter().position(|w| *w == d.node).unwrap_or(0);
                        if bits >> i & 1 == 1 {
                            self.error(
                                "vouch::check::duplicate_name",
                                d.span,
                                format!("`{}` is listed twice", d.node),
                            );
                            ok = false;
                        }
                        bits |= 1 << i;
                    }
                    week = Some(bits);
                }
                CalendarEntryKind::Rest(ranges) => {
                    ok &= self.days(ranges, true, &mut parts, &mut rest)
                }
                CalendarEntryKind::Work(ranges) => {
                    ok &= self.days(ranges, false, &mut parts, &mut work)
                }
            }
        }
        rest.sort_by_key(|(d, _)| *d);
        work.sort_by_key(|(d, _)| *d);
        for (d, part) in &work {
            if let Ok(i) = rest.binary_search_by_key(d, |(r, _)| *r) {
                self.error(
                    "vouch::check::calendar_conflict",
                    parts[*part as usize].span,
                    format!("{d} is listed both as a rest day and as a working day"),
                )
                .related(parts[rest[i].1 as usize].span, "listed as a rest day here")
                .help("a day is either a rest day or a working day: remove one");
                ok = false;
            }
        }
        // A day listed twice counts for the part that lists it first.
        let dedup = |mut days: Vec<(NaiveDate, u32)>| {
            days.dedup_by_key(|(d, _)| *d);
            days
        };
        ok.then(|| Calendar {
            name: c.name.node.clone(),
            // Monday to Friday unless the calendar says otherwise.
            week: week.unwrap_or(0b0001_1111),
            rest: dedup(rest),
            work: dedup(work),
            parts,
            span: c.name.span,
        })
    }

    /// Expand date ranges into days, each with the part (a date or range)
    /// that lists it; `false` when one is wrong (reported).
    fn days(
        &mut self,
        ranges: &[DateRange],
        rest: bool,
        parts: &mut Vec<CalendarPart>,
        out: &mut Vec<(NaiveDate, u32)>,
    ) -> bool {
        let mut ok = true;
        for r in ranges {
            let Some(from) = self.date(&r.from) else {
                ok = false;
                continue;
            };
            let to = match &r.to {
                Some(t) => match self.date(t) {
                    Some(d) => d,
                    None => {
                        ok = false;
                        continue;
                    }
                },
                None => from,
            };
            let days = (to - from).num_days();
            if days < 0 {
                self.error(
                    "vouch::check::bad_range",
                    r.span,
                    format!("the range ends on {to}, before it starts on {from}"),
                )
                .label("ends before it starts")
                .help(format!("write it from the earlier date: `{to}..{from}`"));
                ok = false;
                continue;
            }
            if days >= MAX_RANGE_DAYS {
                self.error(
                    "vouch::check::bad_range",
                    r.span,
                    format!("the range spans {} days; a calendar range spans at most a year", days + 1),
                )
                .help("a calendar lists exceptions to its week; change the `week` for a lasting change");
                ok = false;
                continue;
            }
            let part = parts.len() as u32;
            parts.push(CalendarPart { rest, span: r.span });
            out.extend(from.iter_days().take(days as usize + 1).map(|d| (d, part)));
        }
        ok
    }
}
