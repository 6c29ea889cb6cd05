//! Every lint: its stable name and code, default level and documentation.
//!
//! `vouch check --explain NAME` prints an entry; `docs/lints.md` is generated
//! from this table (a test keeps the two equal).

use crate::diagnostic::Level;

/// One lint and its documentation.
#[derive(Debug)]
pub struct Lint {
    /// Stable kebab-case name, used in suppressions and `--explain`.
    pub name: &'static str,
    /// Stable diagnostic code: `vouch::lint::NAME`.
    pub code: &'static str,
    /// Its default level.
    pub level: Level,
    /// The group it is documented in.
    pub group: Group,
    /// One line: what the lint reports.
    pub summary: &'static str,
    /// What it finds, in a paragraph.
    pub what: &'static str,
    /// Why that matters, in a paragraph.
    pub why: &'static str,
    /// A policy fragment that triggers the lint.
    pub example: &'static str,
    /// The same fragment, fixed.
    pub fixed: &'static str,
}

/// Lints come in groups, documented together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Conditions and rules.
    Logic,
    /// Declarations nothing uses.
    Declarations,
    /// Literal values.
    Literals,
    /// Time and zones.
    Time,
    /// Citations of the sources.
    Citations,
    /// Suppression comments.
    Suppressions,
}

impl Group {
    /// Every group, in documentation order.
    pub const ALL: [Group; 6] = [
        Group::Logic,
        Group::Declarations,
        Group::Literals,
        Group::Time,
        Group::Citations,
        Group::Suppressions,
    ];

    /// The group's heading in docs/lints.md.
    pub fn title(self) -> &'static str {
        match self {
            Group::Logic => "Conditions and rules",
            Group::Declarations => "Declarations",
            Group::Literals => "Literals",
            Group::Time => "Time and zones",
            Group::Citations => "Citations",
            Group::Suppressions => "Suppressions",
        }
    }
}

macro_rules! lint {
    ($name:literal, $level:ident, $group:ident, $summary:literal,
     what: $what:literal, why: $why:literal, example: $example:literal, fixed: $fixed:literal $(,)?) => {
        Lint {
            name: $name,
            code: concat!("vouch::lint::", $name),
            level: Level::$level,
            group: Group::$group,
            summary: $summary,
            what: $what,
            why: $why,
            example: $example,
            fixed: $fixed,
        }
    };
}

/// `constant-condition`: a condition that can never hold, or always holds, given the parameters.
pub static CONSTANT_CONDITION: Lint = lint!("constant-condition", Warning, Logic,
    "a condition that can never hold, or always holds, given the parameters",
    what: "A condition (a trigger, an `if`, a `require` condition, or a part of one joined by `and`/`or`) whose value is decided by the constants and parameters alone: no facts can make it true, or none can make it false.",
    why: "Bounds that contradict each other (`amount <= ¥300 and amount > ¥500`) or a test that covers every value is almost always a typo in a bound or a parameter. The rule it guards then never applies, or always does, and orders are decided by the wrong rule without any error.",
    example: "param limit = ¥300\ndecision quick_refund {\n  if order.amount <= limit and order.amount > ¥500 => instant\n  else => standard\n}",
    fixed: "param limit = ¥300\ndecision quick_refund {\n  if order.amount <= limit and order.amount > ¥50 => instant\n  else => standard\n}",
);

/// `unreachable-outcome`: an outcome that no input can reach where it is written.
pub static UNREACHABLE_OUTCOME: Lint = lint!("unreachable-outcome", Warning, Logic,
    "an outcome that no input can reach where it is written",
    what: "A rule whose outcome can never be chosen: its condition contradicts the decision's trigger or the rules above it, the conditions of a `require` cannot all hold together, or the rules above always decide before an `else`.",
    why: "The policy promises an outcome (a refund, a label) that no order can ever get. Usually a rule is in the wrong order, or its condition repeats one the trigger or an earlier rule already excludes.",
    example: "decision ship when exists order {\n  if order.amount > ¥100 => standard\n  if order.amount > ¥1000 => insured\n  else => none\n}",
    fixed: "decision ship when exists order {\n  if order.amount > ¥1000 => insured\n  if order.amount > ¥100 => standard\n  else => none\n}",
);

