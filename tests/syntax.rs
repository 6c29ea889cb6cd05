//! The parser: the shapes it builds, operator precedence, spans, and
//! errors reported all at once, in words.

use vouch::ast::*;
use vouch::source::SourceFile;
use vouch::syntax::{self, ParseError};

fn parse(text: &str) -> Result<Policy, Vec<ParseError>> {
    syntax::parse(&SourceFile::new("test.vouch", text))
}

fn parse_ok(text: &str) -> Policy {
    match parse(text) {
        Ok(p) => p,
        Err(errors) => {
            let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!("does not parse: {shown:?}\n{text}");
        }
    }
}

/// An expression, parsed as a parameter's value.
fn expr(text: &str) -> Expr {
    let mut policy = parse_ok(&format!("param x = {text}\n"));
    policy.params.remove(0).value
}

/// An expression as an s-expression, to compare shapes.
fn show(e: &Expr) -> String {
    match &e.node {
        ExprKind::Lit(l) => match l {
            Literal::Bool(b) => b.to_string(),
            Literal::Int(n) => n.to_string(),
            Literal::Money(m) => format!("¥{m}"),
            Literal::Percent(p) => format!("{p}%"),
            Literal::Duration(s) => format!("{s}s"),
            Literal::Months(n) => format!("{n}mo"),
            Literal::Time(h, m, s) => format!("{h}:{m}:{s}"),
            Literal::Date(d) => format!("date:{d}"),
            Literal::Instant(t) => format!("instant:{t}"),
            Literal::Text(t) => format!("{t:?}"),
            Literal::None => "none".into(),
        },
        ExprKind::Path(p) => p.clone(),
        ExprKind::Exists(p) => format!("(exists {})", p.node),
        ExprKind::Set(items) => format!("{{{}}}", join(items)),
        ExprKind::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{} => {}", show(k), show(v)))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        ExprKind::Call(f, args) => format!("({} {})", f.node, join(args)),
        ExprKind::Unary(UnOp::Not, a) => format!("(not {})", show(a)),
        ExprKind::Unary(UnOp::Neg, a) => format!("(neg {})", show(a)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), show(a), show(b)),
        ExprKind::Is {
            subject,
            negated,
            what,
        } => {
            let not = if *negated { "-not" } else { "" };
            format!("(is{not} {} {})", show(subject), what.node)
        }
        ExprKind::Index(m, k) => format!("(index {} {})", show(m), show(k)),
        ExprKind::If(c, t, f) => format!("(if {} {} {})", show(c), show(t), show(f)),
        ExprKind::Each {
            func,
            var,
            list,
            body,
        } => format!("({} {} {} {})", func.node, var.node, show(list), show(body)),
    }
}

fn join(items: &[Expr]) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(" ")
}

