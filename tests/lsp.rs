//! `vouch lsp` end to end: an in-repo client drives the real binary over
//! its standard input and output, request by request, and the answers are
//! kept as snapshots.

mod client;
mod config;
mod records;
mod retest;

use serde_json::{json, Value};

use client::{initialized, position, redact, uri_of, Client};

const POLICY: &str = "rules/douyin/anxin-gou.vouch";

fn read(relative: &str) -> String {
    std::fs::read_to_string(format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

/// Open a file of the repository under its own URI, with the given text.
fn open(client: &mut Client, relative: &str, text: &str) -> String {
    let uri = uri_of(relative);
    let language = if relative.ends_with(".vouch") {
        "vouch"
    } else {
        "json"
    };
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    uri
}

fn at(uri: &str, text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, needle, nth, shift)})
}

/// `line:col-line:col`, 1-based, for snapshots that read like the CLI's.
fn range(r: &Value) -> String {
    let p = |v: &Value| {
        format!(
            "{}:{}",
            v["line"].as_u64().unwrap() + 1,
            v["character"].as_u64().unwrap() + 1
        )
    };
    format!("{}-{}", p(&r["start"]), p(&r["end"]))
}

#[test]
fn initialize_says_what_vouch_answers() {
    let (client, result) = initialized(&[]);
    insta::assert_json_snapshot!(result);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn diagnostics_are_the_findings_of_vouch_check() {
    let (mut client, _) = initialized(&[]);
    let relative = "tests/fixtures/lsp/findings.vouch";
    let uri = open(&mut client, relative, &read(relative));
    let diagnostics = client.diagnostics(&uri, 1);
    // The same codes, levels and places as `vouch check --format json`.
    let (_, out, _) = common_check(relative);
    let check: Value = serde_json::from_str(&out).expect("json");
    let from_check: Vec<(String, String, u64)> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let severity = |s: u64| match s {
        1 => "error",
        2 => "warning",
        _ => "advice",
    };
    let from_server: Vec<(String, String, u64)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                severity(d["severity"].as_u64().unwrap()).to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    assert!(!from_check.is_empty());
    assert_eq!(from_server, from_check);
    insta::assert_json_snapshot!(redact(&diagnostics));
    assert_eq!(client.shutdown(), 0);
}

fn common_check(relative: &str) -> (i32, String, String) {
    crate::common::vouch(&["check", relative, "--format", "json"])
}

#[test]
fn a_change_is_diagnosed_and_mended() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    assert_eq!(client.diagnostics(&uri, 1), json!([]));
    // Misspell a parameter where it is used, then put it back.
    let start = position(&text, "fast_refund_limit else", 0, 0);
    let end = position(
        &text,
        "fast_refund_limit else",
        0,
        "fast_refund_limit".len(),
    );
    let change = |version: i64, new: &str| {
        json!({"textDocument": {"uri": uri, "version": version},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": new}]})
    };
    client.notify("textDocument/didChange", change(2, "fast_refund_limt"));
    let broken = client.diagnostics(&uri, 2);
    insta::assert_json_snapshot!(redact(&broken));
    let end_typo = position(&text, "fast_refund_limit else", 0, "fast_refund_limt".len());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": start, "end": end_typo}, "text": "fast_refund_limit"}]}),
    );
    assert_eq!(client.diagnostics(&uri, 3), json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_tells_what_a_name_is() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let places = [
        ("a parameter", "fast_refund_limit else", 0, 3),
        ("a fact", "order.shipped_at is none", 0, 8),
        ("a required fact", "after_sale.requested_at <=", 0, 2),
        ("a decision", "decision fast_refund", 0, 10),
        ("an outcome", "=> instant_refund", 0, 5),
        ("a built-in", "min(after_sale", 0, 1),
        ("an enum value", "shop_home      \"店铺首页\"", 0, 1),
        (
            "a service, where a decision has its name",
            "if fast_refund not in",
            0,
            5,
        ),
    ];
    let mut out = String::new();
    for (what, needle, nth, shift) in places {
        let hover = client.result("textDocument/hover", at(&uri, &text, needle, nth, shift));
        out.push_str(&format!(
            "## {what} ({})\n{}\n\n",
            range(&hover["range"]),
            hover["contents"]["value"].as_str().unwrap()
        ));
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_on_a_let_and_its_uses() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let hover = client.result(
        "textDocument/hover",
        at(&uri, &text, "now < effective_at", 0, 8),
    );
    insta::assert_snapshot!(hover["contents"]["value"].as_str().unwrap());
    assert_eq!(client.shutdown(), 0);
}

/// Locations as `line:col-line:col`, in order.
fn places(locations: &Value) -> Vec<String> {
    let mut out: Vec<String> = locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| range(&l["range"]))
        .collect();
    out.sort_by_key(|p| {
        let (l, c) = p.split_once('-').unwrap().0.split_once(':').unwrap();
        (l.parse::<u32>().unwrap(), c.parse::<u32>().unwrap())
    });
    out
}

#[test]
fn definition_and_references_follow_the_checker() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let mut out = String::new();
    let cases = [
        ("a parameter", "fast_refund_limit else", 0, 2),
        ("a fact", "order.received_at is not none", 0, 3),
        ("a decision", "termination is not effective", 0, 2),
        (
            "an outcome after `is`",
            "termination is not effective",
            0,
            20,
        ),
        ("an enum value", "after_sale.kind == refund_only", 0, 22),
        (
            "a service, where a decision has its name",
            "if fast_refund not in",
            0,
            5,
        ),
        ("a let", "now < effective_at", 0, 8),
        ("a source", "cite s000", 0, 6),
    ];
    for (what, needle, nth, shift) in cases {
        let definition = client.result(
            "textDocument/definition",
            at(&uri, &text, needle, nth, shift),
        );
        let mut params = at(&uri, &text, needle, nth, shift);
        params["context"] = json!({"includeDeclaration": true});
        let references = client.result("textDocument/references", params);
        out.push_str(&format!(
            "{what}: defined at {}; used at {}\n",
            range(&definition["range"]),
            places(&references).join(", ")
        ));
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn rename_changes_every_use_and_refuses_a_clash() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let rename = |client: &mut Client, needle: &str, shift: usize, new_name: &str| {
        let mut params = at(&uri, &text, needle, 0, shift);
        params["newName"] = json!(new_name);
        client.request("textDocument/rename", params)
    };
    let mut out = String::new();
    let prepare = client.result(
        "textDocument/prepareRename",
        at(&uri, &text, "now < effective_at", 0, 8),
    );
    out.push_str(&format!(
        "prepare on the let: {} `{}`\n",
        range(&prepare["range"]),
        prepare["placeholder"].as_str().unwrap()
    ));
    for (needle, shift, new_name) in [
        ("now < effective_at", 8, "takes_effect"),
        ("fast_refund_limit else", 2, "refund_cap"),
        ("decision termination", 10, "cancellation"),
        ("order.received_at is not none", 3, "order.signed_at"),
        ("fast_refund_limit else", 2, "shipping_cap"),
        ("fast_refund_limit else", 2, "order"),
        ("decision termination", 10, "eligible"),
        ("now < effective_at", 8, "fast_refund_limit"),
        ("fast_refund_limit else", 2, "not a name"),
        ("after_sale.kind == refund_only", 22, "counterfeit"),
    ] {
        let answer = rename(&mut client, needle, shift, new_name);
        match answer.get("error") {
            Some(e) => out.push_str(&format!(
                "{new_name}: refused ({}): {}\n",
                e["code"],
                e["message"].as_str().unwrap()
            )),
            None => {
                let edits = answer["result"]["changes"][&uri]
                    .as_array()
                    .unwrap()
                    .clone();
                assert!(edits.iter().all(|e| e["newText"] == new_name));
                out.push_str(&format!(
                    "{new_name}: {}\n",
                    places(&json!(edits)).join(", ")
                ));
                // The policy's test file follows.
                let changes = answer["result"]["changes"].as_object().unwrap();
                for (file, edits) in changes.iter().filter(|(f, _)| **f != uri) {
                    let edits = edits.as_array().unwrap();
                    let name = file.rsplit('/').next().unwrap();
                    let texts: std::collections::BTreeSet<&str> = edits
                        .iter()
                        .map(|e| e["newText"].as_str().unwrap())
                        .collect();
                    out.push_str(&format!(
                        "  {name}: {} edits to {texts:?}, first {}\n",
                        edits.len(),
                        places(&json!(edits[..1])).join(", ")
                    ));
                }
            }
        }
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

/// The labels offered at the end of `line`, inserted after `anchor`, that
/// start with what is typed (as an editor filters them).
fn completions(
    client: &mut Client,
    text: &str,
    anchor: &str,
    line: &str,
    version: i64,
) -> Vec<String> {
    let uri = uri_of("tests/fixtures/lsp/editing.vouch");
    let at_anchor = text.find(anchor).expect("anchor") + anchor.len();
    let edited = format!("{}{line}\n{}", &text[..at_anchor], &text[at_anchor..]);
    if version == 1 {
        client.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "vouch", "version": 1, "text": edited}}));
    } else {
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}));
    }
    let position = position(&edited, line, 0, line.chars().count());
    let result = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    let typed: String = line
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    let mut labels: Vec<String> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .filter(|l| l.starts_with(&typed))
        .collect();
    labels.sort();
    labels
}

