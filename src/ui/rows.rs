//! The trace as rows of the command stream, shared by the player and the lab.

use yew::AttrValue;

use super::components::{StreamRow, StreamRows};
use crate::engine::trace::{transcript_line, Direction, EventKind};
use crate::player::Player;

/// Every event as a stream row, with its connection's protocol and the long waits marked, and
/// the protocols and connections the stream's filters offer.
pub fn stream_rows(player: &Player) -> StreamRows {
    let trace = player.trace();
    let mut protocols = std::collections::BTreeMap::new();
    let mut previous = None;
    let rows: Vec<StreamRow> = trace
        .events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let connection = match &event.kind {
                EventKind::Connected(open) => {
                    protocols.insert(open.connection, open.protocol.name());
                    Some(open.connection)
                }
                EventKind::Line { connection, .. }
                | EventKind::TlsStarted { connection }
                | EventKind::Closed { connection } => Some(*connection),
                EventKind::Explain(note) => note.connection,
                _ => None,
            };
            let protocol = match &event.kind {
                EventKind::DnsQuery { .. } | EventKind::DnsResponse { .. } => Some("dns"),
                _ => connection.and_then(|c| protocols.get(&c).cloned()),
            };
            let gap_secs = previous.map_or(0, |p: u64| (event.at.as_millis().saturating_sub(p)) / 1000);
            previous = Some(event.at.as_millis());
            StreamRow {
                event: i,
                kind: match &event.kind {
                    EventKind::Line { direction: Direction::ClientToServer, .. } => "client",
                    EventKind::Line { direction: Direction::ServerToClient, .. } => "server",
                    _ => "event",
                },
                text: transcript_line(event).into(),
                connection,
                protocol: protocol.map(AttrValue::from),
                gap: (gap_secs >= 60).then(|| AttrValue::from(wait_in_words(gap_secs))),
            }
        })
        .collect();
    let mut offered: Vec<AttrValue> = rows.iter().filter_map(|r| r.protocol.clone()).collect();
    offered.sort();
    offered.dedup();
    StreamRows { rows, protocols: offered, connections: protocols.into_keys().collect() }
}

fn wait_in_words(secs: u64) -> String {
    match secs {
        s if s >= 2 * 86_400 => format!("{} days later", s / 86_400),
        s if s >= 2 * 3600 => format!("{} hours later", s / 3600),
        s => format!("{} min later", s / 60),
    }
}

