//! `gosync sync` and `gosync login`: the sync client (crate `gosync-sync`, which knows the
//! server only through its HTTP API), given its command line.

use std::io::BufRead;

use anyhow::Context;

use crate::cli::{LoginArgs, SyncArgs};

pub async fn sync(args: SyncArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.local_dir.is_dir(),
        "{} is not a folder on this computer",
        args.local_dir.display()
    );
    let options = gosync_sync::Options {
        local_dir: args.local_dir.canonicalize()?,
        token: gosync_sync::credentials::token_for(&args.server)?,
        server: args.server,
        folder: args.folder,
        json: args.json,
        allow_mass_delete: args.allow_mass_delete,
    };
    match args.once {
        true => gosync_sync::run_once(&options).await.map(|_| ()),
        false => gosync_sync::watch(&options).await,
    }
}

pub async fn login(args: LoginArgs) -> anyhow::Result<()> {
    let mut lines = std::io::stdin().lock().lines();
    let email = match args.email {
        Some(email) => email,
        None => {
            eprint!("Email: ");
            lines.next().context("no email given")??
        }
    };
    eprint!("Password: ");
    let password = lines.next().context("no password given")??;
    let kept = gosync_sync::credentials::login(&args.server, email.trim(), &password).await?;
    eprintln!("Signed in; the token is kept in {}", kept.display());
    Ok(())
}
