//! The test suite: one crate, so that it builds and links once.
//!
//! Each module is one area; `common` holds the helpers they share.

mod check;
mod check_cli;
mod check_fixtures;
mod cli;
mod common;
mod config;
mod contract;
mod corpus;
mod corpus_decisions;
mod decisions;
mod diff;
mod docs;
mod eval;
mod eval_errors;
mod explain;
mod facts_errors;
mod fixes;
mod fmt;
mod hardening;
mod hardening_cli;
mod language2;
mod lint_logic;
mod lints;
mod lsp;
mod policy_tests;
mod properties;
mod sarif;
mod serve;
mod sources;
mod stream;
mod syntax;
