//! Verifying at the receiver's side (RFC 6376 6): each `DKIM-Signature` is read, its key is
//! fetched from `<s>._domainkey.<d>`, the body hash and then the signature are checked.

use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

use super::canonical::{body, header, raw_fields, Canon};
use super::key::{key_record, KeyRecord};
use crate::engine::auth::{tags, within, Lookup, Resolver};
use crate::engine::base64;

/// RFC 8601 2.7.1's results for one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DkimResult {
    /// The message carries no signature.
    None,
    Pass,
    /// The signature or the body hash does not verify: the message changed, or was forged.
    Fail,
    /// The key could not be fetched for now.
    TempError,
    /// The signature or its key cannot be used.
    PermError,
}

impl DkimResult {
    pub fn name(self) -> &'static str {
        match self {
            DkimResult::None => "none",
            DkimResult::Pass => "pass",
            DkimResult::Fail => "fail",
            DkimResult::TempError => "temperror",
            DkimResult::PermError => "permerror",
        }
    }
}

/// What one signature came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub result: DkimResult,
    /// `d=` and `s=`, when the signature named them.
    pub domain: String,
    pub selector: String,
    /// The first characters of `b=`, which tell signatures apart (RFC 6008).
    pub b_prefix: String,
    /// Why it did not pass, in the words verifiers put in the result's comment.
    pub reason: Option<String>,
}

/// At most this many signatures are checked; more are left alone (6.1: a verifier MAY limit
/// them, against a message that asks for endless work).
const MAX_SIGNATURES: usize = 5;

/// Every signature's verdict, top first; empty when the message has none.
pub fn verify(message: &[u8], now_unix: u64, dns: &mut dyn Resolver) -> Vec<Verdict> {
    let (fields, _) = raw_fields(message);
    fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("DKIM-Signature"))
        .take(MAX_SIGNATURES)
        .map(|f| verify_one(message, f.bytes, now_unix, dns))
        .collect()
}