#[test]
fn completion_knows_what_may_come_next() {
    let (mut client, _) = initialized(&[]);
    let text = read(POLICY);
    let inside = "  when exists after_sale and after_sale.kind == refund_only {\n";
    let mut out = String::new();
    for (i, (what, anchor, line)) in [
        ("fact paths after a dot", inside, "  if order."),
        ("the rest of a path", inside, "  if merchant.anxin_gou.t"),
        (
            "a decision's fields after a dot",
            inside,
            "  if termination.",
        ),
        ("outcomes after `is`", inside, "  if termination is "),
        ("outcomes after `is not`", inside, "  if eligible is not "),
        (
            "tests after `is` on a fact",
            inside,
            "  if order.shipped_at is ",
        ),
        ("enum values after `==`", inside, "  if after_sale.kind == "),
        (
            "services inside `in {…}`",
            inside,
            "  if request.service in {fast_refund, ",
        ),
        ("names, built-ins and keywords", inside, "  if fast"),
        ("built-ins by prefix", inside, "  if date"),
        ("items at the top level", "}\n\n", "de"),
        ("types in the facts block", "facts {\n", "  order.note: "),
    ]
    .into_iter()
    .enumerate()
    {
        let labels = completions(&mut client, &text, anchor, line, i as i64 + 1);
        out.push_str(&format!("{what} `{line}`: {}\n", labels.join(" ")));
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

fn outline(symbols: &Value, depth: usize, out: &mut String) {
    for s in symbols.as_array().unwrap() {
        let detail = s["detail"]
            .as_str()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{} {}{detail} {}\n",
            "  ".repeat(depth),
            s["kind"],
            s["name"].as_str().unwrap(),
            range(&s["selectionRange"])
        ));
        if let Some(children) = s.get("children") {
            outline(children, depth + 1, out);
        }
    }
}

