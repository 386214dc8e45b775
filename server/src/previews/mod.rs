//! Previews: thumbnails (256 and 1024) of images, photos (HEIC), drawings (SVG), PDFs, office
//! documents, videos and text, made by jobs on the queue and stored in blob storage under the
//! content's SHA-256, so a rename, move, copy or identical upload never makes a new one. A
//! file that cannot be previewed stays a file. Converters run in the sandbox (`sandbox`).

pub mod heif;
pub mod highlight;
pub mod image;
pub mod make;
pub mod ocr;
pub mod office;
pub mod pages;
pub mod pdf;
pub mod pdf_child;
pub mod sandbox;
pub mod sandbox_child;
pub mod scratch;
pub mod status;
pub mod svg_child;
pub mod text;
pub mod tools;
pub mod video;

use std::{path::PathBuf, sync::Arc};

use futures::StreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::{
    config::{PreviewSettings, Settings},
    entities::{blob, job, node},
    jobs::queue::{self, NewJob},
    storage::BlobStore,
};

/// The job kind that makes a content's thumbnails.
pub const THUMBNAIL: &str = "thumbnail";
/// Thumbnail box sizes, largest first.
pub const SIZES: [u32; 2] = [1024, 256];
/// Priority of the thumbnails someone is looking at (new uploads queue at 0).
pub const VISIBLE: i32 = 10;

/// A reason a file gets no preview, for people (recorded on the job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// One rendering: a thumbnail at a box size, or a page.
pub struct Rendered {
    pub size: u32,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// What kind of preview a file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Image,
    Pdf,
    Text,
    /// Word, Excel, PowerPoint, OpenDocument, RTF (through LibreOffice to PDF).
    Office,
    Video,
    Svg,
    /// HEIC/HEIF photos.
    Heif,
}

impl Kind {
    /// From the file's type and name (the decoders check the content itself).
    pub fn of(mime: Option<&str>, name: &str) -> Option<Self> {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let mime = mime.unwrap_or_default();
        if heif::is_heif(Some(mime), name) {
            return Some(Self::Heif);
        }
        match (mime, ext.as_str()) {
            ("image/svg+xml", _) | (_, "svg") => Some(Self::Svg),
            (_, "jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "tif" | "tiff") => {
                Some(Self::Image)
            }
            ("application/pdf", _) | (_, "pdf") => Some(Self::Pdf),
            _ if office::is_office(name) => Some(Self::Office),
            _ if video::is_video(name) => Some(Self::Video),
            (m, _) if m.starts_with("text/") && m != "text/html" => Some(Self::Text),
            (_, e) if app::drive::format::is_text_ext(e) => Some(Self::Text),
            _ => None,
        }
    }

    /// Whether the viewer shows this kind as pages of a PDF.
    pub fn has_pages(self) -> bool {
        matches!(self, Self::Pdf | Self::Office)
    }
}

/// What a finished thumbnail job made (its `result`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Made {
    pub content_type: String,
    pub sizes: Vec<u32>,
    /// A PDF's (or a converted document's) page count.
    #[serde(default)]
    pub pages: Option<u32>,
    /// A video's length in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    kind: Kind,
    /// The file name's extension when the job was queued (a converter's format).
    #[serde(default)]
    ext: Option<String>,
}

/// Where a content's rendering lives in blob storage.
pub fn storage_key(sha256: &str, rendering: &str) -> String {
    format!("thumbs/{sha256}/{rendering}")
}

/// Deletes a content's renderings and its thumbnail job (its last blob is gone; the same
/// content uploaded again is previewed again).
pub async fn forget(
    db: &impl ConnectionTrait,
    blobs: &BlobStore,
    sha256: &str,
) -> Result<(), crate::error::ServiceError> {
    let mut stored = blobs.list(&format!("thumbs/{sha256}/"));
    while let Some((key, _)) = stored.next().await.transpose()? {
        blobs.delete(&key).await?;
    }
    job::Entity::delete_many()
        .filter(job::Column::Kind.eq(THUMBNAIL))
        .filter(job::Column::Subject.eq(sha256))
        .exec(db)
        .await?;
    crate::entities::page_render::Entity::delete_many()
        .filter(crate::entities::page_render::Column::Sha256.eq(sha256))
        .exec(db)
        .await?;
    Ok(())
}

/// Queues the thumbnail of a file's current content (nothing if it has one, or can have none).
/// Returns whether a job was queued: then call [`crate::jobs::wake`] once it is committed.
pub async fn queue_for(db: &impl ConnectionTrait, file: &node::Model) -> Result<bool, DbErr> {
    match job_for(file) {
        Some(new) => queue::enqueue(db, new, chrono::Utc::now()).await,
        None => Ok(false),
    }
}

