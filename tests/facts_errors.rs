//! Facts JSON: what is refused (with the JSON path and what was expected)
//! and what is accepted.

use serde_json::{json, Value as Json};
use vouch::facts::{self, FactsError};
use vouch::program::Program;
use vouch::source::SourceFile;

const POLICY: &str = r#"
policy facts_demo { zone "+08:00" }

enum after_sale_kind { refund_only, counterfeit }
enum courier open { sf, zto }

facts {
  order.amount:      money
  order.placed_at:   instant
  order.shipped_at:  instant?
  order.items:       int
  after_sale.kind:   after_sale_kind
  logistics.courier: courier
  merchant.kinds:    set<after_sale_kind>
  shop.share:        ratio
  rules.window:      duration
  rules.cutoff:      time
  rules.day:         date
  rules.fees:        map<after_sale_kind, money>
}

decision amount   { else => seen { value: order.amount } }
decision placed   { else => seen { value: order.placed_at } }
decision shipped  { else => seen { value: order.shipped_at } }
decision items    { else => seen { value: order.items } }
decision kind     { else => seen { value: after_sale.kind } }
decision courier  { else => seen { value: logistics.courier } }
decision kinds    { else => seen { value: merchant.kinds } }
decision share    { else => seen { value: shop.share } }
decision window   { else => seen { value: rules.window } }
decision cutoff   { else => seen { value: rules.cutoff } }
decision day      { else => seen { value: rules.day } }
decision fees     { else => seen { value: rules.fees } }
"#;

fn program() -> Program {
    let source = SourceFile::new("facts_demo.vouch", POLICY);
    vouch::load(&source).expect("the test policy loads")
}

fn decode(program: &Program, json: &str) -> Result<Json, FactsError> {
    let facts = facts::decode(program, json)?;
    let result = vouch::eval::evaluate(program, &facts, false);
    Ok(vouch::output::render::case_json(program, &result, false))
}

