use yew::prelude::*;

use crate::engine::trace::Direction;
use crate::player::wire::Overheard;

#[derive(Properties, PartialEq)]
pub struct EavesdropperProps {
    /// "smtp.northwind.test → mx.southbay.test, port 25".
    pub hop: Option<AttrValue>,
    pub lines: std::rc::Rc<Vec<Overheard>>,
}

/// What someone sniffing the hop reads: the conversation in clear, then only TLS records.
#[function_component(Eavesdropper)]
pub fn eavesdropper(p: &EavesdropperProps) -> Html {
    let Some(hop) = &p.hop else {
        return html! { <p class="empty">{ "No connection yet at this step." }</p> };
    };
    let clear = p.lines.iter().filter(|l| l.clear.is_some()).count();
    html! {
        <div class="eavesdropper">
            <p class="seen">{ format!("Listening on {hop}: {clear} of {} lines readable", p.lines.len()) }</p>
            <ol class="wire" tabindex="0" aria-label="What the wire carried">
                { for p.lines.iter().map(|l| {
                    let who = match l.direction { Direction::ClientToServer => "C→S", Direction::ServerToClient => "S→C" };
                    match (&l.clear, &l.cipher) {
                        (Some(text), _) => html! { <li class="clear"><span class="who">{ who }</span>{ text.clone() }</li> },
                        (None, Some(bytes)) => html! { <li class="cipher"><span class="who">{ who }</span>{ bytes.clone() }</li> },
                        _ => html! {},
                    }
                }) }
            </ol>
        </div>
    }
}
