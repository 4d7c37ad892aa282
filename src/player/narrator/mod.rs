//! The narrator: every step in words, made from the events (never written per preset).
//!
//! For each line of a step it asks the [`conversation`] what the line is (a command, a piece
//! of the letter, the reply to which command), decides what that means ([`smtp::meaning`] for
//! SMTP replies, the command's own kind elsewhere), and lets [`crate::catalog`] say it. Runs
//! of lines that belong together (a letter's hundred lines, a server's untagged data) become
//! one sentence. The engine's own notes (`note [RFC ...]`) join the step's reasons.

pub mod conversation;
pub mod smtp;

use std::collections::BTreeMap;

use crate::catalog::imap::{Command as ImapSay, Reply as ImapReply};
use crate::catalog::pop3::{Command as Pop3Say, Meaning as Pop3Meaning, Reply as Pop3Reply};
use crate::catalog::smtp::{Command as SmtpSay, Reply as SmtpReply};
use crate::catalog::authentication::{Answer, Asked as DnsAsked, AuthSay, Check, Verdict};
use crate::catalog::world::{Happening, Limit as SaidLimit};
use crate::catalog::{duration, Said, Why};
use crate::engine::imap::flags::StoreMode;
use crate::engine::imap::fetch::FetchAttribute;
use crate::engine::imap::CommandBody;
use crate::engine::pop3::Command as Pop3Command;
use crate::engine::scenario::Service;
use crate::engine::smtp::Command as SmtpCommand;
use crate::engine::trace::details::Limit;
use crate::engine::trace::{format_time, opening, CheckMethod, DnsAnswer, EventKind, RecordType, Trace};
use crate::player::{Cast, Step};
use conversation::{Asked, Conversation, Family, Turn};

/// A step in words: what happened, sentence by sentence, and the rules behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narration {
    pub sentences: Vec<String>,
    /// Each rule once, in the order it came up: the catalog's and the engine's notes.
    pub why: Vec<Why>,
}

impl Narration {
    fn push(&mut self, said: Said) {
        self.sentences.push(said.text);
        if let Some(why) = said.why {
            self.add_why(why);
        }
    }

    fn add_why(&mut self, why: Why) {
        if !self.why.iter().any(|w| w.rfc == why.rfc) {
            self.why.push(why);
        }
    }

    /// The engine's own note: it says what happened here in particular, so it takes the place
    /// of the catalog's general reason for the same section.
    fn add_note(&mut self, note: Why) {
        match self.why.iter_mut().find(|w| w.rfc == note.rfc) {
            Some(general) => *general = note,
            None => self.why.push(note),
        }
    }
}

/// One connection's line, understood in the light of the lines before it.
struct Understood {
    turn: Turn,
    /// For a whole SMTP reply: all its lines, the continuation lines first.
    reply_lines: Vec<String>,
    /// For EHLO: whether STARTTLS came before it on this connection.
    after_starttls: bool,
    /// Whether the line travelled inside TLS.
    tls: bool,
}

/// Who is at the two ends of a connection, as the diagram names them.
#[derive(Clone)]
struct Ends {
    client: String,
    server: String,
    family: Family,
}

/// The narration of one step of `trace`.
pub fn narrate(trace: &Trace, step: Step, cast: &Cast) -> Narration {
    let events = &trace.events[step.first..=step.last];
    let mut connections: Vec<u32> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Line { connection, .. } => Some(connection),
            _ => None,
        })
        .collect();
    connections.dedup();
    let mut understood: BTreeMap<usize, Understood> = BTreeMap::new();
    let mut ends: BTreeMap<u32, Ends> = BTreeMap::new();
    for c in connections {
        if ends.contains_key(&c) {
            continue;
        }
        ends.insert(c, replay(trace, step, c, cast, &mut understood));
    }
    let mut narrator = Narrator { out: Narration::default(), run: Run::None };
    for (offset, event) in events.iter().enumerate() {
        let index = step.first + offset;
        match &event.kind {
            EventKind::Line { connection, text, .. } => {
                if let (Some(u), Some(e)) = (understood.remove(&index), ends.get(connection)) {
                    narrator.line(e, text, u);
                }
            }
            EventKind::Explain(note) => narrator.out.add_note(Why { rfc: note.rfc.clone(), text: note.text.clone() }),
            kind => {
                narrator.flush();
                if let Some(h) = happening(kind, event.at.as_millis(), trace, step.first, cast) {
                    narrator.out.push(h.say());
                }
            }
        }
    }
    narrator.flush();
    narrator.out
}