/// `unreachable-decision`: a decision whose trigger can never hold.
pub static UNREACHABLE_DECISION: Lint = lint!("unreachable-decision", Warning, Logic,
    "a decision whose trigger can never hold",
    what: "A decision whose `when` trigger is false for every input, so the decision is always `not_applicable`.",
    why: "Every outcome of the decision is dead. The trigger usually tests two values that exclude each other, or an outcome of another decision together with something that outcome rules out.",
    example: "decision refund when after_sale.kind == refund_only and after_sale.kind == counterfeit {\n  else => agree\n}",
    fixed: "decision refund when after_sale.kind == refund_only {\n  else => agree\n}",
);

/// `overlapping-rules`: two rules of a decision, about the same values, overlap with different outcomes.
pub static OVERLAPPING_RULES: Lint = lint!("overlapping-rules", Warning, Logic,
    "two rules of a decision, about the same values, overlap with different outcomes",
    what: "Two `if` rules of one decision that test the same values, lead to different outcomes, and overlap without one containing the other: some inputs meet both, and the first rule silently wins. Each rule is compared with the 32 nearest rules before it that test the same values, so that a decision of hundreds of rules is checked at once.",
    why: "Bands of a threshold written as separate rules (`< ¥300` and `>= ¥200`) are meant to meet, not to overlap. In the overlap the outcome depends on the order the rules are written in, which nobody reviewing one rule sees.",
    example: "decision band {\n  if order.amount < ¥300 => small\n  if order.amount >= ¥200 and order.amount < ¥1000 => large\n  else => none\n}",
    fixed: "decision band {\n  if order.amount < ¥300 => small\n  if order.amount >= ¥300 and order.amount < ¥1000 => large\n  else => none\n}",
);

/// `unused-reason`: a reason code that no input can produce.
pub static UNUSED_REASON: Lint = lint!("unused-reason", Warning, Logic,
    "a reason code that no input can produce",
    what: "A `require` condition that always holds where it is written (given the trigger and the rules above), so its reason code is never reported. Reason codes are declared by the conditions that give them, so this is how a reason code goes unused.",
    why: "Callers are promised a reason code (`amount_over_limit`) that they will never see; the condition usually repeats what the trigger or an earlier rule already guarantees, or a bound is wrong.",
    example: "decision refund when after_sale.kind == refund_only {\n  require {\n    after_sale.kind == refund_only else not_refund_only\n    order.amount <= ¥300 else amount_over_limit\n  } => instant else standard\n}",
    fixed: "decision refund when after_sale.kind == refund_only {\n  require {\n    order.amount <= ¥300 else amount_over_limit\n  } => instant else standard\n}",
);

/// `suspicious-bounds`: a threshold compared with `<` in one place and `<=` in another.
pub static SUSPICIOUS_BOUNDS: Lint = lint!("suspicious-bounds", Warning, Logic,
    "a threshold compared with `<` in one place and `<=` in another",
    what: "The same parameter (alone or added to a value, as in `order.placed_at + window`), or the same literal compared with the same expression, used as a bound that counts a value equal to it on one side in one comparison (`<=`, `>`) and on the other side in another (`<`, `>=`).",
    why: "An order whose amount is exactly the threshold is treated one way by one rule and the other way by another. Programs state whether a bound is included (\"300元以内\" includes 300; \"低于1000元\" excludes 1000); the policy should say it once.",
    example: "param limit = ¥300\ndecision a { if order.amount <= limit => yes  else => no }\ndecision b { if order.amount < limit => yes  else => no }",
    fixed: "param limit = ¥300\ndecision a { if order.amount <= limit => yes  else => no }\ndecision b { if order.amount <= limit => yes  else => no }",
);

/// `trigger-contradicts-outcome`: a trigger that asks for an outcome of another decision together with what that outcome rules out.
pub static TRIGGER_CONTRADICTS_OUTCOME: Lint = lint!("trigger-contradicts-outcome", Warning, Logic,
    "a trigger that asks for an outcome of another decision together with what that outcome rules out",
    what: "A `when` trigger that tests another decision's outcome (`auto_agree is agree`) and, with `and`, a condition on the inputs that this outcome already excludes: the other decision only reaches that outcome on inputs where the condition is false.",
    why: "The decision never applies, and nothing says so: every case gets `not_applicable`. Usually the trigger repeats, inverted, a condition the other decision checks, or tests the wrong outcome.",
    example: "facts { merchant.kind: merchant_kind }\nenum merchant_kind { domestic, cross_border }\ndecision auto_agree {\n  if merchant.kind != cross_border => agree\n  else => manual\n}\ndecision cross_border_review when auto_agree is agree and merchant.kind == cross_border {\n  else => review\n}",
    fixed: "facts { merchant.kind: merchant_kind }\nenum merchant_kind { domestic, cross_border }\ndecision auto_agree {\n  if merchant.kind != cross_border => agree\n  else => manual\n}\ndecision cross_border_review when auto_agree is manual and merchant.kind == cross_border {\n  else => review\n}",
);

