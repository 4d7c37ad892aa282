use yew::prelude::*;

use crate::catalog::authentication::{record_parts, Check};
use crate::engine::trace::CheckMethod;
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
                <div class="envelope-box" tabindex="0">
                    <h3>{ "Envelope" }</h3>
                    if let Some(from) = &i.mail_from {
                        <dl>
                            <dt>{ "MAIL FROM" }</dt><dd>{ words(from) }</dd>
                            { for i.rcpt_to.iter().map(|r| html! { <><dt>{ "RCPT TO" }</dt><dd>{ words(r) }
                                if i.blind.contains(r) { <span class="blind">{ " Bcc: in no header" }</span> }
                            </dd></> }) }
                        </dl>
                    } else {
                        <p class="hint">{ "Delivered: the envelope is gone; Return-Path keeps its sender." }</p>
                    }
                </div>
                <div class="headers-box" tabindex="0">
                    <h3>{ "Header fields" }</h3>
                    <dl class="headers">
                        { for i.headers.iter().filter(|h| !h.name.eq_ignore_ascii_case("Received")).map(|h| html! {
                            <><dt>{ h.name.clone() }</dt><dd>{ words(&h.value) }</dd></>
                        }) }
                    </dl>
                </div>
            </div>
            <h3>{ format!("Received: chain ({} hops, newest first)", i.received.len()) }</h3>
            <ol class="received">
                { for i.received.iter().map(|r| html! { <li>{ r.clone() }</li> }) }
            </ol>
            if !i.authentication.is_empty() {
                <h3>{ format!("Authentication-Results ({}, newest first): what each receiving MX found", i.authentication.len()) }</h3>
                <ol class="authentication">
                    { for i.authentication.iter().map(|r| html! { <li>{ words(r) }</li> }) }
                </ol>
            }
            if !i.records.is_empty() {
                <h3>{ "What the checks read in DNS, piece by piece" }</h3>
                <dl class="records">
                    { for i.records.iter().map(|(check, name, text)| {
                        let check = match check {
                            CheckMethod::Spf => Check::Spf,
                            CheckMethod::Dkim => Check::Dkim,
                            CheckMethod::Dmarc => Check::Dmarc,
                        };
                        html! { <><dt>{ format!("{} · {name}", check.label()) }</dt><dd>
                            <span class="tag-value">{ text.clone() }</span>
                            <ul>{ for record_parts(check, text).into_iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                        </dd></> }
                    }) }
                </dl>
            }
            { for i.signatures.iter().map(|tags| html! {
                <div class="signature">
                    <h3>{ "DKIM-Signature, tag by tag" }</h3>
                    <dl class="tags">
                        { for tags.iter().map(|(name, value)| html! {
                            <><dt>{ format!("{name}=") }</dt><dd><span class="tag-value">{ value.split_whitespace().collect::<String>() }</span>
                                <span class="meaning">{ crate::catalog::authentication::dkim_tag(name) }</span></dd></>
                        }) }
                    </dl>
                </div>
            }) }
            { for i.parts.iter().enumerate().map(|(n, part)| html! {
                <div class="part">
                    <h3>{ format!("Part {} · {}{}", n + 1, part.content_type, part.filename.as_ref().map(|f| format!(" · {f}")).unwrap_or_default()) }</h3>
                    <pre tabindex="0">{ part.text.clone() }</pre>
                </div>
            }) }
        </div>
    }
}

/// A header value that wraps only between its words: each word is kept whole (an address or
/// `report-type=delivery-status;` is never split at its hyphens), the spaces between them
/// stay breakable, and the text copies as it was.
fn words(value: &str) -> Html {
    let mut out = Vec::new();
    for (i, word) in value.split_whitespace().enumerate() {
        if i > 0 {
            out.push(html! { { " " } });
        }
        out.push(html! { <span class="word">{ word.to_owned() }</span> });
    }
    out.into_iter().collect::<Html>()
}
