//! DSN tests: one complete bounce compared byte for byte, then the structure of the others.

use super::*;
use crate::engine::base64;

const ORIGINAL: &str =
    "Received: from alice-laptop.northwind.test (alice-laptop.northwind.test [192.0.2.10])\r\n\
\tby smtp.northwind.test (Mailflow) with ESMTPSA id 7F3A21\r\n\
\tfor <bob@southbay.test>; Mon, 02 Mar 2026 09:00:01 +0000\r\n\
Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n\
From: Alice Liddell <alice@northwind.test>\r\n\
To: bob@southbay.test\r\n\
Subject: Lunch\r\n\
Message-ID: <20260302090000.7F3A21@northwind.test>\r\n\
\r\n\
Hi Bob\r\n";

fn unknown_user() -> DeliveryReport {
    DeliveryReport {
        reporting_mta: "smtp.northwind.test".into(),
        message_id: "20260302090002.8A1B2C@smtp.northwind.test".into(),
        date: VirtualTime::from_secs(2),
        original: OriginalMessage {
            message: Message::from_bytes(ORIGINAL.as_bytes().to_vec()),
            envelope_sender: Some("alice@northwind.test".into()),
            arrival: VirtualTime::from_secs(1),
            envid: None,
            ret: Ret::default(),
            queue_id: Some("7F3A21".into()),
        },
        recipients: vec![RecipientStatus {
            final_recipient: "bob@southbay.test".into(),
            original_recipient: Some("bob@southbay.test".into()),
            action: Action::Failed,
            status: "5.1.1".parse().unwrap(),
            remote_mta: Some("mx.southbay.test".into()),
            diagnostic: Some(DiagnosticCode::smtp(
                "550 5.1.1 <bob@southbay.test>: Recipient address rejected: User unknown",
            )),
            explanation: Some(
                "host mx.southbay.test[198.51.100.25] said: 550 5.1.1 <bob@southbay.test>: Recipient address rejected: User unknown (in reply to RCPT TO command)".into(),
            ),
            last_attempt: Some(VirtualTime::from_secs(2)),
            will_retry_until: None,
        }],
    }
}

#[test]
fn unknown_user_bounce_byte_for_byte() {
    let expected = "Date: Mon, 02 Mar 2026 09:00:02 +0000\r\n\
From: Mail Delivery System <MAILER-DAEMON@smtp.northwind.test>\r\n\
To: alice@northwind.test\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
Message-ID: <20260302090002.8A1B2C@smtp.northwind.test>\r\n\
Auto-Submitted: auto-replied\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\x20boundary=\"=_mailflow_5df2dbb36d32a2d3\"\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
This is a MIME-encapsulated message.\r\n\
--=_mailflow_5df2dbb36d32a2d3\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
This is the mail system at host smtp.northwind.test.\r\n\
\r\n\
Your message could not be delivered to one or more of its\r\n\
recipients, and the mail system has stopped trying. The reason\r\n\
for each recipient is given below.\r\n\
\r\n\
The header section of your message is attached.\r\n\
If you need help, forward this report to your postmaster.\r\n\
\r\n\
\x20                  The mail system\r\n\
\r\n\
<bob@southbay.test>: host mx.southbay.test[198.51.100.25] said: 550\r\n\
\x20   5.1.1 <bob@southbay.test>: Recipient address rejected: User unknown\r\n\
\x20   (in reply to RCPT TO command)\r\n\
\r\n\
--=_mailflow_5df2dbb36d32a2d3\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; smtp.northwind.test\r\n\
Arrival-Date: Mon, 02 Mar 2026 09:00:01 +0000\r\n\
X-Mailflow-Queue-ID: 7F3A21\r\n\
\r\n\
Original-Recipient: rfc822; bob@southbay.test\r\n\
Final-Recipient: rfc822; bob@southbay.test\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Remote-MTA: dns; mx.southbay.test\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <bob@southbay.test>: Recipient address\r\n\
\x20rejected: User unknown\r\n\
Last-Attempt-Date: Mon, 02 Mar 2026 09:00:02 +0000\r\n\
\r\n\
--=_mailflow_5df2dbb36d32a2d3\r\n\
Content-Description: Undelivered Message Headers\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
Received: from alice-laptop.northwind.test (alice-laptop.northwind.test [192.0.2.10])\r\n\
\tby smtp.northwind.test (Mailflow) with ESMTPSA id 7F3A21\r\n\
\tfor <bob@southbay.test>; Mon, 02 Mar 2026 09:00:01 +0000\r\n\
Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n\
From: Alice Liddell <alice@northwind.test>\r\n\
To: bob@southbay.test\r\n\
Subject: Lunch\r\n\
Message-ID: <20260302090000.7F3A21@northwind.test>\r\n\
\r\n\
--=_mailflow_5df2dbb36d32a2d3--\r\n";
    let report = unknown_user();
    assert_eq!(report.kind(), ReportKind::Failure);
    let message = report.compose().unwrap();
    let got = String::from_utf8_lossy(message.as_bytes());
    if got != expected {
        // Line by line first, so a failure points at the line that differs.
        for (g, e) in got.split("\r\n").zip(expected.split("\r\n")) {
            assert_eq!(g, e);
        }
    }
    assert_eq!(got, expected);
    assert_eq!(message, report.compose().unwrap(), "deterministic");
}

