//! A scenario's checkpoints on the player: the step each names, and for a quiz the right
//! answer, checked against the engine (the reply it really gives, where the letter really is)
//! rather than written down, so that a quiz stays right when the engine changes.

use crate::engine::scenario::{Checkpoint, Moment, QuizCheck, Scenario, ScenarioError};
use crate::engine::hash::fnv1a64;
use crate::engine::trace::{Direction, EventKind};
use crate::player::{Place, Player};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub question: String,
    pub choices: Vec<String>,
    /// The right choice; `None` if the engine's answer matches none of them (a broken quiz).
    pub correct: Option<usize>,
    pub explain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub name: String,
    /// From 0.
    pub step: usize,
    pub quiz: Option<Question>,
}

/// The checkpoints that happen in this run, in the scenario's order.
pub fn stops(player: &Player, scenario: &Scenario) -> Vec<Stop> {
    scenario
        .checkpoints
        .iter()
        .filter_map(|cp| stop(player, cp))
        .map(|mut stop| {
            let seed = fnv1a64(format!("{}/{}", scenario.name, stop.name).as_bytes());
            stop.quiz = stop.quiz.map(|q| shuffled(q, seed));
            stop
        })
        .collect()
}

/// The choices in an order of their own, the same for every student and every link (seeded by
/// the scenario's and the checkpoint's names), so that the right answer is not always where
/// the file put it (a file's author writes it first).
pub(crate) fn shuffled(question: Question, seed: u64) -> Question {
    let mut order: Vec<usize> = (0..question.choices.len()).collect();
    // Fisher–Yates, driven by a 64-bit xorshift from the seed.
    let mut state = seed | 1;
    for i in (1..order.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let choices = order.iter().map(|&k| question.choices[k].clone()).collect();
    let correct = question.correct.and_then(|c| order.iter().position(|&k| k == c));
    Question { choices, correct, ..question }
}

/// The checkpoints that never happen when the scenario runs, as errors of the file: a link to
/// one (`?step=<name>`) would open nowhere, and its question would never be asked.
pub fn unreached(player: &Player, scenario: &Scenario) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    for (i, cp) in scenario.checkpoints.iter().enumerate() {
        if stop(player, cp).is_none() {
            let moment = match &cp.when {
                Moment::BeforeReply(prefix) => format!("a server's reply starting {prefix:?}"),
                Moment::AfterCommand(command) => format!("a client's command starting {command:?}"),
                other => format!("{:?}", serde_json::to_value(other).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
            };
            let at = cp.host.as_deref().map(|h| format!(" at {h}")).unwrap_or_default();
            let nth = if cp.nth > 1 { format!(" {} times", cp.nth) } else { String::new() };
            errors.push(ScenarioError::new(
                format!("checkpoints[{i}].when"),
                format!("{moment}{at} does not happen{nth} when this scenario runs, so \"{}\" would open nowhere", cp.name),
            ));
        }
    }
    errors
}

fn stop(player: &Player, cp: &Checkpoint) -> Option<Stop> {
    let events = &player.trace().events;
    let last = player.len().checked_sub(1)?;
    let host_is = |h: &str| cp.host.as_deref().is_none_or(|want| want.eq_ignore_ascii_case(h));
    // Which connection each line belongs to, to know whose reply it is.
    let server_of = |c: u32| {
        events.iter().find_map(|e| match &e.kind {
            EventKind::Connected(open) if open.connection == c => Some(open.server.as_str()),
            _ => None,
        })
    };
    // The checkpoint's `nth` line going this way at its host that matches: the event and its
    // connection.
    let nth_line = |direction: Direction, matches: &dyn Fn(&str) -> bool| {
        events
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.kind {
                EventKind::Line { connection, direction: d, text, .. }
                    if *d == direction && matches(text) && server_of(*connection).is_some_and(host_is) =>
                {
                    Some((i, *connection))
                }
                _ => None,
            })
            .nth(cp.nth - 1)
    };
    let mut reply_event = None;
    // The connection the checkpoint's moment is on, if it is on one.
    let mut on = None;
    let step = match &cp.when {
        Moment::Start => 0,
        Moment::End => last,
        Moment::AfterCommand(command) => {
            let (i, connection) = nth_line(Direction::ClientToServer, &|text| is_command(text, command))?;
            on = Some(connection);
            player.step_of_event(i)
        }
        Moment::BeforeReply(prefix) => {
            let (i, connection) = nth_line(Direction::ServerToClient, &|text| text.starts_with(prefix.as_str()))?;
            reply_event = Some(i);
            on = Some(connection);
            player.step_of_event(i).checked_sub(1)?
        }
        moment => {
            let i = events
                .iter()
                .position_nth(cp.nth, |kind| match (moment, kind) {
                    (Moment::Connected, EventKind::Connected(open)) => host_is(&open.server),
                    (Moment::Queued, EventKind::Queued(q)) => host_is(&q.host),
                    (Moment::Deferred, EventKind::Deferred(d)) => host_is(&d.host),
                    (Moment::Relayed, EventKind::Relayed(r)) => host_is(&r.host),
                    (Moment::Delivered, EventKind::Delivered(d)) => host_is(&d.host),
                    (Moment::Bounced, EventKind::Bounced(b)) => host_is(&b.host),
                    (Moment::Fetched, EventKind::Fetched(f)) => host_is(&f.device),
                    _ => false,
                })?;
            if let EventKind::Connected(open) = &events[i].kind {
                on = Some(open.connection);
            }
            player.step_of_event(i)
        }
    };
    // The next line after the step on the checkpoint's connection (any connection if it has
    // none) going this way.
    let next_line = |direction: Direction| {
        let after = player.steps().get(step).map_or(0, |s| s.last + 1);
        events[after.min(events.len())..].iter().find_map(|e| match &e.kind {
            EventKind::Line { connection, direction: d, text, .. } if *d == direction && on.is_none_or(|c| c == *connection) => Some(text.as_str()),
            _ => None,
        })
    };
    let quiz = cp.quiz.as_ref().map(|quiz| {
        let correct = match quiz.check {
            QuizCheck::Answer(n) => Some(n),
            QuizCheck::NextReply => {
                let reply = match reply_event.map(|i| &events[i].kind) {
                    Some(EventKind::Line { text, .. }) => Some(text.as_str()),
                    _ => next_line(Direction::ServerToClient),
                };
                reply.and_then(|text| quiz.choices.iter().position(|c| text.starts_with(c.trim())))
            }
            QuizCheck::NextCommand => next_line(Direction::ClientToServer)
                .and_then(|text| quiz.choices.iter().position(|c| text.to_ascii_uppercase().starts_with(&c.trim().to_ascii_uppercase()))),
            QuizCheck::Port => {
                let port = on.and_then(|c| {
                    events.iter().find_map(|e| match &e.kind {
                        EventKind::Connected(open) if open.connection == c => Some(open.port),
                        _ => None,
                    })
                });
                port.and_then(|port| quiz.choices.iter().position(|c| c.trim() == port.to_string()))
            }
            QuizCheck::LetterLocation => {
                let scene = player.scene_at(step);
                let first_letter = events.iter().find_map(|e| match &e.kind {
                    EventKind::Composed(c) => Some(c.message_id.clone()),
                    _ => None,
                });
                // Where it has got furthest: a mailbox or a device, else a queue.
                let rank = |p: &Place| match p {
                    Place::Mailbox { .. } | Place::Device { .. } => 2,
                    Place::Queue { .. } => 1,
                    Place::Outbox { .. } | Place::NotSent { .. } => 0,
                };
                let holder = scene
                    .letters
                    .iter()
                    .filter(|l| Some(&l.message_id) == first_letter.as_ref() && rank(&l.place) > 0)
                    .max_by_key(|l| rank(&l.place))
                    .map(|l| l.place.host().to_owned());
                holder.and_then(|h| quiz.choices.iter().position(|c| c.contains(&h)))
            }
        };
        Question { question: quiz.question.clone(), choices: quiz.choices.clone(), correct, explain: quiz.explain.clone() }
    });
    Some(Stop { name: cp.name.clone(), step, quiz })
}

/// A client line is the command a checkpoint names: it starts with it (in any case), and for
/// `"."` it is that line alone (a message's own lines that start with a dot are sent doubled,
/// RFC 5321 4.5.2, and are not it).
fn is_command(line: &str, command: &str) -> bool {
    if command == "." {
        return line == ".";
    }
    line.get(..command.len()).is_some_and(|start| start.eq_ignore_ascii_case(command))
}

trait PositionNth<'a> {
    fn position_nth(self, nth: usize, matches: impl Fn(&EventKind) -> bool) -> Option<usize>;
}

impl<'a, I: Iterator<Item = &'a crate::engine::trace::Event>> PositionNth<'a> for I {
    /// The index of the `nth` (from 1) event whose kind matches.
    fn position_nth(self, nth: usize, matches: impl Fn(&EventKind) -> bool) -> Option<usize> {
        self.enumerate().filter(|(_, e)| matches(&e.kind)).nth(nth.checked_sub(1)?).map(|(i, _)| i)
    }
}
