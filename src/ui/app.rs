//! The app: the scenario picker, the player's controls, the diagram, the command stream and
//! the explanation, all drawn from one state (`state.rs`) and the player's scenes.

use std::rc::Rc;

use yew::prelude::*;

use super::components::{
    BrokenFile, Controls, Details, Diagram, Eavesdropper, Explanation, Header, Inspector, PresetList, PresetSummary,
    StreamPanel,
};
use super::hooks::{use_keyboard, use_playback};
use super::rows::stream_rows;
use super::state::{Action, AppState, SPEEDS};
use crate::engine::scenario::{preset, presets};
use super::lab::LabView;
use crate::player::layout::layout_of;
use crate::catalog::scene::step_status;
use crate::catalog::world::halted_notice;
use crate::engine::trace::{format_time, transcript};
use crate::player::narrator::said_limit;
use crate::player::link::{parse_link, Link, ScenarioRef, StepRef, Theme, View};
use crate::player::share::encode_scenario;
use super::browser::{after_paint, base_address, fetch_text, location_parts, mark, post_to_embedding_page};
use super::components::{Quiz, ScoreCard, Share, Worksheet};
use crate::player::markers::markers;
use crate::player::score::{message, score as score_of};

/// The presets as the picker shows them, read from the engine's compiled-in scenario files
/// (only their titles and summaries: a broken preset says so when it is opened).
fn preset_summaries() -> Vec<PresetSummary> {
    presets()
        .iter()
        .map(|p| match p.heading() {
            Ok(h) => PresetSummary { name: p.name.into(), title: h.title.into(), summary: h.summary.into(), error: None },
            Err(e) => PresetSummary {
                name: p.name.into(),
                title: p.name.into(),
                summary: "".into(),
                error: Some(e.to_string().into()),
            },
        })
        .collect()
}

/// What the page's address asks for, and what was wrong in it.
fn read_link() -> (Link, Vec<String>) {
    let (query, hash) = location_parts();
    parse_link(&query, &hash, |name| preset(name).is_some())
}

/// Whether the address asks for exactly the page that is prerendered at build time: the
/// default preset at its first step, nothing else set (unknown parameters are ignored).
fn is_the_prerendered_view(link: &Link, problems: &[String]) -> bool {
    *link == Link::default() && problems.is_empty()
}

/// Whether this page's address asks for the prerendered view, so that the app may hydrate it.
#[cfg(target_arch = "wasm32")]
pub(super) fn opens_as_prerendered() -> bool {
    let (link, problems) = read_link();
    is_the_prerendered_view(&link, &problems)
}

/// The state of the first render. For the prerendered view, the default preset opened at once:
/// the first render must make the elements already on the page (hydration), and the student
/// is already looking at them while it runs. Otherwise the preset the link names (or the first)
/// is selected in the list and nothing is simulated yet: the page is drawn first, then `Open`.
fn first_state(link: &Link, problems: &[String]) -> AppState {
    if is_the_prerendered_view(link, problems) {
        return AppState::opened(link);
    }
    let name = match &link.scenario {
        Some(ScenarioRef::Preset(name)) => name.as_str(),
        // A file or the link's own scenario: no preset is the current one meanwhile.
        Some(ScenarioRef::File(_) | ScenarioRef::Inline(_)) => "",
        None => presets().first().map(|p| p.name).unwrap_or_default(),
    };
    AppState::preparing(name, problems.to_vec())
}

/// The address of this view: this scenario at this step, with what the page's own link set
/// (theme, view, autoplay) and the speed now chosen. A preset by name, a file by its URL, any
/// other scenario in the fragment (`fragment`: compressed once when it is loaded, not on every
/// step). `embed` for the course page's iframe.
fn share_link(base: &str, state: &AppState, page: &Link, fragment: Option<&str>, embed: bool) -> String {
    let scenario = match (&state.file, fragment) {
        (Some(file), _) => Some(ScenarioRef::File(file.clone())),
        (None, Some(_)) => None,
        (None, None) => Some(ScenarioRef::Preset(state.preset.to_string())),
    };
    let link = Link {
        scenario,
        step: Some(StepRef::Number(state.step + 1)),
        autoplay: page.autoplay,
        speed: Some(SPEEDS[state.speed].0),
        view: page.view,
        embed,
        theme: page.theme,
        predict: state.predict,
    };
    let fragment = match (&state.file, fragment) {
        (None, Some(data)) => format!("#scenario={data}"),
        _ => String::new(),
    };
    format!("{base}{}{fragment}", link.query())
}

