use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::trace::format_time;
use crate::player::layout::Placed;
use crate::player::{Letter, Place, Scene};

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub hosts: Rc<Vec<Placed>>,
    pub scene: Rc<Scene>,
    /// Connections the current step happens on: drawn as the active hops.
    pub active: Vec<u32>,
    /// The host asking DNS in the current step, if any.
    pub dns_asker: Option<AttrValue>,
    /// "4 · MX lookup and relay": the journey step, shown where it happens.
    pub stage: Option<AttrValue>,
    /// The diagram in words, for a screen reader: the step's description.
    pub description: AttrValue,
}

const BOX_W: f64 = 190.0;
const COL_GAP: f64 = 70.0;
const ROW_GAP: f64 = 16.0;
const TOP: f64 = 70.0;
/// Envelopes drawn per place; more are counted ("+12"), so a busy queue stays legible and
/// cheap to draw.
const MAX_ENVELOPES: usize = 6;

struct Frame {
    x: f64,
    y: f64,
    h: f64,
}

fn box_height(host: &Placed) -> f64 {
    // Label, role, name, ports, and a row of letters.
    60.0 + 11.0 * host.ports.len() as f64 + 26.0
}

/// The sorting offices: hosts by role, the letters where they are, the hops in use.
#[function_component(Diagram)]
pub fn diagram(p: &DiagramProps) -> Html {
    // Where each host's box is.
    let mut frames: BTreeMap<&str, Frame> = BTreeMap::new();
    let mut column_bottom: BTreeMap<usize, f64> = BTreeMap::new();
    for host in p.hosts.iter() {
        let y = *column_bottom.get(&host.column).unwrap_or(&TOP);
        let h = box_height(host);
        frames.insert(&host.name, Frame { x: 20.0 + host.column as f64 * (BOX_W + COL_GAP), y, h });
        // Room below for the queue shelf.
        column_bottom.insert(host.column, y + h + ROW_GAP + 34.0);
    }
    let columns = p.hosts.iter().map(|h| h.column + 1).max().unwrap_or(1) as f64;
    let width = 40.0 + columns * BOX_W + (columns - 1.0) * COL_GAP;
    let height = column_bottom.values().cloned().fold(TOP + 100.0, f64::max);
    let dns = (width / 2.0, 26.0);

    let hop_lines = p.scene.connections.iter().filter_map(|(id, hop)| {
        let (a, b) = (frames.get(hop.client.as_str())?, frames.get(hop.server.as_str())?);
        let (x1, y1) = (a.x + BOX_W, a.y + 30.0);
        let (x2, y2) = (b.x, b.y + 30.0);
        let (x1, x2) = if b.x < a.x { (a.x, b.x + BOX_W) } else { (x1, x2) };
        let active = p.active.contains(id);
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let label = format!("{} {}{}", hop.protocol, hop.port, if hop.tls { " · TLS" } else { "" });
        let carrying = hop.carrying.is_some() && active;
        Some(html! {
            <g class={classes!("hop", active.then_some("active"), hop.tls.then_some("tls"))} data-connection={id.to_string()}>
                <line x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
                <text class="hop-label" x={f(mx)} y={f(my - 8.0)} text-anchor="middle">{ label }</text>
                if carrying {
                    { envelope(mx - 11.0, my + 2.0, "letter moving", false, None) }
                }
            </g>
        })
    });

    let boxes = p.hosts.iter().filter_map(|host| {
        let frame = frames.get(host.name.as_str())?;
        let down = p.scene.down.contains(&host.name);
        let letters: Vec<&Letter> = p.scene.letters_at(&host.name).collect();
        let queued: Vec<&&Letter> = letters.iter().filter(|l| matches!(l.place, Place::Queue { .. })).collect();
        let kept: Vec<&&Letter> = letters.iter().filter(|l| !matches!(l.place, Place::Queue { .. })).collect();
        let ports_y = frame.y + 62.0;
        let letters_y = ports_y + 11.0 * host.ports.len() as f64 - 6.0;
        Some(html! {
            <g class={classes!("host", role_class(host), down.then_some("down"))} data-host={host.name.clone()}
                data-letters={kept.len().to_string()} data-queued={queued.len().to_string()}>
                <rect x={f(frame.x)} y={f(frame.y)} width={f(BOX_W)} height={f(frame.h)} rx="10" />
                <text class="host-label" x={f(frame.x + 10.0)} y={f(frame.y + 20.0)}>{ host.label.clone() }</text>
                <text class="host-role" x={f(frame.x + 10.0)} y={f(frame.y + 35.0)}>{ format!("{} · {}", host.role.acronym(), host.role.plain()) }</text>
                <text class="host-name" x={f(frame.x + 10.0)} y={f(frame.y + 49.0)}>{ host.name.clone() }</text>
                { for host.ports.iter().enumerate().map(|(i, port)| html! {
                    <text class="host-port" x={f(frame.x + 10.0)} y={f(ports_y + 11.0 * i as f64)}>{ port.clone() }</text>
                }) }
                { for kept.iter().take(MAX_ENVELOPES).enumerate().map(|(i, l)| envelope(frame.x + 10.0 + 26.0 * i as f64, letters_y, place_class(&l.place), l.is_notice(), Some(l))) }
                if kept.len() > MAX_ENVELOPES {
                    <text class="more" x={f(frame.x + 10.0 + 26.0 * MAX_ENVELOPES as f64)} y={f(letters_y + 12.0)}>{ format!("+{}", kept.len() - MAX_ENVELOPES) }</text>
                }
                if down {
                    <text class="closed" x={f(frame.x + BOX_W - 10.0)} y={f(frame.y + 20.0)} text-anchor="end">{ "CLOSED" }</text>
                }
                if !queued.is_empty() {
                    <g class="queue-shelf">
                        <line x1={f(frame.x)} y1={f(frame.y + frame.h + 26.0)} x2={f(frame.x + BOX_W)} y2={f(frame.y + frame.h + 26.0)} />
                        <text class="shelf-label" x={f(frame.x)} y={f(frame.y + frame.h + 40.0)}>{ shelf_label(&queued) }</text>
                        { for queued.iter().take(MAX_ENVELOPES).enumerate().map(|(i, l)| envelope(frame.x + 4.0 + 26.0 * i as f64, frame.y + frame.h + 9.0, "queued", l.is_notice(), Some(l))) }
                        if queued.len() > MAX_ENVELOPES {
                            <text class="more" x={f(frame.x + 4.0 + 26.0 * MAX_ENVELOPES as f64)} y={f(frame.y + frame.h + 21.0)}>{ format!("+{}", queued.len() - MAX_ENVELOPES) }</text>
                        }
                    </g>
                }
            </g>
        })
    });

    let dns_line = p.dns_asker.as_ref().and_then(|asker| {
        let a = frames.get(asker.as_str())?;
        Some(html! { <line class="dns-query" x1={f(a.x + BOX_W / 2.0)} y1={f(a.y)} x2={f(dns.0)} y2={f(dns.1 + 12.0)} /> })
    });

    html! {
        <svg class="diagram-svg" viewBox={format!("0 0 {} {}", f(width), f(height))} role="img"
            aria-label={p.description.clone()}>
            <g class={classes!("dns", p.dns_asker.is_some().then_some("active"))}>
                <rect x={f(dns.0 - 45.0)} y={f(dns.1 - 14.0)} width="90" height="26" rx="13" />
                <text x={f(dns.0)} y={f(dns.1 + 4.0)} text-anchor="middle">{ "DNS" }</text>
            </g>
            { for dns_line }
            if let Some(stage) = &p.stage {
                <text class="stage-label" x="20" y="30">{ format!("Journey step {stage}") }</text>
            }
            { for boxes }
            { for hop_lines }
        </svg>
    }
}

