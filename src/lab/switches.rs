//! The faults a student can switch on and off in the lab, as plain data: which the world
//! offers, whether each is on, and switching one.

use super::live::Lab;
use super::sender_auth::POLICIES;
use crate::catalog::lab as words;
use crate::engine::scenario::Service;

/// A fault of the live world. Each names what it applies to: a host, or a user's address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The host is switched off: connections to it time out.
    PowerOff(String),
    /// The MX greylists mail from outside (451 4.7.1 on a first try).
    Greylisting(String),
    /// The MX relays for anyone (`mynetworks = 0.0.0.0/0`).
    OpenRelay(String),
    /// The server that answers port 25 in the lab answers VRFY (`disable_vrfy_command = no`).
    Vrfy(String),
    /// The address does not exist (550 5.1.1).
    UnknownUser(String),
    /// The user's mailbox is over quota (552 5.2.2).
    MailboxFull(String),
    /// The submission server signs its users' letters with DKIM.
    Signing(String),
    /// The domain publishes its SPF record.
    Spf(String),
    /// The domain publishes a DMARC record with this policy (one at a time).
    Dmarc(String, &'static str),
    /// The MX checks SPF, DKIM and DMARC of letters from other networks.
    Checks(String),
}

/// A fault as the lab offers it: in words, and whether it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    pub fault: Fault,
    pub label: String,
    pub on: bool,
}

/// The faults this world offers, with their current state: power for every mail server,
/// greylisting for every MX (a host that relays on port 25 but takes no submissions),
/// and for every user but postmaster an unknown address and a full mailbox.
pub fn switches(lab: &Lab) -> Vec<Switch> {
    let world = lab.world();
    let scenario = world.scenario();
    let mut out = Vec::new();
    for host in world.hosts() {
        if !host.domains.is_empty() && scenario.host(&host.name).is_some_and(|h| !h.services.is_empty()) {
            out.push(Switch {
                label: words::switched_off(&host.name),
                on: host.forced_up == Some(false),
                fault: Fault::PowerOff(host.name.clone()),
            });
        }
    }
    for host in world.hosts() {
        if scenario.host(&host.name).is_some_and(|s| s.offers(Service::Smtp) && !s.offers(Service::Submission)) {
            out.push(Switch {
                label: words::greylists(&host.name),
                on: host.greylist_delay.is_some(),
                fault: Fault::Greylisting(host.name.clone()),
            });
            out.push(Switch {
                label: words::open_relay(&host.name),
                on: host.relays_for_anyone(world.now()),
                fault: Fault::OpenRelay(host.name.clone()),
            });
        }
    }
    // The terminal on port 25 talks to this host: VRFY can be tried there.
    if let Some(front) = world.front_host(Service::Smtp) {
        if let Some(host) = world.hosts().iter().find(|h| h.name.eq_ignore_ascii_case(front)) {
            out.push(Switch {
                label: words::answers_vrfy(&host.name),
                on: !host.smtpd.disable_vrfy_command,
                fault: Fault::Vrfy(host.name.clone()),
            });
        }
    }
    // Who really sent it: the lesson's records and key, when the world has their hosts. Off
    // when the lab opens, so that the other lessons' sessions stay as they were.
    if let Some(kit) = lab.kit() {
        out.push(Switch { label: words::signs(&kit.signer_host, &kit.domain), on: lab.signing(), fault: Fault::Signing(kit.signer_host.clone()) });
        out.push(Switch { label: words::publishes_spf(&kit.domain, &kit.spf), on: lab.publishes_spf(), fault: Fault::Spf(kit.domain.clone()) });
        let policy = lab.dmarc_policy();
        for p in POLICIES {
            out.push(Switch { label: words::publishes_dmarc(&kit.domain, p), on: policy.as_deref() == Some(p), fault: Fault::Dmarc(kit.domain.clone(), p) });
        }
        out.push(Switch { label: words::checks_senders(&kit.checker), on: lab.checking(), fault: Fault::Checks(kit.checker.clone()) });
    }
    for user in &scenario.users {
        let address = user.address.to_ascii_lowercase();
        if address.starts_with("postmaster@") {
            continue;
        }
        let unknown = world.hosts().iter().any(|h| h.unknown_users.contains(&address));
        let full = world.hosts().iter().any(|h| h.full_mailboxes.contains(&address));
        out.push(Switch { label: words::does_not_exist(&address), on: unknown, fault: Fault::UnknownUser(address.clone()) });
        out.push(Switch { label: words::mailbox_full(&address), on: full, fault: Fault::MailboxFull(address) });
    }
    out
}

