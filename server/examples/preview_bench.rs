//! Preview benchmarks (scripts/bench-previews.sh runs them, in release):
//! `preview_bench single <libpdfium.so> <gosync>`: a 12 MP JPEG's thumbnails and a 20-page
//! PDF's first page, timed; `preview_bench images <dir> <n>`: mixed test images to upload.

use std::{io::Cursor, path::PathBuf, time::Instant};

use image::{DynamicImage, ImageFormat, RgbImage};

/// The tests' generated files (a PDF of N pages here).
#[allow(dead_code)]
#[path = "../tests/api/fixtures.rs"]
mod fixtures;

/// A photo-like picture: gradients with noise (a flat colour would decode unrealistically fast).
fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state & 31) as u8;
        let r = ((x * 255 / width) as u8).saturating_add(noise);
        let g = ((y * 255 / height) as u8).saturating_add(noise / 2);
        let b = (((x + y) * 127 / (width + height)) as u8).saturating_add(noise);
        image::Rgb([r, g, b])
    })
}

fn encode(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image.clone())
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("single") => single(PathBuf::from(&args[2]), PathBuf::from(&args[3])).await,
        Some("images") => images(PathBuf::from(&args[2]), args[3].parse().expect("a count")),
        _ => eprintln!("usage: preview_bench single <libpdfium.so> <gosync> | images <dir> <n>"),
    }
}

async fn single(pdfium: PathBuf, gosync: PathBuf) {
    use server::previews::image::thumbnails;
    let jpeg = encode(&photo(4000, 3000, 7), ImageFormat::Jpeg);
    println!("12 MP JPEG (4000x3000, {:.1} MB):", jpeg.len() as f64 / 1e6);
    for (label, sizes) in [
        ("256 only", &[256u32][..]),
        ("1024 + 256 (what a job makes)", &[1024, 256][..]),
    ] {
        let mut times = Vec::new();
        for _ in 0..11 {
            let start = Instant::now();
            let made = thumbnails(&jpeg, sizes, 100_000_000).expect("thumbnails");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(made.len(), sizes.len());
        }
        println!(
            "  {label}: median {:.1} ms, min {:.1} ms (decode, resize, encode)",
            median(times.clone()),
            times.iter().cloned().fold(f64::MAX, f64::min)
        );
    }
    let mut settings = server::config::Settings {
        pdfium_path: Some(pdfium),
        data_dir: std::env::temp_dir().join("gosync-bench"),
        ..Default::default()
    };
    settings.previews.renderer = Some(gosync);
    let renderer = server::previews::pdf::Renderer::find(&settings).expect("libpdfium");
    let document = std::env::temp_dir().join("gosync-bench-20-pages.pdf");
    std::fs::write(&document, fixtures::document(20, 40)).expect("PDF written");
    let mut times = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let (png, pages) = renderer
            .render_file(&document, 1, 1024)
            .await
            .expect("rendered");
        let made = thumbnails(&png, &[1024, 256], 100_000_000).expect("thumbnails");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!((pages, made.len()), (20, 2));
    }
    println!("20-page PDF, first page at 1024 + 256 (child process, pdfium, resize, encode): median {:.1} ms", median(times));
}

/// `n` images: a third each 12 MP JPEG-like photos at 3 sizes, PNG screenshots, WebP.
fn images(dir: PathBuf, n: usize) {
    std::fs::create_dir_all(&dir).expect("dir");
    let kinds: [(u32, u32, ImageFormat, &str); 5] = [
        (4000, 3000, ImageFormat::Jpeg, "jpg"),
        (2000, 1500, ImageFormat::Jpeg, "jpg"),
        (1280, 960, ImageFormat::Jpeg, "jpg"),
        (1600, 1000, ImageFormat::Png, "png"),
        (1024, 768, ImageFormat::WebP, "webp"),
    ];
    for i in 0..n {
        let (w, h, format, ext) = kinds[i % kinds.len()];
        let bytes = encode(&photo(w, h, i as u32 + 1), format);
        std::fs::write(dir.join(format!("img-{i:04}.{ext}")), bytes).expect("write");
    }
}
