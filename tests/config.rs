//! `vouch.toml`: lint levels, files to skip and the format width, found
//! from the checked path upward; `--explain` for error codes.

use std::path::PathBuf;

use crate::common::vouch;

/// A project folder with a `vouch.toml` and policies in `rules/`.
fn project(name: &str, config: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/drafts")).expect("folders");
    std::fs::write(dir.join("vouch.toml"), config).expect("written");
    // An unused parameter (a warning) and no zone (a warning, group `time`).
    let policy = "policy p {\n  source s1 \"x\"\n}\n\nfacts { a: int }\n\nparam spare = 1  cite s1 \"x\"\n\ndecision d cite s1 \"x\" {\n  if a > 1 => yes\n  else => no\n}\n";
    std::fs::write(dir.join("rules/p.vouch"), policy).expect("written");
    std::fs::write(dir.join("rules/drafts/broken.vouch"), "decision {\n").expect("written");
    dir
}

#[test]
fn levels_and_skips_come_from_the_nearest_vouch_toml() {
    let dir = project(
        "levels",
        "[lints]\nunused-param = \"allow\"\ntime = \"error\"\n\n[files]\nskip = [\"drafts/\"]\n",
    );
    let rules = dir.join("rules");
    let (code, out, err) = vouch(&["check", "--format", "plain", rules.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("error[missing-zone]"), "{out}");
    assert!(!out.contains("unused-param"), "{out}");
    assert!(!out.contains("broken.vouch"), "{out}");
    assert!(out.contains("1 error in 1 file"), "{out}");
}

#[test]
fn a_mistake_in_vouch_toml_is_named() {
    let dir = project("typo", "[lints]\nunused-parm = \"allow\"\n");
    let (code, _, err) = vouch(&["check", dir.join("rules").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("vouch::config::unknown_lint"), "{err}");
    assert!(err.contains("did you mean `unused-param`?"), "{err}");
}

#[test]
fn the_format_width_comes_from_vouch_toml() {
    let dir = project(
        "width",
        "[format]\nwidth = 40\n\n[files]\nskip = [\"rules/drafts/**\"]\n",
    );
    let long = "policy p { zone \"+08:00\" }\nfacts { a: int }\ndecision d {\n  if a > 1 and a < 100 and a != 50 and a != 60 => yes\n  else => no\n}\n";
    let path = dir.join("rules/p.vouch");
    std::fs::write(&path, long).unwrap();
    let (code, _, err) = vouch(&["fmt", dir.join("rules").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let formatted = std::fs::read_to_string(&path).unwrap();
    assert!(
        formatted.contains("  if a > 1\n    and a < 100\n"),
        "{formatted}"
    );
    // `--width` wins over the file.
    let (code, _, _) = vouch(&[
        "fmt",
        "--check",
        "--width",
        "100",
        dir.join("rules").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
}

#[test]
fn explain_covers_error_codes_too() {
    let (code, out, _) = vouch(&["check", "--explain", "vouch::check::unknown_name"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("vouch::check::unknown_name\n"), "{out}");
    let (code, out, _) = vouch(&["check", "--explain", "type_mismatch"]);
    assert_eq!(code, 0);
    assert!(out.contains("values of the wrong type"), "{out}");
}
