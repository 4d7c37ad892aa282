//! Steps and snapshots over one trace: the scene at any step in bounded time.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::engine::trace::{EventKind, Trace};
use crate::player::story::{journeys, Journey};
use crate::player::{steps, Cast, Scene, Step};

/// A snapshot every this many events: jumping anywhere replays fewer than this.
const SNAPSHOT_EVERY: usize = 256;

pub struct Player {
    trace: Rc<Trace>,
    steps: Vec<Step>,
    /// `snapshots[i]` is the scene after events `0..i * SNAPSHOT_EVERY`.
    snapshots: Vec<Scene>,
    /// Every letter's journey, for the summary at the end, and where each is by Message-ID.
    journeys: Vec<Journey>,
    journey_of: HashMap<String, usize>,
    /// The names the narration uses for hosts.
    cast: Cast,
    /// The hosts any event names: the ones the diagram draws.
    involved: BTreeSet<String>,
}

impl Player {
    pub fn new(trace: Rc<Trace>) -> Player {
        let steps = steps(&trace);
        let mut snapshots = vec![Scene::default()];
        let mut scene = Scene::default();
        for (i, event) in trace.events.iter().enumerate() {
            scene.apply(event);
            if (i + 1) % SNAPSHOT_EVERY == 0 {
                snapshots.push(scene.clone());
            }
        }
        let involved = trace.events.iter().flat_map(|e| hosts_of(&e.kind)).map(str::to_owned).collect();
        let journeys = journeys(&trace);
        let journey_of = journeys.iter().enumerate().map(|(i, j)| (j.message_id.clone(), i)).collect();
        Player { trace, steps, snapshots, journeys, journey_of, cast: Cast::default(), involved }
    }

    /// The same player, naming hosts as the scenario labels them.
    pub fn with_cast(mut self, cast: Cast) -> Player {
        self.cast = cast;
        self
    }

    pub fn cast(&self) -> &Cast {
        &self.cast
    }

    pub fn journeys(&self) -> &[Journey] {
        &self.journeys
    }

    /// Whether any event of the trace names this host.
    pub fn involves(&self, host: &str) -> bool {
        self.involved.contains(host)
    }

    /// The journey of the letter with this Message-ID.
    pub fn journey(&self, message_id: &str) -> Option<&Journey> {
        self.journey_of.get(message_id).map(|&i| &self.journeys[i])
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Number of visible steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The scene once step `step` (from 0) has happened: after its last event.
    pub fn scene_at(&self, step: usize) -> Scene {
        match self.steps.get(step) {
            Some(s) => self.scene_after_events(s.last + 1),
            None => self.scene_after_events(self.trace.events.len()),
        }
    }

    /// The scene just before step `step` (what its events change).
    pub fn scene_before(&self, step: usize) -> Scene {
        self.scene_after_events(self.steps.get(step).map_or(0, |s| s.first))
    }

    /// The scene after the first `n` events: from the nearest snapshot at or before `n`.
    pub fn scene_after_events(&self, n: usize) -> Scene {
        let n = n.min(self.trace.events.len());
        let k = (n / SNAPSHOT_EVERY).min(self.snapshots.len() - 1);
        let mut scene = self.snapshots[k].clone();
        for event in &self.trace.events[k * SNAPSHOT_EVERY..n] {
            scene.apply(event);
        }
        scene
    }

    /// The step holding event `index`.
    pub fn step_of_event(&self, index: usize) -> usize {
        self.steps.partition_point(|s| s.last < index).min(self.steps.len().saturating_sub(1))
    }
}

/// The hosts an event names.
fn hosts_of(kind: &EventKind) -> Vec<&str> {
    match kind {
        EventKind::Composed(c) => vec![&c.device],
        EventKind::DnsQuery(q) => vec![&q.host],
        EventKind::Connecting(c) => vec![&c.client, &c.server],
        EventKind::ConnectFailed(c) => vec![&c.client, &c.server],
        EventKind::Connected(c) => vec![&c.client, &c.server],
        EventKind::Queued(q) => vec![&q.host],
        EventKind::Relayed(r) => vec![&r.host, &r.to_host],
        EventKind::Power { host, .. } => vec![host],
        EventKind::Delivered(d) => vec![&d.host],
        EventKind::NotSent(n) => vec![&n.device],
        EventKind::Fetched(f) => vec![&f.device],
        EventKind::FetchFailed(f) => vec![&f.device],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenario::preset;
    use crate::engine::world::simulate;

    #[test]
    fn snapshots_give_the_same_scene_as_a_replay_from_zero() {
        let trace = Rc::new(simulate(&preset("gave-up").unwrap().scenario().unwrap()));
        assert!(trace.events.len() > 3 * SNAPSHOT_EVERY, "long enough to cross snapshots");
        let player = Player::new(trace.clone());
        let mut scene = Scene::default();
        for (i, event) in trace.events.iter().enumerate() {
            assert_eq!(player.scene_after_events(i), scene, "before event {i}");
            scene.apply(event);
        }
        assert_eq!(player.scene_at(player.len() - 1), scene);
    }

    #[test]
    fn every_event_belongs_to_the_step_that_holds_it() {
        let trace = Rc::new(simulate(&preset("first-letter").unwrap().scenario().unwrap()));
        let player = Player::new(trace.clone());
        for (k, step) in player.steps().iter().enumerate() {
            for i in step.first..=step.last {
                assert_eq!(player.step_of_event(i), k);
            }
        }
    }
}
