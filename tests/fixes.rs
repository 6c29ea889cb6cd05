//! Quick fixes: each finding that vouch knows how to resolve carries the
//! change, in JSON and SARIF; `vouch check --fix` makes the safe ones.

use std::path::PathBuf;

use crate::common::vouch;

/// A scratch copy of a policy, for `--fix` to rewrite.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-fixes-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join("policy.vouch");
    std::fs::write(&path, text).expect("written");
    path
}

const BROKEN: &str = r#"policy demo {
  source s1 "x"
}

facts {
  order.amount: money
  shop.share: ratio
}

param limit = 300 cite s1 "300元以内"
param share_min = 60 cite s1 "60%"
param window = 7 days

# vouch:allow(unused-param) reason: "kept"
decision d {
  if order.amont <= limit and shop.share >= share_min => yes  cite s1 "z"
  else => no  cite s1 "w"
  else => never
}
"#;

const FIXED: &str = r#"policy demo {
  zone "+08:00"
  source s1 "x"
}

facts {
  order.amount: money
  shop.share: ratio
}

param limit = ¥300 cite s1 "300元以内"
param share_min = 60% cite s1 "60%"
param window = 7d

decision d {
  if order.amount <= limit and shop.share >= share_min => yes  cite s1 "z"
  else => no  cite s1 "w"
}
"#;

#[test]
fn check_fix_makes_every_safe_fix_and_reports_the_rest() {
    let path = scratch("all", BROKEN);
    let p = path.to_str().unwrap();
    let (code, out, err) = vouch(&["check", "--fix", "--format", "plain", p]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXED);
    assert!(err.contains("fixed 7 findings in"), "{err}");
    // What is left is reported: `window` is not used.
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("unused-param"), "{out}");
    assert!(!out.contains("error["), "{out}");
}

#[test]
fn fixes_are_in_json_with_their_edits() {
    let path = scratch("json", "policy demo { zone \"+08:00\" }\nfacts { order.amount: money }\nparam limit = 300\ndecision d {\n  if order.amount <= limit => yes\n  else => no\n}\n");
    let (_, out, _) = vouch(&["check", "--format", "json", path.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let finding = &report["findings"][0];
    assert_eq!(finding["code"], "vouch::check::type_mismatch");
    assert_eq!(
        finding["fixes"],
        serde_json::json!([{
            "title": "write `¥300`",
            "applicable": true,
            "edits": [{ "line": 3, "column": 15, "end_line": 3, "end_column": 18, "text": "¥300" }],
        }])
    );
}

#[test]
fn a_choice_is_offered_not_made() {
    let text = "policy demo { zone \"+08:00\" }\nfacts { shop.share: ratio }\nparam share_min = 0.6\ndecision d {\n  if shop.share >= share_min => yes\n  else => no\n}\n";
    let path = scratch("choice", text);
    let p = path.to_str().unwrap();
    let (_, out, _) = vouch(&["check", "--format", "json", p]);
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let fixes = &report["findings"][0]["fixes"];
    assert_eq!(fixes[0]["title"], "money: `¥0.60`");
    assert_eq!(fixes[1]["title"], "a ratio: `60%`");
    assert_eq!(fixes[0]["applicable"], false);
    let (code, _, err) = vouch(&["check", "--fix", p]);
    assert_eq!(code, 1);
    assert!(!err.contains("fixed"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "nothing chosen for the writer"
    );
}

#[test]
fn fixes_are_in_sarif() {
    let path = scratch(
        "sarif",
        "policy demo { }\nfacts { a: int }\ndecision d {\n  if a > 1 => yes\n  else => no\n}\n",
    );
    let (_, out, _) = vouch(&["check", "--format", "sarif", path.to_str().unwrap()]);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let zone = results
        .iter()
        .find(|r| r["ruleId"] == "vouch::lint::missing-zone")
        .expect("the missing zone is reported");
    let replacement = &zone["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], " zone \"+08:00\"");
    assert_eq!(replacement["deletedRegion"]["startLine"], 1);
    assert_eq!(replacement["deletedRegion"]["startColumn"], 14);
}
