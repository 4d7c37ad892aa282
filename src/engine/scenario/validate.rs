//! The checks a scenario must pass beyond its JSON shape: names that refer to something must
//! refer to something that exists, and the world must make sense.

use std::collections::HashSet;
use std::net::Ipv4Addr;

use super::{Scenario, ScenarioError, Service, FORMAT_VERSION};

type Check = Result<(), ScenarioError>;

/// Every error of the checks, not just the first: each element of a list is checked on its
/// own (the first problem of an element is its error), so a file's mistakes come all at once.
pub(super) type Errors = Vec<ScenarioError>;

/// Check each element, keeping every element's error.
pub(super) fn each<'a, T>(items: &'a [T], errors: &mut Errors, mut check: impl FnMut(usize, &'a T) -> Check) {
    for (i, item) in items.iter().enumerate() {
        if let Err(e) = check(i, item) {
            errors.push(e);
        }
    }
}

impl Scenario {
    pub(super) fn validate(&self) -> Result<(), Errors> {
        let mut errors = Vec::new();
        if self.version != FORMAT_VERSION {
            errors.push(ScenarioError::new(
                "version",
                format!("this Mailflow reads format version {FORMAT_VERSION}, the file says {}", self.version),
            ));
        }
        if self.name.is_empty() || !self.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            errors.push(ScenarioError::new("name", "use lower-case letters, digits and hyphens only"));
        }
        // Past a bound, the other checks would loop over a million of something: stop there.
        self.validate_bounds(&mut errors);
        if errors.iter().any(|e| e.field != "version" && e.field != "name") {
            return Err(errors);
        }
        self.validate_domains(&mut errors);
        self.validate_hosts(&mut errors);
        self.validate_users(&mut errors);
        self.validate_faults(&mut errors);
        self.validate_actions(&mut errors);
        self.validate_checkpoints(&mut errors);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn validate_domains(&self, errors: &mut Errors) {
        let mut seen = HashSet::new();
        each(&self.domains, errors, |i, domain| {
            let at = |field: &str| format!("domains[{i}]{field}");
            check_domain_name(&domain.name).map_err(|p| ScenarioError::new(at(".name"), p))?;
            if !seen.insert(domain.name.to_ascii_lowercase()) {
                return Err(ScenarioError::new(at(".name"), format!("{} is listed twice", domain.name)));
            }
            if domain.null_mx && !domain.mx.is_empty() {
                return Err(ScenarioError::new(
                    at(".null_mx"),
                    "a domain with a null MX publishes no other MX record (RFC 7505 3)",
                ));
            }
            for (j, txt) in domain.txt.iter().enumerate() {
                let at_txt = |field: &str| at(&format!(".txt[{j}].{field}"));
                if !txt.name.is_empty() && !is_relative_name(&txt.name) {
                    return Err(ScenarioError::new(
                        at_txt("name"),
                        format!("{:?} is not a name below the domain (labels of letters, digits, - and _, such as _dmarc)", txt.name),
                    ));
                }
                if txt.text.is_empty() || crate::engine::mail::header::has_control(&txt.text) {
                    return Err(ScenarioError::new(at_txt("text"), "a TXT record needs text, on one line"));
                }
            }
            for (j, mx) in domain.mx.iter().enumerate() {
                let host = self.host(&mx.exchange).ok_or_else(|| {
                    ScenarioError::new(at(&format!(".mx[{j}].exchange")), format!("no host is named {}", mx.exchange))
                })?;
                if !host.offers(Service::Smtp) {
                    return Err(ScenarioError::new(
                        at(&format!(".mx[{j}].exchange")),
                        format!("{} does not offer the smtp service (port 25)", host.name),
                    ));
                }
            }
            Ok(())
        });
    }