/// `and-for-or`: `and` where `or` was meant, across a decision's outcome.
pub static AND_FOR_OR: Lint = lint!("and-for-or", Warning, Logic,
    "`and` where `or` was meant, across a decision's outcome",
    what: "A condition `A and B` that no input meets, though `A` and `B` each can, because `B` tests another decision's outcome that holds only where `A` is false (`not exists merchant.membership and termination is effective`, where `effective` needs an enrolment). Written with `or`, the condition would not be constant.",
    why: "The rule it guards never applies: typically an exception list (`… or termination is effective`) whose `or` became `and`, so the exception is dead and every case takes the other branch.",
    example: "facts { merchant.membership.enrolled_at: instant? }\ndecision termination {\n  if not exists merchant.membership => none\n  else => effective\n}\ndecision cancel {\n  if not exists merchant.membership and termination is effective => allow\n  else => deny\n}",
    fixed: "facts { merchant.membership.enrolled_at: instant? }\ndecision termination {\n  if not exists merchant.membership => none\n  else => effective\n}\ndecision cancel {\n  if not exists merchant.membership or termination is effective => allow\n  else => deny\n}",
);

/// `money-never-negative`: an amount compared as if it could be below ¥0.
pub static MONEY_NEVER_NEGATIVE: Lint = lint!("money-never-negative", Warning, Logic,
    "an amount compared as if it could be below ¥0",
    what: "A comparison of an amount of money from the facts with ¥0 or less that is constant because facts never give a negative amount: `after_sale.amount >= ¥0` always holds, `after_sale.amount < ¥0` never does.",
    why: "Facts refuse negative money, so the test decides nothing. It was usually meant as `> ¥0` (a positive amount), or it guards against something that cannot happen and hides the real condition.",
    example: "facts { after_sale.amount: money }\ndecision refund {\n  if after_sale.amount >= ¥0 => refund\n  else => none\n}",
    fixed: "facts { after_sale.amount: money }\ndecision refund {\n  if after_sale.amount > ¥0 => refund\n  else => none\n}",
);

/// `self-comparison`: a value compared with itself.
pub static SELF_COMPARISON: Lint = lint!("self-comparison", Warning, Logic,
    "a value compared with itself",
    what: "A comparison whose two sides are the same value, perhaps moved by a constant: `x < x`, `t <= t + 6h`, `order.amount == order.amount`. It always holds or never does.",
    why: "One side was meant to read another fact (`after_sale.requested_at <= order.placed_at + 6h` written as `order.placed_at <= order.placed_at + 6h`); as written the window checks nothing.",
    example: "facts {\n  order.placed_at: instant\n  after_sale.requested_at: instant\n}\ndecision fast_refund {\n  if order.placed_at <= order.placed_at + 6h => instant\n  else => standard\n}",
    fixed: "facts {\n  order.placed_at: instant\n  after_sale.requested_at: instant\n}\ndecision fast_refund {\n  if after_sale.requested_at <= order.placed_at + 6h => instant\n  else => standard\n}",
);

/// `division-by-zero`: a division whose divisor can be zero on inputs that reach it.
pub static DIVISION_BY_ZERO: Lint = lint!("division-by-zero", Warning, Logic,
    "a division whose divisor can be zero on inputs that reach it",
    what: "A `/` whose divisor is not a non-zero constant and that no condition before it (the trigger, the rules above, the left side of an `or` or `and`, the test of an `if … then … else`) keeps away from zero.",
    why: "A case whose divisor is zero gets an `error` outcome instead of a decision. Shares of counts (`trust_orders / orders`) are the usual place: a shop with no orders must be decided by a rule, not by an error.",
    example: "facts {\n  shop.orders: int\n  shop.trust_orders: int\n}\ndecision shop_label {\n  if shop.trust_orders / shop.orders >= 60% => shown\n  else => hidden\n}",
    fixed: "facts {\n  shop.orders: int\n  shop.trust_orders: int\n}\ndecision shop_label {\n  if shop.orders > 0 and shop.trust_orders / shop.orders >= 60% => shown\n  else => hidden\n}",
);

