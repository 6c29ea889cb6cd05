//! `*.test.json` files: diagnostics for decisions, outcomes, fields and
//! facts the policy does not have, and a code lens on each case that runs
//! it and shows whether it passes.

use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::ErrorCode;
use lsp_types::{
    CodeLens, CodeLensParams, Command, Diagnostic, DiagnosticSeverity, ExecuteCommandParams,
    MessageType, NumberOrString, Range, ShowMessageParams,
};
use serde_json::{json, Value as Json};

use super::analysis::Analysis;
use super::json::{self, Member, Node};
use super::text::LineIndex;
use super::{uri, FileKind, Server, RUN_CASE};
use crate::check::did_you_mean;
use crate::program::Program;
use crate::source::Span;
use crate::testing;

/// Fields every decision's JSON may have besides its outcome's own.
const BUILT_IN_FIELDS: [&str; 4] = ["outcome", "reasons", "missing_facts", "error"];
const BUILT_IN_OUTCOMES: [&str; 3] = ["not_applicable", "undetermined", "error"];

/// A test file as the editor has it, with the policy it names.
struct Loaded {
    text: String,
    lines: LineIndex,
    root: Node,
    policy: Result<Arc<Analysis>, String>,
}

struct Found {
    span: Span,
    severity: DiagnosticSeverity,
    code: &'static str,
    message: String,
}

impl Server {
    /// The test file, parsed, and the analysis of its policy: open in the
    /// editor if it is, else read from disk.
    fn load_tests(&mut self, key: &str) -> Result<Loaded, (String, usize, String)> {
        let doc = self
            .docs
            .get(key)
            .ok_or_else(|| (String::new(), 0, "not open".to_string()))?;
        let text = doc.text.clone();
        let lines = LineIndex::new(&text, self.encoding);
        let test_path = uri::to_path(&doc.uri);
        let root = json::parse(&text).map_err(|(m, at)| (text.clone(), at, m))?;
        let Some(policy_member) = root.get("policy") else {
            return Ok(Loaded {
                text,
                lines,
                root,
                policy: Err("the test file names no `policy`".into()),
            });
        };
        let relative = policy_member.value.as_str().unwrap_or_default().to_string();
        let policy = match test_path {
            Some(p) => {
                let path =
                    testing::tidy(&p.parent().map(|d| d.join(&relative)).unwrap_or_default());
                self.policy_at(&path)
            }
            None => Err("the test file is not on disk, so its policy cannot be found".into()),
        };
        Ok(Loaded {
            text,
            lines,
            root,
            policy,
        })
    }

