//! `vouch check`'s findings as the editor's diagnostics: the same codes and
//! levels, the help line, the related places, and a link to the lint's
//! documentation.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

use super::analysis::Analysis;
use super::uri;
use crate::diagnostic::{Finding, Level};
use crate::lint::registry;

/// Every finding of a policy.
pub fn of_policy(analysis: &Analysis, uri: &Uri, docs: Option<&str>) -> Vec<Diagnostic> {
    analysis
        .findings
        .iter()
        .map(|f| of_finding(analysis, uri, f, docs))
        .collect()
}

pub fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Advice => DiagnosticSeverity::INFORMATION,
    }
}

fn of_finding(analysis: &Analysis, uri: &Uri, f: &Finding, docs: Option<&str>) -> Diagnostic {
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .map(|(span, label)| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), analysis.range(*span)),
            message: label.clone(),
        })
        .collect();
    let href = registry::by_code(f.code)
        .zip(docs)
        .and_then(|(lint, base)| format!("{base}#{}", lint.name).parse().ok());
    Diagnostic {
        range: analysis.range(f.span),
        severity: Some(severity(f.level)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("vouch".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Where the lints are documented: what the client configured, or the
/// `docs/lints.md` of the repository that holds the file.
pub fn lint_docs_base(configured: Option<&str>, file: &Uri) -> Option<String> {
    if let Some(c) = configured {
        return Some(c.trim_end_matches('#').to_string());
    }
    let path = uri::to_path(file)?;
    let mut dir: Option<&Path> = path.parent();
    while let Some(d) = dir {
        let candidate = d.join("docs").join("lints.md");
        if candidate.is_file() {
            return uri::from_path(&candidate).map(|u| u.as_str().to_string());
        }
        dir = d.parent();
    }
    None
}
