//! A sans-IO IMAP client for simulated devices: STARTTLS when offered (RFC 8314 3,
//! RFC 9051 6.2.1), log in, select a mailbox, learn the flags of the messages it already
//! knows (flag sync, RFC 4549 4.3.1), find the messages newer than the last UID it saw,
//! fetch them, apply its [`Rule`]s (mark read, flag, delete, move), log out, and report its
//! view of the mailbox ([`MailboxView`]). One command at a time, each waiting for its
//! tagged reply.
//!
//! Driven as every session is (`engine::session::Session`, whose example runs a whole
//! conversation).

mod actions;
mod config;
mod fetch_data;
mod view;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

pub use config::{Action, ClientConfig, FolderRef, Matcher, Rule, TlsPolicy};
pub use view::{MailboxView, MessageView};

use crate::engine::mail::store::SpecialUse;
use actions::Op;
use view::Tracker;

use super::framing::{Frame, FrameLimits, Framer};
use super::syntax::Reader;
use crate::engine::sasl;
use crate::engine::session::{Output, Session};
use crate::engine::time::VirtualTime;

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

/// What an IMAP client session gives its driver besides bytes (`engine::session`): each
/// message as it arrives whole, then once the result, with the mailbox as the device saw it
/// last (`None` if SELECT never succeeded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    Fetched { uid: u32, message: Vec<u8> },
    Done { result: Result<(), String>, view: Option<MailboxView> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Greeting,
    Capability,
    StartTls,
    /// `AUTHENTICATE PLAIN` sent without SASL-IR: waiting for the server's `+`.
    PlainChallenge,
    Login,
    Select,
    /// `UID FETCH 1:<last_seen_uid> (UID FLAGS)`.
    FlagSync,
    Search,
    Fetch,
    /// Waiting for the tagged reply to this command of the plan.
    Action(Op),
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
    /// The messages whose body arrived in this session, with their Subject.
    fetched: Vec<(u32, Option<String>)>,
    /// What is left to do after fetching.
    plan: VecDeque<Op>,
    /// Special-use folders from LIST (RFC 6154 2).
    special_folders: BTreeMap<SpecialUse, String>,
    /// The selected mailbox as the device sees it; `None` before SELECT succeeds.
    view: Option<Tracker>,
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
            fetched: Vec::new(),
            plan: VecDeque::new(),
            special_folders: BTreeMap::new(),
            view: None,
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

    /// The device's view of the selected mailbox: complete once `Done` is out, `None` if
    /// SELECT never succeeded. An accessor rather than another [`ClientOutput`], so that
    /// hosts matching every output keep compiling.
    pub fn mailbox_view(&self) -> Option<MailboxView> {
        self.view.as_ref().map(|t| t.view(&self.config.mailbox))
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
        actions::uid_set(&self.new_uids)
    }

    /// The next command of the plan, or LOGOUT when it is done.
    fn next_action(&mut self) {
        let Some(op) = self.plan.pop_front() else {
            return self.send(Step::Logout, "LOGOUT".into());
        };
        match actions::command(&op, &self.special_folders) {
            Ok(command) => self.send(Step::Action(op), command),
            Err(error) => self.fail(error),
        }
    }

    /// The tagged OK to `op`: what it changed that no response reported.
    fn action_done(&mut self, op: Op) {
        if let (Op::Store { uids, flags }, Some(view)) = (&op, &mut self.view) {
            // `.SILENT` (RFC 9051 6.4.6): the server does not echo the new flags.
            for flag in flags {
                view.add_flag(uids, flag);
            }
        }
        self.next_action();
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
        sasl::encode_plain(&self.config.username, &self.config.password)
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
            // RFC 9051 7.6: the server's (empty) PLAIN challenge.
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
            if self.step == Step::Select {
                // RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected.
                self.view = None;
            }
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
        match self.step.clone() {
            Step::Capability => self.secure_or_log_in(),
            Step::StartTls => {
                self.tls = true;
                self.output.push_back(ClientOutput::TlsStarted);
                // RFC 9051 6.2.1: octets that came in clear after the OK are not trusted.
                self.framer.clear();
                // RFC 9051 6.2.1: capabilities learnt in clear are forgotten and asked again.
                self.capabilities.clear();
                self.send(Step::Capability, "CAPABILITY".into());
            }
            Step::Login => {
                // RFC 9051 7.1: the OK may list the post-login capabilities (MOVE, UIDPLUS).
                if let Some(capabilities) = capability_list(r) {
                    self.capabilities = capabilities;
                }
                self.select()
            }
            Step::Select if self.config.last_seen_uid > 0 => {
                let last = self.config.last_seen_uid;
                self.send(Step::FlagSync, format!("UID FETCH 1:{last} (UID FLAGS)"));
            }
            Step::Select | Step::FlagSync => {
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
                    format!("UID FETCH {} (FLAGS {item})", self.uid_set()),
                );
            }
            Step::Fetch => {
                self.plan = actions::plan(
                    &self.config,
                    &self.fetched,
                    self.capabilities.contains("MOVE"),
                    self.capabilities.contains("UIDPLUS"),
                );
                self.next_action();
            }
            Step::Action(op) => self.action_done(op),
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
            // RFC 9051 6.4.9: `n:*` always holds the largest UID, even one below n.
            let floor = self.config.last_seen_uid;
            self.new_uids = String::from_utf8_lossy(list)
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .filter(|&uid| uid > floor)
                .collect();
            return;
        }
        if matches!(self.step, Step::Action(Op::List)) {
            if let Some((usage, name)) = actions::special_use_entry(r) {
                self.special_folders.entry(usage).or_insert(name);
            }
            return;
        }
        if self.step == Step::Select && r.starts_with(b"* OK [UIDVALIDITY ") {
            let validity = number_after(r, b"[UIDVALIDITY ").unwrap_or(0);
            self.view.get_or_insert_with(Tracker::default).uid_validity = validity;
            return;
        }
        if let Some(n) = r
            .strip_suffix(b" EXISTS")
            .and_then(|r| r.strip_prefix(b"* "))
        {
            if let Ok(n) = Reader::new(n).number() {
                self.view.get_or_insert_with(Tracker::default).exists(n);
            }
            return;
        }
        if let Some(n) = r
            .strip_suffix(b" EXPUNGE")
            .and_then(|r| r.strip_prefix(b"* "))
        {
            if let (Ok(n), Some(view)) = (Reader::new(n).number(), &mut self.view) {
                view.expunge(n);
            }
            return;
        }
        let (Some(data), Some(view)) = (fetch_data::parse(r), &mut self.view) else {
            return;
        };
        view.fetch(&data);
        if self.step != Step::Fetch {
            return;
        }
        if let (Some(uid), Some(message)) = (data.uid, data.message) {
            if self.new_uids.contains(&uid) {
                self.fetched
                    .push((uid, view.subject(uid).map(str::to_string)));
                self.output
                    .push_back(ClientOutput::Fetched { uid, message });
            }
        }
    }
}

/// The session in the shape every driver uses (`engine::session`). An IMAP client keeps no
/// timer of its own, and a server that hangs up just ends the session: what it fetched stays
/// fetched.
impl<H: ?Sized> Session<H> for ClientSession {
    type Event = ClientEvent;
    fn handle_input(&mut self, bytes: &[u8], _: VirtualTime, _: &mut H) {
        ClientSession::handle_input(self, bytes);
    }
    fn handle_timeout(&mut self, _: VirtualTime, _: &mut H) {}
    fn handle_close(&mut self, _: VirtualTime, _: &mut H) {}
    fn poll_output(&mut self) -> Option<Output<ClientEvent>> {
        ClientSession::poll_output(self).map(|o| match o {
            ClientOutput::Transmit(bytes) => Output::Transmit(bytes),
            ClientOutput::TlsStarted => Output::TlsStarted,
            ClientOutput::Fetched { uid, message } => Output::Event(ClientEvent::Fetched { uid, message }),
            ClientOutput::Done(result) => Output::Event(ClientEvent::Done { result, view: self.mailbox_view() }),
            ClientOutput::Close => Output::Close,
        })
    }
    fn poll_timeout(&self) -> Option<VirtualTime> {
        None
    }
}

#[cfg(test)]
mod tests;
