//! Database rows, as SeaORM entities. These never leave the server: handlers map them to DTOs.

pub mod activity;
pub mod blob;
pub mod change;
pub mod dav_lock;
pub mod dav_prop;
pub mod invitation;
pub mod job;
pub mod node;
pub mod open;
pub mod page_render;
pub mod personal_access_token;
pub mod refresh_token;
pub mod setting;
pub mod share;
pub mod share_link;
pub mod star;
pub mod storage_sample;
pub mod upload;
pub mod upload_part;
pub mod user;
pub mod version;
