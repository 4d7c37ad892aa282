//! "Predict the server's reply", a mode of any scenario: playing stops at each client command
//! whose reply decides something (AUTH, MAIL, RCPT, DATA, the final dot; PASS, RETR, DELE;
//! LOGIN or AUTHENTICATE, SELECT, FETCH) and asks what the server will answer. The question is found by the
//! client's command, never by the reply; the right choice is the engine's own reply; the
//! wrong ones come from a list of replies a real server gives to that command (Postfix's and
//! Dovecot's words, as the engine writes them), none with the real one's status.

use crate::catalog::quiz::{predict_final_dot, predict_question};
use crate::engine::hash::fnv1a64;
use crate::engine::trace::{Direction, EventKind, Trace};
use crate::player::checkpoint::{shuffled, Question, Stop};
use crate::player::narrator::conversation::Family;
use crate::player::narrator::narrate;
use crate::player::Player;

/// At most this many wrong choices beside the right one.
const WRONG_CHOICES: usize = 3;

/// The commands asked about, by protocol, and replies a server may give to each. `{arg}` is
/// the command's address (MAIL, RCPT) or mailbox (SELECT), `{n}` its message number, `{tag}`
/// its IMAP tag, `{id}` a queue id.
fn replies_to(family: Family, verb: &str) -> Option<&'static [&'static str]> {
    Some(match (family, verb) {
        (Family::Smtp, "AUTH") => &[
            "235 2.7.0 Authentication successful",
            "535 5.7.8 Error: authentication failed",
            "530 5.7.0 Must issue a STARTTLS command first",
            "503 5.5.1 Error: authentication not enabled",
        ],
        (Family::Smtp | Family::Lmtp, "MAIL") => &[
            "250 2.1.0 Ok",
            "530 5.7.0 Authentication required",
            "553 5.7.1 <{arg}>: Sender address rejected: not owned by user",
            "552 5.3.4 Message size exceeds fixed limit",
            "503 5.5.1 Error: nested MAIL command",
        ],
        (Family::Smtp, "RCPT") => &[
            "250 2.1.5 Ok",
            "550 5.1.1 <{arg}>: Recipient address rejected: User unknown in virtual mailbox table",
            "554 5.7.1 <{arg}>: Relay access denied",
            "451 4.7.1 <{arg}>: Recipient address rejected: Greylisted for 300 seconds",
            "452 4.5.3 Error: too many recipients",
        ],
        (Family::Lmtp, "RCPT") => &[
            "250 2.1.5 Ok",
            "550 5.1.1 <{arg}> User doesn't exist: {arg}",
            "452 4.5.3 Error: too many recipients",
        ],
        (Family::Smtp | Family::Lmtp, "DATA") => &[
            "354 End data with <CR><LF>.<CR><LF>",
            "554 5.5.1 Error: no valid recipients",
            "503 5.5.1 Error: need RCPT command",
        ],
        (Family::Smtp, ".") => &[
            "250 2.0.0 Ok: queued as {id}",
            "552 5.3.4 Message size exceeds fixed limit",
            "451 4.3.0 Error: queue file write error",
            "554 5.7.1 Error: message rejected",
        ],
        (Family::Lmtp, ".") => &[
            "250 2.0.0 <{arg}> Saved",
            "552 5.2.2 <{arg}> Quota exceeded (mailbox for user is full)",
            "451 4.3.0 <{arg}> Error: internal error",
        ],
        (Family::Pop3, "PASS") => &[
            "+OK Logged in.",
            "-ERR [AUTH] Authentication failed.",
            "-ERR [IN-USE] Mailbox is locked by another POP3 session.",
        ],
        (Family::Pop3, "RETR") => &["+OK", "-ERR There's no message {n}.", "-ERR Message is deleted."],
        (Family::Pop3, "DELE") => &["+OK Marked to be deleted.", "-ERR There's no message {n}.", "-ERR Message is deleted."],
        (Family::Imap, "LOGIN") => &[
            "{tag} OK Logged in",
            "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.",
            "{tag} NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
            "{tag} BAD Error in IMAP command LOGIN: Missing arguments",
        ],
        (Family::Imap, "AUTHENTICATE") => &[
            "{tag} OK Logged in",
            "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.",
            "{tag} NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
        ],
        (Family::Imap, "SELECT") => &[
            "{tag} OK [READ-WRITE] Select completed.",
            "{tag} NO [NONEXISTENT] Mailbox doesn't exist: {arg}",
            "{tag} BAD Error in IMAP command SELECT: Missing arguments",
        ],
        (Family::Imap, "FETCH") => &[
            "{tag} OK Fetch completed.",
            "{tag} NO [EXPUNGEISSUED] Some messages were expunged.",
            "{tag} BAD Error in IMAP command FETCH: Invalid messageset",
        ],
        _ => return None,
    })
}

/// The status a reply gives, which no wrong choice may share with the real one: an SMTP code
/// (`250`), a POP3 `+OK` or `-ERR`, an IMAP `OK`, `NO` or `BAD` (after the tag).
fn status(family: Family, reply: &str) -> &str {
    reply.split(' ').nth(usize::from(family == Family::Imap)).unwrap_or_default()
}

/// One command asked about: its event, and its reply's.
struct Asked<'a> {
    family: Family,
    verb: &'static str,
    command: &'a str,
    /// The event of the reply that decides (the last line of an SMTP reply, the tagged line
    /// of an IMAP one).
    reply: usize,
    client: &'a str,
    server: &'a str,
}