/// `unused-param`: a parameter that nothing uses.
pub static UNUSED_PARAM: Lint = lint!("unused-param", Warning, Declarations,
    "a parameter that nothing uses",
    what: "A `param` that no decision, service requirement or other parameter reads.",
    why: "Someone editing the parameter expects the policy to change; it will not. Usually a rule was meant to use it and uses a literal or another parameter instead.",
    example: "param cap = ¥24\ndecision postage {\n  else => compensate { compensation: min(after_sale.shipping_cost, ¥25) }\n}",
    fixed: "param cap = ¥24\ndecision postage {\n  else => compensate { compensation: min(after_sale.shipping_cost, cap) }\n}",
);

/// `unused-fact`: a declared fact that no rule reads.
pub static UNUSED_FACT: Lint = lint!("unused-fact", Warning, Declarations,
    "a declared fact that no rule reads",
    what: "A fact in the `facts` block that no decision reads and the `services` block does not name. A fact under a section that a rule tests with `exists` counts as used when no other fact of that section is read.",
    why: "A declared fact is still decoded and validated for every case, so the platform must send it, yet no decision depends on it. Usually a condition that should read it is missing.",
    example: "facts {\n  order.amount: money\n  order.placed_at: instant\n}\ndecision big { if order.amount > ¥1000 => yes  else => no }",
    fixed: "facts {\n  order.amount: money\n}\ndecision big { if order.amount > ¥1000 => yes  else => no }",
);

/// `duplicate-reason`: one reason code given by two different conditions.
pub static DUPLICATE_REASON: Lint = lint!("duplicate-reason", Warning, Declarations,
    "one reason code given by two different conditions",
    what: "Two conditions of one decision that report the same reason code when they fail.",
    why: "A reason code tells the caller which condition failed. When two conditions share one, the caller cannot tell them apart, and a seller disputing a decision is told the wrong thing.",
    example: "decision allergy {\n  require {\n    order.received_at is not none else not_received\n    after_sale.requested_at <= order.placed_at + 60d else not_received\n  } => accept else reject\n}",
    fixed: "decision allergy {\n  require {\n    order.received_at is not none else not_received\n    after_sale.requested_at <= order.placed_at + 60d else past_60d\n  } => accept else reject\n}",
);

/// `unused-source`: a source in the header that nothing cites.
pub static UNUSED_SOURCE: Lint = lint!("unused-source", Warning, Declarations,
    "a source in the header that nothing cites",
    what: "A `source` in the `policy` header that no `cite` names.",
    why: "The header lists the texts the policy encodes. A source that no rule cites is either not encoded at all, or encoded by rules that forgot to cite it.",
    example: "policy p {\n  zone \"+08:00\"\n  source s001 \"rules.txt\"\n  source s002 \"faq.txt\"\n}\nparam limit = ¥300 cite s001 \"300元以内\"",
    fixed: "policy p {\n  zone \"+08:00\"\n  source s001 \"rules.txt\"\n}\nparam limit = ¥300 cite s001 \"300元以内\"",
);

/// `unused-let`: a `let` that nothing uses.
pub static UNUSED_LET: Lint = lint!("unused-let", Warning, Declarations,
    "a `let` that nothing uses",
    what: "A `let` of a decision that no rule, outcome field or later `let` of that decision reads.",
    why: "It was written for a reason: usually a rule was meant to read it and repeats its expression, or reads another value, instead.",
    example: "facts { order.placed_at: instant }\ndecision ship {\n  let deadline = order.placed_at + 24h\n  else => within_24h { deadline: order.placed_at + 48h }\n}",
    fixed: "facts { order.placed_at: instant }\ndecision ship {\n  let deadline = order.placed_at + 24h\n  else => within_24h { deadline: deadline }\n}",
);

/// `unused-enum`: an enum that nothing uses.
pub static UNUSED_ENUM: Lint = lint!("unused-enum", Warning, Declarations,
    "an enum that nothing uses",
    what: "An `enum` that no fact, parameter, outcome field or rule has as its type, and none of whose values anything names.",
    why: "Usually a fact was meant to be declared with it (and is declared `text`, or with another enum), or it is left over from an edit.",
    example: "enum channel { shop_home, product_detail }\nfacts { order.amount: money }\ndecision big { if order.amount > ¥1000 => yes  else => no }",
    fixed: "facts { order.amount: money }\ndecision big { if order.amount > ¥1000 => yes  else => no }",
);

