//! The device's view of the selected mailbox (RFC 9051 5.2, 7.4.1): which sequence number
//! holds which UID, and for each message it knows, its flags and, when it fetched the
//! message in this session, its Subject and Message-ID. Kept up to date from every EXISTS,
//! EXPUNGE and FETCH response, solicited or not, as RFC 9051 2.2.2 asks of a client.

use std::collections::BTreeMap;

use super::fetch_data::FetchData;
use crate::engine::mail::encoded_word;
use crate::engine::mail::store::{Flag, Flags};
use crate::engine::mail::Message;

/// One message as the device sees it after the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageView {
    pub uid: u32,
    /// As the server last reported them, or as this client last stored them.
    pub flags: Flags,
    /// Decoded (RFC 2047). `None` for a message known only from flag sync: the client asks
    /// old messages for `(UID FLAGS)` alone, so their headers come from the device's cache
    /// of an earlier session (same UID, same UIDVALIDITY).
    pub subject: Option<String>,
    pub message_id: Option<String>,
}

/// What [`super::ClientSession::mailbox_view`] reports after the session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailboxView {
    pub mailbox: String,
    /// From SELECT's `[UIDVALIDITY n]`: the UIDs below mean something only with it
    /// (RFC 9051 2.3.1.1).
    pub uid_validity: u32,
    /// Ascending UID: the old messages flag sync found still there, and those fetched now.
    /// A UID up to `last_seen_uid` that is missing was expunged elsewhere.
    pub messages: Vec<MessageView>,
}

/// Turns FLAGS atoms into stored flags; `\Recent` is session state and dropped.
fn flags_of(atoms: &[String]) -> Flags {
    atoms.iter().filter_map(|a| Flag::parse(a)).collect()
}

#[derive(Debug, Clone, Default)]
pub struct Tracker {
    pub uid_validity: u32,
    /// Sequence number n is `seqs[n - 1]`; `None` until a FETCH with UID names it.
    seqs: Vec<Option<u32>>,
    messages: BTreeMap<u32, MessageView>,
}

impl Tracker {
    /// `* n EXISTS` (RFC 9051 7.4.1): the mailbox now has n messages.
    pub fn exists(&mut self, n: u32) {
        // A simulated mailbox is small; a number past this is a broken server, and the
        // device should not spend its memory on it.
        const MOST: u32 = 1 << 20;
        self.seqs.resize(n.min(MOST) as usize, None);
    }

    /// `* n EXPUNGE` (RFC 9051 7.5.1): message n is gone and every later number drops by
    /// one, which `Vec::remove` does.
    pub fn expunge(&mut self, seq: u32) {
        let Some(at) = (seq as usize).checked_sub(1) else {
            return;
        };
        if at < self.seqs.len() {
            if let Some(uid) = self.seqs.remove(at) {
                self.messages.remove(&uid);
            }
        }
    }

    /// A FETCH response: learns the UID of its sequence number, and flags or headers.
    pub fn fetch(&mut self, data: &FetchData) {
        // RFC 9051 7.4.1: EXISTS announces a message before anything refers to it.
        let at = (data.seq as usize).saturating_sub(1);
        if at >= self.seqs.len() {
            return;
        }
        if data.uid.is_some() {
            self.seqs[at] = data.uid;
        }
        let Some(uid) = self.seqs[at] else {
            return;
        };
        // Only a response that names its UID makes a new entry: an unsolicited FLAGS update
        // for a message this device never asked about tells it nothing to show.
        let entry = match (self.messages.get_mut(&uid), data.uid) {
            (Some(entry), _) => entry,
            (None, Some(_)) => self.messages.entry(uid).or_insert(MessageView {
                uid,
                flags: Flags::new(),
                subject: None,
                message_id: None,
            }),
            (None, None) => return,
        };
        if let Some(flags) = &data.flags {
            entry.flags = flags_of(flags);
        }
        if let Some(bytes) = &data.message {
            let message = Message::from_bytes(bytes.clone());
            entry.subject = message.header("Subject").map(|s| encoded_word::decode(&s));
            entry.message_id = message.header("Message-ID").map(|s| s.trim().to_string());
        }
    }

    /// This client's own `+FLAGS.SILENT`, answered OK: no FETCH comes back to say so.
    pub fn add_flag(&mut self, uids: &[u32], flag: &Flag) {
        for uid in uids {
            if let Some(m) = self.messages.get_mut(uid) {
                m.flags.insert(flag.clone());
            }
        }
    }

    pub fn subject(&self, uid: u32) -> Option<&str> {
        self.messages.get(&uid)?.subject.as_deref()
    }

    pub fn view(&self, mailbox: &str) -> MailboxView {
        MailboxView {
            mailbox: mailbox.to_string(),
            uid_validity: self.uid_validity,
            messages: self.messages.values().cloned().collect(),
        }
    }
}
