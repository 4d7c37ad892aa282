use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::browser::after_paint;

/// One row of the command stream: one event of the trace.
#[derive(Clone, PartialEq)]
pub struct StreamRow {
    /// Index of the event in the trace.
    pub event: usize,
    /// `client`, `server` or `event`, besides the row's own `C:` / `S:` text.
    pub kind: &'static str,
    pub text: AttrValue,
    /// The connection a line or note belongs to, and its protocol, for the filters.
    pub connection: Option<u32>,
    pub protocol: Option<AttrValue>,
    /// A long wait before this row, in words ("20 min later"): played as one step.
    pub gap: Option<AttrValue>,
}

/// A stream this long is rendered whole while the player is paused, so that a student can
/// scroll through all of a preset's transcript.
const WHOLE: usize = 1500;
/// A longer one, or any while playing, shows a window of rows around the current one (eight
/// times what the panel shows at once), which moves in strides, so that stepping forward mostly
/// changes which rows are current, not which rows are drawn. Every row in the page costs layout
/// on every step: a 1,300-row transcript drawn whole made frames of 100 ms at speed 8 with the
/// CPU 4x slower (docs/BENCHMARKS.md). Pausing draws the whole transcript again.
const WINDOW: usize = 200;
const STRIDE: usize = 50;

/// The rows of one trace, with the protocols and connections its filters offer: made once per
/// trace (`rows.rs`), not on every step.
#[derive(Default)]
pub struct StreamRows {
    pub rows: Vec<StreamRow>,
    pub protocols: Vec<AttrValue>,
    pub connections: Vec<u32>,
}

#[derive(Properties)]
pub struct StreamPanelProps {
    pub rows: Rc<StreamRows>,
    /// The events of the current step.
    pub first: usize,
    pub last: usize,
    /// A question waits at this step: the rows after it are not drawn, since they would give
    /// its answer away.
    #[prop_or_default]
    pub hide_later: bool,
    /// The player is playing: only the window around the current row is drawn.
    #[prop_or_default]
    pub playing: bool,
    pub on_select: Callback<usize>,
}

impl PartialEq for StreamPanelProps {
    /// The same rows are the same `Rc`: comparing a hundred thousand rows on every step would
    /// cost more than the step.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows)
            && (self.first, self.last, self.hide_later, self.playing) == (other.first, other.last, other.hide_later, other.playing)
            && self.on_select == other.on_select
    }
}

