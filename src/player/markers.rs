//! Points of the timeline worth finding again: where a letter was queued, retried, delivered
//! or bounced. Made once per trace; the controls draw them along the scrubber.

use crate::engine::trace::EventKind;
use crate::player::Player;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The step, from 0.
    pub step: usize,
    /// `queued`, `retry`, `delivered`, `bounced`: a class and the words of its tooltip.
    pub kind: &'static str,
}

/// How many places the scrubber tells apart: a marker's x is `step * SCRUBBER_UNITS / last`.
pub const SCRUBBER_UNITS: usize = 1000;

/// The markers of a trace, one per kind and place on the scrubber: a month of retries makes a
/// hundred thousand of them, which would all be drawn over each other.
pub fn markers(player: &Player) -> Vec<Marker> {
    let events = &player.trace().events;
    let last = player.len().saturating_sub(1);
    let place = |step: usize| (step * SCRUBBER_UNITS).checked_div(last).unwrap_or(0);
    let mut markers: Vec<Marker> = Vec::new();
    for (k, step) in player.steps().iter().enumerate() {
        for event in &events[step.first..=step.last] {
            let kind = match event.kind {
                EventKind::Queued(_) => "queued",
                EventKind::Retry(_) => "retry",
                EventKind::Delivered(_) => "delivered",
                EventKind::Bounced(_) => "bounced",
                _ => continue,
            };
            // Steps only grow, so a marker of this kind at this place is among the last few.
            let taken = markers.iter().rev().take_while(|m| place(m.step) == place(k)).any(|m| m.kind == kind);
            if !taken {
                markers.push(Marker { step: k, kind });
            }
        }
    }
    markers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;
    use std::rc::Rc;

    #[test]
    fn a_deferred_letter_is_queued_retried_and_delivered_in_that_order() {
        let player = Player::new(Rc::new(simulate(&preset("server-down").unwrap().scenario().unwrap())));
        let kinds: Vec<&str> = markers(&player).iter().map(|m| m.kind).collect();
        let first = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
        assert!(first("queued") < first("retry") && first("retry") < first("delivered"), "{kinds:?}");
        assert!(!kinds.contains(&"bounced"));
    }

    #[test]
    fn a_month_of_retries_gives_one_marker_per_place_on_the_scrubber() {
        let scenario = crate::engine::scenario::workloads::runaway(5).unwrap();
        let budget = crate::engine::world::Budget { events: 100_000, line_bytes: usize::MAX };
        let player = Player::new(Rc::new(crate::engine::world::simulate_within(&scenario, budget)));
        let retries = player.trace().events.iter().filter(|e| matches!(e.kind, EventKind::Retry(_))).count();
        let markers = markers(&player);
        assert!(retries > 5 * SCRUBBER_UNITS, "{retries} retries");
        assert!(markers.len() <= 4 * (SCRUBBER_UNITS + 1), "{} markers", markers.len());
        let retry_places = markers.iter().filter(|m| m.kind == "retry").count();
        assert!(retry_places > SCRUBBER_UNITS * 9 / 10, "retries are marked all along: {retry_places}");
    }
}
