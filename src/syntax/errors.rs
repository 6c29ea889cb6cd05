//! Parse errors in words, never in grammar rule names.

use miette::{Diagnostic, SourceSpan};
use pest::error::{ErrorVariant, InputLocation};
use thiserror::Error;

use super::Rule;
use crate::diagnostic::Fix;
use crate::source::{NamedText, SourceFile, Span};

/// A mistake in the text of a policy file.
#[derive(Debug, Error, Diagnostic, Clone)]
#[error("{message}")]
#[diagnostic(code(vouch::parse::syntax))]
pub struct ParseError {
    /// What was expected, in words.
    pub message: String,
    #[source_code]
    /// The policy text, for rendering.
    pub src: NamedText,
    #[label("{label}")]
    /// Where parsing stopped.
    pub span: SourceSpan,
    /// The label under the source.
    pub label: String,
    #[help]
    /// How to fix it.
    pub help: Option<String>,
    /// Changes that resolve it, when vouch knows them.
    pub fixes: Vec<Fix>,
}

impl ParseError {
    pub(crate) fn new(source: &SourceFile, span: Span, message: String, label: &str) -> Self {
        ParseError {
            message,
            src: source.named_source(),
            span: span.into(),
            label: label.to_string(),
            help: None,
            fixes: Vec::new(),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Literal tokens worth naming in "expected …": the punctuation and words
/// that close or continue a construct. Operators are summed up as "an
/// operator", and the characters inside tokens are left out.
const NAMED_TOKENS: [&str; 13] = [
    "=>", "then", "else", "}", ")", "]", ",", ":", "=", "{", "(", ">", "?",
];

/// Tokens pest tries between any two tokens.
const SKIPPED_TOKENS: [&str; 7] = [" ", "\t", "\n", "\r", "#", "\u{3000}", "\u{feff}"];

/// Top-level items: when one is expected, all are, and they read as one phrase.
const ITEMS: [Rule; 7] = [
    Rule::header,
    Rule::calendar_decl,
    Rule::enum_decl,
    Rule::facts_block,
    Rule::services_block,
    Rule::param_decl,
    Rule::decision,
];

/// Rules that start an expression: when several are expected, any
/// expression is, and the message says so.
const EXPRESSION_STARTS: [Rule; 22] = [
    Rule::expr,
    Rule::comprehension,
    Rule::months,
    Rule::money,
    Rule::percent,
    Rule::duration,
    Rule::time_lit,
    Rule::date_lit,
    Rule::instant_lit,
    Rule::integer,
    Rule::string,
    Rule::true_lit,
    Rule::false_lit,
    Rule::none_lit,
    Rule::map_lit,
    Rule::set_lit,
    Rule::cond_expr,
    Rule::exists_expr,
    Rule::call,
    Rule::path,
    Rule::neg_op,
    Rule::not_op,
];

const OPERATORS: [Rule; 15] = [
    Rule::or_op,
    Rule::and_op,
    Rule::coalesce_op,
    Rule::eq_op,
    Rule::ne_op,
    Rule::le_op,
    Rule::ge_op,
    Rule::lt_op,
    Rule::gt_op,
    Rule::in_op,
    Rule::not_in_op,
    Rule::add_op,
    Rule::sub_op,
    Rule::mul_op,
    Rule::div_op,
];

/// Turn a pest error in the chunk starting at `offset` into a diagnostic on the whole file.
pub(super) fn from_pest(
    source: &SourceFile,
    offset: usize,
    e: pest::error::Error<Rule>,
) -> ParseError {
    let mut local = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let ErrorVariant::ParsingError { positives, .. } = &e.variant else {
        let span = Span::new(offset + local, offset + local);
        return ParseError::new(source, span, e.variant.message().into_owned(), "here");
    };
    let mut positives: Vec<Rule> = positives.clone();
    // The literal tokens pest tried at the furthest point it reached.
    let mut tokens: Vec<&'static str> = Vec::new();
    if let Some(a) = e.parse_attempts() {
        let tried: Vec<String> = a
            .expected_tokens()
            .iter()
            .map(|t| t.to_string())
            .filter(|t| !SKIPPED_TOKENS.contains(&t.as_str()))
            .collect();
        let named: Vec<&'static str> = NAMED_TOKENS
            .into_iter()
            .filter(|t| tried.iter().any(|x| x == t))
            .collect();
        if a.max_position == local {
            tokens = named;
        } else if a.max_position > local && !tried.is_empty() && named.len() == tried.len() {
            // A construct got further than the rule pest blames, and all it
            // lacked was punctuation: point there (`else no` lacks `=>`).
            local = a.max_position;
            positives.clear();
            tokens = named;
        }
    }
    let pos = local + offset;
    let text = &source.text;
    let found = found_at(text, pos);
    let span = Span::new(pos, pos + found.len().max(usize::from(pos < text.len())));
    if let Some(err) = special(source, span, &found, &positives) {
        return err;
    }
    let operators = positives.iter().any(|r| OPERATORS.contains(r));
    let starts = positives
        .iter()
        .filter(|r| EXPRESSION_STARTS.contains(r))
        .count();
    let items = positives.iter().any(|r| ITEMS.contains(r));
    let mut described: Vec<&str> = positives
        .iter()
        .filter(|r| !ITEMS.contains(r) && **r != Rule::EOI)
        .filter(|r| starts < 3 || !EXPRESSION_STARTS.contains(r))
        .filter_map(|r| describe(*r))
        .collect();
    if starts >= 3 {
        described.push("an expression");
    }
    tokens.retain(|t| !(*t == ">" && operators));
    if tokens.len() + described.len() > 1 {
        tokens.retain(|t| *t != "?");
    }
    // Another item is only worth naming when nothing else would do: in the
    // middle of an item, the mistake is in that item.
    if described.is_empty() && tokens.is_empty() {
        if items {
            described.push(describe(Rule::item).expect("items are described"));
        } else if positives.contains(&Rule::EOI) {
            described.push(describe(Rule::EOI).expect("the end is described"));
        }
    }
    described.sort_unstable();
    described.dedup();
    // A token that a description already shows (`else => OUTCOME`) is not repeated.
    let mut wanted: Vec<String> = tokens
        .iter()
        .filter(|t| {
            let (alone, first) = (format!("`{t}`"), format!("`{t} "));
            !described
                .iter()
                .any(|d| d.contains(&alone) || d.contains(&first))
        })
        .map(|t| format!("`{t}`"))
        .collect();
    wanted.extend(described.into_iter().map(String::from));
    let expected = if wanted.is_empty() {
        "something else".to_string()
    } else {
        join_or(&wanted)
    };
    let message = if found.is_empty() {
        format!("expected {expected}, found the end of the file")
    } else {
        format!("expected {expected}, found `{found}`")
    };
    let mut err = ParseError::new(source, span, message, "here");
    err.help = hint(text, pos, &found, &positives, &tokens);
    err
}

/// Mistakes with a message of their own rather than a list of expectations.
fn special(source: &SourceFile, span: Span, found: &str, positives: &[Rule]) -> Option<ParseError> {
    let text = &source.text;
    let wants_expr = positives.contains(&Rule::expr)
        || positives
            .iter()
            .filter(|r| EXPRESSION_STARTS.contains(r))
            .count()
            >= 3;
    if let Some(local_time) = instant_without_offset(text, span.start) {
        let written = &text[local_time.start..local_time.end];
        let message = format!("expected an instant with an offset, found `{written}`");
        return Some(
            ParseError::new(source, local_time, message, "no offset").with_help(format!(
                "add the offset: `{written}+08:00` in China Standard Time"
            )),
        );
    }
    let digits = found.chars().take_while(char::is_ascii_digit).count();
    if wants_expr && digits > 0 && digits < found.len() {
        let message = format!("expected a duration such as `6h` or `1h30m`, found `{found}`");
        return Some(
            ParseError::new(source, span, message, "not a duration").with_help(
                "a duration is whole numbers with units: `d` days, `h` hours, `m` minutes, `s` seconds",
            ),
        );
    }
    if wants_expr && (found == "¥" || found == "￥") {
        let message = format!("expected an amount such as `¥300` or `¥99.90`, found `{found}`");
        return Some(
            ParseError::new(source, span, message, "no amount")
                .with_help("write the amount right after `¥`, without a space"),
        );
    }
    let line_rest = text[span.start..].lines().next().unwrap_or("");
    if found == "\"" && positives.contains(&Rule::string) && !line_rest[1..].contains('"') {
        let end = span.start + line_rest.len();
        return Some(
            ParseError::new(
                source,
                Span::new(span.start, end),
                "this text has no closing `\"`".into(),
                "not closed on this line",
            )
            .with_help("a quoted text ends with `\"` on the line it starts"),
        );
    }
    None
}

/// A date and time without an offset (`2026-11-20T10:00:00`) around a
/// byte offset: the grammar reads its start as subtraction and stops inside.
fn instant_without_offset(text: &str, pos: usize) -> Option<Span> {
    let is_part = |c: char| c.is_ascii_digit() || matches!(c, '-' | ':' | 'T');
    let start = text[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_part(*c))
        .last()
        .map_or(pos, |(i, _)| i);
    let len = text[start..]
        .find(|c: char| !is_part(c))
        .unwrap_or(text.len() - start);
    let candidate = &text.as_bytes()[start..start + len];
    let shape = candidate.len() >= 16
        && candidate[4] == b'-'
        && candidate[7] == b'-'
        && candidate[10] == b'T'
        && candidate[13] == b':';
    let followed_by_offset = matches!(text[start + len..].chars().next(), Some('+' | 'Z'));
    (shape && !followed_by_offset).then(|| Span::new(start, start + len))
}

/// The token (a word, an amount or one character) at a byte offset.
fn found_at(text: &str, pos: usize) -> String {
    let rest = &text[pos.min(text.len())..];
    if let Some(amount) = rest.strip_prefix('¥').or_else(|| rest.strip_prefix('￥')) {
        let digits = amount
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(amount.len());
        return rest[..rest.len() - amount.len() + digits].to_string();
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars().next().map(String::from).unwrap_or_default()
}

fn join_or<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A fix for common slips.
fn hint(
    text: &str,
    pos: usize,
    found: &str,
    positives: &[Rule],
    tokens: &[&str],
) -> Option<String> {
    if found == "=" && positives.contains(&Rule::eq_op) {
        return Some("compare with `==`; `=` only names a parameter or field".into());
    }
    if found == "}" && positives.contains(&Rule::if_arm) {
        return Some("a decision needs at least one rule, such as `else => yes`".into());
    }
    if found == "}" && tokens.contains(&"else") && !tokens.contains(&"then") {
        return Some(
            "each condition of `require` ends with `else REASON`, as in `order.amount <= limit else over_limit`"
                .into(),
        );
    }
    if found == "&" || found == "|" {
        return Some("write `and` / `or`".into());
    }
    let at_line_start = pos == 0 || text[..pos].ends_with('\n');
    if tokens.contains(&"}") && at_line_start && super::ITEM_KEYWORDS.contains(&found) {
        return Some(format!(
            "the block above is not closed: add `}}` before `{found}`"
        ));
    }
    let wants_outcome = positives
        .iter()
        .any(|r| matches!(r, Rule::outcome | Rule::outcome_name));
    if wants_outcome && is_keyword(found) {
        return Some("write the outcome right after `=>`, as in `=> yes`".into());
    }
    let is_name = positives
        .iter()
        .any(|r| matches!(r, Rule::ident | Rule::path));
    if is_name && is_keyword(found) {
        return Some(format!("`{found}` is a keyword; choose another name"));
    }
    None
}

/// The grammar's `keyword` rule, as words.
fn is_keyword(word: &str) -> bool {
    [
        "and", "or", "not", "in", "is", "if", "then", "else", "let", "when", "require", "decision",
        "param", "exists", "true", "false", "none", "cite",
    ]
    .contains(&word)
}

/// What a grammar rule means to a person; `None` for rules that never help.
// One piece: the exhaustive table of grammar rules and the words a parse error says for each.
pub(super) fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::item | Rule::file | Rule::item_eoi => {
            "`policy`, `enum`, `facts`, `services`, `param`, `calendar` or `decision`"
        }
        Rule::header => "a `policy` header",
        Rule::name_entry
        | Rule::platform_entry
        | Rule::zone_entry
        | Rule::source_entry
        | Rule::as_of_entry => "`name`, `platform`, `zone`, `source`, `as_of` or `}`",
        // After a parameter's value these are possible but seldom what a
        // person missed: the message names the citation and operators.
        Rule::as_of_kw | Rule::param_as_of | Rule::dated_value => return None,
        Rule::calendar_decl => "a `calendar`",
        Rule::calendar_entry | Rule::week_entry | Rule::rest_entry | Rule::work_entry => {
            "`week`, `rest`, `work` or `}`"
        }
        Rule::date_range => "a date such as `2026-10-01` or a range `2026-10-01..2026-10-07`",
        Rule::weekday_name => "a weekday: `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`",
        Rule::list_type | Rule::record_type => "a type such as `list<{sku: text, price: money}>`",
        Rule::record_field => "a field such as `sku: text`",
        Rule::each_clause | Rule::any_kw | Rule::every_kw => {
            "`any ITEM in LIST` or `every ITEM in LIST`"
        }
        Rule::comprehension => "a function over a list such as `sum(i in items, i.price)`",
        Rule::months => "a number of months such as `1mo`",
        Rule::source_file => "`file \"NAME.txt\"`",
        Rule::enum_decl => "an `enum`",
        Rule::open_kw => "`open`",
        Rule::variant => "an enum variant such as `domestic`",
        Rule::facts_block => "a `facts` block",
        Rule::fact_decl => "a fact declaration such as `order.amount: money`",
        Rule::type_expr | Rule::set_type | Rule::map_type | Rule::named_type => {
            "a type such as `money`, `instant?` or `set<service>`"
        }
        // Only ever one option among others, and not the one a person missed.
        Rule::optional => return None,
        Rule::services_block => "a `services` block",
        Rule::offered_entry => "`offered` and the fact listing the offered services",
        Rule::category_entry => "`category` and the fact giving the product category",
        Rule::service_decl => "a service such as `NAME \"label\" required`",
        Rule::required_for | Rule::required_kw | Rule::optional_kw => {
            "`required`, `required for CATEGORIES` or `optional`"
        }
        Rule::param_decl => "a parameter such as `param limit = ¥300`",
        Rule::decision => "a decision",
        Rule::trigger => "`when` and a trigger",
        Rule::let_stmt => "`let NAME = VALUE`",
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
        Rule::is_test | Rule::is_kw | Rule::index => "an operator",
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
        Rule::header_entry => "`name`, `platform`, `zone`, `source`, `as_of` or `}`",
        Rule::service_kind => "`required`, `required for CATEGORIES` or `optional`",
        Rule::postfix => "an operator",
        Rule::unit => "a unit (`d`, `h`, `m` or `s`)",
        Rule::digits => "a digit",
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::ident_char
        | Rule::keyword
        | Rule::structural_keyword
        | Rule::longer_word => return None,
    })
}
