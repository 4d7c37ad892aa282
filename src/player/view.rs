//! The step view: everything the screen shows at one step, as plain data. The app renders it
//! and derives nothing from events itself, so what a student sees is computed (and tested)
//! natively, here.
//!
//! Each part costs what it shows, not the trace's length (ARCHITECTURE, "How the app shows a
//! trace"): the scene comes from the nearest snapshot, the narration replays one connection,
//! the hop, the wire and the letter are searched back from the cursor, and the summary was
//! gathered when the player was made.

use std::rc::Rc;

use crate::catalog::scene::{more_lines, Description, HopWords, LetterName, Whereabouts};
use crate::engine::scenario::Service;
use crate::engine::trace::{format_time, opening, transcript_line, ConnectionId, EventKind};
use crate::engine::time::VirtualTime;
use crate::player::inspect::{inspect, Inspection};
use crate::player::narrator::{narrate, Narration};
use crate::player::wire::{overheard, Overheard};
use crate::player::{journey_stage, Cast, JourneyStage, Letter, Place, Player, Scene};

/// Raw lines of the step shown under its narration; a long message body is cut.
const RAW_LINES: usize = 4;
/// Letters named in the description; a busy world's others are counted.
const DESCRIBED_LETTERS: usize = 8;

/// The connection the step is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveHop {
    pub connection: ConnectionId,
    /// Host names, as in the trace and the layout.
    pub client: String,
    pub server: String,
    pub protocol: Service,
    pub port: u16,
    pub tls: bool,
}

/// One copy of a letter and where it is, in data and in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterView {
    pub message_id: String,
    pub notice: bool,
    pub place: Place,
    /// On the wire of the step's hop, from its client to its server.
    pub in_transit: bool,
    pub name: LetterName,
    pub whereabouts: Whereabouts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepView {
    /// From 0.
    pub step: usize,
    pub steps: usize,
    pub at: VirtualTime,
    pub scene: Rc<Scene>,
    /// The furthest stage of the journey the step reaches.
    pub stage: Option<JourneyStage>,
    /// Connections with lines (or opening) in this step: drawn as active hops.
    pub active: Vec<ConnectionId>,
    /// The hop in focus: the step's own, or the latest one before it.
    pub hop: Option<ActiveHop>,
    /// The host asking DNS in this step.
    pub dns_asker: Option<String>,
    pub narration: Narration,
    /// The step's events as transcript lines, the first few and a count of the rest.
    pub lines: Vec<String>,
    /// The first few letters of the scene (those on the wire first); `scene` has them all.
    pub letters: Vec<LetterView>,
    /// Hosts switched off, by their labels.
    pub down: Vec<String>,
    /// What an eavesdropper on the hop in focus has read so far.
    pub wire: Rc<Vec<Overheard>>,
    /// The letter in focus (the latest one the trace mentioned), for the letter tab.
    pub inspection: Option<Rc<Inspection>>,
    /// The hosts the letter in focus has passed so far, in order: its route, drawn behind it.
    pub route: Vec<String>,
    /// The letter the step's hop carries, if it carries one: it travels along the hop.
    pub moving: Option<LetterView>,
    /// At the last step: each letter's journey in a sentence. Empty before.
    pub summary: Vec<String>,
    /// The diagram in words: the step, the time, where each letter is, the open hop, hosts down.
    pub description: String,
}

