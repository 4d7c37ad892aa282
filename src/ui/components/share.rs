use yew::prelude::*;

use crate::ui::browser::{copy, save};

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The link to this scenario at this step.
    pub link: AttrValue,
    /// The same, as an iframe for a course page.
    pub iframe: AttrValue,
    /// `mailflow-first-letter`: the start of saved files' names.
    pub name: AttrValue,
    pub transcript: Callback<(), String>,
    /// The scenario's questions as a worksheet, when it asks any.
    #[prop_or_default]
    pub worksheet: Option<AttrValue>,
}

/// Copy a link or an iframe to the current step; save the transcript or the diagram.
#[function_component(Share)]
pub fn share(p: &ShareProps) -> Html {
    // What was copied, or the text to copy by hand where the clipboard is refused.
    let status = use_state(|| None::<(String, Option<String>)>);
    let copier = |what: &'static str, text: AttrValue| {
        let status = status.clone();
        Callback::from(move |_| {
            let (status, text) = (status.clone(), text.to_string());
            yew::platform::spawn_local(async move {
                match copy(&text).await {
                    Ok(()) => status.set(Some((format!("{what} copied."), None))),
                    Err(_) => status.set(Some((format!("Copy the {what} below:"), Some(text)))),
                }
            });
        })
    };
    let save_transcript = {
        let (status, name, transcript) = (status.clone(), p.name.clone(), p.transcript.clone());
        Callback::from(move |_| {
            let text = transcript.emit(());
            if let Err(e) = save(&format!("{name}.txt"), "text/plain;charset=utf-8", &text) {
                status.set(Some((format!("Could not save: {e}"), None)));
            }
        })
    };
    let save_diagram = {
        let (status, name) = (status.clone(), p.name.clone());
        Callback::from(move |_| {
            let svg = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".diagram-svg").ok().flatten())
                .map(|e| standalone_svg(&e.outer_html()));
            let result = svg.ok_or_else(|| "no diagram on the page".to_string()).and_then(|svg| save(&format!("{name}.svg"), "image/svg+xml", &svg));
            if let Err(e) = result {
                status.set(Some((format!("Could not save: {e}"), None)));
            }
        })
    };
    // The page's print stylesheet lays the step out on one A4 page (static/style.css).
    let print_step = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    html! {
        <details class="share">
            <summary class="control">{ "Share and save" }</summary>
            <div class="share-menu" role="group" aria-label="Share and save">
            <button type="button" class="control small" onclick={copier("link", p.link.clone())}>{ "Copy link" }</button>
            <button type="button" class="control small" onclick={copier("iframe code", p.iframe.clone())}>{ "Copy iframe code" }</button>
            <button type="button" class="control small" onclick={save_transcript}>{ "Save transcript" }</button>
            <button type="button" class="control small" onclick={save_diagram}>{ "Save diagram (SVG)" }</button>
            <button type="button" class="control small" onclick={print_step}>{ "Print this step" }</button>
            if let Some(worksheet) = &p.worksheet {
                <a class="control small" href={worksheet.clone()} target="_blank">{ "Worksheet to print" }</a>
            }
            if let Some((said, text)) = &*status {
                <span class="share-status" role="status">{ said.clone() }</span>
                if let Some(text) = text { <input class="share-text" type="text" readonly=true value={text.clone()} aria-label="Text to copy" /> }
            }
            </div>
        </details>
    }
}

/// The diagram as a file of its own: the SVG namespace, and its styles inside it, since the
/// page's stylesheet does not travel with it.
fn standalone_svg(outer: &str) -> String {
    let styles = "<style>text{font-family:sans-serif}.host .frame{fill:#f7f5f0;stroke:#8a8f98;stroke-width:1.5}\
        .host.msa .frame,.host.mta .frame{stroke:#3867d6}.host.mda .frame{stroke:#2b8a3e}.host.down .frame{stroke-dasharray:6 4}\
        .icon{fill:#fff;stroke:#1d2330;stroke-width:1.6}.host-label{font-weight:600;font-size:13px}.host-role{font-size:13px;fill:#b4442c}\
        .hop-label text,.shelf-label{font-family:monospace;font-size:13px;fill:#b4442c}.hop-label rect{fill:#fff;stroke:#b4442c}\
        .letter rect{fill:#fff8e6;stroke:#8a6d1f}.letter polyline{fill:none;stroke:#8a6d1f}\
        .letter.notice rect{fill:#ffe3e3;stroke:#c92a2a}.hop polyline{fill:none;stroke:#8a8f98;stroke-width:2}\
        .hop.active polyline{stroke:#b4442c;stroke-width:3.5}.route polyline{fill:none;stroke:#b4442c;stroke-width:6;stroke-opacity:.18}\
        .queue-shelf line{stroke:#9a5800;stroke-width:4}.dns rect{fill:#fff;stroke:#8a8f98}.dns .book{fill:#fff;stroke:#1d2330}\
        .closed rect{fill:#c92a2a}.closed text{fill:#fff;font-weight:700}.padlock path{fill:none;stroke:#b4442c}.padlock rect{fill:#b4442c}</style>";
    let opened = outer.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1);
    match opened.find('>') {
        Some(i) => format!("{}{styles}{}", &opened[..=i], &opened[i + 1..]),
        None => opened,
    }
}
