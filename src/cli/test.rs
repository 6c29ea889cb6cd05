//! `vouch test`: run the test files that a policy team keeps next to its
//! policies, and report what differs, with the explanation of why. What a
//! test file is and how a case runs is [`crate::testing`]'s.

use super::Exit;
use crate::output::terminal::escape;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};

use crate::output::coverage::Coverage;
use crate::output::explain;
use crate::program::Program;
use crate::testing::{read_test_file, run_case, tidy, TestFile};

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Test files (`*.test.json`), or folders to search for them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report, per policy, which outcomes the cases reached, which conditions
    /// they saw both holding and failing, which parameters they compared at
    /// exactly their bound, which values of dated parameters they used and
    /// which calendar rules decided a day they looked at.
    #[arg(long)]
    pub coverage: bool,
    /// Fail when a policy's total coverage is below PCT percent (implies `--coverage`).
    #[arg(long, value_name = "PCT")]
    pub coverage_min: Option<Decimal>,
    /// `text` (for people, the default), `json` (every case, its failure
    /// and the coverage, for tools) or `junit` (JUnit XML, which CI systems
    /// show as test results).
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
}

/// The cases of one test file, run.
struct FileRun {
    file: String,
    policy: String,
    cases: Vec<CaseRun>,
}

/// One case: its name, and for a failed one why.
struct CaseRun {
    name: String,
    failure: Option<Failure>,
}

/// Why a case failed: in one line (the decisions not as expected), and in
/// full (what differs, and the explanation of each decision that does).
struct Failure {
    summary: String,
    text: String,
}

impl FileRun {
    fn failed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

/// Cases run and cases failed, over every file.
fn totals(runs: &[FileRun]) -> (usize, usize) {
    let total = runs.iter().map(|r| r.cases.len()).sum();
    (total, runs.iter().map(FileRun::failed).sum())
}

pub fn run(args: TestArgs) -> Exit {
    let mut files = Vec::new();
    for p in &args.paths {
        let errors = super::files_under(p, &|name| name.ends_with(".test.json"), &mut files);
        for (path, e) in &errors {
            eprintln!(
                "error: cannot read `{}`: {e}",
                escape(&path.display().to_string())
            );
        }
        if !errors.is_empty() {
            return Exit::Unreadable;
        }
    }
    if files.is_empty() {
        // A CI job pointed at the wrong folder must not pass with nothing run.
        eprintln!("error: no `*.test.json` files under the paths given");
        return Exit::Unreadable;
    }
    let show_coverage = args.coverage || args.coverage_min.is_some();
    let mut programs: Vec<(PathBuf, Program, Coverage)> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut runs: Vec<FileRun> = Vec::new();
    for file in &files {
        let spec = match read_test_file(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}", escape(&e.to_string()));
                return Exit::Unreadable;
            }
        };
        let policy_path = tidy(&file.parent().unwrap_or(Path::new("")).join(&spec.policy));
        let key = std::fs::canonicalize(&policy_path).unwrap_or_else(|_| policy_path.clone());
        let slot = match index.get(&key) {
            Some(i) => *i,
            None => {
                let program = match super::eval::load_policy(&policy_path) {
                    Ok(p) => p,
                    Err(code) => return code,
                };
                let coverage = Coverage::new(&program);
                programs.push((policy_path.clone(), program, coverage));
                index.insert(key, programs.len() - 1);
                programs.len() - 1
            }
        };
        let (_, program, coverage) = &mut programs[slot];
        runs.push(FileRun {
            file: file.display().to_string(),
            policy: policy_path.display().to_string(),
            cases: run_file(program, coverage, &spec),
        });
    }
    let mut below = Vec::new();
    if let Some(min) = args.coverage_min {
        for (path, _, coverage) in &programs {
            let total = coverage.total_percent();
            if total < min {
                below.push(format!(
                    "coverage of {} is {total:.1}%, below the minimum {min}%",
                    path.display()
                ));
            }
        }
    }
    let coverage = show_coverage.then_some(&programs[..]);
    let (_, failed) = totals(&runs);
    let report = match args.format {
        // Case names, file names and values come from the input.
        TestFormat::Text => {
            let text = text_report(&runs, coverage, &below);
            crate::output::terminal::escape_text(&text, false).into_owned()
        }
        TestFormat::Json => {
            let json = json_report(&runs, coverage, &below, args.coverage_min);
            format!("{json:#}\n")
        }
        TestFormat::Junit => junit_report(&runs),
    };
    if let Err(code) = super::print_out(&report) {
        return code;
    }
    if failed > 0 || !below.is_empty() {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// The report for people: each file's count and failures, the coverage
/// tables, the total.
fn text_report(
    runs: &[FileRun],
    coverage: Option<&[(PathBuf, Program, Coverage)]>,
    below: &[String],
) -> String {
    let mut out = String::new();
    for run in runs {
        let failed = run.failed();
        let _ = write!(out, "{}: {} passed", run.file, run.cases.len() - failed);
        if failed > 0 {
            let _ = write!(out, ", {failed} failed");
        }
        out.push('\n');
        for case in &run.cases {
            if let Some(failure) = &case.failure {
                let _ = writeln!(out, "  ✗ {}", case.name);
                out.push_str(&failure.text);
            }
        }
    }
    for (path, program, coverage) in coverage.unwrap_or_default() {
        out.push('\n');
        out.push_str(&coverage.report(program, &path.display().to_string()));
    }
    let (total, failed) = totals(runs);
    let _ = writeln!(out, "\n{} passed, {failed} failed", total - failed);
    for b in below {
        let _ = writeln!(out, "{b}");
    }
    out
}

/// The report for tools: every case of every file, and the coverage.
fn json_report(
    runs: &[FileRun],
    coverage: Option<&[(PathBuf, Program, Coverage)]>,
    below: &[String],
    minimum: Option<Decimal>,
) -> Json {
    let files: Vec<Json> = runs
        .iter()
        .map(|run| {
            let cases: Vec<Json> = run
                .cases
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name,
                        "passed": c.failure.is_none(),
                        "summary": c.failure.as_ref().map(|f| &f.summary),
                        "failure": c.failure.as_ref().map(|f| &f.text),
                    })
                })
                .collect();
            json!({
                "file": run.file,
                "policy": run.policy,
                "passed": run.cases.len() - run.failed(),
                "failed": run.failed(),
                "cases": cases,
            })
        })
        .collect();
    let (total, failed) = totals(runs);
    let mut report = json!({"files": files, "passed": total - failed, "failed": failed});
    if let Some(programs) = coverage {
        report["coverage"] = programs
            .iter()
            .map(|(path, program, c)| c.json(program, &path.display().to_string()))
            .collect();
        report["coverage_min"] = json!(minimum.map(|m| m.to_string()));
        report["coverage_below"] = json!(below);
    }
    report
}

