//! Custom hooks: playback on a timer, and the keyboard shortcuts.

mod use_keyboard;
mod use_playback;

pub use use_keyboard::{use_keyboard, SHORTCUTS};
pub use use_playback::use_playback;