/// Replays connection `c` from where it opened to the end of the step; keeps what the step's
/// own lines are. Costs the length of one connection, not of the trace.
fn replay(trace: &Trace, step: Step, c: u32, cast: &Cast, understood: &mut BTreeMap<usize, Understood>) -> Ends {
    let (start, ends) = match opening(&trace.events[..step.first], c) {
        Some((i, open)) => (
            i + 1,
            Ends { client: cast.host(&open.client), server: cast.host(&open.server), family: Family::of(open.protocol) },
        ),
        // A session whose opening the trace does not hold: read from this step on.
        _ => (step.first, Ends { client: crate::catalog::lab::YOU.into(), server: crate::catalog::lab::THE_SERVER.into(), family: Family::Smtp }),
    };
    let mut conversation = Conversation::new(ends.family);
    let mut reply_lines: Vec<String> = Vec::new();
    let mut starttls = false;
    for (i, event) in trace.events.iter().enumerate().take(step.last + 1).skip(start) {
        let EventKind::Line { connection, direction, text, tls } = &event.kind else { continue };
        if *connection != c {
            continue;
        }
        let turn = conversation.turn(*direction, text);
        let mut lines = Vec::new();
        match &turn {
            Turn::ReplyGoesOn => reply_lines.push(text.clone()),
            Turn::SmtpReply { .. } => {
                lines = std::mem::take(&mut reply_lines);
                lines.push(text.clone());
            }
            _ => {}
        }
        let after_starttls = starttls;
        if matches!(&turn, Turn::Command(Asked::Smtp(SmtpCommand::StartTls))) {
            starttls = true;
        }
        if i >= step.first {
            understood.insert(i, Understood { turn, reply_lines: lines, after_starttls, tls: *tls });
        }
    }
    ends
}

/// Lines that become one sentence together, gathered until something else comes.
enum Run {
    None,
    /// The letter after SMTP's 354.
    SmtpContent { client: String, lines: usize, ended: bool },
    /// A POP3 answer and the lines of its multi-line body.
    Pop3Body { server: String, status: String, answers: Asked, lines: usize },
    /// An IMAP literal's lines.
    Literal { server: String, lines: usize },
    /// IMAP untagged data: the keywords, each once.
    Untagged { server: String, what: Vec<String> },
}

struct Narrator {
    out: Narration,
    run: Run,
}

impl Narrator {
    fn flush(&mut self) {
        let said = match std::mem::replace(&mut self.run, Run::None) {
            Run::None => return,
            Run::SmtpContent { client, lines, ended } => SmtpSay::Content { client, lines, ended }.say(),
            Run::Pop3Body { server, status, answers, lines } => {
                let meaning = match answers {
                    Asked::Pop3(Pop3Command::Retr { msg } | Pop3Command::Top { msg, .. }) => Pop3Meaning::Letter { msg, lines },
                    _ => Pop3Meaning::Listing { lines },
                };
                Pop3Reply { server, status, meaning }.say()
            }
            Run::Literal { server, lines } => ImapReply::Literal { server, lines }.say(),
            Run::Untagged { server, what } => ImapReply::Untagged { server, what }.say(),
        };
        self.out.push(said);
    }

