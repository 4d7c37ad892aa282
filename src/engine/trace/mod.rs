//! The trace: everything that happened in a simulation, in order, stamped with virtual time.
//! It is the only door between the engine and the UI (DESIGN invariant 4) and what tests
//! compare. Serialisable, so that a trace computed natively and one computed in wasm can be
//! compared byte for byte.

mod transcript;

use serde::{Deserialize, Serialize};

use crate::engine::world::clock::VirtualTime;

pub use transcript::{format_time, transcript, transcript_line};

/// A connection, numbered from 1 in the order they were opened.
pub type ConnectionId = u32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The scenario's name.
    pub scenario: String,
    pub events: Vec<Event>,
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
    Action { actor: String, text: String },
    /// A message written on a device.
    Composed { device: String, message_id: String, from: String, to: Vec<String>, subject: String },
    DnsQuery { host: String, name: String, record: RecordType },
    DnsResponse { host: String, name: String, record: RecordType, answer: DnsAnswer },
    /// A client starts to connect.
    Connecting { client: String, server: String, address: String, port: u16 },
    /// The connection could not be made.
    ConnectFailed { client: String, server: String, address: String, port: u16, reason: String },
    /// A TCP connection is up; the lines that follow carry its id.
    Connected {
        connection: ConnectionId,
        client: String,
        client_port: u16,
        server: String,
        port: u16,
        protocol: String,
        /// The Message-ID of the letter the client carries, when it sends one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        carrying: Option<String>,
    },
    /// One line exactly as sent, without its CRLF.
    Line { connection: ConnectionId, direction: Direction, text: String, tls: bool },
    /// From here on the connection is inside TLS: an eavesdropper sees only ciphertext.
    TlsStarted { connection: ConnectionId },
    Closed { connection: ConnectionId },
    /// A server took responsibility for a message (the `250` after the dot).
    Queued { host: String, queue_id: String, message_id: String, from: String, to: Vec<String> },
    /// Delivery to these recipients failed for now; the message waits in the queue.
    Deferred { host: String, queue_id: String, recipients: Vec<String>, reason: String, retry_at: VirtualTime },
    /// A queued message is tried again.
    Retry { host: String, queue_id: String, attempt: u32 },
    /// These recipients are done at this host: handed to the next host.
    Relayed { host: String, queue_id: String, recipients: Vec<String>, to_host: String },
    /// A host is switched off (`up: false`) or on again, as the scenario's faults say.
    Power { host: String, up: bool },
    /// Messages left a user's mailbox: deleted by a POP3 QUIT or an IMAP EXPUNGE, or moved.
    MailboxRemoved { host: String, user: String, message_ids: Vec<String> },
    /// The message is in the user's mailbox, as stored.
    Delivered { host: String, user: String, folder: String, message_id: String, message: String },
    /// The message could not be delivered to these recipients; the sender gets a DSN.
    Bounced { host: String, queue_id: String, recipients: Vec<String>, reason: String },
    /// The sender is told the message is late, still being retried.
    DelayWarning { host: String, queue_id: String, recipients: Vec<String> },
    /// The queue is done with a message.
    Removed { host: String, queue_id: String },
    /// The mail client could not hand the message over for these recipients (all of them,
    /// when the server refused the login or the connection failed).
    NotSent { device: String, message_id: String, recipients: Vec<String>, reason: String },
    /// A mail client fetched a mailbox: what it downloaded (by Message-ID), how many messages
    /// were on the server when it logged in, and how many it deleted there.
    Fetched {
        device: String,
        user: String,
        service: String,
        message_ids: Vec<String>,
        on_server: usize,
        deleted: usize,
        /// IMAP: the mailbox as the device sees it after the session, flags and all.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mailbox: Vec<MailboxEntry>,
    },
    /// A mail client could not fetch the mailbox.
    FetchFailed { device: String, user: String, reason: String },
    /// A rule of the protocols just applied.
    Explain { connection: Option<ConnectionId>, rfc: String, text: String },
}
