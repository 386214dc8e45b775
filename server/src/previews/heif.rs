//! HEIC/HEIF photos (phones): decoded by libheif's `heif-convert` in the sandbox (Debian's
//! libheif is older than the Rust bindings want), to a JPEG the image path then thumbnails.

use std::path::Path;

use super::{
    sandbox::{Limits, Sandbox},
    Refusal,
};

pub fn is_heif(mime: Option<&str>, name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "heic" | "heif" | "hif")
        || matches!(mime, Some("image/heic" | "image/heif"))
}

/// The photo in `input` as a JPEG (its first image, turned upright).
pub async fn to_jpeg(
    sandbox: &Sandbox,
    heif_convert: &Path,
    input: &Path,
    work: &Path,
    limits: Limits,
) -> Result<Vec<u8>, Refusal> {
    let output = work.join("photo.jpg");
    let args = vec![
        "-q".to_owned(),
        "92".to_owned(),
        input.display().to_string(),
        output.display().to_string(),
    ];
    sandbox
        .run("heif-convert", heif_convert, &args, work, limits)
        .await
        .map_err(|r| {
            super::sandbox::or_unreadable(
                r,
                "heif-convert",
                "the photo is damaged or not a HEIC photo",
            )
        })?;
    // A file of several images is written as photo-1.jpg, photo-2.jpg…
    for candidate in [output.clone(), work.join("photo-1.jpg")] {
        if let Ok(jpeg) = tokio::fs::read(&candidate).await {
            if !jpeg.is_empty() {
                return Ok(jpeg);
            }
        }
    }
    Err(Refusal("the photo has no image to show".into()))
}
