//! The maildrop as a POP3 session sees it (RFC 1939 4, 5): a snapshot taken at login, so
//! message numbers stay the same for the whole session, with the marks DELE and RETR make.
//! Nothing reaches the store before the UPDATE state.

use crate::engine::mail::store::{Folder, MaildropLock, Uid, UidValidity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub uid: Uid,
    /// Octets with CRLF (RFC 1939 5: the exact size, as RETR will send it unstuffed).
    pub size: u64,
    /// The unique-id listing (RFC 1939 7): Dovecot's default `pop3_uidl_format =
    /// %08Xu%08Xv`, the UID then the UIDVALIDITY in hex, so it never repeats.
    pub uidl: String,
    pub deleted: bool,
    /// Sent by RETR: gets `\Seen` at UPDATE, as Dovecot does (TOP does not count).
    pub retrieved: bool,
}

/// Why a message number names no message a command can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    NoSuchMessage(u32),
    Deleted,
}

#[derive(Debug)]
pub struct Listing {
    pub user: String,
    pub lock: MaildropLock,
    entries: Vec<Entry>,
}

/// The UIDL of a message (see [`Entry::uidl`]).
pub fn uidl(uid: Uid, validity: UidValidity) -> String {
    format!("{:08X}{:08X}", uid.0, validity.0)
}

impl Listing {
    /// The snapshot of `folder` (the user's INBOX) at login.
    pub fn new(user: String, lock: MaildropLock, folder: Option<&Folder>) -> Self {
        let entries = folder
            .map(|f| {
                f.messages()
                    .iter()
                    .map(|m| Entry {
                        uid: m.uid,
                        size: m.size(),
                        uidl: uidl(m.uid, f.uid_validity()),
                        deleted: false,
                        retrieved: false,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Listing {
            user,
            lock,
            entries,
        }
    }

    /// The message numbered `msg` (from 1), unless out of range or marked deleted
    /// (RFC 1939 5: a deleted message may not be referred to).
    pub fn get(&self, msg: u32) -> Result<&Entry, Lookup> {
        let entry = (msg as usize)
            .checked_sub(1)
            .and_then(|i| self.entries.get(i))
            .ok_or(Lookup::NoSuchMessage(msg))?;
        if entry.deleted {
            Err(Lookup::Deleted)
        } else {
            Ok(entry)
        }
    }

    pub fn mark(&mut self, msg: u32, deleted: bool, retrieved: bool) {
        if let Some(e) = (msg as usize)
            .checked_sub(1)
            .and_then(|i| self.entries.get_mut(i))
        {
            e.deleted |= deleted;
            e.retrieved |= retrieved;
        }
    }

    /// RSET (RFC 1939 5): unmark every deleted message.
    pub fn unmark_all(&mut self) {
        for e in &mut self.entries {
            e.deleted = false;
        }
    }

    /// The messages not marked deleted, with their numbers: STAT, LIST and UIDL leave
    /// deleted ones out (RFC 1939 5, 7).
    pub fn live(&self) -> impl Iterator<Item = (u32, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.deleted)
            .map(|(i, e)| (i as u32 + 1, e))
    }

    /// STAT's drop listing: number of messages and their total size.
    pub fn stat(&self) -> (usize, u64) {
        self.live()
            .fold((0, 0), |(n, size), (_, e)| (n + 1, size + e.size))
    }

    pub fn deleted_uids(&self) -> Vec<Uid> {
        self.entries
            .iter()
            .filter(|e| e.deleted)
            .map(|e| e.uid)
            .collect()
    }

    /// Retrieved and kept: these get `\Seen` at UPDATE.
    pub fn retrieved_uids(&self) -> Vec<Uid> {
        self.entries
            .iter()
            .filter(|e| e.retrieved && !e.deleted)
            .map(|e| e.uid)
            .collect()
    }
}
