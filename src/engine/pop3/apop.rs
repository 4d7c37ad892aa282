//! APOP (RFC 1939 7): the server's greeting carries a timestamp that is different for every
//! connection; the client proves it knows the shared secret by sending
//! MD5(timestamp + secret) instead of the secret itself.

use super::md5;

/// The greeting's timestamp, `<serial.time@host>` in the RFC's `<process-ID.clock@hostname>`
/// shape. `serial` numbers connections and `unix_seconds` is virtual time, so it is unique
/// per connection yet the same on every run (invariant 2 of ARCHITECTURE.md).
pub fn timestamp(serial: u64, unix_seconds: u64, hostname: &str) -> String {
    format!("<{serial}.{unix_seconds}@{hostname}>")
}

/// The digest a client sends: lower-case hex of MD5(timestamp + secret), RFC 1939 7.
pub fn digest(timestamp: &str, secret: &str) -> String {
    let mut input = timestamp.as_bytes().to_vec();
    input.extend_from_slice(secret.as_bytes());
    md5::hex_digest(&input)
}

/// The timestamp inside a greeting such as `Dovecot ready. <1.1772442000@host>`: the last
/// `<...>` holding an `@` (RFC 1939 7 "msg-id").
pub fn find_timestamp(greeting: &str) -> Option<&str> {
    let start = greeting.rfind('<')?;
    let end = start + greeting[start..].find('>')?;
    let candidate = &greeting[start..=end];
    candidate.contains('@').then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of RFC 1939 7.
    #[test]
    fn rfc1939_example_digest() {
        let greeting = "POP3 server ready <1896.697170952@dbc.mtview.ca.us>";
        let ts = find_timestamp(greeting);
        assert_eq!(ts, Some("<1896.697170952@dbc.mtview.ca.us>"));
        assert_eq!(
            digest(ts.unwrap_or_default(), "tanstaaf"),
            "c4c9334bac560ecc979e58001b3e22fb"
        );
    }

    #[test]
    fn timestamps_differ_per_connection() {
        assert_eq!(
            timestamp(7, 1_772_442_000, "mail.test"),
            "<7.1772442000@mail.test>"
        );
        assert_ne!(timestamp(1, 5, "h"), timestamp(2, 5, "h"));
        assert_eq!(find_timestamp("Dovecot ready."), None);
    }
}