    fn validate_hosts(&self, errors: &mut Errors) {
        let mut names = HashSet::new();
        let mut addresses = HashSet::new();
        each(&self.hosts, errors, |i, host| {
            let at = |field: &str| format!("hosts[{i}].{field}");
            check_domain_name(&host.name).map_err(|p| ScenarioError::new(at("name"), p))?;
            if !names.insert(host.name.to_ascii_lowercase()) {
                return Err(ScenarioError::new(at("name"), format!("{} is listed twice", host.name)));
            }
            let address: Ipv4Addr = host
                .address
                .parse()
                .map_err(|_| ScenarioError::new(at("address"), format!("{:?} is not an IPv4 address", host.address)))?;
            if !addresses.insert(address) {
                return Err(ScenarioError::new(at("address"), format!("{address} belongs to another host too")));
            }
            for (j, domain) in host.domains.iter().enumerate() {
                if self.domain(domain).is_none() {
                    return Err(ScenarioError::new(at(&format!("domains[{j}]")), format!("no domain is named {domain}")));
                }
            }
            if let Some(mailbox_host) = &host.mailbox_host {
                let target = self
                    .host(mailbox_host)
                    .ok_or_else(|| ScenarioError::new(at("mailbox_host"), format!("no host is named {mailbox_host}")))?;
                if !target.offers(Service::Lmtp) {
                    return Err(ScenarioError::new(
                        at("mailbox_host"),
                        format!("{mailbox_host} does not offer the lmtp service (port 24)"),
                    ));
                }
            }
            let serves_smtp = host.services.iter().any(|s| matches!(s, Service::Smtp | Service::Submission | Service::Submissions));
            for (j, (address, targets)) in host.aliases.iter().enumerate() {
                let own = split_address(address).is_ok_and(|(_, d)| host.domains.iter().any(|h| h.eq_ignore_ascii_case(d)));
                if !own {
                    return Err(ScenarioError::new(at(&format!("aliases[{j}]")), format!("{address} is not an address of this host's domains")));
                }
                if targets.is_empty() {
                    return Err(ScenarioError::new(at(&format!("aliases[{j}]")), format!("{address} forwards to no one")));
                }
                for t in targets {
                    split_address(t).map_err(|p| ScenarioError::new(at(&format!("aliases[{j}]")), p))?;
                }
            }
            for (j, list) in host.lists.iter().enumerate() {
                let own = split_address(&list.address).is_ok_and(|(_, d)| host.domains.iter().any(|h| h.eq_ignore_ascii_case(d)));
                if !own {
                    return Err(ScenarioError::new(at(&format!("lists[{j}].address")), format!("{} is not an address of this host's domains", list.address)));
                }
                for (k, m) in list.members.iter().enumerate() {
                    split_address(m).map_err(|p| ScenarioError::new(at(&format!("lists[{j}].members[{k}]")), p))?;
                }
            }
            // A host of lists and aliases only (a list server) needs no mailbox host while no
            // user lives in its domains.
            let users_here = self.users.iter().any(|u| split_address(&u.address).is_ok_and(|(_, d)| host.domains.iter().any(|h| h.eq_ignore_ascii_case(d))));
            let forwards_only = (!host.aliases.is_empty() || !host.lists.is_empty()) && !users_here;
            if serves_smtp && !host.domains.is_empty() && host.mailbox_host.is_none() && !forwards_only {
                return Err(ScenarioError::new(
                    at("mailbox_host"),
                    "an SMTP server with domains of its own needs the mailbox host it delivers to",
                ));
            }
            if let Some(dkim) = &host.dkim {
                if self.domain(&dkim.domain).is_none() {
                    return Err(ScenarioError::new(at("dkim.domain"), format!("no domain is named {}", dkim.domain)));
                }
                if !is_relative_name(&dkim.selector) {
                    return Err(ScenarioError::new(at("dkim.selector"), format!("{:?} is not a selector (labels of letters, digits, - and _)", dkim.selector)));
                }
                if !host.offers(Service::Submission) && !host.offers(Service::Submissions) {
                    return Err(ScenarioError::new(at("dkim"), "only a submission server signs its users' letters"));
                }
                crate::engine::auth::dkim::private_key(&dkim.private_key)
                    .map_err(|e| ScenarioError::new(at("dkim.private_key"), e))?;
            }
            if !host.checks.is_empty() && !host.offers(Service::Smtp) {
                return Err(ScenarioError::new(at("checks"), "only a server on port 25 (smtp) checks letters from other networks"));
            }
            if let Some(owner) = &host.device_of {
                if self.user(owner).is_none() {
                    return Err(ScenarioError::new(at("device_of"), format!("no user is {owner}")));
                }
            }
            if let Some(server) = &host.submits_to {
                let target = self
                    .host(server)
                    .ok_or_else(|| ScenarioError::new(at("submits_to"), format!("no host is named {server}")))?;
                if !target.offers(Service::Submission) && !target.offers(Service::Submissions) {
                    return Err(ScenarioError::new(at("submits_to"), format!("{server} offers no submission service")));
                }
            }
            Ok(())
        });
    }

