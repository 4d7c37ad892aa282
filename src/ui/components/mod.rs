//! One file per component; props are plain data.

mod header;
mod hosts_diagram;
mod preset_list;
mod stream_panel;

pub use header::Header;
pub use hosts_diagram::{HostCard, HostsDiagram};
pub use preset_list::{PresetList, PresetSummary};
pub use stream_panel::{StreamPanel, StreamRow};
