//! What an event says, for every kind but the frequent small ones (`Line`, `TlsStarted`,
//! `Closed`, `Power`): boxed in [`EventKind`](super::EventKind), so that an event costs no more
//! than a line, which most of them are. Serialised as if the fields were the event's own.

use serde::{Deserialize, Serialize};
use crate::engine::scenario::Service;

use super::{CheckMethod, ConnectionId, DnsAnswer, MailboxEntry, RecordType};
use crate::engine::time::VirtualTime;

/// A person does something: the start of one of the scenario's actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub actor: String,
    pub text: String,
}

/// A message written on a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composed {
    pub device: String,
    pub message_id: String,
    pub from: String,
    /// Every recipient the envelope will name: To, Cc and Bcc.
    pub to: Vec<String>,
    /// Those of `to` that are blind copies, named in no header (RFC 5322 3.6.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsQuery {
    pub host: String,
    pub name: String,
    pub record: RecordType,
    /// The check the question is for, when a receiving MX asks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<CheckMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsResponse {
    pub host: String,
    pub name: String,
    pub record: RecordType,
    pub answer: DnsAnswer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<CheckMethod>,
}

/// A submission server signed a letter with DKIM (RFC 6376).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub host: String,
    pub message_id: String,
    /// `d=` and `s=`: the key is at `<selector>._domainkey.<domain>`.
    pub domain: String,
    pub selector: String,
}

/// One check's verdict, as the `Authentication-Results:` field writes it (RFC 8601).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCheck {
    pub method: CheckMethod,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`.
    pub result: String,
    /// The domain checked: the envelope's (SPF), the signature's `d=` (DKIM), the From
    /// field's (DMARC).
    pub domain: String,
    /// What decided it: the SPF term that matched, why a signature failed, what aligned.
    pub reason: String,
    /// DMARC only: the policy the domain publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// An MX checked who really sent a letter, before it answered the final dot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticated {
    pub host: String,
    pub message_id: String,
    pub checks: Vec<AuthCheck>,
    /// What the MX does with it: `none` (deliver), `quarantine` (into Junk), `reject`.
    pub disposition: String,
    /// `Authentication-Results:` fields in the MX's own name that came with the letter and
    /// were removed (RFC 8601 5): a forged verdict.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub removed_forged: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A client starts to connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connecting {
    pub client: String,
    pub server: String,
    pub address: String,
    pub port: u16,
}

/// The connection could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectFailed {
    pub client: String,
    pub server: String,
    pub address: String,
    pub port: u16,
    pub reason: String,
}

/// A TCP connection is up; the lines that follow carry its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connected {
    pub connection: ConnectionId,
    pub client: String,
    pub client_port: u16,
    pub server: String,
    pub port: u16,
    /// The service the client asked for, written as its name (`"submission"`).
    pub protocol: Service,
    /// The Message-ID of the letter the client carries, when it sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrying: Option<String>,
}

/// A server took responsibility for a message (the `250` after the dot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub host: String,
    pub queue_id: String,
    pub message_id: String,
    pub from: String,
    pub to: Vec<String>,
}

/// Delivery to these recipients failed for now; the message waits in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deferred {
    pub host: String,
    pub queue_id: String,
    pub recipients: Vec<String>,
    pub reason: String,
    pub retry_at: VirtualTime,
}

/// A queued message is tried again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retry {
    pub host: String,
    pub queue_id: String,
    pub attempt: u32,
}

/// These recipients are done at this host: handed to the next host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relayed {
    pub host: String,
    pub queue_id: String,
    pub recipients: Vec<String>,
    pub to_host: String,
}

/// Messages left a user's mailbox: deleted by a POP3 QUIT or an IMAP EXPUNGE, or moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxRemoved {
    pub host: String,
    pub user: String,
    pub message_ids: Vec<String>,
}

/// The message is in the user's mailbox, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    pub host: String,
    pub user: String,
    pub folder: String,
    pub message_id: String,
    pub message: String,
}

/// The message could not be delivered to these recipients; the sender gets a DSN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounced {
    pub host: String,
    pub queue_id: String,
    pub recipients: Vec<String>,
    pub reason: String,
}

/// The sender is told the message is late, still being retried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelayWarning {
    pub host: String,
    pub queue_id: String,
    pub recipients: Vec<String>,
}

/// The queue is done with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub host: String,
    pub queue_id: String,
}

/// The mail client could not hand the message over for these recipients (all of them,
/// when the server refused the login or the connection failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotSent {
    pub device: String,
    pub message_id: String,
    pub recipients: Vec<String>,
    pub reason: String,
}

/// A mail client fetched a mailbox: what it downloaded (by Message-ID), how many messages
/// were on the server when it logged in, and how many it deleted there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fetched {
    pub device: String,
    pub user: String,
    /// POP3 or IMAP.
    pub service: Service,
    pub message_ids: Vec<String>,
    pub on_server: usize,
    pub deleted: usize,
    /// IMAP: the mailbox as the device sees it after the session, flags and all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mailbox: Vec<MailboxEntry>,
}

/// A mail client could not fetch the mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchFailed {
    pub device: String,
    pub user: String,
    pub reason: String,
}

/// A rule of the protocols just applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explain {
    pub connection: Option<ConnectionId>,
    pub rfc: String,
    pub text: String,
}

/// The simulation stopped before its end: it reached the budget of what one run may make
/// (`world::budget`). The events before this one are all that ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Halted {
    pub limit: Limit,
    /// Messages still waiting in the queues, never delivered or bounced.
    pub queued: usize,
    /// When the next task would have run.
    pub next: Option<VirtualTime>,
}

/// Which limit of the budget was reached, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Limit {
    /// More events than this.
    Events(usize),
    /// More bytes of line text than this.
    LineBytes(usize),
}
