//! Scenarios: the JSON files teachers write and the presets are made of.
//!
//! A scenario describes a small internet of mail (domains, hosts and the services they run,
//! users, DNS), what goes wrong and when (faults), and what people do and when (actions). The
//! simulator turns one into a trace. Every time is in whole seconds of virtual time from the
//! start of the scenario.
//!
//! Parsing is strict (unknown fields are errors, so a typo is never silently ignored) and every
//! error names the field it is about: see [`ScenarioError`].

mod authentication;
pub mod bounds;
mod error;
mod json_path;
mod presets;
mod read;
mod validate;
mod words;
pub mod workloads;

pub use authentication::{DkimSigning, MailingList, SenderCheck, TxtRecord};
pub use error::{ScenarioError, ScenarioErrors};
pub use presets::{preset, presets, Heading, Preset};

use serde::{Deserialize, Serialize};

/// The format version this engine reads. A file must say `"version": 1`.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The format version: 1 ([`FORMAT_VERSION`]).
    pub version: u32,
    /// A short identifier: lower-case letters, digits and hyphens (`first-letter`).
    pub name: String,
    /// What a student sees in the list of scenarios.
    pub title: String,
    /// One or two sentences: what happens and what it teaches.
    pub summary: String,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_DOMAINS)))]
    pub domains: Vec<Domain>,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_HOSTS)))]
    pub hosts: Vec<Host>,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_USERS)))]
    pub users: Vec<User>,
    #[serde(default)]
    pub queue: QueuePolicy,
    #[serde(default)]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_FAULTS)))]
    pub faults: Vec<Fault>,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_ACTIONS)))]
    pub actions: Vec<Action>,
    /// Named moments of the journey: a link can open at one (`?step=<name>`), and a quiz can
    /// pause there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_CHECKPOINTS)))]
    pub checkpoints: Vec<Checkpoint>,
}

/// A named moment: the step where something happens (the first time, or the `nth`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Lower-case letters, digits and hyphens, as in a link.
    pub name: String,
    pub when: Moment,
    /// Only what happens at (or is said by) this host.
    #[serde(default)]
    pub host: Option<String>,
    /// Which occurrence, from 1.
    #[serde(default = "first")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = 1)))]
    pub nth: usize,
    #[serde(default)]
    pub quiz: Option<Quiz>,
}

fn first() -> usize {
    1
}

/// What a checkpoint waits for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Moment {
    /// The very first step.
    Start,
    /// The last step.
    End,
    /// Just before a server's reply that starts with this text (`"550"`, `"250 2.0.0"`). To ask
    /// what a server will answer, use `after-command`: a checkpoint found by the reply it asks
    /// about would give the answer away.
    BeforeReply(String),
    /// The step where a client sends a command starting with this text (`"RCPT TO"`,
    /// `"AUTH"`; `"."` only for the line with a single dot that ends a message): the moment to
    /// ask what the server will answer.
    AfterCommand(String),
    /// A client connects (to `host`, when given).
    Connected,
    Queued,
    Deferred,
    Relayed,
    Delivered,
    Bounced,
    Fetched,
}

/// A question asked at a checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub question: String,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(min = 2, max = bounds::MAX_CHOICES)))]
    pub choices: Vec<String>,
    pub check: QuizCheck,
    /// Said after the answer, right or wrong.
    #[serde(default)]
    pub explain: Option<String>,
}

/// How the right answer is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum QuizCheck {
    /// A fact of the lesson: the choice with this index (from 0) is right.
    Answer(usize),
    /// Asked before a reply: the engine's own next reply on the connection decides (the choice
    /// it starts with).
    NextReply,
    /// Asked before a client speaks: the engine's own next client line on the connection
    /// decides (the choice it starts with, as `EHLO`).
    NextCommand,
    /// The port of the connection the step is on, or opens (the choice that is that number).
    Port,
    /// Where the letter is: the choice naming the host that holds it now.
    LetterLocation,
}

/// A mail domain and its DNS records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub name: String,
    /// The domain's MX records. None at all means that senders fall back to the domain's own
    /// A record (RFC 5321 5.1).
    #[serde(default)]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_MX)))]
    pub mx: Vec<MxRecord>,
    /// Publish a null MX (`MX 0 .`, RFC 7505): the domain accepts no mail at all.
    #[serde(default)]
    pub null_mx: bool,
    /// TXT records at the domain and below it: SPF, DKIM keys, the DMARC policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_TXT)))]
    pub txt: Vec<TxtRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MxRecord {
    /// Lower is tried first (RFC 5321 5.1).
    pub preference: u16,
    /// The host name of the mail exchanger; it must be one of the scenario's hosts.
    pub exchange: String,
}

