//! End-to-end sessions that go wrong: refused, unauthenticated, without the TLS they need,
//! cut off, timed out, turned away at the greeting, and parameters a server did not offer.

use super::*;

#[test]
fn submission_without_auth_is_refused_for_everyone() {
    let mut server = ServerSession::new(
        ServerConfig::submission("smtp.northwind.test"),
        VirtualTime::ZERO,
    );
    let config = ClientConfig {
        tls: TlsPolicy::Required,
        pipelining: false,
        ..ClientConfig::relay("laptop.test")
    };
    let env = envelope(
        "alice@northwind.test",
        &["bob@southbay.test", "carol@northwind.test"],
    );
    let mut client = ClientSession::new(config, env, LETTER.to_vec());
    let (transcript, outcome) = converse(&mut client, &mut server, &mut TestMta::new(), None);
    assert!(transcript.contains("C: MAIL FROM:<alice@northwind.test> SIZE=110\nS: 530 5.7.0 Authentication required\nC: QUIT\n"));
    let outcome = outcome.expect("client finished");
    let failure = outcome.failure.expect("session failure");
    assert_eq!(failure.stage, Stage::Mail);
    assert!(outcome.recipients.iter().all(
        |(_, o)| matches!(o, RecipientOutcome::Failed(Diagnostic::Remote(r)) if r.code == 530)
    ));
}

#[test]
fn wrong_password_fails_with_535() {
    let mut server = ServerSession::new(
        ServerConfig::submissions("smtp.northwind.test"),
        VirtualTime::ZERO,
    );
    let mut config = ClientConfig::submission("laptop.test", "alice@northwind.test", "guess");
    config.tls = TlsPolicy::Implicit;
    config.credentials.as_mut().expect("set").mechanism = AuthMechanism::Login;
    let mut client = ClientSession::new(
        config,
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    );
    let (transcript, outcome) = converse(&mut client, &mut server, &mut TestMta::new(), None);
    assert!(transcript.contains(
        "C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: YWxpY2VAbm9ydGh3aW5kLnRlc3Q=\nS: 334 UGFzc3dvcmQ6\nC: Z3Vlc3M=\nS: 535 5.7.8 Error: authentication failed\nC: QUIT\nS: 221 2.0.0 Bye\n"
    ), "{transcript}");
    // Implicit TLS: STARTTLS is neither offered nor sent.
    assert!(!transcript.contains("STARTTLS"));
    let outcome = outcome.expect("client finished");
    assert_eq!(outcome.failure.map(|f| f.stage), Some(Stage::Auth));
}

#[test]
fn required_tls_not_offered_defers() {
    let mut config = ServerConfig::mx("mx.southbay.test");
    config.offer_starttls = false;
    let mut server = ServerSession::new(config, VirtualTime::ZERO);
    let client_config = ClientConfig {
        tls: TlsPolicy::Required,
        ..ClientConfig::relay("smtp.northwind.test")
    };
    let mut client = ClientSession::new(
        client_config,
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    );
    let (transcript, outcome) = converse(&mut client, &mut server, &mut TestMta::new(), None);
    assert!(
        transcript.ends_with("S: 250 DSN\nC: QUIT\nS: 221 2.0.0 Bye\n"),
        "{transcript}"
    );
    let outcome = outcome.expect("client finished");
    assert!(matches!(
        &outcome.recipients[0].1,
        RecipientOutcome::Deferred(Diagnostic::Local { status, .. }) if *status == EnhancedStatus::new(4, 7, 4)
    ));
}

