//! Data that crosses the wire between the browser and the server functions.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in person, as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
}

/// What a new account is made of.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignUpInput {
    pub name: String,
    pub email: String,
    pub password: String,
}
