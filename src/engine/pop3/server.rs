//! The POP3 server session (RFC 1939; RFC 2449 CAPA; RFC 5034 AUTH; RFC 2595 STLS), sans-IO:
//! bytes in, responses and events out, one deadline asked for. No sockets, threads, timers
//! or async.
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).
//!
//! States (RFC 1939 3): AUTHORIZATION until a login succeeds and the maildrop lock is
//! taken; TRANSACTION on a snapshot with stable message numbers; UPDATE, entered only by
//! QUIT, where the deletions happen. A connection that ends any other way deletes nothing.

mod authorization;
mod config;
mod expects;
mod listing;
mod maildrop;
mod replies;
mod transaction;

use std::collections::VecDeque;

pub use config::ServerConfig;
pub use expects::Expects;
pub use listing::{uidl, Entry, Listing};
pub use maildrop::{Maildrop, SessionInfo, MAILDROP_FOLDER};

use super::apop;
use super::command::{Command, CommandError};
use crate::engine::session::{Note, Output, Session};
use crate::engine::time::VirtualTime;

/// What the session wants done, in order: bytes (one whole reply, CRLF included), TLS
/// starting (from here on everything is inside it), close, or a teaching note about a rule
/// that just applied. The shape of every session (`engine::session`).
pub type ServerOutput = Output<Note>;

/// The session's state, RFC 1939 3 (UPDATE lasts only inside the handling of QUIT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Authorization,
    Transaction,
    Closed,
}

#[derive(Debug)]
enum Phase {
    /// `user` is the name a USER command gave, waiting for PASS.
    Authorization {
        user: Option<String>,
    },
    /// AUTH PLAIN without an initial response: the next line is the response (RFC 5034 4).
    SaslPlain,
    Transaction(Listing),
    Closed,
}

enum Line {
    Complete(Vec<u8>),
    TooLong,
}

#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    info: SessionInfo,
    phase: Phase,
    /// The greeting's `<serial.time@host>`, when APOP is offered.
    apop_timestamp: Option<String>,
    input: Vec<u8>,
    /// Inside a line already known to be too long: drop octets until its LF.
    discarding: bool,
    output: VecDeque<ServerOutput>,
    deadline: Option<VirtualTime>,
    bad_commands: u32,
}

impl ServerSession {
    /// A new connection: queues the greeting. `serial` numbers this host's connections; it
    /// makes the APOP timestamp unique per connection (RFC 1939 7).
    pub fn new(config: ServerConfig, serial: u64, now: VirtualTime) -> Self {
        let apop_timestamp = config
            .offer_apop
            .then(|| apop::timestamp(serial, now.unix_seconds(), &config.hostname));
        let mut session = ServerSession {
            info: SessionInfo {
                tls: config.implicit_tls,
                user: None,
            },
            phase: Phase::Authorization { user: None },
            apop_timestamp,
            input: Vec::new(),
            discarding: false,
            output: VecDeque::new(),
            deadline: Some(now.plus_millis(config.autologout_ms)),
            bad_commands: 0,
            config,
        };
        let greeting =
            replies::greeting(&session.config.greeting, session.apop_timestamp.as_deref());
        session.send(greeting);
        if session.apop_timestamp.is_some() {
            session.explain("RFC 1939 7", "The text in angle brackets is new for every connection: APOP mixes it with the password, so a digest overheard once is useless later.");
        }
        session
    }

