//! The DNS as a host's checks ask it: every question and its answer recorded in the trace,
//! at the moment it was asked, under the asking host's name.

use std::net::Ipv4Addr;

use crate::engine::auth::{Lookup, Resolver};
use crate::engine::time::VirtualTime;
use crate::engine::trace::{details, CheckMethod, DnsAnswer, Event, EventKind, RecordType};
use crate::engine::world::dns::{reverse_name, Dns};

pub struct TracedResolver<'a> {
    pub dns: &'a Dns,
    pub host: &'a str,
    pub now: VirtualTime,
    pub events: &'a mut Vec<Event>,
    /// The check the next questions are for.
    pub purpose: Option<CheckMethod>,
}

impl TracedResolver<'_> {
    fn record<T>(&mut self, name: &str, record: RecordType, lookup: Lookup<Vec<T>>, show: impl Fn(&T) -> String) -> Lookup<Vec<T>> {
        let at = self.now;
        let host = self.host.to_owned();
        self.events.push(Event {
            at,
            kind: EventKind::DnsQuery(Box::new(details::DnsQuery { host: host.clone(), name: name.to_owned(), record, purpose: self.purpose })),
        });
        let answer = match &lookup {
            Lookup::Found(records) => DnsAnswer::Records { records: records.iter().map(show).collect() },
            Lookup::NoData => DnsAnswer::NoData,
            Lookup::NxDomain => DnsAnswer::NxDomain,
            Lookup::ServFail => DnsAnswer::ServFail,
        };
        self.events.push(Event {
            at,
            kind: EventKind::DnsResponse(Box::new(details::DnsResponse { host, name: name.to_owned(), record, answer, purpose: self.purpose })),
        });
        lookup
    }
}

impl Resolver for TracedResolver<'_> {
    fn txt(&mut self, name: &str) -> Lookup<Vec<String>> {
        let lookup = self.dns.txt(name, self.now);
        // Presentation form, as dig prints it: the text quoted.
        self.record(name, RecordType::TXT, lookup, |t| format!("TXT \"{t}\""))
    }

    fn a(&mut self, name: &str) -> Lookup<Vec<Ipv4Addr>> {
        let lookup = match self.dns.a(name, self.now) {
            super::dns::ALookup::Address(ip) => Lookup::Found(vec![ip]),
            super::dns::ALookup::NoData => Lookup::NoData,
            super::dns::ALookup::NxDomain => Lookup::NxDomain,
            super::dns::ALookup::ServFail => Lookup::ServFail,
        };
        self.record(name, RecordType::A, lookup, |ip| format!("A {ip}"))
    }

    fn mx(&mut self, name: &str) -> Lookup<Vec<String>> {
        let lookup = match self.dns.mx(name, self.now) {
            super::dns::MxLookup::Exchangers(mx) => Lookup::Found(mx),
            super::dns::MxLookup::NullMx => Lookup::Found(vec![(0, ".".to_owned())]),
            super::dns::MxLookup::NoMx => Lookup::NoData,
            super::dns::MxLookup::NxDomain => Lookup::NxDomain,
            super::dns::MxLookup::ServFail => Lookup::ServFail,
        };
        let shown = self.record(name, RecordType::MX, lookup, |(p, h)| format!("MX {p} {h}"));
        match shown {
            Lookup::Found(mx) => Lookup::Found(mx.into_iter().map(|(_, h)| h).filter(|h| h != ".").collect()),
            Lookup::NoData => Lookup::NoData,
            Lookup::NxDomain => Lookup::NxDomain,
            Lookup::ServFail => Lookup::ServFail,
        }
    }

    fn ptr(&mut self, ip: Ipv4Addr) -> Lookup<Vec<String>> {
        let lookup = self.dns.ptr(ip, self.now);
        self.record(&reverse_name(ip), RecordType::PTR, lookup, |n| format!("PTR {n}"))
    }
}