    fn validate_users(&self, errors: &mut Errors) {
        let mut seen = HashSet::new();
        each(&self.users, errors, |i, user| {
            let at = format!("users[{i}].address");
            let (_, domain) = split_address(&user.address).map_err(|p| ScenarioError::new(&at, p))?;
            if self.domain(domain).is_none() {
                return Err(ScenarioError::new(&at, format!("no domain is named {domain}")));
            }
            if !seen.insert(user.address.to_ascii_lowercase()) {
                return Err(ScenarioError::new(&at, format!("{} is listed twice", user.address)));
            }
            Ok(())
        });
    }

    fn validate_faults(&self, errors: &mut Errors) {
        each(&self.faults, errors, |i, fault| {
            let at = |field: &str| format!("faults[{i}].{field}");
            match fault {
                super::Fault::HostDown { host, from, until } | super::Fault::OpenRelay { host, from, until } => {
                    if self.host(host).is_none() {
                        return Err(ScenarioError::new(at("host"), format!("no host is named {host}")));
                    }
                    check_window(*from, *until).map_err(|p| ScenarioError::new(at("until"), p))?;
                }
                super::Fault::LinkDown { between, from, until } => {
                    for (j, host) in between.iter().enumerate() {
                        if self.host(host).is_none() {
                            return Err(ScenarioError::new(at(&format!("between[{j}]")), format!("no host is named {host}")));
                        }
                    }
                    check_window(*from, *until).map_err(|p| ScenarioError::new(at("until"), p))?;
                }
                super::Fault::Greylisting { host, .. } => {
                    if self.host(host).is_none() {
                        return Err(ScenarioError::new(at("host"), format!("no host is named {host}")));
                    }
                }
                super::Fault::MailboxFull { user } => {
                    if self.user(user).is_none() {
                        return Err(ScenarioError::new(at("user"), format!("no user is {user}")));
                    }
                }
                super::Fault::DnsFailure { from, until, .. } => {
                    check_window(*from, *until).map_err(|p| ScenarioError::new(at("until"), p))?;
                }
            }
            Ok(())
        });
    }

