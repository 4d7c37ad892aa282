//! The letter as the inspector shows it at a step: the envelope of the last hop it travelled
//! (MAIL FROM / RCPT TO) beside its header fields, the `Received:` chain as it stands after
//! that hop, the body, and each MIME part as text. Everything comes from the trace: the lines
//! of the hop that carried it, or the message as the mailbox stored it.

use crate::engine::mail::{HeaderField, Message};
use crate::engine::trace::{CheckMethod, DnsAnswer, Direction, Event, EventKind, RecordType};

/// One MIME part, as text; binary content is described, never shown raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub content_type: String,
    pub filename: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub message_id: String,
    /// Where it was last seen: "on the wire smtp.northwind.test → mx.southbay.test" or
    /// "stored in bob@southbay.test's mailbox on mail.southbay.test".
    pub seen: String,
    /// The reverse path and recipients of the hop that carried it (none for a stored copy).
    pub mail_from: Option<String>,
    pub rcpt_to: Vec<String>,
    /// The envelope recipients that no To or Cc field names: blind copies (RFC 5322 3.6.3),
    /// which only the envelope carries.
    pub blind: Vec<String>,
    pub headers: Vec<HeaderField>,
    /// The `Received:` fields, newest (top) first, as the message carries them.
    pub received: Vec<String>,
    /// The `Authentication-Results:` fields, newest first: each receiving MX's verdicts.
    pub authentication: Vec<String>,
    /// Each `DKIM-Signature:`, top first, as its tags in order (`v`, `a`, `c`, `d`, ...).
    pub signatures: Vec<Vec<(String, String)>>,
    /// The TXT records the latest MX to check this letter read in DNS: (check, name, text).
    pub records: Vec<(CheckMethod, String, String)>,
    pub parts: Vec<Part>,
}

/// The latest copy of `message_id` in events `0..n`: stored by a mailbox, or carried by a hop.
pub fn inspect(events: &[Event], n: usize, message_id: &str) -> Option<Inspection> {
    let events = &events[..n.min(events.len())];
    let mut found = latest_copy(events, message_id)?;
    found.records = records_read(events, message_id);
    // Named in no header is not enough: a list's members and an alias's target are not named
    // either. A blind copy is one the author asked for.
    let asked: Vec<String> = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Composed(c) if c.message_id == message_id => Some(c.bcc.iter().map(|a| a.to_ascii_lowercase()).collect()),
            _ => None,
        })
        .unwrap_or_default();
    found.blind.retain(|r| asked.contains(&r.trim_matches(|c| c == '<' || c == '>').to_ascii_lowercase()));
    Some(found)
}

/// The TXT records the checks read for the latest `Authenticated` event of this letter: the
/// DNS answers, each tagged with its check, that came just before it.
fn records_read(events: &[Event], message_id: &str) -> Vec<(CheckMethod, String, String)> {
    let Some(at) = events.iter().rposition(|e| matches!(&e.kind, EventKind::Authenticated(a) if a.message_id == message_id)) else {
        return Vec::new();
    };
    let mut records = Vec::new();
    for e in events[..at].iter().rev() {
        match &e.kind {
            EventKind::DnsResponse(r) if r.purpose.is_some() => {
                if let (RecordType::TXT, DnsAnswer::Records { records: found }, Some(check)) = (r.record, &r.answer, r.purpose) {
                    for text in found.iter().rev() {
                        let text = text.trim_start_matches("TXT ").trim_matches('"').to_owned();
                        records.push((check, r.name.clone(), text));
                    }
                }
            }
            EventKind::DnsQuery(q) if q.purpose.is_some() => {}
            _ => break,
        }
    }
    records.reverse();
    records
}

/// The latest copy of `message_id`, as `inspect` says.
fn latest_copy(events: &[Event], message_id: &str) -> Option<Inspection> {
    for (i, event) in events.iter().enumerate().rev() {
        match &event.kind {
            EventKind::Delivered(stored) if stored.message_id == message_id => {
                return Some(build(
                    message_id,
                    format!("stored in {}'s mailbox on {}", stored.user, stored.host),
                    None,
                    Vec::new(),
                    stored.message.as_bytes().to_vec(),
                ));
            }
            EventKind::Connected(open) if open.carrying.as_deref() == Some(message_id) => {
                let (from, rcpts, data) = session_copy(&events[i..], open.connection);
                if data.is_empty() {
                    continue;
                }
                return Some(build(message_id, format!("on the wire {} → {}", open.client, open.server), from, rcpts, data));
            }
            _ => {}
        }
    }
    None
}

