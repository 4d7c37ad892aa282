//! The interactive lab: terminals on the world's servers, a compose form, live faults, and the
//! same diagram and stream as the player, following the world as it changes.

mod compose;
mod faults;
mod state;
mod terminal;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use compose::Compose;
use faults::Faults;
use state::{LabAction, LabReducer, LabState, SERVICES};
use terminal::Terminal;

use super::components::{Diagram, StreamPanel};
use crate::engine::scenario::Send;
use crate::engine::trace::format_time;
use crate::lab::switches::{switches, Fault};

/// How often the lab's clock moves, and by how much: real time.
const TICK_MS: u32 = 250;

#[function_component(LabView)]
pub fn lab_view() -> Html {
    let state = use_reducer(|| LabReducer(LabState::new()));

    // The clock: real time passes in the world; the state changes (and the lab is drawn
    // again) only when something happened.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || dispatcher.dispatch(LabAction::Tick(u64::from(TICK_MS))));
            move || drop(interval)
        });
    }
    let Some(s) = state.0.as_ref() else {
        return html! { <p class="preset-error" role="alert">{ "The lab's world could not be built." }</p> };
    };
    let connect = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(LabAction::Connect))
    };
    let on_fast_forward = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(LabAction::FastForward))
    };
    let pick_service = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatcher.dispatch(LabAction::PickService(select.value().parse().unwrap_or(0)));
        })
    };
    let on_send = {
        let dispatcher = state.dispatcher();
        Callback::from(move |send: Send| dispatcher.dispatch(LabAction::Send(send)))
    };
    let on_toggle = {
        let dispatcher = state.dispatcher();
        Callback::from(move |fault: Fault| dispatcher.dispatch(LabAction::Toggle(fault)))
    };
    let save_world = {
        let lab = s.lab.clone();
        Callback::from(move |_| {
            let _ = crate::ui::browser::save("my-lab.json", "application/json", &lab.borrow().to_scenario_json());
        })
    };

    let l = s.lab.borrow();
    let scenario = l.world().scenario();
    let devices: Vec<(AttrValue, AttrValue)> = scenario
        .hosts
        .iter()
        .filter(|h| h.submits_to.is_some())
        .filter_map(|h| Some((AttrValue::from(h.name.clone()), AttrValue::from(h.device_of.clone()?))))
        .collect();
    let stranger = l.kit().map(|k| (AttrValue::from(crate::lab::sender_auth::STRANGER), AttrValue::from(k.checker.clone())));
    let switches = switches(&l);
    let next_due = l.world().next_due().map(|t| AttrValue::from(format_time(t)));

    let terminals = l.terminals.iter().enumerate().rev().map(|(t, term)| {
        let hint = l.hint(t);
        let on_line = {
            let dispatcher = state.dispatcher();
            Callback::from(move |line: String| dispatcher.dispatch(LabAction::TypeLine(t, line)))
        };
        let on_close = {
            let dispatcher = state.dispatcher();
            Callback::from(move |_| dispatcher.dispatch(LabAction::CloseTerminal(t)))
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
                <p class="visually-hidden" role="status">{ s.said.clone() }</p>
                <div class="connect">
                    <label>{ "Connect to " }
                        <select onchange={pick_service}>
                            { for SERVICES.iter().enumerate().map(|(i, (_, label))| html! { <option value={i.to_string()} selected={i == s.service}>{ *label }</option> }) }
                        </select>
                    </label>
                    <button type="button" class="control" onclick={connect}>{ "Connect" }</button>
                </div>
                { for terminals }
                <Compose devices={devices} stranger={stranger} on_send={on_send} error={s.send_error.clone()} />
                <Faults switches={switches} on_toggle={on_toggle} on_fast_forward={on_fast_forward} next_due={next_due} />
                <button type="button" class="control small" onclick={save_world}>{ "Save this world as a scenario file" }</button>
            </section>
            <section class="diagram" aria-label="Diagram">
                <Diagram hosts={s.hosts.clone()} view={s.drawn.view.clone()} />
            </section>
            <StreamPanel rows={s.drawn.rows.clone()} first={s.drawn.last()} last={s.drawn.last()} on_select={Callback::from(|_| ())} />
        </div>
    }
}
