//! Fuzzes the reader of the mock's configuration file (`orcid mock serve
//! --config FILE`, TOML from outside: clients, researchers, faults, rate
//! limit, time-outs).
//!
//! Input: the file's text (UTF-8; others are skipped).
//!
//! Checks: `MockConfig::from_toml_str` never panics; a configuration it
//! accepts passes its own `check`, and a mock can be started on it (its
//! state built) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_mock::{MockConfig, MockState};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut config) = MockConfig::from_toml_str(text) else {
        return;
    };
    assert!(config.check().is_ok(), "an accepted configuration fails its check");
    // Never write a state file named by the input.
    config.state_file = None;
    let _ = MockState::new(config);
});
