//! The second wave of the language, decided: rounding, calendars, months,
//! lists and records, per-item `require`, dated parameters. Each table is
//! facts in, expected decision out.

use serde_json::{json, Value as Json};
use vouch::source::SourceFile;

const HEADER: &str = "policy t {\n  zone \"+08:00\"\n}\n";
/// A header that dates every dated parameter by the order's placing.
const DATED_HEADER: &str = "policy t {\n  zone \"+08:00\"\n  as_of order.placed_at\n}\n";

/// Decide `facts` under the policy `body` (after a header), as the contract's JSON.
fn decide(body: &str, facts: Json) -> Json {
    let header = if body.contains(" from ") {
        DATED_HEADER
    } else {
        HEADER
    };
    let source = SourceFile::new("t.vouch", format!("{header}{body}"));
    let program = match vouch::load(&source) {
        Ok(p) => p,
        Err(e) => panic!(
            "the policy does not load: {:?}",
            e.diagnostics()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        ),
    };
    let facts = vouch::facts::decode(&program, &facts.to_string()).expect("facts decode");
    let result = vouch::eval::evaluate(&program, &facts, false);
    vouch::output::render::case_json(&program, &result, false)["decisions"].clone()
}

/// The decision `d`'s field `f` for each of several values of one fact.
fn field_of(body: &str, facts: Json, d: &str, f: &str) -> Json {
    decide(body, facts)[d][f].clone()
}

#[test]
fn rounding_names_its_rule_and_is_exact() {
    let body = "facts {\n  x: money\n}\ndecision r {\n  else => v { floor: floor(x, ¥1), ceil: ceil(x, ¥1), round: round(x, ¥1), tenth: round(x, ¥0.10) }\n}\n";
    let table = [
        ("6.45", ["6.00", "7.00", "6.00", "6.50"]),
        ("6.50", ["6.00", "7.00", "7.00", "6.50"]),
        ("6.00", ["6.00", "6.00", "6.00", "6.00"]),
        ("0.05", ["0.00", "1.00", "0.00", "0.10"]),
        ("0.04", ["0.00", "1.00", "0.00", "0.00"]),
    ];
    for (x, want) in table {
        let got = decide(body, json!({ "x": x }))["r"].clone();
        let got = [&got["floor"], &got["ceil"], &got["round"], &got["tenth"]];
        assert_eq!(got, want.map(Json::from).each_ref(), "x = {x}");
    }
}

#[test]
fn negative_amounts_round_by_the_named_rule() {
    let body = "facts {\n  x: money\n}\ndecision r {\n  let y = ¥0 - x\n  else => v { floor: floor(y, ¥1), ceil: ceil(y, ¥1), round: round(y, ¥1) }\n}\n";
    let got = decide(body, json!({ "x": "6.50" }))["r"].clone();
    assert_eq!(got["floor"], "-7.00");
    assert_eq!(got["ceil"], "-6.00");
    assert_eq!(got["round"], "-7.00");
}

#[test]
fn a_product_is_rounded_from_its_exact_value() {
    let body = "facts {\n  x: money\n}\ndecision r {\n  else => v { product: x * 5%, floored: floor(x * 5%, ¥1), halved: floor(x / 3, ¥0.10) }\n}\n";
    let got = decide(body, json!({ "x": "139.99" }))["r"].clone();
    assert_eq!(
        got["product"], "7.00",
        "the product alone is rounded to the fen"
    );
    assert_eq!(got["floored"], "6.00", "6.9995 rounded down is 6");
    assert_eq!(got["halved"], "46.60", "46.663… rounded down to ¥0.10");
}

#[test]
fn durations_round_to_whole_days_and_hours() {
    let body = "facts {\n  a: instant\n  b: instant\n}\ndecision r {\n  else => v { days_up: ceil(b - a, 1d), days_down: floor(b - a, 1d), hours: round(b - a, 1h) }\n}\n";
    let got = decide(
        body,
        json!({"a": "2026-11-20T10:00:00+08:00", "b": "2026-11-22T11:30:00+08:00"}),
    )["r"]
        .clone();
    assert_eq!(got["days_up"], "3d");
    assert_eq!(got["days_down"], "2d");
    assert_eq!(got["hours"], "2d2h", "49.5 hours round half away to 50");
}

