//! A rename in a policy reaches the test files beside it that name it:
//! decisions, outcomes and fields in what the cases expect, facts in what
//! they set and unset; an open test file is edited as the editor has it.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::client::{initialized, Client};
use super::range;

const POLICY: &str = "policy p {\n  zone \"+08:00\"\n}\n\n\
                      facts {\n  order.amount: money\n  order.note: text?\n}\n\n\
                      decision refund when exists order {\n  \
                      if order.amount > ¥100.00 => big { cap: ¥100.00 }\n  \
                      else => small\n}\n";

const TESTS: &str = r#"{
  "policy": "p.vouch",
  "defaults": {"order": {"amount": "50.00", "note": "x"}},
  "cases": [
    {"name": "small", "expect": {"refund": "small"}},
    {"name": "big", "facts": {"order": {"amount": "500.00"}}, "unset": ["order.note"],
     "expect": {"refund": {"outcome": "big", "cap": "100.00"}}}
  ]
}
"#;

/// A folder with `p.vouch`, `p.test.json` (naming it) and `other.test.json`
/// (naming another policy).
fn project() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-lsp-retest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("p.vouch"), POLICY).expect("written");
    std::fs::write(dir.join("p.test.json"), TESTS).expect("written");
    let other = TESTS.replace("p.vouch", "q.vouch");
    std::fs::write(dir.join("other.test.json"), other).expect("written");
    dir
}

fn open(client: &mut Client, uri: &str, language: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
}

/// Rename what is at the first `needle` (plus `shift` characters) and show
/// each test file's edits as `range → text`.
fn rename(client: &mut Client, uri: &str, needle: &str, shift: usize, to: &str) -> String {
    let offset = POLICY.find(needle).expect("the needle") + shift;
    let before = &POLICY[..offset];
    let line = before.matches('\n').count();
    let character = before.rsplit('\n').next().unwrap().chars().count();
    let params = json!({
        "textDocument": {"uri": uri},
        "position": {"line": line, "character": character},
        "newName": to,
    });
    let answer = client.result("textDocument/rename", params);
    let changes = answer["changes"].as_object().expect("changes");
    let mut out = format!("{to}:");
    for (file, edits) in changes.iter().filter(|(f, _)| *f != uri) {
        let name = file.rsplit('/').next().unwrap();
        let mut shown: Vec<String> = edits
            .as_array()
            .unwrap()
            .iter()
            .map(|e: &Value| format!("{} → {}", range(&e["range"]), e["newText"]))
            .collect();
        shown.sort();
        out.push_str(&format!(" {name} [{}]", shown.join(", ")));
    }
    out
}

#[test]
fn a_rename_reaches_the_test_files_that_name_the_policy() {
    let dir = project();
    let (mut client, _) = initialized(&[]);
    let uri = format!("file://{}", dir.join("p.vouch").display());
    open(&mut client, &uri, "vouch", POLICY);
    let mut out = vec![
        rename(&mut client, &uri, "decision refund", 9, "payback"),
        rename(&mut client, &uri, "=> big", 3, "large"),
        rename(&mut client, &uri, "cap:", 0, "limit"),
        rename(&mut client, &uri, "order.note", 6, "order.remark"),
        // Another section: the keys stay, `unset` follows.
        rename(&mut client, &uri, "order.note", 6, "buyer.note"),
    ];
    // The test file open with unsaved text: edited as the editor has it.
    let tests_uri = format!("file://{}", dir.join("p.test.json").display());
    let edited = TESTS.replace("{\"refund\": \"small\"}", "{\n  \"refund\": \"small\"}");
    open(&mut client, &tests_uri, "json", &edited);
    out.push(rename(&mut client, &uri, "decision refund", 9, "payback"));
    insta::assert_snapshot!(out.join("\n"));
    assert_eq!(client.shutdown(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
