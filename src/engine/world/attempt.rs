//! An attempt to reach a host and run one session with it: a mail client submitting, an MTA
//! relaying or handing over to the mailbox host, a mail client fetching. Where it goes is a
//! `Route`, what it does there a `Job`, who hears how it went its `Origin`.

use std::rc::Rc;

use crate::engine::mail::Diagnosis;
use crate::engine::imap;
use crate::engine::pop3;
use crate::engine::scenario::Service;
use crate::engine::smtp::{self, Envelope};

/// Who asked for the attempt, and so who hears how it went.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A person's mail client submitting a new message.
    Device { message_id: String },
    /// A host's queue manager, for these recipients (indexes into the queue entry's envelope).
    Queue { host: usize, queue_id: String, recipients: Vec<usize> },
    /// A person's mail client fetching their mail.
    Fetch { user: String },
    /// A program typing commands at a server (`scenario::Probe`).
    Probe,
}

/// How the next host is found.
#[derive(Debug, Clone)]
pub enum Route {
    /// Straight to a host the sender is set up to use (a mail client's server, the LMTP
    /// mailbox host): no DNS.
    Direct(usize),
    /// Look up the domain's MX records.
    Mx(String),
}

/// What the client does once connected.
#[derive(Debug, Clone)]
pub enum Job {
    /// Carry a message over SMTP or LMTP.
    Send { config: smtp::ClientConfig, envelope: Envelope, message: Rc<[u8]>, message_id: String },
    /// Fetch the user's mail over POP3.
    Pop3(pop3::ClientConfig),
    /// Check the user's mailbox over IMAP.
    Imap(imap::ClientConfig),
    /// Type these SMTP commands, one per reply.
    Probe(Vec<String>),
}

/// One attempt to reach a host and run a session with it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub origin: Origin,
    pub client_host: usize,
    pub job: Job,
    pub service: Service,
    pub route: Route,
    /// Host names to try in order (from DNS, or the direct one).
    pub candidates: Vec<String>,
    pub next: usize,
    /// The host being connected to or talked to.
    pub current_host: Option<usize>,
    /// Why the last candidate failed.
    pub failure: Option<Diagnosis>,
}

impl Attempt {
    pub fn new(origin: Origin, client_host: usize, job: Job, service: Service, route: Route) -> Self {
        Attempt { origin, client_host, job, service, route, candidates: Vec::new(), next: 0, current_host: None, failure: None }
    }

    /// The Message-ID of the letter a sending job carries.
    pub fn message_id(&self) -> Option<String> {
        match &self.job {
            Job::Send { message_id, .. } => Some(message_id.clone()),
            Job::Pop3(_) | Job::Imap(_) | Job::Probe(_) => None,
        }
    }

    /// The envelope recipients, for a job that sends.
    pub fn recipients(&self) -> Vec<String> {
        match &self.job {
            Job::Send { envelope, .. } => envelope.recipients.iter().map(|r| r.address.to_string()).collect(),
            Job::Pop3(_) | Job::Imap(_) | Job::Probe(_) => Vec::new(),
        }
    }
}
