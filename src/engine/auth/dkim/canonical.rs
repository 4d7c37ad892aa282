//! DKIM's canonicalisation (RFC 6376 3.4): the form of the header fields and the body that is
//! hashed, so that the changes mail systems make on the way (`simple`: none; `relaxed`: case of
//! field names, white space, folding, empty lines at the end) do not break a signature.

/// One of the two algorithms, for the header or the body (`c=header/body`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canon {
    Simple,
    Relaxed,
}

impl Canon {
    pub fn name(self) -> &'static str {
        match self {
            Canon::Simple => "simple",
            Canon::Relaxed => "relaxed",
        }
    }

    /// `c=` as written in a signature; the body's is `simple` when left out (RFC 6376 3.5).
    pub fn parse_pair(text: &str) -> Option<(Canon, Canon)> {
        let one = |t: &str| match t.trim().to_ascii_lowercase().as_str() {
            "simple" => Some(Canon::Simple),
            "relaxed" => Some(Canon::Relaxed),
            _ => None,
        };
        match text.split_once('/') {
            Some((h, b)) => Some((one(h)?, one(b)?)),
            None => Some((one(text)?, Canon::Simple)),
        }
    }
}

/// A header field exactly as it travels: its name, and every byte from the name to the CRLF
/// that ends its last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The header fields of a message as raw bytes, and the offset where its body starts (after
/// the empty line; the end of the message when there is none).
pub fn raw_fields(message: &[u8]) -> (Vec<RawField<'_>>, usize) {
    let mut fields: Vec<RawField<'_>> = Vec::new();
    let mut at = 0;
    while at < message.len() {
        let end = line_end(message, at);
        let line = &message[at..end];
        if line == b"\r\n" || line == b"\n" {
            return (fields, end);
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            // A continuation line belongs to the field above (RFC 5322 2.2.3).
            if let Some(last) = fields.last_mut() {
                let start = last.bytes.as_ptr() as usize - message.as_ptr() as usize;
                last.bytes = &message[start..end];
            }
        } else if let Some(colon) = line.iter().position(|b| *b == b':') {
            let name = std::str::from_utf8(&line[..colon]).unwrap_or("").trim_end_matches([' ', '\t']);
            fields.push(RawField { name, bytes: line });
        }
        at = end;
    }
    (fields, message.len())
}

fn line_end(message: &[u8], from: usize) -> usize {
    message[from..].iter().position(|b| *b == b'\n').map_or(message.len(), |i| from + i + 1)
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// One header field in canonical form, with its CRLF (RFC 6376 3.4.1, 3.4.2).
pub fn header(canon: Canon, field: &[u8]) -> Vec<u8> {
    match canon {
        Canon::Simple => field.to_vec(),
        Canon::Relaxed => {
            let colon = field.iter().position(|b| *b == b':').unwrap_or(field.len());
            let name = String::from_utf8_lossy(&field[..colon]).trim_end_matches([' ', '\t']).to_ascii_lowercase();
            let mut out = name.into_bytes();
            out.push(b':');
            // Unfold, turn each run of white space into one space, trim both ends: the
            // body's rule for a line (3.4.4), without the space it keeps at the start.
            let unfolded: Vec<u8> = field.get(colon + 1..).unwrap_or(&[]).iter().copied().filter(|b| *b != b'\r' && *b != b'\n').collect();
            let value = relax_line(&unfolded);
            out.extend_from_slice(value.strip_prefix(b" ").unwrap_or(&value));
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

/// The body in canonical form (RFC 6376 3.4.3, 3.4.4).
pub fn body(canon: Canon, body: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let text = body.strip_suffix(b"\r\n").unwrap_or(body);
    if !body.is_empty() {
        for line in text.split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            lines.push(match canon {
                Canon::Simple => line.to_vec(),
                Canon::Relaxed => relax_line(line),
            });
        }
    }
    // Empty lines at the end are ignored.
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        // 3.4.3: an empty body is one CRLF for `simple`; 3.4.4: nothing for `relaxed`.
        return if canon == Canon::Simple { b"\r\n".to_vec() } else { Vec::new() };
    }
    let mut out = Vec::with_capacity(body.len());
    for line in lines {
        out.extend_from_slice(&line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// 3.4.4: white space at the end of a line goes, each run inside becomes one space.
fn relax_line(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut pending_space = false;
    for &b in line {
        if is_wsp(b) {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6376 3.4.5, the worked example: both header fields and the body, relaxed and
    /// simple.
    #[test]
    fn the_rfc_example_canonicalises_as_the_rfc_shows() {
        let message = b"A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";
        let (fields, at) = raw_fields(message);
        let relaxed: Vec<u8> = fields.iter().flat_map(|f| header(Canon::Relaxed, f.bytes)).collect();
        assert_eq!(relaxed, b"a:X\r\nb:Y Z\r\n");
        assert_eq!(body(Canon::Relaxed, &message[at..]), b" C\r\nD E\r\n");
        let simple: Vec<u8> = fields.iter().flat_map(|f| header(Canon::Simple, f.bytes)).collect();
        assert_eq!(simple, b"A: X\r\nB : Y\t\r\n\tZ  \r\n");
        assert_eq!(body(Canon::Simple, &message[at..]), b" C \r\nD \t E\r\n");
    }

    #[test]
    fn empty_bodies_differ_between_the_two() {
        assert_eq!(body(Canon::Simple, b""), b"\r\n");
        assert_eq!(body(Canon::Simple, b"\r\n\r\n"), b"\r\n");
        assert_eq!(body(Canon::Relaxed, b"\r\n\r\n"), b"");
        assert_eq!(body(Canon::Relaxed, b"Hi"), b"Hi\r\n");
    }

    #[test]
    fn the_c_tag_defaults_the_body_to_simple() {
        assert_eq!(Canon::parse_pair("relaxed"), Some((Canon::Relaxed, Canon::Simple)));
        assert_eq!(Canon::parse_pair("relaxed/relaxed"), Some((Canon::Relaxed, Canon::Relaxed)));
        assert_eq!(Canon::parse_pair("loose"), None);
    }
}
