//! Who really sent a letter, in words: a submission server signing (DKIM), and a receiving MX
//! asking the DNS for SPF records, DKIM keys and DMARC policies, then saying what it found.

use super::{list, Said};

/// Which check a DNS question serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Spf,
    Dkim,
    Dmarc,
}

/// The kind of record asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Txt,
    Mx,
    A,
    Ptr,
}

/// What the DNS answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Records(Vec<String>),
    /// NOERROR with no answer, or NXDOMAIN: for a check, both mean "nothing here".
    Nothing,
    ServFail,
}

/// One verdict of the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub check: Check,
    pub result: String,
    pub domain: String,
    pub reason: String,
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSay {
    Signed { host: String, domain: String, selector: String },
    Ask { host: String, name: String, asked: Asked, check: Check },
    Answered { host: String, name: String, asked: Asked, check: Check, answer: Answer },
    Checked { host: String, verdicts: Vec<Verdict>, disposition: String, forged: u32 },
}

impl Check {
    pub fn label(self) -> &'static str {
        match self {
            Check::Spf => "SPF",
            Check::Dkim => "DKIM",
            Check::Dmarc => "DMARC",
        }
    }
}

/// `passes`, `fails`... for "SPF passes for northwind.test".
fn verb(result: &str) -> String {
    match result {
        "pass" => "passes".into(),
        "fail" => "fails".into(),
        "softfail" => "soft-fails".into(),
        "neutral" => "is neutral".into(),
        "none" => "finds nothing to check".into(),
        "temperror" => "meets a temporary DNS error".into(),
        "permerror" => "meets a broken record".into(),
        other => format!("says {other}"),
    }
}

fn verdict_words(v: &Verdict) -> String {
    let on = if v.domain.is_empty() { String::new() } else { format!(" for {}", v.domain) };
    let policy = v.policy.as_deref().map(|p| format!(", policy p={p}")).unwrap_or_default();
    format!("{} {}{on} ({}{policy})", v.check.label(), verb(&v.result), v.reason)
}

impl AuthSay {
    pub fn say(&self) -> Said {
        match self {
            AuthSay::Signed { host, domain, selector } => Said::new(
                format!("{host} signs the letter for {domain} with DKIM: it hashes the body (bh=) and the fields a reader relies on (h=), signs that with {domain}'s private key (b=), and puts a DKIM-Signature field on top. Anyone can check it with the public key {domain} publishes in DNS at {selector}._domainkey.{domain}."),
                "RFC 6376 5",
                "Only the holder of the private key can make a signature that the published key verifies; a change to the signed fields or the body breaks it.",
            ),
            AuthSay::Ask { host, name, asked, check } => ask(host, name, *asked, *check),
            AuthSay::Answered { host, name, asked, check, answer } => answered(host, name, *asked, *check, answer),
            AuthSay::Checked { host, verdicts, disposition, forged } => {
                let mut text = String::new();
                if *forged > 0 {
                    text.push_str(&format!("The letter came with an Authentication-Results field in {host}'s own name, a forged verdict: {host} removes it first. "));
                }
                let found: Vec<String> = verdicts.iter().map(verdict_words).collect();
                text.push_str(&format!("{host} has checked who really sent the letter: {}. ", list(&found)));
                let from = verdicts.iter().find(|v| v.check == Check::Dmarc).map(|v| v.domain.clone()).unwrap_or_default();
                let (end, rfc, why) = match disposition.as_str() {
                    "reject" => (
                        format!("Neither SPF nor DKIM vouches for {from}, the domain in From:, and {from} asks receivers to reject such letters: the MX refuses it."),
                        "RFC 9989 4.7",
                        "p=reject: the domain owner asks that mail failing DMARC be refused during the SMTP session.",
                    ),
                    "quarantine" => (
                        format!("Neither SPF nor DKIM vouches for {from}, and {from} asks for quarantine: the MX accepts the letter, and the verdict in its Authentication-Results sends it to the Junk folder."),
                        "RFC 9989 4.7",
                        "p=quarantine: mail failing DMARC is delivered, but treated as suspicious.",
                    ),
                    _ => (
                        format!("It writes the verdicts into an Authentication-Results field on top of the letter, for the mailbox host and the reader's mail program, and accepts it."),
                        "RFC 8601 2",
                        "Authentication-Results carries the receiving side's verdicts, under its own name (the authserv-id).",
                    ),
                };
                text.push_str(&end);
                Said::new(text, rfc, why)
            }
        }
    }
}

