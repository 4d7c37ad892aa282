//! One file per component; props are plain data.

mod controls;
mod diagram;
mod explanation;
mod header;
mod preset_list;
mod stream_panel;

pub use controls::{Controls, Marker};
pub use diagram::Diagram;
pub use explanation::Explanation;
pub use header::Header;
pub use preset_list::{PresetList, PresetSummary};
pub use stream_panel::{StreamPanel, StreamRow};
