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
    for stop in &stops {
        let quiz = stop.quiz.as_ref().unwrap();
        assert_eq!(quiz.correct, Some(0), "{}: {quiz:?}", stop.name);
    }
}
