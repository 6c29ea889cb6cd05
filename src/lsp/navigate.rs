//! Go to definition, find references, rename, and the outline.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams, RenameParams,
    SymbolKind, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::index::Kind;
use super::Server;
use crate::ast::Stmt;
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
        let mut changes = HashMap::new();
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
        Some(DocumentSymbolResponse::Nested(outline(&a)))
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
    let errors =
        |f: &[crate::diagnostic::Finding]| f.iter().filter(|f| f.level == Level::Error).count();
    let after = crate::diagnose(&renamed);
    if errors(&after) > errors(&a.findings) {
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
                Kind::Let => {
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

#[allow(deprecated)]
fn symbol(
    a: &Analysis,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    full: Span,
    name_span: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: name.to_string(),
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: a.range(full.to(name_span)),
        selection_range: a.range(name_span),
        children: (!children.is_empty()).then_some(children),
    }
}

/// The outline: the header and its sources, enums, facts, services,
/// parameters, and decisions with their outcomes and `let`s.
fn outline(a: &Analysis) -> Vec<DocumentSymbol> {
    let ast = &a.ast;
    let text = a.text();
    let mut out = Vec::new();
    if let Some(h) = &ast.header {
        let sources = h
            .sources
            .iter()
            .map(|s| {
                symbol(
                    a,
                    &s.id.node,
                    Some(s.title.node.clone()),
                    SymbolKind::FILE,
                    s.id.span.to(s.title.span),
                    s.id.span,
                    Vec::new(),
                )
            })
            .collect();
        out.push(symbol(
            a,
            &h.id.node,
            h.name.as_ref().map(|n| n.node.clone()),
            SymbolKind::MODULE,
            h.span,
            h.id.span,
            sources,
        ));
    }
    for e in &ast.enums {
        let values = e
            .variants
            .iter()
            .map(|v| {
                symbol(
                    a,
                    &v.name.node,
                    v.label.as_ref().map(|l| l.node.clone()),
                    SymbolKind::ENUM_MEMBER,
                    v.name.span,
                    v.name.span,
                    Vec::new(),
                )
            })
            .collect();
        out.push(symbol(
            a,
            &e.name.node,
            None,
            SymbolKind::ENUM,
            e.span,
            e.name.span,
            values,
        ));
    }
    if let (Some(first), Some(last)) = (ast.facts.first(), ast.facts.last()) {
        let facts = ast
            .facts
            .iter()
            .map(|f| {
                symbol(
                    a,
                    &f.path.node,
                    Some(text[f.ty.span.start..f.ty.span.end].to_string()),
                    SymbolKind::FIELD,
                    f.path.span.to(f.ty.span),
                    f.path.span,
                    Vec::new(),
                )
            })
            .collect();
        let span = first.path.span.to(last.ty.span);
        out.push(symbol(
            a,
            "facts",
            None,
            SymbolKind::NAMESPACE,
            span,
            Span::new(span.start, span.start),
            facts,
        ));
    }
    if let Some(b) = &ast.services {
        let services = b
            .services
            .iter()
            .map(|s| {
                symbol(
                    a,
                    &s.name.node,
                    s.label.as_ref().map(|l| l.node.clone()),
                    SymbolKind::INTERFACE,
                    s.name.span,
                    s.name.span,
                    Vec::new(),
                )
            })
            .collect();
        out.push(symbol(
            a,
            "services",
            None,
            SymbolKind::NAMESPACE,
            b.span,
            Span::new(b.span.start, b.span.start),
            services,
        ));
    }
    for p in &ast.params {
        let value = text[p.value.span.start..p.value.span.end].to_string();
        out.push(symbol(
            a,
            &p.name.node,
            Some(value),
            SymbolKind::CONSTANT,
            p.span,
            p.name.span,
            Vec::new(),
        ));
    }
    for d in &ast.decisions {
        let mut children = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for stmt in &d.body {
            match stmt {
                Stmt::Let(n, e) => children.push(symbol(
                    a,
                    &n.node,
                    None,
                    SymbolKind::VARIABLE,
                    n.span.to(e.span),
                    n.span,
                    Vec::new(),
                )),
                Stmt::Arm(arm) => {
                    for o in arm.outcomes() {
                        if !seen.contains(&o.name.node.as_str()) {
                            seen.push(&o.name.node);
                            children.push(symbol(
                                a,
                                &o.name.node,
                                None,
                                SymbolKind::EVENT,
                                o.span,
                                o.name.span,
                                Vec::new(),
                            ));
                        }
                    }
                }
            }
        }
        out.push(symbol(
            a,
            &d.name.node,
            d.doc.as_ref().map(|x| x.node.clone()),
            SymbolKind::FUNCTION,
            d.span,
            d.name.span,
            children,
        ));
    }
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    out
}
