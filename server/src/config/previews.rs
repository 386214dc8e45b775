//! The previews' settings: workers, input limits, and the converters (LibreOffice, ffmpeg,
//! tesseract) with their limits.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Thumbnails and the viewer's renderings, made by workers from the job queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PreviewSettings {
    /// Whether `gosync serve` runs workers itself (else only `gosync worker` processes do).
    pub in_process: bool,
    /// Workers per process (0: one per CPU).
    pub workers: usize,
    /// Files larger than this get no preview.
    pub max_input_bytes: u64,
    /// Images with more pixels than this are refused (decompression bombs).
    pub max_pixels: u64,
    /// A job taking longer is stopped and counts as failed.
    pub job_timeout_secs: u64,
    /// A claimed job is someone else's to take after this long (its worker is presumed dead).
    pub lease_secs: u64,
    /// The `gosync` binary that renders PDFs in a child process (default: this one).
    pub renderer: Option<PathBuf>,
    /// Office documents converted by LibreOffice (when it is installed).
    pub office: bool,
    /// Video posters by ffmpeg (when it is installed).
    pub video: bool,
    /// Words in photos and scans read by tesseract (when it is installed).
    pub ocr: bool,
    /// tesseract's languages, `+`-separated (`eng+deu`; each needs its Debian package).
    pub ocr_languages: String,
    /// At most this many pages of a scanned PDF are read.
    pub ocr_max_pages: u32,
    /// An OCR job taking longer is stopped.
    pub ocr_timeout_secs: u64,
    /// A converter (LibreOffice, ffmpeg, tesseract…) is stopped after this long.
    pub convert_timeout_secs: u64,
    /// A converter may use this much memory (MiB of address space).
    pub convert_memory_mb: u64,
    /// Office conversions at once in one process.
    pub conversions: usize,
}

impl Default for PreviewSettings {
    fn default() -> Self {
        Self {
            in_process: true,
            workers: 0,
            max_input_bytes: 200 << 20,
            max_pixels: 100_000_000,
            job_timeout_secs: 60,
            lease_secs: 300,
            renderer: None,
            office: true,
            video: true,
            ocr: true,
            ocr_languages: "eng".into(),
            ocr_max_pages: 20,
            ocr_timeout_secs: 600,
            convert_timeout_secs: 45,
            convert_memory_mb: 3072,
            conversions: 1,
        }
    }
}
