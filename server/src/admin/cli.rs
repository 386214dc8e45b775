//! `gosync admin …` commands.

use std::io::Read;

use anyhow::Context;

use crate::{
    cli::CreateUser,
    config::Settings,
    db,
    identity::{password, users, validate},
};

pub async fn create_user(settings: &Settings, args: CreateUser) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from stdin")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let email =
        validate::normalize_email(&args.email).map_err(|e| anyhow::anyhow!("email: {e}"))?;
    let default_name = email.split('@').next().unwrap_or_default().to_owned();
    let name = validate::validate_name(args.name.as_deref().unwrap_or(&default_name))
        .map_err(|e| anyhow::anyhow!("name: {e}"))?;
    validate::validate_password(&password, &email).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let quota_bytes = args
        .quota
        .map(i64::try_from)
        .transpose()
        .context("quota is too large")?;

    let db = db::connect(settings).await?;
    db::migrate(&db).await?;
    let password_hash = password::hash_password(password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let new = users::NewUser {
        email,
        name,
        password_hash,
        admin: args.admin.then_some(true),
        quota_bytes,
    };
    let user = users::create(&db, new)
        .await
        .map_err(|e| anyhow::anyhow!("{}", app::AppError::from(e)))?;
    println!(
        "created user {} <{}>{}",
        user.id,
        user.email,
        if user.is_admin { " (admin)" } else { "" }
    );
    Ok(())
}