    fn policy_at(&mut self, path: &PathBuf) -> Result<Arc<Analysis>, String> {
        let open = self
            .docs
            .iter()
            .find(|(_, d)| {
                d.kind == FileKind::Policy && uri::to_path(&d.uri).as_ref() == Some(path)
            })
            .map(|(k, _)| k.clone());
        if let Some(key) = open {
            return self
                .analysis(&key)
                .ok_or_else(|| "the policy cannot be analysed".to_string());
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the policy `{}`: {e}", path.display()))?;
        let settings = self.configs.for_file(path);
        Ok(Arc::new(Analysis::new(
            &path.display().to_string(),
            &text,
            self.encoding,
            settings,
        )))
    }

    pub(crate) fn code_lens(&mut self, p: CodeLensParams) -> Option<Vec<CodeLens>> {
        let key = p.text_document.uri.as_str().to_string();
        if self.docs.get(&key)?.kind != FileKind::Tests {
            return None;
        }
        let loaded = self.load_tests(&key).ok()?;
        let policy = loaded.policy.as_ref().ok()?;
        let program = policy.program.as_ref()?;
        let spec = testing::parse_test_file(&loaded.text).ok()?;
        let cases = loaded.root.get("cases")?.value.items();
        let mut lenses = Vec::new();
        for (i, (case, node)) in spec.cases.iter().zip(cases).enumerate() {
            let outcome = run(program, &spec, case);
            let title = match &outcome {
                Ok(None) => "▶ run case: ✓ passes".to_string(),
                Ok(Some(report)) => format!("▶ run case: ✗ fails ({})", first_decision(report)),
                Err(message) => format!("▶ run case: ✗ cannot run ({message})"),
            };
            let at = node.get("name").map_or(node.span(), |m| m.key_span);
            let range = loaded
                .lines
                .range(&loaded.text, Span::new(at.start, at.start));
            lenses.push(CodeLens {
                range,
                command: Some(Command {
                    title,
                    command: RUN_CASE.into(),
                    arguments: Some(vec![json!(p.text_document.uri.as_str()), json!(i)]),
                }),
                data: None,
            });
        }
        Some(lenses)
    }

    pub(crate) fn execute_command(
        &mut self,
        p: ExecuteCommandParams,
    ) -> Result<Json, (ErrorCode, String)> {
        if p.command != RUN_CASE {
            return Err((
                ErrorCode::InvalidParams,
                format!("vouch has no command `{}`", p.command),
            ));
        }
        let bad = || {
            (
                ErrorCode::InvalidParams,
                format!("`{RUN_CASE}` takes a test file's URI and a case number"),
            )
        };
        let key = p
            .arguments
            .first()
            .and_then(Json::as_str)
            .ok_or_else(bad)?
            .to_string();
        let index = p.arguments.get(1).and_then(Json::as_u64).ok_or_else(bad)? as usize;
        let failed = |m: String| (ErrorCode::RequestFailed, m);
        let loaded = self.load_tests(&key).map_err(|(_, _, m)| failed(m))?;
        let policy = loaded.policy.map_err(failed)?;
        let program = policy
            .program
            .as_ref()
            .ok_or_else(|| failed("the policy has errors: `vouch check` lists them".into()))?;
        let spec = testing::parse_test_file(&loaded.text).map_err(|e| failed(e.to_string()))?;
        let case = spec
            .cases
            .get(index)
            .ok_or_else(|| failed(format!("the file has no case {index}")))?;
        let (passed, report) = match run(program, &spec, case) {
            Ok(None) => (true, format!("✓ {}", case.name)),
            Ok(Some(report)) => (false, format!("✗ {}\n{report}", case.name)),
            Err(message) => (false, format!("✗ {}\n{message}", case.name)),
        };
        self.notify::<lsp_types::notification::ShowMessage>(ShowMessageParams {
            typ: if passed {
                MessageType::INFO
            } else {
                MessageType::WARNING
            },
            message: report.clone(),
        });
        Ok(json!({ "name": case.name, "passed": passed, "report": report }))
    }
}

/// Run one case: `None` when it passes, else what differs.
fn run(
    program: &Program,
    spec: &testing::TestFile,
    case: &testing::TestCase,
) -> Result<Option<String>, String> {
    let (_, failures) = testing::run_case(program, &spec.defaults, case)?;
    if failures.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        failures
            .into_iter()
            .map(|(_, lines)| lines)
            .collect::<Vec<_>>()
            .join(""),
    ))
}

fn first_decision(report: &str) -> &str {
    report.trim_start().split(':').next().unwrap_or("").trim()
}

/// Every diagnostic of an open test file.
pub(crate) fn diagnostics(server: &mut Server, key: &str) -> Vec<Diagnostic> {
    let encoding = server.encoding;
    let loaded = match server.load_tests(key) {
        Ok(l) => l,
        Err((text, at, message)) => {
            if text.is_empty() {
                return Vec::new();
            }
            let lines = LineIndex::new(&text, encoding);
            let range = lines.range(&text, Span::new(at, at + 1));
            return vec![diagnostic(
                range,
                DiagnosticSeverity::ERROR,
                "vouch::test::malformed_json",
                message,
            )];
        }
    };
    let mut found = Vec::new();
    if let Err(e) = testing::parse_test_file(&loaded.text) {
        let at = line_col_offset(&loaded.text, e.line(), e.column());
        found.push(Found {
            span: Span::new(at, at + 1),
            severity: DiagnosticSeverity::ERROR,
            code: "vouch::test::bad_file",
            message: e.to_string(),
        });
    }
    let policy_span = loaded
        .root
        .get("policy")
        .map_or(Span::new(0, 1), |m| m.value.span());
    match &loaded.policy {
        Err(message) => found.push(Found {
            span: policy_span,
            severity: DiagnosticSeverity::ERROR,
            code: "vouch::test::no_policy",
            message: message.clone(),
        }),
        Ok(a) => match &a.program {
            None => found.push(Found {
                span: policy_span,
                severity: DiagnosticSeverity::ERROR,
                code: "vouch::test::policy_errors",
                message: "the policy has errors: `vouch check` lists them".into(),
            }),
            Some(program) => check_against(program, &loaded.root, &mut found),
        },
    }
    found
        .into_iter()
        .map(|f| {
            diagnostic(
                loaded.lines.range(&loaded.text, f.span),
                f.severity,
                f.code,
                f.message,
            )
        })
        .collect()
}

fn diagnostic(
    range: Range,
    severity: DiagnosticSeverity,
    code: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(code.into())),
        source: Some("vouch".into()),
        message,
        ..Default::default()
    }
}

/// serde's 1-based line and column as a byte offset.
fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

