#![no_main]
//! Fuzz target `load_csv`: see `fuzz/props.rs`.

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::load_csv(data));