/// A machine of the virtual internet: a user's device or a server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Its fully qualified name, which DNS resolves to `address`.
    pub name: String,
    /// An IPv4 address; the presets use the documentation ranges of RFC 5737.
    pub address: String,
    /// What a student sees on the diagram ("Alice's laptop"); defaults to the name.
    #[serde(default)]
    pub label: Option<String>,
    /// The services the host listens for, each on its standard port.
    #[serde(default)]
    pub services: Vec<Service>,
    /// For a server: the mail domains it is responsible for.
    #[serde(default)]
    pub domains: Vec<String>,
    /// For an SMTP server: the host that stores its domains' mailboxes, reached over LMTP.
    #[serde(default)]
    pub mailbox_host: Option<String>,
    /// For a device: the address of the user who owns it.
    #[serde(default)]
    pub device_of: Option<String>,
    /// For a device: the submission server its mail client is set up to use.
    #[serde(default)]
    pub submits_to: Option<String>,
    /// For an SMTP server: how it treats address probes and clients that keep erring.
    #[serde(default, skip_serializing_if = "Smtpd::is_default")]
    pub smtpd: Smtpd,
    /// For a submission server: the DKIM key it signs its users' letters with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dkim: Option<DkimSigning>,
    /// For an MX: what it checks of letters from other networks (SPF, DKIM, DMARC), writing
    /// the results into an `Authentication-Results:` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<SenderCheck>,
    /// For an MX: addresses of its domains that forward to others (Postfix's
    /// `virtual_alias_maps`): the envelope's recipient changes, its sender and the letter do
    /// not (RFC 5321 3.9.1).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// For an MX: the mailing lists it runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<MailingList>,
}

/// Settings of a host's SMTP server, named as in Postfix's `main.cf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Smtpd {
    /// VRFY answers `502 5.5.1` and is not advertised. Postfix's default is `false`; the
    /// hardening guides, and the servers of these lessons unless told otherwise, say `true`.
    pub disable_vrfy_command: bool,
    /// After this many errors in a session, every reply waits `smtpd_error_sleep_time`
    /// (Postfix: 10).
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = 1, max = bounds::MAX_ERROR_LIMIT)))]
    pub smtpd_soft_error_limit: u32,
    /// After this many errors, the server says `421 4.7.0 ... Error: too many errors` and
    /// hangs up (Postfix: 20).
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = 1, max = bounds::MAX_ERROR_LIMIT)))]
    pub smtpd_hard_error_limit: u32,
    /// Seconds (Postfix: 1).
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::MAX_ERROR_SLEEP_SECS)))]
    pub smtpd_error_sleep_time: u64,
}

impl Default for Smtpd {
    fn default() -> Self {
        Smtpd { disable_vrfy_command: true, smtpd_soft_error_limit: 10, smtpd_hard_error_limit: 20, smtpd_error_sleep_time: 1 }
    }
}

impl Smtpd {
    fn is_default(&self) -> bool {
        *self == Smtpd::default()
    }
}

/// A network service a host offers, named as in the IANA service registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// SMTP relay between servers, port 25 (RFC 5321).
    Smtp,
    /// Message submission with STARTTLS, port 587 (RFC 6409).
    Submission,
    /// Message submission over implicit TLS, port 465 (RFC 8314).
    Submissions,
    /// Local delivery to the mailbox host, port 24 (RFC 2033).
    Lmtp,
    /// POP3, port 110 (RFC 1939).
    Pop3,
    /// IMAP, port 143 (RFC 9051).
    Imap,
    /// POP3 inside TLS from the first byte, port 995 (RFC 8314 3.1).
    Pop3s,
    /// IMAP inside TLS from the first byte, port 993 (RFC 8314 3.2).
    Imaps,
}

