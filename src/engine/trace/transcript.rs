//! The trace as text: one line per event, with virtual time, connection and direction, the
//! protocol lines exactly as sent. This is what `mailflow-lab trace` prints and what the
//! golden files hold.

use std::fmt::Write;

use super::{details, Direction, DnsAnswer, Event, EventKind, Trace};
use crate::engine::time::VirtualTime;

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
        EventKind::Action(d) => {
            let details::Action { actor, text } = &**d;
            format!("action  {actor}: {text}")
        }
        EventKind::Composed(d) => {
            let details::Composed { device, message_id, from, to, bcc, subject } = &**d;
            let bcc = if bcc.is_empty() { String::new() } else { format!(" bcc={}", list(bcc)) };
            format!("compose {device}: {message_id} from=<{from}> to={}{bcc} subject={subject:?}", list(to))
        }
        EventKind::DnsQuery(d) => {
            let details::DnsQuery { host, name, record, .. } = &**d;
            format!("dns     {host} asks: {name} {record:?}?")
        }
        EventKind::DnsResponse(d) => {
            let details::DnsResponse { host, name, record, answer, .. } = &**d;
            let said = match answer {
                DnsAnswer::Records { records } => records.join(", "),
                DnsAnswer::NoData => "no such record (NOERROR, empty answer)".into(),
                DnsAnswer::NxDomain => "NXDOMAIN (no such domain)".into(),
                DnsAnswer::ServFail => "SERVFAIL (server failure)".into(),
            };
            format!("dns     {host} hears: {name} {record:?} = {said}")
        }
        EventKind::Connecting(d) => {
            let details::Connecting { client, server, address, port } = &**d;
            format!("tcp     {client} -> {server}[{address}]:{port} connecting")
        }
        EventKind::ConnectFailed(d) => {
            let details::ConnectFailed { client, server, address, port, reason } = &**d;
            format!("tcp     {client} -> {server}[{address}]:{port} failed: {reason}")
        }
        EventKind::Connected(d) => {
            let details::Connected { connection, client, client_port, server, port, protocol, .. } = &**d;
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
        EventKind::Signed(d) => {
            let details::Signed { host, message_id, domain, selector } = &**d;
            format!("dkim    {host}: signed {message_id} d={domain} s={selector}")
        }
        EventKind::Authenticated(d) => {
            let details::Authenticated { host, message_id, checks, disposition, removed_forged } = &**d;
            let results: Vec<String> = checks
                .iter()
                .map(|c| {
                    let policy = c.policy.as_deref().map(|p| format!(" p={p}")).unwrap_or_default();
                    let domain = if c.domain.is_empty() { String::new() } else { format!(" {}", c.domain) };
                    format!("{}={}{domain}{policy} ({})", c.method.name(), c.result, c.reason)
                })
                .collect();
            let forged = if *removed_forged > 0 { format!("; removed {removed_forged} forged Authentication-Results") } else { String::new() };
            format!("auth    {host}: {message_id} {}; disposition {disposition}{forged}", results.join("; "))
        }
        EventKind::Queued(d) => {
            let details::Queued { host, queue_id, message_id, from, to } = &**d;
            format!("queue   {host} {queue_id}: queued {message_id} from=<{from}> to={}", list(to))
        }
        EventKind::Deferred(d) => { let details::Deferred { host, queue_id, recipients, reason, retry_at } = &**d; format!(
            "queue   {host} {queue_id}: deferred to={}, retry at {} ({reason})",
            list(recipients),
            format_time(*retry_at)
        ) },
        EventKind::Retry(d) => {
            let details::Retry { host, queue_id, attempt } = &**d;
            format!("queue   {host} {queue_id}: attempt {attempt}")
        }
        EventKind::Relayed(d) => {
            let details::Relayed { host, queue_id, recipients, to_host } = &**d;
            format!("queue   {host} {queue_id}: sent to={} via {to_host}", list(recipients))
        }
        EventKind::Power { host, up } => {
            format!("power   {host} is {}", if *up { "back up" } else { "down: it answers nothing" })
        }
        EventKind::MailboxRemoved(d) => {
            let details::MailboxRemoved { host, user, message_ids } = &**d;
            format!("store   {host}: removed from {user}'s mailbox: {}", message_ids.join(", "))
        }
        EventKind::Delivered(d) => {
            let details::Delivered { host, user, folder, message_id, .. } = &**d;
            format!("store   {host}: {message_id} delivered to {user} in {folder}")
        }
        EventKind::Bounced(d) => {
            let details::Bounced { host, queue_id, recipients, reason } = &**d;
            format!("queue   {host} {queue_id}: bounced to={} ({reason})", list(recipients))
        }
        EventKind::DelayWarning(d) => {
            let details::DelayWarning { host, queue_id, recipients } = &**d;
            format!("queue   {host} {queue_id}: delay warning sent for to={}", list(recipients))
        }
        EventKind::Removed(d) => {
            let details::Removed { host, queue_id } = &**d;
            format!("queue   {host} {queue_id}: removed")
        }
        EventKind::NotSent(d) => {
            let details::NotSent { device, message_id, recipients, reason } = &**d;
            format!("mua     {device}: {message_id} not sent to={} ({reason})", list(recipients))
        }
        EventKind::Fetched(d) => {
            let details::Fetched { device, user, service, message_ids, on_server, deleted, mailbox } = &**d;
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
        EventKind::FetchFailed(d) => {
            let details::FetchFailed { device, user, reason } = &**d;
            format!("mua     {device}: fetch for {user} failed ({reason})")
        }
        EventKind::Explain(d) => { let details::Explain { connection, rfc, text } = &**d; match connection {
            Some(c) => format!("#{c} note  [{rfc}] {text}"),
            None => format!("note    [{rfc}] {text}"),
        } },
        EventKind::Halted(d) => {
            let details::Halted { limit, queued, next } = &**d;
            let limit = match limit {
                details::Limit::Events(n) => format!("more than {n} events"),
                details::Limit::LineBytes(n) => format!("more than {n} bytes of lines"),
            };
            let next = next.map(|t| format!(", next task due at {}", format_time(t))).unwrap_or_default();
            format!("halt    the simulation stopped at its budget ({limit}); {queued} messages still queued{next}")
        }
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
        let trace = Trace::new(
            "t",
            vec![
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
        );
        assert_eq!(
            transcript(&trace),
            "00:00:00.020 #1     S: 220 smtp.northwind.test ESMTP\n\
             00:00:00.140 #1 tls C: EHLO alice-laptop.northwind.test\n"
        );
    }
}
