//! The quiz-journey preset: every checkpoint happens, and every question has its right answer,
//! the engine's own where it checks (the reply it gives, where the letter is).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use mailflow::engine::world::simulate;
use mailflow::player::checkpoint::stops;
use mailflow::player::Player;

#[test]
fn every_checkpoint_of_the_quiz_happens_in_order_with_a_right_answer() {
    let scenario = common::scenario("quiz-journey");
    let player = Player::new(Rc::new(simulate(&scenario)));
    let stops = stops(&player, &scenario);
    let names: Vec<&str> = stops.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["start", "handshake", "accepted", "waiting", "relay", "final-dot", "delivered", "read", "servers"]);
    assert!(stops.windows(2).all(|w| w[0].step < w[1].step), "in the order of the journey: {stops:?}");
    // The file writes each right answer first; the engine agrees with every one of them.
    for (stop, checkpoint) in stops.iter().zip(&scenario.checkpoints) {
        let quiz = stop.quiz.as_ref().unwrap();
        let right = quiz.correct.map(|c| quiz.choices[c].as_str());
        assert_eq!(right, Some(checkpoint.quiz.as_ref().unwrap().choices[0].as_str()), "{}: {quiz:?}", stop.name);
    }
}

/// The choices are shuffled, in an order fixed per scenario and question: always picking the
/// first choice does not score full marks, and the same link always shows the same order.
#[test]
fn choices_come_in_a_fixed_order_of_their_own() {
    let scenario = common::scenario("quiz-journey");
    let player = Player::new(Rc::new(simulate(&scenario)));
    let shown = stops(&player, &scenario);
    let firsts_right = shown.iter().filter(|s| s.quiz.as_ref().unwrap().correct == Some(0)).count();
    assert!(firsts_right < shown.len() / 2, "the first choice is right {firsts_right} times of {}", shown.len());
    assert_eq!(shown, stops(&player, &scenario), "the same order every time");
    // Every choice is still there, once.
    for (stop, checkpoint) in shown.iter().zip(&scenario.checkpoints) {
        let mut shown = stop.quiz.as_ref().unwrap().choices.clone();
        let mut written = checkpoint.quiz.as_ref().unwrap().choices.clone();
        shown.sort();
        written.sort();
        assert_eq!(shown, written);
    }
}

/// The questions about what happens take their answer from the run: the same checkpoint on a
/// changed scenario has another right answer. Only `answer` checks (pure facts) are fixed.
#[test]
fn answers_about_what_happens_follow_the_engine() {
    let right = |json: &str, name: &str| {
        let scenario = mailflow::engine::scenario::Scenario::from_json(json).unwrap();
        let player = Player::new(Rc::new(simulate(&scenario)));
        let stop = stops(&player, &scenario).into_iter().find(|s| s.name == name).unwrap();
        let quiz = stop.quiz.unwrap();
        quiz.correct.map(|c| quiz.choices[c].clone())
    };
    let original = mailflow::engine::scenario::preset("quiz-journey").unwrap().json;
    assert_eq!(right(original, "relay").as_deref(), Some("25"));
    assert_eq!(right(original, "handshake").as_deref(), Some("EHLO"));
    assert_eq!(right(original, "final-dot").as_deref(), Some("250 2.0.0"));
    // The port of the connection asked about: Alice's client submits on 587.
    let at_submission = common::edited("quiz-journey", |tree| {
        tree["checkpoints"][4]["host"] = "smtp.northwind.test".into();
    });
    assert_eq!(right(&at_submission, "relay").as_deref(), Some("587"));
    // The client's next line: on Bob's IMAP connection it is not EHLO, and none of the choices.
    let at_imap = common::edited("quiz-journey", |tree| {
        tree["checkpoints"][1]["host"] = "mail.southbay.test".into();
    });
    assert_eq!(right(&at_imap, "handshake"), None);
    // The reply to the final dot, asked of the mailbox server: a full mailbox refuses it.
    let full = common::edited("quiz-journey", |tree| {
        tree["checkpoints"][5]["host"] = "mail.southbay.test".into();
        tree["checkpoints"][5]["quiz"]["choices"] = serde_json::json!(["250 2.0.0", "552 5.2.2", "354"]);
        tree["faults"].as_array_mut().unwrap().push(serde_json::json!({"kind": "mailbox-full", "user": "bob@southbay.test"}));
    });
    assert_eq!(right(&full, "final-dot").as_deref(), Some("552 5.2.2"));
}

