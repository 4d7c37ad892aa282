use yew::prelude::*;

use crate::lab::switches::{Fault, Switch};

#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    pub switches: Vec<Switch>,
    pub on_toggle: Callback<Fault>,
    pub on_fast_forward: Callback<()>,
    /// "the next retry at 00:05:30", or nothing due.
    pub next_due: Option<AttrValue>,
}

/// Break things live, and skip the wait.
#[function_component(Faults)]
pub fn faults(p: &FaultsProps) -> Html {
    let forward = {
        let cb = p.on_fast_forward.clone();
        Callback::from(move |_| cb.emit(()))
    };
    html! {
        <fieldset class="faults">
            <legend>{ "Break things" }</legend>
            { for p.switches.iter().map(|s| {
                let toggle = { let cb = p.on_toggle.clone(); let fault = s.fault.clone(); Callback::from(move |_| cb.emit(fault.clone())) };
                html! {
                    <label class="switch"><input type="checkbox" checked={s.on} onchange={toggle} />{ " " }{ s.label.clone() }</label>
                }
            }) }
            <button type="button" class="control small" onclick={forward} disabled={p.next_due.is_none()}>
                { match &p.next_due { Some(t) => format!("Skip to what is next ({t})"), None => "Nothing is waiting".into() } }
            </button>
        </fieldset>
    }
}
