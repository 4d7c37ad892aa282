//! A sans-IO IMAP client for simulated devices: STARTTLS when offered (RFC 8314 3,
//! RFC 9051 6.2.1), log in, select a mailbox, find the messages newer than the last UID it
//! saw, fetch them, optionally mark them `\Seen` or `\Deleted` and expunge, log out. One
//! command at a time, each waiting for its tagged reply.
//!
//! ```ignore
//! let mut c = ClientSession::new(ClientConfig::new("bob@southbay.test", "builder"));
//! // feed server bytes: c.handle_input(&bytes); then drain c.poll_output()
//! ```

mod config;

use std::collections::{BTreeSet, VecDeque};

pub use config::{ClientConfig, TlsPolicy};

use super::framing::{Frame, FrameLimits, Framer};
use super::syntax::Reader;
use crate::engine::base64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientOutput {
    Transmit(Vec<u8>),
    /// Follows the tagged `OK` to STARTTLS: everything from here on is inside TLS.
    TlsStarted,
    /// A message arrived whole.
    Fetched {
        uid: u32,
        message: Vec<u8>,
    },
    /// The session's result, once, right before `Close`: `Ok` after a clean LOGOUT, or the
    /// first thing that went wrong.
    Done(Result<(), String>),
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Greeting,
    Capability,
    StartTls,
    /// `AUTHENTICATE PLAIN` sent without SASL-IR: waiting for the server's `+`.
    PlainChallenge,
    Login,
    Select,
    Search,
    Fetch,
    Store,
    Expunge,
    Logout,
    Finished,
}

#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    step: Step,
    tag_counter: u32,
    framer: Framer,
    tls: bool,
    /// What the server last said it can do, upper-cased (RFC 9051 7.2.2).
    capabilities: BTreeSet<String>,
    new_uids: Vec<u32>,
    /// The first failure; reported in `Done` once LOGOUT is answered.
    error: Option<String>,
    output: VecDeque<ClientOutput>,
}

/// The atoms of `* CAPABILITY a b` or of a `[CAPABILITY a b]` response code.
fn capability_list(response: &[u8]) -> Option<BTreeSet<String>> {
    let text = String::from_utf8_lossy(response).to_ascii_uppercase();
    let list = match text.strip_prefix("* CAPABILITY ") {
        Some(list) => list,
        None => {
            let at = text.find("[CAPABILITY ")?;
            let list = &text[at + "[CAPABILITY ".len()..];
            &list[..list.find(']')?]
        }
    };
    Some(list.split_whitespace().map(str::to_string).collect())
}

/// The number after `word ` in `bytes`, e.g. the UID in `(UID 7 FLAGS ...)`.
fn number_after(bytes: &[u8], word: &[u8]) -> Option<u32> {
    let at = bytes
        .windows(word.len())
        .position(|w| w.eq_ignore_ascii_case(word))?;
    Reader::new(&bytes[at + word.len()..]).number().ok()
}

