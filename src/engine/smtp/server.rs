//! The SMTP / LMTP server session (RFC 5321 3, 4.1.4; RFC 2033), sans-IO: bytes in, replies
//! and events out, one deadline asked for. No sockets, threads, timers or async.
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).

mod config;
mod errors;
mod expects;
mod hello;
mod line_limit;
mod mta;
mod replies;
mod sasl;
mod security;
mod transaction;
mod vrfy;

use std::collections::VecDeque;

pub use config::ServerConfig;
pub use expects::Expects;
pub use mta::{Mta, Peer, SessionInfo};

use super::command::{Command, CommandError};
use super::dot::DataReceiver;
use super::{ForwardPath, Mode, Recipient, Reply};
use crate::engine::session::{Note, Output, Session};
use crate::engine::time::VirtualTime;
use errors::{rfc821_bad_arguments, rfc821_unrecognized};
use sasl::Sasl;
use transaction::Transaction;

/// What the session wants done, in order: bytes (one whole reply, CRLF included), TLS
/// starting (from here on everything is inside it), close, or a teaching note about a rule
/// that just applied. The shape of every session (`engine::session`).
pub type ServerOutput = Output<Note>;

/// RFC 4954 4: an AUTH exchange line may be as long as 12288 octets.
const SASL_LINE_LIMIT: usize = 12_288;

#[derive(Debug)]
enum Phase {
    Command,
    Auth(Sasl),
    Data(DataReceiver),
    Closed,
}

#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    info: SessionInfo,
    phase: Phase,
    transaction: Option<Transaction>,
    input: Vec<u8>,
    /// Inside a command line already known to be too long: drop octets until its LF.
    discarding: bool,
    output: VecDeque<ServerOutput>,
    deadline: Option<VirtualTime>,
    /// The time of the last input or timeout: when a reply that is slowed down is due from.
    now: VirtualTime,
    /// Outputs kept back by the error sleep, each with the time it goes out; everything
    /// after a held output waits behind it, so the order never changes.
    held: VecDeque<(VirtualTime, ServerOutput)>,
    /// Error replies in this session, since the last message it took (Postfix's
    /// `error_count`).
    errors: u32,
    /// Messages this session has taken (a `250` to the final dot, or an LMTP `250` for a
    /// recipient): what a client may do next depends on it (another MAIL, or QUIT).
    messages_accepted: u32,
}

enum Line {
    Complete(Vec<u8>),
    TooLong,
}

impl ServerSession {
    /// A new connection: queues the `220` greeting.
    pub fn new(config: ServerConfig, now: VirtualTime) -> Self {
        let info = SessionInfo {
            mode: config.mode,
            tls: config.implicit_tls,
            ..SessionInfo::default()
        };
        let mut session = ServerSession {
            info,
            phase: Phase::Command,
            transaction: None,
            input: Vec::new(),
            discarding: false,
            output: VecDeque::new(),
            deadline: Some(now.plus_millis(config.command_timeout_ms)),
            now,
            held: VecDeque::new(),
            errors: 0,
            messages_accepted: 0,
            config,
        };
        session.send(replies::greeting(
            &session.config.hostname,
            &session.config.greeting,
        ));
        session
    }

    /// Who is connecting, for the host's checks and its `Received:` header.
    pub fn with_peer(mut self, peer: Peer) -> Self {
        self.info.peer = peer;
        self
    }

    pub fn info(&self) -> &SessionInfo {
        &self.info
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// Bytes from the client, split anywhere: the output does not depend on the split.
    pub fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, mta: &mut (impl Mta + ?Sized)) {
        if self.is_closed() {
            return;
        }
        self.deadline = Some(now.plus_millis(self.config.command_timeout_ms));
        self.now = now;
        self.input.extend_from_slice(bytes);
        self.process(mta);
    }

    pub fn poll_output(&mut self) -> Option<ServerOutput> {
        self.output.pop_front()
    }

    /// When the next reply kept back by the error sleep is due, if one is.
    pub fn held_until(&self) -> Option<VirtualTime> {
        self.held.front().map(|(due, _)| *due)
    }

    /// When a reply kept back is due, or when the client will have been silent too long.
    pub fn poll_timeout(&self) -> Option<VirtualTime> {
        if let Some((due, _)) = self.held.front() {
            return Some(*due);
        }
        if self.is_closed() {
            None
        } else {
            self.deadline
        }
    }

    pub fn handle_timeout(&mut self, now: VirtualTime) {
        self.now = now;
        if !self.held.is_empty() {
            while let Some((due, _)) = self.held.front() {
                if *due > now {
                    break;
                }
                if let Some((_, out)) = self.held.pop_front() {
                    self.output.push_back(out);
                }
            }
            // The client's silence is counted from the reply it waited for.
            if !self.is_closed() {
                self.deadline = Some(now.plus_millis(self.config.command_timeout_ms));
            }
            return;
        }
        match self.poll_timeout() {
            Some(deadline) if now >= deadline => {
                let reply = replies::timeout(&self.config.hostname);
                self.explain("RFC 5321 4.5.3.2", "The client stayed silent longer than the server waits, so the server hangs up.");
                self.close_with(reply);
            }
            _ => {}
        }
    }

