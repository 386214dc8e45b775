//! Many small uploads at the same moment (recorded together in shared transactions): each
//! one ends as it would alone: its file, its bytes, its version number, its usage, its
//! activity; identical content stored once; one name uploaded again, a new version.

use futures::future::join_all;
use serde_json::Value;

use crate::{
    helpers::spawn_app,
    transfer::{download, upload},
    uploads::versions,
};

#[tokio::test]
async fn small_uploads_at_once_each_end_as_if_alone() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let folder = app.folder(&ann, &root, "drop").await;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..20 {
        files.push((
            format!("doc {i}.txt"),
            format!("content of {i}").into_bytes(),
        ));
    }
    for i in 0..6 {
        files.push((format!("copy {i}.txt"), b"the same bytes".to_vec()));
    }
    for i in 0..4 {
        files.push(("same.txt".to_owned(), format!("draft {i}").into_bytes()));
    }
    let ids = join_all(files.iter().map(|(name, bytes)| {
        let (app, ann, folder) = (&app, &ann, &folder);
        async move { upload(app, ann, name, folder, bytes).await }
    }))
    .await;

    let mut names = app.names(&ann, &folder, "").await;
    names.sort();
    assert_eq!(names.len(), 27, "{names:?}");
    assert!(names.contains(&"same.txt".to_owned()));
    for ((name, bytes), id) in files.iter().zip(&ids).take(26) {
        let body = download(&app, &ann, id, None).await.bytes().await.unwrap();
        assert_eq!(body.as_ref(), bytes.as_slice(), "{name}");
    }
    let same = &ids[26];
    assert!(
        ids[26..].iter().all(|id| id == same),
        "one file, four versions"
    );
    let node: Value = app.get_node(&ann, same).await.json().await.unwrap();
    assert_eq!(node["version"], 4);
    let numbers: Vec<i64> = versions(&app, &ann, same)
        .await
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![4, 3, 2, 1]);

    assert_eq!(
        app.count("blobs").await,
        20 + 1 + 4,
        "the copies share one blob"
    );
    let me: Value = app.me(&ann).await.json().await.unwrap();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(me["used_bytes"], total as i64, "every version counted once");
    let uploads = app.count("activity WHERE action = 'upload'").await;
    let new_versions = app.count("activity WHERE action = 'new_version'").await;
    assert_eq!((uploads, new_versions), (27, 3));
}
