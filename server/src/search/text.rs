//! Text extraction jobs: a content's text (plain text and code, HTML, office documents,
//! spreadsheets, PDFs), made once per SHA-256 on the job queue under the previews' limits and
//! stored in blob storage beside its thumbnails. When it is ready, the files with that content
//! are noted in the change log, so every server's index picks their text up. Office formats
//! GoSync cannot read itself are read from the PDF LibreOffice made of them; PDFs without a
//! text layer and photos go to OCR.

use futures::StreamExt;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};
use serde::{Deserialize, Serialize};

use super::{changes, extract};
use crate::{
    db::portable_statement,
    entities::{job, node},
    jobs::queue::{self, NewJob, Outcome},
    previews::{ocr, Fetch, Kind, Previews},
    storage::{BlobStore, StorageError},
};

/// The job kind.
pub const TEXT: &str = "text";
/// At most this much text of one file is indexed.
pub const LIMIT: usize = 10_000_000;

/// Where the text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Plain,
    Html,
    Docx,
    Odt,
    Xlsx,
    Ods,
    Pdf,
    /// The PDF an office document was converted to.
    Converted,
}

impl Source {
    /// From the file's type and name; `None` when it has no text to find.
    pub fn of(mime: Option<&str>, name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if mime == Some("application/pdf") || ext.as_deref() == Some("pdf") {
            return Some(Source::Pdf);
        }
        Some(match extract::Format::of(mime, name)? {
            extract::Format::Plain => Source::Plain,
            extract::Format::Html => Source::Html,
            extract::Format::Docx => Source::Docx,
            extract::Format::Odt => Source::Odt,
            extract::Format::Xlsx => Source::Xlsx,
            extract::Format::Ods => Source::Ods,
        })
    }

