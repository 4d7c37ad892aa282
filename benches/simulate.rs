//! How fast the engine simulates: a 10,000-message scenario with faults (the MX down for an
//! hour, greylisting, unknown users, a domain that does not exist), run to its full trace; and
//! how long a scenario that would run away takes to reach the budget of a browser tab
//! (`world::budget`). `cargo bench --bench simulate` prints both; it asserts nothing about time
//! (numbers go in docs/BENCHMARKS.md, never in a timed test).

use std::time::Instant;

use mailflow::engine::scenario::workloads::{busy_day, runaway};
use mailflow::engine::scenario::Scenario;
use mailflow::engine::world::{simulate, simulate_within, Budget};

const MESSAGES: usize = 10_000;

fn scenario() -> Scenario {
    busy_day(MESSAGES).expect("bench scenario is valid")
}

fn main() {
    let scenario = scenario();
    // One warm-up run, then the median of five.
    let events = simulate_within(&scenario, Budget::BUSY_DAY).events.len();
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let trace = simulate_within(&scenario, Budget::BUSY_DAY);
            assert_eq!(trace.events.len(), events, "the same scenario gives the same trace");
            start.elapsed().as_secs_f64()
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    let median = runs[runs.len() / 2];
    println!("simulate: {MESSAGES} messages with faults, {events} trace events");
    println!("simulate: median of 5 runs {:.3} s (min {:.3} s, max {:.3} s)", median, runs[0], runs[4]);
    println!("simulate: {:.0} messages/s, {:.0} events/s", MESSAGES as f64 / median, events as f64 / median);

    // The budget: 100 letters retried every minute for 30 days, stopped at Budget::TAB.
    let runaway = runaway(100).expect("runaway scenario is valid");
    let mut runs: Vec<(f64, usize)> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let trace = simulate(&runaway);
            assert!(trace.halted().is_some(), "the runaway scenario stops at the budget");
            (start.elapsed().as_secs_f64(), trace.events.len())
        })
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (median, events) = runs[1];
    println!(
        "budget: a runaway scenario stopped at {} events (budget {}) in {:.3} s, median of 3",
        events,
        Budget::TAB.events,
        median
    );
}
