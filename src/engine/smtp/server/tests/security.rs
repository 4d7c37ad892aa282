//! STARTTLS (RFC 3207) and AUTH (RFC 4954), one rule at a time.

use super::*;

#[test]
fn starttls_resets_the_session() {
    let (mut s, mut mta) = mx();
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS\n"),
        "503 5.5.1 Error: send HELO/EHLO first\n"
    );
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS now\n"),
        "501 5.5.4 Syntax: STARTTLS\n"
    );
    // Pipelined plaintext after STARTTLS is thrown away, not run inside TLS.
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS\nMAIL FROM:<a@b.test>\n"),
        "220 2.0.0 Ready to start TLS\n[tls]\n"
    );
    assert!(s.info().tls && s.info().helo_name.is_none());
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<a@b.test>\n"),
        "503 5.5.1 Error: send HELO/EHLO first\n"
    );
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "STARTTLS\n"),
        "554 5.5.1 Error: TLS already active\n"
    );
    let (mut lmtp, mut mta) = start(ServerConfig::lmtp("mail.southbay.test"));
    run(&mut lmtp, &mut mta, "LHLO c.test\n");
    assert_eq!(
        run(&mut lmtp, &mut mta, "STARTTLS\n"),
        "502 5.5.1 Error: command not implemented\n"
    );
}

fn submission_in_tls() -> (ServerSession, TestMta) {
    let (mut s, mut mta) = start(ServerConfig::submissions("smtp.northwind.test"));
    run(&mut s, &mut mta, "EHLO c.test\n");
    (s, mta)
}

#[test]
fn auth_requires_tls_first_and_auth_before_mail() {
    let (mut s, mut mta) = start(ServerConfig::submission("smtp.northwind.test"));
    run(&mut s, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut s, &mut mta, "AUTH PLAIN AGFsaWNl\n"),
        "530 5.7.0 Must issue a STARTTLS command first\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "MAIL FROM:<alice@northwind.test>\n"),
        "530 5.7.0 Authentication required\n"
    );
    let (mut mx, mut mta) = mx();
    run(&mut mx, &mut mta, "EHLO c.test\n");
    assert_eq!(
        run(&mut mx, &mut mta, "AUTH PLAIN\n"),
        "503 5.5.1 Error: authentication not enabled\n"
    );
}

#[test]
fn auth_plain_with_initial_response_and_with_continuation() {
    let (mut s, mut mta) = submission_in_tls();
    let response = "AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=";
    assert_eq!(
        run(&mut s, &mut mta, &format!("AUTH PLAIN {response}\n")),
        "235 2.7.0 Authentication successful\n"
    );
    assert_eq!(
        s.info().authenticated.as_deref(),
        Some("alice@northwind.test")
    );
    assert_eq!(
        run(&mut s, &mut mta, "AUTH PLAIN\n"),
        "503 5.5.1 Error: already authenticated\n"
    );

    let (mut s, mut mta) = submission_in_tls();
    assert_eq!(run(&mut s, &mut mta, "auth plain\n"), "334 \n");
    assert_eq!(
        run(&mut s, &mut mta, &format!("{response}\n")),
        "235 2.7.0 Authentication successful\n"
    );
}

#[test]
fn auth_login_and_failures() {
    let (mut s, mut mta) = submission_in_tls();
    assert_eq!(run(&mut s, &mut mta, "AUTH LOGIN\n"), "334 VXNlcm5hbWU6\n");
    assert_eq!(
        run(&mut s, &mut mta, "Ym9iQHNvdXRoYmF5LnRlc3Q=\n"),
        "334 UGFzc3dvcmQ6\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "YnVpbGRlcg==\n"),
        "235 2.7.0 Authentication successful\n"
    );

    let (mut s, mut mta) = submission_in_tls();
    let wrong = base64::encode(b"\0alice@northwind.test\0guess");
    assert_eq!(
        run(&mut s, &mut mta, &format!("AUTH PLAIN {wrong}\n")),
        "535 5.7.8 Error: authentication failed\n"
    );
    assert_eq!(s.info().authenticated, None);
    assert_eq!(
        run(&mut s, &mut mta, "AUTH LOGIN\n*\n"),
        "334 VXNlcm5hbWU6\n501 5.7.0 Authentication aborted\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "AUTH PLAIN\n!!!\n"),
        "334 \n501 5.5.2 Cannot Base64-decode Client responses\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "AUTH CRAM-MD5\n"),
        "504 5.5.4 Unrecognized authentication type\n"
    );
    assert_eq!(
        run(&mut s, &mut mta, "AUTH\n"),
        "501 5.5.4 Syntax: AUTH mechanism\n"
    );
}
