//! The app's state in one place: which scenario, its player, the cursor, playback. Every
//! change is one arm of `Action` (the function_todomvc pattern).

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::scenario::{preset, presets, Scenario, ScenarioError};
use crate::engine::world::simulate;
use crate::player::checkpoint::{stops, unreached, Stop};
use crate::player::predict::predictions;
use crate::player::score::Answers;
use crate::player::link::{Link, ScenarioRef, StepRef};
use crate::player::{Cast, Player};

/// Playback speeds offered: steps per second, which is also the multiplier a link's `speed`
/// names (1× is a step a second), and how the menu writes it (written out rather than
/// formatted: formatting an f64 costs 10 KB of wasm).
pub const SPEEDS: [(f64, &str); 6] = [(0.25, "0.25×"), (0.5, "0.5×"), (1.0, "1×"), (2.0, "2×"), (4.0, "4×"), (8.0, "8×")];

/// The speed offered nearest to a multiplier.
pub fn speed_index(multiplier: f64) -> usize {
    (0..SPEEDS.len())
        .min_by(|&a, &b| (SPEEDS[a].0 - multiplier).abs().total_cmp(&(SPEEDS[b].0 - multiplier).abs()))
        .unwrap_or(2)
}

pub struct AppState {
    /// The preset's name, or the scenario's own for one from a file or a link.
    pub preset: AttrValue,
    /// The JSON of a scenario that is not a preset, so that a link can carry it on.
    pub custom: Option<Rc<String>>,
    /// The URL of the file it came from, if it came from one: a link carries that instead.
    pub file: Option<String>,
    pub scenario: Option<Rc<Scenario>>,
    pub player: Option<Rc<Player>>,
    /// The current step, from 0.
    pub step: usize,
    pub playing: bool,
    /// Index into `SPEEDS`.
    pub speed: usize,
    /// What went wrong loading the scenario or reading the address, for the notice bar.
    pub problems: Vec<String>,
    /// The scenario's checkpoints on this run, and in predict mode the replies to predict, in
    /// the order they come: playback stops at those with a quiz.
    pub stops: Rc<Vec<Stop>>,
    /// The choice picked for each quiz answered, by step: an answered question is not asked
    /// again, and one not answered cannot be jumped past.
    pub answers: Rc<Answers>,
    /// "Predict the server's reply": playing stops before each reply that matters and asks.
    pub predict: bool,
    /// The scenario the link asks for is not simulated yet: the page is drawn first (`Open`).
    pub preparing: bool,
    /// A scenario file that could not be used: every error in it, and no other scenario shown
    /// in its place (the class would watch a lesson the teacher did not choose).
    pub broken: Option<Rc<Broken>>,
    /// Counts the scenarios loaded: what the views derived from one are keyed on (a name is
    /// not enough: a file may reuse a preset's, and the first render has a name but no
    /// scenario yet).
    pub loaded: u32,
}

/// A scenario file with errors: where it came from, and each error (field, problem, position).
#[derive(Debug, PartialEq)]
pub struct Broken {
    /// `scenarios/x.json`, or "the link" for a scenario carried in the fragment.
    pub source: String,
    pub errors: Vec<ScenarioError>,
}

pub enum Action {
    /// Open what the page's link asks for: its scenario, step, speed and autoplay.
    Open(Rc<Link>),
    /// Load a preset, cursor at the start.
    Load(String),
    /// Load a scenario from a file (its JSON, and where it came from) as the link asks: cursor
    /// at the start or at its `step`, playing if it says `autoplay`.
    LoadCustom { json: Rc<String>, source: String, link: Rc<Link> },
    /// The scenario file a link names could not be fetched: where, and why.
    Unavailable { source: String, problem: String },
    /// The student picked a choice of the quiz at the current step.
    Answer(usize),
    /// Turn "predict the server's reply" on or off: the questions change, the answers start
    /// afresh.
    Predict(bool),
    Goto(usize),
    Forward,
    Back,
    Start,
    End,
    TogglePlay,
    /// One tick of playback: forward, or stop at the end.
    Tick,
    Faster,
    Slower,
}

impl AppState {
    /// The state of the first render, before any scenario is simulated: the page and the
    /// preset list appear at once, and `Open` fills in the player.
    pub fn preparing(preset_name: &str, problems: Vec<String>) -> AppState {
        AppState {
            preset: AttrValue::from(preset_name.to_owned()),
            custom: None,
            file: None,
            scenario: None,
            player: None,
            step: 0,
            playing: false,
            speed: 2,
            problems,
            stops: Rc::new(Vec::new()),
            answers: Rc::new(Answers::new()),
            predict: false,
            preparing: true,
            broken: None,
            loaded: 0,
        }
    }

