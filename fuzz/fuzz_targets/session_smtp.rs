//! Random bytes in random chunks into the SMTP server of the first-letter world, as a real
//! client reaches it through `mailflow-lab serve` or a student through the browser lab's
//! terminal: submission (587, 465), the MX port (25) or LMTP, chosen by the first byte.
//! See `common::session_target` for what is checked.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::scenario::Service;

fuzz_target!(|data: &[u8]| {
    common::session_target(data, |control| {
        let service = match control & 3 {
            0 => Service::Submission,
            1 => Service::Smtp,
            2 => Service::Lmtp,
            _ => Service::Submissions,
        };
        let mut listener = if control & 0x40 != 0 {
            common::browser_listener(service)
        } else {
            common::lab_listener(service, false)
        };
        // A pre-ESMTP server (RFC 821) now and then, to reach the HELO paths.
        listener.esmtp = control & 4 == 0;
        listener
    });
});
