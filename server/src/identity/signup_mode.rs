//! Who may make an account: open, by invitation, or closed; kept in the settings table so
//! every node of a cluster agrees.

use app::dto::SignupMode;
use sea_orm::{sea_query::OnConflict, ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::{entities::setting, error::ServiceError};

const KEY: &str = "signup_mode";

pub async fn get(db: &impl ConnectionTrait) -> Result<SignupMode, ServiceError> {
    let stored = setting::Entity::find_by_id(KEY.to_owned()).one(db).await?;
    Ok(match stored.as_ref().map(|s| s.value.as_str()) {
        Some("invite") => SignupMode::Invite,
        Some("closed") => SignupMode::Closed,
        _ => SignupMode::Open,
    })
}

pub async fn set(db: &impl ConnectionTrait, mode: SignupMode) -> Result<(), ServiceError> {
    let value = match mode {
        SignupMode::Open => "open",
        SignupMode::Invite => "invite",
        SignupMode::Closed => "closed",
    };
    let row = setting::ActiveModel {
        key: Set(KEY.to_owned()),
        value: Set(value.to_owned()),
    };
    setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
