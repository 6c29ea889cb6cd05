//! Lints: mistakes in a policy that loads, found before any order is decided.
//!
//! [`lint`] runs every lint on a checked policy (its spanned AST and its
//! program), applies the suppressions written in the file, and returns the
//! findings sorted by position. Each lint has a stable name and code and is
//! documented in [`registry::LINTS`].

mod calendars;
mod causes;
mod cited;
mod declarations;
mod division;
mod literals;
mod logic;
mod outcomes;
mod quantities;
mod reach;
pub mod registry;
mod solve;
mod suppress;
mod unused;

use crate::ast;
use crate::diagnostic::Finding;
use crate::program::{Ir, IrKind, Program};
use crate::source::{SourceFile, Span};
use crate::types::{
    format_duration, format_instant, format_money, format_ratio, format_time, Value,
};

pub use registry::{Lint, LINTS};

/// Lint a policy that parsed and checked: every finding, suppressions
/// applied, sorted by position.
pub fn lint(source: &SourceFile, policy: &ast::Policy, program: &Program) -> Vec<Finding> {
    let mut cx = Cx {
        source,
        policy,
        program,
        findings: Vec::new(),
    };
    reach::check(&mut cx);
    declarations::check(&mut cx);
    literals::check(&mut cx);
    calendars::check(&mut cx);
    cited::check(&mut cx);
    unused::check(&mut cx);
    division::check(&mut cx);
    let mut findings = cx.findings;
    // A `let` inlined in two conditions must not be reported twice.
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    findings.dedup_by(|a, b| a.code == b.code && a.span == b.span);
    let mut findings = suppress::apply(source, policy, findings);
    sort(&mut findings);
    findings
}

/// Sort findings by position, then code, as every output lists them.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
}

/// What every lint reads and where it reports.
pub(crate) struct Cx<'a> {
    pub source: &'a SourceFile,
    pub policy: &'a ast::Policy,
    pub program: &'a Program,
    pub findings: Vec<Finding>,
}

impl Cx<'_> {
    /// Report a finding of a lint at its default level.
    pub fn report(
        &mut self,
        lint: &'static Lint,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        let mut f = Finding::new(self.source, lint.code, span, message);
        f.level(lint.level);
        self.findings.push(f);
        self.findings.last_mut().expect("just pushed")
    }

    /// A value as the policy would write it: `¥300.00`, `6h`, `60%`.
    pub fn show(&self, v: &Value) -> String {
        let p = self.program;
        match v {
            Value::None => "none".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Money(m) => format!("¥{}", format_money(*m)),
            Value::Ratio(r) => format_ratio(*r),
            Value::Text(t) => format!("\"{t}\""),
            Value::Other(t) => t.to_string(),
            Value::Variant(i) => p.variants[*i as usize].1.to_string(),
            Value::Instant(t) => format_instant(*t, p.zone),
            Value::Duration(d) => format_duration(*d),
            Value::Time(t) => format_time(*t),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Months(n) => format!("{n}mo"),
            Value::Calendar(i) => p.calendars[*i as usize].name.clone(),
            Value::Record(_) => "{…}".into(),
            Value::List(items) | Value::Set(items) => {
                let parts: Vec<String> = items.iter().map(|i| self.show(i)).collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Map(entries) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{} => {}", self.show(k), self.show(v)))
                    .collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }

    /// Point at each parameter an expression reads, with its value.
    pub fn note_params(&mut self, ir: &Ir) {
        let mut params = Vec::new();
        ir.walk(&mut |e| {
            if let IrKind::Param(i) = e.kind {
                if !params.contains(&i) {
                    params.push(i);
                }
            }
        });
        let notes: Vec<(Span, String)> = params
            .iter()
            .map(|&i| {
                let p = &self.program.params[i as usize];
                (
                    p.value_span,
                    format!("`{}` is {}", p.name, self.show(&p.value)),
                )
            })
            .collect();
        if let Some(f) = self.findings.last_mut() {
            f.related.extend(notes);
        }
    }
}
