//! The app shell: header, the list of scenarios, the diagram and the command stream.

use std::rc::Rc;

use yew::prelude::*;

use super::components::{Header, HostCard, HostsDiagram, PresetList, PresetSummary, StreamPanel, StreamRow};
use crate::engine::scenario::{presets, Scenario};
use crate::engine::trace::{transcript_line, Direction, EventKind, Trace};
use crate::engine::world::simulate;

/// The presets as the list shows them, read from the engine's compiled-in scenario files.
fn preset_summaries() -> Vec<PresetSummary> {
    presets()
        .iter()
        .map(|p| match p.scenario() {
            Ok(s) => PresetSummary { name: p.name.into(), title: s.title.into(), summary: s.summary.into(), error: None },
            Err(e) => PresetSummary { name: p.name.into(), title: p.name.into(), summary: "".into(), error: Some(e.to_string().into()) },
        })
        .collect()
}

#[function_component(App)]
pub fn app() -> Html {
    let summaries = use_memo((), |_| preset_summaries());
    let selected = use_state(|| presets().first().map(|p| p.name.to_owned()).unwrap_or_default());
    let scenario: Option<Rc<Scenario>> = {
        let name = (*selected).clone();
        (*use_memo(name.clone(), move |_| crate::engine::scenario::preset(&name).and_then(|p| p.scenario().ok()).map(Rc::new))).clone()
    };
    let rows = use_memo(scenario.clone(), |s| s.as_ref().map(|s| stream_rows(&simulate(s))).unwrap_or_default());
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |name: AttrValue| selected.set(name.to_string()))
    };

    html! {
        <div class="app">
            <Header />
            <div class="workspace">
                <nav class="scenarios" aria-label="Scenarios">
                    <h2>{ "Scenarios" }</h2>
                    <PresetList presets={(*summaries).clone()} selected={AttrValue::from((*selected).clone())} {on_select} />
                </nav>
                <section class="diagram" aria-label="Diagram">
                    <h2>{ "The journey" }</h2>
                    if let Some(s) = &scenario {
                        <p class="scenario-summary">{ s.summary.clone() }</p>
                        <HostsDiagram hosts={host_cards(s)} />
                    }
                </section>
                <StreamPanel {rows} />
            </div>
        </div>
    }
}

fn host_cards(scenario: &Scenario) -> Vec<HostCard> {
    scenario
        .hosts
        .iter()
        .map(|h| HostCard {
            label: h.label().to_owned().into(),
            name: h.name.clone().into(),
            services: if h.services.is_empty() {
                vec!["mail client".into()]
            } else {
                h.services.iter().map(|s| format!("{} {}", s.name(), s.port()).into()).collect()
            },
        })
        .collect()
}

/// The trace as the command stream shows it: the transcript, one row per event.
fn stream_rows(trace: &Trace) -> Vec<StreamRow> {
    trace
        .events
        .iter()
        .map(|event| StreamRow {
            kind: match &event.kind {
                EventKind::Line { direction: Direction::ClientToServer, .. } => "client",
                EventKind::Line { direction: Direction::ServerToClient, .. } => "server",
                _ => "event",
            },
            text: transcript_line(event).into(),
        })
        .collect()
}