fn ask(host: &str, name: &str, asked: Asked, check: Check) -> Said {
    match (check, asked) {
        (Check::Spf, Asked::Txt) => Said::new(
            format!("{host} checks SPF: it asks DNS for the TXT records of {name}, looking for the one that starts v=spf1 and says which servers may send mail for {name}."),
            "RFC 7208 4.4",
            "SPF is asked for the domain of the envelope sender (MAIL FROM), not the From: a reader sees.",
        ),
        (Check::Spf, Asked::Mx) => Said::new(
            format!("The SPF record lets the domain's mail exchangers send, so {host} asks DNS for the MX records of {name}."),
            "RFC 7208 5.4",
            "The mx mechanism matches the addresses of the domain's MX hosts.",
        ),
        (Check::Spf, Asked::A) => Said::new(
            format!("{host} asks DNS for the address of {name}, to compare it with the address of the client on the line."),
            "RFC 7208 5.3",
            "SPF compares addresses: the one the connection comes from with the ones the record allows.",
        ),
        (Check::Spf, Asked::Ptr) => Said::new(
            format!("{host} asks DNS for the name of the client's address ({name})."),
            "RFC 7208 5.5",
            "The ptr mechanism is slow and discouraged, but still found in old records.",
        ),
        (Check::Dkim, _) => Said::new(
            format!("{host} checks the DKIM signature: it asks DNS for the public key at {name}, the TXT record the signing domain (d=) publishes for its selector (s=)."),
            "RFC 6376 3.6.2.2",
            "The key is found at <selector>._domainkey.<domain>; the selector lets a domain have several keys.",
        ),
        (Check::Dmarc, Asked::Txt) => Said::new(
            format!("{host} checks DMARC: it asks DNS for {name}, where the domain a reader sees in From: publishes its policy."),
            "RFC 9989 4.10.1",
            "DMARC ties SPF and DKIM to the From: domain: one of them must pass for that domain, or a domain of the same organisation.",
        ),
        (Check::Dmarc, _) => Said::new(
            format!("{host} asks DNS whether {name} exists at all: DMARC has a policy (np=) for names that do not."),
            "RFC 9989 4.7",
            "A letter from a name that does not exist is a sign of forgery.",
        ),
    }
}

fn answered(host: &str, name: &str, asked: Asked, check: Check, answer: &Answer) -> Said {
    match answer {
        Answer::Records(records) if asked == Asked::Txt => {
            let texts: Vec<String> = records.iter().map(|r| r.trim_start_matches("TXT ").to_owned()).collect();
            // A key is hundreds of characters of base64: shown cut, whole in the stream.
            let shown: Vec<String> = match check {
                Check::Dkim => texts
                    .iter()
                    .map(|t| {
                        let tags: Vec<String> = t.trim_matches('"').split(';').map(|tag| match tag.split_once('=') {
                            Some((n, v)) => format!("{n}={}", shorten(v)),
                            None => tag.to_owned(),
                        }).collect();
                        format!("\"{}\"", tags.join(";"))
                    })
                    .collect(),
                _ => texts.clone(),
            };
            let why = match check {
                Check::Spf => "The mechanisms are tried from left to right: the first that matches the client's address decides, and the qualifier before it (- fail, ~ softfail, ? neutral, + pass) is the result.",
                Check::Dkim => "p= is the public key in base64; k= its type. An empty p= means the key was revoked.",
                Check::Dmarc => "p= says what to do with letters that fail: none (only report), quarantine (spam folder) or reject.",
            };
            let rfc = match check {
                Check::Spf => "RFC 7208 4.6.2",
                Check::Dkim => "RFC 6376 3.6.1",
                Check::Dmarc => "RFC 9989 4.7",
            };
            // Each term or tag of the record in a few words, for the record the check reads.
            let parts: Vec<String> = texts.iter().flat_map(|t| record_parts(check, t.trim_matches('"'))).collect();
            let parts = if parts.is_empty() { String::new() } else { format!(" Piece by piece: {}.", parts.join("; ")) };
            Said::new(format!("DNS tells {host}: {name} holds {}.{parts}", list(&shown)), rfc, why)
        }
        Answer::Records(records) => Said::new(
            format!("DNS tells {host}: {name} is {}.", list(records)),
            "RFC 1035 3.3",
            "The checks look addresses up as any other DNS client does.",
        ),
        Answer::Nothing => {
            let meaning = match (check, asked) {
                (Check::Spf, Asked::Txt) => format!("{name} publishes no SPF record"),
                (Check::Dkim, _) => "there is no key, so the signature cannot be checked".to_owned(),
                (Check::Dmarc, Asked::Txt) => format!("no DMARC policy at {name}"),
                _ => format!("no such record for {name}"),
            };
            Said::new(
                format!("DNS tells {host}: nothing there. {}.", super::capitalised(meaning)),
                "RFC 2308 2",
                "An empty answer or a name that does not exist: either way the check finds no record.",
            )
        }
        Answer::ServFail => Said::new(
            format!("DNS could not answer {host} about {name} (SERVFAIL): this check gives a temporary error."),
            "RFC 7208 2.6.6",
            "A temporary DNS failure makes the result temperror; the sender may try again later.",
        ),
    }
}

