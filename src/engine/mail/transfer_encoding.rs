//! Content-Transfer-Encoding (RFC 2045 6): which one a body needs, and quoted-printable
//! written by hand (a few dozen lines, exact, no dependency); base64 is [`crate::engine::base64`].

use super::header::MAX_LINE_LENGTH;

/// RFC 2045 6.1 mechanisms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferEncoding {
    /// ASCII text in lines of at most 998 octets (RFC 2045 2.7).
    SevenBit,
    /// Like 7bit but with octets above 127; needs 8BITMIME on every hop (RFC 6152).
    EightBit,
    /// Mostly-readable text with `=XX` escapes (RFC 2045 6.7).
    QuotedPrintable,
    /// Any bytes, 76-character lines (RFC 2045 6.8).
    Base64,
}

impl TransferEncoding {
    /// The header value, as RFC 2045 6.1 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferEncoding::SevenBit => "7bit",
            TransferEncoding::EightBit => "8bit",
            TransferEncoding::QuotedPrintable => "quoted-printable",
            TransferEncoding::Base64 => "base64",
        }
    }

    /// The lightest encoding that carries `text` (already CRLF-normalised) intact: 7bit when
    /// it is ASCII, 8bit when it is not and the path accepts 8BITMIME, else quoted-printable.
    /// Quoted-printable also when a line is too long or a NUL appears (RFC 2045 2.7, 2.8).
    pub fn for_text(text: &[u8], eight_bit_allowed: bool) -> TransferEncoding {
        let too_long = text
            .split(|b| *b == b'\n')
            .any(|line| line.strip_suffix(b"\r").unwrap_or(line).len() > MAX_LINE_LENGTH);
        if too_long || text.contains(&0) {
            TransferEncoding::QuotedPrintable
        } else if text.is_ascii() {
            TransferEncoding::SevenBit
        } else if eight_bit_allowed {
            TransferEncoding::EightBit
        } else {
            TransferEncoding::QuotedPrintable
        }
    }
}

/// Every line ending in `text` as CRLF (RFC 5322 2.1), whether it was LF, CR or CRLF.
pub fn normalize_line_endings(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            _ => out.push(c),
        }
    }
    out
}

/// RFC 2045 6.7 rule 5: encoded lines are at most 76 characters, the soft break `=` included.
const QP_LINE_LIMIT: usize = 76;

/// Quoted-printable (RFC 2045 6.7) of CRLF-normalised text: line breaks stay line breaks
/// (rule 4), `=` and octets outside 33..126 become `=XX` (rules 1, 2), white space at a line
/// end is escaped (rule 3), and long lines get soft breaks (rule 5).
pub fn quoted_printable_encode(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut lines = text.split(|b| *b == b'\n').peekable();
    while let Some(raw) = lines.next() {
        let is_last = lines.peek().is_none();
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let at_line_end = i + 1 == line.len();
            let literal =
                matches!(b, 33..=60 | 62..=126) || ((b == b' ' || b == b'\t') && !at_line_end);
            let token_len = if literal { 1 } else { 3 };
            // Leave room for the soft break unless this token ends the line.
            let limit = if at_line_end {
                QP_LINE_LIMIT
            } else {
                QP_LINE_LIMIT - 1
            };
            if width + token_len > limit {
                out.push_str("=\r\n");
                width = 0;
            }
            if literal {
                out.push(b as char);
            } else {
                out.push_str(&format!("={b:02X}"));
            }
            width += token_len;
        }
        if !is_last {
            out.push_str("\r\n");
        }
    }
    out
}

/// Decodes quoted-printable, for the inspector and for tests. Malformed escapes are kept as
/// they are (RFC 2045 6.7 note (2) suggests exactly that).
pub fn quoted_printable_decode(text: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'=' {
            if text[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if text[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                text.get(i + 1).copied().and_then(hex),
                text.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_of_encoding() {
        assert_eq!(
            TransferEncoding::for_text(b"Hi\r\n", false),
            TransferEncoding::SevenBit
        );
        let umlaut = "Grüße\r\n".as_bytes();
        assert_eq!(
            TransferEncoding::for_text(umlaut, true),
            TransferEncoding::EightBit
        );
        assert_eq!(
            TransferEncoding::for_text(umlaut, false),
            TransferEncoding::QuotedPrintable
        );
        let long = "a".repeat(999);
        assert_eq!(
            TransferEncoding::for_text(long.as_bytes(), true),
            TransferEncoding::QuotedPrintable
        );
        let just_fits = format!("{}\r\n", "a".repeat(998));
        assert_eq!(
            TransferEncoding::for_text(just_fits.as_bytes(), true),
            TransferEncoding::SevenBit
        );
    }

    #[test]
    fn line_endings_become_crlf() {
        assert_eq!(normalize_line_endings("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
    }

    #[test]
    fn quoted_printable_escapes_and_soft_breaks() {
        assert_eq!(
            quoted_printable_encode("Grüße = 1 \r\nx".as_bytes()),
            "Gr=C3=BC=C3=9Fe =3D 1=20\r\nx"
        );
        let long = "a".repeat(200);
        let encoded = quoted_printable_encode(long.as_bytes());
        for line in encoded.split("\r\n") {
            assert!(line.len() <= 76, "{line}");
        }
        assert_eq!(encoded.split("\r\n").next().map(str::len), Some(76));
        assert_eq!(quoted_printable_decode(encoded.as_bytes()), long.as_bytes());
    }

    #[test]
    fn quoted_printable_round_trips_awkward_text() {
        let text = format!(
            "{}\r\n\tend with tab\t\r\n{}=\r\n",
            "é".repeat(60),
            "b ".repeat(50)
        );
        let encoded = quoted_printable_encode(text.as_bytes());
        assert!(encoded.is_ascii());
        for line in encoded.split("\r\n") {
            assert!(line.len() <= 76, "{line}");
            assert!(!line.ends_with(' ') && !line.ends_with('\t'), "{line:?}");
        }
        assert_eq!(quoted_printable_decode(encoded.as_bytes()), text.as_bytes());
    }
}