fn check_against(program: &Program, root: &Node, found: &mut Vec<Found>) {
    if let Some(d) = root.get("defaults") {
        facts(program, &d.value, "", found);
    }
    for case in root
        .get("cases")
        .map(|c| c.value.items())
        .unwrap_or_default()
    {
        if let Some(f) = case.get("facts") {
            facts(program, &f.value, "", found);
        }
        for u in case
            .get("unset")
            .map(|u| u.value.items())
            .unwrap_or_default()
        {
            if let Some(path) = u.as_str() {
                if program.facts.find(path).is_none() {
                    unknown_fact(program, path, u.span(), found);
                }
            }
        }
        for m in case
            .get("expect")
            .map(|e| e.value.members())
            .unwrap_or_default()
        {
            expectation(program, m, found);
        }
    }
}

fn facts(program: &Program, node: &Node, prefix: &str, found: &mut Vec<Found>) {
    for m in node.members() {
        let path = if prefix.is_empty() {
            m.key.clone()
        } else {
            format!("{prefix}.{}", m.key)
        };
        match program.facts.find(&path) {
            Some(n) if program.facts.nodes[n as usize].leaf.is_none() => {
                facts(program, &m.value, &path, found)
            }
            Some(_) => {}
            None => unknown_fact(program, &path, m.key_span, found),
        }
    }
}

fn unknown_fact(program: &Program, path: &str, span: Span, found: &mut Vec<Found>) {
    // Near names among the section's own keys: `order.amout`, not `order`.
    let (section, key) = path.rsplit_once('.').unwrap_or(("", path));
    let siblings = match section {
        "" => Some(0),
        s => program.facts.find(s),
    };
    let names = siblings
        .map(|n| {
            program.facts.nodes[n as usize]
                .children
                .iter()
                .map(|(k, _)| &**k)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let hint = did_you_mean(key, names.into_iter()).map(|h| match section {
        "" => h,
        s => h.replacen('`', &format!("`{s}."), 1),
    });
    // An undeclared key is skipped, which is right for the other fields a
    // platform sends; a near miss is likely a typo.
    let (severity, message) = match hint {
        Some(h) => (
            DiagnosticSeverity::WARNING,
            format!("the policy declares no fact `{path}`: {h}"),
        ),
        None => (
            DiagnosticSeverity::HINT,
            format!("the policy declares no fact `{path}`; it is skipped"),
        ),
    };
    found.push(Found {
        span,
        severity,
        code: "vouch::test::unknown_fact",
        message,
    });
}

fn expectation(program: &Program, m: &Member, found: &mut Vec<Found>) {
    let Some(d) = program.decisions.iter().find(|d| *d.name == m.key) else {
        let hint = did_you_mean(&m.key, program.decisions.iter().map(|d| &*d.name));
        let message = format!(
            "the policy has no decision `{}`{}",
            m.key,
            hint.map(|h| format!(": {h}")).unwrap_or_default()
        );
        found.push(Found {
            span: m.key_span,
            severity: DiagnosticSeverity::ERROR,
            code: "vouch::test::unknown_decision",
            message,
        });
        return;
    };
    let outcome = match &m.value {
        Node::String(..) => Some(&m.value),
        other => other.get("outcome").map(|o| &o.value),
    };
    if let Some(o) = outcome {
        let name = o.as_str().unwrap_or_default();
        let known =
            d.outcomes.iter().any(|x| &*x.name == name) || BUILT_IN_OUTCOMES.contains(&name);
        if !known {
            let names: Vec<&str> = d.outcomes.iter().map(|x| &*x.name).collect();
            let hint = did_you_mean(name, names.iter().copied());
            let message = format!(
                "`{}` has no outcome `{name}`: {}",
                d.name,
                hint.unwrap_or_else(|| format!(
                    "its outcomes are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            );
            found.push(Found {
                span: o.span(),
                severity: DiagnosticSeverity::ERROR,
                code: "vouch::test::unknown_outcome",
                message,
            });
        }
    }
    for f in m.value.members() {
        let known = BUILT_IN_FIELDS.contains(&f.key.as_str())
            || d.outcomes
                .iter()
                .flat_map(|o| &o.fields)
                .any(|(n, _)| **n == f.key);
        if !known {
            let fields = d.outcomes.iter().flat_map(|o| &o.fields).map(|(n, _)| &**n);
            let hint = did_you_mean(&f.key, fields)
                .map(|h| format!(": {h}"))
                .unwrap_or_default();
            let message = format!("no outcome of `{}` has the field `{}`{hint}", d.name, f.key);
            found.push(Found {
                span: f.key_span,
                severity: DiagnosticSeverity::ERROR,
                code: "vouch::test::unknown_field",
                message,
            });
        }
    }
}
