//! One untagged FETCH response (RFC 9051 7.5.2) for one message: the items asked for, UID
//! first (Dovecot's order; RFC 9051 6.4.9 makes UID FETCH include it), body sections as
//! literals, and FLAGS appended when fetching just set `\Seen`.

use crate::engine::imap::body_structure::write_body_structure;
use crate::engine::imap::date::format_internal_date;
use crate::engine::imap::envelope::write_envelope;
use crate::engine::imap::fetch::FetchAttribute;
use crate::engine::imap::mime::Part;
use crate::engine::imap::response::write_literal;
use crate::engine::imap::section::{apply_partial, section_bytes};
use crate::engine::mail::store::StoredMessage;

/// `* seq FETCH (...)` with CRLF; `flags` as the session shows them (with `\Recent`).
pub fn fetch_line(
    seq: u32,
    message: &StoredMessage,
    flags: &str,
    attributes: &[FetchAttribute],
    uid_command: bool,
    seen_now: bool,
) -> Vec<u8> {
    let bytes = message.message.as_bytes();
    let mut items: Vec<FetchAttribute> = Vec::new();
    if uid_command || attributes.contains(&FetchAttribute::Uid) {
        items.push(FetchAttribute::Uid);
    }
    for a in attributes {
        if !items.contains(a) {
            items.push(a.clone());
        }
    }
    if seen_now && !items.contains(&FetchAttribute::Flags) {
        items.push(FetchAttribute::Flags);
    }
    let mut out = format!("* {seq} FETCH (").into_bytes();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(item.response_name().as_bytes());
        out.push(b' ');
        match item {
            FetchAttribute::Flags => out.extend_from_slice(flags.as_bytes()),
            FetchAttribute::Uid => out.extend_from_slice(message.uid.0.to_string().as_bytes()),
            FetchAttribute::InternalDate => out.extend_from_slice(
                format_internal_date(message.internal_date.unix_seconds()).as_bytes(),
            ),
            FetchAttribute::Rfc822Size => out.extend_from_slice(bytes.len().to_string().as_bytes()),
            FetchAttribute::Envelope => write_envelope(&mut out, &message.message.headers()),
            FetchAttribute::Body => write_body_structure(&mut out, &Part::parse(bytes), false),
            FetchAttribute::BodyStructure => {
                write_body_structure(&mut out, &Part::parse(bytes), true)
            }
            FetchAttribute::Rfc822 => write_literal(&mut out, bytes),
            FetchAttribute::Rfc822Header => {
                write_literal(&mut out, message.message.header_section())
            }
            FetchAttribute::Rfc822Text => write_literal(&mut out, message.message.body()),
            FetchAttribute::BodySection {
                section, partial, ..
            } => match section_bytes(bytes, section) {
                Some(data) => write_literal(&mut out, &apply_partial(data, *partial)),
                None => out.extend_from_slice(b"NIL"),
            },
        }
    }
    out.extend_from_slice(b")\r\n");
    out
}
