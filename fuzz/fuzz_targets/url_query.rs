//! `player::link::parse_query` on any query string: no panic; every problem names its
//! parameter; a step it accepts is counted from 1.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailflow::player::link::{parse_query, StepRef};

fuzz_target!(|data: &[u8]| {
    // `location.search` is a string; the browser hands it over percent-encoded, but a link
    // typed by hand can hold anything.
    let query = String::from_utf8_lossy(data);
    let (link, problems) = parse_query(&query, |name| name == "first-letter" || name == "gave-up");
    for p in &problems {
        assert!(p.starts_with("scenario: ") || p.starts_with("step: "), "{p}");
    }
    if let Some(StepRef::Number(n)) = link.step {
        assert!(n >= 1);
        let _ = StepRef::Number(n).index(0);
        let _ = StepRef::Number(n).index(n);
    }
    if let Some(name) = link.scenario {
        assert!(name == "first-letter" || name == "gave-up");
    }
});
