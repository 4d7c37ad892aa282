//! The sorting offices: each host drawn as what it is (a laptop or phone, a post office, a
//! wall of mailboxes), the letters where they are, the hop of the step as an arrow with its
//! protocol, port and padlock, the route the letter has taken, and the letter travelling.
//!
//! Drawn at its natural size or larger, never smaller: the canvas is given a minimum size
//! (through the CSSOM, which a strict CSP allows where a `style` attribute is refused), so no
//! text is ever under 12 CSS pixels; where the box is smaller, it scrolls.

use std::rc::Rc;

use yew::prelude::*;

use crate::player::geometry::{geometry, Frame, Point, NODE_H, NODE_W};
use crate::player::layout::{Placed, Role};
use crate::player::{Letter, Place, StepView};
use crate::ui::browser::after_paint;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub hosts: Rc<Vec<Placed>>,
    /// What the step shows; `None` before anything happened (the lab's fresh world).
    pub view: Option<Rc<StepView>>,
}

/// Envelopes drawn per place; more are counted ("+12"), so a busy queue stays legible and
/// cheap to draw.
const MAX_ENVELOPES: usize = 4;
const LETTER_W: i32 = 26;
const LETTER_H: i32 = 18;

#[function_component(Diagram)]
pub fn diagram(p: &DiagramProps) -> Html {
    let g = use_memo(p.hosts.clone(), |hosts| geometry(hosts));
    let canvas = use_node_ref();
    // Where the box is smaller than the diagram (a phone), keep the step's hop in view: scroll
    // the box itself, never the page.
    let boxed = use_node_ref();
    {
        let (boxed, canvas) = (boxed.clone(), canvas.clone());
        let focus = p.view.as_ref().and_then(|v| v.hop.as_ref().filter(|h| v.active.contains(&h.connection)).map(|h| h.connection));
        use_effect_with(focus, move |focus| {
            let (Some(c), Some(b), Some(canvas)) = (*focus, boxed.cast::<web_sys::Element>(), canvas.cast::<web_sys::Element>()) else { return };
            // Measured once the browser has laid the step out anyway: measuring now would force
            // a layout of its own on every jump (the cost of a frame in a long trace).
            after_paint(move || {
                let Ok(Some(hop)) = canvas.query_selector(&format!(".hop[data-connection=\"{c}\"] polyline")) else { return };
                let (r, outer) = (hop.get_bounding_client_rect(), b.get_bounding_client_rect());
                if r.left() < outer.left() || r.right() > outer.right() {
                    b.set_scroll_left(b.scroll_left() + (r.left() + r.width() / 2.0 - outer.left() - outer.width() / 2.0) as i32);
                }
                if r.top() < outer.top() || r.bottom() > outer.bottom() {
                    b.set_scroll_top(b.scroll_top() + (r.top() + r.height() / 2.0 - outer.top() - outer.height() / 2.0) as i32);
                }
            });
        });
    }
    let empty = Rc::new(crate::player::Scene::default());
    let (scene, active, dns_asker, description) = match &p.view {
        Some(v) => (v.scene.clone(), v.active.as_slice(), v.dns_asker.as_deref(), v.description.as_str()),
        None => (empty, &[][..], None, crate::catalog::scene::NOTHING_YET),
    };
    let view_box = format!("0 0 {} {}", g.width, g.height);

    let route = p.view.as_ref().map(|v| {
        let legs = v.route.windows(2).filter_map(|pair| g.route(&pair[0], &pair[1]));
        html! { <g class="route">{ for legs.map(|r| html! { <polyline points={points(&r)} /> }) }</g> }
    });
    let hops = scene.connections.iter().filter_map(|(id, hop)| {
        let r = g.route(&hop.client, &hop.server)?;
        let is_active = active.contains(id);
        let (lx, ly) = g.label_point(&r);
        let label = format!("{} {}", hop.protocol.name().to_ascii_uppercase(), hop.port);
        Some(html! {
            <g class={classes!("hop", is_active.then_some("active"), hop.tls.then_some("tls"))} data-connection={id.to_string()}>
                <polyline points={points(&r)} marker-end={is_active.then_some("url(#arrow)")} />
                if is_active {
                    <g class="hop-label" transform={format!("translate({lx} {ly})")}>
                        <rect x={(-(label.len() as i32) * 4 - 8 - if hop.tls { 16 } else { 0 }).to_string()} y="-11" rx="6"
                            width={(label.len() as i32 * 8 + 16 + if hop.tls { 16 } else { 0 }).to_string()} height="22" />
                        <text x={if hop.tls { "8" } else { "0" }} y="4" text-anchor="middle">{ label.clone() }</text>
                        if hop.tls { { padlock(-(label.len() as i32) * 4 - 6, -8) } }
                    </g>
                }
            </g>
        })
    });
    let nodes = p.hosts.iter().filter_map(|host| {
        let f = *g.frames.get(&host.name)?;
        Some(node(host, f, &scene))
    });
    let dns_line = dns_asker.and_then(|asker| {
        let f = g.frames.get(asker)?;
        Some(html! { <line class="dns-query" x1={(f.x + f.w / 2).to_string()} y1={f.y.to_string()} x2={g.dns.0.to_string()} y2={(g.dns.1 + 14).to_string()} /> })
    });
    // The letter on the move, in an overlay of its own: a fresh element each step, so its
    // animation starts when the step is shown (an SVG's animations run on its own clock).
    let moving = p.view.as_ref().and_then(|v| {
        let letter = v.moving.as_ref()?;
        let hop = v.hop.as_ref()?;
        let r = g.route(&hop.client, &hop.server)?;
        let path = r.iter().enumerate().map(|(i, (x, y))| format!("{}{x} {y}", if i == 0 { "M" } else { " L" })).collect::<String>();
        let last = *r.last()?;
        let notice = letter.notice.then_some("notice");
        Some(html! {
            <svg key={v.step.to_string()} class="travel" viewBox={view_box.clone()} aria-hidden="true">
                <g class={classes!("letter", "moving", notice)}>
                    <g transform={format!("translate({} {})", -LETTER_W / 2, -LETTER_H / 2)}>{ envelope_shape() }</g>
                    <animateMotion dur="0.9s" fill="freeze" path={path} calcMode="spline" keyTimes="0;1" keySplines="0.4 0 0.2 1" />
                </g>
                <g class={classes!("letter", "arrived", notice)} transform={format!("translate({} {})", last.0 - LETTER_W / 2, last.1 - LETTER_H / 2)}>
                    { envelope_shape() }
                </g>
            </svg>
        })
    });

    html! {
        <>
        <div class="diagram-box" ref={boxed} tabindex="0">
            <div class="diagram-canvas" ref={canvas}>
                // Holds the canvas at the diagram's natural size at least: the drawing scales
                // up to fill the box but never down, so no text is under 12 px; a smaller box
                // scrolls. (Attributes, not a style: the page's CSP refuses inline styles.)
                <svg class="spacer" width={g.width.to_string()} height={g.height.to_string()} aria-hidden="true" />
                <svg class="diagram-svg" viewBox={view_box.clone()} role="img" aria-label={description.to_owned()}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0 0 L10 5 L0 10 z" />
                        </marker>
                    </defs>
                    <g class={classes!("dns", dns_asker.is_some().then_some("active"))} transform={format!("translate({} {})", g.dns.0, g.dns.1)}>
                        <title>{ "DNS: the directory that says which server takes a domain's mail" }</title>
                        <rect x="-46" y="-16" width="92" height="32" rx="5" />
                        <path class="book" d="M-38 -9 h14 v18 h-14 z M-31 -9 v18" />
                        <text x="8" y="6" text-anchor="middle">{ "DNS" }</text>
                    </g>
                    { for dns_line }
                    { for route }
                    { for nodes }
                    { for hops }
                </svg>
                { for moving }
            </div>
        </div>
        <div class="diagram-folds">
        // The diagram in words for everyone, the same paragraph a screen reader hears.
        <details class="legend-fold">
            <summary>{ "In words" }</summary>
            <p class="legend in-words">{ description.to_owned() }</p>
        </details>
        <details class="legend-fold">
        <summary>{ "Legend" }</summary>
        <ul class="legend" aria-label="Legend">
            <li><svg viewBox="0 0 26 18" aria-hidden="true"><g class="letter">{ envelope_shape() }</g></svg>{ "a letter" }</li>
            <li><svg viewBox="0 0 26 18" aria-hidden="true"><g class="letter sample-notice">{ envelope_shape() }</g></svg>{ "a bounce or warning" }</li>
            <li><svg viewBox="0 0 26 18" aria-hidden="true"><g class="queue-shelf"><line x1="0" y1="16" x2="26" y2="16" /></g></svg>{ "a queue, with its next try" }</li>
            <li><svg viewBox="0 0 26 18" aria-hidden="true">{ padlock(7, 1) }</svg>{ "encrypted (TLS)" }</li>
            <li><svg viewBox="0 0 26 18" aria-hidden="true"><g class="route"><polyline points="0,9 26,9" /></g></svg>{ "the way the letter came" }</li>
        </ul>
        </details>
        </div>
        </>
    }
}

