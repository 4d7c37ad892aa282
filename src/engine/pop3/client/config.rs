//! How a POP3 client logs in and what it does with the mail it finds: the settings a mail
//! program shows as "leave messages on server" and "delete after download".

use std::collections::BTreeSet;

/// How to log in (RFC 1939 7, RFC 5034).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// USER then PASS: the password in clear, so only inside TLS (RFC 8314).
    UserPass,
    /// APOP name digest: the password never travels, but MD5 and a shared secret.
    Apop,
    /// AUTH PLAIN with an initial response (RFC 5034, RFC 4616).
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsPolicy {
    /// Stay in clear (a classroom link, or APOP on an old server).
    None,
    /// STLS when CAPA offers it, otherwise carry on in clear.
    StlsIfOffered,
    /// STLS or give up before logging in.
    RequireStls,
    /// Already inside TLS: port 995 (RFC 8314 3.1).
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub user: String,
    /// The password, which is also APOP's shared secret.
    pub password: String,
    pub login: Login,
    pub tls: TlsPolicy,
    /// Delete each message after downloading it (DELE, effective at QUIT); `false` is
    /// "leave messages on server".
    pub delete_after_download: bool,
    /// UIDLs downloaded in earlier sessions: skipped. Remembering them between sessions is
    /// the caller's job, as a mail program keeps them on disk (RFC 1939 7 on UIDL).
    pub seen_uidls: BTreeSet<String>,
    /// How long to wait for each response, in milliseconds: RFC 1939 3's ten minutes.
    pub response_timeout_ms: u64,
}

impl ClientConfig {
    /// USER/PASS after STLS, leaving messages on the server: today's usual settings.
    pub fn new(user: &str, password: &str) -> Self {
        ClientConfig {
            user: user.to_string(),
            password: password.to_string(),
            login: Login::UserPass,
            tls: TlsPolicy::StlsIfOffered,
            delete_after_download: false,
            seen_uidls: BTreeSet::new(),
            response_timeout_ms: 600_000,
        }
    }
}
