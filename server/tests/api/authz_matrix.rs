//! The authorisation matrix: every endpoint and server function that touches a file or folder,
//! tried by each kind of actor (owner, manager, editor, viewer, someone with no grant, nobody
//! signed in), each against a fresh item inside a folder the owner shared. 404 where the item's
//! existence must not show, 403 where it shows but the role is too low. A new endpoint (in the
//! OpenAPI document) or server function without a row here fails the test.

use std::collections::BTreeSet;

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::{spawn_app, TestApp, PASSWORD},
    sharing::{call, granted},
    transfer::{metadata, upload},
    upload_batch,
};

/// Owner, manager, editor, viewer, stranger, anonymous.
type Expected = [u16; 6];
const ACTORS: [&str; 6] = [
    "owner",
    "manager",
    "editor",
    "viewer",
    "stranger",
    "anonymous",
];
const READ: Expected = [200, 200, 200, 200, 404, 401];
const WRITE: Expected = [200, 200, 200, 403, 404, 401];
const MAKE: Expected = [201, 201, 201, 403, 404, 401];
const DELETE: Expected = [204, 204, 403, 403, 404, 401];
const SHARE: Expected = [201, 201, 403, 403, 404, 401];
const OWN_TRASH: Expected = [200, 404, 404, 404, 404, 401];

/// What one attempt works on: made afresh inside the shared folder.
struct Target {
    folder: String,
    file: String,
    pdf: String,
    sub: String,
    grant: String,
    link: String,
    trashed: String,
}

