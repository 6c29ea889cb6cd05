//! The fields of list-of-record facts: definition, references, rename and
//! hover on `item.unit_price`; and completion in a decision that does not
//! parse yet, from the last analysis that did.

use serde_json::json;

use super::client::{initialized, position, Client};
use super::{apply, at, open, places, range, read};

const POLICY: &str = "rules/jd/price-protection.vouch";

#[test]
fn record_fields_navigate_hover_and_rename() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let mut out = String::new();
    for (what, needle, shift) in [
        ("a field after `item.`", "item.unit_price", 5),
        ("a field of a kept item", "i.unit_price", 2),
        ("a field in `collect`", "i.sku", 3),
        ("its declaration", "current_price:   money", 0),
    ] {
        let definition =
            client.result("textDocument/definition", at(&uri, &text, needle, 0, shift));
        let mut params = at(&uri, &text, needle, 0, shift);
        params["context"] = json!({"includeDeclaration": true});
        let references = client.result("textDocument/references", params);
        let hover = client.result("textDocument/hover", at(&uri, &text, needle, 0, shift));
        out.push_str(&format!(
            "## {what}: defined at {}; used at {}\n{}\n",
            range(&definition["range"]),
            places(&references).join(", "),
            hover["contents"]["value"].as_str().unwrap()
        ));
    }
    let prepare = client.result("textDocument/prepareRename", at(&uri, &text, "i.sku", 0, 3));
    out.push_str(&format!(
        "prepare on `i.sku`: {} `{}`\n",
        range(&prepare["range"]),
        prepare["placeholder"].as_str().unwrap()
    ));
    for (needle, shift, new_name) in [
        ("item.unit_price", 5, "paid_price"),
        ("i.sku", 3, "item_id"),
        ("item.unit_price", 5, "current_price"),
        ("i.sku", 3, "quantity"),
        ("item.unit_price", 5, "unit price"),
    ] {
        let mut params = at(&uri, &text, needle, 0, shift);
        params["newName"] = json!(new_name);
        let answer = client.request("textDocument/rename", params);
        match answer.get("error") {
            Some(e) => out.push_str(&format!(
                "{new_name}: refused: {}\n",
                e["message"].as_str().unwrap()
            )),
            None => {
                let edits = &answer["result"]["changes"][&uri];
                let renamed = apply(&text, edits);
                let findings = vouch::diagnose(&vouch::source::SourceFile::new(
                    "renamed.vouch",
                    renamed.as_str(),
                ));
                assert!(findings.is_empty(), "{findings:?}");
                out.push_str(&format!("{new_name}: {}\n", places(edits).join(", ")));
            }
        }
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

/// Labels offered at the end of `line`, inserted after `anchor` in a
/// change of an open document, that start with what is typed.
fn offered(
    client: &mut Client,
    uri: &str,
    text: &str,
    version: i64,
    anchor: &str,
    line: &str,
) -> String {
    let after = text.find(anchor).expect("anchor") + anchor.len();
    let edited = format!("{}{line}\n{}", &text[..after], &text[after..]);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}),
    );
    let result = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&edited, line, 0, line.chars().count())}),
    );
    let typed: String = line
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
        .to_string();
    let mut labels: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .filter(|l| l.starts_with(&typed))
        .collect();
    labels.sort();
    labels.join(" ")
}

#[test]
fn completion_in_a_rule_that_does_not_parse_yet() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    // Analysed once whole: the last good analysis.
    assert_eq!(client.diagnostics(&uri, 1), json!([]));
    let in_require = "else not_protected\n                        cite spec \"`price_protected` is true and its category is not `fresh` or `virtual`\"\n";
    let in_outcome = "    refund: min(sum(i in qualifying, (i.unit_price - i.current_price) * i.quantity), claim_cap),\n";
    let last = "    else reject\n";
    assert_eq!(text.matches(last).count(), 1);
    let mut out = String::new();
    for (i, (what, anchor, line)) in [
        ("the fields of an item", in_require, "    item."),
        (
            "the fields of a kept item",
            in_outcome,
            "    skus2: sum(i in qualifying, i.",
        ),
        ("fact paths after a dot", in_require, "    order."),
        ("parameters", in_require, "    claim_"),
        ("items and lets", in_outcome, "    total: q"),
        ("outcomes after `is`", last, "  if price_protect is "),
        (
            "the fields of an unfinished rule's item",
            in_require,
            "    item.unit_price < item.cu",
        ),
        ("decisions", last, "  if price_"),
    ]
    .into_iter()
    .enumerate()
    {
        let labels = offered(&mut client, &uri, &text, i as i64 + 2, anchor, line);
        out.push_str(&format!("{what} `{}`: {labels}\n", line.trim()));
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}
