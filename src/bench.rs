//! Entry points for `scripts/bench` in Chromium (feature `bench`, wasm32 only; the shipped app
//! is built without them). The scenarios are built here exactly as `benches/simulate.rs` and
//! `benches/player.rs` build them; the script checks that the trace lengths agree with the
//! native run. Times come from `performance.now()`, in milliseconds.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::scenario::Scenario;
use crate::engine::world::{simulate, simulate_within, Budget};
use crate::player::layout::{layout, Placed};
use crate::player::{Player, StepView};
use crate::ui::components::Diagram;

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The scenario of `benches/simulate.rs`.
fn engine_scenario() -> Scenario {
    crate::engine::scenario::workloads::busy_day(10_000).expect("bench scenario is valid")
}

/// The scenario of `benches/player.rs` with `messages` messages.
fn player_scenario(messages: usize) -> Scenario {
    crate::engine::scenario::workloads::long_trace(messages).expect("valid")
}

/// The player scenario's player and its diagram's layout, once loaded.
type Loaded = (Rc<Player>, Rc<Vec<Placed>>);

thread_local! {
    static ENGINE: RefCell<Option<Scenario>> = const { RefCell::new(None) };
    static PLAYER: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    static DIAGRAM: RefCell<Option<yew::AppHandle<BenchDiagram>>> = const { RefCell::new(None) };
    static RESOLVE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static SCENE_MS: Cell<f64> = const { Cell::new(0.0) };
    static JUMPS: Cell<u32> = const { Cell::new(0) };
    static LCG: Cell<u64> = const { Cell::new(0x2545_f491_4f6c_dd1d) };
}

/// One run of the engine scenario to its full trace: `[milliseconds, trace events]`. The
/// scenario is built (untimed) on the first call and kept.
#[wasm_bindgen]
pub fn bench_simulate() -> Vec<f64> {
    ENGINE.with(|e| {
        let mut e = e.borrow_mut();
        let scenario = e.get_or_insert_with(engine_scenario);
        let start = now();
        let trace = simulate_within(scenario, Budget::BUSY_DAY);
        let ms = now() - start;
        let events = trace.events.len() as f64;
        drop(trace);
        vec![ms, events]
    })
}

/// How many messages `benches/player.rs` needs for a trace of at least 100,000 events (the
/// same search: from 600, by 200).
#[wasm_bindgen]
pub fn bench_player_messages() -> u32 {
    let mut messages = 600;
    while simulate(&player_scenario(messages)).events.len() < 100_000 {
        messages += 200;
    }
    messages as u32
}

#[derive(Properties, PartialEq)]
pub struct BenchProps {
    hosts: Rc<Vec<Placed>>,
    view: Rc<StepView>,
    /// Changes on every jump, so that a jump to the same step still renders.
    jump: u32,
}

/// The app's diagram, and a signal once it is in the DOM (effects run after the render).
#[function_component(BenchDiagram)]
pub fn bench_diagram(p: &BenchProps) -> Html {
    use_effect(|| {
        if let Some(resolve) = RESOLVE.with(|r| r.borrow_mut().take()) {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from(SCENE_MS.with(Cell::get)));
        }
    });
    html! {
        <section class="diagram" id="bench-diagram">
            <Diagram hosts={p.hosts.clone()} view={Some(p.view.clone())} />
        </section>
    }
}

fn props(player: &Player, hosts: &Rc<Vec<Placed>>, step: usize) -> BenchProps {
    // The step's whole view (scene, narration, letters, description): what the app computes.
    let t = now();
    let view = player.view(step).expect("a step of the trace");
    SCENE_MS.with(|c| c.set(now() - t));
    let jump = JUMPS.with(|j| {
        j.set(j.get() + 1);
        j.get()
    });
    BenchProps { hosts: hosts.clone(), view: Rc::new(view), jump }
}

/// Simulate the player scenario with `messages` messages, build the player and mount the
/// diagram at step 0 in a `<div id="bench-root">`: `[events, steps, simulate ms, player ms]`.
#[wasm_bindgen]
pub fn bench_player_load(messages: u32) -> Vec<f64> {
    let scenario = player_scenario(messages as usize);
    let t = now();
    let trace = simulate(&scenario);
    let simulate_ms = now() - t;
    let events = trace.events.len() as f64;
    let t = now();
    let player = Rc::new(Player::new(Rc::new(trace)));
    let player_ms = now() - t;
    let hosts = Rc::new(layout(&scenario));
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let root = document.create_element("div").expect("div");
    root.set_id("bench-root");
    document.body().expect("body").append_child(&root).expect("append");
    let first = props(&player, &hosts, 0);
    let handle = yew::Renderer::<BenchDiagram>::with_root_and_props(root, first).render();
    DIAGRAM.with(|d| *d.borrow_mut() = Some(handle));
    let steps = player.len() as f64;
    PLAYER.with(|p| *p.borrow_mut() = Some((player, hosts)));
    vec![events, steps, simulate_ms, player_ms]
}

/// The next step of `benches/player.rs`'s pseudo-random walk.
#[wasm_bindgen]
pub fn bench_next_step() -> u32 {
    let len = PLAYER.with(|p| p.borrow().as_ref().map(|(p, _)| p.len()).unwrap_or(1));
    LCG.with(|x| {
        let v = x.get().wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        x.set(v);
        ((v >> 33) as usize % len) as u32
    })
}

/// Jump to `step`: compute its scene and re-render the diagram. The promise resolves, with the
/// milliseconds `scene_at` took, once the diagram's DOM is updated.
#[wasm_bindgen]
pub fn bench_jump(step: u32) -> js_sys::Promise {
    let promise = js_sys::Promise::new(&mut |resolve, _| RESOLVE.with(|r| *r.borrow_mut() = Some(resolve)));
    let next = PLAYER.with(|p| {
        let p = p.borrow();
        let (player, hosts) = p.as_ref().expect("bench_player_load first");
        props(player, hosts, step as usize)
    });
    DIAGRAM.with(|d| d.borrow_mut().as_mut().expect("bench_player_load first").update(next));
    promise
}

/// Milliseconds for `n` scene computations along the walk, without rendering (for a mean
/// finer than the browser's timer resolution).
#[wasm_bindgen]
pub fn bench_scene_batch(n: u32) -> f64 {
    let steps: Vec<usize> = (0..n).map(|_| bench_next_step() as usize).collect();
    PLAYER.with(|p| {
        let p = p.borrow();
        let (player, _) = p.as_ref().expect("bench_player_load first");
        let t = now();
        for &s in &steps {
            std::hint::black_box(player.scene_at(s));
        }
        now() - t
    })
}

/// The player scenario as a scenario file, for the shipped app to open by a link
/// (`?scenario=long-trace.json`): the cursor measured through the whole app.
#[wasm_bindgen]
pub fn bench_player_scenario(messages: u32) -> String {
    serde_json::to_string(&player_scenario(messages as usize)).unwrap_or_default()
}

/// Bytes of the module's linear memory (its `WebAssembly.Memory` buffer).
#[wasm_bindgen]
pub fn bench_wasm_memory() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64)
        .unwrap_or(0.0)
}
