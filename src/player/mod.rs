//! The player: what the visualiser shows at each step of a trace, as plain data. It reads
//! the trace only (invariant 4 of ARCHITECTURE.md) and knows nothing of the browser, so it is tested
//! natively; the UI renders what it computes.
//!
//! A trace is cut into visible [`steps`]; the [`Scene`] at a step is a pure function of the
//! events up to it, and [`Player`] keeps snapshots so that reaching any step replays at most
//! a few hundred events, whatever the trace's length.

mod cast;
pub mod checkpoint;
pub mod geometry;
pub mod inspect;
mod journey;
pub mod layout;
pub mod link;
pub mod markers;
pub mod narrator;
pub mod predict;
pub mod score;
mod snapshots;
mod scene;
pub mod share;
mod steps;
mod story;
mod view;
pub mod wire;

pub use cast::Cast;
pub use journey::{journey_stage, JourneyStage};
pub use snapshots::Player;
pub use scene::{Hop, Letter, Mark, Place, Scene};
pub use steps::{steps, Step};
pub use story::Journey;
pub use view::{ActiveHop, LetterView, StepView};
