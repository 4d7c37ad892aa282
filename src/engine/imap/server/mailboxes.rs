//! Commands on whole mailboxes (RFC 9051 6.3): SELECT, EXAMINE, CREATE, DELETE, RENAME,
//! SUBSCRIBE, STATUS, APPEND, and leaving a mailbox with CLOSE or UNSELECT (LIST and LSUB
//! are in `list.rs`).

use super::messages::store_flags;
use super::replies::completed;
use super::selected::Selected;
use super::{ImapHost, ServerSession, State};
use crate::engine::imap::command::StatusItem;
use crate::engine::imap::flags::Flag;
use crate::engine::imap::response::{write_astring, Code, StatusKind};
use crate::engine::mail::store::{InternalDate, StoreError, HIERARCHY_DELIMITER};
use crate::engine::mail::Message;

pub(super) fn astring(name: &str) -> String {
    let mut out = Vec::new();
    write_astring(&mut out, name.as_bytes());
    String::from_utf8_lossy(&out).into_owned()
}

impl ServerSession {
    fn user_name(&self) -> String {
        self.user.clone().unwrap_or_default()
    }

    /// A refused store operation: `NO [code] text`, in Dovecot's words (the store's
    /// `Display`). `trycreate`: RFC 9051 6.3.12 / 6.4.7 want `[TRYCREATE]` for a missing target.
    pub(super) fn store_error(&mut self, tag: &str, error: StoreError, trycreate: bool) {
        let code = match &error {
            StoreError::NoSuchFolder(_) if trycreate => Some(Code::TryCreate),
            StoreError::NoSuchFolder(_) => Some(Code::Nonexistent),
            StoreError::AlreadyExists(_) => Some(Code::AlreadyExists),
            StoreError::InUse => None,
            _ => Some(Code::Cannot),
        };
        self.no(tag, code, &error.to_string());
    }

    pub(super) fn select(
        &mut self,
        tag: &str,
        mailbox: &str,
        read_only: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        // RFC 9051 6.3.2: SELECT first leaves the selected mailbox, even if it then fails.
        self.state = State::Authenticated;
        let user = self.user_name();
        let Some(folder) = host.store().folder(&user, mailbox) else {
            return self.store_error(tag, StoreError::NoSuchFolder(mailbox.to_string()), false);
        };
        let first_unseen = folder
            .messages()
            .iter()
            .position(|m| !m.flags.contains(&Flag::Seen));
        let status = folder.status();
        // RFC 3501 6.3.1: SELECT makes the recent messages this session's; EXAMINE
        // changes nothing (6.3.2) and only shows them.
        let recent = if read_only {
            folder.recent()
        } else {
            host.store().claim_recent(&user, mailbox)
        };
        let Some(folder) = host.store().folder(&user, mailbox) else {
            return self.store_error(tag, StoreError::NoSuchFolder(mailbox.to_string()), false);
        };
        let selected = Selected::new(folder, read_only, recent);
        for line in selected.flags_announcement() {
            self.line(&line);
        }
        self.line(&format!("* {} EXISTS", status.messages));
        self.line(&format!("* {} RECENT", selected.recent.len()));
        if let Some(index) = first_unseen {
            self.line(&format!("* OK [UNSEEN {}] First unseen.", index + 1));
        }
        self.line(&format!(
            "* OK [UIDVALIDITY {}] UIDs valid",
            status.uid_validity.0
        ));
        self.line(&format!(
            "* OK [UIDNEXT {}] Predicted next UID",
            status.uid_next.0
        ));
        let (code, text) = if read_only {
            (Code::ReadOnly, "Examine completed.")
        } else {
            (Code::ReadWrite, "Select completed.")
        };
        self.state = State::Selected(selected);
        self.tagged(tag, StatusKind::Ok, Some(code), text);
    }

    pub(super) fn close_mailbox(&mut self, tag: &str, expunge: bool, host: &mut (impl ImapHost + ?Sized)) {
        if let State::Selected(selected) = std::mem::replace(&mut self.state, State::Authenticated)
        {
            // RFC 9051 6.4.1: CLOSE expunges silently, unless the mailbox is read-only.
            if expunge && !selected.read_only {
                let user = self.user_name();
                let _ = host.store().expunge(&user, &selected.folder);
            }
        }
        self.ok(tag, &completed(if expunge { "CLOSE" } else { "UNSELECT" }));
    }