    /// The state with what a link asks for already open (a preset or the link's own scenario,
    /// not a file, which must be fetched first).
    pub fn opened(link: &Link) -> AppState {
        let mut state = AppState::preparing("", Vec::new());
        state.open(link);
        state
    }

    /// Open what a link asks for. A scenario file is fetched by the app, which then sends
    /// `LoadCustom`; until then the state stays `preparing`. A preset the student picked
    /// before this ran is left as it is.
    fn open(&mut self, link: &Link) {
        if let Some(speed) = link.speed {
            self.speed = speed_index(speed);
        }
        self.predict = link.predict;
        if !self.preparing {
            return;
        }
        match &link.scenario {
            Some(ScenarioRef::File(_)) => return,
            Some(ScenarioRef::Preset(name)) => self.load(name),
            Some(ScenarioRef::Inline(json)) => {
                if !self.load_custom(Rc::new(json.clone()), None) {
                    return;
                }
            }
            None => self.or_first_preset(),
        }
        self.as_the_link_says(link);
    }

    /// The step and playback a link asks for, on the scenario now loaded.
    fn as_the_link_says(&mut self, link: &Link) {
        if let Some(step) = &link.step {
            self.goto_link(step);
        }
        self.playing = link.autoplay && self.step_count() > 1 && !self.asking(self.step);
    }

    /// The first preset, when nothing else could be shown.
    fn or_first_preset(&mut self) {
        if self.player.is_none() {
            self.load(presets().first().map(|p| p.name).unwrap_or_default());
        }
    }

    /// A scenario that is not a preset, from `file` (or, without one, the link's fragment).
    /// Whether it loaded; if not, every error
    /// of the file is kept in `broken` and no scenario is shown. A file that reads and checks
    /// cleanly is run, and a checkpoint that never happens in the run is an error too.
    pub fn load_custom(&mut self, json: Rc<String>, file: Option<String>) -> bool {
        self.preparing = false;
        let source = file.clone().unwrap_or_else(|| "the link".to_owned());
        let broken = |errors: Vec<ScenarioError>| Some(Rc::new(Broken { source: source.clone(), errors }));
        match crate::engine::scenario::Scenario::from_json(&json) {
            Ok(s) => {
                let player = Player::new(Rc::new(simulate(&s))).with_cast(Cast::of(&s));
                let unreached = unreached(&player, &s);
                if !unreached.is_empty() {
                    self.show_nothing();
                    self.broken = broken(unreached);
                    return false;
                }
                self.broken = None;
                self.preset = AttrValue::from(s.name.clone());
                self.player = Some(Rc::new(player));
                self.scenario = Some(Rc::new(s));
                self.find_stops();
                self.custom = Some(json);
                self.file = file;
                self.loaded += 1;
                self.step = 0;
                self.playing = false;
                true
            }
            Err(errors) => {
                self.show_nothing();
                self.broken = broken(errors.0);
                false
            }
        }
    }

    /// No scenario on the player: what a broken file leaves.
    fn show_nothing(&mut self) {
        self.preset = AttrValue::default();
        self.scenario = None;
        self.player = None;
        self.custom = None;
        self.file = None;
        self.stops = Rc::new(Vec::new());
        self.answers = Rc::new(Answers::new());
        self.step = 0;
        self.playing = false;
        self.loaded += 1;
    }

    fn load(&mut self, name: &str) {
        self.preparing = false;
        self.broken = None;
        self.custom = None;
        self.file = None;
        self.preset = AttrValue::from(name.to_owned());
        self.step = 0;
        self.playing = false;
        match preset(name).map(|p| p.scenario()) {
            Some(Ok(s)) => {
                let player = Player::new(Rc::new(simulate(&s))).with_cast(Cast::of(&s));
                self.player = Some(Rc::new(player));
                self.scenario = Some(Rc::new(s));
                self.find_stops();
                self.loaded += 1;
            }
            Some(Err(e)) => {
                self.scenario = None;
                self.player = None;
                self.problems.push(format!("{name}: {e}"));
            }
            None => self.problems.push(format!("there is no preset named {name:?}")),
        }
    }

