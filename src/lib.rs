//! vouch: a policy language and engine for after-sales guarantee programs.
//!
//! The pipeline has three stages, each with one entry point:
//!
//! - [`syntax::parse`]: policy text → [`ast::Policy`] (spanned syntax tree)
//! - [`check::check`]: AST → [`check::Program`] (names resolved to slots, types checked)
//! - [`eval::evaluate`]: program + [`facts::Facts`] → [`eval::CaseResult`]
//!
//! Facts are decoded by [`facts::decode`] straight into the program's slots.
#![forbid(unsafe_code)]

pub mod ast;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod facts;
pub mod program;
pub mod source;
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
