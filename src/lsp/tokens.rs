//! Semantic tokens: what each word of a policy is, from a small lexer and
//! the index of names (a fact path, a parameter, an outcome…).

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensResult,
};

use super::analysis::Analysis;
use super::index::Kind;
use super::Server;
use crate::program::Builtin;

const TYPES: [SemanticTokenType; 12] = [
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::TYPE,
    SemanticTokenType::ENUM,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::COMMENT,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::EVENT,
];
const MODIFIERS: [SemanticTokenModifier; 3] = [
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::READONLY,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

const DECLARATION: u32 = 1;
const READONLY: u32 = 2;
const DEFAULT_LIBRARY: u32 = 4;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

fn type_index(t: SemanticTokenType) -> u32 {
    TYPES.iter().position(|x| *x == t).unwrap_or(0) as u32
}

const KEYWORDS: [&str; 29] = [
    "policy", "enum", "open", "facts", "services", "param", "decision", "name", "platform", "zone",
    "source", "offered", "category", "required", "optional", "for", "and", "or", "not", "in", "is",
    "if", "then", "else", "let", "when", "require", "exists", "cite",
];
const LITERAL_WORDS: [&str; 4] = ["true", "false", "none", "empty"];
const BASE_TYPES: [&str; 11] = [
    "money", "int", "ratio", "bool", "text", "instant", "duration", "time", "date", "set", "map",
];

impl Server {
    pub(crate) fn semantic_tokens(
        &mut self,
        p: SemanticTokensParams,
    ) -> Option<SemanticTokensResult> {
        let a = self.analysis(p.text_document.uri.as_str())?;
        Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: tokens(&a),
        }))
    }
}

/// (start, end, type, modifiers) of every token, in order.
fn classify(a: &Analysis) -> Vec<(usize, usize, u32, u32)> {
    let text = a.text();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c == '#' {
            i = text[i..].find('\n').map_or(text.len(), |n| i + n);
            out.push((start, i, type_index(SemanticTokenType::COMMENT), 0));
        } else if c == '"' {
            let close = text[i + 1..]
                .find(['"', '\n'])
                .map_or(text.len(), |n| i + 1 + n);
            i = (close + 1).min(text.len());
            out.push((start, i, type_index(SemanticTokenType::STRING), 0));
        } else if c.is_ascii_digit() || c == '¥' || c == '￥' {
            i += c.len_utf8();
            while let Some(n) = text[i..].chars().next() {
                let date_sign = (n == '-' || n == '+')
                    && text[i + 1..].starts_with(|d: char| d.is_ascii_digit())
                    && text[start..i].contains(['-', 'T']);
                let first_dash = n == '-'
                    && i - start == 4
                    && text[start..i].chars().all(|d| d.is_ascii_digit());
                let joins_digits = matches!(n, ':' | '.')
                    && text[i + 1..].starts_with(|d: char| d.is_ascii_digit());
                if n.is_ascii_alphanumeric() || n == '%' || joins_digits || date_sign || first_dash
                {
                    i += n.len_utf8();
                } else {
                    break;
                }
            }
            out.push((start, i, type_index(SemanticTokenType::NUMBER), 0));
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            word(a, start, i, &mut out);
        } else {
            i += c.len_utf8();
        }
    }
    out
}

fn word(a: &Analysis, start: usize, end: usize, out: &mut Vec<(usize, usize, u32, u32)>) {
    let w = &a.text()[start..end];
    let named: Vec<_> = a
        .index
        .occurrences
        .iter()
        .filter(|o| o.span.start >= start && o.span.end <= end)
        .collect();
    if !named.is_empty() {
        for o in named {
            let s = &a.index.symbols[o.symbol];
            let (t, m) = match s.kind {
                Kind::Source => (SemanticTokenType::NAMESPACE, 0),
                Kind::Enum => (SemanticTokenType::ENUM, 0),
                Kind::Variant | Kind::Service => (SemanticTokenType::ENUM_MEMBER, 0),
                Kind::Fact | Kind::Field | Kind::RecordField => (SemanticTokenType::PROPERTY, 0),
                Kind::Param => (SemanticTokenType::VARIABLE, READONLY),
                Kind::Let | Kind::Item => (SemanticTokenType::VARIABLE, 0),
                Kind::Calendar => (SemanticTokenType::VARIABLE, READONLY),
                Kind::Decision => (SemanticTokenType::FUNCTION, 0),
                Kind::Outcome => (SemanticTokenType::EVENT, 0),
            };
            let m = m | if o.declaration { DECLARATION } else { 0 };
            out.push((o.span.start, o.span.end, type_index(t), m));
        }
        return;
    }
    let t = if KEYWORDS.contains(&w) || LITERAL_WORDS.contains(&w) {
        (SemanticTokenType::KEYWORD, 0)
    } else if BASE_TYPES.contains(&w) || w == "service" {
        (SemanticTokenType::TYPE, 0)
    } else if Builtin::from_name(w).is_some() && a.text()[end..].starts_with('(') {
        (SemanticTokenType::FUNCTION, DEFAULT_LIBRARY)
    } else {
        return;
    };
    out.push((start, end, type_index(t.0), t.1));
}

/// The tokens, encoded as the protocol wants: each relative to the one before.
pub(crate) fn tokens(a: &Analysis) -> Vec<SemanticToken> {
    let text = a.text();
    let mut data = Vec::new();
    let (mut line, mut col) = (0u32, 0u32);
    for (start, end, token_type, modifiers) in classify(a) {
        let from = a.lines.position(text, start);
        let to = a.lines.position(text, end);
        if to.line != from.line || to.character <= from.character {
            continue;
        }
        let delta_line = from.line - line;
        let delta_start = if delta_line == 0 {
            from.character - col
        } else {
            from.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: to.character - from.character,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        line = from.line;
        col = from.character;
    }
    data
}
