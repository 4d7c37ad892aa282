//! DMARC (RFC 9989): the domain in `From:`, the one the reader sees, publishes at
//! `_dmarc.<domain>` what a receiver should do with mail that neither SPF nor DKIM ties to it.
//! A letter passes when SPF passed for an envelope domain aligned with the From domain, or a
//! DKIM signature of an aligned domain verified (5.3.5).

use super::dkim::{DkimResult, Verdict};
use super::spf::SpfResult;
use super::{tags, Lookup, Resolver};

/// What the domain owner asks for mail that fails (`p=`, 4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    None,
    /// Treat as suspicious: deliver into the spam folder.
    Quarantine,
    Reject,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    fn parse(text: &str) -> Option<Policy> {
        match text.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// One step less strict, for `t=y` (testing, 4.7).
    fn softened(self) -> Policy {
        match self {
            Policy::Reject => Policy::Quarantine,
            _ => Policy::None,
        }
    }
}

/// A DMARC policy record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub p: Policy,
    /// For subdomains of the domain that published it; `p` when absent.
    pub sp: Option<Policy>,
    /// For subdomains that do not exist; `sp` when absent.
    pub np: Option<Policy>,
    /// `adkim=s` and `aspf=s`: the domains must be equal, not only of one organisation.
    pub strict_dkim: bool,
    pub strict_spf: bool,
    /// `t=y`: the owner is testing, and a receiver applies one step less.
    pub testing: bool,
}

/// Reads a record; `None` when the text is not a DMARC record at all (4.7: it must start
/// `v=DMARC1`), or is one to which no DMARC processing applies (4.10.1: a `p=`, `sp=` or `np=`
/// that is not valid, without a `rua=` to report to). Unknown tags are ignored; a `p=` left out
/// counts as `none` (4.7), and so does an invalid one when there is a `rua=`.
pub fn record(text: &str) -> Option<Record> {
    let tags = tags::parse(text).ok()?;
    if tags.first().map(|(n, v)| (n.as_str(), v.as_str())) != Some(("v", "DMARC1")) {
        return None;
    }
    let tag = |name: &str| tags::get(&tags, name);
    let invalid = |name: &str| tag(name).is_some_and(|v| Policy::parse(v).is_none());
    if (invalid("p") || invalid("sp") || invalid("np")) && !tag("rua").is_some_and(|r| r.contains("mailto:")) {
        return None;
    }
    let p = tag("p").and_then(Policy::parse).unwrap_or(Policy::None);
    Some(Record {
        p,
        sp: tag("sp").and_then(Policy::parse),
        np: tag("np").and_then(Policy::parse),
        strict_dkim: tag("adkim").is_some_and(|v| v.eq_ignore_ascii_case("s")),
        strict_spf: tag("aspf").is_some_and(|v| v.eq_ignore_ascii_case("s")),
        testing: tag("t").is_some_and(|v| v.eq_ignore_ascii_case("y")),
    })
}

/// RFC 8601 2.7.2's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmarcResult {
    /// The From domain publishes no policy.
    None,
    Pass,
    Fail,
    TempError,
    /// The From field names no single domain.
    PermError,
}

impl DmarcResult {
    pub fn name(self) -> &'static str {
        match self {
            DmarcResult::None => "none",
            DmarcResult::Pass => "pass",
            DmarcResult::Fail => "fail",
            DmarcResult::TempError => "temperror",
            DmarcResult::PermError => "permerror",
        }
    }
}

/// The evaluation: the result, the policy found and what the receiver does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub result: DmarcResult,
    pub from_domain: String,
    /// The policy that applies to this From domain, when a record was found.
    pub policy: Option<Policy>,
    /// What is done with the letter: `none` when it passed or there is no policy.
    pub disposition: Policy,
    /// What aligned (`spf`, `dkim`), or why nothing did.
    pub reason: String,
}

/// What SPF said about the envelope sender's domain.
pub struct SpfInput<'a> {
    pub result: SpfResult,
    pub domain: &'a str,
}

