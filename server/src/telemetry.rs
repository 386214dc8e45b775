//! Structured logs on stderr (stdout stays for command output): human-readable by default,
//! JSON with `log_format = "json"`.

use tracing_subscriber::{fmt, prelude::*, EnvFilter};

pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_sessions=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if format == "json" {
        registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_writer(std::io::stderr),
            )
            .try_init()
    } else {
        registry
            .with(fmt::layer().compact().with_writer(std::io::stderr))
            .try_init()
    };
    let _ = result;
}
