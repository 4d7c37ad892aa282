//! Base64 (RFC 4648 4) for SASL exchanges (RFC 4954 4). Hand-written: some thirty lines cost
//! less wasm than a crate, and SASL needs only the standard alphabet with padding.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Strict decoding: length a multiple of 4, padding only at the end. `None` if malformed.
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let b = input.as_bytes();
    if b.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    for (index, quad) in b.chunks(4).enumerate() {
        let last = index + 1 == b.len() / 4;
        let pads = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pads > 2 || (pads > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pads] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pads as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pads]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_values() {
        // The AUTH PLAIN response of TEACHING.md's transcript.
        assert_eq!(
            encode(b"\0alice@northwind.test\0wonderland"),
            "AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ="
        );
        // The AUTH LOGIN prompts.
        assert_eq!(encode(b"Username:"), "VXNlcm5hbWU6");
        assert_eq!(encode(b"Password:"), "UGFzc3dvcmQ6");
        for len in 0..10 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 200) as u8).collect();
            assert_eq!(decode(&encode(&data)), Some(data));
        }
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(decode("abc"), None);
        assert_eq!(decode("ab=c"), None);
        assert_eq!(decode("a==="), None);
        assert_eq!(decode("ab==abcd"), None);
        assert_eq!(decode("a*cd"), None);
    }
}
