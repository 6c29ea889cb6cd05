//! Formatting through `vouch fmt`'s formatter, and code actions: the fixes
//! vouch knows for a finding, and a suppression with a reason for a lint.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentFormattingParams,
    Range, TextEdit, Uri, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::Server;
use crate::diagnostic::{apply_fixes, Fix};
use crate::format::{format, FormatError, FormatOptions};
use crate::lint::registry;
use crate::source::Span;

impl Server {
    pub(crate) fn formatting(
        &mut self,
        p: DocumentFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>, (ErrorCode, String)> {
        let Some(a) = self.analysis(p.text_document.uri.as_str()) else {
            return Ok(None);
        };
        // The project's `vouch.toml` first, as `vouch fmt` reads it, so that
        // the editor and CI agree; then what the client said.
        let options = FormatOptions {
            width: a
                .settings
                .width()
                .or(self.format_width)
                .unwrap_or(FormatOptions::default().width),
        };
        match format(&a.source, &options) {
            Ok(text) if text == a.text() => Ok(Some(Vec::new())),
            Ok(text) => {
                let whole = a.range(Span::new(0, a.text().len()));
                Ok(Some(vec![TextEdit::new(whole, text)]))
            }
            Err(e @ FormatError::Parse { .. }) | Err(e @ FormatError::ChangedMeaning { .. }) => {
                Err((ErrorCode::RequestFailed, e.to_string()))
            }
        }
    }

    pub(crate) fn code_actions(&mut self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = p.text_document.uri.clone();
        let a = self.analysis(uri.as_str())?;
        let wanted = a.lines.span(a.text(), p.range);
        let touches = |s: Span| s.start <= wanted.end && wanted.start <= s.end;
        let mut out = Vec::new();
        for f in a.findings.iter().filter(|f| touches(f.span)) {
            for fix in &f.fixes {
                out.push(fix_action(&a, &uri, fix, &p, f.span));
            }
            if let Some(lint) = registry::by_code(f.code) {
                out.push(suppression(&a, &uri, lint.name, f.span, &p));
            }
        }
        // Every fix `vouch check --fix` would make, at once.
        let (fixed_text, fixed) = apply_fixes(a.text(), &a.findings);
        if fixed > 0 {
            let whole = a.range(Span::new(0, a.text().len()));
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Fix all that vouch check --fix would ({fixed})"),
                kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                edit: Some(edit(&uri, vec![TextEdit::new(whole, fixed_text)])),
                ..Default::default()
            }));
        }
        Some(out)
    }
}

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    #[allow(clippy::mutable_key_type)]
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// The diagnostics of the request that sit where a finding does.
fn diagnostics_at(a: &Analysis, p: &CodeActionParams, span: Span) -> Vec<lsp_types::Diagnostic> {
    let range: Range = a.range(span);
    p.context
        .diagnostics
        .iter()
        .filter(|d| d.range == range)
        .cloned()
        .collect()
}

fn fix_action(
    a: &Analysis,
    uri: &Uri,
    f: &Fix,
    p: &CodeActionParams,
    span: Span,
) -> CodeActionOrCommand {
    let edits = f
        .edits
        .iter()
        .map(|(s, text)| TextEdit::new(a.range(*s), text.clone()))
        .collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title: f.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(diagnostics_at(a, p, span)),
        edit: Some(edit(uri, edits)),
        is_preferred: Some(f.applicable),
        ..Default::default()
    })
}

/// `# vouch:allow(LINT) reason: "…"` on a line of its own above the
/// finding's line, indented like it: the author writes the reason.
fn suppression(
    a: &Analysis,
    uri: &Uri,
    lint: &str,
    span: Span,
    p: &CodeActionParams,
) -> CodeActionOrCommand {
    let text = a.text();
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = format!("{indent}# vouch:allow({lint}) reason: \"…\"\n");
    let at = a.range(Span::new(line_start, line_start));
    CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Allow `{lint}` here, with a reason"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(diagnostics_at(a, p, span)),
        edit: Some(edit(uri, vec![TextEdit::new(at, comment)])),
        is_preferred: Some(false),
        ..Default::default()
    })
}
