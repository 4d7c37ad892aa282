//! Mailflow: a mail-flow visualiser. The [`engine`] runs real SMTP, POP3 and IMAP sessions
//! between virtual hosts and records everything in a trace; the `ui` (wasm32, or the host with
//! feature `prerender`) draws it.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod engine;
pub mod lab;
pub mod player;

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod ui;
#[cfg(all(target_arch = "wasm32", feature = "bench"))] pub mod bench;

/// ARCHITECTURE.md, so that its Rust (the driver loop) is compiled and run with the tests.
#[cfg(doctest)]
#[doc = include_str!("../ARCHITECTURE.md")]
pub struct Architecture;
