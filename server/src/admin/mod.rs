//! Administration: the `gosync admin` commands, and what the admin dashboard and API show
//! and change (accounts, the sign-up setting, figures, storage history, failed jobs, the
//! activity log). Every entry point of [`Admin`] asks the policy for `Administer` first.

pub mod accounts;
pub mod activity;
pub mod cli;
pub mod health;
pub mod history;
mod service;
pub mod stats;

pub use cli::create_user;
pub use service::Admin;
