//! One policy's text, analysed once per edit: the findings of `vouch check`,
//! the syntax tree of what parses, the program when it checks, and the index
//! of its names.

use crate::ast::Policy;
use crate::diagnostic::Finding;
use crate::program::Program;
use crate::source::{SourceFile, Span};

use super::index::Index;
use super::text::{Encoding, LineIndex};

/// Everything the handlers read about a policy.
pub struct Analysis {
    pub source: SourceFile,
    /// The items that parse.
    pub ast: Policy,
    /// The program, when the items that parse also check.
    pub program: Option<Program>,
    /// Exactly what `vouch check` reports for the file.
    pub findings: Vec<Finding>,
    pub index: Index,
    pub lines: LineIndex,
}

impl Analysis {
    pub fn new(name: &str, text: &str, encoding: Encoding) -> Analysis {
        let source = SourceFile::new(name, text);
        let findings = crate::diagnose(&source);
        let (ast, _) = crate::syntax::parse_recovering(&source);
        let (program, names) = crate::check::check_with_names(&source, &ast);
        let index = Index::build(&ast, &names);
        Analysis {
            lines: LineIndex::new(text, encoding),
            source,
            ast,
            program: program.ok(),
            findings,
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
