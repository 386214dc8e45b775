//! Downloads: ETag, Last-Modified, If-None-Match, If-Range, single and multiple ranges,
//! folders as streamed zips; on local storage and on S3.

use std::io::Read;

use reqwest::Response;

use crate::{
    helpers::{assert_error, spawn_app, TestApp},
    storage::apps,
    transfer::{download, upload},
};

async fn get(app: &TestApp, bearer: &str, id: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{id}/content")))
        .bearer_auth(bearer);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn downloads_answer_ranges_and_etags() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "digits.txt", &root, b"0123456789").await;

    let part = download(&app, &ann, &id, Some("bytes=2-4")).await;
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], "bytes 2-4/10");
    assert_eq!(part.bytes().await.unwrap().as_ref(), b"234");
    let suffix = download(&app, &ann, &id, Some("bytes=-3")).await;
    assert_eq!(suffix.bytes().await.unwrap().as_ref(), b"789");
    let outside = download(&app, &ann, &id, Some("bytes=10-")).await;
    assert_eq!(outside.headers()["content-range"], "bytes */10");
    assert_error(outside, 416, "range_not_satisfiable").await;

    let full = download(&app, &ann, &id, None).await;
    let etag = full.headers()["etag"].to_str().unwrap().to_owned();
    assert!(full.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(full.headers()["content-type"], "text/plain");
    let cached = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{id}/content")))
        .bearer_auth(&ann)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    let stale = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{id}/content")))
        .bearer_auth(&ann)
        .header("range", "bytes=0-0")
        .header("if-range", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        200,
        "If-Range that does not match sends the whole file"
    );
}

#[tokio::test]
async fn a_download_says_when_it_was_modified_and_never_renders_active_content() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let id = upload(&app, &ann, "page.html", &root, b"<script>alert(1)</script>").await;
    let response = download(&app, &ann, &id, None).await;
    assert_eq!(response.status(), 200);
    let h = response.headers();
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    let modified = h["last-modified"].to_str().unwrap();
    assert!(
        modified.ends_with(" GMT") && modified.len() == 29,
        "{modified}"
    );
}

/// The parts of a multipart/byteranges body: each part's Content-Range and bytes.
fn parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .strip_prefix("multipart/byteranges; boundary=")
        .expect("a multipart content type");
    let delimiter = format!("\r\n--{boundary}");
    let text = body;
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let head_end = find(rest, b"\r\n\r\n").unwrap();
        let head = String::from_utf8(rest[..head_end].to_vec()).unwrap();
        let range = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Range: "))
            .unwrap()
            .to_owned();
        rest = &rest[head_end + 4..];
        let next = find(rest, delimiter.as_bytes()).unwrap();
        found.push((range, rest[..next].to_vec()));
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn several_ranges_come_as_multipart_byteranges() {
    for (kind, app) in apps().await {
        let (ann, root) = app.user_with_root("ann@example.com").await;
        let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let id = upload(&app, &ann, "big.bin", &root, &content).await;

        let response = get(
            &app,
            &ann,
            &id,
            &[("range", "bytes=0-9, 2000000-2999990,-5")],
        )
        .await;
        assert_eq!(response.status(), 206, "{kind}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let length: usize = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len(), length, "{kind}: Content-Length is exact");
        let got = parts(&content_type, &body);
        assert_eq!(got.len(), 3, "{kind}");
        assert_eq!(got[0].0, "bytes 0-9/3000000");
        assert_eq!(got[0].1, &content[..10]);
        assert_eq!(got[1].0, "bytes 2000000-2999990/3000000");
        assert!(
            got[1].1 == content[2_000_000..2_999_991],
            "{kind}: a megabyte-long part"
        );
        assert_eq!(got[2].0, "bytes 2999995-2999999/3000000");
        assert_eq!(got[2].1, &content[2_999_995..]);

        let overlapping = get(&app, &ann, &id, &[("range", "bytes=0-99,50-149")]).await;
        assert_eq!(overlapping.status(), 206);
        assert_eq!(
            overlapping.headers()["content-range"],
            "bytes 0-149/3000000"
        );
        assert_eq!(overlapping.bytes().await.unwrap().as_ref(), &content[..150]);

        let one_left = get(&app, &ann, &id, &[("range", "bytes=5-6,9000000-")]).await;
        assert_eq!(one_left.headers()["content-range"], "bytes 5-6/3000000");
        assert_eq!(one_left.bytes().await.unwrap().as_ref(), &content[5..7]);

        let none_left = get(&app, &ann, &id, &[("range", "bytes=3000000-,-0")]).await;
        assert_eq!(none_left.headers()["content-range"], "bytes */3000000");
        assert_error(none_left, 416, "range_not_satisfiable").await;

        let flood = format!("bytes={}", vec!["1-1"; 200].join(","));
        let ignored = get(&app, &ann, &id, &[("range", &flood)]).await;
        assert_eq!(
            ignored.status(),
            200,
            "{kind}: too many ranges: the whole file"
        );
    }
}

pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect()
}