const CALENDAR: &str = "calendar workdays {\n  week mon, tue, wed, thu, fri\n  rest 2026-10-01..2026-10-07\n  work 2026-09-27, 2026-10-10\n}\nfacts {\n  d: date\n  e: date\n  n: int\n}\ndecision c {\n  else => v {\n    working: is_working_day(d, workdays),\n    after: working_day_after(d, n, workdays),\n    between: working_days_between(d, e, workdays),\n    weekday: weekday(d),\n    end: end_of_day(d),\n    start: start_of_day(d),\n  }\n}\n";

#[test]
fn a_calendar_counts_working_days() {
    // (date, n, working?, nth working day after, weekday)
    let table = [
        ("2026-11-20", 2, true, "2026-11-24", 5),
        ("2026-11-21", 1, false, "2026-11-23", 6),
        ("2026-11-22", 0, false, "2026-11-22", 7),
        ("2026-09-27", 1, true, "2026-09-28", 7),
        ("2026-09-30", 1, true, "2026-10-08", 3),
        ("2026-10-01", 2, false, "2026-10-09", 4),
        ("2026-10-09", 1, true, "2026-10-10", 5),
        ("2026-10-10", 1, true, "2026-10-12", 6),
    ];
    for (d, n, working, after, weekday) in table {
        let got = decide(CALENDAR, json!({"d": d, "e": d, "n": n}))["c"].clone();
        assert_eq!(got["working"], working, "{d}");
        assert_eq!(got["after"], after, "{d} + {n}");
        assert_eq!(got["weekday"], weekday, "{d}");
        assert_eq!(got["between"], 0, "{d} to itself");
    }
}

#[test]
fn working_days_between_undoes_working_day_after() {
    for (d, e, between) in [
        ("2026-09-30", "2026-10-09", 2),
        ("2026-09-25", "2026-09-28", 2),
        ("2026-10-09", "2026-09-30", -2),
        ("2026-11-20", "2026-11-22", 0),
    ] {
        let got = field_of(CALENDAR, json!({"d": d, "e": e, "n": 0}), "c", "between");
        assert_eq!(got, between, "{d} to {e}");
    }
}

#[test]
fn days_start_and_end_in_the_zone() {
    let got = decide(
        CALENDAR,
        json!({"d": "2026-11-20", "e": "2026-11-20", "n": 0}),
    )["c"]
        .clone();
    assert_eq!(got["start"], "2026-11-20T00:00:00+08:00");
    assert_eq!(got["end"], "2026-11-20T23:59:59+08:00");
}

#[test]
fn months_keep_the_day_or_take_the_months_last() {
    let body = "facts {\n  d: date\n  t: instant\n}\ndecision m {\n  else => v { next: d + 1mo, back: d - 1mo, year: d + 12mo, later: t + 1mo }\n}\n";
    let table = [
        ("2026-01-31", "2026-02-28", "2025-12-31", "2027-01-31"),
        ("2028-01-31", "2028-02-29", "2027-12-31", "2029-01-31"),
        ("2026-03-31", "2026-04-30", "2026-02-28", "2027-03-31"),
        ("2026-05-15", "2026-06-15", "2026-04-15", "2027-05-15"),
    ];
    for (d, next, back, year) in table {
        let got = decide(body, json!({"d": d, "t": "2026-01-31T23:30:00+08:00"}))["m"].clone();
        assert_eq!(got["next"], next, "{d} + 1mo");
        assert_eq!(got["back"], back, "{d} - 1mo");
        assert_eq!(got["year"], year, "{d} + 12mo");
        assert_eq!(
            got["later"], "2026-02-28T23:30:00+08:00",
            "local date and time"
        );
    }
}

const ITEMS: &str = "facts {\n  order.items: list<{sku: text, price: money, quantity: int, note: text?}>\n}\ndecision l {\n  else => v {\n    total: sum(i in order.items, i.price * i.quantity),\n    many: count(i in order.items, i.quantity > 1),\n    any_big: any(i in order.items, i.price >= ¥100),\n    all_big: all(i in order.items, i.price >= ¥100),\n    skus: collect(i in order.items, i.sku),\n    big: collect(i in filter(i in order.items, i.price >= ¥100), i.sku),\n    lines: size(order.items),\n    has: \"b\" in collect(i in order.items, i.sku),\n  }\n}\n";

