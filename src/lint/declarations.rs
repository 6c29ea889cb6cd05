//! Declarations: parameters, facts and sources nothing uses; reason codes
//! given by two conditions.

use super::registry;
use std::collections::HashMap;

use super::Cx;
use crate::ast::{self, Arm, ExprKind, Requirement, Stmt};
use crate::program::IrKind;
use crate::source::Span;

pub(super) fn check(cx: &mut Cx) {
    unused_params(cx);
    unused_facts(cx);
    duplicate_reasons(cx);
    unused_sources(cx);
}

fn unused_params<'p>(cx: &mut Cx<'p>) {
    let program = cx.program;
    let mut used = vec![false; program.params.len()];
    for d in &program.decisions {
        for e in d.exprs() {
            e.walk(&mut |ir| {
                if let IrKind::Param(i) = ir.kind {
                    used[i as usize] = true;
                }
            });
        }
    }
    // Parameters and service requirements keep no expressions once
    // evaluated: read their names from the syntax tree.
    let mut names: Vec<&str> = Vec::new();
    let mut note = |e: &'p ast::Expr| {
        e.walk(&mut |x| {
            if let ExprKind::Path(p) = &x.node {
                names.push(p);
            }
        })
    };
    let policy: &'p ast::Policy = cx.policy;
    for p in &policy.params {
        note(&p.value);
    }
    if let Some(block) = &policy.services {
        for s in &block.services {
            if let Requirement::RequiredFor(e) = &s.requirement {
                note(e);
            }
        }
    }
    for (i, p) in program.params.iter().enumerate() {
        if used[i] || names.iter().any(|n| *n == p.name) {
            continue;
        }
        cx.report(
            &registry::UNUSED_PARAM,
            p.span,
            format!("the parameter `{}` is never used", p.name),
        )
        .label("never used")
        .help("remove it, or use it in the rule that was meant to read it");
    }
}

fn unused_facts(cx: &mut Cx) {
    let facts = &cx.program.facts;
    let mut read = vec![false; facts.leaves.len()];
    let mut tested: Vec<u32> = Vec::new();
    for d in &cx.program.decisions {
        for e in d.exprs() {
            e.walk(&mut |ir| match ir.kind {
                IrKind::Fact(l) => read[l as usize] = true,
                // A dated parameter reads its `as_of` fact.
                IrKind::Param(p) => {
                    if let Some(l) = cx.program.params[p as usize].as_of {
                        read[l as usize] = true;
                    }
                }
                IrKind::Exists(n) => match facts.nodes[n as usize].leaf {
                    Some(l) => read[l as usize] = true,
                    None => tested.push(n),
                },
                _ => {}
            });
        }
    }
    if let Some(s) = &cx.program.services {
        read[s.offered as usize] = true;
        if let Some(c) = s.category {
            read[c as usize] = true;
        }
    }
    // A section tested with `exists` needs a fact under it to be declared.
    let under = |leaf: usize, section: u32| {
        let mut n = Some(facts.leaves[leaf].node);
        while let Some(node) = n {
            if node == section {
                return true;
            }
            n = facts.nodes[node as usize].parent;
        }
        false
    };
    let exempt: Vec<u32> = tested
        .into_iter()
        .filter(|&s| !(0..read.len()).any(|l| read[l] && under(l, s)))
        .collect();
    let mut unused = Vec::new();
    for (l, leaf) in facts.leaves.iter().enumerate() {
        if read[l] || exempt.iter().any(|&s| under(l, s)) {
            continue;
        }
        unused.push((leaf.span, leaf.path.clone()));
    }
    for (span, path) in unused {
        cx.report(
            &registry::UNUSED_FACT,
            span,
            format!("the fact `{path}` is never read"),
        )
        .label("no rule reads it")
        .help("remove it from `facts`, or read it in the rule that needs it; a declared fact is still decoded and validated for every case");
    }
}

fn duplicate_reasons(cx: &mut Cx) {
    let mut found: Vec<(Span, Span, String)> = Vec::new();
    for d in &cx.policy.decisions {
        let mut first: HashMap<&str, Span> = HashMap::new();
        for stmt in &d.body {
            let Stmt::Arm(Arm::Require { conditions, .. }) = stmt else {
                continue;
            };
            for c in conditions {
                match first.get(c.reason.node.as_str()) {
                    Some(&span) => found.push((c.reason.span, span, c.reason.node.clone())),
                    None => {
                        first.insert(&c.reason.node, c.reason.span);
                    }
                }
            }
        }
    }
    for (span, first, reason) in found {
        cx.report(
            &registry::DUPLICATE_REASON,
            span,
            format!("the reason `{reason}` is given by two conditions"),
        )
        .label("given again here")
        .related(first, "first given here")
        .help("give each condition its own reason code, so a caller can tell which one failed");
    }
}

fn unused_sources(cx: &mut Cx) {
    let policy = cx.policy;
    let Some(header) = &policy.header else {
        return;
    };
    let cited: Vec<&str> = policy
        .cites()
        .into_iter()
        .map(|c| c.source.node.as_str())
        .collect();
    let unused: Vec<(Span, String)> = header
        .sources
        .iter()
        .filter(|s| !cited.contains(&s.id.node.as_str()))
        .map(|s| (s.id.span, s.id.node.clone()))
        .collect();
    for (span, id) in unused {
        cx.report(
            &registry::UNUSED_SOURCE,
            span,
            format!("the source `{id}` is never cited"),
        )
        .label("no rule cites it")
        .help("cite it on the rules that encode it (`cite ID \"quoted clause\"`), or remove it from the header");
    }
}
