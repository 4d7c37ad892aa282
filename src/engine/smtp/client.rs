//! The SMTP / LMTP client session, sans-IO: carries one mail transaction to one server
//! (RFC 5321 3, 4.1.1; RFC 2033; RFC 3207 STARTTLS; RFC 4954 AUTH; RFC 2920 PIPELINING).
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).

mod capabilities;
mod config;
mod outcome;
mod steps;

use std::collections::VecDeque;
use std::rc::Rc;

pub use config::{AuthMechanism, ClientConfig, Credentials, TlsPolicy};
pub use outcome::{ClientOutcome, Diagnostic, RecipientOutcome, SessionFailure, Stage};

use super::command::Command;
use super::{EnhancedStatus, Envelope, ReplyParser};
use crate::engine::session::{Output, Session};
use crate::engine::time::VirtualTime;
use capabilities::Capabilities;
use steps::Expect;

/// What the session wants done: bytes (one command, or the dot-stuffed message, or the final
/// `.` line), TLS starting (after the 220 to STARTTLS), close, and once its outcome: as soon
/// as the reply to the final dot decides every recipient (Postfix logs `status=sent` at the
/// 250, before its QUIT), else right before closing. The shape of every session
/// (`engine::session`).
pub type ClientOutput = Output<ClientOutcome>;

#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    envelope: Envelope,
    /// Shared with whoever holds the message (a queue, a retry), so a session copies none.
    message: Rc<[u8]>,
    parser: ReplyParser,
    expected: VecDeque<Expect>,
    output: VecDeque<ClientOutput>,
    caps: Capabilities,
    tls: bool,
    pipelined: bool,
    /// Indices of recipients the server accepted at RCPT, in order.
    accepted: Vec<usize>,
    outcomes: Vec<Option<RecipientOutcome>>,
    /// LMTP recipients refused after the dot, by envelope index.
    refused_after_dot: Vec<usize>,
    failure: Option<SessionFailure>,
    deadline: Option<VirtualTime>,
    /// `Done` has been sent.
    reported: bool,
    finished: bool,
}

impl ClientSession {
    /// A session for one transaction; `message` is the RFC 5322 message with CRLF line ends.
    pub fn new(config: ClientConfig, envelope: Envelope, message: impl Into<Rc<[u8]>>) -> Self {
        let n = envelope.recipients.len();
        ClientSession {
            tls: config.tls == TlsPolicy::Implicit,
            config,
            envelope,
            message: message.into(),
            parser: ReplyParser::new(),
            expected: VecDeque::from([Expect::Greeting]),
            output: VecDeque::new(),
            caps: Capabilities::default(),
            pipelined: false,
            accepted: Vec::new(),
            outcomes: vec![None; n],
            refused_after_dot: Vec::new(),
            failure: None,
            deadline: None,
            reported: false,
            finished: false,
        }
    }

    /// Start the clock on the greeting (the connection is up at `now`).
    pub fn with_start(mut self, now: VirtualTime) -> Self {
        self.deadline = Some(now.plus_millis(self.config.command_timeout_ms));
        self
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn tls_active(&self) -> bool {
        self.tls
    }

    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.output.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<VirtualTime> {
        if self.finished {
            None
        } else {
            self.deadline
        }
    }

    /// Bytes from the server, split anywhere.
    pub fn handle_input(&mut self, bytes: &[u8], now: VirtualTime) {
        if self.finished {
            return;
        }
        self.parser.push(bytes);
        while !self.finished {
            let Some(parsed) = self.parser.next_reply() else {
                break;
            };
            match parsed {
                Ok(reply) => self.on_reply(reply),
                Err(e) => {
                    let stage = self.expected.front().map_or(Stage::Quit, |e| e.stage());
                    self.fail(stage, local(4, 5, 0, format!("protocol error: {e}")));
                    self.finish();
                }
            }
        }
        if !self.finished {
            self.deadline = match self.expected.front() {
                Some(Expect::EndOfData | Expect::LmtpEndOfData(_)) => {
                    Some(now.plus_millis(self.config.data_end_timeout_ms))
                }
                Some(_) => Some(now.plus_millis(self.config.command_timeout_ms)),
                None => None,
            };
        }
    }

    /// The server closed the connection (or the link failed).
    pub fn handle_close(&mut self) {
        if self.finished {
            return;
        }
        if let Some(e) = self.expected.front().copied() {
            if e != Expect::Quit && e != Expect::Ignore {
                let text = format!("lost connection with server while {}", e.stage().doing());
                self.fail(e.stage(), local(4, 4, 2, text));
            }
        }
        self.finish();
    }

    pub fn handle_timeout(&mut self, now: VirtualTime) {
        match self.poll_timeout() {
            Some(deadline) if now >= deadline => {
                let stage = self.expected.front().map_or(Stage::Quit, |e| e.stage());
                if stage != Stage::Quit {
                    self.fail(
                        stage,
                        local(
                            4,
                            4,
                            2,
                            format!("conversation timed out while {}", stage.doing()),
                        ),
                    );
                }
                self.finish();
            }
            _ => {}
        }
    }

    fn send(&mut self, command: Command, expect: Expect) {
        self.output
            .push_back(ClientOutput::Transmit(command.to_wire()));
        self.expected.push_back(expect);
    }

    /// Record a failure of the whole session for every recipient not yet decided.
    fn fail(&mut self, stage: Stage, diagnostic: Diagnostic) {
        for slot in self.outcomes.iter_mut().filter(|s| s.is_none()) {
            *slot = Some(RecipientOutcome::from_diagnostic(diagnostic.clone()));
        }
        if self.failure.is_none() {
            self.failure = Some(SessionFailure { stage, diagnostic });
        }
    }

    fn quit(&mut self) {
        self.expected.clear();
        self.send(Command::Quit, Expect::Quit);
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.expected.clear();
        self.deadline = None;
        self.report();
        self.output.push_back(ClientOutput::Close);
    }

    /// The outcome, once: every recipient not decided yet is deferred.
    fn report(&mut self) {
        if self.reported {
            return;
        }
        self.reported = true;
        let recipients = self
            .envelope
            .recipients
            .iter()
            .zip(self.outcomes.iter())
            .map(|(r, o)| {
                let outcome = o.clone().unwrap_or_else(|| {
                    RecipientOutcome::Deferred(local(
                        4,
                        4,
                        0,
                        "session ended before this recipient was tried".into(),
                    ))
                });
                (r.address.clone(), outcome)
            })
            .collect();
        let outcome = ClientOutcome {
            recipients,
            failure: self.failure.clone(),
            refused_after_dot: self.refused_after_dot.clone(),
        };
        self.output.push_back(ClientOutput::Event(outcome));
    }
}

fn local(class: u8, subject: u16, detail: u16, text: String) -> Diagnostic {
    Diagnostic::Local {
        status: EnhancedStatus::new(class, subject, detail),
        text,
    }
}

/// The session in the shape every driver uses (`engine::session`); its event is the outcome.
impl<H: ?Sized> Session<H> for ClientSession {
    type Event = ClientOutcome;
    fn handle_input(&mut self, bytes: &[u8], now: VirtualTime, _: &mut H) {
        ClientSession::handle_input(self, bytes, now);
    }
    fn handle_timeout(&mut self, now: VirtualTime, _: &mut H) {
        ClientSession::handle_timeout(self, now);
    }
    fn handle_close(&mut self, _: VirtualTime, _: &mut H) {
        ClientSession::handle_close(self);
    }
    fn poll_output(&mut self) -> Option<Output<ClientOutcome>> {
        ClientSession::poll_output(self)
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        ClientSession::poll_timeout(self)
    }
}
