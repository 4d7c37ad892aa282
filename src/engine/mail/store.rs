//! The mailbox store of a mailbox host: per user, INBOX plus the special-use folders
//! (RFC 6154) and folders the user made, each with UIDVALIDITY, UIDNEXT and messages with
//! UIDs, flags and an internal date. One store serves every session of a user, POP3 and IMAP
//! alike.
//!
//! The pieces, one per file: [`Flag`]s, a [`Folder`] of [`StoredMessage`]s, a user's
//! [`Account`] of folders, the POP3 [`MaildropLock`], and [`StoreError`].
//!
//! Users are keyed by their login, lower-cased. Operations on an unknown user create its
//! account on the spot (delivery does anyway), except the read-only ones, which see nothing.
//!
//! Determinism (invariant 2 of ARCHITECTURE.md): UIDVALIDITY comes from a store-wide counter, never the
//! clock, and deleting and re-creating a folder gives it a new UIDVALIDITY, which is exactly
//! what RFC 9051 2.3.1.1 asks for when UIDs could otherwise repeat.
//!
//! For IMAP: a session can notice what others changed by comparing UIDs (expunges, new
//! messages) and each message's `modseq` against the folder's `highest_modseq` (flag
//! changes), in the manner of CONDSTORE (RFC 7162).

mod account;
mod error;
mod flags;
mod folder;
mod lock;
mod special_use;

// proptest is a native-only dev-dependency (Cargo.toml).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use account::{canonical_name, is_below, Account, ListEntry, HIERARCHY_DELIMITER, INBOX};
pub use error::StoreError;
pub use flags::{flag_list, Flag, FlagChange, Flags};
pub use folder::{Folder, FolderStatus, InternalDate, StoredMessage};
pub use lock::{MaildropLock, MaildropLocks};
pub use special_use::SpecialUse;

use super::message::Message;
use crate::engine::time::VirtualTime;

/// A message's unique identifier within its folder (RFC 9051 2.3.1.1): a non-zero 32-bit
/// number that only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid(pub u32);

/// Changes whenever a folder's UIDs may no longer mean what a client cached
/// (RFC 9051 2.3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UidValidity(pub u32);

/// A message seen through [`MailStore::messages`]: where it is filed and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiledMessage<'a> {
    pub folder: &'a str,
    pub uid: Uid,
    pub flags: &'a Flags,
    pub internal_date: InternalDate,
    pub message: &'a Message,
}

/// `PartialEq` lets tests compare a snapshot: bad input must leave the store unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailStore {
    accounts: BTreeMap<String, Account>,
    /// The last UIDVALIDITY handed out, store-wide.
    uid_validity_counter: u32,
    locks: MaildropLocks,
}

fn key(user: &str) -> String {
    user.to_ascii_lowercase()
}

impl MailStore {
    /// Split borrows: the account (created if missing) and the UIDVALIDITY counter.
    fn account_and_counter(
        &mut self,
        user: &str,
    ) -> (&mut Account, impl FnMut() -> UidValidity + '_) {
        let counter = &mut self.uid_validity_counter;
        let mut next = move || {
            *counter = counter.saturating_add(1);
            UidValidity(*counter)
        };
        let account = self
            .accounts
            .entry(key(user))
            .or_insert_with(|| Account::new(&mut next));
        (account, next)
    }

    /// The user's account, if anything was ever delivered to or created for them.
    pub fn account(&self, user: &str) -> Option<&Account> {
        self.accounts.get(&key(user))
    }

    /// The user's account, created with its default folders if new.
    pub fn account_mut(&mut self, user: &str) -> &mut Account {
        self.account_and_counter(user).0
    }

    pub fn folder(&self, user: &str, name: &str) -> Option<&Folder> {
        self.account(user)?.folder(name)
    }

    pub fn folder_mut(&mut self, user: &str, name: &str) -> Result<&mut Folder, StoreError> {
        self.account_mut(user)
            .folder_mut(name)
            .ok_or_else(|| StoreError::NoSuchFolder(canonical_name(name)))
    }

    /// File a message in the user's INBOX (final delivery, e.g. from LMTP) with no flags;
    /// returns its UID.
    pub fn deliver(&mut self, user: &str, message: Message, now: VirtualTime) -> Uid {
        self.account_mut(user)
            .folder_mut(INBOX)
            .map(|inbox| inbox.append(message, Flags::new(), now))
            // An account always has INBOX: `Account::delete` refuses to remove it.
            .unwrap_or(Uid(0))
    }

    /// APPEND (RFC 9051 6.3.12): the folder must exist (`NO [TRYCREATE]` otherwise).
    pub fn append(
        &mut self,
        user: &str,
        folder: &str,
        message: Message,
        flags: Flags,
        internal_date: impl Into<InternalDate>,
    ) -> Result<Uid, StoreError> {
        Ok(self
            .folder_mut(user, folder)?
            .append(message, flags, internal_date))
    }

    /// STORE on one message (RFC 9051 6.4.6); true if its flags changed.
    pub fn set_flags(
        &mut self,
        user: &str,
        folder: &str,
        uid: Uid,
        change: FlagChange,
        flags: &Flags,
    ) -> Result<bool, StoreError> {
        self.folder_mut(user, folder)?.set_flags(uid, change, flags)
    }

