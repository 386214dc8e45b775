//! Search: each format's text found, ranking, typos, phrases, filters, clear errors (access
//! and changes: `search_changes.rs`).

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{
    fixtures,
    helpers::{spawn_app, TestApp},
    sharing::granted,
    transfer::upload,
};

/// `GET /api/v1/search?{query}` as `bearer`.
pub async fn search(app: &TestApp, bearer: &str, query: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/search?{query}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The names found, best first.
pub fn names(page: &Value) -> Vec<String> {
    page["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["name"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Searches until `done` holds for the names found (the index follows within a moment), or
/// fails after ten seconds with what it last saw.
pub async fn eventually(
    app: &TestApp,
    bearer: &str,
    query: &str,
    done: impl Fn(&[String]) -> bool,
) -> Value {
    let start = Instant::now();
    loop {
        let (status, page) = search(app, bearer, query).await;
        assert_eq!(status, 200, "{query}: {page}");
        if done(&names(&page)) {
            return page;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{query}: still {:?}",
            names(&page)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the index holds every change made so far (its lag in `/metrics` is 0): the
/// results no longer move.
pub async fn settled(app: &TestApp) {
    let start = Instant::now();
    loop {
        let metrics = app.metrics().await;
        if metrics.contains("gosync_search_index_lag 0\n") {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{metrics}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/search/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn has(name: &str) -> impl Fn(&[String]) -> bool + '_ {
    move |names| names.iter().any(|n| n == name)
}

#[tokio::test]
async fn the_text_of_each_format_is_found_with_a_highlighted_snippet() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let files = [
        ("report.docx", "Zanzibar"),
        ("notes.odt", "Kilimanjaro"),
        ("budget.xlsx", "Marrakesh"),
        ("plan.ods", "Timbuktu"),
        ("page.html", "world"),
        ("latin1.txt", "brûlée"),
        ("sjis.txt", "東京の天気は晴れです"),
        ("utf16.txt", "Köln"),
        ("readme.md", "ocelot"),
    ];
    for (name, _) in files {
        upload(&app, &ann, name, &root, &fixture(name)).await;
    }
    upload(&app, &ann, "slides.pdf", &root, &fixtures::document(2, 3)).await;
    let ran = app.run_jobs().await;
    let text_jobs: Vec<_> = ran.iter().filter(|r| r.kind == "text").collect();
    assert_eq!(text_jobs.len(), files.len() + 1, "{ran:?}");
    assert!(text_jobs.iter().all(|r| r.state == "done"), "{ran:?}");
    for (name, word) in files.into_iter().chain([("slides.pdf", "lazy")]) {
        let query = format!("q={}", urlencode(word));
        let page = eventually(&app, &ann, &query, has(name)).await;
        let hit = &page["hits"].as_array().unwrap()[0];
        let marked: Vec<&str> = hit["snippet"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["hit"] == true)
            .map(|p| p["text"].as_str().unwrap())
            .collect();
        assert!(!marked.is_empty(), "{name}: a highlighted snippet in {hit}");
        assert_eq!(hit["path"], "My files");
    }
    // Script in a web page is not text anyone reads.
    let (_, page) = search(&app, &ann, "q=secretcode").await;
    assert!(names(&page).is_empty(), "{page}");
}

#[tokio::test]
async fn names_rank_first_typos_and_prefixes_match_names_and_quotes_make_a_phrase() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    upload(
        &app,
        &ann,
        "minutes.txt",
        &root,
        b"the lighthouse budget was approved",
    )
    .await;
    upload(&app, &ann, "lighthouse.txt", &root, b"nothing to see").await;
    upload(
        &app,
        &ann,
        "scattered.txt",
        &root,
        b"sharply, the revenue of ideas grew",
    )
    .await;
    upload(
        &app,
        &ann,
        "phrase.txt",
        &root,
        b"last year revenue grew sharply",
    )
    .await;
    app.run_jobs().await;
    let page = eventually(&app, &ann, "q=lighthouse", |n| n.len() == 2).await;
    assert_eq!(
        names(&page),
        ["lighthouse.txt", "minutes.txt"],
        "the name first"
    );
    // One typo, and a word still being typed.
    eventually(&app, &ann, "q=lighthuose", has("lighthouse.txt")).await;
    eventually(&app, &ann, "q=lighth", has("lighthouse.txt")).await;
    let page = eventually(&app, &ann, "q=revenue+sharply", |n| n.len() == 2).await;
    assert_eq!(names(&page).len(), 2);
    let (_, page) = search(&app, &ann, "q=%22revenue+grew+sharply%22").await;
    assert_eq!(names(&page), ["phrase.txt"]);
    // Query syntax typed by accident is read as words.
    let (status, _) = search(&app, &ann, "q=budget%3A+(approved").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn filters_narrow_by_type_size_date_owner_and_sharing() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, bob_root) = app.user_with_root("bob@example.com").await;
    app.folder(&ann, &root, "Atlas folder").await;
    upload(&app, &ann, "atlas.pdf", &root, &fixtures::pdf(1)).await;
    upload(&app, &ann, "atlas.txt", &root, b"atlas").await;
    upload(&app, &ann, "atlas big.txt", &root, &vec![b'a'; 5000]).await;
    let bobs = upload(&app, &bob, "atlas of bob.txt", &bob_root, b"bob's atlas").await;
    granted(&app, &bob, &bobs, "ann@example.com", "viewer").await;
    app.run_jobs().await;
    let all = eventually(&app, &ann, "q=atlas", |n| n.len() == 5).await;
    assert_eq!(all["total"], 5);
    let (_, page) = search(&app, &ann, "q=atlas&kind=pdf").await;
    assert_eq!(names(&page), ["atlas.pdf"]);
    let (_, page) = search(&app, &ann, "q=atlas&kind=folder").await;
    assert_eq!(names(&page), ["Atlas folder"]);
    let (_, page) = search(&app, &ann, "q=atlas&mime=text/*&min_size=1KB").await;
    assert_eq!(names(&page), ["atlas big.txt"]);
    let (_, page) = search(&app, &ann, "q=atlas&max_size=10&kind=document").await;
    assert_eq!(names(&page), ["atlas.txt"]);
    let (_, page) = search(&app, &ann, "q=atlas&owner=others").await;
    assert_eq!(names(&page), ["atlas of bob.txt"]);
    let hit = &page["hits"][0];
    assert_eq!(hit["owner_name"], "Test User", "the owner's name");
    assert_eq!(hit["path"], "Shared with me");
    let (_, page) = search(&app, &ann, "q=atlas&shared=true").await;
    assert_eq!(names(&page), ["atlas of bob.txt"]);
    let (_, page) = search(&app, &ann, "q=atlas&owner=me").await;
    assert_eq!(names(&page).len(), 4);
    let (_, page) = search(&app, &ann, "q=atlas&modified_before=2000-01-01").await;
    assert!(names(&page).is_empty());
    // Pages of the same results: none repeats another.
    settled(&app).await;
    let (_, page) = search(&app, &ann, "q=atlas&modified_after=2000-01-01&limit=2").await;
    assert_eq!(names(&page).len(), 2);
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let (_, next) = search(
        &app,
        &ann,
        &format!("q=atlas&modified_after=2000-01-01&limit=2&cursor={cursor}"),
    )
    .await;
    assert_eq!(names(&next).len(), 2);
    assert!(
        names(&next).iter().all(|n| !names(&page).contains(n)),
        "no overlap"
    );
    // Filters alone list the newest first.
    let (_, page) = search(&app, &ann, "kind=pdf").await;
    assert_eq!(names(&page), ["atlas.pdf"]);
}

#[tokio::test]
async fn mistakes_get_a_clear_400_and_strangers_a_401() {
    let app = spawn_app().await;
    let (ann, _) = app.user_with_root("ann@example.com").await;
    for (query, field) in [
        ("q=", "q"),
        ("q=a&kind=movies", "kind"),
        ("q=a&min_size=lots", "min_size"),
        ("q=a&min_size=10&max_size=1", "min_size"),
        ("q=a&modified_after=yesterday", "modified_after"),
        ("q=a&owner=everyone", "owner"),
        ("q=a&shared=maybe", "shared"),
        ("q=a&limit=1000", "limit"),
        ("q=a&cursor=abc", "cursor"),
        ("q=a&mime=image/%3Cscript%3E", "mime"),
    ] {
        let (status, body) = search(&app, &ann, query).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let long = "a".repeat(501);
    let (status, _) = search(&app, &ann, &format!("q={long}")).await;
    assert_eq!(status, 400);
    let (status, _) = search(&app, "forged.token.here", "q=a").await;
    assert_eq!(status, 401);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