#[test]
fn operator_precedence() {
    let table = [
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("not a and b", "(and (not a) b)"),
        ("not a == b", "(not (== a b))"),
        ("a == b and c != d", "(and (== a b) (!= c d))"),
        ("x ?? ¥0 + ¥5", "(?? x (+ ¥0 ¥5))"),
        ("a == b ?? c", "(== a (?? b c))"),
        ("a + b * c", "(+ a (* b c))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c", "(* (/ a b) c)"),
        ("-a * b", "(* (neg a) b)"),
        ("a - -b", "(- a (neg b))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("a + b < c * d", "(< (+ a b) (* c d))"),
        ("a in s and b not in s", "(and (in a s) (not in b s))"),
        ("x is none or x > y", "(or (is x none) (> x y))"),
        ("x is not none", "(is-not x none)"),
        ("d is not_applicable", "(is d not_applicable)"),
        ("s - t is empty", "(- s (is t empty))"),
        ("t[k] is none", "(is (index t k) none)"),
        ("t[k] ?? ¥0", "(?? (index t k) ¥0)"),
        ("a ≤ b and c ≥ d", "(and (<= a b) (>= c d))"),
        ("a × b", "(* a b)"),
        ("if c then a else b + 1", "(if c a (+ b 1))"),
        (
            "exists order and order.paid",
            "(and (exists order) order.paid)",
        ),
        ("not exists order", "(not (exists order))"),
        ("min(a, b + 1, c,)", "(min a (+ b 1) c)"),
        ("missing_services() == {}", "(== (missing_services ) {})"),
    ];
    for (text, want) in table {
        assert_eq!(show(&expr(text)), want, "{text}");
    }
}

#[test]
fn keyword_operators_end_at_word_boundaries() {
    let table = [
        ("orders or notes", "(or orders notes)"),
        ("android and island", "(and android island)"),
        ("in_stock in stock_items", "(in in_stock stock_items)"),
        ("notable not in isles", "(not in notable isles)"),
        ("isolated is none", "(is isolated none)"),
        ("order.is_paid", "order.is_paid"),
        ("nonempty", "nonempty"),
        ("truefalse", "truefalse"),
    ];
    for (text, want) in table {
        assert_eq!(show(&expr(text)), want, "{text}");
    }
}

#[test]
fn literals() {
    let table = [
        ("¥300", "¥300"),
        ("¥99.90", "¥99.90"),
        ("￥24", "¥24"),
        ("60%", "60%"),
        ("12.5%", "12.5%"),
        ("6h", "21600s"),
        ("7d", "604800s"),
        ("1h30m", "5400s"),
        ("90s", "90s"),
        ("2d12h", "216000s"),
        ("16:00", "16:0:0"),
        ("23:59:59", "23:59:59"),
        ("2026-11-20", "date:2026-11-20"),
        (
            "2026-11-20T10:30:00+08:00",
            "instant:2026-11-20T10:30:00+08:00",
        ),
        ("2026-11-20T02:30:00Z", "instant:2026-11-20T02:30:00Z"),
        ("\"七天无理由退货\"", "\"七天无理由退货\""),
        ("true", "true"),
        ("false", "false"),
        ("none", "none"),
        ("14", "14"),
        ("{sf, zto,}", "{sf zto}"),
        ("{}", "{}"),
        (
            "[fresh => ¥24, beauty => ¥12]",
            "[fresh => ¥24, beauty => ¥12]",
        ),
    ];
    for (text, want) in table {
        assert_eq!(show(&expr(text)), want, "{text}");
    }
}

const WHOLE: &str = r#"
# A comment before the header.
policy anxin_gou {
  name     "抖音 安心购"
  platform "douyin"
  zone     "+08:00"
  source   s001 "001_2d62aea4fd92d899.txt"
}

enum category open { fresh "生鲜", beauty }

facts {
  merchant.services:  set<service>
  product.category:   category
  order.shipped_at:   instant?
  rules.fees:         map<category, money>
}

services {
  offered  merchant.services
  category product.category
  authenticity   "正品保障" required  cite s001 "正品保障"
  allergy_return "过敏包退" required for {beauty}
  same_day_ship  optional
}

param limit: money = ¥300 cite s001 "300元以内的商品"

decision eligible "doc" when exists merchant cite s001 "必选" {
  let missing = missing_services()
  if missing == {} => yes                    cite s001 "必选"
  require {
    order.shipped_at is none else shipped    cite s001 "发货"
  } else no { missing: missing }
  require { true else never } => maybe
    else no { missing: missing }
}
"#;

#[test]
fn a_whole_policy() {
    let p = parse_ok(WHOLE);
    let h = p.header.as_ref().expect("a header");
    assert_eq!(h.id.node, "anxin_gou");
    assert_eq!(
        h.name.as_ref().map(|n| n.node.as_str()),
        Some("抖音 安心购")
    );
    assert_eq!(h.platform.as_ref().map(|n| n.node.as_str()), Some("douyin"));
    assert_eq!(h.zone.as_ref().map(|n| n.node.as_str()), Some("+08:00"));
    assert_eq!(h.sources.len(), 1);
    assert_eq!(h.sources[0].id.node, "s001");

    assert_eq!(p.enums.len(), 1);
    let e = &p.enums[0];
    assert!(e.open);
    let variants: Vec<(&str, Option<&str>)> = e
        .variants
        .iter()
        .map(|v| {
            (
                v.name.node.as_str(),
                v.label.as_ref().map(|l| l.node.as_str()),
            )
        })
        .collect();
    assert_eq!(variants, [("fresh", Some("生鲜")), ("beauty", None)]);

    let facts: Vec<(&str, bool)> = p
        .facts
        .iter()
        .map(|f| (f.path.node.as_str(), f.ty.optional))
        .collect();
    assert_eq!(
        facts,
        [
            ("merchant.services", false),
            ("product.category", false),
            ("order.shipped_at", true),
            ("rules.fees", false),
        ]
    );
    assert!(matches!(&p.facts[0].ty.kind, TypeKind::Set(inner)
        if matches!(&inner.kind, TypeKind::Named(n) if n.node == "service")));
    assert!(matches!(&p.facts[3].ty.kind, TypeKind::Map(..)));

    let s = p.services.as_ref().expect("a services block");
    assert_eq!(s.offered.node, "merchant.services");
    assert_eq!(
        s.category.as_ref().map(|c| c.node.as_str()),
        Some("product.category")
    );
    assert!(matches!(s.services[0].requirement, Requirement::Required));
    assert!(s.services[0].cite.is_some());
    assert!(
        matches!(&s.services[1].requirement, Requirement::RequiredFor(e) if show(e) == "{beauty}")
    );
    assert!(matches!(s.services[2].requirement, Requirement::Optional));
    assert!(s.services[2].label.is_none());

    let param = &p.params[0];
    assert_eq!(param.name.node, "limit");
    assert!(param.ty.is_some());
    assert_eq!(
        param.cite.as_ref().map(|c| c.quote.node.as_str()),
        Some("300元以内的商品")
    );

    let d = &p.decisions[0];
    assert_eq!(d.name.node, "eligible");
    assert_eq!(d.doc.as_ref().map(|s| s.node.as_str()), Some("doc"));
    assert_eq!(
        d.trigger.as_ref().map(show).as_deref(),
        Some("(exists merchant)")
    );
    assert!(d.cite.is_some());
    assert_eq!(d.body.len(), 4);
    assert!(matches!(&d.body[0], Stmt::Let(n, _) if n.node == "missing"));
    assert!(
        matches!(&d.body[1], Stmt::Arm(Arm::If { outcome, cite: Some(_), .. })
        if outcome.name.node == "yes" && outcome.fields.is_empty())
    );
    match &d.body[2] {
        Stmt::Arm(Arm::Require {
            conditions,
            pass: None,
            fail,
            ..
        }) => {
            assert_eq!(conditions.len(), 1);
            assert_eq!(conditions[0].reason.node, "shipped");
            assert!(conditions[0].cite.is_some());
            assert_eq!(fail.name.node, "no");
            assert_eq!(fail.fields[0].0.node, "missing");
        }
        other => panic!("expected a guard, found {other:?}"),
    }
    assert!(
        matches!(&d.body[3], Stmt::Arm(Arm::Require { pass: Some(o), .. })
        if o.name.node == "maybe")
    );
}

#[test]
fn equality_ignores_spans() {
    let tight = "policy p{zone \"+08:00\"}\nparam x=a+b*c\ndecision d{else=>yes{v:x}}\n";
    let loose = "policy p {\n  zone \"+08:00\"\n}\n\n# spaced out\nparam x = a + b * c\n\ndecision d {\n  else => yes { v: x }\n}\n";
    assert_eq!(parse_ok(tight), parse_ok(loose));
    assert_ne!(parse_ok(tight), parse_ok(&loose.replace("b * c", "c * b")));
}

#[test]
fn spans_cover_the_construct_without_trailing_comments() {
    let text = "decision d {\n  if a => yes   # why\n\n  else => no  # otherwise\n}\n";
    let p = parse_ok(text);
    let source = SourceFile::new("test.vouch", text);
    let spans: Vec<&str> = p.decisions[0]
        .body
        .iter()
        .map(|s| match s {
            Stmt::Arm(Arm::If { span, .. } | Arm::Else { span, .. }) => source.slice(*span),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(spans, ["if a => yes", "else => no"]);
    assert_eq!(source.slice(p.decisions[0].name.span), "d");
    // A `#` inside a quoted text is not a comment.
    let text = "param x = \"#1\" cite s \"a # b\"   # comment\n";
    let p = parse_ok(text);
    let source = SourceFile::new("test.vouch", text);
    assert_eq!(
        source.slice(p.params[0].span),
        "param x = \"#1\" cite s \"a # b\""
    );
}

#[test]
fn every_broken_item_is_reported_at_once() {
    let text = "policy p { zone \"+08:00\" }\n\
                param a = 6x\n\
                param b = ¥300\n\
                decision c {\n  if x > 1 yes\n  else => no\n}\n\
                decision d {\n  else => yes\n}\n\
                param e = = 3\n";
    let errors = parse(text).expect_err("three items are broken");
    let source = SourceFile::new("test.vouch", text);
    let lines: Vec<usize> = errors
        .iter()
        .map(|e| source.line_col(e.span.offset()).0)
        .collect();
    assert_eq!(lines, [2, 5, 11]);
}

#[test]
fn parse_errors_are_in_words() {
    let broken = [
        "param x = 6x\n",
        "decision d {\n  if a yes\n  else => no\n}\n",
        "decision d {\n  if a = b => yes\n  else => no\n}\n",
        "facts {\n  order.amount: money\n\ndecision d {\n  else => no\n}\n",
        "rule r {}\n",
        "decision d {\n  if a =>\n  else => no\n}\n",
        "decision d {\n  require {\n    a\n  } => yes else no\n}\n",
        "policy p {\n  name \"open\n}\n",
        "decision d {\n  else => pay { a: 1 b: 2 }\n}\n",
        "policy p {\n  owner \"me\"\n}\n",
        "param in = 3\n",
        "decision d {\n}\n",
        "param x = ¥\n",
        "param x = if a b else c\n",
        "facts {\n  order.amount money\n}\n",
        "enum e { }\n",
        "services {\n  fast_refund required\n}\n",
        "param x: set<money = {}\n",
    ];
    // Grammar rule names must never reach a person.
    let rule_names = [
        "EOI",
        "expr",
        "primary",
        "infix",
        "prefix",
        "postfix",
        "ident",
        "ident_raw",
        "path",
        "if_arm",
        "else_arm",
        "require_arm",
        "let_stmt",
        "param_decl",
        "fact_decl",
        "type_expr",
        "named_type",
        "outcome_name",
        "map_lit",
        "set_lit",
        "cond_expr",
        "header_entry",
        "service_decl",
        "enum_decl",
        "facts_block",
        "item",
    ];
    for text in broken {
        let errors = parse(text).expect_err(text);
        assert_eq!(errors.len(), 1, "one mistake, one error: {text}");
        let e = &errors[0];
        let words = format!("{} {}", e.message, e.help.clone().unwrap_or_default());
        for word in words.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            assert!(!rule_names.contains(&word), "`{word}` in: {words}");
        }
        assert!(
            e.message.starts_with("expected ") || e.message.contains("no closing"),
            "{}",
            e.message
        );
    }
}
