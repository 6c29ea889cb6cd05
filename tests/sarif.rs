//! `vouch check --format sarif` is SARIF 2.1.0: the shape is checked here, and
//! `.ci/validate-sarif` validates the same runs against the OASIS schema
//! (`tests/schemas/`).

use std::path::{Path, PathBuf};

use vouch::output::report::{self, Format, Run, Unreadable};
use vouch::source::SourceFile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            fixtures(&p, out);
        } else if p.extension().is_some_and(|x| x == "vouch") {
            out.push(p);
        }
    }
}

/// The shape of SARIF 2.1.0 that vouch relies on. The whole document is
/// validated against the OASIS schema (`tests/schemas/`) by
/// `.ci/validate-sarif`, which CI runs on the same runs; these checks keep the
/// essentials in `cargo test` without a schema crate in the build.
fn assert_valid(sarif: &str) {
    let doc: serde_json::Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().expect("runs is a list");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "vouch");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .map_or(&[][..], |r| r);
    let rule_ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for result in run["results"].as_array().expect("results is a list") {
        let level = result["level"].as_str().expect("a level");
        assert!(
            ["none", "note", "warning", "error"].contains(&level),
            "level `{level}` is not a SARIF level"
        );
        assert!(result["message"]["text"].is_string(), "a message text");
        if let Some(id) = result["ruleId"].as_str() {
            assert!(
                rule_ids.contains(&id),
                "rule `{id}` is described in the driver"
            );
        }
        for loc in result["locations"].as_array().map_or(&[][..], |l| l) {
            let phys = &loc["physicalLocation"];
            assert!(phys["artifactLocation"]["uri"].is_string(), "a uri");
            let region = &phys["region"];
            if !region.is_null() {
                assert!(
                    region["startLine"].as_u64().is_some_and(|l| l >= 1),
                    "lines count from 1"
                );
                assert!(
                    region["startColumn"].as_u64().is_some_and(|c| c >= 1),
                    "columns count from 1"
                );
            }
        }
    }
}

#[test]
fn every_fixture_in_one_run_is_valid_sarif() {
    let mut paths = Vec::new();
    fixtures(&Path::new(ROOT).join("tests/fixtures/lint"), &mut paths);
    let mut findings = Vec::new();
    for p in &paths {
        let name = p
            .strip_prefix(ROOT)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        let source = SourceFile::new(name, std::fs::read_to_string(p).expect("fixture"));
        findings.extend(vouch::diagnose(&source));
    }
    assert!(findings.len() > 20);
    let unreadable = [Unreadable {
        path: "missing dir/policy.vouch".into(),
        error: "No such file or directory".into(),
    }];
    let run = Run {
        files: paths.len(),
        findings: &findings,
        unreadable: &unreadable,
    };
    assert_valid(&report::render(Format::Sarif, &run, false));
}

#[test]
fn a_clean_run_is_valid_sarif() {
    let run = Run {
        files: 3,
        findings: &[],
        unreadable: &[],
    };
    assert_valid(&report::render(Format::Sarif, &run, false));
}
