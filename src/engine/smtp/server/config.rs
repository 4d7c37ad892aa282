//! What a server session offers and enforces. Each default says where it comes from.

use crate::engine::smtp::Mode;

/// Configuration of one [`ServerSession`](super::ServerSession). Built once per listening
/// port: the presets [`ServerConfig::mx`], [`ServerConfig::submission`],
/// [`ServerConfig::submissions`] and [`ServerConfig::lmtp`] are the usual ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Our name in the greeting, the EHLO reply and the timeout reply.
    pub hostname: String,
    /// The greeting's text after the host name: `220 <hostname> <greeting>`.
    pub greeting: String,
    pub mode: Mode,
    /// Speak ESMTP (RFC 1869, RFC 5321 2.2): answer EHLO with the extensions. Off, the server
    /// is a pre-ESMTP one (RFC 821), as 4.3BSD's sendmail 5 was: EHLO, STARTTLS and AUTH
    /// get its `500 Command unrecognized`, HELO is the only greeting, MAIL and RCPT take no
    /// parameters, and no reply carries an enhanced status code (RFC 2034 needs EHLO). A
    /// client must fall back to HELO (RFC 5321 3.2, 4.1.4). Postfix cannot be set up this
    /// way (it always offers EHLO), hence sendmail 5's wording. Ignored in LMTP mode.
    pub esmtp: bool,
    /// Advertise and accept STARTTLS (RFC 3207) while not yet inside TLS.
    pub offer_starttls: bool,
    /// The session starts inside TLS: port 465, "implicit TLS" (RFC 8314 3.3).
    pub implicit_tls: bool,
    /// Refuse AUTH before TLS (`530 5.7.0 Must issue a STARTTLS command first`) and do not
    /// advertise it: passwords never travel in clear (RFC 4954 4, RFC 8314).
    pub require_tls_for_auth: bool,
    /// Offer AUTH PLAIN and LOGIN (RFC 4954).
    pub offer_auth: bool,
    /// Refuse MAIL before AUTH (`530 5.7.0 Authentication required`): message submission.
    pub require_auth: bool,
    /// The largest message accepted, advertised as `SIZE` (RFC 1870).
    pub max_message_size: u64,
    /// Recipients per transaction; more get `452 4.5.3` (RFC 5321 4.5.3.1.8, 4.5.3.1.10).
    pub max_recipients: usize,
    /// Octets in a command line, CRLF included (RFC 5321 4.5.3.1.4).
    pub command_line_limit: usize,
    /// Octets in a line of message text, CRLF included (RFC 5321 4.5.3.1.6).
    pub text_line_limit: usize,
    /// How long to wait for the client's next bytes, in milliseconds (RFC 5321 4.5.3.2.7).
    pub command_timeout_ms: u64,
    /// Error replies after which the server hangs up with `421 4.7.0`.
    pub hard_error_limit: u32,
    /// Error replies after which every reply waits `error_sleep_ms` (Postfix's
    /// `smtpd_soft_error_limit`).
    pub soft_error_limit: u32,
    /// Postfix's `smtpd_error_sleep_time`, in milliseconds.
    pub error_sleep_ms: u64,
    /// Postfix's `disable_vrfy_command`: VRFY answers `502 5.5.1` and is not advertised.
    pub disable_vrfy_command: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            hostname: "localhost".to_string(),
            // Postfix's default banner is `$myhostname ESMTP $mail_name`; the product name
            // is left out, as many sites do, so the banner tells nothing about the software.
            greeting: "ESMTP".to_string(),
            mode: Mode::Smtp,
            esmtp: true,
            // Every public MX offers STARTTLS today (Postfix: smtpd_tls_security_level=may).
            offer_starttls: true,
            implicit_tls: false,
            // Postfix's smtpd_tls_auth_only=yes, the setting every submission guide gives.
            require_tls_for_auth: true,
            // Postfix's smtpd_sasl_auth_enable=no: a port-25 MX does not log people in.
            offer_auth: false,
            require_auth: false,
            // 10 MiB, the SIZE a teacher sees in most transcripts (Postfix ships 10240000).
            max_message_size: 10 * 1024 * 1024,
            // Postfix's smtpd_recipient_limit.
            max_recipients: 1000,
            // The minimum RFC 5321 4.5.3.1.4 lets a server enforce.
            command_line_limit: 512,
            // RFC 5321 4.5.3.1.6: 998 characters plus CRLF.
            text_line_limit: 1000,
            // 5 minutes: Postfix's smtpd_timeout and the RFC 5321 4.5.3.2.7 minimum.
            command_timeout_ms: 300_000,
            // Postfix's smtpd_hard_error_limit, smtpd_soft_error_limit and
            // smtpd_error_sleep_time.
            hard_error_limit: 20,
            soft_error_limit: 10,
            error_sleep_ms: 1000,
            // Postfix's default is `no`; the hardening every guide gives is `yes`, and the
            // lessons' servers follow it unless a scenario says otherwise.
            disable_vrfy_command: true,
        }
    }
}

impl ServerConfig {
    /// Port 25, server to server: STARTTLS offered, no AUTH.
    pub fn mx(hostname: &str) -> Self {
        ServerConfig {
            hostname: hostname.to_string(),
            ..ServerConfig::default()
        }
    }

    /// Port 587, message submission (RFC 6409): STARTTLS, then AUTH, required before MAIL.
    pub fn submission(hostname: &str) -> Self {
        ServerConfig {
            offer_auth: true,
            require_auth: true,
            ..ServerConfig::mx(hostname)
        }
    }

    /// Port 465, submission over implicit TLS (RFC 8314 3.3): no STARTTLS, AUTH at once.
    pub fn submissions(hostname: &str) -> Self {
        ServerConfig {
            implicit_tls: true,
            offer_starttls: false,
            ..ServerConfig::submission(hostname)
        }
    }

    /// Port 24, LMTP (RFC 2033) on the mailbox host: the hand-off from the MTA, on a trusted
    /// internal link, so neither TLS nor AUTH (Dovecot's default).
    pub fn lmtp(hostname: &str) -> Self {
        ServerConfig {
            greeting: "LMTP ready".to_string(),
            mode: Mode::Lmtp,
            offer_starttls: false,
            // Postfix's error sleep is Postfix's: Dovecot's LMTP answers at once.
            error_sleep_ms: 0,
            ..ServerConfig::mx(hostname)
        }
    }
}
