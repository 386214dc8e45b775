//! SIGTERM drains the node: `/readyz` turns 503 at once while requests are still served,
//! live streams end with a `reconnect` event, an upload in flight finishes, and the process
//! exits cleanly. Against the real binary, stopped the way an orchestrator stops it.

use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::{
    faults::until,
    helpers::spawn_app,
    restart::{account_on, serve_with},
    transfer::metadata,
};

#[tokio::test]
async fn sigterm_drains_readyz_ends_streams_and_finishes_requests_in_flight() {
    let app = spawn_app().await;
    let data_dir = app.data_dir.with_file_name("draining-node");
    let (mut server, base) =
        serve_with(&data_dir, &app.database_url, &[("GOSYNC_DRAIN_SECS", "2")]);
    let client = reqwest::Client::new();
    let (token, root) = account_on(&client, &base, "dee@example.com").await;
    let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);

    // A live stream, and an upload whose body is still arriving.
    let events = client
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let mut events = events.bytes_stream();
    let (feed, body) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = tokio_stream_of(body);
    let length = 3 * 1024 * 1024;
    let upload = tokio::spawn(
        client
            .post(format!("{base}/api/v1/uploads"))
            .bearer_auth(&token)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", length.to_string())
            .header("upload-metadata", metadata("in-flight.bin", &root))
            .header("content-type", "application/offset+octet-stream")
            .body(reqwest::Body::wrap_stream(body))
            .send(),
    );
    feed.send(Ok(vec![1u8; 1024 * 1024])).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let signalled = Instant::now();
    let (c, b) = (&client, base.as_str());
    until("/readyz to answer 503", || async move {
        let ready = c.get(format!("{b}/readyz")).send().await;
        ready.is_ok_and(|r| r.status() == 503)
    })
    .await;
    let ready: serde_json::Value = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "draining");
    let alive = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200, "still alive while draining");
    let listing = client
        .get(format!("{base}/api/v1/nodes/{root}/children"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listing.status(),
        200,
        "requests are still served while draining"
    );

    // The stream says to reconnect, then ends.
    let mut heard = String::new();
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(chunk) = events.next().await {
            heard.push_str(&String::from_utf8_lossy(&chunk.unwrap_or_default()));
        }
    })
    .await;
    assert!(ended.is_ok(), "the event stream ended: {heard}");
    assert!(heard.contains("event: reconnect"), "{heard}");
    assert!(heard.contains("retry:"), "{heard}");

    // The upload in flight finishes after the listener closed.
    tokio::time::sleep(Duration::from_millis(2500).saturating_sub(signalled.elapsed())).await;
    feed.send(Ok(vec![2u8; 2 * 1024 * 1024])).await.unwrap();
    drop(feed);
    let done = upload.await.unwrap().unwrap();
    assert_eq!(done.status(), 201, "the upload in flight finished");
    let exit = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap();
    assert!(exit.unwrap().success(), "exits cleanly");
    let refused = client.get(format!("{base}/healthz")).send().await;
    assert!(refused.is_err(), "the listener is closed");
    std::fs::remove_dir_all(&data_dir).ok();
}

fn tokio_stream_of<T: Send + 'static>(
    mut rx: tokio::sync::mpsc::Receiver<T>,
) -> impl futures::Stream<Item = T> + Send + 'static {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
