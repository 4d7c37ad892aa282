//! A host of the virtual internet while the simulation runs: what the scenario says it is,
//! plus its queue, its mailboxes, its greylist and its counters.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::engine::auth::dkim::{private_key, Signer};
use crate::engine::hash::fnv1a64;
use crate::engine::mail::{MailStore, Queue};
use crate::engine::scenario::{Fault, Host, Scenario, SenderCheck, Smtpd};
use crate::engine::time::VirtualTime;

/// When a fault holds: from, until (for good when absent).
pub type Window = (VirtualTime, Option<VirtualTime>);

fn within(windows: &[Window], now: VirtualTime) -> bool {
    windows.iter().any(|(from, until)| now >= *from && until.is_none_or(|u| now < u))
}

#[derive(Debug, Clone)]
pub struct HostState {
    pub name: String,
    pub address: Ipv4Addr,
    /// Lower-case names of the mail domains it serves.
    pub domains: Vec<String>,
    pub queue: Queue,
    pub store: MailStore,
    down: Vec<Window>,
    /// Greylisting delay in seconds, when this host greylists.
    pub greylist_delay: Option<u64>,
    /// (client address, sender, recipient) → when first seen (the Postgrey triplet).
    pub greylist: BTreeMap<(String, String, String), VirtualTime>,
    /// The last MAIL FROM path per client address, for the greylisting triplet.
    pub senders: BTreeMap<String, String>,
    /// Switched off or on by hand (the lab), overriding the scenario's faults.
    pub forced_up: Option<bool>,
    /// Users the lab made unknown: they cannot log in and get no mail.
    pub unknown_users: Vec<String>,
    /// Users whose mailbox is full here.
    pub full_mailboxes: Vec<String>,
    /// When the host relays for anyone (an `open-relay` fault; the lab sets it by hand).
    pub open_relay: Vec<Window>,
    /// Its SMTP server's settings, as the scenario gives them; the lab may change them for
    /// the sessions that start afterwards.
    pub smtpd: Smtpd,
    /// Its DKIM signer, for a submission server that signs (the lab may take it away).
    pub dkim: Option<Signer>,
    /// What it checks of letters from other networks, for an MX.
    pub checks: Vec<SenderCheck>,
    serial: u64,
    next_port: u16,
}

impl HostState {
    pub fn new(host: &Host, scenario: &Scenario) -> HostState {
        let mut state = HostState {
            name: host.name.to_ascii_lowercase(),
            // The scenario was validated: the address parses.
            address: host.address.parse().unwrap_or(Ipv4Addr::UNSPECIFIED),
            domains: host.domains.iter().map(|d| d.to_ascii_lowercase()).collect(),
            queue: Queue::default(),
            store: MailStore::default(),
            down: Vec::new(),
            greylist_delay: None,
            greylist: BTreeMap::new(),
            senders: BTreeMap::new(),
            forced_up: None,
            unknown_users: Vec::new(),
            full_mailboxes: Vec::new(),
            open_relay: Vec::new(),
            smtpd: host.smtpd,
            // The scenario was validated: the key reads.
            dkim: host.dkim.as_ref().and_then(|d| {
                let key = private_key(&d.private_key).ok()?;
                Some(Signer { domain: d.domain.to_ascii_lowercase(), selector: d.selector.clone(), key })
            }),
            checks: host.checks.clone(),
            serial: 0,
            // The start of the dynamic port range (RFC 6335 6).
            next_port: 49152,
        };
        for fault in &scenario.faults {
            match fault {
                Fault::HostDown { host: h, from, until } if h.eq_ignore_ascii_case(&host.name) => {
                    state.down.push((VirtualTime::from_secs(*from), until.map(VirtualTime::from_secs)));
                }
                Fault::Greylisting { host: h, delay } if h.eq_ignore_ascii_case(&host.name) => {
                    state.greylist_delay = Some(*delay);
                }
                Fault::MailboxFull { user } => state.full_mailboxes.push(user.to_ascii_lowercase()),
                Fault::OpenRelay { host: h, from, until } if h.eq_ignore_ascii_case(&host.name) => {
                    state.open_relay.push((VirtualTime::from_secs(*from), until.map(VirtualTime::from_secs)));
                }
                _ => {}
            }
        }
        state
    }

    pub fn is_up(&self, now: VirtualTime) -> bool {
        if let Some(up) = self.forced_up {
            return up;
        }
        !within(&self.down, now)
    }

    /// Whether the host relays for any client at `now`, as with `mynetworks = 0.0.0.0/0`.
    pub fn relays_for_anyone(&self, now: VirtualTime) -> bool {
        within(&self.open_relay, now)
    }

    pub fn serves_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }

    /// A queue id in Postfix's short style: ten upper-case hex digits, unique per host and
    /// the same on every run.
    pub fn next_queue_id(&mut self) -> String {
        self.serial += 1;
        let mut h = fnv1a64(&[self.name.as_bytes(), &self.serial.to_be_bytes()].concat());
        // The splitmix64 finaliser, so that consecutive ids look unrelated.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^= h >> 31;
        format!("{:010X}", h >> 24)
    }

    /// The next ephemeral port for an outgoing connection.
    pub fn next_client_port(&mut self) -> u16 {
        let port = self.next_port;
        self.next_port = if port == u16::MAX { 49152 } else { port + 1 };
        port
    }
}
