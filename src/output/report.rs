//! Findings of `vouch check` in the formats people and CI systems read:
//! miette reports, plain text, JSON, GitHub workflow commands and SARIF 2.1.0.

use std::fmt::Write as _;

use clap::ValueEnum;
use serde_json::{json, Value as Json};
use unicode_width::UnicodeWidthChar;

use super::render;
use super::terminal::escape;
use crate::diagnostic::{Finding, Level};
use crate::lint::registry::{self, Lint};
use crate::source::{SourceFile, Span};

/// How `vouch check` prints its findings.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Reports with the source underlined, in colour on a terminal.
    Human,
    /// The same without colour or box drawing, one finding per block.
    Plain,
    /// One JSON document with every finding.
    Json,
    /// GitHub Actions workflow commands, shown as annotations on a pull request.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// A file that could not be read, and why.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// The path as given.
    pub path: String,
    /// Why it cannot be read.
    pub error: String,
}

/// What one `vouch check` run found.
pub struct Run<'a> {
    /// How many files were read and checked.
    pub files: usize,
    /// Every finding, in file order and by position within a file.
    pub findings: &'a [Finding],
    /// Files that could not be read.
    pub unreadable: &'a [Unreadable],
}

/// The whole run in one format.
pub fn render(format: Format, run: &Run, color: bool) -> String {
    match format {
        Format::Human => human(run, color),
        Format::Plain => plain(run),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json_report(run)).expect("JSON");
            s.push('\n');
            s
        }
        Format::Github => github(run),
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif(run)).expect("JSON");
            s.push('\n');
            s
        }
    }
}

/// The lint a finding comes from; parse and check errors have none.
fn lint_of(f: &Finding) -> Option<&'static Lint> {
    registry::by_code(f.code)
}

/// The short name shown beside a finding: the lint's, or the error's code.
fn short_name(f: &Finding) -> &'static str {
    lint_of(f).map_or(f.code, |l| l.name)
}

fn source_of(f: &Finding) -> SourceFile {
    f.src.source_file(f.file.clone())
}

/// 1-based (line, column, end line, end column); the end column is the
/// column just after the span, as SARIF counts it.
fn position(source: &SourceFile, span: Span) -> (usize, usize, usize, usize) {
    let (line, col) = source.line_col(span.start);
    let (end_line, end_col) = source.line_col(span.end.max(span.start));
    (line, col, end_line, end_col)
}

