//! Layers every request passes through.

pub mod availability;
pub mod client_ip;
pub mod csrf;
pub mod page_guard;
pub mod record_metrics;
pub mod security_headers;
pub mod session_user;
