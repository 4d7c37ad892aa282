//! What happens around the sessions, in words: people acting, DNS, connections, queues,
//! mailboxes, devices fetching, hosts switched off and on.

use super::{count, list, Said};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// The start of one of the scenario's actions: who, and what they do.
    Action { actor: String, text: String },
    Composed { device: String, subject: String, from: String, to: Vec<String>, bcc: Vec<String>, message_id: String },
    /// A DNS question: MX (who takes mail for a domain) or A (a host's address).
    DnsAsk { host: String, name: String, mx: bool },
    /// Records found: `MX 10 mx.southbay.test`, `A 198.51.100.25` as presentation text.
    DnsRecords { host: String, name: String, mx: bool, records: Vec<String> },
    DnsNoData { host: String, name: String, mx: bool },
    DnsNxDomain { host: String, name: String },
    DnsServFail { host: String, name: String },
    Connecting { client: String, server: String, address: String, port: u16 },
    ConnectFailed { client: String, server: String, port: u16, reason: String },
    Connected { client: String, server: String, port: u16 },
    TlsStarted { client: String, server: String },
    Closed { client: String, server: String },
    Queued { host: String, queue_id: String },
    Deferred { host: String, recipients: Vec<String>, reason: String, retry: String, wait: String },
    Retry { host: String, queue_id: String, attempt: u32 },
    Relayed { host: String, recipients: Vec<String>, to_host: String },
    PowerOff { host: String },
    PowerOn { host: String },
    MailboxRemoved { host: String, user: String, letters: usize },
    Delivered { host: String, user: String, folder: String },
    Bounced { host: String, recipients: Vec<String>, reason: String },
    DelayWarning { host: String, recipients: Vec<String> },
    Removed { host: String, queue_id: String },
    NotSent { device: String, recipients: Vec<String>, reason: String },
    FetchedPop3 { device: String, user: String, downloaded: usize, on_server: usize, deleted: usize },
    FetchedImap { device: String, user: String, shown: usize },
    FetchFailed { device: String, user: String, reason: String },
    /// Signing, the receiving side's checks, and the DNS questions they ask.
    Auth(super::authentication::AuthSay),
    /// The run stopped at its budget: which limit, the letters still queued, the next task's time.
    Halted { limit: Limit, queued: usize, next: Option<String> },
}

/// Which limit of a run was reached, and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Events(usize),
    LineBytes(usize),
}

impl Limit {
    fn words(self) -> String {
        match self {
            Limit::Events(n) => format!("more than {} events", grouped(n)),
            Limit::LineBytes(n) => format!("more than {} MB of protocol lines", n / (1024 * 1024)),
        }
    }
}

/// What the page says above a journey that stopped at its budget.
pub fn halted_notice(limit: Limit) -> String {
    format!(
        "This scenario stopped early: it made {}, more than a browser tab can hold. Everything up to \
         the last step really happened; to see the end, give it fewer letters, a shorter queue \
         lifetime or longer waits between retries.",
        limit.words()
    )
}

/// `2000000` as `2,000,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `MX 10 mx.southbay.test` (presentation format) as `mx.southbay.test (preference 10)`.
fn mx_record(record: &str) -> String {
    match record.split(' ').collect::<Vec<_>>().as_slice() {
        ["MX", preference, exchange] => format!("{exchange} (preference {preference})"),
        _ => record.to_owned(),
    }
}

/// The port's job, for "dials X on port N, the port for ...".
fn port_job(port: u16) -> (&'static str, &'static str, &'static str) {
    match port {
        25 => ("mail between servers (SMTP, the Simple Mail Transfer Protocol)", "RFC 5321 4.5.4.2", "Servers that receive mail for a domain listen on port 25."),
        587 => ("mail clients handing in letters (submission)", "RFC 6409 3.1", "Port 587 is for message submission by a domain's own users."),
        465 => ("submission inside TLS from the first byte", "RFC 8314 3.3", "Port 465 is submission over implicit TLS."),
        24 => ("LMTP, the hand-over to the mailbox store", "RFC 2033 5", "LMTP must not run on port 25; Postfix and Dovecot often use 24."),
        110 => ("POP3 (the Post Office Protocol), to download letters", "RFC 1939 3", "A POP3 server listens on TCP port 110."),
        995 => ("POP3 (the Post Office Protocol) inside TLS", "RFC 8314 3.1", "Port 995 is POP3 over implicit TLS."),
        143 => ("IMAP (the Internet Message Access Protocol), to read letters kept on the server", "RFC 9051 2.1", "An IMAP server listens on TCP port 143."),
        993 => ("IMAP (the Internet Message Access Protocol) inside TLS", "RFC 8314 3.2", "Port 993 is IMAP over implicit TLS."),
        _ => ("this service", "RFC 9293 2.2", "TCP ports tell services on one host apart."),
    }
}

