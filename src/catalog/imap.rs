//! IMAP in words (RFC 9051 numbering): each command, the untagged data a server sends along,
//! and the tagged answer that completes a command.

use super::{list, Said};

/// A client's IMAP command, by what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Capability { client: String },
    Noop { client: String },
    Logout { client: String },
    StartTls { client: String },
    Login { client: String, user: String, tls: bool },
    Authenticate { client: String },
    Enable { client: String },
    Select { client: String, mailbox: String, read_only: bool },
    /// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE: the folders themselves.
    Folders { client: String, verb: String },
    List { client: String },
    Status { client: String, mailbox: String },
    Append { client: String, mailbox: String },
    Idle { client: String },
    Close { client: String },
    Expunge { client: String },
    Search { client: String },
    Fetch { client: String, what: String },
    Store { client: String, flags: String, adding: bool },
    Copy { client: String, mailbox: String, moving: bool },
    /// Any other command: its name.
    Other { client: String, verb: String },
}

impl Command {
    pub fn say(&self) -> Said {
        // The rule of tags is RFC 9051 2.2.1; each command's own section is cited with it.
        let tag = "Every IMAP command starts with a tag the client chooses; the server's final answer repeats it (RFC 9051 2.2.1).";
        match self {
            Command::Capability { client } => Said::new(format!("{client} asks what the server can do (CAPABILITY)."), "RFC 9051 6.1.1", tag),
            Command::Noop { client } => Said::new(
                format!("{client} sends NOOP: nothing to do, but the server may report news about the mailbox."),
                "RFC 9051 6.1.2",
                "NOOP is often used to poll for new messages.",
            ),
            Command::Logout { client } => Said::new(format!("{client} logs out (LOGOUT)."), "RFC 9051 6.1.3", "The server says BYE, answers OK and closes the connection."),
            Command::StartTls { client } => Said::new(
                format!("{client} asks to switch on encryption with STARTTLS before logging in."),
                "RFC 9051 6.2.1",
                "The TLS handshake starts right after the server's OK.",
            ),
            Command::Login { client, user, tls } => Said::new(
                format!(
                    "{client} logs in as {user} with LOGIN, the password in the same line.{}",
                    if *tls { " The connection is encrypted." } else { " The connection is not encrypted: anyone listening can read the password." }
                ),
                "RFC 9051 6.2.3",
                tag,
            ),
            Command::Authenticate { client } => Said::new(
                format!("{client} logs in with AUTHENTICATE, naming a SASL mechanism."),
                "RFC 9051 6.2.2",
                "AUTHENTICATE uses the same SASL mechanisms as SMTP's AUTH.",
            ),
            Command::Enable { client } => Said::new(format!("{client} switches on extensions it understands (ENABLE)."), "RFC 9051 6.3.1", "ENABLE tells the server which extensions the client can handle."),
            Command::Select { client, mailbox, read_only } => Said::new(
                format!(
                    "{client} opens the folder {mailbox} ({}). The letters stay on the server: the client only looks at them.",
                    if *read_only { "EXAMINE, read-only" } else { "SELECT" }
                ),
                if *read_only { "RFC 9051 6.3.3" } else { "RFC 9051 6.3.2" },
                "The server answers with how many messages the folder holds and which flags they may carry.",
            ),
            Command::Folders { client, verb } => Said::new(format!("{client} manages its folders ({verb})."), "RFC 9051 6.3", tag),
            Command::List { client } => Said::new(format!("{client} asks which folders exist (LIST)."), "RFC 9051 6.3.9", "LIST answers with one untagged line per folder."),
            Command::Status { client, mailbox } => Said::new(
                format!("{client} asks how many letters {mailbox} holds without opening it (STATUS)."),
                "RFC 9051 6.3.11",
                tag,
            ),
            Command::Append { client, mailbox } => Said::new(
                format!("{client} uploads a letter into {mailbox} (APPEND), for example a copy of a sent letter."),
                "RFC 9051 6.3.12",
                "APPEND sends the message as a literal: its size in braces, then its octets.",
            ),
            Command::Idle { client } => Said::new(
                format!("{client} waits for news (IDLE): the server will tell it at once when a letter arrives."),
                "RFC 9051 6.3.13",
                "IDLE replaces polling: the server pushes untagged updates until the client says DONE.",
            ),
            Command::Close { client } => Said::new(
                format!("{client} closes the folder (CLOSE); letters marked \\Deleted are removed now."),
                "RFC 9051 6.4.1",
                "CLOSE expunges silently and leaves the Selected state.",
            ),
            Command::Expunge { client } => Said::new(
                format!("{client} removes the letters marked \\Deleted for good (EXPUNGE)."),
                "RFC 9051 6.4.3",
                "The server answers with one untagged EXPUNGE per removed message.",
            ),
            Command::Search { client } => Said::new(format!("{client} searches the folder on the server (SEARCH)."), "RFC 9051 6.4.4", "The server does the searching; only the answer crosses the network."),
            Command::Fetch { client, what } => Said::new(
                format!("{client} asks for {what} (FETCH). The letter stays on the server; the client gets a copy to show."),
                "RFC 9051 6.4.5",
                "FETCH can ask for any part: flags, the envelope, the headers, the body, or the whole message.",
            ),
            Command::Store { client, flags, adding } => Said::new(
                format!(
                    "{client} {} the flags {flags} on the server (STORE), so every device of this user sees the change.",
                    if *adding { "sets" } else { "clears" }
                ),
                "RFC 9051 6.4.6",
                "Flags live on the server: \\Seen for read, \\Flagged for starred, \\Deleted for to-be-removed.",
            ),
            Command::Copy { client, mailbox, moving } => Said::new(
                format!("{client} {} letters into {mailbox}.", if *moving { "moves" } else { "copies" }),
                if *moving { "RFC 9051 6.4.8" } else { "RFC 9051 6.4.7" },
                tag,
            ),
            Command::Other { client, verb } => Said::new(format!("{client} sends the command {verb}."), "RFC 9051 6", tag),
        }
    }
}

