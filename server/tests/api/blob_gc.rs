//! Unused blobs go: the last version's purge deletes its blob, and the sweep removes what a
//! crash left (blob rows no version uses, stored objects no row names), on local and S3.

use bytes::Bytes;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use server::{entities::blob, files::blob_gc, storage::StorageError};

use crate::{storage::apps, transfer::upload};

#[tokio::test]
async fn the_sweep_removes_what_nothing_uses_and_keeps_the_rest() {
    for (kind, app) in apps().await {
        let (ann, root) = app.user_with_root("ann@example.com").await;
        let kept = upload(&app, &ann, "kept.txt", &root, b"still here").await;
        let store = app.blobs();
        // What a crash could leave: a blob row that no version references, with its object,
        // and an object that no row names.
        store
            .put("b/orphan-row", Bytes::from_static(b"orphan"))
            .await
            .unwrap();
        let orphan = blob::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            sha256: Set("0".repeat(64)),
            size: Set(6),
            storage_key: Set("b/orphan-row".into()),
            created_at: Set(Utc::now() - Duration::days(2)),
        };
        blob::Entity::insert(orphan).exec(&app.db).await.unwrap();
        store
            .put("b/stray", Bytes::from_static(b"stray"))
            .await
            .unwrap();
        // And small bytes kept in the database that no blob names.
        store
            .put("db/stray", Bytes::from_static(b"small stray"))
            .await
            .unwrap();
        assert_eq!(
            app.count("blob_bytes").await,
            2,
            "{kind}: kept.txt's and the stray"
        );

        let young = blob_gc::sweep(&app.db, &store, Utc::now() - Duration::hours(1)).await;
        assert_eq!(
            young.unwrap(),
            2,
            "{kind}: the old orphan row and the small stray (never in the middle of an upload)"
        );
        assert!(matches!(
            store.size("db/stray").await,
            Err(StorageError::NotFound)
        ));
        assert_eq!(app.count("blob_bytes").await, 1, "{kind}: kept.txt's stay");
        assert!(matches!(
            store.size("b/orphan-row").await,
            Err(StorageError::NotFound)
        ));
        assert_eq!(
            store.size("b/stray").await.unwrap(),
            5,
            "{kind}: too young to judge"
        );

        let later = blob_gc::sweep(&app.db, &store, Utc::now() + Duration::minutes(1)).await;
        assert_eq!(later.unwrap(), 1, "{kind}: the stray object");
        assert!(matches!(
            store.size("b/stray").await,
            Err(StorageError::NotFound)
        ));
        assert_eq!(app.count("blobs").await, 1, "{kind}");
        let body = app
            .client
            .get(app.url(&format!("/api/v1/nodes/{kept}/content")))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(body.as_ref(), b"still here", "{kind}: what is used stays");
    }
}
