//! The app's address: `player::link::parse_link` on any query and fragment (`?...#...`), and
//! `player::share::decode_scenario` on any deflate stream (a scenario carried in a link). No
//! panic; every problem names its parameter; a step it accepts is counted from 1; an inline
//! scenario is bounded in size.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::base64;
use mailflow::player::link::{parse_link, ScenarioRef, StepRef};
use mailflow::player::share::decode_scenario;

fn known(name: &str) -> bool {
    name == "first-letter" || name == "gave-up"
}

fuzz_target!(|data: &[u8]| {
    let Some((control, data)) = common::split_control(data) else { return };
    if control & 1 == 1 {
        // The bytes as the deflated payload of `#scenario=`: what inflating a hostile link
        // does (a "zip bomb" must be refused, not inflated).
        let encoded = base64::encode(data).trim_end_matches('=').replace('+', "-").replace('/', "_");
        if let Ok(json) = decode_scenario(&encoded) {
            assert!(json.len() <= 1 << 20);
        }
        return;
    }
    // `location.search` and `location.hash` are strings; the browser percent-encodes what it
    // hands over, but a link typed by hand can hold anything.
    let text = String::from_utf8_lossy(data);
    let (query, fragment) = text.split_once('#').unwrap_or((&text, ""));
    let (link, problems) = parse_link(query, fragment, known);
    for p in &problems {
        let (parameter, why) = p.split_once(": ").expect("a problem names its parameter");
        assert!(!parameter.is_empty() && !why.is_empty(), "{p}");
    }
    if let Some(StepRef::Number(n)) = link.step {
        assert!(n >= 1, "steps count from 1");
    }
    match link.scenario {
        Some(ScenarioRef::Preset(name)) => assert!(known(&name)),
        Some(ScenarioRef::File(url)) => assert!(!url.contains(':') && url.to_ascii_lowercase().ends_with(".json")),
        Some(ScenarioRef::Inline(json)) => assert!(json.len() <= 1 << 20),
        None => {}
    }
    if let Some(speed) = link.speed {
        assert!((0.25..=8.0).contains(&speed));
    }
});
