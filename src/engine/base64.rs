//! Base64 (RFC 4648 4: the standard alphabet, with padding), shared by SASL (RFC 4954 4),
//! MIME bodies (RFC 2045 6.8) and encoded words (RFC 2047 4.1). Written by hand: some fifty
//! lines cost less wasm than a crate, and nothing here needs another alphabet.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// RFC 2045 6.8: 57 input octets make one 76-character line.
const LINE_INPUT: usize = 57;

/// Base64 without line breaks: SASL responses, RFC 2047 "B" words.
pub fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A MIME body: lines of at most 76 characters, each ended by CRLF (RFC 2045 6.8).
pub fn encode_lines(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 28 + 4);
    for line in data.chunks(LINE_INPUT) {
        out.push_str(&encode(line));
        out.push_str("\r\n");
    }
    out
}

/// A base64 text that does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset of the first bad octet in the input; the input's length when it is cut short.
    pub at: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64 at offset {}", self.at)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a MIME body or an encoded word, skipping line breaks and white space. RFC 2045 6.8
/// says decoders ignore other characters outside the alphabet too; we refuse them instead,
/// since the inspector should say when a part is damaged.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = false;
    for (at, &c) in text.iter().enumerate() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            b'\r' | b'\n' | b' ' | b'\t' => continue,
            _ => return Err(DecodeError { at }),
        };
        if padding {
            return Err(DecodeError { at });
        }
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Decodes one SASL response (RFC 4954 4), which must be canonical base64 (RFC 4648 3.3):
/// no white space, a multiple of four characters, at most two `=` and only at the end.
pub fn decode_strict(text: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if let Some(at) = text.iter().position(|c| c.is_ascii_whitespace()) {
        return Err(DecodeError { at });
    }
    let pads = text.iter().rev().take_while(|&&c| c == b'=').count();
    if pads > 2 {
        return Err(DecodeError {
            at: text.len() - pads,
        });
    }
    if text.len() % 4 != 0 {
        return Err(DecodeError { at: text.len() });
    }
    // With those checks, decode's own rules (only `=` after the first `=`) finish the job.
    decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // RFC 4648 10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded.as_bytes()), Ok(plain.as_bytes().to_vec()));
            assert_eq!(
                decode_strict(encoded.as_bytes()),
                Ok(plain.as_bytes().to_vec())
            );
        }
        // The AUTH PLAIN response of a classic submission transcript, and the AUTH LOGIN prompts.
        assert_eq!(
            encode(b"\0alice@northwind.test\0wonderland"),
            "AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ="
        );
        assert_eq!(encode(b"Username:"), "VXNlcm5hbWU6");
        assert_eq!(encode(b"Password:"), "UGFzc3dvcmQ6");
    }

    #[test]
    fn round_trips_every_length_and_octet() {
        for len in 0..10 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 200) as u8).collect();
            assert_eq!(decode_strict(encode(&data).as_bytes()), Ok(data));
        }
    }

    #[test]
    fn lines_are_76_and_round_trip() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let text = encode_lines(&data);
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 1000usize.div_ceil(57));
        assert!(lines[..lines.len() - 1].iter().all(|l| l.len() == 76));
        assert!(text.ends_with("\r\n"));
        assert_eq!(decode(text.as_bytes()), Ok(data));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode(b"Zm9v!"), Err(DecodeError { at: 4 }));
        assert_eq!(decode(b"Zg==Zg=="), Err(DecodeError { at: 4 }));
    }

    #[test]
    fn strict_rejects_what_sasl_must_refuse() {
        for bad in [
            "abc", "ab=c", "a===", "ab==abcd", "a*cd", "Zm9v\r\n", "Zm 9v",
        ] {
            assert!(decode_strict(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }
}
