//! Header fields (RFC 5322 2.2): writing them folded, reading them unfolded.

use std::borrow::Cow;
use std::fmt;

/// RFC 5322 2.1.1: a line SHOULD be at most 78 characters, excluding the CRLF.
pub const PREFERRED_LINE_LENGTH: usize = 78;
/// RFC 5322 2.1.1: a line MUST be at most 998 characters, excluding the CRLF.
pub const MAX_LINE_LENGTH: usize = 998;

/// One header field as a reader sees it: the name, and the value unfolded (RFC 5322 2.2.3:
/// each CRLF that is followed by white space removed), without the white space after the colon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    pub name: String,
    pub value: String,
}

/// A field could not be written within the 998-octet line limit: some word in it is too long
/// to fold (RFC 5322 2.2.3 folds only at white space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTooLong {
    pub name: String,
}

impl fmt::Display for FieldTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} header field has a word longer than a line may be (998 octets)",
            self.name
        )
    }
}

impl std::error::Error for FieldTooLong {}

/// `Name: value` with CRLF, folded (RFC 5322 2.2.3) before white space so that lines stay
/// within 78 characters where the words allow it. The value must hold no CR or LF: callers
/// check that first, since a line break in a value would let it forge extra fields.
pub fn fold_field(name: &str, value: &str) -> Result<String, FieldTooLong> {
    // Joined by hand: every hop and every DSN folds fields, and `format!` costs more here.
    let line = [name, ": ", value].concat();
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line.as_str();
    // On the first line, never break at the space right after the colon: an empty first
    // line would be legal but reads badly.
    let mut earliest_break = name.len() + 2;
    while rest.len() > PREFERRED_LINE_LENGTH {
        match break_point(rest, earliest_break) {
            Some(at) => {
                let (head, tail) = rest.split_at(at);
                if head.len() > MAX_LINE_LENGTH {
                    return Err(FieldTooLong {
                        name: name.to_string(),
                    });
                }
                out.push_str(head);
                out.push_str("\r\n");
                rest = tail;
                earliest_break = 1;
            }
            None => break,
        }
    }
    if rest.len() > MAX_LINE_LENGTH {
        return Err(FieldTooLong {
            name: name.to_string(),
        });
    }
    out.push_str(rest);
    out.push_str("\r\n");
    Ok(out)
}

/// Where to fold `line`: the last space within the preferred length, else the first one after
/// it; never one that would leave a line of white space only (RFC 5322 3.2.2).
fn break_point(line: &str, earliest: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let usable = |i: usize| {
        i >= earliest
            && (bytes[i] == b' ' || bytes[i] == b'\t')
            && bytes[..i].iter().any(|b| *b != b' ' && *b != b'\t')
            && bytes[i + 1..].iter().any(|b| *b != b' ' && *b != b'\t')
    };
    let within = (earliest..=PREFERRED_LINE_LENGTH.min(bytes.len() - 1))
        .rev()
        .find(|i| usable(*i));
    within.or_else(|| (PREFERRED_LINE_LENGTH + 1..bytes.len()).find(|i| usable(*i)))
}

/// True when `text` holds a character that must not appear raw in a header field value:
/// CR, LF or another control character (RFC 5322 3.2.5 / 2.2).
pub fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\t')
}

/// Splits a message into its header fields and the offset where the body starts (after the
/// first empty line; RFC 5322 2.1). Lenient on purpose, for the inspector: a bare LF ends a
/// line too, and a line without a colon is skipped.
pub fn parse_header_section(message: &[u8]) -> (Vec<HeaderField>, usize) {
    let mut fields: Vec<HeaderField> = Vec::new();
    let mut lines = HeaderLines { message, offset: 0, ended: false };
    for line in lines.by_ref() {
        if is_continuation(line) {
            // RFC 5322 2.2.3: unfolding removes the CRLF only, the white space stays.
            if let Some(last) = fields.last_mut() {
                last.value.push_str(&String::from_utf8_lossy(line));
            }
        } else if let Some((name, value)) = split_field(line) {
            fields.push(HeaderField { name: name.trim_end().to_string(), value: value.trim_start().to_string() });
        }
    }
    (fields, lines.offset)
}

/// The value of the first field called `name` (compared without regard to case, RFC 5322
/// 1.2.2), unfolded as `parse_header_section` does, without copying the fields before it.
pub fn find_field(message: &[u8], name: &str) -> Option<String> {
    let mut found: Option<String> = None;
    for line in (HeaderLines { message, offset: 0, ended: false }) {
        if is_continuation(line) {
            if let Some(value) = found.as_mut() {
                value.push_str(&String::from_utf8_lossy(line));
            }
        } else if let Some((field, value)) = split_field(line) {
            if found.is_some() {
                break;
            }
            if field.trim_end().eq_ignore_ascii_case(name) {
                found = Some(value.trim_start().to_string());
            }
        }
    }
    found
}

/// Where the body starts, as `parse_header_section` says, without reading the fields.
pub fn body_offset(message: &[u8]) -> usize {
    let mut lines = HeaderLines { message, offset: 0, ended: false };
    lines.by_ref().for_each(drop);
    lines.offset
}

