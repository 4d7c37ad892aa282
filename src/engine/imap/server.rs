//! The IMAP server session (RFC 9051, RFC 3501), sans-IO: bytes in, responses and events
//! out, one deadline asked for. No sockets, threads, timers or async.
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).
//!
//! Texts follow Dovecot 2.3 (see `replies`). Untagged EXISTS / EXPUNGE / FETCH updates come
//! from comparing the session's view of the selected folder with the store (`selected`)
//! before each tagged reply, and while idling when the host pokes the session.

mod config;
mod dispatch;
mod expects;
mod fetch_response;
mod host;
mod list;
mod login;
mod mailboxes;
mod messages;
mod replies;
mod search_eval;
mod selected;

use std::collections::VecDeque;

pub use config::ServerConfig;
pub use expects::Expects;
pub use host::ImapHost;

use super::framing::{Frame, Framer};
use super::response::{Code, Status, StatusKind};
use crate::engine::session::{Note, Output, Session};
use crate::engine::time::VirtualTime;
use selected::Selected;

/// What the session wants done, in order: bytes (one whole reply, CRLF included), TLS
/// starting (from here on everything is inside it), close, or a teaching note about a rule
/// that just applied. The shape of every session (`engine::session`).
pub type ServerOutput = Output<Note>;

/// RFC 9051 3: the connection states.
#[derive(Debug)]
enum State {
    NotAuthenticated,
    Authenticated,
    Selected(Selected),
    Logout,
}

/// What the next input line is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Command,
    /// Waiting for the SASL response after `+ ` (RFC 9051 6.2.2).
    Authenticate {
        tag: String,
    },
    /// Between `+ idling` and `DONE` (RFC 2177).
    Idle {
        tag: String,
    },
}

#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    state: State,
    phase: Phase,
    tls: bool,
    user: Option<String>,
    framer: Framer,
    output: VecDeque<ServerOutput>,
    deadline: Option<VirtualTime>,
    now: VirtualTime,
}

impl ServerSession {
    /// A new connection: queues the greeting, `* OK [CAPABILITY ...] Dovecot ready.`
    pub fn new(config: ServerConfig, now: VirtualTime) -> Self {
        let mut session = ServerSession {
            state: State::NotAuthenticated,
            phase: Phase::Command,
            tls: config.implicit_tls,
            user: None,
            framer: Framer::new(config.limits),
            output: VecDeque::new(),
            deadline: Some(now.plus_millis(config.autologout_ms)),
            now,
            config,
        };
        let caps = session.capabilities();
        session.status(Status::untagged(
            StatusKind::Ok,
            Some(Code::Capability(caps)),
            replies::GREETING,
        ));
        session
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// The user logged in, if any.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The folder selected, if any.
    pub fn selected_folder(&self) -> Option<&str> {
        match &self.state {
            State::Selected(s) => Some(&s.folder),
            _ => None,
        }
    }

    pub fn is_idling(&self) -> bool {
        matches!(self.phase, Phase::Idle { .. })
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Logout)
    }

