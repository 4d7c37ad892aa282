//! The mailbox store of a mailbox host: per user, the messages delivered to them. A plain
//! list for now; IMAP's UIDs, flags and folders grow it.

use std::collections::BTreeMap;

use super::message::Message;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub folder: String,
    pub message: Message,
}

#[derive(Debug, Clone, Default)]
pub struct MailStore {
    users: BTreeMap<String, Vec<StoredMessage>>,
}

impl MailStore {
    /// File a message in the user's INBOX.
    pub fn deliver(&mut self, user: &str, message: Message) {
        self.users.entry(user.to_ascii_lowercase()).or_default().push(StoredMessage { folder: "INBOX".into(), message });
    }

    pub fn messages(&self, user: &str) -> &[StoredMessage] {
        self.users.get(&user.to_ascii_lowercase()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every user's messages, by user.
    pub fn all(&self) -> impl Iterator<Item = (&str, &[StoredMessage])> {
        self.users.iter().map(|(u, m)| (u.as_str(), m.as_slice()))
    }
}
