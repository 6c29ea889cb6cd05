//! What the engine writes. The library owns its output: decisions as the
//! contract's JSON (a tree, and bytes written straight for streams), as a
//! table, explanations, reports of findings in every format, coverage and
//! lint documentation. The command line only chooses which to print where.
//!
//! Two JSON paths exist on purpose: [`render::case_json`] builds a tree, which
//! explanations nest into and which `--facts` pretty-prints; [`jsonl::CaseWriter`]
//! writes the same object straight into bytes for streams, where building the
//! tree cost 39% of a case (docs/performance.md). A test keeps them byte-equal.
//!
//! Dependencies run one way: `values` ← `explain` ← `render`; `jsonl`,
//! `report` and `coverage` use `values` and `explain`.

pub mod coverage;
pub mod explain;
pub mod jsonl;
pub mod lintdoc;
pub mod render;
pub mod report;
pub mod terminal;
pub mod values;