    /// The folder's recent messages, now this session's (RFC 3501 2.3.2); none when the
    /// folder is gone.
    pub fn claim_recent(&mut self, user: &str, folder: &str) -> Vec<Uid> {
        self.folder_mut(user, folder)
            .map(Folder::claim_recent)
            .unwrap_or_default()
    }

    /// EXPUNGE (RFC 9051 6.4.3): removes the `\Deleted` messages, returns their UIDs.
    pub fn expunge(&mut self, user: &str, folder: &str) -> Result<Vec<Uid>, StoreError> {
        Ok(self.folder_mut(user, folder)?.expunge())
    }

    /// Removes exactly these messages (POP3 UPDATE, UID EXPUNGE); returns the UIDs removed.
    pub fn remove(
        &mut self,
        user: &str,
        folder: &str,
        uids: &[Uid],
    ) -> Result<Vec<Uid>, StoreError> {
        Ok(self
            .folder_mut(user, folder)?
            .remove(uids)
            .into_iter()
            .map(|m| m.uid)
            .collect())
    }

    /// COPY (RFC 9051 6.4.7): flags and internal date come along; returns (source UID,
    /// new UID) pairs for COPYUID (RFC 4315 3). UIDs no longer present are skipped.
    pub fn copy(
        &mut self,
        user: &str,
        from: &str,
        uids: &[Uid],
        to: &str,
    ) -> Result<Vec<(Uid, Uid)>, StoreError> {
        let source = self
            .folder(user, from)
            .ok_or_else(|| StoreError::NoSuchFolder(canonical_name(from)))?;
        let copies: Vec<StoredMessage> = uids
            .iter()
            .filter_map(|&u| source.get(u).cloned())
            .collect();
        let target = self.folder_mut(user, to)?;
        Ok(copies
            .into_iter()
            .map(|m| (m.uid, target.append(m.message, m.flags, m.internal_date)))
            .collect())
    }

    /// MOVE (RFC 6851): a copy, then the originals leave the source. Into the same folder
    /// too: the messages come back at the end with new UIDs, as with Dovecot.
    pub fn move_messages(
        &mut self,
        user: &str,
        from: &str,
        uids: &[Uid],
        to: &str,
    ) -> Result<Vec<(Uid, Uid)>, StoreError> {
        let pairs = self.copy(user, from, uids, to)?;
        let moved: Vec<Uid> = pairs.iter().map(|(old, _)| *old).collect();
        self.folder_mut(user, from)?.remove(&moved);
        Ok(pairs)
    }

    /// CREATE (RFC 9051 6.3.4).
    pub fn create_folder(&mut self, user: &str, name: &str) -> Result<(), StoreError> {
        let (account, next) = self.account_and_counter(user);
        account.create(name, next)
    }

    /// DELETE (RFC 9051 6.3.5).
    pub fn delete_folder(&mut self, user: &str, name: &str) -> Result<(), StoreError> {
        self.account_mut(user).delete(name).map(|_| ())
    }

    /// RENAME (RFC 9051 6.3.6).
    pub fn rename_folder(&mut self, user: &str, from: &str, to: &str) -> Result<(), StoreError> {
        let (account, next) = self.account_and_counter(user);
        account.rename(from, to, next)
    }

    /// SUBSCRIBE / UNSUBSCRIBE (RFC 9051 6.3.7, 6.3.8).
    pub fn set_subscribed(
        &mut self,
        user: &str,
        name: &str,
        subscribed: bool,
    ) -> Result<(), StoreError> {
        self.account_mut(user).set_subscribed(name, subscribed)
    }

    /// LIST (RFC 9051 6.3.9): a new user sees the default folders.
    pub fn list(&mut self, user: &str) -> Vec<ListEntry> {
        self.account_mut(user).list()
    }

    /// STATUS (RFC 9051 6.3.11).
    pub fn status(&self, user: &str, name: &str) -> Result<FolderStatus, StoreError> {
        self.folder(user, name)
            .map(Folder::status)
            .ok_or_else(|| StoreError::NoSuchFolder(canonical_name(name)))
    }

    /// Take the user's POP3 maildrop lock (RFC 1939 4), or [`StoreError::InUse`].
    pub fn lock_maildrop(&mut self, user: &str) -> Result<MaildropLock, StoreError> {
        self.locks.acquire(&key(user))
    }

    /// Give the lock back (at QUIT, or when the connection drops); true if it was held.
    pub fn unlock_maildrop(&mut self, lock: &MaildropLock) -> bool {
        self.locks.release(lock)
    }

    pub fn is_maildrop_locked(&self, user: &str) -> bool {
        self.locks.is_locked(&key(user))
    }

    /// Every message of the user, folder by folder (INBOX first), in UID order.
    pub fn messages(&self, user: &str) -> Vec<FiledMessage<'_>> {
        self.account(user).map(filed).unwrap_or_default()
    }

    /// Every user's messages, by user.
    pub fn all(&self) -> impl Iterator<Item = (&str, Vec<FiledMessage<'_>>)> {
        self.accounts.iter().map(|(u, a)| (u.as_str(), filed(a)))
    }
}

fn filed(account: &Account) -> Vec<FiledMessage<'_>> {
    account
        .folders()
        .iter()
        .flat_map(|f| {
            f.messages().iter().map(move |m| FiledMessage {
                folder: f.name(),
                uid: m.uid,
                flags: &m.flags,
                internal_date: m.internal_date,
                message: &m.message,
            })
        })
        .collect()
}
