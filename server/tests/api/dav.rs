//! WebDAV through the one way in: roles hold, a stranger learns nothing, locks hold on every
//! node, a broken PUT leaves nothing behind, and mistakes get a readable answer.

use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, Response};

use crate::{
    dav_clients::app_password,
    helpers::{spawn_app, spawn_node, TestApp},
    sharing::granted,
};

/// A WebDAV client for one person on one server.
pub struct Dav {
    client: reqwest::Client,
    base: String,
    email: String,
    secret: String,
}

impl Dav {
    pub fn new(app: &TestApp, email: &str, secret: &str) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: app.url(""),
            email: email.to_owned(),
            secret: secret.to_owned(),
        }
    }

    pub fn req(&self, method: &str, path: &str) -> RequestBuilder {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        self.client
            .request(method, format!("{}{path}", self.base))
            .basic_auth(&self.email, Some(&self.secret))
    }

    pub async fn send(&self, method: &str, path: &str) -> Response {
        self.req(method, path).send().await.expect("request")
    }

    pub async fn put(&self, path: &str, body: &'static str) -> Response {
        self.req("PUT", path)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn propfind(&self, path: &str, depth: &str) -> (u16, String) {
        let r = self
            .req("PROPFIND", path)
            .header("depth", depth)
            .send()
            .await
            .expect("request");
        (r.status().as_u16(), r.text().await.expect("body"))
    }
}

#[tokio::test]
async fn a_viewer_reads_a_shared_folder_but_changes_nothing_and_a_stranger_sees_nothing() {
    let app = spawn_app().await;
    let (_, ann_secret) = app_password(&app, "ann@example.com").await;
    let (_, bob_secret) = app_password(&app, "bob@example.com").await;
    let (_, carol_secret) = app_password(&app, "carol@example.com").await;
    let ann = Dav::new(&app, "ann@example.com", &ann_secret);
    let bob = Dav::new(&app, "bob@example.com", &bob_secret);
    let carol = Dav::new(&app, "carol@example.com", &carol_secret);
    assert_eq!(ann.send("MKCOL", "/dav/Projects").await.status(), 201);
    assert_eq!(
        ann.put("/dav/Projects/plan.txt", "the plan").await.status(),
        201
    );
    let (_, listing) = ann.propfind("/dav/", "1").await;
    let projects = listing
        .split("<D:response>")
        .find(|r| r.contains("/dav/Projects/"))
        .expect("Projects listed");
    assert!(
        !projects.contains("fileid"),
        "the file id comes only when asked for"
    );
    let (bearer, projects) = folder_of(&app, "ann@example.com", "Projects").await;
    granted(&app, &bearer, &projects, "bob@example.com", "viewer").await;

    let (status, shared) = bob.propfind("/dav-shared/", "1").await;
    assert_eq!(status, 207);
    assert!(
        shared.contains("/dav-shared/Projects%20(Test%20User)/"),
        "{shared}"
    );
    let plan = "/dav-shared/Projects%20(Test%20User)/plan.txt";
    let got = bob.send("GET", plan).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.text().await.unwrap(), "the plan");

    // A viewer changes nothing, whichever way they try.
    assert_eq!(bob.put(plan, "mine now").await.status(), 403);
    assert_eq!(
        bob.put("/dav-shared/Projects%20(Test%20User)/new.txt", "x")
            .await
            .status(),
        403
    );
    assert_eq!(bob.send("DELETE", plan).await.status(), 403);
    assert_eq!(
        bob.send("MKCOL", "/dav-shared/Projects%20(Test%20User)/sub")
            .await
            .status(),
        403
    );
    let moved = bob
        .req("MOVE", plan)
        .header(
            "destination",
            format!(
                "{}/dav-shared/Projects%20(Test%20User)/moved.txt",
                app.url("")
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 403);
    let lock = bob.req("LOCK", plan).body(LOCKINFO).send().await.unwrap();
    assert_eq!(lock.status(), 403);
    assert_eq!(
        bob.put("/dav-shared/mine.txt", "x").await.status(),
        403,
        "nothing is made beside shares"
    );
    let still = ann.send("GET", "/dav/Projects/plan.txt").await;
    assert_eq!(still.text().await.unwrap(), "the plan");

    // A stranger: the same paths are not there for them.
    assert_eq!(carol.send("GET", plan).await.status(), 404);
    assert_eq!(
        carol.send("GET", "/dav/Projects/plan.txt").await.status(),
        404
    );
    let (_, theirs) = carol.propfind("/dav-shared/", "1").await;
    assert!(!theirs.contains("Projects"), "{theirs}");
    // The folder is not there for them: as for any path that does not exist.
    assert_eq!(carol.put(plan, "x").await.status(), 409);
}

const LOCKINFO: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>
<D:locktype><D:write/></D:locktype><D:owner>ann's editor</D:owner></D:lockinfo>"#;

