//! Who really sent a letter: the receiving side's checks of the sender's domain. SPF (RFC
//! 7208) asks whether the connecting address may send for the envelope's domain; DKIM (RFC
//! 6376) signs a message at the sender's side and checks the signature at the receiver's;
//! DMARC (RFC 9989) ties both to the domain the reader sees in `From:` and says what to do
//! when neither holds; `Authentication-Results` (RFC 8601) writes the verdicts into the
//! message for the mailbox host and the reader.
//!
//! Pure functions over a [`Resolver`]: the world answers from the scenario's DNS and records
//! every question in the trace; tests answer from a table.

pub mod dkim;
pub mod dmarc;
pub mod results;
pub mod spf;
mod tags;

use std::net::Ipv4Addr;

/// What a DNS question got, as the checks need it (RFC 1035 4.1.1 response codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    Found(T),
    /// The name exists without records of that type (NOERROR, empty answer).
    NoData,
    /// The name does not exist (RCODE 3).
    NxDomain,
    /// The server could not answer (RCODE 2): a temporary error.
    ServFail,
}

impl<T> Lookup<T> {
    /// No record, whether the name exists or not: a "void lookup" (RFC 7208 4.6.4).
    pub fn is_void(&self) -> bool {
        matches!(self, Lookup::NoData | Lookup::NxDomain)
    }
}

/// The DNS as a receiving MTA's checks ask it.
pub trait Resolver {
    /// TXT records, each one's strings joined (RFC 7208 3.3, RFC 6376 3.6.2.2).
    fn txt(&mut self, name: &str) -> Lookup<Vec<String>>;
    fn a(&mut self, name: &str) -> Lookup<Vec<Ipv4Addr>>;
    /// Exchange names, lowest preference first.
    fn mx(&mut self, name: &str) -> Lookup<Vec<String>>;
    /// Names for an address (`in-addr.arpa` PTR), for SPF's `ptr` and `%{p}`.
    fn ptr(&mut self, ip: Ipv4Addr) -> Lookup<Vec<String>>;
}

/// The tags of a DKIM signature or key, or of a DMARC record, in order (RFC 6376 3.2).
pub fn tag_list(text: &str) -> Result<Vec<(String, String)>, String> {
    tags::parse(text)
}

/// `a` is `b` or a name below it, compared without case (DNS names, RFC 4343).
pub fn within(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('.').to_ascii_lowercase(), b.trim_end_matches('.').to_ascii_lowercase());
    a == b || a.ends_with(&format!(".{b}"))
}

/// A zone written as a table, for the checks' own tests.
#[cfg(test)]
pub(crate) mod zone {
    use super::*;

    #[derive(Default)]
    pub struct Zone {
        pub txt: Vec<(&'static str, &'static str)>,
        pub a: Vec<(&'static str, Ipv4Addr)>,
        pub mx: Vec<(&'static str, &'static str)>,
        pub failing: Vec<&'static str>,
        /// Every question asked, as `TXT name`.
        pub asked: Vec<String>,
    }

    impl Zone {
        fn exists(&self, name: &str) -> bool {
            let all = self.txt.iter().map(|r| r.0).chain(self.a.iter().map(|r| r.0)).chain(self.mx.iter().map(|r| r.0));
            all.collect::<Vec<_>>().iter().any(|n| within(n, name))
        }

        fn answer<T>(&mut self, kind: &str, name: &str, found: Vec<T>) -> Lookup<Vec<T>> {
            self.asked.push(format!("{kind} {name}"));
            if self.failing.iter().any(|f| within(name, f)) {
                Lookup::ServFail
            } else if !found.is_empty() {
                Lookup::Found(found)
            } else if self.exists(name) {
                Lookup::NoData
            } else {
                Lookup::NxDomain
            }
        }
    }

    impl Resolver for Zone {
        fn txt(&mut self, name: &str) -> Lookup<Vec<String>> {
            let found = self.txt.iter().filter(|r| r.0.eq_ignore_ascii_case(name)).map(|r| r.1.to_owned()).collect();
            self.answer("TXT", name, found)
        }
        fn a(&mut self, name: &str) -> Lookup<Vec<Ipv4Addr>> {
            let found = self.a.iter().filter(|r| r.0.eq_ignore_ascii_case(name)).map(|r| r.1).collect();
            self.answer("A", name, found)
        }
        fn mx(&mut self, name: &str) -> Lookup<Vec<String>> {
            let found = self.mx.iter().filter(|r| r.0.eq_ignore_ascii_case(name)).map(|r| r.1.to_owned()).collect();
            self.answer("MX", name, found)
        }
        fn ptr(&mut self, ip: Ipv4Addr) -> Lookup<Vec<String>> {
            let found = self.a.iter().filter(|r| r.1 == ip).map(|r| r.0.to_owned()).collect();
            self.answer("PTR", &ip.to_string(), found)
        }
    }
}
