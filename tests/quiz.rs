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