impl Lab {
    /// Switches the fault the other way: on if it was off, off if it was on.
    pub fn toggle(&mut self, fault: &Fault) -> Result<(), String> {
        let on = switches(self).iter().any(|s| &s.fault == fault && s.on);
        match fault {
            Fault::PowerOff(host) => self.set_power(host, on),
            Fault::Greylisting(host) => self.set_greylisting(host, !on),
            Fault::OpenRelay(host) => self.set_open_relay(host, !on),
            Fault::Vrfy(host) => self.set_vrfy(host, !on),
            Fault::UnknownUser(user) => self.set_user_known(user, on),
            Fault::MailboxFull(user) => self.set_mailbox_full(user, !on),
            Fault::Signing(_) => self.set_signing(!on),
            Fault::Spf(_) => self.set_spf(!on),
            // One policy at a time: switching one on replaces the record; off withdraws it.
            Fault::Dmarc(_, policy) => self.set_dmarc((!on).then_some(*policy)),
            Fault::Checks(_) => self.set_checking(!on),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(lab: &Lab, fault: &Fault) -> Option<bool> {
        switches(lab).into_iter().find(|s| &s.fault == fault).map(|s| s.on)
    }

    #[test]
    fn the_world_offers_its_faults_and_each_switches_both_ways() {
        let mut lab = Lab::new("pop-vs-imap").expect("the lab's world");
        let offered = switches(&lab);
        let mx = Fault::PowerOff("mx.southbay.test".into());
        assert!(offered.iter().any(|s| s.fault == mx && s.label == "mx.southbay.test is switched off" && !s.on));
        assert!(offered.iter().any(|s| s.fault == Fault::Greylisting("mx.southbay.test".into())));
        assert!(!offered.iter().any(|s| matches!(&s.fault, Fault::UnknownUser(u) if u.starts_with("postmaster@"))));
        for fault in [
            mx,
            Fault::Greylisting("mx.southbay.test".into()),
            Fault::OpenRelay("mx.southbay.test".into()),
            Fault::Vrfy("smtp.northwind.test".into()),
            Fault::UnknownUser("bob@southbay.test".into()),
            Fault::MailboxFull("bob@southbay.test".into()),
        ] {
            assert_eq!(state(&lab, &fault), Some(false), "{fault:?}");
            lab.toggle(&fault).expect("on");
            assert_eq!(state(&lab, &fault), Some(true), "{fault:?}");
            lab.toggle(&fault).expect("off");
            assert_eq!(state(&lab, &fault), Some(false), "{fault:?}");
        }
        assert!(lab.toggle(&Fault::PowerOff("nowhere.test".into())).is_err());
    }

    /// The lesson's records, key and checks come switched off, and each switches both ways;
    /// the DMARC policies are one record, so one on turns the others off.
    #[test]
    fn sender_authentication_switches_both_ways_and_one_policy_at_a_time() {
        let mut lab = Lab::new("pop-vs-imap").expect("the lab's world");
        let faults = [
            Fault::Signing("smtp.northwind.test".into()),
            Fault::Spf("northwind.test".into()),
            Fault::Checks("mx.southbay.test".into()),
        ];
        for fault in &faults {
            assert_eq!(state(&lab, fault), Some(false), "{fault:?}");
            lab.toggle(fault).expect("on");
            assert_eq!(state(&lab, fault), Some(true), "{fault:?}");
        }
        let reject = Fault::Dmarc("northwind.test".into(), "reject");
        let none = Fault::Dmarc("northwind.test".into(), "none");
        lab.toggle(&reject).unwrap();
        lab.toggle(&none).unwrap();
        assert_eq!((state(&lab, &reject), state(&lab, &none)), (Some(false), Some(true)));
        assert_eq!(lab.world().txt("_dmarc.northwind.test"), ["v=DMARC1; p=none"]);
        lab.toggle(&none).unwrap();
        assert!(lab.world().txt("_dmarc.northwind.test").is_empty());
        for fault in &faults {
            lab.toggle(fault).expect("off");
            assert_eq!(state(&lab, fault), Some(false), "{fault:?}");
        }
    }
}
