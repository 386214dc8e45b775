//! The thumbnail job: one content's thumbnails, by kind. Images and text are decoded here;
//! PDFs, office documents, videos, SVG drawings and HEIC photos go through a child process
//! in the sandbox first, and come back as a picture that the image path resizes.

use std::time::Duration;

use sea_orm::ConnectionTrait;

use super::{
    heif, image, ocr, office,
    sandbox::{Limits, Sandbox},
    scratch::converted_key,
    video, Fetch, Kind, Made, Payload, Previews, Refusal, Rendered, SIZES,
};
use crate::{entities::job, jobs::queue::Outcome};

/// What making one content's picture gave: the thumbnails, a page count, a duration.
type Picture = (Vec<Rendered>, Option<u32>, Option<f64>);

impl Previews {
    pub(crate) fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// What one conversion may use, from the settings.
    pub(crate) fn limits(&self) -> Limits {
        let wall = self.settings.convert_timeout_secs.max(1);
        Limits {
            memory_bytes: self.settings.convert_memory_mb << 20,
            cpu_secs: wall,
            wall: Duration::from_secs(wall),
            file_bytes: 1 << 30,
        }
    }

    /// Makes and stores the thumbnails of the job's content.
    pub async fn thumbnail_job(&self, db: &impl ConnectionTrait, claimed: &job::Model) -> Outcome {
        let Ok(Payload { kind, ext }) = serde_json::from_str(&claimed.payload) else {
            return Outcome::Failed("the job's description is not understood".into());
        };
        let sha256 = &claimed.subject;
        let ext = ext.unwrap_or_default();
        let made = match kind {
            Kind::Image | Kind::Text => self.decoded(db, sha256, kind).await,
            Kind::Pdf => self.pdf_picture(db, sha256, Kind::Pdf).await,
            Kind::Office => self.office_picture(db, sha256, &ext).await,
            Kind::Video => self.video_picture(db, sha256, &ext).await,
            Kind::Svg => self.svg_picture(db, sha256).await,
            Kind::Heif => self.heif_picture(db, sha256).await,
        };
        let (rendered, pages, duration) = match made {
            Ok(made) => made,
            Err(Fetch::Refused(r)) => return Outcome::Failed(r.0),
            Err(Fetch::Later(reason)) => return Outcome::Retry(reason),
        };
        if kind == Kind::Image {
            // A photo that decodes may have words in it.
            if let Err(e) = self.queue_ocr(db, sha256, ocr::Source::Image).await {
                return Outcome::Retry(format!("database: {e}"));
            }
        }
        for one in &rendered {
            let key = super::storage_key(sha256, &one.size.to_string());
            if let Err(e) = self.blobs.put(&key, one.bytes.clone().into()).await {
                return Outcome::Retry(format!("the thumbnail could not be stored: {e}"));
            }
        }
        let made = Made {
            content_type: rendered
                .first()
                .map_or("image/jpeg", |r| r.content_type)
                .to_owned(),
            sizes: rendered.iter().map(|r| r.size).collect(),
            pages,
            duration,
        };
        Outcome::Done(serde_json::json!(made))
    }

    /// Images and text, decoded in this process (within the decoders' limits).
    async fn decoded(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        kind: Kind,
    ) -> Result<Picture, Fetch> {
        let data = self.content(db, sha256).await?;
        let max_pixels = self.settings.max_pixels;
        let rendered = if kind == Kind::Text {
            super::blocking(move || super::text::card(&data).map(|c| vec![c])).await
        } else {
            super::blocking(move || image::thumbnails(&data, &SIZES, max_pixels)).await
        };
        Ok((rendered.map_err(Fetch::Refused)?, None, None))
    }

    /// The first page of a PDF (or of the PDF an office document became), and the page count.
    async fn pdf_picture(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        kind: Kind,
    ) -> Result<Picture, Fetch> {
        let renderer = self
            .pdf
            .as_ref()
            .ok_or_else(|| Fetch::Refused(Refusal("PDF previews are not available here".into())))?;
        let input = self.pdf_copy(db, sha256, kind).await?;
        let (page, count) = renderer
            .render_file(&input.0, 1, SIZES[0])
            .await
            .map_err(Fetch::Refused)?;
        let rendered = self.resized(page).await?;
        Ok((rendered, Some(count), None))
    }

