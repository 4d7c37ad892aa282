//! One folder (an IMAP "mailbox", RFC 9051 2.3.1): its messages in ascending UID order, and
//! the numbers that let a client cache them safely.

use std::collections::BTreeSet;

use super::flags::{FlagChange, Flags};
use super::{SpecialUse, StoreError, Uid, UidValidity};
use crate::engine::mail::Message;
use crate::engine::time::VirtualTime;

/// When a message arrived (RFC 9051 2.3.3), in seconds since 1970: the world's clock at
/// delivery, or the date an APPEND gives, which may lie years before the world began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct InternalDate(pub u64);

impl InternalDate {
    pub fn unix_seconds(self) -> u64 {
        self.0
    }
}

impl From<VirtualTime> for InternalDate {
    fn from(time: VirtualTime) -> Self {
        InternalDate(time.unix_seconds())
    }
}

/// A message filed in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Unique within the folder for this UIDVALIDITY, never reused (RFC 9051 2.3.1.1).
    pub uid: Uid,
    pub flags: Flags,
    /// When the message arrived (RFC 9051 2.3.3): delivery or APPEND time, kept by COPY.
    pub internal_date: InternalDate,
    /// The folder's change counter when this message last changed (arrived or had its
    /// flags changed), so a session can tell what changed since it last looked, as
    /// CONDSTORE's MODSEQ does (RFC 7162 3.1).
    pub modseq: u64,
    /// The message itself, bytes with CRLF.
    pub message: Message,
}

impl StoredMessage {
    /// RFC822.SIZE (RFC 9051 2.3.4) and the POP3 size (RFC 1939 5): octets with CRLF.
    pub fn size(&self) -> u64 {
        self.message.as_bytes().len() as u64
    }
}

/// What STATUS reports about a folder (RFC 9051 6.3.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStatus {
    pub messages: usize,
    /// Messages without `\Seen`.
    pub unseen: usize,
    /// Messages with `\Deleted` (RFC 9051 STATUS DELETED).
    pub deleted: usize,
    pub uid_next: Uid,
    pub uid_validity: UidValidity,
    /// Octets of all messages (RFC 8438 STATUS=SIZE).
    pub size: u64,
    pub highest_modseq: u64,
    /// Messages no session has selected the folder since they arrived (RFC 3501 2.3.2
    /// `\Recent`).
    pub recent: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    name: String,
    special_use: Option<SpecialUse>,
    uid_validity: UidValidity,
    uid_next: Uid,
    /// Ascending UIDs: a message's position here plus one is its sequence number
    /// (RFC 9051 2.3.1.2).
    messages: Vec<StoredMessage>,
    highest_modseq: u64,
    /// Messages from this UID on are recent (RFC 3501 2.3.2): no session has had them as
    /// its own `\Recent` yet. One number, as Dovecot keeps it, because the first session
    /// to see new messages claims them all.
    first_recent: Uid,
    /// Every keyword a message here has carried, for the FLAGS a session announces
    /// (RFC 3501 7.2.6): Dovecot keeps them once defined.
    keywords: BTreeSet<String>,
}

