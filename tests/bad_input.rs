//! The bad-input sweep (docs/bad-input.md): each entry point of the app and the lab tried with
//! malformed, oversized, non-UTF-8 and hostile input. Each gets a clear answer, the session or
//! the app goes on, nothing the user had is lost, and message content stays text.
//! Protocol-level cases that live next to the code are listed in the doc; these are the ones
//! that cross modules (the world's outside clients, the player, the link, the scenario file).
#![cfg(not(target_arch = "wasm32"))]

mod common;


use common::{edited, run_edited};
use mailflow::engine::scenario::{Scenario, Service};
use mailflow::engine::time::VirtualTime;
use mailflow::engine::world::{ExternalId, ExternalOutput, Listener, Simulator};
use mailflow::player::inspect::inspect;
use mailflow::player::link::{parse_link, ScenarioRef};
use mailflow::player::Player;

/// A port as `mailflow-lab serve` opens it to real clients (no TLS, passwords in clear).
fn live_lab(service: Service) -> Listener {
    Listener { offer_tls: false, plaintext_auth: true, offer_apop: true, ..Listener::simulated(service) }
}

fn drain(sim: &mut Simulator, x: ExternalId) -> String {
    let mut text = String::new();
    while let Some(out) = sim.poll_external(x) {
        match out {
            ExternalOutput::Transmit(bytes) => {
                assert!(bytes.ends_with(b"\r\n"), "whole lines only: {:?}", String::from_utf8_lossy(&bytes));
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
            ExternalOutput::StartTls => text.push_str("<tls>"),
            ExternalOutput::Close => text.push_str("<close>"),
        }
    }
    text
}

fn send(sim: &mut Simulator, x: ExternalId, bytes: &[u8]) -> String {
    sim.external_input(x, bytes);
    drain(sim, x)
}

/// The first-letter world with nobody acting but the outside client.
fn quiet_world() -> Scenario {
    Scenario::from_json(&edited("first-letter", |t| t["actions"] = serde_json::json!([]))).unwrap()
}

/// `\0alice@northwind.test\0wonderland` (RFC 4616).
const ALICE_PLAIN: &[u8] = b"AUTH PLAIN AGFsaWNlQG5vcnRod2luZC50ZXN0AHdvbmRlcmxhbmQ=\r\n";

fn line_of(n: usize) -> Vec<u8> {
    let mut line = vec![b'A'; n];
    line.extend_from_slice(b"\r\n");
    line
}

/// A message as a user might paste it: HTML in the subject and body, octets that are not
/// UTF-8, a bare LF, a line of 5,000 characters (RFC 5321 4.5.3.1.6 says 1,000; Postfix takes
/// longer ones, and so does Mailflow), and a line that starts with a dot.
fn hostile_message() -> Vec<u8> {
    let mut m = b"Subject: <script>alert('x')</script><b>Lunch</b>\r\n\
From: <alice@northwind.test>\r\n\r\n\
<img src=x onerror=alert(1)>\r\n\xff\xfe not UTF-8\r\nbare\nLF\r\n"
        .to_vec();
    m.extend(vec![b'x'; 5000]);
    m.extend_from_slice(b"\r\n.a leading dot\r\n");
    m
}

#[test]
fn typed_smtp_lines_that_are_too_long_not_text_or_empty_are_refused_and_the_session_goes_on() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(live_lab(Service::Submission), "127.0.0.1", 50000).unwrap();
    drain(&mut sim, x);
    assert!(send(&mut sim, x, b"EHLO client.example\r\n").starts_with("250-smtp.northwind.test\r\n"));
    // RFC 5321 4.5.3.1.4: a command line is at most 512 octets.
    assert_eq!(send(&mut sim, x, &line_of(100_000)), "500 5.5.2 Error: line too long\r\n");
    assert_eq!(send(&mut sim, x, b"NOOP \xff\xfe\r\n"), "500 5.5.2 Error: bad syntax\r\n");
    assert_eq!(send(&mut sim, x, b"NO\0OP\r\n"), "500 5.5.2 Error: bad syntax\r\n");
    assert_eq!(send(&mut sim, x, b"\r\n"), "500 5.5.2 Error: bad syntax\r\n");
    // A SIZE that does not fit any integer is a syntax error; one that fits but is too
    // large is refused before a byte of the message is sent (RFC 1870 6).
    send(&mut sim, x, ALICE_PLAIN);
    assert_eq!(
        send(&mut sim, x, b"MAIL FROM:<alice@northwind.test> SIZE=99999999999999999999999\r\n"),
        "501 5.5.4 Bad message size syntax\r\n"
    );
    assert_eq!(
        send(&mut sim, x, b"MAIL FROM:<alice@northwind.test> SIZE=99999999999\r\n"),
        "552 5.3.4 Message size exceeds fixed limit\r\n"
    );
    assert_eq!(send(&mut sim, x, b"NOOP\r\n"), "250 2.0.0 Ok\r\n");
}

