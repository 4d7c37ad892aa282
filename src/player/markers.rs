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

pub fn markers(player: &Player) -> Vec<Marker> {
    let events = &player.trace().events;
    let mut markers = Vec::new();
    for (k, step) in player.steps().iter().enumerate() {
        for event in &events[step.first..=step.last] {
            let kind = match event.kind {
                EventKind::Queued(_) => "queued",
                EventKind::Retry(_) => "retry",
                EventKind::Delivered(_) => "delivered",
                EventKind::Bounced(_) => "bounced",
                _ => continue,
            };
            markers.push(Marker { step: k, kind });
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
}