impl Service {
    pub fn port(self) -> u16 {
        match self {
            Service::Smtp => 25,
            Service::Submission => 587,
            Service::Submissions => 465,
            Service::Lmtp => 24,
            Service::Pop3 => 110,
            Service::Imap => 143,
            Service::Pop3s => 995,
            Service::Imaps => 993,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Service::Smtp => "smtp",
            Service::Submission => "submission",
            Service::Submissions => "submissions",
            Service::Lmtp => "lmtp",
            Service::Pop3 => "pop3",
            Service::Imap => "imap",
            Service::Pop3s => "pop3s",
            Service::Imaps => "imaps",
        }
    }

    /// The protocol spoken on the port: POP3 on 110 and 995, IMAP on 143 and 993; the SMTP
    /// services are their own.
    pub fn protocol(self) -> Service {
        match self {
            Service::Pop3s => Service::Pop3,
            Service::Imaps => Service::Imap,
            other => other,
        }
    }

    /// Inside TLS from the first byte, before any line (RFC 8314 3): 465, 995 and 993.
    pub fn implicit_tls(self) -> bool {
        matches!(self, Service::Submissions | Service::Pop3s | Service::Imaps)
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A person with a mailbox; they log in with their full address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct User {
    pub address: String,
    pub password: String,
    /// The display name used in `From:` and `To:` headers.
    #[serde(default)]
    pub name: Option<String>,
}

/// How long queued mail waits and when it gives up. Every field is in seconds, at most 30 days
/// (`bounds::HORIZON_SECS`); a wait is at least a minute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct QueuePolicy {
    /// The shortest wait after a failed attempt: Postfix's `minimal_backoff_time` (300 s).
    /// A message waits as long as it has been queued, between this and `max_retry`.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = bounds::MIN_RETRY_SECS, max = bounds::HORIZON_SECS)))]
    pub first_retry: u64,
    /// The longest wait: Postfix's `maximal_backoff_time` (4000 s).
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = bounds::MIN_RETRY_SECS, max = bounds::HORIZON_SECS)))]
    pub max_retry: u64,
    /// How often the deferred queue is scanned: a message whose wait is over is tried at the
    /// next scan. Postfix's `queue_run_delay` (300 s).
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = bounds::MIN_RETRY_SECS, max = bounds::HORIZON_SECS)))]
    pub queue_run_delay: u64,
    /// Bounce what is still undelivered after this long. Postfix's `maximal_queue_lifetime`
    /// is 5 days.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
    pub lifetime: u64,
    /// Send the sender a "delayed mail" notice once a message has waited this long, or never
    /// when absent. Sendmail warns after 4 hours; Postfix leaves the warning off by default.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
    pub delay_warning: Option<u64>,
}

impl Default for QueuePolicy {
    fn default() -> Self {
        QueuePolicy {
            first_retry: 300,
            max_retry: 4000,
            queue_run_delay: 300,
            lifetime: 5 * 24 * 3600,
            delay_warning: Some(4 * 3600),
        }
    }
}

/// Something that goes wrong on purpose, so that students can see what the protocols do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fault {
    /// The host is switched off from `from` until `until` (for good when absent): connections
    /// to it time out, as nothing answers.
    HostDown {
        host: String,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        from: u64,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        until: Option<u64>,
    },
    /// The network between two hosts is cut from `from` until `until` (for good when absent):
    /// connections between them time out, as if a router on the way had failed.
    LinkDown {
        between: [String; 2],
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        from: u64,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        until: Option<u64>,
    },
    /// The host greylists mail from outside (not its own logged-in users): the first attempt of
    /// each (client address, sender, recipient) triplet gets `451 4.7.1`; any retry `delay`
    /// seconds or more after it is let through, however late (Postgrey also forgets a triplet
    /// not retried within two days; here there is no such window).
    Greylisting {
        host: String,
        #[serde(default = "default_greylist_delay")]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        delay: u64,
    },
    /// The user's mailbox is over quota: delivery answers `552 5.2.2`.
    MailboxFull { user: String },
    /// The host relays for anyone from `from` until `until` (for good when absent): the
    /// mistake of Postfix's `mynetworks = 0.0.0.0/0`, which makes every client "one of ours"
    /// for `permit_mynetworks`. A stranger's letter to another domain is accepted and sent on;
    /// before and after the window the host answers `554 5.7.1 Relay access denied`.
    OpenRelay {
        host: String,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        from: u64,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        until: Option<u64>,
    },
    /// The DNS cannot answer for the domain (SERVFAIL) in that window: senders defer.
    DnsFailure {
        domain: String,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        from: u64,
        #[serde(default)]
        #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
        until: Option<u64>,
    },
}

