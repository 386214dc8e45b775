//! Rights lost halfway and limits an attacker leans on (issue "One way in", findings 4 to 6):
//! a revoked editor's upload stops before it makes a file; open uploads count against the
//! quota and are capped; purges and prunes at once give bytes back exactly once.

use reqwest::Method;
use serde_json::{json, Value};

use crate::{
    accounts::{change, id_of},
    helpers::{assert_error, spawn_app, spawn_app_with, TestApp},
    sharing::{call, granted},
    transfer::{create, download, head, location, patch, upload},
};

async fn used(app: &TestApp, bearer: &str) -> i64 {
    let me: Value = app.me(bearer).await.json().await.unwrap();
    me["used_bytes"].as_i64().unwrap()
}

/// What the owner's stored versions add up to, straight from the database.
async fn stored(app: &TestApp, bearer: &str) -> i64 {
    let me: Value = app.me(bearer).await.json().await.unwrap();
    let id = uuid::Uuid::parse_str(me["id"].as_str().unwrap()).unwrap();
    let rows = app
        .exec_with(
            "SELECT CAST(COALESCE(SUM(v.size), 0) AS BIGINT) AS n FROM versions v \
             JOIN nodes n ON n.id = v.node_id WHERE n.owner_id = $1",
            vec![id.into()],
        )
        .await;
    rows[0].try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn an_editor_whose_grant_is_removed_cannot_finish_an_upload() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let shared = app.folder(&ann, &root, "Team").await;
    let existing = upload(&app, &ann, "plan.txt", &shared, b"ann's plan").await;
    let grant = granted(&app, &ann, &shared, "bob@example.com", "editor").await;
    let piece = vec![b'b'; 1_500_000];
    // A new file, and a new version of one that is there, each begun while bob may.
    let new = location(&create(&app, &bob, "bob.bin", &shared, 3_000_000).await);
    let version = location(&create(&app, &bob, "plan.txt", &shared, 3_000_000).await);
    assert_eq!(patch(&app, &bob, &new, 0, &piece).await.status(), 204);
    let removed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    for (upload_at, offset) in [(&new, 1_500_000), (&version, 0)] {
        let refused = patch(&app, &bob, upload_at, offset, &piece).await;
        let body = assert_error(refused, 403, "forbidden").await;
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no longer upload"));
        assert_eq!(
            head(&app, &bob, upload_at).await.status(),
            404,
            "the upload is gone"
        );
    }
    assert_eq!(app.names(&ann, &shared, "").await, vec!["plan.txt"]);
    assert_eq!(
        download(&app, &ann, &existing, None)
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"ann's plan"
    );
    assert_eq!(used(&app, &ann).await, 10);
}

