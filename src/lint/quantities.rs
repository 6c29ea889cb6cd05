//! The numbers of a quoted clause, with their units and the words that bound
//! them: "300元以内" is ¥300, at most; "低于1000元" is ¥1000, excluded;
//! "T+2的凌晨4点" is two days, and 04:00.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::logic::Cmp;
use crate::types::{Rational, Value};

/// A number of a clause, as a value of the language.
#[derive(Clone, Debug)]
pub(super) struct Quantity {
    pub value: Value,
    /// As written: `300元`, `6小时`, `T+2`.
    pub text: String,
    /// The words that bound it, and the region they give a value `x`
    /// compared with it: `以内` is `x <= N`, `低于` is `x < N`.
    pub bound: Option<(Cmp, &'static str)>,
}

/// Words before a number, longest first: (word, region).
const BEFORE: &[(&str, Cmp)] = &[
    ("大于等于", Cmp::Ge),
    ("小于等于", Cmp::Le),
    ("不超过", Cmp::Le),
    ("不高于", Cmp::Le),
    ("不多于", Cmp::Le),
    ("不低于", Cmp::Ge),
    ("不少于", Cmp::Ge),
    ("最高", Cmp::Le),
    ("最多", Cmp::Le),
    ("至多", Cmp::Le),
    ("至少", Cmp::Ge),
    ("低于", Cmp::Lt),
    ("不足", Cmp::Lt),
    ("少于", Cmp::Lt),
    ("小于", Cmp::Lt),
    ("未满", Cmp::Lt),
    ("不满", Cmp::Lt),
    ("超过", Cmp::Gt),
    ("高于", Cmp::Gt),
    ("多于", Cmp::Gt),
    ("大于", Cmp::Gt),
];

/// Words after a number and its unit, longest first.
const AFTER: &[(&str, Cmp)] = &[
    ("以内", Cmp::Le),
    ("之内", Cmp::Le),
    ("以下", Cmp::Le),
    ("以上", Cmp::Ge),
    ("之前", Cmp::Lt),
    ("内", Cmp::Le),
    ("前", Cmp::Lt),
];

/// Units after a number: (unit, what it makes of the number).
const UNITS: &[(&str, Unit)] = &[
    ("个小时", Unit::Seconds(3_600)),
    ("小时", Unit::Seconds(3_600)),
    ("分钟", Unit::Seconds(60)),
    ("万元", Unit::Yuan(10_000)),
    ("元", Unit::Yuan(1)),
    ("块", Unit::Yuan(1)),
    ("天", Unit::Seconds(86_400)),
    ("日", Unit::Seconds(86_400)),
    ("周", Unit::Seconds(7 * 86_400)),
    ("秒", Unit::Seconds(1)),
    ("%", Unit::Percent),
    ("％", Unit::Percent),
    ("倍", Unit::Times),
    ("点半", Unit::HalfPast),
    ("点", Unit::OClock),
];

#[derive(Clone, Copy, Debug)]
enum Unit {
    Seconds(i64),
    Yuan(i64),
    Percent,
    Times,
    OClock,
    HalfPast,
}

const CHINESE_DIGITS: &str = "零一二三四五六七八九十";

/// Every quantity of a clause, in order.
pub(super) fn quantities(text: &str) -> Vec<Quantity> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((q, next)) = at(&chars, i) {
            out.extend(q);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The quantities that start at `i`, and where scanning resumes.
fn at(chars: &[char], i: usize) -> Option<(Vec<Quantity>, usize)> {
    let rest: String = chars[i..].iter().collect();
    // T+2: the request's day plus two days.
    if let Some(after) = rest.strip_prefix("T+").or_else(|| rest.strip_prefix("T＋")) {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let days: i64 = digits.parse().ok()?;
            let q = Quantity {
                value: Value::Duration(days.checked_mul(86_400)?),
                text: format!("T+{digits}"),
                bound: None,
            };
            return Some((vec![q], i + 2 + digits.chars().count()));
        }
    }
    // 假一赔九, 退一赔三: a multiple in Chinese numerals.
    if chars[i] == '赔' {
        let n = chars.get(i + 1).and_then(|c| chinese_digit(*c))?;
        let q = Quantity {
            value: Value::Int(n),
            text: format!("赔{}", chars[i + 1]),
            bound: None,
        };
        return Some((vec![q], i + 2));
    }
    if !chars[i].is_ascii_digit()
        || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
    {
        return None;
    }
    // 16:00, 23:59:59: a time of day.
    if let Some((secs, time_end)) = time_of_day(chars, i) {
        let text: String = chars[i..time_end].iter().collect();
        let bound = before_word(chars, i).or_else(|| after_word(chars, time_end));
        let q = Quantity {
            value: Value::Time(secs),
            text,
            bound,
        };
        return Some((vec![q], time_end));
    }
    let (number, mut end) = number(chars, i)?;
    let unit = UNITS.iter().find(|(u, _)| starts_with(chars, end, u));
    let mut values = Vec::new();
    match unit {
        Some((u, unit)) => {
            end += u.chars().count();
            match *unit {
                Unit::Seconds(s) => {
                    let secs = number.checked_mul(Decimal::from(s))?;
                    values.extend(whole(secs).map(Value::Duration));
                }
                Unit::Yuan(y) => values.push(Value::Money(number.checked_mul(Decimal::from(y))?)),
                Unit::Percent => {
                    let r = Rational::from_decimal(number.checked_div(Decimal::ONE_HUNDRED)?)?;
                    values.push(Value::Ratio(r));
                }
                Unit::Times => values.extend(whole(number).map(Value::Int)),
                Unit::OClock | Unit::HalfPast => {
                    let minutes = if matches!(unit, Unit::HalfPast) {
                        30
                    } else {
                        0
                    };
                    if let Some(h) = whole(number).filter(|h| (0..=24).contains(h)) {
                        let h = h as u32 % 24;
                        values.push(Value::Time(h * 3_600 + minutes * 60));
                        // 下午4点 is 16:00; without 上午 or 凌晨, read both.
                        let before: String = chars[i.saturating_sub(2)..i].iter().collect();
                        let morning = ["凌晨", "上午", "早上"].iter().any(|w| before.ends_with(w));
                        if h < 12 && !morning {
                            values.push(Value::Time((h + 12) * 3_600 + minutes * 60));
                        }
                    }
                }
            }
        }
        None => values.extend(whole(number).map(Value::Int)),
    }
    let text: String = chars[i..end].iter().collect();
    let bound = before_word(chars, i).or_else(|| after_word(chars, end));
    let out = values
        .into_iter()
        .map(|value| Quantity {
            value,
            text: text.clone(),
            bound,
        })
        .collect();
    Some((out, end))
}

/// A decimal number at `i` (`1,000`, `0.5`), and where it ends.
fn number(chars: &[char], i: usize) -> Option<(Decimal, usize)> {
    let mut end = i;
    let mut text = String::new();
    while end < chars.len() {
        let c = chars[end];
        let digit_follows = chars.get(end + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            text.push(c);
        } else if c == ',' && digit_follows && !text.contains('.') {
            // A thousands separator: 1,000元.
        } else if c == '.' && digit_follows && !text.contains('.') {
            text.push(c);
        } else {
            break;
        }
        end += 1;
    }
    Some((Decimal::from_str(&text).ok()?, end))
}

/// `HH:MM` or `HH:MM:SS` at `i`: seconds since midnight, and the end.
fn time_of_day(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let digit = |k: usize| chars.get(k).and_then(|c| c.to_digit(10));
    let two = |k: usize| Some(digit(k)? * 10 + digit(k + 1)?);
    let colon = |k: usize| matches!(chars.get(k), Some(':' | '：'));
    let (h, mut k) = match (digit(i), digit(i + 1)) {
        (Some(a), Some(b)) if colon(i + 2) => (a * 10 + b, i + 3),
        (Some(a), _) if colon(i + 1) => (a, i + 2),
        _ => return None,
    };
    let m = two(k)?;
    k += 2;
    let mut s = 0;
    if colon(k) {
        if let Some(x) = two(k + 1) {
            s = x;
            k += 3;
        }
    }
    (h < 24 && m < 60 && s < 60).then_some((h * 3_600 + m * 60 + s, k))
}

fn before_word(chars: &[char], i: usize) -> Option<(Cmp, &'static str)> {
    let before: String = chars[..i].iter().collect();
    BEFORE
        .iter()
        .find(|(w, _)| before.ends_with(w))
        .map(|(w, c)| (*c, *w))
}

fn after_word(chars: &[char], end: usize) -> Option<(Cmp, &'static str)> {
    AFTER
        .iter()
        .find(|(w, _)| starts_with(chars, end, w))
        .map(|(w, c)| (*c, *w))
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    let word: Vec<char> = word.chars().collect();
    chars.get(at..at + word.len()) == Some(word.as_slice())
}

fn whole(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        d.to_i64()
    } else {
        None
    }
}

