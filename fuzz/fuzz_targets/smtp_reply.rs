//! `smtp::ReplyParser` fed a server's bytes in random chunks: no panic, and the same replies
//! whatever the chunking.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::smtp::ReplyParser;

fn replies(chunks: &[&[u8]]) -> Vec<String> {
    let mut parser = ReplyParser::new();
    let mut out = Vec::new();
    for chunk in chunks {
        parser.push(chunk);
        while let Some(reply) = parser.next_reply() {
            out.push(match reply {
                Ok(reply) => {
                    // A reply written back out is whole lines.
                    assert!(reply.to_wire().ends_with(b"\r\n"));
                    format!("{reply:?}")
                }
                Err(e) => format!("error: {e}"),
            });
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((control, data)) = common::split_control(data) else { return };
    let chunked = replies(&common::chunks(data, u64::from(control), 32));
    assert_eq!(chunked, replies(&[data]));
});
