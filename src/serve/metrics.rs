//! The server's metrics in the Prometheus text format.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::engine::Policy;
use crate::eval::{CaseResult, Status};

/// Every metric the server keeps.
pub(crate) struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    decisions: IntCounterVec,
    pub(crate) reloads: IntCounter,
    pub(crate) refused: IntCounter,
    pub(crate) policies: IntGauge,
}

/// Latency buckets in seconds: 100 µs to 10 s.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5, 10.0,
];

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "vouch_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["route", "status"],
        )
        .expect("a valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "vouch_http_request_duration_seconds",
                "time from a request's arrival to its response headers, by route",
            )
            .buckets(BUCKETS.to_vec()),
            &["route"],
        )
        .expect("a valid metric");
        let decisions = IntCounterVec::new(
            Opts::new(
                "vouch_decisions_total",
                "decisions made, by policy, decision and outcome (single and batch)",
            ),
            &["policy", "decision", "outcome"],
        )
        .expect("a valid metric");
        let reloads = IntCounter::new(
            "vouch_policy_reloads_total",
            "policy files loaded and swapped in, removals included",
        )
        .expect("a valid metric");
        let refused = IntCounter::new(
            "vouch_policy_reloads_refused_total",
            "policy edits refused because the file has errors or a duplicate id",
        )
        .expect("a valid metric");
        let policies = IntGauge::new("vouch_policies_loaded", "policies being served")
            .expect("a valid metric");
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(decisions.clone()),
            Box::new(reloads.clone()),
            Box::new(refused.clone()),
            Box::new(policies.clone()),
        ] {
            registry.register(m).expect("metric names are distinct");
        }
        Metrics {
            registry,
            requests,
            latency,
            decisions,
            reloads,
            refused,
            policies,
        }
    }

    /// Count one answered request.
    pub(crate) fn request(&self, route: &str, status: u16, seconds: f64) {
        let mut code = itoa::Buffer::new();
        self.requests
            .with_label_values(&[route, code.format(status)])
            .inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    /// Counters for each outcome of each decision of a policy, resolved once
    /// so that counting a case looks up no label.
    pub(crate) fn counters(&self, policy: &Policy) -> OutcomeCounters {
        let program = policy.program();
        let per_decision = (program.decisions.iter())
            .map(|d| {
                let outcomes = d.outcomes.iter().map(|o| &*o.name);
                let others = ["not_applicable", "undetermined", "error"];
                (outcomes.chain(others))
                    .map(|outcome| {
                        self.decisions
                            .with_label_values(&[policy.id(), &d.name, outcome])
                    })
                    .collect()
            })
            .collect();
        OutcomeCounters { per_decision }
    }

    /// Everything, in the Prometheus text format.
    pub(crate) fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Encoding gathered metrics into memory cannot fail.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        out
    }
}

/// One policy's decision counters: per decision, its outcomes then
/// `not_applicable`, `undetermined` and `error`.
pub(crate) struct OutcomeCounters {
    per_decision: Vec<Vec<IntCounter>>,
}

impl OutcomeCounters {
    /// Count every decision of one case.
    pub(crate) fn count(&self, case: &CaseResult) {
        for (counters, d) in self.per_decision.iter().zip(&case.decisions) {
            if let Some(c) = counters.get(slot(counters.len(), &d.status)) {
                c.inc();
            }
        }
    }

    /// Counts kept by one batch worker, added to these counters after each
    /// chunk rather than case by case, so that workers do not contend.
    pub(crate) fn tally(&self) -> OutcomeTally<'_> {
        OutcomeTally {
            counters: self,
            counts: self.per_decision.iter().map(|c| vec![0; c.len()]).collect(),
        }
    }
}

/// Where a decision's status is counted among its counters.
fn slot(counters: usize, status: &Status) -> usize {
    let outcomes = counters.saturating_sub(3);
    match status {
        Status::Outcome(o) => *o as usize,
        Status::NotApplicable => outcomes,
        Status::Undetermined => outcomes + 1,
        Status::Error(..) => outcomes + 2,
    }
}

/// One worker's counts, not yet added to the shared counters.
pub(crate) struct OutcomeTally<'c> {
    counters: &'c OutcomeCounters,
    counts: Vec<Vec<u64>>,
}

impl crate::stream::Tally for OutcomeTally<'_> {
    fn case(&mut self, case: &CaseResult) {
        for (counts, d) in self.counts.iter_mut().zip(&case.decisions) {
            let at = slot(counts.len(), &d.status);
            if let Some(n) = counts.get_mut(at) {
                *n += 1;
            }
        }
    }

    fn flush(&mut self) {
        let shared = self.counters.per_decision.iter();
        for (counts, counters) in self.counts.iter_mut().zip(shared) {
            for (n, counter) in counts.iter_mut().zip(counters) {
                if *n > 0 {
                    counter.inc_by(std::mem::take(n));
                }
            }
        }
    }
}
