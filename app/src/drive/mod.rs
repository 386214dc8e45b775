//! The drive: browsing folders and organising files, as server functions and components.

pub mod api;
pub mod clash;
pub mod dnd;
pub mod format;
pub mod keys;
pub mod list;
pub mod row;
pub mod toast;
pub mod trash_view;
pub mod upload;
pub mod upload_panel;
pub mod versions_panel;
