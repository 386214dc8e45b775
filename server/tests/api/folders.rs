//! Folders: the root, creating, listing (sort, folders first, pages), renaming and moving.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn every_user_has_an_empty_root_folder() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    assert_eq!(app.root_id(&ann).await, root, "always the same root");
    let node: Value = app.get_node(&ann, &root).await.json().await.unwrap();
    assert_eq!(node["kind"], "folder");
    assert_eq!(node["parent_id"], Value::Null);
    let page: Value = app.children(&ann, &root, "").await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn folders_are_made_inside_folders_and_listed_there() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let response = app.create_folder(&ann, &root, "Projects").await;
    assert_eq!(response.status(), 201);
    let projects: Value = response.json().await.unwrap();
    assert_eq!(projects["name"], "Projects");
    assert_eq!(projects["parent_id"], root.as_str());
    let id = projects["id"].as_str().unwrap();
    app.folder(&ann, id, "2026").await;
    assert_eq!(app.names(&ann, &root, "").await, vec!["Projects"]);
    assert_eq!(app.names(&ann, id, "").await, vec!["2026"]);
}

#[tokio::test]
async fn bad_names_are_refused_with_the_rule_they_break() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let long = "x".repeat(256);
    for name in [
        "",
        ".",
        "..",
        "a/b",
        "a\\b",
        "nul\0",
        "bell\u{7}",
        " padded ",
        long.as_str(),
    ] {
        let error = assert_error(
            app.create_folder(&ann, &root, name).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(error["error"]["field"], "name", "{name:?}");
    }
    assert!(
        app.names(&ann, &root, "").await.is_empty(),
        "nothing was created"
    );
}

#[tokio::test]
async fn names_are_unique_among_siblings_after_unicode_normalisation() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let first = app.folder(&ann, &root, "Caf\u{e9}").await;
    let error = assert_error(
        app.create_folder(&ann, &root, "Cafe\u{301}").await,
        409,
        "conflict",
    )
    .await;
    assert_eq!(error["error"]["field"], "name");
    // The same name elsewhere is fine.
    app.folder(&ann, &first, "Caf\u{e9}").await;
    assert_eq!(app.names(&ann, &root, "").await, vec!["Caf\u{e9}"]);
}

#[tokio::test]
async fn listings_sort_folders_first_and_page_through_everything() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    for name in ["banana", "Apple", "cherry", "apple pie", "Date"] {
        app.folder(&ann, &root, name).await;
    }
    assert_eq!(
        app.names(&ann, &root, "?sort=name").await,
        vec!["Apple", "apple pie", "banana", "cherry", "Date"]
    );
    assert_eq!(
        app.names(&ann, &root, "?sort=name&order=desc").await,
        vec!["Date", "cherry", "banana", "apple pie", "Apple"]
    );
    assert_eq!(
        app.names(&ann, &root, "?sort=modified&order=desc").await[0],
        "Date"
    );

    let mut seen = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page: Value = app
            .children(&ann, &root, &query)
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|n| n["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, vec!["Apple", "apple pie", "banana", "cherry", "Date"]);

    // With files among them: folders first on every page, in each order and direction, and
    // a page that starts past the last folder.
    for (name, size) in [("file 10.txt", 2), ("File 9.txt", 1), ("file 1.txt", 3)] {
        crate::transfer::upload(&app, &ann, name, &root, &vec![b'x'; size]).await;
    }
    let folders = ["Apple", "apple pie", "banana", "cherry", "Date"];
    let files = ["file 1.txt", "File 9.txt", "file 10.txt"];
    let by_name: Vec<&str> = folders.iter().chain(files.iter()).copied().collect();
    let by_name_desc: Vec<&str> = backwards(&folders)
        .into_iter()
        .chain(backwards(&files))
        .collect();
    for (order, expected) in [("asc", &by_name), ("desc", &by_name_desc)] {
        for limit in [1, 2, 3, 5, 8] {
            let all = paged(
                &app,
                &ann,
                &root,
                &format!("sort=name&order={order}"),
                limit,
            )
            .await;
            assert_eq!(&all, expected, "by name, {order}, pages of {limit}");
        }
    }
    let by_modified = paged(&app, &ann, &root, "sort=modified&order=desc", 3).await;
    let newest = [
        "Date",
        "apple pie",
        "cherry",
        "Apple",
        "banana",
        "file 1.txt",
    ];
    assert_eq!(
        &by_modified[..6],
        newest,
        "newest folders first, then the newest files"
    );
    let oldest = paged(&app, &ann, &root, "sort=modified", 3).await;
    let made = ["banana", "Apple", "cherry", "apple pie", "Date"];
    let uploaded = ["file 10.txt", "File 9.txt", "file 1.txt"];
    assert_eq!(
        oldest,
        [&made[..], &uploaded[..]].concat(),
        "in the order they came"
    );
    let by_size = paged(&app, &ann, &root, "sort=size", 2).await;
    assert_eq!(&by_size[5..], ["File 9.txt", "file 10.txt", "file 1.txt"]);

    assert_error(
        app.children(&ann, &root, "?sort=colour").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.children(&ann, &root, "?order=up").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.children(&ann, &root, "?limit=0").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.children(&ann, &root, "?limit=5000").await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.children(&ann, &root, "?cursor=%%%").await,
        400,
        "validation",
    )
    .await;
}

