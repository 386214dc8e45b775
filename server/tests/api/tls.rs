//! HTTPS with a certificate made in the test.

use crate::helpers::{spawn_app_with, PASSWORD};

#[tokio::test]
async fn serves_https_with_hsts_and_secure_cookies() {
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();

    let app = spawn_app_with(|s| {
        s.tls.cert = Some(cert_path.clone());
        s.tls.key = Some(key_path.clone());
    })
    .await;
    assert!(app.address.starts_with("https://"));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let health = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));

    client
        .post(app.url("/api/v1/auth/signup"))
        .json(&serde_json::json!({"email": "ann@example.com", "password": PASSWORD, "name": "Ann"}))
        .send()
        .await
        .unwrap();
    let signed_in = client
        .post(app.url("/api/auth/sign_in"))
        .header("origin", &app.address)
        .header("accept", "application/json")
        .form(&[("email", "ann@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");

    // Plain HTTP on the TLS port gets nowhere.
    let plain = reqwest::get(format!("http://127.0.0.1:{}/healthz", app.port)).await;
    assert!(plain.map(|r| !r.status().is_success()).unwrap_or(true));
}
