//! `Scenario::from_json` on any text: a scenario or an error naming the field, never a
//! panic; a scenario that parses is simulated to its end (validation must let through only
//! what the simulator can run).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailflow::engine::scenario::Scenario;
use mailflow::engine::world::simulate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Scenario::from_json(text) {
        Ok(scenario) => {
            // Up to the presets' size (3-5 KB): longer inputs add little but slow the
            // target down, and a world of thousands of letters is the benchmarks' business.
            if text.len() < 8192 {
                let trace = simulate(&scenario);
                let _ = trace.events.len();
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
