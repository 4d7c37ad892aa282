//! `mailflow-lab serve` against real sockets: the same machines as in the browser serve a
//! client over TCP, with real TLS, many at once, and lose nothing when one vanishes.
#![cfg(all(not(target_arch = "wasm32"), feature = "lab"))]

#[path = "serve/lab.rs"]
mod lab;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use lab::{body_of, eventually, Lab, Line, BIN};

/// `\0alice@northwind.test\0wonderland` (RFC 4616).
const ALICE_PLAIN: &str = "AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=";

/// A body with what trips naive servers: a leading dot, a lone dot line, trailing spaces,
/// and a line that is only a space.
const BODY: &str = "Hello Bob,\r\n.leading dot\r\n.\r\nspaces at the end   \r\n \r\nAlice\r\n";

fn message(subject: &str) -> String {
    format!("From: alice@northwind.test\r\nTo: bob@southbay.test\r\nSubject: {subject}\r\n\r\n{BODY}")
}

/// RFC 5321 4.5.2: every line that starts with a dot gets another.
fn dot_stuffed(text: &str) -> String {
    text.split_inclusive("\r\n").map(|l| if l.starts_with('.') { format!(".{l}") } else { l.to_owned() }).collect()
}

/// Submit as Alice on the submission port; returns the `250 ... queued as` reply.
fn submit<S: Read + Write>(c: &mut Line<S>, subject: &str) -> String {
    assert!(c.smtp("MAIL FROM:<alice@northwind.test>").starts_with("250"));
    assert!(c.smtp("RCPT TO:<bob@southbay.test>").starts_with("250"));
    assert!(c.smtp("DATA").starts_with("354"));
    c.send(&dot_stuffed(&message(subject)));
    c.smtp(".")
}

