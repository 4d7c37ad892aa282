//! `smtp::Command::parse` on any line: no panic, and a parsed command written back out
//! parses to itself (what the client sends is what the server reads).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailflow::engine::smtp::Command;

fuzz_target!(|line: &[u8]| {
    if let Ok(command) = Command::parse(line) {
        let wire = command.to_wire();
        let again = Command::parse(wire.strip_suffix(b"\r\n").expect("to_wire ends in CRLF"));
        assert_eq!(again, Ok(command), "{:?}", String::from_utf8_lossy(&wire));
    }
});