    fn line(&mut self, ends: &Ends, text: &str, u: Understood) {
        let Ends { client, server, family } = ends.clone();
        match (u.turn, family) {
            (Turn::Content { last }, Family::Smtp | Family::Lmtp) => match &mut self.run {
                Run::SmtpContent { lines, ended, .. } => {
                    *lines += usize::from(!last);
                    *ended |= last;
                }
                _ => {
                    self.flush();
                    self.run = Run::SmtpContent { client, lines: usize::from(!last), ended: last };
                }
            },
            (Turn::Content { .. }, Family::Pop3) => match &mut self.run {
                Run::Pop3Body { lines, .. } => *lines += 1,
                _ => {
                    self.flush();
                    self.run = Run::Literal { server, lines: 1 };
                }
            },
            (Turn::Content { .. }, Family::Imap) => match &mut self.run {
                Run::Literal { lines, .. } => *lines += 1,
                _ => {
                    self.flush();
                    self.run = Run::Literal { server, lines: 1 };
                }
            },
            (Turn::ReplyGoesOn, _) => {}
            (Turn::Untagged { what }, _) => {
                if !matches!(self.run, Run::Untagged { .. }) {
                    self.flush();
                    self.run = Run::Untagged { server, what: Vec::new() };
                }
                if let Run::Untagged { what: seen, .. } = &mut self.run {
                    if !seen.contains(&what) {
                        seen.push(what);
                    }
                }
            }
            (turn, _) => {
                self.flush();
                match turn {
                    Turn::Command(asked) => self.command(family, client, &asked, u.after_starttls, u.tls),
                    Turn::AuthLine => self.out.push(SmtpSay::AuthLine { client }.say()),
                    Turn::SmtpReply { code, status, answers } => {
                        let lines: Vec<&str> = u.reply_lines.iter().map(String::as_str).collect();
                        let code_text = match status {
                            Some(s) => format!("{code} {s}"),
                            None => code.to_string(),
                        };
                        let meaning = smtp::meaning(code, status, &lines, Some(&answers), family == Family::Lmtp);
                        self.out.push(SmtpReply { server, client, code: code_text, meaning }.say());
                    }
                    Turn::Pop3Reply { ok, answers } => self.pop3_reply(server, ok, answers, text),
                    Turn::ImapGreeting { status } => self.out.push(ImapReply::Greeting { server, status }.say()),
                    Turn::Continuation => self.out.push(ImapReply::Continuation { server }.say()),
                    Turn::Tagged { status, answers } => {
                        let command = match &answers {
                            Asked::Imap(body) => body.name().to_owned(),
                            Asked::Unparsed(word) if !word.is_empty() => word.clone(),
                            _ => crate::catalog::imap::THE_COMMAND.to_owned(),
                        };
                        self.out.push(ImapReply::Tagged { server, status, command }.say());
                    }
                    _ => {}
                }
            }
        }
    }

    fn pop3_reply(&mut self, server: String, ok: bool, answers: Asked, text: &str) {
        let status = if ok { "+OK" } else { "-ERR" }.to_owned();
        let meaning = match (&answers, ok) {
            (Asked::Greeting, true) => Pop3Meaning::Greeting,
            (Asked::Pop3(Pop3Command::Stls), true) => Pop3Meaning::TlsReady,
            (Asked::Pop3(Pop3Command::User { .. }), true) => Pop3Meaning::UserOk,
            (Asked::Pop3(Pop3Command::Pass { .. } | Pop3Command::Apop { .. } | Pop3Command::Auth { mechanism: Some(_), .. }), true) => Pop3Meaning::LoggedIn,
            (Asked::Unparsed(w), true) if w == "AUTH" => Pop3Meaning::LoggedIn,
            (Asked::Pop3(Pop3Command::Stat), true) => Pop3Meaning::Stat { answer: text.trim_start_matches("+OK").trim().to_owned() },
            (Asked::Pop3(Pop3Command::Dele { msg }), true) => Pop3Meaning::Deleted { msg: *msg },
            (Asked::Pop3(Pop3Command::Quit), true) => Pop3Meaning::Bye,
            (Asked::Pop3(Pop3Command::Capa | Pop3Command::List { msg: None } | Pop3Command::Uidl { msg: None } | Pop3Command::Retr { .. } | Pop3Command::Top { .. }), true) => {
                // The body follows: say it all once the dot has come.
                self.run = Run::Pop3Body { server, status, answers, lines: 0 };
                return;
            }
            (_, true) => Pop3Meaning::Ok,
            (_, false) if text.contains("[IN-USE]") => Pop3Meaning::InUse,
            (_, false) if text.contains("[AUTH]") => Pop3Meaning::LoginFailed,
            (_, false) => Pop3Meaning::Failed,
        };
        self.out.push(Pop3Reply { server, status, meaning }.say());
    }

    fn command(&mut self, family: Family, client: String, asked: &Asked, after_starttls: bool, tls: bool) {
        let said = match asked {
            Asked::Smtp(command) => smtp_command(client, command, after_starttls, tls).say(),
            Asked::Pop3(command) => pop3_command(client, command, tls).say(),
            Asked::Imap(body) => imap_command(client, body, tls).say(),
            Asked::Unparsed(word) => match family {
                Family::Smtp | Family::Lmtp => SmtpSay::Unknown { client, word: word.clone() }.say(),
                Family::Pop3 => Pop3Say::Unknown { client, word: word.clone() }.say(),
                Family::Imap => ImapSay::Other { client, verb: word.clone() }.say(),
            },
            Asked::Greeting | Asked::SmtpAuthLine | Asked::EndOfData { .. } => return,
        };
        self.out.push(said);
    }
}

