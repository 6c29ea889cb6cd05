//! The checker: how names resolve, where optionals are narrowed, the
//! program it builds, and the findings it reports.

use rust_decimal::Decimal;
use vouch::diagnostic::{Finding, Level};
use vouch::program::Program;
use vouch::source::SourceFile;
use vouch::types::{Type, Value};

const HEADER: &str = "policy test { zone \"+08:00\" source s001 \"001.txt\" }\n";

fn check(body: &str) -> Result<Program, Vec<Finding>> {
    let source = SourceFile::new("test.vouch", format!("{HEADER}{body}"));
    let ast = vouch::syntax::parse(&source).unwrap_or_else(|e| panic!("parse: {e:?}\n{body}"));
    vouch::check::check(&source, &ast)
}

fn check_ok(body: &str) -> Program {
    match check(body) {
        Ok(p) => p,
        Err(findings) => {
            let shown: Vec<String> = findings
                .iter()
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect();
            panic!("expected no findings, got {shown:?}\n{body}")
        }
    }
}

/// The codes of the findings, in source order.
fn codes(body: &str) -> Vec<&'static str> {
    match check(body) {
        Ok(_) => Vec::new(),
        Err(findings) => findings.iter().map(|f| f.code).collect(),
    }
}

const SHIPPING: &str = r#"
facts {
  order.placed_at:         instant
  order.shipped_at:        instant?
  order.received_at:       instant?
  after_sale.requested_at: instant
}
"#;

#[test]
fn optionals_are_usable_only_where_none_is_ruled_out() {
    // (a decision body, whether it checks)
    let table = [
        ("if order.shipped_at is none or order.shipped_at > order.placed_at => a\nelse => b", true),
        ("if order.shipped_at is not none and order.shipped_at > order.placed_at => a\nelse => b", true),
        ("if not (order.shipped_at is none) and order.shipped_at > order.placed_at => a\nelse => b", true),
        ("if order.shipped_at is none => a\nif order.shipped_at > order.placed_at => b\nelse => c", true),
        ("if order.shipped_at is none => a\nelse => b { late: order.shipped_at > order.placed_at }", true),
        ("require { order.shipped_at is not none else r } else a\nif order.shipped_at > order.placed_at => b\nelse => c", true),
        ("require { order.shipped_at is not none else r } => a { late: order.shipped_at > order.placed_at } else b", true),
        ("let s = order.shipped_at\nif s is none => a\nelse => b { late: s > order.placed_at }", true),
        ("else => a { v: if order.shipped_at is none then false else order.shipped_at > order.placed_at }", true),
        ("if (order.shipped_at ?? order.placed_at) > order.placed_at => a\nelse => b", true),
        // Not ruled out:
        ("if order.shipped_at > order.placed_at => a\nelse => b", false),
        ("if order.shipped_at is none and order.shipped_at > order.placed_at => a\nelse => b", false),
        ("if order.shipped_at is not none or order.shipped_at > order.placed_at => a\nelse => b", false),
        ("if order.shipped_at is not none => a\nif order.shipped_at > order.placed_at => b\nelse => c", false),
        ("if order.received_at is none => a\nif order.shipped_at > order.placed_at => b\nelse => c", false),
        ("require { order.shipped_at is none else r } else a\nif order.shipped_at > order.placed_at => b\nelse => c", false),
        ("else => a { v: if order.shipped_at is none then order.shipped_at > order.placed_at else false }", false),
    ];
    for (body, ok) in table {
        let policy = format!("{SHIPPING}decision d {{\n{body}\n}}\n");
        let found = codes(&policy);
        if ok {
            assert!(found.is_empty(), "should check: {body}\n{found:?}");
        } else {
            assert_eq!(
                found,
                ["vouch::check::maybe_none"],
                "should not check: {body}"
            );
        }
    }
}