#[test]
fn lost_connection_defers_every_recipient() {
    let mut client = ClientSession::new(
        ClientConfig::relay("smtp.northwind.test"),
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    )
    .with_start(VirtualTime::ZERO);
    client.handle_input(b"220 mx.southbay.test ESMTP\r\n", VirtualTime::ZERO);
    assert_eq!(
        client.poll_output(),
        Some(ClientOutput::Transmit(
            b"EHLO smtp.northwind.test\r\n".to_vec()
        ))
    );
    client.handle_close();
    let Some(ClientOutput::Event(outcome)) = client.poll_output() else {
        panic!("no outcome")
    };
    assert_eq!(client.poll_output(), Some(ClientOutput::Close));
    assert_eq!(
        outcome.failure.as_ref().map(|f| f.stage),
        Some(Stage::Hello)
    );
    assert!(matches!(
        &outcome.recipients[0].1,
        RecipientOutcome::Deferred(Diagnostic::Local { text, .. }) if text.contains("lost connection")
    ));
}

#[test]
fn client_times_out_waiting_for_the_greeting() {
    let mut client = ClientSession::new(
        ClientConfig::relay("smtp.northwind.test"),
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    )
    .with_start(VirtualTime::ZERO);
    assert_eq!(client.poll_timeout(), Some(VirtualTime::from_secs(300)));
    client.handle_timeout(VirtualTime::from_secs(299));
    assert_eq!(client.poll_output(), None);
    client.handle_timeout(VirtualTime::from_secs(300));
    let Some(ClientOutput::Event(outcome)) = client.poll_output() else {
        panic!("no outcome")
    };
    assert!(matches!(
        &outcome.recipients[0].1,
        RecipientOutcome::Deferred(_)
    ));
    assert_eq!(client.poll_timeout(), None);
}

#[test]
fn server_421_ends_the_session_deferred() {
    let mut client = ClientSession::new(
        ClientConfig::relay("smtp.northwind.test"),
        envelope("alice@northwind.test", &["bob@southbay.test"]),
        LETTER.to_vec(),
    );
    client.handle_input(b"421 4.3.2 Service shutting down\r\n", VirtualTime::ZERO);
    let Some(ClientOutput::Event(outcome)) = client.poll_output() else {
        panic!("no outcome")
    };
    assert!(
        matches!(&outcome.recipients[0].1, RecipientOutcome::Deferred(Diagnostic::Remote(r)) if r.code == 421)
    );
    assert_eq!(client.poll_output(), Some(ClientOutput::Close));
}

#[test]
fn eight_bit_and_dsn_parameters_only_when_advertised() {
    let mut env = envelope("alice@northwind.test", &["bob@southbay.test"]);
    env.ret = Some(Ret::Hdrs);
    env.envid = Some("QQ314159".into());
    env.recipients[0].notify = Some(Notify::On {
        success: false,
        failure: true,
        delay: true,
    });
    env.recipients[0].orcpt = Some("rfc822;bob@southbay.test".into());
    let message = "Subject: caf\u{e9}\r\n\r\nna\u{ef}ve\r\n"
        .as_bytes()
        .to_vec();
    let mut server = ServerSession::new(ServerConfig::mx("mx.southbay.test"), VirtualTime::ZERO);
    let config = ClientConfig {
        tls: TlsPolicy::None,
        ..ClientConfig::relay("smtp.northwind.test")
    };
    let mut client = ClientSession::new(config, env, message.clone());
    let mut mta = TestMta::new();
    let (transcript, _) = converse(&mut client, &mut server, &mut mta, None);
    assert!(transcript.contains(&format!(
        "C: MAIL FROM:<alice@northwind.test> SIZE={} BODY=8BITMIME RET=HDRS ENVID=QQ314159\n",
        message.len()
    )));
    assert!(transcript.contains(
        "C: RCPT TO:<bob@southbay.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob@southbay.test\n"
    ));
    let stored = &mta.stored[0].1;
    assert!(stored.body_8bit);
    assert_eq!(stored.ret, Some(Ret::Hdrs));
    assert_eq!(
        stored.recipients[0].orcpt.as_deref(),
        Some("rfc822;bob@southbay.test")
    );
    assert_eq!(mta.stored[0].2, message);
}
