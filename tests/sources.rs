//! `vouch check --sources DIR`: every cited quote checked against the file
//! its source names, with whitespace normalised.

use std::path::Path;
use std::process::{Command, Output};

use vouch::diagnostic::Level;
use vouch::source::SourceFile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const TEXTS: &str = "tests/fixtures/sources/texts";

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("run vouch")
}

fn findings(policy: &str, sources: Option<&str>) -> Vec<vouch::diagnostic::Finding> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(policy)).expect("fixture");
    let source = SourceFile::new(policy, text);
    let dir = sources.map(|d| Path::new(ROOT).join(d));
    vouch::diagnose_with_sources(&source, dir.as_deref())
}

#[test]
fn quotes_found_with_whitespace_normalised_are_clean() {
    let found = findings("tests/fixtures/sources/clean.vouch", Some(TEXTS));
    assert!(found.is_empty(), "{found:?}");
    let o = vouch(&[
        "check",
        "tests/fixtures/sources/clean.vouch",
        "--sources",
        TEXTS,
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_quote_not_in_its_source_is_an_error_showing_the_nearest_passage() {
    let found = findings("tests/fixtures/sources/wrong.vouch", Some(TEXTS));
    let quote = found
        .iter()
        .find(|f| f.code == "vouch::sources::quote_not_found")
        .expect("the changed quote is reported");
    assert_eq!(quote.level, Level::Error);
    let help = quote.help.as_deref().unwrap_or_default();
    assert!(help.contains("\"最高24元的运费补偿\""), "{help}");
    assert!(help.contains("(line 10)"), "{help}");
    // Only the one quote: the file of `s2` is missing, `s3` names none.
    assert_eq!(
        found
            .iter()
            .filter(|f| f.code == "vouch::sources::quote_not_found")
            .count(),
        1
    );
}

#[test]
fn a_missing_file_is_a_warning_and_a_source_without_one_advice() {
    let found = findings("tests/fixtures/sources/wrong.vouch", Some(TEXTS));
    let codes: Vec<(&str, Level)> = found.iter().map(|f| (f.code, f.level)).collect();
    assert!(codes.contains(&("vouch::sources::missing_file", Level::Warning)));
    assert!(codes.contains(&("vouch::sources::no_file", Level::Advice)));
}

#[test]
fn without_sources_quotes_are_not_checked() {
    let found = findings("tests/fixtures/sources/wrong.vouch", None);
    assert!(
        found
            .iter()
            .all(|f| !f.code.starts_with("vouch::sources::")),
        "{found:?}"
    );
}

#[test]
fn a_file_outside_the_folder_is_refused() {
    let text = "policy p {\n  zone \"+08:00\"\n  source s1 \"t\" file \"../clean.vouch\"\n}\nparam x = ¥1 cite s1 \"zone\"\n";
    let source = SourceFile::new("outside.vouch", text);
    let found = vouch::diagnose_with_sources(&source, Some(&Path::new(ROOT).join(TEXTS)));
    let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&"vouch::sources::bad_file_name"),
        "{codes:?}"
    );
}

#[test]
fn the_report_in_plain_text() {
    let o = vouch(&[
        "check",
        "tests/fixtures/sources/wrong.vouch",
        "--sources",
        TEXTS,
        "--format",
        "plain",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
    let errors_only = vouch(&[
        "check",
        "tests/fixtures/sources/wrong.vouch",
        "--sources",
        TEXTS,
        "--fail-level",
        "error",
    ]);
    assert_eq!(errors_only.status.code(), Some(1), "the quote is an error");
}

#[test]
fn a_missing_file_alone_fails_only_at_warning_level() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/sources/clean.vouch"))
        .expect("fixture");
    let dir = std::env::temp_dir().join(format!("vouch-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let policy = dir.join("clean.vouch");
    std::fs::write(&policy, text).expect("write");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("empty dir");
    let run = |level: &str| {
        vouch(&[
            "check",
            policy.to_str().expect("utf-8 path"),
            "--sources",
            empty.to_str().expect("utf-8 path"),
            "--fail-level",
            level,
        ])
        .status
        .code()
    };
    assert_eq!(run("warning"), Some(1));
    assert_eq!(run("error"), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
