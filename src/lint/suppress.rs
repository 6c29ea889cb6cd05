//! Suppressions written in the policy file:
//!
//! ```text
//! # vouch:allow(unused-param) reason: "kept for the next campaign"
//! param next_campaign_limit = ¥500
//! ```
//!
//! A comment on a line of its own applies to the next line with code; a
//! comment after code applies to its own line. When that line starts an item
//! (a parameter, a decision, a rule, a fact), the suppression covers the whole
//! item. Comments are not part of the syntax tree, so they are read here from
//! the source text.

use super::registry::{self, Group, Lint};
use crate::ast;
use crate::check::did_you_mean;
use crate::diagnostic::Finding;
use crate::source::{SourceFile, Span};

struct Directive {
    /// Each lint named, where, and whether it suppressed anything.
    names: Vec<(String, Span, bool)>,
    /// What the suppression covers.
    scope: Option<Span>,
}

/// Drop the findings that suppressions cover, and add findings about the
/// suppressions themselves.
pub(super) fn apply(
    source: &SourceFile,
    policy: &ast::Policy,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let items = item_spans(policy);
    let mut meta = Vec::new();
    let mut directives = Vec::new();
    for c in comments(&source.text) {
        if let Some(d) = parse(source, &c, &items, &mut meta) {
            directives.push(d);
        }
    }
    let mut kept = Vec::new();
    for f in findings {
        let name = registry::by_code(f.code).map(|l| l.name);
        let mut suppressed = false;
        for d in &mut directives {
            let Some(scope) = d.scope else { continue };
            if f.span.start < scope.start || f.span.start >= scope.end.max(scope.start + 1) {
                continue;
            }
            for (n, _, used) in &mut d.names {
                if Some(n.as_str()) == name {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            kept.push(f);
        }
    }
    for d in &directives {
        let all_unused = d.names.iter().all(|(_, _, used)| !used);
        for (n, span, used) in &d.names {
            if !used {
                let mut f = finding(
                    source,
                    &registry::UNUSED_SUPPRESSION,
                    *span,
                    format!("`{n}` is not reported here"),
                )
                .with_label("suppresses nothing")
                .with_help(
                    "remove it: the finding it excused is gone, and it would hide the next one",
                );
                let (title, cut) = if all_unused {
                    ("remove the suppression", whole_comment(&source.text, *span))
                } else {
                    (
                        "remove this lint from the suppression",
                        one_name(&source.text, *span),
                    )
                };
                f.fix(title, cut, "", true);
                meta.push(f);
            }
        }
    }
    kept.extend(meta);
    kept
}

fn finding(source: &SourceFile, lint: &'static Lint, span: Span, message: String) -> Finding {
    let mut f = Finding::new(source, lint.code, span, message);
    f.level(lint.level);
    f
}

trait With {
    fn with_label(self, l: &str) -> Self;
    fn with_help(self, h: impl Into<String>) -> Self;
}

impl With for Finding {
    fn with_label(mut self, l: &str) -> Self {
        self.label(l);
        self
    }
    fn with_help(mut self, h: impl Into<String>) -> Self {
        self.help(h);
        self
    }
}

/// A comment: where its text starts (after `#`), its text, and the line it
/// applies to (its own, or the next line with code).
struct Comment<'t> {
    start: usize,
    text: &'t str,
    target: Option<(usize, usize)>,
}

fn comments(text: &str) -> Vec<Comment<'_>> {
    // Lines: (start, end without newline, comment start if any, has code).
    let mut lines: Vec<(usize, usize, Option<usize>, bool)> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let hash = comment_start(line);
        let code = &line[..hash.unwrap_or(line.len())];
        let has_code = !code.trim().is_empty();
        lines.push((
            offset,
            offset + line.len(),
            hash.map(|h| offset + h),
            has_code,
        ));
        offset += raw.len();
    }
    // Per line, the next line with code from there on, found in one pass
    // from the end: a run of comment lines costs time in proportion to it.
    let mut next_code: Vec<Option<(usize, usize)>> = vec![None; lines.len()];
    let mut after = None;
    for (i, &(s, e, _, has_code)) in lines.iter().enumerate().rev() {
        if has_code {
            after = Some((s, e));
        }
        next_code[i] = after;
    }
    let mut out = Vec::new();
    for (i, &(_, _, hash, _)) in lines.iter().enumerate() {
        let Some(h) = hash else { continue };
        let end = lines[i].1;
        let target = next_code[i];
        out.push(Comment {
            start: h + 1,
            text: &text[h + 1..end],
            target,
        });
    }
    out
}

