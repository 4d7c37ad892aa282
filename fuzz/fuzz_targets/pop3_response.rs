//! `pop3::ResponseParser` fed a server's bytes in random chunks, single- and multi-line
//! answers expected at random: no panic, and the same responses whatever the chunking.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use mailflow::engine::pop3::ResponseParser;

fn responses(chunks: &[&[u8]], control: u8) -> Vec<String> {
    let mut parser = ResponseParser::new();
    let mut rng = common::Rng::new(u64::from(control));
    let mut multiline = rng.next() % 2 == 0;
    let mut out = Vec::new();
    for chunk in chunks {
        parser.push(chunk);
        while let Some(response) = parser.next_response(multiline) {
            out.push(match response {
                Ok(r) => {
                    let _ = (r.is_ok(), r.code(), r.body());
                    format!("{r:?}")
                }
                Err(e) => format!("error: {e}"),
            });
            // The next command's answer may be of the other kind.
            multiline = rng.next() % 2 == 0;
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((control, data)) = common::split_control(data) else { return };
    let chunked = responses(&common::chunks(data, u64::from(control), 32), control);
    assert_eq!(chunked, responses(&[data], control));
});
