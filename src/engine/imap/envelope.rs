//! ENVELOPE (RFC 9051 7.5.2): date, subject, from, sender, reply-to, to, cc, bcc,
//! in-reply-to and message-id of a message, parsed from its header like Dovecot does:
//! values unfolded but not decoded (RFC 2047 words stay encoded), NIL where absent.

mod address;

pub use address::{parse_address_list, AddressItem};

use super::response::{write_nstring, write_string};
use crate::engine::mail::HeaderField;

fn field<'a>(fields: &'a [HeaderField], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.value.as_str())
}

fn write_address_list(out: &mut Vec<u8>, items: Vec<AddressItem>) {
    if items.is_empty() {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for item in items {
        // RFC 9051 7.5.2: (name adl mailbox host), adl the source route.
        match item {
            AddressItem::Mailbox {
                name,
                route,
                local,
                domain,
            } => {
                out.push(b'(');
                write_nstring(out, name.as_deref().map(str::as_bytes));
                out.push(b' ');
                write_nstring(out, route.as_deref().map(str::as_bytes));
                out.push(b' ');
                write_string(out, local.as_bytes());
                out.push(b' ');
                write_string(out, domain.as_bytes());
                out.push(b')');
            }
            AddressItem::GroupStart(name) => {
                out.extend_from_slice(b"(NIL NIL ");
                write_string(out, name.as_bytes());
                out.extend_from_slice(b" NIL)");
            }
            AddressItem::GroupEnd => out.extend_from_slice(b"(NIL NIL NIL NIL)"),
        }
    }
    out.push(b')');
}

/// The parenthesized envelope of the message whose header fields are `fields`.
pub fn write_envelope(out: &mut Vec<u8>, fields: &[HeaderField]) {
    let text = |name| field(fields, name).map(str::as_bytes);
    out.push(b'(');
    write_nstring(out, text("Date"));
    out.push(b' ');
    write_nstring(out, text("Subject"));
    let list = |name| field(fields, name).map(parse_address_list).unwrap_or_default();
    let from = list("From");
    out.push(b' ');
    write_address_list(out, from.clone());
    for name in ["Sender", "Reply-To"] {
        out.push(b' ');
        // RFC 9051 7.5.2: sender and reply-to are from's value when absent or empty.
        let items = list(name);
        write_address_list(out, if items.is_empty() { from.clone() } else { items });
    }
    for name in ["To", "Cc", "Bcc"] {
        out.push(b' ');
        write_address_list(out, list(name));
    }
    out.push(b' ');
    write_nstring(out, text("In-Reply-To"));
    out.push(b' ');
    write_nstring(out, text("Message-ID"));
    out.push(b')');
}

/// [`write_envelope`] as text, for tests and the inspector.
pub fn envelope(fields: &[HeaderField]) -> String {
    let mut out = Vec::new();
    write_envelope(&mut out, fields);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::mail::Message;

    #[test]
    fn rfc_shaped_envelope() {
        let m = Message::from_bytes(
            b"Date: Mon, 02 Mar 2026 09:00:00 +0000\r\nFrom: Alice <alice@northwind.test>\r\nTo: bob@southbay.test, \"Carol C\" <carol@northwind.test>\r\nSubject: Hello\r\n Bob\r\nMessage-ID: <1@northwind.test>\r\n\r\nHi\r\n"
                .to_vec(),
        );
        assert_eq!(
            envelope(&m.headers()),
            "(\"Mon, 02 Mar 2026 09:00:00 +0000\" \"Hello Bob\" ((\"Alice\" NIL \"alice\" \"northwind.test\")) ((\"Alice\" NIL \"alice\" \"northwind.test\")) ((\"Alice\" NIL \"alice\" \"northwind.test\")) ((NIL NIL \"bob\" \"southbay.test\")(\"Carol C\" NIL \"carol\" \"northwind.test\")) NIL NIL NIL \"<1@northwind.test>\")"
        );
    }

    /// imaptest's fetch-envelope: an empty Sender or Reply-To is from's value, and a source
    /// route is kept in the address's second member.
    #[test]
    fn empty_sender_and_source_routes() {
        let m = Message::from_bytes(
            b"From: user@domain (Real Name)\r\nSender: \r\nReply-To: \r\n\r\nbody\r\n".to_vec(),
        );
        let from = "((\"Real Name\" NIL \"user\" \"domain\"))";
        assert_eq!(
            envelope(&m.headers()),
            format!("(NIL NIL {from} {from} {from} NIL NIL NIL NIL NIL)")
        );
        let m = Message::from_bytes(b"From: <@route:user@domain>\r\n\r\nbody\r\n".to_vec());
        assert!(envelope(&m.headers()).starts_with("(NIL NIL ((NIL \"@route\" \"user\" \"domain\"))"));
    }

    #[test]
    fn empty_header_is_all_nil_and_8bit_goes_literal() {
        assert_eq!(envelope(&[]), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        let fields = [HeaderField {
            name: "Subject".into(),
            value: "Grüße".into(),
        }];
        assert_eq!(
            envelope(&fields),
            "(NIL {7}\r\nGrüße NIL NIL NIL NIL NIL NIL NIL NIL)"
        );
    }
}