async fn target(app: &TestApp, ann: &str, shared: &str, n: usize) -> Target {
    let folder = app.folder(ann, shared, &format!("t{n}")).await;
    let sub = app.folder(ann, &folder, "sub").await;
    let file = upload(app, ann, "f.txt", &folder, b"one").await;
    upload(app, ann, "f.txt", &folder, b"two").await;
    // The same content every time: its previews are made once (the first target's jobs).
    let pdf = upload(app, ann, "p.pdf", &folder, &crate::fixtures::pdf(1)).await;
    app.run_jobs().await;
    let trashed = upload(app, ann, "gone.txt", &folder, b"gone").await;
    let gone = call(
        app,
        Some(ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{trashed}"),
        None,
    )
    .await;
    assert_eq!(gone.status(), 204);
    let grant = granted(app, ann, &folder, "carol@example.com", "viewer").await;
    let path = format!("/api/v1/nodes/{folder}/links");
    let made = call(app, Some(ann), Method::POST, &path, Some(json!({}))).await;
    let link = made.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Target {
        folder,
        file,
        pdf,
        sub,
        grant,
        link,
        trashed,
    }
}

/// A REST request against a target: (method, path, JSON body, raw body).
type Rest = fn(&Target) -> (Method, String, Option<Value>, Option<Vec<u8>>);

/// (the OpenAPI operation it covers, the request, what each actor gets)
fn rest_rows() -> Vec<(&'static str, Rest, Expected)> {
    vec![
        (
            "GET /api/v1/nodes/{id}",
            |t| (Method::GET, format!("/api/v1/nodes/{}", t.file), None, None),
            READ,
        ),
        (
            "GET /api/v1/nodes/{id}/children",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/children", t.folder),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "POST /api/v1/folders",
            |t| {
                (
                    Method::POST,
                    "/api/v1/folders".into(),
                    Some(json!({"parent_id": t.folder, "name": "new"})),
                    None,
                )
            },
            MAKE,
        ),
        (
            "PATCH /api/v1/nodes/{id}",
            |t| {
                (
                    Method::PATCH,
                    format!("/api/v1/nodes/{}", t.file),
                    Some(json!({"name": "renamed.txt"})),
                    None,
                )
            },
            WRITE,
        ),
        (
            "PATCH /api/v1/nodes/{id}",
            |t| {
                (
                    Method::PATCH,
                    format!("/api/v1/nodes/{}", t.file),
                    Some(json!({"parent_id": t.sub})),
                    None,
                )
            },
            WRITE,
        ),
        (
            "POST /api/v1/nodes/{id}/copy",
            |t| {
                (
                    Method::POST,
                    format!("/api/v1/nodes/{}/copy", t.file),
                    Some(json!({"parent_id": t.folder})),
                    None,
                )
            },
            MAKE,
        ),
        (
            "DELETE /api/v1/nodes/{id}",
            |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/nodes/{}", t.file),
                    None,
                    None,
                )
            },
            DELETE,
        ),
        (
            "GET /api/v1/nodes/{id}/content",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/content", t.file),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "GET /api/v1/nodes/{id}/content",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/content", t.folder),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "GET /api/v1/nodes/{id}/thumbnail",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/thumbnail?size=256", t.file),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "GET /api/v1/nodes/{id}/pages/{n}",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/pages/1", t.pdf),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "PUT /api/v1/nodes/{id}/content",
            |t| {
                (
                    Method::PUT,
                    format!("/api/v1/nodes/{}/content", t.file),
                    None,
                    Some(b"three".to_vec()),
                )
            },
            WRITE,
        ),
        (
            "GET /api/v1/nodes/{id}/versions",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/versions", t.file),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "POST /api/v1/nodes/{id}/versions/{n}/restore",
            |t| {
                (
                    Method::POST,
                    format!("/api/v1/nodes/{}/versions/1/restore", t.file),
                    None,
                    None,
                )
            },
            WRITE,
        ),
        (
            "POST /api/v1/uploads",
            |t| (Method::POST, t.folder.clone(), None, Some(b"tus".to_vec())),
            MAKE,
        ),
        // Answered 200 with an outcome per file: the one file's outcome is what counts here.
        (
            "POST /api/v1/uploads/batch",
            |t| (Method::POST, t.folder.clone(), None, Some(b"one".to_vec())),
            MAKE,
        ),
        (
            "GET /api/v1/zip",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/zip?ids={},{}", t.file, t.sub),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "GET /api/v1/nodes/{id}/shares",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/shares", t.folder),
                    None,
                    None,
                )
            },
            READ,
        ),
        (
            "POST /api/v1/nodes/{id}/shares",
            |t| {
                (
                    Method::POST,
                    format!("/api/v1/nodes/{}/shares", t.sub),
                    Some(json!({"email": "carol@example.com", "role": "viewer"})),
                    None,
                )
            },
            SHARE,
        ),
        (
            "PATCH /api/v1/shares/{id}",
            |t| {
                (
                    Method::PATCH,
                    format!("/api/v1/shares/{}", t.grant),
                    Some(json!({"role": "editor"})),
                    None,
                )
            },
            [200, 200, 403, 403, 404, 401],
        ),
        (
            "DELETE /api/v1/shares/{id}",
            |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/shares/{}", t.grant),
                    None,
                    None,
                )
            },
            DELETE,
        ),
        (
            "GET /api/v1/nodes/{id}/links",
            |t| {
                (
                    Method::GET,
                    format!("/api/v1/nodes/{}/links", t.folder),
                    None,
                    None,
                )
            },
            [200, 200, 403, 403, 404, 401],
        ),
        (
            "POST /api/v1/nodes/{id}/links",
            |t| {
                (
                    Method::POST,
                    format!("/api/v1/nodes/{}/links", t.file),
                    Some(json!({})),
                    None,
                )
            },
            SHARE,
        ),
        (
            "DELETE /api/v1/links/{id}",
            |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/links/{}", t.link),
                    None,
                    None,
                )
            },
            DELETE,
        ),
        (
            "POST /api/v1/trash/{id}/restore",
            |t| {
                (
                    Method::POST,
                    format!("/api/v1/trash/{}/restore", t.trashed),
                    None,
                    None,
                )
            },
            OWN_TRASH,
        ),
        (
            "DELETE /api/v1/trash/{id}",
            |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/trash/{}", t.trashed),
                    None,
                    None,
                )
            },
            [204, 404, 404, 404, 404, 401],
        ),
        (
            "PUT /api/v1/nodes/{id}/star",
            |t| {
                (
                    Method::PUT,
                    format!("/api/v1/nodes/{}/star", t.file),
                    None,
                    None,
                )
            },
            [204, 204, 204, 204, 404, 401],
        ),
        (
            // Takes the caller's own star off, if any: says nothing of the item (always 204).
            "DELETE /api/v1/nodes/{id}/star",
            |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/nodes/{}/star", t.file),
                    None,
                    None,
                )
            },
            [204, 204, 204, 204, 204, 401],
        ),
    ]
}

