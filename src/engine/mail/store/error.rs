//! Why a store operation was refused. The wording follows Dovecot's IMAP replies, so that an
//! IMAP session can put `Display` after `NO` as it is.

use std::fmt;

use super::Uid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No such folder. IMAP answers `NO [TRYCREATE]` for APPEND/COPY/MOVE (RFC 9051 6.3.12)
    /// and `NO [NONEXISTENT]` elsewhere (RFC 5530 3).
    NoSuchFolder(String),
    /// CREATE or RENAME onto a name in use (RFC 9051 6.3.4, `[ALREADYEXISTS]`, RFC 5530).
    AlreadyExists(String),
    /// INBOX cannot be deleted (RFC 9051 6.3.5).
    CannotDeleteInbox,
    /// A folder with children below it (Dovecot refuses rather than leave a \Noselect parent).
    HasChildren(String),
    /// A name that is empty, has an empty level (`a//b`), ends in the delimiter or holds a
    /// control character.
    BadName(String),
    /// No message with this UID in the folder (it was expunged meanwhile).
    NoSuchMessage(Uid),
    /// The POP3 maildrop lock is held by another session (RFC 1939 4, RFC 2449 8.1.2).
    InUse,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NoSuchFolder(name) => write!(f, "Mailbox doesn't exist: {name}"),
            StoreError::AlreadyExists(_) => f.write_str("Mailbox already exists"),
            StoreError::CannotDeleteInbox => f.write_str("INBOX can't be deleted."),
            StoreError::HasChildren(_) => f.write_str("Mailbox has children, delete them first"),
            StoreError::BadName(name) => write!(f, "Invalid mailbox name: {name}"),
            StoreError::NoSuchMessage(uid) => write!(f, "Message UID {} was expunged", uid.0),
            StoreError::InUse => f.write_str("Mailbox is locked by another POP3 session"),
        }
    }
}

impl std::error::Error for StoreError {}
