//! Image thumbnails: decoded within limits (a decompression bomb is refused from its header),
//! JPEGs decoded at reduced scale, turned upright (EXIF orientation), resized with a SIMD
//! resizer, encoded as JPEG (or lossless WebP when there is transparency).

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{
    codecs::{jpeg::JpegEncoder, webp::WebPEncoder},
    metadata::Orientation,
    DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits,
};

use super::{Refusal, Rendered};

/// Decoders may allocate at most this much.
const MAX_ALLOC: u64 = 1 << 30;

/// The thumbnails of `data` at each box size in `sizes` (largest first), never upscaled.
pub fn thumbnails(data: &[u8], sizes: &[u32], max_pixels: u64) -> Result<Vec<Rendered>, Refusal> {
    let largest = sizes.iter().copied().max().unwrap_or(256);
    let image = decode(data, largest, max_pixels)?;
    render_sizes(image, sizes)
}

/// Resizes an upright image to each size.
pub fn render_sizes(image: DynamicImage, sizes: &[u32]) -> Result<Vec<Rendered>, Refusal> {
    // Only real transparency makes a WebP: GIF frames, for one, decode with an alpha channel.
    let translucent = image.color().has_alpha() && image.to_rgba8().pixels().any(|p| p[3] < 255);
    let image = if translucent {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    let mut out = Vec::with_capacity(sizes.len());
    let mut resizer = Resizer::new();
    for &size in sizes {
        let (w, h) = fit(image.width(), image.height(), size);
        let small = if (w, h) == (image.width(), image.height()) {
            image.clone()
        } else {
            let mut dst = DynamicImage::new(w, h, image.color());
            let options =
                ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
            resizer
                .resize(&image, &mut dst, &options)
                .map_err(|e| Refusal(format!("the image could not be resized: {e}")))?;
            dst
        };
        out.push(encode(&small, size)?);
    }
    Ok(out)
}

/// The largest size within a `size`×`size` box, keeping the aspect ratio, never larger.
pub fn fit(width: u32, height: u32, size: u32) -> (u32, u32) {
    let longest = width.max(height).max(1);
    if longest <= size {
        return (width.max(1), height.max(1));
    }
    let scale =
        |side: u32| ((side as u64 * size as u64 + longest as u64 / 2) / longest as u64).max(1);
    (scale(width) as u32, scale(height) as u32)
}

fn encode(image: &DynamicImage, size: u32) -> Result<Rendered, Refusal> {
    let mut bytes = Vec::new();
    let failed = |e: image::ImageError| Refusal(format!("the thumbnail could not be encoded: {e}"));
    let content_type = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        WebPEncoder::new_lossless(&mut bytes)
            .encode(
                rgba.as_raw(),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )
            .map_err(failed)?;
        "image/webp"
    } else {
        JpegEncoder::new_with_quality(&mut bytes, 82)
            .encode_image(image)
            .map_err(failed)?;
        "image/jpeg"
    };
    Ok(Rendered {
        size,
        content_type,
        bytes,
    })
}

/// Decodes an image upright, at no less than what a `target` box needs.
pub fn decode(data: &[u8], target: u32, max_pixels: u64) -> Result<DynamicImage, Refusal> {
    let reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|_| Refusal("the file could not be read".into()))?;
    match reader.format() {
        None => Err(Refusal("not an image format GoSync can read".into())),
        Some(ImageFormat::Jpeg) => decode_jpeg(data, target, max_pixels),
        Some(_) => decode_other(reader, max_pixels),
    }
}

fn check_pixels(width: u32, height: u32, max_pixels: u64) -> Result<(), Refusal> {
    if width as u64 * height as u64 > max_pixels {
        return Err(Refusal(format!(
            "the image is too large to preview ({width}×{height} pixels)"
        )));
    }
    Ok(())
}

fn corrupt<E: std::fmt::Display>(error: E) -> Refusal {
    Refusal(format!("the image is damaged or incomplete ({error})"))
}

fn decode_other(
    mut reader: ImageReader<Cursor<&[u8]>>,
    max_pixels: u64,
) -> Result<DynamicImage, Refusal> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, max_pixels)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// JPEG through `jpeg-decoder`, whose DCT scaling decodes a 12 MP photo for a 1024 box at a
/// quarter of the size (and of the time).
fn decode_jpeg(data: &[u8], target: u32, max_pixels: u64) -> Result<DynamicImage, Refusal> {
    use jpeg_decoder::{Decoder, PixelFormat};
    let mut decoder = Decoder::new(Cursor::new(data));
    decoder.set_max_decoding_buffer_size(MAX_ALLOC as usize);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| corrupt("no header"))?;
    let (width, height) = (info.width as u32, info.height as u32);
    check_pixels(width, height, max_pixels)?;
    let (want_w, want_h) = fit(width, height, target);
    let (w, h) = decoder
        .scale(
            want_w.min(u16::MAX as u32) as u16,
            want_h.min(u16::MAX as u32) as u16,
        )
        .map_err(corrupt)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    let (w, h) = (w as u32, h as u32);
    let info = decoder.info().ok_or_else(|| corrupt("no header"))?;
    let image = match info.pixel_format {
        PixelFormat::L8 => image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        PixelFormat::RGB24 => image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
        PixelFormat::CMYK32 => {
            // Adobe's CMYK JPEGs are stored inverted: each channel times K is the colour.
            let rgb = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = p[3] as u16;
                    [p[0], p[1], p[2]].map(|c| ((c as u16 * k) / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(w, h, rgb).map(DynamicImage::ImageRgb8)
        }
        PixelFormat::L16 => {
            let gray = pixels.chunks_exact(2).map(|p| p[0]).collect();
            image::GrayImage::from_raw(w, h, gray).map(DynamicImage::ImageLuma8)
        }
    };
    let mut image = image.ok_or_else(|| corrupt("wrong pixel count"))?;
    let orientation = decoder
        .exif_data()
        .and_then(|exif| {
            Orientation::from_exif_chunk(exif.strip_prefix(b"Exif\0\0").unwrap_or(exif))
        })
        .unwrap_or(Orientation::NoTransforms);
    image.apply_orientation(orientation);
    Ok(image)
}