/// How many messages Bob has, asked over POP3.
fn bob_count(lab: &Lab) -> usize {
    let mut p = lab.connect("pop3");
    p.line();
    p.send("USER bob@southbay.test\r\n");
    p.line();
    p.send("PASS builder\r\n");
    assert!(p.line().starts_with("+OK"));
    p.send("STAT\r\n");
    let stat = p.line();
    p.send("QUIT\r\n");
    p.line();
    stat.split(' ').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn a_submitted_letter_is_fetched_over_pop3_and_imap_byte_for_byte() {
    let lab = Lab::start(&[]);
    let mut c = lab.connect("submission");
    assert_eq!(c.line(), "220 smtp.northwind.test ESMTP");
    assert!(c.smtp("EHLO client.test").contains("250-AUTH PLAIN LOGIN"));
    assert!(c.smtp(&format!("AUTH PLAIN {ALICE_PLAIN}")).starts_with("235"));
    assert!(submit(&mut c, "over tcp").starts_with("250 2.0.0 Ok: queued as"));
    assert!(c.smtp("QUIT").starts_with("221"));

    eventually("delivery to Bob", || bob_count(&lab) == 1);

    let mut p = lab.connect("pop3");
    p.line();
    p.send("USER bob@southbay.test\r\nPASS builder\r\n");
    p.line();
    p.line();
    p.send("RETR 1\r\n");
    assert!(p.line().starts_with("+OK"));
    let popped = p.pop3_multiline();
    p.send("QUIT\r\n");
    p.line();
    assert_eq!(String::from_utf8_lossy(body_of(&popped)), BODY);

    let mut m = lab.connect("imap");
    m.line();
    assert!(m.imap("a", "LOGIN bob@southbay.test builder").1.starts_with("a OK"));
    assert!(m.imap("b", "SELECT INBOX").1.starts_with("b OK"));
    let (fetched, done) = m.imap("c", "FETCH 1 BODY.PEEK[]");
    assert!(done.starts_with("c OK"), "{done}");
    let whole = fetched.iter().find(|f| f.starts_with(b"* 1 FETCH")).expect("a FETCH response");
    let literal = &whole[whole.iter().position(|&b| b == b'\n').expect("literal") + 1..];
    assert_eq!(String::from_utf8_lossy(body_of(literal)), format!("{BODY})"), "the literal, then the closing paren");
    assert_eq!(&literal[..literal.len() - 1], &popped[..], "POP3 and IMAP serve the same bytes");
    m.imap("d", "LOGOUT");

    lab.wait_for("C: RETR 1");
}

#[test]
fn fifty_clients_at_once_are_all_served() {
    let lab = Lab::start(&[]);
    let started = Instant::now();
    let services = ["smtp", "submission", "pop3", "imap"];
    let mut clients: Vec<(&str, Line<TcpStream>)> = (0..50)
        .map(|i| {
            let service = services[i % services.len()];
            (service, lab.connect(service))
        })
        .collect();
    // Every one is greeted while all fifty are open.
    for (service, c) in &mut clients {
        let greeting = c.line();
        let expected = match *service {
            "pop3" => "+OK",
            "imap" => "* OK",
            _ => "220 ",
        };
        assert!(greeting.starts_with(expected), "{service}: {greeting}");
    }
    // And each still answers a command.
    for (service, c) in &mut clients {
        match *service {
            "pop3" => {
                c.send("QUIT\r\n");
                assert!(c.line().starts_with("+OK"));
            }
            "imap" => assert!(c.imap("z", "LOGOUT").1.starts_with("z OK")),
            _ => assert!(c.smtp("QUIT").starts_with("221")),
        }
    }
    eprintln!("50 connections greeted and closed in {:?}", started.elapsed());
}

#[test]
fn a_client_that_vanishes_mid_data_leaves_no_half_message() {
    let lab = Lab::start(&[]);
    {
        let mut c = lab.connect("smtp");
        c.line();
        c.smtp("EHLO client.test");
        assert!(c.smtp("MAIL FROM:<someone@elsewhere.test>").starts_with("250"));
        assert!(c.smtp("RCPT TO:<bob@southbay.test>").starts_with("250"));
        assert!(c.smtp("DATA").starts_with("354"));
        c.send("Subject: cut\r\n\r\nhalf a mess");
    } // dropped: the socket closes mid-DATA
    lab.wait_for("close");

    let mut c = lab.connect("smtp");
    c.line();
    c.smtp("EHLO client.test");
    assert!(c.smtp("MAIL FROM:<someone@elsewhere.test>").starts_with("250"));
    assert!(c.smtp("RCPT TO:<bob@southbay.test>").starts_with("250"));
    assert!(c.smtp("DATA").starts_with("354"));
    assert!(c.smtp("Subject: whole\r\n\r\nall of it\r\n.").starts_with("250"));
    c.smtp("QUIT");

    eventually("delivery of the whole letter", || bob_count(&lab) >= 1);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(bob_count(&lab), 1, "only the whole letter arrived");
    let transcript = lab.output.lock().expect("lock").join("\n");
    assert_eq!(transcript.matches("queued as").count(), 1, "one message accepted:\n{transcript}");
}

/// Accepts the lab's self-signed certificate, but still checks the handshake's signatures.
#[derive(Debug)]
struct TrustTheLab(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for TrustTheLab {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

type Tls = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

/// Start TLS on a socket whose clear part is over.
fn handshake(stream: TcpStream) -> Line<Tls> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(TrustTheLab(provider)))
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("smtp.northwind.test").expect("name");
    let connection = rustls::ClientConnection::new(Arc::new(config), name).expect("client");
    Line::new(rustls::StreamOwned::new(connection, stream))
}

#[test]
fn starttls_is_real_tls() {
    let lab = Lab::start(&[]);
    let mut c = lab.connect("submission");
    c.line();
    assert!(c.smtp("EHLO client.test").contains("250-STARTTLS"));
    assert_eq!(c.smtp("STARTTLS"), "220 2.0.0 Ready to start TLS");
    let mut t = handshake(c.stream);
    let ehlo = t.smtp("EHLO client.test");
    assert!(!ehlo.contains("STARTTLS") && ehlo.contains("AUTH PLAIN LOGIN"), "{ehlo}");
    assert!(t.stream.conn.negotiated_cipher_suite().is_some());
    assert!(t.smtp(&format!("AUTH PLAIN {ALICE_PLAIN}")).starts_with("235"));
    assert!(submit(&mut t, "inside tls").starts_with("250"));
    assert!(t.smtp("QUIT").starts_with("221"));
    lab.wait_for("tls C: QUIT");

    // IMAP's STARTTLS too, and the letter is there.
    eventually("delivery to Bob", || bob_count(&lab) == 1);
    let mut m = lab.connect("imap");
    m.line();
    assert!(m.imap("a", "STARTTLS").1.starts_with("a OK"));
    let mut m = handshake(m.stream);
    assert!(m.imap("b", "LOGIN bob@southbay.test builder").1.starts_with("b OK"));
    let (untagged, done) = m.imap("c", "SELECT INBOX");
    assert!(done.starts_with("c OK") && untagged.iter().any(|u| u == b"* 1 EXISTS\r\n"), "{done}");
}

#[test]
fn submissions_is_tls_from_the_first_byte() {
    let lab = Lab::start(&[]);
    let mut t = handshake(lab.connect("submissions").stream);
    // RFC 8314 3.3: the greeting is the first thing inside TLS.
    assert_eq!(t.line(), "220 smtp.northwind.test ESMTP");
    assert!(t.stream.conn.negotiated_cipher_suite().is_some());
    let ehlo = t.smtp("EHLO client.test");
    assert!(!ehlo.contains("STARTTLS") && ehlo.contains("AUTH PLAIN LOGIN"), "{ehlo}");
    assert_eq!(t.smtp("STARTTLS"), "554 5.5.1 Error: TLS already active");
    assert!(t.smtp(&format!("AUTH PLAIN {ALICE_PLAIN}")).starts_with("235"));
    assert!(submit(&mut t, "implicit tls").starts_with("250 2.0.0 Ok: queued as"));
    assert!(t.smtp("QUIT").starts_with("221"));
    lab.wait_for("-> smtp.northwind.test:465 (submissions)");
    lab.wait_for("tls C: QUIT");
    eventually("delivery to Bob", || bob_count(&lab) == 1);
}

#[test]
fn imaps_and_pop3s_are_tls_from_the_first_byte_on_993_and_995() {
    let lab = Lab::start(&[]);
    let mut c = lab.connect("submission");
    c.line();
    c.smtp("EHLO client.test");
    assert!(c.smtp(&format!("AUTH PLAIN {ALICE_PLAIN}")).starts_with("235"));
    submit(&mut c, "for imaps");
    c.smtp("QUIT");
    eventually("delivery to Bob", || bob_count(&lab) == 1);

    let mut m = handshake(lab.connect("imaps").stream);
    let greeting = m.line();
    assert!(greeting.starts_with("* OK"), "{greeting}");
    let (caps, done) = m.imap("a", "CAPABILITY");
    let caps = String::from_utf8_lossy(&caps.concat()).into_owned();
    assert!(done.starts_with("a OK") && !caps.contains("STARTTLS") && !caps.contains("LOGINDISABLED"), "{caps}");
    assert!(!m.imap("b", "STARTTLS").1.starts_with("b OK"), "no STARTTLS inside TLS");
    assert!(m.imap("c", "LOGIN bob@southbay.test builder").1.starts_with("c OK"));
    let (untagged, done) = m.imap("d", "SELECT INBOX");
    assert!(done.starts_with("d OK") && untagged.iter().any(|u| u == b"* 1 EXISTS\r\n"), "{done}");
    assert!(m.imap("e", "LOGOUT").1.starts_with("e OK"));
    lab.wait_for(":993 (imap)");
    lab.wait_for("tls C: e LOGOUT");

    let mut p = handshake(lab.connect("pop3s").stream);
    assert!(p.line().starts_with("+OK"));
    p.send("CAPA\r\n");
    assert!(p.line().starts_with("+OK"));
    let capa = String::from_utf8_lossy(&p.pop3_multiline()).into_owned();
    assert!(!capa.contains("STLS") && capa.contains("USER"), "{capa}");
    p.send("USER bob@southbay.test\r\nPASS builder\r\nSTAT\r\n");
    p.line();
    assert!(p.line().starts_with("+OK"));
    assert!(p.line().starts_with("+OK 1 "));
    p.send("QUIT\r\n");
    assert!(p.line().starts_with("+OK"));
    lab.wait_for(":995 (pop3)");
}

#[test]
fn a_client_speaking_clear_text_to_an_implicit_tls_port_gets_no_greeting() {
    let lab = Lab::start(&[]);
    let mut c = lab.connect("imaps");
    c.send("a LOGIN bob@southbay.test builder\r\n");
    // rustls answers the non-TLS bytes with an alert and the lab closes: no password was read.
    let mut rest = Vec::new();
    let _ = c.stream.read_to_end(&mut rest);
    assert!(!String::from_utf8_lossy(&rest).contains("OK"), "{rest:?}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let transcript = lab.output.lock().expect("lock").join("\n");
    assert!(!transcript.contains("C: a LOGIN"), "{transcript}");
}

#[test]
fn the_helo_only_port_refuses_ehlo_and_takes_mail_after_helo() {
    let lab = Lab::start(&[]);
    let mut c = lab.connect("helo-only");
    let greeting = c.line();
    assert!(greeting.starts_with("220 ") && !greeting.contains("ESMTP"), "{greeting}");
    assert_eq!(c.smtp("EHLO client.test"), "500 Command unrecognized");
    assert_eq!(c.smtp("HELO client.test"), "250 smtp.northwind.test");
    assert_eq!(c.smtp("MAIL FROM:<someone@elsewhere.test>"), "250 Ok");
    assert_eq!(c.smtp("RCPT TO:<bob@southbay.test>"), "250 Ok");
    assert!(c.smtp("DATA").starts_with("354"));
    assert!(c.smtp("Subject: old school\r\n\r\nHELO only.\r\n.").starts_with("250 Ok: queued as"));
    c.smtp("QUIT");
    eventually("delivery to Bob", || bob_count(&lab) == 1);
}

#[test]
fn stdio_speaks_one_session_and_the_transcript_goes_to_stderr() {
    let mut child = Command::new(BIN)
        .args(["serve", "--stdio", "smtp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let session = "EHLO client.test\r\nMAIL FROM:<someone@elsewhere.test>\r\nRCPT TO:<bob@southbay.test>\r\nDATA\r\n\
                   Subject: piped\r\n\r\nhello\r\n.\r\nQUIT\r\n";
    child.stdin.take().expect("stdin").write_all(session.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("ends");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.starts_with("220 ")
            && stdout.contains("250 2.0.0 Ok: queued as")
            && stdout.ends_with("221 2.0.0 Bye\r\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("#1"), "no transcript on stdout");
    // The world carried the letter on to Bob's mailbox.
    assert!(stderr.contains("C: QUIT") && stderr.contains("via mail.southbay.test"), "{stderr}");
}

/// A wrong command line is clap's to refuse: `error: ` and what was wrong on the first line,
/// status 2, nothing on stdout.
#[test]
fn bad_options_exit_2_with_a_message() {
    for args in [&["serve", "--smtp-port", "nope"][..], &["serve", "--time-scale", "-1"], &["serve", "--frobnicate"]] {
        let out = Command::new(BIN).args(args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let first = stderr.lines().next().unwrap_or("");
        assert!(first.starts_with("error: ") && first.contains(args[1]), "{stderr}");
        assert!(!stderr.contains("panicked") && out.stdout.is_empty(), "{stderr}");
    }
    // No command at all: the help, on stderr.
    let out = Command::new(BIN).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: mailflow-lab <COMMAND>"));
    let out = Command::new(BIN).args(["serve", "no-such-world"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "a well-formed command that cannot be carried out");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("mailflow-lab: no-such-world"), "{stderr}");
}

/// Asked for, the help goes to stdout and the command succeeds.
#[test]
fn serve_help_lists_every_port() {
    let out = Command::new(BIN).args(["serve", "--help"]).output().expect("runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for kind in ["smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps", "helo-only"] {
        assert!(help.contains(&format!("--{kind}-port <PORT>")), "{kind}: {help}");
    }
    assert!(help.contains("[default: 2525]") && help.contains("loopback"), "{help}");
}
