//! Who is who: accounts, passwords, sessions' users, access/refresh/personal tokens, and the
//! limits on guessing. `Identity` is the service the API handlers and server functions share.

pub mod access_tokens;
pub mod account_cache;
pub mod backoff;
pub mod invitations;
pub mod jwt;
pub mod password;
pub mod rate_limit;
pub mod refresh_tokens;
pub mod secret_token;
mod service;
pub mod sessions;
pub mod signup_mode;
pub mod users;
pub mod validate;

pub use service::{user_dto, Identity, TokenPair};
