//! The IMAP server's reading of a client: `imap::framing::Framer` cuts random chunks into
//! commands (literals included, small limits so that they are reached), and
//! `imap::Command::parse` reads each one. No panic, and the same commands whatever the
//! chunking (framing.rs promises it).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::imap::framing::{Frame, FrameLimits, Framer};
use mailflow::engine::imap::Command;

fn commands(chunks: &[&[u8]]) -> Vec<String> {
    let mut framer = Framer::new(FrameLimits { line: 256, literal: 1024 });
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk);
        while let Some(frame) = framer.next_command() {
            // A non-synchronizing literal over the limit is already on its way: the framer
            // cannot resync and the session closes (RFC 7888 4), so nothing after it counts.
            let closes = matches!(frame, Frame::LiteralTooLarge { synchronizing: false, .. });
            out.push(match frame {
                Frame::Command(bytes) => match Command::parse(&bytes) {
                    Ok(command) => format!("{command:?}"),
                    Err(e) => format!("error: {e} (tag {:?})", e.tag()),
                },
                other => format!("{other:?}"),
            });
            if closes {
                return out;
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((control, data)) = common::split_control(data) else { return };
    // Also the command alone, as a whole input, with no framing at all.
    let _ = Command::parse(data);
    let chunked = commands(&common::chunks(data, u64::from(control), 32));
    assert_eq!(chunked, commands(&[data]));
});
