//! Why a decision could not be evaluated: the evaluation stage's one error
//! type. The span of the expression that failed travels beside it, in
//! [`super::Status::Error`].

use miette::Diagnostic;
use thiserror::Error;

/// An expression that has no value on these facts, though the policy checks:
/// arithmetic out of range, a division by zero, a local time that does not
/// exist. The decision's outcome becomes `error` with this message.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum EvalError {
    /// A divisor that is zero on these facts.
    #[error("division by zero")]
    #[diagnostic(code(vouch::eval::division_by_zero))]
    DivisionByZero,
    /// A result beyond what money, ratios, durations or instants can hold.
    #[error("the result is too large")]
    #[diagnostic(code(vouch::eval::overflow))]
    Overflow,
    /// An instant or date moved outside the years RFC 3339 can write.
    #[error("the result is outside the years 0000 to 9999")]
    #[diagnostic(code(vouch::eval::out_of_calendar))]
    OutOfCalendar,
    /// A time of day that the zone skips on that date.
    #[error("this local time does not exist")]
    #[diagnostic(code(vouch::eval::no_such_local_time))]
    NoSuchLocalTime,
    /// A date moved by a duration that is not whole days.
    #[error("a date moves by whole days, not by {by}")]
    #[diagnostic(code(vouch::eval::partial_days))]
    PartialDays {
        /// The duration, as written (`36h`).
        by: String,
    },
    /// An operator given values it has no meaning for.
    #[error("cannot apply `{op}` to these values")]
    #[diagnostic(code(vouch::eval::bad_operands))]
    BadOperands {
        /// The operator's symbol.
        op: &'static str,
    },
    /// An operator used as a comparison that is none.
    #[error("`{op}` is not a comparison")]
    #[diagnostic(code(vouch::eval::not_a_comparison))]
    NotAComparison {
        /// The operator's symbol.
        op: &'static str,
    },
    /// Values of kinds that have no order between them.
    #[error("these values cannot be ordered")]
    #[diagnostic(code(vouch::eval::unordered))]
    Unordered,
    /// A built-in function given values it has no meaning for.
    #[error("`{function}` got values it cannot use")]
    #[diagnostic(code(vouch::eval::bad_arguments))]
    BadArguments {
        /// The function's name.
        function: &'static str,
    },
    /// A services function in a policy with no `services` block.
    #[error("no services block")]
    #[diagnostic(code(vouch::eval::no_services))]
    NoServices,
    /// A decision with no `else` whose rules all failed.
    #[error("no rule decided")]
    #[diagnostic(code(vouch::eval::no_rule_decided))]
    NoRuleDecided,
    /// A condition whose value is not true or false.
    #[error("expected a condition")]
    #[diagnostic(code(vouch::eval::not_a_condition))]
    NotACondition,
    /// A minus sign before a value that has no negative.
    #[error("cannot negate this value")]
    #[diagnostic(code(vouch::eval::cannot_negate))]
    CannotNegate,
    /// A rounding unit that is zero or negative on these facts.
    #[error("a rounding unit must be more than zero")]
    #[diagnostic(code(vouch::eval::bad_unit))]
    BadUnit,
    /// A working-day count below zero.
    #[error("cannot count {count} working days")]
    #[diagnostic(code(vouch::eval::negative_count))]
    NegativeCount {
        /// The count asked for.
        count: i64,
    },
    /// A calendar with too few working days to count that far.
    #[error("the calendar `{calendar}` has no {count} working days in reach")]
    #[diagnostic(code(vouch::eval::no_working_day))]
    NoWorkingDay {
        /// The calendar's name.
        calendar: String,
        /// The count asked for.
        count: i64,
    },
    /// Two dates too far apart to count the working days between.
    #[error("{from} and {to} are too far apart to count the working days between them")]
    #[diagnostic(code(vouch::eval::too_far_apart))]
    TooFarApart {
        /// The earlier date.
        from: chrono::NaiveDate,
        /// The later date.
        to: chrono::NaiveDate,
    },
    /// A field absent from an item that has no index to name it by: an
    /// item of a set, or a record inside an item.
    #[error("the field `{field}` is absent from this item")]
    #[diagnostic(code(vouch::eval::absent_field))]
    AbsentField {
        /// The field's name.
        field: std::sync::Arc<str>,
    },
    /// A dated parameter whose `as_of` fact holds no date.
    #[error("`{fact}` holds no date to pick the value of `{param}` by")]
    #[diagnostic(code(vouch::eval::no_as_of_date))]
    NoAsOfDate {
        /// The fact that picks the value.
        fact: std::sync::Arc<str>,
        /// The dated parameter.
        param: String,
    },
    /// A parameter whose value reads facts.
    #[error("a parameter must be a constant")]
    #[diagnostic(code(vouch::eval::not_constant))]
    NotConstant,
}
