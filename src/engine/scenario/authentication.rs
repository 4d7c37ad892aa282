//! The parts of a scenario that say who may send for a domain: the TXT records a domain
//! publishes (SPF, DKIM keys, DMARC policies), the key a submission server signs with, and
//! the checks an MX makes of letters from other networks.

use serde::{Deserialize, Serialize};

#[cfg(all(feature = "lab", not(target_arch = "wasm32")))]
use super::bounds;

/// A TXT record of a domain, or of a name below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TxtRecord {
    /// The owner name relative to the domain, as in a zone file: empty for the domain itself
    /// (its SPF record), `_dmarc` for its DMARC policy, `mail._domainkey` for the DKIM key of
    /// selector `mail`.
    #[serde(default)]
    pub name: String,
    /// The record's text, its strings joined: `v=spf1 mx -all`.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_TXT_BYTES)))]
    pub text: String,
}

/// A submission server's DKIM signing (RFC 6376): the letters of its logged-in users whose
/// `From:` is in `domain` are signed, as OpenDKIM does behind Postfix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DkimSigning {
    /// The signing domain (`d=`); it must be one of the scenario's domains.
    pub domain: String,
    /// The selector (`s=`): the public key is published at `<selector>._domainkey.<domain>`.
    pub selector: String,
    /// The RSA private key in PEM (`openssl genpkey -algorithm RSA`), at least 1024 bits
    /// (RFC 8301). A classroom key: it is published with the scenario.
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_KEY_BYTES)))]
    pub private_key: String,
}

/// A mailing list a host runs (as Mailman does behind Postfix): a letter to its address is
/// sent on to every member, with the list's own return path (RFC 5321 3.9.2) and, when
/// given, a footer added to the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MailingList {
    /// The list's address, in one of the host's domains. Bounces go to
    /// `<list>-bounces@<domain>`, Mailman's convention.
    pub address: String,
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(min = 1, max = bounds::MAX_RECIPIENTS)))]
    pub members: Vec<String>,
    /// Text added at the end of every letter's body (Mailman's `msg_footer`): a change
    /// that breaks the DKIM body hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), schemars(length(max = bounds::MAX_TXT_BYTES)))]
    pub footer: Option<String>,
}

/// A check an MX makes of a letter from another network, before it accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(all(feature = "lab", not(target_arch = "wasm32")), derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SenderCheck {
    /// May the client's address send for the envelope's domain? (RFC 7208)
    Spf,
    /// Do the letter's signatures verify? (RFC 6376)
    Dkim,
    /// Does SPF or DKIM vouch for the `From:` domain, and what does its owner ask for when
    /// not? (RFC 9989) Rejections and the spam folder come from this check.
    Dmarc,
}
