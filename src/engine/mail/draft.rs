//! Composing a message from what a scenario's "send" action says, the way a mail client
//! (MUA) would before submission: RFC 5322 header fields, MIME (RFC 2045, 2046) for the body
//! and an optional attachment, RFC 2047 for non-ASCII header text.
//!
//! Hand-written rather than `mail-builder` 2.0.1: that crate draws its boundary from a
//! thread-local seed mixed with the clock unless one is forced, never writes 8bit, needs
//! Rust 1.88 (our rust-version is 1.85), and added about 86 KB of wasm code and data against
//! about 34 KB for this file and its helpers. Everything here is a pure function of
//! the draft, so one scenario gives one message, byte for byte.

use std::fmt;

use super::address::{mailbox_list, AddressError, Mailbox};
use super::date::rfc5322_date;
use super::encoded_word;
use super::header::{fold_field, has_control, FieldTooLong};
use super::message::{check_lines, LineError, Message};
use super::multipart::{choose_boundary, write_multipart, BodyPart};
use super::transfer_encoding::{normalize_line_endings, quoted_printable_encode, TransferEncoding};
use crate::engine::base64;
use crate::engine::time::VirtualTime;

/// One attached file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    /// `type/subtype`, such as `application/pdf` (RFC 2045 5.1).
    pub content_type: String,
    pub content: Vec<u8>,
}

/// What the author wants to send. [`Draft::compose`] turns it into message bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    /// Plain text; any line ending is accepted and written as CRLF.
    pub body: String,
    pub attachment: Option<Attachment>,
    /// `id-left@id-right`, with or without the angle brackets (RFC 5322 3.6.4); the caller
    /// makes it unique and deterministic, e.g. `20260302090000.7F3A21@northwind.test`.
    pub message_id: String,
    pub date: VirtualTime,
    /// Whether the submission server announced 8BITMIME (RFC 6152). Without it, non-ASCII
    /// text goes quoted-printable.
    pub eight_bit_allowed: bool,
}

/// Why a draft cannot become a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposeError {
    Address(AddressError),
    /// RFC 5322 3.6.4 `msg-id`: `<id-left@id-right>`, printable ASCII, no spaces.
    InvalidMessageId(String),
    /// CR, LF or another control character in the named field's text.
    ControlInField(&'static str),
    /// RFC 2045 5.1: `type/subtype`, each a token.
    InvalidContentType(String),
    FieldTooLong(FieldTooLong),
    /// An internal check failed: the output broke a line rule (a bug, reported not hidden).
    Lines(LineError),
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComposeError::Address(e) => e.fmt(f),
            ComposeError::InvalidMessageId(id) => write!(f, "not a valid Message-ID: {id:?}"),
            ComposeError::ControlInField(field) => {
                write!(f, "the {field} holds a line break or control character")
            }
            ComposeError::InvalidContentType(t) => write!(f, "not a valid content type: {t:?}"),
            ComposeError::FieldTooLong(e) => e.fmt(f),
            ComposeError::Lines(e) => write!(f, "composed message breaks a line rule: {e}"),
        }
    }
}

impl std::error::Error for ComposeError {}

impl From<AddressError> for ComposeError {
    fn from(e: AddressError) -> Self {
        ComposeError::Address(e)
    }
}

impl From<FieldTooLong> for ComposeError {
    fn from(e: FieldTooLong) -> Self {
        ComposeError::FieldTooLong(e)
    }
}

/// The preamble, for readers without MIME (RFC 2046 5.1.1 says they may show it).
const PREAMBLE: &str = "This is a multi-part message in MIME format.\r\n";

/// Normalises `<id>` or `id` to `<id>` and checks RFC 5322 3.6.4 (dot-atom-text shapes are
/// not enforced: any printable ASCII without `<>` or space, with one `@` in the middle).
pub fn message_id_field_value(id: &str) -> Result<String, ComposeError> {
    let bare = id
        .strip_prefix('<')
        .and_then(|i| i.strip_suffix('>'))
        .unwrap_or(id);
    let printable = bare
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    match bare.split_once('@') {
        Some((left, right)) if printable && !left.is_empty() && !right.is_empty() => {
            Ok(format!("<{bare}>"))
        }
        _ => Err(ComposeError::InvalidMessageId(id.to_string())),
    }
}

/// RFC 2045 5.1 `token`: printable ASCII without specials.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
}

/// A MIME parameter value: a token as is, else a quoted-string (RFC 2045 5.1), else for
/// non-ASCII the RFC 2231 extended form `name*=utf-8''%XX...`.
fn parameter(name: &str, value: &str) -> String {
    if is_token(value) {
        format!("{name}={value}")
    } else if value.is_ascii() {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{name}=\"{escaped}\"")
    } else {
        let mut encoded = String::new();
        for b in value.bytes() {
            // RFC 2231 7: attribute-char, everything else percent-encoded.
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        format!("{name}*=utf-8''{encoded}")
    }
}