/// The thumbnail job a new file needs, if its kind has thumbnails.
pub fn job_for(file: &node::Model) -> Option<NewJob> {
    match (Kind::of(file.mime.as_deref(), &file.name), &file.sha256) {
        (Some(kind), Some(sha256)) => Some(thumbnail_job(sha256, kind, &file.name, 0)),
        _ => None,
    }
}

fn thumbnail_job(sha256: &str, kind: Kind, name: &str, priority: i32) -> NewJob {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    NewJob {
        kind: THUMBNAIL,
        subject: sha256.to_owned(),
        payload: serde_json::json!(Payload { kind, ext }),
        priority,
    }
}

/// Queues the thumbnail job of this content, unless it has one.
pub async fn queue_thumbnail(
    db: &impl ConnectionTrait,
    sha256: &str,
    kind: Kind,
    name: &str,
    priority: i32,
) -> Result<bool, DbErr> {
    let new = thumbnail_job(sha256, kind, name, priority);
    queue::enqueue(db, new, chrono::Utc::now()).await
}

/// What workers need to make previews.
pub struct Previews {
    pub settings: PreviewSettings,
    blobs: BlobStore,
    pdf: Option<pdf::Renderer>,
    /// The converters this machine has.
    pub tools: tools::Tools,
    sandbox: sandbox::Sandbox,
    /// Office conversions running at once (each a LibreOffice).
    conversions: tokio::sync::Semaphore,
    scratch: PathBuf,
    /// Pages rendered on demand at once (each is a child process).
    page_slots: tokio::sync::Semaphore,
    /// Pages being rendered, so that each is rendered once.
    in_flight: pages::InFlight,
    /// Pages rendered on demand since the start (for /metrics).
    pages_rendered: std::sync::atomic::AtomicU64,
}

impl Previews {
    pub fn new(settings: &Settings, blobs: BlobStore) -> Arc<Self> {
        let pdf = pdf::Renderer::find(settings);
        if pdf.is_none() {
            tracing::warn!(
                "libpdfium not found (tools/pdfium, or GOSYNC_PDFIUM_PATH): PDFs and office documents get no previews"
            );
        }
        let bin = tools::sandbox_bin(settings);
        let tools = tools::Tools::find(settings, &bin);
        Arc::new(Self {
            settings: settings.previews.clone(),
            blobs,
            pdf,
            tools,
            sandbox: sandbox::Sandbox { bin },
            conversions: tokio::sync::Semaphore::new(settings.previews.conversions.max(1)),
            scratch: Self::scratch_dir(settings),
            page_slots: tokio::sync::Semaphore::new(crate::jobs::worker::pool_size(
                settings.previews.workers,
            )),
            in_flight: pages::InFlight::default(),
            pages_rendered: std::sync::atomic::AtomicU64::new(0),
        })
    }

    pub fn pdf(&self) -> Option<&pdf::Renderer> {
        self.pdf.as_ref()
    }

    pub(crate) fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// The content with this SHA-256, whole (within the input limit).
    pub(crate) async fn content(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
    ) -> Result<Vec<u8>, Fetch> {
        let stored = blob::Entity::find()
            .filter(blob::Column::Sha256.eq(sha256))
            .one(db)
            .await
            .map_err(|e| Fetch::Later(format!("database: {e}")))?
            .ok_or_else(|| Fetch::Refused(Refusal("the content no longer exists".into())))?;
        self.read(&stored).await
    }

    /// A blob's bytes, refused when larger than previews may read.
    async fn read(&self, stored: &blob::Model) -> Result<Vec<u8>, Fetch> {
        if stored.size as u64 > self.settings.max_input_bytes {
            return Err(Fetch::Refused(Refusal(format!(
                "the file is larger than {} MB, the most previews read",
                self.settings.max_input_bytes / 1_000_000
            ))));
        }
        let later = |e: crate::storage::StorageError| Fetch::Later(format!("storage: {e}"));
        let mut stream = self.blobs.get(&stored.storage_key).await.map_err(later)?;
        let mut data = Vec::with_capacity(stored.size as usize);
        while let Some(chunk) = stream.next().await {
            data.extend_from_slice(&chunk.map_err(later)?);
        }
        Ok(data)
    }

    /// Temporary files of the PDF renderer live here.
    pub fn scratch_dir(settings: &Settings) -> PathBuf {
        settings.data_dir.join("tmp").join("previews")
    }
}

/// Why content could not be read for a preview.
pub(crate) enum Fetch {
    Refused(Refusal),
    Later(String),
}

/// CPU work on the blocking pool; a panic in a decoder is a refusal, not a crash.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    crate::background::run(work)
        .await
        .unwrap_or_else(|_| Err(Refusal("the decoder failed on this file".into())))
}