/// What a tag of a `DKIM-Signature:` field means, for the letter inspector (RFC 6376 3.5).
pub fn dkim_tag(name: &str) -> &'static str {
    match name {
        "v" => "the version of DKIM: 1",
        "a" => "the algorithm: an RSA signature over a SHA-256 hash",
        "c" => "how the header and the body were normalised before hashing (relaxed forgives changes of white space)",
        "d" => "the signing domain: the domain that vouches for the letter",
        "s" => "the selector: the key is in DNS at <selector>._domainkey.<domain>",
        "t" => "when it was signed, in seconds since 1970",
        "x" => "when the signature expires",
        "h" => "the header fields signed, in order: a change to any of them breaks the signature",
        "bh" => "the body hash: SHA-256 of the normalised body, in base64",
        "b" => "the signature itself, over the signed fields and this field, in base64",
        "i" => "the identity the signer vouches for, within the signing domain",
        "l" => "how many bytes of the body the body hash covers",
        "q" => "how to fetch the key: dns/txt",
        _ => "a tag this inspector does not explain",
    }
}

/// The terms of an SPF record (RFC 7208 4.6.1) or the tags of a DMARC record (RFC 9989 4.7) or a
/// DKIM key (RFC 6376 3.6.1), each as `term: what it says`.
pub fn record_parts(check: Check, record: &str) -> Vec<String> {
    match check {
        Check::Spf => record.split_whitespace().skip(1).map(spf_term).collect(),
        Check::Dmarc | Check::Dkim => record
            .split(';')
            .filter_map(|t| t.split_once('='))
            .map(|(n, v)| (n.trim(), v.trim()))
            .filter(|(n, _)| !(check == Check::Dkim && *n == "v"))
            .filter_map(|(n, v)| {
                let v_shown = if check == Check::Dkim { shorten(v) } else { v.to_owned() };
                tag_words(check, n, v).map(|w| format!("{n}={v_shown}: {w}"))
            })
            .collect(),
    }
}

/// A long value (a key) cut for reading.
fn shorten(value: &str) -> String {
    if value.chars().count() > 24 { format!("{}...", value.chars().take(12).collect::<String>()) } else { value.to_owned() }
}