impl Folder {
    /// A new, empty folder. Only the store makes them, because it alone knows the next
    /// UIDVALIDITY.
    pub(super) fn new(
        name: &str,
        special_use: Option<SpecialUse>,
        uid_validity: UidValidity,
    ) -> Self {
        Folder {
            name: name.to_string(),
            special_use,
            uid_validity,
            uid_next: Uid(1),
            messages: Vec::new(),
            highest_modseq: 1,
            first_recent: Uid(1),
            keywords: BTreeSet::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn set_name(&mut self, name: String) {
        self.name = name;
    }

    pub fn special_use(&self) -> Option<SpecialUse> {
        self.special_use
    }

    pub fn uid_validity(&self) -> UidValidity {
        self.uid_validity
    }

    /// The UID the next message will get (RFC 9051 2.3.1.1): it only grows.
    pub fn uid_next(&self) -> Uid {
        self.uid_next
    }

    pub fn highest_modseq(&self) -> u64 {
        self.highest_modseq
    }

    /// In ascending UID order.
    pub fn messages(&self) -> &[StoredMessage] {
        &self.messages
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The message with this UID, if still there.
    pub fn get(&self, uid: Uid) -> Option<&StoredMessage> {
        self.index_of(uid).map(|i| &self.messages[i])
    }

    /// The message's place in [`Folder::messages`]: its sequence number minus one.
    pub fn index_of(&self, uid: Uid) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok()
    }

    pub fn status(&self) -> FolderStatus {
        let has = |f: &super::Flag| self.messages.iter().filter(|m| m.flags.contains(f)).count();
        FolderStatus {
            messages: self.messages.len(),
            unseen: self.messages.len() - has(&super::Flag::Seen),
            deleted: has(&super::Flag::Deleted),
            uid_next: self.uid_next,
            uid_validity: self.uid_validity,
            size: self.messages.iter().map(StoredMessage::size).sum(),
            highest_modseq: self.highest_modseq,
            recent: self.messages.iter().filter(|m| m.uid >= self.first_recent).count(),
        }
    }

    /// The UIDs of the recent messages (RFC 3501 2.3.2), without claiming them: what an
    /// EXAMINE, which changes nothing, reports.
    pub fn recent(&self) -> Vec<Uid> {
        self.messages
            .iter()
            .map(|m| m.uid)
            .filter(|u| *u >= self.first_recent)
            .collect()
    }

    /// The recent messages, claimed by the session that selects the folder or is the first
    /// to learn of them (RFC 3501 2.3.2: recent for exactly one session); no other session
    /// will have them as recent.
    pub fn claim_recent(&mut self) -> Vec<Uid> {
        let recent = self.recent();
        self.first_recent = self.uid_next;
        recent
    }

    /// The keywords defined here, in order.
    pub fn keywords(&self) -> &BTreeSet<String> {
        &self.keywords
    }

    fn note_keywords(&mut self, flags: &Flags) {
        for flag in flags {
            if let super::Flag::Keyword(k) = flag {
                if !self.keywords.contains(k) {
                    self.keywords.insert(k.clone());
                }
            }
        }
    }

    fn bump(&mut self) -> u64 {
        self.highest_modseq += 1;
        self.highest_modseq
    }

    /// File a message with the next UID and return it (delivery, APPEND, COPY).
    pub fn append(
        &mut self,
        message: Message,
        flags: Flags,
        internal_date: impl Into<InternalDate>,
    ) -> Uid {
        let internal_date = internal_date.into();
        let uid = self.uid_next;
        // RFC 9051 2.3.1.1: UIDs strictly ascend; u32 is the protocol's nz-number range.
        self.uid_next = Uid(uid.0.saturating_add(1));
        let modseq = self.bump();
        self.note_keywords(&flags);
        self.messages.push(StoredMessage {
            uid,
            flags,
            internal_date,
            modseq,
            message,
        });
        uid
    }

    /// Change one message's flags (STORE, RFC 9051 6.4.6; POP3 RETR sets \Seen). Returns
    /// whether anything changed.
    pub fn set_flags(
        &mut self,
        uid: Uid,
        change: FlagChange,
        flags: &Flags,
    ) -> Result<bool, StoreError> {
        let i = self.index_of(uid).ok_or(StoreError::NoSuchMessage(uid))?;
        let mut now = self.messages[i].flags.clone();
        if !change.apply(&mut now, flags) {
            return Ok(false);
        }
        let modseq = self.bump();
        self.note_keywords(&now);
        let m = &mut self.messages[i];
        m.flags = now;
        m.modseq = modseq;
        Ok(true)
    }

    /// Remove every message flagged `\Deleted` (EXPUNGE, RFC 9051 6.4.3). Returns their
    /// UIDs in ascending order.
    pub fn expunge(&mut self) -> Vec<Uid> {
        let doomed: Vec<Uid> = self
            .messages
            .iter()
            .filter(|m| m.flags.contains(&super::Flag::Deleted))
            .map(|m| m.uid)
            .collect();
        self.remove(&doomed).into_iter().map(|m| m.uid).collect()
    }

    /// Remove exactly these messages, whatever their flags (UID EXPUNGE of RFC 4315 2.1
    /// narrows EXPUNGE to them; POP3's UPDATE state removes what DELE marked, RFC 1939 6;
    /// MOVE takes them out, RFC 6851). UIDs not present are skipped. Returns the removed
    /// messages in ascending UID order.
    pub fn remove(&mut self, uids: &[Uid]) -> Vec<StoredMessage> {
        let mut removed = Vec::new();
        let mut kept = Vec::with_capacity(self.messages.len());
        for m in std::mem::take(&mut self.messages) {
            if uids.contains(&m.uid) {
                removed.push(m);
            } else {
                kept.push(m);
            }
        }
        self.messages = kept;
        if !removed.is_empty() {
            self.bump();
        }
        removed
    }
}
