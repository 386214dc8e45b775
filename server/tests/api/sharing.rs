//! Sharing with people: grants by email as viewer, editor or manager, inherited down the tree,
//! changed or revoked with effect on the next request; "shared with me"; what each role may do.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    transfer::upload,
};

/// One request as `bearer` (or nobody).
pub async fn call(
    app: &TestApp,
    bearer: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Shares `node` with `email` as `role`; returns the response.
pub async fn share(app: &TestApp, bearer: &str, node: &str, email: &str, role: &str) -> Response {
    let body = json!({"email": email, "role": role});
    call(
        app,
        Some(bearer),
        Method::POST,
        &format!("/api/v1/nodes/{node}/shares"),
        Some(body),
    )
    .await
}

/// Shares `node`, which must work; returns the grant's id.
pub async fn granted(app: &TestApp, bearer: &str, node: &str, email: &str, role: &str) -> String {
    let response = share(app, bearer, node, email, role).await;
    assert!(
        response.status().is_success(),
        "share as {role}: {}",
        response.status()
    );
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

async fn status(
    app: &TestApp,
    bearer: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> u16 {
    call(app, Some(bearer), method, path, body)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_grant_on_a_folder_reaches_ten_levels_down_and_revoking_it_cuts_access_at_once() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let top = app.folder(&ann, &root, "Team").await;
    let mut here = top.clone();
    for depth in 1..=10 {
        here = app.folder(&ann, &here, &format!("level {depth}")).await;
    }
    let deep = upload(&app, &ann, "deep.txt", &here, b"ten levels down").await;
    let deep_path = format!("/api/v1/nodes/{deep}/content");
    assert_eq!(
        status(&app, &bob, Method::GET, &deep_path, None).await,
        404,
        "nothing before"
    );

    let grant = granted(&app, &ann, &top, "bob@example.com", "viewer").await;
    let body = call(&app, Some(&bob), Method::GET, &deep_path, None).await;
    assert_eq!(body.status(), 200);
    assert_eq!(body.bytes().await.unwrap().as_ref(), b"ten levels down");
    assert_eq!(app.names(&bob, &here, "").await, vec!["deep.txt"]);
    assert_eq!(
        status(
            &app,
            &bob,
            Method::GET,
            &format!("/api/v1/nodes/{root}/children"),
            None
        )
        .await,
        404,
        "the owner's root stays hidden"
    );

    let revoked = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        status(&app, &bob, Method::GET, &deep_path, None).await,
        404,
        "cut at once"
    );
}

#[tokio::test]
async fn each_role_does_what_it_allows_and_is_told_403_for_the_rest() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (viewer, _) = app.user_with_root("vic@example.com").await;
    let (editor, editor_root) = app.user_with_root("eve@example.com").await;
    let (manager, _) = app.user_with_root("max@example.com").await;
    app.user_with_root("carol@example.com").await;
    let shared = app.folder(&ann, &root, "Shared").await;
    let sub = app.folder(&ann, &shared, "Sub").await;
    let file = upload(&app, &ann, "plan.txt", &shared, b"plan").await;
    granted(&app, &ann, &shared, "vic@example.com", "viewer").await;
    granted(&app, &ann, &shared, "eve@example.com", "editor").await;
    granted(&app, &ann, &shared, "max@example.com", "manager").await;
    let node = format!("/api/v1/nodes/{file}");

    // A viewer reads, and may see who has access, but changes nothing.
    assert_eq!(
        status(&app, &viewer, Method::GET, &format!("{node}/content"), None).await,
        200
    );
    assert_eq!(
        status(
            &app,
            &viewer,
            Method::GET,
            &format!("/api/v1/nodes/{shared}/shares"),
            None
        )
        .await,
        200
    );
    let rename = Some(json!({"name": "mine.txt"}));
    assert_eq!(
        status(&app, &viewer, Method::PATCH, &node, rename.clone()).await,
        403
    );
    assert_eq!(
        status(&app, &viewer, Method::DELETE, &node, None).await,
        403
    );
    let folder = Some(json!({"parent_id": shared, "name": "new"}));
    assert_eq!(
        status(
            &app,
            &viewer,
            Method::POST,
            "/api/v1/folders",
            folder.clone()
        )
        .await,
        403
    );
    assert_error(
        share(&app, &viewer, &shared, "carol@example.com", "viewer").await,
        403,
        "forbidden",
    )
    .await;

    // An editor writes and moves within the owner's tree, never out of it, and cannot delete.
    assert_eq!(
        status(&app, &editor, Method::PATCH, &node, rename).await,
        200
    );
    let into_sub = Some(json!({"parent_id": sub}));
    assert_eq!(
        status(&app, &editor, Method::PATCH, &node, into_sub).await,
        200
    );
    let out = call(
        &app,
        Some(&editor),
        Method::PATCH,
        &node,
        Some(json!({"parent_id": editor_root})),
    )
    .await;
    let body = assert_error(out, 400, "validation").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("make a copy"),
        "{body}"
    );
    let copy = Some(json!({"parent_id": editor_root}));
    assert_eq!(
        status(&app, &editor, Method::POST, &format!("{node}/copy"), copy).await,
        201,
        "a copy may leave"
    );
    assert_eq!(
        status(&app, &editor, Method::POST, "/api/v1/folders", folder).await,
        201
    );
    assert_eq!(
        status(&app, &editor, Method::DELETE, &node, None).await,
        403
    );
    assert_error(
        share(&app, &editor, &shared, "carol@example.com", "viewer").await,
        403,
        "forbidden",
    )
    .await;

    // A manager deletes (into the owner's trash) and shares on.
    granted(&app, &manager, &shared, "carol@example.com", "editor").await;
    assert_eq!(
        status(&app, &manager, Method::DELETE, &node, None).await,
        204
    );
    let ann_trash: Value = call(&app, Some(&ann), Method::GET, "/api/v1/trash", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        ann_trash["items"][0]["name"], "mine.txt",
        "in the owner's trash"
    );
    let max_trash: Value = call(&app, Some(&manager), Method::GET, "/api/v1/trash", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(max_trash["items"], json!([]), "not in the manager's");
    let restore = format!("/api/v1/trash/{file}/restore");
    assert_eq!(
        status(&app, &manager, Method::POST, &restore, None).await,
        404,
        "only the owner restores"
    );
}

#[tokio::test]
async fn uploads_by_an_editor_count_against_the_owners_quota() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (eve, _) = app.user_with_root("eve@example.com").await;
    let shared = app.folder(&ann, &root, "Drop").await;
    granted(&app, &ann, &shared, "eve@example.com", "editor").await;
    upload(&app, &eve, "eve.bin", &shared, &[1u8; 3000]).await;
    let me = |bearer: String| {
        let app = &app;
        async move { app.me(&bearer).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(me(ann.clone()).await["used_bytes"], 3000, "the owner pays");
    assert_eq!(me(eve.clone()).await["used_bytes"], 0);
    app.exec("UPDATE users SET quota_bytes = 5000 WHERE email = 'ann@example.com'")
        .await;
    let refused = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(&eve)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "3000")
        .header(
            "upload-metadata",
            crate::transfer::metadata("more.bin", &shared),
        )
        .send()
        .await
        .unwrap();
    assert_error(refused, 507, "quota_exceeded").await;
    assert_eq!(app.names(&ann, &shared, "").await, vec!["eve.bin"]);
}

#[tokio::test]
async fn sharing_refuses_what_cannot_be_shared_with_a_clear_reason() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let folder = app.folder(&ann, &root, "Plans").await;
    let cases = [
        (
            "nobody@example.com",
            "viewer",
            400,
            "No one with this email",
        ),
        ("not an email", "viewer", 400, "email address"),
        ("ann@example.com", "viewer", 400, "owns the item"),
        ("bob@example.com", "owner", 400, "viewer, editor or manager"),
    ];
    for (email, role, code, says) in cases {
        let response = share(&app, &ann, &folder, email, role).await;
        assert_eq!(response.status().as_u16(), code, "{email} as {role}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    assert_error(
        share(&app, &ann, &root, "bob@example.com", "viewer").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        share(&app, &bob, &folder, "bob@example.com", "viewer").await,
        404,
        "not_found",
    )
    .await;

    // Sharing again changes the role; in the trash nothing can be shared.
    assert_eq!(
        share(&app, &ann, &folder, "bob@example.com", "viewer")
            .await
            .status(),
        201
    );
    let again = share(&app, &ann, &folder, "Bob@Example.com", "editor").await;
    assert_eq!(again.status(), 200);
    let list: Value = call(
        &app,
        Some(&ann),
        Method::GET,
        &format!("/api/v1/nodes/{folder}/shares"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["role"], "editor");
    assert_eq!(list[0]["user"]["email"], "bob@example.com");
    assert_eq!(
        status(
            &app,
            &ann,
            Method::DELETE,
            &format!("/api/v1/nodes/{folder}"),
            None
        )
        .await,
        204
    );
    let trashed = share(&app, &ann, &folder, "bob@example.com", "viewer").await;
    let body = assert_error(trashed, 409, "conflict").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("trash"));
    let shared: Value = call(
        &app,
        Some(&bob),
        Method::GET,
        "/api/v1/shared-with-me",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(shared, json!([]), "a trashed item is not shared");
}

#[tokio::test]
async fn shared_with_me_lists_the_shared_items_and_browsing_starts_at_them() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let private = app.folder(&ann, &root, "Private").await;
    let team = app.folder(&ann, &private, "Team").await;
    let inner = app.folder(&ann, &team, "Inner").await;
    let grant = granted(&app, &ann, &team, "bob@example.com", "editor").await;
    let list: Value = call(
        &app,
        Some(&bob),
        Method::GET,
        "/api/v1/shared-with-me",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], team.as_str());
    assert_eq!(list[0]["role"], "editor");
    assert_eq!(list[0]["kind"], "folder");
    assert_eq!(app.names(&bob, &team, "").await, vec!["Inner"]);

    // The drive (server function) shows the path from the shared folder, not the owner's.
    let cookie_app = &app;
    let form = [
        ("email", "bob@example.com"),
        ("password", crate::helpers::PASSWORD),
    ];
    assert_eq!(
        cookie_app.server_fn("auth/sign_in", &form).await.status(),
        200
    );
    let page: Value = cookie_app
        .server_fn(
            "drive/list",
            &[
                ("folder", &inner),
                ("sort", "Name"),
                ("descending", "false"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = page["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Team", "Inner"],
        "nothing above the shared folder"
    );
    assert!(page["shared_by"].as_str().is_some());

    // The holder may leave; then it is gone from their list.
    let leave = call(
        &app,
        Some(&bob),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(leave.status(), 204);
    let list: Value = call(
        &app,
        Some(&bob),
        Method::GET,
        "/api/v1/shared-with-me",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list, json!([]));
}
