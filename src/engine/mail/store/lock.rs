//! The POP3 maildrop lock (RFC 1939 4): while a POP3 session is in the TRANSACTION state it
//! has the maildrop to itself, so its message numbers stay valid; a second POP3 login gets
//! `-ERR [IN-USE]` (RFC 2449 8.1.2). IMAP sessions do not take it: like Dovecot, the store
//! lets them work alongside, and the POP3 session keeps its snapshot by UID.

use std::collections::BTreeMap;

use super::StoreError;

/// Proof of holding one user's lock. Only the holder can release it, so a session that
/// lost its lock long ago cannot release a newer session's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaildropLock {
    user: String,
    id: u64,
}

impl MaildropLock {
    pub fn user(&self) -> &str {
        &self.user
    }
}

/// Who holds which maildrop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaildropLocks {
    held: BTreeMap<String, u64>,
    /// Numbers lock ids, so that every lock differs (deterministically).
    issued: u64,
}

impl MaildropLocks {
    /// Take `user`'s lock (already lower-cased), or `InUse` if a session holds it.
    pub fn acquire(&mut self, user: &str) -> Result<MaildropLock, StoreError> {
        if self.held.contains_key(user) {
            return Err(StoreError::InUse);
        }
        self.issued += 1;
        self.held.insert(user.to_string(), self.issued);
        Ok(MaildropLock {
            user: user.to_string(),
            id: self.issued,
        })
    }

    /// Give the lock back; true if `lock` was the one held.
    pub fn release(&mut self, lock: &MaildropLock) -> bool {
        if self.held.get(&lock.user) == Some(&lock.id) {
            self.held.remove(&lock.user);
            true
        } else {
            false
        }
    }

    pub fn is_locked(&self, user: &str) -> bool {
        self.held.contains_key(user)
    }
}