#[test]
fn list_functions_go_through_the_items() {
    let items = json!({"order": {"items": [
        {"sku": "a", "price": "120.00", "quantity": 2, "note": null},
        {"sku": "b", "price": "9.90", "quantity": 1, "extra": {"skipped": [1, 2]}},
        {"sku": "a", "price": "120.00", "quantity": 1}
    ]}});
    let got = decide(ITEMS, items)["l"].clone();
    assert_eq!(got["total"], "369.90");
    assert_eq!(got["many"], 1);
    assert_eq!(got["any_big"], true);
    assert_eq!(got["all_big"], false);
    assert_eq!(got["skus"], json!(["a", "b"]));
    assert_eq!(got["big"], json!(["a"]));
    assert_eq!(got["lines"], 3);
    assert_eq!(got["has"], true);
}

#[test]
fn no_items_give_the_empty_answers() {
    let got = decide(ITEMS, json!({"order": {"items": []}}))["l"].clone();
    assert_eq!(got["total"], "0.00");
    assert_eq!(got["any_big"], false);
    assert_eq!(got["all_big"], true);
    assert_eq!(got["skus"], json!([]));
}

#[test]
fn a_missing_field_is_named_with_its_index() {
    let got = decide(
        ITEMS,
        json!({"order": {"items": [{"sku": "a", "price": "1.00", "quantity": 1}, {"sku": "b", "quantity": 1}]}}),
    )["l"]
        .clone();
    assert_eq!(got["outcome"], "undetermined");
    assert_eq!(got["missing_facts"], json!(["order.items[1].price"]));
}

#[test]
fn any_is_true_whatever_the_unknown_items() {
    let body = "facts {\n  order.items: list<{price: money}>\n}\ndecision l {\n  if any(i in order.items, i.price >= ¥100) => big\n  else => small\n}\n";
    let unknown_first = json!({"order": {"items": [{}, {"price": "200.00"}]}});
    assert_eq!(decide(body, unknown_first)["l"]["outcome"], "big");
    let unknown_only = json!({"order": {"items": [{}, {"price": "20.00"}]}});
    assert_eq!(
        decide(body, unknown_only)["l"]["missing_facts"],
        json!(["order.items[0].price"])
    );
}

const PER_ITEM: &str = "facts {\n  order.items: list<{sku: text, ok: bool, price: money}>\n}\ndecision any_item {\n  require any i in order.items as good {\n    i.ok else not_ok\n    i.price > ¥0 else free\n  } => pass { skus: collect(x in good, x.sku) }\n    else fail\n}\ndecision every_item {\n  require every i in order.items {\n    i.ok else not_ok\n    i.price > ¥0 else free\n  } => pass\n    else fail\n}\n";

#[test]
fn per_item_require_collects_every_items_reasons() {
    let items = |v: Json| json!({"order": {"items": v}});
    let mixed = items(json!([
        {"sku": "a", "ok": true, "price": "1.00"},
        {"sku": "b", "ok": false, "price": "0.00"}
    ]));
    let got = decide(PER_ITEM, mixed);
    assert_eq!(got["any_item"], json!({"outcome": "pass", "skus": ["a"]}));
    assert_eq!(
        got["every_item"],
        json!({"outcome": "fail", "reasons": ["not_ok", "free"]})
    );
    let failing = items(json!([
        {"sku": "a", "ok": false, "price": "1.00"},
        {"sku": "b", "ok": true, "price": "0.00"}
    ]));
    let got = decide(PER_ITEM, failing);
    assert_eq!(
        got["any_item"],
        json!({"outcome": "fail", "reasons": ["not_ok", "free"]})
    );
    let none = decide(PER_ITEM, items(json!([])));
    // No item passes `any`: it fails, with no reason to give.
    assert_eq!(none["any_item"], json!({"outcome": "fail"}));
    assert_eq!(none["every_item"], json!({"outcome": "pass"}));
}