    /// The scenario's checkpoints on this run, with the replies to predict in predict mode
    /// (a checkpoint's own question first where both fall on one step); no answers yet.
    fn find_stops(&mut self) {
        let (Some(player), Some(scenario)) = (&self.player, &self.scenario) else { return };
        let mut all = stops(player, scenario);
        if self.predict {
            let asked: Vec<usize> = all.iter().filter(|s| s.quiz.is_some()).map(|s| s.step).collect();
            all.extend(predictions(player, &scenario.name).into_iter().filter(|p| !asked.contains(&p.step)));
            all.sort_by_key(|s| s.step);
        }
        self.stops = Rc::new(all);
        self.answers = Rc::new(Answers::new());
    }

    /// The quiz at a step, if any, answered or not.
    pub fn quiz_at(&self, step: usize) -> Option<&Stop> {
        self.stops.iter().find(|s| s.step == step && s.quiz.is_some())
    }

    /// A question waits at this step for its answer.
    pub fn asking(&self, step: usize) -> bool {
        self.quiz_at(step).is_some() && !self.answers.contains_key(&step)
    }

    /// Where a move to `to` ends: there, or at the first question on the way not answered yet
    /// (the one here included). A quiz is not skipped by jumping; going back is free.
    fn held(&self, to: usize) -> usize {
        if to <= self.step {
            return to;
        }
        self.stops
            .iter()
            .filter(|s| s.step >= self.step && s.step <= to && s.quiz.is_some() && !self.answers.contains_key(&s.step))
            .map(|s| s.step)
            .min()
            .unwrap_or(to)
    }

    /// Put the cursor where a link asks (held at a question on the way); a checkpoint this
    /// scenario lacks is reported.
    pub fn goto_link(&mut self, step: &StepRef) {
        let stops = self.stops.clone();
        match step.index(self.step_count(), |name| stops.iter().find(|s| s.name == name).map(|s| s.step)) {
            Some(k) => self.step = self.held(k),
            None => {
                let name = if let StepRef::Checkpoint(name) = step { name.as_str() } else { "" };
                self.problems.push(format!("step: this scenario has no checkpoint named {name:?}"));
            }
        }
    }

    fn step_count(&self) -> usize {
        self.player.as_ref().map_or(0, |p| p.len())
    }

    fn last(&self) -> usize {
        self.step_count().saturating_sub(1)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = AppState {
            preset: self.preset.clone(),
            custom: self.custom.clone(),
            file: self.file.clone(),
            scenario: self.scenario.clone(),
            player: self.player.clone(),
            step: self.step,
            playing: self.playing,
            speed: self.speed,
            problems: self.problems.clone(),
            stops: self.stops.clone(),
            answers: self.answers.clone(),
            predict: self.predict,
            preparing: self.preparing,
            broken: self.broken.clone(),
            loaded: self.loaded,
        };
        match action {
            Action::Open(link) => next.open(&link),
            Action::Load(preset) => {
                next.problems.clear();
                next.load(&preset);
            }
            Action::LoadCustom { json, source, link } => {
                // A preset the student picked while the file was on its way stays.
                next.predict = link.predict;
                if next.preparing && next.load_custom(json, Some(source)) {
                    next.as_the_link_says(&link);
                }
            }
            Action::Unavailable { source, problem } => {
                if next.preparing {
                    next.preparing = false;
                    next.show_nothing();
                    next.broken = Some(Rc::new(Broken { source, errors: vec![ScenarioError::new("", problem)] }));
                }
            }
            Action::Goto(step) => {
                next.step = next.held(step.min(next.last()));
                next.playing = false;
            }
            Action::Forward => next.step = next.held((next.step + 1).min(next.last())),
            Action::Back => next.step = next.step.saturating_sub(1),
            Action::Start => {
                next.step = 0;
                next.playing = false;
            }
            Action::End => {
                next.step = next.held(next.last());
                next.playing = false;
            }
            Action::TogglePlay => {
                if !next.playing && next.step >= next.last() {
                    next.step = 0;
                }
                next.playing = !next.playing && next.step_count() > 1 && !next.asking(next.step);
            }
            Action::Tick => {
                if next.playing {
                    next.step = (next.step + 1).min(next.last());
                    // A question stops the player until it is answered.
                    next.playing = next.step < next.last() && !next.asking(next.step);
                }
            }
            Action::Answer(choice) => {
                // Once: the first choice picked is the answer.
                let valid = next.quiz_at(next.step).and_then(|s| s.quiz.as_ref()).is_some_and(|q| choice < q.choices.len());
                if valid && next.asking(next.step) {
                    Rc::make_mut(&mut next.answers).insert(next.step, choice);
                }
            }
            Action::Predict(on) => {
                next.predict = on;
                next.find_stops();
                next.playing = false;
            }
            Action::Faster => next.speed = (next.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => next.speed = next.speed.saturating_sub(1),
        }
        Rc::new(next)
    }
}
