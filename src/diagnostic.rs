//! Findings of the checker and linter, as miette diagnostics with stable codes.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};

use crate::source::{NamedText, SourceFile, Span};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Worth a look; never fails `vouch check`.
    Advice,
    /// Probably a mistake; fails `vouch check` at the default `--fail-level`.
    Warning,
    /// The policy does not load, or a lint set to error.
    Error,
}

impl Level {
    /// The level as output formats write it: `advice`, `warning`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Advice => "advice",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A change to the source that resolves a finding: `edits` replace byte
/// ranges of the file with new text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the change does, for a person choosing it (`write \`¥300\``).
    pub title: String,
    /// The byte ranges to replace and their new text.
    pub edits: Vec<(Span, String)>,
    /// Whether it is safe to apply without a person choosing
    /// (`vouch check --fix` applies these); otherwise it is one of several.
    pub applicable: bool,
}

/// The text with the applicable fixes of `findings` made: the first
/// applicable fix of each finding, in order, leaving out one whose edits
/// overlap an edit already taken (an identical edit is made once). Returns
/// the text and how many findings were fixed.
pub fn apply_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let mut taken: Vec<(Span, &str)> = Vec::new();
    let mut fixed = 0;
    for f in findings {
        let Some(fix) = f.fixes.iter().find(|x| x.applicable) else {
            continue;
        };
        let edits: Vec<(Span, &str)> = fix
            .edits
            .iter()
            .filter(|(s, t)| !taken.iter().any(|(ts, tt)| ts == s && tt == t))
            .map(|(s, t)| (*s, t.as_str()))
            .collect();
        let clash = edits.iter().any(|(s, _)| {
            s.end > text.len()
                || taken.iter().any(|(t, _)| {
                    s.start < t.end.max(t.start + 1) && t.start < s.end.max(s.start + 1)
                })
        });
        if clash {
            continue;
        }
        taken.extend(edits);
        fixed += 1;
    }
    taken.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, with) in taken {
        out.push_str(&text[at..span.start]);
        out.push_str(with);
        at = span.end;
    }
    out.push_str(&text[at..]);
    (out, fixed)
}

/// One finding: a stable code, a one-line message, where, and how to fix it.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Stable code: `vouch::check::unknown_fact`, `vouch::lint::NAME`.
    pub code: &'static str,
    /// How serious it is.
    pub level: Level,
    /// What is wrong, in one line.
    pub message: String,
    /// Where, in the policy text.
    pub span: Span,
    /// The label under the underlined source.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that explain this one (a first definition, a bound).
    pub related: Vec<(Span, String)>,
    /// Changes that resolve it, when vouch knows them.
    pub fixes: Vec<Fix>,
    /// The policy text, for rendering.
    pub src: NamedText,
    /// The policy file's name.
    pub file: Arc<str>,
}

impl Finding {
    /// An error-level finding with the label "here".
    pub fn new(
        source: &SourceFile,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            level: Level::Error,
            message: message.into(),
            span,
            label: "here".into(),
            help: None,
            related: Vec::new(),
            fixes: Vec::new(),
            src: source.named_source(),
            file: source.name.clone(),
        }
    }

    /// Set the label under the source.
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    /// Set the help line.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Set the level.
    pub fn level(&mut self, level: Level) -> &mut Self {
        self.level = level;
        self
    }

    /// Add a related place.
    /// Offer a change: `with` in place of `span`.
    pub fn fix(
        &mut self,
        title: impl Into<String>,
        span: Span,
        with: impl Into<String>,
        applicable: bool,
    ) -> &mut Self {
        self.fixes.push(Fix {
            title: title.into(),
            edits: vec![(span, with.into())],
            applicable,
        });
        self
    }

    /// Add a related place.
    pub fn related(&mut self, span: Span, label: impl Into<String>) -> &mut Self {
        self.related.push((span, label.into()));
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding {}

impl Diagnostic for Finding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Advice => Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let main = LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span);
        let rest = self
            .related
            .iter()
            .map(|(s, l)| LabeledSpan::new_with_span(Some(l.clone()), *s));
        Some(Box::new(std::iter::once(main).chain(rest)))
    }
}
