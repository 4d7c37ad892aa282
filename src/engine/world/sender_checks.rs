//! The checks an MX makes of a letter from another network, between the final dot and its
//! reply, as a milter (OpenDKIM and OpenDMARC behind Postfix) makes them: SPF for the
//! envelope sender, DKIM for the signatures, DMARC for the `From:` domain. The verdicts go
//! into an `Authentication-Results:` field on top of the letter, and into the trace.

use std::net::Ipv4Addr;

use crate::engine::auth::dmarc::{self, Policy, SpfInput};
use crate::engine::auth::spf::{self, Identity};
use crate::engine::auth::{dkim, results};
use crate::engine::mail::header::find_field;
use crate::engine::scenario::SenderCheck;
use crate::engine::smtp::{EnhancedStatus, Envelope, Reply, SessionInfo};
use crate::engine::time::VirtualTime;
use crate::engine::trace::{details, CheckMethod, Event, EventKind};
use crate::engine::world::dns::Dns;
use crate::engine::world::resolver::TracedResolver;

/// The host that checks, and what it checks.
pub struct Checker<'a> {
    pub host: &'a str,
    pub checks: &'a [SenderCheck],
    pub dns: &'a Dns,
    pub now: VirtualTime,
}

/// The letter with the checks' `Authentication-Results:` on top, or the reply that refuses it.
pub fn check(
    checker: &Checker<'_>,
    info: &SessionInfo,
    envelope: &Envelope,
    message: &[u8],
    message_id: &str,
    events: &mut Vec<Event>,
) -> Result<Vec<u8>, Reply> {
    let (message, removed_forged) = results::remove_forged(message, checker.host);
    let mut dns = TracedResolver { dns: checker.dns, host: checker.host, now: checker.now, events, purpose: None };
    let on = |c: SenderCheck| checker.checks.contains(&c);
    let helo = info.helo_name.clone().unwrap_or_default();
    // RFC 7208 2.4: for the null sender, the identity is postmaster at the HELO name.
    let sender = match envelope.reverse_path.mailbox() {
        Some(m) => m.to_string(),
        None => format!("postmaster@{helo}"),
    };
    let sender_domain = sender.rsplit_once('@').map_or("", |(_, d)| d).to_owned();
    dns.purpose = Some(CheckMethod::Spf);
    let spf = on(SenderCheck::Spf).then(|| {
        let ip: Ipv4Addr = info.peer.address.parse().unwrap_or(Ipv4Addr::UNSPECIFIED);
        spf::check_host(&Identity { ip, sender: &sender, helo: &helo }, &sender_domain, &mut dns)
    });
    dns.purpose = Some(CheckMethod::Dkim);
    let signatures = on(SenderCheck::Dkim).then(|| dkim::verify(&message, checker.now.unix_seconds(), &mut dns));
    let from_domain = find_field(&message, "From").map(|f| author_domain(&f)).unwrap_or_default();
    dns.purpose = Some(CheckMethod::Dmarc);
    let dmarc = on(SenderCheck::Dmarc).then(|| {
        let spf_input = SpfInput { result: spf.as_ref().map_or(spf::SpfResult::None, |s| s.result), domain: &sender_domain };
        dmarc::evaluate(&from_domain, &spf_input, signatures.as_deref().unwrap_or(&[]), &mut dns)
    });
    let mut checks = Vec::new();
    if let Some(spf) = &spf {
        checks.push(details::AuthCheck {
            method: CheckMethod::Spf,
            result: spf.result.name().into(),
            domain: sender_domain.clone(),
            reason: spf.reason.clone(),
            policy: None,
        });
    }
    match signatures.as_deref() {
        Some([]) => checks.push(details::AuthCheck {
            method: CheckMethod::Dkim,
            result: "none".into(),
            domain: String::new(),
            reason: "no signature".into(),
            policy: None,
        }),
        Some(verdicts) => checks.extend(verdicts.iter().map(|v| details::AuthCheck {
            method: CheckMethod::Dkim,
            result: v.result.name().into(),
            domain: v.domain.clone(),
            reason: v.reason.clone().unwrap_or_else(|| format!("signed by {} with selector {}", v.domain, v.selector)),
            policy: None,
        })),
        None => {}
    }
    if let Some(d) = &dmarc {
        checks.push(details::AuthCheck {
            method: CheckMethod::Dmarc,
            result: d.result.name().into(),
            domain: d.from_domain.clone(),
            reason: d.reason.clone(),
            policy: d.policy.map(|p| p.name().to_owned()),
        });
    }
    let disposition = dmarc.as_ref().map_or(Policy::None, |d| d.disposition);
    dns.events.push(Event {
        at: checker.now,
        kind: EventKind::Authenticated(Box::new(details::Authenticated {
            host: checker.host.to_owned(),
            message_id: message_id.to_owned(),
            checks,
            disposition: disposition.name().into(),
            removed_forged: removed_forged as u32,
        })),
    });
    if disposition == Policy::Reject {
        // OpenDMARC's reply (its RejectMessage), with RFC 3463's "delivery not authorized".
        return Err(Reply::new(550, EnhancedStatus::new(5, 7, 1), format!("rejected by DMARC policy for {from_domain}")));
    }
    let field = results::field(
        checker.host,
        spf.as_ref().map(|s| (s, sender.as_str())),
        signatures.as_deref(),
        dmarc.as_ref(),
    );
    Ok([field.into_bytes(), message].concat())
}

/// The domain of the (first) address in a `From:` value: `Alice <alice@northwind.test>` →
/// `northwind.test` (RFC 9989 4.4: the Author Domain).
pub fn author_domain(from: &str) -> String {
    let address = match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from.split(',').next().unwrap_or(from),
    };
    address.rsplit_once('@').map_or("", |(_, d)| d).trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::author_domain;

    #[test]
    fn the_author_domain_is_the_addresss_domain() {
        assert_eq!(author_domain("Alice <alice@Northwind.test>"), "northwind.test");
        assert_eq!(author_domain("alice@northwind.test"), "northwind.test");
        assert_eq!(author_domain("\"a@b\" <c@d.test>"), "d.test");
        assert_eq!(author_domain("undisclosed"), "");
    }
}
