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
pub mod source;
pub mod syntax;
