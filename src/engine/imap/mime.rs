//! The MIME structure of a message (RFC 2045, RFC 2046) as IMAP needs it: a tree of parts,
//! each with its header and body as slices of the message's bytes, for BODYSTRUCTURE and
//! `BODY[1.2.MIME]`-style sections (RFC 9051 6.4.5).

use crate::engine::mail::header::parse_header_section;
use crate::engine::mail::HeaderField;

/// How deep multiparts and attached messages may nest before the rest is taken as opaque:
/// a hostile message must not exhaust the stack.
const MAX_DEPTH: usize = 16;

/// A header value of the `type/subtype; name=value` family (Content-Type, RFC 2045 5.1;
/// Content-Disposition, RFC 2183 2): the leading token and its parameters, names and
/// values as written, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterizedValue {
    pub value: String,
    pub params: Vec<(String, String)>,
}

impl ParameterizedValue {
    pub fn parse(text: &str) -> ParameterizedValue {
        let mut pieces = split_params(text).into_iter();
        let value = pieces.next().unwrap_or_default().trim().to_string();
        let params = pieces
            .filter_map(|p| {
                let (name, value) = p.split_once('=')?;
                let value = value.trim();
                let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
                    None => value.to_string(),
                };
                Some((name.trim().to_string(), value))
            })
            .filter(|(name, _)| !name.is_empty())
            .collect();
        ParameterizedValue { value, params }
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits at `;` outside quotes and drops `(comments)`.
fn split_params(text: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let (mut quoted, mut escaped, mut comment) = (false, false, 0u32);
    for c in text.chars() {
        let current = pieces.last_mut();
        let Some(current) = current else { break };
        if quoted {
            current.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if comment > 0 {
            match c {
                '(' => comment += 1,
                ')' => comment -= 1,
                _ => {}
            }
        } else {
            match c {
                '"' => {
                    quoted = true;
                    current.push(c);
                }
                '(' => comment = 1,
                ';' => pieces.push(String::new()),
                _ => current.push(c),
            }
        }
    }
    pieces
}

/// One MIME entity.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    /// The header section, the empty line that ends it included (empty if it has none).
    pub header: &'a [u8],
    pub body: &'a [u8],
    pub fields: Vec<HeaderField>,
    /// Lower-case type and subtype, defaults applied (RFC 2045 5.2: `text/plain`).
    pub media_type: String,
    pub media_subtype: String,
    /// The Content-Type header as written, if there is one.
    pub content_type: Option<ParameterizedValue>,
    /// The parts of a multipart (RFC 2046 5.1).
    pub children: Vec<Part<'a>>,
    /// The message inside a message/rfc822 part (RFC 2046 5.2.1).
    pub message: Option<Box<Part<'a>>>,
}

impl<'a> Part<'a> {
    /// A whole message (or a body part: the header rules are the same).
    pub fn parse(bytes: &'a [u8]) -> Part<'a> {
        parse_entity(bytes, false, 0)
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_str())
    }

    pub fn is_multipart(&self) -> bool {
        self.media_type == "multipart"
    }
}

fn parse_entity(bytes: &[u8], in_digest: bool, depth: usize) -> Part<'_> {
    let (fields, body_at) = parse_header_section(bytes);
    let (header, body) = bytes.split_at(body_at.min(bytes.len()));
    let content_type = fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("Content-Type"))
        .map(|f| ParameterizedValue::parse(&f.value));
    // RFC 2045 5.2 / RFC 2046 5.1.5: the default is text/plain, message/rfc822 in a digest.
    let (media_type, media_subtype) = content_type
        .as_ref()
        .and_then(|ct| ct.value.split_once('/'))
        .map(|(t, s)| (t.trim().to_ascii_lowercase(), s.trim().to_ascii_lowercase()))
        .unwrap_or_else(|| {
            if in_digest {
                ("message".into(), "rfc822".into())
            } else {
                ("text".into(), "plain".into())
            }
        });
    let mut part = Part {
        header,
        body,
        fields,
        media_type,
        media_subtype,
        content_type,
        children: Vec::new(),
        message: None,
    };
    if depth >= MAX_DEPTH {
        return part;
    }
    if part.media_type == "multipart" {
        if let Some(boundary) = part
            .content_type
            .as_ref()
            .and_then(|ct| ct.param("boundary"))
        {
            let digest = part.media_subtype == "digest";
            part.children = split_multipart(body, boundary.as_bytes())
                .into_iter()
                .map(|b| parse_entity(b, digest, depth + 1))
                .collect();
        }
    } else if part.media_type == "message" && part.media_subtype == "rfc822" {
        part.message = Some(Box::new(parse_entity(body, false, depth + 1)));
    }
    part
}

