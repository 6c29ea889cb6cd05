//! Evaluation semantics, as tables: facts in, expected decision out.

use serde_json::{json, Value as Json};
use vouch::source::SourceFile;

/// Load `body` after a header in the +08:00 zone, decide `facts`, and
/// return the decisions as the contract's JSON.
fn decide(body: &str, facts: &str) -> Json {
    let text = format!("policy test {{ zone \"+08:00\" }}\n{body}");
    let source = SourceFile::new("test.vouch", text);
    let program = match vouch::load(&source) {
        Ok(p) => p,
        Err(e) => {
            let shown: Vec<String> = e
                .diagnostics()
                .into_iter()
                .map(|d| vouch::output::render::diagnostic(d, false))
                .collect();
            panic!("the test policy does not load:\n{}", shown.join("\n"));
        }
    };
    let facts = vouch::facts::decode(&program, facts).expect("the test facts are read");
    let result = vouch::eval::evaluate(&program, &facts, false);
    vouch::output::render::case_json(&program, &result, false)["decisions"].clone()
}

/// The single field `v` of decision `d`, which must have decided `r`.
fn value(decisions: &Json) -> Json {
    let d = &decisions["d"];
    assert_eq!(d["outcome"], "r", "{d}");
    d["v"].clone()
}

const LOGIC: &str = r#"
facts {
  a: bool
  b: bool
}
decision both   { else => r { v: a and b } }
decision either { else => r { v: a or b } }
decision negate { else => r { v: not a } }
"#;

