//! Signing and verifying together, with the classroom key of the presets: a signed letter
//! verifies; what relaxed canonicalisation forgives still verifies; any other change of a
//! signed field or of the body fails.

use proptest::prelude::*;

use super::*;
use crate::engine::auth::zone::Zone;

const PRESET: &str = include_str!("../../../../static/scenarios/signed-and-sealed.json");

fn signer() -> Signer {
    let tree: serde_json::Value = serde_json::from_str(PRESET).unwrap();
    let host = tree["hosts"].as_array().unwrap().iter().find(|h| h.get("dkim").is_some()).unwrap();
    Signer { domain: "northwind.test".into(), selector: "mail".into(), key: private_key(host["dkim"]["private_key"].as_str().unwrap()).unwrap() }
}

fn zone() -> Zone {
    let tree: serde_json::Value = serde_json::from_str(PRESET).unwrap();
    let record = tree["domains"][0]["txt"].as_array().unwrap().iter().find(|r| r["name"] == "mail._domainkey").unwrap()["text"].as_str().unwrap();
    Zone { txt: vec![("mail._domainkey.northwind.test", Box::leak(record.to_owned().into_boxed_str()))], ..Zone::default() }
}

const LETTER: &str = "From: Alice <alice@northwind.test>\r\nTo: Bob <bob@southbay.test>\r\nSubject: The minutes\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\nMessage-ID: <1@northwind.test>\r\nX-Mailer: not signed\r\n\r\nHi Bob,\r\n\r\nthe quay stays open on Sundays.\r\n\r\nAlice\r\n";

fn signed(letter: &str) -> String {
    let field = signer().sign(letter.as_bytes(), 1_772_442_000).unwrap();
    format!("{field}{letter}")
}

fn result(message: &str) -> (DkimResult, Option<String>) {
    let v = verify(message.as_bytes(), 1_772_442_000, &mut zone());
    (v[0].result, v[0].reason.clone())
}

#[test]
fn a_signed_letter_verifies_and_the_signature_is_the_same_every_time() {
    let once = signed(LETTER);
    assert_eq!(once, signed(LETTER), "no randomness: RSA PKCS#1 v1.5 is deterministic");
    assert_eq!(result(&once), (DkimResult::Pass, None));
    assert!(once.starts_with("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=northwind.test;\r\n\ts=mail; t=1772442000;"), "{once}");
    // The signed fields are the ones a reader relies on, not the mailer's own.
    assert!(once.contains("h=From:To:Subject:Date:Message-ID;"), "{once}");
}

#[test]
fn what_relaxed_canonicalisation_forgives_still_verifies() {
    let letter = signed(LETTER);
    let forgiven = [
        letter.replace("Subject: The minutes", "subject:   The  minutes  "),
        letter.replace("To: Bob <bob@southbay.test>", "To: Bob\r\n <bob@southbay.test>"),
        letter.replace("Hi Bob,\r\n", "Hi   Bob,  \r\n"),
        format!("{letter}\r\n\r\n"),
        letter.replace("X-Mailer: not signed", "X-Mailer: changed, and not signed"),
        // A field added on the way, as every hop adds Received.
        format!("Received: from somewhere\r\n{letter}"),
    ];
    for changed in forgiven {
        assert_eq!(result(&changed).0, DkimResult::Pass, "{changed}");
    }
}

#[test]
fn any_other_change_fails_and_says_where() {
    let letter = signed(LETTER);
    let body = letter.replace("open on Sundays", "open on Mondays");
    assert_eq!(result(&body), (DkimResult::Fail, Some("body hash did not verify".into())));
    let footer = format!("{letter}--\r\nSent through the list\r\n");
    assert_eq!(result(&footer).1.as_deref(), Some("body hash did not verify"));
    let subject = letter.replace("Subject: The minutes", "Subject: The new bank details");
    assert_eq!(result(&subject), (DkimResult::Fail, Some("signature did not verify".into())));
    let removed = letter.replace("Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n", "");
    assert_eq!(result(&removed).0, DkimResult::Fail);
    // Another key at the same name: the signature was not made with it.
    let mut other = zone();
    other.txt[0].1 = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC+W6scd3XWwvC/hPRksfDYFi3ztgyS9OSqnnjtNQeDdTSD1DRx/xFar2wjmzxp2+SnJ5pspaF77VZveN3P/HVmXZVghr3asoV9WBx/uW1nDIUxU35L4juXiTwsMAbgMyh3NqIKTNKyMDy4P8vpEhtH1iv/BrwMdBjHDVCycB8WnwIDAQAB";
    let v = verify(letter.as_bytes(), 1_772_442_000, &mut other);
    assert_eq!((v[0].result, v[0].reason.as_deref()), (DkimResult::Fail, Some("signature did not verify")));
}

#[test]
fn the_signature_itself_is_checked_and_old_algorithms_are_refused() {
    let letter = signed(LETTER);
    assert_eq!(result(&letter.replace("a=rsa-sha256", "a=rsa-sha1")).1.as_deref(), Some("unsupported algorithm"));
    assert_eq!(result(&letter.replace("d=northwind.test", "d=southbay.test")).1.as_deref(), Some("no key for signature"));
    assert_eq!(result(&letter.replace("h=From:To:", "h=To:")).1.as_deref(), Some("From field not signed"));
    assert_eq!(result(&letter.replace("v=1;", "v=2;")).1.as_deref(), Some("signature missing required tag"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A letter with any body of printable lines verifies once signed; one more non-space
    /// character anywhere in it breaks the body hash.
    #[test]
    fn any_body_verifies_and_any_added_character_breaks_it(
        lines in proptest::collection::vec("[ -~]{0,60}", 1..8),
        at in any::<prop::sample::Index>(),
        c in "[!-~]",
    ) {
        let body: String = lines.iter().map(|l| format!("{}\r\n", l.trim_start_matches('.'))).collect();
        let letter = format!("From: a@northwind.test\r\nSubject: x\r\n\r\n{body}");
        let signed = signed(&letter);
        prop_assert_eq!(result(&signed).0, DkimResult::Pass);
        let body_start = signed.find("\r\n\r\n").unwrap() + 4;
        let boundaries: Vec<usize> = (body_start..=signed.len()).filter(|i| signed.is_char_boundary(*i)).collect();
        let i = boundaries[at.index(boundaries.len())];
        let mut changed = signed.clone();
        changed.insert_str(i, &c);
        prop_assert_eq!(result(&changed), (DkimResult::Fail, Some("body hash did not verify".to_owned())));
    }
}