    pub(crate) fn validate_actions(&self, errors: &mut Errors) {
        each(&self.actions, errors, |i, action| {
            let at = |field: &str| format!("actions[{i}].{field}");
            let send = match (&action.send, &action.fetch, &action.probe) {
                (Some(send), None, None) => send,
                (None, Some(fetch), None) => return self.validate_fetch(fetch, at),
                (None, None, Some(probe)) => return self.validate_probe(probe, at),
                _ => {
                    return Err(ScenarioError::new(
                        format!("actions[{i}]"),
                        "say what to do: exactly one of \"send\", \"fetch\" or \"probe\"",
                    ))
                }
            };
            let device = self
                .host(&send.device)
                .ok_or_else(|| ScenarioError::new(at("send.device"), format!("no host is named {}", send.device)))?;
            split_address(&send.from).map_err(|p| ScenarioError::new(at("send.from"), p))?;
            for (j, field) in send.headers.iter().enumerate() {
                // RFC 5322 2.2: a name of printable characters but the colon, then a colon.
                let name = field.split_once(':').map(|(n, _)| n).unwrap_or("");
                let named = !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b));
                if !named || crate::engine::mail::header::has_control(field) || field.len() > 998 {
                    return Err(ScenarioError::new(
                        at(&format!("send.headers[{j}]")),
                        "write a whole header field on one line, \"Name: value\" (RFC 5322 2.2)",
                    ));
                }
            }
            if send.to.is_empty() {
                return Err(ScenarioError::new(at("send.to"), "a message needs at least one recipient"));
            }
            for (list, addresses) in [("to", &send.to), ("cc", &send.cc), ("bcc", &send.bcc)] {
                for (j, rcpt) in addresses.iter().enumerate() {
                    split_address(rcpt).map_err(|p| ScenarioError::new(at(&format!("send.{list}[{j}]")), p))?;
                }
            }
            if let Some(login) = &send.login {
                if self.user(login).is_none() {
                    return Err(ScenarioError::new(at("send.login"), format!("no user is {login}")));
                }
            }
            let server = match (&send.server, &device.submits_to) {
                (Some(server), _) | (None, Some(server)) => server,
                (None, None) => {
                    return Err(ScenarioError::new(
                        at("send.server"),
                        format!("{} has no submits_to, so say which server to send through", device.name),
                    ))
                }
            };
            let server_host = self
                .host(server)
                .ok_or_else(|| ScenarioError::new(at("send.server"), format!("no host is named {server}")))?;
            let service = send.service.unwrap_or(Service::Submission);
            if !server_host.offers(service) {
                return Err(ScenarioError::new(
                    at("send.service"),
                    format!("{} does not offer {} (port {})", server_host.name, service.name(), service.port()),
                ));
            }
            Ok(())
        });
    }
}

impl Scenario {
    fn validate_checkpoints(&self, errors: &mut Errors) {
        let mut names = HashSet::new();
        each(&self.checkpoints, errors, |i, cp| {
            let at = |field: &str| format!("checkpoints[{i}].{field}");
            let named = !cp.name.is_empty() && cp.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !named || cp.name.chars().all(|c| c.is_ascii_digit()) || cp.name == "end" {
                return Err(ScenarioError::new(at("name"), "use lower-case letters, digits and hyphens, not a number or \"end\""));
            }
            if !names.insert(cp.name.as_str()) {
                return Err(ScenarioError::new(at("name"), format!("{} is used twice", cp.name)));
            }
            if cp.nth == 0 {
                return Err(ScenarioError::new(at("nth"), "occurrences count from 1"));
            }
            if let Some(host) = &cp.host {
                if self.host(host).is_none() {
                    return Err(ScenarioError::new(at("host"), format!("no host is named {host}")));
                }
            }
            if let Some(quiz) = &cp.quiz {
                if quiz.choices.len() < 2 {
                    return Err(ScenarioError::new(at("quiz.choices"), "a question needs at least two choices"));
                }
                if let super::QuizCheck::Answer(n) = quiz.check {
                    if n >= quiz.choices.len() {
                        return Err(ScenarioError::new(at("quiz.check"), format!("there is no choice {n} (they count from 0)")));
                    }
                }
            }
            Ok(())
        });
    }