impl Draft {
    /// A draft with no recipients, subject or body yet; 8BITMIME assumed, as every preset
    /// server announces it.
    pub fn new(from: Mailbox, message_id: impl Into<String>, date: VirtualTime) -> Draft {
        Draft {
            from,
            to: Vec::new(),
            cc: Vec::new(),
            subject: String::new(),
            body: String::new(),
            attachment: None,
            message_id: message_id.into(),
            date,
            eight_bit_allowed: true,
        }
    }

    /// The message bytes: header fields in the order a reader expects them, then a
    /// text/plain body or a multipart/mixed one when there is an attachment.
    pub fn compose(&self) -> Result<Message, ComposeError> {
        let message_id = message_id_field_value(&self.message_id)?;
        if has_control(&self.subject) {
            return Err(ComposeError::ControlInField("Subject"));
        }
        let mut out = String::new();
        // RFC 5322 3.6: Date and From are the only required fields.
        out.push_str(&fold_field("Date", &rfc5322_date(self.date))?);
        out.push_str(&fold_field("From", &self.from.to_header_text()?)?);
        if !self.to.is_empty() {
            out.push_str(&fold_field("To", &mailbox_list(&self.to)?)?);
        }
        if !self.cc.is_empty() {
            out.push_str(&fold_field("Cc", &mailbox_list(&self.cc)?)?);
        }
        let subject = if encoded_word::needs_encoding(&self.subject)
            // A word too long to fold must be split, and only encoded-words can be.
            || self.subject.split(' ').any(|w| w.len() > 900)
        {
            encoded_word::encode(&self.subject)
        } else {
            self.subject.clone()
        };
        out.push_str(&fold_field("Subject", &subject)?);
        out.push_str(&fold_field("Message-ID", &message_id)?);
        out.push_str("MIME-Version: 1.0\r\n"); // RFC 2045 4

        let text = normalize_line_endings(&self.body);
        let text_encoding = TransferEncoding::for_text(text.as_bytes(), self.eight_bit_allowed);
        let text_content = match text_encoding {
            TransferEncoding::QuotedPrintable => quoted_printable_encode(text.as_bytes()),
            _ => text,
        };
        let text_header = format!(
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: {}\r\n",
            text_encoding.as_str()
        );

        let mut bytes = match &self.attachment {
            None => {
                out.push_str(&text_header);
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(text_content.as_bytes());
                if !text_content.is_empty() && !text_content.ends_with("\r\n") {
                    bytes.extend_from_slice(b"\r\n");
                }
                bytes
            }
            Some(attachment) => {
                let attachment_part = attachment_part(attachment)?;
                let boundary = choose_boundary(&message_id, &[text_content.as_bytes()]);
                out.push_str(&fold_field(
                    "Content-Type",
                    &format!("multipart/mixed; boundary=\"{boundary}\""),
                )?);
                // RFC 2045 6.4: a multipart entity's own encoding is the widest of its parts.
                let outer = if text_encoding == TransferEncoding::EightBit {
                    "8bit"
                } else {
                    "7bit"
                };
                out.push_str(&format!("Content-Transfer-Encoding: {outer}\r\n\r\n"));
                let mut bytes = out.into_bytes();
                let parts = [
                    BodyPart {
                        header: text_header,
                        content: text_content.into_bytes(),
                    },
                    attachment_part,
                ];
                write_multipart(&mut bytes, &boundary, PREAMBLE, &parts);
                bytes
            }
        };
        bytes.shrink_to_fit();
        check_lines(&bytes).map_err(ComposeError::Lines)?;
        Ok(Message::from_bytes(bytes))
    }
}

fn attachment_part(attachment: &Attachment) -> Result<BodyPart, ComposeError> {
    let valid_type = attachment
        .content_type
        .split_once('/')
        .is_some_and(|(t, s)| is_token(t) && is_token(s));
    if !valid_type {
        return Err(ComposeError::InvalidContentType(
            attachment.content_type.clone(),
        ));
    }
    if has_control(&attachment.file_name) {
        return Err(ComposeError::ControlInField("attachment file name"));
    }
    let mut header = String::new();
    let content_type = if attachment.file_name.is_ascii() {
        // `name` on Content-Type is obsolete (RFC 2046 4.5.1 drops it) but many readers still
        // look for it; RFC 2231 forms only go into Content-Disposition.
        format!(
            "{}; {}",
            attachment.content_type,
            parameter("name", &attachment.file_name)
        )
    } else {
        attachment.content_type.clone()
    };
    header.push_str(&fold_field("Content-Type", &content_type)?);
    header.push_str(&fold_field(
        "Content-Disposition",
        &format!(
            "attachment; {}",
            parameter("filename", &attachment.file_name)
        ),
    )?);
    header.push_str("Content-Transfer-Encoding: base64\r\n");
    Ok(BodyPart {
        header,
        content: base64::encode_lines(&attachment.content).into_bytes(),
    })
}

#[cfg(test)]
mod tests;
