//! Pest pairs → AST, one function per grammar rule.

use std::sync::OnceLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::errors::ParseError;
use super::Rule;
use crate::ast::*;
use crate::source::{Name, SourceFile, Span, Spanned};

pub(super) struct Lowerer<'s> {
    source: &'s SourceFile,
    offset: usize,
    pub errors: Vec<ParseError>,
    /// How many `expr` calls are open: the nesting check runs on the outermost.
    expr_level: usize,
    /// Where lowering stopped descending into an expression nested too deep.
    cut: Option<Span>,
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::prefix(Rule::not_op))
            .op(Op::infix(Rule::eq_op, Assoc::Left)
                | Op::infix(Rule::ne_op, Assoc::Left)
                | Op::infix(Rule::lt_op, Assoc::Left)
                | Op::infix(Rule::le_op, Assoc::Left)
                | Op::infix(Rule::gt_op, Assoc::Left)
                | Op::infix(Rule::ge_op, Assoc::Left)
                | Op::infix(Rule::in_op, Assoc::Left)
                | Op::infix(Rule::not_in_op, Assoc::Left))
            .op(Op::infix(Rule::coalesce_op, Assoc::Left))
            .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
            .op(Op::infix(Rule::mul_op, Assoc::Left) | Op::infix(Rule::div_op, Assoc::Left))
            .op(Op::prefix(Rule::neg_op))
            .op(Op::postfix(Rule::is_test) | Op::postfix(Rule::index))
    })
}

impl<'s> Lowerer<'s> {
    pub fn new(source: &'s SourceFile, offset: usize) -> Self {
        Lowerer {
            source,
            offset,
            errors: Vec::new(),
            expr_level: 0,
            cut: None,
        }
    }

