//! What a simulated IMAP client does: how it protects the connection, which mailbox it
//! reads, and what it does with the messages it finds.

/// How the client protects the connection before it sends a password (RFC 8314 3,
/// RFC 9051 6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsPolicy {
    /// Stay in clear (a classroom link that shows what a password in clear looks like).
    None,
    /// STARTTLS when CAPABILITY lists it, otherwise carry on in clear.
    StartTlsIfOffered,
    /// STARTTLS or give up before logging in.
    RequireStartTls,
    /// Already inside TLS: port 993 (RFC 8314 3.3).
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub username: String,
    pub password: String,
    pub tls: TlsPolicy,
    pub mailbox: String,
    /// Fetch only messages with a higher UID (0: all). Valid for one UIDVALIDITY.
    pub last_seen_uid: u32,
    /// `BODY.PEEK[]` leaves `\Seen` alone; `BODY[]` sets it (RFC 9051 6.4.5).
    pub peek: bool,
    /// After fetching: `+FLAGS (\Seen)`.
    pub mark_seen: bool,
    /// After fetching: `+FLAGS (\Deleted)` and EXPUNGE.
    pub delete: bool,
}

impl ClientConfig {
    /// Port 143 as mail programs use it today: STARTTLS when offered (RFC 8314 3 prefers
    /// port 993, but the lesson shows the upgrade), peeking, leaving mail on the server.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        ClientConfig {
            username: username.into(),
            password: password.into(),
            tls: TlsPolicy::StartTlsIfOffered,
            mailbox: "INBOX".into(),
            last_seen_uid: 0,
            peek: true,
            mark_seen: false,
            delete: false,
        }
    }
}
