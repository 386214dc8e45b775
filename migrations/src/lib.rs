//! The database schema, as sea-orm migrations that run the same on PostgreSQL and SQLite.
//! Migrations never import the server's entity types: old migrations must keep compiling.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_users;
mod m20261123_000002_create_tokens;
mod m20261123_000003_create_settings;
mod m20261124_000004_create_nodes;
mod m20261124_000005_create_trash_and_activity;
mod m20261124_000006_create_blobs_versions_uploads;
mod m20261124_000007_upload_metadata;
mod m20261124_000008_upload_parts;
mod m20261201_000009_create_shares;
mod m20261201_000010_create_share_links;
mod m20261202_000011_create_jobs;
mod m20261202_000012_accounts_admin;
mod m20261203_000013_create_changes;
mod m20261203_000014_running_totals;
mod m20261204_000015_busy_queue_and_totals;
mod m20261205_000016_content_lookup;
mod m20261206_000017_links_as_actors;
mod m20261207_000018_stars_recent_natural;
mod m20261208_000019_dav;
mod m20261209_000020_change_audience;
mod m20261210_000021_small_contents;
mod m20261211_000022_folder_pages;
mod m20261211_000023_sessions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_users::Migration),
            Box::new(m20261123_000002_create_tokens::Migration),
            Box::new(m20261123_000003_create_settings::Migration),
            Box::new(m20261124_000004_create_nodes::Migration),
            Box::new(m20261124_000005_create_trash_and_activity::Migration),
            Box::new(m20261124_000006_create_blobs_versions_uploads::Migration),
            Box::new(m20261124_000007_upload_metadata::Migration),
            Box::new(m20261124_000008_upload_parts::Migration),
            Box::new(m20261201_000009_create_shares::Migration),
            Box::new(m20261201_000010_create_share_links::Migration),
            Box::new(m20261202_000011_create_jobs::Migration),
            Box::new(m20261202_000012_accounts_admin::Migration),
            Box::new(m20261203_000013_create_changes::Migration),
            Box::new(m20261203_000014_running_totals::Migration),
            Box::new(m20261204_000015_busy_queue_and_totals::Migration),
            Box::new(m20261205_000016_content_lookup::Migration),
            Box::new(m20261206_000017_links_as_actors::Migration),
            Box::new(m20261207_000018_stars_recent_natural::Migration),
            Box::new(m20261208_000019_dav::Migration),
            Box::new(m20261209_000020_change_audience::Migration),
            Box::new(m20261210_000021_small_contents::Migration),
            Box::new(m20261211_000022_folder_pages::Migration),
            Box::new(m20261211_000023_sessions::Migration),
        ]
    }
}
