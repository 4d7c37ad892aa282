//! Commands on the messages of the selected mailbox (RFC 9051 6.4): FETCH, STORE, SEARCH,
//! COPY, MOVE (RFC 6851), EXPUNGE and UID EXPUNGE (RFC 4315), each with its UID form.

use super::fetch_response::fetch_line;
use super::replies::{bad_command, completed, INVALID_MESSAGESET, READ_ONLY};
use super::search_eval::{matches, Place};
use super::{ImapHost, ServerSession, State};
use crate::engine::imap::fetch::FetchAttribute;
use crate::engine::imap::flags::{Flag, StoreAction, StoreMode};
use crate::engine::imap::response::{Code, Status, StatusKind};
use crate::engine::imap::search::SearchCriteria;
use crate::engine::imap::sequence::SequenceSet;
use crate::engine::mail::store::{FlagChange, Flags, Uid};

/// A command's flags as the set the store keeps.
pub fn store_flags(flags: &[Flag]) -> Flags {
    flags.iter().cloned().collect()
}

impl ServerSession {
    fn selected_parts(&self) -> Option<(String, String, bool)> {
        match (&self.state, &self.user) {
            (State::Selected(s), Some(user)) => Some((user.clone(), s.folder.clone(), s.read_only)),
            _ => None,
        }
    }

    /// The (sequence number, UID) pairs a set names, in mailbox order; `None` when a
    /// sequence number is out of range (RFC 9051 6.4.9 leaves UIDs out of range alone).
    fn resolve(&self, set: &SequenceSet, uid: bool) -> Option<Vec<(u32, Uid)>> {
        let State::Selected(selected) = &self.state else {
            return None;
        };
        if !uid && set.exceeds(selected.exists()) {
            return None;
        }
        let largest = if uid {
            selected.largest_uid()
        } else {
            selected.exists()
        };
        Some(
            selected
                .messages
                .iter()
                .enumerate()
                .map(|(i, (u, _))| (i as u32 + 1, *u))
                .filter(|(seq, u)| set.contains(if uid { u.0 } else { *seq }, largest))
                .collect(),
        )
    }

    fn invalid_set(&mut self, tag: &str, name: &str) {
        self.explain(
            "RFC 9051 9",
            "A message sequence number above the number of messages in the mailbox is an error.",
        );
        self.bad(tag, &bad_command(name, INVALID_MESSAGESET));
    }

    pub(super) fn fetch(
        &mut self,
        tag: &str,
        set: &SequenceSet,
        attributes: &[FetchAttribute],
        uid: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let name = if uid { "UID FETCH" } else { "FETCH" };
        let (Some(targets), Some((user, folder, read_only))) =
            (self.resolve(set, uid), self.selected_parts())
        else {
            return self.invalid_set(tag, name);
        };
        let sets_seen = !read_only && attributes.iter().any(FetchAttribute::sets_seen);
        for (seq, message_uid) in targets {
            let mut seen_now = false;
            if sets_seen {
                let seen: Flags = [Flag::Seen].into_iter().collect();
                // RFC 9051 6.4.5: fetching a body section without PEEK sets \Seen.
                seen_now = host
                    .store()
                    .set_flags(&user, &folder, message_uid, FlagChange::Add, &seen)
                    .unwrap_or(false);
            }
            let Some(stored) = host
                .store()
                .folder(&user, &folder)
                .and_then(|f| f.get(message_uid))
            else {
                continue;
            };
            let flags = stored.flags.clone();
            let State::Selected(selected) = &mut self.state else {
                return;
            };
            let shows_flags = seen_now || attributes.contains(&FetchAttribute::Flags);
            let mut before = Vec::new();
            if shows_flags {
                before = selected.announce(&flags);
                selected.note_flags(message_uid, &flags);
            }
            let line = fetch_line(
                seq,
                stored,
                &selected.flag_list(message_uid, &flags),
                attributes,
                uid,
                seen_now,
            );
            for announcement in before {
                self.line(&announcement);
            }
            self.transmit(line);
        }
        self.sync(host, uid);
        self.ok(tag, &completed(name.trim_start_matches("UID ")));
    }

    pub(super) fn store(
        &mut self,
        tag: &str,
        set: &SequenceSet,
        action: &StoreAction,
        uid: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let name = if uid { "UID STORE" } else { "STORE" };
        let (Some(targets), Some((user, folder, read_only))) =
            (self.resolve(set, uid), self.selected_parts())
        else {
            return self.invalid_set(tag, name);
        };
        if read_only {
            return self.no(tag, None, READ_ONLY);
        }
        let change = match action.mode {
            StoreMode::Replace => FlagChange::Replace,
            StoreMode::Add => FlagChange::Add,
            StoreMode::Remove => FlagChange::Remove,
        };
        let flags = store_flags(&action.flags);
        for (seq, message_uid) in targets {
            if host
                .store()
                .set_flags(&user, &folder, message_uid, change, &flags)
                .is_err()
            {
                continue;
            }
            let Some(now) = host
                .store()
                .folder(&user, &folder)
                .and_then(|f| f.get(message_uid))
                .map(|m| m.flags.clone())
            else {
                continue;
            };
            let State::Selected(selected) = &mut self.state else {
                return;
            };
            selected.note_flags(message_uid, &now);
            let mut lines = selected.announce(&now);
            if !action.silent {
                // RFC 9051 6.4.9's example order: FLAGS, then UID for UID STORE.
                let uid_part = if uid {
                    format!(" UID {}", message_uid.0)
                } else {
                    String::new()
                };
                lines.push(format!(
                    "* {seq} FETCH (FLAGS {}{uid_part})",
                    selected.flag_list(message_uid, &now)
                ));
            }
            for line in lines {
                self.line(&line);
            }
        }
        self.sync(host, uid);
        self.ok(tag, &completed("STORE"));
    }