/// `x,y x,y ...` for a polyline.
fn points(route: &[Point]) -> String {
    route.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")
}

fn role_class(role: Role) -> &'static str {
    match role {
        Role::SendingMua | Role::ReadingMua => "mua",
        Role::Msa => "msa",
        Role::Mta => "mta",
        Role::Mda => "mda",
    }
}

/// A host: its picture, its label on one or two lines, its role, the letters it holds, and
/// below it the queue shelf with the next try.
fn node(host: &Placed, f: Frame, scene: &crate::player::Scene) -> Html {
    let down = scene.down.contains(&host.name);
    let letters: Vec<&Letter> = scene.letters_at(&host.name).collect();
    let queued: Vec<&&Letter> = letters.iter().filter(|l| matches!(l.place, Place::Queue { .. })).collect();
    let kept: Vec<&&Letter> = letters.iter().filter(|l| !matches!(l.place, Place::Queue { .. })).collect();
    let cx = f.x + f.w / 2;
    let lines = wrap(&host.label, 14);
    let role_y = f.y + 58 + 16 * lines.len() as i32;
    let letters_y = f.y + NODE_H - LETTER_H - 6;
    let shelf_y = f.y + NODE_H + 24;
    html! {
        <g class={classes!("host", role_class(host.role), down.then_some("down"))} data-host={host.name.clone()}
            data-letters={kept.len().to_string()} data-queued={queued.len().to_string()}>
            <title>{ format!("{} ({}): {}", host.name, host.role.plain(), host.ports.join(", ")) }</title>
            <rect class="frame" x={f.x.to_string()} y={f.y.to_string()} width={f.w.to_string()} height={f.h.to_string()} rx="12" />
            { icon(host, cx, f.y + 8) }
            { for lines.iter().enumerate().map(|(i, line)| html! {
                <text class="host-label" x={cx.to_string()} y={(f.y + 58 + 16 * i as i32).to_string()} text-anchor="middle">{ line.clone() }</text>
            }) }
            <text class="host-role" x={cx.to_string()} y={role_y.to_string()} text-anchor="middle">{ host.role.acronym() }</text>
            { for kept.iter().take(MAX_ENVELOPES).enumerate().map(|(i, l)| envelope(f.x + 8 + (LETTER_W + 4) * i as i32, letters_y, place_class(&l.place), l)) }
            if kept.len() > MAX_ENVELOPES {
                <text class="more" x={(f.x + f.w - 6).to_string()} y={(letters_y + 14).to_string()} text-anchor="end">{ format!("+{}", kept.len() - MAX_ENVELOPES) }</text>
            }
            if down {
                <g class="closed" transform={format!("translate({cx} {})", f.y + 30)}>
                    <rect x="-40" y="-13" width="80" height="22" rx="4" />
                    <text y="3" text-anchor="middle">{ "CLOSED" }</text>
                </g>
            }
            { marks(scene.marks.get(&host.name), cx, f.y + NODE_H + 40) }
            if !queued.is_empty() {
                <g class="queue-shelf">
                    { for queued.iter().take(MAX_ENVELOPES).enumerate().map(|(i, l)| envelope(f.x + 6 + (LETTER_W + 4) * i as i32, shelf_y - LETTER_H - 2, "queued", l)) }
                    if queued.len() > MAX_ENVELOPES {
                        <text class="more" x={(f.x + f.w).to_string()} y={(shelf_y - 6).to_string()} text-anchor="end">{ format!("+{}", queued.len() - MAX_ENVELOPES) }</text>
                    }
                    <line x1={f.x.to_string()} y1={shelf_y.to_string()} x2={(f.x + NODE_W).to_string()} y2={shelf_y.to_string()} />
                    // The marks of the checks take the label's place while they show.
                    if !scene.marks.contains_key(&host.name) {
                        <text class="shelf-label" x={f.x.to_string()} y={(shelf_y + 17).to_string()}>{ shelf_label(&queued, scene) }</text>
                    }
                </g>
            }
        </g>
    }
}

