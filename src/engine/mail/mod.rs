//! Messages (RFC 5322), envelopes, delivery status notifications (RFC 3464).
//!
//! Everything here is a pure function of its inputs: no clock, no randomness, no host name
//! lookup (invariant 2 of ARCHITECTURE.md). Messages are bytes with CRLF line endings and lines of at most
//! 998 octets (RFC 5322 2.1.1); [`Message::check_lines`] checks exactly that.

pub mod address;
pub mod date;
pub mod draft;
pub mod dsn;
pub mod encoded_word;
pub mod header;
pub mod message;
pub mod multipart;
pub mod queue;
pub mod store;
pub mod trace_headers;
pub mod transfer_encoding;

pub use address::{AddressError, Mailbox};
pub use date::DateTime;
pub use draft::{Attachment, ComposeError, Draft};
pub use dsn::{
    Action, DeliveryReport, DiagnosticCode, DsnError, OriginalMessage, RecipientStatus, ReportKind,
    Ret,
};
pub use header::HeaderField;
pub use message::{LineError, Message};
pub use queue::{Diagnosis, MessageKind, Queue, QueueEntry, RecipientState, RetrySchedule};
pub use crate::engine::smtp::status::{Status, StatusClass};
pub use store::{MailStore, StoredMessage};
pub use trace_headers::{return_path_field, Received, TraceError};
pub use transfer_encoding::TransferEncoding;