/// `unused-variant`: an enum value that nothing names, of an enum no fact is read as.
pub static UNUSED_VARIANT: Lint = lint!("unused-variant", Warning, Declarations,
    "an enum value that nothing names, of an enum no fact is read as",
    what: "A value of an enum that no fact is read as (so only the policy's own parameters and rules can produce its values) which no parameter, service requirement or rule names. Values of an enum that a fact is read as are always in use: a case may send them.",
    why: "The policy promises a value (a channel, a cost) that it never gives: usually a parameter's list forgot it, or it was renamed.",
    example: "enum channel { shop_home, product_detail, order_detail }\nparam label_channels: set<channel> = {shop_home, product_detail}\ndecision label { else => shown { channels: label_channels } }",
    fixed: "enum channel { shop_home, product_detail, order_detail }\nparam label_channels: set<channel> = {shop_home, product_detail, order_detail}\ndecision label { else => shown { channels: label_channels } }",
);

/// `percent-over-100`: a percentage above 100%.
pub static PERCENT_OVER_100: Lint = lint!("percent-over-100", Warning, Literals,
    "a percentage above 100%",
    what: "A percentage literal greater than `100%`.",
    why: "Shares of orders or products are at most 100%; `600%` for `60%` makes a condition that never holds. A multiple of a price is written as a number: `order.amount * 3`.",
    example: "param repeat_order_share = 600%",
    fixed: "param repeat_order_share = 60%",
);

/// `non-positive-duration`: a zero or negative duration.
pub static NON_POSITIVE_DURATION: Lint = lint!("non-positive-duration", Warning, Literals,
    "a zero or negative duration",
    what: "A parameter whose duration is zero or negative, a zero duration added to or subtracted from a time (`order.placed_at + 0h`), or a negated duration (`-6h`). A zero duration as a value (`else 0s`) is fine.",
    why: "Windows and deadlines (`6h`, `7d`) are positive. A zero window accepts nothing; a negative one moves a deadline before the event it follows. To go back in time, subtract a positive duration.",
    example: "param refund_window = 0h",
    fixed: "param refund_window = 6h",
);

/// `param-out-of-range`: a parameter outside its type's sensible range.
pub static PARAM_OUT_OF_RANGE: Lint = lint!("param-out-of-range", Warning, Literals,
    "a parameter outside its type's sensible range",
    what: "A parameter whose value no program means: negative money, a negative count or multiple, a share below 0% or (computed) above 100%, a window of more than ten years, an instant or date outside the years 2000 to 2099. Zero or negative durations are `non-positive-duration`'s, and a percentage literal above 100% is `percent-over-100`'s.",
    why: "A sign or a digit too many turns a limit into one that no order meets, or every order does: `¥-300` refunds nothing, `2206-11-11` never starts. The evaluator computes with it all the same.",
    example: "param fast_refund_limit = -¥300",
    fixed: "param fast_refund_limit = ¥300",
);

/// `rounding-no-op`: rounding to a unit every value is already a multiple of.
pub static ROUNDING_NO_OP: Lint = lint!("rounding-no-op", Warning, Literals,
    "rounding to a unit every value is already a multiple of",
    what: "`floor`, `ceil` or `round` of an amount to `¥0.01`, of a duration to `1s`, or of a number to `1`. Money is counted in fen, durations in whole seconds and numbers are whole, so the call changes nothing. (A product of money and a ratio is rounded from its exact value, so rounding it to `¥0.01` is not reported.)",
    why: "The unit is almost always meant to be coarser: the whole yuan (`¥1`), the ten fen (`¥0.10`), the day (`1d`). A rounding rule that rounds nothing lets amounts through that the program meant to round.",
    example: "facts {\n  order.amount: money\n}\ndecision d {\n  else => pay { amount: floor(order.amount, ¥0.01) }\n}",
    fixed: "facts {\n  order.amount: money\n}\ndecision d {\n  else => pay { amount: floor(order.amount, ¥1) }\n}",
);

/// `dated-no-change`: a dated value equal to the value before it.
pub static DATED_NO_CHANGE: Lint = lint!("dated-no-change", Warning, Literals,
    "a parameter's dated value equal to the value before it",
    what: "A value of a dated parameter (`; 7d from 2026-07-01`) written the same as the value in force before that date.",
    why: "A dated value records an announced change. One that changes nothing is usually a value not updated when the date was, and cases after the date are decided with the old number.",
    example: "policy p {\n  zone \"+08:00\"\n  as_of order.placed_at\n}\nfacts {\n  order.placed_at: instant\n}\nparam window = 7d; 7d from 2026-07-01\ndecision d {\n  else => due { at: order.placed_at + window }\n}",
    fixed: "policy p {\n  zone \"+08:00\"\n  as_of order.placed_at\n}\nfacts {\n  order.placed_at: instant\n}\nparam window = 7d; 10d from 2026-07-01\ndecision d {\n  else => due { at: order.placed_at + window }\n}",
);