#[tokio::test]
async fn rename_and_move_keep_the_tree_a_tree() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let a = app.folder(&ann, &root, "A").await;
    let b = app.folder(&ann, &a, "B").await;
    let c = app.folder(&ann, &root, "C").await;

    let renamed: Value = app
        .patch_node(&ann, &c, &json!({"name": "See"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["name"], "See");
    let moved: Value = app
        .patch_node(&ann, &c, &json!({"parent_id": b}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["parent_id"], b.as_str());
    assert_eq!(app.names(&ann, &b, "").await, vec!["See"]);
    assert_eq!(app.names(&ann, &root, "").await, vec!["A"]);

    // Into itself, into a child, into a grandchild: all refused, nothing changes.
    for dest in [&a, &b, &c] {
        let error = assert_error(
            app.patch_node(&ann, &a, &json!({"parent_id": dest})).await,
            409,
            "conflict",
        )
        .await;
        assert_eq!(error["error"]["field"], "parent_id");
    }
    assert_eq!(app.names(&ann, &root, "").await, vec!["A"]);

    // Moving onto a name that is taken, renaming the root.
    app.folder(&ann, &root, "See").await;
    assert_error(
        app.patch_node(&ann, &c, &json!({"parent_id": root})).await,
        409,
        "conflict",
    )
    .await;
    assert_error(
        app.patch_node(&ann, &root, &json!({"name": "mine"})).await,
        400,
        "validation",
    )
    .await;
    assert_error(
        app.patch_node(&ann, &a, &json!({"name": "x/y"})).await,
        400,
        "validation",
    )
    .await;
}

#[tokio::test]
async fn two_racing_moves_never_make_a_cycle() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    for round in 0..10 {
        let x = app.folder(&ann, &root, &format!("x{round}")).await;
        let y = app.folder(&ann, &root, &format!("y{round}")).await;
        let (into_y, into_x) = (json!({"parent_id": y}), json!({"parent_id": x}));
        let (first, second) = tokio::join!(
            app.patch_node(&ann, &x, &into_y),
            app.patch_node(&ann, &y, &into_x)
        );
        let statuses = [first.status().as_u16(), second.status().as_u16()];
        assert!(
            statuses.contains(&200) && statuses.contains(&409),
            "round {round}: {statuses:?}"
        );
        // Both are still reachable from the root: exactly one of them is listed there.
        let listed = app.names(&ann, &root, "?limit=1000").await;
        let at_root = [format!("x{round}"), format!("y{round}")]
            .iter()
            .filter(|n| listed.contains(n))
            .count();
        assert_eq!(at_root, 1, "round {round}: {listed:?}");
    }
}

#[tokio::test]
async fn other_peoples_folders_do_not_exist_for_you() {
    let app = spawn_app().await;
    let (ann, _) = app.signed_in_user("ann@example.com").await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    let ann_root = app.root_id(&ann).await;
    let bob_root = app.root_id(&bob).await;
    let secret = app.folder(&ann, &ann_root, "Secret").await;
    let bobs = app.folder(&bob, &bob_root, "Bob's").await;

    assert_error(app.get_node(&bob, &secret).await, 404, "not_found").await;
    assert_error(app.children(&bob, &ann_root, "").await, 404, "not_found").await;
    assert_error(
        app.create_folder(&bob, &secret, "intruder").await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.patch_node(&bob, &secret, &json!({"name": "mine now"}))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.patch_node(&bob, &bobs, &json!({"parent_id": secret}))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.names(&ann, &secret, "").await, Vec::<String>::new());
    assert_eq!(app.names(&ann, &ann_root, "").await, vec!["Secret"]);

    assert_error(app.get_node(&ann, "not-a-uuid").await, 400, "validation").await;
    assert_error(
        app.get_node(&ann, &uuid::Uuid::new_v4().to_string()).await,
        404,
        "not_found",
    )
    .await;
    let anonymous = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{secret}")))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, 401, "unauthenticated").await;
}

async fn copy(
    app: &crate::helpers::TestApp,
    bearer: &str,
    id: &str,
    body: &Value,
) -> reqwest::Response {
    let url = app.url(&format!("/api/v1/nodes/{id}/copy"));
    app.client
        .post(url)
        .bearer_auth(bearer)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn copying_a_folder_copies_everything_below_it() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let work = app.folder(&ann, &root, "Work").await;
    let y2026 = app.folder(&ann, &work, "2026").await;
    app.folder(&ann, &y2026, "Q1").await;
    let archive = app.folder(&ann, &root, "Archive").await;

    let response = copy(&app, &ann, &work, &json!({"parent_id": archive})).await;
    assert_eq!(response.status(), 201);
    let copied: Value = response.json().await.unwrap();
    assert_eq!(copied["name"], "Work");
    assert_ne!(copied["id"], work.as_str(), "a new folder");
    let copied_id = copied["id"].as_str().unwrap();
    assert_eq!(app.names(&ann, copied_id, "").await, vec!["2026"]);
    let page: Value = app
        .children(&ann, copied_id, "")
        .await
        .json()
        .await
        .unwrap();
    let copied_year = page["items"][0]["id"].as_str().unwrap().to_owned();
    assert_ne!(copied_year, y2026);
    assert_eq!(app.names(&ann, &copied_year, "").await, vec!["Q1"]);
    assert_eq!(
        app.names(&ann, &y2026, "").await,
        vec!["Q1"],
        "the original is untouched"
    );

    // Beside the original: the copy gets a free name; a chosen name that is taken is refused.
    let beside: Value = copy(&app, &ann, &work, &json!({"parent_id": root}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(beside["name"], "Work (1)");
    let taken = copy(
        &app,
        &ann,
        &work,
        &json!({"parent_id": root, "name": "Archive"}),
    )
    .await;
    assert_error(taken, 409, "conflict").await;
    let renamed: Value = copy(
        &app,
        &ann,
        &work,
        &json!({"parent_id": root, "name": "Work backup"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(renamed["name"], "Work backup");

    // Into itself: a snapshot of what it held, so it ends.
    let inside: Value = copy(&app, &ann, &work, &json!({"parent_id": work}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inside["name"], "Work");
    assert_eq!(app.names(&ann, &work, "").await, vec!["2026", "Work"]);
    let inner = inside["id"].as_str().unwrap();
    assert_eq!(app.names(&ann, inner, "").await, vec!["2026"]);
}

#[tokio::test]
async fn copying_is_refused_for_the_root_and_for_other_peoples_folders() {
    let app = spawn_app().await;
    let (ann, _) = app.signed_in_user("ann@example.com").await;
    let (bob, _) = app.signed_in_user("bob@example.com").await;
    let ann_root = app.root_id(&ann).await;
    let bob_root = app.root_id(&bob).await;
    let secret = app.folder(&ann, &ann_root, "Secret").await;
    assert_error(
        copy(&app, &bob, &secret, &json!({"parent_id": bob_root})).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        copy(&app, &ann, &secret, &json!({"parent_id": bob_root})).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        copy(&app, &ann, &ann_root, &json!({"parent_id": secret})).await,
        400,
        "validation",
    )
    .await;
    assert_error(
        copy(
            &app,
            &ann,
            &secret,
            &json!({"parent_id": ann_root, "name": "a/b"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert!(app.names(&bob, &bob_root, "").await.is_empty());
    assert_eq!(app.names(&ann, &ann_root, "").await, vec!["Secret"]);
}

/// Every name in `folder`, read in pages of `limit` by following the cursors.
async fn paged(
    app: &crate::helpers::TestApp,
    bearer: &str,
    folder: &str,
    query: &str,
    limit: u32,
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = format!("?{query}&limit={limit}{cursor}");
        let page: Value = app
            .children(bearer, folder, &url)
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= limit as usize);
        seen.extend(items.iter().map(|n| n["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return seen,
        }
    }
}

fn backwards<'a>(names: &[&'a str]) -> Vec<&'a str> {
    names.iter().rev().copied().collect()
}