/// The checkpoint that asks for a reply is found by the client's command, not by the reply:
/// it is there whatever the server answers.
#[test]
fn the_reply_question_is_found_by_the_command() {
    let scenario = common::scenario("quiz-journey");
    let player = Player::new(Rc::new(simulate(&scenario)));
    let stop = stops(&player, &scenario).into_iter().find(|s| s.name == "final-dot").unwrap();
    let step = player.steps()[stop.step];
    let last = &player.trace().events[step.last];
    assert!(matches!(&last.kind, mailflow::engine::trace::EventKind::Line { text, direction: mailflow::engine::trace::Direction::ClientToServer, .. } if text == "."), "{last:?}");
    for checkpoint in &scenario.checkpoints {
        assert!(!matches!(checkpoint.when, mailflow::engine::scenario::Moment::BeforeReply(_)), "{}", checkpoint.name);
        assert!(checkpoint.quiz.as_ref().unwrap().explain.is_some(), "{} explains its answer", checkpoint.name);
    }
}

/// The score counts what was picked against the engine's answers, and the message to the
/// course page carries exactly the documented fields.
#[test]
fn the_score_and_its_message_for_the_course_page() {
    use mailflow::player::score::{message, score, Answers};
    let scenario = common::scenario("quiz-journey");
    let player = Player::new(Rc::new(simulate(&scenario)));
    let stops = stops(&player, &scenario);
    let mut answers = Answers::new();
    for stop in &stops {
        answers.insert(stop.step, 0);
    }
    let first_each_time = score(&stops, &answers);
    assert!(first_each_time.complete());
    assert_eq!(first_each_time.total, 9);
    assert!(first_each_time.right < 9, "always the first choice: {} right", first_each_time.right);
    for stop in &stops {
        answers.insert(stop.step, stop.quiz.as_ref().unwrap().correct.unwrap());
    }
    let all_right = score(&stops, &answers);
    assert_eq!((all_right.right, all_right.total), (9, 9));
    let json: serde_json::Value = serde_json::from_str(&message("quiz-journey", &all_right)).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["answers", "scenario", "score", "total", "type"]);
    assert_eq!(json["type"], "mailflow:quiz");
    assert_eq!(json["score"], 9);
    assert_eq!(json["answers"][4]["checkpoint"], "relay");
    assert_eq!(json["answers"][4]["answer"], "25");
    assert_eq!(json["answers"][4]["right"], true);
    // Half answered is not complete.
    let half: Answers = answers.into_iter().take(4).collect();
    assert!(!score(&stops, &half).complete());
}

/// mailbox-full asks at the LMTP hand-off: its checkpoint is the final dot that the mailbox
/// server receives (a line's host is its connection's server), on port 24, and the engine's
/// first reply there, Bob's, is the right answer.
#[test]
fn the_lmtp_question_waits_at_the_lmtp_dot() {
    use mailflow::engine::trace::{opening, Direction, EventKind};
    let scenario = common::scenario("mailbox-full");
    let player = Player::new(Rc::new(simulate(&scenario)));
    let stop = stops(&player, &scenario).into_iter().find(|s| s.name == "lmtp-dot").expect("the checkpoint happens");
    let trace = player.trace();
    let last = &trace.events[player.steps()[stop.step].last];
    let EventKind::Line { connection, direction: Direction::ClientToServer, text, .. } = &last.kind else {
        panic!("a client's line: {last:?}")
    };
    assert_eq!(text, ".");
    let (_, open) = opening(&trace.events, *connection).expect("its connection");
    assert_eq!((open.port, open.client.as_str()), (24, "mx.southbay.test"));
    let quiz = stop.quiz.expect("a question");
    assert_eq!(quiz.correct.map(|c| quiz.choices[c].as_str()), Some("250 2.0.0"));
}
