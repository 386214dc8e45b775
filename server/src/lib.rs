//! GoSync's backend: startup, configuration, identity, HTTP API and the pages' services.

pub mod admin;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod drive;
pub mod entities;
pub mod error;
pub mod extract;
pub mod files;
pub mod identity;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod pages;
pub mod policy;
pub mod previews;
pub mod routes;
pub mod search;
pub mod service;
pub mod sharing;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod tls;
