//! The Yew user interface (wasm32 only). It reads the engine's presets and traces, never its
//! internals.

pub fn start() {}
