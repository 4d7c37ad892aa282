//! Golden transcripts: every preset's whole transcript, compared line for line with the file
//! in tests/golden/. After an intended change, regenerate them with
//!
//!     UPDATE_GOLDEN=1 cargo test --test golden
//!
//! and read the diff before committing it: it is the change a teacher will see.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use mailflow::engine::scenario::presets;
use mailflow::engine::trace::transcript;
use mailflow::engine::world::simulate;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"))
}

#[test]
fn every_preset_matches_its_golden_transcript() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for preset in presets() {
        let scenario = preset.scenario().expect("presets parse");
        let actual = transcript(&simulate(&scenario));
        let path = golden_path(preset.name);
        if update {
            std::fs::write(&path, &actual).expect("write golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
        if actual != expected {
            let first = actual
                .lines()
                .zip(expected.lines())
                .position(|(a, e)| a != e)
                .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
            mismatches.push(format!(
                "{}: first difference at line {}:\n  expected: {}\n  actual:   {}",
                preset.name,
                first + 1,
                expected.lines().nth(first).unwrap_or("(end)"),
                actual.lines().nth(first).unwrap_or("(end)")
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}\n(UPDATE_GOLDEN=1 cargo test --test golden regenerates)", mismatches.join("\n"));
}

#[test]
fn the_same_scenario_gives_the_same_trace_byte_for_byte() {
    for preset in presets() {
        let scenario = preset.scenario().unwrap();
        let a = serde_json::to_string(&simulate(&scenario)).unwrap();
        let b = serde_json::to_string(&simulate(&scenario)).unwrap();
        assert_eq!(a, b, "{}", preset.name);
    }
}