impl Player {
    /// What the screen shows at `step` (from 0; past the end, the last step).
    pub fn view(&self, step: usize) -> Option<StepView> {
        let steps = self.len();
        let step = step.min(steps.checked_sub(1)?);
        let range = self.steps()[step];
        let events = &self.trace().events;
        let here = &events[range.first..=range.last];
        let seen = &events[..=range.last];
        let before = self.scene_before(step);
        let scene = self.scene_at(step);
        let cast = self.cast();

        let stage = here.iter().filter_map(|e| journey_stage(&e.kind, &before)).max();
        let mut active: Vec<ConnectionId> = here
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Line { connection, .. } => Some(*connection),
                EventKind::Connected(open) => Some(open.connection),
                _ => None,
            })
            .collect();
        active.dedup();
        let dns_asker = here.iter().find_map(|e| match &e.kind {
            EventKind::DnsQuery(q) => Some(q.host.clone()),
            EventKind::DnsResponse(r) => Some(r.host.clone()),
            _ => None,
        });

        // The hop in focus and where it opened, searched back from the cursor: a step costs
        // the length of one connection, not of the whole trace.
        let focus = active.first().copied().or_else(|| {
            seen.iter().rev().find_map(|e| match e.kind {
                EventKind::Line { connection, .. } => Some(connection),
                _ => None,
            })
        });
        let opened = focus.and_then(|c| opening(seen, c));
        let hop = opened.map(|(_, open)| ActiveHop {
            connection: open.connection,
            client: open.client.clone(),
            server: open.server.clone(),
            protocol: open.protocol,
            port: open.port,
            // Open now: as the scene has it; closed in this step: as it was before.
            tls: scene.connections.get(&open.connection).or(before.connections.get(&open.connection)).is_some_and(|h| h.tls),
        });
        let wire = Rc::new(match opened {
            Some((i, open)) => overheard(&seen[i..], seen.len() - i, open.connection),
            None => Vec::new(),
        });

        let letter = seen.iter().rev().find_map(|e| match &e.kind {
            EventKind::Connected(open) => open.carrying.clone(),
            EventKind::Composed(c) => Some(c.message_id.clone()),
            EventKind::Queued(q) => Some(q.message_id.clone()),
            EventKind::Delivered(d) => Some(d.message_id.clone()),
            EventKind::Fetched(f) => f.message_ids.last().cloned(),
            _ => None,
        });
        let route = letter
            .as_ref()
            .and_then(|id| self.journey(id))
            .map(|j| j.path_before(range.last + 1).to_vec())
            .unwrap_or_default();
        let inspection = letter.and_then(|id| inspect(events, range.last + 1, &id)).map(Rc::new);

        let raw: Vec<&crate::engine::trace::Event> = here.iter().filter(|e| !matches!(e.kind, EventKind::Explain(_))).collect();
        let mut lines: Vec<String> = raw.iter().take(RAW_LINES).map(|e| transcript_line(e)).collect();
        if raw.len() > RAW_LINES {
            lines.push(more_lines(raw.len() - RAW_LINES));
        }

        let letters = letter_views(&scene, &active, cast);
        let moving = letters.iter().find(|l| l.in_transit).cloned();
        let down: Vec<String> = scene.down.iter().map(|h| cast.host(h)).collect();
        let summary = if step + 1 == steps {
            self.journeys().iter().map(|j| j.story(cast, &scene).say().text).collect()
        } else {
            Vec::new()
        };
        let description = Description {
            step: step + 1,
            steps,
            time: format_time(scene.at),
            letters: letters.iter().map(|l| (l.name.clone(), l.whereabouts.clone())).collect(),
            more: scene.letters.len().saturating_sub(letters.len()),
            hop: hop.as_ref().filter(|h| active.contains(&h.connection)).map(|h| HopWords {
                client: cast.host(&h.client),
                server: cast.host(&h.server),
                protocol: h.protocol,
                port: h.port,
                tls: h.tls,
            }),
            dns: dns_asker.as_ref().map(|h| cast.host(h)),
            down: down.clone(),
        }
        .say();

        Some(StepView {
            step,
            steps,
            at: scene.at,
            narration: narrate(self.trace(), range, cast),
            scene: Rc::new(scene),
            stage,
            active,
            hop,
            dns_asker,
            lines,
            letters,
            down,
            wire,
            inspection,
            route,
            moving,
            summary,
            description,
        })
    }
}

/// The hop that carries `letter` in this step, if any: (client, server).
fn carrier<'a>(letter: &Letter, scene: &'a Scene, active: &[ConnectionId]) -> Option<(&'a str, &'a str)> {
    active.iter().find_map(|c| {
        let hop = scene.connections.get(c)?;
        let carries = hop.carrying.as_deref() == Some(letter.message_id.as_str()) && hop.client == letter.place.host();
        carries.then_some((hop.client.as_str(), hop.server.as_str()))
    })
}

/// The first letters of the scene in words, those on the wire now first.
fn letter_views(scene: &Scene, active: &[ConnectionId], cast: &Cast) -> Vec<LetterView> {
    let moving = scene.letters.iter().filter(|l| carrier(l, scene, active).is_some());
    let resting = scene.letters.iter().filter(|l| carrier(l, scene, active).is_none());
    moving
        .chain(resting)
        .take(DESCRIBED_LETTERS)
        .map(|l| {
            let carried = carrier(l, scene, active);
            let whereabouts = match (carried, &l.place) {
                (Some((from, to)), _) => Whereabouts::InTransit { from: cast.host(from), to: cast.host(to) },
                (None, Place::Outbox { host }) => Whereabouts::Outbox { host: cast.host(host) },
                (None, Place::NotSent { host }) => Whereabouts::NotSent { host: cast.host(host) },
                (None, Place::Queue { host, retry_at, .. }) => Whereabouts::Queue { host: cast.host(host), retry: retry_at.map(format_time) },
                (None, Place::Mailbox { host, user }) => Whereabouts::Mailbox { host: cast.host(host), user: user.clone() },
                (None, Place::Device { host, .. }) => Whereabouts::Device { host: cast.host(host) },
            };
            let name = if l.is_notice() {
                LetterName::Notice { to: l.to.join(", ") }
            } else {
                LetterName::Letter { subject: l.subject.clone().unwrap_or_default() }
            };
            LetterView { message_id: l.message_id.clone(), notice: l.is_notice(), place: l.place.clone(), in_transit: carried.is_some(), name, whereabouts }
        })
        .collect()
}
