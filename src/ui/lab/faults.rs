use yew::prelude::*;

/// A fault the student can switch: what it is and whether it is on.
#[derive(Clone, PartialEq)]
pub struct Switch {
    /// `power:mx.southbay.test`, `unknown:bob@southbay.test`, ...: what `on_toggle` gets back.
    pub key: AttrValue,
    pub label: AttrValue,
    pub on: bool,
}

#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    pub switches: Vec<Switch>,
    pub on_toggle: Callback<AttrValue>,
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
                let toggle = { let cb = p.on_toggle.clone(); let key = s.key.clone(); Callback::from(move |_| cb.emit(key.clone())) };
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
