//! The EHLO keywords the client acts on (RFC 5321 4.1.1.1, 2.2.2).

use crate::engine::smtp::Reply;

/// What the server announced in its EHLO reply (RFC 5321 4.1.1.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Capabilities {
    pub(super) pipelining: bool,
    pub(super) size: bool,
    pub(super) starttls: bool,
    pub(super) auth: Vec<String>,
    pub(super) eight_bit_mime: bool,
    pub(super) dsn: bool,
}

impl Capabilities {
    pub(super) fn from_ehlo(reply: &Reply) -> Self {
        let mut caps = Capabilities::default();
        for line in reply.lines.iter().skip(1) {
            let mut words = line.split(' ').filter(|w| !w.is_empty());
            let keyword = words.next().unwrap_or("").to_ascii_uppercase();
            match keyword.as_str() {
                "PIPELINING" => caps.pipelining = true,
                "SIZE" => caps.size = true,
                "STARTTLS" => caps.starttls = true,
                "AUTH" => caps.auth = words.map(str::to_ascii_uppercase).collect(),
                "8BITMIME" => caps.eight_bit_mime = true,
                "DSN" => caps.dsn = true,
                _ => {}
            }
        }
        caps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keywords_case_insensitively_and_skips_the_host_line() {
        let reply = Reply {
            code: 250,
            enhanced: None,
            lines: [
                "mx.test",
                "pipelining",
                "SIZE 1000",
                "AUTH plain LOGIN",
                "8BITMIME",
                "X-UNKNOWN",
            ]
            .map(String::from)
            .to_vec(),
        };
        let caps = Capabilities::from_ehlo(&reply);
        assert!(caps.pipelining && caps.size && caps.eight_bit_mime);
        assert!(!caps.starttls && !caps.dsn);
        assert_eq!(caps.auth, vec!["PLAIN".to_string(), "LOGIN".to_string()]);
    }
}
