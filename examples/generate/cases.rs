//! Deterministic, realistic after-sales cases: one JSON object a line.
//!
//! Every case follows the facts shape of the integration contract, the same
//! for every shipped program, with the extra fields a platform sends and
//! vouch skips (ids, titles, logistics events). The fields of the second
//! wave of programs (an order's items and presale promise, a price claim)
//! are drawn from a second generator, so that the first wave's cases stay
//! what they were for the same seed. The mix reaches every
//! outcome of every shipped decision, including `not_applicable` and
//! `undetermined` (a needed field left out).

use std::fmt::Write as _;

/// SplitMix64: small, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (`hi` excluded).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo < hi);
        lo + (self.next_u64() % (hi - lo) as u64) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    /// An item chosen with the given weights.
    pub fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.next_u64() % total;
        for (w, item) in items {
            if roll < *w {
                return item;
            }
            roll -= w;
        }
        &items[items.len() - 1].1
    }
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// 2026-10-01T00:00:00+08:00.
const START: i64 = 1_790_784_000;
const CST: i64 = 8 * HOUR;

const ANXIN_MANDATORY: [&str; 5] = [
    "authenticity",
    "seven_day_return",
    "fast_refund",
    "shipping_insurance",
    "door_pickup",
];
const XINREN_BASE: [&str; 3] = ["seven_day_return", "fast_refund", "fake_one_pay_nine"];
const ADDONS: [&str; 6] = [
    "fresh_rot_compensation",
    "allergy_return",
    "return_shipping_subsidy",
    "damage_return",
    "broken_return",
    "door_pickup",
];
const OPTIONAL: [&str; 2] = ["same_day_ship", "ship_in_24h"];
const OTHER_SERVICES: [&str; 3] = ["price_protection", "installment_free", "fast_refund_plus"];

/// (weight, (category, a product title of that category)).
const CATEGORIES: [(u64, (&str, &str)); 9] = [
    (18, ("apparel", "加厚羊毛大衣 女款")),
    (16, ("beauty", "玻尿酸补水面膜")),
    (14, ("fresh", "智利车厘子 2斤装")),
    (12, ("home", "北欧简约四件套")),
    (8, ("shoes", "透气运动跑鞋")),
    (6, ("bags", "真皮单肩斜挎包")),
    (5, ("ceramics", "陶瓷餐具套装")),
    (14, ("digital", "蓝牙降噪耳机")),
    (7, ("toys", "益智拼装积木")),
];
const COURIERS: [(u64, &str); 11] = [
    (18, "zto"),
    (14, "yto"),
    (12, "yunda"),
    (10, "sto"),
    (12, "jt"),
    (10, "sf"),
    (5, "ems"),
    (6, "jd"),
    (3, "deppon"),
    (6, "best"),
    (4, "zjs"),
];
const NODES: [&str; 6] = [
    "杭州中心",
    "广州白云",
    "上海浦东",
    "成都双流",
    "武汉中心",
    "北京顺义",
];
const EVENT_TEXT: [&str; 5] = ["已揽收", "已发出", "已到达", "派送中", "已签收"];
const REASONS: [(u64, &str); 5] = [
    (35, "not_received"),
    (25, "quality"),
    (20, "no_reason"),
    (12, "wrong_item"),
    (8, "size_mismatch"),
];
const NOTES: [&str; 4] = ["物流没有更新", "与描述不符", "皮肤红肿", "水果坏了"];

/// Writes cases, one JSON object a line.
pub struct Generator {
    rng: Rng,
    /// Draws for the second wave's fields only.
    extra: Rng,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            extra: Rng::new(seed ^ 0x2d_5eed_u64.rotate_left(17)),
        }
    }

    /// Append one case and its newline to `out`.
    pub fn case(&mut self, out: &mut String) {
        let mut c = Case::new(&mut self.rng, &mut self.extra);
        c.write(out);
        out.push('\n');
    }
}

/// `cases` cases from `seed`, as JSONL bytes.
// For the benchmark and the tests; the example writes case by case.
#[allow(dead_code)]
pub fn corpus(cases: usize, seed: u64) -> String {
    let mut g = Generator::new(seed);
    let mut out = String::with_capacity(cases * 900);
    for _ in 0..cases {
        g.case(&mut out);
    }
    out
}

struct Order {
    placed_at: i64,
    shipped_at: Option<i64>,
    received_at: Option<i64>,
}

