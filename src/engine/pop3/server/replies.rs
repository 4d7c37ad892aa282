//! Every status line the server sends, in Dovecot's wording (its pop3-login and pop3
//! processes, 2.3), written from memory of its sources and sessions. Each returns the line
//! without CRLF. Two processes explain two styles of "unknown command": before login
//! Dovecot's pop3-login says `Unknown command.`, after it pop3 names the command.

pub fn ok(text: &str) -> String {
    if text.is_empty() {
        "+OK".to_string()
    } else {
        format!("+OK {text}")
    }
}

pub fn err(text: &str) -> String {
    format!("-ERR {text}")
}

pub fn greeting(greeting: &str, apop_timestamp: Option<&str>) -> String {
    match apop_timestamp {
        Some(ts) => ok(&format!("{greeting} {ts}")),
        None => ok(greeting),
    }
}

pub fn logged_in() -> String {
    ok("Logged in.")
}

/// RFC 3206 / RFC 2449 8: `[AUTH]` says the credentials were wrong, not the server.
pub fn auth_failed() -> String {
    err("[AUTH] Authentication failed.")
}

pub fn plaintext_disallowed() -> String {
    err("[AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.")
}

/// RFC 2449 8.1.2: `[IN-USE]`, the maildrop is locked by another session.
pub fn in_use() -> String {
    err("[IN-USE] Mailbox is locked by another POP3 session.")
}

pub fn no_username() -> String {
    err("No username given.")
}

pub fn apop_not_enabled() -> String {
    err("APOP not enabled.")
}

pub fn unsupported_mechanism() -> String {
    err("Unsupported authentication mechanism.")
}

pub fn auth_aborted() -> String {
    err("Authentication aborted by client.")
}

pub fn invalid_base64() -> String {
    err("Invalid base64 data in response.")
}

pub fn stls_ready() -> String {
    ok("Begin TLS negotiation now.")
}

pub fn tls_already_active() -> String {
    err("TLS is already active.")
}

pub fn tls_not_enabled() -> String {
    err("TLS support isn't enabled.")
}

pub fn unknown_before_login() -> String {
    err("Unknown command.")
}

pub fn unknown_after_login(verb: &str) -> String {
    err(&format!("Unknown command: {verb}"))
}

pub fn missing_argument(verb: &str) -> String {
    err(&format!("{verb}: Missing argument."))
}

pub fn invalid_number(arg: &str) -> String {
    err(&format!("Invalid message number: {arg}"))
}

pub fn invalid_size(arg: &str) -> String {
    err(&format!("Invalid size: {arg}"))
}

pub fn no_such_message(msg: u32) -> String {
    err(&format!("There's no message {msg}."))
}

pub fn message_deleted() -> String {
    err("Message is deleted.")
}

/// The message left the store behind the snapshot (an IMAP session expunged it).
pub fn message_expunged() -> String {
    err("Message was expunged by another session.")
}

pub fn line_too_long() -> String {
    err("Input line too long.")
}

pub fn bad_text() -> String {
    err("Invalid characters in command.")
}

pub fn too_many_bad_commands() -> String {
    err("Too many bad commands.")
}

pub fn inactivity() -> String {
    err("Disconnected for inactivity.")
}

pub fn marked_deleted() -> String {
    ok("Marked to be deleted.")
}

/// QUIT before login (pop3-login has no final dot here).
pub fn logging_out_unauthenticated() -> String {
    ok("Logging out")
}

/// QUIT in TRANSACTION, after UPDATE (RFC 1939 6).
pub fn logging_out(deleted_any: bool) -> String {
    if deleted_any {
        ok("Logging out, messages deleted.")
    } else {
        ok("Logging out.")
    }
}
