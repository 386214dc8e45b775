//! The drive: browsing folders and organising files, as server functions and components.

pub mod actions;
pub mod api;
pub mod clash;
pub mod context;
pub mod dnd;
pub mod format;
pub mod keys;
pub mod list;
pub mod marks_api;
pub mod menu;
pub mod move_dialog;
pub mod row;
pub mod select;
pub mod share_api;
pub mod share_dialog;
pub mod thumb;
pub mod toast;
pub mod trash_view;
pub mod upload;
pub mod upload_batch;
pub mod upload_panel;
pub mod versions_panel;
pub mod view_mode;
pub mod viewer;