/// The prediction stops of a run, in order, named `predict-1`, `predict-2`... `seed_name` (the
/// scenario's) fixes the order of each question's choices.
pub fn predictions(player: &Player, seed_name: &str) -> Vec<Stop> {
    let trace = player.trace();
    let mut stops = Vec::new();
    for (k, step) in player.steps().iter().enumerate() {
        let Some(asked) = asked_at(trace, step.first, step.last) else { continue };
        let Some(list) = replies_to(asked.family, asked.verb) else { continue };
        let EventKind::Line { text: real, .. } = &trace.events[asked.reply].kind else { continue };
        let n = stops.len() + 1;
        let name = format!("predict-{n}");
        let seed = fnv1a64(format!("{seed_name}/{name}").as_bytes());
        let fill = |template: &str| fill(template, &asked, real, seed);
        let real_status = status(asked.family, real);
        let mut choices = vec![real.clone()];
        choices.extend(list.iter().map(|t| fill(t)).filter(|c| status(asked.family, c) != real_status).take(WRONG_CHOICES));
        let (client, server) = (player.cast().host(asked.client), player.cast().host(asked.server));
        let question = if asked.verb == "." {
            predict_final_dot(&client, &server)
        } else {
            predict_question(&client, asked.command, &server)
        };
        let explain = narrate(trace, player.steps()[player.step_of_event(asked.reply)], player.cast()).sentences.join(" ");
        let question = Question { question, choices, correct: Some(0), explain: Some(explain).filter(|e| !e.is_empty()) };
        stops.push(Stop { name, step: k, quiz: Some(shuffled(question, seed)) });
    }
    stops
}

/// The command a step holds, if it is one asked about: a step of one client line, the message
/// a final dot ends, or from commands pipelined in one step (RFC 2920) the first RCPT (else
/// the first asked about), whose reply is the one in the same place among the replies.
fn asked_at(trace: &Trace, first: usize, last: usize) -> Option<Asked<'_>> {
    let lines: Vec<(usize, u32, &str)> = (first..=last)
        .filter_map(|i| match &trace.events[i].kind {
            EventKind::Line { connection, direction: Direction::ClientToServer, text, .. } => Some((i, *connection, text.as_str())),
            _ => None,
        })
        .collect();
    let &(i, connection, _) = lines.last()?;
    let open = trace.events[..i].iter().rev().find_map(|e| match &e.kind {
        EventKind::Connected(open) if open.connection == connection => Some(open),
        _ => None,
    })?;
    let family = Family::of(open.protocol);
    let (nth, verb, command) = if lines.len() > 1 && lines[lines.len() - 1].2 == "." {
        (0, (matches!(family, Family::Smtp | Family::Lmtp)).then_some(".")?, ".")
    } else {
        let asked: Vec<(usize, &'static str, &str)> =
            lines.iter().enumerate().filter_map(|(k, l)| Some((k, verb(family, l.2)?, l.2))).collect();
        *asked.iter().find(|a| a.1 == "RCPT").or(asked.first())?
    };
    let tag = command.split(' ').next().unwrap_or_default();
    let reply = trace
        .events
        .iter()
        .enumerate()
        .skip(last + 1)
        .filter(|(_, e)| match &e.kind {
            EventKind::Line { connection: c, direction: Direction::ServerToClient, text, .. } if *c == connection => match family {
                // The last line of a reply: the code then a space (RFC 5321 4.2.1).
                Family::Smtp | Family::Lmtp => text.as_bytes().get(3) != Some(&b'-'),
                Family::Pop3 => true,
                Family::Imap => text.starts_with(&format!("{tag} ")),
            },
            _ => false,
        })
        .nth(if family == Family::Imap { 0 } else { nth })?
        .0;
    Some(Asked { family, verb, command, reply, client: &open.client, server: &open.server })
}

/// The verb of a command asked about (`RCPT`, `FETCH`), if it is one.
fn verb(family: Family, command: &str) -> Option<&'static str> {
    let mut words = command.split(' ');
    if family == Family::Imap {
        words.next();
    }
    let mut word = words.next()?.to_ascii_uppercase();
    if family == Family::Imap && word == "UID" {
        // UID FETCH is FETCH by UID (RFC 9051 6.4.9), answered alike.
        word = words.next()?.to_ascii_uppercase();
    }
    let word = word.split(':').next().unwrap_or_default();
    ["AUTH", "MAIL", "RCPT", "DATA", "PASS", "RETR", "DELE", "LOGIN", "AUTHENTICATE", "SELECT", "FETCH"].into_iter().find(|v| *v == word)
}

/// A reply of the list, written for this command.
fn fill(template: &str, asked: &Asked<'_>, real: &str, seed: u64) -> String {
    let arg = match asked.verb {
        "MAIL" | "RCPT" => between(asked.command, '<', '>'),
        "SELECT" => asked.command.split(' ').nth(2).unwrap_or_default().trim_matches('"').to_owned(),
        // LMTP answers the dot once per recipient, naming it (RFC 2033 4.2).
        _ => between(real, '<', '>'),
    };
    let n = asked.command.split(' ').nth(1).unwrap_or("1");
    let tag = asked.command.split(' ').next().unwrap_or_default();
    template.replace("{arg}", &arg).replace("{n}", n).replace("{tag}", tag).replace("{id}", &format!("{:010X}", seed >> 24))
}

fn between(text: &str, open: char, close: char) -> String {
    text.split_once(open).and_then(|(_, rest)| rest.split_once(close)).map(|(inside, _)| inside.to_owned()).unwrap_or_default()
}
