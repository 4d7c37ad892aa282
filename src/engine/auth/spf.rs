//! SPF (RFC 7208): may this address send mail for this domain? The receiving MTA asks the
//! domain's TXT record `v=spf1 ...`, and evaluates its mechanisms left to right against the
//! client's address, with the DNS lookups they need, at most 10 of them (4.6.4).

use std::net::Ipv4Addr;

use super::{Lookup, Resolver};

/// The seven results of `check_host()` (RFC 7208 2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpfResult {
    /// No SPF record: the domain says nothing.
    None,
    /// The domain says nothing about this address (`?`).
    Neutral,
    Pass,
    /// The address is not allowed (`-`).
    Fail,
    /// Probably not allowed (`~`): accept, but mark.
    SoftFail,
    /// A DNS error for now.
    TempError,
    /// The record is broken: it cannot be read or needs too many lookups.
    PermError,
}

impl SpfResult {
    pub fn name(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }

    fn of_qualifier(q: char) -> SpfResult {
        match q {
            '-' => SpfResult::Fail,
            '~' => SpfResult::SoftFail,
            '?' => SpfResult::Neutral,
            _ => SpfResult::Pass,
        }
    }
}

/// `check_host()`'s answer, with what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfOutcome {
    pub result: SpfResult,
    /// The term that matched (`ip4:192.0.2.0/24`, `-all`), or why there was none.
    pub reason: String,
    /// DNS lookups the mechanisms used, of the 10 allowed.
    pub lookups: u32,
}

/// RFC 7208 4.6.4: mechanisms and modifiers that query the DNS, at most this many per check.
pub const MAX_LOOKUPS: u32 = 10;
/// 4.6.4: lookups that find nothing, at most this many (SHOULD).
pub const MAX_VOID_LOOKUPS: u32 = 2;

/// Who asks and for whom: the inputs of `check_host()` (4.1) besides the domain.
#[derive(Debug, Clone)]
pub struct Identity<'a> {
    pub ip: Ipv4Addr,
    /// The MAIL FROM address, or `postmaster@<helo>` for the null sender (2.4).
    pub sender: &'a str,
    pub helo: &'a str,
}

/// `check_host(<ip>, <domain>, <sender>)` (RFC 7208 4).
pub fn check_host(id: &Identity<'_>, domain: &str, dns: &mut dyn Resolver) -> SpfOutcome {
    let mut ctx = Context { lookups: 0, void: 0 };
    let (result, reason) = match ctx.check(id, domain, dns, 0) {
        Ok(found) => found,
        Err((result, reason)) => (result, reason),
    };
    SpfOutcome { result, reason, lookups: ctx.lookups }
}

type Found = (SpfResult, String);

struct Context {
    lookups: u32,
    void: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Directive { qualifier: char, mechanism: Mechanism, text: String },
    Redirect(String),
    /// `exp=`, and modifiers this evaluator does not know, which are ignored (6).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mechanism {
    All,
    Include(String),
    A(Option<String>, u8),
    Mx(Option<String>, u8),
    Ptr(Option<String>),
    Ip4(Ipv4Addr, u8),
    /// IPv6 networks never match this world's IPv4 clients.
    Ip6,
    Exists(String),
}

impl Context {
    fn check(&mut self, id: &Identity<'_>, domain: &str, dns: &mut dyn Resolver, depth: u32) -> Result<Found, Found> {
        if !valid_domain(domain) {
            // 4.3: a malformed domain gives "none".
            return Ok((SpfResult::None, format!("{domain} is not a domain name")));
        }
        let records = match dns.txt(domain) {
            Lookup::Found(records) => records,
            Lookup::ServFail => return Err((SpfResult::TempError, format!("the DNS did not answer for {domain}"))),
            Lookup::NoData | Lookup::NxDomain => return Ok((SpfResult::None, format!("{domain} has no SPF record"))),
        };
        // 4.5: exactly one record starting "v=spf1".
        let spf: Vec<&String> = records.iter().filter(|r| is_spf(r)).collect();
        let record = match spf.as_slice() {
            [] => return Ok((SpfResult::None, format!("{domain} has no SPF record"))),
            [one] => *one,
            _ => return Err((SpfResult::PermError, format!("{domain} has more than one SPF record"))),
        };
        // 4.6: a syntax error anywhere makes the whole record a permanent error, before any
        // mechanism is evaluated.
        let terms = parse(record, id, domain).map_err(|e| (SpfResult::PermError, format!("{domain}: {e}")))?;
        let mut redirect = None;
        for term in &terms {
            match term {
                Term::Directive { qualifier, mechanism, text } => {
                    if self.matches(id, domain, mechanism, dns, depth)? {
                        return Ok((SpfResult::of_qualifier(*qualifier), format!("{text} in {domain}")));
                    }
                }
                Term::Redirect(target) => redirect = Some(target.clone()),
                Term::Other => {}
            }
        }
        // 6.1: redirect applies when no mechanism matched.
        if let Some(target) = redirect {
            self.count()?;
            let (result, reason) = self.nested(id, &target, dns, depth)?;
            return match result {
                SpfResult::None => Err((SpfResult::PermError, format!("redirect={target} has no SPF record"))),
                _ => Ok((result, reason)),
            };
        }
        Ok((SpfResult::Neutral, format!("nothing in {domain}'s record matched")))
    }