#[test]
fn arithmetic_on_an_optional_is_optional() {
    let body = format!(
        "{SHIPPING}decision d {{ else => r {{ gap: order.shipped_at - order.placed_at }} }}\n"
    );
    let program = check_ok(&body);
    let gap = &program.decisions[0].outcomes[0].fields[0].1;
    assert_eq!(*gap, Type::Duration.optional());
}

#[test]
fn a_trigger_narrows_the_whole_decision() {
    let body = format!(
        "{SHIPPING}decision d when order.received_at is not none {{\n\
         if after_sale.requested_at <= order.received_at + 24h => in_time\n\
         else => late {{ at: order.received_at }}\n}}\n"
    );
    let program = check_ok(&body);
    let late = &program.decisions[0].outcomes[1];
    // Narrowed, the field is a plain instant.
    assert_eq!(late.fields[0].1, Type::Instant);
}

#[test]
fn a_bare_name_is_a_variant_where_an_enum_is_expected() {
    // `fast_refund` names a service and a decision; `merchant.services`
    // makes it the service.
    let body = r#"
facts { merchant.services: set<service> }
services {
  offered merchant.services
  fast_refund required
  door_pickup optional
}
decision fast_refund {
  if fast_refund not in merchant.services => not_offered
  else => offered
}
decision uses_decision {
  if fast_refund is offered => yes
  else => no
}
"#;
    let program = check_ok(body);
    let json = r#"{"merchant": {"services": ["door_pickup"]}}"#;
    let facts = vouch::facts::decode(&program, json).expect("facts");
    let result = vouch::eval::evaluate(&program, &facts, false);
    let out = vouch::output::render::case_json(&program, &result, false);
    assert_eq!(out["decisions"]["fast_refund"]["outcome"], "not_offered");
    assert_eq!(out["decisions"]["uses_decision"]["outcome"], "no");
}

#[test]
fn lets_shadow_nothing_and_params_come_before_facts() {
    let body = r#"
facts { limit: money }
param limit = ¥300
decision d { else => r { v: limit } }
"#;
    let program = check_ok(body);
    let ty = &program.decisions[0].outcomes[0].fields[0].1;
    assert_eq!(*ty, Type::Money);
    assert_eq!(
        codes("param limit = ¥1\ndecision d {\n let limit = ¥2\n else => r\n}\n"),
        ["vouch::check::duplicate_name"]
    );
}

#[test]
fn parameters_are_computed_when_the_policy_is_checked() {
    let body = r#"
enum category { fresh, beauty }
facts { merchant.services: set<service> }
services {
  offered merchant.services
  authenticity required
  same_day_ship optional
}
param limit = ¥300
param doubled = limit * 2 + ¥0.5
param share = 3 / 5
param cutoff = 16:00
param window = 1h30m
param fresh: set<category> = {fresh}
param mandatory = mandatory_services()
decision d { else => yes }
"#;
    let program = check_ok(body);
    let value = |name: &str| {
        let p = program.params.iter().find(|p| p.name == name).expect(name);
        (p.ty.clone(), p.value.clone())
    };
    assert_eq!(
        value("limit"),
        (Type::Money, Value::Money(Decimal::new(300, 0)))
    );
    assert_eq!(
        value("doubled"),
        (Type::Money, Value::Money(Decimal::new(6005, 1)))
    );
    let (ty, share) = value("share");
    assert_eq!(ty, Type::Ratio);
    assert!(matches!(share, Value::Ratio(r) if (r.num, r.den) == (3, 5)));
    assert_eq!(value("cutoff"), (Type::Time, Value::Time(16 * 3600)));
    assert_eq!(value("window"), (Type::Duration, Value::Duration(5400)));
    let (ty, fresh) = value("fresh");
    assert!(matches!(ty, Type::Set(_)));
    assert!(matches!(fresh, Value::Set(items) if items.len() == 1));
    let (_, mandatory) = value("mandatory");
    let Value::Set(items) = mandatory else {
        panic!("a set")
    };
    let names: Vec<&str> = items
        .iter()
        .map(|v| match v {
            Value::Variant(i) => &*program.variants[*i as usize].1,
            other => panic!("a variant, not {other:?}"),
        })
        .collect();
    assert_eq!(names, ["authenticity"]);
}