/// The checks a host made of its latest letter (or the signature it put on it), as a row of
/// marks under its box, each with a tick or a cross; the reason in each mark's tooltip.
fn marks(marks: Option<&Vec<crate::player::Mark>>, cx: i32, y: i32) -> Html {
    let Some(marks) = marks.filter(|m| !m.is_empty()) else { return Html::default() };
    // About 7.5 units a bold capital at 12 px, 12 for the tick or cross, 8 around the text:
    // "DMARC✗" takes 58, and three marks may reach into the lanes beside the box.
    let widths: Vec<i32> = marks.iter().map(|m| 15 * m.label.len() as i32 / 2 + 20).collect();
    let total: i32 = widths.iter().sum::<i32>() + 3 * (widths.len() as i32 - 1);
    let mut x = cx - total / 2;
    html! {
        <g class="checks">
            { for marks.iter().zip(&widths).map(|(m, w)| {
                let at = x;
                x += w + 3;
                let sign = if m.ok() { "✓" } else { "✗" };
                html! {
                    <g class={classes!("check", if m.ok() { "pass" } else { "fail" })} data-check={m.label} data-result={m.result.clone()}>
                        <title>{ format!("{} {}: {}", m.label, m.result, m.detail) }</title>
                        <rect x={at.to_string()} y={(y - 13).to_string()} width={w.to_string()} height="18" rx="9" />
                        <text x={(at + w / 2).to_string()} y={y.to_string()} text-anchor="middle">{ format!("{}{sign}", m.label) }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// A label on two lines at most, of about `width` characters, broken between words.
fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        let full = lines.len() == 2;
        match lines.last_mut() {
            Some(line) if full || line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// The picture of a host, 56 wide and 36 high from its top centre.
fn icon(host: &Placed, cx: i32, top: i32) -> Html {
    let t = format!("translate({} {top})", cx - 28);
    match host.role {
        Role::SendingMua | Role::ReadingMua if host.name.contains("phone") => html! {
            <g class="icon phone" transform={t}>
                <rect x="18" y="0" width="20" height="36" rx="4" /><line x1="24" y1="31" x2="32" y2="31" />
            </g>
        },
        Role::SendingMua | Role::ReadingMua => html! {
            <g class="icon laptop" transform={t}>
                <rect x="10" y="2" width="36" height="24" rx="2" /><path d="M4 30 h48 l-4 6 h-40 z" />
            </g>
        },
        Role::Msa | Role::Mta => html! {
            <g class="icon office" transform={t}>
                <path d="M4 14 L28 0 L52 14 z" /><rect x="8" y="14" width="40" height="22" />
                <rect class="door" x="24" y="24" width="8" height="12" /><path class="sign" d="M12 18 h8 v5 h-8 z M12 18 l4 3 l4 -3" />
            </g>
        },
        Role::Mda => html! {
            <g class="icon boxes" transform={t}>
                <rect x="6" y="0" width="44" height="36" rx="2" />
                <path d="M6 12 h44 M6 24 h44 M20.7 0 v36 M35.3 0 v36" />
            </g>
        },
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

/// "next try in 5 minutes" for the earliest retry on the shelf, counting down step by step.
fn shelf_label(queued: &[&&Letter], scene: &crate::player::Scene) -> String {
    let retry = queued
        .iter()
        .filter_map(|l| match l.place {
            Place::Queue { retry_at, .. } => retry_at,
            _ => None,
        })
        .min();
    crate::catalog::scene::shelf(retry.map(|t| t.as_millis().saturating_sub(scene.at.as_millis())))
}

fn envelope_shape() -> Html {
    html! {
        <>
            <rect width={LETTER_W.to_string()} height={LETTER_H.to_string()} rx="2" />
            <polyline points={format!("0,0 {},{} {},0", LETTER_W / 2, LETTER_H / 2 + 1, LETTER_W)} />
        </>
    }
}

/// A letter; a notice (bounce, delay warning) is drawn in red.
fn envelope(x: i32, y: i32, class: &'static str, letter: &Letter) -> Html {
    let what = if letter.is_notice() { "Notice from MAILER-DAEMON".to_owned() } else { letter.subject.clone().unwrap_or_default() };
    let flags = if letter.flags.is_empty() { String::new() } else { format!(" · {}", letter.flags.join(" ")) };
    let title = format!("{what} · {} · to {}{flags}", letter.message_id, letter.to.join(", "));
    let seen = letter.flags.iter().any(|f| f == "\\Seen");
    let flagged = letter.flags.iter().any(|f| f == "\\Flagged");
    html! {
        <g class={classes!("letter", class, letter.is_notice().then_some("notice"), seen.then_some("seen"), flagged.then_some("flagged"))}
            data-message-id={letter.message_id.clone()} transform={format!("translate({x} {y})")}>
            <title>{ title }</title>
            { envelope_shape() }
            if flagged { <polygon class="flag" points="20,-8 27,-4 20,0" /> }
        </g>
    }
}

/// A padlock, 12 wide and 16 high from its top left: the hop is inside TLS.
fn padlock(x: i32, y: i32) -> Html {
    html! {
        <g class="padlock" transform={format!("translate({x} {y})")}>
            <path d="M3 7 v-3 a3 3 0 0 1 6 0 v3" /><rect x="1" y="7" width="10" height="8" rx="1.5" />
        </g>
    }
}
