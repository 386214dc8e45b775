//! PDF pages rendered by pdfium in a child process (`gosync render-pdf`), under memory and CPU
//! limits and a timeout: a PDF that crashes or hangs pdfium takes down only the child.

use std::{path::PathBuf, process::Stdio, time::Duration};

use super::Refusal;
use crate::{config::Settings, search::extract::Extracted};

pub struct Renderer {
    /// The `gosync` binary that has the `render-pdf` command.
    bin: PathBuf,
    /// libpdfium.so.
    library: PathBuf,
    scratch: PathBuf,
    timeout: Duration,
}

impl Renderer {
    /// The renderer, when libpdfium is where the settings say (a file, or a directory with
    /// it), or else where `make build` put it (`tools/pdfium`, from the current directory or
    /// from the binary's place in `target/release`).
    pub fn find(settings: &Settings) -> Option<Self> {
        let library = match &settings.pdfium_path {
            Some(configured) if configured.is_dir() => configured.join("libpdfium.so"),
            Some(configured) => configured.clone(),
            None => fetched()?,
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

    /// Page `page` (from 1) of the PDF in `pdf` (a file: streamed there, it is never whole in
    /// memory) as a PNG that fits a `size` box, and the page count.
    pub async fn render_file(
        &self,
        pdf: &std::path::Path,
        page: u32,
        size: u32,
    ) -> Result<(Vec<u8>, u32), Refusal> {
        let args = [
            "--page".to_owned(),
            page.to_string(),
            "--size".to_owned(),
            size.to_string(),
        ];
        self.child_on(pdf, &args).await
    }

    /// A scratch file for a PDF to render, removed when dropped.
    pub fn scratch_file(&self) -> Scratch {
        Scratch(self.scratch.join(format!("{}.pdf", uuid::Uuid::new_v4())))
    }

    /// The text of every page of the PDF in `pdf` (a file), at most `limit` bytes.
    pub async fn text_file(
        &self,
        pdf: &std::path::Path,
        limit: usize,
    ) -> Result<Extracted, Refusal> {
        let args = ["--text-limit".to_owned(), limit.to_string()];
        let (bytes, _) = self.child_on(pdf, &args).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let truncated = text.len() >= limit;
        Ok(Extracted { text, truncated })
    }

    /// Runs `gosync render-pdf` on the PDF in `input`.
    async fn child_on(
        &self,
        input: &std::path::Path,
        args: &[String],
    ) -> Result<(Vec<u8>, u32), Refusal> {
        let unavailable = |e: std::io::Error| {
            tracing::warn!(error = %e, "the PDF renderer could not run");
            Refusal("the PDF renderer could not run".into())
        };
        let output = Scratch(self.scratch.join(format!("{}.out", uuid::Uuid::new_v4())));
        let child = tokio::process::Command::new(&self.bin)
            .arg("render-pdf")
            .arg("--library")
            .arg(&self.library)
            .arg("--input")
            .arg(input)
            .arg("--output")
            .arg(&output.0)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(unavailable)?;
        let finished = tokio::time::timeout(self.timeout, child.wait_with_output()).await;
        let done = match finished {
            Err(_) => return Err(Refusal("reading the PDF took too long".into())),
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
        let written = tokio::fs::read(&output.0).await.map_err(unavailable)?;
        Ok((written, pages))
    }
}

/// The libpdfium `make build` fetched: `tools/pdfium/libpdfium.so` below the current
/// directory, or below the repository the binary was built in (`target/release/gosync`).
fn fetched() -> Option<PathBuf> {
    let relative = std::path::Path::new("tools/pdfium/libpdfium.so");
    let exe = std::env::current_exe().ok();
    let beside_build = exe
        .as_deref()
        .and_then(|e| e.parent()?.parent()?.parent())
        .map(|repo| repo.join(relative));
    [Some(relative.to_path_buf()), beside_build]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .and_then(|p| p.canonicalize().ok())
}

/// A temporary file, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
