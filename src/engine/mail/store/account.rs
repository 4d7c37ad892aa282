//! One user's folders and subscriptions: INBOX, the special-use folders, and what the user
//! created. Folder names are paths with [`HIERARCHY_DELIMITER`] between levels.

use std::collections::BTreeSet;

use super::{Folder, SpecialUse, StoreError, UidValidity};

/// The hierarchy delimiter LIST reports (RFC 9051 6.3.9): `/`, as in Dovecot configurations
/// with `separator = /`, so `Projects/2026` reads like a path.
pub const HIERARCHY_DELIMITER: char = '/';

/// `INBOX`, the one name compared without regard to case (RFC 9051 5.1).
pub const INBOX: &str = "INBOX";

/// One line of a LIST response (RFC 9051 6.3.9, RFC 6154 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub name: String,
    pub special_use: Option<SpecialUse>,
    pub subscribed: bool,
    /// `\HasChildren` or `\HasNoChildren` (RFC 9051 7.3.1).
    pub has_children: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// INBOX first, then in creation order; RENAME keeps a folder's place.
    folders: Vec<Folder>,
    /// Names, not folders: RFC 9051 6.3.7 keeps a subscription when its folder is deleted.
    subscriptions: BTreeSet<String>,
}

/// `inbox` and `Inbox` mean INBOX; every other name is taken as written.
pub fn canonical_name(name: &str) -> String {
    if name.eq_ignore_ascii_case(INBOX) {
        return INBOX.to_string();
    }
    // RFC 9051 5.1: `INBOX/x` is below INBOX however INBOX is spelled.
    match name.split_once(HIERARCHY_DELIMITER) {
        Some((head, tail)) if head.eq_ignore_ascii_case(INBOX) => {
            format!("{INBOX}{HIERARCHY_DELIMITER}{tail}")
        }
        _ => name.to_string(),
    }
}

fn check_name(name: &str) -> Result<(), StoreError> {
    let bad = name.is_empty()
        || name.split(HIERARCHY_DELIMITER).any(str::is_empty)
        || name.chars().any(char::is_control)
        // IMAP LIST wildcards (RFC 9051 6.3.9) cannot be part of a name.
        || name.contains(['*', '%']);
    if bad {
        Err(StoreError::BadName(name.to_string()))
    } else {
        Ok(())
    }
}

/// Whether `name` is somewhere under `parent` in the hierarchy.
pub fn is_below(name: &str, parent: &str) -> bool {
    name.len() > parent.len()
        && name.starts_with(parent)
        && name[parent.len()..].starts_with(HIERARCHY_DELIMITER)
}

impl Account {
    /// A new account: INBOX and the special-use folders, all subscribed (Dovecot's
    /// `auto = subscribe`). `next` hands out a fresh UIDVALIDITY for each.
    pub(super) fn new(mut next: impl FnMut() -> UidValidity) -> Self {
        let mut folders = vec![Folder::new(INBOX, None, next())];
        for (usage, name) in SpecialUse::DEFAULTS {
            folders.push(Folder::new(name, Some(usage), next()));
        }
        let subscriptions = folders.iter().map(|f| f.name().to_string()).collect();
        Account {
            folders,
            subscriptions,
        }
    }

    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    pub fn folder(&self, name: &str) -> Option<&Folder> {
        let name = canonical_name(name);
        self.folders.iter().find(|f| f.name() == name)
    }

    pub fn folder_mut(&mut self, name: &str) -> Option<&mut Folder> {
        let name = canonical_name(name);
        self.folders.iter_mut().find(|f| f.name() == name)
    }

    /// The folder with this special use, e.g. where a client files sent mail.
    pub fn special(&self, usage: SpecialUse) -> Option<&Folder> {
        self.folders.iter().find(|f| f.special_use() == Some(usage))
    }

    pub fn is_subscribed(&self, name: &str) -> bool {
        self.subscriptions.contains(&canonical_name(name))
    }

    /// SUBSCRIBE / UNSUBSCRIBE (RFC 9051 6.3.7, 6.3.8). Subscribing needs the folder to
    /// exist (Dovecot's rule; the RFC allows either); unsubscribing never fails.
    pub fn set_subscribed(&mut self, name: &str, subscribed: bool) -> Result<(), StoreError> {
        let name = canonical_name(name);
        if subscribed {
            if self.folder(&name).is_none() {
                return Err(StoreError::NoSuchFolder(name));
            }
            self.subscriptions.insert(name);
        } else {
            self.subscriptions.remove(&name);
        }
        Ok(())
    }