    /// An office document: converted to PDF by LibreOffice (kept once per content), whose
    /// text is then read for search when GoSync cannot read the document's own.
    async fn office_picture(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        ext: &str,
    ) -> Result<Picture, Fetch> {
        let soffice = self.tools.soffice.clone().ok_or_else(|| {
            Fetch::Refused(Refusal(self.missing(self.settings.office, "LibreOffice")))
        })?;
        if self.pdf.is_none() {
            return Err(Fetch::Refused(Refusal(
                "PDF previews are not available here".into(),
            )));
        }
        let key = converted_key(sha256);
        if self.blobs.size(&key).await.is_err() {
            let work = self.work_dir().await.map_err(Fetch::Later)?;
            let input = work.0.join(format!("document.{}", safe_ext(ext, "docx")));
            self.content_to(db, sha256, &input).await?;
            let _turn = self
                .conversions
                .acquire()
                .await
                .map_err(|_| Fetch::Later("stopping".into()))?;
            let pdf = office::to_pdf(&self.sandbox, &soffice, &input, &work.0, self.limits())
                .await
                .map_err(Fetch::Refused)?;
            let bytes = tokio::fs::read(&pdf)
                .await
                .map_err(|e| Fetch::Later(format!("scratch: {e}")))?;
            self.blobs
                .put(&key, bytes.into())
                .await
                .map_err(|e| Fetch::Later(format!("storage: {e}")))?;
        }
        let picture = self.pdf_picture(db, sha256, Kind::Office).await?;
        if crate::search::text::needs_converted_text(ext) {
            crate::search::text::queue_converted(db, sha256)
                .await
                .map_err(|e| Fetch::Later(format!("database: {e}")))?;
            crate::jobs::wake();
        }
        Ok(picture)
    }

    /// A video's poster frame and duration, by ffmpeg.
    async fn video_picture(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
        ext: &str,
    ) -> Result<Picture, Fetch> {
        let (Some(ffmpeg), Some(ffprobe)) = (&self.tools.ffmpeg, &self.tools.ffprobe) else {
            return Err(Fetch::Refused(Refusal(
                self.missing(self.settings.video, "ffmpeg"),
            )));
        };
        let work = self.work_dir().await.map_err(Fetch::Later)?;
        let name = format!("video.{}", safe_ext(ext, "mp4"));
        let input = work.0.join(&name);
        self.content_to(db, sha256, &input).await?;
        let tools = video::Ffmpeg { ffmpeg, ffprobe };
        let (png, duration) = video::poster(
            &self.sandbox,
            tools,
            &input,
            &name,
            &work.0,
            SIZES[0],
            self.limits(),
        )
        .await
        .map_err(Fetch::Refused)?;
        Ok((self.resized(png).await?, None, duration))
    }

    /// An SVG drawing, rasterised by `gosync render-svg` in the sandbox.
    async fn svg_picture(&self, db: &impl ConnectionTrait, sha256: &str) -> Result<Picture, Fetch> {
        let work = self.work_dir().await.map_err(Fetch::Later)?;
        let input = work.0.join("drawing.svg");
        self.content_to(db, sha256, &input).await?;
        let output = work.0.join("drawing.png");
        let args = vec![
            "render-svg".to_owned(),
            "--input".to_owned(),
            input.display().to_string(),
            "--output".to_owned(),
            output.display().to_string(),
            "--size".to_owned(),
            SIZES[0].to_string(),
        ];
        let limits = Limits {
            memory_bytes: 1 << 30,
            ..self.limits()
        };
        let bin = self.sandbox.bin.clone();
        self.sandbox
            .run("The SVG renderer", &bin, &args, &work.0, limits)
            .await
            .map_err(Fetch::Refused)?;
        let png = tokio::fs::read(&output)
            .await
            .map_err(|_| Fetch::Refused(Refusal("the drawing could not be rendered".into())))?;
        Ok((self.resized(png).await?, None, None))
    }

    /// A HEIC photo, decoded by heif-convert.
    async fn heif_picture(
        &self,
        db: &impl ConnectionTrait,
        sha256: &str,
    ) -> Result<Picture, Fetch> {
        let tool =
            self.tools.heif_convert.clone().ok_or_else(|| {
                Fetch::Refused(Refusal("heif-convert is not installed here".into()))
            })?;
        let work = self.work_dir().await.map_err(Fetch::Later)?;
        let input = work.0.join("photo.heic");
        self.content_to(db, sha256, &input).await?;
        let jpeg = heif::to_jpeg(&self.sandbox, &tool, &input, &work.0, self.limits())
            .await
            .map_err(Fetch::Refused)?;
        Ok((self.resized(jpeg).await?, None, None))
    }

    /// Why a converter's previews are not made here: turned off, or not installed.
    fn missing(&self, on: bool, what: &str) -> String {
        if on {
            format!("{what} is not installed here")
        } else {
            format!("these previews are turned off on this server ({what})")
        }
    }

    /// A picture a converter made, at each thumbnail size.
    async fn resized(&self, picture: Vec<u8>) -> Result<Vec<Rendered>, Fetch> {
        let max_pixels = self.settings.max_pixels;
        super::blocking(move || image::thumbnails(&picture, &SIZES, max_pixels))
            .await
            .map_err(Fetch::Refused)
    }
}

/// The extension a scratch file gets: the file's own when it is plain letters and digits.
fn safe_ext<'a>(ext: &'a str, fallback: &'a str) -> &'a str {
    if !ext.is_empty() && ext.len() <= 8 && ext.chars().all(|c| c.is_ascii_alphanumeric()) {
        ext
    } else {
        fallback
    }
}