    fn nested(&mut self, id: &Identity<'_>, domain: &str, dns: &mut dyn Resolver, depth: u32) -> Result<Found, Found> {
        // The lookup limit bounds recursion already; this guards against a loop the limit
        // would also stop, a little earlier.
        if depth >= MAX_LOOKUPS {
            return Err((SpfResult::PermError, "too many DNS lookups".into()));
        }
        self.check(id, domain, dns, depth + 1)
    }

    /// One more mechanism or modifier that queries the DNS (4.6.4).
    fn count(&mut self) -> Result<(), Found> {
        self.lookups += 1;
        if self.lookups > MAX_LOOKUPS {
            return Err((SpfResult::PermError, format!("more than {MAX_LOOKUPS} DNS lookups")));
        }
        Ok(())
    }

    fn void_lookup(&mut self) -> Result<(), Found> {
        self.void += 1;
        if self.void > MAX_VOID_LOOKUPS {
            return Err((SpfResult::PermError, format!("more than {MAX_VOID_LOOKUPS} lookups found nothing")));
        }
        Ok(())
    }

    /// The addresses of `name`, for `a` and `mx`: a DNS failure is a temporary error (5).
    fn addresses(&mut self, name: &str, dns: &mut dyn Resolver) -> Result<Vec<Ipv4Addr>, Found> {
        match dns.a(name) {
            Lookup::Found(ips) => Ok(ips),
            Lookup::ServFail => Err((SpfResult::TempError, format!("the DNS did not answer for {name}"))),
            _ => {
                self.void_lookup()?;
                Ok(Vec::new())
            }
        }
    }

    fn matches(
        &mut self,
        id: &Identity<'_>,
        domain: &str,
        mechanism: &Mechanism,
        dns: &mut dyn Resolver,
        depth: u32,
    ) -> Result<bool, Found> {
        let target = |t: &Option<String>| t.clone().unwrap_or_else(|| domain.to_owned());
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4(net, len) => Ok(in_network(id.ip, *net, *len)),
            Mechanism::Ip6 => Ok(false),
            Mechanism::A(t, len) => {
                self.count()?;
                let ips = self.addresses(&target(t), dns)?;
                Ok(ips.iter().any(|ip| in_network(id.ip, *ip, *len)))
            }
            Mechanism::Mx(t, len) => {
                self.count()?;
                let name = target(t);
                let exchanges = match dns.mx(&name) {
                    Lookup::Found(mx) => mx,
                    Lookup::ServFail => return Err((SpfResult::TempError, format!("the DNS did not answer for {name}"))),
                    _ => {
                        self.void_lookup()?;
                        Vec::new()
                    }
                };
                // 4.6.4: more than 10 exchanges is a permanent error.
                if exchanges.len() > MAX_LOOKUPS as usize {
                    return Err((SpfResult::PermError, format!("{name} has more than {MAX_LOOKUPS} MX records")));
                }
                for exchange in exchanges {
                    if self.addresses(&exchange, dns)?.iter().any(|ip| in_network(id.ip, *ip, *len)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(t) => {
                self.count()?;
                let name = target(t);
                // 5.5: names of the address whose own A record gives the address back.
                let names = match dns.ptr(id.ip) {
                    Lookup::Found(names) => names,
                    _ => return Ok(false),
                };
                for candidate in names.iter().take(MAX_LOOKUPS as usize) {
                    if !super::within(candidate, &name) {
                        continue;
                    }
                    if let Lookup::Found(ips) = dns.a(candidate) {
                        if ips.contains(&id.ip) {
                            return Ok(true);
                        }
                    }
                }
                Ok(false)
            }
            Mechanism::Exists(name) => {
                self.count()?;
                Ok(!self.addresses(name, dns)?.is_empty())
            }
            Mechanism::Include(name) => {
                self.count()?;
                // 5.2: what the included record's result means here.
                match self.nested(id, name, dns, depth) {
                    Ok((SpfResult::Pass, _)) => Ok(true),
                    Ok((SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral, _)) => Ok(false),
                    Ok((SpfResult::None, _)) => Err((SpfResult::PermError, format!("include:{name} has no SPF record"))),
                    Ok(other) | Err(other) => Err(other),
                }
            }
        }
    }
}

fn is_spf(record: &str) -> bool {
    let lower = record.to_ascii_lowercase();
    lower == "v=spf1" || lower.starts_with("v=spf1 ")
}

fn in_network(ip: Ipv4Addr, net: Ipv4Addr, len: u8) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - u32::from(len.min(32))) };
    u32::from(ip) & mask == u32::from(net) & mask
}

