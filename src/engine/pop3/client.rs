//! The POP3 client session, sans-IO: logs in, lists, downloads what is new, deletes it if
//! so configured, and says QUIT (RFC 1939; RFC 2449 CAPA; RFC 2595 STLS; RFC 5034 AUTH).
//! One command at a time, no pipelining, so the transcript reads as a conversation.
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).

mod config;
mod outcome;
mod steps;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub use config::{ClientConfig, Login, TlsPolicy};
pub use outcome::{ClientOutcome, Pop3Failure, Stage};

use super::command::Command;
use super::response::ResponseParser;
use crate::engine::session::{Output, Session};
use crate::engine::time::VirtualTime;
use steps::Expect;

/// What the session wants done: bytes (one command line), TLS starting (after the `+OK` to
/// STLS), close, and its outcome once, right before closing. The shape of every session
/// (`engine::session`).
pub type ClientOutput = Output<ClientOutcome>;

#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    parser: ResponseParser,
    expected: Option<Expect>,
    output: VecDeque<ClientOutput>,
    tls: bool,
    /// What the last CAPA listed (RFC 2449 5), upper-cased.
    capabilities: BTreeSet<String>,
    apop_timestamp: Option<String>,
    /// LIST's sizes by message number.
    sizes: BTreeMap<u32, u64>,
    /// (message number, UIDL) still to download, in order.
    to_fetch: VecDeque<(u32, String)>,
    /// UIDLs marked by DELE, removed once QUIT says `+OK`.
    marked: Vec<String>,
    outcome: ClientOutcome,
    deadline: Option<VirtualTime>,
    finished: bool,
}

impl ClientSession {
    /// A session whose connection is up at `now`; it waits for the greeting.
    pub fn new(config: ClientConfig, now: VirtualTime) -> Self {
        ClientSession {
            tls: config.tls == TlsPolicy::Implicit,
            deadline: Some(now.plus_millis(config.response_timeout_ms)),
            config,
            parser: ResponseParser::new(),
            expected: Some(Expect::Greeting),
            output: VecDeque::new(),
            capabilities: BTreeSet::new(),
            apop_timestamp: None,
            sizes: BTreeMap::new(),
            to_fetch: VecDeque::new(),
            marked: Vec::new(),
            outcome: ClientOutcome::default(),
            finished: false,
        }
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
            let Some(expect) = self.expected else { break };
            let Some(parsed) = self.parser.next_response(expect.multiline()) else {
                break;
            };
            self.expected = None;
            match parsed {
                Ok(response) => self.on_response(expect, response),
                Err(e) => {
                    self.fail(expect.stage(), format!("protocol error: {e}"));
                    self.finish();
                }
            }
        }
        if !self.finished {
            self.deadline = Some(now.plus_millis(self.config.response_timeout_ms));
        }
    }

    /// The server closed the connection (or the link failed).
    pub fn handle_close(&mut self) {
        if self.finished {
            return;
        }
        if let Some(expect) = self.expected {
            self.fail(expect.stage(), "connection lost".to_string());
        }
        self.finish();
    }

    pub fn handle_timeout(&mut self, now: VirtualTime) {
        match self.poll_timeout() {
            Some(deadline) if now >= deadline => {
                let stage = self.expected.map_or(Stage::Quit, Expect::stage);
                self.fail(stage, "timed out waiting for the server".to_string());
                self.finish();
            }
            _ => {}
        }
    }

    fn send(&mut self, command: Command, expect: Expect) {
        self.output
            .push_back(ClientOutput::Transmit(command.to_wire()));
        self.expected = Some(expect);
    }

    fn fail(&mut self, stage: Stage, text: String) {
        if self.outcome.failure.is_none() {
            self.outcome.failure = Some(Pop3Failure { stage, text });
        }
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.expected = None;
        self.deadline = None;
        self.output
            .push_back(ClientOutput::Event(std::mem::take(&mut self.outcome)));
        self.output.push_back(ClientOutput::Close);
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
