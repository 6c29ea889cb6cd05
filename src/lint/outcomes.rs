//! What a decision's outcome implies about its inputs: `auto_agree is agree`
//! holds only on the inputs that reach `agree` through its rules.

use super::logic::{inline_lets, Formula, Logic};
use crate::program::{ArmIr, Ir};

/// How many decisions deep an outcome's implications are followed: a chain
/// of outcomes longer than this is taken to imply nothing more.
const MAX_DEPTH: usize = 16;

impl Logic<'_> {
    /// The inputs on which decision `d` decides `outcome` (`None`:
    /// `not_applicable`), as a formula over its own inputs. Conservative:
    /// `true` when it cannot be worked out.
    pub(super) fn implied_by(&mut self, d: usize, outcome: Option<u32>) -> Formula {
        match self.implied.get(&(d, outcome)) {
            Some(Some(f)) => return f.clone(),
            // Being worked out: a policy that loads has no cycles, but say
            // nothing rather than loop.
            Some(None) => return Formula::Const(true),
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            return Formula::Const(true);
        }
        self.implied.insert((d, outcome), None);
        self.depth += 1;
        let f = self.paths_to(d, outcome);
        self.depth -= 1;
        // A result cut short by the depth is still sound: it implies less.
        self.implied.insert((d, outcome), Some(f.clone()));
        f
    }

    fn paths_to(&mut self, d: usize, outcome: Option<u32>) -> Formula {
        let program = self.program;
        let decision = &program.decisions[d];
        let mut lets: Vec<Ir> = Vec::new();
        for l in &decision.lets {
            let inlined = inline_lets(&l.expr, &lets);
            lets.push(inlined);
        }
        let trigger = match &decision.trigger {
            Some(t) => self.formula(&inline_lets(t, &lets)),
            None => Formula::Const(true),
        };
        let Some(outcome) = outcome else {
            return trigger.not();
        };
        let mut before = vec![trigger];
        let mut ways = Vec::new();
        // Built only for the rules that give `outcome`: building it for
        // every rule cost the square of the rules.
        let here = |before: &[Formula]| Formula::and(before.to_vec());
        for arm in &decision.arms {
            match arm {
                ArmIr::If {
                    cond, outcome: o, ..
                } => {
                    let c = self.formula(&inline_lets(cond, &lets));
                    if o.outcome == outcome {
                        ways.push(Formula::and(vec![here(&before), c.clone()]));
                    }
                    before.push(c.not());
                }
                ArmIr::Require {
                    each,
                    conditions,
                    pass,
                    fail,
                    span,
                } => {
                    let all = self.require(each.as_ref(), conditions, *span, &lets);
                    if pass.as_ref().is_some_and(|p| p.outcome == outcome) {
                        ways.push(Formula::and(vec![here(&before), all.clone()]));
                    }
                    if fail.outcome == outcome {
                        ways.push(Formula::and(vec![here(&before), all.not()]));
                    }
                    if pass.is_some() {
                        break;
                    }
                    before.push(all);
                }
                ArmIr::Else { outcome: o, .. } => {
                    if o.outcome == outcome {
                        ways.push(here(&before));
                    }
                    break;
                }
            }
        }
        Formula::or(ways)
    }
}
