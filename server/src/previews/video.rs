//! Video (MP4, MOV, WebM, MKV): the duration by ffprobe and a poster frame by ffmpeg, in the
//! sandbox. The container's reader is chosen from the extension, never guessed from the
//! bytes (so a playlist or a concat list dressed as a video cannot make ffmpeg open other
//! files), and only plain files may be opened.

use std::path::Path;

use super::{
    sandbox::{Limits, Sandbox},
    Refusal,
};

/// Extensions whose poster frame is made here.
pub const EXTENSIONS: &[&str] = &["mp4", "m4v", "mov", "webm", "mkv"];

pub fn is_video(name: &str) -> bool {
    demuxer(name).is_some()
}

/// ffmpeg's reader for the file's container.
fn demuxer(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "mp4" | "m4v" | "mov" => Some("mov"),
        "webm" | "mkv" => Some("matroska"),
        _ => None,
    }
}

/// The tools it takes.
pub struct Ffmpeg<'a> {
    pub ffmpeg: &'a Path,
    pub ffprobe: &'a Path,
}

/// The video in `input` (named like the file, for its extension): its duration in seconds and
/// a PNG poster frame that fits `size`, taken a second in (or at the start of a short clip).
pub async fn poster(
    sandbox: &Sandbox,
    tools: Ffmpeg<'_>,
    input: &Path,
    name: &str,
    work: &Path,
    size: u32,
    limits: Limits,
) -> Result<(Vec<u8>, Option<f64>), Refusal> {
    let format = demuxer(name).ok_or_else(|| Refusal("not a video".into()))?;
    let source = format!("file:{}", input.display());
    let common = |args: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = ["-v", "error", "-protocol_whitelist", "file", "-f", format]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        all.extend(args.iter().map(|s| (*s).to_owned()));
        all
    };
    let mut probe = common(&[
        "-show_entries",
        "format=duration",
        "-of",
        "default=noprint_wrappers=1:nokey=1",
    ]);
    probe.push(source.clone());
    let said = sandbox
        .run("ffprobe", tools.ffprobe, &probe, work, limits)
        .await
        .map_err(|r| {
            super::sandbox::or_unreadable(
                r,
                "ffprobe",
                "the video is damaged or not a video ffmpeg can read",
            )
        })?;
    let duration = String::from_utf8_lossy(&said.stdout)
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && *d >= 0.0);
    let at = match duration {
        Some(d) if d > 2.0 => "1",
        _ => "0",
    };
    let output = work.join("poster.png");
    // Fits the box, never larger than the video itself.
    let scale =
        format!("scale=w='min(iw,{size})':h='min(ih,{size})':force_original_aspect_ratio=decrease");
    let mut args = vec!["-nostdin".to_owned(), "-ss".to_owned(), at.to_owned()];
    args.extend(common(&[]));
    args.extend(
        [
            "-i",
            &source,
            "-frames:v",
            "1",
            "-an",
            "-vf",
            &scale,
            "-f",
            "image2",
            "-c:v",
            "png",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    args.push(output.display().to_string());
    sandbox
        .run("ffmpeg", tools.ffmpeg, &args, work, limits)
        .await?;
    match tokio::fs::read(&output).await {
        Ok(png) if !png.is_empty() => Ok((png, duration)),
        _ => Err(Refusal("the video has no picture to show".into())),
    }
}
