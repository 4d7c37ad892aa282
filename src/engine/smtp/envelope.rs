//! The envelope: what MAIL FROM and RCPT TO carry, apart from the message itself (RFC 5321
//! 2.3.1), including the delivery-status-notification requests of RFC 3461.

use super::address::{Mailbox, ReversePath};

/// RFC 3461 4.1 `NOTIFY=`: when the sender wants a DSN for this recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notify {
    /// `NOTIFY=NEVER`: no DSN at all, not even on failure.
    Never,
    /// Any non-empty combination of SUCCESS, FAILURE, DELAY.
    On {
        success: bool,
        failure: bool,
        delay: bool,
    },
}

/// RFC 3461 4.3 `RET=`: return the full message or only its header section in a DSN. The
/// same value travels in the envelope and decides the third part of the report
/// (`mail::dsn::Ret` names it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Ret {
    /// `RET=FULL`: the whole message.
    Full,
    /// `RET=HDRS`, and the default when the client said nothing (RFC 3461 4.3 leaves that
    /// to the MTA): the header section only, which is what Postfix returns unless asked.
    #[default]
    Hdrs,
}

/// One accepted `RCPT TO`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: Mailbox,
    pub notify: Option<Notify>,
    /// RFC 3461 4.2 `ORCPT=`, xtext-decoded, with its address type: `rfc822;bob@southbay.test`.
    pub orcpt: Option<String>,
}

impl Recipient {
    /// A recipient without DSN parameters.
    pub fn new(address: Mailbox) -> Self {
        Recipient {
            address,
            notify: None,
            orcpt: None,
        }
    }
}

/// Everything about a letter's transport that is not inside the letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub reverse_path: ReversePath,
    pub recipients: Vec<Recipient>,
    pub ret: Option<Ret>,
    /// RFC 3461 4.4 `ENVID=`, xtext-decoded.
    pub envid: Option<String>,
    /// RFC 1870 `SIZE=` as declared by the client (a hint; the real size is the message's).
    pub size: Option<u64>,
    /// RFC 6152 `BODY=8BITMIME`: the body may hold octets above 127.
    pub body_8bit: bool,
}

impl Envelope {
    /// An envelope with no DSN requests and no size declared.
    pub fn new(reverse_path: ReversePath, recipients: Vec<Recipient>) -> Self {
        Envelope {
            reverse_path,
            recipients,
            ret: None,
            envid: None,
            size: None,
            body_8bit: false,
        }
    }
}
