//! The values of an expression's parts, recorded only when explaining.
//!
//! Runs after the evaluator has decided a step, on the same facts, so the
//! evaluator itself stays as fast with `explain` off as without traces.

use crate::ast::BinOp;
use crate::program::{Ir, IrKind};
use crate::types::Value;

use super::{Annot, Ctx};

impl Ctx<'_> {
    /// Evaluate an expression and each of its parts, as the evaluator did:
    /// parts that `and`, `or`, `??` and `if` skip stay unevaluated.
    pub(super) fn annotate(&mut self, ir: &Ir) -> Annot {
        let value = self.eval(ir).ok();
        let parts = match &ir.kind {
            IrKind::Let(i) => {
                let program = self.program;
                let expr = &program.decisions[self.decision].lets[*i as usize].expr;
                vec![Some(self.annotate(expr))]
            }
            IrKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                let left = self.annotate(a);
                let stops = left.value == Some(Value::Bool(*op == BinOp::Or));
                let right = (!stops).then(|| self.annotate(b));
                vec![Some(left), right]
            }
            IrKind::Binary(BinOp::Coalesce, a, b) => {
                let left = self.annotate(a);
                let stops = !matches!(left.value, Some(Value::None) | None);
                let right = (!stops).then(|| self.annotate(b));
                vec![Some(left), right]
            }
            IrKind::If(c, t, f) => {
                let cond = self.annotate(c);
                let (then, other) = match cond.value {
                    Some(Value::Bool(true)) => (Some(self.annotate(t)), None),
                    Some(Value::Bool(false)) => (None, Some(self.annotate(f))),
                    _ => (None, None),
                };
                vec![Some(cond), then, other]
            }
            // The body is evaluated once per item: no one value to show.
            IrKind::Each { list, .. } => vec![Some(self.annotate(list)), None],
            _ => ir
                .parts()
                .into_iter()
                .map(|p| Some(self.annotate(p)))
                .collect(),
        };
        Annot { value, parts }
    }
}
