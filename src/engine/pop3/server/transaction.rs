//! The TRANSACTION state (RFC 1939 5, 7) and UPDATE (RFC 1939 6): commands on the snapshot
//! taken at login; QUIT applies the marks to the store.

use super::listing::{Listing, Lookup};
use super::{replies, Maildrop, Phase, ServerSession, MAILDROP_FOLDER};
use crate::engine::mail::store::{Flag, FlagChange, Flags};
use crate::engine::pop3::command::Command;
use crate::engine::smtp::dot::dot_stuff;

impl ServerSession {
    fn listing(&self) -> Option<&Listing> {
        match &self.phase {
            Phase::Transaction(listing) => Some(listing),
            _ => None,
        }
    }

    fn listing_mut(&mut self) -> Option<&mut Listing> {
        match &mut self.phase {
            Phase::Transaction(listing) => Some(listing),
            _ => None,
        }
    }

    pub(super) fn transaction(&mut self, command: Command, host: &mut (impl Maildrop + ?Sized)) {
        let Some(listing) = self.listing() else {
            return;
        };
        match command {
            Command::Stat => {
                let (count, size) = listing.stat();
                self.send(replies::ok(&format!("{count} {size}")));
            }
            Command::List { msg: None } => {
                let lines: Vec<String> = listing
                    .live()
                    .map(|(n, e)| format!("{n} {}", e.size))
                    .collect();
                let first = replies::ok(&format!("{} messages:", lines.len()));
                self.send_lines(first, &lines);
            }
            Command::Uidl { msg: None } => {
                let lines: Vec<String> = listing
                    .live()
                    .map(|(n, e)| format!("{n} {}", e.uidl))
                    .collect();
                self.send_lines(replies::ok(""), &lines);
            }
            Command::List { msg: Some(n) } => {
                if let Some(size) = self.lookup(n, host).map(|e| e.size) {
                    self.send(replies::ok(&format!("{n} {size}")));
                }
            }
            Command::Uidl { msg: Some(n) } => {
                if let Some(uidl) = self.lookup(n, host).map(|e| e.uidl.clone()) {
                    self.send(replies::ok(&format!("{n} {uidl}")));
                }
            }
            Command::Retr { msg } => self.retrieve(msg, None, host),
            Command::Top { msg, lines } => self.retrieve(msg, Some(lines), host),
            Command::Dele { msg } => {
                if self.lookup(msg, host).is_some() {
                    if let Some(l) = self.listing_mut() {
                        l.mark(msg, true, false);
                    }
                    self.send(replies::marked_deleted());
                    self.explain("RFC 1939 6", "DELE only marks the message: it is removed when the client says QUIT (the UPDATE state).");
                }
            }
            Command::Noop => self.send(replies::ok("")),
            Command::Rset => {
                if let Some(l) = self.listing_mut() {
                    l.unmark_all();
                }
                self.send(replies::ok(""));
                self.explain("RFC 1939 5", "RSET unmarks every message marked by DELE.");
            }
            Command::Capa => {
                let caps: Vec<String> = [
                    "CAPA",
                    "TOP",
                    "UIDL",
                    "RESP-CODES",
                    "PIPELINING",
                    "AUTH-RESP-CODE",
                ]
                .map(String::from)
                .to_vec();
                self.send_lines(replies::ok(""), &caps);
            }
            Command::Quit => self.update(host),
            // USER, PASS, APOP, AUTH, STLS: the pop3 process after login does not know them.
            other => self.unknown(Some(other.verb()), host),
        }
    }

    /// The entry numbered `msg`, or the error response sent.
    fn lookup(&mut self, msg: u32, host: &mut (impl Maildrop + ?Sized)) -> Option<super::Entry> {
        let found = self.listing()?.get(msg).cloned();
        match found {
            Ok(entry) => Some(entry),
            Err(Lookup::NoSuchMessage(n)) => {
                self.bad_command(replies::no_such_message(n), host);
                None
            }
            Err(Lookup::Deleted) => {
                self.bad_command(replies::message_deleted(), host);
                None
            }
        }
    }

    /// RETR (RFC 1939 5) or TOP (RFC 1939 7): the message, or its header section and the
    /// first `lines` lines of its body, byte-stuffed.
    fn retrieve(&mut self, msg: u32, top: Option<u32>, host: &mut (impl Maildrop + ?Sized)) {
        let Some(entry) = self.lookup(msg, host) else {
            return;
        };
        let user = self.info.user.clone().unwrap_or_default();
        let stored = host
            .store()
            .folder(&user, MAILDROP_FOLDER)
            .and_then(|f| f.get(entry.uid))
            .map(|m| m.message.clone());
        let Some(message) = stored else {
            return self.send(replies::message_expunged());
        };
        match top {
            None => {
                if let Some(l) = self.listing_mut() {
                    l.mark(msg, false, true);
                }
                let first = replies::ok(&format!("{} octets", entry.size));
                self.send_multiline(first, dot_stuff(message.as_bytes()));
            }
            Some(lines) => {
                let mut text = message.header_section().to_vec();
                let body = message.body();
                let mut taken = 0usize;
                let mut end = 0usize;
                while taken < lines as usize && end < body.len() {
                    end = body[end..]
                        .windows(2)
                        .position(|w| w == b"\r\n")
                        .map_or(body.len(), |p| end + p + 2);
                    taken += 1;
                }
                text.extend_from_slice(&body[..end]);
                self.send_multiline(replies::ok(""), dot_stuff(&text));
            }
        }
    }

    /// RFC 1939 6, the UPDATE state: remove what DELE marked, set `\Seen` on what RETR sent
    /// (Dovecot's behaviour, so IMAP shows them read), release the lock, say goodbye.
    fn update(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        let Phase::Transaction(listing) = std::mem::replace(&mut self.phase, Phase::Closed) else {
            return;
        };
        let store = host.store();
        let deleted = store
            .remove(&listing.user, MAILDROP_FOLDER, &listing.deleted_uids())
            .unwrap_or_default();
        let seen: Flags = [Flag::Seen].into_iter().collect();
        for uid in listing.retrieved_uids() {
            // A message expunged meanwhile by IMAP has nothing left to flag.
            let _ = store.set_flags(&listing.user, MAILDROP_FOLDER, uid, FlagChange::Add, &seen);
        }
        store.unlock_maildrop(&listing.lock);
        if !deleted.is_empty() {
            self.explain("RFC 1939 6", "QUIT moves the session to UPDATE: the messages marked by DELE are removed from the maildrop now.");
        }
        self.close_with(replies::logging_out(!deleted.is_empty()));
    }
}
