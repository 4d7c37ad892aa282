//! Multipart bodies (RFC 2046 5.1): a deterministic boundary and the delimiter layout.

use crate::engine::hash::fnv1a64;

/// One body part: its header fields (already folded, each ending in CRLF) and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPart {
    pub header: String,
    pub content: Vec<u8>,
}

/// A boundary derived from `seed` (the message id), so one message always gets the same one.
///
/// It starts with `=_`, which can never occur in base64 or quoted-printable output (RFC 2045
/// 6.7, 6.8), the old trick that makes most collisions impossible; 7bit and 8bit parts could
/// still hold it, so the candidates are checked against the contents, and a counter is
/// appended until one is absent (RFC 2046 5.1.1 requires that).
pub fn choose_boundary(seed: &str, contents: &[&[u8]]) -> String {
    let base = format!("=_mailflow_{:016x}", fnv1a64(seed.as_bytes()));
    let mut candidate = base.clone();
    let mut counter = 0u32;
    while contents
        .iter()
        .any(|content| contains_delimiter(content, &candidate))
    {
        counter += 1;
        candidate = format!("{base}.{counter}");
    }
    candidate
}

fn contains_delimiter(content: &[u8], boundary: &str) -> bool {
    let delimiter = format!("--{boundary}");
    // Compared only where a `-` stands: most of a message is not one.
    content
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'-' && content[i..].starts_with(delimiter.as_bytes()))
}

/// Writes `preamble`, the parts and the close delimiter (RFC 2046 5.1.1). The CRLF before each
/// delimiter belongs to the delimiter, not to the part, so one is always written after a
/// part's content: the content comes out exactly as given, last line break included.
pub fn write_multipart(out: &mut Vec<u8>, boundary: &str, preamble: &str, parts: &[BodyPart]) {
    out.extend_from_slice(preamble.as_bytes());
    if !preamble.is_empty() && !preamble.ends_with("\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part.header.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.content);
    }
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_is_a_pure_function_of_the_seed() {
        let a = choose_boundary("<1@x.test>", &[]);
        assert_eq!(a, choose_boundary("<1@x.test>", &[]));
        assert_ne!(a, choose_boundary("<2@x.test>", &[]));
        assert!(a.starts_with("=_mailflow_") && a.len() == 27);
    }

    #[test]
    fn boundary_avoids_content_that_holds_it() {
        let first = choose_boundary("seed", &[]);
        let tricky = format!("quoting a message:\r\n--{first}\r\n");
        let chosen = choose_boundary("seed", &[tricky.as_bytes()]);
        assert_eq!(chosen, format!("{first}.1"));
        let trickier = format!("--{first}\r\n--{first}.1\r\n");
        assert_eq!(
            choose_boundary("seed", &[trickier.as_bytes()]),
            format!("{first}.2")
        );
    }

    #[test]
    fn layout_follows_rfc_2046() {
        let mut out = Vec::new();
        let parts = [
            BodyPart {
                header: "Content-Type: text/plain\r\n".into(),
                content: b"Hi\r\n".to_vec(),
            },
            BodyPart {
                header: "Content-Type: text/plain\r\n".into(),
                content: Vec::new(),
            },
        ];
        write_multipart(&mut out, "B", "Preamble.", &parts);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Preamble.\r\n--B\r\nContent-Type: text/plain\r\n\r\nHi\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n\r\n--B--\r\n"
        );
    }
}
