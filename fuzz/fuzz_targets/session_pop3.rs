//! Random bytes in random chunks into the POP3 server of the first-letter world (Bob's
//! letter already in), on 110 or 995 by the first byte. See `common::session_target`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::scenario::Service;

fuzz_target!(|data: &[u8]| {
    common::session_target(data, |control| common::lab_listener(Service::Pop3, control & 1 == 1));
});
