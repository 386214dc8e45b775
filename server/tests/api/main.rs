//! Integration tests: the real server on 127.0.0.1:0 with a fresh database per test.
//! SQLite by default; PostgreSQL when TEST_DATABASE_URL points at one.

// A failed unwrap is a failed test, which is what tests want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod accounts;
mod admin;
mod admin_ops;
mod app_passwords;
mod auth;
mod authz_matrix;
mod bad_input;
mod blob_gc;
mod browser_session;
mod changes;
mod cli;
mod converted;
mod converters;
mod converters_hostile;
mod dav;
mod dav_clients;
mod dav_content;
mod dav_matrix;
mod dav_memory;
mod deployment;
mod downloads;
mod drain;
mod drive_fns;
mod extract_fixtures;
mod extract_hostile;
mod faults;
mod fixtures;
mod folders;
mod hostile_accounts;
mod hostile_links;
mod hostile_pages;
mod hostile_rights;
mod invitations;
mod jobs;
mod link_matrix;
mod links;
mod live;
mod many_at_once;
mod marks;
mod one_way_in;
mod outside;
mod previews;
mod restart;
mod s3_uploads;
mod search;
mod search_changes;
mod selection;
mod service;
mod sharing;
mod storage;
mod sync_client;
mod tls;
mod tokens;
mod transfer;
mod trash;
mod tus_extensions;
mod upload_fns;
mod upload_hash;
mod uploads;
mod usage;