    fn send(&mut self, reply: Reply) {
        let reply = self.without_extensions(reply);
        self.transmit(reply.to_wire());
        if reply.is_transient() || reply.is_permanent() {
            self.errors += 1;
            if self.errors == self.config.soft_error_limit && self.config.error_sleep_ms > 0 {
                let text = format!(
                    "This client has made {} errors: from now on the server waits {} s before every reply (Postfix's smtpd_soft_error_limit and smtpd_error_sleep_time). A person hardly notices; a program probing for addresses is slowed down.",
                    self.errors,
                    self.config.error_sleep_ms as f64 / 1000.0
                );
                self.explain("RFC 5321 7.3", &text);
            }
        }
    }

    /// A reply on its way to the client. Once the client has made `soft_error_limit`
    /// errors, Postfix sleeps `smtpd_error_sleep_time` before every reply it sends
    /// (smtpd_chat_reply), success or not, until a message is taken.
    fn transmit(&mut self, wire: Vec<u8>) {
        if self.errors >= self.config.soft_error_limit && self.config.error_sleep_ms > 0 {
            let from = self.held.back().map_or(self.now, |(due, _)| (*due).max(self.now));
            self.held.push_back((from.plus_millis(self.config.error_sleep_ms), ServerOutput::Transmit(wire)));
        } else {
            self.push(ServerOutput::Transmit(wire));
        }
    }

    /// An output in order: behind any held reply, at its time.
    fn push(&mut self, out: ServerOutput) {
        match self.held.back() {
            Some((due, _)) => {
                let due = *due;
                self.held.push_back((due, out));
            }
            None => self.output.push_back(out),
        }
    }

    /// A pre-ESMTP server knows no enhanced status codes: RFC 2034 3 ties them to an
    /// ENHANCEDSTATUSCODES advertised in the EHLO reply, which such a server never sends.
    fn without_extensions(&self, mut reply: Reply) -> Reply {
        if !self.esmtp() {
            reply.enhanced = None;
        }
        reply
    }

    /// Whether this session speaks ESMTP: LMTP always does (RFC 2033 4.1: LHLO is EHLO).
    fn esmtp(&self) -> bool {
        self.config.esmtp || self.lmtp()
    }

    fn explain(&mut self, rfc: &'static str, text: &str) {
        self.push(ServerOutput::Event(Note { rfc, text: text.to_string() }));
    }

    fn close_with(&mut self, reply: Reply) {
        let reply = self.without_extensions(reply);
        self.transmit(reply.to_wire());
        self.push(ServerOutput::Close);
        self.phase = Phase::Closed;
        self.input.clear();
        self.deadline = None;
    }

    /// RFC 2920 3: run every complete command in the buffer, in order.
    fn process(&mut self, mta: &mut (impl Mta + ?Sized)) {
        loop {
            match &mut self.phase {
                Phase::Closed => {
                    self.input.clear();
                    return;
                }
                Phase::Data(rx) => {
                    let fed = rx.feed(&self.input);
                    self.input.drain(..fed.consumed);
                    if !fed.complete {
                        return;
                    }
                    if let Phase::Data(rx) = std::mem::replace(&mut self.phase, Phase::Command) {
                        self.end_of_data(rx, mta);
                    }
                }
                Phase::Command | Phase::Auth(_) => {
                    let Some(line) = self.take_line() else { return };
                    match line {
                        Line::TooLong => {
                            if matches!(self.phase, Phase::Auth(_)) {
                                self.phase = Phase::Command;
                            }
                            self.send(replies::line_too_long());
                            self.explain(
                                "RFC 5321 4.5.3.1.4",
                                "A command line may hold at most 512 octets, CRLF included; MAIL and RCPT may be longer by what the parameters of the advertised extensions need (RFC 3461 5.4).",
                            );
                        }
                        Line::Complete(line) => {
                            match std::mem::replace(&mut self.phase, Phase::Command) {
                                Phase::Auth(sasl) => self.sasl_response(sasl, &line, mta),
                                _ => self.command(&line, mta),
                            }
                        }
                    }
                    if self.errors >= self.config.hard_error_limit && !self.is_closed() {
                        self.close_with(replies::too_many_errors(&self.config.hostname));
                    }
                }
            }
        }
    }

