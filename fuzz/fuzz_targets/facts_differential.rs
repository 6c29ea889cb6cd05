//! The direct facts decoder and the serde decoder must agree wherever the
//! direct one answers, for every shipped policy.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use vouch::facts::Decoder;

fuzz_target!(|data: &[u8]| {
    let Some((program, rest)) = common::pick(data) else {
        return;
    };
    let Ok(json) = std::str::from_utf8(rest) else {
        return;
    };
    let decoder = Decoder::new(program);
    let (fast, slow) = decoder.decode_both_ways(json);
    let Some(fast) = fast else {
        return;
    };
    let slow = match slow {
        Ok(f) => f,
        Err(e) => panic!("the direct decoder accepted what serde refuses: {e}"),
    };
    let layout = &program.facts;
    for node in 0..layout.nodes.len() as u32 {
        assert_eq!(fast.exists(node), slow.exists(node), "node {node}");
    }
    for leaf in 0..layout.leaves.len() as u32 {
        assert_eq!(
            fast.leaf(layout, leaf),
            slow.leaf(layout, leaf),
            "{}",
            layout.leaves[leaf as usize].path
        );
    }
});
