//! The octets a `BODY[section]<partial>` names (RFC 9051 6.4.5): part numbers walk the MIME
//! tree, HEADER/TEXT apply to a message (the whole one, or one attached as message/rfc822),
//! MIME to a part's own header.

use super::fetch::{Partial, Section, SectionText};
use super::mime::Part;

/// RFC 9051 6.4.5: the numbers of a message are those of its parts, and a message that is
/// not multipart has only a part 1, its body; a message/rfc822 part holds a message, whose
/// parts continue the number (`2.1` is part 1 of the message attached as part 2). A message
/// that is itself message/rfc822 thus has a part 1 whose body is the whole attached message,
/// and `1.1` is that message's own body.
fn walk<'p, 'a>(root: &'p Part<'a>, path: &[u32]) -> Option<&'p Part<'a>> {
    let mut current = root;
    // The root is a message; every part reached by a number is a body part.
    let mut at_message = true;
    for &n in path {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        let container = match current.message.as_deref() {
            Some(inner) if !at_message => inner,
            _ => current,
        };
        current = if container.is_multipart() {
            container.children.get(index)?
        } else if index == 0 {
            container
        } else {
            return None;
        };
        at_message = false;
    }
    Some(current)
}

/// The header lines of `part` whose names are (or, with `keep == false`, are not) listed,
/// followed by the empty line (RFC 9051 6.4.5: the blank line is included).
fn header_fields(header: &[u8], names: &[String], keep: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut taking = false;
    let mut rest = header;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |p| p + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        if line == b"\r\n" || line == b"\n" {
            break;
        }
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            let name = line.split(|&b| b == b':').next().unwrap_or(b"");
            let name = name.trim_ascii_end();
            let listed = names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name));
            taking = listed == keep;
        }
        if taking {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// The octets of `section` of `message`, `None` when the part does not exist.
pub fn section_bytes(message: &[u8], section: &Section) -> Option<Vec<u8>> {
    let root = Part::parse(message);
    if section.part.is_empty() {
        return Some(match &section.text {
            None => message.to_vec(),
            Some(text) => message_text(&root, text),
        });
    }
    let part = walk(&root, &section.part)?;
    Some(match &section.text {
        None => part.body.to_vec(),
        Some(SectionText::Mime) => part.header.to_vec(),
        // HEADER and TEXT of a part apply to the message it holds (message/rfc822).
        Some(text) => match part.message.as_deref() {
            Some(inner) => message_text(inner, text),
            None => Vec::new(),
        },
    })
}

fn message_text(message: &Part, text: &SectionText) -> Vec<u8> {
    match text {
        SectionText::Header | SectionText::Mime => message.header.to_vec(),
        SectionText::Text => message.body.to_vec(),
        SectionText::HeaderFields(names) => header_fields(message.header, names, true),
        SectionText::HeaderFieldsNot(names) => header_fields(message.header, names, false),
    }
}

/// `<origin.length>` applied: the octets from origin, at most length of them; empty when
/// origin lies past the end (RFC 9051 6.4.5).
pub fn apply_partial(bytes: Vec<u8>, partial: Option<Partial>) -> Vec<u8> {
    match partial {
        None => bytes,
        Some(p) => {
            let start = (p.origin as usize).min(bytes.len());
            let end = start.saturating_add(p.length as usize).min(bytes.len());
            bytes[start..end].to_vec()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::imap::syntax::Reader;

    const MSG: &[u8] = b"From: a@b.test\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\nSubject: two\r\n lines\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nplain text\r\n--XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nTo: c@d.test\r\n\r\ninner body\r\n--XX--\r\n";

    fn get(spec: &str) -> Option<String> {
        let section = Section::parse(&mut Reader::new(spec.as_bytes())).unwrap();
        section_bytes(MSG, &section).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    #[test]
    fn whole_header_text_and_fields() {
        assert_eq!(get("[]").unwrap().len(), MSG.len());
        assert!(get("[HEADER]").unwrap().ends_with("lines\r\n\r\n"));
        assert!(get("[TEXT]").unwrap().starts_with("--XX\r\n"));
        assert_eq!(
            get("[HEADER.FIELDS (subject FROM)]").unwrap(),
            "From: a@b.test\r\nSubject: two\r\n lines\r\n\r\n"
        );
        assert_eq!(
            get("[HEADER.FIELDS.NOT (Subject Content-Type)]").unwrap(),
            "From: a@b.test\r\n\r\n"
        );
    }

    #[test]
    fn parts_mime_and_attached_messages() {
        assert_eq!(get("[1]").unwrap(), "plain text");
        assert_eq!(get("[1.MIME]").unwrap(), "Content-Type: text/plain\r\n\r\n");
        assert_eq!(
            get("[2.HEADER]").unwrap(),
            "Subject: inner\r\nTo: c@d.test\r\n\r\n"
        );
        assert_eq!(get("[2.TEXT]").unwrap(), "inner body");
        assert_eq!(get("[2.1]").unwrap(), "inner body");
        assert_eq!(
            get("[2.HEADER.FIELDS (To)]").unwrap(),
            "To: c@d.test\r\n\r\n"
        );
        assert_eq!(get("[3]"), None);
        assert_eq!(get("[1.2]"), None);
        assert_eq!(get("[1.TEXT]").unwrap(), "");
        // A single-part message: part 1 is its body.
        let section = Section::parse(&mut Reader::new(b"[1]")).unwrap();
        assert_eq!(
            section_bytes(b"Subject: x\r\n\r\nbody", &section).unwrap(),
            b"body"
        );
    }

    /// A message whose own type is message/rfc822 (imaptest's fetch-body-message-rfc822):
    /// part 1 is the attached message whole, `1.HEADER` and `1.TEXT` its header and text,
    /// `1.1` its body.
    #[test]
    fn a_message_that_is_an_attached_message() {
        let msg = b"From: a@b.test\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nHello\r\n";
        let get = |spec: &str| {
            let section = Section::parse(&mut Reader::new(spec.as_bytes())).unwrap();
            section_bytes(msg, &section).map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        assert_eq!(get("[1]").unwrap(), "Subject: inner\r\n\r\nHello\r\n");
        assert_eq!(get("[1.HEADER]").unwrap(), "Subject: inner\r\n\r\n");
        assert_eq!(get("[1.TEXT]").unwrap(), "Hello\r\n");
        assert_eq!(get("[1.1]").unwrap(), "Hello\r\n");
        assert_eq!(get("[TEXT]").unwrap(), get("[1]").unwrap());
        assert_eq!(get("[2]"), None);
    }

    #[test]
    fn partials() {
        let p = |origin, length| Some(Partial { origin, length });
        assert_eq!(apply_partial(b"0123456789".to_vec(), p(2, 3)), b"234");
        assert_eq!(apply_partial(b"0123".to_vec(), p(2, 30)), b"23");
        assert_eq!(apply_partial(b"0123".to_vec(), p(9, 3)), b"");
        assert_eq!(apply_partial(b"0123".to_vec(), None), b"0123");
    }
}
