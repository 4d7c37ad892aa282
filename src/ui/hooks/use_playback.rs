use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::ui::state::{Action, AppState, SPEEDS};

/// While playing, move one step per tick at the chosen speed. Each step takes the same time
/// however long the virtual wait between them (a 20-minute back-off is one step), and the
/// stream labels the gap instead.
#[hook]
pub fn use_playback(state: &UseReducerHandle<AppState>) {
    let playing = state.playing;
    let speed = state.speed;
    let dispatcher = state.dispatcher();
    use_effect_with((playing, speed), move |(playing, speed)| {
        let interval = playing.then(|| {
            let ms = (1000.0 / SPEEDS[*speed].0) as u32;
            Interval::new(ms, move || dispatcher.dispatch(Action::Tick))
        });
        move || drop(interval)
    });
}
