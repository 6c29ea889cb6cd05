//! vouch: a policy language and engine for after-sales guarantee programs.
//!
//! The pipeline has three stages, each with one entry point:
//!
//! - [`syntax::parse`]: policy text → [`ast::Policy`] (spanned syntax tree)
//! - [`check::check`]: AST → [`program::Program`] (names resolved to slots, types checked)
//! - [`eval::evaluate`]: program + [`facts::Facts`] → [`eval::CaseResult`]
//!
//! Facts are decoded by [`facts::decode`] straight into the program's slots.
//! [`lint::lint`] finds mistakes in a program that loads; [`diagnose`] runs
//! parse, check and lint together, as `vouch check` does.
#![forbid(unsafe_code)]

pub mod ast;
pub mod check;
/// The command line: `main.rs` calls `cli::main`. Not an API; embed the engine
/// through the other modules.
#[doc(hidden)]
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod facts;
pub mod format;
pub mod lint;
pub mod output;
pub mod program;
pub mod source;
pub mod stream;
pub mod syntax;
pub mod types;

use source::SourceFile;

/// A policy that could not be loaded: its parse or check errors.
#[derive(Debug)]
pub enum LoadError {
    Parse(Vec<syntax::ParseError>),
    Check(Vec<diagnostic::Finding>),
}

impl LoadError {
    /// Every diagnostic, in source order.
    pub fn diagnostics(&self) -> Vec<&dyn miette::Diagnostic> {
        match self {
            LoadError::Parse(es) => es.iter().map(|e| e as &dyn miette::Diagnostic).collect(),
            LoadError::Check(es) => es.iter().map(|e| e as &dyn miette::Diagnostic).collect(),
        }
    }
}

/// Parse and check a policy: the program, ready to evaluate cases.
pub fn load(source: &SourceFile) -> Result<program::Program, LoadError> {
    let ast = syntax::parse(source).map_err(LoadError::Parse)?;
    check::check(source, &ast).map_err(LoadError::Check)
}

/// Parse, check and lint a policy: every finding, sorted by position.
/// Lints run only on a policy that parses and checks.
pub fn diagnose(source: &SourceFile) -> Vec<diagnostic::Finding> {
    let ast = match syntax::parse(source) {
        Ok(ast) => ast,
        Err(errors) => {
            return errors
                .iter()
                .map(|e| {
                    let start = e.span.offset();
                    let span = source::Span::new(start, start + e.span.len());
                    let mut f =
                        diagnostic::Finding::new(source, "vouch::parse::syntax", span, &e.message);
                    f.label(&e.label);
                    f.help = e.help.clone();
                    f
                })
                .collect()
        }
    };
    match check::check(source, &ast) {
        Ok(program) => lint::lint(source, &ast, &program),
        Err(findings) => findings,
    }
}
