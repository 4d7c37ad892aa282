//! DKIM keys: the signer's private key, as a scenario gives it (PEM, as `openssl genpkey`
//! writes it), and the public key record a verifier finds in the DNS (RFC 6376 3.6.1).
//!
//! RSA comes from the `rsa` crate. Its advisory RUSTSEC-2023-0071 (the Marvin timing attack on
//! decryption and signing) does not apply here: the keys are published classroom keys in a
//! simulation, and no secret is at stake.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::engine::auth::tags;
use crate::engine::base64;

/// RFC 8301 3.2: signers MUST use RSA keys of at least 1024 bits, and verifiers treat smaller
/// ones as a permanent error.
pub const MIN_RSA_BITS: usize = 1024;

/// A signing key read from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE
/// KEY`). `Err` says in a sentence what is wrong with it.
pub fn private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    let (label, der) = pem_body(pem)?;
    let key = match label.as_str() {
        "PRIVATE KEY" => RsaPrivateKey::from_pkcs8_der(&der).map_err(|e| format!("the PKCS#8 key does not read: {e}"))?,
        "RSA PRIVATE KEY" => {
            RsaPrivateKey::from_pkcs1_der(&der).map_err(|e| format!("the PKCS#1 key does not read: {e}"))?
        }
        other => return Err(format!("a PEM \"{other}\" is not an RSA private key")),
    };
    let bits = key.size() * 8;
    if bits < MIN_RSA_BITS {
        return Err(format!("the key has {bits} bits; DKIM needs at least {MIN_RSA_BITS} (RFC 8301 3.2)"));
    }
    Ok(key)
}

/// The label and the decoded bytes of one PEM block (RFC 7468).
fn pem_body(pem: &str) -> Result<(String, Vec<u8>), String> {
    let text = pem.trim();
    let label = text
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.split_once("-----"))
        .map(|(label, _)| label.to_owned())
        .ok_or("the key is not in PEM form (it should start with -----BEGIN PRIVATE KEY-----)")?;
    let end = format!("-----END {label}-----");
    let body = text
        .split_once("-----\n")
        .or_else(|| text.split_once("-----\r\n"))
        .and_then(|(_, rest)| rest.split_once(end.as_str()))
        .map(|(body, _)| body)
        .ok_or_else(|| format!("the PEM block has no line {end}"))?;
    let compact: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let der = base64::decode_strict(&compact).map_err(|_| "the key's base64 does not decode".to_owned())?;
    Ok((label, der))
}

/// A public key record: `v=DKIM1; k=rsa; p=...` (RFC 6376 3.6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRecord {
    Rsa(RsaPublicKey),
    /// `p=` is empty: the key is revoked (3.6.1).
    Revoked,
}

/// Reads a key record; `Err` is why it is unusable, which makes the signature a permanent
/// error (6.1.2).
pub fn key_record(text: &str) -> Result<KeyRecord, String> {
    let tags = tags::parse(text).map_err(|e| format!("the key record does not parse: {e}"))?;
    if let Some(v) = tags::get(&tags, "v") {
        if v != "DKIM1" {
            return Err(format!("the key record says v={v}, not DKIM1"));
        }
    }
    let k = tags::get(&tags, "k").unwrap_or("rsa");
    if !k.eq_ignore_ascii_case("rsa") {
        return Err(format!("the key type k={k} is not one this verifier knows"));
    }
    let p = tags::get(&tags, "p").ok_or("the key record has no p= tag")?;
    let compact: Vec<u8> = p.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Ok(KeyRecord::Revoked);
    }
    let der = base64::decode_strict(&compact).map_err(|_| "the key's p= is not base64".to_owned())?;
    // The RFC's ASN.1 is RSAPublicKey, but what `openssl rsa -pubout` writes, and what most
    // domains publish, is a SubjectPublicKeyInfo around it: read both.
    let key = RsaPublicKey::from_public_key_der(&der)
        .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
        .map_err(|_| "the key's p= is not an RSA public key".to_owned())?;
    let bits = key.size() * 8;
    if bits < MIN_RSA_BITS {
        return Err(format!("the key has {bits} bits, fewer than the {MIN_RSA_BITS} RFC 8301 requires"));
    }
    Ok(KeyRecord::Rsa(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_keys_are_refused_with_a_reason() {
        assert!(private_key("hello").unwrap_err().contains("not in PEM form"));
        let truncated = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
        assert!(private_key(truncated).unwrap_err().contains("PKCS#8"));
        assert!(private_key("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----")
            .unwrap_err()
            .contains("not an RSA private key"));
        assert_eq!(key_record("v=DKIM1; k=rsa; p="), Ok(KeyRecord::Revoked));
        assert_eq!(key_record("v=DKIM1; k=ed25519; p=AAAA").unwrap_err(), "the key type k=ed25519 is not one this verifier knows");
        assert_eq!(key_record("v=DKIM1; k=rsa; p=!!").unwrap_err(), "the key's p= is not base64");
        assert_eq!(key_record("v=DKIM2; p=AAAA").unwrap_err(), "the key record says v=DKIM2, not DKIM1");
    }
}
