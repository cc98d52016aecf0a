#![no_main]
//! Fuzz target `load_opportunities`: see `fuzz/props.rs`.

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::load_opportunities(data));