impl Happening {
    pub fn say(&self) -> Said {
        use Happening::*;
        match self {
            Action { actor, text } => Said::plain(format!("On {actor}, {text}.")),
            Auth(auth) => auth.say(),
            Composed { device, subject, from, to, bcc, message_id } if !bcc.is_empty() => Said::new(
                format!("The mail program on {device} writes the letter \"{subject}\" from {from} to {}, names it {message_id}, and keeps a blind copy (Bcc) for {}: the envelope will name them, no header will, so the other recipients never learn of them.", list(to), list(bcc)),
                "RFC 5322 3.6.3",
                "A Bcc recipient gets a RCPT TO of their own; the message itself carries no Bcc: field.",
            ),
            Composed { device, subject, from, to, message_id, .. } => Said::new(
                format!("The mail program on {device} writes the letter \"{subject}\" from {from} to {}, and names it {message_id}: no other letter in the world has that Message-ID.", list(to)),
                "RFC 5322 3.6.4",
                "The Message-ID is a unique identifier that every copy of the letter keeps.",
            ),
            DnsAsk { host, name, mx: true } => Said::new(
                format!("{host} asks DNS: which servers take mail for {name}? That is an MX (mail exchanger) question."),
                "RFC 5321 5.1",
                "To relay a letter, a server looks up the MX records of the recipient's domain.",
            ),
            DnsAsk { host, name, mx: false } => Said::new(
                format!("{host} asks DNS for the address (A record) of {name}."),
                "RFC 5321 5.1",
                "An MX record names a host; its address is looked up next.",
            ),
            DnsRecords { host, name, mx: true, records } => Said::new(
                format!("DNS tells {host}: mail for {name} goes to {}. A lower number is tried first.", list(&records.iter().map(|r| mx_record(r)).collect::<Vec<_>>())),
                "RFC 5321 5.1",
                "MX records carry a preference: the lowest number is the first choice, the others are backups.",
            ),
            DnsRecords { host, name, records, .. } => Said::new(
                format!("DNS tells {host}: {name} is at {}.", list(&records.iter().map(|r| r.trim_start_matches("A ").to_owned()).collect::<Vec<_>>())),
                "RFC 1035 3.4.1",
                "An A record holds a host's IPv4 address.",
            ),
            DnsNoData { host, name, mx: true } => Said::new(
                format!("DNS tells {host}: {name} exists but has no MX record, so its own address takes the mail (the implicit MX)."),
                "RFC 5321 5.1",
                "Without MX records, the domain itself is treated as the mail exchanger.",
            ),
            DnsNoData { host, name, .. } => Said::new(
                format!("DNS tells {host}: {name} exists but has no address of that kind."),
                "RFC 2308 2.2",
                "NODATA: the name exists, the record type does not.",
            ),
            DnsNxDomain { host, name } => Said::new(
                format!("DNS tells {host}: {name} does not exist. No letter can reach it, so the letter will come back to its sender."),
                "RFC 1035 4.1.1",
                "RCODE 3 (NXDOMAIN): the name does not exist.",
            ),
            DnsServFail { host, name } => Said::new(
                format!("DNS could not answer {host} about {name} (SERVFAIL). That is temporary: the letter waits and is tried again later."),
                "RFC 1035 4.1.1",
                "RCODE 2 (SERVFAIL): the name server failed; the question may work later.",
            ),
            Connecting { client, server, address, port } => {
                let (job, rfc, why) = port_job(*port);
                Said::new(format!("{client} dials {server} at {address}, port {port}: the port for {job}."), rfc, why)
            }
            ConnectFailed { client, server, port, reason } => Said::new(
                format!("{client} cannot reach {server} on port {port}: {reason}. The letter stays where it was."),
                "RFC 5321 4.5.4.1",
                "A failed connection is a temporary failure: the sender keeps the letter and tries again later.",
            ),
            Connected { client, server, port } => Said::new(
                format!("The connection is up: {client} and {server} can now talk on port {port}. The server speaks first."),
                "RFC 9293 3.5",
                "TCP's three-way handshake opened the connection.",
            ),
            TlsStarted { client, server } => Said::new(
                format!("{client} and {server} finish the TLS handshake. From here on the lines are encrypted on the wire; the stream shows them decrypted, marked tls."),
                "RFC 8446 2",
                "The handshake agrees on keys; everything after it is encrypted and protected against changes.",
            ),
            Closed { client, server } => Said::new(
                format!("The connection between {client} and {server} is closed."),
                "RFC 9293 3.6",
                "Either side may close a TCP connection once its protocol says the session is over.",
            ),
            Queued { host, queue_id } => Said::new(
                format!("{host} stores the letter safely in its queue as {queue_id}, and only then says yes to it: no letter is lost if the server crashes now."),
                "RFC 5321 4.1.1.4",
                "The server may answer the final dot with 250 only once it has taken the letter into its care.",
            ),
            Deferred { host, recipients, reason, retry, wait } => Said::new(
                format!("{host} could not deliver to {} ({reason}). The letter waits in the queue; the next try is at {retry}, in {wait}.", list(recipients)),
                "RFC 5321 4.5.4.1",
                "After a temporary failure a server keeps retrying and gives up only after days; RFC 5321 asks for at least 30 minutes between tries. Postfix, like this simulation, waits as long as the letter has been queued (by default 5 minutes at least, 4000 s at most) and then for its next look through the queue.",
            ),
            Retry { host, queue_id, attempt } => Said::new(
                format!("{host} takes letter {queue_id} off the shelf and tries again (attempt {attempt})."),
                "RFC 5321 4.5.4.1",
                "The queue is scanned at intervals, and each waiting letter is tried again when its time has come.",
            ),
            Relayed { host, recipients, to_host } => Said::new(
                format!("{host} is done with {}: {to_host} has taken responsibility for the letter.", list(recipients)),
                "RFC 5321 6.1",
                "Once the next server has said 250 to the dot, the letter is its responsibility.",
            ),
            PowerOff { host } => Said::plain(format!("{host} is switched off: it answers nobody until it comes back.")),
            PowerOn { host } => Said::plain(format!("{host} is switched on again and answers connections.")),
            MailboxRemoved { host, user, letters } => Said::plain(format!(
                "{host} removes {} from {user}'s mailbox: deleted by a mail program, or moved to another folder.",
                count(*letters, "letter", "letters")
            )),
            Delivered { host, user, folder } => Said::new(
                format!("The letter lands in {user}'s mailbox on {host}, in the folder {folder}. A Return-Path: line at its top records the envelope sender."),
                "RFC 5321 4.4",
                "At final delivery the server adds Return-Path: with the reverse-path from MAIL FROM.",
            ),
            Bounced { host, recipients, reason } => Said::new(
                format!("{host} gives up on {}: {reason}. It writes a bounce, a report of what went wrong, and sends it back to the sender.", list(recipients)),
                "RFC 3464 2",
                "A delivery status notification (DSN) is a multipart/report letter that says which recipient failed and why.",
            ),
            DelayWarning { host, recipients } => Said::new(
                format!("{host} has still not delivered to {}. It tells the sender the letter is late, and keeps trying.", list(recipients)),
                "RFC 3464 2.3.3",
                "A DSN with the action \"delayed\" is a warning, not a failure.",
            ),
            Removed { host, queue_id } => Said::plain(format!("{host} is done with {queue_id} and removes it from its queue.")),
            NotSent { device, recipients, reason } => Said::plain(format!(
                "The mail program on {device} could not hand the letter over for {}: {reason}. It keeps the letter, marked as not sent.",
                list(recipients)
            )),
            FetchedPop3 { device, user, downloaded, on_server, deleted } => Said::new(
                format!(
                    "{device} downloaded {} for {user} over POP3 ({} on the server; {} deleted there). POP3 moves letters to one device.",
                    count(*downloaded, "letter", "letters"),
                    on_server,
                    deleted
                ),
                "RFC 1939 1",
                "POP3 is made to download mail and then usually delete it from the server.",
            ),
            FetchedImap { device, user, shown } => Said::new(
                format!("{device} now shows {user}'s mailbox as it is on the server: {}. With IMAP every device sees the same letters and flags.", count(*shown, "letter", "letters")),
                "RFC 9051 5.2",
                "IMAP keeps the mailbox on the server, and several clients may work on the same mailbox at once.",
            ),
            FetchFailed { device, user, reason } => Said::plain(format!("{device} could not read {user}'s mail: {reason}.")),
            Halted { limit, queued, next } => {
                let waiting = match queued {
                    0 => String::new(),
                    n => format!(" {} still waited in the queues, never delivered or bounced.", count(*n, "letter", "letters")),
                };
                let next = next.as_ref().map(|t| format!(" The next thing due was at {t}.")).unwrap_or_default();
                Said::plain(format!(
                    "The simulation stops here: this scenario made {}, more than a browser tab can hold, so the world was frozen at this moment.{waiting}{next}",
                    limit.words()
                ))
            }
        }
    }
}
