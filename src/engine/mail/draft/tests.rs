//! Composition tests: whole messages byte for byte, then validity and refusals.

use super::super::transfer_encoding::quoted_printable_decode;
use super::*;
use crate::engine::base64;

fn first_letter() -> Draft {
    let mut draft = Draft::new(
        Mailbox::with_name("Alice Liddell", "alice@northwind.test"),
        "20260302090000.7F3A21@northwind.test",
        VirtualTime::ZERO,
    );
    draft.to = vec![Mailbox::with_name("Bob", "bob@southbay.test")];
    draft.subject = "Lunch on Friday?".into();
    draft.body = "Hi Bob,\nshall we meet at noon?\n\nAlice\n".into();
    draft
}

#[test]
fn plain_message_byte_for_byte() {
    let message = first_letter().compose().unwrap();
    let expected = "Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n\
From: Alice Liddell <alice@northwind.test>\r\n\
To: Bob <bob@southbay.test>\r\n\
Subject: Lunch on Friday?\r\n\
Message-ID: <20260302090000.7F3A21@northwind.test>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
Hi Bob,\r\n\
shall we meet at noon?\r\n\
\r\n\
Alice\r\n";
    assert_eq!(String::from_utf8_lossy(message.as_bytes()), expected);
}

#[test]
fn message_with_attachment_byte_for_byte() {
    let mut draft = first_letter();
    draft.cc = vec![Mailbox::new("carol@northwind.test")];
    draft.subject = "Grüße and the agenda".into();
    draft.body = "Agenda attached.\n".into();
    draft.attachment = Some(Attachment {
        file_name: "agenda.txt".into(),
        content_type: "text/plain".into(),
        content: b"1. Soup\n2. Dessert\n".to_vec(),
    });
    let message = draft.compose().unwrap();
    let boundary = choose_boundary("<20260302090000.7F3A21@northwind.test>", &[]);
    let expected = format!(
        "Date: Mon, 02 Mar 2026 09:00:00 +0000\r\n\
From: Alice Liddell <alice@northwind.test>\r\n\
To: Bob <bob@southbay.test>\r\n\
Cc: carol@northwind.test\r\n\
Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_and_the_agenda?=\r\n\
Message-ID: <20260302090000.7F3A21@northwind.test>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
This is a multi-part message in MIME format.\r\n\
--{boundary}\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
Agenda attached.\r\n\
\r\n\
--{boundary}\r\n\
Content-Type: text/plain; name=agenda.txt\r\n\
Content-Disposition: attachment; filename=agenda.txt\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
MS4gU291cAoyLiBEZXNzZXJ0Cg==\r\n\
\r\n\
--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(message.as_bytes()), expected);
    assert_eq!(boundary, "=_mailflow_".to_string() + &boundary[11..]);
    assert_eq!(
        message.as_bytes(),
        draft.compose().unwrap().as_bytes(),
        "deterministic"
    );
}

#[test]
fn large_attachment_is_valid_mime() {
    let mut draft = first_letter();
    let pdf: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    draft.attachment = Some(Attachment {
        file_name: "Quarterly report \"Q1\".pdf".into(),
        content_type: "application/pdf".into(),
        content: pdf.clone(),
    });
    let message = draft.compose().unwrap();
    assert_eq!(message.check_lines(), Ok(()));
    let bytes = message.as_bytes();
    let content_type = message.header("Content-Type").unwrap();
    let boundary = content_type
        .split("boundary=\"")
        .nth(1)
        .and_then(|b| b.strip_suffix('"'))
        .unwrap();
    let text = String::from_utf8_lossy(bytes);
    let delimiter = format!("\r\n--{boundary}\r\n");
    assert_eq!(text.matches(&delimiter).count(), 2);
    assert!(text.ends_with(&format!("\r\n--{boundary}--\r\n")));
    let attachment_part = text.split(&delimiter).nth(2).unwrap();
    let attachment = Message::from_bytes(attachment_part.as_bytes().to_vec());
    assert_eq!(
        attachment.header("Content-Disposition").as_deref(),
        Some("attachment; filename=\"Quarterly report \\\"Q1\\\".pdf\"")
    );
    let encoded = attachment.body();
    let encoded = &encoded[..encoded.len() - format!("\r\n\r\n--{boundary}--\r\n").len()];
    for line in encoded.split(|b| *b == b'\n') {
        assert!(line.len() <= 77, "base64 lines are at most 76 plus CR");
    }
    assert_eq!(base64::decode(encoded).unwrap(), pdf);
}

