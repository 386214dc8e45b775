//! The authorisation matrix for WebDAV: every method that `OPTIONS` lists in `Allow`, tried
//! by each kind of actor against a fresh item in a folder the owner shared. The owner reaches
//! it under `/dav/`, the others under `/dav-shared/`; 404 where the item must not show (409
//! where a new item's folder is not there for them, as for any missing folder), 403 where
//! the role is too low, 401 for nobody.

use reqwest::{Client, Method};

use crate::{
    dav::{folder_of, Dav},
    dav_clients::app_password,
    helpers::spawn_app,
    sharing::granted,
};

type Expected = [u16; 6];
const ACTORS: [&str; 6] = [
    "owner",
    "manager",
    "editor",
    "viewer",
    "stranger",
    "anonymous",
];

/// A request against the item folder `base` (an absolute path, no trailing slash):
/// (method, path, headers, body).
type Row = fn(&str, &str) -> (&'static str, String, Vec<(&'static str, String)>, String);

const PROP: &str = r#"<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x:tag xmlns:x="urn:x">1</x:tag></D:prop></D:set></D:propertyupdate>"#;
const LOCK: &str = r#"<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>"#;

fn rows() -> Vec<(&'static str, Row, Expected)> {
    vec![
        (
            "OPTIONS",
            |b, _| ("OPTIONS", format!("{b}/f.txt"), vec![], String::new()),
            [200; 6],
        ),
        (
            "GET",
            |b, _| ("GET", format!("{b}/f.txt"), vec![], String::new()),
            [200, 200, 200, 200, 404, 401],
        ),
        (
            "HEAD",
            |b, _| ("HEAD", format!("{b}/f.txt"), vec![], String::new()),
            [200, 200, 200, 200, 404, 401],
        ),
        (
            "PROPFIND",
            |b, _| {
                (
                    "PROPFIND",
                    format!("{b}/"),
                    vec![("depth", "1".into())],
                    String::new(),
                )
            },
            [207, 207, 207, 207, 404, 401],
        ),
        (
            "PUT",
            |b, _| ("PUT", format!("{b}/f.txt"), vec![], "new".into()),
            [204, 204, 204, 403, 409, 401],
        ),
        (
            "PUT",
            |b, _| ("PUT", format!("{b}/n.txt"), vec![], "new".into()),
            [201, 201, 201, 403, 409, 401],
        ),
        (
            "MKCOL",
            |b, _| ("MKCOL", format!("{b}/new"), vec![], String::new()),
            [201, 201, 201, 403, 409, 401],
        ),
        (
            "DELETE",
            |b, _| ("DELETE", format!("{b}/f.txt"), vec![], String::new()),
            [204, 204, 403, 403, 404, 401],
        ),
        (
            "COPY",
            |b, host| {
                (
                    "COPY",
                    format!("{b}/f.txt"),
                    vec![("destination", format!("{host}{b}/g.txt"))],
                    String::new(),
                )
            },
            [201, 201, 201, 403, 404, 401],
        ),
        (
            "MOVE",
            |b, host| {
                (
                    "MOVE",
                    format!("{b}/f.txt"),
                    vec![("destination", format!("{host}{b}/g.txt"))],
                    String::new(),
                )
            },
            [201, 201, 201, 403, 404, 401],
        ),
        (
            "PROPPATCH",
            |b, _| ("PROPPATCH", format!("{b}/f.txt"), vec![], PROP.into()),
            [207, 207, 207, 403, 404, 401],
        ),
        (
            "LOCK",
            |b, _| ("LOCK", format!("{b}/f.txt"), vec![], LOCK.into()),
            [200, 200, 200, 403, 409, 401],
        ),
        // Releasing the owner's lock: only the owner's client holds its token.
        (
            "UNLOCK",
            |b, _| ("UNLOCK", format!("{b}/f.txt"), vec![], String::new()),
            [204, 409, 409, 409, 404, 401],
        ),
    ]
}

#[tokio::test]
async fn every_webdav_method_answers_each_role_as_the_policy_says() {
    let app = spawn_app().await;
    let emails = [
        "ann@example.com",
        "max@example.com",
        "eve@example.com",
        "vic@example.com",
        "sam@example.com",
    ];
    let mut clients = Vec::new();
    for email in emails {
        let (_, secret) = app_password(&app, email).await;
        clients.push(Dav::new(&app, email, &secret));
    }
    let ann = &clients[0];
    assert_eq!(ann.send("MKCOL", "/dav/Shared").await.status(), 201);
    let (bearer, shared) = folder_of(&app, "ann@example.com", "Shared").await;
    for (email, role) in [
        ("max@example.com", "manager"),
        ("eve@example.com", "editor"),
        ("vic@example.com", "viewer"),
    ] {
        granted(&app, &bearer, &shared, email, role).await;
    }
    let allow = ann.send("OPTIONS", "/dav/").await.headers()["allow"]
        .to_str()
        .unwrap()
        .to_owned();
    let listed: std::collections::BTreeSet<&str> = allow.split(',').map(str::trim).collect();
    let covered: std::collections::BTreeSet<&str> = rows().iter().map(|r| r.0).collect();
    assert_eq!(listed, covered, "every method in Allow has a row");

    let host = app.url("");
    let anonymous = Client::new();
    let mut failures = Vec::new();
    let mut n = 0;
    for (method, row, expected) in rows() {
        for actor in 0..ACTORS.len() {
            n += 1;
            let own = format!("/dav/Shared/t{n}");
            assert_eq!(ann.send("MKCOL", &own).await.status(), 201);
            assert_eq!(ann.put(&format!("{own}/f.txt"), "old").await.status(), 201);
            let mut token = None;
            if method == "UNLOCK" {
                let locked = ann
                    .req("LOCK", &format!("{own}/f.txt"))
                    .body(LOCK)
                    .send()
                    .await
                    .unwrap();
                token = Some(locked.headers()["lock-token"].to_str().unwrap().to_owned());
            }
            let base = if actor == 0 {
                own
            } else {
                format!("/dav-shared/Shared%20(Test%20User)/t{n}")
            };
            let (verb, path, headers, body) = row(&base, &host);
            let mut request = match clients.get(actor) {
                Some(client) if actor < 5 => client.req(verb, &path),
                _ => anonymous.request(
                    Method::from_bytes(verb.as_bytes()).unwrap(),
                    format!("{host}{path}"),
                ),
            };
            for (name, value) in headers {
                request = request.header(name, value);
            }
            if let Some(token) = token {
                request = request.header("lock-token", token);
            }
            let got = request.body(body).send().await.unwrap().status().as_u16();
            if got != expected[actor] {
                failures.push(format!(
                    "{method} {path} as {}: {got}, expected {}",
                    ACTORS[actor], expected[actor]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "WebDAV is not what the roles say:\n{}",
        failures.join("\n")
    );
}
