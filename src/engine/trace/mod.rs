//! The trace: everything that happened in a simulation, in order, stamped with virtual time.
//! It is the only door between the engine and the UI (invariant 4 of ARCHITECTURE.md) and what tests
//! compare. Serialisable, so that a trace computed natively and one computed in wasm can be
//! compared byte for byte.

pub mod details;
mod transcript;

use serde::{Deserialize, Serialize};

use crate::engine::time::VirtualTime;

pub use transcript::{format_time, transcript, transcript_line};

/// A connection, numbered from 1 in the order they were opened.
pub type ConnectionId = u32;

/// The version of a trace's JSON form (`mailflow-lab trace --json`). A file without one is
/// version 1, the first. A field added later comes with a default, so that older files
/// still read; a change they could not follow raises the number, and [`Trace::from_json`]
/// then refuses a file newer than it knows, saying which version it reads.
pub const TRACE_FORMAT_VERSION: u32 = 1;

fn first_version() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    #[serde(default = "first_version")]
    pub version: u32,
    /// The scenario's name.
    pub scenario: String,
    pub events: Vec<Event>,
}

impl Trace {
    pub fn new(scenario: impl Into<String>, events: Vec<Event>) -> Trace {
        Trace { version: TRACE_FORMAT_VERSION, scenario: scenario.into(), events }
    }

    /// A trace written as JSON, of this version or an older one.
    pub fn from_json(text: &str) -> Result<Trace, String> {
        let trace: Trace = serde_json::from_str(text).map_err(|e| format!("not a trace: {e}"))?;
        if trace.version > TRACE_FORMAT_VERSION {
            return Err(format!(
                "this Mailflow reads trace format version {TRACE_FORMAT_VERSION}, the file says {}",
                trace.version
            ));
        }
        Ok(trace)
    }

    /// How the run stopped at its budget, if it did: then it is the last event.
    pub fn halted(&self) -> Option<&details::Halted> {
        match &self.events.last()?.kind {
            EventKind::Halted(halted) => Some(halted),
            _ => None,
        }
    }
}

/// Where `connection` opened among `events`, searched back from their end: what a step needs
/// of a connection costs the connection's length, not the trace's.
pub fn opening(events: &[Event], connection: ConnectionId) -> Option<(usize, &details::Connected)> {
    events.iter().enumerate().rev().find_map(|(i, e)| match &e.kind {
        EventKind::Connected(open) if open.connection == connection => Some((i, &**open)),
        _ => None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: VirtualTime,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// One message as an IMAP device sees it in a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEntry {
    pub uid: u32,
    /// `\Seen`, `\Flagged`, ... as the server reported them.
    pub flags: Vec<String>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
}

/// Which way a line travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// From the client to the server (`C:`).
    #[serde(rename = "C")]
    ClientToServer,
    /// From the server to the client (`S:`).
    #[serde(rename = "S")]
    ServerToClient,
}

/// A DNS record type the simulator asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordType {
    A,
    MX,
    /// Text: SPF records, DKIM keys, DMARC policies.
    TXT,
    /// The name of an address (`in-addr.arpa`), for SPF's `ptr`.
    PTR,
}

/// A check of who sent a letter: what a DNS question is for, and what an
/// `Authentication-Results:` line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckMethod {
    Spf,
    Dkim,
    Dmarc,
}

impl CheckMethod {
    pub fn name(self) -> &'static str {
        match self {
            CheckMethod::Spf => "spf",
            CheckMethod::Dkim => "dkim",
            CheckMethod::Dmarc => "dmarc",
        }
    }
}

