//! The DNS of the virtual internet, built from the scenario: MX records from its domains, A
//! records from its hosts, and outages from its `dns-failure` faults. Answers are what a
//! resolver would hand the MTA (RFC 1035 4.1.1 response codes).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::engine::auth::Lookup;
use crate::engine::scenario::{Fault, Scenario};
use crate::engine::trace::DnsAnswer;
use crate::engine::time::VirtualTime;

/// The answer to an MX query, as the MTA uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MxLookup {
    /// Mail exchangers, lowest preference first (RFC 5321 5.1).
    Exchangers(Vec<(u16, String)>),
    /// The domain publishes `MX 0 .`: it accepts no mail (RFC 7505).
    NullMx,
    /// The domain exists but has no MX: use its own address (RFC 5321 5.1, the "implicit MX").
    NoMx,
    NxDomain,
    ServFail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ALookup {
    Address(Ipv4Addr),
    NoData,
    NxDomain,
    ServFail,
}

#[derive(Debug, Clone)]
struct Outage {
    domain: String,
    from: VirtualTime,
    until: Option<VirtualTime>,
}

#[derive(Debug, Clone, Default)]
pub struct Dns {
    /// Domain name (lower case) → its MX records and whether it is a null MX.
    mail_domains: BTreeMap<String, (Vec<(u16, String)>, bool)>,
    addresses: BTreeMap<String, Ipv4Addr>,
    /// Owner name (lower case) → its TXT records, in the file's order.
    texts: BTreeMap<String, Vec<String>>,
    outages: Vec<Outage>,
}

impl Dns {
    pub fn from_scenario(scenario: &Scenario) -> Dns {
        let mut dns = Dns::default();
        for d in &scenario.domains {
            let mut mx: Vec<(u16, String)> = d.mx.iter().map(|m| (m.preference, m.exchange.to_ascii_lowercase())).collect();
            // Equal preferences keep the file's order, so that runs are deterministic.
            mx.sort_by_key(|(pref, _)| *pref);
            dns.mail_domains.insert(d.name.to_ascii_lowercase(), (mx, d.null_mx));
            for txt in &d.txt {
                let owner = match txt.name.as_str() {
                    "" => d.name.to_ascii_lowercase(),
                    below => format!("{}.{}", below, d.name).to_ascii_lowercase(),
                };
                dns.texts.entry(owner).or_default().push(txt.text.clone());
            }
        }
        for h in &scenario.hosts {
            if let Ok(ip) = h.address.parse() {
                dns.addresses.insert(h.name.to_ascii_lowercase(), ip);
            }
        }
        for f in &scenario.faults {
            if let Fault::DnsFailure { domain, from, until } = f {
                dns.outages.push(Outage {
                    domain: domain.to_ascii_lowercase(),
                    from: VirtualTime::from_secs(*from),
                    until: until.map(VirtualTime::from_secs),
                });
            }
        }
        dns
    }

    fn failing(&self, name: &str, now: VirtualTime) -> bool {
        self.outages.iter().any(|o| {
            let inside = name == o.domain || name.ends_with(&format!(".{}", o.domain));
            inside && now >= o.from && o.until.is_none_or(|u| now < u)
        })
    }

    /// A name exists if it is a mail domain, a host, or owns a TXT record, or has one of
    /// them below it.
    fn exists(&self, name: &str) -> bool {
        let below = format!(".{name}");
        self.mail_domains.keys().chain(self.addresses.keys()).chain(self.texts.keys()).any(|n| n == name || n.ends_with(&below))
    }

    /// The TXT records of a name, as a resolver answers.
    pub fn txt(&self, name: &str, now: VirtualTime) -> Lookup<Vec<String>> {
        let name = name.to_ascii_lowercase();
        self.answer(&name, now, self.texts.get(&name).cloned())
    }

    /// Replace the TXT records of a name (the lab publishing or withdrawing a record).
    pub fn set_txt(&mut self, owner: &str, texts: Vec<String>) {
        let owner = owner.to_ascii_lowercase();
        if texts.is_empty() {
            self.texts.remove(&owner);
        } else {
            self.texts.insert(owner, texts);
        }
    }

    /// The names whose A record is `ip` (the PTR the address's owner would publish).
    pub fn ptr(&self, ip: Ipv4Addr, now: VirtualTime) -> Lookup<Vec<String>> {
        let names: Vec<String> = self.addresses.iter().filter(|(_, a)| **a == ip).map(|(n, _)| n.clone()).collect();
        let arpa = reverse_name(ip);
        if self.failing(&arpa, now) {
            return Lookup::ServFail;
        }
        if names.is_empty() { Lookup::NxDomain } else { Lookup::Found(names) }
    }

    fn answer<T>(&self, name: &str, now: VirtualTime, found: Option<T>) -> Lookup<T> {
        if self.failing(name, now) {
            Lookup::ServFail
        } else if let Some(found) = found {
            Lookup::Found(found)
        } else if self.exists(name) {
            Lookup::NoData
        } else {
            Lookup::NxDomain
        }
    }

