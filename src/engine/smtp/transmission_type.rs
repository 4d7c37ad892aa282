//! The transmission type a session used, the `with` word of a `Received:` field (RFC 5321
//! 4.4; RFC 3848 for the TLS and AUTH variants, and for LMTP with RFC 2033 4.1): a property
//! of the SMTP or LMTP session, which the mail's trace fields write down.

use std::fmt;

/// The `with` keyword of a Received field (RFC 5321 4.4, RFC 3848 for the TLS and AUTH
/// variants, RFC 2033 4.1 and RFC 3848 for LMTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// HELO: no extensions at all.
    Smtp,
    /// EHLO.
    Esmtp,
    /// EHLO, authenticated (AUTH).
    Esmtpa,
    /// EHLO over TLS (STARTTLS or implicit TLS).
    Esmtps,
    /// EHLO over TLS and authenticated: the usual submission.
    Esmtpsa,
    Lmtp,
    Lmtpa,
    Lmtps,
    Lmtpsa,
}

impl Protocol {
    /// The protocol a session used. HELO sessions can neither STARTTLS nor AUTH (both are
    /// EHLO extensions), so they are plain `SMTP` whatever the flags say.
    pub fn for_session(lmtp: bool, extended: bool, tls: bool, authenticated: bool) -> Protocol {
        match (lmtp, extended, tls, authenticated) {
            (true, _, false, false) => Protocol::Lmtp,
            (true, _, false, true) => Protocol::Lmtpa,
            (true, _, true, false) => Protocol::Lmtps,
            (true, _, true, true) => Protocol::Lmtpsa,
            (false, false, _, _) => Protocol::Smtp,
            (false, true, false, false) => Protocol::Esmtp,
            (false, true, false, true) => Protocol::Esmtpa,
            (false, true, true, false) => Protocol::Esmtps,
            (false, true, true, true) => Protocol::Esmtpsa,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Esmtp => "ESMTP",
            Protocol::Esmtpa => "ESMTPA",
            Protocol::Esmtps => "ESMTPS",
            Protocol::Esmtpsa => "ESMTPSA",
            Protocol::Lmtp => "LMTP",
            Protocol::Lmtpa => "LMTPA",
            Protocol::Lmtps => "LMTPS",
            Protocol::Lmtpsa => "LMTPSA",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