fn summary(run: &Run) -> String {
    let count = |l: Level| run.findings.iter().filter(|f| f.level == l).count();
    let (e, w, a) = (
        count(Level::Error),
        count(Level::Warning),
        count(Level::Advice),
    );
    let files = plural(run.files, "file", "files");
    if e + w + a == 0 {
        return format!("{files} checked, no findings\n");
    }
    let mut parts = Vec::new();
    if e > 0 {
        parts.push(plural(e, "error", "errors"));
    }
    if w > 0 {
        parts.push(plural(w, "warning", "warnings"));
    }
    if a > 0 {
        parts.push(format!("{a} advice"));
    }
    format!("{} in {files}\n", parts.join(", "))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human(run: &Run, color: bool) -> String {
    let mut out = String::new();
    for f in run.findings {
        // A file name or a line of the policy may hold control characters;
        // colour is the only escape sequence written here.
        let shown = render::diagnostic(f, color);
        if color {
            out.push_str(&shown);
        } else {
            for line in shown.split_inclusive('\n') {
                let (body, newline) = match line.strip_suffix('\n') {
                    Some(b) => (b, "\n"),
                    None => (line, ""),
                };
                out.push_str(&escape(body));
                out.push_str(newline);
            }
        }
        out.push('\n');
    }
    out.push_str(&summary(run));
    out
}

// ---------------------------------------------------------------- plain

fn plain(run: &Run) -> String {
    let mut out = String::new();
    for f in run.findings {
        let source = source_of(f);
        let (line, col, _, _) = position(&source, f.span);
        let _ = writeln!(
            out,
            "{}:{line}:{col}: {}[{}]: {}",
            escape(&f.file),
            f.level.as_str(),
            short_name(f),
            escape(&f.message)
        );
        let mut snippets = vec![(f.span, '^', f.label.as_str())];
        snippets.extend(f.related.iter().map(|(s, l)| (*s, '-', l.as_str())));
        let width = snippets
            .iter()
            .map(|(s, _, _)| source.line_col(s.start).0.to_string().len())
            .max()
            .unwrap_or(1);
        let gutter = " ".repeat(width);
        let _ = writeln!(out, "{gutter} |");
        for (span, mark, label) in snippets {
            snippet(&mut out, &source, span, mark, label, width);
        }
        if let Some(h) = &f.help {
            let _ = writeln!(out, "{gutter} = help: {}", escape(h));
        }
        out.push('\n');
    }
    out.push_str(&summary(run));
    out
}

/// One source line with the span underlined under it.
fn snippet(
    out: &mut String,
    source: &SourceFile,
    span: Span,
    mark: char,
    label: &str,
    width: usize,
) {
    let (line_no, _) = source.line_col(span.start);
    let text = &source.text;
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let shown: String = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let _ = writeln!(
        out,
        "{line_no:>width$} | {}",
        super::terminal::escape(shown.trim_end())
    );
    let cols = |s: &str| -> usize {
        s.chars()
            .map(|c| c.width().unwrap_or(0).max(usize::from(c == '\t')))
            .sum()
    };
    let start = span.start.clamp(line_start, line_start + line.len());
    let end = span.end.clamp(start, line_start + line.len());
    let pad = cols(&text[line_start..start]);
    let marks = cols(&text[start..end]).max(1);
    let _ = writeln!(
        out,
        "{} | {}{} {label}",
        " ".repeat(width),
        " ".repeat(pad),
        mark.to_string().repeat(marks)
    );
}

// ---------------------------------------------------------------- json

fn json_report(run: &Run) -> Json {
    let count = |l: Level| run.findings.iter().filter(|f| f.level == l).count();
    let findings: Vec<Json> = run
        .findings
        .iter()
        .map(|f| {
            let source = source_of(f);
            let (line, column, end_line, end_column) = position(&source, f.span);
            let related: Vec<Json> = f
                .related
                .iter()
                .map(|(s, label)| {
                    let (line, column, end_line, end_column) = position(&source, *s);
                    json!({
                        "line": line, "column": column,
                        "end_line": end_line, "end_column": end_column,
                        "label": label,
                    })
                })
                .collect();
            let mut finding = json!({
                "file": &*f.file,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "level": f.level.as_str(),
                "code": f.code,
                "lint": lint_of(f).map(|l| l.name),
                "message": f.message,
                "label": f.label,
                "help": f.help,
                "related": related,
            });
            // Only a finding with fixes has the key: scripts reading older
            // reports see nothing new.
            if !f.fixes.is_empty() {
                finding["fixes"] = fixes_json(&source, f);
            }
            finding
        })
        .collect();
    let unreadable: Vec<Json> = run
        .unreadable
        .iter()
        .map(|u| json!({ "path": u.path, "error": u.error }))
        .collect();
    json!({
        "version": 1,
        "files": run.files,
        "summary": {
            "error": count(Level::Error),
            "warning": count(Level::Warning),
            "advice": count(Level::Advice),
        },
        "findings": findings,
        "unreadable": unreadable,
    })
}

// ---------------------------------------------------------------- github

/// Workflow-command data: `%`, CR and LF escaped.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command property values: also `:` and `,`.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(run: &Run) -> String {
    let mut out = String::new();
    for f in run.findings {
        let source = source_of(f);
        let (line, col, end_line, end_col) = position(&source, f.span);
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Advice => "notice",
        };
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            gh_property(&f.file),
            gh_property(&format!("vouch {}", short_name(f))),
            gh_data(&message)
        );
    }
    for u in run.unreadable {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            gh_property(&u.path),
            gh_property("vouch cannot read"),
            gh_data(&format!("cannot read `{}`: {}", u.path, u.error))
        );
    }
    out
}

// ---------------------------------------------------------------- sarif

/// The SARIF 2.1.0 schema's address, as the specification publishes it.
const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn sarif_level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Advice => "note",
    }
}

/// A relative path as a URI reference: `/` separators, other reserved
/// characters percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