/// 4.3, 7.3: at least two labels, none empty or longer than 63, the whole at most 253.
fn valid_domain(domain: &str) -> bool {
    let d = domain.trim_end_matches('.');
    d.len() <= 253
        && d.split('.').count() >= 2
        && d.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// The terms of a record (4.6.1, 12), macros expanded (7).
fn parse(record: &str, id: &Identity<'_>, domain: &str) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    let mut seen_redirect = false;
    let mut seen_exp = false;
    for word in record.split(' ').skip(1).filter(|w| !w.is_empty()) {
        // A modifier is name=value; a mechanism has no '=' before any ':' or '/'.
        let eq = word.find('=');
        let stop = word.find([':', '/']).unwrap_or(word.len());
        if let Some(eq) = eq.filter(|&e| e < stop) {
            let (name, value) = (&word[..eq], &word[eq + 1..]);
            let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            if !valid_name {
                return Err(format!("\"{word}\" is not a term"));
            }
            match name.to_ascii_lowercase().as_str() {
                "redirect" => {
                    if std::mem::replace(&mut seen_redirect, true) {
                        return Err("redirect= is given twice".into());
                    }
                    terms.push(Term::Redirect(expand(value, id, domain)?));
                }
                "exp" => {
                    if std::mem::replace(&mut seen_exp, true) {
                        return Err("exp= is given twice".into());
                    }
                    terms.push(Term::Other);
                }
                _ => {
                    expand(value, id, domain)?;
                    terms.push(Term::Other);
                }
            }
            continue;
        }
        let (qualifier, rest) = match word.chars().next() {
            Some(q @ ('+' | '-' | '~' | '?')) => (q, &word[1..]),
            _ => ('+', word),
        };
        let (name, arg) = match rest.find([':', '/']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let spec = |arg: &str| -> Result<String, String> {
            let value = arg.strip_prefix(':').ok_or_else(|| format!("\"{word}\" needs a domain"))?;
            expand(value, id, domain)
        };
        let mechanism = match name.to_ascii_lowercase().as_str() {
            "all" if arg.is_empty() => Mechanism::All,
            "include" => Mechanism::Include(spec(arg)?),
            "exists" => Mechanism::Exists(spec(arg)?),
            "a" | "mx" => {
                let (target, cidr) = match arg.find('/') {
                    Some(i) => (&arg[..i], &arg[i..]),
                    None => (arg, ""),
                };
                let target = if target.is_empty() { None } else { Some(spec(target)?) };
                let len = dual_cidr(cidr).ok_or_else(|| format!("\"{word}\" has a bad prefix length"))?;
                if name.eq_ignore_ascii_case("a") { Mechanism::A(target, len) } else { Mechanism::Mx(target, len) }
            }
            "ptr" => Mechanism::Ptr(if arg.is_empty() { None } else { Some(spec(arg)?) }),
            "ip4" => {
                let value = arg.strip_prefix(':').ok_or_else(|| format!("\"{word}\" needs an address"))?;
                let (net, len) = match value.split_once('/') {
                    Some((n, l)) => (n, prefix_length(l, 32)),
                    None => (value, Some(32)),
                };
                let net: Ipv4Addr = net.parse().map_err(|_| format!("\"{word}\" has a bad address"))?;
                Mechanism::Ip4(net, len.ok_or_else(|| format!("\"{word}\" has a bad prefix length"))?)
            }
            "ip6" => {
                let value = arg.strip_prefix(':').ok_or_else(|| format!("\"{word}\" needs an address"))?;
                let net = value.split_once('/').map_or(value, |(n, _)| n);
                net.parse::<std::net::Ipv6Addr>().map_err(|_| format!("\"{word}\" has a bad address"))?;
                Mechanism::Ip6
            }
            _ => return Err(format!("\"{word}\" is not a mechanism")),
        };
        terms.push(Term::Directive { qualifier, mechanism, text: word.to_owned() });
    }
    Ok(terms)
}

/// `/24` or `/24//64` or `//64`: the IPv4 prefix length (5.6); 32 when none.
fn dual_cidr(text: &str) -> Option<u8> {
    if text.is_empty() {
        return Some(32);
    }
    let (v4, v6) = match text.split_once("//") {
        Some((v4, v6)) => (v4, Some(v6)),
        None => (text, None),
    };
    if let Some(v6) = v6 {
        prefix_length(v6, 128)?;
    }
    match v4.strip_prefix('/') {
        Some(len) => prefix_length(len, 32),
        None if v4.is_empty() => Some(32),
        None => None,
    }
}

/// A prefix length up to `max`, in the ABNF's digits: no leading zero but "0" itself (12).
fn prefix_length(text: &str, max: u8) -> Option<u8> {
    let canonical = text == "0" || (!text.starts_with('0') && !text.is_empty() && text.len() <= 3);
    text.parse::<u8>().ok().filter(|l| canonical && *l <= max)
}

/// Macro expansion (RFC 7208 7.2, 7.3): `%{s}`, `%{l}`, `%{o}`, `%{d}`, `%{i}`, `%{p}`, `%{v}`,
/// `%{h}` with their transformers and delimiters, `%%`, `%_`, `%-`.
pub fn expand(text: &str, id: &Identity<'_>, domain: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            if !('!'..='~').contains(&c) {
                return Err(format!("\"{text}\" has a character a macro string may not"));
            }
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('_') => out.push(' '),
            Some('-') => out.push_str("%20"),
            Some('{') => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(format!("\"{text}\" has an unclosed macro")),
                    }
                }
                out.push_str(&macro_value(&inner, id, domain).ok_or_else(|| format!("\"%{{{inner}}}\" is not a macro"))?);
            }
            _ => return Err(format!("\"{text}\" has a lone %")),
        }
    }
    Ok(out)
}