/// The bodies between `--boundary` delimiter lines (RFC 2046 5.1.1): the CRLF before a
/// delimiter belongs to it, and the preamble and epilogue are dropped.
fn split_multipart<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    let mut line_start = 0;
    while line_start < body.len() {
        let line_end = body[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |p| line_start + p + 1);
        let line = &body[line_start..line_end];
        if let Some(rest) = line.strip_prefix(delimiter.as_slice()) {
            let closing = rest.starts_with(b"--");
            let rest = if closing { &rest[2..] } else { rest };
            // Only white space may follow the boundary on its line (RFC 2046 5.1.1).
            if rest.iter().all(|b| b.is_ascii_whitespace()) {
                if let Some(start) = open {
                    let mut end = line_start.max(start);
                    if end > start && body[end - 1] == b'\n' {
                        end -= 1;
                        if end > start && body[end - 1] == b'\r' {
                            end -= 1;
                        }
                    }
                    parts.push(&body[start..end]);
                }
                if closing {
                    return parts;
                }
                open = Some(line_end);
            }
        }
        line_start = line_end;
    }
    // No closing delimiter: the last part runs to the end.
    if let Some(start) = open {
        parts.push(&body[start.min(body.len())..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const MIXED: &[u8] = b"From: a@b.test\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n--XX\r\n\r\nplain text\r\n--XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--XX--\r\nepilogue\r\n";

    #[test]
    fn parameters() {
        let ct =
            ParameterizedValue::parse("Text/Plain; charset=\"UTF-8\" (comment); format=flowed");
        assert_eq!(ct.value, "Text/Plain");
        assert_eq!(ct.param("CHARSET"), Some("UTF-8"));
        assert_eq!(ct.param("format"), Some("flowed"));
        let cd = ParameterizedValue::parse("attachment; filename=\"a;b.txt\"");
        assert_eq!(cd.param("filename"), Some("a;b.txt"));
    }

    #[test]
    fn multipart_tree_with_an_attached_message() {
        let root = Part::parse(MIXED);
        assert!(root.is_multipart());
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[0].header, b"\r\n");
        assert_eq!(root.children[0].body, b"plain text");
        assert_eq!(root.children[0].media_type, "text");
        let attached = &root.children[1];
        assert_eq!(attached.media_subtype, "rfc822");
        let inner = attached.message.as_deref().expect("the attached message");
        assert_eq!(inner.field("subject"), Some("inner"));
        assert_eq!(inner.body, b"inner body");
    }

    #[test]
    fn single_part_and_unterminated_multipart() {
        let plain = Part::parse(b"Subject: x\r\n\r\nbody\r\n");
        assert_eq!(
            (plain.media_type.as_str(), plain.media_subtype.as_str()),
            ("text", "plain")
        );
        assert!(plain.children.is_empty());
        let cut = Part::parse(b"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n");
        assert_eq!(cut.children.len(), 2);
        assert_eq!(cut.children[1].body, b"two\r\n");
    }

    #[test]
    fn deep_nesting_stops() {
        let mut msg = b"Subject: x\r\n\r\nend".to_vec();
        for _ in 0..100 {
            let mut outer = b"Content-Type: message/rfc822\r\n\r\n".to_vec();
            outer.extend_from_slice(&msg);
            msg = outer;
        }
        let mut part = Part::parse(&msg);
        let mut depth = 0;
        while let Some(inner) = part.message {
            part = *inner;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
    }
}
