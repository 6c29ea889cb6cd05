//! Completion from the text before the cursor (which may not parse yet) and
//! the names of the policy: fact paths and record fields after a dot,
//! outcomes after `is`, enum values where the enum is expected, names,
//! built-ins and keywords. While the author is mid-way through a rule, the
//! names also come from the last analysis of the document that parsed.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    InsertTextFormat, MarkupContent, MarkupKind,
};

use super::analysis::Analysis;
use super::hover::describe;
use super::index::Kind;
use super::Server;
use crate::ast::TypeKind;

/// Keywords that start an item at the top level.
const ITEM_KEYWORDS: [&str; 7] = [
    "policy", "enum", "facts", "services", "param", "calendar", "decision",
];
/// Keywords inside a decision or an expression.
const EXPR_KEYWORDS: [&str; 17] = [
    "and", "or", "not", "in", "is", "if", "then", "else", "let", "when", "require", "exists",
    "true", "false", "none", "cite", "empty",
];
const TYPES: [&str; 9] = [
    "money", "int", "ratio", "bool", "text", "instant", "duration", "time", "date",
];

impl Server {
    pub(crate) fn completion(&mut self, p: CompletionParams) -> Option<CompletionResponse> {
        let (a, offset) = self.at(&p.text_document_position)?;
        let good = self.last_good(p.text_document_position.text_document.uri.as_str());
        Some(CompletionResponse::Array(complete(
            &a,
            good.as_deref(),
            offset,
        )))
    }
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

fn symbol_item(a: &Analysis, id: usize, label: &str) -> CompletionItem {
    let s = &a.index.symbols[id];
    let kind = match s.kind {
        Kind::Param => CompletionItemKind::CONSTANT,
        Kind::Fact | Kind::Field | Kind::RecordField => CompletionItemKind::FIELD,
        Kind::Decision => CompletionItemKind::FUNCTION,
        Kind::Outcome => CompletionItemKind::EVENT,
        Kind::Variant | Kind::Service => CompletionItemKind::ENUM_MEMBER,
        Kind::Enum => CompletionItemKind::ENUM,
        Kind::Let | Kind::Item => CompletionItemKind::VARIABLE,
        Kind::Calendar => CompletionItemKind::CONSTANT,
        Kind::Source => CompletionItemKind::FILE,
    };
    let mut it = item(label, kind, Some(s.kind.word().to_string()));
    it.documentation = Some(Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: describe(a, s),
    }));
    it
}

/// The decision the cursor is in, by name, and how far into it the cursor
/// is: where an analysis of another version of the text has it.
#[derive(Clone, Copy)]
struct Place<'t> {
    decision: Option<(&'t str, usize)>,
}

impl Place<'_> {
    /// The decision's index in an analysis, and the offset in its text that
    /// stands for the cursor.
    fn in_analysis(self, a: &Analysis) -> Option<(usize, usize)> {
        let (name, into) = self.decision?;
        let i = a.ast.decisions.iter().position(|d| d.name.node == name)?;
        Some((i, a.ast.decisions[i].span.start + into))
    }
}

/// The items of each list, each label once, the first list's first.
fn union(lists: impl IntoIterator<Item = Vec<CompletionItem>>) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = Vec::new();
    for it in lists.into_iter().flatten() {
        if !out.iter().any(|o| o.label == it.label) {
            out.push(it);
        }
    }
    out
}

/// The completions at a byte offset of the current analysis; `good`, the
/// last analysis that parsed, adds the names the current one has lost.
pub(crate) fn complete(
    a: &Analysis,
    good: Option<&Analysis>,
    offset: usize,
) -> Vec<CompletionItem> {
    let text = a.text();
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let word_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .count();
    let word = &before[before.len() - word_len..];
    let head = before[..before.len() - word_len].trim_end();
    let decision = enclosing_decision(text, offset);
    let place = Place {
        decision: decision.map(|(name, start, _)| (name, offset - start)),
    };
    let analyses: Vec<&Analysis> = std::iter::once(a).chain(good).collect();

    if let Some((prefix, _)) = word.rsplit_once('.') {
        return union(analyses.iter().map(|x| after_dot(x, prefix, place)));
    }
    if let Some(subject) = is_subject(head) {
        let negated = head.ends_with("not");
        return analyses
            .iter()
            .find_map(|x| outcomes_after_is(x, subject, negated))
            .unwrap_or_else(|| tests_after_is(negated));
    }
    if let Some(found) = analyses
        .iter()
        .find_map(|x| expected_enum(x, head).map(|e| variants_of(x, &e)))
    {
        return found;
    }
    if head.ends_with(':') && in_facts_block(text, offset)
        || head.ends_with("set<")
        || head.ends_with("map<")
    {
        return union(analyses.iter().map(|x| types(x)));
    }
    if head.is_empty() && before.len() == word_len && decision.is_none_or(|(_, _, end)| end) {
        return ITEM_KEYWORDS
            .iter()
            .map(|k| item(k, CompletionItemKind::KEYWORD, None))
            .collect();
    }
    union(analyses.iter().map(|x| everything(x, place)))
}