impl ClientSession {
    pub fn new(config: ClientConfig) -> Self {
        ClientSession {
            tls: config.tls == TlsPolicy::Implicit,
            config,
            step: Step::Greeting,
            tag_counter: 0,
            framer: Framer::new(FrameLimits::default()),
            capabilities: BTreeSet::new(),
            new_uids: Vec::new(),
            error: None,
            output: VecDeque::new(),
        }
    }

    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.output.pop_front()
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Finished
    }

    pub fn tls_active(&self) -> bool {
        self.tls
    }

    /// UIDs found new in this session, for the device's next `last_seen_uid`.
    pub fn new_uids(&self) -> &[u32] {
        &self.new_uids
    }

    pub fn handle_input(&mut self, bytes: &[u8]) {
        self.framer.push(bytes);
        while self.step != Step::Finished {
            match self.framer.next_command() {
                Some(Frame::Command(response)) => self.response(&response),
                // A literal in a response needs no continuation: just wait for its octets.
                Some(Frame::LiteralAnnounced { .. }) => {}
                Some(_) => return self.finish(Err("response too long".into())),
                None => return,
            }
        }
    }

    fn tag(&self) -> String {
        format!("a{}", self.tag_counter)
    }

    fn send(&mut self, step: Step, command: String) {
        self.tag_counter += 1;
        let line = format!("{} {command}", self.tag());
        self.send_line(step, &line);
    }

    /// A line without a tag of its own: a SASL response (RFC 9051 6.2.2).
    fn send_line(&mut self, step: Step, line: &str) {
        self.step = step;
        self.output
            .push_back(ClientOutput::Transmit(format!("{line}\r\n").into_bytes()));
    }

    fn finish(&mut self, result: Result<(), String>) {
        self.step = Step::Finished;
        self.output.push_back(ClientOutput::Done(result));
        self.output.push_back(ClientOutput::Close);
    }

    /// Something went wrong: remember it and say LOGOUT, as a mail program does.
    fn fail(&mut self, error: String) {
        self.error.get_or_insert(error);
        self.send(Step::Logout, "LOGOUT".into());
    }

    fn quoted(text: &str) -> String {
        let mut out = Vec::new();
        super::response::write_string(&mut out, text.as_bytes());
        String::from_utf8_lossy(&out).into_owned()
    }

    fn uid_set(&self) -> String {
        super::sequence::SequenceSet::from_numbers(&self.new_uids)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn greeting(&mut self, r: &[u8]) {
        if r.starts_with(b"* PREAUTH") {
            // RFC 9051 7.1.4: already authenticated, so STARTTLS is no longer possible.
            if !self.tls && self.config.tls == TlsPolicy::RequireStartTls {
                return self.fail("PREAUTH in clear: STARTTLS is not possible".into());
            }
            return self.select();
        }
        if !r.starts_with(b"* OK") {
            return self.finish(Err(String::from_utf8_lossy(r).into_owned()));
        }
        match capability_list(r) {
            Some(capabilities) => {
                self.capabilities = capabilities;
                self.secure_or_log_in();
            }
            // RFC 9051 7.1: a greeting need not list capabilities; then ask.
            None => self.send(Step::Capability, "CAPABILITY".into()),
        }
    }

    /// STARTTLS first when the policy wants it and the server offers it (RFC 9051 6.2.1).
    fn secure_or_log_in(&mut self) {
        let wants_tls = matches!(
            self.config.tls,
            TlsPolicy::StartTlsIfOffered | TlsPolicy::RequireStartTls
        );
        if !self.tls && wants_tls && self.capabilities.contains("STARTTLS") {
            self.send(Step::StartTls, "STARTTLS".into());
        } else if !self.tls && self.config.tls == TlsPolicy::RequireStartTls {
            self.fail("the server does not offer STARTTLS".into());
        } else {
            self.log_in();
        }
    }

    /// AUTHENTICATE PLAIN when offered, with its initial response on the command line when
    /// SASL-IR allows (RFC 4959 3: one round trip, as Dovecot's own imapc client does);
    /// LOGIN otherwise, unless the server says LOGINDISABLED (RFC 9051 6.2.3).
    fn log_in(&mut self) {
        if self.capabilities.contains("AUTH=PLAIN") {
            if self.capabilities.contains("SASL-IR") {
                let response = self.plain_response();
                self.send(Step::Login, format!("AUTHENTICATE PLAIN {response}"));
            } else {
                self.send(Step::PlainChallenge, "AUTHENTICATE PLAIN".into());
            }
        } else if self.capabilities.contains("LOGINDISABLED") {
            self.fail("the server disables LOGIN on this connection".into());
        } else {
            let (u, p) = (
                Self::quoted(&self.config.username),
                Self::quoted(&self.config.password),
            );
            self.send(Step::Login, format!("LOGIN {u} {p}"));
        }
    }

    /// RFC 4616 2: `authzid NUL authcid NUL passwd`, no authzid, in base64 (RFC 9051 6.2.2).
    fn plain_response(&self) -> String {
        let plain = format!("\0{}\0{}", self.config.username, self.config.password);
        base64::encode(plain.as_bytes())
    }

    fn select(&mut self) {
        let mailbox = Self::quoted(&self.config.mailbox);
        self.send(Step::Select, format!("SELECT {mailbox}"));
    }

    fn response(&mut self, r: &[u8]) {
        if self.step == Step::Greeting {
            return self.greeting(r);
        }
        if r.starts_with(b"+") {
            // RFC 9051 7.5: the server's (empty) PLAIN challenge.
            if self.step == Step::PlainChallenge {
                let response = self.plain_response();
                self.send_line(Step::Login, &response);
            }
            return;
        }
        if r.starts_with(b"* ") {
            return self.untagged(r);
        }
        let tag = self.tag();
        let Some(rest) = r
            .strip_prefix(tag.as_bytes())
            .and_then(|r| r.strip_prefix(b" "))
        else {
            return;
        };
        if !rest.starts_with(b"OK") {
            let text = String::from_utf8_lossy(r).into_owned();
            return match self.step {
                Step::Logout => {
                    let error = self.error.take().unwrap_or(text);
                    self.finish(Err(error))
                }
                // Opportunistic STARTTLS: a refusal leaves the connection in clear.
                Step::StartTls if self.config.tls == TlsPolicy::StartTlsIfOffered => self.log_in(),
                _ => self.fail(text),
            };
        }
        match self.step {
            Step::Capability => self.secure_or_log_in(),
            Step::StartTls => {
                self.tls = true;
                self.output.push_back(ClientOutput::TlsStarted);
                // RFC 9051 11.1: octets that came in clear after the OK are not trusted.
                self.framer.clear();
                // RFC 9051 6.2.1: capabilities learnt in clear are forgotten and asked again.
                self.capabilities.clear();
                self.send(Step::Capability, "CAPABILITY".into());
            }
            Step::Login => self.select(),
            Step::Select => {
                let from = self.config.last_seen_uid.saturating_add(1);
                self.send(Step::Search, format!("UID SEARCH UID {from}:*"));
            }
            Step::Search if self.new_uids.is_empty() => self.send(Step::Logout, "LOGOUT".into()),
            Step::Search => {
                let item = if self.config.peek {
                    "BODY.PEEK[]"
                } else {
                    "BODY[]"
                };
                self.send(
                    Step::Fetch,
                    format!("UID FETCH {} ({item})", self.uid_set()),
                );
            }
            Step::Fetch | Step::Store => {
                let mut flags = Vec::new();
                if self.config.mark_seen && self.config.peek {
                    flags.push("\\Seen");
                }
                if self.config.delete {
                    flags.push("\\Deleted");
                }
                if self.step == Step::Fetch && !flags.is_empty() {
                    let set = self.uid_set();
                    self.send(
                        Step::Store,
                        format!("UID STORE {set} +FLAGS.SILENT ({})", flags.join(" ")),
                    );
                } else if self.config.delete {
                    self.send(Step::Expunge, "EXPUNGE".into());
                } else {
                    self.send(Step::Logout, "LOGOUT".into());
                }
            }
            Step::Expunge => self.send(Step::Logout, "LOGOUT".into()),
            Step::Logout => {
                let result = self.error.take().map_or(Ok(()), Err);
                self.finish(result)
            }
            Step::Greeting | Step::PlainChallenge | Step::Finished => {}
        }
    }

    fn untagged(&mut self, r: &[u8]) {
        // Only these two: a message body may contain any text at all.
        if r.starts_with(b"* CAPABILITY ") || r.starts_with(b"* OK [CAPABILITY ") {
            if let Some(capabilities) = capability_list(r) {
                self.capabilities = capabilities;
            }
            return;
        }
        if let Some(list) = r.strip_prefix(b"* SEARCH") {
            // RFC 9051 6.4.8: `n:*` always holds the largest UID, even one below n.
            let floor = self.config.last_seen_uid;
            self.new_uids = String::from_utf8_lossy(list)
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .filter(|&uid| uid > floor)
                .collect();
            return;
        }
        if self.step != Step::Fetch || !r.windows(7).any(|w| w == b" FETCH ") {
            return;
        }
        let Some(uid) = number_after(r, b"UID ") else {
            return;
        };
        let Some(at) = r.windows(7).position(|w| w == b"BODY[] ") else {
            return;
        };
        if let Ok(message) = Reader::new(&r[at + 7..]).literal() {
            self.output
                .push_back(ClientOutput::Fetched { uid, message });
        }
    }
}

#[cfg(test)]
mod tests;