/// A one-file batch's answer as the status a request of its own would have had: 201 made, or
/// the status of the file's error.
async fn batch_outcome(response: reqwest::Response) -> u16 {
    let status = response.status().as_u16();
    if status != 200 {
        return status;
    }
    let body: Value = response.json().await.unwrap();
    let outcome = &body["files"][0];
    if outcome["id"].is_string() {
        return 201;
    }
    match outcome["error"]["code"].as_str() {
        Some("forbidden") => 403,
        Some("not_found") => 404,
        _ => panic!("an unexpected outcome: {body}"),
    }
}

/// Operations that touch no one else's file or folder: one's account, tokens, own trash, the
/// items shared with oneself, an upload's own URL (only its uploader reaches it).
const NOT_ABOUT_A_NODE: &[&str] = &[
    // Answers only what the caller may see (owned, or under a share): tests/api/search.rs.
    "GET /api/v1/search",
    // The same, for what changed (and what the caller lost sight of): tests/api/changes.rs.
    "GET /api/v1/changes",
    "GET /api/v1/changes/latest",
    // Administrators only: tests/api/admin.rs, accounts.rs, admin_ops.rs.
    "GET /api/v1/admin/stats",
    "GET /api/v1/admin/health",
    "GET /api/v1/admin/storage",
    "GET /api/v1/admin/users",
    "POST /api/v1/admin/users",
    "PATCH /api/v1/admin/users/{id}",
    "POST /api/v1/admin/users/{id}/password",
    "POST /api/v1/admin/users/{id}/invitation",
    "GET /api/v1/admin/settings",
    "PUT /api/v1/admin/settings",
    "GET /api/v1/admin/jobs",
    "POST /api/v1/admin/jobs/{id}/retry",
    "GET /api/v1/admin/activity",
    "POST /api/v1/auth/signup",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
    "GET /api/v1/me",
    "GET /api/v1/tokens",
    "POST /api/v1/tokens",
    "DELETE /api/v1/tokens/{id}",
    "GET /api/v1/trash",
    "DELETE /api/v1/trash",
    "GET /api/v1/shared-with-me",
    // One's own stars and opens, each item shown only while the caller may see it:
    // tests/api/marks.rs.
    "GET /api/v1/starred",
    // Only changes to what the listener may see: tests/api/live.rs.
    "GET /api/v1/events",
    "GET /api/v1/recent",
    "OPTIONS /api/v1/uploads",
    "HEAD /api/v1/uploads/{id}",
    "PATCH /api/v1/uploads/{id}",
    "DELETE /api/v1/uploads/{id}",
    "OPTIONS /api/v1/uploads/{id}",
];