/// What the server sends in one step, in IMAP's three kinds of answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The greeting: `* OK` (log in please) or `* PREAUTH`, `* BYE`.
    Greeting { server: String, status: String },
    /// Untagged data (`* ...`): what each line reports, by its keyword (EXISTS, FLAGS...).
    Untagged { server: String, what: Vec<String> },
    /// `+`: go on.
    Continuation { server: String },
    /// The tagged completion of a command: OK, NO or BAD, and the command's name.
    Tagged { server: String, status: String, command: String },
    /// Octets of a literal: a message's content inside a FETCH answer.
    Literal { server: String, lines: usize },
}

impl Reply {
    pub fn say(&self) -> Said {
        match self {
            Reply::Greeting { server, status } if status == "OK" => Said::new(
                format!("{server} greets the client (* OK) and lists what it can do. The client must log in next."),
                "RFC 9051 7.1.1",
                "The greeting is untagged: it answers no command.",
            ),
            Reply::Greeting { server, status } => Said::new(
                format!("{server} greets the client with * {status}."),
                if status == "PREAUTH" { "RFC 9051 7.1.4" } else { "RFC 9051 7.1.5" },
                "An untagged greeting starts every IMAP session: OK, PREAUTH or BYE.",
            ),
            Reply::Untagged { server, what } => {
                let said: Vec<String> = what.iter().map(|w| untagged(w).0).collect();
                Said::new(
                    format!("{server} sends data along (lines starting with *): {}.", list(&said)),
                    "RFC 9051 2.2.2",
                    "Untagged responses carry data; they may come at any time, not only as the answer to a command.",
                )
            }
            Reply::Continuation { server } => Said::new(
                format!("{server} answers + : go on, send the rest of the command."),
                "RFC 9051 7.6",
                "A continuation request invites the client to send a literal or the next SASL answer.",
            ),
            Reply::Tagged { server, status, command } => {
                let (verdict, rfc, why) = match status.as_str() {
                    "OK" => ("done", "RFC 9051 7.1.1", "A tagged OK means the command with that tag completed."),
                    "NO" => ("refused: understood, but it could not be done", "RFC 9051 7.1.2", "A tagged NO means the command failed."),
                    _ => ("not understood: a mistake in the command, or the wrong moment for it", "RFC 9051 7.1.3", "A tagged BAD means a protocol error."),
                };
                Said::new(format!("{server} answers {status} with the command's tag: {command} {verdict}."), rfc, why)
            }
            Reply::Literal { server, lines } => Said::new(
                format!("{server} sends the letter's content as a literal: {} lines, their size announced in braces before them.", lines),
                "RFC 9051 4.3",
                "A literal announces its size in octets ({n}) and then sends exactly that many.",
            ),
        }
    }
}

/// A tagged answer to a command nobody could read.
pub const THE_COMMAND: &str = "the command";

/// How the lab names the command a tagged answer completes, when it explains a line alone.
pub const YOUR_COMMAND: &str = "your command";

/// What a FETCH asks for: the whole letter (or a part of its content), its headers, or
/// only data about it such as flags.
pub fn fetch_target(whole: bool, headers: bool) -> &'static str {
    match (whole, headers) {
        (true, _) => "the whole letter",
        (false, true) => "the letters' headers and structure",
        (false, false) => "the letters' flags and numbers",
    }
}

/// What an untagged keyword reports, and the section that defines it.
pub fn untagged(what: &str) -> (String, &'static str) {
    let (text, rfc) = match what {
        "EXISTS" => ("how many letters the folder holds (EXISTS)", "RFC 9051 7.4.1"),
        "RECENT" => ("how many are new (RECENT)", "RFC 3501 7.3.2"),
        "FLAGS" => ("the flags letters can carry (FLAGS)", "RFC 9051 7.3.5"),
        "FETCH" => ("a letter's data: flags, headers or content (FETCH)", "RFC 9051 7.5.2"),
        "EXPUNGE" => ("a letter removed for good; the ones after it move down by one number (EXPUNGE)", "RFC 9051 7.5.1"),
        "CAPABILITY" => ("what the server can do (CAPABILITY)", "RFC 9051 7.2.2"),
        "ENABLED" => ("the extensions now switched on (ENABLED)", "RFC 9051 7.2.1"),
        "LIST" => ("a folder (LIST)", "RFC 9051 7.3.1"),
        "LSUB" => ("a subscribed folder (LSUB)", "RFC 3501 7.2.3"),
        "SEARCH" => ("the numbers of the letters found (SEARCH)", "RFC 3501 7.2.5"),
        "ESEARCH" => ("what a search found (ESEARCH)", "RFC 9051 7.3.4"),
        "STATUS" => ("a folder's counts (STATUS)", "RFC 9051 7.3.3"),
        "BYE" => ("goodbye: the server is closing the connection (BYE)", "RFC 9051 7.1.5"),
        "NO" => ("a warning (NO)", "RFC 9051 7.1.2"),
        "BAD" => ("a protocol error it could not tie to a command (BAD)", "RFC 9051 7.1.3"),
        "OK" => ("a note with a code in brackets, such as the folder's UIDVALIDITY (OK)", "RFC 9051 7.1.1"),
        other => return (other.to_owned(), "RFC 9051 2.2.2"),
    };
    (text.to_owned(), rfc)
}
