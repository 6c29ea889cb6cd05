//! Fast paths for the common spellings of timestamps and money.
//!
//! Each returns `None` for anything but the plainest form, and the caller
//! then parses with the general parser; so a fast path only has to agree
//! with the general one where it answers, and the tests check that it does.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn digits<const N: usize>(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b.get(..N)? {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// `2026-11-20T10:30:00+08:00`, `2026-11-20T02:30:00.5Z`: RFC 3339 as platforms write it.
pub(crate) fn instant(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let year = i32::try_from(digits::<4>(b)?).ok()?;
    let month = digits::<2>(&b[5..])?;
    let day = digits::<2>(&b[8..])?;
    let hour = digits::<2>(&b[11..])?;
    let minute = digits::<2>(&b[14..])?;
    let second = digits::<2>(&b[17..])?;
    // chrono checks the calendar (month lengths, leap years) and the clock.
    let local = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        for &c in &frac[..n] {
            nanos = nanos * 10 + u32::from(c - b'0');
        }
        nanos *= 10u32.pow(9 - n as u32);
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = digits::<2>(&[*h1, *h2])?;
            let m = digits::<2>(&[*m1, *m2])?;
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return None,
    };
    DateTime::from_timestamp(local.and_utc().timestamp() - offset, nanos)
}

/// `129.00`, `59.9`, `120`: a plain non-negative amount with at most two places.
pub(crate) fn money(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    let (whole, frac) = match memchr::memchr(b'.', b) {
        Some(dot) => (&b[..dot], &b[dot + 1..]),
        None => (b, &[][..]),
    };
    if whole.is_empty()
        || whole.len() > 16
        || frac.len() > 2
        || (frac.is_empty() && whole.len() < b.len())
    {
        return None;
    }
    let mut mantissa = 0i64;
    for &c in whole.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + i64::from(c - b'0');
    }
    Some(Decimal::new(mantissa, frac.len() as u32))
}

/// A time of day, `16:00` or `16:00:30`.
pub(super) fn time_of_day(s: &str) -> Option<u32> {
    let mut parts = s.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let sec: u32 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    (h < 24 && m < 60 && sec < 60 && parts.next().is_none()).then_some(h * 3600 + m * 60 + sec)
}

/// A duration such as `6h` or `1d12h`.
pub(super) fn duration(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num: Option<i64> = None;
    for c in s.trim().chars() {
        if let Some(d) = c.to_digit(10) {
            num = Some(
                num.unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(i64::from(d))?,
            );
        } else {
            let unit = match c {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                's' => 1,
                _ => return None,
            };
            total = total.checked_add(num.take()?.checked_mul(unit)?)?;
        }
    }
    (num.is_none()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// SplitMix64, for reproducible samples.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn chrono_instant(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn instants_agree_with_chrono() {
        let fixed = [
            "2026-11-20T10:30:00+08:00",
            "2026-11-20T02:30:00Z",
            "2026-11-20T02:30:00.5Z",
            "2026-11-20T02:30:00.123456789-05:30",
            "2024-02-29T23:59:59+14:00",
            "2023-02-29T00:00:00Z",
            "0000-01-01T00:00:00+08:00",
            "9999-12-31T23:59:59-23:59",
            "2026-11-20T24:00:00Z",
            "2026-11-20T23:59:60Z",
            "2026-11-20t10:30:00z",
            "2026-11-20 10:30:00+08:00",
            "2026-11-20T10:30:00+0800",
            "2026-11-20T10:30:00",
            "2026-11-20T10:30:00.Z",
            "2026-11-20T10:30:00.1234567891Z",
            "2026-13-01T00:00:00Z",
            "2026-1-01T00:00:00Z",
            "+2026-11-20T10:30:00Z",
        ];
        for s in fixed {
            if let Some(t) = instant(s) {
                assert_eq!(Some(t), chrono_instant(s), "{s}");
            }
        }
        assert!(instant(fixed[0]).is_some() && instant(fixed[3]).is_some());
        // Random well-formed and nearly well-formed timestamps.
        let mut state = 7u64;
        let template = b"2026-11-20T10:30:00.123+08:00";
        for _ in 0..200_000 {
            let r = next(&mut state);
            let mut s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                r % 10_000,
                (r >> 14) % 14,
                (r >> 18) % 33,
                (r >> 24) % 26,
                (r >> 30) % 62,
                (r >> 36) % 62
            );
            match (r >> 42) % 4 {
                0 => s.push('Z'),
                1 => s.push_str(&format!("+{:02}:{:02}", (r >> 46) % 25, (r >> 52) % 61)),
                2 => s.push_str(&format!(
                    ".{}-{:02}:30",
                    (r >> 46) % 1_000_000,
                    (r >> 52) % 24
                )),
                _ => {
                    // One byte of a good timestamp changed.
                    let mut t = template.to_vec();
                    let i = (r >> 46) as usize % t.len();
                    t[i] = b" 0123456789:-+TZ.x"[(r >> 52) as usize % 18];
                    s = String::from_utf8(t).unwrap();
                }
            }
            if let Some(t) = instant(&s) {
                assert_eq!(Some(t), chrono_instant(&s), "{s}");
            }
        }
    }

    #[test]
    fn money_agrees_with_rust_decimal() {
        for s in [
            "129.00",
            "129",
            "59.9",
            "0",
            "0.00",
            "007.50",
            "9999999999999999.99",
            "129.",
            ".5",
            "1.234",
            "-1.00",
            "+1.00",
            " 1.00",
            "1,00",
            "1e3",
            "",
            ".",
            "12a.00",
            "99999999999999999",
        ] {
            if let Some(m) = money(s) {
                let d = Decimal::from_str(s).expect("rust_decimal reads it too");
                assert_eq!((m.mantissa(), m.scale()), (d.mantissa(), d.scale()), "{s}");
            }
        }
        assert_eq!(money("129.00"), Decimal::from_str("129.00").ok());
        assert_eq!(money("1.234"), None);
        assert_eq!(money("-1.00"), None);
    }
}