/// `unsorted-calendar`: a calendar's dates out of order, or overlapping.
pub static UNSORTED_CALENDAR: Lint = lint!("unsorted-calendar", Warning, Time,
    "a calendar's dates out of order, or overlapping",
    what: "In a calendar's `rest` or `work` list, a date or range that starts at or before the end of the one listed ahead of it.",
    why: "Teams add each year's holidays in date order. A date out of order is most often a typo in its year or month (`2026-01-10` for `2026-10-10`), which moves a holiday to a day nobody meant; a range overlapping another lists days twice.",
    example: "calendar workdays {\n  rest 2026-10-01..2026-10-07, 2026-05-01\n}",
    fixed: "calendar workdays {\n  rest 2026-05-01, 2026-10-01..2026-10-07\n}",
);

/// `redundant-calendar-day`: an extra day the week already gives.
pub static REDUNDANT_CALENDAR_DAY: Lint = lint!("redundant-calendar-day", Warning, Time,
    "an extra rest day that the week already rests on, or an extra working day it already works",
    what: "A single date in a calendar's `rest` list that falls on a weekday the `week` does not work, or in its `work` list that falls on one it works. Ranges are not reported: a holiday range may span a weekend.",
    why: "An exception that changes nothing is most often a wrong date: a make-up working day (调休) listed on a Monday instead of the Sunday before it leaves the Sunday a rest day, and every deadline counted across it a day late.",
    example: "calendar workdays {\n  week mon, tue, wed, thu, fri\n  work 2026-09-28\n}",
    fixed: "calendar workdays {\n  week mon, tue, wed, thu, fri\n  work 2026-09-27\n}",
);

/// `missing-zone`: a policy without a time zone.
pub static MISSING_ZONE: Lint = lint!("missing-zone", Warning, Time,
    "a policy without a time zone",
    what: "A `policy` header without `zone`.",
    why: "Dates, times of day and `at(…)` are read in the policy's zone. Without one they are read in UTC, so \"before 16:00\" means 00:00 the next day in China Standard Time.",
    example: "policy my_program {\n  name \"我的保障\"\n}",
    fixed: "policy my_program {\n  name \"我的保障\"\n  zone \"+08:00\"\n}",
);

/// `mixed-zones`: an instant written in another zone than the policy's.
pub static MIXED_ZONES: Lint = lint!("mixed-zones", Warning, Time,
    "an instant written in another zone than the policy's",
    what: "An instant literal whose offset differs from the policy's `zone` (or, without a zone, from the other instant literals).",
    why: "The instant is exact, but a reader comparing `2026-11-11T00:00:00Z` with the policy's local dates and times of day reads the wrong hour. Within a policy, every instant should be written in its zone.",
    example: "policy p { zone \"+08:00\" }\nparam campaign_start = 2026-11-11T00:00:00Z",
    fixed: "policy p { zone \"+08:00\" }\nparam campaign_start = 2026-11-11T08:00:00+08:00",
);

/// `missing-citation`: a rule that cites no source.
pub static MISSING_CITATION: Lint = lint!("missing-citation", Advice, Citations,
    "a rule that cites no source",
    what: "An `if` rule or `require` condition with no `cite`, in a decision that has no `cite` of its own; or a policy that declares no sources at all.",
    why: "Reviewers check each rule against the clause of the program text it encodes. A rule without a citation cannot be checked that way, and when the program changes nobody knows which rules to revisit. Rules that are readings rather than quotes can say so in a comment and be suppressed.",
    example: "decision quick_refund {\n  if order.amount <= ¥300 => instant\n  else => standard\n}",
    fixed: "decision quick_refund {\n  if order.amount <= ¥300 => instant   cite s001 \"300元以内\"\n  else => standard\n}",
);