#[test]
fn non_ascii_body_uses_8bit_or_quoted_printable() {
    let mut draft = first_letter();
    draft.body = "Schöne Grüße\n".into();
    let eight = draft.compose().unwrap();
    assert_eq!(
        eight.header("Content-Transfer-Encoding").as_deref(),
        Some("8bit")
    );
    assert_eq!(eight.body(), "Schöne Grüße\r\n".as_bytes());
    draft.eight_bit_allowed = false;
    let qp = draft.compose().unwrap();
    assert_eq!(
        qp.header("Content-Transfer-Encoding").as_deref(),
        Some("quoted-printable")
    );
    assert_eq!(qp.body(), b"Sch=C3=B6ne Gr=C3=BC=C3=9Fe\r\n");
    assert_eq!(
        quoted_printable_decode(qp.body()),
        "Schöne Grüße\r\n".as_bytes()
    );
    assert!(qp.as_bytes().is_ascii());
}

#[test]
fn long_headers_fold_and_long_body_lines_are_encoded() {
    let mut draft = first_letter();
    draft.to = (1..=12)
        .map(|i| Mailbox::new(format!("student{i}@southbay.test")))
        .collect();
    draft.subject =
        "Rosé wine tasting in the staff room: please bring glasses, napkins and a good mood".into();
    draft.body = format!("{}\n", "word ".repeat(300));
    let message = draft.compose().unwrap();
    assert_eq!(message.check_lines(), Ok(()));
    for line in message.header_section().split(|b| *b == b'\n') {
        assert!(line.len() <= 79, "{}", String::from_utf8_lossy(line));
    }
    let to = message.header("To").unwrap();
    assert_eq!(to.matches('@').count(), 12);
    assert_eq!(
        encoded_word::decode(&message.header("Subject").unwrap()),
        draft.subject
    );
    assert_eq!(
        message.header("Content-Transfer-Encoding").as_deref(),
        Some("quoted-printable")
    );
}

#[test]
fn refuses_bad_input_instead_of_writing_it() {
    let mut draft = first_letter();
    draft.subject = "Hi\r\nBcc: everyone@x.test".into();
    assert_eq!(
        draft.compose(),
        Err(ComposeError::ControlInField("Subject"))
    );

    let mut draft = first_letter();
    draft.message_id = "no-at-sign".into();
    assert!(matches!(
        draft.compose(),
        Err(ComposeError::InvalidMessageId(_))
    ));

    let mut draft = first_letter();
    draft.to.push(Mailbox::new("not an address"));
    assert!(matches!(draft.compose(), Err(ComposeError::Address(_))));

    let mut draft = first_letter();
    draft.attachment = Some(Attachment {
        file_name: "x".into(),
        content_type: "pdf".into(),
        content: vec![],
    });
    assert!(matches!(
        draft.compose(),
        Err(ComposeError::InvalidContentType(_))
    ));
}

#[test]
fn message_id_with_or_without_brackets() {
    assert_eq!(message_id_field_value("<a@b>").unwrap(), "<a@b>");
    assert_eq!(message_id_field_value("a@b").unwrap(), "<a@b>");
    assert!(message_id_field_value("<a b@c>").is_err());
    assert!(message_id_field_value("@c").is_err());
}

#[test]
fn non_ascii_file_name_uses_rfc_2231() {
    assert_eq!(
        parameter("filename", "Bericht Ü.pdf"),
        "filename*=utf-8''Bericht%20%C3%9C.pdf"
    );
    assert_eq!(parameter("filename", "a b.pdf"), "filename=\"a b.pdf\"");
    assert_eq!(parameter("filename", "ab.pdf"), "filename=ab.pdf");
}
