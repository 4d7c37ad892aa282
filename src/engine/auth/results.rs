//! The `Authentication-Results:` header field (RFC 8601): the receiving side writes what its
//! checks found into the message, under its own name (the authserv-id), for the mailbox host's
//! filters and the reader's mail client.

use super::dkim::{raw_fields, DkimResult, Verdict};
use super::dmarc::Evaluation;
use super::spf::SpfOutcome;

/// The field, folded one result per line, with its CRLF: the results of the checks that were
/// made. `spf` comes with the envelope sender it checked (`smtp.mailfrom`, 2.7.2).
pub fn field(authserv_id: &str, spf: Option<(&SpfOutcome, &str)>, dkim: Option<&[Verdict]>, dmarc: Option<&Evaluation>) -> String {
    let mut results = Vec::new();
    if let Some((spf, mailfrom)) = spf {
        results.push(format!("spf={} ({}) smtp.mailfrom={mailfrom}", spf.result.name(), spf.reason));
    }
    match dkim {
        Some([]) => results.push("dkim=none (no signature)".into()),
        Some(verdicts) => results.extend(verdicts.iter().map(dkim_result)),
        None => {}
    }
    if let Some(dmarc) = dmarc {
        // OpenDMARC's comment: the policy published and the disposition applied.
        let comment = match dmarc.policy {
            Some(p) => format!(" (p={} dis={})", p.name(), dmarc.disposition.name()),
            None => String::new(),
        };
        results.push(format!("dmarc={}{comment} header.from={}", dmarc.result.name(), dmarc.from_domain));
    }
    if results.is_empty() {
        // 2.2: "none" when no method was applied.
        results.push("none".into());
    }
    let mut out = format!("Authentication-Results: {authserv_id};");
    let last = results.len() - 1;
    for (i, r) in results.iter().enumerate() {
        out.push_str("\r\n\t");
        out.push_str(r);
        if i < last {
            out.push(';');
        }
    }
    out.push_str("\r\n");
    out
}

fn dkim_result(v: &Verdict) -> String {
    let comment = v.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
    let mut line = format!("dkim={}{comment}", v.result.name());
    if !v.domain.is_empty() {
        line.push_str(&format!(" header.d={}", v.domain));
    }
    if !v.selector.is_empty() {
        line.push_str(&format!(" header.s={}", v.selector));
    }
    if !v.b_prefix.is_empty() && v.result != DkimResult::PermError {
        line.push_str(&format!(" header.b={}", v.b_prefix));
    }
    line
}

/// The message without the `Authentication-Results:` fields that claim to be from
/// `authserv_id`, and how many there were. RFC 8601 5: an MTA MUST delete such fields when
/// they did not come from a trusted MTA of its own, or a sender could forge its verdict (7.1).
pub fn remove_forged(message: &[u8], authserv_id: &str) -> (Vec<u8>, usize) {
    let (fields, _) = raw_fields(message);
    let forged: Vec<&[u8]> = fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("Authentication-Results"))
        .filter(|f| {
            let text = String::from_utf8_lossy(f.bytes);
            let value = text.split_once(':').map_or("", |(_, v)| v);
            let id = value.split(';').next().unwrap_or("").split_whitespace().next().unwrap_or("");
            id.eq_ignore_ascii_case(authserv_id)
        })
        .map(|f| f.bytes)
        .collect();
    if forged.is_empty() {
        return (message.to_vec(), 0);
    }
    let mut out = Vec::with_capacity(message.len());
    let mut at = 0;
    for bytes in &forged {
        let start = bytes.as_ptr() as usize - message.as_ptr() as usize;
        out.extend_from_slice(&message[at..start]);
        at = start + bytes.len();
    }
    out.extend_from_slice(&message[at..]);
    (out, forged.len())
}

/// What the topmost `Authentication-Results:` of `authserv_id` says DMARC's disposition was
/// (`quarantine`, `reject`), if it says one: what a mailbox host's filter reads.
pub fn disposition(message: &[u8], authserv_id: &str) -> Option<String> {
    let (fields, _) = raw_fields(message);
    let field = fields.iter().find(|f| {
        f.name.eq_ignore_ascii_case("Authentication-Results") && {
            let text = String::from_utf8_lossy(f.bytes);
            text.split_once(':').is_some_and(|(_, v)| v.trim_start().split(';').next().is_some_and(|id| id.trim().eq_ignore_ascii_case(authserv_id)))
        }
    })?;
    let text = String::from_utf8_lossy(field.bytes);
    let dis = text.split("dis=").nth(1)?;
    Some(dis.chars().take_while(|c| c.is_ascii_alphabetic()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_in_our_name_are_removed() {
        let message = b"Authentication-Results: mx.southbay.test;\r\n\tdkim=pass\r\nAuthentication-Results: other.test; spf=pass\r\nFrom: a@b.test\r\n\r\nHi\r\n";
        let (cleaned, removed) = remove_forged(message, "MX.southbay.test");
        assert_eq!(removed, 1);
        assert_eq!(cleaned, b"Authentication-Results: other.test; spf=pass\r\nFrom: a@b.test\r\n\r\nHi\r\n");
        assert_eq!(remove_forged(message, "elsewhere.test").1, 0);
    }

    #[test]
    fn the_disposition_is_read_from_the_trusted_field_only() {
        let message = b"Authentication-Results: mx.southbay.test;\r\n\tdmarc=fail (p=quarantine dis=quarantine) header.from=a.test\r\n\r\n";
        assert_eq!(disposition(message, "mx.southbay.test").as_deref(), Some("quarantine"));
        assert_eq!(disposition(message, "mx.other.test"), None);
    }
}
