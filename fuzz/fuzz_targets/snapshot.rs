#![no_main]
//! Fuzz target `snapshot`: see `fuzz/props.rs`.

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::snapshot(data));
