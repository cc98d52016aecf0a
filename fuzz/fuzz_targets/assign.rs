#![no_main]
//! Fuzz target `assign`: see `fuzz/props.rs`.

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::assign(data));