#[test]
fn document_symbols_outline_the_policy() {
    let (mut client, _) = initialized(&[]);
    let relative = "rules/douyin/refund-after-rejection.vouch";
    let text = read(relative);
    let uri = open(&mut client, relative, &text);
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut out = String::new();
    outline(&symbols, 0, &mut out);
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn semantic_tokens_say_what_each_word_is() {
    let (mut client, init) = initialized(&[]);
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"];
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let data = client.result(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    )["data"]
        .clone();
    let data: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut col) = (0usize, 0usize);
    let mut out = String::new();
    for t in data.chunks(5) {
        line += t[0] as usize;
        col = if t[0] == 0 {
            col + t[1] as usize
        } else {
            t[1] as usize
        };
        // Columns are UTF-16 units; these lines are shown in characters.
        let units: Vec<u16> = lines[line].encode_utf16().collect();
        let word = String::from_utf16_lossy(&units[col..col + t[2] as usize]);
        let modifiers: Vec<&str> = (0..3)
            .filter(|b| t[4] & (1 << b) != 0)
            .map(|b| legend["tokenModifiers"][b].as_str().unwrap())
            .collect();
        if [47, 136, 138, 145].contains(&(line + 1)) {
            out.push_str(&format!(
                "{}: {word} {} {}\n",
                line + 1,
                legend["tokenTypes"][t[3] as usize].as_str().unwrap(),
                modifiers.join(",")
            ));
        }
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn test_files_are_checked_against_their_policy_and_run_by_code_lens() {
    let (mut client, _) = initialized(&[]);
    let relative = "tests/fixtures/test/failing.test.json";
    let uri = open(&mut client, relative, &read(relative));
    let diagnostics = client.diagnostics(&uri, 1);
    let lenses = client.result(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut out = String::new();
    for d in diagnostics.as_array().unwrap() {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            range(&d["range"]),
            d["severity"],
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        ));
    }
    for l in lenses.as_array().unwrap() {
        out.push_str(&format!(
            "lens {}: {}\n",
            range(&l["range"]),
            l["command"]["title"].as_str().unwrap()
        ));
    }
    let command = &lenses[0]["command"];
    let ran = client.result(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let shown = client.wait_for("window/showMessage", |_| true);
    out.push_str(&format!(
        "ran case 0: passed {}\n{}\nshown ({}):\n{}\n",
        ran["passed"],
        ran["report"].as_str().unwrap(),
        shown["type"],
        shown["message"].as_str().unwrap()
    ));
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn test_files_name_what_the_policy_does_not_have() {
    let (mut client, _) = initialized(&[]);
    let text = r#"{
  "policy": "../policies/anxin-cut.vouch",
  "defaults": {"order": {"amout": "129.00", "id": "o-1", "placed_at": "2026-11-20T08:00:00+08:00"}},
  "cases": [
    {"name": "typos", "unset": ["after_sale.requested"],
     "expect": {"fast_refnd": "standard", "fast_refund": "instant", "return_shipping": {"outcome": "compensate", "compensate": "1"}}}
  ]
}
"#;
    let uri = open(&mut client, "tests/fixtures/test/typos.test.json", text);
    let diagnostics = client.diagnostics(&uri, 1);
    let mut out = String::new();
    for d in diagnostics.as_array().unwrap() {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            range(&d["range"]),
            d["severity"],
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        ));
    }
    insta::assert_snapshot!(out);
    // Broken JSON is one diagnostic where it breaks.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "{\"policy\": }"}]}));
    let broken = client.diagnostics(&uri, 2);
    assert_eq!(broken[0]["code"], "vouch::test::malformed_json");
    assert_eq!(range(&broken[0]["range"]), "1:12-1:13");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_panicking_handler_answers_an_error_and_the_server_goes_on() {
    let (mut client, _) = initialized(&[("VOUCH_LSP_DEBUG", "1")]);
    let text = read(POLICY);
    let uri = open(&mut client, POLICY, &text);
    let answer = client.request("vouch/debugPanic", json!({}));
    assert_eq!(answer["error"]["code"], -32603, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("vouch/debugPanic"));
    // The server still answers, and still publishes.
    let hover = client.result(
        "textDocument/hover",
        at(&uri, &text, "fast_refund_limit else", 0, 2),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("¥300.00"));
    assert_eq!(client.diagnostics(&uri, 1), json!([]));
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn the_panic_request_is_hidden_without_the_debug_variable() {
    let (mut client, _) = initialized(&[]);
    let answer = client.request("vouch/debugPanic", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    assert_eq!(client.shutdown(), 0);
}

/// A text with one workspace edit applied (edits of one file, any order).
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let units = p["character"].as_u64().unwrap() as usize;
        let mut counted = 0;
        let rest = &text[start..];
        let within = rest
            .char_indices()
            .find(|(_, c)| {
                let before = counted;
                counted += c.len_utf16();
                before >= units
            })
            .map_or(rest.len(), |(i, _)| i);
        start + within
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

#[test]
fn formatting_is_vouch_fmt() {
    let (mut client, _) = initialized(&[]);
    let messy = "policy   fixture {\n zone \"+08:00\"\n  source s1 \"fixture.txt\" }\nfacts { order.amount : money }\nparam   limit=¥300\ndecision band cite s1 \"档位\" { if order.amount<limit => small\nelse=>large }\n";
    let uri = open(&mut client, "tests/fixtures/lsp/messy.vouch", messy);
    let edits = client.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(messy, &edits);
    let source = vouch::source::SourceFile::new("messy.vouch", messy);
    let expected =
        vouch::format::format(&source, &vouch::format::FormatOptions::default()).expect("formats");
    assert_eq!(formatted, expected);
    assert_ne!(formatted, messy);
    // A file that does not parse is not formatted: an error says why.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "policy p {"}]}));
    let answer = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(answer["error"]["code"], -32803, "{answer}");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_actions_offer_the_fixes_and_a_suppression() {
    let (mut client, _) = initialized(&[]);
    let mut out = String::new();
    // A mistake the parser knows two fixes for.
    let relative = "tests/fixtures/check/invalid/decimal-money-or-ratio.vouch";
    let text = read(relative);
    let uri = open(&mut client, relative, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let first = diagnostics[0].clone();
    let actions = client.result("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}}));
    for a in actions.as_array().unwrap() {
        let edits = &a["edit"]["changes"][&uri];
        out.push_str(&format!(
            "{} (preferred {}, for {} diagnostic): {}\n",
            a["title"].as_str().unwrap(),
            a["isPreferred"],
            a["diagnostics"].as_array().unwrap().len(),
            edits
        ));
    }
    // A mistake with one safe fix: offered alone, and as "fix all".
    let relative = "tests/fixtures/check/invalid/full-width-comma.vouch";
    let text = read(relative);
    let uri = open(&mut client, relative, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let first = diagnostics[0].clone();
    let actions = client.result("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}}));
    for a in actions.as_array().unwrap() {
        let edits = &a["edit"]["changes"][&uri];
        out.push_str(&format!(
            "{} ({}, preferred {}): {} edit(s)\n",
            a["title"].as_str().unwrap(),
            a["kind"].as_str().unwrap(),
            a["isPreferred"],
            edits.as_array().unwrap().len()
        ));
        if a["kind"] == "source.fixAll" {
            let fixed = apply(&text, edits);
            assert!(
                vouch::diagnose(&vouch::source::SourceFile::new(
                    "fixed.vouch",
                    fixed.as_str()
                ))
                .iter()
                .all(|f| f.code != first["code"]),
                "{fixed}"
            );
        }
    }
    // A lint: allow it here, with a reason; the finding then goes.
    let relative = "tests/fixtures/lsp/findings.vouch";
    let text = read(relative);
    let uri = open(&mut client, relative, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let unused = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "vouch::lint::unused-param")
        .unwrap()
        .clone();
    let actions = client.result("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": unused["range"], "context": {"diagnostics": [unused]}}));
    let allow = &actions[0];
    out.push_str(&format!(
        "{}: {}\n",
        allow["title"].as_str().unwrap(),
        allow["edit"]["changes"][&uri]
    ));
    let allowed = apply(&text, &allow["edit"]["changes"][&uri]);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": allowed}]}),
    );
    let after = client.diagnostics(&uri, 2);
    let codes: Vec<&str> = after
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["vouch::lint::overlapping-rules"], "{after}");
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn lists_calendars_and_dated_parameters_navigate() {
    let (mut client, _) = initialized(&[]);
    let mut out = String::new();
    for (relative, wanted) in [
        (
            "rules/jd/price-protection.vouch",
            vec![
                ("an item of `require any`", "item.current_price", 0, 1),
                ("the items it keeps", "i in qualifying", 0, 7),
                ("an item of `collect`", "i.sku", 0, 0),
                ("a dated parameter", "else default_window", 0, 7),
                ("the `as_of` fact", "as_of order.placed_at", 0, 8),
            ],
        ),
        (
            "rules/pdd/late-shipment.vouch",
            vec![("a calendar", "ship_working_days, workdays)", 0, 22)],
        ),
    ] {
        let text = read(relative);
        let uri = open(&mut client, relative, &text);
        for (what, needle, nth, shift) in wanted {
            let definition = client.result(
                "textDocument/definition",
                at(&uri, &text, needle, nth, shift),
            );
            let mut params = at(&uri, &text, needle, nth, shift);
            params["context"] = json!({"includeDeclaration": true});
            let references = client.result("textDocument/references", params);
            let hover = client.result("textDocument/hover", at(&uri, &text, needle, nth, shift));
            out.push_str(&format!(
                "## {what}: defined at {}; used at {}\n{}\n",
                range(&definition["range"]),
                places(&references).join(", "),
                hover["contents"]["value"].as_str().unwrap_or("(no hover)")
            ));
        }
    }
    insta::assert_snapshot!(out);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_policy_edit_rechecks_its_open_test_files() {
    let mut client = Client::start(&[]);
    client.result(
        "initialize",
        json!({"processId": null, "capabilities": {"workspace": {"codeLens": {"refreshSupport": true}}},
               "initializationOptions": {"debounceMs": 10}}),
    );
    client.notify("initialized", json!({}));
    let tests = "tests/fixtures/test/failing.test.json";
    let tests_uri = open(&mut client, tests, &read(tests));
    client.diagnostics(&tests_uri, 1);
    let policy = "tests/fixtures/policies/anxin-cut.vouch";
    let text = read(policy);
    let policy_uri = open(&mut client, policy, &text);
    client.diagnostics(&policy_uri, 1);
    // Rename a decision in the editor, not on disk: the test file now names
    // one the policy does not have, and the lenses are asked for again.
    let renamed = text.replace("decision return_shipping", "decision shipping_back");
    assert_ne!(renamed, text);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": policy_uri, "version": 2}, "contentChanges": [{"text": renamed}]}));
    let published = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == tests_uri && p["diagnostics"].to_string().contains("`return_shipping`")
    });
    let messages: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"the policy has no decision `return_shipping`"),
        "{messages:?}"
    );
    client.wait_for("workspace/codeLens/refresh", |_| true);
    assert_eq!(client.shutdown(), 0);
}
