//! The converters this machine has: LibreOffice, ffmpeg and ffprobe, tesseract, heif-convert
//! (Debian packages, found on the PATH), and libpdfium. Each missing one only takes its
//! previews away; the health card lists them, and whether converters run off the network.

use std::path::{Path, PathBuf};

use crate::config::Settings;

/// Paths of the converters found (None: not installed, or turned off by a setting).
#[derive(Debug, Clone, Default)]
pub struct Tools {
    pub soffice: Option<PathBuf>,
    pub ffmpeg: Option<PathBuf>,
    pub ffprobe: Option<PathBuf>,
    pub tesseract: Option<PathBuf>,
    pub heif_convert: Option<PathBuf>,
    /// Whether a converter can be given a network namespace of its own here.
    pub isolated: bool,
    /// The settings that turned a converter off (`previews.ocr`…).
    pub turned_off: Vec<&'static str>,
}

impl Tools {
    /// Looks for each converter on the PATH (once, when workers start).
    pub fn find(settings: &Settings, bin: &Path) -> Self {
        let p = &settings.previews;
        Self {
            soffice: p.office.then(|| on_path("soffice")).flatten(),
            ffmpeg: p.video.then(|| on_path("ffmpeg")).flatten(),
            ffprobe: p.video.then(|| on_path("ffprobe")).flatten(),
            tesseract: p.ocr.then(|| on_path("tesseract")).flatten(),
            heif_convert: on_path("heif-convert"),
            isolated: probe_isolation(bin),
            turned_off: [
                ("previews.office", p.office),
                ("previews.video", p.video),
                ("previews.ocr", p.ocr),
            ]
            .into_iter()
            .filter(|(_, on)| !on)
            .map(|(name, _)| name)
            .collect(),
        }
    }

    /// Each converter, whether it is here, and what that means, for the health card.
    pub fn report(&self, pdf: bool) -> Vec<app::dto::ConverterDto> {
        let one = |name: &str, here: bool, gives: &str, package: &str| app::dto::ConverterDto {
            name: name.to_owned(),
            available: here,
            note: if here {
                gives.to_owned()
            } else if let Some(setting) = self.turned_off.iter().find(|s| package == **s) {
                format!("Turned off ({setting} = false): no {}", lowered(gives))
            } else {
                format!("Not installed ({package}): no {}", lowered(gives))
            },
        };
        let isolation = app::dto::ConverterDto {
            name: "Network isolation".to_owned(),
            available: self.isolated,
            note: if self.isolated {
                "Converters run without network access".to_owned()
            } else {
                "Not available here: converters can reach the network (their own settings forbid remote loads)".to_owned()
            },
        };
        vec![
            one(
                "libpdfium",
                pdf,
                "PDF thumbnails, pages and text",
                "tools/pdfium, from make setup",
            ),
            one(
                "LibreOffice",
                self.soffice.is_some() && pdf,
                "Office document thumbnails, pages and text",
                self.off_or("previews.office", "libreoffice-*-nogui"),
            ),
            one(
                "ffmpeg",
                self.ffmpeg.is_some() && self.ffprobe.is_some(),
                "Video posters and durations",
                self.off_or("previews.video", "ffmpeg"),
            ),
            one(
                "heif-convert",
                self.heif_convert.is_some(),
                "HEIC photo thumbnails",
                "libheif-examples",
            ),
            one(
                "tesseract",
                self.tesseract.is_some(),
                "Text in scans and photos (OCR)",
                self.off_or("previews.ocr", "tesseract-ocr"),
            ),
            isolation,
        ]
    }
}

impl Tools {
    /// The setting's name when it turned the converter off, else its Debian package.
    fn off_or(&self, setting: &'static str, package: &'static str) -> &'static str {
        if self.turned_off.contains(&setting) {
            setting
        } else {
            package
        }
    }
}

/// The `gosync` binary that runs converters in the sandbox: the configured renderer, or this
/// one.
pub fn sandbox_bin(settings: &Settings) -> PathBuf {
    settings
        .previews
        .renderer
        .clone()
        .or_else(|| std::env::current_exe().ok())
        .unwrap_or_else(|| PathBuf::from("gosync"))
}

/// "Video posters" as the middle of a sentence: "video posters" (acronyms kept).
fn lowered(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The first executable file called `name` in the PATH's directories.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Asks `gosync sandbox --probe` whether a child can be taken off the network here (at most
/// two seconds: a binary that does not answer is taken as no).
fn probe_isolation(bin: &Path) -> bool {
    let spawned = std::process::Command::new(bin)
        .args(["sandbox", "--probe"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = spawned else {
        return false;
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
    let mut said = String::new();
    child
        .stdout
        .take()
        .is_some_and(|mut out| std::io::Read::read_to_string(&mut out, &mut said).is_ok())
        && said.starts_with("isolated")
}
