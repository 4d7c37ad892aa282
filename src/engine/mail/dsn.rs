//! Delivery status notifications (RFC 3464): the bounce and the delay warning that the
//! reporting MTA sends back to the envelope sender, as a multipart/report (RFC 6522) of
//! three parts: words for a person, fields for a program, and the original message or
//! its header section.
//!
//! The report goes out with the null reverse path, `MAIL FROM:<>` (RFC 5321 4.5.5), so that
//! a failure to deliver it can never cause another report; that is the caller's part.

use std::fmt;

use super::address::check_address;
use super::date::rfc5322_date;
use super::draft::{message_id_field_value, ComposeError};
use super::header::{fold_field, has_control, FieldTooLong};
use super::message::{check_lines, LineError, Message};
use super::multipart::{choose_boundary, write_multipart, BodyPart};
use crate::engine::smtp::status::{Status, StatusClass};
use crate::engine::time::VirtualTime;

/// RFC 3461 4.3 `RET`: how much of the original to return; the envelope's own value.
pub use crate::engine::smtp::envelope::Ret;

/// RFC 3464 2.3.3: what happened to one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Could not be delivered and will not be retried.
    Failed,
    /// Not delivered yet; the MTA keeps trying.
    Delayed,
    Delivered,
    /// Handed to a system that does not send DSNs.
    Relayed,
    /// Delivered to a list or alias that expanded to more recipients.
    Expanded,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Failed => "failed",
            Action::Delayed => "delayed",
            Action::Delivered => "delivered",
            Action::Relayed => "relayed",
            Action::Expanded => "expanded",
        }
    }

    /// The status class this model pairs with an action (the classes are RFC 3464 2.3.4's;
    /// RFC 3464 2.3.3 notes that a failed action may also carry a 4.x.x status).
    fn status_class(self) -> StatusClass {
        match self {
            Action::Failed => StatusClass::PermanentFailure,
            Action::Delayed => StatusClass::TransientFailure,
            Action::Delivered | Action::Relayed | Action::Expanded => StatusClass::Success,
        }
    }
}

/// RFC 3464 2.3.6 `Diagnostic-Code`: the type says how to read the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticCode {
    /// `smtp` for a reply from a remote server, `X-Mailflow` for what the MTA saw itself
    /// (a refused connection, a timeout), as Postfix uses `X-Postfix`.
    pub diagnostic_type: String,
    pub text: String,
}

impl DiagnosticCode {
    /// A reply line of the remote server, such as
    /// `550 5.1.1 <bob@southbay.test>: Recipient address rejected: User unknown`.
    pub fn smtp(reply: impl Into<String>) -> DiagnosticCode {
        DiagnosticCode {
            diagnostic_type: "smtp".into(),
            text: reply.into(),
        }
    }

    /// A local observation, such as `connect to mx.southbay.test[192.0.2.20]:25: Connection refused`.
    pub fn local(text: impl Into<String>) -> DiagnosticCode {
        DiagnosticCode {
            diagnostic_type: "X-Mailflow".into(),
            text: text.into(),
        }
    }
}

/// The message being reported on, as the queue holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalMessage {
    pub message: Message,
    /// The MAIL FROM address, where the report goes; `None` for the null reverse path.
    pub envelope_sender: Option<String>,
    pub arrival: VirtualTime,
    /// RFC 3461 4.4 `ENVID`, returned as Original-Envelope-Id.
    pub envid: Option<String>,
    pub ret: Ret,
    /// The reporting MTA's queue id, written as `X-Mailflow-Queue-ID`.
    pub queue_id: Option<String>,
}

/// RFC 3464 2.3: the per-recipient fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientStatus {
    pub final_recipient: String,
    /// The RFC 3461 4.2 `ORCPT` address, when the client gave one.
    pub original_recipient: Option<String>,
    pub action: Action,
    pub status: Status,
    pub remote_mta: Option<String>,
    pub diagnostic: Option<DiagnosticCode>,
    /// The recipient's line in the part for a person, as Postfix's bounce writes it:
    /// `host mx.southbay.test[198.51.100.25] said: 550 5.1.1 ... (in reply to RCPT TO
    /// command)`. Without it, the diagnostic stands there.
    pub explanation: Option<String>,
    pub last_attempt: Option<VirtualTime>,
    /// Written only for [`Action::Delayed`] (RFC 3464 2.3.9).
    pub will_retry_until: Option<VirtualTime>,
}

