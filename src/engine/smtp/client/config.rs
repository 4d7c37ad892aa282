//! How a client session behaves: its name, TLS and AUTH policy, pipelining, timeouts.

use crate::engine::smtp::Mode;

/// When to use TLS (the levels of Postfix's `smtp_tls_security_level`, RFC 3207, RFC 8314).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TlsPolicy {
    /// Never, even if offered (Postfix `none`).
    None,
    /// STARTTLS when the server offers it, plaintext otherwise (Postfix `may`): what MXes do.
    #[default]
    Opportunistic,
    /// STARTTLS or no delivery (Postfix `encrypt`): what a mail client on port 587 does.
    Required,
    /// The connection is TLS from its first byte (port 465, RFC 8314 3.3).
    Implicit,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AuthMechanism {
    /// RFC 4616: user and password in one base64 response, sent with the command.
    #[default]
    Plain,
    /// Two prompts, user then password: still what many clients use.
    Login,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// Tried first; the other is used when only it is offered.
    pub mechanism: AuthMechanism,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Our name in EHLO / HELO / LHLO (RFC 5321 4.1.1.1: the client's FQDN).
    pub helo_name: String,
    pub mode: Mode,
    pub tls: TlsPolicy,
    /// Log in (AUTH) when the server offers a mechanism we know.
    pub credentials: Option<Credentials>,
    /// Send MAIL, all RCPTs and DATA without waiting, when the server offers PIPELINING
    /// (RFC 2920).
    pub pipelining: bool,
    /// Wait for a reply at most this long, in milliseconds (RFC 5321 4.5.3.2.1-4: 5 minutes
    /// for the greeting, MAIL and RCPT).
    pub command_timeout_ms: u64,
    /// Wait for the reply to the final dot at most this long (RFC 5321 4.5.3.2.6: 10 minutes,
    /// because the server may be busy delivering).
    pub data_end_timeout_ms: u64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            helo_name: "localhost".to_string(),
            mode: Mode::Smtp,
            tls: TlsPolicy::Opportunistic,
            credentials: None,
            // Postfix's smtp client pipelines whenever the server offers it.
            pipelining: true,
            command_timeout_ms: 300_000,
            data_end_timeout_ms: 600_000,
        }
    }
}

impl ClientConfig {
    /// An MTA relaying to an MX on port 25: opportunistic TLS, no AUTH.
    pub fn relay(helo_name: &str) -> Self {
        ClientConfig {
            helo_name: helo_name.to_string(),
            ..ClientConfig::default()
        }
    }

    /// A mail program submitting on port 587: STARTTLS required, then AUTH PLAIN.
    pub fn submission(helo_name: &str, username: &str, password: &str) -> Self {
        ClientConfig {
            helo_name: helo_name.to_string(),
            tls: TlsPolicy::Required,
            credentials: Some(Credentials {
                username: username.to_string(),
                password: password.to_string(),
                mechanism: AuthMechanism::Plain,
            }),
            ..ClientConfig::default()
        }
    }

    /// An MTA handing mail to the mailbox host over LMTP (RFC 2033): no TLS on the internal
    /// link, like Postfix's lmtp client by default.
    pub fn lmtp(helo_name: &str) -> Self {
        ClientConfig {
            helo_name: helo_name.to_string(),
            mode: Mode::Lmtp,
            tls: TlsPolicy::None,
            ..ClientConfig::default()
        }
    }
}
