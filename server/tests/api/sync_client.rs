//! `gosync sync`: two clients on two folders against one server, scripted pass by pass
//! (`run_once`): edits, conflicts, renames, moves, deletions and many files end with both
//! folders and the drive holding the same tree, and every version's bytes somewhere.

use std::{
    collections::{BTreeMap, HashSet},
    path::{Path, PathBuf},
    sync::Mutex,
};

use gosync_sync::{Action, Options, Report};
use serde_json::Value;

use crate::{
    helpers::{spawn_app, TestApp},
    transfer::download,
};

pub struct Client {
    pub dir: tempfile::TempDir,
    pub options: Options,
    /// Every content written here by the test.
    written: Mutex<Vec<Vec<u8>>>,
}

impl Client {
    pub fn new(app: &TestApp, token: &str, folder: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            local_dir: dir.path().to_owned(),
            server: app.url(""),
            token: token.to_owned(),
            folder: folder.to_owned(),
            json: true,
            allow_mass_delete: false,
        };
        Self {
            dir,
            options,
            written: Mutex::default(),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self.written.lock().unwrap().push(bytes.to_vec());
    }

    pub async fn sync(&self) -> Report {
        gosync_sync::run_once(&self.options)
            .await
            .expect("the sync runs")
    }

    /// Every file (with its bytes) and folder (None) here, outside the client's own folders.
    pub fn tree(&self) -> BTreeMap<String, Option<Vec<u8>>> {
        let mut found = BTreeMap::new();
        walk(self.dir.path(), "", &mut found);
        found
    }
}

