//! Finding 7 of "One way in": many requests for one page of a big PDF (anyone holding a link
//! can send them) render it once and never hold the PDF in memory. Against the real binary,
//! whose memory can be read alone.

use crate::{
    helpers::spawn_app,
    restart::{account_on, serve_with},
};

const MB: usize = 1 << 20;

/// The peak resident memory of process `pid` since it was last reset, in bytes.
pub(crate) fn peak_rss(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

#[tokio::test]
async fn fifty_requests_for_one_page_of_a_100_mb_pdf_render_it_once_in_little_memory() {
    let app = spawn_app().await;
    let data_dir = app.data_dir.with_file_name("pdf-pages-server");
    let pdfium = format!(
        "{}/../tools/pdfium/libpdfium.so",
        env!("CARGO_MANIFEST_DIR")
    );
    let env = [
        ("GOSYNC_PDFIUM_PATH", pdfium.as_str()),
        ("GOSYNC_METRICS_TOKEN", "scrape"),
        ("GOSYNC_PREVIEWS__WORKERS", "1"),
    ];
    let (mut server, base) = serve_with(&data_dir, &app.database_url, &env);
    let client = reqwest::Client::new();
    let (token, root) = account_on(&client, &base, "pia@example.com").await;
    let root = root.as_str();

    let pdf = crate::fixtures::padded_document(3, 0, 100 * MB);
    let created = client
        .post(format!("{base}/api/v1/uploads"))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", pdf.len().to_string())
        .header(
            "upload-metadata",
            crate::transfer::metadata("big.pdf", root),
        )
        .send()
        .await
        .unwrap();
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let mut id = String::new();
    for (i, chunk) in pdf.chunks(16 * MB).enumerate() {
        let done = client
            .patch(format!("{base}{location}"))
            .bearer_auth(&token)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", (i * 16 * MB).to_string())
            .header("content-type", "application/offset+octet-stream")
            .body(chunk.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 204);
        if let Some(node) = done.headers().get("gosync-node-id") {
            id = node.to_str().unwrap().to_owned();
        }
    }
    drop(pdf);
    // The thumbnail job (the server's own worker) learns the page count first.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let thumb = client
            .get(format!("{base}/api/v1/nodes/{id}/thumbnail"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if thumb.status() == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no thumbnail of the PDF"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    let pid = server.id();
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
    let before = peak_rss(pid);
    let asks = (0..50).map(|_| {
        let request = client
            .get(format!("{base}/api/v1/nodes/{id}/pages/2"))
            .bearer_auth(&token);
        async move {
            let page = request.send().await.unwrap();
            (page.status().as_u16(), page.bytes().await.unwrap())
        }
    });
    let pages = futures::future::join_all(asks).await;
    let grown = peak_rss(pid).saturating_sub(before);
    let metrics = client
        .get(format!("{base}/metrics"))
        .bearer_auth("scrape")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    server.kill().ok();
    server.wait().ok();
    assert!(
        pages.iter().all(|(status, bytes)| *status == 200
            && bytes == &pages[0].1
            && bytes.starts_with(&[0xFF, 0xD8])),
        "every request got the page"
    );
    assert!(grown < 200 * MB, "peak memory grew by {} MB", grown / MB);
    assert!(
        metrics.contains("gosync_pdf_pages_rendered_total 1\n"),
        "rendered once:\n{metrics}"
    );
    std::fs::remove_dir_all(&data_dir).ok();
}