    pub(super) fn search(
        &mut self,
        tag: &str,
        criteria: &SearchCriteria,
        uid: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        if let Some(charset) = &criteria.charset {
            if !matches!(charset.to_ascii_uppercase().as_str(), "UTF-8" | "US-ASCII") {
                // RFC 9051 6.4.4: an unknown charset gets NO [BADCHARSET].
                return self.no(
                    tag,
                    None,
                    &format!("[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset {charset}"),
                );
            }
        }
        let (Some((user, folder, _)), State::Selected(selected)) =
            (self.selected_parts(), &self.state)
        else {
            return;
        };
        let view: Vec<(u32, Uid)> = selected
            .messages
            .iter()
            .enumerate()
            .map(|(i, (u, _))| (i as u32 + 1, *u))
            .collect();
        let (exists, largest_uid) = (selected.exists(), selected.largest_uid());
        let recent = selected.recent.clone();
        let mut hits = Vec::new();
        if let Some(f) = host.store().folder(&user, &folder) {
            for (seq, message_uid) in view {
                if let Some(m) = f.get(message_uid) {
                    let place = Place {
                        seq,
                        exists,
                        largest_uid,
                        recent: recent.contains(&message_uid),
                    };
                    if matches(&criteria.key, &place, m) {
                        hits.push(if uid { message_uid.0 } else { seq });
                    }
                }
            }
        }
        let numbers: String = hits.iter().map(|n| format!(" {n}")).collect();
        self.line(&format!("* SEARCH{numbers}"));
        self.sync(host, uid);
        self.ok(tag, &completed("SEARCH"));
    }

    pub(super) fn copy(
        &mut self,
        tag: &str,
        set: &SequenceSet,
        target: &str,
        uid: bool,
        moving: bool,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let word = if moving { "MOVE" } else { "COPY" };
        let name = if uid {
            format!("UID {word}")
        } else {
            word.to_string()
        };
        let (Some(targets), Some((user, folder, read_only))) =
            (self.resolve(set, uid), self.selected_parts())
        else {
            return self.invalid_set(tag, &name);
        };
        if moving && read_only {
            return self.no(tag, None, READ_ONLY);
        }
        let uids: Vec<Uid> = targets.iter().map(|(_, u)| *u).collect();
        let result = if moving {
            host.store().move_messages(&user, &folder, &uids, target)
        } else {
            host.store().copy(&user, &folder, &uids, target)
        };
        let pairs = match result {
            Ok(pairs) => pairs,
            Err(e) => return self.store_error(tag, e, true),
        };
        let validity = host
            .store()
            .folder(&user, target)
            .map_or(0, |f| f.uid_validity().0);
        // RFC 4315 3: COPYUID names the source and the new UIDs, in the same order.
        let from: Vec<u32> = pairs.iter().map(|(a, _)| a.0).collect();
        let to: Vec<u32> = pairs.iter().map(|(_, b)| b.0).collect();
        let code = match (
            SequenceSet::from_numbers(&from),
            SequenceSet::from_numbers(&to),
        ) {
            (Some(a), Some(b)) => Some(Code::CopyUid(validity, a.to_string(), b.to_string())),
            _ => None,
        };
        if moving {
            // RFC 6851 4.3: COPYUID travels in an untagged OK before the EXPUNGEs.
            if let Some(code) = code {
                self.status(Status::untagged(StatusKind::Ok, Some(code), "Moved UIDs."));
            }
            self.sync(host, true);
            self.ok(tag, &completed("MOVE"));
        } else {
            self.sync(host, uid);
            self.tagged(tag, StatusKind::Ok, code, &completed("COPY"));
        }
    }

    pub(super) fn expunge(
        &mut self,
        tag: &str,
        only: Option<&SequenceSet>,
        host: &mut (impl ImapHost + ?Sized),
    ) {
        let Some((user, folder, read_only)) = self.selected_parts() else {
            return;
        };
        if read_only {
            return self.no(tag, None, READ_ONLY);
        }
        let result = match only {
            None => host.store().expunge(&user, &folder),
            Some(set) => {
                // RFC 4315 2.1: only messages both named and \Deleted go.
                let named: Vec<Uid> = self
                    .resolve(set, true)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, u)| u)
                    .collect();
                let deleted: Vec<Uid> = host
                    .store()
                    .folder(&user, &folder)
                    .map(|f| {
                        named
                            .iter()
                            .copied()
                            .filter(|u| {
                                f.get(*u)
                                    .is_some_and(|m| m.flags.contains(&Flag::Deleted))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                host.store().remove(&user, &folder, &deleted)
            }
        };
        if let Err(e) = result {
            return self.store_error(tag, e, false);
        }
        self.explain("RFC 9051 7.5.1", "Each EXPUNGE renumbers the messages after it: sequence numbers shift down, UIDs never change.");
        self.sync(host, true);
        self.ok(tag, &completed("EXPUNGE"));
    }
}