/// The decision the offset is in, by its text (it may not parse yet), where
/// it starts, and whether the offset is past its end.
fn enclosing_decision(text: &str, offset: usize) -> Option<(&str, usize, bool)> {
    let before = &text[..offset];
    let mut start = None;
    let mut at = 0;
    for line in before.split_inclusive('\n') {
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            start = line.strip_prefix("decision ").map(|rest| {
                let name_len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                (&rest[..name_len], at)
            });
        }
        at += line.len();
    }
    let (name, from) = start?;
    let body = &text[from..offset];
    let depth = body.matches('{').count() as i64 - body.matches('}').count() as i64;
    Some((name, from, depth <= 0 && body.contains('}')))
}

fn in_facts_block(text: &str, offset: usize) -> bool {
    let before = &text[..offset];
    let last_item = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .rfind(|&i| before[i..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or(0);
    before[last_item..].starts_with("facts") || before[last_item..].starts_with("param")
}

/// The fields of the records an item holds: `item.▮`, `item.box.▮`.
fn record_fields(a: &Analysis, prefix: &str, place: Place) -> Option<Vec<CompletionItem>> {
    let (decision, cursor) = place.in_analysis(a)?;
    let mut segments = prefix.split('.');
    let first = segments.next()?;
    let item = a.index.symbols.iter().rposition(|s| {
        s.kind == Kind::Item
            && s.decision == Some(decision)
            && s.name == first
            && s.span.start < cursor
    })?;
    let last = segments.try_fold(item, |at, seg| a.index.record_field(at, seg))?;
    let holder = a.index.symbols[last].holder?;
    Some(
        a.index
            .symbols
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == Kind::RecordField && s.parent == Some(holder))
            .map(|(i, s)| symbol_item(a, i, &s.name))
            .collect(),
    )
}

fn after_dot(a: &Analysis, prefix: &str, place: Place) -> Vec<CompletionItem> {
    if let Some(fields) = record_fields(a, prefix, place) {
        return fields;
    }
    if let Some(d) = a.index.find(Kind::Decision, prefix) {
        let index = a
            .ast
            .decisions
            .iter()
            .position(|x| x.name.span == a.index.symbols[d].span);
        return a
            .index
            .symbols
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == Kind::Field && s.decision == index && index.is_some())
            .map(|(i, s)| symbol_item(a, i, &s.name))
            .collect();
    }
    let lead = format!("{prefix}.");
    let mut out: Vec<CompletionItem> = Vec::new();
    for f in &a.ast.facts {
        let Some(rest) = f.path.node.strip_prefix(&lead) else {
            continue;
        };
        let (segment, leaf) = match rest.split_once('.') {
            Some((s, _)) => (s, false),
            None => (rest, true),
        };
        if out.iter().any(|i| i.label == segment) {
            continue;
        }
        if leaf {
            let id = a.index.find(Kind::Fact, &f.path.node);
            out.push(match id {
                Some(id) => symbol_item(a, id, segment),
                None => item(segment, CompletionItemKind::FIELD, None),
            });
        } else {
            out.push(item(
                segment,
                CompletionItemKind::MODULE,
                Some("section of facts".into()),
            ));
        }
    }
    out
}

/// The subject of an `is` just before the cursor: `fast_refund is ▮`.
fn is_subject(head: &str) -> Option<&str> {
    let head = head.strip_suffix("not").map(str::trim_end).unwrap_or(head);
    let head = head.strip_suffix("is")?;
    if !head.ends_with(char::is_whitespace) {
        return None;
    }
    let head = head.trim_end();
    let len = head
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .count();
    Some(&head[head.len() - len..])
}

/// The outcomes of the decision `subject`, when it is one.
fn outcomes_after_is(a: &Analysis, subject: &str, negated: bool) -> Option<Vec<CompletionItem>> {
    let d = a.index.find(Kind::Decision, subject)?;
    let index = a
        .ast
        .decisions
        .iter()
        .position(|x| x.name.span == a.index.symbols[d].span);
    let mut out: Vec<CompletionItem> = a
        .index
        .symbols
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == Kind::Outcome && s.decision == index)
        .map(|(i, s)| symbol_item(a, i, &s.name))
        .collect();
    out.push(item(
        "not_applicable",
        CompletionItemKind::EVENT,
        Some("its trigger was false".into()),
    ));
    if !negated {
        out.push(item("not", CompletionItemKind::KEYWORD, None));
    }
    Some(out)
}

/// What follows `is` on a value that is not a decision.
fn tests_after_is(negated: bool) -> Vec<CompletionItem> {
    let mut out = vec![
        item(
            "none",
            CompletionItemKind::KEYWORD,
            Some("the value is none".into()),
        ),
        item(
            "empty",
            CompletionItemKind::KEYWORD,
            Some("the set is empty".into()),
        ),
    ];
    if !negated {
        out.push(item("not", CompletionItemKind::KEYWORD, None));
    }
    out
}