fn spf_term(term: &str) -> String {
    let (result, mechanism) = match term.chars().next() {
        Some('-') => ("fails", &term[1..]),
        Some('~') => ("soft-fails", &term[1..]),
        Some('?') => ("is neutral", &term[1..]),
        Some('+') => ("passes", &term[1..]),
        _ => ("passes", term),
    };
    let (name, arg) = match mechanism.split_once([':', '=']) {
        Some((n, a)) => (n.to_ascii_lowercase(), Some(a)),
        None => (mechanism.split('/').next().unwrap_or("").to_ascii_lowercase(), None),
    };
    let of = |what: &str| arg.map_or(what.to_owned(), |a| format!("{what} of {a}"));
    let meaning = match name.as_str() {
        "all" => format!("every other address {result}"),
        "mx" => format!("{} {result}", of("an address of the MX hosts")),
        "a" => format!("{} {result}", of("the address")),
        "ip4" | "ip6" => format!("an address in {} {result}", arg.unwrap_or("")),
        "include" => format!("what {}'s own SPF record allows {result}", arg.unwrap_or("")),
        "exists" => format!("any address {result} if {} exists", arg.unwrap_or("")),
        "ptr" => format!("a host whose name is in the domain {result} (slow, and not to be used)"),
        "redirect" => format!("if nothing matched, {}'s record decides", arg.unwrap_or("")),
        "exp" => "where an explanation of a failure is found".to_owned(),
        _ => "a term this narrator does not explain".to_owned(),
    };
    format!("{term}: {meaning}")
}

fn tag_words(check: Check, name: &str, value: &str) -> Option<String> {
    let policy = |p: &str| match p {
        "reject" => "refuse letters that fail".to_owned(),
        "quarantine" => "put letters that fail in the spam folder".to_owned(),
        "none" => "only report letters that fail".to_owned(),
        other => format!("{other}, which is not a policy"),
    };
    Some(match (check, name) {
        (Check::Dmarc, "v") => "this is a DMARC record".to_owned(),
        (Check::Dmarc, "p") => policy(value),
        (Check::Dmarc, "sp") => format!("for subdomains: {}", policy(value)),
        (Check::Dmarc, "np") => format!("for subdomains that do not exist: {}", policy(value)),
        (Check::Dmarc, "rua") => "where to send daily reports of what receivers saw".to_owned(),
        (Check::Dmarc, "ruf") => "where to send a report of each failure".to_owned(),
        (Check::Dmarc, "adkim") | (Check::Dmarc, "aspf") => {
            let which = if name == "adkim" { "DKIM" } else { "SPF" };
            if value == "s" { format!("{which}'s domain must be the From domain itself") } else { format!("{which}'s domain may be any of the From domain's organisation") }
        }
        (Check::Dmarc, "t") => "testing: apply one step less than the policy".to_owned(),
        (Check::Dmarc, "fo") => "when to send failure reports".to_owned(),
        (Check::Dmarc, "psd") => "whether this is a public suffix's record".to_owned(),
        (Check::Dkim, "k") => "the type of key".to_owned(),
        (Check::Dkim, "p") if value.is_empty() => "no key: it was revoked".to_owned(),
        (Check::Dkim, "p") => "the public key, in base64".to_owned(),
        (Check::Dkim, "h") => "the hash algorithms the key may be used with".to_owned(),
        (Check::Dkim, "t") => "flags (y: the domain is testing DKIM)".to_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(check: Check, record: &str) -> String {
        let answer = Answer::Records(vec![format!("TXT \"{record}\"")]);
        AuthSay::Answered { host: "mx".into(), name: "x.test".into(), asked: Asked::Txt, check, answer }.say().text
    }

    /// Each term of the record the MX read is worded, and other records give other words.
    #[test]
    fn records_are_read_out_piece_by_piece() {
        assert!(said(Check::Spf, "v=spf1 mx -all").ends_with("Piece by piece: mx: an address of the MX hosts passes; -all: every other address fails."));
        let other = said(Check::Spf, "v=spf1 ip4:192.0.2.0/24 include:relay.test ~all");
        assert!(other.contains("ip4:192.0.2.0/24: an address in 192.0.2.0/24 passes"), "{other}");
        assert!(other.contains("include:relay.test: what relay.test's own SPF record allows passes"), "{other}");
        assert!(other.contains("~all: every other address soft-fails"), "{other}");
        let dmarc = said(Check::Dmarc, "v=DMARC1; p=quarantine; t=y");
        assert!(dmarc.contains("p=quarantine: put letters that fail in the spam folder; t=y: testing"), "{dmarc}");
        let key = said(Check::Dkim, "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyQWm30yIUPlyUnod");
        assert!(key.contains("holds \"v=DKIM1; k=rsa; p=MIIBIjANBgkq...\"") && key.contains("the public key, in base64"), "{key}");
        assert!(said(Check::Dkim, "v=DKIM1; p=").contains("p=: no key: it was revoked"));
    }
}