/// The three parts of a report, split at its boundary (RFC 2046 5.1.1), with their headers.
fn parts(message: &Message) -> Vec<Message> {
    let content_type = message.header("Content-Type").unwrap();
    let boundary = content_type
        .split("boundary=\"")
        .nth(1)
        .unwrap()
        .trim_end_matches('"');
    let text = String::from_utf8(message.body().to_vec()).unwrap();
    let close = format!("\r\n--{boundary}--\r\n");
    assert!(text.ends_with(&close), "close delimiter ends the body");
    let inner = &text[..text.len() - close.len()];
    inner
        .split(&format!("\r\n--{boundary}\r\n"))
        .skip(1) // the preamble
        .map(|p| Message::from_bytes(p.as_bytes().to_vec()))
        .collect()
}

#[test]
fn delay_warning_with_full_return_and_8bit_original() {
    let mut report = unknown_user();
    report.message_id = "<20260302130000.9D0E1F@smtp.northwind.test>".into();
    report.date = VirtualTime::from_secs(4 * 3600);
    let umlaut = "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nSchöne Grüße\r\n";
    report.original.message = Message::from_bytes(umlaut.as_bytes().to_vec());
    report.original.ret = Ret::Full;
    report.original.envid = Some("QQ314159".into());
    report.recipients[0] = RecipientStatus {
        final_recipient: "bob@southbay.test".into(),
        original_recipient: None,
        action: Action::Delayed,
        status: Status::NO_ANSWER_FROM_HOST,
        remote_mta: None,
        diagnostic: Some(DiagnosticCode::local(
            "connect to mx.southbay.test[192.0.2.20]:25: Connection refused",
        )),
        explanation: None,
        last_attempt: Some(VirtualTime::from_secs(4 * 3600 - 60)),
        will_retry_until: Some(VirtualTime::from_secs(5 * 86_400)),
    };
    let message = report.compose().unwrap();
    assert_eq!(message.check_lines(), Ok(()));
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Delayed Mail (still being retried)")
    );
    assert_eq!(
        message.header("Content-Transfer-Encoding").as_deref(),
        Some("8bit")
    );

    let parts = parts(&message);
    assert_eq!(parts.len(), 3);
    let human = String::from_utf8(parts[0].body().to_vec()).unwrap();
    assert!(human.contains("This is a warning only"));
    assert!(human.contains("Your message is attached."));
    assert!(human.ends_with("<bob@southbay.test>: connect to mx.southbay.test[192.0.2.20]:25:\r\n    Connection refused; still trying until Sat, 07 Mar 2026 09:00:00\r\n    +0000.\r\n"), "{human}");

    let status = &parts[1];
    assert_eq!(
        status.header("Content-Type").as_deref(),
        Some("message/delivery-status")
    );
    let fields = String::from_utf8(status.body().to_vec()).unwrap();
    assert!(fields.starts_with(
        "Original-Envelope-Id: QQ314159\r\nReporting-MTA: dns; smtp.northwind.test\r\n"
    ));
    assert!(fields.contains("\r\n\r\nFinal-Recipient: rfc822; bob@southbay.test\r\nAction: delayed\r\nStatus: 4.4.1\r\n"));
    assert!(fields.contains("Diagnostic-Code: X-Mailflow; connect to mx.southbay.test[192.0.2.20]:25:\r\n Connection refused\r\n"), "{fields}");
    assert!(fields.contains("Last-Attempt-Date: Mon, 02 Mar 2026 12:59:00 +0000\r\n"));
    assert!(fields.ends_with("Will-Retry-Until: Sat, 07 Mar 2026 09:00:00 +0000\r\n"));
    assert!(!fields.contains("Original-Recipient"), "no ORCPT, no field");
    assert!(!fields.contains("Remote-MTA"));

    let returned = &parts[2];
    assert_eq!(
        returned.header("Content-Type").as_deref(),
        Some("message/rfc822")
    );
    assert_eq!(
        returned.header("Content-Description").as_deref(),
        Some("Delayed Message")
    );
    assert_eq!(
        returned.header("Content-Transfer-Encoding").as_deref(),
        Some("8bit")
    );
    assert_eq!(
        returned.body(),
        umlaut.as_bytes(),
        "the whole original, untouched"
    );
}

