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
//! parse, check and lint together, as `vouch check` does, and
//! [`diagnose_with_sources`] checks every quote against its source text too.
//!
//! To embed the engine in a service, load an [`engine::Policy`] and decide
//! cases or streams with it; [`serve`] is the HTTP server `vouch serve` runs
//! on top of it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
pub mod builtins;
pub mod check;
pub mod citations;
/// The command line: `main.rs` calls `cli::main`. Not an API; embed the engine
/// through the other modules.
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod eval;
pub mod facts;
pub mod format;
pub mod lint;
pub mod lsp;
pub mod output;
pub mod program;
pub mod serve;
pub mod source;
pub mod stream;
pub mod syntax;
pub mod testing;
pub mod types;

use source::SourceFile;

/// A policy that could not be loaded: its parse or check errors. As a
/// diagnostic it names the file and carries every error as related.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The text does not parse: one error per mistaken item.
    #[error("`{file}` does not parse: {} error(s)", errors.len())]
    Parse {
        /// The policy file's name.
        file: std::sync::Arc<str>,
        /// Every parse error, in source order.
        errors: Vec<syntax::ParseError>,
    },
    /// The text parses but does not check (names, types, cycles).
    #[error("`{file}` does not check: {} error(s)", errors.len())]
    Check {
        /// The policy file's name.
        file: std::sync::Arc<str>,
        /// Every check error, in source order.
        errors: Vec<diagnostic::Finding>,
    },
}

impl LoadError {
    /// Every diagnostic, in source order.
    pub fn diagnostics(&self) -> Vec<&dyn miette::Diagnostic> {
        match self {
            LoadError::Parse { errors, .. } => errors
                .iter()
                .map(|e| e as &dyn miette::Diagnostic)
                .collect(),
            LoadError::Check { errors, .. } => errors
                .iter()
                .map(|e| e as &dyn miette::Diagnostic)
                .collect(),
        }
    }
}

impl miette::Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(match self {
            LoadError::Parse { .. } => "vouch::load::parse",
            LoadError::Check { .. } => "vouch::load::check",
        }))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(self.diagnostics().into_iter()))
    }
}

/// Parse and check a policy: the program, ready to evaluate cases.
pub fn load(source: &SourceFile) -> Result<program::Program, LoadError> {
    let ast = syntax::parse(source).map_err(|errors| LoadError::Parse {
        file: source.name.clone(),
        errors,
    })?;
    check::check(source, &ast).map_err(|errors| LoadError::Check {
        file: source.name.clone(),
        errors,
    })
}

/// Parse, check and lint a policy: every finding, sorted by position.
/// Lints run only on a policy that parses and checks.
pub fn diagnose(source: &SourceFile) -> Vec<diagnostic::Finding> {
    diagnose_with_sources(source, None)
}

/// [`diagnose`], and with `sources`, every cited quote checked against the
/// source files in that folder ([`citations::check`]).
pub fn diagnose_with_sources(
    source: &SourceFile,
    sources: Option<&std::path::Path>,
) -> Vec<diagnostic::Finding> {
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
                    f.fixes = e.fixes.clone();
                    f
                })
                .collect()
        }
    };
    let mut findings = match check::check(source, &ast) {
        Ok(program) => lint::lint(source, &ast, &program),
        Err(findings) => findings,
    };
    if let Some(dir) = sources {
        findings.extend(citations::check(source, &ast, dir));
        lint::sort(&mut findings);
    }
    findings
}
