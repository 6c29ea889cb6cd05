//! `vouch check` end to end: exit statuses, levels, formats and `--explain`.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .output()
        .expect("run vouch")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const WARNING: &str = "tests/fixtures/lint/unused-param/trigger.vouch";
const ADVICE: &str = "tests/fixtures/lint/missing-citation/trigger.vouch";
const CLEAN: &str = "tests/fixtures/lint/unused-param/near-miss.vouch";
const ERROR: &str = "tests/fixtures/lint/covered/undeclared-service.vouch";

#[test]
fn exit_status_follows_the_fail_level() {
    let code = |args: &[&str]| vouch(args).status.code();
    assert_eq!(code(&["check", CLEAN]), Some(0));
    assert_eq!(code(&["check", WARNING]), Some(1));
    assert_eq!(code(&["check", WARNING, "--fail-level", "error"]), Some(0));
    assert_eq!(code(&["check", ADVICE]), Some(0));
    assert_eq!(
        code(&["check", WARNING, "--fail-level", "warning"]),
        Some(1)
    );
    assert_eq!(code(&["check", ADVICE, "--fail-level", "warning"]), Some(0));
    assert_eq!(code(&["check", ERROR]), Some(1));
    assert_eq!(code(&["check", ERROR, "--fail-level", "error"]), Some(1));
}

#[test]
fn an_unreadable_file_exits_2_after_reporting_the_others() {
    let o = vouch(&["check", WARNING, "no/such/policy.vouch", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(report["findings"][0]["lint"], "unused-param");
    assert_eq!(report["unreadable"][0]["path"], "no/such/policy.vouch");
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read `no/such/policy.vouch`"));
}

#[test]
fn plain_is_the_default_off_a_terminal() {
    let o = vouch(&["check", WARNING]);
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("{WARNING}:8:7: warning[unused-param]: ")),
        "{out}"
    );
    assert!(
        out.is_ascii() || !out.contains('╭'),
        "box drawing in plain output"
    );
    assert!(out.ends_with("1 warning in 1 file\n"), "{out}");
}

#[test]
fn findings_are_sorted_by_file_and_position() {
    let o = vouch(&["check", "tests/fixtures/lint", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let keys: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.len() > 20);
}

#[test]
fn shipped_policies_pass_at_warning_level() {
    let o = vouch(&["check", "rules/", "--fail-level", "warning"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn explain_prints_a_lint_by_name_or_code() {
    for name in ["unused-param", "vouch::lint::unused-param"] {
        let o = vouch(&["check", "--explain", name]);
        assert_eq!(o.status.code(), Some(0));
        let out = stdout(&o);
        assert!(out.starts_with("unused-param (vouch::lint::unused-param), warning by default"));
        for section in ["What it finds", "Why it matters", "Example", "Instead"] {
            assert!(out.contains(section), "{out}");
        }
    }
    let o = vouch(&["check", "--explain", "unused-parameter"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `unused-param`?"));
}

#[test]
fn github_annotations_escape_their_data() {
    let o = vouch(&["check", WARNING, "--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "::warning file={WARNING},line=8,col=7,endLine=8,endColumn=19,title=vouch unused-param::"
        )),
        "{out}"
    );
    assert!(out.contains("%0Ahelp: "));
    assert_eq!(out.lines().count(), 1);
    assert!(Path::new(ROOT).join(WARNING).exists());
}
