//! What a POP3 server session offers and enforces. Each default says where it comes from.

/// Configuration of one [`ServerSession`](super::ServerSession), built once per listening
/// port: [`ServerConfig::pop3`] for 110, [`ServerConfig::pop3s`] for 995.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Our name, in the APOP timestamp.
    pub hostname: String,
    /// The greeting after `+OK ` (Dovecot's `login_greeting`).
    pub greeting: String,
    /// Advertise and accept STLS (RFC 2595 4) while not yet inside TLS.
    pub offer_stls: bool,
    /// The session starts inside TLS: port 995 (RFC 8314 3.1).
    pub implicit_tls: bool,
    /// Refuse USER/PASS and AUTH PLAIN outside TLS, and leave them out of CAPA: Dovecot's
    /// `disable_plaintext_auth = yes` (its default), as RFC 8314 asks.
    pub require_tls_for_plaintext: bool,
    /// Put an APOP timestamp in the greeting and accept APOP (RFC 1939 7). Dovecot offers it
    /// only when configured with the APOP mechanism, so off by default.
    pub offer_apop: bool,
    /// Octets in a command line, CRLF included: RFC 2449 4 says 255.
    pub command_line_limit: usize,
    /// Octets in an AUTH command or SASL response line: RFC 5034 4 lifts the 255 limit
    /// for them; 12288 is the figure RFC 4954 4 gives SMTP.
    pub sasl_line_limit: usize,
    /// Idle time before the server hangs up, in milliseconds. RFC 1939 3: an autologout
    /// timer of at least 10 minutes.
    pub autologout_ms: u64,
    /// Bad commands after which the server hangs up (Dovecot counts them too).
    pub bad_command_limit: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            hostname: "localhost".to_string(),
            // Dovecot's default login_greeting is "Dovecot ready.".
            greeting: "Dovecot ready.".to_string(),
            offer_stls: true,
            implicit_tls: false,
            require_tls_for_plaintext: true,
            offer_apop: false,
            command_line_limit: 255,
            sasl_line_limit: 12_288,
            autologout_ms: 600_000,
            bad_command_limit: 20,
        }
    }
}

impl ServerConfig {
    /// Port 110: STLS offered, passwords only inside TLS.
    pub fn pop3(hostname: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            ..ServerConfig::default()
        }
    }

    /// Port 995, POP3 over implicit TLS (RFC 8314 3.1).
    pub fn pop3s(hostname: &str) -> Self {
        ServerConfig {
            implicit_tls: true,
            offer_stls: false,
            ..ServerConfig::pop3(hostname)
        }
    }
}