    /// Every folder, INBOX first (RFC 9051 6.3.9 LIST "*"), with its attributes.
    pub fn list(&self) -> Vec<ListEntry> {
        self.folders
            .iter()
            .map(|f| ListEntry {
                name: f.name().to_string(),
                special_use: f.special_use(),
                subscribed: self.subscriptions.contains(f.name()),
                has_children: self.folders.iter().any(|c| is_below(c.name(), f.name())),
            })
            .collect()
    }

    /// The subscribed names (LSUB, RFC 3501 6.3.9), even of folders since deleted.
    pub fn subscriptions(&self) -> impl Iterator<Item = &str> {
        self.subscriptions.iter().map(String::as_str)
    }

    /// CREATE (RFC 9051 6.3.4): also creates missing superior levels, as the RFC advises,
    /// so `Projects/2026` makes `Projects` too.
    pub(super) fn create(
        &mut self,
        name: &str,
        mut next: impl FnMut() -> UidValidity,
    ) -> Result<(), StoreError> {
        let name = canonical_name(name.trim_end_matches(HIERARCHY_DELIMITER));
        check_name(&name)?;
        if self.folder(&name).is_some() {
            return Err(StoreError::AlreadyExists(name));
        }
        let mut path = String::new();
        for level in name.split(HIERARCHY_DELIMITER) {
            if !path.is_empty() {
                path.push(HIERARCHY_DELIMITER);
            }
            path.push_str(level);
            if self.folder(&path).is_none() {
                self.folders.push(Folder::new(&path, None, next()));
            }
        }
        Ok(())
    }

    /// DELETE (RFC 9051 6.3.5): never INBOX; not a folder with children (Dovecot's rule).
    /// Its messages go with it; its subscription stays.
    pub(super) fn delete(&mut self, name: &str) -> Result<Folder, StoreError> {
        let name = canonical_name(name);
        if name == INBOX {
            return Err(StoreError::CannotDeleteInbox);
        }
        let at = self
            .folders
            .iter()
            .position(|f| f.name() == name)
            .ok_or_else(|| StoreError::NoSuchFolder(name.clone()))?;
        if self.folders.iter().any(|f| is_below(f.name(), &name)) {
            return Err(StoreError::HasChildren(name));
        }
        Ok(self.folders.remove(at))
    }

    /// RENAME (RFC 9051 6.3.6): the folder and everything below it take the new name and
    /// keep their UIDVALIDITY (the messages and UIDs did not change). Renaming INBOX is
    /// special: its messages move to a new folder and INBOX stays, empty.
    pub(super) fn rename(
        &mut self,
        from: &str,
        to: &str,
        mut next: impl FnMut() -> UidValidity,
    ) -> Result<(), StoreError> {
        let from = canonical_name(from);
        let to = canonical_name(to.trim_end_matches(HIERARCHY_DELIMITER));
        check_name(&to)?;
        if self.folder(&from).is_none() {
            return Err(StoreError::NoSuchFolder(from));
        }
        if self.folder(&to).is_some() || to == INBOX {
            return Err(StoreError::AlreadyExists(to));
        }
        if is_below(&to, &from) {
            return Err(StoreError::BadName(to));
        }
        if from == INBOX {
            self.create(&to, &mut next)?;
            let inbox = self
                .folder_mut(INBOX)
                .ok_or(StoreError::NoSuchFolder(from))?;
            let uids: Vec<_> = inbox.messages().iter().map(|m| m.uid).collect();
            let moved = inbox.remove(&uids);
            if let Some(target) = self.folder_mut(&to) {
                for m in moved {
                    target.append(m.message, m.flags, m.internal_date);
                }
            }
            return Ok(());
        }
        for folder in &mut self.folders {
            let renamed = if folder.name() == from {
                Some(to.clone())
            } else if is_below(folder.name(), &from) {
                Some(format!("{to}{}", &folder.name()[from.len()..]))
            } else {
                None
            };
            if let Some(new_name) = renamed {
                // Dovecot carries subscriptions along with the rename.
                if self.subscriptions.remove(folder.name()) {
                    self.subscriptions.insert(new_name.clone());
                }
                folder.set_name(new_name);
            }
        }
        // A rename into a new hierarchy (`a` to `b/c`) creates the missing `b`.
        if let Some((parent, _)) = to.rsplit_once(HIERARCHY_DELIMITER) {
            if self.folder(parent).is_none() {
                self.create(parent, next)?;
            }
        }
        Ok(())
    }
}