/// Where a comment starts on a line: the first `#` outside a string.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

/// `# VOUCH:ALLOW(…)` looks like a suppression but is not read: say so, with
/// the fix. `start` is where the comment's text begins.
fn not_lowercase(source: &SourceFile, start: usize, body: &str) -> Option<Finding> {
    let prefix = body.get(..6).filter(|p| p.eq_ignore_ascii_case("vouch:"))?;
    if prefix == "vouch:" {
        return None;
    }
    let span = Span::new(start, start + body.len());
    let allow = body
        .get(6..11)
        .is_some_and(|a| a.eq_ignore_ascii_case("allow"));
    let fixed = if allow { "vouch:allow" } else { "vouch:" };
    let mut f = finding(
        source,
        &registry::MALFORMED_SUPPRESSION,
        span,
        format!("`{prefix}` is not read: suppressions are written in lowercase"),
    )
    .with_label("not lowercase")
    .with_help("write `# vouch:allow(LINT) reason: \"why\"`");
    let at = Span::new(span.start, span.start + fixed.len());
    f.fix("write it in lowercase", at, fixed, true);
    Some(f)
}

/// The lints a suppression names, each with its span; unknown names are
/// reported in `meta`. `None` for an empty name (a malformed list).
fn lint_names(
    source: &SourceFile,
    list: &str,
    start: usize,
    meta: &mut Vec<Finding>,
) -> Option<Vec<(String, Span, bool)>> {
    let mut names = Vec::new();
    let mut at = start;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        let span = Span::new(at + lead, at + lead + name.len());
        at += part.len() + 1;
        if name.is_empty() {
            return None;
        }
        match registry::find(name) {
            Some(l) if l.group != Group::Suppressions => {
                names.push((l.name.to_string(), span, false))
            }
            found => {
                let help = if found.is_some() {
                    "findings about suppressions cannot themselves be suppressed".to_string()
                } else if name.starts_with("vouch::parse") || name.starts_with("vouch::check") {
                    "parse and check errors cannot be suppressed: the policy does not load until they are fixed".to_string()
                } else {
                    did_you_mean(name, registry::LINTS.iter().map(|l| l.name)).unwrap_or_else(|| {
                        "`vouch check --explain LINT` documents each lint; `docs/lints.md` lists them".into()
                    })
                };
                meta.push(
                    finding(
                        source,
                        &registry::UNKNOWN_LINT,
                        span,
                        format!("`{name}` is not a lint that can be suppressed"),
                    )
                    .with_label("unknown lint")
                    .with_help(help),
                );
            }
        }
    }
    Some(names)
}

