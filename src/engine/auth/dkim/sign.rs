//! Signing at the sender's side, as OpenDKIM does behind a submission server: rsa-sha256,
//! relaxed/relaxed, the fields a reader relies on (RFC 6376 5).

use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

use super::canonical::{body, header, raw_fields, Canon};
use crate::engine::base64;

/// The fields signed when present, RFC 6376 5.4.1's list of those that SHOULD be: what a
/// reader sees and what a change of would mislead them.
const SIGNED_FIELDS: &[&str] = &[
    "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To", "References",
    "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
];

/// A domain's signer: `d=`, `s=` and the private key whose public half is published at
/// `<selector>._domainkey.<domain>`.
#[derive(Debug, Clone)]
pub struct Signer {
    pub domain: String,
    pub selector: String,
    pub key: RsaPrivateKey,
}

impl Signer {
    /// The `DKIM-Signature:` field for `message`, folded, with its CRLF: to be put on top of
    /// it. `time` is the signing time (`t=`, seconds since 1970). Deterministic: RSA PKCS#1
    /// v1.5 signatures have no randomness.
    pub fn sign(&self, message: &[u8], time: u64) -> Result<String, String> {
        let (fields, at) = raw_fields(message);
        let body_hash = Sha256::digest(body(Canon::Relaxed, &message[at..]));
        // The fields in the order they stand, each instance once: the verifier takes them
        // from the bottom up (5.4.2), which for one instance each is the same.
        let mut names: Vec<&str> = Vec::new();
        let mut hashed: Vec<u8> = Vec::new();
        for field in fields.iter().rev() {
            let signed = SIGNED_FIELDS.iter().any(|n| n.eq_ignore_ascii_case(field.name));
            if signed && !names.iter().any(|n| n.eq_ignore_ascii_case(field.name)) {
                names.push(field.name);
            }
        }
        names.reverse();
        for name in &names {
            if let Some(field) = fields.iter().rev().find(|f| f.name.eq_ignore_ascii_case(name)) {
                hashed.extend_from_slice(&header(Canon::Relaxed, field.bytes));
            }
        }
        let tags = [
            "v=1".to_owned(),
            "a=rsa-sha256".to_owned(),
            "c=relaxed/relaxed".to_owned(),
            format!("d={}", self.domain),
            format!("s={}", self.selector),
            format!("t={time}"),
            format!("h={}", names.join(":")),
            format!("bh={}", base64::encode(&body_hash)),
        ];
        let unsigned = fold(&tags);
        // 3.7: the signature field itself, with an empty b=, ends the hashed data, without
        // its CRLF.
        let mut own = header(Canon::Relaxed, unsigned.as_bytes());
        own.truncate(own.len() - 2);
        hashed.extend_from_slice(&own);
        let signature = self
            .key
            .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&hashed))
            .map_err(|e| format!("RSA signing failed: {e}"))?;
        let b = base64::encode(&signature);
        let mut field = unsigned;
        // The signature in lines of 72, folded; the white space is not part of the value.
        let chunks: Vec<&str> = b.as_bytes().chunks(72).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
        field.push_str(&chunks.join("\r\n\t "));
        field.push_str("\r\n");
        Ok(field)
    }
}

/// `DKIM-Signature: ` and the tags, folded before a tag where a line would pass 78
/// characters, ending in `b=` for the signature to follow on its own line.
fn fold(tags: &[String]) -> String {
    let mut out = String::from("DKIM-Signature:");
    let mut line = out.len();
    for tag in tags {
        let piece = format!(" {tag};");
        if line + piece.len() > 78 {
            out.push_str("\r\n\t");
            line = 8;
            out.push_str(piece.trim_start());
            line += piece.len() - 1;
        } else {
            out.push_str(&piece);
            line += piece.len();
        }
    }
    out.push_str("\r\n\tb=");
    out
}
