//! Server replies (RFC 5321 4.2) with enhanced status codes (RFC 2034, RFC 3463): formatting
//! for the server, and an incremental parser for the client.

use std::fmt;

/// RFC 2034's name for the RFC 3463 code after a reply's number; one type with the `Status`
/// of a delivery status notification.
pub use super::status::Status as EnhancedStatus;
use super::status::push_number;

/// One reply, possibly multi-line. `lines` hold the text after the code and the enhanced
/// status; a multi-line reply repeats both on every line (RFC 5321 4.2.1, RFC 2034 4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply {
    pub code: u16,
    pub enhanced: Option<EnhancedStatus>,
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply with an enhanced status code, `250 2.1.0 Ok`.
    pub fn new(code: u16, enhanced: EnhancedStatus, text: impl Into<String>) -> Self {
        Reply {
            code,
            enhanced: Some(enhanced),
            lines: vec![text.into()],
        }
    }

    /// A one-line reply without enhanced status: the greeting, EHLO/HELO/LHLO, 354, 334.
    pub fn plain(code: u16, text: impl Into<String>) -> Self {
        Reply {
            code,
            enhanced: None,
            lines: vec![text.into()],
        }
    }

    /// The first digit: 2 positive, 3 intermediate, 4 transient, 5 permanent (RFC 5321 4.2.1).
    pub fn class(&self) -> u16 {
        self.code / 100
    }

    pub fn is_positive(&self) -> bool {
        self.class() == 2
    }

    pub fn is_intermediate(&self) -> bool {
        self.class() == 3
    }

    pub fn is_transient(&self) -> bool {
        self.class() == 4
    }

    pub fn is_permanent(&self) -> bool {
        self.class() == 5
    }

    /// All lines' text joined by a space, for messages and logs.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// The reply as a server sends it: `250-...` for every line but the last, `250 ...` for
    /// the last, each ending in CRLF.
    pub fn to_wire(&self) -> Vec<u8> {
        let lines: &[String] = if self.lines.is_empty() {
            &[String::new()]
        } else {
            &self.lines
        };
        // Written in place: a server sends one of these for every command.
        let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 16).sum());
        for (i, text) in lines.iter().enumerate() {
            let sep = if i + 1 == lines.len() { ' ' } else { '-' };
            push_number(&mut out, self.code);
            out.push(sep);
            match &self.enhanced {
                Some(e) if text.is_empty() => e.push_to(&mut out),
                Some(e) => {
                    e.push_to(&mut out);
                    out.push(' ');
                    out.push_str(text);
                }
                // `334 ` keeps its space even when the challenge is empty (RFC 4954 4).
                None => out.push_str(text),
            }
            out.push_str("\r\n");
        }
        out.into_bytes()
    }
}

impl fmt::Display for Reply {
    /// The wire form with CRLF shown as line breaks, without the final one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wire = String::from_utf8_lossy(&self.to_wire()).replace("\r\n", "\n");
        f.write_str(wire.trim_end_matches('\n'))
    }
}

/// A reply line the client could not understand. It carries the bytes so nothing vanishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// Not `ddd`, `ddd text` or `ddd-text` (RFC 5321 4.2).
    Malformed { line: Vec<u8> },
    /// A continuation line whose code differs from the first line's (RFC 5321 4.2.1).
    CodeMismatch { line: Vec<u8> },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::Malformed { line } => write!(
                f,
                "malformed reply line {:?}",
                String::from_utf8_lossy(line)
            ),
            ReplyError::CodeMismatch { line } => {
                write!(
                    f,
                    "reply line with a different code {:?}",
                    String::from_utf8_lossy(line)
                )
            }
        }
    }
}

impl std::error::Error for ReplyError {}

/// Incremental reply parser: push bytes as they arrive, split anywhere; take whole replies.
#[derive(Debug, Default)]
pub struct ReplyParser {
    buf: Vec<u8>,
    /// Code and raw texts of the lines of a multi-line reply read so far.
    pending: Option<(u16, Vec<String>)>,
}

