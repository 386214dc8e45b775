//! PDF pages rendered by pdfium in a child process (`gosync render-pdf`), under memory and CPU
//! limits and a timeout: a PDF that crashes or hangs pdfium takes down only the child.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use super::Refusal;
use crate::config::Settings;

/// The child may use this much memory (address space) and CPU time.
const CHILD_MEMORY: u64 = 2 << 30;
const CHILD_CPU_SECS: u64 = 60;

pub struct Renderer {
    /// The `gosync` binary that has the `render-pdf` command.
    bin: PathBuf,
    /// libpdfium.so.
    library: PathBuf,
    scratch: PathBuf,
    timeout: Duration,
}

impl Renderer {
    /// The renderer, when libpdfium is where the settings say (a file, or a directory with it).
    pub fn find(settings: &Settings) -> Option<Self> {
        let configured = settings.pdfium_path.as_ref()?;
        let library = if configured.is_dir() {
            configured.join("libpdfium.so")
        } else {
            configured.clone()
        };
        if !library.is_file() {
            return None;
        }
        let bin = match &settings.previews.renderer {
            Some(bin) => bin.clone(),
            None => std::env::current_exe().ok()?,
        };
        Some(Self {
            bin,
            library,
            scratch: super::Previews::scratch_dir(settings),
            timeout: Duration::from_secs(settings.previews.job_timeout_secs),
        })
    }

    /// Page `page` (from 1) as a PNG that fits a `size` box, and the page count.
    pub async fn render(
        &self,
        pdf: &[u8],
        page: u32,
        size: u32,
    ) -> Result<(Vec<u8>, u32), Refusal> {
        let unavailable = |e: std::io::Error| {
            tracing::warn!(error = %e, "the PDF renderer could not run");
            Refusal("the PDF renderer could not run".into())
        };
        tokio::fs::create_dir_all(&self.scratch)
            .await
            .map_err(unavailable)?;
        let id = uuid::Uuid::new_v4();
        let input = Scratch(self.scratch.join(format!("{id}.pdf")));
        let output = Scratch(self.scratch.join(format!("{id}.png")));
        tokio::fs::write(&input.0, pdf).await.map_err(unavailable)?;
        let child = tokio::process::Command::new(&self.bin)
            .arg("render-pdf")
            .arg("--library")
            .arg(&self.library)
            .arg("--input")
            .arg(&input.0)
            .arg("--output")
            .arg(&output.0)
            .arg("--page")
            .arg(page.to_string())
            .arg("--size")
            .arg(size.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(unavailable)?;
        let finished = tokio::time::timeout(self.timeout, child.wait_with_output()).await;
        let done = match finished {
            Err(_) => return Err(Refusal("rendering the PDF took too long".into())),
            Ok(done) => done.map_err(unavailable)?,
        };
        if !done.status.success() {
            let said = String::from_utf8_lossy(&done.stderr);
            let reason = said.lines().last().unwrap_or("").trim();
            return Err(Refusal(if reason.is_empty() {
                "the PDF renderer stopped on this file".to_owned()
            } else {
                reason.to_owned()
            }));
        }
        let pages = String::from_utf8_lossy(&done.stdout)
            .trim()
            .parse()
            .map_err(|_| Refusal("the PDF renderer gave no page count".into()))?;
        let png = tokio::fs::read(&output.0).await.map_err(unavailable)?;
        Ok((png, pages))
    }
}

/// A temporary file, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The child's side (`gosync render-pdf`): limits itself, renders, prints the page count.
/// Errors are printed for the parent as one line, for people.
pub fn render_in_child(
    library: &Path,
    input: &Path,
    output: &Path,
    page: u32,
    size: u32,
) -> Result<(), String> {
    use pdfium_render::prelude::*;
    let _ = rlimit::setrlimit(rlimit::Resource::AS, CHILD_MEMORY, CHILD_MEMORY);
    let _ = rlimit::setrlimit(rlimit::Resource::CPU, CHILD_CPU_SECS, CHILD_CPU_SECS);
    let bindings = Pdfium::bind_to_library(library)
        .map_err(|e| format!("libpdfium could not be loaded: {e}"))?;
    let pdfium = Pdfium::new(bindings);
    let document = pdfium
        .load_pdf_from_file(input, None)
        .map_err(|e| match e {
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
                "the PDF is protected by a password".to_owned()
            }
            _ => "the PDF is damaged or not a PDF".to_owned(),
        })?;
    let pages = document.pages();
    let count = pages.len() as u32;
    if page == 0 || page > count {
        return Err(format!("the PDF has no page {page} (it has {count})"));
    }
    let side = size.min(4096) as i32;
    let config = PdfRenderConfig::new()
        .set_target_width(side)
        .set_maximum_height(side)
        .render_form_data(true);
    let one = pages
        .get((page - 1) as PdfPageIndex)
        .map_err(|_| format!("page {page} of the PDF could not be read"))?;
    let rendered = one
        .render_with_config(&config)
        .map_err(|_| format!("page {page} of the PDF could not be rendered"))?;
    let image = rendered
        .as_image()
        .map_err(|_| "the rendered page could not be read".to_owned())?;
    image
        .into_rgb8()
        .save_with_format(output, image::ImageFormat::Png)
        .map_err(|e| format!("the page could not be written: {e}"))?;
    println!("{count}");
    Ok(())
}
