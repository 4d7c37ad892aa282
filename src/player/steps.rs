//! Visible steps. Stepping event by event would make a student press "next" forty times to
//! get through one message body, so the lines one side sent at once (one write on the wire)
//! form one step, and a teaching note belongs to the step that made the rule apply.

use crate::engine::trace::{EventKind, Trace};

/// The events `first..=last` of the trace, shown together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub first: usize,
    pub last: usize,
}

pub fn steps(trace: &Trace) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for (i, event) in trace.events.iter().enumerate() {
        let joins = steps.last().is_some_and(|step| {
            let previous = &trace.events[step.last];
            match (&previous.kind, &event.kind) {
                // A note or the TLS handshake follows what caused it.
                (_, EventKind::Explain { .. } | EventKind::TlsStarted { .. }) => true,
                (
                    EventKind::Line { connection: a, direction: da, .. },
                    EventKind::Line { connection: b, direction: db, .. },
                ) => a == b && da == db && previous.at == event.at,
                _ => false,
            }
        });
        match steps.last_mut() {
            Some(step) if joins => step.last = i,
            _ => steps.push(Step { first: i, last: i }),
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    #[test]
    fn a_message_body_is_one_step_and_notes_join_their_cause() {
        let trace = simulate(&preset("first-letter").unwrap().scenario().unwrap());
        let steps = steps(&trace);
        assert!(steps.len() < trace.events.len() / 2, "{} steps for {} events", steps.len(), trace.events.len());
        // Steps cover every event once, in order.
        assert_eq!(steps[0].first, 0);
        assert_eq!(steps.last().unwrap().last, trace.events.len() - 1);
        for pair in steps.windows(2) {
            assert_eq!(pair[0].last + 1, pair[1].first);
        }
        // The step that ends DATA holds the whole message and the final dot.
        let body = steps
            .iter()
            .find(|s| {
                matches!(&trace.events[s.last].kind, EventKind::Line { text, .. } if text == ".")
            })
            .unwrap();
        assert!(body.last - body.first > 20);
        // No step starts with a note.
        assert!(steps.iter().all(|s| !matches!(trace.events[s.first].kind, EventKind::Explain { .. })));
    }
}