    pub(super) fn create(&mut self, tag: &str, mailbox: &str, host: &mut (impl ImapHost + ?Sized)) {
        let user = self.user_name();
        // RFC 9051 6.3.4: a trailing delimiter only says that children are planned.
        let name = mailbox.trim_end_matches(HIERARCHY_DELIMITER);
        match host.store().create_folder(&user, name) {
            Ok(()) => self.ok(tag, &completed("CREATE")),
            Err(e) => self.store_error(tag, e, false),
        }
    }

    pub(super) fn delete(&mut self, tag: &str, mailbox: &str, host: &mut (impl ImapHost + ?Sized)) {
        let user = self.user_name();
        match host.store().delete_folder(&user, mailbox) {
            Ok(()) => self.ok(tag, &completed("DELETE")),
            Err(e) => self.store_error(tag, e, false),
        }
    }

    pub(super) fn rename(&mut self, tag: &str, from: &str, to: &str, host: &mut (impl ImapHost + ?Sized)) {
        let user = self.user_name();
        match host.store().rename_folder(&user, from, to) {
            Ok(()) => self.ok(tag, &completed("RENAME")),
            Err(e) => self.store_error(tag, e, false),
        }
    }

    pub(super) fn subscribe(
        &mut self,
        tag: &str,
        mailbox: &str,
        on: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let user = self.user_name();
        match host.store().set_subscribed(&user, mailbox, on) {
            Ok(()) => self.ok(
                tag,
                &completed(if on { "SUBSCRIBE" } else { "UNSUBSCRIBE" }),
            ),
            Err(e) => self.store_error(tag, e, false),
        }
    }

    /// `* STATUS name (MESSAGES 2 UNSEEN 1)`; false if the folder does not exist.
    pub(super) fn status_line(
        &mut self,
        mailbox: &str,
        items: &[StatusItem],
        host: &mut (impl ImapHost + ?Sized),
    ) -> bool {
        let user = self.user_name();
        let Ok(status) = host.store().status(&user, mailbox) else {
            return false;
        };
        let values: Vec<String> = items
            .iter()
            .map(|item| {
                let value = match item {
                    StatusItem::Messages => status.messages as u64,
                    StatusItem::UidNext => u64::from(status.uid_next.0),
                    StatusItem::UidValidity => u64::from(status.uid_validity.0),
                    StatusItem::Unseen => status.unseen as u64,
                    StatusItem::Recent => status.recent as u64,
                    StatusItem::Size => status.size,
                    StatusItem::Deleted => status.deleted as u64,
                };
                format!("{} {value}", item.name())
            })
            .collect();
        let name = host
            .store()
            .folder(&user, mailbox)
            .map(|f| f.name().to_string())
            .unwrap_or_default();
        self.line(&format!(
            "* STATUS {} ({})",
            astring(&name),
            values.join(" ")
        ));
        true
    }

    pub(super) fn folder_status(
        &mut self,
        tag: &str,
        mailbox: &str,
        items: &[StatusItem],
        host: &mut (impl ImapHost + ?Sized),
    ) {
        if self.status_line(mailbox, items, host) {
            self.ok(tag, &completed("STATUS"));
        } else {
            self.store_error(tag, StoreError::NoSuchFolder(mailbox.to_string()), false);
        }
    }

    pub(super) fn append(
        &mut self,
        tag: &str,
        mailbox: &str,
        flags: &[Flag],
        date: Option<u64>,
        message: Vec<u8>,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let user = self.user_name();
        // The internal date: the one given (RFC 9051 6.3.12), else now.
        let internal_date = match date {
            Some(unix) => InternalDate(unix),
            None => InternalDate::from(self.now),
        };
        let result = host.store().append(
            &user,
            mailbox,
            Message::from_bytes(message),
            store_flags(flags),
            internal_date,
        );
        match result {
            Ok(uid) => {
                let validity = host
                    .store()
                    .folder(&user, mailbox)
                    .map_or(0, |f| f.uid_validity().0);
                self.sync(host, true);
                self.tagged(
                    tag,
                    StatusKind::Ok,
                    Some(Code::AppendUid(validity, uid.0)),
                    "Append completed.",
                );
            }
            Err(e) => self.store_error(tag, e, true),
        }
    }
}
