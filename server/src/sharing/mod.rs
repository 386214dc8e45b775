//! Sharing with people: grants of viewer, editor or manager on a file or folder, inherited by
//! everything below it. `roles` answers what someone is to an item; `grants` makes, changes
//! and removes grants and lists what is shared with someone; `links` are public links.

pub mod grants;
pub mod link_pages;
pub mod links;
pub mod metering;
pub mod roles;
pub mod service;