/// Facts that must be refused: (what is wrong, the JSON, the path named).
const REFUSED: [(&str, &str, Option<&str>); 18] = [
    ("malformed JSON", r#"{"order": {"amount": "1.00",}}"#, None),
    ("truncated JSON", r#"{"order": {"amount": "1.00""#, None),
    ("empty input", "", None),
    ("top level is a list", r#"[{"order": {}}]"#, None),
    ("top level is null", "null", None),
    (
        "timestamp without offset",
        r#"{"order": {"placed_at": "2026-11-20T08:00:00"}}"#,
        Some("order.placed_at"),
    ),
    (
        "timestamp that is not one",
        r#"{"order": {"placed_at": "yesterday"}}"#,
        Some("order.placed_at"),
    ),
    (
        "negative money",
        r#"{"order": {"amount": "-5.00"}}"#,
        Some("order.amount"),
    ),
    (
        "negative money as a number",
        r#"{"order": {"amount": -5}}"#,
        Some("order.amount"),
    ),
    (
        "money with three decimals",
        r#"{"order": {"amount": "1.005"}}"#,
        Some("order.amount"),
    ),
    (
        "non-numeric money",
        r#"{"order": {"amount": "12元"}}"#,
        Some("order.amount"),
    ),
    (
        "a string where a list is expected",
        r#"{"merchant": {"kinds": "refund_only"}}"#,
        Some("merchant.kinds"),
    ),
    (
        "null for a fact that is not optional",
        r#"{"order": {"amount": null}}"#,
        Some("order.amount"),
    ),
    (
        "a value a closed enum does not list",
        r#"{"after_sale": {"kind": "spoiled"}}"#,
        Some("after_sale.kind"),
    ),
    (
        "a bad value inside a list",
        r#"{"merchant": {"kinds": ["refund_only", "spoiled"]}}"#,
        Some("merchant.kinds[1]"),
    ),
    (
        "a section that is a number",
        r#"{"order": 5}"#,
        Some("order"),
    ),
    (
        "a fraction where a whole number is expected",
        r#"{"order": {"items": 2.5}}"#,
        Some("order.items"),
    ),
    (
        "a bad key in a table",
        r#"{"rules": {"fees": {"spoiled": "1.00"}}}"#,
        Some("rules.fees.spoiled"),
    ),
];

#[test]
fn refused_facts_name_the_path_and_what_was_expected() {
    let program = program();
    let mut report = String::new();
    for (what, json, path) in REFUSED {
        let e = match decode(&program, json) {
            Ok(out) => panic!("{what}: accepted, deciding {out}"),
            Err(e) => e,
        };
        assert_eq!(e.path.as_deref(), path, "{what}: {e}");
        assert!(e.line >= 1, "{what}: the line is counted from 1");
        report.push_str(&format!("{what}\n  {json}\n  {e}\n"));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn other_cases_are_still_read_after_a_refused_one() {
    let program = program();
    let mut buffer = facts::Facts::empty(&program.facts);
    facts::decode_into(&program, r#"{"order": {"amount": "-1"}}"#, &mut buffer)
        .expect_err("negative money is refused");
    facts::decode_into(&program, r#"{"order": {"amount": "2.00"}}"#, &mut buffer)
        .expect("the next case is read afresh");
    let result = vouch::eval::evaluate(&program, &buffer, false);
    let out = vouch::output::render::case_json(&program, &result, false);
    assert_eq!(out["decisions"]["amount"]["value"], "2.00");
    assert_eq!(out["decisions"]["placed"]["outcome"], "undetermined");
}

/// The value a decision saw for a fact.
fn seen(out: &Json, decision: &str) -> Json {
    let d = &out["decisions"][decision];
    assert_eq!(d["outcome"], "seen", "{decision}: {d}");
    d["value"].clone()
}

#[test]
fn accepted_values_of_every_type() {
    let program = program();
    let out = decode(
        &program,
        r#"{
            "order": {"amount": "129.00", "placed_at": "2026-11-20T00:30:00Z",
                      "shipped_at": null, "items": "3"},
            "after_sale": {"kind": "counterfeit"},
            "logistics": {"courier": "jd"},
            "merchant": {"kinds": ["refund_only", "refund_only", "counterfeit"]},
            "shop": {"share": "60%"},
            "rules": {"window": "1h30m", "cutoff": "16:00", "day": "2026-11-20",
                      "fees": {"counterfeit": 12}}
        }"#,
    )
    .expect("the facts are read");
    assert_eq!(seen(&out, "amount"), "129.00");
    // Instants come out in the policy's zone.
    assert_eq!(seen(&out, "placed"), "2026-11-20T08:30:00+08:00");
    assert_eq!(seen(&out, "shipped"), Json::Null);
    assert_eq!(seen(&out, "items"), 3);
    assert_eq!(seen(&out, "kind"), "counterfeit");
    // An open enum accepts a value it does not list.
    assert_eq!(seen(&out, "courier"), "jd");
    // A list is a set: duplicates go.
    assert_eq!(seen(&out, "kinds"), json!(["refund_only", "counterfeit"]));
    assert_eq!(seen(&out, "share"), "0.6");
    assert_eq!(seen(&out, "window"), "1h30m");
    assert_eq!(seen(&out, "cutoff"), "16:00");
    assert_eq!(seen(&out, "day"), "2026-11-20");
    assert_eq!(seen(&out, "fees"), json!({"counterfeit": "12.00"}));
}

#[test]
fn json_numbers_are_money_ratios_and_durations() {
    let program = program();
    let cases = [
        (r#"{"order": {"amount": 129}}"#, "amount", json!("129.00")),
        (r#"{"order": {"amount": 129.5}}"#, "amount", json!("129.50")),
        (r#"{"order": {"amount": 0.1}}"#, "amount", json!("0.10")),
        (r#"{"order": {"amount": 0}}"#, "amount", json!("0.00")),
        (r#"{"order": {"amount": "-0.00"}}"#, "amount", json!("0.00")),
        (r#"{"order": {"amount": " 7.5 "}}"#, "amount", json!("7.50")),
        (r#"{"shop": {"share": 0.6}}"#, "share", json!("0.6")),
        (r#"{"shop": {"share": "0.6"}}"#, "share", json!("0.6")),
        (r#"{"rules": {"window": 5400}}"#, "window", json!("1h30m")),
        (r#"{"order": {"items": 200}}"#, "items", json!(200)),
    ];
    for (json, decision, want) in cases {
        let out = decode(&program, json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(seen(&out, decision), want, "{json}");
    }
}

#[test]
fn undeclared_keys_are_skipped_and_absent_facts_are_unknown() {
    let program = program();
    let out = decode(
        &program,
        r#"{"order": {"id": "o-1", "amount": "1.00", "lines": [{"sku": 1}]},
            "buyer": {"name": "张三"}, "version": 2}"#,
    )
    .expect("undeclared keys do not matter");
    assert_eq!(seen(&out, "amount"), "1.00");
    let placed = &out["decisions"]["placed"];
    assert_eq!(placed["outcome"], "undetermined");
    assert_eq!(placed["missing_facts"], json!(["order.placed_at"]));
}

#[test]
fn a_null_section_makes_its_optional_facts_none() {
    let program = program();
    let out = decode(&program, r#"{"order": null}"#).expect("a null section is read");
    assert_eq!(seen(&out, "shipped"), Json::Null);
    assert_eq!(out["decisions"]["amount"]["outcome"], "undetermined");
}