#[test]
fn a_pasted_message_with_html_and_binary_is_delivered_byte_for_byte() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(live_lab(Service::Submission), "127.0.0.1", 50001).unwrap();
    drain(&mut sim, x);
    send(&mut sim, x, b"EHLO client.example\r\n");
    send(&mut sim, x, ALICE_PLAIN);
    send(&mut sim, x, b"MAIL FROM:<alice@northwind.test>\r\nRCPT TO:<bob@southbay.test>\r\n");
    assert_eq!(send(&mut sim, x, b"DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
    let mut data = hostile_message();
    // Dot-stuffed on the wire (RFC 5321 4.5.2).
    let stuffed = data.windows(3).position(|w| w == b"\n.a").unwrap() + 1;
    data.insert(stuffed, b'.');
    data.extend_from_slice(b".\r\n");
    assert!(send(&mut sim, x, &data).starts_with("250 2.0.0 Ok: queued as "));
    sim.advance_to(VirtualTime::from_secs(60));
    let bob = sim.hosts().iter().find(|h| h.name == "mail.southbay.test").unwrap();
    let inbox = bob.store.messages("bob@southbay.test");
    assert_eq!(inbox.len(), 1);
    let stored = inbox[0].message.as_bytes();
    // Received: and the other trace fields go on top; the user's bytes are kept as sent.
    assert!(stored.ends_with(&hostile_message()), "{}", String::from_utf8_lossy(stored));
}

#[test]
fn a_pasted_message_over_the_size_limit_is_refused_and_nothing_is_delivered() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(live_lab(Service::Submission), "127.0.0.1", 50002).unwrap();
    drain(&mut sim, x);
    send(&mut sim, x, b"EHLO client.example\r\n");
    send(&mut sim, x, ALICE_PLAIN);
    send(&mut sim, x, b"MAIL FROM:<alice@northwind.test>\r\nRCPT TO:<bob@southbay.test>\r\nDATA\r\n");
    // 11 MB against the 10 MiB limit the server announces (`SIZE 10485760`).
    let mut huge = Vec::with_capacity(11 << 20);
    while huge.len() < 11 << 20 {
        huge.extend_from_slice(&[b'y'; 998]);
        huge.extend_from_slice(b"\r\n");
    }
    huge.extend_from_slice(b".\r\n");
    assert_eq!(send(&mut sim, x, &huge), "552 5.3.4 Message size exceeds fixed limit\r\n");
    assert_eq!(send(&mut sim, x, b"NOOP\r\n"), "250 2.0.0 Ok\r\n");
    sim.advance_to(VirtualTime::from_secs(600));
    let bob = sim.hosts().iter().find(|h| h.name == "mail.southbay.test").unwrap();
    assert!(bob.store.messages("bob@southbay.test").is_empty());
}

