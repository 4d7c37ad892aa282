//! A sans-IO IMAP client for simulated devices: log in, select a mailbox, find the messages
//! newer than the last UID it saw, fetch them, optionally mark them `\Seen` or `\Deleted`
//! and expunge, log out. One command at a time, each waiting for its tagged reply.
//!
//! ```ignore
//! let mut c = ClientSession::new(ClientConfig::new("bob@southbay.test", "builder"));
//! // feed server bytes: c.handle_input(&bytes); then drain c.poll_output()
//! ```

use std::collections::VecDeque;

use super::framing::{Frame, FrameLimits, Framer};
use super::syntax::Reader;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub username: String,
    pub password: String,
    pub mailbox: String,
    /// Fetch only messages with a higher UID (0: all). Valid for one UIDVALIDITY.
    pub last_seen_uid: u32,
    /// `BODY.PEEK[]` leaves `\Seen` alone; `BODY[]` sets it (RFC 9051 6.4.5).
    pub peek: bool,
    /// After fetching: `+FLAGS (\Seen)`.
    pub mark_seen: bool,
    /// After fetching: `+FLAGS (\Deleted)` and EXPUNGE.
    pub delete: bool,
}

impl ClientConfig {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        ClientConfig {
            username: username.into(),
            password: password.into(),
            mailbox: "INBOX".into(),
            last_seen_uid: 0,
            peek: true,
            mark_seen: false,
            delete: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientOutput {
    Transmit(Vec<u8>),
    /// A message arrived whole.
    Fetched {
        uid: u32,
        message: Vec<u8>,
    },
    /// The session is over: `Ok` after a clean LOGOUT, or what went wrong.
    Done(Result<(), String>),
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Greeting,
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
    new_uids: Vec<u32>,
    output: VecDeque<ClientOutput>,
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
            config,
            step: Step::Greeting,
            tag_counter: 0,
            framer: Framer::new(FrameLimits::default()),
            new_uids: Vec::new(),
            output: VecDeque::new(),
        }
    }

    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.output.pop_front()
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Finished
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
        self.step = step;
        let line = format!("{} {command}\r\n", self.tag());
        self.output
            .push_back(ClientOutput::Transmit(line.into_bytes()));
    }

    fn finish(&mut self, result: Result<(), String>) {
        self.step = Step::Finished;
        self.output.push_back(ClientOutput::Done(result));
        self.output.push_back(ClientOutput::Close);
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

    fn response(&mut self, r: &[u8]) {
        if self.step == Step::Greeting {
            return if r.starts_with(b"* OK") || r.starts_with(b"* PREAUTH") {
                let (u, p) = (
                    Self::quoted(&self.config.username),
                    Self::quoted(&self.config.password),
                );
                self.send(Step::Login, format!("LOGIN {u} {p}"));
            } else {
                self.finish(Err(String::from_utf8_lossy(r).into_owned()))
            };
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
            if self.step == Step::Logout {
                return self.finish(Err(text));
            }
            self.output.push_back(ClientOutput::Done(Err(text)));
            return self.send(Step::Logout, "LOGOUT".into());
        }
        match self.step {
            Step::Login => {
                let mailbox = Self::quoted(&self.config.mailbox);
                self.send(Step::Select, format!("SELECT {mailbox}"));
            }
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
            Step::Logout => self.finish(Ok(())),
            Step::Greeting | Step::Finished => {}
        }
    }

    fn untagged(&mut self, r: &[u8]) {
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
