//! `vouch eval --explain`: snapshots of explanations of the shipped policies
//! (text and JSON), and a table of counterfactuals.
//!
//! Each `fixtures/explain/PLATFORM/POLICY/*.json` holds the facts of one case
//! decided by `rules/PLATFORM/POLICY.vouch`; a new fixture is a new test.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn vouch(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("the vouch binary runs");
    let stdout = String::from_utf8(out.stdout).expect("output is UTF-8");
    (out.status.code().unwrap_or(-1), stdout)
}

/// The policy of a fixture: `fixtures/explain/douyin/anxin-gou/x.json` → `rules/douyin/anxin-gou.vouch`.
fn policy_of(fixture: &Path) -> (String, String) {
    let rel = fixture
        .strip_prefix(ROOT)
        .expect("fixtures live in the crate")
        .to_str()
        .expect("fixture paths are UTF-8")
        .replace('\\', "/");
    let dir = rel
        .strip_prefix("tests/fixtures/explain/")
        .and_then(|r| r.rsplit_once('/'))
        .map(|(d, _)| d)
        .expect("fixtures sit in PLATFORM/POLICY folders");
    (format!("rules/{dir}.vouch"), rel)
}

#[test]
fn explanations_as_text() {
    insta::glob!("fixtures/explain", "**/*.json", |path| {
        let (policy, facts) = policy_of(path);
        let (code, out) = vouch(&[
            "eval",
            &policy,
            "--facts",
            &facts,
            "--explain",
            "--format",
            "text",
        ]);
        assert_eq!(code, 0, "{out}");
        insta::assert_snapshot!("text", out);
    });
}