/// A report to compose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The host writing the report; also `MAILER-DAEMON@` this host.
    pub reporting_mta: String,
    /// The report's own Message-ID, unique and deterministic like any other.
    pub message_id: String,
    pub date: VirtualTime,
    pub original: OriginalMessage,
    pub recipients: Vec<RecipientStatus>,
}

/// Which Postfix-style notice a report is; decides the subject and the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Failure,
    Delay,
    Success,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DsnError {
    NoRecipients,
    /// The original had the null reverse path: it was itself a report, and reporting on a
    /// report could loop (RFC 3461 5.2, RFC 5321 6.1). Send a double bounce to postmaster
    /// with [`DeliveryReport::compose_to`] instead.
    NullReversePath,
    /// The status does not go with the action: here failed takes 5.x.x, delayed 4.x.x, the
    /// others 2.x.x (a rule of this model; RFC 3464 2.3.3 would also allow failed with 4.x.x).
    ActionStatusMismatch {
        recipient: String,
        action: Action,
        status: Status,
    },
    InvalidAddress(String),
    /// Control characters or non-ASCII in a field that must be ASCII text.
    InvalidText {
        field: &'static str,
        value: String,
    },
    Compose(ComposeError),
    FieldTooLong(FieldTooLong),
    Lines(LineError),
}

impl fmt::Display for DsnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DsnError::NoRecipients => write!(f, "a delivery report needs at least one recipient"),
            DsnError::NullReversePath => {
                write!(
                    f,
                    "the original had a null reverse path: no report goes back to it"
                )
            }
            DsnError::ActionStatusMismatch {
                recipient,
                action,
                status,
            } => write!(
                f,
                "action {} cannot have status {status} (recipient {recipient})",
                action.as_str()
            ),
            DsnError::InvalidAddress(a) => write!(f, "not a mailbox address: {a:?}"),
            DsnError::InvalidText { field, value } => {
                write!(f, "{field} must be printable ASCII on one line: {value:?}")
            }
            DsnError::Compose(e) => e.fmt(f),
            DsnError::FieldTooLong(e) => e.fmt(f),
            DsnError::Lines(e) => write!(f, "report breaks a line rule: {e}"),
        }
    }
}

impl std::error::Error for DsnError {}

impl From<FieldTooLong> for DsnError {
    fn from(e: FieldTooLong) -> Self {
        DsnError::FieldTooLong(e)
    }
}

fn ascii_text<'a>(field: &'static str, value: &'a str) -> Result<&'a str, DsnError> {
    if value.is_ascii() && !has_control(value) {
        Ok(value)
    } else {
        Err(DsnError::InvalidText {
            field,
            value: value.to_string(),
        })
    }
}

fn address(value: &str) -> Result<&str, DsnError> {
    check_address(value).map_err(|_| DsnError::InvalidAddress(value.to_string()))?;
    Ok(value)
}

/// Words wrapped at 72 columns, continuation lines indented by four spaces, as Postfix
/// lays out its per-recipient explanations.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.trim().is_empty() && line.len() + 1 + word.len() > 72 {
            out.push_str(&line);
            out.push_str("\r\n");
            line = String::from("   ");
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push_str("\r\n");
    out
}

impl DeliveryReport {
    pub fn kind(&self) -> ReportKind {
        let any = |a: Action| self.recipients.iter().any(|r| r.action == a);
        if any(Action::Failed) {
            ReportKind::Failure
        } else if any(Action::Delayed) {
            ReportKind::Delay
        } else {
            ReportKind::Success
        }
    }