#[function_component(App)]
pub fn app() -> Html {
    let link = use_memo((), |_| read_link());
    // The page's address without query or fragment, which every link is built on: read once
    // (asking the browser on every step cost a fair share of a step's render).
    let base = use_memo((), |_| base_address());
    let state = {
        let link = link.clone();
        use_reducer(move || first_state(&link.0, &link.1))
    };
    let lab = use_state(|| link.0.view == View::Lab);
    // On a phone the scenario list folds away below the player.
    let list_open = use_state(|| false);
    // What the link asks for is opened once the page has been painted: the student sees the
    // page at once, and the simulation runs after. A scenario file is fetched from the same
    // host meanwhile.
    {
        let (link, state) = (link.clone(), state.clone());
        use_effect_with((), move |_| {
            if let Some(ScenarioRef::File(url)) = link.0.scenario.clone() {
                let (state, asked) = (state.clone(), Rc::new(link.0.clone()));
                yew::platform::spawn_local(async move {
                    match fetch_text(&url).await {
                        Ok(json) => state.dispatch(Action::LoadCustom { json: Rc::new(json), source: url, link: asked }),
                        Err(e) => state.dispatch(Action::Unavailable { source: url, problem: e }),
                    }
                });
            }
            // The prerendered view was opened by the first render already: nothing to add, and
            // drawing the whole page again would hold up the student's first click.
            if state.preparing {
                after_paint(move || state.dispatch(Action::Open(Rc::new(link.0.clone()))));
            }
        });
    }
    // "Interactive", for scripts/bench: the first render (or hydration) with a player, whose
    // first step can be taken.
    use_effect_with(state.player.is_some(), |drawn| {
        if *drawn {
            mark("mailflow-interactive");
        }
    });
    // The quiz's score, and once every question is answered, the same to the course page that
    // embeds Mailflow (`player::score::message`).
    let score = use_memo((state.loaded, state.stops.clone(), state.answers.clone()), |(_, stops, answers)| score_of(stops, answers));
    {
        let (scenario, score) = (state.preset.to_string(), score.clone());
        use_effect_with((state.loaded, score.complete()), move |(_, complete)| {
            if *complete {
                post_to_embedding_page(&message(&scenario, &score));
            }
        });
    }
    use_playback(&state);
    use_keyboard(&state);
    let summaries = use_memo((), |_| preset_summaries());

    let player = state.player.clone();
    let key = state.loaded;
    let rows = use_memo(key, {
        let player = player.clone();
        move |_| player.as_deref().map(stream_rows).unwrap_or_default()
    });
    let marks = use_memo(key, {
        let player = player.clone();
        move |_| player.as_deref().map(markers).unwrap_or_default()
    });
    // What the screen shows at this step, computed by the player.
    let view = use_memo((key, state.step), {
        let player = player.clone();
        move |(_, step)| player.as_deref().and_then(|p| p.view(*step)).map(Rc::new)
    });
    let fragment = use_memo(key, {
        let custom = state.custom.clone();
        move |_| custom.as_deref().map(|json| encode_scenario(json))
    });
    let hosts = use_memo(key, {
        let (scenario, player) = (state.scenario.clone(), player.clone());
        move |_| match (scenario.as_deref(), player.as_deref()) {
            (Some(s), Some(p)) => layout_of(s, |h| p.involves(h)),
            _ => Vec::new(),
        }
    });

    let dispatch = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(make()))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |name: AttrValue| {
            // The file's own entry is the scenario already open.
            if state.custom.is_none() || name != state.preset {
                state.dispatch(Action::Load(name.to_string()));
            }
        })
    };
    // A scenario from a file or a link is listed first, by its own title, as a preset is.
    let listed = {
        let mut listed = (*summaries).clone();
        if let (Some(_), Some(s)) = (&state.custom, &state.scenario) {
            listed.insert(0, PresetSummary {
                name: AttrValue::from(s.name.clone()),
                title: AttrValue::from(s.title.clone()),
                summary: AttrValue::from(s.summary.clone()),
                error: None,
            });
        }
        listed
    };
    // The page's title is the scenario's, so a tab or a bookmark says which lesson it is.
    {
        let title = state.scenario.as_ref().map(|s| s.title.clone());
        use_effect_with(title, |title| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&match title {
                    Some(title) => format!("{title} · Mailflow"),
                    None => "Mailflow: see how email works".to_owned(),
                });
            }
        });
    }
    let on_goto = {
        let state = state.clone();
        Callback::from(move |step: usize| state.dispatch(Action::Goto(step)))
    };
    let on_row = {
        let state = state.clone();
        let player = player.clone();
        Callback::from(move |event: usize| {
            if let Some(p) = &player {
                state.dispatch(Action::Goto(p.step_of_event(event)));
            }
        })
    };
    let on_speed = {
        let state = state.clone();
        Callback::from(move |i: usize| {
            let (now, wanted) = (state.speed, i);
            for _ in 0..now.abs_diff(wanted) {
                state.dispatch(if wanted > now { Action::Faster } else { Action::Slower });
            }
        })
    };

    let summary = state.scenario.as_ref().map(|s| s.summary.clone()).unwrap_or_default();
    let body = match (&player, view.as_ref()) {
        (Some(player), Some(view)) => {
            let title = state.scenario.as_ref().map(|s| s.title.clone()).unwrap_or_default();
            // The worksheet is a page of its own: nothing of the player is made for it.
            if link.0.view == View::Worksheet {
                let journey = Link { view: View::Both, step: None, ..link.0.clone() };
                return html! {
                    <div class={classes!("app", "worksheet-page")}>
                        <Worksheet title={title} summary={summary} stops={state.stops.clone()}
                            link={AttrValue::from(share_link(&base, &state, &journey, fragment.as_deref(), false))} />
                    </div>
                };
            }
            let step = view.step;
            // One polite status outside the tabs: the step, the journey stage, what happens.
            let status = step_status(
                step + 1,
                player.len(),
                view.stage.map(|s| (s.number(), s.title())),
                &view.narration.sentences,
                state.playing,
            );
            let range = player.steps()[step];
            let hop_name = view.hop.as_ref().map(|h| AttrValue::from(format!("#{} {} → {}, port {}", h.connection, h.client, h.server, h.port)));
            let address = share_link(&base, &state, &link.0, fragment.as_deref(), false);
            let embedded = share_link(&base, &state, &link.0, fragment.as_deref(), true);
            let iframe = format!(
                "<iframe src=\"{}\" width=\"800\" height=\"500\" title=\"Mailflow: {}\" loading=\"lazy\"></iframe>",
                embedded.replace('&', "&amp;"),
                title.replace('"', "&quot;")
            );
            let transcript_of = {
                let player = player.clone();
                Callback::from(move |_| transcript(player.trace()))
            };
            // A worksheet of the scenario's questions, when it asks any.
            let worksheet = state.stops.iter().any(|s| s.quiz.is_some()).then(|| {
                let sheet = Link { view: View::Worksheet, autoplay: false, ..link.0.clone() };
                AttrValue::from(share_link(&base, &state, &sheet, fragment.as_deref(), false))
            });
            let quiz = state.quiz_at(step).and_then(|stop| stop.quiz.clone()).map(|question| {
                let answered = state.answers.get(&step).copied();
                let on_answer = { let state = state.clone(); Callback::from(move |c: usize| state.dispatch(Action::Answer(c))) };
                let on_continue = { let state = state.clone(); Callback::from(move |_| state.dispatch(Action::TogglePlay)) };
                let at_end = step + 1 == player.len();
                html! { <Quiz {question} {answered} {on_answer} {on_continue} {at_end} /> }
            });
            // The score, once every question is answered and the journey is at its end.
            let score_card = (step + 1 == player.len() && score.complete()).then(|| html! { <ScoreCard score={score.clone()} /> });
            let on_predict = { let state = state.clone(); Callback::from(move |on: bool| state.dispatch(Action::Predict(on))) };
            html! {
                <>
                    // On paper (the print stylesheet), what the screen says around the step.
                    <div class="print-heading">
                        <p class="print-title">{ title.clone() }</p>
                        <p>{ format!("Step {} of {} · {}", step + 1, player.len(), format_time(view.at)) }</p>
                    </div>
                    if quiz.is_some() || score_card.is_some() {
                        <div class="quiz-area">{ for quiz }{ for score_card }</div>
                    }
                    <Share link={address} iframe={iframe} name={format!("mailflow-{}", state.preset)} transcript={transcript_of} {worksheet} />
                    <Controls step={step} len={player.len()} at={view.at} playing={state.playing} speed={state.speed}
                        markers={marks.clone()} on_goto={on_goto}
                        on_start={dispatch(|| Action::Start)} on_back={dispatch(|| Action::Back)}
                        on_toggle={dispatch(|| Action::TogglePlay)} on_forward={dispatch(|| Action::Forward)}
                        on_end={dispatch(|| Action::End)} on_speed={on_speed} predict={state.predict} {on_predict} />
                    <p class="visually-hidden" role="status" aria-atomic="true" id="step-status">{ status }</p>
                    <section class="diagram" aria-label="Diagram">
                        <p class="scenario-summary" title={summary.clone()}>{ summary }</p>
                        <Diagram hosts={hosts.clone()} view={Some(view.clone())} />
                    </section>
                    <StreamPanel rows={rows.clone()} first={range.first} last={range.last} hide_later={state.asking(step)} playing={state.playing} on_select={on_row} />
                    <Details
                        explanation={html! { <Explanation view={view.clone()} /> }}
                        letter={html! { <Inspector inspection={view.inspection.clone()} /> }}
                        wire={html! { <Eavesdropper hop={hop_name} lines={view.wire.clone()} /> }} />
                </>
            }
        }
        _ if state.preparing => html! { <p class="empty" role="status">{ "Preparing the journey…" }</p> },
        _ if state.broken.is_some() => html! { <BrokenFile broken={state.broken.clone()} /> },
        _ => html! { <p class="empty">{ "This scenario has nothing to show." }</p> },
    };

    let theme = match link.0.theme {
        Theme::Auto => None,
        Theme::Light => Some("light"),
        Theme::Dark => Some("dark"),
    };
    let view = match link.0.view {
        View::Both | View::Lab | View::Worksheet => None,
        View::Diagram => Some("view-diagram"),
        View::Stream => Some("view-stream"),
    };
    // A run stopped at its budget (engine::world::budget): what ran is played, and said so.
    let halted = player.as_ref().and_then(|p| p.trace().halted().map(|h| halted_notice(said_limit(h.limit))));
    html! {
        <div class={classes!("app", link.0.embed.then_some("embed"), view)} data-theme={theme}>
            <Header />
            if !state.problems.is_empty() {
                <div class="notice" role="status">
                    <strong>{ "Some of what was asked could not be used: " }</strong>
                    { for state.problems.iter().map(|p| html! { <span class="problem">{ p.clone() }</span> }) }
                </div>
            }
            if let Some(text) = halted {
                <div class="notice halted" role="status">{ text }</div>
            }
            <div class="workspace">
                <nav class={classes!("scenarios", (*list_open).then_some("open"))} aria-label="Scenarios">
                    <button type="button" class="control fold-scenarios" aria-expanded={list_open.to_string()}
                        onclick={{ let open = list_open.clone(); Callback::from(move |_| open.set(!*open)) }}>
                        { if *list_open { "Hide the scenarios ▴" } else { "Scenarios and the lab ▾" } }
                    </button>
                    <div class="modes" role="group" aria-label="Mode">
                        <button type="button" class={classes!("mode", (!*lab).then_some("current"))} aria-pressed={(!*lab).to_string()}
                            onclick={{ let lab = lab.clone(); Callback::from(move |_| lab.set(false)) }}>{ "Watch" }</button>
                        <button type="button" class={classes!("mode", (*lab).then_some("current"))} aria-pressed={(*lab).to_string()}
                            onclick={{ let lab = lab.clone(); Callback::from(move |_| lab.set(true)) }}>{ "Try it yourself" }</button>
                    </div>
                    <h2>{ "Scenarios" }</h2>
                    <PresetList presets={listed} selected={state.preset.clone()} on_select={{
                        let lab = lab.clone();
                        Callback::from(move |name: AttrValue| { lab.set(false); on_select.emit(name) })
                    }} />
                </nav>
                if *lab {
                    <main class="lab-main" id="main" tabindex="-1"><LabView /></main>
                } else {
                    <main class="player" id="main" tabindex="-1">{ body }</main>
                }
            </div>
        </div>
    }
}
