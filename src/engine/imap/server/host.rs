//! What an IMAP server session asks of the host it runs on: who may log in, and the mailbox
//! store. Protocol work is the session's; passwords and mail are the host's.

use crate::engine::mail::MailStore;

/// The host behind a server session. Synchronous: the simulator answers at once.
pub trait ImapHost {
    /// Check a user name and password (LOGIN, AUTHENTICATE PLAIN).
    fn authenticate(&mut self, username: &str, password: &str) -> bool;

    /// The store holding every user's folders, shared with other sessions (IMAP and POP3).
    fn store(&mut self) -> &mut MailStore;
}