const DATED: &str = "facts {\n  order.placed_at: instant\n  claim.at: instant\n}\nparam window = 7d; 10d from 2026-07-01; 14d from 2027-01-01\nparam cap = ¥1; ¥2 from 2026-11-01 as_of claim.at\ndecision w {\n  else => v { window: window, cap: cap }\n}\n";

#[test]
fn a_dated_parameter_takes_the_value_in_force_on_the_cases_date() {
    let table = [
        ("2026-06-30T23:59:59+08:00", "7d"),
        ("2026-07-01T00:00:00+08:00", "10d"),
        ("2026-06-30T16:00:00Z", "10d"),
        ("2026-12-31T23:59:59+08:00", "10d"),
        ("2027-01-01T00:00:00+08:00", "14d"),
    ];
    for (placed, window) in table {
        let got = decide(
            DATED,
            json!({"order": {"placed_at": placed}, "claim": {"at": "2026-10-31T23:59:59+08:00"}}),
        )["w"]
            .clone();
        assert_eq!(got["window"], window, "placed {placed}");
        assert_eq!(got["cap"], "1.00", "the claim's date picks the cap");
    }
    let got = decide(
        DATED,
        json!({"order": {"placed_at": "2026-01-01T00:00:00+08:00"}, "claim": {"at": "2026-11-01T00:00:00+08:00"}}),
    )["w"]
        .clone();
    assert_eq!(got["cap"], "2.00");
    let got = decide(DATED, json!({"claim": {"at": "2026-11-01T00:00:00+08:00"}}))["w"].clone();
    assert_eq!(got["missing_facts"], json!(["order.placed_at"]));
}

#[test]
fn explain_says_which_dated_value_applied_and_why() {
    let source = SourceFile::new("t.vouch", format!("{DATED_HEADER}{DATED}"));
    let program = vouch::load(&source).expect("loads");
    let facts = json!({"order": {"placed_at": "2026-11-10T10:00:00+08:00"}, "claim": {"at": "2026-10-01T00:00:00+08:00"}});
    let facts = vouch::facts::decode(&program, &facts.to_string()).expect("facts");
    let result = vouch::eval::evaluate(&program, &facts, true);
    let json = vouch::output::render::case_json(&program, &result, true).to_string();
    assert!(
        json.contains("in force from 2026-07-01 until 2027-01-01, as order.placed_at = 2026-11-10T10:00:00+08:00"),
        "{json}"
    );
    assert!(
        json.contains("in force before 2026-11-01, as claim.at = 2026-10-01T00:00:00+08:00"),
        "{json}"
    );
}

