//! What the live lab shares between TCP and stdio: a virtual clock that follows the real
//! one, and the transcript printed as it grows.

use std::io::Write;
use std::time::Instant;

use mailflow::engine::trace::transcript_line;
use mailflow::engine::world::clock::VirtualTime;
use mailflow::engine::world::Simulator;

/// Virtual time zero is the moment the lab started; it then runs `scale` times as fast as
/// the wall clock, so retries and timeouts happen while people watch.
pub struct Clock {
    start: Instant,
    scale: f64,
}

impl Clock {
    pub fn start(scale: f64) -> Clock {
        Clock { start: Instant::now(), scale }
    }

    pub fn now(&self) -> VirtualTime {
        // A float in milliseconds: the scale may be fractional (0.5 slows a lesson down).
        // The options cap the scale, so this stays far below u64::MAX for centuries.
        let ms = self.start.elapsed().as_secs_f64() * 1000.0 * self.scale;
        VirtualTime(ms as u64)
    }
}

/// How much of the simulator's trace has been printed.
#[derive(Default)]
pub struct Transcript {
    printed: usize,
}

impl Transcript {
    /// Print the events that came since the last call, one transcript line each. A closed
    /// output (the reader of a pipe went away) must not stop the lab, so write errors are
    /// ignored.
    pub fn print_new(&mut self, sim: &Simulator, out: &mut impl Write) {
        let events = sim.events();
        if self.printed >= events.len() {
            return;
        }
        for event in &events[self.printed..] {
            let _ = writeln!(out, "{}", transcript_line(event));
        }
        self.printed = events.len();
        let _ = out.flush();
    }
}