#[test]
fn and_or_follow_kleene_logic() {
    // (facts, a and b, a or b, not a); "?" is undetermined.
    let table = [
        (r#"{"a": true,  "b": true}"#, "true", "true", "false"),
        (r#"{"a": true,  "b": false}"#, "false", "true", "false"),
        (r#"{"a": false, "b": false}"#, "false", "false", "true"),
        (r#"{"a": false}"#, "false", "?", "true"),
        (r#"{"a": true}"#, "?", "true", "false"),
        (r#"{"b": false}"#, "false", "?", "?"),
        (r#"{"b": true}"#, "?", "true", "?"),
        (r#"{}"#, "?", "?", "?"),
    ];
    for (facts, and, or, not) in table {
        let out = decide(LOGIC, facts);
        for (decision, want) in [("both", and), ("either", or), ("negate", not)] {
            let d = &out[decision];
            let got = match d["outcome"].as_str() {
                Some("undetermined") => "?".to_string(),
                _ => d["v"].to_string(),
            };
            assert_eq!(got, want, "{decision} with {facts}: {d}");
        }
    }
}

#[test]
fn unknown_on_both_sides_reports_both_facts() {
    let out = decide(LOGIC, "{}");
    assert_eq!(out["both"]["missing_facts"], json!(["a", "b"]));
    assert_eq!(out["negate"]["missing_facts"], json!(["a"]));
}

const CHAIN: &str = r#"
enum kind { refund_only, counterfeit }
facts {
  after_sale.kind:   kind
  after_sale.amount: money
  order.amount:      money
}
decision small when exists after_sale and after_sale.kind == refund_only {
  if after_sale.amount <= ¥300 => yes { amount: after_sale.amount }
  else => no
}
decision review {
  if small is not_applicable => skip
  if small is yes => fast { amount: small.amount }
  else => slow
}
decision field_only {
  else => r { v: small.amount }
}
decision lazy {
  let unused = order.amount * 2
  else => done
}
"#;

#[test]
fn decisions_pass_on_what_they_could_not_decide() {
    let table = [
        // No after-sale: `small` does not apply, and says so to `review`.
        (r#"{}"#, "not_applicable", "skip", Json::Null),
        (
            r#"{"after_sale": {"kind": "counterfeit", "amount": "5.00"}}"#,
            "not_applicable",
            "skip",
            Json::Null,
        ),
        (
            r#"{"after_sale": {"kind": "refund_only", "amount": "5.00"}}"#,
            "yes",
            "fast",
            json!("5.00"),
        ),
        (
            r#"{"after_sale": {"kind": "refund_only", "amount": "500.00"}}"#,
            "no",
            "slow",
            Json::Null,
        ),
    ];
    for (facts, small, review, field) in table {
        let out = decide(CHAIN, facts);
        assert_eq!(out["small"]["outcome"], small, "{facts}: {out}");
        assert_eq!(out["review"]["outcome"], review, "{facts}: {out}");
        assert_eq!(out["field_only"]["v"], field, "{facts}: {out}");
        assert_eq!(
            out["lazy"]["outcome"], "done",
            "a let nobody reads needs no facts"
        );
    }
}

#[test]
fn undetermined_propagates_through_decisions() {
    let out = decide(CHAIN, r#"{"after_sale": {"kind": "refund_only"}}"#);
    for d in ["small", "review", "field_only"] {
        assert_eq!(out[d]["outcome"], "undetermined", "{d}: {out}");
        assert_eq!(out[d]["missing_facts"], json!(["after_sale.amount"]), "{d}");
    }
    // A trigger that cannot be decided leaves the decision undetermined.
    let out = decide(CHAIN, r#"{"after_sale": {"amount": "1.00"}}"#);
    assert_eq!(out["small"]["outcome"], "undetermined");
    assert_eq!(out["small"]["missing_facts"], json!(["after_sale.kind"]));
}

const REQUIRE: &str = r#"
facts {
  order.amount: money
  order.items:  int
  order.paid:   bool
}
decision d {
  require {
    order.amount < ¥1000 else amount_limit
    order.items <= 5     else too_many
    order.paid           else unpaid
  } => agree else manual
}
"#;

#[test]
fn require_reports_every_failing_condition_in_order() {
    let table = [
        (
            r#"{"order": {"amount": "5.00", "items": 1, "paid": true}}"#,
            "agree",
            None,
        ),
        (
            r#"{"order": {"amount": "1000.00", "items": 1, "paid": true}}"#,
            "manual",
            Some(json!(["amount_limit"])),
        ),
        (
            r#"{"order": {"amount": "1000.00", "items": 9, "paid": false}}"#,
            "manual",
            Some(json!(["amount_limit", "too_many", "unpaid"])),
        ),
        (
            r#"{"order": {"amount": "5.00", "items": 9, "paid": false}}"#,
            "manual",
            Some(json!(["too_many", "unpaid"])),
        ),
    ];
    for (facts, outcome, reasons) in table {
        let d = &decide(REQUIRE, facts)["d"];
        assert_eq!(d["outcome"], outcome, "{facts}: {d}");
        assert_eq!(d.get("reasons").cloned(), reasons, "{facts}: {d}");
    }
}

#[test]
fn require_with_an_unknown_condition_is_undetermined_even_if_another_failed() {
    let d = &decide(REQUIRE, r#"{"order": {"amount": "5000.00", "paid": true}}"#)["d"];
    assert_eq!(d["outcome"], "undetermined", "{d}");
    assert_eq!(d["missing_facts"], json!(["order.items"]));
}

#[test]
fn an_undetermined_outcome_lists_the_facts_of_every_field() {
    let body = r#"
facts {
  x: money
  y: money
}
decision d { else => r { a: x, b: y } }
"#;
    let d = &decide(body, "{}")["d"];
    assert_eq!(d["missing_facts"], json!(["x", "y"]), "{d}");
}

#[test]
fn money_rounds_half_away_from_zero_to_the_fen() {
    let body = r#"
facts {
  m: money
  r: ratio
  n: int
}
decision d { else => r { v: m * r } }
decision split { else => r { v: m / n } }
decision whole { else => r { v: m * n } }
"#;
    // (money, ratio, int, money × ratio, money / int, money × int)
    let table = [
        ("10.01", "33%", 3, "3.30", "3.34", "30.03"),
        ("0.05", "50%", 2, "0.03", "0.03", "0.10"),
        ("0.15", "50%", 2, "0.08", "0.08", "0.30"),
        ("0.25", "10%", 4, "0.03", "0.06", "1.00"),
        ("100.00", "12.5%", 8, "12.50", "12.50", "800.00"),
        ("10.00", "0%", 3, "0.00", "3.33", "30.00"),
        ("20.00", "100%", 3, "20.00", "6.67", "60.00"),
    ];
    for (m, r, n, times_ratio, by_int, times_int) in table {
        let facts = format!(r#"{{"m": "{m}", "r": "{r}", "n": {n}}}"#);
        let out = decide(body, &facts);
        assert_eq!(out["d"]["v"], times_ratio, "{m} × {r}");
        assert_eq!(out["split"]["v"], by_int, "{m} / {n}");
        assert_eq!(out["whole"]["v"], times_int, "{m} × {n}");
    }
}

#[test]
fn negative_money_rounds_away_from_zero_too() {
    let body = "param p = -¥0.05 * 50%\ndecision d { else => r { v: p } }";
    assert_eq!(value(&decide(body, "{}")), "-0.03");
}

#[test]
fn ratios_compare_exactly() {
    let body = r#"
facts {
  a: int
  b: int
  limit: ratio
}
decision d { else => r { v: a / b >= limit } }
"#;
    let table = [
        (2, 3, "66.67%", false),
        (2, 3, "66.66%", true),
        (3, 5, "60%", true),
        (3, 5, "0.6", true),
        (599, 1000, "60%", false),
        (1, 3, "33.333333333333%", true),
    ];
    for (a, b, limit, want) in table {
        let facts = format!(r#"{{"a": {a}, "b": {b}, "limit": "{limit}"}}"#);
        assert_eq!(value(&decide(body, &facts)), want, "{a}/{b} >= {limit}");
    }
}

#[test]
fn money_shares_are_ratios() {
    let body = r#"
facts { m: money }
decision d { else => r { v: m / ¥300 >= 50% } }
"#;
    assert_eq!(value(&decide(body, r#"{"m": "150.00"}"#)), true);
    assert_eq!(value(&decide(body, r#"{"m": "149.99"}"#)), false);
}

const TIME: &str = r#"
facts {
  t: instant
  u: instant
  day: date
}
decision d { else => r { v: t } }
decision dates {
  else => r {
    day:       date_of(t),
    time:      time_of(t),
    start:     start_of_day(t),
    end:       end_of_day(t),
    t_plus_2:  at(date_of(t) + 2d, 04:00),
    before:    day - 1d,
    gap:       day - date_of(t),
    elapsed:   u - t,
    same:      t == u,
  }
}
"#;

#[test]
fn calendar_functions_work_in_the_policy_zone() {
    // 23:30 UTC is already the next day in +08:00.
    let out = decide(
        TIME,
        r#"{"t": "2026-11-30T23:30:00Z", "u": "2026-12-01T07:30:00+08:00", "day": "2026-12-01"}"#,
    );
    let d = &out["dates"];
    assert_eq!(d["day"], "2026-12-01");
    assert_eq!(d["time"], "07:30");
    assert_eq!(d["start"], "2026-12-01T00:00:00+08:00");
    assert_eq!(d["end"], "2026-12-01T23:59:59+08:00");
    assert_eq!(d["t_plus_2"], "2026-12-03T04:00:00+08:00");
    assert_eq!(d["before"], "2026-11-30");
    assert_eq!(d["gap"], "0s");
    // The same moment written in two zones.
    assert_eq!(d["elapsed"], "0s");
    assert_eq!(d["same"], true);
    assert_eq!(out["d"]["v"], "2026-12-01T07:30:00+08:00");
}

#[test]
fn dates_move_by_whole_days_across_months_and_years() {
    let out = decide(
        TIME,
        r#"{"t": "2026-12-30T23:00:00+08:00", "u": "2027-01-01T01:00:00+08:00", "day": "2024-03-01"}"#,
    );
    let d = &out["dates"];
    assert_eq!(d["t_plus_2"], "2027-01-01T04:00:00+08:00");
    assert_eq!(d["before"], "2024-02-29", "2024 is a leap year");
    assert_eq!(d["elapsed"], "1d2h");
}

#[test]
fn earliest_and_latest_skip_none() {
    let body = r#"
facts {
  a: instant?
  b: instant?
  c: instant
}
decision d { else => r { v: earliest(a, b, c) } }
decision last { else => r { v: latest(a, b) } }
"#;
    let table = [
        (
            r#"{"a": null, "b": null, "c": "2026-11-20T10:00:00+08:00"}"#,
            json!("2026-11-20T10:00:00+08:00"),
            Json::Null,
        ),
        (
            r#"{"a": "2026-11-21T10:00:00+08:00", "b": null, "c": "2026-11-22T10:00:00+08:00"}"#,
            json!("2026-11-21T10:00:00+08:00"),
            json!("2026-11-21T10:00:00+08:00"),
        ),
        (
            r#"{"a": "2026-11-21T10:00:00+08:00", "b": "2026-11-20T03:00:00Z", "c": "2026-11-22T10:00:00+08:00"}"#,
            json!("2026-11-20T11:00:00+08:00"),
            json!("2026-11-21T10:00:00+08:00"),
        ),
    ];
    for (facts, earliest, latest) in table {
        let out = decide(body, facts);
        assert_eq!(value(&out), earliest, "{facts}");
        assert_eq!(out["last"]["v"], latest, "{facts}");
    }
    // An absent argument is unknown, not none.
    let out = decide(body, r#"{"a": null, "c": "2026-11-20T10:00:00+08:00"}"#);
    assert_eq!(out["d"]["outcome"], "undetermined");
    assert_eq!(out["d"]["missing_facts"], json!(["b"]));
}

#[test]
fn set_operations() {
    let body = r#"
enum s { a, b, c }
facts {
  x: set<s>
  y: set<s>
}
decision d {
  else => r {
    v:        x + y,
    minus:    x - y,
    size:     size(x + y),
    equal:    x == y,
    empty:    (x - y) is empty,
    has_a:    a in x,
    lacks_c:  c not in x,
  }
}
"#;
    let out = decide(body, r#"{"x": ["a", "b"], "y": ["b", "c"]}"#);
    let d = &out["d"];
    assert_eq!(d["v"], json!(["a", "b", "c"]));
    assert_eq!(d["minus"], json!(["a"]));
    assert_eq!(d["size"], 3);
    assert_eq!(d["equal"], false);
    assert_eq!(d["empty"], false);
    assert_eq!(d["has_a"], true);
    assert_eq!(d["lacks_c"], true);
    // Sets compare as sets: order and repeats do not matter.
    let d = &decide(body, r#"{"x": ["b", "a", "a"], "y": ["a", "b"]}"#)["d"];
    assert_eq!(d["equal"], true);
    assert_eq!(d["empty"], true);
}

#[test]
fn tables_give_none_for_a_missing_key() {
    let body = r#"
enum s { a, b }
facts { k: s }
param fees: map<s, money> = [a => ¥10]
decision d { else => r { v: fees[k] ?? ¥0, known: k in fees } }
"#;
    let d = &decide(body, r#"{"k": "a"}"#)["d"];
    assert_eq!(
        (d["v"].clone(), d["known"].clone()),
        (json!("10.00"), json!(true))
    );
    let d = &decide(body, r#"{"k": "b"}"#)["d"];
    assert_eq!(
        (d["v"].clone(), d["known"].clone()),
        (json!("0.00"), json!(false))
    );
}

#[test]
fn open_enum_values_equal_only_themselves() {
    let body = r#"
enum courier open { sf, zto }
facts { c: courier }
decision d { else => r { v: c in {sf, zto}, same: c == sf } }
"#;
    let d = &decide(body, r#"{"c": "jd"}"#)["d"];
    assert_eq!(
        (d["v"].clone(), d["same"].clone()),
        (json!(false), json!(false))
    );
    let d = &decide(body, r#"{"c": "sf"}"#)["d"];
    assert_eq!(
        (d["v"].clone(), d["same"].clone()),
        (json!(true), json!(true))
    );
}

#[test]
fn trigger_and_rule_order() {
    let body = r#"
facts {
  order.amount: money
  order.vip:    bool
}
decision d when exists order {
  if order.vip => vip
  if order.amount > ¥100 => large
  else => small
}
"#;
    let table = [
        (r#"{}"#, "not_applicable"),
        (r#"{"order": null}"#, "not_applicable"),
        (r#"{"order": {"vip": true}}"#, "vip"),
        (r#"{"order": {"vip": false, "amount": "100.01"}}"#, "large"),
        (r#"{"order": {"vip": false, "amount": "100.00"}}"#, "small"),
        // The first rule cannot be decided: the later ones are not tried.
        (r#"{"order": {"amount": "500.00"}}"#, "undetermined"),
    ];
    for (facts, want) in table {
        assert_eq!(decide(body, facts)["d"]["outcome"], want, "{facts}");
    }
}

#[test]
fn evaluation_errors_are_outcomes_not_panics() {
    let body = r#"
facts {
  n: int
  zero: int
  m: money
  d_: duration
  t: instant
  day: date
  r: ratio
}
decision int_overflow    { else => r { v: n * n * n } }
decision int_division    { else => r { v: n / zero } }
decision money_division  { else => r { v: m / zero } }
decision money_by_money  { else => r { v: m / (m - m) } }
decision money_overflow  { else => r { v: m * n * n * n } }
decision duration_zero   { else => r { v: d_ / 0s } }
decision ratio_zero      { else => r { v: r / 0% } }
decision instant_far     { else => r { v: t + d_ * n } }
decision partial_day     { else => r { v: day + (t - start_of_day(t)) } }
decision negate_min      { else => r { v: -(n * n * 0 - 9223372036854775807 - 1) } }
decision fine            { else => r { v: n } }
"#;
    let out = decide(
        body,
        r#"{"n": 3000000000, "zero": 0, "m": "99999999999999.99", "d_": "100000d",
            "t": "2026-11-20T00:00:00Z", "day": "2026-11-20", "r": "50%"}"#,
    );
    for (decision, message) in [
        ("int_overflow", "too large"),
        ("int_division", "division by zero"),
        ("money_division", "division by zero"),
        ("money_by_money", "division by zero"),
        ("money_overflow", "too large"),
        ("duration_zero", "division by zero"),
        ("ratio_zero", "division by zero"),
        ("instant_far", "too large"),
        ("partial_day", "whole days"),
        ("negate_min", "too large"),
    ] {
        let d = &out[decision];
        assert_eq!(d["outcome"], "error", "{decision}: {d}");
        let error = d["error"].as_str().expect("an error message");
        assert!(error.contains(message), "{decision}: {error}");
        assert!(
            error.contains("test.vouch:"),
            "{decision} names the place: {error}"
        );
    }
    assert_eq!(
        out["fine"]["v"], 3000000000i64,
        "other decisions are still decided"
    );
}

#[test]
fn errors_propagate_through_decisions() {
    let body = r#"
facts { n: int }
decision broken { if n / 0 > 100% => big else => small }
decision user   { if broken is big => yes else => no }
"#;
    let out = decide(body, r#"{"n": 1}"#);
    assert_eq!(out["broken"]["outcome"], "error");
    assert_eq!(out["user"]["outcome"], "error");
}

#[test]
fn integer_division_is_exact() {
    let body = "param third = 1 / 3\ndecision d { else => r { v: third * 3 == 1 / 1 } }";
    assert_eq!(value(&decide(body, "{}")), true);
}