/// How many POSTs the server has answered on `route` with a success, from its metrics.
async fn requests(app: &TestApp, route: &str) -> u64 {
    let metrics = app.metrics().await;
    metrics
        .lines()
        .filter(|l| l.starts_with("gosync_http_requests_total{method=\"POST\""))
        .filter(|l| l.contains(&format!("route=\"{route}\"")) && l.contains("status=\"2"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// Every content anywhere: on the server (each version of every file, the trash's too, restored
/// for the purpose) and in both folders (their `.gosync-trash` too). Ends the test's story.
async fn every_content(
    app: &TestApp,
    token: &str,
    root: &str,
    folders: &[&Client],
) -> HashSet<Vec<u8>> {
    let trash: Value = app
        .get_as(token, "/api/v1/trash?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    for item in trash["items"].as_array().unwrap() {
        let path = format!("/api/v1/trash/{}/restore", item["id"].as_str().unwrap());
        let restored = app
            .client
            .post(app.url(&path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert!(restored.status().is_success(), "{}", restored.status());
    }
    let mut found = HashSet::new();
    for (_, id, folder) in drive_items(app, token, root).await {
        if folder {
            continue;
        }
        let path = format!("/api/v1/nodes/{id}/versions");
        let versions: Value = app.get_as(token, &path).await.json().await.unwrap();
        for version in versions.as_array().unwrap() {
            let n = &version["number"];
            let path = format!("/api/v1/nodes/{id}/content?version={n}");
            let bytes = app.get_as(token, &path).await.bytes().await.unwrap();
            found.insert(bytes.to_vec());
        }
    }
    for folder in folders {
        let mut here = BTreeMap::new();
        walk(folder.dir.path(), "", &mut here);
        if folder.path(gosync_sync::TRASH_DIR).exists() {
            walk(folder.dir.path(), gosync_sync::TRASH_DIR, &mut here);
        }
        found.extend(here.into_values().flatten());
    }
    found
}

fn walk(root: &Path, dir: &str, found: &mut BTreeMap<String, Option<Vec<u8>>>) {
    for entry in std::fs::read_dir(root.join(dir)).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        if path == gosync_sync::STATE_DIR || (dir.is_empty() && path == gosync_sync::TRASH_DIR) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            found.insert(path.clone(), None);
            walk(root, &path, found);
        } else {
            found.insert(path, Some(std::fs::read(entry.path()).unwrap()));
        }
    }
}

/// Every item below folder `id`: its path, id, and whether it is a folder.
async fn drive_items(app: &TestApp, token: &str, id: &str) -> Vec<(String, String, bool)> {
    let mut found = Vec::new();
    let mut pending = vec![(String::new(), id.to_owned())];
    while let Some((dir, id)) = pending.pop() {
        let page: Value = app
            .children(token, &id, "?limit=1000")
            .await
            .json()
            .await
            .unwrap();
        for item in page["items"].as_array().unwrap() {
            let name = item["name"].as_str().unwrap();
            let path = if dir.is_empty() {
                name.to_owned()
            } else {
                format!("{dir}/{name}")
            };
            let id = item["id"].as_str().unwrap().to_owned();
            let folder = item["kind"] == "folder";
            if folder {
                pending.push((path.clone(), id.clone()));
            }
            found.push((path, id, folder));
        }
    }
    found
}

/// The drive's tree below folder `id`, as the API gives it.
pub async fn drive_tree(app: &TestApp, token: &str, id: &str) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut found = BTreeMap::new();
    for (path, id, folder) in drive_items(app, token, id).await {
        let bytes = match folder {
            true => None,
            false => {
                let got = download(app, token, &id, None).await.bytes().await.unwrap();
                Some(got.to_vec())
            }
        };
        found.insert(path, bytes);
    }
    found
}

fn conflict_copies(tree: &BTreeMap<String, Option<Vec<u8>>>) -> Vec<(&String, &Option<Vec<u8>>)> {
    tree.iter()
        .filter(|(p, _)| p.contains("(conflict from "))
        .collect()
}

fn count(report: &Report, what: fn(&Action) -> bool) -> usize {
    report.actions.iter().filter(|a| what(a)).count()
}

#[tokio::test]
async fn two_folders_and_the_drive_stay_in_step_through_every_kind_of_change() {
    let app = spawn_app().await;
    let (ann, root) = app.user_with_root("ann@example.com").await;
    let (a, b) = (
        Client::new(&app, &ann, "Work"),
        Client::new(&app, &ann, "Work"),
    );
    let in_step = |a: &Client, b: &Client| {
        let (ta, tb) = (a.tree(), b.tree());
        assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
        assert!(ta == tb, "the same bytes on both sides");
        ta
    };

    // Start: files, a nested folder, an empty folder.
    a.write("docs/plan.txt", b"the plan");
    a.write("docs/notes.txt", b"notes");
    a.write("docs/deep/er/still.txt", b"deep");
    std::fs::create_dir_all(a.path("empty")).unwrap();
    a.sync().await;
    let first = b.sync().await;
    assert_eq!(count(&first, |a| matches!(a, Action::Download { .. })), 3);
    let tree = in_step(&a, &b);
    assert_eq!(
        tree.get("empty"),
        Some(&None),
        "the empty folder came along"
    );
    let work = app
        .children(&ann, &root, "")
        .await
        .json::<Value>()
        .await
        .unwrap()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        drive_tree(&app, &ann, &work).await,
        tree,
        "the drive holds the same"
    );
    assert!(a.sync().await.actions.is_empty(), "nothing more to do");

    // Edited on both sides, differently: the server's copy keeps the name, the other
    // becomes a conflict copy; nothing is lost.
    a.write("docs/plan.txt", b"plan, as A sees it");
    b.write("docs/plan.txt", b"plan, as B sees it");
    a.sync().await;
    let report = b.sync().await;
    assert_eq!(count(&report, |a| matches!(a, Action::Conflict { .. })), 1);
    a.sync().await;
    let tree = in_step(&a, &b);
    assert_eq!(
        tree["docs/plan.txt"].as_deref(),
        Some(&b"plan, as A sees it"[..])
    );
    let copies = conflict_copies(&tree);
    assert_eq!(copies.len(), 1, "{:?}", tree.keys());
    assert_eq!(copies[0].1.as_deref(), Some(&b"plan, as B sees it"[..]));
    assert!(copies[0].0.starts_with("docs/plan (conflict from ") && copies[0].0.ends_with(").txt"));

    // Deleted on one side, edited on the other: the edit wins.
    std::fs::remove_file(a.path("docs/notes.txt")).unwrap();
    b.write("docs/notes.txt", b"notes, longer now");
    a.sync().await;
    b.sync().await;
    a.sync().await;
    let tree = in_step(&a, &b);
    assert_eq!(
        tree["docs/notes.txt"].as_deref(),
        Some(&b"notes, longer now"[..])
    );

    // Renamed on one side, edited on the other: one item, renamed and edited.
    std::fs::rename(a.path("docs/notes.txt"), a.path("docs/minutes.txt")).unwrap();
    b.write("docs/notes.txt", b"notes, edited by B");
    let report = a.sync().await;
    assert_eq!(
        count(&report, |a| matches!(a, Action::RenameRemote { .. })),
        1,
        "{report:?}"
    );
    assert_eq!(
        count(&report, |a| matches!(a, Action::Upload { .. })),
        0,
        "no upload for a rename"
    );
    b.sync().await;
    a.sync().await;
    let tree = in_step(&a, &b);
    assert!(!tree.contains_key("docs/notes.txt"));
    assert_eq!(
        tree["docs/minutes.txt"].as_deref(),
        Some(&b"notes, edited by B"[..])
    );

    // A folder moved on one side while a file in it changes on the other.
    std::fs::create_dir_all(a.path("archive")).unwrap();
    std::fs::rename(a.path("docs/deep"), a.path("archive/deep")).unwrap();
    b.write("docs/deep/er/still.txt", b"deep, and changed");
    a.sync().await;
    b.sync().await;
    a.sync().await;
    let tree = in_step(&a, &b);
    assert!(!tree.contains_key("docs/deep"));
    assert_eq!(
        tree["archive/deep/er/still.txt"].as_deref(),
        Some(&b"deep, and changed"[..])
    );

    // A case-only rename.
    std::fs::rename(a.path("docs/minutes.txt"), a.path("docs/Minutes.txt")).unwrap();
    a.sync().await;
    b.sync().await;
    let tree = in_step(&a, &b);
    assert!(tree.contains_key("docs/Minutes.txt") && !tree.contains_key("docs/minutes.txt"));

    // 200 files at once.
    for i in 0..200 {
        a.write(
            &format!("many/file-{i:03}.txt"),
            format!("file {i}").as_bytes(),
        );
    }
    let before = (
        requests(&app, "/api/v1/uploads/batch").await,
        requests(&app, "/api/v1/uploads").await,
    );
    a.sync().await;
    // Up many to a request: 200 files in 7 batches of at most 32, none alone over tus.
    let after = (
        requests(&app, "/api/v1/uploads/batch").await,
        requests(&app, "/api/v1/uploads").await,
    );
    assert_eq!((after.0 - before.0, after.1 - before.1), (7, 0));
    let report = b.sync().await;
    assert_eq!(
        count(&report, |a| matches!(a, Action::Download { .. })),
        200
    );
    let tree = in_step(&a, &b);
    assert_eq!(
        drive_tree(&app, &ann, &work).await,
        tree,
        "the drive holds the same"
    );
    assert!(b.sync().await.actions.is_empty() && a.sync().await.actions.is_empty());

    // A folder renamed differently on both sides: the server's name wins, as for content;
    // one folder, nothing uploaded or downloaded again.
    std::fs::rename(a.path("many"), a.path("papers")).unwrap();
    std::fs::rename(b.path("many"), b.path("documents")).unwrap();
    a.sync().await;
    let report = b.sync().await;
    assert_eq!(
        count(&report, |a| matches!(a, Action::RenameLocal { .. })),
        1,
        "{report:?}"
    );
    let moved = |a: &Action| {
        matches!(
            a,
            Action::Upload { .. } | Action::Download { .. } | Action::MkdirRemote { .. }
        )
    };
    assert_eq!(count(&report, moved), 0, "{report:?}");
    a.sync().await;
    let tree = in_step(&a, &b);
    assert!(tree.contains_key("papers/file-000.txt"));
    assert!(!tree.contains_key("documents") && !tree.contains_key("many"));
    assert_eq!(drive_tree(&app, &ann, &work).await, tree);

    // Nothing lost: every content either client ever wrote is somewhere.
    let everything = every_content(&app, &ann, &root, &[&a, &b]).await;
    for client in [&a, &b] {
        for written in client.written.lock().unwrap().iter() {
            assert!(
                everything.contains(written),
                "{:?} is nowhere",
                String::from_utf8_lossy(written)
            );
        }
    }
}
