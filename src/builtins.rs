//! The built-in functions, each declared once: its name, signature,
//! documentation, type rule and implementation sit in one [`Def`] of
//! [`TABLE`]. The checker ([`crate::check`]) and the evaluator are generic
//! over the table, and the table in docs/language.md is generated from it
//! (a test keeps them equal).
//!
//! To add a built-in: add a variant to [`Builtin`] and a [`Def`] to
//! [`TABLE`]; the compiler points at every match that must learn it.

use std::cmp::Ordering;

use chrono::FixedOffset;

use crate::eval::{dates, ops, EvalError, Rounding};
use crate::program::Calendar;
use crate::types::{Type, Value};

/// A built-in function, as the resolved program names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `min(a, b, …)`
    Min,
    /// `max(a, b, …)`
    Max,
    /// `earliest(t, …)`
    Earliest,
    /// `latest(t, …)`
    Latest,
    /// `date_of(t)`
    DateOf,
    /// `time_of(t)`
    TimeOf,
    /// `start_of_day(t)`
    StartOfDay,
    /// `end_of_day(t)`
    EndOfDay,
    /// `at(d, h)`
    At,
    /// `size(s)`
    Size,
    /// `mandatory_services()`
    MandatoryServices,
    /// `required_services()`
    RequiredServices,
    /// `missing_services()`
    MissingServices,
    /// `floor(x, unit)`
    Floor,
    /// `ceil(x, unit)`
    Ceil,
    /// `round(x, unit)`
    Round,
    /// `weekday(d)`
    Weekday,
    /// `is_working_day(d, cal)`
    IsWorkingDay,
    /// `working_day_after(d, n, cal)`
    WorkingDayAfter,
    /// `working_days_between(a, b, cal)`
    WorkingDaysBetween,
}

/// What evaluating a built-in needs besides its arguments.
pub struct Env<'a> {
    /// The policy's zone, for calendar functions.
    pub zone: FixedOffset,
    /// The policy's calendars, for working-day functions.
    pub calendars: &'a [Calendar],
}

