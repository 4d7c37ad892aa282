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

/// One client response of a SASL exchange, as sent on its own line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// `*`: the client gives up (RFC 4954 4, RFC 5034 4, RFC 9051 6.2.2).
    Aborted,
    BadBase64,
    /// Decoded, but not UTF-8 text.
    NotText,
    Text(String),
}

/// Decodes one response: `=` is an empty one (RFC 4954 4, RFC 5034 4), anything else strict
/// base64 of text. Every mechanism here (PLAIN, and LOGIN in SMTP) reads its responses so.
pub fn decode_response(response: &[u8]) -> Response {
    if response == b"*" {
        return Response::Aborted;
    }
    let decoded = if response == b"=" {
        Ok(Vec::new())
    } else {
        base64::decode_strict(response)
    };
    match decoded.map(String::from_utf8) {
        Err(_) => Response::BadBase64,
        Ok(Err(_)) => Response::NotText,
        Ok(Ok(text)) => Response::Text(text),
    }
}

/// PLAIN's decoded message, `authzid NUL authcid NUL passwd` (RFC 4616 2), as user and
/// password; `None` when it is not that, or asks to act as someone else (not supported).
pub fn plain_credentials(text: &str) -> Option<(String, String)> {
    match text.split('\0').collect::<Vec<_>>().as_slice() {
        [authzid, authcid, passwd] if authzid.is_empty() || authzid == authcid => {
            Some((authcid.to_string(), passwd.to_string()))
        }
        _ => None,
    }
}

/// The server's half: a client's PLAIN response as sent.
pub fn decode_plain(response: &[u8]) -> PlainResponse {
    match decode_response(response) {
        Response::Aborted => PlainResponse::Aborted,
        Response::BadBase64 => PlainResponse::BadBase64,
        Response::NotText => PlainResponse::Malformed,
        Response::Text(text) => match plain_credentials(&text) {
            Some((user, password)) => PlainResponse::Credentials { user, password },
            None => PlainResponse::Malformed,
        },
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
