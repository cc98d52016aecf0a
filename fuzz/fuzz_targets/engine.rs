#![no_main]
//! Fuzz target `engine`: see `fuzz/props.rs`.

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::engine(data));
