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

/// The lints of one decision over `facts`; the two enums it may use are
/// declared whether or not it does, so `unused-enum` is left out.
fn decision(facts: &str, rules: &str) -> Vec<String> {
    let mut found = lints(&format!(
        "enum kind {{ a, b }}\nenum cat open {{ fresh, beauty }}\nfacts {{\n{facts}\n}}\n\
         decision d cite s1 \"q\" {{\n{rules}\n}}\n"
    ));
    found.retain(|l| l != "unused-enum");
    found
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

/// Facts give amounts in whole fen: nothing lies between ¥0 and ¥0.01.
#[test]
fn amounts_are_counted_in_fen() {
    let found = decision(
        "x.m: money",
        "if x.m > ¥0 and x.m < ¥0.01 => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
    let found = decision(
        "x.m: money",
        "if x.m > ¥0 and x.m < ¥0.02 => yes\nelse => no",
    );
    assert!(found.is_empty(), "¥0.01 fits: {found:?}");
    let found = decision("x.m: money", "if x.m >= ¥1 and x.m < ¥1 => yes\nelse => no");
    assert_eq!(found, ["constant-condition"]);
}

/// Amounts computed from facts are not counted in fen, nor at least ¥0.
#[test]
fn computed_amounts_are_dense_and_may_be_negative() {
    let found = decision(
        "x.m: money\nx.n: money",
        "if x.m - x.n > ¥0 and x.m - x.n < ¥0.01 => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
    let found = decision(
        "x.m: money\nx.n: money",
        "if x.m - x.n < ¥0 => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_difference_bounded_twice_contradicts() {
    let found = decision(
        "x.a: instant\nx.b: instant",
        "if x.a <= x.b + 6h and x.a > x.b + 7h => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"]);
    let found = decision(
        "x.a: instant\nx.b: instant",
        "if x.a <= x.b + 7h and x.a > x.b + 6h => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
    let found = decision(
        "x.a: instant\nx.b: instant",
        "if x.a - 6h <= x.b and x.b + 7h < x.a => yes\nelse => no",
    );
    assert_eq!(found, ["constant-condition"], "offsets on either side");
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

/// Two decisions over the facts `x.k: kind` and `x.m: money`.
fn two_decisions(first: &str, second: &str) -> Vec<String> {
    let mut found = lints(&format!(
        "enum kind {{ a, b }}\nfacts {{\n  x.k: kind\n  x.m: money\n}}\n\
         decision first cite s1 \"q\" {{\n{first}\n}}\n{second}\n"
    ));
    found.retain(|l| l != "unused-enum" && l != "unused-fact");
    found
}

#[test]
fn an_outcome_implies_the_conditions_that_lead_to_it() {
    let first = "if x.k == a => yes\nelse => no";
    let found = two_decisions(
        first,
        "decision second when first is yes and x.k == b cite s1 \"q\" { else => r }",
    );
    assert_eq!(found, ["trigger-contradicts-outcome"]);
    let found = two_decisions(
        first,
        "decision second when first is no and x.k == b cite s1 \"q\" { else => r }",
    );
    assert!(found.is_empty(), "{found:?}");
    // `no` is the else of `x.k == a`: `first is no` implies `x.k == b`.
    let found = two_decisions(
        first,
        "decision second when first is no and x.k == a cite s1 \"q\" { else => r }",
    );
    assert_eq!(found, ["trigger-contradicts-outcome"]);
}

#[test]
fn an_outcome_through_a_require_implies_every_condition() {
    let first = "require {\n  x.k == a else not_a\n  x.m < ¥100 else too_much\n} => yes else no";
    let found = two_decisions(
        first,
        "decision second cite s1 \"q\" {\n  if first is yes and x.m >= ¥100 => r\n  else => s\n}",
    );
    assert_eq!(found, ["and-for-or"]);
    // `no` holds when either condition fails: nothing follows about `x.m`.
    let found = two_decisions(
        first,
        "decision second cite s1 \"q\" {\n  if first is no and x.m < ¥100 => r\n  else => s\n}",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn not_applicable_means_the_trigger_failed() {
    let first = "if x.k == a => yes\nelse => no";
    let found = lints(
        "enum kind { a, b }\nfacts {\n  x.k: kind\n}\n\
         decision first when x.k == a cite s1 \"q\" { else => yes }\n\
         decision second when first is not_applicable and x.k == a cite s1 \"q\" { else => r }\n",
    );
    assert_eq!(found, ["trigger-contradicts-outcome"], "{first}");
}

#[test]
fn a_value_equals_itself() {
    let found = decision("x.n: int", "if x.n < x.n => yes\nelse => no");
    assert_eq!(found, ["self-comparison"]);
    let found = decision("x.t: instant", "if x.t <= x.t + 6h => yes\nelse => no");
    assert_eq!(found, ["self-comparison"]);
    let found = decision(
        "x.t: instant\nx.u: instant",
        "if x.t <= x.u + 6h => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn money_in_the_facts_is_never_negative() {
    let found = decision("x.m: money", "if x.m >= ¥0 => yes\nelse => no");
    assert_eq!(found, ["money-never-negative"]);
    let found = decision("x.m: money", "if x.m < ¥0 => yes\nelse => no");
    assert_eq!(found, ["money-never-negative"]);
    let found = decision("x.m: money", "if x.m <= ¥0 => yes\nelse => no");
    assert!(found.is_empty(), "¥0 itself is an amount: {found:?}");
}

#[test]
fn a_divisor_kept_from_zero_by_the_rules_above_is_safe() {
    let found = decision(
        "x.n: int\nx.d: int",
        "if x.d == 0 => none\nif x.n / x.d >= 50% => yes\nelse => no",
    );
    assert!(found.is_empty(), "{found:?}");
    let found = decision(
        "x.n: int\nx.d: int",
        "if x.d == 1 => none\nif x.n / x.d >= 50% => yes\nelse => no",
    );
    assert_eq!(found, ["division-by-zero"]);
    let found = decision(
        "x.n: int\nx.d: int",
        "else => r { v: if x.d > 0 then x.n / x.d else 0% }",
    );
    assert!(found.is_empty(), "{found:?}");
}

/// `unreachable-outcome` points at the conditions that conflict, not at
/// every condition of the rule.
#[test]
fn an_unreachable_outcome_names_the_smallest_conflict() {
    let source = vouch::source::SourceFile::new(
        "t.vouch",
        format!(
            "{HEADER}enum kind {{ a, b }}\nfacts {{\n  x.k: kind\n  x.m: money\n  x.n: money\n}}\n\
             decision d cite s1 \"q\" {{\n  require {{\n    x.m > ¥100 else low\n    x.k == a else not_a\n    \
             x.n > ¥5 else small\n    x.m < ¥50 else high\n  }} => yes else no\n}}\n"
        ),
    );
    let found = vouch::diagnose(&source);
    let f = found
        .iter()
        .find(|f| f.code == "vouch::lint::unreachable-outcome")
        .expect("`yes` is unreachable");
    let marked: Vec<&str> = f
        .related
        .iter()
        .map(|(span, _)| &source.text[span.start..span.end])
        .collect();
    assert_eq!(marked, ["x.m > ¥100", "x.m < ¥50"]);
}

/// The lints of decisions over two lists of items, `o.a` and `o.b`.
fn items(body: &str) -> Vec<String> {
    let mut found = lints(&format!(
        "facts {{\n  o.a: list<{{q: int}}>\n  o.b: list<{{q: int}}>\n}}\n{body}\n"
    ));
    found.retain(|l| l != "unused-fact");
    found
}

#[test]
fn per_item_rules_over_two_lists_say_nothing_of_each_other() {
    // Both items are bound at the same depth, but the second rule's items
    // are not the first's: `o.b` may hold an item below 3.
    let found = items(
        "decision d cite s1 \"q\" {\n  require every i in o.a { i.q > 5 else small } else no\n  \
         require any j in o.b { j.q < 3 else big } => yes else no\n}",
    );
    assert!(found.is_empty(), "{found:?}");
    // Nor does an outcome reached through a per-item rule.
    let found = items(
        "decision d cite s1 \"q\" {\n  require every i in o.a { i.q > 5 else small } => yes else no\n}\n\
         decision e when d is yes cite s1 \"q\" {\n  require any j in o.b { j.q < 3 else big } => yes else no\n}",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn no_item_meets_conditions_that_contradict_each_other() {
    let conditions = "{\n    i.q > 5 else small\n    i.q < 3 else big\n  }";
    // `any` then never passes ...
    let found = items(&format!(
        "decision d cite s1 \"q\" {{\n  require any i in o.a {conditions} => yes else no\n}}"
    ));
    assert_eq!(found, ["unreachable-outcome"]);
    // ... but `every` passes on an empty list.
    let found = items(&format!(
        "decision d cite s1 \"q\" {{\n  require every i in o.a {conditions} => yes else no\n}}"
    ));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_per_item_condition_constant_by_itself_is_reported() {
    let found = items(
        "decision d cite s1 \"q\" {\n  require any i in o.a { i.q > 5 and i.q < 3 else odd } => yes else no\n}",
    );
    assert_eq!(found, ["constant-condition"]);
    // Always true for every item, yet `any` fails on an empty list.
    let found = items(
        "decision d cite s1 \"q\" {\n  require any i in o.a { i.q > 5 or i.q <= 5 else odd } => yes else no\n}",
    );
    assert_eq!(found, ["constant-condition"]);
}
