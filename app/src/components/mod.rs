//! Building blocks shared by pages.

pub mod auth_card;
pub mod form;
pub mod layout;
pub mod live;
pub mod redirect;
pub mod search_box;
pub mod theme;
pub mod user_menu;