/// Postgrey's default delay is 300 s.
fn default_greylist_delay() -> u64 {
    300
}

/// Something a person does at a moment of the scenario (at most 30 days in). Each action names exactly one thing
/// to do: `"send": {...}` or `"fetch": {...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Seconds from the start of the scenario.
    #[serde(default)]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
    pub at: u64,
    /// Do it again every this many seconds (at least 60), up to `until`: "Bob's phone checks
    /// every 5 minutes" is one action. Each time counts as an action against the bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(min = bounds::MIN_RETRY_SECS, max = bounds::HORIZON_SECS)))]
    pub every: Option<u64>,
    /// With `every`: the last moment it may happen, seconds from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(range(max = bounds::HORIZON_SECS)))]
    pub until: Option<u64>,
    /// Write a message on a device and send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<Send>,
    /// Check a mailbox from a device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<Fetch>,
    /// Type SMTP commands at a server's port 25 from a device, as a scanner does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<Probe>,
}

/// A program on a device that connects to a server's port 25 and types commands, each once
/// the reply to the one before has come, then QUIT; it stops when the server hangs up. This
/// is how an address scanner asks which mailboxes exist (VRFY, EXPN, RCPT TO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Probe {
    pub device: String,
    /// The server; it must offer `smtp`.
    pub server: String,
    /// The command lines, without CRLF. DATA is not one of them: a probe only asks.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(min = 1, max = bounds::MAX_PROBE_COMMANDS)))]
    pub commands: Vec<String>,
}

/// A mail client on a device checking its user's mailbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fetch {
    pub device: String,
    /// `pop3` or `imap`.
    pub service: Service,
    /// Whose mailbox; by default the device's owner.
    #[serde(default)]
    pub user: Option<String>,
    /// The mailbox server; by default the one that stores the user's domain.
    #[serde(default)]
    pub server: Option<String>,
    /// The password typed; by default the user's own.
    #[serde(default)]
    pub password: Option<String>,
    /// POP3: delete each message once downloaded (the classic setting), instead of leaving
    /// it on the server (the default of most of today's programs).
    #[serde(default)]
    pub delete_after_download: bool,
    /// IMAP: reading a new message marks it `\Seen` on the server, for every device (the
    /// default); `false` only looks (BODY.PEEK).
    #[serde(default = "yes")]
    pub read: bool,
    /// IMAP: what the person does with the new messages, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_RULES)))]
    pub rules: Vec<FetchRule>,
}

/// Something a person does on an IMAP device with the messages just fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FetchRule {
    /// The messages whose Subject contains this (any case); all new messages when absent.
    #[serde(default)]
    pub subject: Option<String>,
    pub action: FetchAction,
    /// For `move`: a folder's name, or `Trash`, `Junk`, `Sent`, `Drafts`.
    #[serde(default)]
    pub folder: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FetchAction {
    /// Mark read (`\Seen`).
    Read,
    /// Flag it (`\Flagged`).
    Flag,
    /// Delete it (`\Deleted`, then expunge).
    Delete,
    /// Move it to `folder`.
    Move,
}

/// A message written on a device and handed to a server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Send {
    /// The device whose mail client sends.
    pub device: String,
    /// The author's address (`From:` and, by default, the envelope sender).
    pub from: String,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_RECIPIENTS)))]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    /// Blind copies: recipients in the envelope (a `RCPT TO` each) and in no header field, so
    /// the others never learn of them (RFC 5322 3.6.3). The mail client keeps them out of the
    /// message it writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc: Vec<String>,
    pub subject: String,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_TEXT_BYTES)))]
    pub body: String,
    #[serde(default)]
    pub attachment: Option<Attachment>,
    /// The server to connect to; by default the device's `submits_to`.
    #[serde(default)]
    pub server: Option<String>,
    /// The service to use there; by default `submission` (587).
    #[serde(default)]
    pub service: Option<Service>,
    /// Log in before sending (default true). A client that skips it meets `530 5.7.0`.
    #[serde(default = "yes")]
    pub auth: bool,
    /// The account to log in as; by default the sender's own. Logged in as one user and
    /// sending as another meets `553 5.7.1` (the server checks who is sending).
    #[serde(default)]
    pub login: Option<String>,
    /// The password typed; by default the user's own. A wrong one meets `535 5.7.8`.
    #[serde(default)]
    pub password: Option<String>,
    /// Header fields the sending program adds on top of the letter, whole (`Name: value`):
    /// what a forger's tool writes, such as an `Authentication-Results:` in the receiver's
    /// name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_EXTRA_HEADERS)))]
    pub headers: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Send {
    /// Everyone the letter goes to, in the order the mail client names them in `RCPT TO`:
    /// To, then Cc, then Bcc.
    pub fn recipients(&self) -> impl Iterator<Item = &String> {
        self.to.iter().chain(&self.cc).chain(&self.bcc)
    }
}