struct Case<'a> {
    rng: &'a mut Rng,
    extra: &'a mut Rng,
    now: i64,
    order: Order,
    /// The kind of after-sale request, if there is one.
    after_sale: Option<&'static str>,
    /// The parcel's status now, once the logistics section is written.
    logistics_status: Option<&'static str>,
}

impl<'a> Case<'a> {
    fn new(rng: &'a mut Rng, extra: &'a mut Rng) -> Case<'a> {
        let now = START + rng.range(0, 90 * DAY);
        let age = *rng.weighted(&[
            (40, (0, 12 * HOUR)),
            (30, (12 * HOUR, 5 * DAY)),
            (30, (5 * DAY, 90 * DAY)),
        ]);
        let placed_at = now - rng.range(age.0, age.1);
        let shipped_at = if now - placed_at < 4 * HOUR && rng.chance(60) {
            None
        } else {
            Some(placed_at + rng.range(20 * MINUTE, 40 * HOUR)).filter(|t| *t <= now)
        };
        let received_at = shipped_at
            .map(|s| s + rng.range(DAY, 4 * DAY))
            .filter(|t| *t <= now && rng.chance(85));
        let after_sale = rng.chance(70).then(|| {
            *rng.weighted(&[
                (40, "refund_only"),
                (20, "return_refund"),
                (12, "counterfeit"),
                (14, "spoiled"),
                (14, "allergy"),
            ])
        });
        Case {
            rng,
            extra,
            now,
            after_sale,
            logistics_status: None,
            order: Order {
                placed_at,
                shipped_at,
                received_at,
            },
        }
    }

    fn write(&mut self, out: &mut String) {
        out.push('{');
        let mut first = true;
        if !self.rng.chance(3) {
            let now = self.now;
            key(out, &mut first, "now");
            instant(out, now, self.rng.chance(2));
        }
        if !self.rng.chance(2) {
            key(out, &mut first, "merchant");
            self.merchant(out);
        }
        if !self.rng.chance(3) {
            key(out, &mut first, "product");
            self.product(out);
        }
        let has_order = !self.rng.chance(5);
        if has_order {
            key(out, &mut first, "order");
            self.order(out);
        }
        let shipped = self.order.shipped_at.is_some();
        if has_order && self.rng.chance(if shipped { 90 } else { 60 }) {
            key(out, &mut first, "logistics");
            self.logistics(out);
        }
        if let (true, Some(kind)) = (has_order, self.after_sale) {
            key(out, &mut first, "after_sale");
            self.after_sale(out, kind);
        }
        match self.rng.range(0, 100) {
            0..=39 => {
                key(out, &mut first, "live_room");
                let special = self.rng.chance(40);
                let room = self.rng.range(100_000, 999_999);
                let _ = write!(out, "{{\"room_id\":\"lr-{room}\",\"special\":{special}}}");
            }
            40..=49 => {
                key(out, &mut first, "live_room");
                out.push_str("null");
            }
            _ => {}
        }
        if self.rng.chance(55) {
            key(out, &mut first, "shop_stats");
            self.shop_stats(out);
        }
        if self.rng.chance(30) {
            key(out, &mut first, "request");
            self.request(out);
        }
        if has_order && self.extra.chance(40) {
            key(out, &mut first, "claim");
            let at = self.order.placed_at + self.extra.range(0, 20 * DAY);
            out.push_str("{\"requested_at\":");
            instant(out, at, false);
            out.push('}');
        }
        out.push('}');
    }

    fn merchant(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        let kind = *r.weighted(&[
            (80, "domestic"),
            (8, "cross_border"),
            (5, "hainan_duty_free"),
            (7, "auction"),
        ]);
        let _ = write!(
            out,
            "{{\"id\":\"m-{}\",\"kind\":\"{kind}\",\"services\":",
            r.range(1000, 99_999),
        );
        self.services(out);
        let r = &mut *self.rng;
        match r.range(0, 100) {
            0..=59 => {
                let enrolled = self.now - r.range(DAY, 400 * DAY);
                out.push_str(",\"anxin_gou\":{\"enrolled_at\":");
                instant(out, enrolled, false);
                // Left out now and then: the termination is then undetermined.
                let requested = match r.range(0, 100) {
                    0..=69 => Some(None),
                    70..=84 => Some(Some(self.now - r.range(0, 3 * DAY))),
                    85..=96 => Some(Some(self.now - r.range(3 * DAY, 60 * DAY))),
                    _ => None,
                };
                if let Some(t) = requested {
                    out.push_str(",\"termination_requested_at\":");
                    opt_instant(out, t);
                }
                out.push('}');
            }
            60..=64 => out.push_str(",\"anxin_gou\":null"),
            _ => {}
        }
        out.push('}');
    }

    /// The services a shop offers: usually a full set for one program or
    /// both, sometimes with one or two left out.
    fn services(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        let mut list: Vec<&str> = Vec::with_capacity(16);
        let profile = r.range(0, 100);
        if profile < 45 {
            list.extend(ANXIN_MANDATORY);
        }
        if (30..80).contains(&profile) {
            for s in XINREN_BASE {
                if !list.contains(&s) {
                    list.push(s);
                }
            }
        }
        if profile >= 80 {
            for s in ANXIN_MANDATORY.iter().chain(&XINREN_BASE) {
                if r.chance(60) && !list.contains(s) {
                    list.push(s);
                }
            }
        }
        for s in ADDONS {
            if r.chance(40) && !list.contains(&s) {
                list.push(s);
            }
        }
        for s in OPTIONAL {
            if r.chance(45) {
                list.push(s);
            }
        }
        if r.chance(20) {
            list.push(*r.pick(&OTHER_SERVICES));
        }
        if r.chance(15) && !list.is_empty() {
            let drop = r.range(0, list.len() as i64) as usize;
            list.remove(drop);
        }
        // Shuffle: platforms send services in no particular order.
        for i in (1..list.len()).rev() {
            let j = r.range(0, i as i64 + 1) as usize;
            list.swap(i, j);
        }
        out.push('[');
        for (i, s) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{s}\"");
        }
        out.push(']');
    }

    fn product(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        // Spoiled goods are mostly fresh food; allergies mostly cosmetics.
        let (category, title) = match self.after_sale {
            Some("spoiled") if r.chance(70) => CATEGORIES[2].1,
            Some("allergy") if r.chance(70) => CATEGORIES[1].1,
            _ => *r.weighted(&CATEGORIES),
        };
        let source = *r.weighted(&[(85, "native"), (5, "youzan"), (5, "mokuai"), (5, "taobao")]);
        let _ = write!(
            out,
            "{{\"id\":\"p-{}\",\"title\":\"{title}\",\"category\":\"{category}\",\"source\":\"{source}\",\
             \"flash_buy\":{}}}",
            r.range(10_000, 9_999_999),
            r.chance(12),
        );
    }

    fn order(&mut self, out: &mut String) {
        let amount = self.amount();
        let r = &mut *self.rng;
        let _ = write!(
            out,
            "{{\"id\":\"o-{}\",\"amount\":",
            r.range(100_000_000, 999_999_999),
        );
        if r.chance(5) {
            let _ = write!(out, "{}", fen_number(amount));
        } else {
            let _ = write!(out, "\"{}\"", fen(amount));
        }
        if !r.chance(2) {
            out.push_str(",\"placed_at\":");
            instant(out, self.order.placed_at, false);
        }
        out.push_str(",\"shipped_at\":");
        opt_instant(out, self.order.shipped_at);
        out.push_str(",\"received_at\":");
        opt_instant(out, self.order.received_at);
        self.second_wave_order(out);
        out.push('}');
    }

    /// The presale promise and the items, from the second generator.
    fn second_wave_order(&mut self, out: &mut String) {
        let placed_at = self.order.placed_at;
        let r = &mut *self.extra;
        match r.range(0, 100) {
            0..=79 => out.push_str(",\"presale_ship_by\":null"),
            80..=96 => {
                out.push_str(",\"presale_ship_by\":");
                instant(out, placed_at + r.range(6 * HOUR, 3 * DAY), false);
            }
            _ => {}
        }
        if r.chance(3) {
            return;
        }
        out.push_str(",\"items\":[");
        let count = *r.weighted(&[(3, 0), (50, 1), (30, 2), (12, 3), (5, 5)]);
        for i in 0..count {
            if i > 0 {
                out.push(',');
            }
            let category = *r.weighted(&[
                (30, "appliances"),
                (30, "accessories"),
                (20, "books"),
                (10, "fresh"),
                (10, "virtual"),
            ]);
            let price = r.range(990, 600_000) / 10 * 10;
            let _ = write!(
                out,
                "{{\"sku\":\"sku-{}\",\"title\":\"item {i}\",\"category\":\"{category}\",\
                 \"unit_price\":\"{}\",\"quantity\":{},\"price_protected\":{}",
                r.range(1000, 99_999),
                fen(price),
                *r.weighted(&[(80, 1), (15, 2), (5, 3)]),
                r.chance(85),
            );
            // The current price: unchanged, dropped by up to a fifth, or
            // risen; now and then not sent (the claim is then undetermined).
            let current = match r.range(0, 100) {
                0..=39 => Some(price),
                40..=89 => Some(price - price * r.range(1, 20) / 100),
                90..=97 => Some(price + price / 10),
                _ => None,
            };
            if let Some(c) = current {
                let _ = write!(out, ",\"current_price\":\"{}\"", fen(c));
            }
            out.push('}');
        }
        out.push(']');
    }

    /// An amount in fen: mostly everyday prices, sometimes large.
    fn amount(&mut self) -> i64 {
        let r = &mut *self.rng;
        let base = *r.weighted(&[
            (60, (500, 30_000)),
            (30, (30_000, 120_000)),
            (10, (120_000, 500_000)),
        ]);
        let fen = r.range(base.0, base.1);
        // Prices end in .00, .90 or .99 more often than not.
        match r.range(0, 4) {
            0 => fen / 100 * 100,
            1 => fen / 100 * 100 + 90,
            2 => fen / 100 * 100 + 99,
            _ => fen,
        }
    }

    fn logistics(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        let courier = *r.weighted(&COURIERS);
        let received = self.order.received_at;
        let status = match (self.order.shipped_at, received) {
            (None, _) => "not_shipped",
            (_, Some(_)) => *r.weighted(&[(85, "delivered"), (15, "in_transit")]),
            (_, None) => *r.weighted(&[(80, "in_transit"), (10, "exception"), (10, "returned")]),
        };
        self.logistics_status = Some(status);
        let _ = write!(out, "{{\"courier\":\"{courier}\",\"status\":\"{status}\"");
        let Some(shipped) = self.order.shipped_at else {
            // A courier is assigned when the label is printed, before shipping.
            out.push_str(
                ",\"intercepted_at\":null,\"rejected_at\":null,\"signed_at\":null,\"events\":[]}",
            );
            return;
        };
        let event = |r: &mut Rng, pct| {
            (r.chance(pct) && shipped < self.now).then(|| r.range(shipped, self.now + 1))
        };
        let intercepted = event(r, 6);
        let rejected = event(r, 6);
        out.push_str(",\"intercepted_at\":");
        opt_instant(out, intercepted);
        out.push_str(",\"rejected_at\":");
        opt_instant(out, rejected);
        out.push_str(",\"signed_at\":");
        opt_instant(out, received);
        out.push_str(",\"events\":[");
        let events = if r.chance(60) { 1 } else { 2 };
        let span = (self.now - shipped).max(1);
        for i in 0..events {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"at\":");
            instant(out, shipped + span * i / events, false);
            let _ = write!(
                out,
                ",\"text\":\"{}{}\"}}",
                r.pick(&NODES),
                EVENT_TEXT[(i as usize).min(EVENT_TEXT.len() - 1)]
            );
        }
        out.push_str("]}");
    }

    fn after_sale(&mut self, out: &mut String, kind: &str) {
        let o = &self.order;
        let requested = match kind {
            "spoiled" => o.received_at.map(|t| t + self.rng.range(0, 40 * HOUR)),
            "allergy" => o.received_at.map(|t| t + self.rng.range(0, 80 * DAY)),
            "refund_only" if self.rng.chance(55) => Some(o.placed_at + self.rng.range(0, 8 * HOUR)),
            _ => None,
        };
        let requested = requested
            .unwrap_or_else(|| {
                let offset = self.rng.range(0, (self.now - o.placed_at).max(1));
                match (kind, o.shipped_at) {
                    // A refund only on a parcel that is on its way: the
                    // refund after rejection, whatever happens to the parcel
                    // afterwards (the same draw, so other cases are unchanged).
                    ("refund_only", Some(shipped)) if offset % 2 == 0 => {
                        let until = o.received_at.unwrap_or(self.now);
                        shipped + offset % (until - shipped).max(1)
                    }
                    _ => o.placed_at + offset,
                }
            })
            .min(self.now);
        let amount = self.amount();
        let r = &mut *self.rng;
        // "Not received" is the usual reason while the parcel is on its way.
        let in_transit = self.order.shipped_at.is_some() && self.order.received_at.is_none();
        let reason = if kind == "refund_only" && r.chance(if in_transit { 85 } else { 30 }) {
            "not_received"
        } else {
            *r.weighted(&REASONS)
        };
        let _ = write!(
            out,
            "{{\"kind\":\"{kind}\",\"reason\":\"{reason}\",\"amount\":\"{}\"",
            fen(amount)
        );
        if !r.chance(3) {
            out.push_str(",\"requested_at\":");
            instant(out, requested, false);
            // The status the platform recorded with the request, read from
            // the timeline (no draw, so the rest of the case is unchanged).
            let o = &self.order;
            let at_request = match (o.shipped_at, o.received_at) {
                (None, _) => "not_shipped",
                (Some(shipped), _) if shipped > requested => "not_shipped",
                (_, Some(received)) if received <= requested => "delivered",
                _ if self.logistics_status == Some("exception") => "exception",
                _ => "in_transit",
            };
            let _ = write!(out, ",\"logistics_status\":\"{at_request}\"");
        }
        if kind == "return_refund" || r.chance(20) {
            let _ = write!(out, ",\"shipping_cost\":\"{}\"", fen(r.range(600, 4_000)));
        }
        // Now and then a field the platform should send is left out.
        if (kind == "counterfeit" && !r.chance(3)) || r.chance(10) {
            let _ = write!(out, ",\"verified\":{}", r.chance(50));
        }
        if r.chance(30) {
            let _ = write!(out, ",\"note\":\"{}\"", r.pick(&NOTES));
        }
        out.push('}');
    }

    fn shop_stats(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        let orders = if r.chance(8) { 0 } else { r.range(1, 20_000) };
        let products = if r.chance(6) { 0 } else { r.range(1, 800) };
        let share = |r: &mut Rng, n: i64| {
            if n == 0 {
                0
            } else {
                // Around the 60% threshold, on both sides of it.
                n * r.range(35, 100) / 100
            }
        };
        let trust_orders = share(r, orders);
        let trust_products = share(r, products);
        let _ = write!(
            out,
            "{{\"orders_14d\":{orders},\"trust_orders_14d\":{trust_orders},\"products_sold\":{products}"
        );
        if !r.chance(3) {
            let _ = write!(out, ",\"trust_products_sold\":{trust_products}");
        }
        out.push('}');
    }

    fn request(&mut self, out: &mut String) {
        let r = &mut *self.rng;
        if r.chance(55) {
            let service = *r.weighted(&[
                (30, "door_pickup"),
                (25, "same_day_ship"),
                (15, "fast_refund"),
                (15, "ship_in_24h"),
                (15, "authenticity"),
            ]);
            let _ = write!(
                out,
                "{{\"kind\":\"cancel_service\",\"service\":\"{service}\"}}"
            );
        } else {
            let _ = write!(
                out,
                "{{\"kind\":\"add_to_special_room\",\"room_id\":\"lr-{}\"}}",
                r.range(100_000, 999_999)
            );
        }
    }
}

fn key(out: &mut String, first: &mut bool, name: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

fn opt_instant(out: &mut String, t: Option<i64>) {
    match t {
        Some(t) => instant(out, t, false),
        None => out.push_str("null"),
    }
}

/// RFC 3339 in +08:00, or in UTC with `Z` when `utc`.
fn instant(out: &mut String, t: i64, utc: bool) {
    let local = if utc { t } else { t + CST };
    let (days, secs) = (local.div_euclid(DAY), local.rem_euclid(DAY));
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "\"{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{}\"",
        secs / HOUR,
        secs / MINUTE % 60,
        secs % 60,
        if utc { "Z" } else { "+08:00" }
    );
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Fen as a decimal string with two places.
fn fen(f: i64) -> String {
    format!("{}.{:02}", f / 100, f % 100)
}

/// Fen as a JSON number, as some platforms send it (`59.9`, `120`).
fn fen_number(f: i64) -> String {
    match (f % 100, f % 10) {
        (0, _) => format!("{}", f / 100),
        (_, 0) => format!("{}.{}", f / 100, f % 100 / 10),
        _ => fen(f),
    }
}