    fn validate_probe(&self, probe: &super::Probe, at: impl Fn(&str) -> String) -> Check {
        if self.host(&probe.device).is_none() {
            return Err(ScenarioError::new(at("probe.device"), format!("no host is named {}", probe.device)));
        }
        match self.host(&probe.server) {
            None => return Err(ScenarioError::new(at("probe.server"), format!("no host is named {}", probe.server))),
            Some(server) if !server.offers(super::Service::Smtp) => {
                return Err(ScenarioError::new(at("probe.server"), format!("{} does not offer smtp (port 25)", server.name)))
            }
            Some(_) => {}
        }
        if probe.commands.is_empty() {
            return Err(ScenarioError::new(at("probe.commands"), "a probe needs at least one command"));
        }
        for (j, line) in probe.commands.iter().enumerate() {
            let field = at(&format!("probe.commands[{j}]"));
            if line.contains(['\r', '\n']) {
                return Err(ScenarioError::new(field, "one command per line: the line ends are added when it is sent"));
            }
            if line.trim().eq_ignore_ascii_case("DATA") || line.trim().eq_ignore_ascii_case("BDAT") {
                return Err(ScenarioError::new(field, "a probe only asks questions: to send a letter, use \"send\""));
            }
        }
        Ok(())
    }

    fn validate_fetch(&self, fetch: &super::Fetch, at: impl Fn(&str) -> String) -> Check {
        let device = self
            .host(&fetch.device)
            .ok_or_else(|| ScenarioError::new(at("fetch.device"), format!("no host is named {}", fetch.device)))?;
        if !matches!(fetch.service.protocol(), Service::Pop3 | Service::Imap) {
            return Err(ScenarioError::new(at("fetch.service"), "mail is fetched with pop3 or imap"));
        }
        let user = fetch.user.as_deref().or(device.device_of.as_deref()).ok_or_else(|| {
            ScenarioError::new(at("fetch.user"), format!("{} belongs to nobody, so say whose mail to fetch", device.name))
        })?;
        if self.user(user).is_none() {
            return Err(ScenarioError::new(at("fetch.user"), format!("no user is {user}")));
        }
        if let Some(server) = &fetch.server {
            if self.host(server).is_none() {
                return Err(ScenarioError::new(at("fetch.server"), format!("no host is named {server}")));
            }
        }
        for (j, rule) in fetch.rules.iter().enumerate() {
            if fetch.service.protocol() != Service::Imap {
                return Err(ScenarioError::new(at(&format!("fetch.rules[{j}]")), "rules are for IMAP devices: POP3 only downloads"));
            }
            if (rule.action == super::FetchAction::Move) != rule.folder.is_some() {
                return Err(ScenarioError::new(
                    at(&format!("fetch.rules[{j}].folder")),
                    "a folder goes with \"move\", and only with it",
                ));
            }
        }
        let Some((_, server)) = self.fetch_target(fetch) else {
            return Err(ScenarioError::new(at("fetch.server"), format!("no mailbox server stores {user}'s domain")));
        };
        if !server.offers(fetch.service) {
            return Err(ScenarioError::new(
                at("fetch.service"),
                format!("{} does not offer {} (port {})", server.name, fetch.service.name(), fetch.service.port()),
            ));
        }
        Ok(())
    }
}

/// `local@domain`, both parts non-empty, printable ASCII without spaces or angle brackets
/// (the dot-atom subset of RFC 5321 4.1.2 that scenarios need).
pub(crate) fn split_address(address: &str) -> Result<(&str, &str), String> {
    let (local, domain) =
        address.rsplit_once('@').ok_or_else(|| format!("{address:?} is not an address of the form name@domain"))?;
    let fine = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c));
    if !fine(local) || !fine(domain) {
        return Err(format!("{address:?} is not an address of the form name@domain"));
    }
    Ok((local, domain))
}

/// A host or domain name: dot-separated labels of letters, digits and hyphens (RFC 1035 2.3.1).
/// A name below a domain, as a zone file writes it: `_dmarc`, `mail._domainkey`.
fn is_relative_name(name: &str) -> bool {
    name.len() <= 200
        && name.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

fn check_domain_name(name: &str) -> Result<(), String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return Err(format!("{name:?} is not a valid domain name"));
    }
    Ok(())
}

fn check_window(from: u64, until: Option<u64>) -> Result<(), String> {
    match until {
        Some(until) if until <= from => Err(format!("ends at {until} s, which is not after it starts ({from} s)")),
        _ => Ok(()),
    }
}