#[test]
fn typed_imap_lines_and_literals_of_two_to_the_31_are_refused() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(live_lab(Service::Imap), "127.0.0.1", 50003).unwrap();
    drain(&mut sim, x);
    assert!(send(&mut sim, x, b"a LOGIN bob@southbay.test builder\r\n").starts_with("a OK "));
    // Literals announced far over the 25 MiB limit, 2^31, 2^32 and past 2^64: refused before
    // a byte is sent (RFC 9051 7.6), the number never allocated.
    assert_eq!(send(&mut sim, x, b"b APPEND INBOX {2147483648}\r\n"), "b NO [TOOBIG] Literal too large.\r\n");
    assert_eq!(send(&mut sim, x, b"c APPEND INBOX {4294967296}\r\n"), "c NO [TOOBIG] Literal too large.\r\n");
    assert_eq!(
        send(&mut sim, x, b"d APPEND INBOX {18446744073709551616}\r\n"),
        "d NO [TOOBIG] Literal too large.\r\n"
    );
    // Dovecot's 64 KiB line limit.
    assert_eq!(send(&mut sim, x, &line_of(100_000)), "* BAD Too long argument.\r\n");
    assert_eq!(
        send(&mut sim, x, b"e SELECT \xff\r\n"),
        "e BAD Error in IMAP command SELECT: Invalid arguments.\r\n"
    );
    // A pasted message in APPEND: stored and fetched back byte for byte.
    let message = hostile_message();
    let announce = format!("f APPEND INBOX {{{}}}\r\n", message.len());
    assert_eq!(send(&mut sim, x, announce.as_bytes()), "+ OK\r\n");
    let mut rest = message.clone();
    rest.extend_from_slice(b"\r\n");
    assert!(send(&mut sim, x, &rest).contains("f OK [APPENDUID "));
    send(&mut sim, x, b"g SELECT INBOX\r\n");
    let fetched = {
        sim.external_input(x, b"h FETCH 1 BODY.PEEK[]\r\n");
        let mut bytes = Vec::new();
        while let Some(out) = sim.poll_external(x) {
            if let ExternalOutput::Transmit(b) = out {
                bytes.extend(b);
            }
        }
        bytes
    };
    let head = format!("* 1 FETCH (BODY[] {{{}}}\r\n", message.len());
    assert!(fetched.starts_with(head.as_bytes()), "{}", String::from_utf8_lossy(&fetched));
    assert_eq!(&fetched[head.len()..head.len() + message.len()], &message[..]);
    // A non-synchronizing literal of 2^31 is already on its way: the server cannot refuse it
    // in time, so it says BYE and hangs up (RFC 7888 4); the appended letter stays.
    assert_eq!(send(&mut sim, x, b"i APPEND INBOX {2147483648+}\r\n"), "* BYE Literal too large.\r\n<close>");
    let bob = sim.hosts().iter().find(|h| h.name == "mail.southbay.test").unwrap();
    assert_eq!(bob.store.messages("bob@southbay.test").len(), 1);
}

#[test]
fn typed_pop3_lines_that_are_too_long_or_not_text_are_refused() {
    let s = quiet_world();
    let mut sim = Simulator::new(&s);
    let x = sim.connect_external(live_lab(Service::Pop3), "127.0.0.1", 50004).unwrap();
    drain(&mut sim, x);
    assert_eq!(send(&mut sim, x, b"USER bob@southbay.test\r\n"), "+OK\r\n");
    assert_eq!(send(&mut sim, x, &line_of(100_000)), "-ERR Input line too long.\r\n");
    assert_eq!(send(&mut sim, x, b"PASS \xff\r\n"), "-ERR Invalid characters in command.\r\n");
    assert_eq!(send(&mut sim, x, b"PASS builder\r\n"), "+OK Logged in.\r\n");
    assert_eq!(
        send(&mut sim, x, b"RETR 99999999999999999999\r\n"),
        "-ERR Invalid message number: 99999999999999999999\r\n"
    );
    assert_eq!(send(&mut sim, x, b"TOP 1 4294967295\r\n"), "-ERR There's no message 1.\r\n");
    assert_eq!(send(&mut sim, x, b"QUIT\r\n"), "+OK Logging out.\r\n<close>");
}

const HOSTILE_SUBJECT: &str = "<script>alert('x')</script><b>Lunch</b> & <i>more</i>";

#[test]
fn html_in_a_subject_and_body_is_carried_and_shown_as_text() {
    let trace = run_edited("first-letter", |t| {
        t["actions"][0]["send"]["subject"] = HOSTILE_SUBJECT.into();
        t["actions"][0]["send"]["body"] = "<img src=x onerror=alert(1)>\n<a href=\"javascript:alert(2)\">click</a>\n".into();
    });
    // The player's letter (drawn in the diagram's `<title>`) has the subject as written.
    let player = Player::new(std::rc::Rc::new(trace.clone()));
    let scene = player.scene_at(player.len() - 1);
    let letter = scene.letters.iter().find(|l| !l.is_notice()).expect("Alice's letter");
    assert_eq!(letter.subject.as_deref(), Some(HOSTILE_SUBJECT));
    // The inspector's header list and MIME parts: the same characters, unescaped, because
    // the UI puts them in text nodes (see `the_ui_never_renders_raw_html`).
    let inspection = inspect(&trace.events, trace.events.len(), &letter.message_id).expect("inspectable");
    let subject = inspection.headers.iter().find(|h| h.name.eq_ignore_ascii_case("Subject")).unwrap();
    assert_eq!(subject.value, HOSTILE_SUBJECT);
    assert!(inspection.parts.iter().any(|p| p.text.contains("<img src=x onerror=alert(1)>")));
}

