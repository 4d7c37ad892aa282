use yew::prelude::*;

use crate::engine::scenario::{Attachment, Send, Service};

#[derive(Properties, PartialEq)]
pub struct ComposeProps {
    /// (device host name, its owner's address) for each device that can send.
    pub devices: Vec<(AttrValue, AttrValue)>,
    pub on_send: Callback<Send>,
    /// A stranger's server and the MX it talks to on port 25: from there a student sends as
    /// anyone, with no login, as a forger does.
    #[prop_or_default]
    pub stranger: Option<(AttrValue, AttrValue)>,
    /// Why the last send was refused, if it was.
    pub error: Option<AttrValue>,
}

/// Write a letter on a device and send it through its mail client, as the scenarios do.
#[function_component(Compose)]
pub fn compose(p: &ComposeProps) -> Html {
    let device = use_state(|| p.devices.first().map(|d| d.0.to_string()).unwrap_or_default());
    let to = use_state(|| "bob@southbay.test".to_string());
    let cc = use_state(String::new);
    let bcc = use_state(String::new);
    let subject = use_state(|| "Hello".to_string());
    let body = use_state(|| "Hello!\n".to_string());
    let attach = use_state(String::new);
    let posing = use_state(|| "alice@northwind.test".to_string());

    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<web_sys::HtmlTextAreaElement>().map(|t| t.value()))
                .unwrap_or_default();
            state.set(value);
        })
    };
    let pick = {
        let device = device.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            device.set(s.value());
        })
    };
    let strange = p.stranger.as_ref().filter(|(d, _)| **d == *device).map(|(_, server)| server.to_string());
    let from = match &strange {
        Some(_) => (*posing).clone(),
        None => p.devices.iter().find(|d| d.0 == *device).map(|d| d.1.to_string()).unwrap_or_default(),
    };
    let on_submit = {
        let (device, to, cc, bcc, subject, body, attach, on_send, from, strange) =
            (device.clone(), to.clone(), cc.clone(), bcc.clone(), subject.clone(), body.clone(), attach.clone(), p.on_send.clone(), from.clone(), strange.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let list = |s: &str| s.split(',').map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect::<Vec<_>>();
            let recipients = list(&to);
            let recipients: Vec<&str> = recipients.iter().map(String::as_str).collect();
            // The stranger's server talks straight to the MX on port 25, logging in nowhere.
            let (server, service, auth) = match &strange {
                Some(mx) => (Some(mx.clone()), Some(Service::Smtp), false),
                None => (None, None, true),
            };
            on_send.emit(Send {
                server,
                service,
                auth,
                cc: list(&cc),
                bcc: list(&bcc),
                attachment: (!attach.is_empty()).then(|| Attachment {
                    filename: "note.txt".into(),
                    content_type: "text/plain".into(),
                    content: (*attach).clone(),
                }),
                ..Send::new(&device, &from, &recipients, &subject, &body)
            });
        })
    };
    html! {
        <form class="compose" onsubmit={on_submit} aria-label="Write a letter">
            <h3>{ "Write a letter" }</h3>
            <label>{ "From the device " }
                <select onchange={pick}>
                    { for p.devices.iter().map(|(d, owner)| html! { <option value={d.clone()} selected={*d == *device}>{ format!("{d} ({owner})") }</option> }) }
                    if let Some((d, _)) = &p.stranger {
                        <option value={d.clone()} selected={*d == *device}>{ format!("{d} (a stranger's server, port 25, no login)") }</option>
                    }
                </select>
            </label>
            if strange.is_some() {
                <label>{ "As (From) " }<input type="text" value={(*posing).clone()} oninput={text(&posing)} /></label>
            }
            <label>{ "To " }<input type="text" value={(*to).clone()} oninput={text(&to)} /></label>
            <label>{ "Cc " }<input type="text" value={(*cc).clone()} oninput={text(&cc)} /></label>
            <label>{ "Bcc " }<input type="text" value={(*bcc).clone()} oninput={text(&bcc)} /></label>
            <label>{ "Subject " }<input type="text" value={(*subject).clone()} oninput={text(&subject)} /></label>
            <label>{ "Body " }<textarea rows="3" value={(*body).clone()} oninput={text(&body)} /></label>
            <label>{ "Attach a text file (note.txt) " }<textarea rows="2" value={(*attach).clone()} oninput={text(&attach)} /></label>
            <button type="submit" class="control">{ "Send" }</button>
            if let Some(error) = &p.error { <p class="preset-error" role="alert">{ error.clone() }</p> }
        </form>
    }
}
