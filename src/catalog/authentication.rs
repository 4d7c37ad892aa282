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
            Said::new(format!("DNS tells {host}: {name} holds {}.", list(&texts)), rfc, why)
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