/// The lines of a header section without their line ends, up to the empty line that ends it;
/// `offset` is then where the body starts (the end of the message when no line is empty).
struct HeaderLines<'m> {
    message: &'m [u8],
    offset: usize,
    ended: bool,
}

impl<'m> Iterator for HeaderLines<'m> {
    type Item = &'m [u8];

    fn next(&mut self) -> Option<&'m [u8]> {
        let message = self.message;
        if self.ended || self.offset >= message.len() {
            return None;
        }
        let end = message[self.offset..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(message.len(), |p| self.offset + p + 1);
        let raw = &message[self.offset..end];
        self.offset = end;
        let line = raw
            .strip_suffix(b"\n")
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .unwrap_or(raw);
        if line.is_empty() {
            // The empty line ends the section: nothing after it is a field.
            self.ended = true;
            return None;
        }
        Some(line)
    }
}

/// A line that continues the field before it (RFC 5322 2.2.3: it starts with white space).
fn is_continuation(line: &[u8]) -> bool {
    line[0] == b' ' || line[0] == b'\t'
}

/// A field's first line split at its first colon: the name and the value, untrimmed. Only the
/// parts are decoded, which gives the same text as splitting the decoded line, the colon being
/// ASCII.
fn split_field(line: &[u8]) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    let colon = line.iter().position(|b| *b == b':')?;
    Some((String::from_utf8_lossy(&line[..colon]), String::from_utf8_lossy(&line[colon + 1..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_one_field_agrees_with_reading_them_all() {
        let message = b" stray: continuation\r\nSubject: one\r\n two\r\nno colon here\r\n\tthree\r\nTo: a@b.test\r\nsubject : again\r\n\r\nX-Body: not a field\r\n";
        let (fields, body) = parse_header_section(message);
        assert_eq!(&message[body..], b"X-Body: not a field\r\n");
        assert_eq!(body_offset(message), body);
        assert_eq!(body_offset(b"A: 1\r\n"), 6, "no empty line: no body");
        for name in ["Subject", "SUBJECT", "to", "X-Body", "stray", "no colon here"] {
            let first = fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| f.value.clone());
            assert_eq!(find_field(message, name), first, "{name}");
        }
        assert_eq!(find_field(message, "Subject").as_deref(), Some("one two\tthree"));
    }

    #[test]
    fn short_field_is_one_line() {
        assert_eq!(
            fold_field("Subject", "Hello").unwrap(),
            "Subject: Hello\r\n"
        );
    }

    #[test]
    fn long_field_folds_before_spaces_within_78() {
        let value = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        let folded = fold_field("Subject", value).unwrap();
        assert_eq!(
            folded,
            "Subject: one two three four five six seven eight nine ten eleven twelve\r\n thirteen fourteen fifteen\r\n"
        );
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= PREFERRED_LINE_LENGTH);
        }
        let (fields, _) = parse_header_section(format!("{folded}\r\n").as_bytes());
        assert_eq!(fields[0].value, value, "unfolding gives the value back");
    }

    #[test]
    fn long_word_stays_whole_up_to_998_then_fails() {
        let word = "x".repeat(200);
        let folded = fold_field("Subject", &format!("a {word} b")).unwrap();
        assert_eq!(folded, format!("Subject: a\r\n {word}\r\n b\r\n"));
        let too_long = "y".repeat(MAX_LINE_LENGTH);
        assert_eq!(
            fold_field("Subject", &too_long),
            Err(FieldTooLong {
                name: "Subject".into()
            })
        );
    }

    #[test]
    fn never_leaves_a_whitespace_only_line() {
        let value = format!("{}    {}", "a".repeat(80), "b".repeat(10));
        let folded = fold_field("X", &value).unwrap();
        for line in folded.split_terminator("\r\n") {
            assert!(!line.trim().is_empty(), "{folded:?}");
        }
    }

    #[test]
    fn parse_unfolds_and_finds_the_body() {
        let msg = b"Received: from a\r\n\tby b; Mon, 02 Mar 2026 09:00:00 +0000\r\nSubject:  Hi\r\n\r\nBody\r\n";
        let (fields, body_at) = parse_header_section(msg);
        assert_eq!(fields.len(), 2);
        assert_eq!(
            fields[0].value,
            "from a\tby b; Mon, 02 Mar 2026 09:00:00 +0000"
        );
        assert_eq!(fields[1].name, "Subject");
        assert_eq!(fields[1].value, "Hi");
        assert_eq!(&msg[body_at..], b"Body\r\n");
    }

    #[test]
    fn parse_without_body_or_with_bare_lf() {
        let (fields, body_at) = parse_header_section(b"A: 1\nB: 2");
        assert_eq!(fields.len(), 2);
        assert_eq!(body_at, 9);
        let (fields, body_at) = parse_header_section(b"\r\nonly body");
        assert!(fields.is_empty());
        assert_eq!(body_at, 2);
    }
}
