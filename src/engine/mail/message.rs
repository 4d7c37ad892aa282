//! A message as bytes (RFC 5322), with read access for the inspector.
//!
//! The bytes are the truth: what SMTP carried, CRLF and all (invariant 5 of ARCHITECTURE.md). The view
//! parses header fields on demand with a small hand-written splitter; `mail-parser` 0.11 is the
//! later option if the inspector needs full MIME trees, charsets and address parsing.

use std::fmt;

use super::header::{body_offset, find_field, parse_header_section, HeaderField, MAX_LINE_LENGTH};

/// An Internet message: header section, empty line, body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    bytes: Vec<u8>,
}

/// Where a message breaks the line rules of RFC 5322 2.1 / 2.1.1 (and RFC 5321 4.5.3.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// A CR not followed by LF, or an LF not preceded by CR, at this offset.
    BareLineBreak { offset: usize },
    /// The line starting at this offset is longer than 998 octets.
    LineTooLong { offset: usize, length: usize },
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::BareLineBreak { offset } => {
                write!(
                    f,
                    "bare CR or LF at offset {offset} (lines must end in CRLF)"
                )
            }
            LineError::LineTooLong { offset, length } => write!(
                f,
                "line at offset {offset} is {length} octets long (at most {MAX_LINE_LENGTH})"
            ),
        }
    }
}

impl std::error::Error for LineError {}

impl Message {
    pub fn from_bytes(bytes: Vec<u8>) -> Message {
        Message { bytes }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// All header fields in order, unfolded (RFC 5322 2.2.3).
    pub fn headers(&self) -> Vec<HeaderField> {
        parse_header_section(&self.bytes).0
    }

    /// The first field called `name` (compared without regard to case, RFC 5322 1.2.2).
    pub fn header(&self, name: &str) -> Option<String> {
        find_field(&self.bytes, name)
    }

    /// The header section, up to and including the empty line that ends it.
    pub fn header_section(&self) -> &[u8] {
        let at = body_offset(&self.bytes);
        &self.bytes[..at]
    }

    /// Everything after the first empty line (RFC 5322 2.1), still transfer-encoded.
    pub fn body(&self) -> &[u8] {
        let at = body_offset(&self.bytes);
        &self.bytes[at..]
    }

    /// A copy with `field` (one or more complete lines, ending in CRLF) put in front, as each
    /// hop does with trace fields (RFC 5321 4.4: they are added at the top). The hops write
    /// their fields in place (`world::mta`); tests build the journeys they expect with this.
    #[cfg(test)]
    pub fn with_prepended(&self, field: &str) -> Message {
        let mut bytes = Vec::with_capacity(field.len() + self.bytes.len());
        bytes.extend_from_slice(field.as_bytes());
        bytes.extend_from_slice(&self.bytes);
        Message { bytes }
    }

    /// Checks that every line ends in CRLF and holds at most 998 octets.
    pub fn check_lines(&self) -> Result<(), LineError> {
        check_lines(&self.bytes)
    }
}

/// See [`Message::check_lines`]; the last line may lack its CRLF.
pub fn check_lines(bytes: &[u8]) -> Result<(), LineError> {
    let mut line_start = 0;
    // Only CR and LF matter: from one to the next.
    while let Some(p) = bytes[line_start..].iter().position(|&b| b == b'\r' || b == b'\n') {
        let i = line_start + p;
        if bytes[i] != b'\r' || bytes.get(i + 1) != Some(&b'\n') {
            return Err(LineError::BareLineBreak { offset: i });
        }
        let length = i - line_start;
        if length > MAX_LINE_LENGTH {
            return Err(LineError::LineTooLong {
                offset: line_start,
                length,
            });
        }
        line_start = i + 2;
    }
    let length = bytes.len() - line_start;
    if length > MAX_LINE_LENGTH {
        return Err(LineError::LineTooLong {
            offset: line_start,
            length,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        Message::from_bytes(
            b"From: alice@northwind.test\r\nSUBJECT: Hi\r\n there\r\n\r\nBody line\r\n\r\nmore\r\n"
                .to_vec(),
        )
    }

    #[test]
    fn view_splits_at_the_first_empty_line() {
        let m = sample();
        assert_eq!(m.headers().len(), 2);
        assert_eq!(m.header("subject").as_deref(), Some("Hi there"));
        assert_eq!(m.header("To"), None);
        assert_eq!(m.body(), b"Body line\r\n\r\nmore\r\n");
        assert!(m.header_section().ends_with(b"there\r\n\r\n"));
    }

    #[test]
    fn prepending_puts_a_field_on_top() {
        let m = sample().with_prepended("Return-Path: <alice@northwind.test>\r\n");
        assert_eq!(m.headers()[0].name, "Return-Path");
        assert_eq!(m.body(), sample().body());
    }

    #[test]
    fn line_rules() {
        assert_eq!(check_lines(b"a\r\nb\r\n"), Ok(()));
        assert_eq!(
            check_lines(b"a\nb"),
            Err(LineError::BareLineBreak { offset: 1 })
        );
        assert_eq!(
            check_lines(b"ab\r"),
            Err(LineError::BareLineBreak { offset: 2 })
        );
        let ok = format!("x\r\n{}\r\n", "a".repeat(998));
        assert_eq!(check_lines(ok.as_bytes()), Ok(()));
        let long = format!("x\r\n{}\r\n", "a".repeat(999));
        assert_eq!(
            check_lines(long.as_bytes()),
            Err(LineError::LineTooLong {
                offset: 3,
                length: 999
            })
        );
    }
}
