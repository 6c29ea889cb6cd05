//! The nesting limit: every later stage (checker, lints, evaluator,
//! explanations) walks an expression recursively, so the parser refuses one
//! nested deeper than they can walk on any thread. `1 + 1 + …` nests as
//! deep as it is long: the limit counts operators as well as brackets.

use crate::ast::{Expr, ExprKind, Literal};

/// The deepest an expression may nest. Every thread that checks or decides
/// a policy has [`STACK_SIZE`] of stack, enough for this depth in any build.
pub const MAX_NESTING: usize = 200;

/// What is said of an expression nested too deep.
pub(super) fn too_deep_message() -> String {
    format!("this expression nests more than {MAX_NESTING} levels deep")
}

/// How to mend an expression nested too deep.
pub(super) const HELP: &str =
    "split it into `let` steps or separate decisions; each operator, call and bracket is a level";

/// The stack every thread of vouch runs the stages on.
pub const STACK_SIZE: usize = 16 * 1024 * 1024;

/// The most brackets a top-level item may hold open at once: an
/// expression's levels (each bracket is one) and the few of the item's own
/// braces around it. An item past it holds an expression nested too deep,
/// and is refused before pest reads it: pest's time grows with the depth
/// at every step, and thousands of unclosed `[` took it minutes.
pub(super) const MAX_BRACKETS: usize = MAX_NESTING + 8;

/// Where `text` first holds more than [`MAX_BRACKETS`] brackets open,
/// outside strings and comments.
pub(super) fn too_many_brackets(text: &str) -> Option<usize> {
    let mut open = 0usize;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' | '[' | '{' => {
                open += 1;
                if open > MAX_BRACKETS {
                    return Some(i);
                }
            }
            ')' | ']' | '}' => open = open.saturating_sub(1),
            // A string ends at its quote or, unfinished, at the line's end;
            // a comment at the line's end.
            '"' => {
                let _ = chars.by_ref().find(|&(_, c)| c == '"' || c == '\n');
            }
            '#' => {
                let _ = chars.by_ref().find(|&(_, c)| c == '\n');
            }
            _ => {}
        }
    }
    None
}

/// The first sub-expression that nests deeper than [`MAX_NESTING`], if any.
pub(super) fn too_deep(e: &Expr) -> Option<&Expr> {
    let mut stack = vec![(e, 1usize)];
    while let Some((e, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(e);
        }
        for_children(e, |c| stack.push((c, depth + 1)));
    }
    None
}

fn for_children<'a>(e: &'a Expr, mut f: impl FnMut(&'a Expr)) {
    match &e.node {
        ExprKind::Lit(_) | ExprKind::Path(_) | ExprKind::Exists(_) => {}
        ExprKind::Set(items) | ExprKind::Call(_, items) => items.iter().for_each(f),
        ExprKind::Map(entries) => entries.iter().for_each(|(k, v)| {
            f(k);
            f(v);
        }),
        ExprKind::Unary(_, a) | ExprKind::Is { subject: a, .. } => f(a),
        ExprKind::Binary(_, a, b)
        | ExprKind::Index(a, b)
        | ExprKind::Each {
            list: a, body: b, ..
        } => {
            f(a);
            f(b);
        }
        ExprKind::If(c, t, e) => {
            f(c);
            f(t);
            f(e);
        }
    }
}

/// Take a refused expression apart without recursion: dropping a tree
/// thousands deep would overflow the stack by itself.
pub(super) fn dismantle(e: Expr) {
    let mut stack = vec![e];
    while let Some(mut e) = stack.pop() {
        let kind = std::mem::replace(&mut e.node, ExprKind::Lit(Literal::None));
        match kind {
            ExprKind::Lit(_) | ExprKind::Path(_) | ExprKind::Exists(_) => {}
            ExprKind::Set(items) | ExprKind::Call(_, items) => stack.extend(items),
            ExprKind::Map(entries) => {
                for (k, v) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
            ExprKind::Unary(_, a) | ExprKind::Is { subject: a, .. } => stack.push(*a),
            ExprKind::Binary(_, a, b)
            | ExprKind::Index(a, b)
            | ExprKind::Each {
                list: a, body: b, ..
            } => {
                stack.push(*a);
                stack.push(*b);
            }
            ExprKind::If(c, t, e) => stack.extend([*c, *t, *e]),
        }
    }
}