/// How a built-in is typed and computed.
pub enum Kind {
    /// A function of its arguments' values.
    Pure {
        /// The result type for these argument types, or `None` when they do
        /// not fit (the checker then says the function takes [`Def::takes`]).
        typing: fn(&[Type]) -> Option<Type>,
        /// The result for these argument values.
        apply: fn(&[Value], &Env<'_>) -> Result<Value, EvalError>,
        /// Whether a none first argument gives none without calling `apply`.
        none_in_none_out: bool,
    },
    /// Reads the policy's `services` block and the case's facts: the
    /// checker and the evaluator give these their own code.
    Services,
}

/// One built-in function.
pub struct Def {
    /// Which function.
    pub builtin: Builtin,
    /// Its name in policies.
    pub name: &'static str,
    /// Its parameters' names, as the reference writes the call (`a, b, …`).
    pub params: &'static str,
    /// Its arguments, in words, as error messages say them ("one instant").
    pub takes: &'static str,
    /// The argument types, for the reference table.
    pub arguments: &'static str,
    /// The result type, for the reference table.
    pub result: &'static str,
    /// A call that shows how it is used, offered as help when arguments are wrong.
    pub example: &'static str,
    /// How it is typed and computed.
    pub kind: Kind,
}

/// Every built-in function, in the order of [`Builtin`] (a test keeps it so),
/// which is the order the reference lists them.
pub static TABLE: [Def; 20] = [
    Def {
        builtin: Builtin::Min,
        name: "min",
        params: "a, b, …",
        takes: "two or more values of the same kind, such as two amounts",
        arguments: "two or more values of one ordered type, none optional",
        result: "that type",
        example: "min(order.amount, refund_limit)",
        kind: Kind::Pure {
            typing: same_ordered,
            apply: |v, _| Ok(ops::pick(v, |o| o == Ordering::Less)),
            none_in_none_out: false,
        },
    },
    Def {
        builtin: Builtin::Max,
        name: "max",
        params: "a, b, …",
        takes: "two or more values of the same kind, such as two amounts",
        arguments: "two or more values of one ordered type, none optional",
        result: "that type",
        example: "max(order.amount, ¥10)",
        kind: Kind::Pure {
            typing: same_ordered,
            apply: |v, _| Ok(ops::pick(v, |o| o == Ordering::Greater)),
            none_in_none_out: false,
        },
    },
    Def {
        builtin: Builtin::Earliest,
        name: "earliest",
        params: "t, …",
        takes: "one or more instants",
        arguments: "one or more `instant` or `instant?`; nones are skipped",
        result: "`instant`, or `instant?` when every argument is optional (none when all are none)",
        example: "earliest(logistics.signed_at, logistics.rejected_at)",
        kind: Kind::Pure {
            typing: instants,
            apply: |v, _| Ok(ops::pick(v, |o| o == Ordering::Less)),
            none_in_none_out: false,
        },
    },
    Def {
        builtin: Builtin::Latest,
        name: "latest",
        params: "t, …",
        takes: "one or more instants",
        arguments: "one or more `instant` or `instant?`; nones are skipped",
        result: "`instant`, or `instant?` when every argument is optional (none when all are none)",
        example: "latest(order.placed_at, order.paid_at)",
        kind: Kind::Pure {
            typing: instants,
            apply: |v, _| Ok(ops::pick(v, |o| o == Ordering::Greater)),
            none_in_none_out: false,
        },
    },
    Def {
        builtin: Builtin::DateOf,
        name: "date_of",
        params: "t",
        takes: "one instant",
        arguments: "`instant`",
        result: "`date`: the calendar day in the policy's zone",
        example: "date_of(order.placed_at)",
        kind: Kind::Pure {
            typing: |args| instant_to(args, Type::Date),
            apply: |v, env| match v {
                [Value::Instant(t)] => Ok(ops::date_of(t, env.zone)),
                _ => Err(mismatch("date_of")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::TimeOf,
        name: "time_of",
        params: "t",
        takes: "one instant",
        arguments: "`instant`",
        result: "`time`: the time of day in the policy's zone",
        example: "time_of(order.placed_at)",
        kind: Kind::Pure {
            typing: |args| instant_to(args, Type::Time),
            apply: |v, env| match v {
                [Value::Instant(t)] => Ok(ops::time_of(t, env.zone)),
                _ => Err(mismatch("time_of")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::StartOfDay,
        name: "start_of_day",
        params: "t",
        takes: "one instant or one date",
        arguments: "`instant` or `date`",
        result: "`instant`: 00:00:00 of that day in the zone",
        example: "start_of_day(order.placed_at)",
        kind: Kind::Pure {
            typing: |args| day_to(args, Type::Instant),
            apply: |v, env| day_at(v, 0, env, "start_of_day"),
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::EndOfDay,
        name: "end_of_day",
        params: "t",
        takes: "one instant or one date",
        arguments: "`instant` or `date`",
        result: "`instant`: 23:59:59 of that day in the zone",
        example: "end_of_day(order.placed_at)",
        kind: Kind::Pure {
            typing: |args| day_to(args, Type::Instant),
            apply: |v, env| day_at(v, 86_399, env, "end_of_day"),
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::At,
        name: "at",
        params: "d, h",
        takes: "a date and a time of day",
        arguments: "`date`, `time`",
        result: "`instant`: that time of that day in the zone",
        example: "at(date_of(t) + 2d, 04:00)",
        kind: Kind::Pure {
            typing: |args| match args {
                [Type::Date, Type::Time] => Some(Type::Instant),
                _ => None,
            },
            apply: |v, env| match v {
                [Value::Date(d), Value::Time(secs)] => ops::at(*d, *secs, env.zone),
                _ => Err(mismatch("at")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::Size,
        name: "size",
        params: "s",
        takes: "one set or list",
        arguments: "`set<T>` or `list<T>`",
        result: "`int`",
        example: "size(merchant.services)",
        kind: Kind::Pure {
            typing: |args| match args {
                [Type::Set(_) | Type::List(_)] => Some(Type::Int),
                _ => None,
            },
            apply: |v, _| {
                Ok(Value::Int(match &v[0] {
                    Value::List(items) => items.len() as i64,
                    other => ops::set_len(other),
                }))
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::MandatoryServices,
        name: "mandatory_services",
        params: "",
        takes: "no arguments",
        arguments: "",
        result: "`set<service>`",
        example: "mandatory_services()",
        kind: Kind::Services,
    },
    Def {
        builtin: Builtin::RequiredServices,
        name: "required_services",
        params: "",
        takes: "no arguments",
        arguments: "",
        result: "`set<service>`",
        example: "required_services()",
        kind: Kind::Services,
    },
    Def {
        builtin: Builtin::MissingServices,
        name: "missing_services",
        params: "",
        takes: "no arguments",
        arguments: "",
        result: "`set<service>`",
        example: "missing_services()",
        kind: Kind::Services,
    },
    Def {
        builtin: Builtin::Floor,
        name: "floor",
        params: "x, unit",
        takes: "a value and a unit of the same kind",
        arguments: "`money`, `duration`, `ratio` or `int`, and a unit of that type above zero",
        result: "that type: the largest multiple of `unit` at or below `x` (towards minus infinity)",
        example: "floor(order.amount * 5%, ¥1)",
        kind: Kind::Pure {
            typing: rounding,
            apply: |v, _| dates::round_to(Rounding::Floor, &v[0], &v[1]),
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::Ceil,
        name: "ceil",
        params: "x, unit",
        takes: "a value and a unit of the same kind",
        arguments: "`money`, `duration`, `ratio` or `int`, and a unit of that type above zero",
        result: "that type: the smallest multiple of `unit` at or above `x` (towards plus infinity)",
        example: "ceil(now - order.placed_at, 1d)",
        kind: Kind::Pure {
            typing: rounding,
            apply: |v, _| dates::round_to(Rounding::Ceil, &v[0], &v[1]),
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::Round,
        name: "round",
        params: "x, unit",
        takes: "a value and a unit of the same kind",
        arguments: "`money`, `duration`, `ratio` or `int`, and a unit of that type above zero",
        result: "that type: the nearest multiple of `unit`, halves away from zero",
        example: "round(order.amount * 3%, ¥0.10)",
        kind: Kind::Pure {
            typing: rounding,
            apply: |v, _| dates::round_to(Rounding::HalfAwayFromZero, &v[0], &v[1]),
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::Weekday,
        name: "weekday",
        params: "d",
        takes: "one date",
        arguments: "`date`",
        result: "`int`: 1 for Monday … 7 for Sunday (ISO 8601)",
        example: "weekday(date_of(order.placed_at))",
        kind: Kind::Pure {
            typing: |args| date_to(args, Type::Int),
            apply: |v, _| match v {
                [Value::Date(d)] => Ok(dates::weekday(*d)),
                _ => Err(mismatch("weekday")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::IsWorkingDay,
        name: "is_working_day",
        params: "d, cal",
        takes: "a date and a calendar",
        arguments: "`date`, a declared `calendar`",
        result: "`bool`: whether the calendar makes `d` a working day",
        example: "is_working_day(date_of(order.placed_at), workdays)",
        kind: Kind::Pure {
            typing: |args| match args {
                [d, Type::Calendar] => date_to(std::slice::from_ref(d), Type::Bool),
                _ => None,
            },
            apply: |v, env| match v {
                [Value::Date(d), Value::Calendar(c)] => {
                    Ok(Value::Bool(calendar(env, *c)?.is_working_day(*d)))
                }
                _ => Err(mismatch("is_working_day")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::WorkingDayAfter,
        name: "working_day_after",
        params: "d, n, cal",
        takes: "a date, a number of working days and a calendar",
        arguments: "`date`, `int` (0 or more), a declared `calendar`",
        result: "`date`: the `n`th working day after `d`, which itself never counts",
        example: "working_day_after(date_of(order.placed_at), 2, workdays)",
        kind: Kind::Pure {
            typing: |args| match args {
                [d, Type::Int, Type::Calendar] => date_to(std::slice::from_ref(d), Type::Date),
                _ => None,
            },
            apply: |v, env| match v {
                [Value::Date(d), Value::Int(n), Value::Calendar(c)] => {
                    dates::working_day_after(calendar(env, *c)?, *d, *n)
                }
                _ => Err(mismatch("working_day_after")),
            },
            none_in_none_out: true,
        },
    },
    Def {
        builtin: Builtin::WorkingDaysBetween,
        name: "working_days_between",
        params: "a, b, cal",
        takes: "two dates and a calendar",
        arguments: "`date`, `date`, a declared `calendar`",
        result: "`int`: the working days after `a` up to and including `b` (negative when `b` is before `a`)",
        example: "working_days_between(date_of(order.placed_at), date_of(now), workdays)",
        kind: Kind::Pure {
            typing: |args| match args {
                [a, b, Type::Calendar]
                    if a.unwrap_optional() == &Type::Date && b.unwrap_optional() == &Type::Date =>
                {
                    Some(if a.is_optional() || b.is_optional() {
                        Type::Int.optional()
                    } else {
                        Type::Int
                    })
                }
                _ => None,
            },
            apply: |v, env| match v {
                [Value::Date(a), Value::Date(b), Value::Calendar(c)] => {
                    dates::working_days_between(calendar(env, *c)?, *a, *b)
                }
                [_, Value::None, _] => Ok(Value::None),
                _ => Err(mismatch("working_days_between")),
            },
            none_in_none_out: true,
        },
    },
];

impl Builtin {
    /// The built-in called `name`.
    pub fn from_name(name: &str) -> Option<Builtin> {
        TABLE.iter().find(|d| d.name == name).map(|d| d.builtin)
    }

    /// Its definition in [`TABLE`].
    pub fn def(self) -> &'static Def {
        &TABLE[self as usize]
    }

    /// Its name in policies.
    pub fn name(self) -> &'static str {
        self.def().name
    }
}

impl Def {
    /// The call and what it gives, in one line: `date_of(t)`: `instant` →
    /// `date`: the calendar day in the policy's zone.
    pub fn signature(&self) -> String {
        match self.arguments {
            "" => format!("`{}()` → {}", self.name, self.result),
            args => format!("`{}({})`: {args} → {}", self.name, self.params, self.result),
        }
    }
}

/// Every built-in's name, for "did you mean" and help lines.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|d| d.name)
}

/// The reference table of docs/language.md, generated.
pub fn markdown_table() -> String {
    let mut out = String::from("| function | arguments | result |\n|---|---|---|\n");
    for d in &TABLE {
        out.push_str(&format!(
            "| `{}({})` | {} | {} |\n",
            d.name, d.params, d.arguments, d.result
        ));
    }
    out
}

fn mismatch(function: &'static str) -> EvalError {
    EvalError::BadArguments { function }
}

/// Two or more arguments of one ordered, non-optional type.
fn same_ordered(args: &[Type]) -> Option<Type> {
    let first = args.first()?;
    (args.len() >= 2 && first.is_ordered() && args.iter().all(|t| t == first))
        .then(|| first.clone())
}

/// One or more instants, optional or not; optional only if all are.
fn instants(args: &[Type]) -> Option<Type> {
    if args.is_empty() || !args.iter().all(|t| t.unwrap_optional() == &Type::Instant) {
        return None;
    }
    Some(if args.iter().all(Type::is_optional) {
        Type::Instant.optional()
    } else {
        Type::Instant
    })
}

/// One instant (or `instant?`, which makes the result optional) to `out`.
fn instant_to(args: &[Type], out: Type) -> Option<Type> {
    match args {
        [t] if t.unwrap_optional() == &Type::Instant => {
            Some(if t.is_optional() { out.optional() } else { out })
        }
        _ => None,
    }
}

/// The instant at `secs` past midnight on a date, or on the local day of an instant.
fn day_at(v: &[Value], secs: u32, env: &Env, name: &'static str) -> Result<Value, EvalError> {
    match v {
        [Value::Instant(t)] => match ops::date_of(t, env.zone) {
            Value::Date(d) => ops::at(d, secs, env.zone),
            _ => Err(mismatch(name)),
        },
        [Value::Date(d)] => ops::at(*d, secs, env.zone),
        _ => Err(mismatch(name)),
    }
}

/// One date (or `date?`, which makes the result optional) to `out`.
fn date_to(args: &[Type], out: Type) -> Option<Type> {
    match args {
        [t] if t.unwrap_optional() == &Type::Date => {
            Some(if t.is_optional() { out.optional() } else { out })
        }
        _ => None,
    }
}

/// One instant or one date (either may be optional) to `out`.
fn day_to(args: &[Type], out: Type) -> Option<Type> {
    instant_to(args, out.clone()).or_else(|| date_to(args, out))
}

/// A value of a kind that rounds, and a unit of the same kind.
fn rounding(args: &[Type]) -> Option<Type> {
    match args {
        [x, unit]
            if matches!(
                x.unwrap_optional(),
                Type::Money | Type::Duration | Type::Ratio | Type::Int
            ) && x.unwrap_optional() == unit =>
        {
            Some(x.clone())
        }
        _ => None,
    }
}

/// A calendar by index.
fn calendar<'e>(env: &Env<'e>, index: u32) -> Result<&'e Calendar, EvalError> {
    env.calendars
        .get(index as usize)
        .ok_or(EvalError::BadArguments {
            function: "calendar",
        })
}

#[cfg(test)]
mod tests {
    use super::{Builtin, TABLE};

    #[test]
    fn the_table_is_in_the_order_of_the_enum() {
        for (i, d) in TABLE.iter().enumerate() {
            assert_eq!(d.builtin as usize, i, "`{}` is out of place", d.name);
            assert_eq!(Builtin::from_name(d.name), Some(d.builtin));
            assert!(
                d.example.starts_with(&format!("{}(", d.name)),
                "{}",
                d.example
            );
        }
    }
}
