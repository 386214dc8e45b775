//! App passwords on the settings page: made (the secret shown once), listed, used for
//! WebDAV, and revoked (the app is out at once); no one reaches another's.

use serde_json::Value;

use crate::{authz_matrix::browser, dav::Dav, helpers::spawn_app};

#[tokio::test]
async fn an_app_password_made_on_the_settings_page_signs_in_webdav_until_revoked() {
    let app = spawn_app().await;
    app.signed_in_user("ann@example.com").await;
    app.signed_in_user("bob@example.com").await;
    let ann = browser(&app, Some("ann@example.com")).await;
    let call = |client: &reqwest::Client, name: &str, form: Vec<(&'static str, String)>| {
        client
            .post(app.url(&format!("/api/{name}")))
            .header("origin", &app.address)
            .form(&form)
            .send()
    };
    let made = call(
        &ann,
        "account/create_app_password",
        vec![("name", "Laptop Finder".into())],
    )
    .await
    .unwrap();
    assert_eq!(made.status(), 200);
    let made: Value = made.json().await.unwrap();
    let secret = made["secret"].as_str().unwrap().to_owned();
    let id = made["password"]["id"].as_str().unwrap().to_owned();
    assert_eq!(made["password"]["name"], "Laptop Finder");

    let list: Value = call(&ann, "account/app_passwords", vec![])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(
        list[0].get("secret").is_none(),
        "the secret is never listed"
    );

    let dav = Dav::new(&app, "ann@example.com", &secret);
    assert_eq!(dav.propfind("/dav/", "0").await.0, 207);

    // A blank name is refused with a message; someone else cannot revoke ann's.
    let blank = call(
        &ann,
        "account/create_app_password",
        vec![("name", "  ".into())],
    )
    .await
    .unwrap();
    assert_eq!(blank.status(), 400);
    assert!(blank.text().await.unwrap().contains("name"));
    let bob = browser(&app, Some("bob@example.com")).await;
    let theirs = call(
        &bob,
        "account/revoke_app_password",
        vec![("id", id.clone())],
    )
    .await
    .unwrap();
    assert!(
        theirs.status() == 404 || theirs.status() == 403,
        "{}",
        theirs.status()
    );
    assert_eq!(dav.propfind("/dav/", "0").await.0, 207, "still works");
    let nobody = browser(&app, None).await;
    let anonymous = call(&nobody, "account/app_passwords", vec![])
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let revoked = call(&ann, "account/revoke_app_password", vec![("id", id)])
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        dav.propfind("/dav/", "0").await.0,
        401,
        "the app is signed out at once"
    );
}