    pub fn mx(&self, domain: &str, now: VirtualTime) -> MxLookup {
        let name = domain.to_ascii_lowercase();
        if self.failing(&name, now) {
            return MxLookup::ServFail;
        }
        match self.mail_domains.get(&name) {
            Some((_, true)) => MxLookup::NullMx,
            Some((mx, false)) if !mx.is_empty() => MxLookup::Exchangers(mx.clone()),
            _ if self.exists(&name) => MxLookup::NoMx,
            _ => MxLookup::NxDomain,
        }
    }

    pub fn a(&self, host: &str, now: VirtualTime) -> ALookup {
        let name = host.to_ascii_lowercase();
        if self.failing(&name, now) {
            return ALookup::ServFail;
        }
        match self.addresses.get(&name) {
            Some(ip) => ALookup::Address(*ip),
            None if self.exists(&name) => ALookup::NoData,
            None => ALookup::NxDomain,
        }
    }
}

/// `25.2.0.192.in-addr.arpa` (RFC 1035 3.5).
pub fn reverse_name(ip: Ipv4Addr) -> String {
    let [a, b, c, d] = ip.octets();
    format!("{d}.{c}.{b}.{a}.in-addr.arpa")
}

impl MxLookup {
    /// The answer as the trace shows it.
    pub fn to_answer(&self) -> DnsAnswer {
        match self {
            MxLookup::Exchangers(mx) => {
                DnsAnswer::Records { records: mx.iter().map(|(p, h)| format!("MX {p} {h}")).collect() }
            }
            MxLookup::NullMx => DnsAnswer::Records { records: vec!["MX 0 .".into()] },
            MxLookup::NoMx => DnsAnswer::NoData,
            MxLookup::NxDomain => DnsAnswer::NxDomain,
            MxLookup::ServFail => DnsAnswer::ServFail,
        }
    }
}

impl ALookup {
    pub fn to_answer(&self) -> DnsAnswer {
        match self {
            ALookup::Address(ip) => DnsAnswer::Records { records: vec![format!("A {ip}")] },
            ALookup::NoData => DnsAnswer::NoData,
            ALookup::NxDomain => DnsAnswer::NxDomain,
            ALookup::ServFail => DnsAnswer::ServFail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;

    fn dns(name: &str) -> Dns {
        Dns::from_scenario(&preset(name).unwrap().scenario().unwrap())
    }

    #[test]
    fn mx_records_come_lowest_preference_first() {
        let d = dns("backup-mx");
        assert_eq!(
            d.mx("SouthBay.test", VirtualTime::ZERO),
            MxLookup::Exchangers(vec![(10, "mx.southbay.test".into()), (20, "mx2.southbay.test".into())])
        );
        assert_eq!(d.a("mx2.southbay.test", VirtualTime::ZERO), ALookup::Address(Ipv4Addr::new(198, 51, 100, 26)));
    }

    #[test]
    fn unknown_names_do_not_exist_and_known_ones_may_lack_a_record() {
        let d = dns("first-letter");
        assert_eq!(d.mx("nowhere.test", VirtualTime::ZERO), MxLookup::NxDomain);
        assert_eq!(d.a("southbay.test", VirtualTime::ZERO), ALookup::NoData);
        assert_eq!(d.mx("mx.southbay.test", VirtualTime::ZERO), MxLookup::NoMx);
    }

    #[test]
    fn an_outage_fails_the_domain_and_its_hosts_only_in_its_window() {
        let mut s = preset("first-letter").unwrap().scenario().unwrap();
        s.faults.push(Fault::DnsFailure { domain: "southbay.test".into(), from: 10, until: Some(20) });
        let d = Dns::from_scenario(&s);
        assert!(matches!(d.mx("southbay.test", VirtualTime::from_secs(5)), MxLookup::Exchangers(_)));
        assert_eq!(d.mx("southbay.test", VirtualTime::from_secs(10)), MxLookup::ServFail);
        assert_eq!(d.a("mx.southbay.test", VirtualTime::from_secs(19)), ALookup::ServFail);
        assert!(matches!(d.a("smtp.northwind.test", VirtualTime::from_secs(15)), ALookup::Address(_)));
        assert!(matches!(d.mx("southbay.test", VirtualTime::from_secs(20)), MxLookup::Exchangers(_)));
    }

    #[test]
    fn a_null_mx_is_its_own_answer() {
        let mut s = preset("first-letter").unwrap().scenario().unwrap();
        s.domains[1].mx.clear();
        s.domains[1].null_mx = true;
        let d = Dns::from_scenario(&s);
        assert_eq!(d.mx("southbay.test", VirtualTime::ZERO), MxLookup::NullMx);
        assert_eq!(MxLookup::NullMx.to_answer(), DnsAnswer::Records { records: vec!["MX 0 .".into()] });
    }
}
