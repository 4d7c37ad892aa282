//! Where the diagram puts each host: left to right along the journey, in columns by the role
//! a textbook gives it (RFC 5598): the sender's mail client (MUA), the submission server
//! (MSA, which is also its domain's MTA), the receiving MX (MTA), the mailbox host (MDA and
//! message store), and the recipient's devices (MUA) at the far end.

use crate::engine::scenario::{Host, Scenario, Service};

/// The roles of RFC 5598, as the diagram labels them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A person's device running a mail client that sends.
    SendingMua,
    /// A server taking submissions from its users and relaying them: MSA and MTA.
    Msa,
    /// A server receiving mail for its domains on port 25.
    Mta,
    /// The mailbox host: LMTP in, POP3 and IMAP out.
    Mda,
    /// A device that only reads mail.
    ReadingMua,
}

impl Role {
    pub fn of(host: &Host) -> Role {
        if host.offers(Service::Submission) || host.offers(Service::Submissions) {
            Role::Msa
        } else if host.offers(Service::Smtp) {
            Role::Mta
        } else if host.services.iter().any(|s| matches!(s.protocol(), Service::Lmtp | Service::Pop3 | Service::Imap)) {
            Role::Mda
        } else if host.submits_to.is_some() || host.device_of.is_none() {
            Role::SendingMua
        } else {
            Role::ReadingMua
        }
    }

    /// The textbook's name for the role.
    pub fn acronym(self) -> &'static str {
        match self {
            Role::SendingMua | Role::ReadingMua => "MUA",
            Role::Msa => "MSA · MTA",
            Role::Mta => "MTA (MX)",
            Role::Mda => "MDA · mailbox",
        }
    }

    /// What it is, in plain words.
    pub fn plain(self) -> &'static str {
        match self {
            Role::SendingMua | Role::ReadingMua => "mail client",
            Role::Msa => "submission server",
            Role::Mta => "receiving mail server",
            Role::Mda => "mailbox server",
        }
    }
}

/// A host's place on the diagram: its column (by role) and its row within the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub name: String,
    pub label: String,
    pub role: Role,
    /// `submission 587`, `smtp 25`, ...
    pub ports: Vec<String>,
    pub column: usize,
    pub row: usize,
}

pub fn layout(scenario: &Scenario) -> Vec<Placed> {
    layout_of(scenario, |_| true)
}

/// The layout of the hosts a trace involves: a host that never acts in the scenario (the
/// other domain's mailbox server in a letter that does not bounce) is not drawn, so the
/// diagram keeps to one row where the story needs only one.
pub fn layout_of(scenario: &Scenario, shown: impl Fn(&str) -> bool) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    let mut hosts: Vec<(Role, &Host)> = scenario.hosts.iter().filter(|h| shown(&h.name)).map(|h| (Role::of(h), h)).collect();
    // Stable: within a role, the order of the scenario file.
    hosts.sort_by_key(|(role, _)| *role);
    let mut columns: Vec<Role> = hosts.iter().map(|(r, _)| *r).collect();
    columns.dedup();
    for (role, host) in hosts {
        let column = columns.iter().position(|r| *r == role).unwrap_or(0);
        let row = placed.iter().filter(|p| p.column == column).count();
        placed.push(Placed {
            name: host.name.clone(),
            label: host.label().to_owned(),
            role,
            ports: host.services.iter().map(|s| format!("{} {}", s.name(), s.port())).collect(),
            column,
            row,
        });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;

    #[test]
    fn the_journey_runs_left_to_right_by_role() {
        let s = preset("pop-vs-imap").unwrap().scenario().unwrap();
        let placed = layout(&s);
        let names: Vec<(usize, &str)> = placed.iter().map(|p| (p.column, p.name.as_str())).collect();
        assert_eq!(
            names,
            vec![
                (0, "alice-laptop.northwind.test"),
                (0, "carol-desktop.northwind.test"),
                (1, "smtp.northwind.test"),
                (2, "mx.southbay.test"),
                (3, "mail.northwind.test"),
                (3, "mail.southbay.test"),
                (4, "bob-laptop.southbay.test"),
                (4, "bob-phone.southbay.test"),
            ]
        );
        assert_eq!(placed[2].role.acronym(), "MSA · MTA");
        assert_eq!(placed[1].row, 1, "second in its column");
    }

    #[test]
    fn hosts_the_trace_never_involves_are_left_out() {
        let s = preset("first-letter").unwrap().scenario().unwrap();
        let trace = crate::engine::world::simulate(&s);
        let player = crate::player::Player::new(std::rc::Rc::new(trace));
        let placed = layout_of(&s, |h| player.involves(h));
        assert!(placed.iter().all(|p| p.name != "mail.northwind.test"), "Alice's own mailbox plays no part");
        assert!(placed.iter().all(|p| p.row == 0), "one row: {placed:?}");
        assert_eq!(placed.len(), 5);
    }
}