/// The command stream: every line exactly as exchanged, between the events of the journey.
#[function_component(StreamPanel)]
pub fn stream_panel(p: &StreamPanelProps) -> Html {
    let protocol = use_state(|| AttrValue::from("all"));
    let connection = use_state(|| AttrValue::from("all"));
    let crlf = use_state(|| false);
    let list = use_node_ref();

    // Keep the current row in view by scrolling the list alone (never the page), without
    // animation, so prefers-reduced-motion has nothing to ask for. Measured once the browser
    // has laid the step out for its frame: reading `offsetTop` right after the render forced a
    // layout of the whole page of its own, half of a step's time (docs/BENCHMARKS.md).
    {
        let list = list.clone();
        use_effect_with(p.first, move |_| {
            after_paint(move || {
                let Some(list) = list.cast::<web_sys::HtmlElement>() else { return };
                let row = list.query_selector(".row.current").ok().flatten().and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(row) = row {
                    let (top, height) = (row.offset_top(), list.client_height());
                    if top < list.scroll_top() || top > list.scroll_top() + height - 20 {
                        list.set_scroll_top((top - height / 3).max(0));
                    }
                }
            });
        });
    }

    let StreamRows { rows, protocols, connections } = &*p.rows;
    let select = |state: &UseStateHandle<AttrValue>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                state.set(AttrValue::from(s.value()));
            }
        })
    };
    let toggle_crlf = {
        let crlf = crlf.clone();
        Callback::from(move |_| crlf.set(!*crlf))
    };
    let wanted_connection: Option<u32> = connection.parse().ok();
    let visible = |r: &StreamRow| {
        (*protocol == "all" || r.protocol.as_ref() == Some(&*protocol))
            && (*connection == "all" || r.connection == wanted_connection)
    };

    // A long trace shows a window of rows around the current step: a browser lays out a few
    // hundred rows in a frame, not a hundred thousand. Unfiltered, the rows are searched where
    // they lie, so that a step costs the window, not a copy of the whole trace.
    let unfiltered = *protocol == "all" && *connection == "all";
    // The filtered rows by their index in `rows`.
    let filtered: Vec<usize> = if unfiltered { Vec::new() } else { (0..rows.len()).filter(|&i| visible(&rows[i])).collect() };
    let (all, at, shown) = if unfiltered {
        (rows.len(), rows.partition_point(|r| r.event < p.first), rows.partition_point(|r| r.event <= p.last))
    } else {
        (filtered.len(), filtered.partition_point(|&i| rows[i].event < p.first), filtered.partition_point(|&i| rows[i].event <= p.last))
    };
    let count = if p.hide_later { shown } else { all };
    let (from, to) = if count <= if p.playing { WINDOW } else { WHOLE } {
        (0, count)
    } else {
        let to = (at.saturating_sub(WINDOW / 2) / STRIDE * STRIDE + WINDOW).min(count);
        (to.saturating_sub(WINDOW), to)
    };
    let window: Vec<usize> = if unfiltered { (from..to).collect() } else { filtered[from..to].to_vec() };
    // One listener for every row: a row's click names its event (`data-event`).
    let on_click = {
        let on_select = p.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            let row = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|el| el.closest(".row").ok().flatten());
            if let Some(event) = row.and_then(|r| r.get_attribute("data-event")).and_then(|v| v.parse().ok()) {
                on_select.emit(event);
            }
        })
    };

    html! {
        <section class="stream" aria-label="Command stream">
            <div class="stream-head">
                <h2>{ "Command stream" }</h2>
                <label>{ "Protocol " }
                    <select onchange={select(&protocol)}>
                        <option value="all" selected={*protocol == "all"}>{ "all" }</option>
                        { for protocols.iter().map(|pr| html! { <option value={pr.clone()} selected={*protocol == *pr}>{ pr.clone() }</option> }) }
                    </select>
                </label>
                <label>{ "Connection " }
                    <select onchange={select(&connection)}>
                        <option value="all" selected={*connection == "all"}>{ "all" }</option>
                        { for connections.iter().map(|c| html! { <option value={c.to_string()} selected={connection.as_str() == c.to_string()}>{ format!("#{c}") }</option> }) }
                    </select>
                </label>
                <label><input type="checkbox" checked={*crlf} onchange={toggle_crlf} />{ " show CRLF" }</label>
            </div>
            <ol class="stream-lines" ref={list} tabindex="0" aria-label="Every line and event, in order" onclick={on_click}>
                if from > 0 { <li class="gap">{ format!("… {from} earlier rows") }</li> }
                { for window.into_iter().map(|index| {
                    let event = rows[index].event;
                    let state = if event < p.first { "past" } else if event <= p.last { "current" } else { "future" };
                    // Not keyed: when the window moves, each row's component is given the row now at
                    // its place (one update each) rather than made anew.
                    html! { <Line rows={p.rows.clone()} {index} {state} crlf={*crlf} /> }
                }) }
                if to < count { <li class="gap">{ format!("… {} later rows", count - to) }</li> }
                if count < all { <li class="gap">{ "… the next lines show once you have answered" }</li> }
            </ol>
        </section>
    }
}

#[derive(Properties)]
struct LineProps {
    rows: Rc<StreamRows>,
    index: usize,
    /// `past`, `current` or `future`.
    state: &'static str,
    crlf: bool,
}

impl PartialEq for LineProps {
    /// A step re-renders the panel, but only the rows whose state changed are drawn again: the
    /// rows are compared by their place in the same trace, not by their text.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows) && (self.index, self.state, self.crlf) == (other.index, other.state, other.crlf)
    }
}

/// One row of the stream (and the long wait before it, if any).
#[function_component(Line)]
fn line(p: &LineProps) -> Html {
    let row = &p.rows.rows[p.index];
    let text = if p.crlf && row.kind != "event" { AttrValue::from(format!("{}␍␊", row.text)) } else { row.text.clone() };
    html! {
        <>
            if let Some(gap) = &row.gap { <li class="gap" aria-hidden="true">{ format!("… {gap}") }</li> }
            <li class={classes!("row", row.kind, p.state)} data-event={row.event.to_string()}
                aria-current={(p.state == "current").then_some("step")}>{ text }</li>
        </>
    }
}