fn smtp_command(client: String, command: &SmtpCommand, again: bool, tls: bool) -> SmtpSay {
    match command {
        SmtpCommand::Ehlo { domain } => SmtpSay::Ehlo { client, domain: domain.clone(), again },
        SmtpCommand::Helo { domain } => SmtpSay::Helo { client, domain: domain.clone() },
        SmtpCommand::Lhlo { domain } => SmtpSay::Lhlo { client, domain: domain.clone() },
        SmtpCommand::StartTls => SmtpSay::StartTls { client },
        SmtpCommand::Auth { mechanism, .. } => SmtpSay::Auth { client, mechanism: mechanism.clone(), tls },
        SmtpCommand::Mail { from, .. } => SmtpSay::Mail { client, sender: from.to_string() },
        SmtpCommand::Rcpt { to, .. } => SmtpSay::Rcpt { client, recipient: to.to_string() },
        SmtpCommand::Data => SmtpSay::Data { client },
        SmtpCommand::Rset => SmtpSay::Rset { client },
        SmtpCommand::Noop { .. } => SmtpSay::Noop { client },
        SmtpCommand::Vrfy { target } => SmtpSay::Vrfy { client, target: target.clone() },
        SmtpCommand::Help { .. } => SmtpSay::Help { client },
        SmtpCommand::Quit => SmtpSay::Quit { client },
    }
}

fn pop3_command(client: String, command: &Pop3Command, tls: bool) -> Pop3Say {
    match command {
        Pop3Command::User { name } => Pop3Say::User { client, name: name.clone() },
        Pop3Command::Pass { .. } => Pop3Say::Pass { client, tls },
        Pop3Command::Apop { name, .. } => Pop3Say::Apop { client, name: name.clone() },
        Pop3Command::Auth { .. } => Pop3Say::Auth { client },
        Pop3Command::Stls => Pop3Say::Stls { client },
        Pop3Command::Capa => Pop3Say::Capa { client },
        Pop3Command::Quit => Pop3Say::Quit { client },
        Pop3Command::Stat => Pop3Say::Stat { client },
        Pop3Command::List { .. } => Pop3Say::List { client },
        Pop3Command::Retr { msg } => Pop3Say::Retr { client, msg: *msg },
        Pop3Command::Dele { msg } => Pop3Say::Dele { client, msg: *msg },
        Pop3Command::Noop => Pop3Say::Noop { client },
        Pop3Command::Rset => Pop3Say::Rset { client },
        Pop3Command::Top { msg, .. } => Pop3Say::Top { client, msg: *msg },
        Pop3Command::Uidl { .. } => Pop3Say::Uidl { client },
    }
}

fn imap_command(client: String, body: &CommandBody, tls: bool) -> ImapSay {
    match body {
        CommandBody::Capability => ImapSay::Capability { client },
        CommandBody::Noop | CommandBody::Check => ImapSay::Noop { client },
        CommandBody::Logout => ImapSay::Logout { client },
        CommandBody::StartTls => ImapSay::StartTls { client },
        CommandBody::Login { username, .. } => ImapSay::Login { client, user: username.clone(), tls },
        CommandBody::Authenticate { .. } => ImapSay::Authenticate { client },
        CommandBody::Enable(_) => ImapSay::Enable { client },
        CommandBody::Select(m) => ImapSay::Select { client, mailbox: m.clone(), read_only: false },
        CommandBody::Examine(m) => ImapSay::Select { client, mailbox: m.clone(), read_only: true },
        CommandBody::Create(_) => ImapSay::Folders { client, verb: "CREATE".into() },
        CommandBody::Delete(_) => ImapSay::Folders { client, verb: "DELETE".into() },
        CommandBody::Rename { .. } => ImapSay::Folders { client, verb: "RENAME".into() },
        CommandBody::Subscribe(_) => ImapSay::Folders { client, verb: "SUBSCRIBE".into() },
        CommandBody::Unsubscribe(_) => ImapSay::Folders { client, verb: "UNSUBSCRIBE".into() },
        CommandBody::List { .. } | CommandBody::Lsub { .. } => ImapSay::List { client },
        CommandBody::Status { mailbox, .. } => ImapSay::Status { client, mailbox: mailbox.clone() },
        CommandBody::Append { mailbox, .. } => ImapSay::Append { client, mailbox: mailbox.clone() },
        CommandBody::Idle => ImapSay::Idle { client },
        CommandBody::Close | CommandBody::Unselect => ImapSay::Close { client },
        CommandBody::Expunge(_) => ImapSay::Expunge { client },
        CommandBody::Search { .. } => ImapSay::Search { client },
        CommandBody::Fetch { attributes, .. } => ImapSay::Fetch { client, what: fetched(attributes) },
        CommandBody::Store { action, .. } => ImapSay::Store {
            client,
            flags: action.flags.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
            adding: !matches!(action.mode, StoreMode::Remove),
        },
        CommandBody::Copy { mailbox, .. } => ImapSay::Copy { client, mailbox: mailbox.clone(), moving: false },
        CommandBody::Move { mailbox, .. } => ImapSay::Copy { client, mailbox: mailbox.clone(), moving: true },
        CommandBody::Namespace => ImapSay::Other { client, verb: "NAMESPACE".into() },
        CommandBody::Id(_) => ImapSay::Other { client, verb: "ID".into() },
    }
}