/// Evaluate a message whose `From:` domain is `from_domain` (5.3.5: pass when SPF or DKIM
/// passed for an aligned domain; 4.10 for the policy).
pub fn evaluate(from_domain: &str, spf: &SpfInput<'_>, dkim: &[Verdict], dns: &mut dyn Resolver) -> Evaluation {
    let from_domain = from_domain.trim_end_matches('.').to_ascii_lowercase();
    let mut evaluation = Evaluation {
        result: DmarcResult::None,
        from_domain: from_domain.clone(),
        policy: None,
        disposition: Policy::None,
        reason: String::new(),
    };
    if from_domain.is_empty() {
        evaluation.result = DmarcResult::PermError;
        evaluation.reason = "the From field names no domain".into();
        return evaluation;
    }
    let (found_at, record) = match discover(&from_domain, dns) {
        Ok(Some(found)) => found,
        Ok(None) => {
            evaluation.reason = format!("{from_domain} publishes no DMARC policy");
            return evaluation;
        }
        Err(()) => {
            evaluation.result = DmarcResult::TempError;
            evaluation.reason = "the DNS did not answer".into();
            return evaluation;
        }
    };
    let policy = if found_at == from_domain {
        record.p
    } else {
        let exists = !matches!(dns.a(&from_domain), Lookup::NxDomain);
        match (exists, record.np, record.sp) {
            (false, Some(np), _) => np,
            (_, _, Some(sp)) => sp,
            _ => record.p,
        }
    };
    evaluation.policy = Some(policy);
    let spf_aligned = spf.result == SpfResult::Pass && aligned(spf.domain, &from_domain, record.strict_spf);
    let dkim_aligned = dkim.iter().any(|v| v.result == DkimResult::Pass && aligned(&v.domain, &from_domain, record.strict_dkim));
    evaluation.reason = match (spf_aligned, dkim_aligned) {
        (true, true) => "spf and dkim aligned".into(),
        (true, false) => "spf aligned".into(),
        (false, true) => "dkim aligned".into(),
        (false, false) => "neither spf nor dkim aligned".into(),
    };
    if spf_aligned || dkim_aligned {
        evaluation.result = DmarcResult::Pass;
    } else {
        evaluation.result = DmarcResult::Fail;
        evaluation.disposition = if record.testing { policy.softened() } else { policy };
    }
    evaluation
}

/// 4.10.1: the record at `_dmarc.<domain>`, or else at the nearest name above it that has one
/// (the DNS tree walk, which RFC 9989 uses instead of a list of public suffixes), with the name
/// it was found at. `Err` when the DNS failed.
fn discover(domain: &str, dns: &mut dyn Resolver) -> Result<Option<(String, Record)>, ()> {
    let labels: Vec<&str> = domain.split('.').collect();
    // 4.10.1: at most 8 queries; below that, labels are skipped from the left.
    for start in 0..labels.len() {
        let name = labels[start..].join(".");
        match dns.txt(&format!("_dmarc.{name}")) {
            Lookup::Found(records) => {
                let found: Vec<Record> = records.iter().filter_map(|r| record(r)).collect();
                // 4.10.1: one record, or none at all.
                if let [only] = found.as_slice() {
                    return Ok(Some((name, only.clone())));
                }
            }
            Lookup::ServFail => return Err(()),
            Lookup::NoData | Lookup::NxDomain => {}
        }
        if start + 1 >= 8 {
            break;
        }
    }
    Ok(None)
}

/// 3.2.10: strict alignment wants the same name; relaxed, the same Organizational Domain (4.10.2). In
/// this world every name sits under a one-label public suffix (`.test`), so the
/// organisation is the last two labels.
fn aligned(identifier: &str, from_domain: &str, strict: bool) -> bool {
    let a = identifier.trim_end_matches('.').to_ascii_lowercase();
    if a == from_domain {
        return true;
    }
    !strict && !a.is_empty() && organizational(&a) == organizational(from_domain)
}