    fn format(self) -> Option<extract::Format> {
        Some(match self {
            Source::Plain => extract::Format::Plain,
            Source::Html => extract::Format::Html,
            Source::Docx => extract::Format::Docx,
            Source::Odt => extract::Format::Odt,
            Source::Xlsx => extract::Format::Xlsx,
            Source::Ods => extract::Format::Ods,
            Source::Pdf | Source::Converted => return None,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    source: Source,
}

/// What a finished job found (its `result`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Found {
    pub bytes: usize,
    pub truncated: bool,
}

pub fn storage_key(sha256: &str) -> String {
    format!("text/{sha256}")
}

/// Fewer letters than this in a PDF's text layer: it is a scan, read by OCR.
const SCAN_BELOW: usize = 32;

/// Queues the extraction of a file's current content (nothing if it has no text or has its
/// job). Returns whether a job was queued: then call [`crate::jobs::wake`] after the commit.
/// (A photo's OCR is queued by its thumbnail job, on a worker that knows whether OCR is on.)
pub async fn queue_for(db: &impl ConnectionTrait, file: &node::Model) -> Result<bool, DbErr> {
    match job_for(file) {
        Some(new) => queue::enqueue(db, new, chrono::Utc::now()).await,
        None => Ok(false),
    }
}

/// The text job a new file needs, if GoSync reads text from its kind.
pub fn job_for(file: &node::Model) -> Option<NewJob> {
    match (Source::of(file.mime.as_deref(), &file.name), &file.sha256) {
        (Some(source), Some(sha256)) => Some(text_job(sha256, source)),
        _ => None,
    }
}

fn text_job(sha256: &str, source: Source) -> NewJob {
    NewJob {
        kind: TEXT,
        subject: sha256.to_owned(),
        payload: serde_json::json!(Payload { source }),
        priority: 0,
    }
}

/// Office formats whose text GoSync reads from their PDF (it reads DOCX, ODT, XLSX and ODS
/// itself).
pub fn needs_converted_text(ext: &str) -> bool {
    matches!(ext, "doc" | "xls" | "ppt" | "pptx" | "odp" | "rtf")
}

/// Queues the reading of an office document's text from the PDF it became.
pub async fn queue_converted(db: &impl ConnectionTrait, sha256: &str) -> Result<bool, DbErr> {
    queue_text(db, sha256, Source::Converted).await
}

async fn queue_text(
    db: &impl ConnectionTrait,
    sha256: &str,
    source: Source,
) -> Result<bool, DbErr> {
    queue::enqueue(db, text_job(sha256, source), chrono::Utc::now()).await
}

/// Queues the extraction of every live file's content that has none (files from before
/// search existed); a rebuild calls it.
pub async fn queue_missing(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    #[derive(FromQueryResult)]
    struct Missing {
        sha256: String,
        name: String,
        mime: Option<String>,
    }
    let sql = "SELECT n.sha256, n.name, n.mime FROM nodes n \
               WHERE n.kind = 'file' AND n.sha256 IS NOT NULL AND n.trashed_at IS NULL \
               AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = $1 AND j.subject = n.sha256)";
    let statement = portable_statement(db.get_database_backend(), sql, [TEXT.into()]);
    let missing = Missing::find_by_statement(statement).all(db).await?;
    let mut queued = 0;
    for file in missing {
        if let Some(source) = Source::of(file.mime.as_deref(), &file.name) {
            queued += usize::from(queue_text(db, &file.sha256, source).await?);
        }
    }
    if queued > 0 {
        crate::jobs::wake();
    }
    Ok(queued)
}

/// The text found in this content, if any.
pub async fn stored(blobs: &BlobStore, sha256: &str) -> Result<Option<String>, StorageError> {
    let mut stream = match blobs.get(&storage_key(sha256)).await {
        Ok(stream) => stream,
        Err(StorageError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Deletes a content's text and its job (its last blob is gone).
pub async fn forget(
    db: &impl ConnectionTrait,
    blobs: &BlobStore,
    sha256: &str,
) -> Result<(), crate::error::ServiceError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    match blobs.delete(&storage_key(sha256)).await {
        Ok(()) | Err(StorageError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    job::Entity::delete_many()
        .filter(job::Column::Kind.is_in([TEXT, ocr::OCR]))
        .filter(job::Column::Subject.eq(sha256))
        .exec(db)
        .await?;
    Ok(())
}

/// Runs a text job: extracts, stores, and tells the indexers which files have new text.
pub async fn run(previews: &Previews, db: &impl ConnectionTrait, claimed: &job::Model) -> Outcome {
    let Ok(Payload { source }) = serde_json::from_str(&claimed.payload) else {
        return Outcome::Failed("the job's description is not understood".into());
    };
    let sha256 = &claimed.subject;
    let extracted = match source.format() {
        Some(format) => {
            let data = match previews.content(db, sha256).await {
                Ok(data) => data,
                Err(Fetch::Refused(r)) => return Outcome::Failed(r.0),
                Err(Fetch::Later(reason)) => return Outcome::Retry(reason),
            };
            let work = move || extract::extract(format, &data, LIMIT).map_err(|r| r.0);
            crate::background::run(work)
                .await
                .unwrap_or_else(|_| Err("the text reader failed on this file".into()))
        }
        None => {
            let kind = match source {
                Source::Converted => Kind::Office,
                _ => Kind::Pdf,
            };
            match previews.pdf_text(db, sha256, kind, LIMIT).await {
                Ok(found) => found,
                Err(Fetch::Refused(r)) => return Outcome::Failed(r.0),
                Err(Fetch::Later(reason)) => return Outcome::Retry(reason),
            }
        }
    };
    let extracted = match extracted {
        Ok(extracted) => extracted,
        Err(reason) => return Outcome::Failed(reason),
    };
    let letters = extracted
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    if source == Source::Pdf && letters < SCAN_BELOW {
        // A scan: its words are in its pictures.
        if let Err(e) = previews.queue_ocr(db, sha256, ocr::Source::Pdf).await {
            return Outcome::Retry(format!("database: {e}"));
        }
    }
    if let Err(reason) = keep(previews, db, sha256, &extracted.text).await {
        return Outcome::Retry(reason);
    }
    Outcome::Done(serde_json::json!(Found {
        bytes: extracted.text.len(),
        truncated: extracted.truncated,
    }))
}

/// Stores the text found in a content (nothing when there is none) and notes its files in
/// the change log, so every index takes it.
pub async fn keep(
    previews: &Previews,
    db: &impl ConnectionTrait,
    sha256: &str,
    text: &str,
) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    let bytes = bytes::Bytes::from(text.to_owned().into_bytes());
    if let Err(e) = previews.blobs().put(&storage_key(sha256), bytes).await {
        return Err(format!("the text could not be stored: {e}"));
    }
    note_files_with(db, sha256)
        .await
        .map_err(|e| format!("database: {e}"))
}

/// Notes the live files whose current content this is in the change log.
async fn note_files_with(db: &impl ConnectionTrait, sha256: &str) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let ids: Vec<uuid::Uuid> = node::Entity::find()
        .select_only()
        .column(node::Column::Id)
        .filter(node::Column::Sha256.eq(sha256))
        .filter(node::Column::TrashedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    changes::record_many(db, &ids).await
}
