//! Natural order of names, Starred and Recent, through the API, the drive's server functions
//! and a browser session.

use reqwest::{Client, Method};
use serde_json::Value;

use crate::{
    authz_matrix::browser,
    downloads::unzip,
    helpers::{spawn_app, TestApp},
    sharing::{call, granted},
    transfer::upload,
};

async fn json(response: reqwest::Response) -> Value {
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

/// A server function called from `browser` (a session's page), its JSON answer.
async fn server_fn(app: &TestApp, browser: &Client, name: &str, form: &[(&str, &str)]) -> Value {
    let response = browser
        .post(app.url(&format!("/api/{name}")))
        .header("origin", &app.address)
        .form(form)
        .send()
        .await
        .unwrap();
    json(response).await
}

#[tokio::test]
async fn names_sort_naturally_in_lists_and_zips() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "Notes").await;
    for name in [
        "notes-10.txt",
        "notes-2.txt",
        "Notes-1.txt",
        "émile.txt",
        "Zebra.txt",
        "apple.txt",
        "notes-02.txt",
    ] {
        upload(&app, &ann, name, &folder, name.as_bytes()).await;
    }
    app.folder(&ann, &folder, "Week 10").await;
    app.folder(&ann, &folder, "week 9").await;
    let expected = [
        "week 9",
        "Week 10",
        "apple.txt",
        "émile.txt",
        "Notes-1.txt",
        "notes-02.txt",
        "notes-2.txt",
        "notes-10.txt",
        "Zebra.txt",
    ];
    assert_eq!(app.names(&ann, &folder, "?sort=name").await, expected);
    let mut backwards: Vec<&str> = expected[2..].iter().rev().copied().collect();
    backwards.splice(0..0, ["Week 10", "week 9"]);
    assert_eq!(
        app.names(&ann, &folder, "?sort=name&order=desc").await,
        backwards,
        "folders first, each part backwards"
    );
    // Pages follow the same order.
    let first = json(app.children(&ann, &folder, "?sort=name&limit=4").await).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .names(
            &ann,
            &folder,
            &format!("?sort=name&limit=4&cursor={cursor}"),
        )
        .await;
    assert_eq!(second, expected[4..8]);
    // The folder's zip lists its files in the same order.
    let zip = call(
        &app,
        Some(&ann),
        Method::GET,
        &format!("/api/v1/nodes/{folder}/content"),
        None,
    )
    .await;
    let names: Vec<String> = unzip(&zip.bytes().await.unwrap())
        .into_iter()
        .map(|(name, _)| name)
        .filter(|n| !n.ends_with('/'))
        .collect();
    let files: Vec<String> = expected[2..].iter().map(|n| format!("Notes/{n}")).collect();
    assert_eq!(names, files);
}