    /// The subjects Postfix uses, so that a teacher comparing the two sees the same words.
    pub fn subject(&self) -> &'static str {
        match self.kind() {
            ReportKind::Failure => "Undelivered Mail Returned to Sender",
            ReportKind::Delay => "Delayed Mail (still being retried)",
            ReportKind::Success => "Successful Mail Delivery Report",
        }
    }

    /// The report, addressed to the original's envelope sender.
    pub fn compose(&self) -> Result<Message, DsnError> {
        match &self.original.envelope_sender {
            Some(sender) => self.compose_to(sender),
            None => Err(DsnError::NullReversePath),
        }
    }

    /// The report, addressed to `to` (the envelope sender, or postmaster for a double bounce).
    pub fn compose_to(&self, to: &str) -> Result<Message, DsnError> {
        if self.recipients.is_empty() {
            return Err(DsnError::NoRecipients);
        }
        let mta = ascii_text("Reporting-MTA", &self.reporting_mta)?;
        address(&format!("MAILER-DAEMON@{mta}"))?;
        let to = address(to)?;
        let message_id = message_id_field_value(&self.message_id).map_err(DsnError::Compose)?;
        let kind = self.kind();

        let notification = BodyPart {
            header: "Content-Description: Notification\r\n\
                     Content-Type: text/plain; charset=us-ascii\r\n"
                .into(),
            content: self.notification(kind)?.into_bytes(),
        };
        let report = BodyPart {
            header: "Content-Description: Delivery report\r\n\
                     Content-Type: message/delivery-status\r\n"
                .into(),
            content: self.delivery_status()?.into_bytes(),
        };
        let original = self.returned_part(kind);
        let eight_bit = !original.content.is_ascii();
        let parts = [notification, report, original];

        let contents: Vec<&[u8]> = parts.iter().map(|p| p.content.as_slice()).collect();
        let boundary = choose_boundary(&message_id, &contents);
        let mut head = String::new();
        head.push_str(&fold_field("Date", &rfc5322_date(self.date))?);
        head.push_str(&fold_field(
            "From",
            &format!("Mail Delivery System <MAILER-DAEMON@{mta}>"),
        )?);
        head.push_str(&fold_field("To", to)?);
        head.push_str(&fold_field("Subject", self.subject())?);
        head.push_str(&fold_field("Message-ID", &message_id)?);
        // RFC 3834 5: marks the report as automatic, so that vacation responders stay quiet.
        head.push_str("Auto-Submitted: auto-replied\r\n");
        head.push_str("MIME-Version: 1.0\r\n");
        head.push_str(&fold_field(
            "Content-Type",
            &format!("multipart/report; report-type=delivery-status; boundary=\"{boundary}\""),
        )?);
        let encoding = if eight_bit { "8bit" } else { "7bit" };
        head.push_str(&format!("Content-Transfer-Encoding: {encoding}\r\n\r\n"));

        let mut bytes = head.into_bytes();
        write_multipart(
            &mut bytes,
            &boundary,
            "This is a MIME-encapsulated message.\r\n",
            &parts,
        );
        check_lines(&bytes).map_err(DsnError::Lines)?;
        Ok(Message::from_bytes(bytes))
    }

    /// Part 1, for a person (RFC 3464 2: "human-readable explanation").
    fn notification(&self, kind: ReportKind) -> Result<String, DsnError> {
        let mut text = format!(
            "This is the mail system at host {}.\r\n\r\n",
            self.reporting_mta
        );
        let attached = match self.original.ret {
            Ret::Hdrs => "The header section of your message is attached.",
            Ret::Full => "Your message is attached.",
        };
        match kind {
            ReportKind::Failure => {
                text.push_str("Your message could not be delivered to one or more of its\r\n");
                text.push_str("recipients, and the mail system has stopped trying. The reason\r\n");
                text.push_str("for each recipient is given below.\r\n\r\n");
            }
            ReportKind::Delay => {
                text.push_str("This is a warning only: you do not need to send your message\r\n");
                text.push_str(
                    "again. It has not reached the recipients below yet, and the mail\r\n",
                );
                text.push_str("system keeps trying.\r\n\r\n");
            }
            ReportKind::Success => {
                text.push_str("Your message was delivered to the recipients below, as you\r\n");
                text.push_str("asked to be told.\r\n\r\n");
            }
        }
        text.push_str(attached);
        text.push_str("\r\nIf you need help, forward this report to your postmaster.\r\n");
        text.push_str("\r\n                   The mail system\r\n");
        for r in &self.recipients {
            let rcpt = address(&r.final_recipient)?;
            let reason = match (&r.diagnostic, &r.remote_mta) {
                _ if r.explanation.is_some() => ascii_text("explanation", r.explanation.as_deref().unwrap_or_default())?.to_string(),
                (Some(d), Some(host)) if d.diagnostic_type == "smtp" => {
                    format!(
                        "host {host} said: {}",
                        ascii_text("Diagnostic-Code", &d.text)?
                    )
                }
                (Some(d), _) => ascii_text("Diagnostic-Code", &d.text)?.to_string(),
                (None, _) => format!("{} (status {})", r.action.as_str(), r.status),
            };
            let until = match (r.action, r.will_retry_until) {
                (Action::Delayed, Some(t)) => format!("; still trying until {}.", rfc5322_date(t)),
                _ => String::new(),
            };
            text.push_str("\r\n");
            text.push_str(&wrap(&format!("<{rcpt}>: {reason}{until}")));
        }
        Ok(text)
    }

    /// Part 2, for programs: the message/delivery-status fields (RFC 3464 2.2, 2.3), in the
    /// order of the RFC's grammar.
    fn delivery_status(&self) -> Result<String, DsnError> {
        let original = &self.original;
        let mut out = String::new();
        if let Some(envid) = &original.envid {
            out.push_str(&fold_field(
                "Original-Envelope-Id",
                ascii_text("ENVID", envid)?,
            )?);
        }
        out.push_str(&fold_field(
            "Reporting-MTA",
            &format!("dns; {}", self.reporting_mta),
        )?);
        out.push_str(&fold_field(
            "Arrival-Date",
            &rfc5322_date(original.arrival),
        )?);
        if let Some(id) = &original.queue_id {
            // An extension field (RFC 3464 2.2 allows them last), like Postfix's X-Postfix-Queue-ID.
            out.push_str(&fold_field(
                "X-Mailflow-Queue-ID",
                ascii_text("queue id", id)?,
            )?);
        }
        for r in &self.recipients {
            if r.status.class != r.action.status_class() {
                return Err(DsnError::ActionStatusMismatch {
                    recipient: r.final_recipient.clone(),
                    action: r.action,
                    status: r.status,
                });
            }
            // RFC 3464 2.1: a blank line before each group of per-recipient fields.
            out.push_str("\r\n");
            if let Some(orcpt) = &r.original_recipient {
                out.push_str(&fold_field(
                    "Original-Recipient",
                    &format!("rfc822; {}", address(orcpt)?),
                )?);
            }
            out.push_str(&fold_field(
                "Final-Recipient",
                &format!("rfc822; {}", address(&r.final_recipient)?),
            )?);
            out.push_str(&fold_field("Action", r.action.as_str())?);
            out.push_str(&fold_field("Status", &r.status.to_string())?);
            if let Some(host) = &r.remote_mta {
                out.push_str(&fold_field(
                    "Remote-MTA",
                    &format!("dns; {}", ascii_text("Remote-MTA", host)?),
                )?);
            }
            if let Some(d) = &r.diagnostic {
                let value = format!(
                    "{}; {}",
                    ascii_text("diagnostic type", &d.diagnostic_type)?,
                    ascii_text("Diagnostic-Code", &d.text)?
                );
                out.push_str(&fold_field("Diagnostic-Code", &value)?);
            }
            if let Some(t) = r.last_attempt {
                out.push_str(&fold_field("Last-Attempt-Date", &rfc5322_date(t))?);
            }
            if let (Action::Delayed, Some(t)) = (r.action, r.will_retry_until) {
                out.push_str(&fold_field("Will-Retry-Until", &rfc5322_date(t))?);
            }
        }
        Ok(out)
    }

    /// Part 3: the original's header section (text/rfc822-headers, RFC 6522 4) or all of it
    /// (message/rfc822, RFC 2046 5.2.1, never transfer-encoded, at most 8bit).
    fn returned_part(&self, kind: ReportKind) -> BodyPart {
        let what = match kind {
            ReportKind::Failure => "Undelivered",
            ReportKind::Delay => "Delayed",
            ReportKind::Success => "Delivered",
        };
        let message = &self.original.message;
        let (description, content_type, content) = match self.original.ret {
            Ret::Hdrs => (
                format!("{what} Message Headers"),
                "text/rfc822-headers",
                // Header fields only (RFC 6522 4), without the empty line that ends them.
                match message.header_section() {
                    [fields @ .., b'\r', b'\n', b'\r', b'\n'] => [fields, b"\r\n"].concat(),
                    section => section.to_vec(),
                },
            ),
            Ret::Full => (
                format!("{what} Message"),
                "message/rfc822",
                message.as_bytes().to_vec(),
            ),
        };
        let mut header =
            format!("Content-Description: {description}\r\nContent-Type: {content_type}\r\n");
        if !content.is_ascii() {
            header.push_str("Content-Transfer-Encoding: 8bit\r\n");
        }
        BodyPart { header, content }
    }
}

#[cfg(test)]
mod tests;
