//! The scene in words: where a letter is, the whole diagram as a paragraph (for a screen
//! reader and the "describe" button), and each letter's story at the end.

use super::{capitalised, list, Said};
use crate::engine::scenario::Service;

/// How a letter is named to a student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterName {
    /// A person's letter: its subject.
    Letter { subject: String },
    /// A delivery status notification (`MAIL FROM:<>`): a bounce or a delay warning, to whom.
    Notice { to: String },
}

impl LetterName {
    pub fn say(&self) -> String {
        match self {
            LetterName::Letter { subject } => format!("the letter \"{subject}\""),
            LetterName::Notice { to } => format!("the notice to {to}"),
        }
    }
}

/// Where one copy of a letter is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whereabouts {
    Outbox { host: String },
    NotSent { host: String },
    /// In a queue: being sent now (`retry: None`) or waiting until a time.
    Queue { host: String, retry: Option<String> },
    /// On the wire between two hosts, in this step.
    InTransit { from: String, to: String },
    Mailbox { host: String, user: String },
    Device { host: String },
}

impl Whereabouts {
    /// "in the queue of Northwind SMTP server, next try at 00:05:00".
    pub fn say(&self) -> String {
        match self {
            Whereabouts::Outbox { host } => format!("on {host}, not sent yet"),
            Whereabouts::NotSent { host } => format!("on {host}, marked as not sent"),
            Whereabouts::Queue { host, retry: None } => format!("in the queue of {host}, being sent"),
            Whereabouts::Queue { host, retry: Some(at) } => format!("in the queue of {host}, waiting; next try at {at}"),
            Whereabouts::InTransit { from, to } => format!("on its way from {from} to {to}"),
            Whereabouts::Mailbox { host, user } => format!("in {user}'s mailbox on {host}"),
            Whereabouts::Device { host } => format!("on {host}"),
        }
    }
}

/// The open connection of the step, for the description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopWords {
    pub client: String,
    pub server: String,
    pub protocol: Service,
    pub port: u16,
    pub tls: bool,
}

/// Everything the diagram shows at a step, to be said in one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub step: usize,
    pub steps: usize,
    pub time: String,
    pub letters: Vec<(LetterName, Whereabouts)>,
    /// Letters beyond those named.
    pub more: usize,
    pub hop: Option<HopWords>,
    pub dns: Option<String>,
    pub down: Vec<String>,
}

impl Description {
    pub fn say(&self) -> String {
        let mut out = format!("Step {} of {}, at {}. ", self.step, self.steps, self.time);
        if self.letters.is_empty() {
            out.push_str("No letter exists yet. ");
        }
        for (name, place) in &self.letters {
            out.push_str(&capitalised(format!("{} is {}. ", name.say(), place.say())));
        }
        if self.more > 0 {
            out.push_str(&format!("{} more {} elsewhere. ", self.more, if self.more == 1 { "letter is" } else { "letters are" }));
        }
        if let Some(h) = &self.hop {
            out.push_str(&format!(
                "{} is talking to {} ({} on port {}{}). ",
                h.client,
                h.server,
                h.protocol.name().to_ascii_uppercase(),
                h.port,
                if h.tls { ", encrypted" } else { ", not encrypted" }
            ));
        }
        if let Some(host) = &self.dns {
            out.push_str(&format!("{host} is asking DNS. "));
        }
        match self.down.as_slice() {
            [] => {}
            [one] => out.push_str(&format!("{one} is switched off. ")),
            many => out.push_str(&format!("{} are switched off. ", list(many))),
        }
        out.truncate(out.trim_end().len());
        out
    }
}

/// How a letter's journey ended, at the last step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// In these mailboxes (`user on host`), after this long.
    Delivered { mailboxes: Vec<String>, after: String },
    /// Refused or given up: a bounce went back to the sender.
    Returned { reason: String, after: String },
    /// Still in a queue when the scenario ends.
    Waiting { host: String },
    /// The sender's own server refused it: it never left the device.
    NotSent { reason: String },
    /// Nothing was decided before the scenario ended.
    Unknown,
}

/// One letter's story: its name, how it ended, the hosts it passed, the devices that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub name: LetterName,
    pub fate: Fate,
    pub path: Vec<String>,
    pub read_on: Vec<String>,
}

impl Story {
    pub fn say(&self) -> Said {
        let name = self.name.say();
        let mut why = None;
        let mut text = capitalised(match &self.fate {
            Fate::Delivered { mailboxes, after } => format!("{name} reached {} after {after}", list(mailboxes)),
            Fate::Returned { reason, after } => {
                why = Some(reason);
                format!("{name} came back to its sender after {after}")
            }
            Fate::Waiting { host } => format!("{name} is still waiting in the queue of {host}"),
            Fate::NotSent { reason } => {
                why = Some(reason);
                format!("{name} was never sent")
            }
            Fate::Unknown => format!("{name} did not arrive anywhere before the scenario ended"),
        });
        if self.path.len() > 1 {
            text.push_str(&format!(", through {}", self.path.join(" → ")));
        }
        text.push('.');
        if let Some(reason) = why {
            text.push_str(&format!(" Why: {reason}."));
        }
        if !self.read_on.is_empty() {
            text.push_str(&format!(" Read on {}.", list(&self.read_on)));
        }
        Said::plain(text)
    }
}

/// Under a queue's shelf, in a host's width: `sending now`, or `next try: 5 min`.
pub fn shelf(wait_ms: Option<u64>) -> String {
    match wait_ms {
        None => "sending now".into(),
        Some(ms) => format!("next try: {}", super::short_duration(ms)),
    }
}

/// The lab's world before anything has happened in it.
pub const NOTHING_YET: &str = "Nothing has happened in this world yet.";

/// "… and 12 more lines", after the first lines of a long step.
pub fn more_lines(n: usize) -> String {
    format!("… and {n} more {}", if n == 1 { "line" } else { "lines" })
}

/// The six steps of the journey (docs/teaching-guide.md), by their index from 0: `JourneyStage`'s titles.
pub fn stage_title(index: usize) -> &'static str {
    const TITLES: [&str; 6] = [
        "The SMTP handshake",
        "Submitting envelope and content",
        "Is the recipient's domain our own?",
        "MX lookup and relay (or the queue)",
        "The recipient's server checks and hands over",
        "In the mailbox, and fetched",
    ];
    TITLES.get(index).copied().unwrap_or_default()
}

/// What the status region says at a step, for a screen reader: "Step 12 of 89. Journey step 4,
/// MX lookup and relay. Northwind SMTP server asks DNS…". While playing only the journey
/// stage ("Playing: journey step 4, MX lookup and relay."), so that it speaks when the stage
/// changes, not at every step.
pub fn step_status(step: usize, steps: usize, stage: Option<(&str, &str)>, sentences: &[String], playing: bool) -> String {
    let stage = stage.map(|(number, title)| format!("Journey step {number}, {title}."));
    if playing {
        return format!("Playing: {}", stage.unwrap_or_default()).trim_end_matches(": ").to_owned();
    }
    let mut said = format!("Step {step} of {steps}.");
    for part in stage.into_iter().chain(sentences.iter().cloned()) {
        said.push(' ');
        said.push_str(&part);
    }
    said
}
