//! The interactive lab: terminals on the world's servers, a compose form, live faults, and the
//! same diagram and stream as the player, following the world as it changes.

mod compose;
mod faults;
mod terminal;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use compose::Compose;
use faults::{Faults, Switch};
use terminal::Terminal;

use super::components::{Diagram, StreamPanel};
use super::rows::stream_rows;
use crate::engine::scenario::{Send, Service};
use crate::engine::trace::format_time;
use crate::catalog::lab::{connected, sent, SKIPPED_AHEAD};
use crate::lab::live::Lab;
use crate::player::layout::layout;
use crate::player::{Cast, Player};

/// How often the lab's clock moves, and by how much: real time.
const TICK_MS: u32 = 250;

const SERVICES: [(Service, &str); 4] = [
    (Service::Smtp, "SMTP relay, port 25"),
    (Service::Submission, "Submission, port 587"),
    (Service::Pop3, "POP3, port 110"),
    (Service::Imap, "IMAP, port 143"),
];

#[function_component(LabView)]
pub fn lab_view() -> Html {
    let lab: Rc<RefCell<Option<Lab>>> = use_mut_ref(|| Lab::new("pop-vs-imap").ok());
    let version = use_state(|| 0u64);
    let send_error = use_state(|| None::<AttrValue>);
    let service = use_state(|| 0usize);
    // What the last action did, for a screen reader (the diagram and terminals show it).
    let said = use_state(AttrValue::default);

    // The clock: real time passes in the world; redraw when something happened.
    {
        let (lab, version) = (lab.clone(), version.clone());
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || {
                let changed = lab.borrow_mut().as_mut().is_some_and(|l| {
                    let before = l.world().events().len();
                    l.tick(u64::from(TICK_MS));
                    l.world().events().len() != before
                });
                if changed {
                    version.set(*version + 1);
                }
            });
            move || drop(interval)
        });
    }
    let bump = {
        let version = version.clone();
        move || version.set(*version + 1)
    };
    let guard = lab.borrow();
    let Some(l) = guard.as_ref() else {
        return html! { <p class="preset-error" role="alert">{ "The lab's world could not be built." }</p> };
    };

    let trace = Rc::new(l.trace());
    let scenario = l.world().scenario();
    let player = Player::new(trace.clone()).with_cast(Cast::of(scenario));
    // The world as it stands: the view of the last step (none before anything happened).
    let view = player.view(player.len().saturating_sub(1));
    let rows = Rc::new(stream_rows(&player));
    let hosts = Rc::new(layout(scenario));
    let last = trace.events.len().saturating_sub(1);

    let connect = {
        let (lab, service, bump, said) = (lab.clone(), service.clone(), bump.clone(), said.clone());
        Callback::from(move |_| {
            if let Some(l) = lab.borrow_mut().as_mut() {
                let wanted = SERVICES[*service].0;
                said.set(AttrValue::from(match l.open(wanted) {
                    Ok(t) => connected(t + 1, wanted.name(), wanted.port(), &l.terminals[t].server),
                    Err(e) => e,
                }));
            }
            bump();
        })
    };
    let pick_service = {
        let service = service.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            service.set(s.value().parse().unwrap_or(0));
        })
    };
    let on_send = {
        let (lab, send_error, bump, said) = (lab.clone(), send_error.clone(), bump.clone(), said.clone());
        Callback::from(move |send: Send| {
            let result = lab.borrow_mut().as_mut().map(|l| l.send(&send));
            if let Some(Ok(())) = result {
                said.set(AttrValue::from(sent(&send.from, &send.to.join(", "))));
            }
            send_error.set(match result {
                Some(Err(e)) => Some(e.into()),
                _ => None,
            });
            bump();
        })
    };
    let on_toggle = {
        let (lab, bump) = (lab.clone(), bump.clone());
        Callback::from(move |key: AttrValue| {
            if let Some(l) = lab.borrow_mut().as_mut() {
                toggle(l, &key);
            }
            bump();
        })
    };
    let on_fast_forward = {
        let (lab, bump, said) = (lab.clone(), bump.clone(), said.clone());
        Callback::from(move |_| {
            if let Some(l) = lab.borrow_mut().as_mut() {
                l.world_mut().fast_forward();
                l.tick(0);
            }
            said.set(AttrValue::from(SKIPPED_AHEAD));
            bump();
        })
    };

    let save_world = {
        let lab = lab.clone();
        Callback::from(move |_| {
            if let Some(l) = lab.borrow().as_ref() {
                let _ = crate::ui::browser::save("my-lab.json", "application/json", &l.to_scenario_json());
            }
        })
    };
    let devices: Vec<(AttrValue, AttrValue)> = scenario
        .hosts
        .iter()
        .filter(|h| h.submits_to.is_some())
        .filter_map(|h| Some((AttrValue::from(h.name.clone()), AttrValue::from(h.device_of.clone()?))))
        .collect();
    let switches = switches(l);
    let next_due = l.world().next_due().map(|t| AttrValue::from(format_time(t)));

    let terminals = l.terminals.iter().enumerate().rev().map(|(t, term)| {
        let hint = l.hint(t);
        let on_line = {
            let (lab, bump) = (lab.clone(), bump.clone());
            Callback::from(move |line: String| {
                if let Some(l) = lab.borrow_mut().as_mut() {
                    l.type_line(t, &line);
                }
                bump();
            })
        };
        let on_close = {
            let (lab, bump) = (lab.clone(), bump.clone());
            Callback::from(move |_| {
                if let Some(l) = lab.borrow_mut().as_mut() {
                    l.close(t);
                }
                bump();
            })
        };
        html! {
            <Terminal key={t} number={t + 1} title={format!("#{} {} {} · {}", t + 1, term.service.name(), term.service.port(), term.server)}
                lines={term.lines.clone()} open={term.open} hint={hint.text()} example={hint.lines.first().cloned().unwrap_or_default()} {on_line} {on_close} />
        }
    });

    html! {
        <div class="lab">
            <section class="lab-side" aria-label="Your tools">
                <h2>{ format!("The lab · time {}", format_time(l.now())) }</h2>
                <p class="visually-hidden" role="status">{ (*said).clone() }</p>
                <div class="connect">
                    <label>{ "Connect to " }
                        <select onchange={pick_service}>
                            { for SERVICES.iter().enumerate().map(|(i, (_, label))| html! { <option value={i.to_string()} selected={i == *service}>{ *label }</option> }) }
                        </select>
                    </label>
                    <button type="button" class="control" onclick={connect}>{ "Connect" }</button>
                </div>
                { for terminals }
                <Compose devices={devices} on_send={on_send} error={(*send_error).clone()} />
                <Faults switches={switches} on_toggle={on_toggle} on_fast_forward={on_fast_forward} next_due={next_due} />
                <button type="button" class="control small" onclick={save_world}>{ "Save this world as a scenario file" }</button>
            </section>
            <section class="diagram" aria-label="Diagram">
                <Diagram hosts={hosts} view={view.map(Rc::new)} />
            </section>
            <StreamPanel rows={rows} first={last} last={last} on_select={Callback::from(|_| ())} />
        </div>
    }
}

