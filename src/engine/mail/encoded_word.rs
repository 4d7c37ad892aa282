//! RFC 2047 encoded-words: how a Subject or a display name carries non-ASCII text in a header
//! that must be ASCII (RFC 5322 2.2).

use crate::engine::base64;

/// Characters that stay literal inside a "Q" word. RFC 2047 5 (3) is the strictest context
/// (a word inside a phrase, such as a display name): only letters, digits and `!*+-/`. Using
/// it everywhere keeps one encoder valid in Subject and in From alike.
fn q_literal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/')
}

const PREFIX: &str = "=?UTF-8?Q?";
const SUFFIX: &str = "?=";
/// RFC 2047 2 allows 75 characters per word; 60 keeps `Subject: ` plus the first word within
/// the 78 that RFC 5322 2.1.1 prefers, so folding never has to break right after the colon.
const MAX_WORD: usize = 60;

/// Whether `text` cannot go into a header as it is: non-ASCII, or something that would read
/// as an encoded-word itself (RFC 2047 6.2 decoders look for `=?`).
pub fn needs_encoding(text: &str) -> bool {
    !text.is_ascii() || text.contains("=?")
}

/// `text` as a run of "Q" encoded-words separated by single spaces (where folding may break
/// the line). A character's octets never straddle two words (RFC 2047 5, last paragraph).
pub fn encode(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::from(PREFIX);
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let mut piece = String::new();
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            if b == b' ' {
                // RFC 2047 4.2 (2): "_" stands for a space, one character instead of three.
                piece.push('_');
            } else if q_literal(b) {
                piece.push(b as char);
            } else {
                piece.push_str(&format!("={b:02X}"));
            }
        }
        if current.len() + piece.len() + SUFFIX.len() > MAX_WORD && current.len() > PREFIX.len() {
            current.push_str(SUFFIX);
            words.push(std::mem::replace(&mut current, String::from(PREFIX)));
        }
        current.push_str(&piece);
    }
    current.push_str(SUFFIX);
    words.push(current);
    words.join(" ")
}

/// Decodes the encoded-words in a header value (both "Q" and "B"; UTF-8 and ASCII charsets,
/// others shown lossily), dropping the white space between adjacent words (RFC 2047 6.2).
/// For the inspector; text that is not an encoded-word passes through.
pub fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut pending_space = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        let word_end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let (token, tail) = rest.split_at(word_end);
        let space_end = tail.find(|c| c != ' ' && c != '\t').unwrap_or(tail.len());
        let (space, next) = tail.split_at(space_end);
        match decode_word(token) {
            Some(decoded) => {
                if !after_word {
                    out.push_str(&pending_space);
                }
                out.push_str(&decoded);
                after_word = true;
            }
            None => {
                out.push_str(&pending_space);
                out.push_str(token);
                after_word = false;
            }
        }
        pending_space = space.to_string();
        rest = next;
    }
    out.push_str(&pending_space);
    out
}

fn decode_word(token: &str) -> Option<String> {
    let inner = token.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let _charset = parts.next()?;
    let encoding = parts.next()?;
    let text = parts.next()?;
    let bytes = match encoding {
        "Q" | "q" => {
            let spaced: Vec<u8> = text
                .bytes()
                .map(|b| if b == b'_' { b' ' } else { b })
                .collect();
            super::transfer_encoding::quoted_printable_decode(&spaced)
        }
        "B" | "b" => base64::decode(text.as_bytes()).ok()?,
        _ => return None,
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_utf8_with_underscores_for_spaces() {
        assert_eq!(
            encode("Grüße aus Köln"),
            "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?="
        );
        assert!(needs_encoding("Grüße"));
        assert!(!needs_encoding("Hello"));
        assert!(needs_encoding("=?looks?like?="));
    }

    #[test]
    fn long_text_splits_into_words_of_at_most_60_without_splitting_characters() {
        let text = "Здравствуйте, это длинная тема письма на русском языке";
        let encoded = encode(text);
        let words: Vec<&str> = encoded.split(' ').collect();
        assert!(words.len() > 1);
        for word in &words {
            assert!(word.len() <= MAX_WORD, "{word}");
            assert!(word.starts_with(PREFIX) && word.ends_with(SUFFIX));
            // Each word must decode on its own to whole characters.
            let alone = decode(word);
            assert!(!alone.contains('\u{FFFD}'), "{word} split a character");
        }
        assert_eq!(decode(&encoded), text);
    }

    #[test]
    fn decode_handles_b_words_and_plain_text() {
        assert_eq!(
            decode("=?utf-8?B?R3LDvMOfZQ==?= und =?UTF-8?Q?mehr?="),
            "Grüße und mehr"
        );
        assert_eq!(decode("plain  text"), "plain  text");
        assert_eq!(decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
    }
}