/// MAIL FROM, RCPT TOs and the message text (dot-stuffing undone) of one connection. The
/// client sends the text only after the server's 354 (RFC 5321 4.1.1.4), even when it
/// pipelined the commands before it.
fn session_copy(events: &[Event], connection: u32) -> (Option<String>, Vec<String>, Vec<u8>) {
    let (mut from, mut rcpts, mut data) = (None, Vec::new(), Vec::new());
    let mut in_data = false;
    for event in events {
        let EventKind::Line { connection: c, direction, text, .. } = &event.kind else { continue };
        if *c != connection {
            continue;
        }
        match direction {
            Direction::ServerToClient if text.starts_with("354") => in_data = true,
            Direction::ServerToClient => {}
            Direction::ClientToServer if in_data => {
                if text == "." {
                    break;
                }
                // RFC 5321 4.5.2: a leading dot was doubled for the wire.
                let line = if text.starts_with("..") { &text[1..] } else { text.as_str() };
                data.extend_from_slice(line.as_bytes());
                data.extend_from_slice(b"\r\n");
            }
            Direction::ClientToServer => {
                let upper = text.to_ascii_uppercase();
                let path = |prefix: usize| text[prefix..].split_whitespace().next().unwrap_or("").to_owned();
                if upper.starts_with("MAIL FROM:") {
                    from = Some(path(10));
                } else if upper.starts_with("RCPT TO:") {
                    rcpts.push(path(8));
                }
            }
        }
    }
    (from, rcpts, data)
}

fn build(message_id: &str, seen: String, mail_from: Option<String>, rcpt_to: Vec<String>, bytes: Vec<u8>) -> Inspection {
    let message = Message::from_bytes(bytes);
    let headers = message.headers();
    let named = |name: &str| headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value.clone()).collect::<Vec<String>>();
    let received = named("Received");
    let authentication = named("Authentication-Results");
    // A signature that does not read as a tag list is shown as a header field only.
    let signatures = named("DKIM-Signature").iter().filter_map(|v| crate::engine::auth::tag_list(v).ok()).collect();
    let parts = parts(&headers, message.body());
    let named: Vec<String> = headers
        .iter()
        .filter(|h| ["To", "Cc"].iter().any(|n| h.name.eq_ignore_ascii_case(n)))
        .flat_map(|h| h.value.split(|c: char| c.is_whitespace() || "<>,;\"()".contains(c)).map(str::to_ascii_lowercase).collect::<Vec<_>>())
        .collect();
    let blind = rcpt_to
        .iter()
        .filter(|r| !named.contains(&r.trim_matches(|c| c == '<' || c == '>').to_ascii_lowercase()))
        .cloned()
        .collect();
    Inspection { message_id: message_id.to_owned(), seen, mail_from, rcpt_to, blind, headers, received, authentication, signatures, records: Vec::new(), parts }
}

/// A header's parameter (`boundary`, `filename`), quotes removed.
fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn header<'a>(headers: &'a [HeaderField], name: &str) -> Option<&'a str> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value.as_str())
}

/// The parts of a body: the MIME parts of a multipart (RFC 2046 5.1), one level deep, or the
/// body itself.
fn parts(headers: &[HeaderField], body: &[u8]) -> Vec<Part> {
    let content_type = header(headers, "Content-Type").unwrap_or("text/plain").to_owned();
    let boundary = content_type.to_ascii_lowercase().starts_with("multipart/").then(|| parameter(&content_type, "boundary")).flatten();
    let Some(boundary) = boundary else {
        return vec![part(headers, body)];
    };
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    text.split(&format!("\r\n{delimiter}"))
        .enumerate()
        .filter_map(|(i, chunk)| {
            // The first chunk is the preamble (unless the body starts with the delimiter).
            let chunk = if i == 0 { chunk.strip_prefix(&delimiter)? } else { chunk };
            if chunk.starts_with("--") {
                return None; // the close-delimiter
            }
            let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
            let message = Message::from_bytes(chunk.as_bytes().to_vec());
            Some(part(&message.headers(), message.body()))
        })
        .collect()
}

