//! Policy fixtures: every file in `fixtures/check/invalid` holds one mistake
//! and reports exactly one diagnostic, snapshotted as a person sees it (no
//! colour); every file in `fixtures/check/valid` and `rules/` loads cleanly.
//!
//! A new fixture is a new test case: nothing to register.

use std::path::Path;

use vouch::output::render;
use vouch::source::SourceFile;

/// Load a policy file under its bare file name, so snapshots do not depend
/// on where the repository lives. Returns every diagnostic, rendered.
fn diagnostics(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let source = SourceFile::new(file_name(path), text);
    match vouch::load(&source) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics()
            .into_iter()
            .map(|d| render::diagnostic(d, false))
            .collect(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("fixture has a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn invalid() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("fixtures/check/invalid");
    settings.set_prepend_module_to_snapshot(false);
    let mut not_one = Vec::new();
    settings.bind(|| {
        insta::glob!("fixtures/check/invalid/*.vouch", |path| {
            let found = diagnostics(path);
            if found.len() != 1 {
                not_one.push(format!("{}: {}", file_name(path), found.len()));
            }
            insta::assert_snapshot!(found.join("\n"));
        });
    });
    assert!(
        not_one.is_empty(),
        "each invalid fixture holds one mistake and must report one diagnostic; these report another number:\n{}",
        not_one.join("\n")
    );
}

#[test]
fn valid() {
    insta::glob!("fixtures/check/valid/*.vouch", |path| {
        let found = diagnostics(path);
        assert!(
            found.is_empty(),
            "{} should load cleanly:\n{}",
            path.display(),
            found.join("\n")
        );
    });
}

#[test]
fn shipped_rules_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut count = 0;
    for platform in std::fs::read_dir(&root).expect("rules/ exists") {
        for file in std::fs::read_dir(platform.expect("entry").path()).expect("a folder") {
            let path = file.expect("entry").path();
            if path.extension().is_some_and(|e| e == "vouch") {
                let found = diagnostics(&path);
                assert!(
                    found.is_empty(),
                    "{}:\n{}",
                    path.display(),
                    found.join("\n")
                );
                count += 1;
            }
        }
    }
    assert!(
        count >= 3,
        "expected the three shipped policies, found {count}"
    );
}
