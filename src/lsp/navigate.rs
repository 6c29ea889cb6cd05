//! Go to definition, find references, rename, and the outline.

use lsp_server::ErrorCode;
use lsp_types::{
    DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse,
    Location, PrepareRenameResponse, ReferenceParams, RenameParams, TextDocumentPositionParams,
    TextEdit, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::index::Kind;
use super::Server;
use crate::diagnostic::Level;
use crate::source::Span;

/// Words that cannot name anything.
pub(crate) const KEYWORDS: [&str; 18] = [
    "and", "or", "not", "in", "is", "if", "then", "else", "let", "when", "require", "decision",
    "param", "exists", "true", "false", "none", "cite",
];

impl Server {
    pub(crate) fn definition(&mut self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let uri = p.text_document_position_params.text_document.uri.clone();
        let (a, offset) = self.at(&p.text_document_position_params)?;
        let o = a.index.at(offset)?;
        let s = &a.index.symbols[o.symbol];
        Some(GotoDefinitionResponse::Scalar(Location::new(
            uri,
            a.range(s.span),
        )))
    }

    pub(crate) fn references(&mut self, p: ReferenceParams) -> Option<Vec<Location>> {
        let uri = p.text_document_position.text_document.uri.clone();
        let (a, offset) = self.at(&p.text_document_position)?;
        let o = a.index.at(offset)?;
        let with_declaration = p.context.include_declaration;
        Some(
            a.index
                .occurrences_of(o.symbol)
                .filter(|x| with_declaration || !x.declaration)
                .map(|x| Location::new(uri.clone(), a.range(x.span)))
                .collect(),
        )
    }

    pub(crate) fn prepare_rename(
        &mut self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>, (ErrorCode, String)> {
        let Some((a, offset)) = self.at(&p) else {
            return Ok(None);
        };
        let Some(o) = a.index.at(offset) else {
            return Err(refuse("there is no name here that vouch can rename"));
        };
        Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: a.range(o.span),
            placeholder: a.index.symbols[o.symbol].name.clone(),
        }))
    }

    #[allow(clippy::mutable_key_type)]
    pub(crate) fn rename(
        &mut self,
        p: RenameParams,
    ) -> Result<Option<WorkspaceEdit>, (ErrorCode, String)> {
        // lsp-types keys the changes by `Uri`, which clippy deems mutable; it is not hashed mutably here.
        let uri = p.text_document_position.text_document.uri.clone();
        let Some((a, offset)) = self.at(&p.text_document_position) else {
            return Ok(None);
        };
        let Some(o) = a.index.at(offset) else {
            return Err(refuse("there is no name here that vouch can rename"));
        };
        let spans = rename_spans(&a, o.symbol, &p.new_name)?;
        let edits: Vec<TextEdit> = spans
            .iter()
            .map(|s| TextEdit::new(a.range(*s), p.new_name.clone()))
            .collect();
        // The test files of the policy follow: the decisions, outcomes,
        // fields and facts their cases name.
        let mut changes = self.rename_in_tests(&a, o.symbol, &p.new_name);
        changes.insert(uri, edits);
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }

    pub(crate) fn document_symbols(
        &mut self,
        p: DocumentSymbolParams,
    ) -> Option<DocumentSymbolResponse> {
        let a = self.analysis(p.text_document.uri.as_str())?;
        Some(DocumentSymbolResponse::Nested(super::outline::outline(&a)))
    }
}

fn refuse(message: impl Into<String>) -> (ErrorCode, String) {
    (ErrorCode::RequestFailed, message.into())
}

/// Every place to rewrite to rename a symbol, or why it cannot be renamed.
pub(crate) fn rename_spans(
    a: &Analysis,
    symbol: usize,
    new_name: &str,
) -> Result<Vec<Span>, (ErrorCode, String)> {
    let s = &a.index.symbols[symbol];
    let valid_word = |w: &str| {
        let mut chars = w.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !KEYWORDS.contains(&w)
    };
    let valid = if s.kind == Kind::Fact {
        new_name.split('.').all(valid_word)
    } else {
        valid_word(new_name)
    };
    if !valid {
        let what = if s.kind == Kind::Fact {
            "a fact path such as `order.amount`"
        } else {
            "a name of letters, digits and `_`, not a keyword"
        };
        return Err(refuse(format!("`{new_name}` is not {what}")));
    }
    if new_name == s.name {
        return Ok(Vec::new());
    }
    if let Some(other) = clash(a, symbol, new_name) {
        let o = &a.index.symbols[other];
        let (line, _) = a.source.line_col(o.span.start);
        return Err(refuse(format!(
            "`{new_name}` already names {} {} (line {line})",
            if o.kind.word().starts_with(['a', 'e', 'o']) {
                "an"
            } else {
                "a"
            },
            o.kind.word()
        )));
    }
    let spans: Vec<Span> = a.index.occurrences_of(symbol).map(|o| o.span).collect();
    // A rename must leave the policy meaning what it meant: no new error.
    let mut text = a.text().to_string();
    for span in spans.iter().rev() {
        text.replace_range(span.start..span.end, new_name);
    }
    let renamed = crate::source::SourceFile::new(a.source.name.clone(), text);
    let after = crate::diagnose_with_sources(&renamed, a.settings.sources());
    if super::analysis::error_count(&after) > a.errors {
        let first = after
            .iter()
            .find(|f| f.level == Level::Error)
            .map(|f| f.message.clone())
            .unwrap_or_default();
        return Err(refuse(format!(
            "renaming to `{new_name}` would break the policy: {first}"
        )));
    }
    Ok(spans)
}

/// A symbol that the new name would collide with or be shadowed by.
fn clash(a: &Analysis, symbol: usize, new_name: &str) -> Option<usize> {
    let s = &a.index.symbols[symbol];
    let global = [
        Kind::Param,
        Kind::Decision,
        Kind::Fact,
        Kind::Enum,
        Kind::Source,
    ];
    a.index
        .symbols
        .iter()
        .enumerate()
        .position(|(i, o)| {
            if i == symbol || o.name != new_name {
                return false;
            }
            match s.kind {
                Kind::Variant => o.kind == Kind::Variant && o.parent == s.parent,
                Kind::Service => o.kind == Kind::Service,
                Kind::Outcome | Kind::Field => o.kind == s.kind && o.decision == s.decision,
                // Fields of one record.
                Kind::RecordField => o.kind == Kind::RecordField && o.parent == s.parent,
                Kind::Let | Kind::Item => {
                    (o.kind == Kind::Let && o.decision == s.decision) || global.contains(&o.kind)
                }
                Kind::Fact if new_name.contains('.') => {
                    // A fact is a value or a section, never both.
                    o.kind == Kind::Fact
                }
                _ => global.contains(&o.kind) || (o.kind == Kind::Let && s.kind != Kind::Source),
            }
        })
        .or_else(|| {
            if s.kind != Kind::Fact {
                return None;
            }
            let prefix = format!("{new_name}.");
            a.index.symbols.iter().position(|o| {
                o.kind == Kind::Fact
                    && (o.name.starts_with(&prefix)
                        || new_name.starts_with(&format!("{}.", o.name)))
            })
        })
}
