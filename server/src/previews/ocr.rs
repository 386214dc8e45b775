//! OCR: the words in photos, scans and image-only PDFs, read by tesseract in the sandbox on
//! the job queue at low priority, bounded (pages per file, pixels per page, time). The text
//! is stored and indexed like any extracted text, so search finds it and shows its snippet.

use std::path::Path;

use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use super::{image as pictures, sandbox::Limits, Fetch, Previews, Refusal};
use crate::{
    entities::job,
    jobs::queue::{self, NewJob, Outcome},
};

/// The job kind.
pub const OCR: &str = "ocr";
/// Behind thumbnails and text (0): OCR is slow and can wait.
pub const PRIORITY: i32 = -10;
/// A page is read at most this large (A4 at 300 dpi is 2480×3508).
pub const PAGE_SIDE: u32 = 3508;

/// What is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Image,
    Pdf,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    source: Source,
}

/// What a finished job found (its `result`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Read {
    pub bytes: usize,
    pub pages: u32,
}

/// Queues the OCR of a content, unless it has its job.
async fn queue(db: &impl ConnectionTrait, sha256: &str, source: Source) -> Result<bool, DbErr> {
    let new = NewJob {
        kind: OCR,
        subject: sha256.to_owned(),
        payload: serde_json::json!(Payload { source }),
        priority: PRIORITY,
    };
    queue::enqueue(db, new, chrono::Utc::now()).await
}

impl Previews {
    /// Queues the OCR of a content when OCR is on and tesseract is here.
    pub async fn queue_ocr(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        source: Source,
    ) -> Result<(), DbErr> {
        if self.settings.ocr && self.tools.tesseract.is_some() && queue(db, sha256, source).await? {
            crate::jobs::wake();
        }
        Ok(())
    }

    /// Runs an OCR job: reads the pages, stores the text, tells the indexers.
    pub async fn ocr_job(&self, db: &impl ConnectionTrait, claimed: &job::Model) -> Outcome {
        let Ok(Payload { source }) = serde_json::from_str(&claimed.payload) else {
            return Outcome::Failed("the job's description is not understood".into());
        };
        if !self.settings.ocr {
            return Outcome::Failed("OCR is turned off on this server".into());
        }
        let Some(tesseract) = self.tools.tesseract.clone() else {
            return Outcome::Failed("tesseract is not installed here: no OCR".into());
        };
        let sha256 = &claimed.subject;
        let work = match self.work_dir().await {
            Ok(work) => work,
            Err(reason) => return Outcome::Retry(reason),
        };
        let read = match source {
            Source::Image => self.ocr_image(db, sha256, &tesseract, &work.0).await,
            Source::Pdf => self.ocr_pdf(db, sha256, &tesseract, &work.0).await,
        };
        let (text, pages) = match read {
            Ok(read) => read,
            Err(Fetch::Refused(r)) => return Outcome::Failed(r.0),
            Err(Fetch::Later(reason)) => return Outcome::Retry(reason),
        };
        if let Err(reason) = crate::search::text::keep(self, db, sha256, &text).await {
            return Outcome::Retry(reason);
        }
        Outcome::Done(serde_json::json!(Read {
            bytes: text.len(),
            pages,
        }))
    }

    async fn ocr_image(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        tesseract: &Path,
        work: &Path,
    ) -> Result<(String, u32), Fetch> {
        let data = self.content(db, sha256).await?;
        let max_pixels = self.settings.max_pixels;
        let png = super::blocking(move || page_png(&data, max_pixels))
            .await
            .map_err(Fetch::Refused)?;
        let text = self.read_page(tesseract, &png, work).await?;
        Ok((text, 1))
    }

    async fn ocr_pdf(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        tesseract: &Path,
        work: &Path,
    ) -> Result<(String, u32), Fetch> {
        let renderer = self
            .pdf()
            .ok_or_else(|| Fetch::Refused(Refusal("PDF previews are not available here".into())))?;
        let input = self.pdf_copy(db, sha256, super::Kind::Pdf).await?;
        let mut text = String::new();
        let mut page = 1;
        loop {
            let (png, count) = renderer
                .render_file(&input.0, page, PAGE_SIDE)
                .await
                .map_err(Fetch::Refused)?;
            text.push_str(&self.read_page(tesseract, &png, work).await?);
            text.push('\n');
            if page >= count || page >= self.settings.ocr_max_pages {
                return Ok((text, page));
            }
            page += 1;
        }
    }

    /// The words tesseract reads on one page (a PNG).
    async fn read_page(&self, tesseract: &Path, png: &[u8], work: &Path) -> Result<String, Fetch> {
        let page = work.join("page.png");
        tokio::fs::write(&page, png)
            .await
            .map_err(|e| Fetch::Later(format!("scratch: {e}")))?;
        let args = vec![
            page.display().to_string(),
            "stdout".to_owned(),
            "-l".to_owned(),
            self.settings.ocr_languages.clone(),
            "--psm".to_owned(),
            "3".to_owned(),
        ];
        let limits = Limits {
            memory_bytes: 1 << 30,
            ..self.limits()
        };
        let said = self
            .sandbox()
            .run("tesseract", tesseract, &args, work, limits)
            .await
            .map_err(Fetch::Refused)?;
        Ok(String::from_utf8_lossy(&said.stdout).into_owned())
    }
}

/// An image as a grey PNG no larger than a page is read, upright.
fn page_png(data: &[u8], max_pixels: u64) -> Result<Vec<u8>, Refusal> {
    let image = pictures::decode(data, PAGE_SIDE, max_pixels)?;
    let (w, h) = pictures::fit(image.width(), image.height(), PAGE_SIDE);
    let image = if (w, h) == (image.width(), image.height()) {
        image
    } else {
        image.resize(w, h, ::image::imageops::FilterType::Triangle)
    };
    let mut png = Vec::new();
    image
        .into_luma8()
        .write_to(
            &mut std::io::Cursor::new(&mut png),
            ::image::ImageFormat::Png,
        )
        .map_err(|e| Refusal(format!("the image could not be prepared for OCR: {e}")))?;
    Ok(png)
}
