//! `vouch fmt`: one canonical layout for a policy file.
//!
//! The file is parsed, printed again from its syntax tree (one function per
//! node, `items` and `decision`; expressions through a small
//! pretty-printing document, `doc`), and its comments are put back by
//! position: a comment on a line of its own before the line that holds the
//! code after it, a comment after code at the end of the line that holds the
//! code before it. The result is parsed again: unless its tree (spans aside)
//! and its comments equal the input's, the text is refused.

mod decision;
mod doc;
mod expr;
mod items;
mod layout;

use miette::Diagnostic;
use thiserror::Error;

use crate::source::SourceFile;
use crate::syntax::{self, ParseError};

/// How to lay a policy out.
#[derive(Clone, Debug)]
pub struct FormatOptions {
    /// Lines are wrapped to fit this many columns where they can (a Chinese
    /// character takes two).
    pub width: usize,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions { width: 100 }
    }
}

/// Why a file was not formatted.
#[derive(Debug, Error, Diagnostic)]
pub enum FormatError {
    /// The file does not parse.
    #[error("`{file}` does not parse, so it cannot be formatted")]
    #[diagnostic(
        code(vouch::format::parse),
        help("fix the mistakes below first; `vouch check` lists them too")
    )]
    Parse {
        /// The file.
        file: String,
        /// Its parse errors.
        #[related]
        errors: Vec<ParseError>,
    },
    /// The formatted text would not parse to the same tree: left untouched.
    #[error("formatting `{file}` would change what it means, so it was left as it is")]
    #[diagnostic(
        code(vouch::format::changed_meaning),
        help("this is a mistake in vouch fmt; please report it with the file")
    )]
    ChangedMeaning {
        /// The file.
        file: String,
    },
}

/// The policy in its canonical layout, or why it cannot be given: the text
/// does not parse, or its layout could not be proved to mean the same.
pub fn format(source: &SourceFile, options: &FormatOptions) -> Result<String, FormatError> {
    let policy = syntax::parse(source).map_err(|errors| FormatError::Parse {
        file: source.name.to_string(),
        errors,
    })?;
    let printed = layout::print(&source.text, &policy, options.width);
    if printed == *source.text {
        // Already in the canonical layout: the same text has the same meaning.
        return Ok(printed);
    }
    let again = SourceFile::new(source.name.clone(), printed.as_str());
    let same_tree = syntax::parse(&again).is_ok_and(|p| p == policy);
    let same_comments = layout::comment_texts(&source.text) == layout::comment_texts(&printed);
    if same_tree && same_comments {
        Ok(printed)
    } else {
        Err(FormatError::ChangedMeaning {
            file: source.name.to_string(),
        })
    }
}
