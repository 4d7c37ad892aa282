//! What the targets share: cutting the input into chunks as a network would, and the world
//! that the whole-session targets connect to.
#![allow(dead_code)]

use std::sync::OnceLock;

use mailflow::engine::scenario::{preset, Scenario, Service};
use mailflow::engine::time::VirtualTime;
use mailflow::engine::world::{ExternalOutput, Listener, Simulator};

/// A small deterministic generator (xorshift64*): the chunking must be the same every time
/// libFuzzer replays an input, or a crash would not reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `1..=max`.
    pub fn between_1_and(&mut self, max: usize) -> usize {
        1 + (self.next() % max as u64) as usize
    }
}

/// `data` cut into pieces of 1 to `max` bytes, sizes drawn from `seed`.
pub fn chunks(data: &[u8], seed: u64, max: usize) -> Vec<&[u8]> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let n = rng.between_1_and(max).min(rest.len());
        let (head, tail) = rest.split_at(n);
        out.push(head);
        rest = tail;
    }
    out
}

/// The first input byte steers (chunk sizes, variant of the target); the rest is the data.
pub fn split_control(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(c, rest)| (*c, rest))
}

/// The first-letter world, parsed once.
pub fn first_letter() -> &'static Scenario {
    static WORLD: OnceLock<Scenario> = OnceLock::new();
    WORLD.get_or_init(|| preset("first-letter").expect("preset").scenario().expect("preset parses"))
}

/// A port as the live lab opens it to real clients: no TLS to offer, passwords in clear
/// (loopback), APOP on.
pub fn lab_listener(service: Service, implicit_tls: bool) -> Listener {
    Listener {
        service,
        offer_tls: false,
        plaintext_auth: true,
        offer_apop: true,
        implicit_tls,
        ..Listener::simulated(service)
    }
}

/// The port as the browser's lab opens it (`lab::Lab::open`): the simulated internet's
/// own, TLS offered (and simulated), passwords only inside it.
pub fn browser_listener(service: Service) -> Listener {
    Listener::simulated(service)
}

/// Everything the session wants sent so far, checked: each Transmit is whole lines
/// (non-empty, ending in CRLF); nothing comes after Close.
fn drain(sim: &mut Simulator, x: usize, transcript: &mut Vec<u8>, closed: &mut bool) {
    while let Some(out) = sim.poll_external(x) {
        assert!(!*closed, "output after Close: {out:?}");
        match out {
            ExternalOutput::Transmit(bytes) => {
                assert!(
                    bytes.ends_with(b"\r\n"),
                    "a Transmit that does not end in CRLF: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
                transcript.extend_from_slice(&bytes);
            }
            ExternalOutput::StartTls => transcript.extend_from_slice(b"<tls>"),
            ExternalOutput::Close => {
                transcript.extend_from_slice(b"<close>");
                *closed = true;
            }
        }
    }
}

/// One outside client on `listener` of the first-letter world, 30 s in (Alice's letter is in
/// Bob's inbox): `data` arrives in chunks drawn from `seed`; with `tick`, the clock moves on
/// between chunks too (timeouts, queue runs, IDLE news). Then the world runs a day on, so that
/// queued mail is delivered or bounced. Returns what the server sent before the day passed.
pub fn session(listener: Listener, data: &[u8], seed: u64, max_chunk: usize, tick: bool) -> Vec<u8> {
    let world = first_letter();
    let mut sim = Simulator::new(world);
    let start = VirtualTime::from_secs(30);
    sim.advance_to(start);
    let x = sim
        .connect_external(listener, "127.0.0.1", 50000)
        .expect("the first-letter world offers every service");
    let mut transcript = Vec::new();
    let mut closed = false;
    drain(&mut sim, x, &mut transcript, &mut closed);
    let mut rng = Rng::new(seed ^ 0xA5A5);
    let mut now = start;
    for chunk in chunks(data, seed, max_chunk) {
        sim.external_input(x, chunk);
        drain(&mut sim, x, &mut transcript, &mut closed);
        if tick && rng.next() % 8 == 0 {
            now = now.plus_millis(rng.next() % 400_000);
            sim.advance_to(now);
            drain(&mut sim, x, &mut transcript, &mut closed);
        }
    }
    let before_the_day = transcript.clone();
    sim.advance_to(now.plus_millis(24 * 3600 * 1000));
    drain(&mut sim, x, &mut transcript, &mut closed);
    sim.disconnect_external(x);
    sim.advance_to(now.plus_millis(48 * 3600 * 1000));
    before_the_day
}

/// The whole-session property: no panic, well-formed output (checked in `drain`), and, with
/// the clock standing still, the same answers whatever the chunking of the client's bytes.
/// The first byte: bits 0-2 for `pick` (service, port), 3-5 the chunk sizes, 6 the browser
/// lab's port instead of the live lab's (`pick` reads it), 7 the clock moving between chunks.
pub fn session_target(data: &[u8], pick: impl Fn(u8) -> Listener) {
    let Some((control, data)) = split_control(data) else { return };
    let listener = pick(control);
    let seed = u64::from((control >> 3) & 7) + 1;
    let tick = control & 0x80 != 0;
    let chunked = session(listener, data, seed, 48, tick);
    if !tick {
        let whole = session(listener, data, seed, usize::MAX, false);
        // Up to STARTTLS only: the client's bytes that came with the command are thrown
        // away, not carried into TLS (RFC 3207 4.2, RFC 2595 4, RFC 9051 6.2.1), so
        // where a chunk ends there changes what the server reads afterwards, by design.
        let (chunked, whole) = (before_tls(&chunked), before_tls(&whole));
        assert!(
            chunked == whole,
            "the answers depend on the chunking:\nchunked: {:?}\nwhole:   {:?}",
            String::from_utf8_lossy(&chunked),
            String::from_utf8_lossy(&whole)
        );
    }
}

/// The transcript up to and including the first `<tls>`.
fn before_tls(transcript: &[u8]) -> &[u8] {
    match transcript.windows(5).position(|w| w == b"<tls>") {
        Some(i) => &transcript[..i + 5],
        None => transcript,
    }
}