/// The enum whose value is expected at the end of `head`: after `FACT ==`,
/// `FACT !=`, inside `FACT in {…` or `required for {…`.
fn expected_enum(a: &Analysis, head: &str) -> Option<String> {
    let fact_enum = |path: &str| -> Option<String> {
        let d = a.ast.facts.iter().find(|f| f.path.node == path)?;
        match &d.ty.kind {
            TypeKind::Named(n) => Some(n.node.clone()),
            TypeKind::Set(inner) => match &inner.kind {
                TypeKind::Named(n) => Some(n.node.clone()),
                _ => None,
            },
            TypeKind::Map(..) | TypeKind::List(_) | TypeKind::Record(_) => None,
        }
        .filter(|n| a.ast.enums.iter().any(|e| e.name.node == *n) || n == "service")
    };
    let last_word = |s: &str| -> String {
        let s = s.trim_end();
        let len = s
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .count();
        s[s.len() - len..].to_string()
    };
    for op in ["==", "!="] {
        if let Some(left) = head.strip_suffix(op) {
            return fact_enum(&last_word(left));
        }
    }
    // Inside an open set literal: what comes before its `{`.
    let open = head.rfind('{')?;
    if head[open..].contains('}') {
        return None;
    }
    let before = head[..open].trim_end();
    if before.ends_with("required for") {
        let category = a.ast.services.as_ref()?.category.as_ref()?;
        return fact_enum(&category.node);
    }
    let left = before
        .strip_suffix("not in")
        .or_else(|| before.strip_suffix("in"))?;
    fact_enum(&last_word(left))
}

fn variants_of(a: &Analysis, enum_name: &str) -> Vec<CompletionItem> {
    let kind = if enum_name == "service" {
        Kind::Service
    } else {
        Kind::Variant
    };
    let parent = a.index.find(Kind::Enum, enum_name);
    a.index
        .symbols
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == kind && (kind == Kind::Service || s.parent == parent))
        .map(|(i, s)| symbol_item(a, i, &s.name))
        .collect()
}

fn types(a: &Analysis) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = TYPES
        .iter()
        .map(|t| item(t, CompletionItemKind::TYPE_PARAMETER, Some("type".into())))
        .collect();
    out.push(item(
        "set<…>",
        CompletionItemKind::TYPE_PARAMETER,
        Some("type".into()),
    ));
    out.push(item(
        "map<…, …>",
        CompletionItemKind::TYPE_PARAMETER,
        Some("type".into()),
    ));
    for (i, s) in a.index.symbols.iter().enumerate() {
        if s.kind == Kind::Enum {
            out.push(symbol_item(a, i, &s.name));
        }
    }
    if a.ast.services.is_some() {
        out.push(item(
            "service",
            CompletionItemKind::ENUM,
            Some("the services block's enum".into()),
        ));
    }
    out
}

/// Names that may stand where an expression starts.
fn everything(a: &Analysis, place: Place) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    let local = place.in_analysis(a);
    let mut sections: Vec<&str> = Vec::new();
    for (i, s) in a.index.symbols.iter().enumerate() {
        match s.kind {
            Kind::Param | Kind::Decision | Kind::Calendar => out.push(symbol_item(a, i, &s.name)),
            Kind::Let | Kind::Item
                if local
                    .is_some_and(|(d, cursor)| s.decision == Some(d) && s.span.start < cursor) =>
            {
                out.push(symbol_item(a, i, &s.name))
            }
            Kind::Fact => {
                let top = s.name.split('.').next().unwrap_or(&s.name);
                if top != s.name && !sections.contains(&top) {
                    sections.push(top);
                    out.push(item(
                        top,
                        CompletionItemKind::MODULE,
                        Some("section of facts".into()),
                    ));
                }
                out.push(symbol_item(a, i, &s.name));
            }
            _ => {}
        }
    }
    // Decisions that do not parse yet (the one being edited) still complete.
    for line in a.text().lines() {
        let Some(rest) = line.strip_prefix("decision ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !out.iter().any(|i| i.label == name) {
            out.push(item(
                &name,
                CompletionItemKind::FUNCTION,
                Some("decision".into()),
            ));
        }
    }
    for d in &crate::builtins::TABLE {
        let name = d.name;
        let signature = format!("{name}({})", d.params);
        let mut it = item(name, CompletionItemKind::FUNCTION, Some(signature));
        it.documentation = Some(Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: d.signature(),
        }));
        it.insert_text = Some(format!("{name}($0)"));
        it.insert_text_format = Some(InsertTextFormat::SNIPPET);
        out.push(it);
    }
    for k in EXPR_KEYWORDS {
        out.push(item(k, CompletionItemKind::KEYWORD, None));
    }
    out
}