#[test]
fn boundary_changes_when_the_original_quotes_it() {
    let plain = unknown_user().compose().unwrap();
    let boundary = "=_mailflow_5df2dbb36d32a2d3";
    let mut report = unknown_user();
    report.original.message =
        Message::from_bytes(format!("X-Trap: a\r\n\r\n--{boundary}\r\n").into_bytes());
    report.original.ret = Ret::Full;
    let message = report.compose().unwrap();
    assert!(plain.header("Content-Type").unwrap().contains(boundary));
    assert!(message
        .header("Content-Type")
        .unwrap()
        .contains(&format!("{boundary}.1\"")));
    assert_eq!(parts(&message).len(), 3);
}

#[test]
fn several_recipients_each_get_a_block() {
    let mut report = unknown_user();
    let mut carol = report.recipients[0].clone();
    carol.final_recipient = "carol@southbay.test".into();
    carol.original_recipient = None;
    carol.diagnostic = None;
    carol.explanation = None;
    report.recipients.push(carol);
    let message = report.compose().unwrap();
    let fields = String::from_utf8(parts(&message)[1].body().to_vec()).unwrap();
    assert_eq!(
        fields.matches("\r\n\r\n").count(),
        2,
        "one blank line per recipient block"
    );
    assert_eq!(fields.matches("Final-Recipient:").count(), 2);
    let human = String::from_utf8(parts(&message)[0].body().to_vec()).unwrap();
    assert!(
        human.ends_with("<carol@southbay.test>: failed (status 5.1.1)\r\n"),
        "{human}"
    );
}

#[test]
fn refuses_reports_that_must_not_be_sent() {
    let mut bounce_of_a_bounce = unknown_user();
    bounce_of_a_bounce.original.envelope_sender = None;
    assert_eq!(bounce_of_a_bounce.compose(), Err(DsnError::NullReversePath));
    let double = bounce_of_a_bounce
        .compose_to("postmaster@northwind.test")
        .unwrap();
    assert_eq!(
        double.header("To").as_deref(),
        Some("postmaster@northwind.test")
    );

    let mut mismatch = unknown_user();
    mismatch.recipients[0].status = Status::NO_ANSWER_FROM_HOST;
    assert!(matches!(
        mismatch.compose(),
        Err(DsnError::ActionStatusMismatch { .. })
    ));

    let mut none = unknown_user();
    none.recipients.clear();
    assert_eq!(none.compose(), Err(DsnError::NoRecipients));

    let mut injected = unknown_user();
    injected.recipients[0].diagnostic = Some(DiagnosticCode::smtp("550 x\r\nX-Evil: 1"));
    assert!(matches!(
        injected.compose(),
        Err(DsnError::InvalidText { .. })
    ));
}

#[test]
fn every_line_is_crlf_and_short_even_with_a_binary_heavy_original() {
    let attachment = base64::encode(&[0u8; 3000]);
    let mut report = unknown_user();
    report.original.ret = Ret::Full;
    report.original.message =
        Message::from_bytes(format!("Subject: x\r\n\r\n{attachment}\r\n").into_bytes());
    // A 4000-character line is not a valid original; the report refuses to wrap it blindly.
    assert!(matches!(report.compose(), Err(DsnError::Lines(_))));
    let folded: String = attachment
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
        .collect();
    report.original.message =
        Message::from_bytes(format!("Subject: x\r\n\r\n{folded}").into_bytes());
    let message = report.compose().unwrap();
    assert_eq!(message.check_lines(), Ok(()));
    assert!(message.as_bytes().ends_with(b"--\r\n"));
}