fn macro_value(inner: &str, id: &Identity<'_>, domain: &str) -> Option<String> {
    let mut chars = inner.chars();
    let letter = chars.next()?;
    let rest: String = chars.collect();
    let (local, sender_domain) = id.sender.rsplit_once('@').unwrap_or(("postmaster", id.sender));
    let value = match letter.to_ascii_lowercase() {
        's' => id.sender.to_owned(),
        'l' => local.to_owned(),
        'o' => sender_domain.to_owned(),
        'd' => domain.to_owned(),
        'i' => id.ip.to_string(),
        // The validated name needs a PTR lookup; "unknown" is what 7.3 says when there is
        // none, and what an evaluator that skips the lookup writes.
        'p' => "unknown".to_owned(),
        'v' => "in-addr".to_owned(),
        'h' => id.helo.to_owned(),
        _ => return None,
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    let (reverse, delimiters) = match after.strip_prefix(['r', 'R']) {
        Some(d) => (true, d),
        None => (false, after),
    };
    if !delimiters.chars().all(|c| ".-+,/_=".contains(c)) {
        return None;
    }
    let delimiters = if delimiters.is_empty() { "." } else { delimiters };
    let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
    if reverse {
        parts.reverse();
    }
    if !digits.is_empty() {
        let keep: usize = digits.parse().ok().filter(|n| *n > 0)?;
        let skip = parts.len().saturating_sub(keep);
        parts.drain(..skip);
    }
    let joined = parts.join(".");
    Some(if letter.is_ascii_uppercase() { url_escape(&joined) } else { joined })
}

/// 7.3: an upper-case macro letter asks for the value URL-escaped (RFC 3986 unreserved kept).
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