    /// A pair's span without the whitespace and comments pest skips after
    /// its last token (a rule ending in `x?` keeps them when `x` is absent).
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let end = s.start() + trimmed_len(pair.as_str());
        Span::new(s.start() + self.offset, end + self.offset)
    }

    fn name(&self, pair: Pair<Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.span(&pair))
    }

    fn string(&self, pair: Pair<Rule>) -> Spanned<String> {
        let s = pair.as_str();
        Spanned::new(s[1..s.len() - 1].to_string(), self.span(&pair))
    }

    fn error(&mut self, span: Span, message: String, help: Option<&str>) {
        let mut e = ParseError::new(self.source, span, message, "here");
        if let Some(h) = help {
            e = e.with_help(h);
        }
        self.errors.push(e);
    }

    pub fn file(&mut self, pair: Pair<Rule>, policy: &mut Policy) {
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::header => {
                    let span = self.span(&item);
                    let h = self.header(item);
                    if policy.header.is_some() {
                        self.error(
                            span,
                            "a second `policy` header".into(),
                            Some("a file holds one policy"),
                        );
                    } else {
                        policy.header = Some(h);
                    }
                }
                Rule::enum_decl => policy.enums.push(self.enum_decl(item)),
                Rule::facts_block => {
                    for f in item.into_inner() {
                        policy.facts.push(self.fact_decl(f));
                    }
                }
                Rule::services_block => {
                    let span = self.span(&item);
                    let block = self.services_block(item);
                    if policy.services.is_some() {
                        self.error(
                            span,
                            "a second `services` block".into(),
                            Some("list every service in one block"),
                        );
                    } else {
                        policy.services = Some(block);
                    }
                }
                Rule::param_decl => policy.params.push(self.param_decl(item)),
                Rule::calendar_decl => policy.calendars.push(self.calendar_decl(item)),
                Rule::decision => policy.decisions.push(self.decision(item)),
                Rule::EOI => {}
                other => unreachable!("unexpected item {other:?}"),
            }
        }
    }

    fn header(&mut self, pair: Pair<Rule>) -> Header {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.name(inner.next().unwrap());
        let mut header = Header {
            id,
            name: None,
            platform: None,
            zone: None,
            sources: Vec::new(),
            as_of: None,
            span,
        };
        for entry in inner {
            let rule = entry.as_rule();
            let entry_span = self.span(&entry);
            let mut parts = entry.into_inner();
            let slot = match rule {
                Rule::name_entry => &mut header.name,
                Rule::platform_entry => &mut header.platform,
                Rule::zone_entry => &mut header.zone,
                Rule::source_entry => {
                    let id = self.name(parts.next().unwrap());
                    let title = self.string(parts.next().unwrap());
                    let file = parts
                        .next()
                        .map(|f| self.string(f.into_inner().next().unwrap()));
                    header.sources.push(Source { id, title, file });
                    continue;
                }
                Rule::as_of_entry => {
                    let path = self.name(parts.nth(1).unwrap());
                    if header.as_of.is_some() {
                        self.error(entry_span, "this header entry is given twice".into(), None);
                    }
                    header.as_of = Some(path);
                    continue;
                }
                other => unreachable!("unexpected header entry {other:?}"),
            };
            let value = self.string(parts.next().unwrap());
            if slot.is_some() {
                self.error(entry_span, "this header entry is given twice".into(), None);
            }
            *slot = Some(value);
        }
        header
    }

    fn enum_decl(&mut self, pair: Pair<Rule>) -> EnumDecl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        let name = self.name(inner.next().unwrap());
        let open = inner.peek().is_some_and(|p| p.as_rule() == Rule::open_kw);
        if open {
            inner.next();
        }
        let variants = inner
            .map(|v| {
                let mut parts = v.into_inner();
                let name = self.name(parts.next().unwrap());
                let label = parts.next().map(|s| self.string(s));
                Variant { name, label }
            })
            .collect();
        EnumDecl {
            name,
            open,
            variants,
            span,
        }
    }

    fn fact_decl(&mut self, pair: Pair<Rule>) -> FactDecl {
        let mut inner = pair.into_inner();
        let path = self.name(inner.next().unwrap());
        let ty = self.type_expr(inner.next().unwrap());
        FactDecl { path, ty }
    }

    fn type_expr(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let base = inner.next().unwrap();
        let optional = inner.next().is_some();
        let kind = match base.as_rule() {
            Rule::named_type => TypeKind::Named(self.name(base.into_inner().next().unwrap())),
            Rule::set_type => {
                TypeKind::Set(Box::new(self.type_expr(base.into_inner().next().unwrap())))
            }
            Rule::list_type => {
                TypeKind::List(Box::new(self.type_expr(base.into_inner().next().unwrap())))
            }
            Rule::map_type => {
                let mut parts = base.into_inner();
                let k = self.type_expr(parts.next().unwrap());
                let v = self.type_expr(parts.next().unwrap());
                TypeKind::Map(Box::new(k), Box::new(v))
            }
            Rule::record_type => TypeKind::Record(
                base.into_inner()
                    .map(|f| {
                        let mut parts = f.into_inner();
                        let name = self.name(parts.next().unwrap());
                        (name, self.type_expr(parts.next().unwrap()))
                    })
                    .collect(),
            ),
            other => unreachable!("unexpected type {other:?}"),
        };
        TypeExpr {
            kind,
            optional,
            span,
        }
    }

    fn services_block(&mut self, pair: Pair<Rule>) -> ServicesBlock {
        let span = self.span(&pair);
        let mut offered = None;
        let mut category = None;
        let mut services = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::offered_entry => offered = Some(self.name(p.into_inner().next().unwrap())),
                Rule::category_entry => category = Some(self.name(p.into_inner().next().unwrap())),
                Rule::service_decl => services.push(self.service_decl(p)),
                other => unreachable!("unexpected services entry {other:?}"),
            }
        }
        ServicesBlock {
            offered: offered.expect("the grammar requires `offered`"),
            category,
            services,
            span,
        }
    }

    fn service_decl(&mut self, pair: Pair<Rule>) -> ServiceDecl {
        let mut name = None;
        let mut label = None;
        let mut requirement = Requirement::Optional;
        let mut cite = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.name(p)),
                Rule::string => label = Some(self.string(p)),
                Rule::required_kw => requirement = Requirement::Required,
                Rule::optional_kw => requirement = Requirement::Optional,
                Rule::required_for => {
                    requirement =
                        Requirement::RequiredFor(self.expr(p.into_inner().next().unwrap()))
                }
                Rule::cite => cite = Some(self.cite(p)),
                other => unreachable!("unexpected service part {other:?}"),
            }
        }
        ServiceDecl {
            name: name.unwrap(),
            label,
            requirement,
            cite,
        }
    }

    fn cite(&mut self, pair: Pair<Rule>) -> Cite {
        let mut inner = pair.into_inner();
        let source = self.name(inner.next().unwrap());
        let quote = self.string(inner.next().unwrap());
        Cite { source, quote }
    }

    fn param_decl(&mut self, pair: Pair<Rule>) -> ParamDecl {
        let span = self.span(&pair);
        let mut name = None;
        let mut ty = None;
        let mut value = None;
        let mut dated = Vec::new();
        let mut as_of = None;
        let mut cite = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.name(p)),
                Rule::type_expr => ty = Some(self.type_expr(p)),
                Rule::expr => value = Some(self.expr(p)),
                Rule::dated_value => {
                    let mut parts = p.into_inner();
                    let value = self.expr(parts.next().unwrap());
                    let from = self.name(parts.next().unwrap());
                    dated.push(DatedValue { value, from });
                }
                Rule::param_as_of => as_of = Some(self.name(p.into_inner().nth(1).unwrap())),
                Rule::cite => cite = Some(self.cite(p)),
                other => unreachable!("unexpected param part {other:?}"),
            }
        }
        ParamDecl {
            name: name.unwrap(),
            ty,
            value: value.unwrap(),
            dated,
            as_of,
            cite,
            span,
        }
    }

    fn calendar_decl(&mut self, pair: Pair<Rule>) -> CalendarDecl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next().unwrap());
        let entries = inner
            .map(|entry| {
                let span = self.span(&entry);
                let rule = entry.as_rule();
                let mut cite = None;
                let mut days = Vec::new();
                let mut ranges = Vec::new();
                for p in entry.into_inner() {
                    match p.as_rule() {
                        Rule::weekday_name => days.push(self.name(p)),
                        Rule::date_range => ranges.push(self.date_range(p)),
                        Rule::cite => cite = Some(self.cite(p)),
                        other => unreachable!("unexpected calendar part {other:?}"),
                    }
                }
                let kind = match rule {
                    Rule::week_entry => CalendarEntryKind::Week(days),
                    Rule::rest_entry => CalendarEntryKind::Rest(ranges),
                    Rule::work_entry => CalendarEntryKind::Work(ranges),
                    other => unreachable!("unexpected calendar entry {other:?}"),
                };
                CalendarEntry { kind, cite, span }
            })
            .collect();
        CalendarDecl {
            name,
            entries,
            span,
        }
    }

    fn date_range(&mut self, pair: Pair<Rule>) -> DateRange {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let from = self.name(inner.next().unwrap());
        let to = inner.next().map(|p| self.name(p));
        DateRange { from, to, span }
    }

    fn decision(&mut self, pair: Pair<Rule>) -> Decision {
        let span = self.span(&pair);
        let mut name = None;
        let mut doc = None;
        let mut trigger = None;
        let mut cite = None;
        let mut body = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.name(p)),
                Rule::string => doc = Some(self.string(p)),
                Rule::trigger => trigger = Some(self.expr(p.into_inner().next().unwrap())),
                Rule::cite => cite = Some(self.cite(p)),
                Rule::let_stmt => {
                    let mut inner = p.into_inner();
                    let n = self.name(inner.next().unwrap());
                    let e = self.expr(inner.next().unwrap());
                    body.push(Stmt::Let(n, e));
                }
                Rule::if_arm | Rule::require_arm | Rule::else_arm => {
                    body.push(Stmt::Arm(self.arm(p)))
                }
                other => unreachable!("unexpected decision part {other:?}"),
            }
        }
        Decision {
            name: name.unwrap(),
            doc,
            trigger,
            cite,
            body,
            span,
        }
    }

    fn arm(&mut self, pair: Pair<Rule>) -> Arm {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        match rule {
            Rule::if_arm => {
                let cond = self.expr(inner.next().unwrap());
                let outcome = self.outcome(inner.next().unwrap());
                let cite = inner.next().map(|c| self.cite(c));
                Arm::If {
                    cond,
                    outcome,
                    cite,
                    span,
                }
            }
            Rule::else_arm => {
                let outcome = self.outcome(inner.next().unwrap());
                let cite = inner.next().map(|c| self.cite(c));
                Arm::Else {
                    outcome,
                    cite,
                    span,
                }
            }
            Rule::require_arm => {
                let mut each = None;
                let mut conditions = Vec::new();
                let mut pass = None;
                let mut fail = None;
                let mut cite = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::condition => conditions.push(self.condition(p)),
                        Rule::each_clause => each = Some(Box::new(self.each_clause(p))),
                        Rule::pass_outcome => {
                            let mut parts = p.into_inner();
                            pass = Some(self.outcome(parts.next().unwrap()));
                            cite = parts.next().map(|c| self.cite(c));
                        }
                        Rule::outcome => fail = Some(self.outcome(p)),
                        other => unreachable!("unexpected require part {other:?}"),
                    }
                }
                let fail = fail.unwrap();
                Arm::Require {
                    each,
                    conditions,
                    pass,
                    fail,
                    cite,
                    span,
                }
            }
            other => unreachable!("unexpected arm {other:?}"),
        }
    }

    fn each_clause(&mut self, pair: Pair<Rule>) -> Each {
        let mut inner = pair.into_inner();
        let quantifier = match inner.next().unwrap().as_rule() {
            Rule::any_kw => Quantifier::Any,
            _ => Quantifier::Every,
        };
        let var = self.name(inner.next().unwrap());
        inner.next(); // `in`
        let list = self.expr(inner.next().unwrap());
        let keep = inner.next().map(|p| self.name(p));
        Each {
            quantifier,
            var,
            list,
            keep,
        }
    }

    fn condition(&mut self, pair: Pair<Rule>) -> Condition {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let expr = self.expr(inner.next().unwrap());
        let reason = self.name(inner.next().unwrap());
        let cite = inner.next().map(|c| self.cite(c));
        Condition {
            expr,
            reason,
            cite,
            span,
        }
    }

    fn outcome(&mut self, pair: Pair<Rule>) -> Outcome {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next().unwrap());
        let fields = inner
            .map(|f| {
                let mut parts = f.into_inner();
                let n = self.name(parts.next().unwrap());
                let e = self.expr(parts.next().unwrap());
                (n, e)
            })
            .collect();
        Outcome { name, fields, span }
    }

    pub fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        use super::nesting::{dismantle, too_deep, MAX_NESTING};
        if self.expr_level >= MAX_NESTING {
            // Lowering recurses: stop here, and let the outermost call report it.
            let span = self.span(&pair);
            self.cut.get_or_insert(span);
            return Spanned::new(ExprKind::Lit(Literal::None), span);
        }
        // The Pratt parser recurses once per prefix operator in a row.
        let mut run = 0usize;
        let prefixes_ok = pair.clone().into_inner().all(|p| {
            run = match p.as_rule() {
                Rule::not_op | Rule::neg_op => run + 1,
                _ => 0,
            };
            run < MAX_NESTING
        });
        if !prefixes_ok {
            let span = self.span(&pair);
            self.cut.get_or_insert(span);
            if self.expr_level > 0 {
                return Spanned::new(ExprKind::Lit(Literal::None), span);
            }
        }
        self.expr_level += 1;
        let e = if prefixes_ok {
            self.pratt_expr(pair.into_inner())
        } else {
            Spanned::new(ExprKind::Lit(Literal::None), self.span(&pair))
        };
        self.expr_level -= 1;
        if self.expr_level > 0 {
            return e;
        }
        let Some(span) = self.cut.take().or_else(|| too_deep(&e).map(|d| d.span)) else {
            return e;
        };
        self.error(
            span,
            super::nesting::too_deep_message(),
            Some(super::nesting::HELP),
        );
        let placeholder = Spanned::new(ExprKind::Lit(Literal::None), e.span);
        dismantle(e);
        placeholder
    }

    fn pratt_expr(&mut self, pairs: Pairs<Rule>) -> Expr {
        // The Pratt parser's closures cannot borrow `self` mutably more than
        // once, so errors found inside are collected and added after.
        let cell = std::cell::RefCell::new(self);
        let expr = pratt()
            .map_primary(|p| cell.borrow_mut().primary(p))
            .map_prefix(|op, rhs| {
                let me = cell.borrow();
                let span = me.span(&op).to(rhs.span);
                let op = if op.as_rule() == Rule::not_op {
                    UnOp::Not
                } else {
                    UnOp::Neg
                };
                Spanned::new(ExprKind::Unary(op, Box::new(rhs)), span)
            })
            .map_postfix(|lhs, op| {
                let mut me = cell.borrow_mut();
                let span = lhs.span.to(me.span(&op));
                match op.as_rule() {
                    Rule::is_test => {
                        let mut negated = false;
                        let mut what = None;
                        for p in op.into_inner() {
                            match p.as_rule() {
                                Rule::not_kw => negated = true,
                                Rule::is_kw => {}
                                _ => what = Some(me.name(p)),
                            }
                        }
                        Spanned::new(
                            ExprKind::Is {
                                subject: Box::new(lhs),
                                negated,
                                what: what.unwrap(),
                            },
                            span,
                        )
                    }
                    Rule::index => {
                        let idx = me.expr(op.into_inner().next().unwrap());
                        Spanned::new(ExprKind::Index(Box::new(lhs), Box::new(idx)), span)
                    }
                    other => unreachable!("unexpected postfix {other:?}"),
                }
            })
            .map_infix(|lhs, op, rhs| {
                let op = match op.as_rule() {
                    Rule::or_op => BinOp::Or,
                    Rule::and_op => BinOp::And,
                    Rule::coalesce_op => BinOp::Coalesce,
                    Rule::eq_op => BinOp::Eq,
                    Rule::ne_op => BinOp::Ne,
                    Rule::lt_op => BinOp::Lt,
                    Rule::le_op => BinOp::Le,
                    Rule::gt_op => BinOp::Gt,
                    Rule::ge_op => BinOp::Ge,
                    Rule::in_op => BinOp::In,
                    Rule::not_in_op => BinOp::NotIn,
                    Rule::add_op => BinOp::Add,
                    Rule::sub_op => BinOp::Sub,
                    Rule::mul_op => BinOp::Mul,
                    Rule::div_op => BinOp::Div,
                    other => unreachable!("unexpected infix {other:?}"),
                };
                let span = lhs.span.to(rhs.span);
                Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span)
            })
            .parse(pairs);
        expr
    }

    fn primary(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::expr => return self.expr(pair),
            Rule::path => ExprKind::Path(text.to_string()),
            Rule::exists_expr => ExprKind::Exists(self.name(pair.into_inner().next().unwrap())),
            Rule::set_lit => ExprKind::Set(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::map_lit => ExprKind::Map(
                pair.into_inner()
                    .map(|entry| {
                        let mut parts = entry.into_inner();
                        let k = self.expr(parts.next().unwrap());
                        let v = self.expr(parts.next().unwrap());
                        (k, v)
                    })
                    .collect(),
            ),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.name(inner.next().unwrap());
                ExprKind::Call(name, inner.map(|p| self.expr(p)).collect())
            }
            Rule::comprehension => {
                let mut inner = pair.into_inner();
                let func = self.name(inner.next().unwrap());
                let var = self.name(inner.next().unwrap());
                inner.next(); // `in`
                let list = self.expr(inner.next().unwrap());
                let body = self.expr(inner.next().unwrap());
                ExprKind::Each {
                    func,
                    var,
                    list: Box::new(list),
                    body: Box::new(body),
                }
            }
            Rule::months => match text.trim_end_matches("mo").parse::<i64>() {
                Ok(n) => ExprKind::Lit(Literal::Months(n)),
                Err(_) => {
                    self.error(
                        span,
                        format!("the number of months `{text}` is too large"),
                        None,
                    );
                    ExprKind::Lit(Literal::Months(0))
                }
            },
            Rule::cond_expr => {
                let mut inner = pair.into_inner();
                let c = self.expr(inner.next().unwrap());
                let t = self.expr(inner.next().unwrap());
                let e = self.expr(inner.next().unwrap());
                ExprKind::If(Box::new(c), Box::new(t), Box::new(e))
            }
            Rule::money => {
                let digits = text.trim_start_matches(['¥', '￥']);
                ExprKind::Lit(Literal::Money(digits.to_string()))
            }
            Rule::percent => {
                ExprKind::Lit(Literal::Percent(text.trim_end_matches('%').to_string()))
            }
            Rule::duration => match parse_duration(text) {
                Some(secs) => ExprKind::Lit(Literal::Duration(secs)),
                None => {
                    self.error(span, format!("the duration `{text}` is too long"), None);
                    ExprKind::Lit(Literal::Duration(0))
                }
            },
            Rule::time_lit => {
                let mut parts = text.split(':').map(|p| p.parse::<u32>().unwrap_or(99));
                let h = parts.next().unwrap_or(0);
                let m = parts.next().unwrap_or(0);
                let s = parts.next().unwrap_or(0);
                ExprKind::Lit(Literal::Time(h, m, s))
            }
            Rule::date_lit => ExprKind::Lit(Literal::Date(text.to_string())),
            Rule::instant_lit => ExprKind::Lit(Literal::Instant(text.to_string())),
            Rule::integer => match text.parse::<i64>() {
                Ok(n) => ExprKind::Lit(Literal::Int(n)),
                Err(_) => {
                    self.error(span, format!("the number `{text}` is too large"), None);
                    ExprKind::Lit(Literal::Int(0))
                }
            },
            Rule::string => ExprKind::Lit(Literal::Text(text[1..text.len() - 1].to_string())),
            Rule::true_lit => ExprKind::Lit(Literal::Bool(true)),
            Rule::false_lit => ExprKind::Lit(Literal::Bool(false)),
            Rule::none_lit => ExprKind::Lit(Literal::None),
            other => unreachable!("unexpected primary {other:?}"),
        };
        Spanned::new(kind, span)
    }
}

/// `1h30m` → seconds; `None` on overflow.
fn parse_duration(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num: i64 = 0;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            num = num.checked_mul(10)?.checked_add(i64::from(d))?;
        } else {
            let unit = match c {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                _ => 1,
            };
            total = total.checked_add(num.checked_mul(unit)?)?;
            num = 0;
        }
    }
    Some(total)
}

/// The length of `text` without trailing whitespace and `#` comments.
fn trimmed_len(text: &str) -> usize {
    let mut t = text.trim_end_matches(is_blank);
    loop {
        let line_start = t.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&t[line_start..]) {
            Some(c) => t = t[..line_start + c].trim_end_matches(is_blank),
            None => return t.len(),
        }
    }
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{feff}')
}

/// Where a `#` comment starts on a line: the first `#` outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}