#[tokio::test]
async fn stars_list_what_their_owner_may_still_see() {
    let app = spawn_app().await;
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    let shared = app.folder(&ann, &ann_root, "Plans").await;
    let plan = upload(&app, &ann, "plan.txt", &shared, b"plan").await;
    let grant = granted(&app, &ann, &shared, "bob@example.com", "viewer").await;
    let own = upload(&app, &bob, "mine.txt", &bob_root, b"mine").await;
    let star = |id: &str, method: Method| {
        let path = format!("/api/v1/nodes/{id}/star");
        let bob = bob.clone();
        let app = &app;
        async move { call(app, Some(&bob), method, &path, None).await.status() }
    };
    assert_eq!(star(&own, Method::PUT).await, 204);
    assert_eq!(star(&plan, Method::PUT).await, 204);
    assert_eq!(
        star(&plan, Method::PUT).await,
        204,
        "again: nothing changes"
    );
    assert_eq!(star(&shared, Method::PUT).await, 204);
    let secret = upload(&app, &ann, "secret.txt", &ann_root, b"s").await;
    assert_eq!(
        star(&secret, Method::PUT).await,
        404,
        "what they may not see cannot be starred (nor told apart from nothing)"
    );
    let starred = |bearer: String| {
        let app = &app;
        async move {
            let list =
                json(call(app, Some(&bearer), Method::GET, "/api/v1/starred", None).await).await;
            list.as_array()
                .unwrap()
                .iter()
                .map(|n| n["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        starred(bob.clone()).await,
        ["Plans", "plan.txt", "mine.txt"]
    );
    assert!(
        starred(ann.clone()).await.is_empty(),
        "stars are each person's own"
    );
    // Access gone: the shared stars are out of sight.
    let removed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    assert_eq!(starred(bob.clone()).await, ["mine.txt"]);
    assert_eq!(star(&own, Method::DELETE).await, 204);
    assert!(starred(bob.clone()).await.is_empty());

    // The drive's server functions: the star shows in the folder and on the Starred page.
    let browser = browser(&app, Some("bob@example.com")).await;
    let own_again = upload(&app, &bob, "again.txt", &bob_root, b"again").await;
    let star_it = [("id", own_again.as_str()), ("starred", "true")];
    server_fn(&app, &browser, "drive/star", &star_it).await;
    let in_order = [("sort", "Name"), ("descending", "false")];
    let listed = server_fn(&app, &browser, "drive/list", &in_order).await;
    let again = listed["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "again.txt")
        .unwrap();
    assert_eq!(again["starred"], true);
    let page = server_fn(&app, &browser, "drive/starred", &[]).await;
    assert_eq!(page[0]["entry"]["name"], "again.txt");
    assert_eq!(
        page[0]["parent_id"],
        bob_root.as_str(),
        "it opens in its folder"
    );
}

#[tokio::test]
async fn recent_lists_what_was_changed_or_opened_in_the_browser() {
    let app = spawn_app().await;
    let (ann, ann_root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let shared = app.folder(&ann, &ann_root, "Team").await;
    let report = upload(&app, &ann, "report.txt", &shared, b"one").await;
    let grant = granted(&app, &ann, &shared, "bob@example.com", "editor").await;
    let recent = |bearer: String| {
        let app = &app;
        async move {
            let list =
                json(call(app, Some(&bearer), Method::GET, "/api/v1/recent", None).await).await;
            list.as_array()
                .unwrap()
                .iter()
                .map(|r| r["node"]["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(recent(ann.clone()).await, ["report.txt"], "her upload");
    assert!(recent(bob.clone()).await.is_empty());
    // A program reading with a token is not a person opening it.
    let read = call(
        &app,
        Some(&bob),
        Method::GET,
        &format!("/api/v1/nodes/{report}/content"),
        None,
    )
    .await;
    assert_eq!(read.status(), 200);
    assert!(
        recent(bob.clone()).await.is_empty(),
        "token reads do not count"
    );
    // Opened in the browser: it is in Bob's Recent, once however often he opens it.
    let browser = browser(&app, Some("bob@example.com")).await;
    for _ in 0..3 {
        let opened = browser
            .get(app.url(&format!("/api/v1/nodes/{report}/content")))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 200);
    }
    assert_eq!(recent(bob.clone()).await, ["report.txt"]);
    assert_eq!(app.count("opens").await, 1, "kept once an hour at most");
    // His own change comes first, newest first.
    let notes = upload(&app, &bob, "notes.txt", &shared, b"notes").await;
    assert_eq!(recent(bob.clone()).await, ["notes.txt", "report.txt"]);
    let page = server_fn(&app, &browser, "drive/recent", &[]).await;
    assert_eq!(page[0]["entry"]["id"], notes.as_str());
    assert_eq!(page[0]["parent_id"], shared.as_str());
    // A lost grant takes them out of his Recent.
    let removed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    assert!(
        recent(bob.clone()).await.is_empty(),
        "{:?}",
        recent(bob.clone()).await
    );
}