/// The domain of a scenario's address (`southbay.test` of `bob@southbay.test`); empty for a
/// text without `@` (validation has refused those in a file).
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, domain)| domain)
}

impl Send {
    /// A letter from a device to some recipients, everything else as a file leaves it out:
    /// no Cc or attachment, the device's own server and submission port, logging in as the
    /// sender with their password.
    pub fn new(device: &str, from: &str, to: &[&str], subject: &str, body: &str) -> Send {
        Send {
            device: device.into(),
            from: from.into(),
            to: to.iter().map(|&a| a.into()).collect(),
            cc: Vec::new(),
            bcc: Vec::new(),
            subject: subject.into(),
            body: body.into(),
            attachment: None,
            server: None,
            service: None,
            auth: yes(),
            login: None,
            password: None,
            headers: Vec::new(),
        }
    }
}

/// A file attached to a message (sent as a MIME part, RFC 2045/2046).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    /// The file's content, as text.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_TEXT_BYTES)))]
    pub content: String,
}

impl Scenario {
    /// The JSON Schema of scenario files (draft 2020-12), made from these types.
    #[cfg(all(feature = "lab", not(target_arch = "wasm32")))]
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Scenario);
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }

    /// Parse and check a scenario file: the scenario, or every error in the file, each naming
    /// its field and the problem. The file is first read whole, then checked whole: a check
    /// between parts needs every part read.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioErrors> {
        if text.len() > bounds::MAX_FILE_BYTES {
            return Err(ScenarioError::new(
                "",
                format!("the file is {} bytes long: scenario files are at most {} bytes", text.len(), bounds::MAX_FILE_BYTES),
            )
            .into());
        }
        let scenario = read::read(text).map_err(ScenarioErrors)?;
        scenario.validate().map_err(ScenarioErrors)?;
        Ok(scenario)
    }

    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.name.eq_ignore_ascii_case(name))
    }

    pub fn user(&self, address: &str) -> Option<&User> {
        self.users.iter().find(|u| u.address.eq_ignore_ascii_case(address))
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The host that stores a domain's mailboxes (the `mailbox_host` of its SMTP servers).
    pub fn mailbox_host_of(&self, domain: &str) -> Option<&Host> {
        self.hosts
            .iter()
            .filter(|h| h.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)))
            .find_map(|h| h.mailbox_host.as_deref().and_then(|m| self.host(m)))
    }

    /// Who a fetch is for and which server it goes to.
    pub fn fetch_target(&self, fetch: &Fetch) -> Option<(&User, &Host)> {
        let device = self.host(&fetch.device)?;
        let user = self.user(fetch.user.as_deref().or(device.device_of.as_deref())?)?;
        let server = match &fetch.server {
            Some(name) => self.host(name)?,
            None => self.mailbox_host_of(domain_of(&user.address))?,
        };
        Some((user, server))
    }
}

impl Action {
    /// Something done once, at `at`.
    pub fn once(at: u64, send: Option<Send>, fetch: Option<Fetch>) -> Action {
        Action { at, every: None, until: None, send, fetch, probe: None }
    }

    /// Every moment it happens: `at`, then every `every` seconds up to `until` (a checked
    /// scenario bounds how many).
    pub fn times(&self) -> impl Iterator<Item = u64> + '_ {
        let step = self.every.filter(|&e| e > 0);
        let last = if step.is_some() { self.until.unwrap_or(self.at) } else { self.at };
        std::iter::successors(Some(self.at), move |&t| step.and_then(|e| t.checked_add(e)).filter(|&next| next <= last))
    }
}

impl Host {
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }
}
