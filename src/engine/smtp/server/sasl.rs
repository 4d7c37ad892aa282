//! The server's half of the SASL mechanisms PLAIN (RFC 4616) and LOGIN (the de-facto
//! mechanism of Outlook and old clients, draft-murchison-sasl-login) inside AUTH (RFC 4954).

use crate::engine::sasl::{self, Response};

/// Where an AUTH exchange stands: which client response comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sasl {
    /// `authzid NUL authcid NUL passwd`, base64.
    Plain,
    LoginUsername,
    LoginPassword {
        username: String,
    },
}

/// What one client response leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The client sent `*` (RFC 4954 4).
    Aborted,
    BadBase64,
    /// Decoded but not a valid response (e.g. PLAIN without its two NULs).
    Failed,
    /// Send this state's challenge and wait.
    Continue(Sasl),
    Credentials {
        username: String,
        password: String,
    },
}

impl Sasl {
    pub fn start(mechanism: &str) -> Option<Sasl> {
        match mechanism {
            "PLAIN" => Some(Sasl::Plain),
            "LOGIN" => Some(Sasl::LoginUsername),
            _ => None,
        }
    }

    /// The base64 text after `334 `: PLAIN's is empty, LOGIN asks "Username:", "Password:".
    pub fn challenge(&self) -> &'static str {
        match self {
            Sasl::Plain => "",
            Sasl::LoginUsername => "VXNlcm5hbWU6",
            Sasl::LoginPassword { .. } => "UGFzc3dvcmQ6",
        }
    }

    pub fn step(self, response: &[u8]) -> Step {
        let text = match sasl::decode_response(response) {
            Response::Aborted => return Step::Aborted,
            Response::BadBase64 => return Step::BadBase64,
            Response::NotText => return Step::Failed,
            Response::Text(text) => text,
        };
        match self {
            Sasl::Plain => match sasl::plain_credentials(&text) {
                Some((username, password)) => Step::Credentials { username, password },
                None => Step::Failed,
            },
            Sasl::LoginUsername => Step::Continue(Sasl::LoginPassword { username: text }),
            Sasl::LoginPassword { username } => Step::Credentials {
                username,
                password: text,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::base64;

    #[test]
    fn plain_and_login() {
        assert_eq!(
            Sasl::Plain.step(b"AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ="),
            Step::Credentials {
                username: "alice@northwind.test".into(),
                password: "wonderland".into()
            }
        );
        let Step::Continue(next) = Sasl::LoginUsername.step(base64::encode(b"bob").as_bytes())
        else {
            panic!("LOGIN should ask for the password")
        };
        assert_eq!(next.challenge(), "UGFzc3dvcmQ6");
        assert_eq!(
            next.step(base64::encode(b"builder").as_bytes()),
            Step::Credentials {
                username: "bob".into(),
                password: "builder".into()
            }
        );
    }

    #[test]
    fn aborts_and_failures() {
        assert_eq!(Sasl::Plain.step(b"*"), Step::Aborted);
        assert_eq!(Sasl::Plain.step(b"not base64!"), Step::BadBase64);
        assert_eq!(Sasl::Plain.step(b"="), Step::Failed);
        assert_eq!(
            Sasl::Plain.step(base64::encode(b"eve\0bob\0pw").as_bytes()),
            Step::Failed
        );
    }
}
