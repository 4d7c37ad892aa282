use yew::prelude::*;

use crate::engine::trace::format_time;
use crate::engine::time::VirtualTime;
use crate::player::markers::{Marker, SCRUBBER_UNITS};
use crate::ui::browser::{set_single_keys, single_keys_on};
use crate::ui::hooks::SHORTCUTS;
use crate::ui::state::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub step: usize,
    pub len: usize,
    pub at: VirtualTime,
    pub playing: bool,
    pub speed: usize,
    pub markers: std::rc::Rc<Vec<Marker>>,
    pub on_goto: Callback<usize>,
    pub on_start: Callback<()>,
    pub on_back: Callback<()>,
    pub on_toggle: Callback<()>,
    pub on_forward: Callback<()>,
    pub on_end: Callback<()>,
    pub on_speed: Callback<usize>,
    /// "Predict the server's reply" is on.
    pub predict: bool,
    pub on_predict: Callback<bool>,
}

/// Play, pause, step, jump, speed, and the timeline with its markers.
#[function_component(Controls)]
pub fn controls(p: &ControlsProps) -> Html {
    let last = p.len.saturating_sub(1);
    // A step button that cannot act now says so (`aria-disabled`) but keeps its focus: a
    // disabled button would drop the keyboard's focus to the page's body.
    let button = |label: &'static str, text: &'static str, cb: &Callback<()>, disabled: bool| {
        let cb = cb.clone();
        html! {
            <button type="button" class="control" aria-label={label} title={label} aria-disabled={disabled.then_some("true")}
                onclick={Callback::from(move |_| if !disabled { cb.emit(()) })}>{ text }</button>
        }
    };
    let on_scrub = {
        let on_goto = p.on_goto.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(n) = input.value().parse::<usize>() {
                on_goto.emit(n.saturating_sub(1));
            }
        })
    };
    let on_speed = {
        let cb = p.on_speed.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse::<usize>() {
                cb.emit(i);
            }
        })
    };
    // Whether the single-character shortcuts are on, kept by the browser between visits.
    let single_keys = use_state(single_keys_on);
    let on_single_keys = {
        let single_keys = single_keys.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            set_single_keys(input.checked());
            single_keys.set(input.checked());
        })
    };
    let on_predict = {
        let cb = p.on_predict.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    html! {
        <div class="controls" role="toolbar" aria-label="Player">
            { button("First step (Home)", "⇤", &p.on_start, p.step == 0) }
            { button("Previous step (←)", "◀", &p.on_back, p.step == 0) }
            { button(if p.playing { "Pause (Space)" } else { "Play (Space)" }, if p.playing { "Pause" } else { "Play" }, &p.on_toggle, p.len < 2) }
            { button("Next step (→)", "▶", &p.on_forward, p.step >= last) }
            { button("Last step (End)", "⇥", &p.on_end, p.step >= last) }
            <label class="speed"><span class="speed-label">{ "Speed " }</span>
                <select aria-label="Playback speed" onchange={on_speed}>
                    { for SPEEDS.iter().enumerate().map(|(i, (_, label))| html! {
                        <option value={i.to_string()} selected={i == p.speed}>{ *label }</option>
                    }) }
                </select>
            </label>
            <label class="predict-toggle" title="Playing stops before each reply that matters and asks what the server will answer">
                <input type="checkbox" checked={p.predict} onchange={on_predict} />
                { " Predict replies" }
            </label>
            <div class="timeline">
                <input type="range" class="scrubber" aria-label="Step" min="1" max={p.len.max(1).to_string()}
                    value={(p.step + 1).to_string()} oninput={on_scrub} />
                <Markers markers={p.markers.clone()} {last} />
            </div>
            <span class="clock" aria-live="off">
                <span class="step-count">{ format!("Step {} of {}", p.step + 1, p.len.max(1)) }</span>
                <span class="virtual-time" title="Virtual time since the scenario started">{ format!("time {}", format_time(p.at)) }</span>
            </span>
            <details class="shortcuts">
                <summary>{ "Keys" }</summary>
                <dl>{ for SHORTCUTS.iter().map(|(k, v)| html! { <><dt>{ *k }</dt><dd>{ *v }</dd></> }) }</dl>
                <label class="single-keys">
                    <input type="checkbox" checked={*single_keys} onchange={on_single_keys} />
                    { " Letter keys (K, J, L, +, −)" }
                </label>
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MarkersProps {
    markers: std::rc::Rc<Vec<Marker>>,
    last: usize,
}

/// The markers along the timeline: their own component, so that a step (which changes the
/// controls, not the markers) does not redraw thousands of them.
#[function_component(Markers)]
fn markers(p: &MarkersProps) -> Html {
    html! {
        <svg class="markers" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">
            { for p.markers.iter().map(|m| {
                let x = (m.step * SCRUBBER_UNITS).checked_div(p.last).unwrap_or(0);
                html! { <rect class={classes!("marker", m.kind)} x={x.to_string()} y="0" width="4" height="10"><title>{ m.kind }</title></rect> }
            }) }
        </svg>
    }
}
