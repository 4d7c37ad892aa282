//! "Predict the server's reply": questions found by the client's command, answered by the
//! engine's own reply, with wrong choices from what servers say to that command.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use mailflow::engine::scenario::Scenario;
use mailflow::engine::trace::{Direction, EventKind};
use mailflow::engine::world::simulate;
use mailflow::player::checkpoint::Stop;
use mailflow::player::predict::predictions;
use mailflow::player::{Cast, Player};

fn run(scenario: &Scenario) -> (Player, Vec<Stop>) {
    let player = Player::new(Rc::new(simulate(scenario))).with_cast(Cast::of(scenario));
    let stops = predictions(&player, &scenario.name);
    (player, stops)
}

fn right(stop: &Stop) -> &str {
    let q = stop.quiz.as_ref().unwrap();
    &q.choices[q.correct.unwrap()]
}

/// The stop whose question names this command (a prefix of it).
fn asking<'a>(stops: &'a [Stop], command: &str) -> &'a Stop {
    stops.iter().find(|s| s.quiz.as_ref().unwrap().question.contains(command)).unwrap_or_else(|| panic!("no question about {command}: {stops:#?}"))
}

/// The engine's reply line that a stop's right choice must be: the first whole reply on the
/// connection after the stop's step.
fn check_every_question(player: &Player, stops: &[Stop]) {
    assert!(!stops.is_empty());
    for stop in stops {
        let q = stop.quiz.as_ref().unwrap();
        let step = player.steps()[stop.step];
        let events = &player.trace().events;
        // Found by the client's command: the step holds a client line and no reply yet.
        assert!((step.first..=step.last).any(|i| matches!(&events[i].kind, EventKind::Line { direction: Direction::ClientToServer, .. })), "{stop:?}");
        let real = right(stop);
        let later: Vec<&str> = events[step.last + 1..]
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Line { direction: Direction::ServerToClient, text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(later.contains(&real), "the right choice is a reply the engine gives after the question: {real:?}");
        // No wrong choice with the real one's status (SMTP code, +OK/-ERR, OK/NO/BAD).
        let status = |c: &str| {
            let mut words = c.split(' ');
            let first = words.next().unwrap_or_default();
            // An IMAP reply's tag (`a3`) comes before its status.
            let tagged = first.len() > 1 && first.starts_with('a') && first[1..].bytes().all(|b| b.is_ascii_digit());
            if tagged { words.next().unwrap_or_default() } else { first }.to_owned()
        };
        for (k, choice) in q.choices.iter().enumerate() {
            assert!(Some(k) == q.correct || status(choice) != status(real), "{choice:?} beside {real:?}");
        }
        assert!(q.choices.len() >= 2 && q.choices.len() <= 4, "{q:?}");
        assert!(q.explain.as_deref().is_some_and(|e| !e.is_empty()), "{q:?}");
    }
}

#[test]
fn first_letter_asks_before_the_replies_that_matter_and_the_engine_answers() {
    let scenario = common::scenario("first-letter");
    let (player, stops) = run(&scenario);
    check_every_question(&player, &stops);
    assert!(right(asking(&stops, "AUTH PLAIN")).starts_with("235 2.7.0"));
    assert!(right(asking(&stops, "MAIL FROM:<alice@northwind.test>")).starts_with("250 2.1.0"));
    assert!(right(asking(&stops, "DATA")).starts_with("354"));
    assert!(right(asking(&stops, "SELECT")).contains("OK [READ-WRITE]"));
    assert!(right(asking(&stops, "UID FETCH")).ends_with("OK Fetch completed."));
    let dots: Vec<&str> = stops.iter().filter(|s| s.quiz.as_ref().unwrap().question.contains("single dot")).map(right).collect();
    assert_eq!(dots.len(), 3, "submission, MX and LMTP: {dots:?}");
    assert!(dots[0].starts_with("250 2.0.0 Ok: queued as "));
    assert!(dots[2].ends_with("<bob@southbay.test> Saved"));
    // The same scenario asks the same questions in the same order, for every student.
    assert_eq!(run(&scenario).1, stops);
}

#[test]
fn an_unknown_recipient_changes_the_right_choice_at_the_mx() {
    let known = run(&common::scenario("first-letter")).1;
    // Every RCPT in first-letter is accepted; in unknown-user the MX refuses robert.
    assert!(known.iter().filter(|s| s.quiz.as_ref().unwrap().question.contains("RCPT TO:")).all(|s| right(s).starts_with("250 2.1.5")));
    let scenario = common::scenario("unknown-user");
    let (player, stops) = run(&scenario);
    check_every_question(&player, &stops);
    let at_the_mx: Vec<&Stop> = stops.iter().filter(|s| s.quiz.as_ref().unwrap().question.contains("RCPT TO:<robert@southbay.test>") && s.quiz.as_ref().unwrap().question.contains("Southbay MX")).collect();
    assert_eq!(at_the_mx.len(), 1, "{stops:#?}");
    assert!(right(at_the_mx[0]).starts_with("550 5.1.1 <robert@southbay.test>"), "{:?}", right(at_the_mx[0]));
}

#[test]
fn a_wrong_password_changes_the_right_choice_for_auth() {
    let json = common::edited("first-letter", |tree| {
        tree["actions"][0]["send"]["password"] = "not-the-password".into();
    });
    let scenario = Scenario::from_json(&json).unwrap();
    let (player, stops) = run(&scenario);
    check_every_question(&player, &stops);
    let auth = asking(&stops, "AUTH PLAIN");
    assert!(right(auth).starts_with("535 5.7.8"), "{auth:?}");
    // The wrong choices still come from the list, and 235 is now one of them.
    assert!(auth.quiz.as_ref().unwrap().choices.iter().any(|c| c.starts_with("235 2.7.0")));
}