/// `value-contradicts-cite`: a parameter whose value is not the number its cite gives.
pub static VALUE_CONTRADICTS_CITE: Lint = lint!("value-contradicts-cite", Warning, Citations,
    "a parameter whose value is not the number its cite gives",
    what: "A parameter whose cite gives numbers of the parameter's kind (amounts such as `300元`, durations such as `6小时`, `60天` or `T+2`, shares such as `60%`, times of day such as `16:00` or `凌晨4点`, multiples such as `赔三`) none of which is the parameter's value.",
    why: "The cite is the clause the value encodes. A value that contradicts it (`6d` under \"6小时\", `¥500` under \"300元\", `160%` under \"60%\") is a typo in the value, or the cite points at the wrong clause; either way the policy no longer says what the program says.",
    example: "policy p {\n  zone \"+08:00\"\n  source s1 \"rules\"\n}\nparam fast_refund_window = 6d  cite s1 \"下单6小时内\"",
    fixed: "policy p {\n  zone \"+08:00\"\n  source s1 \"rules\"\n}\nparam fast_refund_window = 6h  cite s1 \"下单6小时内\"",
);

/// `bound-contradicts-cite`: a comparison that includes its bound where its cite excludes it, or the reverse.
pub static BOUND_CONTRADICTS_CITE: Lint = lint!("bound-contradicts-cite", Warning, Citations,
    "a comparison that includes its bound where its cite excludes it, or the reverse",
    what: "A comparison with a parameter or a literal (`order.amount < limit`, `t <= order.placed_at + window`) whose cite, or the parameter's cite, bounds the same number with words that say the other thing: `以内`, `以下`, `之内`, `内`, `不超过`, `最高`, `至多`, `以上`, `至少`, `不低于`, `大于等于` include the bound; `低于`, `不足`, `少于`, `未满`, `超过`, `高于`, `前` exclude it.",
    why: "Whether a value exactly at the bound qualifies is the one thing a threshold must get right: \"300元以内\" accepts ¥300.00 and \"低于1000元\" refuses ¥1000.00. `<` for `<=` turns away the orders at the bound, silently.",
    example: "policy p {\n  zone \"+08:00\"\n  source s1 \"rules\"\n}\nfacts { order.amount: money }\nparam limit = ¥300  cite s1 \"300元以内的商品\"\ndecision quick {\n  if order.amount < limit => instant  cite s1 \"300元以内的商品\"\n  else => standard\n}",
    fixed: "policy p {\n  zone \"+08:00\"\n  source s1 \"rules\"\n}\nfacts { order.amount: money }\nparam limit = ¥300  cite s1 \"300元以内的商品\"\ndecision quick {\n  if order.amount <= limit => instant  cite s1 \"300元以内的商品\"\n  else => standard\n}",
);

/// `unused-suppression`: a suppression that suppresses nothing.
pub static UNUSED_SUPPRESSION: Lint = lint!("unused-suppression", Warning, Suppressions,
    "a suppression that suppresses nothing",
    what: "A `# vouch:allow(LINT)` comment whose lint does not fire on the line or item it applies to.",
    why: "The mistake it excused was fixed or moved; left in place, it would silently hide the next real finding there.",
    example: "# vouch:allow(unused-param) reason: \"kept for the next campaign\"\nparam limit = ¥300   # used below",
    fixed: "param limit = ¥300",
);

/// `suppression-without-reason`: a suppression that gives no reason.
pub static SUPPRESSION_WITHOUT_REASON: Lint = lint!("suppression-without-reason", Warning, Suppressions,
    "a suppression that gives no reason",
    what: "A `# vouch:allow(LINT)` comment without `reason: \"…\"`, or with an empty reason.",
    why: "A reviewer must be able to judge whether a finding was silenced for a good reason. The suppression still applies; this finding asks for the reason.",
    example: "# vouch:allow(unused-param)\nparam next_campaign_limit = ¥500",
    fixed: "# vouch:allow(unused-param) reason: \"kept for the 11.11 campaign\"\nparam next_campaign_limit = ¥500",
);

/// `unknown-lint`: a suppression naming a lint that does not exist.
pub static UNKNOWN_LINT: Lint = lint!("unknown-lint", Warning, Suppressions,
    "a suppression naming a lint that does not exist",
    what: "A `# vouch:allow(…)` comment naming something that is not a lint: a typo, a parse or check error (those cannot be suppressed), or a suppression lint.",
    why: "The suppression does nothing, so the finding it was meant to silence still fires, or the name hides a typo.",
    example: "# vouch:allow(unused-parameter) reason: \"kept for the next campaign\"\nparam next_campaign_limit = ¥500",
    fixed: "# vouch:allow(unused-param) reason: \"kept for the next campaign\"\nparam next_campaign_limit = ¥500",
);

