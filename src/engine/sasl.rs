//! SASL PLAIN (RFC 4616), the mechanism every protocol here offers: one message,
//! `authzid NUL authcid NUL passwd` in base64, inside SMTP AUTH (RFC 4954), POP3 AUTH
//! (RFC 5034) and IMAP AUTHENTICATE (RFC 9051 6.2.2). Both halves, written once.

use crate::engine::base64;

/// What a PLAIN response holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlainResponse {
    /// `*`: the client gives up (RFC 5034 4).
    Aborted,
    BadBase64,
    /// Decoded but not `authzid NUL authcid NUL passwd`, or asks to act as someone else.
    Malformed,
    Credentials {
        user: String,
        password: String,
    },
}

/// The client's half: no authzid (the user acts as itself), base64.
pub fn encode_plain(user: &str, password: &str) -> String {
    base64::encode(format!("\0{user}\0{password}").as_bytes())
}

/// The server's half: a client response as sent (`*` gives up, RFC 4954 4, RFC 5034 4,
/// RFC 9051 6.2.2).
pub fn decode_plain(response: &[u8]) -> PlainResponse {
    if response == b"*" {
        return PlainResponse::Aborted;
    }
    // RFC 4954 4, RFC 5034 4: `=` is an empty initial response.
    let decoded = if response == b"=" {
        Ok(Vec::new())
    } else {
        base64::decode_strict(response)
    };
    let Ok(decoded) = decoded else {
        return PlainResponse::BadBase64;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return PlainResponse::Malformed;
    };
    let parts: Vec<&str> = text.split('\0').collect();
    match parts.as_slice() {
        // RFC 4616 2: acting for another identity (authzid) is not supported.
        [authzid, authcid, passwd] if authzid.is_empty() || authzid == authcid => {
            PlainResponse::Credentials {
                user: authcid.to_string(),
                password: passwd.to_string(),
            }
        }
        _ => PlainResponse::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_responses() {
        let ok = base64::encode(b"\0bob@southbay.test\0builder");
        assert_eq!(
            decode_plain(ok.as_bytes()),
            PlainResponse::Credentials {
                user: "bob@southbay.test".into(),
                password: "builder".into()
            }
        );
        assert_eq!(decode_plain(b"*"), PlainResponse::Aborted);
        assert_eq!(
            decode_plain(encode_plain("bob@southbay.test", "builder").as_bytes()),
            decode_plain(ok.as_bytes())
        );
        assert_eq!(decode_plain(b"!!"), PlainResponse::BadBase64);
        assert_eq!(decode_plain(b"="), PlainResponse::Malformed);
        assert_eq!(
            decode_plain(base64::encode(b"eve\0bob\0pw").as_bytes()),
            PlainResponse::Malformed
        );
    }
}