/// JUnit XML: a test suite per file, a test case per case, a failure with
/// what differs and why.
fn junit_report(runs: &[FileRun]) -> String {
    let (total, failed) = totals(runs);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"vouch test\" tests=\"{total}\" failures=\"{failed}\">"
    );
    for run in runs {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            xml(&run.file),
            run.cases.len(),
            run.failed()
        );
        for case in &run.cases {
            let head = format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&case.name),
                xml(&run.policy)
            );
            match &case.failure {
                None => {
                    let _ = writeln!(out, "{head}/>");
                }
                Some(failure) => {
                    let _ = writeln!(
                        out,
                        "{head}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml(&failure.summary),
                        xml(&failure.text)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text as XML character data or an attribute value: the five markup
/// characters escaped, and the control characters XML 1.0 cannot hold
/// written as `\u{…}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Run every case of one test file, recording coverage: each case with what
/// differs and the explanation of each decision that differs.
fn run_file(program: &Program, coverage: &mut Coverage, spec: &TestFile) -> Vec<CaseRun> {
    let mut cases = Vec::new();
    if spec.cases.is_empty() {
        // A file that tests nothing must not pass.
        cases.push(CaseRun {
            name: "the file has no cases".into(),
            failure: Some(Failure {
                summary: "the file has no cases".into(),
                text: String::new(),
            }),
        });
    }
    for case in &spec.cases {
        match run_case(program, &spec.defaults, case) {
            Ok((result, failures)) => {
                coverage.record(program, &result);
                if failures.is_empty() {
                    cases.push(CaseRun {
                        name: case.name.clone(),
                        failure: None,
                    });
                    continue;
                }
                let differ: Vec<&str> = failures
                    .iter()
                    .map(|(d, lines)| match d {
                        Some(i) => &*program.decisions[*i].name,
                        None => lines.trim().trim_end_matches(':'),
                    })
                    .collect();
                let summary = format!("not as expected: {}", differ.join(", "));
                let mut report = String::new();
                for (decision, lines) in failures {
                    report.push_str(&lines);
                    if let Some(i) = decision {
                        let _ = writeln!(report, "      why:");
                        let mut why = String::new();
                        explain::decision(&mut why, program, i, &result);
                        for l in why.lines() {
                            let _ = writeln!(report, "        {l}");
                        }
                    }
                }
                cases.push(CaseRun {
                    name: case.name.clone(),
                    failure: Some(Failure {
                        summary,
                        text: report,
                    }),
                });
            }
            Err(message) => cases.push(CaseRun {
                name: case.name.clone(),
                failure: Some(Failure {
                    text: format!("      {message}\n"),
                    summary: message,
                }),
            }),
        }
    }
    cases
}
