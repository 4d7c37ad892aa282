//! A world that goes on living: the interactive lab acts on it while it runs. A person writes
//! and sends a letter now, hosts are switched off and on, a user disappears, a mailbox fills
//! up, greylisting starts, and the clock jumps to the next thing due.

use crate::engine::auth::dkim::Signer;
use crate::engine::scenario::{Action, Send, SenderCheck};
use crate::engine::trace::EventKind;
use crate::engine::time::VirtualTime;
use crate::engine::world::simulator::Simulator;

impl Simulator<'_> {
    /// A person's mail client writes and sends a letter now. The device and server must be
    /// hosts of the world; the addresses are checked as a scenario's would be.
    pub fn send_now(&mut self, send: &Send) -> Result<(), String> {
        let mut scenario = (*self.scenario).clone();
        scenario.actions = vec![Action::once(0, Some(send.clone()), None)];
        let mut errors = Vec::new();
        scenario.validate_bounds(&mut errors);
        if errors.is_empty() {
            scenario.validate_actions(&mut errors);
        }
        if let Some(e) = errors.first() {
            return Err(e.to_string().replacen("actions[0].", "", 1));
        }
        self.send(send);
        Ok(())
    }

    /// Switch a host off or on by hand, whatever the scenario's faults say.
    pub fn set_power(&mut self, host: &str, up: bool) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        self.hosts[h].forced_up = Some(up);
        let host = self.hosts[h].name.clone();
        self.event(EventKind::Power { host, up });
        Ok(())
    }

    /// Make a user unknown to the servers (their mail bounces with 550 5.1.1), or known again.
    pub fn set_user_known(&mut self, user: &str, known: bool) -> Result<(), String> {
        let user = self.scenario.user(user).map(|u| u.address.to_ascii_lowercase()).ok_or_else(|| format!("no user is {user}"))?;
        for host in &mut self.hosts {
            host.unknown_users.retain(|u| *u != user);
            if !known {
                host.unknown_users.push(user.clone());
            }
        }
        Ok(())
    }

    /// Fill a user's mailbox (deliveries answer 552 5.2.2), or empty the quota again.
    pub fn set_mailbox_full(&mut self, user: &str, full: bool) -> Result<(), String> {
        let user = self.scenario.user(user).map(|u| u.address.to_ascii_lowercase()).ok_or_else(|| format!("no user is {user}"))?;
        for host in &mut self.hosts {
            host.full_mailboxes.retain(|u| *u != user);
            if full {
                host.full_mailboxes.push(user.clone());
            }
        }
        Ok(())
    }

    /// Switch VRFY on or off on a host's SMTP server (Postfix's `disable_vrfy_command`), for
    /// the sessions that start from now on.
    pub fn set_vrfy(&mut self, host: &str, on: bool) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        self.hosts[h].smtpd.disable_vrfy_command = !on;
        Ok(())
    }

    /// The host that answers an outside client on this service (the lab's terminal).
    pub fn front_host(&self, service: crate::engine::scenario::Service) -> Option<&str> {
        self.front(service).map(|h| self.scenario.hosts[h].name.as_str())
    }

    /// Make a host relay for anyone (`mynetworks = 0.0.0.0/0`), or close it again.
    pub fn set_open_relay(&mut self, host: &str, open: bool) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        let now = self.now;
        if self.hosts[h].relays_for_anyone(now) == open {
            return Ok(());
        }
        if open {
            self.hosts[h].open_relay.push((now, None));
        } else {
            for (_, until) in &mut self.hosts[h].open_relay {
                until.get_or_insert(now);
            }
        }
        self.relaying_changed(h, open);
        Ok(())
    }

    /// Let a submission server sign its users' letters with this DKIM signer, or stop.
    pub fn set_signer(&mut self, host: &str, signer: Option<Signer>) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        self.hosts[h].dkim = signer;
        Ok(())
    }

    /// What an MX checks of letters from other networks, from now on.
    pub fn set_checks(&mut self, host: &str, checks: Vec<SenderCheck>) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        self.hosts[h].checks = checks;
        Ok(())
    }

    /// Publish these TXT records at a name, replacing those it had (none: withdraw them).
    pub fn set_txt(&mut self, owner: &str, texts: Vec<String>) {
        self.dns.set_txt(owner, texts);
    }

    /// The TXT records a name has now.
    pub fn txt(&self, owner: &str) -> Vec<String> {
        match self.dns.txt(owner, self.now) {
            crate::engine::auth::Lookup::Found(texts) => texts,
            _ => Vec::new(),
        }
    }

    /// Start greylisting on a host (with Postgrey's 300-second delay), or stop it.
    pub fn set_greylisting(&mut self, host: &str, on: bool) -> Result<(), String> {
        let h = self.host_index(host).ok_or_else(|| format!("no host is named {host}"))?;
        self.hosts[h].greylist_delay = on.then_some(300);
        Ok(())
    }

    /// Jump the clock to the next thing due (a retry, say) and do it; `None` if nothing is.
    pub fn fast_forward(&mut self) -> Option<VirtualTime> {
        let next = self.next_due()?;
        self.advance_to(next);
        Some(next)
    }
}
