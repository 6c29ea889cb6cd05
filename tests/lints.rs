//! Lint fixtures: for each lint, a policy that triggers it and a near miss
//! that does not, with every output format snapshotted; mistakes the checker
//! reports as errors; the lint documentation; the shipped policies.

use std::path::Path;

use vouch::diagnostic::{Finding, Level};
use vouch::lint::registry::{Group, LINTS};
use vouch::output::report::{self, Format, Run};
use vouch::source::SourceFile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A file's findings, named by its path from the crate root.
fn diagnose(path: &Path) -> (SourceFile, Vec<Finding>) {
    let rel = path.strip_prefix(ROOT).unwrap_or(path);
    let name = rel.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).expect("fixture");
    let source = SourceFile::new(name, text);
    let findings = vouch::diagnose(&source);
    (source, findings)
}

fn all_formats(findings: &[Finding]) -> String {
    let run = Run {
        files: 1,
        findings,
        unreadable: &[],
    };
    let mut out = String::new();
    for (name, format) in [
        ("human", Format::Human),
        ("plain", Format::Plain),
        ("json", Format::Json),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
    ] {
        out.push_str(&format!("──────── {name}\n"));
        out.push_str(&report::render(format, &run, false));
    }
    out
}

fn lint_names(findings: &[Finding]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f.code.strip_prefix("vouch::lint::").unwrap_or(f.code))
        .collect()
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/lint/**/*.vouch", |path| {
        let (_, findings) = diagnose(path);
        let dir = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let file = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let names = lint_names(&findings);
        match file {
            "trigger" => assert!(
                names.contains(&dir),
                "{}: `{dir}` does not fire; found {names:?}",
                path.display()
            ),
            "near-miss" => assert!(
                !names.contains(&dir),
                "{}: `{dir}` fires on the near miss",
                path.display()
            ),
            _ => {}
        }
        insta::assert_snapshot!(all_formats(&findings));
    });
}

#[test]
fn every_lint_has_a_trigger_and_a_near_miss() {
    for lint in LINTS {
        for file in ["trigger.vouch", "near-miss.vouch"] {
            let path = Path::new(ROOT)
                .join("tests/fixtures/lint")
                .join(lint.name)
                .join(file);
            assert!(path.exists(), "no fixture {}", path.display());
        }
    }
}

/// A trigger fires its own lint and, but for suppression lints whose
/// mistake leaves another finding in place, nothing else.
#[test]
fn triggers_fire_only_their_lint() {
    for lint in LINTS {
        let path = Path::new(ROOT)
            .join("tests/fixtures/lint")
            .join(lint.name)
            .join("trigger.vouch");
        let (_, findings) = diagnose(&path);
        let others: Vec<&str> = lint_names(&findings)
            .into_iter()
            .filter(|n| *n != lint.name)
            .collect();
        if lint.group == Group::Suppressions {
            continue;
        }
        assert!(others.is_empty(), "{}: also {others:?}", lint.name);
    }
}

#[test]
fn near_misses_are_clean() {
    for lint in LINTS {
        let path = Path::new(ROOT)
            .join("tests/fixtures/lint")
            .join(lint.name)
            .join("near-miss.vouch");
        let (_, findings) = diagnose(&path);
        assert!(
            findings.is_empty(),
            "{}: {:?}",
            lint.name,
            lint_names(&findings)
        );
    }
}

/// Mistakes the checker already reports: each fixture names its code in a
/// first-line comment `# expect: CODE`.
#[test]
fn mistakes_covered_by_check_errors() {
    let dir = Path::new(ROOT).join("tests/fixtures/lint/covered");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("covered fixtures") {
        let path = entry.expect("entry").path();
        let (source, findings) = diagnose(&path);
        let expect = source
            .text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("a first line `# expect: CODE`")
            .trim()
            .to_string();
        assert_eq!(
            findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec![expect.as_str()],
            "{}",
            path.display()
        );
        assert!(findings.iter().all(|f| f.level == Level::Error));
        seen += 1;
    }
    assert!(seen >= 3);
}

/// Every documented example and its fix is a policy fragment that parses.
#[test]
fn documented_examples_parse() {
    for lint in LINTS {
        for (what, text) in [("example", lint.example), ("fix", lint.fixed)] {
            let text = if text.contains("policy ") {
                text.to_string()
            } else {
                format!("policy p {{ zone \"+08:00\" }}\n{text}\n")
            };
            let source = SourceFile::new(format!("{}.vouch", lint.name), text);
            let parsed = vouch::syntax::parse(&source);
            assert!(
                parsed.is_ok(),
                "the {what} of `{}` does not parse",
                lint.name
            );
        }
    }
}

#[test]
fn docs_list_every_lint() {
    let path = Path::new(ROOT).join("docs/lints.md");
    let generated = vouch::output::lintdoc::markdown();
    if std::env::var_os("VOUCH_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/lints.md");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/lints.md is out of date: run `VOUCH_BLESS=1 cargo test --test lints`"
    );
}

#[test]
fn shipped_policies_have_no_warnings() {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(ROOT).join("rules")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).expect("rules/") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "vouch") {
                files.push(p);
            }
        }
    }
    assert!(!files.is_empty());
    for f in files {
        let (_, findings) = diagnose(&f);
        let serious: Vec<String> = findings
            .iter()
            .filter(|x| x.level >= Level::Warning)
            .map(|x| format!("{} {}", x.code, x.message))
            .collect();
        assert!(serious.is_empty(), "{}: {serious:#?}", f.display());
    }
}
