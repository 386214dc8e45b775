//! Live updates (`GET /api/v1/events`): a change made on one node reaches a listener on
//! another, only for what the listener may see, and stops when their access goes.

use std::time::Duration;

use futures::StreamExt;
use reqwest::Method;
use serde_json::Value;

use crate::{
    helpers::{spawn_app, spawn_node, TestApp},
    sharing::{call, granted},
    transfer::upload,
};

/// A listener's stream of events.
struct Listener {
    stream: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl Listener {
    async fn open(app: &TestApp, bearer: &str) -> Self {
        let response = app
            .client
            .get(app.url("/api/v1/events"))
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let mut listener = Self {
            stream: response.bytes_stream().boxed(),
            buffer: String::new(),
        };
        let (kind, _) = listener.next().await;
        assert_eq!(kind, "ready");
        listener
    }

    /// The next event (kind, data), waiting up to 15 s.
    async fn next(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut kind = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(k) = line.strip_prefix("event:") {
                        kind = k.trim().to_owned();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.trim());
                    }
                }
                if kind.is_empty() {
                    continue; // a keep-alive comment
                }
                let data = serde_json::from_str(&data).unwrap_or(Value::Null);
                return (kind, data);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(15), self.stream.next())
                .await
                .expect("an event within 15 s")
                .expect("the stream goes on")
                .unwrap();
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Every change event until one mentions `folder`; all of them.
    async fn until_folder(&mut self, folder: &str) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let (kind, data) = self.next().await;
            if kind != "change" {
                continue;
            }
            let here = data["folders"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == folder));
            seen.push(data);
            if here {
                return seen;
            }
        }
    }
}

fn mentions(events: &[Value], id: &str) -> bool {
    events.iter().any(|e| {
        ["nodes", "folders"]
            .iter()
            .any(|k| e[k].as_array().is_some_and(|a| a.iter().any(|x| x == id)))
    })
}

#[tokio::test]
async fn changes_on_one_node_reach_listeners_on_another_who_may_see_them() {
    let first = spawn_app().await;
    let second = spawn_node(&first).await;
    let (ann, ann_root) = first.user_with_root("ann@example.com").await;
    let (bob, _) = first.user_with_root("bob@example.com").await;
    let (carol, carol_root) = first.user_with_root("carol@example.com").await;
    let team = first.folder(&ann, &ann_root, "Team").await;
    let other = first.folder(&ann, &ann_root, "Other").await;
    let grant = granted(&first, &ann, &team, "bob@example.com", "viewer").await;
    granted(&first, &ann, &other, "bob@example.com", "viewer").await;

    // Bob listens on the first node; Ann works through the second.
    let mut bob_hears = Listener::open(&first, &bob).await;
    let mut carol_hears = Listener::open(&first, &carol).await;
    let plan = upload(&second, &ann, "plan.txt", &team, b"plan").await;
    let heard = bob_hears.until_folder(&team).await;
    assert!(mentions(&heard, &plan), "the new file: {heard:?}");

    let renamed = call(
        &second,
        Some(&ann),
        Method::PATCH,
        &format!("/api/v1/nodes/{plan}"),
        Some(serde_json::json!({"name": "plan v2.txt"})),
    )
    .await;
    assert_eq!(renamed.status(), 200);
    let heard = bob_hears.until_folder(&team).await;
    assert!(mentions(&heard, &plan), "the rename");

    let trashed = call(
        &second,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/nodes/{plan}"),
        None,
    )
    .await;
    assert_eq!(trashed.status(), 204);
    let heard = bob_hears.until_folder(&team).await;
    assert!(mentions(&heard, &plan), "the deletion: it left the folder");

    // Carol may see none of it: her stream only carries her own changes.
    let mine = upload(&second, &carol, "mine.txt", &carol_root, b"mine").await;
    let heard = carol_hears.until_folder(&carol_root).await;
    assert!(mentions(&heard, &mine));
    assert!(
        !mentions(&heard, &team) && !mentions(&heard, &plan),
        "{heard:?}"
    );

    // Access gone: Bob hears nothing more of Team (a later change elsewhere shows the feed
    // went past it).
    let removed = call(
        &first,
        Some(&ann),
        Method::DELETE,
        &format!("/api/v1/shares/{grant}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    let secret = upload(&second, &ann, "secret.txt", &team, b"secret").await;
    let later = upload(&second, &ann, "later.txt", &other, b"later").await;
    let heard = bob_hears.until_folder(&other).await;
    assert!(mentions(&heard, &later));
    assert!(
        !mentions(&heard, &secret) && !mentions(&heard, &team),
        "{heard:?}"
    );
}