    pub fn info(&self) -> &SessionInfo {
        &self.info
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    pub fn state(&self) -> State {
        match self.phase {
            Phase::Authorization { .. } | Phase::SaslPlain => State::Authorization,
            Phase::Transaction(_) => State::Transaction,
            Phase::Closed => State::Closed,
        }
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// Bytes from the client, split anywhere: the output does not depend on the split.
    pub fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut (impl Maildrop + ?Sized)) {
        if self.is_closed() {
            return;
        }
        self.deadline = Some(now.plus_millis(self.config.autologout_ms));
        self.input.extend_from_slice(bytes);
        self.process(host);
    }

    pub fn poll_output(&mut self) -> Option<ServerOutput> {
        self.output.pop_front()
    }

    /// When the client will have been silent too long.
    pub fn poll_timeout(&self) -> Option<VirtualTime> {
        if self.is_closed() {
            None
        } else {
            self.deadline
        }
    }

    /// RFC 1939 3: the autologout timer. Like a dropped connection, it deletes nothing.
    pub fn handle_timeout(&mut self, now: VirtualTime, host: &mut (impl Maildrop + ?Sized)) {
        match self.poll_timeout() {
            Some(deadline) if now >= deadline => {
                self.explain("RFC 1939 3", "The client stayed silent past the autologout timer: the server hangs up without entering UPDATE, so nothing is deleted.");
                self.abandon(host);
                self.close_with(replies::inactivity());
            }
            _ => {}
        }
    }

    /// The client hung up (or the link failed) without QUIT: RFC 1939 6, no UPDATE state,
    /// so nothing marked by DELE is removed; the maildrop lock is given back.
    pub fn handle_close(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        if self.is_closed() {
            return;
        }
        if matches!(self.phase, Phase::Transaction(_)) {
            self.explain("RFC 1939 6", "The connection ended without QUIT, so the session never reached UPDATE: no message is deleted.");
        }
        self.abandon(host);
        self.phase = Phase::Closed;
        self.input.clear();
        self.deadline = None;
    }

    /// Leave TRANSACTION without UPDATE: release the lock, drop the marks.
    fn abandon(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        if let Phase::Transaction(listing) = std::mem::replace(&mut self.phase, Phase::Closed) {
            host.store().unlock_maildrop(&listing.lock);
        }
    }

    fn send(&mut self, line: String) {
        let mut bytes = line.into_bytes();
        bytes.extend_from_slice(b"\r\n");
        self.output.push_back(ServerOutput::Transmit(bytes));
    }

    /// A `+OK` line, then `body` already dot-stuffed and terminated (RFC 1939 3).
    fn send_multiline(&mut self, first: String, body: Vec<u8>) {
        let mut bytes = first.into_bytes();
        bytes.extend_from_slice(b"\r\n");
        bytes.extend(body);
        self.output.push_back(ServerOutput::Transmit(bytes));
    }

    /// A multi-line response of short text lines that never start with `.`.
    fn send_lines(&mut self, first: String, lines: &[String]) {
        let mut body = Vec::new();
        for line in lines {
            body.extend_from_slice(line.as_bytes());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b".\r\n");
        self.send_multiline(first, body);
    }

    fn explain(&mut self, rfc: &'static str, text: &str) {
        self.output.push_back(ServerOutput::Event(Note { rfc, text: text.to_string() }));
    }

    fn close_with(&mut self, line: String) {
        self.send(line);
        self.output.push_back(ServerOutput::Close);
        self.phase = Phase::Closed;
        self.input.clear();
        self.deadline = None;
    }

    /// Answer a bad command; hang up once there were too many.
    fn bad_command(&mut self, line: String, host: &mut (impl Maildrop + ?Sized)) {
        self.send(line);
        self.bad_commands += 1;
        if self.bad_commands >= self.config.bad_command_limit {
            self.abandon(host);
            self.close_with(replies::too_many_bad_commands());
        }
    }

    /// RFC 2449 6.6 PIPELINING: run every complete line in the buffer, in order.
    fn process(&mut self, host: &mut (impl Maildrop + ?Sized)) {
        while !self.is_closed() {
            let Some(line) = self.take_line() else { return };
            let line = match line {
                Line::Complete(line) => line,
                Line::TooLong => {
                    if matches!(self.phase, Phase::SaslPlain) {
                        self.phase = Phase::Authorization { user: None };
                    }
                    self.explain(
                        "RFC 2449 4",
                        "A POP3 command line may hold at most 255 octets, CRLF included.",
                    );
                    self.bad_command(replies::line_too_long(), host);
                    continue;
                }
            };
            match std::mem::replace(&mut self.phase, Phase::Closed) {
                Phase::SaslPlain => {
                    self.phase = Phase::Authorization { user: None };
                    self.plain_response(&line, host);
                }
                Phase::Authorization { user } => {
                    self.phase = Phase::Authorization { user };
                    match Command::parse(&line) {
                        Ok(c) if c.is_authorization() => self.authorization(c, host),
                        Ok(_) => self.unknown(None, host),
                        Err(e) => self.command_error(e, host),
                    }
                }
                Phase::Transaction(listing) => {
                    self.phase = Phase::Transaction(listing);
                    match Command::parse(&line) {
                        Ok(c) => self.transaction(c, host),
                        Err(e) => self.command_error(e, host),
                    }
                }
                Phase::Closed => return,
            }
        }
        self.input.clear();
    }

    /// The next line, without CRLF. Its length is judged only at its LF, so the responses
    /// do not depend on how the input was split.
    fn take_line(&mut self) -> Option<Line> {
        let widest = self
            .config
            .sasl_line_limit
            .max(self.config.command_line_limit);
        let Some(lf) = self.input.iter().position(|&b| b == b'\n') else {
            if self.input.len() > widest {
                self.discarding = true;
                self.input.clear();
            }
            return None;
        };
        let mut line: Vec<u8> = self.input.drain(..=lf).collect();
        line.pop();
        // RFC 1939 3 wants CRLF; a bare LF is accepted, as Dovecot does.
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let sasl = matches!(self.phase, Phase::SaslPlain)
            || line
                .get(..5)
                .is_some_and(|v| v.eq_ignore_ascii_case(b"AUTH "));
        let limit = if sasl {
            widest
        } else {
            self.config.command_line_limit
        };
        if std::mem::take(&mut self.discarding) || line.len() + 2 > limit {
            return Some(Line::TooLong);
        }
        Some(Line::Complete(line))
    }

    fn unknown(&mut self, verb: Option<&str>, host: &mut (impl Maildrop + ?Sized)) {
        let in_transaction = matches!(self.phase, Phase::Transaction(_));
        if verb.is_some_and(|v| v == "LAST") {
            self.explain("RFC 1725", "LAST was in RFC 1460 and was removed from POP3; clients probe for it, servers answer -ERR.");
        } else if !in_transaction {
            self.explain(
                "RFC 1939 4",
                "Before login only USER, PASS, APOP, AUTH, CAPA, STLS and QUIT are valid.",
            );
        }
        let line = match verb {
            Some(v) if in_transaction => replies::unknown_after_login(v),
            _ => replies::unknown_before_login(),
        };
        self.bad_command(line, host);
    }

    fn command_error(&mut self, error: CommandError, host: &mut (impl Maildrop + ?Sized)) {
        let in_transaction = matches!(self.phase, Phase::Transaction(_));
        let line = match &error {
            CommandError::Empty | CommandError::NotText => replies::bad_text(),
            CommandError::Unknown { verb } => return self.unknown(Some(verb), host),
            // Before login these keywords are as unknown as any other (Dovecot's
            // pop3-login knows only the login commands).
            _ if !in_transaction && !matches!(error, CommandError::MissingArgument { .. }) => {
                return self.unknown(error.known_verb(), host)
            }
            CommandError::InvalidNumber { arg, .. } => replies::invalid_number(arg),
            CommandError::InvalidSize { arg } => replies::invalid_size(arg),
            CommandError::MissingArgument { verb } if in_transaction => {
                replies::unknown_after_login(verb)
            }
            CommandError::MissingArgument { verb } => replies::missing_argument(verb),
        };
        self.bad_command(line, host);
    }
}

/// The session in the shape every driver uses (`engine::session`).
impl<M: Maildrop + ?Sized> Session<M> for ServerSession {
    type Event = Note;
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, host: &mut M) {
        ServerSession::handle_input(self, bytes, now, host);
    }
    fn handle_timeout(&mut self, now: VirtualTime, host: &mut M) {
        ServerSession::handle_timeout(self, now, host);
    }
    fn handle_close(&mut self, _: VirtualTime, host: &mut M) {
        ServerSession::handle_close(self, host);
    }
    fn poll_output(&mut self) -> Option<Output<Note>> {
        ServerSession::poll_output(self)
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        ServerSession::poll_timeout(self)
    }
}

#[cfg(test)]
mod bad_input;
#[cfg(test)]
mod tests;