    /// Octets from the client, split anywhere: the output does not depend on the split.
    pub fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut (impl ImapHost + ?Sized)) {
        if self.is_closed() {
            return;
        }
        self.now = now;
        self.deadline = Some(now.plus_millis(self.config.autologout_ms));
        self.framer.push(bytes);
        self.process(host);
    }

    /// The host says mail changed (a delivery, another session): an idling session tells
    /// its client at once (RFC 2177 3); others wait for the client's next command.
    pub fn handle_mailbox_change(&mut self, now: VirtualTime, host: &mut (impl ImapHost + ?Sized)) {
        self.now = now;
        if self.is_idling() {
            self.sync(host, true);
        }
    }

    pub fn poll_output(&mut self) -> Option<ServerOutput> {
        self.output.pop_front()
    }

    /// When the autologout timer runs out (RFC 9051 5.4).
    pub fn poll_timeout(&self) -> Option<VirtualTime> {
        if self.is_closed() {
            None
        } else {
            self.deadline
        }
    }

    pub fn handle_timeout(&mut self, now: VirtualTime) {
        if self.poll_timeout().is_some_and(|deadline| now >= deadline) {
            self.explain(
                "RFC 9051 5.4",
                "The client stayed silent past the autologout timer, so the server says BYE.",
            );
            self.bye(replies::BYE_AUTOLOGOUT);
        }
    }

    fn transmit(&mut self, bytes: Vec<u8>) {
        self.output.push_back(ServerOutput::Transmit(bytes));
    }

    fn line(&mut self, text: &str) {
        self.transmit(format!("{text}\r\n").into_bytes());
    }

    fn status(&mut self, status: Status) {
        self.transmit(status.to_wire());
    }

    fn tagged(&mut self, tag: &str, kind: StatusKind, code: Option<Code>, text: &str) {
        self.status(Status::tagged(tag, kind, code, text));
    }

    fn ok(&mut self, tag: &str, text: &str) {
        self.tagged(tag, StatusKind::Ok, None, text);
    }

    fn no(&mut self, tag: &str, code: Option<Code>, text: &str) {
        self.tagged(tag, StatusKind::No, code, text);
    }

    fn bad(&mut self, tag: &str, text: &str) {
        self.tagged(tag, StatusKind::Bad, None, text);
    }

    fn explain(&mut self, rfc: &'static str, text: &str) {
        self.output.push_back(ServerOutput::Event(Note { rfc, text: text.to_string() }));
    }

    /// `* BYE text`, then close.
    fn bye(&mut self, text: &str) {
        self.status(Status::untagged(StatusKind::Bye, None, text));
        self.close();
    }

    fn close(&mut self) {
        self.output.push_back(ServerOutput::Close);
        self.state = State::Logout;
        self.framer.clear();
        self.deadline = None;
    }

    fn capabilities(&self) -> String {
        if self.user.is_some() {
            replies::post_login_capabilities()
        } else {
            replies::pre_login_capabilities(
                self.tls,
                self.config.offer_starttls,
                self.login_allowed(),
            )
        }
    }

    fn login_allowed(&self) -> bool {
        self.tls || !self.config.require_tls_for_login
    }

    /// Brings the client up to date with the selected folder (RFC 9051 7.4.1, 7.5.1).
    fn sync(&mut self, host: &mut (impl ImapHost + ?Sized), allow_expunge: bool) {
        let (State::Selected(selected), Some(user)) = (&mut self.state, &self.user) else {
            return;
        };
        // A read-write session is the first to learn of new messages: they are its
        // recent ones (RFC 3501 2.3.2); EXAMINE only looks (RFC 3501 6.3.2).
        let claimed = if selected.read_only {
            host.store()
                .folder(user, &selected.folder)
                .map(|f| f.recent())
                .unwrap_or_default()
                .into_iter()
                .filter(|u| u.0 > selected.largest_uid())
                .collect()
        } else {
            host.store().claim_recent(user, &selected.folder)
        };
        let folder = host.store().folder(user, &selected.folder);
        let lines = selected.sync(folder, allow_expunge, claimed);
        for line in lines {
            self.line(&line);
        }
    }

    /// Runs every complete command in the buffer, in order.
    fn process(&mut self, host: &mut (impl ImapHost + ?Sized)) {
        while !self.is_closed() {
            let frame = match self.phase {
                Phase::Command => self.framer.next_command(),
                _ => self.framer.next_line(),
            };
            let Some(frame) = frame else { return };
            match frame {
                Frame::Command(bytes) => match std::mem::replace(&mut self.phase, Phase::Command) {
                    Phase::Command => self.command(&bytes, host),
                    Phase::Authenticate { tag } => self.sasl_response(&tag, &bytes, host),
                    Phase::Idle { tag } => self.idle_line(&tag, &bytes, host),
                },
                Frame::LiteralAnnounced { .. } => {
                    // RFC 9051 7.6: the client may send the literal once it sees `+`.
                    self.transmit(replies::LITERAL_CONTINUE.to_vec());
                    self.explain("RFC 9051 7.6", "A synchronizing literal {n}: the client waits for the server's \"+\" before sending the n octets.");
                }
                Frame::LineTooLong { tag } => {
                    self.phase = Phase::Command;
                    let text = "Too long argument.";
                    match tag {
                        Some(tag) => self.bad(&tag, text),
                        None => self.status(Status::untagged(StatusKind::Bad, None, text)),
                    }
                }
                Frame::LiteralTooLarge { tag, synchronizing } => {
                    let text = "Literal too large.";
                    if synchronizing {
                        match tag {
                            Some(tag) => {
                                self.tagged(&tag, StatusKind::No, Some(Code::TooBig), text)
                            }
                            None => self.status(Status::untagged(StatusKind::Bad, None, text)),
                        }
                    } else {
                        // RFC 7888 4: the octets are coming regardless; the server may hang up.
                        self.explain("RFC 7888 4", "A non-synchronizing literal larger than the server takes: it cannot refuse in time, so it closes the connection.");
                        self.bye(text);
                    }
                }
            }
        }
    }

    /// RFC 2177 3: only `DONE` ends IDLE.
    fn idle_line(&mut self, tag: &str, line: &[u8], host: &mut (impl ImapHost + ?Sized)) {
        if line.eq_ignore_ascii_case(b"DONE") {
            self.sync(host, true);
            self.ok(tag, "Idle completed.");
        } else {
            self.bad(tag, "Expected DONE.");
        }
    }
}

// proptest and imap-codec are native-only dev-dependencies (Cargo.toml).
/// The session in the shape every driver uses (`engine::session`).
impl<H: ImapHost + ?Sized> Session<H> for ServerSession {
    type Event = Note;
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut H) {
        ServerSession::handle_input(self, bytes, now, host);
    }
    fn handle_timeout(&mut self, now: VirtualTime, _: &mut H) {
        ServerSession::handle_timeout(self, now);
    }
    /// Nothing to release: every change a command made is in the store already.
    fn handle_close(&mut self, _: VirtualTime, _: &mut H) {}
    fn poll_output(&mut self) -> Option<Output<Note>> {
        ServerSession::poll_output(self)
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        ServerSession::poll_timeout(self)
    }
}

#[cfg(test)]
mod bad_input;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod grammar;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
#[cfg(test)]
mod rfc_examples;
#[cfg(test)]
pub(crate) mod tests;
