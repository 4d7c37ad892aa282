//! Random bytes in random chunks into the POP3 server of the first-letter world (Bob's
//! letter already in), as the live lab opens it (110 or 995 by the first byte) or as the
//! browser lab does. See `common::session_target` for what is checked.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::scenario::Service;

fuzz_target!(|data: &[u8]| {
    common::session_target(data, |control| {
        if control & 0x40 != 0 {
            common::browser_listener(Service::Pop3)
        } else {
            common::lab_listener(Service::Pop3, control & 1 == 1)
        }
    });
});
