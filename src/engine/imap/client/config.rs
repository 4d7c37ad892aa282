//! What a simulated IMAP client does: how it protects the connection, which mailbox it
//! reads, and what it does with the messages it finds.

use crate::engine::mail::store::SpecialUse;

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
    /// Already inside TLS: port 993 (RFC 8314 3.2).
    Implicit,
}

/// Which of the newly fetched messages a [`Rule`] applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Every message fetched in this session.
    AllNew,
    /// Fetched messages whose Subject (RFC 5322 3.6.5, encoded words decoded) contains this
    /// text, compared without regard to case.
    SubjectContains(String),
}

/// A folder named outright, or found through its special use (RFC 6154 2), as a mail
/// program finds "the Trash" whatever it is called in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderRef {
    Name(String),
    SpecialUse(SpecialUse),
}

/// What a [`Rule`] does to the messages it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `+FLAGS (\Seen)`: the message reads as read on every device (RFC 9051 2.3.2).
    MarkSeen,
    /// `+FLAGS (\Flagged)`: "flagged for urgent/special attention" (RFC 9051 2.3.2).
    Flag,
    /// `+FLAGS (\Deleted)`, then `UID EXPUNGE` with UIDPLUS (RFC 4315 2.1), else EXPUNGE.
    Delete,
    /// `UID MOVE` with MOVE (RFC 6851), else UID COPY, `\Deleted` and expunge (RFC 6851 3.3
    /// describes that fallback and why it is not atomic).
    MoveTo(FolderRef),
}

/// One step of what a device does after fetching, like a mail program's message filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub matcher: Matcher,
    pub action: Action,
}

impl Rule {
    pub fn new(matcher: Matcher, action: Action) -> Self {
        Rule { matcher, action }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub username: String,
    pub password: String,
    pub tls: TlsPolicy,
    pub mailbox: String,
    /// Fetch only messages with a higher UID (0: all). Valid for one UIDVALIDITY. When
    /// above 0, the client first asks `UID FETCH 1:<last_seen_uid> (UID FLAGS)` to learn
    /// flag changes and deletions made elsewhere (RFC 4549 4.3.1).
    pub last_seen_uid: u32,
    /// `BODY.PEEK[]` leaves `\Seen` alone; `BODY[]` sets it (RFC 9051 6.4.5).
    pub peek: bool,
    /// After fetching: `+FLAGS (\Seen)`.
    pub mark_seen: bool,
    /// After fetching: `+FLAGS (\Deleted)` and EXPUNGE.
    pub delete: bool,
    /// After `mark_seen` and `delete`: these rules, in order, on the fetched messages. A
    /// message deleted or moved by one rule is out of reach of the rules after it.
    pub rules: Vec<Rule>,
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
            rules: Vec::new(),
        }
    }
}