impl ReplyParser {
    pub fn new() -> Self {
        ReplyParser::default()
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// True when bytes of an unfinished reply are waiting.
    pub fn has_partial(&self) -> bool {
        !self.buf.is_empty() || self.pending.is_some()
    }

    /// The next complete reply, if all of its lines have arrived.
    pub fn next_reply(&mut self) -> Option<Result<Reply, ReplyError>> {
        loop {
            let lf = self.buf.iter().position(|&b| b == b'\n')?;
            // The line is read where it lies and then dropped from the buffer; only a line
            // that is refused is copied out, to go with its error.
            let raw = &self.buf[..lf];
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            let parsed = match split_line(line) {
                None => Err(ReplyError::Malformed { line: line.to_vec() }),
                Some((code, last, text)) => match self.pending.take() {
                    Some((first_code, _)) if first_code != code => Err(ReplyError::CodeMismatch { line: line.to_vec() }),
                    pending => Ok((code, last, text, pending.map_or_else(Vec::new, |(_, texts)| texts))),
                },
            };
            self.buf.drain(..=lf);
            let (code, last, text, mut texts) = match parsed {
                Ok(parts) => parts,
                Err(e @ ReplyError::Malformed { .. }) => {
                    self.pending = None;
                    return Some(Err(e));
                }
                Err(e) => return Some(Err(e)),
            };
            texts.push(text);
            if last {
                return Some(Ok(assemble(code, texts)));
            }
            self.pending = Some((code, texts));
        }
    }
}

/// `(code, is last line, text)`.
fn split_line(line: &[u8]) -> Option<(u16, bool, String)> {
    let text = std::str::from_utf8(line).ok()?;
    let digits = text.get(..3)?;
    let d = digits.as_bytes();
    // RFC 5321 4.2: first digit 2-5 (1 is unused in SMTP), then 0-5, then 0-9.
    if !(b'2'..=b'5').contains(&d[0]) || !(b'0'..=b'5').contains(&d[1]) || !d[2].is_ascii_digit() {
        return None;
    }
    let code = digits.parse().ok()?;
    match text.as_bytes().get(3) {
        None => Some((code, true, String::new())),
        Some(b' ') => Some((code, true, text[4..].to_string())),
        Some(b'-') => Some((code, false, text[4..].to_string())),
        Some(_) => None,
    }
}

/// Take the enhanced status off every line when the first line has one of the reply's class.
fn assemble(code: u16, texts: Vec<String>) -> Reply {
    let leading = |t: &str| {
        let word = t.split(' ').next().unwrap_or("");
        EnhancedStatus::parse(word).filter(|e| u16::from(e.class.digit()) == code / 100)
    };
    let enhanced = texts.first().and_then(|t| leading(t));
    let lines = texts
        .into_iter()
        .map(|mut t| match enhanced {
            Some(e) if leading(&t) == Some(e) => {
                // The status and the spaces after it are cut off in place.
                let word_len = t.find(' ').unwrap_or(t.len());
                let rest = t[word_len..].trim_start_matches(' ').len();
                t.drain(..t.len() - rest);
                t
            }
            _ => t,
        })
        .collect();
    Reply {
        code,
        enhanced,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ehlo_reply() -> Reply {
        Reply {
            code: 250,
            enhanced: None,
            lines: vec![
                "smtp.northwind.test".into(),
                "PIPELINING".into(),
                "8BITMIME".into(),
            ],
        }
    }

    #[test]
    fn formats_single_and_multi_line() {
        assert_eq!(
            Reply::new(250, EnhancedStatus::new(2, 1, 0), "Ok").to_wire(),
            b"250 2.1.0 Ok\r\n"
        );
        assert_eq!(Reply::plain(334, "").to_wire(), b"334 \r\n");
        assert_eq!(
            ehlo_reply().to_wire(),
            b"250-smtp.northwind.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
        );
        let help = Reply {
            code: 214,
            enhanced: Some(EnhancedStatus::new(2, 0, 0)),
            lines: vec!["one".into(), "two".into()],
        };
        assert_eq!(help.to_wire(), b"214-2.0.0 one\r\n214 2.0.0 two\r\n");
    }

    #[test]
    fn parses_back_what_it_formats() {
        let replies = [
            ehlo_reply(),
            Reply::new(
                550,
                EnhancedStatus::new(5, 1, 1),
                "<x@y.test>: Recipient address rejected",
            ),
            Reply::plain(220, "smtp.northwind.test ESMTP"),
            Reply::plain(334, "VXNlcm5hbWU6"),
            Reply::new(250, EnhancedStatus::new(2, 0, 0), ""),
        ];
        let mut parser = ReplyParser::new();
        for r in &replies {
            parser.push(&r.to_wire());
        }
        for r in &replies {
            assert_eq!(parser.next_reply(), Some(Ok(r.clone())));
        }
        assert_eq!(parser.next_reply(), None);
        assert!(!parser.has_partial());
    }

    #[test]
    fn copes_with_any_split() {
        let wire = b"250-smtp.northwind.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n250 2.1.0 Ok\r\n";
        for cut in 0..=wire.len() {
            let mut parser = ReplyParser::new();
            let mut got = Vec::new();
            for part in [&wire[..cut], &wire[cut..]] {
                parser.push(part);
                while let Some(r) = parser.next_reply() {
                    got.push(r.expect("valid"));
                }
            }
            assert_eq!(
                got,
                vec![
                    ehlo_reply(),
                    Reply::new(250, EnhancedStatus::new(2, 1, 0), "Ok")
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn enhanced_status_of_another_class_is_text() {
        let mut parser = ReplyParser::new();
        parser.push(b"250 5.1.1 is just text here\r\n");
        let r = parser.next_reply().expect("complete").expect("valid");
        assert_eq!(r.enhanced, None);
        assert_eq!(r.lines, vec!["5.1.1 is just text here".to_string()]);
    }

    #[test]
    fn reports_malformed_lines_with_their_bytes() {
        let mut parser = ReplyParser::new();
        parser.push(b"hello\r\n250-a\r\n251 b\r\n");
        assert_eq!(
            parser.next_reply(),
            Some(Err(ReplyError::Malformed {
                line: b"hello".to_vec()
            }))
        );
        assert_eq!(
            parser.next_reply(),
            Some(Err(ReplyError::CodeMismatch {
                line: b"251 b".to_vec()
            }))
        );
    }
}