fn part(headers: &[HeaderField], body: &[u8]) -> Part {
    let content_type = header(headers, "Content-Type").unwrap_or("text/plain").to_owned();
    let filename = header(headers, "Content-Disposition").and_then(|d| parameter(d, "filename"));
    let encoding = header(headers, "Content-Transfer-Encoding").unwrap_or("7bit").trim().to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "base64" => crate::engine::base64::decode(body).unwrap_or_else(|_| body.to_vec()),
        _ => body.to_vec(),
    };
    let textual = content_type.to_ascii_lowercase().starts_with("text/") || content_type.to_ascii_lowercase().starts_with("message/");
    let text = if textual {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        format!("({} bytes of {})", bytes.len(), content_type.split(';').next().unwrap_or("data"))
    };
    Part { content_type: content_type.split(';').next().unwrap_or("").trim().to_owned(), filename, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    const LETTER: &str = "<20260302090000.000001@northwind.test>";

    #[test]
    fn the_received_chain_grows_hop_by_hop() {
        let trace = simulate(&preset("first-letter").unwrap().scenario().unwrap());
        let mut chains = Vec::new();
        for n in 0..=trace.events.len() {
            if let Some(i) = inspect(&trace.events, n, LETTER) {
                if chains.last() != Some(&i.received.len()) {
                    chains.push(i.received.len());
                }
            }
        }
        assert_eq!(chains, vec![0, 1, 2, 3], "submission, relay, LMTP, then stored with its third");
        let stored = inspect(&trace.events, trace.events.len(), LETTER).unwrap();
        assert_eq!(stored.seen, "stored in bob@southbay.test's mailbox on mail.southbay.test");
        assert_eq!(header(&stored.headers, "Return-Path"), Some("<alice@northwind.test>"));
        assert_eq!(stored.parts.len(), 2);
        assert_eq!(stored.parts[1].filename.as_deref(), Some("directions.txt"));
        assert!(stored.parts[1].text.starts_with("From the station"), "the attachment decoded as text");
    }

    #[test]
    fn on_the_wire_the_envelope_shows_beside_the_headers() {
        let trace = simulate(&preset("first-letter").unwrap().scenario().unwrap());
        let relay_dot = trace
            .events
            .iter()
            .position(|e| matches!(&e.kind, EventKind::Line { connection: 2, text, .. } if text == "."))
            .unwrap();
        let i = inspect(&trace.events, relay_dot + 1, LETTER).unwrap();
        assert_eq!(i.seen, "on the wire smtp.northwind.test → mx.southbay.test");
        assert_eq!(i.mail_from.as_deref(), Some("<alice@northwind.test>"));
        assert_eq!(i.rcpt_to, vec!["<bob@southbay.test>"]);
        assert_eq!(header(&i.headers, "Subject"), Some("Lunch on Friday?"));
    }

    #[test]
    fn a_blind_copy_is_marked_where_the_envelope_names_it_and_no_header_does() {
        let trace = simulate(&preset("many-recipients").unwrap().scenario().unwrap());
        let submission_dot = trace
            .events
            .iter()
            .position(|e| matches!(&e.kind, EventKind::Line { connection: 1, text, .. } if text == "."))
            .unwrap();
        let i = inspect(&trace.events, submission_dot + 1, LETTER).unwrap();
        assert_eq!(i.rcpt_to.len(), 4);
        assert_eq!(i.blind, vec!["<erin@eastbay.test>"], "To and Cc name the other three");
        assert_eq!(header(&i.headers, "Cc"), Some("Dave <dave@southbay.test>"));
    }

    #[test]
    fn a_bounce_shows_its_report_parts() {
        let trace = simulate(&preset("unknown-user").unwrap().scenario().unwrap());
        let id = trace
            .events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::Delivered(d) if d.user == "alice@northwind.test" => Some(d.message_id.clone()),
                _ => None,
            })
            .unwrap();
        let i = inspect(&trace.events, trace.events.len(), &id).unwrap();
        let types: Vec<&str> = i.parts.iter().map(|p| p.content_type.as_str()).collect();
        assert_eq!(types, vec!["text/plain", "message/delivery-status", "text/rfc822-headers"]);
        assert!(i.parts[1].text.contains("Status: 5.1.1"));
    }
}
