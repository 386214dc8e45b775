//! One's own account settings: app passwords (personal access tokens) for WebDAV, the sync
//! client and scripts.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An app password as its list shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPasswordDto {
    pub id: Uuid,
    pub name: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A new app password: its secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAppPassword {
    pub password: AppPasswordDto,
    pub secret: String,
}
