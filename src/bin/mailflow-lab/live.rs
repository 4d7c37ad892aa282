//! What the live lab shares between TCP and stdio: a virtual clock that follows the real
//! one, and the transcript printed as it grows.

use std::io::Write;
use std::time::Instant;

use mailflow::engine::trace::transcript_line;
use mailflow::engine::time::VirtualTime;
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

/// The live transcript: printed as it grows, and kept nowhere. The simulator hands over the
/// events since the last turn and forgets them (`Simulator::take_events`), so a lab that
/// serves a class all day holds only the sessions under way; the output is the record.
pub fn print_new(sim: &mut Simulator, out: &mut impl Write) {
    let events = sim.take_events();
    if events.is_empty() {
        return;
    }
    // A closed output (the reader of a pipe went away) must not stop the lab, so write
    // errors are ignored.
    for event in &events {
        let _ = writeln!(out, "{}", transcript_line(event));
    }
    let _ = out.flush();
}