/// A server function call against a target: (name, form).
type ServerCall = fn(&Target) -> (&'static str, Value);

fn server_fn_rows() -> Vec<(ServerCall, Expected)> {
    vec![
        (
            |t| {
                (
                    "drive/list",
                    json!({"folder": t.folder, "sort": "Name", "descending": false}),
                )
            },
            READ,
        ),
        (
            |t| {
                (
                    "drive/create_folder",
                    json!({"parent": t.folder, "name": "new"}),
                )
            },
            WRITE,
        ),
        (
            |t| ("drive/rename", json!({"id": t.file, "name": "renamed.txt"})),
            WRITE,
        ),
        (|t| ("drive/copy", json!({"id": t.file})), WRITE),
        (
            |t| ("drive/move", json!({"id": t.file, "parent": t.sub})),
            WRITE,
        ),
        (
            |t| ("drive/trash", json!({"id": t.file})),
            [200, 200, 403, 403, 404, 401],
        ),
        (|t| ("drive/restore", json!({"id": t.trashed})), OWN_TRASH),
        (|t| ("drive/purge", json!({"id": t.trashed})), OWN_TRASH),
        (|t| ("drive/versions", json!({"id": t.file})), READ),
        (
            |t| ("drive/star", json!({"id": t.file, "starred": true})),
            READ,
        ),
        (|t| ("drive/text_preview", json!({"id": t.file})), READ),
        (
            |t| ("drive/restore_version", json!({"id": t.file, "number": 1})),
            WRITE,
        ),
        (
            |t| {
                (
                    "drive/clashes",
                    json!({"parent": t.folder, "names": ["f.txt"]}),
                )
            },
            WRITE,
        ),
        (
            |t| {
                (
                    "drive/make_folders",
                    json!({"parent": t.folder, "path": "a/b"}),
                )
            },
            WRITE,
        ),
        (|t| ("sharing/get", json!({"id": t.folder})), READ),
        (
            |t| {
                (
                    "sharing/share",
                    json!({"id": t.sub, "email": "carol@example.com", "role": "viewer"}),
                )
            },
            SHARE_FN,
        ),
        (
            |t| {
                (
                    "sharing/change",
                    json!({"grant": t.grant, "role": "editor"}),
                )
            },
            SHARE_FN,
        ),
        (|t| ("sharing/remove", json!({"grant": t.grant})), SHARE_FN),
        (
            |t| {
                (
                    "sharing/create_link",
                    json!({"id": t.folder, "role": "viewer"}),
                )
            },
            SHARE_FN,
        ),
        (
            |t| ("sharing/revoke_link", json!({"link": t.link})),
            SHARE_FN,
        ),
    ]
}

/// A server function that needs the right to share.
const SHARE_FN: Expected = [200, 200, 403, 403, 404, 401];

/// Server functions about one's own things only.
const OWN_SERVER_FNS: &[&str] = &[
    // The same search as GET /api/v1/search: tests/api/search.rs, end2end/search.mjs.
    "/api/search",
    "/api/auth/sign_up",
    "/api/auth/sign_in",
    "/api/auth/sign_out",
    "/api/auth/current_user",
    "/api/drive/trash_list",
    "/api/drive/empty_trash",
    "/api/sharing/shared_with_me",
    // One's own app passwords: tests/api/app_passwords.rs, end2end/settings.mjs.
    "/api/account/app_passwords",
    "/api/account/create_app_password",
    "/api/account/revoke_app_password",
    // One's own stars and opens: tests/api/marks.rs.
    "/api/drive/starred",
    "/api/drive/recent",
    // A public link's page and password, for anyone holding the token: tests/api/links.rs.
    // Invitations, for whoever holds the link: tests/api/accounts.rs.
    "/api/auth/signup_mode",
    "/api/auth/invitation",
    "/api/auth/accept_invitation",
    // Administrators only: tests/api/admin.rs (every one of them refused to others there).
    "/api/admin/stats",
    "/api/admin/health",
    "/api/admin/storage",
    "/api/admin/accounts",
    "/api/admin/create_account",
    "/api/admin/change_account",
    "/api/admin/set_quota",
    "/api/admin/set_password",
    "/api/admin/invite_again",
    "/api/admin/signup_mode",
    "/api/admin/set_signup_mode",
    "/api/admin/failed_jobs",
    "/api/admin/retry_job",
    "/api/admin/activity",
    "/api/links/page",
    "/api/links/text_preview",
    "/api/links/unlock",
];

/// A browser (cookies kept), signed in as `email` when there is one.
pub(crate) async fn browser(app: &TestApp, email: Option<&str>) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    if let Some(email) = email {
        let signed_in = client
            .post(app.url("/api/auth/sign_in"))
            .header("origin", &app.address)
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 200, "browser sign-in of {email}");
    }
    client
}

