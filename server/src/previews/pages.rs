//! PDF pages for the viewer, rendered on first demand and kept a while. However many ask for
//! one page at once, it is rendered once (the others wait for it), at most a few renders run
//! at a time, and the PDF is streamed from storage into the renderer's scratch file only once
//! a render slot is free: it is never whole in memory. Pages no one asked for in
//! [`KEEP_DAYS`] are dropped by the hourly sweep, and come back when asked for again.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use app::AppError;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{image, storage_key, Fetch, Kind, Previews, SIZES};
use crate::{
    db::portable_statement, entities::page_render, error::ServiceError, storage::StorageError,
};

/// Rendered pages not asked for in this many days are dropped.
pub const KEEP_DAYS: i64 = 30;

/// One lock per page being rendered, so that a page is rendered once.
#[derive(Default)]
pub struct InFlight(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl InFlight {
    fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // Locks no one holds or waits for are dropped as others come.
        map.retain(|_, lock| Arc::strong_count(lock) > 1);
        map.entry(key.to_owned()).or_default().clone()
    }
}

impl Previews {
    /// The storage key of page `page` of the PDF with this content (or of the PDF its office
    /// document became), rendered if it is not yet.
    pub async fn page(
        &self,
        db: &DatabaseConnection,
        sha256: &str,
        kind: Kind,
        page: u32,
    ) -> Result<String, ServiceError> {
        let key = storage_key(sha256, &format!("page-{page}"));
        let lock = self.in_flight.lock_for(&key);
        let _rendering = lock.lock().await;
        match self.blobs.size(&key).await {
            Ok(_) => {}
            Err(StorageError::NotFound) => {
                let jpeg = self.render_page(db, sha256, kind, page).await?;
                self.blobs.put(&key, jpeg.into()).await?;
            }
            Err(e) => return Err(e.into()),
        }
        touch(db, sha256, page).await?;
        Ok(key)
    }

    /// Renders page `page` as a JPEG that fits 1024, in a render slot.
    async fn render_page(
        &self,
        db: &DatabaseConnection,
        sha256: &str,
        kind: Kind,
        page: u32,
    ) -> Result<Vec<u8>, ServiceError> {
        let renderer = self.pdf.as_ref().ok_or(AppError::NotFound)?;
        let _slot = self
            .page_slots
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        self.pages_rendered
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let scratch = match self.pdf_copy(db, sha256, kind).await {
            Ok(scratch) => scratch,
            Err(Fetch::Refused(_)) => return Err(AppError::NotFound.into()),
            Err(Fetch::Later(reason)) => {
                tracing::warn!(%reason, "a PDF page could not be read");
                return Err(AppError::Internal.into());
            }
        };
        let (png, _) = renderer
            .render_file(&scratch.0, page, SIZES[0])
            .await
            .map_err(|r| {
                tracing::info!(reason = %r.0, page, "a PDF page could not be rendered");
                AppError::NotFound
            })?;
        let max_pixels = self.settings.max_pixels;
        let mut rendered =
            super::blocking(move || image::thumbnails(&png, &SIZES[..1], max_pixels))
                .await
                .map_err(|_| AppError::NotFound)?;
        Ok(rendered.pop().map(|r| r.bytes).unwrap_or_default())
    }

    /// How many pages this server has rendered for the viewer.
    pub fn pages_rendered(&self) -> u64 {
        self.pages_rendered
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Drops pages no one asked for in [`KEEP_DAYS`]; returns how many went.
    pub async fn sweep_pages(&self, db: &DatabaseConnection) -> Result<usize, ServiceError> {
        let cutoff = Utc::now() - Duration::days(KEEP_DAYS);
        let old = page_render::Entity::find()
            .filter(page_render::Column::UsedAt.lt(cutoff))
            .all(db)
            .await?;
        for row in &old {
            let key = storage_key(&row.sha256, &format!("page-{}", row.page));
            match self.blobs.delete(&key).await {
                Ok(()) | Err(StorageError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
            page_render::Entity::delete_many()
                .filter(page_render::Column::Sha256.eq(row.sha256.as_str()))
                .filter(page_render::Column::Page.eq(row.page))
                .filter(page_render::Column::UsedAt.lt(cutoff))
                .exec(db)
                .await?;
        }
        Ok(old.len())
    }
}

/// Notes that the page was asked for (at most one write a day per page).
async fn touch(db: &impl ConnectionTrait, sha256: &str, page: u32) -> Result<(), ServiceError> {
    let now = Utc::now();
    let sql = "INSERT INTO page_renders (sha256, page, used_at) VALUES ($1, $2, $3) \
               ON CONFLICT (sha256, page) DO UPDATE SET used_at = excluded.used_at \
               WHERE page_renders.used_at < $4";
    let values = [
        sha256.into(),
        (page as i32).into(),
        now.into(),
        (now - Duration::days(1)).into(),
    ];
    db.execute(portable_statement(db.get_database_backend(), sql, values))
        .await?;
    Ok(())
}