fn parse(
    source: &SourceFile,
    c: &Comment,
    items: &[Span],
    meta: &mut Vec<Finding>,
) -> Option<Directive> {
    let lead = c.text.len() - c.text.trim_start().len();
    let body = c.text.trim();
    if let Some(f) = not_lowercase(source, c.start + lead, body) {
        meta.push(f);
        return None;
    }
    let rest = body.strip_prefix("vouch:")?;
    let body_start = c.start + lead;
    let comment_span = Span::new(body_start, body_start + body.len());
    let malformed = |meta: &mut Vec<Finding>| {
        meta.push(
            finding(
                source,
                &registry::MALFORMED_SUPPRESSION,
                comment_span,
                "this `vouch:` comment is not a suppression".into(),
            )
            .with_label("not understood")
            .with_help("write `# vouch:allow(LINT) reason: \"why\"`, naming one or more lints"),
        );
        None
    };
    let Some(args) = rest.trim_start().strip_prefix("allow") else {
        return malformed(meta);
    };
    let Some(args) = args.trim_start().strip_prefix('(') else {
        return malformed(meta);
    };
    let Some(close) = args.find(')') else {
        return malformed(meta);
    };
    let list_start = body_start + (body.len() - args.len());
    let Some(names) = lint_names(source, &args[..close], list_start, meta) else {
        return malformed(meta);
    };
    let tail = args[close + 1..].trim();
    let reason = match tail.strip_prefix("reason") {
        Some(r) => {
            let r = r.trim_start();
            let r = r.strip_prefix(':').unwrap_or(r).trim();
            match r.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(text) => Some(text.trim().to_string()),
                None => return malformed(meta),
            }
        }
        None if tail.is_empty() => None,
        None => return malformed(meta),
    };
    if reason.as_deref().is_none_or(str::is_empty) {
        meta.push(
            finding(
                source,
                &registry::SUPPRESSION_WITHOUT_REASON,
                comment_span,
                "this suppression gives no reason".into(),
            )
            .with_label("no reason")
            .with_help(
                "say why the finding is acceptable: `reason: \"kept for the next campaign\"`",
            ),
        );
    }
    let scope = c.target.map(|(start, end)| {
        let first =
            start + source.text[start..end].len() - source.text[start..end].trim_start().len();
        let item_end = items
            .iter()
            .filter(|s| s.start == first)
            .map(|s| s.end)
            .max()
            .unwrap_or(end);
        Span::new(start, item_end.max(end))
    });
    Some(Directive { names, scope })
}

/// The spans of everything a suppression may cover as a whole.
fn item_spans(policy: &ast::Policy) -> Vec<Span> {
    let mut out = Vec::new();
    if let Some(h) = &policy.header {
        out.push(h.span);
    }
    out.extend(policy.enums.iter().map(|e| e.span));
    out.extend(policy.facts.iter().map(|f| f.path.span.to(f.ty.span)));
    if let Some(block) = &policy.services {
        out.push(block.span);
    }
    out.extend(policy.params.iter().map(|p| p.span));
    for d in &policy.decisions {
        out.push(d.span);
        for stmt in &d.body {
            match stmt {
                ast::Stmt::Let(n, e) => out.push(n.span.to(e.span)),
                ast::Stmt::Arm(ast::Arm::If { span, .. } | ast::Arm::Else { span, .. }) => {
                    out.push(*span)
                }
                ast::Stmt::Arm(ast::Arm::Require {
                    conditions, span, ..
                }) => {
                    out.push(*span);
                    out.extend(conditions.iter().map(|c| c.span));
                }
            }
        }
    }
    out
}

/// The comment holding `name`: its whole line when it stands alone, else
/// from the end of the code before it to the end of the line.
fn whole_comment(text: &str, name: Span) -> Span {
    let line_start = text[..name.start].rfind('\n').map_or(0, |n| n + 1);
    let hash = text[line_start..name.start]
        .rfind('#')
        .map_or(name.start, |h| line_start + h);
    let line_end = text[name.end..]
        .find('\n')
        .map_or(text.len(), |n| name.end + n);
    if text[line_start..hash].trim().is_empty() {
        Span::new(line_start, (line_end + 1).min(text.len()))
    } else {
        let code_end = line_start + text[line_start..hash].trim_end().len();
        Span::new(code_end, line_end)
    }
}

/// One lint name of a list, with the comma that joins it to the next (or
/// to the one before, for the last).
fn one_name(text: &str, name: Span) -> Span {
    let after = &text[name.end..];
    let rest = after.trim_start_matches([' ', '\t']);
    if let Some(r) = rest.strip_prefix(',') {
        let skipped = after.len() - r.trim_start_matches([' ', '\t']).len();
        return Span::new(name.start, name.end + skipped);
    }
    let before = text[..name.start].trim_end_matches([' ', '\t']);
    match before.strip_suffix(',') {
        Some(b) => Span::new(b.len(), name.end),
        None => name,
    }
}
