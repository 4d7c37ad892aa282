//! What a POP3 server session asks of the host it runs on: who may log in, and the store
//! that holds their maildrop. Protocol rules are the session's; passwords and mail are the
//! host's.

use crate::engine::mail::MailStore;

/// The folder POP3 serves: RFC 1939 knows one maildrop per user, and it is the INBOX.
pub const MAILDROP_FOLDER: &str = crate::engine::mail::store::INBOX;

/// The host behind a POP3 session. Synchronous: the simulator answers at once.
pub trait Maildrop {
    /// Check a user name and password (USER/PASS, AUTH PLAIN).
    fn authenticate(&mut self, user: &str, password: &str) -> bool;

    /// The secret APOP digests are made with (RFC 1939 7: shared by client and server,
    /// in practice the password), or `None` for an unknown user.
    fn apop_secret(&mut self, user: &str) -> Option<String>;

    /// The store holding the user's mailbox, shared with IMAP and delivery.
    fn store(&mut self) -> &mut MailStore;
}

/// What the session knows about its client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    pub tls: bool,
    /// The user who logged in; set on entering the TRANSACTION state.
    pub user: Option<String>,
}
