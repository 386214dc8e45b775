//! One module per page of the site.

pub mod files;
pub mod login;
pub mod not_found;
pub mod signup;
