//! Facts that cannot be read, and how the decoder reports the path of a
//! refused value beside serde's error.

use std::fmt;

use serde::de;

/// Facts that cannot be read: malformed JSON or a value of the wrong kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{message} (line {line}, column {column})", path.as_ref().map(|p| format!("`{p}`: ")).unwrap_or_default())]
pub struct FactsError {
    /// The JSON path of the bad value, if the JSON parsed that far.
    pub path: Option<String>,
    /// What is wrong, in one line.
    pub message: String,
    /// The line of the input where reading stopped, from 1.
    pub line: usize,
    /// The column of that line, from 1.
    pub column: usize,
}

impl FactsError {
    /// The stable code: the JSON could not be read at all, or a value in it
    /// is not what the policy declares.
    pub fn code(&self) -> &'static str {
        if self.path.is_some() {
            "vouch::facts::invalid_value"
        } else {
            "vouch::facts::malformed_json"
        }
    }
}

impl miette::Diagnostic for FactsError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(FactsError::code(self)))
    }
}

thread_local! {
    /// The path of the value a seed refused, beside serde's error. serde's
    /// error type carries only a message, so the seeds leave the path here,
    /// on the thread that decodes, and [`FactsError::from_json`] takes it
    /// back; nothing is parsed out of message text.
    pub(super) static REFUSED_PATH: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
    /// Where the refused value starts: its address, within the facts text.
    /// The innermost value read sets it; a bad value is shown at its start.
    pub(super) static REFUSED_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

pub(super) fn path_error<E: de::Error>(path: impl fmt::Display, message: impl fmt::Display) -> E {
    REFUSED_PATH.with(|p| *p.borrow_mut() = Some(path.to_string()));
    E::custom(message)
}

impl FactsError {
    pub(super) fn from_json(e: serde_json::Error, json: &str) -> FactsError {
        let text = e.to_string();
        // serde_json appends " at line L column C"; keep only the message.
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        let (mut line, mut column) = (e.line(), e.column());
        let start = REFUSED_AT.with(|a| a.take());
        let start = start.and_then(|address| address.checked_sub(json.as_ptr() as usize));
        if let Some(before) = start.and_then(|o| json.get(..o)) {
            line = before.matches('\n').count() + 1;
            column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        }
        let path = REFUSED_PATH.with(|p| p.borrow_mut().take());
        let message = match (&path, e.classify()) {
            (None, class) => json_message(&message, class),
            (Some(_), _) => message,
        };
        FactsError {
            path,
            message,
            line,
            column,
        }
    }
}

fn json_message(raw: &str, class: serde_json::error::Category) -> String {
    match class {
        serde_json::error::Category::Eof => {
            "the JSON ends too early: an object or string is not closed".into()
        }
        serde_json::error::Category::Syntax => format!("malformed JSON: {raw}"),
        _ => raw.to_string(),
    }
}