#[tokio::test]
async fn every_node_endpoint_and_server_function_answers_each_actor_as_the_roles_say() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let emails = [
        "max@example.com",
        "eve@example.com",
        "vic@example.com",
        "sam@example.com",
    ];
    let mut tokens = vec![Some(ann.clone())];
    for email in emails {
        tokens.push(Some(app.user_with_root(email).await.0));
    }
    tokens.push(None);
    app.user_with_root("carol@example.com").await;
    let shared = app.folder(&ann, &root, "Shared").await;
    for (email, role) in emails.iter().zip(["manager", "editor", "viewer"]) {
        granted(&app, &ann, &shared, email, role).await;
    }

    let mut failures = Vec::new();
    let mut n = 0;
    for (operation, request, expected) in rest_rows() {
        for (actor, bearer) in tokens.iter().enumerate() {
            n += 1;
            let t = target(&app, &ann, &shared, n).await;
            let (method, path, json, raw) = request(&t);
            let response = if operation == "POST /api/v1/uploads/batch" {
                let bytes = raw.unwrap_or_default();
                let manifest =
                    json!([{"filename": "up.txt", "parent_id": path, "length": bytes.len()}]);
                let manifest = manifest.to_string();
                let form =
                    upload_batch::form(&[("manifest", manifest.as_bytes()), ("file", &bytes)]);
                let mut r = app
                    .client
                    .post(app.url("/api/v1/uploads/batch"))
                    .header("content-type", upload_batch::CONTENT_TYPE)
                    .body(form);
                if let Some(b) = bearer {
                    r = r.bearer_auth(b);
                }
                r.send().await.unwrap()
            } else if operation == "POST /api/v1/uploads" {
                let mut r = app
                    .client
                    .post(app.url("/api/v1/uploads"))
                    .header("tus-resumable", "1.0.0")
                    .header("upload-length", "3")
                    .header("upload-metadata", metadata("up.txt", &path))
                    .header("content-type", "application/offset+octet-stream")
                    .body(raw.unwrap_or_default());
                if let Some(b) = bearer {
                    r = r.bearer_auth(b);
                }
                r.send().await.unwrap()
            } else {
                let mut r = app.client.request(method, app.url(&path));
                if let Some(b) = bearer {
                    r = r.bearer_auth(b);
                }
                if let Some(j) = json {
                    r = r.json(&j);
                }
                if let Some(raw) = raw {
                    r = r.header("content-length", raw.len()).body(raw);
                }
                r.send().await.unwrap()
            };
            let got = if operation == "POST /api/v1/uploads/batch" {
                batch_outcome(response).await
            } else {
                response.status().as_u16()
            };
            if got != expected[actor] {
                failures.push(format!(
                    "{operation} ({path}) as {}: {got}, expected {}",
                    ACTORS[actor], expected[actor]
                ));
            }
        }
    }

    let mut browsers = Vec::new();
    for email in [
        "ann@example.com",
        "max@example.com",
        "eve@example.com",
        "vic@example.com",
        "sam@example.com",
    ] {
        browsers.push(browser(&app, Some(email)).await);
    }
    browsers.push(browser(&app, None).await);
    for (request, expected) in server_fn_rows() {
        for (actor, client) in browsers.iter().enumerate() {
            n += 1;
            let t = target(&app, &ann, &shared, n).await;
            let (name, body) = request(&t);
            let post = client
                .post(app.url(&format!("/api/{name}")))
                .header("origin", &app.address)
                .header("accept", "application/json");
            // Server functions take forms, but for the one that takes JSON.
            let post = if name == "drive/clashes" {
                post.json(&body)
            } else {
                let form: Vec<(String, String)> = body
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                        )
                    })
                    .collect();
                post.form(&form)
            };
            let response = post.send().await.unwrap();
            let got = response.status().as_u16();
            if got != expected[actor] {
                let text = response.text().await.unwrap_or_default();
                failures.push(format!(
                    "{name} as {}: {got}, expected {} ({text})",
                    ACTORS[actor], expected[actor]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the matrix is not what the roles say:\n{}",
        failures.join("\n")
    );

    // Every operation of the API is in the matrix or named as touching no one's node.
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let covered: BTreeSet<&str> = rest_rows()
        .iter()
        .map(|r| r.0)
        .chain(NOT_ABOUT_A_NODE.iter().copied())
        .collect();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let operation = format!("{} {path}", method.to_uppercase());
            if !covered.contains(operation.as_str()) {
                missing.push(operation);
            }
        }
    }
    let in_matrix: BTreeSet<String> = server_fn_rows()
        .iter()
        .map(|(request, _)| {
            let t = Target {
                folder: String::new(),
                file: String::new(),
                pdf: String::new(),
                sub: String::new(),
                grant: String::new(),
                link: String::new(),
                trashed: String::new(),
            };
            format!("/api/{}", request(&t).0)
        })
        .collect();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        if !in_matrix.contains(path) && !OWN_SERVER_FNS.contains(&path) {
            missing.push(format!("server function {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "add these to the authorisation matrix: {missing:?}"
    );
}