#[tokio::test]
async fn open_uploads_count_against_the_quota_and_are_capped() {
    let app = spawn_app().await;
    let (admin, _) = app.user_with_root("admin@example.com").await;
    let (bob, root) = app.user_with_root("bob@example.com").await;
    let id = id_of(&app, &admin, "bob@example.com").await;
    assert_eq!(
        change(&app, &admin, &id, json!({"quota_bytes": 10_000_000}))
            .await
            .0,
        200
    );
    let first = create(&app, &bob, "a.bin", &root, 9_000_000).await;
    assert_eq!(first.status(), 201);
    for name in ["b.bin", "c.bin"] {
        assert_error(
            create(&app, &bob, name, &root, 9_000_000).await,
            507,
            "quota_exceeded",
        )
        .await;
    }
    // Ending the open one frees its room.
    let gone = app
        .client
        .delete(app.url(&location(&first)))
        .bearer_auth(&bob)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert_eq!(
        create(&app, &bob, "b.bin", &root, 9_000_000).await.status(),
        201
    );

    // No one keeps more than a hundred open at once.
    let (carol, home) = app.user_with_root("carol@example.com").await;
    let mut statuses = Vec::new();
    for n in 0..101 {
        statuses.push(
            create(&app, &carol, &format!("{n}.bin"), &home, 10)
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(statuses[..100].iter().all(|s| *s == 201));
    assert_error(
        create(&app, &carol, "more.bin", &home, 10).await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn purges_and_prunes_at_once_give_bytes_back_exactly_once() {
    let app = spawn_app_with(|s| s.files.keep_versions = 2).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let file = upload(&app, &ann, "big.bin", &root, &vec![1u8; 5000]).await;
    let gone = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{file}"),
        None,
    )
    .await;
    assert_eq!(gone.status(), 204);
    let path = format!("/api/v1/trash/{file}");
    let purges = (0..8).map(|_| call(&app, Some(&ann), Method::DELETE, &path, None));
    let statuses: Vec<u16> = futures::future::join_all(purges)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(used(&app, &ann).await, 0);

    // New versions at once, each pruning the oldest.
    let uploads = (0..12u8).map(|n| {
        let ann = ann.clone();
        let root = root.clone();
        let app = &app;
        async move { upload(app, &ann, "doc.bin", &root, &vec![n; 1000 + n as usize]).await }
    });
    futures::future::join_all(uploads).await;
    assert_eq!(used(&app, &ann).await, stored(&app, &ann).await);
}

/// Random uploads, versions, trash, restores and purges side by side: afterwards the usage is
/// the sum of the stored versions' sizes.
#[tokio::test]
async fn usage_equals_the_stored_versions_after_random_concurrent_changes() {
    use rand::{Rng, SeedableRng};
    let app = spawn_app_with(|s| s.files.keep_versions = 3).await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let seed: u64 = rand::random();
    let workers = (0..6u64).map(|w| {
        let (app, ann, root) = (&app, ann.clone(), root.clone());
        async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ w);
            for _ in 0..12 {
                let name = format!("f{}.bin", rng.gen_range(0..4));
                let size = rng.gen_range(1..4000);
                let body = vec![rng.gen::<u8>(); size];
                let id = upload(app, &ann, &name, &root, &body).await;
                match rng.gen_range(0..3) {
                    0 => {
                        call(
                            app,
                            Some(&ann),
                            Method::DELETE,
                            &format!("/api/v1/nodes/{id}"),
                            None,
                        )
                        .await;
                        call(
                            app,
                            Some(&ann),
                            Method::DELETE,
                            &format!("/api/v1/trash/{id}"),
                            None,
                        )
                        .await;
                    }
                    1 => {
                        call(
                            app,
                            Some(&ann),
                            Method::DELETE,
                            &format!("/api/v1/nodes/{id}"),
                            None,
                        )
                        .await;
                        call(
                            app,
                            Some(&ann),
                            Method::POST,
                            &format!("/api/v1/trash/{id}/restore"),
                            None,
                        )
                        .await;
                    }
                    _ => {}
                }
            }
        }
    });
    futures::future::join_all(workers).await;
    assert_eq!(
        used(&app, &ann).await,
        stored(&app, &ann).await,
        "seed {seed}"
    );
}

/// Operations in flight when a right goes: a download resumed, a zip, a link's next range.
#[tokio::test]
async fn a_right_lost_halfway_stops_resumed_downloads_and_zips() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let shared = app.folder(&ann, &root, "Team").await;
    let data = vec![7u8; 100_000];
    let file = upload(&app, &ann, "data.bin", &shared, &data).await;
    let grant = granted(&app, &ann, &shared, "bob@example.com", "viewer").await;
    assert_eq!(
        download(&app, &bob, &file, Some("bytes=0-49999"))
            .await
            .status(),
        206
    );
    let zip = |who: String| {
        let url = app.url(&format!("/api/v1/zip?ids={shared}"));
        let client = app.client.clone();
        async move {
            client
                .get(url)
                .bearer_auth(who)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(zip(bob.clone()).await, 200);
    let link: Value = call(
        &app,
        Some(&ann),
        Method::POST,
        &format!("/api/v1/nodes/{file}/links"),
        Some(json!({})),
    )
    .await
    .json()
    .await
    .unwrap();
    let link_url = app.url(&format!("/s/{}/content", link["token"].as_str().unwrap()));
    let first = app
        .client
        .get(&link_url)
        .header("range", "bytes=0-49999")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 206);

    let removed = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    let revoked = call(
        &app,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/links/{}", link["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        download(&app, &bob, &file, Some("bytes=50000-"))
            .await
            .status(),
        404
    );
    assert_eq!(zip(bob.clone()).await, 404);
    let rest = app
        .client
        .get(&link_url)
        .header("range", "bytes=50000-")
        .send()
        .await
        .unwrap();
    assert_eq!(rest.status(), 410);
}