#[tokio::test]
async fn a_lock_taken_on_one_node_refuses_other_puts_on_both_nodes() {
    let app = spawn_app().await;
    let second = spawn_node(&app).await;
    let (_, secret) = app_password(&app, "ann@example.com").await;
    let (_, other_secret) = app_password(&app, "bob@example.com").await;
    let one = Dav::new(&app, "ann@example.com", &secret);
    let two = Dav::new(&second, "ann@example.com", &secret);
    let bob = Dav::new(&second, "bob@example.com", &other_secret);
    assert_eq!(one.send("MKCOL", "/dav/Team").await.status(), 201);
    let (bearer, team) = folder_of(&app, "ann@example.com", "Team").await;
    granted(&app, &bearer, &team, "bob@example.com", "editor").await;

    // Locking a name not in use makes an empty file there.
    let locked = one
        .req("LOCK", "/dav/Team/doc.txt")
        .body(LOCKINFO)
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), 201);
    let token = locked.headers()["lock-token"].to_str().unwrap().to_owned();
    assert!(token.starts_with('<') && token.ends_with('>'));

    // Without the token: locked on either node, for the owner's other clients and for bob.
    assert_eq!(one.put("/dav/Team/doc.txt", "v1").await.status(), 423);
    assert_eq!(two.put("/dav/Team/doc.txt", "v1").await.status(), 423);
    let bobs = "/dav-shared/Team%20(Test%20User)/doc.txt";
    assert_eq!(bob.put(bobs, "bob's").await.status(), 423);
    // Someone else's token is not theirs to use.
    let with_anns = bob
        .req("PUT", bobs)
        .header("if", format!("({token})"))
        .body("bob's")
        .send()
        .await
        .unwrap();
    assert_eq!(with_anns.status(), 423);
    assert_eq!(two.send("DELETE", "/dav/Team/doc.txt").await.status(), 423);
    assert_eq!(
        two.send("DELETE", "/dav/Team").await.status(),
        423,
        "nor the folder above"
    );

    // With it, on the other node: the write goes through.
    let owned = two
        .req("PUT", "/dav/Team/doc.txt")
        .header("if", format!("({token})"))
        .body("v2")
        .send()
        .await
        .unwrap();
    assert_eq!(owned.status(), 204);
    let (_, found) = two.propfind("/dav/Team/doc.txt", "0").await;
    assert!(
        found.contains(&token[1..token.len() - 1]),
        "lockdiscovery shows the lock: {found}"
    );

    let unlocked = two
        .req("UNLOCK", "/dav/Team/doc.txt")
        .header("lock-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(unlocked.status(), 204);
    assert_eq!(bob.put(bobs, "bob's").await.status(), 204);
    // (Read on the node that stored it: these test nodes keep blobs on their own disks.)
    let got = two.send("GET", "/dav/Team/doc.txt").await;
    assert_eq!(got.text().await.unwrap(), "bob's");
}

/// A fresh API session of `email` and the id of their top-level folder `name`.
pub async fn folder_of(app: &TestApp, email: &str, name: &str) -> (String, String) {
    let body: serde_json::Value = app
        .login(email, crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let bearer = body["access_token"].as_str().unwrap().to_owned();
    let root = app.root_id(&bearer).await;
    let page: serde_json::Value = app.children(&bearer, &root, "").await.json().await.unwrap();
    let id = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (bearer, id)
}

#[tokio::test]
async fn mistakes_get_a_clear_answer_and_change_nothing() {
    let app = spawn_app().await;
    let (_, secret) = app_password(&app, "ann@example.com").await;
    let ann = Dav::new(&app, "ann@example.com", &secret);

    // Sign-in: no credentials, a wrong app password, the account password.
    let anonymous = reqwest::Client::new()
        .request(Method::from_bytes(b"PROPFIND").unwrap(), app.url("/dav/"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    assert!(anonymous.text().await.unwrap().contains("app password"));
    let wrong = Dav::new(&app, "ann@example.com", "gs_pat_forged");
    assert_eq!(wrong.send("PROPFIND", "/dav/").await.status(), 401);
    let password = Dav::new(&app, "ann@example.com", crate::helpers::PASSWORD);
    let refused = password.send("PROPFIND", "/dav/").await;
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("app password"));
    let other = Dav::new(&app, "bob@example.com", &secret);
    assert_eq!(
        other.send("PROPFIND", "/dav/").await.status(),
        401,
        "the token is ann's"
    );

    // Depth infinity is refused as RFC 4918 says.
    let (status, body) = ann.propfind("/dav/", "infinity").await;
    assert_eq!(status, 403);
    assert!(body.contains("propfind-finite-depth"), "{body}");

    // Names the drive refuses: a readable 400, never a 500.
    let backslash = ann.put("/dav/a%5Cb.txt", "x").await;
    assert_eq!(backslash.status(), 400);
    assert!(backslash
        .text()
        .await
        .unwrap()
        .contains("Names can't contain"));
    assert_eq!(ann.put("/dav/%01.txt", "x").await.status(), 400);
    assert_eq!(ann.put("/dav/%FF.txt", "x").await.status(), 400);
    assert_eq!(ann.put("/dav/missing/a.txt", "x").await.status(), 409);
    assert_eq!(ann.send("MKCOL", "/dav/a/b/c").await.status(), 409);
    let bad_xml = ann
        .req("PROPFIND", "/dav/")
        .header("depth", "0")
        .body("<D:propfind xmlns:D=\"DAV:\"><D:prop>")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_xml.status(), 400);
    let elsewhere = ann
        .req("COPY", "/dav/")
        .header("destination", "http://elsewhere.example/dav/x")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 502);
    let (_, listing) = ann.propfind("/dav/", "1").await;
    assert_eq!(
        listing.matches("<D:response>").count(),
        1,
        "nothing was made: {listing}"
    );

    // A case-only rename works (names are case-sensitive) and macOS's NFD names are the same.
    assert_eq!(ann.put("/dav/a.txt", "a").await.status(), 201);
    let renamed = ann
        .req("MOVE", "/dav/a.txt")
        .header("destination", app.url("/dav/A.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 201);
    assert_eq!(ann.send("GET", "/dav/A.txt").await.status(), 200);
    assert_eq!(ann.send("GET", "/dav/a.txt").await.status(), 404);
    assert_eq!(ann.put("/dav/%C3%A9t%C3%A9.txt", "nfc").await.status(), 201);
    let nfd = ann.send("GET", "/dav/e%CC%81te%CC%81.txt").await;
    assert_eq!(nfd.text().await.unwrap(), "nfc");
}

pub async fn wait_for<F, Fut>(check: F, what: &str)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "waited 15 s for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