/// What the DNS said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rcode", rename_all = "kebab-case")]
pub enum DnsAnswer {
    /// Records found: `MX 10 mx.southbay.test` or `198.51.100.25`, as presentation text.
    Records { records: Vec<String> },
    /// The name exists but has no record of that type (NOERROR, empty answer).
    NoData,
    /// The name does not exist (RFC 1035 4.1.1 RCODE 3).
    NxDomain,
    /// The server could not answer (RCODE 2): try again later.
    ServFail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// A person does something: the start of one of the scenario's actions.
    Action(Box<details::Action>),
    /// A message written on a device.
    Composed(Box<details::Composed>),
    DnsQuery(Box<details::DnsQuery>),
    DnsResponse(Box<details::DnsResponse>),
    /// A client starts to connect.
    Connecting(Box<details::Connecting>),
    /// The connection could not be made.
    ConnectFailed(Box<details::ConnectFailed>),
    /// A TCP connection is up; the lines that follow carry its id.
    Connected(Box<details::Connected>),
    /// One line exactly as sent, without its CRLF.
    Line { connection: ConnectionId, direction: Direction, text: String, tls: bool },
    /// From here on the connection is inside TLS: an eavesdropper sees only ciphertext.
    TlsStarted { connection: ConnectionId },
    Closed { connection: ConnectionId },
    /// A submission server signed a letter (DKIM).
    Signed(Box<details::Signed>),
    /// An MX checked SPF, DKIM and DMARC for a letter.
    Authenticated(Box<details::Authenticated>),
    /// A server took responsibility for a message (the `250` after the dot).
    Queued(Box<details::Queued>),
    /// Delivery to these recipients failed for now; the message waits in the queue.
    Deferred(Box<details::Deferred>),
    /// A queued message is tried again.
    Retry(Box<details::Retry>),
    /// These recipients are done at this host: handed to the next host.
    Relayed(Box<details::Relayed>),
    /// A host is switched off (`up: false`) or on again, as the scenario's faults say.
    Power { host: String, up: bool },
    /// Messages left a user's mailbox: deleted by a POP3 QUIT or an IMAP EXPUNGE, or moved.
    MailboxRemoved(Box<details::MailboxRemoved>),
    /// The message is in the user's mailbox, as stored.
    Delivered(Box<details::Delivered>),
    /// The message could not be delivered to these recipients; the sender gets a DSN.
    Bounced(Box<details::Bounced>),
    /// The sender is told the message is late, still being retried.
    DelayWarning(Box<details::DelayWarning>),
    /// The queue is done with a message.
    Removed(Box<details::Removed>),
    /// The mail client could not hand the message over for these recipients (all of them,
    /// when the server refused the login or the connection failed).
    NotSent(Box<details::NotSent>),
    /// A mail client fetched a mailbox: what it downloaded (by Message-ID), how many messages
    /// were on the server when it logged in, and how many it deleted there.
    Fetched(Box<details::Fetched>),
    /// A mail client could not fetch the mailbox.
    FetchFailed(Box<details::FetchFailed>),
    /// A rule of the protocols just applied.
    Explain(Box<details::Explain>),
    /// The run stopped at its budget: nothing after this was simulated.
    Halted(Box<details::Halted>),
}

#[cfg(test)]
mod version_tests {
    use super::*;

    /// A trace file from before the version field reads as version 1; one from a newer
    /// Mailflow is refused with the versions named, not misread.
    #[test]
    fn old_traces_read_and_newer_ones_are_refused() {
        let event = Event { at: VirtualTime::ZERO, kind: EventKind::TlsStarted { connection: 1 } };
        let mut old = serde_json::to_value(Trace::new("first-letter", vec![event])).unwrap();
        old.as_object_mut().map(|o| o.remove("version"));
        let trace = Trace::from_json(&old.to_string()).expect("an old trace reads");
        assert_eq!((trace.version, trace.events.len()), (1, 1));
        let written = serde_json::to_string(&Trace::new("t", Vec::new())).unwrap();
        assert!(written.starts_with(r#"{"version":1,"#), "{written}");
        let newer = r#"{"version":2,"scenario":"t","events":[]}"#;
        assert_eq!(
            Trace::from_json(newer).unwrap_err(),
            "this Mailflow reads trace format version 1, the file says 2"
        );
        assert!(Trace::from_json("[]").unwrap_err().starts_with("not a trace"));
    }
}