/// The faults the lab offers for this world, with their current state.
fn switches(l: &Lab) -> Vec<Switch> {
    let world = l.world();
    let mut out = Vec::new();
    for host in world.hosts() {
        if !host.domains.is_empty() && world.scenario().host(&host.name).is_some_and(|h| !h.services.is_empty()) {
            out.push(Switch {
                key: format!("power:{}", host.name).into(),
                label: format!("{} is switched off", host.name).into(),
                on: host.forced_up == Some(false),
            });
        }
    }
    for host in world.hosts().iter().filter(|h| world.scenario().host(&h.name).is_some_and(|s| s.offers(Service::Smtp) && !s.offers(Service::Submission))) {
        out.push(Switch {
            key: format!("greylist:{}", host.name).into(),
            label: format!("{} greylists", host.name).into(),
            on: host.greylist_delay.is_some(),
        });
    }
    for user in &world.scenario().users {
        let address = user.address.to_ascii_lowercase();
        if address.starts_with("postmaster@") {
            continue;
        }
        let unknown = world.hosts().iter().any(|h| h.unknown_users.contains(&address));
        let full = world.hosts().iter().any(|h| h.full_mailboxes.contains(&address));
        out.push(Switch { key: format!("unknown:{address}").into(), label: format!("{address} does not exist").into(), on: unknown });
        out.push(Switch { key: format!("full:{address}").into(), label: format!("{address}'s mailbox is full").into(), on: full });
    }
    out
}

fn toggle(l: &mut Lab, key: &str) {
    let Some((kind, name)) = key.split_once(':') else { return };
    let on = switches(l).iter().any(|s| s.key == key && s.on);
    // The switch's new state is the opposite of its current one.
    let _ = match kind {
        "power" => l.set_power(name, on),
        "greylist" => l.set_greylisting(name, !on),
        "unknown" => l.set_user_known(name, on),
        "full" => l.set_mailbox_full(name, !on),
        _ => Ok(()),
    };
}
