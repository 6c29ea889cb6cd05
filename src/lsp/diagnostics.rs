//! `vouch check`'s findings as the editor's diagnostics: the same codes and
//! levels, the help line, the related places, and a link to the lint's
//! documentation.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use super::analysis::Analysis;
use super::settings::Broken;
use super::uri;
use crate::diagnostic::{Finding, Level};
use crate::lint::registry;

/// Every finding of a policy; first, when its `vouch.toml` cannot be
/// used, why (the findings then have their default levels).
pub fn of_policy(analysis: &Analysis, uri: &Uri, docs: Option<&str>) -> Vec<Diagnostic> {
    let broken = analysis.settings.broken.as_deref().map(of_broken_config);
    broken
        .into_iter()
        .chain(
            analysis
                .findings
                .iter()
                .map(|f| of_finding(analysis, uri, f, docs)),
        )
        .collect()
}

/// A `vouch.toml` that cannot be used, shown at the top of each policy it
/// would apply to: its file, line and column in the message, and the place
/// itself as related information.
fn of_broken_config(b: &Broken) -> Diagnostic {
    use miette::Diagnostic as _;
    let at = b.error.at();
    // The error names the file, and the line and column when known.
    let mut message = format!(
        "{}\nits settings are not applied until it is mended",
        b.error
    );
    if let Some(help) = b.error.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let position = at.map_or(Position::new(0, 0), |(line, column)| {
        Position::new(line as u32 - 1, column as u32 - 1)
    });
    let related = uri::from_path(&b.file).map(|toml| {
        vec![DiagnosticRelatedInformation {
            location: Location::new(toml, Range::new(position, position)),
            message: "the configuration vouch cannot use".into(),
        }]
    });
    Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        code: b
            .error
            .code()
            .map(|c| NumberOrString::String(c.to_string())),
        code_description: None,
        source: Some("vouch".into()),
        message,
        related_information: related,
        tags: None,
        data: None,
    }
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
