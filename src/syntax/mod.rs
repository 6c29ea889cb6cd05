//! Text → AST: the pest parser, error recovery and lowering.

mod errors;
mod lower;
mod mistakes;
pub mod nesting;

use pest::Parser;

use crate::ast::Policy;
use crate::source::{SourceFile, Span};

pub use errors::ParseError;

/// The parser pest derives from the grammar, in its own module: the rule
/// enum it generates names grammar rules, documented in the grammar itself.
mod grammar {
    #![allow(missing_docs)]

    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/vouch.pest"]
    pub(crate) struct VouchParser;
}

pub(crate) use grammar::{Rule, VouchParser};

/// Keywords that start a top-level item; a line starting with one at column 0
/// is where parsing resumes after a mistake.
const ITEM_KEYWORDS: [&str; 6] = ["policy", "enum", "facts", "services", "param", "decision"];

/// Parse a policy file, reporting every mistake at once (one per top-level item).
pub fn parse(source: &SourceFile) -> Result<Policy, Vec<ParseError>> {
    let (policy, errors) = parse_recovering(source);
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(errors)
    }
}

/// Parse a policy file as far as it goes: the items that parse, and a
/// mistake for each item that does not. An editor works with what parses
/// while the author is still typing.
pub fn parse_recovering(source: &SourceFile) -> (Policy, Vec<ParseError>) {
    let text: &str = &source.text;
    let chunks = item_chunks(text);
    let too_deep: Vec<Option<usize>> = chunks
        .iter()
        .map(|&(start, end)| nesting::too_many_brackets(&text[start..end]))
        .collect();
    if too_deep.iter().all(Option::is_none) {
        if let Some(policy) = parse_whole(source, &chunks) {
            return (policy, Vec::new());
        }
    }
    let mut policy = Policy::default();
    let mut errors = Vec::new();
    for ((start, end), too_deep) in chunks.into_iter().zip(too_deep) {
        if let Some(at) = too_deep {
            let message = nesting::too_deep_message();
            let span = Span::new(start + at, start + at + 1);
            errors.push(ParseError::new(source, span, message, "here").with_help(nesting::HELP));
            continue;
        }
        match VouchParser::parse(Rule::file, &text[start..end]) {
            Ok(mut pairs) => {
                let file = pairs.next().expect("the file rule always yields a pair");
                let mut lowerer = lower::Lowerer::new(source, start);
                lowerer.file(file, &mut policy);
                errors.extend(lowerer.errors);
            }
            Err(e) => {
                let detailed = parse_detailed(&text[start..end]);
                let generic = errors::from_pest(source, start, detailed.unwrap_or(e));
                let at = generic.span.offset();
                let specific = mistakes::find(source, start, end, at).or_else(|| {
                    generic
                        .message
                        .contains("an operator")
                        .then(|| mistakes::missing_reason(source, start, at))
                        .flatten()
                });
                errors.push(specific.unwrap_or(generic));
            }
        }
    }
    (policy, errors)
}

/// Held while pest's error detail is on. pest reads that switch from one
/// process-wide flag when a parse starts; every thread that turns it on and
/// off holds this lock, so a detailed re-parse always runs with detail on,
/// whatever other threads do. A parse outside the lock that starts while the
/// flag is on is only slower (detail changes no successful parse), and its
/// own error is re-parsed here anyway, so no message depends on timing.
static ERROR_DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Parse again, tracking the literal tokens pest tried, so the message can
/// say "expected `=>`" and not only rule names. Detail costs 2–3× the parse
/// time (bench `--only load`), so only failing items pay for it.
fn parse_detailed(text: &str) -> Option<pest::error::Error<Rule>> {
    let _held = ERROR_DETAIL
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    pest::set_error_detail(true);
    let detailed = VouchParser::parse(Rule::file, text).err();
    pest::set_error_detail(false);
    detailed
}

/// The policy of a file that parses in one go, item by item exactly as the
/// chunks would: `None` when it needs the per-item parse, which reports every
/// mistake.
fn parse_whole(source: &SourceFile, chunks: &[(usize, usize)]) -> Option<Policy> {
    let file = VouchParser::parse(Rule::file, &source.text).ok()?.next()?;
    // Every chunk must start an item, or the chunks would have parsed differently.
    let mut starts = file.clone().into_inner().map(|item| item.as_span().start());
    if !chunks
        .iter()
        .skip(1)
        .all(|(chunk, _)| starts.any(|item| item == *chunk))
    {
        return None;
    }
    let mut policy = Policy::default();
    let mut lowerer = lower::Lowerer::new(source, 0);
    lowerer.file(file, &mut policy);
    lowerer.errors.is_empty().then_some(policy)
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

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::source::SourceFile;

    #[test]
    fn a_file_parses_as_its_items_would_one_by_one() {
        let good =
            "policy p { zone \"+08:00\" }\n\ndecision d {\n  if true => yes\n  else => no\n}\n";
        assert!(parse(&SourceFile::new("good.vouch", good)).is_ok());
        // A line that starts with an item keyword begins a new item, even in
        // the middle of an expression: the file as a whole would parse, but
        // item by item it does not, and item by item is the language.
        let split = "decision d {\n  if exists\nservices.x => yes\n  else => no\n}\n";
        assert!(parse(&SourceFile::new("split.vouch", split)).is_err());
    }

    /// Parse messages do not depend on what other threads parse at the same
    /// time: threads parsing broken files all get the message a lone parse
    /// gets, token by token.
    #[test]
    fn a_message_does_not_depend_on_other_threads() {
        let broken = SourceFile::new("broken.vouch", "decision d {\n  if true yes\n}\n");
        let message = |s: &SourceFile| match parse(s) {
            Err(errors) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>(),
            Ok(_) => Vec::new(),
        };
        let alone = message(&broken);
        assert!(alone.iter().any(|m| m.contains("`=>`")), "{alone:?}");
        std::thread::scope(|scope| {
            for _ in 0..8 {
                let (broken, alone) = (&broken, &alone);
                scope.spawn(move || {
                    for _ in 0..250 {
                        assert_eq!(&message(broken), alone);
                    }
                });
            }
        });
    }
}
