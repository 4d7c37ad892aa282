//! The server's fixed texts, following Dovecot 2.3's wording (imap-login and imap) without
//! its timing suffix `(0.001 + 0.000 secs)`, which would make traces depend on the machine.

/// Capabilities before login (RFC 3501 7.2.1). IMAP4rev1 alone, as Dovecot 2.3 says: the
/// session follows rev1's rules (`\Recent`, SEARCH and LSUB as RFC 3501 has them), and
/// advertising IMAP4rev2 would promise RFC 9051's after ENABLE.
pub fn pre_login_capabilities(tls: bool, offer_starttls: bool, login_allowed: bool) -> String {
    let mut caps = vec![
        "IMAP4rev1",
        "SASL-IR",
        "ID",
        "ENABLE",
        "IDLE",
        "LITERAL+",
    ];
    if offer_starttls && !tls {
        caps.push("STARTTLS");
    }
    if login_allowed {
        caps.push("AUTH=PLAIN");
    } else {
        // RFC 9051 6.2.3: LOGIN is disabled until TLS.
        caps.push("LOGINDISABLED");
    }
    caps.join(" ")
}

/// Capabilities after login: what this server implements.
pub fn post_login_capabilities() -> String {
    [
        "IMAP4rev1",
        "SASL-IR",
        "ID",
        "ENABLE",
        "IDLE",
        "LITERAL+",
        "NAMESPACE",
        "UNSELECT",
        "UIDPLUS",
        "MOVE",
        "CHILDREN",
        "SPECIAL-USE",
        "LIST-EXTENDED",
        "STATUS=SIZE",
    ]
    .join(" ")
}

pub const GREETING: &str = "Dovecot ready.";
pub const LOGGED_IN: &str = "Logged in";
pub const AUTH_FAILED: &str = "Authentication failed.";
pub const PRIVACY_REQUIRED: &str =
    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
pub const NO_MAILBOX_SELECTED: &str = "No mailbox selected.";
pub const READ_ONLY: &str = "Mailbox is read-only.";
pub const BYE_LOGOUT: &str = "Logging out";
pub const BYE_AUTOLOGOUT: &str = "Disconnected for inactivity.";
pub const LITERAL_CONTINUE: &[u8] = b"+ OK\r\n";
pub const IDLING: &[u8] = b"+ idling\r\n";
pub const UNKNOWN_COMMAND: &str = "Unknown command.";
pub const INVALID_MESSAGESET: &str = "Invalid messageset";

/// `Error in IMAP command NAME: reason` (Dovecot's BAD wording).
pub fn bad_command(name: &str, reason: &str) -> String {
    if name.is_empty() {
        "Error in IMAP command received by server.".into()
    } else {
        format!("Error in IMAP command {name}: {reason}")
    }
}

/// `Select completed.`, `Fetch completed.`: Dovecot names the command.
pub fn completed(name: &str) -> String {
    let mut word = name.to_ascii_lowercase();
    if let Some(first) = word.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{word} completed.")
}
