//! DKIM (RFC 6376): a domain signs the letters it sends; the receiver checks the signature with
//! the key the domain publishes in the DNS. RSA with SHA-256 (RFC 8301), relaxed
//! canonicalisation when signing, both kinds when verifying.

mod canonical;
mod key;
mod sign;
mod verify;

pub use canonical::{body, header, raw_fields, Canon, RawField};
pub use key::{key_record, private_key, KeyRecord, MIN_RSA_BITS};
pub use sign::Signer;
pub use verify::{verify, DkimResult, Verdict};

#[cfg(test)]
mod tests;
