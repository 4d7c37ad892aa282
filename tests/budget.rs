//! The simulator's budget: a scenario within every bound that would run for tens of millions of
//! events stops at the budget, says so as its last event, and what ran until then is exactly
//! what a longer run shows; whatever the queue policy and the times, a run ends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use mailflow::engine::scenario::workloads::{busy_day, runaway};
use mailflow::engine::scenario::{bounds, Scenario};
use mailflow::engine::trace::details::Limit;
use mailflow::engine::trace::{transcript, EventKind, Trace};
use mailflow::engine::time::VirtualTime;
use mailflow::engine::world::{Budget, Simulator};
use mailflow::player::{Cast, Player};

fn run(scenario: &Scenario, budget: Budget) -> Trace {
    let mut sim = Simulator::new(scenario).with_budget(budget);
    sim.run();
    sim.into_trace()
}

const ROOMY: usize = usize::MAX;

#[test]
fn a_runaway_queue_stops_at_the_budget_and_says_so() {
    let scenario = runaway(100).unwrap();
    let budget = Budget { events: 50_000, line_bytes: ROOMY };
    let trace = run(&scenario, budget);
    let halted = trace.halted().expect("the run stops at its budget");
    assert_eq!(halted.limit, Limit::Events(50_000));
    assert_eq!(halted.queued, 100, "every letter still waits for the MX");
    assert!(halted.next.is_some());
    // Stopped after the task that passed the limit: one queue run's events at most beyond it.
    assert!((50_001..50_100).contains(&trace.events.len()), "{}", trace.events.len());
    let last = transcript(&trace).lines().last().unwrap().to_owned();
    assert!(last.contains("halt    the simulation stopped at its budget (more than 50000 events); 100 messages still queued, next task due at"), "{last}");

    // The last step says it in words, with what was left waiting.
    let player = Player::new(Rc::new(trace.clone())).with_cast(Cast::of(&scenario));
    let last = player.view(usize::MAX).unwrap();
    let said = last.narration.sentences.join(" ");
    assert!(said.starts_with("The simulation stops here: this scenario made more than 50,000 events, more than a browser tab can hold"), "{said}");
    assert!(said.contains("100 letters still waited in the queues, never delivered or bounced."), "{said}");

    // What ran is what really happens: a run with twice the budget begins with the same events.
    let longer = run(&scenario, Budget { events: 100_000, line_bytes: ROOMY });
    let ran = trace.events.len() - 1;
    assert_eq!(trace.events[..ran], longer.events[..ran]);
    assert!(!matches!(longer.events[ran].kind, EventKind::Halted(_)));
}

#[test]
fn long_lines_stop_a_run_by_their_bytes() {
    let mut scenario = runaway(3).unwrap();
    for action in &mut scenario.actions {
        let send = action.send.as_mut().unwrap();
        send.body = "All work and no play makes a long letter.\n".repeat(2_000);
    }
    let trace = run(&scenario, Budget { events: ROOMY, line_bytes: 200_000 });
    assert_eq!(trace.halted().map(|h| h.limit), Some(Limit::LineBytes(200_000)));
    let bytes: usize = trace.events.iter().map(|e| match &e.kind { EventKind::Line { text, .. } => text.len(), _ => 0 }).sum();
    assert!(bytes > 200_000 && bytes < 400_000, "{bytes}");
}

/// `mailflow-lab serve` prints its events every turn and keeps none: what was handed out no
/// longer counts, so a lab that runs all day is never stopped by the budget.
#[test]
fn a_world_that_hands_out_its_events_is_never_stopped_by_them() {
    let scenario = busy_day(100).unwrap();
    // Room for the busiest second: the greylisted letters all come back at the same scan of
    // the deferred queue (Postfix's queue_run_delay), 2,929 events and 63 kB of lines at once.
    let budget = Budget { events: 3_000, line_bytes: 64_000 };
    let mut sim = Simulator::new(&scenario).with_budget(budget);
    let (mut events, mut bytes) = (0, 0);
    for second in 1..=3 * 3600 {
        sim.advance_to(VirtualTime::from_secs(second));
        for event in sim.take_events() {
            events += 1;
            if let EventKind::Line { text, .. } = &event.kind {
                bytes += text.len();
            }
        }
    }
    assert!(!sim.halted());
    assert!(events > 5 * budget.events && bytes > 4 * budget.line_bytes, "{events} events, {bytes} bytes");
    // The same world, keeping its events, stops.
    let mut kept = Simulator::new(&scenario).with_budget(budget);
    kept.advance_to(VirtualTime::from_secs(3 * 3600));
    assert!(kept.halted());
}

