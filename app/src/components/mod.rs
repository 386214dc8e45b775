//! Building blocks shared by pages.

pub mod form;
pub mod layout;
pub mod redirect;
pub mod theme;
pub mod user_menu;
