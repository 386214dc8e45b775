//! What WebDAV does with content: a PUT cut off halfway leaves nothing behind, chunked
//! bodies (with Finder's expected length or none), ranges and ETags, modification times set
//! by PROPPATCH, the quota, and a folder deleted as one item in the trash.

use tokio::io::AsyncWriteExt;

use crate::{
    dav::{wait_for, Dav},
    dav_clients::app_password,
    helpers::spawn_app,
};

#[tokio::test]
async fn a_put_cut_off_halfway_leaves_nothing_behind() {
    let app = spawn_app().await;
    let (_, secret) = app_password(&app, "ann@example.com").await;
    let ann = Dav::new(&app, "ann@example.com", &secret);
    let auth = base64_basic("ann@example.com", &secret);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let head = format!(
        "PUT /dav/half.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nContent-Length: 8000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&vec![7u8; 3_000_000]).await.unwrap();
    stream.flush().await.unwrap();
    wait_for(
        || async { app.count("uploads").await == 1 },
        "the upload began",
    )
    .await;
    drop(stream);
    wait_for(
        || async { app.count("uploads").await == 0 },
        "the upload was dropped",
    )
    .await;
    assert_eq!(ann.send("GET", "/dav/half.bin").await.status(), 404);
    let (_, listing) = ann.propfind("/dav/", "1").await;
    assert!(!listing.contains("half.bin"), "{listing}");
    let staged = std::fs::read_dir(app.data_dir.join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(staged, 0, "no staged bytes are left");
}

fn base64_basic(user: &str, secret: &str) -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    STANDARD.encode(format!("{user}:{secret}"))
}

#[tokio::test]
async fn times_quota_chunked_bodies_and_folder_deletes_behave_as_clients_expect() {
    let app = spawn_app().await;
    let (bearer, secret) = app_password(&app, "ann@example.com").await;
    let ann = Dav::new(&app, "ann@example.com", &secret);

    // PROPPATCH getlastmodified (rclone, davfs2) and Win32LastModifiedTime (Explorer).
    assert_eq!(ann.put("/dav/a.txt", "a").await.status(), 201);
    let patch = |prop: &str| {
        format!(
            r#"<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>{prop}</D:prop></D:set></D:propertyupdate>"#
        )
    };
    let set = ann
        .req("PROPPATCH", "/dav/a.txt")
        .body(patch(
            "<D:getlastmodified>Sat, 03 Feb 2001 04:05:06 GMT</D:getlastmodified>",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 207);
    assert!(set.text().await.unwrap().contains("200 OK"));
    let (_, found) = ann.propfind("/dav/a.txt", "0").await;
    assert!(
        found.contains("<D:getlastmodified>Sat, 03 Feb 2001 04:05:06 GMT</D:getlastmodified>"),
        "{found}"
    );
    ann.req("PROPPATCH", "/dav/a.txt")
        .body(patch(
            "<Z:Win32LastModifiedTime>Mon, 04 Mar 2002 05:06:07 GMT</Z:Win32LastModifiedTime>",
        ))
        .send()
        .await
        .unwrap();
    let (_, found) = ann.propfind("/dav/a.txt", "0").await;
    assert!(found.contains("Mon, 04 Mar 2002 05:06:07 GMT"), "{found}");
    // A protected property cannot be set, and then nothing of the request is.
    let refused = ann
        .req("PROPPATCH", "/dav/a.txt")
        .body(patch("<D:getetag>\"x\"</D:getetag><D:getlastmodified>Sun, 01 Jan 2017 00:00:00 GMT</D:getlastmodified>"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("403") && refused.contains("424"),
        "{refused}"
    );
    let (_, found) = ann.propfind("/dav/a.txt", "0").await;
    assert!(
        found.contains("Mon, 04 Mar 2002"),
        "nothing changed: {found}"
    );

    // Chunked bodies: with Finder's expected length, and with no length at all.
    let chunks = || {
        let parts: Vec<Result<bytes::Bytes, std::io::Error>> = (0..40)
            .map(|i| Ok(bytes::Bytes::from(vec![b'a' + (i % 26) as u8; 100_000])))
            .collect();
        reqwest::Body::wrap_stream(futures::stream::iter(parts))
    };
    let finder = ann
        .req("PUT", "/dav/finder.bin")
        .header("x-expected-entity-length", "4000000")
        .body(chunks())
        .send()
        .await
        .unwrap();
    assert_eq!(finder.status(), 201);
    let unknown = ann
        .req("PUT", "/dav/unknown.bin")
        .body(chunks())
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 201);
    for name in ["finder.bin", "unknown.bin"] {
        let got = ann
            .send("GET", &format!("/dav/{name}"))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(got.len(), 4_000_000, "{name}");
        assert_eq!(got[3_999_999], b'a' + 13, "{name}");
    }
    // Ranges and ETags, as the API sends them.
    let range = ann
        .req("GET", "/dav/finder.bin")
        .header("range", "bytes=100000-100002")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    let etag = range.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(range.bytes().await.unwrap().as_ref(), b"bbb");
    let same = ann
        .req("GET", "/dav/finder.bin")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 304);

    // Quota: used and available, and a PUT past it is 507 and stores nothing.
    app.exec("UPDATE users SET quota_bytes = 9000000").await;
    let (_, quota) = {
        let r = ann
            .req("PROPFIND", "/dav/")
            .header("depth", "0")
            .body(r#"<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:quota-used-bytes/><D:quota-available-bytes/></D:prop></D:propfind>"#)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    };
    assert!(
        quota.contains("<D:quota-used-bytes>8000001</D:quota-used-bytes>"),
        "{quota}"
    );
    assert!(
        quota.contains("<D:quota-available-bytes>999999</D:quota-available-bytes>"),
        "{quota}"
    );
    let full = ann
        .req("PUT", "/dav/more.bin")
        .body(vec![0u8; 2_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 507);
    assert_eq!(ann.send("GET", "/dav/more.bin").await.status(), 404);

    // A folder deleted over WebDAV is one item in the trash, with everything in it.
    assert_eq!(ann.send("MKCOL", "/dav/old").await.status(), 201);
    assert_eq!(ann.put("/dav/old/1.txt", "1").await.status(), 201);
    assert_eq!(ann.put("/dav/old/2.txt", "2").await.status(), 201);
    assert_eq!(ann.send("DELETE", "/dav/old").await.status(), 204);
    let trash: serde_json::Value = app
        .client
        .get(app.url("/api/v1/trash"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = trash["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["old"]);
}
