use yew::prelude::*;

use crate::player::inspect::Inspection;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub inspection: Option<std::rc::Rc<Inspection>>,
}

/// The letter: envelope beside headers, the Received chain, the parts as text (never HTML).
#[function_component(Inspector)]
pub fn inspector(p: &InspectorProps) -> Html {
    let Some(i) = &p.inspection else {
        return html! { <p class="empty">{ "No letter has been written yet at this step." }</p> };
    };
    html! {
        <div class="inspector">
            <p class="seen">{ format!("{} · {}", i.message_id, i.seen) }</p>
            <div class="envelope-and-headers">
                <div class="envelope-box">
                    <h3>{ "Envelope" }</h3>
                    if let Some(from) = &i.mail_from {
                        <dl>
                            <dt>{ "MAIL FROM" }</dt><dd>{ from.clone() }</dd>
                            { for i.rcpt_to.iter().map(|r| html! { <><dt>{ "RCPT TO" }</dt><dd>{ r.clone() }</dd></> }) }
                        </dl>
                    } else {
                        <p class="hint">{ "Delivered: the envelope is gone; Return-Path keeps its sender." }</p>
                    }
                </div>
                <div class="headers-box">
                    <h3>{ "Header fields" }</h3>
                    <dl class="headers">
                        { for i.headers.iter().filter(|h| !h.name.eq_ignore_ascii_case("Received")).map(|h| html! {
                            <><dt>{ h.name.clone() }</dt><dd>{ h.value.clone() }</dd></>
                        }) }
                    </dl>
                </div>
            </div>
            <h3>{ format!("Received: chain ({} hops, newest first)", i.received.len()) }</h3>
            <ol class="received">
                { for i.received.iter().map(|r| html! { <li>{ r.clone() }</li> }) }
            </ol>
            { for i.parts.iter().enumerate().map(|(n, part)| html! {
                <div class="part">
                    <h3>{ format!("Part {} · {}{}", n + 1, part.content_type, part.filename.as_ref().map(|f| format!(" · {f}")).unwrap_or_default()) }</h3>
                    <pre tabindex="0">{ part.text.clone() }</pre>
                </div>
            }) }
        </div>
    }
}
