//! The engine: pure Rust, no web dependency. It compiles and tests natively.

pub mod auth;
pub mod base64;
pub mod hash;
pub mod sasl;
pub mod session;
pub mod time;
pub mod imap;
pub mod mail;
pub mod pop3;
pub mod smtp;
pub mod world;
pub mod scenario;
pub mod trace;
