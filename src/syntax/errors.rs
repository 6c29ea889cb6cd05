//! Parse errors in words, never in grammar rule names.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use pest::error::{ErrorVariant, InputLocation};
use thiserror::Error;

use super::Rule;
use crate::source::{SourceFile, Span};

/// A mistake in the text of a policy file.
#[derive(Debug, Error, Diagnostic, Clone)]
#[error("{message}")]
#[diagnostic(code(vouch::parse::syntax))]
pub struct ParseError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl ParseError {
    pub(crate) fn new(source: &SourceFile, span: Span, message: String, label: &str) -> Self {
        ParseError {
            message,
            src: source.named_source(),
            span: span.into(),
            label: label.to_string(),
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Turn a pest error in the chunk starting at `offset` into a diagnostic on the whole file.
pub(super) fn from_pest(
    source: &SourceFile,
    offset: usize,
    e: pest::error::Error<Rule>,
) -> ParseError {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    } + offset;
    let text = &source.text;
    let found = found_at(text, pos);
    let span = Span::new(pos, pos + found.len().max(usize::from(pos < text.len())));
    let (message, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut wanted: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            wanted.sort_unstable();
            wanted.dedup();
            let expected = if wanted.is_empty() {
                "a different token".to_string()
            } else {
                join_or(&wanted)
            };
            let message = if found.is_empty() {
                format!("expected {expected}, found the end of the file")
            } else {
                format!("expected {expected}, found `{found}`")
            };
            (message, hint(&found, positives))
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let mut err = ParseError::new(source, span, message, "here");
    err.help = help;
    err
}

/// The token (a word or one character) at a byte offset.
fn found_at(text: &str, pos: usize) -> String {
    let rest = &text[pos.min(text.len())..];
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars().next().map(String::from).unwrap_or_default()
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A fix for common slips.
fn hint(found: &str, positives: &[Rule]) -> Option<String> {
    if found == "=" && positives.contains(&Rule::eq_op) {
        return Some("compare with `==`; `=` only names a parameter or field".into());
    }
    if found == "}" && positives.contains(&Rule::arm) {
        return Some("a decision needs at least one rule, such as `else => yes`".into());
    }
    if found == "&" || found == "|" {
        return Some("write `and` / `or`".into());
    }
    None
}

/// What a grammar rule means to a person; `None` for rules that never help.
pub(super) fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::item | Rule::file | Rule::item_eoi => {
            "`policy`, `enum`, `facts`, `services`, `param` or `decision`"
        }
        Rule::header => "a `policy` header",
        Rule::name_entry | Rule::platform_entry | Rule::zone_entry | Rule::source_entry => {
            "`name`, `platform`, `zone`, `source` or `}`"
        }
        Rule::enum_decl => "an `enum`",
        Rule::open_kw => "`open`",
        Rule::variant => "an enum variant such as `domestic`",
        Rule::facts_block => "a `facts` block",
        Rule::fact_decl => "a fact declaration such as `order.amount: money`",
        Rule::type_expr | Rule::set_type | Rule::map_type | Rule::named_type => {
            "a type such as `money`, `instant?` or `set<service>`"
        }
        Rule::optional => "`?`",
        Rule::services_block => "a `services` block",
        Rule::offered_entry => "`offered` and the fact listing the offered services",
        Rule::category_entry => "`category` and the fact giving the product category",
        Rule::service_decl => "a service such as `fast_refund \"极速退款\" required`",
        Rule::required_for | Rule::required_kw | Rule::optional_kw => {
            "`required`, `required for CATEGORIES` or `optional`"
        }
        Rule::param_decl => "a parameter such as `param limit = ¥300`",
        Rule::decision => "a decision",
        Rule::trigger => "`when` and a trigger",
        Rule::let_stmt => "`let`",
        Rule::arm => "a rule (`if`, `require` or `else =>`)",
        Rule::if_arm => "`if CONDITION => OUTCOME`",
        Rule::pass_outcome => "`=>` and an outcome",
        Rule::require_arm => "`require { … } => PASS else FAIL`",
        Rule::condition => "a condition such as `order.amount <= limit else over_limit`",
        Rule::else_arm => "`else => OUTCOME`",
        Rule::outcome | Rule::outcome_name => "an outcome name such as `yes`",
        Rule::field => "a field such as `refund: after_sale.amount`",
        Rule::cite => "`cite SOURCE \"quoted clause\"`",
        Rule::expr | Rule::prefix | Rule::primary | Rule::literal => "an expression",
        Rule::not_op | Rule::not_kw => "`not`",
        Rule::neg_op => "`-`",
        Rule::is_test | Rule::is_kw => "`is`",
        Rule::index => "`[`",
        Rule::infix
        | Rule::or_op
        | Rule::and_op
        | Rule::coalesce_op
        | Rule::eq_op
        | Rule::ne_op
        | Rule::le_op
        | Rule::ge_op
        | Rule::lt_op
        | Rule::gt_op
        | Rule::in_op
        | Rule::not_in_op
        | Rule::add_op
        | Rule::sub_op
        | Rule::mul_op
        | Rule::div_op => "an operator",
        Rule::cond_expr => "`if … then … else …`",
        Rule::exists_expr => "`exists PATH`",
        Rule::set_lit => "a set such as `{a, b}`",
        Rule::call => "a function call",
        Rule::money => "an amount such as `¥300` or `¥99.90`",
        Rule::percent => "a percentage such as `60%`",
        Rule::duration => "a duration such as `6h` or `7d`",
        Rule::time_lit => "a time of day such as `16:00`",
        Rule::date_lit => "a date such as `2026-11-20`",
        Rule::instant_lit => "an instant such as `2026-11-20T10:00:00+08:00`",
        Rule::integer => "a whole number",
        Rule::string => "a quoted text such as `\"极速退款\"`",
        Rule::true_lit | Rule::false_lit => "`true` or `false`",
        Rule::none_lit => "`none`",
        Rule::map_lit | Rule::map_entry => "a table such as `[fresh => {a}]`",
        Rule::path => "a name such as `order.amount`",
        Rule::ident | Rule::ident_raw => "a name",
        Rule::header_entry => "`name`, `platform`, `zone`, `source` or `}`",
        Rule::service_kind => "`required`, `required for CATEGORIES` or `optional`",
        Rule::postfix => "`is` or `[`",
        Rule::unit => "a unit (`d`, `h`, `m` or `s`)",
        Rule::digits => "a digit",
        Rule::WHITESPACE | Rule::COMMENT | Rule::ident_char | Rule::keyword => return None,
    })
}