#[test]
fn a_scenario_that_ends_does_not_mention_the_budget() {
    let trace = common::run("gave-up");
    assert!(trace.halted().is_none());
    assert!(!trace.events.iter().any(|e| matches!(e.kind, EventKind::Halted(_))));
}

#[test]
fn the_command_line_prints_what_ran_and_fails_with_the_reason() {
    let dir = std::env::temp_dir().join(format!("mailflow-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("runaway.json");
    std::fs::write(&file, serde_json::to_string(&runaway(100).unwrap()).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mailflow-lab")).arg("trace").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().count() > Budget::TAB.events, "the transcript of what ran is printed");
    assert!(stdout.lines().last().unwrap().contains("halt    the simulation stopped at its budget (more than 250000 events)"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("This scenario stopped early: it made more than 250,000 events, more than a browser tab can hold."), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const BUDGET: Budget = Budget { events: 20_000, line_bytes: 2_000_000 };

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any queue policy, any fault window and any moments, bounded or not: the file is
        /// refused with a named field, or it runs to its end or to the budget, and never panics.
        #[test]
        fn any_policy_and_times_end_within_the_budget(
            first_retry in prop_oneof![9 => 60u64..600, 1 => any::<u64>()],
            max_retry in prop_oneof![9 => 60u64..7200, 1 => any::<u64>()],
            lifetime in prop_oneof![9 => 0u64..=bounds::HORIZON_SECS, 1 => any::<u64>()],
            warning in proptest::option::of(prop_oneof![9 => 0u64..86_400, 1 => any::<u64>()]),
            down_from in prop_oneof![9 => 0u64..3600, 1 => any::<u64>()],
            down_for in proptest::option::of(1u64..=bounds::HORIZON_SECS),
            greylisting in proptest::option::of(prop_oneof![9 => 0u64..900, 1 => any::<u64>()]),
            at in proptest::collection::vec(prop_oneof![19 => 0u64..86_400, 1 => any::<u64>()], 1..6),
        ) {
            let text = common::edited("first-letter", |t| {
                t["queue"] = json!({"first_retry": first_retry, "max_retry": max_retry, "lifetime": lifetime, "delay_warning": warning});
                let mut faults = vec![json!({"kind": "host-down", "host": "mx.southbay.test", "from": down_from,
                    "until": down_for.map(|d| down_from.saturating_add(d))})];
                if let Some(delay) = greylisting {
                    faults.push(json!({"kind": "greylisting", "host": "mx.southbay.test", "delay": delay}));
                }
                t["faults"] = json!(faults);
                let send = t["actions"][0].clone();
                t["actions"] = json!(at.iter().map(|&at| { let mut a = send.clone(); a["at"] = json!(at); a }).collect::<Vec<_>>());
            });
            match Scenario::from_json(&text) {
                // Refused: the error names the field (a policy out of order, a time past the horizon).
                Err(e) => prop_assert!(e.iter().all(|e| !e.field.is_empty()), "{e}"),
                Ok(scenario) => {

                    let trace = run(&scenario, BUDGET);
                    prop_assert!(trace.events.len() <= BUDGET.events + 1_000, "{} events", trace.events.len());
                    let times_in_order = trace.events.windows(2).all(|w| w[0].at <= w[1].at);
                    prop_assert!(times_in_order);
                    if trace.halted().is_none() {
                        // Ran to its end: every letter was delivered, bounced or not sent.
                        let done = trace.events.iter().filter(|e| matches!(e.kind,
                            EventKind::Delivered(_) | EventKind::Bounced(_) | EventKind::NotSent(_))).count();
                        prop_assert!(done >= at.len(), "{done} of {} letters ended", at.len());
                    }
                }
            }
        }
    }
}