fn verify_one(message: &[u8], field: &[u8], now_unix: u64, dns: &mut dyn Resolver) -> Verdict {
    let text = String::from_utf8_lossy(field);
    let value = text.split_once(':').map_or("", |(_, v)| v);
    let mut verdict = Verdict {
        result: DkimResult::PermError,
        domain: String::new(),
        selector: String::new(),
        b_prefix: String::new(),
        reason: None,
    };
    let fail = |mut v: Verdict, result: DkimResult, reason: &str| {
        v.result = result;
        v.reason = Some(reason.to_owned());
        v
    };
    let tags = match tags::parse(value) {
        Ok(tags) => tags,
        Err(_) => return fail(verdict, DkimResult::PermError, "signature syntax error"),
    };
    let tag = |name: &str| tags::get(&tags, name);
    verdict.domain = tag("d").unwrap_or("").to_ascii_lowercase();
    verdict.selector = tag("s").unwrap_or("").to_owned();
    let b: String = tag("b").unwrap_or("").chars().filter(|c| !c.is_ascii_whitespace()).collect();
    verdict.b_prefix = b.chars().take(8).collect();
    // 6.1.1: the required tags, the version, and From among the signed fields.
    let (Some(h), Some(bh)) = (tag("h"), tag("bh")) else {
        return fail(verdict, DkimResult::PermError, "signature missing required tag");
    };
    if tag("v") != Some("1") || verdict.domain.is_empty() || verdict.selector.is_empty() || b.is_empty() {
        return fail(verdict, DkimResult::PermError, "signature missing required tag");
    }
    // RFC 8301 3.1: rsa-sha1 MUST NOT be used to verify.
    if !tag("a").is_some_and(|a| a.eq_ignore_ascii_case("rsa-sha256")) {
        return fail(verdict, DkimResult::PermError, "unsupported algorithm");
    }
    let Some((header_canon, body_canon)) = Canon::parse_pair(tag("c").unwrap_or("simple/simple")) else {
        return fail(verdict, DkimResult::PermError, "unsupported canonicalization");
    };
    let signed: Vec<&str> = h.split(':').map(str::trim).collect();
    if !signed.iter().any(|n| n.eq_ignore_ascii_case("From")) {
        return fail(verdict, DkimResult::PermError, "From field not signed");
    }
    if let Some(i) = tag("i") {
        let auid_domain = i.rsplit_once('@').map_or(i, |(_, d)| d);
        if !within(auid_domain, &verdict.domain) {
            return fail(verdict, DkimResult::PermError, "domain mismatch");
        }
    }
    if let Some(x) = tag("x").and_then(|x| x.parse::<u64>().ok()) {
        if x < now_unix {
            return fail(verdict, DkimResult::PermError, "signature expired");
        }
    }
    // 6.1.2: the key.
    let key_name = format!("{}._domainkey.{}", verdict.selector, verdict.domain);
    let key = match dns.txt(&key_name) {
        Lookup::Found(records) => match records.first().map(|r| key_record(r)) {
            Some(Ok(KeyRecord::Rsa(key))) => key,
            Some(Ok(KeyRecord::Revoked)) => return fail(verdict, DkimResult::PermError, "key revoked"),
            Some(Err(_)) | None => return fail(verdict, DkimResult::PermError, "key syntax error"),
        },
        Lookup::ServFail => return fail(verdict, DkimResult::TempError, "key unavailable"),
        Lookup::NoData | Lookup::NxDomain => return fail(verdict, DkimResult::PermError, "no key for signature"),
    };
    // 6.1.3: the body hash first, then the signature over the fields.
    let (fields, at) = raw_fields(message);
    let mut canonical_body = body(body_canon, &message[at..]);
    if let Some(l) = tag("l").and_then(|l| l.parse::<usize>().ok()) {
        if l > canonical_body.len() {
            return fail(verdict, DkimResult::PermError, "body length beyond the body");
        }
        canonical_body.truncate(l);
    }
    let computed = base64::encode(&Sha256::digest(&canonical_body));
    let given: String = bh.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if computed != given {
        return fail(verdict, DkimResult::Fail, "body hash did not verify");
    }
    let mut hashed = Vec::new();
    let mut used = vec![false; fields.len()];
    for name in &signed {
        // 5.4.2: several instances are taken from the bottom up; a name with none left
        // contributes nothing.
        let found = (0..fields.len()).rev().find(|&i| !used[i] && fields[i].name.eq_ignore_ascii_case(name));
        if let Some(i) = found {
            used[i] = true;
            hashed.extend_from_slice(&header(header_canon, fields[i].bytes));
        }
    }
    let mut own = header(header_canon, &without_b_value(field));
    own.truncate(own.len().saturating_sub(2));
    hashed.extend_from_slice(&own);
    let Ok(signature) = base64::decode_strict(b.as_bytes()) else {
        return fail(verdict, DkimResult::PermError, "signature syntax error");
    };
    if !rsa_verifies(&key, &Sha256::digest(&hashed), &signature) {
        return fail(verdict, DkimResult::Fail, "signature did not verify");
    }
    verdict.result = DkimResult::Pass;
    verdict
}

fn rsa_verifies(key: &RsaPublicKey, digest: &[u8], signature: &[u8]) -> bool {
    key.verify(Pkcs1v15Sign::new::<Sha256>(), digest, signature).is_ok()
}

/// The signature field with the value of its `b=` tag, and the white space around it, taken
/// out (3.5, 3.7); its final CRLF stays.
fn without_b_value(field: &[u8]) -> Vec<u8> {
    let body = field.strip_suffix(b"\r\n").unwrap_or(field);
    let Some(colon) = body.iter().position(|b| *b == b':') else { return field.to_vec() };
    let mut out = body[..=colon].to_vec();
    let mut start = colon + 1;
    while start <= body.len() {
        let end = body[start..].iter().position(|b| *b == b';').map_or(body.len(), |i| start + i);
        let segment = &body[start..end];
        let name_end = segment.iter().position(|b| *b == b'=');
        let is_b = name_end.is_some_and(|e| segment[..e].iter().filter(|b| !b.is_ascii_whitespace()).eq(b"b".iter()));
        match (is_b, name_end) {
            (true, Some(e)) => out.extend_from_slice(&segment[..=e]),
            _ => out.extend_from_slice(segment),
        }
        if end < body.len() {
            out.push(b';');
        }
        start = end + 1;
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_b_value_goes_and_bh_stays() {
        let field = b"DKIM-Signature: v=1; bh=abc;\r\n\tb=XYZ\r\n\t 123\r\n";
        assert_eq!(without_b_value(field), b"DKIM-Signature: v=1; bh=abc;\r\n\tb=\r\n");
        let middle = b"DKIM-Signature: b = XY ; d=a\r\n";
        assert_eq!(without_b_value(middle), b"DKIM-Signature: b =; d=a\r\n");
    }
}