/// Yew's `html!` puts a `{ string }` in a text node (`VText`, the DOM's `createTextNode`), which
/// the browser never parses as markup. Writing raw HTML needs one of the APIs below: none is
/// used anywhere in the sources, so message content, scenario text and typed lines can only
/// ever be text.
#[test]
fn the_ui_never_renders_raw_html() {
    // Reading markup (`outer_html`, to save the diagram as SVG) is harmless; writing it is not.
    let forbidden = ["from_html_unchecked", "set_inner_html", "set_outer_html", "insert_adjacent_html", "create_contextual_fragment", "VRaw", "dangerously"];
    let src = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let files = common::files_below(src, &[], &|p| common::has_extension(p, &["rs"]));
    assert!(files.iter().any(|f| f.ends_with("ui/app.rs")), "the UI's sources were found");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for api in forbidden {
            assert!(!text.contains(api), "{} uses {api}: message content must stay text", file.display());
        }
    }
}

#[test]
fn a_scenario_file_of_10_mb_is_answered_in_words() {
    // 10 MB that is not JSON: the position of the first bad character.
    let garbage = "x".repeat(10 << 20);
    let e = Scenario::from_json(&garbage).unwrap_err().to_string();
    assert!(e.contains("line 1, column 1"), "{e}");
    // 10 MB of JSON that is a scenario but for one unknown field at its very end.
    let padded = edited("first-letter", |t| {
        t["summary"] = "lorem ipsum ".repeat((10 << 20) / 12).into();
        t["hosts"][1]["mailbox_hots"] = "typo".into();
    });
    assert!(padded.len() > 10 << 20);
    let e = Scenario::from_json(&padded).unwrap_err().to_string();
    assert!(e.starts_with("hosts[1].mailbox_hots: there is no field \"mailbox_hots\" here"), "{e}");
    // Without the typo it loads and runs: a long text costs nothing but its bytes.
    let padded = edited("first-letter", |t| t["summary"] = "lorem ipsum ".repeat((10 << 20) / 12).into());
    let scenario = Scenario::from_json(&padded).expect("a big but valid scenario loads");
    assert!(!mailflow::engine::world::simulate(&scenario).events.is_empty());
    // 100,000 nested arrays: answered at the first one that cannot be a domain; the stack
    // does not overflow (serde_json also stops at a depth of 128).
    let deep = format!("{{\"version\": 1, \"domains\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let e = Scenario::from_json(&deep).unwrap_err().to_string();
    assert!(e.starts_with("domains[0]") && e.contains("(line 1, column"), "{e}");
    let e = Scenario::from_json(&"[".repeat(100_000)).unwrap_err().to_string();
    assert!(e.contains("(line 1, column"), "{e}");
}

/// The WHATWG URL parser reads `\` as `/` in http(s) URLs, so `fetch("/\\evil.example/x.json")`
/// would go to `https://evil.example/x.json`: `same_host_json` refuses a backslash anywhere
/// (docs/bad-input.md).
#[test]
fn a_scenario_file_on_another_host_is_refused_however_its_slashes_are_written() {
    for value in ["/%5Cevil.example/x.json", "/\\evil.example/x.json", "%5C/evil.example/x.json"] {
        let (link, problems) = parse_link(&format!("?scenario={value}"), "", |_| false);
        assert!(!matches!(link.scenario, Some(ScenarioRef::File(_))), "{value}: {link:?}");
        assert!(problems[0].starts_with("scenario: "), "{value}: {problems:?}");
    }
}

#[test]
fn url_parameters_of_100_kb_are_refused_by_name() {
    let big = "9".repeat(100_000);
    let query = format!("?scenario={big}&step={big}&speed={big}&view={big}&embed={big}&theme={big}&autoplay={big}");
    let fragment = format!("#scenario={}", "A".repeat(100_000));
    let (link, problems) = parse_link(&query, &fragment, |name| name == "first-letter");
    // Every parameter keeps its default and says why, by name, quoting a bad value only in
    // part: a problem line stays readable.
    assert!(problems.iter().all(|p| p.chars().count() < 200), "{problems:?}");
    assert_eq!(link.scenario, None);
    assert_eq!(link.step, None);
    assert_eq!(link.speed, None);
    let names: Vec<&str> = problems.iter().map(|p| p.split_once(':').unwrap().0).collect();
    assert_eq!(names, ["scenario", "step", "speed", "view", "embed", "theme", "autoplay", "#scenario"]);
    assert!(problems[7].contains("at most 32000"), "{}", problems[7]);
    // Hostile values: a scenario file elsewhere, and HTML, are refused as presets or files.
    for value in ["https://evil.example/x.json", "//evil.example/x.json", "%5C%5Cevil.example/x.json", "<script>alert(1)</script>"] {
        let (link, problems) = parse_link(&format!("?scenario={value}"), "", |_| false);
        assert!(!matches!(link.scenario, Some(ScenarioRef::File(_))), "{value}");
        assert!(problems[0].starts_with("scenario: "), "{value}: {problems:?}");
    }
    // Non-UTF-8 in an escape: replaced, not trusted.
    let (_, problems) = parse_link("?step=%FF%FE", "", |_| false);
    assert!(problems[0].starts_with("step: \"\u{fffd}\u{fffd}\""), "{problems:?}");
}

/// `mailflow-lab trace` on a scenario file that is not UTF-8, and on a missing one: a
/// sentence naming the file, exit status 1, no panic.
#[cfg(feature = "lab")]
#[test]
fn the_command_line_refuses_a_file_that_is_not_text() {
    let dir = std::env::temp_dir().join(format!("mailflow-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("binary.json");
    std::fs::write(&file, b"{\"version\": 1, \"name\": \"\xff\xfe\"}").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mailflow-lab"))
        .args(["trace", file.to_str().unwrap()])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("binary.json") && stderr.contains("UTF-8"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The browser lab's terminal (`lab::live::Lab::type_line`, what a student types in a text box): a
/// 100 KB line, HTML and a NUL are answered like any client's, and the terminal goes on.
#[test]
fn the_browser_labs_terminal_answers_oversized_and_hostile_lines() {
    use mailflow::lab::live::Lab;
    let mut lab = Lab::new("first-letter").unwrap();
    let t = lab.open(Service::Submission).unwrap();
    lab.type_line(t, "EHLO <b>student</b>");
    lab.type_line(t, &"A".repeat(100_000));
    lab.type_line(t, "MAIL FROM:<<script>@x.test>");
    lab.type_line(t, "NO\0OP");
    lab.type_line(t, "NOOP");
    let answers: Vec<&str> =
        lab.terminals[t].lines.iter().filter(|l| !l.typed).map(|l| l.text.as_str()).collect();
    assert!(answers.contains(&"250-smtp.northwind.test"), "{answers:?}");
    assert!(answers.contains(&"500 5.5.2 Error: line too long"), "{answers:?}");
    assert_eq!(answers.last(), Some(&"250 2.0.0 Ok"), "{answers:?}");
    // The typed line is kept as typed: the terminal shows it as text.
    assert!(lab.terminals[t].lines.iter().any(|l| l.typed && l.text == "EHLO <b>student</b>"));
}

/// The browser lab's compose form (`lab::live::Lab::send`): a letter with HTML in its subject is sent
/// and delivered as text; one pasted over the size limit is refused by the server (the
/// client announces SIZE) and nothing is lost or half-delivered.
#[test]
fn the_browser_labs_compose_form_takes_html_and_refuses_an_oversized_letter() {
    use mailflow::engine::scenario::Send;
    use mailflow::engine::trace::EventKind;
    use mailflow::lab::live::Lab;
    let letter = |subject: &str, body: String| -> Send {
        serde_json::from_value(serde_json::json!({
            "device": "alice-laptop.northwind.test",
            "from": "alice@northwind.test",
            "to": ["bob@southbay.test"],
            "subject": subject,
            "body": body,
        }))
        .unwrap()
    };
    let mut lab = Lab::new("first-letter").unwrap();
    lab.send(&letter(HOSTILE_SUBJECT, "<img src=x onerror=alert(1)>\n".into())).unwrap();
    lab.tick(60_000);
    // 11.7 MB in lines of 72: over the 10 MiB the server announces.
    lab.send(&letter("big", ("z".repeat(72) + "\n").repeat(160_000))).unwrap();
    lab.tick(60_000);
    let delivered: Vec<String> = lab
        .trace()
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Delivered(d) if d.user == "bob@southbay.test" => Some(d.message.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(delivered.len(), 1, "only the first letter arrives");
    assert!(delivered[0].contains(&format!("Subject: {HOSTILE_SUBJECT}")), "{}", &delivered[0][..500.min(delivered[0].len())]);
    let lines: Vec<String> = lab
        .trace()
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Line { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(lines.iter().any(|l| l.starts_with("552 5.3.4")), "the size limit answered");
}