fn organizational(domain: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::auth::zone::Zone;

    fn pass(domain: &str) -> Verdict {
        Verdict { result: DkimResult::Pass, domain: domain.into(), selector: "mail".into(), b_prefix: String::new(), reason: None }
    }

    fn zone(record: &'static str) -> Zone {
        Zone { txt: vec![("_dmarc.northwind.test", record)], ..Zone::default() }
    }

    #[test]
    fn a_letter_passes_through_either_aligned_check() {
        let spf_ok = SpfInput { result: SpfResult::Pass, domain: "northwind.test" };
        let spf_bad = SpfInput { result: SpfResult::Fail, domain: "northwind.test" };
        let mut z = zone("v=DMARC1; p=reject");
        assert_eq!(evaluate("northwind.test", &spf_ok, &[], &mut z).reason, "spf aligned");
        let through_dkim = evaluate("northwind.test", &spf_bad, &[pass("northwind.test")], &mut z);
        assert_eq!((through_dkim.result, through_dkim.reason.as_str()), (DmarcResult::Pass, "dkim aligned"));
        // A valid signature of another domain does not speak for northwind.test.
        let other = evaluate("northwind.test", &spf_bad, &[pass("badlands.test")], &mut z);
        assert_eq!((other.result, other.disposition), (DmarcResult::Fail, Policy::Reject));
        // SPF passing for the stranger's own envelope domain does not either.
        let envelope = SpfInput { result: SpfResult::Pass, domain: "badlands.test" };
        assert_eq!(evaluate("northwind.test", &envelope, &[], &mut z).result, DmarcResult::Fail);
    }

    #[test]
    fn relaxed_alignment_takes_a_subdomain_and_strict_does_not() {
        let spf = SpfInput { result: SpfResult::Pass, domain: "bounces.northwind.test" };
        let mut relaxed = zone("v=DMARC1; p=quarantine");
        assert_eq!(evaluate("northwind.test", &spf, &[], &mut relaxed).result, DmarcResult::Pass);
        let mut strict = zone("v=DMARC1; p=quarantine; aspf=s");
        let e = evaluate("northwind.test", &spf, &[], &mut strict);
        assert_eq!((e.result, e.disposition), (DmarcResult::Fail, Policy::Quarantine));
    }

    #[test]
    fn the_tree_walk_finds_the_parent_and_sp_applies() {
        let spf = SpfInput { result: SpfResult::Fail, domain: "x.test" };
        let mut z = zone("v=DMARC1; p=reject; sp=quarantine");
        z.a.push(("news.northwind.test", std::net::Ipv4Addr::new(192, 0, 2, 9)));
        let e = evaluate("news.northwind.test", &spf, &[], &mut z);
        assert_eq!((e.policy, e.disposition), (Some(Policy::Quarantine), Policy::Quarantine));
        assert_eq!(z.asked[..2], ["TXT _dmarc.news.northwind.test", "TXT _dmarc.northwind.test"]);
    }

    #[test]
    fn records_read_as_the_rfc_says() {
        assert_eq!(record("v=DMARC1; p=reject; t=y").map(|r| (r.p, r.testing)), Some((Policy::Reject, true)));
        assert_eq!(record("v=DMARC1; p=bogus; rua=mailto:a@b.test").map(|r| r.p), Some(Policy::None));
        assert_eq!(record("v=DMARC1; p=bogus"), None, "no DMARC processing (4.10.1)");
        assert_eq!(record("v=DMARC1; rua=mailto:a@b.test").map(|r| r.p), Some(Policy::None));
        assert_eq!(record("v=spf1 -all"), None);
        assert_eq!(record("p=reject; v=DMARC1"), None);
        let spf = SpfInput { result: SpfResult::Fail, domain: "x.test" };
        let mut testing = zone("v=DMARC1; p=reject; t=y");
        assert_eq!(evaluate("northwind.test", &spf, &[], &mut testing).disposition, Policy::Quarantine);
        let mut none = Zone::default();
        assert_eq!(evaluate("northwind.test", &spf, &[], &mut none).result, DmarcResult::None);
        let mut failing = Zone { failing: vec!["_dmarc.northwind.test"], ..Zone::default() };
        assert_eq!(evaluate("northwind.test", &spf, &[], &mut failing).result, DmarcResult::TempError);
    }
}