fn chinese_digit(c: char) -> Option<i64> {
    CHINESE_DIGITS
        .chars()
        .position(|d| d == c)
        .map(|p| p as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, Option<&'static str>)> {
        quantities(text)
            .into_iter()
            .map(|q| (format!("{:?}", q.value), q.bound.map(|b| b.1)))
            .collect()
    }

    #[test]
    fn units_and_bounds() {
        assert_eq!(
            read("300元以内的商品"),
            vec![("Money(300)".into(), Some("以内"))]
        );
        assert_eq!(
            read("退款金额低于1000元"),
            vec![("Money(1000)".into(), Some("低于"))]
        );
        assert_eq!(
            read("下单6小时内"),
            vec![("Duration(21600)".into(), Some("内"))]
        );
        assert_eq!(
            read("签收60天内"),
            vec![("Duration(5184000)".into(), Some("内"))]
        );
        assert_eq!(
            read("当日16:00前下单成功的订单"),
            vec![("Time(57600)".into(), Some("前"))]
        );
        assert_eq!(
            read("在当日23:59:59前完成发货"),
            vec![("Time(86399)".into(), Some("前"))]
        );
        assert_eq!(
            read("不足48小时不再变更"),
            vec![("Duration(172800)".into(), Some("不足"))]
        );
        assert_eq!(read("假一赔九"), vec![("Int(9)".into(), None)]);
        assert_eq!(
            read("最高1,000元"),
            vec![("Money(1000)".into(), Some("最高"))]
        );
        assert_eq!(
            read("处理时效会变更为7天"),
            vec![("Duration(604800)".into(), None)]
        );
        assert_eq!(
            read("签收后24小时内腐烂变质"),
            vec![("Duration(86400)".into(), Some("内"))]
        );
        assert_eq!(
            read("满1000元减50元"),
            vec![("Money(1000)".into(), None), ("Money(50)".into(), None)]
        );
    }

    #[test]
    fn t_plus_and_hours_of_the_day() {
        let q = read("解约生效时间为T+2的凌晨4点");
        assert_eq!(q[0], ("Duration(172800)".into(), None));
        assert_eq!(q[1], ("Time(14400)".into(), None));
        assert_eq!(q.len(), 2, "凌晨 is the morning: {q:?}");
        assert_eq!(read("4点").len(), 2, "4 or 16 o'clock");
    }

    #[test]
    fn shares() {
        let q = quantities("好评订单比例大于等于60%");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].bound.map(|b| b.0), Some(Cmp::Ge));
        assert!(matches!(q[0].value, Value::Ratio(_)));
    }
}
