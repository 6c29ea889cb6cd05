//! `vouch test`: run the test files that a policy team keeps next to its
//! policies, and report what differs, with the explanation of why. What a
//! test file is and how a case runs is [`crate::testing`]'s.

use super::Exit;
use crate::output::terminal::escape;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use rust_decimal::Decimal;

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
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = String::new();
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
        let (file_passed, file_failed, report) = run_file(program, coverage, &spec);
        let _ = write!(out, "{}: {file_passed} passed", file.display());
        if file_failed > 0 {
            let _ = write!(out, ", {file_failed} failed");
        }
        out.push('\n');
        out.push_str(&report);
        passed += file_passed;
        failed += file_failed;
    }
    let mut below = Vec::new();
    if show_coverage {
        for (path, program, coverage) in &programs {
            out.push('\n');
            out.push_str(&coverage.report(program, &path.display().to_string()));
            if let Some(min) = args.coverage_min {
                let total = coverage.total_percent();
                if total < min {
                    below.push(format!(
                        "coverage of {} is {total:.1}%, below the minimum {min}%",
                        path.display()
                    ));
                }
            }
        }
    }
    let _ = writeln!(out, "\n{passed} passed, {failed} failed");
    for b in &below {
        let _ = writeln!(out, "{b}");
    }
    // Case names, file names and values come from the input.
    print!("{}", crate::output::terminal::escape_text(&out, false));
    if failed > 0 || !below.is_empty() {
        Exit::Reported
    } else {
        Exit::Success
    }
}

/// Run every case of one test file: (passed, failed, the report of the
/// failures with the explanation of each decision that differs).
fn run_file(program: &Program, coverage: &mut Coverage, spec: &TestFile) -> (usize, usize, String) {
    let mut report = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    if spec.cases.is_empty() {
        // A file that tests nothing must not pass.
        failed += 1;
        let _ = writeln!(report, "  ✗ the file has no cases");
    }
    for case in &spec.cases {
        match run_case(program, &spec.defaults, case) {
            Ok((result, failures)) => {
                coverage.record(program, &result);
                if failures.is_empty() {
                    passed += 1;
                    continue;
                }
                failed += 1;
                let _ = writeln!(report, "  ✗ {}", case.name);
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
            }
            Err(message) => {
                failed += 1;
                let _ = writeln!(report, "  ✗ {}\n      {message}", case.name);
            }
        }
    }
    (passed, failed, report)
}
