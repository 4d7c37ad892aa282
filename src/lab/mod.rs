//! The interactive lab, as plain data: a student at a terminal typing into the virtual
//! world's servers. The UI renders it; everything here is tested natively.

pub mod explain;
pub mod hint;
pub mod live;
pub mod sender_auth;
pub mod switches;