    /// The next line, without CRLF. A line is too long once its octets (CRLF counted) pass
    /// the limit; deciding that only at its LF keeps the replies independent of chunking.
    fn take_line(&mut self) -> Option<Line> {
        let limit = match self.phase {
            Phase::Auth(_) => SASL_LINE_LIMIT,
            _ => self.longest_command_line(),
        };
        match self.input.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                let mut line: Vec<u8> = self.input.drain(..=lf).collect();
                line.pop();
                // RFC 5321 2.3.8 wants CRLF; a bare LF is accepted in commands, as Postfix does.
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                let limit = match self.phase {
                    Phase::Auth(_) => limit,
                    _ => self.command_line_limit_for(&line),
                };
                if std::mem::take(&mut self.discarding) || line.len() + 2 > limit {
                    return Some(Line::TooLong);
                }
                Some(Line::Complete(line))
            }
            None => {
                if self.input.len() > limit {
                    self.discarding = true;
                    self.input.clear();
                }
                None
            }
        }
    }

    fn lmtp(&self) -> bool {
        self.config.mode == Mode::Lmtp
    }

    fn command(&mut self, line: &[u8], mta: &mut (impl Mta + ?Sized)) {
        let command = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => return self.command_error(e),
        };
        if self.esmtp() {
            self.dispatch(command, mta)
        } else {
            self.rfc821_command(command, mta)
        }
    }

    fn dispatch(&mut self, command: Command, mta: &mut (impl Mta + ?Sized)) {
        match command {
            Command::Ehlo { domain } if !self.lmtp() => self.hello(domain, true),
            Command::Helo { domain } if !self.lmtp() => self.hello(domain, false),
            Command::Lhlo { domain } if self.lmtp() => self.hello(domain, true),
            Command::Ehlo { .. } | Command::Helo { .. } if self.lmtp() => {
                self.send(replies::lmtp_unknown_command());
                self.explain(
                    "RFC 2033 4.1",
                    "LMTP knows no HELO or EHLO: a client greets with LHLO.",
                );
            }
            // LHLO on an SMTP port: Postfix does not know it.
            Command::Ehlo { .. } | Command::Helo { .. } | Command::Lhlo { .. } => self
                .command_error(CommandError::Unrecognized {
                    verb: "LHLO".into(),
                }),
            Command::Mail { from, params } => self.mail(from, params, mta),
            Command::Rcpt { to, params } => {
                let bare_postmaster = to == ForwardPath::Postmaster;
                let recipient = Recipient {
                    address: to.resolve(&self.config.hostname),
                    notify: params.notify,
                    orcpt: params.orcpt,
                };
                self.rcpt(recipient, mta);
                if bare_postmaster {
                    self.explain(
                        "RFC 5321 4.1.1.3",
                        "Every server takes <Postmaster> without a domain: it means the postmaster here, and this server writes it as the postmaster of its own domain.",
                    );
                }
            }
            Command::Data => self.data(),
            Command::Rset => {
                self.transaction = None;
                self.send(replies::ok());
            }
            Command::Noop { .. } => self.send(replies::ok()),
            Command::Vrfy { target } => self.vrfy(&target, mta),
            Command::Help { .. } => {
                let reply = if self.lmtp() {
                    replies::lmtp_help()
                } else {
                    replies::help()
                };
                self.send(reply)
            }
            Command::Quit => self.close_with(replies::bye()),
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(&mechanism, initial_response, mta),
        }
    }

    /// A command on a pre-ESMTP server (RFC 821): what RFC 821 4.1 does not define is
    /// unrecognized, and MAIL and RCPT take no parameters. The rest is as on any server.
    fn rfc821_command(&mut self, command: Command, mta: &mut (impl Mta + ?Sized)) {
        match command {
            Command::Ehlo { .. } => {
                self.send(rfc821_unrecognized());
                self.explain(
                    "RFC 5321 3.2",
                    "This old server speaks only RFC 821 SMTP and does not know EHLO: the client should greet again with HELO, and use no extensions.",
                );
            }
            Command::StartTls | Command::Auth { .. } | Command::Lhlo { .. } => {
                self.send(rfc821_unrecognized());
                self.explain(
                    "RFC 1869 4",
                    "Extensions such as STARTTLS and AUTH exist only on servers that answer EHLO; this one does not.",
                );
            }
            Command::Mail { ref params, .. } if *params != Default::default() => {
                self.send(rfc821_bad_arguments())
            }
            Command::Rcpt { ref params, .. } if *params != Default::default() => {
                self.send(rfc821_bad_arguments())
            }
            // RFC 821 4.1.2 lists these commands; HELP names only them.
            Command::Help { .. } => self.send(Reply::plain(
                214,
                "Commands: HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP",
            )),
            // HELO, and MAIL, RCPT, DATA and the rest without parameters: as on any server.
            command => self.dispatch(command, mta),
        }
    }

}

/// The session in the shape every driver uses (`engine::session`).
impl<M: Mta + ?Sized> Session<M> for ServerSession {
    type Event = Note;
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, mta: &mut M) {
        ServerSession::handle_input(self, bytes, now, mta);
    }
    fn handle_timeout(&mut self, now: VirtualTime, _: &mut M) {
        ServerSession::handle_timeout(self, now);
    }
    /// Nothing to release: a transaction the client left unfinished was never queued.
    fn handle_close(&mut self, _: VirtualTime, _: &mut M) {}
    fn poll_output(&mut self) -> Option<Output<Note>> {
        ServerSession::poll_output(self)
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        ServerSession::poll_timeout(self)
    }
}

#[cfg(test)]
mod tests;
