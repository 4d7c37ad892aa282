//! The trace as text: one line per event, with virtual time, connection and direction, the
//! protocol lines exactly as sent. This is what `mailflow-lab trace` prints and what the
//! golden files hold.

use std::fmt::Write;

use super::{Direction, DnsAnswer, Event, EventKind, Trace};
use crate::engine::world::clock::VirtualTime;

/// `HH:MM:SS.mmm` of virtual time since the start; hours go past 24 for long scenarios.
pub fn format_time(t: VirtualTime) -> String {
    let ms = t.as_millis();
    let (s, ms) = (ms / 1000, ms % 1000);
    format!("{:02}:{:02}:{:02}.{ms:03}", s / 3600, s / 60 % 60, s % 60)
}

pub fn transcript(trace: &Trace) -> String {
    let mut out = String::new();
    for event in &trace.events {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{}", transcript_line(event));
    }
    out
}

/// One event as its transcript line, without the line break.
pub fn transcript_line(event: &Event) -> String {
    format!("{} {}", format_time(event.at), describe(event))
}

fn list(addresses: &[String]) -> String {
    addresses.iter().map(|a| format!("<{a}>")).collect::<Vec<_>>().join(",")
}

fn describe(event: &Event) -> String {
    match &event.kind {
        EventKind::Action { actor, text } => format!("action  {actor}: {text}"),
        EventKind::Composed { device, message_id, from, to, subject } => {
            format!("compose {device}: {message_id} from=<{from}> to={} subject={subject:?}", list(to))
        }
        EventKind::DnsQuery { host, name, record } => format!("dns     {host} asks: {name} {record:?}?"),
        EventKind::DnsResponse { host, name, record, answer } => {
            let said = match answer {
                DnsAnswer::Records { records } => records.join(", "),
                DnsAnswer::NoData => "no such record (NOERROR, empty answer)".into(),
                DnsAnswer::NxDomain => "NXDOMAIN (no such domain)".into(),
                DnsAnswer::ServFail => "SERVFAIL (server failure)".into(),
            };
            format!("dns     {host} hears: {name} {record:?} = {said}")
        }
        EventKind::Connecting { client, server, address, port } => {
            format!("tcp     {client} -> {server}[{address}]:{port} connecting")
        }
        EventKind::ConnectFailed { client, server, address, port, reason } => {
            format!("tcp     {client} -> {server}[{address}]:{port} failed: {reason}")
        }
        EventKind::Connected { connection, client, client_port, server, port, protocol, .. } => {
            format!("#{connection} open  {client}:{client_port} -> {server}:{port} ({protocol})")
        }
        EventKind::Line { connection, direction, text, tls } => {
            let who = match direction {
                Direction::ClientToServer => "C:",
                Direction::ServerToClient => "S:",
            };
            let tls = if *tls { "tls " } else { "    " };
            format!("#{connection} {tls}{who} {text}")
        }
        EventKind::TlsStarted { connection } => format!("#{connection} tls   handshake: the lines below are encrypted on the wire"),
        EventKind::Closed { connection } => format!("#{connection} close"),
        EventKind::Queued { host, queue_id, message_id, from, to } => {
            format!("queue   {host} {queue_id}: queued {message_id} from=<{from}> to={}", list(to))
        }
        EventKind::Deferred { host, queue_id, recipients, reason, retry_at } => format!(
            "queue   {host} {queue_id}: deferred to={}, retry at {} ({reason})",
            list(recipients),
            format_time(*retry_at)
        ),
        EventKind::Retry { host, queue_id, attempt } => format!("queue   {host} {queue_id}: attempt {attempt}"),
        EventKind::Relayed { host, queue_id, recipients, to_host } => {
            format!("queue   {host} {queue_id}: sent to={} via {to_host}", list(recipients))
        }
        EventKind::Power { host, up } => {
            format!("power   {host} is {}", if *up { "back up" } else { "down: it answers nothing" })
        }
        EventKind::MailboxRemoved { host, user, message_ids } => {
            format!("store   {host}: removed from {user}'s mailbox: {}", message_ids.join(", "))
        }
        EventKind::Delivered { host, user, folder, message_id, .. } => {
            format!("store   {host}: {message_id} delivered to {user} in {folder}")
        }
        EventKind::Bounced { host, queue_id, recipients, reason } => {
            format!("queue   {host} {queue_id}: bounced to={} ({reason})", list(recipients))
        }
        EventKind::DelayWarning { host, queue_id, recipients } => {
            format!("queue   {host} {queue_id}: delay warning sent for to={}", list(recipients))
        }
        EventKind::Removed { host, queue_id } => format!("queue   {host} {queue_id}: removed"),
        EventKind::NotSent { device, message_id, recipients, reason } => {
            format!("mua     {device}: {message_id} not sent to={} ({reason})", list(recipients))
        }
        EventKind::Fetched { device, user, service, message_ids, on_server, deleted, mailbox } => {
            let mut line = format!(
                "mua     {device}: {service} for {user}: {on_server} on the server, downloaded [{}], deleted {deleted}",
                message_ids.join(", ")
            );
            if !mailbox.is_empty() {
                let seen: Vec<String> = mailbox
                    .iter()
                    .map(|m| format!("{} ({})", m.message_id.as_deref().unwrap_or("?"), m.flags.join(" ")))
                    .collect();
                line.push_str(&format!("; the device shows: {}", seen.join(", ")));
            }
            line
        }
        EventKind::FetchFailed { device, user, reason } => format!("mua     {device}: fetch for {user} failed ({reason})"),
        EventKind::Explain { connection, rfc, text } => match connection {
            Some(c) => format!("#{c} note  [{rfc}] {text}"),
            None => format!("note    [{rfc}] {text}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_count_hours_past_a_day() {
        assert_eq!(format_time(VirtualTime(0)), "00:00:00.000");
        assert_eq!(format_time(VirtualTime(3_723_045)), "01:02:03.045");
        assert_eq!(format_time(VirtualTime::from_secs(5 * 86_400 + 1)), "120:00:01.000");
    }

    #[test]
    fn lines_show_connection_direction_and_tls() {
        let trace = Trace {
            scenario: "t".into(),
            events: vec![
                Event {
                    at: VirtualTime(20),
                    kind: EventKind::Line {
                        connection: 1,
                        direction: Direction::ServerToClient,
                        text: "220 smtp.northwind.test ESMTP".into(),
                        tls: false,
                    },
                },
                Event {
                    at: VirtualTime(140),
                    kind: EventKind::Line {
                        connection: 1,
                        direction: Direction::ClientToServer,
                        text: "EHLO alice-laptop.northwind.test".into(),
                        tls: true,
                    },
                },
            ],
        };
        assert_eq!(
            transcript(&trace),
            "00:00:00.020 #1     S: 220 smtp.northwind.test ESMTP\n\
             00:00:00.140 #1 tls C: EHLO alice-laptop.northwind.test\n"
        );
    }
}
