//! What an eavesdropper on one hop would read: the lines themselves while the connection is in
//! clear, and only TLS records of unreadable bytes once STARTTLS has run (or from the first
//! byte on an implicit-TLS port). The bytes shown for TLS are made up, but shaped like real
//! TLS 1.3 application-data records (RFC 8446 5.2: type 23, version 3.3, a length, then
//! ciphertext about as long as the line plus the tag).

use crate::engine::hash::fnv1a64;
use crate::engine::trace::{Direction, Event, EventKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overheard {
    pub direction: Direction,
    /// The line, when it travelled in clear.
    pub clear: Option<String>,
    /// What the wire carried, in hex, when it was encrypted.
    pub cipher: Option<String>,
}

/// The lines of `connection` in events `0..n`, as a sniffer on the path sees them.
pub fn overheard(events: &[Event], n: usize, connection: u32) -> Vec<Overheard> {
    events[..n.min(events.len())]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { connection: c, direction, text, tls } if *c == connection => Some(Overheard {
                direction: *direction,
                clear: (!tls).then(|| text.clone()),
                cipher: tls.then(|| record(text)),
            }),
            _ => None,
        })
        .collect()
}

/// A made-up TLS 1.3 record for a line: header, then pseudo-random bytes (a hash of the
/// text, so the same line always looks the same here, as it would not on a real wire).
fn record(text: &str) -> String {
    // The line with its CRLF, the inner content type byte, and the 16-byte AEAD tag.
    let length = text.len() + 2 + 1 + 16;
    let mut out = format!("17 03 03 {:02x} {:02x}", length >> 8, length & 0xff);
    let mut h = fnv1a64(text.as_bytes());
    for _ in 0..length.min(24) {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        out.push_str(&format!(" {:02x}", h >> 56));
    }
    if length > 24 {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    #[test]
    fn after_starttls_the_password_is_unreadable() {
        let trace = simulate(&preset("first-letter").unwrap().scenario().unwrap());
        let heard = overheard(&trace.events, trace.events.len(), 1);
        let starttls = heard.iter().position(|o| o.clear.as_deref() == Some("STARTTLS")).unwrap();
        assert!(heard[..=starttls + 1].iter().all(|o| o.clear.is_some()), "the handshake is in clear");
        assert!(heard[starttls + 2..].iter().all(|o| o.clear.is_none() && o.cipher.as_deref().is_some_and(|c| c.starts_with("17 03 03"))));
        assert!(!heard.iter().any(|o| o.clear.as_deref().is_some_and(|c| c.starts_with("AUTH"))), "AUTH never travels in clear");
    }
}