#[test]
fn decisions_are_ordered_after_the_decisions_they_use() {
    let body = r#"
decision label { if eligible is yes => shown else => hidden }
decision eligible { if scope is yes => yes else => no }
decision scope { else => yes }
"#;
    let program = check_ok(body);
    let order: Vec<&str> = program
        .order
        .iter()
        .map(|&i| &*program.decisions[i].name)
        .collect();
    assert_eq!(order, ["scope", "eligible", "label"]);
    let deps: Vec<&str> = program.decisions[0]
        .deps
        .iter()
        .map(|&i| &*program.decisions[i].name)
        .collect();
    assert_eq!(deps, ["eligible"]);
}

#[test]
fn the_zone_and_header_are_read() {
    let source = SourceFile::new(
        "z.vouch",
        "policy p { name \"安心购\" platform \"douyin\" zone \"UTC-05:30\" }\n",
    );
    let program = vouch::load(&source).expect("loads");
    assert_eq!(&*program.id, "p");
    assert_eq!(program.display_name.as_deref(), Some("安心购"));
    assert_eq!(program.platform.as_deref(), Some("douyin"));
    assert_eq!(program.zone.local_minus_utc(), -(5 * 3600 + 30 * 60));
}

#[test]
fn every_mistake_is_reported_at_once_in_source_order() {
    let body = r#"
facts { order.amount: money }
param limit = 6h
decision a { if order.amount > limit => yes else => no }
decision b { if order.amuont > ¥1 => yes else => no }
decision c { if order.amount => yes else => no }
"#;
    assert_eq!(
        codes(body),
        [
            "vouch::check::type_mismatch",
            "vouch::check::unknown_fact",
            "vouch::check::type_mismatch",
        ]
    );
}

#[test]
fn findings_carry_a_code_a_message_and_a_suggestion() {
    let findings = check(
        "facts { order.amount: money }\ndecision d { if order.amuont > ¥1 => yes else => no }\n",
    )
    .expect_err("a typo");
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.code, "vouch::check::unknown_fact");
    assert_eq!(f.level, Level::Error);
    assert_eq!(f.message, "unknown fact `order.amuont`");
    assert_eq!(f.help.as_deref(), Some("did you mean `order.amount`?"));
    let source = format!("{HEADER}facts {{ order.amount: money }}\n");
    let start = source.len() + "decision d { if ".len();
    assert_eq!(
        (f.span.start, f.span.end),
        (start, start + "order.amuont".len())
    );
}

#[test]
fn messages_follow_the_house_style() {
    // Lowercase, no final period, one line, no Rust type names.
    let broken = [
        "facts { a: mony }",
        "facts { a: money }\ndecision d { if a > 6h => y else => n }",
        "param p = 1\nparam p = 2",
        "decision d { if x => y else => n }",
        "decision d { if true => y }",
        "decision d { else => y\n if true => n }",
        "decision d { else => undetermined }",
        "decision d { else => y { reasons: {} } }",
        "param p = 1 / 0",
        "param p = 25:00",
        "decision d { else => y { t: frob(1) } }",
        "decision d { else => y { t: min(1) } }",
        "param p = ¥1 cite s002 \"x\"",
        "facts { a: instant? }\ndecision d { if a < a => y else => n }",
    ];
    for body in broken {
        let findings = check(body).expect_err(body);
        for f in &findings {
            let m = &f.message;
            assert!(!m.is_empty() && !m.ends_with('.'), "{m}");
            assert!(!m.contains('\n'), "{m}");
            assert!(m.chars().next().is_some_and(|c| !c.is_uppercase()), "{m}");
            for rust in [
                "Option", "Decimal", "Vec<", "i64", "String", "DateTime", "Type::",
            ] {
                assert!(!m.contains(rust), "{m}");
            }
            assert!(f.code.starts_with("vouch::check::"), "{}", f.code);
        }
    }
}