fn rule_descriptor(code: &str) -> Json {
    match registry::by_code(code) {
        Some(l) => json!({
            "id": l.code,
            "name": l.name,
            "shortDescription": { "text": l.summary },
            "fullDescription": { "text": l.what },
            "help": {
                "text": super::lintdoc::explain(l),
                "markdown": super::lintdoc::markdown_entry(l, "###"),
            },
            "defaultConfiguration": { "level": sarif_level(l.level) },
            "properties": { "tags": [l.group.title()] },
        }),
        None => {
            let what = if code.starts_with("vouch::parse") {
                "the policy file does not parse"
            } else {
                "the policy does not type-check"
            };
            json!({
                "id": code,
                "shortDescription": { "text": what },
                "defaultConfiguration": { "level": "error" },
            })
        }
    }
}

/// A finding's fixes as JSON: each edit's range (1-based, end column just
/// after) and its new text.
fn fixes_json(source: &SourceFile, f: &Finding) -> Json {
    let fixes: Vec<Json> = f
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<Json> = fix
                .edits
                .iter()
                .map(|(span, text)| {
                    let (line, column, end_line, end_column) = position(source, *span);
                    json!({
                        "line": line, "column": column,
                        "end_line": end_line, "end_column": end_column,
                        "text": text,
                    })
                })
                .collect();
            json!({ "title": fix.title, "applicable": fix.applicable, "edits": edits })
        })
        .collect();
    Json::Array(fixes)
}

/// A finding's fixes as SARIF 2.1.0 `fix` objects: one artifact change of
/// replacements each.
fn sarif_fixes(source: &SourceFile, f: &Finding) -> Json {
    let fixes: Vec<Json> = f
        .fixes
        .iter()
        .map(|fix| {
            let replacements: Vec<Json> = fix
                .edits
                .iter()
                .map(|(span, text)| {
                    let (line, col, end_line, end_col) = position(source, *span);
                    json!({
                        "deletedRegion": {
                            "startLine": line, "startColumn": col,
                            "endLine": end_line, "endColumn": end_col,
                        },
                        "insertedContent": { "text": text },
                    })
                })
                .collect();
            json!({
                "description": { "text": fix.title },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri(&source.name) },
                    "replacements": replacements,
                }],
                "properties": { "applicable": fix.applicable },
            })
        })
        .collect();
    Json::Array(fixes)
}

fn sarif_location(source: &SourceFile, span: Span) -> Json {
    let (line, col, end_line, end_col) = position(source, span);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&source.name) },
            "region": {
                "startLine": line,
                "startColumn": col,
                "endLine": end_line,
                "endColumn": end_col,
            },
        },
    })
}

fn sarif(run: &Run) -> Json {
    // Only the rules this run reports, in order of first appearance.
    let mut codes: Vec<&str> = Vec::new();
    for f in run.findings {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
    }
    let rules: Vec<Json> = codes.iter().map(|c| rule_descriptor(c)).collect();
    let results: Vec<Json> = run
        .findings
        .iter()
        .map(|f| {
            let source = source_of(f);
            let related: Vec<Json> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, (s, label))| {
                    let mut loc = sarif_location(&source, *s);
                    loc["id"] = json!(i + 1);
                    loc["message"] = json!({ "text": label });
                    loc
                })
                .collect();
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": codes.iter().position(|c| *c == f.code).unwrap_or(0),
                "level": sarif_level(f.level),
                "message": { "text": f.message },
                "locations": [sarif_location(&source, f.span)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Json::Array(related);
            }
            if let Some(h) = &f.help {
                result["properties"] = json!({ "help": h });
            }
            if !f.fixes.is_empty() {
                result["fixes"] = sarif_fixes(&source, f);
            }
            result
        })
        .collect();
    let notifications: Vec<Json> = run
        .unreadable
        .iter()
        .map(|u| {
            json!({
                "level": "error",
                "message": { "text": format!("cannot read `{}`: {}", u.path, u.error) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&u.path) } } }],
            })
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "vouch",
                    "version": version,
                    "semanticVersion": version,
                    "rules": rules,
                },
            },
            "invocations": [{
                "executionSuccessful": run.unreadable.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
