//! One file per component; props are plain data.

mod broken_file;
mod controls;
mod details;
mod diagram;
mod eavesdropper;
mod explanation;
mod header;
mod inspector;
mod preset_list;
mod quiz;
mod score;
mod share;
mod stream_panel;
mod worksheet;

pub use broken_file::BrokenFile;
pub use controls::Controls;
pub use details::Details;
pub use diagram::Diagram;
pub use eavesdropper::Eavesdropper;
pub use explanation::Explanation;
pub use header::Header;
pub use inspector::Inspector;
pub use preset_list::{PresetList, PresetSummary};
pub use quiz::Quiz;
pub use score::ScoreCard;
pub use share::Share;
pub use stream_panel::{StreamPanel, StreamRow, StreamRows};
pub use worksheet::Worksheet;
