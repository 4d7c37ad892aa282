//! Jumping the player's cursor: a trace of at least 100,000 events, then 2,000 jumps to
//! random steps; prints the time per jump (median, 95th percentile, max) and the time to
//! build the player. Budget (issue: visualiser): a jump within one frame, 16 ms.

use std::rc::Rc;
use std::time::Instant;

use mailflow::engine::scenario::workloads::long_trace;
use mailflow::engine::scenario::Scenario;
use mailflow::engine::world::simulate;
use mailflow::player::Player;

fn scenario(messages: usize) -> Scenario {
    long_trace(messages).expect("valid")
}

fn main() {
    let mut messages = 600;
    let trace = loop {
        let trace = simulate(&scenario(messages));
        if trace.events.len() >= 100_000 {
            break trace;
        }
        messages += 200;
    };
    let events = trace.events.len();
    let start = Instant::now();
    let player = Player::new(Rc::new(trace));
    let build = start.elapsed();

    // A fixed pseudo-random walk (an LCG), so every run jumps to the same steps.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut times: Vec<f64> = (0..2000)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let step = (x >> 33) as usize % player.len();
            let t = Instant::now();
            let scene = player.scene_at(step);
            std::hint::black_box(&scene);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!("player: {events} events, {} steps, {messages} messages; built in {:.1} ms", player.len(), build.as_secs_f64() * 1000.0);
    println!("player: jump to a random step: median {:.3} ms, p95 {:.3} ms, max {:.3} ms", pct(0.5), pct(0.95), times[times.len() - 1]);
}
