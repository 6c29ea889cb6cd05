//! The evaluation errors a checked policy can still meet on some facts
//! (`vouch::eval::*`): each decided through `vouch eval`, whose `error`
//! names the place in the policy and whose `--explain` names the facts read.

use crate::common::vouch;

const DIR: &str = "tests/fixtures/eval-errors";

/// `vouch check`, then `vouch eval` with and without `--explain`, as one
/// transcript.
fn transcript(name: &str, facts: &str) -> String {
    let policy = format!("{DIR}/{name}.vouch");
    let facts = format!("{DIR}/{facts}.json");
    let (code, out, err) = vouch(&["check", &policy]);
    assert_eq!(code, 0, "the fixture must pass `vouch check`: {out}{err}");
    let mut text = String::new();
    for explain in [false, true] {
        let mut args = vec!["eval", policy.as_str(), "--facts", facts.as_str()];
        if explain {
            args.extend(["--explain", "--format", "text"]);
        }
        let (code, out, err) = vouch(&args);
        assert_eq!(code, 1, "an `error` outcome exits 1: {out}{err}");
        text.push_str(&format!(
            "$ vouch {}\n{out}\n(stderr) {err}\n",
            args.join(" ")
        ));
    }
    text
}

#[test]
fn too_far_apart_names_the_dates_and_the_line() {
    let out = transcript("too-far-apart", "too-far-apart");
    assert!(out.contains("vouch::eval::too_far_apart") || out.contains("too far apart"));
    assert!(out.contains("1990-01-01 and 2100-01-01"), "{out}");
    assert!(out.contains("too-far-apart.vouch:19:"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn absent_field_names_the_field_and_the_line() {
    let out = transcript("absent-field", "absent-field");
    assert!(out.contains("the field `weight_kg` is absent"), "{out}");
    assert!(out.contains("the field `fragile` is absent"), "{out}");
    assert!(out.contains("absent-field.vouch:15:"), "{out}");
    assert!(out.contains("absent-field.vouch:20:"), "{out}");
    insta::assert_snapshot!(out);
}

/// Records in a list inside an item: an absent field is an error naming it
/// (it was `undetermined`, missing `order.items[1].parts`, a fact that was
/// there), and `--explain` shows each record's own field names (the inner
/// records showed the outer item's: `{sku: bolt, parts: ¥5.00}`).
#[test]
fn a_list_inside_an_item_keeps_its_own_fields() {
    let out = transcript("nested-list", "nested-list");
    assert!(out.contains("the field `price` is absent"), "{out}");
    assert!(!out.contains("missing"), "{out}");
    assert!(out.contains("{name: bolt, price: ¥5.00}"), "{out}");
    assert!(out.contains("{name: washer}"), "{out}");
    insta::assert_snapshot!(out);
}

/// `no_as_of_date` cannot come from `vouch eval`: the checker takes only a
/// non-optional `instant` or `date` as `as_of` (`vouch::check::bad_as_of`),
/// and the facts decoder refuses null for a fact that is not optional, as
/// the first half shows. A program that sets facts itself can leave the
/// fact without a date, and meets the error there.
#[test]
fn no_as_of_date_names_the_fact_and_the_parameter() {
    let policy = format!("{DIR}/no-as-of-date.vouch");
    let null_facts = format!("{DIR}/no-as-of-date-null.json");
    let (code, out, err) = vouch(&["eval", &policy, "--facts", &null_facts]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("order.placed_at"), "{err}");
    let mut text = format!("$ vouch eval {policy} --facts {null_facts}\n{out}\n(stderr) {err}\n");

    let source = vouch::source::SourceFile::new(
        policy.as_str(),
        std::fs::read_to_string(&policy).expect("the fixture"),
    );
    let program = vouch::load(&source).expect("the fixture loads");
    let json = std::fs::read_to_string(format!("{DIR}/no-as-of-date.json")).expect("the facts");
    let mut facts = vouch::facts::decode(&program, &json).expect("the facts decode");
    let leaf = program
        .facts
        .leaves
        .iter()
        .position(|l| &*l.path == "order.placed_at")
        .expect("the fact") as u32;
    facts.set(&program.facts, leaf, vouch::types::Value::None);
    let result = vouch::eval::evaluate(&program, &facts, false);
    let decided = vouch::output::render::case_json(&program, &result, false);
    let error = decided["decisions"]["in_window"]["error"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        error.contains("`order.placed_at` holds no date to pick the value of `window` by"),
        "{decided}"
    );
    assert!(error.contains("no-as-of-date.vouch:20:"), "{error}");
    text.push_str(&format!(
        "order.placed_at set to none by the embedding program:\n{}\n",
        serde_json::to_string_pretty(&decided).expect("JSON")
    ));
    insta::assert_snapshot!(text);
}
