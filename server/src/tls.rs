//! HTTPS with rustls when `GOSYNC_TLS__CERT` and `GOSYNC_TLS__KEY` are set.

use anyhow::Context;
use axum_server::tls_rustls::RustlsConfig;

use crate::config::Settings;

pub async fn rustls_config(settings: &Settings) -> anyhow::Result<Option<RustlsConfig>> {
    let (Some(cert), Some(key)) = (&settings.tls.cert, &settings.tls.key) else {
        if settings.tls.cert.is_some() != settings.tls.key.is_some() {
            anyhow::bail!("set both GOSYNC_TLS__CERT and GOSYNC_TLS__KEY, or neither");
        }
        return Ok(None);
    };
    install_crypto();
    let config = RustlsConfig::from_pem_file(cert, key)
        .await
        .with_context(|| {
            format!(
                "cannot load TLS certificate {} / key {}",
                cert.display(),
                key.display()
            )
        })?;
    Ok(Some(config))
}

/// The process's one TLS crypto provider (ring), for serving and for S3; installing it
/// again is harmless.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