/// `malformed-suppression`: a `vouch:` comment that is not a well-formed suppression.
pub static MALFORMED_SUPPRESSION: Lint = lint!("malformed-suppression", Warning, Suppressions,
    "a `vouch:` comment that is not a well-formed suppression",
    what: "A comment starting with `vouch:` that is not `vouch:allow(LINT, …) reason: \"…\"`.",
    why: "The comment was meant to suppress something and does not.",
    example: "# vouch:allow unused-param because it is kept\nparam next_campaign_limit = ¥500",
    fixed: "# vouch:allow(unused-param) reason: \"kept for the next campaign\"\nparam next_campaign_limit = ¥500",
);

/// Every lint, in documentation order.
pub static LINTS: &[&Lint] = &[
    &CONSTANT_CONDITION,
    &UNREACHABLE_OUTCOME,
    &UNREACHABLE_DECISION,
    &OVERLAPPING_RULES,
    &UNUSED_REASON,
    &SUSPICIOUS_BOUNDS,
    &TRIGGER_CONTRADICTS_OUTCOME,
    &AND_FOR_OR,
    &MONEY_NEVER_NEGATIVE,
    &SELF_COMPARISON,
    &DIVISION_BY_ZERO,
    &UNUSED_PARAM,
    &UNUSED_FACT,
    &DUPLICATE_REASON,
    &UNUSED_SOURCE,
    &UNUSED_LET,
    &UNUSED_ENUM,
    &UNUSED_VARIANT,
    &PERCENT_OVER_100,
    &NON_POSITIVE_DURATION,
    &PARAM_OUT_OF_RANGE,
    &ROUNDING_NO_OP,
    &DATED_NO_CHANGE,
    &MISSING_ZONE,
    &MIXED_ZONES,
    &UNSORTED_CALENDAR,
    &REDUNDANT_CALENDAR_DAY,
    &MISSING_CITATION,
    &VALUE_CONTRADICTS_CITE,
    &BOUND_CONTRADICTS_CITE,
    &UNUSED_SUPPRESSION,
    &SUPPRESSION_WITHOUT_REASON,
    &UNKNOWN_LINT,
    &MALFORMED_SUPPRESSION,
];

/// A lint by name (`unused-param`) or code (`vouch::lint::unused-param`).
pub fn find(name_or_code: &str) -> Option<&'static Lint> {
    let name = name_or_code
        .strip_prefix("vouch::lint::")
        .unwrap_or(name_or_code);
    LINTS.iter().copied().find(|l| l.name == name)
}

/// The lint a diagnostic code belongs to, if it is a lint's.
pub fn by_code(code: &str) -> Option<&'static Lint> {
    LINTS.iter().copied().find(|l| l.code == code)
}

/// Mistakes that the parser or checker already reports as errors, or that
/// another lint covers: (mistake, error code or lint name, explanation).
pub const COVERED_BY_CHECKS: &[(&str, &str, &str)] = &[
    (
        "a time of day outside the day (`24:00`, `16:60`)",
        "vouch::check::bad_literal",
        "The checker cannot give such a literal a value, so the policy does not load; the help points to `end_of_day(…)` for the end of a day.",
    ),
    (
        "a money literal with more than two decimal places (`¥3.005`)",
        "vouch::check::bad_literal",
        "Money is counted to the fen, in policies as in facts, so an amount finer than 0.01 yuan does not load; `¥3.50` and `¥3.500` are the same amount and both load.",
    ),
    (
        "a service named in an add-on, a parameter or a check that is not among the program's declared services",
        "vouch::check::unknown_variant",
        "The `services` block declares the `service` enum, so a service it does not list is an unknown variant wherever a service is expected (`x in merchant.services`, `set<service>` parameters), with a did-you-mean. Add-ons are declared in the block itself.",
    ),
    (
        "a local time or date compared with an instant (`time_of(order.placed_at) < 2026-11-11T16:00:00+08:00`)",
        "vouch::check::type_mismatch",
        "Times of day, dates and instants are different types; comparing them is a type error. `time_of` and `date_of` read an instant in the policy's zone.",
    ),
    (
        "instants in different zones compared with each other",
        "mixed-zones",
        "Facts carry their own offsets and are compared as exact instants, and a policy has one zone, so the only place two zones meet is an instant literal written at another offset: the `mixed-zones` lint.",
    ),
];