/// What a FETCH asks for, in the catalog's words.
fn fetched(attributes: &[FetchAttribute]) -> String {
    let whole = attributes.iter().any(|a| matches!(a, FetchAttribute::Rfc822 | FetchAttribute::BodySection { .. } | FetchAttribute::Rfc822Text));
    let headers = attributes.iter().any(|a| matches!(a, FetchAttribute::Envelope | FetchAttribute::Rfc822Header | FetchAttribute::BodyStructure));
    crate::catalog::imap::fetch_target(whole, headers).to_owned()
}

/// The words for an event that is not a line.
fn happening(kind: &EventKind, at: u64, trace: &Trace, before: usize, cast: &Cast) -> Option<Happening> {
    let h = |name: &str| cast.host(name);
    Some(match kind {
        EventKind::Action(a) => Happening::Action { actor: a.actor.clone(), text: a.text.clone() },
        EventKind::Composed(c) => Happening::Composed {
            device: h(&c.device),
            subject: c.subject.clone(),
            from: c.from.clone(),
            to: c.to.iter().filter(|a| !c.bcc.contains(a)).cloned().collect(),
            bcc: c.bcc.clone(),
            message_id: c.message_id.clone(),
        },
        EventKind::DnsQuery(q) if q.purpose.is_some() => Happening::Auth(AuthSay::Ask {
            host: h(&q.host),
            name: q.name.clone(),
            asked: asked(q.record),
            check: check_of(q.purpose?),
        }),
        EventKind::DnsResponse(r) if r.purpose.is_some() => Happening::Auth(AuthSay::Answered {
            host: h(&r.host),
            name: r.name.clone(),
            asked: asked(r.record),
            check: check_of(r.purpose?),
            answer: match &r.answer {
                DnsAnswer::Records { records } => Answer::Records(records.clone()),
                DnsAnswer::NoData | DnsAnswer::NxDomain => Answer::Nothing,
                DnsAnswer::ServFail => Answer::ServFail,
            },
        }),
        EventKind::Signed(s) => Happening::Auth(AuthSay::Signed { host: h(&s.host), domain: s.domain.clone(), selector: s.selector.clone() }),
        EventKind::Authenticated(a) => Happening::Auth(AuthSay::Checked {
            host: h(&a.host),
            verdicts: a
                .checks
                .iter()
                .map(|c| Verdict {
                    check: check_of(c.method),
                    result: c.result.clone(),
                    domain: c.domain.clone(),
                    reason: c.reason.clone(),
                    policy: c.policy.clone(),
                })
                .collect(),
            disposition: a.disposition.clone(),
            forged: a.removed_forged,
        }),
        EventKind::DnsQuery(q) => Happening::DnsAsk { host: h(&q.host), name: q.name.clone(), mx: q.record == RecordType::MX },
        EventKind::DnsResponse(r) => {
            let (host, name, mx) = (h(&r.host), r.name.clone(), r.record == RecordType::MX);
            match &r.answer {
                DnsAnswer::Records { records } => Happening::DnsRecords { host, name, mx, records: records.clone() },
                DnsAnswer::NoData => Happening::DnsNoData { host, name, mx },
                DnsAnswer::NxDomain => Happening::DnsNxDomain { host, name },
                DnsAnswer::ServFail => Happening::DnsServFail { host, name },
            }
        }
        EventKind::Connecting(c) => Happening::Connecting { client: h(&c.client), server: h(&c.server), address: c.address.clone(), port: c.port },
        EventKind::ConnectFailed(c) => Happening::ConnectFailed { client: h(&c.client), server: h(&c.server), port: c.port, reason: c.reason.clone() },
        EventKind::Connected(c) => Happening::Connected { client: h(&c.client), server: h(&c.server), port: c.port },
        EventKind::TlsStarted { connection } | EventKind::Closed { connection } => {
            let (client, server) = ends_of(trace, before, *connection, cast)?;
            if matches!(kind, EventKind::Closed { .. }) {
                Happening::Closed { client, server }
            } else {
                Happening::TlsStarted { client, server }
            }
        }
        EventKind::Queued(q) => Happening::Queued { host: h(&q.host), queue_id: q.queue_id.clone() },
        EventKind::Deferred(d) => Happening::Deferred {
            host: h(&d.host),
            recipients: d.recipients.clone(),
            reason: d.reason.clone(),
            retry: format_time(d.retry_at),
            wait: duration(d.retry_at.as_millis().saturating_sub(at)),
        },
        EventKind::Retry(r) => Happening::Retry { host: h(&r.host), queue_id: r.queue_id.clone(), attempt: r.attempt },
        EventKind::Relayed(r) => Happening::Relayed { host: h(&r.host), recipients: r.recipients.clone(), to_host: h(&r.to_host) },
        EventKind::Power { host, up: false } => Happening::PowerOff { host: h(host) },
        EventKind::Power { host, up: true } => Happening::PowerOn { host: h(host) },
        EventKind::MailboxRemoved(m) => Happening::MailboxRemoved { host: h(&m.host), user: m.user.clone(), letters: m.message_ids.len() },
        EventKind::Delivered(d) => Happening::Delivered { host: h(&d.host), user: d.user.clone(), folder: d.folder.clone() },
        EventKind::Bounced(b) => Happening::Bounced { host: h(&b.host), recipients: b.recipients.clone(), reason: b.reason.clone() },
        EventKind::DelayWarning(w) => Happening::DelayWarning { host: h(&w.host), recipients: w.recipients.clone() },
        EventKind::Removed(r) => Happening::Removed { host: h(&r.host), queue_id: r.queue_id.clone() },
        EventKind::NotSent(n) => Happening::NotSent { device: h(&n.device), recipients: n.recipients.clone(), reason: n.reason.clone() },
        EventKind::Fetched(f) if f.service == Service::Imap => Happening::FetchedImap { device: h(&f.device), user: f.user.clone(), shown: f.mailbox.len() },
        EventKind::Fetched(f) => Happening::FetchedPop3 {
            device: h(&f.device),
            user: f.user.clone(),
            downloaded: f.message_ids.len(),
            on_server: f.on_server,
            deleted: f.deleted,
        },
        EventKind::FetchFailed(f) => Happening::FetchFailed { device: h(&f.device), user: f.user.clone(), reason: f.reason.clone() },
        EventKind::Halted(halted) => Happening::Halted {
            limit: said_limit(halted.limit),
            queued: halted.queued,
            next: halted.next.map(format_time),
        },
        EventKind::Line { .. } | EventKind::Explain(_) => return None,
    })
}

fn asked(record: RecordType) -> DnsAsked {
    match record {
        RecordType::A => DnsAsked::A,
        RecordType::MX => DnsAsked::Mx,
        RecordType::TXT => DnsAsked::Txt,
        RecordType::PTR => DnsAsked::Ptr,
    }
}

fn check_of(method: CheckMethod) -> Check {
    match method {
        CheckMethod::Spf => Check::Spf,
        CheckMethod::Dkim => Check::Dkim,
        CheckMethod::Dmarc => Check::Dmarc,
    }
}

/// A run's limit in the catalog's terms.
pub fn said_limit(limit: Limit) -> SaidLimit {
    match limit {
        Limit::Events(n) => SaidLimit::Events(n),
        Limit::LineBytes(n) => SaidLimit::LineBytes(n),
    }
}

/// The two ends of a connection, from where it opened (searched back from `before`).
fn ends_of(trace: &Trace, before: usize, connection: u32, cast: &Cast) -> Option<(String, String)> {
    opening(&trace.events[..before], connection).map(|(_, open)| (cast.host(&open.client), cast.host(&open.server)))
}

#[cfg(test)]
mod tests;
