//! How an IMAP server behaves: its name, TLS and login policy, limits and timeouts.

use crate::engine::imap::framing::FrameLimits;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub hostname: String,
    /// Port 993: TLS from the first octet (RFC 8314 3.2).
    pub implicit_tls: bool,
    /// Offer STARTTLS (RFC 9051 6.2.1) on a plaintext connection.
    pub offer_starttls: bool,
    /// Refuse LOGIN and AUTHENTICATE before TLS, like Dovecot's `disable_plaintext_auth`
    /// (RFC 9051 6.2.3: LOGINDISABLED).
    pub require_tls_for_login: bool,
    pub limits: FrameLimits,
    /// RFC 9051 5.4: the autologout timer is at least 30 minutes, Dovecot's default too.
    pub autologout_ms: u64,
}

impl ServerConfig {
    /// A mailbox host's IMAP service on port 143, as the presets run it: STARTTLS offered,
    /// plaintext login allowed so that the lesson can show what it exposes.
    pub fn new(hostname: impl Into<String>) -> Self {
        ServerConfig {
            hostname: hostname.into(),
            implicit_tls: false,
            offer_starttls: true,
            require_tls_for_login: false,
            limits: FrameLimits::default(),
            autologout_ms: 30 * 60 * 1000,
        }
    }
}