#[test]
fn the_fast_decoder_reads_lists_as_serde_does() {
    let source = SourceFile::new("t.vouch", format!("{HEADER}{ITEMS}"));
    let program = vouch::load(&source).expect("loads");
    let lines = [
        r#"{"order":{"items":[{"sku":"a","price":"1.50","quantity":2},{"quantity":1,"sku":"b","price":3}]}}"#,
        r#"{"order":{"items":[{"sku":"a","price":"1.50","quantity":2,"note":"x","other":[{"deep":null}]}]}}"#,
        r#"{"order":{"items":[{"sku":"a\u0041","price":"1.50","quantity":2}]}}"#,
        r#"{"order":{"items":[]}}"#,
        r#"{"order":{"items":null}}"#,
    ];
    for line in lines {
        let fast = vouch::facts::decode(&program, line);
        let slow: Result<vouch::facts::Facts, _> = {
            let spaced = line.replace(':', ": ");
            vouch::facts::decode(&program, &spaced)
        };
        let decided = |f: &vouch::facts::Facts| {
            let r = vouch::eval::evaluate(&program, f, false);
            vouch::output::render::case_json(&program, &r, false)
        };
        match (fast, slow) {
            (Ok(a), Ok(b)) => assert_eq!(decided(&a), decided(&b), "{line}"),
            (Err(a), Err(b)) => assert_eq!((a.path, a.message), (b.path, b.message), "{line}"),
            (a, b) => panic!("{line}: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn counting_too_far_is_an_error_not_a_hang() {
    let got = decide(
        CALENDAR,
        json!({"d": "2026-11-20", "e": "2026-11-20", "n": 1_000_000_000}),
    )["c"]
        .clone();
    assert_eq!(got["outcome"], "error");
    assert!(
        got["error"]
            .as_str()
            .unwrap_or("")
            .contains("has no 1000000000 working days"),
        "{got}"
    );
    let got = decide(
        CALENDAR,
        json!({"d": "2026-11-20", "e": "2026-11-20", "n": -1}),
    )["c"]
        .clone();
    assert!(
        got["error"]
            .as_str()
            .unwrap_or("")
            .contains("cannot count -1 working days"),
        "{got}"
    );
}

#[test]
fn diff_shows_the_cases_a_moved_date_changes() {
    let dir = std::env::temp_dir().join(format!("vouch-dated-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let body = "facts {\n  order.placed_at: instant\n}\nparam window = 7d; 10d from 2026-07-01\ndecision w {\n  else => v { window: window }\n}\n";
    let old = dir.join("old.vouch");
    let new = dir.join("new.vouch");
    std::fs::write(&old, format!("{DATED_HEADER}{body}")).expect("written");
    std::fs::write(
        &new,
        format!("{DATED_HEADER}{}", body.replace("2026-07-01", "2026-08-01")),
    )
    .expect("written");
    let corpus = dir.join("cases.jsonl");
    std::fs::write(
        &corpus,
        "{\"order\":{\"id\":\"a\",\"placed_at\":\"2026-06-15T10:00:00+08:00\"}}\n\
         {\"order\":{\"id\":\"b\",\"placed_at\":\"2026-07-15T10:00:00+08:00\"}}\n\
         {\"order\":{\"id\":\"c\",\"placed_at\":\"2026-08-15T10:00:00+08:00\"}}\n",
    )
    .expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args([
            "diff",
            &old.display().to_string(),
            &new.display().to_string(),
        ])
        .args([
            "--facts-jsonl",
            &corpus.display().to_string(),
            "--format",
            "json",
        ])
        .output()
        .expect("vouch runs");
    let report: Json = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["cases"], 3, "{report}");
    assert_eq!(
        report["changed_cases"], 1,
        "only the July order moves: {report}"
    );
    let example = &report["changes"][0]["examples"][0];
    assert_eq!(example["case"], "order b", "{report}");
    assert_eq!(example["old"]["window"], "10d");
    assert_eq!(example["new"]["window"], "7d");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explaining_records_the_calendar_rules_that_decided_each_day() {
    use vouch::program::DayRule::{Part, RestWeekday, WorkingWeekday};
    let source = SourceFile::new("t.vouch", format!("{HEADER}{CALENDAR}"));
    let program = vouch::load(&source).expect("the policy loads");
    // Parts: 0 the National Day range, 1 the working Sunday, 2 the working Saturday.
    // (d, e, n): `is_working_day(d)`, `working_day_after(d, n)`, `working_days_between(d, e)`.
    let table = [
        (("2026-11-21", "2026-11-21", 0), vec![RestWeekday]),
        (
            ("2026-09-30", "2026-10-09", 0),
            vec![WorkingWeekday, Part(0)],
        ),
        (
            ("2026-10-09", "2026-10-09", 1),
            vec![WorkingWeekday, Part(2)],
        ),
        (
            ("2026-09-28", "2026-09-25", 0),
            vec![WorkingWeekday, RestWeekday, Part(1)],
        ),
    ];
    for ((d, e, n), want) in table {
        let facts = json!({"d": d, "e": e, "n": n}).to_string();
        let facts = vouch::facts::decode(&program, &facts).expect("facts decode");
        let got: Vec<_> = vouch::eval::evaluate(&program, &facts, true)
            .calendar_days
            .into_iter()
            .map(|(c, rule)| {
                assert_eq!(c, 0);
                rule
            })
            .collect();
        assert!(
            got.len() == want.len() && want.iter().all(|w| got.contains(w)),
            "{d} {e} {n}: {got:?}"
        );
        // Deciding without explaining records nothing.
        assert!(vouch::eval::evaluate(&program, &facts, false)
            .calendar_days
            .is_empty());
    }
}