#[tokio::test]
async fn a_folder_downloads_as_a_zip_of_everything_live_below_it() {
    for (kind, app) in apps().await {
        let (ann, root) = app.user_with_root("ann@example.com").await;
        let photos = app.folder(&ann, &root, "Photos 2026").await;
        let trip = app.folder(&ann, &photos, "Trip ☀").await;
        app.folder(&ann, &photos, "empty").await;
        let big: Vec<u8> = (0..2_500_000u32).map(|i| (i % 241) as u8).collect();
        upload(&app, &ann, "big.bin", &trip, &big).await;
        upload(&app, &ann, "日本.txt", &photos, "こんにちは".as_bytes()).await;
        upload(&app, &ann, "zero.txt", &photos, b"").await;
        let gone = upload(&app, &ann, "deleted.txt", &photos, b"bye").await;
        let trashed = app
            .client
            .delete(app.url(&format!("/api/v1/nodes/{gone}")))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap();
        assert_eq!(trashed.status(), 204, "{kind}");

        let response = get(&app, &ann, &photos, &[]).await;
        assert_eq!(response.status(), 200, "{kind}");
        let h = response.headers().clone();
        assert_eq!(h["content-type"], "application/zip");
        assert!(h["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with("filename*=UTF-8''Photos%202026.zip"));
        let length: usize = h["content-length"].to_str().unwrap().parse().unwrap();
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len(), length, "{kind}: the announced length is exact");
        let entries = unzip(&body);
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            // In natural order, as the drive lists them (case aside: "empty" before "Trip").
            vec![
                "Photos 2026/",
                "Photos 2026/empty/",
                "Photos 2026/Trip ☀/",
                "Photos 2026/Trip ☀/big.bin",
                "Photos 2026/zero.txt",
                "Photos 2026/日本.txt",
            ],
            "{kind}: the trashed file is not in it"
        );
        assert!(entries[3].1 == big, "{kind}: big.bin intact");
        assert_eq!(entries[5].1, "こんにちは".as_bytes());

        let everything = get(&app, &ann, &root, &[]).await;
        assert!(everything.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("GoSync.zip"));
        let names: Vec<String> = unzip(&everything.bytes().await.unwrap())
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(
            names.contains(&"GoSync/Photos 2026/日本.txt".to_owned()),
            "{names:?}"
        );
    }
}

#[tokio::test]
async fn nobody_else_can_download_a_folder() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (bob, _) = app.user_with_root("bob@example.com").await;
    let private = app.folder(&ann, &root, "Private").await;
    upload(&app, &ann, "secret.txt", &private, b"top secret").await;
    assert_error(get(&app, &bob, &private, &[]).await, 404, "not_found").await;
    assert_error(get(&app, &bob, &root, &[]).await, 404, "not_found").await;
    let versioned = get(&app, &ann, &private, &[]).await;
    assert_eq!(versioned.status(), 200);
    let with_version = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{private}/content?version=1")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_error(with_version, 400, "validation").await;
}
