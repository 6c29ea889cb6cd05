//! One policy's text, analysed once per edit: the findings of `vouch check`,
//! the syntax tree of what parses, the program when it checks, and the index
//! of its names.

use crate::ast::Policy;
use crate::diagnostic::{Finding, Level};
use crate::program::Program;
use crate::source::{SourceFile, Span};

use super::index::Index;
use super::settings::Settings;
use super::text::{Encoding, LineIndex};

/// Everything the handlers read about a policy.
pub struct Analysis {
    pub source: SourceFile,
    /// The items that parse.
    pub ast: Policy,
    /// Whether every item parses.
    pub parsed: bool,
    /// The program, when the items that parse also check.
    pub program: Option<Program>,
    /// Exactly what `vouch check` reports for the file, at the levels of
    /// its `vouch.toml`.
    pub findings: Vec<Finding>,
    /// How many errors `vouch check` reports without a `vouch.toml`.
    pub errors: usize,
    /// The `vouch.toml` that applies.
    pub settings: Settings,
    pub index: Index,
    pub lines: LineIndex,
}

impl Analysis {
    pub fn new(name: &str, text: &str, encoding: Encoding, settings: Settings) -> Analysis {
        let source = SourceFile::new(name, text);
        let raw = crate::diagnose_with_sources(&source, settings.sources());
        let errors = error_count(&raw);
        let findings = match &settings.config {
            _ if settings.skipped => Vec::new(),
            Some(config) => config.apply(raw),
            None => raw,
        };
        let (ast, parse_errors) = crate::syntax::parse_recovering(&source);
        let (program, names) = crate::check::check_with_names(&source, &ast);
        let index = Index::build(&ast, &names);
        Analysis {
            lines: LineIndex::new(text, encoding),
            source,
            ast,
            parsed: parse_errors.is_empty(),
            program: program.ok(),
            findings,
            errors,
            settings,
            index,
        }
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }

    pub fn range(&self, span: Span) -> lsp_types::Range {
        self.lines.range(&self.source.text, span)
    }

    pub fn offset(&self, pos: lsp_types::Position) -> usize {
        self.lines.offset(&self.source.text, pos)
    }
}

/// How many of the findings are errors.
pub fn error_count(findings: &[Finding]) -> usize {
    findings.iter().filter(|f| f.level == Level::Error).count()
}
