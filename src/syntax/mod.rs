//! Text → AST: the pest parser, error recovery and lowering.

mod errors;
mod lower;

use pest::Parser;

use crate::ast::Policy;
use crate::source::SourceFile;

pub use errors::ParseError;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/vouch.pest"]
pub(crate) struct VouchParser;

/// Keywords that start a top-level item; a line starting with one at column 0
/// is where parsing resumes after a mistake.
const ITEM_KEYWORDS: [&str; 6] = ["policy", "enum", "facts", "services", "param", "decision"];

/// Parse a policy file, reporting every mistake at once (one per top-level item).
pub fn parse(source: &SourceFile) -> Result<Policy, Vec<ParseError>> {
    let text: &str = &source.text;
    let mut policy = Policy::default();
    let mut errors = Vec::new();
    for (start, end) in item_chunks(text) {
        match VouchParser::parse(Rule::file, &text[start..end]) {
            Ok(mut pairs) => {
                let file = pairs.next().expect("the file rule always yields a pair");
                let mut lowerer = lower::Lowerer::new(source, start);
                lowerer.file(file, &mut policy);
                errors.extend(lowerer.errors);
            }
            Err(e) => {
                // Parse again, tracking the literal tokens pest tried, so the
                // message can say "expected `=>`" and not only rule names.
                pest::set_error_detail(true);
                let detailed = VouchParser::parse(Rule::file, &text[start..end]).err();
                pest::set_error_detail(false);
                errors.push(errors::from_pest(source, start, detailed.unwrap_or(e)));
            }
        }
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(errors)
    }
}

/// Byte ranges of the file split before each line that starts a top-level item.
fn item_chunks(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let word_end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        if offset > 0 && ITEM_KEYWORDS.contains(&&line[..word_end]) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut chunks = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(text.len());
        chunks.push((s, e));
    }
    chunks
}