/// A coordinate in whole pixels (integer formatting: f64's costs 10 KB of wasm).
fn f(v: f64) -> String {
    (v.round() as i64).to_string()
}

fn role_class(host: &Placed) -> &'static str {
    use crate::player::layout::Role;
    match host.role {
        Role::SendingMua | Role::ReadingMua => "mua",
        Role::Msa => "msa",
        Role::Mta => "mta",
        Role::Mda => "mda",
    }
}

fn place_class(place: &Place) -> &'static str {
    match place {
        Place::Outbox { .. } => "outbox",
        Place::NotSent { .. } => "not-sent",
        Place::Queue { .. } => "queued",
        Place::Mailbox { .. } => "in-mailbox",
        Place::Device { .. } => "on-device",
    }
}

/// "waiting · retry at 00:05:30" for the earliest retry on the shelf.
fn shelf_label(queued: &[&&Letter]) -> String {
    let retry = queued
        .iter()
        .filter_map(|l| match l.place {
            Place::Queue { retry_at, .. } => retry_at,
            _ => None,
        })
        .min();
    match retry {
        Some(t) => format!("queue · retry at {}", format_time(t)),
        None => "queue · being sent".into(),
    }
}

/// A small envelope; a notice (bounce, delay warning) is drawn in its own colour.
fn envelope(x: f64, y: f64, class: &'static str, notice: bool, letter: Option<&Letter>) -> Html {
    let title = letter.map(|l| {
        let what = if l.is_notice() { "Notice from MAILER-DAEMON".to_owned() } else { l.subject.clone().unwrap_or_default() };
        let flags = if l.flags.is_empty() { String::new() } else { format!(" · {}", l.flags.join(" ")) };
        format!("{what} · {} · to {}{flags}", l.message_id, l.to.join(", "))
    });
    let seen = letter.is_some_and(|l| l.flags.iter().any(|f| f == "\\Seen"));
    let flagged = letter.is_some_and(|l| l.flags.iter().any(|f| f == "\\Flagged"));
    html! {
        <g class={classes!("letter", class, notice.then_some("notice"), seen.then_some("seen"), flagged.then_some("flagged"))}
            data-message-id={letter.map(|l| l.message_id.clone())}
            transform={format!("translate({} {})", f(x), f(y))}>
            if let Some(t) = title { <title>{ t }</title> }
            <rect width="22" height="15" rx="2" />
            <polyline points="0,0 11,8 22,0" />
            if flagged { <polygon class="flag" points="16,-7 22,-4 16,-1" /> }
        </g>
    }
}