#[test]
fn explanations_as_json() {
    insta::glob!("fixtures/explain", "**/*.json", |path| {
        let (policy, facts) = policy_of(path);
        let (code, out) = vouch(&[
            "eval",
            &policy,
            "--facts",
            &facts,
            "--explain",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{out}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        insta::assert_json_snapshot!("json", json);
    });
}

#[test]
fn explain_off_adds_no_trace() {
    let (_, out) = vouch(&[
        "eval",
        "rules/douyin/anxin-gou.vouch",
        "--facts",
        "tests/fixtures/explain/douyin/anxin-gou/fast-refund-over-limit.json",
        "--format",
        "json",
    ]);
    assert!(!out.contains("\"trace\""), "{out}");
    assert!(!out.contains("\"uses\""), "{out}");
}

mod counterfactuals {
    use vouch::eval::{evaluate, StepKind, StepResult};
    use vouch::source::SourceFile;

    /// A policy with one decision `d` whose one condition is `cond`.
    fn policy(facts: &str, params: &str, cond: &str) -> String {
        format!(
            "policy p {{ zone \"+08:00\" }}\n\
             facts {{\n{facts}\n}}\n\
             {params}\n\
             decision d {{\n  require {{\n    {cond} else failed\n  }} => pass else fail\n}}\n"
        )
    }

    /// What the explanation says would make the failed condition hold.
    fn said(facts_decl: &str, params: &str, cond: &str, facts: &str) -> Vec<String> {
        let text = policy(facts_decl, params, cond);
        let source = SourceFile::new("p.vouch", text.as_str());
        let program = vouch::load(&source)
            .unwrap_or_else(|e| panic!("the policy loads: {:?}\n{text}", e.diagnostics().len()));
        let facts = vouch::facts::decode(&program, facts).expect("facts decode");
        let result = evaluate(&program, &facts, true);
        let step = result.decisions[0]
            .trace
            .iter()
            .find(|s| matches!(s.kind, StepKind::Condition { .. }))
            .expect("the condition was evaluated");
        assert_eq!(step.result, StepResult::Failed, "the condition fails");
        step.counterfactual
            .iter()
            .map(|a| vouch::output::explain::alternative_text(&program, 0, a))
            .collect()
    }

    const MONEY: &str = "order.amount: money";
    const TIMES: &str =
        "order.placed_at: instant\n after_sale.requested_at: instant\n order.shipped_at: instant?";

    #[test]
    fn at_most_keeps_the_bound() {
        assert_eq!(
            said(
                MONEY,
                "param limit = ¥300",
                "order.amount <= limit",
                r#"{"order": {"amount": "329.00"}}"#
            ),
            ["pass if order.amount ≤ ¥300.00; it is ¥329.00"]
        );
    }

    #[test]
    fn below_stays_strict() {
        assert_eq!(
            said(
                MONEY,
                "param limit = ¥1000",
                "order.amount < limit",
                r#"{"order": {"amount": "1000.00"}}"#
            ),
            ["pass if order.amount < ¥1000.00; it is ¥1000.00"]
        );
    }

    #[test]
    fn the_other_side_flips() {
        assert_eq!(
            said(
                MONEY,
                "param limit = ¥300",
                "limit >= order.amount",
                r#"{"order": {"amount": "300.01"}}"#
            ),
            ["pass if order.amount ≤ ¥300.00; it is ¥300.01"]
        );
    }

    #[test]
    fn a_multiple_rounds_to_the_fen_that_passes() {
        let facts = r#"{"order": {"amount": "40.00"}}"#;
        assert_eq!(
            said(MONEY, "", "order.amount * 3 <= ¥100", facts),
            ["pass if order.amount ≤ ¥33.33; it is ¥40.00"]
        );
        assert_eq!(
            said(MONEY, "", "order.amount * 3 < ¥100", facts),
            ["pass if order.amount ≤ ¥33.33; it is ¥40.00"]
        );
        let facts = r#"{"order": {"amount": "20.00"}}"#;
        assert_eq!(
            said(MONEY, "", "order.amount * 3 >= ¥100", facts),
            ["pass if order.amount ≥ ¥33.34; it is ¥20.00"]
        );
    }

    #[test]
    fn a_share_rounds_to_the_whole_number_that_passes() {
        let decl = "shop.orders: int\n shop.trust: int";
        let cond = "shop.trust / shop.orders >= share";
        let facts = r#"{"shop": {"orders": 201, "trust": 100}}"#;
        assert_eq!(
            said(decl, "param share = 60%", cond, facts),
            ["pass if shop.trust ≥ 121; it is 100"]
        );
        let facts = r#"{"shop": {"orders": 200, "trust": 100}}"#;
        assert_eq!(
            said(decl, "param share = 60%", cond, facts),
            ["pass if shop.trust ≥ 120; it is 100"]
        );
    }

    #[test]
    fn a_window_is_solved_for_the_instant() {
        let facts = r#"{"order": {"placed_at": "2026-11-20T08:00:00+08:00"},
                        "after_sale": {"requested_at": "2026-11-20T15:10:00+08:00"}}"#;
        assert_eq!(
            said(TIMES, "param window = 6h", "after_sale.requested_at <= order.placed_at + window", facts),
            ["pass if after_sale.requested_at ≤ 2026-11-20T14:00:00+08:00; it is 2026-11-20T15:10:00+08:00"]
        );
        assert_eq!(
            said(TIMES, "param window = 6h", "order.placed_at + window >= after_sale.requested_at", facts),
            ["pass if order.placed_at ≥ 2026-11-20T09:10:00+08:00; it is 2026-11-20T08:00:00+08:00"]
        );
        assert_eq!(
            said(TIMES, "param window = 6h", "after_sale.requested_at - window < order.placed_at", facts),
            ["pass if after_sale.requested_at < 2026-11-20T14:00:00+08:00; it is 2026-11-20T15:10:00+08:00"]
        );
    }

    #[test]
    fn a_local_time_of_day() {
        let facts = r#"{"order": {"placed_at": "2026-11-20T16:00:00+08:00"},
                        "after_sale": {"requested_at": "2026-11-20T16:00:00+08:00"}}"#;
        assert_eq!(
            said(
                TIMES,
                "param cutoff = 16:00",
                "time_of(order.placed_at) < cutoff",
                facts
            ),
            ["pass if time_of(order.placed_at) < 16:00; it is 16:00"]
        );
    }

    #[test]
    fn or_gives_each_way_and_gives_all_at_once() {
        let facts = r#"{"order": {"placed_at": "2026-11-20T08:00:00+08:00", "shipped_at": "2026-11-20T09:00:00+08:00"},
                        "after_sale": {"requested_at": "2026-11-20T10:00:00+08:00"}}"#;
        assert_eq!(
            said(TIMES, "", "order.shipped_at is none or order.shipped_at > after_sale.requested_at", facts),
            [
                "pass if order.shipped_at is none; it is 2026-11-20T09:00:00+08:00",
                "pass if order.shipped_at > 2026-11-20T10:00:00+08:00; it is 2026-11-20T09:00:00+08:00",
            ]
        );
        let decl = "a.kind: kind\n a.reason: reason";
        let enums =
            "enum kind { refund_only, return_refund }\nenum reason { not_received, quality }";
        let facts = r#"{"a": {"kind": "return_refund", "reason": "quality"}}"#;
        assert_eq!(
            said(decl, enums, "a.kind == refund_only and a.reason == not_received", facts),
            ["pass if a.kind = refund_only (it is return_refund) and a.reason = not_received (it is quality)"]
        );
    }

    #[test]
    fn not_and_in_compose() {
        let decl = "m.kind: kind";
        let enums = "enum kind { domestic, cross_border, auction }\nparam excluded: set<kind> = {cross_border, auction}";
        let facts = r#"{"m": {"kind": "auction"}}"#;
        assert_eq!(
            said(decl, enums, "m.kind not in excluded", facts),
            ["pass if m.kind not in {cross_border, auction}; it is auction"]
        );
        assert_eq!(
            said(decl, enums, "not (m.kind in excluded)", facts),
            ["pass if m.kind not in {cross_border, auction}; it is auction"]
        );
        assert_eq!(
            said(
                MONEY,
                "param limit = ¥300",
                "not (order.amount > limit)",
                r#"{"order": {"amount": "329.00"}}"#
            ),
            ["pass if order.amount ≤ ¥300.00; it is ¥329.00"]
        );
    }

    #[test]
    fn a_flag() {
        assert_eq!(
            said(
                "p.flash_buy: bool",
                "",
                "not p.flash_buy",
                r#"{"p": {"flash_buy": true}}"#
            ),
            ["pass if p.flash_buy = false; it is true"]
        );
    }

    #[test]
    fn says_nothing_it_cannot_stand_behind() {
        // The fact on both sides: solving one side with the other held fixed
        // would be wrong, and the check drops it.
        assert!(said(
            MONEY,
            "",
            "order.amount + order.amount <= ¥100",
            r#"{"order": {"amount": "60.00"}}"#
        )
        .is_empty());
        // Nothing to solve for.
        assert!(said(
            "s.items: set<int>",
            "",
            "size(s.items) >= 3",
            r#"{"s": {"items": [1]}}"#
        )
        .is_empty());
        assert!(said(
            TIMES,
            "",
            "order.shipped_at is not none",
            r#"{"order": {"shipped_at": null}}"#
        )
        .is_empty());
        // No amount has two decimals between ¥33.33 and ¥33.34.
        assert!(said(
            MONEY,
            "",
            "order.amount * 3 == ¥100",
            r#"{"order": {"amount": "40.00"}}"#
        )
        .is_empty());
    }
}
