//! The reasoning behind the condition lints, case by case: what it proves
//! and, as important, what it must not claim.

use vouch::source::SourceFile;

const HEADER: &str = "policy t {\n  zone \"+08:00\"\n  source s1 \"t.txt\"\n}\n";

/// The lint names found in a policy made of the header and `body`.
fn lints(body: &str) -> Vec<String> {
    let source = SourceFile::new("t.vouch", format!("{HEADER}{body}"));
    vouch::diagnose(&source)
        .iter()
        .map(|f| {
            f.code
                .strip_prefix("vouch::lint::")
                .unwrap_or(f.code)
                .to_string()
        })
        .collect()
}

fn decision(facts: &str, rules: &str) -> Vec<String> {
    lints(&format!(
        "enum kind {{ a, b }}\nenum cat open {{ fresh, beauty }}\nfacts {{\n{facts}\n}}\n\
         decision d cite s1 \"q\" {{\n{rules}\n}}\n"
    ))
}

#[test]
fn a_closed_enum_covered_by_two_tests_always_holds() {
    let found = decision("x.k: kind", "if x.k == a or x.k == b => yes\nelse => no");
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn an_open_enum_is_never_covered_by_its_variants() {
    let found = decision(
        "x.c: cat",
        "if x.c == fresh or x.c == beauty => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
    let found = decision(
        "x.c: cat",
        "if x.c == fresh or x.c != fresh => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn whole_numbers_have_nothing_between_them() {
    let found = decision("x.n: int", "if x.n > 0 and x.n < 1 => yes\nelse => no");
    assert_eq!(found, ["constant-condition"]);
    let found = decision("x.n: int", "if x.n > 0 and x.n < 2 => yes\nelse => no");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn amounts_are_dense() {
    let found = decision(
        "x.m: money",
        "if x.m > ¥0 and x.m < ¥0.01 => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
    let found = decision("x.m: money", "if x.m >= ¥1 and x.m < ¥1 => yes\nelse => no");
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn none_and_not_none_exclude_each_other() {
    let found = decision(
        "x.t: instant?",
        "if x.t is none and x.t is not none => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn two_facts_compared_both_ways_contradict() {
    let found = decision(
        "x.a: instant\nx.b: instant",
        "if x.a < x.b and x.b < x.a => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
    let found = decision(
        "x.a: instant\nx.b: instant",
        "if x.a <= x.b and x.b <= x.a => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn lets_are_seen_through() {
    let found = decision(
        "x.m: money",
        "let big = x.m > ¥500\nif big and x.m < ¥100 => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn parameters_are_constants() {
    let found = lints(
        "facts { x.m: money }\nparam limit = ¥300 cite s1 \"q\"\n\
         decision d cite s1 \"q\" {\n  if limit > ¥500 and x.m > ¥1 => yes\n  else => no\n}\n",
    );
    assert_eq!(found, ["constant-condition"]);
}

#[test]
fn a_decision_without_trigger_is_never_not_applicable() {
    let found = lints(
        "facts { x.m: money }\n\
         decision a cite s1 \"q\" {\n  if x.m > ¥1 => yes\n  else => no\n}\n\
         decision b when a is not_applicable cite s1 \"q\" {\n  else => never\n}\n",
    );
    assert_eq!(found, ["unreachable-decision"]);
}

#[test]
fn rules_above_decide_first() {
    let found = decision(
        "x.m: money",
        "if x.m <= ¥300 => small\nif x.m > ¥300 => big\nelse => none",
    );
    assert_eq!(found, ["unreachable-outcome"]);
}

#[test]
fn a_require_whose_conditions_contradict_never_passes() {
    let found = decision(
        "x.m: money",
        "require {\n  x.m <= ¥300 else over\n  x.m > ¥500 else under\n} => pass else fail",
    );
    assert_eq!(found, ["unreachable-outcome"]);
}

#[test]
fn earlier_requires_guarantee_later_conditions() {
    let found = decision(
        "x.m: money",
        "require {\n  x.m <= ¥300 else over\n} else fail\n\
         require {\n  x.m <= ¥500 else way_over\n  x.m > ¥1 else tiny\n} => pass else fail",
    );
    assert_eq!(found, ["unused-reason"]);
}

#[test]
fn bands_written_in_order_do_not_overlap() {
    let found = decision(
        "x.m: money",
        "if x.m <= ¥300 => small\nif x.m <= ¥500 => medium\nelse => large",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn rules_about_different_values_may_overlap() {
    let found = decision(
        "x.m: money\nx.k: kind",
        "if x.m <= ¥300 => small\nif x.k == a => special\nelse => other",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_same_bound_on_both_sides_is_consistent() {
    let found = decision(
        "x.m: money",
        "if x.m < ¥300 => small\nif x.m >= ¥300 and x.m < ¥900 => big\nelse => huge",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_param_bound_in_a_sum_is_a_threshold() {
    let found = lints(
        "facts {\n  x.t: instant\n  x.u: instant\n}\nparam window = 6h cite s1 \"q\"\n\
         decision a cite s1 \"q\" {\n  if x.u <= x.t + window => yes\n  else => no\n}\n\
         decision b cite s1 \"q\" {\n  if x.u < x.t + window => yes\n  else => no\n}\n",
    );
    assert_eq!(found, ["suspicious-bounds"]);
}
